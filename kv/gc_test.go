package kv

import (
	"context"
	"testing"
	"time"
)

func versionCount(t *testing.T, db *DB) int {
	t.Helper()
	it, err := db.eng.NewIterator(context.Background(), []byte{0x02}, []byte{0x03})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	n := 0
	for valid := it.First(); valid; valid = it.Next() {
		n++
	}
	return n
}

func TestGCKeepsWhatSnapshotsNeed(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Options{InMemory: true, Logger: quietLogger(), GCInterval: -1, GCPassVersions: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	write(t, db, "a", "1", "b", "1")
	old := db.Begin(ctx, RepeatableRead)
	if got := getStr(t, old, "a"); got != "1" {
		t.Fatal(got)
	}
	write(t, db, "a", "2")
	write(t, db, "a", "3", "b", "<del>")
	write(t, db, "c", "1")
	write(t, db, "c", "<del>")
	if n := versionCount(t, db); n != 7 {
		t.Fatalf("%d versions before GC, want 7", n)
	}
	st, err := db.RunGC(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// old's snapshot pins a=1 and b=1; c's versions are all newer than
	// it, so nothing can go.
	if st.Removed != 0 || st.Examined != 7 || !st.Wrapped {
		t.Fatalf("GC with an old snapshot open: %+v", st)
	}
	if got := scanStr(t, old, "", ""); got != "a=1 b=1" {
		t.Fatalf("old snapshot after GC: %q", got)
	}
	mustCommit(t, old)
	st, err = db.RunGC(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Left: a=3 only (b and c end in tombstones).
	if st.Removed != 6 || versionCount(t, db) != 1 {
		t.Fatalf("GC after the snapshot closed: %+v, %d versions left", st, versionCount(t, db))
	}
	r := db.Begin(ctx, ReadCommitted)
	if got := scanStr(t, r, "", ""); got != "a=3" {
		t.Fatalf("after GC: %q", got)
	}
	_ = r.Rollback(ctx)
}

func TestGCBackground(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Options{InMemory: true, Logger: quietLogger(), GCInterval: 5 * time.Millisecond, GCPassVersions: 10})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		write(t, db, "hot", itoa(i))
	}
	deadline := time.Now().Add(5 * time.Second)
	for versionCount(t, db) > 1 {
		if time.Now().After(deadline) {
			t.Fatalf("background GC left %d versions of one key", versionCount(t, db))
		}
		time.Sleep(5 * time.Millisecond)
	}
	r := db.Begin(ctx, ReadCommitted)
	if got := getStr(t, r, "hot"); got != "49" {
		t.Fatalf("after GC: %q", got)
	}
	_ = r.Rollback(ctx)
	// Close stops the collector.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-db.gcDone:
	default:
		t.Fatal("GC goroutine still running after Close")
	}
}
