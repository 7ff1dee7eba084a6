package jsonb

import (
	"fmt"
	"math"
	"strconv"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/cockroachdb/apd/v3"
)

// setPath operation flags (JB_PATH_* in jsonfuncs.c).
type pathOp uint8

const (
	opCreate pathOp = 1 << iota
	opDelete
	opReplace
	opInsertBefore
	opInsertAfter

	opCreateOrInsert = opCreate | opInsertBefore | opInsertAfter
)

// setPath is PostgreSQL's setPath/setPathObject/setPathArray over a
// value tree.
func setPath(v Value, path []*string, level int, newval Value, op pathOp) (Value, error) {
	if path[level] == nil {
		return Value{}, pgerror.New(pgerror.NullValueNotAllowed, "path element at position %d is null", level+1)
	}
	switch v.kind {
	case KindObject:
		return setPathObject(v, path, level, newval, op)
	case KindArray:
		return setPathArray(v, path, level, newval, op)
	}
	return v, nil
}

func setPathObject(v Value, path []*string, level int, newval Value, op pathOp) (Value, error) {
	key := *path[level]
	last := level == len(path)-1
	if len(v.pairs) == 0 {
		if op&opCreateOrInsert != 0 && last {
			return NewObject([]Pair{{Key: key, Value: newval}}), nil
		}
		return v, nil
	}
	pairs := make([]Pair, 0, len(v.pairs)+1)
	done := false
	for _, p := range v.pairs {
		if done || p.Key != key {
			pairs = append(pairs, p)
			continue
		}
		done = true
		if !last {
			nv, err := setPath(p.Value, path, level+1, newval, op)
			if err != nil {
				return Value{}, err
			}
			pairs = append(pairs, Pair{Key: p.Key, Value: nv})
			continue
		}
		if op&(opInsertBefore|opInsertAfter) != 0 {
			return Value{}, pgerror.New(pgerror.InvalidParameterValue, "cannot replace existing key").
				WithHint("Try using the function jsonb_set to replace key value.")
		}
		if op&opDelete == 0 {
			pairs = append(pairs, Pair{Key: p.Key, Value: newval})
		}
	}
	if !done && last && op&opCreateOrInsert != 0 {
		pairs = append(pairs, Pair{Key: key, Value: newval})
	}
	return NewObject(pairs), nil
}

func setPathArray(v Value, path []*string, level int, newval Value, op pathOp) (Value, error) {
	n := int64(len(v.elems))
	idx, ok := parsePathIndex(*path[level])
	if !ok {
		return Value{}, pgerror.New(pgerror.InvalidTextRepresentation,
			"path element at position %d is not an integer: \"%s\"", level+1, *path[level])
	}
	const prepend = math.MinInt64
	if idx < 0 {
		if -idx > n {
			idx = prepend
		} else {
			idx += n
		}
	}
	if idx > n {
		idx = n
	}
	last := level == len(path)-1
	elems := make([]Value, 0, n+1)
	done := false
	if (idx == prepend || n == 0) && last && op&opCreateOrInsert != 0 {
		elems = append(elems, newval)
		done = true
	}
	for i, e := range v.elems {
		if int64(i) != idx {
			elems = append(elems, e)
			continue
		}
		done = true
		if !last {
			ne, err := setPath(e, path, level+1, newval, op)
			if err != nil {
				return Value{}, err
			}
			elems = append(elems, ne)
			continue
		}
		if op&(opInsertBefore|opCreate) != 0 {
			elems = append(elems, newval)
		}
		if op&(opInsertAfter|opInsertBefore) != 0 {
			elems = append(elems, e)
		}
		if op&(opInsertAfter|opReplace) != 0 {
			elems = append(elems, newval)
		}
	}
	if op&opCreateOrInsert != 0 && !done && last {
		elems = append(elems, newval)
	}
	return NewArray(elems...), nil
}

func errSetInScalar() error {
	return pgerror.New(pgerror.InvalidParameterValue, "cannot set path in scalar")
}

// Set is jsonb_set(target, path, new_value, create_if_missing): replaces
// the value at path, or adds it when the last step is missing and
// createMissing is set (a new object key, or an array element appended,
// or prepended for a negative subscript beyond the start). Errors: 22023
// "cannot set path in scalar", 22004 for a NULL path element that is
// reached, 22P02 for a non-integer array subscript.
func Set(target Value, path []*string, newval Value, createMissing bool) (Value, error) {
	if target.IsScalar() {
		return Value{}, errSetInScalar()
	}
	if len(path) == 0 || (target.Len() == 0 && !createMissing) {
		return target, nil
	}
	op := opReplace
	if createMissing {
		op = opCreate
	}
	return setPath(target, path, 0, newval, op)
}

// Insert is jsonb_insert(target, path, new_value, insert_after): inserts
// newval before (or after) the array element at path, or as a new object
// key (22023 "cannot replace existing key" if it exists). Other errors as
// [Set].
func Insert(target Value, path []*string, newval Value, after bool) (Value, error) {
	if target.IsScalar() {
		return Value{}, errSetInScalar()
	}
	if len(path) == 0 {
		return target, nil
	}
	op := opInsertBefore
	if after {
		op = opInsertAfter
	}
	return setPath(target, path, 0, newval, op)
}

// StripNulls is jsonb_strip_nulls: removes object members whose value is
// null, at every level; nulls in arrays stay.
func StripNulls(v Value) Value {
	switch v.kind {
	case KindArray:
		elems := make([]Value, len(v.elems))
		for i, e := range v.elems {
			elems[i] = StripNulls(e)
		}
		return NewArray(elems...)
	case KindObject:
		pairs := make([]Pair, 0, len(v.pairs))
		for _, p := range v.pairs {
			if p.Value.kind != KindNull {
				pairs = append(pairs, Pair{Key: p.Key, Value: StripNulls(p.Value)})
			}
		}
		return Value{kind: KindObject, pairs: pairs, json: v.json}
	}
	return v
}

// Typeof is jsonb_typeof.
func Typeof(v Value) string { return v.kind.String() }

// ArrayLength is jsonb_array_length; 22023 for scalars and objects.
func ArrayLength(v Value) (int, error) {
	switch v.kind {
	case KindArray:
		return len(v.elems), nil
	case KindObject:
		return 0, pgerror.New(pgerror.InvalidParameterValue, "cannot get array length of a non-array")
	}
	return 0, pgerror.New(pgerror.InvalidParameterValue, "cannot get array length of a scalar")
}

// ObjectKeys is jsonb_object_keys: the keys in storage order; 22023 for
// scalars and arrays. The caller owns the slice.
func ObjectKeys(v Value) ([]string, error) {
	switch v.kind {
	case KindObject:
		keys := make([]string, len(v.pairs))
		for i, p := range v.pairs {
			keys[i] = p.Key
		}
		return keys, nil
	case KindArray:
		return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot call jsonb_object_keys on an array")
	}
	return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot call jsonb_object_keys on a scalar")
}

// Each is jsonb_each: the members of an object in storage order; 22023
// "cannot call jsonb_each on a non-object" otherwise. The slice belongs to
// v and must not be modified.
func Each(v Value) ([]Pair, error) {
	if v.kind != KindObject {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot call %s on a non-object", "jsonb_each")
	}
	return v.pairs, nil
}

// TextPair is a row of jsonb_each_text; Value is nil for JSON null.
type TextPair struct {
	Key   string
	Value *string
}

// EachText is jsonb_each_text: Each with values as text (see
// [Value.Text]). The caller owns the slice.
func EachText(v Value) ([]TextPair, error) {
	if v.kind != KindObject {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot call %s on a non-object", "jsonb_each_text")
	}
	out := make([]TextPair, len(v.pairs))
	for i, p := range v.pairs {
		out[i].Key = p.Key
		if s, ok := p.Value.Text(); ok {
			out[i].Value = &s
		}
	}
	return out, nil
}

func checkElements(v Value) error {
	switch v.kind {
	case KindArray:
		return nil
	case KindObject:
		return pgerror.New(pgerror.InvalidParameterValue, "cannot extract elements from an object")
	}
	return pgerror.New(pgerror.InvalidParameterValue, "cannot extract elements from a scalar")
}

// ArrayElements is jsonb_array_elements; 22023 for scalars and objects.
// The slice belongs to v and must not be modified.
func ArrayElements(v Value) ([]Value, error) {
	if err := checkElements(v); err != nil {
		return nil, err
	}
	return v.elems, nil
}

// ArrayElementsText is jsonb_array_elements_text: elements as text, nil
// for JSON null. The caller owns the slice.
func ArrayElementsText(v Value) ([]*string, error) {
	if err := checkElements(v); err != nil {
		return nil, err
	}
	out := make([]*string, len(v.elems))
	for i, e := range v.elems {
		if s, ok := e.Text(); ok {
			out[i] = &s
		}
	}
	return out, nil
}

// BuildArg is one argument of jsonb_build_object as the caller converted
// it: at key positions Text is the argument's text output (Null for SQL
// NULL, NotScalar for array, composite, json and jsonb arguments, which
// PostgreSQL rejects as keys); at value positions Value is to_jsonb of the
// argument (JSON null for SQL NULL).
type BuildArg struct {
	Null      bool
	NotScalar bool
	Text      string
	Value     Value
}

// BuildObject is jsonb_build_object(VARIADIC "any"). Errors as
// PostgreSQL: 22023 for an odd argument count, a NULL key or a
// non-scalar key.
func BuildObject(args []BuildArg) (Value, error) {
	if len(args)%2 != 0 {
		return Value{}, pgerror.New(pgerror.InvalidParameterValue, "argument list must have even number of elements").
			WithHint("The arguments of %s must consist of alternating keys and values.", "jsonb_build_object()")
	}
	pairs := make([]Pair, 0, len(args)/2)
	for i := 0; i < len(args); i += 2 {
		k := args[i]
		if k.Null {
			return Value{}, pgerror.New(pgerror.InvalidParameterValue, "argument %d: key must not be null", i+1)
		}
		if k.NotScalar {
			return Value{}, pgerror.New(pgerror.InvalidParameterValue, "key value must be scalar, not array, composite, or json")
		}
		pairs = append(pairs, Pair{Key: k.Text, Value: args[i+1].Value})
	}
	return NewObject(pairs), nil
}

// BuildArray is jsonb_build_array(VARIADIC "any") over already converted
// arguments (JSON null for SQL NULL). It takes ownership of vals.
func BuildArray(vals ...Value) Value {
	if vals == nil {
		vals = []Value{}
	}
	return NewArray(vals...)
}

// FromRow is to_jsonb of a row (and row_to_json's content): an object of
// column names and values, the last of duplicate names kept. It takes
// ownership of neither slice.
func FromRow(names []string, values []Value) Value {
	pairs := make([]Pair, len(names))
	for i := range names {
		pairs[i] = Pair{Key: names[i], Value: values[i]}
	}
	return NewObject(pairs)
}

// FromGo is to_jsonb of a scalar given as a Go value: nil (JSON null),
// bool, string, signed and unsigned integers, float32, float64,
// *apd.Decimal, apd.Decimal, or a Value (returned as is). As in
// PostgreSQL, a number whose text output is not a JSON number (NaN,
// Infinity, -Infinity) becomes a string. Other types are an assertion
// error: the caller converts them to text or Values first.
func FromGo(x any) (Value, error) {
	switch t := x.(type) {
	case nil:
		return Null(), nil
	case Value:
		return t, nil
	case bool:
		return FromBool(t), nil
	case string:
		return FromString(t), nil
	case int:
		return numberFromText(strconv.FormatInt(int64(t), 10))
	case int8:
		return numberFromText(strconv.FormatInt(int64(t), 10))
	case int16:
		return numberFromText(strconv.FormatInt(int64(t), 10))
	case int32:
		return numberFromText(strconv.FormatInt(int64(t), 10))
	case int64:
		return numberFromText(strconv.FormatInt(t, 10))
	case uint:
		return numberFromText(strconv.FormatUint(uint64(t), 10))
	case uint8:
		return numberFromText(strconv.FormatUint(uint64(t), 10))
	case uint16:
		return numberFromText(strconv.FormatUint(uint64(t), 10))
	case uint32:
		return numberFromText(strconv.FormatUint(uint64(t), 10))
	case uint64:
		return numberFromText(strconv.FormatUint(t, 10))
	case float32:
		return floatValue(float64(t), 32)
	case float64:
		return floatValue(t, 64)
	case apd.Decimal:
		return decimalValue(&t), nil
	case *apd.Decimal:
		return decimalValue(t), nil
	}
	return Value{}, pgerror.AssertionFailed("jsonb: cannot convert %T to jsonb", x)
}

func numberFromText(s string) (Value, error) {
	d, err := parseNumber(s)
	if err != nil {
		return Value{}, err
	}
	return Value{kind: KindNumber, n: d}, nil
}

// floatValue converts as to_jsonb does: float8out's shortest text, read
// back by numeric_in when it is a JSON number.
func floatValue(f float64, bits int) (Value, error) {
	switch {
	case math.IsNaN(f):
		return FromString("NaN"), nil
	case math.IsInf(f, 1):
		return FromString("Infinity"), nil
	case math.IsInf(f, -1):
		return FromString("-Infinity"), nil
	}
	return numberFromText(strconv.FormatFloat(f, 'e', -1, bits))
}

func decimalValue(d *apd.Decimal) Value {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return FromString("NaN")
	case apd.Infinite:
		if d.Negative {
			return FromString("-Infinity")
		}
		return FromString("Infinity")
	}
	return FromNumber(d)
}

// GoString implements fmt.GoStringer for test failure messages.
func (v Value) GoString() string { return fmt.Sprintf("jsonb(%s)", v.String()) }
