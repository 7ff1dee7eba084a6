// Package types is Aegis's SQL type system: the type descriptor T (a
// PostgreSQL type OID plus a type modifier), the Go representation of a
// value of each type (a Datum), and the mapping of SQL types onto Arrow
// types used by the vectorized executor.
//
// Datum representation (nil is SQL NULL):
//
//	bool                 bool
//	int2, int4, int8     int64
//	float4, float8       float64
//	numeric              *apd.Decimal (NaN and ±Infinity use apd's forms)
//	text, varchar, name,
//	unknown              string
//	bytea                []byte
//	date                 DDate (days since 1970-01-01; ±infinity are the extremes)
//	timestamp            DTimestamp (µs since 1970-01-01 00:00, wall clock)
//	timestamptz          DTimestamp (µs since 1970-01-01 00:00 UTC)
//	interval             DInterval
//	uuid                 DUUID
//	json                 string (the text as given, validated)
//	jsonb                jsonb.Value (normalized)
//	record               *DRecord
//	oid                  int64
//	arrays (int4[], ...) *DArray
//
// Text and binary input/output live in sql/typio; this package has no
// dependency on the session's settings.
package types

//go:generate go run ./gen
