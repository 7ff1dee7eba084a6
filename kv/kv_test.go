package kv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"
)

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func openMem(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), Options{InMemory: true, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func mustPut(t testing.TB, txn *Txn, k, v string) {
	t.Helper()
	if err := txn.Put(context.Background(), []byte(k), []byte(v)); err != nil {
		t.Fatal(err)
	}
}

func mustCommit(t testing.TB, txn *Txn) {
	t.Helper()
	if err := txn.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func getStr(t testing.TB, txn *Txn, k string) string {
	t.Helper()
	v, ok, err := txn.Get(context.Background(), []byte(k))
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return "<none>"
	}
	return string(v)
}

func scanStr(t testing.TB, txn *Txn, start, end string) string {
	t.Helper()
	var s, e []byte
	if start != "" {
		s = []byte(start)
	}
	if end != "" {
		e = []byte(end)
	}
	it := txn.NewIterator(context.Background(), s, e)
	defer it.Close()
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Key())+"="+string(it.Value()))
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(parts, " ")
}

func write(t testing.TB, db *DB, kvs ...string) {
	t.Helper()
	txn := db.Begin(context.Background(), RepeatableRead)
	for i := 0; i < len(kvs); i += 2 {
		if kvs[i+1] == "<del>" {
			if err := txn.Delete(context.Background(), []byte(kvs[i])); err != nil {
				t.Fatal(err)
			}
			continue
		}
		mustPut(t, txn, kvs[i], kvs[i+1])
	}
	mustCommit(t, txn)
}

func TestSnapshotIsolation(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	write(t, db, "a", "1", "b", "1")

	rr := db.Begin(ctx, RepeatableRead)
	rc := db.Begin(ctx, ReadCommitted)
	if got := getStr(t, rr, "a"); got != "1" {
		t.Fatalf("rr a = %s", got)
	}
	if got := getStr(t, rc, "a"); got != "1" {
		t.Fatalf("rc a = %s", got)
	}
	write(t, db, "a", "2", "c", "2", "b", "<del>")

	if got := scanStr(t, rr, "", ""); got != "a=1 b=1" {
		t.Fatalf("rr scan after concurrent commit = %q", got)
	}
	rr.Step() // no-op for RR
	if got := getStr(t, rr, "a"); got != "1" {
		t.Fatalf("rr a after Step = %s", got)
	}
	// RC: same statement keeps its snapshot, the next one sees the commit.
	if got := getStr(t, rc, "a"); got != "1" {
		t.Fatalf("rc a in same statement = %s", got)
	}
	rc.Step()
	if got := scanStr(t, rc, "", ""); got != "a=2 c=2" {
		t.Fatalf("rc scan after Step = %q", got)
	}
	mustCommit(t, rr)
	mustCommit(t, rc)
}

func TestReadYourWrites(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	write(t, db, "b", "snap", "d", "snap", "f", "snap")
	txn := db.Begin(ctx, RepeatableRead)
	mustPut(t, txn, "a", "own")
	mustPut(t, txn, "c", "own")
	mustPut(t, txn, "d", "own")
	if err := txn.Delete(ctx, []byte("f")); err != nil {
		t.Fatal(err)
	}
	if err := txn.Delete(ctx, []byte("g")); err != nil { // missing key
		t.Fatal(err)
	}
	mustPut(t, txn, "h", "own")
	if got := getStr(t, txn, "d"); got != "own" {
		t.Fatalf("d = %s", got)
	}
	if got := getStr(t, txn, "f"); got != "<none>" {
		t.Fatalf("deleted f = %s", got)
	}
	if got := scanStr(t, txn, "", ""); got != "a=own b=snap c=own d=own h=own" {
		t.Fatalf("scan = %q", got)
	}
	if got := scanStr(t, txn, "b", "h"); got != "b=snap c=own d=own" {
		t.Fatalf("bounded scan = %q", got)
	}
	// Other transactions see nothing until commit.
	other := db.Begin(ctx, ReadCommitted)
	if got := scanStr(t, other, "", ""); got != "b=snap d=snap f=snap" {
		t.Fatalf("other before commit = %q", got)
	}
	mustCommit(t, txn)
	other.Step()
	if got := scanStr(t, other, "", ""); got != "a=own b=snap c=own d=own h=own" {
		t.Fatalf("other after commit = %q", got)
	}
}

func TestIteratorBoundsAndPaging(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	txn := db.Begin(ctx, RepeatableRead)
	var want []string
	for i := 0; i < 3000; i++ {
		k := fmt.Sprintf("k%05d", i)
		mustPut(t, txn, k, "v")
		if i >= 10 && i < 2500 {
			want = append(want, k+"=v")
		}
	}
	mustPut(t, txn, "j", "x")
	mustPut(t, txn, "l", "x")
	mustCommit(t, txn)

	r := db.Begin(ctx, RepeatableRead)
	// Interleave buffered writes into a multi-page scan.
	mustPut(t, r, "k00100a", "new")
	if err := r.Delete(ctx, []byte("k02000")); err != nil {
		t.Fatal(err)
	}
	got := strings.Split(scanStr(t, r, "k00010", "k02500"), " ")
	want = slices.Insert(want, 91, "k00100a=new")
	want = slices.DeleteFunc(want, func(s string) bool { return s == "k02000=v" })
	if !slices.Equal(got, want) {
		t.Fatalf("scan: got %d rows, want %d (first diff)", len(got), len(want))
	}
	if got := scanStr(t, r, "k", "k"); got != "" {
		t.Fatalf("empty span = %q", got)
	}
	if got := scanStr(t, r, "l", ""); got != "l=x" {
		t.Fatalf("unbounded end = %q", got)
	}
	// Early close.
	it := r.NewIterator(ctx, nil, nil)
	if !it.Next() || string(it.Key()) != "j" {
		t.Fatalf("first key = %q", it.Key())
	}
	it.Close()
}

func TestWriteConflict(t *testing.T) {
	ctx := context.Background()
	for _, iso := range []IsolationLevel{ReadCommitted, RepeatableRead, Serializable} {
		t.Run(iso.String(), func(t *testing.T) {
			db := openMem(t)
			write(t, db, "x", "0")
			t1 := db.Begin(ctx, iso)
			t2 := db.Begin(ctx, iso)
			mustPut(t, t1, "x", "t1")
			mustPut(t, t2, "x", "t2")
			mustPut(t, t2, "y", "t2")
			mustCommit(t, t1)
			err := t2.Commit(ctx)
			if !errors.Is(err, ErrSerializationFailure) {
				t.Fatalf("second committer: %v", err)
			}
			var pg interface{ PGCode() string }
			if !errors.As(err, &pg) || pg.PGCode() != "40001" {
				t.Fatalf("no 40001 code: %v", err)
			}
			if err.Error() != "could not serialize access due to concurrent update" {
				t.Fatalf("message: %q", err.Error())
			}
			if err := t2.Put(ctx, []byte("z"), nil); !errors.Is(err, ErrTxnDone) {
				t.Fatalf("use after failed commit: %v", err)
			}
			if err := t2.Rollback(ctx); err != nil {
				t.Fatalf("rollback after failed commit: %v", err)
			}
			r := db.Begin(ctx, ReadCommitted)
			if got := scanStr(t, r, "", ""); got != "x=t1" {
				t.Fatalf("after conflict = %q", got)
			}
		})
	}
}

func TestReadCommittedConflictUsesStatementSnapshot(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	write(t, db, "x", "0")
	rc := db.Begin(ctx, ReadCommitted)
	_ = getStr(t, rc, "x")
	write(t, db, "x", "1") // commits before rc's next statement
	rc.Step()
	mustPut(t, rc, "x", "rc") // written from a snapshot that saw "1"
	mustCommit(t, rc)
}

func TestSerializableReadValidation(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	write(t, db, "doc1", "on", "doc2", "on")
	// Write skew: each reads both, turns one off.
	t1 := db.Begin(ctx, Serializable)
	t2 := db.Begin(ctx, Serializable)
	_ = scanStr(t, t1, "doc", "doe")
	_ = scanStr(t, t2, "doc", "doe")
	mustPut(t, t1, "doc1", "off")
	mustPut(t, t2, "doc2", "off")
	mustCommit(t, t1)
	err := t2.Commit(ctx)
	if !errors.Is(err, ErrSerializationFailure) {
		t.Fatalf("write skew not detected: %v", err)
	}
	// Under RR the same history commits.
	write(t, db, "doc1", "on")
	r1 := db.Begin(ctx, RepeatableRead)
	r2 := db.Begin(ctx, RepeatableRead)
	_ = scanStr(t, r1, "doc", "doe")
	_ = scanStr(t, r2, "doc", "doe")
	mustPut(t, r1, "doc1", "off")
	mustPut(t, r2, "doc2", "off")
	mustCommit(t, r1)
	mustCommit(t, r2)
	// A phantom insert into a scanned span also fails validation.
	s1 := db.Begin(ctx, Serializable)
	_ = scanStr(t, s1, "doc", "doe")
	write(t, db, "doc3", "new")
	mustPut(t, s1, "other", "x")
	if err := s1.Commit(ctx); !errors.Is(err, ErrSerializationFailure) {
		t.Fatalf("phantom not detected: %v", err)
	}
}

func TestRollbackAndTxnDone(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	txn := db.Begin(ctx, ReadCommitted)
	mustPut(t, txn, "a", "1")
	if err := txn.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := txn.Get(ctx, []byte("a")); !errors.Is(err, ErrTxnDone) {
		t.Fatalf("Get after rollback: %v", err)
	}
	if err := txn.Commit(ctx); !errors.Is(err, ErrTxnDone) {
		t.Fatalf("Commit after rollback: %v", err)
	}
	it := txn.NewIterator(ctx, nil, nil)
	if it.Next() || !errors.Is(it.Err(), ErrTxnDone) {
		t.Fatalf("iterator after rollback: %v", it.Err())
	}
	it.Close()
	r := db.Begin(ctx, ReadCommitted)
	if got := getStr(t, r, "a"); got != "<none>" {
		t.Fatalf("rolled back write visible: %s", got)
	}
	mustCommit(t, r)
	if err := r.Put(ctx, []byte("b"), nil); !errors.Is(err, ErrTxnDone) {
		t.Fatalf("Put after commit: %v", err)
	}
}

func TestSavepoints(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	txn := db.Begin(ctx, ReadCommitted)
	mustPut(t, txn, "a", "1")
	sp1 := txn.Savepoint()
	mustPut(t, txn, "a", "2")
	mustPut(t, txn, "b", "2")
	sp2 := txn.Savepoint()
	if err := txn.Delete(ctx, []byte("a")); err != nil {
		t.Fatal(err)
	}
	if err := txn.RollbackTo(ctx, sp2); err != nil {
		t.Fatal(err)
	}
	if got := scanStr(t, txn, "", ""); got != "a=2 b=2" {
		t.Fatalf("after rollback to sp2: %q", got)
	}
	if err := txn.RollbackTo(ctx, sp1); err != nil {
		t.Fatal(err)
	}
	if got := scanStr(t, txn, "", ""); got != "a=1" {
		t.Fatalf("after rollback to sp1: %q", got)
	}
	if err := txn.RollbackTo(ctx, sp2); !errors.Is(err, ErrInvalidSavepoint) {
		t.Fatalf("sp2 should be destroyed: %v", err)
	}
	mustPut(t, txn, "c", "3")
	if err := txn.ReleaseSavepoint(sp1); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, txn)
	r := db.Begin(ctx, ReadCommitted)
	if got := scanStr(t, r, "", ""); got != "a=1 c=3" {
		t.Fatalf("committed: %q", got)
	}
}

func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	txn := db.Begin(ctx, ReadCommitted)
	txn.SetReadOnly(true)
	err := txn.Put(ctx, []byte("a"), nil)
	var pg interface{ PGCode() string }
	if !errors.As(err, &pg) || pg.PGCode() != "25006" {
		t.Fatalf("write in read-only txn: %v", err)
	}
}

func TestRestartDurability(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func() *DB {
		db, err := Open(ctx, Options{Dir: dir, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open()
	write(t, db, "a", "1", "b", "1")
	write(t, db, "a", "2", "b", "<del>")
	// A transaction open across the restart must fail, not misbehave.
	stale := db.Begin(ctx, RepeatableRead)
	_ = getStr(t, stale, "a")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := stale.Get(ctx, []byte("z")); !errors.Is(err, ErrDBClosed) {
		t.Fatalf("use after close: %v", err)
	}

	db = open()
	r := db.Begin(ctx, RepeatableRead)
	if got := scanStr(t, r, "", ""); got != "a=2" {
		t.Fatalf("after restart = %q", got)
	}
	// New commits must get timestamps above the persisted ones, so they win.
	write(t, db, "a", "3")
	r2 := db.Begin(ctx, RepeatableRead)
	if got := getStr(t, r2, "a"); got != "3" {
		t.Fatalf("write after restart not newest: %s", got)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = open()
	defer db.Close()
	if got := getStr(t, db.Begin(ctx, ReadCommitted), "a"); got != "3" {
		t.Fatalf("after second restart: %s", got)
	}
}

func TestOpenValidation(t *testing.T) {
	if _, err := Open(context.Background(), Options{}); err == nil {
		t.Fatal("Open with no Dir should fail")
	}
}

func waitABit() { time.Sleep(10 * time.Millisecond) }
