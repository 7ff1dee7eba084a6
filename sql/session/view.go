package session

import (
	"context"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/bind"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
)

func (s *Session) createView(ctx context.Context, cat *catalog.Catalog, vs *pg.ViewStmt, offset int) (string, error) {
	sel := vs.Query.GetSelectStmt()
	if sel == nil {
		return "", pgerror.Unimplemented("view query kind not supported")
	}
	if vs.View.Relpersistence == "t" {
		return "", pgerror.Unimplemented("temporary views are not supported yet")
	}
	sc, err := s.schemaFor(ctx, cat, vs.View.Schemaname)
	if err != nil {
		return "", err
	}
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, offset)
	cols, err := b.BindViewQuery(sel)
	if err != nil {
		return "", err
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	for i, a := range vs.Aliases {
		if i >= len(names) {
			return "", pgerror.New(pgerror.SyntaxError, "CREATE VIEW specifies more column names than columns")
		}
		names[i] = a.GetString_().GetSval()
	}
	text, err := pg.Deparse(&pg.ParseResult{Version: 170007, Stmts: []*pg.RawStmt{{Stmt: vs.Query}}})
	if err != nil {
		return "", pgerror.Wrap(err, pgerror.InternalError)
	}
	existing, err := cat.Relation(ctx, s.dbID, sc.ID, vs.View.Relname)
	if err != nil {
		return "", err
	}
	if existing != nil {
		if !vs.Replace || existing.Kind != catalog.KindView {
			return "", pgerror.New(pgerror.DuplicateTable, "relation %q already exists", vs.View.Relname)
		}
		if len(names) < len(existing.View.Columns) {
			return "", pgerror.New(pgerror.InvalidTableDefinition, "cannot drop columns from view")
		}
		existing.View = &catalog.View{Query: text, Columns: names, DependsOn: b.Referenced()}
		if err := cat.UpdateTable(ctx, existing); err != nil {
			return "", err
		}
		return "CREATE VIEW", nil
	}
	if taken, err := s.relationNameTaken(ctx, cat, sc.ID, vs.View.Relname); err != nil {
		return "", err
	} else if taken {
		return "", pgerror.New(pgerror.DuplicateTable, "relation %q already exists", vs.View.Relname)
	}
	d := &catalog.Descriptor{Name: vs.View.Relname, ParentID: s.dbID, SchemaID: sc.ID, Owner: s.user,
		View: &catalog.View{Query: text, Columns: names, DependsOn: b.Referenced()}}
	if err := cat.CreateView(ctx, d); err != nil {
		return "", err
	}
	return "CREATE VIEW", nil
}

func (s *Session) dropViews(ctx context.Context, cat *catalog.Catalog, ds *pg.DropStmt) (string, error) {
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
		if d == nil {
			if ds.MissingOk {
				_ = s.notice(noticef(pgerror.UndefinedTable, "view %q does not exist, skipping", name))
				continue
			}
			return "", pgerror.New(pgerror.UndefinedTable, "view %q does not exist", name)
		}
		if d.Kind != catalog.KindView {
			return "", pgerror.New(pgerror.WrongObjectType, "%q is not a view", name).WithHint("Use DROP TABLE to remove a table.")
		}
		if err := cat.Drop(ctx, d); err != nil {
			return "", err
		}
	}
	return "DROP VIEW", nil
}
