package arith

import (
	"math"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

// errDivByZero returns PostgreSQL's "division by zero" error (22012).
func errDivByZero() error { return pgerror.New(pgerror.DivisionByZero, "division by zero") }

func errIntRange(t types.T) error {
	switch t.Oid {
	case types.OidInt2:
		return pgerror.New(pgerror.NumericValueOutOfRange, "smallint out of range")
	case types.OidInt4:
		return pgerror.New(pgerror.NumericValueOutOfRange, "integer out of range")
	}
	return pgerror.New(pgerror.NumericValueOutOfRange, "bigint out of range")
}

func checkInt(t types.T, v int64) (int64, error) {
	switch t.Oid {
	case types.OidInt2:
		if v < math.MinInt16 || v > math.MaxInt16 {
			return 0, errIntRange(t)
		}
	case types.OidInt4:
		if v < math.MinInt32 || v > math.MaxInt32 {
			return 0, errIntRange(t)
		}
	}
	return v, nil
}

// IntAdd returns a+b checked against the range of t (int2, int4 or int8).
func IntAdd(t types.T, a, b int64) (int64, error) {
	c := a + b
	if (c > a) != (b > 0) {
		return 0, errIntRange(t)
	}
	return checkInt(t, c)
}

// IntSub returns a-b checked against the range of t.
func IntSub(t types.T, a, b int64) (int64, error) {
	c := a - b
	if (c < a) != (b > 0) {
		return 0, errIntRange(t)
	}
	return checkInt(t, c)
}

// IntMul returns a*b checked against the range of t.
func IntMul(t types.T, a, b int64) (int64, error) {
	if a == 0 || b == 0 {
		return 0, nil
	}
	c := a * b
	if c/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, errIntRange(t)
	}
	return checkInt(t, c)
}

// IntDiv returns a/b truncated toward zero; b == 0 is "division by zero",
// MIN / -1 is out of range.
func IntDiv(t types.T, a, b int64) (int64, error) {
	if b == 0 {
		return 0, errDivByZero()
	}
	if b == -1 {
		return IntNeg(t, a)
	}
	return checkInt(t, a/b)
}

// IntMod returns PostgreSQL's a % b (sign of the dividend); b == 0 is
// "division by zero".
func IntMod(t types.T, a, b int64) (int64, error) {
	if b == 0 {
		return 0, errDivByZero()
	}
	if b == -1 {
		return 0, nil
	}
	return a % b, nil
}

// IntNeg returns -a checked against the range of t.
func IntNeg(t types.T, a int64) (int64, error) {
	if a == math.MinInt64 {
		return 0, errIntRange(t)
	}
	return checkInt(t, -a)
}

// IntAbs returns |a| checked against the range of t.
func IntAbs(t types.T, a int64) (int64, error) {
	if a < 0 {
		return IntNeg(t, a)
	}
	return a, nil
}
