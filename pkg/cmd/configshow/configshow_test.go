package configshow_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cli"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
)

const corpus = "../../../testdata/configs"

// TestThroughCLI runs the real command line: text and JSON output and the
// exit codes of design.md.
func TestThroughCLI(t *testing.T) {
	runCLI := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		io := &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb, Getenv: func(string) string { return "" }}
		code := cli.Run(context.Background(), args, io, func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
		return code, out.String(), errb.String()
	}
	good := filepath.Join(corpus, "okta-fab-docs.py")
	code, out, _ := runCLI("config", "show", "--no-env", good)
	if code != 0 || !strings.Contains(out, "OK") || !strings.Contains(out, "AUTH_TYPE") || !strings.Contains(out, "\"client_secret\": \"<redacted>\"") {
		t.Errorf("clean file: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI("config", "show", "--no-env", "-o", "json", filepath.Join(corpus, "incident-azure-unclosed-bracket.py"))
	if code != 1 || !strings.Contains(out, `"command": "config show"`) && !strings.Contains(out, `"command":"config show"`) {
		t.Errorf("incident: exit %d\n%s", code, out)
	}
	code, _, errOut := runCLI("config", "show", filepath.Join(t.TempDir(), "missing.py"))
	if code != 3 || !strings.Contains(errOut, "missing.py") {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ = runCLI("config", "show", "--env", "NOEQUALS", good); code != 2 {
		t.Errorf("bad --env: exit %d", code)
	}
	if code, _, _ = runCLI("config", "show", "--flavor", "django", good); code != 2 {
		t.Errorf("bad --flavor: exit %d", code)
	}
	if code, _, _ = runCLI("config"); code != 2 {
		t.Errorf("config without a subcommand: exit %d", code)
	}
	if code, _, _ = runCLI("config", "show"); code != 2 {
		t.Errorf("config show without FILE: exit %d", code)
	}
	// --env-file and YAML
	envFile := filepath.Join(t.TempDir(), "x.env")
	os.WriteFile(envFile, []byte("KEYCLOAK_CLIENT_SECRET=kc\n"), 0o644)
	code, out, _ = runCLI("config", "show", "--no-env", "--env-file", envFile, "--show-secrets", "-o", "json", filepath.Join(corpus, "helm-airflow3-values.yaml"))
	if code != 0 || !strings.Contains(out, `"client_secret": "kc"`) || !strings.Contains(out, `"secretsShown": true`) || !strings.Contains(out, `"flavor": "airflow-3"`) {
		t.Errorf("helm + env-file: exit %d\n%s", code, out)
	}
}
