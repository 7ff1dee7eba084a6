package bind

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/opt"
	"github.com/aegisdb/aegis/sql/parser"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

// bindFromItem binds one FROM item: a table, a subquery or a join.
func (b *Binder) bindFromItem(n *pg.Node) (plan.Node, *scope, error) {
	switch f := n.Node.(type) {
	case *pg.Node_RangeVar:
		if f.RangeVar.Schemaname == "" {
			if c := b.lookupCTE(f.RangeVar.Relname); c != nil {
				alias := f.RangeVar.Relname
				if f.RangeVar.Alias != nil {
					alias = f.RangeVar.Alias.Aliasname
				}
				node, s, err := b.bindCTERef(c, alias, f.RangeVar.Alias)
				if err == nil {
					s.from = leafFrom(alias, relCTE, nil, node)
				}
				return node, s, err
			}
		}
		if vt := virtualTable(f.RangeVar); vt != nil {
			alias := f.RangeVar.Relname
			if f.RangeVar.Alias != nil {
				alias = f.RangeVar.Alias.Aliasname
			}
			vs := &plan.VirtualScan{Table: vt}
			s := &scope{}
			for _, c := range vt.Cols {
				vs.Cols = append(vs.Cols, plan.Column{Name: c.Name, T: c.T})
				s.cols = append(s.cols, scopeCol{table: alias, name: c.Name, t: c.T})
			}
			if f.RangeVar.Alias != nil && len(f.RangeVar.Alias.Colnames) > 0 {
				if err := renameColumns(s, f.RangeVar.Alias, true); err != nil {
					return nil, nil, err
				}
			}
			var node plan.Node = vs
			if oid, ok := types.CatalogTableOid(vt.Name); ok && vt.Schema == "pg_catalog" {
				// The system column tableoid: the catalog's own OID
				// (pg_dump reads it from every catalog).
				p := &plan.Project{Input: vs, Cols: append([]plan.Column(nil), vs.Cols...)}
				for i, c := range vs.Cols {
					p.Exprs = append(p.Exprs, &plan.ColRef{Idx: i, T: c.T, Name: c.Name})
				}
				p.Exprs = append(p.Exprs, &plan.Const{Val: int64(oid), T: types.OidT})
				p.Cols = append(p.Cols, plan.Column{Name: "tableoid", T: types.OidT})
				s.cols = append(s.cols, scopeCol{table: alias, name: "tableoid", t: types.OidT, system: true})
				node = p
			}
			s.from = leafFrom(alias, relVirtual, nil, node)
			return node, s, nil
		}
		desc, err := b.ResolveRelation(f.RangeVar)
		if err != nil {
			return nil, nil, err
		}
		alias := f.RangeVar.Relname
		if f.RangeVar.Alias != nil {
			alias = f.RangeVar.Alias.Aliasname
		}
		if desc.Kind == catalog.KindView {
			return b.bindView(desc, alias, f.RangeVar.Alias)
		}
		if desc.Kind == catalog.KindSequence {
			// A sequence reads as its one row (last_value, log_cnt,
			// is_called).
			schema := "public"
			if sc, err := b.cat.ByID(b.ctx, desc.SchemaID); err == nil && sc != nil {
				schema = sc.Name
			}
			call := &plan.Call{Fn: funcs.SequenceRow(parser.QuoteIdent(schema) + "." + parser.QuoteIdent(desc.Name))}
			fs := &plan.FuncScan{Calls: []*plan.Call{call}}
			s := &scope{}
			for _, oc := range call.Fn.OutCols {
				fs.Cols = append(fs.Cols, plan.Column{Name: oc.Name, T: oc.T})
				s.cols = append(s.cols, scopeCol{table: alias, name: oc.Name, t: oc.T})
			}
			s.from = leafFrom(alias, relFunction, nil, fs)
			return fs, s, nil
		}
		if desc.Kind != catalog.KindTable {
			return nil, nil, b.errAt(pgerror.Unimplemented("selecting from a %s is not supported yet", desc.Kind), f.RangeVar.Location)
		}
		scan, s := scanOf(desc, alias)
		b.attachIndexExprs(scan)
		if f.RangeVar.Alias != nil && len(f.RangeVar.Alias.Colnames) > 0 {
			if err := renameColumns(s, f.RangeVar.Alias, true); err != nil {
				return nil, nil, err
			}
		}
		s.from = leafFrom(alias, relTable, desc, scan)
		return scan, s, nil
	case *pg.Node_RangeSubselect:
		rs := f.RangeSubselect
		sub := rs.Subquery.GetSelectStmt()
		if sub == nil {
			return nil, nil, pgerror.Unimplemented("subquery kind not supported")
		}
		alias := ""
		if rs.Alias != nil {
			alias = rs.Alias.Aliasname
		}
		node, ex, requested, err := b.bindExposed(sub, alias)
		if err != nil {
			return nil, nil, err
		}
		s := &scope{}
		for i, c := range node.Columns() {
			s.cols = append(s.cols, scopeCol{table: alias, name: c.Name, t: c.T, hidden: ex != nil && i >= ex.fromStart})
		}
		if rs.Alias != nil && len(rs.Alias.Colnames) > 0 {
			if err := renameColumns(s, rs.Alias, true); err != nil {
				return nil, nil, err
			}
		}
		kind := relSubquery
		if len(sub.ValuesLists) > 0 {
			kind = relValues
		}
		s.from = exposeFrom(alias, kind, nil, node, ex, requested)
		return node, s, nil
	case *pg.Node_JoinExpr:
		return b.bindJoin(f.JoinExpr)
	case *pg.Node_RangeFunction:
		return b.bindFuncScan(f.RangeFunction)
	}
	return nil, nil, pgerror.Unimplemented("FROM item not supported")
}

func renameColumns(s *scope, alias *pg.Alias, tableAlias bool) error {
	names := stringList(alias.Colnames)
	visible := 0
	for i := range s.cols {
		if s.cols[i].hidden || s.cols[i].system {
			continue
		}
		if visible < len(names) {
			s.cols[i].name = names[visible]
		}
		visible++
	}
	if len(names) > visible {
		return pgerror.New(pgerror.InvalidColumnReference, "table %q has %d columns available but %d columns specified", alias.Aliasname, visible, len(names))
	}
	return nil
}

// joinNodes builds a join of two bound inputs.
func joinNodes(kind plan.JoinKind, l plan.Node, ls *scope, r plan.Node, rs *scope, on plan.Expr) (*plan.Join, *scope) {
	s := &scope{cols: append(append([]scopeCol(nil), ls.cols...), rs.cols...)}
	cols := append(append([]plan.Column(nil), l.Columns()...), r.Columns()...)
	j := &plan.Join{Kind: kind, Left: l, Right: r, On: on, Cols: cols}
	j.EqLeft, j.EqRight = plan.EquiKeys(on, len(ls.cols))
	s.from = joinFrom(ls.from, rs.from, len(ls.cols), j)
	return j, s
}

// isLateralSubquery reports whether n is a LATERAL subquery in FROM.
func isLateralSubquery(n *pg.Node) bool {
	rs := n.GetRangeSubselect()
	return rs != nil && rs.Lateral
}

// bindLateral binds a LATERAL subquery that follows FROM items of scope
// ls: it may read their columns, as outer references of depth 1.
// correlated reports whether it does (then it must run once per row of
// those items, as plan.Apply).
func (b *Binder) bindLateral(n *pg.Node, ls *scope) (plan.Node, *scope, bool, error) {
	correlated := false
	saved := b.outer
	b.outer = &scope{cols: ls.cols, parent: saved, clause: ls.clause}
	b.subqueries = append(b.subqueries, &correlated)
	node, s, err := b.bindFromItem(n)
	b.subqueries = b.subqueries[:len(b.subqueries)-1]
	b.outer = saved
	if err != nil {
		return nil, nil, false, err
	}
	if correlated {
		s.from = nil // row locking does not reach into a LATERAL subquery
	}
	return node, s, correlated, nil
}

// applyOf turns a join of a correlated LATERAL subquery into an Apply.
func applyOf(j *plan.Join) (*plan.Apply, error) {
	if j.Kind != plan.InnerJoin && j.Kind != plan.LeftJoin {
		return nil, pgerror.New(pgerror.InvalidColumnReference, "invalid reference to FROM-clause entry").
			WithDetail("The combining JOIN type must be INNER or LEFT for a LATERAL reference.")
	}
	return &plan.Apply{Kind: j.Kind, Left: j.Left, Right: j.Right, On: j.On, Cols: j.Cols}, nil
}

func (b *Binder) bindJoin(j *pg.JoinExpr) (plan.Node, *scope, error) {
	l, ls, err := b.bindFromItem(j.Larg)
	if err != nil {
		return nil, nil, err
	}
	var r plan.Node
	var rs *scope
	lateral := false
	if isLateralSubquery(j.Rarg) {
		r, rs, lateral, err = b.bindLateral(j.Rarg, ls)
	} else {
		r, rs, err = b.bindFromItem(j.Rarg)
	}
	if err != nil {
		return nil, nil, err
	}
	kind := plan.InnerJoin
	switch j.Jointype {
	case pg.JoinType_JOIN_LEFT:
		kind = plan.LeftJoin
	case pg.JoinType_JOIN_RIGHT:
		kind = plan.RightJoin
	case pg.JoinType_JOIN_FULL:
		kind = plan.FullJoin
	}
	combined := &scope{cols: append(append([]scopeCol(nil), ls.cols...), rs.cols...), parent: b.outer}
	var on plan.Expr
	using := stringList(j.UsingClause)
	if j.IsNatural {
		for _, lc := range ls.cols {
			if lc.hidden {
				continue
			}
			for _, rc := range rs.cols {
				if !rc.hidden && rc.name == lc.name {
					using = append(using, lc.name)
				}
			}
		}
	}
	type usingCol struct {
		name   string
		li, ri int
	}
	var usingCols []usingCol
	if len(using) > 0 {
		var conds []plan.Expr
		for _, name := range using {
			li, ri := -1, -1
			for i, c := range ls.cols {
				if c.name == name && !c.hidden {
					li = i
				}
			}
			for i, c := range rs.cols {
				if c.name == name && !c.hidden {
					ri = i
				}
			}
			if li < 0 {
				return nil, nil, pgerror.New(pgerror.UndefinedColumn, "column %q specified in USING clause does not exist in left table", name)
			}
			if ri < 0 {
				return nil, nil, pgerror.New(pgerror.UndefinedColumn, "column %q specified in USING clause does not exist in right table", name)
			}
			lref := &plan.ColRef{Idx: li, T: ls.cols[li].t, Name: name}
			rref := &plan.ColRef{Idx: len(ls.cols) + ri, T: rs.cols[ri].t, Name: name}
			eq, err := b.binaryOp("=", lref, rref, j.Rarg.GetRangeVar().GetLocation())
			if err != nil {
				return nil, nil, err
			}
			conds = append(conds, eq)
			usingCols = append(usingCols, usingCol{name: name, li: li, ri: ri})
		}
		on = conds[0]
		if len(conds) > 1 {
			on = &plan.BoolOp{Op: plan.And, Args: conds}
		}
	} else if j.Quals != nil {
		combined.clause = "JOIN conditions"
		e, err := b.bindExpr(combined, j.Quals)
		combined.clause = ""
		if err != nil {
			return nil, nil, err
		}
		if on, err = b.coerceBool(e, "JOIN/ON", -1); err != nil {
			return nil, nil, err
		}
	}
	jn, js := joinNodes(kind, l, ls, r, rs, on)
	var node plan.Node = jn
	if lateral {
		if node, err = applyOf(jn); err != nil {
			return nil, nil, err
		}
		js.from = nil
	}
	combined.parent = nil
	combined.from = js.from
	if len(usingCols) > 0 {
		// As PostgreSQL: the merged USING columns come first (the left
		// value, the right one for RIGHT JOIN, COALESCE of both for FULL
		// JOIN), then every input column; the inputs' copies of the USING
		// columns are reachable only qualified.
		nl := len(ls.cols)
		var exprs []plan.Expr
		var cols []plan.Column
		var sc []scopeCol
		for _, u := range usingCols {
			lref := &plan.ColRef{Idx: u.li, T: ls.cols[u.li].t, Name: u.name}
			rref := &plan.ColRef{Idx: nl + u.ri, T: rs.cols[u.ri].t, Name: u.name}
			var e plan.Expr = lref
			switch kind {
			case plan.RightJoin:
				e = rref
			case plan.FullJoin:
				args, t, err := b.commonArgs([]plan.Expr{lref, rref}, "JOIN/USING")
				if err != nil {
					return nil, nil, err
				}
				e = &plan.Coalesce{Args: args, T: t}
			}
			exprs = append(exprs, e)
			cols = append(cols, plan.Column{Name: u.name, T: e.Type()})
			sc = append(sc, scopeCol{name: u.name, t: e.Type()})
			combined.cols[u.li].qualOnly = true
			combined.cols[nl+u.ri].qualOnly = true
		}
		for i, c := range node.Columns() {
			exprs = append(exprs, &plan.ColRef{Idx: i, T: c.T, Name: c.Name})
			cols = append(cols, c)
		}
		p := &plan.Project{Input: node, Exprs: exprs, Cols: cols}
		node = p
		combined.cols = append(sc, combined.cols...)
		combined.from.shift(len(sc), p)
	}
	if j.Alias != nil {
		if combined.from != nil {
			for _, rel := range combined.from.rels {
				if rel.inJoin == "" {
					rel.inJoin = j.Alias.Aliasname
				}
			}
		}
		for i := range combined.cols {
			combined.cols[i].table = j.Alias.Aliasname
			if combined.cols[i].qualOnly {
				combined.cols[i].hidden = true // only the join's own columns remain
			}
		}
		if len(j.Alias.Colnames) > 0 {
			if err := renameColumns(combined, j.Alias, true); err != nil {
				return nil, nil, err
			}
		}
	}
	return node, combined, nil
}

// bindSetOp binds UNION/INTERSECT/EXCEPT with its ORDER BY and LIMIT.
func (b *Binder) bindSetOp(sel *pg.SelectStmt) (plan.Node, *scope, error) {
	if len(sel.LockingClause) > 0 {
		if lc := sel.LockingClause[0].GetLockingClause(); lc != nil {
			return nil, nil, pgerror.Unimplemented("%s is not allowed with UNION/INTERSECT/EXCEPT", lockingName(lc.Strength))
		}
	}
	// Branch outputs of unknown type (NULL, 'literal') stay unknown so
	// that they resolve to the other branches' type below.
	b.setOpBranch = true
	l, _, err := b.bindSelect(sel.Larg)
	if err != nil {
		return nil, nil, err
	}
	b.setOpBranch = true
	r, _, err := b.bindSelect(sel.Rarg)
	if err != nil {
		return nil, nil, err
	}
	lc, rc := l.Columns(), r.Columns()
	opName := map[pg.SetOperation]string{pg.SetOperation_SETOP_UNION: "UNION", pg.SetOperation_SETOP_INTERSECT: "INTERSECT", pg.SetOperation_SETOP_EXCEPT: "EXCEPT"}[sel.Op]
	if len(lc) != len(rc) {
		return nil, nil, pgerror.New(pgerror.SyntaxError, "each %s query must have the same number of columns", opName)
	}
	cols := make([]plan.Column, len(lc))
	lx, rx := make([]plan.Expr, len(lc)), make([]plan.Expr, len(lc))
	needL, needR := false, false
	for i := range lc {
		la := &plan.ColRef{Idx: i, T: lc[i].T, Name: lc[i].Name}
		ra := &plan.ColRef{Idx: i, T: rc[i].T, Name: rc[i].Name}
		t, err := b.commonType([]plan.Expr{la, ra}, opName, -1)
		if err != nil {
			return nil, nil, err
		}
		if lx[i], err = b.coerce(la, t, castImplicit, -1); err != nil {
			return nil, nil, err
		}
		if rx[i], err = b.coerce(ra, t, castImplicit, -1); err != nil {
			return nil, nil, err
		}
		needL = needL || lc[i].T != t
		needR = needR || rc[i].T != t
		cols[i] = plan.Column{Name: lc[i].Name, T: t}
	}
	if needL {
		l = &plan.Project{Input: l, Exprs: lx, Cols: cols}
	}
	if needR {
		r = &plan.Project{Input: r, Exprs: rx, Cols: cols}
	}
	kind := plan.Union
	switch sel.Op {
	case pg.SetOperation_SETOP_INTERSECT:
		kind = plan.Intersect
	case pg.SetOperation_SETOP_EXCEPT:
		kind = plan.Except
	}
	var out plan.Node = &plan.SetOp{Op: kind, All: sel.All, Left: l, Right: r, Cols: cols}
	s := &scope{}
	for _, c := range cols {
		s.cols = append(s.cols, scopeCol{name: c.Name, t: c.T})
	}
	if len(sel.SortClause) > 0 {
		var keys []plan.SortKey
		for _, sn := range sel.SortClause {
			sb := sn.GetSortBy()
			idx := -1
			if c := sb.Node.GetAConst(); c != nil {
				if iv, ok := c.Val.(*pg.A_Const_Ival); ok {
					idx = int(iv.Ival.Ival) - 1
				}
			} else if cr := sb.Node.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
				name := cr.Fields[0].GetString_().GetSval()
				for i, c := range cols {
					if c.Name == name {
						idx = i
						break
					}
				}
			}
			if idx < 0 || idx >= len(cols) {
				return nil, nil, pgerror.New(pgerror.FeatureNotSupported, "invalid UNION/INTERSECT/EXCEPT ORDER BY clause").
					WithDetail("Only result column names can be used, not expressions or functions.")
			}
			desc := sb.SortbyDir == pg.SortByDir_SORTBY_DESC
			nf := desc
			switch sb.SortbyNulls {
			case pg.SortByNulls_SORTBY_NULLS_FIRST:
				nf = true
			case pg.SortByNulls_SORTBY_NULLS_LAST:
				nf = false
			}
			keys = append(keys, plan.SortKey{Col: idx, Desc: desc, NullsFirst: nf})
		}
		out = &plan.Sort{Input: out, Keys: keys}
	}
	if sel.LimitCount != nil || sel.LimitOffset != nil {
		lim := &plan.Limit{Input: out}
		if lim.Count, err = b.bindLimit(sel.LimitCount, "LIMIT"); err != nil {
			return nil, nil, err
		}
		if lim.Offset, err = b.bindLimit(sel.LimitOffset, "OFFSET"); err != nil {
			return nil, nil, err
		}
		out = lim
	}
	return out, s, nil
}

// bindSubLink binds a subquery used in an expression.
func (b *Binder) bindSubLink(s *scope, sl *pg.SubLink) (plan.Expr, error) {
	sub := sl.Subselect.GetSelectStmt()
	if sub == nil {
		return nil, b.errAt(pgerror.Unimplemented("subquery kind not supported"), sl.Location)
	}
	correlated := false
	savedOuter := b.outer
	if s == nil {
		s = &scope{}
	}
	b.outer = s
	b.subqueries = append(b.subqueries, &correlated)
	// Aggregates of the outer query cannot appear inside the subquery's
	// own aggregation state.
	node, _, err := b.bindSelect(sub)
	b.subqueries = b.subqueries[:len(b.subqueries)-1]
	b.outer = savedOuter
	if err != nil {
		return nil, err
	}
	cols := node.Columns()
	// Folding of the subquery happens with the outer statement's (opt
	// folds nested plans); only the join rules run here.
	optimized, err := opt.Optimize(node, opt.Options{Disabled: map[string]bool{opt.FoldConstants: true}})
	if err != nil {
		return nil, err
	}
	sq := &plan.Subquery{Plan: optimized, Correlated: correlated}
	switch sl.SubLinkType {
	case pg.SubLinkType_EXISTS_SUBLINK:
		sq.Kind, sq.T = plan.ExistsSubquery, types.Bool
		return sq, nil
	case pg.SubLinkType_EXPR_SUBLINK:
		if len(cols) != 1 {
			return nil, b.errAt(pgerror.New(pgerror.SyntaxError, "subquery must return only one column"), sl.Location)
		}
		sq.Kind, sq.T = plan.ScalarSubquery, cols[0].T
		return sq, nil
	case pg.SubLinkType_ARRAY_SUBLINK:
		if len(cols) != 1 {
			return nil, b.errAt(pgerror.New(pgerror.SyntaxError, "subquery must return only one column"), sl.Location)
		}
		t := cols[0].T
		if t.Oid == types.OidUnknown {
			t = types.Text
		}
		at := t
		if !t.IsArray() {
			var ok bool
			if at, ok = types.ArrayOf(t); !ok {
				return nil, b.errAt(pgerror.New(pgerror.UndefinedObject, "could not find array type for data type %s", t), sl.Location)
			}
		}
		sq.Kind, sq.T = plan.ArraySubquery, at
		return sq, nil
	case pg.SubLinkType_ANY_SUBLINK, pg.SubLinkType_ALL_SUBLINK:
		if len(cols) != 1 {
			return nil, b.errAt(pgerror.New(pgerror.SyntaxError, "subquery has too many columns"), sl.Location)
		}
		left, err := b.bindExpr(s, sl.Testexpr)
		if err != nil {
			return nil, err
		}
		op := "="
		if names := stringList(sl.OperName); len(names) > 0 {
			op = names[len(names)-1]
		}
		// The test compares column 0 (the left value) with column 1 (the
		// subquery value) of a two-column row.
		lref := &plan.ColRef{Idx: 0, T: left.Type()}
		rref := &plan.ColRef{Idx: 1, T: cols[0].T}
		if lref.T.Oid == types.OidUnknown {
			if left, err = b.coerce(left, rref.T, castImplicit, sl.Location); err != nil {
				return nil, err
			}
			lref.T = left.Type()
		}
		test, err := b.binaryOp(op, lref, rref, sl.Location)
		if err != nil {
			return nil, err
		}
		if test.Type().Oid != types.OidBool {
			return nil, b.errAt(pgerror.New(pgerror.DatatypeMismatch, "op ANY/ALL (array) requires operator to yield boolean"), sl.Location)
		}
		// The binder may have inserted casts around the column refs;
		// they stay inside Test, evaluated over the two-column row.
		sq.Kind, sq.T, sq.Left, sq.Test = plan.AnySubquery, types.Bool, left, test
		if sl.SubLinkType == pg.SubLinkType_ALL_SUBLINK {
			sq.Kind = plan.AllSubquery
		}
		return sq, nil
	}
	return nil, b.errAt(pgerror.Unimplemented("subquery form not supported yet"), sl.Location)
}

// bindView expands a view reference into its stored query.
func (b *Binder) bindView(desc *catalog.Descriptor, alias string, a *pg.Alias) (plan.Node, *scope, error) {
	if b.viewDepth > 32 {
		return nil, nil, pgerror.New(pgerror.InvalidRecursion, "infinite recursion detected in rules for relation %q", desc.Name)
	}
	stmts, err := parser.Parse(desc.View.Query)
	if err != nil || len(stmts) != 1 || stmts[0].AST.GetSelectStmt() == nil {
		return nil, nil, pgerror.AssertionFailed("bad stored view %s", desc.Name)
	}
	savedOuter, savedOffset := b.outer, b.offset
	b.outer, b.offset = nil, -1<<20
	b.viewDepth++
	node, ex, requested, err := b.bindExposed(stmts[0].AST.GetSelectStmt(), alias)
	b.viewDepth--
	b.outer, b.offset = savedOuter, savedOffset
	if err != nil {
		return nil, nil, err
	}
	s := &scope{}
	for i, c := range node.Columns() {
		name := c.Name
		if i < len(desc.View.Columns) {
			name = desc.View.Columns[i]
		}
		s.cols = append(s.cols, scopeCol{table: alias, name: name, t: c.T, hidden: ex != nil && i >= ex.fromStart})
	}
	if a != nil && len(a.Colnames) > 0 {
		if err := renameColumns(s, a, true); err != nil {
			return nil, nil, err
		}
	}
	s.from = exposeFrom(alias, relView, desc, node, ex, requested)
	return node, s, nil
}

// BindViewQuery checks a view's query and returns its output columns.
func (b *Binder) BindViewQuery(sel *pg.SelectStmt) ([]plan.Column, error) {
	node, _, err := b.bindSelect(sel)
	if err != nil {
		return nil, err
	}
	return node.Columns(), nil
}

// virtualTable resolves pg_catalog and information_schema tables; an
// unqualified name finds pg_catalog's first, as PostgreSQL's implicit
// search path does.
func virtualTable(rv *pg.RangeVar) *vtable.Table {
	switch rv.Schemaname {
	case "":
		return vtable.Lookup("pg_catalog", rv.Relname)
	case "pg_catalog", "information_schema":
		return vtable.Lookup(rv.Schemaname, rv.Relname)
	}
	return nil
}

// commonArgs coerces expressions to their common type.
func (b *Binder) commonArgs(es []plan.Expr, ctx string) ([]plan.Expr, types.T, error) {
	t, err := b.commonType(es, ctx, -1)
	if err != nil {
		return nil, types.T{}, err
	}
	out := make([]plan.Expr, len(es))
	for i, e := range es {
		if out[i], err = b.coerce(e, t, castImplicit, -1); err != nil {
			return nil, types.T{}, err
		}
	}
	return out, t, nil
}
