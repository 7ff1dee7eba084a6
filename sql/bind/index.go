package bind

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// IndexExprs binds the key expressions of desc's expression indexes over
// its columns: for each such index, one expression per key position (nil
// at plain-column positions).
func (b *Binder) IndexExprs(desc *catalog.Descriptor) (map[uint32][]plan.Expr, error) {
	var out map[uint32][]plan.Expr
	for _, ix := range desc.Table.Indexes {
		if !ix.HasExprs() {
			continue
		}
		if out == nil {
			out = map[uint32][]plan.Expr{}
		}
		_, s := scanOf(desc, desc.Name)
		es := make([]plan.Expr, len(ix.Exprs))
		for i, text := range ix.Exprs {
			if text == "" {
				continue
			}
			stmts, err := parser.Parse("SELECT " + text)
			if err != nil || len(stmts) != 1 {
				return nil, pgerror.AssertionFailed("bad stored index expression of %s: %q", ix.Name, text)
			}
			e, err := b.bindExpr(s, stmts[0].AST.GetSelectStmt().TargetList[0].GetResTarget().Val)
			if err != nil {
				return nil, err
			}
			es[i] = e
		}
		out[ix.ID] = es
	}
	return out, nil
}

// attachIndexExprs gives a scan its table's bound index expressions, so
// that the planner can match conditions against them.
func (b *Binder) attachIndexExprs(scan *plan.Scan) {
	for _, ix := range scan.Table.Table.Indexes {
		if ix.HasExprs() {
			if exprs, err := b.IndexExprs(scan.Table); err == nil {
				scan.IndexExprs = exprs
			}
			return
		}
	}
}

// BindIndexExpr binds an index key expression of CREATE INDEX over
// desc's columns: its stored text, type and the columns it reads. As in
// PostgreSQL, it may call only immutable functions and may not hold
// aggregates, window functions, subqueries or set-returning functions.
func (b *Binder) BindIndexExpr(desc *catalog.Descriptor, n *pg.Node) (text string, t types.T, cols []uint32, err error) {
	_, s := scanOf(desc, desc.Name)
	s.clause = "index expressions"
	e, err := b.bindExpr(s, n)
	if err != nil {
		return "", types.T{}, nil, err
	}
	bad := error(nil)
	seen := map[int]bool{}
	_, _ = plan.Rewrite(e, func(x plan.Expr) (plan.Expr, error) {
		switch y := x.(type) {
		case *plan.ColRef:
			if !seen[y.Idx] {
				seen[y.Idx] = true
				cols = append(cols, desc.Table.Columns[y.Idx].ID)
			}
		case *plan.Call:
			if y.Fn.Volatility != funcs.Immutable && bad == nil {
				bad = pgerror.New(pgerror.InvalidObjectDefinition, "functions in index expression must be marked IMMUTABLE")
			}
			if y.Fn.IsSRF() && bad == nil {
				bad = pgerror.New(pgerror.FeatureNotSupported, "set-returning functions are not allowed in index expressions")
			}
		case *plan.Subquery:
			if bad == nil {
				bad = pgerror.New(pgerror.FeatureNotSupported, "cannot use subquery in index expression")
			}
		case *plan.AggRef, *plan.WinRef:
			if bad == nil {
				bad = pgerror.New(pgerror.GroupingError, "aggregate functions are not allowed in index expressions")
			}
		}
		return x, nil
	})
	if bad != nil {
		return "", types.T{}, nil, bad
	}
	if text, err = deparseExpr(n); err != nil {
		return "", types.T{}, nil, err
	}
	return text, e.Type(), cols, nil
}

// AlterTypeExpr binds what ALTER COLUMN ... TYPE t stores for column idx
// of desc: the USING expression (nil: the column itself) over the old
// row, converted to t as an assignment would be.
func (b *Binder) AlterTypeExpr(desc *catalog.Descriptor, idx int, using *pg.Node, t types.T) (plan.Expr, error) {
	col := desc.Table.Columns[idx]
	_, s := scanOf(desc, desc.Name)
	if using == nil {
		e := plan.Expr(&plan.ColRef{Idx: idx, T: col.Type, Name: col.Name})
		if !castAllowed(col.Type, t, castAssignment) {
			return nil, pgerror.New(pgerror.DatatypeMismatch, "column \"%s\" cannot be cast automatically to type %s", col.Name, t.WithoutTypmod()).
				WithHint("You might need to specify \"USING %s::%s\".", parser.QuoteIdent(col.Name), t)
		}
		return b.coerce(e, t, castAssignment, -1)
	}
	s.clause = "transform expressions"
	e, err := b.bindExpr(s, using)
	if err != nil {
		return nil, err
	}
	if e.Type().Oid != types.OidUnknown && !castAllowed(e.Type(), t, castAssignment) {
		return nil, pgerror.New(pgerror.DatatypeMismatch, "result of USING clause for column \"%s\" cannot be cast automatically to type %s", col.Name, t.WithoutTypmod()).
			WithHint("You might need to add an explicit cast.")
	}
	return b.coerce(e, t, castAssignment, -1)
}

// BindParamValue binds an EXECUTE argument: an expression without
// columns, converted to the prepared statement's parameter type t as an
// assignment would be.
func (b *Binder) BindParamValue(n *pg.Node, t types.T) (plan.Expr, error) {
	e, err := b.bindExpr(&scope{clause: "EXECUTE parameter"}, n)
	if err != nil {
		return nil, err
	}
	if t.Oid == types.OidUnknown {
		t = types.Text
	}
	if e.Type().Oid != types.OidUnknown && !castAllowed(e.Type(), t, castAssignment) {
		return nil, b.errAt(pgerror.New(pgerror.DatatypeMismatch, "parameter $1 of type %s cannot be coerced to the expected type %s", e.Type(), t).
			WithHint("You will need to rewrite or cast the expression."), exprLocation(n))
	}
	return b.coerce(e, t, castAssignment, exprLocation(n))
}
