package op

import (
	"context"
	"sort"

	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// Sort buffers its whole input and emits it ordered by Keys (stable).
// TODO(#2): spill to disk beyond a memory budget; top-K under LIMIT.
type Sort struct {
	Input Operator
	Keys  []plan.SortKey
	rows  [][]types.Datum
	pos   int
}

// Open implements Operator.
func (o *Sort) Open(ctx context.Context) error {
	o.rows, o.pos = nil, 0
	if err := o.Input.Open(ctx); err != nil {
		return err
	}
	ts := o.Input.Types()
	for {
		b, err := o.Input.Next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		for i := 0; i < int(b.NumRows()); i++ {
			o.rows = append(o.rows, vec.Row(ts, b, i))
		}
		b.Release()
	}
	sort.SliceStable(o.rows, func(i, j int) bool {
		return compareRows(ts, o.Keys, o.rows[i], o.rows[j]) < 0
	})
	return nil
}

func compareRows(ts []types.T, keys []plan.SortKey, a, b []types.Datum) int {
	for _, k := range keys {
		if c := cmpDatum(ts[k.Col], a[k.Col], b[k.Col], k.Desc, k.NullsFirst); c != 0 {
			return c
		}
	}
	return 0
}

// Types implements Operator.
func (o *Sort) Types() []types.T { return o.Input.Types() }

// Close implements Operator.
func (o *Sort) Close() error { o.rows = nil; return o.Input.Close() }

// Next implements Operator.
func (o *Sort) Next(ctx context.Context) (vec.Batch, error) {
	if o.pos >= len(o.rows) {
		return nil, nil
	}
	end := min(o.pos+vec.BatchSize, len(o.rows))
	b, err := vec.Rows(o.Input.Types(), o.rows[o.pos:end])
	o.pos = end
	return b, err
}

// DistinctOn keeps the first row of each run of input rows with equal
// values in Cols (SELECT DISTINCT ON over sorted input).
type DistinctOn struct {
	Input Operator
	Cols  []int
	prev  []types.Datum
	have  bool
}

// Open implements Operator.
func (o *DistinctOn) Open(ctx context.Context) error {
	o.prev, o.have = nil, false
	return o.Input.Open(ctx)
}

// Types implements Operator.
func (o *DistinctOn) Types() []types.T { return o.Input.Types() }

// Close implements Operator.
func (o *DistinctOn) Close() error { return o.Input.Close() }

// Next implements Operator.
func (o *DistinctOn) Next(ctx context.Context) (vec.Batch, error) {
	ts := o.Input.Types()
	for {
		b, err := o.Input.Next(ctx)
		if err != nil || b == nil {
			return nil, err
		}
		var keep []int
		for i := 0; i < int(b.NumRows()); i++ {
			key := make([]types.Datum, len(o.Cols))
			for j, c := range o.Cols {
				key[j] = vec.Get(ts[c], b.Column(c), i)
			}
			same := o.have
			for j := 0; same && j < len(key); j++ {
				// NULLs are equal here, as in DISTINCT.
				x, y := key[j], o.prev[j]
				same = (x == nil && y == nil) || (x != nil && y != nil && typio.Compare(ts[o.Cols[j]], x, y) == 0)
			}
			if !same {
				keep = append(keep, i)
				o.prev, o.have = key, true
			}
		}
		if len(keep) == 0 {
			b.Release()
			continue
		}
		out := vec.Take(ts, b, keep)
		b.Release()
		return out, nil
	}
}
