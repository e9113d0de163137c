package lint_test

import (
	"fmt"
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

// authlib's Flask integration fills a register call's missing client_id
// from app.config["NAME_CLIENT_ID"], and Flask-OAuthlib reads its
// credentials from app.config[app_key]: a client without the argument is
// an error only when nothing can supply it. FAB registers its providers
// through the same integration, so AZURE_CLIENT_ID in the config counts.
func TestClients_CredentialsFromTheAppConfig(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, src, severity string
	}{
		{"authlib, config loaded from an object", "from flask import Flask\nfrom authlib.integrations.flask_client import OAuth\napp = Flask(__name__)\napp.config.from_object('config')\noauth = OAuth(app)\noauth.register(name='google', server_metadata_url='https://accounts.google.com/.well-known/openid-configuration')\n", "info"},
		{"authlib, key set in the file", "from flask import Flask\nfrom authlib.integrations.flask_client import OAuth\napp = Flask(__name__)\napp.config['GOOGLE_CLIENT_ID'] = 'x'\noauth = OAuth(app)\noauth.register(name='google', server_metadata_url='https://accounts.google.com/.well-known/openid-configuration')\n", "info"},
		{"authlib, nothing supplies it", "from flask import Flask\nfrom authlib.integrations.flask_client import OAuth\napp = Flask(__name__)\noauth = OAuth(app)\noauth.register(name='google', server_metadata_url='https://accounts.google.com/.well-known/openid-configuration')\n", "error"},
		// authlib's Starlette integration: OAuth(config) and load_config
		// (authlib/integrations/starlette_client/integration.py) read
		// GOOGLE_CLIENT_ID from the config object.
		{"authlib Starlette, OAuth(config)", "from authlib.integrations.starlette_client import OAuth\nfrom starlette.config import Config\nconfig = Config('.env')\noauth = OAuth(config)\noauth.register(name='google', server_metadata_url='https://accounts.google.com/.well-known/openid-configuration')\n", "info"},
		{"authlib Starlette, OAuth() without a config", "from authlib.integrations.starlette_client import OAuth\noauth = OAuth()\noauth.register(name='google', server_metadata_url='https://accounts.google.com/.well-known/openid-configuration')\n", "error"},
		{"Flask-OAuthlib app_key", "from flask_oauthlib.client import OAuth\noauth = OAuth()\nc = oauth.remote_app('office365', app_key='OFFICE365', authorize_url='https://login.microsoftonline.com/x/oauth2/v2.0/authorize')\n", "info"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, dir, fmt.Sprintf("app%d.py", i), c.src)
			f := fires(t, lint(t, "", "--no-env", p), "CFG005", 0)
			if f.Severity != c.severity {
				t.Errorf("CFG005 %s %q, want %s", f.Severity, f.Message, c.severity)
			}
		})
	}
	fabCfg := "from flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\nAZURE_CLIENT_ID = 'x'\nOAUTH_PROVIDERS = [{'name': 'azure', 'token_key': 'access_token', 'remote_app': {'server_metadata_url': 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0/.well-known/openid-configuration', 'client_kwargs': {'scope': 'openid email profile'}}}]\n"
	for _, f := range lint(t, "airflow3", "--no-env", writeFile(t, dir, "webserver_config.py", fabCfg)).Findings {
		if f.ID == "CFG005" && strings.Contains(f.Message, "client_id") {
			t.Errorf("AZURE_CLIENT_ID supplies the client_id: %q", f.Message)
		}
	}
}

// In a plain app (no OAUTH_PROVIDERS) a variable named like a secret and
// bound to a string written in the file is a committed secret, whatever
// its case; read from the environment or a placeholder, it is not.
func TestCheck_CFG006_Fires_LowerCaseSecretInAnApp(t *testing.T) {
	dir := t.TempDir()
	src := "import os\nclient_secret = \"e864229acc081cd628af908b9fba28928659c4b7\"\nother_secret = os.environ.get(\"OTHER_SECRET\", \"\")\ndb_password = \"<your-password>\"\nclient_id = \"Iv1.0123456789abcdef\"\n"
	d := lint(t, "", "--no-env", writeFile(t, dir, "auth.py", src))
	if f := fires(t, d, "CFG006", 2); f.Severity != "warning" || strings.Contains(f.Message, "e864229a") {
		t.Errorf("CFG006 %s %q", f.Severity, f.Message)
	}
	for _, f := range d.Findings {
		if f.ID == "CFG006" && f.Subject.Line != 2 {
			t.Errorf("not a committed secret: line %d %q", f.Subject.Line, f.Message)
		}
	}
}

// A boolean setting taken from the environment without conversion is a
// string whenever the deployment sets it: info, since the value is the
// deployment's.
func TestCheck_CFG022_Fires_BareEnvironmentString(t *testing.T) {
	dir := t.TempDir()
	src := "import os\nAUTH_USER_REGISTRATION = os.getenv(\"AUTH_USER_REGISTRATION\")\nAUTH_ROLES_SYNC_AT_LOGIN = os.getenv(\"SYNC\", \"False\").lower() == \"true\"\n"
	d := lint(t, "airflow3", "--no-env", writeFile(t, dir, "webserver_config.py", src))
	if f := fires(t, d, "CFG022", 2); f.Severity != "info" || !strings.Contains(f.Message, "never converted") {
		t.Errorf("%s %q", f.Severity, f.Message)
	}
	for _, f := range d.Findings {
		if f.ID == "CFG022" && f.Subject.Line == 3 {
			t.Errorf("a converted value: %q", f.Message)
		}
	}
}

// A chart authdoctor does not know (someone's own superset chart with
// superset.extraSupersetConfig): a string that holds a FAB config is read,
// and said to be; a snippet appended to a chart's base config may use what
// the base defines (os, env(), and for other names it is not known).
func TestValuesOfAnUnknownChartAreRead(t *testing.T) {
	dir := t.TempDir()
	vals := "superset:\n  extraSupersetConfig: |\n    from flask_appbuilder.security.manager import AUTH_OAUTH\n    AUTH_TYPE = AUTH_OAUTH\n    log = logging.getLogger()\n    OAUTH_PROVIDERS = [{\"name\": \"keycloak\", \"token_key\": \"access_token\", \"remote_app\": {\"client_id\": os.environ.get(\"KC_ID\"), \"server_metadata_url\": \"https://kc.example.com/realms/x/.well-known/openid-configuration\", \"api_base_url\": \"https://kc.example.com/realms/x/protocol/\", \"client_kwargs\": {\"scope\": \"openid email profile\"}}}]\nwebserver:\n  replicas: 2\n"
	d := lint(t, "", "--no-env", writeFile(t, dir, "values.yaml", vals))
	if len(d.Result.Files) != 1 || d.Result.Files[0].Flavor != "superset" {
		t.Fatalf("the extraSupersetConfig value was not read as a Superset config: %+v", d.Result.Files)
	}
	for _, f := range d.Findings {
		if f.ID == "CFG021" && f.Severity != "info" {
			t.Errorf("a name the chart's base may define is not a start-up error: %q", f.Message)
		}
		if f.ID == "CFG002" && strings.Contains(f.Message, "name 'os' is not defined") {
			t.Errorf("the chart's base imports os: %q", f.Message)
		}
	}
	fires(t, d, "CFG021", 5)
}

// An absolute redirect_uri written in the app is the callback as it is
// (no "https://<host>" in front of it).
func TestClients_AbsoluteRedirectURIIsTheCallback(t *testing.T) {
	src := "from flask import Flask\nfrom authlib.integrations.flask_client import OAuth\napp = Flask(__name__)\noauth = OAuth(app)\noauth.register('auth0', client_id='c', server_metadata_url='https://corp.eu.auth0.com/.well-known/openid-configuration', client_kwargs={'scope': 'openid profile email'})\n\n@app.route('/login')\ndef login():\n    return oauth.auth0.authorize_redirect(redirect_uri='http://localhost:5000/callback')\n"
	d := lint(t, "", "--no-env", writeFile(t, t.TempDir(), "app.py", src))
	if got := d.Result.Files[0].Providers[0].Callback.URL; got != "http://localhost:5000/callback" {
		t.Errorf("callback %q", got)
	}
}

// authlib.flask.client is authlib's module of before 0.14, removed in 1.0:
// the app's client is still read and checked, and the import is said
// (CFG021 at info: the authlib installed is not visible) with the
// releases where it fails. request_token_params
// is authlib's own OAuth 1 parameter: not a Flask-OAuthlib leftover there.
func TestClients_LegacyAuthlibModule(t *testing.T) {
	src := "from flask import Flask\nfrom authlib.flask.client import OAuth\napp = Flask(__name__)\noauth = OAuth(app)\noauth.register('twitter', client_id='k', client_secret='Twitter Consumer Secret', request_token_url='https://api.twitter.com/oauth/request_token', request_token_params=None, access_token_url='https://api.twitter.com/oauth/access_token', authorize_url='https://api.twitter.com/oauth/authenticate', api_base_url='https://api.twitter.com/1.1/')\n"
	d := lint(t, "", "--no-env", writeFile(t, t.TempDir(), "app.py", src))
	f := fires(t, d, "CFG021", 2)
	if f.Severity != "info" || !strings.Contains(f.Message, "0.15 removed") {
		t.Errorf("CFG021 %s %q", f.Severity, f.Message)
	}
	for _, f := range d.Findings {
		if f.ID == "CFG023" || f.ID == "CFG006" && f.Severity != "info" {
			t.Errorf("%s %s %q", f.ID, f.Severity, f.Message)
		}
	}
}

// An extension set up in init_oauth(app), the usual Flask pattern: the
// function is read with the file's Flask app as its app, so its client
// is found and checked (its app.config credentials are not known here).
func TestClients_RegisteredInAnInitFunctionTakingTheApp(t *testing.T) {
	src := "from authlib.integrations.flask_client import OAuth\noauth = OAuth()\n\ndef init_oauth(app):\n    oauth.init_app(app)\n    oauth.register(name='google', client_id=app.config['GOOGLE_CLIENT_ID'], client_secret=app.config['GOOGLE_CLIENT_SECRET'], server_metadata_url='https://accounts.google.com/.well-known/openid-configuration', client_kwargs={'scope': 'openid email profile'})\n"
	d := lint(t, "", "--no-env", writeFile(t, t.TempDir(), "extensions.py", src))
	if len(d.Result.Files[0].Providers) != 1 || d.Result.Files[0].Providers[0].Name != "google" {
		t.Fatalf("providers %+v", d.Result.Files[0].Providers)
	}
	for _, f := range d.Findings {
		if f.ID == "CFG002" && strings.Contains(f.Message, "no client registration") {
			t.Errorf("%q", f.Message)
		}
	}
}
