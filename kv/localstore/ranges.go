package localstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/aegisdb/aegis/kv/kvpb"
	"github.com/aegisdb/aegis/kv/mvcc"
)

// Range descriptors are store-local metadata: one local key per range
// ("range-desc/" + 8-byte big-endian range ID, JSON value) plus the next
// range ID. In a cluster they move to the meta group.
var (
	rangeDescPrefix = mvcc.LocalKey("range-desc/")
	nextRangeIDKey  = mvcc.LocalKey("next-range-id")
)

// localReplica is the replica every range has on a single node.
var localReplica = kvpb.ReplicaDescriptor{NodeID: 1, StoreID: 1, ReplicaID: 1}

// replica is this store's copy of one range. Its descriptor is replaced
// atomically by a split; a request checks its keys against the descriptor
// it loaded. All ranges share the store's engine and lock table, so a
// request that raced with a split is still correct: it only used a stale
// bound.
type replica struct {
	desc atomic.Pointer[kvpb.RangeDescriptor]
	// written estimates the bytes written since the last size check; the
	// split queue checks the range's real size when it gets large.
	written atomic.Int64
	// gcResume is where the next GC pass of this range starts (guarded
	// by the caller: one GC loop).
}

func rangeDescKey(id kvpb.RangeID) []byte {
	return binary.BigEndian.AppendUint64(slices.Clone(rangeDescPrefix), uint64(id))
}

func encodeDesc(d *kvpb.RangeDescriptor) ([]byte, error) { return json.Marshal(d) }

func decodeDesc(b []byte) (*kvpb.RangeDescriptor, error) {
	d := &kvpb.RangeDescriptor{}
	if err := json.Unmarshal(b, d); err != nil {
		return nil, fmt.Errorf("localstore: corrupt range descriptor: %w", err)
	}
	return d, nil
}

// loadRanges reads the persisted descriptors, creating the first range
// (the whole key space) on a fresh engine.
func (s *Store) loadRanges(ctx context.Context) (err error) {
	it, err := s.eng.NewIterator(ctx, rangeDescPrefix, append(slices.Clone(rangeDescPrefix), 0xff))
	if err != nil {
		return err
	}
	var descs []*kvpb.RangeDescriptor
	for valid := it.SeekGE(rangeDescPrefix); valid; valid = it.Next() {
		d, err := decodeDesc(it.Value())
		if err != nil {
			_ = it.Close()
			return err
		}
		descs = append(descs, d)
	}
	if err := it.Error(); err != nil {
		_ = it.Close()
		return err
	}
	if err := it.Close(); err != nil {
		return err
	}
	next := kvpb.RangeID(2)
	if v, found, err := s.eng.Get(nextRangeIDKey); err != nil {
		return err
	} else if found {
		if len(v) != 8 {
			return fmt.Errorf("localstore: corrupt next range ID %x", v)
		}
		next = kvpb.RangeID(binary.BigEndian.Uint64(v))
	}
	if len(descs) == 0 {
		first := &kvpb.RangeDescriptor{RangeID: 1, StartKey: []byte{}, Replicas: []kvpb.ReplicaDescriptor{localReplica}, Generation: 1}
		if err := s.writeDescs(next, first); err != nil {
			return err
		}
		descs = append(descs, first)
	}
	slices.SortFunc(descs, func(a, b *kvpb.RangeDescriptor) int { return bytes.Compare(a.StartKey, b.StartKey) })
	// The descriptors must partition the key space.
	for i, d := range descs {
		if (i == 0 && len(d.StartKey) != 0) || (i > 0 && !bytes.Equal(descs[i-1].EndKey, d.StartKey)) ||
			(i == len(descs)-1 && d.EndKey != nil) {
			return fmt.Errorf("localstore: range descriptors do not partition the key space at %s", d)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.nextID = next
	s.mu.ranges = nil
	s.mu.byID = make(map[kvpb.RangeID]*replica, len(descs))
	for _, d := range descs {
		r := &replica{}
		r.desc.Store(d)
		// Check every range's size once after a restart.
		r.written.Store(s.opts.MaxRangeBytes)
		s.mu.ranges = append(s.mu.ranges, r)
		s.mu.byID[d.RangeID] = r
	}
	return nil
}

// writeDescs durably writes descriptors and the next range ID in one batch.
func (s *Store) writeDescs(next kvpb.RangeID, descs ...*kvpb.RangeDescriptor) (err error) {
	b := s.eng.NewBatch()
	defer func() {
		if cerr := b.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for _, d := range descs {
		v, err := encodeDesc(d)
		if err != nil {
			return err
		}
		if err := b.Set(rangeDescKey(d.RangeID), v); err != nil {
			return err
		}
	}
	if err := b.Set(nextRangeIDKey, binary.BigEndian.AppendUint64(nil, uint64(next))); err != nil {
		return err
	}
	return b.Commit(true)
}

// replicaForKeyLocked returns the replica whose range contains key.
func (s *Store) replicaForKeyLocked(key []byte) *replica {
	rs := s.mu.ranges
	// The last range whose start is <= key.
	i, _ := slices.BinarySearchFunc(rs, key, func(r *replica, k []byte) int {
		return bytes.Compare(r.desc.Load().StartKey, k)
	})
	if i < len(rs) && bytes.Equal(rs[i].desc.Load().StartKey, key) {
		return rs[i]
	}
	return rs[i-1] // i > 0: the first range starts at the empty key
}

func (s *Store) replicaForKey(key []byte) *replica {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.replicaForKeyLocked(key)
}

// replica returns the replica of range id.
func (s *Store) replica(id kvpb.RangeID) (*replica, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.mu.byID[id]
	if r == nil {
		return nil, &kvpb.RangeNotFoundError{RangeID: id}
	}
	return r, nil
}

// mismatch builds the error for a key outside desc.
func (s *Store) mismatch(desc *kvpb.RangeDescriptor, key []byte) error {
	r := s.replicaForKey(key)
	return &kvpb.RangeKeyMismatchError{
		RangeID: desc.RangeID, Key: slices.Clone(key), Ranges: []kvpb.RangeDescriptor{*r.desc.Load(), *desc},
	}
}

// Ranges returns a copy of every range descriptor, in key order.
func (s *Store) Ranges() []kvpb.RangeDescriptor {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]kvpb.RangeDescriptor, len(s.mu.ranges))
	for i, r := range s.mu.ranges {
		out[i] = *r.desc.Load()
	}
	return out
}

// RangeInfo describes a range and its approximate size, for status
// commands.
type RangeInfo struct {
	Descriptor kvpb.RangeDescriptor
	// Bytes is the size of the range's MVCC data (keys and values of all
	// versions), counted up to the split threshold's double.
	Bytes int64
}

// RangeInfos returns every range with its size. It scans the data of every
// range, so it is meant for status commands, not hot paths.
func (s *Store) RangeInfos(ctx context.Context) ([]RangeInfo, error) {
	descs := s.Ranges()
	out := make([]RangeInfo, len(descs))
	for i, d := range descs {
		n, err := mvcc.SpanBytes(ctx, s.eng, d.StartKey, d.EndKey, 2*s.opts.MaxRangeBytes)
		if err != nil {
			return nil, fmt.Errorf("localstore: range r%d size: %w", d.RangeID, err)
		}
		out[i] = RangeInfo{Descriptor: d, Bytes: n}
	}
	return out, nil
}

// SplitAt splits the range containing key so that a range starts at key.
// It does nothing if one already does. Splits are durable (one synced
// batch with both descriptors) and never move data: every range lives in
// the store's one engine.
func (s *Store) SplitAt(key []byte) (err error) {
	s.splitMu.Lock()
	defer s.splitMu.Unlock()
	r := s.replicaForKey(key)
	old := r.desc.Load()
	if bytes.Equal(old.StartKey, key) {
		return nil
	}
	s.mu.RLock()
	id := s.mu.nextID
	s.mu.RUnlock()
	left := *old
	left.EndKey = slices.Clone(key)
	left.Generation++
	right := &kvpb.RangeDescriptor{
		RangeID: id, StartKey: slices.Clone(key), EndKey: old.EndKey,
		Replicas: slices.Clone(old.Replicas), Generation: left.Generation,
	}
	if err := s.writeDescs(id+1, &left, right); err != nil {
		return fmt.Errorf("localstore: split r%d at %q: %w", old.RangeID, key, err)
	}
	nr := &replica{}
	nr.desc.Store(right)
	half := r.written.Load() / 2
	nr.written.Store(half)
	r.written.Store(half)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.nextID = id + 1
	r.desc.Store(&left)
	i, _ := slices.BinarySearchFunc(s.mu.ranges, key, func(r *replica, k []byte) int {
		return bytes.Compare(r.desc.Load().StartKey, k)
	})
	s.mu.ranges = slices.Insert(s.mu.ranges, i, nr)
	s.mu.byID[id] = nr
	s.splits.Add(1)
	return nil
}

// maybeSplitAtBoundaries splits the range of each written key at the
// bounds of the key's table (Options.SplitBoundary), so that no range
// holds data of two tables. keys are ascending.
func (s *Store) maybeSplitAtBoundaries(keys [][]byte) error {
	if s.opts.SplitBoundary == nil {
		return nil
	}
	var lastStart []byte
	for _, k := range keys {
		start, end, ok := s.opts.SplitBoundary(k)
		if !ok || (lastStart != nil && bytes.Equal(start, lastStart)) {
			continue
		}
		lastStart = start
		d := s.replicaForKey(k).desc.Load()
		if bytes.Compare(d.StartKey, start) < 0 {
			if err := s.SplitAt(start); err != nil {
				return err
			}
		}
		d = s.replicaForKey(k).desc.Load()
		if end != nil && (d.EndKey == nil || bytes.Compare(end, d.EndKey) < 0) {
			if err := s.SplitAt(end); err != nil {
				return err
			}
		}
	}
	return nil
}

// maybeSplitBySize splits r in two if its data exceeds MaxRangeBytes.
func (s *Store) maybeSplitBySize(ctx context.Context, r *replica) error {
	d := r.desc.Load()
	n, err := mvcc.SpanBytes(ctx, s.eng, d.StartKey, d.EndKey, s.opts.MaxRangeBytes+1)
	if err != nil {
		return err
	}
	r.written.Store(0)
	if n <= s.opts.MaxRangeBytes {
		return nil
	}
	key, found, err := mvcc.KeyAtBytes(ctx, s.eng, d.StartKey, d.EndKey, n/2)
	if err != nil || !found {
		return err // one huge key: nothing to split at
	}
	if r.desc.Load() != d {
		return nil // split meanwhile; check again later
	}
	if err := s.SplitAt(key); err != nil {
		return err
	}
	// Both halves may still be too large: check them again.
	s.noteWritten(r, s.opts.MaxRangeBytes)
	s.noteWritten(s.replicaForKey(key), s.opts.MaxRangeBytes)
	return nil
}

// splitQueue checks the sizes of ranges that received many writes. It
// runs until stop is closed.
func (s *Store) splitQueue(stop <-chan struct{}) {
	defer close(s.queueDone)
	for {
		select {
		case <-stop:
			return
		case <-s.splitKick:
		}
		s.mu.RLock()
		var due []*replica
		for _, r := range s.mu.ranges {
			if r.written.Load() >= s.opts.MaxRangeBytes/4 {
				due = append(due, r)
			}
		}
		s.mu.RUnlock()
		for _, r := range due {
			select {
			case <-stop:
				return
			default:
			}
			if err := s.maybeSplitBySize(context.Background(), r); err != nil {
				s.opts.Logger.Warn("size-based split failed", "range", r.desc.Load().String(), "err", err)
			}
		}
	}
}

// noteWritten accounts written bytes to r and wakes the split queue when
// the range may have grown too large.
func (s *Store) noteWritten(r *replica, n int64) {
	if r.written.Add(n) >= s.opts.MaxRangeBytes/4 {
		select {
		case s.splitKick <- struct{}{}:
		default:
		}
	}
}
