package arith

import (
	"math"
	"time"

	"github.com/aegisdb/aegis/internal/civil"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

const (
	usecsPerSec  = int64(1000000)
	usecsPerDay  = 86400 * usecsPerSec
	secsPerDay   = int64(86400)
	daysPerMonth = 30

	minDate      = -2440588             // 4714-11-24 BC, days since 1970
	endDate      = 2147483494 - 2440588 // 5874898-01-01, exclusive
	pgEpochMicro = 10957 * usecsPerDay  // 2000-01-01
	minTimestamp = -211813488000000000 + pgEpochMicro
)

func errTimestampRange() error {
	return pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
}

func errIntervalRange() error {
	return pgerror.New(pgerror.DatetimeFieldOverflow, "interval out of range")
}

func validTimestamp(us int64) bool {
	return us >= minTimestamp && us < int64(types.TimestampPosInfinity)
}

func daysInMonth(y, m int64) int64 {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func zoneOffset(us int64, loc *time.Location) int64 {
	if loc == nil || loc == time.UTC {
		return 0
	}
	_, off := time.Unix(floorDiv(us, usecsPerSec), 0).In(loc).Zone()
	return int64(off)
}

// localToUTC resolves local wall-clock seconds in loc as PostgreSQL's
// DetermineTimeZoneOffset does.
func localToUTC(local int64, loc *time.Location) int64 {
	if loc == nil || loc == time.UTC {
		return local
	}
	off := func(u int64) int64 {
		_, o := time.Unix(u, 0).In(loc).Zone()
		return int64(o)
	}
	ob, oa := off(local-secsPerDay), off(local+secsPerDay)
	if ob == oa {
		u := local - ob
		if o := off(u); o != ob {
			return local - o
		}
		return u
	}
	uB, uA := local-ob, local-oa
	if off(uA) == oa {
		return uA
	}
	return uB
}

// toLocal splits an instant into local days and time of day.
func toLocal(us int64, tz *time.Location) (days, tod int64) {
	if tz != nil {
		us += zoneOffset(us, tz) * usecsPerSec
	}
	days = floorDiv(us, usecsPerDay)
	return days, us - days*usecsPerDay
}

// fromLocal converts local days and time of day back to an instant.
func fromLocal(days, tod int64, tz *time.Location) (int64, error) {
	if days < minDate || days >= endDate {
		return 0, errTimestampRange()
	}
	local := days*usecsPerDay + tod
	if tz == nil {
		if !validTimestamp(local) {
			return 0, errTimestampRange()
		}
		return local, nil
	}
	sec := floorDiv(local, usecsPerSec)
	us := localToUTC(sec, tz)*usecsPerSec + (local - sec*usecsPerSec)
	if !validTimestamp(us) {
		return 0, errTimestampRange()
	}
	return us, nil
}

// DateAddDays returns d + n days (date + integer); "date out of range"
// (22008) outside PostgreSQL's date range. Infinite dates are unchanged.
func DateAddDays(d types.DDate, n int64) (types.DDate, error) {
	if d == types.DateNegInfinity || d == types.DatePosInfinity {
		return d, nil
	}
	r := int64(d) + n
	if n > math.MaxInt32 || n < math.MinInt32 || r < minDate || r >= endDate {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range")
	}
	return types.DDate(r), nil
}

// DateSub returns a - b in days; infinite operands are an error as in
// PostgreSQL ("cannot subtract infinite dates").
func DateSub(a, b types.DDate) (int64, error) {
	if a == types.DateNegInfinity || a == types.DatePosInfinity || b == types.DateNegInfinity || b == types.DatePosInfinity {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "cannot subtract infinite dates")
	}
	return int64(a) - int64(b), nil
}

// TimestampAddInterval returns ts + iv. tz is nil for timestamp (wall
// clock); for timestamptz it is the session zone, in which months and days
// are added on the local calendar before the microseconds are added.
func TimestampAddInterval(ts types.DTimestamp, iv types.DInterval, tz *time.Location) (types.DTimestamp, error) {
	if ts == types.TimestampNegInfinity || ts == types.TimestampPosInfinity {
		return ts, nil
	}
	us := int64(ts)
	var err error
	if iv.Months != 0 {
		days, tod := toLocal(us, tz)
		y, m, d := civil.FromDays(days)
		total := y*12 + (m - 1) + int64(iv.Months)
		y = floorDiv(total, 12)
		m = total - y*12 + 1
		if dim := daysInMonth(y, m); d > dim {
			d = dim
		}
		// Out-of-range years would overflow the µs arithmetic below.
		if y < -4714 || y > 294277 {
			return 0, errTimestampRange()
		}
		if us, err = fromLocal(civil.DaysFromCivil(y, m, d), tod, tz); err != nil {
			return 0, err
		}
		// PostgreSQL checks the range after each step, not only at the end.
		if !validTimestamp(us) {
			return 0, errTimestampRange()
		}
	}
	if iv.Days != 0 {
		days, tod := toLocal(us, tz)
		nd := days + int64(iv.Days)
		if nd < -2500000 || nd > 110000000 { // beyond 4714 BC .. 294276 AD
			return 0, errTimestampRange()
		}
		if us, err = fromLocal(nd, tod, tz); err != nil {
			return 0, err
		}
		if !validTimestamp(us) {
			return 0, errTimestampRange()
		}
	}
	r := us + iv.Micros
	if (r > us) != (iv.Micros > 0) || !validTimestamp(r) {
		return 0, errTimestampRange()
	}
	return types.DTimestamp(r), nil
}

// TimestampSubInterval returns ts - iv.
func TimestampSubInterval(ts types.DTimestamp, iv types.DInterval, tz *time.Location) (types.DTimestamp, error) {
	n, err := IntervalNeg(iv)
	if err != nil {
		return 0, err
	}
	return TimestampAddInterval(ts, n, tz)
}

// TimestampSub returns a - b as an interval of days and time
// (justify_hours applied, no months). Infinite operands are an error
// ("cannot subtract infinite timestamps").
func TimestampSub(a, b types.DTimestamp) (types.DInterval, error) {
	if a == types.TimestampNegInfinity || a == types.TimestampPosInfinity || b == types.TimestampNegInfinity || b == types.TimestampPosInfinity {
		return types.DInterval{}, pgerror.New(pgerror.DatetimeFieldOverflow, "cannot subtract infinite timestamps")
	}
	d := int64(a) - int64(b)
	if (d < int64(a)) != (int64(b) > 0) {
		return types.DInterval{}, errIntervalRange()
	}
	return JustifyHours(types.DInterval{Micros: d})
}

// DateAddInterval returns date + interval as a timestamp.
func DateAddInterval(d types.DDate, iv types.DInterval) (types.DTimestamp, error) {
	switch d {
	case types.DateNegInfinity:
		return types.TimestampNegInfinity, nil
	case types.DatePosInfinity:
		return types.TimestampPosInfinity, nil
	}
	us := int64(d) * usecsPerDay
	if !validTimestamp(us) || int64(d) >= int64(types.TimestampPosInfinity)/usecsPerDay {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range for timestamp")
	}
	return TimestampAddInterval(types.DTimestamp(us), iv, nil)
}

// DateSubInterval returns date - interval as a timestamp.
func DateSubInterval(d types.DDate, iv types.DInterval) (types.DTimestamp, error) {
	n, err := IntervalNeg(iv)
	if err != nil {
		return 0, err
	}
	return DateAddInterval(d, n)
}

func add32(a, b int32) (int32, bool) {
	r := int64(a) + int64(b)
	return int32(r), r > math.MaxInt32 || r < math.MinInt32
}

// IntervalAdd returns a + b field by field.
func IntervalAdd(a, b types.DInterval) (types.DInterval, error) {
	m, o1 := add32(a.Months, b.Months)
	d, o2 := add32(a.Days, b.Days)
	t := a.Micros + b.Micros
	o3 := (t > a.Micros) != (b.Micros > 0)
	if o1 || o2 || o3 {
		return types.DInterval{}, errIntervalRange()
	}
	return types.DInterval{Months: m, Days: d, Micros: t}, nil
}

// IntervalSub returns a - b field by field.
func IntervalSub(a, b types.DInterval) (types.DInterval, error) {
	m := int64(a.Months) - int64(b.Months)
	d := int64(a.Days) - int64(b.Days)
	t := a.Micros - b.Micros
	if m > math.MaxInt32 || m < math.MinInt32 || d > math.MaxInt32 || d < math.MinInt32 || (t < a.Micros) != (b.Micros > 0) {
		return types.DInterval{}, errIntervalRange()
	}
	return types.DInterval{Months: int32(m), Days: int32(d), Micros: t}, nil
}

// IntervalNeg returns -a.
func IntervalNeg(a types.DInterval) (types.DInterval, error) {
	if a.Months == math.MinInt32 || a.Days == math.MinInt32 || a.Micros == math.MinInt64 {
		return types.DInterval{}, errIntervalRange()
	}
	return types.DInterval{Months: -a.Months, Days: -a.Days, Micros: -a.Micros}, nil
}

func tsround(f float64) float64 { return math.RoundToEven(f*1e6) / 1e6 }

func fitsInt64(f float64) bool { return f >= -9223372036854775808.0 && f < 9223372036854775808.0 }

// cascade finishes interval_mul/interval_div: monthF and dayF are the
// exact month and day products, timeF the time product in µs.
func cascade(monthF, dayF float64, timeF func(secRemainder float64) float64) (types.DInterval, error) {
	if math.IsNaN(monthF) || monthF > math.MaxInt32 || monthF < math.MinInt32 ||
		math.IsNaN(dayF) || dayF > math.MaxInt32 || dayF < math.MinInt32 {
		return types.DInterval{}, errIntervalRange()
	}
	r := types.DInterval{Months: int32(monthF), Days: int32(dayF)}
	monthRemDays := tsround((monthF - float64(r.Months)) * daysPerMonth)
	secRem := tsround((dayF - float64(r.Days) + monthRemDays - float64(int32(monthRemDays))) * float64(secsPerDay))
	if math.Abs(secRem) >= float64(secsPerDay) {
		r.Days += int32(secRem / float64(secsPerDay))
		secRem -= float64(int32(secRem/float64(secsPerDay))) * float64(secsPerDay)
	}
	r.Days += int32(monthRemDays)
	t := math.RoundToEven(timeF(secRem))
	if math.IsNaN(t) || !fitsInt64(t) {
		return types.DInterval{}, errIntervalRange()
	}
	r.Micros = int64(t)
	return r, nil
}

// IntervalMulFloat returns iv * f with PostgreSQL's cascading of
// fractional months and days into smaller units.
func IntervalMulFloat(iv types.DInterval, f float64) (types.DInterval, error) {
	return cascade(float64(iv.Months)*f, float64(iv.Days)*f, func(sr float64) float64 {
		return float64(iv.Micros)*f + sr*float64(usecsPerSec)
	})
}

// IntervalDivFloat returns iv / f; f == 0 is "division by zero".
func IntervalDivFloat(iv types.DInterval, f float64) (types.DInterval, error) {
	if f == 0 {
		return types.DInterval{}, errDivByZero()
	}
	return cascade(float64(iv.Months)/f, float64(iv.Days)/f, func(sr float64) float64 {
		return float64(iv.Micros)/f + sr*float64(usecsPerSec)
	})
}

// IntervalCompare orders intervals by total span (30-day months, 24-hour
// days), as interval_cmp.
func IntervalCompare(a, b types.DInterval) int {
	span := func(iv types.DInterval) (int64, int64) {
		q := floorDiv(iv.Micros, usecsPerDay)
		return int64(iv.Months)*daysPerMonth + int64(iv.Days) + q, iv.Micros - q*usecsPerDay
	}
	da, ra := span(a)
	db, rb := span(b)
	switch {
	case da < db:
		return -1
	case da > db:
		return 1
	case ra < rb:
		return -1
	case ra > rb:
		return 1
	}
	return 0
}

// JustifyHours moves whole days out of the time field (justify_hours).
func JustifyHours(a types.DInterval) (types.DInterval, error) {
	r := a
	whole := r.Micros / usecsPerDay
	r.Micros -= whole * usecsPerDay
	d := int64(r.Days) + whole
	if d > math.MaxInt32 || d < math.MinInt32 {
		return types.DInterval{}, errIntervalRange()
	}
	r.Days = int32(d)
	if r.Days > 0 && r.Micros < 0 {
		r.Micros += usecsPerDay
		r.Days--
	} else if r.Days < 0 && r.Micros > 0 {
		r.Micros -= usecsPerDay
		r.Days++
	}
	return r, nil
}

// JustifyDays moves whole 30-day months out of the days field
// (justify_days).
func JustifyDays(a types.DInterval) (types.DInterval, error) {
	r := a
	whole := r.Days / daysPerMonth
	r.Days -= whole * daysPerMonth
	m := int64(r.Months) + int64(whole)
	if m > math.MaxInt32 || m < math.MinInt32 {
		return types.DInterval{}, errIntervalRange()
	}
	r.Months = int32(m)
	if r.Months > 0 && r.Days < 0 {
		r.Days += daysPerMonth
		r.Months--
	} else if r.Months < 0 && r.Days > 0 {
		r.Days -= daysPerMonth
		r.Months++
	}
	return r, nil
}

// JustifyInterval applies justify_days and justify_hours with consistent
// signs (justify_interval).
func JustifyInterval(a types.DInterval) (types.DInterval, error) {
	month, day, t := int64(a.Months), int64(a.Days), a.Micros
	if (day > 0 && t > 0) || (day < 0 && t < 0) {
		whole := day / daysPerMonth
		day -= whole * daysPerMonth
		month += whole
	}
	wholeDay := t / usecsPerDay
	t -= wholeDay * usecsPerDay
	day += wholeDay
	whole := day / daysPerMonth
	day -= whole * daysPerMonth
	month += whole
	if month > math.MaxInt32 || month < math.MinInt32 || day > math.MaxInt32 || day < math.MinInt32 {
		return types.DInterval{}, errIntervalRange()
	}
	if month > 0 && (day < 0 || (day == 0 && t < 0)) {
		day += daysPerMonth
		month--
	} else if month < 0 && (day > 0 || (day == 0 && t > 0)) {
		day -= daysPerMonth
		month++
	}
	if day > 0 && t < 0 {
		t += usecsPerDay
		day--
	} else if day < 0 && t > 0 {
		t -= usecsPerDay
		day++
	}
	return types.DInterval{Months: int32(month), Days: int32(day), Micros: t}, nil
}
