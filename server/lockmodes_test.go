package server_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aegisdb/aegis/internal/testutil"
	"github.com/aegisdb/aegis/server/testserver"
)

// rowLockers are statements that lock row id = 1 of locks_t, weakest
// first: the four SELECT ... FOR strengths, an UPDATE of a non-key column
// (FOR NO KEY UPDATE in PostgreSQL), an UPDATE of a unique column and a
// DELETE (both FOR UPDATE).
var rowLockers = []string{
	"SELECT id FROM locks_t WHERE id = 1 FOR KEY SHARE",
	"SELECT id FROM locks_t WHERE id = 1 FOR SHARE",
	"SELECT id FROM locks_t WHERE id = 1 FOR NO KEY UPDATE",
	"SELECT id FROM locks_t WHERE id = 1 FOR UPDATE",
	"UPDATE locks_t SET n = n + 1 WHERE id = 1",
	"UPDATE locks_t SET u = u + 10 WHERE id = 1",
	"DELETE FROM locks_t WHERE id = 1",
}

const locksSetup = `DROP TABLE IF EXISTS locks_t;
CREATE TABLE locks_t (id int PRIMARY KEY, u int UNIQUE, n int);
INSERT INTO locks_t VALUES (1, 1, 0), (2, 2, 0)`

// lockMatrix runs, for every pair of rowLockers, the first in an open
// transaction of one session and the second in another session whose
// lock_timeout is short, and renders whether the second got its lock
// ("ok") or timed out ("wait"). Savepoint variants check that ROLLBACK
// TO SAVEPOINT releases the locks taken after the savepoint (and keeps
// those taken before).
func lockMatrix(t *testing.T, url string) []string {
	ctx := context.Background()
	connect := func() *pgconn.PgConn {
		c, err := pgconn.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		return c
	}
	a, b := connect(), connect()
	if out := run(a, locksSetup); len(out) > 5 && out[:5] == "ERROR" {
		t.Fatalf("setup: %s", out)
	}
	if out := run(b, "SET lock_timeout = '150ms'"); out != "SET" {
		t.Fatalf("SET: %s", out)
	}
	outcome := func(stmt string) string {
		out := run(b, "BEGIN; "+stmt)
		run(b, "ROLLBACK")
		switch {
		case out == "ERROR 55P03":
			return "wait"
		case len(out) > 5 && out[:5] == "ERROR":
			return out
		}
		return "ok"
	}
	var lines []string
	for _, held := range rowLockers {
		for _, want := range rowLockers {
			run(a, "BEGIN; "+held)
			lines = append(lines, fmt.Sprintf("%-55s then %-55s: %s", held, want, outcome(want)))
			run(a, "ROLLBACK")
		}
	}
	for _, held := range rowLockers {
		// Taken after the savepoint: released by ROLLBACK TO.
		run(a, "BEGIN; SAVEPOINT s; "+held+"; ROLLBACK TO SAVEPOINT s")
		lines = append(lines, fmt.Sprintf("rolled back %-55s: %s", held, outcome(rowLockers[6])))
		run(a, "ROLLBACK")
		// Taken before it: kept.
		run(a, "BEGIN; "+held+"; SAVEPOINT s; SELECT 1; ROLLBACK TO SAVEPOINT s")
		lines = append(lines, fmt.Sprintf("kept %-55s: %s", held, outcome(rowLockers[6])))
		run(a, "ROLLBACK")
	}
	// A KEY SHARE lock strengthened after a savepoint goes back to KEY
	// SHARE: a non-key UPDATE gets through, a DELETE does not.
	run(a, "BEGIN; "+rowLockers[0]+"; SAVEPOINT s; "+rowLockers[3]+"; ROLLBACK TO SAVEPOINT s")
	lines = append(lines, "downgraded: "+outcome(rowLockers[4])+" "+outcome(rowLockers[6]))
	run(a, "ROLLBACK")
	return lines
}

// TestRowLockModesMatchPostgres checks PostgreSQL's row-level lock
// conflict table (FOR KEY SHARE / SHARE / NO KEY UPDATE / UPDATE, and the
// locks UPDATE and DELETE take) and savepoint rollback of locks by
// running the same matrix on Aegis and on PostgreSQL.
func TestRowLockModesMatchPostgres(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	got := lockMatrix(t, ts.URL("postgres"))
	want := lockMatrix(t, testutil.StartPostgres(t))
	if len(got) != len(want) {
		t.Fatalf("%d outcomes, PostgreSQL %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("aegis:      %s\npostgresql: %s", got[i], want[i])
		}
	}
}
