// Package kv is Aegis's transactional key-value API: the only storage
// interface the SQL layer uses.
//
// # Model
//
// A DB hands out transactions (Txn) over an ordered byte-key space. Each
// transaction reads a consistent MVCC snapshot and buffers its writes in
// memory; Commit sends the buffered writes as one CommitRequest through the
// DB's Sender, which applies them atomically at a single commit timestamp
// and returns only once they are durable (fsync, shared by concurrent
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
// TODO(txn issue): Percolator two-phase commit (prewrite locks, primary
// key), lock waiting with lock_timeout, deadlock detection and MVCC garbage
// collection come with the transaction issue; until then a transaction's
// writes are invisible to everyone, locked by no one, until Commit.
package kv
