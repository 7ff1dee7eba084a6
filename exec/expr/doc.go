// Package expr compiles typed plan expressions once per statement into
// evaluators that compute a whole Arrow column per batch.
//
// Each plan node becomes an Evaluator; function calls resolve their
// kernel at compile time (a typed fast path over the Arrow buffers for
// the hot integer and float operators, the overload's scalar function in
// a per-row loop otherwise). CASE and COALESCE evaluate their branches
// only on the rows that reach them, so a guarded division by zero does
// not fire.
package expr
