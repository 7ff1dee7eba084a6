package server_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/aegisdb/aegis/server/testserver"
	"github.com/aegisdb/aegis/sql/logictest"
)

// TestLogic runs testdata/logic/*.test through pgwire, each file in a
// fresh node.
func TestLogic(t *testing.T) {
	files, err := filepath.Glob("../testdata/logic/*.test")
	if err != nil || len(files) == 0 {
		t.Fatalf("no logic files: %v", err)
	}
	unsupported, err := logictest.LoadSkipList("../testdata/logic/aegis-unsupported.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		f := f
		t.Run(filepath.Base(f), func(t *testing.T) {
			ts := testserver.Start(t, testserver.Options{})
			cfg := logictest.Config{Divergent: unsupported, Connect: func(ctx context.Context) (*pgx.Conn, error) {
				return pgx.Connect(ctx, ts.URL("postgres"))
			}}
			logictest.RunFile(t, cfg, f)
		})
	}
}
