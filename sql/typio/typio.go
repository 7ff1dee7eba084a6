package typio

import (
	"github.com/aegisdb/aegis/sql/jsonb"
	"time"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/cockroachdb/apd/v3"
)

// Settings holds the session parameters that influence text I/O.
type Settings struct {
	// Location is the session TimeZone; nil means UTC.
	Location *time.Location
	// DateStyle is the DateStyle setting, e.g. "ISO, MDY" (the default
	// when empty). Output is always ISO; the MDY/DMY/YMD component
	// decides how ambiguous numeric dates are read.
	DateStyle string
	// IntervalStyle is "postgres" (default when empty), "iso_8601",
	// "sql_standard" or "postgres_verbose".
	IntervalStyle string
	// Names resolves the names of OID alias types (regclass, ...); nil
	// prints them as numbers.
	Names RegNames
	// ExtraFloatDigits is extra_float_digits. PostgreSQL's default is 1;
	// any value > 0 selects the shortest exact output, values <= 0 select
	// %.{15+n}g (float8) / %.{6+n}g (float4).
	ExtraFloatDigits int
}

// DefaultSettings returns PostgreSQL's default session settings (UTC).
func DefaultSettings() *Settings {
	return &Settings{Location: time.UTC, DateStyle: "ISO, MDY", IntervalStyle: "postgres", ExtraFloatDigits: 1}
}

var defaultSettings = DefaultSettings()

func settingsOrDefault(s *Settings) *Settings {
	if s == nil {
		return defaultSettings
	}
	return s
}

func (s *Settings) loc() *time.Location {
	if s == nil || s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// AppendText appends PostgreSQL's text output of d (which must be non-nil
// and in the representation of t) to buf. A Datum of an unexpected Go type
// is printed with a best-effort fallback rather than panicking.
func AppendText(buf []byte, t types.T, d types.Datum, s *Settings) []byte {
	s = settingsOrDefault(s)
	if v, ok := d.(int64); ok && t.IsRegType() {
		return appendReg(buf, t, v, s)
	}
	switch t.Oid {
	case types.OidBool:
		if v, ok := d.(bool); ok {
			if v {
				return append(buf, 't')
			}
			return append(buf, 'f')
		}
	case types.OidInt2, types.OidInt4, types.OidInt8, types.OidOid:
		if v, ok := d.(int64); ok {
			return appendInt(buf, v)
		}
	case types.OidFloat4:
		if v, ok := d.(float64); ok {
			return appendFloat(buf, v, 32, s.ExtraFloatDigits)
		}
	case types.OidFloat8:
		if v, ok := d.(float64); ok {
			return appendFloat(buf, v, 64, s.ExtraFloatDigits)
		}
	case types.OidNumeric:
		if v, ok := d.(*apd.Decimal); ok {
			return appendNumeric(buf, v)
		}
	case types.OidText, types.OidVarchar, types.OidBpchar, types.OidName, types.OidChar, types.OidUnknown:
		if v, ok := d.(string); ok {
			return append(buf, v...)
		}
	case types.OidBytea:
		if v, ok := d.([]byte); ok {
			return appendByteaHex(buf, v)
		}
	case types.OidDate:
		if v, ok := d.(types.DDate); ok {
			return appendDate(buf, v)
		}
	case types.OidTimestamp:
		if v, ok := d.(types.DTimestamp); ok {
			return appendTimestamp(buf, v, nil)
		}
	case types.OidTimestampTZ:
		if v, ok := d.(types.DTimestamp); ok {
			return appendTimestamp(buf, v, s.loc())
		}
	case types.OidInterval:
		if v, ok := d.(types.DInterval); ok {
			return appendInterval(buf, v, s.IntervalStyle)
		}
	case types.OidUUID:
		if v, ok := d.(types.DUUID); ok {
			return appendUUID(buf, v)
		}
	case types.OidJSON:
		if v, ok := d.(string); ok {
			return append(buf, v...)
		}
	case types.OidJSONB:
		if v, ok := d.(jsonb.Value); ok {
			return v.AppendText(buf)
		}
	case types.OidVoid:
		return buf
	}
	if v, ok := d.(*types.DArray); ok && t.IsArray() {
		return appendArray(buf, t, v, s)
	}
	if v, ok := d.(*types.DRecord); ok {
		return appendRecord(buf, v, s)
	}
	if v, ok := d.(string); ok && t.Family() == types.EnumFamily {
		return append(buf, v...)
	}
	return appendFallback(buf, d)
}

// ParseText runs PostgreSQL's input function of t on text and then
// applies t's type modifier (see ApplyTypmod), as PostgreSQL's input
// functions do when given a typmod.
func ParseText(t types.T, text string, s *Settings) (types.Datum, error) {
	s = settingsOrDefault(s)
	if t.IsRegType() {
		return parseReg(t, text, s)
	}
	var d types.Datum
	var err error
	switch t.Oid {
	case types.OidBool:
		d, err = parseBool(text)
	case types.OidInt2, types.OidInt4, types.OidInt8:
		d, err = parseInt(t, text)
	case types.OidOid:
		d, err = parseOid(text)
	case types.OidFloat4:
		d, err = parseFloat(text, 32)
	case types.OidFloat8:
		d, err = parseFloat(text, 64)
	case types.OidNumeric:
		d, err = parseNumeric(text)
	case types.OidText, types.OidVarchar, types.OidBpchar, types.OidChar, types.OidUnknown:
		d = text
	case types.OidName:
		d = truncateName(text)
	case types.OidBytea:
		d, err = parseBytea(text)
	case types.OidDate:
		d, err = parseDate(text, s)
	case types.OidTimestamp:
		d, err = parseTimestamp(text, s, false)
	case types.OidTimestampTZ:
		d, err = parseTimestamp(text, s, true)
	case types.OidInterval:
		d, err = parseInterval(text)
	case types.OidUUID:
		d, err = parseUUID(text)
	case types.OidJSON:
		if err = jsonb.ValidateJSON(text); err == nil {
			d = text
		}
	case types.OidJSONB:
		d, err = jsonb.ParseJSONB(text)
	case types.OidRecord:
		err = errRecordInput()
	default:
		if info, ok := types.Enum(t.Oid); ok {
			for _, l := range info.Labels {
				if l == text {
					return l, nil
				}
			}
			return nil, pgerror.New(pgerror.InvalidTextRepresentation, "invalid input value for enum %s: \"%s\"", info.Name, text)
		}
		if !t.IsArray() {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "no input function for type %s", t.String())
		}
		d, err = parseArray(t, text, s)
	}
	if err != nil {
		return nil, err
	}
	return ApplyTypmod(t, d)
}

// errWrongDatum reports a Datum whose Go type does not match t.
func errWrongDatum(t types.T, d types.Datum) error {
	return pgerror.New(pgerror.InternalError, "unexpected datum %T for type %s", d, t.String())
}

func appendFallback(buf []byte, d types.Datum) []byte {
	switch v := d.(type) {
	case nil:
		return buf
	case bool:
		if v {
			return append(buf, 't')
		}
		return append(buf, 'f')
	case int64:
		return appendInt(buf, v)
	case float64:
		return appendFloat(buf, v, 64, 1)
	case *apd.Decimal:
		return appendNumeric(buf, v)
	case string:
		return append(buf, v...)
	case []byte:
		return appendByteaHex(buf, v)
	case types.DDate:
		return appendDate(buf, v)
	case types.DTimestamp:
		return appendTimestamp(buf, v, nil)
	case types.DInterval:
		return appendInterval(buf, v, "")
	case types.DUUID:
		return appendUUID(buf, v)
	case jsonb.Value:
		return v.AppendText(buf)
	case *types.DRecord:
		return appendRecord(buf, v, defaultSettings)
	}
	return append(buf, "?"...)
}
