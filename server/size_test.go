package server_test

import (
	"context"
	"testing"

	"github.com/aegisdb/aegis/server/testserver"
)

// TestRelationSizes checks pg_table_size and friends: sizes grow with the
// data, the total is the table plus its indexes, and pg_size_pretty
// prints them.
func TestRelationSizes(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, `CREATE TABLE sz (id int PRIMARY KEY, t text)`)
	mustExec(t, c, `CREATE INDEX sz_t ON sz (t)`)
	size := func() (table, idx, total int64) {
		t.Helper()
		if err := c.QueryRow(ctx, `SELECT pg_table_size('sz'), pg_indexes_size('sz'), pg_total_relation_size('sz')`).Scan(&table, &idx, &total); err != nil {
			t.Fatal(err)
		}
		return
	}
	t0, i0, _ := size()
	if t0 != 0 || i0 != 0 {
		t.Fatalf("empty table has size %d/%d", t0, i0)
	}
	mustExec(t, c, `INSERT INTO sz SELECT g, repeat('x', 100) FROM generate_series(1, 500) g`)
	t1, i1, total := size()
	if t1 < 500*100 || i1 < 500*100 || total != t1+i1 {
		t.Fatalf("sizes after 500 rows: table %d, indexes %d, total %d", t1, i1, total)
	}
	var pretty string
	if err := c.QueryRow(ctx, `SELECT pg_size_pretty(pg_total_relation_size('sz'))`).Scan(&pretty); err != nil || pretty == "" {
		t.Fatalf("pg_size_pretty: %q %v", pretty, err)
	}
	var db int64
	if err := c.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&db); err != nil || db < total {
		t.Fatalf("database size %d < table total %d (%v)", db, total, err)
	}
}

// TestCascadeChecksConstraints checks that a row changed by ON UPDATE
// CASCADE must satisfy its table's CHECK constraints (23514), as in
// PostgreSQL, and that nothing is changed when it does not.
func TestCascadeChecksConstraints(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, `CREATE TABLE cp (id int PRIMARY KEY)`)
	mustExec(t, c, `CREATE TABLE cc (id int PRIMARY KEY, p int REFERENCES cp ON UPDATE CASCADE, CHECK (p < 100))`)
	mustExec(t, c, `INSERT INTO cp VALUES (1)`)
	mustExec(t, c, `INSERT INTO cc VALUES (10, 1)`)
	_, err := c.Exec(ctx, `UPDATE cp SET id = 200 WHERE id = 1`)
	if pgCode(err) != "23514" {
		t.Fatalf("cascade violating CHECK: %v", err)
	}
	var p int
	if err := c.QueryRow(ctx, `SELECT p FROM cc`).Scan(&p); err != nil || p != 1 {
		t.Fatalf("child after failed cascade: %d %v", p, err)
	}
	mustExec(t, c, `UPDATE cp SET id = 50 WHERE id = 1`)
	if err := c.QueryRow(ctx, `SELECT p FROM cc`).Scan(&p); err != nil || p != 50 {
		t.Fatalf("child after cascade: %d %v", p, err)
	}
}
