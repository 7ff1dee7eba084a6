package types

import (
	"fmt"
	"math"
	"strings"
)

// Oid is a PostgreSQL object identifier.
type Oid = uint32

// Type OIDs from PostgreSQL's pg_type.
const (
	OidBool        Oid = 16
	OidBytea       Oid = 17
	OidChar        Oid = 18
	OidName        Oid = 19
	OidInt8        Oid = 20
	OidInt2        Oid = 21
	OidInt4        Oid = 23
	OidText        Oid = 25
	OidOid         Oid = 26
	OidFloat4      Oid = 700
	OidFloat8      Oid = 701
	OidUnknown     Oid = 705
	OidBpchar      Oid = 1042
	OidVarchar     Oid = 1043
	OidDate        Oid = 1082
	OidTime        Oid = 1083
	OidTimestamp   Oid = 1114
	OidTimestampTZ Oid = 1184
	OidInterval    Oid = 1186
	OidNumeric     Oid = 1700
	OidUUID        Oid = 2950
	OidJSON        Oid = 114
	OidRecord      Oid = 2249
	OidJSONB       Oid = 3802
	OidVoid        Oid = 2278

	// Vector types: one-dimensional arrays with lower bound 0 and a
	// space-separated text form (pg_index.indkey, pg_proc.proargtypes).
	OidInt2Vector Oid = 22
	OidOidVector  Oid = 30

	// OID alias types: an OID printed and read as an object's name.
	OidRegProc      Oid = 24
	OidRegProcedure Oid = 2202
	OidRegClass     Oid = 2205
	OidRegType      Oid = 2206
	OidRegNamespace Oid = 4089
	OidRegRole      Oid = 4096

	// Pseudo-types of polymorphic functions.
	OidAnyElement Oid = 2283
	OidAnyArray   Oid = 2277
	// OidAny is "any": an argument of any type, unrelated to the others
	// (json_build_object's VARIADIC "any").
	OidAny Oid = 2276
	// OidAnyEnum is anyenum: an argument of any enum type (like
	// anyelement, the same one for every anyenum argument).
	OidAnyEnum Oid = 3500
)

// T describes a SQL type: its OID and type modifier (-1 when none).
// For varchar(n) the modifier is n+4, for numeric(p,s) it is
// ((p<<16)|s)+4, as in PostgreSQL, so that it can be sent on the wire
// in RowDescription unchanged.
type T struct {
	Oid    Oid
	Typmod int32
}

// Predefined types without modifiers.
var (
	Unknown     = T{OidUnknown, -1}
	Bool        = T{OidBool, -1}
	Int2        = T{OidInt2, -1}
	Int4        = T{OidInt4, -1}
	Int8        = T{OidInt8, -1}
	Float4      = T{OidFloat4, -1}
	Float8      = T{OidFloat8, -1}
	Numeric     = T{OidNumeric, -1}
	Text        = T{OidText, -1}
	Varchar     = T{OidVarchar, -1}
	Name        = T{OidName, -1}
	Bytea       = T{OidBytea, -1}
	Date        = T{OidDate, -1}
	Timestamp   = T{OidTimestamp, -1}
	TimestampTZ = T{OidTimestampTZ, -1}
	Interval    = T{OidInterval, -1}
	UUID        = T{OidUUID, -1}
	JSON        = T{OidJSON, -1}
	JSONB       = T{OidJSONB, -1}
	// Record is an anonymous composite: a ROW(...) constructor or a
	// whole-row reference (its values are *DRecord).
	Record = T{OidRecord, -1}
	OidT   = T{OidOid, -1}
	Void   = T{OidVoid, -1}
	// AnyElement and AnyArray appear only in function signatures: an
	// argument of any type, and one of any array type (the element type
	// of every anyarray argument and the type of every anyelement
	// argument must agree).
	AnyElement = T{OidAnyElement, -1}
	AnyArray   = T{OidAnyArray, -1}
	// Any is the "any" pseudo-type (see OidAny).
	Any = T{OidAny, -1}
	// AnyEnum is anyenum (see OidAnyEnum).
	AnyEnum = T{OidAnyEnum, -1}
)

// VarcharN returns varchar(n).
func VarcharN(n int32) T { return T{OidVarchar, n + 4} }

// NumericPS returns numeric(p, s).
func NumericPS(p, s int32) T { return T{OidNumeric, ((p << 16) | (s & 0xffff)) + 4} }

// NumericPrecisionScale returns (p, s, true) for numeric(p,s), or false when
// the numeric is unconstrained.
func (t T) NumericPrecisionScale() (p, s int32, ok bool) {
	if t.Oid != OidNumeric || t.Typmod < 4 {
		return 0, 0, false
	}
	m := t.Typmod - 4
	s = int32(int16(m & 0xffff))
	return m >> 16, s, true
}

// VarcharLength returns (n, true) for varchar(n).
func (t T) VarcharLength() (int32, bool) {
	if (t.Oid != OidVarchar && t.Oid != OidBpchar) || t.Typmod < 4 {
		return 0, false
	}
	return t.Typmod - 4, true
}

// WithoutTypmod returns t with its modifier removed.
func (t T) WithoutTypmod() T { return T{t.Oid, -1} }

// Family groups types that share a representation and most operators.
type Family uint8

// Families.
const (
	UnknownFamily Family = iota
	BoolFamily
	IntFamily
	FloatFamily
	NumericFamily
	StringFamily
	BytesFamily
	DateFamily
	TimestampFamily
	TimestampTZFamily
	IntervalFamily
	UUIDFamily
	VoidFamily
	ArrayFamily
	JSONFamily
	JSONBFamily
	RecordFamily
	EnumFamily
)

// Family returns the family of t.
func (t T) Family() Family {
	switch t.Oid {
	case OidBool:
		return BoolFamily
	case OidInt2, OidInt4, OidInt8, OidOid, OidRegProc, OidRegProcedure, OidRegClass, OidRegType, OidRegNamespace, OidRegRole:
		return IntFamily
	case OidFloat4, OidFloat8:
		return FloatFamily
	case OidNumeric:
		return NumericFamily
	case OidText, OidVarchar, OidBpchar, OidName, OidChar, OidUnknown:
		return StringFamily
	case OidBytea:
		return BytesFamily
	case OidDate:
		return DateFamily
	case OidTimestamp:
		return TimestampFamily
	case OidTimestampTZ:
		return TimestampTZFamily
	case OidInterval:
		return IntervalFamily
	case OidUUID:
		return UUIDFamily
	case OidVoid:
		return VoidFamily
	case OidJSON:
		return JSONFamily
	case OidJSONB:
		return JSONBFamily
	case OidRecord:
		return RecordFamily
	}
	if t.IsArray() {
		return ArrayFamily
	}
	if t.IsEnum() {
		return EnumFamily
	}
	return UnknownFamily
}

// IsNumericCategory reports whether t is in PostgreSQL's numeric category.
func (t T) IsNumericCategory() bool {
	switch t.Family() {
	case IntFamily, FloatFamily, NumericFamily:
		return true
	}
	return false
}

// IsString reports whether t is a character string type (or unknown).
func (t T) IsString() bool { return t.Family() == StringFamily }

// Size returns the pg_type.typlen of t (-1 for variable length).
func (t T) Size() int16 {
	switch t.Oid {
	case OidBool, OidChar:
		return 1
	case OidInt2:
		return 2
	case OidInt4, OidFloat4, OidDate, OidOid, OidRegProc, OidRegProcedure, OidRegClass, OidRegType, OidRegNamespace, OidRegRole:
		return 4
	case OidInt8, OidFloat8, OidTimestamp, OidTimestampTZ:
		return 8
	case OidInterval, OidUUID:
		return 16
	case OidName:
		return 64
	case OidUnknown:
		return -2
	}
	if t.IsEnum() {
		return 4
	}
	return -1
}

// IntRange returns the inclusive value range of an integer type.
func (t T) IntRange() (lo, hi int64) {
	switch t.Oid {
	case OidInt2:
		return math.MinInt16, math.MaxInt16
	case OidInt4:
		return math.MinInt32, math.MaxInt32
	case OidOid, OidRegProc, OidRegProcedure, OidRegClass, OidRegType, OidRegNamespace, OidRegRole:
		return 0, math.MaxUint32
	}
	return math.MinInt64, math.MaxInt64
}

// typeInfo is the static description of a built-in type.
type typeInfo struct {
	name    string // pg_type.typname
	sqlName string // format_type() output without modifiers
}

var builtin = map[Oid]typeInfo{
	OidBool:        {"bool", "boolean"},
	OidBytea:       {"bytea", "bytea"},
	OidChar:        {"char", "\"char\""},
	OidName:        {"name", "name"},
	OidInt8:        {"int8", "bigint"},
	OidInt2:        {"int2", "smallint"},
	OidInt4:        {"int4", "integer"},
	OidText:        {"text", "text"},
	OidOid:         {"oid", "oid"},
	OidFloat4:      {"float4", "real"},
	OidFloat8:      {"float8", "double precision"},
	OidUnknown:     {"unknown", "unknown"},
	OidBpchar:      {"bpchar", "character"},
	OidVarchar:     {"varchar", "character varying"},
	OidDate:        {"date", "date"},
	OidTimestamp:   {"timestamp", "timestamp without time zone"},
	OidTimestampTZ: {"timestamptz", "timestamp with time zone"},
	OidInterval:    {"interval", "interval"},
	OidNumeric:     {"numeric", "numeric"},
	OidUUID:        {"uuid", "uuid"},
	OidVoid:        {"void", "void"},
	OidJSON:        {"json", "json"},
	OidJSONB:       {"jsonb", "jsonb"},
	OidRecord:      {"record", "record"},

	OidRegProc:      {"regproc", "regproc"},
	OidRegProcedure: {"regprocedure", "regprocedure"},
	OidRegClass:     {"regclass", "regclass"},
	OidRegType:      {"regtype", "regtype"},
	OidRegNamespace: {"regnamespace", "regnamespace"},
	OidRegRole:      {"regrole", "regrole"},
}

// IsRegType reports whether t is an OID alias type (regclass, ...).
func (t T) IsRegType() bool {
	switch t.Oid {
	case OidRegProc, OidRegProcedure, OidRegClass, OidRegType, OidRegNamespace, OidRegRole:
		return true
	}
	return false
}

// TypName returns pg_type.typname (e.g. "int4", "_int4").
func (t T) TypName() string {
	if ti, ok := builtin[t.Oid]; ok {
		return ti.name
	}
	if t.Oid&enumArrayBit != 0 && t.IsArray() {
		return "_" + t.Elem().TypName()
	}
	if e, ok := Enum(t.Oid); ok {
		return e.Name
	}
	if pt, ok := LookupPgType(t.Oid); ok {
		return pt.Name
	}
	return fmt.Sprintf("oid%d", t.Oid)
}

// String returns the SQL name as format_type() prints it, with modifiers
// (e.g. "character varying(10)", "numeric(10,2)", "integer[]").
func (t T) String() string {
	if t.IsVector() {
		return t.TypName()
	}
	if t.IsArray() {
		return t.Elem().String() + "[]"
	}
	ti, ok := builtin[t.Oid]
	if !ok {
		if pt, ok := LookupPgType(t.Oid); ok {
			return pt.Name
		}
		if e, ok := Enum(t.Oid); ok {
			return e.Name
		}
		return fmt.Sprintf("oid%d", t.Oid)
	}
	if n, ok := t.VarcharLength(); ok {
		return fmt.Sprintf("%s(%d)", ti.sqlName, n)
	}
	if p, s, ok := t.NumericPrecisionScale(); ok {
		return fmt.Sprintf("numeric(%d,%d)", p, s)
	}
	return ti.sqlName
}

// FromOid returns the type for a built-in OID (a supported scalar type
// or an array of one).
func FromOid(oid Oid) (T, bool) {
	if _, ok := Enum(oid); ok {
		return T{oid, -1}, true
	}
	if _, ok := builtin[oid]; !ok {
		if t := (T{oid, -1}); t.IsArray() {
			return t, true
		}
		return T{}, false
	}
	return T{oid, -1}, true
}

// IsVector reports whether t is int2vector or oidvector.
func (t T) IsVector() bool { return t.Oid == OidInt2Vector || t.Oid == OidOidVector }

// IsArray reports whether t is an array type whose element type Aegis
// supports (int2vector and oidvector included).
func (t T) IsArray() bool {
	if t.Oid&enumArrayBit != 0 {
		_, ok := Enum(t.Oid &^ enumArrayBit)
		return ok
	}
	pt, ok := LookupPgType(t.Oid)
	if !ok || pt.Category != 'A' || pt.Elem == 0 || pt.Len != -1 {
		return false
	}
	_, ok = builtin[pt.Elem]
	return ok && pt.Elem != OidUnknown && pt.Elem != OidVoid
}

// Elem returns the element type of an array type (keeping the type
// modifier: varchar(10)[] has varchar(10) elements, as in PostgreSQL);
// the zero T for other types.
func (t T) Elem() T {
	if t.Oid&enumArrayBit != 0 {
		return T{t.Oid &^ enumArrayBit, t.Typmod}
	}
	pt, ok := LookupPgType(t.Oid)
	if !ok || pt.Category != 'A' {
		return T{}
	}
	return T{pt.Elem, t.Typmod}
}

// ArrayOf returns the array type whose elements are of type t.
func ArrayOf(t T) (T, bool) {
	if t.IsEnum() {
		return T{t.Oid | enumArrayBit, t.Typmod}, true
	}
	pt, ok := LookupPgType(t.Oid)
	if !ok || pt.Array == 0 {
		return T{}, false
	}
	a := T{pt.Array, t.Typmod}
	return a, a.IsArray()
}

// IsPolymorphic reports whether t is a polymorphic pseudo-type.
func (t T) IsPolymorphic() bool {
	return t.Oid == OidAnyElement || t.Oid == OidAnyArray || t.Oid == OidAnyEnum
}

// aliases maps every name a user may write for a built-in type (as
// pg_query reports it: "pg_catalog.int4" arrives as "int4") to its OID.
var aliases = map[string]Oid{
	"bool": OidBool, "boolean": OidBool,
	"int2": OidInt2, "smallint": OidInt2,
	"int4": OidInt4, "int": OidInt4, "integer": OidInt4,
	"int8": OidInt8, "bigint": OidInt8,
	"float4": OidFloat4, "real": OidFloat4,
	"float8": OidFloat8, "double precision": OidFloat8, "float": OidFloat8,
	"numeric": OidNumeric, "decimal": OidNumeric,
	"text": OidText, "varchar": OidVarchar, "character varying": OidVarchar,
	"bpchar": OidBpchar, "char": OidBpchar, "character": OidBpchar,
	"name":      OidName,
	"bytea":     OidBytea,
	"date":      OidDate,
	"timestamp": OidTimestamp, "timestamp without time zone": OidTimestamp,
	"timestamptz": OidTimestampTZ, "timestamp with time zone": OidTimestampTZ,
	"interval": OidInterval,
	"uuid":     OidUUID,
	"oid":      OidOid,
	"unknown":  OidUnknown,
	"regproc":  OidRegProc, "regprocedure": OidRegProcedure, "regclass": OidRegClass, "regtype": OidRegType,
	"regnamespace": OidRegNamespace, "regrole": OidRegRole,
	"int2vector": OidInt2Vector, "oidvector": OidOidVector,
	"void": OidVoid,
	"json": OidJSON, "jsonb": OidJSONB,
}

// FromName resolves a type name (lower case, as the parser reports it)
// and its integer modifiers. ok is false when the name is unknown; err is
// set when the modifiers are invalid for the type. Array types are found
// by their pg_type names ("_int4").
func FromName(name string, mods []int32) (t T, ok bool, err error) {
	oid, ok := aliases[strings.ToLower(name)]
	if !ok {
		if strings.HasPrefix(name, "_") {
			if et, ok, err := FromName(name[1:], mods); ok {
				if err != nil {
					return T{}, true, err
				}
				if at, ok := ArrayOf(et); ok {
					return at, true, nil
				}
			}
		}
		return T{}, false, nil
	}
	t = T{oid, -1}
	switch oid {
	case OidVarchar, OidBpchar:
		if len(mods) > 1 {
			return T{}, true, fmt.Errorf("invalid type modifier")
		}
		if len(mods) == 1 {
			if mods[0] < 1 {
				return T{}, true, fmt.Errorf("length for type %s must be at least 1", t.TypName())
			}
			if mods[0] > 10485760 {
				return T{}, true, fmt.Errorf("length for type %s cannot exceed 10485760", t.TypName())
			}
			t.Typmod = mods[0] + 4
		} else if oid == OidBpchar {
			t.Typmod = 1 + 4
		}
	case OidNumeric:
		switch len(mods) {
		case 0:
		case 1, 2:
			p, s := mods[0], int32(0)
			if len(mods) == 2 {
				s = mods[1]
			}
			if p < 1 || p > 1000 {
				return T{}, true, fmt.Errorf("NUMERIC precision %d must be between 1 and 1000", p)
			}
			if s < -1000 || s > 1000 {
				return T{}, true, fmt.Errorf("NUMERIC scale %d must be between -1000 and 1000", s)
			}
			t = NumericPS(p, s)
		default:
			return T{}, true, fmt.Errorf("invalid NUMERIC type modifier")
		}
	case OidFloat8:
		// float(p): 1..24 is real, 25..53 double precision.
		if len(mods) == 1 {
			switch {
			case mods[0] < 1:
				return T{}, true, fmt.Errorf("precision for type float must be at least 1 bit")
			case mods[0] <= 24:
				t = Float4
			case mods[0] <= 53:
			default:
				return T{}, true, fmt.Errorf("precision for type float must be less than 54 bits")
			}
		}
	case OidTimestamp, OidTimestampTZ, OidInterval:
		if len(mods) == 1 {
			if mods[0] < 0 || mods[0] > 6 {
				return T{}, true, fmt.Errorf("%s(%d) precision must be between 0 and 6", t.TypName(), mods[0])
			}
			t.Typmod = mods[0]
		}
	}
	return t, true, nil
}

// DDate is a date as days since 1970-01-01.
type DDate int32

// Date infinities.
const (
	DateNegInfinity DDate = math.MinInt32
	DatePosInfinity DDate = math.MaxInt32
)

// DTimestamp is a timestamp in microseconds since 1970-01-01 00:00:00
// (UTC for timestamptz, the wall clock for timestamp).
type DTimestamp int64

// Timestamp infinities.
const (
	TimestampNegInfinity DTimestamp = math.MinInt64
	TimestampPosInfinity DTimestamp = math.MaxInt64
)

// DInterval is a PostgreSQL interval: months, days and microseconds are
// kept apart because their lengths vary.
type DInterval struct {
	Months int32
	Days   int32
	Micros int64
}

// DUUID is a 16-byte UUID.
type DUUID [16]byte

// DArray is an array value: its dimensions (none for an empty array) and
// its elements in row-major order (nil elements are NULL). Arrays are
// immutable once built.
type DArray struct {
	Dims  []ArrayDim
	Elems []Datum
}

// ArrayDim is one dimension of an array: its length and lower bound.
type ArrayDim struct {
	Len, Lower int32
}

// NewArray1 returns a one-dimensional array of elems (lower bound 1), or
// an empty array when elems is empty.
func NewArray1(elems []Datum) *DArray {
	if len(elems) == 0 {
		return &DArray{}
	}
	return &DArray{Dims: []ArrayDim{{Len: int32(len(elems)), Lower: 1}}, Elems: elems}
}

// MaxArrayDims is PostgreSQL's MAXDIM.
const MaxArrayDims = 6

// DRecord is a value of an anonymous composite type: its fields' names,
// types and values (nil for NULL fields).
type DRecord struct {
	Names []string
	Types []T
	Vals  []Datum
}

// Datum is a value of some SQL type in the representation documented in
// the package comment; nil is NULL.
type Datum = any
