package op

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/aegisdb/aegis/exec/expr"
	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// Join joins its left input with its right input, which it buffers (the
// build side), hashing on equality keys when there are any. The ON
// predicate is evaluated vectorized over batches of candidate pairs.
// Output: left columns then right columns.
// TODO(#2): spill the build side; choose the smaller side to build.
type Join struct {
	Kind        plan.JoinKind
	Left, Right Operator
	On          expr.Evaluator // nil = true
	EqLeft      []int
	EqRight     []int
	T           []types.T

	right        [][]types.Datum
	rightMatched []bool
	table        map[string][]int
	out          [][]types.Datum
	leftDone     bool
	emittedRight bool
	keyBuf       []byte
}

// Open implements Operator: it builds the right side.
func (o *Join) Open(ctx context.Context) error {
	o.right, o.out, o.leftDone, o.emittedRight = nil, nil, false, false
	if err := o.Right.Open(ctx); err != nil {
		return err
	}
	rt := o.Right.Types()
	for {
		b, err := o.Right.Next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		for i := 0; i < int(b.NumRows()); i++ {
			o.right = append(o.right, vec.Row(rt, b, i))
		}
		b.Release()
	}
	if err := o.Right.Close(); err != nil {
		return err
	}
	o.rightMatched = make([]bool, len(o.right))
	o.table = nil
	if len(o.EqRight) > 0 {
		o.table = map[string][]int{}
		for i, r := range o.right {
			k, ok := o.key(r, o.EqRight, rt)
			if ok {
				o.table[k] = append(o.table[k], i)
			}
		}
	}
	return o.Left.Open(ctx)
}

// key encodes the equality key of a row; ok is false when a key column is
// NULL (which never matches).
func (o *Join) key(row []types.Datum, cols []int, ts []types.T) (string, bool) {
	o.keyBuf = o.keyBuf[:0]
	for _, c := range cols {
		if row[c] == nil {
			return "", false
		}
		o.keyBuf = groupKey(o.keyBuf, ts[c], row[c])
	}
	return string(o.keyBuf), true
}

// Types implements Operator.
func (o *Join) Types() []types.T {
	if o.Kind == plan.SemiJoin || o.Kind == plan.AntiJoin {
		return o.Left.Types()
	}
	return o.T
}

// Close implements Operator.
func (o *Join) Close() error { o.right, o.out = nil, nil; return o.Left.Close() }

// Next implements Operator.
func (o *Join) Next(ctx context.Context) (vec.Batch, error) {
	for len(o.out) < vec.BatchSize {
		if o.leftDone {
			if (o.Kind == plan.RightJoin || o.Kind == plan.FullJoin) && !o.emittedRight {
				o.emittedRight = true
				nl := len(o.Left.Types())
				for i, r := range o.right {
					if !o.rightMatched[i] {
						row := make([]types.Datum, nl, nl+len(r))
						o.out = append(o.out, append(row, r...))
					}
				}
			}
			break
		}
		b, err := o.Left.Next(ctx)
		if err != nil {
			return nil, err
		}
		if b == nil {
			o.leftDone = true
			continue
		}
		err = o.probe(b)
		b.Release()
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	if len(o.out) == 0 {
		return nil, nil
	}
	n := min(len(o.out), vec.BatchSize)
	bt, err := vec.Rows(o.Types(), o.out[:n])
	o.out = o.out[n:]
	return bt, err
}

// probe joins one left batch.
func (o *Join) probe(b vec.Batch) error {
	lt, rt := o.Left.Types(), o.Right.Types()
	var cand []int
	for i := 0; i < int(b.NumRows()); i++ {
		left := vec.Row(lt, b, i)
		cand = cand[:0]
		if o.table != nil {
			if k, ok := o.key(left, o.EqLeft, lt); ok {
				cand = append(cand, o.table[k]...)
			}
		} else {
			for j := range o.right {
				cand = append(cand, j)
			}
		}
		matches := cand
		if o.On != nil && len(cand) > 0 {
			pairs := make([][]types.Datum, len(cand))
			for k, j := range cand {
				pairs[k] = append(append(make([]types.Datum, 0, len(o.T)), left...), o.right[j]...)
			}
			pb, err := vec.Rows(o.T, pairs)
			if err != nil {
				return err
			}
			mask, err := o.On.Eval(pb)
			pb.Release()
			if err != nil {
				return err
			}
			m := mask.(*array.Boolean)
			matches = matches[:0:0]
			for k, j := range cand {
				if !m.IsNull(k) && m.Value(k) {
					matches = append(matches, j)
				}
			}
			mask.Release()
		}
		switch o.Kind {
		case plan.SemiJoin:
			if len(matches) > 0 {
				o.out = append(o.out, left)
			}
			continue
		case plan.AntiJoin:
			if len(matches) == 0 {
				o.out = append(o.out, left)
			}
			continue
		}
		for _, j := range matches {
			o.rightMatched[j] = true
			o.out = append(o.out, append(append(make([]types.Datum, 0, len(o.T)), left...), o.right[j]...))
		}
		if len(matches) == 0 && (o.Kind == plan.LeftJoin || o.Kind == plan.FullJoin) {
			o.out = append(o.out, append(append(make([]types.Datum, 0, len(o.T)), left...), make([]types.Datum, len(rt))...))
		}
	}
	return nil
}

// SetOp implements UNION/INTERSECT/EXCEPT [ALL] by counting rows per
// distinct value.
type SetOp struct {
	Op          plan.SetOpKind
	All         bool
	Left, Right Operator
	T           []types.T
	out         [][]types.Datum
	pos         int
	// union streaming state
	streamRight bool
	seen        map[string]bool
}

// Types implements Operator.
func (o *SetOp) Types() []types.T { return o.T }

// Close implements Operator.
func (o *SetOp) Close() error {
	o.out = nil
	err := o.Left.Close()
	if e := o.Right.Close(); err == nil {
		err = e
	}
	return err
}

func (o *SetOp) rowKey(r []types.Datum) string {
	var b []byte
	for c, t := range o.T {
		b = groupKey(b, t, r[c])
	}
	return string(b)
}

func drain(ctx context.Context, op Operator, fn func([]types.Datum)) error {
	ts := op.Types()
	for {
		b, err := op.Next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			return nil
		}
		for i := 0; i < int(b.NumRows()); i++ {
			fn(vec.Row(ts, b, i))
		}
		b.Release()
	}
}

// Open implements Operator.
func (o *SetOp) Open(ctx context.Context) error {
	o.out, o.pos, o.streamRight, o.seen = nil, 0, false, nil
	if err := o.Left.Open(ctx); err != nil {
		return err
	}
	if err := o.Right.Open(ctx); err != nil {
		return err
	}
	if o.Op == plan.Union {
		if !o.All {
			o.seen = map[string]bool{}
		}
		return nil
	}
	type entry struct {
		row         []types.Datum
		left, right int
	}
	counts := map[string]*entry{}
	var order []*entry
	if err := drain(ctx, o.Left, func(r []types.Datum) {
		k := o.rowKey(r)
		e := counts[k]
		if e == nil {
			e = &entry{row: r}
			counts[k] = e
			order = append(order, e)
		}
		e.left++
	}); err != nil {
		return err
	}
	if err := drain(ctx, o.Right, func(r []types.Datum) {
		if e := counts[o.rowKey(r)]; e != nil {
			e.right++
		}
	}); err != nil {
		return err
	}
	for _, e := range order {
		n := 0
		switch {
		case o.Op == plan.Intersect && o.All:
			n = min(e.left, e.right)
		case o.Op == plan.Intersect:
			if e.right > 0 {
				n = 1
			}
		case o.All:
			n = max(e.left-e.right, 0)
		default:
			if e.right == 0 {
				n = 1
			}
		}
		for i := 0; i < n; i++ {
			o.out = append(o.out, e.row)
		}
	}
	return nil
}

// Next implements Operator.
func (o *SetOp) Next(ctx context.Context) (vec.Batch, error) {
	if o.Op != plan.Union {
		if o.pos >= len(o.out) {
			return nil, nil
		}
		end := min(o.pos+vec.BatchSize, len(o.out))
		b, err := vec.Rows(o.T, o.out[o.pos:end])
		o.pos = end
		return b, err
	}
	for {
		src := o.Left
		if o.streamRight {
			src = o.Right
		}
		b, err := src.Next(ctx)
		if err != nil {
			return nil, err
		}
		if b == nil {
			if o.streamRight {
				return nil, nil
			}
			o.streamRight = true
			continue
		}
		if o.seen == nil {
			return b, nil
		}
		var keep []int
		for i := 0; i < int(b.NumRows()); i++ {
			k := o.rowKey(vec.Row(o.T, b, i))
			if !o.seen[k] {
				o.seen[k] = true
				keep = append(keep, i)
			}
		}
		if len(keep) == 0 {
			b.Release()
			continue
		}
		out := vec.Take(o.T, b, keep)
		b.Release()
		return out, nil
	}
}

// Apply runs Right once per Left row (a LATERAL subquery): Holder.Row is
// set to the Left row before Right is reopened, and Right's outer
// references read it. Kind is InnerJoin or LeftJoin; On filters the
// combined rows.
type Apply struct {
	Kind   plan.JoinKind
	Left   Operator
	Right  Operator
	Holder *expr.Outer
	On     expr.Evaluator
	T      []types.T

	batch vec.Batch
	row   int
}

// Open implements Operator.
func (o *Apply) Open(ctx context.Context) error {
	o.release()
	return o.Left.Open(ctx)
}

func (o *Apply) release() {
	if o.batch != nil {
		o.batch.Release()
		o.batch = nil
	}
}

// Types implements Operator.
func (o *Apply) Types() []types.T { return o.T }

// Close implements Operator.
func (o *Apply) Close() error {
	o.release()
	return o.Left.Close()
}

// Next implements Operator.
func (o *Apply) Next(ctx context.Context) (vec.Batch, error) {
	leftT := o.Left.Types()
	for {
		if o.batch == nil || o.row >= int(o.batch.NumRows()) {
			o.release()
			b, err := o.Left.Next(ctx)
			if err != nil || b == nil {
				return nil, err
			}
			o.batch, o.row = b, 0
		}
		var out [][]types.Datum
		for o.row < int(o.batch.NumRows()) && len(out) < vec.BatchSize {
			left := vec.Row(leftT, o.batch, o.row)
			o.row++
			rows, err := o.runRight(ctx, left)
			if err != nil {
				return nil, err
			}
			if o.Kind == plan.LeftJoin && len(rows) == 0 {
				rows = [][]types.Datum{append(left, make([]types.Datum, len(o.T)-len(left))...)}
			}
			out = append(out, rows...)
		}
		if len(out) > 0 {
			return vec.Rows(o.T, out)
		}
	}
}

// runRight returns the combined rows of one Left row that pass On.
func (o *Apply) runRight(ctx context.Context, left []types.Datum) ([][]types.Datum, error) {
	o.Holder.Row = left
	if err := o.Right.Open(ctx); err != nil {
		_ = o.Right.Close()
		return nil, err
	}
	defer o.Right.Close()
	rightT := o.Right.Types()
	var rows [][]types.Datum
	for {
		b, err := o.Right.Next(ctx)
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
		for i := 0; i < int(b.NumRows()); i++ {
			rows = append(rows, append(append([]types.Datum(nil), left...), vec.Row(rightT, b, i)...))
		}
		b.Release()
	}
	if o.On == nil || len(rows) == 0 {
		return rows, nil
	}
	b, err := vec.Rows(o.T, rows)
	if err != nil {
		return nil, err
	}
	defer b.Release()
	res, err := o.On.Eval(b)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	mask := res.(*array.Boolean)
	kept := rows[:0]
	for i, r := range rows {
		if !mask.IsNull(i) && mask.Value(i) {
			kept = append(kept, r)
		}
	}
	return kept, nil
}
