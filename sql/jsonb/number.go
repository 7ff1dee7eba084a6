package jsonb

import (
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/cockroachdb/apd/v3"
)

// numeric storage limits (PostgreSQL's numeric.c).
const (
	numericMaxDscale    = 0x3FFF      // NUMERIC_DSCALE_MAX
	numericMaxDecWeight = 32767*4 + 3 // decimal exponent of the largest leading digit
	numericExpLimit     = 1<<31/2 - 1 // INT_MAX/2, the exponent parse limit
)

func errNumericOverflow() *pgerror.Error {
	return pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
}

var bigTen = apd.NewBigInt(10)

func pow10(n int64) *apd.BigInt {
	return new(apd.BigInt).Exp(bigTen, apd.NewBigInt(n), nil)
}

// parseNumber converts a JSON number token (already validated by the
// lexer) as numeric_in does: the display scale is max(0, fraction digits -
// exponent), and the value must fit numeric's storage format.
func parseNumber(tok string) (*apd.Decimal, error) {
	i := 0
	neg := false
	if tok[0] == '-' {
		neg = true
		i++
	}
	digits := make([]byte, 0, len(tok))
	var frac int64
	seenPoint := false
	for ; i < len(tok); i++ {
		c := tok[i]
		if c >= '0' && c <= '9' {
			digits = append(digits, c)
			if seenPoint {
				frac++
			}
		} else if c == '.' {
			seenPoint = true
		} else {
			break
		}
	}
	var exp int64
	if i < len(tok) { // e or E
		i++
		eneg := false
		if tok[i] == '+' || tok[i] == '-' {
			eneg = tok[i] == '-'
			i++
		}
		for ; i < len(tok); i++ {
			if exp < numericExpLimit {
				exp = exp*10 + int64(tok[i]-'0')
			}
		}
		if exp >= numericExpLimit {
			return nil, errNumericOverflow()
		}
		if eneg {
			exp = -exp
		}
	}
	j := 0
	for j < len(digits)-1 && digits[j] == '0' {
		j++
	}
	digits = digits[j:]
	zero := len(digits) == 1 && digits[0] == '0'
	scale := frac - exp
	if scale < 0 {
		scale = 0
	}
	if !zero && int64(len(digits))-1-frac+exp > numericMaxDecWeight {
		return nil, errNumericOverflow()
	}
	if scale > numericMaxDscale {
		return nil, errNumericOverflow()
	}
	d := new(apd.Decimal)
	d.Coeff.SetString(string(digits), 10)
	// value = digits * 10^(exp-frac); represent with exponent -scale.
	shift := exp - frac + scale // >= 0 when exp-frac >= -scale
	if shift > 0 {
		if zero {
			d.Coeff.SetInt64(0)
		} else {
			d.Coeff.Mul(&d.Coeff, pow10(shift))
		}
	} else if shift < 0 {
		// cannot happen: scale >= frac-exp
		return nil, pgerror.AssertionFailed("jsonb: number scale")
	}
	d.Exponent = int32(-scale)
	d.Negative = neg && !zero
	return d, nil
}

// canonicalNumber returns a copy of the finite d with exponent <= 0 and
// no negative zero.
func canonicalNumber(d *apd.Decimal) *apd.Decimal {
	out := new(apd.Decimal).Set(d)
	if out.Form != apd.Finite {
		return out
	}
	if out.Exponent > 0 {
		out.Coeff.Mul(&out.Coeff, pow10(int64(out.Exponent)))
		out.Exponent = 0
	}
	if out.Coeff.Sign() < 0 {
		out.Coeff.Neg(&out.Coeff)
		out.Negative = !out.Negative
	}
	if out.Coeff.Sign() == 0 {
		out.Negative = false
	}
	return out
}

// appendNumber appends d as numeric_out prints it.
func appendNumber(buf []byte, d *apd.Decimal) []byte {
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

// compareNumbers compares finite numbers by value (1.0 = 1).
func compareNumbers(a, b *apd.Decimal) int { return a.Cmp(b) }
