package jsonb

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aegisdb/aegis/internal/testutil"
)

// randText writes random JSON text: random white space, number spellings
// (exponents, signs, fractions), escapes and duplicate keys.
func randText(r *rand.Rand, b *strings.Builder, depth int) {
	ws := func() {
		for n := r.Intn(3); n > 0; n-- {
			b.WriteByte(" \t\n\r"[r.Intn(4)])
		}
	}
	str := func() {
		b.WriteByte('"')
		for n := r.Intn(5); n > 0; n-- {
			switch r.Intn(6) {
			case 0:
				fmt.Fprintf(b, `\u%04x`, []int{0x41, 0xe9, 0x20ac, 0x1f, 0x7f, 0xffff}[r.Intn(6)])
			case 1:
				b.WriteString([]string{`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\ud83d\ude00`}[r.Intn(9)])
			default:
				rs := []rune("ab é€😀_ -")
				b.WriteRune(rs[r.Intn(len(rs))])
			}
		}
		b.WriteByte('"')
	}
	ws()
	k := r.Intn(7)
	if depth <= 0 {
		k = r.Intn(5)
	}
	switch k {
	case 0:
		b.WriteString([]string{"null", "true", "false"}[r.Intn(3)])
	case 1, 2:
		if r.Intn(3) == 0 {
			b.WriteByte('-')
		}
		if r.Intn(3) == 0 {
			b.WriteByte('0')
		} else {
			fmt.Fprint(b, r.Intn(100000))
		}
		if r.Intn(2) == 0 {
			fmt.Fprintf(b, ".%0*d", r.Intn(4)+1, r.Intn(100))
		}
		if r.Intn(3) == 0 {
			fmt.Fprintf(b, "%s%s%d", []string{"e", "E"}[r.Intn(2)], []string{"", "+", "-"}[r.Intn(3)], r.Intn(30))
		}
	case 3, 4:
		str()
	case 5:
		b.WriteByte('[')
		for i, n := 0, r.Intn(4); i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			randText(r, b, depth-1)
		}
		ws()
		b.WriteByte(']')
	case 6:
		b.WriteByte('{')
		for i, n := 0, r.Intn(4); i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			ws()
			if r.Intn(3) == 0 {
				b.WriteString(`"a"`)
			} else {
				str()
			}
			ws()
			b.WriteByte(':')
			randText(r, b, depth-1)
		}
		ws()
		b.WriteByte('}')
	}
	ws()
}

// mutate damages s at a random byte, to exercise error reports.
func mutate(r *rand.Rand, s string) string {
	if s == "" {
		return "x"
	}
	i := r.Intn(len(s))
	junk := []string{"", "x", ",", ":", "]", "}", "[", "{", `"`, `\`, "\x01", "é", "-", ".", "e", "\n", "0"}[r.Intn(17)]
	if r.Intn(2) == 0 {
		return s[:i] + junk + s[i:]
	}
	return s[:i] + junk + s[i+1:]
}

func randomDocs(n int) []string {
	r := rand.New(rand.NewSource(42))
	docs := make([]string, n)
	for i := range docs {
		var b strings.Builder
		randText(r, &b, 3)
		docs[i] = b.String()
		if r.Intn(3) == 0 {
			// Server text is valid UTF-8: damage whole characters only.
			for m := mutate(r, docs[i]); ; m = mutate(r, docs[i]) {
				if utf8.ValidString(m) {
					docs[i] = m
					break
				}
			}
		}
	}
	return docs
}

// TestRandomTextProperties checks the random documents without
// PostgreSQL: accepted jsonb round-trips through String.
func TestRandomTextProperties(t *testing.T) {
	for _, d := range randomDocs(3000) {
		v, err := ParseJSONB(d)
		if err != nil {
			continue
		}
		if verr := ValidateJSON(d); verr != nil {
			t.Fatalf("%q: jsonb accepts, json rejects: %v", d, verr)
		}
		w, err := ParseJSONB(v.String())
		if err != nil || !Equal(v, w) {
			t.Fatalf("%q: round trip %s -> %s, %v", d, v, w, err)
		}
	}
}

// TestRandomAgainstPostgres compares random documents (some damaged) on
// jsonb_in, json_in, the json -> jsonb cast and jsonb_pretty, and random
// value pairs on ordering, containment and concatenation.
func TestRandomAgainstPostgres(t *testing.T) {
	conn := testutil.ConnectPostgres(t)
	ctx := context.Background()
	var cases []testCase
	for _, d := range randomDocs(400) {
		cases = append(cases, testCase{"jsonb_in", []any{d}}, testCase{"json_in", []any{d}},
			testCase{"json_to_jsonb", []any{d}}, testCase{"jsonb_pretty", []any{d}})
	}
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 300; i++ {
		a, b := randValue(r, 3), randValue(r, 3)
		if r.Intn(3) == 0 {
			b = a // equal values, and containment of a part
			if a.Len() > 0 && r.Intn(2) == 0 {
				if a.kind == KindArray {
					b = NewArray(a.elems[r.Intn(len(a.elems))])
				} else {
					b = NewObject([]Pair{a.pairs[r.Intn(len(a.pairs))]})
				}
			}
		}
		for _, op := range []string{"cmp", "@>", "||"} {
			cases = append(cases, testCase{op, []any{a.String(), b.String()}})
		}
	}
	fails := 0
	for _, c := range cases {
		want := pgRun(ctx, conn, c)
		if got := runCase(c); got != want {
			fails++
			if fails <= 30 {
				t.Errorf("%s:\n got: %s\nwant: %s", c.key(), got, want)
			}
		}
	}
	if fails > 0 {
		t.Errorf("%d of %d random cases differ", fails, len(cases))
	}
}
