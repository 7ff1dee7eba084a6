package kv

import (
	"context"
	"sync"

	"github.com/aegisdb/aegis/internal/hlc"
)

// snapshotShards is the number of independently locked parts of the
// snapshot registry.
const snapshotShards = 16

// snapshotRegistry records the oldest snapshot of every open transaction,
// so that garbage collection keeps every version one of them can read.
//
// A transaction registers when it takes its first snapshot and stays
// registered at that timestamp until it ends, even under ReadCommitted
// where later statements read newer snapshots: a suspended portal of an
// earlier statement may still read the old one. (As in PostgreSQL, a
// long-open transaction holds back version cleanup.)
//
// Registrations are spread over shards, each with its own mutex, so that
// concurrent transactions rarely contend. Registering holds its shard's
// mutex while it asks the oracle for a timestamp; computing the GC
// threshold holds every shard's mutex while it does. Read timestamps never
// decrease, so a transaction that registers after a threshold was computed
// reads at or above it: no snapshot can slip below a threshold in use.
type snapshotRegistry struct {
	take   func(context.Context) (hlc.Timestamp, error)
	shards [snapshotShards]snapshotShard
}

type snapshotShard struct {
	mu     sync.Mutex
	next   uint64
	active map[uint64]hlc.Timestamp
	_      [32]byte // keep shards on separate cache lines
}

// init prepares the registry; take obtains a fresh timestamp.
func (r *snapshotRegistry) init(take func(context.Context) (hlc.Timestamp, error)) {
	r.take = take
	for i := range r.shards {
		r.shards[i].active = make(map[uint64]hlc.Timestamp)
	}
}

// register obtains a timestamp and records it in the shard chosen by hint
// (any number spreading registrations, such as a random transaction ID
// byte). It returns the registration's id for release; ids are never 0.
func (r *snapshotRegistry) register(ctx context.Context, hint byte) (hlc.Timestamp, uint64, error) {
	si := uint64(hint) % snapshotShards
	s := &r.shards[si]
	s.mu.Lock()
	defer s.mu.Unlock()
	ts, err := r.take(ctx)
	if err != nil {
		return hlc.Timestamp{}, 0, err
	}
	s.next++
	id := s.next*snapshotShards + si
	s.active[id] = ts
	return ts, id, nil
}

// release forgets registration id (0 is ignored).
func (r *snapshotRegistry) release(id uint64) {
	if id == 0 {
		return
	}
	s := &r.shards[id%snapshotShards]
	s.mu.Lock()
	delete(s.active, id)
	s.mu.Unlock()
}

// threshold returns the GC threshold: the older of a fresh timestamp and
// the oldest registered snapshot.
func (r *snapshotRegistry) threshold(ctx context.Context) (hlc.Timestamp, error) {
	for i := range r.shards {
		r.shards[i].mu.Lock()
		defer r.shards[i].mu.Unlock()
	}
	ts, err := r.take(ctx)
	if err != nil {
		return hlc.Timestamp{}, err
	}
	for i := range r.shards {
		for _, s := range r.shards[i].active {
			if s.Less(ts) {
				ts = s
			}
		}
	}
	return ts, nil
}

// len returns the number of registered snapshots.
func (r *snapshotRegistry) len() int {
	n := 0
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.Lock()
		n += len(s.active)
		s.mu.Unlock()
	}
	return n
}
