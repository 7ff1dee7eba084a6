package funcs

import "testing"

// TestSizePretty checks pg_size_pretty against values PostgreSQL 15
// prints (unit boundaries, half rounding, negatives).
func TestSizePretty(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want string
	}{
		{0, "0 bytes"}, {10239, "10239 bytes"}, {10240, "10 kB"}, {10751, "10 kB"}, {10752, "11 kB"},
		{20971519, "20 MB"}, {20971520, "20 MB"}, {-10240, "-10 kB"}, {-10752, "-11 kB"},
		{1 << 40, "1024 GB"}, {1 << 50, "1024 TB"}, {1 << 60, "1024 PB"},
	} {
		if got := SizePretty(c.in); got != c.want {
			t.Errorf("SizePretty(%d) = %q, want %q", c.in, got, c.want)
		}
	}
}
