package server_test

import "testing"

const accountsSetup = `CREATE TABLE acct (id int PRIMARY KEY, bal int, kind text);
INSERT INTO acct VALUES (1, 100, 'a'), (2, 100, 'a'), (3, 100, 'b')`

// TestReadCommittedUpdateRereads: under READ COMMITTED an UPDATE that
// finds its row changed by a concurrent transaction waits for it, then
// applies itself to the newest version (no lost update, no 40001); a
// row that no longer matches the WHERE clause is skipped.
func TestReadCommittedUpdateRereads(t *testing.T) {
	x := newSpec(t, accountsSetup, "a", "b")
	x.expect("a", "BEGIN; UPDATE acct SET bal = bal + 10 WHERE id = 1", "BEGIN | UPDATE 1")
	x.expect("b", "BEGIN", "BEGIN")
	x.blocks("b", "UPDATE acct SET bal = bal + 1 WHERE id = 1 RETURNING bal")
	x.expect("a", "COMMIT", "COMMIT")
	x.waitExpect("b", "111")
	x.expect("b", "COMMIT", "COMMIT")
	x.expect("a", "SELECT bal FROM acct WHERE id = 1", "111")

	// The WHERE clause is re-checked on the newest version.
	x.expect("a", "BEGIN; UPDATE acct SET kind = 'b' WHERE id = 2", "BEGIN | UPDATE 1")
	x.blocks("b", "UPDATE acct SET bal = 0 WHERE kind = 'a'")
	x.expect("a", "COMMIT", "COMMIT")
	x.waitExpect("b", "UPDATE 1")
	x.expect("a", "SELECT id, bal, kind FROM acct ORDER BY id", "1,0,a;2,100,b;3,100,b")

	// A DELETE skips a row deleted meanwhile, and one that no longer
	// matches.
	x.expect("a", "BEGIN; DELETE FROM acct WHERE id = 1; UPDATE acct SET bal = 5 WHERE id = 2", "BEGIN | DELETE 1 | UPDATE 1")
	x.blocks("b", "DELETE FROM acct WHERE bal >= 100 RETURNING id")
	x.expect("a", "COMMIT", "COMMIT")
	x.waitExpect("b", "3")
	x.expect("a", "SELECT id, bal FROM acct ORDER BY id", "2,5")

	// A rolled-back writer leaves the row as it was.
	x.expect("a", "BEGIN; UPDATE acct SET bal = 1000 WHERE id = 2", "BEGIN | UPDATE 1")
	x.blocks("b", "UPDATE acct SET bal = bal * 2 WHERE id = 2")
	x.expect("a", "ROLLBACK", "ROLLBACK")
	x.waitExpect("b", "UPDATE 1")
	x.expect("a", "SELECT bal FROM acct WHERE id = 2", "10")
}

// TestConcurrentUpdateSerializationFailure: under REPEATABLE READ and
// SERIALIZABLE, updating or deleting a row that a concurrent transaction
// changed fails with 40001, whether that transaction committed before
// the statement or while the statement waited for it.
func TestConcurrentUpdateSerializationFailure(t *testing.T) {
	for _, level := range []string{"REPEATABLE READ", "SERIALIZABLE"} {
		t.Run(level, func(t *testing.T) {
			x := newSpec(t, accountsSetup, "a", "b")
			x.expect("b", "BEGIN ISOLATION LEVEL "+level+"; SELECT bal FROM acct WHERE id = 1", "BEGIN | 100")
			x.expect("a", "BEGIN; UPDATE acct SET bal = bal + 10 WHERE id = 1", "BEGIN | UPDATE 1")
			x.blocks("b", "UPDATE acct SET bal = bal + 1 WHERE id = 1")
			x.expect("a", "COMMIT", "COMMIT")
			x.waitExpect("b", "ERROR 40001")
			x.expect("b", "ROLLBACK", "ROLLBACK")

			x.expect("b", "BEGIN ISOLATION LEVEL "+level+"; SELECT bal FROM acct WHERE id = 2", "BEGIN | 100")
			x.expect("a", "UPDATE acct SET bal = 0 WHERE id = 2", "UPDATE 1")
			x.expect("b", "DELETE FROM acct WHERE id = 2", "ERROR 40001")
			x.expect("b", "ROLLBACK", "ROLLBACK")

			// A writer that rolls back leaves nothing to conflict with.
			x.expect("b", "BEGIN ISOLATION LEVEL "+level+"; SELECT bal FROM acct WHERE id = 3", "BEGIN | 100")
			x.expect("a", "BEGIN; UPDATE acct SET bal = 0 WHERE id = 3", "BEGIN | UPDATE 1")
			x.blocks("b", "UPDATE acct SET bal = bal + 1 WHERE id = 3")
			x.expect("a", "ROLLBACK", "ROLLBACK")
			x.waitExpect("b", "UPDATE 1")
			x.expect("b", "COMMIT", "COMMIT")
			x.expect("a", "SELECT bal FROM acct WHERE id = 3", "101")
		})
	}
}

// TestInsertWaitsForDuplicate: an INSERT of a key that an uncommitted
// transaction inserted waits for it, then fails with 23505 if it
// committed or succeeds if it rolled back, at every level; a unique
// index behaves the same, and so does a unique value whose row an
// uncommitted transaction deleted. A duplicate is 23505, never 40001.
func TestInsertWaitsForDuplicate(t *testing.T) {
	for _, level := range []string{"READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"} {
		t.Run(level, func(t *testing.T) {
			x := newSpec(t, "CREATE TABLE u (id int PRIMARY KEY, email text UNIQUE)", "a", "b")
			x.expect("b", "BEGIN ISOLATION LEVEL "+level+"; SELECT count(*) FROM u", "BEGIN | 0")
			x.expect("a", "BEGIN; INSERT INTO u VALUES (1, 'x')", "BEGIN | INSERT 0 1")
			x.blocks("b", "INSERT INTO u VALUES (1, 'y')")
			x.expect("a", "COMMIT", "COMMIT")
			x.waitExpect("b", "ERROR 23505")
			x.expect("b", "ROLLBACK", "ROLLBACK")

			x.expect("b", "BEGIN ISOLATION LEVEL "+level+"; SELECT count(*) FROM u", "BEGIN | 1")
			x.expect("a", "BEGIN; INSERT INTO u VALUES (2, 'z')", "BEGIN | INSERT 0 1")
			x.blocks("b", "INSERT INTO u VALUES (2, 'w')")
			x.expect("a", "ROLLBACK", "ROLLBACK")
			x.waitExpect("b", "INSERT 0 1")
			x.expect("b", "COMMIT", "COMMIT")

			// Unique index key.
			x.expect("b", "BEGIN ISOLATION LEVEL "+level+"; SELECT count(*) FROM u", "BEGIN | 2")
			x.expect("a", "BEGIN; INSERT INTO u VALUES (3, 'same')", "BEGIN | INSERT 0 1")
			x.blocks("b", "INSERT INTO u VALUES (4, 'same')")
			x.expect("a", "COMMIT", "COMMIT")
			x.waitExpect("b", "ERROR 23505")
			x.expect("b", "ROLLBACK", "ROLLBACK")

			// Committed before the statement, after the snapshot.
			x.expect("b", "BEGIN ISOLATION LEVEL "+level+"; SELECT count(*) FROM u", "BEGIN | 3")
			x.expect("a", "INSERT INTO u VALUES (5, 'five')", "INSERT 0 1")
			x.expect("b", "INSERT INTO u VALUES (5, 'again')", "ERROR 23505")
			x.expect("b", "ROLLBACK", "ROLLBACK")
			x.expect("a", "SELECT id, email FROM u ORDER BY id", "1,x;2,w;3,same;5,five")

			// An uncommitted DELETE of a unique value: an INSERT of the
			// same value waits, then fails if the DELETE rolls back...
			x.expect("a", "BEGIN; DELETE FROM u WHERE id = 5", "BEGIN | DELETE 1")
			x.expect("b", "BEGIN ISOLATION LEVEL "+level+"; SELECT 1", "BEGIN | 1")
			x.blocks("b", "INSERT INTO u VALUES (6, 'five')")
			x.expect("a", "ROLLBACK", "ROLLBACK")
			x.waitExpect("b", "ERROR 23505")
			x.expect("b", "ROLLBACK", "ROLLBACK")
			// ... or succeeds if it commits.
			x.expect("a", "BEGIN; DELETE FROM u WHERE id = 5", "BEGIN | DELETE 1")
			x.expect("b", "BEGIN ISOLATION LEVEL "+level+"; SELECT 1", "BEGIN | 1")
			x.blocks("b", "INSERT INTO u VALUES (6, 'five')")
			x.expect("a", "COMMIT", "COMMIT")
			x.waitExpect("b", "INSERT 0 1")
			x.expect("b", "COMMIT", "COMMIT")
			x.expect("a", "SELECT id, email FROM u ORDER BY id", "1,x;2,w;3,same;6,five")
		})
	}
}
