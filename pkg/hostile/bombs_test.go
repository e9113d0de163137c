//go:build linux

package hostile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestResourceBombsThroughEveryCommand: the reader's own hostile tests
// bound what it evaluates, but every value it returns is then converted
// and walked by the commands. A list shared by reference ([L] * 100000 of
// an L of 100000 items) is cheap for the reader and 10^10 values for a
// naive converter: every command that reads a config must end, within
// the memory bound, and say what it could not check.
func TestResourceBombsThroughEveryCommand(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(root, "testdata", "configs", "hostile", "resource-exhaustion.py")
	claims := filepath.Join(t.TempDir(), "claims.json")
	if err := os.WriteFile(claims, []byte(`{"sub":"u1","email":"ada@example.com"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"lint", f, "--no-env", "-o", "json"},
		{"lint", f, "--no-env", "-o", "sarif"},
		{"roles", "--config", f, "--no-env", "--provider", "azure", "--claims", "@" + claims, "-o", "json"},
		{"doctor", "--config", f, "--no-env", "--offline", "-o", "json"},
		{"config", "show", f, "--no-env", "-o", "json"},
		{"config", "show", f, "--no-env"},
	} {
		r := run(t, runOpts{}, args...)
		t.Logf("%s: exit %d, peak RSS %s", args[0], r.code, mib(r.maxRSS))
		if r.code > 1 {
			t.Errorf("%s: exit %d\n%s", args[0], r.code, r)
		}
		if r.maxRSS > maxRSS {
			t.Errorf("%s: peak RSS %s", args[0], mib(r.maxRSS))
		}
	}
}
