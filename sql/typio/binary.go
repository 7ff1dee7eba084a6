package typio

import (
	"encoding/binary"
	"fmt"
	"github.com/aegisdb/aegis/sql/jsonb"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/cockroachdb/apd/v3"
)

func errInsufficientData() *pgerror.Error {
	return pgerror.New(pgerror.ProtocolViolation, "insufficient data left in message")
}

func errExtraData() *pgerror.Error {
	return pgerror.New(pgerror.InvalidBinaryRepresentation, "incorrect binary data format")
}

// AppendBinary appends PostgreSQL's binary send format of d (non-nil) to buf.
func AppendBinary(buf []byte, t types.T, d types.Datum) ([]byte, error) {
	if t.IsRegType() {
		t = types.OidT // OID alias types send the OID
	}
	if a, ok := d.(*types.DArray); ok && t.IsArray() {
		return appendArrayBinary(buf, t, a)
	}
	switch t.Oid {
	case types.OidBool:
		if v, ok := d.(bool); ok {
			if v {
				return append(buf, 1), nil
			}
			return append(buf, 0), nil
		}
	case types.OidInt2:
		if v, ok := d.(int64); ok {
			return binary.BigEndian.AppendUint16(buf, uint16(int16(v))), nil
		}
	case types.OidInt4, types.OidOid:
		if v, ok := d.(int64); ok {
			return binary.BigEndian.AppendUint32(buf, uint32(v)), nil
		}
	case types.OidInt8:
		if v, ok := d.(int64); ok {
			return binary.BigEndian.AppendUint64(buf, uint64(v)), nil
		}
	case types.OidFloat4:
		if v, ok := d.(float64); ok {
			if math.IsNaN(v) {
				return binary.BigEndian.AppendUint32(buf, 0x7fc00000), nil
			}
			return binary.BigEndian.AppendUint32(buf, math.Float32bits(float32(v))), nil
		}
	case types.OidFloat8:
		if v, ok := d.(float64); ok {
			if math.IsNaN(v) {
				return binary.BigEndian.AppendUint64(buf, 0x7ff8000000000000), nil
			}
			return binary.BigEndian.AppendUint64(buf, math.Float64bits(v)), nil
		}
	case types.OidNumeric:
		if v, ok := d.(*apd.Decimal); ok {
			return appendNumericBinary(buf, v), nil
		}
	case types.OidText, types.OidVarchar, types.OidBpchar, types.OidName, types.OidChar, types.OidUnknown:
		if v, ok := d.(string); ok {
			return append(buf, v...), nil
		}
	case types.OidBytea:
		if v, ok := d.([]byte); ok {
			return append(buf, v...), nil
		}
	case types.OidDate:
		if v, ok := d.(types.DDate); ok {
			var x int32
			switch v {
			case types.DateNegInfinity, types.DatePosInfinity:
				x = int32(v)
			default:
				x = int32(int64(v) - pgEpochDays)
			}
			return binary.BigEndian.AppendUint32(buf, uint32(x)), nil
		}
	case types.OidTimestamp, types.OidTimestampTZ:
		if v, ok := d.(types.DTimestamp); ok {
			x := int64(v)
			if v != types.TimestampNegInfinity && v != types.TimestampPosInfinity {
				x -= pgEpochMicros
			}
			return binary.BigEndian.AppendUint64(buf, uint64(x)), nil
		}
	case types.OidInterval:
		if v, ok := d.(types.DInterval); ok {
			buf = binary.BigEndian.AppendUint64(buf, uint64(v.Micros))
			buf = binary.BigEndian.AppendUint32(buf, uint32(v.Days))
			return binary.BigEndian.AppendUint32(buf, uint32(v.Months)), nil
		}
	case types.OidUUID:
		if v, ok := d.(types.DUUID); ok {
			return append(buf, v[:]...), nil
		}
	case types.OidJSON:
		if v, ok := d.(string); ok {
			return jsonb.SendJSON(buf, v), nil
		}
	case types.OidJSONB:
		if v, ok := d.(jsonb.Value); ok {
			return v.AppendSend(buf), nil
		}
	case types.OidRecord:
		if v, ok := d.(*types.DRecord); ok {
			return appendRecordBinary(buf, v)
		}
	case types.OidVoid:
		return buf, nil
	default:
		if v, ok := d.(string); ok && t.Family() == types.EnumFamily {
			return append(buf, v...), nil // enum_send: the label
		}
		return nil, pgerror.New(pgerror.FeatureNotSupported, "no binary output function available for type %s", t.String())
	}
	return nil, errWrongDatum(t, d)
}

func fixedLen(b []byte, n int) error {
	if len(b) < n {
		return errInsufficientData()
	}
	if len(b) > n {
		return errExtraData()
	}
	return nil
}

// checkUTF8 validates text received in binary form as pg_verifymbstr does.
func checkUTF8(b []byte) error {
	for i := 0; i < len(b); {
		c := b[i]
		if c == 0 {
			return pgerror.New(pgerror.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": 0x00")
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			want := 1
			switch {
			case c&0xe0 == 0xc0:
				want = 2
			case c&0xf0 == 0xe0:
				want = 3
			case c&0xf8 == 0xf0:
				want = 4
			}
			if i+want > len(b) {
				want = len(b) - i
			}
			parts := make([]string, want)
			for k := 0; k < want; k++ {
				parts[k] = fmt.Sprintf("0x%02x", b[i+k])
			}
			return pgerror.New(pgerror.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": %s", strings.Join(parts, " "))
		}
		i += n
	}
	return nil
}

// ParseBinary runs PostgreSQL's receive function of t on b and applies
// t's type modifier.
func ParseBinary(t types.T, b []byte) (types.Datum, error) {
	if t.IsRegType() {
		t = types.OidT
	}
	if t.IsArray() {
		a, err := parseArrayBinary(t, b)
		if err != nil {
			return nil, err
		}
		return ApplyTypmod(t, a)
	}
	var d types.Datum
	switch t.Oid {
	case types.OidBool:
		if err := fixedLen(b, 1); err != nil {
			return nil, err
		}
		d = b[0] != 0
	case types.OidInt2:
		if err := fixedLen(b, 2); err != nil {
			return nil, err
		}
		d = int64(int16(binary.BigEndian.Uint16(b)))
	case types.OidInt4:
		if err := fixedLen(b, 4); err != nil {
			return nil, err
		}
		d = int64(int32(binary.BigEndian.Uint32(b)))
	case types.OidOid:
		if err := fixedLen(b, 4); err != nil {
			return nil, err
		}
		d = int64(binary.BigEndian.Uint32(b))
	case types.OidInt8:
		if err := fixedLen(b, 8); err != nil {
			return nil, err
		}
		d = int64(binary.BigEndian.Uint64(b))
	case types.OidFloat4:
		if err := fixedLen(b, 4); err != nil {
			return nil, err
		}
		d = float64(math.Float32frombits(binary.BigEndian.Uint32(b)))
	case types.OidFloat8:
		if err := fixedLen(b, 8); err != nil {
			return nil, err
		}
		d = math.Float64frombits(binary.BigEndian.Uint64(b))
	case types.OidNumeric:
		v, err := parseNumericBinary(b)
		if err != nil {
			return nil, err
		}
		d = v
	case types.OidText, types.OidVarchar, types.OidBpchar, types.OidChar, types.OidUnknown:
		if err := checkUTF8(b); err != nil {
			return nil, err
		}
		d = string(b)
	case types.OidName:
		if err := checkUTF8(b); err != nil {
			return nil, err
		}
		if len(b) >= 64 {
			return nil, pgerror.New(pgerror.NameTooLong, "identifier too long").
				WithDetail("Identifier must be less than %d characters.", 64)
		}
		d = string(b)
	case types.OidBytea:
		d = append([]byte(nil), b...)
	case types.OidDate:
		if err := fixedLen(b, 4); err != nil {
			return nil, err
		}
		x := int32(binary.BigEndian.Uint32(b))
		switch x {
		case math.MinInt32:
			d = types.DateNegInfinity
		case math.MaxInt32:
			d = types.DatePosInfinity
		default:
			days := int64(x) + pgEpochDays
			if !validDate(days) {
				return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range")
			}
			d = types.DDate(days)
		}
	case types.OidTimestamp, types.OidTimestampTZ:
		if err := fixedLen(b, 8); err != nil {
			return nil, err
		}
		x := int64(binary.BigEndian.Uint64(b))
		switch x {
		case math.MinInt64:
			d = types.TimestampNegInfinity
		case math.MaxInt64:
			d = types.TimestampPosInfinity
		default:
			if x > endTimestamp-1-pgEpochMicros || !validTimestamp(x+pgEpochMicros) {
				return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
			}
			d = types.DTimestamp(x + pgEpochMicros)
		}
	case types.OidInterval:
		if err := fixedLen(b, 16); err != nil {
			return nil, err
		}
		d = types.DInterval{
			Micros: int64(binary.BigEndian.Uint64(b)),
			Days:   int32(binary.BigEndian.Uint32(b[8:])),
			Months: int32(binary.BigEndian.Uint32(b[12:])),
		}
	case types.OidUUID:
		if err := fixedLen(b, 16); err != nil {
			return nil, err
		}
		var u types.DUUID
		copy(u[:], b)
		d = u
	case types.OidJSON:
		s, err := jsonb.RecvJSON(b)
		if err != nil {
			return nil, err
		}
		d = s
	case types.OidRecord:
		return nil, errRecordInput()
	case types.OidJSONB:
		v, err := jsonb.Recv(b)
		if err != nil {
			return nil, err
		}
		d = v
	default:
		if t.Family() == types.EnumFamily {
			return ParseText(t, string(b), nil) // enum_recv: the label
		}
		return nil, pgerror.New(pgerror.FeatureNotSupported, "no binary input function available for type %s", t.String())
	}
	return ApplyTypmod(t, d)
}
