package session

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/exec/build"
	"github.com/aegisdb/aegis/exec/op"
	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/bind"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/opt"
	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/rowenc"
	"github.com/aegisdb/aegis/sql/types"
)

// quoteIdent quotes an identifier for internal SQL.
func quoteIdent(s string) string {
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}

func (s *Session) qualified(ctx context.Context, cat *catalog.Catalog, d *catalog.Descriptor) string {
	sc, _ := cat.ByID(ctx, d.SchemaID)
	name := quoteIdent(d.Name)
	if sc != nil {
		name = quoteIdent(sc.Name) + "." + name
	}
	return name
}

// internalQuery runs a statement of Aegis's own inside txn and calls fn for
// each result row (nil fn: the rows are discarded). It returns the row
// count (or the rows written, for DML).
func (s *Session) internalQuery(ctx context.Context, txn *kv.Txn, sql string, fn func([]types.Datum) error) (int64, error) {
	return s.internalQueryTyped(ctx, txn, sql, nil, fn)
}

// internalQueryTyped is internalQuery that first reports the result's
// column types and names to start (when not nil).
func (s *Session) internalQueryTyped(ctx context.Context, txn *kv.Txn, sql string, start func([]types.T, []string) error, fn func([]types.Datum) error) (int64, error) {
	stmts, err := parser.Parse(sql)
	if err != nil || len(stmts) != 1 {
		return 0, pgerror.AssertionFailed("internal query %q: %v", sql, err)
	}
	b := bind.New(ctx, catalog.New(txn), s.dbID, &s.typio, nil, 0)
	node, err := b.BindQuery(stmts[0].AST)
	if err != nil {
		return 0, err
	}
	if node, err = opt.Optimize(node, opt.Options{}); err != nil {
		return 0, err
	}
	bld := s.newBuilder(ctx, txn, nil)
	o, err := bld.Build(node)
	if err != nil {
		return 0, err
	}
	ts := o.Types()
	if start != nil {
		var names []string
		for _, c := range node.Columns() {
			names = append(names, c.Name)
		}
		if err := start(ts, names); err != nil {
			return 0, err
		}
	}
	var n int64
	err = build.Run(ctx, o, func(bt vec.Batch) error {
		for i := 0; i < int(bt.NumRows()); i++ {
			n++
			if fn != nil {
				if err := fn(vec.Row(ts, bt, i)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if rc, ok := o.(op.RowCounter); ok {
		n = rc.RowsAffected()
	}
	return n, err
}

// hasRows reports whether an internal query returns any row.
func (s *Session) hasRows(ctx context.Context, txn *kv.Txn, sql string) (bool, error) {
	n, err := s.internalQuery(ctx, txn, sql+" LIMIT 1", nil)
	return n > 0, err
}

func (s *Session) alterTable(ctx context.Context, txn *kv.Txn, cat *catalog.Catalog, at *pg.AlterTableStmt, offset int) (string, error) {
	if ownerOnly(at.Cmds) {
		return s.alterOwner(ctx, cat, at, offset)
	}
	if at.Objtype != pg.ObjectType_OBJECT_TABLE {
		return "", pgerror.Unimplemented("ALTER %s is not supported yet", at.Objtype)
	}
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, offset)
	desc, err := b.ResolveTable(at.Relation)
	if err != nil {
		if at.MissingOk && pgerror.CodeOf(err) == pgerror.UndefinedTable {
			_ = s.notice(noticef(pgerror.UndefinedTable, "relation %q does not exist, skipping", at.Relation.Relname))
			return "ALTER TABLE", nil
		}
		return "", err
	}
	for _, cn := range at.Cmds {
		cmd := cn.GetAlterTableCmd()
		if cmd == nil {
			continue
		}
		if err := s.alterCmd(ctx, txn, cat, desc, cmd); err != nil {
			return "", err
		}
		// Re-read: a command may have rewritten the descriptor.
		if desc, err = cat.ByID(ctx, desc.ID); err != nil {
			return "", err
		}
	}
	return "ALTER TABLE", nil
}

func (s *Session) alterCmd(ctx context.Context, txn *kv.Txn, cat *catalog.Catalog, desc *catalog.Descriptor, cmd *pg.AlterTableCmd) error {
	t := desc.Table
	table := s.qualified(ctx, cat, desc)
	column := func() (catalog.Column, int, error) {
		c, i, ok := t.ColumnByName(cmd.Name)
		if !ok || c.Hidden {
			return c, i, pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", cmd.Name, desc.Name)
		}
		return c, i, nil
	}
	switch cmd.Subtype {
	case pg.AlterTableType_AT_AddColumn:
		cd := cmd.Def.GetColumnDef()
		if _, _, dup := t.ColumnByName(cd.Colname); dup {
			if cmd.MissingOk {
				_ = s.notice(noticef(pgerror.DuplicateColumn, "column %q of relation %q already exists, skipping", cd.Colname, desc.Name))
				return nil
			}
			return pgerror.New(pgerror.DuplicateColumn, "column %q of relation %q already exists", cd.Colname, desc.Name)
		}
		// Bind the column as a one-column CREATE TABLE to reuse its rules.
		probe := &pg.CreateStmt{Relation: &pg.RangeVar{Relname: desc.Name}, TableElts: []*pg.Node{{Node: &pg.Node_ColumnDef{ColumnDef: cd}}}}
		b := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0)
		pd, serials, err := b.BindCreateTable(probe, desc.SchemaID)
		if err != nil {
			return err
		}
		col := pd.Table.Columns[0]
		t.NextColumnID++
		col.ID = t.NextColumnID
		for _, ix := range pd.Table.Indexes {
			ix.Columns = []uint32{col.ID}
			ix.Name = bind.ChooseName(desc.Name, col.Name, "key")
			if err := bind.AddIndex(desc, ix); err != nil {
				return err
			}
		}
		t.Checks = append(t.Checks, pd.Table.Checks...)
		pkAdded := len(pd.Table.PrimaryKeyName) > 0
		notNull := col.NotNull
		col.NotNull = false // validated after the backfill
		t.Columns = append(t.Columns, col)
		if len(serials) > 0 {
			serials[0].Col = len(t.Columns) - 1
			if err := s.addSerialSequences(ctx, cat, desc, serials); err != nil {
				return err
			}
		}
		if err := cat.UpdateTable(ctx, desc); err != nil {
			return err
		}
		if t.Columns[len(t.Columns)-1].Default != "" {
			if _, err := s.internalQuery(ctx, txn, fmt.Sprintf("UPDATE %s SET %s = DEFAULT", table, quoteIdent(col.Name)), nil); err != nil {
				return err
			}
		}
		for _, ix := range desc.Table.Indexes {
			if ix.Columns[0] == col.ID && len(ix.Columns) == 1 {
				if err := op.BackfillIndex(ctx, txn, desc, ix, &s.typio, nil); err != nil {
					return err
				}
			}
		}
		if notNull {
			if err := s.setNotNull(ctx, txn, cat, desc, col.Name); err != nil {
				return err
			}
		}
		if pkAdded {
			return s.addPrimaryKey(ctx, txn, cat, desc, []string{col.Name}, "")
		}
		return nil
	case pg.AlterTableType_AT_DropColumn:
		c, idx, err := column()
		if err != nil {
			if cmd.MissingOk {
				_ = s.notice(noticef(pgerror.UndefinedColumn, "column %q of relation %q does not exist, skipping", cmd.Name, desc.Name))
				return nil
			}
			return err
		}
		for _, id := range t.PrimaryKey {
			if id == c.ID {
				return pgerror.Unimplemented("dropping a primary-key column is not supported yet")
			}
		}
		visible := 0
		for _, col := range t.Columns {
			if !col.Hidden {
				visible++
			}
		}
		// Indexes on the column go with it (as in PostgreSQL).
		var keep []catalog.Index
		for _, ix := range t.Indexes {
			if !ix.Uses(c.ID) {
				keep = append(keep, ix)
				continue
			}
			prefix := rowenc.IndexPrefix(desc.ID, ix.ID)
			if err := deleteSpan(ctx, txn, prefix, rowenc.PrefixEnd(prefix)); err != nil {
				return err
			}
		}
		t.Indexes = keep
		t.Columns = append(t.Columns[:idx], t.Columns[idx+1:]...)
		_ = visible
		return cat.UpdateTable(ctx, desc)
	case pg.AlterTableType_AT_ColumnDefault:
		c, idx, err := column()
		if err != nil {
			return err
		}
		if cmd.Def == nil {
			t.Columns[idx].Default = ""
			return cat.UpdateTable(ctx, desc)
		}
		b := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0)
		text, err := b.DefaultText(cmd.Def, c)
		if err != nil {
			return err
		}
		t.Columns[idx].Default = text
		return cat.UpdateTable(ctx, desc)
	case pg.AlterTableType_AT_DropNotNull:
		c, idx, err := column()
		if err != nil {
			return err
		}
		for _, id := range t.PrimaryKey {
			if id == c.ID {
				return pgerror.New(pgerror.InvalidTableDefinition, "column %q is in a primary key", c.Name)
			}
		}
		t.Columns[idx].NotNull = false
		return cat.UpdateTable(ctx, desc)
	case pg.AlterTableType_AT_SetNotNull:
		if _, _, err := column(); err != nil {
			return err
		}
		return s.setNotNull(ctx, txn, cat, desc, cmd.Name)
	case pg.AlterTableType_AT_AddConstraint:
		c := cmd.Def.GetConstraint()
		switch c.Contype {
		case pg.ConstrType_CONSTR_PRIMARY:
			return s.addPrimaryKey(ctx, txn, cat, desc, stringListOf(c.Keys), c.Conname)
		case pg.ConstrType_CONSTR_UNIQUE:
			ix := catalog.Index{Name: c.Conname, Unique: true, Constraint: true}
			var names []string
			for _, name := range stringListOf(c.Keys) {
				col, _, ok := t.ColumnByName(name)
				if !ok || col.Hidden {
					return pgerror.New(pgerror.UndefinedColumn, "column %q named in key does not exist", name)
				}
				ix.Columns = append(ix.Columns, col.ID)
				names = append(names, name)
			}
			if ix.Name == "" {
				ix.Name = bind.ChooseName(desc.Name, joinNames(names), "key")
			}
			if err := bind.AddIndex(desc, ix); err != nil {
				return err
			}
			ix = t.Indexes[len(t.Indexes)-1]
			if err := op.BackfillIndex(ctx, txn, desc, ix, &s.typio, nil); err != nil {
				if pgerror.CodeOf(err) == pgerror.UniqueViolation {
					return pgerror.New(pgerror.UniqueViolation, "could not create unique index %q", ix.Name).WithDetail("%s", pgerror.Flatten(err).Detail)
				}
				return err
			}
			return cat.UpdateTable(ctx, desc)
		case pg.ConstrType_CONSTR_CHECK:
			probe := &pg.CreateStmt{Relation: &pg.RangeVar{Relname: desc.Name}}
			for _, col := range t.Columns {
				if col.Hidden {
					continue
				}
				probe.TableElts = append(probe.TableElts, &pg.Node{Node: &pg.Node_ColumnDef{ColumnDef: &pg.ColumnDef{
					Colname: col.Name, TypeName: typeNameOf(col.Type)}}})
			}
			probe.TableElts = append(probe.TableElts, cmd.Def)
			b := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0)
			pd, _, err := b.BindCreateTable(probe, desc.SchemaID)
			if err != nil {
				return err
			}
			chk := pd.Table.Checks[len(pd.Table.Checks)-1]
			for _, existing := range t.Checks {
				if existing.Name == chk.Name {
					return pgerror.New(pgerror.DuplicateObject, "constraint %q for relation %q already exists", chk.Name, desc.Name)
				}
			}
			if !c.SkipValidation {
				bad, err := s.hasRows(ctx, txn, fmt.Sprintf("SELECT 1 FROM %s WHERE NOT (%s)", table, chk.Expr))
				if err != nil {
					return err
				}
				if bad {
					e := pgerror.New(pgerror.CheckViolation, "check constraint %q of relation %q is violated by some row", chk.Name, desc.Name)
					e.ConstraintName = chk.Name
					return e
				}
			}
			t.Checks = append(t.Checks, chk)
			return cat.UpdateTable(ctx, desc)
		case pg.ConstrType_CONSTR_FOREIGN:
			return s.addForeignKey(ctx, txn, cat, desc, c)
		}
		return pgerror.Unimplemented("ALTER TABLE ADD %s constraints are not supported yet", c.Contype)
	case pg.AlterTableType_AT_DropConstraint:
		for i, fk := range t.ForeignKeys {
			if fk.Name == cmd.Name {
				t.ForeignKeys = append(t.ForeignKeys[:i:i], t.ForeignKeys[i+1:]...)
				if err := cat.UpdateTable(ctx, desc); err != nil {
					return err
				}
				return s.unlinkForeignKeys(ctx, cat, desc, []uint32{fk.RefTable}, false)
			}
		}
		for i, c := range t.Checks {
			if c.Name == cmd.Name {
				t.Checks = append(t.Checks[:i], t.Checks[i+1:]...)
				return cat.UpdateTable(ctx, desc)
			}
		}
		for i, ix := range t.Indexes {
			if ix.Name == cmd.Name && ix.Constraint {
				prefix := rowenc.IndexPrefix(desc.ID, ix.ID)
				if err := deleteSpan(ctx, txn, prefix, rowenc.PrefixEnd(prefix)); err != nil {
					return err
				}
				t.Indexes = append(t.Indexes[:i], t.Indexes[i+1:]...)
				return cat.UpdateTable(ctx, desc)
			}
		}
		if cmd.Name == t.PrimaryKeyName && t.PrimaryKeyName != "" {
			return pgerror.Unimplemented("dropping a primary key is not supported yet")
		}
		if cmd.MissingOk {
			_ = s.notice(noticef(pgerror.UndefinedObject, "constraint %q of relation %q does not exist, skipping", cmd.Name, desc.Name))
			return nil
		}
		return pgerror.New(pgerror.UndefinedObject, "constraint %q of relation %q does not exist", cmd.Name, desc.Name)
	case pg.AlterTableType_AT_ChangeOwner, pg.AlterTableType_AT_SetRelOptions, pg.AlterTableType_AT_ResetRelOptions,
		pg.AlterTableType_AT_SetStatistics, pg.AlterTableType_AT_SetStorage:
		// Accepted for compatibility (pg_dump output); nothing to do yet.
		return nil
	case pg.AlterTableType_AT_AlterColumnType:
		return s.alterColumnType(ctx, txn, cat, desc, cmd)
	}
	return pgerror.Unimplemented("ALTER TABLE %s is not supported yet", cmd.Subtype)
}

func stringListOf(nodes []*pg.Node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.GetString_().GetSval())
	}
	return out
}

// typeNameOf builds a pg_query TypeName for a type (for internal binding).
func typeNameOf(t types.T) *pg.TypeName {
	tn := &pg.TypeName{Names: []*pg.Node{{Node: &pg.Node_String_{String_: &pg.String{Sval: "pg_catalog"}}},
		{Node: &pg.Node_String_{String_: &pg.String{Sval: t.TypName()}}}}, Typemod: -1}
	mod := func(v int32) *pg.Node {
		return &pg.Node{Node: &pg.Node_AConst{AConst: &pg.A_Const{Val: &pg.A_Const_Ival{Ival: &pg.Integer{Ival: v}}}}}
	}
	if n, ok := t.VarcharLength(); ok {
		tn.Typmods = []*pg.Node{mod(n)}
	}
	if p, sc, ok := t.NumericPrecisionScale(); ok {
		tn.Typmods = []*pg.Node{mod(p), mod(sc)}
	}
	return tn
}

func (s *Session) setNotNull(ctx context.Context, txn *kv.Txn, cat *catalog.Catalog, desc *catalog.Descriptor, name string) error {
	_, idx, _ := desc.Table.ColumnByName(name)
	bad, err := s.hasRows(ctx, txn, fmt.Sprintf("SELECT 1 FROM %s WHERE %s IS NULL", s.qualified(ctx, cat, desc), quoteIdent(name)))
	if err != nil {
		return err
	}
	if bad {
		return pgerror.New(pgerror.NotNullViolation, "column %q of relation %q contains null values", name, desc.Name).
			WithTable("public", desc.Name).WithColumn(name)
	}
	desc.Table.Columns[idx].NotNull = true
	return cat.UpdateTable(ctx, desc)
}

// addPrimaryKey gives a table declared without one a primary key,
// rewriting every row under its new key.
func (s *Session) addPrimaryKey(ctx context.Context, txn *kv.Txn, cat *catalog.Catalog, desc *catalog.Descriptor, cols []string, name string) error {
	t := desc.Table
	if t.PrimaryKeyName != "" {
		return pgerror.New(pgerror.InvalidTableDefinition, "multiple primary keys for table %q are not allowed", desc.Name)
	}
	newDesc := *desc
	nt := *t
	nt.Columns = nil
	rowidIdx := -1
	for i, c := range t.Columns {
		if c.Hidden {
			rowidIdx = i
			continue
		}
		nt.Columns = append(nt.Columns, c)
	}
	nt.PrimaryKey = nil
	for _, name := range cols {
		_, i, ok := nt.ColumnByName(name)
		if !ok {
			return pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", name, desc.Name)
		}
		nt.Columns[i].NotNull = true
		nt.PrimaryKey = append(nt.PrimaryKey, nt.Columns[i].ID)
	}
	if name == "" {
		name = desc.Name + "_pkey"
	}
	nt.PrimaryKeyName = name
	newDesc.Table = &nt
	fromEvals, err := s.indexEvals(ctx, txn, desc)
	if err != nil {
		return err
	}
	toEvals, err := s.indexEvals(ctx, txn, &newDesc)
	if err != nil {
		return err
	}
	err = op.RewriteTable(ctx, txn, desc, &newDesc, &s.typio, fromEvals, toEvals, func(r []types.Datum) ([]types.Datum, error) {
		if rowidIdx < 0 {
			return r, nil
		}
		return append(append([]types.Datum(nil), r[:rowidIdx]...), r[rowidIdx+1:]...), nil
	})
	if err != nil {
		if pgerror.CodeOf(err) == pgerror.UniqueViolation {
			return pgerror.New(pgerror.UniqueViolation, "could not create unique index %q", name).WithDetail("%s", pgerror.Flatten(err).Detail)
		}
		if pgerror.CodeOf(err) == pgerror.NotNullViolation {
			pe := pgerror.Flatten(err)
			return pgerror.New(pgerror.NotNullViolation, "column %q of relation %q contains null values", pe.ColumnName, desc.Name)
		}
		return err
	}
	return cat.UpdateTable(ctx, &newDesc)
}

func (s *Session) renameStmt(ctx context.Context, cat *catalog.Catalog, rs *pg.RenameStmt, offset int) (string, error) {
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, offset)
	switch rs.RenameType {
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_SEQUENCE:
		tag := map[pg.ObjectType]string{pg.ObjectType_OBJECT_TABLE: "ALTER TABLE", pg.ObjectType_OBJECT_VIEW: "ALTER VIEW", pg.ObjectType_OBJECT_SEQUENCE: "ALTER SEQUENCE"}[rs.RenameType]
		d, err := b.ResolveRelation(rs.Relation)
		if err != nil {
			if rs.MissingOk && pgerror.CodeOf(err) == pgerror.UndefinedTable {
				_ = s.notice(noticef(pgerror.UndefinedTable, "relation %q does not exist, skipping", rs.Relation.Relname))
				return tag, nil
			}
			if pgerror.CodeOf(err) == pgerror.UndefinedTable && rs.RenameType == pg.ObjectType_OBJECT_TABLE {
				// ALTER TABLE also renames an index, as in PostgreSQL.
				if _, ierr := s.renameIndex(ctx, cat, rs); ierr == nil || pgerror.CodeOf(ierr) != pgerror.UndefinedTable {
					return tag, ierr
				}
			}
			return "", err
		}
		if taken, err := s.relationNameTaken(ctx, cat, d.SchemaID, rs.Newname); err != nil {
			return "", err
		} else if taken {
			return "", pgerror.New(pgerror.DuplicateTable, "relation %q already exists", rs.Newname)
		}
		if err := s.followRenameInViews(ctx, cat, bind.ViewRename{Relation: d.ID, RelName: rs.Newname}); err != nil {
			return "", err
		}
		if d.Kind == catalog.KindSequence {
			sc, err := cat.ByID(ctx, d.SchemaID)
			if err != nil {
				return "", err
			}
			if err := s.followSequenceRename(ctx, cat, d, sc.Name, rs.Newname); err != nil {
				return "", err
			}
		}
		if err := cat.Rename(ctx, d, rs.Newname); err != nil {
			return "", err
		}
		return tag, nil
	case pg.ObjectType_OBJECT_INDEX:
		return s.renameIndex(ctx, cat, rs)
	case pg.ObjectType_OBJECT_TABCONSTRAINT:
		return s.renameConstraint(ctx, cat, b, rs)
	case pg.ObjectType_OBJECT_COLUMN:
		d, err := b.ResolveTable(rs.Relation)
		if err != nil {
			if rs.MissingOk && pgerror.CodeOf(err) == pgerror.UndefinedTable {
				_ = s.notice(noticef(pgerror.UndefinedTable, "relation %q does not exist, skipping", rs.Relation.Relname))
				return "ALTER TABLE", nil
			}
			return "", err
		}
		c, i, ok := d.Table.ColumnByName(rs.Subname)
		if !ok || c.Hidden {
			return "", pgerror.New(pgerror.UndefinedColumn, "column %q does not exist", rs.Subname)
		}
		if _, _, dup := d.Table.ColumnByName(rs.Newname); dup {
			return "", pgerror.New(pgerror.DuplicateColumn, "column %q of relation %q already exists", rs.Newname, d.Name)
		}
		if err := s.followRenameInViews(ctx, cat, bind.ViewRename{Table: d.ID, Column: c.ID, ColumnName: rs.Newname}); err != nil {
			return "", err
		}
		// The views were rewritten through the catalog: reread d.
		if d, err = cat.ByID(ctx, d.ID); err != nil {
			return "", err
		}
		d.Table.Columns[i].Name = rs.Newname
		if err := renameColumnInTable(d, rs.Subname, rs.Newname); err != nil {
			return "", err
		}
		return "ALTER TABLE", cat.UpdateTable(ctx, d)
	case pg.ObjectType_OBJECT_SCHEMA:
		return "", pgerror.Unimplemented("ALTER SCHEMA RENAME is not supported yet")
	}
	return "", pgerror.Unimplemented("ALTER ... RENAME of %s is not supported yet", rs.RenameType)
}

// renameIndex is ALTER INDEX ... RENAME TO. The index of a PRIMARY KEY
// or UNIQUE constraint shares its name with the constraint, which is
// renamed with it.
func (s *Session) renameIndex(ctx context.Context, cat *catalog.Catalog, rs *pg.RenameStmt) (string, error) {
	sc, err := s.schemaFor(ctx, cat, rs.Relation.Schemaname)
	if err != nil {
		return "", err
	}
	d, i, found, err := s.findIndex(ctx, cat, sc.ID, rs.Relation.Relname)
	if err != nil {
		return "", err
	}
	if !found {
		if rs.MissingOk {
			_ = s.notice(noticef(pgerror.UndefinedTable, "relation %q does not exist, skipping", rs.Relation.Relname))
			return "ALTER INDEX", nil
		}
		return "", pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", rs.Relation.Relname)
	}
	if taken, err := s.relationNameTaken(ctx, cat, sc.ID, rs.Newname); err != nil {
		return "", err
	} else if taken {
		return "", pgerror.New(pgerror.DuplicateTable, "relation %q already exists", rs.Newname)
	}
	if i < 0 {
		d.Table.PrimaryKeyName = rs.Newname
	} else {
		d.Table.Indexes[i].Name = rs.Newname
	}
	return "ALTER INDEX", cat.UpdateTable(ctx, d)
}

// renameConstraint is ALTER TABLE ... RENAME CONSTRAINT.
func (s *Session) renameConstraint(ctx context.Context, cat *catalog.Catalog, b *bind.Binder, rs *pg.RenameStmt) (string, error) {
	d, err := b.ResolveTable(rs.Relation)
	if err != nil {
		if rs.MissingOk && pgerror.CodeOf(err) == pgerror.UndefinedTable {
			_ = s.notice(noticef(pgerror.UndefinedTable, "relation %q does not exist, skipping", rs.Relation.Relname))
			return "ALTER TABLE", nil
		}
		return "", err
	}
	t := d.Table
	var names []*string // every constraint name of the table
	var indexBacked []bool
	if t.PrimaryKeyName != "" {
		names, indexBacked = append(names, &t.PrimaryKeyName), append(indexBacked, true)
	}
	for i := range t.Indexes {
		if t.Indexes[i].Constraint {
			names, indexBacked = append(names, &t.Indexes[i].Name), append(indexBacked, true)
		}
	}
	for i := range t.Checks {
		names, indexBacked = append(names, &t.Checks[i].Name), append(indexBacked, false)
	}
	for i := range t.ForeignKeys {
		names, indexBacked = append(names, &t.ForeignKeys[i].Name), append(indexBacked, false)
	}
	target := -1
	for i, n := range names {
		if *n == rs.Newname {
			return "", pgerror.New(pgerror.DuplicateObject, "constraint %q for relation %q already exists", rs.Newname, d.Name)
		}
		if *n == rs.Subname {
			target = i
		}
	}
	if target < 0 {
		return "", pgerror.New(pgerror.UndefinedObject, "constraint %q for table %q does not exist", rs.Subname, d.Name)
	}
	if indexBacked[target] {
		if taken, err := s.relationNameTaken(ctx, cat, d.SchemaID, rs.Newname); err != nil {
			return "", err
		} else if taken {
			return "", pgerror.New(pgerror.DuplicateTable, "relation %q already exists", rs.Newname)
		}
	}
	*names[target] = rs.Newname
	return "ALTER TABLE", cat.UpdateTable(ctx, d)
}

// alterObjectSchema is ALTER TABLE/VIEW/SEQUENCE ... SET SCHEMA. A
// table's indexes and owned sequences move with it.
func (s *Session) alterObjectSchema(ctx context.Context, cat *catalog.Catalog, st *pg.AlterObjectSchemaStmt, offset int) (string, error) {
	tag := map[pg.ObjectType]string{pg.ObjectType_OBJECT_TABLE: "ALTER TABLE", pg.ObjectType_OBJECT_VIEW: "ALTER VIEW", pg.ObjectType_OBJECT_SEQUENCE: "ALTER SEQUENCE"}[st.ObjectType]
	if tag == "" {
		return "", pgerror.Unimplemented("ALTER %s ... SET SCHEMA is not supported yet", strings.TrimPrefix(st.ObjectType.String(), "OBJECT_"))
	}
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, offset)
	d, err := b.ResolveRelation(st.Relation)
	if err != nil {
		if st.MissingOk && pgerror.CodeOf(err) == pgerror.UndefinedTable {
			_ = s.notice(noticef(pgerror.UndefinedTable, "relation %q does not exist, skipping", st.Relation.Relname))
			return tag, nil
		}
		var pe *pgerror.Error
		if errors.As(err, &pe) {
			pe.Position = 0 // PostgreSQL reports none here
		}
		return "", err
	}
	to, err := s.schemaFor(ctx, cat, st.Newschema)
	if err != nil {
		return "", err
	}
	if to.ID == d.SchemaID {
		return tag, nil
	}
	moving := []*catalog.Descriptor{d}
	if d.Table != nil {
		for _, id := range d.Table.OwnedSequences {
			sq, err := cat.ByID(ctx, id)
			if err != nil {
				return "", err
			}
			if sq != nil {
				moving = append(moving, sq)
			}
		}
	}
	for _, m := range moving {
		if taken, err := s.relationNameTaken(ctx, cat, to.ID, m.Name); err != nil {
			return "", err
		} else if taken {
			return "", pgerror.New(pgerror.DuplicateTable, "relation %q already exists in schema %q", m.Name, to.Name)
		}
		if d.Table != nil && m == d {
			for _, ix := range indexNames(d) {
				if taken, err := s.relationNameTaken(ctx, cat, to.ID, ix); err != nil {
					return "", err
				} else if taken {
					return "", pgerror.New(pgerror.DuplicateTable, "relation %q already exists in schema %q", ix, to.Name)
				}
			}
		}
	}
	for _, m := range moving {
		if err := s.followRenameInViews(ctx, cat, bind.ViewRename{Relation: m.ID, SchemaName: to.Name}); err != nil {
			return "", err
		}
		if m.Kind == catalog.KindSequence {
			if err := s.followSequenceRename(ctx, cat, m, to.Name, m.Name); err != nil {
				return "", err
			}
		}
	}
	for _, m := range moving {
		// Reread: the rewrites above may have changed the descriptor.
		fresh, err := cat.ByID(ctx, m.ID)
		if err != nil {
			return "", err
		}
		if err := cat.Move(ctx, fresh, to.ID); err != nil {
			return "", err
		}
	}
	return tag, nil
}

// indexNames lists the names of a table's indexes (the primary key's
// included), which live in its schema's namespace.
func indexNames(d *catalog.Descriptor) []string {
	var out []string
	if d.Table.PrimaryKeyName != "" {
		out = append(out, d.Table.PrimaryKeyName)
	}
	for _, ix := range d.Table.Indexes {
		out = append(out, ix.Name)
	}
	return out
}

func (s *Session) truncate(ctx context.Context, txn *kv.Txn, cat *catalog.Catalog, ts *pg.TruncateStmt) (string, error) {
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0)
	for _, rn := range ts.Relations {
		d, err := b.ResolveTable(rn.GetRangeVar())
		if err != nil {
			return "", err
		}
		start, end := rowenc.TableSpan(d.ID)
		if err := deleteSpan(ctx, txn, start, end); err != nil {
			return "", err
		}
		if ts.RestartSeqs {
			for _, id := range d.Table.OwnedSequences {
				sd, err := cat.ByID(ctx, id)
				if err != nil {
					return "", err
				}
				if sd != nil {
					if err := s.eng.Seq.SetVal(ctx, sd.ID, sd.Name, *sd.Sequence, sd.Sequence.Start, false); err != nil {
						return "", err
					}
				}
			}
		}
	}
	return "TRUNCATE TABLE", nil
}

// ownerOnly reports whether every command is OWNER TO.
func ownerOnly(cmds []*pg.Node) bool {
	for _, cn := range cmds {
		if c := cn.GetAlterTableCmd(); c == nil || c.Subtype != pg.AlterTableType_AT_ChangeOwner {
			return false
		}
	}
	return len(cmds) > 0
}

// alterOwner is ALTER TABLE/SEQUENCE/VIEW ... OWNER TO role, which pg_dump
// emits for every relation (ALTER TABLE also for sequences and views).
// Ownership is not modelled beyond the role's existence yet.
func (s *Session) alterOwner(ctx context.Context, cat *catalog.Catalog, at *pg.AlterTableStmt, offset int) (string, error) {
	tag := "ALTER TABLE"
	switch at.Objtype {
	case pg.ObjectType_OBJECT_SEQUENCE:
		tag = "ALTER SEQUENCE"
	case pg.ObjectType_OBJECT_VIEW:
		tag = "ALTER VIEW"
	}
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, offset)
	if _, err := b.ResolveRelation(at.Relation); err != nil {
		if at.MissingOk && pgerror.CodeOf(err) == pgerror.UndefinedTable {
			_ = s.notice(noticef(pgerror.UndefinedTable, "relation %q does not exist, skipping", at.Relation.Relname))
			return tag, nil
		}
		return "", err
	}
	for _, cn := range at.Cmds {
		role := cn.GetAlterTableCmd().GetNewowner()
		if role == nil || role.Roletype != pg.RoleSpecType_ROLESPEC_CSTRING {
			continue // CURRENT_USER, SESSION_USER
		}
		if role.Rolename == s.user || role.Rolename == "pg_database_owner" {
			continue
		}
		ok, err := cat.RoleExists(ctx, role.Rolename)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", pgerror.New(pgerror.UndefinedObject, "role %q does not exist", role.Rolename)
		}
	}
	return tag, nil
}

// alterColumnType is ALTER COLUMN ... [SET DATA] TYPE t [USING expr]: every
// row is rewritten with the column converted (by assignment cast, or by
// the USING expression over the old row), and indexes follow.
func (s *Session) alterColumnType(ctx context.Context, txn *kv.Txn, cat *catalog.Catalog, desc *catalog.Descriptor, cmd *pg.AlterTableCmd) error {
	t := desc.Table
	c, idx, ok := t.ColumnByName(cmd.Name)
	if !ok || c.Hidden {
		return pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", cmd.Name, desc.Name)
	}
	def := cmd.Def.GetColumnDef()
	if def == nil || def.TypeName == nil {
		return pgerror.New(pgerror.SyntaxError, "ALTER COLUMN TYPE needs a type")
	}
	newT, err := bind.ResolveTypeName(def.TypeName)
	if err != nil {
		return err
	}
	for _, fk := range t.ForeignKeys {
		if slices.Contains(fk.Columns, c.ID) {
			return pgerror.Unimplemented("altering the type of a foreign key column is not supported yet")
		}
	}
	if len(t.ReferencedBy) > 0 {
		keyCol := slices.Contains(t.PrimaryKey, c.ID)
		for _, ix := range t.Indexes {
			keyCol = keyCol || (ix.Unique && slices.Contains(ix.Columns, c.ID))
		}
		if keyCol {
			return pgerror.Unimplemented("altering the type of a column referenced by a foreign key is not supported yet")
		}
	}
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0)
	conv, err := b.AlterTypeExpr(desc, idx, def.RawDefault, newT)
	if err != nil {
		return err
	}
	tblT := make([]types.T, len(t.Columns))
	for i, col := range t.Columns {
		tblT[i] = col.Type
	}
	ev, err := s.newBuilder(ctx, txn, nil).Compile(conv, tblT)
	if err != nil {
		return err
	}
	newDesc := *desc
	nt := *t
	nt.Columns = append([]catalog.Column(nil), t.Columns...)
	nt.Columns[idx].Type = newT
	newDesc.Table = &nt
	fromEvals, err := s.indexEvals(ctx, txn, desc)
	if err != nil {
		return err
	}
	toEvals, err := s.indexEvals(ctx, txn, &newDesc)
	if err != nil {
		// An index expression no longer binds over the new type; its
		// text is not part of this statement, so there is no position.
		pe := pgerror.Flatten(err)
		pe.Position = 0
		return pe
	}
	err = op.RewriteTable(ctx, txn, desc, &newDesc, &s.typio, fromEvals, toEvals, func(r []types.Datum) ([]types.Datum, error) {
		v, err := op.EvalOnRow(ev, newT, tblT, r)
		if err != nil {
			return nil, err
		}
		nr := append([]types.Datum(nil), r...)
		nr[idx] = v
		return nr, nil
	})
	if err != nil {
		return err
	}
	return cat.UpdateTable(ctx, &newDesc)
}
