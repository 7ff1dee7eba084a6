package types

import "sync"

// PgType is a pg_type row of a built-in type (generated from
// PostgreSQL's postgres.bki into pgtype_gen.go).
type PgType struct {
	Oid       Oid
	Name      string
	Len       int16
	ByVal     bool
	Type      byte // b base, p pseudo, c composite, ...
	Category  byte // A array, N numeric, S string, ...
	Preferred bool
	Delim     byte
	RelID     Oid
	Elem      Oid // element type of an array type
	Array     Oid // array type of this type
	Input     string
	Output    string
	Receive   string
	Send      string
	Align     byte
	Storage   byte
	BaseType  Oid
	TypMod    int32
	NDims     int32
	Collation Oid
}

var (
	pgTypeOnce  sync.Once
	pgTypeByOid map[Oid]*PgType
)

// PgTypes returns the pg_type rows of every built-in type, in OID order.
func PgTypes() []PgType { return pgTypes }

// LookupPgType returns the pg_type row of a built-in type.
func LookupPgType(oid Oid) (*PgType, bool) {
	pgTypeOnce.Do(func() {
		pgTypeByOid = make(map[Oid]*PgType, len(pgTypes))
		for i := range pgTypes {
			pgTypeByOid[pgTypes[i].Oid] = &pgTypes[i]
		}
	})
	t, ok := pgTypeByOid[oid]
	return t, ok
}

// PgProc is a built-in function's pg_proc OID and name.
type PgProc struct {
	Oid  Oid
	Name string
}

// PgProcs returns every built-in function (generated from postgres.bki).
func PgProcs() []PgProc { return pgProcs }

// CatalogTableOid returns the OID of a PostgreSQL system catalog table
// (pg_class is 1259, ...).
func CatalogTableOid(name string) (Oid, bool) {
	o, ok := pgCatalogTables[name]
	return o, ok
}

var (
	procNamesOnce sync.Once
	procNames     map[Oid]string
)

// ProcName returns the name of a built-in function by its OID.
func ProcName(oid Oid) (string, bool) {
	procNamesOnce.Do(func() {
		procNames = make(map[Oid]string, len(pgProcs))
		for _, p := range pgProcs {
			procNames[p.Oid] = p.Name
		}
	})
	n, ok := procNames[oid]
	return n, ok
}

// CatalogColumn is a column of a system catalog table: its name and its
// type as postgres.bki spells it ("oid", "name", "_text", "int2vector").
type CatalogColumn struct {
	Name, Type string
}

// CatalogTableColumns returns the columns of a PostgreSQL system catalog
// table, in order (nil if there is no such catalog).
func CatalogTableColumns(name string) []CatalogColumn { return pgCatalogColumns[name] }

var (
	procOidsOnce sync.Once
	procOids     map[string]Oid
)

// ProcOid returns the OID of the built-in function named name (the
// lowest, when overloaded).
func ProcOid(name string) (Oid, bool) {
	procOidsOnce.Do(func() {
		procOids = make(map[string]Oid, len(pgProcs))
		for _, p := range pgProcs {
			if o, ok := procOids[p.Name]; !ok || p.Oid < o {
				procOids[p.Name] = p.Oid
			}
		}
	})
	o, ok := procOids[name]
	return o, ok
}

// nullValue stands for NULL in pgCatalogRows.
const nullValue = "\x00null"

// CatalogTableRows returns the bootstrap rows of a PostgreSQL system
// catalog (pg_proc, pg_am, pg_opclass, pg_collation, ...; nil for the
// others), each value in its text form, or NullText for NULL.
func CatalogTableRows(name string) [][]string { return pgCatalogRows[name] }

// NullText is the text CatalogTableRows uses for NULL.
const NullText = nullValue
