package expr

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// Evaluator computes one column over a batch. The returned array has
// batch.NumRows() entries; the caller owns it.
type Evaluator interface {
	Eval(b vec.Batch) (arrow.Array, error)
}

// Context is what compiled expressions read at run time.
type Context struct {
	Env    funcs.Env
	Params []types.Datum
	// InputTypes are the types of the input batch's columns.
	InputTypes []types.T
	// Outer is the enclosing query's row holder (nil at top level).
	Outer *Outer
	// Subquery prepares nested queries; nil when none may occur.
	Subquery SubqueryBuilder
	// Ctx is the statement's context, for running subqueries.
	Ctx context.Context
}

// Compile turns e into an evaluator.
func Compile(e plan.Expr, c *Context) (Evaluator, error) {
	switch x := e.(type) {
	case *plan.ColRef:
		return colEval{idx: x.Idx}, nil
	case *plan.Const:
		return &constEval{t: x.T, v: x.Val}, nil
	case *plan.Param:
		if x.Idx >= len(c.Params) {
			return nil, pgerror.New(pgerror.UndefinedParameter, "there is no parameter $%d", x.Idx+1)
		}
		return &constEval{t: x.T, v: c.Params[x.Idx]}, nil
	case *plan.Cast:
		arg, err := Compile(x.Arg, c)
		if err != nil {
			return nil, err
		}
		return &castEval{arg: arg, from: x.Arg.Type(), to: x.To, explicit: x.Explicit, settings: c.Env.Settings()}, nil
	case *plan.Call:
		args := make([]Evaluator, len(x.Args))
		argT := make([]types.T, len(x.Args))
		for i, a := range x.Args {
			ev, err := Compile(a, c)
			if err != nil {
				return nil, err
			}
			args[i] = ev
			argT[i] = a.Type()
		}
		if fast := fastPath(x.Fn, argT, args); fast != nil {
			return fast, nil
		}
		return &callEval{fn: x.Fn, args: args, argT: argT, env: c.Env}, nil
	case *plan.BoolOp:
		args := make([]Evaluator, len(x.Args))
		for i, a := range x.Args {
			ev, err := Compile(a, c)
			if err != nil {
				return nil, err
			}
			args[i] = ev
		}
		return &boolEval{op: x.Op, args: args}, nil
	case *plan.IsNull:
		arg, err := Compile(x.Arg, c)
		if err != nil {
			return nil, err
		}
		return &isNullEval{arg: arg, negate: x.Negate}, nil
	case *plan.Case:
		ce := &caseEval{t: x.T, inTypes: c.InputTypes}
		for _, w := range x.Whens {
			cond, err := Compile(w.Cond, c)
			if err != nil {
				return nil, err
			}
			res, err := Compile(w.Result, c)
			if err != nil {
				return nil, err
			}
			ce.conds = append(ce.conds, cond)
			ce.results = append(ce.results, res)
		}
		if x.Else != nil {
			ev, err := Compile(x.Else, c)
			if err != nil {
				return nil, err
			}
			ce.elseEv = ev
		}
		return ce, nil
	case *plan.OuterRef:
		return &outerEval{ref: x, outer: c.Outer}, nil
	case *plan.Subquery:
		if c.Subquery == nil {
			return nil, pgerror.AssertionFailed("subquery without a builder")
		}
		inner := &Outer{Parent: c.Outer}
		run, err := c.Subquery(x.Plan, inner)
		if err != nil {
			return nil, err
		}
		se := &subqueryEval{sq: x, run: run, inner: inner, inTypes: c.InputTypes, ctx: c.Ctx}
		if se.ctx == nil {
			se.ctx = context.Background()
		}
		if x.Left != nil {
			if se.left, err = Compile(x.Left, c); err != nil {
				return nil, err
			}
			pair := *c
			pair.InputTypes = []types.T{x.Left.Type(), x.Plan.Columns()[0].T}
			if se.test, err = Compile(x.Test, &pair); err != nil {
				return nil, err
			}
		}
		return se, nil
	case *plan.Coalesce:
		ce := &coalesceEval{t: x.T, inTypes: c.InputTypes}
		for _, a := range x.Args {
			ev, err := Compile(a, c)
			if err != nil {
				return nil, err
			}
			ce.args = append(ce.args, ev)
		}
		return ce, nil
	}
	return nil, pgerror.AssertionFailed("cannot compile expression %T", e)
}

type colEval struct{ idx int }

func (e colEval) Eval(b vec.Batch) (arrow.Array, error) {
	col := b.Column(e.idx)
	col.Retain()
	return col, nil
}

type constEval struct {
	t types.T
	v types.Datum
}

func (e *constEval) Eval(b vec.Batch) (arrow.Array, error) {
	n := int(b.NumRows())
	bld := vec.NewBuilder(e.t)
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		if err := vec.Append(bld, e.t, e.v); err != nil {
			return nil, err
		}
	}
	return bld.NewArray(), nil
}

type castEval struct {
	arg      Evaluator
	from, to types.T
	explicit bool
	settings *typio.Settings
}

func (e *castEval) Eval(b vec.Batch) (arrow.Array, error) {
	in, err := e.arg.Eval(b)
	if err != nil {
		return nil, err
	}
	defer in.Release()
	n := in.Len()
	bld := vec.NewBuilder(e.to)
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		d := vec.Get(e.from, in, i)
		if d != nil {
			if d, err = typio.Cast(d, e.from, e.to, e.explicit, e.settings); err != nil {
				return nil, err
			}
		}
		if err := vec.Append(bld, e.to, d); err != nil {
			return nil, err
		}
	}
	return bld.NewArray(), nil
}

type callEval struct {
	fn   *funcs.Overload
	args []Evaluator
	argT []types.T
	env  funcs.Env
}

func (e *callEval) Eval(b vec.Batch) (arrow.Array, error) {
	n := int(b.NumRows())
	cols := make([]arrow.Array, len(e.args))
	for i, a := range e.args {
		c, err := a.Eval(b)
		if err != nil {
			return nil, err
		}
		defer c.Release()
		cols[i] = c
	}
	bld := vec.NewBuilder(e.fn.Ret)
	bld.Reserve(n)
	vals := make([]types.Datum, len(cols))
	for i := 0; i < n; i++ {
		null := false
		for j, c := range cols {
			vals[j] = vec.Get(e.argT[j], c, i)
			if vals[j] == nil {
				null = true
			}
		}
		if null && !e.fn.NonStrict {
			bld.AppendNull()
			continue
		}
		d, err := e.fn.Fn(e.env, vals)
		if err != nil {
			return nil, err
		}
		if err := vec.Append(bld, e.fn.Ret, d); err != nil {
			return nil, err
		}
	}
	return bld.NewArray(), nil
}

type boolEval struct {
	op   plan.BoolOpKind
	args []Evaluator
}

// Eval implements SQL three-valued logic.
func (e *boolEval) Eval(b vec.Batch) (arrow.Array, error) {
	n := int(b.NumRows())
	first, err := e.args[0].Eval(b)
	if err != nil {
		return nil, err
	}
	defer first.Release()
	fa := first.(*array.Boolean)
	bld := array.NewBooleanBuilder(vec.Alloc)
	bld.Reserve(n)
	if e.op == plan.Not {
		for i := 0; i < n; i++ {
			if fa.IsNull(i) {
				bld.AppendNull()
			} else {
				bld.Append(!fa.Value(i))
			}
		}
		return bld.NewArray(), nil
	}
	// state per row: 0 false, 1 true, 2 null
	st := make([]byte, n)
	for i := 0; i < n; i++ {
		switch {
		case fa.IsNull(i):
			st[i] = 2
		case fa.Value(i):
			st[i] = 1
		}
	}
	for _, a := range e.args[1:] {
		col, err := a.Eval(b)
		if err != nil {
			return nil, err
		}
		ca := col.(*array.Boolean)
		for i := 0; i < n; i++ {
			v := byte(0)
			switch {
			case ca.IsNull(i):
				v = 2
			case ca.Value(i):
				v = 1
			}
			if e.op == plan.And {
				switch {
				case st[i] == 0 || v == 0:
					st[i] = 0
				case st[i] == 2 || v == 2:
					st[i] = 2
				default:
					st[i] = 1
				}
			} else {
				switch {
				case st[i] == 1 || v == 1:
					st[i] = 1
				case st[i] == 2 || v == 2:
					st[i] = 2
				default:
					st[i] = 0
				}
			}
		}
		col.Release()
	}
	for _, v := range st {
		if v == 2 {
			bld.AppendNull()
		} else {
			bld.Append(v == 1)
		}
	}
	return bld.NewArray(), nil
}

type isNullEval struct {
	arg    Evaluator
	negate bool
}

func (e *isNullEval) Eval(b vec.Batch) (arrow.Array, error) {
	col, err := e.arg.Eval(b)
	if err != nil {
		return nil, err
	}
	defer col.Release()
	n := col.Len()
	bld := array.NewBooleanBuilder(vec.Alloc)
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		bld.Append(col.IsNull(i) != e.negate)
	}
	return bld.NewArray(), nil
}

// caseEval evaluates each arm only on the rows that reach it.
type caseEval struct {
	t       types.T
	inTypes []types.T
	conds   []Evaluator
	results []Evaluator
	elseEv  Evaluator
}

func (e *caseEval) Eval(b vec.Batch) (arrow.Array, error) {
	n := int(b.NumRows())
	out := make([]types.Datum, n)
	pending := make([]int, n)
	for i := range pending {
		pending[i] = i
	}
	cur := b
	for k, cond := range e.conds {
		if len(pending) == 0 {
			break
		}
		ca, err := cond.Eval(cur)
		if err != nil {
			return nil, err
		}
		ba := ca.(*array.Boolean)
		var hit, miss []int // positions within cur
		var hitRows []int   // original row numbers
		var missRows []int
		for i, row := range pending {
			if !ba.IsNull(i) && ba.Value(i) {
				hit = append(hit, i)
				hitRows = append(hitRows, row)
			} else {
				miss = append(miss, i)
				missRows = append(missRows, row)
			}
		}
		ca.Release()
		if len(hit) > 0 {
			sub := vec.Take(e.inTypes, cur, hit)
			ra, err := e.results[k].Eval(sub)
			if err != nil {
				return nil, err
			}
			for i, row := range hitRows {
				out[row] = vec.Get(e.t, ra, i)
			}
			ra.Release()
		}
		cur = vec.Take(e.inTypes, cur, miss)
		pending = missRows
	}
	if e.elseEv != nil && len(pending) > 0 {
		ra, err := e.elseEv.Eval(cur)
		if err != nil {
			return nil, err
		}
		for i, row := range pending {
			out[row] = vec.Get(e.t, ra, i)
		}
		ra.Release()
	}
	bld := vec.NewBuilder(e.t)
	bld.Reserve(n)
	for _, d := range out {
		if err := vec.Append(bld, e.t, d); err != nil {
			return nil, err
		}
	}
	return bld.NewArray(), nil
}

type coalesceEval struct {
	t       types.T
	inTypes []types.T
	args    []Evaluator
}

func (e *coalesceEval) Eval(b vec.Batch) (arrow.Array, error) {
	n := int(b.NumRows())
	out := make([]types.Datum, n)
	pending := make([]int, n)
	for i := range pending {
		pending[i] = i
	}
	cur := b
	for _, a := range e.args {
		if len(pending) == 0 {
			break
		}
		col, err := a.Eval(cur)
		if err != nil {
			return nil, err
		}
		var miss, missRows []int
		for i, row := range pending {
			if col.IsNull(i) {
				miss = append(miss, i)
				missRows = append(missRows, row)
			} else {
				out[row] = vec.Get(e.t, col, i)
			}
		}
		col.Release()
		if len(miss) < len(pending) {
			cur = vec.Take(e.inTypes, cur, miss)
		}
		pending = missRows
	}
	bld := vec.NewBuilder(e.t)
	bld.Reserve(n)
	for _, d := range out {
		if err := vec.Append(bld, e.t, d); err != nil {
			return nil, err
		}
	}
	return bld.NewArray(), nil
}
