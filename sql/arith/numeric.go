package arith

import (
	"math"
	"strconv"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/cockroachdb/apd/v3"
)

const (
	numericMaxDscale     = 0x3FFF      // NUMERIC_DSCALE_MAX
	numericMaxDecWeight  = 32767*4 + 3 // largest decimal exponent of a leading digit
	numericMinSigDigits  = 16          // NUMERIC_MIN_SIG_DIGITS
	numericMaxDispScale  = 1000        // NUMERIC_MAX_DISPLAY_SCALE
	numericMaxResultScal = 2000        // NUMERIC_MAX_RESULT_SCALE
)

var (
	bigTen     = apd.NewBigInt(10)
	bigOne     = apd.NewBigInt(1)
	pow10Cache [40]*apd.BigInt
)

func init() {
	p := apd.NewBigInt(1)
	for i := range pow10Cache {
		pow10Cache[i] = new(apd.BigInt).Set(p)
		p.Mul(p, bigTen)
	}
}

// pow10 returns 10^n; the result must not be modified.
func pow10(n int64) *apd.BigInt {
	if n < int64(len(pow10Cache)) {
		return pow10Cache[n]
	}
	return new(apd.BigInt).Exp(bigTen, apd.NewBigInt(n), nil)
}

func nan() *apd.Decimal { return &apd.Decimal{Form: apd.NaN} }

func inf(neg bool) *apd.Decimal { return &apd.Decimal{Form: apd.Infinite, Negative: neg} }

func isNaN(d *apd.Decimal) bool { return d.Form == apd.NaN || d.Form == apd.NaNSignaling }

func isInf(d *apd.Decimal) bool { return d.Form == apd.Infinite }

// sign returns -1, 0, +1 for finite and infinite values (NaN: 0).
func sign(d *apd.Decimal) int {
	switch {
	case isNaN(d):
		return 0
	case isInf(d):
		if d.Negative {
			return -1
		}
		return 1
	case d.Coeff.Sign() == 0:
		return 0
	case d.Negative:
		return -1
	}
	return 1
}

// signedCoeff returns the coefficient with the value's sign.
func signedCoeff(d *apd.Decimal) *apd.BigInt {
	c := new(apd.BigInt).Abs(&d.Coeff)
	if d.Negative {
		c.Neg(c)
	}
	return c
}

// scaled returns the signed coefficient of d at exponent e (e <= d.Exponent).
func scaled(d *apd.Decimal, e int32) *apd.BigInt {
	c := signedCoeff(d)
	if d.Exponent > e {
		c.Mul(c, pow10(int64(d.Exponent)-int64(e)))
	}
	return c
}

// fromSigned builds a canonical decimal from a signed coefficient and an
// exponent (exponent > 0 is folded into the coefficient).
func fromSigned(c *apd.BigInt, e int32) *apd.Decimal {
	d := new(apd.Decimal)
	if e > 0 {
		if c.Sign() != 0 {
			c.Mul(c, pow10(int64(e)))
		}
		e = 0
	}
	d.Negative = c.Sign() < 0
	d.Coeff.Abs(c)
	d.Exponent = e
	return d
}

func dscale(d *apd.Decimal) int32 {
	if d.Exponent >= 0 {
		return 0
	}
	return -d.Exponent
}

func checkFormat(d *apd.Decimal) (*apd.Decimal, error) {
	if d.Form == apd.Finite && d.Coeff.Sign() != 0 {
		if int64(d.NumDigits())-1+int64(d.Exponent) > numericMaxDecWeight || dscale(d) > numericMaxDscale {
			return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
		}
	}
	return d, nil
}

// NumericAdd returns a+b with scale max(dscale(a), dscale(b)).
func NumericAdd(a, b *apd.Decimal) (*apd.Decimal, error) {
	if a.Form != apd.Finite || b.Form != apd.Finite {
		switch {
		case isNaN(a) || isNaN(b):
			return nan(), nil
		case isInf(a) && isInf(b):
			if a.Negative != b.Negative {
				return nan(), nil
			}
			return inf(a.Negative), nil
		case isInf(a):
			return inf(a.Negative), nil
		}
		return inf(b.Negative), nil
	}
	e := min(a.Exponent, b.Exponent, 0)
	c := scaled(a, e)
	c.Add(c, scaled(b, e))
	return checkFormat(fromSigned(c, e))
}

// NumericSub returns a-b with scale max(dscale(a), dscale(b)).
func NumericSub(a, b *apd.Decimal) (*apd.Decimal, error) {
	return NumericAdd(a, NumericNeg(b))
}

// NumericMul returns a*b with scale dscale(a)+dscale(b).
func NumericMul(a, b *apd.Decimal) (*apd.Decimal, error) {
	if a.Form != apd.Finite || b.Form != apd.Finite {
		if isNaN(a) || isNaN(b) {
			return nan(), nil
		}
		sa, sb := sign(a), sign(b)
		if sa == 0 || sb == 0 {
			return nan(), nil
		}
		return inf(sa*sb < 0), nil
	}
	c := signedCoeff(a)
	c.Mul(c, signedCoeff(b))
	e := min(a.Exponent, 0) + min(b.Exponent, 0)
	ca := a.Exponent - min(a.Exponent, 0) + b.Exponent - min(b.Exponent, 0)
	if ca > 0 {
		c.Mul(c, pow10(int64(ca)))
	}
	r := fromSigned(c, e)
	if dscale(r) > numericMaxDscale {
		r = rescale(r, numericMaxDscale, true)
	}
	return checkFormat(r)
}

// nbaseWeight returns the base-10000 weight and first digit of a finite
// value as PostgreSQL stores it (0, 0 for zero).
func nbaseWeight(d *apd.Decimal) (weight int64, first int64) {
	if d.Coeff.Sign() == 0 {
		return 0, 0
	}
	digits := new(apd.BigInt).Abs(&d.Coeff).Text(10)
	e10 := int64(len(digits)) - 1 + int64(d.Exponent)
	weight = floorDiv(e10, 4)
	nd := int(e10 - 4*weight + 1)
	for i := 0; i < nd; i++ {
		first *= 10
		if i < len(digits) {
			first += int64(digits[i] - '0')
		}
	}
	return weight, first
}

// selectDivScale is numeric.c's select_div_scale.
func selectDivScale(a, b *apd.Decimal) int32 {
	w1, f1 := nbaseWeight(a)
	w2, f2 := nbaseWeight(b)
	qweight := w1 - w2
	if f1 <= f2 {
		qweight--
	}
	rscale := int64(numericMinSigDigits) - qweight*4
	rscale = max(rscale, int64(dscale(a)), int64(dscale(b)), 0)
	rscale = min(rscale, numericMaxDispScale)
	return int32(rscale)
}

// divRound returns a/b rounded half away from zero to rscale digits.
func divRound(a, b *apd.Decimal, rscale int32) *apd.Decimal {
	num := new(apd.BigInt).Abs(&a.Coeff)
	den := new(apd.BigInt).Abs(&b.Coeff)
	n := int64(a.Exponent) - int64(b.Exponent) + int64(rscale) + 1
	if n >= 0 {
		num.Mul(num, pow10(n))
	} else {
		den.Mul(den, pow10(-n))
	}
	q := num.Quo(num, den)
	q.Add(q, apd.NewBigInt(5))
	q.Quo(q, bigTen)
	if a.Negative != b.Negative {
		q.Neg(q)
	}
	return fromSigned(q, -rscale)
}

// NumericDiv returns a/b with PostgreSQL's select_div_scale result scale,
// rounded half away from zero.
func NumericDiv(a, b *apd.Decimal) (*apd.Decimal, error) {
	if a.Form != apd.Finite || b.Form != apd.Finite {
		if isNaN(a) || isNaN(b) {
			return nan(), nil
		}
		if isInf(a) {
			if isInf(b) {
				return nan(), nil
			}
			switch sign(b) {
			case 0:
				return nil, errDivByZero()
			case 1:
				return inf(a.Negative), nil
			}
			return inf(!a.Negative), nil
		}
		return new(apd.Decimal), nil
	}
	if b.Coeff.Sign() == 0 {
		return nil, errDivByZero()
	}
	return checkFormat(divRound(a, b, selectDivScale(a, b)))
}

// NumericDivTrunc returns trunc(a/b) with scale 0 (numeric div()).
func NumericDivTrunc(a, b *apd.Decimal) (*apd.Decimal, error) {
	if a.Form != apd.Finite || b.Form != apd.Finite {
		r, err := NumericDiv(a, b)
		if err != nil || r.Form != apd.Finite {
			return r, err
		}
		return r, nil
	}
	if b.Coeff.Sign() == 0 {
		return nil, errDivByZero()
	}
	e := min(a.Exponent, b.Exponent, 0)
	q := scaled(a, e)
	q.Quo(q, scaled(b, e))
	return checkFormat(fromSigned(q, 0))
}

// NumericMod returns a % b (sign of the dividend, scale max of the two).
func NumericMod(a, b *apd.Decimal) (*apd.Decimal, error) {
	if a.Form != apd.Finite || b.Form != apd.Finite {
		if isNaN(a) || isNaN(b) {
			return nan(), nil
		}
		if isInf(a) {
			if sign(b) == 0 {
				return nil, errDivByZero()
			}
			return nan(), nil
		}
		return new(apd.Decimal).Set(a), nil
	}
	if b.Coeff.Sign() == 0 {
		return nil, errDivByZero()
	}
	e := min(a.Exponent, b.Exponent, 0)
	r := scaled(a, e)
	r.Rem(r, scaled(b, e))
	return fromSigned(r, e), nil
}

// NumericNeg returns -a (zero stays unsigned).
func NumericNeg(a *apd.Decimal) *apd.Decimal {
	r := new(apd.Decimal).Set(a)
	if isNaN(a) {
		return r
	}
	r.Negative = !a.Negative
	if a.Form == apd.Finite && a.Coeff.Sign() == 0 {
		r.Negative = false
	}
	return r
}

// NumericAbs returns |a|.
func NumericAbs(a *apd.Decimal) *apd.Decimal {
	r := new(apd.Decimal).Set(a)
	if !isNaN(a) {
		r.Negative = false
	}
	return r
}

// NumericAvg returns sum/count as avg() does (count > 0; for count == 0 it
// returns nil, the SQL NULL).
func NumericAvg(sum *apd.Decimal, count int64) (*apd.Decimal, error) {
	if count == 0 {
		return nil, nil
	}
	return NumericDiv(sum, IntToNumeric(count))
}

// rescale rounds (half away from zero) or truncates a finite value to
// scale digits; a negative scale rounds to a power of ten with scale 0.
func rescale(d *apd.Decimal, scale int32, round bool) *apd.Decimal {
	if d.Form != apd.Finite {
		return new(apd.Decimal).Set(d)
	}
	target := -scale
	c := new(apd.BigInt).Abs(&d.Coeff)
	if c.Sign() == 0 {
		// zero: only the scale matters
	} else if d.Exponent >= target {
		c.Mul(c, pow10(int64(d.Exponent)-int64(target)))
	} else {
		div := pow10(int64(target) - int64(d.Exponent))
		var r apd.BigInt
		c.QuoRem(c, div, &r)
		if round {
			r.Add(&r, &r)
			if r.Cmp(div) >= 0 {
				c.Add(c, bigOne)
			}
		}
	}
	if d.Negative {
		c.Neg(c)
	}
	return fromSigned(c, target)
}

// NumericRound is round(numeric, s): half away from zero, result scale
// max(s, 0).
func NumericRound(a *apd.Decimal, s int32) (*apd.Decimal, error) {
	s = max(min(s, numericMaxResultScal), -numericMaxResultScal)
	return checkFormat(rescale(a, s, true))
}

// NumericTrunc is trunc(numeric, s).
func NumericTrunc(a *apd.Decimal, s int32) (*apd.Decimal, error) {
	s = max(min(s, numericMaxResultScal), -numericMaxResultScal)
	return checkFormat(rescale(a, s, false))
}

// IntToNumeric converts an integer to numeric (scale 0).
func IntToNumeric(v int64) *apd.Decimal { return new(apd.Decimal).SetInt64(v) }

// FloatToNumeric converts as float8::numeric: the value is first printed
// with 15 significant digits; NaN and ±Infinity map to numeric's.
func FloatToNumeric(f float64) (*apd.Decimal, error) {
	switch {
	case math.IsNaN(f):
		return nan(), nil
	case math.IsInf(f, 0):
		return inf(f < 0), nil
	}
	d, _, err := apd.NewFromString(strconv.FormatFloat(f, 'g', 15, 64))
	if err != nil {
		return nil, pgerror.New(pgerror.InternalError, "%v", err)
	}
	return fromSigned(signedCoeff(d), d.Exponent), nil
}

// NumericToFloat converts to float8 with correct rounding (±Inf when the
// value exceeds float8's range; callers needing PostgreSQL's range error
// use typio.Cast).
func NumericToFloat(d *apd.Decimal) float64 {
	switch {
	case isNaN(d):
		return math.NaN()
	case isInf(d):
		if d.Negative {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	f, _ := strconv.ParseFloat(d.Text('E'), 64)
	return f
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
