package jsonb

import (
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/cockroachdb/apd/v3"
)

// Expected results below were obtained from PostgreSQL 15.

func TestFromGo(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
	}{
		{1.5e-5, `0.000015`}, {math.NaN(), `"NaN"`}, {math.Inf(-1), `"-Infinity"`}, {math.Inf(1), `"Infinity"`},
		{1e20, `100000000000000000000`}, {0.1, `0.1`}, {1e-7, `0.0000001`}, {math.Copysign(0, -1), `0`},
		{123456789.125, `123456789.125`}, {float32(1.1), `1.1`}, {int64(math.MinInt64), `-9223372036854775808`},
		{&apd.Decimal{Form: apd.Infinite}, `"Infinity"`}, {apd.New(150, -2), `1.50`}, {true, `true`},
		{"a\"b\n", `"a\"b\n"`}, {nil, `null`}, {uint8(7), `7`}, {apd.New(15, 2), `1500`},
	} {
		v, err := FromGo(tc.in)
		if err != nil {
			t.Fatalf("%v: %v", tc.in, err)
		}
		if got := v.String(); got != tc.want {
			t.Errorf("FromGo(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if _, err := FromGo(struct{}{}); pgerror.CodeOf(err) != pgerror.InternalError {
		t.Errorf("FromGo(struct{}{}) error = %v", err)
	}
}

func mustParse(t *testing.T, s string) Value {
	t.Helper()
	v, err := ParseJSONB(s)
	if err != nil {
		t.Fatalf("ParseJSONB(%q): %v", s, err)
	}
	return v
}

func TestBuild(t *testing.T) {
	one, _ := FromGo(int64(1))
	v, err := BuildObject([]BuildArg{{Text: "a"}, {Value: one}, {Text: "b"}, {Value: mustParse(t, "2")}, {Text: "a"}, {Value: mustParse(t, "3")}})
	if err != nil || v.String() != `{"a": 3, "b": 2}` {
		t.Errorf("BuildObject = %s, %v", v, err)
	}
	if v, _ := BuildObject(nil); v.String() != `{}` {
		t.Errorf("BuildObject() = %s", v)
	}
	for _, tc := range []struct {
		args []BuildArg
		want string
	}{
		{[]BuildArg{{Text: "a"}}, "ERROR 22023: argument list must have even number of elements\nHINT: The arguments of jsonb_build_object() must consist of alternating keys and values."},
		{[]BuildArg{{Null: true}, {Value: one}}, "ERROR 22023: argument 1: key must not be null"},
		{[]BuildArg{{NotScalar: true}, {Value: one}}, "ERROR 22023: key value must be scalar, not array, composite, or json"},
	} {
		_, err := BuildObject(tc.args)
		if got := renderErr(err); got != tc.want {
			t.Errorf("BuildObject error %q, want %q", got, tc.want)
		}
	}
	if got := BuildArray(one, FromString("x"), Null()).String(); got != `[1, "x", null]` {
		t.Errorf("BuildArray = %s", got)
	}
	if got := BuildArray().String(); got != `[]` {
		t.Errorf("BuildArray() = %s", got)
	}
	// to_jsonb(r) from (select 1 as b, 2 as a, 3 as b) r
	if got := FromRow([]string{"b", "a", "b"}, []Value{one, mustParse(t, "2"), mustParse(t, "3")}).String(); got != `{"a": 2, "b": 3}` {
		t.Errorf("FromRow = %s", got)
	}
}

func TestSendRecv(t *testing.T) {
	v := mustParse(t, `{"b": [1, 2.50], "a": "é"}`)
	b := v.AppendSend(nil)
	if b[0] != 1 || string(b[1:]) != v.String() {
		t.Fatalf("AppendSend = %q", b)
	}
	w, err := Recv(b)
	if err != nil || !Equal(v, w) {
		t.Fatalf("Recv = %s, %v", w, err)
	}
	if _, err := Recv([]byte("\x02{}")); err == nil {
		t.Error("Recv accepted version 2")
	}
	if s, err := RecvJSON([]byte(`{"a" : 1, "a": 2}`)); err != nil || string(SendJSON(nil, s)) != `{"a" : 1, "a": 2}` {
		t.Errorf("RecvJSON = %q, %v", s, err)
	}
}

func TestParseJSONKeepsDuplicates(t *testing.T) {
	v, err := ParseJSON(`{"b": 1, "a": 2, "b": 3}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String(); got != `{"b": 1, "a": 2, "b": 3}` {
		t.Errorf("ParseJSON = %s", got)
	}
	// json -> 'b' returns the last duplicate, as PostgreSQL.
	if f, ok := Field(v, "b"); !ok || f.String() != "3" {
		t.Errorf("json -> 'b' = %s", f)
	}
	if got := Normalize(v).String(); got != `{"a": 2, "b": 3}` {
		t.Errorf("Normalize = %s", got)
	}
}

// randValue returns a random normalized value of at most depth levels.
func randValue(r *rand.Rand, depth int) Value {
	k := r.Intn(6)
	if depth <= 0 {
		k = r.Intn(4)
	}
	switch k {
	case 0:
		return Null()
	case 1:
		return FromBool(r.Intn(2) == 0)
	case 2:
		d := apd.New(r.Int63n(2_000_001)-1_000_000, -int32(r.Intn(6)))
		if r.Intn(8) == 0 {
			d.Coeff.Mul(&d.Coeff, pow10(int64(r.Intn(40))))
		}
		return FromNumber(d)
	case 3:
		return FromString(randString(r))
	case 4:
		n := r.Intn(5)
		elems := make([]Value, n)
		for i := range elems {
			elems[i] = randValue(r, depth-1)
		}
		return NewArray(elems...)
	}
	n := r.Intn(5)
	pairs := make([]Pair, n)
	for i := range pairs {
		pairs[i] = Pair{Key: randString(r), Value: randValue(r, depth-1)}
	}
	return NewObject(pairs)
}

var randRunes = []rune("aab b\"\\/\b\f\n\r\t\x01\x1f\x7féé€😀xyz012_-")

func randString(r *rand.Rand) string {
	var b strings.Builder
	for n := r.Intn(4); n > 0; n-- {
		b.WriteRune(randRunes[r.Intn(len(randRunes))])
	}
	return b.String()
}

// TestRoundTrip: String then ParseJSONB gives an equal value with the
// same text; Compare is antisymmetric and consistent with Equal;
// containment is reflexive.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	prev := Null()
	for i := 0; i < 5000; i++ {
		v := randValue(r, 4)
		s := v.String()
		w, err := ParseJSONB(s)
		if err != nil {
			t.Fatalf("ParseJSONB(%q): %v", s, err)
		}
		if !Equal(v, w) || w.String() != s {
			t.Fatalf("round trip of %s gave %s", s, w)
		}
		if _, err := ParseJSONB(v.Pretty()); err != nil {
			t.Fatalf("Pretty of %s does not parse: %v", s, err)
		}
		if err := ValidateJSON(s); err != nil {
			t.Fatalf("ValidateJSON(%q): %v", s, err)
		}
		if !Contains(v, v) {
			t.Fatalf("%s does not contain itself", s)
		}
		if c1, c2 := Compare(v, prev), Compare(prev, v); c1 != -c2 {
			t.Fatalf("Compare(%s, %s) = %d but reversed %d", v, prev, c1, c2)
		}
		prev = v
	}
}
