// Package arith implements PostgreSQL 15's arithmetic operators on Aegis
// Datums: integer, float and numeric arithmetic with PostgreSQL's overflow
// checks and result scales, and date/timestamp/interval arithmetic.
//
// The functions are scalar and allocation-light so that the vectorized
// executor can call them per value; numeric results allocate a new
// *apd.Decimal. Operands are in the representation documented in package
// types (int64 for every integer width, checked against the range of the
// declared type; float64 for both float widths; *apd.Decimal with
// exponent -dscale for numeric). Every failure is a *pgerror.Error with
// PostgreSQL's SQLSTATE and message, e.g. "integer out of range" (22003),
// "division by zero" (22012), "value out of range: overflow" (22003),
// "timestamp out of range" (22008) and "interval out of range" (22008).
//
// Numeric result scales follow numeric.c: addition and subtraction keep
// the larger operand scale, multiplication the sum of scales, division
// uses select_div_scale (at least 16 significant digits) and rounds half
// away from zero. NaN and ±Infinity follow PostgreSQL 14+ rules.
//
// Date/time arithmetic follows timestamp.c: months are added on the
// calendar (clamping the day to the month's end), days on the calendar
// (in the session time zone for timestamptz, so a day is not always 24
// hours), then microseconds.
package arith
