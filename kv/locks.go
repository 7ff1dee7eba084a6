package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aegisdb/aegis/internal/hlc"
	"github.com/aegisdb/aegis/kv/kvpb"
)

// LockMode is the strength of a row lock (see kvpb.LockMode).
type LockMode = kvpb.LockMode

// Lock modes, PostgreSQL's row-lock strengths (see kvpb.LockMode):
// SELECT ... FOR KEY SHARE, FOR SHARE, FOR NO KEY UPDATE, FOR UPDATE.
const (
	LockKeyShare    = kvpb.LockKeyShare
	LockShare       = kvpb.LockShare
	LockNoKeyUpdate = kvpb.LockNoKeyUpdate
	LockUpdate      = kvpb.LockUpdate
)

// WaitPolicy says what LockKeys does with a key locked by another
// transaction (see kvpb.WaitPolicy).
type WaitPolicy = kvpb.WaitPolicy

// Wait policies: wait (the default), NOWAIT, SKIP LOCKED.
const (
	WaitBlock      = kvpb.WaitBlock
	WaitNoWait     = kvpb.WaitNoWait
	WaitSkipLocked = kvpb.WaitSkipLocked
)

// LockNotAvailableError (SQLSTATE 55P03) is returned when a lock could
// not be taken under NOWAIT, or the lock timeout expired.
type LockNotAvailableError = kvpb.LockNotAvailableError

// DeadlockError (SQLSTATE 40P01) is returned to the deadlock victim.
type DeadlockError = kvpb.DeadlockError

// ErrLockNotAvailable and ErrDeadlock match the errors above with
// errors.Is.
var (
	ErrLockNotAvailable = kvpb.ErrLockNotAvailable
	ErrDeadlock         = kvpb.ErrDeadlock
)

func bytesCompare(a, b []byte) int { return bytes.Compare(a, b) }

// LockKeys locks keys for the rest of the transaction (SELECT ... FOR
// UPDATE / FOR SHARE) and returns the keys it locked, ascending: all of
// them, except under WaitSkipLocked, which leaves out keys locked by
// other transactions. The result is owned by the caller.
//
// Waiting for a lock ends with a LockNotAvailableError (55P03) under
// WaitNoWait or when the lock timeout (SetLockTimeout) expires, with a
// DeadlockError (40P01) if the wait would close a cycle of transactions
// waiting for each other, or with ctx's error (statement_timeout,
// cancellation). After any error the transaction should be rolled back.
//
// After locking, keys cannot change until the transaction ends, and:
//
//   - under ReadCommitted, LockKeys takes a fresh statement snapshot, so
//     that re-reading the locked keys returns their newest committed
//     versions (PostgreSQL re-checks a locked row's latest version this
//     way), and later writes of them do not conflict;
//   - under RepeatableRead and Serializable, a locked key changed since
//     the transaction's snapshot fails with a serialization failure
//     (40001), as in PostgreSQL.
//
// Locks live in memory on the node and are released by Commit and
// Rollback, or when the Txn is garbage-collected without either.
func (t *Txn) LockKeys(ctx context.Context, keys [][]byte, mode LockMode, wait WaitPolicy) (locked [][]byte, err error) {
	return t.lockKeys(ctx, keys, mode, wait, false)
}

// LockForInsert locks keys the transaction is about to write without
// depending on their current values: an INSERT's primary key and the
// keys of its unique-index entries. It waits for other holders (bounded
// like LockKeys: lock timeout, deadlock detection, ctx), so an insert
// that collides with an uncommitted insert of the same key waits for
// that transaction's outcome, as PostgreSQL's does.
//
// Unlike LockKeys it never fails because a key changed since the
// snapshot, at any isolation level, and it does not move the statement
// snapshot. Afterwards GetLatest returns each key's newest committed
// version (which cannot change while the lock is held), and a write of
// the key does not conflict with versions committed before the lock:
// PostgreSQL checks uniqueness against the latest committed row, not the
// snapshot, so a duplicate is 23505 at every level.
func (t *Txn) LockForInsert(ctx context.Context, keys [][]byte) error {
	_, err := t.lockKeys(ctx, keys, LockUpdate, WaitBlock, true)
	return err
}

// LockLatest locks keys in mode like LockForInsert (waiting, never
// failing because a key changed since the snapshot), so that GetLatest
// then reads their newest committed versions: a foreign-key check locks
// the referenced row FOR KEY SHARE this way.
func (t *Txn) LockLatest(ctx context.Context, keys [][]byte, mode LockMode) error {
	_, err := t.lockKeys(ctx, keys, mode, WaitBlock, true)
	return err
}

// GetLatest reads key like Get, except that for a key locked by
// LockForInsert (or by LockKeys under ReadCommitted) it returns the
// newest version committed before the lock was taken, which is the
// newest there is while the lock is held. The transaction's own buffered
// write comes first, as in Get. A latest read does not join a
// Serializable read set: the lock, not the snapshot, protects it.
func (t *Txn) GetLatest(ctx context.Context, key []byte) (value []byte, found bool, err error) {
	if err := t.checkActive(); err != nil {
		return nil, false, err
	}
	lts := t.locked[string(key)].ts
	if lts.IsEmpty() {
		return t.Get(ctx, key)
	}
	if e, ok := t.buf.get(key); ok {
		if e.delete {
			return nil, false, nil
		}
		return slices.Clone(e.value), true, nil
	}
	resp, err := sendOne[*kvpb.GetResponse](ctx, t.sender, kvpb.Header{Timestamp: lts}, &kvpb.GetRequest{Key: key})
	if err != nil {
		return nil, false, fmt.Errorf("kv: get: %w", err)
	}
	return resp.Value, resp.Found, nil
}

func (t *Txn) lockKeys(ctx context.Context, keys [][]byte, mode LockMode, wait WaitPolicy, forInsert bool) (locked [][]byte, err error) {
	if err := t.checkActive(); err != nil {
		return nil, err
	}
	if t.readOnly {
		return nil, ReadOnlyError{}
	}
	if _, err := t.snapshot(ctx); err != nil {
		return nil, err
	}
	sorted := make([][]byte, len(keys))
	for i, k := range keys {
		sorted[i] = slices.Clone(k)
		if sorted[i] == nil {
			sorted[i] = []byte{}
		}
	}
	slices.SortFunc(sorted, bytesCompare)
	sorted = slices.CompactFunc(sorted, bytes.Equal)
	if len(sorted) == 0 {
		return nil, nil
	}
	req := &kvpb.LockRequest{Keys: sorted, Mode: mode}
	if t.iso != ReadCommitted && !forInsert {
		req.ConflictTimestamp = t.txnTS
	}
	res := t.resources()
	// Remember the keys before sending: a wait that fails part-way may
	// leave some locked (or strengthened), and they must be released at
	// the end (or by ROLLBACK TO SAVEPOINT).
	if t.locked == nil {
		t.locked = make(map[string]heldLock, len(sorted))
	}
	for _, k := range sorted {
		prev, had := t.locked[string(k)]
		if had && prev.mode >= mode {
			continue
		}
		if len(t.savepoints) > 0 {
			t.lockUndo = append(t.lockUndo, lockUndo{key: k, prev: prev})
		}
		if !had {
			res.locked = append(res.locked, k)
		}
		t.locked[string(k)] = heldLock{ts: prev.ts, mode: mode}
	}
	resp, err := sendOne[*kvpb.LockResponse](ctx, t.sender,
		kvpb.Header{Txn: t.id, WaitPolicy: wait, LockTimeout: t.lockTimeout}, req)
	if err != nil {
		var coded interface{ PGCode() string }
		if errors.As(err, &coded) {
			return nil, err
		}
		return nil, fmt.Errorf("kv: lock: %w", err)
	}
	if forInsert && len(resp.Locked) > 0 {
		// A timestamp taken after locking sees every version committed
		// before the lock; nobody else can commit one until we finish.
		ts, err := t.db.takeTimestamp(ctx)
		if err != nil {
			return nil, fmt.Errorf("kv: lock: %w", err)
		}
		for _, k := range resp.Locked {
			if l := t.locked[string(k)]; l.ts.Less(ts) {
				l.ts = ts
				t.locked[string(k)] = l
			}
		}
		return resp.Locked, nil
	}
	if t.iso == ReadCommitted && len(resp.Locked) > 0 {
		t.readTS = hlc.Timestamp{}
		ts, err := t.snapshot(ctx)
		if err != nil {
			return nil, err
		}
		for _, k := range resp.Locked {
			l := t.locked[string(k)]
			l.ts = ts
			t.locked[string(k)] = l
		}
	}
	return resp.Locked, nil
}

// heldLock is what the transaction knows of one of its locks.
type heldLock struct {
	ts   hlc.Timestamp // see Txn.locked; zero if none
	mode LockMode      // zero: not locked
}

// lockUndo restores one key's lock to its state before a lock request.
type lockUndo struct {
	key  []byte
	prev heldLock // mode zero: the key was not locked
}

// undoLocks undoes the lock changes recorded after position n of
// t.lockUndo: keys locked since are released, keys strengthened since go
// back to their earlier mode.
func (t *Txn) undoLocks(ctx context.Context, n int) error {
	if n >= len(t.lockUndo) {
		return nil
	}
	// The oldest record of a key has its state at the savepoint.
	restore := map[string]heldLock{}
	var order [][]byte
	for i := len(t.lockUndo) - 1; i >= n; i-- {
		u := t.lockUndo[i]
		if _, seen := restore[string(u.key)]; !seen {
			order = append(order, u.key)
		}
		restore[string(u.key)] = u.prev
	}
	t.lockUndo = t.lockUndo[:n]
	byMode := map[LockMode][][]byte{}
	for _, k := range order {
		prev := restore[string(k)]
		if prev.mode == 0 {
			delete(t.locked, string(k))
		} else {
			t.locked[string(k)] = prev
		}
		byMode[prev.mode] = append(byMode[prev.mode], k)
	}
	for mode := LockMode(0); mode <= LockUpdate; mode++ {
		keys := byMode[mode]
		if len(keys) == 0 {
			continue
		}
		slices.SortFunc(keys, bytesCompare)
		if _, err := kvpb.SendOne(context.WithoutCancel(ctx), t.sender, kvpb.Header{Txn: t.id},
			&kvpb.ReleaseLocksRequest{Keys: keys, Mode: mode}); err != nil {
			return fmt.Errorf("kv: rollback to savepoint: releasing locks: %w", err)
		}
	}
	return nil
}

// commitTwoPhase commits mutations that span several ranges (see the
// kvpb package doc): prewrite intents and locks everywhere, take a commit
// timestamp, validate reads (Serializable), write the commit record next
// to the primary key (the commit point), resolve the intents, then close
// the commit timestamp and release the locks.
func (t *Txn) commitTwoPhase(ctx context.Context, h kvpb.Header, req *kvpb.CommitRequest) error {
	keys := make([][]byte, len(req.Mutations))
	for i := range req.Mutations {
		keys[i] = req.Mutations[i].Key
	}
	primary := keys[0]
	// Cleanup must happen even if ctx is canceled.
	bg := context.WithoutCancel(ctx)
	send := func(ctx context.Context, r kvpb.Request) (kvpb.Response, error) {
		return kvpb.SendOne(ctx, t.sender, h, r)
	}
	release := func() {
		_, _ = send(bg, &kvpb.ReleaseLocksRequest{Keys: keys})
	}
	abort := func(cause error) error {
		_, rerr := send(bg, &kvpb.ResolveRequest{Keys: keys})
		release()
		if rerr != nil {
			return errors.Join(wrapCommitErr(cause), fmt.Errorf("kv: abort: %w", rerr))
		}
		return wrapCommitErr(cause)
	}

	if _, err := send(ctx, &kvpb.PrewriteRequest{Primary: primary, Mutations: req.Mutations}); err != nil {
		return abort(err)
	}
	resp, err := send(ctx, &kvpb.BeginCommitRequest{})
	if err != nil {
		return abort(err)
	}
	bc, ok := resp.(*kvpb.BeginCommitResponse)
	if !ok {
		return abort(errors.New("malformed begin-commit response"))
	}
	commitTS := bc.CommitTimestamp
	finished := false
	finishTS := func() {
		if !finished {
			finished = true
			_, _ = send(bg, &kvpb.FinishCommitRequest{CommitTimestamp: commitTS})
		}
	}
	defer finishTS()
	if len(req.ReadSpans) > 0 {
		if _, err := send(ctx, &kvpb.ValidateRequest{
			ReadTimestamp: req.ReadTimestamp, CommitTimestamp: commitTS, Spans: req.ReadSpans,
		}); err != nil {
			finishTS()
			return abort(err)
		}
	}
	// The commit point. If it fails, whether the record is durable is
	// unknown; the store has failed and a restart decides.
	if _, err := send(bg, &kvpb.EndTxnRequest{Primary: primary, CommitTimestamp: commitTS}); err != nil {
		return fmt.Errorf("kv: commit: %w", err)
	}
	// Committed. Failures from here on fail the store (see
	// kv/localstore), whose restart finishes the resolution from the
	// durable record; the transaction's outcome is already decided.
	if _, err := send(bg, &kvpb.ResolveRequest{Keys: keys, Commit: true, CommitTimestamp: commitTS}); err != nil {
		return nil
	}
	_, _ = send(bg, &kvpb.ClearTxnRecordRequest{Primary: primary})
	finishTS()
	release()
	return nil
}
