package server_test

import (
	"context"
	"github.com/aegisdb/aegis/sql/types"
	"testing"

	"github.com/aegisdb/aegis/server/testserver"
)

// TestRestartKeepsCommittedData writes, stops the node, reopens the same
// data directory and reads everything back.
func TestRestartKeepsCommittedData(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	ts := testserver.Start(t, testserver.Options{DataDir: dir})
	c := connect(t, ts.URL("postgres"))
	mustExec(t, c, "CREATE TABLE t (id int8 PRIMARY KEY, name text, price numeric(10,2))")
	mustExec(t, c, "CREATE SCHEMA s")
	mustExec(t, c, "CREATE TABLE s.u (k text PRIMARY KEY)")
	for i := 0; i < 100; i++ {
		mustExec(t, c, "INSERT INTO t VALUES ($1, $2, $3)", int64(i), "n", "1.5")
	}
	mustExec(t, c, "INSERT INTO s.u VALUES ('x')")
	mustExec(t, c, "CREATE TYPE mood AS ENUM ('sad', 'happy')")
	mustExec(t, c, "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy'")
	mustExec(t, c, "CREATE TABLE moods (id int PRIMARY KEY, m mood)")
	mustExec(t, c, "CREATE INDEX moods_m ON moods (m)")
	mustExec(t, c, "INSERT INTO moods VALUES (1, 'happy'), (2, 'sad'), (3, 'ok')")
	mustExec(t, c, "BEGIN")
	mustExec(t, c, "INSERT INTO t VALUES (1000, 'uncommitted', 0)")
	c.Close(ctx)
	ts.Stop()

	types.ForgetEnums() // as a new process: enums come from the catalog
	ts2 := testserver.Start(t, testserver.Options{DataDir: dir})
	c2 := connect(t, ts2.URL("postgres"))
	var n int
	var sum string
	if err := c2.QueryRow(ctx, "SELECT count(*), sum(price)::text FROM t").Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	if n != 100 || sum != "150.00" {
		t.Fatalf("after restart: count=%d sum=%s, want 100 150.00", n, sum)
	}
	var k string
	if err := c2.QueryRow(ctx, "SELECT k FROM s.u").Scan(&k); err != nil || k != "x" {
		t.Fatalf("schema table after restart: %q %v", k, err)
	}
	var order string
	if err := c2.QueryRow(ctx, "SELECT string_agg(m::text, ',' ORDER BY m) FROM moods WHERE m > 'sad'").Scan(&order); err != nil || order != "ok,happy" {
		t.Fatalf("enum after restart: %q %v", order, err)
	}
	if err := c2.QueryRow(ctx, "SELECT id FROM moods WHERE m = 'ok'").Scan(&n); err != nil || n != 3 {
		t.Fatalf("enum index after restart: %d %v", n, err)
	}
}
