package funcs

import (
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/aegisdb/aegis/sql/arith"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

var intTypes = []types.T{types.Int2, types.Int4, types.Int8}

// narrow truncates v to the width of integer type t, wrapping as C does.
func narrow(t types.T, v int64) int64 {
	switch t.Oid {
	case types.OidInt2:
		return int64(int16(v))
	case types.OidInt4:
		return int64(int32(v))
	}
	return v
}

func registerOperators(r *Registry) {
	// Integer arithmetic: same-type operands (the binder promotes mixed
	// widths to the wider type first, as PostgreSQL's cross-type
	// operators would compute the same result).
	for _, t := range intTypes {
		t := t
		intOp := func(op string, f func(types.T, int64, int64) (int64, error)) {
			r.addOp(&Overload{Op: op, Args: []types.T{t, t}, Ret: t, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
				return f(t, a[0].(int64), a[1].(int64))
			}})
		}
		intOp("+", arith.IntAdd)
		intOp("-", arith.IntSub)
		intOp("*", arith.IntMul)
		intOp("/", arith.IntDiv)
		intOp("%", arith.IntMod)
		r.addOp(&Overload{Op: "-", Args: []types.T{t}, Ret: t, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			return arith.IntNeg(t, a[0].(int64))
		}})
		r.addOp(&Overload{Op: "+", Args: []types.T{t}, Ret: t, Fn: identity})
		// Bitwise operators.
		bitOp := func(op string, f func(a, b int64) int64) {
			r.addOp(&Overload{Op: op, Args: []types.T{t, t}, Ret: t, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
				return narrow(t, f(a[0].(int64), a[1].(int64))), nil
			}})
		}
		bitOp("&", func(a, b int64) int64 { return a & b })
		bitOp("|", func(a, b int64) int64 { return a | b })
		bitOp("#", func(a, b int64) int64 { return a ^ b })
		r.addOp(&Overload{Op: "~", Args: []types.T{t}, Ret: t, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			return narrow(t, ^a[0].(int64)), nil
		}})
		for _, op := range []string{"<<", ">>"} {
			left := op == "<<"
			r.addOp(&Overload{Op: op, Args: []types.T{t, types.Int4}, Ret: t, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
				v, n := a[0].(int64), uint64(a[1].(int64))
				bits := uint64(t.Size()) * 8
				n %= bits // PostgreSQL shifts by the count modulo the width (C semantics on x86)
				if left {
					return narrow(t, v<<n), nil
				}
				return narrow(t, v>>n), nil
			}})
		}
	}
	for _, t := range []types.T{types.Float4, types.Float8} {
		t := t
		fop := func(op string, f func(float64, float64) (float64, error)) {
			r.addOp(&Overload{Op: op, Args: []types.T{t, t}, Ret: t, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
				v, err := f(a[0].(float64), a[1].(float64))
				if err == nil && t == types.Float4 {
					v = float64(float32(v))
				}
				return v, err
			}})
		}
		if t == types.Float4 {
			fop("+", arith.Float4Add)
			fop("-", arith.Float4Sub)
			fop("*", arith.Float4Mul)
			fop("/", arith.Float4Div)
		} else {
			fop("+", arith.FloatAdd)
			fop("-", arith.FloatSub)
			fop("*", arith.FloatMul)
			fop("/", arith.FloatDiv)
		}
		r.addOp(&Overload{Op: "-", Args: []types.T{t}, Ret: t, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			return -a[0].(float64), nil
		}})
		r.addOp(&Overload{Op: "+", Args: []types.T{t}, Ret: t, Fn: identity})
	}
	nop := func(op string, f func(a, b *apd.Decimal) (*apd.Decimal, error)) {
		r.addOp(&Overload{Op: op, Args: []types.T{types.Numeric, types.Numeric}, Ret: types.Numeric, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			return f(a[0].(*apd.Decimal), a[1].(*apd.Decimal))
		}})
	}
	nop("+", arith.NumericAdd)
	nop("-", arith.NumericSub)
	nop("*", arith.NumericMul)
	nop("/", arith.NumericDiv)
	nop("%", arith.NumericMod)
	r.addOp(&Overload{Op: "-", Args: []types.T{types.Numeric}, Ret: types.Numeric, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.NumericNeg(a[0].(*apd.Decimal)), nil
	}})
	r.addOp(&Overload{Op: "+", Args: []types.T{types.Numeric}, Ret: types.Numeric, Fn: identity})

	// Comparisons for every orderable type (same-type operands).
	for _, t := range orderable {
		t := t
		for _, op := range comparisonOps {
			test := cmpTest(op)
			r.addOp(&Overload{Op: op, Args: []types.T{t, t}, Ret: types.Bool, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
				return test(typio.Compare(t, a[0], a[1])), nil
			}})
		}
	}

	r.addOp(&Overload{Op: "^", Args: []types.T{types.Float8, types.Float8}, Ret: types.Float8, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return floatPower(a[0].(float64), a[1].(float64))
	}})

	// Strings.
	r.addOp(&Overload{Op: "||", Args: []types.T{types.Text, types.Text}, Ret: types.Text, AnyText: AnyTextCat, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return a[0].(string) + a[1].(string), nil
	}})
	r.addOp(&Overload{Op: "||", Args: []types.T{types.Bytea, types.Bytea}, Ret: types.Bytea, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return append(append([]byte(nil), a[0].([]byte)...), a[1].([]byte)...), nil
	}})
	for _, op := range []string{"~~", "!~~", "~~*", "!~~*"} {
		op := op
		r.addOp(&Overload{Op: op, Args: []types.T{types.Text, types.Text}, Ret: types.Bool, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			s, p := a[0].(string), a[1].(string)
			if strings.Contains(op, "*") {
				s, p = strings.ToLower(s), strings.ToLower(p)
			}
			m, err := Like(s, p)
			if err != nil {
				return nil, err
			}
			return m != strings.HasPrefix(op, "!"), nil
		}})
	}

	// Date and time arithmetic.
	r.addOp(&Overload{Op: "+", Args: []types.T{types.Date, types.Int4}, Ret: types.Date, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.DateAddDays(a[0].(types.DDate), a[1].(int64))
	}})
	r.addOp(&Overload{Op: "+", Args: []types.T{types.Int4, types.Date}, Ret: types.Date, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.DateAddDays(a[1].(types.DDate), a[0].(int64))
	}})
	r.addOp(&Overload{Op: "-", Args: []types.T{types.Date, types.Int4}, Ret: types.Date, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.DateAddDays(a[0].(types.DDate), -a[1].(int64))
	}})
	r.addOp(&Overload{Op: "-", Args: []types.T{types.Date, types.Date}, Ret: types.Int4, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.DateSub(a[0].(types.DDate), a[1].(types.DDate))
	}})
	r.addOp(&Overload{Op: "+", Args: []types.T{types.Date, types.Interval}, Ret: types.Timestamp, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.DateAddInterval(a[0].(types.DDate), a[1].(types.DInterval))
	}})
	r.addOp(&Overload{Op: "-", Args: []types.T{types.Date, types.Interval}, Ret: types.Timestamp, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.DateSubInterval(a[0].(types.DDate), a[1].(types.DInterval))
	}})
	for _, t := range []types.T{types.Timestamp, types.TimestampTZ} {
		t := t
		loc := func(env Env) *timeLocation {
			if t == types.TimestampTZ {
				return location(env)
			}
			return nil
		}
		r.addOp(&Overload{Op: "+", Args: []types.T{t, types.Interval}, Ret: t, Volatility: stableIfTZ(t), Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			return arith.TimestampAddInterval(a[0].(types.DTimestamp), a[1].(types.DInterval), loc(env))
		}})
		r.addOp(&Overload{Op: "+", Args: []types.T{types.Interval, t}, Ret: t, Volatility: stableIfTZ(t), Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			return arith.TimestampAddInterval(a[1].(types.DTimestamp), a[0].(types.DInterval), loc(env))
		}})
		r.addOp(&Overload{Op: "-", Args: []types.T{t, types.Interval}, Ret: t, Volatility: stableIfTZ(t), Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			return arith.TimestampSubInterval(a[0].(types.DTimestamp), a[1].(types.DInterval), loc(env))
		}})
		r.addOp(&Overload{Op: "-", Args: []types.T{t, t}, Ret: types.Interval, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			return arith.TimestampSub(a[0].(types.DTimestamp), a[1].(types.DTimestamp))
		}})
	}
	r.addOp(&Overload{Op: "+", Args: []types.T{types.Interval, types.Interval}, Ret: types.Interval, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.IntervalAdd(a[0].(types.DInterval), a[1].(types.DInterval))
	}})
	r.addOp(&Overload{Op: "-", Args: []types.T{types.Interval, types.Interval}, Ret: types.Interval, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.IntervalSub(a[0].(types.DInterval), a[1].(types.DInterval))
	}})
	r.addOp(&Overload{Op: "-", Args: []types.T{types.Interval}, Ret: types.Interval, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.IntervalNeg(a[0].(types.DInterval))
	}})
	r.addOp(&Overload{Op: "*", Args: []types.T{types.Interval, types.Float8}, Ret: types.Interval, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.IntervalMulFloat(a[0].(types.DInterval), a[1].(float64))
	}})
	r.addOp(&Overload{Op: "*", Args: []types.T{types.Float8, types.Interval}, Ret: types.Interval, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.IntervalMulFloat(a[1].(types.DInterval), a[0].(float64))
	}})
	r.addOp(&Overload{Op: "/", Args: []types.T{types.Interval, types.Float8}, Ret: types.Interval, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.IntervalDivFloat(a[0].(types.DInterval), a[1].(float64))
	}})
}

func stableIfTZ(t types.T) Volatility {
	if t == types.TimestampTZ {
		return Stable
	}
	return Immutable
}

func identity(_ Env, a []types.Datum) (types.Datum, error) { return a[0], nil }

func cmpTest(op string) func(int) bool {
	switch op {
	case "=":
		return func(c int) bool { return c == 0 }
	case "<>":
		return func(c int) bool { return c != 0 }
	case "<":
		return func(c int) bool { return c < 0 }
	case "<=":
		return func(c int) bool { return c <= 0 }
	case ">":
		return func(c int) bool { return c > 0 }
	}
	return func(c int) bool { return c >= 0 }
}

// Like matches s against a LIKE pattern with the default escape '\'.
func Like(s, p string) (bool, error) {
	sr, pr := []rune(s), []rune(p)
	var match func(i, j int) (bool, error)
	match = func(i, j int) (bool, error) {
		for j < len(pr) {
			switch c := pr[j]; c {
			case '%':
				for j < len(pr) && pr[j] == '%' {
					j++
				}
				if j == len(pr) {
					return true, nil
				}
				for k := i; k <= len(sr); k++ {
					if ok, err := match(k, j); ok || err != nil {
						return ok, err
					}
				}
				return false, nil
			case '_':
				if i >= len(sr) {
					return false, nil
				}
				i++
				j++
			case '\\':
				if j+1 >= len(pr) {
					return false, pgerror.New(pgerror.InvalidEscapeSequence, "LIKE pattern must not end with escape character")
				}
				if i >= len(sr) || sr[i] != pr[j+1] {
					return false, nil
				}
				i++
				j += 2
			default:
				if i >= len(sr) || sr[i] != c {
					return false, nil
				}
				i++
				j++
			}
		}
		return i == len(sr), nil
	}
	return match(0, 0)
}
