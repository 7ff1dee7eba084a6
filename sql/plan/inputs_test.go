package plan

import "testing"

// MapInputs must know every node kind with inputs and replace each input.
func TestMapInputsReplacesEveryInput(t *testing.T) {
	leaf := &Values{}
	repl := &Values{Cols: []Column{{Name: "replaced"}}}
	nodes := []Node{
		&Filter{Input: leaf}, &Project{Input: leaf}, &Aggregate{Input: leaf}, &Sort{Input: leaf},
		&Limit{Input: leaf}, &Window{Input: leaf}, &Join{Left: leaf, Right: leaf}, &SetOp{Left: leaf, Right: leaf},
		&RecursiveCTE{Init: leaf, Recur: leaf}, &Insert{Input: leaf}, &Update{Input: leaf}, &Delete{Input: leaf},
		&LockRows{Input: leaf},
	}
	for _, n := range nodes {
		seen := 0
		out, err := MapInputs(n, func(c Node) (Node, error) {
			if c != leaf {
				t.Fatalf("%T: input is not the original", n)
			}
			seen++
			return repl, nil
		})
		if err != nil || seen == 0 {
			t.Fatalf("%T: err=%v inputs=%d", n, err, seen)
		}
		again := 0
		_, _ = MapInputs(out, func(c Node) (Node, error) {
			if c != repl {
				t.Fatalf("%T: input not replaced", n)
			}
			again++
			return c, nil
		})
		if again != seen {
			t.Fatalf("%T: %d inputs after, %d before", n, again, seen)
		}
	}
	for _, leafNode := range []Node{&Values{}, &Scan{}, &VirtualScan{}, &WorkTableScan{}} {
		if out, err := MapInputs(leafNode, nil); err != nil || out != leafNode {
			t.Fatalf("%T: leaf changed: %v", leafNode, err)
		}
	}
}
