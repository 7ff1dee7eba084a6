package logictest

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Kind is the kind of a [Record].
type Kind int

// The record kinds.
const (
	// KindStatement is "statement ok", "statement error ..." or
	// "statement count N" (and "query error ...").
	KindStatement Kind = iota
	// KindQuery is "query <types> [sort] [label]" with expected results.
	KindQuery
	// KindHashThreshold is "hash-threshold N".
	KindHashThreshold
	// KindHalt is "halt": stop running the file.
	KindHalt
)

func (k Kind) String() string {
	switch k {
	case KindStatement:
		return "statement"
	case KindQuery:
		return "query"
	case KindHashThreshold:
		return "hash-threshold"
	case KindHalt:
		return "halt"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// SortMode says how query results are sorted before comparison.
type SortMode int

// The sort modes.
const (
	// NoSort keeps the server's row order.
	NoSort SortMode = iota
	// RowSort sorts rows (byte-wise, column by column).
	RowSort
	// ValueSort sorts all values independently.
	ValueSort
)

func (m SortMode) String() string {
	switch m {
	case NoSort:
		return "nosort"
	case RowSort:
		return "rowsort"
	case ValueSort:
		return "valuesort"
	}
	return fmt.Sprintf("SortMode(%d)", int(m))
}

// Condition is a "skipif <engine>" or "onlyif <engine>" line.
type Condition struct {
	Skip   bool   // true for skipif, false for onlyif
	Engine string // the engine name, e.g. "postgresql"
}

// Record is one record of a sqllogictest script.
type Record struct {
	Kind Kind
	// Line is the 1-based line where the record starts (its first
	// skipif/onlyif line, or its header line when it has no condition).
	Line int
	// Conditions are the record's skipif/onlyif lines, in order.
	Conditions []Condition
	// SQL is the statement or query text (lines joined with "\n").
	SQL string

	// ExpectError is set by "statement error" and "query error".
	ExpectError bool
	// ErrorCode is the SQLSTATE given with "pgcode XXXXX", if any.
	ErrorCode string
	// ErrorRegexp, if not nil, must match the error message.
	ErrorRegexp *regexp.Regexp
	// ExpectCount is the row count given by "statement count N", or -1.
	ExpectCount int64

	// Types is a query's type string, one of I, R or T per column.
	Types string
	// Sort is a query's sort mode.
	Sort SortMode
	// Label is a query's optional label. Queries with the same label must
	// produce the same hash.
	Label string
	// Expected holds the lines after "----" (comments removed), unless the
	// results are given as a hash.
	Expected []string
	// ExpectedHash is the md5 of "N values hashing to <md5>", or "".
	ExpectedHash string
	// ExpectedHashCount is the N of "N values hashing to <md5>".
	ExpectedHashCount int

	// Threshold is the N of "hash-threshold N".
	Threshold int
}

// Applies reports whether the record's skipif/onlyif conditions let it
// run on engine.
func (r *Record) Applies(engine string) bool {
	for _, c := range r.Conditions {
		if c.Skip == (c.Engine == engine) {
			return false
		}
	}
	return true
}

var hashLineRE = regexp.MustCompile(`^(\d+) values hashing to ([0-9a-fA-F]{32})$`)

// Parse parses a sqllogictest script. name is used in error messages.
func Parse(r io.Reader, name string) ([]Record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 64*1024*1024)
	var lines []string
	for sc.Scan() {
		lines = append(lines, strings.TrimSuffix(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p := &parser{name: name, lines: lines}
	return p.parse()
}

type parser struct {
	name  string
	lines []string
	pos   int // index of the next line
}

func (p *parser) errorf(lineIdx int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.name, lineIdx+1, fmt.Sprintf(format, args...))
}

func isBlank(s string) bool   { return strings.TrimSpace(s) == "" }
func isComment(s string) bool { return strings.HasPrefix(s, "#") }

// next returns the next line of the current record, skipping comment
// lines; ok is false at a blank line or the end of the file.
func (p *parser) next() (line string, idx int, ok bool) {
	for p.pos < len(p.lines) {
		l := p.lines[p.pos]
		if isComment(l) {
			p.pos++
			continue
		}
		if isBlank(l) {
			return "", p.pos, false
		}
		p.pos++
		return l, p.pos - 1, true
	}
	return "", p.pos, false
}

// stripComment removes a trailing "# ..." comment from a directive line.
func stripComment(s string) string {
	if i := strings.Index(s, "#"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func (p *parser) parse() ([]Record, error) {
	var recs []Record
	for {
		// Skip blank lines and comments between records.
		for p.pos < len(p.lines) && (isBlank(p.lines[p.pos]) || isComment(p.lines[p.pos])) {
			p.pos++
		}
		if p.pos >= len(p.lines) {
			return recs, nil
		}
		rec, err := p.parseRecord()
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
}

func (p *parser) parseRecord() (Record, error) {
	rec := Record{Line: p.pos + 1, ExpectCount: -1}
	for {
		line, idx, ok := p.next()
		if !ok {
			return rec, p.errorf(idx, "record has conditions but no statement or query")
		}
		fields := strings.Fields(stripComment(line))
		if len(fields) == 0 {
			return rec, p.errorf(idx, "empty directive %q", line)
		}
		switch fields[0] {
		case "skipif", "onlyif":
			if len(fields) != 2 {
				return rec, p.errorf(idx, "%s needs exactly one engine name", fields[0])
			}
			rec.Conditions = append(rec.Conditions, Condition{Skip: fields[0] == "skipif", Engine: fields[1]})
			continue
		case "halt":
			if len(fields) != 1 {
				return rec, p.errorf(idx, "halt takes no arguments")
			}
			rec.Kind = KindHalt
			return rec, nil
		case "hash-threshold":
			if len(fields) != 2 {
				return rec, p.errorf(idx, "hash-threshold needs one number")
			}
			n, err := strconv.Atoi(fields[1])
			if err != nil || n < 0 {
				return rec, p.errorf(idx, "bad hash-threshold %q", fields[1])
			}
			rec.Kind = KindHashThreshold
			rec.Threshold = n
			return rec, nil
		case "statement":
			if err := p.parseStatementHeader(&rec, line, idx); err != nil {
				return rec, err
			}
			return rec, p.parseStatementBody(&rec, idx)
		case "query":
			if len(fields) >= 2 && fields[1] == "error" {
				rec.Kind = KindStatement
				if err := p.parseErrorSpec(&rec, afterWords(line, 2), idx); err != nil {
					return rec, err
				}
				return rec, p.parseStatementBody(&rec, idx)
			}
			if err := p.parseQueryHeader(&rec, fields, idx); err != nil {
				return rec, err
			}
			return rec, p.parseQueryBody(&rec, idx)
		default:
			return rec, p.errorf(idx, "unknown directive %q", fields[0])
		}
	}
}

// afterWords returns line with its first n blank-separated words removed,
// trimmed.
func afterWords(line string, n int) string {
	s := strings.TrimSpace(line)
	for i := 0; i < n; i++ {
		j := strings.IndexAny(s, " \t")
		if j < 0 {
			return ""
		}
		s = strings.TrimSpace(s[j:])
	}
	return s
}

func (p *parser) parseStatementHeader(rec *Record, line string, idx int) error {
	rec.Kind = KindStatement
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return p.errorf(idx, "statement needs ok, error or count")
	}
	switch fields[1] {
	case "ok":
		if len(fields) > 2 && !strings.HasPrefix(fields[2], "#") {
			return p.errorf(idx, "unexpected text after statement ok: %q", afterWords(line, 2))
		}
		return nil
	case "error":
		return p.parseErrorSpec(rec, afterWords(line, 2), idx)
	case "count":
		if len(fields) != 3 {
			return p.errorf(idx, "statement count needs one number")
		}
		n, err := strconv.ParseInt(fields[2], 10, 64)
		if err != nil || n < 0 {
			return p.errorf(idx, "bad statement count %q", fields[2])
		}
		rec.ExpectCount = n
		return nil
	}
	return p.errorf(idx, "unknown statement mode %q", fields[1])
}

var pgcodeRE = regexp.MustCompile(`^[0-9A-Z]{5}$`)

// parseErrorSpec parses "[pgcode XXXXX] [regexp]".
func (p *parser) parseErrorSpec(rec *Record, spec string, idx int) error {
	rec.ExpectError = true
	if f := strings.Fields(spec); len(f) > 0 && f[0] == "pgcode" {
		if len(f) < 2 || !pgcodeRE.MatchString(f[1]) {
			return p.errorf(idx, "pgcode needs a 5-character SQLSTATE")
		}
		rec.ErrorCode = f[1]
		spec = afterWords(spec, 2)
	}
	if spec != "" {
		re, err := regexp.Compile(spec)
		if err != nil {
			return p.errorf(idx, "bad error regexp: %v", err)
		}
		rec.ErrorRegexp = re
	}
	return nil
}

func (p *parser) parseStatementBody(rec *Record, hdr int) error {
	var sql []string
	for {
		line, idx, ok := p.next()
		if !ok {
			break
		}
		if line == "----" {
			return p.errorf(idx, "unexpected ---- in a statement")
		}
		sql = append(sql, line)
	}
	if len(sql) == 0 {
		return p.errorf(hdr, "statement without SQL")
	}
	rec.SQL = strings.Join(sql, "\n")
	return nil
}

func (p *parser) parseQueryHeader(rec *Record, fields []string, idx int) error {
	rec.Kind = KindQuery
	if len(fields) < 2 {
		return p.errorf(idx, "query needs a type string")
	}
	rec.Types = fields[1]
	for _, c := range rec.Types {
		if c != 'I' && c != 'R' && c != 'T' {
			return p.errorf(idx, "bad type %q in type string %q (want I, R or T)", c, rec.Types)
		}
	}
	sortSeen := false
	for _, f := range fields[2:] {
		if strings.HasPrefix(f, "#") {
			break
		}
		mode, isSort := map[string]SortMode{"nosort": NoSort, "rowsort": RowSort, "valuesort": ValueSort}[f]
		switch {
		case isSort && !sortSeen && rec.Label == "":
			rec.Sort = mode
			sortSeen = true
		case rec.Label == "":
			rec.Label = f
		default:
			return p.errorf(idx, "unexpected %q in query header", f)
		}
	}
	return nil
}

func (p *parser) parseQueryBody(rec *Record, hdr int) error {
	var sql []string
	sawSep := false
	for {
		line, _, ok := p.next()
		if !ok {
			break
		}
		if line == "----" {
			sawSep = true
			break
		}
		sql = append(sql, line)
	}
	if len(sql) == 0 {
		return p.errorf(hdr, "query without SQL")
	}
	rec.SQL = strings.Join(sql, "\n")
	if !sawSep {
		// No results section: the query must return no rows.
		return nil
	}
	for {
		line, _, ok := p.next()
		if !ok {
			break
		}
		rec.Expected = append(rec.Expected, line)
	}
	if len(rec.Expected) == 1 {
		if m := hashLineRE.FindStringSubmatch(strings.TrimSpace(rec.Expected[0])); m != nil {
			n, err := strconv.Atoi(m[1])
			if err != nil {
				return p.errorf(hdr, "bad value count in %q", rec.Expected[0])
			}
			rec.ExpectedHashCount = n
			rec.ExpectedHash = strings.ToLower(m[2])
			rec.Expected = nil
		}
	}
	return nil
}
