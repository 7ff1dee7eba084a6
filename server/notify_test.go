package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/aegisdb/aegis/server/testserver"
)

// TestListenNotify checks LISTEN/NOTIFY with pgx: notifications reach
// every listener on the channel with the sender's pid, are sent only when
// the notifying transaction commits (never after ROLLBACK), duplicates
// within a transaction collapse, pg_notify works, and UNLISTEN stops
// delivery.
func TestListenNotify(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	a := connect(t, ts.URL("postgres"))
	b := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, a, "LISTEN jobs")
	var pidB uint32
	if err := b.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pidB); err != nil {
		t.Fatal(err)
	}
	wait := func(d time.Duration) (string, string, uint32, bool) {
		wctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		n, err := a.WaitForNotification(wctx)
		if err != nil {
			return "", "", 0, false
		}
		return n.Channel, n.Payload, n.PID, true
	}
	mustExec(t, b, "NOTIFY jobs, 'one'")
	if ch, p, pid, ok := wait(5 * time.Second); !ok || ch != "jobs" || p != "one" || pid != pidB {
		t.Fatalf("first notification: %q %q %d %v", ch, p, pid, ok)
	}
	mustExec(t, b, "BEGIN")
	mustExec(t, b, "NOTIFY jobs, 'two'")
	mustExec(t, b, "NOTIFY jobs, 'two'")
	mustExec(t, b, "SELECT pg_notify('jobs', 'three')")
	if _, p, _, ok := wait(200 * time.Millisecond); ok {
		t.Fatalf("notification %q before COMMIT", p)
	}
	mustExec(t, b, "COMMIT")
	var got []string
	for len(got) < 2 {
		_, p, _, ok := wait(5 * time.Second)
		if !ok {
			break
		}
		got = append(got, p)
	}
	if len(got) != 2 || got[0] != "two" || got[1] != "three" {
		t.Fatalf("after COMMIT: %v", got)
	}
	if _, p, _, ok := wait(200 * time.Millisecond); ok {
		t.Fatalf("duplicate notification %q", p)
	}
	mustExec(t, b, "BEGIN")
	mustExec(t, b, "NOTIFY jobs, 'rolled back'")
	mustExec(t, b, "ROLLBACK")
	mustExec(t, b, "NOTIFY other, 'elsewhere'")
	if _, p, _, ok := wait(300 * time.Millisecond); ok {
		t.Fatalf("unexpected notification %q", p)
	}
	mustExec(t, a, "UNLISTEN *")
	mustExec(t, b, "NOTIFY jobs, 'after unlisten'")
	if _, p, _, ok := wait(300 * time.Millisecond); ok {
		t.Fatalf("notification %q after UNLISTEN", p)
	}
	if _, err := b.Exec(ctx, "NOTIFY \"\""); err == nil {
		t.Fatal("empty channel name accepted")
	}
}
