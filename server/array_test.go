package server_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/aegisdb/aegis/server/testserver"
)

// TestArrayRoundTrip sends and reads arrays through pgx in the binary
// format (extended protocol) and the text format (simple protocol), and
// binds a text[] parameter to = ANY($1) the way Prisma's introspection
// does.
func TestArrayRoundTrip(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, `CREATE TABLE arrs (id int PRIMARY KEY, i4 int4[], i8 int8[], t text[], f float8[], b bool[], m int4[])`)
	i4 := []int32{1, -2, 2147483647}
	i8 := []int64{-9223372036854775808, 0}
	tx := []string{"a", "", "b c", `q"uote`, `back\slash`, "NULL", "é"}
	f := []float64{1.5, -0.25}
	bs := []bool{true, false}
	m := [][]int32{{1, 2}, {3, 4}}
	if _, err := c.Exec(ctx, "INSERT INTO arrs VALUES ($1, $2, $3, $4, $5, $6, $7)", 1, i4, i8, tx, f, bs, m); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeSimpleProtocol} {
		var (
			gi4 []int32
			gi8 []int64
			gt  []string
			gf  []float64
			gb  []bool
			gm  [][]int32
		)
		err := c.QueryRow(ctx, "SELECT i4, i8, t, f, b, m FROM arrs WHERE id = $1", mode, 1).Scan(&gi4, &gi8, &gt, &gf, &gb, &gm)
		if err != nil {
			t.Fatalf("mode %v: %v", mode, err)
		}
		if !reflect.DeepEqual(gi4, i4) || !reflect.DeepEqual(gi8, i8) || !reflect.DeepEqual(gt, tx) ||
			!reflect.DeepEqual(gf, f) || !reflect.DeepEqual(gb, bs) || !reflect.DeepEqual(gm, m) {
			t.Errorf("mode %v: got %v %v %q %v %v %v", mode, gi4, gi8, gt, gf, gb, gm)
		}
	}
	// A NULL element and an empty array.
	var withNull []*int32
	if err := c.QueryRow(ctx, "SELECT ARRAY[1, NULL, 3]").Scan(&withNull); err != nil || len(withNull) != 3 || withNull[1] != nil || *withNull[2] != 3 {
		t.Fatalf("NULL element: %v %v", withNull, err)
	}
	var empty []int32
	if err := c.QueryRow(ctx, "SELECT '{}'::int[]").Scan(&empty); err != nil || empty == nil || len(empty) != 0 {
		t.Fatalf("empty array: %v %v", empty, err)
	}
	// = ANY($1) with a text[] parameter.
	var n int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM arrs WHERE 'b c' = ANY(t) AND 'x' <> ALL($1)", []string{"y", "z"}).Scan(&n); err != nil || n != 1 {
		t.Fatalf("ANY/ALL with a text[] parameter: %d %v", n, err)
	}
	var names []string
	rows, err := c.Query(ctx, "SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1", []string{"public", "pg_catalog", "nope"})
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		names = append(names, s)
	}
	if err := rows.Err(); err != nil || !reflect.DeepEqual(names, []string{"pg_catalog", "public"}) {
		t.Fatalf("pg_namespace = ANY($1): %v %v", names, err)
	}
}
