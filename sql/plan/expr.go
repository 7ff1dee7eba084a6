package plan

import (
	"fmt"
	"strings"

	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/types"
)

// Expr is a typed scalar expression.
type Expr interface {
	Type() types.T
	// String is a canonical rendering, used to match expressions (GROUP BY)
	// and in EXPLAIN.
	String() string
}

// ColRef reads column Idx of the input.
type ColRef struct {
	Idx  int
	T    types.T
	Name string
}

// Const is a constant value (nil = NULL).
type Const struct {
	Val types.Datum
	T   types.T
}

// Param is the placeholder $Idx+1; its value comes from Bind.
type Param struct {
	Idx int
	T   types.T
}

// Cast converts Arg to To.
type Cast struct {
	Arg      Expr
	To       types.T
	Explicit bool
}

// Call applies a resolved function or operator overload.
type Call struct {
	Fn   *funcs.Overload
	Args []Expr
}

// BoolOp is AND / OR over Args, or NOT of Args[0].
type BoolOp struct {
	Op   BoolOpKind
	Args []Expr
}

// BoolOpKind is AND, OR or NOT.
type BoolOpKind uint8

// Boolean operators.
const (
	And BoolOpKind = iota
	Or
	Not
)

// IsNull tests Arg IS [NOT] NULL.
type IsNull struct {
	Arg    Expr
	Negate bool
}

// Case is CASE WHEN ... THEN ... ELSE ... END (the simple form is
// rewritten into this one by the binder).
type Case struct {
	Whens []When
	Else  Expr // nil = NULL
	T     types.T
}

// When is one arm of a Case.
type When struct {
	Cond, Result Expr
}

// Coalesce returns its first non-NULL argument.
type Coalesce struct {
	Args []Expr
	T    types.T
}

// AggRef refers to aggregate Idx while binding; the binder rewrites it
// into a ColRef over the aggregation's output.
type AggRef struct {
	Idx int
	T   types.T
}

// Type implements Expr.
func (e *ColRef) Type() types.T   { return e.T }
func (e *Const) Type() types.T    { return e.T }
func (e *Param) Type() types.T    { return e.T }
func (e *Cast) Type() types.T     { return e.To }
func (e *Call) Type() types.T     { return e.Fn.Ret }
func (e *BoolOp) Type() types.T   { return types.Bool }
func (e *IsNull) Type() types.T   { return types.Bool }
func (e *Case) Type() types.T     { return e.T }
func (e *Coalesce) Type() types.T { return e.T }
func (e *AggRef) Type() types.T   { return e.T }

func (e *ColRef) String() string { return fmt.Sprintf("@%d", e.Idx+1) }
func (e *Const) String() string {
	if e.Val == nil {
		return "NULL::" + e.T.String()
	}
	return fmt.Sprintf("%v::%s", e.Val, e.T)
}
func (e *Param) String() string { return fmt.Sprintf("$%d", e.Idx+1) }
func (e *Cast) String() string  { return fmt.Sprintf("(%s)::%s", e.Arg, e.To) }
func (e *Call) String() string {
	args := make([]string, len(e.Args))
	for i, a := range e.Args {
		args[i] = a.String()
	}
	if e.Fn.Op != "" && len(args) == 2 {
		return fmt.Sprintf("(%s %s %s)", args[0], e.Fn.Op, args[1])
	}
	if e.Fn.Op != "" && len(args) == 1 {
		return fmt.Sprintf("(%s %s)", e.Fn.Op, args[0])
	}
	return fmt.Sprintf("%s(%s)", e.Fn.Name, strings.Join(args, ", "))
}
func (e *BoolOp) String() string {
	args := make([]string, len(e.Args))
	for i, a := range e.Args {
		args[i] = a.String()
	}
	switch e.Op {
	case And:
		return "(" + strings.Join(args, " AND ") + ")"
	case Or:
		return "(" + strings.Join(args, " OR ") + ")"
	}
	return "(NOT " + args[0] + ")"
}
func (e *IsNull) String() string {
	if e.Negate {
		return fmt.Sprintf("(%s IS NOT NULL)", e.Arg)
	}
	return fmt.Sprintf("(%s IS NULL)", e.Arg)
}
func (e *Case) String() string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, w := range e.Whens {
		fmt.Fprintf(&b, " WHEN %s THEN %s", w.Cond, w.Result)
	}
	if e.Else != nil {
		fmt.Fprintf(&b, " ELSE %s", e.Else)
	}
	b.WriteString(" END")
	return b.String()
}
func (e *Coalesce) String() string {
	args := make([]string, len(e.Args))
	for i, a := range e.Args {
		args[i] = a.String()
	}
	return "COALESCE(" + strings.Join(args, ", ") + ")"
}
func (e *AggRef) String() string { return fmt.Sprintf("agg#%d", e.Idx) }

// Children returns the direct sub-expressions of e.
func Children(e Expr) []Expr {
	switch e := e.(type) {
	case *Subquery:
		if e.Left != nil {
			return []Expr{e.Left}
		}
		return nil
	case *Cast:
		return []Expr{e.Arg}
	case *Call:
		return e.Args
	case *BoolOp:
		return e.Args
	case *IsNull:
		return []Expr{e.Arg}
	case *Coalesce:
		return e.Args
	case *Case:
		var out []Expr
		for _, w := range e.Whens {
			out = append(out, w.Cond, w.Result)
		}
		if e.Else != nil {
			out = append(out, e.Else)
		}
		return out
	}
	return nil
}

// MapChildren returns a copy of e whose direct children are replaced by
// fn's results (e itself when it has no children).
func MapChildren(e Expr, fn func(Expr) (Expr, error)) (Expr, error) {
	var err error
	m := func(x Expr) Expr {
		if err != nil || x == nil {
			return x
		}
		var y Expr
		y, err = fn(x)
		return y
	}
	mAll := func(in []Expr) []Expr {
		out := make([]Expr, len(in))
		for i, a := range in {
			out[i] = m(a)
		}
		return out
	}
	switch n := e.(type) {
	case *Cast:
		c := *n
		c.Arg = m(n.Arg)
		e = &c
	case *Call:
		c := *n
		c.Args = mAll(n.Args)
		e = &c
	case *BoolOp:
		c := *n
		c.Args = mAll(n.Args)
		e = &c
	case *IsNull:
		c := *n
		c.Arg = m(n.Arg)
		e = &c
	case *Coalesce:
		c := *n
		c.Args = mAll(n.Args)
		e = &c
	case *Subquery:
		c := *n
		c.Left = m(n.Left)
		e = &c
	case *Case:
		c := *n
		c.Whens = make([]When, len(n.Whens))
		for i, w := range n.Whens {
			c.Whens[i] = When{Cond: m(w.Cond), Result: m(w.Result)}
		}
		c.Else = m(n.Else)
		e = &c
	}
	if err != nil {
		return nil, err
	}
	return e, nil
}

// Rewrite applies fn bottom-up over e.
func Rewrite(e Expr, fn func(Expr) (Expr, error)) (Expr, error) {
	e, err := MapChildren(e, func(c Expr) (Expr, error) { return Rewrite(c, fn) })
	if err != nil {
		return nil, err
	}
	return fn(e)
}

// WinRef refers to window call Idx while binding; the binder rewrites it
// into a ColRef over the Window node's output.
type WinRef struct {
	Idx int
	T   types.T
}

// Type implements Expr.
func (e *WinRef) Type() types.T { return e.T }

func (e *WinRef) String() string { return fmt.Sprintf("win#%d", e.Idx) }

// OuterRef reads column Idx of the row of an enclosing query: Depth 1 is
// the query immediately around the subquery that contains this
// reference, 2 the one around that, and so on.
type OuterRef struct {
	Depth int
	Idx   int
	T     types.T
}

// SubqueryKind says how a subquery's result is used.
type SubqueryKind uint8

// Subquery kinds.
const (
	ScalarSubquery SubqueryKind = iota // (SELECT x): one value, NULL when no row
	ExistsSubquery                     // EXISTS (SELECT ...)
	AnySubquery                        // x op ANY (SELECT y) / x IN (SELECT y)
	AllSubquery                        // x op ALL (SELECT y)
	ArraySubquery                      // ARRAY(SELECT y): the values as an array
)

// Subquery is a query nested in an expression.
type Subquery struct {
	Kind SubqueryKind
	Plan Node
	// Correlated is set when Plan reads OuterRefs of depth 1 (it must be
	// rerun for every outer row).
	Correlated bool
	// Test, for ANY/ALL, compares Left with the subquery's single column:
	// an operator call whose second argument is a ColRef{Idx: 0} standing
	// for the subquery value.
	Left Expr
	Test Expr
	T    types.T
}

// Type implements Expr.
func (e *OuterRef) Type() types.T { return e.T }

// Type implements Expr.
func (e *Subquery) Type() types.T { return e.T }

func (e *OuterRef) String() string { return fmt.Sprintf("outer(%d)@%d", e.Depth, e.Idx+1) }
func (e *Subquery) String() string { return fmt.Sprintf("subquery(%p)", e) }

// SRFRef refers to set-returning call Idx of a select list while
// binding; the binder rewrites it into a ColRef over the ProjectSet
// node's output.
type SRFRef struct {
	Idx int
	T   types.T
}

// Type implements Expr.
func (e *SRFRef) Type() types.T { return e.T }

func (e *SRFRef) String() string { return fmt.Sprintf("srf#%d", e.Idx) }
