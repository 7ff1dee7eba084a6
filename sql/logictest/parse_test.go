package logictest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `# leading comment
hash-threshold 4

statement ok
CREATE TABLE t (a INT PRIMARY KEY,
  b TEXT)

skipif mysql # trailing comment
onlyif postgresql
statement error pgcode 23505 duplicate key value
INSERT INTO t VALUES (1, 'x'), (1, 'y')

statement error
SELECT nonsense

statement error relation "nope" does not exist
SELECT * FROM nope

statement count 2
INSERT INTO t VALUES (1, 'x'), (2, 'y')

query IT rowsort
SELECT a, b FROM t
# a comment inside a record
----
1 x
2 y

query I nosort lbl
SELECT a FROM t ORDER BY a
----
1
2

query T valuesort
SELECT b FROM t
----
30 values hashing to 3C59DC048E8850243BE8079A5C74D079

query error pgcode 42601
SELEC 1

query I
SELECT 1 WHERE false

halt

statement ok
SELECT 'never parsed differently'
`

func TestParse(t *testing.T) {
	recs, err := Parse(strings.NewReader(sample), "sample")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 13 {
		t.Fatalf("got %d records, want 13", len(recs))
	}
	check := func(i int, kind Kind, line int) *Record {
		t.Helper()
		r := &recs[i]
		if r.Kind != kind || r.Line != line {
			t.Fatalf("record %d: kind %v line %d, want %v line %d", i, r.Kind, r.Line, kind, line)
		}
		return r
	}
	if r := check(0, KindHashThreshold, 2); r.Threshold != 4 {
		t.Errorf("threshold = %d", r.Threshold)
	}
	if r := check(1, KindStatement, 4); r.SQL != "CREATE TABLE t (a INT PRIMARY KEY,\n  b TEXT)" || r.ExpectError || r.ExpectCount != -1 {
		t.Errorf("record 1 = %+v", r)
	}
	r := check(2, KindStatement, 8)
	if len(r.Conditions) != 2 || !r.Conditions[0].Skip || r.Conditions[0].Engine != "mysql" ||
		r.Conditions[1].Skip || r.Conditions[1].Engine != "postgresql" {
		t.Errorf("conditions = %+v", r.Conditions)
	}
	if !r.ExpectError || r.ErrorCode != "23505" || r.ErrorRegexp == nil || r.ErrorRegexp.String() != "duplicate key value" {
		t.Errorf("error spec = %v %q %v", r.ExpectError, r.ErrorCode, r.ErrorRegexp)
	}
	if !r.Applies("postgresql") || r.Applies("mysql") || r.Applies("sqlite") {
		t.Errorf("Applies wrong")
	}
	if r := check(3, KindStatement, 13); !r.ExpectError || r.ErrorCode != "" || r.ErrorRegexp != nil {
		t.Errorf("bare statement error = %+v", r)
	}
	if r := check(4, KindStatement, 16); r.ErrorRegexp == nil || !r.ErrorRegexp.MatchString(`relation "nope" does not exist`) {
		t.Errorf("regexp = %v", r.ErrorRegexp)
	}
	if r := check(5, KindStatement, 19); r.ExpectCount != 2 {
		t.Errorf("count = %d", r.ExpectCount)
	}
	r = check(6, KindQuery, 22)
	if r.Types != "IT" || r.Sort != RowSort || r.Label != "" || r.SQL != "SELECT a, b FROM t" ||
		strings.Join(r.Expected, "|") != "1 x|2 y" {
		t.Errorf("query = %+v", r)
	}
	if r := check(7, KindQuery, 29); r.Sort != NoSort || r.Label != "lbl" || len(r.Expected) != 2 {
		t.Errorf("labelled query = %+v", r)
	}
	if r := check(8, KindQuery, 35); r.Sort != ValueSort || r.ExpectedHash != "3c59dc048e8850243be8079a5c74d079" ||
		r.ExpectedHashCount != 30 || r.Expected != nil {
		t.Errorf("hash query = %+v", r)
	}
	if r := check(9, KindStatement, 40); !r.ExpectError || r.ErrorCode != "42601" || r.SQL != "SELEC 1" {
		t.Errorf("query error = %+v", r)
	}
	if r := check(10, KindQuery, 43); r.Expected != nil || r.SQL != "SELECT 1 WHERE false" {
		t.Errorf("query without results = %+v", r)
	}
	check(11, KindHalt, 46)
	check(12, KindStatement, 48)
}

func TestParseErrors(t *testing.T) {
	for _, src := range []string{
		"bogus directive\nSELECT 1\n",
		"statement ok\n",
		"statement maybe\nSELECT 1\n",
		"statement ok\nSELECT 1\n----\n1\n",
		"statement error pgcode 123\nSELECT 1\n",
		"statement error (\nSELECT 1\n",
		"statement count x\nDELETE FROM t\n",
		"query X\nSELECT 1\n----\n1\n",
		"query\nSELECT 1\n",
		"query I rowsort a b\nSELECT 1\n",
		"query I\n----\n1\n",
		"skipif\nstatement ok\nSELECT 1\n",
		"skipif postgresql\n\nstatement ok\nSELECT 1\n",
		"hash-threshold x\n",
	} {
		if _, err := Parse(strings.NewReader(src), "bad"); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", src)
		} else if !strings.HasPrefix(err.Error(), "bad:") {
			t.Errorf("error %q lacks file:line", err)
		}
	}
}

// corpusDir is the shared sqllogictest corpus, relative to this package.
const corpusDir = "../../../shared/testdata/sqllogictest"

func corpusFiles(t *testing.T) []string {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("sqllogictest corpus not found at %s", corpusDir)
	}
	var files []string
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".test") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("no .test files under %s", corpusDir)
	}
	return files
}

// TestParseCorpus parses every file of the shared corpus.
func TestParseCorpus(t *testing.T) {
	var total, queries, hashed int
	for _, path := range corpusFiles(t) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := Parse(f, path)
		f.Close()
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		total += len(recs)
		for _, r := range recs {
			if r.Kind == KindQuery {
				queries++
				if r.ExpectedHash != "" {
					hashed++
				}
			}
		}
	}
	t.Logf("%d records, %d queries, %d with hashed results", total, queries, hashed)
}

// TestDivergentList loads the corpus's list of records that fail on
// PostgreSQL and checks that every entry names the first line of a record.
func TestDivergentList(t *testing.T) {
	files := corpusFiles(t)
	sl, err := LoadSkipList(filepath.Join(corpusDir, "pg15-divergent-records.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := Parse(f, path)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if _, ok := sl.Lookup(path, r.Line); ok {
				found++
			}
		}
	}
	if found != sl.Len() {
		t.Errorf("%d of %d skip-list entries match a record's first line", found, sl.Len())
	}
}
