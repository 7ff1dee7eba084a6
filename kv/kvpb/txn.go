package kvpb

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/aegisdb/aegis/internal/hlc"
)

// TxnID identifies a transaction. The zero value means "no transaction".
type TxnID [16]byte

// NewTxnID returns a random transaction ID.
func NewTxnID() TxnID {
	var id TxnID
	for {
		a, b := rand.Uint64(), rand.Uint64()
		for i := 0; i < 8; i++ {
			id[i] = byte(a >> (8 * i))
			id[8+i] = byte(b >> (8 * i))
		}
		if !id.IsEmpty() {
			return id
		}
	}
}

// IsEmpty reports whether id is the zero ID.
func (id TxnID) IsEmpty() bool { return id == TxnID{} }

// String returns the first 8 hex digits, enough for logs.
func (id TxnID) String() string { return hex.EncodeToString(id[:4]) }

// LockMode is the strength of a row lock.
type LockMode int

// Lock modes: PostgreSQL's four row-lock strengths, weakest first. SELECT
// ... FOR KEY SHARE, FOR SHARE, FOR NO KEY UPDATE and FOR UPDATE take
// them; a write of a row takes LockNoKeyUpdate at commit and a deletion
// LockUpdate (an UPDATE that changes a key column locks the row with
// LockUpdate first). Each mode conflicts with every mode the one before
// it conflicts with, plus one more, so a transaction holding two modes on
// a key behaves as holding the stronger.
const (
	LockKeyShare LockMode = iota + 1
	LockShare
	LockNoKeyUpdate
	LockUpdate
)

// Valid reports whether m is one of the lock modes.
func (m LockMode) Valid() bool { return m >= LockKeyShare && m <= LockUpdate }

// LocksConflict reports whether locks of modes a and b on one key, held by
// different transactions, conflict (PostgreSQL's row-level lock conflict
// table: KEY SHARE conflicts only with UPDATE, SHARE with NO KEY UPDATE
// and UPDATE, NO KEY UPDATE with SHARE and both UPDATEs, UPDATE with all).
func LocksConflict(a, b LockMode) bool { return a+b > LockUpdate }

// String returns the mode's name as in SELECT ... FOR.
func (m LockMode) String() string {
	switch m {
	case LockKeyShare:
		return "KEY SHARE"
	case LockShare:
		return "SHARE"
	case LockNoKeyUpdate:
		return "NO KEY UPDATE"
	case LockUpdate:
		return "UPDATE"
	}
	return fmt.Sprintf("LockMode(%d)", int(m))
}

// WaitPolicy says what a lock request does when a key is locked by
// another transaction.
type WaitPolicy int

// Wait policies. The zero value waits.
const (
	// WaitBlock waits until the lock is free, the lock timeout expires
	// (LockNotAvailableError with Timeout set), a deadlock is found
	// (DeadlockError) or the context ends.
	WaitBlock WaitPolicy = iota
	// WaitNoWait fails at once with LockNotAvailableError (NOWAIT).
	WaitNoWait
	// WaitSkipLocked leaves locked keys out of the result (SKIP LOCKED).
	WaitSkipLocked
)

// String returns the policy's SQL spelling.
func (p WaitPolicy) String() string {
	switch p {
	case WaitBlock:
		return "BLOCK"
	case WaitNoWait:
		return "NOWAIT"
	case WaitSkipLocked:
		return "SKIP LOCKED"
	}
	return fmt.Sprintf("WaitPolicy(%d)", int(p))
}

// ErrNeedsTwoPhase is returned by the range-addressing sender for a
// CommitRequest whose keys or read spans cover more than one range: the
// client must run the two-phase protocol instead (see the package doc).
// Nothing was sent or applied.
var ErrNeedsTwoPhase = errors.New("kvpb: commit spans several ranges; use two-phase commit")

// ErrLockNotAvailable marks LockNotAvailableError for errors.Is.
var ErrLockNotAvailable = errors.New("lock not available")

// LockNotAvailableError reports a lock that could not be acquired: the key
// was locked and the wait policy was NoWait, or the lock timeout expired.
// PGCode is 55P03 (lock_not_available). Locks acquired earlier by the
// transaction stay held.
type LockNotAvailableError struct {
	Key []byte
	// Timeout is set when the lock timeout expired (the statement was
	// canceled), unset for NOWAIT.
	Timeout bool
}

// Error returns PostgreSQL's message. For NOWAIT PostgreSQL names the
// relation ("could not obtain lock on row in relation \"t\""); the SQL
// layer, which knows the relation, should add it.
func (e *LockNotAvailableError) Error() string {
	if e.Timeout {
		return "canceling statement due to lock timeout"
	}
	return "could not obtain lock on row"
}

// PGCode returns SQLSTATE 55P03.
func (e *LockNotAvailableError) PGCode() string { return "55P03" }

// Is makes errors.Is(err, ErrLockNotAvailable) true.
func (e *LockNotAvailableError) Is(target error) bool { return target == ErrLockNotAvailable }

// ErrDeadlock marks DeadlockError for errors.Is.
var ErrDeadlock = errors.New("deadlock detected")

// DeadlockError is returned to the transaction chosen as the victim of a
// deadlock: its wait would have closed a cycle in the waits-for graph. The
// transaction must be rolled back (its locks stay held until then).
// PGCode is 40P01.
type DeadlockError struct {
	Key []byte
	// Cycle lists the transactions of the cycle, starting with the victim.
	Cycle []TxnID
}

// Error returns PostgreSQL's message.
func (e *DeadlockError) Error() string { return "deadlock detected" }

// Detail describes the cycle, for the error's DETAIL field.
func (e *DeadlockError) Detail() string {
	return fmt.Sprintf("Transaction %s waits for a lock on key %q held by a transaction waiting for it (cycle %v).", e.Cycle[0], e.Key, e.Cycle)
}

// PGCode returns SQLSTATE 40P01 (deadlock_detected).
func (e *DeadlockError) PGCode() string { return "40P01" }

// Is makes errors.Is(err, ErrDeadlock) true.
func (e *DeadlockError) Is(target error) bool { return target == ErrDeadlock }

// LockRequest acquires locks on Keys for Header.Txn, waiting as
// Header.WaitPolicy and Header.LockTimeout say. Keys must be ascending and
// distinct. Locks are held in memory by the range's lock table until a
// ReleaseLocksRequest (or a commit of the same keys) releases them; they
// do not survive a restart, which aborts every transaction anyway.
type LockRequest struct {
	Keys [][]byte
	Mode LockMode
	// ConflictTimestamp, if set, makes the request fail with a write
	// conflict (40001) when a locked key has a version newer than it:
	// REPEATABLE READ and SERIALIZABLE lock against their snapshot.
	ConflictTimestamp hlc.Timestamp
}

// LockResponse answers LockRequest.
type LockResponse struct {
	// Locked are the keys now locked (all of Keys unless SkipLocked).
	Locked [][]byte
}

// ReleaseLocksRequest releases Header.Txn's locks on Keys (in-memory
// locks and prewrite locks alike; it does not touch durable intents).
// Keys not locked by the transaction are ignored. A non-zero Mode
// weakens the locks to Mode instead (locks no stronger stay as they are).
type ReleaseLocksRequest struct {
	Keys [][]byte
	Mode LockMode
}

// ReleaseLocksResponse answers ReleaseLocksRequest.
type ReleaseLocksResponse struct{}

// PrewriteRequest is the first phase of a two-phase commit: for every
// mutation it takes a write lock (waiting like LockRequest), checks
// the write conflict as CommitRequest does, and durably writes an intent:
// a lock record holding the provisional value and the transaction's
// Primary key. Intents are invisible to readers.
type PrewriteRequest struct {
	Primary []byte
	// Mutations are ascending by key and distinct.
	Mutations []Mutation
}

// PrewriteResponse answers PrewriteRequest.
type PrewriteResponse struct{}

// BeginCommitRequest allocates a commit timestamp from the timestamp
// oracle and registers it as in flight: until FinishCommitRequest, read
// timestamps stay below it, so no reader sees a partly resolved commit.
type BeginCommitRequest struct{}

// BeginCommitResponse answers BeginCommitRequest.
type BeginCommitResponse struct {
	CommitTimestamp hlc.Timestamp
}

// FinishCommitRequest unregisters an in-flight commit timestamp (its
// intents are all resolved, or it was abandoned).
type FinishCommitRequest struct {
	CommitTimestamp hlc.Timestamp
}

// FinishCommitResponse answers FinishCommitRequest.
type FinishCommitResponse struct{}

// ValidateRequest is the SERIALIZABLE read-set check of a two-phase
// commit: it waits until every commit below CommitTimestamp is applied,
// then fails with a read-validation retry error if any of Spans has a
// version in (ReadTimestamp, CommitTimestamp).
type ValidateRequest struct {
	ReadTimestamp   hlc.Timestamp
	CommitTimestamp hlc.Timestamp
	Spans           []Span
}

// ValidateResponse answers ValidateRequest.
type ValidateResponse struct{}

// EndTxnRequest is the commit point of a two-phase commit: it durably
// writes the COMMITTED transaction record of Header.Txn at CommitTimestamp
// next to the primary key. Once it returns, the transaction is committed
// whatever happens; intents left behind by a crash are resolved from the
// record when the store restarts.
type EndTxnRequest struct {
	Primary         []byte
	CommitTimestamp hlc.Timestamp
}

// EndTxnResponse answers EndTxnRequest.
type EndTxnResponse struct{}

// ResolveRequest resolves Header.Txn's intents on Keys: with Commit it
// turns each into a version at CommitTimestamp, otherwise it deletes them.
// Keys without an intent of the transaction are ignored. Locks stay held
// (release them after FinishCommitRequest, so that the next holder reads
// the new versions).
type ResolveRequest struct {
	Keys            [][]byte
	Commit          bool
	CommitTimestamp hlc.Timestamp
}

// ResolveResponse answers ResolveRequest.
type ResolveResponse struct{}

// ClearTxnRecordRequest deletes Header.Txn's transaction record once all
// its intents are resolved.
type ClearTxnRecordRequest struct {
	Primary []byte
}

// ClearTxnRecordResponse answers ClearTxnRecordRequest.
type ClearTxnRecordResponse struct{}

// GCRequest garbage-collects MVCC versions in [Key, EndKey) of one range:
// for each key it removes every version older than the newest version at
// or below Threshold, and that version too if it is a tombstone. No
// reader may use a timestamp below Threshold (see kv's snapshot
// registry). It examines at most MaxVersions versions (<= 0: no limit).
type GCRequest struct {
	Span
	Threshold   hlc.Timestamp
	MaxVersions int
}

// GCResponse answers GCRequest.
type GCResponse struct {
	// ResumeKey, if non-nil, is where the pass stopped because of
	// MaxVersions.
	ResumeKey []byte
	// Examined and Removed count versions.
	Examined, Removed int
}

// Method implements Request.
func (*LockRequest) Method() Method { return MethodLock }

// Method implements Response.
func (*LockResponse) Method() Method { return MethodLock }

// Method implements Request.
func (*ReleaseLocksRequest) Method() Method { return MethodReleaseLocks }

// Method implements Response.
func (*ReleaseLocksResponse) Method() Method { return MethodReleaseLocks }

// Method implements Request.
func (*PrewriteRequest) Method() Method { return MethodPrewrite }

// Method implements Response.
func (*PrewriteResponse) Method() Method { return MethodPrewrite }

// Method implements Request.
func (*BeginCommitRequest) Method() Method { return MethodBeginCommit }

// Method implements Response.
func (*BeginCommitResponse) Method() Method { return MethodBeginCommit }

// Method implements Request.
func (*FinishCommitRequest) Method() Method { return MethodFinishCommit }

// Method implements Response.
func (*FinishCommitResponse) Method() Method { return MethodFinishCommit }

// Method implements Request.
func (*ValidateRequest) Method() Method { return MethodValidate }

// Method implements Response.
func (*ValidateResponse) Method() Method { return MethodValidate }

// Method implements Request.
func (*EndTxnRequest) Method() Method { return MethodEndTxn }

// Method implements Response.
func (*EndTxnResponse) Method() Method { return MethodEndTxn }

// Method implements Request.
func (*ResolveRequest) Method() Method { return MethodResolve }

// Method implements Response.
func (*ResolveResponse) Method() Method { return MethodResolve }

// Method implements Request.
func (*ClearTxnRecordRequest) Method() Method { return MethodClearTxnRecord }

// Method implements Response.
func (*ClearTxnRecordResponse) Method() Method { return MethodClearTxnRecord }

// Method implements Request.
func (*GCRequest) Method() Method { return MethodGC }

// Method implements Response.
func (*GCResponse) Method() Method { return MethodGC }
