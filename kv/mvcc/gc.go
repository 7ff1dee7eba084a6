package mvcc

import (
	"bytes"
	"context"
	"fmt"

	"github.com/aegisdb/aegis/internal/encoding"
	"github.com/aegisdb/aegis/internal/hlc"
)

// GCStats reports one garbage-collection pass.
type GCStats struct {
	// Examined counts versions read; Removed counts versions deleted.
	Examined, Removed int
}

// GC deletes (through w) the versions of keys in [start, end) that no
// reader at or above threshold can see: for each key, every version older
// than its newest version at or below threshold, and that version too if
// it is a tombstone. It examines about maxVersions versions (<= 0: no
// limit), always finishing the key it is on, and returns the user key to
// resume from if it stopped early (nil when the span is done).
//
// The caller guarantees that no reader uses a timestamp below threshold
// and that w is applied atomically (a key's versions must not be half
// removed: removing only the newest visible version would expose an older
// one).
func GC(
	ctx context.Context, r Reader, w Writer, start, end []byte, threshold hlc.Timestamp, maxVersions int,
) (resume []byte, st GCStats, err error) {
	lower, upper := spanBounds(start, end)
	it, err := r.NewIterator(ctx, lower, upper)
	if err != nil {
		return nil, st, err
	}
	defer closeIter(it, &err)
	var cur []byte // user-key prefix of the key being processed
	var seen bool  // a version at or below threshold was seen for cur
	var scratch []byte
	for valid := it.SeekGE(lower); valid; valid = it.Next() {
		k := it.Key()
		p, err := userPrefix(k)
		if err != nil {
			return nil, st, err
		}
		if !bytes.Equal(p, cur) {
			if maxVersions > 0 && st.Examined >= maxVersions {
				_, key, err := encoding.DecodeEscapedBytes(p[1:], nil)
				if err != nil {
					return nil, st, fmt.Errorf("mvcc: corrupt engine key: %w", err)
				}
				return key, st, nil
			}
			cur = append(cur[:0], p...)
			seen = false
		}
		st.Examined++
		ts := decodeTSSuffix(k)
		if threshold.Less(ts) {
			continue // visible to some reader above threshold
		}
		remove := seen // older than the newest version at or below threshold
		if !seen {
			seen = true
			_, tomb, err := decodeValue(it.Value())
			if err != nil {
				return nil, st, err
			}
			remove = tomb // a tombstone nobody can see past is garbage
		}
		if remove {
			scratch = append(scratch[:0], k...)
			if err := w.Delete(scratch); err != nil {
				return nil, st, err
			}
			st.Removed++
		}
	}
	return nil, st, it.Error()
}

// SpanBytes returns the bytes of MVCC data (engine keys and values, all
// versions) in [start, end), counting no further than stopAt (> 0) bytes.
func SpanBytes(ctx context.Context, r Reader, start, end []byte, stopAt int64) (n int64, err error) {
	lower, upper := spanBounds(start, end)
	it, err := r.NewIterator(ctx, lower, upper)
	if err != nil {
		return 0, err
	}
	defer closeIter(it, &err)
	for valid := it.SeekGE(lower); valid; valid = it.Next() {
		n += int64(len(it.Key()) + len(it.Value()))
		if stopAt > 0 && n >= stopAt {
			break
		}
	}
	return n, it.Error()
}

// KeyAtBytes returns the first user key in (start, end) before which the
// MVCC data of the span holds at least target bytes: a split point that
// keeps all versions of a key together. found is false if there is none.
func KeyAtBytes(ctx context.Context, r Reader, start, end []byte, target int64) (key []byte, found bool, err error) {
	lower, upper := spanBounds(start, end)
	it, err := r.NewIterator(ctx, lower, upper)
	if err != nil {
		return nil, false, err
	}
	defer closeIter(it, &err)
	var n int64
	var cur []byte
	for valid := it.SeekGE(lower); valid; valid = it.Next() {
		p, err := userPrefix(it.Key())
		if err != nil {
			return nil, false, err
		}
		if !bytes.Equal(p, cur) {
			if n >= target && cur != nil {
				_, key, err := encoding.DecodeEscapedBytes(p[1:], nil)
				if err != nil {
					return nil, false, fmt.Errorf("mvcc: corrupt engine key: %w", err)
				}
				if bytes.Compare(key, start) > 0 {
					return key, true, nil
				}
			}
			cur = append(cur[:0], p...)
		}
		n += int64(len(it.Key()) + len(it.Value()))
	}
	return nil, false, it.Error()
}
