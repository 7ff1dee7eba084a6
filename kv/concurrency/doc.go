// Package concurrency holds the in-memory synchronization of one node's
// store: row locks with wait queues and deadlock detection (LockTable),
// and short-lived key latches (LatchManager).
//
// # Locks
//
// A LockTable maps keys to the transactions holding a lock on them, in
// one of PostgreSQL's four row-lock strengths (kvpb.LockMode: KEY SHARE,
// SHARE, NO KEY UPDATE, UPDATE, with its conflict table). Commits take
// write locks on the keys they write (NO KEY UPDATE, UPDATE for a
// deletion; every write lock excludes every other writer) in key order,
// from before their write-conflict check until their versions
// are applied and their commit timestamp is closed, which makes "check for
// newer versions, then write" atomic per key. SELECT ... FOR UPDATE/SHARE
// take locks earlier, through kv.Txn.LockKeys, and hold them until the
// transaction ends.
//
// A transaction that finds a key locked by another one either fails at
// once (NOWAIT), skips the key (SKIP LOCKED) or waits: until the holder
// releases it, the lock timeout expires (kvpb.LockNotAvailableError,
// SQLSTATE 55P03), its context ends (statement_timeout, cancellation), or
// its wait would close a cycle in the waits-for graph. The graph has an
// edge from each waiting transaction to every holder blocking it; the
// transaction whose wait would close a cycle is the victim and gets
// kvpb.DeadlockError (40P01) at once, while the others keep waiting. (This
// is PostgreSQL's outcome without its deadlock_timeout delay: the check is
// a walk of a small in-memory graph, cheap enough to run on every wait.)
//
// Locks live in memory only: a restart aborts every transaction, and the
// durable part of an unfinished two-phase commit (its intents) is resolved
// by the store before it serves requests. Deadlocks are detected among the
// transactions of one node; a cluster will need a distributed detector.
//
// # Latches
//
// Latches are short-lived exclusive per-key locks: a caller acquires all
// the latches it needs in one Acquire call (in key order, so two callers
// cannot deadlock) and releases them exactly once with Guard.Release.
package concurrency
