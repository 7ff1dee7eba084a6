package server_test

import (
	"strings"
	"testing"
	"time"
)

const jobsSetup = `CREATE TABLE jobs (id int PRIMARY KEY, status text, n int);
INSERT INTO jobs VALUES (1, 'pending', 0), (2, 'pending', 0), (3, 'pending', 0), (4, 'done', 0)`

// TestSelectForUpdateWaitsAndRereads: a second FOR UPDATE waits for the
// first lock holder, then (READ COMMITTED) returns the newest version of
// the row, re-checking the WHERE clause on it.
func TestSelectForUpdateWaitsAndRereads(t *testing.T) {
	x := newSpec(t, jobsSetup, "a", "b")
	x.expect("a", "BEGIN; SELECT id, n FROM jobs WHERE id = 1 FOR UPDATE", "BEGIN | 1,0")
	x.expect("b", "BEGIN", "BEGIN")
	x.blocks("b", "SELECT id, n FROM jobs WHERE id = 1 FOR UPDATE")
	x.expect("a", "UPDATE jobs SET n = n + 1 WHERE id = 1", "UPDATE 1")
	x.stillBlocked("b")
	x.expect("a", "COMMIT", "COMMIT")
	x.waitExpect("b", "1,1")
	x.expect("b", "COMMIT", "COMMIT")

	// A row that no longer matches after the re-read is dropped.
	x.expect("a", "BEGIN; SELECT id FROM jobs WHERE id = 2 FOR UPDATE", "BEGIN | 2")
	x.blocks("b", "SELECT id FROM jobs WHERE status = 'pending' ORDER BY id FOR UPDATE")
	x.expect("a", "UPDATE jobs SET status = 'done' WHERE id = 2; COMMIT", "UPDATE 1 | COMMIT")
	x.waitExpect("b", "1;3")

	// A row deleted meanwhile is dropped too.
	x.expect("a", "BEGIN; DELETE FROM jobs WHERE id = 3", "BEGIN | DELETE 1")
	x.blocks("b", "SELECT id FROM jobs FOR SHARE")
	x.expect("a", "COMMIT", "COMMIT")
	x.waitExpect("b", "1;2;4")
}

// TestSelectForUpdateNoWaitSkipLocked: NOWAIT fails with 55P03 naming
// the relation; SKIP LOCKED returns only the rows it could lock, and
// with LIMIT locks no more rows than it returns (a job queue).
func TestSelectForUpdateNoWaitSkipLocked(t *testing.T) {
	x := newSpec(t, jobsSetup, "a", "b", "c")
	x.expect("a", "BEGIN; SELECT id FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", "BEGIN | 1")
	x.expect("b", "BEGIN; SELECT id FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", "BEGIN | 2")
	x.expect("c", "SELECT id FROM jobs WHERE status = 'pending' ORDER BY id FOR UPDATE SKIP LOCKED", "3")
	x.expect("c", "SELECT id FROM jobs WHERE id = 1 FOR UPDATE NOWAIT", "ERROR 55P03")
	x.expect("c", "SELECT id FROM jobs WHERE id = 1 FOR SHARE NOWAIT", "ERROR 55P03")
	x.expect("c", "SELECT id FROM jobs WHERE id = 4 FOR UPDATE NOWAIT", "4")
	_, err := x.conns["c"].Exec(t.Context(), "SELECT id FROM jobs WHERE id = 2 FOR NO KEY UPDATE NOWAIT").ReadAll()
	if err == nil || !strings.Contains(err.Error(), `could not obtain lock on row in relation "jobs"`) {
		t.Fatalf("NOWAIT error: %v", err)
	}
	x.expect("a", "COMMIT", "COMMIT")
	x.expect("c", "SELECT id FROM jobs WHERE status = 'pending' ORDER BY id FOR UPDATE SKIP LOCKED", "1;3")
	x.expect("b", "ROLLBACK", "ROLLBACK")

	// Shared locks do not conflict with each other.
	x.expect("a", "BEGIN; SELECT id FROM jobs WHERE id = 1 FOR SHARE", "BEGIN | 1")
	x.expect("b", "BEGIN; SELECT id FROM jobs WHERE id = 1 FOR KEY SHARE NOWAIT", "BEGIN | 1")
	x.expect("c", "SELECT id FROM jobs WHERE id = 1 FOR UPDATE NOWAIT", "ERROR 55P03")
	x.expect("a", "COMMIT", "COMMIT")
	x.expect("b", "COMMIT", "COMMIT")
}

// TestSelectForUpdateRepeatableRead: under REPEATABLE READ and
// SERIALIZABLE, locking a row changed since the snapshot fails with
// 40001.
func TestSelectForUpdateRepeatableRead(t *testing.T) {
	for _, level := range []string{"REPEATABLE READ", "SERIALIZABLE"} {
		t.Run(level, func(t *testing.T) {
			x := newSpec(t, jobsSetup, "a", "b")
			x.expect("b", "BEGIN ISOLATION LEVEL "+level+"; SELECT n FROM jobs WHERE id = 1", "BEGIN | 0")
			x.expect("a", "UPDATE jobs SET n = 5 WHERE id = 1", "UPDATE 1")
			x.expect("b", "SELECT id FROM jobs WHERE id = 2 FOR UPDATE", "2")
			x.expect("b", "SELECT id FROM jobs WHERE id = 1 FOR UPDATE", "ERROR 40001")
			x.expect("b", "ROLLBACK", "ROLLBACK")
		})
	}
}

// TestSelectForUpdateErrors: locking is refused with grouping and set
// operations (0A000, PostgreSQL's messages); FOR UPDATE OF must name a
// FROM item.
func TestSelectForUpdateErrors(t *testing.T) {
	x := newSpec(t, jobsSetup, "a")
	for _, q := range []string{
		"SELECT count(*) FROM jobs FOR UPDATE",
		"SELECT status FROM jobs GROUP BY status FOR UPDATE",
		"SELECT DISTINCT status FROM jobs FOR SHARE",
		"SELECT id FROM jobs UNION SELECT id FROM jobs FOR UPDATE",
	} {
		x.expect("a", q, "ERROR 0A000")
	}
	_, err := x.conns["a"].Exec(t.Context(), "SELECT sum(n) FROM jobs FOR UPDATE").ReadAll()
	if err == nil || !strings.Contains(err.Error(), "FOR UPDATE is not allowed with aggregate functions") {
		t.Fatalf("aggregate: %v", err)
	}
	x.expect("a", "SELECT id FROM jobs FOR UPDATE OF nosuch", "ERROR 42P01")
	x.expect("a", "SELECT id FROM jobs j WHERE id = 1 FOR UPDATE OF j", "1")
	// Hidden key columns stay hidden; no FROM locks nothing.
	x.expect("a", "SELECT status FROM jobs WHERE id < 3 ORDER BY n, id DESC FOR UPDATE", "pending;pending")
	x.expect("a", "SELECT 1 FOR UPDATE", "1")
}

// TestLockWaitLimits: lock_timeout (55P03), statement_timeout (57014)
// and deadlock detection (40P01) end waits for row locks.
func TestLockWaitLimits(t *testing.T) {
	x := newSpec(t, jobsSetup, "a", "b")
	x.expect("a", "BEGIN; SELECT id FROM jobs WHERE id = 1 FOR UPDATE", "BEGIN | 1")

	x.expect("b", "SET lock_timeout = '100ms'", "SET")
	x.expect("b", "SELECT id FROM jobs WHERE id = 1 FOR UPDATE", "ERROR 55P03")
	x.expect("b", "UPDATE jobs SET n = 1 WHERE id = 1", "ERROR 55P03")
	x.expect("b", "RESET lock_timeout", "RESET")

	x.expect("b", "SET statement_timeout = '100ms'", "SET")
	x.expect("b", "SELECT id FROM jobs WHERE id = 1 FOR UPDATE", "ERROR 57014")
	x.expect("b", "DELETE FROM jobs WHERE id = 1", "ERROR 57014")
	x.expect("b", "RESET statement_timeout", "RESET")

	// Deadlock: a holds 1 and wants 2; b holds 2 and wants 1.
	x.expect("b", "BEGIN; SELECT id FROM jobs WHERE id = 2 FOR UPDATE", "BEGIN | 2")
	x.blocks("a", "SELECT id FROM jobs WHERE id = 2 FOR UPDATE")
	outB := x.step("b", "UPDATE jobs SET n = 7 WHERE id = 1")
	if outB == "ERROR 40P01" {
		x.expect("b", "ROLLBACK", "ROLLBACK")
		x.waitExpect("a", "2")
	} else {
		// a was chosen as the victim; b then gets the row.
		x.waitExpect("a", "ERROR 40P01")
		if outB != "UPDATE 1" {
			t.Fatalf("b: %s", outB)
		}
		x.expect("b", "COMMIT", "COMMIT")
	}
	x.expect("a", "ROLLBACK", "ROLLBACK")
}

// TestDroppedConnectionReleasesLocks: a client that vanishes in the
// middle of a transaction (its socket closed, no Terminate) has its
// transaction rolled back and its row locks released.
func TestDroppedConnectionReleasesLocks(t *testing.T) {
	x := newSpec(t, jobsSetup, "a", "b")
	x.expect("a", "BEGIN; SELECT id FROM jobs WHERE id = 1 FOR UPDATE; UPDATE jobs SET n = 5 WHERE id = 2", "BEGIN | 1 | UPDATE 1")
	x.expect("b", "SELECT id FROM jobs WHERE id = 1 FOR UPDATE NOWAIT", "ERROR 55P03")
	if err := x.conns["a"].Conn().Close(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		out := x.step("b", "SELECT id FROM jobs WHERE id IN (1, 2) ORDER BY id FOR UPDATE NOWAIT")
		if out == "1;2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("locks of the dropped connection still held: %s", out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	x.expect("b", "SELECT n FROM jobs WHERE id = 2", "0")
}
