package kv

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/aegisdb/aegis/internal/hlc"
	"github.com/aegisdb/aegis/kv/kvpb"
)

// IsolationLevel is a transaction isolation level (see the package doc).
type IsolationLevel int

// Isolation levels. The zero value is ReadCommitted, PostgreSQL's default.
const (
	ReadCommitted IsolationLevel = iota
	RepeatableRead
	Serializable
)

// String returns the SQL name of the level.
func (l IsolationLevel) String() string {
	switch l {
	case ReadCommitted:
		return "READ COMMITTED"
	case RepeatableRead:
		return "REPEATABLE READ"
	case Serializable:
		return "SERIALIZABLE"
	default:
		return fmt.Sprintf("IsolationLevel(%d)", int(l))
	}
}

type txnState int

const (
	txnActive txnState = iota
	txnCommitted
	txnAborted
	// txnCommitFailed: Commit failed, nothing applied; Rollback succeeds
	// once so that callers can roll back unconditionally after an error.
	txnCommitFailed
)

// Txn is a transaction. It is not safe for concurrent use: the SQL session
// that owns it issues one operation at a time. Byte slices passed in are
// copied; byte slices returned are owned by the caller unless documented
// otherwise.
type Txn struct {
	db     *DB
	sender Sender
	iso    IsolationLevel
	state  txnState
	id     kvpb.TxnID

	// res holds what must be released when the transaction ends (its
	// snapshot registration and locks). It is a separate object so that a
	// cleanup attached to the Txn can release it if the Txn is dropped
	// without Commit or Rollback (see finish).
	res     *txnResources
	cleanup runtime.Cleanup
	// locked maps each key the transaction locked with LockKeys or
	// LockForInsert to the lock's strength and, under ReadCommitted and
	// for LockForInsert, to the snapshot taken after locking it: its
	// commit-time conflict timestamp (nobody else can have written it
	// since).
	locked map[string]heldLock
	// lockUndo records lock changes while a savepoint is live, so that
	// ROLLBACK TO SAVEPOINT releases the locks taken after it.
	lockUndo    []lockUndo
	lockTimeout time.Duration

	// readTS is the current snapshot; zero until the first operation (and,
	// under ReadCommitted, after each Step).
	readTS hlc.Timestamp
	// txnTS is the first snapshot the transaction took; under
	// RepeatableRead and Serializable it is always readTS.
	txnTS hlc.Timestamp

	buf       writeBuffer
	readSpans []kvpb.Span // Serializable only
	readOnly  bool

	savepoints []SavepointToken
	nextSPID   uint64
}

func newTxn(db *DB, iso IsolationLevel) *Txn {
	return &Txn{db: db, sender: db.sender, iso: iso, id: kvpb.NewTxnID()}
}

// txnResources are the server-side resources of a transaction.
type txnResources struct {
	db     *DB
	id     kvpb.TxnID
	snapID uint64   // snapshot registration, 0 if none
	locked [][]byte // keys locked by LockKeys, in no order
	done   bool
}

// release frees the resources. ctx must not be canceled early: releasing
// locks must happen.
func (r *txnResources) release(ctx context.Context) error {
	if r.done {
		return nil
	}
	r.done = true
	r.db.snaps.release(r.snapID)
	if len(r.locked) == 0 {
		return nil
	}
	keys := r.locked
	slices.SortFunc(keys, bytesCompare)
	_, err := r.db.sender.Send(ctx, &kvpb.BatchRequest{
		Header:   kvpb.Header{Txn: r.id},
		Requests: []kvpb.Request{&kvpb.ReleaseLocksRequest{Keys: keys}},
	})
	return err
}

// abandoned runs when a Txn becomes unreachable without having ended (its
// session vanished): its snapshot and locks must not outlive it.
func abandoned(r *txnResources) {
	if !r.done && !r.db.closed.Load() {
		_ = r.release(context.Background())
	}
}

// finish ends the transaction's hold on server resources.
func (t *Txn) finish(ctx context.Context) error {
	if t.res == nil {
		return nil
	}
	t.cleanup.Stop()
	return t.res.release(context.WithoutCancel(ctx))
}

// resources returns t.res, creating it (and the cleanup that releases it
// if t is dropped unfinished) on first use.
func (t *Txn) resources() *txnResources {
	if t.res == nil {
		t.res = &txnResources{db: t.db, id: t.id}
		t.cleanup = runtime.AddCleanup(t, abandoned, t.res)
	}
	return t.res
}

// ID returns the transaction's ID (it names the transaction's locks).
func (t *Txn) ID() kvpb.TxnID { return t.id }

// SetLockTimeout bounds each wait for a lock held by another transaction
// (PostgreSQL's lock_timeout): a LockKeys call, or the commit, that waits
// longer fails with a LockNotAvailableError (SQLSTATE 55P03, "canceling
// statement due to lock timeout"). Zero, the default, waits until the
// context ends (statement_timeout is the caller's context deadline).
func (t *Txn) SetLockTimeout(d time.Duration) { t.lockTimeout = d }

// LockTimeout returns the lock timeout set by SetLockTimeout.
func (t *Txn) LockTimeout() time.Duration { return t.lockTimeout }

// SnapshotTaken reports whether the transaction has taken its first
// snapshot (its first read or write). Under RepeatableRead and
// Serializable that snapshot is the transaction's for its whole life, so
// it is taken at the first statement, not at Begin; PostgreSQL refuses to
// change the isolation level after it ("SET TRANSACTION ISOLATION LEVEL
// must be called before any query").
func (t *Txn) SnapshotTaken() bool { return !t.txnTS.IsEmpty() }

// TakeSnapshot takes the current statement's snapshot now if it has none
// (the first one is the transaction's under RepeatableRead and
// Serializable). The SQL layer calls it at the start of every query, so
// that even a query that reads nothing fixes the snapshot, as in
// PostgreSQL.
func (t *Txn) TakeSnapshot(ctx context.Context) error {
	if err := t.checkActive(); err != nil {
		return err
	}
	_, err := t.snapshot(ctx)
	return err
}

// IsolationLevel returns the transaction's isolation level.
func (t *Txn) IsolationLevel() IsolationLevel { return t.iso }

// ReadOnly reports whether writes are rejected.
func (t *Txn) ReadOnly() bool { return t.readOnly }

// SetReadOnly makes later writes fail with ReadOnlyError (SQLSTATE 25006)
// when readOnly is true.
func (t *Txn) SetReadOnly(readOnly bool) { t.readOnly = readOnly }

func (t *Txn) checkActive() error {
	if t.state != txnActive {
		return ErrTxnDone
	}
	return nil
}

// snapshot returns the current read timestamp, taking one if needed.
func (t *Txn) snapshot(ctx context.Context) (hlc.Timestamp, error) {
	if !t.readTS.IsEmpty() {
		return t.readTS, nil
	}
	var ts hlc.Timestamp
	var err error
	if t.txnTS.IsEmpty() {
		// The first snapshot is registered for the garbage collector.
		res := t.resources()
		ts, res.snapID, err = t.db.snaps.register(ctx, t.id[0])
	} else {
		ts, err = t.db.takeTimestamp(ctx)
	}
	if err != nil {
		return hlc.Timestamp{}, fmt.Errorf("kv: take snapshot: %w", err)
	}
	t.readTS = ts
	if t.txnTS.IsEmpty() {
		t.txnTS = t.readTS
	}
	return t.readTS, nil
}

// single extracts the only response of a one-request batch.
func single[R kvpb.Response](br *kvpb.BatchResponse) (R, bool) {
	var zero R
	if br == nil || len(br.Responses) != 1 {
		return zero, false
	}
	r, ok := br.Responses[0].(R)
	return r, ok
}

// sendOne sends req alone (kvpb.SendOne) and returns its response as R.
func sendOne[R kvpb.Response](ctx context.Context, s Sender, h kvpb.Header, req kvpb.Request) (R, error) {
	resp, err := kvpb.SendOne(ctx, s, h, req)
	if err != nil {
		var zero R
		return zero, err
	}
	r, ok := resp.(R)
	if !ok {
		return r, fmt.Errorf("kv: malformed response to %v: %T", req.Method(), resp)
	}
	return r, nil
}

// Step ends the current statement. Under ReadCommitted the next read or
// write takes a fresh snapshot; under RepeatableRead and Serializable it
// does nothing.
func (t *Txn) Step() {
	if t.iso == ReadCommitted {
		t.readTS = hlc.Timestamp{}
	}
}

// Get returns the value of key as seen by the transaction: its own buffered
// write if any, else the snapshot's.
func (t *Txn) Get(ctx context.Context, key []byte) (value []byte, found bool, err error) {
	if err := t.checkActive(); err != nil {
		return nil, false, err
	}
	if e, ok := t.buf.get(key); ok {
		if e.delete {
			return nil, false, nil
		}
		return slices.Clone(e.value), true, nil
	}
	ts, err := t.snapshot(ctx)
	if err != nil {
		return nil, false, err
	}
	resp, err := sendOne[*kvpb.GetResponse](ctx, t.sender, kvpb.Header{Timestamp: ts}, &kvpb.GetRequest{Key: key})
	if err != nil {
		return nil, false, fmt.Errorf("kv: get: %w", err)
	}
	if t.iso == Serializable {
		t.readSpans = append(t.readSpans, kvpb.PointSpan(slices.Clone(key)))
	}
	return resp.Value, resp.Found, nil
}

// Put buffers a write of value at key.
func (t *Txn) Put(ctx context.Context, key, value []byte) error {
	return t.write(ctx, key, value, false)
}

// Delete buffers a deletion of key. Deleting a missing key is not an error.
func (t *Txn) Delete(ctx context.Context, key []byte) error {
	return t.write(ctx, key, nil, true)
}

func (t *Txn) write(ctx context.Context, key, value []byte, del bool) error {
	if err := t.checkActive(); err != nil {
		return err
	}
	if t.readOnly {
		return ReadOnlyError{}
	}
	if key == nil {
		key = []byte{}
	}
	ts, err := t.snapshot(ctx)
	if err != nil {
		return err
	}
	t.buf.put(key, value, del, ts)
	return nil
}

// Commit applies the buffered writes atomically and durably. On a conflict
// it returns an error satisfying errors.Is(err, ErrSerializationFailure)
// and nothing is applied. Waiting for another transaction's locks on the
// written keys honours the lock timeout and ctx (LockNotAvailableError,
// DeadlockError). Either way the transaction is finished and its locks
// are released.
func (t *Txn) Commit(ctx context.Context) error {
	if err := t.checkActive(); err != nil {
		return err
	}
	t.state = txnCommitFailed // until proven otherwise
	err := t.commit(ctx)
	if ferr := t.finish(ctx); err == nil && ferr != nil {
		err = fmt.Errorf("kv: commit: releasing locks: %w", ferr)
	}
	if err != nil {
		return err
	}
	t.state = txnCommitted
	return nil
}

func (t *Txn) commit(ctx context.Context) error {
	if t.buf.len() == 0 {
		// Read-only: a snapshot read is serializable by itself (see
		// kv/localstore), so there is nothing to validate.
		return nil
	}
	req := &kvpb.CommitRequest{Mutations: make([]kvpb.Mutation, 0, t.buf.len())}
	for _, e := range t.buf.entries(nil, nil) {
		cts := e.conflictTS
		if l, ok := t.locked[string(e.key)]; ok && cts.Less(l.ts) {
			cts = l.ts
		}
		req.Mutations = append(req.Mutations, kvpb.Mutation{
			Key: e.key, Value: e.value, Delete: e.delete, ConflictTimestamp: cts,
		})
	}
	if t.iso == Serializable {
		req.ReadTimestamp = t.txnTS
		req.ReadSpans = t.readSpans
	}
	h := kvpb.Header{Txn: t.id, LockTimeout: t.lockTimeout}
	_, err := sendOne[*kvpb.CommitResponse](ctx, t.sender, h, req)
	if errors.Is(err, kvpb.ErrNeedsTwoPhase) {
		return t.commitTwoPhase(ctx, h, req)
	}
	if err != nil {
		return wrapCommitErr(err)
	}
	return nil
}

// wrapCommitErr keeps errors that carry a SQLSTATE intact (PostgreSQL's
// message) and wraps the others.
func wrapCommitErr(err error) error {
	var coded interface{ PGCode() string }
	if errors.As(err, &coded) {
		return err
	}
	return fmt.Errorf("kv: commit: %w", err)
}

// Rollback discards the buffered writes and finishes the transaction.
// Rolling back after a failed Commit returns nil; rolling back a committed
// or rolled-back transaction returns ErrTxnDone.
func (t *Txn) Rollback(ctx context.Context) error {
	if t.state == txnCommitFailed {
		t.state = txnAborted
		return nil
	}
	if err := t.checkActive(); err != nil {
		return err
	}
	t.state = txnAborted
	t.buf = writeBuffer{}
	t.readSpans = nil
	if err := t.finish(ctx); err != nil {
		return fmt.Errorf("kv: rollback: releasing locks: %w", err)
	}
	return nil
}

// SavepointToken identifies a savepoint of one transaction.
type SavepointToken struct {
	id          uint64
	undoLen     int
	lockUndoLen int
}

// Savepoint marks the current state of the write buffer and the locks.
func (t *Txn) Savepoint() SavepointToken {
	t.nextSPID++
	tok := SavepointToken{id: t.nextSPID, undoLen: len(t.buf.undo), lockUndoLen: len(t.lockUndo)}
	t.savepoints = append(t.savepoints, tok)
	t.buf.recordUndo = true
	return tok
}

func (t *Txn) findSavepoint(tok SavepointToken) (int, error) {
	if err := t.checkActive(); err != nil {
		return 0, err
	}
	for i, s := range t.savepoints {
		if s == tok {
			return i, nil
		}
	}
	return 0, ErrInvalidSavepoint
}

// RollbackTo undoes every write made after the savepoint was taken and
// releases the locks taken after it (locks strengthened after it go back
// to their earlier strength). The savepoint stays valid; savepoints taken
// after it are destroyed (as in PostgreSQL's ROLLBACK TO SAVEPOINT).
// Reads are not undone: under Serializable they stay in the validated
// read set.
func (t *Txn) RollbackTo(ctx context.Context, tok SavepointToken) error {
	i, err := t.findSavepoint(tok)
	if err != nil {
		return err
	}
	t.buf.rollbackTo(tok.undoLen)
	t.savepoints = t.savepoints[:i+1]
	return t.undoLocks(ctx, tok.lockUndoLen)
}

// ReleaseSavepoint destroys the savepoint and every savepoint taken after
// it, keeping their writes (RELEASE SAVEPOINT).
func (t *Txn) ReleaseSavepoint(tok SavepointToken) error {
	i, err := t.findSavepoint(tok)
	if err != nil {
		return err
	}
	t.savepoints = t.savepoints[:i]
	if len(t.savepoints) == 0 {
		t.buf.undo = nil
		t.buf.recordUndo = false
		t.lockUndo = nil
	}
	return nil
}
