package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aegisdb/aegis/server/testserver"
)

// A small isolation tester in the manner of PostgreSQL's
// src/test/isolation: named sessions over pgwire run steps in a fixed
// order chosen by the test; a step that does not finish within
// blockedAfter is "blocked" (waiting for a lock), and the test later
// waits for it explicitly. Every step's outcome is rendered as text:
// rows as "a,b;c,d" (NULL as "null"), a command tag when there are no
// rows, or "ERROR <sqlstate>".

// blockedAfter is how long a step may run before it counts as waiting.
const blockedAfter = 150 * time.Millisecond

type isoSpec struct {
	t       *testing.T
	ts      *testserver.TestServer
	conns   map[string]*pgconn.PgConn
	pending map[string]<-chan string
}

// newSpec starts a node, runs setup on it and opens the named sessions.
func newSpec(t *testing.T, setup string, sessions ...string) *isoSpec {
	t.Helper()
	ts := testserver.Start(t, testserver.Options{})
	x := &isoSpec{t: t, ts: ts, conns: map[string]*pgconn.PgConn{}, pending: map[string]<-chan string{}}
	if setup != "" {
		x.session("setup")
		if out := x.step("setup", setup); strings.HasPrefix(out, "ERROR") {
			t.Fatalf("setup: %s", out)
		}
	}
	for _, s := range sessions {
		x.session(s)
	}
	return x
}

func (x *isoSpec) session(name string) {
	x.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgconn.Connect(ctx, x.ts.URL("postgres"))
	if err != nil {
		x.t.Fatalf("connect %s: %v", name, err)
	}
	x.t.Cleanup(func() { c.Close(context.Background()) })
	x.conns[name] = c
}

// run executes sql on c and renders the outcome.
func run(c *pgconn.PgConn, sql string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := c.Exec(ctx, sql).ReadAll()
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			return "ERROR " + pe.Code
		}
		return "ERROR " + err.Error()
	}
	var parts []string
	for _, r := range res {
		if len(r.FieldDescriptions) == 0 {
			parts = append(parts, r.CommandTag.String())
			continue
		}
		var rows []string
		for _, row := range r.Rows {
			vals := make([]string, len(row))
			for i, v := range row {
				if v == nil {
					vals[i] = "null"
				} else {
					vals[i] = string(v)
				}
			}
			rows = append(rows, strings.Join(vals, ","))
		}
		parts = append(parts, strings.Join(rows, ";"))
	}
	return strings.Join(parts, " | ")
}

// start runs sql on session s in the background and returns its outcome
// channel.
func (x *isoSpec) start(s, sql string) <-chan string {
	x.t.Helper()
	if _, busy := x.pending[s]; busy {
		x.t.Fatalf("session %s is still waiting", s)
	}
	c := x.conns[s]
	ch := make(chan string, 1)
	go func() { ch <- run(c, sql) }()
	return ch
}

// step runs sql on session s and returns its outcome; it fails the test
// if the step blocks.
func (x *isoSpec) step(s, sql string) string {
	x.t.Helper()
	ch := x.start(s, sql)
	select {
	case out := <-ch:
		return out
	case <-time.After(10 * time.Second):
		x.t.Fatalf("%s: %q did not finish", s, sql)
		return ""
	}
}

// expect runs a step and checks its outcome.
func (x *isoSpec) expect(s, sql, want string) {
	x.t.Helper()
	if got := x.step(s, sql); got != want {
		x.t.Fatalf("%s: %s\n got: %s\nwant: %s", s, sql, got, want)
	}
}

// blocks runs sql on s and checks that it waits (for a lock).
func (x *isoSpec) blocks(s, sql string) {
	x.t.Helper()
	ch := x.start(s, sql)
	select {
	case out := <-ch:
		x.t.Fatalf("%s: %q should wait for a lock, finished: %s", s, sql, out)
	case <-time.After(blockedAfter):
	}
	x.pending[s] = ch
}

// wait collects the outcome of s's blocked step.
func (x *isoSpec) wait(s string) string {
	x.t.Helper()
	ch, ok := x.pending[s]
	if !ok {
		x.t.Fatalf("session %s has no blocked step", s)
	}
	delete(x.pending, s)
	select {
	case out := <-ch:
		return out
	case <-time.After(10 * time.Second):
		x.t.Fatalf("%s: blocked step did not finish", s)
		return ""
	}
}

// waitExpect waits for s's blocked step and checks its outcome.
func (x *isoSpec) waitExpect(s, want string) {
	x.t.Helper()
	if got := x.wait(s); got != want {
		x.t.Fatalf("%s (after waiting)\n got: %s\nwant: %s", s, got, want)
	}
}

// stillBlocked checks that s's step is still waiting.
func (x *isoSpec) stillBlocked(s string) {
	x.t.Helper()
	select {
	case out := <-x.pending[s]:
		x.t.Fatalf("%s should still be waiting, finished: %s", s, out)
	case <-time.After(blockedAfter):
	}
}
