package funcs

import (
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/aegisdb/aegis/sql/arith"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

// Set-returning functions: generate_series, generate_subscripts, unnest.
// They are Overloads whose Ret is the type of each produced value and
// whose SRF field starts the production; the binder places them in FROM
// (a function scan) or in a select list (PostgreSQL's ProjectSet).

// Iterator produces the rows of one call of a set-returning function.
type Iterator interface {
	// Next returns the next value; ok is false when there are no more.
	Next() (v types.Datum, ok bool, err error)
}

// SRFStart starts a call of a set-returning function on its (non-NULL
// unless NonStrict) arguments.
type SRFStart func(env Env, args []types.Datum) (Iterator, error)

// IsSRF reports whether o is a set-returning function.
func (o *Overload) IsSRF() bool { return o.SRF != nil || o.PolySRF != nil }

// empty is the iterator of no rows.
type empty struct{}

func (empty) Next() (types.Datum, bool, error) { return nil, false, nil }

// sliceIter yields the values of a slice.
type sliceIter struct {
	vals []types.Datum
	pos  int
}

func (it *sliceIter) Next() (types.Datum, bool, error) {
	if it.pos >= len(it.vals) {
		return nil, false, nil
	}
	it.pos++
	return it.vals[it.pos-1], true, nil
}

// funcIter yields the values of a generator function.
type funcIter func() (types.Datum, bool, error)

func (f funcIter) Next() (types.Datum, bool, error) { return f() }

func errStepZero() error {
	return pgerror.New(pgerror.InvalidParameterValue, "step size cannot equal zero")
}

func registerSetReturningFunctions(r *Registry) {
	// generate_series over integers.
	for _, t := range []types.T{types.Int4, types.Int8} {
		t := t
		start := func(_ Env, a []types.Datum) (Iterator, error) {
			cur, stop, step := a[0].(int64), a[1].(int64), int64(1)
			if len(a) > 2 {
				step = a[2].(int64)
			}
			if step == 0 {
				return nil, errStepZero()
			}
			done := false
			return funcIter(func() (types.Datum, bool, error) {
				if done || (step > 0 && cur > stop) || (step < 0 && cur < stop) {
					return nil, false, nil
				}
				v := cur
				next := cur + step
				// Stop instead of wrapping around at the type's limit.
				lo, hi := t.IntRange()
				if (step > 0 && (next < cur || next > hi)) || (step < 0 && (next > cur || next < lo)) {
					done = true
				}
				cur = next
				return v, true, nil
			}), nil
		}
		r.addFn(&Overload{Name: "generate_series", Args: []types.T{t, t}, Ret: t, SRF: start})
		r.addFn(&Overload{Name: "generate_series", Args: []types.T{t, t, t}, Ret: t, SRF: start})
	}
	numStart := func(_ Env, a []types.Datum) (Iterator, error) {
		cur, stop := a[0].(*apd.Decimal), a[1].(*apd.Decimal)
		step := apd.New(1, 0)
		if len(a) > 2 {
			step = a[2].(*apd.Decimal)
		}
		for i, d := range []*apd.Decimal{cur, stop, step} {
			if d.Form == apd.NaN || d.Form == apd.NaNSignaling {
				what := [...]string{"start", "stop", "step size"}[i]
				return nil, pgerror.New(pgerror.InvalidParameterValue, "%s value cannot be NaN", what)
			}
			if d.Form == apd.Infinite {
				what := [...]string{"start", "stop", "step size"}[i]
				return nil, pgerror.New(pgerror.InvalidParameterValue, "%s value cannot be infinity", what)
			}
		}
		if step.IsZero() {
			return nil, errStepZero()
		}
		neg := step.Negative
		return funcIter(func() (types.Datum, bool, error) {
			c := cur.Cmp(stop)
			if (!neg && c > 0) || (neg && c < 0) {
				return nil, false, nil
			}
			v := cur
			next, err := arith.NumericAdd(cur, step)
			if err != nil {
				return nil, false, err
			}
			cur = next
			return v, true, nil
		}), nil
	}
	r.addFn(&Overload{Name: "generate_series", Args: []types.T{types.Numeric, types.Numeric}, Ret: types.Numeric, SRF: numStart})
	r.addFn(&Overload{Name: "generate_series", Args: []types.T{types.Numeric, types.Numeric, types.Numeric}, Ret: types.Numeric, SRF: numStart})
	tsStart := func(tz bool) SRFStart {
		return func(env Env, a []types.Datum) (Iterator, error) {
			cur, stop, step := a[0].(types.DTimestamp), a[1].(types.DTimestamp), a[2].(types.DInterval)
			if step == (types.DInterval{}) {
				return nil, errStepZero()
			}
			var loc *time.Location
			if tz {
				loc = env.Settings().Location
			}
			// The direction of the step decides the comparison, as in
			// PostgreSQL (an interval compares to zero by its span).
			neg := arith.IntervalCompare(step, types.DInterval{}) < 0
			return funcIter(func() (types.Datum, bool, error) {
				if (!neg && cur > stop) || (neg && cur < stop) {
					return nil, false, nil
				}
				v := cur
				next, err := arith.TimestampAddInterval(cur, step, loc)
				if err != nil {
					return nil, false, err
				}
				cur = next
				return v, true, nil
			}), nil
		}
	}
	r.addFn(&Overload{Name: "generate_series", Args: []types.T{types.Timestamp, types.Timestamp, types.Interval}, Ret: types.Timestamp, SRF: tsStart(false)})
	r.addFn(&Overload{Name: "generate_series", Args: []types.T{types.TimestampTZ, types.TimestampTZ, types.Interval}, Ret: types.TimestampTZ, Volatility: Stable, SRF: tsStart(true)})

	// unnest(anyarray): the elements in storage order.
	r.addFn(&Overload{Name: "unnest", Args: []types.T{types.AnyArray}, Ret: types.AnyElement, PolySRF: func([]types.T, types.T) SRFStart {
		return func(_ Env, a []types.Datum) (Iterator, error) {
			return &sliceIter{vals: a[0].(*types.DArray).Elems}, nil
		}
	}})
	// pg_options_to_table(text[]): reloptions-style "name=value" items
	// as (option_name, option_value) rows.
	optNames, optTypes := []string{"option_name", "option_value"}, []types.T{types.Text, types.Text}
	textArr, _ := types.ArrayOf(types.Text)
	r.addFn(&Overload{Name: "pg_options_to_table", Args: []types.T{textArr}, Ret: types.RecordType(optNames, optTypes),
		OutCols: []OutCol{{Name: "option_name", T: types.Text}, {Name: "option_value", T: types.Text}},
		SRF: func(_ Env, a []types.Datum) (Iterator, error) {
			var rows []types.Datum
			for _, e := range a[0].(*types.DArray).Elems {
				s, ok := e.(string)
				if !ok {
					continue
				}
				name, val, found := strings.Cut(s, "=")
				var v types.Datum
				if found {
					v = val
				}
				rows = append(rows, &types.DRecord{Names: optNames, Types: optTypes, Vals: []types.Datum{name, v}})
			}
			return &sliceIter{vals: rows}, nil
		}})
	// information_schema._pg_expandarray(anyarray): rows (x, n) of the
	// elements and their 1-based positions (pgjdbc reads index keys so).
	r.addFn(&Overload{Name: "_pg_expandarray", Args: []types.T{types.AnyArray}, Ret: types.Record,
		PolyOutCols: func(args []types.T) []OutCol {
			return []OutCol{{Name: "x", T: args[0].Elem().WithoutTypmod()}, {Name: "n", T: types.Int4}}
		},
		PolySRF: func(args []types.T, _ types.T) SRFStart {
			names := []string{"x", "n"}
			ts := []types.T{args[0].Elem().WithoutTypmod(), types.Int4}
			return func(_ Env, a []types.Datum) (Iterator, error) {
				arr := a[0].(*types.DArray)
				rows := make([]types.Datum, len(arr.Elems))
				for i, e := range arr.Elems {
					rows[i] = &types.DRecord{Names: names, Types: ts, Vals: []types.Datum{e, int64(i + 1)}}
				}
				return &sliceIter{vals: rows}, nil
			}
		}})
	// generate_subscripts(anyarray, dim [, reverse]).
	subs := func([]types.T, types.T) SRFStart {
		return func(_ Env, a []types.Datum) (Iterator, error) {
			arr, dim := a[0].(*types.DArray), a[1].(int64)
			if dim < 1 || dim > int64(len(arr.Dims)) {
				return empty{}, nil
			}
			d := arr.Dims[dim-1]
			lo, hi := int64(d.Lower), int64(d.Lower)+int64(d.Len)-1
			reverse := len(a) > 2 && a[2].(bool)
			cur, step := lo, int64(1)
			if reverse {
				cur, step = hi, -1
			}
			return funcIter(func() (types.Datum, bool, error) {
				if cur < lo || cur > hi {
					return nil, false, nil
				}
				cur += step
				return cur - step, true, nil
			}), nil
		}
	}
	r.addFn(&Overload{Name: "generate_subscripts", Args: []types.T{types.AnyArray, types.Int4}, Ret: types.Int4, PolySRF: subs})
	r.addFn(&Overload{Name: "generate_subscripts", Args: []types.T{types.AnyArray, types.Int4, types.Bool}, Ret: types.Int4, PolySRF: subs})
}
