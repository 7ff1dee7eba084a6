package op

import (
	"context"

	"github.com/aegisdb/aegis/exec/expr"
	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/types"
)

// SRFCall is one function call of a FuncScan or ProjectSet: a
// set-returning function, or a scalar one (which yields one value).
type SRFCall struct {
	Fn   *funcs.Overload
	Args []expr.Evaluator
	ArgT []types.T
	// Expand is the number of columns a row-returning call's records
	// are spread into (0: the call yields one value).
	Expand int
}

// ExpandRows makes the row-returning calls among calls yield one column
// per field (FROM items).
func ExpandRows(calls []SRFCall) {
	for i := range calls {
		calls[i].Expand = len(calls[i].Fn.OutCols)
	}
}

// start begins the call on argument values.
func (c *SRFCall) start(env funcs.Env, args []types.Datum) (funcs.Iterator, error) {
	if !c.Fn.NonStrict {
		for _, a := range args {
			if a == nil {
				if c.Fn.IsSRF() {
					return noRows{}, nil // a strict SRF of NULL yields no rows
				}
				return &singleValue{}, nil
			}
		}
	}
	if c.Fn.IsSRF() {
		return c.Fn.SRF(env, args)
	}
	v, err := c.Fn.Fn(env, args)
	if err != nil {
		return nil, err
	}
	return &singleValue{v: v}, nil
}

type noRows struct{}

func (noRows) Next() (types.Datum, bool, error) { return nil, false, nil }

// singleValue yields v once (a scalar function in FROM).
type singleValue struct {
	v    types.Datum
	done bool
}

func (r *singleValue) Next() (types.Datum, bool, error) {
	if r.done {
		return nil, false, nil
	}
	r.done = true
	return r.v, true, nil
}

// zipped steps several iterators side by side.
type zipped struct {
	iters  []funcs.Iterator
	done   []bool
	expand []int // per call: SRFCall.Expand
	width  int   // values per row
}

// next returns the next row of values (NULL for an exhausted iterator);
// ok is false once every iterator is exhausted.
func (z *zipped) next() ([]types.Datum, bool, error) {
	vals := make([]types.Datum, z.width)
	any := false
	col := 0
	for i, it := range z.iters {
		at := col
		col += max(z.expand[i], 1)
		if z.done[i] {
			continue
		}
		v, ok, err := it.Next()
		if err != nil {
			return nil, false, err
		}
		if !ok {
			z.done[i] = true
			continue
		}
		any = true
		if z.expand[i] == 0 {
			vals[at] = v
		} else if r, isRec := v.(*types.DRecord); isRec {
			copy(vals[at:at+z.expand[i]], r.Vals)
		}
	}
	return vals, any, nil
}

// startAll starts every call on its arguments (row i of argCols).
func startAll(env funcs.Env, calls []SRFCall, argCols [][][]types.Datum, i int) (*zipped, error) {
	z := &zipped{iters: make([]funcs.Iterator, len(calls)), done: make([]bool, len(calls)), expand: make([]int, len(calls))}
	for c := range calls {
		z.expand[c] = calls[c].Expand
		z.width += max(calls[c].Expand, 1)
		args := make([]types.Datum, len(argCols[c]))
		for a := range args {
			args[a] = argCols[c][a][i]
		}
		it, err := calls[c].start(env, args)
		if err != nil {
			return nil, err
		}
		z.iters[c] = it
	}
	return z, nil
}

// evalArgs evaluates every call's arguments over b.
func evalArgs(calls []SRFCall, b vec.Batch) ([][][]types.Datum, error) {
	out := make([][][]types.Datum, len(calls))
	for c, call := range calls {
		out[c] = make([][]types.Datum, len(call.Args))
		for a, ev := range call.Args {
			col, err := evalDatums(ev, call.ArgT[a], b)
			if err != nil {
				return nil, err
			}
			out[c][a] = col
		}
	}
	return out, nil
}

// FuncScan produces the rows of function calls in FROM, zipped, with an
// optional ordinality column; see plan.FuncScan.
type FuncScan struct {
	Calls      []SRFCall
	Ordinality bool
	T          []types.T
	Env        funcs.Env

	z   *zipped
	n   int64
	eof bool
}

// Open implements Operator: it evaluates the arguments and starts the
// calls.
func (o *FuncScan) Open(context.Context) error {
	o.n, o.eof = 0, false
	one, err := vec.Rows(nil, [][]types.Datum{{}})
	if err != nil {
		return err
	}
	defer one.Release()
	argCols, err := evalArgs(o.Calls, one)
	if err != nil {
		return err
	}
	o.z, err = startAll(o.Env, o.Calls, argCols, 0)
	return err
}

// Types implements Operator.
func (o *FuncScan) Types() []types.T { return o.T }

// Close implements Operator.
func (o *FuncScan) Close() error { o.z = nil; return nil }

// Next implements Operator.
func (o *FuncScan) Next(ctx context.Context) (vec.Batch, error) {
	if o.eof || o.z == nil {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var rows [][]types.Datum
	for len(rows) < vec.BatchSize {
		vals, ok, err := o.z.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			o.eof = true
			break
		}
		o.n++
		if o.Ordinality {
			vals = append(vals, o.n)
		}
		rows = append(rows, vals)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return vec.Rows(o.T, rows)
}

// ProjectSet evaluates set-returning calls of a select list for each
// input row; see plan.ProjectSet.
type ProjectSet struct {
	Input      Operator
	Calls      []SRFCall
	Ordinality bool
	InT        []types.T
	T          []types.T
	Env        funcs.Env

	batch   vec.Batch
	argCols [][][]types.Datum
	row     int // current input row of batch
	z       *zipped
	inRow   []types.Datum
	n       int64 // rows produced for inRow
}

// Open implements Operator.
func (o *ProjectSet) Open(ctx context.Context) error {
	o.release()
	return o.Input.Open(ctx)
}

func (o *ProjectSet) release() {
	if o.batch != nil {
		o.batch.Release()
		o.batch = nil
	}
	o.z, o.argCols = nil, nil
}

// Types implements Operator.
func (o *ProjectSet) Types() []types.T { return o.T }

// Close implements Operator.
func (o *ProjectSet) Close() error {
	o.release()
	return o.Input.Close()
}

// Next implements Operator.
func (o *ProjectSet) Next(ctx context.Context) (vec.Batch, error) {
	var rows [][]types.Datum
	for len(rows) < vec.BatchSize {
		if o.z == nil {
			// Start the calls on the next input row.
			if o.batch == nil || o.row >= int(o.batch.NumRows()) {
				if o.batch != nil {
					o.batch.Release()
					o.batch = nil
				}
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				b, err := o.Input.Next(ctx)
				if err != nil {
					return nil, err
				}
				if b == nil {
					break
				}
				o.batch, o.row = b, 0
				if o.argCols, err = evalArgs(o.Calls, b); err != nil {
					return nil, err
				}
				continue
			}
			z, err := startAll(o.Env, o.Calls, o.argCols, o.row)
			if err != nil {
				return nil, err
			}
			o.z, o.inRow, o.n = z, vec.Row(o.InT, o.batch, o.row), 0
			o.row++
		}
		vals, ok, err := o.z.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			o.z = nil
			continue
		}
		row := append(append([]types.Datum(nil), o.inRow...), vals...)
		if o.Ordinality {
			o.n++
			row = append(row, o.n)
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return vec.Rows(o.T, rows)
}
