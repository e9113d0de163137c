package roles_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

func userCodeFile(t *testing.T, name string) string {
	return filepath.Join(repoRoot(t), "testdata", "usercode", name)
}

// rolesResult is the result members of a dry-run of user code.
type rolesResult struct {
	Outcome        string         `json:"outcome"`
	Roles          []string       `json:"roles"`
	Userinfo       map[string]any `json:"userinfo"`
	UserinfoSource struct {
		Kind, Name, File string
		Line             int
	} `json:"userinfo_source"`
	Exception *struct {
		Type, Text string
		Line       int
	} `json:"exception"`
	Unknown *struct {
		Reason, Call, Supply string
		Line                 int
	} `json:"unknown"`
	Notes []string `json:"notes"`
}

func rolesUserCode(t *testing.T, stdin string, args ...string) rolesResult {
	t.Helper()
	out, errOut, code := run(t, stdin, append([]string{"roles", "-o", "json", "--no-env", "--fail-on", "never"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Result rolesResult `json:"result"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return r.Result
}

func seedToken(t *testing.T) string {
	return mint(t, entraClaims(map[string]any{"preferred_username": "grace@example.com",
		"groups": []string{"5f2b7c1e-8d3a-4b6f-9e0c-1a2b3c4d5e6f"}, "roles": []string{"Reader"}}))
}

// The seed pattern: the token's groups go through
// AUTH_ROLES_MAPPING (not the roles claim of the built-in azure branch),
// and the text says in one line whose code decided.
func TestRoles_UserCodeSeedPatternMapsGroups(t *testing.T) {
	cfg := userCodeFile(t, "seed_groups.py")
	tok := seedToken(t)
	r := rolesUserCode(t, "", "--config", cfg, tok)
	if r.Outcome != "granted" || strings.Join(r.Roles, ",") != "Op,Viewer" {
		t.Fatalf("outcome %s roles %v", r.Outcome, r.Roles)
	}
	if s := r.UserinfoSource; s.Kind != "custom" || s.Name != "AzureCustomSecurity.get_oauth_user_info" || s.Line != 30 {
		t.Errorf("userinfo_source %+v", s)
	}
	if !strings.Contains(strings.Join(r.Notes, "\n"), `{"access_token": JWT, "id_token": JWT}`) {
		t.Errorf("a bare JWT's response is not said: %v", r.Notes)
	}
	out, _, _ := run(t, "", "roles", "--no-env", "--config", cfg, tok)
	if !strings.Contains(out, "user-info from AzureCustomSecurity.get_oauth_user_info, "+cfg+":30") {
		t.Errorf("text does not say whose code decided:\n%s", out)
	}
}

// PyJWT 1's verify=False: refused with PyJWT 2's DecodeError and the line.
func TestRoles_UserCodePyJWT1Refused(t *testing.T) {
	r := rolesUserCode(t, "", "--config", userCodeFile(t, "seed_pyjwt1.py"), seedToken(t))
	want := `jwt.exceptions.DecodeError: It is required that you pass in a value for the "algorithms" argument when calling decode().`
	if r.Outcome != "refused" || r.Exception == nil || r.Exception.Text != want || r.Exception.Line != 32 {
		t.Fatalf("outcome %s exception %+v", r.Outcome, r.Exception)
	}
}

// Superset's user-info API call: unknown, naming the line and --userinfo,
// without the answer; the right roles with it (file or inline JSON), and
// a token-response JSON as the token.
func TestRoles_UserCodeUserinfoAPI(t *testing.T) {
	cfg := userCodeFile(t, "superset_userinfo.py")
	at := mint(t, jwt.MapClaims{"sub": "u1", "preferred_username": "ada"})
	resp, _ := json.Marshal(map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": 300})
	dir := t.TempDir()
	respFile := filepath.Join(dir, "response.json")
	_ = os.WriteFile(respFile, resp, 0o600)
	r := rolesUserCode(t, "", "--config", cfg, "@"+respFile)
	if r.Outcome != "unknown" || r.Unknown == nil || r.Unknown.Line != 26 || r.Unknown.Supply != "--userinfo @FILE" ||
		!strings.Contains(r.Unknown.Call, `get("openid-connect/userinfo")`) {
		t.Fatalf("outcome %s unknown %+v", r.Outcome, r.Unknown)
	}
	me := `{"sub": "u1", "preferred_username": "ada", "email": "ada@example.org", "roles": ["superset_admins"]}`
	meFile := filepath.Join(dir, "me.json")
	_ = os.WriteFile(meFile, []byte(me), 0o600)
	for _, ui := range []string{"@" + meFile, me} {
		r = rolesUserCode(t, "", "--config", cfg, "@"+respFile, "--userinfo", ui)
		if r.Outcome != "granted" || strings.Join(r.Roles, ",") != "Admin,Gamma" || r.Userinfo["username"] != "ada" {
			t.Fatalf("--userinfo %s: outcome %s roles %v userinfo %v", ui, r.Outcome, r.Roles, r.Userinfo)
		}
	}
}

// --userinfo must be a JSON object (usage error); a missing file is exit 3.
func TestRoles_UserinfoFlagErrors(t *testing.T) {
	cfg := userCodeFile(t, "superset_userinfo.py")
	tok := mint(t, jwt.MapClaims{"sub": "u1"})
	_, errOut, code := run(t, "", "roles", "--no-env", "--config", cfg, tok, "--userinfo", "[1, 2]")
	if code != 2 || !strings.Contains(errOut, "--userinfo") || !strings.Contains(errOut, "not a JSON object") {
		t.Errorf("a list: exit %d %q", code, errOut)
	}
	_, errOut, code = run(t, "", "roles", "--no-env", "--config", cfg, tok, "--userinfo", "@"+filepath.Join(t.TempDir(), "none.json"))
	if code != 3 || !strings.Contains(errOut, "none.json") {
		t.Errorf("a missing file: exit %d %q", code, errOut)
	}
}
