package lint_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Plain Flask apps (spec/user-code.md §7): the clients they register
// with Flask-OAuthlib or authlib are providers for the checks that apply,
// and a file with OAuth client code is never "OK" unanalysed.

func clientFile(t *testing.T, name string) string {
	return filepath.Join(repoRoot(t), "testdata", "lint", "clients", name)
}

func TestCheck_CFG025_Fires_FlaskOAuthlibApp(t *testing.T) {
	d := lint(t, "", "--no-env", clientFile(t, "flask_oauthlib_app.py"))
	f := fires(t, d, "CFG025", 16)
	if f.Severity != "warning" || !strings.Contains(f.Message, "never validates an id_token") {
		t.Errorf("CFG025 %s %q", f.Severity, f.Message)
	}
	// the Entra multi-tenant authority it signs in with; Flask-OAuthlib
	// parses no id_token, so no issuer comparison fails: a warning
	if f := fires(t, d, "ISS003", 25); f.Severity != "warning" {
		t.Errorf("ISS003 %s %q", f.Severity, f.Message)
	}
	// app.secret_key is Flask's SECRET_KEY
	if f := fires(t, d, "CFG006", 14); !strings.Contains(f.Message, "SECRET_KEY") {
		t.Errorf("CFG006 %q", f.Message)
	}
	// an f-string of an unset variable embeds None in CPython
	f = fires(t, d, "CFG002", 16)
	found := false
	for _, g := range d.Findings {
		if g.ID == "CFG002" && strings.Contains(g.Message, `"https://login.microsoftonline.com/None/oauth2/v2.0/token"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no CFG002 saying the token URL becomes .../None/...: %v", d.Findings)
	}
	files := d.Result.Files
	if len(files) != 1 || len(files[0].Providers) != 1 || files[0].Providers[0].Callback.URL != "https://<host>/login/authorized" {
		t.Errorf("the redirect URI the login passes (url_for of the authorized view): %+v", files)
	}
}

func TestCheck_CFG025_Clean_AuthlibApp(t *testing.T) {
	d := lint(t, "", "--no-env", clientFile(t, "authlib_clean.py"))
	clean(t, d, "CFG025")
	for _, f := range d.Findings {
		if f.Severity != "info" {
			t.Errorf("a sound authlib app: %s %s %q", f.ID, f.Severity, f.Message)
		}
	}
	if got := d.Result.Files[0].Providers[0].Callback.URL; got != "https://<host>/oidc/callback" {
		t.Errorf("callback %q", got)
	}
}

// authlib validates the id_token's iss against the metadata's issuer: the
// common document's template issuer fails every login, also for a client
// registered in an app factory.
func TestClients_AuthlibFactoryWithCommonMetadata(t *testing.T) {
	d := lint(t, "", "--no-env", clientFile(t, "authlib_common.py"))
	if f := fires(t, d, "ISS003", 20); f.Severity != "error" || !strings.Contains(f.Message, `invalid_claim: Invalid claim 'iss'`) {
		t.Errorf("ISS003 %s %q", f.Severity, f.Message)
	}
}

// A client registration that cannot be read is said, never passed over.
func TestClients_UnreadRegistrationIsSaid(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "app.py", "from flask_oauthlib.client import OAuth\nclients = {}\n\ndef make(app, name):\n    clients[name] = OAuth(app).remote_app(name, consumer_key='k')\n")
	d := lint(t, "", "--no-env", p)
	if f := fires(t, d, "CFG002", 1); !strings.Contains(f.Message, "its OAuth client was not checked") {
		t.Errorf("CFG002 %q", f.Message)
	}
}

func writeFile(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
