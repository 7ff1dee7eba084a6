package session

import (
	"context"
	"slices"
	"strings"

	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/bind"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/deparse"
	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

// vtableContext returns the context virtual tables and catalog
// functions read: the catalog as txn sees it, with column defaults and
// CHECK constraints printed as PostgreSQL prints them.
func (s *Session) vtableContext(ctx context.Context, txn *kv.Txn) *vtable.Context {
	cat := catalog.New(txn)
	return &vtable.Context{Ctx: ctx, Cat: cat, DBID: s.dbID, Database: s.database, User: s.user,
		Settings: s.allSettings, Exprs: func(d *catalog.Descriptor) (map[uint32]vtable.ExprText, []vtable.ExprText) {
			return s.tableExprs(ctx, cat, d)
		}, IndexExprs: func(d *catalog.Descriptor) map[uint32][]vtable.ExprText {
			return s.indexExprTexts(ctx, cat, d)
		}, SearchPath: vtable.ParseSearchPath(s.settings["search_path"], s.user),
		Prepared: s.preparedList,
		Activity: s.activityRows,
		ViewTypes: func(d *catalog.Descriptor) []types.T {
			stmts, err := parser.Parse(d.View.Query)
			if err != nil || len(stmts) != 1 || stmts[0].AST.GetSelectStmt() == nil {
				return nil
			}
			cols, err := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0).BindViewQuery(stmts[0].AST.GetSelectStmt())
			if err != nil {
				return nil
			}
			ts := make([]types.T, len(cols))
			for i, c := range cols {
				ts[i] = c.T
			}
			return ts
		},
		ViewDefs: func(d *catalog.Descriptor, pretty bool) (string, bool) {
			vc := &vtable.Context{SearchPath: vtable.ParseSearchPath(s.settings["search_path"], s.user)}
			cfg := deparse.Config{Settings: &s.typio, Plain: !pretty}
			return bind.New(ctx, cat, s.dbID, &s.typio, nil, 0).ViewDefinitionText(d, cfg, vc)
		}}
}

// preparedList lists the named prepared statements (pg_prepared_statements).
func (s *Session) preparedList() []vtable.PreparedStatement {
	var out []vtable.PreparedStatement
	for name, p := range s.prepared {
		if name == "" {
			continue
		}
		out = append(out, vtable.PreparedStatement{Name: name, Statement: p.SQL, PrepareTime: types.DTimestamp(p.Time.UnixMicro()),
			ParamTypes: p.ParamTypes, FromSQL: p.FromSQL})
	}
	slices.SortFunc(out, func(a, b vtable.PreparedStatement) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// indexExprTexts prints d's index key expressions as pg_get_indexdef
// does: a function call as is, anything else in parentheses.
func (s *Session) indexExprTexts(ctx context.Context, cat *catalog.Catalog, d *catalog.Descriptor) map[uint32][]vtable.ExprText {
	bound, err := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0).IndexExprs(d)
	if err != nil || bound == nil {
		return nil
	}
	cfg := deparse.Config{ColName: func(i int) string { return d.Table.Columns[i].Name }, Settings: &s.typio}
	plain := cfg
	plain.Plain = true
	out := map[uint32][]vtable.ExprText{}
	for id, es := range bound {
		texts := make([]vtable.ExprText, len(es))
		for i, e := range es {
			if e == nil {
				continue
			}
			texts[i] = vtable.ExprText{Pretty: cfg.Expr(e), Plain: plain.Expr(e)}
			if c, ok := e.(*plan.Call); !ok || c.Fn.Op != "" || c.Fn.Name == "row" {
				texts[i].Pretty = "(" + texts[i].Pretty + ")"
				texts[i].Plain = "(" + texts[i].Plain + ")"
			}
		}
		out[id] = texts
	}
	return out
}

// tableExprs binds d's defaults and CHECK constraints (as COPY does) and
// prints them with sql/deparse; nil results make the catalog fall back to
// the stored texts.
func (s *Session) tableExprs(ctx context.Context, cat *catalog.Catalog, d *catalog.Descriptor) (map[uint32]vtable.ExprText, []vtable.ExprText) {
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0)
	n, err := b.CopyInsert(d, nil, [][]types.Datum{{}})
	if err != nil {
		return nil, nil
	}
	ins, ok := n.(*plan.Insert)
	if !ok {
		return nil, nil
	}
	cfg := deparse.Config{ColName: func(i int) string { return d.Table.Columns[i].Name }, Settings: &s.typio}
	plain := cfg
	plain.Plain = true
	defs := map[uint32]vtable.ExprText{}
	if v, ok := ins.Input.(*plan.Values); ok && len(v.Rows) == 1 && len(v.Rows[0]) == len(d.Table.Columns) {
		for i, col := range d.Table.Columns {
			if col.Default == "" {
				continue
			}
			if txt := cfg.Default(v.Rows[0][i], col.Type); txt != "" {
				defs[col.ID] = vtable.ExprText{Pretty: txt, Plain: plain.Default(v.Rows[0][i], col.Type)}
			}
		}
	}
	if gens, err := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0).GeneratedExprs(d); err == nil {
		for i, e := range gens {
			if e != nil {
				defs[d.Table.Columns[i].ID] = vtable.ExprText{Pretty: cfg.Expr(e), Plain: plain.Expr(e)}
			}
		}
	}
	var checks []vtable.ExprText
	for _, ch := range ins.Checks {
		checks = append(checks, vtable.ExprText{Pretty: cfg.Expr(ch.Expr), Plain: plain.Expr(ch.Expr)})
	}
	return defs, checks
}
