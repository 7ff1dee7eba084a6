package jsonb

import "github.com/aegisdb/aegis/sql/pgerror"

// The json type keeps its input text: its operators return pieces of
// that text as they were written (whitespace, key order and duplicate
// keys included), as PostgreSQL's json functions do. The functions below
// work on text that ValidateJSON accepted.

// rawScanner walks valid JSON text.
type rawScanner struct {
	s string
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (r rawScanner) skipSpace(i int) int {
	for i < len(r.s) && isJSONSpace(r.s[i]) {
		i++
	}
	return i
}

// valueEnd returns the index just past the value starting at i.
func (r rawScanner) valueEnd(i int) int {
	if i >= len(r.s) {
		return i
	}
	switch r.s[i] {
	case '"':
		return r.stringEnd(i)
	case '{', '[':
		depth := 0
		for i < len(r.s) {
			switch r.s[i] {
			case '"':
				i = r.stringEnd(i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(r.s) {
		switch c := r.s[i]; {
		case c == ',' || c == ']' || c == '}' || c == ':' || isJSONSpace(c):
			return i
		}
		i++
	}
	return i
}

// stringEnd returns the index just past the string starting at i.
func (r rawScanner) stringEnd(i int) int {
	for i++; i < len(r.s); i++ {
		switch r.s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// top returns the bounds of the top-level value.
func (r rawScanner) top() (int, int) {
	i := r.skipSpace(0)
	return i, r.valueEnd(i)
}

// elems calls fn with each element of the array at i (false: not an
// array); fn returns false to stop.
func (r rawScanner) elems(i int, fn func(start, end int) bool) bool {
	if i >= len(r.s) || r.s[i] != '[' {
		return false
	}
	i = r.skipSpace(i + 1)
	if i < len(r.s) && r.s[i] == ']' {
		return true
	}
	for i < len(r.s) {
		end := r.valueEnd(i)
		if !fn(i, end) {
			return true
		}
		i = r.skipSpace(end)
		if i >= len(r.s) || r.s[i] != ',' {
			return true
		}
		i = r.skipSpace(i + 1)
	}
	return true
}

// fields calls fn with each key and value of the object at i (false: not
// an object).
func (r rawScanner) fields(i int, fn func(key string, start, end int) bool) bool {
	if i >= len(r.s) || r.s[i] != '{' {
		return false
	}
	i = r.skipSpace(i + 1)
	for i < len(r.s) && r.s[i] == '"' {
		kend := r.stringEnd(i)
		key := decodeRawString(r.s[i:kend])
		i = r.skipSpace(kend)
		if i < len(r.s) && r.s[i] == ':' {
			i = r.skipSpace(i + 1)
		}
		end := r.valueEnd(i)
		if !fn(key, i, end) {
			return true
		}
		i = r.skipSpace(end)
		if i >= len(r.s) || r.s[i] != ',' {
			return true
		}
		i = r.skipSpace(i + 1)
	}
	return true
}

func decodeRawString(tok string) string {
	v, err := ParseJSON(tok)
	if err != nil {
		return ""
	}
	return v.Str()
}

// field finds key in the object at i: the last of duplicate keys, as
// PostgreSQL's json_object_field.
func (r rawScanner) field(i int, key string) (int, int, bool) {
	fs, fe, found := 0, 0, false
	r.fields(i, func(k string, start, end int) bool {
		if k == key {
			fs, fe, found = start, end, true
		}
		return true
	})
	return fs, fe, found
}

// index finds element idx (negative: from the end) of the array at i.
func (r rawScanner) index(i int, idx int64) (int, int, bool) {
	var spans [][2]int
	r.elems(i, func(start, end int) bool {
		spans = append(spans, [2]int{start, end})
		return idx < 0 || int64(len(spans)) <= idx
	})
	if idx < 0 {
		idx += int64(len(spans))
	}
	if idx < 0 || idx >= int64(len(spans)) {
		return 0, 0, false
	}
	return spans[idx][0], spans[idx][1], true
}

// RawField is json -> text: the text of the object's field key.
func RawField(s, key string) (string, bool) {
	r := rawScanner{s}
	i, _ := r.top()
	fs, fe, ok := r.field(i, key)
	return s[fs:fe], ok
}

// RawIndex is json -> int: the text of an array element.
func RawIndex(s string, idx int64) (string, bool) {
	r := rawScanner{s}
	i, _ := r.top()
	fs, fe, ok := r.index(i, idx)
	return s[fs:fe], ok
}

// RawPath is json #> text[]: the text at a path of keys and array
// indexes (a NULL step or a missing one yields false).
func RawPath(s string, path []*string) (string, bool) {
	r := rawScanner{s}
	start, end := r.top()
	for _, p := range path {
		if p == nil {
			return "", false
		}
		var ok bool
		switch {
		case start < len(s) && s[start] == '{':
			start, end, ok = r.field(start, *p)
		case start < len(s) && s[start] == '[':
			idx, isIdx := parsePathIndex(*p)
			if !isIdx {
				return "", false
			}
			start, end, ok = r.index(start, idx)
		}
		if !ok {
			return "", false
		}
	}
	return s[start:end], true
}

// RawAsText is the ->> form of a json value's text: a string is
// de-escaped, JSON null is SQL NULL (false), anything else is its text.
func RawAsText(raw string) (string, bool) {
	switch {
	case raw == "null":
		return "", false
	case len(raw) > 0 && raw[0] == '"':
		return decodeRawString(raw), true
	}
	return raw, true
}

// RawTypeof is json_typeof.
func RawTypeof(s string) string {
	r := rawScanner{s}
	i, _ := r.top()
	if i >= len(s) {
		return "null"
	}
	switch c := s[i]; {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	}
	return "number"
}

// RawArrayElements is json_array_elements: the text of each element.
func RawArrayElements(s string) ([]string, error) {
	r := rawScanner{s}
	i, _ := r.top()
	out := []string{}
	if !r.elems(i, func(start, end int) bool { out = append(out, s[start:end]); return true }) {
		return nil, errRawNotArray(RawTypeof(s))
	}
	return out, nil
}

// RawArrayLength is json_array_length.
func RawArrayLength(s string) (int, error) {
	el, err := RawArrayElements(s)
	if err != nil {
		return 0, errRawNotArrayLength(RawTypeof(s))
	}
	return len(el), nil
}

// RawObjectKeys is json_object_keys: the keys in text order, duplicates
// included.
func RawObjectKeys(s string) ([]string, error) {
	r := rawScanner{s}
	i, _ := r.top()
	out := []string{}
	if !r.fields(i, func(k string, _, _ int) bool { out = append(out, k); return true }) {
		return nil, errRawKeys(RawTypeof(s))
	}
	return out, nil
}

func errRawNotArray(kind string) error {
	if kind == "object" {
		return pgerror.New(pgerror.InvalidParameterValue, "cannot extract elements from an object")
	}
	return pgerror.New(pgerror.InvalidParameterValue, "cannot extract elements from a scalar")
}

func errRawNotArrayLength(kind string) error {
	if kind == "object" {
		return pgerror.New(pgerror.InvalidParameterValue, "cannot get array length of a non-array")
	}
	return pgerror.New(pgerror.InvalidParameterValue, "cannot get array length of a scalar")
}

func errRawKeys(kind string) error {
	if kind == "array" {
		return pgerror.New(pgerror.InvalidParameterValue, "cannot call json_object_keys on an array")
	}
	return pgerror.New(pgerror.InvalidParameterValue, "cannot call json_object_keys on a scalar")
}

// RawEach is json_each and json_each_text: the keys and
// value texts of an object, duplicates included, in text order.
func RawEach(s string) (keys, vals []string, err error) {
	r := rawScanner{s}
	i, _ := r.top()
	if !r.fields(i, func(k string, start, end int) bool {
		keys = append(keys, k)
		vals = append(vals, s[start:end])
		return true
	}) {
		if RawTypeof(s) == "array" {
			return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "cannot deconstruct an array as an object")
		}
		return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "cannot deconstruct a scalar")
	}
	return keys, vals, nil
}
