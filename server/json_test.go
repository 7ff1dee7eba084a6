package server_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/aegisdb/aegis/server/testserver"
)

// TestJSONWithPgx round-trips json and jsonb values through pgx, which
// sends and reads jsonb in its binary format (version byte + text) and
// decodes json columns into Go maps, and reads records.
func TestJSONWithPgx(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, `CREATE TABLE docs (id int PRIMARY KEY, j jsonb, t json)`)
	doc := map[string]any{"name": "x", "tags": []any{"a", "b"}, "n": 1.5, "nested": map[string]any{"ok": true}}
	if _, err := c.Exec(ctx, `INSERT INTO docs VALUES ($1, $2, $3)`, 1, doc, doc); err != nil {
		t.Fatal(err)
	}
	var j, js map[string]any
	if err := c.QueryRow(ctx, `SELECT j, t FROM docs WHERE id = 1`).Scan(&j, &js); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(j, doc) || !reflect.DeepEqual(js, doc) {
		t.Fatalf("round trip: jsonb %v, json %v, want %v", j, js, doc)
	}
	// A jsonb parameter in a containment query, and a path extraction.
	var id int
	var name string
	if err := c.QueryRow(ctx, `SELECT id, j->>'name' FROM docs WHERE j @> $1`, map[string]any{"tags": []any{"b"}}).Scan(&id, &name); err != nil {
		t.Fatal(err)
	}
	if id != 1 || name != "x" {
		t.Fatalf("got %d %q", id, name)
	}
	// Binary result format for every column (pgx asks for binary jsonb).
	rows, err := c.Query(ctx, `SELECT j, j->'tags', jsonb_agg(j) OVER () FROM docs`, pgx.QueryResultFormats{pgx.BinaryFormatCode, pgx.BinaryFormatCode, pgx.BinaryFormatCode})
	if err != nil {
		t.Fatal(err)
	}
	var tags []any
	var all []map[string]any
	for rows.Next() {
		if err := rows.Scan(&j, &tags, &all); err != nil {
			t.Fatal(err)
		}
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	if !reflect.DeepEqual(tags, []any{"a", "b"}) || len(all) != 1 || !reflect.DeepEqual(all[0], doc) {
		t.Fatalf("binary results: %v %v", tags, all)
	}
	// Bad input is 22P02 with PostgreSQL's detail.
	_, err = c.Exec(ctx, `INSERT INTO docs VALUES (2, '{"a":', NULL)`)
	if code := pgCode(err); code != "22P02" {
		t.Fatalf("bad json: %v", err)
	}
}
