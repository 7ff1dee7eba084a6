package bind

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
)

// bindLocking reads a SELECT's locking clauses (FOR UPDATE, FOR NO KEY
// UPDATE, FOR SHARE, FOR KEY SHARE; OF, NOWAIT, SKIP LOCKED) against the
// bound FROM input. It returns nil when no table's rows are to be
// locked. Only a FROM clause of one table is supported; joins, subqueries
// and views in FROM fail with 0A000 (TODO(issue 3): lock the rows of
// every table of a join, as PostgreSQL does).
func (b *Binder) bindLocking(sel *pg.SelectStmt, input plan.Node, alias string) (*plan.LockRows, error) {
	if len(sel.LockingClause) == 0 || len(sel.FromClause) == 0 {
		return nil, nil
	}
	scan, single := input.(*plan.Scan)
	var out *plan.LockRows
	for _, n := range sel.LockingClause {
		lc := n.GetLockingClause()
		if lc == nil {
			continue
		}
		if !single {
			return nil, pgerror.Unimplemented("%s is not supported yet with joins, subqueries or views in FROM", lockingName(lc.Strength))
		}
		applies := len(lc.LockedRels) == 0
		for _, r := range lc.LockedRels {
			rv := r.GetRangeVar()
			if rv == nil {
				continue
			}
			if rv.Relname != alias {
				return nil, b.errAt(pgerror.New(pgerror.UndefinedTable, "relation %q in %s clause not found in FROM clause", rv.Relname, lockingName(lc.Strength)), rv.Location)
			}
			applies = true
		}
		if !applies {
			continue
		}
		strength := lockStrength(lc.Strength)
		wait := lockWait(lc.WaitPolicy)
		if out == nil {
			out = &plan.LockRows{Table: scan.Table, Strength: strength, Wait: wait}
			continue
		}
		// Several clauses for one table: the strongest lock and the
		// strictest wait policy win, as in PostgreSQL.
		out.Strength = max(out.Strength, strength)
		out.Wait = max(out.Wait, wait)
	}
	return out, nil
}

// checkLockingAllowed rejects row locking with grouping, as PostgreSQL's
// CheckSelectLocking does.
func checkLockingAllowed(sel *pg.SelectStmt, distinct, hasAggs bool) error {
	lc := sel.LockingClause[0].GetLockingClause()
	if lc == nil {
		return nil
	}
	name := lockingName(lc.Strength)
	switch {
	case distinct:
		return pgerror.Unimplemented("%s is not allowed with DISTINCT clause", name)
	case len(sel.GroupClause) > 0:
		return pgerror.Unimplemented("%s is not allowed with GROUP BY clause", name)
	case sel.HavingClause != nil:
		return pgerror.Unimplemented("%s is not allowed with HAVING clause", name)
	case hasAggs:
		return pgerror.Unimplemented("%s is not allowed with aggregate functions", name)
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
