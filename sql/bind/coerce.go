package bind

import (
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// castContext is PostgreSQL's coercion context.
type castContext uint8

const (
	castImplicit castContext = iota
	castAssignment
	castExplicit
)

// numericRank orders the numeric category for promotion.
func numericRank(t types.T) int {
	switch t.Oid {
	case types.OidInt2:
		return 1
	case types.OidInt4:
		return 2
	case types.OidInt8:
		return 3
	case types.OidNumeric:
		return 4
	case types.OidFloat4:
		return 5
	case types.OidFloat8:
		return 6
	}
	return 0
}

// castAllowed reports whether from can become to in ctx (to's modifier
// aside).
func castAllowed(from, to types.T, ctx castContext) bool {
	if from.Oid == to.Oid || from.Oid == types.OidUnknown {
		return true
	}
	fr, tr := numericRank(from), numericRank(to)
	if fr > 0 && tr > 0 {
		return tr >= fr || ctx >= castAssignment
	}
	ff, tf := from.Family(), to.Family()
	switch {
	case ff == types.StringFamily && tf == types.StringFamily:
		return true
	case tf == types.StringFamily:
		// Anything has an I/O conversion to text on assignment/explicit.
		return ctx >= castAssignment
	case ff == types.DateFamily && (tf == types.TimestampFamily || tf == types.TimestampTZFamily):
		return true
	case ff == types.TimestampFamily && tf == types.TimestampTZFamily:
		return true
	case (ff == types.TimestampTZFamily || ff == types.TimestampFamily) && (tf == types.DateFamily || tf == types.TimestampFamily):
		return ctx >= castAssignment
	case from.Oid == types.OidOid && fr == 0 && tr > 0:
		return true
	case to.IsRegType() && (from.Oid == types.OidOid || from.Oid == types.OidInt4 || from.Oid == types.OidInt8 || from.Oid == types.OidText):
		// oid, integers and text convert to OID alias types implicitly.
		return true
	case from.IsRegType() && to.Oid == types.OidOid:
		return true
	case from.IsRegType() && (to.Oid == types.OidInt4 || to.Oid == types.OidInt8):
		return ctx >= castAssignment
	case (ff == types.JSONFamily && tf == types.JSONBFamily) || (ff == types.JSONBFamily && tf == types.JSONFamily):
		return ctx >= castAssignment
	case ff == types.ArrayFamily && tf == types.ArrayFamily:
		// Array coercion exists where the element coercion does.
		return castAllowed(from.Elem(), to.Elem(), ctx)
	}
	if ctx == castExplicit {
		return explicitCastExists(from, to)
	}
	return false
}

// coerce converts e to type t in context ctx. Unknown-typed constants are
// parsed now; unknown parameters take the type.
func (b *Binder) coerce(e plan.Expr, t types.T, ctx castContext, loc int32) (plan.Expr, error) {
	et := e.Type()
	if et == t {
		return e, nil
	}
	switch x := e.(type) {
	case *plan.Param:
		if et.Oid == types.OidUnknown {
			b.params[x.Idx] = t.WithoutTypmod()
			p := &plan.Param{Idx: x.Idx, T: t.WithoutTypmod()}
			if t.Typmod >= 0 {
				return &plan.Cast{Arg: p, To: t, Explicit: ctx == castExplicit}, nil
			}
			return p, nil
		}
	case *plan.Const:
		if x.Val == nil {
			return &plan.Const{T: t}, nil
		}
		if et.Oid == types.OidUnknown {
			// The input function runs now (its errors point at the
			// literal); the length coercion to t's modifier is, in
			// PostgreSQL, a run-time step whose errors have no position.
			base := t.WithoutTypmod()
			d, err := typio.ParseText(base, x.Val.(string), b.settings)
			if err != nil {
				return nil, b.errAt(pgerror.Flatten(err), loc)
			}
			if base != t {
				if d, err = typio.Cast(d, base, t, ctx == castExplicit, b.settings); err != nil {
					return nil, pgerror.Flatten(err)
				}
			}
			return &plan.Const{Val: d, T: t}, nil
		}
	}
	if et.Oid == t.Oid && t.Typmod < 0 {
		return e, nil
	}
	if !castAllowed(et, t, ctx) {
		if ctx == castExplicit {
			return nil, b.errAt(pgerror.New(pgerror.CannotCoerce, "cannot cast type %s to %s", et, t), loc)
		}
		return nil, b.errAt(pgerror.New(pgerror.DatatypeMismatch, "%s is of type %s but expression is of type %s", "value", t, et), loc)
	}
	return &plan.Cast{Arg: e, To: t, Explicit: ctx == castExplicit}, nil
}

// commonType resolves the type of UNION/CASE/COALESCE-like branches.
func (b *Binder) commonType(es []plan.Expr, ctx string, loc int32) (types.T, error) {
	var t types.T
	have := false
	for _, e := range es {
		et := e.Type()
		if et.Oid == types.OidUnknown {
			continue
		}
		if !have {
			t, have = et.WithoutTypmod(), true
			continue
		}
		if et.Oid == t.Oid {
			continue
		}
		switch {
		case numericRank(et) > 0 && numericRank(t) > 0:
			if numericRank(et) > numericRank(t) {
				t = et.WithoutTypmod()
			}
		case et.IsString() && t.IsString():
			t = types.Text
		case castAllowed(et, t, castImplicit):
		case castAllowed(t, et, castImplicit):
			t = et.WithoutTypmod()
		default:
			return types.T{}, b.errAt(pgerror.New(pgerror.DatatypeMismatch, "%s types %s and %s cannot be matched", ctx, t, et), loc)
		}
	}
	if !have {
		return types.Text, nil
	}
	return t, nil
}

func (b *Binder) binaryOp(op string, l, r plan.Expr, loc int32) (plan.Expr, error) {
	return b.binaryOpCall(op, l, r, loc)
}

// binaryOpCall resolves a binary operator.
func (b *Binder) binaryOpCall(op string, l, r plan.Expr, loc int32) (*plan.Call, error) {
	if op == "!=" {
		op = "<>"
	}
	lt, rt := l.Type(), r.Type()
	cands := b.reg.BinaryOps(op)
	if len(cands) == 0 {
		return nil, b.errAt(pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s %s %s", lt, op, rt), loc)
	}
	lu, ru := lt.Oid == types.OidUnknown, rt.Oid == types.OidUnknown
	switch {
	case lu && ru:
		lt, rt = types.Text, types.Text
	case lu:
		lt = pickUnknown(cands, rt, 1)
	case ru:
		rt = pickUnknown(cands, lt, 0)
	}
	// Promote within a category so that same-type operators apply.
	if numericRank(lt) > 0 && numericRank(rt) > 0 && lt.Oid != rt.Oid && !hasExact(cands, lt, rt) {
		switch {
		case lt.Oid == types.OidFloat4 || rt.Oid == types.OidFloat4:
			// real with an integer or numeric resolves to float8 in
			// PostgreSQL (float48 operators and the preferred type win).
			lt, rt = types.Float8, types.Float8
		case numericRank(lt) > numericRank(rt):
			rt = lt.WithoutTypmod()
		default:
			lt = rt.WithoutTypmod()
		}
	}
	if lt.IsString() && rt.IsString() && !hasExact(cands, lt, rt) {
		lt, rt = types.Text, types.Text
	}
	ov, args, err := b.resolveOverload(cands, []plan.Expr{l, r}, loc, lt.WithoutTypmod(), rt.WithoutTypmod())
	if err != nil {
		return nil, err
	}
	if ov == nil {
		return nil, b.errAt(pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s %s %s", l.Type(), op, r.Type()).
			WithHint("No operator matches the given name and argument types. You might need to add explicit type casts."), loc)
	}
	return &plan.Call{Fn: ov, Args: args}, nil
}

// pickUnknown chooses the type for an unknown operand opposite a known
// one of type known at position 1-pos: the same type when an operator
// takes it on both sides, else the only candidate's type.
func pickUnknown(cands []*funcs.Overload, known types.T, knownPos int) types.T {
	known = known.WithoutTypmod()
	var only *types.T
	n := 0
	for _, c := range cands {
		if len(c.Args) != 2 || c.Args[knownPos].Oid != known.Oid {
			continue
		}
		other := c.Args[1-knownPos]
		if other.Oid == known.Oid {
			return known
		}
		n++
		o := other
		only = &o
	}
	if n == 1 {
		return *only
	}
	if n > 1 {
		// PostgreSQL prefers the string category for an unknown operand
		// when candidates disagree (jsonb -> 'key' is the text form).
		for _, c := range cands {
			if len(c.Args) == 2 && c.Args[knownPos].Oid == known.Oid && c.Args[1-knownPos].IsString() {
				return types.Text
			}
		}
	}
	if known.IsString() {
		return types.Text
	}
	return known
}

func hasExact(cands []*funcs.Overload, lt, rt types.T) bool {
	for _, c := range cands {
		if len(c.Args) == 2 && c.Args[0].Oid == lt.Oid && c.Args[1].Oid == rt.Oid {
			return true
		}
	}
	return false
}

func (b *Binder) unaryOp(op string, arg plan.Expr, loc int32) (plan.Expr, error) {
	at := arg.Type()
	if at.Oid == types.OidUnknown {
		at = types.Numeric
		if op == "~" {
			at = types.Int8
		}
	}
	ov, args, err := b.resolveOverload(b.reg.UnaryOps(op), []plan.Expr{arg}, loc, at)
	if err != nil {
		return nil, err
	}
	if ov == nil {
		return nil, b.errAt(pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s %s", op, arg.Type()).
			WithHint("No operator matches the given name and argument type. You might need to add an explicit type cast."), loc)
	}
	return &plan.Call{Fn: ov, Args: args}, nil
}

// resolveOverload picks the overload for args (optionally with the types
// the caller wants them seen as) and coerces the arguments to it. It
// returns a nil overload when none applies.
func (b *Binder) resolveOverload(cands []*funcs.Overload, args []plan.Expr, loc int32, want ...types.T) (*funcs.Overload, []plan.Expr, error) {
	argT := make([]types.T, len(args))
	for i, a := range args {
		argT[i] = a.Type().WithoutTypmod()
		if i < len(want) {
			argT[i] = want[i]
		}
	}
	sig := func(c *funcs.Overload, i int) (types.T, bool) {
		if i < len(c.Args) {
			return c.Args[i], true
		}
		if c.Variadic && len(c.Args) > 0 {
			return c.Args[len(c.Args)-1], true
		}
		return types.T{}, false
	}
	arity := func(c *funcs.Overload) bool {
		if c.Variadic {
			return len(args) >= len(c.Args)-1
		}
		return len(c.Args) == len(args)
	}
	var best *funcs.Overload
	bestExact := -1
	ambiguous := false
	for pass := 0; pass < 2 && best == nil; pass++ {
		for _, c := range cands {
			if !arity(c) {
				continue
			}
			exact, ok := 0, true
			poly := c.IsPolymorphic()
			if poly {
				if _, pok := polyElem(c, argT, sig); !pok {
					continue
				}
			}
			for i := range args {
				st, _ := sig(c, i)
				at := argT[i]
				switch {
				case st.IsPolymorphic():
					// Checked by polyElem; not an exact match.
				case st.Oid == types.OidAny:
					// "any" takes every type; not an exact match.
				case at.Oid == st.Oid:
					exact++
				case at.Oid == types.OidUnknown:
				case pass == 0 && castAllowed(at, st, castImplicit):
				case pass == 1 && st.IsString() && anyTextOK(c, args, argT, i):
					// Second chance: concat and || take any non-array
					// value through its output function.
				default:
					ok = false
				}
			}
			if !ok {
				continue
			}
			switch {
			case exact > bestExact:
				best, bestExact, ambiguous = c, exact, false
			case exact == bestExact && preferred(c, best):
				best = c
			case exact == bestExact && !preferred(best, c):
				ambiguous = true
			}
		}
	}
	if best == nil {
		return nil, args, nil
	}
	_ = ambiguous // first-registered wins among equals; registration order encodes preference
	if best.IsPolymorphic() {
		elem, _ := polyElem(best, argT, sig)
		concrete := func(t types.T) types.T {
			switch t.Oid {
			case types.OidAnyElement, types.OidAnyEnum:
				return elem
			case types.OidAnyArray:
				a, _ := types.ArrayOf(elem)
				return a
			}
			return t
		}
		n := max(len(args), len(best.Args))
		ca := make([]types.T, n)
		for i := range ca {
			st, _ := sig(best, i)
			ca[i] = concrete(st)
		}
		best = best.Instantiate(ca, concrete(best.Ret))
	} else if takesAny(best) {
		// "any" arguments keep their types (unknown literals are text).
		ca := make([]types.T, len(args))
		for i := range ca {
			st, _ := sig(best, i)
			ca[i] = st
			if st.Oid == types.OidAny {
				ca[i] = argT[i]
				if ca[i].Oid == types.OidUnknown {
					ca[i] = types.Text
				}
			}
		}
		best = best.Instantiate(ca, best.Ret)
	}
	out := make([]plan.Expr, len(args))
	for i, a := range args {
		st, _ := sig(best, i)
		ctx := castImplicit
		if st.IsString() && !a.Type().IsString() {
			ctx = castExplicit
		}
		e, err := b.coerce(a, st, ctx, loc)
		if err != nil {
			return nil, nil, err
		}
		out[i] = e
	}
	return best, out, nil
}

// anyTextOK reports whether argument i (seen as type argT[i]) may go to
// a text parameter of c through its output function (Overload.AnyText);
// for AnyTextCat another argument must be text or an unknown literal.
func anyTextOK(c *funcs.Overload, args []plan.Expr, argT []types.T, i int) bool {
	at := argT[i]
	if args[i].Type().Oid == types.OidUnknown {
		return c.AnyText != funcs.NoAnyText // a literal goes as text
	}
	if at.Oid == types.OidUnknown || at.IsArray() {
		return false
	}
	switch c.AnyText {
	case funcs.AnyTextAll:
		return true
	case funcs.AnyTextCat:
		for j, t := range argT {
			if j != i && (t.IsString() || args[j].Type().Oid == types.OidUnknown) {
				return true
			}
		}
	}
	return false
}

// polyElem resolves the element type of a polymorphic overload c for
// argument types argT, as PostgreSQL's enforce_generic_type_consistency:
// every anyarray argument's element type and every anyelement argument's
// type must be the same; unknown arguments take it from the others. ok
// is false when they disagree or nothing determines it.
func polyElem(c *funcs.Overload, argT []types.T, sig func(*funcs.Overload, int) (types.T, bool)) (elem types.T, ok bool) {
	for i, at := range argT {
		st, has := sig(c, i)
		if !has || !st.IsPolymorphic() || at.Oid == types.OidUnknown {
			continue
		}
		var e types.T
		switch st.Oid {
		case types.OidAnyArray:
			if !at.IsArray() {
				return types.T{}, false
			}
			e = at.Elem().WithoutTypmod()
		case types.OidAnyEnum:
			if !at.IsEnum() {
				return types.T{}, false
			}
			e = at.WithoutTypmod()
		default:
			e = at.WithoutTypmod()
		}
		if elem.Oid == 0 {
			elem = e
		} else if elem.Oid != e.Oid {
			return types.T{}, false
		}
	}
	if elem.Oid == 0 {
		return types.T{}, false
	}
	if _, hasArray := types.ArrayOf(elem); !hasArray && !elem.IsEnum() {
		return types.T{}, false
	}
	return elem, true
}

// preferred reports whether a beats b on PostgreSQL's preferred types
// (float8 among numerics, text among strings, timestamptz among times).
func preferred(a, b *funcs.Overload) bool {
	score := func(o *funcs.Overload) int {
		s := 0
		for _, t := range o.Args {
			switch t.Oid {
			case types.OidFloat8, types.OidText, types.OidTimestampTZ, types.OidInterval:
				s++
			}
		}
		return s
	}
	return score(a) > score(b)
}

// explicitCastExists reports whether CAST(from AS to) exists.
func explicitCastExists(from, to types.T) bool {
	ff, tf := from.Family(), to.Family()
	switch {
	case ff == types.StringFamily || tf == types.StringFamily:
		return true
	case from.Oid == types.OidBool && to.Oid == types.OidInt4, from.Oid == types.OidInt4 && to.Oid == types.OidBool:
		return true
	case numericRank(from) > 0 && numericRank(to) > 0:
		return true
	case ff == types.JSONBFamily && (to.Oid == types.OidBool || (numericRank(to) > 0)):
		return true
	}
	isTime := func(f types.Family) bool {
		return f == types.DateFamily || f == types.TimestampFamily || f == types.TimestampTZFamily
	}
	return isTime(ff) && isTime(tf)
}

// takesAny reports whether o has "any" arguments.
func takesAny(o *funcs.Overload) bool {
	for _, t := range o.Args {
		if t.Oid == types.OidAny {
			return true
		}
	}
	return false
}
