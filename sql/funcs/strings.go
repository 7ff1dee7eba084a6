package funcs

import (
	"github.com/aegisdb/aegis/sql/parser"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

func registerStringFunctions(r *Registry) {
	r.addFn(&Overload{Name: "quote_ident", Args: []types.T{types.Text}, Ret: types.Text, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return parser.QuoteIdent(a[0].(string)), nil
	}})
	r.addFn(&Overload{Name: "quote_literal", Args: []types.T{types.Text}, Ret: types.Text, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return QuoteLiteral(a[0].(string)), nil
	}})
	r.addFn(&Overload{Name: "quote_nullable", Args: []types.T{types.Text}, Ret: types.Text, NonStrict: true, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		if a[0] == nil {
			return "NULL", nil
		}
		return QuoteLiteral(a[0].(string)), nil
	}})
	text2 := []types.T{types.Text, types.Text}
	text3 := []types.T{types.Text, types.Text, types.Text}
	r.addFn(&Overload{Name: "position", Args: text2, Ret: types.Int4, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		// POSITION(sub IN s) arrives as position(s, sub).
		i := strings.Index(a[0].(string), a[1].(string))
		if i < 0 {
			return int64(0), nil
		}
		return int64(utf8.RuneCountInString(a[0].(string)[:i]) + 1), nil
	}})
	r.addFn(&Overload{Name: "split_part", Args: []types.T{types.Text, types.Text, types.Int4}, Ret: types.Text, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		s, sep, n := a[0].(string), a[1].(string), a[2].(int64)
		if n == 0 {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "field position must not be zero")
		}
		var parts []string
		if sep == "" {
			parts = []string{s}
		} else {
			parts = strings.Split(s, sep)
		}
		if n < 0 {
			n = int64(len(parts)) + n + 1
		}
		if n < 1 || n > int64(len(parts)) {
			return "", nil
		}
		return parts[n-1], nil
	}})
	leftRight := func(name string, left bool) {
		r.addFn(&Overload{Name: name, Args: []types.T{types.Text, types.Int4}, Ret: types.Text, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			rs := []rune(a[0].(string))
			n := int(a[1].(int64))
			if n < 0 {
				n = max(len(rs)+n, 0)
			}
			n = min(n, len(rs))
			if left {
				return string(rs[:n]), nil
			}
			return string(rs[len(rs)-n:]), nil
		}})
	}
	leftRight("left", true)
	leftRight("right", false)
	pad := func(name string, left bool) {
		fn := func(_ Env, a []types.Datum) (types.Datum, error) {
			rs := []rune(a[0].(string))
			n := int(a[1].(int64))
			fill := " "
			if len(a) > 2 {
				fill = a[2].(string)
			}
			if n < 0 {
				n = 0
			}
			if n > 10485760 {
				return nil, pgerror.New(pgerror.ProgramLimitExceeded, "requested length too large")
			}
			if len(rs) >= n {
				return string(rs[:n]), nil
			}
			f := []rune(fill)
			if len(f) == 0 {
				return string(rs), nil
			}
			padding := make([]rune, 0, n-len(rs))
			for i := 0; len(padding) < n-len(rs); i++ {
				padding = append(padding, f[i%len(f)])
			}
			if left {
				return string(padding) + string(rs), nil
			}
			return string(rs) + string(padding), nil
		}
		r.addFn(&Overload{Name: name, Args: []types.T{types.Text, types.Int4}, Ret: types.Text, Fn: fn})
		r.addFn(&Overload{Name: name, Args: []types.T{types.Text, types.Int4, types.Text}, Ret: types.Text, Fn: fn})
	}
	pad("lpad", true)
	pad("rpad", false)
	trim := func(name string, f func(string, string) string) {
		r.addFn(&Overload{Name: name, Args: text2, Ret: types.Text, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			return f(a[0].(string), a[1].(string)), nil
		}})
	}
	trim("btrim", strings.Trim)
	trim("ltrim", strings.TrimLeft)
	trim("rtrim", strings.TrimRight)
	r.addFn(&Overload{Name: "concat_ws", Args: []types.T{types.Text, types.Text}, Variadic: true, AnyText: AnyTextAll, Ret: types.Text, NonStrict: true, Volatility: Stable,
		Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			var parts []string
			for _, v := range a[1:] {
				if v != nil {
					parts = append(parts, v.(string))
				}
			}
			return strings.Join(parts, a[0].(string)), nil
		}})
	r.addFn(&Overload{Name: "initcap", Args: []types.T{types.Text}, Ret: types.Text, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		var b strings.Builder
		prevAlnum := false
		for _, c := range a[0].(string) {
			if prevAlnum {
				b.WriteRune(unicode.ToLower(c))
			} else {
				b.WriteRune(unicode.ToUpper(c))
			}
			prevAlnum = unicode.IsLetter(c) || unicode.IsDigit(c)
		}
		return b.String(), nil
	}})
	r.addFn(&Overload{Name: "translate", Args: text3, Ret: types.Text, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		from, to := []rune(a[1].(string)), []rune(a[2].(string))
		var b strings.Builder
		for _, c := range a[0].(string) {
			i := -1
			for k, f := range from {
				if f == c {
					i = k
					break
				}
			}
			switch {
			case i < 0:
				b.WriteRune(c)
			case i < len(to):
				b.WriteRune(to[i])
			}
		}
		return b.String(), nil
	}})
	r.addFn(&Overload{Name: "starts_with", Args: text2, Ret: types.Bool, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		return strings.HasPrefix(a[0].(string), a[1].(string)), nil
	}})
	r.addFn(&Overload{Name: "ascii", Args: []types.T{types.Text}, Ret: types.Int4, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		s := a[0].(string)
		if s == "" {
			return int64(0), nil
		}
		c, _ := utf8.DecodeRuneInString(s)
		return int64(c), nil
	}})
	r.addFn(&Overload{Name: "chr", Args: []types.T{types.Int4}, Ret: types.Text, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		n := a[0].(int64)
		if n == 0 {
			return nil, pgerror.New(pgerror.ProgramLimitExceeded, "null character not permitted")
		}
		if n < 0 || n > unicode.MaxRune || !utf8.ValidRune(rune(n)) {
			return nil, pgerror.New(pgerror.ProgramLimitExceeded, "requested character too large for encoding: %d", n)
		}
		return string(rune(n)), nil
	}})
	for _, t := range []types.T{types.Int4, types.Int8} {
		r.addFn(&Overload{Name: "to_hex", Args: []types.T{t}, Ret: types.Text, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			v := a[0].(int64)
			if t == types.Int4 {
				return strconv.FormatUint(uint64(uint32(v)), 16), nil
			}
			return strconv.FormatUint(uint64(v), 16), nil
		}})
	}
}

// QuoteLiteral is quote_literal: s in single quotes with quotes doubled,
// and as an E” string with doubled backslashes when it has any.
func QuoteLiteral(s string) string {
	var b strings.Builder
	if strings.Contains(s, "\\") {
		b.WriteByte('E')
	}
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' || s[i] == '\\' {
			b.WriteByte(s[i])
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('\'')
	return b.String()
}
