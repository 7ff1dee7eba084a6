package logictest

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
	"testing"
)

func TestFormatValue(t *testing.T) {
	for _, tc := range []struct {
		typ    byte
		in     []byte
		isBool bool
		want   string
	}{
		{'I', nil, false, "NULL"},
		{'T', nil, false, "NULL"},
		{'R', nil, false, "NULL"},
		{'I', []byte("42"), false, "42"},
		{'I', []byte("-7"), false, "-7"},
		{'I', []byte("12.99"), false, "12"},
		{'I', []byte("-12.99"), false, "-12"},
		{'I', []byte("-0.5"), false, "0"},
		{'I', []byte("123456789012345678901234.5"), false, "123456789012345678901234"},
		{'I', []byte("1e+20"), false, "100000000000000000000"},
		{'I', []byte("-2.5e3"), false, "-2500"},
		{'I', []byte("t"), true, "1"},
		{'I', []byte("f"), true, "0"},
		{'I', []byte("abc"), false, "0"},
		{'I', []byte("12abc"), false, "12"},
		{'R', []byte("1"), false, "1.000"},
		{'R', []byte("2.3456"), false, "2.346"},
		{'R', []byte("-0.0001"), false, "-0.000"},
		{'R', []byte("1e3"), false, "1000.000"},
		{'R', []byte("t"), true, "1.000"},
		{'T', []byte(""), false, "(empty)"},
		{'T', []byte("hello world"), false, "hello world"},
		{'T', []byte("a\tb\nc"), false, "a@b@c"},
		{'T', []byte("é"), false, "@@"},
		{'T', []byte("~\x7f"), false, "~@"},
		{'T', []byte("t"), true, "t"},
	} {
		if got := FormatValue(tc.typ, tc.in, tc.isBool); got != tc.want {
			t.Errorf("FormatValue(%c, %q, %v) = %q, want %q", tc.typ, tc.in, tc.isBool, got, tc.want)
		}
	}
}

func TestHashValues(t *testing.T) {
	vals := []string{"1", "abc", "NULL"}
	sum := md5.Sum([]byte("1\nabc\nNULL\n"))
	if got, want := HashValues(vals), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("HashValues = %s, want %s", got, want)
	}
	// md5 of the empty input for no values.
	if got := HashValues(nil); got != "d41d8cd98f00b204e9800998ecf8427e" {
		t.Errorf("HashValues(nil) = %s", got)
	}
}

func TestSortResults(t *testing.T) {
	rows := [][]string{{"b", "1"}, {"a", "2"}, {"a", "10"}}
	if got := strings.Join(SortResults(rows, NoSort), ","); got != "b,1,a,2,a,10" {
		t.Errorf("nosort = %s", got)
	}
	// Byte-wise: "10" < "2".
	if got := strings.Join(SortResults(rows, RowSort), ","); got != "a,10,a,2,b,1" {
		t.Errorf("rowsort = %s", got)
	}
	if got := strings.Join(SortResults(rows, ValueSort), ","); got != "1,10,2,a,a,b" {
		t.Errorf("valuesort = %s", got)
	}
	if rows[0][0] != "b" {
		t.Errorf("SortResults modified its input")
	}
}

func TestCompareResults(t *testing.T) {
	rows := [][]string{{"2", "y z"}, {"1", "x"}}
	hashRows := HashValues([]string{"1", "x", "2", "y z"})
	for _, tc := range []struct {
		name string
		rec  Record
		ok   bool
	}{
		{"one value per line", Record{Sort: RowSort, Expected: []string{"1", "x", "2", "y z"}}, true},
		{"one value per line, expected unsorted", Record{Sort: RowSort, Expected: []string{"2", "y z", "1", "x"}}, true},
		{"row per line", Record{Sort: RowSort, Expected: []string{"1 x", "2 y z"}}, true},
		{"row per line, tabs", Record{Sort: RowSort, Expected: []string{"2\ty z", "1\tx"}}, true},
		{"nosort order matters", Record{Sort: NoSort, Expected: []string{"1 x", "2 y z"}}, false},
		{"nosort", Record{Sort: NoSort, Expected: []string{"2 y z", "1 x"}}, true},
		{"valuesort", Record{Sort: ValueSort, Expected: []string{"1", "2", "x", "y z"}}, true},
		{"wrong value", Record{Sort: RowSort, Expected: []string{"1 x", "2 y"}}, false},
		{"missing row", Record{Sort: RowSort, Expected: []string{"1 x"}}, false},
		{"hash", Record{Sort: RowSort, ExpectedHash: hashRows, ExpectedHashCount: 4}, true},
		{"hash, wrong count", Record{Sort: RowSort, ExpectedHash: hashRows, ExpectedHashCount: 5}, false},
		{"hash, wrong order", Record{Sort: NoSort, ExpectedHash: hashRows, ExpectedHashCount: 4}, false},
	} {
		diff, _ := compareResults(&tc.rec, 2, rows, 8)
		if (diff == "") != tc.ok {
			t.Errorf("%s: ok=%v, want %v; diff:\n%s", tc.name, diff == "", tc.ok, diff)
		}
	}
	empty := Record{}
	if diff, _ := compareResults(&empty, 1, nil, 8); diff != "" {
		t.Errorf("empty result vs no expected values: %s", diff)
	}
	if diff, _ := compareResults(&empty, 1, [][]string{{"1"}}, 8); diff == "" {
		t.Errorf("a row vs no expected values matched")
	}
}

func TestSkipList(t *testing.T) {
	src := "# comment\nfile\tline\tkind\tcause\tsql\n" +
		"evidence/in1.test\t313\tquery\tloose typing\tSELECT 1\n" +
		"random/10/x.test\t5\tquery\tshort\tSELECT 1\n" +
		"index/random/10/x.test\t7\tquery\tlong\tSELECT 1\n"
	sl, err := ParseSkipList(strings.NewReader(src), "tsv")
	if err != nil {
		t.Fatal(err)
	}
	if sl.Len() != 3 {
		t.Fatalf("Len = %d", sl.Len())
	}
	if c, ok := sl.Lookup("/x/sqllogictest/evidence/in1.test", 313); !ok || c != "loose typing" {
		t.Errorf("Lookup = %q %v", c, ok)
	}
	if _, ok := sl.Lookup("/x/sqllogictest/evidence/in1.test", 314); ok {
		t.Errorf("wrong line matched")
	}
	if _, ok := sl.Lookup("/x/sqllogictest/xevidence/in1.test", 313); ok {
		t.Errorf("partial name matched")
	}
	if _, ok := sl.Lookup("c/index/random/10/x.test", 7); !ok {
		t.Errorf("longest entry not used")
	}
	if _, ok := (*SkipList)(nil).Lookup("a", 1); ok {
		t.Errorf("nil list matched")
	}
}
