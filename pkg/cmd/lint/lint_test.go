package lint_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cli"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// run executes the real CLI and returns stdout, stderr and the exit code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }}
	code := cli.Run(context.Background(), args, io, func() time.Time { return time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC) })
	return out.String(), errOut.String(), code
}

type finding struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Subject  struct {
		File string `json:"file"`
		Line int    `json:"line"`
	} `json:"subject"`
}

type doc struct {
	Findings []finding `json:"findings"`
	Skipped  []struct {
		ID string `json:"id"`
	} `json:"skipped"`
	Result struct {
		Files []struct {
			File         string `json:"file"`
			Flavor       string `json:"flavor"`
			FlavorReason string `json:"flavorReason"`
			Providers    []struct {
				Name     string `json:"name"`
				Callback struct {
					URL string `json:"url"`
				} `json:"callback"`
			} `json:"providers"`
		} `json:"files"`
	} `json:"result"`
}

// lint runs `authdoctor lint -o json --no-env` on testdata/lint files.
func lint(t *testing.T, flavor string, files ...string) doc {
	t.Helper()
	args := []string{"lint", "-o", "json", "--no-env", "--fail-on", "never"}
	if flavor != "" {
		args = append(args, "--flavor", flavor)
	}
	for _, f := range files {
		if !strings.Contains(f, "/") && (strings.HasSuffix(f, ".py") || strings.HasSuffix(f, ".yaml")) {
			f = filepath.Join(repoRoot(t), "testdata", "lint", f)
		}
		args = append(args, f)
	}
	out, errOut, code := run(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var d doc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return d
}

// fires asserts a finding of id at line (0: any line).
func fires(t *testing.T, d doc, id string, line int) finding {
	t.Helper()
	var lines []int
	for _, f := range d.Findings {
		if f.ID == id {
			if line == 0 || f.Subject.Line == line {
				return f
			}
			lines = append(lines, f.Subject.Line)
		}
	}
	t.Fatalf("no %s at line %d (found at %v); findings: %v", id, line, lines, ids(d))
	return finding{}
}

func clean(t *testing.T, d doc, id string) {
	t.Helper()
	for _, f := range d.Findings {
		if f.ID == id {
			t.Fatalf("%s fired: %s (line %d)", id, f.Message, f.Subject.Line)
		}
	}
	for _, s := range d.Skipped {
		if s.ID == id {
			t.Fatalf("%s was skipped, not run", id)
		}
	}
}

func ids(d doc) []string {
	var out []string
	for _, f := range d.Findings {
		out = append(out, f.ID)
	}
	return out
}

// Line numbers below were read off the testdata files.

func TestCheck_CFG001_Fires_UnclosedBracket(t *testing.T) {
	d := lint(t, "airflow3", "CFG001-fires.py")
	f := fires(t, d, "CFG001", 23)
	if !strings.Contains(f.Message, "never closed") {
		t.Errorf("message %q", f.Message)
	}
	// What was read is still checked: the provider was recovered.
	if len(d.Result.Files[0].Providers) != 1 {
		t.Errorf("providers after the syntax error: %+v", d.Result.Files[0].Providers)
	}
}
func TestCheck_CFG001_Clean_ValidPython(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG001-clean.py"), "CFG001")
}

func TestCheck_CFG002_Fires_UnsetEnvironment(t *testing.T) {
	f := fires(t, lint(t, "airflow3", "CFG002-fires.py"), "CFG002", 29)
	if !strings.Contains(f.Message, "AZURE_CLIENT_ID") {
		t.Errorf("message %q", f.Message)
	}
}
func TestCheck_CFG002_Clean_Literals(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG002-clean.py"), "CFG002")
}

func TestCheck_CFG003_Fires_AuthDBWithProviders(t *testing.T) {
	fires(t, lint(t, "airflow3", "CFG003-fires.py"), "CFG003", 11)
}
func TestCheck_CFG003_Clean_OAuth(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG003-clean.py"), "CFG003")
}

func TestCheck_CFG004_Fires_OpenIDWithoutMetadata(t *testing.T) {
	f := fires(t, lint(t, "airflow3", "CFG004-fires.py"), "CFG004", 35)
	if !strings.Contains(f.Message, `Missing "jwks_uri" in metadata`) {
		t.Errorf("message %q", f.Message)
	}
}
func TestCheck_CFG004_Clean_ServerMetadata(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG004-clean.py"), "CFG004")
}

func TestCheck_CFG005_Fires_NoTokenKey(t *testing.T) {
	f := fires(t, lint(t, "airflow3", "CFG005-fires.py"), "CFG005", 24)
	if !strings.Contains(f.Message, "'oauth_token'") {
		t.Errorf("message %q", f.Message)
	}
}
func TestCheck_CFG005_Clean_WellFormed(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG005-clean.py"), "CFG005")
}

func TestCheck_CFG006_Fires_LiteralSecret(t *testing.T) {
	out, _, _ := run(t, "lint", "-o", "json", "--no-env", "--flavor", "airflow3", filepath.Join(repoRoot(t), "testdata", "lint", "CFG006-fires.py"))
	if strings.Contains(out, "not-a-real-secret") {
		t.Fatal("the secret is printed")
	}
	fires(t, lint(t, "airflow3", "CFG006-fires.py"), "CFG006", 30)
}
func TestCheck_CFG006_Clean_FromEnvironment(t *testing.T) {
	// Even when the environment supplies the value, it is not "written in
	// the file".
	out, errOut, code := run(t, "lint", "-o", "json", "--no-env", "--env", "AZURE_CLIENT_SECRET=from-env", "--fail-on", "never",
		filepath.Join(repoRoot(t), "testdata", "lint", "CFG006-clean.py"))
	if code != 0 {
		t.Fatal(errOut)
	}
	var d doc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	clean(t, d, "CFG006")
	clean(t, lint(t, "airflow3", "CFG006-clean.py"), "CFG006")
}

func TestCheck_CFG007_Fires_DefaultOffOnAirflow29(t *testing.T) {
	fires(t, lint(t, "airflow-2.9", "CFG007-fires.py"), "CFG007", 35)
}
func TestCheck_CFG007_Clean_NewestProviderVerifies(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG007-clean.py"), "CFG007")
}

func TestCheck_CFG008_Fires_HTTPRedirectURI(t *testing.T) {
	f := fires(t, lint(t, "airflow3", "CFG008-fires.py"), "CFG008", 35)
	if !strings.Contains(f.Message, "https://<host>/auth/oauth-authorized/azure") {
		t.Errorf("the message should name the callback FAB sends: %q", f.Message)
	}
}
func TestCheck_CFG008_Clean_NoRedirectURI(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG008-clean.py"), "CFG008")
}

// CFG008 behind a TLS-terminating proxy: the callback goes out as http
// unless the proxy fix is on (spec §2.1, §8.4).
func TestCheck_CFG008_Fires_HTTPSBaseURLWithoutProxyFix(t *testing.T) {
	d := lint(t, "airflow3", "--base-url", "https://airflow.example.com/", "CFG008-clean.py")
	f := fires(t, d, "CFG008", 0)
	if !strings.Contains(f.Message, "http://airflow.example.com/auth/oauth-authorized/azure") {
		t.Errorf("message %q", f.Message)
	}
}
func TestCheck_CFG008_Clean_ProxyFixOn(t *testing.T) {
	d := lint(t, "airflow3", "--base-url", "https://airflow.example.com/", "--env", "AIRFLOW__FAB__ENABLE_PROXY_FIX=True", "CFG008-clean.py")
	clean(t, d, "CFG008")
	if got := d.Result.Files[0].Providers[0].Callback.URL; got != "https://airflow.example.com/auth/oauth-authorized/azure" {
		t.Errorf("callback %q", got)
	}
}

func TestCheck_CFG009_Fires_CSRFOff(t *testing.T) {
	fires(t, lint(t, "airflow3", "CFG009-fires.py"), "CFG009", 8)
}
func TestCheck_CFG009_Clean_CSRFOn(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG009-clean.py"), "CFG009")
}

func TestCheck_CFG010_Fires_CustomManager(t *testing.T) {
	fires(t, lint(t, "airflow3", "CFG010-fires.py"), "CFG010", 14)
}
func TestCheck_CFG010_Clean_BuiltinManager(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG010-clean.py"), "CFG010")
}

func TestCheck_CFG011_Fires_CapitalisedAzure(t *testing.T) {
	fires(t, lint(t, "airflow-2.9", "CFG011-fires.py"), "CFG011", 25)
}
func TestCheck_CFG011_Clean_BuiltinName(t *testing.T) {
	clean(t, lint(t, "airflow-2.9", "CFG011-clean.py"), "CFG011")
}

func TestCheck_CFG012_Fires_AirflowWWWImport(t *testing.T) {
	fires(t, lint(t, "airflow3", "CFG012-fires.py"), "CFG012", 4)
}
func TestCheck_CFG012_Clean_FlaskAppBuilderConst(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG012-clean.py"), "CFG012")
}

func TestCheck_CFG013_Fires_KeycloakDoubleSegment(t *testing.T) {
	f := fires(t, lint(t, "airflow3", "CFG013-fires.py"), "CFG013", 20)
	if !strings.Contains(f.Message, "openid-connect/openid-connect/userinfo") {
		t.Errorf("message %q", f.Message)
	}
}
func TestCheck_CFG013_Clean_KeycloakBase(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG013-clean.py"), "CFG013")
}

func TestCheck_CFG014_Fires_V2WithoutOpenID(t *testing.T) {
	fires(t, lint(t, "airflow3", "CFG014-fires.py"), "CFG014", 36)
}
func TestCheck_CFG014_Clean_OpenIDEmailProfile(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG014-clean.py"), "CFG014")
}

func TestCheck_CFG015_Fires_CommonAuthority(t *testing.T) {
	f := fires(t, lint(t, "airflow3", "CFG015-fires.py"), "CFG015", 31)
	if f.Severity != "error" || !strings.Contains(f.Message, "AzureTenantResolutionError") {
		t.Errorf("%s %q", f.Severity, f.Message)
	}
}
func TestCheck_CFG015_Clean_TenantGUID(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG015-clean.py"), "CFG015")
	// Older providers do not resolve tenants: common is fine there.
	clean(t, lint(t, "airflow3", "--fab-provider", "3.2.0", "CFG015-fires.py"), "CFG015")
}

func TestCheck_CFG016_Fires_URandomKey(t *testing.T) {
	fires(t, lint(t, "airflow3", "CFG016-fires.py"), "CFG016", 8)
}
func TestCheck_CFG016_Clean_NoPerProcessKey(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG016-clean.py"), "CFG016")
}

func TestCheck_ROL001_Fires_LowercaseAdmin(t *testing.T) {
	f := fires(t, lint(t, "airflow3", "ROL001-fires.py"), "ROL001", 18)
	if !strings.Contains(f.Message, `differs from the role "Admin" only in case`) {
		t.Errorf("message %q", f.Message)
	}
}
func TestCheck_ROL001_Clean_ExistingRoles(t *testing.T) {
	clean(t, lint(t, "airflow3", "ROL001-clean.py"), "ROL001")
}

func TestCheck_ROL002_Fires_BareString(t *testing.T) {
	fires(t, lint(t, "airflow3", "ROL002-fires.py"), "ROL002", 19)
}
func TestCheck_ROL002_Clean_Lists(t *testing.T) {
	clean(t, lint(t, "airflow3", "ROL002-clean.py"), "ROL002")
}

func TestCheck_ROL003_Fires_NoRoleForNewUsers(t *testing.T) {
	fires(t, lint(t, "airflow3", "ROL003-fires.py"), "ROL003", 7)
}
func TestCheck_ROL003_Clean_ViewerForNewUsers(t *testing.T) {
	clean(t, lint(t, "airflow3", "ROL003-clean.py"), "ROL003")
}

func TestCheck_ROL004_Fires_GroupIDsAgainstRoles(t *testing.T) {
	fires(t, lint(t, "airflow3", "ROL004-fires.py"), "ROL004", 18)
}
func TestCheck_ROL004_Clean_AppRoleValues(t *testing.T) {
	clean(t, lint(t, "airflow3", "ROL004-clean.py"), "ROL004")
}

func TestCheck_ROL005_Fires_SyncOn(t *testing.T) {
	fires(t, lint(t, "airflow3", "ROL005-fires.py"), "ROL005", 14)
}
func TestCheck_ROL005_Clean_DatabaseLogin(t *testing.T) {
	clean(t, lint(t, "airflow3", "ROL005-clean.py"), "ROL005")
}

func TestCheck_ROL006_Fires_RegistrationOff(t *testing.T) {
	fires(t, lint(t, "airflow3", "ROL006-fires.py"), "ROL006", 12)
}
func TestCheck_ROL006_Clean_RegistrationOn(t *testing.T) {
	clean(t, lint(t, "airflow3", "ROL006-clean.py"), "ROL006")
}

func TestCheck_ROL007_Fires_AdminForEveryone(t *testing.T) {
	fires(t, lint(t, "airflow3", "ROL007-fires.py"), "ROL007", 13)
}
func TestCheck_ROL007_Clean_Viewer(t *testing.T) {
	clean(t, lint(t, "airflow3", "ROL007-clean.py"), "ROL007")
}

func TestCheck_ROL009_Fires_RawRolesClaim(t *testing.T) {
	f := fires(t, lint(t, "airflow3", "ROL009-fires.py"), "ROL009", 14)
	if !strings.Contains(f.Message, "role_keys") {
		t.Errorf("message %q", f.Message)
	}
}
func TestCheck_ROL009_Clean_RoleKeys(t *testing.T) {
	clean(t, lint(t, "airflow3", "ROL009-clean.py"), "ROL009")
}

// The good config is quiet apart from the informational sync note.
func TestLint_GoodConfigIsQuiet(t *testing.T) {
	d := lint(t, "airflow3", "good-airflow3-azure.py")
	for _, f := range d.Findings {
		if f.ID != "ROL005" && f.ID != "CFG002" {
			t.Errorf("unexpected %s: %s", f.ID, f.Message)
		}
	}
	if d.Result.Files[0].Flavor != "airflow-3" || d.Result.Files[0].FlavorReason != "set by --flavor airflow3" {
		t.Errorf("flavour %+v", d.Result.Files[0])
	}
}

// Several files in one report; unknown files are a job error (exit 3).
func TestLint_SeveralFilesAndUnreadable(t *testing.T) {
	d := lint(t, "airflow3", "CFG009-fires.py", "ROL007-fires.py")
	if len(d.Result.Files) != 2 {
		t.Fatalf("%d files", len(d.Result.Files))
	}
	fires(t, d, "CFG009", 8)
	fires(t, d, "ROL007", 13)
	_, errOut, code := run(t, "lint", filepath.Join(repoRoot(t), "testdata", "lint", "no-such-file.py"))
	if code != 3 || !strings.Contains(errOut, "no-such-file.py") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = run(t, "lint", "--flavor", "django", filepath.Join(repoRoot(t), "testdata", "lint", "CFG009-fires.py"))
	if code != 2 || !strings.Contains(errOut, "--flavor") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

// The founding incident (spec: an Azure provider with explicit v2 URLs, a
// common jwks_uri, no token_key, no scope, and an unclosed bracket): lint
// reports CFG001 and what it recovers: the missing token_key and the v2
// endpoints without openid.
func TestLint_FoundingIncident(t *testing.T) {
	path := filepath.Join(repoRoot(t), "testdata", "configs", "incident-azure-unclosed-bracket.py")
	d := lint(t, "", path)
	fires(t, d, "CFG001", 14)
	fires(t, d, "CFG005", 15)
	fires(t, d, "CFG014", 18)
	fires(t, d, "CFG007", 0)
	if d.Result.Files[0].Flavor != "airflow-2.2" || !strings.Contains(d.Result.Files[0].FlavorReason, "airflow.www") {
		t.Errorf("flavour %+v", d.Result.Files[0])
	}
	// On Airflow 3 the airflow.www import itself breaks the start-up.
	fires(t, lint(t, "airflow3", path), "CFG012", 5)
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	p := filepath.Join(repoRoot(t), "..", "shared", "fixtures", "sarif-schema-2.1.0.json")
	f, err := os.Open(p)
	if err != nil {
		t.Fatalf("the SARIF schema %s is needed (shared/ beside the repository): %v", p, err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// `lint -o sarif` over every testdata config validates against SARIF
// 2.1.0 and places each result at the config line.
func TestLint_SARIFValidates(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "testdata", "lint", "*.py"))
	if err != nil || len(files) < 40 {
		t.Fatalf("testdata: %v %d", err, len(files))
	}
	rel := make([]string, len(files))
	for i, f := range files {
		rel[i], _ = filepath.Rel(repoRoot(t), f)
	}
	// Relative paths, as CI passes them: run from the repository root.
	wd, _ := os.Getwd()
	if err := os.Chdir(repoRoot(t)); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	out, errOut, code := run(t, append([]string{"lint", "-o", "sarif", "--no-env", "--flavor", "airflow3"}, rel...)...)
	if code != 1 {
		t.Fatalf("exit %d (want 1: findings): %s", code, errOut)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sarifSchema(t).Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate: %v", err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	r := log.Runs[0]
	if len(r.Results) < 24 {
		t.Fatalf("%d results", len(r.Results))
	}
	seen := map[string]bool{}
	for _, res := range r.Results {
		loc := res.Locations[0].PhysicalLocation
		if !strings.HasPrefix(loc.ArtifactLocation.URI, "testdata/lint/") || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || loc.Region.StartLine < 1 {
			t.Errorf("%s located at %+v", res.RuleID, loc)
		}
		if res.RuleID == "CFG004" && loc.ArtifactLocation.URI == "testdata/lint/CFG004-fires.py" {
			seen["CFG004"] = loc.Region.StartLine == 35
		}
	}
	if !seen["CFG004"] {
		t.Error("CFG004 not at testdata/lint/CFG004-fires.py:35")
	}
	// sarif is only for lint.
	if _, errOut, code := run(t, "checks", "-o", "sarif"); code != 2 {
		t.Errorf("checks -o sarif: exit %d %s", code, errOut)
	}
}

// Helm values and ConfigMaps go through pkg/config: findings point at the
// YAML file's own lines.
func TestLint_HelmValuesAndConfigMap(t *testing.T) {
	d := lint(t, "", "helm-values-airflow3.yaml")
	fires(t, d, "CFG004", 30)
	if d.Result.Files[0].Flavor != "airflow-3" || !strings.Contains(d.Result.Files[0].FlavorReason, "apiServer.apiServerConfig") {
		t.Errorf("flavour %+v", d.Result.Files[0])
	}
	d = lint(t, "airflow2", "configmap-webserver.yaml")
	fires(t, d, "CFG009", 13)
	fires(t, d, "ROL001", 17)
	if d.Result.Files[0].Flavor != "airflow-2.9" {
		t.Errorf("--flavor airflow2 gives %s", d.Result.Files[0].Flavor)
	}
	if got := d.Result.Files[0].Providers[0].Callback.URL; got != "https://<host>/oauth-authorized/okta" {
		t.Errorf("Airflow 2 callback %q", got)
	}
}

// A literal default of an environment lookup is the secret wherever the
// variable is unset (a warning); placeholders only say the deployment must
// replace them (info). Expectations: the values CPython computes with the
// variables unset.
func TestCheck_CFG006_Fires_EnvDefaultAndPlaceholders(t *testing.T) {
	d := lint(t, "airflow3", "CFG006-env-default.py")
	f := fires(t, d, "CFG006", 9)
	if f.Severity != "warning" || !strings.Contains(f.Message, "falls back to a default written in the file") {
		t.Errorf("SECRET_KEY: %s %s", f.Severity, f.Message)
	}
	if f := fires(t, d, "CFG006", 10); f.Severity != "info" || !strings.Contains(f.Message, "placeholder") {
		t.Errorf("LDAP password: %s %s", f.Severity, f.Message)
	}
	if f := fires(t, d, "CFG006", 19); f.Severity != "info" {
		t.Errorf("client secret: %s %s", f.Severity, f.Message)
	}
	// os.environ.get("MAIL_PASSWORD") or "mailpass": None or "mailpass"
	if f := fires(t, d, "CFG006", 11); f.Severity != "warning" || !strings.Contains(f.Message, "falls back") {
		t.Errorf("MAIL_PASSWORD (or-fallback): %s %s", f.Severity, f.Message)
	}
}

// A secret reaching the provider entry through a variable is judged where
// its value is written: a literal assigned above is in the file; a value
// the environment supplied (--env) is written nowhere in it.
func TestCheck_CFG006_FollowsTheValueThroughAName(t *testing.T) {
	dir := t.TempDir()
	src := "import os\nfrom flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\nLITERAL = 'e864229acc081cd628af908b9fba2892'\nFROM_ENV = os.getenv('GOOGLE_SECRET')\nOAUTH_PROVIDERS = [\n {'name': 'google', 'token_key': 'access_token', 'remote_app': {'client_id': 'c', 'client_secret': LITERAL, 'api_base_url': 'https://www.googleapis.com/oauth2/v2/', 'server_metadata_url': 'https://accounts.google.com/.well-known/openid-configuration', 'client_kwargs': {'scope': 'openid email profile'}}},\n {'name': 'okta', 'token_key': 'access_token', 'remote_app': {'client_id': 'c', 'client_secret': FROM_ENV, 'api_base_url': 'https://corp.okta.com/oauth2/v1/', 'server_metadata_url': 'https://corp.okta.com/.well-known/openid-configuration', 'client_kwargs': {'scope': 'openid email profile'}}},\n]\n"
	d := lint(t, "airflow3", "--env", "GOOGLE_SECRET=GOCSPX-abcdefghijklmnopqrstu", writeFile(t, dir, "webserver_config.py", src))
	var google, okta bool
	for _, f := range d.Findings {
		if f.ID == "CFG006" {
			google = google || strings.Contains(f.Message, `"google" is written in the file`) && f.Severity == "warning"
			okta = okta || strings.Contains(f.Message, `"okta"`)
		}
	}
	if !google || okta {
		t.Errorf("google's literal reported: %v; okta's --env value reported: %v (%v)", google, okta, d.Findings)
	}
}

// AUTH_TYPE chosen by testing the environment (OAuth when the app's
// credentials are set, AUTH_DB otherwise): with the variables unset the
// file runs AUTH_DB, a designed fallback, so CFG003 is info saying so.
func TestCheck_CFG003_AuthTypeChosenByTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	src := "import os\nfrom flask_appbuilder.const import AUTH_DB, AUTH_OAUTH\nif os.environ.get('OAUTH_APP_ID'):\n    AUTH_TYPE = AUTH_OAUTH\nelse:\n    AUTH_TYPE = AUTH_DB\nOAUTH_PROVIDERS = [{'name': 'github', 'token_key': 'access_token', 'remote_app': {'client_id': os.environ.get('OAUTH_APP_ID'), 'api_base_url': 'https://api.github.com/user', 'access_token_url': 'https://github.com/login/oauth/access_token', 'authorize_url': 'https://github.com/login/oauth/authorize'}}]\n"
	f := fires(t, lint(t, "airflow3", writeFile(t, dir, "webserver_config.py", src)), "CFG003", 6)
	if f.Severity != "info" || !strings.Contains(f.Message, "because OAUTH_APP_ID is not set") {
		t.Errorf("CFG003 %s %q", f.Severity, f.Message)
	}
	d := lint(t, "airflow3", "--env", "OAUTH_APP_ID=Iv1.abc", writeFile(t, dir, "webserver_config.py", src))
	clean(t, d, "CFG003")
}

// CFG020: plain http to a host that is not this machine.
func TestCheck_CFG020_Fires_PlainHTTPToKeycloak(t *testing.T) {
	d := lint(t, "airflow3", "CFG020-fires.py")
	f := fires(t, d, "CFG020", 21)
	if !strings.Contains(f.Message, "server_metadata_url, access_token_url, to keycloak:8080") || !strings.Contains(f.Message, "client secret") {
		t.Errorf("%s", f.Message)
	}
	if n := count(d, "CFG020"); n != 1 {
		t.Errorf("%d CFG020 findings, want one for the provider", n)
	}
}
func TestCheck_CFG020_Clean_HTTPSAndLoopback(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG020-clean.py"), "CFG020")
}

// CFG022: "False" is a true string; a bool default becomes a string when
// the variable is set (CPython: bool("False") is True).
func TestCheck_CFG022_Fires_BoolFromString(t *testing.T) {
	d := lint(t, "airflow3", "CFG022-fires.py")
	if f := fires(t, d, "CFG022", 12); f.Severity != "warning" || !strings.Contains(f.Message, `the string "False"`) {
		t.Errorf("%s %s", f.Severity, f.Message)
	}
	if f := fires(t, d, "CFG022", 13); f.Severity != "info" || !strings.Contains(f.Message, "only while MULTI is unset") {
		t.Errorf("%s %s", f.Severity, f.Message)
	}
}
func TestCheck_CFG022_Clean_Converted(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG022-clean.py"), "CFG022")
}

// CFG023: Flask-OAuthlib keys authlib keeps as unused server metadata.
func TestCheck_CFG023_Fires_FlaskOAuthlibKeys(t *testing.T) {
	d := lint(t, "airflow3", "CFG023-fires.py")
	fires(t, d, "CFG023", 21)
	if f := fires(t, d, "CFG023", 22); !strings.Contains(f.Message, "request_token_params") {
		t.Errorf("%s", f.Message)
	}
}

// base_url stands in for api_base_url only where a built-in branch joins
// a relative path to it (spec fab.md §2.3): keycloak's
// openid-connect/userinfo does; azure reads the id_token and joins
// nothing, so there the ignored key loses nothing (info); next to an
// api_base_url it loses nothing either.
func TestCheck_CFG023_BaseURLMattersOnlyForARelativeCall(t *testing.T) {
	dir := t.TempDir()
	entry := func(name, extra string) string {
		return "import os\nfrom flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\nOAUTH_PROVIDERS = [{'name': '" + name + "', 'token_key': 'access_token', 'remote_app': {'client_id': 'c', 'client_secret': os.environ.get('S'),\n 'base_url': 'https://idp.example.com/realms/data/protocol/',\n 'server_metadata_url': 'https://idp.example.com/realms/data/.well-known/openid-configuration', 'client_kwargs': {'scope': 'openid email profile'}" + extra + "}}]\n"
	}
	for _, c := range []struct{ name, src, severity string }{
		{"keycloak without api_base_url", entry("keycloak", ""), "warning"},
		{"azure without api_base_url", entry("azure", ""), "info"},
		{"keycloak with api_base_url", entry("keycloak", ", 'api_base_url': 'https://idp.example.com/realms/data/protocol/'"), "info"},
	} {
		f := fires(t, lint(t, "airflow3", "--no-env", writeFile(t, dir, strings.ReplaceAll(c.name, " ", "_")+".py", c.src)), "CFG023", 5)
		if f.Severity != c.severity {
			t.Errorf("%s: CFG023 %s %q, want %s", c.name, f.Severity, f.Message, c.severity)
		}
	}
}

func TestCheck_CFG023_Clean_AuthlibKeys(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG023-clean.py"), "CFG023")
}

// CFG024: the keycloak branch's relative user-info path with no
// api_base_url (base_url is Flask-OAuthlib's name, not read).
func TestCheck_CFG024_Fires_NoAPIBaseURL(t *testing.T) {
	d := lint(t, "airflow3", "CFG024-fires.py")
	f := fires(t, d, "CFG024", 0)
	if f.Severity != "error" || !strings.Contains(f.Message, "openid-connect/userinfo") || !strings.Contains(f.Message, "base_url key is Flask-OAuthlib's") {
		t.Errorf("%s %s", f.Severity, f.Message)
	}
}
func TestCheck_CFG024_Clean_APIBaseURL(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG024-clean.py"), "CFG024")
}

// ROL010: AUTH_ROLE_PUBLIC is every anonymous visitor's role.
func TestCheck_ROL010_Fires_PublicAdmin(t *testing.T) {
	if f := fires(t, lint(t, "airflow3", "ROL010-fires.py"), "ROL010", 12); f.Severity != "error" {
		t.Errorf("severity %s", f.Severity)
	}
}
func TestCheck_ROL010_Clean_PublicRole(t *testing.T) {
	clean(t, lint(t, "airflow3", "ROL010-clean.py"), "ROL010")
}

func count(d doc, id string) int {
	n := 0
	for _, f := range d.Findings {
		if f.ID == id {
			n++
		}
	}
	return n
}

// What lint can judge without the network it judges offline: the common
// metadata with openid fails every login (authlib's exact issuer
// comparison, user-code.md §8) and tenant endpoints with the common key
// set disagree (ISS005).
func TestLint_EndpointsJudgedOffline(t *testing.T) {
	d := lint(t, "airflow3", "ISS003-common-metadata.py")
	if f := fires(t, d, "ISS003", 20); f.Severity != "error" || !strings.Contains(f.Message, "invalid_claim") {
		t.Errorf("%s %s", f.Severity, f.Message)
	}
	d = lint(t, "airflow3", "ISS005-common-keys.py")
	if f := fires(t, d, "ISS005", 21); f.Severity != "warning" || !strings.Contains(f.Message, "jwks_uri names tenant common") || !strings.Contains(f.Message, "same signing keys") {
		t.Errorf("%s %s", f.Severity, f.Message)
	}
	clean(t, d, "ISS003")
}

// lint --diff prints a patch that patch -p0 applies from the directory
// the file was named from, and the patched file lints clean of the fixed
// findings (issue 18).
func TestLint_DiffAppliesWithPatch(t *testing.T) {
	patchBin, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("patch is not installed")
	}
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "testdata", "lint", "diff-fixable.py"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "webserver_config.py"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	fixed := []string{"CFG004", "CFG005", "CFG013", "CFG014", "ISS005"}
	before := lint(t, "airflow3", "./webserver_config.py")
	for _, id := range fixed {
		fires(t, before, id, 0)
	}
	out, _, code := run(t, "lint", "--no-env", "--flavor", "airflow3", "--diff", "webserver_config.py")
	if code != 1 || !strings.HasPrefix(out, "--- webserver_config.py\n+++ webserver_config.py\n@@ ") {
		t.Fatalf("exit %d, patch:\n%s", code, out)
	}
	cmd := exec.Command(patchBin, "-p0", "--batch")
	cmd.Stdin = strings.NewReader(out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("patch -p0: %v\n%s\n%s", err, msg, out)
	}
	after := lint(t, "airflow3", "./webserver_config.py")
	for _, id := range fixed {
		clean(t, after, id)
	}
	// nothing left to fix: an empty patch
	if out, _, _ := run(t, "lint", "--no-env", "--flavor", "airflow3", "--diff", "webserver_config.py"); out != "" {
		t.Errorf("second --diff:\n%s", out)
	}
}

// User code that replaces a login step (spec/user-code.md §6): a
// finding computed from FAB's built-in branch is judged on what the user's
// code does when it can be evaluated (the override returns its own
// role_keys: ROL004 does not apply, and CFG010 says so), is info naming
// the method when it cannot, and stands when nothing replaces the step.
func TestUserCode_ReplacedStepIsNotJudgedOnTheBuiltinBranch(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "testdata", "lint", "usercode")
	cases := []struct {
		name, file string
		args       []string
		severity   string // "" when ROL004 does not apply
		mentions   string
	}{
		{"sibling module", "sibling_config.py", nil, "", "BaseCorpSecurity.get_oauth_user_info (" + filepath.Join(dir, "security_manager.py") + ":8)"},
		{"module not found", "path_config.py", nil, "info", "could not be read"},
		{"found with --path", "path_config.py", []string{"--path", filepath.Join(dir, "lib")}, "", "CorpSecurityManager.oauth_user_info"},
		{"overrides nothing", "nooverride_config.py", nil, "warning", "azure branch compares them with the roles claim"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append(append([]string{"--no-env"}, c.args...), filepath.Join(dir, c.file))
			d := lint(t, "airflow3", args...)
			if c.severity == "" {
				clean(t, d, "ROL004")
				if f := fires(t, d, "CFG010", 0); !strings.Contains(f.Message, c.mentions) || !strings.Contains(f.Message, "do not apply were left out: ROL004") {
					t.Errorf("CFG010 %q, want it to name %q and the ROL004 left out", f.Message, c.mentions)
				}
				return
			}
			f := fires(t, d, "ROL004", 0)
			if f.Severity != c.severity || !strings.Contains(f.Message, c.mentions) {
				t.Errorf("ROL004 %s %q, want %s mentioning %q", f.Severity, f.Message, c.severity, c.mentions)
			}
		})
	}
}

// CFG010 says which code decides: the class and method, or why the class
// could not be read (a warning: nothing it may replace can be judged).
func TestCheck_CFG010_Fires_SaysWhichCodeDecides(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "testdata", "lint", "usercode")
	f := fires(t, lint(t, "airflow3", filepath.Join(dir, "path_config.py")), "CFG010", 9)
	if f.Severity != "warning" || !strings.Contains(f.Message, "line 7 imports CorpSecurityManager from corp.security") || !strings.Contains(f.Message, "--path DIR") {
		t.Errorf("module not found: %s %q", f.Severity, f.Message)
	}
	f = fires(t, lint(t, "airflow3", "--path", filepath.Join(dir, "lib"), filepath.Join(dir, "path_config.py")), "CFG010", 9)
	if f.Severity != "info" || !strings.Contains(f.Message, "replaces the user-info step with CorpSecurityManager.oauth_user_info") {
		t.Errorf("found with --path: %s %q", f.Severity, f.Message)
	}
	f = fires(t, lint(t, "airflow3", filepath.Join(dir, "nooverride_config.py")), "CFG010", 14)
	if !strings.Contains(f.Message, "overrides none of the login's steps") {
		t.Errorf("no override: %q", f.Message)
	}
}

// CFG021: the line and the exception are CPython's own (the fires file
// needs nothing but the standard library, so CPython loads it as Flask's
// from_pyfile does).
func TestCheck_CFG021_Fires_NameErrorAtStart(t *testing.T) {
	file := filepath.Join(repoRoot(t), "testdata", "lint", "CFG021-fires.py")
	f := fires(t, lint(t, "airflow3", "CFG021-fires.py"), "CFG021", 10)
	if !strings.Contains(f.Message, "NameError: name 'AUTH_OID' is not defined") {
		t.Errorf("message %q", f.Message)
	}
	py, err := exec.LookPath("/usr/bin/python3")
	if err != nil {
		t.Skip("CPython is not installed: the line is checked against it where it is")
	}
	out, _ := exec.Command(py, "-c", "import runpy, sys, traceback\ntry:\n    runpy.run_path(sys.argv[1])\nexcept Exception as e:\n    tb = traceback.extract_tb(e.__traceback__)[-1]\n    print(tb.lineno, type(e).__name__ + ': ' + str(e))", file).CombinedOutput()
	if got := strings.TrimSpace(string(out)); got != "10 NameError: name 'AUTH_OID' is not defined" {
		t.Errorf("CPython: %q", got)
	}
}
func TestCheck_CFG021_Clean_CaughtOrEnvironment(t *testing.T) {
	clean(t, lint(t, "airflow3", "CFG021-clean.py"), "CFG021")
}

// Superset's key in an Airflow config: the class never runs (a warning),
// unless the file also sets the key Airflow reads.
func TestCheck_CFG010_Fires_OtherApplicationsKey(t *testing.T) {
	dir := t.TempDir()
	src := "from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride\n\nclass SM(FabAirflowSecurityManagerOverride):\n    def get_oauth_user_info(self, provider, resp):\n        return {}\n\nCUSTOM_SECURITY_MANAGER = SM\n"
	f := fires(t, lint(t, "airflow3", writeFile(t, dir, "webserver_config.py", src)), "CFG010", 7)
	if f.Severity != "warning" || !strings.Contains(f.Message, "never runs") {
		t.Errorf("%s %q", f.Severity, f.Message)
	}
	both := src + "SECURITY_MANAGER_CLASS = SM\n"
	for _, g := range lint(t, "airflow3", writeFile(t, dir, "shared_config.py", both)).Findings {
		if g.ID == "CFG010" && g.Subject.Line == 7 && g.Severity != "info" {
			t.Errorf("a config shared by both applications: %s %q", g.Severity, g.Message)
		}
	}
}

// authlib splits a scope string on spaces only (pkg/authlib, checked
// against authlib): commas make one scope the IdP does not know, and no
// openid.
func TestCheck_CFG014_Fires_CommaSeparatedScope(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "webserver_config.py")
	src := "from flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\nAUTH_USER_REGISTRATION = True\nOAUTH_PROVIDERS = [{\"name\": \"keycloak\", \"token_key\": \"access_token\", \"remote_app\": {\"client_id\": \"a\",\n    \"server_metadata_url\": \"https://kc.example.com/realms/x/.well-known/openid-configuration\",\n    \"api_base_url\": \"https://kc.example.com/realms/x/protocol/\",\n    \"client_kwargs\": {\"scope\": \"openid,email,profile\"}}}]\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	f := fires(t, lint(t, "airflow3", p), "CFG014", 7)
	if f.Severity != "warning" || !strings.Contains(f.Message, `authlib splits on spaces, so it sees no openid`) {
		t.Errorf("%s %q", f.Severity, f.Message)
	}
	for _, g := range lint(t, "airflow3", p).Findings {
		if g.ID == "CFG004" {
			t.Errorf("no openid reaches authlib, so no id_token is parsed: %q", g.Message)
		}
	}
}

// authlib keeps the keywords it does not name as metadata entries, so a
// "server_metadata" dict in remote_app is nested and never read: a warning
// when what it holds is lost, info when server_metadata_url supplies the
// metadata or remote_app has the same keys itself.
func TestCheck_CFG005_ServerMetadataDictIsNotRead(t *testing.T) {
	dir := t.TempDir()
	mk := func(extra string) string {
		return "import os\nfrom flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\nOAUTH_PROVIDERS = [{'name': 'keycloak', 'token_key': 'access_token', 'remote_app': {'client_id': 'c', 'client_secret': os.environ.get('S'),\n 'server_metadata': {'issuer': 'https://sso.example.org/realms/x', 'jwks_uri': 'https://sso.example.org/realms/x/protocol/openid-connect/certs'},\n 'api_base_url': 'https://sso.example.org/realms/x/protocol/', 'access_token_url': 'https://sso.example.org/realms/x/protocol/openid-connect/token', 'authorize_url': 'https://sso.example.org/realms/x/protocol/openid-connect/auth'" + extra + "}}]\n"
	}
	for _, c := range []struct{ name, extra, severity, says string }{
		{"lost", "", "warning", "issuer, jwks_uri are never used"},
		{"discovery instead", ", 'server_metadata_url': 'https://sso.example.org/realms/x/.well-known/openid-configuration'", "info", "supplies the metadata instead"},
	} {
		f := fires(t, lint(t, "airflow3", writeFile(t, dir, c.name+".py", mk(c.extra))), "CFG005", 5)
		if f.Severity != c.severity || !strings.Contains(f.Message, c.says) {
			t.Errorf("%s: CFG005 %s %q", c.name, f.Severity, f.Message)
		}
	}
}

// Airflow's Viewer and User as the public role give anonymous visitors
// read access to every DAG, its code and logs (User also triggers runs):
// a warning, as a site may be open on purpose; Superset's Gamma is its
// documented public-dashboard pattern, not reported.
func TestCheck_ROL010_AirflowReadRolesForAnonymousVisitors(t *testing.T) {
	dir := t.TempDir()
	src := "from flask_appbuilder.const import AUTH_DB\nAUTH_TYPE = AUTH_DB\nAUTH_ROLE_PUBLIC = 'Viewer'\n"
	f := fires(t, lint(t, "airflow3", writeFile(t, dir, "webserver_config.py", src)), "ROL010", 3)
	if f.Severity != "warning" || !strings.Contains(f.Message, "task logs") {
		t.Errorf("ROL010 %s %q", f.Severity, f.Message)
	}
	clean(t, lint(t, "superset", writeFile(t, dir, "superset_config.py", "AUTH_ROLE_PUBLIC = 'Gamma'\n")), "ROL010")
}

// A debug print of a secret variable puts it in the logs at every start;
// a label naming it, or a variable naming where a secret is (a URL), is
// not a secret printed.
func TestCheck_CFG006_PrintedSecret(t *testing.T) {
	dir := t.TempDir()
	src := "import os\nCLIENT_SECRET = os.environ.get('CLIENT_SECRET')\nOIDC_TOKEN_URL = 'https://sso.example.org/token'\nprint('CLIENT_SECRET is set:', bool(CLIENT_SECRET))\nprint('OIDC_TOKEN_URL: ', OIDC_TOKEN_URL)\nprint(f'secret={CLIENT_SECRET}')\n"
	d := lint(t, "airflow3", writeFile(t, dir, "webserver_config.py", src))
	f := fires(t, d, "CFG006", 6)
	if f.Severity != "warning" || !strings.Contains(f.Message, "prints CLIENT_SECRET") {
		t.Errorf("CFG006 %s %q", f.Severity, f.Message)
	}
	for _, f := range d.Findings {
		if f.ID == "CFG006" && f.Subject.Line != 6 {
			t.Errorf("line %d: %q", f.Subject.Line, f.Message)
		}
	}
}

// CFG027: FAB matches a whitelist pattern with re.search; before 5.2.2 it
// is not anchored, so "@corp.com" also lets "x@corp.com.evil.example" in.
func whitelistConfig(t *testing.T, pattern string) string {
	src := "import os\nfrom flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\nOAUTH_PROVIDERS = [{'name': 'google', 'token_key': 'access_token',\n 'whitelist': ['" + pattern + "'],\n 'remote_app': {'client_id': 'c', 'client_secret': os.environ.get('S'), 'api_base_url': 'https://www.googleapis.com/oauth2/v2/', 'server_metadata_url': 'https://accounts.google.com/.well-known/openid-configuration', 'client_kwargs': {'scope': 'openid email profile'}}}]\n"
	return writeFile(t, t.TempDir(), "webserver_config.py", src)
}

func TestCheck_CFG027_Fires_UnanchoredWhitelist(t *testing.T) {
	f := fires(t, lint(t, "airflow-2.9", whitelistConfig(t, "@corp.com")), "CFG027", 5)
	if f.Severity != "warning" || !strings.Contains(f.Message, "x@corp.com.evil.example") {
		t.Errorf("CFG027 %s %q", f.Severity, f.Message)
	}
}

func TestCheck_CFG027_Clean_AnchoredOrNewFAB(t *testing.T) {
	clean(t, lint(t, "airflow-2.9", whitelistConfig(t, "@corp\\\\.com$")), "CFG027")
	clean(t, lint(t, "fab", whitelistConfig(t, "@corp.com")), "CFG027") // FAB 5.2.2 anchors it itself
}

// The admin role has every permission (FAB grants them to it), and so do
// Superset's built-in roles after superset init, even when
// AUTH_ROLE_PUBLIC names them: "only Admin, which has no permissions" was
// a false ROL003 on a real Superset config.
func TestCheck_ROL003_AdminIsNeverAPermissionlessRole(t *testing.T) {
	dir := t.TempDir()
	src := "from flask_appbuilder.security.manager import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\nAUTH_USER_REGISTRATION = True\nAUTH_USER_REGISTRATION_ROLE = 'Admin'\nAUTH_ROLE_PUBLIC = 'Admin'\nOAUTH_PROVIDERS = [{'name': 'github', 'token_key': 'access_token', 'remote_app': {'client_id': 'c', 'api_base_url': 'https://api.github.com/', 'access_token_url': 'https://github.com/login/oauth/access_token', 'authorize_url': 'https://github.com/login/oauth/authorize'}}]\n"
	clean(t, lint(t, "superset", writeFile(t, dir, "superset_config.py", src)), "ROL003")
	pub := strings.ReplaceAll(strings.ReplaceAll(src, "'Admin'", "'Public'"), "AUTH_ROLE_PUBLIC = 'Public'\n", "")
	if f := fires(t, lint(t, "airflow3", writeFile(t, dir, "webserver_config.py", pub)), "ROL003", 0); f.Severity != "warning" {
		t.Errorf("Public as the registration role: ROL003 %s %q", f.Severity, f.Message)
	}
}
