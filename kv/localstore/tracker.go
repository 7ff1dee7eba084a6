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
		// inflight is ordered by ts because timestamps are allocated
		// under mu in increasing order.
		inflight []*pendingCommit
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
	if len(t.mu.inflight) > 0 {
		return t.mu.inflight[0].ts.Prev(), nil
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
	p := &pendingCommit{ts: ts, done: make(chan struct{})}
	t.mu.inflight = append(t.mu.inflight, p)
	return p, nil
}

// finish unregisters p (its batch is applied, or it was abandoned).
func (t *tracker) finish(p *pendingCommit) {
	t.mu.Lock()
	for i, q := range t.mu.inflight {
		if q == p {
			t.mu.inflight = append(t.mu.inflight[:i], t.mu.inflight[i+1:]...)
			break
		}
	}
	t.mu.Unlock()
	close(p.done)
}

// waitForEarlier blocks until every commit with a timestamp below ts is
// applied or abandoned.
func (t *tracker) waitForEarlier(ctx context.Context, ts hlc.Timestamp) error {
	t.mu.Lock()
	var waits []chan struct{}
	for _, q := range t.mu.inflight {
		if !q.ts.Less(ts) {
			break
		}
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
	for _, q := range t.mu.inflight {
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
