// Package jsonb implements the values of PostgreSQL 15's json and jsonb
// types: text input with PostgreSQL's exact error reports, text and binary
// output, the jsonb btree order, and the jsonb operators and functions.
//
// The model is a [Value]: an immutable tree of null, boolean, number
// (*apd.Decimal with numeric's display scale), string, array and object
// nodes. A jsonb Value is normalized: object keys are unique (on input the
// last duplicate wins) and sorted in jsonb storage order (shorter keys
// first, then bytewise), numbers carry no exponent (1e3 is 1000, scale 0)
// and no negative zero. Everything in this package that returns a Value
// returns a normalized one, except [ParseJSON], whose objects keep the
// input's key order and duplicates as the json type's functions see them;
// [Normalize] turns such a value into jsonb (the json -> jsonb cast).
//
// Values share structure: the slices returned by [Value.Elems] and
// [Value.Pairs] belong to the Value and must not be modified.
//
// SQL NULL is not a Value. Functions whose SQL result may be NULL return
// (Value, bool) with false meaning NULL; SQL text[] arguments are []*string
// with nil elements for NULLs. Errors are *pgerror.Error values with the
// SQLSTATE, message, detail and hint that PostgreSQL reports; syntax
// errors also carry PostgreSQL's CONTEXT line ("JSON data, line 1: ...")
// in the Where field.
//
// The package has no SQL dependencies beyond pgerror: a type system wires
// ParseJSONB/String/Send/Recv into the jsonb type's I/O, and a function
// registry wraps the operators, which follow the PostgreSQL function names
// in the comments (jsonb_object_field for ->, jsonb_contains for @>, ...).
//
// Not covered: jsonpath, json (non-b) processing functions other than
// parsing, and string collations (keys and strings compare bytewise, as
// under the C collation).
package jsonb
