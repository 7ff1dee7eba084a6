// Package logictest runs sqllogictest scripts against a server that speaks
// the PostgreSQL wire protocol: Aegis itself, or a real PostgreSQL for
// differential testing.
//
// The script format is the one of SQLite's sqllogictest (see the corpus
// README under shared/testdata/sqllogictest), with a few conveniences for
// hand-written files:
//
//	# comment
//	skipif mysql            # conditions apply to the record that follows
//	onlyif postgresql
//	statement ok
//	CREATE TABLE t (a INT PRIMARY KEY, b TEXT)
//
//	statement error pgcode 23505 duplicate key
//	INSERT INTO t VALUES (1, 'x'), (1, 'y')
//
//	statement count 2
//	INSERT INTO t VALUES (1, 'x'), (2, 'y')
//
//	query IT rowsort
//	SELECT a, b FROM t
//	----
//	1 x
//	2 y
//
//	hash-threshold 8
//	halt
//
// "statement error" takes an optional "pgcode XXXXX" (the SQLSTATE) and an
// optional regular expression matched against the error message (or
// against "ERROR: message (SQLSTATE xxxxx)", so a bare SQLSTATE works too);
// "query error" is accepted as a synonym. A query's type string has one letter
// per column: I (integer), R (floating point, printed with %.3f) or T
// (text). Values are rendered as in sqllogictest: NULL as "NULL", the empty
// string as "(empty)", I values truncated toward zero, booleans as 1/0 in I
// columns, and every byte outside 0x20..0x7E of a T value replaced by '@'.
// Expected values may be written one per line (as the corpus does) or a
// row per line separated by blanks; the comparison is on the flattened list
// of values (or of blank-separated words when the one-value-per-line
// comparison does not match). rowsort and valuesort sort on the client with
// byte-wise comparison, and results may be given as "N values hashing to
// <md5>", where the md5 is over every value followed by "\n".
//
// Statements are sent with the simple query protocol, so the server's text
// output is what gets compared.
package logictest
