package urlcmd_test

import (
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit"
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

func TestURLAgainstConfig(t *testing.T) {
	cfg := testkit.RepoRoot(t) + "/testdata/examples/incident/webserver_config.py"
	base := "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/oauth2/v2.0/authorize?response_type=code&scope=openid&state=x&nonce=n&code_challenge=c&redirect_uri=https%3A%2F%2Fairflow.example.com%2Foauth-authorized%2Fazure&client_id="
	stdout, _, _ := clitest.RunCLI(t, "url", "--config", cfg, "--no-env", "-o", "json", base+"11111111-2222-3333-4444-555555555555")
	if !strings.Contains(stdout, `"URL005"`) {
		t.Errorf("another client_id than the config's: want URL005\n%s", stdout)
	}
	stdout, _, _ = clitest.RunCLI(t, "url", "--config", cfg, "--no-env", "-o", "json", base+"8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58")
	if strings.Contains(stdout, `"id": "URL005"`) {
		t.Errorf("the config's own client_id: no URL005\n%s", stdout)
	}
	if _, _, code := clitest.RunCLI(t, "url", "--config", "/nonexistent.py", base); code != 3 {
		t.Errorf("unreadable config: exit %d", code)
	}
}
