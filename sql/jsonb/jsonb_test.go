package jsonb

import (
	"context"
	"errors"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/aegisdb/aegis/internal/testutil"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

var update = flag.Bool("update", false, "rewrite testdata/pg15.golden from the reference PostgreSQL")

const goldenPath = "testdata/pg15.golden"

func readGolden(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, rec := range strings.Split(string(b), "\n=== ")[1:] {
		key, val, _ := strings.Cut(rec, "\n")
		out[key] = strings.TrimSuffix(val, "\n")
	}
	return out
}

// TestGolden compares every case with the result PostgreSQL 15 gave
// (recorded in testdata/pg15.golden by TestPostgres -update).
func TestGolden(t *testing.T) {
	golden := readGolden(t)
	for _, c := range allCases() {
		want, ok := golden[c.key()]
		if !ok {
			t.Errorf("%s: no golden result (run go test -run TestPostgres -update)", c.key())
			continue
		}
		if got := runCase(c); got != want {
			t.Errorf("%s:\n got: %s\nwant: %s", c.key(), got, want)
		}
	}
}

var paramCast = regexp.MustCompile(`\$(\d)::(jsonb|json|int|bool|text\[\])`)

// pgRun runs c on PostgreSQL and renders the result like runCase.
func pgRun(ctx context.Context, conn *pgx.Conn, c testCase) string {
	sql := paramCast.ReplaceAllString(ops[c.op].sql, "$$$1::text::$2")
	rows, err := conn.Query(ctx, sql, c.sqlArgs()...)
	var lines []string
	if err == nil {
		for rows.Next() {
			vals, verr := rows.Values()
			if verr != nil {
				err = verr
				break
			}
			cols := make([]string, len(vals))
			for i, v := range vals {
				if v == nil {
					cols[i] = "NULL"
				} else {
					cols[i] = v.(string)
				}
			}
			lines = append(lines, strings.Join(cols, "|"))
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	if err != nil {
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			return "ERROR ?: " + err.Error()
		}
		s := "ERROR " + pe.Code + ": " + pe.Message
		if pe.Detail != "" {
			s += "\nDETAIL: " + pe.Detail
		}
		if pe.Hint != "" {
			s += "\nHINT: " + pe.Hint
		}
		if pe.Where != "" {
			s += "\nCONTEXT: " + pe.Where
		}
		return s
	}
	return strings.Join(lines, "\n")
}

// TestPostgres runs every case on the reference PostgreSQL 15 and compares
// with the package (results, SQLSTATEs, messages, details, hints and
// contexts). With -update it rewrites the golden file instead.
func TestPostgres(t *testing.T) {
	conn := testutil.ConnectPostgres(t)
	ctx := context.Background()
	var golden strings.Builder
	fails := 0
	for _, c := range allCases() {
		want := pgRun(ctx, conn, c)
		golden.WriteString("\n=== " + c.key() + "\n" + want + "\n")
		if *update {
			continue
		}
		if got := runCase(c); got != want {
			fails++
			if fails <= 50 {
				t.Errorf("%s:\n got: %s\nwant: %s", c.key(), got, want)
			}
		}
	}
	if fails > 50 {
		t.Errorf("%d mismatches in all", fails)
	}
	if *update {
		if err := os.WriteFile(goldenPath, []byte(golden.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
