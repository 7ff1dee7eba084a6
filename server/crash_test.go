package server_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/server"
)

// The crash test runs a node in a child process (this test binary,
// re-executed with crashChildEnv set so that TestCrashChild serves instead
// of skipping), puts it under a concurrent write load over pgwire, kills it
// with SIGKILL at a random moment, restarts it on the same data directory
// and checks what survived:
//
//   - every acknowledged commit is present (ids in xfer and ins);
//   - nothing unacknowledged is half-applied: the balances always sum to
//     the initial total, the money moved out of accounts (acct.moved, one
//     table) equals the amounts logged in xfer (another table, so another
//     range: the two tables are written by one cross-range transaction),
//     and each two-row insert transaction is present whole or not at all;
//   - nothing was invented: every id present was attempted.
//
// AEGIS_CRASH_CYCLES sets the number of kill/restart cycles (default 50).
const (
	crashChildEnv    = "AEGIS_CRASH_CHILD_DIR"
	crashCyclesEnv   = "AEGIS_CRASH_CYCLES"
	crashAccounts    = 8
	crashInitBalance = 1000
)

// TestCrashChild is the child process of TestCrashRecovery. It skips
// unless crashChildEnv names a data directory; then it serves that
// directory until it is killed, after writing its address to addr.txt
// there (atomically, via rename).
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashChildEnv)
	if dir == "" {
		t.Skip("child process of TestCrashRecovery only")
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	s, err := server.Start(context.Background(), server.Config{
		DataDir: filepath.Join(dir, "data"), Listen: "127.0.0.1:0", Logger: logger,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash child: start:", err)
		os.Exit(3)
	}
	tmp := filepath.Join(dir, "addr.tmp")
	if err := os.WriteFile(tmp, []byte(s.Addr().String()), 0o644); err != nil {
		os.Exit(4)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "addr.txt")); err != nil {
		os.Exit(5)
	}
	select {} // until SIGKILL
}

// crashChild is one running child server.
type crashChild struct {
	cmd    *exec.Cmd
	exited chan error // receives cmd.Wait's result
	addr   string
	log    string
}

func startCrashChild(t *testing.T, dir string, cycle int) *crashChild {
	t.Helper()
	addrFile := filepath.Join(dir, "addr.txt")
	if err := os.Remove(addrFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, fmt.Sprintf("child-%03d.log", cycle))
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }() // ends when the child dies
	c := &crashChild{cmd: cmd, exited: exited, log: logPath}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if b, err := os.ReadFile(addrFile); err == nil {
			c.addr = string(b)
			return c
		}
		select {
		case err := <-exited:
			t.Fatalf("cycle %d: child exited before serving: %v\n%s", cycle, err, readTail(logPath))
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("cycle %d: child did not start in time\n%s", cycle, readTail(logPath))
		}
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (c *crashChild) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill child: %v", err)
	}
	<-c.exited
}

func (c *crashChild) url() string {
	return "postgres://postgres@" + c.addr + "/postgres?sslmode=disable"
}

func readTail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// crashLedger is what the clients know: attempted and acknowledged ids.
type crashLedger struct {
	mu sync.Mutex
	// attempted holds every id sent in a transaction (acknowledged or
	// not); acked holds the ids whose COMMIT returned success.
	attempted map[int64]bool
	acked     map[int64]bool
	// pairs maps the first id of a two-row insert to the second.
	pairs map[int64]int64
}

func (l *crashLedger) attempt(ids ...int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		l.attempted[id] = true
	}
	if len(ids) == 2 {
		l.pairs[ids[0]] = ids[1]
	}
}

func (l *crashLedger) ack(ids ...int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		l.acked[id] = true
	}
}

func crashCycles(t *testing.T) int {
	if s := os.Getenv(crashCyclesEnv); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive integer", crashCyclesEnv, s)
		}
		return n
	}
	if testing.Short() {
		return 5
	}
	return 50
}

func TestCrashRecovery(t *testing.T) {
	if os.Getenv(crashChildEnv) != "" {
		t.Skip("running as the crash child")
	}
	cycles := crashCycles(t)
	dir := t.TempDir()
	ctx := context.Background()
	ledger := &crashLedger{attempted: map[int64]bool{}, acked: map[int64]bool{}, pairs: map[int64]int64{}}
	var nextID atomic.Int64
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))

	var totalAcked int
	for cycle := 0; cycle < cycles; cycle++ {
		child := startCrashChild(t, dir, cycle)
		if cycle == 0 {
			setupCrashSchema(t, child)
		} else {
			verifyCrashState(t, child, ledger, cycle)
		}
		// Load, then kill at a random moment while it runs.
		loadCtx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		var acks atomic.Int64
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				runCrashWorker(loadCtx, child.url(), w, &nextID, ledger, &acks)
			}(w)
		}
		time.Sleep(time.Duration(30+rng.IntN(300)) * time.Millisecond)
		child.kill(t)
		stop()
		wg.Wait()
		totalAcked += int(acks.Load())
	}
	child := startCrashChild(t, dir, cycles)
	verifyCrashState(t, child, ledger, cycles)
	child.kill(t)
	if totalAcked == 0 {
		t.Fatal("no transaction was acknowledged in any cycle: the load did not run")
	}
	checkCrashRanges(t, filepath.Join(dir, "data"))
	recovered := 0
	for i := 0; i <= cycles; i++ {
		if strings.Contains(readTail(filepath.Join(dir, fmt.Sprintf("child-%03d.log", i))), "resolved intents") {
			recovered++
		}
	}
	t.Logf("%d cycles, %d acknowledged transactions, %d ids attempted, %d restarts resolved interrupted two-phase commits",
		cycles, totalAcked, len(ledger.attempted), recovered)
}

// checkCrashRanges opens the data directory directly and checks that the
// three tables live in ranges of their own, so that each transfer (acct
// and xfer) was a cross-range, two-phase commit.
func checkCrashRanges(t *testing.T, dataDir string) {
	t.Helper()
	ctx := context.Background()
	db, err := kv.Open(ctx, kv.Options{Dir: dataDir, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ranges, err := db.Ranges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tables := 0
	for _, r := range ranges {
		if len(r.Descriptor.StartKey) == 5 && r.Descriptor.StartKey[0] == 'r' {
			tables++
		}
	}
	if tables < 3 {
		t.Fatalf("want the 3 tables in ranges of their own, got %d ranges: %v", len(ranges), ranges)
	}
}

func crashConnect(ctx context.Context, url string) (*pgx.Conn, error) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return pgx.Connect(cctx, url)
}

func setupCrashSchema(t *testing.T, child *crashChild) {
	t.Helper()
	ctx := context.Background()
	c, err := crashConnect(ctx, child.url())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, q := range []string{
		"CREATE TABLE acct (id int8 PRIMARY KEY, bal int8, moved int8)",
		"CREATE TABLE xfer (id int8 PRIMARY KEY, amt int8)",
		"CREATE TABLE ins (id int8 PRIMARY KEY, note text)",
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var sb strings.Builder
	sb.WriteString("INSERT INTO acct VALUES ")
	for i := 0; i < crashAccounts; i++ {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "(%d, %d, 0)", i, crashInitBalance)
	}
	if _, err := c.Exec(ctx, sb.String()); err != nil {
		t.Fatal(err)
	}
}

// runCrashWorker runs transactions until the server dies or ctx ends.
// Even workers do transfers, odd workers do two-row inserts.
func runCrashWorker(ctx context.Context, url string, w int, nextID *atomic.Int64, l *crashLedger, acks *atomic.Int64) {
	c, err := crashConnect(ctx, url)
	if err != nil {
		return
	}
	defer c.Close(context.Background())
	rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
	for ctx.Err() == nil {
		var ids []int64
		var body func(tx pgx.Tx) error
		if w%2 == 0 {
			id := nextID.Add(1)
			ids = []int64{id}
			from := rng.Int64N(crashAccounts)
			to := (from + 1 + rng.Int64N(crashAccounts-1)) % crashAccounts
			amt := 1 + rng.Int64N(50)
			body = func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, "UPDATE acct SET bal = bal - $1, moved = moved + $1 WHERE id = $2", amt, from); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, "UPDATE acct SET bal = bal + $1 WHERE id = $2", amt, to); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, "INSERT INTO xfer VALUES ($1, $2)", id, amt)
				return err
			}
		} else {
			id := nextID.Add(2)
			ids = []int64{id - 1, id}
			body = func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, "INSERT INTO ins VALUES ($1, 'a')", ids[0]); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, "INSERT INTO ins VALUES ($1, 'b')", ids[1])
				return err
			}
		}
		l.attempt(ids...)
		for attempt := 0; ; attempt++ {
			err := runCrashTxn(ctx, c, body)
			if err == nil {
				l.ack(ids...)
				acks.Add(1)
				break
			}
			if !retryable(err) || attempt > 100 || ctx.Err() != nil {
				return // the server died (or the load stopped)
			}
		}
	}
}

func runCrashTxn(ctx context.Context, c *pgx.Conn, body func(pgx.Tx) error) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	if err := body(tx); err != nil {
		_ = tx.Rollback(context.Background())
		return err
	}
	return tx.Commit(ctx)
}

func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// verifyCrashState checks the invariants on a freshly restarted child.
func verifyCrashState(t *testing.T, child *crashChild, l *crashLedger, cycle int) {
	t.Helper()
	ctx := context.Background()
	c, err := crashConnect(ctx, child.url())
	if err != nil {
		t.Fatalf("cycle %d: connect after restart: %v\n%s", cycle, err, readTail(child.log))
	}
	defer c.Close(ctx)
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("cycle %d: %s\nchild log:\n%s", cycle, fmt.Sprintf(format, args...), readTail(child.log))
	}
	var n, sumBal, sumMoved int64
	if err := c.QueryRow(ctx, "SELECT count(*), sum(bal)::int8, sum(moved)::int8 FROM acct").Scan(&n, &sumBal, &sumMoved); err != nil {
		fail("read acct: %v", err)
	}
	if n != crashAccounts || sumBal != crashAccounts*crashInitBalance {
		fail("accounts: count=%d sum=%d, want %d and %d (a transfer was half-applied)", n, sumBal, crashAccounts, crashAccounts*crashInitBalance)
	}
	present := map[int64]bool{}
	var sumAmt int64
	rows, err := c.Query(ctx, "SELECT id, amt FROM xfer")
	if err != nil {
		fail("read xfer: %v", err)
	}
	for rows.Next() {
		var id, amt int64
		if err := rows.Scan(&id, &amt); err != nil {
			fail("scan xfer: %v", err)
		}
		present[id] = true
		sumAmt += amt
	}
	if err := rows.Err(); err != nil {
		fail("read xfer: %v", err)
	}
	if sumAmt != sumMoved {
		fail("xfer amounts sum to %d but accounts moved %d (a cross-table transaction was half-applied)", sumAmt, sumMoved)
	}
	rows, err = c.Query(ctx, "SELECT id FROM ins")
	if err != nil {
		fail("read ins: %v", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			fail("scan ins: %v", err)
		}
		present[id] = true
	}
	if err := rows.Err(); err != nil {
		fail("read ins: %v", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for id := range l.acked {
		if !present[id] {
			fail("acknowledged id %d is missing", id)
		}
	}
	for id := range present {
		if !l.attempted[id] {
			fail("id %d present but never attempted", id)
		}
	}
	for a, b := range l.pairs {
		if present[a] != present[b] {
			fail("insert transaction (%d, %d) half-applied: present %v, %v", a, b, present[a], present[b])
		}
	}
	// Ids present but unacknowledged were committed just before the
	// kill: from now on they must stay, like acknowledged ones.
	for id := range present {
		l.acked[id] = true
	}
}
