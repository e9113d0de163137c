package roles_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cli"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/golang-jwt/jwt/v5"
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

func run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &cmdutil.IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }}
	code := cli.Run(context.Background(), args, io, func() time.Time { return time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC) })
	return out.String(), errOut.String(), code
}

// mint signs an ID token with a throwaway RSA key: roles never verifies
// signatures, it only decodes.
func mint(t *testing.T, claims jwt.MapClaims) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = "throwaway"
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const incidentTenant = "9a95fd9e-005d-487a-9a01-d08c1eab2757"

func entraClaims(extra map[string]any) jwt.MapClaims {
	c := jwt.MapClaims{
		"iss": "https://login.microsoftonline.com/" + incidentTenant + "/v2.0",
		"aud": "6731de76-14a6-49ae-97bc-6eba6914391e", "tid": incidentTenant,
		"oid": "3f1a8c2e-7b4d-4e6f-9a0b-1c2d3e4f5a6b", "upn": "grace@nonprod.example.com", "email": "grace@example.com",
		"given_name": "Grace", "family_name": "Hopper", "ver": "2.0",
		"iat": 1788000000, "nbf": 1788000000, "exp": 1788003600,
	}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

type result struct {
	Flavor        string         `json:"flavor"`
	FlavorReason  string         `json:"flavorReason"`
	Provider      string         `json:"provider"`
	Branch        string         `json:"branch"`
	Userinfo      map[string]any `json:"userinfo"`
	Outcome       string         `json:"outcome"`
	Roles         []string       `json:"roles"`
	RolesIfFixed  bool           `json:"rolesIfFixed"`
	Computed      []string       `json:"computed"`
	PermissionsOf string         `json:"permissionsOf"`
	Refusal       *struct {
		Stage   string `json:"stage"`
		Log     string `json:"log"`
		Message string `json:"message"`
		Check   string `json:"check"`
	} `json:"refusal"`
	Blockers []struct {
		Check string `json:"check"`
		Log   string `json:"log"`
	} `json:"blockers"`
	Matched []struct {
		Key  string `json:"key"`
		Kind string `json:"kind"`
	} `json:"matched"`
	Permissions []struct {
		Role    string   `json:"role"`
		Summary string   `json:"summary"`
		Can     []string `json:"can"`
		Cannot  []string `json:"cannot"`
	} `json:"permissions"`
}

type report struct {
	Findings []struct {
		ID      string `json:"id"`
		Message string `json:"message"`
		Subject struct {
			Line int `json:"line"`
		} `json:"subject"`
	} `json:"findings"`
	Result result `json:"result"`
}

func rolesJSON(t *testing.T, stdin string, args ...string) report {
	t.Helper()
	out, errOut, code := run(t, stdin, append([]string{"roles", "-o", "json", "--no-env", "--fail-on", "never"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return r
}

func (r report) has(id string) bool {
	for _, f := range r.Findings {
		if f.ID == id {
			return true
		}
	}
	return false
}

func lintFile(t *testing.T, name string) string {
	return filepath.Join(repoRoot(t), "testdata", "lint", name)
}

// The founding incident: the ID token carries roles ["airflow_nonprod_op"].
// The config maps it to Op (spec §3.2); the file does not parse, has no
// token_key and no openid scope, so every login fails first (spec §1.3,
// §2.4) — the dry-run says so and shows Op, and what Op may do, for when
// those are fixed.
func TestRoles_FoundingIncident(t *testing.T) {
	cfg := filepath.Join(repoRoot(t), "testdata", "configs", "incident-azure-unclosed-bracket.py")
	tok := mint(t, entraClaims(map[string]any{"roles": []string{"airflow_nonprod_op"}}))
	r := rolesJSON(t, "", "--config", cfg, tok).Result
	if r.Flavor != "airflow-2.2" || r.Provider != "azure" || r.Branch != "azure" {
		t.Fatalf("%s %s %s", r.Flavor, r.Provider, r.Branch)
	}
	if r.Outcome != "refused" || !r.RolesIfFixed {
		t.Fatalf("outcome %s, rolesIfFixed %v", r.Outcome, r.RolesIfFixed)
	}
	checks := map[string]string{}
	for _, b := range r.Blockers {
		checks[b.Check] = b.Log
	}
	if _, ok := checks["CFG001"]; !ok {
		t.Errorf("the syntax error is not a blocker: %v", checks)
	}
	if !strings.Contains(checks["CFG005"], "'oauth_token'") || !strings.Contains(checks["CFG014"], "'id_token'") {
		t.Errorf("blockers %v", checks)
	}
	// Registration is on with role Viewer: Op from the mapping plus Viewer.
	if strings.Join(r.Roles, ",") != "Op,Viewer" {
		t.Errorf("roles %v", r.Roles)
	}
	if len(r.Matched) != 1 || r.Matched[0].Key != "airflow_nonprod_op" || r.Matched[0].Kind != "exact" {
		t.Errorf("matched %+v", r.Matched)
	}
	// §2.4 vendored: email = upn, username = oid.
	if r.Userinfo["email"] != "grace@nonprod.example.com" || r.Userinfo["username"] != "3f1a8c2e-7b4d-4e6f-9a0b-1c2d3e4f5a6b" {
		t.Errorf("userinfo %v", r.Userinfo)
	}
	var op *struct {
		Role    string   `json:"role"`
		Summary string   `json:"summary"`
		Can     []string `json:"can"`
		Cannot  []string `json:"cannot"`
	}
	for i := range r.Permissions {
		if r.Permissions[i].Role == "Op" {
			op = &r.Permissions[i]
		}
	}
	if op == nil {
		t.Fatalf("no Op permissions: %+v", r.Permissions)
	}
	// §4.1/§4.2: Op = Viewer + User + Op permissions.
	for _, want := range []string{"trigger DAG runs", "manage connections", "manage variables", "manage pools"} {
		if !strings.Contains(strings.Join(op.Can, "; "), want) {
			t.Errorf("Op can %v, want %q", op.Can, want)
		}
	}
	if !strings.Contains(strings.Join(op.Cannot, "; "), "manage users' roles and passwords") {
		t.Errorf("Op cannot %v", op.Cannot)
	}

	// The text form says it for people.
	out, _, code := run(t, "", "roles", "--no-env", "--config", cfg, tok)
	if code != 1 {
		t.Errorf("exit %d, want 1 (refused is an error finding)", code)
	}
	for _, want := range []string{"REFUSED", "Error returning OAuth user info: 'oauth_token'", "once fixed, this user would get: Op, Viewer",
		"Op: read DAGs", "trigger DAG runs", "Viewer:", "cannot trigger DAG runs", "line 5 imports airflow.www.fab_security.manager"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, strings.Split(tok, ".")[2]) {
		t.Error("the token's signature is printed")
	}
}

// A good config: granted, with the permissions grouped for people.
func TestRoles_GrantedFromStdin(t *testing.T) {
	tok := mint(t, entraClaims(map[string]any{
		"iss": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0", "tid": "9188040d-6c67-4c5b-b112-36a304b66dad",
		"roles": []string{"airflow_prod_viewer"}}))
	r := rolesJSON(t, tok+"\n", "--config", lintFile(t, "good-airflow3-azure.py"), "--flavor", "airflow3", "-")
	if r.Result.Outcome != "granted" || strings.Join(r.Result.Roles, ",") != "Viewer" {
		t.Fatalf("%s %v %+v", r.Result.Outcome, r.Result.Roles, r.Result.Refusal)
	}
	if !strings.Contains(r.Result.Permissions[0].Summary, "cannot trigger DAG runs") {
		t.Errorf("Viewer: %s", r.Result.Permissions[0].Summary)
	}
	// §8.2: a token of another tenant is refused by the newest provider.
	other := mint(t, entraClaims(map[string]any{"roles": []string{"airflow_prod_viewer"}}))
	r = rolesJSON(t, "", "--config", lintFile(t, "good-airflow3-azure.py"), "--flavor", "airflow3", other)
	if r.Result.Outcome != "refused" || !strings.Contains(r.Result.Refusal.Log, "invalid_claim: Invalid claim 'iss'") {
		t.Fatalf("%s %+v", r.Result.Outcome, r.Result.Refusal)
	}
}

// A near miss in case: no role, 403 (ROL004, ROL003).
func TestRoles_NearMissAndNoAccess(t *testing.T) {
	tok := mint(t, entraClaims(map[string]any{
		"iss":   "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0",
		"roles": []string{"Airflow_Prod_Op"}}))
	r := rolesJSON(t, "", "--config", lintFile(t, "ROL003-fires.py"), "--flavor", "airflow3", "--provider", "github", "--claims", writeJSON(t, map[string]any{"login": "octocat"}))
	_ = tok
	if r.Result.Outcome != "no-access" || !r.has("ROL003") {
		t.Fatalf("github without registration role: %s", r.Result.Outcome)
	}
	r = rolesJSON(t, "", "--config", lintFile(t, "CFG006-clean.py"), "--flavor", "airflow3", "--role-key", "Airflow_Prod_Op")
	if len(r.Result.Matched) != 1 || r.Result.Matched[0].Kind != "case" || !r.has("ROL004") {
		t.Fatalf("matched %+v", r.Result.Matched)
	}
	if strings.Join(r.Result.Roles, ",") != "Viewer" {
		t.Errorf("the registration role still applies: %v", r.Result.Roles)
	}
}

func writeJSON(t *testing.T, v any) string {
	t.Helper()
	b, _ := json.Marshal(v)
	p := filepath.Join(t.TempDir(), "claims.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return "@" + p
}

// An existing user with sync on loses roles granted by hand.
func TestRoles_ExistingUserSync(t *testing.T) {
	r := rolesJSON(t, "", "--config", lintFile(t, "good-airflow3-azure.py"), "--flavor", "airflow3",
		"--role-key", "airflow_prod_op", "--existing-user", "Admin")
	if strings.Join(r.Result.Roles, ",") != "Op,Viewer" {
		t.Fatalf("roles %v", r.Result.Roles)
	}
}

func TestCheck_ROL008_Fires_OverageMarker(t *testing.T) {
	tok := mint(t, entraClaims(map[string]any{
		"iss":          "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0",
		"_claim_names": map[string]any{"groups": "src1"},
		"_claim_sources": map[string]any{"src1": map[string]any{
			"endpoint": "https://graph.microsoft.com/v1.0/users/3f1a8c2e/getMemberObjects"}}}))
	r := rolesJSON(t, "", "--config", lintFile(t, "good-airflow3-azure.py"), "--flavor", "airflow3", tok)
	if !r.has("ROL008") {
		t.Fatalf("no ROL008: %+v", r.Findings)
	}
}

func TestCheck_ROL008_Clean_GroupsInToken(t *testing.T) {
	tok := mint(t, entraClaims(map[string]any{
		"iss":    "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0",
		"groups": []string{"4f0c1e3a-8b1d-4c55-9a40-0d3c2f9e7a11"}, "roles": []string{"airflow_prod_admin"}}))
	r := rolesJSON(t, "", "--config", lintFile(t, "good-airflow3-azure.py"), "--flavor", "airflow3", tok)
	if r.has("ROL008") {
		t.Fatal("ROL008 fired")
	}
	if r.Result.Outcome != "granted" || strings.Join(r.Result.Roles, ",") != "Admin,Viewer" {
		t.Fatalf("%s %v", r.Result.Outcome, r.Result.Roles)
	}
}

// Usage errors: exit 2 with a message naming the problem.
func TestRoles_UsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"roles", "--role-key", "x"}, `"config" not set`},
		{[]string{"roles", "--config", lintFile(t, "good-airflow3-azure.py"), "not-a-token"}, "cannot be decoded"},
		{[]string{"roles", "--config", lintFile(t, "good-airflow3-azure.py"), "--provider", "Azure", "--role-key", "x"}, "case-sensitive"},
		{[]string{"roles", "--config", lintFile(t, "good-airflow3-azure.py"), "--claims", "@" + lintFile(t, "good-airflow3-azure.py")}, "not a JSON object"},
	}
	for _, c := range cases {
		_, errOut, code := run(t, "", c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q (want 2 and %q)", c.args, code, errOut, c.want)
		}
	}
	// A missing config file is a job error.
	_, errOut, code := run(t, "", "roles", "--config", "no-such.py", "--role-key", "x")
	if code != 3 || !strings.Contains(errOut, "no-such.py") {
		t.Errorf("exit %d %q", code, errOut)
	}
}
