package logictest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aegisdb/aegis/internal/testutil"
	"github.com/jackc/pgx/v5"
)

// logicDir holds the hand-written logic tests, relative to this package.
const logicDir = "../../testdata/logic"

// freshDatabases returns a Config.Connect that creates a new, empty
// database on the server at connString for every call.
func freshDatabases(connString string) func(ctx context.Context) (*pgx.Conn, error) {
	var n atomic.Int64
	return func(ctx context.Context) (*pgx.Conn, error) {
		admin, err := pgx.Connect(ctx, connString)
		if err != nil {
			return nil, err
		}
		defer admin.Close(ctx)
		name := fmt.Sprintf("logictest_%d", n.Add(1))
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
			return nil, err
		}
		cfg, err := pgx.ParseConfig(connString)
		if err != nil {
			return nil, err
		}
		cfg.Database = name
		return pgx.ConnectConfig(ctx, cfg)
	}
}

// TestLogicFilesAgainstPostgres runs every testdata/logic/*.test file
// against a real PostgreSQL 15, which checks the files' expectations (and
// the runner). It is skipped when PostgreSQL is not installed, unless
// AEGIS_REQUIRE_EXTERNAL=1.
func TestLogicFilesAgainstPostgres(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(logicDir, "*.test"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no logic tests in %s", logicDir)
	}
	cfg := Config{
		Connect:          freshDatabases(testutil.StartPostgres(t)),
		StatementTimeout: 30 * time.Second,
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			RunFile(t, cfg, path)
		})
	}
}

// TestCorpusAgainstPostgres runs sqllogictest corpus files against a real
// PostgreSQL 15 with the corpus's list of known divergent records and
// expects no failure: this validates the runner's parsing, rendering,
// sorting and hashing against a reference. By default it runs the small
// files (select1 and evidence/*); set AEGIS_LOGICTEST_CORPUS=all to run
// the whole corpus (several minutes).
func TestCorpusAgainstPostgres(t *testing.T) {
	files := corpusFiles(t)
	if os.Getenv("AEGIS_LOGICTEST_CORPUS") != "all" {
		var small []string
		for _, f := range files {
			rel, _ := filepath.Rel(corpusDir, f)
			rel = filepath.ToSlash(rel)
			if rel == "select1.test" || strings.HasPrefix(rel, "evidence/") {
				small = append(small, f)
			}
		}
		files = small
	}
	sl, err := LoadSkipList(filepath.Join(corpusDir, "pg15-divergent-records.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Connect:          freshDatabases(testutil.StartPostgres(t)),
		Divergent:        sl,
		StatementTimeout: 60 * time.Second,
	}
	var total Result
	for _, path := range files {
		res, failures, err := Run(context.Background(), cfg, path)
		total.Add(res)
		for i, f := range failures {
			if i == 20 {
				t.Errorf("%s: %d more failures", path, len(failures)-i)
				break
			}
			t.Errorf("%s", f)
		}
		if err != nil {
			t.Errorf("%s: %v", path, err)
		}
		t.Logf("%s: %+v", path, res)
	}
	t.Logf("total: %+v", total)
}

// TestRunReportsFailures checks, against a real PostgreSQL, that wrong
// expectations are reported and right ones pass.
func TestRunReportsFailures(t *testing.T) {
	script := `statement ok
CREATE TABLE t (a INT PRIMARY KEY, b TEXT)

statement ok
INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, NULL)

query IT rowsort
SELECT a, b FROM t
----
1 one
2 two
3 NULL

query IT rowsort
SELECT a, b FROM t
----
1 one
2 TWO
3 NULL

statement error pgcode 23505
INSERT INTO t VALUES (1, 'again')

statement error pgcode 42P01
INSERT INTO t VALUES (4, 'four')

statement ok
SELECT * FROM missing

statement error
SELECT 1

statement count 2
DELETE FROM t WHERE a < 3

statement count 5
DELETE FROM t

query I
SELECT count(*) FROM t
----
0

query II
SELECT 1
----
1

query I nosort
SELECT 1 UNION ALL SELECT 2
----
2
1

skipif postgresql
query I
SELECT 'this is never run'
----
1

onlyif sqlite
statement ok
this is never run either

statement error 23505
INSERT INTO t VALUES (9, 'a'), (9, 'b')

halt

statement ok
SELECT 'after halt'
`
	path := filepath.Join(t.TempDir(), "failures.test")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Connect: freshDatabases(testutil.StartPostgres(t))}
	res, failures, err := Run(context.Background(), cfg, path)
	if err != nil {
		t.Fatal(err)
	}
	want := Result{Records: 16, Passed: 7, Failed: 7, Skipped: 2}
	if res != want {
		t.Errorf("result = %+v, want %+v", res, want)
	}
	var lines []int
	for _, f := range failures {
		lines = append(lines, f.Line)
		t.Logf("%s", f)
	}
	if got, want := fmt.Sprint(lines), "[14 24 27 30 36 44 49]"; got != want {
		t.Errorf("failing lines = %s, want %s", got, want)
	}
}
