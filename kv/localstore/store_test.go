package localstore

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/aegisdb/aegis/internal/hlc"
	"github.com/aegisdb/aegis/kv/kvpb"
	"github.com/aegisdb/aegis/kv/storage"
)

func send1(t *testing.T, s *Store, h kvpb.Header, r kvpb.Request) kvpb.Response {
	t.Helper()
	br, err := s.Send(context.Background(), &kvpb.BatchRequest{Header: h, Requests: []kvpb.Request{r}})
	if err != nil {
		t.Fatal(err)
	}
	return br.Responses[0]
}

// TestOracleSurvivesRestartWithClockRegression restarts the store with a
// physical clock far behind the one that issued the persisted timestamps.
func TestOracleSurvivesRestartWithClockRegression(t *testing.T) {
	dir := t.TempDir()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	phys := int64(1_000_000_000_000)
	open := func() (*storage.Engine, *Store) {
		eng, err := storage.Open(storage.Options{Dir: dir, Logger: logger})
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(eng, Options{PhysicalClock: func() int64 { return phys }})
		if err != nil {
			t.Fatal(err)
		}
		return eng, s
	}
	eng, s := open()
	rts := send1(t, s, kvpb.Header{}, &kvpb.TimestampRequest{}).(*kvpb.TimestampResponse).Timestamp
	c := send1(t, s, kvpb.Header{RangeID: 1}, &kvpb.CommitRequest{Mutations: []kvpb.Mutation{
		{Key: []byte("k"), Value: []byte("v1"), ConflictTimestamp: rts},
	}}).(*kvpb.CommitResponse)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(context.Background(), &kvpb.BatchRequest{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("send after close: %v", err)
	}
	if err := eng.Close(); err != nil {
		t.Fatal(err)
	}

	phys = 5 // the physical clock went far backwards
	eng, s = open()
	defer eng.Close()
	defer s.Close() // before the engine: the store's split queue reads it
	rts2 := send1(t, s, kvpb.Header{}, &kvpb.TimestampRequest{}).(*kvpb.TimestampResponse).Timestamp
	if !c.CommitTimestamp.Less(rts2) {
		t.Fatalf("read timestamp %s after restart not above commit %s", rts2, c.CommitTimestamp)
	}
	g := send1(t, s, kvpb.Header{Timestamp: rts2, RangeID: 1}, &kvpb.GetRequest{Key: []byte("k")}).(*kvpb.GetResponse)
	if !g.Found || string(g.Value) != "v1" {
		t.Fatalf("get after restart: %+v", g)
	}
	// A stale conflict timestamp (from before the commit) conflicts.
	_, err := s.Send(context.Background(), &kvpb.BatchRequest{Header: kvpb.Header{RangeID: 1}, Requests: []kvpb.Request{&kvpb.CommitRequest{
		Mutations: []kvpb.Mutation{{Key: []byte("k"), ConflictTimestamp: rts}},
	}}})
	var rerr *kvpb.TransactionRetryError
	if !errors.As(err, &rerr) || rerr.Reason != kvpb.RetryWriteConflict || rerr.Timestamp != c.CommitTimestamp {
		t.Fatalf("expected write conflict at %s, got %v", c.CommitTimestamp, err)
	}
}

func TestReadTimestampBelowInflightCommit(t *testing.T) {
	clock := hlc.NewClock(nil)
	tr := newTracker(clock, 0, func(int64) error { return nil })
	p, err := tr.beginCommit()
	if err != nil {
		t.Fatal(err)
	}
	r, _ := tr.readTimestamp()
	if !r.Less(p.ts) {
		t.Fatalf("read ts %s not below in-flight commit %s", r, p.ts)
	}
	p2, _ := tr.beginCommit()
	tr.finish(p)
	r2, _ := tr.readTimestamp()
	if !r2.Less(p2.ts) || r2.Less(r) {
		t.Fatalf("read ts %s: want in [%s, %s)", r2, r, p2.ts)
	}
	tr.finish(p2)
	r3, _ := tr.readTimestamp()
	if !p2.ts.Less(r3) {
		t.Fatalf("read ts %s not above applied commit %s", r3, p2.ts)
	}
	if err := tr.waitForEarlier(context.Background(), r3); err != nil {
		t.Fatal(err)
	}
}
