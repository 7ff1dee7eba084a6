package logictest

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// boolOID is the PostgreSQL type OID of boolean.
const boolOID = 16

// FormatValue renders one value in PostgreSQL text format (nil for NULL)
// as sqllogictest prints it for column type typ ('I', 'R' or 'T').
// isBool tells that the column is a boolean, which renders as 1/0 in I and
// R columns.
func FormatValue(typ byte, v []byte, isBool bool) string {
	if v == nil {
		return "NULL"
	}
	s := string(v)
	switch typ {
	case 'I':
		if isBool {
			return boolDigit(s)
		}
		return formatInt(s)
	case 'R':
		if isBool {
			return boolDigit(s) + ".000"
		}
		return formatReal(s)
	default:
		return formatText(s)
	}
}

func boolDigit(s string) string {
	switch s {
	case "t", "true":
		return "1"
	}
	return "0"
}

var (
	decimalRE   = regexp.MustCompile(`^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$`)
	intPrefixRE = regexp.MustCompile(`^\s*[+-]?\d+`)
)

// formatInt renders s as an integer, truncating toward zero like
// sqlite3_column_int / ODBC SQL_C_SLONG. Decimal strings of any length are
// truncated exactly; other numeric forms go through float64; text that is
// not a number renders as its leading integer, or 0.
func formatInt(s string) string {
	if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
		return strconv.FormatInt(n, 10)
	}
	if m := decimalRE.FindStringSubmatch(s); m != nil && (m[2] != "" || m[3] != "") {
		digits := strings.TrimLeft(m[2], "0")
		if digits == "" {
			return "0"
		}
		if m[1] == "-" {
			return "-" + digits
		}
		return digits
	}
	if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return s
		}
		bf := new(big.Float).SetFloat64(math.Trunc(f))
		bi, _ := bf.Int(nil)
		return bi.String()
	}
	if p := intPrefixRE.FindString(s); p != "" {
		return formatInt(p)
	}
	return "0"
}

// formatReal renders s with %.3f; text that is not a number renders as
// 0.000.
func formatReal(s string) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		if p := intPrefixRE.FindString(s); p != "" {
			f, _ = strconv.ParseFloat(strings.TrimSpace(p), 64)
		}
	}
	return fmt.Sprintf("%.3f", f)
}

// formatText renders a text value: "(empty)" for the empty string, and
// every byte outside 0x20..0x7E replaced by '@'.
func formatText(s string) string {
	if s == "" {
		return "(empty)"
	}
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7E {
			b[i] = '@'
		}
	}
	return string(b)
}

// HashValues returns the sqllogictest hash of values: the hex md5 of every
// value followed by "\n". The values must already be sorted as the query's
// sort mode requires.
func HashValues(values []string) string {
	h := md5.New()
	for _, v := range values {
		h.Write([]byte(v))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// compareRows compares two rows column by column, byte-wise.
func compareRows(a, b []string) int {
	return slices.Compare(a, b)
}

// SortResults returns the values of rows flattened in row-major order,
// after sorting as mode requires: RowSort sorts whole rows, ValueSort sorts
// all values, NoSort keeps the order. rows is not modified.
func SortResults(rows [][]string, mode SortMode) []string {
	switch mode {
	case RowSort:
		rows = slices.Clone(rows)
		slices.SortStableFunc(rows, compareRows)
	}
	var vals []string
	for _, r := range rows {
		vals = append(vals, r...)
	}
	if mode == ValueSort {
		slices.Sort(vals)
	}
	return vals
}

// groupRows splits vals into rows of n values; ok is false if vals is not
// a multiple of n long.
func groupRows(vals []string, n int) ([][]string, bool) {
	if n <= 0 || len(vals)%n != 0 {
		return nil, false
	}
	var rows [][]string
	for i := 0; i < len(vals); i += n {
		rows = append(rows, vals[i:i+n])
	}
	return rows, true
}

// compareResults checks a query's rendered result rows (in server order)
// against the record's expectation. It returns "" on a match, and
// otherwise a description of the difference. hash is the hash of the
// sorted values, for label checks.
//
// threshold is the hash-threshold in effect: when a listed result is
// longer, the diff also gives the hash of what was returned.
func compareResults(rec *Record, ncols int, rows [][]string, threshold int) (diff, hash string) {
	vals := SortResults(rows, rec.Sort)
	hash = HashValues(vals)
	if rec.ExpectedHash != "" {
		if len(vals) == rec.ExpectedHashCount && hash == rec.ExpectedHash {
			return "", hash
		}
		return fmt.Sprintf("expected:\n    %d values hashing to %s\ngot:\n    %d values hashing to %s\n%s",
			rec.ExpectedHashCount, rec.ExpectedHash, len(vals), hash, formatRows(rows, rec.Sort)), hash
	}

	// One value per line, as the corpus writes them.
	exp := slices.Clone(rec.Expected)
	switch rec.Sort {
	case RowSort:
		if er, ok := groupRows(exp, ncols); ok {
			exp = SortResults(er, RowSort)
		}
	case ValueSort:
		slices.Sort(exp)
	}
	if slices.Equal(exp, vals) {
		return "", hash
	}

	// Rows (or values) separated by blanks: compare the words.
	if slices.Equal(wordsOfExpected(rec.Expected, len(rows), rec.Sort), wordsOfActual(rows, rec.Sort)) {
		return "", hash
	}
	var b strings.Builder
	b.WriteString("expected:\n")
	for _, l := range rec.Expected {
		b.WriteString("    " + l + "\n")
	}
	b.WriteString("got:\n")
	b.WriteString(formatRows(rows, rec.Sort))
	if threshold > 0 && len(vals) > threshold {
		fmt.Fprintf(&b, "    (%d values hashing to %s)\n", len(vals), hash)
	}
	return b.String(), hash
}

// wordsOfActual splits every value into blank-separated words, sorting as
// mode requires (RowSort sorts rows of words).
func wordsOfActual(rows [][]string, mode SortMode) []string {
	wrows := make([][]string, len(rows))
	for i, r := range rows {
		for _, v := range r {
			wrows[i] = append(wrows[i], strings.Fields(v)...)
		}
	}
	return SortResults(wrows, mode)
}

// wordsOfExpected splits the expected lines into words. For RowSort, a
// line is a row when there are as many lines as result rows; otherwise the
// words are split evenly into nrows rows when possible.
func wordsOfExpected(lines []string, nrows int, mode SortMode) []string {
	var words []string
	var wrows [][]string
	for _, l := range lines {
		f := strings.Fields(l)
		words = append(words, f...)
		wrows = append(wrows, f)
	}
	switch mode {
	case RowSort:
		if len(lines) != nrows {
			if nrows == 0 {
				return words
			}
			var ok bool
			if wrows, ok = groupRows(words, len(words)/max(nrows, 1)); !ok || len(wrows) != nrows {
				return words
			}
		}
		return SortResults(wrows, RowSort)
	case ValueSort:
		slices.Sort(words)
	}
	return words
}

// formatRows prints rows one per line, values separated by a blank, after
// sorting as mode requires; long results are cut.
func formatRows(rows [][]string, mode SortMode) string {
	const maxRows = 100
	if mode == RowSort {
		rows = slices.Clone(rows)
		slices.SortStableFunc(rows, compareRows)
	}
	var b strings.Builder
	if mode == ValueSort {
		vals := SortResults(rows, ValueSort)
		for i, v := range vals {
			if i == maxRows {
				fmt.Fprintf(&b, "    ... (%d more values)\n", len(vals)-maxRows)
				break
			}
			b.WriteString("    " + v + "\n")
		}
		return b.String()
	}
	for i, r := range rows {
		if i == maxRows {
			fmt.Fprintf(&b, "    ... (%d more rows)\n", len(rows)-maxRows)
			break
		}
		b.WriteString("    " + strings.Join(r, " ") + "\n")
	}
	if len(rows) == 0 {
		b.WriteString("    (no rows)\n")
	}
	return b.String()
}
