package testutil

import (
	"runtime"
	"testing"
)

func TestRequireExternalOK(t *testing.T) {
	// ok=true must neither skip nor fail.
	RequireExternal(t, "nothing", true)
}

func TestRequireExternalMissing(t *testing.T) {
	for _, tc := range []struct {
		env      string
		wantSkip bool
		wantFail bool
	}{
		{env: "", wantSkip: true},
		{env: "1", wantFail: true},
	} {
		t.Run("env="+tc.env, func(t *testing.T) {
			t.Setenv(RequireExternalEnv, tc.env)
			rec := &recordingTB{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				RequireExternal(rec, "frobnicator", false)
			}()
			<-done
			if rec.skipped != tc.wantSkip || rec.failed != tc.wantFail {
				t.Fatalf("skipped=%v failed=%v, want skipped=%v failed=%v (msg %q)",
					rec.skipped, rec.failed, tc.wantSkip, tc.wantFail, rec.msg)
			}
		})
	}
}

// recordingTB records Skipf/Fatalf instead of acting on them. Both end the
// calling goroutine with runtime.Goexit, like the real methods.
type recordingTB struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Skipf(format string, args ...any) {
	r.skipped = true
	r.msg = format
	runtime.Goexit()
}

func (r *recordingTB) Fatalf(format string, args ...any) {
	r.failed = true
	r.msg = format
	runtime.Goexit()
}

func TestLookPath(t *testing.T) {
	if p := LookPath(t, "sh"); p == "" {
		t.Fatal("LookPath(sh) returned an empty path")
	}
	t.Setenv(RequireExternalEnv, "")
	rec := &recordingTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		LookPath(rec, "aegis-no-such-program")
	}()
	<-done
	if !rec.skipped {
		t.Fatal("LookPath of a missing program did not skip")
	}
}
