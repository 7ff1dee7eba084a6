package storage

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
)

func TestEngineBasicsAndLogging(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	eng, err := Open(Options{Dir: t.TempDir(), Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	b := eng.NewBatch()
	for _, k := range []string{"a", "b", "c"} {
		if err := b.Set([]byte(k), []byte("v"+k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Delete([]byte("b")); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(true); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := eng.Get([]byte("a")); err != nil || !ok || string(v) != "va" {
		t.Fatalf("Get(a) = %q %v %v", v, ok, err)
	}
	if _, ok, err := eng.Get([]byte("b")); err != nil || ok {
		t.Fatalf("Get(b) found=%v err=%v", ok, err)
	}
	it, err := eng.NewIterator(context.Background(), []byte("b"), []byte("d"))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for valid := it.First(); valid; valid = it.Next() {
		keys = append(keys, string(it.Key())+"="+string(it.Value()))
	}
	if err := it.Error(); err != nil {
		t.Fatal(err)
	}
	if err := it.Close(); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0] != "c=vc" {
		t.Fatalf("bounded iteration = %v", keys)
	}
	if err := eng.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(logs.Bytes(), []byte("component=pebble")) {
		t.Fatalf("expected Pebble events in the slog logger, got %q", logs.String())
	}
	if err := (&Options{}).Validate(); err == nil {
		t.Fatal("empty options should not validate")
	}
}
