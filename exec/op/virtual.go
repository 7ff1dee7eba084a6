package op

import (
	"context"

	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

// VirtualScan produces the rows of a pg_catalog/information_schema table,
// computed when the scan opens.
type VirtualScan struct {
	Table   *vtable.Table
	T       []types.T
	Context func(ctx context.Context) *vtable.Context
	rows    [][]types.Datum
	pos     int
}

// Open implements Operator.
func (o *VirtualScan) Open(ctx context.Context) error {
	rows, err := o.Table.Rows(o.Context(ctx))
	o.rows, o.pos = rows, 0
	return err
}

// Types implements Operator.
func (o *VirtualScan) Types() []types.T { return o.T }

// Close implements Operator.
func (o *VirtualScan) Close() error { o.rows = nil; return nil }

// Next implements Operator.
func (o *VirtualScan) Next(context.Context) (vec.Batch, error) {
	if o.pos >= len(o.rows) {
		return nil, nil
	}
	end := min(o.pos+vec.BatchSize, len(o.rows))
	b, err := vec.Rows(o.T, o.rows[o.pos:end])
	o.pos = end
	return b, err
}
