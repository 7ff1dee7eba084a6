package plan

import "fmt"

// MapInputs returns a shallow copy of n whose input nodes are replaced by
// fn's results (n itself for leaves). Every node kind with inputs must be
// listed here, so that passes walking the tree see new kinds at once.
func MapInputs(n Node, fn func(Node) (Node, error)) (Node, error) {
	var err error
	m := func(x Node) Node {
		if err != nil || x == nil {
			return x
		}
		var y Node
		y, err = fn(x)
		return y
	}
	var out Node
	switch x := n.(type) {
	case *Values, *Scan, *VirtualScan, *WorkTableScan, *EPQRow, *FuncScan:
		return n, nil
	case *Filter:
		c := *x
		c.Input = m(x.Input)
		out = &c
	case *Project:
		c := *x
		c.Input = m(x.Input)
		out = &c
	case *Aggregate:
		c := *x
		c.Input = m(x.Input)
		out = &c
	case *Sort:
		c := *x
		c.Input = m(x.Input)
		out = &c
	case *Limit:
		c := *x
		c.Input = m(x.Input)
		out = &c
	case *Window:
		c := *x
		c.Input = m(x.Input)
		out = &c
	case *Join:
		c := *x
		c.Left, c.Right = m(x.Left), m(x.Right)
		out = &c
	case *SetOp:
		c := *x
		c.Left, c.Right = m(x.Left), m(x.Right)
		out = &c
	case *Apply:
		c := *x
		c.Left, c.Right = m(x.Left), m(x.Right)
		out = &c
	case *WithDML:
		c := *x
		c.CTEs = make([]*DMLCTE, len(x.CTEs))
		for i, d := range x.CTEs {
			c.CTEs[i] = &DMLCTE{Plan: m(d.Plan), Table: d.Table}
		}
		c.Main = m(x.Main)
		out = &c
	case *RecursiveCTE:
		c := *x
		c.Init, c.Recur = m(x.Init), m(x.Recur)
		out = &c
	case *Insert:
		c := *x
		c.Input = m(x.Input)
		out = &c
	case *Update:
		c := *x
		c.Input = m(x.Input)
		out = &c
	case *Delete:
		c := *x
		c.Input = m(x.Input)
		out = &c
	case *LockRows:
		c := *x
		c.Input = m(x.Input)
		out = &c
	case *ProjectSet:
		c := *x
		c.Input = m(x.Input)
		out = &c
	case *DistinctOn:
		c := *x
		c.Input = m(x.Input)
		out = &c
	default:
		return nil, fmt.Errorf("internal error: plan.MapInputs: unknown node %T", n)
	}
	return out, err
}
