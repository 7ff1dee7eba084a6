package op

import (
	"context"

	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/sql/types"
)

// WorkTable holds the rows of a recursive CTE's previous round.
type WorkTable struct {
	rows [][]types.Datum
}

// WorkTableScan reads the working table.
type WorkTableScan struct {
	Table *WorkTable
	T     []types.T
	pos   int
}

// Open implements Operator.
func (o *WorkTableScan) Open(context.Context) error { o.pos = 0; return nil }

// Types implements Operator.
func (o *WorkTableScan) Types() []types.T { return o.T }

// Close implements Operator.
func (o *WorkTableScan) Close() error { return nil }

// Next implements Operator.
func (o *WorkTableScan) Next(context.Context) (vec.Batch, error) {
	if o.pos >= len(o.Table.rows) {
		return nil, nil
	}
	end := min(o.pos+vec.BatchSize, len(o.Table.rows))
	b, err := vec.Rows(o.T, o.Table.rows[o.pos:end])
	o.pos = end
	return b, err
}

// RecursiveUnion evaluates WITH RECURSIVE: it emits Init's rows, then
// reruns Recur over the previous round's rows (through Table) until a
// round adds nothing. Without All, rows already produced are dropped.
type RecursiveUnion struct {
	Init, Recur Operator
	Table       *WorkTable
	All         bool
	T           []types.T

	seen  map[string]bool
	out   [][]types.Datum
	pos   int
	done  bool
	first bool
}

// Open implements Operator.
func (o *RecursiveUnion) Open(ctx context.Context) error {
	o.seen, o.out, o.pos, o.done = map[string]bool{}, nil, 0, false
	if err := o.Init.Open(ctx); err != nil {
		return err
	}
	var round [][]types.Datum
	err := drain(ctx, o.Init, func(r []types.Datum) { round = o.keep(round, r) })
	_ = o.Init.Close()
	if err != nil {
		return err
	}
	o.out = round
	o.Table.rows = round
	return nil
}

func (o *RecursiveUnion) keep(dst [][]types.Datum, r []types.Datum) [][]types.Datum {
	if !o.All {
		var b []byte
		for c, t := range o.T {
			b = groupKey(b, t, r[c])
		}
		if o.seen[string(b)] {
			return dst
		}
		o.seen[string(b)] = true
	}
	return append(dst, r)
}

// Types implements Operator.
func (o *RecursiveUnion) Types() []types.T { return o.T }

// Close implements Operator.
func (o *RecursiveUnion) Close() error { o.out = nil; return nil }

// Next implements Operator.
func (o *RecursiveUnion) Next(ctx context.Context) (vec.Batch, error) {
	for o.pos >= len(o.out) {
		if o.done || len(o.Table.rows) == 0 {
			return nil, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := o.Recur.Open(ctx); err != nil {
			return nil, err
		}
		var round [][]types.Datum
		err := drain(ctx, o.Recur, func(r []types.Datum) { round = o.keep(round, r) })
		_ = o.Recur.Close()
		if err != nil {
			return nil, err
		}
		o.out, o.pos = round, 0
		o.Table.rows = round
		if len(round) == 0 {
			o.done = true
		}
	}
	end := min(o.pos+vec.BatchSize, len(o.out))
	b, err := vec.Rows(o.T, o.out[o.pos:end])
	o.pos = end
	return b, err
}

// WithDML runs data-modifying WITH statements once, in order, filling
// their working tables with their RETURNING rows, then the main query.
type WithDML struct {
	CTEs   []Operator
	Tables []*WorkTable
	Main   Operator
}

// Open implements Operator.
func (o *WithDML) Open(ctx context.Context) error {
	for i, c := range o.CTEs {
		var rows [][]types.Datum
		if err := c.Open(ctx); err != nil {
			_ = c.Close()
			return err
		}
		err := drain(ctx, c, func(r []types.Datum) { rows = append(rows, r) })
		if cerr := c.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		o.Tables[i].rows = rows
	}
	return o.Main.Open(ctx)
}

// Next implements Operator.
func (o *WithDML) Next(ctx context.Context) (vec.Batch, error) { return o.Main.Next(ctx) }

// Types implements Operator.
func (o *WithDML) Types() []types.T { return o.Main.Types() }

// Close implements Operator.
func (o *WithDML) Close() error { return o.Main.Close() }

// RowsAffected reports the main statement's count (for its command
// tag), or -1 when it is a query (its rows are counted as sent).
func (o *WithDML) RowsAffected() int64 {
	if rc, ok := o.Main.(RowCounter); ok {
		return rc.RowsAffected()
	}
	return -1
}
