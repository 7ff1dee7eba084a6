package jsonb

import (
	"github.com/aegisdb/aegis/sql/pgerror"
)

// String returns v's text form as jsonb_out prints it: ", " between
// elements, ": " after keys, numbers as numeric_out, strings escaped as
// escape_json.
func (v Value) String() string { return string(v.AppendText(nil)) }

// AppendText appends v's jsonb text form to buf and returns the extended
// buffer.
func (v Value) AppendText(buf []byte) []byte {
	switch v.kind {
	case KindNull:
		return append(buf, "null"...)
	case KindBool:
		if v.b {
			return append(buf, "true"...)
		}
		return append(buf, "false"...)
	case KindNumber:
		return appendNumber(buf, v.n)
	case KindString:
		return AppendQuoted(buf, v.s)
	case KindArray:
		buf = append(buf, '[')
		for i, e := range v.elems {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = e.AppendText(buf)
		}
		return append(buf, ']')
	case KindObject:
		buf = append(buf, '{')
		for i, p := range v.pairs {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = AppendQuoted(buf, p.Key)
			buf = append(buf, ": "...)
			buf = p.Value.AppendText(buf)
		}
		return append(buf, '}')
	}
	return buf
}

// AppendQuoted appends s as a JSON string literal, escaped as
// PostgreSQL's escape_json: \" \\ \b \f \n \r \t, other control
// characters as \u00xx; everything else (including non-ASCII) verbatim.
func AppendQuoted(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= ' ' && c != '"' && c != '\\' {
			continue
		}
		buf = append(buf, s[start:i]...)
		start = i + 1
		switch c {
		case '\b':
			buf = append(buf, `\b`...)
		case '\f':
			buf = append(buf, `\f`...)
		case '\n':
			buf = append(buf, `\n`...)
		case '\r':
			buf = append(buf, `\r`...)
		case '\t':
			buf = append(buf, `\t`...)
		case '"':
			buf = append(buf, `\"`...)
		case '\\':
			buf = append(buf, `\\`...)
		default:
			buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// Text returns v as ->> and #>> return it: a string's contents unquoted,
// SQL NULL (false) for JSON null, and the jsonb text of anything else.
func (v Value) Text() (string, bool) {
	switch v.kind {
	case KindNull:
		return "", false
	case KindString:
		return v.s, true
	}
	return v.String(), true
}

// Pretty returns v as jsonb_pretty prints it: four-space indentation,
// one element or member per line.
func (v Value) Pretty() string {
	w := prettyWriter{}
	if v.IsScalar() {
		return v.String()
	}
	w.value(v, false)
	return string(w.buf)
}

// prettyWriter reproduces JsonbToCStringWorker with indent = true: the
// first token is not indented, a container that is an object member's
// value opens on the key's line, and separators are "," alone.
type prettyWriter struct {
	buf   []byte
	level int
	first bool
	// useIndent is false only for the very first token.
	useIndent bool
}

func (w *prettyWriter) indent(on bool) {
	if on {
		w.buf = append(w.buf, '\n')
		for i := 0; i < w.level*4; i++ {
			w.buf = append(w.buf, ' ')
		}
	}
}

// value writes a container or scalar element; afterKey is set when v is
// an object member's value.
func (w *prettyWriter) value(v Value, afterKey bool) {
	switch v.kind {
	case KindArray, KindObject:
		if !w.first && !afterKey && w.useIndent {
			w.buf = append(w.buf, ',')
		}
		w.indent(w.useIndent && !afterKey)
		open, close := byte('['), byte(']')
		if v.kind == KindObject {
			open, close = '{', '}'
		}
		w.buf = append(w.buf, open)
		w.first = true
		w.level++
		w.useIndent = true
		if v.kind == KindArray {
			for _, e := range v.elems {
				w.value(e, false)
			}
		} else {
			for _, p := range v.pairs {
				if !w.first {
					w.buf = append(w.buf, ',')
				}
				w.first = true
				w.indent(true)
				w.buf = AppendQuoted(w.buf, p.Key)
				w.buf = append(w.buf, ": "...)
				if p.Value.IsScalar() {
					w.first = false
					w.buf = p.Value.AppendText(w.buf)
				} else {
					w.value(p.Value, true)
				}
			}
		}
		w.level--
		w.indent(true)
		w.buf = append(w.buf, close)
		w.first = false
	default:
		if !w.first {
			w.buf = append(w.buf, ',')
		}
		w.first = false
		w.indent(true)
		w.buf = v.AppendText(w.buf)
	}
}

// jsonbVersion is the version byte of jsonb's binary format.
const jsonbVersion = 1

// AppendSend appends jsonb_send's binary form of v: a version byte (1)
// followed by the text form.
func (v Value) AppendSend(buf []byte) []byte {
	buf = append(buf, jsonbVersion)
	return v.AppendText(buf)
}

// Recv parses jsonb_recv's binary form: a version byte (1) and the text
// form.
func Recv(b []byte) (Value, error) {
	if len(b) == 0 {
		return Value{}, pgerror.New(pgerror.ProtocolViolation, "insufficient data left in message")
	}
	if b[0] != jsonbVersion {
		return Value{}, pgerror.New(pgerror.InternalError, "unsupported jsonb version number %d", b[0])
	}
	return ParseJSONB(string(b[1:]))
}

// RecvJSON checks json_recv's binary form, which is the text itself, and
// returns the text to store.
func RecvJSON(b []byte) (string, error) {
	s := string(b)
	if err := ValidateJSON(s); err != nil {
		return "", err
	}
	return s, nil
}

// SendJSON appends json_send's binary form of the json text s: the text.
func SendJSON(buf []byte, s string) []byte { return append(buf, s...) }
