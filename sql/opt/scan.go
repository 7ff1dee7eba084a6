package opt

import (
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/plan"
)

// ConstrainScans is the rule that turns equality conditions on a
// table's leading primary-key columns into a key-prefix scan (a point
// lookup when every key column is fixed). The filter stays in place.
const ConstrainScans = "ConstrainScans"

// constrain applies ConstrainScans throughout a plan.
func constrain(n plan.Node) plan.Node {
	if f, ok := n.(*plan.Filter); ok {
		in := constrain(f.Input)
		if sc, ok := in.(*plan.Scan); ok && sc.PrefixEq == nil {
			if eq := keyPrefix(sc, f.Pred); eq != nil {
				c := *sc
				c.PrefixEq = eq
				in = &c
			}
		}
		return &plan.Filter{Input: in, Pred: f.Pred}
	}
	out, err := plan.MapInputs(n, func(c plan.Node) (plan.Node, error) { return constrain(c), nil })
	if err != nil {
		return n // an unknown node kind: leave it as it is
	}
	return out
}

// keyPrefix returns, for each leading primary-key column in turn, the
// expression pred fixes it to, stopping at the first column it does not.
func keyPrefix(sc *plan.Scan, pred plan.Expr) []plan.Expr {
	t := sc.Table.Table
	var out []plan.Expr
	for _, id := range t.PrimaryKey {
		_, idx, _ := t.ColumnByID(id)
		var found plan.Expr
		for _, c := range plan.Conjuncts(pred) {
			call, ok := c.(*plan.Call)
			if !ok || call.Fn.Op != "=" || len(call.Args) != 2 {
				continue
			}
			for k := 0; k < 2; k++ {
				col, ok := call.Args[k].(*plan.ColRef)
				other := call.Args[1-k]
				if ok && col.Idx == idx && col.T.Oid == other.Type().Oid && isRowIndependent(other) {
					found = other
				}
			}
			if found != nil {
				break
			}
		}
		if found == nil {
			break
		}
		out = append(out, found)
	}
	return out
}

// isRowIndependent reports whether e can be computed before reading any
// row: constants and parameters combined by non-volatile functions.
func isRowIndependent(e plan.Expr) bool {
	switch x := e.(type) {
	case *plan.Const, *plan.Param:
		return true
	case *plan.Cast:
		return isRowIndependent(x.Arg)
	case *plan.Call:
		if x.Fn.Volatility == funcs.Volatile {
			return false
		}
		for _, a := range x.Args {
			if !isRowIndependent(a) {
				return false
			}
		}
		return true
	}
	return false
}
