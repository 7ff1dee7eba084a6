package typio

import (
	"encoding/binary"
	"strings"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/cockroachdb/apd/v3"
)

// PostgreSQL numeric limits.
const (
	numericMaxDscale     = 0x3FFF      // NUMERIC_DSCALE_MAX
	numericMaxDecWeight  = 32767*4 + 3 // largest decimal exponent of a leading digit
	numericSignPos       = 0x0000      // NUMERIC_POS
	numericSignNeg       = 0x4000      // NUMERIC_NEG
	numericSignNaN       = 0xC000      // NUMERIC_NAN
	numericSignPinf      = 0xD000      // NUMERIC_PINF
	numericSignNinf      = 0xF000      // NUMERIC_NINF
	numericNBase         = 10000       // NBASE
	numericMaxPrecision  = 1000        // NUMERIC_MAX_PRECISION
	numericExpParseLimit = 1<<31/2 - 1 // INT_MAX/2
)

func errNumericOverflowsFormat() *pgerror.Error {
	return pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
}

var (
	pow10Cache [64]*apd.BigInt
	bigTen     = apd.NewBigInt(10)
)

func init() {
	p := apd.NewBigInt(1)
	for i := range pow10Cache {
		pow10Cache[i] = new(apd.BigInt).Set(p)
		p.Mul(p, bigTen)
	}
}

// pow10 returns 10^n (n >= 0); the result must not be modified.
func pow10(n int64) *apd.BigInt {
	if n < int64(len(pow10Cache)) {
		return pow10Cache[n]
	}
	return new(apd.BigInt).Exp(bigTen, apd.NewBigInt(n), nil)
}

// numericScale returns the display scale of a finite decimal.
func numericScale(d *apd.Decimal) int32 {
	if d.Exponent >= 0 {
		return 0
	}
	return -d.Exponent
}

// numericRescale returns a new decimal equal to d with exactly scale
// fractional digits, rounding half away from zero (round) or truncating
// toward zero. A negative scale rounds to a power of ten and yields a
// scale-0 result. Non-finite values are copied.
func numericRescale(d *apd.Decimal, scale int32, round bool) *apd.Decimal {
	res := new(apd.Decimal)
	if d.Form != apd.Finite {
		return res.Set(d)
	}
	res.Negative = d.Negative
	target := -scale
	var coeff apd.BigInt
	coeff.Abs(&d.Coeff)
	if coeff.Sign() == 0 {
		// zero: only the scale matters
	} else if d.Exponent >= target {
		coeff.Mul(&coeff, pow10(int64(d.Exponent)-int64(target)))
	} else {
		div := pow10(int64(target) - int64(d.Exponent))
		var r apd.BigInt
		coeff.QuoRem(&coeff, div, &r)
		if round {
			r.Add(&r, &r)
			if r.Cmp(div) >= 0 {
				coeff.Add(&coeff, apd.NewBigInt(1))
			}
		}
	}
	if target > 0 {
		if coeff.Sign() != 0 {
			coeff.Mul(&coeff, pow10(int64(target)))
		}
		target = 0
	}
	res.Coeff.Set(&coeff)
	res.Exponent = target
	if res.Coeff.Sign() == 0 {
		res.Negative = false
	}
	return res
}

// normalizeNumeric returns d in the canonical form used by this package:
// exponent <= 0, no negative zero. d is returned unchanged when already
// canonical.
func normalizeNumeric(d *apd.Decimal) *apd.Decimal {
	if d.Form != apd.Finite {
		if d.Form == apd.NaNSignaling {
			return &apd.Decimal{Form: apd.NaN}
		}
		if d.Form == apd.NaN && d.Negative {
			return &apd.Decimal{Form: apd.NaN}
		}
		return d
	}
	if d.Exponent > 0 || (d.Negative && d.Coeff.Sign() == 0) || d.Coeff.Sign() < 0 {
		return numericRescale(d, numericScale(d), false)
	}
	return d
}

// decimalExp10 returns the decimal exponent of the leading digit of a
// finite non-zero d (floor(log10(|d|))).
func decimalExp10(d *apd.Decimal) int64 {
	return int64(d.NumDigits()) - 1 + int64(d.Exponent)
}

// checkNumericFormat reports "value overflows numeric format" when d does
// not fit PostgreSQL's storage format.
func checkNumericFormat(d *apd.Decimal) error {
	if d.Form != apd.Finite || d.Coeff.Sign() == 0 {
		return nil
	}
	if decimalExp10(d) > numericMaxDecWeight || numericScale(d) > numericMaxDscale {
		return errNumericOverflowsFormat()
	}
	return nil
}

func appendNumeric(buf []byte, d *apd.Decimal) []byte {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return append(buf, "NaN"...)
	case apd.Infinite:
		if d.Negative {
			return append(buf, "-Infinity"...)
		}
		return append(buf, "Infinity"...)
	}
	var abs apd.BigInt
	abs.Abs(&d.Coeff)
	var tmp [48]byte
	digits := abs.Append(tmp[:0], 10)
	if d.Negative && abs.Sign() != 0 {
		buf = append(buf, '-')
	}
	if d.Exponent >= 0 {
		buf = append(buf, digits...)
		if abs.Sign() != 0 {
			for i := int32(0); i < d.Exponent; i++ {
				buf = append(buf, '0')
			}
		}
		return buf
	}
	scale := int(-d.Exponent)
	if len(digits) <= scale {
		buf = append(buf, '0', '.')
		for i := len(digits); i < scale; i++ {
			buf = append(buf, '0')
		}
		return append(buf, digits...)
	}
	buf = append(buf, digits[:len(digits)-scale]...)
	buf = append(buf, '.')
	return append(buf, digits[len(digits)-scale:]...)
}

func parseNumeric(in string) (types.Datum, error) {
	s := trimPGSpace(in)
	switch strings.ToLower(s) {
	case "nan":
		return &apd.Decimal{Form: apd.NaN}, nil
	case "infinity", "+infinity", "inf", "+inf":
		return &apd.Decimal{Form: apd.Infinite}, nil
	case "-infinity", "-inf":
		return &apd.Decimal{Form: apd.Infinite, Negative: true}, nil
	}
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	digits := make([]byte, 0, len(s))
	frac := int64(0)
	seenPoint := false
	nd := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			digits = append(digits, c)
			nd++
			if seenPoint {
				frac++
			}
		} else if c == '.' && !seenPoint {
			seenPoint = true
		} else {
			break
		}
	}
	if nd == 0 {
		return nil, invalidSyntax("numeric", in)
	}
	var exp int64
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		start := i
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			if exp < numericExpParseLimit {
				exp = exp*10 + int64(s[i]-'0')
			}
		}
		if i == start {
			return nil, invalidSyntax("numeric", in)
		}
		if exp >= numericExpParseLimit {
			return nil, errNumericOverflowsFormat()
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(s) {
		return nil, invalidSyntax("numeric", in)
	}
	// Strip leading zeros so that the weight check below is meaningful.
	j := 0
	for j < len(digits)-1 && digits[j] == '0' {
		j++
	}
	digits = digits[j:]
	scale := frac - exp
	if scale < 0 {
		scale = 0
	}
	if scale > numericMaxDscale {
		return nil, errNumericOverflowsFormat()
	}
	if !(len(digits) == 1 && digits[0] == '0') && int64(len(digits))-1-frac+exp > numericMaxDecWeight {
		return nil, errNumericOverflowsFormat()
	}
	d := new(apd.Decimal)
	if _, ok := d.Coeff.SetString(string(digits), 10); !ok {
		return nil, invalidSyntax("numeric", in)
	}
	d.Exponent = int32(exp - frac)
	d.Negative = neg
	out := numericRescale(d, int32(scale), false)
	return out, nil
}

// numericToNBase converts a finite decimal to PostgreSQL's base-10000
// digits and weight (leading and trailing zero digits stripped).
func numericToNBase(d *apd.Decimal) (digits []int16, weight int) {
	scale := int(numericScale(d))
	var abs apd.BigInt
	abs.Abs(&d.Coeff)
	if abs.Sign() == 0 {
		return nil, 0
	}
	str := abs.Text(10)
	if d.Exponent > 0 {
		str += strings.Repeat("0", int(d.Exponent))
	}
	var intPart, fracPart string
	if len(str) > scale {
		intPart, fracPart = str[:len(str)-scale], str[len(str)-scale:]
	} else {
		fracPart = strings.Repeat("0", scale-len(str)) + str
	}
	if r := len(intPart) % 4; r != 0 {
		intPart = strings.Repeat("0", 4-r) + intPart
	}
	if r := len(fracPart) % 4; r != 0 {
		fracPart += strings.Repeat("0", 4-r)
	}
	all := intPart + fracPart
	weight = len(intPart)/4 - 1
	digits = make([]int16, 0, len(all)/4)
	for k := 0; k < len(all); k += 4 {
		v := int16(0)
		for _, c := range all[k : k+4] {
			v = v*10 + int16(c-'0')
		}
		digits = append(digits, v)
	}
	for len(digits) > 0 && digits[0] == 0 {
		digits = digits[1:]
		weight--
	}
	for len(digits) > 0 && digits[len(digits)-1] == 0 {
		digits = digits[:len(digits)-1]
	}
	return digits, weight
}

func appendNumericBinary(buf []byte, d *apd.Decimal) []byte {
	var ndigits, weight, sign, dscale uint16
	var digits []int16
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		sign = numericSignNaN
	case apd.Infinite:
		// PostgreSQL reads the dscale bits of the special header, which
		// yields 32 for both infinities.
		sign, dscale = numericSignPinf, 32
		if d.Negative {
			sign = numericSignNinf
		}
	default:
		var w int
		digits, w = numericToNBase(d)
		ndigits = uint16(len(digits))
		weight = uint16(int16(w))
		if d.Negative && len(digits) > 0 {
			sign = numericSignNeg
		}
		dscale = uint16(numericScale(d))
	}
	buf = binary.BigEndian.AppendUint16(buf, ndigits)
	buf = binary.BigEndian.AppendUint16(buf, weight)
	buf = binary.BigEndian.AppendUint16(buf, sign)
	buf = binary.BigEndian.AppendUint16(buf, dscale)
	for _, g := range digits {
		buf = binary.BigEndian.AppendUint16(buf, uint16(g))
	}
	return buf
}

func parseNumericBinary(b []byte) (types.Datum, error) {
	if len(b) < 8 {
		return nil, errInsufficientData()
	}
	n := int(binary.BigEndian.Uint16(b))
	weight := int(int16(binary.BigEndian.Uint16(b[2:])))
	sign := binary.BigEndian.Uint16(b[4:])
	dscale := binary.BigEndian.Uint16(b[6:])
	b = b[8:]
	switch sign {
	case numericSignPos, numericSignNeg, numericSignNaN, numericSignPinf, numericSignNinf:
	default:
		return nil, pgerror.New(pgerror.InvalidBinaryRepresentation, "invalid sign in external \"numeric\" value")
	}
	if dscale&numericMaxDscale != dscale {
		return nil, pgerror.New(pgerror.InvalidBinaryRepresentation, "invalid scale in external \"numeric\" value")
	}
	if len(b) < 2*n {
		return nil, errInsufficientData()
	}
	if len(b) > 2*n {
		return nil, errExtraData()
	}
	var sb strings.Builder
	for i := 0; i < n; i++ {
		g := int16(binary.BigEndian.Uint16(b[2*i:]))
		if g < 0 || g >= numericNBase {
			return nil, pgerror.New(pgerror.InvalidBinaryRepresentation, "invalid digit in external \"numeric\" value")
		}
		sb.WriteByte(byte('0' + g/1000))
		sb.WriteByte(byte('0' + g/100%10))
		sb.WriteByte(byte('0' + g/10%10))
		sb.WriteByte(byte('0' + g%10))
	}
	switch sign {
	case numericSignNaN:
		return &apd.Decimal{Form: apd.NaN}, nil
	case numericSignPinf:
		return &apd.Decimal{Form: apd.Infinite}, nil
	case numericSignNinf:
		return &apd.Decimal{Form: apd.Infinite, Negative: true}, nil
	}
	d := new(apd.Decimal)
	if n > 0 {
		d.Coeff.SetString(sb.String(), 10)
	}
	d.Exponent = int32((weight - (n - 1)) * 4)
	d.Negative = sign == numericSignNeg
	out := numericRescale(d, int32(dscale), false)
	if err := checkNumericFormat(out); err != nil {
		return nil, err
	}
	return out, nil
}

// compareNumeric orders numerics as PostgreSQL: -Infinity < finite <
// Infinity < NaN, NaN equal to NaN; finite values by value regardless of
// scale.
func compareNumeric(a, b *apd.Decimal) int {
	ra, rb := numericRank(a), numericRank(b)
	if ra != rb {
		if ra < rb {
			return -1
		}
		return 1
	}
	if ra != 1 {
		return 0
	}
	return a.Cmp(b)
}

func numericRank(d *apd.Decimal) int {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return 3
	case apd.Infinite:
		if d.Negative {
			return 0
		}
		return 2
	}
	return 1
}
