package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aegisdb/aegis/internal/testutil"
	"github.com/aegisdb/aegis/server/testserver"
)

// A lockScript is a concurrent scenario, one step per line:
//
//	a: SQL    run SQL on session a and record its outcome
//	b& SQL    start SQL on session b; record whether it waits
//	b<        record the outcome of b's started step
//
// Sessions are opened on first use.
type lockScript string

// runLockScript runs script against url and returns one outcome line per
// step.
func runLockScript(t *testing.T, url string, script lockScript) []string {
	t.Helper()
	ctx := context.Background()
	conns := map[string]*pgconn.PgConn{}
	pending := map[string]<-chan string{}
	conn := func(name string) *pgconn.PgConn {
		if c := conns[name]; c != nil {
			return c
		}
		c, err := pgconn.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		conns[name] = c
		return c
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(string(script)), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, rest := line[:1], strings.TrimSpace(line[2:])
		c := conn(name)
		switch line[1] {
		case ':':
			out = append(out, line+" => "+run(c, rest))
		case '&':
			ch := make(chan string, 1)
			go func() { ch <- run(c, rest) }()
			select {
			case r := <-ch:
				out = append(out, line+" => did not wait: "+r)
			case <-time.After(blockedAfter):
				out = append(out, line+" => waits")
				pending[name] = ch
			}
		case '<':
			ch, ok := pending[name]
			if !ok {
				out = append(out, line+" => nothing waiting")
				continue
			}
			delete(pending, name)
			select {
			case r := <-ch:
				out = append(out, line+" => "+r)
			case <-time.After(10 * time.Second):
				t.Fatalf("%s: still waiting", line)
			}
		default:
			t.Fatalf("bad step %q", line)
		}
	}
	return out
}

// checkLockScript runs script on Aegis and on PostgreSQL and compares.
func checkLockScript(t *testing.T, script lockScript) {
	t.Helper()
	ts := testserver.Start(t, testserver.Options{})
	got := runLockScript(t, ts.URL("postgres"), script)
	want := runLockScript(t, testutil.StartPostgres(t), script)
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("aegis:      %s\npostgresql: %s", g, w)
		}
	}
}

const epqSetup = `
s: CREATE TABLE customers (id int PRIMARY KEY, name text)
s: CREATE TABLE orders (id int PRIMARY KEY, cid int, n int, note text)
s: INSERT INTO customers VALUES (1, 'ann'), (2, 'bob')
s: INSERT INTO orders VALUES (1, 1, 0, 'x'), (2, 1, 0, 'y'), (3, 2, 5, 'z')
`

// TestSelectForUpdateJoinsMatchPostgres: FOR UPDATE over joins locks the
// rows of every table (or of the tables named by OF), and under READ
// COMMITTED a row changed while waiting is re-checked against the join
// and WHERE conditions with the other tables' rows as they were read
// (PostgreSQL's EvalPlanQual).
func TestSelectForUpdateJoinsMatchPostgres(t *testing.T) {
	checkLockScript(t, epqSetup+`
# Both tables' rows are locked; OF limits the locking to the named one.
a: BEGIN; SELECT o.id, c.name FROM orders o JOIN customers c ON o.cid = c.id WHERE o.id = 1 FOR UPDATE
b: SET lock_timeout = '200ms'
b: UPDATE customers SET name = 'x' WHERE id = 1
b: UPDATE orders SET n = 9 WHERE id = 1
a: ROLLBACK
a: BEGIN; SELECT o.id, c.name FROM orders o, customers c WHERE o.cid = c.id AND o.id = 1 FOR UPDATE OF o
b: UPDATE customers SET name = 'ann2' WHERE id = 1
b: UPDATE orders SET n = 9 WHERE id = 1
a: SELECT o.id, c.name FROM orders o JOIN customers c ON o.cid = c.id WHERE o.id = 2 FOR SHARE OF c FOR UPDATE OF o
b: UPDATE customers SET name = 'ann3' WHERE id = 1
a: ROLLBACK
b: SET lock_timeout = 0

# A locked row updated meanwhile: the WHERE clause is re-checked on the
# newest version ...
a: BEGIN; UPDATE orders SET n = 1 WHERE id = 1
b& SELECT o.id, o.n, c.name FROM orders o JOIN customers c ON o.cid = c.id WHERE o.n = 0 ORDER BY o.id FOR UPDATE OF o
a: COMMIT
b<
# ... the output is recomputed from it ...
a: BEGIN; UPDATE orders SET note = 'new' WHERE id = 2
b& SELECT o.id, o.note || '/' || c.name AS s FROM orders o JOIN customers c ON o.cid = c.id WHERE o.id = 2 FOR UPDATE
a: COMMIT
b<
# ... the join condition is re-checked with the other table's row as
# read (a row whose join key moved is dropped) ...
a: BEGIN; UPDATE orders SET cid = 2 WHERE id = 2
b& SELECT o.id, c.name FROM orders o JOIN customers c ON o.cid = c.id ORDER BY o.id FOR UPDATE OF o
a: COMMIT
b<
# ... and a deleted row drops its output rows.
a: BEGIN; DELETE FROM customers WHERE id = 2
b& SELECT o.id, c.name FROM orders o JOIN customers c USING (id) ORDER BY 1 FOR UPDATE
a: COMMIT
b<
b: SELECT o.id, c.id, c.name FROM orders o JOIN customers c ON c.id = o.cid ORDER BY 1 FOR NO KEY UPDATE OF c SKIP LOCKED

# Errors.
b: SELECT * FROM orders o LEFT JOIN customers c ON o.cid = c.id FOR UPDATE
b: SELECT * FROM orders o LEFT JOIN customers c ON o.cid = c.id FOR UPDATE OF c
b: SELECT o.id FROM orders o LEFT JOIN customers c ON o.cid = c.id ORDER BY 1 FOR UPDATE OF o
b: SELECT * FROM (orders o JOIN customers c ON o.cid = c.id) j FOR UPDATE OF j
b: SELECT * FROM (orders o JOIN customers c ON o.cid = c.id) j ORDER BY 1 FOR UPDATE OF o
b: SELECT * FROM orders o FOR UPDATE OF orders
b: WITH w AS (SELECT 1 AS x) SELECT o.id FROM orders o, w ORDER BY 1 FOR UPDATE
b: WITH w AS (SELECT 1 AS x) SELECT o.id FROM orders o, w FOR UPDATE OF w
b: SELECT o.id FROM orders o, (VALUES (1)) v(x) ORDER BY 1 FOR UPDATE
b: SELECT o.id FROM orders o, (VALUES (1)) v(x) ORDER BY 1 FOR UPDATE OF v
b: SELECT row_number() OVER () FROM orders FOR UPDATE
`)
}

// TestSelectForUpdateSubqueriesMatchPostgres: a locking clause reaching a
// subquery or view in FROM locks the rows of its tables (PostgreSQL pulls
// the subquery up or pushes the clause down), re-checking its WHERE
// clause under READ COMMITTED.
func TestSelectForUpdateSubqueriesMatchPostgres(t *testing.T) {
	checkLockScript(t, epqSetup+`
s: CREATE VIEW big_orders AS SELECT id, cid, n * 10 AS n10 FROM orders WHERE n > 0
s: CREATE VIEW order_names AS SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.cid
a: BEGIN; SELECT * FROM (SELECT id, n FROM orders WHERE id = 1) s FOR UPDATE
b: SET lock_timeout = '200ms'
b: UPDATE orders SET n = 9 WHERE id = 1
b: UPDATE orders SET n = 9 WHERE id = 2
a: SELECT * FROM big_orders ORDER BY id FOR SHARE
b: UPDATE orders SET n = 7 WHERE id = 3
b: UPDATE orders SET n = 7 WHERE id = 2
a: SELECT name FROM order_names WHERE id = 2 FOR UPDATE OF order_names
b: UPDATE customers SET name = 'ann9' WHERE id = 1
a: ROLLBACK
a: BEGIN; SELECT s.id, c.name FROM (SELECT * FROM orders) s JOIN customers c ON c.id = s.cid WHERE s.id = 3 FOR UPDATE OF c
b: UPDATE orders SET n = 9 WHERE id = 3
b: UPDATE customers SET name = 'bob9' WHERE id = 2
a: ROLLBACK
b: SET lock_timeout = 0

# The subquery's WHERE clause is re-checked on the newest version.
a: BEGIN; UPDATE orders SET n = 0 WHERE id = 3
b& SELECT * FROM big_orders ORDER BY id FOR UPDATE
a: COMMIT
b<
a: BEGIN; UPDATE orders SET n = 4 WHERE id = 2
b& SELECT id, n10 FROM big_orders ORDER BY id FOR UPDATE
a: COMMIT
b<

# Errors and the items passed over.
b: SELECT * FROM (SELECT cid, count(*) FROM orders GROUP BY cid) s FOR UPDATE
b: SELECT * FROM (SELECT id FROM orders UNION SELECT id FROM customers) s FOR UPDATE
b: SELECT * FROM (SELECT DISTINCT cid FROM orders) s FOR UPDATE
b: SELECT * FROM (SELECT 1 AS x) s FOR UPDATE
b: SELECT * FROM (SELECT 1 AS x) s FOR UPDATE OF s
b: SELECT * FROM (SELECT * FROM orders o) s ORDER BY 1 FOR UPDATE OF o
`)
}

// TestUpsertConcurrencyMatchesPostgres: INSERT ... ON CONFLICT with a
// concurrent inserter or updater of the same key waits for it, then
// updates the newest version (READ COMMITTED) or fails with 40001
// (REPEATABLE READ), as PostgreSQL does.
func TestUpsertConcurrencyMatchesPostgres(t *testing.T) {
	checkLockScript(t, `
s: CREATE TABLE kv (k int PRIMARY KEY, v int, u text UNIQUE)
s: INSERT INTO kv VALUES (1, 10, 'one')
a: BEGIN; INSERT INTO kv VALUES (2, 20, 'two')
b& INSERT INTO kv VALUES (2, 1, 'zwei') ON CONFLICT (k) DO UPDATE SET v = kv.v + EXCLUDED.v RETURNING *
a: COMMIT
b<
a: BEGIN; UPDATE kv SET v = 100 WHERE k = 1
b& INSERT INTO kv VALUES (1, 5, 'x') ON CONFLICT (k) DO UPDATE SET v = kv.v + EXCLUDED.v RETURNING k, v, u
a: COMMIT
b<
a: BEGIN; DELETE FROM kv WHERE k = 2
b& INSERT INTO kv VALUES (2, 7, 'deux') ON CONFLICT (k) DO UPDATE SET v = -1 RETURNING *
a: COMMIT
b<
a: BEGIN; INSERT INTO kv VALUES (3, 30, 'three')
b& INSERT INTO kv VALUES (4, 40, 'three') ON CONFLICT DO NOTHING
a: ROLLBACK
b<
b: BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM kv
a: INSERT INTO kv VALUES (5, 50, 'five')
b: INSERT INTO kv VALUES (5, 1, 'fuenf') ON CONFLICT (k) DO UPDATE SET v = 0
b: ROLLBACK
b: BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM kv
a: INSERT INTO kv VALUES (6, 60, 'six')
b: INSERT INTO kv VALUES (6, 1, 'sechs') ON CONFLICT DO NOTHING
b: ROLLBACK
b: SELECT * FROM kv ORDER BY k
`)
}

// TestForeignKeyConcurrencyMatchesPostgres: a referencing insert waits
// for a concurrent deletion of the referenced row (then fails if it
// committed), a deletion waits for an uncommitted referencing insert
// (then fails), and a non-key update of the referenced row does not
// block a referencing insert (FOR KEY SHARE vs FOR NO KEY UPDATE).
func TestForeignKeyConcurrencyMatchesPostgres(t *testing.T) {
	checkLockScript(t, `
s: CREATE TABLE parent (id int PRIMARY KEY, name text)
s: CREATE TABLE child (id int PRIMARY KEY, pid int REFERENCES parent)
s: INSERT INTO parent VALUES (1, 'a'), (2, 'b'), (3, 'c')
a: BEGIN; DELETE FROM parent WHERE id = 1
b& INSERT INTO child VALUES (10, 1)
a: COMMIT
b<
a: BEGIN; INSERT INTO child VALUES (20, 2)
b& DELETE FROM parent WHERE id = 2
a: COMMIT
b<
a: BEGIN; UPDATE parent SET name = 'c2' WHERE id = 3
b: INSERT INTO child VALUES (30, 3)
a: COMMIT
a: BEGIN; DELETE FROM parent WHERE id = 3
b& INSERT INTO child VALUES (31, 3)
a: ROLLBACK
b<
b: SELECT * FROM child ORDER BY id
`)
}
