package rowenc

import (
	"bytes"
	"slices"

	"github.com/aegisdb/aegis/internal/encoding"
	"github.com/aegisdb/aegis/sql/jsonb"
	"github.com/aegisdb/aegis/sql/types"
)

// GIN (inverted) index entries: one KV entry per distinct term of the
// indexed value, keyed index prefix + term + primary key, with an empty
// value. Terms are self-delimiting, so a prefix scan of index prefix +
// term finds exactly the rows holding that term.
//
// jsonb terms follow PostgreSQL's jsonb_ops: every object key (at any
// depth) and every string element of an array is a key term; every other
// scalar (object values, non-string array elements) is a value term. A
// top-level scalar counts as an array element, as in PostgreSQL. Array terms are the distinct non-NULL elements.
const (
	ginKeyTerm   = 'K'
	ginValueTerm = 'V'
	ginElemTerm  = 'E'
)

// GINTerms returns the distinct terms of v (of type t), sorted.
func GINTerms(t types.T, v types.Datum) ([][]byte, error) {
	var terms [][]byte
	switch x := v.(type) {
	case nil:
		return nil, nil
	case jsonb.Value:
		// A top-level scalar is a one-element "raw scalar" array.
		terms = jsonbTerms(terms, x, x.IsScalar())
	case *types.DArray:
		for _, e := range x.Elems {
			if e == nil {
				continue
			}
			k, err := EncodeKeyValue([]byte{ginElemTerm}, t.Elem(), e)
			if err != nil {
				return nil, err
			}
			terms = append(terms, k)
		}
	}
	slices.SortFunc(terms, bytes.Compare)
	return slices.CompactFunc(terms, bytes.Equal), nil
}

// JSONBKeyTerm is the term of an object key (or string array element):
// what jsonb ? key looks up.
func JSONBKeyTerm(key string) []byte {
	return encoding.EncodeStringAscending([]byte{ginKeyTerm}, key)
}

func jsonbTerms(terms [][]byte, v jsonb.Value, inArray bool) [][]byte {
	switch v.Kind() {
	case jsonb.KindObject:
		for _, p := range v.Pairs() {
			terms = append(terms, JSONBKeyTerm(p.Key))
			terms = jsonbTerms(terms, p.Value, false)
		}
	case jsonb.KindArray:
		for _, e := range v.Elems() {
			terms = jsonbTerms(terms, e, true)
		}
	case jsonb.KindString:
		if inArray {
			return append(terms, JSONBKeyTerm(v.Str()))
		}
		return append(terms, encodeJSONBNode([]byte{ginValueTerm}, v))
	default:
		return append(terms, encodeJSONBNode([]byte{ginValueTerm}, v))
	}
	return terms
}

// GINQueryTerms returns the terms a row must hold (all=true: every one;
// false: at least one) for an indexable operator with a constant right
// operand to be true. ok is false when the index cannot narrow the
// search (no terms, or every row may match), and empty is set when no row
// can match.
func GINQueryTerms(op string, t types.T, arg types.Datum) (terms [][]byte, all, ok, empty bool, err error) {
	if arg == nil {
		return nil, false, false, true, nil // a strict operator on NULL
	}
	switch op {
	case "@>":
		terms, err = GINTerms(t, arg)
		return terms, true, err == nil && len(terms) > 0, false, err
	case "&&":
		terms, err = GINTerms(t, arg)
		return terms, false, err == nil && len(terms) > 0, err == nil && len(terms) == 0, err
	case "?":
		return [][]byte{JSONBKeyTerm(arg.(string))}, true, true, false, nil
	case "?|", "?&":
		a := arg.(*types.DArray)
		for _, e := range a.Elems {
			if s, isStr := e.(string); isStr {
				terms = append(terms, JSONBKeyTerm(s))
			}
		}
		if len(terms) == 0 {
			// ?| of nothing matches no row, ?& of nothing every row.
			return nil, false, false, op == "?|", nil
		}
		return terms, op == "?&", true, false, nil
	}
	return nil, false, false, false, nil
}
