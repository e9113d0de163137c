package explain_test

import (
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

func TestExplainChecksAndAADSTS(t *testing.T) {
	for _, c := range catalog.Default().All() {
		for _, arg := range []string{c.ID, strings.ToLower(c.ID), c.Name} {
			stdout, _, code := clitest.RunCLI(t, "explain", arg)
			if code != 0 || stdout != catalog.Page(c) {
				t.Errorf("explain %s: exit %d, output is not the doc page", arg, code)
			}
		}
	}
	stdout, _, code := clitest.RunCLI(t, "explain", "AADSTS50011")
	if code != 0 || !strings.Contains(stdout, "InvalidReplyTo") || !strings.Contains(stdout, "redirect") {
		t.Errorf("AADSTS50011: %d %q", code, stdout)
	}
	stdout, _, code = clitest.RunCLI(t, "explain", "aadsts700016", "-o", "json")
	if code != 0 || !strings.Contains(stdout, `"id": "AADSTS700016"`) {
		t.Errorf("json: %d %q", code, stdout)
	}
	_, stderr, code := clitest.RunCLI(t, "explain", "AADSTS1")
	if code != 2 || !strings.Contains(stderr, "login.microsoftonline.com/error?code=1") {
		t.Errorf("unknown code: %d %q", code, stderr)
	}
}
