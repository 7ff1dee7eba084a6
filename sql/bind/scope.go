package bind

import (
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

// scopeCol is a column visible to expressions: position idx in the
// input's output.
type scopeCol struct {
	table  string // alias or table name
	name   string
	t      types.T
	hidden bool
	// system columns (tableoid) resolve by name but are not part of *
	// or of the whole row.
	system bool
	// qualOnly columns are reachable only qualified (t.col, t.*): the
	// left/right copies of a JOIN ... USING column.
	qualOnly bool
	// origin, for RowDescription
	tableID  uint32
	columnID uint16
}

// scope is the set of columns an expression may reference.
type scope struct {
	cols []scopeCol
	// agg, when set, collects aggregate calls while binding targets.
	agg *aggState
	// win, when set, collects window function calls.
	win *winState
	// clause names the clause being bound, for "not allowed in" errors.
	clause string
	// parent is the scope of the enclosing query (for correlated
	// subqueries); nil at the top level.
	parent *scope
	// from describes the FROM clause whose columns these are, for row
	// locking; nil for other scopes.
	from *fromInfo
	// srf, when set, collects set-returning calls of a select list.
	srf *srfState
}

// srfState collects the set-returning calls of a select list.
type srfState struct {
	calls []*plan.Call
}

// rewriteArgs applies fn to the calls' arguments (the rewrites of the
// select list after grouping and windows apply to them too).
func (s *srfState) rewriteArgs(fn func(plan.Expr) (plan.Expr, error)) error {
	for _, c := range s.calls {
		for i, a := range c.Args {
			v, err := fn(a)
			if err != nil {
				return err
			}
			c.Args[i] = v
		}
	}
	return nil
}

// resolve finds a column in s or, failing that, in the enclosing
// queries' scopes (an OuterRef).
func (s *scope) resolve(b *Binder, table, name string, loc int32) (plan.Expr, error) {
	ref, err := s.resolveLocal(b, table, name, loc)
	if err == nil || s.parent == nil {
		return ref, err
	}
	code := pgerror.CodeOf(err)
	if code != pgerror.UndefinedColumn && code != pgerror.UndefinedTable {
		return nil, err
	}
	depth := 0
	for p := s.parent; p != nil; p = p.parent {
		depth++
		r, perr := p.resolveLocal(b, table, name, loc)
		if perr == nil {
			b.markCorrelated(depth)
			return &plan.OuterRef{Depth: depth, Idx: r.Idx, T: r.T}, nil
		}
		if c := pgerror.CodeOf(perr); c != pgerror.UndefinedColumn && c != pgerror.UndefinedTable {
			return nil, perr
		}
	}
	return nil, err
}

func (s *scope) resolveLocal(b *Binder, table, name string, loc int32) (*plan.ColRef, error) {
	found := -1
	for i, c := range s.cols {
		if c.name != name || (table != "" && c.table != table) {
			continue
		}
		if table == "" && (c.hidden || c.qualOnly) || c.hidden && c.qualOnly {
			continue
		}
		if found >= 0 {
			return nil, b.errAt(pgerror.New(pgerror.AmbiguousColumn, "column reference %q is ambiguous", name), loc)
		}
		found = i
	}
	if found < 0 {
		if table != "" {
			known := false
			for _, c := range s.cols {
				if c.table == table {
					known = true
				}
			}
			if !known {
				return nil, b.errAt(pgerror.New(pgerror.UndefinedTable, "missing FROM-clause entry for table %q", table), loc)
			}
			return nil, b.errAt(pgerror.New(pgerror.UndefinedColumn, "column %s.%s does not exist", table, name), loc)
		}
		return nil, b.errAt(pgerror.New(pgerror.UndefinedColumn, "column %q does not exist", name), loc)
	}
	c := s.cols[found]
	if b.refs != nil && b.viewDepth == 0 && c.tableID != 0 && loc >= 0 {
		b.refs.Columns[loc] = ColumnOrigin{Table: c.tableID - vtable.UserOIDBase, Column: uint32(c.columnID)}
	}
	return &plan.ColRef{Idx: found, T: c.t, Name: c.name}, nil
}

func (s *scope) planColumns() []plan.Column {
	out := make([]plan.Column, len(s.cols))
	for i, c := range s.cols {
		out[i] = plan.Column{Name: c.name, T: c.t, TableID: c.tableID, ColumnID: c.columnID}
	}
	return out
}
