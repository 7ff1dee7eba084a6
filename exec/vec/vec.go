package vec

import (
	"encoding/binary"
	"fmt"
	"github.com/aegisdb/aegis/sql/jsonb"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/cockroachdb/apd/v3"

	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// BatchSize is the number of rows operators aim to put in a batch.
const BatchSize = 1024

// Batch is the unit operators exchange.
type Batch = arrow.RecordBatch

// Alloc is the allocator operators use.
var Alloc memory.Allocator = memory.DefaultAllocator

var uuidType = &arrow.FixedSizeBinaryType{ByteWidth: 16}
var tsType = &arrow.TimestampType{Unit: arrow.Microsecond}
var intervalType = &arrow.FixedSizeBinaryType{ByteWidth: 16}

// encodeInterval packs an interval as months, days, µs (little endian).
func encodeInterval(b *[16]byte, v types.DInterval) {
	binary.LittleEndian.PutUint32(b[0:], uint32(v.Months))
	binary.LittleEndian.PutUint32(b[4:], uint32(v.Days))
	binary.LittleEndian.PutUint64(b[8:], uint64(v.Micros))
}

func decodeInterval(b []byte) types.DInterval {
	return types.DInterval{Months: int32(binary.LittleEndian.Uint32(b[0:])), Days: int32(binary.LittleEndian.Uint32(b[4:])),
		Micros: int64(binary.LittleEndian.Uint64(b[8:]))}
}

// ArrowType returns the Arrow type that holds values of t.
func ArrowType(t types.T) arrow.DataType {
	switch t.Oid {
	case types.OidBool:
		return arrow.FixedWidthTypes.Boolean
	case types.OidInt2:
		return arrow.PrimitiveTypes.Int16
	case types.OidInt4:
		return arrow.PrimitiveTypes.Int32
	case types.OidInt8, types.OidOid, types.OidRegProc, types.OidRegProcedure, types.OidRegClass,
		types.OidRegType, types.OidRegNamespace, types.OidRegRole:
		return arrow.PrimitiveTypes.Int64
	case types.OidFloat4:
		return arrow.PrimitiveTypes.Float32
	case types.OidFloat8:
		return arrow.PrimitiveTypes.Float64
	case types.OidBytea:
		return arrow.BinaryTypes.Binary
	case types.OidDate:
		return arrow.FixedWidthTypes.Date32
	case types.OidTimestamp, types.OidTimestampTZ:
		return tsType
	case types.OidInterval:
		// Arrow's month-day-nano interval cannot hold PostgreSQL's full
		// microsecond range: intervals are 16 bytes (months, days, µs).
		return intervalType
	case types.OidUUID:
		return uuidType
	case types.OidVoid:
		return arrow.Null
	}
	if t.IsArray() || t.Oid == types.OidRecord {
		// Arrays travel in PostgreSQL's binary (array_send) format,
		// records in typio's self-describing one.
		return arrow.BinaryTypes.Binary
	}
	// numeric, every string type, json and jsonb (as text)
	return arrow.BinaryTypes.String
}

// Schema builds an Arrow schema for columns of the given types.
func Schema(ts []types.T) *arrow.Schema {
	fields := make([]arrow.Field, len(ts))
	for i, t := range ts {
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: ArrowType(t), Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// NewBuilder returns a builder for values of t.
func NewBuilder(t types.T) array.Builder {
	return array.NewBuilder(Alloc, ArrowType(t))
}

// Get returns row i of arr as a Datum of type t (nil when NULL).
func Get(t types.T, arr arrow.Array, i int) types.Datum {
	if arr.IsNull(i) {
		return nil
	}
	switch a := arr.(type) {
	case *array.Boolean:
		return a.Value(i)
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Float32:
		return float64(a.Value(i))
	case *array.Float64:
		return a.Value(i)
	case *array.String:
		if t.Oid == types.OidNumeric {
			d, _, err := apd.NewFromString(a.Value(i))
			if err != nil {
				return nil
			}
			return d
		}
		if t.Oid == types.OidJSONB {
			v, err := jsonb.ParseJSONB(a.Value(i))
			if err != nil {
				return nil
			}
			return v
		}
		return a.Value(i)
	case *array.Binary:
		if t.Oid == types.OidRecord {
			r, err := typio.ParseRecordInternal(a.Value(i))
			if err != nil {
				return nil
			}
			return r
		}
		if t.IsArray() {
			d, err := typio.ParseBinary(t.WithoutTypmod(), a.Value(i))
			if err != nil {
				return nil
			}
			return d
		}
		return a.Value(i)
	case *array.Date32:
		return types.DDate(a.Value(i))
	case *array.Timestamp:
		return types.DTimestamp(a.Value(i))
	case *array.FixedSizeBinary:
		if t.Oid == types.OidInterval {
			return decodeInterval(a.Value(i))
		}
		var u types.DUUID
		copy(u[:], a.Value(i))
		return u
	case *array.Null:
		return nil
	}
	return nil
}

// NumericString renders a decimal for storage in a numeric column,
// keeping its scale (apd's Text('f') does, and spells NaN/Infinity the
// way PostgreSQL's input accepts them).
func NumericString(d *apd.Decimal) string {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return "NaN"
	case apd.Infinite:
		if d.Negative {
			return "-Infinity"
		}
		return "Infinity"
	}
	return d.Text('f')
}

// Append appends d (of type t) to b. It returns an error when d's Go type
// does not match t, which is an internal invariant violation.
func Append(b array.Builder, t types.T, d types.Datum) error {
	if d == nil {
		b.AppendNull()
		return nil
	}
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		if v, ok := d.(bool); ok {
			bb.Append(v)
			return nil
		}
	case *array.Int16Builder:
		if v, ok := d.(int64); ok {
			bb.Append(int16(v))
			return nil
		}
	case *array.Int32Builder:
		if v, ok := d.(int64); ok {
			bb.Append(int32(v))
			return nil
		}
	case *array.Int64Builder:
		if v, ok := d.(int64); ok {
			bb.Append(v)
			return nil
		}
	case *array.Float32Builder:
		if v, ok := d.(float64); ok {
			bb.Append(float32(v))
			return nil
		}
	case *array.Float64Builder:
		if v, ok := d.(float64); ok {
			bb.Append(v)
			return nil
		}
	case *array.StringBuilder:
		switch v := d.(type) {
		case string:
			bb.Append(v)
			return nil
		case *apd.Decimal:
			bb.Append(NumericString(v))
			return nil
		case jsonb.Value:
			bb.BinaryBuilder.Append(v.AppendText(nil))
			return nil
		}
	case *array.BinaryBuilder:
		switch v := d.(type) {
		case []byte:
			bb.Append(v)
			return nil
		case *types.DRecord:
			enc, err := typio.AppendRecordInternal(nil, v)
			if err != nil {
				return err
			}
			bb.Append(enc)
			return nil
		case *types.DArray:
			enc, err := typio.AppendBinary(nil, t, v)
			if err != nil {
				return err
			}
			bb.Append(enc)
			return nil
		}
	case *array.Date32Builder:
		if v, ok := d.(types.DDate); ok {
			bb.Append(arrow.Date32(v))
			return nil
		}
	case *array.TimestampBuilder:
		if v, ok := d.(types.DTimestamp); ok {
			bb.Append(arrow.Timestamp(v))
			return nil
		}
	case *array.FixedSizeBinaryBuilder:
		switch v := d.(type) {
		case types.DUUID:
			bb.Append(v[:])
			return nil
		case types.DInterval:
			var b [16]byte
			encodeInterval(&b, v)
			bb.Append(b[:])
			return nil
		}
	case *array.NullBuilder:
		bb.AppendNull()
		return nil
	}
	return fmt.Errorf("internal error: value %T does not fit a %s column", d, t)
}

// AppendFrom copies row i of src into b (same Arrow type).
func AppendFrom(b array.Builder, t types.T, src arrow.Array, i int) {
	if src.IsNull(i) {
		b.AppendNull()
		return
	}
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		bb.Append(src.(*array.Boolean).Value(i))
	case *array.Int16Builder:
		bb.Append(src.(*array.Int16).Value(i))
	case *array.Int32Builder:
		bb.Append(src.(*array.Int32).Value(i))
	case *array.Int64Builder:
		bb.Append(src.(*array.Int64).Value(i))
	case *array.Float32Builder:
		bb.Append(src.(*array.Float32).Value(i))
	case *array.Float64Builder:
		bb.Append(src.(*array.Float64).Value(i))
	case *array.StringBuilder:
		bb.Append(src.(*array.String).Value(i))
	case *array.BinaryBuilder:
		bb.Append(src.(*array.Binary).Value(i))
	case *array.Date32Builder:
		bb.Append(src.(*array.Date32).Value(i))
	case *array.TimestampBuilder:
		bb.Append(src.(*array.Timestamp).Value(i))
	case *array.FixedSizeBinaryBuilder:
		bb.Append(src.(*array.FixedSizeBinary).Value(i))
	default:
		_ = Append(b, t, Get(t, src, i))
	}
}

// NewBatch assembles a batch from builders (which are reset).
func NewBatch(ts []types.T, bs []array.Builder, n int) Batch {
	cols := make([]arrow.Array, len(bs))
	for i, b := range bs {
		cols[i] = b.NewArray()
	}
	return array.NewRecordBatch(Schema(ts), cols, int64(n))
}

// FromArrays assembles a batch from arrays of the given types.
func FromArrays(ts []types.T, cols []arrow.Array, n int) Batch {
	return array.NewRecordBatch(Schema(ts), cols, int64(n))
}

// Take returns a batch with the rows of b at idx, in that order.
func Take(ts []types.T, b Batch, idx []int) Batch {
	bs := make([]array.Builder, len(ts))
	for c := range ts {
		bs[c] = NewBuilder(ts[c])
		bs[c].Reserve(len(idx))
		col := b.Column(c)
		for _, i := range idx {
			AppendFrom(bs[c], ts[c], col, i)
		}
	}
	return NewBatch(ts, bs, len(idx))
}

// Slice returns rows [from, to) of b.
func Slice(b Batch, from, to int) Batch {
	return b.NewSlice(int64(from), int64(to))
}

// Row reads row i of b as Datums.
func Row(ts []types.T, b Batch, i int) []types.Datum {
	out := make([]types.Datum, len(ts))
	for c := range ts {
		out[c] = Get(ts[c], b.Column(c), i)
	}
	return out
}

// Rows builds one batch out of rows of Datums.
func Rows(ts []types.T, rows [][]types.Datum) (Batch, error) {
	bs := make([]array.Builder, len(ts))
	for c := range ts {
		bs[c] = NewBuilder(ts[c])
	}
	for _, r := range rows {
		for c := range ts {
			if err := Append(bs[c], ts[c], r[c]); err != nil {
				return nil, err
			}
		}
	}
	return NewBatch(ts, bs, len(rows)), nil
}
