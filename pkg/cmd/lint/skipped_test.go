package lint_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

// No silent blind spots: a check that cannot run because the reader could
// not resolve a provider's name, remote_app, api_base_url or scope,
// OAUTH_PROVIDERS itself or AUTH_ROLES_MAPPING is listed as skipped with
// the reason, in the text output and in JSON.
func TestLintSkippedChecksSayWhy(t *testing.T) {
	for _, c := range []struct {
		file   string
		skips  map[string]string // check → a fragment of its reason
		absent []string          // checks that ran, so are not skipped
	}{
		{"skipped-name-imported.py", map[string]string{
			"CFG011": "its name could not be resolved statically (it is `company_sso.PROVIDER_NAME`",
			"CFG008": "which user-info branch and callback URL FAB uses is unknown",
		}, []string{"CFG004", "CFG020", "CFG023"}},
		{"skipped-unresolved-parts.py", map[string]string{
			"CFG013": "api_base_url (line 21) could not be resolved statically (environment variable KEYCLOAK_BASE is not set",
			"CFG014": "the scope (line 22) could not be resolved statically",
			"ROL004": "AUTH_ROLES_MAPPING (line 12) could not be resolved statically (call to company_sso.load_mapping()",
		}, []string{"CFG011", "CFG008"}},
		{"skipped-providers-built.py", map[string]string{
			"CFG004": "OAUTH_PROVIDERS (line 9) could not be resolved statically",
			"CFG011": "no provider was checked",
		}, nil},
		{"skipped-remote-built.py", map[string]string{
			"CFG004": `provider "okta" (line 8): remote_app could not be resolved statically (call to company_sso.remote_for()`,
		}, nil},
	} {
		path := filepath.Join("..", "..", "..", "testdata", "lint", c.file)
		stdout, stderr, _ := clitest.RunCLI(t, "lint", "--no-env", "--flavor", "airflow3", "-o", "json", path)
		var doc struct{ Skipped []struct{ ID, Reason string } }
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatalf("%s: %v\n%s%s", c.file, err, stdout, stderr)
		}
		got := map[string]string{}
		for _, s := range doc.Skipped {
			got[s.ID] = s.Reason
		}
		text, _, _ := clitest.RunCLI(t, "lint", "--no-env", "--flavor", "airflow3", path)
		for id, frag := range c.skips {
			if !strings.Contains(got[id], frag) || !strings.Contains(got[id], path) {
				t.Errorf("%s: JSON skipped %s = %q, want it to name the file and contain %q", c.file, id, got[id], frag)
			}
			if !strings.Contains(text, "  "+id+"  ") || !strings.Contains(text, frag) {
				t.Errorf("%s: the text output lacks %s skipped with %q:\n%s", c.file, id, frag, text)
			}
		}
		for _, id := range c.absent {
			if _, ok := got[id]; ok {
				t.Errorf("%s: %s could run but is skipped: %s", c.file, id, got[id])
			}
		}
		if !strings.Contains(text, "checks skipped") {
			t.Errorf("%s: the summary does not count the skipped checks:\n%s", c.file, text)
		}
	}
}
