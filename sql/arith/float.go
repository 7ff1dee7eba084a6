package arith

import (
	"math"

	"github.com/aegisdb/aegis/sql/pgerror"
)

func errFloatOverflow() error {
	return pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")
}

func errFloatUnderflow() error {
	return pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: underflow")
}

// FloatAdd returns a+b (float8 +); an infinite result from finite inputs
// is "value out of range: overflow".
func FloatAdd(a, b float64) (float64, error) {
	r := a + b
	if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		return 0, errFloatOverflow()
	}
	return r, nil
}

// FloatSub returns a-b with float8 overflow checks.
func FloatSub(a, b float64) (float64, error) {
	r := a - b
	if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		return 0, errFloatOverflow()
	}
	return r, nil
}

// FloatMul returns a*b with float8 overflow and underflow checks.
func FloatMul(a, b float64) (float64, error) {
	r := a * b
	if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		return 0, errFloatOverflow()
	}
	if r == 0 && a != 0 && b != 0 {
		return 0, errFloatUnderflow()
	}
	return r, nil
}

// FloatDiv returns a/b: division by zero (unless a is NaN) is 22012;
// overflow and underflow are checked as float8div does.
func FloatDiv(a, b float64) (float64, error) {
	if b == 0 && !math.IsNaN(a) {
		return 0, errDivByZero()
	}
	r := a / b
	if math.IsInf(r, 0) && !math.IsInf(a, 0) {
		return 0, errFloatOverflow()
	}
	if r == 0 && a != 0 && !math.IsInf(b, 0) {
		return 0, errFloatUnderflow()
	}
	return r, nil
}

// float4 checks: results are rounded to float32 and checked against its
// range, as float4pl & co. do.
func check4(r float32, ainf, binf bool, zeroOK bool) (float64, error) {
	if math.IsInf(float64(r), 0) && !ainf && !binf {
		return 0, errFloatOverflow()
	}
	if !zeroOK && r == 0 {
		return 0, errFloatUnderflow()
	}
	return float64(r), nil
}

// Float4Add returns a+b computed in float4 (real) precision.
func Float4Add(a, b float64) (float64, error) {
	return check4(float32(a)+float32(b), math.IsInf(a, 0), math.IsInf(b, 0), true)
}

// Float4Sub returns a-b computed in float4 precision.
func Float4Sub(a, b float64) (float64, error) {
	return check4(float32(a)-float32(b), math.IsInf(a, 0), math.IsInf(b, 0), true)
}

// Float4Mul returns a*b computed in float4 precision.
func Float4Mul(a, b float64) (float64, error) {
	return check4(float32(a)*float32(b), math.IsInf(a, 0), math.IsInf(b, 0), a == 0 || b == 0)
}

// Float4Div returns a/b computed in float4 precision.
func Float4Div(a, b float64) (float64, error) {
	if b == 0 && !math.IsNaN(a) {
		return 0, errDivByZero()
	}
	return check4(float32(a)/float32(b), math.IsInf(a, 0), false, a == 0 || math.IsInf(b, 0))
}

// FloatNeg returns -a.
func FloatNeg(a float64) float64 { return -a }

// FloatAbs returns |a|.
func FloatAbs(a float64) float64 { return math.Abs(a) }

// FloatRound rounds to an integer as round(float8) does: PostgreSQL's
// dround uses C's rint, which rounds half to even.
func FloatRound(a float64) float64 { return math.RoundToEven(a) }

// FloatTrunc truncates toward zero, as trunc(float8).
func FloatTrunc(a float64) float64 { return math.Trunc(a) }
