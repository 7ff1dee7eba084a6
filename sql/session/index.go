package session

import (
	"context"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/exec/op"
	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/bind"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/rowenc"
	"github.com/aegisdb/aegis/sql/types"
)

// relationNameTaken reports whether name is used by a table, sequence or
// index in schema scID (they share one namespace, as in pg_class).
func (s *Session) relationNameTaken(ctx context.Context, cat *catalog.Catalog, scID uint32, name string) (bool, error) {
	if d, err := cat.Relation(ctx, s.dbID, scID, name); err != nil || d != nil {
		return d != nil, err
	}
	_, _, found, err := s.findIndex(ctx, cat, scID, name)
	return found, err
}

// findIndex finds a secondary index by name in a schema.
func (s *Session) findIndex(ctx context.Context, cat *catalog.Catalog, scID uint32, name string) (*catalog.Descriptor, int, bool, error) {
	all, err := cat.List(ctx)
	if err != nil {
		return nil, 0, false, err
	}
	for _, d := range all {
		if d.Kind != catalog.KindTable || d.SchemaID != scID || d.ParentID != s.dbID {
			continue
		}
		if d.Table.PrimaryKeyName == name {
			return d, -1, true, nil
		}
		if _, i, ok := d.Table.IndexByName(name); ok {
			return d, i, true, nil
		}
	}
	return nil, 0, false, nil
}

func (s *Session) createIndex(ctx context.Context, txn *kv.Txn, cat *catalog.Catalog, is *pg.IndexStmt, offset int) (string, error) {
	if is.WhereClause != nil {
		return "", pgerror.Unimplemented("partial indexes are not supported yet")
	}
	method := strings.ToLower(is.AccessMethod)
	switch method {
	case "", "btree":
		method = ""
	case "gin":
		if is.Unique {
			return "", pgerror.New(pgerror.FeatureNotSupported, "access method \"gin\" does not support unique indexes")
		}
	case "hash", "gist", "spgist", "brin":
		return "", pgerror.Unimplemented("index access method %q is not supported yet", is.AccessMethod)
	default:
		return "", pgerror.New(pgerror.UndefinedObject, "access method \"%s\" does not exist", is.AccessMethod)
	}
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, offset)
	desc, err := b.ResolveTable(is.Relation)
	if err != nil {
		return "", err
	}
	ix := catalog.Index{Name: is.Idxname, Unique: is.Unique, Method: method}
	var colNames []string
	for _, p := range is.IndexParams {
		ie := p.GetIndexElem()
		if ie == nil {
			return "", pgerror.Unimplemented("this index element is not supported yet")
		}
		if ie.Name == "" && ie.Expr != nil {
			if method == "gin" {
				return "", pgerror.Unimplemented("GIN indexes on expressions are not supported yet")
			}
			text, _, cols, err := b.BindIndexExpr(desc, ie.Expr)
			if err != nil {
				return "", err
			}
			if len(ix.Exprs) == 0 {
				ix.Exprs = make([]string, len(ix.Columns))
			}
			ix.Columns = append(ix.Columns, 0)
			ix.Exprs = append(ix.Exprs, text)
			for _, c := range cols {
				if !slices.Contains(ix.ExprColumns, c) {
					ix.ExprColumns = append(ix.ExprColumns, c)
				}
			}
			name := "expr"
			if fc := ie.Expr.GetFuncCall(); fc != nil && len(fc.Funcname) > 0 {
				name = fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval()
			}
			colNames = append(colNames, name)
			continue
		}
		if len(ix.Exprs) > 0 {
			ix.Exprs = append(ix.Exprs, "")
		}
		c, _, ok := desc.Table.ColumnByName(ie.Name)
		if !ok || c.Hidden {
			return "", pgerror.New(pgerror.UndefinedColumn, "column %q does not exist", ie.Name)
		}
		ix.Columns = append(ix.Columns, c.ID)
		colNames = append(colNames, ie.Name)
		opclass := ""
		if names := listStrings(&pg.Node{Node: &pg.Node_List{List: &pg.List{Items: ie.Opclass}}}); len(names) > 0 {
			opclass = strings.ToLower(names[len(names)-1])
		}
		if method == "gin" {
			if len(is.IndexParams) > 1 {
				return "", pgerror.Unimplemented("multicolumn GIN indexes are not supported yet")
			}
			def := ""
			switch {
			case c.Type.Oid == types.OidJSONB:
				def = "jsonb_ops"
			case c.Type.IsArray() && !c.Type.IsVector():
				def = "array_ops"
			}
			switch {
			case opclass == "" && def == "":
				return "", pgerror.New(pgerror.UndefinedObject, "data type %s has no default operator class for access method \"gin\"", c.Type.WithoutTypmod()).
					WithHint("You must specify an operator class for the index or define a default operator class for the data type.")
			case opclass == "" || opclass == def:
			case opclass == "jsonb_path_ops" && def == "jsonb_ops":
				ix.OpClass = opclass
			case opclass == "jsonb_ops" || opclass == "jsonb_path_ops" || opclass == "array_ops":
				return "", pgerror.New(pgerror.DatatypeMismatch, "operator class \"%s\" does not accept data type %s", opclass, c.Type.WithoutTypmod())
			default:
				return "", pgerror.New(pgerror.UndefinedObject, "operator class \"%s\" does not exist for access method \"gin\"", opclass)
			}
		} else if opclass != "" {
			return "", pgerror.Unimplemented("operator classes on btree indexes are not supported yet")
		}
	}
	if ix.Name == "" {
		base := bind.ChooseName(desc.Name, joinNames(colNames), "idx")
		ix.Name = base
		for i := 1; ; i++ {
			taken, err := s.relationNameTaken(ctx, cat, desc.SchemaID, ix.Name)
			if err != nil {
				return "", err
			}
			if !taken {
				break
			}
			ix.Name = base + itoa(i)
		}
	} else if taken, err := s.relationNameTaken(ctx, cat, desc.SchemaID, ix.Name); err != nil {
		return "", err
	} else if taken {
		if is.IfNotExists {
			_ = s.notice(noticef(pgerror.DuplicateTable, "relation %q already exists, skipping", ix.Name))
			return "CREATE INDEX", nil
		}
		return "", pgerror.New(pgerror.DuplicateTable, "relation %q already exists", ix.Name)
	}
	if err := bind.AddIndex(desc, ix); err != nil {
		return "", err
	}
	ix = desc.Table.Indexes[len(desc.Table.Indexes)-1]
	evals, err := s.indexEvals(ctx, txn, desc)
	if err != nil {
		return "", err
	}
	if err := op.BackfillIndex(ctx, txn, desc, ix, &s.typio, evals); err != nil {
		if pgerror.CodeOf(err) == pgerror.UniqueViolation {
			pe := pgerror.Flatten(err)
			return "", pgerror.New(pgerror.UniqueViolation, "could not create unique index %q", ix.Name).WithDetail("%s", pe.Detail).WithTable("public", desc.Name)
		}
		return "", err
	}
	if err := cat.UpdateTable(ctx, desc); err != nil {
		return "", err
	}
	return "CREATE INDEX", nil
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += "_"
		}
		out += n
	}
	return out
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func (s *Session) dropIndexes(ctx context.Context, txn *kv.Txn, cat *catalog.Catalog, ds *pg.DropStmt) (string, error) {
	for _, obj := range ds.Objects {
		names := listStrings(obj)
		schema := ""
		if len(names) > 1 {
			schema = names[len(names)-2]
		}
		name := names[len(names)-1]
		sc, err := s.schemaFor(ctx, cat, schema)
		if err != nil {
			return "", err
		}
		desc, i, found, err := s.findIndex(ctx, cat, sc.ID, name)
		if err != nil {
			return "", err
		}
		if !found {
			if ds.MissingOk {
				_ = s.notice(noticef(pgerror.UndefinedObject, "index %q does not exist, skipping", name))
				continue
			}
			return "", pgerror.New(pgerror.UndefinedObject, "index %q does not exist", name)
		}
		if i < 0 || desc.Table.Indexes[i].Constraint {
			return "", pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop index %s because constraint %s on table %s requires it", name, name, desc.Name).
				WithHint("You can drop constraint %s on table %s instead.", name, desc.Name)
		}
		ix := desc.Table.Indexes[i]
		prefix := rowenc.IndexPrefix(desc.ID, ix.ID)
		if err := deleteSpan(ctx, txn, prefix, rowenc.PrefixEnd(prefix)); err != nil {
			return "", err
		}
		desc.Table.Indexes = append(desc.Table.Indexes[:i], desc.Table.Indexes[i+1:]...)
		if err := cat.UpdateTable(ctx, desc); err != nil {
			return "", err
		}
	}
	return "DROP INDEX", nil
}

// deleteSpan deletes every key in [start, end) in the transaction.
func deleteSpan(ctx context.Context, txn *kv.Txn, start, end []byte) error {
	it := txn.NewIterator(ctx, start, end)
	var keys [][]byte
	for it.Next() {
		keys = append(keys, append([]byte(nil), it.Key()...))
	}
	err := it.Err()
	it.Close()
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := txn.Delete(ctx, k); err != nil {
			return err
		}
	}
	return nil
}
