package bind

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
)

// lockScope says which FROM items of a SELECT its locking clauses reach.
type lockScope struct {
	all   bool            // a clause without OF
	names map[string]bool // the items named by OF
	name  string          // the first clause's name (FOR UPDATE, ...)
}

// lockScopeOf returns sel's lock scope: every FROM item when expose (the
// name of a locking clause pushed down into sel) is set, else the items
// its own locking clauses reach; nil if none.
func lockScopeOf(sel *pg.SelectStmt, expose string) *lockScope {
	if expose != "" {
		return &lockScope{all: true, name: expose}
	}
	var ls *lockScope
	for _, n := range sel.LockingClause {
		lc := n.GetLockingClause()
		if lc == nil {
			continue
		}
		if ls == nil {
			ls = &lockScope{names: map[string]bool{}, name: lockingName(lc.Strength)}
		}
		if len(lc.LockedRels) == 0 {
			ls.all = true
		}
		for _, r := range lc.LockedRels {
			if rv := r.GetRangeVar(); rv != nil {
				ls.names[rv.Relname] = true
			}
		}
	}
	return ls
}

// applies reports whether the locking clauses reach the FROM item alias.
func (l *lockScope) applies(alias string) bool {
	return l != nil && (l.all || l.names[alias])
}

// exposure is what a subquery or view in FROM reached by a locking clause
// exposes of itself: its output carries its FROM row as hidden columns
// from fromStart on, so that the enclosing query locks its tables as if
// they were its own (PostgreSQL pulls such subqueries up, or pushes the
// locking clause down into them).
type exposure struct {
	fromStart int
	from      *fromInfo
	// recheck recomputes the subquery's output row from its FROM row.
	recheck plan.Node
}

// exposeFrom turns the fromInfo of a subquery or view in FROM, bound with
// exposure ex (nil: not exposed), into the FROM item's: its tables become
// items of the enclosing FROM clause, reachable by OF through alias.
// requested says whether exposure was asked for: a subquery without FROM
// has nothing to expose, and nothing to lock.
func exposeFrom(alias string, kind relKind, desc *catalog.Descriptor, node plan.Node, ex *exposure, requested bool) *fromInfo {
	if ex == nil {
		if requested {
			kind = relValues
		}
		return leafFrom(alias, kind, desc, node)
	}
	for _, rel := range ex.from.rels {
		rel.row.Start += ex.fromStart
		rel.inSub = alias
	}
	return &fromInfo{rels: ex.from.rels, epq: ex.recheck}
}

// bindExposed binds a subquery or view body in FROM, exposing its tables
// when the enclosing locking clause reaches alias. It returns the bound
// node, the exposure (nil if none) and whether exposure was asked for.
func (b *Binder) bindExposed(sel *pg.SelectStmt, alias string) (plan.Node, *exposure, bool, error) {
	requested := b.lockScope.applies(alias) && len(sel.ValuesLists) == 0
	if requested {
		b.exposeLock = b.lockScope.name
	}
	node, _, err := b.bindSelect(sel)
	b.exposeLock = ""
	ex := b.exposed
	b.exposed = nil
	return node, ex, requested, err
}

// relKind is the kind of a FROM item that is not a join.
type relKind uint8

const (
	relTable relKind = iota
	relSubquery
	relView
	relCTE
	relValues
	relVirtual
	relFunction
)

// fromRel is one FROM item that is not a join, as row locking sees it.
type fromRel struct {
	alias    string
	kind     relKind
	desc     *catalog.Descriptor // relTable, relView
	row      *plan.EPQRow        // its columns in the FROM row
	nullable bool                // on the nullable side of an outer join
	// inJoin is the alias of the innermost aliased join holding the
	// item ("" if none).
	inJoin string
	// inSub is the alias of the outermost subquery or view whose tables
	// the enclosing query locks ("" if none): OF reaches the item only
	// through that alias.
	inSub string
}

// fromInfo describes a FROM clause for row locking: its items, and the
// FROM tree with each item replaced by its EPQRow (the re-check plan's
// base; see plan.LockRows).
type fromInfo struct {
	rels []*fromRel
	epq  plan.Node
}

// leafFrom is the fromInfo of a FROM item that is not a join.
func leafFrom(alias string, kind relKind, desc *catalog.Descriptor, node plan.Node) *fromInfo {
	row := &plan.EPQRow{Cols: node.Columns()}
	return &fromInfo{rels: []*fromRel{{alias: alias, kind: kind, desc: desc, row: row}}, epq: row}
}

// joinFrom composes the fromInfo of a join whose left input has nl
// columns; j is the join node (its inputs are replaced in the copy).
func joinFrom(l, r *fromInfo, nl int, j *plan.Join) *fromInfo {
	if l == nil || r == nil {
		return nil
	}
	for _, rel := range r.rels {
		rel.row.Start += nl
	}
	switch j.Kind {
	case plan.LeftJoin:
		markNullable(r.rels)
	case plan.RightJoin:
		markNullable(l.rels)
	case plan.FullJoin:
		markNullable(l.rels)
		markNullable(r.rels)
	}
	epq := *j
	epq.Left, epq.Right = l.epq, r.epq
	return &fromInfo{rels: append(append([]*fromRel(nil), l.rels...), r.rels...), epq: &epq}
}

func markNullable(rels []*fromRel) {
	for _, r := range rels {
		r.nullable = true
	}
}

// shift moves every item's columns n places right in the FROM row, and
// wraps the re-check tree in p (a projection adding n leading columns).
func (f *fromInfo) shift(n int, p *plan.Project) {
	if f == nil {
		return
	}
	for _, rel := range f.rels {
		rel.row.Start += n
	}
	wrapped := *p
	wrapped.Input = f.epq
	f.epq = &wrapped
}

// bindLocking reads a SELECT's locking clauses (FOR UPDATE, FOR NO KEY
// UPDATE, FOR SHARE, FOR KEY SHARE; OF, NOWAIT, SKIP LOCKED) against the
// bound FROM clause, as PostgreSQL's transformLockingClause. It returns
// nil when no table's rows are to be locked. A clause without OF locks
// every table of the FROM clause (CTE references, VALUES and system views
// are passed over); OF names tables. Tables on the nullable side of an
// outer join cannot be locked (0A000). Subqueries and views in FROM, whose
// rows PostgreSQL locks by pushing the clause down, are not supported yet
// (0A000).
func (b *Binder) bindLocking(sel *pg.SelectStmt, in *scope) (*plan.LockRows, error) {
	if len(sel.LockingClause) == 0 || in.from == nil {
		return nil, nil
	}
	var out *plan.LockRows
	targets := map[*fromRel]int{} // index in out.Targets
	lockRel := func(rel *fromRel, lc *pg.LockingClause, loc int32, named bool) error {
		name := lockingName(lc.Strength)
		switch rel.kind {
		case relTable:
		case relSubquery, relView:
			what := "subqueries"
			if rel.kind == relView {
				what = "views"
			}
			return b.errAt(pgerror.Unimplemented("%s is not supported yet on %s in FROM", name, what), loc)
		case relCTE:
			if !named {
				return nil
			}
			return b.errAt(pgerror.Unimplemented("%s cannot be applied to a WITH query", name), loc)
		case relValues:
			// A VALUES list in FROM is a subquery without tables:
			// there is nothing to lock.
			return nil
		case relFunction:
			if !named {
				return nil
			}
			return b.errAt(pgerror.Unimplemented("%s cannot be applied to a function", name), loc)
		case relVirtual:
			if !named {
				return nil
			}
			return b.errAt(pgerror.Unimplemented("%s is not supported yet on system catalogs", name), loc)
		}
		if rel.nullable {
			return b.errAt(pgerror.Unimplemented("%s cannot be applied to the nullable side of an outer join", name), loc)
		}
		strength, wait := lockStrength(lc.Strength), lockWait(lc.WaitPolicy)
		if out == nil {
			out = &plan.LockRows{}
		}
		if i, ok := targets[rel]; ok {
			// Several clauses for one table: the strongest lock and the
			// strictest wait policy win, as in PostgreSQL.
			t := &out.Targets[i]
			t.Strength, t.Wait = max(t.Strength, strength), max(t.Wait, wait)
			return nil
		}
		targets[rel] = len(out.Targets)
		out.Targets = append(out.Targets, plan.LockTarget{Table: rel.desc, Start: rel.row.Start, Strength: strength, Wait: wait})
		return nil
	}
	if in.from == nil && len(sel.LockingClause) > 0 {
		return nil, pgerror.Unimplemented("row locking clauses are not supported yet with LATERAL subqueries")
	}
	for _, n := range sel.LockingClause {
		lc := n.GetLockingClause()
		if lc == nil {
			continue
		}
		if len(lc.LockedRels) == 0 {
			for _, rel := range in.from.rels {
				if err := lockRel(rel, lc, -1, false); err != nil {
					return nil, err
				}
			}
			continue
		}
		for _, r := range lc.LockedRels {
			rv := r.GetRangeVar()
			if rv == nil {
				continue
			}
			// As in PostgreSQL, OF finds items inside aliased joins
			// too; naming a subquery or view locks all its tables.
			var found []*fromRel
			inJoin := false
			for _, rel := range in.from.rels {
				if rel.inSub == rv.Relname || (rel.inSub == "" && rel.alias == rv.Relname) {
					found = append(found, rel)
					if rel.inSub == "" {
						break
					}
				}
				if rel.inJoin == rv.Relname {
					inJoin = true
				}
			}
			switch {
			case len(found) > 0:
				for _, rel := range found {
					if err := lockRel(rel, lc, rv.Location, true); err != nil {
						return nil, err
					}
				}
			case inJoin:
				return nil, b.errAt(pgerror.Unimplemented("%s cannot be applied to a join", lockingName(lc.Strength)), rv.Location)
			default:
				return nil, b.errAt(pgerror.New(pgerror.UndefinedTable, "relation %q in %s clause not found in FROM clause", rv.Relname, lockingName(lc.Strength)), rv.Location)
			}
		}
	}
	return out, nil
}

// checkLockingAllowed rejects row locking with grouping, as PostgreSQL's
// CheckSelectLocking does.
func checkLockingAllowed(sel *pg.SelectStmt, name string, distinct, hasAggs, hasWindows bool) error {
	switch {
	case distinct:
		return pgerror.Unimplemented("%s is not allowed with DISTINCT clause", name)
	case len(sel.GroupClause) > 0:
		return pgerror.Unimplemented("%s is not allowed with GROUP BY clause", name)
	case sel.HavingClause != nil:
		return pgerror.Unimplemented("%s is not allowed with HAVING clause", name)
	case hasAggs:
		return pgerror.Unimplemented("%s is not allowed with aggregate functions", name)
	case hasWindows:
		return pgerror.Unimplemented("%s is not allowed with window functions", name)
	}
	return nil
}

func lockingName(s pg.LockClauseStrength) string {
	switch s {
	case pg.LockClauseStrength_LCS_FORKEYSHARE:
		return "FOR KEY SHARE"
	case pg.LockClauseStrength_LCS_FORSHARE:
		return "FOR SHARE"
	case pg.LockClauseStrength_LCS_FORNOKEYUPDATE:
		return "FOR NO KEY UPDATE"
	}
	return "FOR UPDATE"
}

func lockStrength(s pg.LockClauseStrength) plan.LockStrength {
	switch s {
	case pg.LockClauseStrength_LCS_FORKEYSHARE:
		return plan.ForKeyShare
	case pg.LockClauseStrength_LCS_FORSHARE:
		return plan.ForShare
	case pg.LockClauseStrength_LCS_FORNOKEYUPDATE:
		return plan.ForNoKeyUpdate
	}
	return plan.ForUpdate
}

func lockWait(w pg.LockWaitPolicy) plan.LockWait {
	switch w {
	case pg.LockWaitPolicy_LockWaitSkip:
		return plan.LockWaitSkip
	case pg.LockWaitPolicy_LockWaitError:
		return plan.LockWaitError
	}
	return plan.LockWaitBlock
}
