package plan

// EquiKeys extracts the col = col conjuncts of on between the two sides
// of a join whose left input has nLeft columns.
func EquiKeys(on Expr, nLeft int) (left, right []int) {
	for _, c := range Conjuncts(on) {
		call, ok := c.(*Call)
		if !ok || call.Fn.Op != "=" || len(call.Args) != 2 {
			continue
		}
		a, aok := call.Args[0].(*ColRef)
		bb, bok := call.Args[1].(*ColRef)
		if !aok || !bok || a.T.Oid != bb.T.Oid {
			continue
		}
		switch {
		case a.Idx < nLeft && bb.Idx >= nLeft:
			left, right = append(left, a.Idx), append(right, bb.Idx-nLeft)
		case bb.Idx < nLeft && a.Idx >= nLeft:
			left, right = append(left, bb.Idx), append(right, a.Idx-nLeft)
		}
	}
	return left, right
}

// Conjuncts splits an AND tree into its terms (nil = none).
func Conjuncts(e Expr) []Expr {
	if e == nil {
		return nil
	}
	if bo, ok := e.(*BoolOp); ok && bo.Op == And {
		var out []Expr
		for _, a := range bo.Args {
			out = append(out, Conjuncts(a)...)
		}
		return out
	}
	return []Expr{e}
}

// AndOf combines terms with AND (nil when there are none).
func AndOf(terms []Expr) Expr {
	switch len(terms) {
	case 0:
		return nil
	case 1:
		return terms[0]
	}
	return &BoolOp{Op: And, Args: terms}
}

// Apply joins each row of Left with the rows Right produces for that row
// (a LATERAL subquery): Right reads the Left row through OuterRefs of
// depth 1, so it runs once per Left row. Kind is InnerJoin or LeftJoin
// (a Left row without Right rows is kept with NULLs); On, over the
// combined row, filters the pairs.
type Apply struct {
	Kind  JoinKind
	Left  Node
	Right Node
	On    Expr
	Cols  []Column
}

// Columns implements Node.
func (n *Apply) Columns() []Column { return n.Cols }
