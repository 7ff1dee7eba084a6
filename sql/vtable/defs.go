package vtable

import (
	"fmt"
	"strings"
	"sync"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/types"
)

// Definitions of catalog objects as PostgreSQL's pg_get_*def functions
// print them.

// qualifiedName is schema.name with each part quoted as needed.
func qualifiedName(sc, d *catalog.Descriptor) string {
	if sc == nil {
		return parser.QuoteIdent(d.Name)
	}
	return parser.QuoteIdent(sc.Name) + "." + parser.QuoteIdent(d.Name)
}

// columnList renders column IDs as "a, b".
func columnList(t *catalog.Table, ids []uint32) string {
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		if c, _, ok := t.ColumnByID(id); ok {
			names = append(names, parser.QuoteIdent(c.Name))
		}
	}
	return strings.Join(names, ", ")
}

// IndexDef is pg_get_indexdef(oid, col, pretty): the CREATE INDEX
// statement of an index, or with col > 0 the name of its col-th column.
// The table is schema-qualified unless pretty and visible on the search
// path.
func IndexDef(c *Context, oid int64, col int, pretty bool) (string, bool, error) {
	all, err := objects(c)
	if err != nil {
		return "", false, err
	}
	for _, d := range all {
		if d.Table == nil {
			continue
		}
		type ix struct {
			id      uint32
			name    string
			cols    []uint32
			unique  bool
			primary bool
			method  string
			opclass string
			exprs   []string
		}
		var idxs []ix
		if d.Table.PrimaryKeyName != "" {
			idxs = append(idxs, ix{1, d.Table.PrimaryKeyName, d.Table.PrimaryKey, true, true, "btree", "", nil})
		}
		for _, x := range d.Table.Indexes {
			method := "btree"
			if x.IsGIN() {
				method = "gin"
			}
			exprs := x.Exprs
			if texts := c.indexExprTexts(d)[x.ID]; len(texts) == len(x.Exprs) {
				exprs = make([]string, len(texts))
				for i, t := range texts {
					exprs[i] = t.Plain
					if pretty {
						exprs[i] = t.Pretty
					}
				}
			} else if len(exprs) > 0 {
				exprs = make([]string, len(x.Exprs))
				for i, e := range x.Exprs {
					if e != "" {
						exprs[i] = "(" + e + ")"
					}
				}
			}
			idxs = append(idxs, ix{x.ID, x.Name, x.Columns, x.Unique, false, method, x.OpClass, exprs})
		}
		for _, x := range idxs {
			if indexOID(d, x.id) != oid {
				continue
			}
			if col > 0 {
				if col > len(x.cols) {
					return "", true, nil
				}
				if col <= len(x.exprs) && x.exprs[col-1] != "" {
					return x.exprs[col-1], true, nil
				}
				return columnList(d.Table, x.cols[col-1:col]), true, nil
			}
			unique := ""
			if x.unique {
				unique = "UNIQUE "
			}
			sc := schemaOf(all, d.SchemaID)
			table := qualifiedName(sc, d)
			if pretty && sc != nil && c.OnSearchPath(sc.Name) {
				table = parser.QuoteIdent(d.Name)
			}
			cols := columnList(d.Table, x.cols)
			if len(x.exprs) > 0 {
				parts := make([]string, len(x.cols))
				for i, id := range x.cols {
					parts[i] = x.exprs[i]
					if parts[i] == "" {
						parts[i] = columnList(d.Table, []uint32{id})
					}
				}
				cols = strings.Join(parts, ", ")
			}
			if x.opclass != "" {
				cols += " " + x.opclass
			}
			return "CREATE " + unique + "INDEX " + parser.QuoteIdent(x.name) + " ON " + table +
				" USING " + x.method + " (" + cols + ")", true, nil
		}
	}
	return "", false, nil
}

// ConstraintDef is pg_get_constraintdef(oid, pretty).
func ConstraintDef(c *Context, oid int64, pretty bool) (string, bool, error) {
	cons, err := Constraints(c)
	if err != nil {
		return "", false, err
	}
	for _, k := range cons {
		if k.OID != oid {
			continue
		}
		switch k.Type {
		case "p":
			return "PRIMARY KEY (" + columnList(k.Table.Table, k.Cols) + ")", true, nil
		case "u":
			return "UNIQUE (" + columnList(k.Table.Table, k.Cols) + ")", true, nil
		case "f":
			return foreignKeyDef(c, k), true, nil
		case "c":
			// Expr is pretty-printed (pg_get_expr's form); the plain form
			// PostgreSQL prints without pretty adds parentheses that
			// clients do not depend on.
			if pretty {
				return "CHECK (" + k.Expr.Pretty + ")", true, nil
			}
			return "CHECK (" + k.Expr.Plain + ")", true, nil
		}
	}
	return "", false, nil
}

// ViewDef is pg_get_viewdef(oid, pretty): a view's query as PostgreSQL
// prints it when the session can (Context.ViewDefs), else the stored
// text.
func ViewDef(c *Context, oid int64, pretty bool) (string, bool, error) {
	all, err := objects(c)
	if err != nil {
		return "", false, err
	}
	for _, d := range all {
		if d.View != nil && OID(d) == oid {
			if c.ViewDefs != nil {
				if text, ok := c.ViewDefs(d, pretty); ok {
					return text, true, nil
				}
			}
			return " " + strings.TrimSpace(d.View.Query) + ";", true, nil
		}
	}
	return "", false, nil
}

// SerialSequence is pg_get_serial_sequence(table, column): the
// schema-qualified name of the sequence a serial or identity column
// takes its values from.
func SerialSequence(c *Context, table, column string) (string, bool, error) {
	parts, ok := parser.SplitQualifiedName(table)
	if !ok {
		return "", false, nil
	}
	col := column // the column name is not downcased (PostgreSQL treats it as an identifier as given)
	all, err := objects(c)
	if err != nil {
		return "", false, err
	}
	for _, d := range all {
		if d.Table == nil || d.Name != parts[len(parts)-1] {
			continue
		}
		sc := schemaOf(all, d.SchemaID)
		if len(parts) > 1 && (sc == nil || sc.Name != parts[len(parts)-2]) {
			continue
		}
		if len(parts) == 1 && sc != nil && !c.OnSearchPath(sc.Name) {
			continue
		}
		for _, seqID := range d.Table.OwnedSequences {
			for _, s := range all {
				if s.ID != seqID {
					continue
				}
				for _, cc := range d.Table.Columns {
					if cc.Name == col && strings.Contains(cc.Default, s.Name) {
						return qualifiedName(schemaOf(all, s.SchemaID), s), true, nil
					}
				}
			}
		}
	}
	return "", false, nil
}

var (
	procRowsOnce sync.Once
	procRows     map[int64]procInfo
)

type procInfo struct {
	ret    types.Oid
	retset bool
	args   []types.Oid
	names  []string
}

// builtinProc returns what pg_get_function_result/arguments need of a
// built-in function's pg_proc row.
func builtinProc(oid int64) (procInfo, bool) {
	procRowsOnce.Do(func() {
		procRows = map[int64]procInfo{}
		cols := types.CatalogTableColumns("pg_proc")
		idx := map[string]int{}
		for i, c := range cols {
			idx[c.Name] = i
		}
		for _, r := range types.CatalogTableRows("pg_proc") {
			var o, ret int64
			fmt.Sscan(r[idx["oid"]], &o)
			fmt.Sscan(r[idx["prorettype"]], &ret)
			p := procInfo{ret: types.Oid(ret), retset: r[idx["proretset"]] == "t"}
			for _, f := range strings.Fields(r[idx["proargtypes"]]) {
				var a int64
				fmt.Sscan(f, &a)
				p.args = append(p.args, types.Oid(a))
			}
			if n := r[idx["proargnames"]]; n != types.NullText {
				p.names = strings.Split(strings.Trim(n, "{}"), ",")
			}
			procRows[o] = p
		}
	})
	p, ok := procRows[oid]
	return p, ok
}

// typeName is format_type(oid, NULL).
func typeName(oid types.Oid) string {
	if t, ok := types.FromOid(oid); ok {
		return t.String()
	}
	if pt, ok := types.LookupPgType(oid); ok {
		return pt.Name
	}
	return "???"
}

// FunctionResult is pg_get_function_result(oid).
func FunctionResult(oid int64) (string, bool) {
	p, ok := builtinProc(oid)
	if !ok {
		return "", false
	}
	if p.retset {
		return "SETOF " + typeName(p.ret), true
	}
	return typeName(p.ret), true
}

// FunctionArguments is pg_get_function_arguments(oid) (and, for built-in
// functions without defaults, pg_get_function_identity_arguments).
func FunctionArguments(oid int64) (string, bool) {
	p, ok := builtinProc(oid)
	if !ok {
		return "", false
	}
	parts := make([]string, len(p.args))
	for i, a := range p.args {
		parts[i] = typeName(a)
		if i < len(p.names) && p.names[i] != "" {
			parts[i] = parser.QuoteIdent(strings.Trim(p.names[i], `"`)) + " " + parts[i]
		}
	}
	return strings.Join(parts, ", "), true
}

// Expr is pg_get_expr(expr, relid, pretty): the catalogs store the pretty
// form of defaults and CHECK expressions; the plain one is found through
// the relation.
func Expr(c *Context, text string, relid int64, pretty bool) string {
	if pretty {
		return text
	}
	all, err := objects(c)
	if err != nil {
		return text
	}
	for _, d := range all {
		if d.Table == nil || OID(d) != relid {
			continue
		}
		defs, checks := c.tableExprs(d)
		for _, e := range defs {
			if e.Pretty == text {
				return e.Plain
			}
		}
		for _, e := range checks {
			if e.Pretty == text {
				return e.Plain
			}
		}
	}
	return text
}

// foreignKeyDef is pg_get_constraintdef of a foreign key.
func foreignKeyDef(c *Context, k Constraint) string {
	ref := parser.QuoteIdent(k.Ref.Name)
	if k.RefSch != nil && !c.OnSearchPath(k.RefSch.Name) {
		ref = parser.QuoteIdent(k.RefSch.Name) + "." + ref
	}
	var b strings.Builder
	b.WriteString("FOREIGN KEY (" + columnList(k.Table.Table, k.FK.Columns) + ") REFERENCES " + ref + "(" + columnList(k.Ref.Table, k.FK.RefColumns) + ")")
	if k.FK.Match == "f" {
		b.WriteString(" MATCH FULL")
	}
	actions := map[string]string{"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
	if a, ok := actions[k.FK.OnUpdate]; ok {
		b.WriteString(" ON UPDATE " + a)
	}
	if a, ok := actions[k.FK.OnDelete]; ok {
		b.WriteString(" ON DELETE " + a)
	}
	if k.FK.Deferrable {
		b.WriteString(" DEFERRABLE")
	}
	if k.FK.InitiallyDeferred {
		b.WriteString(" INITIALLY DEFERRED")
	}
	return b.String()
}

// indexExprTexts returns d's printed index expressions (see
// Context.IndexExprs).
func (c *Context) indexExprTexts(d *catalog.Descriptor) map[uint32][]ExprText {
	if c.IndexExprs == nil {
		return nil
	}
	return c.IndexExprs(d)
}
