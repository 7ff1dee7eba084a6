package session_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/seq"
	"github.com/aegisdb/aegis/sql/session"
)

// nullWriter accepts every result and feeds COPY FROM a small stream.
type nullWriter struct{ rows int }

func (w *nullWriter) RowDescription([]plan.Column, []int16) error { return nil }
func (w *nullWriter) DataRow([][]byte) error                      { w.rows++; return nil }
func (w *nullWriter) CommandComplete(string) error                { return nil }
func (w *nullWriter) EmptyQuery() error                           { return nil }
func (w *nullWriter) ParameterStatus(string, string) error        { return nil }
func (w *nullWriter) Notice(*pgerror.Error) error                 { return nil }
func (w *nullWriter) CopyIn(int) (session.CopySource, error) {
	return &src{data: "1\tx\n\\N\t\\N\n"}, nil
}
func (w *nullWriter) CopyOut(int) error     { return nil }
func (w *nullWriter) CopyData([]byte) error { return nil }
func (w *nullWriter) CopyDone() error       { return nil }

type src struct {
	data string
	done bool
}

func (s *src) Next() ([]byte, error) {
	if s.done {
		return nil, io.EOF
	}
	s.done = true
	return []byte(s.data), nil
}

func newSession(t testing.TB) *session.Session {
	ctx := context.Background()
	db, err := kv.Open(ctx, kv.Options{InMemory: true, GCInterval: -1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	txn := db.Begin(ctx, kv.ReadCommitted)
	if _, err := catalog.Bootstrap(ctx, txn, "postgres"); err != nil {
		t.Fatal(err)
	}
	if err := txn.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := (&session.Engine{DB: db, Seq: seq.NewManager(db)}).New(ctx, "postgres", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// FuzzSQL runs arbitrary query strings through a session: any input may
// fail, none may panic or hang. The seeds run on every go test; run
// `go test ./sql/session -fuzz FuzzSQL` to search further.
func FuzzSQL(f *testing.F) {
	seeds := []string{
		"SELECT 1", "SELECT 'a' || 1, 1/0", "CREATE TABLE t (a int PRIMARY KEY, b text); INSERT INTO t VALUES (1, 'x')",
		"SELECT * FROM t WHERE a = $1", "SELECT (SELECT a FROM t) + 1", "WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT n FROM r) SELECT * FROM r",
		"SELECT CASE WHEN NULL THEN 1 END, COALESCE(NULL, NULL)", "SELECT interval '1 day' * 1e308",
		"SELECT date '2000-01-01' + 2147483647", "SELECT -9223372036854775808::int8 / -1", "COPY t FROM STDIN",
		"SELECT 1 UNION SELECT 'a'", "SELECT sum(a) OVER () FROM t", "EXPLAIN SELECT * FROM t t1, t t2 WHERE t1.a = t2.a",
		"SELECT * FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace", "ALTER TABLE t ADD COLUMN c int DEFAULT 1/0",
		"SELECT x FROM (VALUES (1), ('a')) v(x)", "SELECT 1 FROM t GROUP BY b HAVING a > 1", "BEGIN; SELECT 1/0; SELECT 1; ROLLBACK",
		"SELECT repeat('x', 100000000)", "SELECT '\\x41'::bytea, E'\\u0041'", "SELECT 1e1000000",
		`SELECT '{"a": [1, 2]}'::jsonb -> 'a' ->> 1, '{"a":1}'::json #> '{a}', jsonb_set('{}', '{a,b}', '1')`,
		`SELECT * FROM jsonb_to_recordset('[{"a": 1}]') AS x(a int), jsonb_each('{"k": null}')`,
		"SELECT t.a, l.n FROM t, LATERAL (SELECT count(*) AS n FROM t u WHERE u.a < t.a) l",
		"SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 2 FOLLOWING EXCLUDE TIES) FROM t",
		"WITH d AS (DELETE FROM t RETURNING *) INSERT INTO t SELECT * FROM d",
		"CREATE TYPE e AS ENUM ('x', 'y'); SELECT 'y'::e > 'x'", "SELECT json_agg(t), row_to_json(t) FROM t",
		"CREATE INDEX ON t USING gin ((b))", "SELECT (information_schema._pg_expandarray(ARRAY[1,2])).*",
		"SELECT DISTINCT ON (b) * FROM t ORDER BY b, a", "PREPARE p(int) AS SELECT $1; EXECUTE p(1)",
		"ALTER TABLE t ALTER COLUMN b TYPE int USING length(b)", "COMMENT ON TABLE t IS 'x'",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		if len(sql) > 4000 || strings.Contains(sql, "repeat(") && len(sql) > 100 {
			return
		}
		s := newSession(t)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		w := &nullWriter{}
		_ = s.ExecSimple(ctx, "CREATE TABLE IF NOT EXISTS t (a int PRIMARY KEY, b text)", w)
		err := s.ExecSimple(ctx, sql, w)
		if err != nil && pgerror.CodeOf(err) == pgerror.InternalError && !strings.Contains(err.Error(), "canceling") {
			t.Errorf("internal error (XX000) for %q: %v", sql, err)
		}
	})
}
