// Package storage is the only package in Aegis that imports Pebble. It wraps
// a Pebble DB as an Engine with the few operations the layers above need:
// point reads, bounded forward iterators, and write batches committed
// atomically, optionally synced.
//
// The engine knows nothing about MVCC, timestamps or transactions: keys and
// values are opaque bytes ordered by bytes.Compare (Pebble's default
// comparer). Package kv/mvcc defines what the bytes mean.
//
// # Invariants
//
//   - A Batch is applied atomically: after a crash either all of its writes
//     are present or none are. Commit(Sync) returns only once the batch is
//     durable. Concurrent synced commits share fsyncs through Pebble's commit
//     pipeline, so callers must not serialize around Commit.
//   - An Iterator reads the point-in-time state of the engine at the moment
//     it was created; later commits are not visible to it.
//   - Pebble's log output goes to the slog.Logger in Options, never to
//     stdout or stderr.
package storage
