// Package typio implements PostgreSQL 15's per-type input and output
// functions for Aegis's built-in types: the text form (typinput /
// typoutput), the binary wire form (typreceive / typsend), type-modifier
// coercion (numeric(p,s), varchar(n), bpchar(n), timestamp(p),
// interval(p)), casts between built-in types, and the total order used
// for sorting and comparison.
//
// The model: a value is a types.Datum in the representation documented
// in package types (int64 for every integer type, float64 for both float
// types, *apd.Decimal for numeric, string for character types, and so
// on). Every function here takes the types.T that describes the Datum;
// the Datum itself carries no type. Functions never panic on bad input:
// malformed text or binary input, out-of-range values and impossible
// casts return a *pgerror.Error with PostgreSQL's SQLSTATE and message
// wording, so that clients see exactly what PostgreSQL would send.
//
// Numeric values are kept with a non-positive exponent: the number of
// fractional digits PostgreSQL calls the display scale (dscale) is
// -Exponent, so 1.50 is stored as coefficient 150, exponent -2 and
// printed as "1.50". Functions in this package always produce decimals in
// that form and accept decimals with a positive exponent too.
//
// Settings carries the session parameters that change I/O (TimeZone,
// DateStyle, IntervalStyle, extra_float_digits). Output is always in the
// ISO DateStyle; the MDY/DMY/YMD part of DateStyle steers the input of
// ambiguous dates. All four IntervalStyle values are supported for
// output; input accepts every style.
package typio
