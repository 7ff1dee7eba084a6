package server_test

import "testing"

// TestIsolationLevelSettings: BEGIN ISOLATION LEVEL, SET TRANSACTION, SET
// SESSION CHARACTERISTICS and default_transaction_isolation choose the
// level (SHOW transaction_isolation), and the level cannot change once
// the transaction has run a query.
func TestIsolationLevelSettings(t *testing.T) {
	x := newSpec(t, "CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)", "a")
	x.expect("a", "SHOW transaction_isolation", "read committed")
	x.expect("a", "BEGIN ISOLATION LEVEL REPEATABLE READ; SHOW transaction_isolation", "BEGIN | repeatable read")
	x.expect("a", "COMMIT", "COMMIT")
	x.expect("a", "BEGIN; SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; SHOW transaction_isolation", "BEGIN | SET | serializable")
	x.expect("a", "COMMIT", "COMMIT")
	// Setting statements before the first query do not fix the snapshot.
	x.expect("a", "BEGIN; SET lock_timeout = '1s'; SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SHOW transaction_isolation", "BEGIN | SET | SET | repeatable read")
	x.expect("a", "SELECT v FROM t", "0")
	x.expect("a", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "ERROR 25001")
	x.expect("a", "ROLLBACK", "ROLLBACK")
	x.expect("a", "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SET")
	x.expect("a", "SHOW default_transaction_isolation", "serializable")
	x.expect("a", "BEGIN; SHOW transaction_isolation", "BEGIN | serializable")
	x.expect("a", "COMMIT", "COMMIT")
	x.expect("a", "SET default_transaction_isolation = 'repeatable read'", "SET")
	x.expect("a", "SHOW transaction_isolation", "repeatable read")
	x.expect("a", "SET default_transaction_isolation = 'bogus'", "ERROR 22023")
}

// TestRepeatableReadSnapshotAtFirstStatement: the snapshot of a
// REPEATABLE READ transaction is taken by its first query, not by BEGIN.
func TestRepeatableReadSnapshotAtFirstStatement(t *testing.T) {
	for _, level := range []string{"REPEATABLE READ", "SERIALIZABLE"} {
		t.Run(level, func(t *testing.T) {
			x := newSpec(t, "CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)", "a", "b")
			x.expect("a", "BEGIN ISOLATION LEVEL "+level, "BEGIN")
			x.expect("b", "UPDATE t SET v = 1 WHERE id = 1", "UPDATE 1")
			x.expect("a", "SELECT v FROM t", "1")
			x.expect("b", "UPDATE t SET v = 2 WHERE id = 1", "UPDATE 1")
			x.expect("a", "SELECT v FROM t", "1")
			x.expect("a", "COMMIT", "COMMIT")
			x.expect("a", "SELECT v FROM t", "2")
		})
	}
}

// TestReadOnlyTransactions: READ ONLY rejects writes with 25006 naming
// the command, whether set by BEGIN, SET TRANSACTION or
// default_transaction_read_only.
func TestReadOnlyTransactions(t *testing.T) {
	x := newSpec(t, "CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)", "a")
	x.expect("a", "BEGIN READ ONLY; SELECT v FROM t", "BEGIN | 0")
	x.expect("a", "INSERT INTO t VALUES (2, 0)", "ERROR 25006")
	x.expect("a", "ROLLBACK", "ROLLBACK")
	x.expect("a", "BEGIN; SET TRANSACTION READ ONLY; SHOW transaction_read_only", "BEGIN | SET | on")
	x.expect("a", "UPDATE t SET v = 1", "ERROR 25006")
	x.expect("a", "COMMIT", "ROLLBACK")
	x.expect("a", "BEGIN READ ONLY", "BEGIN")
	x.expect("a", "SELECT * FROM t FOR UPDATE", "ERROR 25006")
	x.expect("a", "ROLLBACK", "ROLLBACK")
	x.expect("a", "BEGIN READ ONLY; SELECT 1", "BEGIN | 1")
	x.expect("a", "SET TRANSACTION READ WRITE", "ERROR 25001")
	x.expect("a", "ROLLBACK", "ROLLBACK")
	x.expect("a", "SET default_transaction_read_only = on", "SET")
	x.expect("a", "DELETE FROM t", "ERROR 25006")
	x.expect("a", "CREATE TABLE u (a int)", "ERROR 25006")
	x.expect("a", "SELECT v FROM t", "0")
	x.expect("a", "BEGIN READ WRITE; UPDATE t SET v = 5; COMMIT", "BEGIN | UPDATE 1 | COMMIT")
	x.expect("a", "SET default_transaction_read_only = off", "SET")
	x.expect("a", "SELECT v FROM t", "5")

	// The message names the command, as PostgreSQL's does.
	c := x.conns["a"]
	_, err := c.Exec(t.Context(), "BEGIN READ ONLY; INSERT INTO t VALUES (3, 3)").ReadAll()
	if err == nil || err.Error() != "ERROR: cannot execute INSERT in a read-only transaction (SQLSTATE 25006)" {
		t.Fatalf("got %v", err)
	}
	x.expect("a", "ROLLBACK", "ROLLBACK")
}

// TestCommitOfFailedTransactionRollsBack: COMMIT after an error answers
// ROLLBACK and applies nothing.
func TestCommitOfFailedTransactionRollsBack(t *testing.T) {
	x := newSpec(t, "CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)", "a")
	x.expect("a", "BEGIN; UPDATE t SET v = 9", "BEGIN | UPDATE 1")
	x.expect("a", "INSERT INTO t VALUES (1, 1)", "ERROR 23505")
	x.expect("a", "SELECT 1", "ERROR 25P02")
	x.expect("a", "COMMIT", "ROLLBACK")
	x.expect("a", "SELECT v FROM t", "0")
}
