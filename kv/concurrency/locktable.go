package concurrency

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aegisdb/aegis/kv/kvpb"
)

// LockTable holds the row locks of transactions on one node and the
// waits-for graph between them. It is safe for concurrent use; all state
// is guarded by one mutex, held only for map operations, never across a
// wait.
type LockTable struct {
	mu struct {
		sync.Mutex
		locks map[string]*lockState
		// held lists the keys each transaction holds a lock on.
		held map[kvpb.TxnID]map[string]struct{}
		// waiting is the waits-for graph: what each blocked transaction
		// waits for. An edge runs from the waiter to every holder of
		// the key whose lock conflicts with the wanted mode.
		waiting map[kvpb.TxnID]waitFor
	}
}

type lockState struct {
	holders map[kvpb.TxnID]kvpb.LockMode
	waiters int
	// changed is closed (and replaced) whenever a holder leaves.
	changed chan struct{}
}

type waitFor struct {
	key  string
	mode kvpb.LockMode
}

// NewLockTable returns an empty lock table.
func NewLockTable() *LockTable {
	lt := &LockTable{}
	lt.mu.locks = make(map[string]*lockState)
	lt.mu.held = make(map[kvpb.TxnID]map[string]struct{})
	lt.mu.waiting = make(map[kvpb.TxnID]waitFor)
	return lt
}

// AcquireOptions say how to acquire locks.
type AcquireOptions struct {
	Mode   kvpb.LockMode
	Policy kvpb.WaitPolicy
	// Timeout bounds the time spent waiting for all the keys of one
	// Acquire call (lock_timeout); zero waits until ctx ends.
	Timeout time.Duration
}

func conflicts(held, want kvpb.LockMode) bool {
	return held == kvpb.LockExclusive || want == kvpb.LockExclusive
}

// blockersLocked returns the holders of ls, other than txn, whose lock
// conflicts with mode.
func blockersLocked(ls *lockState, txn kvpb.TxnID, mode kvpb.LockMode) []kvpb.TxnID {
	var out []kvpb.TxnID
	for h, m := range ls.holders {
		if h != txn && conflicts(m, mode) {
			out = append(out, h)
		}
	}
	return out
}

// Acquire locks keys for txn in the given order (callers pass ascending
// keys so that concurrent acquirers cannot deadlock among themselves) and
// returns the keys it locked: all of them, except those skipped under
// kvpb.WaitSkipLocked. Locks txn already holds are kept, and upgraded if
// opts.Mode is stronger.
//
// On error (kvpb.LockNotAvailableError for NOWAIT or the timeout,
// kvpb.DeadlockError if txn's wait would close a cycle of waiting
// transactions, or the context's error) the locks this call newly took
// are released again; earlier locks stay. The returned slices alias keys.
func (lt *LockTable) Acquire(ctx context.Context, txn kvpb.TxnID, keys [][]byte, opts AcquireOptions) (locked [][]byte, err error) {
	if txn.IsEmpty() {
		return nil, fmt.Errorf("concurrency: lock request without a transaction")
	}
	if opts.Mode != kvpb.LockShared && opts.Mode != kvpb.LockExclusive {
		return nil, fmt.Errorf("concurrency: invalid lock mode %v", opts.Mode)
	}
	var newly [][]byte
	defer func() {
		if err != nil {
			lt.Release(txn, newly)
		}
	}()
	var timeout <-chan time.Time
	if opts.Timeout > 0 && opts.Policy == kvpb.WaitBlock {
		tm := time.NewTimer(opts.Timeout)
		defer tm.Stop()
		timeout = tm.C
	}
	locked = keys[:0:0]
	for _, key := range keys {
		got, isNew, err := lt.acquireOne(ctx, txn, key, opts, timeout)
		if err != nil {
			return nil, err
		}
		if isNew {
			newly = append(newly, key)
		}
		if got {
			locked = append(locked, key)
		}
	}
	return locked, nil
}

func (lt *LockTable) acquireOne(
	ctx context.Context, txn kvpb.TxnID, key []byte, opts AcquireOptions, timeout <-chan time.Time,
) (got, isNew bool, err error) {
	k := string(key)
	lt.mu.Lock()
	defer lt.mu.Unlock()
	for {
		ls := lt.mu.locks[k]
		if ls == nil {
			ls = &lockState{holders: make(map[kvpb.TxnID]kvpb.LockMode, 1), changed: make(chan struct{})}
			lt.mu.locks[k] = ls
		}
		blockers := blockersLocked(ls, txn, opts.Mode)
		if len(blockers) == 0 {
			prev, had := ls.holders[txn]
			if !had || prev < opts.Mode {
				ls.holders[txn] = opts.Mode
			}
			if !had {
				set := lt.mu.held[txn]
				if set == nil {
					set = make(map[string]struct{})
					lt.mu.held[txn] = set
				}
				set[k] = struct{}{}
			}
			return true, !had, nil
		}
		switch opts.Policy {
		case kvpb.WaitSkipLocked:
			lt.gcLocked(k, ls)
			return false, false, nil
		case kvpb.WaitNoWait:
			lt.gcLocked(k, ls)
			return false, false, &kvpb.LockNotAvailableError{Key: slices.Clone(key)}
		}
		lt.mu.waiting[txn] = waitFor{key: k, mode: opts.Mode}
		if cycle := lt.findCycleLocked(txn); cycle != nil {
			delete(lt.mu.waiting, txn)
			lt.gcLocked(k, ls)
			return false, false, &kvpb.DeadlockError{Key: slices.Clone(key), Cycle: cycle}
		}
		ch := ls.changed
		ls.waiters++
		lt.mu.Unlock()
		var werr error
		select {
		case <-ch:
		case <-timeout:
			werr = &kvpb.LockNotAvailableError{Key: slices.Clone(key), Timeout: true}
		case <-ctx.Done():
			werr = fmt.Errorf("concurrency: waiting for lock: %w", ctx.Err())
		}
		lt.mu.Lock()
		ls.waiters--
		delete(lt.mu.waiting, txn)
		if werr != nil {
			lt.gcLocked(k, ls)
			return false, false, werr
		}
	}
}

// findCycleLocked returns the transactions of a waits-for cycle through
// start (start first), or nil.
func (lt *LockTable) findCycleLocked(start kvpb.TxnID) []kvpb.TxnID {
	visited := map[kvpb.TxnID]bool{}
	var path []kvpb.TxnID
	var visit func(t kvpb.TxnID) bool
	visit = func(t kvpb.TxnID) bool {
		w, ok := lt.mu.waiting[t]
		if !ok {
			return false
		}
		ls := lt.mu.locks[w.key]
		if ls == nil {
			return false
		}
		path = append(path, t)
		for _, h := range blockersLocked(ls, t, w.mode) {
			if h == start {
				return true
			}
			if !visited[h] {
				visited[h] = true
				if visit(h) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		return false
	}
	if visit(start) {
		return path
	}
	return nil
}

// gcLocked drops the state of an unlocked key nobody waits for.
func (lt *LockTable) gcLocked(k string, ls *lockState) {
	if len(ls.holders) == 0 && ls.waiters == 0 && lt.mu.locks[k] == ls {
		delete(lt.mu.locks, k)
	}
}

// Release releases txn's locks on keys; keys it does not lock are ignored.
func (lt *LockTable) Release(txn kvpb.TxnID, keys [][]byte) {
	if len(keys) == 0 {
		return
	}
	lt.mu.Lock()
	defer lt.mu.Unlock()
	for _, key := range keys {
		lt.releaseLocked(txn, string(key))
	}
}

// ReleaseAll releases every lock txn holds (an abandoned transaction).
func (lt *LockTable) ReleaseAll(txn kvpb.TxnID) {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	for k := range lt.mu.held[txn] {
		lt.releaseLocked(txn, k)
	}
}

func (lt *LockTable) releaseLocked(txn kvpb.TxnID, k string) {
	ls := lt.mu.locks[k]
	if ls == nil {
		return
	}
	if _, ok := ls.holders[txn]; !ok {
		return
	}
	delete(ls.holders, txn)
	if set := lt.mu.held[txn]; set != nil {
		delete(set, k)
		if len(set) == 0 {
			delete(lt.mu.held, txn)
		}
	}
	close(ls.changed)
	ls.changed = make(chan struct{})
	lt.gcLocked(k, ls)
}

// Holders returns the transactions holding a lock on key and their modes.
func (lt *LockTable) Holders(key []byte) map[kvpb.TxnID]kvpb.LockMode {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	ls := lt.mu.locks[string(key)]
	if ls == nil {
		return nil
	}
	out := make(map[kvpb.TxnID]kvpb.LockMode, len(ls.holders))
	for h, m := range ls.holders {
		out[h] = m
	}
	return out
}

// Len returns the number of locked keys.
func (lt *LockTable) Len() int {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	n := 0
	for _, ls := range lt.mu.locks {
		if len(ls.holders) > 0 {
			n++
		}
	}
	return n
}
