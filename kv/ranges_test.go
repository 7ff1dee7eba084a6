package kv

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/aegisdb/aegis/kv/keys"
	"github.com/aegisdb/aegis/kv/kvpb"
)

func tableKey(table uint32, row int) []byte {
	start, _ := keys.TableSpan(table)
	return binary.BigEndian.AppendUint64(start, uint64(row))
}

func rangeStarts(t *testing.T, db *DB) []string {
	t.Helper()
	infos, err := db.Ranges(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, ri := range infos {
		d := ri.Descriptor
		if i > 0 && !bytes.Equal(infos[i-1].Descriptor.EndKey, d.StartKey) {
			t.Fatalf("ranges do not partition the key space: %v then %v", infos[i-1].Descriptor.String(), d.String())
		}
		if len(d.Replicas) != 1 {
			t.Fatalf("range %s has %d replicas, want 1", d.String(), len(d.Replicas))
		}
		out = append(out, string(d.StartKey))
	}
	if infos[len(infos)-1].Descriptor.EndKey != nil {
		t.Fatal("last range does not reach the end of the key space")
	}
	return out
}

// TestTableBoundarySplitsAndCrossRangeTxn writes to the catalog and two
// tables in one transaction: the ranges split at the table bounds, and
// the transaction (now spanning three ranges) commits atomically through
// the two-phase protocol, and survives a restart, as do the ranges.
func TestTableBoundarySplitsAndCrossRangeTxn(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, Options{Dir: dir, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	// First commit: one range, one-phase; splits follow.
	txn := db.Begin(ctx, ReadCommitted)
	mustPut(t, txn, "cdesc", "catalog")
	if err := txn.Put(ctx, tableKey(7, 1), []byte("a")); err != nil {
		t.Fatal(err)
	}
	if err := txn.Put(ctx, tableKey(9, 1), []byte("b")); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, txn)
	s7, e7 := keys.TableSpan(7)
	s9, e9 := keys.TableSpan(9)
	want := []string{"", "c", "d", string(s7), string(e7), string(s9), string(e9)}
	if got := rangeStarts(t, db); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("range starts %q, want %q", got, want)
	}
	// Second commit spans three ranges: two-phase.
	txn = db.Begin(ctx, Serializable)
	if got := getStr(t, txn, "cdesc"); got != "catalog" {
		t.Fatalf("catalog: %q", got)
	}
	mustPut(t, txn, "cdesc", "catalog2")
	if err := txn.Put(ctx, tableKey(7, 2), []byte("a2")); err != nil {
		t.Fatal(err)
	}
	if err := txn.Delete(ctx, tableKey(9, 1)); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, txn)
	check := func(db *DB) {
		t.Helper()
		r := db.Begin(ctx, RepeatableRead)
		defer r.Rollback(ctx)
		if got := getStr(t, r, "cdesc"); got != "catalog2" {
			t.Fatalf("catalog after 2PC: %q", got)
		}
		// A scan over all ranges sees everything, in order, with paging.
		it := r.NewIterator(ctx, nil, nil)
		var n int
		var last []byte
		for it.Next() {
			if last != nil && bytes.Compare(last, it.Key()) >= 0 {
				t.Fatalf("scan out of order: %q then %q", last, it.Key())
			}
			last = append(last[:0], it.Key()...)
			n++
		}
		if err := it.Err(); err != nil {
			t.Fatal(err)
		}
		it.Close()
		if n != 3 {
			t.Fatalf("scan saw %d keys, want 3 (cdesc, t7/1, t7/2)", n)
		}
		if db.store.Locks().Len() != 0 {
			t.Fatalf("%d locks left after commits", db.store.Locks().Len())
		}
	}
	check(db)
	before := rangeStarts(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, Options{Dir: dir, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check(db)
	if after := rangeStarts(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("ranges after restart %q, before %q", after, before)
	}
}

// TestSizeSplits writes more than MaxRangeBytes into one table and checks
// that the split queue splits it, and that reads still see every key.
func TestSizeSplits(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Options{InMemory: true, Logger: quietLogger(), MaxRangeBytes: 4 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	val := bytes.Repeat([]byte("x"), 100)
	for i := 0; i < 400; i++ {
		txn := db.Begin(ctx, ReadCommitted)
		if err := txn.Put(ctx, tableKey(3, i), val); err != nil {
			t.Fatal(err)
		}
		mustCommit(t, txn)
	}
	// The queue runs in the background; wait for it to catch up.
	var starts []string
	for try := 0; try < 200; try++ {
		starts = rangeStarts(t, db)
		if len(starts) >= 8 {
			break
		}
		waitABit()
	}
	if len(starts) < 8 {
		t.Fatalf("40 KB in 4 KB ranges: only %d ranges: %q", len(starts), starts)
	}
	infos, _ := db.Ranges(ctx)
	for _, ri := range infos {
		if ri.Bytes > 3*(4<<10) {
			t.Errorf("range %s holds %d bytes", ri.Descriptor.String(), ri.Bytes)
		}
	}
	txn := db.Begin(ctx, RepeatableRead)
	defer txn.Rollback(ctx)
	it := txn.NewIterator(ctx, nil, nil)
	defer it.Close()
	n := 0
	for it.Next() {
		if !bytes.Equal(it.Key(), tableKey(3, n)) {
			t.Fatalf("key %d: %x", n, it.Key())
		}
		n++
	}
	if it.Err() != nil || n != 400 {
		t.Fatalf("scan: %d keys, %v", n, it.Err())
	}
}

// TestStaleRangeCache splits a range after the range-addressing sender
// cached it: requests still reach the right range.
func TestStaleRangeCache(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	write(t, db, "a", "1", "m", "2", "z", "3")
	txn := db.Begin(ctx, RepeatableRead)
	if got := scanStr(t, txn, "", ""); got != "a=1 m=2 z=3" {
		t.Fatal(got)
	}
	for _, k := range []string{"f", "n", "y"} {
		if err := db.SplitAt([]byte(k)); err != nil {
			t.Fatal(err)
		}
	}
	if got := scanStr(t, txn, "", ""); got != "a=1 m=2 z=3" {
		t.Fatalf("scan across new ranges: %q", got)
	}
	if got := getStr(t, txn, "z"); got != "3" {
		t.Fatal(got)
	}
	// A write transaction over the new ranges commits in two phases.
	mustPut(t, txn, "a", "10")
	mustPut(t, txn, "z", "30")
	mustCommit(t, txn)
	r := db.Begin(ctx, ReadCommitted)
	if got := scanStr(t, r, "", ""); got != "a=10 m=2 z=30" {
		t.Fatalf("after cross-range commit: %q", got)
	}
}

// TestTwoPhaseRecovery leaves two-phase commits unfinished at "crash"
// time: one past its commit point, one before it. Reopening resolves the
// first to committed and the second to aborted.
func TestTwoPhaseRecovery(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, Options{Dir: dir, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	write(t, db, "a", "0", "z", "0")
	if err := db.SplitAt([]byte("m")); err != nil {
		t.Fatal(err)
	}
	s := db.Sender()
	send := func(h kvpb.Header, r kvpb.Request) kvpb.Response {
		t.Helper()
		br, err := s.Send(ctx, &kvpb.BatchRequest{Header: h, Requests: []kvpb.Request{r}})
		if err != nil {
			t.Fatalf("%T: %v", r, err)
		}
		return br.Responses[0]
	}
	ts := send(kvpb.Header{}, &kvpb.TimestampRequest{}).(*kvpb.TimestampResponse).Timestamp
	committed, aborted := kvpb.NewTxnID(), kvpb.NewTxnID()
	send(kvpb.Header{Txn: committed}, &kvpb.PrewriteRequest{Primary: []byte("a"), Mutations: []kvpb.Mutation{
		{Key: []byte("a"), Value: []byte("1"), ConflictTimestamp: ts},
		{Key: []byte("z"), Delete: true, ConflictTimestamp: ts},
	}})
	cts := send(kvpb.Header{}, &kvpb.BeginCommitRequest{}).(*kvpb.BeginCommitResponse).CommitTimestamp
	send(kvpb.Header{Txn: committed}, &kvpb.EndTxnRequest{Primary: []byte("a"), CommitTimestamp: cts})
	send(kvpb.Header{Txn: aborted}, &kvpb.PrewriteRequest{Primary: []byte("b"), Mutations: []kvpb.Mutation{
		{Key: []byte("b"), Value: []byte("x"), ConflictTimestamp: ts},
		{Key: []byte("y"), Value: []byte("x"), ConflictTimestamp: ts},
	}})
	// Intents are invisible, and a writer of a locked key would wait.
	r := db.Begin(ctx, ReadCommitted)
	if got := scanStr(t, r, "", ""); got != "a=0 z=0" {
		t.Fatalf("intents visible: %q", got)
	}
	r.SetLockTimeout(20e6)
	if _, err := r.LockKeys(ctx, [][]byte{[]byte("y")}, LockUpdate, WaitBlock); !errors.Is(err, ErrLockNotAvailable) {
		t.Fatalf("lock on prewritten key: %v", err)
	}
	_ = r.Rollback(ctx)
	// "Crash": close without resolving anything.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, Options{Dir: dir, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r = db.Begin(ctx, ReadCommitted)
	if got := scanStr(t, r, "", ""); got != "a=1" {
		t.Fatalf("after recovery: %q, want a=1 (committed txn applied, aborted one dropped)", got)
	}
	// No intents or records are left, and the keys are writable.
	write(t, db, "b", "2", "y", "2", "z", "2")
	r = db.Begin(ctx, ReadCommitted)
	if got := scanStr(t, r, "", ""); got != "a=1 b=2 y=2 z=2" {
		t.Fatalf("after writes: %q", got)
	}
}
