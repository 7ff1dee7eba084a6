package mvcc

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"github.com/aegisdb/aegis/internal/encoding"
	"github.com/aegisdb/aegis/internal/hlc"
)

// Engine key prefixes of the two-phase-commit records (see the package
// doc): intents sort after all MVCC data, transaction records after them.
const (
	intentPrefix    = 0x03
	intentPrefixUp  = 0x04
	txnRecordPrefix = 0x04
	txnRecordUp     = 0x05
)

// TxnIDLen is the length of a transaction ID in intents and records.
const TxnIDLen = 16

// Intent is a prewritten, uncommitted write of one key: the lock record of
// a two-phase commit. Readers never see it; resolving it either turns it
// into a version at the commit timestamp or deletes it.
type Intent struct {
	Key     []byte
	Txn     [TxnIDLen]byte
	Primary []byte
	Value   []byte
	Delete  bool
}

// IntentKey returns the engine key of the intent on key.
func IntentKey(key []byte) []byte {
	return encoding.AppendEscapedBytes([]byte{intentPrefix}, key)
}

// PutIntent writes in (replacing any intent on the same key).
func PutIntent(w Writer, in Intent) error {
	v := make([]byte, 0, TxnIDLen+binary.MaxVarintLen64+len(in.Primary)+1+len(in.Value))
	v = append(v, in.Txn[:]...)
	v = binary.AppendUvarint(v, uint64(len(in.Primary)))
	v = append(v, in.Primary...)
	if in.Delete {
		v = append(v, kindTombstone)
	} else {
		v = append(append(v, kindValue), in.Value...)
	}
	return w.Set(IntentKey(in.Key), v)
}

func decodeIntent(ek, v []byte) (Intent, error) {
	var in Intent
	if len(ek) < 3 || ek[0] != intentPrefix {
		return in, fmt.Errorf("mvcc: not an intent key: %x", ek)
	}
	rest, key, err := encoding.DecodeEscapedBytes(ek[1:], nil)
	if err != nil || len(rest) != 0 {
		return in, fmt.Errorf("mvcc: corrupt intent key %x: %v", ek, err)
	}
	in.Key = key
	if len(v) < TxnIDLen+2 {
		return in, fmt.Errorf("mvcc: corrupt intent on %q", key)
	}
	copy(in.Txn[:], v)
	n, w := binary.Uvarint(v[TxnIDLen:])
	p := TxnIDLen + w
	if w <= 0 || uint64(len(v)-p) < n+1 {
		return in, fmt.Errorf("mvcc: corrupt intent on %q", key)
	}
	in.Primary = append([]byte{}, v[p:p+int(n)]...)
	payload, tomb, err := decodeValue(v[p+int(n):])
	if err != nil {
		return in, err
	}
	in.Delete = tomb
	if !tomb {
		in.Value = append([]byte{}, payload...)
	}
	return in, nil
}

// GetIntent returns the intent on key, if any.
func GetIntent(ctx context.Context, r Reader, key []byte) (in Intent, found bool, err error) {
	ek := IntentKey(key)
	it, err := r.NewIterator(ctx, ek, append(bytes.Clone(ek), 0))
	if err != nil {
		return in, false, err
	}
	defer closeIter(it, &err)
	if !it.SeekGE(ek) {
		return in, false, it.Error()
	}
	in, err = decodeIntent(it.Key(), it.Value())
	return in, err == nil, err
}

// DeleteIntent removes the intent on key.
func DeleteIntent(w Writer, key []byte) error { return w.Delete(IntentKey(key)) }

// ScanIntents calls fn for every intent on a key in [start, end) (nil end:
// unbounded), in key order.
func ScanIntents(ctx context.Context, r Reader, start, end []byte, fn func(Intent) error) (err error) {
	lower := encoding.AppendEscapedBytes([]byte{intentPrefix}, start)
	upper := []byte{intentPrefixUp}
	if end != nil {
		upper = encoding.AppendEscapedBytes([]byte{intentPrefix}, end)
	}
	it, err := r.NewIterator(ctx, lower, upper)
	if err != nil {
		return err
	}
	defer closeIter(it, &err)
	for valid := it.SeekGE(lower); valid; valid = it.Next() {
		in, err := decodeIntent(it.Key(), it.Value())
		if err != nil {
			return err
		}
		if err := fn(in); err != nil {
			return err
		}
	}
	return it.Error()
}

// ResolveIntent turns in into a committed version at commitTS (commit) or
// drops it, and deletes the intent.
func ResolveIntent(w Writer, in Intent, commit bool, commitTS hlc.Timestamp) error {
	if commit {
		var err error
		if in.Delete {
			err = Delete(w, in.Key, commitTS)
		} else {
			err = Put(w, in.Key, commitTS, in.Value)
		}
		if err != nil {
			return err
		}
	}
	return DeleteIntent(w, in.Key)
}

// TxnRecordKey returns the engine key of the record of transaction txn
// whose primary key is primary. Records sort by primary key, so a range
// owns the records of the transactions whose primary it holds.
func TxnRecordKey(primary []byte, txn [TxnIDLen]byte) []byte {
	k := encoding.AppendEscapedBytes([]byte{txnRecordPrefix}, primary)
	return append(k, txn[:]...)
}

const txnStatusCommitted = 0x01

// PutCommittedRecord writes the record saying txn committed at commitTS.
func PutCommittedRecord(w Writer, primary []byte, txn [TxnIDLen]byte, commitTS hlc.Timestamp) error {
	v := commitTS.AppendTo([]byte{txnStatusCommitted})
	return w.Set(TxnRecordKey(primary, txn), v)
}

// DeleteTxnRecord removes a transaction record.
func DeleteTxnRecord(w Writer, primary []byte, txn [TxnIDLen]byte) error {
	return w.Delete(TxnRecordKey(primary, txn))
}

// GetTxnRecord reports whether txn (with the given primary) has a
// committed record, and its commit timestamp.
func GetTxnRecord(ctx context.Context, r Reader, primary []byte, txn [TxnIDLen]byte) (commitTS hlc.Timestamp, committed bool, err error) {
	k := TxnRecordKey(primary, txn)
	it, err := r.NewIterator(ctx, k, append(bytes.Clone(k), 0))
	if err != nil {
		return hlc.Timestamp{}, false, err
	}
	defer closeIter(it, &err)
	if !it.SeekGE(k) {
		return hlc.Timestamp{}, false, it.Error()
	}
	v := it.Value()
	if len(v) != 1+hlc.EncodedLen || v[0] != txnStatusCommitted {
		return hlc.Timestamp{}, false, fmt.Errorf("mvcc: corrupt transaction record %x", v)
	}
	ts, err := hlc.Decode(v[1:])
	return ts, err == nil, err
}

// TxnRecordSpan returns the engine bounds of all transaction records.
func TxnRecordSpan() (lower, upper []byte) { return []byte{txnRecordPrefix}, []byte{txnRecordUp} }
