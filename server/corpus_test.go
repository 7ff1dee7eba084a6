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

// TestSQLLogicCorpus runs the sqllogictest files kept in
// testdata/sqllogictest (select1-5 and evidence/*, copied from the
// shared SQLite-derived corpus), skipping the records real PostgreSQL 15
// fails, and requires every other record to pass.
func TestSQLLogicCorpus(t *testing.T) {
	runCorpus(t, "../testdata/sqllogictest")
}

// TestSQLLogicSharedCorpus runs the whole shared corpus
// (../shared/testdata/sqllogictest, 36 files, ~175k records, about a
// minute and a half) when it is present next to the repository, with the
// same requirement. AEGIS_CORPUS=dir runs another directory.
func TestSQLLogicSharedCorpus(t *testing.T) {
	root := os.Getenv("AEGIS_CORPUS")
	if root == "" {
		root = "../../shared/testdata/sqllogictest"
	}
	if _, err := os.Stat(root); err != nil {
		t.Skipf("shared sqllogictest corpus not found at %s", root)
	}
	if testing.Short() {
		t.Skip("-short: skipping the full corpus")
	}
	runCorpus(t, root)
}

func runCorpus(t *testing.T, root string) {
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
		for i, f := range failures {
			if i >= 10 {
				break
			}
			t.Errorf("%s:%d %s", rel, f.Line, firstLine(f.Message))
		}
	}
	t.Logf("total: %d/%d passed (%.2f%%)", passed, total, 100*float64(passed)/float64(max(total, 1)))
	if passed != total {
		t.Errorf("%d records failed", total-passed)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
