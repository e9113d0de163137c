package config

import (
	"encoding/json"
	"errors"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/pyread"
	"github.com/spf13/pflag"
)

func corpus(name string) string { return filepath.Join(corpusDir, name) }

// lineOfText is the 1-based line of the first line of file containing s.
func lineOfText(t *testing.T, file, s string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("%q not in %s", s, file)
	return 0
}

func load(t *testing.T, name string, env ...string) *File {
	t.Helper()
	f, err := Load(corpus(name), LoadOptions{NoEnv: true, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func settingJSON(t *testing.T, f *File, name string) string {
	t.Helper()
	b, ok := f.Module.Lookup(name)
	if !ok {
		t.Fatalf("no setting %s", name)
	}
	out, _ := json.Marshal(pyread.ToJSON(b.Value))
	return string(out)
}

// pyValue is the reader's value of a module-level name.
func pyValue(f *File, name string) pyread.Value {
	if b, ok := f.Module.Lookup(name); ok {
		return b.Value
	}
	return nil
}

func TestHelmAirflow2Values(t *testing.T) {
	path := corpus("helm-airflow2-values.yaml")
	f := load(t, "helm-airflow2-values.yaml", "AZURE_CLIENT_ID=cid", "AZURE_CLIENT_SECRET=sec")
	if f.Kind != KindHelm || f.Origin != "Helm value webserver.webserverConfig" {
		t.Errorf("kind/origin = %s / %s", f.Kind, f.Origin)
	}
	if f.Profile.Flavor != fab.Airflow29 || !strings.Contains(f.Profile.Reason, "2.9.3") {
		t.Errorf("flavour %s (%s)", f.Profile.Flavor, f.Profile.Reason)
	}
	// lines are lines of the YAML file
	for name, text := range map[string]string{
		"AUTH_TYPE":          "AUTH_TYPE = AUTH_OAUTH",
		"OAUTH_PROVIDERS":    "OAUTH_PROVIDERS = [",
		"AUTH_ROLES_MAPPING": "AUTH_ROLES_MAPPING = {",
	} {
		s, _ := f.Setting(name)
		if want := lineOfText(t, path, text); s.Line != want {
			t.Errorf("%s line %d, want %d", name, s.Line, want)
		}
	}
	// {{ .Values.azureTenantId }} is rendered from the same file
	got := settingJSON(t, f, "OAUTH_PROVIDERS")
	if !strings.Contains(got, `"api_base_url":"https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/oauth2"`) ||
		!strings.Contains(got, `"client_id":"cid"`) {
		t.Errorf("OAUTH_PROVIDERS = %s", got)
	}
	// entry lines inside the provider dict point into the YAML too
	p := f.Module.Value("OAUTH_PROVIDERS").(*pyread.List).Elems[0].(*pyread.Dict)
	ra, _ := p.Lookup("remote_app")
	if l, want := ra.(*pyread.Dict).LookupLine("authorize_url"), lineOfText(t, path, `"authorize_url":`); l != want {
		t.Errorf("authorize_url line %d, want %d", l, want)
	}
	if len(f.Notes) == 0 || !strings.Contains(strings.Join(f.Notes, "\n"), "rendered from the values in this file") {
		t.Errorf("notes = %q", f.Notes)
	}
}

func TestHelmAirflow3Values(t *testing.T) {
	f := load(t, "helm-airflow3-values.yaml")
	if f.Profile.Flavor != fab.Airflow3 || f.Origin != "Helm value apiServer.apiServerConfig" {
		t.Errorf("flavour %s origin %s", f.Profile.Flavor, f.Origin)
	}
	un := f.Unresolved
	if len(un) != 1 || un[0].Name != "OAUTH_PROVIDERS" || !reflect.DeepEqual(un[0].Env, []string{"KEYCLOAK_CLIENT_SECRET"}) ||
		un[0].Line != lineOfText(t, corpus("helm-airflow3-values.yaml"), "KEYCLOAK_CLIENT_SECRET") {
		t.Errorf("unresolved = %+v", un)
	}
}

func TestHelmTemplateEscapes(t *testing.T) {
	f := load(t, "helm-escaped-templates.yaml")
	for name, want := range map[string]string{
		"LITERAL_BRACES":      `"{not a field}"`,
		"FORMAT_TEMPLATE":     `"https://login.microsoftonline.com/{contoso}/v2.0"`,
		"RENDERED_AT_INSTALL": `"{{ .Release.Name }}-webserver"`,
	} {
		if got := settingJSON(t, f, name); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	if len(f.SyntaxErrors) != 0 {
		t.Errorf("syntax errors: %v", f.SyntaxErrors)
	}
	notes := strings.Join(f.Notes, "\n")
	if !strings.Contains(notes, "{{ .Release.Name }} is rendered at install time") {
		t.Errorf("notes = %s", notes)
	}
}

func TestUndoTemplates(t *testing.T) {
	for in, want := range map[string]string{
		`x = "{{ "{{" }}a{{ "}}" }}"`:    `x = "{{a}}"`,
		"x = {{`{{`}}b{{- `}}` -}}":      "x = {{b}}",
		`plain`:                          `plain`,
		`{{ .Values.missing }} stays`:    `{{ .Values.missing }} stays`,
		`{{ "\"quoted\"" }}`:             `"quoted"`,
		`unclosed {{ "x"`:                `unclosed {{ "x"`,
		`{{ include "x" . | indent 4 }}`: `{{ include "x" . | indent 4 }}`,
	} {
		if got, _, _ := undoTemplates(in, nil); got != want {
			t.Errorf("undoTemplates(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConfigMapAndMultiDocument(t *testing.T) {
	f := load(t, "configmap-webserver.yaml")
	if f.Kind != KindConfigMap || !strings.Contains(f.Origin, "ConfigMap airflow/airflow-webserver-config") {
		t.Errorf("kind %s origin %s", f.Kind, f.Origin)
	}
	if f.Profile.Flavor != fab.Airflow22 || !strings.Contains(f.Profile.Reason, "airflow.www.fab_security.manager") {
		t.Errorf("flavour %s (%s)", f.Profile.Flavor, f.Profile.Reason)
	}

	path := corpus("multidoc-manifests.yaml")
	m := load(t, "multidoc-manifests.yaml")
	if !strings.Contains(m.Origin, "document 2") {
		t.Errorf("origin = %s", m.Origin)
	}
	se := m.SyntaxErrors
	if len(se) != 1 || se[0].Msg != "'[' was never closed" {
		t.Fatalf("syntax errors = %+v", se)
	}
	// the '[' of `OAUTH_PROVIDERS = [{` in the YAML file
	wantLine := lineOfText(t, path, "OAUTH_PROVIDERS = [{")
	raw, _ := os.ReadFile(path)
	wantCol := strings.Index(strings.Split(string(raw), "\n")[wantLine-1], "[{") + 1
	if se[0].Line != wantLine || se[0].Col != wantCol {
		t.Errorf("syntax error at %d:%d, want %d:%d", se[0].Line, se[0].Col, wantLine, wantCol)
	}
	// what follows the broken statement is still read
	if _, ok := m.Setting("AUTH_ROLES_MAPPING"); !ok {
		t.Errorf("AUTH_ROLES_MAPPING not read")
	}
	if got := settingJSON(t, m, "OAUTH_PROVIDERS"); !strings.Contains(got, `"jwks_uri":"https://login.microsoftonline.com/common/discovery/v2.0/keys"`) {
		t.Errorf("OAUTH_PROVIDERS = %s", got)
	}
}

func TestYAMLWithoutConfig(t *testing.T) {
	_, err := Parse("values.yaml", []byte("webserver:\n  replicas: 2\n"), LoadOptions{NoEnv: true})
	if err == nil || !strings.Contains(err.Error(), "no Python config found") {
		t.Errorf("err = %v", err)
	}
	_, err = Parse("values.yaml", []byte("webserver:\n  webserverConfigConfigMapName: my-cm\n"), LoadOptions{NoEnv: true})
	if err == nil || !strings.Contains(err.Error(), `existing ConfigMap "my-cm"`) {
		t.Errorf("err = %v", err)
	}
	_, err = Parse("bad.yaml", []byte("a: [\n"), LoadOptions{NoEnv: true})
	if err == nil || !strings.Contains(err.Error(), "not valid YAML") {
		t.Errorf("err = %v", err)
	}
}

func TestSupersetConfigOverrides(t *testing.T) {
	src := `configOverrides:
  secret: |
    SECRET_KEY = "from-override"
  auth: |
    from flask_appbuilder.security.manager import AUTH_OAUTH
    AUTH_TYPE = AUTH_OAUTH
`
	f, err := Parse("superset-values.yaml", []byte(src), LoadOptions{NoEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	if f.Profile.Flavor != fab.Superset {
		t.Errorf("flavour %s", f.Profile.Flavor)
	}
	// snippets are concatenated in key order: auth (lines 5-6), then secret (line 3)
	for name, want := range map[string]int{"AUTH_TYPE": 6, "SECRET_KEY": 3} {
		if s, ok := f.Setting(name); !ok || s.Line != want {
			t.Errorf("%s = %+v, want line %d", name, s, want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.py"), LoadOptions{NoEnv: true})
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v (%T)", err, err)
	}
	_, err = Load(t.TempDir(), LoadOptions{NoEnv: true})
	if !errors.As(err, &pe) {
		t.Errorf("directory: %v", err)
	}
	var ue *cmdutil.UsageError
	_, err = Parse("x.py", []byte("A = 1"), LoadOptions{NoEnv: true, Env: []string{"NOEQUALS"}})
	if !errors.As(err, &ue) {
		t.Errorf("bad --env: %v", err)
	}
	_, err = Parse("x.py", []byte("A = 1"), LoadOptions{NoEnv: true, Flavor: "django"})
	if !errors.As(err, &ue) {
		t.Errorf("bad --flavor: %v", err)
	}
	_, err = Parse("x.py", []byte("A = 1"), LoadOptions{NoEnv: true, EnvFiles: []string{"/nonexistent/.env"}})
	if !errors.As(err, &pe) {
		t.Errorf("missing --env-file: %v", err)
	}
}

func TestEnvironmentSources(t *testing.T) {
	dir := t.TempDir()
	envFile := filepath.Join(dir, "prod.env")
	os.WriteFile(envFile, []byte("# deployment\nexport A=from-file\nB='single # not a comment'\nC=\"line1\\nline2\"\nD=plain # comment\nE=${A}-x\n"), 0o644)
	o := LoadOptions{
		Environ:  func() []string { return []string{"A=from-process", "P=process-only", "B=process"} },
		EnvFiles: []string{envFile},
		Env:      []string{"B=from-flag", "EMPTY="},
	}
	env, sources, err := o.Environment()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A": "from-file", "P": "process-only", "B": "from-flag", "C": "line1\nline2",
		"D": "plain", "E": "from-file-x", "EMPTY": ""}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("env = %q\nwant  %q", env, want)
	}
	if len(sources) != 3 || !strings.Contains(sources[1], "5 from --env-file") {
		t.Errorf("sources = %q", sources)
	}
	o.NoEnv = true
	env, _, _ = o.Environment()
	if _, ok := env["P"]; ok {
		t.Errorf("--no-env still used the process environment")
	}
}

func TestParseDotenv(t *testing.T) {
	got, err := ParseDotenv("x.env", "K1 = v1\nexport K2=\"multi\nline\"\nK3='a'  # trailing comment\nK4=${UNSET:-dflt}\nK5=${BASE}\n\n", map[string]string{"BASE": "b"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"K1": "v1", "K2": "multi\nline", "K3": "a", "K4": "dflt", "K5": "b"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q", got)
	}
	for _, bad := range []string{"no equals here", "1BAD=x", "K='unterminated", "K=\"x\" junk"} {
		if _, err := ParseDotenv("bad.env", bad, nil); err == nil || !strings.Contains(err.Error(), "bad.env:1") {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}

// Detection keeps every code line the evidence leaves plausible (spec §0:
// airflow.www.fab_security is the vendored manager of 2.2–2.8; other
// airflow.www modules exist in all of Airflow 2; airflow.providers.fab in
// 2.9 and later; a bare airflow import or the file name say only
// "Airflow") and simulates the newest.
func TestFlavorDetection(t *testing.T) {
	cases := []struct {
		file      string
		plausible []fab.Flavor
		reason    string
	}{
		{"airflow2-default-template.py", []fab.Flavor{fab.Airflow22}, "vendored in 2.2–2.8"},
		{"airflow3-default-template.py", []fab.Flavor{fab.Airflow20, fab.Airflow22, fab.Airflow29, fab.Airflow3}, "file name airflow3-default-template.py mentions Airflow"},
		{"airflow3-fab-provider-override.py", []fab.Flavor{fab.Airflow29, fab.Airflow3}, "airflow.providers.fab"},
		{"superset-basic-oauth.py", []fab.Flavor{fab.Superset}, "FEATURE_FLAGS"},
		{"superset-custom-sso-manager.py", []fab.Flavor{fab.Superset}, "imports superset.security"},
		{"keycloak-airflow-docs.py", []fab.Flavor{fab.Airflow20, fab.Airflow22, fab.Airflow29}, "airflow.www.security"},
		{"airflow-conf-get.py", []fab.Flavor{fab.Airflow20, fab.Airflow22, fab.Airflow29, fab.Airflow3}, "nothing tells the Airflow version"},
		{"okta-fab-docs.py", []fab.Flavor{fab.FAB}, "plain Flask-AppBuilder"},
	}
	for _, c := range cases {
		f := load(t, c.file)
		var got []fab.Flavor
		for _, p := range f.Plausible {
			got = append(got, p.Flavor)
		}
		if !reflect.DeepEqual(got, c.plausible) || f.Profile.Flavor != c.plausible[len(c.plausible)-1] || !strings.Contains(f.Profile.Reason, c.reason) {
			t.Errorf("%s: %v, simulating %s (%s); want %v (…%s…)", c.file, got, f.Profile.Flavor, f.Profile.Reason, c.plausible, c.reason)
		}
	}
	f, err := Load(corpus("airflow2-default-template.py"), LoadOptions{NoEnv: true, Flavor: "airflow-3.0"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Profile.Flavor != fab.Airflow3 || f.Profile.Reason != "set by --flavor airflow-3.0" || len(f.Plausible) != 1 || !reflect.DeepEqual(f.Detected, []fab.Flavor{fab.Airflow22}) {
		t.Errorf("--flavor: %s (%s), detected %v", f.Profile.Flavor, f.Profile.Reason, f.Detected)
	}
	// a file named webserver_config.py says Airflow, not which
	f, _ = Parse("/x/webserver_config.py", []byte("A = 1\n"), LoadOptions{NoEnv: true})
	if f.Profile.Flavor != fab.Airflow3 || len(f.Plausible) != 4 || !strings.Contains(f.Profile.Reason, "webserver_config.py") {
		t.Errorf("file name: %s (%s)", f.Profile.Flavor, f.Profile.Reason)
	}
	// AUTH_OID does not import on Airflow 3
	f, _ = Parse("/x/webserver_config.py", []byte("from flask_appbuilder.security.manager import AUTH_OID\nAUTH_TYPE = AUTH_OID\n"), LoadOptions{NoEnv: true})
	if f.Profile.Flavor != fab.Airflow29 || len(f.Plausible) != 3 {
		t.Errorf("AUTH_OID: %s %v (%s)", f.Profile.Flavor, f.Plausible, f.Profile.Reason)
	}
}

// The chart's version comes from airflowVersion, else defaultAirflowTag,
// else the image tag.
func TestHelmVersionSources(t *testing.T) {
	for yamlText, want := range map[string]fab.Flavor{
		"airflowVersion: 2.9.3\nwebserver:\n  webserverConfig: |\n    A = 1\n":                           fab.Airflow29,
		"defaultAirflowTag: \"2.7.1\"\nwebserver:\n  webserverConfig: |\n    A = 1\n":                    fab.Airflow22,
		"images:\n  airflow:\n    tag: 2.10.4-python3.11\nwebserver:\n  webserverConfig: |\n    A = 1\n": fab.Airflow29,
		"webserver:\n  webserverConfig: |\n    A = 1\n":                                                  fab.Airflow29,
	} {
		f, err := Parse("values.yaml", []byte(yamlText), LoadOptions{NoEnv: true})
		if err != nil {
			t.Fatal(err)
		}
		if f.Profile.Flavor != want {
			t.Errorf("%q: %s (%s)", yamlText, f.Profile.Flavor, f.Profile.Reason)
		}
	}
}

func TestAirflowConfHook(t *testing.T) {
	env := map[string]string{"AIRFLOW__WEBSERVER__BASE_URL": "https://a", "AIRFLOW__FAB__AUTH_RATE_LIMITED": "False",
		"AIRFLOW__X__N": "42", "AIRFLOW__X__BAD": "maybe", "AIRFLOW__X__CMDKEY_CMD": "cat /secret"}
	call := func(fn string, args []any, kw map[string]any) any {
		v, ok := AirflowConfHook(pyread.CallInfo{Func: fn, Args: args, Kwargs: kw, Env: env, Line: 7})
		if !ok {
			return "<not handled>"
		}
		return v
	}
	if v := call("airflow.configuration.conf.get", []any{"webserver", "base_url"}, nil); v != "https://a" {
		t.Errorf("get = %v", v)
	}
	if v := call("airflow.configuration.conf.getboolean", []any{"fab", "auth_rate_limited"}, map[string]any{"fallback": true}); v != false {
		t.Errorf("getboolean = %v", v)
	}
	if v := call("airflow.configuration.conf.getboolean", []any{"fab", "unset"}, map[string]any{"fallback": true}); v != true {
		t.Errorf("getboolean fallback = %v", v)
	}
	if v := call("airflow.configuration.conf.getint", []any{"x", "n"}, nil); v != int64(42) {
		t.Errorf("getint = %#v", v)
	}
	if v := call("airflow.configuration.conf.get", []any{"webserver", "secret_key"}, nil); v == nil {
		t.Errorf("unset without fallback should be unresolved")
	} else if u, ok := v.(*pyread.Unresolved); !ok || !reflect.DeepEqual(u.Env, []string{"AIRFLOW__WEBSERVER__SECRET_KEY"}) || u.Line != 7 {
		t.Errorf("unset = %#v", v)
	}
	if u, ok := call("airflow.configuration.conf.getboolean", []any{"x", "bad"}, nil).(*pyread.Unresolved); !ok || !strings.Contains(u.Reason, "not a boolean") {
		t.Errorf("bad boolean = %v", u)
	}
	if u, ok := call("airflow.configuration.conf.get", []any{"x", "cmdkey"}, nil).(*pyread.Unresolved); !ok || !strings.Contains(u.Reason, "_CMD") {
		t.Errorf("_CMD = %v", u)
	}
	if v := call("airflow.models.Variable.get", []any{"x"}, nil); v != "<not handled>" {
		t.Errorf("other calls must not be handled: %v", v)
	}
}

func TestRedactJSON(t *testing.T) {
	f, err := Parse("superset_config.py", []byte(`
SECRET_KEY = "s3cr3t"
SQLALCHEMY_DATABASE_URI = "postgresql://superset:hunter2@db:5432/superset"
MAPBOX_API_KEY = ""
AUTH_OAUTH_ROLE_KEYS = ["groups"]
RECAPTCHA_PUBLIC_KEY = "public"
WTF_CSRF_TIME_LIMIT = 3600
LDAP_BIND_PASSWORD = "pw"
OAUTH_PROVIDERS = [{"name": "azure", "token_key": "access_token", "remote_app": {
    "client_id": "cid", "client_secret": "cs", "request_token_url": None,
    "access_token_url": "https://login/token", "api_key": "k", "client_kwargs": {"scope": "openid"}}}]
`), LoadOptions{NoEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	red := func(name string) string {
		b, _ := json.Marshal(RedactJSON(name, pyread.ToJSON(pyValue(f, name))))
		return string(b)
	}
	want := map[string]string{
		"SECRET_KEY":              `"\u003credacted\u003e"`,
		"SQLALCHEMY_DATABASE_URI": `"postgresql://superset:\u003credacted\u003e@db:5432/superset"`,
		"MAPBOX_API_KEY":          `""`,
		"AUTH_OAUTH_ROLE_KEYS":    `["groups"]`,
		"RECAPTCHA_PUBLIC_KEY":    `"public"`,
		"WTF_CSRF_TIME_LIMIT":     `3600`,
		"LDAP_BIND_PASSWORD":      `"\u003credacted\u003e"`,
		"OAUTH_PROVIDERS": `[{"name":"azure","token_key":"access_token","remote_app":{"client_id":"cid","client_secret":"\u003credacted\u003e",` +
			`"request_token_url":null,"access_token_url":"https://login/token","api_key":"\u003credacted\u003e","client_kwargs":{"scope":"openid"}}}]`,
	}
	for name, w := range want {
		if got := red(name); got != w {
			t.Errorf("%s = %s\nwant %s", name, got, w)
		}
	}
}

func TestBindFlags(t *testing.T) {
	var o LoadOptions
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	BindFlags(fs, &o, true)
	if err := fs.Parse([]string{"--env", "A=1", "--env", "B=2", "--env-file", "x.env", "--no-env", "--flavor", "superset", "--show-secrets"}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(o.Env, []string{"A=1", "B=2"}) || !reflect.DeepEqual(o.EnvFiles, []string{"x.env"}) || !o.NoEnv || o.Flavor != "superset" || !o.ShowSecrets {
		t.Errorf("options = %+v", o)
	}
	fs2 := pflag.NewFlagSet("y", pflag.ContinueOnError)
	BindFlags(fs2, &LoadOptions{}, false)
	if fs2.Lookup("show-secrets") != nil {
		t.Errorf("--show-secrets bound without asking")
	}
}

// A Helm template action rendered at install time is not the value the
// app sees: the setting is unresolved for FAB's checks (and so never
// fetched), while config show still shows the text.
func TestHelmTemplatesAreUnresolved(t *testing.T) {
	f := load(t, "helm-escaped-templates.yaml")
	s, ok := f.Setting("RENDERED_AT_INSTALL")
	u, isU := s.Value.(*fab.Unresolved)
	if !ok || !isU || !strings.Contains(u.Reason, "Helm template {{ .Release.Name }}") {
		t.Errorf("RENDERED_AT_INSTALL = %#v", s.Value)
	}
	if got := settingJSON(t, f, "RENDERED_AT_INSTALL"); got != `"{{ .Release.Name }}-webserver"` {
		t.Errorf("the reader's value = %s", got)
	}
	if s, _ := f.Setting("TENANT"); s.Value != "contoso" {
		t.Errorf("TENANT = %#v", s.Value)
	}
	y := "webserver:\n  webserverConfig: |\n    OAUTH_PROVIDERS = [{'name': 'keycloak', 'remote_app': {'server_metadata_url': '{{ include \"oidc.url\" . }}', 'client_id': 'x'}}]\n"
	f, err := Parse("values.yaml", []byte(y), LoadOptions{NoEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	pr := f.Config.Providers()[0]
	if v, ok := pr.RemoteStr("server_metadata_url"); ok {
		t.Errorf("server_metadata_url taken literally: %q", v)
	}
}
