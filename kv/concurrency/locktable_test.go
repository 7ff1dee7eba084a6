package concurrency

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aegisdb/aegis/kv/kvpb"
)

func TestLockTableDeadlockAndRelease(t *testing.T) {
	ctx := context.Background()
	lt := NewLockTable()
	a, b := kvpb.NewTxnID(), kvpb.NewTxnID()
	ex := AcquireOptions{Mode: kvpb.LockUpdate}
	if _, err := lt.Acquire(ctx, a, [][]byte{[]byte("x")}, ex); err != nil {
		t.Fatal(err)
	}
	if _, err := lt.Acquire(ctx, b, [][]byte{[]byte("y")}, ex); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := lt.Acquire(ctx, a, [][]byte{[]byte("y")}, ex); done <- err }()
	// Wait until a is registered as waiting.
	for i := 0; ; i++ {
		if lt.waiting(a) {
			break
		}
		if i > 1000 {
			t.Fatal("a never waited")
		}
		time.Sleep(time.Millisecond)
	}
	_, err := lt.Acquire(ctx, b, [][]byte{[]byte("x")}, ex)
	var dl *kvpb.DeadlockError
	if !errors.As(err, &dl) || len(dl.Cycle) != 2 || dl.Cycle[0] != b || dl.Cycle[1] != a {
		t.Fatalf("deadlock: %v", err)
	}
	lt.ReleaseAll(b)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if h := lt.Holders([]byte("y")); h[a] != kvpb.LockUpdate || len(h) != 1 {
		t.Fatalf("holders of y: %v", h)
	}
	lt.ReleaseAll(a)
	if lt.Len() != 0 || lt.entries() != 0 || len(lt.graph.waiting) != 0 {
		t.Fatalf("state left after releasing everything: %d locks", lt.Len())
	}
}

func TestLockTableUpgradeAndFailedAcquireReleases(t *testing.T) {
	ctx := context.Background()
	lt := NewLockTable()
	a, b := kvpb.NewTxnID(), kvpb.NewTxnID()
	sh := AcquireOptions{Mode: kvpb.LockShare}
	if _, err := lt.Acquire(ctx, a, [][]byte{[]byte("k")}, sh); err != nil {
		t.Fatal(err)
	}
	// Re-entrant upgrade while alone.
	if _, err := lt.Acquire(ctx, a, [][]byte{[]byte("k")}, AcquireOptions{Mode: kvpb.LockUpdate}); err != nil {
		t.Fatal(err)
	}
	// b locks "j" then fails NOWAIT on "k": "j" (newly taken) is released.
	_, err := lt.Acquire(ctx, b, [][]byte{[]byte("j"), []byte("k")}, AcquireOptions{Mode: kvpb.LockShare, Policy: kvpb.WaitNoWait})
	if !errors.Is(err, kvpb.ErrLockNotAvailable) {
		t.Fatalf("NOWAIT: %v", err)
	}
	if h := lt.Holders([]byte("j")); len(h) != 0 {
		t.Fatalf("failed acquire kept j: %v", h)
	}
}

// TestLockTableRandomized runs transactions that lock random keys in
// random modes and orders, so that they wait for each other and deadlock.
// It checks that two transactions never hold conflicting locks on a key,
// that every wait ends (each deadlock is found: a missed one would hang
// until the test's deadline), and that nothing is left afterwards.
func TestLockTableRandomized(t *testing.T) {
	lt := NewLockTable()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const workers, rounds, nkeys = 8, 300, 6
	modes := []kvpb.LockMode{kvpb.LockKeyShare, kvpb.LockShare, kvpb.LockNoKeyUpdate, kvpb.LockUpdate}
	var deadlocks atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for range rounds {
				txn := kvpb.NewTxnID()
				var held [][]byte
				for range 1 + r.IntN(3) {
					key := []byte{byte('a' + r.IntN(nkeys))}
					mode := modes[r.IntN(len(modes))]
					_, err := lt.Acquire(ctx, txn, [][]byte{key}, AcquireOptions{Mode: mode})
					if errors.Is(err, kvpb.ErrDeadlock) {
						deadlocks.Add(1)
						break
					}
					if err != nil {
						errs <- fmt.Errorf("acquire: %w", err)
						lt.ReleaseAll(txn)
						return
					}
					held = append(held, key)
					// No other holder may conflict with ours.
					mine := lt.Holders(key)[txn]
					for h, m := range lt.Holders(key) {
						if h != txn && kvpb.LocksConflict(m, mine) {
							errs <- fmt.Errorf("key %s: %v holds %v while %v holds %v", key, h, m, txn, mine)
						}
					}
				}
				if r.IntN(2) == 0 {
					lt.ReleaseAll(txn)
				} else {
					lt.Release(txn, held)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if lt.Len() != 0 || lt.entries() != 0 || len(lt.graph.waiting) != 0 {
		t.Fatalf("state left: %d locked keys, %d entries, %d waiting", lt.Len(), lt.entries(), len(lt.graph.waiting))
	}
	t.Logf("%d deadlocks detected", deadlocks.Load())
}
