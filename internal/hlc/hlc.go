package hlc

import (
	"encoding/binary"
	"fmt"
	"math"
	"sync"
	"time"
)

// Timestamp is a hybrid-logical-clock timestamp. The zero value is the
// smallest timestamp and means "unset".
type Timestamp struct {
	// WallTime is nanoseconds since the Unix epoch.
	WallTime int64
	// Logical orders events that share a WallTime.
	Logical uint32
}

// MaxTimestamp is larger than every timestamp a clock issues.
var MaxTimestamp = Timestamp{WallTime: math.MaxInt64, Logical: math.MaxUint32}

// EncodedLen is the length of the big-endian encoding written by AppendTo.
const EncodedLen = 12

// Compare returns -1, 0 or +1 as t is less than, equal to or greater than u.
func (t Timestamp) Compare(u Timestamp) int {
	switch {
	case t.WallTime < u.WallTime:
		return -1
	case t.WallTime > u.WallTime:
		return 1
	case t.Logical < u.Logical:
		return -1
	case t.Logical > u.Logical:
		return 1
	}
	return 0
}

// Less reports whether t < u.
func (t Timestamp) Less(u Timestamp) bool { return t.Compare(u) < 0 }

// LessEq reports whether t <= u.
func (t Timestamp) LessEq(u Timestamp) bool { return t.Compare(u) <= 0 }

// IsEmpty reports whether t is the zero timestamp.
func (t Timestamp) IsEmpty() bool { return t == Timestamp{} }

// Next returns the smallest timestamp greater than t.
func (t Timestamp) Next() Timestamp {
	if t.Logical == math.MaxUint32 {
		return Timestamp{WallTime: t.WallTime + 1}
	}
	return Timestamp{WallTime: t.WallTime, Logical: t.Logical + 1}
}

// Prev returns the largest timestamp smaller than t, or the zero timestamp
// if t is zero.
func (t Timestamp) Prev() Timestamp {
	switch {
	case t.Logical > 0:
		return Timestamp{WallTime: t.WallTime, Logical: t.Logical - 1}
	case t.WallTime > 0:
		return Timestamp{WallTime: t.WallTime - 1, Logical: math.MaxUint32}
	}
	return Timestamp{}
}

// String formats t as "wall.logical".
func (t Timestamp) String() string { return fmt.Sprintf("%d.%d", t.WallTime, t.Logical) }

// AppendTo appends the 12-byte big-endian encoding of t (wall, then logical).
// The encoding orders like the timestamps when WallTime >= 0.
func (t Timestamp) AppendTo(b []byte) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(t.WallTime))
	return binary.BigEndian.AppendUint32(b, t.Logical)
}

// Decode decodes the first EncodedLen bytes of b written by AppendTo.
func Decode(b []byte) (Timestamp, error) {
	if len(b) < EncodedLen {
		return Timestamp{}, fmt.Errorf("hlc: timestamp needs %d bytes, have %d", EncodedLen, len(b))
	}
	return Timestamp{
		WallTime: int64(binary.BigEndian.Uint64(b)),
		Logical:  binary.BigEndian.Uint32(b[8:]),
	}, nil
}

// Clock issues strictly increasing timestamps. It is safe for concurrent
// use.
type Clock struct {
	physical func() int64
	mu       struct {
		sync.Mutex
		last Timestamp
	}
}

// NewClock returns a clock reading physical time from physicalNow, or from
// time.Now if physicalNow is nil. Tests pass a manual source.
func NewClock(physicalNow func() int64) *Clock {
	if physicalNow == nil {
		physicalNow = func() int64 { return time.Now().UnixNano() }
	}
	return &Clock{physical: physicalNow}
}

// Now returns a timestamp greater than every timestamp previously returned
// by Now or passed to Forward.
func (c *Clock) Now() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	if pt := c.physical(); pt > c.mu.last.WallTime {
		c.mu.last = Timestamp{WallTime: pt}
	} else {
		c.mu.last = c.mu.last.Next()
	}
	return c.mu.last
}

// Last returns the most recent timestamp issued or observed, without
// advancing the clock.
func (c *Clock) Last() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mu.last
}

// Forward ratchets the clock so that every later Now is greater than ts.
func (c *Clock) Forward(ts Timestamp) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mu.last.Less(ts) {
		c.mu.last = ts
	}
}
