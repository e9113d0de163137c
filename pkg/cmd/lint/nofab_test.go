package lint_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

// A values file without a FAB config is never "OK": alone, lint exits 3
// with the reason (nothing was checked); among other files (a pre-commit
// pattern caught another chart's values), the run goes on and lists the
// file as skipped, with the reason, in text and JSON.
func TestLintYAMLWithoutFABConfig(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(other, []byte("replicas: 3\nimage: nginx\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := clitest.RunCLI(t, "lint", "--no-env", other)
	if code != 3 || !strings.Contains(stderr, "no Python config found") || !strings.Contains(stderr, "web.webserverConfig.stringOverride") || stdout != "" {
		t.Fatalf("exit %d, want 3 with the reason on stderr\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// The community chart's values with the config in a Secret: the
	// reason says where the config is.
	secret := filepath.Join("..", "..", "..", "testdata", "helm", "community-values-existing-secret.yaml")
	_, stderr, code = clitest.RunCLI(t, "lint", "--no-env", secret)
	if code != 3 || !strings.Contains(stderr, `names the Secret "airflow-webserver-config": the config the pods mount lives in that Secret`) {
		t.Fatalf("existingSecret: exit %d\n%s", code, stderr)
	}
	bad := filepath.Join(dir, "webserver_config.py")
	if err := os.WriteFile(bad, []byte("AUTH_TYPE = 4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code = clitest.RunCLI(t, "lint", "--no-env", "-o", "json", bad, other)
	var doc struct {
		Result struct {
			SkippedFiles []struct{ File, Reason string }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	sk := doc.Result.SkippedFiles
	if code != 1 || !strings.Contains(stdout, `"CFG003"`) || len(sk) != 1 || sk[0].File != other || !strings.Contains(sk[0].Reason, "no Python config found") {
		t.Fatalf("the Python file's findings must survive the other file, which is listed as skipped: exit %d\n%s", code, stdout)
	}
	stdout, _, _ = clitest.RunCLI(t, "lint", "--no-env", bad, other)
	if !strings.Contains(stdout, "skipped: no FAB config here, nothing checked: no Python config found") {
		t.Fatalf("text output lacks the skipped file:\n%s", stdout)
	}
	// Only files without config: nothing was checked, exit 3.
	if _, stderr, code = clitest.RunCLI(t, "lint", "--no-env", other, secret); code != 3 || !strings.Contains(stderr, "no file holds a FAB config") {
		t.Fatalf("two files without config: exit %d\n%s", code, stderr)
	}
}
