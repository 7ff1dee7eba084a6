package bind

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// bindFuncScan binds a function call in FROM (generate_series(1, 3) g,
// unnest($1::int[], $2::text[]) WITH ORDINALITY AS u(a, b, n),
// ROWS FROM (f(), g())): set-returning functions yield their rows, a
// scalar function one row.
func (b *Binder) bindFuncScan(rf *pg.RangeFunction) (plan.Node, *scope, error) {
	if rf.Lateral {
		return nil, nil, pgerror.Unimplemented("LATERAL function calls are not supported yet")
	}
	return b.bindFuncItem(rf, nil, nil)
}

// bindLateralFuncItem binds a function call in FROM that follows other
// items (left, scope ls) and may read their columns, as PostgreSQL's
// function calls in FROM implicitly may (FROM t, unnest(t.tags)): such a
// call runs once per left row, which a ProjectSet over left does. A call
// that reads no left column is an independent FuncScan, joined.
func (b *Binder) bindLateralFuncItem(rf *pg.RangeFunction, left plan.Node, ls *scope) (plan.Node, *scope, error) {
	n, s, err := b.bindFuncItem(rf, left, ls)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := n.(*plan.ProjectSet); ok {
		return n, s, nil
	}
	j, js := joinNodes(plan.InnerJoin, left, ls, n, s, nil)
	return j, js, nil
}

// bindFuncItem binds the calls of a function item. With left set (a
// lateral position), the calls may read left's columns; if they do, the
// result is a ProjectSet over left whose scope is left's then the
// function's columns.
func (b *Binder) bindFuncItem(rf *pg.RangeFunction, left plan.Node, ls *scope) (plan.Node, *scope, error) {
	fs := &plan.FuncScan{Ordinality: rf.Ordinality}
	var names []string // default column names, one per call
	for _, item := range rf.Functions {
		list := item.GetList()
		if list == nil || len(list.Items) == 0 {
			return nil, nil, pgerror.Unimplemented("FROM function item not supported")
		}
		var coldefs []funcs.OutCol
		defLoc := int32(-1)
		defNodes := rf.Coldeflist
		if len(list.Items) > 1 && list.Items[1] != nil && list.Items[1].GetList() != nil {
			defNodes = append(defNodes, list.Items[1].GetList().Items...)
		}
		for _, n := range defNodes {
			cd := n.GetColumnDef()
			if cd == nil {
				continue
			}
			t, err := b.ResolveType(cd.TypeName)
			if err != nil {
				return nil, nil, err
			}
			coldefs = append(coldefs, funcs.OutCol{Name: cd.Colname, T: t})
			if defLoc < 0 {
				defLoc = cd.Location
			}
		}
		fc := list.Items[0].GetFuncCall()
		if fc == nil {
			return nil, nil, pgerror.Unimplemented("only function calls are supported in FROM")
		}
		fnames := stringList(fc.Funcname)
		name := strings.ToLower(fnames[len(fnames)-1])
		if name == "unnest" && len(fc.Args) > 1 && !rf.IsRowsfrom {
			// unnest(a, b, ...) is ROWS FROM (unnest(a), unnest(b), ...).
			for _, a := range fc.Args {
				one := &pg.FuncCall{Funcname: fc.Funcname, Args: []*pg.Node{a}, Location: fc.Location}
				call, err := b.bindFromCall(one, ls)
				if err != nil {
					return nil, nil, err
				}
				fs.Calls = append(fs.Calls, call)
				names = append(names, name)
			}
			continue
		}
		call, err := b.bindFromCall(fc, ls)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case coldefs != nil && call.Fn.ColumnsFor == nil:
			return nil, nil, b.errAt(pgerror.New(pgerror.SyntaxError, "a column definition list is only allowed for functions returning \"record\""), defLoc)
		case coldefs == nil && call.Fn.ColumnsFor != nil:
			return nil, nil, b.errAt(pgerror.New(pgerror.SyntaxError, "a column definition list is required for functions returning \"record\""), fc.Location)
		case coldefs != nil:
			call = &plan.Call{Fn: call.Fn.ColumnsFor(coldefs), Args: call.Args}
		}
		fs.Calls = append(fs.Calls, call)
		names = append(names, name)
	}
	lateral := false
	for _, c := range fs.Calls {
		for _, a := range c.Args {
			lateral = lateral || readsColumns(a)
		}
	}
	alias := ""
	var colnames []string
	if rf.Alias != nil {
		alias = rf.Alias.Aliasname
		colnames = stringList(rf.Alias.Colnames)
	}
	if alias == "" && len(names) > 0 {
		alias = names[0]
	}
	if alias != "" && len(fs.Calls) == 1 && rf.Alias != nil {
		// A single function's column takes the alias's name (unless
		// the function names its output column).
		names[0] = alias
	}
	for i, c := range fs.Calls {
		if len(c.Fn.OutCols) > 0 {
			for _, oc := range c.Fn.OutCols {
				fs.Cols = append(fs.Cols, plan.Column{Name: oc.Name, T: oc.T})
			}
			continue
		}
		if c.Fn.OutName != "" {
			names[i] = c.Fn.OutName
		}
		fs.Cols = append(fs.Cols, plan.Column{Name: names[i], T: c.Fn.Ret})
	}
	if fs.Ordinality {
		fs.Cols = append(fs.Cols, plan.Column{Name: "ordinality", T: types.Int8})
	}
	if len(colnames) > len(fs.Cols) {
		return nil, nil, pgerror.New(pgerror.InvalidColumnReference, "too many column aliases specified for function %s", names[0])
	}
	s := &scope{}
	for i := range fs.Cols {
		if i < len(colnames) {
			fs.Cols[i].Name = colnames[i]
		}
		s.cols = append(s.cols, scopeCol{table: alias, name: fs.Cols[i].Name, t: fs.Cols[i].T})
	}
	s.from = leafFrom(alias, relFunction, nil, fs)
	if !lateral {
		return fs, s, nil
	}
	// Once per left row: the left columns, then the function's.
	ps := &plan.ProjectSet{Input: left, Calls: fs.Calls, Ordinality: fs.Ordinality, Expand: true,
		Cols: append(append([]plan.Column(nil), left.Columns()...), fs.Cols...)}
	combined := &scope{cols: append(append([]scopeCol(nil), ls.cols...), s.cols...)}
	// For row locking the function's values are copied as read.
	combined.from = joinFrom(ls.from, s.from, len(ls.cols), &plan.Join{Kind: plan.InnerJoin, Cols: ps.Cols})
	return ps, combined, nil
}

// readsColumns reports whether e reads a column of its input row.
func readsColumns(e plan.Expr) bool {
	found := false
	_, _ = plan.Rewrite(e, func(x plan.Expr) (plan.Expr, error) {
		if _, ok := x.(*plan.ColRef); ok {
			found = true
		}
		return x, nil
	})
	return found
}

// bindFromCall binds one function call of a FROM item; its arguments may
// read the enclosing queries (correlation) and, in a lateral position,
// the columns of scope ls (nil: none).
func (b *Binder) bindFromCall(fc *pg.FuncCall, ls *scope) (*plan.Call, error) {
	if fc.AggStar || fc.AggDistinct || len(fc.AggOrder) > 0 || fc.AggFilter != nil || fc.Over != nil {
		return nil, b.errAt(pgerror.New(pgerror.GroupingError, "aggregate functions are not allowed in functions in FROM"), fc.Location)
	}
	fnames := stringList(fc.Funcname)
	name := strings.ToLower(fnames[len(fnames)-1])
	if b.reg.IsAggregate(name) {
		return nil, b.errAt(pgerror.New(pgerror.GroupingError, "aggregate functions are not allowed in functions in FROM"), fc.Location)
	}
	s := &scope{parent: b.outer, clause: "functions in FROM", srf: &srfState{}}
	if ls != nil {
		s.cols = ls.cols
	}
	e, err := b.bindFuncCall(s, fc)
	if err != nil {
		return nil, err
	}
	if r, ok := e.(*plan.SRFRef); ok && len(s.srf.calls) == 1 && r.Idx == 0 {
		return s.srf.calls[0], nil
	}
	if len(s.srf.calls) > 0 {
		return nil, b.errAt(pgerror.Unimplemented("set-returning functions inside function arguments in FROM are not supported yet"), fc.Location)
	}
	// A scalar function (or an expression the binder produced for it,
	// such as a constant) yields one row.
	if c, ok := e.(*plan.Call); ok {
		return c, nil
	}
	return &plan.Call{Fn: constFn(e), Args: []plan.Expr{e}}, nil
}

// constFn is the identity on e's type: a FROM item whose function the
// binder already reduced to an expression yields that expression's value.
func constFn(e plan.Expr) *funcs.Overload {
	t := e.Type()
	return &funcs.Overload{Name: "identity", Args: []types.T{t}, Ret: t, NonStrict: true, Volatility: funcs.Immutable,
		Fn: func(_ funcs.Env, a []types.Datum) (types.Datum, error) { return a[0], nil }}
}
