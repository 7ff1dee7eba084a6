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

// LockRows locks the rows of Table that its input yields (SELECT ... FOR
// UPDATE/SHARE), in input order, and passes on the rows it locked.
//
// KeyCols are the positions, in the input, of Table's primary-key columns
// in key order (the binder keeps them reachable as hidden columns). Under
// READ COMMITTED a row is re-read after it is locked, as PostgreSQL's
// EvalPlanQual does: a row deleted meanwhile is dropped, and the output
// is recomputed from the newest version by Exprs (over Table's columns,
// producing the input's columns) after re-checking Pred (over Table's
// columns; nil = true). Count and Offset, when set, are the LIMIT and
// OFFSET above: no more rows than they consume are locked.
type LockRows struct {
	Input    Node
	Table    *catalog.Descriptor
	KeyCols  []int
	Strength LockStrength
	Wait     LockWait
	Pred     Expr
	Exprs    []Expr
	Count    Expr // int8; nil = no LIMIT
	Offset   Expr // int8; nil = no OFFSET
}

// Columns implements Node.
func (n *LockRows) Columns() []Column { return n.Input.Columns() }
