package op

import (
	"context"
	"github.com/aegisdb/aegis/sql/jsonb"
	"slices"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/aegisdb/aegis/exec/expr"
	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/sql/arith"
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/rowenc"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// AggSpec is one aggregate to compute.
type AggSpec struct {
	Agg      *funcs.Aggregate
	Arg      expr.Evaluator // nil for count(*)
	ArgT     types.T
	Delim    string
	Distinct bool
	// Order sorts the rows the aggregate sees; Filter drops the rows it
	// is not true for.
	Order  []AggOrderKey
	Filter expr.Evaluator
}

// AggOrderKey is one ORDER BY key of an aggregate call.
type AggOrderKey struct {
	Eval       expr.Evaluator
	T          types.T
	Desc       bool
	NullsFirst bool
}

// HashAgg groups its input by key columns and computes aggregates. Output:
// the keys, then one column per aggregate. Groups come out in the order
// they were first seen.
// TODO(#2): spill large group sets; vectorized accumulators.
type HashAgg struct {
	Input  Operator
	Keys   []expr.Evaluator
	KeyT   []types.T
	Aggs   []AggSpec
	OutT   []types.T
	groups map[string]*group
	order  []*group
	pos    int
	scalar bool // no GROUP BY: exactly one output row
}

type group struct {
	key  []types.Datum
	accs []accumulator
}

// Open implements Operator.
func (o *HashAgg) Open(ctx context.Context) error {
	o.groups, o.order, o.pos = map[string]*group{}, nil, 0
	o.scalar = len(o.Keys) == 0
	if err := o.Input.Open(ctx); err != nil {
		return err
	}
	var kb []byte
	for {
		b, err := o.Input.Next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		n := int(b.NumRows())
		keyCols := make([][]types.Datum, len(o.Keys))
		for k, ev := range o.Keys {
			a, err := ev.Eval(b)
			if err != nil {
				return err
			}
			keyCols[k] = make([]types.Datum, n)
			for i := 0; i < n; i++ {
				keyCols[k][i] = vec.Get(o.KeyT[k], a, i)
			}
			a.Release()
		}
		argCols := make([][]types.Datum, len(o.Aggs))
		keep := make([][]bool, len(o.Aggs))               // FILTER results
		orderCols := make([][][]types.Datum, len(o.Aggs)) // per agg, per key
		for j, spec := range o.Aggs {
			if spec.Filter != nil {
				if keep[j], err = evalFilter(spec.Filter, b); err != nil {
					return err
				}
			}
			for _, k := range spec.Order {
				col, err := evalDatums(k.Eval, k.T, b)
				if err != nil {
					return err
				}
				orderCols[j] = append(orderCols[j], col)
			}
			if spec.Arg == nil {
				continue
			}
			if argCols[j], err = evalDatums(spec.Arg, spec.ArgT, b); err != nil {
				return err
			}
		}
		for i := 0; i < n; i++ {
			kb = kb[:0]
			for k := range o.Keys {
				kb = groupKey(kb, o.KeyT[k], keyCols[k][i])
			}
			g := o.groups[string(kb)]
			if g == nil {
				g = o.newGroup()
				g.key = make([]types.Datum, len(o.Keys))
				for k := range o.Keys {
					g.key[k] = keyCols[k][i]
				}
				o.groups[string(kb)] = g
				o.order = append(o.order, g)
			}
			for j, spec := range o.Aggs {
				if keep[j] != nil && !keep[j][i] {
					continue
				}
				var v types.Datum
				if spec.Arg != nil {
					v = argCols[j][i]
					if v == nil && !spec.Agg.KeepNulls {
						continue // aggregates skip NULL inputs
					}
				}
				if oa, ok := g.accs[j].(*orderedAcc); ok {
					keys := make([]types.Datum, len(orderCols[j]))
					for k := range keys {
						keys[k] = orderCols[j][k][i]
					}
					oa.rows = append(oa.rows, orderedRow{v: v, keys: keys})
					continue
				}
				if err := g.accs[j].add(v); err != nil {
					return err
				}
			}
		}
		b.Release()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if o.scalar && len(o.order) == 0 {
		o.order = append(o.order, o.newGroup())
	}
	return nil
}

func (o *HashAgg) newGroup() *group {
	g := &group{accs: make([]accumulator, len(o.Aggs))}
	for j, spec := range o.Aggs {
		g.accs[j] = newAccumulator(spec)
	}
	return g
}

// groupKey appends a canonical encoding of d: equal values (1.0 and 1.00,
// 0 and -0) encode equally.
func groupKey(b []byte, t types.T, d types.Datum) []byte {
	if d == nil {
		return append(b, 0)
	}
	b = append(b, 1)
	switch v := d.(type) {
	case *apd.Decimal:
		r := new(apd.Decimal)
		r.Reduce(v)
		s := r.Text('e')
		b = append(b, s...)
		return append(b, 0)
	case float64:
		if v == 0 {
			v = 0
		}
		b = typio.AppendText(b, types.Float8, v, nil)
		return append(b, 0)
	case *types.DArray, jsonb.Value:
		// The key encoding orders (and so equates) arrays and jsonb
		// values as btree does.
		if k, err := rowenc.EncodeKeyValue(b, t, v); err == nil {
			return append(k, 0xfe)
		}
	}
	b = typio.AppendText(b, t, d, nil)
	return append(b, 0, 0xff)
}

// Types implements Operator.
func (o *HashAgg) Types() []types.T { return o.OutT }

// Close implements Operator.
func (o *HashAgg) Close() error { o.groups, o.order = nil, nil; return o.Input.Close() }

// Next implements Operator.
func (o *HashAgg) Next(ctx context.Context) (vec.Batch, error) {
	if o.pos >= len(o.order) {
		return nil, nil
	}
	end := min(o.pos+vec.BatchSize, len(o.order))
	rows := make([][]types.Datum, 0, end-o.pos)
	for _, g := range o.order[o.pos:end] {
		row := append([]types.Datum(nil), g.key...)
		for _, a := range g.accs {
			v, err := a.result()
			if err != nil {
				return nil, err
			}
			row = append(row, v)
		}
		rows = append(rows, row)
	}
	o.pos = end
	return vec.Rows(o.OutT, rows)
}

type accumulator interface {
	add(v types.Datum) error
	result() (types.Datum, error)
}

func newAccumulator(spec AggSpec) accumulator {
	var a accumulator
	switch spec.Agg.Name {
	case "count":
		a = &countAcc{}
	case "sum":
		a = &sumAcc{argT: spec.ArgT, ret: spec.Agg.Ret}
	case "avg":
		a = &sumAcc{argT: spec.ArgT, ret: spec.Agg.Ret, avg: true}
	case "min":
		a = &minMaxAcc{t: spec.ArgT, want: -1}
	case "max":
		a = &minMaxAcc{t: spec.ArgT, want: 1}
	case "bool_and", "every":
		a = &boolAcc{and: true}
	case "bool_or":
		a = &boolAcc{}
	case "string_agg":
		a = &stringAggAcc{delim: spec.Delim}
	case "array_agg":
		a = &arrayAggAcc{nested: spec.ArgT.IsArray()}
	case "json_object_agg", "jsonb_object_agg":
		a = &jsonObjectAggAcc{funcs.JSONObjectAgg{B: spec.Agg.Name == "jsonb_object_agg"}}
	case "json_agg", "jsonb_agg":
		a = &jsonAggAcc{funcs.JSONAgg{T: spec.ArgT, B: spec.Agg.Name == "jsonb_agg"}}
	default:
		a = &countAcc{}
	}
	if spec.Distinct {
		a = &distinctAcc{inner: a, t: spec.ArgT, seen: map[string]bool{}}
	}
	if len(spec.Order) > 0 {
		return &orderedAcc{inner: a, order: spec.Order}
	}
	return a
}

// orderedAcc collects an aggregate's rows with their ORDER BY keys and
// feeds them to the inner accumulator sorted (stable, so equal keys keep
// input order).
type orderedAcc struct {
	inner accumulator
	order []AggOrderKey
	rows  []orderedRow
}

type orderedRow struct {
	v    types.Datum
	keys []types.Datum
}

func (a *orderedAcc) add(v types.Datum) error {
	a.rows = append(a.rows, orderedRow{v: v})
	return nil
}

func (a *orderedAcc) result() (types.Datum, error) {
	slices.SortStableFunc(a.rows, func(x, y orderedRow) int {
		for k, o := range a.order {
			if c := cmpDatum(o.T, x.keys[k], y.keys[k], o.Desc, o.NullsFirst); c != 0 {
				return c
			}
		}
		return 0
	})
	for _, r := range a.rows {
		if err := a.inner.add(r.v); err != nil {
			return nil, err
		}
	}
	a.rows = nil
	return a.inner.result()
}

// evalDatums evaluates ev over b and returns its values as Datums.
func evalDatums(ev expr.Evaluator, t types.T, b vec.Batch) ([]types.Datum, error) {
	a, err := ev.Eval(b)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	n := int(b.NumRows())
	out := make([]types.Datum, n)
	for i := range n {
		out[i] = vec.Get(t, a, i)
	}
	return out, nil
}

// evalFilter evaluates a FILTER condition over b: true rows are kept.
func evalFilter(ev expr.Evaluator, b vec.Batch) ([]bool, error) {
	vals, err := evalDatums(ev, types.Bool, b)
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(vals))
	for i, v := range vals {
		out[i] = v == true
	}
	return out, nil
}

type countAcc struct{ n int64 }

func (a *countAcc) add(types.Datum) error        { a.n++; return nil }
func (a *countAcc) result() (types.Datum, error) { return a.n, nil }

// sumAcc implements sum and avg for every numeric type and interval.
type sumAcc struct {
	argT, ret types.T
	avg       bool
	n         int64
	i         int64 // int2/int4 sums fit int64 until n is astronomically large
	d         *apd.Decimal
	f         float64
	iv        types.DInterval
}

func (a *sumAcc) add(v types.Datum) error {
	a.n++
	switch a.argT.Oid {
	case types.OidInt2, types.OidInt4:
		a.i += v.(int64)
	case types.OidInt8:
		if a.d == nil {
			a.d = new(apd.Decimal)
		}
		var err error
		a.d, err = arith.NumericAdd(a.d, arith.IntToNumeric(v.(int64)))
		return err
	case types.OidNumeric:
		if a.d == nil {
			a.d = new(apd.Decimal)
		}
		var err error
		a.d, err = arith.NumericAdd(a.d, v.(*apd.Decimal))
		return err
	case types.OidFloat4, types.OidFloat8:
		a.f += v.(float64)
	case types.OidInterval:
		var err error
		a.iv, err = arith.IntervalAdd(a.iv, v.(types.DInterval))
		return err
	}
	return nil
}

func (a *sumAcc) result() (types.Datum, error) {
	if a.n == 0 {
		return nil, nil
	}
	switch a.argT.Oid {
	case types.OidInt2, types.OidInt4:
		if a.avg {
			return arith.NumericAvg(arith.IntToNumeric(a.i), a.n)
		}
		return a.i, nil
	case types.OidInt8, types.OidNumeric:
		if a.avg {
			return arith.NumericAvg(a.d, a.n)
		}
		return a.d, nil
	case types.OidFloat4, types.OidFloat8:
		if a.avg {
			return a.f / float64(a.n), nil
		}
		if a.ret.Oid == types.OidFloat4 {
			return float64(float32(a.f)), nil
		}
		return a.f, nil
	case types.OidInterval:
		if a.avg {
			return arith.IntervalDivFloat(a.iv, float64(a.n))
		}
		return a.iv, nil
	}
	return nil, pgerror.AssertionFailed("sum over %s", a.argT)
}

type minMaxAcc struct {
	t    types.T
	want int
	v    types.Datum
}

func (a *minMaxAcc) add(v types.Datum) error {
	if a.v == nil || typio.Compare(a.t, v, a.v) == a.want {
		a.v = v
	}
	return nil
}
func (a *minMaxAcc) result() (types.Datum, error) { return a.v, nil }

type boolAcc struct {
	and, seen, v bool
}

func (a *boolAcc) add(v types.Datum) error {
	b := v.(bool)
	if !a.seen {
		a.seen, a.v = true, b
		return nil
	}
	if a.and {
		a.v = a.v && b
	} else {
		a.v = a.v || b
	}
	return nil
}

func (a *boolAcc) result() (types.Datum, error) {
	if !a.seen {
		return nil, nil
	}
	return a.v, nil
}

type stringAggAcc struct {
	delim string
	seen  bool
	b     strings.Builder
}

func (a *stringAggAcc) add(v types.Datum) error {
	if a.seen {
		a.b.WriteString(a.delim)
	}
	a.seen = true
	a.b.WriteString(v.(string))
	return nil
}

func (a *stringAggAcc) result() (types.Datum, error) {
	if !a.seen {
		return nil, nil
	}
	return a.b.String(), nil
}

// arrayAggAcc is array_agg: the inputs, NULLs included, as an array; of
// arrays, an array of one more dimension.
type arrayAggAcc struct {
	nested bool
	elems  []types.Datum
}

func (a *arrayAggAcc) add(v types.Datum) error {
	if a.nested && v == nil {
		return pgerror.New(pgerror.NullValueNotAllowed, "cannot accumulate null arrays")
	}
	a.elems = append(a.elems, v)
	return nil
}

func (a *arrayAggAcc) result() (types.Datum, error) {
	if len(a.elems) == 0 {
		return nil, nil
	}
	if !a.nested {
		return types.NewArray1(a.elems), nil
	}
	var dims []types.ArrayDim
	var elems []types.Datum
	for i, v := range a.elems {
		sub := v.(*types.DArray)
		if len(sub.Dims) == 0 {
			return nil, pgerror.New(pgerror.ArraySubscriptError, "cannot accumulate empty arrays")
		}
		if i == 0 {
			dims = sub.Dims
		} else if !sameArrayDims(dims, sub.Dims) {
			return nil, pgerror.New(pgerror.ArraySubscriptError, "cannot accumulate arrays of different dimensionality")
		}
		elems = append(elems, sub.Elems...)
	}
	if len(dims)+1 > types.MaxArrayDims {
		return nil, pgerror.New(pgerror.ProgramLimitExceeded, "number of array dimensions (%d) exceeds the maximum allowed (%d)", len(dims)+1, types.MaxArrayDims)
	}
	return &types.DArray{Dims: append([]types.ArrayDim{{Len: int32(len(a.elems)), Lower: 1}}, dims...), Elems: elems}, nil
}

func sameArrayDims(a, b []types.ArrayDim) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Len != b[i].Len {
			return false
		}
	}
	return true
}

type distinctAcc struct {
	inner accumulator
	t     types.T
	seen  map[string]bool
}

func (a *distinctAcc) add(v types.Datum) error {
	k := string(groupKey(nil, a.t, v))
	if a.seen[k] {
		return nil
	}
	a.seen[k] = true
	return a.inner.add(v)
}

func (a *distinctAcc) result() (types.Datum, error) { return a.inner.result() }

// jsonAggAcc is json_agg and jsonb_agg.
type jsonAggAcc struct{ agg funcs.JSONAgg }

func (a *jsonAggAcc) add(v types.Datum) error { return a.agg.Add(v, nil) }

func (a *jsonAggAcc) result() (types.Datum, error) { return a.agg.Result(), nil }

// jsonObjectAggAcc is json_object_agg and jsonb_object_agg.
type jsonObjectAggAcc struct{ agg funcs.JSONObjectAgg }

func (a *jsonObjectAggAcc) add(v types.Datum) error { return a.agg.Add(v, nil) }

func (a *jsonObjectAggAcc) result() (types.Datum, error) { return a.agg.Result(), nil }
