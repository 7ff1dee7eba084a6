package concurrency

import (
	"context"
	"fmt"
	"hash/maphash"
	"slices"
	"sync"
	"time"

	"github.com/aegisdb/aegis/kv/kvpb"
)

// lockShards is the number of independently locked parts of the table.
const lockShards = 64

// LockTable holds the row locks of transactions on one node and the
// waits-for graph between them. It is safe for concurrent use.
//
// Keys are spread over shards by hash, each with its own mutex, so that
// transactions locking different keys (every single-row commit locks its
// key) rarely contend. The waits-for graph has a mutex of its own, taken
// only when a transaction waits or a waited-for key changes holders, and
// always after the key's shard mutex. Its edges are kept exact: a waiter
// has an edge to every current holder of its key whose lock conflicts with
// the wanted mode, updated under the key's shard mutex whenever that key
// gains or loses a holder, so deadlock detection needs no shard mutex.
type LockTable struct {
	seed   maphash.Seed
	shards [lockShards]lockShard
	graph  struct {
		sync.Mutex
		// waiting is what each blocked transaction waits for.
		waiting map[kvpb.TxnID]*waiter
	}
}

type lockShard struct {
	mu    sync.Mutex
	locks map[string]*lockState
	_     [40]byte // keep shards on separate cache lines
}

type holder struct {
	txn  kvpb.TxnID
	mode kvpb.LockMode
}

type lockState struct {
	// holders are the transactions holding a lock on the key; usually
	// one, stored in inline.
	holders []holder
	inline  [1]holder
	// waiters are the transactions waiting for the key.
	waiters []*waiter
	// changed is closed whenever a holder leaves or weakens its lock,
	// waking the waiters; nil until somebody waits.
	changed chan struct{}
}

// waiter is one blocked transaction.
type waiter struct {
	txn  kvpb.TxnID
	mode kvpb.LockMode
	// blockers are the holders of the key whose locks conflict with
	// mode: the transaction's edges in the waits-for graph. Guarded by
	// the graph mutex.
	blockers []kvpb.TxnID
}

var lockStatePool = sync.Pool{New: func() any { return new(lockState) }}

func newLockState() *lockState {
	ls := lockStatePool.Get().(*lockState)
	ls.holders = ls.inline[:0]
	return ls
}

// NewLockTable returns an empty lock table.
func NewLockTable() *LockTable {
	lt := &LockTable{seed: maphash.MakeSeed()}
	for i := range lt.shards {
		lt.shards[i].locks = make(map[string]*lockState)
	}
	lt.graph.waiting = make(map[kvpb.TxnID]*waiter)
	return lt
}

func (lt *LockTable) shard(key []byte) *lockShard {
	return &lt.shards[maphash.Bytes(lt.seed, key)%lockShards]
}

// AcquireOptions say how to acquire locks.
type AcquireOptions struct {
	// Mode is the lock mode of every key, unless Modes is set.
	Mode kvpb.LockMode
	// Modes, if not nil, has the mode of each key (same length as keys).
	Modes  []kvpb.LockMode
	Policy kvpb.WaitPolicy
	// Timeout bounds the time spent waiting for all the keys of one
	// Acquire call (lock_timeout); zero waits until ctx ends.
	Timeout time.Duration
}

func (o *AcquireOptions) mode(i int) kvpb.LockMode {
	if o.Modes != nil {
		return o.Modes[i]
	}
	return o.Mode
}

func (ls *lockState) holderIndex(txn kvpb.TxnID) int {
	for i := range ls.holders {
		if ls.holders[i].txn == txn {
			return i
		}
	}
	return -1
}

// blockers appends to out the holders of ls, other than txn, whose lock
// conflicts with mode.
func (ls *lockState) blockers(out []kvpb.TxnID, txn kvpb.TxnID, mode kvpb.LockMode) []kvpb.TxnID {
	for _, h := range ls.holders {
		if h.txn != txn && kvpb.LocksConflict(h.mode, mode) {
			out = append(out, h.txn)
		}
	}
	return out
}

func (ls *lockState) blocked(txn kvpb.TxnID, mode kvpb.LockMode) bool {
	for _, h := range ls.holders {
		if h.txn != txn && kvpb.LocksConflict(h.mode, mode) {
			return true
		}
	}
	return false
}

// Acquire locks keys for txn in the given order (callers pass ascending
// keys so that concurrent acquirers cannot deadlock among themselves) and
// returns the keys it locked: all of them, except those skipped under
// kvpb.WaitSkipLocked. Locks txn already holds are kept, and upgraded if
// the wanted mode is stronger.
//
// On error (kvpb.LockNotAvailableError for NOWAIT or the timeout,
// kvpb.DeadlockError if txn's wait would close a cycle of waiting
// transactions, or the context's error) the locks this call newly took
// are released again; earlier locks stay (upgrades stay too). The
// returned slices alias keys.
func (lt *LockTable) Acquire(ctx context.Context, txn kvpb.TxnID, keys [][]byte, opts AcquireOptions) (locked [][]byte, err error) {
	if txn.IsEmpty() {
		return nil, fmt.Errorf("concurrency: lock request without a transaction")
	}
	if opts.Modes != nil && len(opts.Modes) != len(keys) {
		return nil, fmt.Errorf("concurrency: %d lock modes for %d keys", len(opts.Modes), len(keys))
	}
	for i := range keys {
		if m := opts.mode(i); !m.Valid() {
			return nil, fmt.Errorf("concurrency: invalid lock mode %v", m)
		}
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
	if opts.Policy != kvpb.WaitSkipLocked {
		locked = keys
	}
	for i, key := range keys {
		got, isNew, err := lt.acquireOne(ctx, txn, key, opts.mode(i), opts.Policy, timeout)
		if err != nil {
			return nil, err
		}
		if isNew {
			newly = append(newly, key)
		}
		if got && opts.Policy == kvpb.WaitSkipLocked {
			locked = append(locked, key)
		}
	}
	return locked, nil
}

func (lt *LockTable) acquireOne(
	ctx context.Context, txn kvpb.TxnID, key []byte, mode kvpb.LockMode, policy kvpb.WaitPolicy, timeout <-chan time.Time,
) (got, isNew bool, err error) {
	s := lt.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		ls := s.locks[string(key)]
		if ls == nil {
			ls = newLockState()
			s.locks[string(key)] = ls
		}
		if !ls.blocked(txn, mode) {
			if i := ls.holderIndex(txn); i >= 0 {
				if ls.holders[i].mode < mode { // modes are ordered by strength
					ls.holders[i].mode = mode
					lt.addEdgesLocked(ls, txn, mode)
				}
				return true, false, nil
			}
			ls.holders = append(ls.holders, holder{txn: txn, mode: mode})
			lt.addEdgesLocked(ls, txn, mode)
			return true, true, nil
		}
		switch policy {
		case kvpb.WaitSkipLocked:
			s.gcLocked(key, ls)
			return false, false, nil
		case kvpb.WaitNoWait:
			s.gcLocked(key, ls)
			return false, false, &kvpb.LockNotAvailableError{Key: slices.Clone(key)}
		}
		w := &waiter{txn: txn, mode: mode}
		lt.graph.Lock()
		w.blockers = ls.blockers(nil, txn, mode)
		lt.graph.waiting[txn] = w
		if cycle := lt.findCycleLocked(txn); cycle != nil {
			delete(lt.graph.waiting, txn)
			lt.graph.Unlock()
			s.gcLocked(key, ls)
			return false, false, &kvpb.DeadlockError{Key: slices.Clone(key), Cycle: cycle}
		}
		lt.graph.Unlock()
		ls.waiters = append(ls.waiters, w)
		if ls.changed == nil {
			ls.changed = make(chan struct{})
		}
		ch := ls.changed
		s.mu.Unlock()
		var werr error
		select {
		case <-ch:
		case <-timeout:
			werr = &kvpb.LockNotAvailableError{Key: slices.Clone(key), Timeout: true}
		case <-ctx.Done():
			werr = fmt.Errorf("concurrency: waiting for lock: %w", ctx.Err())
		}
		s.mu.Lock()
		if i := slices.Index(ls.waiters, w); i >= 0 {
			ls.waiters = slices.Delete(ls.waiters, i, i+1)
		}
		lt.graph.Lock()
		delete(lt.graph.waiting, txn)
		lt.graph.Unlock()
		if werr != nil {
			s.gcLocked(key, ls)
			return false, false, werr
		}
		// ls may have been dropped from the shard meanwhile only if it
		// had no holders and no waiters; it had this waiter, so it is
		// still the key's state.
	}
}

// addEdgesLocked adds the edges from the waiters of ls to txn, which has
// just taken (or strengthened) a lock of mode on the key. The shard's
// mutex is held.
func (lt *LockTable) addEdgesLocked(ls *lockState, txn kvpb.TxnID, mode kvpb.LockMode) {
	if len(ls.waiters) == 0 {
		return
	}
	lt.graph.Lock()
	defer lt.graph.Unlock()
	for _, w := range ls.waiters {
		if w.txn != txn && kvpb.LocksConflict(mode, w.mode) && !slices.Contains(w.blockers, txn) {
			w.blockers = append(w.blockers, txn)
		}
	}
}

// findCycleLocked returns the transactions of a waits-for cycle through
// start (start first), or nil. The graph mutex is held.
func (lt *LockTable) findCycleLocked(start kvpb.TxnID) []kvpb.TxnID {
	visited := map[kvpb.TxnID]bool{}
	var path []kvpb.TxnID
	var visit func(t kvpb.TxnID) bool
	visit = func(t kvpb.TxnID) bool {
		w, ok := lt.graph.waiting[t]
		if !ok {
			return false
		}
		path = append(path, t)
		for _, h := range w.blockers {
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
func (s *lockShard) gcLocked(key []byte, ls *lockState) {
	if len(ls.holders) == 0 && len(ls.waiters) == 0 && s.locks[string(key)] == ls {
		delete(s.locks, string(key))
		*ls = lockState{}
		lockStatePool.Put(ls)
	}
}

// Release releases txn's locks on keys; keys it does not lock are ignored.
func (lt *LockTable) Release(txn kvpb.TxnID, keys [][]byte) {
	for _, key := range keys {
		s := lt.shard(key)
		s.mu.Lock()
		lt.releaseLocked(s, txn, key, 0)
		s.mu.Unlock()
	}
}

// Downgrade weakens txn's locks on keys to mode, or releases them if mode
// is zero; locks already at most that strong are left alone. (ROLLBACK TO
// SAVEPOINT undoes the lock upgrades made after the savepoint.)
func (lt *LockTable) Downgrade(txn kvpb.TxnID, keys [][]byte, mode kvpb.LockMode) {
	for _, key := range keys {
		s := lt.shard(key)
		s.mu.Lock()
		lt.releaseLocked(s, txn, key, mode)
		s.mu.Unlock()
	}
}

// ReleaseAll releases every lock txn holds (an abandoned transaction). It
// scans the whole table.
func (lt *LockTable) ReleaseAll(txn kvpb.TxnID) {
	for i := range lt.shards {
		s := &lt.shards[i]
		s.mu.Lock()
		var keys []string
		for k, ls := range s.locks {
			if ls.holderIndex(txn) >= 0 {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			lt.releaseLocked(s, txn, []byte(k), 0)
		}
		s.mu.Unlock()
	}
}

// releaseLocked lowers txn's lock on key to mode (zero: releases it).
func (lt *LockTable) releaseLocked(s *lockShard, txn kvpb.TxnID, key []byte, mode kvpb.LockMode) {
	ls := s.locks[string(key)]
	if ls == nil {
		return
	}
	i := ls.holderIndex(txn)
	if i < 0 || ls.holders[i].mode <= mode {
		return
	}
	if mode == 0 {
		ls.holders = slices.Delete(ls.holders, i, i+1)
	} else {
		ls.holders[i].mode = mode
	}
	if len(ls.waiters) > 0 {
		lt.graph.Lock()
		for _, w := range ls.waiters {
			if j := slices.Index(w.blockers, txn); j >= 0 && (mode == 0 || !kvpb.LocksConflict(mode, w.mode)) {
				w.blockers = slices.Delete(w.blockers, j, j+1)
			}
		}
		lt.graph.Unlock()
	}
	if ls.changed != nil {
		// Wake the waiters; the next one to wait makes a new channel.
		close(ls.changed)
		ls.changed = nil
	}
	s.gcLocked(key, ls)
}

// Holders returns the transactions holding a lock on key and their modes.
func (lt *LockTable) Holders(key []byte) map[kvpb.TxnID]kvpb.LockMode {
	s := lt.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	ls := s.locks[string(key)]
	if ls == nil {
		return nil
	}
	out := make(map[kvpb.TxnID]kvpb.LockMode, len(ls.holders))
	for _, h := range ls.holders {
		out[h.txn] = h.mode
	}
	return out
}

// Len returns the number of locked keys.
func (lt *LockTable) Len() int {
	n := 0
	for i := range lt.shards {
		s := &lt.shards[i]
		s.mu.Lock()
		for _, ls := range s.locks {
			if len(ls.holders) > 0 {
				n++
			}
		}
		s.mu.Unlock()
	}
	return n
}

// waiting reports whether txn is waiting for a lock.
func (lt *LockTable) waiting(txn kvpb.TxnID) bool {
	lt.graph.Lock()
	defer lt.graph.Unlock()
	_, ok := lt.graph.waiting[txn]
	return ok
}

// entries returns the number of keys with state (held or waited for).
func (lt *LockTable) entries() int {
	n := 0
	for i := range lt.shards {
		s := &lt.shards[i]
		s.mu.Lock()
		n += len(s.locks)
		s.mu.Unlock()
	}
	return n
}
