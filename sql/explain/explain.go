// Package explain renders a logical plan as EXPLAIN text, in the shape of
// PostgreSQL's (node names, "->" indentation, Filter/Sort Key/Join Filter
// details) without costs: Aegis has no cost model yet.
package explain

import (
	"fmt"
	"github.com/aegisdb/aegis/sql/typio"
	"strings"

	"github.com/aegisdb/aegis/sql/plan"
)

// Lines returns the EXPLAIN output, one line per row of QUERY PLAN.
func Lines(n plan.Node) []string {
	var p printer
	p.node(n, 0, true)
	return p.lines
}

type printer struct {
	lines []string
}

func (p *printer) add(depth int, first bool, s string) {
	if depth == 0 {
		p.lines = append(p.lines, s)
		return
	}
	pad := strings.Repeat(" ", 6*(depth-1)+2)
	p.lines = append(p.lines, pad+"->  "+s)
}

func (p *printer) detail(depth int, s string) {
	pad := strings.Repeat(" ", 6*depth+2)
	if depth == 0 {
		pad = "  "
	}
	p.lines = append(p.lines, pad+s)
}

func (p *printer) node(n plan.Node, depth int, first bool) {
	switch x := n.(type) {
	case *plan.Scan:
		if x.Ranged {
			name, colID := pkName(x), x.Table.Table.PrimaryKey[0]
			if ix, ok := x.Table.Table.IndexByID(x.Index); ok && x.Index > 1 {
				name, colID = ix.Name, ix.Columns[0]
			}
			c, _, _ := x.Table.Table.ColumnByID(colID)
			p.add(depth, first, fmt.Sprintf("Index Scan using %s on %s", name, x.Table.Name))
			var conds []string
			if x.Lo != nil {
				op := ">"
				if x.LoIncl {
					op = ">="
				}
				conds = append(conds, fmt.Sprintf("(%s %s %s)", c.Name, op, exprString(x.Lo, nil)))
			}
			if x.Hi != nil {
				op := "<"
				if x.HiIncl {
					op = "<="
				}
				conds = append(conds, fmt.Sprintf("(%s %s %s)", c.Name, op, exprString(x.Hi, nil)))
			}
			p.detail(depth, "Index Cond: "+strings.Join(conds, " AND "))
			return
		}
		if len(x.PrefixEq) > 0 {
			name, cols := pkName(x), x.Table.Table.PrimaryKey
			if ix, ok := x.Table.Table.IndexByID(x.Index); ok && x.Index > 1 {
				name, cols = ix.Name, ix.Columns
			}
			p.add(depth, first, fmt.Sprintf("Index Scan using %s on %s", name, x.Table.Name))
			if x.GINOp != "" {
				c, _, _ := x.Table.Table.ColumnByID(cols[0])
				p.detail(depth, fmt.Sprintf("Index Cond: (%s %s %s)", c.Name, x.GINOp, exprString(x.PrefixEq[0], nil)))
				return
			}
			var conds []string
			for i, e := range x.PrefixEq {
				name := ""
				if c, _, ok := x.Table.Table.ColumnByID(cols[i]); ok {
					name = c.Name
				} else if es := x.IndexExprs[x.Index]; i < len(es) && es[i] != nil {
					name = exprString(es[i], x.Cols)
				}
				conds = append(conds, fmt.Sprintf("(%s = %s)", name, exprString(e, nil)))
			}
			p.detail(depth, "Index Cond: "+strings.Join(conds, " AND "))
			return
		}
		p.add(depth, first, "Seq Scan on "+x.Table.Name)
	case *plan.Filter:
		// PostgreSQL shows a filter as a detail of the node below.
		before := len(p.lines)
		p.node(x.Input, depth, first)
		cols := x.Input.Columns()
		line := strings.Repeat(" ", detailPad(depth)) + "Filter: " + exprString(x.Pred, cols)
		// Insert right after the input's own line(s) of details.
		at := before + 1
		for at < len(p.lines) && !strings.Contains(p.lines[at], "->") {
			at++
		}
		p.lines = append(p.lines[:at], append([]string{line}, p.lines[at:]...)...)
	case *plan.Project:
		if _, ok := x.Input.(*plan.Values); ok {
			p.node(x.Input, depth, first)
			return
		}
		p.node(x.Input, depth, first)
	case *plan.Values:
		if len(x.Rows) == 1 {
			p.add(depth, first, "Result")
		} else {
			p.add(depth, first, "Values Scan on \"*VALUES*\"")
		}
	case *plan.Aggregate:
		name := "HashAggregate"
		if len(x.GroupBy) == 0 {
			name = "Aggregate"
		}
		p.add(depth, first, name)
		if len(x.GroupBy) > 0 {
			var keys []string
			for _, g := range x.GroupBy {
				keys = append(keys, exprString(g, x.Input.Columns()))
			}
			p.detail(depth, "Group Key: "+strings.Join(keys, ", "))
		}
		p.node(x.Input, depth+1, false)
	case *plan.Sort:
		p.add(depth, first, "Sort")
		cols := x.Input.Columns()
		var keys []string
		for _, k := range x.Keys {
			s := colName(cols, k.Col)
			if k.Desc {
				s += " DESC"
				if !k.NullsFirst {
					s += " NULLS LAST"
				}
			} else if k.NullsFirst {
				s += " NULLS FIRST"
			}
			keys = append(keys, s)
		}
		p.detail(depth, "Sort Key: "+strings.Join(keys, ", "))
		p.node(x.Input, depth+1, false)
	case *plan.Limit:
		p.add(depth, first, "Limit")
		p.node(x.Input, depth+1, false)
	case *plan.Apply:
		name := "Nested Loop"
		if x.Kind == plan.LeftJoin {
			name += " Left Join"
		}
		p.add(depth, first, name)
		if x.On != nil {
			p.detail(depth, "Join Filter: "+exprString(x.On, x.Cols))
		}
		p.node(x.Left, depth+1, false)
		p.node(x.Right, depth+1, false)
	case *plan.Join:
		kind := map[plan.JoinKind]string{plan.InnerJoin: "", plan.LeftJoin: " Left", plan.RightJoin: " Right",
			plan.FullJoin: " Full", plan.SemiJoin: " Semi", plan.AntiJoin: " Anti"}[x.Kind]
		if len(x.EqLeft) > 0 {
			p.add(depth, first, "Hash"+kind+" Join")
			cols := x.Cols
			var conds []string
			for i := range x.EqLeft {
				conds = append(conds, fmt.Sprintf("(%s = %s)", colName(cols, x.EqLeft[i]), colName(cols, len(x.Left.Columns())+x.EqRight[i])))
			}
			p.detail(depth, "Hash Cond: "+strings.Join(conds, " AND "))
		} else {
			name := "Nested Loop"
			if kind != "" {
				name += kind + " Join"
			}
			p.add(depth, first, name)
			if x.On != nil {
				p.detail(depth, "Join Filter: "+exprString(x.On, x.Cols))
			}
		}
		p.node(x.Left, depth+1, false)
		if len(x.EqLeft) > 0 {
			p.add(depth+1, false, "Hash")
			p.node(x.Right, depth+2, false)
		} else {
			p.node(x.Right, depth+1, false)
		}
	case *plan.SetOp:
		switch {
		case x.Op == plan.Union && x.All:
			p.add(depth, first, "Append")
		case x.Op == plan.Union:
			p.add(depth, first, "HashAggregate")
			p.add(depth+1, false, "Append")
			depth++
		default:
			name := map[plan.SetOpKind]string{plan.Intersect: "Intersect", plan.Except: "Except"}[x.Op]
			if x.All {
				name += " All"
			}
			p.add(depth, first, "HashSetOp "+name)
		}
		p.node(x.Left, depth+1, false)
		p.node(x.Right, depth+1, false)
	case *plan.RecursiveCTE:
		p.add(depth, first, "Recursive Union")
		p.node(x.Init, depth+1, false)
		p.node(x.Recur, depth+1, false)
	case *plan.WorkTableScan:
		p.add(depth, first, "WorkTable Scan")
	case *plan.Insert:
		p.add(depth, first, "Insert on "+x.Table.Name)
		p.node(x.Input, depth+1, false)
	case *plan.Update:
		p.add(depth, first, "Update on "+x.Table.Name)
		p.node(x.Input, depth+1, false)
	case *plan.Delete:
		p.add(depth, first, "Delete on "+x.Table.Name)
		p.node(x.Input, depth+1, false)
	case *plan.LockRows:
		p.add(depth, first, "LockRows")
		p.node(x.Input, depth+1, false)
	case *plan.EPQRow:
		p.add(depth, first, "Result")
	case *plan.FuncScan:
		name := "Function Scan"
		if len(x.Calls) > 0 {
			name += " on " + x.Calls[0].Fn.Name
		}
		p.add(depth, first, name)
	case *plan.DistinctOn:
		p.add(depth, first, "Unique")
		p.node(x.Input, depth+1, false)
	case *plan.ProjectSet:
		p.add(depth, first, "ProjectSet")
		p.node(x.Input, depth+1, false)
	default:
		p.add(depth, first, fmt.Sprintf("%T", n))
	}
}

func detailPad(depth int) int {
	if depth == 0 {
		return 2
	}
	return 6*depth + 2
}

func pkName(x *plan.Scan) string {
	if x.Table.Table.PrimaryKeyName != "" {
		return x.Table.Table.PrimaryKeyName
	}
	return x.Table.Name + "_rowid"
}

func colName(cols []plan.Column, i int) string {
	if i >= 0 && i < len(cols) && cols[i].Name != "" {
		return cols[i].Name
	}
	return fmt.Sprintf("$%d", i+1)
}

// exprString renders an expression with column names from cols.
func exprString(e plan.Expr, cols []plan.Column) string {
	switch x := e.(type) {
	case *plan.ColRef:
		return colName(cols, x.Idx)
	case *plan.Const:
		if x.Val == nil {
			return "NULL"
		}
		switch v := x.Val.(type) {
		case string:
			return "'" + strings.ReplaceAll(v, "'", "''") + "'::" + x.T.String()
		case bool:
			if v {
				return "true"
			}
			return "false"
		}
		text := string(typio.AppendText(nil, x.T, x.Val, nil))
		if x.T.IsNumericCategory() {
			return text
		}
		return "'" + strings.ReplaceAll(text, "'", "''") + "'::" + x.T.String()
	case *plan.Param:
		return fmt.Sprintf("$%d", x.Idx+1)
	case *plan.Cast:
		return "(" + exprString(x.Arg, cols) + ")::" + x.To.String()
	case *plan.Call:
		args := make([]string, len(x.Args))
		for i, a := range x.Args {
			args[i] = exprString(a, cols)
		}
		if x.Fn.Op != "" && len(args) == 2 {
			return "(" + args[0] + " " + x.Fn.Op + " " + args[1] + ")"
		}
		if x.Fn.Op != "" && len(args) == 1 {
			return "(" + x.Fn.Op + " " + args[0] + ")"
		}
		return x.Fn.Name + "(" + strings.Join(args, ", ") + ")"
	case *plan.BoolOp:
		args := make([]string, len(x.Args))
		for i, a := range x.Args {
			args[i] = exprString(a, cols)
		}
		switch x.Op {
		case plan.And:
			return "(" + strings.Join(args, " AND ") + ")"
		case plan.Or:
			return "(" + strings.Join(args, " OR ") + ")"
		}
		return "(NOT " + args[0] + ")"
	case *plan.IsNull:
		if x.Negate {
			return "(" + exprString(x.Arg, cols) + " IS NOT NULL)"
		}
		return "(" + exprString(x.Arg, cols) + " IS NULL)"
	case *plan.Subquery:
		return "(SubPlan)"
	}
	return e.String()
}
