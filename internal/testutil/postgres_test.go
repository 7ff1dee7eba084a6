package testutil

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestStartPostgres(t *testing.T) {
	connString := StartPostgres(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)

	var n int
	if err := conn.QueryRow(ctx, "SELECT 1+1").Scan(&n); err != nil {
		t.Fatalf("SELECT 1+1: %v", err)
	}
	if n != 2 {
		t.Fatalf("SELECT 1+1 = %d, want 2", n)
	}
	var version string
	if err := conn.QueryRow(ctx, "SHOW server_version_num").Scan(&version); err != nil {
		t.Fatalf("SHOW server_version_num: %v", err)
	}
	if len(version) != 6 || version[:2] != postgresMajor {
		t.Fatalf("server_version_num = %q, want PostgreSQL %s", version, postgresMajor)
	}
}
