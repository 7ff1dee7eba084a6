// Package bind turns pg_query's AST into a typed logical plan (sql/plan):
// names are resolved against the catalog, expressions typed with
// PostgreSQL's operator and coercion rules, parameters ($n) typed from
// context, functions and aggregates resolved from the registry.
//
// One file per statement kind (select.go, insert.go, ...); expressions in
// expr.go, type resolution in coerce.go. pg_query is read directly: there
// is no intermediate AST.
package bind
