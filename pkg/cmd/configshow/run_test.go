package configshow

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/pyread"
	"github.com/authdoctor/authdoctor/pkg/render"
)

const corpus = "../../../testdata/configs"

type doc struct {
	Findings []engine.Finding `json:"findings"`
	Result   struct {
		File         string                     `json:"file"`
		Kind         string                     `json:"kind"`
		Flavor       string                     `json:"flavor"`
		FlavorReason string                     `json:"flavorReason"`
		Settings     map[string]json.RawMessage `json:"settings"`
		Lines        map[string]int             `json:"lines"`
		Unresolved   []Unresolved               `json:"unresolved"`
		SyntaxErrors []SyntaxError              `json:"syntaxErrors"`
		SecretsShown bool                       `json:"secretsShown"`
	} `json:"result"`
}

// show executes config show and returns the JSON document.
func show(t *testing.T, file string, o config.LoadOptions) (doc, *engine.Report) {
	t.Helper()
	var rep *engine.Report
	opts := &Options{
		NewReport: func(cmd string) *engine.Report { rep = engine.NewReport(catalog.Default(), cmd); return rep },
		Emit:      func(r *engine.Report) error { return nil },
		File:      file,
		Read:      o,
	}
	if err := run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := render.JSON(&buf, rep, "test"); err != nil {
		t.Fatal(err)
	}
	var d doc
	if err := json.Unmarshal(buf.Bytes(), &d); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	return d, rep
}

func TestIncident(t *testing.T) {
	d, rep := show(t, filepath.Join(corpus, "incident-azure-unclosed-bracket.py"), config.LoadOptions{NoEnv: true})
	if d.Result.Flavor != "airflow-2.2" || d.Result.Kind != "python" {
		t.Errorf("flavor/kind = %s/%s", d.Result.Flavor, d.Result.Kind)
	}
	var cfg001, cfg002 []engine.Finding
	for _, f := range d.Findings {
		switch f.ID {
		case "CFG001":
			cfg001 = append(cfg001, f)
		case "CFG002":
			cfg002 = append(cfg002, f)
		}
	}
	if len(cfg001) != 1 || cfg001[0].Subject.Line != 14 || !strings.Contains(cfg001[0].Message, ":14:19: '[' was never closed") {
		t.Errorf("CFG001 = %+v", cfg001)
	}
	if len(cfg002) != 2 || cfg002[0].Subject.Name != "OAUTH_PROVIDERS" || cfg002[0].Subject.Line != 19 ||
		!strings.Contains(cfg002[0].Fix, "--env AZURE_CLIENT_ID=VALUE") || cfg002[1].Subject.Line != 20 {
		t.Errorf("CFG002 = %+v", cfg002)
	}
	if rep.MaxSeverity() != engine.SeverityError {
		t.Errorf("max severity = %v", rep.MaxSeverity())
	}
	// the provider behind the syntax error is shown, with its jwks_uri and
	// without token_key or scope: what the incident was about
	var prov []map[string]any
	json.Unmarshal(d.Result.Settings["OAUTH_PROVIDERS"], &prov)
	ra, _ := prov[0]["remote_app"].(map[string]any)
	if prov[0]["name"] != "azure" || ra["jwks_uri"] != "https://login.microsoftonline.com/common/discovery/v2.0/keys" || prov[0]["token_key"] != nil || ra["client_kwargs"] != nil {
		t.Errorf("OAUTH_PROVIDERS = %s", d.Result.Settings["OAUTH_PROVIDERS"])
	}
	var compacted bytes.Buffer
	json.Compact(&compacted, d.Result.Settings["AUTH_ROLES_MAPPING"])
	if compacted.String() != `{"airflow_nonprod_admin":["Admin"],"airflow_nonprod_op":["Op"],"airflow_nonprod_viewer":["Viewer"]}` {
		t.Errorf("AUTH_ROLES_MAPPING = %s", d.Result.Settings["AUTH_ROLES_MAPPING"])
	}
	if d.Result.Lines["AUTH_ROLES_MAPPING"] != 29 || len(d.Result.SyntaxErrors) != 1 || d.Result.SyntaxErrors[0].Col != 19 {
		t.Errorf("lines = %v, syntax = %+v", d.Result.Lines, d.Result.SyntaxErrors)
	}
	if len(d.Result.Unresolved) != 2 || d.Result.Unresolved[0].Name != "OAUTH_PROVIDERS" || d.Result.Unresolved[0].Line != 19 {
		t.Errorf("unresolved = %+v", d.Result.Unresolved)
	}
}

func TestSecretsRedactedUnlessAsked(t *testing.T) {
	file := filepath.Join(corpus, "superset-custom-sso-manager.py")
	env := []string{"AZURE_TENANT_ID=t", "AZURE_CLIENT_ID=c", "AZURE_CLIENT_SECRET=very-secret", "SUPERSET_SECRET_KEY=sk-123"}
	d, rep := show(t, file, config.LoadOptions{NoEnv: true, Env: env})
	all, _ := json.Marshal(d)
	if strings.Contains(string(all), "very-secret") || strings.Contains(string(all), "sk-123") {
		t.Fatalf("secret printed: %s", all)
	}
	if string(d.Result.Settings["SECRET_KEY"]) != `"<redacted>"` || d.Result.SecretsShown || len(rep.Notices) != 0 {
		t.Errorf("SECRET_KEY = %s, shown %v, notices %v", d.Result.Settings["SECRET_KEY"], d.Result.SecretsShown, rep.Notices)
	}
	d, rep = show(t, file, config.LoadOptions{NoEnv: true, Env: env, ShowSecrets: true})
	if string(d.Result.Settings["SECRET_KEY"]) != `"sk-123"` || !d.Result.SecretsShown || len(rep.Notices) == 0 || !strings.Contains(rep.Notices[0], "--show-secrets") {
		t.Errorf("--show-secrets: SECRET_KEY = %s, shown %v, notices %v", d.Result.Settings["SECRET_KEY"], d.Result.SecretsShown, rep.Notices)
	}
}

func TestConditionalAlternatives(t *testing.T) {
	d, _ := show(t, filepath.Join(corpus, "env-conditionals-unknown.py"), config.LoadOptions{NoEnv: true})
	var u *Unresolved
	for i := range d.Result.Unresolved {
		if d.Result.Unresolved[i].Name == "BASE_URL" {
			u = &d.Result.Unresolved[i]
		}
	}
	if u == nil || len(u.Alternatives) != 2 || u.Alternatives[0].Value != "https://airflow.example.com" ||
		u.Alternatives[1].Condition != "else" || u.Alternatives[1].Value != "http://localhost:8080" || u.Env[0] != "AIRFLOW_MODE" {
		t.Errorf("BASE_URL = %+v", u)
	}
	if !strings.Contains(string(d.Result.Settings["BASE_URL"]), `"unresolved"`) {
		t.Errorf("settings BASE_URL = %s", d.Result.Settings["BASE_URL"])
	}
}

// TestCorpusSettingsAreTheReadersValues ties config show to the
// differential test of pkg/config: with secrets shown, every upper-case
// name config show prints is exactly the reader's value, and every
// unresolved value of a setting is listed.
func TestCorpusSettingsAreTheReadersValues(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpus, "*.py"))
	yamls, _ := filepath.Glob(filepath.Join(corpus, "*.yaml"))
	for _, file := range append(files, yamls...) {
		f, err := config.Load(file, config.LoadOptions{NoEnv: true})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		res := build(f, true)
		n := 0
		for _, b := range f.Module.Bindings {
			if !pyread.IsUpperName(b.Name) {
				continue
			}
			n++
			want, _ := json.Marshal(pyread.ToJSON(b.Value))
			got, _ := json.Marshal(res.Settings.Values[b.Name])
			if string(got) != string(want) || res.Lines[b.Name] != b.Line {
				t.Errorf("%s %s: %s line %d, reader %s line %d", filepath.Base(file), b.Name, got, res.Lines[b.Name], want, b.Line)
			}
		}
		if n != len(res.Settings.Keys) {
			t.Errorf("%s: %d settings shown, %d upper-case names", file, len(res.Settings.Keys), n)
		}
		if len(res.Unresolved) != len(f.Unresolved) {
			t.Errorf("%s: %d unresolved listed, %d diagnostics", file, len(res.Unresolved), len(f.Unresolved))
		}
	}
}

// A long list is shown in part on a terminal: its first maxShown items
// and how many more; one line never exceeds maxCompact bytes and "…".
func TestTextValueElidesLongValues(t *testing.T) {
	long := make([]any, 120)
	for i := range long {
		long[i] = int64(i)
	}
	got := textValue(long, 0)
	if !strings.Contains(got, "\n  49,\n  … 70 more\n]") || strings.Contains(got, "  50,") {
		t.Errorf("long list:\n%s", got)
	}
	deep := []any{strings.Repeat("x", 10000)}
	if c := compact(deep); len(c) > maxCompact+len("…") || !strings.HasSuffix(c, "…") {
		t.Errorf("compact of a 10,000-byte string: %d bytes, ends %q", len(c), c[len(c)-5:])
	}
}
