// Package kvpb defines the requests, responses and errors exchanged between
// the kv client (kv.Txn) and whatever serves them through kv.Sender: today
// the single-node kv/localstore, later the cluster's range-routing sender.
//
// The types are plain Go structs now; when requests cross the network they
// will gain a wire encoding without changing their meaning.
//
// # Protocol (single-phase, this issue)
//
//  1. A transaction obtains a read timestamp with TimestampRequest. The
//     server guarantees that every commit at or below it is fully applied
//     (the "closed" timestamp), so reads at it are repeatable.
//  2. Reads (GetRequest, ScanRequest) carry that timestamp in the Header.
//  3. Writes are buffered by the client and sent once in a CommitRequest,
//     which the server applies atomically and durably at a fresh commit
//     timestamp, or rejects with a *TransactionRetryError (SQLSTATE 40001)
//     having applied nothing.
//
// TODO(txn issue): Percolator two-phase commit replaces CommitRequest with
// Prewrite (locks + provisional values) and Commit/Rollback requests keyed by
// a primary lock; lock waiting and deadlock detection return through the
// same Sender.
package kvpb
