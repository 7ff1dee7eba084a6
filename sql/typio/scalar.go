package typio

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

// isPGSpace reports whether c is a space for C's isspace() in the C locale.
func isPGSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func trimPGSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isPGSpace(s[i]) {
		i++
	}
	for j > i && isPGSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

func invalidSyntax(typName, input string) *pgerror.Error {
	return pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type %s: \"%s\"", typName, input)
}

// ---- bool ----

func parseBool(in string) (types.Datum, error) {
	s := strings.ToLower(trimPGSpace(in))
	n := len(s)
	if n > 0 {
		switch s[0] {
		case 't':
			if strings.HasPrefix("true", s) {
				return true, nil
			}
		case 'f':
			if strings.HasPrefix("false", s) {
				return false, nil
			}
		case 'y':
			if strings.HasPrefix("yes", s) {
				return true, nil
			}
		case 'n':
			if strings.HasPrefix("no", s) {
				return false, nil
			}
		case 'o':
			if n >= 2 && strings.HasPrefix("on", s) {
				return true, nil
			}
			if n >= 2 && strings.HasPrefix("off", s) {
				return false, nil
			}
		case '1':
			if n == 1 {
				return true, nil
			}
		case '0':
			if n == 1 {
				return false, nil
			}
		}
	}
	return nil, invalidSyntax("boolean", in)
}

// ---- integers ----

func appendInt(buf []byte, v int64) []byte { return strconv.AppendInt(buf, v, 10) }

// intTypeName returns the SQL name PostgreSQL uses in integer messages.
func intTypeName(oid types.Oid) string {
	switch oid {
	case types.OidInt2:
		return "smallint"
	case types.OidInt4:
		return "integer"
	case types.OidOid:
		return "oid"
	}
	return "bigint"
}

// scanInt parses [ws][+-]digits[ws]. ok is false on bad syntax; overflow
// is set when the magnitude does not fit in an int64.
func scanInt(in string) (v int64, ok, overflow bool) {
	s := trimPGSpace(in)
	neg := false
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 {
		return 0, false, false
	}
	var u uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false, false
		}
		if u > (1<<63)/10 {
			overflow = true
			continue
		}
		u = u*10 + uint64(c-'0')
		if u > 1<<63 {
			overflow = true
		}
	}
	if overflow {
		return 0, true, true
	}
	if neg {
		return int64(-u), true, false
	}
	if u > math.MaxInt64 {
		return 0, true, true
	}
	return int64(u), true, false
}

func parseInt(t types.T, in string) (types.Datum, error) {
	name := intTypeName(t.Oid)
	v, ok, overflow := scanInt(in)
	if !ok {
		return nil, invalidSyntax(name, in)
	}
	lo, hi := t.IntRange()
	if overflow || v < lo || v > hi {
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value \"%s\" is out of range for type %s", in, name)
	}
	return v, nil
}

func parseOid(in string) (types.Datum, error) {
	v, ok, overflow := scanInt(in)
	if !ok {
		return nil, invalidSyntax("oid", in)
	}
	if overflow || v < math.MinInt32 || v > math.MaxUint32 {
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value \"%s\" is out of range for type oid", in)
	}
	if v < 0 {
		v += 1 << 32
	}
	return v, nil
}

// ---- floats ----

func floatTypeName(bits int) string {
	if bits == 32 {
		return "real"
	}
	return "double precision"
}

// appendFloat formats f as float8out (bits 64) or float4out (bits 32).
func appendFloat(buf []byte, f float64, bits int, extra int) []byte {
	switch {
	case math.IsNaN(f):
		return append(buf, "NaN"...)
	case math.IsInf(f, 1):
		return append(buf, "Infinity"...)
	case math.IsInf(f, -1):
		return append(buf, "-Infinity"...)
	}
	if extra > 0 {
		var tmp [40]byte
		e := shortestPG(tmp[:0], f, bits)
		i := strings.LastIndexByte(string(e), 'e')
		exp, _ := strconv.Atoi(string(e[i+1:]))
		limit := 15
		if bits == 32 {
			limit = 6
		}
		if exp < -4 || exp >= limit {
			return append(buf, e...)
		}
		return appendFixed(buf, e)
	}
	prec := 15 + extra
	if bits == 32 {
		prec = 6 + extra
	}
	if prec < 1 {
		prec = 1
	}
	return strconv.AppendFloat(buf, f, 'g', prec, bits)
}

// shortestPG appends the shortest 'e'-format digits that PostgreSQL's
// Ryū-based float8out/float4out prints for f. It differs from Go's
// shortest form in one case: when Go's shortest decimal lies exactly on
// the midpoint between f and a neighbouring float (it parses back to f
// only by round-half-even), PostgreSQL does not accept the boundary and
// prints more digits (2.5e22 prints as 2.4999999999999998e+22).
func shortestPG(buf []byte, f float64, bits int) []byte {
	e := strconv.AppendFloat(buf, f, 'e', -1, bits)
	if !onMidpoint(e[len(buf):], f, bits) {
		return e
	}
	maxDigits := 17
	if bits == 32 {
		maxDigits = 9
	}
	mant := e[len(buf):]
	digits := strings.IndexByte(string(mant), 'e')
	if strings.Contains(string(mant[:digits]), ".") {
		digits--
	}
	if mant[0] == '-' {
		digits--
	}
	for n := digits + 1; n <= maxDigits; n++ {
		cand := strconv.AppendFloat(buf[:len(buf):len(buf)], f, 'e', n-1, bits)
		c := cand[len(buf):]
		v, err := strconv.ParseFloat(string(c), bits)
		if err != nil || v != f || onMidpoint(c, f, bits) {
			continue
		}
		// Ryū prints no trailing zeros in the mantissa.
		i := strings.IndexByte(string(c), 'e')
		m := strings.TrimRight(string(c[:i]), "0")
		m = strings.TrimSuffix(m, ".")
		return append(append(buf, m...), c[i:]...)
	}
	return e
}

// onMidpoint reports whether the decimal d equals the exact midpoint
// between f and one of its neighbours.
func onMidpoint(d []byte, f float64, bits int) bool {
	r, ok := new(big.Rat).SetString(string(d))
	if !ok || f == 0 || math.IsInf(f, 0) {
		return false
	}
	var neighbours [2]float64
	if bits == 32 {
		f32 := float32(f)
		neighbours = [2]float64{float64(math.Nextafter32(f32, float32(math.Inf(1)))), float64(math.Nextafter32(f32, float32(math.Inf(-1))))}
	} else {
		neighbours = [2]float64{math.Nextafter(f, math.Inf(1)), math.Nextafter(f, math.Inf(-1))}
	}
	fr := new(big.Rat)
	if fr.SetFloat64(f) == nil {
		return false
	}
	for _, n := range neighbours {
		nr := new(big.Rat)
		if math.IsInf(n, 0) || nr.SetFloat64(n) == nil {
			continue
		}
		mid := new(big.Rat).Add(fr, nr)
		mid.Quo(mid, big.NewRat(2, 1))
		if mid.Cmp(r) == 0 {
			return true
		}
	}
	return false
}

// appendFixed renders an 'e'-format shortest string in plain notation
// (the exponent is in [-4, 15)).
func appendFixed(buf []byte, e []byte) []byte {
	s := string(e)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	i := strings.IndexByte(s, 'e')
	exp, _ := strconv.Atoi(s[i+1:])
	digits := strings.Replace(s[:i], ".", "", 1)
	if neg {
		buf = append(buf, '-')
	}
	point := exp + 1 // digits before the decimal point
	switch {
	case point <= 0:
		buf = append(buf, "0."...)
		for k := 0; k < -point; k++ {
			buf = append(buf, '0')
		}
		buf = append(buf, digits...)
	case point >= len(digits):
		buf = append(buf, digits...)
		for k := len(digits); k < point; k++ {
			buf = append(buf, '0')
		}
	default:
		buf = append(buf, digits[:point]...)
		buf = append(buf, '.')
		buf = append(buf, digits[point:]...)
	}
	return buf
}

// validFloatSyntax reports whether s is [+-](digits[.digits]|.digits)([eE][+-]digits).
func validFloatSyntax(s string) (ok, nonzero bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if s[i] != '0' {
			nonzero = true
		}
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if s[i] != '0' {
				nonzero = true
			}
			i++
			digits++
		}
	}
	if digits == 0 {
		return false, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		ed := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			ed++
		}
		if ed == 0 {
			return false, false
		}
	}
	return i == len(s), nonzero
}

func parseFloat(in string, bits int) (types.Datum, error) {
	name := floatTypeName(bits)
	s := trimPGSpace(in)
	switch strings.ToLower(s) {
	case "nan", "+nan", "-nan":
		return math.NaN(), nil
	case "infinity", "+infinity", "inf", "+inf":
		return math.Inf(1), nil
	case "-infinity", "-inf":
		return math.Inf(-1), nil
	}
	ok, nonzero := validFloatSyntax(s)
	if !ok {
		return nil, invalidSyntax(name, in)
	}
	f, err := strconv.ParseFloat(s, bits)
	if math.IsInf(f, 0) || (f == 0 && nonzero) {
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "\"%s\" is out of range for type %s", s, name)
	}
	if err != nil {
		if ne, isNum := err.(*strconv.NumError); !isNum || ne.Err != strconv.ErrRange {
			return nil, invalidSyntax(name, in)
		}
	}
	return f, nil
}

// ---- strings ----

// truncateName clips s to NAMEDATALEN-1 (63) bytes at a character boundary.
func truncateName(s string) string {
	if len(s) <= 63 {
		return s
	}
	n := 63
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ---- bytea ----

const hexDigits = "0123456789abcdef"

func appendByteaHex(buf []byte, b []byte) []byte {
	buf = append(buf, '\\', 'x')
	for _, c := range b {
		buf = append(buf, hexDigits[c>>4], hexDigits[c&15])
	}
	return buf
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func badHexDigit(s string) error {
	_, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		n = 1
	}
	return pgerror.New(pgerror.InvalidParameterValue, "invalid hexadecimal digit: \"%s\"", s[:n])
}

func parseBytea(in string) (types.Datum, error) {
	if len(in) >= 2 && in[0] == '\\' && in[1] == 'x' {
		s := in[2:]
		out := make([]byte, 0, len(s)/2)
		for i := 0; i < len(s); {
			c := s[i]
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
				i++
				continue
			}
			v1 := hexVal(c)
			if v1 < 0 {
				return nil, badHexDigit(s[i:])
			}
			i++
			if i >= len(s) {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
			}
			v2 := hexVal(s[i])
			if v2 < 0 {
				return nil, badHexDigit(s[i:])
			}
			i++
			out = append(out, byte(v1<<4|v2))
		}
		return out, nil
	}
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); {
		c := in[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		if len(in)-i >= 4 &&
			in[i+1] >= '0' && in[i+1] <= '3' &&
			in[i+2] >= '0' && in[i+2] <= '7' &&
			in[i+3] >= '0' && in[i+3] <= '7' {
			out = append(out, (in[i+1]-'0')<<6|(in[i+2]-'0')<<3|(in[i+3]-'0'))
			i += 4
			continue
		}
		if i+1 < len(in) && in[i+1] == '\\' {
			out = append(out, '\\')
			i += 2
			continue
		}
		return nil, pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type bytea")
	}
	return out, nil
}

// ---- uuid ----

func appendUUID(buf []byte, u types.DUUID) []byte {
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			buf = append(buf, '-')
		}
		buf = append(buf, hexDigits[c>>4], hexDigits[c&15])
	}
	return buf
}

func parseUUID(in string) (types.Datum, error) {
	var u types.DUUID
	s := in
	braces := false
	if len(s) > 0 && s[0] == '{' {
		s = s[1:]
		braces = true
	}
	for i := 0; i < 16; i++ {
		if len(s) < 2 {
			return nil, invalidSyntax("uuid", in)
		}
		h, l := hexVal(s[0]), hexVal(s[1])
		if h < 0 || l < 0 {
			return nil, invalidSyntax("uuid", in)
		}
		u[i] = byte(h<<4 | l)
		s = s[2:]
		if len(s) > 0 && s[0] == '-' && i%2 == 1 && i < 15 {
			s = s[1:]
		}
	}
	if braces {
		if len(s) == 0 || s[0] != '}' {
			return nil, invalidSyntax("uuid", in)
		}
		s = s[1:]
	}
	if len(s) != 0 {
		return nil, invalidSyntax("uuid", in)
	}
	return u, nil
}
