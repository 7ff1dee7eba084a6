package concurrency

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aegisdb/aegis/kv/kvpb"
)

func TestLockTableDeadlockAndRelease(t *testing.T) {
	ctx := context.Background()
	lt := NewLockTable()
	a, b := kvpb.NewTxnID(), kvpb.NewTxnID()
	ex := AcquireOptions{Mode: kvpb.LockExclusive}
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
		lt.mu.Lock()
		_, waiting := lt.mu.waiting[a]
		lt.mu.Unlock()
		if waiting {
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
	if h := lt.Holders([]byte("y")); h[a] != kvpb.LockExclusive || len(h) != 1 {
		t.Fatalf("holders of y: %v", h)
	}
	lt.ReleaseAll(a)
	if lt.Len() != 0 || len(lt.mu.locks) != 0 || len(lt.mu.held) != 0 || len(lt.mu.waiting) != 0 {
		t.Fatalf("state left after releasing everything: %d locks", lt.Len())
	}
}

func TestLockTableUpgradeAndFailedAcquireReleases(t *testing.T) {
	ctx := context.Background()
	lt := NewLockTable()
	a, b := kvpb.NewTxnID(), kvpb.NewTxnID()
	sh := AcquireOptions{Mode: kvpb.LockShared}
	if _, err := lt.Acquire(ctx, a, [][]byte{[]byte("k")}, sh); err != nil {
		t.Fatal(err)
	}
	// Re-entrant upgrade while alone.
	if _, err := lt.Acquire(ctx, a, [][]byte{[]byte("k")}, AcquireOptions{Mode: kvpb.LockExclusive}); err != nil {
		t.Fatal(err)
	}
	// b locks "j" then fails NOWAIT on "k": "j" (newly taken) is released.
	_, err := lt.Acquire(ctx, b, [][]byte{[]byte("j"), []byte("k")}, AcquireOptions{Mode: kvpb.LockShared, Policy: kvpb.WaitNoWait})
	if !errors.Is(err, kvpb.ErrLockNotAvailable) {
		t.Fatalf("NOWAIT: %v", err)
	}
	if h := lt.Holders([]byte("j")); len(h) != 0 {
		t.Fatalf("failed acquire kept j: %v", h)
	}
}
