package kv

import (
	"sync"

	"github.com/aegisdb/aegis/internal/hlc"
)

// snapshotRegistry records the oldest snapshot of every open transaction,
// so that garbage collection keeps every version one of them can read.
//
// A transaction registers when it takes its first snapshot and stays
// registered at that timestamp until it ends, even under ReadCommitted
// where later statements read newer snapshots: a suspended portal of an
// earlier statement may still read the old one. (As in PostgreSQL, a
// long-open transaction holds back version cleanup.)
//
// Registering and computing the GC threshold both hold mu while they ask
// the oracle for a timestamp. Read timestamps never decrease, so a
// transaction that registers after a threshold was computed reads at or
// above it: no snapshot can slip below a threshold in use.
type snapshotRegistry struct {
	mu struct {
		sync.Mutex
		next   uint64
		active map[uint64]hlc.Timestamp
	}
}

func (r *snapshotRegistry) init() { r.mu.active = make(map[uint64]hlc.Timestamp) }

// register obtains a timestamp from take and records it. It returns the
// registration's id for release.
func (r *snapshotRegistry) register(take func() (hlc.Timestamp, error)) (hlc.Timestamp, uint64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ts, err := take()
	if err != nil {
		return hlc.Timestamp{}, 0, err
	}
	r.mu.next++
	r.mu.active[r.mu.next] = ts
	return ts, r.mu.next, nil
}

// release forgets registration id (0 is ignored).
func (r *snapshotRegistry) release(id uint64) {
	if id == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.mu.active, id)
}

// threshold returns the GC threshold: the older of a fresh timestamp from
// take and the oldest registered snapshot.
func (r *snapshotRegistry) threshold(take func() (hlc.Timestamp, error)) (hlc.Timestamp, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ts, err := take()
	if err != nil {
		return hlc.Timestamp{}, err
	}
	for _, s := range r.mu.active {
		if s.Less(ts) {
			ts = s
		}
	}
	return ts, nil
}

// len returns the number of registered snapshots.
func (r *snapshotRegistry) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.mu.active)
}
