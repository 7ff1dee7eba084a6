package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aegisdb/aegis/server/testserver"
)

// A prepared statement's cached plan must follow catalog changes: after
// ALTER TABLE the same prepared statement sees the new column layout.
func TestPreparedPlanFollowsCatalogChanges(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, "CREATE TABLE p (id int PRIMARY KEY, v text)")
	mustExec(t, c, "INSERT INTO p VALUES (1, 'a')")
	pc := c.PgConn()
	if _, err := pc.Prepare(ctx, "q", "SELECT * FROM p WHERE id = $1", nil); err != nil {
		t.Fatal(err)
	}
	run := func() int {
		res := pc.ExecPrepared(ctx, "q", [][]byte{[]byte("1")}, nil, nil).Read()
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if len(res.Rows) != 1 {
			t.Fatalf("%d rows", len(res.Rows))
		}
		return len(res.Rows[0])
	}
	if n := run(); n != 2 {
		t.Fatalf("before ALTER: %d columns", n)
	}
	if n := run(); n != 2 { // served from the cached plan
		t.Fatalf("cached: %d columns", n)
	}
	// A change that keeps the result shape replans silently.
	mustExec(t, c, "CREATE INDEX p_v ON p (v)")
	if n := run(); n != 2 {
		t.Fatalf("after CREATE INDEX: %d columns", n)
	}
	// One that changes it fails as in PostgreSQL (0A000).
	mustExec(t, c, "ALTER TABLE p DROP COLUMN v")
	res := pc.ExecPrepared(ctx, "q", [][]byte{[]byte("1")}, nil, nil).Read()
	if pgCode(res.Err) != "0A000" || !strings.Contains(res.Err.Error(), "cached plan must not change result type") {
		t.Fatalf("after DROP COLUMN: %v", res.Err)
	}
}
