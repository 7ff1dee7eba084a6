package op

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

type arrowBuilder = array.Builder

// selection returns the positions where a boolean mask is true.
func selection(mask arrow.Array) []int {
	m := mask.(*array.Boolean)
	n := m.Len()
	out := make([]int, 0, n)
	for i := 0; i < n; i++ {
		if !m.IsNull(i) && m.Value(i) {
			out = append(out, i)
		}
	}
	return out
}
