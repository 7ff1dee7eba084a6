package deparse

import (
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// Recognizers of the binder's rewrites. The binder expands several
// constructs into simpler nodes that PostgreSQL keeps (or expands
// differently); each recognizer matches one expansion by the nodes it
// shares between its parts (see converter) and returns what PostgreSQL
// would have built, or nil/false when e is not such an expansion.

// booleanTest recognizes the binder's expansions of x IS [NOT] TRUE and
// x IS [NOT] FALSE (IS [NOT] UNKNOWN becomes a plain NULL test).
func (c *converter) booleanTest(e *plan.BoolOp) node {
	if len(e.Args) != 2 || e.Op == plan.Not {
		return nil
	}
	isn, ok := e.Args[0].(*plan.IsNull)
	if !ok || isn.Negate != (e.Op == plan.And) {
		return nil
	}
	x := isn.Arg
	positive := e.Args[1] == x
	if !positive {
		n, ok := e.Args[1].(*plan.BoolOp)
		if !ok || n.Op != plan.Not || len(n.Args) != 1 || n.Args[0] != x {
			return nil
		}
	}
	var test string
	switch {
	case e.Op == plan.And && positive:
		test = " IS TRUE"
	case e.Op == plan.And:
		test = " IS FALSE"
	case positive:
		test = " IS NOT FALSE"
	default:
		test = " IS NOT TRUE"
	}
	return &boolTestNode{arg: c.conv(x), test: test}
}

// inList recognizes the binder's expansion of x IN (a, b, ...) (an OR of
// x = a, x = b, ... over one x) and of NOT IN (an AND of <>), and builds
// what PostgreSQL's transformAExprIn does: x = ANY (ARRAY[...]) over the
// items without column references, when there are at least two of them,
// ORed with comparisons for the other items.
func (c *converter) inList(e *plan.BoolOp) node {
	cmp := "="
	switch e.Op {
	case plan.And:
		cmp = "<>"
	case plan.Not:
		return nil
	}
	if len(e.Args) < 2 {
		return nil
	}
	var x plan.Expr
	var consts, vars []*plan.Call
	for _, a := range e.Args {
		call, ok := a.(*plan.Call)
		if !ok || call.Fn.Op != cmp || len(call.Args) != 2 {
			return nil
		}
		root := stripImplicit(call.Args[0])
		if x == nil {
			x = root
		} else if root != x {
			return nil
		}
		if hasColRef(call.Args[1]) {
			vars = append(vars, call)
		} else {
			consts = append(consts, call)
		}
	}
	if len(consts) < 2 {
		return nil // PostgreSQL builds the same comparisons
	}
	// The array elements have the common type of x and the items
	// (select_common_type); untyped literals take x's type.
	xt := x.Type().WithoutTypmod()
	scalar := xt
	items := make([]plan.Expr, len(consts))
	for i, call := range consts {
		items[i] = stripImplicit(call.Args[1])
		if isStringLiteral(items[i]) {
			continue
		}
		t := items[i].Type().WithoutTypmod()
		if numericRank(t) > numericRank(scalar) && numericRank(scalar) > 0 ||
			timeRank(t) > timeRank(scalar) && timeRank(scalar) > 0 {
			scalar = t
		}
	}
	arrT, ok := types.ArrayOf(scalar)
	if !ok {
		return nil
	}
	elems := make([]node, len(items))
	for i, it := range items {
		switch {
		case isStringLiteral(it) && scalar.IsString():
			elems[i] = c.retype(it, scalar)
		case it.Type().Oid == scalar.Oid:
			elems[i] = c.conv(it)
		default:
			elems[i] = c.cast(c.conv(it), it.Type(), scalar, true)
		}
	}
	var left, right node = c.conv(x), &arrayNode{elems: elems, t: arrT}
	switch {
	case opExists(cmp, xt, scalar):
	case xt.IsString() && scalar.IsString():
		// No varchar operators: both sides become text.
		if xt.Oid != types.OidText {
			left = c.cast(left, xt, types.Text, true)
		}
		if scalar.Oid != types.OidText {
			textArr, _ := types.ArrayOf(types.Text)
			right = &castNode{arg: right, to: textArr, kind: coerceArray, implicit: true}
		}
	default:
		left = c.cast(left, xt, scalar, true)
	}
	var out node = &saopNode{op: cmp, useOr: e.Op == plan.Or, args: [2]node{left, right}}
	for _, call := range vars {
		out = &boolNode{op: e.Op, args: []node{out, c.binary(call)}}
	}
	return out
}

// hasColRef reports whether e reads a column.
func hasColRef(e plan.Expr) bool {
	if _, ok := e.(*plan.ColRef); ok {
		return true
	}
	for _, ch := range plan.Children(e) {
		if hasColRef(ch) {
			return true
		}
	}
	return false
}

// notBetween recognizes the binder's NOT (x >= lo AND x <= hi) for
// x NOT BETWEEN lo AND hi, which PostgreSQL expands to x < lo OR x > hi
// (and the SYMMETRIC form, NOT over an OR of two such ranges, to
// (x < lo OR x > hi) AND (x < hi OR x > lo)).
func (c *converter) notBetween(e plan.Expr) node {
	if ge, le, ok := betweenPair(e, nil); ok {
		return c.outside(ge, le)
	}
	or, ok := e.(*plan.BoolOp)
	if !ok || or.Op != plan.Or || len(or.Args) != 2 {
		return nil
	}
	ge1, le1, ok1 := betweenPair(or.Args[0], nil)
	if !ok1 {
		return nil
	}
	ge2, le2, ok2 := betweenPair(or.Args[1], stripImplicit(ge1.Args[0]))
	if !ok2 {
		return nil
	}
	return &boolNode{op: plan.And, args: []node{c.outside(ge1, le1), c.outside(ge2, le2)}}
}

// betweenPair matches x >= lo AND x <= hi over one x (x, when given).
func betweenPair(e plan.Expr, x plan.Expr) (ge, le *plan.Call, ok bool) {
	and, ok := e.(*plan.BoolOp)
	if !ok || and.Op != plan.And || len(and.Args) != 2 {
		return nil, nil, false
	}
	ge, ok1 := and.Args[0].(*plan.Call)
	le, ok2 := and.Args[1].(*plan.Call)
	if !ok1 || !ok2 || ge.Fn.Op != ">=" || le.Fn.Op != "<=" || len(ge.Args) != 2 || len(le.Args) != 2 {
		return nil, nil, false
	}
	root := stripImplicit(ge.Args[0])
	if stripImplicit(le.Args[0]) != root || x != nil && root != x {
		return nil, nil, false
	}
	return ge, le, true
}

func (c *converter) outside(ge, le *plan.Call) node {
	return &boolNode{op: plan.Or, args: []node{c.binaryAs("<", ge), c.binaryAs(">", le)}}
}

// caseSubject returns the subject of a simple CASE (CASE x WHEN a ...),
// which the binder rewrites into WHEN x = a over one x. A single arm is
// taken for the searched form: both bind alike.
func caseSubject(e *plan.Case) plan.Expr {
	if len(e.Whens) < 2 {
		return nil
	}
	var x plan.Expr
	for _, w := range e.Whens {
		call, ok := w.Cond.(*plan.Call)
		if !ok || call.Fn.Op != "=" || len(call.Args) != 2 {
			return nil
		}
		root := stripImplicit(call.Args[0])
		if x == nil {
			x = root
		} else if root != x {
			return nil
		}
	}
	return x
}

// notDistinct recognizes the binder's expansion of l IS NOT DISTINCT
// FROM r: CASE WHEN l IS NULL AND r IS NULL THEN true WHEN l IS NULL OR
// r IS NULL THEN false ELSE l = r END.
func notDistinct(e *plan.Case) (l, r plan.Expr, ok bool) {
	if len(e.Whens) != 2 {
		return nil, nil, false
	}
	eq, ok := e.Else.(*plan.Call)
	if !ok || eq.Fn.Op != "=" || len(eq.Args) != 2 {
		return nil, nil, false
	}
	l, r = eq.Args[0], eq.Args[1]
	nullPair := func(w plan.When, op plan.BoolOpKind, res bool) bool {
		b, ok := w.Cond.(*plan.BoolOp)
		if !ok || b.Op != op || len(b.Args) != 2 {
			return false
		}
		n0, ok0 := b.Args[0].(*plan.IsNull)
		n1, ok1 := b.Args[1].(*plan.IsNull)
		k, ok2 := w.Result.(*plan.Const)
		return ok0 && ok1 && ok2 && !n0.Negate && !n1.Negate && n0.Arg == l && n1.Arg == r && k.Val == res
	}
	if !nullPair(e.Whens[0], plan.And, true) || !nullPair(e.Whens[1], plan.Or, false) {
		return nil, nil, false
	}
	return l, r, true
}

// nullIf recognizes the binder's expansion of NULLIF(a, b): CASE WHEN
// a = b THEN NULL ELSE a END over one a.
func nullIf(e *plan.Case) (*plan.Call, bool) {
	if len(e.Whens) != 1 || e.Else == nil {
		return nil, false
	}
	eq, ok := e.Whens[0].Cond.(*plan.Call)
	if !ok || eq.Fn.Op != "=" || len(eq.Args) != 2 || eq.Args[0] != e.Else {
		return nil, false
	}
	if k, ok := e.Whens[0].Result.(*plan.Const); !ok || k.Val != nil {
		return nil, false
	}
	return eq, true
}

// minMax recognizes the binder's expansion of GREATEST(a, b, ...) and
// LEAST: a chain of CASE WHEN acc IS NULL THEN b WHEN b > acc THEN b
// ELSE acc END.
func minMax(e *plan.Case) (greatest bool, args []plan.Expr, ok bool) {
	if len(e.Whens) != 2 || e.Else == nil {
		return false, nil, false
	}
	isn, ok := e.Whens[0].Cond.(*plan.IsNull)
	if !ok || isn.Negate || isn.Arg != e.Else {
		return false, nil, false
	}
	acc, b := e.Else, e.Whens[0].Result
	cmp, ok := e.Whens[1].Cond.(*plan.Call)
	if !ok || cmp.Fn.Op != ">" && cmp.Fn.Op != "<" || len(cmp.Args) != 2 ||
		cmp.Args[0] != b || cmp.Args[1] != acc || e.Whens[1].Result != b {
		return false, nil, false
	}
	greatest = cmp.Fn.Op == ">"
	if inner, ok := acc.(*plan.Case); ok {
		if g, prev, ok := minMax(inner); ok && g == greatest {
			return greatest, append(prev, b), true
		}
	}
	return greatest, []plan.Expr{acc, b}, true
}
