package kv

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering checks the import rules of the storage layer: only
// kv/storage imports Pebble, and internal/ packages never import kv.
func TestLayering(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH; layering not checked")
	}
	out, err := exec.Command(goBin, "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}",
		"github.com/aegisdb/aegis/kv/...", "github.com/aegisdb/aegis/internal/encoding",
		"github.com/aegisdb/aegis/internal/hlc").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		for _, imp := range imports {
			if strings.HasPrefix(imp, "github.com/cockroachdb/pebble") && pkg != "github.com/aegisdb/aegis/kv/storage" {
				t.Errorf("%s imports %s: only kv/storage may import Pebble", pkg, imp)
			}
			if strings.HasPrefix(pkg, "github.com/aegisdb/aegis/internal/") && strings.HasPrefix(imp, "github.com/aegisdb/aegis/kv") {
				t.Errorf("%s imports %s: internal/ must not import kv", pkg, imp)
			}
		}
	}
}
