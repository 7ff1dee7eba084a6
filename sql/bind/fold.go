package bind

import (
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// foldCall simplifies a call as PostgreSQL's eval_const_expressions
// does: a strict function with a NULL constant argument is NULL, and an
// immutable function of constants is evaluated now. A call whose
// evaluation fails is left for run time (it may sit in a CASE arm that
// never runs).
func foldCall(c *plan.Call) plan.Expr {
	e, _ := foldCallErr(c)
	return e
}

// foldCallErr is foldCall that also reports an evaluation error.
func foldCallErr(c *plan.Call) (plan.Expr, error) {
	allConst := true
	vals := make([]types.Datum, len(c.Args))
	for i, a := range c.Args {
		k, ok := a.(*plan.Const)
		if !ok {
			allConst = false
			continue
		}
		if k.Val == nil && !c.Fn.NonStrict {
			return &plan.Const{T: c.Fn.Ret}, nil
		}
		vals[i] = k.Val
	}
	if !allConst || c.Fn.Volatility != 'i' || c.Fn.Fn == nil {
		return c, nil
	}
	v, err := c.Fn.Fn(nil, vals)
	if err != nil {
		return c, err
	}
	return &plan.Const{Val: v, T: c.Fn.Ret}, nil
}

// fold folds a call; an evaluation error is reported unless the call is
// bound inside a conditional expression (CASE, COALESCE), where it may
// never run — as PostgreSQL, which folds at plan time.
func (b *Binder) fold(c *plan.Call) (plan.Expr, error) {
	e, err := foldCallErr(c)
	if err != nil && b.conditional == 0 {
		return nil, err
	}
	return e, nil
}

// foldBool simplifies AND/OR/NOT over constants.
func foldBool(e *plan.BoolOp) plan.Expr {
	if e.Op == plan.Not {
		if k, ok := e.Args[0].(*plan.Const); ok {
			if k.Val == nil {
				return k
			}
			return &plan.Const{Val: !k.Val.(bool), T: types.Bool}
		}
		return e
	}
	// AND: a false constant makes it false; OR: a true constant true.
	decisive := e.Op == plan.Or
	var rest []plan.Expr
	sawNull := false
	for _, a := range e.Args {
		k, ok := a.(*plan.Const)
		if !ok {
			rest = append(rest, a)
			continue
		}
		if k.Val == nil {
			sawNull = true
			continue
		}
		if k.Val.(bool) == decisive {
			return &plan.Const{Val: decisive, T: types.Bool}
		}
	}
	switch {
	case len(rest) == 0 && sawNull:
		return &plan.Const{T: types.Bool}
	case len(rest) == 0:
		return &plan.Const{Val: !decisive, T: types.Bool}
	case sawNull:
		return &plan.BoolOp{Op: e.Op, Args: append(rest, &plan.Const{T: types.Bool})}
	case len(rest) == 1:
		return rest[0]
	}
	return &plan.BoolOp{Op: e.Op, Args: rest}
}
