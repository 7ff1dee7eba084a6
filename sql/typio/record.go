package typio

import (
	"encoding/binary"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
)

// appendRecord is record_out: (f1,f2,...) with each field's text output,
// double-quoted when empty or holding quotes, backslashes, parentheses,
// commas or white space; NULL fields are empty.
func appendRecord(buf []byte, r *types.DRecord, s *Settings) []byte {
	buf = append(buf, '(')
	for i, v := range r.Vals {
		if i > 0 {
			buf = append(buf, ',')
		}
		if v == nil {
			continue
		}
		text := AppendText(nil, r.Types[i], v, s)
		quote := len(text) == 0
		for _, c := range text {
			switch c {
			case '"', '\\', '(', ')', ',', ' ', '\t', '\n', '\r', '\v', '\f':
				quote = true
			}
		}
		if quote {
			buf = append(buf, '"')
		}
		for _, c := range text {
			if c == '"' || c == '\\' {
				buf = append(buf, c)
			}
			buf = append(buf, c)
		}
		if quote {
			buf = append(buf, '"')
		}
	}
	return append(buf, ')')
}

// appendRecordBinary is record_send: the field count, then each field's
// type OID, length (-1 for NULL) and binary value.
func appendRecordBinary(buf []byte, r *types.DRecord) ([]byte, error) {
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(r.Vals)))
	for i, v := range r.Vals {
		buf = binary.BigEndian.AppendUint32(buf, r.Types[i].Oid)
		if v == nil {
			buf = binary.BigEndian.AppendUint32(buf, 0xffffffff)
			continue
		}
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		var err error
		if buf, err = AppendBinary(buf, r.Types[i], v); err != nil {
			return nil, err
		}
		binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf, nil
}

func errRecordInput() error {
	return pgerror.New(pgerror.FeatureNotSupported, "input of anonymous composite types is not implemented")
}

// AppendRecordInternal appends a self-describing encoding of r (field
// names, types and binary values) for carrying records between
// operators; ParseRecordInternal reads it back.
func AppendRecordInternal(buf []byte, r *types.DRecord) ([]byte, error) {
	buf = binary.AppendUvarint(buf, uint64(len(r.Vals)))
	for i, v := range r.Vals {
		buf = binary.AppendUvarint(buf, uint64(len(r.Names[i])))
		buf = append(buf, r.Names[i]...)
		buf = binary.BigEndian.AppendUint32(buf, r.Types[i].Oid)
		buf = binary.BigEndian.AppendUint32(buf, uint32(r.Types[i].Typmod))
		if v == nil {
			buf = append(buf, 0)
			continue
		}
		buf = append(buf, 1)
		var enc []byte
		var err error
		if rv, ok := v.(*types.DRecord); ok {
			enc, err = AppendRecordInternal(nil, rv)
		} else {
			enc, err = AppendBinary(nil, r.Types[i], v)
		}
		if err != nil {
			return nil, err
		}
		buf = binary.AppendUvarint(buf, uint64(len(enc)))
		buf = append(buf, enc...)
	}
	return buf, nil
}

// ParseRecordInternal decodes AppendRecordInternal's encoding.
func ParseRecordInternal(b []byte) (*types.DRecord, error) {
	bad := pgerror.New(pgerror.InternalError, "corrupt record value")
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, bad
	}
	b = b[k:]
	r := &types.DRecord{Names: make([]string, n), Types: make([]types.T, n), Vals: make([]types.Datum, n)}
	for i := range r.Vals {
		l, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < l+9 {
			return nil, bad
		}
		r.Names[i] = string(b[k : k+int(l)])
		b = b[k+int(l):]
		r.Types[i] = types.T{Oid: binary.BigEndian.Uint32(b), Typmod: int32(binary.BigEndian.Uint32(b[4:]))}
		present := b[8]
		b = b[9:]
		if present == 0 {
			continue
		}
		l, k = binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < l {
			return nil, bad
		}
		enc := b[k : k+int(l)]
		b = b[k+int(l):]
		var err error
		if r.Types[i].Oid == types.OidRecord {
			r.Vals[i], err = ParseRecordInternal(enc)
		} else {
			r.Vals[i], err = ParseBinary(r.Types[i].WithoutTypmod(), enc)
		}
		if err != nil {
			return nil, err
		}
	}
	return r, nil
}
