package mvcc

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/aegisdb/aegis/internal/hlc"
	"github.com/aegisdb/aegis/kv/storage"
)

func ts(w int64) hlc.Timestamp { return hlc.Timestamp{WallTime: w} }

func TestKeyEncodingOrder(t *testing.T) {
	keys := []struct {
		k  string
		ts int64
	}{{"", 9}, {"", 1}, {"a", 9}, {"a", 2}, {"a\x00", 5}, {"a\x00\x00", 5}, {"a\x01", 5}, {"ab", 7}, {"b", 1}}
	var prev []byte
	for _, k := range keys {
		e := EncodeKey(nil, []byte(k.k), ts(k.ts))
		if prev != nil && bytes.Compare(prev, e) >= 0 {
			t.Fatalf("%q@%d does not sort after previous", k.k, k.ts)
		}
		prev = e
		dk, dts, err := DecodeKey(e)
		if err != nil || string(dk) != k.k || dts != ts(k.ts) {
			t.Fatalf("decode %q@%d: %q %s %v", k.k, k.ts, dk, dts, err)
		}
	}
	if _, _, err := DecodeKey([]byte{0x02, 0x00}); err == nil {
		t.Fatal("expected error for short key")
	}
}

// TestVisibility is a table of histories and reads: each write is
// "key@ts=value" (value "-" is a tombstone); each read states what a reader
// at a timestamp sees.
func TestVisibility(t *testing.T) {
	eng, err := storage.Open(storage.Options{InMemory: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	history := []string{"a@10=a10", "a@20=a20", "a@30=-", "a@40=a40", "b@15=b15", "b@25=-", "c@35=c35",
		"d@5=d5", "d@6=d6", "d@7=d7", "d@8=d8", "d@9=d9", "d@50=d50", "e\x00@12=e0"}
	b := eng.NewBatch()
	for _, h := range history {
		kt, v, _ := strings.Cut(h, "=")
		k, tsStr, _ := strings.Cut(kt, "@")
		var w int64
		fmt.Sscan(tsStr, &w)
		if v == "-" {
			err = Delete(b, []byte(k), ts(w))
		} else {
			err = Put(b, []byte(k), ts(w), []byte(v))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit(true); err != nil {
		t.Fatal(err)
	}
	_ = b.Close()
	ctx := context.Background()
	for _, tc := range []struct {
		at   int64
		scan string
	}{
		{1, ""},
		{5, "d=d5"},
		{10, "a=a10 d=d9"},
		{12, "a=a10 d=d9 e\x00=e0"},
		{15, "a=a10 b=b15 d=d9 e\x00=e0"},
		{25, "a=a20 d=d9 e\x00=e0"},
		{30, "d=d9 e\x00=e0"},
		{35, "c=c35 d=d9 e\x00=e0"},
		{100, "a=a40 c=c35 d=d50 e\x00=e0"},
	} {
		kvs, resume, err := Scan(ctx, eng, nil, nil, ts(tc.at), 0)
		if err != nil || resume != nil {
			t.Fatal(err, resume)
		}
		var parts []string
		for _, kv := range kvs {
			parts = append(parts, string(kv.Key)+"="+string(kv.Value))
			v, found, err := Get(ctx, eng, kv.Key, ts(tc.at))
			if err != nil || !found || !bytes.Equal(v, kv.Value) {
				t.Fatalf("@%d Get(%q) = %q %v %v, scan says %q", tc.at, kv.Key, v, found, err, kv.Value)
			}
		}
		if got := strings.Join(parts, " "); got != tc.scan {
			t.Errorf("scan @%d = %q, want %q", tc.at, got, tc.scan)
		}
		// Paged scans produce the same rows.
		var paged []string
		var start []byte
		for {
			kvs, resume, err := Scan(ctx, eng, start, nil, ts(tc.at), 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, kv := range kvs {
				paged = append(paged, string(kv.Key)+"="+string(kv.Value))
			}
			if resume == nil {
				break
			}
			start = resume
		}
		if got := strings.Join(paged, " "); got != tc.scan {
			t.Errorf("paged scan @%d = %q, want %q", tc.at, got, tc.scan)
		}
	}
	if _, found, _ := Get(ctx, eng, []byte("a"), ts(30)); found {
		t.Error("tombstone visible")
	}
	c, err := NewChecker(ctx, eng)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if nts, found, err := c.NewestVersion([]byte("a")); err != nil || !found || nts != ts(40) {
		t.Errorf("NewestVersion(a) = %s %v %v", nts, found, err)
	}
	if _, found, _ := c.NewestVersion([]byte("zz")); found {
		t.Error("NewestVersion of missing key found")
	}
	if v, found, _ := c.FirstVersionIn([]byte("b"), []byte("d"), ts(20), ts(36)); !found || string(v.Key) != "b" || v.Timestamp != ts(25) {
		t.Errorf("FirstVersionIn = %+v %v", v, found)
	}
	if _, found, _ := c.FirstVersionIn([]byte("b"), []byte("d"), ts(35), ts(100)); found {
		t.Error("FirstVersionIn found a version outside the interval")
	}
}
