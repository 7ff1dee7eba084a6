package localstore

import (
	"sync"

	"github.com/aegisdb/aegis/internal/hlc"
)

// writeTSCache remembers the timestamp of the newest committed version of
// recently written keys, so that the write-write conflict check of a
// commit usually needs no storage read.
//
// Invariant: for every key, the newest committed version's timestamp is
// the cached one if the key is cached, and at most floor otherwise. Every
// path that writes a committed version calls note while it holds the
// key's lock; eviction raises floor to the largest evicted timestamp.
//
// The cache is split into shards by key hash (each with its own lock,
// floor and limit) so that concurrent committers rarely contend.
type writeTSCache struct {
	shards [16]wtsShard
}

type wtsShard struct {
	mu    sync.Mutex
	m     map[string]hlc.Timestamp
	max   hlc.Timestamp // largest timestamp in m
	floor hlc.Timestamp
	limit int
}

func newWriteTSCache(floor hlc.Timestamp, limit int) *writeTSCache {
	c := &writeTSCache{}
	for i := range c.shards {
		c.shards[i] = wtsShard{m: make(map[string]hlc.Timestamp), floor: floor, limit: max(1, limit/len(c.shards))}
	}
	return c
}

func (c *writeTSCache) shard(key []byte) *wtsShard {
	h := uint32(2166136261) // FNV-1a
	for _, b := range key {
		h = (h ^ uint32(b)) * 16777619
	}
	return &c.shards[h%uint32(len(c.shards))]
}

// note records a committed version of key at ts.
func (c *writeTSCache) note(key []byte, ts hlc.Timestamp) { c.shard(key).note(key, ts) }

// conflicts reports whether key has a committed version newer than after:
// known=false means the cache cannot tell (read storage).
func (c *writeTSCache) conflicts(key []byte, after hlc.Timestamp) (ts hlc.Timestamp, conflict, known bool) {
	return c.shard(key).conflicts(key, after)
}

func (c *wtsShard) note(key []byte, ts hlc.Timestamp) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.limit {
		// Evict everything at once: simple, and the floor stays recent
		// because it is at most the newest commit's timestamp.
		if c.floor.Less(c.max) {
			c.floor = c.max
		}
		clear(c.m)
	}
	if prev, ok := c.m[string(key)]; !ok || prev.Less(ts) {
		c.m[string(key)] = ts
	}
	if c.max.Less(ts) {
		c.max = ts
	}
}

func (c *wtsShard) conflicts(key []byte, after hlc.Timestamp) (ts hlc.Timestamp, conflict, known bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ts, ok := c.m[string(key)]; ok {
		return ts, after.Less(ts), true
	}
	if !after.Less(c.floor) {
		return hlc.Timestamp{}, false, true
	}
	return hlc.Timestamp{}, false, false
}
