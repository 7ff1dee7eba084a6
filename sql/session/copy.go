package session

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/exec/build"
	"github.com/aegisdb/aegis/exec/vec"
	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/bind"
	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/opt"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// CopyWriter is implemented by result writers that can run the COPY
// sub-protocol.
type CopyWriter interface {
	// CopyIn sends CopyInResponse and returns the client's data stream:
	// Next returns each CopyData payload, io.EOF after CopyDone, and an
	// error (57014) after CopyFail.
	CopyIn(columns int) (CopySource, error)
	// CopyOut sends CopyOutResponse; then CopyData per chunk, CopyDone.
	CopyOut(columns int) error
	CopyData(b []byte) error
	CopyDone() error
}

// CopySource yields the data of COPY FROM STDIN.
type CopySource interface {
	Next() ([]byte, error)
}

// copyOptions are COPY's format options.
type copyOptions struct {
	csv       bool
	binary    bool
	delimiter byte
	null      string
	header    bool
	quote     byte
	escape    byte
}

func parseCopyOptions(opts []*pg.Node) (copyOptions, error) {
	o := copyOptions{delimiter: '\t', null: `\N`, quote: '"', escape: '"'}
	setDelim, setNull, setEscape := false, false, false
	for _, n := range opts {
		de := n.GetDefElem()
		if de == nil {
			continue
		}
		val := constString(de.Arg)
		if de.Arg != nil && de.Arg.GetString_() != nil {
			val = de.Arg.GetString_().Sval
		}
		switch de.Defname {
		case "format":
			switch strings.ToLower(val) {
			case "csv":
				o.csv = true
			case "text":
			case "binary":
				o.binary = true
			default:
				return o, pgerror.New(pgerror.InvalidParameterValue, "COPY format %q not recognized", val)
			}
		case "delimiter":
			if len(val) != 1 {
				return o, pgerror.New(pgerror.FeatureNotSupported, "COPY delimiter must be a single one-byte character")
			}
			o.delimiter, setDelim = val[0], true
		case "null":
			o.null, setNull = val, true
		case "header":
			o.header = de.Arg == nil || val == "on" || val == "true" || val == "1" || (de.Arg.GetBoolean() != nil && de.Arg.GetBoolean().Boolval)
		case "quote":
			if len(val) != 1 {
				return o, pgerror.New(pgerror.FeatureNotSupported, "COPY quote must be a single one-byte character")
			}
			o.quote = val[0]
		case "escape":
			if len(val) != 1 {
				return o, pgerror.New(pgerror.FeatureNotSupported, "COPY escape must be a single one-byte character")
			}
			o.escape, setEscape = val[0], true
		case "encoding", "freeze", "force_not_null", "force_null", "force_quote":
		default:
			return o, pgerror.New(pgerror.SyntaxError, "option %q not recognized", de.Defname)
		}
	}
	if o.csv {
		if !setDelim {
			o.delimiter = ','
		}
		if !setNull {
			o.null = ""
		}
		if !setEscape {
			o.escape = o.quote
		}
	}
	return o, nil
}

func (s *Session) copyStmt(ctx context.Context, txn *kv.Txn, cat *catalog.Catalog, cs *pg.CopyStmt, w ResultWriter) (string, error) {
	if cs.Filename != "" || cs.IsProgram {
		return "", pgerror.New(pgerror.InsufficientPrivilege, "COPY to or from a file or program is not supported; use COPY ... STDIN/STDOUT (psql \\copy)")
	}
	var cw CopyWriter = w
	o, err := parseCopyOptions(cs.Options)
	if err != nil {
		return "", err
	}
	if cs.IsFrom {
		return s.copyFrom(ctx, txn, cat, cs, o, cw)
	}
	return s.copyTo(ctx, txn, cat, cs, o, cw)
}

func (s *Session) copyFrom(ctx context.Context, txn *kv.Txn, cat *catalog.Catalog, cs *pg.CopyStmt, o copyOptions, cw CopyWriter) (string, error) {
	if cs.WhereClause != nil {
		return "", pgerror.Unimplemented("COPY FROM ... WHERE is not supported yet")
	}
	b := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0)
	desc, err := b.ResolveTable(cs.Relation)
	if err != nil {
		return "", err
	}
	target, err := bind.CopyTarget(desc, stringListOf(cs.Attlist))
	if err != nil {
		return "", err
	}
	src, err := cw.CopyIn(len(target))
	if err != nil {
		return "", err
	}
	// Read the whole stream first (the protocol must be drained even if a
	// row is bad), then parse and insert in chunks.
	var data bytes.Buffer
	for {
		chunk, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
		data.Write(chunk)
	}
	var records [][]*string
	var binRows [][][]byte
	if o.binary {
		if binRows, err = splitCopyBinary(data.Bytes(), len(target)); err != nil {
			return "", err
		}
		records = make([][]*string, len(binRows))
	} else if records, err = splitCopyData(data.Bytes(), o); err != nil {
		return "", err
	}
	if o.header && len(records) > 0 {
		records = records[1:]
	}
	var total int64
	const chunk = 1000
	for start := 0; start < len(records); start += chunk {
		end := min(start+chunk, len(records))
		rows := make([][]types.Datum, 0, end-start)
		for ri, rec := range records[start:end] {
			line := start + ri + 1
			if o.header {
				line++
			}
			if o.binary {
				row := make([]types.Datum, len(target))
				for i, f := range binRows[start+ri] {
					if f == nil {
						continue
					}
					v, err := typio.ParseBinary(desc.Table.Columns[target[i]].Type, f)
					if err != nil {
						return "", copyErr(pgerror.Flatten(err), desc.Name, line, desc.Table.Columns[target[i]].Name, "")
					}
					row[i] = v
				}
				rows = append(rows, row)
				continue
			}
			if len(rec) != len(target) {
				raw := rawLine(data.Bytes(), line, o)
				if len(rec) > len(target) {
					return "", copyErr(pgerror.New(pgerror.BadCopyFileFormat, "extra data after last expected column"), desc.Name, line, "", raw)
				}
				return "", copyErr(pgerror.New(pgerror.BadCopyFileFormat, "missing data for column %q", desc.Table.Columns[target[len(rec)]].Name), desc.Name, line, "", raw)
			}
			row := make([]types.Datum, len(target))
			for i, f := range rec {
				if f == nil {
					continue
				}
				col := desc.Table.Columns[target[i]]
				v, err := typio.ParseText(col.Type, *f, &s.typio)
				if err != nil {
					return "", copyErr(pgerror.Flatten(err), desc.Name, line, col.Name, *f)
				}
				row[i] = v
			}
			rows = append(rows, row)
		}
		node, err := b.CopyInsert(desc, target, rows)
		if err != nil {
			return "", err
		}
		if node, err = opt.Optimize(node, opt.Options{}); err != nil {
			return "", err
		}
		bld := s.newBuilder(ctx, txn, nil)
		op, err := bld.Build(node)
		if err != nil {
			return "", err
		}
		if err := build.Run(ctx, op, func(vec.Batch) error { return nil }); err != nil {
			return "", err
		}
		total += int64(end - start)
	}
	return "COPY " + strconv.FormatInt(total, 10), nil
}

// copyErr adds PostgreSQL's COPY context to an error: the line, and the
// column and value for a bad field (or the line's text for a bad row).
func copyErr(pe *pgerror.Error, table string, line int, column, value string) error {
	switch {
	case column != "":
		pe.Where = fmt.Sprintf("COPY %s, line %d, column %s: \"%s\"", table, line, column, value)
	case value != "":
		pe.Where = fmt.Sprintf("COPY %s, line %d: \"%s\"", table, line, value)
	default:
		pe.Where = fmt.Sprintf("COPY %s, line %d", table, line)
	}
	return pe
}

// rawLine returns line n (1-based) of text-format COPY data.
func rawLine(data []byte, n int, o copyOptions) string {
	lines := bytes.Split(data, []byte("\n"))
	if n-1 < len(lines) {
		return strings.TrimSuffix(string(lines[n-1]), "\r")
	}
	return ""
}

// splitCopyData splits COPY input into records of fields (nil = NULL).
func splitCopyData(data []byte, o copyOptions) ([][]*string, error) {
	if o.csv {
		return splitCSV(data, o)
	}
	var out [][]*string
	lines := bytes.Split(data, []byte("\n"))
	if n := len(lines); n > 0 && len(lines[n-1]) == 0 {
		lines = lines[:n-1]
	}
	for _, line := range lines {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if string(line) == `\.` {
			break
		}
		var fields []*string
		for _, raw := range bytes.Split(line, []byte{o.delimiter}) {
			if string(raw) == o.null {
				fields = append(fields, nil)
				continue
			}
			v, err := unescapeCopyText(raw)
			if err != nil {
				return nil, err
			}
			fields = append(fields, &v)
		}
		out = append(out, fields)
	}
	return out, nil
}

// copyBinarySignature starts every binary COPY stream.
var copyBinarySignature = []byte("PGCOPY\n\377\r\n\x00")

// splitCopyBinary parses COPY's binary format into rows of fields in
// the types' binary (recv) form, nil for NULL.
func splitCopyBinary(data []byte, ncols int) ([][][]byte, error) {
	bad := func(msg string) error { return pgerror.New(pgerror.BadCopyFileFormat, "%s", msg) }
	if !bytes.HasPrefix(data, copyBinarySignature) {
		return nil, bad("COPY file signature not recognized")
	}
	p := data[len(copyBinarySignature):]
	if len(p) < 8 {
		return nil, bad("invalid COPY file header (missing flags)")
	}
	ext := int(binary.BigEndian.Uint32(p[4:8]))
	p = p[8:]
	if ext < 0 || ext > len(p) {
		return nil, bad("invalid COPY file header (wrong length)")
	}
	p = p[ext:]
	var rows [][][]byte
	for {
		if len(p) == 0 {
			return rows, nil // end of data without the -1 trailer is accepted, as in PostgreSQL
		}
		if len(p) < 2 {
			return nil, bad("unexpected EOF in COPY data")
		}
		n := int16(binary.BigEndian.Uint16(p))
		p = p[2:]
		if n == -1 {
			return rows, nil
		}
		if int(n) != ncols {
			return nil, bad(fmt.Sprintf("row field count is %d, expected %d", n, ncols))
		}
		row := make([][]byte, n)
		for i := range row {
			if len(p) < 4 {
				return nil, bad("unexpected EOF in COPY data")
			}
			l := int32(binary.BigEndian.Uint32(p))
			p = p[4:]
			if l == -1 {
				continue
			}
			if l < 0 || int(l) > len(p) {
				return nil, bad("invalid field size")
			}
			row[i] = p[:l]
			p = p[l:]
		}
		rows = append(rows, row)
	}
}

// splitCSV parses COPY's CSV format: an unquoted field equal to the NULL
// string is NULL, a quoted one never is; inside quotes the escape
// character escapes the quote (and itself).
func splitCSV(data []byte, o copyOptions) ([][]*string, error) {
	var out [][]*string
	var rec []*string
	var field []byte
	quoted, inQuotes, fieldStarted := false, false, false
	endField := func() {
		v := string(field)
		if !quoted && v == o.null {
			rec = append(rec, nil)
		} else {
			rec = append(rec, &v)
		}
		field, quoted, fieldStarted = field[:0], false, false
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inQuotes {
			switch {
			case c == o.escape && i+1 < len(data) && (data[i+1] == o.quote || data[i+1] == o.escape) && (o.escape != o.quote || data[i+1] == o.quote):
				field = append(field, data[i+1])
				i++
			case c == o.quote:
				inQuotes = false
			default:
				field = append(field, c)
			}
			continue
		}
		switch {
		case c == o.quote:
			inQuotes, quoted, fieldStarted = true, true, true
		case c == o.delimiter:
			endField()
			fieldStarted = true
		case c == '\n' || c == '\r':
			if c == '\r' && i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			if len(rec) == 0 && !fieldStarted && len(field) == 0 {
				continue // blank line
			}
			endField()
			if len(rec) == 1 && rec[0] != nil && *rec[0] == `\.` {
				return out, nil
			}
			out = append(out, rec)
			rec = nil
		default:
			field = append(field, c)
			fieldStarted = true
		}
	}
	if inQuotes {
		return nil, pgerror.New(pgerror.BadCopyFileFormat, "unterminated CSV quoted field")
	}
	if fieldStarted || len(field) > 0 || len(rec) > 0 {
		endField()
		if !(len(rec) == 1 && rec[0] != nil && *rec[0] == `\.`) {
			out = append(out, rec)
		}
	}
	return out, nil
}

// unescapeCopyText decodes COPY text-format backslash escapes.
func unescapeCopyText(b []byte) (string, error) {
	if bytes.IndexByte(b, '\\') < 0 {
		return string(b), nil
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' || i+1 >= len(b) {
			out = append(out, c)
			continue
		}
		i++
		switch c = b[i]; c {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'v':
			out = append(out, '\v')
		case 'x':
			j := i + 1
			for j < len(b) && j < i+3 && isHex(b[j]) {
				j++
			}
			if j == i+1 {
				out = append(out, 'x')
				continue
			}
			v, _ := strconv.ParseUint(string(b[i+1:j]), 16, 8)
			out = append(out, byte(v))
			i = j - 1
		default:
			if c >= '0' && c <= '7' {
				j := i
				for j < len(b) && j < i+3 && b[j] >= '0' && b[j] <= '7' {
					j++
				}
				v, _ := strconv.ParseUint(string(b[i:j]), 8, 8)
				out = append(out, byte(v))
				i = j - 1
				continue
			}
			out = append(out, c)
		}
	}
	return string(out), nil
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func (s *Session) copyTo(ctx context.Context, txn *kv.Txn, cat *catalog.Catalog, cs *pg.CopyStmt, o copyOptions, cw CopyWriter) (string, error) {
	var sql string
	if cs.Query != nil {
		text, err := pg.Deparse(&pg.ParseResult{Version: 170007, Stmts: []*pg.RawStmt{{Stmt: cs.Query}}})
		if err != nil {
			return "", pgerror.Wrap(err, pgerror.InternalError)
		}
		sql = text
	} else {
		b := bind.New(ctx, cat, s.dbID, &s.typio, nil, 0)
		desc, err := b.ResolveRelation(cs.Relation)
		if err != nil {
			return "", err
		}
		if desc.Kind != catalog.KindTable {
			return "", pgerror.New(pgerror.WrongObjectType, "cannot copy from %s %q", desc.Kind, desc.Name).
				WithHint("Try the COPY (SELECT ...) TO variant.")
		}
		target, err := bind.CopyTarget(desc, stringListOf(cs.Attlist))
		if err != nil {
			return "", err
		}
		var cols []string
		for _, i := range target {
			cols = append(cols, quoteIdent(desc.Table.Columns[i].Name))
		}
		sql = "SELECT " + strings.Join(cols, ", ") + " FROM " + s.qualified(ctx, cat, desc)
	}
	started := false
	var n int64
	var buf []byte
	var colTypes []types.T
	_, err := s.internalQueryTyped(ctx, txn, sql, func(ts []types.T, names []string) error {
		colTypes = ts
		if err := cw.CopyOut(len(ts)); err != nil {
			return err
		}
		started = true
		if o.binary {
			hdr := append(append([]byte(nil), copyBinarySignature...), 0, 0, 0, 0, 0, 0, 0, 0)
			return cw.CopyData(hdr)
		}
		if o.header {
			buf = buf[:0]
			for i, name := range names {
				if i > 0 {
					buf = append(buf, o.delimiter)
				}
				buf = appendCopyField(buf, name, o)
			}
			buf = append(buf, '\n')
			return cw.CopyData(buf)
		}
		return nil
	}, func(row []types.Datum) error {
		buf = buf[:0]
		n++
		if o.binary {
			buf = binary.BigEndian.AppendUint16(buf, uint16(len(row)))
			for i, v := range row {
				if v == nil {
					buf = binary.BigEndian.AppendUint32(buf, 0xffffffff)
					continue
				}
				at := len(buf)
				buf = append(buf, 0, 0, 0, 0)
				var err error
				if buf, err = typio.AppendBinary(buf, colTypes[i], v); err != nil {
					return err
				}
				binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
			}
			return cw.CopyData(buf)
		}
		for i, v := range row {
			if i > 0 {
				buf = append(buf, o.delimiter)
			}
			if v == nil {
				buf = append(buf, o.null...)
				continue
			}
			buf = appendCopyField(buf, string(typio.AppendText(nil, colTypes[i], v, &s.typio)), o)
		}
		buf = append(buf, '\n')
		return cw.CopyData(buf)
	})
	if err != nil {
		return "", err
	}
	if started {
		if o.binary {
			if err := cw.CopyData([]byte{0xff, 0xff}); err != nil {
				return "", err
			}
		}
		if err := cw.CopyDone(); err != nil {
			return "", err
		}
	}
	return "COPY " + strconv.FormatInt(n, 10), nil
}

// appendCopyField escapes one output value.
func appendCopyField(buf []byte, v string, o copyOptions) []byte {
	if o.csv {
		needs := v == o.null || strings.ContainsAny(v, string([]byte{o.delimiter, o.quote, '\n', '\r'})) || (v != "" && (v[0] == ' ' || v[len(v)-1] == ' ')) || v == `\.`
		if !needs {
			return append(buf, v...)
		}
		buf = append(buf, o.quote)
		for i := 0; i < len(v); i++ {
			if v[i] == o.quote || v[i] == o.escape {
				buf = append(buf, o.escape)
			}
			buf = append(buf, v[i])
		}
		return append(buf, o.quote)
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		case '\b':
			buf = append(buf, '\\', 'b')
		case '\f':
			buf = append(buf, '\\', 'f')
		case '\v':
			buf = append(buf, '\\', 'v')
		default:
			if c == o.delimiter {
				buf = append(buf, '\\', c)
			} else {
				buf = append(buf, c)
			}
		}
	}
	return buf
}
