// Package concurrency holds the in-memory synchronization that serializes
// conflicting operations inside one store.
//
// Latches are short-lived exclusive locks on keys, held by a committing
// transaction from its conflict check until its writes are applied. They
// make "check for newer versions, then write" atomic per key while letting
// commits on disjoint keys run (and share fsyncs) concurrently.
//
// Invariants: a caller acquires all the latches it needs in one Acquire
// call (which takes them in key order, so two callers cannot deadlock) and
// releases them exactly once with Guard.Release. Waiting respects ctx.
//
// TODO(txn issue): transaction-lifetime locks (Percolator's lock column),
// wait queues, lock_timeout and deadlock detection belong here too.
package concurrency
