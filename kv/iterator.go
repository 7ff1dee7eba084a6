package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aegisdb/aegis/internal/hlc"
	"github.com/aegisdb/aegis/kv/kvpb"
)

// Iterator walks keys in ascending order. The usage contract:
//
//	it := txn.NewIterator(ctx, start, end)
//	defer it.Close()
//	for it.Next() {
//		use(it.Key(), it.Value())
//	}
//	if err := it.Err(); err != nil { ... }
//
// Key and Value are owned by the iterator and valid until the next call to
// Next or Close. An Iterator is not safe for concurrent use.
type Iterator interface {
	// Next advances to the next key and reports whether there is one.
	Next() bool
	// Key returns the current key.
	Key() []byte
	// Value returns the current value.
	Value() []byte
	// Err returns the error that stopped iteration, if any.
	Err() error
	// Close releases the iterator. It must be called.
	Close()
}

// Page sizes for the scans an iterator issues: small first (most SQL point
// and LIMIT queries read few rows), growing for long scans.
const (
	minScanPage = 16
	maxScanPage = 1024
)

// NewIterator returns an iterator over the transaction's view of [start,
// end): the snapshot merged with the transaction's buffered writes as of
// this call (later writes are not reflected). A nil end is unbounded. Under
// Serializable, the part of the span the iterator has read (up to the last
// key returned, or all of it once exhausted) joins the read set when the
// iterator is exhausted or closed.
func (t *Txn) NewIterator(ctx context.Context, start, end []byte) Iterator {
	if err := t.checkActive(); err != nil {
		return &txnIterator{err: err, done: true}
	}
	if start == nil {
		start = []byte{}
	}
	ts, err := t.snapshot(ctx)
	if err != nil {
		return &txnIterator{err: err, done: true}
	}
	it := &txnIterator{
		ctx:      ctx, // a short-lived iterator may hold its caller's ctx
		txn:      t,
		ts:       ts,
		start:    slices.Clone(start),
		end:      slices.Clone(end),
		buffered: t.buf.entries(start, end),
		page:     minScanPage,
		resume:   slices.Clone(start),
	}
	if end != nil && bytes.Compare(start, end) >= 0 {
		it.done = true
		it.buffered = nil
	}
	return it
}

// NewLatestIterator is NewIterator over the newest committed versions
// (a fresh timestamp) merged with the transaction's own writes, whatever
// the isolation level. Its reads do not join a Serializable read set.
// Foreign-key checks use it, as PostgreSQL's use a fresh snapshot.
func (t *Txn) NewLatestIterator(ctx context.Context, start, end []byte) Iterator {
	if err := t.checkActive(); err != nil {
		return &txnIterator{err: err, done: true}
	}
	if start == nil {
		start = []byte{}
	}
	ts, err := t.db.takeTimestamp(ctx)
	if err != nil {
		return &txnIterator{err: err, done: true}
	}
	it := &txnIterator{ctx: ctx, txn: t, ts: ts, start: slices.Clone(start), end: slices.Clone(end),
		buffered: t.buf.entries(start, end), page: minScanPage, resume: slices.Clone(start), recorded: true}
	if end != nil && bytes.Compare(start, end) >= 0 {
		it.done = true
		it.buffered = nil
	}
	return it
}

type txnIterator struct {
	ctx context.Context
	txn *Txn
	ts  hlc.Timestamp

	start, end []byte

	// buffered are the transaction's writes in the span, in key order.
	buffered []*bufEntry
	// rows is the current page of snapshot rows; resume is where the next
	// page starts (nil when the snapshot side is exhausted).
	rows   []kvpb.KeyValue
	resume []byte
	page   int

	key, value []byte
	lastKey    []byte // last key returned, for the read set
	done       bool
	recorded   bool
	err        error
}

// fill fetches the next page of snapshot rows if the current one is used up.
func (it *txnIterator) fill() bool {
	for len(it.rows) == 0 && it.resume != nil {
		br, err := it.txn.sender.Send(it.ctx, &kvpb.BatchRequest{
			Header: kvpb.Header{Timestamp: it.ts},
			Requests: []kvpb.Request{&kvpb.ScanRequest{
				Span: kvpb.Span{Key: it.resume, EndKey: it.end}, MaxKeys: it.page,
			}},
		})
		if err != nil {
			it.err = fmt.Errorf("kv: scan: %w", err)
			return false
		}
		resp, ok := single[*kvpb.ScanResponse](br)
		if !ok {
			it.err = errors.New("kv: scan: malformed response")
			return false
		}
		it.rows, it.resume = resp.Rows, resp.ResumeKey
		it.page = min(it.page*2, maxScanPage)
	}
	return true
}

func (it *txnIterator) Next() bool {
	if it.done {
		return false
	}
	if it.txn.state != txnActive {
		it.err, it.done = ErrTxnDone, true
		return false
	}
	for {
		if !it.fill() {
			it.done = true
			return false
		}
		var b *bufEntry
		if len(it.buffered) > 0 {
			b = it.buffered[0]
		}
		switch {
		case len(it.rows) == 0 && b == nil:
			it.finish(true)
			return false
		case b == nil || (len(it.rows) > 0 && bytes.Compare(it.rows[0].Key, b.key) < 0):
			r := it.rows[0]
			it.rows = it.rows[1:]
			it.key, it.value = r.Key, r.Value
		default:
			// The buffered write wins over a snapshot row with the same key.
			if len(it.rows) > 0 && bytes.Equal(it.rows[0].Key, b.key) {
				it.rows = it.rows[1:]
			}
			it.buffered = it.buffered[1:]
			if b.delete {
				continue
			}
			it.key, it.value = b.key, b.value
		}
		it.lastKey = it.key
		return true
	}
}

// finish records the span read so far in the read set (Serializable).
func (it *txnIterator) finish(exhausted bool) {
	it.done = true
	if it.recorded || it.txn == nil || it.txn.iso != Serializable || it.err != nil {
		return
	}
	it.recorded = true
	sp := kvpb.Span{Key: it.start, EndKey: it.end}
	if !exhausted {
		if it.lastKey == nil {
			return // nothing was read
		}
		sp.EndKey = append(slices.Clone(it.lastKey), 0)
	}
	it.txn.readSpans = append(it.txn.readSpans, sp)
}

func (it *txnIterator) Key() []byte   { return it.key }
func (it *txnIterator) Value() []byte { return it.value }
func (it *txnIterator) Err() error    { return it.err }

func (it *txnIterator) Close() {
	if !it.recorded && it.txn != nil && it.txn.state == txnActive {
		it.finish(false)
	}
	it.done = true
	it.rows, it.buffered = nil, nil
}
