// Package testutil holds helpers shared by Aegis tests.
//
// Tests that need an external program (a real PostgreSQL server, psql, ...)
// call [RequireExternal] or [LookPath]: when the dependency is missing the
// test is skipped, unless the environment variable AEGIS_REQUIRE_EXTERNAL=1
// is set (as CI does), in which case the test fails instead. That keeps
// `go test` usable on a bare developer machine while guaranteeing that CI
// really exercises the differential tests.
//
// [StartPostgres] starts a scratch PostgreSQL 15 server for differential
// tests (comparing Aegis with the real thing).
package testutil
