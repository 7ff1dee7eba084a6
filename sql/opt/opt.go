// Package opt rewrites logical plans. Each rule is named, can be
// disabled, and keeps the plan's output unchanged.
//
// Rules today, in order:
//
//   - FoldConstants: see fold.go.
//   - PushFilters: WHERE/ON conjuncts move down through inner joins to
//     the lowest input that has every column they read, and conjuncts that
//     read both sides of an inner join join its ON condition (so
//     col = col terms become hash-join keys). Conjuncts holding subqueries
//     stay where they are (their outer references are positional).
//   - ReorderJoins: a tree of three or more inner joins is flattened and
//     rebuilt left-deep, adding at each step an input connected to those
//     already joined by a condition (inputs with their own filters first),
//     so FROM lists written in any order avoid cross products; a
//     projection restores the original column order.
//   - ConstrainScans: see scan.go.
package opt

import (
	"github.com/aegisdb/aegis/sql/plan"
)

// Rule names.
const (
	PushFilters  = "PushFilters"
	ReorderJoins = "ReorderJoins"
)

// Options select rules; the zero value enables all.
type Options struct {
	Disabled map[string]bool
}

// Optimize returns the rewritten plan. It fails when constant folding
// raises an error (division by zero in a constant expression, ...), as
// PostgreSQL's planner does.
func Optimize(n plan.Node, o Options) (plan.Node, error) {
	if !o.Disabled[FoldConstants] {
		var err error
		if n, err = foldNode(n); err != nil {
			return nil, err
		}
	}
	if !o.Disabled[PushFilters] {
		r := &rewriter{reorder: !o.Disabled[ReorderJoins]}
		n = r.push(n, nil)
	}
	if !o.Disabled[ConstrainScans] {
		n = constrain(n)
	}
	return n, nil
}

type rewriter struct {
	reorder bool
}

// push rewrites n, adding preds (over n's output columns) as filters as
// low as possible.
func (r *rewriter) push(n plan.Node, preds []plan.Expr) plan.Node {
	push := r.push
	switch x := n.(type) {
	case *plan.Filter:
		var movable, fixed []plan.Expr
		for _, c := range plan.Conjuncts(x.Pred) {
			if hasSubquery(c) {
				fixed = append(fixed, c)
			} else {
				movable = append(movable, c)
			}
		}
		in := push(x.Input, append(preds, movable...))
		return wrap(in, fixed)
	case *plan.Join:
		if x.Kind != plan.InnerJoin {
			// Outer joins keep their shape; their inputs are still
			// optimized on their own.
			j := *x
			j.Left, j.Right = push(x.Left, nil), push(x.Right, nil)
			return wrap(&j, preds)
		}
		if r.reorder {
			if out, ok := r.reorderJoins(x, preds); ok {
				return out
			}
		}
		nl := len(x.Left.Columns())
		var left, right, both, fixed []plan.Expr
		all := append(append([]plan.Expr(nil), preds...), plan.Conjuncts(x.On)...)
		for _, c := range all {
			if hasSubquery(c) {
				fixed = append(fixed, c)
				continue
			}
			lo, hi, any := colRange(c)
			switch {
			case !any:
				both = append(both, c)
			case hi < nl:
				left = append(left, c)
			case lo >= nl:
				right = append(right, shift(c, -nl))
			default:
				both = append(both, c)
			}
		}
		j := *x
		j.Left = push(x.Left, left)
		j.Right = push(x.Right, right)
		j.On = plan.AndOf(append(both, fixed...))
		j.EqLeft, j.EqRight = plan.EquiKeys(j.On, nl)
		return &j
	case *plan.Project:
		p := *x
		p.Input = push(x.Input, nil)
		return wrap(&p, preds)
	case *plan.Aggregate:
		a := *x
		a.Input = push(x.Input, nil)
		return wrap(&a, preds)
	case *plan.Sort:
		s := *x
		s.Input = push(x.Input, preds)
		return &s
	case *plan.Limit:
		l := *x
		l.Input = push(x.Input, nil)
		return wrap(&l, preds)
	case *plan.LockRows:
		l := *x
		l.Input = push(x.Input, nil)
		return wrap(&l, preds)
	case *plan.DistinctOn:
		d := *x
		d.Input = push(x.Input, nil)
		return wrap(&d, preds)
	case *plan.Apply:
		a := *x
		a.Left, a.Right = push(x.Left, nil), push(x.Right, nil)
		return wrap(&a, preds)
	case *plan.SetOp:
		s := *x
		s.Left, s.Right = push(x.Left, nil), push(x.Right, nil)
		return wrap(&s, preds)
	case *plan.Window:
		w := *x
		w.Input = push(x.Input, nil)
		return wrap(&w, preds)
	case *plan.RecursiveCTE:
		rc := *x
		rc.Init, rc.Recur = push(x.Init, nil), push(x.Recur, nil)
		return wrap(&rc, preds)
	case *plan.Insert:
		i := *x
		i.Input = push(x.Input, nil)
		return &i
	case *plan.Update:
		u := *x
		u.Input = push(x.Input, nil)
		return &u
	case *plan.Delete:
		d := *x
		d.Input = push(x.Input, nil)
		return &d
	case *plan.WithDML:
		out, _ := plan.MapInputs(x, func(c plan.Node) (plan.Node, error) { return push(c, nil), nil })
		return wrap(out, preds)
	}
	return wrap(n, preds)
}

func wrap(n plan.Node, preds []plan.Expr) plan.Node {
	if len(preds) == 0 {
		return n
	}
	if f, ok := n.(*plan.Filter); ok {
		return &plan.Filter{Input: f.Input, Pred: plan.AndOf(append(plan.Conjuncts(f.Pred), preds...))}
	}
	return &plan.Filter{Input: n, Pred: plan.AndOf(preds)}
}

// colRange returns the lowest and highest input column e reads.
func colRange(e plan.Expr) (lo, hi int, any bool) {
	lo, hi = 1<<30, -1
	var walk func(e plan.Expr)
	walk = func(e plan.Expr) {
		if c, ok := e.(*plan.ColRef); ok {
			any = true
			lo, hi = min(lo, c.Idx), max(hi, c.Idx)
		}
		for _, ch := range plan.Children(e) {
			walk(ch)
		}
	}
	walk(e)
	return lo, hi, any
}

func hasSubquery(e plan.Expr) bool {
	if _, ok := e.(*plan.Subquery); ok {
		return true
	}
	for _, ch := range plan.Children(e) {
		if hasSubquery(ch) {
			return true
		}
	}
	return false
}

// shift moves every column reference of e by d.
func shift(e plan.Expr, d int) plan.Expr {
	out, _ := plan.Rewrite(e, func(x plan.Expr) (plan.Expr, error) {
		if c, ok := x.(*plan.ColRef); ok {
			return &plan.ColRef{Idx: c.Idx + d, T: c.T, Name: c.Name}, nil
		}
		return x, nil
	})
	return out
}

// leaf is one input of a flattened inner-join tree.
type leaf struct {
	node   plan.Node
	offset int // position of its first column in the original output
	width  int
}

// flatten collects the inputs and conditions of a tree of inner joins;
// conditions are shifted into the numbering of the whole tree.
func flatten(n plan.Node, offset int, leaves *[]leaf, conds *[]plan.Expr) {
	if j, ok := n.(*plan.Join); ok && j.Kind == plan.InnerJoin {
		nl := len(j.Left.Columns())
		flatten(j.Left, offset, leaves, conds)
		flatten(j.Right, offset+nl, leaves, conds)
		for _, c := range plan.Conjuncts(j.On) {
			*conds = append(*conds, shift(c, offset))
		}
		return
	}
	*leaves = append(*leaves, leaf{node: n, offset: offset, width: len(n.Columns())})
}

func (r *rewriter) reorderJoins(j *plan.Join, preds []plan.Expr) (plan.Node, bool) {
	var leaves []leaf
	var conds []plan.Expr
	flatten(j, 0, &leaves, &conds)
	if len(leaves) < 3 {
		return nil, false
	}
	conds = append(conds, preds...)
	leafOf := func(col int) int {
		for i, l := range leaves {
			if col >= l.offset && col < l.offset+l.width {
				return i
			}
		}
		return -1
	}
	// Which leaves each movable condition reads.
	type cond struct {
		e     plan.Expr
		reads map[int]bool
	}
	var movable []cond
	var fixed []plan.Expr
	for _, c := range conds {
		if hasSubquery(c) {
			fixed = append(fixed, c)
			continue
		}
		reads := map[int]bool{}
		var walk func(e plan.Expr)
		walk = func(e plan.Expr) {
			if cr, ok := e.(*plan.ColRef); ok {
				reads[leafOf(cr.Idx)] = true
			}
			for _, ch := range plan.Children(e) {
				walk(ch)
			}
		}
		walk(c)
		movable = append(movable, cond{e: c, reads: reads})
	}
	filtered := make([]bool, len(leaves))
	for _, c := range movable {
		if len(c.reads) == 1 {
			for l := range c.reads {
				filtered[l] = true
			}
		}
	}
	// Greedy left-deep order.
	in := make([]bool, len(leaves))
	var order []int
	connected := func(l int) bool {
		for _, c := range movable {
			if !c.reads[l] || len(c.reads) < 2 {
				continue
			}
			others := false
			for x := range c.reads {
				if x != l && in[x] {
					others = true
				}
			}
			if others {
				return true
			}
		}
		return false
	}
	pick := func() int {
		best := -1
		for l := range leaves {
			if in[l] {
				continue
			}
			score := 0
			if len(order) > 0 && connected(l) {
				score += 2
			}
			if filtered[l] {
				score++
			}
			if best < 0 || score > bestScore(best, order, connected, filtered) {
				best = l
			}
		}
		return best
	}
	for len(order) < len(leaves) {
		l := pick()
		in[l] = true
		order = append(order, l)
	}
	// New column positions.
	newPos := make([]int, 0)
	total := 0
	for _, l := range leaves {
		total += l.width
	}
	newPos = make([]int, total)
	pos := 0
	for _, l := range order {
		for k := 0; k < leaves[l].width; k++ {
			newPos[leaves[l].offset+k] = pos
			pos++
		}
	}
	remap := func(e plan.Expr) plan.Expr {
		out, _ := plan.Rewrite(e, func(x plan.Expr) (plan.Expr, error) {
			if c, ok := x.(*plan.ColRef); ok {
				return &plan.ColRef{Idx: newPos[c.Idx], T: c.T, Name: c.Name}, nil
			}
			return x, nil
		})
		return out
	}
	var tree plan.Node
	for _, l := range order {
		child := r.push(leaves[l].node, nil)
		if tree == nil {
			tree = child
			continue
		}
		tree = &plan.Join{Kind: plan.InnerJoin, Left: tree, Right: child,
			Cols: append(append([]plan.Column(nil), tree.Columns()...), child.Columns()...)}
	}
	var where []plan.Expr
	for _, c := range movable {
		where = append(where, remap(c.e))
	}
	// Place the conditions without reordering again.
	inner := &rewriter{}
	tree = inner.push(tree, where)
	origCols := j.Cols
	exprs := make([]plan.Expr, total)
	for i := 0; i < total; i++ {
		exprs[i] = &plan.ColRef{Idx: newPos[i], T: origCols[i].T, Name: origCols[i].Name}
	}
	var out plan.Node = &plan.Project{Input: tree, Exprs: exprs, Cols: origCols}
	return wrap(out, fixed), true
}

func bestScore(l int, order []int, connected func(int) bool, filtered []bool) int {
	score := 0
	if len(order) > 0 && connected(l) {
		score += 2
	}
	if filtered[l] {
		score++
	}
	return score
}
