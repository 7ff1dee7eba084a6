package op

import (
	"bytes"
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

// LockRows locks, for each input row, the rows of the target tables it
// was made from (SELECT ... FOR UPDATE / FOR SHARE) and passes on the
// rows whose locks it got; see plan.LockRows. It locks each input batch
// with one Txn.LockKeys call per target, taking no more rows than Limit
// (so LIMIT 1 FOR UPDATE SKIP LOCKED locks one row).
//
// The input carries the FROM row as hidden columns from FromStart on.
// Under READ COMMITTED every locked row is re-read at the snapshot
// LockKeys takes after locking (the newest committed version); an output
// row one of whose rows was deleted meanwhile is dropped, and one whose
// rows changed is recomputed by Recheck from the FROM row with the newest
// versions substituted (dropped if it no longer qualifies). This is
// PostgreSQL's EvalPlanQual. Under REPEATABLE READ and SERIALIZABLE,
// LockKeys fails with 40001 if a row changed since the snapshot, so rows
// pass unchanged.
type LockRows struct {
	Input     Operator
	Txn       *kv.Txn
	Targets   []LockTarget
	FromStart int
	Recheck   Operator // reads Slot
	Slot      *EPQSlot
	Limit     int64 // rows to lock at most; < 0 = all
	T         []types.T

	locked  int64
	pending vec.Batch
	pos     int
}

// LockTarget is a table whose rows LockRows locks.
type LockTarget struct {
	Table *catalog.Descriptor
	Start int // position of its first column in the FROM row
	Mode  kv.LockMode
	Wait  kv.WaitPolicy
}

// EPQSlot holds the FROM row a re-check plan's EPQRow leaves read.
type EPQSlot struct {
	Row []types.Datum
}

// EPQRow yields one row: columns [Start, Start+len(T)) of Slot.Row.
type EPQRow struct {
	Slot  *EPQSlot
	Start int
	T     []types.T
	done  bool
}

// Open implements Operator.
func (o *EPQRow) Open(context.Context) error { o.done = false; return nil }

// Types implements Operator.
func (o *EPQRow) Types() []types.T { return o.T }

// Close implements Operator.
func (o *EPQRow) Close() error { return nil }

// Next implements Operator.
func (o *EPQRow) Next(context.Context) (vec.Batch, error) {
	if o.done {
		return nil, nil
	}
	o.done = true
	return vec.Rows(o.T, [][]types.Datum{o.Slot.Row[o.Start : o.Start+len(o.T)]})
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

// lock locks the rows behind input rows [from, to) of b and returns the
// output rows (nil if none).
func (o *LockRows) lock(ctx context.Context, b vec.Batch, from, to int) (vec.Batch, error) {
	n := to - from
	keys := make([][][]byte, len(o.Targets)) // per target, per row
	ok := make([]bool, n)                    // every row of the output row locked
	for i := range ok {
		ok[i] = true
	}
	for ti, t := range o.Targets {
		keys[ti] = make([][]byte, n)
		for i := range n {
			k, err := o.rowKey(t, b, from+i)
			if err != nil {
				return nil, err
			}
			keys[ti][i] = k
		}
		got, err := o.Txn.LockKeys(ctx, keys[ti], t.Mode, t.Wait)
		if err != nil {
			return nil, lockError(err, t.Table.Name)
		}
		if len(got) < len(keys[ti]) { // SKIP LOCKED left some out
			locked := make(map[string]bool, len(got))
			for _, k := range got {
				locked[string(k)] = true
			}
			for i, k := range keys[ti] {
				if !locked[string(k)] {
					ok[i] = false
				}
			}
		}
	}
	if o.Txn.IsolationLevel() != kv.ReadCommitted {
		var idx []int
		for i := range n {
			if ok[i] {
				idx = append(idx, from+i)
			}
		}
		if len(idx) == 0 {
			return nil, nil
		}
		return vec.Take(o.T, b, idx), nil
	}
	var rows [][]types.Datum
	for i := range n {
		if !ok[i] {
			continue
		}
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		row := vec.Row(o.T, b, from+i)
		out, err := o.reread(ctx, row, keys, i)
		if err != nil {
			return nil, err
		}
		rows = append(rows, out...)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return vec.Rows(o.T, rows)
}

// reread re-reads the newest versions of the locked rows behind output
// row row (the i-th of keys) and returns the output rows it yields now:
// itself if none changed, none if one was deleted, else Recheck's.
func (o *LockRows) reread(ctx context.Context, row []types.Datum, keys [][][]byte, i int) ([][]types.Datum, error) {
	fromRow := row[o.FromStart:]
	var changed []types.Datum
	for ti, t := range o.Targets {
		cur, found, err := o.Txn.Get(ctx, keys[ti][i])
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, nil // deleted by a transaction that committed meanwhile
		}
		ncols := len(t.Table.Table.Columns)
		old, err := encodeRow(t.Table, fromRow[t.Start:t.Start+ncols])
		if err != nil {
			return nil, err
		}
		if bytes.Equal(cur, old) {
			continue
		}
		nr, err := decodeRow(t.Table, cur)
		if err != nil {
			return nil, err
		}
		if changed == nil {
			changed = append([]types.Datum(nil), fromRow...)
		}
		copy(changed[t.Start:], nr)
	}
	if changed == nil {
		return [][]types.Datum{row}, nil
	}
	o.Slot.Row = changed
	var out [][]types.Datum
	ts := o.Recheck.Types()
	err := Run(ctx, o.Recheck, func(b vec.Batch) error {
		for j := 0; j < int(b.NumRows()); j++ {
			out = append(out, vec.Row(ts, b, j))
		}
		return nil
	})
	return out, err
}

// Run opens o, passes each batch it yields to fn (which must not keep
// it) and closes o.
func Run(ctx context.Context, o Operator, fn func(vec.Batch) error) error {
	if err := o.Open(ctx); err != nil {
		o.Close()
		return err
	}
	defer o.Close()
	for {
		b, err := o.Next(ctx)
		if err != nil || b == nil {
			return err
		}
		err = fn(b)
		b.Release()
		if err != nil {
			return err
		}
	}
}

// rowKey encodes the primary key of target t's row in input row i of b.
func (o *LockRows) rowKey(t LockTarget, b vec.Batch, i int) ([]byte, error) {
	k := rowenc.IndexPrefix(t.Table.ID, 1)
	for _, id := range t.Table.Table.PrimaryKey {
		c, idx, _ := t.Table.Table.ColumnByID(id)
		var err error
		col := o.FromStart + t.Start + idx
		if k, err = rowenc.EncodeKeyValue(k, c.Type, vec.Get(c.Type, b.Column(col), i)); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// encodeRow encodes a table row as stored (see decodeRow).
func encodeRow(desc *catalog.Descriptor, row []types.Datum) ([]byte, error) {
	var v []byte
	for i, c := range desc.Table.Columns {
		var err error
		if v, err = rowenc.EncodeValue(v, c.ID, c.Type, row[i]); err != nil {
			return nil, err
		}
	}
	return v, nil
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
