package funcs

import (
	"crypto/rand"
	"github.com/aegisdb/aegis/sql/pgerror"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"

	"github.com/aegisdb/aegis/sql/arith"
	"github.com/aegisdb/aegis/sql/types"
)

type timeLocation = time.Location

func location(env Env) *time.Location {
	if s := env.Settings(); s != nil && s.Location != nil {
		return s.Location
	}
	return time.UTC
}

// ServerVersion is the PostgreSQL version Aegis reports (server_version).
const ServerVersion = "15.8"

// ServerVersionNum is server_version_num.
const ServerVersionNum = "150008"

// AegisVersion is Aegis's own version.
var AegisVersion = "0.1.0-dev"

// VersionString is what version() returns: PostgreSQL's shape first, as
// tools parse it, then Aegis's own version.
func VersionString() string {
	return "PostgreSQL " + ServerVersion + " (Aegis " + AegisVersion + ") on x86_64-pc-linux-gnu, compiled by Go, 64-bit"
}

func registerFunctions(r *Registry) {
	str := func(name string, f func(string) string) {
		r.addFn(&Overload{Name: name, Args: []types.T{types.Text}, Ret: types.Text, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			return f(a[0].(string)), nil
		}})
	}
	r.addFn(&Overload{Name: "version", Ret: types.Text, Volatility: Stable, Fn: func(Env, []types.Datum) (types.Datum, error) {
		return VersionString(), nil
	}})
	r.addFn(&Overload{Name: "current_database", Ret: types.Name, Volatility: Stable, Fn: func(env Env, _ []types.Datum) (types.Datum, error) {
		return env.CurrentDatabase(), nil
	}})
	for _, n := range []string{"current_user", "session_user", "user", "current_role"} {
		r.addFn(&Overload{Name: n, Ret: types.Name, Volatility: Stable, Fn: func(env Env, _ []types.Datum) (types.Datum, error) {
			return env.CurrentUser(), nil
		}})
	}
	r.addFn(&Overload{Name: "current_schema", Ret: types.Name, Volatility: Stable, Fn: func(Env, []types.Datum) (types.Datum, error) {
		return "public", nil
	}})
	for _, n := range []string{"now", "transaction_timestamp", "current_timestamp"} {
		r.addFn(&Overload{Name: n, Ret: types.TimestampTZ, Volatility: Stable, Fn: func(env Env, _ []types.Datum) (types.Datum, error) {
			return env.TxnTimestamp(), nil
		}})
	}
	r.addFn(&Overload{Name: "statement_timestamp", Ret: types.TimestampTZ, Volatility: Stable, Fn: func(env Env, _ []types.Datum) (types.Datum, error) {
		return env.TxnTimestamp(), nil
	}})
	r.addFn(&Overload{Name: "clock_timestamp", Ret: types.TimestampTZ, Volatility: Volatile, Fn: func(Env, []types.Datum) (types.Datum, error) {
		return types.DTimestamp(time.Now().UnixMicro()), nil
	}})
	r.addFn(&Overload{Name: "current_date", Ret: types.Date, Volatility: Stable, Fn: func(env Env, _ []types.Datum) (types.Datum, error) {
		t := time.UnixMicro(int64(env.TxnTimestamp())).In(location(env))
		y, m, d := t.Date()
		return types.DDate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400), nil
	}})
	r.addFn(&Overload{Name: "localtimestamp", Ret: types.Timestamp, Volatility: Stable, Fn: func(env Env, _ []types.Datum) (types.Datum, error) {
		t := time.UnixMicro(int64(env.TxnTimestamp())).In(location(env))
		_, off := t.Zone()
		return types.DTimestamp(int64(env.TxnTimestamp()) + int64(off)*1e6), nil
	}})
	str("lower", strings.ToLower)
	str("upper", strings.ToUpper)
	str("btrim", func(s string) string { return strings.Trim(s, " ") })
	str("ltrim", func(s string) string { return strings.TrimLeft(s, " ") })
	str("rtrim", func(s string) string { return strings.TrimRight(s, " ") })
	str("reverse", func(s string) string {
		r := []rune(s)
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return string(r)
	})
	str("md5", md5hex)
	for _, n := range []string{"length", "char_length", "character_length"} {
		r.addFn(&Overload{Name: n, Args: []types.T{types.Text}, Ret: types.Int4, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			return int64(utf8.RuneCountInString(a[0].(string))), nil
		}})
	}
	r.addFn(&Overload{Name: "octet_length", Args: []types.T{types.Text}, Ret: types.Int4, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return int64(len(a[0].(string))), nil
	}})
	r.addFn(&Overload{Name: "length", Args: []types.T{types.Bytea}, Ret: types.Int4, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return int64(len(a[0].([]byte))), nil
	}})
	substr := func(_ Env, a []types.Datum) (types.Datum, error) {
		rs := []rune(a[0].(string))
		start := a[1].(int64)
		end := int64(math.MaxInt64)
		if len(a) > 2 {
			n := a[2].(int64)
			if n < 0 {
				return nil, errNegativeSubstring()
			}
			end = start + n
		}
		if start < 1 {
			start = 1
		}
		if end > int64(len(rs))+1 {
			end = int64(len(rs)) + 1
		}
		if start >= end {
			return "", nil
		}
		return string(rs[start-1 : end-1]), nil
	}
	for _, n := range []string{"substr", "substring"} {
		r.addFn(&Overload{Name: n, Args: []types.T{types.Text, types.Int4}, Ret: types.Text, Fn: substr})
		r.addFn(&Overload{Name: n, Args: []types.T{types.Text, types.Int4, types.Int4}, Ret: types.Text, Fn: substr})
	}
	r.addFn(&Overload{Name: "substring", Args: []types.T{types.Text, types.Text}, Ret: types.Text, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		// substring(string FROM pattern): the first match of a POSIX
		// regular expression, or of its first parenthesized group.
		re, err := compileRegex(a[1].(string), false)
		if err != nil {
			return nil, err
		}
		m := re.FindStringSubmatch(a[0].(string))
		switch {
		case m == nil:
			return nil, nil
		case len(m) > 1:
			return m[1], nil
		}
		return m[0], nil
	}})
	numericRounding := func(name string, f func(d, x *apd.Decimal) error) {
		r.addFn(&Overload{Name: name, Args: []types.T{types.Numeric}, Ret: types.Numeric, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			x := a[0].(*apd.Decimal)
			if x.Form != apd.Finite {
				return x, nil
			}
			d := new(apd.Decimal)
			if err := f(d, x); err != nil {
				return nil, err
			}
			if d.IsZero() {
				d.Negative = false
			}
			return d, nil
		}})
	}
	ctx := apd.BaseContext.WithPrecision(1000)
	numericRounding("ceil", func(d, x *apd.Decimal) error { _, err := ctx.Ceil(d, x); return err })
	numericRounding("ceiling", func(d, x *apd.Decimal) error { _, err := ctx.Ceil(d, x); return err })
	numericRounding("floor", func(d, x *apd.Decimal) error { _, err := ctx.Floor(d, x); return err })
	r.addFn(&Overload{Name: "strpos", Args: []types.T{types.Text, types.Text}, Ret: types.Int4, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		i := strings.Index(a[0].(string), a[1].(string))
		if i < 0 {
			return int64(0), nil
		}
		return int64(utf8.RuneCountInString(a[0].(string)[:i]) + 1), nil
	}})
	r.addFn(&Overload{Name: "replace", Args: []types.T{types.Text, types.Text, types.Text}, Ret: types.Text, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		if a[1].(string) == "" {
			return a[0], nil
		}
		return strings.ReplaceAll(a[0].(string), a[1].(string), a[2].(string)), nil
	}})
	r.addFn(&Overload{Name: "repeat", Args: []types.T{types.Text, types.Int4}, Ret: types.Text, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		n := a[1].(int64)
		if n <= 0 {
			return "", nil
		}
		if int64(len(a[0].(string)))*n > 1<<30 {
			return nil, errRequestedLength()
		}
		return strings.Repeat(a[0].(string), int(n)), nil
	}})
	r.addFn(&Overload{Name: "concat", Args: []types.T{types.Text}, Variadic: true, AnyText: AnyTextAll, Ret: types.Text, NonStrict: true, Volatility: Stable, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		var b strings.Builder
		for _, v := range a {
			if v != nil {
				b.WriteString(v.(string))
			}
		}
		return b.String(), nil
	}})
	randomUUID := func(Env, []types.Datum) (types.Datum, error) {
		var u types.DUUID
		if _, err := rand.Read(u[:]); err != nil {
			return nil, err
		}
		u[6] = (u[6] & 0x0f) | 0x40
		u[8] = (u[8] & 0x3f) | 0x80
		return u, nil
	}
	r.addFn(&Overload{Name: "gen_random_uuid", Ret: types.UUID, Volatility: Volatile, Fn: randomUUID})
	// uuid-ossp's version 4 generator (the extension's other functions
	// are not provided).
	r.addFn(&Overload{Name: "uuid_generate_v4", Ret: types.UUID, Volatility: Volatile, Fn: randomUUID})
	r.addFn(&Overload{Name: "random", Ret: types.Float8, Volatility: Volatile, Fn: func(Env, []types.Datum) (types.Datum, error) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		v := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 | uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48
		return float64(v>>3) / float64(uint64(1)<<53), nil
	}})

	// Sequences.
	r.addFn(&Overload{Name: "nextval", Args: []types.T{types.Text}, Ret: types.Int8, Volatility: Volatile, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
		return env.NextVal(a[0].(string))
	}})
	r.addFn(&Overload{Name: "currval", Args: []types.T{types.Text}, Ret: types.Int8, Volatility: Volatile, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
		return env.CurrVal(a[0].(string))
	}})
	r.addFn(&Overload{Name: "lastval", Ret: types.Int8, Volatility: Volatile, Fn: func(env Env, _ []types.Datum) (types.Datum, error) {
		return env.LastVal()
	}})
	r.addFn(&Overload{Name: "setval", Args: []types.T{types.Text, types.Int8}, Ret: types.Int8, Volatility: Volatile, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
		return env.SetVal(a[0].(string), a[1].(int64), true)
	}})
	r.addFn(&Overload{Name: "setval", Args: []types.T{types.Text, types.Int8, types.Bool}, Ret: types.Int8, Volatility: Volatile, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
		return env.SetVal(a[0].(string), a[1].(int64), a[2].(bool))
	}})
	// The regclass forms (nextval('s'::regclass), as pg_dump writes
	// defaults) name the sequence by OID.
	regclass := types.T{Oid: types.OidRegClass, Typmod: -1}
	seqName := func(env Env, d types.Datum) (string, error) {
		oid := d.(int64)
		if s := env.Settings(); s != nil && s.Names != nil {
			if name, ok := s.Names.RegName(types.OidRegClass, oid); ok {
				return name, nil
			}
		}
		return "", pgerror.New(pgerror.UndefinedTable, "could not open relation with OID %d", oid)
	}
	r.addFn(&Overload{Name: "nextval", Args: []types.T{regclass}, Ret: types.Int8, Volatility: Volatile, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
		name, err := seqName(env, a[0])
		if err != nil {
			return nil, err
		}
		return env.NextVal(name)
	}})
	r.addFn(&Overload{Name: "currval", Args: []types.T{regclass}, Ret: types.Int8, Volatility: Volatile, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
		name, err := seqName(env, a[0])
		if err != nil {
			return nil, err
		}
		return env.CurrVal(name)
	}})
	r.addFn(&Overload{Name: "setval", Args: []types.T{regclass, types.Int8}, Ret: types.Int8, Volatility: Volatile, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
		name, err := seqName(env, a[0])
		if err != nil {
			return nil, err
		}
		return env.SetVal(name, a[1].(int64), true)
	}})
	r.addFn(&Overload{Name: "setval", Args: []types.T{regclass, types.Int8, types.Bool}, Ret: types.Int8, Volatility: Volatile, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
		name, err := seqName(env, a[0])
		if err != nil {
			return nil, err
		}
		return env.SetVal(name, a[1].(int64), a[2].(bool))
	}})

	// Math.
	for _, t := range intTypes {
		t := t
		r.addFn(&Overload{Name: "abs", Args: []types.T{t}, Ret: t, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			v := a[0].(int64)
			if v < 0 {
				return arith.IntNeg(t, v)
			}
			return v, nil
		}})
	}
	r.addFn(&Overload{Name: "abs", Args: []types.T{types.Float8}, Ret: types.Float8, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return math.Abs(a[0].(float64)), nil
	}})
	r.addFn(&Overload{Name: "abs", Args: []types.T{types.Numeric}, Ret: types.Numeric, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		d := new(apd.Decimal).Set(a[0].(*apd.Decimal))
		d.Negative = false
		return d, nil
	}})
	fl := func(name string, f func(float64) float64) {
		r.addFn(&Overload{Name: name, Args: []types.T{types.Float8}, Ret: types.Float8, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			return f(a[0].(float64)), nil
		}})
	}
	fl("floor", math.Floor)
	fl("ceil", math.Ceil)
	fl("ceiling", math.Ceil)
	fl("round", math.RoundToEven)
	fl("trunc", math.Trunc)
	fl("sign", func(v float64) float64 {
		switch {
		case v > 0:
			return 1
		case v < 0:
			return -1
		}
		return 0
	})
	r.addFn(&Overload{Name: "sqrt", Args: []types.T{types.Float8}, Ret: types.Float8, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		v := a[0].(float64)
		if v < 0 {
			return nil, errSqrtNegative()
		}
		return math.Sqrt(v), nil
	}})
	r.addFn(&Overload{Name: "power", Args: []types.T{types.Float8, types.Float8}, Ret: types.Float8, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return math.Pow(a[0].(float64), a[1].(float64)), nil
	}})
	r.addFn(&Overload{Name: "pi", Ret: types.Float8, Fn: func(Env, []types.Datum) (types.Datum, error) { return math.Pi, nil }})
	numRound := func(f func(*apd.Decimal, int32) (*apd.Decimal, error)) Fn {
		return func(_ Env, a []types.Datum) (types.Datum, error) {
			d := a[0].(*apd.Decimal)
			var s int64
			if len(a) > 1 {
				s = a[1].(int64)
			}
			return f(d, int32(s))
		}
	}
	r.addFn(&Overload{Name: "round", Args: []types.T{types.Numeric}, Ret: types.Numeric, Fn: numRound(arith.NumericRound)})
	r.addFn(&Overload{Name: "round", Args: []types.T{types.Numeric, types.Int4}, Ret: types.Numeric, Fn: numRound(arith.NumericRound)})
	r.addFn(&Overload{Name: "trunc", Args: []types.T{types.Numeric}, Ret: types.Numeric, Fn: numRound(arith.NumericTrunc)})
	r.addFn(&Overload{Name: "trunc", Args: []types.T{types.Numeric, types.Int4}, Ret: types.Numeric, Fn: numRound(arith.NumericTrunc)})
	for _, t := range intTypes {
		t := t
		r.addFn(&Overload{Name: "mod", Args: []types.T{t, t}, Ret: t, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			return arith.IntMod(t, a[0].(int64), a[1].(int64))
		}})
	}
	r.addFn(&Overload{Name: "mod", Args: []types.T{types.Numeric, types.Numeric}, Ret: types.Numeric, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return arith.NumericMod(a[0].(*apd.Decimal), a[1].(*apd.Decimal))
	}})
}

// SequenceRow is the one row of SELECT ... FROM a sequence (name is
// schema-qualified): last_value, log_cnt, is_called.
func SequenceRow(name string) *Overload {
	names := []string{"last_value", "log_cnt", "is_called"}
	ts := []types.T{types.Int8, types.Int8, types.Bool}
	return &Overload{Name: "sequence_row", Ret: types.RecordType(names, ts), Volatility: Volatile,
		OutCols: []OutCol{{Name: names[0], T: ts[0]}, {Name: names[1], T: ts[1]}, {Name: names[2], T: ts[2]}},
		Fn: func(env Env, _ []types.Datum) (types.Datum, error) {
			last, called, err := env.SequenceState(name)
			if err != nil {
				return nil, err
			}
			logCnt := int64(0)
			if !called {
				logCnt = 0
			}
			return &types.DRecord{Names: names, Types: ts, Vals: []types.Datum{last, logCnt, called}}, nil
		}}
}
