package deparse

import (
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// node is an expression in the shape of PostgreSQL's analyzed tree (the
// primnodes.h nodes that ruleutils.c prints). The converter builds it
// from a plan.Expr; the printer renders it. Keeping the two apart keeps
// the printer a faithful port of ruleutils.c, while all guessing about
// what PostgreSQL's parser would have built lives in the converter.
type node interface{ isNode() }

// varNode is a Var: a column of the table.
type varNode struct {
	name   string
	quoted bool // name is printable as it is (t.col)
}

// constNode is a Const. A nil val is NULL; t.Oid == types.OidUnknown is
// an untyped literal (printed without a type label).
type constNode struct {
	t   types.T
	val types.Datum
	// text, when set, is the output-function text to print instead of
	// val's (regclass constants).
	text string
}

// paramNode is a Param ($n).
type paramNode struct{ idx int }

// opNode is an OpExpr: a binary operator (two args) or a prefix one.
type opNode struct {
	op   string
	args []node
}

// funcSyntax says how a FuncExpr is printed.
type funcSyntax uint8

const (
	callSyntax     funcSyntax = iota // name(args)
	extractSyntax                    // EXTRACT(field FROM arg)
	positionSyntax                   // POSITION((needle) IN (haystack))
	trimSyntax                       // TRIM(BOTH [chars] FROM arg)
)

// funcNode is a FuncExpr that is not a cast.
type funcNode struct {
	name   string
	args   []node
	syntax funcSyntax
}

// coerceKind is the node PostgreSQL builds for a cast; it matters for
// parenthesization (ruleutils' isSimpleNode treats a cast function call
// as simple and looks through the others).
type coerceKind uint8

const (
	coerceFunc    coerceKind = iota // FuncExpr with a cast format (incl. length coercions)
	coerceRelabel                   // RelabelType (binary-coercible)
	coerceIO                        // CoerceViaIO (through text)
	coerceArray                     // ArrayCoerceExpr
)

// castNode is a coercion of arg to type to. Implicit ones print only
// where ruleutils shows implicit casts (operator and function arguments,
// CASE results, list elements).
type castNode struct {
	arg      node
	to       types.T
	kind     coerceKind
	implicit bool
}

// boolNode is a BoolExpr.
type boolNode struct {
	op   plan.BoolOpKind
	args []node
}

// nullTestNode is IS [NOT] NULL.
type nullTestNode struct {
	arg node
	not bool
}

// boolTestNode is a BooleanTest; test is " IS TRUE", " IS NOT FALSE", ...
type boolTestNode struct {
	arg  node
	test string
}

// caseNode is a CaseExpr; arg is the subject of a simple CASE (nil for
// the searched form, in which case the whens' conds are the conditions;
// for the simple form they are the compared values).
type caseNode struct {
	arg   node
	whens []caseWhen
	els   node
}

type caseWhen struct{ cond, result node }

// coalesceNode is COALESCE(args).
type coalesceNode struct{ args []node }

// minMaxNode is GREATEST(args) or LEAST(args).
type minMaxNode struct {
	greatest bool
	args     []node
}

// nullIfNode is NULLIF(a, b).
type nullIfNode struct{ args [2]node }

// distinctNode is a IS DISTINCT FROM b (IS NOT DISTINCT FROM is NOT over
// it, as in PostgreSQL).
type distinctNode struct{ args [2]node }

// saopNode is a ScalarArrayOpExpr: args[0] op ANY/ALL (args[1]).
type saopNode struct {
	op    string
	useOr bool
	args  [2]node
}

// arrayNode is an ArrayExpr: ARRAY[elems] of array type t.
type arrayNode struct {
	elems []node
	t     types.T
}

// subscriptNode is a SubscriptingRef; lower is nil for a plain
// subscript, else it has one entry per upper (nil entries: omitted
// bounds).
type subscriptNode struct {
	arr          node
	lower, upper []node
}

// sqlValueNode is an SQLValueFunction (CURRENT_DATE, ...).
type sqlValueNode struct{ text string }

// rawNode is text for expressions PostgreSQL could not store (subqueries,
// aggregates): printed as is.
type rawNode struct{ text string }

func (*varNode) isNode()       {}
func (*constNode) isNode()     {}
func (*paramNode) isNode()     {}
func (*opNode) isNode()        {}
func (*funcNode) isNode()      {}
func (*castNode) isNode()      {}
func (*boolNode) isNode()      {}
func (*nullTestNode) isNode()  {}
func (*boolTestNode) isNode()  {}
func (*caseNode) isNode()      {}
func (*coalesceNode) isNode()  {}
func (*minMaxNode) isNode()    {}
func (*nullIfNode) isNode()    {}
func (*distinctNode) isNode()  {}
func (*saopNode) isNode()      {}
func (*arrayNode) isNode()     {}
func (*subscriptNode) isNode() {}
func (*sqlValueNode) isNode()  {}
func (*rawNode) isNode()       {}
