// Package kv is Aegis's transactional key-value API: the only storage
// interface the SQL layer uses.
//
// # Model
//
// A DB hands out transactions (Txn) over an ordered byte-key space, which
// is divided into ranges (see kv/localstore, kv/distsender). Each
// transaction reads a consistent MVCC snapshot and buffers its writes in
// memory. Commit sends them through the DB's Sender: if they (and, under
// Serializable, the spans read) lie in one range, as one CommitRequest
// that the range applies atomically at one commit timestamp; otherwise by
// the two-phase protocol described in kv/kvpb (prewrite intents and locks,
// commit record beside the primary key, resolution). Either way Commit
// returns only once the outcome is durable (fsync, shared by concurrent
// committers).
//
// Reads see the transaction's own buffered writes merged over the snapshot:
// Get returns a buffered value (or "not found" for a buffered delete), and
// iterators interleave buffered puts and hide snapshot keys deleted in the
// buffer.
//
// # Isolation
//
//   - ReadCommitted (the default): each statement reads a fresh snapshot;
//     the SQL layer calls Txn.Step between statements. A write conflicts if
//     the key got a newer version after the snapshot of the statement that
//     first wrote it.
//   - RepeatableRead: snapshot isolation. One snapshot for the whole
//     transaction; first-committer-wins on written keys.
//   - Serializable: RepeatableRead plus read-set validation at commit: if
//     any key or scanned span the transaction read has a version committed
//     after its snapshot (and before its commit), the commit fails.
//     Committed transactions are equivalent to a serial execution in commit
//     timestamp order.
//
// Every conflict returns an error satisfying errors.Is(err,
// ErrSerializationFailure) whose PGCode() is "40001"; nothing of the failed
// transaction is applied and it must be retried from the start.
//
// # Layering
//
// Txn never touches storage directly: reads and commits are kvpb requests
// sent through a Sender. Open wires the Sender to a kv/localstore.Store over
// a kv/storage.Engine (the only Pebble importer); the cluster layer will
// supply a Sender that routes requests to Raft-replicated ranges. Package
// kv/mvcc defines the on-disk version layout.
//
// # Locks
//
// A commit takes write locks on the keys it writes (NO KEY UPDATE, or
// UPDATE for a deletion: PostgreSQL's row-lock strengths, so a FOR KEY
// SHARE holder does not block a plain write); a commit that
// finds a key locked by another transaction waits for it (bounded by
// Txn.SetLockTimeout and ctx), then checks for a newer version as above.
// Txn.LockKeys takes locks earlier, for SELECT ... FOR UPDATE/SHARE and
// the rows an UPDATE or DELETE writes, with NOWAIT and SKIP LOCKED
// policies; Txn.LockForInsert locks keys an INSERT creates, after which
// Txn.GetLatest checks them against the newest committed version (the
// unique check). A wait that would close a cycle of
// waiting transactions fails with DeadlockError (40P01); an expired lock
// timeout or NOWAIT with LockNotAvailableError (55P03). Locks are released
// by Commit and Rollback, and by a cleanup when a Txn is garbage-collected
// without either (its session vanished); a restart releases all of them
// and resolves interrupted two-phase commits from their durable records.
//
// # Garbage collection
//
// A goroutine owned by the DB (stopped by Close) removes old versions in
// the background, below the oldest snapshot of any open transaction, a
// bounded number of versions per pass (see gc.go, Options.GCInterval).
package kv
