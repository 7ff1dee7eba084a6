package server_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aegisdb/aegis/internal/testutil"
	"github.com/aegisdb/aegis/server/testserver"
)

// exprGen generates random, well-typed SQL expressions.
type exprGen struct {
	r     *rand.Rand
	depth int
}

var genTypes = []string{"int", "bigint", "numeric", "float", "text", "bool", "date", "timestamp", "timestamptz", "interval"}

func (g *exprGen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }

func (g *exprGen) lit(t string) string {
	r := g.r
	switch t {
	case "int":
		return g.pick("0", "1", "-1", "7", "-13", "100", "2147483647", "-2147483648", "42", strconv.Itoa(r.Intn(2000)-1000))
	case "bigint":
		return g.pick("9223372036854775807", "-9223372036854775807", "5000000000", strconv.Itoa(r.Intn(100000))) + "::bigint"
	case "numeric":
		return g.pick("0.5", "1.25", "-3.333", "100.00", "0.001", "12345678901234567890.12", "1e-3", "7", "2.5000") + "::numeric"
	case "float":
		return g.pick("0.1", "1.5", "-2.25", "1e10", "1e-7", "3", "123456.789", "0") + "::float8"
	case "text":
		return g.pick("'abc'", "''", "'Hello World'", "'x'", "'ÄÖü'", "'a%b'", "'  pad  '", "'42'")
	case "bool":
		return g.pick("true", "false", "NULL::bool")
	case "date":
		return g.pick("date '2024-02-29'", "date '1999-12-31'", "date '2000-01-01'", "date '0044-03-15 BC'", "date '2038-01-19'")
	case "timestamp":
		return g.pick("timestamp '2024-01-02 03:04:05'", "timestamp '1999-12-31 23:59:59.999999'", "timestamp '2000-02-29 12:00:00.5'")
	case "timestamptz":
		return g.pick("timestamptz '2024-03-10 01:30:00+00'", "timestamptz '2021-06-30 23:59:59.5-07'", "timestamptz '1970-01-01 00:00:00Z'")
	case "interval":
		return g.pick("interval '1 day'", "interval '1 year 2 mons'", "interval '-3 hours'", "interval '1.5 days'", "interval '00:00:01.25'", "interval '2 weeks 3 days 04:05:06'")
	}
	return "NULL"
}

func (g *exprGen) expr(t string) string {
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > 4 || g.r.Intn(4) == 0 {
		if g.r.Intn(20) == 0 {
			return "NULL::" + sqlType(t)
		}
		return g.lit(t)
	}
	switch t {
	case "int", "bigint":
		switch g.r.Intn(9) {
		case 0, 1, 2:
			return "(" + g.expr(t) + " " + g.pick("+", "-", "*", "/", "%") + " " + g.expr(t) + ")"
		case 3:
			return "abs(" + g.expr(t) + ")"
		case 4:
			return "(-" + g.expr(t) + ")"
		case 5:
			return "length(" + g.expr("text") + ")"
		case 6:
			return "(" + g.expr("date") + " - " + g.expr("date") + ")"
		case 7:
			return "CASE WHEN " + g.expr("bool") + " THEN " + g.expr(t) + " ELSE " + g.expr(t) + " END"
		default:
			return "COALESCE(" + g.expr(t) + ", " + g.expr(t) + ")"
		}
	case "numeric":
		switch g.r.Intn(6) {
		case 0, 1, 2:
			return "(" + g.expr(g.pick("numeric", "int")) + " " + g.pick("+", "-", "*", "/") + " " + g.expr("numeric") + ")"
		case 3:
			return "round(" + g.expr("numeric") + ", " + strconv.Itoa(g.r.Intn(5)) + ")"
		case 4:
			return "abs(" + g.expr("numeric") + ")"
		default:
			return g.expr(g.pick("int", "bigint")) + "::numeric"
		}
	case "float":
		switch g.r.Intn(4) {
		case 0, 1:
			return "(" + g.expr("float") + " " + g.pick("+", "-", "*", "/") + " " + g.expr(g.pick("float", "int")) + ")"
		case 2:
			return g.expr("numeric") + "::float8"
		default:
			return "abs(" + g.expr("float") + ")"
		}
	case "text":
		switch g.r.Intn(6) {
		case 0, 1:
			return "(" + g.expr("text") + " || " + g.expr("text") + ")"
		case 2:
			return g.pick("upper", "lower") + "(" + g.expr("text") + ")"
		case 3:
			return "substr(" + g.expr("text") + ", " + strconv.Itoa(g.r.Intn(5)) + ", " + strconv.Itoa(g.r.Intn(4)) + ")"
		default:
			return g.expr(g.pick("int", "numeric", "float", "date", "timestamp", "interval", "bool", "bigint")) + "::text"
		}
	case "bool":
		switch g.r.Intn(7) {
		case 0, 1, 2:
			ct := g.pick(genTypes...)
			if ct == "bool" {
				ct = "int"
			}
			return "(" + g.expr(ct) + " " + g.pick("=", "<>", "<", "<=", ">", ">=") + " " + g.expr(ct) + ")"
		case 3:
			return "(" + g.expr("bool") + " " + g.pick("AND", "OR") + " " + g.expr("bool") + ")"
		case 4:
			return "(NOT " + g.expr("bool") + ")"
		case 5:
			return "(" + g.expr(g.pick(genTypes...)) + " IS " + g.pick("", "NOT ") + "NULL)"
		default:
			return "(" + g.expr("int") + " BETWEEN " + g.expr("int") + " AND " + g.expr("int") + ")"
		}
	case "date":
		return "(" + g.expr("date") + " " + g.pick("+", "-") + " " + g.expr("int") + ")"
	case "timestamp":
		if g.r.Intn(2) == 0 {
			return "(" + g.expr("date") + " + " + g.expr("interval") + ")"
		}
		return "(" + g.expr("timestamp") + " " + g.pick("+", "-") + " " + g.expr("interval") + ")"
	case "timestamptz":
		return "(" + g.expr("timestamptz") + " " + g.pick("+", "-") + " " + g.expr("interval") + ")"
	case "interval":
		switch g.r.Intn(4) {
		case 0:
			return "(" + g.expr("interval") + " " + g.pick("+", "-") + " " + g.expr("interval") + ")"
		case 1:
			return "(" + g.expr("interval") + " * " + g.expr("int") + ")"
		case 2:
			return "(" + g.expr("timestamp") + " - " + g.expr("timestamp") + ")"
		default:
			return "(-" + g.expr("interval") + ")"
		}
	}
	return g.lit(t)
}

func sqlType(t string) string {
	switch t {
	case "float":
		return "float8"
	}
	return t
}

// evalText runs one query in the simple protocol and returns its single
// value as text, or "ERROR <sqlstate>".
func evalText(ctx context.Context, c *pgx.Conn, sql string) string {
	res := c.PgConn().Exec(ctx, sql)
	results, err := res.ReadAll()
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			return "ERROR " + pe.Code
		}
		return "ERROR " + err.Error()
	}
	if len(results) != 1 || len(results[0].Rows) != 1 {
		return fmt.Sprintf("?rows %d", len(results))
	}
	v := results[0].Rows[0][0]
	if v == nil {
		return "NULL"
	}
	return string(v)
}

// TestDifferentialExpressions evaluates random expressions on Aegis and on
// a real PostgreSQL 15 and requires the same text or the same SQLSTATE.
// AEGIS_DIFF_N sets the number of expressions (default 1500),
// AEGIS_DIFF_SEED the seed.
func TestDifferentialExpressions(t *testing.T) {
	ref := testutil.ConnectPostgres(t)
	ts := testserver.Start(t, testserver.Options{})
	ag := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	for _, c := range []*pgx.Conn{ref, ag} {
		if _, err := c.Exec(ctx, "SET TimeZone = 'UTC'"); err != nil {
			t.Fatal(err)
		}
	}
	n, seed := 1500, int64(1)
	if v, err := strconv.Atoi(os.Getenv("AEGIS_DIFF_N")); err == nil {
		n = v
	}
	if v, err := strconv.ParseInt(os.Getenv("AEGIS_DIFF_SEED"), 10, 64); err == nil {
		seed = v
	}
	g := &exprGen{r: rand.New(rand.NewSource(seed))}
	bad := 0
	for i := 0; i < n; i++ {
		e := g.expr(g.pick(genTypes...))
		sql := "SELECT " + e
		want, got := evalText(ctx, ref, sql), evalText(ctx, ag, sql)
		if want != got {
			bad++
			if bad <= 25 {
				t.Errorf("%s\n  postgres: %s\n  aegis:    %s", sql, want, got)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d expressions differ (seed %d)", bad, n, seed)
	}
}

var _ = strings.Contains
