package kv

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/aegisdb/aegis/kv/distsender"
	"github.com/aegisdb/aegis/kv/keys"
	"github.com/aegisdb/aegis/kv/kvpb"
	"github.com/aegisdb/aegis/kv/localstore"
	"github.com/aegisdb/aegis/kv/storage"
)

var (
	_ Sender = (*localstore.Store)(nil)
	_ Sender = (*distsender.DistSender)(nil)
)

// Options configures Open. Exactly one of Dir and InMemory must be set
// (with InMemory, Dir is ignored). Zero fields mean the defaults.
type Options struct {
	// Dir is the data directory; Pebble's files live under it.
	Dir string
	// InMemory keeps all data in memory (Pebble's vfs.NewMem); nothing
	// survives Close. For tests.
	InMemory bool
	// Logger receives Pebble's logs and events; nil means slog.Default().
	// Nothing is written to stdout or stderr directly.
	Logger *slog.Logger
	// MaxRangeBytes is the size above which a range splits; 0 means
	// localstore.DefaultMaxRangeBytes.
	MaxRangeBytes int64
	// GCInterval is the pause between background MVCC garbage-collection
	// passes; 0 means DefaultGCInterval, negative disables the
	// background collector (DB.RunGC still works).
	GCInterval time.Duration
	// GCPassVersions bounds the versions one background pass examines
	// (the I/O budget of a pass); 0 means DefaultGCPassVersions. The next
	// pass resumes where the previous one stopped.
	GCPassVersions int
}

// Defaults of Options.
const (
	DefaultGCInterval     = 10 * time.Second
	DefaultGCPassVersions = 20000
)

// DB is an open database. It is safe for concurrent use.
type DB struct {
	closed atomic.Bool
	sender Sender
	store  *localstore.Store
	eng    *storage.Engine
	opts   Options
	snaps  snapshotRegistry

	// The GC goroutine is owned by the DB: Close closes stopGC and waits
	// for gcDone.
	stopGC chan struct{}
	gcDone chan struct{}
	gc     gcState
}

// Open opens or creates the database described by opts.
func Open(ctx context.Context, opts Options) (*DB, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.Dir == "" && !opts.InMemory {
		return nil, errors.New("kv: Options.Dir is required unless InMemory is set")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.GCInterval == 0 {
		opts.GCInterval = DefaultGCInterval
	}
	if opts.GCPassVersions <= 0 {
		opts.GCPassVersions = DefaultGCPassVersions
	}
	eng, err := storage.Open(storage.Options{Dir: opts.Dir, InMemory: opts.InMemory, Logger: opts.Logger})
	if err != nil {
		return nil, fmt.Errorf("kv: open: %w", err)
	}
	store, err := localstore.New(eng, localstore.Options{
		MaxRangeBytes: opts.MaxRangeBytes, SplitBoundary: keys.Boundary, Logger: opts.Logger,
	})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("kv: open: %w", err), eng.Close())
	}
	db := &DB{
		sender: distsender.New(store), store: store, eng: eng, opts: opts,
		stopGC: make(chan struct{}), gcDone: make(chan struct{}),
	}
	db.snaps.init(db.takeTimestamp)
	go db.gcLoop()
	return db, nil
}

// Close stops the garbage collector, waits for in-flight requests, then
// closes the storage engine. Transactions still open afterwards fail with
// ErrDBClosed.
func (db *DB) Close() error {
	if !db.closed.CompareAndSwap(false, true) {
		return ErrDBClosed
	}
	close(db.stopGC)
	<-db.gcDone
	err := db.store.Close()
	return errors.Join(err, db.eng.Close())
}

// Sender returns the sender transactions of this DB use: the
// range-addressing kv/distsender over the local store.
func (db *DB) Sender() Sender { return db.sender }

// Begin starts a transaction. It does no I/O: the snapshot is taken by the
// first read or write (and by the first one after each Step under
// ReadCommitted), so errors surface there.
func (db *DB) Begin(ctx context.Context, iso IsolationLevel) *Txn {
	return newTxn(db, iso)
}

// RangeDescriptor describes one range (see kvpb.RangeDescriptor).
type RangeDescriptor = kvpb.RangeDescriptor

// RangeInfo is a range descriptor with the range's size.
type RangeInfo = localstore.RangeInfo

// Ranges lists the ranges of the key space in key order, with their
// approximate sizes (for `aegis range status`). It reads every range's
// data to size it.
func (db *DB) Ranges(ctx context.Context) ([]RangeInfo, error) {
	if db.closed.Load() {
		return nil, ErrDBClosed
	}
	return db.store.RangeInfos(ctx)
}

// SplitAt splits the range containing key so that a range starts at key
// (an administrative split; ranges also split by themselves by size and at
// table boundaries).
func (db *DB) SplitAt(key []byte) error {
	if db.closed.Load() {
		return ErrDBClosed
	}
	return db.store.SplitAt(key)
}
