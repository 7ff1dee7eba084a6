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
