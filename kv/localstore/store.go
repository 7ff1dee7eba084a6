package localstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/aegisdb/aegis/internal/hlc"
	"github.com/aegisdb/aegis/kv/concurrency"
	"github.com/aegisdb/aegis/kv/kvpb"
	"github.com/aegisdb/aegis/kv/mvcc"
	"github.com/aegisdb/aegis/kv/storage"
)

// ErrClosed is returned by Send after Close.
var ErrClosed = errors.New("localstore: store is closed")

var ceilingKey = mvcc.LocalKey("ts-ceiling")

// DefaultMaxRangeBytes is the size above which a range is split.
const DefaultMaxRangeBytes = 64 << 20

// Store serves kvpb batches from one engine. It is safe for concurrent use.
type Store struct {
	eng     *storage.Engine
	opts    Options
	tracker *tracker
	locks   *concurrency.LockTable
	// wts shortcuts write-write conflict checks (see writeTSCache).
	wts *writeTSCache

	mu struct {
		sync.RWMutex
		// ranges are ordered by start key and partition the key space.
		ranges []*replica
		byID   map[kvpb.RangeID]*replica
		nextID kvpb.RangeID
	}
	// splitMu serializes splits (descriptor changes).
	splitMu sync.Mutex
	splits  atomic.Int64

	// The split queue goroutine is owned by the store: Close closes
	// stopQueue and waits for queueDone.
	splitKick chan struct{}
	stopQueue chan struct{}
	queueDone chan struct{}

	// failed is set when an engine write failed after a commit point:
	// the store can no longer guarantee what readers see, so it refuses
	// every request until a restart recovers from the durable state.
	failed atomic.Pointer[error]

	// closeMu is held shared by every Send and exclusively by Close, so
	// Close waits for running requests and no request starts after it.
	closeMu sync.RWMutex
	closed  bool
}

// Options configures a Store. The zero value is valid.
type Options struct {
	// PhysicalClock returns wall time in nanoseconds; nil means time.Now.
	// Tests inject a manual clock.
	PhysicalClock func() int64
	// MaxRangeBytes is the size of MVCC data above which a range is
	// split in two; 0 means DefaultMaxRangeBytes.
	MaxRangeBytes int64
	// SplitBoundary, if set, returns the span [start, end) of the table
	// (or other unit) that key belongs to; a range holding a key written
	// by a commit is split at those bounds, so that no range holds data of
	// two tables. ok=false means key has no such unit. A nil end means
	// the end of the key space.
	SplitBoundary func(key []byte) (start, end []byte, ok bool)
	// Logger receives background errors; nil means slog.Default().
	Logger *slog.Logger
}

// EnsureDefaults fills in zero fields.
func (o *Options) EnsureDefaults() {
	if o.MaxRangeBytes <= 0 {
		o.MaxRangeBytes = DefaultMaxRangeBytes
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// New returns a store over eng. It restores the timestamp oracle from the
// ceiling persisted in eng, loads the range descriptors (creating the
// first range on a fresh engine) and resolves the intents of two-phase
// commits interrupted by a crash, before serving anything. The store does
// not own eng: close the store, then the engine.
func New(eng *storage.Engine, opts Options) (*Store, error) {
	opts.EnsureDefaults()
	var ceiling int64
	v, found, err := eng.Get(ceilingKey)
	if err != nil {
		return nil, fmt.Errorf("localstore: read timestamp ceiling: %w", err)
	}
	if found {
		if ceiling, err = decodeCeiling(v); err != nil {
			return nil, err
		}
	}
	s := &Store{
		eng: eng, opts: opts, locks: concurrency.NewLockTable(),
		splitKick: make(chan struct{}, 1), stopQueue: make(chan struct{}), queueDone: make(chan struct{}),
	}
	s.tracker = newTracker(hlc.NewClock(opts.PhysicalClock), ceiling, s.persistCeiling)
	ctx := context.Background()
	if err := s.loadRanges(ctx); err != nil {
		return nil, fmt.Errorf("localstore: load ranges: %w", err)
	}
	if err := s.recoverIntents(ctx); err != nil {
		return nil, fmt.Errorf("localstore: recover intents: %w", err)
	}
	// Every version on disk is older than a timestamp taken now.
	floor, err := s.tracker.readTimestamp()
	if err != nil {
		return nil, err
	}
	s.wts = newWriteTSCache(floor, 1<<16)
	go s.splitQueue(s.stopQueue)
	s.splitKick <- struct{}{}
	return s, nil
}

func (s *Store) persistCeiling(wall int64) (err error) {
	b := s.eng.NewBatch()
	defer func() {
		if cerr := b.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err := b.Set(ceilingKey, encodeCeiling(wall)); err != nil {
		return err
	}
	return b.Commit(true)
}

// Close stops the split queue, waits for running requests and makes later
// ones fail with ErrClosed. It does not close the engine.
func (s *Store) Close() error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	close(s.stopQueue)
	<-s.queueDone
	return nil
}

// Locks returns the store's lock table (for tests and status).
func (s *Store) Locks() *concurrency.LockTable { return s.locks }

// Splits returns how many splits the store has performed since it opened.
func (s *Store) Splits() int64 { return s.splits.Load() }

func (s *Store) fail(err error) error {
	err = fmt.Errorf("localstore: store failed, restart required: %w", err)
	s.failed.CompareAndSwap(nil, &err)
	return err
}

// Send executes the requests of ba in order. If one fails, Send returns its
// error and no response; a failed CommitRequest has applied nothing.
//
// Data requests must be addressed to a range (Header.RangeID) that holds
// their keys, else they fail with *kvpb.RangeKeyMismatchError;
// kv/distsender does the addressing. Oracle requests (Timestamp,
// BeginCommit, FinishCommit, RangeLookup) are unaddressed.
func (s *Store) Send(ctx context.Context, ba *kvpb.BatchRequest) (*kvpb.BatchResponse, error) {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if err := s.usable(); err != nil {
		return nil, err
	}
	br := &kvpb.BatchResponse{Responses: make([]kvpb.Response, 0, len(ba.Requests))}
	var splitKeys [][]byte
	for _, req := range ba.Requests {
		resp, written, err := s.send1(ctx, &ba.Header, req)
		if err != nil {
			return nil, err
		}
		splitKeys = append(splitKeys, written...)
		br.Responses = append(br.Responses, resp)
	}
	s.splitAtBoundaries(splitKeys)
	return br, nil
}

// SendOne implements kvpb.OneSender: Send of a batch of one request.
func (s *Store) SendOne(ctx context.Context, h kvpb.Header, req kvpb.Request) (kvpb.Response, error) {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if err := s.usable(); err != nil {
		return nil, err
	}
	resp, written, err := s.send1(ctx, &h, req)
	if err != nil {
		return nil, err
	}
	s.splitAtBoundaries(written)
	return resp, nil
}

// usable returns why the store cannot serve requests, if it cannot.
// closeMu is held.
func (s *Store) usable() error {
	if s.closed {
		return ErrClosed
	}
	if f := s.failed.Load(); f != nil {
		return *f
	}
	return nil
}

// splitAtBoundaries splits the ranges of written keys at table
// boundaries.
func (s *Store) splitAtBoundaries(written [][]byte) {
	if len(written) == 0 {
		return
	}
	if err := s.maybeSplitAtBoundaries(written); err != nil {
		// The writes are committed; a failed split is retried by the
		// next write to the table.
		s.opts.Logger.Warn("table-boundary split failed", "err", err)
	}
}

// send1 executes one request. written lists the keys a commit wrote (for
// table-boundary splits).
func (s *Store) send1(ctx context.Context, h *kvpb.Header, req kvpb.Request) (_ kvpb.Response, written [][]byte, err error) {
	switch r := req.(type) {
	case *kvpb.TimestampRequest:
		ts, err := s.tracker.readTimestamp()
		return &kvpb.TimestampResponse{Timestamp: ts}, nil, err
	case *kvpb.BeginCommitRequest:
		p, err := s.tracker.beginCommit()
		if err != nil {
			return nil, nil, err
		}
		return &kvpb.BeginCommitResponse{CommitTimestamp: p.ts}, nil, nil
	case *kvpb.FinishCommitRequest:
		s.tracker.finishTimestamp(r.CommitTimestamp)
		return &kvpb.FinishCommitResponse{}, nil, nil
	case *kvpb.RangeLookupRequest:
		return &kvpb.RangeLookupResponse{Descriptor: *s.replicaForKey(r.Key).desc.Load()}, nil, nil
	case *kvpb.ReleaseLocksRequest:
		// Locks are store-wide; no range check needed.
		if r.Mode == 0 {
			s.locks.Release(h.Txn, r.Keys)
		} else {
			s.locks.Downgrade(h.Txn, r.Keys, r.Mode)
		}
		return &kvpb.ReleaseLocksResponse{}, nil, nil
	}
	rep, err := s.replica(h.RangeID)
	if err != nil {
		return nil, nil, err
	}
	desc := rep.desc.Load()
	if err := s.checkBounds(desc, req); err != nil {
		return nil, nil, err
	}
	switch r := req.(type) {
	case *kvpb.GetRequest:
		resp, err := s.get(ctx, *h, r)
		return resp, nil, err
	case *kvpb.ScanRequest:
		resp, err := s.scan(ctx, *h, r)
		return resp, nil, err
	case *kvpb.CommitRequest:
		resp, err := s.commit(ctx, h, rep, r)
		if err != nil {
			return nil, nil, err
		}
		return resp, mutationKeys(r.Mutations), nil
	case *kvpb.LockRequest:
		resp, err := s.lock(ctx, h, r)
		return resp, nil, err
	case *kvpb.PrewriteRequest:
		resp, err := s.prewrite(ctx, h, rep, r)
		return resp, nil, err
	case *kvpb.ValidateRequest:
		resp, err := s.validate(ctx, r)
		return resp, nil, err
	case *kvpb.EndTxnRequest:
		resp, err := s.endTxn(h, r)
		return resp, nil, err
	case *kvpb.ResolveRequest:
		resp, err := s.resolve(ctx, h, rep, r)
		if err != nil || !r.Commit {
			return resp, nil, err
		}
		return resp, r.Keys, nil
	case *kvpb.ClearTxnRecordRequest:
		resp, err := s.clearTxnRecord(h, r)
		return resp, nil, err
	case *kvpb.GCRequest:
		resp, err := s.gc(ctx, r)
		return resp, nil, err
	default:
		return nil, nil, fmt.Errorf("localstore: unsupported request %T", req)
	}
}

func mutationKeys(muts []kvpb.Mutation) [][]byte {
	keys := make([][]byte, len(muts))
	for i := range muts {
		keys[i] = muts[i].Key
	}
	return keys
}

// checkBounds verifies that every key and span of req lies in desc.
func (s *Store) checkBounds(desc *kvpb.RangeDescriptor, req kvpb.Request) error {
	key := func(k []byte) error {
		if !desc.ContainsKey(k) {
			return s.mismatch(desc, k)
		}
		return nil
	}
	span := func(sp kvpb.Span) error {
		if !desc.ContainsSpan(sp) {
			return s.mismatch(desc, sp.Key)
		}
		return nil
	}
	keys := func(ks [][]byte) error {
		for _, k := range ks {
			if err := key(k); err != nil {
				return err
			}
		}
		return nil
	}
	switch r := req.(type) {
	case *kvpb.GetRequest:
		return key(r.Key)
	case *kvpb.ScanRequest:
		return span(r.Span)
	case *kvpb.GCRequest:
		return span(r.Span)
	case *kvpb.CommitRequest:
		for _, m := range r.Mutations {
			if err := key(m.Key); err != nil {
				return err
			}
		}
		for _, sp := range r.ReadSpans {
			if err := span(sp); err != nil {
				return err
			}
		}
	case *kvpb.PrewriteRequest:
		for _, m := range r.Mutations {
			if err := key(m.Key); err != nil {
				return err
			}
		}
	case *kvpb.LockRequest:
		return keys(r.Keys)
	case *kvpb.ResolveRequest:
		return keys(r.Keys)
	case *kvpb.ValidateRequest:
		for _, sp := range r.Spans {
			if err := span(sp); err != nil {
				return err
			}
		}
	case *kvpb.EndTxnRequest:
		return key(r.Primary)
	case *kvpb.ClearTxnRecordRequest:
		return key(r.Primary)
	}
	return nil
}

func checkReadTimestamp(h kvpb.Header) error {
	if h.Timestamp.IsEmpty() {
		return errors.New("localstore: read request without a timestamp")
	}
	return nil
}

func (s *Store) get(ctx context.Context, h kvpb.Header, r *kvpb.GetRequest) (*kvpb.GetResponse, error) {
	if err := checkReadTimestamp(h); err != nil {
		return nil, err
	}
	v, found, err := mvcc.Get(ctx, s.eng, r.Key, h.Timestamp)
	if err != nil {
		return nil, fmt.Errorf("localstore: get: %w", err)
	}
	return &kvpb.GetResponse{Value: v, Found: found}, nil
}

func (s *Store) scan(ctx context.Context, h kvpb.Header, r *kvpb.ScanRequest) (*kvpb.ScanResponse, error) {
	if err := checkReadTimestamp(h); err != nil {
		return nil, err
	}
	kvs, resume, err := mvcc.Scan(ctx, s.eng, r.Key, r.EndKey, h.Timestamp, r.MaxKeys)
	if err != nil {
		return nil, fmt.Errorf("localstore: scan: %w", err)
	}
	rows := make([]kvpb.KeyValue, len(kvs))
	for i, kv := range kvs {
		rows[i] = kvpb.KeyValue{Key: kv.Key, Value: kv.Value}
	}
	return &kvpb.ScanResponse{Rows: rows, ResumeKey: resume}, nil
}

func (s *Store) gc(ctx context.Context, r *kvpb.GCRequest) (_ *kvpb.GCResponse, err error) {
	if r.Threshold.IsEmpty() {
		return &kvpb.GCResponse{}, nil
	}
	// The threshold must be below every timestamp a reader may use: it is
	// at most the closed timestamp, which is below every in-flight commit.
	if rts, err := s.tracker.readTimestamp(); err != nil {
		return nil, err
	} else if rts.Less(r.Threshold) {
		return nil, fmt.Errorf("localstore: GC threshold %s above the closed timestamp %s", r.Threshold, rts)
	}
	b := s.eng.NewBatch()
	defer func() {
		if cerr := b.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	resume, st, err := mvcc.GC(ctx, s.eng, b, r.Key, r.EndKey, r.Threshold, r.MaxVersions)
	if err != nil {
		return nil, fmt.Errorf("localstore: gc: %w", err)
	}
	if b.Count() > 0 {
		// Not synced: a GC lost in a crash is simply redone.
		if err := b.Commit(false); err != nil {
			return nil, fmt.Errorf("localstore: gc: %w", err)
		}
	}
	return &kvpb.GCResponse{ResumeKey: resume, Examined: st.Examined, Removed: st.Removed}, nil
}

// checkWriteConflicts fails with a write-conflict retry error if a key has
// a version newer than the conflict timestamp it was written under.
func (s *Store) checkWriteConflicts(ctx context.Context, muts []kvpb.Mutation) (err error) {
	var c *mvcc.Checker // opened only when the cache cannot answer
	defer func() {
		if c == nil {
			return
		}
		if cerr := c.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for _, m := range muts {
		if m.ConflictTimestamp.IsEmpty() {
			return fmt.Errorf("localstore: mutation of key %q without a conflict timestamp", m.Key)
		}
		if ts, conflict, known := s.wts.conflicts(m.Key, m.ConflictTimestamp); known {
			if conflict {
				return &kvpb.TransactionRetryError{Reason: kvpb.RetryWriteConflict, Key: bytes.Clone(m.Key), Timestamp: ts}
			}
			continue
		}
		if c == nil {
			if c, err = mvcc.NewChecker(ctx, s.eng); err != nil {
				return fmt.Errorf("localstore: conflict check: %w", err)
			}
		}
		ts, found, err := c.NewestVersion(m.Key)
		if err != nil {
			return fmt.Errorf("localstore: conflict check: %w", err)
		}
		if found && m.ConflictTimestamp.Less(ts) {
			return &kvpb.TransactionRetryError{
				Reason: kvpb.RetryWriteConflict, Key: bytes.Clone(m.Key), Timestamp: ts,
			}
		}
	}
	return nil
}

func (s *Store) validateSpans(ctx context.Context, spans []kvpb.Span, readTS, commitTS hlc.Timestamp) (err error) {
	if readTS.IsEmpty() {
		return errors.New("localstore: read spans without a read timestamp")
	}
	c, err := mvcc.NewChecker(ctx, s.eng)
	if err != nil {
		return fmt.Errorf("localstore: read validation: %w", err)
	}
	defer func() {
		if cerr := c.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for _, sp := range spans {
		v, found, err := c.FirstVersionIn(sp.Key, sp.EndKey, readTS, commitTS)
		if err != nil {
			return fmt.Errorf("localstore: read validation: %w", err)
		}
		if found {
			return &kvpb.TransactionRetryError{
				Reason: kvpb.RetryReadValidation, Key: v.Key, Timestamp: v.Timestamp,
			}
		}
	}
	return nil
}
