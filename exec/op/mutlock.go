package op

import (
	"bytes"
	"context"
	"slices"

	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

// lockChunk is how many rows a mutation locks with one request.
const lockChunk = vec.BatchSize

// lockTargets locks the rows an UPDATE or DELETE is about to write and,
// under READ COMMITTED, replaces each row changed by a transaction that
// committed since the statement's snapshot by its re-checked newest
// version (dropping it if it is gone or no longer matches). rows are
// input rows (types inT); the result keeps their order.
func (o *Mutate) lockTargets(ctx context.Context, rows [][]types.Datum, inT []types.T) ([][]types.Datum, error) {
	ncols := len(o.Table.Table.Columns)
	rc := o.Txn.IsolationLevel() == kv.ReadCommitted
	out := rows[:0:0]
	for start := 0; start < len(rows); start += lockChunk {
		chunk := rows[start:min(start+lockChunk, len(rows))]
		keys := make([][]byte, len(chunk))
		for i, r := range chunk {
			k, err := o.key(r[:ncols])
			if err != nil {
				return nil, err
			}
			keys[i] = k
		}
		if _, err := o.Txn.LockKeys(ctx, keys, o.rowLockMode(), kv.WaitBlock); err != nil {
			return nil, err
		}
		if !rc {
			// LockKeys failed with 40001 if any row changed.
			out = append(out, chunk...)
			continue
		}
		for i, r := range chunk {
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			cur, found, err := o.Txn.Get(ctx, keys[i])
			if err != nil {
				return nil, err
			}
			if !found {
				continue // deleted meanwhile
			}
			old, err := o.value(r[:ncols])
			if err != nil {
				return nil, err
			}
			if bytes.Equal(cur, old) {
				out = append(out, r)
				continue
			}
			nr, ok, err := o.recheckRow(cur, inT)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, nr)
			}
		}
	}
	return out, nil
}

// rowLockMode is the lock an UPDATE or DELETE takes on its rows, as in
// PostgreSQL: FOR UPDATE for a DELETE and for an UPDATE that sets a key
// column (one of the primary key or of a unique index), FOR NO KEY UPDATE
// for other UPDATEs, which SELECT ... FOR KEY SHARE does not block.
func (o *Mutate) rowLockMode() kv.LockMode {
	if o.Kind != MutUpdate {
		return kv.LockUpdate
	}
	t := o.Table.Table
	isKey := func(id uint32) bool {
		if slices.Contains(t.PrimaryKey, id) {
			return true
		}
		for _, ix := range t.Indexes {
			if ix.Unique && slices.Contains(ix.Columns, id) {
				return true
			}
		}
		return false
	}
	for _, c := range o.SetCols {
		if isKey(t.Columns[c].ID) {
			return kv.LockUpdate
		}
	}
	return kv.LockNoKeyUpdate
}

// recheckRow recomputes an input row from a row's newest stored value,
// reporting false if the row no longer satisfies the WHERE clause.
func (o *Mutate) recheckRow(value []byte, inT []types.T) ([]types.Datum, bool, error) {
	row, err := decodeRow(o.Table, value)
	if err != nil {
		return nil, false, err
	}
	if len(o.RecheckExprs) == 0 {
		// No way to recompute (an internal caller): be safe.
		return nil, false, pgerror.New(pgerror.SerializationFailure, "could not serialize access due to concurrent update")
	}
	b, err := recheck(o.Table, [][]types.Datum{row}, o.RecheckPred, o.RecheckExprs, inT)
	if err != nil || b == nil {
		return nil, false, err
	}
	defer b.Release()
	return vec.Row(inT, b, 0), true, nil
}

// lockNew locks the keys an INSERT is about to create: each row's
// primary key and its unique-index keys (see kv.Txn.LockForInsert).
func (o *Mutate) lockNew(ctx context.Context, rows [][]types.Datum) error {
	var keys [][]byte
	flush := func() error {
		if len(keys) == 0 {
			return nil
		}
		err := o.Txn.LockForInsert(ctx, keys)
		keys = keys[:0]
		return err
	}
	for _, r := range rows {
		k, err := o.key(r)
		if err != nil {
			return err
		}
		keys = append(keys, k)
		for _, ix := range o.Table.Table.Indexes {
			if !ix.Unique {
				continue
			}
			ik, _, _, err := o.indexEntry(ix, r)
			if err != nil {
				return err
			}
			keys = append(keys, ik)
		}
		if len(keys) >= lockChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
