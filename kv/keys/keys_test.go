package keys

import (
	"bytes"
	"testing"
)

func TestBoundary(t *testing.T) {
	for _, tc := range []struct {
		key        string
		start, end string
		ok         bool
	}{
		{"r\x00\x00\x00\x07\x01\x02", "r\x00\x00\x00\x07", "r\x00\x00\x00\x08", true},
		{"r\x00\x00\x00\xff", "r\x00\x00\x00\xff", "r\x00\x00\x01\x00", true},
		{"r\xff\xff\xff\xff\x01", "r\xff\xff\xff\xff", "s", true},
		{"cd\x00\x01", "c", "d", true},
		{"r\x00", "", "", false},
		{"x", "", "", false},
		{"", "", "", false},
	} {
		s, e, ok := Boundary([]byte(tc.key))
		if ok != tc.ok || !bytes.Equal(s, []byte(tc.start)) && tc.ok || !bytes.Equal(e, []byte(tc.end)) && tc.ok {
			t.Errorf("Boundary(%q) = %q, %q, %v; want %q, %q, %v", tc.key, s, e, ok, tc.start, tc.end, tc.ok)
		}
		if ok && (bytes.Compare(s, []byte(tc.key)) > 0 || bytes.Compare([]byte(tc.key), e) >= 0) {
			t.Errorf("Boundary(%q): key outside [%q, %q)", tc.key, s, e)
		}
	}
}
