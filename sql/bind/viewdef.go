package bind

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/deparse"
	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

// errViewDefUnsupported makes ViewDefinition fall back to the stored text.
var errViewDefUnsupported = pgerror.Unimplemented("view definition shape not deparsed")

// rawExpr is an already printed expression (an aggregate call) inside an
// expression being printed.
type rawExpr struct {
	text string
	t    types.T
}

func (e *rawExpr) Type() types.T  { return e.t }
func (e *rawExpr) String() string { return e.text }

// ViewDefinition prints a view's SELECT as pg_get_viewdef(oid, pretty)
// does: " SELECT a.x,\n    a.y AS z\n   FROM t a\n  WHERE ...". It covers
// tables and joins with ON in FROM, WHERE, GROUP BY, HAVING, ORDER BY,
// LIMIT/OFFSET, DISTINCT and aggregates; other shapes (set operations,
// subqueries, WITH, window functions) fail, and the caller shows the
// stored text instead.
func (b *Binder) ViewDefinition(sel *pg.SelectStmt, cfgSettings deparse.Config, inSearchPath func(schema string) bool) (string, error) {
	if sel.Op != pg.SetOperation_SETOP_NONE || sel.WithClause != nil || len(sel.ValuesLists) > 0 || len(sel.WindowClause) > 0 ||
		len(sel.LockingClause) > 0 || sel.IntoClause != nil {
		return "", errViewDefUnsupported
	}
	if len(sel.FromClause) == 0 {
		return "", errViewDefUnsupported
	}
	// FROM: every item a table (possibly aliased) or a join with ON.
	var fromText []string
	var names []string // "alias.col" for each FROM column, in scope order
	var walk func(n *pg.Node, top bool) (string, error)
	walk = func(n *pg.Node, top bool) (string, error) {
		switch x := n.Node.(type) {
		case *pg.Node_RangeVar:
			rv := x.RangeVar
			d, err := b.ResolveRelation(rv)
			if err != nil {
				return "", err
			}
			if d.Table == nil {
				return "", errViewDefUnsupported
			}
			if rv.Alias != nil && len(rv.Alias.Colnames) > 0 {
				return "", errViewDefUnsupported
			}
			sc, err := b.cat.ByID(b.ctx, d.SchemaID)
			if err != nil || sc == nil {
				return "", errViewDefUnsupported
			}
			name := parser.QuoteIdent(d.Name)
			if !inSearchPath(sc.Name) {
				name = parser.QuoteIdent(sc.Name) + "." + name
			}
			alias := d.Name
			if rv.Alias != nil {
				alias = rv.Alias.Aliasname
				name += " " + parser.QuoteIdent(alias)
			}
			for _, c := range d.Table.Columns {
				names = append(names, parser.QuoteIdent(alias)+"."+parser.QuoteIdent(c.Name))
			}
			return name, nil
		case *pg.Node_JoinExpr:
			j := x.JoinExpr
			if len(j.UsingClause) > 0 || j.IsNatural || j.Alias != nil || (j.Quals == nil && j.Jointype != pg.JoinType_JOIN_INNER) {
				return "", errViewDefUnsupported
			}
			l, err := walk(j.Larg, false)
			if err != nil {
				return "", err
			}
			r, err := walk(j.Rarg, false)
			if err != nil {
				return "", err
			}
			kind := map[pg.JoinType]string{pg.JoinType_JOIN_INNER: "JOIN", pg.JoinType_JOIN_LEFT: "LEFT JOIN",
				pg.JoinType_JOIN_RIGHT: "RIGHT JOIN", pg.JoinType_JOIN_FULL: "FULL JOIN"}[j.Jointype]
			if kind == "" {
				return "", errViewDefUnsupported
			}
			if j.Quals == nil {
				kind = "CROSS JOIN"
			}
			// The ON condition prints after the whole join is bound (it
			// may read both sides); keep a placeholder.
			return "\x00join\x00" + l + "\x00" + kind + "\x00" + r, nil
		}
		return "", errViewDefUnsupported
	}
	for _, item := range sel.FromClause {
		t, err := walk(item, true)
		if err != nil {
			return "", err
		}
		fromText = append(fromText, t)
	}
	// Bind the statement the ordinary way for its expressions: the FROM
	// scope's columns are the names collected above, in the same order.
	_, in, err := b.bindFrom(sel.FromClause)
	if err != nil {
		return "", err
	}
	if len(in.cols) != len(names) {
		return "", errViewDefUnsupported
	}
	in.agg = &aggState{}
	cfg := cfgSettings
	cfg.ColName = func(i int) string { return names[i] }
	cfg.QuotedColNames = true
	printExpr := func(e plan.Expr) (string, error) {
		e, err := b.inlineAggs(e, in.agg, cfg)
		if err != nil {
			return "", err
		}
		return cfg.Expr(e), nil
	}
	var out strings.Builder
	out.WriteString(" SELECT ")
	if len(sel.DistinctClause) > 0 {
		if sel.DistinctClause[0] != nil && sel.DistinctClause[0].Node != nil {
			return "", errViewDefUnsupported
		}
		out.WriteString("DISTINCT ")
	}
	var targetExprs []plan.Expr // the select list, for ORDER BY output names and positions
	var targetNames []string
	for i, tn := range sel.TargetList {
		rt := tn.GetResTarget()
		if rt == nil {
			return "", errViewDefUnsupported
		}
		if i > 0 {
			out.WriteString(",\n    ")
		}
		if cr := rt.Val.GetColumnRef(); cr != nil && isStar(cr) {
			return "", errViewDefUnsupported // PostgreSQL expands *; so would we, later
		}
		e, err := b.bindExpr(in, rt.Val)
		if err != nil {
			return "", err
		}
		if e.Type().Oid == types.OidUnknown {
			if e, err = b.coerce(e, types.Text, castImplicit, -1); err != nil {
				return "", err
			}
		}
		text, err := printExpr(e)
		if err != nil {
			return "", err
		}
		out.WriteString(text)
		name := rt.Name
		if name == "" {
			name = figureColname(rt.Val)
		}
		targetExprs, targetNames = append(targetExprs, e), append(targetNames, name)
		natural := ""
		if c, ok := e.(*plan.ColRef); ok {
			natural = in.cols[c.Idx].name
		}
		if name != natural {
			out.WriteString(" AS " + parser.QuoteIdent(name))
		}
	}
	// FROM, with joins and their ON conditions.
	var fromStr func(t string, indent int) (string, error)
	joinIdx := 0
	var joins []*pg.JoinExpr
	var collect func(n *pg.Node)
	collect = func(n *pg.Node) {
		if j := n.GetJoinExpr(); j != nil {
			collect(j.Larg)
			collect(j.Rarg)
			joins = append(joins, j)
		}
	}
	for _, item := range sel.FromClause {
		collect(item)
	}
	fromStr = func(t string, indent int) (string, error) {
		if !strings.HasPrefix(t, "\x00join\x00") {
			return t, nil
		}
		parts := strings.SplitN(t[len("\x00join\x00"):], "\x00", 3)
		l, err := fromStr(parts[0], indent)
		if err != nil {
			return "", err
		}
		r, err := fromStr(parts[2], indent+2)
		if err != nil {
			return "", err
		}
		j := joins[joinIdx]
		joinIdx++
		s := l + "\n" + strings.Repeat(" ", indent+5) + parts[1] + " " + r
		if j.Quals != nil {
			on, err := b.bindExpr(in, j.Quals)
			if err != nil {
				return "", err
			}
			text, err := printExpr(on)
			if err != nil {
				return "", err
			}
			if cfg.Plain {
				text = "(" + text + ")"
			}
			s += " ON " + text
		}
		if cfg.Plain {
			s = "(" + s + ")"
		}
		return s, nil
	}
	out.WriteString("\n   FROM ")
	for i, t := range fromText {
		if i > 0 {
			out.WriteString(",\n    ")
		}
		s, err := fromStr(t, 0)
		if err != nil {
			return "", err
		}
		out.WriteString(s)
	}
	if sel.WhereClause != nil {
		e, err := b.bindExpr(in, sel.WhereClause)
		if err != nil {
			return "", err
		}
		text, err := printExpr(e)
		if err != nil {
			return "", err
		}
		out.WriteString("\n  WHERE " + text)
	}
	// sortGroupText prints a GROUP BY or ORDER BY key as PostgreSQL's
	// get_rule_sortgroupclause does: anything but a column or a constant
	// in parentheses when pretty, function calls and aggregates always.
	sortGroupText := func(e plan.Expr) (string, error) {
		text, err := printExpr(e)
		if err != nil {
			return "", err
		}
		paren := false
		switch x := e.(type) {
		case *plan.ColRef, *plan.Const:
		case *plan.Call:
			paren = !cfg.Plain || x.Fn.Op == ""
		case *plan.AggRef:
			paren = true
		default:
			paren = !cfg.Plain
		}
		if paren {
			text = "(" + text + ")"
		}
		return text, nil
	}
	if len(sel.GroupClause) > 0 {
		var keys []string
		for _, g := range sel.GroupClause {
			e, err := b.bindExpr(in, g)
			if err != nil {
				return "", err
			}
			text, err := sortGroupText(e)
			if err != nil {
				return "", err
			}
			keys = append(keys, text)
		}
		out.WriteString("\n  GROUP BY " + strings.Join(keys, ", "))
	}
	if sel.HavingClause != nil {
		e, err := b.bindExpr(in, sel.HavingClause)
		if err != nil {
			return "", err
		}
		text, err := printExpr(e)
		if err != nil {
			return "", err
		}
		out.WriteString("\n HAVING " + text)
	}
	if len(sel.SortClause) > 0 {
		var keys []string
		for _, n := range sel.SortClause {
			sb := n.GetSortBy()
			var e plan.Expr
			if c := sb.Node.GetAConst(); c != nil {
				// ORDER BY position
				k := int(c.GetIval().GetIval())
				if c.GetIval() == nil || k < 1 || k > len(targetExprs) {
					return "", errViewDefUnsupported
				}
				e = targetExprs[k-1]
			} else if cr := sb.Node.GetColumnRef(); cr != nil && len(cr.Fields) == 1 && cr.Fields[0].GetString_() != nil {
				// A bare name is an output column first.
				found := -1
				for i, n := range targetNames {
					if n == cr.Fields[0].GetString_().Sval {
						if found >= 0 {
							return "", errViewDefUnsupported
						}
						found = i
					}
				}
				if found >= 0 {
					e = targetExprs[found]
				}
			}
			if e == nil {
				var err error
				if e, err = b.bindExpr(in, sb.Node); err != nil {
					return "", err
				}
			}
			text, err := sortGroupText(e)
			if err != nil {
				return "", err
			}
			switch sb.SortbyDir {
			case pg.SortByDir_SORTBY_DESC:
				text += " DESC"
			}
			switch sb.SortbyNulls {
			case pg.SortByNulls_SORTBY_NULLS_FIRST:
				if sb.SortbyDir != pg.SortByDir_SORTBY_DESC {
					text += " NULLS FIRST"
				}
			case pg.SortByNulls_SORTBY_NULLS_LAST:
				if sb.SortbyDir == pg.SortByDir_SORTBY_DESC {
					text += " NULLS LAST"
				}
			}
			keys = append(keys, text)
		}
		out.WriteString("\n  ORDER BY " + strings.Join(keys, ", "))
	}
	if sel.LimitOffset != nil {
		e, err := b.bindExpr(in, sel.LimitOffset)
		if err != nil {
			return "", err
		}
		out.WriteString("\n OFFSET " + cfg.Expr(e))
	}
	if sel.LimitCount != nil {
		e, err := b.bindExpr(in, sel.LimitCount)
		if err != nil {
			return "", err
		}
		out.WriteString("\n LIMIT " + cfg.Expr(e))
	}
	out.WriteString(";")
	return out.String(), nil
}

// inlineAggs replaces the aggregate references of e with their printed
// calls.
func (b *Binder) inlineAggs(e plan.Expr, agg *aggState, cfg deparse.Config) (plan.Expr, error) {
	return plan.Rewrite(e, func(x plan.Expr) (plan.Expr, error) {
		ref, ok := x.(*plan.AggRef)
		if !ok {
			return x, nil
		}
		if ref.Idx >= len(agg.calls) {
			return nil, errViewDefUnsupported
		}
		c := agg.calls[ref.Idx]
		if len(c.Order) > 0 || c.Filter != nil {
			return nil, errViewDefUnsupported
		}
		name := string(c.Agg.Name)
		text := name + "(*)"
		if c.Arg != nil {
			arg := cfg.Expr(c.Arg)
			if c.Distinct {
				arg = "DISTINCT " + arg
			}
			if c.Delim != nil {
				arg += ", " + cfg.Expr(c.Delim)
			}
			text = name + "(" + arg + ")"
		}
		return &rawExpr{text: text, t: ref.T}, nil
	})
}

// ViewDefinitionText parses a stored view query and prints it (see
// ViewDefinition); ok is false when the shape is not supported.
func (b *Binder) ViewDefinitionText(d *catalog.Descriptor, cfg deparse.Config, c *vtable.Context) (string, bool) {
	stmts, err := parser.Parse(d.View.Query)
	if err != nil || len(stmts) != 1 {
		return "", false
	}
	sel := stmts[0].AST.GetSelectStmt()
	if sel == nil {
		return "", false
	}
	text, err := b.ViewDefinition(sel, cfg, c.OnSearchPath)
	if err != nil {
		return "", false
	}
	return text, true
}
