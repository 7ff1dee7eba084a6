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
)

// Outer is the row of an enclosing query that correlated subqueries
// read; Parent is the row of the query around that one.
type Outer struct {
	Row    []types.Datum
	Parent *Outer
}

// SubqueryRunner runs a nested query and returns its rows.
type SubqueryRunner interface {
	Run(ctx context.Context) ([][]types.Datum, error)
}

// SubqueryBuilder prepares a runner for a subquery plan whose OuterRefs
// of depth 1 read outer.Row (and deeper ones outer.Parent...).
type SubqueryBuilder func(n plan.Node, outer *Outer) (SubqueryRunner, error)

type outerEval struct {
	ref   *plan.OuterRef
	outer *Outer
}

func (e *outerEval) Eval(b vec.Batch) (arrow.Array, error) {
	o := e.outer
	for d := 1; d < e.ref.Depth && o != nil; d++ {
		o = o.Parent
	}
	if o == nil || e.ref.Idx >= len(o.Row) {
		return nil, pgerror.AssertionFailed("outer reference %s has no row", e.ref)
	}
	c := constEval{t: e.ref.T, v: o.Row[e.ref.Idx]}
	return c.Eval(b)
}

type subqueryEval struct {
	sq      *plan.Subquery
	run     SubqueryRunner
	inner   *Outer // the holder the subquery's OuterRefs read
	inTypes []types.T
	ctx     context.Context
	left    Evaluator
	test    Evaluator
	// cached result of an uncorrelated subquery
	cached [][]types.Datum
	have   bool
}

func (e *subqueryEval) rows() ([][]types.Datum, error) {
	if e.have && !e.sq.Correlated {
		return e.cached, nil
	}
	rows, err := e.run.Run(e.ctx)
	if err != nil {
		return nil, err
	}
	e.cached, e.have = rows, true
	return rows, nil
}

func (e *subqueryEval) Eval(b vec.Batch) (arrow.Array, error) {
	n := int(b.NumRows())
	var leftCol arrow.Array
	if e.left != nil {
		var err error
		if leftCol, err = e.left.Eval(b); err != nil {
			return nil, err
		}
		defer leftCol.Release()
	}
	bld := vec.NewBuilder(e.sq.T)
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		if e.sq.Correlated {
			e.inner.Row = vec.Row(e.inTypes, b, i)
		}
		rows, err := e.rows()
		if err != nil {
			return nil, err
		}
		var d types.Datum
		switch e.sq.Kind {
		case plan.ExistsSubquery:
			d = len(rows) > 0
		case plan.ArraySubquery:
			elems := make([]types.Datum, len(rows))
			for j, r := range rows {
				elems[j] = r[0]
			}
			if d, err = funcs.ArrayConstructor(e.sq.Plan.Columns()[0].T, len(elems)).Fn(nil, elems); err != nil {
				return nil, err
			}
		case plan.ScalarSubquery:
			if len(rows) > 1 {
				return nil, pgerror.New(pgerror.CardinalityViolation, "more than one row returned by a subquery used as an expression")
			}
			if len(rows) == 1 {
				d = rows[0][0]
			}
		default:
			lv := vec.Get(e.sq.Left.Type(), leftCol, i)
			if d, err = e.quantified(lv, rows); err != nil {
				return nil, err
			}
		}
		if err := vec.Append(bld, e.sq.T, d); err != nil {
			return nil, err
		}
	}
	return bld.NewArray(), nil
}

// quantified evaluates left op ANY/ALL (rows) with SQL's NULL rules.
func (e *subqueryEval) quantified(left types.Datum, rows [][]types.Datum) (types.Datum, error) {
	any := e.sq.Kind == plan.AnySubquery
	if len(rows) == 0 {
		return !any, nil
	}
	pairT := []types.T{e.sq.Left.Type(), e.sq.Plan.Columns()[0].T}
	pairs := make([][]types.Datum, len(rows))
	for i, r := range rows {
		pairs[i] = []types.Datum{left, r[0]}
	}
	batch, err := vec.Rows(pairT, pairs)
	if err != nil {
		return nil, err
	}
	res, err := e.test.Eval(batch)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	ba := res.(*array.Boolean)
	sawNull := false
	for i := 0; i < ba.Len(); i++ {
		switch {
		case ba.IsNull(i):
			sawNull = true
		case ba.Value(i) && any:
			return true, nil
		case !ba.Value(i) && !any:
			return false, nil
		}
	}
	if sawNull {
		return nil, nil
	}
	return !any, nil
}
