package kv

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/aegisdb/aegis/kv/localstore"
	"github.com/aegisdb/aegis/kv/storage"
)

var _ Sender = (*localstore.Store)(nil)

// Options configures Open. Exactly one of Dir and InMemory must be set
// (with InMemory, Dir is ignored).
type Options struct {
	// Dir is the data directory; Pebble's files live under it.
	Dir string
	// InMemory keeps all data in memory (Pebble's vfs.NewMem); nothing
	// survives Close. For tests.
	InMemory bool
	// Logger receives Pebble's logs and events; nil means slog.Default().
	// Nothing is written to stdout or stderr directly.
	Logger *slog.Logger
}

// DB is an open database. It is safe for concurrent use.
type DB struct {
	closed atomic.Bool
	sender Sender
	store  *localstore.Store
	eng    *storage.Engine
}

// Open opens or creates the database described by opts.
func Open(ctx context.Context, opts Options) (*DB, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.Dir == "" && !opts.InMemory {
		return nil, errors.New("kv: Options.Dir is required unless InMemory is set")
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	eng, err := storage.Open(storage.Options{Dir: opts.Dir, InMemory: opts.InMemory, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("kv: open: %w", err)
	}
	store, err := localstore.New(eng, localstore.Options{})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("kv: open: %w", err), eng.Close())
	}
	return &DB{sender: store, store: store, eng: eng}, nil
}

// Close waits for in-flight requests, then closes the storage engine.
// Transactions still open afterwards fail with ErrDBClosed.
func (db *DB) Close() error {
	if !db.closed.CompareAndSwap(false, true) {
		return ErrDBClosed
	}
	err := db.store.Close()
	return errors.Join(err, db.eng.Close())
}

// Sender returns the sender transactions of this DB use.
func (db *DB) Sender() Sender { return db.sender }

// Begin starts a transaction. It does no I/O: the snapshot is taken by the
// first read or write (and by the first one after each Step under
// ReadCommitted), so errors surface there.
func (db *DB) Begin(ctx context.Context, iso IsolationLevel) *Txn {
	return newTxn(db.sender, iso)
}
