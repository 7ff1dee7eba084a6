package typio

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/cockroachdb/apd/v3"
)

// ApplyTypmod coerces d to t's type modifier as PostgreSQL does on
// assignment and in input functions: numeric(p,s) rounds half away from
// zero to s digits and fails with "numeric field overflow" when the
// integer part does not fit; varchar(n) fails with "value too long" unless
// the excess characters are all spaces (which are dropped); bpchar(n)
// does the same and blank-pads to n characters; timestamp(p),
// timestamptz(p) and interval(p) round the fractional seconds. Types
// without a modifier are returned unchanged. NULL stays NULL.
func ApplyTypmod(t types.T, d types.Datum) (types.Datum, error) {
	if d == nil {
		return nil, nil
	}
	if a, ok := d.(*types.DArray); ok {
		return applyArrayTypmod(t, a)
	}
	switch t.Oid {
	case types.OidNumeric:
		v, ok := d.(*apd.Decimal)
		if !ok {
			return nil, errWrongDatum(t, d)
		}
		return numericApplyTypmod(t, v)
	case types.OidVarchar, types.OidBpchar:
		v, ok := d.(string)
		if !ok {
			return nil, errWrongDatum(t, d)
		}
		return charApplyTypmod(t, v, false)
	case types.OidTimestamp, types.OidTimestampTZ:
		v, ok := d.(types.DTimestamp)
		if !ok {
			return nil, errWrongDatum(t, d)
		}
		return timestampApplyTypmod(t, v)
	case types.OidInterval:
		v, ok := d.(types.DInterval)
		if !ok {
			return nil, errWrongDatum(t, d)
		}
		return intervalApplyTypmod(t, v)
	}
	return d, nil
}

func numericApplyTypmod(t types.T, v *apd.Decimal) (types.Datum, error) {
	v = normalizeNumeric(v)
	p, s, ok := t.NumericPrecisionScale()
	if !ok {
		return v, nil
	}
	switch v.Form {
	case apd.NaN, apd.NaNSignaling:
		return v, nil
	case apd.Infinite:
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "numeric field overflow").
			WithDetail("A field with precision %d, scale %d cannot hold an infinite value.", p, s)
	}
	r := numericRescale(v, s, true)
	maxDigits := int64(p) - int64(s)
	if r.Coeff.Sign() != 0 && decimalExp10(r) >= maxDigits {
		e := pgerror.New(pgerror.NumericValueOutOfRange, "numeric field overflow")
		if maxDigits != 0 {
			return nil, e.WithDetail("A field with precision %d, scale %d must round to an absolute value less than 10^%d.", p, s, maxDigits)
		}
		return nil, e.WithDetail("A field with precision %d, scale %d must round to an absolute value less than 1.", p, s)
	}
	return r, nil
}

// charApplyTypmod implements varchar(n)/bpchar(n) coercion; explicit
// casts truncate silently.
func charApplyTypmod(t types.T, v string, explicit bool) (types.Datum, error) {
	n, ok := t.VarcharLength()
	if !ok {
		return v, nil
	}
	cnt := utf8.RuneCountInString(v)
	if cnt > int(n) {
		// byte offset of character n
		off, k := 0, 0
		for off < len(v) && k < int(n) {
			_, sz := utf8.DecodeRuneInString(v[off:])
			off += sz
			k++
		}
		if !explicit && strings.TrimRight(v[off:], " ") != "" {
			name := "character varying"
			if t.Oid == types.OidBpchar {
				name = "character"
			}
			return nil, pgerror.New(pgerror.StringDataRightTruncation, "value too long for type %s(%d)", name, n)
		}
		v = v[:off]
		cnt = int(n)
	}
	if t.Oid == types.OidBpchar && cnt < int(n) {
		v += strings.Repeat(" ", int(n)-cnt)
	}
	return v, nil
}

// timePrecision extracts the fractional-second precision from a
// timestamp or interval modifier (-1: none).
func timePrecision(t types.T) int {
	if t.Typmod < 0 {
		return -1
	}
	p := int(t.Typmod & 0xffff)
	if p == 0xffff || p > 6 {
		return -1
	}
	return p
}

var timeScales = [7]int64{1000000, 100000, 10000, 1000, 100, 10, 1}

func roundMicros(x int64, prec int) int64 {
	scale := timeScales[prec]
	off := scale / 2
	if x >= 0 {
		return (x + off) / scale * scale
	}
	return -((-x + off) / scale * scale)
}

func timestampApplyTypmod(t types.T, v types.DTimestamp) (types.Datum, error) {
	prec := timePrecision(t)
	if prec < 0 || prec == 6 || v == types.TimestampNegInfinity || v == types.TimestampPosInfinity {
		return v, nil
	}
	pg := int64(v) - pgEpochMicros
	if pg > math.MaxInt64-1000000 {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
	}
	r := roundMicros(pg, prec) + pgEpochMicros
	if !validTimestamp(r) {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
	}
	return types.DTimestamp(r), nil
}

func intervalApplyTypmod(t types.T, v types.DInterval) (types.Datum, error) {
	prec := timePrecision(t)
	if prec < 0 || prec == 6 {
		return v, nil
	}
	if v.Micros > math.MaxInt64-1000000 || v.Micros < math.MinInt64+1000000 {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "interval out of range")
	}
	v.Micros = roundMicros(v.Micros, prec)
	return v, nil
}
