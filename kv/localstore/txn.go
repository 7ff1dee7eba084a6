package localstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/aegisdb/aegis/internal/hlc"
	"github.com/aegisdb/aegis/kv/concurrency"
	"github.com/aegisdb/aegis/kv/kvpb"
	"github.com/aegisdb/aegis/kv/mvcc"
	"github.com/aegisdb/aegis/kv/storage"
)

func checkAscending(muts []kvpb.Mutation) error {
	for i := 1; i < len(muts); i++ {
		if bytes.Compare(muts[i-1].Key, muts[i].Key) >= 0 {
			return errors.New("localstore: mutations not in strictly ascending key order")
		}
	}
	return nil
}

// writeLockOptions are the options of the locks a commit or prewrite
// takes on its mutations' keys: LockNoKeyUpdate for a write, LockUpdate
// for a deletion (see kvpb.LockMode). They always wait (bounded by the
// lock timeout).
func writeLockOptions(h *kvpb.Header, muts []kvpb.Mutation) (concurrency.AcquireOptions, error) {
	if h.WaitPolicy != kvpb.WaitBlock {
		return concurrency.AcquireOptions{}, fmt.Errorf("localstore: writes cannot use wait policy %v", h.WaitPolicy)
	}
	opts := concurrency.AcquireOptions{Mode: kvpb.LockNoKeyUpdate, Policy: kvpb.WaitBlock, Timeout: h.LockTimeout}
	for i, m := range muts {
		if m.Delete {
			if opts.Modes == nil {
				opts.Modes = make([]kvpb.LockMode, len(muts))
				for j := range opts.Modes {
					opts.Modes[j] = kvpb.LockNoKeyUpdate
				}
			}
			opts.Modes[i] = kvpb.LockUpdate
		}
	}
	return opts, nil
}

func commitBatch(b *storage.Batch, sync bool) (err error) {
	defer func() {
		if cerr := b.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if b.Count() == 0 {
		return nil
	}
	return b.Commit(sync)
}

// commit is the one-phase commit (see the package doc).
func (s *Store) commit(ctx context.Context, h *kvpb.Header, rep *replica, r *kvpb.CommitRequest) (*kvpb.CommitResponse, error) {
	if err := checkAscending(r.Mutations); err != nil {
		return nil, err
	}
	if len(r.Mutations) == 0 {
		// Nothing to write. A read-only SERIALIZABLE transaction read a
		// consistent snapshot, which is always serializable.
		return &kvpb.CommitResponse{}, nil
	}
	txn := h.Txn
	if txn.IsEmpty() {
		txn = kvpb.NewTxnID()
	}
	keys := mutationKeys(r.Mutations)
	// 1. Lock the written keys (waiting for other holders).
	opts, err := writeLockOptions(h, r.Mutations)
	if err != nil {
		return nil, err
	}
	if _, err := s.locks.Acquire(ctx, txn, keys, opts); err != nil {
		return nil, err
	}
	defer s.locks.Release(txn, keys)

	// 2. Write-write conflicts.
	if err := s.checkWriteConflicts(ctx, r.Mutations); err != nil {
		return nil, err
	}

	// 3. Commit timestamp. finish runs before the locks are released, so
	// the next holder of a key reads this commit's version.
	p, err := s.tracker.beginCommit()
	if err != nil {
		return nil, err
	}
	defer s.tracker.finish(p)

	// 4. Read-set validation.
	if len(r.ReadSpans) > 0 {
		if err := s.tracker.waitForEarlier(ctx, p.ts); err != nil {
			return nil, err
		}
		if err := s.validateSpans(ctx, r.ReadSpans, r.ReadTimestamp, p.ts); err != nil {
			return nil, err
		}
	}

	// 5. Apply durably.
	b := s.eng.NewBatch()
	var n int64
	for _, m := range r.Mutations {
		var err error
		if m.Delete {
			err = mvcc.Delete(b, m.Key, p.ts)
		} else {
			err = mvcc.Put(b, m.Key, p.ts, m.Value)
		}
		if err != nil {
			_ = b.Close()
			return nil, fmt.Errorf("localstore: commit: %w", err)
		}
		n += int64(len(m.Key) + len(m.Value) + 2*hlc.EncodedLen)
	}
	if err := commitBatch(b, true); err != nil {
		// The outcome is unknown (the WAL may hold the batch): fail the
		// store so that a restart decides from the durable state.
		return nil, s.fail(fmt.Errorf("commit: %w", err))
	}
	for _, m := range r.Mutations { // still under the keys' locks
		s.wts.note(m.Key, p.ts)
	}
	s.noteWritten(rep, n)
	return &kvpb.CommitResponse{CommitTimestamp: p.ts}, nil
}

func (s *Store) lock(ctx context.Context, h *kvpb.Header, r *kvpb.LockRequest) (_ *kvpb.LockResponse, err error) {
	for i := 1; i < len(r.Keys); i++ {
		if bytes.Compare(r.Keys[i-1], r.Keys[i]) >= 0 {
			return nil, errors.New("localstore: lock keys not in strictly ascending order")
		}
	}
	locked, err := s.locks.Acquire(ctx, h.Txn, r.Keys, concurrency.AcquireOptions{
		Mode: r.Mode, Policy: h.WaitPolicy, Timeout: h.LockTimeout,
	})
	if err != nil {
		return nil, err
	}
	if !r.ConflictTimestamp.IsEmpty() {
		c, err := mvcc.NewChecker(ctx, s.eng)
		if err != nil {
			return nil, fmt.Errorf("localstore: lock: %w", err)
		}
		defer func() {
			if cerr := c.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}()
		for _, k := range locked {
			ts, found, err := c.NewestVersion(k)
			if err != nil {
				return nil, fmt.Errorf("localstore: lock: %w", err)
			}
			if found && r.ConflictTimestamp.Less(ts) {
				return nil, &kvpb.TransactionRetryError{Reason: kvpb.RetryWriteConflict, Key: bytes.Clone(k), Timestamp: ts}
			}
		}
	}
	return &kvpb.LockResponse{Locked: locked}, nil
}

// prewrite locks the keys, checks write conflicts and durably writes the
// intents. On error nothing is written; locks taken stay until the
// transaction's ReleaseLocksRequest.
func (s *Store) prewrite(ctx context.Context, h *kvpb.Header, rep *replica, r *kvpb.PrewriteRequest) (*kvpb.PrewriteResponse, error) {
	if h.Txn.IsEmpty() || r.Primary == nil {
		return nil, errors.New("localstore: prewrite needs a transaction and a primary key")
	}
	if err := checkAscending(r.Mutations); err != nil {
		return nil, err
	}
	opts, err := writeLockOptions(h, r.Mutations)
	if err != nil {
		return nil, err
	}
	if _, err := s.locks.Acquire(ctx, h.Txn, mutationKeys(r.Mutations), opts); err != nil {
		return nil, err
	}
	if err := s.checkWriteConflicts(ctx, r.Mutations); err != nil {
		return nil, err
	}
	b := s.eng.NewBatch()
	var n int64
	for _, m := range r.Mutations {
		in := mvcc.Intent{Key: m.Key, Txn: h.Txn, Primary: r.Primary, Value: m.Value, Delete: m.Delete}
		if err := mvcc.PutIntent(b, in); err != nil {
			_ = b.Close()
			return nil, fmt.Errorf("localstore: prewrite: %w", err)
		}
		n += int64(len(m.Key) + len(m.Value))
	}
	if err := commitBatch(b, true); err != nil {
		return nil, fmt.Errorf("localstore: prewrite: %w", err)
	}
	s.noteWritten(rep, n)
	return &kvpb.PrewriteResponse{}, nil
}

func (s *Store) validate(ctx context.Context, r *kvpb.ValidateRequest) (*kvpb.ValidateResponse, error) {
	if err := s.tracker.waitForEarlier(ctx, r.CommitTimestamp); err != nil {
		return nil, err
	}
	if err := s.validateSpans(ctx, r.Spans, r.ReadTimestamp, r.CommitTimestamp); err != nil {
		return nil, err
	}
	return &kvpb.ValidateResponse{}, nil
}

// endTxn writes the commit record: the commit point of a two-phase commit.
func (s *Store) endTxn(h *kvpb.Header, r *kvpb.EndTxnRequest) (*kvpb.EndTxnResponse, error) {
	if h.Txn.IsEmpty() || r.CommitTimestamp.IsEmpty() {
		return nil, errors.New("localstore: end transaction needs a transaction and a commit timestamp")
	}
	b := s.eng.NewBatch()
	if err := mvcc.PutCommittedRecord(b, r.Primary, h.Txn, r.CommitTimestamp); err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("localstore: end transaction: %w", err)
	}
	if err := commitBatch(b, true); err != nil {
		// The record may or may not be durable: only a restart can tell.
		return nil, s.fail(fmt.Errorf("end transaction: %w", err))
	}
	return &kvpb.EndTxnResponse{}, nil
}

// resolve commits or aborts the transaction's intents on r.Keys. The batch
// is not synced: if a crash loses it, the durable commit record makes
// recoverIntents redo it. The record is deleted only after every intent is
// resolved, and on one engine the WAL keeps that order, so a record is
// never lost while an intent it decides survives.
//
// TODO(cluster): with ranges on several engines, ClearTxnRecord must wait
// until the resolutions are durable on every range.
func (s *Store) resolve(ctx context.Context, h *kvpb.Header, rep *replica, r *kvpb.ResolveRequest) (*kvpb.ResolveResponse, error) {
	if r.Commit && r.CommitTimestamp.IsEmpty() {
		return nil, errors.New("localstore: resolve commit without a commit timestamp")
	}
	b := s.eng.NewBatch()
	var n int64
	for _, k := range r.Keys {
		in, found, err := mvcc.GetIntent(ctx, s.eng, k)
		if err != nil {
			_ = b.Close()
			return nil, s.failIf(r.Commit, fmt.Errorf("resolve: %w", err))
		}
		if !found || in.Txn != h.Txn {
			continue
		}
		if err := mvcc.ResolveIntent(b, in, r.Commit, r.CommitTimestamp); err != nil {
			_ = b.Close()
			return nil, s.failIf(r.Commit, fmt.Errorf("resolve: %w", err))
		}
		if r.Commit {
			// Noted before the version is written: a conflict check that
			// sees the note early only fails sooner, never misses it.
			s.wts.note(in.Key, r.CommitTimestamp)
		}
		n += int64(len(in.Key) + len(in.Value))
	}
	if err := commitBatch(b, false); err != nil {
		return nil, s.failIf(r.Commit, fmt.Errorf("resolve: %w", err))
	}
	if r.Commit {
		s.noteWritten(rep, n)
	}
	return &kvpb.ResolveResponse{}, nil
}

// failIf fails the store for an error after a commit point (a committed
// transaction whose versions cannot be written must not become visible
// half-applied); other errors are just returned.
func (s *Store) failIf(committed bool, err error) error {
	if committed {
		return s.fail(err)
	}
	return fmt.Errorf("localstore: %w", err)
}

func (s *Store) clearTxnRecord(h *kvpb.Header, r *kvpb.ClearTxnRecordRequest) (*kvpb.ClearTxnRecordResponse, error) {
	b := s.eng.NewBatch()
	if err := mvcc.DeleteTxnRecord(b, r.Primary, h.Txn); err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("localstore: clear transaction record: %w", err)
	}
	if err := commitBatch(b, false); err != nil {
		return nil, fmt.Errorf("localstore: clear transaction record: %w", err)
	}
	return &kvpb.ClearTxnRecordResponse{}, nil
}

// recoverIntents resolves the intents left by two-phase commits that a
// crash interrupted: an intent whose transaction has a commit record
// becomes a version at the recorded commit timestamp, any other intent is
// dropped (its transaction never reached the commit point, and its client
// is gone). Then every transaction record is deleted. It runs before the
// store serves requests, in one synced batch.
func (s *Store) recoverIntents(ctx context.Context) (err error) {
	type recKey struct {
		primary string
		txn     [mvcc.TxnIDLen]byte
	}
	type rec struct {
		ts        hlc.Timestamp
		committed bool
	}
	records := map[recKey]rec{}
	b := s.eng.NewBatch()
	var committed, aborted int
	err = mvcc.ScanIntents(ctx, s.eng, nil, nil, func(in mvcc.Intent) error {
		k := recKey{string(in.Primary), in.Txn}
		rc, ok := records[k]
		if !ok {
			ts, found, err := mvcc.GetTxnRecord(ctx, s.eng, in.Primary, in.Txn)
			if err != nil {
				return err
			}
			rc = rec{ts: ts, committed: found}
			records[k] = rc
		}
		if rc.committed {
			committed++
		} else {
			aborted++
		}
		return mvcc.ResolveIntent(b, in, rc.committed, rc.ts)
	})
	if err != nil {
		_ = b.Close()
		return err
	}
	lower, upper := mvcc.TxnRecordSpan()
	it, err := s.eng.NewIterator(ctx, lower, upper)
	if err != nil {
		_ = b.Close()
		return err
	}
	for valid := it.SeekGE(lower); valid; valid = it.Next() {
		if err := b.Delete(bytes.Clone(it.Key())); err != nil {
			_ = it.Close()
			_ = b.Close()
			return err
		}
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		_ = b.Close()
		return err
	}
	if committed+aborted > 0 {
		s.opts.Logger.Info("resolved intents of interrupted transactions", "committed", committed, "aborted", aborted)
	}
	return commitBatch(b, true)
}
