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

// Every version-specific import narrows the plausible code lines, not only
// the first: the vendored fab_security (2.2–2.8) and the FAB auth manager's
// 2.8 path together mean Airflow 2.8, simulated as the vendored copy with
// a caveat on the profile (2.8's own copy is not modelled).
func TestImportsNarrowTogether(t *testing.T) {
	dir := write(t, map[string]string{"webserver_config.py": "from airflow.www.fab_security.manager import AUTH_OAUTH\nfrom airflow.auth.managers.fab.security_manager.override import FabAirflowSecurityManagerOverride\nAUTH_TYPE = AUTH_OAUTH\n"})
	f, err := Load(filepath.Join(dir, "webserver_config.py"), LoadOptions{NoEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Plausible) != 1 || f.Profile.Flavor != fab.Airflow22 || !strings.Contains(f.Profile.Caveat, "Airflow 2.8") || !strings.Contains(f.Profile.Reason, "line 2 imports airflow.auth.managers.fab") {
		t.Errorf("plausible %d, profile %s, caveat %q, reason %q", len(f.Plausible), f.Profile.Flavor, f.Profile.Caveat, f.Profile.Reason)
	}
	dir = write(t, map[string]string{"webserver_config.py": "from airflow.auth.managers.fab.security_manager.override import FabAirflowSecurityManagerOverride\nfrom airflow.www.security import AirflowSecurityManager\n"})
	if f, err = Load(filepath.Join(dir, "webserver_config.py"), LoadOptions{NoEnv: true}); err != nil {
		t.Fatal(err)
	}
	if len(f.Plausible) != 2 {
		t.Errorf("airflow.www and the 2.8 path leave 2.2–2.8 and 2.9–2.10: %d plausible (%s)", len(f.Plausible), f.Profile.Reason)
	}
}

// A file whose OAuth set-up sits in a block chosen by the environment
// (unset here) says so, naming the variables, instead of reading as a
// config without OAuth; once the block runs, nothing is said.
func TestProvidersOnlyInABlockNotRun(t *testing.T) {
	src := "import os\nfrom flask_appbuilder.const import AUTH_DB, AUTH_OAUTH\nMODE = os.getenv('AIRFLOW_AUTH_TYPE', 'AUTH_DB')\nif MODE == 'AUTH_OAUTH':\n    AUTH_TYPE = AUTH_OAUTH\n    OAUTH_PROVIDERS = [{'name': 'keycloak'}]\nelse:\n    AUTH_TYPE = AUTH_DB\n"
	dir := write(t, map[string]string{"webserver_config.py": src})
	f, err := Load(filepath.Join(dir, "webserver_config.py"), LoadOptions{NoEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	var got *fab.UnresolvedSetting
	for i := range f.Unresolved {
		if f.Unresolved[i].Name == "OAUTH_PROVIDERS" {
			got = &f.Unresolved[i]
		}
	}
	if got == nil || got.Line != 6 || strings.Join(got.Env, ",") != "AIRFLOW_AUTH_TYPE" || !strings.Contains(got.Reason, "did not run") {
		t.Errorf("unresolved %+v", f.Unresolved)
	}
	f, err = Load(filepath.Join(dir, "webserver_config.py"), LoadOptions{NoEnv: true, Env: []string{"AIRFLOW_AUTH_TYPE=AUTH_OAUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range f.Unresolved {
		if u.Name == "OAUTH_PROVIDERS" {
			t.Errorf("the block ran: %+v", u)
		}
	}
}
