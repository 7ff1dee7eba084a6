package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/aegisdb/aegis/server/testserver"
)

// TestIndexScansMatchTableScans is a randomized property test of
// secondary-index scans: after random inserts, updates and deletes (some
// in an open transaction, which must see its own writes), every equality
// query on indexed columns returns the same rows as the same query
// written so that no index applies (coalesce(col = v, false)), and EXPLAIN shows
// the index is used.
func TestIndexScansMatchTableScans(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, `CREATE TABLE p (id int PRIMARY KEY, a int, b text, u text UNIQUE, j jsonb)`)
	mustExec(t, c, `CREATE INDEX p_a ON p (a)`)
	mustExec(t, c, `CREATE INDEX p_ab ON p (a, b)`)
	mustExec(t, c, `CREATE INDEX p_j ON p (j)`)
	mustExec(t, c, `CREATE INDEX p_expr ON p (upper(b), (j->>'k'))`)
	r := rand.New(rand.NewPCG(7, 11))
	randRow := func(id int) []any {
		var a any = r.IntN(8)
		if r.IntN(10) == 0 {
			a = nil
		}
		var u any = fmt.Sprintf("u%d", id)
		if r.IntN(5) == 0 {
			u = nil
		}
		return []any{id, a, fmt.Sprintf("b%d", r.IntN(4)), u, fmt.Sprintf(`{"k": %d.%d}`, r.IntN(3), r.IntN(2)*10)}
	}
	for id := 0; id < 300; id++ {
		if _, err := c.Exec(ctx, `INSERT INTO p VALUES ($1, $2, $3, $4, $5)`, randRow(id)...); err != nil {
			t.Fatal(err)
		}
	}
	collect := func(q string, args ...any) []string {
		t.Helper()
		rows, err := c.Query(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var out []string
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(vals))
		}
		if rows.Err() != nil {
			t.Fatalf("%s: %v", q, rows.Err())
		}
		slices.Sort(out)
		return out
	}
	explain := func(q string, args ...any) string {
		// EXPLAIN takes no parameters here: inline them as literals.
		for i := len(args) - 1; i >= 0; i-- {
			q = strings.ReplaceAll(q, fmt.Sprintf("$%d", i+1), fmt.Sprintf("'%v'", args[i]))
		}
		var b strings.Builder
		for _, l := range collect("EXPLAIN " + q) {
			b.WriteString(l)
		}
		return b.String()
	}
	check := func(round int) {
		for i := 0; i < 40; i++ {
			a, b, u, k := r.IntN(9), fmt.Sprintf("b%d", r.IntN(5)), fmt.Sprintf("u%d", r.IntN(320)), fmt.Sprintf(`{"k": %d}`, r.IntN(3))
			cases := []struct {
				idx, fast, slow string
				args            []any
			}{
				{"p_a", `SELECT * FROM p WHERE a = $1`, `SELECT * FROM p WHERE coalesce(a = $1, false)`, []any{a}},
				{"p_ab", `SELECT * FROM p WHERE a = $1 AND b = $2`, `SELECT * FROM p WHERE coalesce(a = $1 AND b = $2, false)`, []any{a, b}},
				{"p_u_key", `SELECT id FROM p WHERE u = $1`, `SELECT id FROM p WHERE coalesce(u = $1, false)`, []any{u}},
				{"p_j", `SELECT id FROM p WHERE j = $1::jsonb`, `SELECT id FROM p WHERE coalesce(j = $1::jsonb, false)`, []any{k}},
				{"p_expr", `SELECT id FROM p WHERE upper(b) = $1 AND j->>'k' = $2`, `SELECT id FROM p WHERE coalesce(upper(b) = $1 AND j->>'k' = $2, false)`, []any{strings.ToUpper(b), fmt.Sprintf("%d.0", r.IntN(3))}},
			}
			for _, cs := range cases {
				got, want := collect(cs.fast, cs.args...), collect(cs.slow, cs.args...)
				if !slices.Equal(got, want) {
					t.Fatalf("round %d: %s %v\nindex: %v\nscan:  %v", round, cs.fast, cs.args, got, want)
				}
				if plan := explain(cs.fast, cs.args...); !strings.Contains(plan, "Index Scan using "+cs.idx) {
					t.Fatalf("%s: plan does not use %s: %s", cs.fast, cs.idx, plan)
				}
			}
		}
	}
	check(0)
	// Changes inside an open transaction are seen by its own index scans.
	for round := 1; round <= 3; round++ {
		tx, err := c.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 60; i++ {
			id := r.IntN(320)
			var err error
			switch r.IntN(3) {
			case 0:
				_, err = tx.Exec(ctx, `DELETE FROM p WHERE id = $1`, id)
			case 1:
				row := randRow(id)
				_, err = tx.Exec(ctx, `UPDATE p SET a = $2, b = $3, j = $5 WHERE id = $1`, row...)
			default:
				row := randRow(id)
				_, err = tx.Exec(ctx, `INSERT INTO p VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`, row...)
			}
			if err != nil && pgCode(err) != "23505" {
				t.Fatal(err)
			}
			if err != nil {
				// A unique violation aborts the transaction: start over.
				_ = tx.Rollback(ctx)
				if tx, err = c.Begin(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
		check(round)
		if round%2 == 0 {
			err = tx.Rollback(ctx)
		} else {
			err = tx.Commit(ctx)
		}
		if err != nil {
			t.Fatal(err)
		}
		check(round)
	}
}

// TestGINScansMatchTableScans is the same property test for GIN indexes:
// random jsonb documents and text arrays, then containment, key-existence
// and overlap queries answered through the inverted index must return
// what a table scan returns, before and after random changes.
func TestGINScansMatchTableScans(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, `CREATE TABLE d (id int PRIMARY KEY, j jsonb, tags text[])`)
	mustExec(t, c, `CREATE INDEX d_j ON d USING gin (j)`)
	mustExec(t, c, `CREATE INDEX d_t ON d USING gin (tags)`)
	r := rand.New(rand.NewPCG(3, 5))
	scalar := func() string {
		return []string{`1`, `2`, `1.0`, `"a"`, `"b"`, `true`, `null`}[r.IntN(7)]
	}
	var doc func(depth int) string
	doc = func(depth int) string {
		if depth == 0 || r.IntN(3) == 0 {
			return scalar()
		}
		n := r.IntN(3)
		parts := make([]string, n)
		if r.IntN(2) == 0 {
			for i := range parts {
				parts[i] = doc(depth - 1)
			}
			return "[" + strings.Join(parts, ",") + "]"
		}
		for i := range parts {
			parts[i] = fmt.Sprintf(`"%s": %s`, []string{"a", "b", "c"}[r.IntN(3)], doc(depth-1))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	tags := func() []string {
		var out []string
		for i := r.IntN(4); i > 0; i-- {
			out = append(out, fmt.Sprintf("t%d", r.IntN(5)))
		}
		return out
	}
	write := func(id int) {
		if _, err := c.Exec(ctx, `INSERT INTO d VALUES ($1, $2::jsonb, $3) ON CONFLICT (id) DO UPDATE SET j = EXCLUDED.j, tags = EXCLUDED.tags`, id, doc(3), tags()); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(q string, args ...any) []int {
		rows, err := c.Query(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s %v: %v", q, args, err)
		}
		var out []int
		for rows.Next() {
			var id int
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		if rows.Err() != nil {
			t.Fatalf("%s %v: %v", q, args, rows.Err())
		}
		slices.Sort(out)
		return out
	}
	check := func() {
		for i := 0; i < 60; i++ {
			q := doc(2)
			keys := []string{[]string{"a", "b", "c", "z"}[r.IntN(4)], []string{"a", "b", "c", "z"}[r.IntN(4)]}
			tq := tags()
			cases := []struct {
				cond string
				arg  any
			}{
				{"j @> $1::jsonb", q},
				{"j ? $1", keys[0]},
				{"j ?| $1", keys},
				{"j ?& $1", keys},
				{"tags @> $1", tq},
				{"tags && $1", tq},
			}
			for _, cs := range cases {
				got := ids("SELECT id FROM d WHERE "+cs.cond, cs.arg)
				want := ids("SELECT id FROM d WHERE coalesce("+cs.cond+", false)", cs.arg)
				if !slices.Equal(got, want) {
					t.Fatalf("%s with %v: index %v, scan %v", cs.cond, cs.arg, got, want)
				}
			}
		}
	}
	for id := 0; id < 200; id++ {
		write(id)
	}
	check()
	for i := 0; i < 100; i++ {
		switch r.IntN(4) {
		case 0:
			mustExec(t, c, fmt.Sprintf(`DELETE FROM d WHERE id = %d`, r.IntN(220)))
		case 1:
			if _, err := c.Exec(ctx, `UPDATE d SET j = $2::jsonb, tags = $3 WHERE id = $1`, r.IntN(220), doc(3), tags()); err != nil {
				t.Fatal(err)
			}
		default:
			write(r.IntN(220))
		}
	}
	check()
	var plan string
	if err := c.QueryRow(ctx, `EXPLAIN SELECT id FROM d WHERE j @> '{"a": 1}'`).Scan(&plan); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "Index Scan using d_j") {
		t.Fatalf("GIN index not used: %s", plan)
	}
}

// TestRangeScansMatchTableScans checks key-range scans (<, <=, >, >=,
// BETWEEN on the first column of the primary key or of a secondary
// index) against table scans, over random data with NULLs and
// duplicates and a transaction's own changes.
func TestRangeScansMatchTableScans(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, `CREATE TABLE rg (id int PRIMARY KEY, n numeric, s text, d date, u int)`)
	mustExec(t, c, `CREATE INDEX rg_n ON rg (n)`)
	mustExec(t, c, `CREATE INDEX rg_s ON rg (s, id)`)
	mustExec(t, c, `CREATE INDEX rg_d ON rg (d)`)
	mustExec(t, c, `CREATE UNIQUE INDEX rg_u ON rg (u)`)
	r := rand.New(rand.NewPCG(9, 4))
	row := func(id int) []any {
		var n, s, d, u any
		if r.IntN(8) > 0 {
			n = fmt.Sprintf("%d.%d", r.IntN(20)-5, r.IntN(10))
		}
		if r.IntN(8) > 0 {
			s = []string{"a", "ab", "b", "ba", "c", ""}[r.IntN(6)]
		}
		if r.IntN(8) > 0 {
			d = fmt.Sprintf("2024-01-%02d", 1+r.IntN(28))
		}
		if r.IntN(3) > 0 {
			u = id*3 - 50
		}
		return []any{id, n, s, d, u}
	}
	for id := 0; id < 300; id++ {
		if _, err := c.Exec(ctx, `INSERT INTO rg VALUES ($1, $2, $3, $4, $5)`, row(id)...); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(q string, args ...any) []int {
		rows, err := c.Query(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var out []int
		for rows.Next() {
			var id int
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		if rows.Err() != nil {
			t.Fatalf("%s: %v", q, rows.Err())
		}
		slices.Sort(out)
		return out
	}
	check := func() {
		for i := 0; i < 40; i++ {
			for _, cond := range []struct {
				sql string
				idx string
			}{
				{fmt.Sprintf("id > %d AND id <= %d", r.IntN(300), r.IntN(300)), "rg_pkey"},
				{fmt.Sprintf("id < %d", r.IntN(300)), "rg_pkey"},
				{fmt.Sprintf("n >= %d.5", r.IntN(20)-5), "rg_n"},
				{fmt.Sprintf("n BETWEEN %d AND %d", r.IntN(10)-5, r.IntN(20)-5), "rg_n"},
				{fmt.Sprintf("s > '%s'", []string{"", "a", "ab", "b"}[r.IntN(4)]), "rg_s"},
				{fmt.Sprintf("s <= '%s'", []string{"a", "b", "bz", "c"}[r.IntN(4)]), "rg_s"},
				{fmt.Sprintf("d < '2024-01-%02d'", 1+r.IntN(28)), "rg_d"},
				{fmt.Sprintf("%d < u AND u < %d", r.IntN(900)-50, r.IntN(900)-50), "rg_u"},
			} {
				got := ids("SELECT id FROM rg WHERE " + cond.sql)
				want := ids("SELECT id FROM rg WHERE coalesce(" + cond.sql + ", false)")
				if !slices.Equal(got, want) {
					t.Fatalf("WHERE %s: range scan %v, table scan %v", cond.sql, got, want)
				}
				var plan string
				if err := c.QueryRow(ctx, "EXPLAIN SELECT id FROM rg WHERE "+cond.sql).Scan(&plan); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(plan, "Index Scan using "+cond.idx) {
					t.Fatalf("WHERE %s: plan %q does not use %s", cond.sql, plan, cond.idx)
				}
			}
		}
	}
	check()
	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 80; i++ {
		id := r.IntN(320)
		if r.IntN(2) == 0 {
			_, err = tx.Exec(ctx, `DELETE FROM rg WHERE id = $1`, id)
		} else {
			vals := row(id)
			vals[4] = nil // keep the unique column out of the way
			_, err = tx.Exec(ctx, `INSERT INTO rg VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET n = EXCLUDED.n, s = EXCLUDED.s, d = EXCLUDED.d`, vals...)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	check()
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	check()
}
