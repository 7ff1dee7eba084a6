package kv

import (
	"bytes"
	"slices"
	"sort"

	"github.com/aegisdb/aegis/internal/hlc"
)

// bufEntry is one buffered write. Entries are immutable once stored, so an
// iterator can keep pointers to them while the buffer changes.
type bufEntry struct {
	key    []byte
	value  []byte
	delete bool
	// conflictTS is the snapshot at which the transaction first wrote key.
	conflictTS hlc.Timestamp
}

// undoRecord restores one key to its state before a write.
type undoRecord struct {
	key  string
	prev *bufEntry // nil: the key was not buffered
}

// writeBuffer holds a transaction's uncommitted writes, ordered by key.
//
// New keys are appended to pending and merged into sorted (sorting the
// pending keys first) only when an ordered view is needed, so a
// statement writing n keys costs O(n log n), not O(n²).
type writeBuffer struct {
	m       map[string]*bufEntry
	sorted  [][]byte // keys of m, ascending (after normalize)
	pending [][]byte // keys of m not yet merged into sorted
	// undo records writes while a savepoint is live.
	undo       []undoRecord
	recordUndo bool
}

func (b *writeBuffer) get(key []byte) (*bufEntry, bool) {
	e, ok := b.m[string(key)]
	return e, ok
}

// put buffers a write. key and value are copied.
func (b *writeBuffer) put(key, value []byte, del bool, snapshot hlc.Timestamp) {
	if b.m == nil {
		b.m = make(map[string]*bufEntry)
	}
	prev, exists := b.m[string(key)]
	if b.recordUndo {
		b.undo = append(b.undo, undoRecord{key: string(key), prev: prev})
	}
	e := &bufEntry{key: bytes.Clone(key), delete: del, conflictTS: snapshot}
	if e.key == nil {
		e.key = []byte{}
	}
	if !del {
		e.value = bytes.Clone(value)
		if e.value == nil {
			e.value = []byte{}
		}
	}
	if exists {
		// Conflicts are judged from the first write's snapshot.
		e.conflictTS = prev.conflictTS
		e.key = prev.key
	} else {
		b.pending = append(b.pending, e.key)
	}
	b.m[string(key)] = e
}

// normalize merges the pending keys into sorted.
func (b *writeBuffer) normalize() {
	if len(b.pending) == 0 {
		return
	}
	slices.SortFunc(b.pending, bytes.Compare)
	merged := make([][]byte, 0, len(b.sorted)+len(b.pending))
	i, j := 0, 0
	for i < len(b.sorted) && j < len(b.pending) {
		if bytes.Compare(b.sorted[i], b.pending[j]) < 0 {
			merged = append(merged, b.sorted[i])
			i++
		} else {
			merged = append(merged, b.pending[j])
			j++
		}
	}
	merged = append(append(merged, b.sorted[i:]...), b.pending[j:]...)
	b.sorted, b.pending = merged, b.pending[:0]
}

// search returns the index of the first sorted key >= key.
func (b *writeBuffer) search(key []byte) int {
	b.normalize()
	return sort.Search(len(b.sorted), func(i int) bool { return bytes.Compare(b.sorted[i], key) >= 0 })
}

// rollbackTo undoes every write recorded after undo position n.
func (b *writeBuffer) rollbackTo(n int) {
	b.normalize()
	for i := len(b.undo) - 1; i >= n; i-- {
		u := b.undo[i]
		if u.prev != nil {
			b.m[u.key] = u.prev
			continue
		}
		delete(b.m, u.key)
		if j := b.search([]byte(u.key)); j < len(b.sorted) && string(b.sorted[j]) == u.key {
			b.sorted = slices.Delete(b.sorted, j, j+1)
		}
	}
	b.undo = b.undo[:n]
}

// entries returns the buffered entries with keys in [start, end) in key
// order; nil end is unbounded. The result does not change with later
// writes.
func (b *writeBuffer) entries(start, end []byte) []*bufEntry {
	i := b.search(start)
	var out []*bufEntry
	for ; i < len(b.sorted); i++ {
		k := b.sorted[i]
		if end != nil && bytes.Compare(k, end) >= 0 {
			break
		}
		out = append(out, b.m[string(k)])
	}
	return out
}

func (b *writeBuffer) len() int { return len(b.sorted) + len(b.pending) }
