package localstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aegisdb/aegis/internal/hlc"
	"github.com/aegisdb/aegis/kv/concurrency"
	"github.com/aegisdb/aegis/kv/kvpb"
	"github.com/aegisdb/aegis/kv/mvcc"
	"github.com/aegisdb/aegis/kv/storage"
)

// ErrClosed is returned by Send after Close.
var ErrClosed = errors.New("localstore: store is closed")

var ceilingKey = mvcc.LocalKey("ts-ceiling")

// Store serves kvpb batches from one engine. It is safe for concurrent use.
type Store struct {
	eng     *storage.Engine
	tracker *tracker
	latches *concurrency.LatchManager

	// closeMu is held shared by every Send and exclusively by Close, so
	// Close waits for running requests and no request starts after it.
	closeMu sync.RWMutex
	closed  bool
}

// Options configures a Store.
type Options struct {
	// PhysicalClock returns wall time in nanoseconds; nil means time.Now.
	// Tests inject a manual clock.
	PhysicalClock func() int64
}

// New returns a store over eng, restoring the timestamp oracle from the
// ceiling persisted in eng. The store does not own eng: close the store,
// then the engine.
func New(eng *storage.Engine, opts Options) (*Store, error) {
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
	s := &Store{eng: eng, latches: concurrency.NewLatchManager()}
	s.tracker = newTracker(hlc.NewClock(opts.PhysicalClock), ceiling, s.persistCeiling)
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

// Close waits for running requests and makes later ones fail with
// ErrClosed. It does not close the engine.
func (s *Store) Close() error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	s.closed = true
	return nil
}

// Send executes the requests of ba in order. If one fails, Send returns its
// error and no response; a failed CommitRequest has applied nothing.
func (s *Store) Send(ctx context.Context, ba *kvpb.BatchRequest) (*kvpb.BatchResponse, error) {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return nil, ErrClosed
	}
	br := &kvpb.BatchResponse{Responses: make([]kvpb.Response, 0, len(ba.Requests))}
	for _, req := range ba.Requests {
		var resp kvpb.Response
		var err error
		switch r := req.(type) {
		case *kvpb.GetRequest:
			resp, err = s.get(ctx, ba.Header, r)
		case *kvpb.ScanRequest:
			resp, err = s.scan(ctx, ba.Header, r)
		case *kvpb.TimestampRequest:
			var ts hlc.Timestamp
			ts, err = s.tracker.readTimestamp()
			resp = &kvpb.TimestampResponse{Timestamp: ts}
		case *kvpb.CommitRequest:
			resp, err = s.commit(ctx, r)
		default:
			err = fmt.Errorf("localstore: unsupported request %T", req)
		}
		if err != nil {
			return nil, err
		}
		br.Responses = append(br.Responses, resp)
	}
	return br, nil
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

func (s *Store) commit(ctx context.Context, r *kvpb.CommitRequest) (_ *kvpb.CommitResponse, err error) {
	for i := 1; i < len(r.Mutations); i++ {
		if bytes.Compare(r.Mutations[i-1].Key, r.Mutations[i].Key) >= 0 {
			return nil, errors.New("localstore: commit mutations not in strictly ascending key order")
		}
	}
	if len(r.Mutations) == 0 {
		// Nothing to write. A read-only SERIALIZABLE transaction read a
		// consistent snapshot, which is always serializable.
		return &kvpb.CommitResponse{}, nil
	}
	keys := make([][]byte, len(r.Mutations))
	for i := range r.Mutations {
		keys[i] = r.Mutations[i].Key
	}
	// 1. Latch the written keys.
	guard, err := s.latches.Acquire(ctx, keys)
	if err != nil {
		return nil, err
	}
	defer guard.Release()

	// 2. Write-write conflicts.
	if err := s.checkWriteConflicts(ctx, r.Mutations); err != nil {
		return nil, err
	}

	// 3. Commit timestamp.
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
		if err := s.validateReads(ctx, r, p.ts); err != nil {
			return nil, err
		}
	}

	// 5. Apply durably.
	b := s.eng.NewBatch()
	defer func() {
		if cerr := b.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for _, m := range r.Mutations {
		if m.Delete {
			err = mvcc.Delete(b, m.Key, p.ts)
		} else {
			err = mvcc.Put(b, m.Key, p.ts, m.Value)
		}
		if err != nil {
			return nil, fmt.Errorf("localstore: commit: %w", err)
		}
	}
	if err := b.Commit(true); err != nil {
		// TODO(txn issue): an engine write error leaves the outcome
		// ambiguous; surface it as such (SQLSTATE 40003).
		return nil, fmt.Errorf("localstore: commit: %w", err)
	}
	return &kvpb.CommitResponse{CommitTimestamp: p.ts}, nil
}

func (s *Store) checkWriteConflicts(ctx context.Context, muts []kvpb.Mutation) (err error) {
	c, err := mvcc.NewChecker(ctx, s.eng)
	if err != nil {
		return fmt.Errorf("localstore: conflict check: %w", err)
	}
	defer func() {
		if cerr := c.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for _, m := range muts {
		if m.ConflictTimestamp.IsEmpty() {
			return fmt.Errorf("localstore: mutation of key %q without a conflict timestamp", m.Key)
		}
		ts, found, err := c.NewestVersion(m.Key)
		if err != nil {
			return fmt.Errorf("localstore: conflict check: %w", err)
		}
		if found && m.ConflictTimestamp.Less(ts) {
			return &kvpb.TransactionRetryError{
				Reason: kvpb.RetryWriteConflict, Key: append([]byte(nil), m.Key...), Timestamp: ts,
			}
		}
	}
	return nil
}

func (s *Store) validateReads(ctx context.Context, r *kvpb.CommitRequest, commitTS hlc.Timestamp) (err error) {
	if r.ReadTimestamp.IsEmpty() {
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
	for _, sp := range r.ReadSpans {
		v, found, err := c.FirstVersionIn(sp.Key, sp.EndKey, r.ReadTimestamp, commitTS)
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
