package usercode_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/usercode"
	"github.com/golang-jwt/jwt/v5"
)

// testNow is the instant of the dry-runs (tokens are valid then).
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// signHS signs claims with a secret made for the test (never a real one).
func signHS(t *testing.T, claims map[string]any, secret string) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims(claims)).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// loadFiles writes files into a temporary directory and loads config.py
// (or the file named main) as authdoctor's commands do.
func loadFiles(t *testing.T, flavor string, files map[string]string) *config.File {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	main := "webserver_config.py"
	if _, ok := files["superset_config.py"]; ok {
		main = "superset_config.py"
	}
	f, err := config.Load(filepath.Join(dir, main), config.LoadOptions{NoEnv: true, Flavor: flavor})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// dryRun runs authdoctor's dry-run of one login with the user's code.
func dryRun(t *testing.T, f *config.File, provider string, resp map[string]any, userinfo map[string]any) *fab.Result {
	t.Helper()
	rb, _ := json.Marshal(resp)
	in := usercode.Login{Config: f.Config, Response: rb, Now: testNow}
	if userinfo != nil {
		in.UserInfo, _ = json.Marshal(userinfo)
		in.UserInfoFrom = "--userinfo"
	}
	claims := map[string]any{}
	if idt, ok := resp["id_token"].(string); ok {
		tok, _, err := jwt.NewParser().ParseUnverified(idt, jwt.MapClaims{})
		if err == nil {
			claims = tok.Claims.(jwt.MapClaims)
		}
	}
	sim := fab.SimInput{Provider: provider, Claims: claims, ClaimsSource: "test", SyntaxErrors: f.SyntaxErrors}
	if ev := f.Code.Evaluator(in); ev != nil {
		sim.UserCode = ev
	}
	res, err := fab.Simulate(f.Config, f.Profile, sim)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

const seedConfig = `import jwt
from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Public"
AUTH_ROLES_MAPPING = {"b5a6c7d8-0000-4000-8000-000000000001": ["Admin"], "analysts": ["Viewer"]}
OAUTH_PROVIDERS = [{
    "name": "azure", "icon": "fa-windows", "token_key": "access_token",
    "remote_app": {
        "client_id": "11111111-2222-3333-4444-555555555555",
        "api_base_url": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/oauth2",
        "server_metadata_url": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0/.well-known/openid-configuration",
        "client_kwargs": {"scope": "openid email profile"},
    },
}]

class AzureCustomSecurity(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        if provider == "azure":
            me = jwt.decode(resp["id_token"], options={"verify_signature": False})
            return {"username": me["preferred_username"], "email": me.get("email", ""),
                    "role_keys": me.get("groups", [])}
        return super().get_oauth_user_info(provider, resp)

SECURITY_MANAGER_CLASS = AzureCustomSecurity
`

func entraToken(t *testing.T) string {
	return signHS(t, map[string]any{"aud": "11111111-2222-3333-4444-555555555555", "iss": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0",
		"oid": "0a1b2c3d-0000-4000-8000-00000000000a", "preferred_username": "ada@example.org", "tid": "9188040d-6c67-4c5b-b112-36a304b66dad",
		"groups": []any{"b5a6c7d8-0000-4000-8000-000000000001"}, "roles": []any{"Reader"}, "exp": testNow.Add(time.Hour).Unix()}, "test-secret-for-the-seed")
}

// The seed pattern: the token's groups are mapped, not the roles
// claim the built-in azure branch reads.
func TestEvaluate_SeedPatternMapsGroups(t *testing.T) {
	f := loadFiles(t, "airflow3", map[string]string{"webserver_config.py": seedConfig})
	idt := entraToken(t)
	res := dryRun(t, f, "azure", map[string]any{"access_token": idt, "id_token": idt, "token_type": "Bearer"}, nil)
	if res.Outcome != fab.Granted || strings.Join(res.Roles, ",") != "Admin,Public" {
		t.Fatalf("outcome %s roles %v refusal %+v unknown %+v notes %v", res.Outcome, res.Roles, res.Refusal, res.Unknown, res.Notes)
	}
	src := res.UserInfoSource
	if src == nil || src.Kind != fab.SourceCustom || src.Name != "AzureCustomSecurity.get_oauth_user_info" || src.Line != 20 {
		t.Errorf("userinfo_source %+v", src)
	}
	if u, _ := res.UserInfo.Get("username"); u != "ada@example.org" {
		t.Errorf("userinfo %v", fab.Repr(res.UserInfo))
	}
}

// PyJWT 1's verify=False does not turn verification off in PyJWT 2: no
// algorithms → DecodeError, at the decode's line.
func TestEvaluate_PyJWT1VerifyFalseRefused(t *testing.T) {
	src := strings.Replace(seedConfig, `options={"verify_signature": False}`, `verify=False`, 1)
	f := loadFiles(t, "airflow3", map[string]string{"webserver_config.py": src})
	idt := entraToken(t)
	res := dryRun(t, f, "azure", map[string]any{"access_token": idt, "id_token": idt}, nil)
	want := `jwt.exceptions.DecodeError: It is required that you pass in a value for the "algorithms" argument when calling decode().`
	if res.Outcome != fab.Refused || res.Exception == nil || res.Exception.Text != want || res.Exception.Line != 22 {
		t.Fatalf("outcome %s exception %+v", res.Outcome, res.Exception)
	}
	if res.Refusal.Log != fab.LogUserInfo+`It is required that you pass in a value for the "algorithms" argument when calling decode().` || res.Refusal.Message != fab.MsgInvalidLogin {
		t.Errorf("refusal %+v", res.Refusal)
	}
}

const supersetUserinfo = `from superset.security import SupersetSecurityManager
from flask_appbuilder.security.manager import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Gamma"
AUTH_ROLES_MAPPING = {"superset_admins": ["Admin"]}
OAUTH_PROVIDERS = [{
    "name": "keycloak", "token_key": "access_token",
    "remote_app": {
        "client_id": "superset",
        "api_base_url": "https://sso.example.org/realms/corp/protocol/",
        "server_metadata_url": "https://sso.example.org/realms/corp/.well-known/openid-configuration",
        "client_kwargs": {"scope": "openid email profile"},
    },
}]

class CustomSsoSecurityManager(SupersetSecurityManager):
    def oauth_user_info(self, provider, response=None):
        me = self.appbuilder.sm.oauth_remotes[provider].get("openid-connect/userinfo").json()
        return {"username": me["preferred_username"], "email": me.get("email"),
                "role_keys": me.get("roles", [])}

CUSTOM_SECURITY_MANAGER = CustomSsoSecurityManager
`

// Superset's user-info API call: unknown (naming the line) without
// --userinfo; the right roles with it.
func TestEvaluate_UserinfoAPI(t *testing.T) {
	f := loadFiles(t, "superset", map[string]string{"superset_config.py": supersetUserinfo})
	at := signHS(t, map[string]any{"sub": "u1", "exp": testNow.Add(time.Hour).Unix()}, "test-secret")
	resp := map[string]any{"access_token": at, "token_type": "Bearer"}
	res := dryRun(t, f, "keycloak", resp, nil)
	if res.Outcome != fab.Unknowable || res.Unknown == nil || res.Unknown.Line != 20 || res.Unknown.Supply != "--userinfo @FILE" {
		t.Fatalf("outcome %s unknown %+v", res.Outcome, res.Unknown)
	}
	res = dryRun(t, f, "keycloak", resp, map[string]any{"sub": "u1", "preferred_username": "ada", "roles": []any{"superset_admins"}})
	if res.Outcome != fab.Granted || strings.Join(res.Roles, ",") != "Admin,Gamma" {
		t.Fatalf("outcome %s roles %v unknown %+v refusal %+v", res.Outcome, res.Roles, res.Unknown, res.Refusal)
	}
}
