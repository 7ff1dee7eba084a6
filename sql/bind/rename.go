package bind

import (
	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"

	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/pgerror"
)

// RenameColumnInExpr rewrites the stored SQL text of an expression over
// the columns of table (a CHECK, DEFAULT, generation or index
// expression) so that references to column old name column new.
func RenameColumnInExpr(text, table, old, new string) (string, error) {
	if text == "" {
		return "", nil
	}
	stmts, err := parser.Parse("SELECT " + text)
	if err != nil || len(stmts) != 1 {
		return "", pgerror.AssertionFailed("bad stored expression %q", text)
	}
	targets := stmts[0].AST.GetSelectStmt().GetTargetList()
	if len(targets) != 1 {
		return "", pgerror.AssertionFailed("bad stored expression %q", text)
	}
	expr := targets[0].GetResTarget().GetVal()
	changed := false
	parser.Walk(expr, func(m proto.Message) bool {
		cr, ok := m.(*pg.ColumnRef)
		if !ok {
			return true
		}
		f := cr.Fields
		if n := len(f); n > 0 && f[n-1].GetString_().GetSval() == old &&
			(n == 1 || f[n-2].GetString_().GetSval() == table) {
			f[n-1] = pg.MakeStrNode(new)
			changed = true
		}
		return true
	})
	if !changed {
		return text, nil
	}
	return deparseExpr(expr)
}

// ViewRename describes a rename that stored view queries must follow.
type ViewRename struct {
	// Relation, when non-zero, is renamed to RelName and/or moved to
	// schema SchemaName (empty: unchanged).
	Relation   uint32
	RelName    string
	SchemaName string
	// Column, when Table is non-zero, is renamed to ColumnName.
	Table      uint32
	Column     uint32
	ColumnName string
}

// RewriteViewQuery rebinds a view's stored SELECT text (under the names
// before the rename) and returns the text rewritten to name the same
// objects after it. A renamed table keeps its old name as an alias, and
// a renamed column selected without an alias gets its old name as one,
// so every other name in the query keeps its meaning.
func (b *Binder) RewriteViewQuery(text string, r ViewRename) (string, bool, error) {
	stmts, err := parser.Parse(text)
	if err != nil || len(stmts) != 1 || stmts[0].AST.GetSelectStmt() == nil {
		return "", false, pgerror.AssertionFailed("bad stored view query %q", text)
	}
	refs := b.RecordRefs()
	defer func() { b.refs = nil }()
	if _, err := b.BindViewQuery(stmts[0].AST.GetSelectStmt()); err != nil {
		return "", false, err
	}
	changed := false
	isRenamedColumn := func(n *pg.Node) bool {
		cr := n.GetColumnRef()
		if cr == nil || r.Table == 0 {
			return false
		}
		o, ok := refs.Columns[cr.Location]
		return ok && o.Table == r.Table && o.Column == r.Column
	}
	// A renamed relation referenced without an alias: when every
	// reference qualified by its old name is a column of it, those
	// qualifiers follow the new name (as PostgreSQL prints the view);
	// otherwise (t.*, whole-row t) the old name stays as an alias.
	oldName, useAlias := "", false
	if r.Relation != 0 && r.RelName != "" {
		parser.Walk(stmts[0].AST, func(m proto.Message) bool {
			if x, ok := m.(*pg.RangeVar); ok && x.Alias == nil && refs.Relations[x.Location] == r.Relation {
				oldName = x.Relname
			}
			return true
		})
		if oldName != "" {
			parser.Walk(stmts[0].AST, func(m proto.Message) bool {
				cr, ok := m.(*pg.ColumnRef)
				if !ok {
					return true
				}
				n := len(cr.Fields)
				if n == 1 {
					// A whole-row reference (json_agg(t)) when it names
					// no column.
					if _, rec := refs.Columns[cr.Location]; !rec && cr.Fields[0].GetString_().GetSval() == oldName {
						useAlias = true
					}
					return true
				}
				if cr.Fields[n-2].GetString_().GetSval() == oldName {
					o, rec := refs.Columns[cr.Location]
					if n != 2 || !rec || o.Table != r.Relation {
						useAlias = true
					}
				}
				return true
			})
		}
	}
	parser.Walk(stmts[0].AST, func(m proto.Message) bool {
		switch x := m.(type) {
		case *pg.RangeVar:
			if r.Relation == 0 || refs.Relations[x.Location] != r.Relation {
				return true
			}
			if r.RelName != "" && r.RelName != x.Relname {
				if x.Alias == nil && useAlias {
					x.Alias = &pg.Alias{Aliasname: x.Relname}
				}
				x.Relname = r.RelName
				changed = true
			}
			if r.SchemaName != "" {
				x.Schemaname = r.SchemaName
				changed = true
			}
		case *pg.ResTarget:
			if x.Name == "" && x.Val != nil && isRenamedColumn(x.Val) {
				f := x.Val.GetColumnRef().Fields
				x.Name = f[len(f)-1].GetString_().GetSval()
			}
		case *pg.ColumnRef:
			if isRenamedColumn(&pg.Node{Node: &pg.Node_ColumnRef{ColumnRef: x}}) {
				x.Fields[len(x.Fields)-1] = pg.MakeStrNode(r.ColumnName)
				changed = true
			}
			if oldName != "" && !useAlias && len(x.Fields) == 2 && x.Fields[0].GetString_().GetSval() == oldName {
				if o, ok := refs.Columns[x.Location]; ok && o.Table == r.Relation {
					x.Fields[0] = pg.MakeStrNode(r.RelName)
					changed = true
				}
			}
		}
		return true
	})
	if !changed {
		return text, false, nil
	}
	out, err := pg.Deparse(&pg.ParseResult{Version: 170007, Stmts: []*pg.RawStmt{{Stmt: stmts[0].AST}}})
	if err != nil {
		return "", false, pgerror.Wrap(err, pgerror.InternalError)
	}
	return out, true, nil
}

// RenameRegclassInExpr rewrites the regclass literals of a stored
// expression (nextval('seq'::regclass) in a serial column's default) for
// which match reports true to name newName instead.
func RenameRegclassInExpr(text string, match func(name string) bool, newName string) (string, error) {
	if text == "" {
		return "", nil
	}
	stmts, err := parser.Parse("SELECT " + text)
	if err != nil || len(stmts) != 1 {
		return "", pgerror.AssertionFailed("bad stored expression %q", text)
	}
	targets := stmts[0].AST.GetSelectStmt().GetTargetList()
	if len(targets) != 1 {
		return "", pgerror.AssertionFailed("bad stored expression %q", text)
	}
	expr := targets[0].GetResTarget().GetVal()
	changed := false
	rename := func(n *pg.Node) {
		c := n.GetAConst()
		if c != nil && c.GetSval() != nil && match(c.GetSval().Sval) {
			c.GetSval().Sval = newName
			changed = true
		}
	}
	parser.Walk(expr, func(m proto.Message) bool {
		switch x := m.(type) {
		case *pg.TypeCast:
			// 'name'::regclass
			if x.TypeName != nil && len(x.TypeName.Names) > 0 &&
				x.TypeName.Names[len(x.TypeName.Names)-1].GetString_().GetSval() == "regclass" {
				rename(x.Arg)
			}
		case *pg.FuncCall:
			// nextval('name'): the argument is a regclass literal.
			if len(x.Funcname) > 0 && len(x.Args) > 0 {
				switch x.Funcname[len(x.Funcname)-1].GetString_().GetSval() {
				case "nextval", "currval", "setval":
					rename(x.Args[0])
				}
			}
		}
		return true
	})
	if !changed {
		return text, nil
	}
	return deparseExpr(expr)
}
