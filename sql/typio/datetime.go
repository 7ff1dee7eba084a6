package typio

import (
	"strconv"
	"strings"
	"time"

	"github.com/aegisdb/aegis/internal/civil"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

// Date/time constants.
const (
	usecsPerSec  = int64(1000000)
	usecsPerMin  = 60 * usecsPerSec
	usecsPerHour = 60 * usecsPerMin
	usecsPerDay  = 24 * usecsPerHour
	secsPerDay   = int64(86400)

	// pgEpochDays is 2000-01-01 in days since 1970-01-01.
	pgEpochDays = 10957
	// pgEpochMicros is 2000-01-01 in µs since 1970-01-01.
	pgEpochMicros = pgEpochDays * usecsPerDay

	// minDate/endDate bound PostgreSQL's valid dates (Julian day 0 ..
	// 5874898-01-01 exclusive) in days since 1970-01-01.
	minDate = -2440588
	endDate = 2147483494 - 2440588

	// minTimestamp is 4714-11-24 00:00 BC in µs since 1970; the upper bound
	// is the int64 limit (PostgreSQL's own limit, 294277 AD, does not fit
	// a µs-since-1970 int64).
	minTimestamp = -211813488000000000 + pgEpochMicros
	endTimestamp = int64(types.TimestampPosInfinity)
)

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

var monthDays = [2][12]int64{
	{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
	{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
}

func daysInMonth(y, m int64) int64 {
	l := 0
	if isLeap(y) {
		l = 1
	}
	return monthDays[l][m-1]
}

func validDate(days int64) bool { return days >= minDate && days < endDate }

func validTimestamp(us int64) bool { return us >= minTimestamp && us < endTimestamp }

func appendPadded(buf []byte, v int64, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], v, 10)
	for i := len(s); i < width; i++ {
		buf = append(buf, '0')
	}
	return append(buf, s...)
}

// appendYMD appends YYYY-MM-DD and reports whether the year is BC.
func appendYMD(buf []byte, days int64) ([]byte, bool) {
	y, m, d := civil.FromDays(days)
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	buf = appendPadded(buf, y, 4)
	buf = append(buf, '-')
	buf = appendPadded(buf, m, 2)
	buf = append(buf, '-')
	buf = appendPadded(buf, d, 2)
	return buf, bc
}

func appendDate(buf []byte, d types.DDate) []byte {
	switch d {
	case types.DateNegInfinity:
		return append(buf, "-infinity"...)
	case types.DatePosInfinity:
		return append(buf, "infinity"...)
	}
	buf, bc := appendYMD(buf, int64(d))
	if bc {
		buf = append(buf, " BC"...)
	}
	return buf
}

// appendSeconds appends SS[.ffffff] (trailing zeros trimmed).
func appendSeconds(buf []byte, sec, usec int64, pad bool) []byte {
	if sec < 0 {
		sec = -sec
	}
	if usec < 0 {
		usec = -usec
	}
	if pad {
		buf = appendPadded(buf, sec, 2)
	} else {
		buf = strconv.AppendInt(buf, sec, 10)
	}
	if usec != 0 {
		buf = append(buf, '.')
		var tmp [6]byte
		for i := 5; i >= 0; i-- {
			tmp[i] = byte('0' + usec%10)
			usec /= 10
		}
		n := 6
		for n > 0 && tmp[n-1] == '0' {
			n--
		}
		buf = append(buf, tmp[:n]...)
	}
	return buf
}

// zoneOffset returns loc's UTC offset in seconds at the instant us (µs
// since 1970 UTC).
func zoneOffset(us int64, loc *time.Location) int64 {
	if loc == nil || loc == time.UTC {
		return 0
	}
	_, off := time.Unix(floorDiv(us, usecsPerSec), 0).In(loc).Zone()
	return int64(off)
}

// localToUTC converts local wall-clock seconds in loc to UTC seconds,
// resolving DST gaps and overlaps as PostgreSQL's
// DetermineTimeZoneOffset does (gap: the offset in force before the
// transition; overlap: the later, standard-time interpretation).
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
	okB, okA := off(uB) == ob, off(uA) == oa
	switch {
	case okA:
		return uA
	case okB:
		return uB
	}
	return uB
}

func appendTZ(buf []byte, off int64) []byte {
	if off >= 0 {
		buf = append(buf, '+')
	} else {
		buf = append(buf, '-')
		off = -off
	}
	h, m, s := off/3600, off/60%60, off%60
	buf = appendPadded(buf, h, 2)
	if s != 0 {
		buf = append(buf, ':')
		buf = appendPadded(buf, m, 2)
		buf = append(buf, ':')
		return appendPadded(buf, s, 2)
	}
	if m != 0 {
		buf = append(buf, ':')
		buf = appendPadded(buf, m, 2)
	}
	return buf
}

// appendTimestamp formats a timestamp (loc nil) or timestamptz (shown in loc).
func appendTimestamp(buf []byte, ts types.DTimestamp, loc *time.Location) []byte {
	switch ts {
	case types.TimestampNegInfinity:
		return append(buf, "-infinity"...)
	case types.TimestampPosInfinity:
		return append(buf, "infinity"...)
	}
	us := int64(ts)
	var off int64
	if loc != nil {
		off = zoneOffset(us, loc)
		us += off * usecsPerSec
	}
	days := floorDiv(us, usecsPerDay)
	tod := us - days*usecsPerDay
	buf, bc := appendYMD(buf, days)
	buf = append(buf, ' ')
	buf = appendPadded(buf, tod/usecsPerHour, 2)
	buf = append(buf, ':')
	buf = appendPadded(buf, tod/usecsPerMin%60, 2)
	buf = append(buf, ':')
	buf = appendSeconds(buf, tod/usecsPerSec%60, tod%usecsPerSec, true)
	if loc != nil {
		buf = appendTZ(buf, off)
	}
	if bc {
		buf = append(buf, " BC"...)
	}
	return buf
}

// ---- tokenizer (PostgreSQL's ParseDateTime) ----

type dtFieldType uint8

const (
	ftNumber dtFieldType = iota
	ftDate
	ftTime
	ftString
	ftTZ
	ftSpecial
)

type dtField struct {
	typ dtFieldType
	s   string // lower-cased text
	raw string // original text (zone names)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }
func isPunct(c byte) bool { return c > ' ' && c < 0x7f && !isAlnum(c) }

// dtKeywords are the non-zone keywords of datetktbl that stop a string
// from being read as a zone name when followed by a digit or '+'.
var dtKeywords = map[string]bool{
	"ad": true, "am": true, "bc": true, "pm": true, "t": true, "at": true, "epoch": true,
	"infinity": true, "now": true, "today": true, "tomorrow": true, "yesterday": true,
	"allballs": true, "z": true, "zulu": true, "j": true, "julian": true, "on": true,
}

func parseDateTimeFields(str string) ([]dtField, bool) {
	var fields []dtField
	i, n := 0, len(str)
	lower := func(a, b int) string { return strings.ToLower(str[a:b]) }
	for i < n {
		c := str[i]
		start := i
		switch {
		case isDigit(c):
			for i < n && isDigit(str[i]) {
				i++
			}
			typ := ftNumber
			if i < n && str[i] == ':' {
				typ = ftTime
				i++
				for i < n && (isDigit(str[i]) || str[i] == ':' || str[i] == '.') {
					i++
				}
			} else if i < n && (str[i] == '-' || str[i] == '/' || str[i] == '.') {
				delim := str[i]
				i++
				if i < n && isDigit(str[i]) {
					if delim == '.' {
						typ = ftNumber
					} else {
						typ = ftDate
					}
					for i < n && isDigit(str[i]) {
						i++
					}
					if i < n && str[i] == delim {
						typ = ftDate
						i++
						for i < n && (isDigit(str[i]) || str[i] == delim) {
							i++
						}
					}
				} else {
					typ = ftDate
					for i < n && (isAlnum(str[i]) || str[i] == delim) {
						i++
					}
				}
			}
			fields = append(fields, dtField{typ, lower(start, i), str[start:i]})
		case c == '.':
			i++
			for i < n && isDigit(str[i]) {
				i++
			}
			fields = append(fields, dtField{ftNumber, str[start:i], str[start:i]})
		case isAlpha(c):
			for i < n && isAlpha(str[i]) {
				i++
			}
			typ := ftString
			isDate := false
			if i < n && (str[i] == '-' || str[i] == '/' || str[i] == '.') {
				isDate = true
			} else if i < n && (str[i] == '+' || isDigit(str[i])) {
				if !dtKeywords[lower(start, i)] {
					isDate = true
				}
			}
			if isDate {
				typ = ftDate
				for i < n && (str[i] == '+' || str[i] == '-' || str[i] == '/' || str[i] == '_' ||
					str[i] == '.' || str[i] == ':' || isAlnum(str[i])) {
					i++
				}
			}
			fields = append(fields, dtField{typ, lower(start, i), str[start:i]})
		case isPGSpace(c):
			i++
		case c == '+' || c == '-':
			i++
			for i < n && isPGSpace(str[i]) {
				i++
			}
			if i < n && isDigit(str[i]) {
				j := i
				for i < n && (isDigit(str[i]) || str[i] == ':' || str[i] == '.' || str[i] == '-') {
					i++
				}
				fields = append(fields, dtField{ftTZ, string(c) + str[j:i], string(c) + str[j:i]})
			} else if i < n && isAlpha(str[i]) {
				j := i
				for i < n && isAlpha(str[i]) {
					i++
				}
				fields = append(fields, dtField{ftSpecial, string(c) + strings.ToLower(str[j:i]), string(c) + str[j:i]})
			} else {
				return nil, false
			}
		case isPunct(c):
			i++
		default:
			return nil, false
		}
	}
	return fields, true
}

// ---- date/timestamp input ----

type dtErr int

const (
	dtOK dtErr = iota
	dtBadFormat
	dtFieldOverflow
	dtMDFieldOverflow
	dtTZBad
)

var monthNames = map[string]int64{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
	"october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

var dayNames = map[string]bool{
	"sun": true, "sunday": true, "mon": true, "monday": true, "tue": true, "tues": true,
	"tuesday": true, "wed": true, "wednesday": true, "wednes": true, "thu": true, "thur": true,
	"thurs": true, "thursday": true, "fri": true, "friday": true, "sat": true, "saturday": true,
}

// tzAbbrevs holds fixed-offset zone abbreviations (seconds east of UTC)
// from PostgreSQL's Default abbreviation set.
var tzAbbrevs = map[string]int64{
	"utc": 0, "ut": 0, "gmt": 0, "z": 0, "zulu": 0, "wet": 0,
	"est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
	"mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
	"akst": -9 * 3600, "akdt": -8 * 3600, "hst": -10 * 3600, "ast": -4 * 3600, "adt": -3 * 3600,
	"nst": -(3*3600 + 1800), "ndt": -(2*3600 + 1800),
	"cet": 3600, "cest": 2 * 3600, "met": 3600, "mest": 2 * 3600, "eet": 2 * 3600, "eest": 3 * 3600,
	"west": 3600, "bst": 3600, "ist": 2 * 3600, "msk": 3 * 3600, "jst": 9 * 3600, "kst": 9 * 3600,
	"hkt": 8 * 3600, "sgt": 8 * 3600, "awst": 8 * 3600, "acst": 9*3600 + 1800, "acdt": 10*3600 + 1800,
	"aest": 10 * 3600, "aedt": 11 * 3600, "nzst": 12 * 3600, "nzdt": 13 * 3600,
}

type dtResult struct {
	year, mon, day      int64
	haveYear, haveMon   bool
	haveDay, yearTwoDig bool
	bc                  bool
	hour, min, sec      int64
	usec                int64
	haveTime            bool
	ampm                int // 0 none, 1 am, 2 pm
	tzOff               int64
	haveTZOff           bool
	tzLoc               *time.Location
	special             string
	pending             []dtField
	julian              bool
	textMonth           bool
}

// dateOrder extracts MDY/DMY/YMD from a DateStyle setting.
func dateOrder(s *Settings) string {
	ds := strings.ToUpper(s.DateStyle)
	switch {
	case strings.Contains(ds, "DMY"), strings.Contains(ds, "EURO"), strings.Contains(ds, "GERMAN"):
		return "DMY"
	case strings.Contains(ds, "YMD"):
		return "YMD"
	}
	return "MDY"
}

// lookupZone resolves a zone name or abbreviation.
func lookupZone(raw string) (*time.Location, int64, bool) {
	low := strings.ToLower(raw)
	if off, ok := tzAbbrevs[low]; ok {
		return nil, off, true
	}
	if low == "local" || raw == "" {
		return nil, 0, false
	}
	if loc, err := time.LoadLocation(raw); err == nil {
		return loc, 0, true
	}
	// POSIX-style "XXX+h[:mm]" (e.g. GMT+2, which is two hours west).
	if k := strings.IndexAny(low, "+-"); k >= 3 {
		alpha := true
		for _, c := range []byte(low[:k]) {
			alpha = alpha && c >= 'a' && c <= 'z'
		}
		if alpha {
			if off, e := parseTZOffset(low[k:]); e == dtOK {
				return nil, -off, true
			}
		}
	}
	// Zone names are case-insensitive in PostgreSQL; try the canonical
	// capitalisation of each component.
	b := []byte(low)
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '/' || c == '_' || c == '-'
	}
	for _, cand := range []string{string(b), strings.ToUpper(raw)} {
		if loc, err := time.LoadLocation(cand); err == nil {
			return loc, 0, true
		}
	}
	return nil, 0, false
}

// parseTZOffset parses +hh, +hhmm, +hh:mm, +hh:mm:ss into seconds east.
func parseTZOffset(s string) (int64, dtErr) {
	sign := int64(1)
	if s[0] == '-' {
		sign = -1
	}
	s = s[1:]
	var h, m, sec int64
	var err error
	if k := strings.IndexByte(s, ':'); k >= 0 {
		parts := strings.Split(s, ":")
		if len(parts) > 3 {
			return 0, dtBadFormat
		}
		vals := make([]int64, 3)
		for i, p := range parts {
			if p == "" || len(p) > 9 {
				return 0, dtBadFormat
			}
			if vals[i], err = strconv.ParseInt(p, 10, 64); err != nil {
				return 0, dtBadFormat
			}
		}
		h, m, sec = vals[0], vals[1], vals[2]
	} else {
		for _, c := range []byte(s) {
			if !isDigit(c) {
				return 0, dtBadFormat
			}
		}
		switch {
		case len(s) <= 2:
			h, _ = strconv.ParseInt(s, 10, 64)
		case len(s) <= 4:
			v, _ := strconv.ParseInt(s, 10, 64)
			h, m = v/100, v%100
		case len(s) <= 6:
			v, _ := strconv.ParseInt(s, 10, 64)
			h, m, sec = v/10000, v/100%100, v%100
		default:
			return 0, dtBadFormat
		}
	}
	if h > 15 || m >= 60 || sec >= 60 {
		return 0, dtTZBad
	}
	return sign * (h*3600 + m*60 + sec), dtOK
}

// parseTimeField parses hh:mm[:ss[.fff]] (or mm:ss.fff) for a time of day.
func parseTimeField(s string, r *dtResult) dtErr {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return dtBadFormat
	}
	num := func(p string) (int64, bool) {
		if p == "" || len(p) > 9 {
			return 0, false
		}
		for _, c := range []byte(p) {
			if !isDigit(c) {
				return 0, false
			}
		}
		v, _ := strconv.ParseInt(p, 10, 64)
		return v, true
	}
	var ok bool
	if r.hour, ok = num(parts[0]); !ok {
		return dtBadFormat
	}
	last := parts[len(parts)-1]
	frac := ""
	if k := strings.IndexByte(last, '.'); k >= 0 {
		frac = last[k:]
		last = last[:k]
	}
	r.min, r.sec, r.usec = 0, 0, 0
	if len(parts) == 2 {
		if r.min, ok = num(last); !ok {
			return dtBadFormat
		}
		if frac != "" { // mm:ss.fff
			r.sec, r.min, r.hour = r.min, r.hour, 0
		}
	} else {
		if r.min, ok = num(parts[1]); !ok {
			return dtBadFormat
		}
		if r.sec, ok = num(last); !ok {
			return dtBadFormat
		}
	}
	if frac != "" {
		us, ok := parseFracMicros(frac)
		if !ok {
			return dtBadFormat
		}
		r.usec = us
	}
	if r.hour < 0 || r.hour > 24 || r.min < 0 || r.min > 59 || r.sec < 0 || r.sec > 60 ||
		r.usec < 0 || r.usec > usecsPerSec ||
		(r.hour == 24 && (r.min > 0 || r.sec > 0 || r.usec > 0)) {
		return dtFieldOverflow
	}
	r.haveTime = true
	return dtOK
}

// parseFracMicros converts ".ddd" to rounded microseconds (rint).
func parseFracMicros(frac string) (int64, bool) {
	if frac == "." {
		return 0, true
	}
	for _, c := range []byte(frac[1:]) {
		if !isDigit(c) {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat("0"+frac, 64)
	if err != nil {
		return 0, false
	}
	return int64(rint(f * 1e6)), true
}

func (r *dtResult) setYear(v int64, digits int) dtErr {
	if r.haveYear {
		return dtBadFormat
	}
	r.year, r.haveYear, r.yearTwoDig = v, true, digits <= 2
	return dtOK
}

func (r *dtResult) setMon(v int64) dtErr {
	if r.haveMon {
		return dtBadFormat
	}
	r.mon, r.haveMon = v, true
	return dtOK
}

func (r *dtResult) setDay(v int64) dtErr {
	if r.haveDay {
		return dtBadFormat
	}
	r.day, r.haveDay = v, true
	return dtOK
}

// decodeDateField handles a delimited date such as 2024-01-02, 1/2/2024,
// 02-jan-2024 or 2024.01.02.
func decodeDateField(f string, order string, r *dtResult) dtErr {
	parts := strings.FieldsFunc(f, func(c rune) bool { return c == '-' || c == '/' || c == '.' })
	if len(parts) < 2 || len(parts) > 3 {
		return dtBadFormat
	}
	var nums []string
	textMon := -1
	for i, p := range parts {
		if isAlpha(p[0]) {
			m, ok := monthNames[p]
			if !ok || textMon >= 0 {
				return dtBadFormat
			}
			textMon = i
			if e := r.setMon(m); e != dtOK {
				return e
			}
			r.textMonth = true
			continue
		}
		for _, c := range []byte(p) {
			if !isDigit(c) {
				return dtBadFormat
			}
		}
		if len(p) > 9 {
			return dtFieldOverflow
		}
		nums = append(nums, p)
	}
	val := func(p string) int64 { v, _ := strconv.ParseInt(p, 10, 64); return v }
	if textMon >= 0 {
		if len(nums) != 2 {
			return dtBadFormat
		}
		a, b := nums[0], nums[1]
		if len(a) >= 3 || (textMon == 1 && order == "YMD") || (textMon == 2) {
			if e := r.setYear(val(a), len(a)); e != dtOK {
				return e
			}
			return r.setDay(val(b))
		}
		if e := r.setDay(val(a)); e != dtOK {
			return e
		}
		return r.setYear(val(b), len(b))
	}
	if len(nums) != 3 {
		return dtBadFormat
	}
	a, b, c := nums[0], nums[1], nums[2]
	var ys, ms, ds string
	switch {
	case len(a) >= 3 || order == "YMD":
		ys, ms, ds = a, b, c
	case order == "DMY":
		ds, ms, ys = a, b, c
	default:
		ms, ds, ys = a, b, c
	}
	if e := r.setYear(val(ys), len(ys)); e != dtOK {
		return e
	}
	if e := r.setMon(val(ms)); e != dtOK {
		return e
	}
	return r.setDay(val(ds))
}

// decodeDateTime interprets the fields of a date or timestamp literal.
func decodeDateTime(fields []dtField, order string) (*dtResult, dtErr) {
	r := &dtResult{}
	for idx, f := range fields {
		switch f.typ {
		case ftDate:
			if isAlpha(f.s[0]) && strings.ContainsAny(f.s, "/+_") || (isAlpha(f.s[0]) && strings.ContainsAny(f.s, "0123456789") && !strings.ContainsAny(f.s, "-.")) {
				loc, off, ok := lookupZone(f.raw)
				if !ok {
					return r, dtTZBad
				}
				r.tzLoc, r.tzOff, r.haveTZOff = loc, off, loc == nil
				continue
			}
			if e := decodeDateField(f.s, order, r); e != dtOK {
				return r, e
			}
		case ftTime:
			if r.haveTime {
				return r, dtBadFormat
			}
			if e := parseTimeField(f.s, r); e != dtOK {
				return r, e
			}
		case ftTZ:
			if r.haveTZOff || r.tzLoc != nil {
				return r, dtBadFormat
			}
			if strings.Count(f.s, "-") > 1 || (f.s[0] == '+' && strings.Contains(f.s, "-")) {
				return r, dtBadFormat
			}
			off, e := parseTZOffset(f.s)
			if e != dtOK {
				return r, e
			}
			r.tzOff, r.haveTZOff = off, true
		case ftNumber:
			if strings.Contains(f.s, ".") {
				// Fractional seconds following a time ("10:00:00 .5") are
				// not supported; a decimal "yyyy.ddd" neither.
				return r, dtBadFormat
			}
			if !r.haveYear && !r.haveMon && !r.haveDay && (len(f.s) == 8 || len(f.s) == 6) && !r.textMonth {
				v, _ := strconv.ParseInt(f.s, 10, 64)
				if len(f.s) == 8 {
					r.year, r.mon, r.day = v/10000, v/100%100, v%100
				} else {
					r.year, r.mon, r.day, r.yearTwoDig = v/10000, v/100%100, v%100, true
				}
				r.haveYear, r.haveMon, r.haveDay = true, true, true
				continue
			}
			if idx > 0 && fields[idx-1].typ == ftString && (fields[idx-1].s == "j" || fields[idx-1].s == "julian") && !r.haveYear {
				v, err := strconv.ParseInt(f.s, 10, 64)
				if err != nil || v > 1<<31 {
					return r, dtFieldOverflow
				}
				r.year, r.mon, r.day = civil.FromDays(v - 2440588)
				r.haveYear, r.haveMon, r.haveDay, r.julian = true, true, true, true
				continue
			}
			if idx > 0 && fields[idx-1].typ == ftString && fields[idx-1].s == "t" && len(f.s) == 6 && !r.haveTime {
				v, _ := strconv.ParseInt(f.s, 10, 64)
				r.hour, r.min, r.sec, r.haveTime = v/10000, v/100%100, v%100, true
				continue
			}
			r.pending = append(r.pending, f)
		case ftString, ftSpecial:
			s := f.s
			if m, ok := monthNames[s]; ok {
				if e := r.setMon(m); e != dtOK {
					return r, e
				}
				r.textMonth = true
				continue
			}
			switch s {
			case "t", "at", "on", "ad", "j", "julian":
				continue
			case "bc":
				r.bc = true
				continue
			case "am":
				r.ampm = 1
				continue
			case "pm":
				r.ampm = 2
				continue
			case "epoch", "infinity", "+infinity", "-infinity", "now", "today", "tomorrow", "yesterday":
				if r.special != "" {
					return r, dtBadFormat
				}
				r.special = s
				continue
			case "allballs":
				r.hour, r.min, r.sec, r.usec, r.haveTime = 0, 0, 0, 0, true
				r.tzOff, r.haveTZOff = 0, true
				continue
			}
			if dayNames[s] {
				continue
			}
			if f.typ == ftSpecial {
				return r, dtBadFormat
			}
			if r.haveTZOff || r.tzLoc != nil {
				return r, dtBadFormat
			}
			loc, off, ok := lookupZone(f.raw)
			if !ok {
				return r, dtBadFormat
			}
			r.tzLoc, r.tzOff, r.haveTZOff = loc, off, loc == nil
		}
	}
	// Assign loose numbers (e.g. "Jan 2 2024", "2 January 2024").
	for _, f := range r.pending {
		v, err := strconv.ParseInt(f.s, 10, 64)
		if err != nil || len(f.s) > 9 {
			return r, dtFieldOverflow
		}
		switch {
		case !r.haveMon && !r.textMonth:
			return r, dtBadFormat
		case len(f.s) >= 3 || (r.haveDay && !r.haveYear):
			if e := r.setYear(v, len(f.s)); e != dtOK {
				return r, e
			}
		case !r.haveDay:
			if e := r.setDay(v); e != dtOK {
				return r, e
			}
		default:
			return r, dtBadFormat
		}
	}
	if r.ampm != 0 {
		if !r.haveTime || r.hour > 12 || r.hour < 0 {
			return r, dtFieldOverflow
		}
		if r.ampm == 1 && r.hour == 12 {
			r.hour = 0
		} else if r.ampm == 2 && r.hour != 12 {
			r.hour += 12
		}
	}
	return r, dtOK
}

// resolveDate validates the date part and returns days since 1970.
func (r *dtResult) resolveDate() (int64, dtErr) {
	if !(r.haveYear && r.haveMon && r.haveDay) {
		return 0, dtBadFormat
	}
	y := r.year
	if r.julian {
		return civil.DaysFromCivil(r.year, r.mon, r.day), dtOK
	}
	if r.bc {
		if y <= 0 {
			return 0, dtFieldOverflow
		}
		y = -(y - 1)
	} else if r.yearTwoDig {
		if y < 70 {
			y += 2000
		} else if y < 100 {
			y += 1900
		}
	} else if y <= 0 {
		return 0, dtFieldOverflow
	}
	if r.mon < 1 || r.mon > 12 {
		return 0, dtMDFieldOverflow
	}
	if r.day > 31 {
		return 0, dtMDFieldOverflow
	}
	if r.day < 1 || r.day > daysInMonth(y, r.mon) {
		return 0, dtFieldOverflow
	}
	if y > 6000000 || y < -5000 {
		return 0, dtFieldOverflow
	}
	return civil.DaysFromCivil(y, r.mon, r.day), dtOK
}

func dtError(e dtErr, input, typName string) error {
	switch e {
	case dtFieldOverflow:
		return pgerror.New(pgerror.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", input)
	case dtMDFieldOverflow:
		return pgerror.New(pgerror.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", input).
			WithHint("Perhaps you need a different \"datestyle\" setting.")
	case dtTZBad:
		return pgerror.New(pgerror.InvalidTimeZoneDisplacementValue, "time zone displacement out of range: \"%s\"", input)
	}
	return pgerror.New(pgerror.InvalidDatetimeFormat, "invalid input syntax for type %s: \"%s\"", typName, input)
}

// nowFunc is the clock; tests may replace it.
var nowFunc = time.Now

// localToday returns today's date in loc as days since 1970.
func localToday(loc *time.Location) int64 {
	now := nowFunc().In(loc)
	return civil.DaysFromCivil(int64(now.Year()), int64(now.Month()), int64(now.Day()))
}

func parseDate(in string, s *Settings) (types.Datum, error) {
	fields, ok := parseDateTimeFields(in)
	if !ok || len(fields) == 0 {
		return nil, dtError(dtBadFormat, in, "date")
	}
	r, e := decodeDateTime(fields, dateOrder(s))
	if e != dtOK {
		return nil, dtError(e, in, "date")
	}
	if r.special != "" {
		if len(fields) != 1 {
			return nil, dtError(dtBadFormat, in, "date")
		}
		loc := s.loc()
		switch r.special {
		case "epoch":
			return types.DDate(0), nil
		case "infinity", "+infinity":
			return types.DatePosInfinity, nil
		case "-infinity":
			return types.DateNegInfinity, nil
		case "now", "today":
			return types.DDate(localToday(loc)), nil
		case "tomorrow":
			return types.DDate(localToday(loc) + 1), nil
		case "yesterday":
			return types.DDate(localToday(loc) - 1), nil
		}
	}
	days, e := r.resolveDate()
	if e != dtOK {
		return nil, dtError(e, in, "date")
	}
	if !validDate(days) {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range: \"%s\"", in)
	}
	return types.DDate(days), nil
}

func parseTimestamp(in string, s *Settings, withTZ bool) (types.Datum, error) {
	typName := "timestamp"
	if withTZ {
		typName = "timestamp with time zone"
	}
	fields, ok := parseDateTimeFields(in)
	if !ok || len(fields) == 0 {
		return nil, dtError(dtBadFormat, in, typName)
	}
	r, e := decodeDateTime(fields, dateOrder(s))
	if e == dtTZBad {
		for _, f := range fields {
			if f.typ == ftDate && isAlpha(f.s[0]) {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "time zone \"%s\" not recognized", f.s)
			}
		}
	}
	if e != dtOK {
		return nil, dtError(e, in, typName)
	}
	loc := s.loc()
	var days int64
	if r.special != "" {
		switch r.special {
		case "epoch":
			if len(fields) != 1 {
				return nil, dtError(dtBadFormat, in, typName)
			}
			return types.DTimestamp(0), nil
		case "infinity", "+infinity":
			if len(fields) != 1 {
				return nil, dtError(dtBadFormat, in, typName)
			}
			return types.TimestampPosInfinity, nil
		case "-infinity":
			if len(fields) != 1 {
				return nil, dtError(dtBadFormat, in, typName)
			}
			return types.TimestampNegInfinity, nil
		case "now":
			if len(fields) != 1 {
				return nil, dtError(dtBadFormat, in, typName)
			}
			now := nowFunc()
			us := now.UnixMicro()
			if !withTZ {
				us += zoneOffset(us, loc) * usecsPerSec
			}
			return types.DTimestamp(us), nil
		}
		if r.haveYear || r.haveMon || r.haveDay {
			return nil, dtError(dtBadFormat, in, typName)
		}
		zl := loc
		if r.tzLoc != nil {
			zl = r.tzLoc
		}
		days = localToday(zl)
		switch r.special {
		case "tomorrow":
			days++
		case "yesterday":
			days--
		}
	} else {
		var e dtErr
		if days, e = r.resolveDate(); e != dtOK {
			return nil, dtError(e, in, typName)
		}
	}
	if !validDate(days) {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range: \"%s\"", in)
	}
	// µs arithmetic in a range that cannot overflow: |days| < 2^31.
	local := days*usecsPerDay + r.hour*usecsPerHour + r.min*usecsPerMin + r.sec*usecsPerSec + r.usec
	us := local
	if withTZ {
		switch {
		case r.haveTZOff:
			us = local - r.tzOff*usecsPerSec
		default:
			zl := loc
			if r.tzLoc != nil {
				zl = r.tzLoc
			}
			sec := floorDiv(local, usecsPerSec)
			frac := local - sec*usecsPerSec
			us = localToUTC(sec, zl)*usecsPerSec + frac
		}
	}
	if days > (endTimestamp/usecsPerDay)+1 || !validTimestamp(us) {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range: \"%s\"", in)
	}
	return types.DTimestamp(us), nil
}
