package encoding

import (
	"bytes"
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
)

func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

func randInt(r *rand.Rand) int64 {
	switch r.IntN(4) {
	case 0:
		return int64(r.IntN(600)) - 300
	case 1:
		return []int64{math.MinInt64, math.MaxInt64, 0, -1, 255, 256, -256, -257}[r.IntN(8)]
	default:
		return int64(r.Uint64()) >> r.IntN(64)
	}
}

func TestVarintOrderAndRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		a, b := randInt(r), randInt(r)
		ea, eb := EncodeVarintAscending(nil, a), EncodeVarintAscending(nil, b)
		if got, want := sign(bytes.Compare(ea, eb)), cmp.Compare(a, b); got != want {
			t.Fatalf("compare(%d,%d): bytes %d want %d (%x %x)", a, b, got, want, ea, eb)
		}
		rest, v, err := DecodeVarintAscending(ea)
		if err != nil || v != a || len(rest) != 0 {
			t.Fatalf("decode(%d) = %d, %x, %v", a, v, rest, err)
		}
		ua, ub := uint64(a), uint64(b)
		eua, eub := EncodeUvarintAscending(nil, ua), EncodeUvarintAscending(nil, ub)
		if got, want := sign(bytes.Compare(eua, eub)), cmp.Compare(ua, ub); got != want {
			t.Fatalf("ucompare(%d,%d): bytes %d want %d", ua, ub, got, want)
		}
		_, uv, err := DecodeUvarintAscending(eua)
		if err != nil || uv != ua {
			t.Fatalf("udecode(%d) = %d, %v", ua, uv, err)
		}
	}
}

func floatCmp(a, b float64) int {
	// PostgreSQL order: NaN greater than everything, NaN == NaN, -0 == 0.
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmp.Compare(a, b)
}

func TestFloatOrderAndRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1),
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, math.MaxFloat64, -math.MaxFloat64, 1, -1}
	gen := func() float64 {
		switch r.IntN(3) {
		case 0:
			return special[r.IntN(len(special))]
		case 1:
			return math.Float64frombits(r.Uint64())
		default:
			return r.NormFloat64() * 1000
		}
	}
	for i := 0; i < 100000; i++ {
		a, b := gen(), gen()
		ea, eb := EncodeFloatAscending(nil, a), EncodeFloatAscending(nil, b)
		if got, want := sign(bytes.Compare(ea, eb)), floatCmp(a, b); got != want {
			t.Fatalf("compare(%v,%v): bytes %d want %d", a, b, got, want)
		}
		_, v, err := DecodeFloatAscending(ea)
		if err != nil || floatCmp(v, a) != 0 {
			t.Fatalf("decode(%v) = %v, %v", a, v, err)
		}
	}
}

func randBytes(r *rand.Rand) []byte {
	n := r.IntN(6)
	b := make([]byte, n)
	for i := range b {
		b[i] = []byte{0, 1, 0xFF, 'a', 'b'}[r.IntN(5)]
	}
	return b
}

func TestBytesOrderAndRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 100000; i++ {
		a, b := randBytes(r), randBytes(r)
		ea, eb := EncodeBytesAscending(nil, a), EncodeBytesAscending(nil, b)
		if got, want := sign(bytes.Compare(ea, eb)), bytes.Compare(a, b); got != want {
			t.Fatalf("compare(%x,%x): bytes %d want %d", a, b, got, want)
		}
		if es := EncodeStringAscending(nil, string(a)); !bytes.Equal(es, ea) {
			t.Fatalf("string encoding differs: %x vs %x", es, ea)
		}
		// Composite order: (a, 7) vs (b, 3) must order by a first.
		ca := EncodeVarintAscending(EncodeBytesAscending(nil, a), 7)
		cb := EncodeVarintAscending(EncodeBytesAscending(nil, b), 3)
		want := bytes.Compare(a, b)
		if want == 0 {
			want = 1
		}
		if got := sign(bytes.Compare(ca, cb)); got != want {
			t.Fatalf("composite compare(%x,%x): %d want %d", a, b, got, want)
		}
		rest, v, err := DecodeBytesAscending(ca)
		if err != nil || !bytes.Equal(v, a) {
			t.Fatalf("decode(%x) = %x, %v", a, v, err)
		}
		if _, n, err := DecodeVarintAscending(rest); err != nil || n != 7 {
			t.Fatalf("decode rest: %d %v", n, err)
		}
	}
}

func randDecimal(r *rand.Rand) *apd.Decimal {
	d := new(apd.Decimal)
	switch r.IntN(10) {
	case 0:
		d.Form = apd.NaN
		return d
	case 1:
		d.Form = apd.Infinite
		d.Negative = r.IntN(2) == 0
		return d
	case 2:
		d.SetFinite(0, int32(r.IntN(10)-5))
		d.Negative = r.IntN(2) == 0
		return d
	}
	var sb strings.Builder
	n := 1 + r.IntN(25)
	for i := 0; i < n; i++ {
		sb.WriteByte(byte('0' + r.IntN(10)))
	}
	d.Coeff.SetString(sb.String(), 10)
	d.Exponent = int32(r.IntN(40) - 20)
	d.Negative = r.IntN(2) == 0
	return d
}

func TestDecimalOrderAndRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 100000; i++ {
		a, b := randDecimal(r), randDecimal(r)
		ea, eb := EncodeDecimalAscending(nil, a), EncodeDecimalAscending(nil, b)
		// CmpTotal orders NaN last but distinguishes -0/0 and scale; use
		// Cmp for finite and infinite values.
		var want int
		switch an, bn := a.Form == apd.NaN, b.Form == apd.NaN; {
		case an && bn:
			want = 0
		case an:
			want = 1
		case bn:
			want = -1
		default:
			want = a.Cmp(b)
		}
		if got := sign(bytes.Compare(ea, eb)); got != want {
			t.Fatalf("compare(%s,%s): bytes %d want %d (%x %x)", a, b, got, want, ea, eb)
		}
		_, v, err := DecodeDecimalAscending(ea)
		if err != nil {
			t.Fatalf("decode(%s): %v", a, err)
		}
		if a.Form == apd.NaN {
			if v.Form != apd.NaN {
				t.Fatalf("decode(NaN) = %s", v)
			}
			continue
		}
		if v.Cmp(a) != 0 {
			t.Fatalf("decode(%s) = %s", a, v)
		}
	}
}

func TestDecimalEqualValuesEncodeEqually(t *testing.T) {
	var prev []byte
	for _, s := range []string{"1", "1.0", "1.00", "10E-1", "0.001E3"} {
		d, _, err := apd.NewFromString(s)
		if err != nil {
			t.Fatal(err)
		}
		e := EncodeDecimalAscending(nil, d)
		if prev != nil && !bytes.Equal(prev, e) {
			t.Fatalf("%s encodes to %x, want %x", s, e, prev)
		}
		prev = e
	}
}

func TestNullSortsFirstAndPeek(t *testing.T) {
	null := EncodeNullAscending(nil)
	vals := [][]byte{
		EncodeVarintAscending(nil, math.MinInt64),
		EncodeUvarintAscending(nil, 0),
		EncodeFloatAscending(nil, math.Inf(-1)),
		EncodeDecimalAscending(nil, &apd.Decimal{Form: apd.Infinite, Negative: true}),
		EncodeBytesAscending(nil, nil),
	}
	wantTypes := []Type{Int, Uint, Float, Decimal, Bytes}
	for i, v := range vals {
		if bytes.Compare(null, v) >= 0 {
			t.Errorf("NULL does not sort before %s", wantTypes[i])
		}
		if typ, err := PeekType(v); err != nil || typ != wantTypes[i] {
			t.Errorf("PeekType = %s, %v; want %s", typ, err, wantTypes[i])
		}
	}
	rest, isNull := DecodeIfNull(append(null, 'x'))
	if !isNull || !slices.Equal(rest, []byte{'x'}) {
		t.Fatalf("DecodeIfNull: %x %v", rest, isNull)
	}
}

// FuzzDecode checks that decoders never panic and that whatever decodes
// successfully re-encodes to the bytes it was decoded from.
func FuzzDecode(f *testing.F) {
	f.Add(EncodeVarintAscending(nil, -12345))
	f.Add(EncodeUvarintAscending(nil, 99))
	f.Add(EncodeFloatAscending(nil, 3.5))
	f.Add(EncodeBytesAscending(nil, []byte("a\x00b")))
	d, _, _ := apd.NewFromString("-123.4500")
	f.Add(EncodeDecimalAscending(nil, d))
	f.Fuzz(func(t *testing.T, b []byte) {
		typ, err := PeekType(b)
		if err != nil {
			return
		}
		var rest, re []byte
		switch typ {
		case Null:
			rest, _ = DecodeIfNull(b)
			re = EncodeNullAscending(nil)
		case Int:
			var v int64
			if rest, v, err = DecodeVarintAscending(b); err == nil {
				re = EncodeVarintAscending(nil, v)
			}
		case Uint:
			var v uint64
			if rest, v, err = DecodeUvarintAscending(b); err == nil {
				re = EncodeUvarintAscending(nil, v)
			}
		case Float:
			var v float64
			if rest, v, err = DecodeFloatAscending(b); err == nil {
				re = EncodeFloatAscending(nil, v)
			}
			// Non-canonical NaN and -0 bit patterns decode but re-encode
			// canonically.
			if err == nil && (math.IsNaN(v) || v == 0) {
				return
			}
		case Decimal:
			var v *apd.Decimal
			if rest, v, err = DecodeDecimalAscending(b); err == nil {
				re = EncodeDecimalAscending(nil, v)
			}
		case Bytes:
			var v []byte
			if rest, v, err = DecodeBytesAscending(b); err == nil {
				re = EncodeBytesAscending(nil, v)
			}
		}
		if err != nil {
			return
		}
		if consumed := b[:len(b)-len(rest)]; !bytes.Equal(consumed, re) {
			t.Fatalf("%s: decoded %x re-encodes as %x", typ, consumed, re)
		}
	})
}
