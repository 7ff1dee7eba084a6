package testutil

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// postgresMajor is the PostgreSQL major version differential tests compare
// against.
const postgresMajor = "15"

// postgresBinDirs are searched for initdb and pg_ctl after PATH.
var postgresBinDirs = []string{"/usr/lib/postgresql/" + postgresMajor + "/bin"}

const postgresInstallHint = "PostgreSQL " + postgresMajor +
	" server binaries (initdb, pg_ctl; on Debian: apt-get install postgresql-" + postgresMajor +
	", found on PATH or in /usr/lib/postgresql/" + postgresMajor + "/bin)"

// findPostgresBinDir returns a directory holding initdb and pg_ctl of
// PostgreSQL 15: the directory of the initdb found on PATH (symlinks
// resolved) if it is version 15, else one of postgresBinDirs.
func findPostgresBinDir() (string, bool) {
	var candidates []string
	if p, err := exec.LookPath("initdb"); err == nil {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		candidates = append(candidates, filepath.Dir(p))
	}
	candidates = append(candidates, postgresBinDirs...)
	for _, dir := range candidates {
		initdb := filepath.Join(dir, "initdb")
		if !isExecutable(initdb) || !isExecutable(filepath.Join(dir, "pg_ctl")) {
			continue
		}
		out, err := exec.Command(initdb, "--version").Output()
		if err != nil {
			continue
		}
		// "initdb (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
		fields := strings.Fields(string(out))
		if len(fields) >= 3 && strings.HasPrefix(fields[2], postgresMajor+".") {
			return dir, true
		}
	}
	return "", false
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// pgRunner runs PostgreSQL programs, dropping root privileges to the
// postgres OS user when needed (PostgreSQL refuses to run as root).
type pgRunner struct {
	binDir string
	dir    string              // working directory for the commands
	cred   *syscall.Credential // nil when not running as root
}

func (r *pgRunner) command(ctx context.Context, prog string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(r.binDir, prog), args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "PGTZ=UTC")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Credential: r.cred}
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

func (r *pgRunner) run(ctx context.Context, prog string, args ...string) error {
	cmd := r.command(ctx, prog, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", prog, strings.Join(args, " "), err, out.String())
	}
	return nil
}

// StartPostgres starts a scratch PostgreSQL 15 server for the test and
// returns a connection string (keyword/value form, usable with
// pgx.Connect) for its superuser "postgres" and database "postgres".
//
// The server runs from a fresh data directory in a temporary directory,
// uses trust authentication, the C locale and UTF8 encoding, listens on a
// free port on 127.0.0.1 and on a Unix socket in the temporary directory,
// and runs with fsync off. It is stopped (pg_ctl stop -m immediate) and
// its files removed when the test finishes. When the process runs as
// root, initdb, pg_ctl and the server run as the "postgres" OS user.
//
// Each call starts a new server, which costs about 1-2 seconds (mostly
// initdb); tests that need several databases should share one server and
// CREATE DATABASE instead of calling StartPostgres repeatedly.
//
// If the PostgreSQL 15 binaries (or, as root, the postgres OS user) are
// missing, the test is skipped or failed as described in [RequireExternal].
func StartPostgres(t testing.TB) (connString string) {
	t.Helper()
	binDir, ok := findPostgresBinDir()
	RequireExternal(t, postgresInstallHint, ok)

	r := &pgRunner{binDir: binDir}
	tmpRoot := os.TempDir()
	var uid, gid int = -1, -1
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		RequireExternal(t, "the OS user \"postgres\" (needed to run PostgreSQL when tests run as root)", err == nil)
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		r.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		// TMPDIR may point into a directory the postgres user cannot
		// traverse; /tmp is world-searchable.
		if fi, err := os.Stat("/tmp"); err == nil && fi.IsDir() {
			tmpRoot = "/tmp"
		}
	}

	dir, err := os.MkdirTemp(tmpRoot, "aegis-pg-")
	if err != nil {
		t.Fatalf("StartPostgres: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	r.dir = dir
	if uid >= 0 {
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatalf("StartPostgres: chown %s: %v", dir, err)
		}
	}
	dataDir := filepath.Join(dir, "data")
	logFile := filepath.Join(dir, "postgres.log")

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	if err := r.run(ctx, "initdb", "-D", dataDir, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"); err != nil {
		t.Fatalf("StartPostgres: %v", err)
	}

	var port int
	started := false
	for attempt := 0; attempt < 3 && !started; attempt++ {
		port, err = freePort()
		if err != nil {
			t.Fatalf("StartPostgres: %v", err)
		}
		opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off "+
			"-c synchronous_commit=off -c full_page_writes=off -c max_connections=50", port, dir)
		err = r.run(ctx, "pg_ctl", "-D", dataDir, "-l", logFile, "-w", "-t", "60", "-s", "-o", opts, "start")
		if err == nil {
			started = true
			break
		}
		// The port may have been taken between freePort and bind; retry
		// with another one, but only if the server is not running.
		_ = r.run(ctx, "pg_ctl", "-D", dataDir, "-m", "immediate", "-s", "stop")
	}
	if !started {
		log, _ := os.ReadFile(logFile)
		t.Fatalf("StartPostgres: %v\nserver log:\n%s", err, log)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := r.run(ctx, "pg_ctl", "-D", dataDir, "-m", "immediate", "-s", "-w", "stop"); err != nil {
			t.Logf("StartPostgres cleanup: %v", err)
		}
	})

	connString = fmt.Sprintf("host=127.0.0.1 port=%d user=postgres dbname=postgres sslmode=disable", port)
	if err := waitReady(ctx, connString); err != nil {
		log, _ := os.ReadFile(logFile)
		t.Fatalf("StartPostgres: server not ready: %v\nserver log:\n%s", err, log)
	}
	return connString
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls until a connection to connString succeeds.
func waitReady(ctx context.Context, connString string) error {
	var last error
	for {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		conn, err := pgx.Connect(cctx, connString)
		cancel()
		if err == nil {
			return conn.Close(ctx)
		}
		last = err
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// ConnectPostgres connects to a reference PostgreSQL 15 for differential
// tests: the one named by AEGIS_PG_URL, or else a scratch server from
// StartPostgres (which skips, or fails with AEGIS_REQUIRE_EXTERNAL=1,
// when PostgreSQL is not installed). The connection closes with the test.
func ConnectPostgres(t testing.TB) *pgx.Conn {
	t.Helper()
	url := os.Getenv("AEGIS_PG_URL")
	if url == "" {
		url = StartPostgres(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to reference PostgreSQL %s: %v", url, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
