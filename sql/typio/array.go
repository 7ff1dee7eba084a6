package typio

import (
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

// Arrays: PostgreSQL's array_in/array_out text format and
// array_recv/array_send binary format, element-wise casts and btree
// comparison.

// arrayNeedsQuotes reports whether array_out quotes an element's text.
func arrayNeedsQuotes(s string) bool {
	if s == "" || strings.EqualFold(s, "NULL") {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '{', '}', ',', '"', '\\':
			return true
		default:
			if isArraySpace(c) {
				return true
			}
		}
	}
	return false
}

// isArraySpace is array_isspace: the characters array_in trims.
func isArraySpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// appendArray appends array_out's text of a.
func appendArray(buf []byte, t types.T, a *types.DArray, s *Settings) []byte {
	if t.IsVector() {
		// int2vectorout/oidvectorout: the elements separated by spaces.
		for i, e := range a.Elems {
			if i > 0 {
				buf = append(buf, ' ')
			}
			buf = AppendText(buf, t.Elem(), e, s)
		}
		return buf
	}
	if len(a.Dims) == 0 {
		return append(buf, "{}"...)
	}
	for _, d := range a.Dims {
		if d.Lower != 1 {
			for _, d := range a.Dims {
				buf = append(buf, '[')
				buf = strconv.AppendInt(buf, int64(d.Lower), 10)
				buf = append(buf, ':')
				buf = strconv.AppendInt(buf, int64(d.Lower)+int64(d.Len)-1, 10)
				buf = append(buf, ']')
			}
			buf = append(buf, '=')
			break
		}
	}
	et := t.Elem()
	var el []byte
	pos := 0
	var walk func(dim int)
	walk = func(dim int) {
		buf = append(buf, '{')
		for i := int32(0); i < a.Dims[dim].Len; i++ {
			if i > 0 {
				buf = append(buf, ',')
			}
			if dim+1 < len(a.Dims) {
				walk(dim + 1)
				continue
			}
			e := a.Elems[pos]
			pos++
			if e == nil {
				buf = append(buf, "NULL"...)
				continue
			}
			el = AppendText(el[:0], et, e, s)
			if !arrayNeedsQuotes(string(el)) {
				buf = append(buf, el...)
				continue
			}
			buf = append(buf, '"')
			for _, c := range el {
				if c == '"' || c == '\\' {
					buf = append(buf, '\\')
				}
				buf = append(buf, c)
			}
			buf = append(buf, '"')
		}
		buf = append(buf, '}')
	}
	walk(0)
	return buf
}

// malformedArray is array_in's syntax error.
func malformedArray(input, detail string) *pgerror.Error {
	return pgerror.New(pgerror.InvalidTextRepresentation, "malformed array literal: \"%s\"", input).WithDetail("%s", detail)
}

// arrayParser reads array_in's text format.
type arrayParser struct {
	in  string
	pos int
	et  types.T
	s   *Settings
}

func (p *arrayParser) skipSpace() {
	for p.pos < len(p.in) && isArraySpace(p.in[p.pos]) {
		p.pos++
	}
}

// parseVector is int2vectorin/oidvectorin: space-separated elements,
// lower bound 0.
func parseVector(t types.T, in string, s *Settings) (*types.DArray, error) {
	var elems []types.Datum
	for _, f := range strings.FieldsFunc(in, func(r rune) bool { return r < 128 && isArraySpace(byte(r)) }) {
		v, err := ParseText(t.Elem(), f, s)
		if err != nil {
			return nil, err
		}
		elems = append(elems, v)
	}
	if len(elems) == 0 {
		return &types.DArray{}, nil
	}
	return &types.DArray{Dims: []types.ArrayDim{{Len: int32(len(elems)), Lower: 0}}, Elems: elems}, nil
}

// parseArray is array_in for array type t.
func parseArray(t types.T, in string, s *Settings) (*types.DArray, error) {
	if t.IsVector() {
		return parseVector(t, in, s)
	}
	p := &arrayParser{in: in, et: t.Elem(), s: s}
	p.skipSpace()
	var explicit []types.ArrayDim
	if p.pos < len(in) && in[p.pos] == '[' {
		for p.pos < len(in) && in[p.pos] == '[' {
			if len(explicit) == types.MaxArrayDims {
				return nil, pgerror.New(pgerror.ProgramLimitExceeded, "number of array dimensions (%d) exceeds the maximum allowed (%d)", len(explicit)+1, types.MaxArrayDims)
			}
			p.pos++
			lo, hi, err := p.dimBounds()
			if err != nil {
				return nil, err
			}
			if hi < lo {
				return nil, pgerror.New(pgerror.ArraySubscriptError, "upper bound cannot be less than lower bound")
			}
			explicit = append(explicit, types.ArrayDim{Len: int32(hi - lo + 1), Lower: int32(lo)})
			p.skipSpace()
		}
		if p.pos >= len(in) || in[p.pos] != '=' {
			return nil, malformedArray(in, `Missing "=" after array dimensions.`)
		}
		p.pos++
		p.skipSpace()
	}
	if p.pos >= len(in) || in[p.pos] != '{' {
		return nil, malformedArray(in, `Array value must start with "{" or dimension information.`)
	}
	// Parse the nested braces into elements. Every level holds either
	// sub-arrays or elements (kinds), and every sub-array of a level has
	// the same length (dims).
	const (
		kindUnknown = iota
		kindSub
		kindElem
	)
	var dims []int32
	var kinds []int
	var elems []types.Datum
	mismatch := func() error {
		return malformedArray(in, "Multidimensional arrays must have sub-arrays with matching dimensions.")
	}
	var parseLevel func(level int) error
	parseLevel = func(level int) error {
		p.pos++ // '{'
		if level >= types.MaxArrayDims {
			return pgerror.New(pgerror.ProgramLimitExceeded, "number of array dimensions (%d) exceeds the maximum allowed (%d)", level+1, types.MaxArrayDims)
		}
		if len(dims) <= level {
			dims, kinds = append(dims, -1), append(kinds, kindUnknown)
		}
		p.skipSpace()
		if p.pos < len(p.in) && p.in[p.pos] == '}' {
			if level > 0 {
				return malformedArray(in, `Unexpected "}" character.`)
			}
			p.pos++
			dims[0] = 0
			return nil
		}
		n := int32(0)
		for {
			p.skipSpace()
			if p.pos >= len(p.in) {
				return malformedArray(in, "Unexpected end of input.")
			}
			if p.in[p.pos] == '{' {
				if kinds[level] == kindElem {
					return malformedArray(in, `Unexpected "{" character.`)
				}
				kinds[level] = kindSub
				if err := parseLevel(level + 1); err != nil {
					return err
				}
			} else {
				if kinds[level] == kindSub {
					return malformedArray(in, "Unexpected array element.")
				}
				kinds[level] = kindElem
				e, err := p.element()
				if err != nil {
					return err
				}
				elems = append(elems, e)
			}
			n++
			p.skipSpace()
			if p.pos >= len(p.in) {
				return malformedArray(in, "Unexpected end of input.")
			}
			switch p.in[p.pos] {
			case ',':
				p.pos++
			case '}':
				p.pos++
				if dims[level] == -1 {
					dims[level] = n
				} else if dims[level] != n {
					return mismatch()
				}
				return nil
			default:
				return malformedArray(in, "Unexpected array element.")
			}
		}
	}
	if err := parseLevel(0); err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(in) {
		return nil, malformedArray(in, "Junk after closing right brace.")
	}
	if len(elems) == 0 {
		if len(explicit) > 0 {
			return nil, malformedArray(in, "Specified array dimensions do not match array contents.")
		}
		return &types.DArray{}, nil
	}
	a := &types.DArray{Elems: elems}
	for _, n := range dims {
		a.Dims = append(a.Dims, types.ArrayDim{Len: n, Lower: 1})
	}
	if explicit != nil {
		if len(explicit) != len(a.Dims) {
			return nil, malformedArray(in, "Specified array dimensions do not match array contents.")
		}
		for i := range explicit {
			if explicit[i].Len != a.Dims[i].Len {
				return nil, malformedArray(in, "Specified array dimensions do not match array contents.")
			}
		}
		a.Dims = explicit
	}
	return a, nil
}

// dimBounds reads "lo:hi]" or "hi]" after a '['.
func (p *arrayParser) dimBounds() (lo, hi int64, err error) {
	num := func() (int64, bool) {
		p.skipSpace()
		start := p.pos
		if p.pos < len(p.in) && (p.in[p.pos] == '-' || p.in[p.pos] == '+') {
			p.pos++
		}
		for p.pos < len(p.in) && p.in[p.pos] >= '0' && p.in[p.pos] <= '9' {
			p.pos++
		}
		v, err := strconv.ParseInt(p.in[start:p.pos], 10, 32)
		p.skipSpace()
		return v, err == nil
	}
	a, ok := num()
	if !ok {
		return 0, 0, malformedArray(p.in, `"[" must introduce explicitly-specified array dimensions.`)
	}
	lo, hi = 1, a
	if p.pos < len(p.in) && p.in[p.pos] == ':' {
		p.pos++
		b, ok := num()
		if !ok {
			return 0, 0, malformedArray(p.in, "Missing array dimension value.")
		}
		lo, hi = a, b
	}
	if p.pos >= len(p.in) || p.in[p.pos] != ']' {
		return 0, 0, malformedArray(p.in, `Missing "]" in array dimensions.`)
	}
	p.pos++
	return lo, hi, nil
}

// element reads one element (quoted or not) and runs the element type's
// input function on it; an unquoted NULL is NULL.
func (p *arrayParser) element() (types.Datum, error) {
	var b strings.Builder
	quoted := false
	hasEscape := false
	trailing := 0 // unquoted trailing spaces to drop
	for p.pos < len(p.in) {
		c := p.in[p.pos]
		switch {
		case c == '\\':
			if p.pos+1 >= len(p.in) {
				return nil, malformedArray(p.in, "Unexpected end of input.")
			}
			b.WriteByte(p.in[p.pos+1])
			p.pos += 2
			hasEscape = true
			trailing = 0
			continue
		case c == '"':
			if b.Len() > 0 || quoted {
				return nil, malformedArray(p.in, "Unexpected array element.")
			}
			// A quoted string up to the closing quote.
			p.pos++
			quoted = true
			for {
				if p.pos >= len(p.in) {
					return nil, malformedArray(p.in, "Unexpected end of input.")
				}
				c := p.in[p.pos]
				if c == '\\' {
					if p.pos+1 >= len(p.in) {
						return nil, malformedArray(p.in, "Unexpected end of input.")
					}
					b.WriteByte(p.in[p.pos+1])
					p.pos += 2
					continue
				}
				p.pos++
				if c == '"' {
					break
				}
				b.WriteByte(c)
			}
			p.skipSpace()
			if p.pos < len(p.in) && p.in[p.pos] != ',' && p.in[p.pos] != '}' {
				return nil, malformedArray(p.in, "Unexpected array element.")
			}
			continue
		case c == ',' || c == '}':
			str := b.String()
			if trailing > 0 {
				str = str[:len(str)-trailing]
			}
			if !quoted && !hasEscape && strings.EqualFold(str, "NULL") {
				return nil, nil
			}
			if !quoted && str == "" {
				return nil, malformedArray(p.in, "Unexpected \""+string(c)+"\" character.")
			}
			return ParseText(p.et, str, p.s)
		case c == '{':
			return nil, malformedArray(p.in, `Unexpected "{" character.`)
		default:
			if quoted {
				return nil, malformedArray(p.in, "Incorrectly quoted array element.")
			}
			if isArraySpace(c) {
				trailing++
			} else {
				trailing = 0
			}
			b.WriteByte(c)
			p.pos++
		}
	}
	return nil, malformedArray(p.in, "Unexpected end of input.")
}

// arrayLen is the number of elements dims describe.
func arrayLen(dims []types.ArrayDim) int {
	if len(dims) == 0 {
		return 0
	}
	n := 1
	for _, d := range dims {
		n *= int(d.Len)
	}
	return n
}

// appendArrayBinary is array_send.
func appendArrayBinary(buf []byte, t types.T, a *types.DArray) ([]byte, error) {
	et := t.Elem()
	hasNull := int32(0)
	for _, e := range a.Elems {
		if e == nil {
			hasNull = 1
			break
		}
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(a.Dims)))
	buf = binary.BigEndian.AppendUint32(buf, uint32(hasNull))
	buf = binary.BigEndian.AppendUint32(buf, et.Oid)
	for _, d := range a.Dims {
		buf = binary.BigEndian.AppendUint32(buf, uint32(d.Len))
		buf = binary.BigEndian.AppendUint32(buf, uint32(d.Lower))
	}
	for _, e := range a.Elems {
		if e == nil {
			buf = binary.BigEndian.AppendUint32(buf, 0xffffffff)
			continue
		}
		lenAt := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		var err error
		if buf, err = AppendBinary(buf, et, e); err != nil {
			return nil, err
		}
		binary.BigEndian.PutUint32(buf[lenAt:], uint32(len(buf)-lenAt-4))
	}
	return buf, nil
}

// parseArrayBinary is array_recv.
func parseArrayBinary(t types.T, b []byte) (*types.DArray, error) {
	et := t.Elem()
	u32 := func() (uint32, error) {
		if len(b) < 4 {
			return 0, errInsufficientData()
		}
		v := binary.BigEndian.Uint32(b)
		b = b[4:]
		return v, nil
	}
	ndim, err := u32()
	if err != nil {
		return nil, err
	}
	if int32(ndim) < 0 {
		return nil, pgerror.New(pgerror.InvalidBinaryRepresentation, "invalid number of dimensions: %d", int32(ndim))
	}
	if ndim > types.MaxArrayDims {
		return nil, pgerror.New(pgerror.ProgramLimitExceeded, "number of array dimensions (%d) exceeds the maximum allowed (%d)", ndim, types.MaxArrayDims)
	}
	flags, err := u32()
	if err != nil {
		return nil, err
	}
	if flags != 0 && flags != 1 {
		return nil, pgerror.New(pgerror.InvalidBinaryRepresentation, "invalid array flags")
	}
	elemOid, err := u32()
	if err != nil {
		return nil, err
	}
	if elemOid != et.Oid {
		return nil, pgerror.New(pgerror.DatatypeMismatch, "binary data has array element type %d (%s) instead of expected %d (%s)",
			elemOid, types.T{Oid: elemOid, Typmod: -1}.TypName(), et.Oid, et.TypName())
	}
	a := &types.DArray{}
	n := int64(1)
	for range ndim {
		l, err := u32()
		if err != nil {
			return nil, err
		}
		lo, err := u32()
		if err != nil {
			return nil, err
		}
		if int32(l) < 0 {
			return nil, pgerror.New(pgerror.InvalidBinaryRepresentation, "invalid array dimension")
		}
		n *= int64(l)
		if n > 1<<27 {
			return nil, pgerror.New(pgerror.ProgramLimitExceeded, "array size exceeds the maximum allowed (134217727)")
		}
		a.Dims = append(a.Dims, types.ArrayDim{Len: int32(l), Lower: int32(lo)})
	}
	if ndim == 0 {
		n = 0
	}
	if n == 0 {
		a.Dims = nil
	}
	for range n {
		l, err := u32()
		if err != nil {
			return nil, err
		}
		if l == 0xffffffff {
			a.Elems = append(a.Elems, nil)
			continue
		}
		if int(l) > len(b) {
			return nil, errInsufficientData()
		}
		e, err := ParseBinary(et, b[:l])
		if err != nil {
			return nil, err
		}
		b = b[l:]
		a.Elems = append(a.Elems, e)
	}
	if len(b) != 0 {
		return nil, errExtraData()
	}
	return a, nil
}

// castArray casts an array element by element (PostgreSQL's
// array_map through the element cast).
func castArray(a *types.DArray, from, to types.T, explicit bool, s *Settings) (*types.DArray, error) {
	out := &types.DArray{Dims: a.Dims, Elems: make([]types.Datum, len(a.Elems))}
	fe, te := from.Elem(), to.Elem()
	for i, e := range a.Elems {
		v, err := Cast(e, fe, te, explicit, s)
		if err != nil {
			return nil, err
		}
		out.Elems[i] = v
	}
	return out, nil
}

// applyArrayTypmod applies the element type's modifier to every element.
func applyArrayTypmod(t types.T, a *types.DArray) (*types.DArray, error) {
	if t.Typmod < 0 {
		return a, nil
	}
	et := t.Elem()
	var out *types.DArray
	for i, e := range a.Elems {
		v, err := ApplyTypmod(et, e)
		if err != nil {
			return nil, err
		}
		if out == nil && !sameDatum(v, e) {
			out = &types.DArray{Dims: a.Dims, Elems: append([]types.Datum(nil), a.Elems...)}
		}
		if out != nil {
			out.Elems[i] = v
		}
	}
	if out == nil {
		return a, nil
	}
	return out, nil
}

// sameDatum reports whether ApplyTypmod left a value unchanged (strings
// and pointers compare by identity-ish equality; enough to avoid a copy).
func sameDatum(a, b types.Datum) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case types.DTimestamp:
		y, ok := b.(types.DTimestamp)
		return ok && x == y
	}
	return false
}

// CompareArrays orders two arrays of type t as PostgreSQL's btree
// array_cmp: element by element in storage order (a NULL element sorts
// after every value and equals another NULL), then the one with fewer
// elements first, then by number of dimensions, then by each
// dimension's length and lower bound.
func CompareArrays(t types.T, a, b *types.DArray) int {
	et := t.Elem()
	n := min(len(a.Elems), len(b.Elems))
	for i := range n {
		x, y := a.Elems[i], b.Elems[i]
		switch {
		case x == nil && y == nil:
			continue
		case x == nil:
			return 1
		case y == nil:
			return -1
		}
		if c := Compare(et, x, y); c != 0 {
			return c
		}
	}
	switch {
	case len(a.Elems) < len(b.Elems):
		return -1
	case len(a.Elems) > len(b.Elems):
		return 1
	case len(a.Dims) != len(b.Dims):
		if len(a.Dims) < len(b.Dims) {
			return -1
		}
		return 1
	}
	for i := range a.Dims {
		if a.Dims[i].Len != b.Dims[i].Len {
			if a.Dims[i].Len < b.Dims[i].Len {
				return -1
			}
			return 1
		}
		if a.Dims[i].Lower != b.Dims[i].Lower {
			if a.Dims[i].Lower < b.Dims[i].Lower {
				return -1
			}
			return 1
		}
	}
	return 0
}
