package server_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/aegisdb/aegis/server"
	"github.com/aegisdb/aegis/server/testserver"
)

// rawConn opens a protocol-level connection and completes startup.
func rawConn(t *testing.T, ts *testserver.TestServer) (*pgproto3.Frontend, net.Conn) {
	t.Helper()
	nc, err := net.Dial("tcp", ts.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	_ = nc.SetDeadline(time.Now().Add(20 * time.Second))
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": "postgres", "database": "postgres"}})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
			return fe, nc
		}
	}
}

// until collects messages up to and including ReadyForQuery.
func until(t *testing.T, fe *pgproto3.Frontend) []pgproto3.BackendMessage {
	t.Helper()
	var out []pgproto3.BackendMessage
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		// Receive reuses message structs: keep a summary copy.
		switch m := msg.(type) {
		case *pgproto3.DataRow:
			vals := make([][]byte, len(m.Values))
			for i, v := range m.Values {
				vals[i] = append([]byte(nil), v...)
			}
			out = append(out, &pgproto3.DataRow{Values: vals})
		case *pgproto3.CommandComplete:
			out = append(out, &pgproto3.CommandComplete{CommandTag: append([]byte(nil), m.CommandTag...)})
		case *pgproto3.ErrorResponse:
			c := *m
			out = append(out, &c)
		case *pgproto3.ReadyForQuery:
			out = append(out, &pgproto3.ReadyForQuery{TxStatus: m.TxStatus})
			return out
		default:
			out = append(out, msg)
		}
	}
}

func kinds(msgs []pgproto3.BackendMessage) string {
	var parts []string
	for _, m := range msgs {
		name := strings.TrimPrefix(strings.TrimPrefix(typeName(m), "*pgproto3."), "pgproto3.")
		switch x := m.(type) {
		case *pgproto3.DataRow:
			name += "(" + string(x.Values[0]) + ")"
		case *pgproto3.CommandComplete:
			name += "(" + string(x.CommandTag) + ")"
		case *pgproto3.ErrorResponse:
			name += "(" + x.Code + ")"
		case *pgproto3.ReadyForQuery:
			name += "(" + string(x.TxStatus) + ")"
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, " ")
}

func typeName(v any) string {
	return strings.TrimSpace(strings.Split(strings.TrimPrefix(fmtT(v), "*"), "{")[0])
}

func TestExtendedProtocolPortalSuspension(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	fe, _ := rawConn(t, ts)
	fe.Send(&pgproto3.Query{String: "CREATE TABLE n (i int PRIMARY KEY); INSERT INTO n VALUES (1),(2),(3),(4),(5)"})
	_ = fe.Flush()
	until(t, fe)

	fe.Send(&pgproto3.Parse{Name: "q", Query: "SELECT i FROM n WHERE i > $1 ORDER BY i"})
	fe.Send(&pgproto3.Describe{ObjectType: 'S', Name: "q"})
	fe.Send(&pgproto3.Bind{PreparedStatement: "q", Parameters: [][]byte{[]byte("1")}})
	fe.Send(&pgproto3.Execute{MaxRows: 2})
	fe.Send(&pgproto3.Execute{MaxRows: 2})
	fe.Send(&pgproto3.Execute{})
	fe.Send(&pgproto3.Sync{})
	_ = fe.Flush()
	got := kinds(until(t, fe))
	want := "ParseComplete ParameterDescription RowDescription BindComplete DataRow(2) DataRow(3) PortalSuspended " +
		"DataRow(4) DataRow(5) PortalSuspended CommandComplete(SELECT 0) ReadyForQuery(I)"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}

	// An error skips to Sync; the next Sync-delimited batch works again.
	fe.Send(&pgproto3.Parse{Query: "SELECT * FROM missing"})
	fe.Send(&pgproto3.Bind{})
	fe.Send(&pgproto3.Execute{})
	fe.Send(&pgproto3.Sync{})
	fe.Send(&pgproto3.Parse{Query: "SELECT 42"})
	fe.Send(&pgproto3.Bind{})
	fe.Send(&pgproto3.Execute{})
	fe.Send(&pgproto3.Sync{})
	_ = fe.Flush()
	if got := kinds(until(t, fe)); got != "ErrorResponse(42P01) ReadyForQuery(I)" {
		t.Fatalf("error batch: %s", got)
	}
	if got := kinds(until(t, fe)); got != "ParseComplete BindComplete DataRow(42) CommandComplete(SELECT 1) ReadyForQuery(I)" {
		t.Fatalf("after error: %s", got)
	}
}

func TestTransactionStatusAndFailedBlock(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	fe, _ := rawConn(t, ts)
	steps := []struct{ sql, want string }{
		{"BEGIN", "CommandComplete(BEGIN) ReadyForQuery(T)"},
		{"SELECT 1/0", "ErrorResponse(22012) ReadyForQuery(E)"},
		{"SELECT 1", "ErrorResponse(25P02) ReadyForQuery(E)"},
		{"ROLLBACK", "CommandComplete(ROLLBACK) ReadyForQuery(I)"},
		{"SELECT 1; SELECT 2", "RowDescription DataRow(1) CommandComplete(SELECT 1) RowDescription DataRow(2) CommandComplete(SELECT 1) ReadyForQuery(I)"},
		{"", "EmptyQueryResponse ReadyForQuery(I)"},
	}
	for _, s := range steps {
		fe.Send(&pgproto3.Query{String: s.sql})
		_ = fe.Flush()
		if got := kinds(until(t, fe)); got != s.want {
			t.Errorf("%q: got %s, want %s", s.sql, got, s.want)
		}
	}
}

func TestSimpleQueryStringIsOneTransaction(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, "CREATE TABLE t (id int PRIMARY KEY)")
	// The duplicate fails the whole string: the first insert is undone.
	if _, err := c.PgConn().Exec(ctx, "INSERT INTO t VALUES (1); INSERT INTO t VALUES (1)").ReadAll(); pgCode(err) != "23505" {
		t.Fatalf("want 23505, got %v", err)
	}
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 0 {
		t.Fatalf("count = %d (%v), want 0", n, err)
	}
}

func TestCancelRequest(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	c := connect(t, ts.URL("postgres"))
	ctx := context.Background()
	mustExec(t, c, "CREATE TABLE big (i int PRIMARY KEY)")
	mustExec(t, c, "INSERT INTO big SELECT * FROM (VALUES (1),(2),(3),(4),(5),(6),(7),(8),(9),(10)) v")
	for i := 0; i < 3; i++ {
		mustExec(t, c, "INSERT INTO big SELECT i + (SELECT max(i) FROM big) FROM big")
	}
	// 80 rows; a 4-way cross join is 40M rows: long enough to cancel.
	go func() {
		time.Sleep(300 * time.Millisecond)
		_ = c.PgConn().CancelRequest(context.Background())
	}()
	start := time.Now()
	_, err := c.Exec(ctx, "SELECT count(*) FROM big a, big b, big c, big d")
	if pgCode(err) != "57014" {
		t.Fatalf("want 57014 after cancel, got %v", err)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Fatalf("cancel took %v", d)
	}
	// The connection stays usable.
	var one int
	if err := c.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("after cancel: %v", err)
	}
	// statement_timeout gives the same code.
	mustExec(t, c, "SET statement_timeout = '200ms'")
	if _, err := c.Exec(ctx, "SELECT count(*) FROM big a, big b, big c, big d"); pgCode(err) != "57014" {
		t.Fatalf("want 57014 for statement_timeout, got %v", err)
	}
}

func TestParameterStatusAndNotices(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	var notices []string
	cfg, err := pgconn.ParseConfig(ts.URL("postgres") + "&application_name=probe")
	if err != nil {
		t.Fatal(err)
	}
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { notices = append(notices, n.Severity+" "+n.Message) }
	pc, err := pgconn.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close(context.Background())
	for k, want := range map[string]string{"server_version": "15.8", "server_encoding": "UTF8", "client_encoding": "UTF8",
		"DateStyle": "ISO, MDY", "TimeZone": "UTC", "integer_datetimes": "on", "standard_conforming_strings": "on",
		"application_name": "probe", "IntervalStyle": "postgres", "is_superuser": "on"} {
		if got := pc.ParameterStatus(k); got != want {
			t.Errorf("ParameterStatus %s = %q, want %q", k, got, want)
		}
	}
	if _, err := pc.Exec(context.Background(), "SET TimeZone = 'America/New_York'").ReadAll(); err != nil {
		t.Fatal(err)
	}
	if got := pc.ParameterStatus("TimeZone"); got != "America/New_York" {
		t.Errorf("TimeZone after SET = %q", got)
	}
	if _, err := pc.Exec(context.Background(), "DROP TABLE IF EXISTS nothing_here").ReadAll(); err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || notices[0] != `NOTICE table "nothing_here" does not exist, skipping` {
		t.Errorf("notices = %q", notices)
	}
}

func TestStartupErrors(t *testing.T) {
	ts := testserver.Start(t, testserver.Options{})
	ctx := context.Background()
	_, err := pgx.Connect(ctx, strings.Replace(ts.URL("nodb"), "postgres@", "postgres@", 1))
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "3D000" || pe.Severity != "FATAL" {
		t.Errorf("missing database: %v", err)
	}
	_, err = pgx.Connect(ctx, strings.Replace(ts.URL("postgres"), "postgres@", "nobody@", 1))
	if !errors.As(err, &pe) || pe.Code != "28000" {
		t.Errorf("missing role: %v", err)
	}
	// sslmode=prefer sends SSLRequest first; 'N' lets it continue in clear.
	c, err := pgx.Connect(ctx, strings.Replace(ts.URL("postgres"), "sslmode=disable", "sslmode=prefer", 1))
	if err != nil {
		t.Fatalf("sslmode=prefer: %v", err)
	}
	c.Close(ctx)
}

func TestListenRefusesNonLoopback(t *testing.T) {
	_, err := server.Start(context.Background(), server.Config{Listen: "0.0.0.0:0", InMemory: true})
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("want a refusal for a non-loopback address, got %v", err)
	}
}

func fmtT(v any) string { return strings.TrimSpace(fmtType(v)) }
