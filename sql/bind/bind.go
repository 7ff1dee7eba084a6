package bind

import (
	"context"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
	"github.com/aegisdb/aegis/sql/vtable"
)

// Binder binds one statement. It is not safe for concurrent use.
type Binder struct {
	ctx      context.Context
	cat      *catalog.Catalog
	dbID     uint32
	reg      *funcs.Registry
	settings *typio.Settings
	// params holds the type of each $n; Unknown until inferred.
	params []types.T
	// offset is added to AST locations to report positions relative to
	// the whole query string.
	offset int
	// outer is the scope a subquery being bound is nested in.
	outer *scope
	// ctes are the common table expressions in scope, innermost last.
	ctes []*cte
	// setOpBranch is set while binding a UNION/INTERSECT/EXCEPT branch:
	// unknown-typed outputs (NULL, 'literal') stay unknown so the set
	// operation can resolve them to the other branches' type.
	setOpBranch bool
	// viewDepth counts nested view expansions (guards recursion).
	viewDepth int
	// referenced records the relations named while binding at the top
	// level (not inside views), for a view's dependencies.
	referenced []uint32
	// refs, when set, records what the names of the statement resolve to
	// (see RecordRefs).
	refs *Refs
	// dmlCTEs are the data-modifying WITH statements of the statement
	// being bound, run before it (see plan.WithDML).
	dmlCTEs []*plan.DMLCTE
	topWith *pg.WithClause // the statement's own WITH clause
	// subqueries holds the correlation flags of the subqueries being
	// bound, innermost last.
	subqueries []*bool
	// lockScope says which FROM items of the SELECT being bound its
	// locking clause reaches (nil: none).
	lockScope *lockScope
	// exposeLock, when set, asks the next bindSelect (a subquery or view
	// in FROM that a locking clause reaches) to expose its tables for
	// locking; it names the locking clause. That bindSelect leaves the
	// result in exposed.
	exposeLock string
	exposed    *exposure
}

// markCorrelated records that the depth innermost subqueries read a
// column of an enclosing query.
func (b *Binder) markCorrelated(depth int) {
	for i := len(b.subqueries) - 1; i >= 0 && depth > 0; i, depth = i-1, depth-1 {
		*b.subqueries[i] = true
	}
}

// New returns a binder reading the catalog of database dbID. paramTypes
// are the types the client declared (Unknown = infer).
func New(ctx context.Context, cat *catalog.Catalog, dbID uint32, settings *typio.Settings, paramTypes []types.T, offset int) *Binder {
	return &Binder{ctx: ctx, cat: cat, dbID: dbID, reg: funcs.Builtins(), settings: settings,
		params: append([]types.T(nil), paramTypes...), offset: offset}
}

// ParamTypes returns the inferred types of the parameters; uninferred
// ones default to text, as PostgreSQL does for unknown-typed values.
func (b *Binder) ParamTypes() []types.T {
	out := make([]types.T, len(b.params))
	for i, t := range b.params {
		if t.Oid == types.OidUnknown || t.Oid == 0 {
			t = types.Text
		}
		out[i] = t
	}
	return out
}

// BindQuery binds a statement that produces a plan (SELECT, INSERT,
// UPDATE, DELETE, VALUES).
func (b *Binder) BindQuery(n *pg.Node) (plan.Node, error) {
	node, err := b.bindQuery(n)
	if err != nil || len(b.dmlCTEs) == 0 {
		return node, err
	}
	w := &plan.WithDML{CTEs: b.dmlCTEs, Main: node}
	b.dmlCTEs = nil
	return w, nil
}

func (b *Binder) bindQuery(n *pg.Node) (plan.Node, error) {
	switch s := n.Node.(type) {
	case *pg.Node_SelectStmt:
		b.topWith = s.SelectStmt.WithClause
	case *pg.Node_InsertStmt:
		b.topWith = s.InsertStmt.WithClause
	case *pg.Node_UpdateStmt:
		b.topWith = s.UpdateStmt.WithClause
	case *pg.Node_DeleteStmt:
		b.topWith = s.DeleteStmt.WithClause
	}
	switch s := n.Node.(type) {
	case *pg.Node_SelectStmt:
		p, _, err := b.bindSelect(s.SelectStmt)
		return p, err
	case *pg.Node_InsertStmt:
		return b.bindInsert(s.InsertStmt)
	case *pg.Node_UpdateStmt:
		return b.bindUpdate(s.UpdateStmt)
	case *pg.Node_DeleteStmt:
		return b.bindDelete(s.DeleteStmt)
	}
	return nil, pgerror.Unimplemented("statement not supported")
}

func (b *Binder) errAt(err *pgerror.Error, loc int32) *pgerror.Error {
	if loc >= 0 && err.Position == 0 {
		err.Position = int32(b.offset) + loc + 1
	}
	return err
}

// ResolveTable finds a table by its (possibly schema-qualified) name.
func (b *Binder) ResolveTable(rv *pg.RangeVar) (*catalog.Descriptor, error) {
	d, err := b.ResolveRelation(rv)
	if err != nil {
		return nil, err
	}
	if d.Kind == catalog.KindView {
		return nil, b.errAt(pgerror.New(pgerror.WrongObjectType, "%q is a view", rv.Relname).
			WithDetail("Views are read-only in Aegis for now."), rv.Location)
	}
	if d.Kind != catalog.KindTable {
		return nil, b.errAt(pgerror.New(pgerror.WrongObjectType, "%q is not a table", rv.Relname), rv.Location)
	}
	return d, nil
}

// ResolveRelation finds a table, view or sequence by name.
func (b *Binder) ResolveRelation(rv *pg.RangeVar) (*catalog.Descriptor, error) {
	schemaName := rv.Schemaname
	if schemaName == "" {
		schemaName = "public"
	}
	if rv.Catalogname != "" {
		db, err := b.cat.ByID(b.ctx, b.dbID)
		if err != nil {
			return nil, err
		}
		if db == nil || db.Name != rv.Catalogname {
			return nil, b.errAt(pgerror.New(pgerror.FeatureNotSupported,
				"cross-database references are not implemented: %s", rangeVarString(rv)), rv.Location)
		}
	}
	sc, err := b.cat.Schema(b.ctx, b.dbID, schemaName)
	if err != nil {
		return nil, err
	}
	if sc == nil && vtable.IsVirtualSchema(schemaName) {
		if vtable.Lookup(schemaName, rv.Relname) != nil {
			return nil, b.errAt(pgerror.New(pgerror.InsufficientPrivilege, "permission denied: %q is a system catalog", rv.Relname), rv.Location)
		}
		return nil, b.errAt(pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", rangeVarString(rv)), rv.Location)
	}
	if sc == nil {
		if rv.Schemaname != "" {
			return nil, b.errAt(pgerror.New(pgerror.UndefinedSchema, "schema %q does not exist", schemaName), rv.Location)
		}
		return nil, b.errAt(pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", rv.Relname), rv.Location)
	}
	d, err := b.cat.Relation(b.ctx, b.dbID, sc.ID, rv.Relname)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, b.errAt(pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", rangeVarString(rv)), rv.Location)
	}
	if b.viewDepth == 0 && !slices.Contains(b.referenced, d.ID) {
		b.referenced = append(b.referenced, d.ID)
	}
	if b.refs != nil && b.viewDepth == 0 {
		b.refs.Relations[rv.Location] = d.ID
	}
	return d, nil
}

// Refs maps the names of a bound statement, by their location in its
// text, to the catalog objects they resolved to. Renames use it to
// rewrite stored view queries so that they keep meaning the same
// objects (PostgreSQL stores views by OID and gets this for free).
type Refs struct {
	// Relations maps a RangeVar's location to the relation's descriptor ID.
	Relations map[int32]uint32
	// Columns maps a ColumnRef's location to the table column it reads
	// directly (not through a subquery, CTE or join alias).
	Columns map[int32]ColumnOrigin
}

// ColumnOrigin is a column of a table.
type ColumnOrigin struct {
	Table  uint32 // descriptor ID
	Column uint32 // column ID
}

// RecordRefs makes the binder record, from now on, what the names it
// binds resolve to, and returns the record.
func (b *Binder) RecordRefs() *Refs {
	b.refs = &Refs{Relations: map[int32]uint32{}, Columns: map[int32]ColumnOrigin{}}
	return b.refs
}

// Referenced returns the IDs of the relations the statements bound so far
// name directly (those inside views they read are not included).
func (b *Binder) Referenced() []uint32 { return b.referenced }

func rangeVarString(rv *pg.RangeVar) string {
	if rv.Schemaname != "" {
		return rv.Schemaname + "." + rv.Relname
	}
	return rv.Relname
}

// stringList returns the String values of a list of nodes.
func stringList(nodes []*pg.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if s, ok := n.Node.(*pg.Node_String_); ok {
			out = append(out, s.String_.Sval)
		}
	}
	return out
}

// ResolveTypeName resolves a pg_query TypeName to a type.
func ResolveTypeName(tn *pg.TypeName) (types.T, error) {
	names := stringList(tn.Names)
	if len(names) == 0 {
		return types.T{}, pgerror.New(pgerror.SyntaxError, "invalid type name")
	}
	name := names[len(names)-1]
	if len(names) == 2 && names[0] != "pg_catalog" {
		return types.T{}, pgerror.New(pgerror.UndefinedObject, "type %q does not exist", strings.Join(names, "."))
	}
	var mods []int32
	for _, m := range tn.Typmods {
		if c, ok := m.Node.(*pg.Node_AConst); ok {
			if iv, ok := c.AConst.Val.(*pg.A_Const_Ival); ok {
				mods = append(mods, iv.Ival.Ival)
				continue
			}
		}
		return types.T{}, pgerror.New(pgerror.SyntaxError, "type modifiers must be simple constants or identifiers")
	}
	// "timestamptz" spelled "timestamp with time zone" arrives as
	// pg_catalog.timestamptz; interval field restrictions arrive as a
	// typmod we ignore beyond precision.
	if name == "interval" && len(mods) > 0 {
		mods = nil
	}
	t, ok, err := types.FromName(name, mods)
	if err != nil {
		return types.T{}, pgerror.New(pgerror.InvalidParameterValue, "%s", err.Error())
	}
	if !ok {
		return types.T{}, pgerror.New(pgerror.UndefinedObject, "type %q does not exist", name)
	}
	if len(tn.ArrayBounds) > 0 && !t.IsArray() {
		// int[], int[3][4]: PostgreSQL ignores the sizes and the number
		// of dimensions; every array of int is int[].
		at, ok := types.ArrayOf(t)
		if !ok {
			return types.T{}, pgerror.New(pgerror.UndefinedObject, "could not find array type for data type %s", t)
		}
		t = at
	}
	return t, nil
}

// ResolveType resolves a type name: a built-in type, or a user-defined
// (enum) type of the catalog, schema-qualified or in public.
func (b *Binder) ResolveType(tn *pg.TypeName) (types.T, error) {
	t, err := ResolveTypeName(tn)
	if err == nil || pgerror.CodeOf(err) != pgerror.UndefinedObject {
		return t, err
	}
	names := stringList(tn.Names)
	schema := "public"
	if len(names) == 2 {
		schema = names[0]
	}
	sc, serr := b.cat.Schema(b.ctx, b.dbID, schema)
	if serr != nil || sc == nil {
		return t, err
	}
	d, derr := b.cat.Relation(b.ctx, b.dbID, sc.ID, names[len(names)-1])
	if derr != nil || d == nil || d.Kind != catalog.KindType {
		return t, err
	}
	if len(tn.Typmods) > 0 {
		return types.T{}, pgerror.New(pgerror.SyntaxError, "type modifier is not allowed for type %q", d.Name)
	}
	d.RegisterType()
	et := types.T{Oid: d.TypeOID(), Typmod: -1}
	if len(tn.ArrayBounds) > 0 {
		at, _ := types.ArrayOf(et)
		return at, nil
	}
	return et, nil
}
