// Package kvpb defines the requests, responses and errors exchanged between
// the kv client (kv.Txn) and whatever serves them through kv.Sender: today
// the single-node kv/localstore, later the cluster's range-routing sender.
//
// The types are plain Go structs now; when requests cross the network they
// will gain a wire encoding without changing their meaning.
//
// # Protocol
//
//  1. A transaction obtains a read timestamp with TimestampRequest. The
//     server guarantees that every commit at or below it is fully applied
//     (the "closed" timestamp), so reads at it are repeatable. Reads never
//     look at locks or intents.
//  2. Reads (GetRequest, ScanRequest) carry that timestamp in the Header.
//  3. Writes are buffered by the client. If they lie in one range, one
//     CommitRequest applies them (one-phase commit): lock, check
//     write-write conflicts, take a commit timestamp, validate reads,
//     apply atomically and durably; or it fails with a
//     *TransactionRetryError (SQLSTATE 40001) having applied nothing.
//  4. Otherwise the client runs the Percolator-style two-phase commit:
//     a. PrewriteRequest per range: lock, check conflicts, durably write
//     intents (lock records with the provisional value and the primary
//     key). On failure: ResolveRequest (abort) and ReleaseLocksRequest.
//     b. BeginCommitRequest: a commit timestamp from the oracle, held
//     "in flight" so that read timestamps stay below it.
//     c. ValidateRequest per range (SERIALIZABLE read spans).
//     d. EndTxnRequest: the durable COMMITTED record beside the primary
//     key. This is the commit point.
//     e. ResolveRequest (commit) per range, ClearTxnRecordRequest,
//     FinishCommitRequest, ReleaseLocksRequest, in that order: the next
//     holder of a lock reads the new versions.
//     A crash before (d) aborts the transaction, after it commits it: the
//     store resolves leftover intents from the records when it restarts.
//
// Requests are addressed to ranges by Header.RangeID; kv/distsender does
// that for clients.
package kvpb
