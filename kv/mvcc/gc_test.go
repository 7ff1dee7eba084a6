package mvcc

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/aegisdb/aegis/internal/hlc"
	"github.com/aegisdb/aegis/kv/storage"
)

func TestGCResumeAndTombstones(t *testing.T) {
	ctx := context.Background()
	eng, err := storage.Open(storage.Options{InMemory: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	ts := func(w int64) hlc.Timestamp { return hlc.Timestamp{WallTime: w} }
	b := eng.NewBatch()
	for w := int64(1); w <= 4; w++ {
		_ = Put(b, []byte("a"), ts(w), []byte{byte('0' + w)})
	}
	_ = Put(b, []byte("b"), ts(1), []byte("x"))
	_ = Delete(b, []byte("b"), ts(2))
	_ = Put(b, []byte("c"), ts(5), []byte("y"))
	if err := b.Commit(false); err != nil {
		t.Fatal(err)
	}
	_ = b.Close()
	// Threshold 3: a keeps 4 (above) and 3 (newest at or below); b's
	// tombstone and value go; c is above the threshold. Budget 3 stops
	// after a's four versions (a key is always finished).
	gb := eng.NewBatch()
	resume, st, err := GC(ctx, eng, gb, nil, nil, ts(3), 3)
	if err != nil || string(resume) != "b" || st.Examined != 4 || st.Removed != 2 {
		t.Fatalf("first pass: resume=%q %+v %v", resume, st, err)
	}
	resume, st, err = GC(ctx, eng, gb, resume, nil, ts(3), 3)
	if err != nil || resume != nil || st.Examined != 3 || st.Removed != 2 {
		t.Fatalf("second pass: resume=%q %+v %v", resume, st, err)
	}
	if err := gb.Commit(false); err != nil {
		t.Fatal(err)
	}
	_ = gb.Close()
	for _, tc := range []struct {
		key  string
		at   int64
		want string
	}{{"a", 3, "3"}, {"a", 9, "4"}, {"a", 2, ""}, {"b", 9, ""}, {"c", 9, "y"}} {
		v, found, err := Get(ctx, eng, []byte(tc.key), ts(tc.at))
		if err != nil || string(v) != tc.want || found != (tc.want != "") {
			t.Errorf("get %s@%d = %q %v %v, want %q", tc.key, tc.at, v, found, err, tc.want)
		}
	}
}
