package kv

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"
)

func k(s string) [][]byte { return [][]byte{[]byte(s)} }

func mustLock(t *testing.T, txn *Txn, key string, mode LockMode) {
	t.Helper()
	got, err := txn.LockKeys(context.Background(), k(key), mode, WaitBlock)
	if err != nil || len(got) != 1 {
		t.Fatalf("lock %s: %v %q", key, err, got)
	}
}

// async runs f in a goroutine and returns a channel with its error.
func async(f func() error) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- f() }()
	return ch
}

func expectBlocked(t *testing.T, ch <-chan error) {
	t.Helper()
	select {
	case err := <-ch:
		t.Fatalf("expected to wait, finished with %v", err)
	case <-time.After(50 * time.Millisecond):
	}
}

func expectDone(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("still waiting")
		return nil
	}
}

func pgCode(err error) string {
	var c interface{ PGCode() string }
	if errors.As(err, &c) {
		return c.PGCode()
	}
	return ""
}

func TestLockWaitPolicies(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	write(t, db, "a", "0", "b", "0")
	t1 := db.Begin(ctx, ReadCommitted)
	mustLock(t, t1, "a", LockUpdate)

	t2 := db.Begin(ctx, ReadCommitted)
	if _, err := t2.LockKeys(ctx, k("a"), LockShare, WaitNoWait); !errors.Is(err, ErrLockNotAvailable) || pgCode(err) != "55P03" {
		t.Fatalf("NOWAIT: %v", err)
	}
	got, err := t2.LockKeys(ctx, [][]byte{[]byte("b"), []byte("a")}, LockUpdate, WaitSkipLocked)
	if err != nil || len(got) != 1 || string(got[0]) != "b" {
		t.Fatalf("SKIP LOCKED: %q %v", got, err)
	}
	t2.SetLockTimeout(30 * time.Millisecond)
	start := time.Now()
	_, err = t2.LockKeys(ctx, k("a"), LockUpdate, WaitBlock)
	var lna *LockNotAvailableError
	if !errors.As(err, &lna) || !lna.Timeout || pgCode(err) != "55P03" || err.Error() != "canceling statement due to lock timeout" {
		t.Fatalf("lock timeout: %v", err)
	}
	if time.Since(start) < 30*time.Millisecond {
		t.Fatal("lock timeout fired early")
	}
	t2.SetLockTimeout(0)
	cctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	_, err = t2.LockKeys(cctx, k("a"), LockUpdate, WaitBlock)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("statement timeout: %v", err)
	}
	_ = t2.Rollback(ctx)

	// Shared locks are compatible; an exclusive one waits for them.
	t3 := db.Begin(ctx, ReadCommitted)
	t4 := db.Begin(ctx, ReadCommitted)
	mustLock(t, t3, "b", LockShare)
	mustLock(t, t4, "b", LockShare)
	ch := async(func() error { _, err := t1.LockKeys(ctx, k("b"), LockUpdate, WaitBlock); return err })
	expectBlocked(t, ch)
	_ = t3.Rollback(ctx)
	expectBlocked(t, ch)
	mustCommit(t, t4)
	if err := expectDone(t, ch); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, t1)
	if n := db.store.Locks().Len(); n != 0 {
		t.Fatalf("%d locks held after all transactions ended", n)
	}
}

// TestWriterWaitsForLock: a commit writing a key locked by another
// transaction waits for it, then succeeds if the holder wrote nothing to
// it, or fails with 40001 if the holder committed a new version.
func TestWriterWaitsForLock(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	write(t, db, "a", "0")
	for _, holderWrites := range []bool{false, true} {
		holder := db.Begin(ctx, ReadCommitted)
		mustLock(t, holder, "a", LockUpdate)
		w := db.Begin(ctx, ReadCommitted)
		mustPut(t, w, "a", "w")
		ch := async(func() error { return w.Commit(ctx) })
		expectBlocked(t, ch)
		if holderWrites {
			mustPut(t, holder, "a", "h")
		}
		mustCommit(t, holder)
		err := expectDone(t, ch)
		if holderWrites && (!errors.Is(err, ErrSerializationFailure) || pgCode(err) != "40001") {
			t.Fatalf("writer after holder's write: %v", err)
		}
		if !holderWrites && err != nil {
			t.Fatalf("writer after holder released: %v", err)
		}
	}
}

// TestLockReadCommittedSeesLatest: under READ COMMITTED, locking a row
// another transaction just updated returns after its commit, and the row
// reads as the newest version (PostgreSQL's re-check); under REPEATABLE
// READ the same sequence fails with 40001.
func TestLockReadCommittedSeesLatest(t *testing.T) {
	ctx := context.Background()
	for _, iso := range []IsolationLevel{ReadCommitted, RepeatableRead} {
		db := openMem(t)
		write(t, db, "a", "0")
		u := db.Begin(ctx, ReadCommitted)
		mustLock(t, u, "a", LockUpdate)
		mustPut(t, u, "a", "1")
		l := db.Begin(ctx, iso)
		if got := getStr(t, l, "a"); got != "0" {
			t.Fatal(got)
		}
		l.Step()
		ch := async(func() error { _, err := l.LockKeys(ctx, k("a"), LockUpdate, WaitBlock); return err })
		expectBlocked(t, ch)
		mustCommit(t, u)
		err := expectDone(t, ch)
		if iso == RepeatableRead {
			if !errors.Is(err, ErrSerializationFailure) {
				t.Fatalf("RR lock of updated row: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := getStr(t, l, "a"); got != "1" {
			t.Fatalf("RC after lock reads %q, want the newest version 1", got)
		}
		mustPut(t, l, "a", "2")
		mustCommit(t, l)
	}
}

func TestDeadlockDetected(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	t1 := db.Begin(ctx, ReadCommitted)
	t2 := db.Begin(ctx, ReadCommitted)
	mustLock(t, t1, "a", LockUpdate)
	mustLock(t, t2, "b", LockUpdate)
	ch := async(func() error { _, err := t1.LockKeys(ctx, k("b"), LockUpdate, WaitBlock); return err })
	expectBlocked(t, ch)
	_, err := t2.LockKeys(ctx, k("a"), LockUpdate, WaitBlock)
	if !errors.Is(err, ErrDeadlock) || pgCode(err) != "40P01" {
		t.Fatalf("closing the cycle: %v", err)
	}
	expectBlocked(t, ch) // the other one keeps waiting
	_ = t2.Rollback(ctx)
	if err := expectDone(t, ch); err != nil {
		t.Fatalf("survivor: %v", err)
	}
	mustCommit(t, t1)

	// Three transactions in a cycle, one waiting through a commit.
	write(t, db, "x", "0")
	a, b, c := db.Begin(ctx, ReadCommitted), db.Begin(ctx, ReadCommitted), db.Begin(ctx, ReadCommitted)
	mustLock(t, a, "p", LockUpdate)
	mustLock(t, b, "q", LockUpdate)
	mustLock(t, c, "r", LockUpdate)
	mustPut(t, a, "q", "a")
	chA := async(func() error { return a.Commit(ctx) }) // waits for b
	expectBlocked(t, chA)
	chB := async(func() error { _, err := b.LockKeys(ctx, k("r"), LockUpdate, WaitBlock); return err })
	expectBlocked(t, chB)
	if _, err := c.LockKeys(ctx, k("p"), LockShare, WaitBlock); !errors.Is(err, ErrDeadlock) {
		t.Fatalf("three-way cycle: %v", err)
	}
	_ = c.Rollback(ctx)
	if err := expectDone(t, chB); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, b)
	if err := expectDone(t, chA); err != nil {
		t.Fatal(err)
	}
}

// TestAbandonedTxnLocksReleased drops a transaction holding a lock
// without ending it: once it is garbage-collected its locks go.
func TestAbandonedTxnLocksReleased(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	func() {
		t1 := db.Begin(ctx, ReadCommitted)
		mustLock(t, t1, "a", LockUpdate)
	}()
	t2 := db.Begin(ctx, ReadCommitted)
	var err error
	for i := 0; i < 100; i++ {
		runtime.GC()
		if _, err = t2.LockKeys(ctx, k("a"), LockUpdate, WaitNoWait); err == nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("lock of an abandoned transaction never released: %v", err)
	}
	if n := db.snaps.len(); n != 1 {
		t.Fatalf("%d registered snapshots, want 1 (t2's)", n)
	}
	mustCommit(t, t2)
}

// TestConcurrentLockers hammers one key with lockers that increment it:
// no update is lost, under READ COMMITTED, thanks to LockKeys.
func TestConcurrentLockers(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	write(t, db, "n", "0")
	const workers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				txn := db.Begin(ctx, ReadCommitted)
				if _, err := txn.LockKeys(ctx, k("n"), LockUpdate, WaitBlock); err != nil {
					errs <- err
					return
				}
				v, _, err := txn.Get(ctx, []byte("n"))
				if err != nil {
					errs <- err
					return
				}
				var n int
				for _, c := range v {
					n = n*10 + int(c-'0')
				}
				if err := txn.Put(ctx, []byte("n"), []byte(itoa(n+1))); err != nil {
					errs <- err
					return
				}
				if err := txn.Commit(ctx); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	r := db.Begin(ctx, ReadCommitted)
	if got := getStr(t, r, "n"); got != itoa(workers*each) {
		t.Fatalf("counter = %s, want %d", got, workers*each)
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// TestLockForInsert: an insert of a key that an uncommitted transaction
// is inserting waits for its outcome, then sees the newest committed
// version at every isolation level (PostgreSQL's unique check), and a
// key deleted after the snapshot can be inserted without a conflict.
func TestLockForInsert(t *testing.T) {
	ctx := context.Background()
	for _, iso := range []IsolationLevel{ReadCommitted, RepeatableRead, Serializable} {
		for _, commitFirst := range []bool{true, false} {
			db := openMem(t)
			write(t, db, "z", "0")
			b := db.Begin(ctx, iso)
			getStr(t, b, "z") // take the snapshot before a's insert
			a := db.Begin(ctx, ReadCommitted)
			if err := a.LockForInsert(ctx, k("a")); err != nil {
				t.Fatal(err)
			}
			mustPut(t, a, "a", "from a")
			ch := async(func() error { return b.LockForInsert(ctx, k("a")) })
			expectBlocked(t, ch)
			if commitFirst {
				mustCommit(t, a)
			} else if err := a.Rollback(ctx); err != nil {
				t.Fatal(err)
			}
			if err := expectDone(t, ch); err != nil {
				t.Fatalf("%s: %v", iso, err)
			}
			_, found, err := b.GetLatest(ctx, []byte("a"))
			if err != nil || found != commitFirst {
				t.Fatalf("%s commit=%v: latest found=%v err=%v", iso, commitFirst, found, err)
			}
			if _, snapFound, _ := b.Get(ctx, []byte("a")); snapFound && iso != ReadCommitted {
				t.Fatalf("%s: the snapshot must not see a's insert", iso)
			}
			if !commitFirst {
				mustPut(t, b, "a", "from b")
				mustCommit(t, b)
			} else if err := b.Rollback(ctx); err != nil {
				t.Fatal(err)
			}
		}
		// A key deleted after the snapshot is free to insert.
		db := openMem(t)
		write(t, db, "d", "old")
		b := db.Begin(ctx, iso)
		getStr(t, b, "z")
		del := db.Begin(ctx, ReadCommitted)
		if err := del.Delete(ctx, []byte("d")); err != nil {
			t.Fatal(err)
		}
		mustCommit(t, del)
		if err := b.LockForInsert(ctx, k("d")); err != nil {
			t.Fatal(err)
		}
		if _, found, err := b.GetLatest(ctx, []byte("d")); err != nil || found {
			t.Fatalf("%s: deleted key found=%v err=%v", iso, found, err)
		}
		mustPut(t, b, "d", "new")
		if err := b.Commit(ctx); err != nil {
			t.Fatalf("%s: insert over a concurrently deleted key: %v", iso, err)
		}
	}
}

func TestSnapshotTakenAtFirstRead(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	write(t, db, "a", "0")
	rr := db.Begin(ctx, RepeatableRead)
	if rr.SnapshotTaken() {
		t.Fatal("Begin took a snapshot")
	}
	write(t, db, "a", "1") // committed after Begin, before the first read
	if got := getStr(t, rr, "a"); got != "1" {
		t.Fatalf("RR first read = %q, want 1: the snapshot belongs to the first statement", got)
	}
	if !rr.SnapshotTaken() {
		t.Fatal("no snapshot after a read")
	}
	write(t, db, "a", "2")
	if got := getStr(t, rr, "a"); got != "1" {
		t.Fatalf("RR second read = %q, want 1", got)
	}
}
