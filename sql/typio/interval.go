package typio

import (
	"math"
	"strconv"
	"strings"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

// rint rounds half to even, like C's rint in the default rounding mode.
func rint(f float64) float64 { return math.RoundToEven(f) }

// itmIn accumulates interval input like PostgreSQL's pg_itm_in.
type itmIn struct {
	year, mon, mday int64
	usec            int64
}

func addOverflows(a, b int64) (int64, bool) {
	c := a + b
	return c, (c > a) != (b > 0)
}

func mulAddOverflows(acc, val, scale int64) (int64, bool) {
	if val != 0 && (val*scale/scale != val) {
		return 0, true
	}
	return addOverflows(acc, val*scale)
}

func int32Overflow(v int64) bool { return v > math.MaxInt32 || v < math.MinInt32 }

func (it *itmIn) adjustFractMicros(frac float64, scale int64) bool {
	if frac == 0 {
		return true
	}
	frac *= float64(scale)
	usec := int64(frac)
	frac -= float64(usec)
	usec += int64(rint(frac))
	var of bool
	it.usec, of = addOverflows(it.usec, usec)
	return !of
}

func (it *itmIn) adjustMicros(val int64, frac float64, scale int64) bool {
	var of bool
	if it.usec, of = mulAddOverflows(it.usec, val, scale); of {
		return false
	}
	return it.adjustFractMicros(frac, scale)
}

func (it *itmIn) adjustFractDays(frac float64, scale int64) bool {
	if frac == 0 {
		return true
	}
	frac *= float64(scale)
	extra := int64(int32(frac))
	it.mday += extra
	if int32Overflow(it.mday) {
		return false
	}
	frac -= float64(extra)
	return it.adjustFractMicros(frac, usecsPerDay)
}

func (it *itmIn) adjustDays(val, scale int64) bool {
	if val > math.MaxInt32 || val < math.MinInt32 {
		return false
	}
	it.mday += val * scale
	return !int32Overflow(it.mday)
}

func (it *itmIn) adjustMonths(val int64) bool {
	if val > math.MaxInt32 || val < math.MinInt32 {
		return false
	}
	it.mon += val
	return !int32Overflow(it.mon)
}

func (it *itmIn) adjustYears(val, scale int64) bool {
	if val > math.MaxInt32 || val < math.MinInt32 {
		return false
	}
	it.year += val * scale
	return !int32Overflow(it.year)
}

func (it *itmIn) adjustFractYears(frac float64, scale int64) bool {
	extra := int64(rint(frac * float64(scale) * 12))
	it.mon += extra
	return !int32Overflow(it.mon)
}

// Interval unit types.
type ivUnit uint8

const (
	ivNone ivUnit = iota
	ivMicro
	ivMilli
	ivSecond
	ivMinute
	ivHour
	ivDay
	ivWeek
	ivMonth
	ivYear
	ivDecade
	ivCentury
	ivMillennium
	ivAgo
	ivIgnore
)

var ivUnits = map[string]ivUnit{
	"@": ivIgnore, "ago": ivAgo,
	"c": ivCentury, "cent": ivCentury, "centuries": ivCentury, "century": ivCentury,
	"d": ivDay, "day": ivDay, "days": ivDay,
	"dec": ivDecade, "decade": ivDecade, "decades": ivDecade, "decs": ivDecade,
	"h": ivHour, "hour": ivHour, "hours": ivHour, "hr": ivHour, "hrs": ivHour,
	"m": ivMinute, "min": ivMinute, "mins": ivMinute, "minute": ivMinute, "minutes": ivMinute,
	"microsecon": ivMicro,
	"mil":        ivMillennium, "millennia": ivMillennium, "millennium": ivMillennium, "mils": ivMillennium,
	"millisecon": ivMilli,
	"mon":        ivMonth, "mons": ivMonth, "month": ivMonth, "months": ivMonth,
	"ms": ivMilli, "msec": ivMilli, "msecs": ivMilli, "msecond": ivMilli, "mseconds": ivMilli,
	"s": ivSecond, "sec": ivSecond, "second": ivSecond, "seconds": ivSecond, "secs": ivSecond,
	"us": ivMicro, "usec": ivMicro, "usecond": ivMicro, "useconds": ivMicro, "usecs": ivMicro,
	"w": ivWeek, "week": ivWeek, "weeks": ivWeek,
	"y": ivYear, "year": ivYear, "years": ivYear, "yr": ivYear, "yrs": ivYear,
}

func lookupIvUnit(s string) (ivUnit, bool) {
	if len(s) > 10 {
		s = s[:10]
	}
	u, ok := ivUnits[s]
	return u, ok
}

// decodeTimeForInterval parses h:m[:s[.f]] (or m:s.f) into microseconds.
func decodeTimeForInterval(s string) (int64, dtErr) {
	hourStr, rest, _ := strings.Cut(s, ":")
	hour, err := strconv.ParseInt(hourStr, 10, 64)
	if err != nil {
		if hourStr == "" {
			return 0, dtBadFormat
		}
		return 0, dtFieldOverflow
	}
	i := 0
	for i < len(rest) && isDigit(rest[i]) {
		i++
	}
	if i == 0 {
		return 0, dtBadFormat
	}
	min, err := strconv.ParseInt(rest[:i], 10, 64)
	if err != nil || min > math.MaxInt32 {
		return 0, dtFieldOverflow
	}
	rest = rest[i:]
	var sec, usec int64
	switch {
	case rest == "":
	case rest[0] == '.':
		us, ok := parseFracMicros(rest)
		if !ok {
			return 0, dtBadFormat
		}
		if hour > math.MaxInt32 {
			return 0, dtFieldOverflow
		}
		sec, min, hour, usec = min, hour, 0, us
	case rest[0] == ':':
		rest = rest[1:]
		j := 0
		for j < len(rest) && isDigit(rest[j]) {
			j++
		}
		if j == 0 {
			return 0, dtBadFormat
		}
		sec, err = strconv.ParseInt(rest[:j], 10, 64)
		if err != nil || sec > math.MaxInt32 {
			return 0, dtFieldOverflow
		}
		rest = rest[j:]
		if rest != "" {
			if rest[0] != '.' {
				return 0, dtBadFormat
			}
			us, ok := parseFracMicros(rest)
			if !ok {
				return 0, dtBadFormat
			}
			usec = us
		}
	default:
		return 0, dtBadFormat
	}
	if hour < 0 || min < 0 || min > 59 || sec < 0 || sec > 60 || usec < 0 || usec > usecsPerSec {
		return 0, dtFieldOverflow
	}
	total := usec
	var of1, of2, of3 bool
	total, of1 = mulAddOverflows(total, hour, usecsPerHour)
	total, of2 = mulAddOverflows(total, min, usecsPerMin)
	total, of3 = mulAddOverflows(total, sec, usecsPerSec)
	if of1 || of2 || of3 {
		return 0, dtFieldOverflow
	}
	return total, dtOK
}

// parseIntPrefix parses a leading optional sign and digits like strtoi64.
func parseIntPrefix(s string) (val int64, rest string, ok bool, overflow bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j == i {
		return 0, s, false, false
	}
	v, err := strconv.ParseInt(s[:j], 10, 64)
	if err != nil {
		return 0, s[j:], true, true
	}
	return v, s[j:], true, false
}

// parseFraction parses ".ddd" (as PostgreSQL's ParseFraction).
func parseFraction(s string) (float64, bool) {
	if s == "." {
		return 0, true
	}
	for _, c := range []byte(s[1:]) {
		if !isDigit(c) {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat("0"+s, 64)
	return f, err == nil
}

func decodeInterval(fields []dtField) (itmIn, dtErr) {
	var it itmIn
	typ := ivNone
	seen := map[ivUnit]bool{}
	timeSeen := false
	isBefore := false
	anyField := false
	for i := len(fields) - 1; i >= 0; i-- {
		f := fields[i]
		switch f.typ {
		case ftTime:
			us, e := decodeTimeForInterval(f.s)
			if e != dtOK {
				return it, e
			}
			if timeSeen || seen[ivHour] || seen[ivMinute] || seen[ivSecond] {
				return it, dtBadFormat
			}
			it.usec = us
			timeSeen, anyField = true, true
			typ = ivDay
			continue
		case ftTZ, ftDate, ftNumber:
			if f.typ == ftTZ && strings.Contains(f.s[1:], ":") {
				if us, e := decodeTimeForInterval(f.s[1:]); e == dtOK {
					if timeSeen || seen[ivHour] || seen[ivMinute] || seen[ivSecond] {
						return it, dtBadFormat
					}
					if f.s[0] == '-' {
						us = -us
					}
					it.usec = us
					timeSeen, anyField = true, true
					typ = ivDay
					continue
				}
			}
			if f.typ == ftDate && !isDigit(f.s[0]) {
				return it, dtBadFormat
			}
			if typ == ivNone {
				typ = ivSecond
			}
			val, rest, ok, of := parseIntPrefix(f.s)
			if !ok {
				if len(f.s) > 0 && f.s[0] == '.' {
					val, rest = 0, f.s
				} else {
					return it, dtBadFormat
				}
			}
			if of {
				return it, dtFieldOverflow
			}
			var fval float64
			switch {
			case rest != "" && rest[0] == '-':
				v2, rest2, ok2, of2 := parseIntPrefix(rest[1:])
				if !ok2 || rest[1] == '+' || rest[1] == '-' {
					return it, dtBadFormat
				}
				if of2 || v2 < 0 || v2 >= 12 {
					return it, dtFieldOverflow
				}
				if rest2 != "" {
					return it, dtBadFormat
				}
				typ = ivMonth
				if f.s[0] == '-' {
					v2 = -v2
				}
				if val > math.MaxInt64/12 || val < math.MinInt64/12 {
					return it, dtFieldOverflow
				}
				val = val*12 + v2
			case rest != "" && rest[0] == '.':
				fv, ok := parseFraction(rest)
				if !ok {
					return it, dtBadFormat
				}
				fval = fv
				if f.s[0] == '-' {
					fval = -fval
				}
			case rest == "":
			default:
				return it, dtBadFormat
			}
			var ok2 bool
			unit := typ
			switch typ {
			case ivMicro:
				ok2 = it.adjustMicros(val, fval, 1)
			case ivMilli:
				ok2 = it.adjustMicros(val, fval, 1000)
			case ivSecond:
				ok2 = it.adjustMicros(val, fval, usecsPerSec)
			case ivMinute:
				ok2 = it.adjustMicros(val, fval, usecsPerMin)
			case ivHour:
				ok2 = it.adjustMicros(val, fval, usecsPerHour)
				typ = ivDay
			case ivDay:
				ok2 = it.adjustDays(val, 1) && it.adjustFractMicros(fval, usecsPerDay)
			case ivWeek:
				ok2 = it.adjustDays(val, 7) && it.adjustFractDays(fval, 7)
			case ivMonth:
				ok2 = it.adjustMonths(val) && it.adjustFractDays(fval, 30)
			case ivYear:
				ok2 = it.adjustYears(val, 1) && it.adjustFractYears(fval, 1)
			case ivDecade:
				ok2 = it.adjustYears(val, 10) && it.adjustFractYears(fval, 10)
			case ivCentury:
				ok2 = it.adjustYears(val, 100) && it.adjustFractYears(fval, 100)
			case ivMillennium:
				ok2 = it.adjustYears(val, 1000) && it.adjustFractYears(fval, 1000)
			default:
				return it, dtBadFormat
			}
			if !ok2 {
				return it, dtFieldOverflow
			}
			if seen[unit] || (timeSeen && (unit == ivHour || unit == ivMinute || unit == ivSecond)) {
				return it, dtBadFormat
			}
			if unit == ivSecond && fval != 0 && (seen[ivMilli] || seen[ivMicro]) {
				return it, dtBadFormat
			}
			seen[unit] = true
			anyField = true
		case ftString, ftSpecial:
			u, ok := lookupIvUnit(f.s)
			if !ok {
				return it, dtBadFormat
			}
			switch u {
			case ivIgnore:
				continue
			case ivAgo:
				isBefore = true
				typ = ivAgo
			default:
				typ = u
			}
		}
	}
	if !anyField {
		return it, dtBadFormat
	}
	if isBefore {
		it.usec, it.mday, it.mon, it.year = -it.usec, -it.mday, -it.mon, -it.year
	}
	return it, dtOK
}

// parseISO8601Number parses [+-]digits[.digits] / [+-].digits.
func parseISO8601Number(s string) (ipart int64, fpart float64, rest string, e dtErr) {
	if s == "" || !(isDigit(s[0]) || s[0] == '-' || s[0] == '+' || s[0] == '.') {
		return 0, 0, s, dtBadFormat
	}
	sign := int64(1)
	i := 0
	if s[0] == '-' {
		sign = -1
		i++
	} else if s[0] == '+' {
		i++
	}
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	var v int64
	if j > i {
		var err error
		if v, err = strconv.ParseInt(s[i:j], 10, 64); err != nil {
			return 0, 0, s, dtFieldOverflow
		}
	}
	var fv float64
	k := j
	if k < len(s) && s[k] == '.' {
		k++
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		fv, _ = strconv.ParseFloat("0"+s[j:k], 64)
	}
	if k == i {
		return 0, 0, s, dtBadFormat
	}
	return v * sign, fv * float64(sign), s[k:], dtOK
}

func decodeISO8601Interval(str string) (itmIn, dtErr) {
	var it itmIn
	if len(str) == 0 || str[0] != 'P' {
		return it, dtBadFormat
	}
	str = str[1:]
	datepart, havefield := true, false
	for len(str) > 0 {
		if str[0] == 'T' {
			datepart, havefield = false, false
			str = str[1:]
			continue
		}
		val, fval, rest, e := parseISO8601Number(str)
		if e != dtOK {
			return it, e
		}
		var unit byte
		if len(rest) > 0 {
			unit, str = rest[0], rest[1:]
		} else {
			str = ""
		}
		ok := true
		if datepart {
			switch unit {
			case 'Y':
				ok = it.adjustYears(val, 1) && it.adjustFractYears(fval, 1)
			case 'M':
				ok = it.adjustMonths(val) && it.adjustFractDays(fval, 30)
			case 'W':
				ok = it.adjustDays(val, 7) && it.adjustFractDays(fval, 7)
			case 'D':
				ok = it.adjustDays(val, 1) && it.adjustFractMicros(fval, usecsPerDay)
			case 'T', 0, '-':
				if havefield {
					return it, dtBadFormat
				}
				if !(it.adjustYears(val, 1) && it.adjustFractYears(fval, 1)) {
					return it, dtFieldOverflow
				}
				if unit == 0 {
					return it, dtOK
				}
				if unit == 'T' {
					datepart, havefield = false, false
					continue
				}
				val, fval, str, e = parseISO8601Number(str)
				if e != dtOK {
					return it, e
				}
				if !(it.adjustMonths(val) && it.adjustFractDays(fval, 30)) {
					return it, dtFieldOverflow
				}
				if str == "" {
					return it, dtOK
				}
				if str[0] == 'T' {
					datepart, havefield = false, false
					str = str[1:]
					continue
				}
				if str[0] != '-' {
					return it, dtBadFormat
				}
				val, fval, str, e = parseISO8601Number(str[1:])
				if e != dtOK {
					return it, e
				}
				if !(it.adjustDays(val, 1) && it.adjustFractMicros(fval, usecsPerDay)) {
					return it, dtFieldOverflow
				}
				if str == "" {
					return it, dtOK
				}
				if str[0] == 'T' {
					datepart, havefield = false, false
					str = str[1:]
					continue
				}
				return it, dtBadFormat
			default:
				return it, dtBadFormat
			}
		} else {
			switch unit {
			case 'H':
				ok = it.adjustMicros(val, fval, usecsPerHour)
			case 'M':
				ok = it.adjustMicros(val, fval, usecsPerMin)
			case 'S':
				ok = it.adjustMicros(val, fval, usecsPerSec)
			case 0, ':':
				if havefield {
					return it, dtBadFormat
				}
				if !it.adjustMicros(val, fval, usecsPerHour) {
					return it, dtFieldOverflow
				}
				if unit == 0 {
					return it, dtOK
				}
				val, fval, str, e = parseISO8601Number(str)
				if e != dtOK {
					return it, e
				}
				if !it.adjustMicros(val, fval, usecsPerMin) {
					return it, dtFieldOverflow
				}
				if str == "" {
					return it, dtOK
				}
				if str[0] != ':' {
					return it, dtBadFormat
				}
				val, fval, str, e = parseISO8601Number(str[1:])
				if e != dtOK {
					return it, e
				}
				if !it.adjustMicros(val, fval, usecsPerSec) {
					return it, dtFieldOverflow
				}
				if str == "" {
					return it, dtOK
				}
				return it, dtBadFormat
			default:
				return it, dtBadFormat
			}
		}
		if !ok {
			return it, dtFieldOverflow
		}
		havefield = true
	}
	return it, dtOK
}

func parseInterval(in string) (types.Datum, error) {
	fields, ok := parseDateTimeFields(in)
	e := dtBadFormat
	var it itmIn
	if ok {
		it, e = decodeInterval(fields)
	}
	if e == dtBadFormat {
		it, e = decodeISO8601Interval(in)
	}
	switch e {
	case dtOK:
	case dtFieldOverflow, dtMDFieldOverflow:
		return nil, pgerror.New(pgerror.IntervalFieldOverflow, "interval field value out of range: \"%s\"", in)
	default:
		return nil, pgerror.New(pgerror.InvalidDatetimeFormat, "invalid input syntax for type interval: \"%s\"", in)
	}
	months := it.year*12 + it.mon
	if int32Overflow(months) || int32Overflow(it.mday) {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "interval out of range")
	}
	return types.DInterval{Months: int32(months), Days: int32(it.mday), Micros: it.usec}, nil
}

// ---- interval output ----

func appendInterval(buf []byte, iv types.DInterval, style string) []byte {
	year := int64(iv.Months / 12)
	mon := int64(iv.Months % 12)
	mday := int64(iv.Days)
	t := iv.Micros
	hour := t / usecsPerHour
	t -= hour * usecsPerHour
	min := t / usecsPerMin
	t -= min * usecsPerMin
	sec := t / usecsPerSec
	fsec := t - sec*usecsPerSec

	switch strings.ToLower(style) {
	case "iso_8601":
		if year == 0 && mon == 0 && mday == 0 && hour == 0 && min == 0 && sec == 0 && fsec == 0 {
			return append(buf, "PT0S"...)
		}
		buf = append(buf, 'P')
		isoPart := func(v int64, u byte) {
			if v != 0 {
				buf = strconv.AppendInt(buf, v, 10)
				buf = append(buf, u)
			}
		}
		isoPart(year, 'Y')
		isoPart(mon, 'M')
		isoPart(mday, 'D')
		if hour != 0 || min != 0 || sec != 0 || fsec != 0 {
			buf = append(buf, 'T')
		}
		isoPart(hour, 'H')
		isoPart(min, 'M')
		if sec != 0 || fsec != 0 {
			if sec < 0 || fsec < 0 {
				buf = append(buf, '-')
			}
			buf = appendSeconds(buf, sec, fsec, false)
			buf = append(buf, 'S')
		}
		return buf
	case "sql_standard":
		hasNeg := year < 0 || mon < 0 || mday < 0 || hour < 0 || min < 0 || sec < 0 || fsec < 0
		hasPos := year > 0 || mon > 0 || mday > 0 || hour > 0 || min > 0 || sec > 0 || fsec > 0
		hasYM := year != 0 || mon != 0
		hasDT := mday != 0 || hour != 0 || min != 0 || sec != 0 || fsec != 0
		std := !(hasNeg && hasPos) && !(hasYM && hasDT)
		if hasNeg && std {
			buf = append(buf, '-')
			year, mon, mday, hour, min, sec, fsec = -year, -mon, -mday, -hour, -min, -sec, -fsec
		}
		abs := func(v int64) int64 {
			if v < 0 {
				return -v
			}
			return v
		}
		sign := func(neg bool) byte {
			if neg {
				return '-'
			}
			return '+'
		}
		switch {
		case !hasNeg && !hasPos:
			buf = append(buf, '0')
		case !std:
			buf = append(buf, sign(year < 0 || mon < 0))
			buf = strconv.AppendInt(buf, abs(year), 10)
			buf = append(buf, '-')
			buf = strconv.AppendInt(buf, abs(mon), 10)
			buf = append(buf, ' ', sign(mday < 0))
			buf = strconv.AppendInt(buf, abs(mday), 10)
			buf = append(buf, ' ', sign(hour < 0 || min < 0 || sec < 0 || fsec < 0))
			buf = strconv.AppendInt(buf, abs(hour), 10)
			buf = append(buf, ':')
			buf = appendPadded(buf, abs(min), 2)
			buf = append(buf, ':')
			buf = appendSeconds(buf, sec, fsec, true)
		case hasYM:
			buf = strconv.AppendInt(buf, year, 10)
			buf = append(buf, '-')
			buf = strconv.AppendInt(buf, mon, 10)
		default:
			if mday != 0 {
				buf = strconv.AppendInt(buf, mday, 10)
				buf = append(buf, ' ')
			}
			buf = strconv.AppendInt(buf, hour, 10)
			buf = append(buf, ':')
			buf = appendPadded(buf, min, 2)
			buf = append(buf, ':')
			buf = appendSeconds(buf, sec, fsec, true)
		}
		return buf
	case "postgres_verbose":
		buf = append(buf, '@')
		isZero, isBefore := true, false
		part := func(v int64, unit string) {
			if v == 0 {
				return
			}
			if isZero {
				isBefore = v < 0
				if v < 0 {
					v = -v
				}
			} else if isBefore {
				v = -v
			}
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, v, 10)
			buf = append(buf, ' ')
			buf = append(buf, unit...)
			if v != 1 {
				buf = append(buf, 's')
			}
			isZero = false
		}
		part(year, "year")
		part(mon, "mon")
		part(mday, "day")
		part(hour, "hour")
		part(min, "min")
		if sec != 0 || fsec != 0 {
			buf = append(buf, ' ')
			if sec < 0 || (sec == 0 && fsec < 0) {
				if isZero {
					isBefore = true
				} else if !isBefore {
					buf = append(buf, '-')
				}
			} else if isBefore {
				buf = append(buf, '-')
			}
			buf = appendSeconds(buf, sec, fsec, false)
			if (sec != 1 && sec != -1) || fsec != 0 {
				buf = append(buf, " secs"...)
			} else {
				buf = append(buf, " sec"...)
			}
			isZero = false
		}
		if isZero {
			buf = append(buf, " 0"...)
		}
		if isBefore {
			buf = append(buf, " ago"...)
		}
		return buf
	}
	// postgres style
	isZero, isBefore := true, false
	part := func(v int64, unit string) {
		if v == 0 {
			return
		}
		if !isZero {
			buf = append(buf, ' ')
		}
		if isBefore && v > 0 {
			buf = append(buf, '+')
		}
		buf = strconv.AppendInt(buf, v, 10)
		buf = append(buf, ' ')
		buf = append(buf, unit...)
		if v != 1 {
			buf = append(buf, 's')
		}
		isBefore = v < 0
		isZero = false
	}
	part(year, "year")
	part(mon, "mon")
	part(mday, "day")
	if isZero || hour != 0 || min != 0 || sec != 0 || fsec != 0 {
		minus := hour < 0 || min < 0 || sec < 0 || fsec < 0
		if !isZero {
			buf = append(buf, ' ')
		}
		if minus {
			buf = append(buf, '-')
		} else if isBefore {
			buf = append(buf, '+')
		}
		if hour < 0 {
			hour = -hour
		}
		if min < 0 {
			min = -min
		}
		buf = appendPadded(buf, hour, 2)
		buf = append(buf, ':')
		buf = appendPadded(buf, min, 2)
		buf = append(buf, ':')
		buf = appendSeconds(buf, sec, fsec, true)
	}
	return buf
}
