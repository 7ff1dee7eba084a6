package opt

import (
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// ConstrainScans is the rule that turns equality conditions on a
// table's leading primary-key columns into a key-prefix scan (a point
// lookup when every key column is fixed). The filter stays in place.
const ConstrainScans = "ConstrainScans"

// constrain applies ConstrainScans throughout a plan.
func constrain(n plan.Node) plan.Node {
	if f, ok := n.(*plan.Filter); ok {
		in := constrain(f.Input)
		if sc, ok := in.(*plan.Scan); ok && sc.PrefixEq == nil && !sc.Ranged {
			eq := keyPrefix(sc, sc.Table.Table.PrimaryKey, nil, f.Pred)
			index := uint32(0)
			if len(eq) < len(sc.Table.Table.PrimaryKey) {
				// A secondary index whose every column is fixed beats
				// a partial primary-key prefix (unique ones first).
				best := -1
				for i, ix := range sc.Table.Table.Indexes {
					if ix.IsGIN() {
						continue
					}
					ieq := keyPrefix(sc, ix.Columns, sc.IndexExprs[ix.ID], f.Pred)
					if len(ieq) < len(ix.Columns) || !indexScannable(sc, ix.Columns, sc.IndexExprs[ix.ID]) {
						continue
					}
					if b := sc.Table.Table.Indexes; best < 0 || (ix.Unique && !b[best].Unique) ||
						(ix.Unique == b[best].Unique && len(ix.Columns) > len(b[best].Columns)) {
						best, eq, index = i, ieq, ix.ID
					}
				}
				if best < 0 {
					if ix, op, arg := ginCondition(sc, f.Pred); op != "" {
						c := *sc
						c.PrefixEq, c.Index, c.GINOp = []plan.Expr{arg}, ix, op
						return &plan.Filter{Input: &c, Pred: f.Pred}
					}
					if eq == nil {
						if c, ok := rangeScan(sc, f.Pred); ok {
							return &plan.Filter{Input: c, Pred: f.Pred}
						}
					}
				}
			}
			if eq != nil {
				c := *sc
				c.PrefixEq, c.Index = eq, index
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

// indexScannable reports whether equality on the index columns can be
// looked up by key: the key encoding equates exactly the values that
// compare equal (not so for bpchar, which ignores trailing blanks).
func indexScannable(sc *plan.Scan, cols []uint32, exprs []plan.Expr) bool {
	for i, id := range cols {
		c, _, ok := sc.Table.Table.ColumnByID(id)
		t := c.Type
		if !ok && i < len(exprs) && exprs[i] != nil {
			t = exprs[i].Type()
		}
		if t.Oid == types.OidBpchar || t.Family() == types.FloatFamily {
			return false
		}
	}
	return true
}

// keyPrefix returns, for each leading key column in turn (cols: the
// primary key's or an index's), the expression pred fixes it to,
// stopping at the first column it does not.
func keyPrefix(sc *plan.Scan, cols []uint32, exprs []plan.Expr, pred plan.Expr) []plan.Expr {
	t := sc.Table.Table
	var out []plan.Expr
	for i, id := range cols {
		_, idx, ok := t.ColumnByID(id)
		var key plan.Expr // an index expression at this position
		if !ok {
			if i >= len(exprs) || exprs[i] == nil {
				break
			}
			key = exprs[i]
		}
		var found plan.Expr
		for _, c := range plan.Conjuncts(pred) {
			call, ok := c.(*plan.Call)
			if !ok || call.Fn.Op != "=" || len(call.Args) != 2 {
				continue
			}
			for k := 0; k < 2; k++ {
				side, other := call.Args[k], call.Args[1-k]
				if side.Type().Oid != other.Type().Oid || !isRowIndependent(other) {
					continue
				}
				if col, ok := side.(*plan.ColRef); ok && key == nil && col.Idx == idx {
					found = other
				}
				if key != nil && side.String() == key.String() {
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

// ginCondition finds a conjunct of pred that a GIN index of the scanned
// table can answer: jsonb @>, ?, ?|, ?& (only @> for jsonb_path_ops) and
// array @>, && with a row-independent right operand.
func ginCondition(sc *plan.Scan, pred plan.Expr) (index uint32, op string, arg plan.Expr) {
	t := sc.Table.Table
	for _, c := range plan.Conjuncts(pred) {
		call, ok := c.(*plan.Call)
		if !ok || len(call.Args) != 2 {
			continue
		}
		col, ok := call.Args[0].(*plan.ColRef)
		if !ok || !isRowIndependent(call.Args[1]) || col.Idx >= len(t.Columns) {
			continue
		}
		colType, argType := col.T, call.Args[1].Type()
		for _, ix := range t.Indexes {
			if !ix.IsGIN() || ix.Columns[0] != t.Columns[col.Idx].ID {
				continue
			}
			usable := false
			switch call.Fn.Op {
			case "@>":
				usable = argType.Oid == colType.Oid
			case "&&":
				usable = colType.IsArray() && argType.Oid == colType.Oid
			case "?":
				usable = colType.Oid == types.OidJSONB && ix.OpClass == "" && argType.Oid == types.OidText
			case "?|", "?&":
				usable = colType.Oid == types.OidJSONB && ix.OpClass == "" && argType.IsArray() && argType.Elem().Oid == types.OidText
			}
			if usable {
				return ix.ID, call.Fn.Op, call.Args[1]
			}
		}
	}
	return 0, "", nil
}

// rangeTypes are the key types whose encoding is one typed value, so a
// range of them is a key range and an index entry's primary key follows
// the value.
func rangeType(t types.T) bool {
	switch t.Family() {
	case types.IntFamily, types.NumericFamily, types.DateFamily, types.TimestampFamily, types.TimestampTZFamily, types.UUIDFamily, types.BytesFamily:
		return true
	case types.StringFamily:
		return t.Oid != types.OidBpchar
	}
	return false
}

// rangeScan turns comparisons (<, <=, >, >=) of the first primary-key
// column, or else of the first column of a secondary index, with
// row-independent values into a key-range scan.
func rangeScan(sc *plan.Scan, pred plan.Expr) (*plan.Scan, bool) {
	t := sc.Table.Table
	try := func(colID uint32) (lo, hi plan.Expr, loIncl, hiIncl, ok bool) {
		col, idx, found := t.ColumnByID(colID)
		if !found || !rangeType(col.Type) {
			return
		}
		for _, c := range plan.Conjuncts(pred) {
			call, isCall := c.(*plan.Call)
			if !isCall || len(call.Args) != 2 {
				continue
			}
			op := call.Fn.Op
			for k := 0; k < 2; k++ {
				ref, isRef := call.Args[k].(*plan.ColRef)
				other := call.Args[1-k]
				if !isRef || ref.Idx != idx || other.Type().Oid != col.Type.Oid || !isRowIndependent(other) {
					continue
				}
				o := op
				if k == 1 { // v < col is col > v
					o = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
				}
				switch o {
				case ">", ">=":
					if lo == nil {
						lo, loIncl, ok = other, o == ">=", true
					}
				case "<", "<=":
					if hi == nil {
						hi, hiIncl, ok = other, o == "<=", true
					}
				}
			}
		}
		return
	}
	if len(t.PrimaryKey) > 0 {
		if lo, hi, li, hi2, ok := try(t.PrimaryKey[0]); ok {
			c := *sc
			c.Ranged, c.Lo, c.Hi, c.LoIncl, c.HiIncl = true, lo, hi, li, hi2
			return &c, true
		}
	}
	for _, ix := range t.Indexes {
		if ix.IsGIN() || ix.HasExprs() {
			continue
		}
		skippable := true // the entry's primary key follows its key values
		for _, id := range ix.Columns {
			col, _, _ := t.ColumnByID(id)
			skippable = skippable && rangeType(col.Type)
		}
		if !skippable {
			continue
		}
		if lo, hi, li, hi2, ok := try(ix.Columns[0]); ok {
			c := *sc
			c.Ranged, c.Index, c.Lo, c.Hi, c.LoIncl, c.HiIncl = true, ix.ID, lo, hi, li, hi2
			return &c, true
		}
	}
	return nil, false
}
