package bind

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
)

// cte is a common table expression visible to the query being bound.
type cte struct {
	name      string
	query     *pg.SelectStmt
	colnames  []string
	recursive bool
	outer     *scope // the scope the WITH clause was written in
	// work is set while the recursive term binds: references then read
	// the working table. For a data-modifying CTE (dml) it holds the
	// statement's RETURNING rows.
	work *plan.WorkTable
	dml  bool
}

// pushWith makes the CTEs of a WITH clause visible; the returned func
// hides them again.
func (b *Binder) pushWith(w *pg.WithClause) (func(), error) {
	if w == nil {
		return func() {}, nil
	}
	n := len(b.ctes)
	for _, c := range w.Ctes {
		ce := c.GetCommonTableExpr()
		if ce == nil {
			continue
		}
		for _, other := range b.ctes[n:] {
			if other.name == ce.Ctename {
				b.ctes = b.ctes[:n]
				return nil, b.errAt(pgerror.New(pgerror.DuplicateAlias, "WITH query name %q specified more than once", ce.Ctename), ce.Location)
			}
		}
		sel := ce.Ctequery.GetSelectStmt()
		if sel == nil {
			// A data-modifying statement: bound and run once, before the
			// main query; references read its RETURNING rows.
			if w != b.topWith {
				b.ctes = b.ctes[:n]
				return nil, b.errAt(pgerror.New(pgerror.FeatureNotSupported, "WITH clause containing a data-modifying statement must be at the top level"), ce.Location)
			}
			dml, err := b.bindDMLCTE(ce)
			if err != nil {
				b.ctes = b.ctes[:n]
				return nil, err
			}
			b.ctes = append(b.ctes, dml)
			continue
		}
		b.ctes = append(b.ctes, &cte{name: ce.Ctename, query: sel, colnames: stringList(ce.Aliascolnames),
			recursive: w.Recursive, outer: b.outer})
	}
	return func() { b.ctes = b.ctes[:n] }, nil
}

// lookupCTE finds the innermost visible CTE named name.
func (b *Binder) lookupCTE(name string) *cte {
	for i := len(b.ctes) - 1; i >= 0; i-- {
		if b.ctes[i].name == name {
			return b.ctes[i]
		}
	}
	return nil
}

// bindCTERef binds a FROM-clause reference to a CTE.
func (b *Binder) bindCTERef(c *cte, alias string, a *pg.Alias) (plan.Node, *scope, error) {
	var node plan.Node
	if c.work != nil {
		node = &plan.WorkTableScan{Table: c.work}
	} else {
		var err error
		if node, err = b.bindCTEBody(c); err != nil {
			return nil, nil, err
		}
	}
	s := &scope{}
	for _, col := range node.Columns() {
		s.cols = append(s.cols, scopeCol{table: alias, name: col.Name, t: col.T})
	}
	if a != nil && len(a.Colnames) > 0 {
		if err := renameColumns(s, a, true); err != nil {
			return nil, nil, err
		}
	}
	return node, s, nil
}

// bindCTEBody binds the query of a CTE (each reference binds it anew).
func (b *Binder) bindCTEBody(c *cte) (plan.Node, error) {
	savedOuter := b.outer
	b.outer = c.outer
	defer func() { b.outer = savedOuter }()
	sel := c.query
	if c.recursive && sel.Op == pg.SetOperation_SETOP_UNION && referencesName(sel.Rarg, c.name) {
		return b.bindRecursive(c)
	}
	node, _, err := b.bindSelect(sel)
	if err != nil {
		return nil, err
	}
	return renameOutput(node, c.colnames, c.name)
}

// renameOutput applies a CTE's column list.
func renameOutput(node plan.Node, names []string, cteName string) (plan.Node, error) {
	cols := node.Columns()
	if len(names) == 0 {
		return node, nil
	}
	if len(names) > len(cols) {
		return nil, pgerror.New(pgerror.InvalidColumnReference, "WITH query %q has %d columns available but %d columns specified", cteName, len(cols), len(names))
	}
	exprs := make([]plan.Expr, len(cols))
	out := make([]plan.Column, len(cols))
	for i, c := range cols {
		exprs[i] = &plan.ColRef{Idx: i, T: c.T, Name: c.Name}
		out[i] = c
		if i < len(names) {
			out[i].Name = names[i]
		}
	}
	return &plan.Project{Input: node, Exprs: exprs, Cols: out}, nil
}

// bindRecursive binds WITH RECURSIVE name AS (init UNION [ALL] recur).
func (b *Binder) bindRecursive(c *cte) (plan.Node, error) {
	sel := c.query
	if len(sel.SortClause) > 0 || sel.LimitCount != nil || sel.LimitOffset != nil {
		return nil, pgerror.Unimplemented("ORDER BY/LIMIT in a recursive query is not supported")
	}
	init, _, err := b.bindSelect(sel.Larg)
	if err != nil {
		return nil, err
	}
	if init, err = renameOutput(init, c.colnames, c.name); err != nil {
		return nil, err
	}
	work := &plan.WorkTable{Cols: init.Columns()}
	c.work = work
	recur, _, err := b.bindSelect(sel.Rarg)
	c.work = nil
	if err != nil {
		return nil, err
	}
	ic, rc := init.Columns(), recur.Columns()
	if len(ic) != len(rc) {
		return nil, pgerror.New(pgerror.SyntaxError, "each UNION query must have the same number of columns")
	}
	exprs := make([]plan.Expr, len(rc))
	need := false
	for i := range rc {
		var e plan.Expr = &plan.ColRef{Idx: i, T: rc[i].T, Name: rc[i].Name}
		if rc[i].T.Oid != ic[i].T.Oid {
			if !castAllowed(rc[i].T, ic[i].T, castImplicit) {
				return nil, pgerror.New(pgerror.DatatypeMismatch,
					"recursive query %q column %d has type %s in non-recursive term but type %s overall", c.name, i+1, ic[i].T, rc[i].T).
					WithHint("Cast the output of the non-recursive term to the correct type.")
			}
			e = &plan.Cast{Arg: e, To: ic[i].T.WithoutTypmod()}
			need = true
		}
		exprs[i] = e
	}
	if need {
		recur = &plan.Project{Input: recur, Exprs: exprs, Cols: ic}
	}
	return &plan.RecursiveCTE{Init: init, Recur: recur, Table: work, All: sel.All, Cols: ic}, nil
}

// referencesName reports whether a query mentions a relation name.
func referencesName(sel *pg.SelectStmt, name string) bool {
	if sel == nil {
		return false
	}
	found := false
	var walkNode func(n *pg.Node)
	walkNode = func(n *pg.Node) {
		if n == nil || found {
			return
		}
		switch x := n.Node.(type) {
		case *pg.Node_RangeVar:
			found = found || (x.RangeVar.Schemaname == "" && x.RangeVar.Relname == name)
		case *pg.Node_JoinExpr:
			walkNode(x.JoinExpr.Larg)
			walkNode(x.JoinExpr.Rarg)
		case *pg.Node_RangeSubselect:
			found = found || referencesName(x.RangeSubselect.Subquery.GetSelectStmt(), name)
		}
	}
	for _, f := range sel.FromClause {
		walkNode(f)
	}
	return found || referencesName(sel.Larg, name) || referencesName(sel.Rarg, name)
}

// bindDMLCTE binds WITH name AS (INSERT/UPDATE/DELETE ... [RETURNING]).
func (b *Binder) bindDMLCTE(ce *pg.CommonTableExpr) (*cte, error) {
	var node plan.Node
	var err error
	switch q := ce.Ctequery.Node.(type) {
	case *pg.Node_InsertStmt:
		node, err = b.bindInsert(q.InsertStmt)
	case *pg.Node_UpdateStmt:
		node, err = b.bindUpdate(q.UpdateStmt)
	case *pg.Node_DeleteStmt:
		node, err = b.bindDelete(q.DeleteStmt)
	default:
		return nil, pgerror.Unimplemented("this statement is not supported in WITH")
	}
	if err != nil {
		return nil, err
	}
	if node, err = renameOutput(node, stringList(ce.Aliascolnames), ce.Ctename); err != nil {
		return nil, err
	}
	work := &plan.WorkTable{Cols: node.Columns()}
	b.dmlCTEs = append(b.dmlCTEs, &plan.DMLCTE{Plan: node, Table: work})
	return &cte{name: ce.Ctename, work: work, dml: true}, nil
}
