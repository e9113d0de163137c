package urlcmd_test

import (
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

func TestURLCommand(t *testing.T) {
	cb := "https://airflow.example.com/oauth-authorized/azure?code=0.AXsupersecretcode&state=abc"
	stdout, stderr, code := clitest.RunCLI(t, "url", cb)
	if code != 0 || strings.Contains(stdout+stderr, "supersecretcode") || !strings.Contains(stdout, "callback") {
		t.Errorf("callback: exit %d\n%s%s", code, stdout, stderr)
	}
	r := clitest.Run(t, clitest.Options{Stdin: cb + "\n"}, "url", "-", "-o", "json")
	if r.Code != 0 || strings.Contains(r.Stdout, "supersecretcode") || !strings.Contains(r.Stdout, `"kind": "callback"`) {
		t.Errorf("stdin: %d %s", r.Code, r.Stdout)
	}
	if _, stderr, code := clitest.RunCLI(t, "url", "not a url"); code != 2 || !strings.Contains(stderr, "not an absolute URL") {
		t.Errorf("bad URL: %d %q", code, stderr)
	}
	stdout, _, code = clitest.RunCLI(t, "url", "https://app/cb?error=access_denied&error_description=AADSTS50105%3A+not+assigned")
	if code != 1 || !strings.Contains(stdout, "AADSTS50105") || !strings.Contains(stdout, "assign") {
		t.Errorf("error callback: %d\n%s", code, stdout)
	}
}
