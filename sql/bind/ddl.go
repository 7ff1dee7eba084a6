package bind

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/parser"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// RowIDColumn is the name of the hidden key column of tables declared
// without a primary key.
const RowIDColumn = "rowid"

// BindCreateTable validates CREATE TABLE and builds the descriptor to
// store (its ID is assigned by the catalog). It returns nil when the table
// exists and IF NOT EXISTS was given.
func (b *Binder) BindCreateTable(cs *pg.CreateStmt, schemaID uint32) (*catalog.Descriptor, []SerialColumn, error) {
	var serials []SerialColumn
	desc, err := b.bindCreateTable(cs, schemaID, &serials)
	return desc, serials, err
}

// SerialColumn is a serial or identity column: the caller creates its
// sequence and sets the column default to nextval of it.
type SerialColumn struct {
	Col     int        // index into Table.Columns
	Options []*pg.Node // identity sequence options (DefElems), if any
}

var serialTypes = map[string]types.T{
	"serial": types.Int4, "serial4": types.Int4, "bigserial": types.Int8, "serial8": types.Int8,
	"smallserial": types.Int2, "serial2": types.Int2,
}

func (b *Binder) bindCreateTable(cs *pg.CreateStmt, schemaID uint32, serials *[]SerialColumn) (*catalog.Descriptor, error) {
	if len(cs.InhRelations) > 0 || cs.Partspec != nil || cs.OfTypename != nil {
		return nil, pgerror.Unimplemented("table inheritance, partitioning and typed tables are not supported yet")
	}
	if cs.Relation.Relpersistence == "t" {
		return nil, b.errAt(pgerror.Unimplemented("temporary tables are not supported yet"), cs.Relation.Location)
	}
	desc := &catalog.Descriptor{Kind: catalog.KindTable, Name: cs.Relation.Relname, ParentID: b.dbID, SchemaID: schemaID,
		Table: &catalog.Table{}}
	t := desc.Table
	var pk []string
	pkName := ""
	type uniq struct {
		name string
		cols []string
		loc  int32
	}
	type check struct {
		name string
		expr *pg.Node
		col  string
	}
	var uniques []uniq
	var checks []check
	var gens []genCol
	var fks []fkDef
	addCol := func(cd *pg.ColumnDef) error {
		if _, _, dup := t.ColumnByName(cd.Colname); dup {
			return b.errAt(pgerror.New(pgerror.DuplicateColumn, "column %q specified more than once", cd.Colname), cd.Location)
		}
		names := stringList(cd.TypeName.Names)
		isSerial := false
		var typ types.T
		var err error
		if st, ok := serialTypes[names[len(names)-1]]; ok && len(names) == 1 && len(cd.TypeName.ArrayBounds) == 0 {
			typ, isSerial = st, true
		} else {
			typ, err = b.ResolveType(cd.TypeName)
		}
		if err != nil {
			if pe, ok := err.(*pgerror.Error); ok {
				return b.errAt(pe, cd.TypeName.Location)
			}
			return err
		}
		t.NextColumnID++
		col := catalog.Column{ID: t.NextColumnID, Name: cd.Colname, Type: typ, NotNull: cd.IsNotNull || isSerial}
		var identityOpts []*pg.Node
		identity := isSerial || cd.Identity != ""
		if cd.RawDefault != nil {
			if col.Default, err = b.defaultText(cd.RawDefault, col); err != nil {
				return err
			}
		}
		for _, cn := range cd.Constraints {
			c := cn.GetConstraint()
			switch c.Contype {
			case pg.ConstrType_CONSTR_NOTNULL:
				col.NotNull = true
			case pg.ConstrType_CONSTR_NULL:
				col.NotNull = false
			case pg.ConstrType_CONSTR_DEFAULT:
				if col.Default, err = b.defaultText(c.RawExpr, col); err != nil {
					return err
				}
			case pg.ConstrType_CONSTR_PRIMARY:
				if pk != nil {
					return b.errAt(pgerror.New(pgerror.InvalidTableDefinition, "multiple primary keys for table %q are not allowed", desc.Name), c.Location)
				}
				pk = []string{cd.Colname}
				pkName = c.Conname
			case pg.ConstrType_CONSTR_UNIQUE:
				uniques = append(uniques, uniq{name: c.Conname, cols: []string{cd.Colname}, loc: c.Location})
			case pg.ConstrType_CONSTR_CHECK:
				checks = append(checks, check{name: c.Conname, expr: c.RawExpr, col: cd.Colname})
			case pg.ConstrType_CONSTR_FOREIGN:
				fks = append(fks, fkDef{c: c, cols: []string{cd.Colname}})
			case pg.ConstrType_CONSTR_ATTR_DEFERRABLE, pg.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE,
				pg.ConstrType_CONSTR_ATTR_DEFERRED, pg.ConstrType_CONSTR_ATTR_IMMEDIATE:
				// Attributes of the constraint before them (only a
				// REFERENCES clause can be deferrable here).
				if len(fks) == 0 || fks[len(fks)-1].cols[0] != cd.Colname {
					return b.errAt(pgerror.New(pgerror.SyntaxError, "misplaced DEFERRABLE clause"), c.Location)
				}
				last := fks[len(fks)-1].c
				switch c.Contype {
				case pg.ConstrType_CONSTR_ATTR_DEFERRABLE:
					last.Deferrable = true
				case pg.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE:
					last.Deferrable = false
				case pg.ConstrType_CONSTR_ATTR_DEFERRED:
					last.Initdeferred, last.Deferrable = true, true
				case pg.ConstrType_CONSTR_ATTR_IMMEDIATE:
					last.Initdeferred = false
				}
			case pg.ConstrType_CONSTR_GENERATED:
				if c.GeneratedWhen != "a" {
					return b.errAt(pgerror.New(pgerror.SyntaxError, "for a generated column, GENERATED ALWAYS must be specified"), c.Location)
				}
				gens = append(gens, genCol{idx: len(t.Columns), expr: c.RawExpr, loc: c.Location})
			case pg.ConstrType_CONSTR_IDENTITY:
				if typ.Family() != types.IntFamily {
					return b.errAt(pgerror.New(pgerror.InvalidParameterValue, "identity column type must be smallint, integer, or bigint"), c.Location)
				}
				identity, identityOpts = true, c.Options
				col.NotNull = true
				col.Identity = "d"
				if c.GeneratedWhen == "a" {
					col.Identity = "a"
				}
			default:
				return b.errAt(pgerror.Unimplemented("%s constraints are not supported yet", constraintName(c.Contype)), c.Location)
			}
		}
		if identity {
			if col.Default != "" {
				return b.errAt(pgerror.New(pgerror.SyntaxError, "multiple default values specified for column %q of table %q", cd.Colname, desc.Name), cd.Location)
			}
			*serials = append(*serials, SerialColumn{Col: len(t.Columns), Options: identityOpts})
		}
		t.Columns = append(t.Columns, col)
		return nil
	}
	for _, el := range cs.TableElts {
		switch x := el.Node.(type) {
		case *pg.Node_ColumnDef:
			if err := addCol(x.ColumnDef); err != nil {
				return nil, err
			}
		case *pg.Node_Constraint:
			c := x.Constraint
			switch c.Contype {
			case pg.ConstrType_CONSTR_UNIQUE:
				uniques = append(uniques, uniq{name: c.Conname, cols: stringList(c.Keys), loc: c.Location})
				continue
			case pg.ConstrType_CONSTR_CHECK:
				checks = append(checks, check{name: c.Conname, expr: c.RawExpr})
				continue
			case pg.ConstrType_CONSTR_FOREIGN:
				fks = append(fks, fkDef{c: c, cols: stringList(c.FkAttrs)})
				continue
			case pg.ConstrType_CONSTR_PRIMARY:
			default:
				return nil, b.errAt(pgerror.Unimplemented("%s constraints are not supported yet", constraintName(c.Contype)), c.Location)
			}
			if pk != nil {
				return nil, b.errAt(pgerror.New(pgerror.InvalidTableDefinition, "multiple primary keys for table %q are not allowed", desc.Name), c.Location)
			}
			pk = stringList(c.Keys)
			pkName = c.Conname
		default:
			return nil, pgerror.Unimplemented("CREATE TABLE element not supported: %T", el.Node)
		}
	}
	if len(t.Columns) > 1600 {
		return nil, pgerror.New(pgerror.TooManyColumns, "tables can have at most 1600 columns")
	}
	if pk == nil {
		t.NextColumnID++
		t.Columns = append(t.Columns, catalog.Column{ID: t.NextColumnID, Name: RowIDColumn, Type: types.Int8, NotNull: true,
			Default: "unique_rowid()", Hidden: true})
		t.PrimaryKey = []uint32{t.NextColumnID}
	} else {
		for _, name := range pk {
			_, idx, ok := t.ColumnByName(name)
			if !ok {
				return nil, pgerror.New(pgerror.UndefinedColumn, "column %q named in key does not exist", name)
			}
			t.Columns[idx].NotNull = true
			t.PrimaryKey = append(t.PrimaryKey, t.Columns[idx].ID)
		}
		if pkName == "" {
			pkName = desc.Name + "_pkey"
		}
		t.PrimaryKeyName = pkName
	}
	for _, u := range uniques {
		ix := catalog.Index{Name: u.name, Unique: true, Constraint: true}
		for _, name := range u.cols {
			c, _, ok := t.ColumnByName(name)
			if !ok || c.Hidden {
				return nil, b.errAt(pgerror.New(pgerror.UndefinedColumn, "column %q named in key does not exist", name), u.loc)
			}
			ix.Columns = append(ix.Columns, c.ID)
		}
		if ix.Name == "" {
			ix.Name = ChooseName(desc.Name, strings.Join(u.cols, "_"), "key")
		}
		if err := AddIndex(desc, ix); err != nil {
			return nil, err
		}
	}
	for _, f := range fks {
		fk, err := b.ForeignKey(desc, f.c, f.cols)
		if err != nil {
			return nil, err
		}
		t.ForeignKeys = append(t.ForeignKeys, fk)
	}
	_, tblScope := scanOf(desc, desc.Name)
	for _, c := range checks {
		e, err := b.bindExpr(tblScope, c.expr)
		if err != nil {
			return nil, err
		}
		if _, err := b.coerceBool(e, "CHECK", -1); err != nil {
			return nil, err
		}
		text, err := deparseExpr(c.expr)
		if err != nil {
			return nil, err
		}
		name := c.name
		if name == "" {
			col := c.col
			if col == "" {
				col = firstColumnRef(c.expr)
			}
			name = ChooseName(desc.Name, col, "check")
			for i := 1; checkNameTaken(t, name); i++ {
				name = ChooseName(desc.Name, col, "check"+itoa(i))
			}
		}
		t.Checks = append(t.Checks, catalog.Check{Name: name, Expr: text})
	}
	for _, g := range gens {
		if err := b.bindGenerated(desc, tblScope, g); err != nil {
			return nil, err
		}
	}
	return desc, nil
}

// genCol is a GENERATED ALWAYS AS (expr) STORED column being defined.
type genCol struct {
	idx  int
	expr *pg.Node
	loc  int32
}

// bindGenerated checks a generation expression (immutable, reading only
// ordinary columns of the table, assignable to the column) and stores
// its text.
func (b *Binder) bindGenerated(desc *catalog.Descriptor, s *scope, g genCol) error {
	t := desc.Table
	col := &t.Columns[g.idx]
	if col.Default != "" {
		return b.errAt(pgerror.New(pgerror.SyntaxError, "both default and generation expression specified for column %q of table %q", col.Name, desc.Name), g.loc)
	}
	if col.Identity != "" {
		return b.errAt(pgerror.New(pgerror.SyntaxError, "both identity and generation expression specified for column %q of table %q", col.Name, desc.Name), g.loc)
	}
	s.clause = "column generation expression"
	e, err := b.bindExpr(s, g.expr)
	s.clause = ""
	if err != nil {
		return err
	}
	var bad error
	_, _ = plan.Rewrite(e, func(x plan.Expr) (plan.Expr, error) {
		switch y := x.(type) {
		case *plan.ColRef:
			other := t.Columns[y.Idx]
			if (other.Generated != "" || y.Idx == g.idx) && bad == nil {
				bad = b.errAt(pgerror.New(pgerror.InvalidColumnReference, "cannot use generated column %q in column generation expression", other.Name).
					WithDetail("A generated column cannot reference another generated column."), exprLocation(g.expr))
			}
		case *plan.Call:
			if y.Fn.Volatility != funcs.Immutable && bad == nil {
				bad = pgerror.New(pgerror.InvalidObjectDefinition, "generation expression is not immutable")
			}
		}
		return x, nil
	})
	if bad != nil {
		return bad
	}
	if _, err := b.coerce(e, col.Type, castAssignment, exprLocation(g.expr)); err != nil {
		return err
	}
	if col.Generated, err = deparseExpr(g.expr); err != nil {
		return err
	}
	return nil
}

// GeneratedExprs binds the generation expressions of desc's generated
// columns over its columns, converted to the columns' types (nil where a
// column is not generated).
func (b *Binder) GeneratedExprs(desc *catalog.Descriptor) ([]plan.Expr, error) {
	var out []plan.Expr
	for i, c := range desc.Table.Columns {
		if c.Generated == "" {
			continue
		}
		if out == nil {
			out = make([]plan.Expr, len(desc.Table.Columns))
		}
		stmts, err := parser.Parse("SELECT " + c.Generated)
		if err != nil || len(stmts) != 1 {
			return nil, pgerror.AssertionFailed("bad stored generation expression of %s: %q", c.Name, c.Generated)
		}
		_, s := scanOf(desc, desc.Name)
		e, err := b.bindExpr(s, stmts[0].AST.GetSelectStmt().TargetList[0].GetResTarget().Val)
		if err != nil {
			return nil, err
		}
		if out[i], err = b.coerce(e, c.Type, castAssignment, -1); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func checkNameTaken(t *catalog.Table, name string) bool {
	for _, c := range t.Checks {
		if c.Name == name {
			return true
		}
	}
	return false
}

// firstColumnRef returns the column an expression names when it names
// exactly one (PostgreSQL then uses it in the constraint name), else "".
func firstColumnRef(n *pg.Node) string {
	seen := map[string]bool{}
	found := ""
	var walk func(v any)
	walk = func(v any) {
		if v == nil {
			return
		}
		switch x := v.(type) {
		case *pg.Node:
			if x == nil {
				return
			}
			if cr := x.GetColumnRef(); cr != nil {
				if len(cr.Fields) > 0 {
					found = cr.Fields[len(cr.Fields)-1].GetString_().GetSval()
					seen[found] = true
				}
				return
			}
			if a := x.GetAExpr(); a != nil {
				walk(a.Lexpr)
				walk(a.Rexpr)
				return
			}
			if be := x.GetBoolExpr(); be != nil {
				for _, arg := range be.Args {
					walk(arg)
				}
				return
			}
			if fc := x.GetFuncCall(); fc != nil {
				for _, arg := range fc.Args {
					walk(arg)
				}
				return
			}
			if tc := x.GetTypeCast(); tc != nil {
				walk(tc.Arg)
				return
			}
			if nt := x.GetNullTest(); nt != nil {
				walk(nt.Arg)
			}
		}
	}
	walk(n)
	if len(seen) != 1 {
		return ""
	}
	return found
}

// ChooseName builds a constraint or index name as PostgreSQL does:
// table_column_suffix, truncated to 63 bytes.
func ChooseName(table, col, suffix string) string {
	name := table
	if col != "" {
		name += "_" + col
	}
	name += "_" + suffix
	if len(name) > 63 {
		name = name[:63]
	}
	return name
}

// AddIndex appends ix to desc's indexes, assigning its ID; the name must
// not be taken by another index of the table.
func AddIndex(desc *catalog.Descriptor, ix catalog.Index) error {
	t := desc.Table
	if _, _, dup := t.IndexByName(ix.Name); dup || ix.Name == t.PrimaryKeyName {
		return pgerror.New(pgerror.DuplicateTable, "relation %q already exists", ix.Name)
	}
	if t.NextIndexID < catalog.FirstSecondaryIndexID {
		t.NextIndexID = catalog.FirstSecondaryIndexID
	}
	ix.ID = t.NextIndexID
	t.NextIndexID++
	t.Indexes = append(t.Indexes, ix)
	return nil
}

func constraintName(t pg.ConstrType) string {
	s := strings.TrimPrefix(t.String(), "CONSTR_")
	switch s {
	case "FOREIGN":
		return "FOREIGN KEY"
	case "ATTR_DEFERRABLE", "ATTR_NOT_DEFERRABLE", "ATTR_DEFERRED", "ATTR_IMMEDIATE":
		return "deferrable"
	}
	return s
}

// DefaultText checks a DEFAULT expression for col and returns its SQL text.
func (b *Binder) DefaultText(n *pg.Node, col catalog.Column) (string, error) {
	return b.defaultText(n, col)
}

// defaultText checks a DEFAULT expression and returns its SQL text.
func (b *Binder) defaultText(n *pg.Node, col catalog.Column) (string, error) {
	e, err := b.bindExpr(nil, n)
	if err != nil {
		return "", err
	}
	if _, err := b.assign(e, col, exprLocation(n)); err != nil {
		return "", err
	}
	return deparseExpr(n)
}

// deparseExpr returns the SQL text of an expression.
func deparseExpr(n *pg.Node) (string, error) {
	sel := &pg.SelectStmt{TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: n}}}}}
	text, err := pg.Deparse(&pg.ParseResult{Version: 170007, Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}}}}})
	if err != nil {
		return "", pgerror.Wrap(err, pgerror.InternalError)
	}
	return strings.TrimPrefix(text, "SELECT "), nil
}
