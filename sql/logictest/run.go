package logictest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DefaultEngine is the engine name used for skipif/onlyif when
// Config.Engine is empty. Aegis runs the corpus as its postgresql variant.
const DefaultEngine = "postgresql"

// DefaultHashThreshold is sqllogictest's default hash-threshold.
const DefaultHashThreshold = 8

// Config says how to run scripts.
type Config struct {
	// Engine is the name skipif/onlyif lines are matched against.
	// Empty means DefaultEngine ("postgresql").
	Engine string
	// Connect opens a connection for one file. It is called once per file
	// and should give a fresh, empty database. The connection is closed
	// when the file is done.
	Connect func(ctx context.Context) (*pgx.Conn, error)
	// Divergent, if not nil, lists records known to behave differently on
	// PostgreSQL (see LoadSkipList). Those records are still executed, so
	// the database state follows the script, but their outcome is ignored
	// and they count as skipped.
	Divergent *SkipList
	// StatementTimeout, if positive, bounds each record. A record that
	// times out fails, and since the connection is then unusable the rest
	// of the file is abandoned.
	StatementTimeout time.Duration
}

func (c *Config) engine() string {
	if c.Engine == "" {
		return DefaultEngine
	}
	return c.Engine
}

// Result counts the records of one file. Records is the number of
// statement and query records reached (records after a halt are not
// counted); each is passed, failed or skipped, except when the run is
// abandoned early (Run returns an error).
type Result struct {
	Records, Passed, Failed, Skipped int
}

// Add adds the counts of o to r.
func (r *Result) Add(o Result) {
	r.Records += o.Records
	r.Passed += o.Passed
	r.Failed += o.Failed
	r.Skipped += o.Skipped
}

// Failure describes one failed record.
type Failure struct {
	File    string // the script's path
	Line    int    // the record's first line
	SQL     string // the record's SQL
	Message string // what went wrong: expected vs got
}

// String formats the failure as "file:line: message" followed by the SQL.
func (f Failure) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: %s", f.File, f.Line, strings.TrimRight(f.Message, "\n"))
	b.WriteString("\nSQL:\n")
	for _, l := range strings.Split(f.SQL, "\n") {
		b.WriteString("    " + l + "\n")
	}
	return b.String()
}

// RunFile runs the script at path within t: every failing record is
// reported with t.Errorf (file:line, SQL, expected vs got), and a summary
// is logged.
func RunFile(t *testing.T, cfg Config, path string) {
	t.Helper()
	res, failures, err := Run(context.Background(), cfg, path)
	for _, f := range failures {
		t.Errorf("%s", f)
	}
	if err != nil {
		t.Errorf("%s: %v", path, err)
	}
	t.Logf("%s: %d records: %d passed, %d failed, %d skipped",
		path, res.Records, res.Passed, res.Failed, res.Skipped)
}

// Run runs the script at path and returns its counts and failures. The
// error is about the run itself (unreadable or malformed file, connection
// failure or loss); failing records are not errors.
func Run(ctx context.Context, cfg Config, path string) (Result, []Failure, error) {
	var res Result
	f, err := os.Open(path)
	if err != nil {
		return res, nil, err
	}
	recs, err := Parse(bufio.NewReader(f), path)
	f.Close()
	if err != nil {
		return res, nil, err
	}
	if cfg.Connect == nil {
		return res, nil, errors.New("logictest: Config.Connect is nil")
	}
	conn, err := cfg.Connect(ctx)
	if err != nil {
		return res, nil, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	r := &runner{
		cfg:       cfg,
		engine:    cfg.engine(),
		path:      path,
		conn:      conn.PgConn(),
		labels:    map[string]string{},
		threshold: DefaultHashThreshold,
	}
	for i := range recs {
		rec := &recs[i]
		if !rec.Applies(r.engine) {
			if rec.Kind == KindStatement || rec.Kind == KindQuery {
				res.Records++
				res.Skipped++
			}
			continue
		}
		switch rec.Kind {
		case KindHalt:
			return res, r.failures, nil
		case KindHashThreshold:
			r.threshold = rec.Threshold
			continue
		}
		res.Records++
		msg, err := r.runRecord(ctx, rec)
		divergent := false
		if cfg.Divergent != nil {
			_, divergent = cfg.Divergent.Lookup(path, rec.Line)
		}
		switch {
		case divergent:
			res.Skipped++
		case msg == "":
			res.Passed++
		default:
			res.Failed++
			r.failures = append(r.failures, Failure{File: path, Line: rec.Line, SQL: rec.SQL, Message: msg})
		}
		if err != nil {
			return res, r.failures, fmt.Errorf("%s:%d: abandoning file: %w", path, rec.Line, err)
		}
		if ctx.Err() != nil {
			return res, r.failures, ctx.Err()
		}
	}
	return res, r.failures, nil
}

type runner struct {
	cfg       Config
	engine    string
	path      string
	conn      *pgconn.PgConn
	labels    map[string]string // label -> hash of the first query with it
	threshold int
	failures  []Failure
}

// queryResult is what one SQL text returned.
type queryResult struct {
	fields []pgconn.FieldDescription
	rows   [][][]byte
	tag    pgconn.CommandTag
}

// exec runs sql with the simple protocol and returns the last result that
// has columns (or the last result when none has).
func (r *runner) exec(ctx context.Context, sql string) (queryResult, error) {
	var out queryResult
	haveCols := false
	mrr := r.conn.Exec(ctx, sql)
	for mrr.NextResult() {
		rr := mrr.ResultReader()
		var cur queryResult
		for rr.NextRow() {
			vals := rr.Values()
			row := make([][]byte, len(vals))
			for i, v := range vals {
				if v != nil {
					row[i] = append([]byte{}, v...)
				}
			}
			cur.rows = append(cur.rows, row)
		}
		cur.fields = append(cur.fields, rr.FieldDescriptions()...)
		tag, err := rr.Close()
		if err != nil {
			mrr.Close()
			return out, err
		}
		cur.tag = tag
		if len(cur.fields) > 0 || !haveCols {
			out = cur
			haveCols = len(cur.fields) > 0
		}
	}
	return out, mrr.Close()
}

// runRecord runs one statement or query. msg is "" when the record
// passed, else the failure description. err is set when the connection
// is unusable afterwards.
func (r *runner) runRecord(ctx context.Context, rec *Record) (msg string, err error) {
	if r.cfg.StatementTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.cfg.StatementTimeout)
		defer cancel()
	}
	qr, qerr := r.exec(ctx, rec.SQL)
	if qerr != nil && (r.conn.IsClosed() || ctx.Err() != nil) {
		err = qerr
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", ctx.Err(), qerr)
		}
	}

	if rec.ExpectError {
		if qerr == nil {
			return "expected an error, but the statement succeeded", err
		}
		return checkError(rec, qerr), err
	}
	if qerr != nil {
		return "unexpected error: " + describeError(qerr), err
	}
	if rec.Kind == KindStatement {
		if rec.ExpectCount >= 0 && qr.tag.RowsAffected() != rec.ExpectCount {
			return fmt.Sprintf("expected %d rows affected, got %d (%s)",
				rec.ExpectCount, qr.tag.RowsAffected(), qr.tag.String()), nil
		}
		return "", nil
	}

	// Query.
	if len(qr.fields) != len(rec.Types) {
		return fmt.Sprintf("query returned %d columns but the type string %q has %d",
			len(qr.fields), rec.Types, len(rec.Types)), nil
	}
	rows := make([][]string, len(qr.rows))
	for i, row := range qr.rows {
		rows[i] = make([]string, len(row))
		for j, v := range row {
			rows[i][j] = FormatValue(rec.Types[j], v, qr.fields[j].DataTypeOID == boolOID)
		}
	}
	diff, hash := compareResults(rec, len(rec.Types), rows, r.threshold)
	if diff != "" {
		return diff, nil
	}
	if rec.Label != "" {
		if prev, ok := r.labels[rec.Label]; ok && prev != hash {
			return fmt.Sprintf("label %q: hash %s differs from the hash %s of an earlier query with the same label",
				rec.Label, hash, prev), nil
		} else if !ok {
			r.labels[rec.Label] = hash
		}
	}
	return "", nil
}

// checkError checks an error against "statement error [pgcode X] [re]".
func checkError(rec *Record, err error) string {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		if rec.ErrorCode != "" || rec.ErrorRegexp != nil {
			return "expected a server error, got: " + err.Error()
		}
		return ""
	}
	if rec.ErrorCode != "" && pgErr.Code != rec.ErrorCode {
		return fmt.Sprintf("expected SQLSTATE %s, got %s", rec.ErrorCode, describeError(err))
	}
	if rec.ErrorRegexp != nil && !rec.ErrorRegexp.MatchString(pgErr.Message) && !rec.ErrorRegexp.MatchString(err.Error()) {
		return fmt.Sprintf("expected an error matching %q, got %s", rec.ErrorRegexp, describeError(err))
	}
	return ""
}

func describeError(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return fmt.Sprintf("%s: %s (SQLSTATE %s)", pgErr.Severity, pgErr.Message, pgErr.Code)
	}
	return err.Error()
}

// SkipList is a set of records, by file and line, known to diverge; see
// Config.Divergent.
type SkipList struct {
	entries map[string]map[int]string // file -> line -> cause
}

// LoadSkipList reads a skip list in the format of
// pg15-divergent-records.tsv: "#" comment lines, a header line starting
// with "file", then tab-separated lines of file (relative to the corpus
// root, with /), 1-based line number, and optional further columns, of
// which the fourth (the cause) is kept.
func LoadSkipList(path string) (*SkipList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseSkipList(f, path)
}

// ParseSkipList is LoadSkipList on a reader; name is used in errors.
func ParseSkipList(rd io.Reader, name string) (*SkipList, error) {
	s := &SkipList{entries: map[string]map[int]string{}}
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "file\t") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 2 {
			return nil, fmt.Errorf("%s:%d: want file<TAB>line", name, n)
		}
		ln, err := strconv.Atoi(cols[1])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: bad line number %q", name, n, cols[1])
		}
		cause := ""
		if len(cols) > 3 {
			cause = cols[3]
		}
		file := filepath.ToSlash(cols[0])
		if s.entries[file] == nil {
			s.entries[file] = map[int]string{}
		}
		s.entries[file][ln] = cause
	}
	return s, sc.Err()
}

// Len returns the number of records in the list.
func (s *SkipList) Len() int {
	n := 0
	for _, m := range s.entries {
		n += len(m)
	}
	return n
}

// Lookup reports whether the record at line of file is listed, and its
// cause. file matches an entry when it equals it or ends with "/" + entry;
// the longest such entry is used.
func (s *SkipList) Lookup(file string, line int) (cause string, ok bool) {
	if s == nil {
		return "", false
	}
	file = filepath.ToSlash(file)
	best := ""
	for name := range s.entries {
		if (file == name || strings.HasSuffix(file, "/"+name)) && len(name) > len(best) {
			best = name
		}
	}
	if best == "" {
		return "", false
	}
	cause, ok = s.entries[best][line]
	return cause, ok
}
