// Package distsender is the range-addressing layer between the kv client
// and the stores: a kv.Sender that splits each request by the ranges its
// keys fall in, addresses every part to its range (Header.RangeID), and
// merges the answers, in the manner of CockroachDB's DistSender.
//
// # Routing
//
//   - Point requests (Get, EndTxn, ClearTxnRecord) go to the range of
//     their key.
//   - Scans visit the ranges of their span in key order, carrying the row
//     limit over, and return a resume key like a single-range scan.
//   - Key-list requests (Lock, Prewrite, Resolve, ReleaseLocks) are split
//     into one request per range, sent in key order (Lock and Prewrite
//     keys are ascending, so a transaction takes its locks in global key
//     order); Lock results are concatenated. Validate spans are cut at
//     range bounds.
//   - A CommitRequest (one-phase commit) goes to its range if all its keys
//     and read spans lie in one; otherwise the DistSender returns
//     kvpb.ErrNeedsTwoPhase without sending anything, and the client runs
//     the two-phase protocol.
//   - Oracle requests (Timestamp, BeginCommit, FinishCommit, RangeLookup)
//     pass through unaddressed.
//
// # Range cache
//
// Descriptors come from RangeLookupRequests and are cached. A store that
// gets a request for keys its range no longer holds (the range split)
// answers *kvpb.RangeKeyMismatchError carrying its current descriptors;
// the DistSender replaces the stale entries and retries the whole request.
// Every request kind is idempotent for a retry (locks are re-entrant,
// intents are rewritten, resolution skips resolved keys).
package distsender
