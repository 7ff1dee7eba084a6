package typio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aegisdb/aegis/internal/testutil"
)

func connectRef(t *testing.T) *pgx.Conn { return testutil.ConnectPostgres(t) }

type diffCase struct {
	typ    types.T
	sqlTyp string
	inputs []string
}

var diffCases = []diffCase{
	{types.Bool, "bool", []string{"t", "true", "TRUE", " yes ", "y", "on", "of", "off", "o", "1", "0", "f", "fa", "no", "n", "", "2", "tr ue", "  f"}},
	{types.Int2, "int2", []string{"0", "32767", "-32768", "32768", "-32769", " 12 ", "+5", "-", "", "1.5", "abc", "1e3", "00012"}},
	{types.Int4, "int4", []string{"0", "2147483647", "-2147483648", "2147483648", "99999999999", "  -42  ", "+0", "4 2", "0x10", "٣"}},
	{types.Int8, "int8", []string{"9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "123456789012345678901234", "1_000"}},
	{types.OidT, "oid", []string{"0", "4294967295", "4294967296", "-1", "-2147483648", "-2147483649", "12"}},
	{types.Float8, "float8", []string{"0", "-0", "1", "1.5", "  1.5  ", "0.1", "1e15", "1e14", "123456789012345", "1234567890123456", "1e-4", "1e-5", "0.0001234",
		"1.2345678901234567e17", "3.141592653589793", "nan", "NaN", "inf", "-infinity", "Infinity", "+inf", "1e400", "-1e400", "1e-400", "4.9e-324", "2.2250738585072014e-308",
		"1.7976931348623157e308", "abc", "", "1e", ".5", "5.", "-.5e-3", "1e+05", "100", "1000000", "12345.678", "0.30000000000000004", "2e-5", "-1.5e-05"}},
	{types.Float4, "float4", []string{"0", "-0", "1.5", "0.1", "100000", "1000000", "123456", "1234567", "1e-4", "1e-5", "3.4028235e38", "3.5e38", "1e-46", "1.4e-45",
		"nan", "-inf", "3.14159265", "16777217", "0.3", "1e10"}},
	{types.Numeric, "numeric", []string{"0", "0.0", "-0.00", "1.50", "  12.345  ", "-12.345", "1e5", "1.5e-3", "1.500e1", ".5", "5.", "NaN", "nan", "Infinity", "-inf", "+infinity",
		"abc", "", "1e", "1.2.3", "123456789012345678901234567890.123456789", "0.000000000000000000001", "-0", "00012.3400", "1e-20", "9999.9999", "10000", "0.0001", "1e1000",
		"1e-16383", "1e-16384", "1e131071", "1e131072"}},
	{types.NumericPS(5, 2), "numeric(5,2)", []string{"1.005", "-1.005", "999.994", "999.995", "-999.995", "0.001", "12", "NaN", "Infinity", "123456"}},
	{types.NumericPS(3, 0), "numeric(3,0)", []string{"999.4", "999.5", "-0.5", "0.4"}},
	{types.NumericPS(3, 5), "numeric(3,5)", []string{"0.001", "0.00999", "0.01", "0.009995"}},
	{types.NumericPS(3, -2), "numeric(3,-2)", []string{"12345", "149", "150", "99949", "99950"}},
	{types.VarcharN(3), "varchar(3)", []string{"ab", "abc", "abcd", "abc   ", "ab  d", "äöüß", "äöü "}},
	{types.T{Oid: types.OidBpchar, Typmod: 5 + 4}, "char(5)", []string{"ab", "abcde", "abcdef", "abcde  ", "ä"}},
	{types.Text, "text", []string{"hello", "", " spaced "}},
	{types.Name, "name", []string{"abc", "0123456789012345678901234567890123456789012345678901234567890123456789"}},
	{types.Bytea, "bytea", []string{"\\x", "\\x0102ff", "\\xDEADbeef", "\\x 01 02", "\\x123", "\\xzz", "abc", "a\\\\b", "\\000\\001\\377", "\\400", "\\", "a\\b", "\\x\tab"}},
	{types.UUID, "uuid", []string{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
		"a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "", " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}},
	{types.Date, "date", []string{"2024-01-02", "2024-1-2", "1/2/2024", "01/02/24", "1/2/70", "1/2/69", "Jan 2 2024", "January 2, 2024", "2 Jan 2024", "02-Jan-2024", "2024-Jan-02",
		"2024-01-02 BC", "0044-03-15 BC", "44-03-15 BC", "epoch", "infinity", "-infinity", "2024-02-29", "2023-02-29", "2024-13-01", "13/01/2024", "2024-01-32", "0000-01-01",
		"20240102", "2024.01.02", "2024-01-02 10:00", "2024-01-02T10:00:00Z", "garbage", "", "4713-11-24 BC", "4714-11-24 BC", "4714-11-23 BC", "5874897-12-31", "5874898-01-01",
		"12345-01-01", "Mon Jan 2 2024", "1999-12-31 PST", "May 5 1999"}},
	{types.Timestamp, "timestamp", []string{"2024-01-02 03:04:05", "2024-01-02T03:04:05", "2024-01-02 03:04:05.5", "2024-01-02 03:04:05.123456", "2024-01-02 03:04:05.1234565",
		"2024-01-02 03:04:05.1234575", "2024-01-02 03:04:05+02", "2024-01-02 03:04:05 America/New_York", "2024-01-02", "2024-01-02 24:00:00", "2024-01-02 24:00:01",
		"2024-01-02 23:59:60", "2024-01-02 3:04 pm", "2024-01-02 12:00 am", "2024-01-02 13:00 pm", "epoch", "infinity", "-infinity", "0044-03-15 12:00 BC",
		"Jan 2 2024 10:00", "2024-01-02 03:04:05Z", "2024-01-02 03:04", "2024-01-02 25:00", "2024-01-02 10:61", "1999-01-08 04:05:06 -8:00", "1/2/2024 10:00",
		"2024-01-02 10:00:00.", "294246-12-31 23:59:59", "4714-11-24 00:00:00 BC", "4714-11-23 23:59:59 BC", "2024-01-02 10:00 foo", "J2451187", "2024-01-02 allballs", "2024-01-02 Foo/Bar"}},
	{types.TimestampTZ, "timestamptz", []string{"2024-01-02 03:04:05", "2024-07-02 03:04:05", "2024-01-02 03:04:05+02", "2024-01-02 03:04:05+0530", "2024-01-02 03:04:05+05:30",
		"2024-01-02 03:04:05-05:45:12", "2024-01-02 03:04:05Z", "2024-01-02 03:04:05 UTC", "2024-01-02 03:04:05 utc", "2024-01-02 03:04:05 Europe/Berlin", "2024-01-02 03:04:05 europe/berlin",
		"2024-01-02 03:04:05 EST", "2024-01-02 03:04:05 PDT", "2024-03-10 02:30", "2024-11-03 01:30", "1800-01-01", "epoch", "infinity", "2024-01-02T03:04:05.25-08",
		"0044-03-15 12:00 BC", "2024-01-02 03:04:05 +15", "2024-01-02 03:04:05 +16", "2024-01-02 03:04:05 GMT+2", "2024-01-02 03:04:05 Asia/Kathmandu", "1900-06-01 Asia/Kathmandu"}},
	{types.Interval, "interval", []string{"1 day", "1 day 2 hours", "1-2", "-1-2", "P1Y2M3DT4H5M6S", "P1Y2M3DT4H5M6.5S", "@ 1 day ago", "01:02:03", "1.5 days", "1.5 months", "1.5 years",
		"1.05 years", "1.04 years", "1 y", "2 yr", "3 mon", "3 mons", "1 w", "2 weeks", "4 d", "5 h", "6 hr", "7 m", "8 min", "9 mins", "10 s", "11 sec", "12 secs", "13 ms", "14 milliseconds",
		"15 us", "16 microseconds", "1 decade", "2 centuries", "1 millennium", "0", "00:00:00", "-00:00:01", "1 day -02:00:00", "-1 day +02:00", "100:00:00", "1:2", "1:2.5", "1 2:03:04",
		"1 2", "2 days 3", "garbage", "", "1 day 1 day", "P1W", "P0.5Y", "PT1.5H", "P1.5D", "P0001-02-03T04:05:06", "p1d", "1.5 hours", "-1.5 days", "1 week 1.5", "0.3 mons",
		"1 year 2 mons 3 days 04:05:06.789", "-1 year -2 mons +3 days -04:05:06", "2147483647 days", "2147483648 days", "178956970 years", "178956971 years", "9223372036854775807 us",
		"1 mon -1 sec", "1day", "10 ago", "1 hour 30", "@ 2 hours 30 minutes ago", "1.5 weeks", "-1.5 weeks", "0.1 sec", "0.0000005 sec", "0.0000015 sec", "1.999999999 sec", "+1 day", "1 day +1"}},
	{types.T{Oid: types.OidTimestamp, Typmod: 2}, "timestamp(2)", []string{"2024-01-02 03:04:05.125", "2024-01-02 03:04:05.135", "1960-01-02 03:04:05.125", "1990-01-02 03:04:05.125", "2024-01-02 03:04:05.999"}},
	{types.T{Oid: types.OidTimestamp, Typmod: 0}, "timestamp(0)", []string{"2024-01-02 03:04:05.5", "1960-01-02 03:04:05.5"}},
	{types.T{Oid: types.OidInterval, Typmod: 1}, "interval(1)", []string{"1.25 sec", "-1.25 sec", "1.35 sec"}},
	{arrayOf(types.Int4), "int4[]", []string{"{}", "{1,2,3}", " { 1 , 2 , 3 } ", "{1,NULL,3}", "{null}", "{{1,2},{3,4}}", "{{1,2},{3}}", "{{1},2}", "{1,{2}}",
		"[0:2]={1,2,3}", "[2:3][1:1]={{1},{2}}", "[1:2]={1,2,3}", "[3:1]={}", "{1,2", "{1,2}x", "1,2", "{,}", "{1,,2}", "{\"1\",\"2\"}", "{a}", "{2147483648}",
		"{{{{{{{1}}}}}}}", "{{{{{{1}}}}}}", "{ }", "{{}}", "{{},{}}", "", "{1 2}", "[1]={5}", "[-2:-1]={7,8}", "{\"\"}"}},
	{arrayOf(types.Text), "text[]", []string{"{}", "{a,b}", "{\"a b\",c}", "{\"\",x}", "{NULL,\"NULL\",null,Null}", "{\"a\\\"b\",\"c\\\\d\"}", "{a\\,b}", "{ a b , c }",
		"{\"{}\",\"x,y\"}", "{é,ü}", "{\"a\"b}", "{a\"b\"}", "{{a,b},{c,d}}", "{a\\ }", "{\"  \"}", "{abc\tdef}"}},
	{arrayOf(types.VarcharN(3)), "varchar(3)[]", []string{"{ab,abc}", "{abcd}", "{\"abc  \"}"}},
	{arrayOf(types.NumericPS(5, 2)), "numeric(5,2)[]", []string{"{1.005,2}", "{NaN,1e3}", "{123456}"}},
	{arrayOf(types.Float8), "float8[]", []string{"{1.5,-0,NaN,Infinity}", "{1e400}"}},
	{arrayOf(types.Bool), "bool[]", []string{"{t,f,NULL}", "{yes,no}", "{maybe}"}},
	{arrayOf(types.Bytea), "bytea[]", []string{"{\"\\\\x0102\"}", "{\"\\\\xzz\"}"}},
	{arrayOf(types.Timestamp), "timestamp[]", []string{"{\"2024-01-02 03:04:05\",infinity}", "{2024-01-02}"}},
	{arrayOf(types.Date), "date[]", []string{"{2024-01-02,epoch}"}},
	{arrayOf(types.Interval), "interval[]", []string{"{\"1 day\",\"-1 mon\"}"}},
	{arrayOf(types.UUID), "uuid[]", []string{"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"}},
	{arrayOf(types.Int8), "int8[]", []string{"{9223372036854775807,-1}"}},
	{arrayOf(types.Name), "name[]", []string{"{pg_catalog,public}"}},
}

func arrayOf(t types.T) types.T {
	a, ok := types.ArrayOf(t)
	if !ok {
		panic("no array type for " + t.String())
	}
	return a
}

// refText runs query with one text parameter and returns the raw text
// output of the single result column.
func refText(ctx context.Context, conn *pgx.Conn, query string, arg string) (string, error) {
	res := conn.PgConn().ExecParams(ctx, query, [][]byte{[]byte(arg)}, []uint32{25}, []int16{0}, []int16{0}).Read()
	if res.Err != nil {
		return "", res.Err
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		return "", fmt.Errorf("unexpected result shape")
	}
	return string(res.Rows[0][0]), nil
}

func describe(s string, err error) string {
	if err != nil {
		var pge *pgconn.PgError
		if errors.As(err, &pge) {
			out := fmt.Sprintf("ERROR %s: %s", pge.Code, pge.Message)
			if pge.Detail != "" {
				out += " DETAIL: " + pge.Detail
			}
			if pge.Hint != "" {
				out += " HINT: " + pge.Hint
			}
			return out
		}
		if pe := pgerror.Flatten(err); pe != nil {
			out := fmt.Sprintf("ERROR %s: %s", pe.Code, pe.Message)
			if pe.Detail != "" {
				out += " DETAIL: " + pe.Detail
			}
			if pe.Hint != "" {
				out += " HINT: " + pe.Hint
			}
			return out
		}
	}
	return s
}

func TestDifferentialText(t *testing.T) {
	conn := connectRef(t)
	ctx := context.Background()
	zones := []string{"UTC", "America/New_York", "Asia/Kathmandu"}
	for _, zone := range zones {
		if _, err := conn.Exec(ctx, "SET TimeZone = '"+zone+"'"); err != nil {
			t.Fatal(err)
		}
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		s := &Settings{Location: loc, DateStyle: "ISO, MDY", IntervalStyle: "postgres", ExtraFloatDigits: 1}
		for _, c := range diffCases {
			if zone != "UTC" && c.typ.Oid != types.OidTimestampTZ && c.typ.Oid != types.OidDate {
				continue
			}
			for _, in := range c.inputs {
				want := describe(refText(ctx, conn, "SELECT $1::text::"+c.sqlTyp, in))
				d, err := Cast(in, types.Text, c.typ, true, s)
				var got string
				if err != nil {
					got = describe("", err)
				} else {
					got = string(AppendText(nil, c.typ, d, s))
				}
				if got != want {
					t.Errorf("[%s] %s %q: got %q, want %q", zone, c.sqlTyp, in, got, want)
				}
			}
		}
	}
}

// TestDifferentialBinary compares AppendBinary with PostgreSQL's send
// function and ParseBinary of PostgreSQL's bytes with ParseText.
func TestDifferentialBinary(t *testing.T) {
	conn := connectRef(t)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "SET TimeZone = 'UTC'"); err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings()
	for _, c := range diffCases {
		for _, in := range c.inputs {
			d, err := Cast(in, types.Text, c.typ, true, s)
			if err != nil {
				continue
			}
			res := conn.PgConn().ExecParams(ctx, "SELECT $1::text::"+c.sqlTyp, [][]byte{[]byte(in)}, []uint32{25}, []int16{0}, []int16{1}).Read()
			if res.Err != nil || len(res.Rows) != 1 {
				t.Errorf("%s %q: reference error %v", c.sqlTyp, in, res.Err)
				continue
			}
			want := res.Rows[0][0]
			got, err := AppendBinary(nil, c.typ, d)
			if err != nil {
				t.Errorf("%s %q: AppendBinary: %v", c.sqlTyp, in, err)
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s %q: binary got %x, want %x", c.sqlTyp, in, got, want)
			}
			back, err := ParseBinary(c.typ, want)
			if err != nil {
				t.Errorf("%s %q: ParseBinary: %v", c.sqlTyp, in, err)
				continue
			}
			if Compare(c.typ, back, d) != 0 || string(AppendText(nil, c.typ, back, s)) != string(AppendText(nil, c.typ, d, s)) {
				t.Errorf("%s %q: ParseBinary got %s, want %s", c.sqlTyp, in, AppendText(nil, c.typ, back, s), AppendText(nil, c.typ, d, s))
			}
		}
	}
}

type castCase struct {
	from, to       types.T
	fromSQL, toSQL string
	inputs         []string
}

var castCases = []castCase{
	{types.Float8, types.Int4, "float8", "int4", []string{"2.5", "3.5", "-2.5", "2147483647.4", "2147483647.5", "-2147483648.5", "nan", "inf", "1e10"}},
	{types.Float8, types.Int2, "float8", "int2", []string{"32767.4", "32767.5", "-0.5"}},
	{types.Float8, types.Int8, "float8", "int8", []string{"9223372036854775807", "-9223372036854775808", "9.2233720368547748e18", "1e19"}},
	{types.Numeric, types.Int4, "numeric", "int4", []string{"2.5", "-2.5", "3.5", "2147483647.49", "2147483647.5", "NaN", "Infinity", "-Infinity"}},
	{types.Numeric, types.Int8, "numeric", "int8", []string{"9223372036854775807.4", "9223372036854775807.5", "-9223372036854775808.5", "NaN", "1e30"}},
	{types.Numeric, types.Int2, "numeric", "int2", []string{"NaN", "32767.5"}},
	{types.Float8, types.Numeric, "float8", "numeric", []string{"0.1", "1.0000000000000002", "123456789012345678", "1e-20", "nan", "inf", "-inf", "1e300", "0.30000000000000004"}},
	{types.Float4, types.Numeric, "float4", "numeric", []string{"0.1", "1.2345678", "1e10", "nan"}},
	{types.Numeric, types.Float8, "numeric", "float8", []string{"0.1", "1e400", "-1e400", "1e-400", "NaN", "Infinity", "123456789.123456789"}},
	{types.Numeric, types.Float4, "numeric", "float4", []string{"0.1", "1e39", "3.4028235e38"}},
	{types.Float8, types.Float4, "float8", "float4", []string{"1e39", "1e-50", "0.1", "nan", "-inf", "3.4028235e38"}},
	{types.Int8, types.Int4, "int8", "int4", []string{"2147483648", "-2147483648"}},
	{types.Int4, types.Int2, "int4", "int2", []string{"32768", "-32768"}},
	{types.Int4, types.OidT, "int4", "oid", []string{"-1", "5"}},
	{types.Int8, types.OidT, "int8", "oid", []string{"-1", "4294967295", "4294967296"}},
	{types.OidT, types.Int4, "oid", "int4", []string{"4294967295", "7"}},
	{types.Int4, types.Bool, "int4", "bool", []string{"0", "5", "-1"}},
	{types.Bool, types.Int4, "bool", "int4", []string{"t", "f"}},
	{types.Bool, types.Text, "bool", "text", []string{"t", "f"}},
	{types.Bool, types.Int8, "bool", "int8", []string{"t"}},
	{types.Int4, types.Numeric, "int4", "numeric", []string{"-5"}},
	{types.Int4, types.NumericPS(3, 1), "int4", "numeric(3,1)", []string{"99", "100"}},
	{types.Float8, types.Text, "float8", "text", []string{"1e20", "0.1"}},
	{types.Numeric, types.VarcharN(3), "numeric", "varchar(3)", []string{"12345"}},
	{types.T{Oid: types.OidBpchar, Typmod: 9}, types.Text, "char(5)", "text", []string{"ab", "a b"}},
	{types.T{Oid: types.OidBpchar, Typmod: 9}, types.VarcharN(10), "char(5)", "varchar(10)", []string{"ab"}},
	{types.Date, types.Timestamp, "date", "timestamp", []string{"2024-01-02", "infinity", "0044-03-15 BC"}},
	{types.Date, types.TimestampTZ, "date", "timestamptz", []string{"2024-01-02", "2024-03-10", "-infinity"}},
	{types.Timestamp, types.Date, "timestamp", "date", []string{"2024-01-02 23:59:59", "0001-01-01 00:00 BC", "infinity"}},
	{types.TimestampTZ, types.Date, "timestamptz", "date", []string{"2024-01-02 03:00+00", "2024-01-02 23:00+00"}},
	{types.Timestamp, types.TimestampTZ, "timestamp", "timestamptz", []string{"2024-03-10 02:30", "2024-11-03 01:30", "2024-06-01 12:00"}},
	{types.TimestampTZ, types.Timestamp, "timestamptz", "timestamp", []string{"2024-03-10 07:30+00", "2024-06-01 12:00+00"}},
	{types.Timestamp, types.T{Oid: types.OidTimestamp, Typmod: 1}, "timestamp", "timestamp(1)", []string{"2024-01-02 03:04:05.25", "2024-01-02 03:04:05.35"}},
	{types.Interval, types.Text, "interval", "text", []string{"1 day 02:00"}},
	{types.UUID, types.Bytea, "uuid", "bytea", []string{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}},
	{types.Date, types.Interval, "date", "interval", []string{"2024-01-02"}},
	{types.Bytea, types.Text, "bytea", "text", []string{"\\x0102"}},
	{types.Text, types.Bytea, "text", "bytea", []string{"abc"}},
}

func TestDifferentialCast(t *testing.T) {
	conn := connectRef(t)
	ctx := context.Background()
	for _, zone := range []string{"UTC", "America/New_York"} {
		if _, err := conn.Exec(ctx, "SET TimeZone = '"+zone+"'"); err != nil {
			t.Fatal(err)
		}
		loc, _ := time.LoadLocation(zone)
		s := &Settings{Location: loc, ExtraFloatDigits: 1}
		for _, c := range castCases {
			for _, in := range c.inputs {
				want := describe(refText(ctx, conn, "SELECT $1::text::"+c.fromSQL+"::"+c.toSQL, in))
				var got string
				d, err := Cast(in, types.Text, c.from, true, s)
				if err == nil {
					d, err = Cast(d, c.from, c.to, true, s)
				}
				if err != nil {
					got = describe("", err)
				} else {
					got = string(AppendText(nil, c.to, d, s))
				}
				if got != want {
					t.Errorf("[%s] %q::%s::%s: got %q, want %q", zone, in, c.fromSQL, c.toSQL, got, want)
				}
			}
		}
	}
}

func TestDifferentialIntervalStyles(t *testing.T) {
	conn := connectRef(t)
	ctx := context.Background()
	var inputs []string
	for _, c := range diffCases {
		if c.typ.Oid == types.OidInterval {
			inputs = c.inputs
		}
	}
	inputs = append(inputs, "-1 year", "1 year -1 day", "-1 day -00:00:01", "1 sec", "-1 sec", "1 min", "1 hour -1 min")
	for _, style := range []string{"postgres", "iso_8601", "sql_standard", "postgres_verbose"} {
		if _, err := conn.Exec(ctx, "SET IntervalStyle = '"+style+"'"); err != nil {
			t.Fatal(err)
		}
		s := &Settings{IntervalStyle: style}
		for _, in := range inputs {
			d, err := ParseText(types.Interval, in, DefaultSettings())
			if err != nil {
				continue
			}
			if _, err := conn.Exec(ctx, "SET IntervalStyle = 'postgres'"); err != nil {
				t.Fatal(err)
			}
			canon := string(AppendText(nil, types.Interval, d, DefaultSettings()))
			if _, err := conn.Exec(ctx, "SET IntervalStyle = '"+style+"'"); err != nil {
				t.Fatal(err)
			}
			want := describe(refText(ctx, conn, "SELECT $1::text::interval", canon))
			got := string(AppendText(nil, types.Interval, d, s))
			if got != want {
				t.Errorf("[%s] %q: got %q, want %q", style, in, got, want)
			}
		}
	}
	if _, err := conn.Exec(ctx, "RESET IntervalStyle"); err != nil {
		t.Fatal(err)
	}
}

func TestDifferentialExtraFloatDigits(t *testing.T) {
	conn := connectRef(t)
	ctx := context.Background()
	vals := []string{"0.1", "1e15", "123456789012345678", "3.141592653589793", "1e-5", "100", "1.5", "2e-310"}
	for _, efd := range []int{0, -3, -15, 3} {
		if _, err := conn.Exec(ctx, fmt.Sprintf("SET extra_float_digits = %d", efd)); err != nil {
			t.Fatal(err)
		}
		s := &Settings{ExtraFloatDigits: efd}
		for _, typ := range []struct {
			t   types.T
			sql string
		}{{types.Float8, "float8"}, {types.Float4, "float4"}} {
			for _, in := range vals {
				want := describe(refText(ctx, conn, "SELECT $1::text::"+typ.sql, in))
				d, err := ParseText(typ.t, in, s)
				got := describe("", err)
				if err == nil {
					got = string(AppendText(nil, typ.t, d, s))
				}
				if got != want {
					t.Errorf("efd=%d %s %q: got %q, want %q", efd, typ.sql, in, got, want)
				}
			}
		}
	}
	if _, err := conn.Exec(ctx, "RESET extra_float_digits"); err != nil {
		t.Fatal(err)
	}
}
