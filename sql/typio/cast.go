package typio

import (
	"github.com/aegisdb/aegis/sql/jsonb"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/cockroachdb/apd/v3"
)

func errCannotCast(from, to types.T) error {
	return pgerror.New(pgerror.CannotCoerce, "cannot cast type %s to %s", from.WithoutTypmod().String(), to.WithoutTypmod().String())
}

func errIntOutOfRange(oid types.Oid) error {
	switch oid {
	case types.OidInt2:
		return pgerror.New(pgerror.NumericValueOutOfRange, "smallint out of range")
	case types.OidInt4:
		return pgerror.New(pgerror.NumericValueOutOfRange, "integer out of range")
	case types.OidOid:
		return pgerror.New(pgerror.NumericValueOutOfRange, "OID out of range")
	}
	return pgerror.New(pgerror.NumericValueOutOfRange, "bigint out of range")
}

func isStringType(oid types.Oid) bool {
	switch oid {
	case types.OidText, types.OidVarchar, types.OidBpchar, types.OidName, types.OidChar, types.OidUnknown:
		return true
	}
	return false
}

// Cast converts d from type from to type to as PostgreSQL's cast does:
// numeric conversions with PostgreSQL's rounding and range errors,
// date/timestamp/timestamptz conversions in s.Location, bool<->int4,
// I/O conversion casts to and from the string types, and type-modifier
// coercion (an explicit cast to varchar(n)/bpchar(n) truncates, other
// contexts fail with 22001). explicit only changes that truncation
// behaviour; deciding whether a cast may be applied implicitly is the
// binder's job. A pair of types PostgreSQL has no cast for fails with
// 42846 "cannot cast type X to Y". NULL casts to NULL.
func Cast(d types.Datum, from, to types.T, explicit bool, s *Settings) (types.Datum, error) {
	if d == nil {
		return nil, nil
	}
	s = settingsOrDefault(s)
	// Casts to string types: I/O conversion (bpchar loses its padding).
	if isStringType(to.Oid) {
		var str string
		if isStringType(from.Oid) {
			v, ok := d.(string)
			if !ok {
				return nil, errWrongDatum(from, d)
			}
			str = v
			if from.Oid == types.OidBpchar && to.Oid != types.OidBpchar {
				str = strings.TrimRight(str, " ")
			}
		} else {
			if to.Oid == types.OidUnknown {
				return nil, errCannotCast(from, to)
			}
			str = string(AppendText(nil, from, d, s))
			if b, ok := d.(bool); ok && from.Oid == types.OidBool && to.Oid != types.OidName {
				// bool -> text/varchar/bpchar use booltext, not boolout.
				str = "false"
				if b {
					str = "true"
				}
			}
		}
		switch to.Oid {
		case types.OidName:
			return truncateName(str), nil
		case types.OidVarchar, types.OidBpchar:
			return charApplyTypmod(to, str, explicit)
		}
		return str, nil
	}
	if isStringType(from.Oid) {
		v, ok := d.(string)
		if !ok {
			return nil, errWrongDatum(from, d)
		}
		if to.IsArray() && to.Typmod >= 0 {
			// I/O conversion to the unmodified type, then the
			// element-wise length coercion of the cast.
			a, err := ParseText(to.WithoutTypmod(), v, s)
			if err != nil {
				return nil, err
			}
			return castArray(a.(*types.DArray), to.WithoutTypmod(), to, explicit, s)
		}
		return ParseText(to, v, s)
	}
	if from.IsArray() && to.IsArray() {
		a, ok := d.(*types.DArray)
		if !ok {
			return nil, errWrongDatum(from, d)
		}
		if from == to {
			return a, nil
		}
		return castArray(a, from, to, explicit, s)
	}
	if from.Oid == to.Oid {
		return ApplyTypmod(to, d)
	}
	switch from.Family() {
	case types.JSONFamily:
		if to.Oid == types.OidJSONB {
			v, ok := d.(string)
			if !ok {
				return nil, errWrongDatum(from, d)
			}
			return jsonb.ParseJSONB(v)
		}
	case types.JSONBFamily:
		v, ok := d.(jsonb.Value)
		if !ok {
			return nil, errWrongDatum(from, d)
		}
		return castFromJSONB(v, to)
	case types.BoolFamily:
		if to.Oid == types.OidInt4 {
			if v, ok := d.(bool); ok {
				if v {
					return int64(1), nil
				}
				return int64(0), nil
			}
			return nil, errWrongDatum(from, d)
		}
	case types.IntFamily:
		v, ok := d.(int64)
		if !ok {
			return nil, errWrongDatum(from, d)
		}
		return castFromInt(v, from, to)
	case types.FloatFamily:
		v, ok := d.(float64)
		if !ok {
			return nil, errWrongDatum(from, d)
		}
		return castFromFloat(v, from, to)
	case types.NumericFamily:
		v, ok := d.(*apd.Decimal)
		if !ok {
			return nil, errWrongDatum(from, d)
		}
		return castFromNumeric(v, to)
	case types.DateFamily:
		v, ok := d.(types.DDate)
		if !ok {
			return nil, errWrongDatum(from, d)
		}
		switch to.Oid {
		case types.OidTimestamp, types.OidTimestampTZ:
			ts, err := DateToTimestamp(v, to.Oid == types.OidTimestampTZ, s.loc())
			if err != nil {
				return nil, err
			}
			return ApplyTypmod(to, ts)
		}
	case types.TimestampFamily, types.TimestampTZFamily:
		v, ok := d.(types.DTimestamp)
		if !ok {
			return nil, errWrongDatum(from, d)
		}
		fromTZ := from.Oid == types.OidTimestampTZ
		switch to.Oid {
		case types.OidDate:
			return TimestampToDate(v, fromTZ, s.loc()), nil
		case types.OidTimestamp, types.OidTimestampTZ:
			r, err := TimestampConvert(v, fromTZ, to.Oid == types.OidTimestampTZ, s.loc())
			if err != nil {
				return nil, err
			}
			return ApplyTypmod(to, r)
		}
	}
	return nil, errCannotCast(from, to)
}

func castFromInt(v int64, from, to types.T) (types.Datum, error) {
	// OID alias types convert as oid does.
	if from.IsRegType() {
		from = types.OidT
	}
	if to.IsRegType() {
		if from.Oid == types.OidOid {
			return v, nil
		}
		to = types.OidT
	}
	switch to.Oid {
	case types.OidInt2, types.OidInt4, types.OidInt8:
		if from.Oid == types.OidOid && to.Oid == types.OidInt2 {
			return nil, errCannotCast(from, to)
		}
		if from.Oid == types.OidOid && to.Oid == types.OidInt4 {
			return int64(int32(uint32(v))), nil
		}
		lo, hi := to.IntRange()
		if v < lo || v > hi {
			return nil, errIntOutOfRange(to.Oid)
		}
		return v, nil
	case types.OidOid:
		if from.Oid == types.OidInt8 {
			if v < 0 || v > math.MaxUint32 {
				return nil, errIntOutOfRange(types.OidOid)
			}
			return v, nil
		}
		return int64(uint32(int32(v))), nil
	case types.OidFloat4:
		if from.Oid == types.OidOid {
			break
		}
		return float64(float32(v)), nil
	case types.OidFloat8:
		if from.Oid == types.OidOid {
			break
		}
		return float64(v), nil
	case types.OidNumeric:
		if from.Oid == types.OidOid {
			break
		}
		return ApplyTypmod(to, new(apd.Decimal).SetInt64(v))
	case types.OidBool:
		if from.Oid == types.OidInt4 {
			return v != 0, nil
		}
	}
	return nil, errCannotCast(from, to)
}

func castFromFloat(v float64, from, to types.T) (types.Datum, error) {
	switch to.Oid {
	case types.OidInt2, types.OidInt4, types.OidInt8:
		r := rint(v)
		lo, hi := to.IntRange()
		// float64(hi) for int8 rounds up to 2^63, which does not fit.
		if math.IsNaN(r) || r < float64(lo) || r >= float64(hi)+1 || (to.Oid == types.OidInt8 && r >= 9223372036854775807.0) {
			return nil, errIntOutOfRange(to.Oid)
		}
		return int64(r), nil
	case types.OidFloat4:
		r := float32(v)
		if math.IsInf(float64(r), 0) && !math.IsInf(v, 0) {
			return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")
		}
		if r == 0 && v != 0 {
			return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: underflow")
		}
		return float64(r), nil
	case types.OidFloat8:
		return v, nil
	case types.OidNumeric:
		d, err := floatToNumeric(v, from.Oid == types.OidFloat4)
		if err != nil {
			return nil, err
		}
		return ApplyTypmod(to, d)
	}
	return nil, errCannotCast(from, to)
}

// floatToNumeric converts as float8_numeric / float4_numeric: the value
// is first printed with 15 (float8) or 6 (float4) significant digits.
func floatToNumeric(v float64, isFloat4 bool) (*apd.Decimal, error) {
	switch {
	case math.IsNaN(v):
		return &apd.Decimal{Form: apd.NaN}, nil
	case math.IsInf(v, 1):
		return &apd.Decimal{Form: apd.Infinite}, nil
	case math.IsInf(v, -1):
		return &apd.Decimal{Form: apd.Infinite, Negative: true}, nil
	}
	prec, bits := 15, 64
	if isFloat4 {
		prec, bits = 6, 32
	}
	str := strconv.FormatFloat(v, 'g', prec, bits)
	d, err := parseNumeric(str)
	if err != nil {
		return nil, err
	}
	return d.(*apd.Decimal), nil
}

// numericIntName is the type name used in numeric->int conversion errors.
func castFromNumeric(v *apd.Decimal, to types.T) (types.Datum, error) {
	switch to.Oid {
	case types.OidInt2, types.OidInt4, types.OidInt8:
		name := intTypeName(to.Oid)
		switch v.Form {
		case apd.NaN, apd.NaNSignaling:
			return nil, pgerror.New(pgerror.FeatureNotSupported, "cannot convert NaN to %s", name)
		case apd.Infinite:
			return nil, pgerror.New(pgerror.FeatureNotSupported, "cannot convert infinity to %s", name)
		}
		r := numericRescale(v, 0, true)
		if r.Coeff.Sign() != 0 && decimalExp10(r) > 19 {
			return nil, errIntOutOfRange(to.Oid)
		}
		i, err := r.Int64()
		if err != nil {
			return nil, errIntOutOfRange(to.Oid)
		}
		lo, hi := to.IntRange()
		if i < lo || i > hi {
			return nil, errIntOutOfRange(to.Oid)
		}
		return i, nil
	case types.OidFloat4, types.OidFloat8:
		bits := 64
		if to.Oid == types.OidFloat4 {
			bits = 32
		}
		switch v.Form {
		case apd.NaN, apd.NaNSignaling:
			return math.NaN(), nil
		case apd.Infinite:
			if v.Negative {
				return math.Inf(-1), nil
			}
			return math.Inf(1), nil
		}
		return parseFloat(string(appendNumeric(nil, v)), bits)
	case types.OidNumeric:
		return ApplyTypmod(to, v)
	}
	return nil, errCannotCast(types.Numeric, to)
}

// DateToTimestamp converts a date to midnight of that day: wall clock for
// timestamp, midnight in loc for timestamptz.
func DateToTimestamp(d types.DDate, tz bool, loc *time.Location) (types.DTimestamp, error) {
	switch d {
	case types.DateNegInfinity:
		return types.TimestampNegInfinity, nil
	case types.DatePosInfinity:
		return types.TimestampPosInfinity, nil
	}
	if int64(d) >= endTimestamp/usecsPerDay {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range for timestamp")
	}
	us := int64(d) * usecsPerDay
	if tz {
		l := locOrUTC(loc)
		us = localToUTC(int64(d)*secsPerDay, l) * usecsPerSec
	}
	if !validTimestamp(us) {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range for timestamp")
	}
	return types.DTimestamp(us), nil
}

// TimestampToDate returns the date part of a timestamp (for timestamptz,
// the date in loc).
func TimestampToDate(ts types.DTimestamp, tz bool, loc *time.Location) types.DDate {
	switch ts {
	case types.TimestampNegInfinity:
		return types.DateNegInfinity
	case types.TimestampPosInfinity:
		return types.DatePosInfinity
	}
	us := int64(ts)
	if tz {
		us += zoneOffset(us, locOrUTC(loc)) * usecsPerSec
	}
	return types.DDate(floorDiv(us, usecsPerDay))
}

// TimestampConvert converts between timestamp (wall clock) and
// timestamptz (UTC instant) using loc.
func TimestampConvert(ts types.DTimestamp, fromTZ, toTZ bool, loc *time.Location) (types.DTimestamp, error) {
	if fromTZ == toTZ || ts == types.TimestampNegInfinity || ts == types.TimestampPosInfinity {
		return ts, nil
	}
	l := locOrUTC(loc)
	us := int64(ts)
	if fromTZ {
		us += zoneOffset(us, l) * usecsPerSec
	} else {
		sec := floorDiv(us, usecsPerSec)
		us = localToUTC(sec, l)*usecsPerSec + (us - sec*usecsPerSec)
	}
	if !validTimestamp(us) {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
	}
	return types.DTimestamp(us), nil
}

func locOrUTC(l *time.Location) *time.Location {
	if l == nil {
		return time.UTC
	}
	return l
}

// castFromJSONB is jsonb -> json and the jsonb casts to bool and the
// numeric types (jsonb_bool, jsonb_int4, ...): the value must be a
// scalar of the matching kind.
func castFromJSONB(v jsonb.Value, to types.T) (types.Datum, error) {
	want := jsonb.KindNumber
	switch to.Oid {
	case types.OidJSON:
		return v.String(), nil
	case types.OidBool:
		want = jsonb.KindBool
	case types.OidNumeric, types.OidInt2, types.OidInt4, types.OidInt8, types.OidFloat4, types.OidFloat8:
	default:
		return nil, errCannotCast(types.JSONB, to)
	}
	if v.Kind() != want {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot cast jsonb %s to type %s", v.Kind(), to.WithoutTypmod().String())
	}
	if want == jsonb.KindBool {
		return v.Bool(), nil
	}
	n := new(apd.Decimal).Set(v.Num())
	if to.Oid == types.OidNumeric {
		return ApplyTypmod(to, n)
	}
	return castFromNumeric(n, to)
}
