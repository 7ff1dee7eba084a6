package opt

import (
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// FoldConstants is the rule that simplifies constant subexpressions the
// way PostgreSQL's eval_const_expressions does, so that the same
// statements fail (or do not fail) at plan time:
//
//   - an immutable function or operator of constants is evaluated (its
//     error is the statement's error, even if no row would reach it);
//   - a strict call with a NULL constant argument is NULL;
//   - AND/OR stop at the first decisive constant; later arguments are
//     dropped unevaluated;
//   - CASE drops arms whose condition is constant false or NULL without
//     evaluating their results, and a constant-true arm ends the CASE;
//   - COALESCE drops NULL constants and ends at the first non-NULL one;
//   - IS [NOT] NULL of a constant, and casts of constants that do not
//     depend on session settings, are evaluated.
const FoldConstants = "FoldConstants"

type folder struct{}

// foldNode folds every expression of a plan tree.
func foldNode(n plan.Node) (plan.Node, error) {
	var f folder
	return f.node(n)
}

func (f folder) exprs(es []plan.Expr) ([]plan.Expr, error) {
	if es == nil {
		return nil, nil
	}
	out := make([]plan.Expr, len(es))
	for i, e := range es {
		v, err := f.expr(e)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// calls folds the arguments of function calls that must stay calls
// (set-returning functions).
func (f folder) calls(cs []*plan.Call) ([]*plan.Call, error) {
	out := make([]*plan.Call, len(cs))
	for i, c := range cs {
		args, err := f.exprs(c.Args)
		if err != nil {
			return nil, err
		}
		out[i] = &plan.Call{Fn: c.Fn, Args: args}
	}
	return out, nil
}

func (f folder) opt(e plan.Expr) (plan.Expr, error) {
	if e == nil {
		return nil, nil
	}
	return f.expr(e)
}

func (f folder) node(n plan.Node) (plan.Node, error) {
	var err error
	switch x := n.(type) {
	case *plan.Values:
		v := *x
		v.Rows = make([][]plan.Expr, len(x.Rows))
		for i, r := range x.Rows {
			if v.Rows[i], err = f.exprs(r); err != nil {
				return nil, err
			}
		}
		return &v, nil
	case *plan.Filter:
		in, err := f.node(x.Input)
		if err != nil {
			return nil, err
		}
		pred, err := f.expr(x.Pred)
		if err != nil {
			return nil, err
		}
		if k, ok := pred.(*plan.Const); ok && k.Val == true {
			return in, nil
		}
		return &plan.Filter{Input: in, Pred: pred}, nil
	case *plan.Project:
		p := *x
		if p.Input, err = f.node(x.Input); err != nil {
			return nil, err
		}
		if p.Exprs, err = f.exprs(x.Exprs); err != nil {
			return nil, err
		}
		return &p, nil
	case *plan.Aggregate:
		a := *x
		if a.Input, err = f.node(x.Input); err != nil {
			return nil, err
		}
		if a.GroupBy, err = f.exprs(x.GroupBy); err != nil {
			return nil, err
		}
		a.Aggs = make([]plan.AggCall, len(x.Aggs))
		for i, ac := range x.Aggs {
			a.Aggs[i] = ac
			if a.Aggs[i].Arg, err = f.opt(ac.Arg); err != nil {
				return nil, err
			}
			if a.Aggs[i].Delim, err = f.opt(ac.Delim); err != nil {
				return nil, err
			}
		}
		return &a, nil
	case *plan.Sort:
		s := *x
		s.Input, err = f.node(x.Input)
		return &s, err
	case *plan.Limit:
		l := *x
		if l.Input, err = f.node(x.Input); err != nil {
			return nil, err
		}
		if l.Count, err = f.opt(x.Count); err != nil {
			return nil, err
		}
		l.Offset, err = f.opt(x.Offset)
		return &l, err
	case *plan.LockRows:
		l := *x
		l.Input, err = f.node(x.Input)
		return &l, err
	case *plan.DistinctOn:
		d := *x
		d.Input, err = f.node(x.Input)
		return &d, err
	case *plan.ProjectSet:
		p := *x
		if p.Input, err = f.node(x.Input); err != nil {
			return nil, err
		}
		if p.Calls, err = f.calls(x.Calls); err != nil {
			return nil, err
		}
		return &p, nil
	case *plan.FuncScan:
		fs := *x
		fs.Calls, err = f.calls(x.Calls)
		return &fs, err
	case *plan.Join:
		j := *x
		if j.Left, err = f.node(x.Left); err != nil {
			return nil, err
		}
		if j.Right, err = f.node(x.Right); err != nil {
			return nil, err
		}
		if j.On, err = f.opt(x.On); err != nil {
			return nil, err
		}
		if k, ok := j.On.(*plan.Const); ok && k.Val == true {
			j.On = nil
		}
		return &j, nil
	case *plan.Apply:
		a := *x
		if a.Left, err = f.node(x.Left); err != nil {
			return nil, err
		}
		if a.Right, err = f.node(x.Right); err != nil {
			return nil, err
		}
		if a.On, err = f.opt(x.On); err != nil {
			return nil, err
		}
		if k, ok := a.On.(*plan.Const); ok && k.Val == true {
			a.On = nil
		}
		return &a, nil
	case *plan.SetOp:
		s := *x
		if s.Left, err = f.node(x.Left); err != nil {
			return nil, err
		}
		s.Right, err = f.node(x.Right)
		return &s, err
	case *plan.Window:
		w := *x
		w.Input, err = f.node(x.Input)
		return &w, err
	case *plan.RecursiveCTE:
		r := *x
		if r.Init, err = f.node(x.Init); err != nil {
			return nil, err
		}
		r.Recur, err = f.node(x.Recur)
		return &r, err
	case *plan.Insert:
		i := *x
		if i.Input, err = f.node(x.Input); err != nil {
			return nil, err
		}
		if i.Returning, err = f.exprs(x.Returning); err != nil {
			return nil, err
		}
		i.Checks, err = f.checks(x.Checks)
		return &i, err
	case *plan.Update:
		u := *x
		if u.Input, err = f.node(x.Input); err != nil {
			return nil, err
		}
		if u.Returning, err = f.exprs(x.Returning); err != nil {
			return nil, err
		}
		u.Checks, err = f.checks(x.Checks)
		return &u, err
	case *plan.Delete:
		d := *x
		if d.Input, err = f.node(x.Input); err != nil {
			return nil, err
		}
		d.Returning, err = f.exprs(x.Returning)
		return &d, err
	case *plan.WithDML:
		return plan.MapInputs(x, f.node)
	}
	return n, nil
}

func (f folder) checks(cs []plan.CheckExpr) ([]plan.CheckExpr, error) {
	if cs == nil {
		return nil, nil
	}
	out := make([]plan.CheckExpr, len(cs))
	for i, c := range cs {
		e, err := f.expr(c.Expr)
		if err != nil {
			return nil, err
		}
		out[i] = plan.CheckExpr{Name: c.Name, Expr: e}
	}
	return out, nil
}

func isConst(e plan.Expr) (*plan.Const, bool) {
	k, ok := e.(*plan.Const)
	return k, ok
}

func (f folder) expr(e plan.Expr) (plan.Expr, error) {
	switch x := e.(type) {
	case *plan.Call:
		args, err := f.exprs(x.Args)
		if err != nil {
			return nil, err
		}
		c := &plan.Call{Fn: x.Fn, Args: args}
		return foldCall(c)
	case *plan.Cast:
		arg, err := f.expr(x.Arg)
		if err != nil {
			return nil, err
		}
		if k, ok := isConst(arg); ok && castIsImmutable(x.Arg.Type(), x.To) {
			if k.Val == nil {
				return &plan.Const{T: x.To}, nil
			}
			v, err := typio.Cast(k.Val, x.Arg.Type(), x.To, x.Explicit, typio.DefaultSettings())
			if err != nil {
				return nil, err
			}
			return &plan.Const{Val: v, T: x.To}, nil
		}
		return &plan.Cast{Arg: arg, To: x.To, Explicit: x.Explicit}, nil
	case *plan.BoolOp:
		if x.Op == plan.Not {
			arg, err := f.expr(x.Args[0])
			if err != nil {
				return nil, err
			}
			if k, ok := isConst(arg); ok {
				if k.Val == nil {
					return k, nil
				}
				return &plan.Const{Val: !k.Val.(bool), T: types.Bool}, nil
			}
			return &plan.BoolOp{Op: plan.Not, Args: []plan.Expr{arg}}, nil
		}
		decisive := x.Op == plan.Or
		var rest []plan.Expr
		sawNull := false
		for _, a := range x.Args {
			v, err := f.expr(a)
			if err != nil {
				return nil, err
			}
			if k, ok := isConst(v); ok {
				if k.Val == nil {
					sawNull = true
					continue
				}
				if k.Val.(bool) == decisive {
					return &plan.Const{Val: decisive, T: types.Bool}, nil
				}
				continue
			}
			rest = append(rest, v)
		}
		switch {
		case len(rest) == 0 && sawNull:
			return &plan.Const{T: types.Bool}, nil
		case len(rest) == 0:
			return &plan.Const{Val: !decisive, T: types.Bool}, nil
		case sawNull:
			rest = append(rest, &plan.Const{T: types.Bool})
		case len(rest) == 1:
			return rest[0], nil
		}
		return &plan.BoolOp{Op: x.Op, Args: rest}, nil
	case *plan.IsNull:
		arg, err := f.expr(x.Arg)
		if err != nil {
			return nil, err
		}
		if k, ok := isConst(arg); ok {
			return &plan.Const{Val: (k.Val == nil) != x.Negate, T: types.Bool}, nil
		}
		return &plan.IsNull{Arg: arg, Negate: x.Negate}, nil
	case *plan.Case:
		out := &plan.Case{T: x.T}
		for _, w := range x.Whens {
			cond, err := f.expr(w.Cond)
			if err != nil {
				return nil, err
			}
			if k, ok := isConst(cond); ok {
				if k.Val == nil || k.Val == false {
					continue // arm dropped, its result never evaluated
				}
				res, err := f.expr(w.Result)
				if err != nil {
					return nil, err
				}
				if len(out.Whens) == 0 {
					return res, nil
				}
				out.Else = res
				return out, nil
			}
			res, err := f.expr(w.Result)
			if err != nil {
				return nil, err
			}
			out.Whens = append(out.Whens, plan.When{Cond: cond, Result: res})
		}
		var err error
		if out.Else, err = f.opt(x.Else); err != nil {
			return nil, err
		}
		if len(out.Whens) == 0 {
			if out.Else == nil {
				return &plan.Const{T: x.T}, nil
			}
			return out.Else, nil
		}
		return out, nil
	case *plan.Coalesce:
		var kept []plan.Expr
		for _, a := range x.Args {
			v, err := f.expr(a)
			if err != nil {
				return nil, err
			}
			if k, ok := isConst(v); ok {
				if k.Val == nil {
					continue
				}
				kept = append(kept, v)
				break
			}
			kept = append(kept, v)
		}
		switch len(kept) {
		case 0:
			return &plan.Const{T: x.T}, nil
		case 1:
			return kept[0], nil
		}
		return &plan.Coalesce{Args: kept, T: x.T}, nil
	case *plan.Subquery:
		sq := *x
		var err error
		if sq.Plan, err = foldNode(x.Plan); err != nil {
			return nil, err
		}
		if sq.Left, err = f.opt(x.Left); err != nil {
			return nil, err
		}
		return &sq, nil
	}
	return e, nil
}

// foldCall evaluates a call of constants (immutable functions only) and
// a strict call with a NULL constant argument.
func foldCall(c *plan.Call) (plan.Expr, error) {
	if c.Fn.IsSRF() {
		return c, nil
	}
	allConst := true
	vals := make([]types.Datum, len(c.Args))
	for i, a := range c.Args {
		k, ok := isConst(a)
		if !ok {
			allConst = false
			continue
		}
		if k.Val == nil && !c.Fn.NonStrict {
			return &plan.Const{T: c.Fn.Ret}, nil
		}
		vals[i] = k.Val
	}
	if !allConst || c.Fn.Volatility != funcs.Immutable || c.Fn.Fn == nil {
		return c, nil
	}
	v, err := c.Fn.Fn(nil, vals)
	if err != nil {
		return nil, err
	}
	return &plan.Const{Val: v, T: c.Fn.Ret}, nil
}

// castIsImmutable reports whether a cast's result does not depend on
// session settings (TimeZone, DateStyle, IntervalStyle): PostgreSQL marks
// the date/time I/O functions stable, float8out immutable.
func castIsImmutable(from, to types.T) bool {
	if from.IsArray() {
		from = from.Elem()
	}
	if to.IsArray() {
		to = to.Elem()
	}
	if from.IsRegType() || to.IsRegType() {
		// The names of OID alias types depend on the catalog.
		return false
	}
	settingsDependent := func(t types.T) bool {
		switch t.Family() {
		case types.TimestampTZFamily, types.DateFamily, types.TimestampFamily, types.IntervalFamily:
			return true
		}
		return false
	}
	if from.Family() == types.TimestampTZFamily || to.Family() == types.TimestampTZFamily {
		return false
	}
	if (from.IsString() && settingsDependent(to)) || (to.IsString() && settingsDependent(from)) {
		return false
	}
	return true
}
