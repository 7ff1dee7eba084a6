package arith

import (
	"github.com/aegisdb/aegis/internal/testutil"

	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
	"github.com/cockroachdb/apd/v3"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func num(t *testing.T, s string) *apd.Decimal {
	t.Helper()
	d, err := typio.ParseText(types.Numeric, s, nil)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return d.(*apd.Decimal)
}

func text(typ types.T, d types.Datum) string { return string(typio.AppendText(nil, typ, d, nil)) }

func errString(err error) string {
	var pge *pgconn.PgError
	if errors.As(err, &pge) {
		return fmt.Sprintf("ERROR %s: %s", pge.Code, pge.Message)
	}
	pe := pgerror.Flatten(err)
	return fmt.Sprintf("ERROR %s: %s", pe.Code, pe.Message)
}

func TestIntOps(t *testing.T) {
	cases := []struct {
		name string
		f    func() (int64, error)
		want string
	}{
		{"int4 add overflow", func() (int64, error) { return IntAdd(types.Int4, math.MaxInt32, 1) }, "ERROR 22003: integer out of range"},
		{"int2 mul overflow", func() (int64, error) { return IntMul(types.Int2, 200, 200) }, "ERROR 22003: smallint out of range"},
		{"int8 sub overflow", func() (int64, error) { return IntSub(types.Int8, math.MinInt64, 1) }, "ERROR 22003: bigint out of range"},
		{"int8 mul overflow", func() (int64, error) { return IntMul(types.Int8, math.MinInt64, -1) }, "ERROR 22003: bigint out of range"},
		{"div zero", func() (int64, error) { return IntDiv(types.Int4, 1, 0) }, "ERROR 22012: division by zero"},
		{"div min", func() (int64, error) { return IntDiv(types.Int4, math.MinInt32, -1) }, "ERROR 22003: integer out of range"},
		{"div trunc", func() (int64, error) { return IntDiv(types.Int4, -7, 2) }, "-3"},
		{"mod sign", func() (int64, error) { return IntMod(types.Int4, -7, 3) }, "-1"},
		{"mod min", func() (int64, error) { return IntMod(types.Int8, math.MinInt64, -1) }, "0"},
		{"mod zero", func() (int64, error) { return IntMod(types.Int4, 1, 0) }, "ERROR 22012: division by zero"},
		{"neg", func() (int64, error) { return IntNeg(types.Int2, -32768) }, "ERROR 22003: smallint out of range"},
	}
	for _, c := range cases {
		v, err := c.f()
		got := fmt.Sprint(v)
		if err != nil {
			got = errString(err)
		}
		if got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}

func TestNumericAvg(t *testing.T) {
	r, err := NumericAvg(num(t, "3"), 2)
	if err != nil || text(types.Numeric, r) != "1.5000000000000000" {
		t.Fatalf("avg: %v %v", r, err)
	}
}

func connectRef(t *testing.T) *pgx.Conn { return testutil.ConnectPostgres(t) }

func ref(conn *pgx.Conn, query string, args ...string) string {
	params := make([][]byte, len(args))
	oids := make([]uint32, len(args))
	for i, a := range args {
		params[i], oids[i] = []byte(a), 25
	}
	res := conn.PgConn().ExecParams(context.Background(), query, params, oids, nil, nil).Read()
	if res.Err != nil {
		return errString(res.Err)
	}
	return string(res.Rows[0][0])
}

var numericVals = []string{"0", "1", "-1", "3", "7", "1.5", "-2.25", "0.001", "123456789.123", "1e20", "0.000000001", "9999", "10000", "2", "0.3333",
	"99999999999999999999", "-0.5", "100", "12.3400", "NaN", "Infinity", "-Infinity"}

func TestDifferentialNumeric(t *testing.T) {
	conn := connectRef(t)
	ops := []struct {
		sql string
		f   func(a, b *apd.Decimal) (*apd.Decimal, error)
	}{
		{"+", NumericAdd}, {"-", NumericSub}, {"*", NumericMul}, {"/", NumericDiv}, {"%", NumericMod},
	}
	for _, op := range ops {
		for _, a := range numericVals {
			for _, b := range numericVals {
				want := ref(conn, "SELECT $1::text::numeric "+op.sql+" $2::text::numeric", a, b)
				r, err := op.f(num(t, a), num(t, b))
				got := ""
				if err != nil {
					got = errString(err)
				} else {
					got = text(types.Numeric, r)
				}
				if got != want {
					t.Errorf("%s %s %s: got %s, want %s", a, op.sql, b, got, want)
				}
			}
		}
	}
	for _, a := range numericVals {
		for _, s := range []int32{-2, 0, 1, 3} {
			want := ref(conn, fmt.Sprintf("SELECT round($1::text::numeric, %d)", s), a)
			r, err := NumericRound(num(t, a), s)
			got := text(types.Numeric, r)
			if err != nil {
				got = errString(err)
			}
			if got != want {
				t.Errorf("round(%s, %d): got %s, want %s", a, s, got, want)
			}
			want = ref(conn, fmt.Sprintf("SELECT trunc($1::text::numeric, %d)", s), a)
			r, _ = NumericTrunc(num(t, a), s)
			if got := text(types.Numeric, r); got != want {
				t.Errorf("trunc(%s, %d): got %s, want %s", a, s, got, want)
			}
		}
	}
}

func TestDifferentialFloat(t *testing.T) {
	conn := connectRef(t)
	vals := []float64{0, 1, -1.5, 1e308, -1e308, 1e-308, 5e-324, math.Inf(1), math.NaN(), 3}
	ops := []struct {
		sql string
		f   func(a, b float64) (float64, error)
	}{{"+", FloatAdd}, {"-", FloatSub}, {"*", FloatMul}, {"/", FloatDiv}}
	for _, op := range ops {
		for _, a := range vals {
			for _, b := range vals {
				as, bs := text(types.Float8, a), text(types.Float8, b)
				want := ref(conn, "SELECT $1::text::float8 "+op.sql+" $2::text::float8", as, bs)
				r, err := op.f(a, b)
				got := text(types.Float8, r)
				if err != nil {
					got = errString(err)
				}
				if got != want {
					t.Errorf("%s %s %s: got %s, want %s", as, op.sql, bs, got, want)
				}
			}
		}
	}
}

func TestDifferentialDatetime(t *testing.T) {
	conn := connectRef(t)
	ctx := context.Background()
	ivs := []string{"1 mon", "1 day", "-1 mon", "1 year 2 mons 3 days 04:05:06", "25 hours", "-1 day +02:00", "0", "1 mon 1 day 1 sec", "13 mons", "-25 mons -3 days"}
	tss := []string{"2024-01-31 10:00", "2024-03-09 02:30", "2024-03-10 01:30", "2024-11-02 01:30", "2023-02-28 23:59:59.5", "0001-01-01 BC", "infinity"}
	for _, zone := range []string{"UTC", "America/New_York"} {
		if _, err := conn.Exec(ctx, "SET TimeZone='"+zone+"'"); err != nil {
			t.Fatal(err)
		}
		loc, _ := time.LoadLocation(zone)
		s := &typio.Settings{Location: loc}
		for _, tsS := range tss {
			for _, ivS := range ivs {
				iv, _ := typio.ParseText(types.Interval, ivS, s)
				for _, tz := range []bool{false, true} {
					typ, sqlT, l := types.Timestamp, "timestamp", (*time.Location)(nil)
					if tz {
						typ, sqlT, l = types.TimestampTZ, "timestamptz", loc
					}
					ts, err := typio.ParseText(typ, tsS, s)
					if err != nil {
						t.Fatal(err)
					}
					want := ref(conn, "SELECT $1::text::"+sqlT+" + $2::text::interval", tsS, ivS)
					r, err := TimestampAddInterval(ts.(types.DTimestamp), iv.(types.DInterval), l)
					got := string(typio.AppendText(nil, typ, r, s))
					if err != nil {
						got = errString(err)
					}
					if got != want {
						t.Errorf("[%s] %s %s + %s: got %s, want %s", zone, sqlT, tsS, ivS, got, want)
					}
				}
			}
			for _, t2 := range tss {
				want := ref(conn, "SELECT $1::text::timestamp - $2::text::timestamp", tsS, t2)
				a, _ := typio.ParseText(types.Timestamp, tsS, s)
				b, _ := typio.ParseText(types.Timestamp, t2, s)
				r, err := TimestampSub(a.(types.DTimestamp), b.(types.DTimestamp))
				got := text(types.Interval, r)
				if err != nil {
					got = errString(err)
				}
				if got != want {
					t.Errorf("%s - %s: got %s, want %s", tsS, t2, got, want)
				}
			}
		}
	}
	for _, ivS := range ivs {
		iv, _ := typio.ParseText(types.Interval, ivS, nil)
		for _, f := range []float64{0.5, 1.5, -0.3, 3, 0.01, 7} {
			want := ref(conn, fmt.Sprintf("SELECT $1::text::interval * %v", f), ivS)
			r, err := IntervalMulFloat(iv.(types.DInterval), f)
			got := text(types.Interval, r)
			if err != nil {
				got = errString(err)
			}
			if got != want {
				t.Errorf("%s * %v: got %s, want %s", ivS, f, got, want)
			}
			want = ref(conn, fmt.Sprintf("SELECT $1::text::interval / %v", f), ivS)
			r, _ = IntervalDivFloat(iv.(types.DInterval), f)
			if got := text(types.Interval, r); got != want {
				t.Errorf("%s / %v: got %s, want %s", ivS, f, got, want)
			}
		}
		for name, f := range map[string]func(types.DInterval) (types.DInterval, error){"justify_hours": JustifyHours, "justify_days": JustifyDays, "justify_interval": JustifyInterval} {
			want := ref(conn, "SELECT "+name+"($1::text::interval)", ivS)
			r, _ := f(iv.(types.DInterval))
			if got := text(types.Interval, r); got != want {
				t.Errorf("%s(%s): got %s, want %s", name, ivS, got, want)
			}
		}
	}
}
