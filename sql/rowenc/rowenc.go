package rowenc

import (
	"encoding/binary"
	"fmt"
	"github.com/aegisdb/aegis/sql/jsonb"
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/aegisdb/aegis/internal/encoding"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// TablePrefix is the first byte of every table data key.
const TablePrefix = 'r'

// IndexPrefix returns the key prefix of an index of a table.
func IndexPrefix(tableID, indexID uint32) []byte {
	b := make([]byte, 9, 32)
	b[0] = TablePrefix
	binary.BigEndian.PutUint32(b[1:], tableID)
	binary.BigEndian.PutUint32(b[5:], indexID)
	return b
}

// TableSpan returns the [start, end) span of every key of a table.
func TableSpan(tableID uint32) (start, end []byte) {
	start = make([]byte, 5)
	start[0] = TablePrefix
	binary.BigEndian.PutUint32(start[1:], tableID)
	end = make([]byte, 5)
	end[0] = TablePrefix
	binary.BigEndian.PutUint32(end[1:], tableID+1)
	return start, end
}

// PrefixEnd returns the smallest key greater than every key with prefix p.
func PrefixEnd(p []byte) []byte {
	out := append([]byte(nil), p...)
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] != 0xff {
			out[i]++
			return out[:i+1]
		}
	}
	return nil
}

// EncodeKeyValue appends the order-preserving encoding of d (of type t).
// NULL sorts first.
func EncodeKeyValue(b []byte, t types.T, d types.Datum) ([]byte, error) {
	if d == nil {
		return encoding.EncodeNullAscending(b), nil
	}
	if label, ok := d.(string); ok && t.Family() == types.EnumFamily {
		// Enums order by their labels' sort positions.
		pos, ok := types.EnumSortOrder(t, label)
		if !ok {
			return nil, fmt.Errorf("internal error: %q is not a label of enum %s", label, t)
		}
		return encoding.EncodeFloatAscending(b, pos), nil
	}
	switch v := d.(type) {
	case bool:
		if v {
			return encoding.EncodeVarintAscending(b, 1), nil
		}
		return encoding.EncodeVarintAscending(b, 0), nil
	case int64:
		return encoding.EncodeVarintAscending(b, v), nil
	case float64:
		return encoding.EncodeFloatAscending(b, v), nil
	case *apd.Decimal:
		return encoding.EncodeDecimalAscending(b, v), nil
	case string:
		return encoding.EncodeStringAscending(b, v), nil
	case []byte:
		return encoding.EncodeBytesAscending(b, v), nil
	case types.DDate:
		return encoding.EncodeVarintAscending(b, int64(v)), nil
	case types.DTimestamp:
		return encoding.EncodeVarintAscending(b, int64(v)), nil
	case types.DUUID:
		return encoding.EncodeBytesAscending(b, v[:]), nil
	case types.DInterval:
		// Intervals order by their span; equal spans with different
		// fields are distinct keys, ordered by fields.
		span := int64(v.Months)*30*86400e6 + int64(v.Days)*86400e6 + v.Micros
		b = encoding.EncodeVarintAscending(b, span)
		b = encoding.EncodeVarintAscending(b, int64(v.Months))
		b = encoding.EncodeVarintAscending(b, int64(v.Days))
		return encoding.EncodeVarintAscending(b, v.Micros), nil
	case *types.DArray:
		return encodeArrayKey(b, t, v)
	case jsonb.Value:
		return encodeJSONBKey(b, v), nil
	}
	return nil, fmt.Errorf("internal error: cannot encode %T as a key of type %s", d, t)
}

// Array key markers: each element is preceded by a marker, and the
// elements end with arrayKeyEnd, so that arrays order as
// typio.CompareArrays does: element by element (NULL elements last),
// then the shorter first, then by dimensions.
const (
	arrayKeyEnd  = 0x00
	arrayKeyElem = 0x01
	arrayKeyNull = 0x02
)

func encodeArrayKey(b []byte, t types.T, a *types.DArray) ([]byte, error) {
	et := t.Elem()
	for _, e := range a.Elems {
		if e == nil {
			b = append(b, arrayKeyNull)
			continue
		}
		b = append(b, arrayKeyElem)
		var err error
		if b, err = EncodeKeyValue(b, et, e); err != nil {
			return nil, err
		}
	}
	b = append(b, arrayKeyEnd)
	b = encoding.EncodeVarintAscending(b, int64(len(a.Dims)))
	for _, d := range a.Dims {
		b = encoding.EncodeVarintAscending(b, int64(d.Len))
		b = encoding.EncodeVarintAscending(b, int64(d.Lower))
	}
	return b, nil
}

// encodeJSONBKey appends an order-preserving encoding of a jsonb value
// that sorts as jsonb.Compare: a top-level scalar is a one-element "raw
// scalar" array that sorts before the one-element arrays; below that,
// nodes sort by kind, arrays and objects by their length first.
func encodeJSONBKey(b []byte, v jsonb.Value) []byte {
	switch {
	case v.IsScalar():
		b = append(b, byte(jsonb.KindArray))
		b = encoding.EncodeUvarintAscending(b, 1)
		b = append(b, 0)
	case v.Kind() == jsonb.KindArray:
		b = append(b, byte(jsonb.KindArray))
		b = encoding.EncodeUvarintAscending(b, uint64(v.Len()))
		b = append(b, 1)
		for _, e := range v.Elems() {
			b = encodeJSONBNode(b, e)
		}
		return b
	}
	return encodeJSONBNode(b, v)
}

func encodeJSONBNode(b []byte, v jsonb.Value) []byte {
	b = append(b, byte(v.Kind()))
	switch v.Kind() {
	case jsonb.KindString:
		b = encoding.EncodeStringAscending(b, v.Str())
	case jsonb.KindNumber:
		b = encoding.EncodeDecimalAscending(b, v.Num())
	case jsonb.KindBool:
		if v.Bool() {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	case jsonb.KindArray:
		b = encoding.EncodeUvarintAscending(b, uint64(v.Len()))
		for _, e := range v.Elems() {
			b = encodeJSONBNode(b, e)
		}
	case jsonb.KindObject:
		b = encoding.EncodeUvarintAscending(b, uint64(v.Len()))
		for _, p := range v.Pairs() {
			b = encoding.EncodeStringAscending(b, p.Key)
			b = encodeJSONBNode(b, p.Value)
		}
	}
	return b
}

// Value tags.
const (
	tagInt      = 1
	tagFloat    = 2
	tagBytes    = 3
	tagTrue     = 4
	tagFalse    = 5
	tagInterval = 6
)

// EncodeValue appends column colID holding d (of type t) to a row value;
// NULLs are simply omitted.
func EncodeValue(b []byte, colID uint32, t types.T, d types.Datum) ([]byte, error) {
	if d == nil {
		return b, nil
	}
	b = binary.AppendUvarint(b, uint64(colID))
	switch v := d.(type) {
	case *types.DArray:
		// PostgreSQL's array_send format: self-describing, and the
		// element encodings are the wire's.
		enc, err := typio.AppendBinary(nil, t, v)
		if err != nil {
			return nil, err
		}
		b = binary.AppendUvarint(append(b, tagBytes), uint64(len(enc)))
		return append(b, enc...), nil
	case bool:
		if v {
			return append(b, tagTrue), nil
		}
		return append(b, tagFalse), nil
	case int64:
		return binary.AppendVarint(append(b, tagInt), v), nil
	case types.DDate:
		return binary.AppendVarint(append(b, tagInt), int64(v)), nil
	case types.DTimestamp:
		return binary.AppendVarint(append(b, tagInt), int64(v)), nil
	case float64:
		return binary.BigEndian.AppendUint64(append(b, tagFloat), math.Float64bits(v)), nil
	case string:
		b = binary.AppendUvarint(append(b, tagBytes), uint64(len(v)))
		return append(b, v...), nil
	case []byte:
		b = binary.AppendUvarint(append(b, tagBytes), uint64(len(v)))
		return append(b, v...), nil
	case types.DUUID:
		b = binary.AppendUvarint(append(b, tagBytes), 16)
		return append(b, v[:]...), nil
	case *apd.Decimal:
		s := v.Text('f')
		switch v.Form {
		case apd.NaN, apd.NaNSignaling:
			s = "NaN"
		case apd.Infinite:
			s = "Infinity"
			if v.Negative {
				s = "-Infinity"
			}
		}
		b = binary.AppendUvarint(append(b, tagBytes), uint64(len(s)))
		return append(b, s...), nil
	case jsonb.Value:
		enc := v.AppendText(nil)
		b = binary.AppendUvarint(append(b, tagBytes), uint64(len(enc)))
		return append(b, enc...), nil
	case types.DInterval:
		b = append(b, tagInterval)
		b = binary.AppendVarint(b, int64(v.Months))
		b = binary.AppendVarint(b, int64(v.Days))
		return binary.AppendVarint(b, v.Micros), nil
	}
	return nil, fmt.Errorf("internal error: cannot encode %T in a row value", d)
}

// DecodeValue calls fn for each column present in a row value. The datum
// is converted to the Go form of the type that typeOf returns for the
// column (ok=false: the column no longer exists and is skipped).
func DecodeValue(b []byte, typeOf func(colID uint32) (types.T, bool), fn func(colID uint32, d types.Datum) error) error {
	for len(b) > 0 {
		id, n := binary.Uvarint(b)
		if n <= 0 || len(b) < n+1 {
			return errCorrupt
		}
		b = b[n:]
		tag := b[0]
		b = b[1:]
		var raw any
		switch tag {
		case tagTrue:
			raw = true
		case tagFalse:
			raw = false
		case tagInt:
			v, n := binary.Varint(b)
			if n <= 0 {
				return errCorrupt
			}
			b = b[n:]
			raw = v
		case tagFloat:
			if len(b) < 8 {
				return errCorrupt
			}
			raw = math.Float64frombits(binary.BigEndian.Uint64(b))
			b = b[8:]
		case tagBytes:
			l, n := binary.Uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return errCorrupt
			}
			raw = b[n : n+int(l)]
			b = b[n+int(l):]
		case tagInterval:
			var f [3]int64
			for i := range f {
				v, n := binary.Varint(b)
				if n <= 0 {
					return errCorrupt
				}
				f[i] = v
				b = b[n:]
			}
			raw = types.DInterval{Months: int32(f[0]), Days: int32(f[1]), Micros: f[2]}
		default:
			return errCorrupt
		}
		t, ok := typeOf(uint32(id))
		if !ok {
			continue
		}
		d, err := convert(t, raw)
		if err != nil {
			return err
		}
		if err := fn(uint32(id), d); err != nil {
			return err
		}
	}
	return nil
}

var errCorrupt = fmt.Errorf("internal error: corrupt row value")

func convert(t types.T, raw any) (types.Datum, error) {
	switch t.Family() {
	case types.DateFamily:
		if v, ok := raw.(int64); ok {
			return types.DDate(v), nil
		}
	case types.TimestampFamily, types.TimestampTZFamily:
		if v, ok := raw.(int64); ok {
			return types.DTimestamp(v), nil
		}
	case types.StringFamily:
		if v, ok := raw.([]byte); ok {
			return string(v), nil
		}
	case types.BytesFamily:
		if v, ok := raw.([]byte); ok {
			return append([]byte(nil), v...), nil
		}
	case types.JSONFamily, types.EnumFamily:
		if v, ok := raw.([]byte); ok {
			return string(v), nil
		}
	case types.JSONBFamily:
		if v, ok := raw.([]byte); ok {
			d, err := jsonb.ParseJSONB(string(v))
			if err != nil {
				return nil, errCorrupt
			}
			return d, nil
		}
	case types.UUIDFamily:
		if v, ok := raw.([]byte); ok && len(v) == 16 {
			var u types.DUUID
			copy(u[:], v)
			return u, nil
		}
	case types.NumericFamily:
		if v, ok := raw.([]byte); ok {
			d, _, err := apd.NewFromString(string(v))
			if err != nil {
				return nil, errCorrupt
			}
			return d, nil
		}
	case types.ArrayFamily:
		if v, ok := raw.([]byte); ok {
			d, err := typio.ParseBinary(t.WithoutTypmod(), v)
			if err != nil {
				return nil, errCorrupt
			}
			return d, nil
		}
	default:
		return raw, nil
	}
	return nil, errCorrupt
}

// IndexEntry computes the KV entry of a secondary index for a row: vals
// are the indexed values (types ts), pkKey the encoded primary-key
// values (the suffix of the row key after IndexPrefix). See
// catalog.Index for the layout. unique reports whether the key is the
// collision key of a unique index (all values non-NULL).
func IndexEntry(tableID, indexID uint32, uniqueIndex bool, ts []types.T, vals []types.Datum, pkKey []byte) (key, value []byte, unique bool, err error) {
	key = IndexPrefix(tableID, indexID)
	hasNull := false
	for i, v := range vals {
		if v == nil {
			hasNull = true
		}
		if key, err = EncodeKeyValue(key, ts[i], v); err != nil {
			return nil, nil, false, err
		}
	}
	if uniqueIndex && !hasNull {
		return key, append([]byte(nil), pkKey...), true, nil
	}
	return append(key, pkKey...), []byte{}, false, nil
}
