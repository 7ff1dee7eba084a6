package localstore

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/aegisdb/aegis/internal/hlc"
)

// The cache must never claim "no conflict" when a newer version exists:
// compare with a complete model under random writes and evictions.
func TestWriteTSCacheNeverMissesConflicts(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	floor := hlc.Timestamp{WallTime: 100}
	c := newWriteTSCache(floor, 32) // tiny (2 per shard): evicts often
	model := map[string]hlc.Timestamp{}
	now := int64(100)
	for i := 0; i < 20000; i++ {
		key := fmt.Sprintf("k%d", r.Intn(40))
		if r.Intn(2) == 0 {
			now += int64(r.Intn(3))
			ts := hlc.Timestamp{WallTime: now}
			c.note([]byte(key), ts)
			if model[key].Less(ts) {
				model[key] = ts
			}
			continue
		}
		after := hlc.Timestamp{WallTime: now - int64(r.Intn(20))}
		newest, ok := model[key]
		if !ok {
			newest = floor // older versions from before the cache existed
		}
		want := after.Less(newest) && ok
		_, conflict, known := c.conflicts([]byte(key), after)
		if known && conflict != want {
			t.Fatalf("step %d key %s after %v: cache says conflict=%v, truth %v (newest %v)", i, key, after, conflict, want, newest)
		}
		if sh := c.shard([]byte(key)); !known && !after.Less(sh.floor) {
			t.Fatalf("cache gave up although after >= floor")
		}
	}
}
