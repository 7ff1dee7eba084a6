package kv

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aegisdb/aegis/internal/hlc"
	"github.com/aegisdb/aegis/kv/kvpb"
)

// MVCC garbage collection. A background goroutine owned by the DB wakes
// every Options.GCInterval and runs one pass: it computes the threshold
// (the oldest snapshot an open transaction holds, or now if none; see
// snapshotRegistry) and sends GCRequests through the range-addressing
// sender, range by range from where the previous pass stopped, until it
// has examined Options.GCPassVersions versions. Each range's store then
// deletes, per key, the versions no reader at or above the threshold can
// see (kv/mvcc.GC). Deletions are not synced: a GC lost in a crash is
// simply redone.

type gcState struct {
	mu sync.Mutex // serializes passes (background and RunGC)
	// cursor is where the next pass starts; nil is the start of the key
	// space.
	cursor []byte
}

// GCStats reports garbage-collection work.
type GCStats struct {
	// Threshold is the timestamp below which versions were collected.
	Threshold hlc.Timestamp
	// Examined and Removed count versions.
	Examined, Removed int
	// Wrapped is set when the pass reached the end of the key space.
	Wrapped bool
}

func (db *DB) gcLoop() {
	defer close(db.gcDone)
	if db.opts.GCInterval < 0 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t := time.NewTicker(db.opts.GCInterval)
	defer t.Stop()
	for {
		select {
		case <-db.stopGC:
			return
		case <-t.C:
		}
		if _, err := db.gcPass(ctx, db.opts.GCPassVersions); err != nil && !errors.Is(err, ErrDBClosed) {
			db.opts.Logger.Warn("MVCC garbage collection pass failed", "err", err)
		}
	}
}

func (db *DB) takeTimestamp(ctx context.Context) (hlc.Timestamp, error) {
	resp, err := sendOne[*kvpb.TimestampResponse](ctx, db.sender, kvpb.Header{}, &kvpb.TimestampRequest{})
	if err != nil {
		return hlc.Timestamp{}, err
	}
	return resp.Timestamp, nil
}

// gcPass examines up to budget versions from the cursor on.
func (db *DB) gcPass(ctx context.Context, budget int) (GCStats, error) {
	db.gc.mu.Lock()
	defer db.gc.mu.Unlock()
	var st GCStats
	threshold, err := db.snaps.threshold(ctx)
	if err != nil {
		return st, fmt.Errorf("kv: gc threshold: %w", err)
	}
	st.Threshold = threshold
	for budget > 0 {
		start := db.gc.cursor
		if start == nil {
			start = []byte{}
		}
		br, err := db.sender.Send(ctx, &kvpb.BatchRequest{Requests: []kvpb.Request{&kvpb.GCRequest{
			Span: kvpb.Span{Key: start}, Threshold: threshold, MaxVersions: budget,
		}}})
		if err != nil {
			return st, fmt.Errorf("kv: gc: %w", err)
		}
		resp, ok := single[*kvpb.GCResponse](br)
		if !ok {
			return st, errors.New("kv: gc: malformed response")
		}
		st.Examined += resp.Examined
		st.Removed += resp.Removed
		budget -= resp.Examined
		db.gc.cursor = resp.ResumeKey
		if resp.ResumeKey == nil {
			st.Wrapped = true
			break
		}
	}
	return st, nil
}

// RunGC collects garbage over the whole key space now, in passes of the
// configured size, and returns the totals. The background collector does
// the same continuously; RunGC is for tests and administration.
func (db *DB) RunGC(ctx context.Context) (GCStats, error) {
	if db.closed.Load() {
		return GCStats{}, ErrDBClosed
	}
	db.gc.mu.Lock()
	db.gc.cursor = nil
	db.gc.mu.Unlock()
	var total GCStats
	for {
		st, err := db.gcPass(ctx, db.opts.GCPassVersions)
		total.Threshold = st.Threshold
		total.Examined += st.Examined
		total.Removed += st.Removed
		if err != nil {
			return total, err
		}
		if st.Wrapped {
			total.Wrapped = true
			return total, nil
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}
