package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aegisdb/aegis/server/testserver"
)

// TestExplainShowsPlannerDecisions checks, through EXPLAIN, that the
// planner turns primary-key equality into an index scan, equi-joins into
// hash joins (in an order that follows the join conditions), and that
// EXPLAIN ANALYZE runs the query.
func TestExplainShowsPlannerDecisions(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, "CREATE TABLE a (id int PRIMARY KEY, b_id int)")
	mustExec(t, c, "CREATE TABLE b (id int PRIMARY KEY, c_id int)")
	mustExec(t, c, "CREATE TABLE c (id int PRIMARY KEY)")
	plan := func(sql string) string {
		rows, err := c.Query(ctx, sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		defer rows.Close()
		var lines []string
		for rows.Next() {
			var l string
			if err := rows.Scan(&l); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, l)
		}
		return strings.Join(lines, "\n")
	}
	if p := plan("EXPLAIN SELECT * FROM a WHERE id = 42"); !strings.Contains(p, "Index Scan using a_pkey on a") || !strings.Contains(p, "Index Cond: (id = 42)") {
		t.Errorf("point lookup plan:\n%s", p)
	}
	if p := plan("EXPLAIN SELECT * FROM a WHERE b_id = 42"); !strings.Contains(p, "Seq Scan on a") || !strings.Contains(p, "Filter: (b_id = 42)") {
		t.Errorf("filter plan:\n%s", p)
	}
	// a and c share no condition: the planner must not cross join them.
	p := plan("EXPLAIN SELECT * FROM a, c, b WHERE a.b_id = b.id AND b.c_id = c.id")
	if strings.Contains(p, "Nested Loop") || strings.Count(p, "Hash Join") != 2 {
		t.Errorf("three-way join plan:\n%s", p)
	}
	mustExec(t, c, "INSERT INTO a VALUES (1, 1), (2, 2)")
	if p := plan("EXPLAIN ANALYZE SELECT * FROM a"); !strings.Contains(p, "actual rows=2") || !strings.Contains(p, "Execution Time:") {
		t.Errorf("explain analyze:\n%s", p)
	}
}
