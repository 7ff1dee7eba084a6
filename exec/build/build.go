// Package build turns a logical plan into a tree of exec operators,
// compiling every expression once.
package build

import (
	"context"
	"github.com/aegisdb/aegis/sql/typio"
	"github.com/cockroachdb/apd/v3"

	"github.com/aegisdb/aegis/exec/expr"
	"github.com/aegisdb/aegis/exec/op"
	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/rowenc"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

// Builder holds what operators need from the session.
type Builder struct {
	Txn    *kv.Txn
	Env    funcs.Env
	Params []types.Datum
	// Ctx is the statement context (subqueries run under it).
	Ctx context.Context
	// Outer holds the enclosing query's row while building a subquery.
	Outer *expr.Outer
	// Virtual supplies what pg_catalog tables read (nil: none may occur).
	Virtual func(ctx context.Context) *vtable.Context
	// work maps recursive CTEs' working tables to their run-time holders.
	work map[*plan.WorkTable]*op.WorkTable
	// epq is the slot EPQRow leaves read while building a LockRows
	// re-check plan.
	epq *op.EPQSlot
	// Defer queues a deferred constraint's check until COMMIT (nil: run
	// checks immediately); FKDeferred says whether a foreign key's checks
	// are deferred now (SET CONSTRAINTS).
	Defer      func(name string, check func(ctx context.Context) error)
	FKDeferred func(fk catalog.ForeignKey) bool
	// IndexExprs binds a table's index key expressions (see
	// bind.Binder.IndexExprs); nil when no expression index can occur.
	IndexExprs func(*catalog.Descriptor) (map[uint32][]plan.Expr, error)
	// CheckExprs binds a table's CHECK constraints (for cascaded changes).
	CheckExprs func(*catalog.Descriptor) ([]plan.CheckExpr, error)
	// GeneratedExprs binds a table's generation expressions.
	GeneratedExprs func(*catalog.Descriptor) ([]plan.Expr, error)
	// DefaultExprs binds a table's column defaults (nil entries: none).
	DefaultExprs func(*catalog.Descriptor) ([]plan.Expr, error)
}

// IndexEvals compiles the key expressions of desc's expression indexes
// for Mutate (nil when it has none).
func (b *Builder) IndexEvals(desc *catalog.Descriptor) (map[uint32]op.IndexEval, error) {
	has := false
	for _, ix := range desc.Table.Indexes {
		has = has || ix.HasExprs()
	}
	if !has {
		return nil, nil
	}
	if b.IndexExprs == nil {
		return nil, pgerror.AssertionFailed("table %s has expression indexes but no binder", desc.Name)
	}
	bound, err := b.IndexExprs(desc)
	if err != nil {
		return nil, err
	}
	tblT := make([]types.T, len(desc.Table.Columns))
	for i, c := range desc.Table.Columns {
		tblT[i] = c.Type
	}
	out := map[uint32]op.IndexEval{}
	for id, es := range bound {
		ev := op.IndexEval{Evals: make([]expr.Evaluator, len(es)), T: make([]types.T, len(es)), TblT: tblT}
		for i, e := range es {
			if e == nil {
				continue
			}
			if ev.Evals[i], err = b.compile(e, tblT); err != nil {
				return nil, err
			}
			ev.T[i] = e.Type()
		}
		out[id] = ev
	}
	return out, nil
}

func (b *Builder) workTable(t *plan.WorkTable) *op.WorkTable {
	if b.work == nil {
		b.work = map[*plan.WorkTable]*op.WorkTable{}
	}
	w := b.work[t]
	if w == nil {
		w = &op.WorkTable{}
		b.work[t] = w
	}
	return w
}

func (b *Builder) compile(e plan.Expr, in []types.T) (expr.Evaluator, error) {
	return expr.Compile(e, &expr.Context{Env: b.Env, Params: b.Params, InputTypes: in,
		Outer: b.Outer, Subquery: b.subquery, Ctx: b.Ctx})
}

// subquery builds a nested query's operators once; each Run reopens
// them (after the caller has set the outer row).
func (b *Builder) subquery(n plan.Node, outer *expr.Outer) (expr.SubqueryRunner, error) {
	child := *b
	child.Outer = outer
	o, err := child.Build(n)
	if err != nil {
		return nil, err
	}
	return &runner{op: o}, nil
}

type runner struct{ op op.Operator }

func (r *runner) Run(ctx context.Context) ([][]types.Datum, error) {
	var rows [][]types.Datum
	ts := r.op.Types()
	err := Run(ctx, r.op, func(b vec.Batch) error {
		for i := 0; i < int(b.NumRows()); i++ {
			rows = append(rows, vec.Row(ts, b, i))
		}
		return nil
	})
	return rows, err
}

// srfCalls compiles the arguments of function calls over input columns
// of types in.
func (b *Builder) srfCalls(cs []*plan.Call, in []types.T) ([]op.SRFCall, error) {
	out := make([]op.SRFCall, len(cs))
	for i, c := range cs {
		args, err := b.compileAll(c.Args, in)
		if err != nil {
			return nil, err
		}
		out[i] = op.SRFCall{Fn: c.Fn, Args: args, ArgT: plan.Types(argColumns(c.Args))}
	}
	return out, nil
}

func argColumns(es []plan.Expr) []plan.Column {
	cols := make([]plan.Column, len(es))
	for i, e := range es {
		cols[i] = plan.Column{T: e.Type()}
	}
	return cols
}

func (b *Builder) compileAll(es []plan.Expr, in []types.T) ([]expr.Evaluator, error) {
	out := make([]expr.Evaluator, len(es))
	for i, e := range es {
		ev, err := b.compile(e, in)
		if err != nil {
			return nil, err
		}
		out[i] = ev
	}
	return out, nil
}

// Build returns the operator for n.
func (b *Builder) Build(n plan.Node) (op.Operator, error) {
	switch x := n.(type) {
	case *plan.Values:
		v := &op.Values{T: plan.Types(x.Cols)}
		for _, r := range x.Rows {
			evs, err := b.compileAll(r, nil)
			if err != nil {
				return nil, err
			}
			v.Rows = append(v.Rows, evs)
		}
		return v, nil
	case *plan.Scan:
		sc := &op.Scan{Txn: b.Txn, Table: x.Table, T: plan.Types(x.Cols)}
		if ix, ok := x.Table.Table.IndexByID(x.Index); ok && x.Index > 1 {
			sc.Index = &ix
		}
		if x.Ranged {
			prefix := rowenc.IndexPrefix(x.Table.ID, 1)
			colID := x.Table.Table.PrimaryKey[0]
			if sc.Index != nil {
				prefix, colID = rowenc.IndexPrefix(x.Table.ID, sc.Index.ID), sc.Index.Columns[0]
			}
			col, _, _ := x.Table.Table.ColumnByID(colID)
			// NULL keys (encoded lowest) are never in a range.
			sc.Lo = append(append([]byte(nil), prefix...), 0x01)
			sc.Hi = rowenc.PrefixEnd(prefix)
			bound := func(e plan.Expr, incl, upper bool) error {
				v, err := b.EvalConst(e)
				if err != nil {
					return err
				}
				if v == nil {
					sc.Empty = true
					return nil
				}
				k, err := rowenc.EncodeKeyValue(append([]byte(nil), prefix...), col.Type, v)
				if err != nil {
					return err
				}
				switch {
				case upper && incl:
					sc.Hi = rowenc.PrefixEnd(k)
				case upper:
					sc.Hi = k
				case incl:
					sc.Lo = k
				default:
					sc.Lo = rowenc.PrefixEnd(k)
				}
				return nil
			}
			if x.Lo != nil {
				if err := bound(x.Lo, x.LoIncl, false); err != nil {
					return nil, err
				}
			}
			if x.Hi != nil {
				if err := bound(x.Hi, x.HiIncl, true); err != nil {
					return nil, err
				}
			}
			sc.Ranged = true
			return sc, nil
		}
		if x.GINOp != "" {
			arg := x.PrefixEq[0]
			v, err := b.EvalConst(arg)
			if err != nil {
				return nil, err
			}
			c, _, _ := x.Table.Table.ColumnByID(sc.Index.Columns[0])
			terms, all, ok, empty, err := rowenc.GINQueryTerms(x.GINOp, c.Type, v)
			if err != nil {
				return nil, err
			}
			switch {
			case empty:
				sc.Empty = true
			case ok:
				sc.GINTerms, sc.GINAll = terms, all
			default:
				sc.Index = nil // the index cannot narrow this search
			}
			return sc, nil
		}
		if len(x.PrefixEq) > 0 {
			sc.Prefix = []byte{}
			for _, e := range x.PrefixEq {
				v, err := b.EvalConst(e)
				if err != nil {
					return nil, err
				}
				if v == nil {
					sc.Empty = true
					break
				}
				if sc.Prefix, err = rowenc.EncodeKeyValue(sc.Prefix, e.Type(), v); err != nil {
					return nil, err
				}
			}
		}
		return sc, nil
	case *plan.Filter:
		in, err := b.Build(x.Input)
		if err != nil {
			return nil, err
		}
		pred, err := b.compile(x.Pred, in.Types())
		if err != nil {
			return nil, err
		}
		return &op.Filter{Input: in, Pred: pred}, nil
	case *plan.Project:
		in, err := b.Build(x.Input)
		if err != nil {
			return nil, err
		}
		evs, err := b.compileAll(x.Exprs, in.Types())
		if err != nil {
			return nil, err
		}
		return &op.Project{Input: in, Exprs: evs, T: plan.Types(x.Cols)}, nil
	case *plan.Aggregate:
		in, err := b.Build(x.Input)
		if err != nil {
			return nil, err
		}
		keys, err := b.compileAll(x.GroupBy, in.Types())
		if err != nil {
			return nil, err
		}
		a := &op.HashAgg{Input: in, Keys: keys, OutT: plan.Types(x.Cols)}
		for _, g := range x.GroupBy {
			a.KeyT = append(a.KeyT, g.Type())
		}
		for _, ac := range x.Aggs {
			spec := op.AggSpec{Agg: ac.Agg, Distinct: ac.Distinct}
			if ac.Arg != nil {
				if spec.Arg, err = b.compile(ac.Arg, in.Types()); err != nil {
					return nil, err
				}
				spec.ArgT = ac.Arg.Type()
			}
			if ac.Filter != nil {
				if spec.Filter, err = b.compile(ac.Filter, in.Types()); err != nil {
					return nil, err
				}
			}
			for _, o := range ac.Order {
				ev, err := b.compile(o.Expr, in.Types())
				if err != nil {
					return nil, err
				}
				spec.Order = append(spec.Order, op.AggOrderKey{Eval: ev, T: o.Expr.Type(), Desc: o.Desc, NullsFirst: o.NullsFirst})
			}
			if ac.Delim != nil {
				d, err := b.EvalConst(ac.Delim)
				if err != nil {
					return nil, err
				}
				if s, ok := d.(string); ok {
					spec.Delim = s
				}
			}
			a.Aggs = append(a.Aggs, spec)
		}
		return a, nil
	case *plan.Sort:
		in, err := b.Build(x.Input)
		if err != nil {
			return nil, err
		}
		return &op.Sort{Input: in, Keys: x.Keys}, nil
	case *plan.Limit:
		in, err := b.Build(x.Input)
		if err != nil {
			return nil, err
		}
		l := &op.Limit{Input: in, Count: -1}
		if x.Count != nil {
			v, err := b.EvalConst(x.Count)
			if err != nil {
				return nil, err
			}
			if v != nil {
				if l.Count = v.(int64); l.Count < 0 {
					return nil, pgerror.New(pgerror.InvalidRowCountInLimitClause, "LIMIT must not be negative")
				}
			}
		}
		if x.Offset != nil {
			v, err := b.EvalConst(x.Offset)
			if err != nil {
				return nil, err
			}
			if v != nil {
				if l.Offset = v.(int64); l.Offset < 0 {
					return nil, pgerror.New(pgerror.InvalidRowCountInResultOffsetClause, "OFFSET must not be negative")
				}
			}
		}
		return l, nil
	case *plan.LockRows:
		return b.buildLockRows(x)
	case *plan.FuncScan:
		calls, err := b.srfCalls(x.Calls, nil)
		if err != nil {
			return nil, err
		}
		op.ExpandRows(calls)
		return &op.FuncScan{Calls: calls, Ordinality: x.Ordinality, T: plan.Types(x.Cols), Env: b.Env}, nil
	case *plan.ProjectSet:
		in, err := b.Build(x.Input)
		if err != nil {
			return nil, err
		}
		calls, err := b.srfCalls(x.Calls, in.Types())
		if err != nil {
			return nil, err
		}
		if x.Expand {
			op.ExpandRows(calls)
		}
		return &op.ProjectSet{Input: in, Calls: calls, Ordinality: x.Ordinality, InT: in.Types(), T: plan.Types(x.Cols), Env: b.Env}, nil
	case *plan.DistinctOn:
		in, err := b.Build(x.Input)
		if err != nil {
			return nil, err
		}
		return &op.DistinctOn{Input: in, Cols: x.Cols}, nil
	case *plan.EPQRow:
		if b.epq == nil {
			return nil, pgerror.AssertionFailed("EPQRow outside a re-check plan")
		}
		return &op.EPQRow{Slot: b.epq, Start: x.Start, T: plan.Types(x.Cols)}, nil
	case *plan.WithDML:
		w := &op.WithDML{}
		for _, c := range x.CTEs {
			o, err := b.Build(c.Plan)
			if err != nil {
				return nil, err
			}
			w.CTEs = append(w.CTEs, o)
			w.Tables = append(w.Tables, b.workTable(c.Table))
		}
		main, err := b.Build(x.Main)
		if err != nil {
			return nil, err
		}
		w.Main = main
		return w, nil
	case *plan.Apply:
		l, err := b.Build(x.Left)
		if err != nil {
			return nil, err
		}
		holder := &expr.Outer{Parent: b.Outer}
		child := *b
		child.Outer = holder
		r, err := child.Build(x.Right)
		if err != nil {
			return nil, err
		}
		a := &op.Apply{Kind: x.Kind, Left: l, Right: r, Holder: holder, T: plan.Types(x.Cols)}
		if x.On != nil {
			if a.On, err = b.compile(x.On, a.T); err != nil {
				return nil, err
			}
		}
		return a, nil
	case *plan.Join:
		l, err := b.Build(x.Left)
		if err != nil {
			return nil, err
		}
		r, err := b.Build(x.Right)
		if err != nil {
			return nil, err
		}
		j := &op.Join{Kind: x.Kind, Left: l, Right: r, EqLeft: x.EqLeft, EqRight: x.EqRight, T: plan.Types(x.Cols)}
		if x.On != nil {
			if j.On, err = b.compile(x.On, j.T); err != nil {
				return nil, err
			}
		}
		return j, nil
	case *plan.VirtualScan:
		if b.Virtual == nil {
			return nil, pgerror.AssertionFailed("virtual table without a context")
		}
		return &op.VirtualScan{Table: x.Table, T: plan.Types(x.Cols), Context: b.Virtual}, nil
	case *plan.Window:
		in, err := b.Build(x.Input)
		if err != nil {
			return nil, err
		}
		w := &op.Window{Input: in, T: plan.Types(x.Cols), Env: b.Env}
		inT := in.Types()
		for _, c := range x.Calls {
			wc := op.WindowCall{Name: c.Name, Agg: c.Agg, Desc: c.Desc, NullsFirst: c.NullsFirst, WholePartition: c.WholePartition, Rows: c.Rows, T: c.T}
			if c.Frame != nil {
				if wc.Frame, err = b.windowFrame(c); err != nil {
					return nil, err
				}
			}
			if wc.Args, err = b.compileAll(c.Args, inT); err != nil {
				return nil, err
			}
			if wc.Partition, err = b.compileAll(c.Partition, inT); err != nil {
				return nil, err
			}
			if wc.Order, err = b.compileAll(c.Order, inT); err != nil {
				return nil, err
			}
			for _, e := range c.Args {
				wc.ArgT = append(wc.ArgT, e.Type())
			}
			for _, e := range c.Partition {
				wc.PartT = append(wc.PartT, e.Type())
			}
			for _, e := range c.Order {
				wc.OrderT = append(wc.OrderT, e.Type())
			}
			w.Calls = append(w.Calls, wc)
		}
		return w, nil
	case *plan.WorkTableScan:
		return &op.WorkTableScan{Table: b.workTable(x.Table), T: plan.Types(x.Table.Cols)}, nil
	case *plan.RecursiveCTE:
		init, err := b.Build(x.Init)
		if err != nil {
			return nil, err
		}
		recur, err := b.Build(x.Recur)
		if err != nil {
			return nil, err
		}
		return &op.RecursiveUnion{Init: init, Recur: recur, Table: b.workTable(x.Table), All: x.All, T: plan.Types(x.Cols)}, nil
	case *plan.SetOp:
		l, err := b.Build(x.Left)
		if err != nil {
			return nil, err
		}
		r, err := b.Build(x.Right)
		if err != nil {
			return nil, err
		}
		return &op.SetOp{Op: x.Op, All: x.All, Left: l, Right: r, T: plan.Types(x.Cols)}, nil
	case *plan.Insert:
		o, err := b.mutation(op.MutInsert, x.Table, x.Input, nil, x.Returning, x.RetCols, x.Checks)
		if err != nil || x.OnConflict == nil {
			return o, err
		}
		return o, b.onConflict(o.(*op.Mutate), x.OnConflict)
	case *plan.Update:
		o, err := b.mutation(op.MutUpdate, x.Table, x.Input, x.SetCols, x.Returning, x.RetCols, x.Checks)
		if err != nil {
			return nil, err
		}
		o.(*op.Mutate).Dedup = x.Joined
		return o, b.recheck(o, x.Recheck)
	case *plan.Delete:
		o, err := b.mutation(op.MutDelete, x.Table, x.Input, nil, x.Returning, x.RetCols, nil)
		if err != nil {
			return nil, err
		}
		o.(*op.Mutate).Dedup = x.Joined
		return o, b.recheck(o, x.Recheck)
	}
	return nil, pgerror.AssertionFailed("cannot build plan node %T", n)
}

func (b *Builder) mutation(kind int, tbl *catalog.Descriptor, input plan.Node, setCols []int, ret []plan.Expr, retCols []plan.Column, checks []plan.CheckExpr) (op.Operator, error) {
	in, err := b.Build(input)
	if err != nil {
		return nil, err
	}
	m, err := b.newMutate(kind, tbl, setCols)
	if err != nil {
		return nil, err
	}
	m.Input = in
	if len(checks) > 0 {
		tblT := make([]types.T, len(tbl.Table.Columns))
		for i, c := range tbl.Table.Columns {
			tblT[i] = c.Type
		}
		for _, c := range checks {
			ev, err := b.compile(c.Expr, tblT)
			if err != nil {
				return nil, err
			}
			m.Checks = append(m.Checks, op.Check{Name: c.Name, Eval: ev})
		}
	}
	if ret != nil {
		tblT := make([]types.T, len(tbl.Table.Columns))
		for i, c := range tbl.Table.Columns {
			tblT[i] = c.Type
		}
		if m.Returning, err = b.compileAll(ret, tblT); err != nil {
			return nil, err
		}
		m.RetT = plan.Types(retCols)
	}
	return m, nil
}

// newMutate returns a Mutate of tbl without input, checks or RETURNING,
// with the foreign keys it enforces loaded. Cascading foreign-key actions
// build theirs with it.
func (b *Builder) newMutate(kind int, tbl *catalog.Descriptor, setCols []int) (*op.Mutate, error) {
	m := &op.Mutate{Kind: kind, Txn: b.Txn, Table: tbl, SetCols: setCols, Settings: b.Env.Settings(), Defer: b.Defer}
	var err error
	if m.IndexEvals, err = b.IndexEvals(tbl); err != nil {
		return nil, err
	}
	for _, c := range tbl.Table.Columns {
		if c.Generated == "" {
			continue
		}
		if b.GeneratedExprs == nil {
			return nil, pgerror.AssertionFailed("table %s has generated columns but no binder", tbl.Name)
		}
		exprs, err := b.GeneratedExprs(tbl)
		if err != nil {
			return nil, err
		}
		tblT := make([]types.T, len(tbl.Table.Columns))
		for i, col := range tbl.Table.Columns {
			tblT[i] = col.Type
		}
		m.Generated = make([]expr.Evaluator, len(exprs))
		for i, e := range exprs {
			if e == nil {
				continue
			}
			if m.Generated[i], err = b.compile(e, tblT); err != nil {
				return nil, err
			}
		}
		break
	}
	if tbl.Table == nil || (len(tbl.Table.ForeignKeys) == 0 && len(tbl.Table.ReferencedBy) == 0) {
		return m, nil
	}
	cat := catalog.New(b.Txn)
	ctx := b.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	load := func(id uint32) (*catalog.Descriptor, error) {
		if id == tbl.ID {
			return tbl, nil
		}
		d, err := cat.ByID(ctx, id)
		if err == nil && (d == nil || d.Table == nil) {
			err = pgerror.AssertionFailed("foreign key references missing table %d", id)
		}
		return d, err
	}
	ref := func(fk catalog.ForeignKey, child, parent *catalog.Descriptor) op.FKRef {
		r := op.FKRef{FK: fk, Child: child, Parent: parent}
		for _, id := range fk.Columns {
			_, i, _ := child.Table.ColumnByID(id)
			r.ChildIdx = append(r.ChildIdx, i)
		}
		for _, id := range fk.RefColumns {
			_, i, _ := parent.Table.ColumnByID(id)
			r.ParentIdx = append(r.ParentIdx, i)
		}
		r.KeyID, _ = parent.Table.ReferencedKey(fk.RefColumns)
		r.Deferred = b.FKDeferred != nil && b.FKDeferred(fk)
		return r
	}
	for _, fk := range tbl.Table.ForeignKeys {
		parent, err := load(fk.RefTable)
		if err != nil {
			return nil, err
		}
		m.FKOut = append(m.FKOut, ref(fk, tbl, parent))
	}
	for _, cid := range tbl.Table.ReferencedBy {
		child, err := load(cid)
		if err != nil {
			return nil, err
		}
		for _, fk := range child.Table.ForeignKeys {
			if fk.RefTable == tbl.ID {
				m.FKIn = append(m.FKIn, ref(fk, child, tbl))
			}
		}
	}
	m.NewMutate = func(kind int, t *catalog.Descriptor, setCols []int) (*op.Mutate, error) {
		cm, err := b.newMutate(kind, t, setCols)
		if err != nil || kind == op.MutDelete || b.CheckExprs == nil || len(t.Table.Checks) == 0 {
			return cm, err
		}
		// A cascaded change is checked like a statement's own.
		checks, err := b.CheckExprs(t)
		if err != nil {
			return nil, err
		}
		tblT := make([]types.T, len(t.Table.Columns))
		for i, c := range t.Table.Columns {
			tblT[i] = c.Type
		}
		for _, c := range checks {
			ev, err := b.compile(c.Expr, tblT)
			if err != nil {
				return nil, err
			}
			cm.Checks = append(cm.Checks, op.Check{Name: c.Name, Eval: ev})
		}
		return cm, nil
	}
	m.Defaults = func(t *catalog.Descriptor, cols []int) ([]types.Datum, error) {
		if b.DefaultExprs == nil {
			return nil, pgerror.AssertionFailed("column defaults without a binder")
		}
		exprs, err := b.DefaultExprs(t)
		if err != nil {
			return nil, err
		}
		out := make([]types.Datum, len(cols))
		for i, c := range cols {
			if c >= len(exprs) || exprs[c] == nil {
				continue
			}
			if out[i], err = b.EvalConst(exprs[c]); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return m, nil
}

// onConflict compiles INSERT's ON CONFLICT clause into m.
func (b *Builder) onConflict(m *op.Mutate, oc *plan.OnConflict) error {
	c := &op.OnConflict{Arbiters: oc.Arbiters, DoUpdate: oc.DoUpdate, SetCols: oc.SetCols}
	var both []types.T
	for range 2 {
		for _, col := range m.Table.Table.Columns {
			both = append(both, col.Type)
		}
	}
	var err error
	if c.Set, err = b.compileAll(oc.SetExprs, both); err != nil {
		return err
	}
	if oc.Where != nil {
		if c.Where, err = b.compile(oc.Where, both); err != nil {
			return err
		}
	}
	m.OnConflict = c
	return nil
}

// EvalConst evaluates an expression that reads no columns.
func (b *Builder) EvalConst(e plan.Expr) (types.Datum, error) {
	ev, err := b.compile(e, nil)
	if err != nil {
		return nil, err
	}
	a, err := ev.Eval(vec.FromArrays(nil, nil, 1))
	if err != nil {
		return nil, err
	}
	defer a.Release()
	return vec.Get(e.Type(), a, 0), nil
}

// Run opens the operator and calls fn for every batch; fn must not keep
// the batch.
func Run(ctx context.Context, o op.Operator, fn func(vec.Batch) error) error {
	return op.Run(ctx, o, fn)
}

// Compile compiles an expression over input columns of the given types.
func (b *Builder) Compile(e plan.Expr, in []types.T) (expr.Evaluator, error) { return b.compile(e, in) }

// windowFrame computes an explicit frame's offsets, which PostgreSQL
// requires to be non-NULL and not negative.
func (b *Builder) windowFrame(c plan.WindowCall) (*op.Frame, error) {
	f := &op.Frame{WindowFrame: *c.Frame}
	if len(c.Order) > 0 {
		f.KeyT = c.Order[0].Type()
	}
	for _, e := range []plan.Expr{c.Frame.StartOffset, c.Frame.EndOffset} {
		if e != nil {
			f.OffT = e.Type()
		}
	}
	eval := func(e plan.Expr, which string) (types.Datum, error) {
		if e == nil {
			return nil, nil
		}
		v, err := b.EvalConst(e)
		if err != nil {
			return nil, err
		}
		if v == nil {
			return nil, pgerror.New(pgerror.NullValueNotAllowed, "frame %s offset must not be null", which)
		}
		if c.Frame.Mode != plan.FrameRange {
			if n, _ := v.(int64); n < 0 {
				return nil, pgerror.New(pgerror.InvalidPrecedingOrFollowingSize, "frame %s offset must not be negative", which)
			}
		} else if iv, ok := v.(types.DInterval); ok {
			if typio.CompareInterval(iv, types.DInterval{}) < 0 {
				return nil, pgerror.New(pgerror.InvalidPrecedingOrFollowingSize, "invalid preceding or following size in window function")
			}
		} else if typio.Compare(e.Type(), v, zeroOf(e.Type())) < 0 {
			return nil, pgerror.New(pgerror.InvalidPrecedingOrFollowingSize, "invalid preceding or following size in window function")
		}
		return v, nil
	}
	var err error
	if f.StartOff, err = eval(c.Frame.StartOffset, "starting"); err != nil {
		return nil, err
	}
	if f.EndOff, err = eval(c.Frame.EndOffset, "ending"); err != nil {
		return nil, err
	}
	return f, nil
}

// zeroOf is 0 of a numeric type.
func zeroOf(t types.T) types.Datum {
	switch t.Family() {
	case types.FloatFamily:
		return float64(0)
	case types.NumericFamily:
		return apd.New(0, 0)
	}
	return int64(0)
}
