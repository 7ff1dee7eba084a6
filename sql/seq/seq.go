// Package seq implements sequences (CREATE SEQUENCE, serial, identity
// columns): nextval/setval are non-transactional, as in PostgreSQL. A
// node reserves values in blocks (Cache) with a small transaction of its
// own, so most nextval calls touch no storage; values reserved but not
// handed out before a crash are skipped, never reused.
package seq

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/pgerror"
)

// Options are a sequence's parameters.
type Options struct {
	Start     int64 `json:"start"`
	Increment int64 `json:"increment"`
	Min       int64 `json:"min"`
	Max       int64 `json:"max"`
	Cycle     bool  `json:"cycle,omitempty"`
	// TypeName is the sequence's data type (int2, int4, int8).
	TypeName string `json:"type,omitempty"`
}

// blockSize is how many values a node reserves at a time.
const blockSize = 32

// key holds the high-water mark of reserved values of a sequence: the
// last value reserved, and whether it was handed out (is_called).
func key(id uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{'q'}, id)
}

// Manager hands out sequence values for a node.
type Manager struct {
	db *kv.DB
	mu struct {
		sync.Mutex
		state map[uint32]*state
	}
}

type state struct {
	next    int64 // next value to hand out
	left    int64 // values left in the reserved block
	applied bool  // next is valid
	last    int64 // the last value this node handed out
	handed  bool  // last is valid
}

// NewManager returns a manager over db.
func NewManager(db *kv.DB) *Manager {
	m := &Manager{db: db}
	m.mu.state = map[uint32]*state{}
	return m
}

// stored reads the persisted mark (last reserved value, is_called).
func stored(ctx context.Context, txn *kv.Txn, id uint32) (int64, bool, bool, error) {
	v, found, err := txn.Get(ctx, key(id))
	if err != nil || !found || len(v) != 9 {
		return 0, false, false, err
	}
	return int64(binary.BigEndian.Uint64(v)), v[8] == 1, true, nil
}

func encode(last int64, called bool) []byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(last))
	if called {
		return append(b, 1)
	}
	return append(b, 0)
}

// update runs fn in its own transaction, retrying serialization failures.
func (m *Manager) update(ctx context.Context, fn func(txn *kv.Txn) error) error {
	for attempt := 0; ; attempt++ {
		txn := m.db.Begin(ctx, kv.Serializable)
		err := fn(txn)
		if err == nil {
			err = txn.Commit(ctx)
		} else {
			_ = txn.Rollback(ctx)
		}
		if err == nil || attempt > 100 || !errors.Is(err, kv.ErrSerializationFailure) {
			return err
		}
	}
}

// step advances v by inc within [min,max], cycling or failing.
func step(name string, o Options, v int64) (int64, error) {
	nv := v + o.Increment
	overflow := (o.Increment > 0 && nv < v) || (o.Increment < 0 && nv > v)
	if overflow || nv > o.Max || nv < o.Min {
		if !o.Cycle {
			lim, which := o.Max, "maximum"
			if o.Increment < 0 {
				lim, which = o.Min, "minimum"
			}
			return 0, pgerror.New(pgerror.SequenceGeneratorLimitExceeded, "nextval: reached %s value of sequence %q (%d)", which, name, lim)
		}
		if o.Increment > 0 {
			return o.Min, nil
		}
		return o.Max, nil
	}
	return nv, nil
}

// NextVal returns the next value of sequence id.
func (m *Manager) NextVal(ctx context.Context, id uint32, name string, o Options) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.mu.state[id]
	if st == nil {
		st = &state{}
		m.mu.state[id] = st
	}
	if st.left > 0 && st.applied {
		v := st.next
		st.last, st.handed = v, true
		st.left--
		if st.left > 0 {
			nv, err := step(name, o, v)
			if err != nil {
				st.left = 0
			} else {
				st.next = nv
			}
		}
		return v, nil
	}
	// Reserve a new block: values first..last, persisting last as called.
	var first, last int64
	n := int64(0)
	err := m.update(ctx, func(txn *kv.Txn) error {
		prev, called, found, err := stored(ctx, txn, id)
		if err != nil {
			return err
		}
		switch {
		case !found:
			first = o.Start
		case !called:
			first = prev
		default:
			if first, err = step(name, o, prev); err != nil {
				return err
			}
		}
		last, n = first, 1
		for n < blockSize {
			nv, err := step(name, o, last)
			if err != nil {
				break
			}
			last = nv
			n++
		}
		return txn.Put(ctx, key(id), encode(last, true))
	})
	if err != nil {
		return 0, err
	}
	st.applied = true
	st.last, st.handed = first, true
	st.left = n - 1
	if st.left > 0 {
		st.next, _ = step(name, o, first)
	}
	return first, nil
}

// SetVal sets the sequence's current value; called=false makes the next
// nextval return v itself.
func (m *Manager) SetVal(ctx context.Context, id uint32, name string, o Options, v int64, called bool) error {
	if v < o.Min || v > o.Max {
		return pgerror.New(pgerror.NumericValueOutOfRange, "setval: value %d is out of bounds for sequence %q (%d..%d)", v, name, o.Min, o.Max)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.mu.state, id)
	return m.update(ctx, func(txn *kv.Txn) error { return txn.Put(ctx, key(id), encode(v, called)) })
}

// Forget drops cached state of a dropped sequence.
func (m *Manager) Forget(id uint32) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.mu.state, id)
}

// Defaults fills unset options like CREATE SEQUENCE does for a type with
// the given bounds.
func Defaults(o *Options, typeMin, typeMax int64, setStart, setMin, setMax, setInc bool) error {
	if !setInc {
		o.Increment = 1
	}
	if o.Increment == 0 {
		return pgerror.New(pgerror.InvalidParameterValue, "INCREMENT must not be zero")
	}
	if !setMin {
		if o.Increment > 0 {
			o.Min = 1
		} else {
			o.Min = typeMin
		}
	}
	if !setMax {
		if o.Increment > 0 {
			o.Max = typeMax
		} else {
			o.Max = -1
		}
	}
	if o.Min < typeMin || o.Max > typeMax {
		return pgerror.New(pgerror.NumericValueOutOfRange, "MINVALUE (%d) or MAXVALUE (%d) is out of range for sequence data type %s", o.Min, o.Max, o.TypeName)
	}
	if o.Min >= o.Max {
		return pgerror.New(pgerror.InvalidParameterValue, "MINVALUE (%d) must be less than MAXVALUE (%d)", o.Min, o.Max)
	}
	if !setStart {
		if o.Increment > 0 {
			o.Start = o.Min
		} else {
			o.Start = o.Max
		}
	}
	if o.Start < o.Min {
		return pgerror.New(pgerror.InvalidParameterValue, "START value (%d) cannot be less than MINVALUE (%d)", o.Start, o.Min)
	}
	if o.Start > o.Max {
		return pgerror.New(pgerror.InvalidParameterValue, "START value (%d) cannot be greater than MAXVALUE (%d)", o.Start, o.Max)
	}
	return nil
}

// Describe is used in error messages.
func (o Options) String() string {
	return fmt.Sprintf("start %d increment %d min %d max %d cycle %v", o.Start, o.Increment, o.Min, o.Max, o.Cycle)
}

// State returns what SELECT last_value, is_called FROM a sequence shows:
// the last value this node handed out, else the persisted mark, else the
// start value not yet called.
func (m *Manager) State(ctx context.Context, txn *kv.Txn, id uint32, o Options) (last int64, called bool, err error) {
	m.mu.Lock()
	st := m.mu.state[id]
	if st != nil && st.handed {
		last = st.last
		m.mu.Unlock()
		return last, true, nil
	}
	m.mu.Unlock()
	prev, called, found, err := stored(ctx, txn, id)
	if err != nil || !found {
		return o.Start, false, err
	}
	return prev, called, nil
}
