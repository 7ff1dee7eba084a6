package server_test

import (
	"context"
	"errors"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/aegisdb/aegis/server/testserver"
)

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func TestErrorsCarrySQLSTATE(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()

	_, err := c.Exec(ctx, "SELECT * FROM missing")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "42P01" || pe.Message != `relation "missing" does not exist` || pe.Position != 15 {
		t.Fatalf("missing table: got %+v", err)
	}
	_, err = c.Exec(ctx, "SELEC 1")
	if !errors.As(err, &pe) || pe.Code != "42601" || pe.Position != 1 {
		t.Fatalf("syntax error: got %+v", err)
	}
	if _, err := c.Exec(ctx, "CREATE TABLE t (id int8 PRIMARY KEY, v text)"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "INSERT INTO t VALUES (1, 'a')"); err != nil {
		t.Fatal(err)
	}
	_, err = c.Exec(ctx, "INSERT INTO t VALUES (1, 'b')")
	if !errors.As(err, &pe) || pe.Code != "23505" || pe.ConstraintName != "t_pkey" || pe.Detail != "Key (id)=(1) already exists." {
		t.Fatalf("duplicate key: got %+v", err)
	}
	// The failed insert left nothing behind.
	var v string
	if err := c.QueryRow(ctx, "SELECT v FROM t WHERE id = 1").Scan(&v); err != nil || v != "a" {
		t.Fatalf("after duplicate: %q %v", v, err)
	}
}

func TestFailedTransactionRejectsStatements(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, "CREATE TABLE t (id int PRIMARY KEY)")
	mustExec(t, c, "BEGIN")
	mustExec(t, c, "INSERT INTO t VALUES (1)")
	if _, err := c.Exec(ctx, "SELECT 1/0"); pgCode(err) != "22012" {
		t.Fatalf("division by zero: %v", err)
	}
	if _, err := c.Exec(ctx, "SELECT 1"); pgCode(err) != "25P02" {
		t.Fatalf("in failed transaction: %v", err)
	}
	if tag, err := c.PgConn().Exec(ctx, "COMMIT").ReadAll(); err != nil || tag[0].CommandTag.String() != "ROLLBACK" {
		t.Fatalf("COMMIT of failed txn: %v %v", tag, err)
	}
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 0 {
		t.Fatalf("rolled-back insert visible: %d %v", n, err)
	}
}

func mustExec(t *testing.T, c *pgx.Conn, sql string, args ...any) {
	t.Helper()
	if _, err := c.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// TestBinaryRoundTrip sends every supported type as a binary parameter
// of a prepared statement, stores it, and reads it back in binary.
func TestBinaryRoundTrip(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, `CREATE TABLE all_types (
		id int8 PRIMARY KEY, b bool, i2 int2, i4 int4, f4 float4, f8 float8, n numeric(20,5),
		t text, vc varchar(10), by bytea, d date, ts timestamp, tz timestamptz, iv interval, u uuid)`)

	loc := time.FixedZone("x", 3600)
	num := pgtype.Numeric{Int: big.NewInt(-1234567890123), Exp: -5, Valid: true}
	uid := [16]byte{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 1, 2, 3, 4, 5, 6, 7, 8}
	in := []any{
		int64(1), true, int16(-32768), int32(2147483647), float32(1.5), math.Pi, num,
		"héllo\tworld", "short", []byte{0, 1, 2, 0xff},
		pgtype.Date{Time: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), Valid: true},
		pgtype.Timestamp{Time: time.Date(1999, 12, 31, 23, 59, 59, 123456000, time.UTC), Valid: true},
		time.Date(2024, 7, 1, 12, 30, 0, 0, loc),
		pgtype.Interval{Months: 14, Days: -3, Microseconds: 3723000001, Valid: true},
		uid,
	}
	if _, err := c.Exec(ctx, "INSERT INTO all_types VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)", in...); err != nil {
		t.Fatal(err)
	}
	var (
		id  int64
		b   bool
		i2  int16
		i4  int32
		f4  float32
		f8  float64
		n   pgtype.Numeric
		s   string
		vc  string
		by  []byte
		d   pgtype.Date
		tsv pgtype.Timestamp
		tz  time.Time
		iv  pgtype.Interval
		u   [16]byte
	)
	row := c.QueryRow(ctx, "SELECT * FROM all_types WHERE id = $1", int64(1))
	if err := row.Scan(&id, &b, &i2, &i4, &f4, &f8, &n, &s, &vc, &by, &d, &tsv, &tz, &iv, &u); err != nil {
		t.Fatal(err)
	}
	if id != 1 || !b || i2 != -32768 || i4 != 2147483647 || f4 != 1.5 || f8 != math.Pi || s != "héllo\tworld" || vc != "short" {
		t.Errorf("scalars: %v %v %v %v %v %v %q %q", id, b, i2, i4, f4, f8, s, vc)
	}
	if n.Int.Cmp(num.Int) != 0 || n.Exp != num.Exp {
		t.Errorf("numeric: got %v e%d", n.Int, n.Exp)
	}
	if string(by) != string([]byte{0, 1, 2, 0xff}) {
		t.Errorf("bytea: %x", by)
	}
	if !d.Time.Equal(in[10].(pgtype.Date).Time) || !tsv.Time.Equal(in[11].(pgtype.Timestamp).Time) || !tz.Equal(in[12].(time.Time)) {
		t.Errorf("date/time: %v %v %v", d.Time, tsv.Time, tz)
	}
	if iv != in[13].(pgtype.Interval) {
		t.Errorf("interval: %+v", iv)
	}
	if u != uid {
		t.Errorf("uuid: %x", u)
	}
	// The same values in text format, as PostgreSQL prints them.
	var text []string
	rows, err := c.Query(ctx, "SELECT b::text, n::text, d::text, ts::text, tz::text, iv::text, u::text FROM all_types", pgx.QueryResultFormats{pgx.TextFormatCode})
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			text = append(text, v.(string))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{"true", "-12345678.90123", "2024-02-29", "1999-12-31 23:59:59.123456", "2024-07-01 11:30:00+00",
		"1 year 2 mons -3 days +01:02:03.000001", "12345678-9abc-def0-0102-030405060708"}
	for i := range want {
		if i >= len(text) || text[i] != want[i] {
			t.Errorf("text[%d] = %q, want %q", i, text[i], want[i])
		}
	}
}

func TestPortalSuspension(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, "CREATE TABLE n (i int PRIMARY KEY)")
	mustExec(t, c, "INSERT INTO n VALUES (1),(2),(3),(4),(5)")
	pc := c.PgConn()
	if _, err := pc.Prepare(ctx, "q", "SELECT i FROM n WHERE i > $1 ORDER BY i", nil); err != nil {
		t.Fatal(err)
	}
	// Execute with a row limit of 2 via the low-level protocol.
	rr := pc.ExecPrepared(ctx, "q", [][]byte{[]byte("1")}, nil, nil)
	res := rr.Read()
	if res.Err != nil || len(res.Rows) != 4 {
		t.Fatalf("prepared: %v rows=%d", res.Err, len(res.Rows))
	}
	if res.CommandTag.String() != "SELECT 4" {
		t.Fatalf("tag %q", res.CommandTag)
	}
}
