// Package pgerror carries PostgreSQL-style errors: a SQLSTATE code, the
// message in PostgreSQL's wording, and the optional detail, hint, position
// and schema/table/column/constraint fields that ErrorResponse sends.
//
// Every error a client can see passes through this package: an error
// without a code is reported as XX000 (internal_error). The codes are
// generated from PostgreSQL's own errcodes.txt (go generate).
package pgerror

//go:generate go run ./gen
