package session

import (
	"context"
	"github.com/aegisdb/aegis/sql/vtable"
	"slices"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/bind"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/rowenc"
	"github.com/aegisdb/aegis/sql/types"
)

// execUtility runs a statement that is not planned: DDL, SET, SHOW.
func (s *Session) execUtility(ctx context.Context, txn *kv.Txn, st parser.Statement, w ResultWriter) (string, error) {
	cat := catalog.New(txn)
	switch x := st.AST.Node.(type) {
	case *pg.Node_VariableSetStmt:
		return s.execSet(x.VariableSetStmt, w)
	case *pg.Node_VariableShowStmt:
		return s.execShow(x.VariableShowStmt, w)
	case *pg.Node_ConstraintsSetStmt:
		return s.setConstraints(ctx, x.ConstraintsSetStmt)
	case *pg.Node_CreateStmt:
		return s.createTable(ctx, cat, x.CreateStmt, st.Offset)
	case *pg.Node_VacuumStmt:
		// MVCC garbage collection runs in the background and statistics
		// are not collected yet: VACUUM and ANALYZE check their targets
		// and succeed.
		vs := x.VacuumStmt
		b := bind.New(ctx, cat, s.dbID, &s.typio, nil, st.Offset)
		for _, rel := range vs.Rels {
			if vr := rel.GetVacuumRelation(); vr != nil && vr.Relation != nil {
				if _, err := b.ResolveTable(vr.Relation); err != nil {
					return "", err
				}
			}
		}
		if vs.IsVacuumcmd {
			if s.explicit {
				return "", pgerror.New(pgerror.ActiveSqlTransaction, "VACUUM cannot run inside a transaction block")
			}
			return "VACUUM", nil
		}
		return "ANALYZE", nil
	case *pg.Node_CheckPointStmt:
		return "CHECKPOINT", nil
	case *pg.Node_ListenStmt, *pg.Node_UnlistenStmt, *pg.Node_NotifyStmt:
		return s.execListen(st.AST)
	case *pg.Node_PrepareStmt:
		ps := x.PrepareStmt
		b := bind.New(ctx, cat, s.dbID, &s.typio, nil, st.Offset)
		oids := make([]uint32, len(ps.Argtypes))
		for i, a := range ps.Argtypes {
			t, err := b.ResolveType(a.GetTypeName())
			if err != nil {
				return "", err
			}
			oids[i] = t.Oid
		}
		text, err := pg.Deparse(&pg.ParseResult{Version: 170007, Stmts: []*pg.RawStmt{{Stmt: ps.Query}}})
		if err != nil {
			return "", pgerror.Wrap(err, pgerror.InternalError)
		}
		p, err := s.Prepare(ctx, ps.Name, text, oids)
		if err != nil {
			return "", err
		}
		p.FromSQL, p.SQL = true, st.SQL
		return "PREPARE", nil
	case *pg.Node_AlterOwnerStmt:
		return s.alterObjectOwner(ctx, cat, x.AlterOwnerStmt)
	case *pg.Node_CreateEnumStmt:
		return s.createEnum(ctx, cat, x.CreateEnumStmt)
	case *pg.Node_AlterEnumStmt:
		return s.alterEnum(ctx, cat, x.AlterEnumStmt)
	case *pg.Node_CreateExtensionStmt:
		return s.createExtension(ctx, cat, x.CreateExtensionStmt)
	case *pg.Node_CommentStmt:
		return s.comment(ctx, cat, x.CommentStmt, st.Offset)
	case *pg.Node_LockStmt:
		// The weak table lock modes only conflict with the strong ones,
		// which Aegis does not take (its DDL conflicts through the
		// catalog instead): they check their tables and succeed.
		ls := x.LockStmt
		if !s.explicit {
			return "", pgerror.New(pgerror.NoActiveSqlTransaction, "LOCK TABLE can only be used in transaction blocks")
		}
		if ls.Mode > 3 {
			return "", pgerror.Unimplemented("LOCK TABLE in this mode is not supported yet")
		}
		b := bind.New(ctx, cat, s.dbID, &s.typio, nil, st.Offset)
		for _, rel := range ls.Relations {
			if rv := rel.GetRangeVar(); rv != nil {
				if _, err := b.ResolveRelation(rv); err != nil {
					return "", err
				}
			}
		}
		return "LOCK TABLE", nil
	case *pg.Node_CopyStmt:
		return s.copyStmt(ctx, txn, cat, x.CopyStmt, w)
	case *pg.Node_AlterTableStmt:
		return s.alterTable(ctx, txn, cat, x.AlterTableStmt, st.Offset)
	case *pg.Node_RenameStmt:
		return s.renameStmt(ctx, cat, x.RenameStmt, st.Offset)
	case *pg.Node_AlterObjectSchemaStmt:
		return s.alterObjectSchema(ctx, cat, x.AlterObjectSchemaStmt, st.Offset)
	case *pg.Node_TruncateStmt:
		return s.truncate(ctx, txn, cat, x.TruncateStmt)
	case *pg.Node_ViewStmt:
		return s.createView(ctx, cat, x.ViewStmt, st.Offset)
	case *pg.Node_IndexStmt:
		return s.createIndex(ctx, txn, cat, x.IndexStmt, st.Offset)
	case *pg.Node_CreateSeqStmt:
		return s.execCreateSequence(ctx, cat, x.CreateSeqStmt)
	case *pg.Node_AlterSeqStmt:
		return s.execAlterSequence(ctx, cat, x.AlterSeqStmt, st.Offset)
	case *pg.Node_CreateSchemaStmt:
		cs := x.CreateSchemaStmt
		if len(cs.SchemaElts) > 0 {
			return "", pgerror.Unimplemented("CREATE SCHEMA with elements is not supported yet")
		}
		name := cs.Schemaname
		if name == "" && cs.Authrole != nil {
			name = cs.Authrole.Rolename
		}
		if cs.IfNotExists {
			if d, err := cat.Schema(ctx, s.dbID, name); err != nil {
				return "", err
			} else if d != nil {
				_ = s.notice(noticef(pgerror.DuplicateSchema, "schema %q already exists, skipping", name))
				return "CREATE SCHEMA", nil
			}
		}
		if _, err := cat.CreateSchema(ctx, s.dbID, name, s.user); err != nil {
			return "", err
		}
		return "CREATE SCHEMA", nil
	case *pg.Node_CreatedbStmt:
		if s.explicit {
			return "", pgerror.New(pgerror.ActiveSqlTransaction, "CREATE DATABASE cannot run inside a transaction block")
		}
		if _, err := cat.CreateDatabase(ctx, x.CreatedbStmt.Dbname, s.user); err != nil {
			return "", err
		}
		return "CREATE DATABASE", nil
	case *pg.Node_DropdbStmt:
		return s.dropDatabase(ctx, cat, x.DropdbStmt)
	case *pg.Node_DropStmt:
		return s.drop(ctx, txn, cat, x.DropStmt)
	case *pg.Node_ExplainStmt:
		return s.explain(ctx, txn, x.ExplainStmt, st.Offset, w)
	case *pg.Node_DiscardStmt:
		if x.DiscardStmt.Target == pg.DiscardMode_DISCARD_ALL {
			if s.explicit {
				return "", pgerror.New(pgerror.ActiveSqlTransaction, "DISCARD ALL cannot run inside a transaction block")
			}
			s.prepared = map[string]*Prepared{}
			s.portals = map[string]*Portal{}
			for name, def := range settingDefs {
				if name != "session_authorization" {
					s.settings[name] = def.def
				}
			}
			s.applyTypio()
			return "DISCARD ALL", nil
		}
		return "DISCARD " + strings.TrimPrefix(x.DiscardStmt.Target.String(), "DISCARD_"), nil
	case *pg.Node_DeallocateStmt:
		if x.DeallocateStmt.Name == "" {
			s.prepared = map[string]*Prepared{}
			return "DEALLOCATE ALL", nil
		}
		if _, ok := s.prepared[x.DeallocateStmt.Name]; !ok {
			return "", pgerror.New(pgerror.UndefinedPstatement, "prepared statement %q does not exist", x.DeallocateStmt.Name)
		}
		delete(s.prepared, x.DeallocateStmt.Name)
		return "DEALLOCATE", nil
	}
	return "", pgerror.Unimplemented("statement not supported yet: %s", statementName(st.AST))
}

func statementName(n *pg.Node) string {
	return strings.TrimPrefix(fmtType(n.Node), "*pg_query.Node_")
}

func oldStatementName(n *pg.Node) string {
	name := strings.TrimPrefix(strings.TrimPrefix(strings.Split(strings.TrimPrefix(
		strings.TrimPrefix(typeName(n.Node), "*pg_query.Node_"), "*"), ".")[0], "Node_"), "pg_query")
	return name
}

func typeName(v any) string {
	return strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(fmtType(v)), "*"), "pg_query.")
}

func noticef(code pgerror.Code, format string, args ...any) *pgerror.Error {
	e := pgerror.New(code, format, args...)
	e.Severity = pgerror.SeverityNotice
	return e
}

func (s *Session) createTable(ctx context.Context, cat *catalog.Catalog, cs *pg.CreateStmt, offset int) (string, error) {
	schemaName := cs.Relation.Schemaname
	if schemaName == "" {
		schemaName = "public"
	}
	sc, err := cat.Schema(ctx, s.dbID, schemaName)
	if err != nil {
		return "", err
	}
	if sc == nil {
		return "", pgerror.New(pgerror.UndefinedSchema, "schema %q does not exist", schemaName).WithPosition(int32(offset) + cs.Relation.Location + 1)
	}
	existing, err := cat.Relation(ctx, s.dbID, sc.ID, cs.Relation.Relname)
	if err != nil {
		return "", err
	}
	if existing != nil {
		if cs.IfNotExists {
			_ = s.notice(noticef(pgerror.DuplicateTable, "relation %q already exists, skipping", cs.Relation.Relname))
			return "CREATE TABLE", nil
		}
		return "", pgerror.New(pgerror.DuplicateTable, "relation %q already exists", cs.Relation.Relname)
	}
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, offset)
	desc, serials, err := b.BindCreateTable(cs, sc.ID)
	if err != nil {
		return "", err
	}
	desc.Owner = s.user
	if err := s.addSerialSequences(ctx, cat, desc, serials); err != nil {
		return "", err
	}
	if err := cat.CreateTable(ctx, desc); err != nil {
		return "", err
	}
	// A self-referencing foreign key learns the table's ID now.
	selfRef := false
	for i := range desc.Table.ForeignKeys {
		if desc.Table.ForeignKeys[i].RefTable == 0 {
			desc.Table.ForeignKeys[i].RefTable, selfRef = desc.ID, true
		}
	}
	if selfRef {
		if err := cat.UpdateTable(ctx, desc); err != nil {
			return "", err
		}
	}
	if err := s.linkForeignKeys(ctx, cat, desc); err != nil {
		return "", err
	}
	return "CREATE TABLE", nil
}

func (s *Session) drop(ctx context.Context, txn *kv.Txn, cat *catalog.Catalog, ds *pg.DropStmt) (string, error) {
	switch ds.RemoveType {
	case pg.ObjectType_OBJECT_TYPE:
		return s.dropTypes(ctx, cat, ds)
	case pg.ObjectType_OBJECT_EXTENSION:
		db, err := cat.ByID(ctx, s.dbID)
		if err != nil {
			return "", err
		}
		for _, obj := range ds.Objects {
			name := obj.GetString_().GetSval()
			switch {
			case name == "plpgsql":
				return "", pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop extension plpgsql because other objects depend on it").
					WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
			case slices.Contains(db.Extensions, name):
				db.Extensions = slices.DeleteFunc(db.Extensions, func(e string) bool { return e == name })
			case ds.MissingOk:
				_ = s.notice(noticef(pgerror.UndefinedObject, "extension %q does not exist, skipping", name))
			default:
				return "", pgerror.New(pgerror.UndefinedObject, "extension %q does not exist", name)
			}
		}
		if err := cat.UpdateTable(ctx, db); err != nil {
			return "", err
		}
		return "DROP EXTENSION", nil
	case pg.ObjectType_OBJECT_TABLE:
		for _, obj := range ds.Objects {
			names := listStrings(obj)
			rv := &pg.RangeVar{Relname: names[len(names)-1]}
			if len(names) > 1 {
				rv.Schemaname = names[len(names)-2]
			}
			b := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0)
			desc, err := b.ResolveTable(rv)
			if err != nil {
				if ds.MissingOk && (pgerror.CodeOf(err) == pgerror.UndefinedTable || pgerror.CodeOf(err) == pgerror.UndefinedSchema) {
					_ = s.notice(noticef(pgerror.UndefinedTable, "table %q does not exist, skipping", rv.Relname))
					continue
				}
				if pgerror.CodeOf(err) == pgerror.UndefinedTable {
					return "", pgerror.New(pgerror.UndefinedTable, "table %q does not exist", rv.Relname)
				}
				if pe, ok := err.(*pgerror.Error); ok {
					pe.Position = 0
				}
				return "", err
			}
			if err := s.dropReferencingConstraints(ctx, cat, desc, ds.Behavior == pg.DropBehavior_DROP_CASCADE); err != nil {
				return "", err
			}
			if err := s.unlinkForeignKeys(ctx, cat, desc, refTables(desc), true); err != nil {
				return "", err
			}
			if err := s.dropTableData(ctx, txn, desc); err != nil {
				return "", err
			}
			if err := cat.Drop(ctx, desc); err != nil {
				return "", err
			}
			for _, id := range desc.Table.OwnedSequences {
				if sd, err := cat.ByID(ctx, id); err != nil {
					return "", err
				} else if sd != nil {
					if err := cat.Drop(ctx, sd); err != nil {
						return "", err
					}
				}
			}
		}
		return "DROP TABLE", nil
	case pg.ObjectType_OBJECT_VIEW:
		return s.dropViews(ctx, cat, ds)
	case pg.ObjectType_OBJECT_INDEX:
		return s.dropIndexes(ctx, txn, cat, ds)
	case pg.ObjectType_OBJECT_SEQUENCE:
		for _, obj := range ds.Objects {
			names := listStrings(obj)
			schema := ""
			if len(names) > 1 {
				schema = names[len(names)-2]
			}
			name := names[len(names)-1]
			sc, err := s.schemaFor(ctx, cat, schema)
			var d *catalog.Descriptor
			if err == nil {
				d, err = cat.Relation(ctx, s.dbID, sc.ID, name)
			}
			if err != nil && pgerror.CodeOf(err) != pgerror.UndefinedSchema {
				return "", err
			}
			if d == nil || d.Kind != catalog.KindSequence {
				if ds.MissingOk {
					_ = s.notice(noticef(pgerror.UndefinedTable, "sequence %q does not exist, skipping", name))
					continue
				}
				return "", pgerror.New(pgerror.UndefinedTable, "sequence %q does not exist", name)
			}
			if err := cat.Drop(ctx, d); err != nil {
				return "", err
			}
			s.eng.Seq.Forget(d.ID)
		}
		return "DROP SEQUENCE", nil
	case pg.ObjectType_OBJECT_SCHEMA:
		for _, obj := range ds.Objects {
			name := obj.GetString_().GetSval()
			sc, err := cat.Schema(ctx, s.dbID, name)
			if err != nil {
				return "", err
			}
			if sc == nil {
				if ds.MissingOk {
					_ = s.notice(noticef(pgerror.UndefinedSchema, "schema %q does not exist, skipping", name))
					continue
				}
				return "", pgerror.New(pgerror.UndefinedSchema, "schema %q does not exist", name)
			}
			all, err := cat.List(ctx)
			if err != nil {
				return "", err
			}
			var children []*catalog.Descriptor
			for _, d := range all {
				if (d.Kind == catalog.KindTable || d.Kind == catalog.KindSequence) && d.SchemaID == sc.ID && d.ParentID == s.dbID {
					children = append(children, d)
				}
			}
			if len(children) > 0 && ds.Behavior != pg.DropBehavior_DROP_CASCADE {
				return "", pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop schema %s because other objects depend on it", name).
					WithDetail("table %s.%s depends on schema %s", name, children[0].Name, name).
					WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
			}
			for _, d := range children {
				if d.Kind == catalog.KindTable {
					if err := s.dropTableData(ctx, txn, d); err != nil {
						return "", err
					}
				}
				if err := cat.Drop(ctx, d); err != nil {
					return "", err
				}
			}
			if err := cat.Drop(ctx, sc); err != nil {
				return "", err
			}
		}
		return "DROP SCHEMA", nil
	}
	return "", pgerror.Unimplemented("DROP %s is not supported yet", strings.TrimPrefix(ds.RemoveType.String(), "OBJECT_"))
}

// dropTableData deletes every row of a table in the transaction.
// TODO(#3): drop by range deletion once ranges exist, instead of per key.
func (s *Session) dropTableData(ctx context.Context, txn *kv.Txn, desc *catalog.Descriptor) error {
	start, end := rowenc.TableSpan(desc.ID)
	return deleteSpan(ctx, txn, start, end)
}

func (s *Session) dropDatabase(ctx context.Context, cat *catalog.Catalog, ds *pg.DropdbStmt) (string, error) {
	if s.explicit {
		return "", pgerror.New(pgerror.ActiveSqlTransaction, "DROP DATABASE cannot run inside a transaction block")
	}
	db, err := cat.Database(ctx, ds.Dbname)
	if err != nil {
		return "", err
	}
	if db == nil {
		if ds.MissingOk {
			_ = s.notice(noticef(pgerror.UndefinedDatabase, "database %q does not exist, skipping", ds.Dbname))
			return "DROP DATABASE", nil
		}
		return "", pgerror.New(pgerror.UndefinedDatabase, "database %q does not exist", ds.Dbname)
	}
	if db.ID == s.dbID {
		return "", pgerror.New(pgerror.ObjectInUse, "cannot drop the currently open database")
	}
	all, err := cat.List(ctx)
	if err != nil {
		return "", err
	}
	for _, d := range all {
		if d.ParentID == db.ID {
			if d.Kind == catalog.KindTable {
				if err := s.dropTableData(ctx, s.txn, d); err != nil {
					return "", err
				}
			}
			if err := cat.Drop(ctx, d); err != nil {
				return "", err
			}
		}
	}
	if err := cat.Drop(ctx, db); err != nil {
		return "", err
	}
	return "DROP DATABASE", nil
}

func listStrings(n *pg.Node) []string {
	if l := n.GetList(); l != nil {
		var out []string
		for _, it := range l.Items {
			out = append(out, it.GetString_().GetSval())
		}
		return out
	}
	return []string{n.GetString_().GetSval()}
}

// execSet handles SET, SET LOCAL, RESET and SET TRANSACTION.
func (s *Session) execSet(vs *pg.VariableSetStmt, w ResultWriter) (string, error) {
	switch vs.Kind {
	case pg.VariableSetKind_VAR_SET_MULTI:
		switch vs.Name {
		case "TRANSACTION", "SESSION CHARACTERISTICS":
			if vs.Name == "TRANSACTION" && !s.explicit {
				_ = s.notice(pgerror.New(pgerror.NoActiveSqlTransaction, "SET TRANSACTION can only be used in transaction blocks"))
				return "SET", nil
			}
			if vs.Name == "SESSION CHARACTERISTICS" {
				for _, o := range vs.Args {
					de := o.GetDefElem()
					if de == nil {
						continue
					}
					val := constString(de.Arg)
					switch de.Defname {
					case "transaction_isolation":
						if err := s.set("default_transaction_isolation", val); err != nil {
							return "", err
						}
					case "transaction_read_only":
						if err := s.set("default_transaction_read_only", val); err != nil {
							return "", err
						}
					}
				}
				return "SET", nil
			}
			return "SET", s.applyTxnOptions(vs.Args)
		}
		return "", pgerror.Unimplemented("SET %s is not supported", vs.Name)
	case pg.VariableSetKind_VAR_RESET, pg.VariableSetKind_VAR_SET_DEFAULT:
		name := strings.ToLower(vs.Name)
		def, ok := settingDefs[name]
		if !ok {
			return "", errUnknownSetting(name)
		}
		s.settings[name] = def.def
		s.applyTypio()
		if def.reported {
			return "RESET", w.ParameterStatus(displayName(name), def.def)
		}
		if vs.Kind == pg.VariableSetKind_VAR_SET_DEFAULT {
			return "SET", nil
		}
		return "RESET", nil
	case pg.VariableSetKind_VAR_RESET_ALL:
		for name, def := range settingDefs {
			if name != "session_authorization" {
				s.settings[name] = def.def
			}
		}
		s.applyTypio()
		return "RESET", nil
	case pg.VariableSetKind_VAR_SET_VALUE, pg.VariableSetKind_VAR_SET_CURRENT:
		name := strings.ToLower(vs.Name)
		if name == "timezone" && len(vs.Args) == 1 {
			if c := vs.Args[0].GetTypeCast(); c != nil {
				return "", pgerror.Unimplemented("SET TIME ZONE INTERVAL is not supported yet")
			}
		}
		var parts []string
		for _, a := range vs.Args {
			parts = append(parts, constString(a))
		}
		val := strings.Join(parts, ", ")
		if name == "transaction_isolation" {
			if !s.explicit {
				return "SET", nil
			}
			return "SET", s.applyTxnOptions([]*pg.Node{{Node: &pg.Node_DefElem{DefElem: &pg.DefElem{Defname: name, Arg: vs.Args[0]}}}})
		}
		// SET LOCAL lasts until the end of the transaction; without
		// transaction-scoped settings yet it behaves as SET.
		if err := s.set(name, val); err != nil {
			return "", err
		}
		if def, ok := settingDefs[name]; ok && def.reported {
			if err := w.ParameterStatus(displayName(name), s.settings[name]); err != nil {
				return "", err
			}
		}
		return "SET", nil
	}
	return "", pgerror.Unimplemented("SET form not supported")
}

func constString(n *pg.Node) string {
	if n == nil {
		return ""
	}
	if c := n.GetAConst(); c != nil {
		switch v := c.Val.(type) {
		case *pg.A_Const_Sval:
			return v.Sval.Sval
		case *pg.A_Const_Ival:
			return strconv.Itoa(int(v.Ival.Ival))
		case *pg.A_Const_Fval:
			return v.Fval.Fval
		case *pg.A_Const_Boolval:
			if v.Boolval.Boolval {
				return "on"
			}
			return "off"
		}
	}
	if tc := n.GetTypeCast(); tc != nil {
		return constString(tc.Arg)
	}
	return ""
}

func (s *Session) execShow(vs *pg.VariableShowStmt, w ResultWriter) (string, error) {
	name := strings.ToLower(vs.Name)
	if name == "all" {
		cols := []plan.Column{{Name: "name", T: types.Text}, {Name: "setting", T: types.Text}, {Name: "description", T: types.Text}}
		if err := w.RowDescription(cols, nil); err != nil {
			return "", err
		}
		n := 0
		for _, k := range settingNames() {
			v, _ := s.show(k)
			if err := w.DataRow([][]byte{[]byte(displayName(k)), []byte(v), []byte(settingDefs[k].desc)}); err != nil {
				return "", err
			}
			n++
		}
		return "SHOW", nil
	}
	v, err := s.show(name)
	if err != nil {
		return "", err
	}
	col := name
	switch name {
	case "time zone":
		col = "TimeZone"
	case "session authorization":
		col = "session_authorization"
	default:
		col = displayName(name)
	}
	if err := w.RowDescription([]plan.Column{{Name: col, T: types.Text}}, nil); err != nil {
		return "", err
	}
	if err := w.DataRow([][]byte{[]byte(v)}); err != nil {
		return "", err
	}
	return "SHOW", nil
}

// comment is COMMENT ON TABLE/VIEW/SEQUENCE/INDEX/COLUMN/SCHEMA ... IS
// 'text' (or NULL to remove it).
func (s *Session) comment(ctx context.Context, cat *catalog.Catalog, cs *pg.CommentStmt, offset int) (string, error) {
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, offset)
	names := listStrings(cs.Object)
	rv := func(parts []string) *pg.RangeVar {
		r := &pg.RangeVar{Relname: parts[len(parts)-1], Inh: true, Location: -1}
		if len(parts) > 1 {
			r.Schemaname = parts[len(parts)-2]
		}
		return r
	}
	var d *catalog.Descriptor
	key := ""
	var err error
	switch cs.Objtype {
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_SEQUENCE:
		if d, err = b.ResolveRelation(rv(names)); err != nil {
			return "", err
		}
		want := map[pg.ObjectType]catalog.Kind{pg.ObjectType_OBJECT_TABLE: catalog.KindTable, pg.ObjectType_OBJECT_VIEW: catalog.KindView,
			pg.ObjectType_OBJECT_SEQUENCE: catalog.KindSequence}[cs.Objtype]
		if d.Kind != want {
			return "", pgerror.New(pgerror.WrongObjectType, "%q is not a %s", d.Name, want)
		}
	case pg.ObjectType_OBJECT_COLUMN:
		if len(names) < 2 {
			return "", pgerror.New(pgerror.SyntaxError, "column name must be qualified")
		}
		if d, err = b.ResolveRelation(rv(names[:len(names)-1])); err != nil {
			return "", err
		}
		col := names[len(names)-1]
		if d.Table == nil {
			return "", pgerror.Unimplemented("comments on view columns are not supported yet")
		}
		c, _, ok := d.Table.ColumnByName(col)
		if !ok || c.Hidden {
			return "", pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", col, d.Name)
		}
		key = "c" + strconv.Itoa(int(c.ID))
	case pg.ObjectType_OBJECT_INDEX:
		sc, err := s.schemaFor(ctx, cat, func() string {
			if len(names) > 1 {
				return names[len(names)-2]
			}
			return ""
		}())
		if err != nil {
			return "", err
		}
		t, i, found, err := s.findIndex(ctx, cat, sc.ID, names[len(names)-1])
		if err != nil {
			return "", err
		}
		if !found || i < 0 {
			return "", pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", names[len(names)-1])
		}
		d, key = t, "i"+strconv.Itoa(int(t.Table.Indexes[i].ID))
	case pg.ObjectType_OBJECT_SCHEMA:
		if d, err = s.schemaFor(ctx, cat, names[len(names)-1]); err != nil {
			return "", err
		}
	case pg.ObjectType_OBJECT_EXTENSION:
		if d, err = cat.ByID(ctx, s.dbID); err != nil {
			return "", err
		}
		name := names[len(names)-1]
		if name != "plpgsql" && !slices.Contains(d.Extensions, name) {
			return "", pgerror.New(pgerror.UndefinedObject, "extension %q does not exist", name)
		}
		if name == "plpgsql" {
			return "", pgerror.Unimplemented("COMMENT ON EXTENSION plpgsql is not supported")
		}
		// An explicit empty text hides the default comment.
		if d.Comments == nil {
			d.Comments = map[string]string{}
		}
		d.Comments["x"+name] = cs.Comment
		if err := cat.UpdateTable(ctx, d); err != nil {
			return "", err
		}
		return "COMMENT", nil
	default:
		return "", pgerror.Unimplemented("COMMENT ON %s is not supported yet", strings.TrimPrefix(cs.Objtype.String(), "OBJECT_"))
	}
	d.SetComment(key, cs.Comment)
	if err := cat.UpdateTable(ctx, d); err != nil {
		return "", err
	}
	return "COMMENT", nil
}

// createExtension is CREATE EXTENSION for plpgsql (always installed) and
// the extensions whose functions Aegis has built in (vtable.AvailableExtensions).
func (s *Session) createExtension(ctx context.Context, cat *catalog.Catalog, ce *pg.CreateExtensionStmt) (string, error) {
	name := ce.Extname
	db, err := cat.ByID(ctx, s.dbID)
	if err != nil {
		return "", err
	}
	if name == "plpgsql" || slices.Contains(db.Extensions, name) {
		if ce.IfNotExists {
			_ = s.notice(noticef(pgerror.DuplicateObject, "extension %q already exists, skipping", name))
			return "CREATE EXTENSION", nil
		}
		return "", pgerror.New(pgerror.DuplicateObject, "extension %q already exists", name)
	}
	if _, ok := vtable.AvailableExtensions[name]; !ok {
		return "", pgerror.New(pgerror.UndefinedFile, "extension %q is not available", name).
			WithHint("The extensions Aegis provides are plpgsql, pgcrypto (gen_random_uuid) and uuid-ossp (uuid_generate_v4).")
	}
	db.Extensions = append(db.Extensions, name)
	if err := cat.UpdateTable(ctx, db); err != nil {
		return "", err
	}
	return "CREATE EXTENSION", nil
}
