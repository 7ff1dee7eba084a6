// Package vtable defines the virtual tables of pg_catalog and
// information_schema: each is a schema plus a function that computes its
// rows from the catalog when a query scans it. Clients (psql, drivers,
// ORMs) read these to introspect the database.
//
// Object identifiers: a descriptor's OID is its ID + UserOIDBase, so
// that user objects never collide with PostgreSQL's built-in OIDs; the
// public schema is 2200 and pg_catalog 11, as in PostgreSQL.
package vtable

import (
	"context"
	"sort"
	"sync"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/types"
)

// UserOIDBase is added to descriptor IDs to form OIDs.
const UserOIDBase = 16384

// Well-known namespace OIDs.
const (
	PgCatalogOID         = 11
	PublicOID            = 2200
	InformationSchemaOID = 13000
	SuperuserOID         = 10
	DatabaseOwnerOID     = 6171 // pg_database_owner
)

// OID returns the OID of a descriptor.
func OID(d *catalog.Descriptor) int64 {
	if d.Kind == catalog.KindSchema && d.Name == "public" {
		return PublicOID
	}
	if d.Kind == catalog.KindDatabase && d.ID == catalog.PostgresDBID {
		return 5
	}
	return int64(d.ID) + UserOIDBase
}

// Column is a column of a virtual table.
type Column struct {
	Name string
	T    types.T
}

// Context is what row functions read.
type Context struct {
	Ctx      context.Context
	Cat      *catalog.Catalog
	DBID     uint32
	Database string
	User     string
	Settings func() []Setting
	// Activity lists the server's sessions (pg_stat_activity).
	Activity func() []Activity
	// Prepared lists the session's prepared statements
	// (pg_prepared_statements).
	Prepared func() []PreparedStatement
	// Exprs, when set, returns a table's column defaults (by column ID)
	// and CHECK expressions (in order) as PostgreSQL's pg_get_expr and
	// pg_get_constraintdef print them, pretty and plain; without it the
	// stored SQL texts are shown.
	Exprs func(d *catalog.Descriptor) (defaults map[uint32]ExprText, checks []ExprText)
	// IndexExprs prints expression index keys (nil: the stored texts).
	IndexExprs IndexExprTexts
	// ViewTypes returns the types of a view's columns (nil: unknown).
	ViewTypes func(d *catalog.Descriptor) []types.T
	// ViewDefs prints a view's query as pg_get_viewdef does (false: show
	// the stored text).
	ViewDefs func(d *catalog.Descriptor, pretty bool) (string, bool)
	// SearchPath is the session's effective search path (nil: the
	// default); names on it print unqualified.
	SearchPath []string
}

// IndexExprTexts returns, for each expression index of d, its key
// expressions as pg_get_indexdef prints them ("" at plain-column
// positions); nil falls back to the stored texts.
type IndexExprTexts func(d *catalog.Descriptor) map[uint32][]ExprText

// ExprText is an expression as PostgreSQL prints it with pretty printing
// (pg_get_expr(x, rel, true)) and without.
type ExprText struct {
	Pretty, Plain string
}

// tableExprs returns d's defaults and checks as PostgreSQL prints them
// (see Context.Exprs), falling back to the stored texts.
func (c *Context) tableExprs(d *catalog.Descriptor) (map[uint32]ExprText, []ExprText) {
	var defs map[uint32]ExprText
	var checks []ExprText
	if c.Exprs != nil {
		defs, checks = c.Exprs(d)
	}
	if defs == nil {
		defs = map[uint32]ExprText{}
	}
	for _, col := range d.Table.Columns {
		if _, ok := defs[col.ID]; !ok && col.Default != "" {
			defs[col.ID] = ExprText{col.Default, col.Default}
		}
		if _, ok := defs[col.ID]; !ok && col.Generated != "" {
			defs[col.ID] = ExprText{col.Generated, "(" + col.Generated + ")"}
		}
	}
	if len(checks) != len(d.Table.Checks) {
		checks = make([]ExprText, len(d.Table.Checks))
		for i, ch := range d.Table.Checks {
			checks[i] = ExprText{ch.Expr, "(" + ch.Expr + ")"}
		}
	}
	return defs, checks
}

// Table is a virtual table.
type Table struct {
	Schema string
	Name   string
	Cols   []Column
	Rows   func(c *Context) ([][]types.Datum, error)
}

var (
	registry     = map[string]*Table{}
	registryOnce sync.Once
)

func register(t *Table) { registry[t.Schema+"."+t.Name] = t }

// Lookup returns the virtual table schema.name, or nil.
func Lookup(schema, name string) *Table {
	registryOnce.Do(buildRegistry)
	return registry[schema+"."+name]
}

// IsVirtualSchema reports whether a schema holds only virtual tables.
func IsVirtualSchema(name string) bool {
	return name == "pg_catalog" || name == "information_schema"
}

// Names lists every virtual table as schema.name, sorted.
func Names() []string {
	registryOnce.Do(buildRegistry)
	var out []string
	for k := range registry {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// objects lists the database's descriptors (schemas, tables, views,
// sequences) of the current database.
func objects(c *Context) ([]*catalog.Descriptor, error) {
	all, err := c.Cat.List(c.Ctx)
	if err != nil {
		return nil, err
	}
	var out []*catalog.Descriptor
	for _, d := range all {
		if d.ParentID == c.DBID || (d.Kind == catalog.KindDatabase) {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func schemaOf(all []*catalog.Descriptor, id uint32) *catalog.Descriptor {
	for _, d := range all {
		if d.ID == id && d.Kind == catalog.KindSchema {
			return d
		}
	}
	return nil
}

// PreparedStatement is a row of pg_prepared_statements.
type PreparedStatement struct {
	Name, Statement string
	PrepareTime     types.DTimestamp
	ParamTypes      []types.T
	FromSQL         bool
}

// Setting is a row of pg_settings.
type Setting struct {
	Name, Value, Default, Desc, VarType string
}

// Activity is a row of pg_stat_activity.
type Activity struct {
	PID, DBOID                                       int64
	Database, User, Application, ClientAddr          string
	ClientPort                                       int64
	BackendStart, XactStart, QueryStart, StateChange types.Datum
	State, Query                                     string
}
