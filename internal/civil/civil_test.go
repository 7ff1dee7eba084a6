package civil

import (
	"math/rand"
	"testing"
	"time"
)

// Agrees with the time package on its range and round-trips everywhere.
func TestAgainstTimePackageAndRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 100000; i++ {
		days := r.Int63n(200_000_000) - 100_000_000
		y, m, d := FromDays(days)
		if back := DaysFromCivil(y, m, d); back != days {
			t.Fatalf("%d -> %d-%d-%d -> %d", days, y, m, d, back)
		}
		if days > -700_000 && days < 2_900_000 {
			tm := time.Unix(days*86400, 0).UTC()
			if int64(tm.Year()) != y || int64(tm.Month()) != m || int64(tm.Day()) != d {
				t.Fatalf("%d: got %d-%d-%d, time says %v", days, y, m, d, tm)
			}
		}
	}
}
