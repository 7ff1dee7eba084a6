package jsonb

import (
	"math"
	"strings"

	"github.com/aegisdb/aegis/sql/pgerror"
)

// Field is jsonb -> text (jsonb_object_field): the value of key in an
// object; false (SQL NULL) when v is not an object or has no such key.
func Field(v Value, key string) (Value, bool) { return v.Lookup(key) }

// Index is jsonb -> integer (jsonb_array_element): the idx'th element
// (from 0) of an array, counting from the end when idx is negative; false
// (SQL NULL) for objects and out of range subscripts. As in PostgreSQL, a
// top-level scalar is a one-element array ('"x"' -> 0 is "x").
func Index(v Value, idx int64) (Value, bool) {
	if v.IsScalar() {
		v = NewArray(v)
	}
	return arrayElem(v, idx)
}

// arrayElem is Index for nested values, where scalars have no elements.
func arrayElem(v Value, idx int64) (Value, bool) {
	if v.kind != KindArray {
		return Value{}, false
	}
	n := int64(len(v.elems))
	if idx < 0 {
		idx += n
	}
	if idx < 0 || idx >= n {
		return Value{}, false
	}
	return v.elems[idx], true
}

// FieldText is jsonb ->> text: Field as text (see [Value.Text]).
func FieldText(v Value, key string) (string, bool) {
	f, ok := Field(v, key)
	if !ok {
		return "", false
	}
	return f.Text()
}

// IndexText is jsonb ->> integer: Index as text (see [Value.Text]).
func IndexText(v Value, idx int64) (string, bool) {
	e, ok := Index(v, idx)
	if !ok {
		return "", false
	}
	return e.Text()
}

// parsePathIndex parses an array subscript in a text[] path as C's strtol
// does for #> (leading white space, a sign, decimal digits, nothing
// after), limited to the int range.
func parsePathIndex(s string) (int64, bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	if t == "" {
		return 0, false
	}
	neg := false
	if t[0] == '+' || t[0] == '-' {
		neg = t[0] == '-'
		t = t[1:]
	}
	if t == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
		if n > math.MaxInt32+1 {
			return 0, false
		}
	}
	if neg {
		n = -n
	}
	if n > math.MaxInt32 || n < math.MinInt32 {
		return 0, false
	}
	return n, true
}

// ExtractPath is jsonb #> text[] (jsonb_extract_path): follows path
// through object keys and array subscripts (negative from the end).
// false (SQL NULL) when a step is missing, a subscript is not an integer,
// a step applies to a scalar, or a path element is NULL. An empty path
// returns v itself.
func ExtractPath(v Value, path []*string) (Value, bool) {
	cur := v
	for _, p := range path {
		if p == nil {
			return Value{}, false
		}
		switch cur.kind {
		case KindObject:
			next, ok := cur.Lookup(*p)
			if !ok {
				return Value{}, false
			}
			cur = next
		case KindArray:
			idx, ok := parsePathIndex(*p)
			if !ok {
				return Value{}, false
			}
			if cur, ok = arrayElem(cur, idx); !ok {
				return Value{}, false
			}
		default:
			return Value{}, false
		}
	}
	return cur, true
}

// ExtractPathText is jsonb #>> text[] (jsonb_extract_path_text):
// ExtractPath as text (see [Value.Text]).
func ExtractPathText(v Value, path []*string) (string, bool) {
	e, ok := ExtractPath(v, path)
	if !ok {
		return "", false
	}
	return e.Text()
}

// Contains is jsonb @> jsonb (jsonb_contains; <@ swaps the arguments),
// with PostgreSQL's semantics (JsonbDeepContains): an object contains an
// object whose every key is present with a containing value; an array
// contains an array whose every element is contained in some element of
// it, regardless of order and duplicates; scalars must be equal. At the
// top level only, an array also contains a bare scalar equal to one of
// its elements, and a scalar contains only an equal scalar.
func Contains(a, b Value) bool {
	if (a.kind == KindObject) != (b.kind == KindObject) {
		return false
	}
	if a.kind == KindObject {
		return deepContains(a, b)
	}
	// Raw scalars are one-element pseudo arrays.
	if a.IsScalar() && !b.IsScalar() {
		return false
	}
	aElems := a.elems
	if a.IsScalar() {
		aElems = []Value{a}
	}
	bElems := b.elems
	if b.IsScalar() {
		bElems = []Value{b}
	}
	return arrayContains(aElems, bElems)
}

func deepContains(a, b Value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case KindObject:
		if len(a.pairs) < len(b.pairs) {
			return false
		}
		for _, p := range b.pairs {
			lv, ok := a.Lookup(p.Key)
			if !ok || lv.kind != p.Value.kind {
				return false
			}
			if lv.IsScalar() {
				if !scalarEqual(lv, p.Value) {
					return false
				}
			} else if !deepContains(lv, p.Value) {
				return false
			}
		}
		return true
	case KindArray:
		return arrayContains(a.elems, b.elems)
	}
	return scalarEqual(a, b)
}

func arrayContains(a, b []Value) bool {
	for _, be := range b {
		found := false
		if be.IsScalar() {
			for _, ae := range a {
				if scalarEqual(ae, be) {
					found = true
					break
				}
			}
		} else {
			for _, ae := range a {
				if !ae.IsScalar() && deepContains(ae, be) {
					found = true
					break
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Exists is jsonb ? text (jsonb_exists): key is a key of an object, or a
// string element of an array (or the string itself, for a scalar).
func Exists(v Value, key string) bool {
	switch v.kind {
	case KindObject:
		_, ok := v.Lookup(key)
		return ok
	case KindArray:
		for _, e := range v.elems {
			if e.kind == KindString && e.s == key {
				return true
			}
		}
		return false
	case KindString:
		return v.s == key
	}
	return false
}

// ExistsAny is jsonb ?| text[] (jsonb_exists_any): some non-NULL key
// exists. NULL elements are ignored.
func ExistsAny(v Value, keys []*string) bool {
	for _, k := range keys {
		if k != nil && Exists(v, *k) {
			return true
		}
	}
	return false
}

// ExistsAll is jsonb ?& text[] (jsonb_exists_all): every non-NULL key
// exists. NULL elements are ignored, so an empty array yields true.
func ExistsAll(v Value, keys []*string) bool {
	for _, k := range keys {
		if k != nil && !Exists(v, *k) {
			return false
		}
	}
	return true
}

// asElems returns v's elements when v is treated as an array by || (a
// scalar is a one-element array, an object a one-element array of
// itself).
func asElems(v Value) []Value {
	if v.kind == KindArray {
		return v.elems
	}
	return []Value{v}
}

// Concat is jsonb || jsonb (jsonb_concat): two objects merge (the right
// one's keys win); otherwise both sides are taken as arrays (a scalar or
// an object becomes a one-element array) and appended.
func Concat(a, b Value) Value {
	if a.kind == KindObject && b.kind == KindObject {
		if len(a.pairs) == 0 {
			return b
		}
		if len(b.pairs) == 0 {
			return a
		}
		pairs := make([]Pair, 0, len(a.pairs)+len(b.pairs))
		pairs = append(pairs, a.pairs...)
		pairs = append(pairs, b.pairs...)
		return NewObject(pairs)
	}
	ae, be := asElems(a), asElems(b)
	elems := make([]Value, 0, len(ae)+len(be))
	elems = append(elems, ae...)
	elems = append(elems, be...)
	return NewArray(elems...)
}

func errDeleteFromScalar() error {
	return pgerror.New(pgerror.InvalidParameterValue, "cannot delete from scalar")
}

// DeleteKey is jsonb - text (jsonb_delete): removes key from an object,
// or every string element equal to key from an array. A scalar is an
// error (22023 "cannot delete from scalar").
func DeleteKey(v Value, key string) (Value, error) {
	return DeleteKeys(v, []*string{&key})
}

// DeleteKeys is jsonb - text[] (jsonb_delete_array): DeleteKey for every
// non-NULL element of keys.
func DeleteKeys(v Value, keys []*string) (Value, error) {
	if v.IsScalar() {
		return Value{}, errDeleteFromScalar()
	}
	if v.Len() == 0 || len(keys) == 0 {
		return v, nil
	}
	match := func(s string) bool {
		for _, k := range keys {
			if k != nil && *k == s {
				return true
			}
		}
		return false
	}
	if v.kind == KindObject {
		pairs := make([]Pair, 0, len(v.pairs))
		for _, p := range v.pairs {
			if !match(p.Key) {
				pairs = append(pairs, p)
			}
		}
		return Value{kind: KindObject, pairs: pairs}, nil
	}
	elems := make([]Value, 0, len(v.elems))
	for _, e := range v.elems {
		if e.kind != KindString || !match(e.s) {
			elems = append(elems, e)
		}
	}
	return NewArray(elems...), nil
}

// DeleteIndex is jsonb - integer (jsonb_delete_idx): removes the idx'th
// array element (negative counts from the end); out of range is a no-op.
// Scalars and objects are errors (22023).
func DeleteIndex(v Value, idx int64) (Value, error) {
	if v.IsScalar() {
		return Value{}, errDeleteFromScalar()
	}
	if v.kind == KindObject {
		return Value{}, pgerror.New(pgerror.InvalidParameterValue, "cannot delete from object using integer index")
	}
	n := int64(len(v.elems))
	if n == 0 {
		return v, nil
	}
	if idx < 0 {
		if -idx > n {
			idx = n
		} else {
			idx += n
		}
	}
	if idx >= n {
		return v, nil
	}
	elems := make([]Value, 0, n-1)
	elems = append(elems, v.elems[:idx]...)
	elems = append(elems, v.elems[idx+1:]...)
	return NewArray(elems...), nil
}

// DeletePath is jsonb #- text[] (jsonb_delete_path): removes the value at
// path. Errors as PostgreSQL: 22023 "cannot delete path in scalar", 22004
// for a NULL path element that is reached, 22P02 for a non-integer
// subscript of an array.
func DeletePath(v Value, path []*string) (Value, error) {
	if v.IsScalar() {
		return Value{}, pgerror.New(pgerror.InvalidParameterValue, "cannot delete path in scalar")
	}
	if v.Len() == 0 || len(path) == 0 {
		return v, nil
	}
	return setPath(v, path, 0, Value{}, opDelete)
}
