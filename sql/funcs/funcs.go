package funcs

import (
	"context"

	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
	"github.com/aegisdb/aegis/sql/vtable"
)

// Volatility is PostgreSQL's provolatile.
type Volatility byte

// Volatilities.
const (
	Immutable Volatility = 'i'
	Stable    Volatility = 's'
	Volatile  Volatility = 'v'
)

// Env is what a function may read of the session at run time.
type Env interface {
	Settings() *typio.Settings
	CurrentDatabase() string
	CurrentUser() string
	// TxnTimestamp is now() for the current transaction.
	TxnTimestamp() types.DTimestamp
	Context() context.Context
	// NextVal, CurrVal, SetVal and LastVal implement the sequence
	// functions (name as the user wrote it, e.g. 'public.t_id_seq').
	NextVal(name string) (int64, error)
	CurrVal(name string) (int64, error)
	SetVal(name string, v int64, called bool) (int64, error)
	LastVal() (int64, error)
	// RelationSize is the byte size of a relation's stored data (the sum
	// of its keys and values): what is "table" (rows), "indexes"
	// (secondary indexes), "total" (both) or "relation" (the relation
	// itself: a table's rows or an index's entries). ok is false for an
	// unknown OID.
	RelationSize(oid int64, what string) (size int64, ok bool, err error)
	// DatabaseSize is the byte size of a database's tables and indexes.
	DatabaseSize(name string) (size int64, ok bool, err error)
	// BackendPID is pg_backend_pid(); SignalBackend cancels the running
	// statement of a backend, or with terminate closes its connection
	// (false: no such backend).
	BackendPID() int64
	// Notify is pg_notify: a NOTIFY sent when the transaction commits.
	Notify(channel, payload string) error
	SignalBackend(pid int64, terminate bool) (bool, error)
	// SequenceState is a sequence's row (SELECT ... FROM seq): its last
	// value and whether it was called.
	SequenceState(name string) (last int64, called bool, err error)
	// RelationVisible reports whether a relation (by OID) is in a schema
	// of the search path (pg_table_is_visible).
	RelationVisible(oid int64) bool
	// Setting is current_setting(name): the value SHOW prints; ok is
	// false when the setting does not exist (an error unless missingOK).
	Setting(name string, missingOK bool) (value string, ok bool, err error)
	// SetConfig is set_config(name, value, is_local): it changes the
	// setting and returns its new value.
	SetConfig(name, value string, local bool) (string, error)
	// Catalog returns the catalog as the current transaction sees it, for
	// the catalog information functions (nil outside a transaction).
	Catalog() *vtable.Context
}

// Fn is a scalar implementation. Strict functions never see NULL
// arguments (the kernel returns NULL for them).
type Fn func(env Env, args []types.Datum) (types.Datum, error)

// Overload is one signature of a function or operator.
type Overload struct {
	Name       string
	Args       []types.T
	Variadic   bool // the last Arg repeats
	Ret        types.T
	Volatility Volatility
	// NonStrict overloads are called with NULL arguments too.
	NonStrict bool
	Fn        Fn
	// Op is the operator symbol for operator overloads ("" otherwise).
	Op string
	// Poly, for overloads with polymorphic Args or Ret (types.AnyArray,
	// types.AnyElement), returns the implementation for the concrete
	// types the binder resolved them to (see Instantiate).
	Poly func(args []types.T, ret types.T) Fn
	// Generic is the polymorphic overload this one was instantiated from
	// (nil for others).
	Generic *Overload
	// SRF, set for set-returning functions, starts a call (Fn is unused);
	// PolySRF is its polymorphic form (see Poly).
	SRF     SRFStart
	PolySRF func(args []types.T, ret types.T) SRFStart
	// Fields are the field names of the record a row constructor
	// builds (see RowConstructor).
	Fields []string
	// OutCols, for set-returning functions that return rows (OUT
	// parameters, e.g. jsonb_each's key and value), are the columns: each
	// produced value is a *types.DRecord of them, which a FROM item
	// spreads into columns and a select list shows as a record.
	OutCols []OutCol
	// PolyOutCols gives a polymorphic row-returning function's columns
	// for its concrete argument types (see Instantiate).
	PolyOutCols func(args []types.T) []OutCol
	// ColumnsFor, for functions returning "record" whose columns the
	// query declares (AS t(a int, b text)), returns the overload for
	// those columns.
	ColumnsFor func(cols []OutCol) *Overload
	// OutName is the name of a set-returning function's output column
	// when PostgreSQL declares one (an OUT parameter, e.g. "value");
	// otherwise the column is named after the function or its alias.
	OutName string
	// AnyText says whether text arguments also take values of other
	// types through their output functions (PostgreSQL's "any" and
	// anynonarray arguments of concat and ||).
	AnyText AnyTextMode
}

// AnyTextMode is Overload.AnyText.
type AnyTextMode uint8

// AnyText modes.
const (
	// NoAnyText: text arguments take text (and implicit casts).
	NoAnyText AnyTextMode = iota
	// AnyTextAll: every text argument takes any non-array value
	// (concat's "any").
	AnyTextAll
	// AnyTextCat: a text argument takes any non-array value when
	// another argument is text (text || anynonarray).
	AnyTextCat
)

// AggKind names a built-in aggregate.
type AggKind string

// Aggregate is one signature of an aggregate function.
type Aggregate struct {
	Name AggKind
	Arg  types.T // Unknown for count(*)
	Ret  types.T
	// KeepNulls aggregates see NULL inputs (array_agg); the others skip
	// them.
	KeepNulls bool
}

// OutCol is a column of a row-returning function (Overload.OutCols).
type OutCol struct {
	Name string
	T    types.T
}
