package deparse

import (
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// Config says how to render expressions. The zero value is valid.
type Config struct {
	// ColName names column i of the row that ColRefs index (the table's
	// columns, for defaults and CHECK constraints). Nil uses ColRef.Name.
	ColName func(i int) string
	// QuotedColNames says ColName returns printable text (already
	// quoted, possibly qualified: t.col), not a bare column name.
	QuotedColNames bool
	// Settings are the session settings that constants are printed with,
	// as PostgreSQL prints them with the reading session's: TimeZone for
	// timestamptz, IntervalStyle, extra_float_digits. Nil means
	// PostgreSQL's defaults in UTC.
	Settings *typio.Settings
	// Plain renders as PostgreSQL does without the pretty argument:
	// pg_get_expr(adbin, adrelid) and pg_get_constraintdef(oid), the
	// forms pg_dump and information_schema.check_constraints use. Every
	// operator, AND/OR/NOT, IS [NOT] NULL, IS [NOT] TRUE/..., IS
	// DISTINCT FROM and x op ANY/ALL (y) is then parenthesized, and so is
	// the argument of every cast: CHECK (((a > 0) AND (b < 10))),
	// CHECK ((d > (0)::numeric)). The zero value is pretty mode, as with
	// pretty = true.
	Plain bool
}

// Expr renders e as pg_get_expr(expr, relid, true) renders PostgreSQL's
// form of the same expression (pg_get_expr(expr, relid) if c.Plain).
func (c Config) Expr(e plan.Expr) string {
	return c.print(c.converter().conv(e))
}

// Default renders the bound DEFAULT expression e of a column of type
// col (e already coerced to col, as bind's DefaultExpr returns it) as
// pg_get_expr(adbin, adrelid, true) does (pg_get_expr(adbin, adrelid) if
// c.Plain).
//
// It returns "" when PostgreSQL records no default: for DEFAULT NULL
// (PostgreSQL drops a default that is a bare NULL constant, as it means
// the same as none; NULL assigned to a type with a modifier, like
// varchar(10), keeps its length coercion and is recorded).
func (c Config) Default(e plan.Expr, col types.T) string {
	conv := c.converter()
	n := conv.conv(e)
	if k, ok := e.(*plan.Const); ok {
		// A literal assigned to a column with a type modifier was cast to
		// it implicitly, unless the user cast it to that very type.
		n = conv.constant(k, k.T == col)
	}
	if k, ok := n.(*constNode); ok && k.val == nil && k.text == "" {
		return ""
	}
	return c.print(n)
}

// Check renders a bound CHECK constraint expression e (over the table's
// columns) as pg_get_constraintdef(oid, true) does (pg_get_constraintdef(
// oid) if c.Plain): CHECK (expr), with the expression as pg_get_expr
// prints it. PostgreSQL never adds or drops the parentheses around it;
// in pretty mode the expression carries its own only where it needs them
// (CHECK ((a + b) > 0)), in plain mode always (CHECK (((a + b) > 0))).
func (c Config) Check(e plan.Expr) string {
	return "CHECK (" + c.Expr(e) + ")"
}

func (c Config) converter() *converter {
	cv := &converter{colName: c.ColName, quoted: c.QuotedColNames}
	if c.Settings != nil {
		cv.names = c.Settings.Names
	}
	return cv
}

func (c Config) print(n node) string {
	p := &printer{settings: c.Settings, plain: c.Plain}
	if p.settings == nil {
		p.settings = typio.DefaultSettings()
	}
	p.expr(n, false)
	return string(p.buf)
}

// Expr renders e as PostgreSQL's pg_get_expr(expr, relid, true) would;
// colName(i) names column i of the row that ColRefs index (nil: their
// Name). See Config for the session settings constants print with.
func Expr(e plan.Expr, colName func(i int) string) string {
	return Config{ColName: colName}.Expr(e)
}

// Default renders the bound DEFAULT expression of a column of type col
// as pg_get_expr(adbin, adrelid, true) does (see Config.Default).
func Default(e plan.Expr, col types.T) string {
	return Config{}.Default(e, col)
}

// Check renders a bound CHECK constraint as pg_get_constraintdef(oid,
// true) does (see Config.Check).
func Check(e plan.Expr, colName func(i int) string) string {
	return Config{ColName: colName}.Check(e)
}

// PlainCheck renders a bound CHECK constraint as pg_get_constraintdef(oid)
// (without pretty) does, as pg_dump and
// information_schema.check_constraints show it (see Config.Plain).
func PlainCheck(e plan.Expr, colName func(i int) string) string {
	return Config{ColName: colName, Plain: true}.Check(e)
}
