package server_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/aegisdb/aegis/internal/testutil"
	"github.com/aegisdb/aegis/server/testserver"
)

// psqlScript is what the README's first steps run: the output must be
// byte-for-byte what PostgreSQL 15 prints for the same script.
const psqlScript = `
SET TimeZone = 'UTC';
CREATE TABLE t (id int8 PRIMARY KEY, name text, price numeric(10,2), at timestamptz);
INSERT INTO t VALUES (1, 'apple', 1.5, '2024-01-02 03:04:05+00'), (2, 'pear', 2.255, '2024-06-30 23:59:59.5+02');
INSERT INTO t VALUES (3, NULL, -0.004, NULL) RETURNING *;
SELECT * FROM t WHERE price > 0 ORDER BY price DESC;
SELECT id, name || '!' AS shout, price * 2 AS double, at + interval '1 day' AS later FROM t ORDER BY id;
SELECT count(*), sum(price), avg(price), min(at), max(name) FROM t;
SELECT 7 / 2 AS int_div, 7.0 / 2 AS num_div, 1e300 * 10.0::float8 AS big, 0.1::float8 + 0.2 AS fsum, date '2024-02-28' + 2 AS d;
UPDATE t SET price = price + 1 WHERE id = 1;
DELETE FROM t WHERE name IS NULL;
SELECT * FROM t ORDER BY id;
SELECT * FROM missing;
SELECT 1 +;
INSERT INTO t VALUES (1, 'dup', 0, NULL);
`

func runPsql(t *testing.T, psql, conn string) string {
	t.Helper()
	cmd := exec.Command(psql, "-X", "--no-psqlrc", "-v", "ON_ERROR_STOP=0", "-f", "-", conn)
	cmd.Stdin = strings.NewReader(psqlScript)
	cmd.Env = append(cmd.Environ(), "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("psql: %v\n%s", err, out)
		}
	}
	return string(out)
}

func TestPsqlMatchesPostgres(t *testing.T) {
	psql := testutil.LookPath(t, "psql")
	pgConn := testutil.StartPostgres(t)
	ts := testserver.Start(t, testserver.Options{})
	want := runPsql(t, psql, pgConn)
	got := runPsql(t, psql, ts.URL("postgres"))
	if got != want {
		t.Errorf("psql output differs from PostgreSQL 15.\n--- aegis\n%s\n--- postgres\n%s", got, want)
	}
	if !strings.Contains(got, `ERROR:  relation "missing" does not exist`) {
		t.Errorf("missing-table error not shown:\n%s", got)
	}
}

// psqlCopyScript exercises COPY in text and CSV formats, both directions,
// including bad input.
const psqlCopyScript = `
CREATE TABLE c (id int PRIMARY KEY, name text, price numeric(10,2), note text);
COPY c FROM stdin;
1	apple	1.50	\N
2	tab\there	2	back\\slash
\.
COPY c (id, name) FROM stdin WITH (FORMAT csv, HEADER true);
id,name
3,"quoted, comma"
4,""
5,
\.
SELECT * FROM c ORDER BY id;
COPY c TO stdout;
COPY c TO stdout WITH (FORMAT csv, HEADER);
COPY (SELECT id, name FROM c WHERE id > 2 ORDER BY id) TO stdout (FORMAT csv);
COPY c FROM stdin;
9	bad	notanumber	x
\.
COPY c FROM stdin;
10	short
\.
SELECT count(*) FROM c;
`

func TestPsqlCopyMatchesPostgres(t *testing.T) {
	psql := testutil.LookPath(t, "psql")
	pgConn := testutil.StartPostgres(t)
	ts := testserver.Start(t, testserver.Options{})
	run := func(conn string) string {
		cmd := exec.Command(psql, "-X", "--no-psqlrc", "-v", "ON_ERROR_STOP=0", "-f", "-", conn)
		cmd.Stdin = strings.NewReader(psqlCopyScript)
		cmd.Env = append(cmd.Environ(), "LC_ALL=C")
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	want, got := run(pgConn), run(ts.URL("postgres"))
	if got != want {
		t.Errorf("COPY output differs from PostgreSQL 15.\n--- aegis\n%s\n--- postgres\n%s", got, want)
	}
}

// psqlCatalogScript runs the psql meta-commands that work today and the
// information_schema queries ORMs send; the output must match PostgreSQL.
const psqlCatalogScript = `
CREATE TABLE people (id serial PRIMARY KEY, name varchar(40) NOT NULL, born date);
CREATE TABLE orders (id bigint PRIMARY KEY, person int, total numeric(10,2) DEFAULT 0);
CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
CREATE SCHEMA app;
CREATE TABLE app.settings (k text PRIMARY KEY, v text);
\dt
\dn
SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2;
SELECT column_name, ordinal_position, data_type, is_nullable, character_maximum_length, numeric_precision, numeric_scale
  FROM information_schema.columns WHERE table_name = 'orders' ORDER BY ordinal_position;
SELECT n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname IN ('public', 'app') AND c.relkind IN ('r', 'v') ORDER BY 1, 2;
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid WHERE c.relname = 'people' AND a.attnum > 0 ORDER BY a.attnum;
`

func TestPsqlCatalogMatchesPostgres(t *testing.T) {
	psql := testutil.LookPath(t, "psql")
	pgConn := testutil.StartPostgres(t)
	ts := testserver.Start(t, testserver.Options{})
	run := func(conn string) string {
		cmd := exec.Command(psql, "-X", "--no-psqlrc", "-v", "ON_ERROR_STOP=0", "-f", "-", conn)
		cmd.Stdin = strings.NewReader(psqlCatalogScript)
		cmd.Env = append(cmd.Environ(), "LC_ALL=C")
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	want, got := run(pgConn), run(ts.URL("postgres"))
	if got != want {
		t.Errorf("catalog output differs from PostgreSQL 15.\n--- aegis\n%s\n--- postgres\n%s", got, want)
	}
}
