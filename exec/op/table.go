package op

import (
	"bytes"
	"context"
	"fmt"
	"github.com/aegisdb/aegis/internal/encoding"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/aegisdb/aegis/exec/expr"
	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/rowenc"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// Scan reads every row of a table through a transaction, decoding row
// values straight into Arrow builders.
type Scan struct {
	Txn   *kv.Txn
	Table *catalog.Descriptor
	T     []types.T
	// Prefix, when set, limits the scan to primary keys starting with it
	// (rowenc-encoded leading key values).
	Prefix []byte
	// Empty makes the scan produce nothing (a key value was NULL).
	Empty bool
	// Index, when set, is a secondary index whose every column Prefix
	// fixes: the scan reads its entries and fetches each row by primary
	// key.
	Index *catalog.Index
	// GINTerms, with Index a GIN index, are the terms whose rows the
	// scan reads: the rows holding all of them (GINAll) or any.
	GINTerms [][]byte
	GINAll   bool
	// Ranged scans read the keys in [Lo, Hi) of the index (the rows, or
	// a secondary index's entries whose primary key follows one encoded
	// key value).
	Ranged bool
	Lo, Hi []byte
	it     kv.Iterator
	pos    map[uint32]int
	start  []byte   // the scanned prefix
	pks    [][]byte // GIN: the matching rows' primary keys, in order
}

// Open implements Operator.
func (o *Scan) Open(ctx context.Context) error {
	if o.Empty {
		o.it = nil
		return nil
	}
	o.pos = map[uint32]int{}
	for i, c := range o.Table.Table.Columns {
		o.pos[c.ID] = i
	}
	if o.Index != nil && len(o.GINTerms) > 0 {
		return o.openGIN(ctx)
	}
	if o.Ranged {
		o.start = nil
		o.it = o.Txn.NewIterator(ctx, o.Lo, o.Hi)
		return nil
	}
	start := rowenc.IndexPrefix(o.Table.ID, 1)
	if o.Index != nil {
		start = rowenc.IndexPrefix(o.Table.ID, o.Index.ID)
	}
	if o.Prefix != nil {
		start = append(start, o.Prefix...)
	}
	o.start = start
	o.it = o.Txn.NewIterator(ctx, start, rowenc.PrefixEnd(start))
	return nil
}

// openGIN collects the primary keys of the rows holding the GIN terms.
func (o *Scan) openGIN(ctx context.Context) error {
	counts := map[string]int{}
	prefix := rowenc.IndexPrefix(o.Table.ID, o.Index.ID)
	for _, term := range o.GINTerms {
		start := append(append([]byte(nil), prefix...), term...)
		it := o.Txn.NewIterator(ctx, start, rowenc.PrefixEnd(start))
		for it.Next() {
			counts[string(it.Key()[len(start):])]++
		}
		err := it.Err()
		it.Close()
		if err != nil {
			return err
		}
	}
	o.pks = o.pks[:0]
	for pk, n := range counts {
		if !o.GINAll || n == len(o.GINTerms) {
			o.pks = append(o.pks, []byte(pk))
		}
	}
	slices.SortFunc(o.pks, bytes.Compare)
	o.it = nil
	return nil
}

// nextValue returns the next row value of the scan.
func (o *Scan) nextValue(ctx context.Context) ([]byte, bool, error) {
	var pk []byte
	switch {
	case o.pks != nil:
		if len(o.pks) == 0 {
			return nil, false, nil
		}
		pk, o.pks = o.pks[0], o.pks[1:]
	case o.it == nil || !o.it.Next():
		if o.it != nil {
			return nil, false, o.it.Err()
		}
		return nil, false, nil
	case o.Index == nil:
		return o.it.Value(), true, nil
	default:
		// An index entry: its primary key is the value (unique index)
		// or the key's suffix.
		pk = o.it.Value()
		if len(pk) == 0 {
			if o.Ranged {
				// index prefix, the key values, then the primary key
				rest := o.it.Key()[9:]
				for range o.Index.Columns {
					var err error
					if rest, err = encoding.SkipValue(rest); err != nil {
						return nil, false, fmt.Errorf("table %s: index %s: %w", o.Table.Name, o.Index.Name, err)
					}
				}
				pk = rest
			} else {
				pk = o.it.Key()[len(o.start):]
			}
		}
	}
	v, found, err := o.Txn.Get(ctx, append(rowenc.IndexPrefix(o.Table.ID, 1), pk...))
	if err != nil {
		return nil, false, err
	}
	if !found {
		return nil, false, fmt.Errorf("table %s: index %s entry without a row", o.Table.Name, o.Index.Name)
	}
	return v, true, nil
}

// Types implements Operator.
func (o *Scan) Types() []types.T { return o.T }

// Close implements Operator.
func (o *Scan) Close() error {
	if o.it != nil {
		o.it.Close()
		o.it = nil
	}
	o.pks = nil
	return nil
}

// Next implements Operator.
func (o *Scan) Next(ctx context.Context) (vec.Batch, error) {
	if o.it == nil && o.pks == nil {
		return nil, nil
	}
	cols := o.Table.Table.Columns
	bs := make([]array.Builder, len(cols))
	for i, c := range cols {
		bs[i] = vec.NewBuilder(c.Type)
	}
	row := make([]types.Datum, len(cols))
	n := 0
	typeOf := func(id uint32) (types.T, bool) {
		i, ok := o.pos[id]
		if !ok {
			return types.T{}, false
		}
		return cols[i].Type, true
	}
	for n < vec.BatchSize {
		value, ok, err := o.nextValue(ctx)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		clear(row)
		err = rowenc.DecodeValue(value, typeOf, func(id uint32, d types.Datum) error {
			row[o.pos[id]] = d
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", o.Table.Name, err)
		}
		for i, c := range cols {
			if err := vec.Append(bs[i], c.Type, row[i]); err != nil {
				return nil, err
			}
		}
		n++
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	if n == 0 {
		return nil, nil
	}
	return vec.NewBatch(o.T, bs, n), nil
}

// Check is a compiled CHECK constraint over the table's columns.
type Check struct {
	Name string
	Eval expr.Evaluator
}

// Mutation kinds.
const (
	MutInsert = iota
	MutUpdate
	MutDelete
)

// Mutate writes rows into a table: INSERT (input = full new rows),
// UPDATE (input = old row followed by the new values of SetCols) or
// DELETE (input = old rows). It drains its input before writing so a
// statement never sees its own writes (no Halloween problem).
// With Returning it emits the RETURNING rows; otherwise nothing.
//
// Concurrency, as in PostgreSQL:
//
//   - UPDATE and DELETE lock every target row (exclusive, waiting) before
//     writing it. Under READ COMMITTED a row that a concurrent transaction
//     changed since the statement's snapshot is re-read at its newest
//     version, the WHERE clause is re-checked on it (RecheckPred) and the
//     input row recomputed from it (RecheckExprs); a row deleted or no
//     longer matching is skipped. Under REPEATABLE READ and SERIALIZABLE
//     such a row fails the statement with 40001.
//   - INSERT (and an UPDATE that moves a row to a new primary key or
//     unique value) locks the keys it is about to create
//     (kv.Txn.LockForInsert) before checking that they are free, against
//     the newest committed version: a duplicate of an uncommitted insert
//     waits for that transaction, then fails with 23505 if it committed.
type Mutate struct {
	Kind      int
	Txn       *kv.Txn
	Table     *catalog.Descriptor
	Input     Operator
	SetCols   []int
	Returning []expr.Evaluator
	RetT      []types.T
	Settings  *typio.Settings
	Checks    []Check
	// IndexEvals computes the keys of the table's expression indexes.
	IndexEvals map[uint32]IndexEval
	// Generated computes the table's generated columns from the other
	// columns of a new row (nil entries: ordinary columns).
	Generated []expr.Evaluator

	// RecheckPred (nil = true) and RecheckExprs recompute an UPDATE's or
	// DELETE's input row from a row's newest version (see above); both
	// are over the table's columns. Without RecheckExprs, a changed row
	// is an error (40001) at every level.
	RecheckPred  expr.Evaluator
	RecheckExprs []expr.Evaluator

	// OnConflict, for an INSERT, handles proposed rows that conflict
	// with existing ones (see plan.OnConflict).
	OnConflict *OnConflict
	// Dedup drops input rows for a target row already seen (UPDATE ...
	// FROM and DELETE ... USING join the target with other tables).
	Dedup bool

	// FKOut are the table's foreign keys, FKIn those referencing it (see
	// fk.go). Defer queues a deferred constraint's check until commit;
	// NewMutate builds the mutation a cascading action runs.
	FKOut     []FKRef
	FKIn      []FKRef
	Defer     func(name string, check func(ctx context.Context) error)
	NewMutate func(kind int, table *catalog.Descriptor, setCols []int) (*Mutate, error)
	// Defaults computes the defaults of columns cols of a table (NULL
	// where none), for ON DELETE/UPDATE SET DEFAULT.
	Defaults  func(table *catalog.Descriptor, cols []int) ([]types.Datum, error)
	fkChanges [][]fkChange

	count int64
	out   [][]types.Datum
	pos   int
}

// RowsAffected implements RowCounter.
func (o *Mutate) RowsAffected() int64 { return o.count }

// Types implements Operator.
func (o *Mutate) Types() []types.T { return o.RetT }

// Close implements Operator.
func (o *Mutate) Close() error { return o.Input.Close() }

// Open implements Operator: it does all the writing.
func (o *Mutate) Open(ctx context.Context) error {
	o.count, o.out, o.pos = 0, nil, 0
	if err := o.Input.Open(ctx); err != nil {
		return err
	}
	inT := o.Input.Types()
	var rows [][]types.Datum
	for {
		b, err := o.Input.Next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		for i := 0; i < int(b.NumRows()); i++ {
			rows = append(rows, vec.Row(inT, b, i))
		}
		b.Release()
	}
	cols := o.Table.Table.Columns
	tblT := make([]types.T, len(cols))
	for i, c := range cols {
		tblT[i] = c.Type
	}
	if o.Dedup {
		seen := map[string]bool{}
		kept := rows[:0]
		for _, r := range rows {
			k, err := o.key(r[:len(cols)])
			if err != nil {
				return err
			}
			if !seen[string(k)] {
				seen[string(k)] = true
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	if o.Kind != MutInsert {
		var err error
		if rows, err = o.lockTargets(ctx, rows, inT); err != nil {
			return err
		}
	}
	// Compute every new row first so CHECK constraints run vectorized.
	newRows := make([][]types.Datum, len(rows))
	for i, r := range rows {
		switch o.Kind {
		case MutInsert, MutDelete:
			newRows[i] = r[:len(cols)]
		case MutUpdate:
			nr := append([]types.Datum(nil), r[:len(cols)]...)
			for j, idx := range o.SetCols {
				nr[idx] = r[len(cols)+j]
			}
			newRows[i] = nr
		}
	}
	if o.Kind != MutDelete && o.Generated != nil {
		if err := o.computeGenerated(tblT, newRows); err != nil {
			return err
		}
	}
	if o.Kind != MutDelete && len(o.Checks) > 0 {
		if err := o.runChecks(tblT, newRows); err != nil {
			return err
		}
	}
	if o.Kind == MutInsert {
		if err := o.lockNew(ctx, newRows); err != nil {
			return err
		}
	}
	var conflict *conflictState
	if o.OnConflict != nil {
		conflict = &conflictState{affected: map[string]bool{}, tblT: tblT}
	}
	written := newRows[:0:0] // the rows RETURNING sees
	for i, r := range rows {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var err error
		row := newRows[i]
		switch {
		case conflict != nil:
			row, err = o.insertOnConflict(ctx, newRows[i], conflict)
		case o.Kind == MutInsert:
			err = o.insert(ctx, newRows[i])
		case o.Kind == MutDelete:
			err = o.delete(ctx, r[:len(cols)])
		case o.Kind == MutUpdate:
			err = o.update(ctx, r[:len(cols)], newRows[i])
		}
		if err != nil {
			return err
		}
		if row == nil {
			continue // ON CONFLICT left the row alone
		}
		written = append(written, row)
		o.count++
	}
	if err := o.applyParentActions(ctx); err != nil {
		return err
	}
	newRows = written
	if o.Returning != nil && len(newRows) > 0 {
		for start := 0; start < len(newRows); start += vec.BatchSize {
			end := min(start+vec.BatchSize, len(newRows))
			b, err := vec.Rows(tblT, newRows[start:end])
			if err != nil {
				return err
			}
			outCols := make([][]types.Datum, len(o.Returning))
			for j, ev := range o.Returning {
				a, err := ev.Eval(b)
				if err != nil {
					return err
				}
				outCols[j] = make([]types.Datum, end-start)
				for i := range outCols[j] {
					outCols[j][i] = vec.Get(o.RetT[j], a, i)
				}
				a.Release()
			}
			for i := 0; i < end-start; i++ {
				row := make([]types.Datum, len(o.Returning))
				for j := range row {
					row[j] = outCols[j][i]
				}
				o.out = append(o.out, row)
			}
			b.Release()
		}
	}
	return nil
}

// Next implements Operator.
func (o *Mutate) Next(ctx context.Context) (vec.Batch, error) {
	if o.pos >= len(o.out) {
		return nil, nil
	}
	end := min(o.pos+vec.BatchSize, len(o.out))
	b, err := vec.Rows(o.RetT, o.out[o.pos:end])
	o.pos = end
	return b, err
}

func (o *Mutate) key(row []types.Datum) ([]byte, error) {
	t := o.Table.Table
	k := rowenc.IndexPrefix(o.Table.ID, 1)
	for _, id := range t.PrimaryKey {
		c, idx, _ := t.ColumnByID(id)
		var err error
		if k, err = rowenc.EncodeKeyValue(k, c.Type, row[idx]); err != nil {
			return nil, err
		}
	}
	return k, nil
}

func (o *Mutate) value(row []types.Datum) ([]byte, error) { return encodeRow(o.Table, row) }

func (o *Mutate) checkNotNull(row []types.Datum) error {
	for i, c := range o.Table.Table.Columns {
		if c.NotNull && row[i] == nil {
			return pgerror.New(pgerror.NotNullViolation, "null value in column %q of relation %q violates not-null constraint", c.Name, o.Table.Name).
				WithDetail("Failing row contains %s.", o.rowText(row)).WithTable(o.schemaName(), o.Table.Name).WithColumn(c.Name)
		}
	}
	return nil
}

func (o *Mutate) schemaName() string { return "public" }

// rowText renders a row as PostgreSQL's "Failing row contains (...)".
func (o *Mutate) rowText(row []types.Datum) string {
	var parts []string
	for i, c := range o.Table.Table.Columns {
		if c.Hidden {
			continue
		}
		if row[i] == nil {
			parts = append(parts, "null")
			continue
		}
		parts = append(parts, string(typio.AppendText(nil, c.Type, row[i], o.Settings)))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func (o *Mutate) keyText(row []types.Datum) (cols, vals string) {
	var cn, cv []string
	t := o.Table.Table
	for _, id := range t.PrimaryKey {
		c, idx, _ := t.ColumnByID(id)
		cn = append(cn, c.Name)
		cv = append(cv, string(typio.AppendText(nil, c.Type, row[idx], o.Settings)))
	}
	return strings.Join(cn, ", "), strings.Join(cv, ", ")
}

func (o *Mutate) putNew(ctx context.Context, row []types.Datum) error {
	key, err := o.key(row)
	if err != nil {
		return err
	}
	if o.Kind != MutInsert {
		// An UPDATE moving the row to a new key (INSERT locks its keys
		// up front, see lockNew).
		if err := o.Txn.LockForInsert(ctx, [][]byte{key}); err != nil {
			return err
		}
	}
	_, exists, err := o.Txn.GetLatest(ctx, key)
	if err != nil {
		return err
	}
	if exists {
		cn, cv := o.keyText(row)
		e := pgerror.New(pgerror.UniqueViolation, "duplicate key value violates unique constraint %q", o.Table.Table.PrimaryKeyName).
			WithDetail("Key (%s)=(%s) already exists.", cn, cv).WithTable(o.schemaName(), o.Table.Name)
		e.ConstraintName = o.Table.Table.PrimaryKeyName
		return e
	}
	val, err := o.value(row)
	if err != nil {
		return err
	}
	return o.Txn.Put(ctx, key, val)
}

func (o *Mutate) insert(ctx context.Context, row []types.Datum) error {
	if err := o.checkNotNull(row); err != nil {
		return err
	}
	if err := o.putNew(ctx, row); err != nil {
		return err
	}
	if err := o.putIndexes(ctx, row, nil); err != nil {
		return err
	}
	return o.checkParents(ctx, row, nil)
}

func (o *Mutate) delete(ctx context.Context, row []types.Datum) error {
	key, err := o.key(row)
	if err != nil {
		return err
	}
	if err := o.Txn.Delete(ctx, key); err != nil {
		return err
	}
	if err := o.deleteIndexes(ctx, row, nil); err != nil {
		return err
	}
	o.noteParentChange(row, nil)
	return nil
}

// IndexEval computes the key expressions of an expression index over a
// table row (Evals[i] is nil at plain-column positions).
type IndexEval struct {
	Evals []expr.Evaluator
	T     []types.T // the expressions' types
	TblT  []types.T // the table's column types
}

// indexKeyValues returns the key values of index ix for row, and their
// types.
func (o *Mutate) indexKeyValues(ix catalog.Index, row []types.Datum) ([]types.T, []types.Datum, error) {
	t := o.Table.Table
	ts := make([]types.T, len(ix.Columns))
	vals := make([]types.Datum, len(ix.Columns))
	for i, id := range ix.Columns {
		if id == 0 {
			ev, ok := o.IndexEvals[ix.ID]
			if !ok || i >= len(ev.Evals) || ev.Evals[i] == nil {
				return nil, nil, pgerror.AssertionFailed("index %s: expression not compiled", ix.Name)
			}
			v, err := evalOnRow(ev.Evals[i], ev.T[i], ev.TblT, row)
			if err != nil {
				return nil, nil, err
			}
			ts[i], vals[i] = ev.T[i], v
			continue
		}
		c, idx, _ := t.ColumnByID(id)
		ts[i], vals[i] = c.Type, row[idx]
	}
	return ts, vals, nil
}

// EvalOnRow evaluates a compiled expression of type t over one row of
// types rowT.
func EvalOnRow(ev expr.Evaluator, t types.T, rowT []types.T, row []types.Datum) (types.Datum, error) {
	return evalOnRow(ev, t, rowT, row)
}

// evalOnRow evaluates a compiled expression over one row.
func evalOnRow(ev expr.Evaluator, t types.T, rowT []types.T, row []types.Datum) (types.Datum, error) {
	b, err := vec.Rows(rowT, [][]types.Datum{row})
	if err != nil {
		return nil, err
	}
	defer b.Release()
	res, err := ev.Eval(b)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	return vec.Get(t, res, 0), nil
}

// indexEntry returns the entry of index ix for row.
func (o *Mutate) indexEntry(ix catalog.Index, row []types.Datum) (key, value []byte, unique bool, err error) {
	ts, vals, err := o.indexKeyValues(ix, row)
	if err != nil {
		return nil, nil, false, err
	}
	pk, err := o.key(row)
	if err != nil {
		return nil, nil, false, err
	}
	return rowenc.IndexEntry(o.Table.ID, ix.ID, ix.Unique, ts, vals, pk[9:])
}

// ginKeys returns the entries of GIN index ix for row (none for nil).
func (o *Mutate) ginKeys(ix catalog.Index, row []types.Datum) ([][]byte, error) {
	if row == nil {
		return nil, nil
	}
	c, idx, _ := o.Table.Table.ColumnByID(ix.Columns[0])
	terms, err := rowenc.GINTerms(c.Type, row[idx])
	if err != nil || len(terms) == 0 {
		return nil, err
	}
	pk, err := o.key(row)
	if err != nil {
		return nil, err
	}
	prefix := rowenc.IndexPrefix(o.Table.ID, ix.ID)
	keys := make([][]byte, len(terms))
	for i, t := range terms {
		keys[i] = append(append(append([]byte(nil), prefix...), t...), pk[9:]...)
	}
	return keys, nil
}

// changeGIN moves GIN index ix from row from's entries to row to's
// (either may be nil), touching only the entries that differ.
func (o *Mutate) changeGIN(ctx context.Context, ix catalog.Index, from, to []types.Datum) error {
	oldKeys, err := o.ginKeys(ix, from)
	if err != nil {
		return err
	}
	newKeys, err := o.ginKeys(ix, to)
	if err != nil {
		return err
	}
	has := func(keys [][]byte, k []byte) bool {
		_, found := slices.BinarySearchFunc(keys, k, bytes.Compare)
		return found
	}
	slices.SortFunc(oldKeys, bytes.Compare)
	slices.SortFunc(newKeys, bytes.Compare)
	for _, k := range oldKeys {
		if !has(newKeys, k) {
			if err := o.Txn.Delete(ctx, k); err != nil {
				return err
			}
		}
	}
	for _, k := range newKeys {
		if !has(oldKeys, k) {
			if err := o.Txn.Put(ctx, k, []byte{}); err != nil {
				return err
			}
		}
	}
	return nil
}

// putIndexes writes row's entries in every secondary index, checking
// unique ones; with old set, indexes whose entry did not change are
// skipped.
func (o *Mutate) putIndexes(ctx context.Context, row, old []types.Datum) error {
	for _, ix := range o.Table.Table.Indexes {
		if ix.IsGIN() {
			if err := o.changeGIN(ctx, ix, old, row); err != nil {
				return err
			}
			continue
		}
		key, val, unique, err := o.indexEntry(ix, row)
		if err != nil {
			return err
		}
		if old != nil {
			okey, oval, _, err := o.indexEntry(ix, old)
			if err != nil {
				return err
			}
			if bytes.Equal(okey, key) && bytes.Equal(oval, val) {
				continue
			}
		}
		if unique {
			if o.Kind != MutInsert {
				if err := o.Txn.LockForInsert(ctx, [][]byte{key}); err != nil {
					return err
				}
			}
			existing, found, err := o.Txn.GetLatest(ctx, key)
			if err != nil {
				return err
			}
			if found && !bytes.Equal(existing, val) {
				return o.uniqueViolation(ix, row)
			}
		}
		if err := o.Txn.Put(ctx, key, val); err != nil {
			return err
		}
	}
	return nil
}

// deleteIndexes removes row's index entries (skipping those that the new
// row keeps unchanged). A unique entry is locked first, so that a
// concurrent INSERT of the same values waits for this transaction's
// outcome (then succeeds, or fails with 23505 if the deletion rolls back)
// as in PostgreSQL, instead of failing at once.
func (o *Mutate) deleteIndexes(ctx context.Context, row, keep []types.Datum) error {
	for _, ix := range o.Table.Table.Indexes {
		if ix.IsGIN() {
			if err := o.changeGIN(ctx, ix, row, keep); err != nil {
				return err
			}
			continue
		}
		key, val, unique, err := o.indexEntry(ix, row)
		if err != nil {
			return err
		}
		if keep != nil {
			nkey, nval, _, err := o.indexEntry(ix, keep)
			if err != nil {
				return err
			}
			if bytes.Equal(nkey, key) && bytes.Equal(nval, val) {
				continue
			}
		}
		if unique {
			if err := o.Txn.LockForInsert(ctx, [][]byte{key}); err != nil {
				return err
			}
		}
		if err := o.Txn.Delete(ctx, key); err != nil {
			return err
		}
	}
	return nil
}

func (o *Mutate) uniqueViolation(ix catalog.Index, row []types.Datum) error {
	t := o.Table.Table
	var cn, cv []string
	ts, vals, err := o.indexKeyValues(ix, row)
	if err != nil {
		return err
	}
	for i, id := range ix.Columns {
		if c, _, ok := t.ColumnByID(id); ok {
			cn = append(cn, c.Name)
		} else {
			cn = append(cn, ix.Exprs[i])
		}
		cv = append(cv, string(typio.AppendText(nil, ts[i], vals[i], o.Settings)))
	}
	e := pgerror.New(pgerror.UniqueViolation, "duplicate key value violates unique constraint %q", ix.Name).
		WithDetail("Key (%s)=(%s) already exists.", strings.Join(cn, ", "), strings.Join(cv, ", ")).WithTable(o.schemaName(), o.Table.Name)
	e.ConstraintName = ix.Name
	return e
}

// computeGenerated sets the generated columns of new rows (in place).
func (o *Mutate) computeGenerated(tblT []types.T, rows [][]types.Datum) error {
	for start := 0; start < len(rows); start += vec.BatchSize {
		end := min(start+vec.BatchSize, len(rows))
		b, err := vec.Rows(tblT, rows[start:end])
		if err != nil {
			return err
		}
		for c, ev := range o.Generated {
			if ev == nil {
				continue
			}
			vals, err := evalDatums(ev, tblT[c], b)
			if err != nil {
				b.Release()
				return err
			}
			for i, v := range vals {
				rows[start+i][c] = v
			}
		}
		b.Release()
	}
	return nil
}

// runChecks evaluates CHECK constraints over the new rows.
func (o *Mutate) runChecks(tblT []types.T, rows [][]types.Datum) error {
	for start := 0; start < len(rows); start += vec.BatchSize {
		end := min(start+vec.BatchSize, len(rows))
		b, err := vec.Rows(tblT, rows[start:end])
		if err != nil {
			return err
		}
		for _, c := range o.Checks {
			res, err := c.Eval.Eval(b)
			if err != nil {
				b.Release()
				return err
			}
			mask := res.(*array.Boolean)
			for i := 0; i < mask.Len(); i++ {
				if !mask.IsNull(i) && !mask.Value(i) {
					res.Release()
					b.Release()
					e := pgerror.New(pgerror.CheckViolation, "new row for relation %q violates check constraint %q", o.Table.Name, c.Name).
						WithDetail("Failing row contains %s.", o.rowText(rows[start+i])).WithTable(o.schemaName(), o.Table.Name)
					e.ConstraintName = c.Name
					return e
				}
			}
			res.Release()
		}
		b.Release()
	}
	return nil
}

func (o *Mutate) update(ctx context.Context, old, nr []types.Datum) error {
	if err := o.checkNotNull(nr); err != nil {
		return err
	}
	oldKey, err := o.key(old)
	if err != nil {
		return err
	}
	newKey, err := o.key(nr)
	if err != nil {
		return err
	}
	if err := o.deleteIndexes(ctx, old, nr); err != nil {
		return err
	}
	if string(oldKey) != string(newKey) {
		if err := o.Txn.Delete(ctx, oldKey); err != nil {
			return err
		}
		if err := o.putNew(ctx, nr); err != nil {
			return err
		}
	} else {
		val, err := o.value(nr)
		if err != nil {
			return err
		}
		if err := o.Txn.Put(ctx, newKey, val); err != nil {
			return err
		}
	}
	if err := o.putIndexes(ctx, nr, old); err != nil {
		return err
	}
	if err := o.checkParents(ctx, nr, old); err != nil {
		return err
	}
	o.noteParentChange(old, nr)
	return nil
}

// OnConflict is the executable form of plan.OnConflict: Set and Where
// are over the existing row's columns followed by the proposed row's.
type OnConflict struct {
	Arbiters []uint32
	DoUpdate bool
	SetCols  []int
	Set      []expr.Evaluator
	Where    expr.Evaluator
}

// conflictState tracks the rows an INSERT ... ON CONFLICT statement has
// inserted or updated (PostgreSQL refuses to affect a row twice).
type conflictState struct {
	affected map[string]bool
	tblT     []types.T
}

// arbiter reports whether index id decides conflicts.
func (c *OnConflict) arbiter(id uint32) bool {
	return len(c.Arbiters) == 0 || slices.Contains(c.Arbiters, id)
}

// conflictingKey returns the primary key of an existing row that row
// conflicts with on an arbiter index (nil if none). The keys are locked
// (lockNew), so the newest committed versions are the truth.
func (o *Mutate) conflictingKey(ctx context.Context, row []types.Datum) ([]byte, error) {
	key, err := o.key(row)
	if err != nil {
		return nil, err
	}
	if o.OnConflict.arbiter(1) {
		if _, found, err := o.Txn.GetLatest(ctx, key); err != nil || found {
			return key, err
		}
	}
	for _, ix := range o.Table.Table.Indexes {
		if !ix.Unique || !o.OnConflict.arbiter(ix.ID) {
			continue
		}
		ikey, ival, unique, err := o.indexEntry(ix, row)
		if err != nil {
			return nil, err
		}
		if !unique {
			continue // a NULL never conflicts
		}
		existing, found, err := o.Txn.GetLatest(ctx, ikey)
		if err != nil {
			return nil, err
		}
		if found && !bytes.Equal(existing, ival) {
			// A unique entry's value is the owning row's key suffix.
			return append(rowenc.IndexPrefix(o.Table.ID, 1), existing...), nil
		}
	}
	return nil, nil
}

// insertOnConflict inserts row, or applies the ON CONFLICT action to the
// existing row it conflicts with. It returns the row written (nil when
// nothing was).
func (o *Mutate) insertOnConflict(ctx context.Context, row []types.Datum, st *conflictState) ([]types.Datum, error) {
	oc := o.OnConflict
	for attempt := 0; ; attempt++ {
		existingKey, err := o.conflictingKey(ctx, row)
		if err != nil {
			return nil, err
		}
		if existingKey == nil {
			if err := o.insert(ctx, row); err != nil {
				return nil, err
			}
			key, err := o.key(row)
			if err != nil {
				return nil, err
			}
			st.affected[string(key)] = true
			return row, nil
		}
		if !oc.DoUpdate {
			if o.Txn.IsolationLevel() != kv.ReadCommitted && !st.affected[string(existingKey)] {
				// Under REPEATABLE READ a conflicting row the snapshot
				// cannot see is a serialization failure, as in PostgreSQL.
				if _, visible, err := o.Txn.Get(ctx, existingKey); err != nil {
					return nil, err
				} else if !visible {
					return nil, pgerror.New(pgerror.SerializationFailure, "could not serialize access due to concurrent update")
				}
			}
			return nil, nil
		}
		if st.affected[string(existingKey)] {
			return nil, pgerror.New(pgerror.CardinalityViolation, "ON CONFLICT DO UPDATE command cannot affect row a second time").
				WithHint("Ensure that no rows proposed for insertion within the same command have duplicate constrained values.")
		}
		// Lock the existing row as UPDATE does (40001 under REPEATABLE
		// READ if it changed since the snapshot), then read its newest
		// version.
		if _, err := o.Txn.LockKeys(ctx, [][]byte{existingKey}, kv.LockUpdate, kv.WaitBlock); err != nil {
			return nil, err
		}
		val, found, err := o.Txn.GetLatest(ctx, existingKey)
		if err != nil {
			return nil, err
		}
		if !found {
			if attempt < 3 {
				continue // deleted meanwhile: try the insertion again
			}
			return nil, pgerror.New(pgerror.SerializationFailure, "could not serialize access due to concurrent delete")
		}
		old, err := decodeRow(o.Table, val)
		if err != nil {
			return nil, err
		}
		both := append(append([]types.Datum(nil), old...), row...)
		bt := append(append([]types.T(nil), st.tblT...), st.tblT...)
		b, err := vec.Rows(bt, [][]types.Datum{both})
		if err != nil {
			return nil, err
		}
		if oc.Where != nil {
			ok, err := evalDatums(oc.Where, types.Bool, b)
			if err != nil {
				b.Release()
				return nil, err
			}
			if ok[0] != true {
				b.Release()
				st.affected[string(existingKey)] = true
				return nil, nil
			}
		}
		nr := append([]types.Datum(nil), old...)
		for j, ev := range oc.Set {
			v, err := evalDatums(ev, st.tblT[oc.SetCols[j]], b)
			if err != nil {
				b.Release()
				return nil, err
			}
			nr[oc.SetCols[j]] = v[0]
		}
		b.Release()
		if o.Generated != nil {
			if err := o.computeGenerated(st.tblT, [][]types.Datum{nr}); err != nil {
				return nil, err
			}
		}
		if len(o.Checks) > 0 {
			if err := o.runChecks(st.tblT, [][]types.Datum{nr}); err != nil {
				return nil, err
			}
		}
		if err := o.update(ctx, old, nr); err != nil {
			return nil, err
		}
		st.affected[string(existingKey)] = true
		return nr, nil
	}
}

// BackfillIndex writes the entries of a new index for every existing row
// of the table, enforcing uniqueness.
func BackfillIndex(ctx context.Context, txn *kv.Txn, desc *catalog.Descriptor, ix catalog.Index, settings *typio.Settings, evals map[uint32]IndexEval) error {
	cols := desc.Table.Columns
	ts := make([]types.T, len(cols))
	for i, c := range cols {
		ts[i] = c.Type
	}
	only := *desc
	tbl := *desc.Table
	tbl.Indexes = []catalog.Index{ix}
	only.Table = &tbl
	m := &Mutate{Txn: txn, Table: &only, Settings: settings, IndexEvals: evals}
	scan := &Scan{Txn: txn, Table: desc, T: ts}
	if err := scan.Open(ctx); err != nil {
		return err
	}
	defer scan.Close()
	for {
		b, err := scan.Next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			return nil
		}
		for i := 0; i < int(b.NumRows()); i++ {
			if err := m.putIndexes(ctx, vec.Row(ts, b, i), nil); err != nil {
				b.Release()
				return err
			}
		}
		b.Release()
	}
}

// RewriteTable moves every row of a table from its old layout (from) to
// a new one (to), for ALTER TABLE changes of the primary key: each row is
// deleted with its index entries and inserted again through fn (which
// maps an old row to a new one), with NOT NULL, uniqueness and key checks.
func RewriteTable(ctx context.Context, txn *kv.Txn, from, to *catalog.Descriptor, settings *typio.Settings, fromEvals, toEvals map[uint32]IndexEval, fn func([]types.Datum) ([]types.Datum, error)) error {
	ts := make([]types.T, len(from.Table.Columns))
	for i, c := range from.Table.Columns {
		ts[i] = c.Type
	}
	scan := &Scan{Txn: txn, Table: from, T: ts}
	if err := scan.Open(ctx); err != nil {
		return err
	}
	var rows [][]types.Datum
	for {
		b, err := scan.Next(ctx)
		if err != nil {
			scan.Close()
			return err
		}
		if b == nil {
			break
		}
		for i := 0; i < int(b.NumRows()); i++ {
			rows = append(rows, vec.Row(ts, b, i))
		}
		b.Release()
	}
	scan.Close()
	del := &Mutate{Txn: txn, Table: from, Settings: settings, IndexEvals: fromEvals}
	ins := &Mutate{Txn: txn, Table: to, Settings: settings, IndexEvals: toEvals}
	for _, r := range rows {
		if err := del.delete(ctx, r); err != nil {
			return err
		}
	}
	for _, r := range rows {
		nr, err := fn(r)
		if err != nil {
			return err
		}
		if err := ins.insert(ctx, nr); err != nil {
			return err
		}
	}
	return nil
}
