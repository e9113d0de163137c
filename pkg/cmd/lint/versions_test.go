package lint_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

// --fab-version and --fab-provider are never ignored: one that does not
// apply to the flavour, or a version outside the flavour's range, is a
// usage error (exit 2) saying so and naming the range.
func TestVersionFlagsAreNeverIgnored(t *testing.T) {
	file := filepath.Join("..", "..", "..", "docs", "guides", "examples", "keycloak-webserver_config.py")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--flavor", "airflow3", "--fab-version", "4.5.0"}, "--fab-version does not apply to airflow-3"},
		{[]string{"--flavor", "airflow-2.2", "--fab-version", "3.4.5"}, "--fab-version does not apply to airflow-2.2"},
		{[]string{"--flavor", "superset", "--fab-provider", "1.5.0"}, "--fab-provider does not apply to superset"},
		{[]string{"--flavor", "superset", "--fab-version", "2.3.4"}, "3.0.0–5.2.2"},
		{[]string{"--flavor", "airflow-2.0", "--fab-version", "4.0.0"}, "3.1.1–3.4.5"},
		{[]string{"--flavor", "airflow-2.9", "--fab-provider", "2.1.0"}, "1.0.0 up to (not including) 2.0.0"},
	} {
		_, stderr, code := clitest.RunCLI(t, append(append([]string{"lint", "--no-env"}, c.args...), file)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, want 2 with %q:\n%s", c.args, code, c.want, stderr)
		}
	}
	// In range, it changes the simulation: FAB 3.1.1 has no keycloak branch.
	stdout, _, _ := clitest.RunCLI(t, "lint", "--no-env", "--flavor", "airflow-2.0", "--fab-version", "3.1.1", file)
	if !strings.Contains(stdout, "Flask-AppBuilder 3.1.1") || !strings.Contains(stdout, "set by --fab-version") {
		t.Errorf("--fab-version 3.1.1:\n%s", stdout)
	}
}
