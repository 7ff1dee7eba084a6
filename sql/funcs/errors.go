package funcs

import (
	"crypto/md5"
	"encoding/hex"
	"math"

	"github.com/aegisdb/aegis/sql/pgerror"
)

func errNegativeSubstring() error {
	return pgerror.New(pgerror.SubstringError, "negative substring length not allowed")
}

func errRequestedLength() error {
	return pgerror.New(pgerror.ProgramLimitExceeded, "requested length too large")
}

func errSqrtNegative() error {
	return pgerror.New(pgerror.InvalidArgumentForPowerFunction, "cannot take square root of a negative number")
}

func md5hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// floatPower is float8 ^ float8 with PostgreSQL's error cases.
func floatPower(x, y float64) (float64, error) {
	if x == 0 && y < 0 {
		return 0, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "zero raised to a negative power is undefined")
	}
	if x < 0 && y != math.Trunc(y) {
		return 0, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "a negative number raised to a non-integer power yields a complex result")
	}
	r := math.Pow(x, y)
	if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
		return 0, pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")
	}
	return r, nil
}
