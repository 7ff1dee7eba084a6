package deparse

import (
	"github.com/aegisdb/aegis/sql/typio"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// converter turns a bound plan.Expr into the tree PostgreSQL's parser
// would have built for the same SQL text. The two differ where Aegis's
// binder rewrites a construct into simpler nodes (IN lists into OR
// chains, NULLIF and IS DISTINCT FROM into CASE, ...) and where it
// resolves operators differently (it has no cross-type operators such as
// int4 = int8, so it casts an operand that PostgreSQL would not).
//
// Binder rewrites are recognized by the pointers they share: the binder
// binds the operand of `x IN (1, 2)` once and uses that node in every
// comparison, whereas `x = 1 OR x = 2` binds x twice. This holds for
// trees fresh from the binder, not after rewrites that copy nodes.
type converter struct {
	colName func(int) string
	quoted  bool           // colName's names are printable as they are
	names   typio.RegNames // resolves regclass constants (nil: by text)
}

// regclass prints a relation name given as text the way a regclass
// constant prints: resolved and qualified unless visible on the search
// path, when the session can resolve names; else normalized text.
func (c *converter) regclass(name string) string {
	if c.names != nil {
		if oid, err := c.names.RegOid(regclassOid, name); err == nil {
			if text, ok := c.names.RegName(regclassOid, oid); ok {
				return text
			}
		}
	}
	return regclassText(name)
}

// stripImplicit removes the implicit casts the binder put over e.
func stripImplicit(e plan.Expr) plan.Expr {
	for {
		c, ok := e.(*plan.Cast)
		if !ok || c.Explicit {
			return e
		}
		e = c.Arg
	}
}

// isStringLiteral reports whether e may come from an untyped literal
// ('abc') that the binder typed as a string: PostgreSQL's operator
// resolution types such literals from the other operand instead.
func isStringLiteral(e plan.Expr) bool {
	c, ok := e.(*plan.Const)
	return ok && c.T.IsString() && c.T.Typmod < 0
}

// conv converts e.
func (c *converter) conv(e plan.Expr) node {
	switch e := e.(type) {
	case *plan.ColRef:
		name := e.Name
		if c.colName != nil {
			name = c.colName(e.Idx)
		}
		return &varNode{name: name, quoted: c.quoted}
	case *plan.Const:
		return c.constant(e, false)
	case *plan.Param:
		return &paramNode{idx: e.Idx}
	case *plan.Cast:
		if arr, ok := e.Arg.(*plan.Call); ok && e.Explicit && e.To.IsArray() && e.To.Typmod >= 0 && isArrayConstructor(arr) {
			return c.typedArray(arr, e.To.Elem())
		}
		return c.cast(c.conv(e.Arg), e.Arg.Type(), e.To, !e.Explicit)
	case *plan.Call:
		return c.call(e)
	case *plan.BoolOp:
		return c.boolOp(e)
	case *plan.IsNull:
		return &nullTestNode{arg: c.conv(e.Arg), not: e.Negate}
	case *plan.Case:
		return c.caseExpr(e)
	case *plan.Coalesce:
		return &coalesceNode{args: c.convAll(e.Args)}
	case nil:
		return nil // prints nothing, as ruleutils does for a NULL node
	}
	// Nothing else can appear in a column default or CHECK constraint.
	return &rawNode{text: e.String()}
}

func (c *converter) convAll(es []plan.Expr) []node {
	out := make([]node, len(es))
	for i, e := range es {
		out[i] = c.conv(e)
	}
	return out
}

// constant converts a constant. The binder applies a type modifier to a
// literal at once ('ab'::varchar(5) is one constant); PostgreSQL keeps an
// unmodified constant under a length-coercion call, explicit when the
// user wrote the cast (assigned: the modifier came from the column the
// value is assigned to).
func (c *converter) constant(e *plan.Const, assigned bool) node {
	if e.T.IsArray() && e.T.Typmod >= 0 {
		base := &constNode{t: e.T.WithoutTypmod(), val: e.Val}
		return &castNode{arg: base, to: e.T, kind: coerceArray, implicit: assigned}
	}
	if e.T.Typmod < 0 || !hasLengthCoercion(e.T) {
		return &constNode{t: e.T, val: e.Val}
	}
	val := e.Val
	if d, ok := val.(*apd.Decimal); ok && d.Form == apd.Finite {
		// numeric(p,s) rounded the literal to s digits; the literal most
		// likely had no trailing zeros ('0' rather than '0.00').
		if s := d.Text('f'); strings.Contains(s, ".") {
			if r, _, err := apd.NewFromString(strings.TrimRight(strings.TrimRight(s, "0"), ".")); err == nil {
				val = r
			}
		}
	}
	if str, ok := val.(string); ok && e.T.Oid == types.OidBpchar {
		// character(n) padded the literal with blanks.
		val = strings.TrimRight(str, " ")
	}
	base := &constNode{t: e.T.WithoutTypmod(), val: val}
	return &castNode{arg: base, to: e.T, kind: coerceFunc, implicit: assigned}
}

// cast converts a cast of arg (of type from) to to.
func (c *converter) cast(arg node, from, to types.T, implicit bool) node {
	if to.Typmod >= 0 && hasLengthCoercion(to) && !to.IsArray() {
		// PostgreSQL casts to the base type (a hidden step) and then
		// applies the modifier with the type's length-coercion function.
		if from.Oid != to.Oid {
			arg = &castNode{arg: arg, to: to.WithoutTypmod(), kind: coercionKind(from, to), implicit: true}
		}
		return &castNode{arg: arg, to: to, kind: coerceFunc, implicit: implicit}
	}
	kind := coerceFunc
	if from.Oid != to.Oid {
		kind = coercionKind(from, to)
	}
	return &castNode{arg: arg, to: to, kind: kind, implicit: implicit}
}

// retype converts a string literal (see isStringLiteral) as PostgreSQL
// would have typed it: as t.
func (c *converter) retype(e plan.Expr, t types.T) node {
	k := e.(*plan.Const)
	return &constNode{t: t.WithoutTypmod(), val: k.Val}
}

// operands converts the operands of binary operator op as PostgreSQL's
// operator resolution would have typed them. An implicit cast the binder
// added is dropped when PostgreSQL has an operator for the uncast type
// (int4 = int8, float4 < float8, date < timestamptz, ...), and an
// untyped string literal takes the type of the other operand.
func (c *converter) operands(op string, l, r plan.Expr) (node, node) {
	l0, r0 := stripImplicit(l), stripImplicit(r)
	lLit, rLit := isStringLiteral(l0), isStringLiteral(r0)
	if lLit != rLit {
		other := r0
		if rLit {
			other = l0
		}
		if ot := pgType(other); ot.IsString() {
			var litT types.T
			var on node
			switch {
			case isLike(op) && rLit:
				litT = types.Text
				on = c.textOperand(other)
			case isComparison(op) && ot.Oid != types.OidVarchar:
				litT = ot
				on = c.conv(other)
			case isComparison(op):
				litT = types.Text
				on = c.textOperand(other)
			}
			if on != nil {
				if rLit {
					return on, c.retype(r0, litT)
				}
				return c.retype(l0, litT), on
			}
		}
	}
	for _, p := range [][2]plan.Expr{{l0, r0}, {l0, r}, {l, r0}} {
		if (p[0] != l || p[1] != r) && opExists(op, p[0].Type(), p[1].Type()) {
			return c.conv(p[0]), c.conv(p[1])
		}
	}
	if lt, rt := l0.Type().Oid, r0.Type().Oid; isComparison(op) && !lLit && !rLit &&
		(lt == types.OidBpchar && rt == types.OidVarchar || lt == types.OidVarchar && rt == types.OidBpchar) {
		// character's operators win over text's: varchar relabels to
		// character.
		bp := types.T{Oid: types.OidBpchar, Typmod: -1}
		ln, rn := c.conv(l0), c.conv(r0)
		if lt == types.OidVarchar {
			ln = c.cast(ln, l0.Type(), bp, true)
		} else {
			rn = c.cast(rn, r0.Type(), bp, true)
		}
		return ln, rn
	}
	if isComparison(op) || isLike(op) {
		return c.textOperand(l), c.textOperand(r)
	}
	return c.conv(l), c.conv(r)
}

// pgType is the type PostgreSQL gives e where it differs from the
// binder's: NULLIF(varchar, ...) compares, and so returns, text.
func pgType(e plan.Expr) types.T {
	if k, ok := e.(*plan.Case); ok {
		if eq, ok := nullIf(k); ok && eq.Args[0].Type().Oid == types.OidVarchar {
			return types.Text
		}
	}
	return e.Type()
}

// textOperand converts an operand of a comparison or pattern-matching
// operator: varchar has no such operators of its own (the binder may
// have used varchar ones), so PostgreSQL relabels varchar values to text;
// text, bpchar and name have their own.
func (c *converter) textOperand(e plan.Expr) node {
	if pgType(e).Oid == types.OidVarchar {
		return c.cast(c.conv(e), e.Type(), types.Text, true)
	}
	return c.conv(e)
}

// binary converts a binary operator call.
func (c *converter) binary(call *plan.Call) node {
	l, r := c.operands(call.Fn.Op, call.Args[0], call.Args[1])
	return &opNode{op: call.Fn.Op, args: []node{l, r}}
}

// binaryAs converts call as operator op (for rewritten comparisons).
func (c *converter) binaryAs(op string, call *plan.Call) node {
	l, r := c.operands(op, call.Args[0], call.Args[1])
	return &opNode{op: op, args: []node{l, r}}
}

// sqlValueFunctions maps the functions the binder binds SQL-standard
// keywords to (CURRENT_DATE, ...) to the keyword PostgreSQL prints.
// CURRENT_TIMESTAMP becomes now(), indistinguishable from a call to
// now(); CURRENT_CATALOG becomes current_database().
var sqlValueFunctions = map[string]string{
	"current_date":      "CURRENT_DATE",
	"localtimestamp":    "LOCALTIMESTAMP",
	"current_timestamp": "CURRENT_TIMESTAMP",
	"current_user":      "CURRENT_USER",
	"current_role":      "CURRENT_ROLE",
	"user":              "USER",
	"session_user":      "SESSION_USER",
	"current_schema":    "CURRENT_SCHEMA",
}

// regclassFunctions take a regclass first argument that the binder
// leaves as text.
var regclassFunctions = map[string]bool{"nextval": true, "currval": true, "setval": true}

func (c *converter) call(e *plan.Call) node {
	fn := e.Fn
	switch {
	case fn.Op != "" && len(e.Args) == 2 && fn.AnyText != funcs.NoAnyText:
		return &opNode{op: fn.Op, args: []node{c.anyTextArg(fn, 0, e.Args[0]), c.anyTextArg(fn, 1, e.Args[1])}}
	case fn.Op != "" && len(e.Args) == 2:
		return c.binary(e)
	case fn.Op != "" && len(e.Args) == 1:
		arg := e.Args[0]
		if a0 := stripImplicit(arg); a0 != arg && (fn.Op == "-" || fn.Op == "+") && prefixOps[a0.Type().Oid] {
			arg = a0
		}
		return &opNode{op: fn.Op, args: []node{c.conv(arg)}}
	case isArrayConstructor(e):
		return &arrayNode{elems: c.convAll(e.Args), t: fn.Ret}
	case fn.Name == "subscript" && len(e.Args) > 1:
		return &subscriptNode{arr: c.conv(e.Args[0]), upper: c.convAll(e.Args[1:])}
	case fn.Name == "slice" && len(e.Args)%2 == 1:
		s := &subscriptNode{arr: c.conv(e.Args[0])}
		for i := 1; i < len(e.Args); i += 2 {
			s.lower = append(s.lower, c.bound(e.Args[i]))
			s.upper = append(s.upper, c.bound(e.Args[i+1]))
		}
		return s
	case (strings.HasSuffix(fn.Name, " any") || strings.HasSuffix(fn.Name, " all")) && len(e.Args) == 2:
		return c.arrayCompare(e)
	}
	if kw, ok := sqlValueFunctions[fn.Name]; ok && len(e.Args) == 0 {
		return &sqlValueNode{text: kw}
	}
	args := make([]node, len(e.Args))
	for i, a := range e.Args {
		switch {
		case i == 0 && regclassFunctions[fn.Name] && a.Type().IsString():
			if k, ok := a.(*plan.Const); ok && k.Val != nil {
				args[i] = &constNode{t: types.T{Oid: regclassOid, Typmod: -1}, text: c.regclass(k.Val.(string))}
			} else {
				args[i] = c.cast(c.conv(a), a.Type(), types.T{Oid: regclassOid, Typmod: -1}, true)
			}
		case fn.AnyText != funcs.NoAnyText:
			args[i] = c.anyTextArg(fn, i, a)
		default:
			args[i] = c.conv(a)
		}
	}
	out := &funcNode{name: fn.Name, args: args}
	switch {
	case fn.Name == "extract" && len(args) == 2:
		if k, ok := e.Args[0].(*plan.Const); ok && k.Val != nil && k.T.IsString() {
			out.syntax = extractSyntax
		}
	case fn.Name == "position" && len(args) == 2:
		out.syntax = positionSyntax
	case fn.Name == "btrim" && (len(args) == 1 || len(args) == 2):
		// trim(x) binds to btrim(x), like a call of btrim; the
		// SQL-standard spelling is by far the more common one.
		out.syntax = trimSyntax
	}
	return out
}

func isArrayConstructor(e *plan.Call) bool { return e.Fn.Name == "array" && e.Fn.Op == "" }

// typedArray converts ARRAY[...]::elem[] when elem has a type modifier:
// PostgreSQL casts each element to elem (transformArrayExpr), where the
// binder casts them to elem's base type and then the array.
func (c *converter) typedArray(arr *plan.Call, elem types.T) node {
	out := &arrayNode{t: arr.Fn.Ret}
	for _, a := range arr.Args {
		if sub, ok := a.(*plan.Call); ok && isArrayConstructor(sub) {
			out.elems = append(out.elems, c.typedArray(sub, elem))
			continue
		}
		if k, ok := a.(*plan.Cast); ok && k.Explicit && k.To.Oid == elem.Oid {
			a = k.Arg
		}
		out.elems = append(out.elems, c.cast(c.conv(a), a.Type(), elem, false))
	}
	return out
}

// bound converts a slice bound: the binder passes a NULL constant for an
// omitted one.
func (c *converter) bound(e plan.Expr) node {
	if k, ok := e.(*plan.Const); ok && k.Val == nil {
		return nil
	}
	return c.conv(e)
}

// anyTextArg converts argument i of a function or operator whose text
// parameters take any value (concat's "any", ||'s anynonarray): the cast
// to text the binder added is not in PostgreSQL's tree, and for "any" a
// literal stays untyped.
func (c *converter) anyTextArg(fn *funcs.Overload, i int, a plan.Expr) node {
	if cast, ok := a.(*plan.Cast); ok && cast.To.Oid == types.OidText && !cast.Arg.Type().IsArray() {
		if !cast.Arg.Type().IsString() && cast.Arg.Type().Oid != types.OidUnknown {
			return c.conv(cast.Arg)
		}
		if fn.AnyText == funcs.AnyTextAll && !cast.Explicit {
			return c.conv(cast.Arg)
		}
	}
	if fn.AnyText == funcs.AnyTextAll && !(fn.Name == "concat_ws" && i == 0) {
		if k, ok := a.(*plan.Const); ok && k.T.Oid == types.OidText && k.Val != nil {
			return &constNode{t: types.Unknown, val: k.Val}
		}
	}
	return c.conv(a)
}

// arrayCompare converts `x op ANY/ALL (array)`, dropping implicit casts
// as operands does (PostgreSQL has int4 = ANY (int8[]), ...).
func (c *converter) arrayCompare(e *plan.Call) node {
	name := e.Fn.Name
	useOr := strings.HasSuffix(name, " any")
	op := name[:len(name)-len(" any")]
	if i := strings.IndexByte(op, '('); i > 0 {
		op = op[:i] // the comparison overload's name is op(ltype,rtype)
	}
	l, arr := e.Args[0], e.Args[1]
	l0, arr0 := stripImplicit(l), stripImplicit(arr)
	for _, p := range [][2]plan.Expr{{l0, arr0}, {l0, arr}, {l, arr0}} {
		if (p[0] != l || p[1] != arr) && p[1].Type().IsArray() && opExists(op, p[0].Type(), p[1].Type().Elem()) {
			l, arr = p[0], p[1]
			break
		}
	}
	left, right := c.conv(l), c.conv(arr)
	if (isComparison(op) || isLike(op)) && (l.Type().Oid == types.OidVarchar || arr.Type().Elem().Oid == types.OidVarchar) {
		// PostgreSQL compares varchar as text; an array literal is typed
		// text[] at once.
		textArr, _ := types.ArrayOf(types.Text)
		left = c.textOperand(l)
		switch k := arr.(type) {
		case *plan.Const:
			right = &constNode{t: textArr, val: k.Val}
		default:
			if arr.Type().Oid != textArr.Oid {
				right = &castNode{arg: right, to: textArr, kind: coerceArray, implicit: true}
			}
		}
	}
	return &saopNode{op: op, useOr: useOr, args: [2]node{left, right}}
}

func (c *converter) boolOp(e *plan.BoolOp) node {
	if n := c.booleanTest(e); n != nil {
		return n
	}
	if n := c.inList(e); n != nil {
		return n
	}
	if e.Op == plan.Not && len(e.Args) == 1 {
		if n := c.notBetween(e.Args[0]); n != nil {
			return n
		}
		if k, ok := e.Args[0].(*plan.Case); ok {
			if l, r, ok := notDistinct(k); ok {
				a, b := c.operands("=", l, r)
				return &distinctNode{args: [2]node{a, b}}
			}
		}
	}
	return &boolNode{op: e.Op, args: c.convAll(e.Args)}
}

func (c *converter) caseExpr(e *plan.Case) node {
	if l, r, ok := notDistinct(e); ok {
		a, b := c.operands("=", l, r)
		return &boolNode{op: plan.Not, args: []node{&distinctNode{args: [2]node{a, b}}}}
	}
	if eq, ok := nullIf(e); ok {
		a, b := c.operands("=", eq.Args[0], eq.Args[1])
		return &nullIfNode{args: [2]node{a, b}}
	}
	if greatest, args, ok := minMax(e); ok {
		return &minMaxNode{greatest: greatest, args: c.convAll(args)}
	}
	out := &caseNode{}
	if subject := caseSubject(e); subject != nil {
		out.arg = c.conv(subject)
		for _, w := range e.Whens {
			// PostgreSQL prints just the compared value of each arm.
			eq := w.Cond.(*plan.Call)
			_, value := c.operands("=", eq.Args[0], eq.Args[1])
			out.whens = append(out.whens, caseWhen{cond: value, result: c.conv(w.Result)})
		}
	} else {
		for _, w := range e.Whens {
			out.whens = append(out.whens, caseWhen{cond: c.conv(w.Cond), result: c.conv(w.Result)})
		}
	}
	if e.Else != nil {
		out.els = c.conv(e.Else)
	} else {
		// The parser gives a CASE without ELSE an ELSE NULL.
		out.els = &constNode{t: e.T}
	}
	return out
}
