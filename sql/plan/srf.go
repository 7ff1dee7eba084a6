package plan

// FuncScan produces the rows of function calls in FROM: each call is a
// set-returning function (or a scalar function, one row), their rows are
// zipped side by side (a shorter one pads with NULLs, as ROWS FROM does)
// and Ordinality adds the row number (WITH ORDINALITY). The calls'
// arguments read no FROM column (no LATERAL yet), only outer references.
type FuncScan struct {
	Calls      []*Call
	Ordinality bool
	Cols       []Column
}

// Columns implements Node.
func (n *FuncScan) Columns() []Column { return n.Cols }

// ProjectSet evaluates set-returning calls of a select list for each
// input row (PostgreSQL's ProjectSet): the row is repeated once per value
// the longest call yields, the calls' values side by side (NULL where a
// call has run out); a row whose calls all yield nothing disappears. Its
// output is the input's columns followed by one column per call.
type ProjectSet struct {
	Input Node
	Calls []*Call // over Input's columns
	// Ordinality adds the number of each produced row within its input
	// row (a lateral function call WITH ORDINALITY).
	Ordinality bool
	// Expand spreads the records of row-returning calls (OutCols) into
	// their columns, as a FROM item does; FuncScan always does.
	Expand bool
	Cols   []Column
}

// Columns implements Node.
func (n *ProjectSet) Columns() []Column { return n.Cols }
