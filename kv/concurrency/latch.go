package concurrency

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
)

// LatchManager hands out exclusive per-key latches. The zero value is not
// usable; call NewLatchManager. It is safe for concurrent use.
type LatchManager struct {
	mu struct {
		sync.Mutex
		// held maps a latched key to a channel closed when it is released.
		held map[string]chan struct{}
	}
}

// NewLatchManager returns an empty latch manager.
func NewLatchManager() *LatchManager {
	m := &LatchManager{}
	m.mu.held = make(map[string]chan struct{})
	return m
}

// Guard is a set of held latches.
type Guard struct {
	m    *LatchManager
	keys []string
	done chan struct{}
}

// Acquire blocks until it holds a latch on every key in keys (duplicates
// allowed) or ctx is done, in which case it holds none and returns the
// context's error. keys is not retained.
func (m *LatchManager) Acquire(ctx context.Context, keys [][]byte) (*Guard, error) {
	sorted := make([]string, 0, len(keys))
	for _, k := range keys {
		sorted = append(sorted, string(k))
	}
	slices.SortFunc(sorted, func(a, b string) int { return bytes.Compare([]byte(a), []byte(b)) })
	sorted = slices.Compact(sorted)
	g := &Guard{m: m, done: make(chan struct{})}
	for _, k := range sorted {
		for {
			m.mu.Lock()
			ch, busy := m.mu.held[k]
			if !busy {
				m.mu.held[k] = g.done
				m.mu.Unlock()
				g.keys = append(g.keys, k)
				break
			}
			m.mu.Unlock()
			select {
			case <-ch:
			case <-ctx.Done():
				g.Release()
				return nil, fmt.Errorf("concurrency: waiting for latch: %w", ctx.Err())
			}
		}
	}
	return g, nil
}

// Release releases every latch in the guard and wakes their waiters.
func (g *Guard) Release() {
	g.m.mu.Lock()
	for _, k := range g.keys {
		delete(g.m.mu.held, k)
	}
	g.m.mu.Unlock()
	g.keys = nil
	close(g.done)
}
