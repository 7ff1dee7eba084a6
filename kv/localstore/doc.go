// Package localstore serves kvpb requests from one local storage.Engine. It
// implements kv.Sender for a single-node database; the cluster layer will
// provide another Sender that routes the same requests to Raft-replicated
// ranges.
//
// # Timestamps and visibility
//
// A timestamp oracle (an hlc.Clock) issues commit timestamps and read
// timestamps. Every commit registers its timestamp as in flight when it is
// allocated and unregisters it once its engine batch is applied. A read
// timestamp is the "closed" watermark: just below the oldest in-flight
// commit, or a fresh clock reading if none is in flight. Hence no reader
// ever holds a snapshot that includes a commit whose writes are not yet
// visible, and read timestamps never decrease.
//
// The oracle survives restarts with a persisted ceiling: it never issues a
// timestamp whose wall time reaches the ceiling stored under the local key
// "ts-ceiling"; when it gets there it first raises the ceiling (a synced
// write, about once per ceilingWindow). On Open the clock is ratcheted to
// the stored ceiling, which is above every timestamp ever issued and so
// above every persisted version.
//
// # Ranges
//
// The key space is partitioned into ranges, each described by a
// kvpb.RangeDescriptor persisted under a local key and served by one local
// replica. Every data request names its range (Header.RangeID) and fails
// with *kvpb.RangeKeyMismatchError if it touches keys outside it. Ranges
// split at table boundaries (Options.SplitBoundary, checked after each
// commit, synchronously) and by size (a background split queue owned by
// the store checks ranges that received MaxRangeBytes/4 of writes and
// splits those above MaxRangeBytes at their middle key). A split writes
// both descriptors in one synced batch and moves no data: all ranges share
// the store's engine and lock table.
//
// # Commit protocol (first-committer-wins)
//
//  1. Write-lock every written key (kv/concurrency), in key order,
//     waiting for other holders as the header's lock timeout allows.
//  2. For every written key, fail with a write-conflict retry error if its
//     newest version is newer than the mutation's ConflictTimestamp. Any
//     earlier committer of the key has released its lock only after
//     applying its batch and closing its timestamp, so the engine shows
//     it.
//  3. Allocate the commit timestamp and register it as in flight. It is
//     greater than every version checked in step 2.
//  4. If the request has read spans (SERIALIZABLE), wait until every commit
//     with a smaller timestamp is applied, then fail with a read-validation
//     retry error if any span has a version in (ReadTimestamp, commit
//     timestamp). Committed transactions are thus equivalent to running
//     serially in commit-timestamp order.
//  5. Write all versions in one engine batch committed with sync. No
//     store-wide mutex is held here, so concurrent commits share fsyncs.
//  6. Unregister the in-flight timestamp, release the locks.
//
// Two-phase commits (see kv/kvpb) run the same steps spread over requests:
// PrewriteRequest does 1, 2 and writes intents durably; BeginCommit does 3;
// Validate does 4; EndTxn writes the commit record; Resolve does 5; then
// FinishCommit and ReleaseLocks do 6. New resolves intents left by a
// crash before serving. An engine write error after a commit point fails
// the store (every later request errors) so that nothing half-applied is
// ever read; a restart recovers.
package localstore
