package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

// A file the user names that is not there is an input mistake: exit 3 with
// the path, nothing on stdout, in every command and for every flag that
// takes a file (issue 18: --ca-file exited 2 in verify and issuer, 3
// elsewhere; a missing --from-file failed the fetch as if the IdP were
// down).
func TestMissingFilesExit3InEveryCommand(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.file")
	empty := filepath.Join(dir, "empty.py")
	keys := filepath.Join(dir, "keys.json")
	for p, b := range map[string]string{empty: "", keys: `{"keys":[]}`} {
		if err := os.WriteFile(p, []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const tok = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLmNvbSIsImV4cCI6OTk5OTk5OTk5OX0.c2ln"
	cases := [][]string{
		{"token", "@" + missing},
		{"token", "--batch", "@" + missing},
		{"verify", "@" + missing},
		{"verify", tok, "--jwks", "@" + missing},
		{"verify", tok, "--discovery", "@" + missing},
		{"verify", tok, "--secret-file", missing, "--alg", "HS256"},
		{"verify", tok, "--ca-file", missing},
		{"verify", tok, "--jwks", "@" + keys, "--offline", "--from-file", "https://idp.example.com/keys=" + missing},
		{"verify", tok, "--jwks", "@" + keys, "--from-file", "@" + missing},
		{"verify", "--batch", "@" + missing, "--jwks", "@" + keys},
		{"discovery", "@" + missing},
		{"discovery", "https://idp.example.com", "--jwks", "@" + missing},
		{"discovery", "https://idp.example.com", "--ca-file", missing},
		{"discovery", "https://idp.example.com", "--offline", "--from-file", "https://idp.example.com/.well-known/openid-configuration=" + missing},
		{"jwks", "@" + missing},
		{"jwks", "https://idp.example.com/keys", "--ca-file", missing},
		{"jwks", "https://idp.example.com/keys", "--from-file", "@" + missing},
		{"issuer", "@" + missing},
		{"issuer", "--discovery", "@" + missing},
		{"issuer", "--config", missing},
		{"issuer", tok, "--ca-file", missing},
		{"url", "--config", missing, "https://app.example.com/cb?code=x"},
		{"lint", missing},
		{"lint", "--online", "--ca-file", missing, empty},
		{"config", "show", missing},
		{"roles", "--config", missing, tok},
		{"roles", "--config", empty, "--claims", "@" + missing},
		{"doctor", "--config", missing},
		{"doctor", "--config", empty, "--token", "@" + missing},
		{"doctor", "--config", empty, "--ca-file", missing},
		{"doctor", "--config", empty, "--env-file", missing},
		{"doctor", "--config", empty, "--offline", "--from-file", "@" + missing},
	}
	for _, args := range cases {
		stdout, stderr, code := clitest.RunCLI(t, args...)
		if code != 3 || !strings.Contains(stderr, missing) || stdout != "" {
			t.Errorf("%s: exit %d, stderr %q, stdout %d bytes; want exit 3 naming %s", strings.Join(args, " "), code, stderr, len(stdout), missing)
		}
	}
}

// A file name given where a token or a URL belongs, and a URL still
// holding a documentation placeholder, are usage errors (exit 2) that say
// what was meant.
func TestInputMistakesAreNamed(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "id_token.txt")
	if err := os.WriteFile(f, []byte("x.y.z"), 0o644); err != nil {
		t.Fatal(err)
	}
	const tok = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLmNvbSIsImV4cCI6OTk5OTk5OTk5OX0.c2ln"
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"token", f}, "did you mean @" + f},
		{[]string{"verify", f, "--jwks", "@" + f}, "did you mean @" + f},
		{[]string{"issuer", f}, "did you mean @" + f},
		{[]string{"doctor", "--config", f, "--token", f}, "did you mean @" + f},
		{[]string{"verify", tok, "--jwks", f}, "did you mean @" + f},
		{[]string{"discovery", f}, "did you mean @" + f},
		{[]string{"jwks", f}, "did you mean @" + f},
		{[]string{"discovery", "https://login.microsoftonline.com/<tenant-id>/v2.0"}, `placeholder "<tenant-id>"`},
		{[]string{"verify", tok, "--issuer", "https://login.microsoftonline.com/your-tenant-id/v2.0"}, `placeholder "your-tenant-id"`},
		{[]string{"verify", tok, "--discovery", "https://sso.example.com/realms/{realm}"}, `placeholder "{realm}"`},
		{[]string{"jwks", "https://login.microsoftonline.com/TENANT_ID/discovery/v2.0/keys"}, `placeholder "TENANT_ID"`},
		{[]string{"issuer", "--discovery", "https://YOUR_DOMAIN.okta.com/oauth2/default"}, `placeholder "YOUR_DOMAIN"`},
	}
	for _, c := range cases {
		_, stderr, code := clitest.RunCLI(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 with %q", strings.Join(c.args, " "), code, stderr, c.want)
		}
	}
}
