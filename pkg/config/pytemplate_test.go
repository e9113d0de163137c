package config

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/fab"
)

// A .py config that is itself a template (helmfile .gotmpl): the deployed
// file is the rendered one, so the actions are values not known here, not
// a syntax error; an action inside a Python string stays text.
func TestPythonTemplateActionsAreUnresolvedValues(t *testing.T) {
	dir := write(t, map[string]string{"webserver_config.py": `from flask_appbuilder.const import AUTH_OAUTH
AUTH_TYPE = AUTH_OAUTH
GREETING = "Hello {{ user }}"
OAUTH_PROVIDERS = [{
    "name": "keycloak", "token_key": "access_token",
    "remote_app": {
        "client_id":     {{ fetchSecretValue "ref+vault://secret/airflow#/client_id" | quote }},
        "client_secret": {{ fetchSecretValue "ref+vault://secret/airflow#/client_secret" | quote }},
        "server_metadata_url": "https://sso.example.org/realms/corp/.well-known/openid-configuration",
    },
}]
`})
	f, err := Load(filepath.Join(dir, "webserver_config.py"), LoadOptions{NoEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.SyntaxErrors) != 0 {
		t.Fatalf("syntax errors: %v", f.SyntaxErrors)
	}
	p := f.Config.Providers()
	if len(p) != 1 {
		t.Fatalf("providers: %d", len(p))
	}
	if v, _ := p[0].Remote.Get("client_id"); !fab.Unknown(v) {
		t.Errorf("client_id = %#v, want unresolved", v)
	}
	if u, _ := p[0].RemoteStr("server_metadata_url"); !strings.HasSuffix(u, "/.well-known/openid-configuration") {
		t.Errorf("server_metadata_url = %q", u)
	}
	if s, ok := f.Config.Get("GREETING"); !ok || s.Value != "Hello {{ user }}" {
		t.Errorf("GREETING = %#v", s.Value)
	}
	if !strings.Contains(strings.Join(f.Notes, "\n"), "Go template actions") {
		t.Errorf("notes: %q", f.Notes)
	}
}
