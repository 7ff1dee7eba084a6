package server_test

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aegisdb/aegis/internal/testutil"
	"github.com/aegisdb/aegis/server/testserver"
)

// TestPsqlScriptsMatchPostgres runs every testdata/psql/*.sql script with
// psql against Aegis and a scratch PostgreSQL 15: the output (results,
// column names, errors with their positions) must be byte-for-byte the
// same. Each script drops what it creates, so they share one server.
func TestPsqlScriptsMatchPostgres(t *testing.T) {
	psql := testutil.LookPath(t, "psql")
	files, err := filepath.Glob("testdata/psql/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	pgConn := testutil.StartPostgres(t)
	ts := testserver.Start(t, testserver.Options{})
	run := func(conn, file string) string {
		cmd := exec.Command(psql, "-X", "--no-psqlrc", "-v", "ON_ERROR_STOP=0", "-f", file, conn)
		cmd.Env = append(cmd.Environ(), "LC_ALL=C", "PGTZ=UTC")
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want, got := run(pgConn, f), run(ts.URL("postgres"), f)
			if got != want {
				t.Errorf("output differs from PostgreSQL 15.\n--- aegis\n%s\n--- postgres\n%s", got, want)
			}
		})
	}
}
