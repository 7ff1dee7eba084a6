package jsonb

import (
	"sort"

	"github.com/cockroachdb/apd/v3"
)

// Kind is the type of a JSON node. The numeric order of the constants is
// PostgreSQL's jsonb type order (jbvNull < jbvString < jbvNumeric <
// jbvBool < jbvArray < jbvObject), which Compare relies on.
type Kind uint8

// Node kinds.
const (
	KindNull Kind = iota
	KindString
	KindNumber
	KindBool
	KindArray
	KindObject
)

// String returns the name jsonb_typeof reports.
func (k Kind) String() string {
	switch k {
	case KindNull:
		return "null"
	case KindString:
		return "string"
	case KindNumber:
		return "number"
	case KindBool:
		return "boolean"
	case KindArray:
		return "array"
	case KindObject:
		return "object"
	}
	return "unknown"
}

// Value is an immutable JSON value. The zero Value is JSON null.
type Value struct {
	kind  Kind
	b     bool
	s     string
	n     *apd.Decimal
	elems []Value
	pairs []Pair
	// json is set on objects from ParseJSON, whose pairs keep the input's
	// order and duplicates.
	json bool
}

// Pair is one member of an object.
type Pair struct {
	Key   string
	Value Value
}

// Null returns JSON null.
func Null() Value { return Value{} }

// FromBool returns a JSON boolean.
func FromBool(b bool) Value { return Value{kind: KindBool, b: b} }

// FromString returns a JSON string. s must be valid UTF-8 without NUL
// bytes (as any PostgreSQL text).
func FromString(s string) Value { return Value{kind: KindString, s: s} }

// FromNumber returns a JSON number equal to d, which must be finite (use
// [FromGo] for PostgreSQL's to_jsonb treatment of NaN and infinities). The
// display scale is kept (1.50 stays 1.50); a positive exponent is
// expanded and negative zero becomes zero. d is not retained.
func FromNumber(d *apd.Decimal) Value {
	return Value{kind: KindNumber, n: canonicalNumber(d)}
}

// NewArray returns an array of elems; the Value takes ownership of elems.
func NewArray(elems ...Value) Value {
	return Value{kind: KindArray, elems: elems}
}

// NewObject returns a jsonb object of pairs: sorted in jsonb key order,
// the last of duplicate keys kept. The Value takes ownership of pairs (it
// is sorted in place).
func NewObject(pairs []Pair) Value {
	return Value{kind: KindObject, pairs: normalizePairs(pairs)}
}

// newObjectOrdered returns an object keeping pairs as given (json).
func newObjectOrdered(pairs []Pair) Value {
	return Value{kind: KindObject, pairs: pairs, json: true}
}

// keyLess is jsonb's storage order of object keys: shorter first, then
// bytewise (lengthCompareJsonbString).
func keyLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func keyCompare(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// normalizePairs sorts pairs in key order and drops all but the last of
// each run of equal keys (uniqueifyJsonbObject keeps the last).
func normalizePairs(pairs []Pair) []Pair {
	if len(pairs) < 2 {
		return pairs
	}
	sorted := true
	for i := 1; i < len(pairs); i++ {
		if !keyLess(pairs[i-1].Key, pairs[i].Key) {
			sorted = false
			break
		}
	}
	if sorted {
		return pairs
	}
	sort.SliceStable(pairs, func(i, j int) bool { return keyLess(pairs[i].Key, pairs[j].Key) })
	out := pairs[:0]
	for i := 0; i < len(pairs); i++ {
		if i+1 < len(pairs) && pairs[i+1].Key == pairs[i].Key {
			continue // a later duplicate wins
		}
		out = append(out, pairs[i])
	}
	return out
}

// Kind returns the node's kind.
func (v Value) Kind() Kind { return v.kind }

// IsNull reports whether v is JSON null.
func (v Value) IsNull() bool { return v.kind == KindNull }

// Bool returns a boolean's value (false for other kinds).
func (v Value) Bool() bool { return v.b }

// Str returns a string's value ("" for other kinds).
func (v Value) Str() string { return v.s }

// Num returns a number's value (nil for other kinds). The caller must not
// modify it.
func (v Value) Num() *apd.Decimal { return v.n }

// Len returns the number of elements of an array or pairs of an object,
// and 0 for scalars.
func (v Value) Len() int {
	switch v.kind {
	case KindArray:
		return len(v.elems)
	case KindObject:
		return len(v.pairs)
	}
	return 0
}

// Elems returns an array's elements (nil for other kinds). The slice
// belongs to v and must not be modified.
func (v Value) Elems() []Value { return v.elems }

// Pairs returns an object's members in storage order (nil for other
// kinds). The slice belongs to v and must not be modified.
func (v Value) Pairs() []Pair { return v.pairs }

// IsScalar reports whether v is neither an array nor an object.
func (v Value) IsScalar() bool { return v.kind < KindArray }

// Lookup returns the value of key in a jsonb object. For objects from
// ParseJSON it returns the last member named key, as json's -> does.
func (v Value) Lookup(key string) (Value, bool) {
	if v.kind != KindObject {
		return Value{}, false
	}
	n := len(v.pairs)
	if v.json {
		for j := n - 1; j >= 0; j-- {
			if v.pairs[j].Key == key {
				return v.pairs[j].Value, true
			}
		}
		return Value{}, false
	}
	i := sort.Search(n, func(i int) bool { return !keyLess(v.pairs[i].Key, key) })
	if i < n && v.pairs[i].Key == key {
		return v.pairs[i].Value, true
	}
	return Value{}, false
}

// Normalize returns v as jsonb: object keys sorted and deduplicated (last
// wins) at every level. It is the json -> jsonb cast for values from
// ParseJSON and the identity (no copy) for normalized values.
func Normalize(v Value) Value {
	switch v.kind {
	case KindArray:
		var out []Value
		for i, e := range v.elems {
			ne := Normalize(e)
			if out == nil && !sameNode(ne, e) {
				out = make([]Value, len(v.elems))
				copy(out, v.elems[:i])
			}
			if out != nil {
				out[i] = ne
			}
		}
		if out == nil {
			return v
		}
		return NewArray(out...)
	case KindObject:
		pairs := make([]Pair, len(v.pairs))
		for i, p := range v.pairs {
			pairs[i] = Pair{Key: p.Key, Value: Normalize(p.Value)}
		}
		return NewObject(pairs)
	}
	return v
}

// sameNode reports whether a and b are the same node (not deep equality).
func sameNode(a, b Value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case KindArray:
		return len(a.elems) == len(b.elems) && (len(a.elems) == 0 || &a.elems[0] == &b.elems[0])
	case KindObject:
		return len(a.pairs) == len(b.pairs) && (len(a.pairs) == 0 || &a.pairs[0] == &b.pairs[0])
	}
	return true
}
