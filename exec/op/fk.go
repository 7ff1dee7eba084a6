package op

import (
	"context"
	"strings"

	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/rowenc"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// Foreign keys. A Mutate enforces the foreign keys of its table
// (FKOut: every new or changed referencing row needs its referenced row,
// which it locks FOR KEY SHARE) and those referencing its table (FKIn:
// at the end of the statement, as PostgreSQL's RI triggers, rows that
// still reference a deleted or changed key fail the statement, or are
// deleted or updated in cascade).

// FKRef is a foreign key as a Mutate of its referencing (child) or
// referenced (parent) table sees it.
type FKRef struct {
	FK     catalog.ForeignKey
	Child  *catalog.Descriptor
	Parent *catalog.Descriptor
	// ChildIdx and ParentIdx are the positions, in each table's columns,
	// of FK.Columns and FK.RefColumns.
	ChildIdx, ParentIdx []int
	// KeyID is the parent's unique key the foreign key references (1 =
	// the primary key).
	KeyID uint32
	// Deferred checks run at commit.
	Deferred bool
}

// fkChange is a referenced key a statement deleted or changed.
type fkChange struct {
	old, new []types.Datum // parent rows (new nil for a deletion)
}

func fkKeyText(t *catalog.Table, idx []int, row []types.Datum, s *typio.Settings) (cols, vals string) {
	var cn, cv []string
	for _, i := range idx {
		cn = append(cn, t.Columns[i].Name)
		if row[i] == nil {
			cv = append(cv, "null")
			continue
		}
		cv = append(cv, string(typio.AppendText(nil, t.Columns[i].Type, row[i], s)))
	}
	return strings.Join(cn, ", "), strings.Join(cv, ", ")
}

// fkValues returns row's values at idx, and whether the key can match
// (MATCH SIMPLE: no NULL; MATCH FULL: no NULL, and all-NULL never
// checks). err is set for a MATCH FULL mix of NULLs and values.
func fkValues(ref *FKRef, row []types.Datum, idx []int) ([]types.Datum, bool, error) {
	vals := make([]types.Datum, len(idx))
	nulls := 0
	for i, j := range idx {
		vals[i] = row[j]
		if row[j] == nil {
			nulls++
		}
	}
	if nulls > 0 && nulls < len(idx) && ref.FK.Match == "f" {
		e := pgerror.New(pgerror.ForeignKeyViolation, "insert or update on table %q violates foreign key constraint %q", ref.Child.Name, ref.FK.Name).
			WithDetail("MATCH FULL does not allow mixing of null and nonnull key values.")
		e.ConstraintName = ref.FK.Name
		return nil, false, e
	}
	return vals, nulls == 0, nil
}

// parentKey encodes the key of the parent's referenced unique key for
// vals (aligned with FK.Columns, of the child's column types).
func parentKey(ref *FKRef, vals []types.Datum) ([]byte, error) {
	p := ref.Parent.Table
	conv := func(j int) (types.Datum, types.T, error) {
		ct := ref.Child.Table.Columns[ref.ChildIdx[j]].Type
		pt := p.Columns[ref.ParentIdx[j]].Type
		v, err := typio.Cast(vals[j], ct, pt, false, nil)
		return v, pt, err
	}
	pos := func(colID uint32) int {
		for j, id := range ref.FK.RefColumns {
			if id == colID {
				return j
			}
		}
		return -1
	}
	if ref.KeyID == 1 {
		key := rowenc.IndexPrefix(ref.Parent.ID, 1)
		for _, id := range p.PrimaryKey {
			v, t, err := conv(pos(id))
			if err != nil {
				return nil, err
			}
			if key, err = rowenc.EncodeKeyValue(key, t, v); err != nil {
				return nil, err
			}
		}
		return key, nil
	}
	for _, ix := range p.Indexes {
		if ix.ID != ref.KeyID {
			continue
		}
		ts := make([]types.T, len(ix.Columns))
		vs := make([]types.Datum, len(ix.Columns))
		for i, id := range ix.Columns {
			v, t, err := conv(pos(id))
			if err != nil {
				return nil, err
			}
			ts[i], vs[i] = t, v
		}
		key, _, _, err := rowenc.IndexEntry(ref.Parent.ID, ix.ID, true, ts, vs, nil)
		return key, err
	}
	return nil, pgerror.AssertionFailed("foreign key %s references a missing key", ref.FK.Name)
}

// parentExists locks the referenced row's key FOR KEY SHARE and reports
// whether the newest committed version (or this transaction's own write)
// exists.
func parentExists(ctx context.Context, txn *kv.Txn, ref *FKRef, vals []types.Datum) (bool, error) {
	key, err := parentKey(ref, vals)
	if err != nil {
		return false, err
	}
	if err := txn.LockLatest(ctx, [][]byte{key}, kv.LockKeyShare); err != nil {
		return false, err
	}
	_, found, err := txn.GetLatest(ctx, key)
	return found, err
}

// checkParents verifies the foreign keys of a new or changed row (old is
// nil for an insert); unchanged keys are not checked again.
func (o *Mutate) checkParents(ctx context.Context, row, old []types.Datum) error {
	for i := range o.FKOut {
		ref := &o.FKOut[i]
		vals, check, err := fkValues(ref, row, ref.ChildIdx)
		if err != nil {
			return err
		}
		if !check {
			continue
		}
		if old != nil && sameValues(ref.Child.Table, ref.ChildIdx, row, old) {
			continue
		}
		verify := func(ctx context.Context) error {
			found, err := parentExists(ctx, o.Txn, ref, vals)
			if err != nil || found {
				return err
			}
			cols, v := fkKeyText(ref.Child.Table, ref.ChildIdx, row, o.Settings)
			e := pgerror.New(pgerror.ForeignKeyViolation, "insert or update on table %q violates foreign key constraint %q", ref.Child.Name, ref.FK.Name).
				WithDetail("Key (%s)=(%s) is not present in table %q.", cols, v, ref.Parent.Name).WithTable(o.schemaName(), ref.Child.Name)
			e.ConstraintName = ref.FK.Name
			return e
		}
		if ref.Deferred && o.Defer != nil {
			o.Defer(ref.FK.Name, verify)
			continue
		}
		if err := verify(ctx); err != nil {
			return err
		}
	}
	return nil
}

func sameValues(t *catalog.Table, idx []int, a, b []types.Datum) bool {
	for _, i := range idx {
		x, y := a[i], b[i]
		if (x == nil) != (y == nil) || (x != nil && typio.Compare(t.Columns[i].Type, x, y) != 0) {
			return false
		}
	}
	return true
}

// noteParentChange records a deleted (nr nil) or updated row of this
// table for the foreign keys referencing it.
func (o *Mutate) noteParentChange(old, nr []types.Datum) {
	for i := range o.FKIn {
		ref := &o.FKIn[i]
		if nr != nil && sameValues(ref.Parent.Table, ref.ParentIdx, old, nr) {
			continue
		}
		if o.fkChanges == nil {
			o.fkChanges = make([][]fkChange, len(o.FKIn))
		}
		o.fkChanges[i] = append(o.fkChanges[i], fkChange{old: old, new: nr})
	}
}

// applyParentActions runs the referencing foreign keys' checks and
// actions for the keys this statement deleted or changed.
func (o *Mutate) applyParentActions(ctx context.Context) error {
	changes := o.fkChanges
	o.fkChanges = nil
	for i := range o.FKIn {
		if i >= len(changes) || len(changes[i]) == 0 {
			continue
		}
		ref := &o.FKIn[i]
		action := ref.FK.OnDelete
		if changes[i][0].new != nil {
			action = ref.FK.OnUpdate
		}
		run := func(ctx context.Context) error { return o.referencingRows(ctx, ref, changes[i], action) }
		if (action == "a") && ref.Deferred && o.Defer != nil {
			o.Defer(ref.FK.Name, run)
			continue
		}
		if err := run(ctx); err != nil {
			return err
		}
	}
	return nil
}

// referencingRows finds the child rows referencing the changed keys and
// applies action to them.
func (o *Mutate) referencingRows(ctx context.Context, ref *FKRef, changes []fkChange, action string) error {
	keys := map[string]fkChange{}
	// keyOf encodes a row's key values in the parent's column types, so
	// that child and parent values compare equal when they are.
	keyOf := func(t *catalog.Table, idx []int, row []types.Datum, child bool) (string, bool) {
		var b []byte
		for j, i := range idx {
			v := row[i]
			if v == nil {
				return "", false
			}
			pt := ref.Parent.Table.Columns[ref.ParentIdx[j]].Type
			if child {
				var err error
				if v, err = typio.Cast(v, t.Columns[i].Type, pt, false, nil); err != nil {
					return "", false
				}
			}
			var err error
			if b, err = rowenc.EncodeKeyValue(b, pt, v); err != nil {
				return "", false
			}
		}
		return string(b), true
	}
	for _, ch := range changes {
		if action == "a" {
			// NO ACTION: a key that exists again (or still) is fine.
			vals, ok, _ := fkValues(ref, ch.old, ref.ParentIdx)
			if !ok {
				continue
			}
			parentVals := make([]types.Datum, len(vals))
			for j := range vals {
				ct := ref.Child.Table.Columns[ref.ChildIdx[j]].Type
				pt := ref.Parent.Table.Columns[ref.ParentIdx[j]].Type
				v, err := typio.Cast(vals[j], pt, ct, false, nil)
				if err != nil {
					return err
				}
				parentVals[j] = v
			}
			if found, err := parentExists(ctx, o.Txn, ref, parentVals); err != nil {
				return err
			} else if found {
				continue
			}
		}
		if k, ok := keyOf(ref.Parent.Table, ref.ParentIdx, ch.old, false); ok {
			keys[k] = ch
		}
	}
	if len(keys) == 0 {
		return nil
	}
	cols := ref.Child.Table.Columns
	ts := make([]types.T, len(cols))
	for i, c := range cols {
		ts[i] = c.Type
	}
	pk := rowenc.IndexPrefix(ref.Child.ID, 1)
	it := o.Txn.NewLatestIterator(ctx, pk, rowenc.PrefixEnd(pk))
	var hits [][]types.Datum
	var hitChanges []fkChange
	for it.Next() {
		row, err := decodeRow(ref.Child, it.Value())
		if err != nil {
			it.Close()
			return err
		}
		k, ok := keyOf(ref.Child.Table, ref.ChildIdx, row, true)
		if !ok {
			continue
		}
		if ch, found := keys[k]; found {
			hits = append(hits, row)
			hitChanges = append(hitChanges, ch)
		}
	}
	if err := it.Err(); err != nil {
		it.Close()
		return err
	}
	it.Close()
	if len(hits) == 0 {
		return nil
	}
	var defaults []types.Datum
	if action == "d" {
		if o.Defaults == nil {
			return pgerror.AssertionFailed("SET DEFAULT foreign key %s without defaults", ref.FK.Name)
		}
		var err error
		if defaults, err = o.Defaults(ref.Child, ref.ChildIdx); err != nil {
			return err
		}
		// A default equal to a removed key still references it.
		for h := range hitChanges {
			same := true
			for j, pi := range ref.ParentIdx {
				old := hitChanges[h].old[pi]
				if defaults[j] == nil || old == nil || typio.Compare(ref.Parent.Table.Columns[pi].Type, defaults[j], old) != 0 {
					same = false
					break
				}
			}
			if same {
				hitChanges[0], hitChanges[h] = hitChanges[h], hitChanges[0]
				action = "a"
				break
			}
		}
	}
	switch action {
	case "a", "r":
		pc, pv := fkKeyText(ref.Parent.Table, ref.ParentIdx, hitChanges[0].old, o.Settings)
		e := pgerror.New(pgerror.ForeignKeyViolation, "update or delete on table %q violates foreign key constraint %q on table %q",
			ref.Parent.Name, ref.FK.Name, ref.Child.Name).
			WithDetail("Key (%s)=(%s) is still referenced from table %q.", pc, pv, ref.Child.Name).WithTable(o.schemaName(), ref.Child.Name)
		e.ConstraintName = ref.FK.Name
		return e
	}
	if o.NewMutate == nil {
		return pgerror.AssertionFailed("cascading foreign key %s without a mutation builder", ref.FK.Name)
	}
	kind := MutUpdate
	if action == "c" && hitChanges[0].new == nil {
		kind = MutDelete
	}
	var setCols []int
	if kind == MutUpdate {
		setCols = ref.ChildIdx
	}
	m, err := o.NewMutate(kind, ref.Child, setCols)
	if err != nil {
		return err
	}
	inT := append([]types.T(nil), ts...)
	var rows [][]types.Datum
	for h, row := range hits {
		r := append([]types.Datum(nil), row...)
		if kind == MutUpdate {
			for j, pi := range ref.ParentIdx {
				var v types.Datum
				switch action {
				case "c":
					v = hitChanges[h].new[pi]
				case "d":
					v = defaults[j]
				}
				r = append(r, v)
				if h == 0 {
					inT = append(inT, ts[ref.ChildIdx[j]])
				}
			}
		}
		rows = append(rows, r)
	}
	if kind == MutUpdate && len(hits) == 0 {
		return nil
	}
	m.Input = &staticRows{T: inT, rows: rows}
	if err := m.Open(ctx); err != nil {
		return err
	}
	return m.Close()
}

// staticRows yields fixed rows (the input of a cascading mutation).
type staticRows struct {
	T    []types.T
	rows [][]types.Datum
	done bool
}

func (s *staticRows) Open(context.Context) error { s.done = false; return nil }
func (s *staticRows) Types() []types.T           { return s.T }
func (s *staticRows) Close() error               { return nil }
func (s *staticRows) Next(context.Context) (vec.Batch, error) {
	if s.done || len(s.rows) == 0 {
		return nil, nil
	}
	s.done = true
	return vec.Rows(s.T, s.rows)
}
