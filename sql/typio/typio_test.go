package typio

import (
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/cockroachdb/apd/v3"
)

// Expected outputs were taken from PostgreSQL 15.
func TestTextExact(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tzdata")
	}
	ktm, _ := time.LoadLocation("Asia/Kathmandu")
	cases := []struct {
		typ  types.T
		in   string
		want string
		loc  *time.Location
	}{
		{types.Bool, " YES ", "t", nil},
		{types.Int4, " -42 ", "-42", nil},
		{types.Float8, "1e15", "1e+15", nil},
		{types.Float8, "123456789012345", "123456789012345", nil},
		{types.Float8, "0.00001", "1e-05", nil},
		{types.Float8, "0.0001", "0.0001", nil},
		{types.Float8, "123456789012345678", "1.2345678901234568e+17", nil},
		{types.Float8, "-0", "-0", nil},
		{types.Float8, "-infinity", "-Infinity", nil},
		{types.Float4, "1000000", "1e+06", nil},
		{types.Float4, "123456", "123456", nil},
		{types.Float4, "0.1", "0.1", nil},
		{types.Numeric, "1.50", "1.50", nil},
		{types.Numeric, "1.5e-3", "0.0015", nil},
		{types.Numeric, "1e5", "100000", nil},
		{types.Numeric, "-0.00", "0.00", nil},
		{types.Numeric, "-inf", "-Infinity", nil},
		{types.NumericPS(5, 2), "1.005", "1.01", nil},
		{types.NumericPS(5, 2), "-1.005", "-1.01", nil},
		{types.T{Oid: types.OidBpchar, Typmod: 9}, "ab", "ab   ", nil},
		{types.Bytea, "\\000\\001\\377", "\\x0001ff", nil},
		{types.Bytea, "a\\\\b", "\\x615c62", nil},
		{types.UUID, "{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", nil},
		{types.Date, "Jan 2 2024", "2024-01-02", nil},
		{types.Date, "1/2/2024", "2024-01-02", nil},
		{types.Date, "0044-03-15 BC", "0044-03-15 BC", nil},
		{types.Date, "-infinity", "-infinity", nil},
		{types.Timestamp, "2024-01-02T03:04:05.500", "2024-01-02 03:04:05.5", nil},
		{types.Timestamp, "2024-01-02 03:04:05+02", "2024-01-02 03:04:05", nil},
		{types.TimestampTZ, "2024-03-10 02:30", "2024-03-10 03:30:00-04", ny},
		{types.TimestampTZ, "2024-11-03 01:30", "2024-11-03 01:30:00-05", ny},
		{types.TimestampTZ, "1800-01-01", "1800-01-01 00:00:00-04:56:02", ny},
		{types.TimestampTZ, "2024-01-02 03:04:05.5+05:30", "2024-01-01 16:34:05.5-05", ny},
		{types.TimestampTZ, "2024-01-01", "2024-01-01 00:00:00+05:45", ktm},
		{types.TimestampTZ, "2024-01-01 00:00 UTC", "2024-01-01 00:00:00+00", nil},
		{types.Interval, "1.5 days", "1 day 12:00:00", nil},
		{types.Interval, "1.5 months", "1 mon 15 days", nil},
		{types.Interval, "1.5 years", "1 year 6 mons", nil},
		{types.Interval, "-1 day +02:00", "-1 days +02:00:00", nil},
		{types.Interval, "@ 1 day ago", "-1 days", nil},
		{types.Interval, "1-2", "1 year 2 mons", nil},
		{types.Interval, "P1Y2M3DT4H5M6.5S", "1 year 2 mons 3 days 04:05:06.5", nil},
		{types.Interval, "-00:00:01", "-00:00:01", nil},
		{types.Interval, "0", "00:00:00", nil},
		{types.Interval, "1 week 1.5", "7 days 00:00:01.5", nil},
		{types.Interval, "2 hours 30 minutes ago", "-02:30:00", nil},
	}
	for _, c := range cases {
		s := DefaultSettings()
		if c.loc != nil {
			s.Location = c.loc
		}
		d, err := ParseText(c.typ, c.in, s)
		if err != nil {
			t.Errorf("%s %q: %v", c.typ, c.in, err)
			continue
		}
		if got := string(AppendText(nil, c.typ, d, s)); got != c.want {
			t.Errorf("%s %q: got %q, want %q", c.typ, c.in, got, c.want)
		}
	}
}

func TestErrorsExact(t *testing.T) {
	cases := []struct {
		typ    types.T
		in     string
		code   pgerror.Code
		msg    string
		detail string
	}{
		{types.Int4, "abc", pgerror.InvalidTextRepresentation, `invalid input syntax for type integer: "abc"`, ""},
		{types.Int4, "99999999999", pgerror.NumericValueOutOfRange, `value "99999999999" is out of range for type integer`, ""},
		{types.Int2, "", pgerror.InvalidTextRepresentation, `invalid input syntax for type smallint: ""`, ""},
		{types.Float8, "1e400", pgerror.NumericValueOutOfRange, `"1e400" is out of range for type double precision`, ""},
		{types.VarcharN(3), "abcd", pgerror.StringDataRightTruncation, `value too long for type character varying(3)`, ""},
		{types.NumericPS(5, 2), "1000", pgerror.NumericValueOutOfRange, "numeric field overflow", "A field with precision 5, scale 2 must round to an absolute value less than 10^3."},
		{types.Date, "2024-02-30", pgerror.DatetimeFieldOverflow, `date/time field value out of range: "2024-02-30"`, ""},
		{types.Timestamp, "foo", pgerror.InvalidDatetimeFormat, `invalid input syntax for type timestamp: "foo"`, ""},
		{types.TimestampTZ, "foo", pgerror.InvalidDatetimeFormat, `invalid input syntax for type timestamp with time zone: "foo"`, ""},
		{types.Interval, "1 2", pgerror.InvalidDatetimeFormat, `invalid input syntax for type interval: "1 2"`, ""},
		{types.Interval, "10:61", pgerror.IntervalFieldOverflow, `interval field value out of range: "10:61"`, ""},
		{types.UUID, "xyz", pgerror.InvalidTextRepresentation, `invalid input syntax for type uuid: "xyz"`, ""},
		{types.Bytea, "\\x123", pgerror.InvalidParameterValue, "invalid hexadecimal data: odd number of digits", ""},
		{types.Bool, "maybe", pgerror.InvalidTextRepresentation, `invalid input syntax for type boolean: "maybe"`, ""},
	}
	for _, c := range cases {
		_, err := ParseText(c.typ, c.in, nil)
		pe, ok := err.(*pgerror.Error)
		if !ok {
			t.Errorf("%s %q: want error, got %v", c.typ, c.in, err)
			continue
		}
		if pe.Code != c.code || pe.Message != c.msg || pe.Detail != c.detail {
			t.Errorf("%s %q: got %s %q %q, want %s %q %q", c.typ, c.in, pe.Code, pe.Message, pe.Detail, c.code, c.msg, c.detail)
		}
	}
	if _, err := Cast(true, types.Bool, types.Float8, true, nil); pgerror.CodeOf(err) != pgerror.CannotCoerce ||
		err.Error() != "cannot cast type boolean to double precision" {
		t.Errorf("bool->float8: %v", err)
	}
	if _, err := ParseBinary(types.Int4, []byte{1, 2, 3}); pgerror.CodeOf(err) != pgerror.ProtocolViolation {
		t.Errorf("short int4: %v", err)
	}
}

func randomDatum(r *rand.Rand, typ types.T) types.Datum {
	switch typ.Oid {
	case types.OidBool:
		return r.Intn(2) == 0
	case types.OidInt2, types.OidInt4, types.OidInt8, types.OidOid:
		lo, hi := typ.IntRange()
		switch r.Intn(4) {
		case 0:
			return lo
		case 1:
			return hi
		}
		v := int64(r.Uint64())
		if typ.Oid != types.OidInt8 {
			v = lo + int64(uint64(v)%uint64(hi-lo+1))
		}
		return v
	case types.OidFloat8:
		switch r.Intn(6) {
		case 0:
			return math.Inf(1 - 2*r.Intn(2))
		case 1:
			return math.NaN()
		case 2:
			return math.Float64frombits(r.Uint64())
		}
		return r.NormFloat64() * math.Pow(10, float64(r.Intn(60)-30))
	case types.OidFloat4:
		f := float64(float32(r.NormFloat64() * math.Pow(10, float64(r.Intn(30)-15))))
		if math.IsInf(f, 0) || (f == 0 && r.Intn(2) == 0) {
			return math.NaN()
		}
		return f
	case types.OidNumeric:
		if r.Intn(10) == 0 {
			return []*apd.Decimal{{Form: apd.NaN}, {Form: apd.Infinite}, {Form: apd.Infinite, Negative: true}}[r.Intn(3)]
		}
		d := new(apd.Decimal)
		d.Coeff.SetUint64(r.Uint64() >> uint(r.Intn(64)))
		if r.Intn(3) == 0 {
			d.Coeff.Mul(&d.Coeff, &d.Coeff)
		}
		d.Exponent = -int32(r.Intn(30))
		d.Negative = r.Intn(2) == 0 && d.Coeff.Sign() != 0
		return d
	case types.OidDate:
		return types.DDate(minDate + r.Int63n(int64(endDate-minDate)))
	case types.OidTimestamp, types.OidTimestampTZ:
		lo, hi := int64(minTimestamp), int64(endTimestamp)
		span := uint64(hi) - uint64(lo)
		return types.DTimestamp(lo + int64(r.Uint64()%span))
	case types.OidInterval:
		return types.DInterval{Months: int32(r.Uint32()), Days: int32(r.Uint32()), Micros: int64(r.Uint64())}
	case types.OidUUID:
		var u types.DUUID
		r.Read(u[:])
		return u
	case types.OidBytea:
		b := make([]byte, r.Intn(20))
		r.Read(b)
		return b
	case types.OidText:
		return string([]rune{rune('a' + r.Intn(26)), rune(0x100 + r.Intn(1000))})
	}
	return nil
}

func TestRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	ny, _ := time.LoadLocation("America/New_York")
	settings := []*Settings{DefaultSettings(), {Location: ny, IntervalStyle: "iso_8601", ExtraFloatDigits: 1},
		{IntervalStyle: "postgres_verbose", ExtraFloatDigits: 3}, {IntervalStyle: "sql_standard", ExtraFloatDigits: 1}}
	typs := []types.T{types.Bool, types.Int2, types.Int4, types.Int8, types.OidT, types.Float4, types.Float8, types.Numeric,
		types.Date, types.Timestamp, types.TimestampTZ, types.Interval, types.UUID, types.Bytea, types.Text}
	for i := 0; i < 3000; i++ {
		for _, typ := range typs {
			d := randomDatum(r, typ)
			s := settings[i%len(settings)]
			if typ.Oid == types.OidInterval && s.IntervalStyle == "sql_standard" {
				s = DefaultSettings() // sql_standard output is ambiguous on input
			}
			txt := string(AppendText(nil, typ, d, s))
			back, err := ParseText(typ, txt, s)
			if err != nil {
				t.Fatalf("%s: ParseText(%q) of %v: %v", typ, txt, d, err)
			}
			if Compare(typ, d, back) != 0 || string(AppendText(nil, typ, back, s)) != txt {
				t.Fatalf("%s: text round trip %q -> %q", typ, txt, AppendText(nil, typ, back, s))
			}
			bin, err := AppendBinary(nil, typ, d)
			if err != nil {
				t.Fatalf("%s: AppendBinary(%v): %v", typ, d, err)
			}
			back, err = ParseBinary(typ, bin)
			if err != nil {
				t.Fatalf("%s: ParseBinary(%x): %v", typ, bin, err)
			}
			if Compare(typ, d, back) != 0 || string(AppendText(nil, typ, back, s)) != txt {
				t.Fatalf("%s: binary round trip %q -> %q", typ, txt, AppendText(nil, typ, back, s))
			}
		}
	}
}

// FuzzParseText checks that no input panics.
func FuzzParseText(f *testing.F) {
	for _, c := range diffCases {
		for _, in := range c.inputs {
			f.Add(in)
		}
	}
	typs := []types.T{types.Bool, types.Int4, types.Float8, types.Numeric, types.NumericPS(5, 2), types.Date, types.Timestamp,
		types.TimestampTZ, types.Interval, types.UUID, types.Bytea, types.VarcharN(3)}
	f.Fuzz(func(t *testing.T, in string) {
		for _, typ := range typs {
			d, err := ParseText(typ, in, nil)
			if err == nil {
				AppendText(nil, typ, d, nil)
				if _, err := AppendBinary(nil, typ, d); err != nil {
					t.Fatal(err)
				}
			}
			_, _ = ParseBinary(typ, []byte(in))
		}
	})
}
