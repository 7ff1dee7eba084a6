package storage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
)

// Options configures an Engine. The zero value is not valid: set Dir or
// InMemory.
type Options struct {
	// Dir is the directory holding Pebble's files. With InMemory it only
	// names the in-memory directory.
	Dir string
	// InMemory keeps all files in memory (vfs.NewMem); nothing survives
	// Close.
	InMemory bool
	// Logger receives Pebble's log messages and events. nil means
	// slog.Default().
	Logger *slog.Logger
}

// Validate reports whether the options can open an engine.
func (o *Options) Validate() error {
	if o.Dir == "" && !o.InMemory {
		return errors.New("storage: Options.Dir is required unless InMemory is set")
	}
	return nil
}

// Engine is an open Pebble database. It is safe for concurrent use.
type Engine struct {
	db *pebble.DB
}

// Open opens (creating if needed) the engine described by opts.
func Open(opts Options) (*Engine, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	pl := pebbleLogger{l: logger.With("component", "pebble")}
	po := &pebble.Options{
		Logger: pl,
	}
	el := pebble.MakeLoggingEventListener(pebbleLogger{l: pl.l, infoLevel: slog.LevelDebug})
	po.EventListener = &el
	dir := opts.Dir
	if opts.InMemory {
		// A memory filesystem has no directories yet: always use a fixed
		// one (the configured path means nothing in memory).
		po.FS = vfs.NewMem()
		dir = "mem"
	}
	db, err := pebble.Open(dir, po)
	if err != nil {
		return nil, fmt.Errorf("storage: open pebble at %q: %w", dir, err)
	}
	return &Engine{db: db}, nil
}

// Close closes the engine. All iterators must be closed first.
func (e *Engine) Close() error {
	if err := e.db.Close(); err != nil {
		return fmt.Errorf("storage: close: %w", err)
	}
	return nil
}

// Get returns a copy of the value stored at key, or found=false.
func (e *Engine) Get(key []byte) (value []byte, found bool, err error) {
	v, closer, err := e.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("storage: get: %w", err)
	}
	value = append([]byte(nil), v...)
	if err := closer.Close(); err != nil {
		return nil, false, fmt.Errorf("storage: get: %w", err)
	}
	return value, true, nil
}

// Iterator is a forward iterator over [lower, upper). It is not safe for
// concurrent use. Key and Value are owned by the iterator and valid until
// the next positioning call or Close.
type Iterator struct {
	it  *pebble.Iterator
	err error
}

// NewIterator returns an iterator over the keys in [lower, upper); nil
// bounds are unbounded. The iterator is unpositioned: call SeekGE or First.
// The bound slices must not be modified while the iterator is open. ctx is
// used only while creating the iterator (for tracing).
func (e *Engine) NewIterator(ctx context.Context, lower, upper []byte) (*Iterator, error) {
	it, err := e.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return nil, fmt.Errorf("storage: new iterator: %w", err)
	}
	return &Iterator{it: it}, nil
}

// SeekGE positions the iterator at the first key >= key and reports whether
// it is valid.
func (i *Iterator) SeekGE(key []byte) bool { return i.it.SeekGE(key) }

// First positions the iterator at the first key and reports validity.
func (i *Iterator) First() bool { return i.it.First() }

// Next advances the iterator and reports validity.
func (i *Iterator) Next() bool { return i.it.Next() }

// Valid reports whether the iterator is positioned at a key.
func (i *Iterator) Valid() bool { return i.it.Valid() }

// Key returns the current key.
func (i *Iterator) Key() []byte { return i.it.Key() }

// Value returns the current value. On a read error it returns nil and the
// error is reported by Error.
func (i *Iterator) Value() []byte {
	v, err := i.it.ValueAndErr()
	if err != nil {
		i.err = err
		return nil
	}
	return v
}

// Error returns the first error the iterator encountered.
func (i *Iterator) Error() error {
	if i.err != nil {
		return fmt.Errorf("storage: iterator: %w", i.err)
	}
	if err := i.it.Error(); err != nil {
		return fmt.Errorf("storage: iterator: %w", err)
	}
	return nil
}

// Close releases the iterator.
func (i *Iterator) Close() error {
	if err := i.it.Close(); err != nil {
		return fmt.Errorf("storage: close iterator: %w", err)
	}
	return nil
}

// Batch accumulates writes to commit atomically. It is not safe for
// concurrent use. Set and Delete copy their arguments.
type Batch struct {
	b *pebble.Batch
}

// NewBatch returns an empty write batch.
func (e *Engine) NewBatch() *Batch { return &Batch{b: e.db.NewBatch()} }

// Set records a write of value at key.
func (b *Batch) Set(key, value []byte) error {
	if err := b.b.Set(key, value, nil); err != nil {
		return fmt.Errorf("storage: batch set: %w", err)
	}
	return nil
}

// Delete records a point deletion of key.
func (b *Batch) Delete(key []byte) error {
	if err := b.b.Delete(key, nil); err != nil {
		return fmt.Errorf("storage: batch delete: %w", err)
	}
	return nil
}

// Count returns the number of writes in the batch.
func (b *Batch) Count() int { return int(b.b.Count()) }

// Commit applies the batch atomically. With sync it returns only after the
// batch is durable in the write-ahead log; concurrent synced commits share
// one fsync.
func (b *Batch) Commit(sync bool) error {
	wo := pebble.NoSync
	if sync {
		wo = pebble.Sync
	}
	if err := b.b.Commit(wo); err != nil {
		return fmt.Errorf("storage: commit batch: %w", err)
	}
	return nil
}

// Close releases the batch; it must be called whether or not Commit was.
func (b *Batch) Close() error {
	if err := b.b.Close(); err != nil {
		return fmt.Errorf("storage: close batch: %w", err)
	}
	return nil
}

// pebbleLogger adapts slog to pebble.Logger.
type pebbleLogger struct {
	l *slog.Logger
	// infoLevel is the level for Infof; event-listener chatter (flushes,
	// compactions) goes at Debug.
	infoLevel slog.Level
}

func (p pebbleLogger) Infof(format string, args ...any) {
	p.l.Log(context.Background(), p.infoLevel, fmt.Sprintf(format, args...))
}

func (p pebbleLogger) Errorf(format string, args ...any) {
	p.l.Error(fmt.Sprintf(format, args...))
}

// Fatalf is called by Pebble on an unrecoverable invariant violation (for
// example corruption); Pebble requires that it not return. We log the
// message and panic with an error so the process stops with a stack trace.
func (p pebbleLogger) Fatalf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	p.l.Error("pebble fatal error", "msg", msg)
	panic(fmt.Errorf("storage: pebble fatal: %s", msg))
}
