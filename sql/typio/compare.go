package typio

import (
	"bytes"
	"github.com/aegisdb/aegis/sql/jsonb"
	"math"
	"strings"

	"github.com/aegisdb/aegis/sql/types"
	"github.com/cockroachdb/apd/v3"
)

func cmpOrdered[T int64 | types.DDate | types.DTimestamp | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Compare returns -1, 0 or +1 ordering two non-NULL values of type t as
// PostgreSQL's btree comparison does: floats and numerics put NaN after
// everything (and equal to itself), strings compare bytewise (C
// collation) with bpchar ignoring trailing blanks, intervals compare by
// total span with 30-day months. Mismatched Datums compare equal.
func Compare(t types.T, a, b types.Datum) int {
	switch t.Family() {
	case types.BoolFamily:
		x, ok1 := a.(bool)
		y, ok2 := b.(bool)
		if ok1 && ok2 && x != y {
			if !x {
				return -1
			}
			return 1
		}
	case types.IntFamily:
		x, ok1 := a.(int64)
		y, ok2 := b.(int64)
		if ok1 && ok2 {
			return cmpOrdered(x, y)
		}
	case types.FloatFamily:
		x, ok1 := a.(float64)
		y, ok2 := b.(float64)
		if ok1 && ok2 {
			return CompareFloat(x, y)
		}
	case types.NumericFamily:
		x, ok1 := a.(*apd.Decimal)
		y, ok2 := b.(*apd.Decimal)
		if ok1 && ok2 {
			return compareNumeric(x, y)
		}
	case types.StringFamily:
		x, ok1 := a.(string)
		y, ok2 := b.(string)
		if ok1 && ok2 {
			if t.Oid == types.OidBpchar {
				x, y = strings.TrimRight(x, " "), strings.TrimRight(y, " ")
			}
			return cmpOrdered(x, y)
		}
	case types.BytesFamily:
		x, ok1 := a.([]byte)
		y, ok2 := b.([]byte)
		if ok1 && ok2 {
			return bytes.Compare(x, y)
		}
	case types.DateFamily:
		x, ok1 := a.(types.DDate)
		y, ok2 := b.(types.DDate)
		if ok1 && ok2 {
			return cmpOrdered(x, y)
		}
	case types.TimestampFamily, types.TimestampTZFamily:
		x, ok1 := a.(types.DTimestamp)
		y, ok2 := b.(types.DTimestamp)
		if ok1 && ok2 {
			return cmpOrdered(x, y)
		}
	case types.IntervalFamily:
		x, ok1 := a.(types.DInterval)
		y, ok2 := b.(types.DInterval)
		if ok1 && ok2 {
			return CompareInterval(x, y)
		}
	case types.UUIDFamily:
		x, ok1 := a.(types.DUUID)
		y, ok2 := b.(types.DUUID)
		if ok1 && ok2 {
			return bytes.Compare(x[:], y[:])
		}
	case types.EnumFamily:
		x, ok1 := a.(string)
		y, ok2 := b.(string)
		if ok1 && ok2 {
			sx, _ := types.EnumSortOrder(t, x)
			sy, _ := types.EnumSortOrder(t, y)
			return CompareFloat(sx, sy)
		}
	case types.JSONBFamily:
		x, ok1 := a.(jsonb.Value)
		y, ok2 := b.(jsonb.Value)
		if ok1 && ok2 {
			return jsonb.Compare(x, y)
		}
	case types.ArrayFamily:
		x, ok1 := a.(*types.DArray)
		y, ok2 := b.(*types.DArray)
		if ok1 && ok2 {
			return CompareArrays(t, x, y)
		}
	}
	return 0
}

// CompareFloat orders floats as PostgreSQL: NaN is greater than every
// other value and equal to NaN; -0 equals 0.
func CompareFloat(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CompareInterval orders intervals by their total span, counting a month
// as 30 days and a day as 24 hours (interval_cmp).
func CompareInterval(a, b types.DInterval) int {
	da, ra := intervalSpan(a)
	db, rb := intervalSpan(b)
	if c := cmpOrdered(da, db); c != 0 {
		return c
	}
	return cmpOrdered(ra, rb)
}

func intervalSpan(iv types.DInterval) (days, rem int64) {
	days = int64(iv.Months)*30 + int64(iv.Days) + floorDiv(iv.Micros, usecsPerDay)
	rem = iv.Micros - floorDiv(iv.Micros, usecsPerDay)*usecsPerDay
	return
}
