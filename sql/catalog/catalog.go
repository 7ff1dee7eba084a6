package catalog

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/seq"
	"github.com/aegisdb/aegis/sql/types"
)

// Kind is the kind of a descriptor.
type Kind string

// Descriptor kinds.
const (
	KindDatabase Kind = "database"
	KindSchema   Kind = "schema"
	KindTable    Kind = "table"
	KindSequence Kind = "sequence"
	KindView     Kind = "view"
	KindType     Kind = "type"
)

// Descriptor is the stored form of every catalog object.
type Descriptor struct {
	ID       uint32       `json:"id"`
	Kind     Kind         `json:"kind"`
	Name     string       `json:"name"`
	ParentID uint32       `json:"parent_id,omitempty"` // database of a schema or table
	SchemaID uint32       `json:"schema_id,omitempty"` // schema of a table
	Owner    string       `json:"owner,omitempty"`
	Table    *Table       `json:"table,omitempty"`
	Sequence *seq.Options `json:"sequence,omitempty"`
	View     *View        `json:"view,omitempty"`
	// Comments are COMMENT ON texts: "" for the object itself, "c<id>"
	// for a column, "i<id>" for an index of a table.
	Comments map[string]string `json:"comments,omitempty"`
	// Enum is the definition of an enum type (KindType).
	Enum *Enum `json:"enum,omitempty"`
	// Extensions, on a database, are the extensions CREATE EXTENSION
	// installed (plpgsql is always there).
	Extensions []string `json:"extensions,omitempty"`
}

// SetComment sets (or with an empty text removes) a comment.
func (d *Descriptor) SetComment(key, text string) {
	if text == "" {
		delete(d.Comments, key)
		return
	}
	if d.Comments == nil {
		d.Comments = map[string]string{}
	}
	d.Comments[key] = text
}

// Enum is an enum type's labels, in order, with their sort positions.
type Enum struct {
	Labels []string  `json:"labels"`
	Sort   []float64 `json:"sort"`
	Schema string    `json:"schema"` // the schema's name, for printing
}

// TypeOID is the OID of a type descriptor (as pg_type shows it).
func (d *Descriptor) TypeOID() types.Oid { return types.Oid(d.ID) + 16384 }

// RegisterType makes a type descriptor known to the type system.
func (d *Descriptor) RegisterType() {
	if d.Enum != nil {
		types.RegisterEnum(d.TypeOID(), types.EnumInfo{Name: d.Name, Schema: d.Enum.Schema, Labels: d.Enum.Labels, Sort: d.Enum.Sort})
	}
}

// CreateType stores a new type descriptor; its ID is assigned here.
func (c *Catalog) CreateType(ctx context.Context, d *Descriptor) error {
	id, err := c.nextID(ctx)
	if err != nil {
		return err
	}
	d.ID = id
	d.Kind = KindType
	if err := c.write(ctx, d); err != nil {
		return err
	}
	d.RegisterType()
	return nil
}

// View is the stored definition of a view.
type View struct {
	Query   string   `json:"query"`   // the SELECT, as SQL text
	Columns []string `json:"columns"` // output column names
	// DependsOn are the relations the query names (pg_depend).
	DependsOn []uint32 `json:"depends_on,omitempty"`
}

// Table is the table part of a descriptor.
type Table struct {
	Columns      []Column `json:"columns"`
	NextColumnID uint32   `json:"next_column_id"`
	// PrimaryKey lists column IDs; when the user declared none it holds
	// the hidden rowid column.
	PrimaryKey     []uint32 `json:"primary_key"`
	PrimaryKeyName string   `json:"primary_key_name,omitempty"`
	// OwnedSequences are dropped with the table (serial columns).
	OwnedSequences []uint32 `json:"owned_sequences,omitempty"`
	// Indexes are the secondary indexes (the primary index, ID 1, is the
	// table's rows themselves).
	Indexes     []Index `json:"indexes,omitempty"`
	NextIndexID uint32  `json:"next_index_id,omitempty"`
	// Checks are CHECK constraints.
	Checks []Check `json:"checks,omitempty"`
	// ForeignKeys are the table's FOREIGN KEY constraints.
	ForeignKeys []ForeignKey `json:"foreign_keys,omitempty"`
	// ReferencedBy lists the tables (by ID, this one included for a
	// self-reference) with foreign keys referencing this table, so that
	// writes to it find the constraints they must enforce.
	ReferencedBy []uint32 `json:"referenced_by,omitempty"`
}

// ForeignKey is a FOREIGN KEY constraint: Columns of this table reference
// RefColumns of table RefTable (its primary key or a unique constraint's
// columns, in that key's order as the user listed them).
type ForeignKey struct {
	Name       string   `json:"name"`
	Columns    []uint32 `json:"columns"`
	RefTable   uint32   `json:"ref_table"`
	RefColumns []uint32 `json:"ref_columns"`
	// OnDelete and OnUpdate are pg_constraint's confdeltype/confupdtype:
	// a (NO ACTION), r (RESTRICT), c (CASCADE), n (SET NULL), d (SET
	// DEFAULT). Match is confmatchtype: s (SIMPLE) or f (FULL).
	OnDelete string `json:"on_delete"`
	OnUpdate string `json:"on_update"`
	Match    string `json:"match"`
	// Deferrable constraints may be checked at commit: InitiallyDeferred
	// ones are unless SET CONSTRAINTS says otherwise.
	Deferrable        bool `json:"deferrable,omitempty"`
	InitiallyDeferred bool `json:"initially_deferred,omitempty"`
}

// Index is a secondary index.
//
// Keys: IndexPrefix(table, ID) + the indexed values + the primary-key
// values, value empty; for a unique index whose values are all non-NULL
// the key stops after the indexed values and the value holds the
// primary-key suffix, so that two rows with the same values collide on
// one key (a write-write conflict between concurrent inserters).
type Index struct {
	ID      uint32   `json:"id"`
	Name    string   `json:"name"`
	Columns []uint32 `json:"columns"`
	Unique  bool     `json:"unique,omitempty"`
	// Constraint is set when the index implements a UNIQUE constraint.
	Constraint bool `json:"constraint,omitempty"`
	// Method is the access method: "" (btree) or "gin", an inverted
	// index over one jsonb or array column (see rowenc.GINTerms).
	Method string `json:"method,omitempty"`
	// OpClass is the operator class when not the default
	// ("jsonb_path_ops").
	OpClass string `json:"opclass,omitempty"`
	// Exprs, for an index on expressions, holds for each key position
	// the SQL text of its expression over the table's columns ("" for a
	// plain column; Columns has 0 there). ExprColumns are the columns
	// the expressions read.
	Exprs       []string `json:"exprs,omitempty"`
	ExprColumns []uint32 `json:"expr_columns,omitempty"`
}

// HasExprs reports whether some key of ix is an expression.
func (ix Index) HasExprs() bool { return len(ix.Exprs) > 0 }

// Uses reports whether ix reads column id (as a key or in an expression).
func (ix Index) Uses(id uint32) bool {
	return slices.Contains(ix.Columns, id) || slices.Contains(ix.ExprColumns, id)
}

// IsGIN reports whether ix is an inverted (GIN) index.
func (ix Index) IsGIN() bool { return ix.Method == "gin" }

// ReferencedKey returns the ID of the unique index (1 = the primary key)
// whose columns are exactly cols, in any order: the key a foreign key on
// cols references.
func (t *Table) ReferencedKey(cols []uint32) (uint32, bool) {
	same := func(key []uint32) bool {
		if len(key) != len(cols) {
			return false
		}
		for _, c := range key {
			found := false
			for _, d := range cols {
				found = found || c == d
			}
			if !found {
				return false
			}
		}
		return true
	}
	if t.PrimaryKeyName != "" && same(t.PrimaryKey) {
		return 1, true
	}
	for _, ix := range t.Indexes {
		if ix.Unique && same(ix.Columns) {
			return ix.ID, true
		}
	}
	return 0, false
}

// Check is a CHECK constraint.
type Check struct {
	Name string `json:"name"`
	Expr string `json:"expr"` // SQL text over the table's columns
}

// FirstSecondaryIndexID is the ID of a table's first secondary index.
const FirstSecondaryIndexID = 2

// IndexByName finds a secondary index.
func (t *Table) IndexByName(name string) (Index, int, bool) {
	for i, ix := range t.Indexes {
		if ix.Name == name {
			return ix, i, true
		}
	}
	return Index{}, -1, false
}

// IndexByID finds a secondary index by ID.
func (t *Table) IndexByID(id uint32) (Index, bool) {
	for _, ix := range t.Indexes {
		if ix.ID == id {
			return ix, true
		}
	}
	return Index{}, false
}

// Column is a table column.
type Column struct {
	ID      uint32  `json:"id"`
	Name    string  `json:"name"`
	Type    types.T `json:"type"`
	NotNull bool    `json:"not_null,omitempty"`
	// Default is the SQL text of the DEFAULT expression ("" = none).
	Default string `json:"default,omitempty"`
	// Hidden columns (the implicit rowid) are not part of SELECT *.
	Hidden bool `json:"hidden,omitempty"`
	// Identity is pg_attribute.attidentity: "a" for GENERATED ALWAYS AS
	// IDENTITY, "d" for GENERATED BY DEFAULT, "" otherwise. (An identity
	// column's sequence default is in Default, as for serial.)
	Identity string `json:"identity,omitempty"`
	// Generated is the SQL text of a GENERATED ALWAYS AS (expr) STORED
	// column's expression over the table's columns ("" otherwise).
	Generated string `json:"generated,omitempty"`
}

// Bootstrap IDs.
const (
	PostgresDBID   uint32 = 1
	PublicSchemaID uint32 = 2
	firstUserID    uint32 = 100
)

// PgCatalogSchemaID is the ID reported for the virtual pg_catalog schema.
const PgCatalogSchemaID uint32 = 11

var (
	descPrefix = []byte("cd")
	nsPrefix   = []byte("cn")
	seqKey     = []byte("cs")
	rolePrefix = []byte("cr")
	versionKey = []byte("cv")
)

func descKey(id uint32) []byte {
	return binary.BigEndian.AppendUint32(append([]byte(nil), descPrefix...), id)
}

func nsKey(parent, schema uint32, name string) []byte {
	k := append([]byte(nil), nsPrefix...)
	k = binary.BigEndian.AppendUint32(k, parent)
	k = binary.BigEndian.AppendUint32(k, schema)
	return append(k, name...)
}

func roleKey(name string) []byte { return append(append([]byte(nil), rolePrefix...), name...) }

// Catalog reads and writes descriptors through a transaction.
//
// Name resolution is cached across transactions by catalog generation:
// every change to the catalog writes a new random generation (in the
// same transaction), and cached lookups are keyed by the generation the
// reading transaction sees. A transaction that changed the catalog sees
// its own, still private generation, so nothing it caches can be seen by
// others unless it commits (and then the cached state is the committed
// one); a rolled-back generation is never read again.
type Catalog struct {
	txn     *kv.Txn
	gen     string // generation seen by txn ("" until read)
	genRead bool
}

var generationKey = []byte("cg")

// lookupCache maps generation + lookup key to a descriptor (nil: absent).
var lookupCache struct {
	sync.Mutex
	m map[string]*Descriptor
}

// Generation returns the catalog generation the transaction sees: equal
// generations mean an identical catalog.
func (c *Catalog) Generation(ctx context.Context) (string, error) { return c.generation(ctx) }

func (c *Catalog) generation(ctx context.Context) (string, error) {
	if !c.genRead {
		v, _, err := c.txn.Get(ctx, generationKey)
		if err != nil {
			return "", err
		}
		c.gen, c.genRead = string(v), true
	}
	return c.gen, nil
}

// changed records a catalog change: a fresh generation after every
// change, so entries cached before the change (under the previous,
// private generation) are never read again; later statements of the same
// transaction read the generation back and share cache entries with
// nobody until it commits.
func (c *Catalog) changed(ctx context.Context) error {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	if err := c.txn.Put(ctx, generationKey, b[:]); err != nil {
		return err
	}
	c.gen, c.genRead = string(b[:]), true
	return nil
}

// cached resolves key through the generation cache, calling load on a
// miss. Callers get copies.
func (c *Catalog) cached(ctx context.Context, key string, load func() (*Descriptor, error)) (*Descriptor, error) {
	gen, err := c.generation(ctx)
	if err != nil {
		return nil, err
	}
	k := gen + "\x00" + key
	lookupCache.Lock()
	d, ok := lookupCache.m[k]
	lookupCache.Unlock()
	if ok {
		if d == nil {
			return nil, nil
		}
		return d.Clone(), nil
	}
	d, err = load()
	if err != nil {
		return nil, err
	}
	lookupCache.Lock()
	if lookupCache.m == nil || len(lookupCache.m) > 20000 {
		lookupCache.m = map[string]*Descriptor{}
	}
	if d == nil {
		lookupCache.m[k] = nil
	} else {
		lookupCache.m[k] = d.Clone()
	}
	lookupCache.Unlock()
	return d, nil
}

// New returns a catalog view through txn.
func New(txn *kv.Txn) *Catalog { return &Catalog{txn: txn} }

// Bootstrap initialises an empty store (like initdb): the superuser role,
// database postgres and its public schema. It is a no-op on a store that
// is already initialised.
func Bootstrap(ctx context.Context, txn *kv.Txn, superuser string) (bool, error) {
	_, found, err := txn.Get(ctx, versionKey)
	if err != nil || found {
		return false, err
	}
	c := New(txn)
	if err := txn.Put(ctx, roleKey(superuser), []byte(`{"superuser":true}`)); err != nil {
		return false, err
	}
	db := &Descriptor{ID: PostgresDBID, Kind: KindDatabase, Name: "postgres", Owner: superuser}
	sc := &Descriptor{ID: PublicSchemaID, Kind: KindSchema, Name: "public", ParentID: PostgresDBID, Owner: superuser}
	for _, d := range []*Descriptor{db, sc} {
		if err := c.write(ctx, d); err != nil {
			return false, err
		}
	}
	if err := txn.Put(ctx, seqKey, binary.BigEndian.AppendUint32(nil, firstUserID)); err != nil {
		return false, err
	}
	return true, txn.Put(ctx, versionKey, []byte("1"))
}

func (c *Catalog) nextID(ctx context.Context) (uint32, error) {
	v, found, err := c.txn.Get(ctx, seqKey)
	if err != nil {
		return 0, err
	}
	id := firstUserID
	if found && len(v) == 4 {
		id = binary.BigEndian.Uint32(v)
	}
	return id, c.txn.Put(ctx, seqKey, binary.BigEndian.AppendUint32(nil, id+1))
}

func (c *Catalog) write(ctx context.Context, d *Descriptor) error {
	if err := c.changed(ctx); err != nil {
		return err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := c.txn.Put(ctx, descKey(d.ID), b); err != nil {
		return err
	}
	return c.txn.Put(ctx, nsKey(d.ParentID, d.SchemaID, d.Name), binary.BigEndian.AppendUint32(nil, d.ID))
}

// ByID reads a descriptor.
func (c *Catalog) ByID(ctx context.Context, id uint32) (*Descriptor, error) {
	return c.cached(ctx, "id/"+strconv.FormatUint(uint64(id), 10), func() (*Descriptor, error) { return c.byID(ctx, id) })
}

func (c *Catalog) byID(ctx context.Context, id uint32) (*Descriptor, error) {
	v, found, err := c.txn.Get(ctx, descKey(id))
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, nil
	}
	return decode(id, v)
}

// decoded caches descriptors by their stored bytes: decoding JSON is a
// large part of resolving a name, and the same bytes always decode to
// the same descriptor. Callers get a deep copy they may modify.
var decoded struct {
	sync.Mutex
	m map[string]*Descriptor
}

func decode(id uint32, v []byte) (*Descriptor, error) {
	decoded.Lock()
	d, ok := decoded.m[string(v)]
	decoded.Unlock()
	if ok {
		return d.Clone(), nil
	}
	d = &Descriptor{}
	if err := json.Unmarshal(v, d); err != nil {
		return nil, fmt.Errorf("decoding descriptor %d: %w", id, err)
	}
	decoded.Lock()
	if decoded.m == nil || len(decoded.m) > 10000 {
		decoded.m = map[string]*Descriptor{}
	}
	decoded.m[string(v)] = d
	decoded.Unlock()
	d.RegisterType()
	return d.Clone(), nil
}

// Clone returns a deep copy of d.
func (d *Descriptor) Clone() *Descriptor {
	c := *d
	if d.Table != nil {
		t := *d.Table
		t.Columns = append([]Column(nil), d.Table.Columns...)
		t.PrimaryKey = append([]uint32(nil), d.Table.PrimaryKey...)
		t.OwnedSequences = append([]uint32(nil), d.Table.OwnedSequences...)
		t.Indexes = make([]Index, len(d.Table.Indexes))
		for i, ix := range d.Table.Indexes {
			ix.Columns = append([]uint32(nil), ix.Columns...)
			ix.Exprs = append([]string(nil), ix.Exprs...)
			ix.ExprColumns = append([]uint32(nil), ix.ExprColumns...)
			t.Indexes[i] = ix
		}
		if d.Table.Indexes == nil {
			t.Indexes = nil
		}
		t.Checks = append([]Check(nil), d.Table.Checks...)
		c.Table = &t
	}
	if d.Sequence != nil {
		sq := *d.Sequence
		c.Sequence = &sq
	}
	if d.View != nil {
		v := *d.View
		v.Columns = append([]string(nil), d.View.Columns...)
		v.DependsOn = append([]uint32(nil), d.View.DependsOn...)
		c.View = &v
	}
	if d.Comments != nil {
		c.Comments = make(map[string]string, len(d.Comments))
		for k, v := range d.Comments {
			c.Comments[k] = v
		}
	}
	c.Extensions = append([]string(nil), d.Extensions...)
	if d.Enum != nil {
		e := *d.Enum
		e.Labels = append([]string(nil), d.Enum.Labels...)
		e.Sort = append([]float64(nil), d.Enum.Sort...)
		c.Enum = &e
	}
	return &c
}

func (c *Catalog) lookup(ctx context.Context, parent, schema uint32, name string) (*Descriptor, error) {
	return c.cached(ctx, "ns/"+string(nsKey(parent, schema, name)), func() (*Descriptor, error) {
		v, found, err := c.txn.Get(ctx, nsKey(parent, schema, name))
		if err != nil || !found {
			return nil, err
		}
		return c.byID(ctx, binary.BigEndian.Uint32(v))
	})
}

// Database resolves a database by name (nil when absent).
func (c *Catalog) Database(ctx context.Context, name string) (*Descriptor, error) {
	return c.lookup(ctx, 0, 0, name)
}

// Schema resolves a schema of a database by name (nil when absent).
func (c *Catalog) Schema(ctx context.Context, dbID uint32, name string) (*Descriptor, error) {
	return c.lookup(ctx, dbID, 0, name)
}

// Relation resolves a table in a schema (nil when absent).
func (c *Catalog) Relation(ctx context.Context, dbID, schemaID uint32, name string) (*Descriptor, error) {
	return c.lookup(ctx, dbID, schemaID, name)
}

// RoleExists reports whether a role exists.
func (c *Catalog) RoleExists(ctx context.Context, name string) (bool, error) {
	_, found, err := c.txn.Get(ctx, roleKey(name))
	return found, err
}

// CreateDatabase creates a database with its public schema.
func (c *Catalog) CreateDatabase(ctx context.Context, name, owner string) (*Descriptor, error) {
	if d, err := c.Database(ctx, name); err != nil {
		return nil, err
	} else if d != nil {
		return nil, pgerror.New(pgerror.DuplicateDatabase, "database %q already exists", name)
	}
	id, err := c.nextID(ctx)
	if err != nil {
		return nil, err
	}
	db := &Descriptor{ID: id, Kind: KindDatabase, Name: name, Owner: owner}
	if err := c.write(ctx, db); err != nil {
		return nil, err
	}
	sid, err := c.nextID(ctx)
	if err != nil {
		return nil, err
	}
	return db, c.write(ctx, &Descriptor{ID: sid, Kind: KindSchema, Name: "public", ParentID: id, Owner: owner})
}

// CreateSchema creates a schema in a database.
func (c *Catalog) CreateSchema(ctx context.Context, dbID uint32, name, owner string) (*Descriptor, error) {
	if name == "pg_catalog" || name == "information_schema" || strings.HasPrefix(name, "pg_") {
		return nil, pgerror.New(pgerror.ReservedName, "unacceptable schema name %q", name).
			WithDetail("The prefix \"pg_\" is reserved for system schemas.")
	}
	if d, err := c.Schema(ctx, dbID, name); err != nil {
		return nil, err
	} else if d != nil {
		return nil, pgerror.New(pgerror.DuplicateSchema, "schema %q already exists", name)
	}
	id, err := c.nextID(ctx)
	if err != nil {
		return nil, err
	}
	d := &Descriptor{ID: id, Kind: KindSchema, Name: name, ParentID: dbID, Owner: owner}
	return d, c.write(ctx, d)
}

// CreateTable stores a new table descriptor; t's ID is assigned here.
func (c *Catalog) CreateTable(ctx context.Context, d *Descriptor) error {
	id, err := c.nextID(ctx)
	if err != nil {
		return err
	}
	d.ID = id
	d.Kind = KindTable
	return c.write(ctx, d)
}

// CreateView stores a new view descriptor; its ID is assigned here.
func (c *Catalog) CreateView(ctx context.Context, d *Descriptor) error {
	id, err := c.nextID(ctx)
	if err != nil {
		return err
	}
	d.ID = id
	d.Kind = KindView
	return c.write(ctx, d)
}

// CreateSequence stores a new sequence descriptor; its ID is assigned here.
func (c *Catalog) CreateSequence(ctx context.Context, d *Descriptor) error {
	id, err := c.nextID(ctx)
	if err != nil {
		return err
	}
	d.ID = id
	d.Kind = KindSequence
	return c.write(ctx, d)
}

// UpdateTable rewrites a table descriptor in place (same name).
func (c *Catalog) UpdateTable(ctx context.Context, d *Descriptor) error {
	if err := c.changed(ctx); err != nil {
		return err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return c.txn.Put(ctx, descKey(d.ID), b)
}

// Drop removes a descriptor and its namespace entry.
func (c *Catalog) Drop(ctx context.Context, d *Descriptor) error {
	if err := c.changed(ctx); err != nil {
		return err
	}
	if err := c.txn.Delete(ctx, nsKey(d.ParentID, d.SchemaID, d.Name)); err != nil {
		return err
	}
	return c.txn.Delete(ctx, descKey(d.ID))
}

// Rename gives a table, view or sequence a new name in its schema.
func (c *Catalog) Rename(ctx context.Context, d *Descriptor, name string) error {
	if err := c.changed(ctx); err != nil {
		return err
	}
	if err := c.txn.Delete(ctx, nsKey(d.ParentID, d.SchemaID, d.Name)); err != nil {
		return err
	}
	d.Name = name
	return c.write(ctx, d)
}

// Move moves a relation or type to another schema (ALTER ... SET SCHEMA).
func (c *Catalog) Move(ctx context.Context, d *Descriptor, schemaID uint32) error {
	if err := c.changed(ctx); err != nil {
		return err
	}
	if err := c.txn.Delete(ctx, nsKey(d.ParentID, d.SchemaID, d.Name)); err != nil {
		return err
	}
	d.SchemaID = schemaID
	return c.write(ctx, d)
}

// List returns every descriptor (used by pg_catalog views and by DROP
// DATABASE/SCHEMA to find children). The catalog is small; a scan is fine.
func (c *Catalog) List(ctx context.Context) ([]*Descriptor, error) {
	it := c.txn.NewIterator(ctx, descPrefix, []byte("ce"))
	defer it.Close()
	var out []*Descriptor
	for it.Next() {
		d, err := decode(0, it.Value())
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, it.Err()
}

// VisibleColumns returns the columns SELECT * shows.
func (t *Table) VisibleColumns() []Column {
	out := make([]Column, 0, len(t.Columns))
	for _, c := range t.Columns {
		if !c.Hidden {
			out = append(out, c)
		}
	}
	return out
}

// ColumnByID returns the column with the given ID.
func (t *Table) ColumnByID(id uint32) (Column, int, bool) {
	for i, c := range t.Columns {
		if c.ID == id {
			return c, i, true
		}
	}
	return Column{}, -1, false
}

// ColumnByName returns the column with the given name.
func (t *Table) ColumnByName(name string) (Column, int, bool) {
	for i, c := range t.Columns {
		if c.Name == name {
			return c, i, true
		}
	}
	return Column{}, -1, false
}
