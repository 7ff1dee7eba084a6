package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/aegisdb/aegis/server/testserver"
)

// TestStatActivityCancelTerminate checks pg_stat_activity (each session
// with its pid, state and last query), pg_cancel_backend interrupting a
// running pg_sleep with 57014, and pg_terminate_backend closing a
// connection.
func TestStatActivityCancelTerminate(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	a := connect(t, ts.URL("postgres"))
	b := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	var pidA int
	if err := a.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pidA); err != nil {
		t.Fatal(err)
	}
	mustExec(t, a, "BEGIN")
	mustExec(t, a, "SELECT 42")
	var state, query string
	if err := b.QueryRow(ctx, "SELECT state, query FROM pg_stat_activity WHERE pid = $1", pidA).Scan(&state, &query); err != nil {
		t.Fatal(err)
	}
	if state != "idle in transaction" || query != "SELECT 42" {
		t.Fatalf("activity of A: %q %q", state, query)
	}
	mustExec(t, a, "ROLLBACK")
	// Cancel a sleeping statement.
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := a.Exec(ctx, "SELECT pg_sleep(20)")
		done <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var st string
		if err := b.QueryRow(ctx, "SELECT state FROM pg_stat_activity WHERE pid = $1", pidA).Scan(&st); err != nil {
			t.Fatal(err)
		}
		if st == "active" || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	var ok bool
	if err := b.QueryRow(ctx, "SELECT pg_cancel_backend($1)", pidA).Scan(&ok); err != nil || !ok {
		t.Fatalf("pg_cancel_backend: %v %v", ok, err)
	}
	if err := <-done; pgCode(err) != "57014" || time.Since(start) > 10*time.Second {
		t.Fatalf("cancelled pg_sleep: %v after %s", err, time.Since(start))
	}
	// Terminate the connection.
	if err := b.QueryRow(ctx, "SELECT pg_terminate_backend($1)", pidA).Scan(&ok); err != nil || !ok {
		t.Fatalf("pg_terminate_backend: %v %v", ok, err)
	}
	if _, err := a.Exec(ctx, "SELECT 1"); err == nil {
		t.Fatal("terminated connection still answers")
	}
	var n int
	if err := b.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pidA).Scan(&n); err != nil || n != 0 {
		// The connection's goroutine may need a moment to unregister.
		time.Sleep(200 * time.Millisecond)
		if err := b.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pidA).Scan(&n); err != nil || n != 0 {
			t.Fatalf("terminated backend still listed: %d %v", n, err)
		}
	}
}
