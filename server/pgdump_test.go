package server_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aegisdb/aegis/internal/testutil"
	"github.com/aegisdb/aegis/server/testserver"
)

// pgDumpSchema is what TestPgDumpMatchesPostgres dumps: tables with
// defaults, CHECK, UNIQUE and FOREIGN KEY constraints, a serial column
// (its sequence is dumped separately and OWNED BY the column), a plain
// sequence, secondary, expression and GIN indexes, json and arrays.
const pgDumpSchema = `
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE TYPE status AS ENUM ('new', 'done');
ALTER TYPE status ADD VALUE 'doing' BEFORE 'done';
CREATE TABLE tasks (id int PRIMARY KEY, st status NOT NULL DEFAULT 'new', code text GENERATED ALWAYS AS ('T-' || id) STORED);
INSERT INTO tasks VALUES (1, 'doing'), (2, 'new');
CREATE TABLE dd (id int PRIMARY KEY, name text NOT NULL DEFAULT 'x', j jsonb, price numeric(10,2) CHECK (price > 0));
INSERT INTO dd VALUES (1, 'a', '{"k": [1, 2]}', 1.5), (2, 'b''q', NULL, NULL), (3, E'tab\there', '"s"', 10);
CREATE TABLE items (id serial PRIMARY KEY, dd_id int REFERENCES dd(id) ON DELETE CASCADE, label varchar(20) UNIQUE, tags text[], at timestamptz);
INSERT INTO items (dd_id, label, tags, at) VALUES (1, 'first', '{a,b}', '2024-01-02 03:04:05+00'), (2, NULL, NULL, NULL);
CREATE INDEX items_tags ON items USING gin (tags);
CREATE INDEX items_lower ON items (lower(label));
CREATE INDEX dd_name ON dd (name, price);
CREATE SEQUENCE other_seq START 5 INCREMENT 3;
SELECT nextval('other_seq');
CREATE VIEW pricey AS SELECT d.id, d.name, count(i.id) AS n FROM dd d LEFT JOIN items i ON i.dd_id = d.id WHERE d.price > 1 GROUP BY d.id, d.name;
COMMENT ON TABLE dd IS 'the dd table';
COMMENT ON COLUMN items.label IS 'it''s a label';
COMMENT ON INDEX items_lower IS 'case-insensitive';
COMMENT ON SEQUENCE other_seq IS 'another';
`

var dumpNoise = regexp.MustCompile(`(?m)^(\\(un)?restrict .*|-- Dumped from database version .*)\n`)

func runPgDump(t *testing.T, pgDump, conn string) string {
	t.Helper()
	cmd := exec.Command(pgDump, "--no-sync", conn)
	cmd.Env = append(cmd.Environ(), "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump %s: %v\n%s", conn, err, out)
	}
	return dumpNoise.ReplaceAllString(string(out), "")
}

// TestPgDumpMatchesPostgres runs pg_dump against Aegis and against a
// scratch PostgreSQL 15 holding the same schema and data: the dumps must
// be identical. Then the Aegis dump is restored into a new Aegis database
// with psql, and dumping that database must give the same dump again.
func TestPgDumpMatchesPostgres(t *testing.T) {
	psql := testutil.LookPath(t, "psql")
	pgDump := testutil.LookPath(t, "pg_dump")
	pgConn := testutil.StartPostgres(t)
	ts := testserver.Start(t, testserver.Options{})
	load := func(conn, script string) {
		cmd := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-", conn)
		cmd.Stdin = strings.NewReader(script)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("psql %s: %v\n%s", conn, err, out)
		}
	}
	load(pgConn, pgDumpSchema)
	load(ts.URL("postgres"), pgDumpSchema)
	want := runPgDump(t, pgDump, pgConn)
	got := runPgDump(t, pgDump, ts.URL("postgres"))
	if got != want {
		dir := t.TempDir()
		_ = os.WriteFile(filepath.Join(dir, "aegis.sql"), []byte(got), 0o644)
		_ = os.WriteFile(filepath.Join(dir, "postgres.sql"), []byte(want), 0o644)
		t.Fatalf("pg_dump output differs from PostgreSQL 15's.\n--- aegis\n%s\n--- postgres\n%s", got, want)
	}
	// Restore into a fresh database and dump again.
	load(ts.URL("postgres"), "CREATE DATABASE restored")
	load(ts.URL("restored"), got)
	if again := runPgDump(t, pgDump, ts.URL("restored")); again != got {
		t.Fatalf("dump of the restored database differs.\n--- restored\n%s\n--- original\n%s", again, got)
	}
}
