package localstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync"
	"time"

	"github.com/aegisdb/aegis/internal/hlc"
)

// ceilingWindow is how far above the current wall time the persisted
// timestamp ceiling is raised each time it is reached.
const ceilingWindow = int64(2 * time.Second)

// pendingCommit is a commit timestamp whose batch is not yet applied.
type pendingCommit struct {
	ts   hlc.Timestamp
	done chan struct{} // closed when the batch is applied or abandoned
	// prev and next link the in-flight list; finished is set when p
	// leaves it (all guarded by tracker.mu).
	prev, next *pendingCommit
	finished   bool
}

// tracker is the timestamp oracle plus the set of in-flight commits. It is
// safe for concurrent use.
type tracker struct {
	clock *hlc.Clock
	// persistCeiling durably records that no timestamp with WallTime >=
	// wall has been issued. Called with mu held.
	persistCeiling func(wall int64) error

	mu struct {
		sync.Mutex
		ceiling int64
		// head and tail of the in-flight commits, a doubly linked list
		// ordered by ts because timestamps are allocated under mu in
		// increasing order (so adding and removing are O(1)).
		head, tail *pendingCommit
	}
}

func newTracker(clock *hlc.Clock, ceiling int64, persist func(int64) error) *tracker {
	t := &tracker{clock: clock, persistCeiling: persist}
	t.mu.ceiling = ceiling
	clock.Forward(hlc.Timestamp{WallTime: ceiling})
	return t
}

// nowLocked issues a fresh timestamp below the persisted ceiling, raising
// the ceiling first if needed.
func (t *tracker) nowLocked() (hlc.Timestamp, error) {
	ts := t.clock.Now()
	if ts.WallTime >= t.mu.ceiling {
		c := ts.WallTime + ceilingWindow
		if err := t.persistCeiling(c); err != nil {
			return hlc.Timestamp{}, fmt.Errorf("localstore: persist timestamp ceiling: %w", err)
		}
		t.mu.ceiling = c
	}
	return ts, nil
}

// readTimestamp returns the closed timestamp: every commit at or below it
// is applied.
func (t *tracker) readTimestamp() (hlc.Timestamp, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.mu.head != nil {
		return t.mu.head.ts.Prev(), nil
	}
	return t.nowLocked()
}

// beginCommit allocates a commit timestamp and registers it as in flight.
// The caller must call finish exactly once.
func (t *tracker) beginCommit() (*pendingCommit, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ts, err := t.nowLocked()
	if err != nil {
		return nil, err
	}
	p := &pendingCommit{ts: ts, done: make(chan struct{}), prev: t.mu.tail}
	if t.mu.tail != nil {
		t.mu.tail.next = p
	} else {
		t.mu.head = p
	}
	t.mu.tail = p
	return p, nil
}

// finish unregisters p (its batch is applied, or it was abandoned). Later
// calls do nothing.
func (t *tracker) finish(p *pendingCommit) {
	t.mu.Lock()
	if p.finished {
		t.mu.Unlock()
		return
	}
	p.finished = true
	if p.prev != nil {
		p.prev.next = p.next
	} else {
		t.mu.head = p.next
	}
	if p.next != nil {
		p.next.prev = p.prev
	} else {
		t.mu.tail = p.prev
	}
	p.prev, p.next = nil, nil
	t.mu.Unlock()
	close(p.done)
}

// waitForEarlier blocks until every commit with a timestamp below ts is
// applied or abandoned.
func (t *tracker) waitForEarlier(ctx context.Context, ts hlc.Timestamp) error {
	t.mu.Lock()
	var waits []chan struct{}
	for q := t.mu.head; q != nil && q.ts.Less(ts); q = q.next {
		waits = append(waits, q.done)
	}
	t.mu.Unlock()
	for _, ch := range waits {
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("localstore: waiting for earlier commits: %w", ctx.Err())
		}
	}
	return nil
}

func encodeCeiling(wall int64) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(wall))
}

func decodeCeiling(b []byte) (int64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("localstore: corrupt timestamp ceiling %x", b)
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}

// finishTimestamp unregisters the in-flight commit at ts, if any, and
// reports whether there was one.
func (t *tracker) finishTimestamp(ts hlc.Timestamp) bool {
	t.mu.Lock()
	var p *pendingCommit
	for q := t.mu.head; q != nil; q = q.next {
		if q.ts == ts {
			p = q
			break
		}
	}
	t.mu.Unlock()
	if p == nil {
		return false
	}
	t.finish(p)
	return true
}
