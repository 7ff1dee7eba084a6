// Package deparse renders bound expressions (plan.Expr) as PostgreSQL 15
// prints its stored ones: the text of pg_get_expr(adbin, adrelid, true)
// for column defaults and of pg_get_constraintdef(oid, true) for CHECK
// constraints, which psql's \d and ORMs (SQLAlchemy, Prisma, ...) read
// and parse, and with Config.Plain the text of the same functions
// without the pretty argument, which pg_dump and
// information_schema.check_constraints use. The aim is byte-for-byte
// equality for the expressions that appear in defaults and constraints.
//
// # Use
//
//	text := deparse.Default(boundDefault, column.Type)    // pg_attrdef; "" for DEFAULT NULL
//	text := deparse.Check(boundCheck, columnName)          // "CHECK (a > 0)"
//	text := deparse.PlainCheck(boundCheck, columnName)     // "CHECK ((a > 0))", pg_get_constraintdef(oid)
//	text := deparse.Expr(e, columnName)                    // any expression
//	text := deparse.Config{Plain: true}.Default(e, t)      // pg_get_expr(adbin, adrelid)
//
// The expressions must come straight from the binder (bind.DefaultExpr,
// the Checks of an insert plan): see "Recovering the SQL" below.
// Config adds the session settings constants are printed with
// (timestamptz in the session's TimeZone, as PostgreSQL does for the
// session reading the catalog). Rendering never fails; expressions that
// cannot occur in a default or constraint (subqueries, aggregates) print
// as their plan String.
//
// # Model
//
// Rendering has two steps.
//
//  1. The converter (convert.go, rewrites.go) builds, from the plan.Expr,
//     the tree PostgreSQL's parser would have built for the same SQL
//     (node.go mirrors the primnodes.h nodes ruleutils prints: OpExpr,
//     FuncExpr, RelabelType, ScalarArrayOpExpr, ...).
//  2. The printer (print.go) is a port of ruleutils.c's get_rule_expr for
//     the pretty flags both functions use: operators parenthesized only
//     where precedence needs it (isSimpleNode), implicit casts shown only
//     where ruleutils shows them (operator and function arguments, CASE
//     results), CASE laid out one arm per line, constants labeled with
//     their type unless they read back as it (get_const_expr). In plain
//     mode (no PRETTYFLAG_PAREN) isSimpleNode is not consulted: every
//     operator, AND/OR/NOT, NULL and boolean test, IS DISTINCT FROM and
//     ANY/ALL is parenthesized, and so is a cast's argument
//     ((a)::text, (0)::numeric); the rest, the CASE layout included, is
//     the same. The plain text shows the tree's shape where the pretty
//     one hides it: an AND under an AND prints as a >= 0 AND a <= 9 AND
//     a <> 5 in pretty mode but (((a >= 0) AND (a <= 9)) AND (a <> 5))
//     in plain mode, so the converter keeps the nesting PostgreSQL's
//     parser builds (which flattens a AND b AND c, but not
//     a BETWEEN lo AND hi AND c or a OR (b OR c)).
//
// Keeping the guessing in step 1 keeps step 2 a faithful, testable port.
//
// # Recovering the SQL
//
// The binder's tree differs from PostgreSQL's in two ways, which the
// converter undoes:
//
//   - The binder rewrites constructs into simpler nodes: x IN (...) into
//     OR chains, NOT IN into AND chains, x NOT BETWEEN into NOT over
//     >= AND <=, NULLIF, GREATEST/LEAST and IS [NOT] DISTINCT FROM into
//     CASE, IS [NOT] TRUE/FALSE into NULL tests, simple CASE into
//     searched CASE, SQL-standard keywords (CURRENT_DATE, ...) into
//     function calls. The converter recognizes each expansion by the
//     nodes its parts share: the binder binds the x of x IN (1, 2) once
//     and uses that node in both comparisons, while x = 1 OR x = 2
//     written out binds x twice. This is why the input must be the
//     binder's own tree: a rewrite that copies nodes makes the
//     constructs print expanded (as valid SQL with the same meaning).
//   - The binder resolves operators with fewer overloads than PostgreSQL
//     (no int4 = int8, float4 < float8, date < timestamptz, and it has
//     varchar operators where PostgreSQL compares varchar as text), so
//     its implicit casts differ. The converter redoes PostgreSQL's
//     resolution for the common cases from a copy of the relevant
//     pg_operator and pg_cast rows (pgops.go), and types a string
//     literal from the other operand as PostgreSQL's unknown-type
//     literals are.
//
// Some spellings bind to identical trees, so one of them is printed (the
// more common one): CURRENT_TIMESTAMP and now() print as now();
// ARRAY[]::t[] and '{}'::t[] as '{}'::t[]; x IS [NOT] UNKNOWN as
// x IS [NOT] NULL; trim(x) and btrim(x) as TRIM(BOTH FROM x); a literal
// cast to exactly the modified type of the column it is the default of
// ('ab'::varchar(10) for a varchar(10)) as the plain literal; an
// explicit ::text on a non-string operand of || or concat is dropped, as
// the binder adds the same cast itself; substring(x from i for n)
// prints as "substring"(x, i, n); NOT (x BETWEEN lo AND hi) as
// x NOT BETWEEN lo AND hi (x < lo OR x > hi); DEFAULT NULL::bigint on an
// integer column is no default. Where the binder resolves a type differently
// (COALESCE(varchar, text) is text; in PostgreSQL it is varchar) the
// casts printed differ. The tests list each such case next to
// PostgreSQL's text.
//
// The tests check every case, in both modes, against a real PostgreSQL
// 15 when one is available (TestDeparseMatchesPostgres), including
// PostgreSQL's own output (pretty and plain) loaded back, as a pg_dump
// restore does.
package deparse
