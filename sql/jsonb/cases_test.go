package jsonb

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aegisdb/aegis/sql/pgerror"
)

// A case is one operator or function application, run both through this
// package and, as SQL, through PostgreSQL. Results are rendered as text:
// one line per row, columns joined by "|", NULL as "NULL", errors as
// "ERROR <code>: <message>" plus DETAIL/HINT/CONTEXT lines.
type testCase struct {
	op   string
	args []any // string (json text or text), int64, bool, path
}

// path is a text[] argument; a nil element is NULL.
type path []*string

func p(elems ...any) path {
	out := path{}
	for _, e := range elems {
		if e == nil {
			out = append(out, nil)
			continue
		}
		s := e.(string)
		out = append(out, &s)
	}
	return out
}

// sqlLiteral renders a path as a text[] literal.
func (pa path) sqlLiteral() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, e := range pa {
		if i > 0 {
			b.WriteByte(',')
		}
		if e == nil {
			b.WriteString("NULL")
			continue
		}
		b.WriteByte('"')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(*e))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func (c testCase) key() string {
	var b strings.Builder
	b.WriteString(c.op)
	for _, a := range c.args {
		b.WriteString(" ")
		switch t := a.(type) {
		case path:
			b.WriteString(t.sqlLiteral())
		case string:
			fmt.Fprintf(&b, "%q", t)
		default:
			fmt.Fprintf(&b, "%v", t)
		}
	}
	return b.String()
}

// sqlArgs returns the case's query arguments, all as text.
func (c testCase) sqlArgs() []any {
	out := make([]any, len(c.args))
	for i, a := range c.args {
		switch t := a.(type) {
		case path:
			out[i] = t.sqlLiteral()
		case string:
			out[i] = t
		default:
			out[i] = fmt.Sprint(t)
		}
	}
	return out
}

type opDef struct {
	sql string // query over $1..$n (all text parameters)
	run func(args []any) (string, error)
}

func renderErr(err error) string {
	var pe *pgerror.Error
	if !errors.As(err, &pe) {
		return "ERROR ?: " + err.Error()
	}
	s := fmt.Sprintf("ERROR %s: %s", pe.Code, pe.Message)
	if pe.Detail != "" {
		s += "\nDETAIL: " + pe.Detail
	}
	if pe.Hint != "" {
		s += "\nHINT: " + pe.Hint
	}
	if pe.Where != "" {
		s += "\nCONTEXT: " + pe.Where
	}
	return s
}

func nullable(s string, ok bool) string {
	if !ok {
		return "NULL"
	}
	return s
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// jb parses a jsonb argument.
func jb(a any) (Value, error) { return ParseJSONB(a.(string)) }

// with1 and with2 parse the leading jsonb arguments of an operator.
func with1(f func(v Value, args []any) (string, error)) func([]any) (string, error) {
	return func(args []any) (string, error) {
		v, err := jb(args[0])
		if err != nil {
			return "", err
		}
		return f(v, args[1:])
	}
}

func with2(f func(a, b Value, args []any) (string, error)) func([]any) (string, error) {
	return func(args []any) (string, error) {
		a, err := jb(args[0])
		if err != nil {
			return "", err
		}
		b, err := jb(args[1])
		if err != nil {
			return "", err
		}
		return f(a, b, args[2:])
	}
}

func pathArg(a any) []*string { return []*string(a.(path)) }

func valErr(v Value, err error) (string, error) {
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

var ops = map[string]opDef{
	"jsonb_in": {`SELECT $1::jsonb::text`, with1(func(v Value, _ []any) (string, error) { return v.String(), nil })},
	"json_in": {`SELECT $1::json::text`, func(args []any) (string, error) {
		if err := ValidateJSON(args[0].(string)); err != nil {
			return "", err
		}
		return args[0].(string), nil
	}},
	"json_to_jsonb": {`SELECT $1::json::jsonb::text`, func(args []any) (string, error) {
		if err := ValidateJSON(args[0].(string)); err != nil {
			return "", err
		}
		v, err := ParseJSON(args[0].(string))
		if err != nil {
			return "", err
		}
		return Normalize(v).String(), nil
	}},
	"jsonb_pretty": {`SELECT jsonb_pretty($1::jsonb)`, with1(func(v Value, _ []any) (string, error) { return v.Pretty(), nil })},
	"jsonb_typeof": {`SELECT jsonb_typeof($1::jsonb)`, with1(func(v Value, _ []any) (string, error) { return Typeof(v), nil })},
	"->": {`SELECT ($1::jsonb -> $2::text)::text`, with1(func(v Value, a []any) (string, error) {
		r, ok := Field(v, a[0].(string))
		return nullable(r.String(), ok), nil
	})},
	"->>": {`SELECT $1::jsonb ->> $2::text`, with1(func(v Value, a []any) (string, error) {
		return nullable(FieldText(v, a[0].(string))), nil
	})},
	"->int": {`SELECT ($1::jsonb -> $2::int)::text`, with1(func(v Value, a []any) (string, error) {
		r, ok := Index(v, a[0].(int64))
		return nullable(r.String(), ok), nil
	})},
	"->>int": {`SELECT $1::jsonb ->> $2::int`, with1(func(v Value, a []any) (string, error) {
		return nullable(IndexText(v, a[0].(int64))), nil
	})},
	"#>": {`SELECT ($1::jsonb #> $2::text[])::text`, with1(func(v Value, a []any) (string, error) {
		r, ok := ExtractPath(v, pathArg(a[0]))
		return nullable(r.String(), ok), nil
	})},
	"#>>": {`SELECT $1::jsonb #>> $2::text[]`, with1(func(v Value, a []any) (string, error) {
		return nullable(ExtractPathText(v, pathArg(a[0]))), nil
	})},
	"@>": {`SELECT ($1::jsonb @> $2::jsonb)::text`, with2(func(a, b Value, _ []any) (string, error) { return boolText(Contains(a, b)), nil })},
	"<@": {`SELECT ($1::jsonb <@ $2::jsonb)::text`, with2(func(a, b Value, _ []any) (string, error) { return boolText(Contains(b, a)), nil })},
	"cmp": {`SELECT (($1::jsonb > $2::jsonb)::int - ($1::jsonb < $2::jsonb)::int)::text || ' ' || ($1::jsonb = $2::jsonb)::text`,
		with2(func(a, b Value, _ []any) (string, error) {
			return fmt.Sprintf("%d %s", Compare(a, b), boolText(Equal(a, b))), nil
		})},
	"?":    {`SELECT ($1::jsonb ? $2::text)::text`, with1(func(v Value, a []any) (string, error) { return boolText(Exists(v, a[0].(string))), nil })},
	"?|":   {`SELECT ($1::jsonb ?| $2::text[])::text`, with1(func(v Value, a []any) (string, error) { return boolText(ExistsAny(v, pathArg(a[0]))), nil })},
	"?&":   {`SELECT ($1::jsonb ?& $2::text[])::text`, with1(func(v Value, a []any) (string, error) { return boolText(ExistsAll(v, pathArg(a[0]))), nil })},
	"||":   {`SELECT ($1::jsonb || $2::jsonb)::text`, with2(func(a, b Value, _ []any) (string, error) { return Concat(a, b).String(), nil })},
	"-":    {`SELECT ($1::jsonb - $2::text)::text`, with1(func(v Value, a []any) (string, error) { return valErr(DeleteKey(v, a[0].(string))) })},
	"-int": {`SELECT ($1::jsonb - $2::int)::text`, with1(func(v Value, a []any) (string, error) { return valErr(DeleteIndex(v, a[0].(int64))) })},
	"-arr": {`SELECT ($1::jsonb - $2::text[])::text`, with1(func(v Value, a []any) (string, error) { return valErr(DeleteKeys(v, pathArg(a[0]))) })},
	"#-":   {`SELECT ($1::jsonb #- $2::text[])::text`, with1(func(v Value, a []any) (string, error) { return valErr(DeletePath(v, pathArg(a[0]))) })},
	"jsonb_array_length": {`SELECT jsonb_array_length($1::jsonb)::text`, with1(func(v Value, _ []any) (string, error) {
		n, err := ArrayLength(v)
		return fmt.Sprint(n), err
	})},
	"jsonb_object_keys": {`SELECT jsonb_object_keys($1::jsonb)`, with1(func(v Value, _ []any) (string, error) {
		keys, err := ObjectKeys(v)
		return strings.Join(keys, "\n"), err
	})},
	"jsonb_each": {`SELECT key, value::text FROM jsonb_each($1::jsonb)`, with1(func(v Value, _ []any) (string, error) {
		pairs, err := Each(v)
		var rows []string
		for _, p := range pairs {
			rows = append(rows, p.Key+"|"+p.Value.String())
		}
		return strings.Join(rows, "\n"), err
	})},
	"jsonb_each_text": {`SELECT key, value FROM jsonb_each_text($1::jsonb)`, with1(func(v Value, _ []any) (string, error) {
		pairs, err := EachText(v)
		var rows []string
		for _, p := range pairs {
			s := "NULL"
			if p.Value != nil {
				s = *p.Value
			}
			rows = append(rows, p.Key+"|"+s)
		}
		return strings.Join(rows, "\n"), err
	})},
	"jsonb_array_elements": {`SELECT value::text FROM jsonb_array_elements($1::jsonb)`, with1(func(v Value, _ []any) (string, error) {
		elems, err := ArrayElements(v)
		var rows []string
		for _, e := range elems {
			rows = append(rows, e.String())
		}
		return strings.Join(rows, "\n"), err
	})},
	"jsonb_array_elements_text": {`SELECT value FROM jsonb_array_elements_text($1::jsonb)`, with1(func(v Value, _ []any) (string, error) {
		elems, err := ArrayElementsText(v)
		var rows []string
		for _, e := range elems {
			if e == nil {
				rows = append(rows, "NULL")
			} else {
				rows = append(rows, *e)
			}
		}
		return strings.Join(rows, "\n"), err
	})},
	"jsonb_set": {`SELECT jsonb_set($1::jsonb, $3::text[], $2::jsonb, $4::bool)::text`, with2(func(a, b Value, args []any) (string, error) {
		return valErr(Set(a, pathArg(args[0]), b, args[1].(bool)))
	})},
	"jsonb_insert": {`SELECT jsonb_insert($1::jsonb, $3::text[], $2::jsonb, $4::bool)::text`, with2(func(a, b Value, args []any) (string, error) {
		return valErr(Insert(a, pathArg(args[0]), b, args[1].(bool)))
	})},
	"jsonb_strip_nulls": {`SELECT jsonb_strip_nulls($1::jsonb)::text`, with1(func(v Value, _ []any) (string, error) { return StripNulls(v).String(), nil })},
	"jsonb_send": {`SELECT encode(jsonb_send($1::jsonb), 'hex')`, with1(func(v Value, _ []any) (string, error) {
		return fmt.Sprintf("%x", v.AppendSend(nil)), nil
	})},
}

// inputs are documents for jsonb_in, json_in and the casts.
var inputs = []string{
	`null`, `true`, `false`, `0`, `-0`, `-0.00`, `1.50`, `1e3`, `1E+3`, `1.0e1`, `1e-2`, `-1.5e-5`, `123456789012345678901234567890.123`,
	`0.000`, `1e-16383`, `1e-16384`, `0e-20000`, `1e1000000`, `9e131071`, `1e131072`, `0.1e-2`,
	`""`, `"abc"`, `"\""`, `"\\ \/ \b \f \n \r \t"`, `"\u00e9\u0041"`, `"é€😀"`, `"\ud83d\ude00"`, `"\u001f\u007f\u0080"`,
	`"a\u0000b"`, `"\ud800"`, `"\ud800x"`, `"\udc00"`, `"\ud800\ud800"`, `"\ud800\n"`, `"\u12"`, `"\u12g4"`, `"\q"`, `"\é"`, `"abc`, `"\`, `"a` + "\t" + `b"`, "\"\x01\"",
	`[]`, `[  ]`, `{}`, `{ }`, `[1,2,3]`, `[1, [2, [3, []]], {}]`, `{"a":1,"b":[1,2,"x"]}`, `{"b":1,"aa":2,"a":3}`, `{"a":1,"a":2}`, `{"a":{"x":1},"a":{"y":2}}`,
	` {"a" : 1 } `, "\n[1,\n2]\n", `{"":0,"é":1,"e":2,"ab":3}`,
	``, ` `, `{`, `[`, `{"a"`, `{"a":`, `{"a":1`, `[1,2`, `{"a" , 1}`, `{"a":1,}`, `[1,]`, `{1:2}`, `{"a":1 "b"}`, `[1 2]`, `"a" "b"`, `[1,2]]`, `]`, `}`, `:`, `,`,
	`@`, `é`, `-`, `-x`, `1.`, `.5`, `1e`, `1e+`, `1.5e`, `01`, `-01`, `12abc`, `trueX`, `True`, `nul`, `NULL`, `[1] x`, `{"a":1}x`, `1 2`,
	`{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": 1, x}`, "{\n\"a\":1,\n  x}", "[1,\r\n2,\n  3 4]", `["éééééééééééééééééééééééééééééééééééééééééééééééééééééé", x]`,
	`[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,x]`, "[1,\n2,\n3,\n" + strings.Repeat("4,", 30) + "x]",
	strings.Repeat("[", 100) + strings.Repeat("]", 100),
}

var docs = []string{
	`{"a": 1, "b": [1, 2, {"c": "x"}], "c": null, "d": {"e": {"f": true}}, "aa": "s"}`,
	`[1, "a", null, true, [2, 3], {"k": "v"}, "b", 1.50]`, `"str"`, `1`, `null`, `[]`, `{}`, `["a", "b", "a"]`,
}

func pathCases(op string, paths ...path) []testCase {
	var out []testCase
	for _, d := range docs {
		for _, pa := range paths {
			out = append(out, testCase{op, []any{d, pa}})
		}
	}
	return out
}

func allCases() []testCase {
	var cs []testCase
	for _, in := range inputs {
		for _, op := range []string{"jsonb_in", "json_in", "json_to_jsonb"} {
			cs = append(cs, testCase{op, []any{in}})
		}
	}
	for _, in := range append(docs, `{"a":[1,{"b":[]},{}],"c":{"d":"x"}}`, `[[], {}, [[]], {"a": {}}]`, `"x"`) {
		cs = append(cs, testCase{"jsonb_pretty", []any{in}}, testCase{"jsonb_typeof", []any{in}},
			testCase{"jsonb_array_length", []any{in}}, testCase{"jsonb_object_keys", []any{in}},
			testCase{"jsonb_each", []any{in}}, testCase{"jsonb_each_text", []any{in}},
			testCase{"jsonb_array_elements", []any{in}}, testCase{"jsonb_array_elements_text", []any{in}},
			testCase{"jsonb_strip_nulls", []any{in}}, testCase{"jsonb_send", []any{in}})
	}
	cs = append(cs, testCase{"jsonb_strip_nulls", []any{`{"a": null, "b": [null, {"c": null, "d": 1}], "e": {"f": null}}`}},
		testCase{"json_to_jsonb", []any{`{"a":1,"b":{"c":1,"c":[{"x":1,"x":2}]},"a":3}`}})
	for _, d := range docs {
		for _, k := range []string{"a", "b", "aa", "c", "x", "", "str"} {
			cs = append(cs, testCase{"->", []any{d, k}}, testCase{"->>", []any{d, k}}, testCase{"?", []any{d, k}},
				testCase{"-", []any{d, k}})
		}
		for _, i := range []int64{0, 1, 2, 5, 7, 8, -1, -2, -8, -9, 100, -100} {
			cs = append(cs, testCase{"->int", []any{d, i}}, testCase{"->>int", []any{d, i}}, testCase{"-int", []any{d, i}})
		}
		for _, ks := range []path{p(), p("a"), p("a", "b"), p("x", "y"), p("a", nil), p(nil), p("str", "z")} {
			cs = append(cs, testCase{"?|", []any{d, ks}}, testCase{"?&", []any{d, ks}}, testCase{"-arr", []any{d, ks}})
		}
	}
	paths := []path{p(), p("a"), p("b", "1"), p("b", "2", "c"), p("b", "-1", "c"), p("b", "x"), p("b", " 1"), p("b", "+1"), p("b", "1 "),
		p("b", "-4"), p("b", "3"), p("b", "99"), p("d", "e", "f"), p("d", "e", "g"), p("d", "x", "y"), p("a", "b"), p("0"), p("4", "k"),
		p("-1"), p("-9"), p("1"), p("8"), p(nil), p("a", nil), p("zz", nil), p("c"), p("c", "x"), p("2147483648"), p("x")}
	cs = append(cs, pathCases("#>", paths...)...)
	cs = append(cs, pathCases("#>>", paths...)...)
	cs = append(cs, pathCases("#-", paths...)...)
	for _, d := range docs {
		for _, pa := range paths {
			for _, b := range []bool{true, false} {
				cs = append(cs, testCase{"jsonb_set", []any{d, `{"new": 1}`, pa, b}}, testCase{"jsonb_insert", []any{d, `"new"`, pa, b}})
			}
		}
	}
	pairDocs := []string{`null`, `"a"`, `"b"`, `""`, `1`, `1.0`, `2`, `-1`, `true`, `false`, `[]`, `[1]`, `[2]`, `[1, 2]`, `["a"]`, `[[1]]`, `[{"a":1}]`,
		`{}`, `{"a":1}`, `{"b":1}`, `{"a":2}`, `{"aa":1}`, `{"a":1,"b":2}`, `{"a":[1,2]}`, `{"a":{"b":1}}`, `[1, [2, 3]]`, `[1, 1, 2]`,
		`{"a":1,"b":{"c":[1,2,{"d":3}]}}`, `{"b":{"c":[{"d":3}]}}`, `{"b":{"c":[{}]}}`, `[[1, 2], [3]]`, `[[3], [2]]`}
	for _, a := range pairDocs {
		for _, b := range pairDocs {
			cs = append(cs, testCase{"@>", []any{a, b}}, testCase{"cmp", []any{a, b}}, testCase{"||", []any{a, b}})
		}
	}
	cs = append(cs, testCase{"<@", []any{`[1]`, `[1, 2]`}}, testCase{"<@", []any{`{"a":1}`, `{"a":1,"b":2}`}})
	return cs
}

// runCase runs c through the package.
func runCase(c testCase) string {
	def, ok := ops[c.op]
	if !ok {
		return "unknown op " + c.op
	}
	s, err := def.run(c.args)
	if err != nil {
		return renderErr(err)
	}
	return s
}
