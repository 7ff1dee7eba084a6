package server_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aegisdb/aegis/server/testserver"
	"github.com/aegisdb/aegis/sql/logictest"
)

// corpusBaseline is the number of records of testdata/sqllogictest that
// Aegis must pass (a ratchet: raise it as features land, never lower it).
var corpusBaseline = map[string]int{
	"select1.test":                         1031,
	"evidence/in1.test":                    128,
	"evidence/in2.test":                    45,
	"evidence/slt_lang_aggfunc.test":       5,
	"evidence/slt_lang_createtrigger.test": 6,
	"evidence/slt_lang_createview.test":    13,
	"evidence/slt_lang_dropindex.test":     8,
	"evidence/slt_lang_droptable.test":     12,
	"evidence/slt_lang_droptrigger.test":   9,
	"evidence/slt_lang_dropview.test":      13,
	"evidence/slt_lang_reindex.test":       6,
	"evidence/slt_lang_replace.test":       6,
	"evidence/slt_lang_update.test":        24,
}

// TestSQLLogicCorpus runs the sqllogictest corpus files kept in
// testdata/sqllogictest (copied from the shared SQLite-derived corpus),
// skipping the records real PostgreSQL 15 fails, and checks that Aegis
// passes at least the recorded baseline of each file.
//
// AEGIS_CORPUS=dir runs every .test file under dir instead (for example
// ../shared/testdata/sqllogictest) and only reports.
func TestSQLLogicCorpus(t *testing.T) {
	root := "../testdata/sqllogictest"
	report := false
	if dir := os.Getenv("AEGIS_CORPUS"); dir != "" {
		root, report = dir, true
	}
	skip, err := logictest.LoadSkipList(filepath.Join(root, "pg15-divergent-records.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	err = filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".test") {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files under %s: %v", root, err)
	}
	sort.Strings(files)
	total, passed := 0, 0
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		ts := testserver.Start(t, testserver.Options{})
		cfg := logictest.Config{Divergent: skip, StatementTimeout: 20 * time.Second, Connect: func(ctx context.Context) (*pgx.Conn, error) {
			return pgx.Connect(ctx, ts.URL("postgres"))
		}}
		res, failures, err := logictest.Run(context.Background(), cfg, f)
		ts.Stop()
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		ran := res.Records - res.Skipped
		total += ran
		passed += res.Passed
		t.Logf("%-45s %6d/%6d passed (%.1f%%)", rel, res.Passed, ran, 100*float64(res.Passed)/float64(max(ran, 1)))
		if report {
			for i, f := range failures {
				if i >= 3 {
					break
				}
				t.Logf("    %s:%d %s", rel, f.Line, firstLine(f.Message))
			}
			continue
		}
		if want := corpusBaseline[filepath.ToSlash(rel)]; res.Passed < want {
			t.Errorf("%s: %d records passed, baseline is %d", rel, res.Passed, want)
			for i, f := range failures {
				if i >= 10 {
					break
				}
				t.Logf("    line %d: %s", f.Line, firstLine(f.Message))
			}
		}
	}
	t.Logf("total: %d/%d passed (%.2f%%)", passed, total, 100*float64(passed)/float64(max(total, 1)))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
