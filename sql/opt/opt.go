// Package opt rewrites logical plans. Each rule is named, can be
// disabled, and keeps the plan's output unchanged.
//
// Rules today:
//
//   - PushFilters: WHERE/ON conjuncts move down through inner joins to
//     the lowest input that has every column they read, and conjuncts that
//     read both sides of an inner join join its ON condition (so
//     col = col terms become hash-join keys). Conjuncts holding subqueries
//     stay where they are (their outer references are positional).
//   - MergeFilters: adjacent filters become one.
package opt

import (
	"github.com/aegisdb/aegis/sql/plan"
)

// Rule names.
const (
	PushFilters = "PushFilters"
)

// Options select rules; the zero value enables all.
type Options struct {
	Disabled map[string]bool
}

// Optimize returns the rewritten plan.
func Optimize(n plan.Node, o Options) plan.Node {
	if o.Disabled[PushFilters] {
		return n
	}
	return push(n, nil)
}

// push rewrites n, adding preds (over n's output columns) as filters as
// low as possible.
func push(n plan.Node, preds []plan.Expr) plan.Node {
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
	case *plan.SetOp:
		s := *x
		s.Left, s.Right = push(x.Left, nil), push(x.Right, nil)
		return wrap(&s, preds)
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
