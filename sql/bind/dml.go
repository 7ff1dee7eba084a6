package bind

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

func (b *Binder) bindInsert(ins *pg.InsertStmt) (plan.Node, error) {
	if ins.WithClause != nil {
		pop, err := b.pushWith(ins.WithClause)
		if err != nil {
			return nil, err
		}
		defer pop()
	}
	desc, err := b.ResolveTable(ins.Relation)
	if err != nil {
		return nil, err
	}
	tbl := desc.Table
	// target[i] = index into tbl.Columns of the i-th listed column.
	var target []int
	if len(ins.Cols) == 0 {
		for i, c := range tbl.Columns {
			if !c.Hidden {
				target = append(target, i)
			}
		}
	} else {
		seen := map[int]bool{}
		for _, cn := range ins.Cols {
			rt := cn.GetResTarget()
			_, idx, ok := tbl.ColumnByName(rt.Name)
			if !ok || tbl.Columns[idx].Hidden {
				return nil, b.errAt(pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", rt.Name, desc.Name), rt.Location)
			}
			if len(rt.Indirection) > 0 {
				return nil, b.errAt(pgerror.Unimplemented("INSERT into subfields is not supported yet"), rt.Location)
			}
			if seen[idx] {
				return nil, b.errAt(pgerror.New(pgerror.DuplicateColumn, "column %q specified more than once", rt.Name), rt.Location)
			}
			seen[idx] = true
			target = append(target, idx)
		}
	}
	implicitTarget := len(ins.Cols) == 0
	var input plan.Node
	sel := ins.SelectStmt.GetSelectStmt()
	switch {
	case sel == nil: // DEFAULT VALUES
		row, err := b.fullRow(desc, nil, nil)
		if err != nil {
			return nil, err
		}
		input = &plan.Values{Cols: tableCols(desc), Rows: [][]plan.Expr{row}}
	case len(sel.ValuesLists) > 0 && sel.Op == pg.SetOperation_SETOP_NONE && len(sel.SortClause) == 0 && sel.LimitCount == nil:
		v := &plan.Values{Cols: tableCols(desc)}
		for _, vl := range sel.ValuesLists {
			items := vl.GetList().GetItems()
			if len(items) > len(target) {
				return nil, b.errAt(pgerror.New(pgerror.SyntaxError, "INSERT has more expressions than target columns"), exprLocation(items[len(target)]))
			}
			if len(items) < len(target) {
				if !implicitTarget {
					return nil, b.errAt(pgerror.New(pgerror.SyntaxError, "INSERT has more target columns than expressions"), -1)
				}
				if len(v.Rows) == 0 {
					target = target[:len(items)]
				}
			}
			if len(items) != len(target) {
				return nil, b.errAt(pgerror.New(pgerror.SyntaxError, "VALUES lists must all be the same length"), exprLocation(items[0]))
			}
			vals := make([]plan.Expr, len(items))
			for i, it := range items {
				if it.GetSetToDefault() != nil {
					vals[i] = defaultMarker{}
					continue
				}
				col := tbl.Columns[target[i]]
				if col.Generated != "" {
					return nil, b.errGeneratedInsert(col, exprLocation(it))
				}
				e, err := b.bindExpr(nil, it)
				if err != nil {
					return nil, err
				}
				if vals[i], err = b.assign(e, col, exprLocation(it)); err != nil {
					return nil, err
				}
			}
			row, err := b.fullRow(desc, target, vals)
			if err != nil {
				return nil, err
			}
			v.Rows = append(v.Rows, row)
		}
		input = v
	default:
		src, _, err := b.bindSelect(sel)
		if err != nil {
			return nil, err
		}
		scols := src.Columns()
		if len(scols) > len(target) {
			return nil, pgerror.New(pgerror.SyntaxError, "INSERT has more expressions than target columns")
		}
		if len(scols) < len(target) {
			if !implicitTarget {
				return nil, pgerror.New(pgerror.SyntaxError, "INSERT has more target columns than expressions")
			}
			target = target[:len(scols)]
		}
		vals := make([]plan.Expr, len(scols))
		for i, c := range scols {
			if tbl.Columns[target[i]].Generated != "" {
				return nil, b.errGeneratedInsert(tbl.Columns[target[i]], -1)
			}
			if vals[i], err = b.assign(&plan.ColRef{Idx: i, T: c.T, Name: c.Name}, tbl.Columns[target[i]], -1); err != nil {
				return nil, err
			}
		}
		row, err := b.fullRow(desc, target, vals)
		if err != nil {
			return nil, err
		}
		input = &plan.Project{Input: src, Exprs: row, Cols: tableCols(desc)}
	}
	out := &plan.Insert{Table: desc, Input: input}
	if out.Checks, err = b.tableChecks(desc); err != nil {
		return nil, err
	}
	if ins.OnConflictClause != nil {
		alias := desc.Name
		if ins.Relation.Alias != nil {
			alias = ins.Relation.Alias.Aliasname
		}
		if out.OnConflict, err = b.bindOnConflict(desc, alias, ins.OnConflictClause); err != nil {
			return nil, err
		}
	}
	if out.Returning, out.RetCols, err = b.bindReturning(desc, ins.ReturningList); err != nil {
		return nil, err
	}
	return out, nil
}

func exprLocation(n *pg.Node) int32 {
	switch x := n.Node.(type) {
	case *pg.Node_AConst:
		return x.AConst.Location
	case *pg.Node_ColumnRef:
		return x.ColumnRef.Location
	case *pg.Node_TypeCast:
		// PostgreSQL's exprLocation: the leftmost of the cast and its
		// argument ('x'::text points at 'x').
		return leftmostLoc(x.TypeCast.Location, exprLocation(x.TypeCast.Arg))
	case *pg.Node_AExpr:
		if x.AExpr.Lexpr != nil {
			return leftmostLoc(x.AExpr.Location, exprLocation(x.AExpr.Lexpr))
		}
		return x.AExpr.Location
	case *pg.Node_FuncCall:
		return x.FuncCall.Location
	case *pg.Node_ParamRef:
		return x.ParamRef.Location
	}
	return -1
}

func tableCols(desc *catalog.Descriptor) []plan.Column {
	out := make([]plan.Column, len(desc.Table.Columns))
	for i, c := range desc.Table.Columns {
		out[i] = plan.Column{Name: c.Name, T: c.Type, TableID: desc.ID + vtable.UserOIDBase, ColumnID: uint16(c.ID)}
	}
	return out
}

// assign coerces e for storage in col (assignment context, with typmod).
func (b *Binder) assign(e plan.Expr, col catalog.Column, loc int32) (plan.Expr, error) {
	if _, ok := e.(defaultMarker); ok {
		return e, nil
	}
	if e.Type().Oid != col.Type.Oid && e.Type().Oid != types.OidUnknown && !castAllowed(e.Type(), col.Type, castAssignment) {
		return nil, b.errAt(pgerror.New(pgerror.DatatypeMismatch, "column %q is of type %s but expression is of type %s", col.Name, col.Type, e.Type()).
			WithHint("You will need to rewrite or cast the expression."), loc)
	}
	return b.coerce(e, col.Type, castAssignment, loc)
}

// fullRow builds one expression per table column: the given values for
// the target columns, defaults (or NULL) for the rest.
func (b *Binder) fullRow(desc *catalog.Descriptor, target []int, vals []plan.Expr) ([]plan.Expr, error) {
	row := make([]plan.Expr, len(desc.Table.Columns))
	for i, idx := range target {
		row[idx] = vals[i]
	}
	for i, c := range desc.Table.Columns {
		if row[i] != nil {
			if _, isDefault := row[i].(defaultMarker); !isDefault {
				continue
			}
		}
		d, err := b.DefaultExpr(c)
		if err != nil {
			return nil, err
		}
		row[i] = d
	}
	return row, nil
}

// DefaultExpr binds a column's DEFAULT (NULL when it has none).
func (b *Binder) DefaultExpr(c catalog.Column) (plan.Expr, error) {
	if c.Default == "" {
		return &plan.Const{T: c.Type}, nil
	}
	stmts, err := parser.Parse("SELECT " + c.Default)
	if err != nil || len(stmts) != 1 {
		return nil, pgerror.AssertionFailed("bad stored default for column %s: %q", c.Name, c.Default)
	}
	rt := stmts[0].AST.GetSelectStmt().TargetList[0].GetResTarget()
	saved := b.offset
	b.offset = -1 << 20 // positions inside stored text mean nothing to the client
	e, err := b.bindExpr(nil, rt.Val)
	b.offset = saved
	if err != nil {
		if pe, ok := err.(*pgerror.Error); ok {
			pe.Position = 0
		}
		return nil, err
	}
	return b.coerce(e, c.Type, castAssignment, -1)
}

func (b *Binder) bindReturning(desc *catalog.Descriptor, list []*pg.Node) ([]plan.Expr, []plan.Column, error) {
	if len(list) == 0 {
		return nil, nil, nil
	}
	_, s := scanOf(desc, desc.Name)
	var exprs []plan.Expr
	var cols []plan.Column
	for _, n := range list {
		rt := n.GetResTarget()
		if cr := rt.Val.GetColumnRef(); cr != nil && isStar(cr) {
			for i, c := range s.cols {
				if c.hidden {
					continue
				}
				exprs = append(exprs, &plan.ColRef{Idx: i, T: c.t, Name: c.name})
				cols = append(cols, plan.Column{Name: c.name, T: c.t, TableID: c.tableID, ColumnID: c.columnID})
			}
			continue
		}
		e, err := b.bindExpr(s, rt.Val)
		if err != nil {
			return nil, nil, err
		}
		if e.Type().Oid == types.OidUnknown {
			if e, err = b.coerce(e, types.Text, castImplicit, -1); err != nil {
				return nil, nil, err
			}
		}
		name := rt.Name
		if name == "" {
			name = figureColname(rt.Val)
		}
		col := plan.Column{Name: name, T: e.Type()}
		if cr, ok := e.(*plan.ColRef); ok {
			col.TableID, col.ColumnID = s.cols[cr.Idx].tableID, s.cols[cr.Idx].columnID
		}
		exprs = append(exprs, e)
		cols = append(cols, col)
	}
	return exprs, cols, nil
}

func (b *Binder) bindWhere(s *scope, input plan.Node, where *pg.Node) (plan.Node, error) {
	if where == nil {
		return input, nil
	}
	s.clause = "WHERE"
	pred, err := b.bindExpr(s, where)
	s.clause = ""
	if err != nil {
		return nil, err
	}
	if pred, err = b.coerceBool(pred, "WHERE", -1); err != nil {
		return nil, err
	}
	return &plan.Filter{Input: input, Pred: pred}, nil
}

// bindOnConflict binds INSERT's ON CONFLICT clause: the arbiter unique
// indexes (the conflict target's columns must match a unique index or
// the primary key exactly, as PostgreSQL's infer_arbiter_indexes) and
// the DO UPDATE assignments over the existing row and EXCLUDED.
func (b *Binder) bindOnConflict(desc *catalog.Descriptor, alias string, oc *pg.OnConflictClause) (*plan.OnConflict, error) {
	t := desc.Table
	out := &plan.OnConflict{DoUpdate: oc.Action == pg.OnConflictAction_ONCONFLICT_UPDATE}
	noMatch := func(loc int32) error {
		_ = loc // PostgreSQL reports no position
		return pgerror.New(pgerror.InvalidColumnReference, "there is no unique or exclusion constraint matching the ON CONFLICT specification")
	}
	if inf := oc.Infer; inf != nil {
		switch {
		case inf.Conname != "":
			found := false
			if t.PrimaryKeyName == inf.Conname {
				out.Arbiters, found = []uint32{1}, true
			}
			for _, ix := range t.Indexes {
				if ix.Unique && ix.Constraint && ix.Name == inf.Conname {
					out.Arbiters, found = []uint32{ix.ID}, true
				}
			}
			if !found {
				return nil, pgerror.New(pgerror.UndefinedObject, "constraint %q for table %q does not exist", inf.Conname, desc.Name)
			}
		default:
			if inf.WhereClause != nil {
				return nil, b.errAt(pgerror.Unimplemented("ON CONFLICT with a WHERE clause on the conflict target is not supported yet"), oc.Location)
			}
			want := map[uint32]bool{}
			for _, el := range inf.IndexElems {
				ie := el.GetIndexElem()
				if ie == nil || ie.Name == "" {
					return nil, b.errAt(pgerror.Unimplemented("ON CONFLICT on expressions is not supported yet"), oc.Location)
				}
				col, _, ok := t.ColumnByName(ie.Name)
				if !ok || col.Hidden {
					return nil, b.errAt(pgerror.New(pgerror.UndefinedColumn, "column %q does not exist", ie.Name), oc.Location)
				}
				want[col.ID] = true
			}
			same := func(cols []uint32) bool {
				if len(cols) != len(want) {
					return false
				}
				for _, c := range cols {
					if !want[c] {
						return false
					}
				}
				return true
			}
			if t.PrimaryKeyName != "" && same(t.PrimaryKey) {
				out.Arbiters = append(out.Arbiters, 1)
			}
			for _, ix := range t.Indexes {
				if ix.Unique && same(ix.Columns) {
					out.Arbiters = append(out.Arbiters, ix.ID)
				}
			}
			if len(out.Arbiters) == 0 {
				return nil, noMatch(oc.Location)
			}
		}
	} else if out.DoUpdate {
		return nil, b.errAt(pgerror.New(pgerror.SyntaxError, "ON CONFLICT DO UPDATE requires inference specification or constraint name").
			WithHint("For example, ON CONFLICT (column_name)."), oc.Location)
	}
	if !out.DoUpdate {
		return out, nil
	}
	// The existing row's columns, then EXCLUDED's (reachable qualified).
	s := &scope{}
	for _, c := range t.Columns {
		s.cols = append(s.cols, scopeCol{table: alias, name: c.Name, t: c.Type, hidden: c.Hidden})
	}
	for _, c := range t.Columns {
		s.cols = append(s.cols, scopeCol{table: "excluded", name: c.Name, t: c.Type, hidden: c.Hidden, qualOnly: true})
	}
	seen := map[int]bool{}
	for _, tn := range oc.TargetList {
		rt := tn.GetResTarget()
		col, idx, ok := t.ColumnByName(rt.Name)
		if !ok || col.Hidden {
			return nil, b.errAt(pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", rt.Name, desc.Name), rt.Location)
		}
		if len(rt.Indirection) > 0 || rt.Val.GetMultiAssignRef() != nil {
			return nil, b.errAt(pgerror.Unimplemented("this form of SET in ON CONFLICT DO UPDATE is not supported yet"), rt.Location)
		}
		if seen[idx] {
			return nil, b.errAt(pgerror.New(pgerror.SyntaxError, "multiple assignments to same column %q", rt.Name), rt.Location)
		}
		seen[idx] = true
		var e plan.Expr
		var err error
		if col.Generated != "" && rt.Val.GetSetToDefault() == nil {
			return nil, b.errGeneratedUpdate(col, rt.Location)
		}
		if rt.Val.GetSetToDefault() != nil {
			e, err = b.DefaultExpr(col)
		} else if e, err = b.bindExpr(s, rt.Val); err == nil {
			e, err = b.assign(e, col, exprLocation(rt.Val))
		}
		if err != nil {
			return nil, err
		}
		out.SetCols = append(out.SetCols, idx)
		out.SetExprs = append(out.SetExprs, e)
	}
	if oc.WhereClause != nil {
		s.clause = "WHERE"
		w, err := b.bindExpr(s, oc.WhereClause)
		if err != nil {
			return nil, err
		}
		if out.Where, err = b.coerceBool(w, "WHERE", -1); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// joinTargets joins the target table of an UPDATE ... FROM or DELETE ...
// USING with the other FROM items (the target's columns come first).
func (b *Binder) joinTargets(scan *plan.Scan, s *scope, alias string, from []*pg.Node) (plan.Node, *scope, error) {
	var node plan.Node = scan
	for _, item := range from {
		if rv := item.GetRangeVar(); rv != nil {
			name := rv.Relname
			if rv.Alias != nil {
				name = rv.Alias.Aliasname
			}
			if name == alias {
				return nil, nil, pgerror.New(pgerror.DuplicateAlias, "table name %q specified more than once", alias)
			}
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

func (b *Binder) bindUpdate(up *pg.UpdateStmt) (plan.Node, error) {
	if up.WithClause != nil {
		return nil, pgerror.Unimplemented("UPDATE with WITH is not supported yet")
	}
	desc, err := b.ResolveTable(up.Relation)
	if err != nil {
		return nil, err
	}
	alias := desc.Name
	if up.Relation.Alias != nil {
		alias = up.Relation.Alias.Aliasname
	}
	scan, s := scanOf(desc, alias)
	b.attachIndexExprs(scan)
	var source plan.Node = scan
	if len(up.FromClause) > 0 {
		if source, s, err = b.joinTargets(scan, s, alias, up.FromClause); err != nil {
			return nil, err
		}
	}
	input, err := b.bindWhere(s, source, up.WhereClause)
	if err != nil {
		return nil, err
	}
	exprs := make([]plan.Expr, 0, len(desc.Table.Columns)+len(up.TargetList))
	cols := append([]plan.Column(nil), scan.Cols...)
	for i, c := range scan.Cols {
		exprs = append(exprs, &plan.ColRef{Idx: i, T: c.T, Name: c.Name})
	}
	out := &plan.Update{Table: desc}
	seen := map[int]bool{}
	for _, tn := range up.TargetList {
		rt := tn.GetResTarget()
		col, idx, ok := desc.Table.ColumnByName(rt.Name)
		if !ok || col.Hidden {
			return nil, b.errAt(pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", rt.Name, desc.Name), rt.Location)
		}
		if len(rt.Indirection) > 0 {
			return nil, b.errAt(pgerror.Unimplemented("UPDATE of subfields is not supported yet"), rt.Location)
		}
		if rt.Val.GetMultiAssignRef() != nil {
			return nil, b.errAt(pgerror.Unimplemented("UPDATE SET (a, b) = ... is not supported yet"), rt.Location)
		}
		if seen[idx] {
			return nil, b.errAt(pgerror.New(pgerror.SyntaxError, "multiple assignments to same column %q", rt.Name), rt.Location)
		}
		seen[idx] = true
		var e plan.Expr
		if col.Generated != "" && rt.Val.GetSetToDefault() == nil {
			return nil, b.errGeneratedUpdate(col, rt.Location)
		}
		if rt.Val.GetSetToDefault() != nil {
			if e, err = b.DefaultExpr(col); err != nil {
				return nil, err
			}
		} else {
			if e, err = b.bindExpr(s, rt.Val); err != nil {
				return nil, err
			}
			if e, err = b.assign(e, col, exprLocation(rt.Val)); err != nil {
				return nil, err
			}
		}
		exprs = append(exprs, e)
		cols = append(cols, plan.Column{Name: col.Name, T: col.Type})
		out.SetCols = append(out.SetCols, idx)
	}
	out.Input = &plan.Project{Input: input, Exprs: exprs, Cols: cols}
	if len(up.FromClause) > 0 {
		// A target row joined with several FROM rows is updated once;
		// a row changed concurrently is a serialization failure (the
		// re-check covers the target table alone).
		out.Joined = true
	} else {
		out.Recheck = plan.Recheck{Pred: wherePred(input), Exprs: exprs}
	}
	if out.Checks, err = b.tableChecks(desc); err != nil {
		return nil, err
	}
	if out.Returning, out.RetCols, err = b.bindReturning(desc, up.ReturningList); err != nil {
		return nil, err
	}
	return out, nil
}

func (b *Binder) bindDelete(del *pg.DeleteStmt) (plan.Node, error) {
	if del.WithClause != nil {
		return nil, pgerror.Unimplemented("DELETE with WITH is not supported yet")
	}
	desc, err := b.ResolveTable(del.Relation)
	if err != nil {
		return nil, err
	}
	alias := desc.Name
	if del.Relation.Alias != nil {
		alias = del.Relation.Alias.Aliasname
	}
	scan, s := scanOf(desc, alias)
	b.attachIndexExprs(scan)
	var source plan.Node = scan
	if len(del.UsingClause) > 0 {
		if source, s, err = b.joinTargets(scan, s, alias, del.UsingClause); err != nil {
			return nil, err
		}
	}
	input, err := b.bindWhere(s, source, del.WhereClause)
	if err != nil {
		return nil, err
	}
	out := &plan.Delete{Table: desc, Input: input, Joined: len(del.UsingClause) > 0}
	if !out.Joined {
		out.Recheck.Pred = wherePred(input)
		for i, c := range scan.Cols {
			out.Recheck.Exprs = append(out.Recheck.Exprs, &plan.ColRef{Idx: i, T: c.T, Name: c.Name})
		}
	}
	if out.Returning, out.RetCols, err = b.bindReturning(desc, del.ReturningList); err != nil {
		return nil, err
	}
	return out, nil
}

// wherePred returns the WHERE predicate bindWhere put over a table scan,
// or nil.
func wherePred(n plan.Node) plan.Expr {
	if f, ok := n.(*plan.Filter); ok {
		return f.Pred
	}
	return nil
}

// TableChecks binds a table's CHECK constraints over its columns.
func (b *Binder) TableChecks(desc *catalog.Descriptor) ([]plan.CheckExpr, error) {
	return b.tableChecks(desc)
}

// tableChecks binds a table's CHECK constraints over its columns.
func (b *Binder) tableChecks(desc *catalog.Descriptor) ([]plan.CheckExpr, error) {
	if len(desc.Table.Checks) == 0 {
		return nil, nil
	}
	_, s := scanOf(desc, desc.Name)
	var out []plan.CheckExpr
	for _, c := range desc.Table.Checks {
		stmts, err := parser.Parse("SELECT " + c.Expr)
		if err != nil || len(stmts) != 1 {
			return nil, pgerror.AssertionFailed("bad stored check %s: %q", c.Name, c.Expr)
		}
		e, err := b.bindExpr(s, stmts[0].AST.GetSelectStmt().TargetList[0].GetResTarget().Val)
		if err != nil {
			return nil, err
		}
		if e, err = b.coerceBool(e, "CHECK", -1); err != nil {
			return nil, err
		}
		out = append(out, plan.CheckExpr{Name: c.Name, Expr: e})
	}
	return out, nil
}

// leftmostLoc is the smaller of two locations, ignoring unknown (-1) ones.
func leftmostLoc(a, b int32) int32 {
	if a < 0 || (b >= 0 && b < a) {
		return b
	}
	return a
}

func (b *Binder) errGeneratedInsert(col catalog.Column, _ int32) error {
	return pgerror.New(pgerror.GeneratedAlways, "cannot insert a non-DEFAULT value into column %q", col.Name).
		WithDetail("Column %q is a generated column.", col.Name)
}

func (b *Binder) errGeneratedUpdate(col catalog.Column, _ int32) error {
	return pgerror.New(pgerror.GeneratedAlways, "column %q can only be updated to DEFAULT", col.Name).
		WithDetail("Column %q is a generated column.", col.Name)
}
