package bind

import (
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// CopyTarget resolves COPY's column list (all visible columns when
// empty) to indexes into the table's columns.
func CopyTarget(desc *catalog.Descriptor, cols []string) ([]int, error) {
	t := desc.Table
	if len(cols) == 0 {
		var out []int
		for i, c := range t.Columns {
			if !c.Hidden {
				out = append(out, i)
			}
		}
		return out, nil
	}
	seen := map[int]bool{}
	var out []int
	for _, name := range cols {
		c, i, ok := t.ColumnByName(name)
		if !ok || c.Hidden {
			return nil, pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", name, desc.Name)
		}
		if seen[i] {
			return nil, pgerror.New(pgerror.DuplicateColumn, "column %q specified more than once", name)
		}
		seen[i] = true
		out = append(out, i)
	}
	return out, nil
}

// CopyInsert builds the INSERT plan for a chunk of COPY FROM rows: vals
// holds, per row, one value for each target column (already of the
// column's type); the other columns get their defaults.
func (b *Binder) CopyInsert(desc *catalog.Descriptor, target []int, rows [][]types.Datum) (plan.Node, error) {
	v := &plan.Values{Cols: tableCols(desc)}
	for _, r := range rows {
		vals := make([]plan.Expr, len(target))
		for i, idx := range target {
			vals[i] = &plan.Const{Val: r[i], T: desc.Table.Columns[idx].Type}
		}
		row, err := b.fullRow(desc, target, vals)
		if err != nil {
			return nil, err
		}
		v.Rows = append(v.Rows, row)
	}
	ins := &plan.Insert{Table: desc, Input: v}
	var err error
	if ins.Checks, err = b.tableChecks(desc); err != nil {
		return nil, err
	}
	return ins, nil
}
