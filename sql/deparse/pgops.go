package deparse

import "github.com/aegisdb/aegis/sql/types"

// What PostgreSQL 15's catalogs say about the operators and casts
// between the types Aegis supports, as far as the converter needs it to
// tell which implicit casts PostgreSQL's parser would have inserted
// (pg_operator and pg_cast; see the queries in the comments).

type oidPair struct{ l, r types.Oid }

var (
	comparisonOps = []string{"=", "<>", "<", "<=", ">", ">="}
	arithOps      = []string{"+", "-", "*", "/"}
	likeOps       = []string{"~~", "!~~", "~~*", "!~~*", "~", "!~", "~*", "!~*"}
)

// binaryOps maps an operator to the (left, right) argument types it has
// in pg_operator. Array types are handled apart (opExists).
var binaryOps = func() map[string]map[oidPair]bool {
	m := map[string]map[oidPair]bool{}
	add := func(ops []string, l, r types.Oid) {
		for _, op := range ops {
			if m[op] == nil {
				m[op] = map[oidPair]bool{}
			}
			m[op][oidPair{l, r}] = true
		}
	}
	const (
		i2, i4, i8    = types.OidInt2, types.OidInt4, types.OidInt8
		f4, f8, num   = types.OidFloat4, types.OidFloat8, types.OidNumeric
		date, ts, tz  = types.OidDate, types.OidTimestamp, types.OidTimestampTZ
		tm, iv        = types.OidTime, types.OidInterval
		text, bpchar  = types.OidText, types.OidBpchar
		name, bytea   = types.OidName, types.OidBytea
		boolean, uuid = types.OidBool, types.OidUUID
	)
	// Same-type btree comparisons. (varchar has none: it uses text's.)
	for _, t := range []types.Oid{boolean, i2, i4, i8, f4, f8, num, text, bpchar, name, bytea,
		date, tm, ts, tz, iv, uuid, types.OidOid, types.OidChar} {
		add(comparisonOps, t, t)
	}
	// Same-type arithmetic.
	for _, t := range []types.Oid{i2, i4, i8, f4, f8, num} {
		add(arithOps, t, t)
	}
	add([]string{"%"}, i2, i2)
	add([]string{"%"}, i4, i4)
	add([]string{"%"}, i8, i8)
	add([]string{"%"}, num, num)
	add([]string{"^"}, f8, f8)
	add([]string{"^"}, num, num)
	add([]string{"+", "-"}, iv, iv)
	add([]string{"||"}, text, text)
	add([]string{"||"}, bytea, bytea)
	// Pattern matching: text's, and the bpchar and name variants taking a
	// text pattern.
	for _, t := range []types.Oid{text, bpchar, name} {
		add(likeOps, t, text)
	}
	add([]string{"~~", "!~~"}, bytea, bytea)
	// Cross-type operators:
	//   SELECT oprname, oprleft::regtype, oprright::regtype FROM pg_operator
	//   WHERE oprleft <> oprright AND <both among Aegis's types>.
	ints := []types.Oid{i2, i4, i8}
	for _, l := range ints {
		for _, r := range ints {
			if l != r {
				add(comparisonOps, l, r)
				add(arithOps, l, r)
			}
		}
	}
	add(comparisonOps, f4, f8)
	add(comparisonOps, f8, f4)
	add(arithOps, f4, f8)
	add(arithOps, f8, f4)
	times := []types.Oid{date, ts, tz}
	for _, l := range times {
		for _, r := range times {
			if l != r {
				add(comparisonOps, l, r)
			}
		}
	}
	add(comparisonOps, name, text)
	add(comparisonOps, text, name)
	add([]string{"+", "-"}, date, i4)
	add([]string{"+"}, i4, date)
	add([]string{"-"}, date, date)
	add([]string{"+", "-"}, date, iv)
	add([]string{"+"}, iv, date)
	add([]string{"+"}, date, tm)
	add([]string{"+"}, tm, date)
	add([]string{"+", "-"}, tm, iv)
	add([]string{"+"}, iv, tm)
	add([]string{"-"}, tm, tm)
	for _, t := range []types.Oid{ts, tz} {
		add([]string{"+", "-"}, t, iv)
		add([]string{"+"}, iv, t)
		add([]string{"-"}, t, t)
	}
	add([]string{"*"}, iv, f8)
	add([]string{"*"}, f8, iv)
	add([]string{"/"}, iv, f8)
	return m
}()

// prefixOps lists the types with a prefix - and + operator.
var prefixOps = map[types.Oid]bool{
	types.OidInt2: true, types.OidInt4: true, types.OidInt8: true, types.OidFloat4: true,
	types.OidFloat8: true, types.OidNumeric: true, types.OidInterval: true,
}

// opExists reports whether PostgreSQL has the binary operator op taking
// exactly types l and r.
func opExists(op string, l, r types.T) bool {
	if l.IsArray() || r.IsArray() {
		// The anyarray comparisons take two arrays of the same type.
		return l.Oid == r.Oid && isComparison(op)
	}
	return binaryOps[op][oidPair{l.Oid, r.Oid}]
}

func isComparison(op string) bool {
	for _, c := range comparisonOps {
		if c == op {
			return true
		}
	}
	return false
}

func isLike(op string) bool {
	for _, c := range likeOps {
		if c == op {
			return true
		}
	}
	return false
}

// castMethods is pg_cast's castmethod for the casts between Aegis's
// types that are not I/O conversions: 'f' (a function; ruleutils prints
// a FuncExpr) or 'b' (binary-coercible; a RelabelType).
//
//	SELECT castsource::regtype, casttarget::regtype, castmethod FROM pg_cast ...
var castMethods = func() map[oidPair]byte {
	m := map[oidPair]byte{}
	const (
		i2, i4, i8  = types.OidInt2, types.OidInt4, types.OidInt8
		f4, f8, num = types.OidFloat4, types.OidFloat8, types.OidNumeric
	)
	nums := []types.Oid{i2, i4, i8, f4, f8, num}
	for _, l := range nums {
		for _, r := range nums {
			m[oidPair{l, r}] = 'f'
		}
	}
	f := func(l, r types.Oid) { m[oidPair{l, r}] = 'f' }
	b := func(l, r types.Oid) { m[oidPair{l, r}] = 'b' }
	f(types.OidChar, types.OidBpchar)
	f(types.OidChar, types.OidVarchar)
	f(types.OidChar, types.OidText)
	f(types.OidChar, i4)
	f(i4, types.OidChar)
	f(i8, types.OidOid)
	f(i2, types.OidOid)
	b(i4, types.OidOid)
	b(types.OidOid, i4)
	f(types.OidOid, i8)
	f(types.OidBool, types.OidBpchar)
	f(types.OidBool, types.OidVarchar)
	f(types.OidBool, types.OidText)
	f(types.OidBool, i4)
	f(i4, types.OidBool)
	f(types.OidBpchar, types.OidChar)
	f(types.OidBpchar, types.OidBpchar)
	f(types.OidBpchar, types.OidVarchar)
	f(types.OidBpchar, types.OidName)
	f(types.OidBpchar, types.OidText)
	f(types.OidVarchar, types.OidChar)
	b(types.OidVarchar, types.OidBpchar)
	f(types.OidVarchar, types.OidVarchar)
	f(types.OidVarchar, types.OidName)
	b(types.OidVarchar, types.OidText)
	f(types.OidVarchar, regclassOid)
	f(types.OidText, types.OidChar)
	b(types.OidText, types.OidBpchar)
	b(types.OidText, types.OidVarchar)
	f(types.OidText, types.OidName)
	f(types.OidText, regclassOid)
	f(types.OidName, types.OidBpchar)
	f(types.OidName, types.OidVarchar)
	f(types.OidName, types.OidText)
	f(types.OidDate, types.OidTimestamp)
	f(types.OidDate, types.OidTimestampTZ)
	for _, l := range []types.Oid{types.OidTimestamp, types.OidTimestampTZ} {
		f(l, types.OidDate)
		f(l, types.OidTime)
		f(l, types.OidTimestamp)
		f(l, types.OidTimestampTZ)
	}
	f(types.OidInterval, types.OidInterval)
	f(types.OidInterval, types.OidTime)
	f(types.OidTime, types.OidInterval)
	f(types.OidTime, types.OidTime)
	return m
}()

// coercionKind returns the node PostgreSQL builds to cast from to to
// (their modifiers aside).
func coercionKind(from, to types.T) coerceKind {
	if to.IsArray() || from.IsArray() {
		return coerceArray
	}
	switch castMethods[oidPair{from.Oid, to.Oid}] {
	case 'f':
		return coerceFunc
	case 'b':
		return coerceRelabel
	}
	return coerceIO
}

// hasLengthCoercion reports whether type modifiers of t are applied by a
// length-coercion function (varchar(n), numeric(p,s), timestamp(p), ...):
// PostgreSQL then casts to the modified type with a FuncExpr.
func hasLengthCoercion(t types.T) bool {
	switch t.Oid {
	case types.OidVarchar, types.OidBpchar, types.OidNumeric, types.OidTimestamp,
		types.OidTimestampTZ, types.OidInterval, types.OidTime:
		return true
	}
	return false
}

// numericRank and timeRank order the numeric and date/time categories
// the way PostgreSQL's implicit casts promote within them (0: not in the
// category); select_common_type picks the highest.
func numericRank(t types.T) int {
	switch t.Oid {
	case types.OidInt2:
		return 1
	case types.OidInt4:
		return 2
	case types.OidInt8:
		return 3
	case types.OidNumeric:
		return 4
	case types.OidFloat4:
		return 5
	case types.OidFloat8:
		return 6
	}
	return 0
}

func timeRank(t types.T) int {
	switch t.Oid {
	case types.OidDate:
		return 1
	case types.OidTimestamp:
		return 2
	case types.OidTimestampTZ:
		return 3
	}
	return 0
}
