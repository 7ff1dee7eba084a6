package mvcc

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/aegisdb/aegis/internal/encoding"
	"github.com/aegisdb/aegis/internal/hlc"
	"github.com/aegisdb/aegis/kv/storage"
)

const (
	localPrefix  = 0x01
	mvccPrefix   = 0x02
	mvccPrefixUp = 0x03

	kindTombstone = 0x00
	kindValue     = 0x01
)

// LocalKey returns an engine key for store-local metadata named name. Local
// keys sort before all MVCC data and are never visible to MVCC reads.
func LocalKey(name string) []byte {
	return append([]byte{localPrefix}, name...)
}

// appendKeyPrefix appends the part of an engine key shared by all versions
// of key.
func appendKeyPrefix(b, key []byte) []byte {
	b = append(b, mvccPrefix)
	return encoding.AppendEscapedBytes(b, key)
}

func appendInvertedTS(b []byte, ts hlc.Timestamp) []byte {
	inv := hlc.Timestamp{WallTime: ^ts.WallTime, Logical: ^ts.Logical}
	return inv.AppendTo(b)
}

// EncodeKey appends the engine key of the version of key at ts.
func EncodeKey(b, key []byte, ts hlc.Timestamp) []byte {
	return appendInvertedTS(appendKeyPrefix(b, key), ts)
}

// DecodeKey splits an engine key written by EncodeKey.
func DecodeKey(ek []byte) (key []byte, ts hlc.Timestamp, err error) {
	if len(ek) < 1+2+hlc.EncodedLen || ek[0] != mvccPrefix {
		return nil, hlc.Timestamp{}, fmt.Errorf("mvcc: not an MVCC key: %x", ek)
	}
	p := len(ek) - hlc.EncodedLen
	inv, err := hlc.Decode(ek[p:])
	if err != nil {
		return nil, hlc.Timestamp{}, err
	}
	rest, key, err := encoding.DecodeEscapedBytes(ek[1:p], nil)
	if err != nil || len(rest) != 0 {
		return nil, hlc.Timestamp{}, fmt.Errorf("mvcc: bad user key in %x: %v", ek, err)
	}
	return key, hlc.Timestamp{WallTime: ^inv.WallTime, Logical: ^inv.Logical}, nil
}

// prefixEnd returns the smallest engine key greater than every version of
// the user key whose prefix (ending in the 0x00 0x01 terminator) is p.
func prefixEnd(p []byte) []byte {
	e := append([]byte(nil), p...)
	e[len(e)-1]++ // 0x01 -> 0x02; no escaped key contains 0x00 0x02
	return e
}

// spanBounds maps the user span [start, end) to engine bounds. nil start and
// end are unbounded.
func spanBounds(start, end []byte) (lower, upper []byte) {
	if start == nil {
		lower = []byte{mvccPrefix}
	} else {
		lower = appendKeyPrefix(nil, start)
	}
	if end == nil {
		upper = []byte{mvccPrefixUp}
	} else {
		upper = appendKeyPrefix(nil, end)
	}
	return lower, upper
}

func decodeTSSuffix(ek []byte) hlc.Timestamp {
	inv, _ := hlc.Decode(ek[len(ek)-hlc.EncodedLen:])
	return hlc.Timestamp{WallTime: ^inv.WallTime, Logical: ^inv.Logical}
}

// userPrefix returns the version-independent part of an MVCC engine key, or
// an error if ek is malformed.
func userPrefix(ek []byte) ([]byte, error) {
	if len(ek) < 1+2+hlc.EncodedLen || ek[0] != mvccPrefix {
		return nil, fmt.Errorf("mvcc: corrupt engine key %x", ek)
	}
	return ek[:len(ek)-hlc.EncodedLen], nil
}

// Reader is the read side of an engine; *storage.Engine implements it.
type Reader interface {
	NewIterator(ctx context.Context, lower, upper []byte) (*storage.Iterator, error)
}

// Writer is the write side of a batch; *storage.Batch implements it.
type Writer interface {
	Set(key, value []byte) error
	Delete(key []byte) error
}

var (
	_ Reader = (*storage.Engine)(nil)
	_ Writer = (*storage.Batch)(nil)
)

// Put writes value as the version of key at ts.
func Put(w Writer, key []byte, ts hlc.Timestamp, value []byte) error {
	v := make([]byte, 0, 1+len(value))
	v = append(append(v, kindValue), value...)
	return w.Set(EncodeKey(nil, key, ts), v)
}

// Delete writes a tombstone as the version of key at ts.
func Delete(w Writer, key []byte, ts hlc.Timestamp) error {
	return w.Set(EncodeKey(nil, key, ts), []byte{kindTombstone})
}

// decodeValue splits an engine value into (payload, isTombstone).
func decodeValue(v []byte) ([]byte, bool, error) {
	if len(v) == 0 {
		return nil, false, errors.New("mvcc: empty engine value")
	}
	switch v[0] {
	case kindValue:
		return v[1:], false, nil
	case kindTombstone:
		return nil, true, nil
	default:
		return nil, false, fmt.Errorf("mvcc: unknown value kind 0x%02x", v[0])
	}
}

func closeIter(it *storage.Iterator, err *error) {
	if cerr := it.Close(); cerr != nil && *err == nil {
		*err = cerr
	}
}

// Get returns a copy of the newest value of key at or below ts.
func Get(ctx context.Context, r Reader, key []byte, ts hlc.Timestamp) (value []byte, found bool, err error) {
	p := appendKeyPrefix(nil, key)
	it, err := r.NewIterator(ctx, p, prefixEnd(p))
	if err != nil {
		return nil, false, err
	}
	defer closeIter(it, &err)
	if !it.SeekGE(appendInvertedTS(p, ts)) {
		return nil, false, it.Error()
	}
	payload, tomb, err := decodeValue(it.Value())
	if err != nil || tomb {
		return nil, false, err
	}
	return append([]byte{}, payload...), true, nil
}

// KeyValue is a user key and value returned by Scan.
type KeyValue struct {
	Key   []byte
	Value []byte
}

// maxNextsBeforeSeek bounds how many older versions Scan steps over with
// Next before seeking to the next user key.
const maxNextsBeforeSeek = 4

// Scan returns the live keys in [start, end) as of ts, in ascending order,
// at most maxKeys of them (maxKeys <= 0: no limit). If the limit stopped the
// scan, resume is the user key to continue from; otherwise it is nil. The
// returned slices are owned by the caller.
func Scan(
	ctx context.Context, r Reader, start, end []byte, ts hlc.Timestamp, maxKeys int,
) (kvs []KeyValue, resume []byte, err error) {
	lower, upper := spanBounds(start, end)
	it, err := r.NewIterator(ctx, lower, upper)
	if err != nil {
		return nil, nil, err
	}
	defer closeIter(it, &err)
	var seekBuf []byte
	valid := it.SeekGE(lower)
	for valid {
		p, err := userPrefix(it.Key())
		if err != nil {
			return nil, nil, err
		}
		if ts.Less(decodeTSSuffix(it.Key())) {
			// Newer than the snapshot: jump to the newest visible version.
			seekBuf = appendInvertedTS(append(seekBuf[:0], p...), ts)
			if valid = it.SeekGE(seekBuf); !valid {
				break
			}
			if !bytes.HasPrefix(it.Key(), seekBuf[:len(p)]) || len(it.Key()) != len(seekBuf) {
				continue // no visible version of this key
			}
			p = it.Key()[:len(p)]
		}
		payload, tomb, err := decodeValue(it.Value())
		if err != nil {
			return nil, nil, err
		}
		if !tomb {
			_, key, err := encoding.DecodeEscapedBytes(p[1:], nil)
			if err != nil {
				return nil, nil, fmt.Errorf("mvcc: corrupt engine key: %w", err)
			}
			if maxKeys > 0 && len(kvs) == maxKeys {
				return kvs, key, nil // resume at the first key not returned
			}
			kvs = append(kvs, KeyValue{Key: key, Value: append([]byte{}, payload...)})
		}
		// Skip the older versions of this key.
		cur := append(seekBuf[:0], p...)
		seekBuf = cur
		valid = it.Next()
		for n := 0; valid && bytes.HasPrefix(it.Key(), cur) && len(it.Key()) == len(cur)+hlc.EncodedLen; n++ {
			if n == maxNextsBeforeSeek {
				valid = it.SeekGE(prefixEnd(cur))
				break
			}
			valid = it.Next()
		}
	}
	return kvs, nil, it.Error()
}

// Version identifies one version found by a conflict check.
type Version struct {
	Key       []byte
	Timestamp hlc.Timestamp
}

// Checker performs repeated conflict checks with one engine iterator. It is
// not safe for concurrent use; Close it when done.
type Checker struct {
	it  *storage.Iterator
	buf []byte
}

// NewChecker returns a Checker over all MVCC data visible in r now.
func NewChecker(ctx context.Context, r Reader) (*Checker, error) {
	it, err := r.NewIterator(ctx, []byte{mvccPrefix}, []byte{mvccPrefixUp})
	if err != nil {
		return nil, err
	}
	return &Checker{it: it}, nil
}

// Close releases the checker's iterator.
func (c *Checker) Close() error { return c.it.Close() }

// NewestVersion returns the timestamp of the newest version of key (value
// or tombstone), or found=false if key has no versions.
func (c *Checker) NewestVersion(key []byte) (ts hlc.Timestamp, found bool, err error) {
	c.buf = appendKeyPrefix(c.buf[:0], key)
	if !c.it.SeekGE(c.buf) {
		return hlc.Timestamp{}, false, c.it.Error()
	}
	k := c.it.Key()
	if !bytes.HasPrefix(k, c.buf) || len(k) != len(c.buf)+hlc.EncodedLen {
		return hlc.Timestamp{}, false, nil
	}
	return decodeTSSuffix(k), true, nil
}

// FirstVersionIn returns the first version (in key order) of any key in
// [start, end) whose timestamp is in the open interval (after, before). A
// nil end is unbounded. It reads every version in the span:
// used for read-set validation, whose spans are the spans a transaction
// actually read.
func (c *Checker) FirstVersionIn(start, end []byte, after, before hlc.Timestamp) (v Version, found bool, err error) {
	lower, upper := spanBounds(start, end)
	for valid := c.it.SeekGE(lower); valid && bytes.Compare(c.it.Key(), upper) < 0; valid = c.it.Next() {
		k := c.it.Key()
		if _, err := userPrefix(k); err != nil {
			return Version{}, false, err
		}
		ts := decodeTSSuffix(k)
		if after.Less(ts) && ts.Less(before) {
			key, _, err := DecodeKey(k)
			if err != nil {
				return Version{}, false, err
			}
			return Version{Key: key, Timestamp: ts}, true, nil
		}
	}
	return Version{}, false, c.it.Error()
}
