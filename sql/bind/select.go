package bind

import (
	"github.com/aegisdb/aegis/sql/funcs"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

// bindSelect binds a SELECT or VALUES statement.
func (b *Binder) bindSelect(sel *pg.SelectStmt) (plan.Node, *scope, error) {
	keepUnknown := b.setOpBranch
	b.setOpBranch = false
	expose := b.exposeLock
	b.exposeLock = ""
	savedLock := b.lockScope
	b.lockScope = lockScopeOf(sel, expose)
	defer func() { b.lockScope = savedLock }()
	if expose != "" {
		switch {
		case sel.Op != pg.SetOperation_SETOP_NONE:
			return nil, nil, pgerror.Unimplemented("%s is not allowed with UNION/INTERSECT/EXCEPT", expose)
		case len(sel.LockingClause) > 0:
			return nil, nil, pgerror.Unimplemented("%s of a subquery or view with its own locking clause is not supported yet", expose)
		case sel.LimitCount != nil || sel.LimitOffset != nil:
			return nil, nil, pgerror.Unimplemented("%s is not supported yet on subqueries or views with LIMIT or OFFSET", expose)
		}
	}
	if sel.WithClause != nil {
		pop, err := b.pushWith(sel.WithClause)
		if err != nil {
			return nil, nil, err
		}
		defer pop()
	}
	if sel.Op != pg.SetOperation_SETOP_NONE {
		return b.bindSetOp(sel)
	}
	if sel.IntoClause != nil {
		return nil, nil, pgerror.Unimplemented("SELECT INTO is not supported yet")
	}
	if len(sel.ValuesLists) > 0 {
		return b.bindValues(sel)
	}
	input, in, err := b.bindFrom(sel.FromClause)
	if err != nil {
		return nil, nil, err
	}
	in.parent = b.outer
	lock, err := b.bindLocking(sel, in)
	if err != nil {
		return nil, nil, err
	}
	var where plan.Expr
	if sel.WhereClause != nil {
		in.clause = "WHERE"
		pred, err := b.bindExpr(in, sel.WhereClause)
		in.clause = ""
		if err != nil {
			return nil, nil, err
		}
		if pred, err = b.coerceBool(pred, "WHERE", -1); err != nil {
			return nil, nil, err
		}
		input = &plan.Filter{Input: input, Pred: pred}
		where = pred
	}

	// Targets, with aggregates and window calls collected.
	in.agg = &aggState{}
	in.win = &winState{defs: map[string]*pg.WindowDef{}}
	for _, w := range sel.WindowClause {
		if wd := w.GetWindowDef(); wd != nil {
			in.win.defs[wd.Name] = wd
		}
	}
	var exprs []plan.Expr
	var cols []plan.Column
	srfs := &srfState{}
	in.srf = srfs
	for _, tn := range sel.TargetList {
		rt := tn.GetResTarget()
		if rt == nil {
			continue
		}
		if cr := rt.Val.GetColumnRef(); cr != nil && isStar(cr) {
			table := ""
			if len(cr.Fields) == 2 {
				table = cr.Fields[0].GetString_().GetSval()
			}
			n := 0
			for i, c := range in.cols {
				if c.hidden || c.system || (table != "" && c.table != table) || (table == "" && c.qualOnly) {
					continue
				}
				exprs = append(exprs, &plan.ColRef{Idx: i, T: c.t, Name: c.name})
				cols = append(cols, plan.Column{Name: c.name, T: c.t, TableID: c.tableID, ColumnID: c.columnID})
				n++
			}
			if table != "" && n == 0 {
				return nil, nil, b.errAt(pgerror.New(pgerror.UndefinedTable, "missing FROM-clause entry for table %q", table), cr.Location)
			}
			if table == "" && len(sel.FromClause) == 0 {
				return nil, nil, b.errAt(pgerror.New(pgerror.SyntaxError, "SELECT * with no tables specified is not valid"), cr.Location)
			}
			continue
		}
		if ind := rt.Val.GetAIndirection(); ind != nil && len(ind.Indirection) > 0 && ind.Indirection[len(ind.Indirection)-1].GetAStar() != nil {
			// (record).* expands to every field of the record.
			inner := &pg.Node{Node: &pg.Node_AIndirection{AIndirection: &pg.A_Indirection{Arg: ind.Arg, Indirection: ind.Indirection[:len(ind.Indirection)-1]}}}
			if len(ind.Indirection) == 1 {
				inner = ind.Arg
			}
			e, err := b.bindExpr(in, inner)
			if err != nil {
				return nil, nil, err
			}
			names, _, ok := types.RecordLayout(e.Type())
			if !ok {
				return nil, nil, b.errAt(pgerror.New(pgerror.WrongObjectType, "type %s is not composite", e.Type()), exprLocation(ind.Arg))
			}
			for i, n := range names {
				f := &plan.Call{Fn: funcs.FieldSelect(e.Type(), i), Args: []plan.Expr{e}}
				if c, ok := e.(*plan.Call); ok && c.Fn.Fields != nil {
					f = nil
					exprs = append(exprs, c.Args[i])
				}
				if f != nil {
					exprs = append(exprs, f)
				}
				cols = append(cols, plan.Column{Name: n, T: exprs[len(exprs)-1].Type()})
			}
			continue
		}
		e, err := b.bindExpr(in, rt.Val)
		if err != nil {
			return nil, nil, err
		}
		if e.Type().Oid == types.OidUnknown && !keepUnknown {
			if e, err = b.coerce(e, types.Text, castImplicit, rt.Location); err != nil {
				return nil, nil, err
			}
		}
		name := rt.Name
		if name == "" {
			name = figureColname(rt.Val)
		}
		col := plan.Column{Name: name, T: e.Type()}
		if cr, ok := e.(*plan.ColRef); ok {
			col.TableID, col.ColumnID = in.cols[cr.Idx].tableID, in.cols[cr.Idx].columnID
		}
		exprs = append(exprs, e)
		cols = append(cols, col)
	}

	in.srf = nil
	// GROUP BY keys may name output columns or positions.
	var groupBy []plan.Expr
	for _, g := range sel.GroupClause {
		e, err := b.bindGroupKey(in, g, sel.TargetList, exprs)
		if err != nil {
			return nil, nil, err
		}
		groupBy = append(groupBy, e)
	}
	var having plan.Expr
	if sel.HavingClause != nil {
		if having, err = b.bindExpr(in, sel.HavingClause); err != nil {
			return nil, nil, err
		}
		if having, err = b.coerceBool(having, "HAVING", -1); err != nil {
			return nil, nil, err
		}
	}
	// ORDER BY keys over the pre-projection scope.
	type orderKey struct {
		expr   plan.Expr
		target int // >= 0: an output column
		desc   bool
		nulls  pg.SortByNulls
		loc    int32 // 0-based location of the expression in the statement
	}
	var order []orderKey
	in.srf = srfs
	defer func() { in.srf = nil }()
	for _, sn := range sel.SortClause {
		sb := sn.GetSortBy()
		if sb == nil {
			continue
		}
		k := orderKey{target: -1, desc: sb.SortbyDir == pg.SortByDir_SORTBY_DESC, nulls: sb.SortbyNulls}
		if sb.UseOp != nil {
			return nil, nil, pgerror.Unimplemented("ORDER BY USING is not supported yet")
		}
		if k.target, k.expr, err = b.bindOrderItem(in, sb.Node, sel.TargetList, exprs); err != nil {
			return nil, nil, err
		}
		order = append(order, k)
	}

	// DISTINCT ON keys are bound like ORDER BY keys.
	var distinctOn []orderKey
	if len(sel.DistinctClause) > 0 && sel.DistinctClause[0] != nil && sel.DistinctClause[0].Node != nil {
		for _, n := range sel.DistinctClause {
			k := orderKey{target: -1, loc: exprLocation(n)}
			if k.target, k.expr, err = b.bindOrderItem(in, n, sel.TargetList, exprs); err != nil {
				return nil, nil, err
			}
			distinctOn = append(distinctOn, k)
		}
	}
	aggregating := len(in.agg.calls) > 0 || len(groupBy) > 0 || having != nil
	var proj plan.Node = input
	if aggregating {
		agg := &plan.Aggregate{Input: input, GroupBy: groupBy, Aggs: in.agg.calls}
		for i, g := range groupBy {
			agg.Cols = append(agg.Cols, plan.Column{Name: "group", T: g.Type()})
			_ = i
		}
		for _, a := range in.agg.calls {
			agg.Cols = append(agg.Cols, plan.Column{Name: string(a.Agg.Name), T: a.Agg.Ret})
		}
		post := func(e plan.Expr) (plan.Expr, error) { return b.postAgg(e, groupBy, in) }
		if err := srfs.rewriteArgs(post); err != nil {
			return nil, nil, err
		}
		for i := range exprs {
			if exprs[i], err = post(exprs[i]); err != nil {
				return nil, nil, err
			}
		}
		for _, keys := range [][]orderKey{order, distinctOn} {
			for i := range keys {
				if keys[i].expr != nil {
					if keys[i].expr, err = post(keys[i].expr); err != nil {
						return nil, nil, err
					}
				}
			}
		}
		proj = agg
		if having != nil {
			h, err := post(having)
			if err != nil {
				return nil, nil, err
			}
			proj = &plan.Filter{Input: agg, Pred: h}
		}
	} else if len(in.agg.calls) > 0 {
		return nil, nil, pgerror.AssertionFailed("aggregates without aggregation")
	}

	hasWindows := len(in.win.calls) > 0
	if calls := in.win.calls; len(calls) > 0 {
		if aggregating {
			post := func(es []plan.Expr) ([]plan.Expr, error) {
				out := make([]plan.Expr, len(es))
				for i, e := range es {
					v, err := b.postAgg(e, groupBy, in)
					if err != nil {
						return nil, err
					}
					out[i] = v
				}
				return out, nil
			}
			for i := range calls {
				if calls[i].Args, err = post(calls[i].Args); err != nil {
					return nil, nil, err
				}
				if calls[i].Partition, err = post(calls[i].Partition); err != nil {
					return nil, nil, err
				}
				if calls[i].Order, err = post(calls[i].Order); err != nil {
					return nil, nil, err
				}
			}
		}
		base := proj.Columns()
		w := &plan.Window{Input: proj, Calls: calls, Cols: append([]plan.Column(nil), base...)}
		for _, c := range calls {
			w.Cols = append(w.Cols, plan.Column{Name: c.Name, T: c.T})
		}
		toCol := func(e plan.Expr) (plan.Expr, error) {
			return plan.Rewrite(e, func(x plan.Expr) (plan.Expr, error) {
				if r, ok := x.(*plan.WinRef); ok {
					return &plan.ColRef{Idx: len(base) + r.Idx, T: r.T}, nil
				}
				return x, nil
			})
		}
		for i := range exprs {
			if exprs[i], err = toCol(exprs[i]); err != nil {
				return nil, nil, err
			}
		}
		for _, keys := range [][]orderKey{order, distinctOn} {
			for i := range keys {
				if keys[i].expr != nil {
					if keys[i].expr, err = toCol(keys[i].expr); err != nil {
						return nil, nil, err
					}
				}
			}
		}
		if err := srfs.rewriteArgs(toCol); err != nil {
			return nil, nil, err
		}
		proj = w
	}
	in.win = nil

	if len(srfs.calls) > 0 {
		// Set-returning calls of the select list run in a ProjectSet
		// between the rows (after grouping and windows) and the final
		// projection.
		base := proj.Columns()
		ps := &plan.ProjectSet{Input: proj, Calls: srfs.calls, Cols: append([]plan.Column(nil), base...)}
		for _, c := range srfs.calls {
			ps.Cols = append(ps.Cols, plan.Column{Name: c.Fn.Name, T: c.Fn.Ret})
		}
		toCol := func(e plan.Expr) (plan.Expr, error) {
			return plan.Rewrite(e, func(x plan.Expr) (plan.Expr, error) {
				if r, ok := x.(*plan.SRFRef); ok {
					return &plan.ColRef{Idx: len(base) + r.Idx, T: r.T}, nil
				}
				return x, nil
			})
		}
		for i := range exprs {
			if exprs[i], err = toCol(exprs[i]); err != nil {
				return nil, nil, err
			}
		}
		for _, keys := range [][]orderKey{order, distinctOn} {
			for i := range keys {
				if keys[i].expr != nil {
					if keys[i].expr, err = toCol(keys[i].expr); err != nil {
						return nil, nil, err
					}
				}
			}
		}
		proj = ps
	}

	distinct := len(sel.DistinctClause) > 0 && distinctOn == nil
	if b.lockScope != nil {
		if err := checkLockingAllowed(sel, b.lockScope.name, distinct, len(in.agg.calls) > 0, hasWindows); err != nil {
			return nil, nil, err
		}
	}
	// Extra ORDER BY columns become hidden projection columns.
	nVisible := len(exprs)
	var keys []plan.SortKey
	for _, k := range order {
		col := k.target
		if col < 0 {
			if distinct {
				return nil, nil, pgerror.New(pgerror.InvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list")
			}
			exprs = append(exprs, k.expr)
			cols = append(cols, plan.Column{Name: "?sort?", T: k.expr.Type()})
			col = len(exprs) - 1
		}
		nullsFirst := k.desc
		switch k.nulls {
		case pg.SortByNulls_SORTBY_NULLS_FIRST:
			nullsFirst = true
		case pg.SortByNulls_SORTBY_NULLS_LAST:
			nullsFirst = false
		}
		keys = append(keys, plan.SortKey{Col: col, Desc: k.desc, NullsFirst: nullsFirst})
	}
	// DISTINCT ON: its keys must lead the ORDER BY (PostgreSQL's rule);
	// without ORDER BY the rows are sorted by them.
	var donCols []int
	for _, k := range distinctOn {
		col := k.target
		if col < 0 {
			for i, e := range exprs {
				if e.String() == k.expr.String() {
					col = i
				}
			}
		}
		if col < 0 {
			exprs = append(exprs, k.expr)
			cols = append(cols, plan.Column{Name: "?distinct?", T: k.expr.Type()})
			col = len(exprs) - 1
		}
		donCols = append(donCols, col)
	}
	if donCols != nil {
		// PostgreSQL's rule (transformDistinctOnClause): an ORDER BY key
		// that is a DISTINCT ON key may not follow one that is not, and a
		// DISTINCT ON key missing from ORDER BY is only allowed when every
		// ORDER BY key is a DISTINCT ON key; it is then sorted after them.
		mismatch := func(i int) error {
			return pgerror.New(pgerror.InvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions").WithPosition(distinctOn[i].loc + 1)
		}
		skipped := false
		for _, k := range keys {
			if i := slices.Index(donCols, k.Col); i >= 0 {
				if skipped {
					return nil, nil, mismatch(i)
				}
			} else {
				skipped = true
			}
		}
		for i, c := range donCols {
			if slices.ContainsFunc(keys, func(k plan.SortKey) bool { return k.Col == c }) {
				continue
			}
			if skipped {
				return nil, nil, mismatch(i)
			}
			keys = append(keys, plan.SortKey{Col: c})
		}
	}
	exposing := expose != "" && in.from != nil
	fromStart := len(exprs)
	if lock != nil || exposing {
		// The whole FROM row rides along as hidden columns: the locked
		// rows' keys are read from it, and under READ COMMITTED the
		// re-check recomputes the row from it (see plan.LockRows).
		for i, c := range in.cols {
			exprs = append(exprs, &plan.ColRef{Idx: i, T: c.t, Name: c.name})
			cols = append(cols, plan.Column{Name: "?from?", T: c.t})
		}
		var recheck plan.Node = in.from.epq
		if where != nil {
			recheck = &plan.Filter{Input: recheck, Pred: where}
		}
		if lock != nil {
			lock.FromStart = fromStart
			lock.Recheck = &plan.Project{Input: recheck, Exprs: append([]plan.Expr(nil), exprs...), Cols: append([]plan.Column(nil), cols...)}
		}
		if exposing {
			// The output is the visible columns and the FROM row.
			ex := append(append([]plan.Expr(nil), exprs[:nVisible]...), exprs[fromStart:]...)
			ec := append(append([]plan.Column(nil), cols[:nVisible]...), cols[fromStart:]...)
			b.exposed = &exposure{fromStart: nVisible, from: in.from, recheck: &plan.Project{Input: recheck, Exprs: ex, Cols: ec}}
		}
	}
	var out plan.Node = &plan.Project{Input: proj, Exprs: exprs, Cols: cols}
	if distinct {
		var gb []plan.Expr
		for i, c := range cols {
			gb = append(gb, &plan.ColRef{Idx: i, T: c.T, Name: c.Name})
		}
		out = &plan.Aggregate{Input: out, GroupBy: gb, Cols: cols}
	}
	if len(keys) > 0 {
		out = &plan.Sort{Input: out, Keys: keys}
	}
	if donCols != nil {
		out = &plan.DistinctOn{Input: out, Cols: donCols}
	}
	if lock != nil {
		lock.Input = out
		out = lock
	}
	if sel.LimitCount != nil || sel.LimitOffset != nil {
		lim := &plan.Limit{Input: out}
		if lim.Count, err = b.bindLimit(sel.LimitCount, "LIMIT"); err != nil {
			return nil, nil, err
		}
		if lim.Offset, err = b.bindLimit(sel.LimitOffset, "OFFSET"); err != nil {
			return nil, nil, err
		}
		if lock != nil {
			lock.Count, lock.Offset = lim.Count, lim.Offset
		}
		out = lim
	}
	if exposing && fromStart > nVisible {
		// Drop the sort columns, keep the exposed FROM row.
		var trim []plan.Expr
		var tc []plan.Column
		for i := range cols {
			if i < nVisible || i >= fromStart {
				trim = append(trim, &plan.ColRef{Idx: i, T: cols[i].T, Name: cols[i].Name})
				tc = append(tc, cols[i])
			}
		}
		out = &plan.Project{Input: out, Exprs: trim, Cols: tc}
	} else if len(exprs) > nVisible && !exposing {
		trim := make([]plan.Expr, nVisible)
		for i := range trim {
			trim[i] = &plan.ColRef{Idx: i, T: cols[i].T, Name: cols[i].Name}
		}
		out = &plan.Project{Input: out, Exprs: trim, Cols: cols[:nVisible]}
	}
	return out, in, nil
}

func (b *Binder) bindLimit(n *pg.Node, what string) (plan.Expr, error) {
	if n == nil {
		return nil, nil
	}
	if c := n.GetAConst(); c != nil && c.Isnull {
		return nil, nil // LIMIT NULL / LIMIT ALL
	}
	e, err := b.bindExpr(nil, n)
	if err != nil {
		return nil, err
	}
	return b.coerce(e, types.Int8, castImplicit, -1)
}

func isStar(cr *pg.ColumnRef) bool {
	if len(cr.Fields) == 0 {
		return false
	}
	_, ok := cr.Fields[len(cr.Fields)-1].Node.(*pg.Node_AStar)
	return ok
}

// targetReference resolves an ORDER BY item that is an output column
// position or a bare output column name.
func (b *Binder) targetReference(n *pg.Node, targets []*pg.Node, exprs []plan.Expr) (int, bool, error) {
	nTargets := len(exprs)
	if c := n.GetAConst(); c != nil {
		if iv, ok := c.Val.(*pg.A_Const_Ival); ok {
			pos := int(iv.Ival.Ival)
			if pos < 1 || pos > nTargets {
				return 0, false, b.errAt(pgerror.New(pgerror.InvalidColumnReference, "ORDER BY position %d is not in select list", pos), c.Location)
			}
			return pos - 1, true, nil
		}
	}
	if cr := n.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
		name := cr.Fields[0].GetString_().GetSval()
		idx := -1
		i := 0
		for _, t := range targets {
			rt := t.GetResTarget()
			if rt == nil {
				continue
			}
			if rtcr := rt.Val.GetColumnRef(); rtcr != nil && isStar(rtcr) {
				return 0, false, nil // positions are unknown with *; bind as an expression
			}
			out := rt.Name
			if out == "" {
				out = figureColname(rt.Val)
			}
			if out == name {
				// Several output columns of that name are ambiguous unless
				// they compute the same thing (PostgreSQL's rule).
				if idx >= 0 && i < len(exprs) && exprs[idx].String() != exprs[i].String() {
					return 0, false, b.errAt(pgerror.New(pgerror.AmbiguousColumn, "ORDER BY %q is ambiguous", name), cr.Location)
				}
				if idx < 0 {
					idx = i
				}
			}
			i++
		}
		if idx >= 0 {
			return idx, true, nil
		}
	}
	return 0, false, nil
}

func (b *Binder) bindGroupKey(in *scope, n *pg.Node, targets []*pg.Node, exprs []plan.Expr) (plan.Expr, error) {
	saved := in.agg
	in.agg, in.clause = nil, "GROUP BY" // aggregates are not allowed in GROUP BY
	defer func() { in.agg, in.clause = saved, "" }()
	if c := n.GetAConst(); c != nil {
		if iv, ok := c.Val.(*pg.A_Const_Ival); ok {
			pos := int(iv.Ival.Ival)
			if pos < 1 || pos > len(exprs) {
				return nil, b.errAt(pgerror.New(pgerror.InvalidColumnReference, "GROUP BY position %d is not in select list", pos), c.Location)
			}
			return exprs[pos-1], nil
		}
	}
	e, err := b.bindExpr(in, n)
	if err == nil {
		return e, nil
	}
	// A bare name that is not an input column may be an output alias.
	if cr := n.GetColumnRef(); cr != nil && len(cr.Fields) == 1 && pgerror.CodeOf(err) == pgerror.UndefinedColumn {
		name := cr.Fields[0].GetString_().GetSval()
		i := 0
		for _, t := range targets {
			if rt := t.GetResTarget(); rt != nil {
				if rt.Name == name && i < len(exprs) {
					return exprs[i], nil
				}
				i++
			}
		}
	}
	return nil, err
}

// postAgg rewrites an expression bound over the aggregation's input into
// one over its output (group keys, then aggregates).
func (b *Binder) postAgg(e plan.Expr, groupBy []plan.Expr, in *scope) (plan.Expr, error) {
	for i, g := range groupBy {
		if g.String() == e.String() {
			return &plan.ColRef{Idx: i, T: g.Type(), Name: "group"}, nil
		}
	}
	switch x := e.(type) {
	case *plan.AggRef:
		return &plan.ColRef{Idx: len(groupBy) + x.Idx, T: x.T}, nil
	case *plan.ColRef:
		c := in.cols[x.Idx]
		return nil, pgerror.New(pgerror.GroupingError, "column \"%s.%s\" must appear in the GROUP BY clause or be used in an aggregate function", c.table, c.name)
	case *plan.Const, *plan.Param, *plan.OuterRef, *plan.WinRef:
		return e, nil
	case *plan.Subquery:
		if x.Correlated {
			return nil, pgerror.Unimplemented("correlated subqueries in an aggregated query's select list are not supported yet")
		}
	}
	return plan.MapChildren(e, func(c plan.Expr) (plan.Expr, error) { return b.postAgg(c, groupBy, in) })
}

func (b *Binder) bindValues(sel *pg.SelectStmt) (plan.Node, *scope, error) {
	var rows [][]plan.Expr
	width := -1
	for _, vl := range sel.ValuesLists {
		list := vl.GetList()
		if list == nil {
			continue
		}
		if width >= 0 && len(list.Items) != width {
			return nil, nil, pgerror.New(pgerror.SyntaxError, "VALUES lists must all be the same length")
		}
		width = len(list.Items)
		row := make([]plan.Expr, width)
		for i, it := range list.Items {
			if it.GetSetToDefault() != nil {
				row[i] = defaultMarker{}
				continue
			}
			e, err := b.bindExpr(nil, it)
			if err != nil {
				return nil, nil, err
			}
			row[i] = e
		}
		rows = append(rows, row)
	}
	return b.valuesNode(rows)
}

// valuesNode resolves each VALUES column to a common type.
func (b *Binder) valuesNode(rows [][]plan.Expr) (plan.Node, *scope, error) {
	if len(rows) == 0 {
		return &plan.Values{}, &scope{}, nil
	}
	width := len(rows[0])
	v := &plan.Values{Rows: rows}
	s := &scope{}
	for c := 0; c < width; c++ {
		col := make([]plan.Expr, 0, len(rows))
		for _, r := range rows {
			if _, ok := r[c].(defaultMarker); !ok {
				col = append(col, r[c])
			}
		}
		t, err := b.commonType(col, "VALUES", -1)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range rows {
			if _, ok := r[c].(defaultMarker); ok {
				continue
			}
			if r[c], err = b.coerce(r[c], t, castImplicit, -1); err != nil {
				return nil, nil, err
			}
		}
		name := "column" + itoa(c+1)
		v.Cols = append(v.Cols, plan.Column{Name: name, T: t})
		s.cols = append(s.cols, scopeCol{table: "*VALUES*", name: name, t: t})
	}
	return v, s, nil
}

// defaultMarker stands for DEFAULT inside INSERT ... VALUES.
type defaultMarker struct{}

func (defaultMarker) Type() types.T  { return types.Unknown }
func (defaultMarker) String() string { return "DEFAULT" }

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// bindFrom binds the FROM clause: nothing (one empty row), or items
// combined by cross joins.
func (b *Binder) bindFrom(from []*pg.Node) (plan.Node, *scope, error) {
	if len(from) == 0 {
		return &plan.Values{Rows: [][]plan.Expr{{}}}, &scope{}, nil
	}
	node, s, err := b.bindFromItem(from[0])
	if err != nil {
		return nil, nil, err
	}
	for _, item := range from[1:] {
		if rf := item.GetRangeFunction(); rf != nil && !rf.Lateral {
			// Function calls in FROM may read the items before them.
			if node, s, err = b.bindLateralFuncItem(rf, node, s); err != nil {
				return nil, nil, err
			}
			continue
		}
		if isLateralSubquery(item) {
			rn, rs, correlated, err := b.bindLateral(item, s)
			if err != nil {
				return nil, nil, err
			}
			j, js := joinNodes(plan.InnerJoin, node, s, rn, rs, nil)
			node, s = j, js
			if correlated {
				node = &plan.Apply{Kind: plan.InnerJoin, Left: j.Left, Right: j.Right, Cols: j.Cols}
				s.from = nil
			}
			continue
		}
		rn, rs, err := b.bindFromItem(item)
		if err != nil {
			return nil, nil, err
		}
		var j *plan.Join
		j, s = joinNodes(plan.InnerJoin, node, s, rn, rs, nil)
		node = j
	}
	return node, s, nil
}

func scanOf(desc *catalog.Descriptor, alias string) (*plan.Scan, *scope) {
	scan := &plan.Scan{Table: desc}
	s := &scope{}
	for _, c := range desc.Table.Columns {
		oid := desc.ID + vtable.UserOIDBase // pg_class.oid, as RowDescription reports it
		scan.Cols = append(scan.Cols, plan.Column{Name: c.Name, T: c.Type, TableID: oid, ColumnID: uint16(c.ID)})
		s.cols = append(s.cols, scopeCol{table: alias, name: c.Name, t: c.Type, hidden: c.Hidden, tableID: oid, columnID: uint16(c.ID)})
	}
	return scan, s
}

// bindOrderItem binds an ORDER BY (or DISTINCT ON) item: an output
// column (by name or position; target >= 0) or an expression over the
// FROM scope.
func (b *Binder) bindOrderItem(in *scope, n *pg.Node, targets []*pg.Node, exprs []plan.Expr) (int, plan.Expr, error) {
	if idx, ok, err := b.targetReference(n, targets, exprs); err != nil || ok {
		return idx, nil, err
	}
	e, err := b.bindExpr(in, n)
	if err != nil {
		return -1, nil, err
	}
	target := -1
	for i, t := range exprs {
		if t.String() == e.String() {
			target = i
		}
	}
	return target, e, nil
}

// figureColname names an output column as PostgreSQL's FigureColname.
func figureColname(n *pg.Node) string {
	name, _ := figureColnameStrength(n)
	return name
}

// figureColnameStrength returns a name and how strongly it was chosen
// (2: a column or function name, 1: a type name or keyword, 0: none), as
// PostgreSQL's FigureColnameInternal; casts keep a strong inner name.
func figureColnameStrength(n *pg.Node) (string, int) {
	if n == nil {
		return "?column?", 0
	}
	switch x := n.Node.(type) {
	case *pg.Node_ColumnRef:
		f := x.ColumnRef.Fields
		if len(f) > 0 {
			if s := f[len(f)-1].GetString_(); s != nil {
				return s.Sval, 2
			}
		}
	case *pg.Node_FuncCall:
		names := stringList(x.FuncCall.Funcname)
		if len(names) > 0 {
			return names[len(names)-1], 2
		}
	case *pg.Node_AExpr:
		if x.AExpr.Kind == pg.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif", 2
		}
	case *pg.Node_AArrayExpr:
		return "array", 2
	case *pg.Node_AIndirection:
		// The last field name, else the subscripted expression's name.
		ind := x.AIndirection.Indirection
		for i := len(ind) - 1; i >= 0; i-- {
			if s := ind[i].GetString_(); s != nil {
				return s.Sval, 2
			}
		}
		return figureColnameStrength(x.AIndirection.Arg)
	case *pg.Node_TypeCast:
		if name, strength := figureColnameStrength(x.TypeCast.Arg); strength > 1 {
			return name, strength
		}
		names := stringList(x.TypeCast.TypeName.Names)
		if len(names) > 0 {
			return typeColname(names[len(names)-1]), 1
		}
	case *pg.Node_SubLink:
		switch x.SubLink.SubLinkType {
		case pg.SubLinkType_EXISTS_SUBLINK:
			return "exists", 2
		case pg.SubLinkType_ARRAY_SUBLINK:
			return "array", 2
		case pg.SubLinkType_EXPR_SUBLINK:
			if sel := x.SubLink.Subselect.GetSelectStmt(); sel != nil && len(sel.TargetList) == 1 {
				if rt := sel.TargetList[0].GetResTarget(); rt != nil {
					if rt.Name != "" {
						return rt.Name, 2
					}
					return figureColnameStrength(rt.Val)
				}
			}
		}
	case *pg.Node_CaseExpr:
		if x.CaseExpr.Defresult != nil {
			if name, strength := figureColnameStrength(x.CaseExpr.Defresult); strength > 0 {
				return name, strength
			}
		}
		return "case", 1
	case *pg.Node_CoalesceExpr:
		return "coalesce", 2
	case *pg.Node_RowExpr:
		return "row", 2
	case *pg.Node_MinMaxExpr:
		if x.MinMaxExpr.Op == pg.MinMaxOp_IS_LEAST {
			return "least", 2
		}
		return "greatest", 2
	case *pg.Node_SqlvalueFunction:
		switch x.SqlvalueFunction.Op {
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
			return "current_date", 2
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
			return "current_timestamp", 2
		case pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
			return "localtimestamp", 2
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
			return "current_role", 2
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_USER:
			return "current_user", 2
		case pg.SQLValueFunctionOp_SVFOP_USER:
			return "user", 2
		case pg.SQLValueFunctionOp_SVFOP_SESSION_USER:
			return "session_user", 2
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
			return "current_catalog", 2
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
			return "current_schema", 2
		}
	}
	return "?column?", 0
}

// typeColname maps internal type names to the name PostgreSQL shows for
// a cast column (pg_type.typname, which is what arrives here mostly).
func typeColname(name string) string {
	switch strings.ToLower(name) {
	case "integer", "int":
		return "int4"
	case "bigint":
		return "int8"
	case "smallint":
		return "int2"
	case "boolean":
		return "bool"
	case "real":
		return "float4"
	case "double precision", "float":
		return "float8"
	case "decimal":
		return "numeric"
	}
	return name
}
