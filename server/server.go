// Package server is the composition root: it opens the storage, bootstraps
// the catalog on a fresh data directory (like initdb), and serves the
// PostgreSQL protocol. It owns every long-lived component and stops them
// in reverse order.
package server

import (
	"context"
	"fmt"
	"github.com/aegisdb/aegis/sql/types"
	"log/slog"
	"net"
	"path/filepath"

	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/pgwire"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/seq"
	"github.com/aegisdb/aegis/sql/session"
)

// Config configures a node.
type Config struct {
	// DataDir holds the node's data (ignored with InMemory).
	DataDir string
	// InMemory keeps everything in memory (tests, experiments).
	InMemory bool
	// Listen is the PostgreSQL protocol address, e.g. 127.0.0.1:5432.
	// Port 0 picks a free port (see Server.Addr).
	Listen string
	// Logger receives structured logs (nil = slog.Default()).
	Logger *slog.Logger
}

// Superuser is the role created on a fresh data directory.
const Superuser = "postgres"

// Server is a running single node.
type Server struct {
	cfg  Config
	db   *kv.DB
	pg   *pgwire.Server
	ln   net.Listener
	done chan error
}

// Start opens (or initialises) the data directory and starts serving.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if err := checkListen(cfg.Listen); err != nil {
		return nil, err
	}
	dir := cfg.DataDir
	if !cfg.InMemory {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		dir = abs
	}
	db, err := kv.Open(ctx, kv.Options{Dir: dir, InMemory: cfg.InMemory, Logger: cfg.Logger.With("component", "storage")})
	if err != nil {
		return nil, fmt.Errorf("opening data directory %s: %w", dir, err)
	}
	txn := db.Begin(ctx, kv.Serializable)
	created, err := catalog.Bootstrap(ctx, txn, Superuser)
	if err == nil {
		err = txn.Commit(ctx)
	}
	if err != nil {
		_ = txn.Rollback(ctx)
		_ = db.Close()
		return nil, fmt.Errorf("bootstrapping catalog: %w", err)
	}
	if created {
		cfg.Logger.Info("initialised new data directory", "dir", dir, "superuser", Superuser)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("listening on %s: %w", cfg.Listen, err)
	}
	// Enum types not seen yet in this process are read from the catalog.
	types.SetEnumLoader(func(oid types.Oid) (types.EnumInfo, bool) {
		ctx := context.Background()
		txn := db.Begin(ctx, kv.ReadCommitted)
		defer func() { _ = txn.Rollback(ctx) }()
		d, err := catalog.New(txn).ByID(ctx, uint32(oid-16384))
		if err != nil || d == nil || d.Enum == nil {
			return types.EnumInfo{}, false
		}
		return types.EnumInfo{Name: d.Name, Schema: d.Enum.Schema, Labels: d.Enum.Labels, Sort: d.Enum.Sort}, true
	})
	s := &Server{cfg: cfg, db: db, ln: ln, done: make(chan error, 1)}
	s.pg = pgwire.NewServer(&session.Engine{DB: db, Seq: seq.NewManager(db)}, cfg.Logger.With("component", "pgwire"))
	go func() { s.done <- s.pg.Serve(ln) }()
	cfg.Logger.Info("accepting PostgreSQL connections", "addr", ln.Addr().String())
	return s, nil
}

// checkListen refuses non-loopback addresses until password
// authentication exists: trust auth must not be reachable from outside.
func checkListen(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to listen on %q: only loopback addresses are allowed until password authentication is implemented (connections are trusted)", addr)
	}
	return nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Stop closes every connection and the storage (committed data is
// already durable).
func (s *Server) Stop() error {
	s.pg.Close()
	err := <-s.done
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	return err
}
