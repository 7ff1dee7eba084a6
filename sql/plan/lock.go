package plan

import "github.com/aegisdb/aegis/sql/catalog"

// LockStrength is the strength of a row lock taken by SELECT ... FOR.
type LockStrength uint8

// Lock strengths, weakest first (PostgreSQL's LockClauseStrength).
const (
	ForKeyShare LockStrength = iota
	ForShare
	ForNoKeyUpdate
	ForUpdate
)

// LockWait is what a row-locking SELECT does with a row locked by
// another transaction.
type LockWait uint8

// Wait policies, in PostgreSQL's order of precedence.
const (
	LockWaitBlock LockWait = iota
	LockWaitSkip
	LockWaitError // NOWAIT
)

// LockRows locks, for each row its input yields, the rows of the target
// tables it was made from (SELECT ... FOR UPDATE/SHARE), in input order,
// and passes on the rows whose locks it got.
//
// The input carries the whole FROM row (every column of the FROM
// clause's join, in scope order) as hidden columns starting at
// FromStart; each target's columns start at its Start within that row,
// so its primary key can be read off. Under READ COMMITTED a locked row
// whose newest version differs from the one read is handled as
// PostgreSQL's EvalPlanQual does: a deleted row drops the output row;
// otherwise Recheck, a copy of the query's FROM, WHERE and target list
// whose tables are replaced by EPQRow leaves reading the FROM row (with
// the targets' newest versions substituted), recomputes the output row,
// or drops it if the join and WHERE conditions no longer hold. Count and
// Offset, when set, are the LIMIT and OFFSET above: no more rows than
// they consume are locked.
type LockRows struct {
	Input     Node
	Targets   []LockTarget
	FromStart int
	Recheck   Node
	Count     Expr // int8; nil = no LIMIT
	Offset    Expr // int8; nil = no OFFSET
}

// LockTarget is one table whose rows LockRows locks.
type LockTarget struct {
	Table    *catalog.Descriptor
	Start    int // position of the table's first column in the FROM row
	Strength LockStrength
	Wait     LockWait
}

// Columns implements Node.
func (n *LockRows) Columns() []Column { return n.Input.Columns() }

// EPQRow is a leaf of a LockRows re-check plan: it yields one row, the
// columns [Start, Start+len(Cols)) of the FROM row being re-checked.
type EPQRow struct {
	Start int
	Cols  []Column
}

// Columns implements Node.
func (n *EPQRow) Columns() []Column { return n.Cols }
