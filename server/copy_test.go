package server_test

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/aegisdb/aegis/server/testserver"
)

// TestCopyFromBinaryRoundTrip loads random rows with pgx's CopyFrom
// (binary COPY), reads them back, and copies them out in binary again.
func TestCopyFromBinaryRoundTrip(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, "CREATE TABLE cp (id int8 PRIMARY KEY, name text, score float8, at timestamptz, ok bool, n numeric)")
	r := rand.New(rand.NewSource(7))
	const n = 2500
	type row struct {
		id    int64
		name  *string
		score float64
		at    time.Time
		ok    bool
		num   string
	}
	want := make([]row, n)
	src := make([][]any, n)
	for i := range want {
		name := fmt.Sprintf("name-%d-%x", i, r.Int63())
		w := row{id: int64(i), name: &name, score: r.NormFloat64() * 1e6, at: time.UnixMicro(r.Int63n(4e15)).UTC(), ok: r.Intn(2) == 0,
			num: fmt.Sprintf("%d.%02d", r.Intn(1e6)-5e5, r.Intn(100))}
		if i%7 == 0 {
			w.name = nil
		}
		want[i] = w
		var num pgtype.Numeric
		if err := num.Scan(w.num); err != nil {
			t.Fatal(err)
		}
		src[i] = []any{w.id, w.name, w.score, w.at, w.ok, num}
	}
	copied, err := c.CopyFrom(ctx, pgx.Identifier{"cp"}, []string{"id", "name", "score", "at", "ok", "n"}, pgx.CopyFromRows(src))
	if err != nil || copied != n {
		t.Fatalf("CopyFrom: %d rows, %v", copied, err)
	}
	rows, err := c.Query(ctx, "SELECT id, name, score, at, ok, n::text FROM cp ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for rows.Next() {
		var g row
		if err := rows.Scan(&g.id, &g.name, &g.score, &g.at, &g.ok, &g.num); err != nil {
			t.Fatal(err)
		}
		w := want[i]
		if g.id != w.id || (g.name == nil) != (w.name == nil) || (g.name != nil && *g.name != *w.name) || g.score != w.score ||
			!g.at.Equal(w.at) || g.ok != w.ok || g.num != w.num {
			t.Fatalf("row %d: got %+v want %+v", i, g, w)
		}
		i++
	}
	if rows.Err() != nil || i != n {
		t.Fatalf("read %d rows: %v", i, rows.Err())
	}
	// COPY TO STDOUT in binary format: count the tuples.
	var buf countingWriter
	tag, err := c.PgConn().CopyTo(ctx, &buf, "COPY cp TO STDOUT (FORMAT binary)")
	if err != nil || tag.RowsAffected() != n {
		t.Fatalf("COPY TO binary: %v %v", tag, err)
	}
	if buf.n < n*20 {
		t.Fatalf("binary COPY output too short: %d bytes", buf.n)
	}
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
