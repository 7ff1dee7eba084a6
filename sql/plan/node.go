package plan

import (
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

// Column describes one output column of a node.
type Column struct {
	Name string
	T    types.T
	// TableID and ColumnID identify a base-table column (RowDescription
	// reports them); zero otherwise.
	TableID  uint32
	ColumnID uint16
}

// Node is a relational plan node.
type Node interface {
	Columns() []Column
}

// Values produces constant rows (expressions over no input).
type Values struct {
	Cols []Column
	Rows [][]Expr
}

// Scan reads the rows of a table, producing the table's columns in
// descriptor order (hidden ones included). With PrefixEq set it reads
// only the rows whose leading primary-key columns equal those values
// (expressions without column references, evaluated once per execution).
type Scan struct {
	Table    *catalog.Descriptor
	Cols     []Column
	PrefixEq []Expr
	// Index, when not 0 or 1 (the primary key), is the secondary index
	// whose columns PrefixEq fixes, every one of them: the scan reads the
	// index entries and fetches their rows by primary key.
	Index uint32
	// GINOp, with Index a GIN index, is the operator (@>, ?, ?|, ?&, &&)
	// whose right operand is PrefixEq[0]: the scan reads the rows holding
	// the operand's terms (the filter above re-checks them).
	GINOp string
	// IndexExprs are the bound key expressions of the table's expression
	// indexes (see catalog.Index.Exprs), for matching conditions.
	IndexExprs map[uint32][]Expr
	// Lo and Hi, when set, bound the first key column of the scanned
	// index (the primary key when Index is 0 or 1) to a range; LoIncl and
	// HiIncl say whether the bound itself is in it. NULL keys are never
	// in a range.
	Lo, Hi         Expr
	LoIncl, HiIncl bool
	Ranged         bool
}

// Filter keeps the rows for which Pred is true.
type Filter struct {
	Input Node
	Pred  Expr
}

// Project computes Exprs over its input.
type Project struct {
	Input Node
	Exprs []Expr
	Cols  []Column
}

// AggCall is one aggregate computed by Aggregate.
type AggCall struct {
	Agg      *funcs.Aggregate
	Arg      Expr // nil for count(*)
	Delim    Expr // string_agg's delimiter
	Distinct bool
	// Order sorts the rows fed to the aggregate (agg(x ORDER BY y)).
	Order []AggOrder
	// Filter, when set, keeps only the rows it is true for
	// (agg(x) FILTER (WHERE cond)).
	Filter Expr
}

// AggOrder is one ORDER BY key inside an aggregate call.
type AggOrder struct {
	Expr       Expr
	Desc       bool
	NullsFirst bool
}

// Aggregate groups its input by GroupBy and computes Aggs; its output is
// the group keys followed by the aggregate results.
type Aggregate struct {
	Input   Node
	GroupBy []Expr
	Aggs    []AggCall
	Cols    []Column
}

// DistinctOn keeps the first row of each run of rows with equal values
// in Cols (SELECT DISTINCT ON; the input is sorted on them first).
type DistinctOn struct {
	Input Node
	Cols  []int
}

// Columns implements Node.
func (n *DistinctOn) Columns() []Column { return n.Input.Columns() }

// SortKey is one ORDER BY key over the input's columns.
type SortKey struct {
	Col        int
	Desc       bool
	NullsFirst bool
}

// Sort orders its input.
type Sort struct {
	Input Node
	Keys  []SortKey
}

// Limit applies OFFSET then LIMIT (nil = none).
type Limit struct {
	Input         Node
	Count, Offset Expr
}

// CheckExpr is a CHECK constraint bound over a table's columns.
type CheckExpr struct {
	Name string
	Expr Expr
}

// Insert writes its input's rows (already in table column order, with
// defaults filled) into Table.
type Insert struct {
	Table      *catalog.Descriptor
	Input      Node
	Checks     []CheckExpr
	Returning  []Expr // over the table's columns; nil = none
	RetCols    []Column
	OnConflict *OnConflict // nil: a conflict is a unique violation
}

// OnConflict is INSERT's ON CONFLICT clause. A proposed row that
// conflicts with an existing row on one of the Arbiters (unique indexes
// by ID, 1 = the primary key; empty = any) is skipped (DO NOTHING) or
// turns into an update of the existing row (DO UPDATE): SetExprs, over
// the existing row's columns followed by the proposed (EXCLUDED) row's,
// give the new values of SetCols when Where (same row; nil = true) holds.
type OnConflict struct {
	Arbiters []uint32
	DoUpdate bool
	SetCols  []int
	SetExprs []Expr
	Where    Expr
}

// Update rewrites rows of Table: Input yields the old row (table columns)
// followed by one new value for each entry of SetCols.
type Update struct {
	Table     *catalog.Descriptor
	Input     Node
	Checks    []CheckExpr
	SetCols   []int // indexes into Table.Columns
	Returning []Expr
	RetCols   []Column
	Recheck   Recheck
	// Joined is set for UPDATE ... FROM: Input joins the target with
	// other tables, so a target row may come more than once (it is
	// updated once, with the first).
	Joined bool
}

// Delete removes the rows its input yields (table columns).
type Delete struct {
	Table     *catalog.Descriptor
	Input     Node
	Returning []Expr
	RetCols   []Column
	Recheck   Recheck
	// Joined is set for DELETE ... USING (see Update.Joined).
	Joined bool
}

// Recheck recomputes a mutation's input row from the newest version of
// a row that a concurrent transaction changed (READ COMMITTED's
// EvalPlanQual): Pred is the WHERE clause over the table's columns (nil =
// true) and Exprs compute the input row (the table's columns, then an
// UPDATE's new values) from the table's columns.
type Recheck struct {
	Pred  Expr
	Exprs []Expr
}

// Columns implements Node.
func (n *Values) Columns() []Column    { return n.Cols }
func (n *Scan) Columns() []Column      { return n.Cols }
func (n *Filter) Columns() []Column    { return n.Input.Columns() }
func (n *Project) Columns() []Column   { return n.Cols }
func (n *Aggregate) Columns() []Column { return n.Cols }
func (n *Sort) Columns() []Column      { return n.Input.Columns() }
func (n *Limit) Columns() []Column     { return n.Input.Columns() }
func (n *Insert) Columns() []Column    { return n.RetCols }
func (n *Update) Columns() []Column    { return n.RetCols }
func (n *Delete) Columns() []Column    { return n.RetCols }

// Types returns the column types of cols.
func Types(cols []Column) []types.T {
	out := make([]types.T, len(cols))
	for i, c := range cols {
		out[i] = c.T
	}
	return out
}

// JoinKind is the kind of a join.
type JoinKind uint8

// Join kinds.
const (
	InnerJoin JoinKind = iota
	LeftJoin
	RightJoin
	FullJoin
	// SemiJoin and AntiJoin keep left rows with (without) a match and
	// output only the left columns.
	SemiJoin
	AntiJoin
)

// Join combines two inputs; its output is the left columns followed by
// the right ones. On is over that combined row (nil = true). EqLeft and
// EqRight, when set, are equality keys (positions in the left and right
// inputs) that the executor may hash on; On still holds the full
// condition.
type Join struct {
	Kind        JoinKind
	Left, Right Node
	On          Expr
	EqLeft      []int
	EqRight     []int
	Cols        []Column
}

// SetOpKind is UNION, INTERSECT or EXCEPT.
type SetOpKind uint8

// Set operations.
const (
	Union SetOpKind = iota
	Intersect
	Except
)

// SetOp combines two inputs with the same column types.
type SetOp struct {
	Op          SetOpKind
	All         bool
	Left, Right Node
	Cols        []Column
}

// Columns implements Node.
func (n *Join) Columns() []Column  { return n.Cols }
func (n *SetOp) Columns() []Column { return n.Cols }

// WorkTable is the working table of a recursive CTE: the rows of the
// previous iteration, read by WorkTableScan in the recursive term.
type WorkTable struct {
	Cols []Column
}

// WorkTableScan reads a recursive CTE's working table.
type WorkTableScan struct {
	Table *WorkTable
}

// RecursiveCTE evaluates WITH RECURSIVE: Init once, then Recur repeatedly
// over the rows the previous round produced, until a round produces no
// (new, unless All) rows.
type RecursiveCTE struct {
	Init, Recur Node
	Table       *WorkTable
	All         bool
	Cols        []Column
}

// Columns implements Node.
func (n *WorkTableScan) Columns() []Column { return n.Table.Cols }
func (n *RecursiveCTE) Columns() []Column  { return n.Cols }

// VirtualScan reads a pg_catalog / information_schema table.
type VirtualScan struct {
	Table *vtable.Table
	Cols  []Column
}

// Columns implements Node.
func (n *VirtualScan) Columns() []Column { return n.Cols }

// WindowCall is one window function call.
type WindowCall struct {
	// Name is the function (row_number, rank, sum, lag, ...).
	Name       string
	Args       []Expr
	Agg        *funcs.Aggregate // set for aggregates used as window functions
	Partition  []Expr
	Order      []Expr
	Desc       []bool
	NullsFirst []bool
	// WholePartition: the frame is the whole partition (no ORDER BY, or
	// ... UNBOUNDED FOLLOWING); otherwise from the partition start to the
	// current row's last peer (PostgreSQL's default frame), or to the
	// current row itself when Rows is set.
	WholePartition bool
	Rows           bool
	// Frame, when set, is an explicit frame other than the ones above.
	Frame *WindowFrame
	T     types.T
}

// WindowFrame is a window frame clause: ROWS, RANGE or GROUPS BETWEEN a
// start and an end bound, with an optional EXCLUDE.
type WindowFrame struct {
	Mode        FrameMode
	Start, End  FrameBound
	StartOffset Expr // for the offset bounds (constant per query)
	EndOffset   Expr
	Exclude     FrameExclude
}

// FrameMode is ROWS, RANGE or GROUPS.
type FrameMode uint8

// Frame modes.
const (
	FrameRange FrameMode = iota
	FrameRows
	FrameGroups
)

// FrameBound is one end of a frame.
type FrameBound uint8

// Frame bounds.
const (
	UnboundedPreceding FrameBound = iota
	OffsetPreceding
	CurrentRow
	OffsetFollowing
	UnboundedFollowing
)

// FrameExclude is the EXCLUDE clause.
type FrameExclude uint8

// Frame exclusions.
const (
	ExcludeNoOthers FrameExclude = iota
	ExcludeCurrentRow
	ExcludeGroup
	ExcludeTies
)

// Window computes window functions over its input; its output is the
// input's columns followed by one column per call, in the order of the
// first call's partitions and ORDER BY.
type Window struct {
	Input Node
	Calls []WindowCall
	Cols  []Column
}

// Columns implements Node.
func (n *Window) Columns() []Column { return n.Cols }

// WithDML runs the data-modifying statements of a WITH clause once, in
// order, before Main; each one's RETURNING rows fill its Table, which
// Main's references to it read (WorkTableScan).
type WithDML struct {
	CTEs []*DMLCTE
	Main Node
}

// DMLCTE is one data-modifying WITH statement.
type DMLCTE struct {
	Plan  Node
	Table *WorkTable
}

// Columns implements Node.
func (n *WithDML) Columns() []Column { return n.Main.Columns() }
