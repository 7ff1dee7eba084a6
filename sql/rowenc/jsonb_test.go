package rowenc

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/aegisdb/aegis/sql/jsonb"
	"github.com/aegisdb/aegis/sql/types"
)

// randomJSON returns random JSON text of nesting depth at most d, with
// numbers in several spellings of the same values so that equal jsonb
// values with different text occur.
func randomJSON(r *rand.Rand, d int) string {
	k := r.IntN(7)
	if d == 0 && k >= 5 {
		k = r.IntN(5)
	}
	switch k {
	case 0:
		return "null"
	case 1:
		return []string{"true", "false"}[r.IntN(2)]
	case 2:
		return []string{"0", "1", "1.0", "1.50", "1.5", "-2", "10", "1e1", "100", "-0.001", "123456789012345678901234567890"}[r.IntN(11)]
	case 3, 4:
		return fmt.Sprintf("%q", []string{"", "a", "b", "ab", "ba", "aa", "é"}[r.IntN(7)])
	case 5:
		n := r.IntN(4)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = randomJSON(r, d-1)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	n := r.IntN(4)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("%q: %s", []string{"a", "b", "aa", "k"}[r.IntN(4)], randomJSON(r, d-1))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// TestJSONBKeyOrderMatchesCompare checks the key encoding of jsonb
// against jsonb.Compare (the btree order PostgreSQL uses): equal values
// encode identically, and byte order is value order.
func TestJSONBKeyOrderMatchesCompare(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	vals := make([]jsonb.Value, 400)
	for i := range vals {
		v, err := jsonb.ParseJSONB(randomJSON(r, 3))
		if err != nil {
			t.Fatal(err)
		}
		vals[i] = v
	}
	keys := make([][]byte, len(vals))
	for i, v := range vals {
		k, err := EncodeKeyValue(nil, types.JSONB, v)
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = k
	}
	for i := range vals {
		for j := range vals {
			want := jsonb.Compare(vals[i], vals[j])
			if got := bytes.Compare(keys[i], keys[j]); got != want {
				t.Fatalf("%s vs %s: key order %d, Compare %d", vals[i], vals[j], got, want)
			}
		}
	}
}
