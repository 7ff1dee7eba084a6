package funcs

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

// localParts splits a timestamp into its civil fields: wall clock for
// timestamp, the session time zone for timestamptz.
func localParts(us int64, tz *time.Location) time.Time {
	t := time.UnixMicro(us).UTC()
	if tz != nil {
		t = t.In(tz)
	}
	return t
}

// fromLocal builds a timestamp from civil fields (in tz for timestamptz).
func fromLocal(t time.Time, tz *time.Location) types.DTimestamp {
	if tz == nil {
		return types.DTimestamp(time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC).UnixMicro())
	}
	return types.DTimestamp(time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), tz).UnixMicro())
}

func truncTime(unit string, t time.Time) (time.Time, error) {
	y, m, d := t.Date()
	loc := t.Location()
	switch strings.ToLower(unit) {
	case "microseconds":
		return t, nil
	case "milliseconds":
		return t.Truncate(time.Millisecond), nil
	case "second":
		return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), 0, loc), nil
	case "minute":
		return time.Date(y, m, d, t.Hour(), t.Minute(), 0, 0, loc), nil
	case "hour":
		return time.Date(y, m, d, t.Hour(), 0, 0, 0, loc), nil
	case "day":
		return time.Date(y, m, d, 0, 0, 0, 0, loc), nil
	case "week":
		wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
		return time.Date(y, m, d-wd, 0, 0, 0, 0, loc), nil
	case "month":
		return time.Date(y, m, 1, 0, 0, 0, 0, loc), nil
	case "quarter":
		return time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, loc), nil
	case "year":
		return time.Date(y, 1, 1, 0, 0, 0, 0, loc), nil
	case "decade":
		return time.Date(y-((y%10+10)%10), 1, 1, 0, 0, 0, 0, loc), nil
	case "century":
		c := (y + 99) / 100
		if y <= 0 {
			c = -((99 - y) / 100)
		}
		return time.Date((c-1)*100+1, 1, 1, 0, 0, 0, 0, loc), nil
	case "millennium":
		c := (y + 999) / 1000
		return time.Date((c-1)*1000+1, 1, 1, 0, 0, 0, 0, loc), nil
	}
	return t, pgerror.New(pgerror.FeatureNotSupported, "unit %q not recognized for type timestamp", strings.ToLower(unit))
}

func extractField(field string, t time.Time, us int64, tz bool) (*apd.Decimal, error) {
	dec := func(v int64) *apd.Decimal { return apd.New(v, 0) }
	f := strings.ToLower(field)
	switch f {
	case "year":
		return dec(int64(t.Year())), nil
	case "month":
		return dec(int64(t.Month())), nil
	case "day":
		return dec(int64(t.Day())), nil
	case "hour":
		return dec(int64(t.Hour())), nil
	case "minute":
		return dec(int64(t.Minute())), nil
	case "second":
		return apd.New(int64(t.Second())*1e6+int64(t.Nanosecond()/1000), -6), nil
	case "milliseconds":
		return apd.New(int64(t.Second())*1e6+int64(t.Nanosecond()/1000), -3), nil
	case "microseconds":
		return dec(int64(t.Second())*1e6 + int64(t.Nanosecond()/1000)), nil
	case "dow":
		return dec(int64(t.Weekday())), nil
	case "isodow":
		return dec(int64((int(t.Weekday())+6)%7 + 1)), nil
	case "doy":
		return dec(int64(t.YearDay())), nil
	case "week":
		_, w := t.ISOWeek()
		return dec(int64(w)), nil
	case "isoyear":
		y, _ := t.ISOWeek()
		return dec(int64(y)), nil
	case "quarter":
		return dec(int64((t.Month()-1)/3 + 1)), nil
	case "decade":
		return dec(int64(math.Floor(float64(t.Year()) / 10))), nil
	case "century":
		y := t.Year()
		if y > 0 {
			return dec(int64((y + 99) / 100)), nil
		}
		return dec(-int64((99 - y) / 100)), nil
	case "millennium":
		y := t.Year()
		if y > 0 {
			return dec(int64((y + 999) / 1000)), nil
		}
		return dec(-int64((999 - y) / 1000)), nil
	case "epoch":
		return apd.New(us, -6), nil
	case "timezone":
		if tz {
			_, off := t.Zone()
			return dec(int64(off)), nil
		}
	}
	typ := "timestamp without time zone"
	if tz {
		typ = "timestamp with time zone"
	}
	return nil, pgerror.New(pgerror.FeatureNotSupported, "unit %q not supported for type %s", f, typ)
}

func registerDateTimeFunctions(r *Registry) {
	for _, t := range []types.T{types.Timestamp, types.TimestampTZ} {
		t := t
		tzOf := func(env Env) *time.Location {
			if t == types.TimestampTZ {
				return location(env)
			}
			return nil
		}
		vol := stableIfTZ(t)
		r.addFn(&Overload{Name: "date_trunc", Args: []types.T{types.Text, t}, Ret: t, Volatility: vol, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			ts := a[1].(types.DTimestamp)
			if ts == types.TimestampPosInfinity || ts == types.TimestampNegInfinity {
				return ts, nil
			}
			tt, err := truncTime(a[0].(string), localParts(int64(ts), tzOf(env)))
			if err != nil {
				return nil, err
			}
			return fromLocal(tt, tzOf(env)), nil
		}})
		extract := func(env Env, a []types.Datum) (*apd.Decimal, error) {
			ts := int64(a[1].(types.DTimestamp))
			return extractField(a[0].(string), localParts(ts, tzOf(env)), epochOf(ts, tzOf(env)), t == types.TimestampTZ)
		}
		r.addFn(&Overload{Name: "extract", Args: []types.T{types.Text, t}, Ret: types.Numeric, Volatility: vol, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			return extract(env, a)
		}})
		r.addFn(&Overload{Name: "date_part", Args: []types.T{types.Text, t}, Ret: types.Float8, Volatility: vol, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			d, err := extract(env, a)
			if err != nil {
				return nil, err
			}
			f, _ := d.Float64()
			return f, nil
		}})
	}
	dateExtract := func(a []types.Datum) (*apd.Decimal, error) {
		days := int64(a[1].(types.DDate))
		t := time.Unix(days*86400, 0).UTC()
		switch strings.ToLower(a[0].(string)) {
		case "hour", "minute", "second", "milliseconds", "microseconds", "timezone":
			return nil, pgerror.New(pgerror.FeatureNotSupported, "unit %q not supported for type date", strings.ToLower(a[0].(string)))
		}
		return extractField(a[0].(string), t, days*86400e6, false)
	}
	r.addFn(&Overload{Name: "extract", Args: []types.T{types.Text, types.Date}, Ret: types.Numeric, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		d, err := dateExtract(a)
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(a[0].(string), "epoch") {
			d.Exponent = 0
			d.Coeff.Div(&d.Coeff, apdTen6())
		}
		return d, nil
	}})
	r.addFn(&Overload{Name: "extract", Args: []types.T{types.Text, types.Interval}, Ret: types.Numeric, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
		iv := a[1].(types.DInterval)
		dec := func(v int64) *apd.Decimal { return apd.New(v, 0) }
		switch f := strings.ToLower(a[0].(string)); f {
		case "year":
			return dec(int64(iv.Months / 12)), nil
		case "month":
			return dec(int64(iv.Months % 12)), nil
		case "day":
			return dec(int64(iv.Days)), nil
		case "hour":
			return dec(iv.Micros / 3600e6), nil
		case "minute":
			return dec(iv.Micros % 3600e6 / 60e6), nil
		case "second":
			return apd.New(iv.Micros%60e6, -6), nil
		case "epoch":
			secs := int64(iv.Months/12)*int64(365.25*86400) + int64(iv.Months%12)*30*86400 + int64(iv.Days)*86400
			return apd.New(secs*1e6+iv.Micros, -6), nil
		default:
			return nil, pgerror.New(pgerror.FeatureNotSupported, "unit %q not supported for type interval", f)
		}
	}})
	r.addFn(&Overload{Name: "age", Args: []types.T{types.TimestampTZ, types.TimestampTZ}, Ret: types.Interval, Volatility: Stable,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			return age(localParts(int64(a[0].(types.DTimestamp)), location(env)), localParts(int64(a[1].(types.DTimestamp)), location(env))), nil
		}})
	_ = fmt.Sprint
}

func apdTen6() *apd.BigInt { return apd.NewBigInt(1e6) }

// epochOf is the Unix epoch in µs: for timestamp (no zone), of the wall
// clock read as UTC, as PostgreSQL does.
func epochOf(us int64, _ *time.Location) int64 { return us }

// age computes PostgreSQL's symbolic age(a, b): years, months and days
// between civil dates, then the time difference.
func age(a, b time.Time) types.DInterval {
	neg := a.Before(b)
	if neg {
		a, b = b, a
	}
	y := a.Year() - b.Year()
	m := int(a.Month()) - int(b.Month())
	d := a.Day() - b.Day()
	tod := func(t time.Time) int64 {
		return int64(t.Hour())*3600e6 + int64(t.Minute())*60e6 + int64(t.Second())*1e6 + int64(t.Nanosecond()/1000)
	}
	us := tod(a) - tod(b)
	if us < 0 {
		us += 86400e6
		d--
	}
	if d < 0 {
		// days in the month before a's month
		prev := time.Date(a.Year(), a.Month(), 0, 0, 0, 0, 0, time.UTC).Day()
		d += prev
		m--
	}
	if m < 0 {
		m += 12
		y--
	}
	iv := types.DInterval{Months: int32(y*12 + m), Days: int32(d), Micros: us}
	if neg {
		iv = types.DInterval{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}
	}
	return iv
}
