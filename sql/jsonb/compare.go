package jsonb

import "strings"

// Compare orders jsonb values as PostgreSQL's btree opclass does
// (compareJsonbContainers; see "jsonb Indexing" in the manual, 8.14.4):
//
//	Object > Array > Boolean > Number > String > Null
//
// Objects with more pairs sort after objects with fewer; objects with as
// many pairs compare key 1, value 1, key 2, ... in storage order. Arrays
// with more elements sort after arrays with fewer; equal-length arrays
// compare element by element. Numbers compare by value (1.0 = 1), strings
// and keys bytewise (PostgreSQL uses the database collation; this is the C
// collation), false < true.
//
// A top-level scalar is stored as a one-element "raw scalar" array, and
// PostgreSQL compares it as such against a top-level array: it sorts
// before a one-element array, but by element count against others (so
// '1' > '[]' and '1' < '[1, 2]'). Compare reproduces this.
//
// a and b must be normalized (jsonb) values.
func Compare(a, b Value) int {
	aRaw, bRaw := a.IsScalar(), b.IsScalar()
	if aRaw || bRaw {
		// Compare the pseudo arrays' headers when both are arrays.
		if (aRaw || a.kind == KindArray) && (bRaw || b.kind == KindArray) {
			if aRaw && bRaw {
				return compareNode(a, b)
			}
			na, nb := 1, 1
			if !aRaw {
				na = len(a.elems)
			}
			if !bRaw {
				nb = len(b.elems)
			}
			if na != nb {
				return sign(na - nb)
			}
			if aRaw {
				return -1
			}
			return 1
		}
	}
	return compareNode(a, b)
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

func compareNode(a, b Value) int {
	if a.kind != b.kind {
		return sign(int(a.kind) - int(b.kind))
	}
	switch a.kind {
	case KindNull:
		return 0
	case KindString:
		return strings.Compare(a.s, b.s)
	case KindNumber:
		return compareNumbers(a.n, b.n)
	case KindBool:
		switch {
		case a.b == b.b:
			return 0
		case b.b:
			return -1
		}
		return 1
	case KindArray:
		if len(a.elems) != len(b.elems) {
			return sign(len(a.elems) - len(b.elems))
		}
		for i := range a.elems {
			if c := compareNode(a.elems[i], b.elems[i]); c != 0 {
				return c
			}
		}
		return 0
	case KindObject:
		if len(a.pairs) != len(b.pairs) {
			return sign(len(a.pairs) - len(b.pairs))
		}
		for i := range a.pairs {
			if c := strings.Compare(a.pairs[i].Key, b.pairs[i].Key); c != 0 {
				return c
			}
			if c := compareNode(a.pairs[i].Value, b.pairs[i].Value); c != 0 {
				return c
			}
		}
		return 0
	}
	return 0
}

// Equal reports whether a and b are equal jsonb values (jsonb_eq):
// numbers by value, everything else exactly.
func Equal(a, b Value) bool { return Compare(a, b) == 0 }

// scalarEqual is equalsJsonbScalarValue: scalars of the same kind and
// value.
func scalarEqual(a, b Value) bool {
	return a.kind == b.kind && a.IsScalar() && compareNode(a, b) == 0
}
