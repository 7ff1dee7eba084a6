package op

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/aegisdb/aegis/exec/expr"
	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/sql/types"
)

// Operator produces batches.
type Operator interface {
	Open(ctx context.Context) error
	Next(ctx context.Context) (vec.Batch, error)
	Close() error
	// Types returns the column types of the batches it produces.
	Types() []types.T
}

// RowCounter is implemented by mutation operators: the rows they wrote
// (the count in INSERT 0 n / UPDATE n / DELETE n).
type RowCounter interface {
	RowsAffected() int64
}

// Values emits fixed rows computed by evaluators over a one-row batch.
type Values struct {
	T    []types.T
	Rows [][]expr.Evaluator
	done bool
}

// Open implements Operator.
func (o *Values) Open(context.Context) error { o.done = false; return nil }

// Types implements Operator.
func (o *Values) Types() []types.T { return o.T }

// Close implements Operator.
func (o *Values) Close() error { return nil }

// oneRow is a batch with one row and no columns: the input of constant
// expressions.
var oneRow = vec.FromArrays(nil, nil, 1)

// Next implements Operator.
func (o *Values) Next(ctx context.Context) (vec.Batch, error) {
	if o.done {
		return nil, nil
	}
	o.done = true
	bs := make([]arrowBuilder, len(o.T))
	for i, t := range o.T {
		bs[i] = vec.NewBuilder(t)
	}
	for _, row := range o.Rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for c, ev := range row {
			a, err := ev.Eval(oneRow)
			if err != nil {
				return nil, err
			}
			vec.AppendFrom(bs[c], o.T[c], a, 0)
			a.Release()
		}
	}
	return vec.NewBatch(o.T, bs, len(o.Rows)), nil
}

// Filter keeps rows whose predicate is true.
type Filter struct {
	Input Operator
	Pred  expr.Evaluator
}

// Open implements Operator.
func (o *Filter) Open(ctx context.Context) error { return o.Input.Open(ctx) }

// Types implements Operator.
func (o *Filter) Types() []types.T { return o.Input.Types() }

// Close implements Operator.
func (o *Filter) Close() error { return o.Input.Close() }

// Next implements Operator.
func (o *Filter) Next(ctx context.Context) (vec.Batch, error) {
	for {
		b, err := o.Input.Next(ctx)
		if b == nil || err != nil {
			return nil, err
		}
		mask, err := o.Pred.Eval(b)
		if err != nil {
			return nil, err
		}
		sel := selection(mask)
		mask.Release()
		n := int(b.NumRows())
		switch len(sel) {
		case 0:
			b.Release()
			continue
		case n:
			return b, nil
		}
		out := vec.Take(o.Input.Types(), b, sel)
		b.Release()
		return out, nil
	}
}

// Project computes expressions over each input batch.
type Project struct {
	Input Operator
	Exprs []expr.Evaluator
	T     []types.T
}

// Open implements Operator.
func (o *Project) Open(ctx context.Context) error { return o.Input.Open(ctx) }

// Types implements Operator.
func (o *Project) Types() []types.T { return o.T }

// Close implements Operator.
func (o *Project) Close() error { return o.Input.Close() }

// Next implements Operator.
func (o *Project) Next(ctx context.Context) (vec.Batch, error) {
	b, err := o.Input.Next(ctx)
	if b == nil || err != nil {
		return nil, err
	}
	defer b.Release()
	cols := make([]arrow.Array, len(o.Exprs))
	for i, e := range o.Exprs {
		if cols[i], err = e.Eval(b); err != nil {
			return nil, err
		}
	}
	return vec.FromArrays(o.T, cols, int(b.NumRows())), nil
}

// Limit skips Offset rows and then passes at most Count (-1 = all).
type Limit struct {
	Input         Operator
	Count, Offset int64
	seen, emitted int64
}

// Open implements Operator.
func (o *Limit) Open(ctx context.Context) error {
	o.seen, o.emitted = 0, 0
	return o.Input.Open(ctx)
}

// Types implements Operator.
func (o *Limit) Types() []types.T { return o.Input.Types() }

// Close implements Operator.
func (o *Limit) Close() error { return o.Input.Close() }

// Next implements Operator.
func (o *Limit) Next(ctx context.Context) (vec.Batch, error) {
	for {
		if o.Count >= 0 && o.emitted >= o.Count {
			return nil, nil
		}
		b, err := o.Input.Next(ctx)
		if b == nil || err != nil {
			return nil, err
		}
		n := b.NumRows()
		from := int64(0)
		if o.seen < o.Offset {
			from = min(o.Offset-o.seen, n)
		}
		o.seen += n
		to := n
		if o.Count >= 0 && to-from > o.Count-o.emitted {
			to = from + o.Count - o.emitted
		}
		if from >= to {
			b.Release()
			continue
		}
		o.emitted += to - from
		if from == 0 && to == n {
			return b, nil
		}
		out := vec.Slice(b, int(from), int(to))
		b.Release()
		return out, nil
	}
}
