package lint_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

// A values file of another chart (caught by a pre-commit pattern) is
// nothing to lint: a note (on stderr), and the other files' findings still count.
func TestLintSkipsYAMLWithoutFABConfig(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(other, []byte("replicas: 3\nimage: nginx\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := clitest.RunCLI(t, "lint", "--no-env", other)
	if code != 0 || !strings.Contains(stderr, "nothing to lint") || strings.Contains(stdout, "nothing to lint") {
		t.Fatalf("exit %d: the note belongs on stderr\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	bad := filepath.Join(dir, "webserver_config.py")
	if err := os.WriteFile(bad, []byte("AUTH_TYPE = 4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code = clitest.RunCLI(t, "lint", "--no-env", "-o", "json", bad, other)
	if code != 1 || !strings.Contains(stdout, `"CFG003"`) {
		t.Fatalf("the Python file's findings must survive the other file: exit %d\n%s", code, stdout)
	}
}
