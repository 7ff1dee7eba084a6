package testutil

import (
	"os"
	"os/exec"
	"testing"
)

// RequireExternalEnv is the environment variable that turns a missing
// external dependency from a skipped test into a failed one.
const RequireExternalEnv = "AEGIS_REQUIRE_EXTERNAL"

// externalRequired reports whether AEGIS_REQUIRE_EXTERNAL=1 is set.
func externalRequired() bool {
	return os.Getenv(RequireExternalEnv) == "1"
}

// RequireExternal stops the test when an external dependency is missing.
// what names the dependency and, ideally, how to get it (for example
// "PostgreSQL 15 (apt-get install postgresql)"). When ok is true it does
// nothing. When ok is false the test fails if AEGIS_REQUIRE_EXTERNAL=1 is
// set, and is skipped otherwise.
func RequireExternal(t testing.TB, what string, ok bool) {
	t.Helper()
	if ok {
		return
	}
	if externalRequired() {
		t.Fatalf("%s is required (%s=1) but not available", what, RequireExternalEnv)
	}
	t.Skipf("skipping: %s is not available; install it to run this test (set %s=1 to make this a failure)",
		what, RequireExternalEnv)
}

// LookPath finds prog on PATH like [exec.LookPath]. If it is not found the
// test is skipped or failed according to [RequireExternal]. It returns the
// program's path.
func LookPath(t testing.TB, prog string) string {
	t.Helper()
	path, err := exec.LookPath(prog)
	RequireExternal(t, "program "+prog+" (on PATH)", err == nil)
	return path
}
