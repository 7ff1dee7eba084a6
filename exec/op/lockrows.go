package op

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/aegisdb/aegis/exec/expr"
	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/rowenc"
	"github.com/aegisdb/aegis/sql/types"
)

// LockRows locks the table rows its input yields (SELECT ... FOR UPDATE
// / FOR SHARE) and passes on the rows it locked; see plan.LockRows. It
// locks each input batch with one Txn.LockKeys call, taking no more rows
// than Limit (so LIMIT 1 FOR UPDATE SKIP LOCKED locks one row).
//
// Under READ COMMITTED every locked row is re-read at the snapshot
// LockKeys takes after locking (the newest committed version), Pred is
// re-checked on it and Exprs recompute the output row from it; a row
// deleted or no longer matching is dropped. This is PostgreSQL's
// EvalPlanQual. Under REPEATABLE READ and SERIALIZABLE, LockKeys fails
// with 40001 if a row changed since the snapshot, so rows pass unchanged.
type LockRows struct {
	Input   Operator
	Txn     *kv.Txn
	Table   *catalog.Descriptor
	KeyCols []int
	Mode    kv.LockMode
	Wait    kv.WaitPolicy
	Pred    expr.Evaluator   // over the table's columns; nil = true
	Exprs   []expr.Evaluator // over the table's columns -> T
	Limit   int64            // rows to lock at most; < 0 = all
	T       []types.T

	locked  int64
	pending vec.Batch
	pos     int
}

// Open implements Operator.
func (o *LockRows) Open(ctx context.Context) error {
	o.locked, o.pending, o.pos = 0, nil, 0
	return o.Input.Open(ctx)
}

// Types implements Operator.
func (o *LockRows) Types() []types.T { return o.T }

// Close implements Operator.
func (o *LockRows) Close() error {
	if o.pending != nil {
		o.pending.Release()
		o.pending = nil
	}
	return o.Input.Close()
}

// Next implements Operator.
func (o *LockRows) Next(ctx context.Context) (vec.Batch, error) {
	for {
		if o.Limit >= 0 && o.locked >= o.Limit {
			return nil, nil
		}
		if o.pending == nil || o.pos >= int(o.pending.NumRows()) {
			if o.pending != nil {
				o.pending.Release()
				o.pending = nil
			}
			b, err := o.Input.Next(ctx)
			if err != nil || b == nil {
				return nil, err
			}
			o.pending, o.pos = b, 0
		}
		from := o.pos
		to := int(o.pending.NumRows())
		if o.Limit >= 0 {
			to = min(to, from+int(o.Limit-o.locked))
		}
		o.pos = to
		out, err := o.lock(ctx, o.pending, from, to)
		if err != nil {
			return nil, err
		}
		if out == nil {
			continue
		}
		o.locked += out.NumRows()
		return out, nil
	}
}

// lock locks rows [from, to) of b and returns the output rows (nil if
// none).
func (o *LockRows) lock(ctx context.Context, b vec.Batch, from, to int) (vec.Batch, error) {
	keys := make([][]byte, 0, to-from)
	for i := from; i < to; i++ {
		k, err := o.rowKey(b, i)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	got, err := o.Txn.LockKeys(ctx, keys, o.Mode, o.Wait)
	if err != nil {
		return nil, lockError(err, o.Table.Name)
	}
	locked := make(map[string]bool, len(got))
	for _, k := range got {
		locked[string(k)] = true
	}
	if o.Txn.IsolationLevel() != kv.ReadCommitted {
		var idx []int
		for i, k := range keys {
			if locked[string(k)] {
				idx = append(idx, from+i)
			}
		}
		if len(idx) == 0 {
			return nil, nil
		}
		return vec.Take(o.T, b, idx), nil
	}
	var rows [][]types.Datum
	for _, k := range keys {
		if !locked[string(k)] {
			continue
		}
		v, found, err := o.Txn.Get(ctx, k)
		if err != nil {
			return nil, err
		}
		if !found {
			continue // deleted by a transaction that committed meanwhile
		}
		row, err := decodeRow(o.Table, v)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return recheck(o.Table, rows, o.Pred, o.Exprs, o.T)
}

// rowKey encodes the primary key of row i of b.
func (o *LockRows) rowKey(b vec.Batch, i int) ([]byte, error) {
	k := rowenc.IndexPrefix(o.Table.ID, 1)
	for j, id := range o.Table.Table.PrimaryKey {
		c, _, _ := o.Table.Table.ColumnByID(id)
		var err error
		col := o.KeyCols[j]
		if k, err = rowenc.EncodeKeyValue(k, c.Type, vec.Get(c.Type, b.Column(col), i)); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// lockError gives a NOWAIT failure PostgreSQL's message, which names the
// relation.
func lockError(err error, table string) error {
	var ln *kv.LockNotAvailableError
	if errors.As(err, &ln) && !ln.Timeout {
		e := pgerror.Wrap(err, pgerror.LockNotAvailable)
		e.Message = fmt.Sprintf("could not obtain lock on row in relation %q", table)
		return e
	}
	return err
}

// decodeRow decodes a stored row value into the table's columns, in
// descriptor order.
func decodeRow(desc *catalog.Descriptor, value []byte) ([]types.Datum, error) {
	cols := desc.Table.Columns
	row := make([]types.Datum, len(cols))
	typeOf := func(id uint32) (types.T, bool) {
		c, _, ok := desc.Table.ColumnByID(id)
		if !ok {
			return types.T{}, false
		}
		return c.Type, true
	}
	err := rowenc.DecodeValue(value, typeOf, func(id uint32, d types.Datum) error {
		if _, i, ok := desc.Table.ColumnByID(id); ok {
			row[i] = d
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("table %s: %w", desc.Name, err)
	}
	return row, nil
}

// recheck is the re-check of rows re-read after locking: it keeps the
// rows (table columns) that satisfy pred (nil = all) and computes exprs
// over them, returning a batch of types out, or nil if no row is left.
func recheck(desc *catalog.Descriptor, rows [][]types.Datum, pred expr.Evaluator, exprs []expr.Evaluator, out []types.T) (vec.Batch, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	tblT := tableTypes(desc)
	b, err := vec.Rows(tblT, rows)
	if err != nil {
		return nil, err
	}
	defer b.Release()
	if pred != nil {
		res, err := pred.Eval(b)
		if err != nil {
			return nil, err
		}
		mask := res.(*array.Boolean)
		var idx []int
		for i := 0; i < mask.Len(); i++ {
			if !mask.IsNull(i) && mask.Value(i) {
				idx = append(idx, i)
			}
		}
		res.Release()
		if len(idx) == 0 {
			return nil, nil
		}
		if len(idx) < len(rows) {
			nb := vec.Take(tblT, b, idx)
			defer nb.Release()
			b = nb
		}
	}
	n := int(b.NumRows())
	cols := make([]arrow.Array, len(exprs))
	for j, ev := range exprs {
		a, err := ev.Eval(b)
		if err != nil {
			for _, c := range cols[:j] {
				c.Release()
			}
			return nil, err
		}
		cols[j] = a
	}
	return vec.FromArrays(out, cols, n), nil
}

func tableTypes(desc *catalog.Descriptor) []types.T {
	ts := make([]types.T, len(desc.Table.Columns))
	for i, c := range desc.Table.Columns {
		ts[i] = c.Type
	}
	return ts
}
