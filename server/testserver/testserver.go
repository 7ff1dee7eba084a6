// Package testserver starts in-process Aegis nodes on random loopback
// ports for tests.
package testserver

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/aegisdb/aegis/server"
)

// Options configure a test server.
type Options struct {
	// DataDir makes the node durable in that directory; empty = in memory.
	DataDir string
	// Logs sends the node's logs to the test log.
	Logs bool
}

// TestServer is a running node.
type TestServer struct {
	*server.Server
	t       testing.TB
	stopped bool
}

// Start starts a node and stops it when the test ends.
func Start(t testing.TB, opts Options) *TestServer {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if opts.Logs {
		logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	cfg := server.Config{Listen: "127.0.0.1:0", Logger: logger, DataDir: opts.DataDir, InMemory: opts.DataDir == ""}
	s, err := server.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("starting test server: %v", err)
	}
	ts := &TestServer{Server: s, t: t}
	t.Cleanup(func() { ts.Stop() })
	return ts
}

// Stop stops the node (idempotent).
func (ts *TestServer) Stop() {
	if ts.stopped {
		return
	}
	ts.stopped = true
	if err := ts.Server.Stop(); err != nil {
		ts.t.Errorf("stopping test server: %v", err)
	}
}

// URL returns a connection string for database db as user postgres.
func (ts *TestServer) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@%s/%s?sslmode=disable", ts.Addr().String(), db)
}

// HostPort returns host and port separately (for psql).
func (ts *TestServer) HostPort() (string, string) {
	addr := ts.Addr().String()
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[:i], addr[i+1:]
		}
	}
	return addr, ""
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
