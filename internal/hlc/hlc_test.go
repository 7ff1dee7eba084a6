package hlc

import (
	"bytes"
	"testing"
)

func TestClockMonotonic(t *testing.T) {
	phys := int64(100)
	c := NewClock(func() int64 { return phys })
	a := c.Now()
	b := c.Now()
	if !a.Less(b) || b != (Timestamp{WallTime: 100, Logical: 1}) {
		t.Fatalf("a=%s b=%s", a, b)
	}
	phys = 50 // physical clock goes backwards
	if d := c.Now(); !b.Less(d) {
		t.Fatalf("clock went backwards: %s after %s", d, b)
	}
	c.Forward(Timestamp{WallTime: 1000, Logical: 7})
	if e := c.Now(); e != (Timestamp{WallTime: 1000, Logical: 8}) {
		t.Fatalf("after Forward: %s", e)
	}
	phys = 2000
	if f := c.Now(); f != (Timestamp{WallTime: 2000}) {
		t.Fatalf("physical ahead: %s", f)
	}
}

func TestEncodingOrder(t *testing.T) {
	ts := []Timestamp{{}, {0, 1}, {1, 0}, {1, 5}, {1 << 40, 0}, MaxTimestamp}
	for i := 1; i < len(ts); i++ {
		a, b := ts[i-1].AppendTo(nil), ts[i].AppendTo(nil)
		if bytes.Compare(a, b) >= 0 {
			t.Fatalf("%s !< %s encoded", ts[i-1], ts[i])
		}
		if d, err := Decode(b); err != nil || d != ts[i] {
			t.Fatalf("decode: %s %v", d, err)
		}
		if ts[i].Prev().Next() != ts[i] {
			t.Fatalf("Prev/Next of %s", ts[i])
		}
	}
}
