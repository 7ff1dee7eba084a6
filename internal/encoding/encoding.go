package encoding

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// Type is the type tag that starts every encoded value. Tags order NULL
// before every other type; the relative order of the other tags carries no
// meaning because a key position always holds values of one SQL type.
type Type byte

// Type tags. Their byte values are part of the on-disk format: never
// renumber them.
const (
	Null    Type = 0x00
	Int     Type = 0x10
	Uint    Type = 0x11
	Float   Type = 0x12
	Decimal Type = 0x13
	Bytes   Type = 0x14
)

// String returns a human-readable name for the tag.
func (t Type) String() string {
	switch t {
	case Null:
		return "Null"
	case Int:
		return "Int"
	case Uint:
		return "Uint"
	case Float:
		return "Float"
	case Decimal:
		return "Decimal"
	case Bytes:
		return "Bytes"
	default:
		return fmt.Sprintf("Type(0x%02x)", byte(t))
	}
}

// ErrCorrupt is returned (wrapped) by every decoder for malformed input.
var ErrCorrupt = errors.New("encoding: corrupt or truncated value")

func corruptf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}

// PeekType returns the type tag of the next encoded value in b without
// consuming it.
func PeekType(b []byte) (Type, error) {
	if len(b) == 0 {
		return 0, corruptf("empty input")
	}
	switch t := Type(b[0]); t {
	case Null, Int, Uint, Float, Decimal, Bytes:
		return t, nil
	default:
		return 0, corruptf("unknown type tag 0x%02x", b[0])
	}
}

func expectTag(b []byte, t Type) ([]byte, error) {
	if len(b) == 0 {
		return nil, corruptf("empty input, want %s", t)
	}
	if Type(b[0]) != t {
		return nil, corruptf("type tag 0x%02x, want %s", b[0], t)
	}
	return b[1:], nil
}

// EncodeNullAscending appends the NULL marker, which sorts before every
// non-NULL value.
func EncodeNullAscending(b []byte) []byte { return append(b, byte(Null)) }

// DecodeIfNull consumes a NULL marker if b starts with one and reports
// whether it did.
func DecodeIfNull(b []byte) (rest []byte, isNull bool) {
	if len(b) > 0 && Type(b[0]) == Null {
		return b[1:], true
	}
	return b, false
}

// --- integers ---

// Integer bodies: a header byte giving sign and length n (0..8), then the
// low n bytes of the value big-endian. Non-negative values use header
// 0x80+n (n = significant bytes of v); negative values use 0x7F-n (n =
// significant bytes of ^v), followed by the low n bytes of v itself. Longer
// non-negative numbers are larger and longer negative numbers are smaller,
// so comparing headers then bodies orders values.
const intZeroHeader = 0x80

func appendIntBody(b []byte, v int64) []byte {
	if v >= 0 {
		n := (bits.Len64(uint64(v)) + 7) / 8
		b = append(b, byte(intZeroHeader+n))
		return appendLowBytes(b, uint64(v), n)
	}
	n := (bits.Len64(^uint64(v)) + 7) / 8
	b = append(b, byte(intZeroHeader-1-n))
	return appendLowBytes(b, uint64(v), n)
}

func appendLowBytes(b []byte, v uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(v>>(8*uint(i))))
	}
	return b
}

func decodeIntBody(b []byte) ([]byte, int64, error) {
	if len(b) == 0 {
		return nil, 0, corruptf("missing integer header")
	}
	h := int(b[0])
	b = b[1:]
	var n int
	neg := h < intZeroHeader
	if neg {
		n = intZeroHeader - 1 - h
	} else {
		n = h - intZeroHeader
	}
	if n < 0 || n > 8 {
		return nil, 0, corruptf("integer header 0x%02x", h)
	}
	if len(b) < n {
		return nil, 0, corruptf("integer body: have %d bytes, want %d", len(b), n)
	}
	var u uint64
	if neg {
		u = math.MaxUint64 // sign-extend
	}
	for i := 0; i < n; i++ {
		u = u<<8 | uint64(b[i])
	}
	v := int64(u)
	// Reject non-canonical encodings so that equal values have one form.
	if (neg && v >= 0) || (!neg && v < 0) {
		return nil, 0, corruptf("integer sign mismatch")
	}
	if want := len(appendIntBody(nil, v)) - 1; want != n {
		return nil, 0, corruptf("non-canonical integer length %d", n)
	}
	return b[n:], v, nil
}

// EncodeVarintAscending appends an order-preserving encoding of v.
// Values in [-1, 255] take 2 or 3 bytes, full-width values 10.
func EncodeVarintAscending(b []byte, v int64) []byte {
	return appendIntBody(append(b, byte(Int)), v)
}

// DecodeVarintAscending decodes a value written by EncodeVarintAscending.
func DecodeVarintAscending(b []byte) (rest []byte, v int64, err error) {
	b, err = expectTag(b, Int)
	if err != nil {
		return nil, 0, err
	}
	return decodeIntBody(b)
}

// EncodeUvarintAscending appends an order-preserving encoding of v: the tag,
// a length byte n (0..8), then the n significant bytes of v big-endian.
func EncodeUvarintAscending(b []byte, v uint64) []byte {
	n := (bits.Len64(v) + 7) / 8
	b = append(b, byte(Uint), byte(n))
	return appendLowBytes(b, v, n)
}

// DecodeUvarintAscending decodes a value written by EncodeUvarintAscending.
func DecodeUvarintAscending(b []byte) (rest []byte, v uint64, err error) {
	b, err = expectTag(b, Uint)
	if err != nil {
		return nil, 0, err
	}
	if len(b) == 0 {
		return nil, 0, corruptf("missing uvarint length")
	}
	n := int(b[0])
	b = b[1:]
	if n > 8 || len(b) < n {
		return nil, 0, corruptf("uvarint length %d with %d bytes", n, len(b))
	}
	for i := 0; i < n; i++ {
		v = v<<8 | uint64(b[i])
	}
	if (bits.Len64(v)+7)/8 != n {
		return nil, 0, corruptf("non-canonical uvarint length %d", n)
	}
	return b[n:], v, nil
}

// --- floats ---

const canonicalNaNBits = math.MaxUint64 // sorts after +Inf

// EncodeFloatAscending appends an order-preserving encoding of f. -0 encodes
// like +0; every NaN encodes as one value that sorts after +Inf.
func EncodeFloatAscending(b []byte, f float64) []byte {
	var u uint64
	switch {
	case math.IsNaN(f):
		u = canonicalNaNBits
	case f == 0:
		u = 1 << 63 // +0 and -0
	case f > 0:
		u = math.Float64bits(f) | 1<<63
	default:
		u = ^math.Float64bits(f)
	}
	b = append(b, byte(Float))
	return binary.BigEndian.AppendUint64(b, u)
}

// DecodeFloatAscending decodes a value written by EncodeFloatAscending.
// NaN decodes as math.NaN() and zero as +0.
func DecodeFloatAscending(b []byte) (rest []byte, f float64, err error) {
	b, err = expectTag(b, Float)
	if err != nil {
		return nil, 0, err
	}
	if len(b) < 8 {
		return nil, 0, corruptf("float body: have %d bytes, want 8", len(b))
	}
	u := binary.BigEndian.Uint64(b)
	switch {
	case u == canonicalNaNBits:
		f = math.NaN()
	case u&(1<<63) != 0:
		f = math.Float64frombits(u &^ (1 << 63))
	default:
		f = math.Float64frombits(^u)
	}
	return b[8:], f, nil
}

// --- bytes and strings ---

const (
	escape     = 0x00
	escaped00  = 0xFF
	terminator = 0x01
)

// EncodeBytesAscending appends an order-preserving, prefix-free encoding of
// v: 0x00 is escaped as 0x00 0xFF and the value ends with 0x00 0x01.
func EncodeBytesAscending(b []byte, v []byte) []byte {
	b = append(b, byte(Bytes))
	return AppendEscapedBytes(b, v)
}

// EncodeStringAscending is EncodeBytesAscending for a string.
func EncodeStringAscending(b []byte, s string) []byte {
	b = append(b, byte(Bytes))
	for {
		i := strings.IndexByte(s, escape)
		if i < 0 {
			break
		}
		b = append(b, s[:i]...)
		b = append(b, escape, escaped00)
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, escape, terminator)
}

// AppendEscapedBytes appends the untagged body used by EncodeBytesAscending:
// v with 0x00 escaped, then the terminator. Lower layers (MVCC keys) use it
// to embed an arbitrary key in an ordered composite key.
func AppendEscapedBytes(b []byte, v []byte) []byte {
	for {
		i := indexByte(v, escape)
		if i < 0 {
			break
		}
		b = append(b, v[:i]...)
		b = append(b, escape, escaped00)
		v = v[i+1:]
	}
	b = append(b, v...)
	return append(b, escape, terminator)
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// DecodeEscapedBytes decodes a body written by AppendEscapedBytes, appending
// the unescaped value to buf (which may be nil) and returning it.
func DecodeEscapedBytes(b []byte, buf []byte) (rest []byte, v []byte, err error) {
	for {
		i := indexByte(b, escape)
		if i < 0 || i+1 >= len(b) {
			return nil, nil, corruptf("unterminated bytes value")
		}
		buf = append(buf, b[:i]...)
		switch b[i+1] {
		case terminator:
			if buf == nil {
				buf = []byte{}
			}
			return b[i+2:], buf, nil
		case escaped00:
			buf = append(buf, 0)
			b = b[i+2:]
		default:
			return nil, nil, corruptf("bad escape 0x00 0x%02x", b[i+1])
		}
	}
}

// DecodeBytesAscending decodes a value written by EncodeBytesAscending. The
// result never aliases b.
func DecodeBytesAscending(b []byte) (rest []byte, v []byte, err error) {
	b, err = expectTag(b, Bytes)
	if err != nil {
		return nil, nil, err
	}
	return DecodeEscapedBytes(b, nil)
}

// DecodeStringAscending decodes a value written by EncodeStringAscending.
func DecodeStringAscending(b []byte) (rest []byte, s string, err error) {
	rest, v, err := DecodeBytesAscending(b)
	return rest, string(v), err
}

// --- decimals ---

// Decimal class bytes, in value order. PostgreSQL sorts numeric NaN above
// +Infinity; so do we.
const (
	decNegInf   = 0x01
	decNegative = 0x02
	decZero     = 0x03
	decPositive = 0x04
	decPosInf   = 0x05
	decNaN      = 0x06
)

// EncodeDecimalAscending appends an order-preserving encoding of d.
// Numerically equal finite values encode identically (see the package doc).
// Signaling and quiet NaNs both encode as NaN; -0 encodes as 0.
func EncodeDecimalAscending(b []byte, d *apd.Decimal) []byte {
	b = append(b, byte(Decimal))
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return append(b, decNaN)
	case apd.Infinite:
		if d.Negative {
			return append(b, decNegInf)
		}
		return append(b, decPosInf)
	}
	var coeff apd.BigInt
	coeff.Abs(&d.Coeff)
	if coeff.Sign() == 0 {
		return append(b, decZero)
	}
	digits := coeff.String()
	trimmed := strings.TrimRight(digits, "0")
	// value = 0.<trimmed> * 10^e
	e := int64(d.Exponent) + int64(len(digits))
	if d.Negative {
		b = append(b, decNegative)
		b = appendIntBody(b, -e)
	} else {
		b = append(b, decPositive)
		b = appendIntBody(b, e)
	}
	// Base-100 digit pairs as bytes 1..100 (odd length padded with a 0
	// digit, which is unambiguous because trailing zeros were trimmed),
	// terminated by 0x00. Negative values complement every byte.
	for i := 0; i < len(trimmed); i += 2 {
		pair := int(trimmed[i]-'0') * 10
		if i+1 < len(trimmed) {
			pair += int(trimmed[i+1] - '0')
		}
		c := byte(pair + 1)
		if d.Negative {
			c = ^c
		}
		b = append(b, c)
	}
	if d.Negative {
		return append(b, 0xFF)
	}
	return append(b, 0x00)
}

// maxDecimalDigits bounds the digits a decoder accepts, so corrupt input
// cannot make it allocate without limit (PostgreSQL's numeric allows 131072
// digits before the point and 16383 after).
const maxDecimalDigits = 1 << 18

// DecodeDecimalAscending decodes a value written by EncodeDecimalAscending
// into a new decimal in reduced form (no trailing zeros in the coefficient).
func DecodeDecimalAscending(b []byte) (rest []byte, d *apd.Decimal, err error) {
	b, err = expectTag(b, Decimal)
	if err != nil {
		return nil, nil, err
	}
	if len(b) == 0 {
		return nil, nil, corruptf("missing decimal class")
	}
	class := b[0]
	b = b[1:]
	d = new(apd.Decimal)
	switch class {
	case decNaN:
		d.Form = apd.NaN
		return b, d, nil
	case decNegInf:
		d.Form, d.Negative = apd.Infinite, true
		return b, d, nil
	case decPosInf:
		d.Form = apd.Infinite
		return b, d, nil
	case decZero:
		return b, d, nil
	case decNegative, decPositive:
	default:
		return nil, nil, corruptf("decimal class 0x%02x", class)
	}
	neg := class == decNegative
	b, e, err := decodeIntBody(b)
	if err != nil {
		return nil, nil, fmt.Errorf("decimal exponent: %w", err)
	}
	if neg {
		e = -e
	}
	var sb strings.Builder
	for {
		if len(b) == 0 {
			return nil, nil, corruptf("unterminated decimal digits")
		}
		c := b[0]
		b = b[1:]
		if neg {
			c = ^c
		}
		if c == 0 {
			break
		}
		if c > 100 {
			return nil, nil, corruptf("decimal digit pair byte %d", c)
		}
		if sb.Len() >= maxDecimalDigits {
			return nil, nil, corruptf("decimal has too many digits")
		}
		pair := c - 1
		sb.WriteByte('0' + pair/10)
		sb.WriteByte('0' + pair%10)
	}
	digits := strings.TrimRight(sb.String(), "0")
	if len(digits) == 0 || digits[0] == '0' || sb.Len()-len(digits) > 1 {
		return nil, nil, corruptf("non-canonical decimal digits")
	}
	exp := e - int64(len(digits))
	if exp < math.MinInt32 || exp > math.MaxInt32 {
		return nil, nil, corruptf("decimal exponent %d out of range", exp)
	}
	if _, ok := d.Coeff.SetString(digits, 10); !ok {
		return nil, nil, corruptf("decimal digits %q", digits)
	}
	d.Exponent = int32(exp)
	d.Negative = neg
	return b, d, nil
}

// SkipValue returns b after its first encoded value (of any type tag).
func SkipValue(b []byte) ([]byte, error) {
	t, err := PeekType(b)
	if err != nil {
		return nil, err
	}
	switch t {
	case Null:
		return b[1:], nil
	case Int:
		rest, _, err := DecodeVarintAscending(b)
		return rest, err
	case Uint:
		rest, _, err := DecodeUvarintAscending(b)
		return rest, err
	case Float:
		rest, _, err := DecodeFloatAscending(b)
		return rest, err
	case Decimal:
		rest, _, err := DecodeDecimalAscending(b)
		return rest, err
	case Bytes:
		rest, _, err := DecodeBytesAscending(b)
		return rest, err
	}
	return nil, corruptf("cannot skip a value of type %s", t)
}
