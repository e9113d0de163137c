package fab

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestBranchesPerFABRelease runs each provider branch as modelled for a
// Flask-AppBuilder release and compares with what get_oauth_user_info of
// that tag returns for the same data. Expectations were read at the tag
// in dpgaspar/Flask-AppBuilder flask_appbuilder/security/manager.py
// (get_oauth_user_info; "want" is the dict it returns, in its key order;
// exc/msg the exception it raises and str() of it, which FAB logs after
// "Error returning OAuth user info: "):
//
//   - v3.0.0: azure reads name, upn, given_name, family_name, oid with
//     [...] (returns name, email, first/last, id, username); no openshift,
//     okta, keycloak branch: any other name falls to `else: return {}`.
//   - v3.1.0: openshift "openshift_" + data.get("metadata").get("name").
//   - v3.2.0/v3.2.1: okta logs `me.data`, an attribute authlib's
//     requests.Response lacks (AttributeError); v3.2.2 reads me.json().
//   - v3.2.3: azure name/given_name/family_name with .get(…, "").
//   - v3.4.1/v3.4.2: azure "role_keys": data.get("roles", []) with data
//     unassigned in that branch (UnboundLocalError, after the dict's
//     earlier entries: a missing upn is still the KeyError seen first).
//   - v3.4.3: "role_keys": me.get("roles", []).
//   - v4.1.0: keycloak/keycloak_before_17, no role_keys; v4.5.0 adds
//     "role_keys": data.get("groups", []) and okta's `"error" in data`.
//   - v4.3.8: azure "email": me["email"], no name/id; unknown names
//     raise OAuthProviderUnknown. v4.3.10: me["upn"] if "upn" in me else
//     me["email"].
//   - v4.3.11: okta f"{provider}_{data['sub']}" and data["email"]; auth0.
//   - v4.4.0: authentik (email = preferred_username, username = nickname).
//   - v5.2.2: unchanged from v4.5.0.
//
// The API-calling branches (github, google, okta, keycloak, auth0,
// openshift) are given the API's JSON as data.
func TestBranchesPerFABRelease(t *testing.T) {
	for _, c := range []struct {
		tag, name string
		data      map[string]any
		want      string
		exc, msg  string
	}{
		{tag: "v3.0.0", name: "azure", data: map[string]any{"name": "A B", "upn": "a@corp.example", "given_name": "A", "family_name": "B", "oid": "o-1"}, want: `{"name":"A B","email":"a@corp.example","first_name":"A","last_name":"B","id":"o-1","username":"o-1"}`},
		{tag: "v3.0.0", name: "azure", data: map[string]any{"upn": "a@corp.example", "oid": "o-1", "roles": []any{"Admin"}}, exc: "KeyError", msg: "'name'"},
		{tag: "v3.2.2", name: "azure", data: map[string]any{"name": "A B", "upn": "a@corp.example", "family_name": "B", "oid": "o-1"}, exc: "KeyError", msg: "'given_name'"},
		{tag: "v3.2.3", name: "azure", data: map[string]any{"upn": "a@corp.example", "oid": "o-1", "roles": []any{"Admin"}}, want: `{"name":"","email":"a@corp.example","first_name":"","last_name":"","id":"o-1","username":"o-1"}`},
		{tag: "v3.4.0", name: "azure", data: map[string]any{"upn": "a@corp.example", "oid": "o-1", "roles": []any{"Admin"}}, want: `{"name":"","email":"a@corp.example","first_name":"","last_name":"","id":"o-1","username":"o-1"}`},
		{tag: "v3.4.1", name: "azure", data: map[string]any{"upn": "a@corp.example", "oid": "o-1", "roles": []any{"Admin"}}, exc: "UnboundLocalError", msg: "cannot access local variable 'data' where it is not associated with a value"},
		{tag: "v3.4.2", name: "azure", data: map[string]any{"oid": "o-1", "roles": []any{"Admin"}}, exc: "KeyError", msg: "'upn'"},
		{tag: "v3.4.3", name: "azure", data: map[string]any{"upn": "a@corp.example", "oid": "o-1", "roles": []any{"Admin"}}, want: `{"name":"","email":"a@corp.example","first_name":"","last_name":"","id":"o-1","username":"o-1","role_keys":["Admin"]}`},
		{tag: "v4.3.7", name: "azure", data: map[string]any{"email": "a@corp.example", "oid": "o-1"}, exc: "KeyError", msg: "'upn'"},
		{tag: "v4.3.8", name: "azure", data: map[string]any{"upn": "a@corp.example", "oid": "o-1", "roles": []any{"Admin"}}, exc: "KeyError", msg: "'email'"},
		{tag: "v4.3.9", name: "azure", data: map[string]any{"email": "e@corp.example", "upn": "a@corp.example", "oid": "o-1"}, want: `{"email":"e@corp.example","first_name":"","last_name":"","username":"o-1","role_keys":[]}`},
		{tag: "v4.3.10", name: "azure", data: map[string]any{"email": "e@corp.example", "upn": "a@corp.example", "oid": "o-1", "roles": []any{"Op"}}, want: `{"email":"a@corp.example","first_name":"","last_name":"","username":"o-1","role_keys":["Op"]}`},
		{tag: "v5.2.2", name: "azure", data: map[string]any{"email": "e@corp.example", "oid": "o-1"}, want: `{"email":"e@corp.example","first_name":"","last_name":"","username":"o-1","role_keys":[]}`},
		{tag: "v5.2.2", name: "azure", data: map[string]any{"upn": "a@corp.example"}, exc: "KeyError", msg: "'oid'"},
		{tag: "v3.1.1", name: "okta", data: map[string]any{"sub": "00u1", "email": "a@corp.example", "groups": []any{"g"}}, want: `{}`},
		{tag: "v3.2.0", name: "okta", data: map[string]any{"sub": "00u1", "email": "a@corp.example", "groups": []any{"g"}}, exc: "AttributeError", msg: "'Response' object has no attribute 'data'"},
		{tag: "v3.2.1", name: "okta", data: map[string]any{"sub": "00u1", "email": "a@corp.example", "groups": []any{"g"}}, exc: "AttributeError", msg: "'Response' object has no attribute 'data'"},
		{tag: "v3.2.2", name: "okta", data: map[string]any{"sub": "00u1", "groups": []any{"g"}}, want: `{"username":"okta_00u1","first_name":"","last_name":"","email":"","role_keys":["g"]}`},
		{tag: "v4.3.10", name: "okta", data: map[string]any{"groups": []any{"g"}}, want: `{"username":"okta_","first_name":"","last_name":"","email":"","role_keys":["g"]}`},
		{tag: "v4.3.11", name: "okta", data: map[string]any{"sub": "00u1", "groups": []any{"g"}}, exc: "KeyError", msg: "'email'"},
		{tag: "v4.4.1", name: "okta", data: map[string]any{"error": "invalid_token", "error_description": "expired"}, exc: "KeyError", msg: "'sub'"},
		{tag: "v4.5.0", name: "okta", data: map[string]any{"error": "invalid_token", "error_description": "expired"}, want: `{}`},
		{tag: "v4.5.0", name: "okta", data: map[string]any{"sub": "00u1", "email": "a@corp.example", "given_name": "A", "groups": []any{"g"}}, want: `{"username":"okta_00u1","first_name":"A","last_name":"","email":"a@corp.example","role_keys":["g"]}`},
		{tag: "v4.0.0", name: "keycloak", data: map[string]any{"preferred_username": "alice", "groups": []any{"g"}}, want: `{}`},
		{tag: "v4.1.0", name: "keycloak", data: map[string]any{"preferred_username": "alice", "email": "a@x", "groups": []any{"g"}}, want: `{"username":"alice","first_name":"","last_name":"","email":"a@x"}`},
		{tag: "v4.4.1", name: "keycloak_before_17", data: map[string]any{"preferred_username": "alice", "groups": []any{"g"}}, want: `{"username":"alice","first_name":"","last_name":"","email":""}`},
		{tag: "v4.5.0", name: "keycloak", data: map[string]any{"preferred_username": "alice", "groups": []any{"g"}}, want: `{"username":"alice","first_name":"","last_name":"","email":"","role_keys":["g"]}`},
		{tag: "v4.3.10", name: "auth0", data: map[string]any{"sub": "auth0|1", "email": "a@x"}, exc: "OAuthProviderUnknown", msg: ""},
		{tag: "v4.3.11", name: "auth0", data: map[string]any{"sub": "auth0|1", "email": "a@x", "groups": []any{"g"}}, want: `{"username":"auth0_auth0|1","first_name":"","last_name":"","email":"a@x","role_keys":["g"]}`},
		{tag: "v4.3.11", name: "auth0", data: map[string]any{"sub": "auth0|1"}, exc: "KeyError", msg: "'email'"},
		{tag: "v4.3.11", name: "authentik", data: map[string]any{"nickname": "al", "preferred_username": "a@x"}, exc: "OAuthProviderUnknown", msg: ""},
		{tag: "v4.4.0", name: "authentik", data: map[string]any{"nickname": "al", "preferred_username": "a@x", "given_name": "A", "groups": []any{"g"}}, want: `{"email":"a@x","first_name":"A","username":"al","role_keys":["g"]}`},
		{tag: "v4.4.0", name: "authentik", data: map[string]any{"preferred_username": "a@x"}, exc: "KeyError", msg: "'nickname'"},
		{tag: "v3.0.1", name: "openshift", data: map[string]any{"metadata": map[string]any{"name": "al"}}, want: `{}`},
		{tag: "v3.1.0", name: "openshift", data: map[string]any{"metadata": map[string]any{"name": "al"}}, want: `{"username":"openshift_al"}`},
		{tag: "v3.0.0", name: "github", data: map[string]any{"login": "octo"}, want: `{"username":"github_octo"}`},
		{tag: "v5.2.2", name: "github", data: map[string]any{"id": json.Number("1")}, exc: "TypeError", msg: "can only concatenate str (not \"NoneType\") to str"},
		{tag: "v3.0.0", name: "google", data: map[string]any{"sub": "1", "email": "a@x"}, want: `{"username":"google_","first_name":"","last_name":"","email":"a@x"}`},
		{tag: "v4.3.7", name: "entra", data: map[string]any{"sub": "1"}, want: `{}`},
		{tag: "v4.3.8", name: "entra", data: map[string]any{"sub": "1"}, exc: "OAuthProviderUnknown", msg: ""},
	} {
		p, err := NewProfile(FAB, ProfileOptions{FABVersion: strings.TrimPrefix(c.tag, "v")})
		if err != nil {
			t.Fatalf("%s: %v", c.tag, err)
		}
		m := MapUserInfo(p, MapInput{Name: c.name, Data: c.data})
		where := c.tag + " " + c.name
		if c.exc != "" {
			if m.Refusal == nil || m.UserInfo != nil {
				t.Errorf("%s: got %s, want %s", where, jsonOf(m.UserInfo), c.exc)
				continue
			}
			want := LogUserInfo + c.msg
			if c.exc == "OAuthProviderUnknown" {
				// str(OAuthProviderUnknown()) is empty: the log names the class.
				want = LogUserInfo + "(OAuthProviderUnknown, an empty message)"
			}
			if m.Refusal.Log != want {
				t.Errorf("%s: log %q, want %q", where, m.Refusal.Log, want)
			}
			continue
		}
		if m.Refusal != nil || m.UserInfo == nil {
			t.Errorf("%s: refused (%+v), want %s", where, m.Refusal, c.want)
			continue
		}
		if got := jsonOf(m.UserInfo); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", where, got, c.want)
		}
	}
}

func jsonOf(d *Dict) string {
	if d == nil {
		return "null"
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// TestLoginPerFABRelease: what the rest of the login does differently
// per release. Expectations read at the tags cited
// (dpgaspar/Flask-AppBuilder):
//   - v3.1.1:flask_appbuilder/security/manager.py auth_user_oauth: no
//     AUTH_ROLES_MAPPING, no sync; a new user is add_user(…,
//     role=self.find_role(role_name)); sqla/manager.py add_user appends
//     that role (None when missing), which fails → "Error creating a new
//     OAuth user %s" and None.
//   - v3.2.0:…/manager.py _oauth_calculate_user_roles applies the mapping.
//   - v3.3.2:…/views.py oauth_authorized: re.search(e, userinfo["email"])
//     outside the try (KeyError for branches without email); v3.3.3
//     guards with `"email" in userinfo`.
//   - setup.py v4.1.0 pins Authlib < 1.0 (no automatic id_token parsing,
//     so no `Missing "jwks_uri"`); v4.2.0 allows authlib 1.x.
func TestLoginPerFABRelease(t *testing.T) {
	okta := func(kv ...any) *Config {
		return oauthConf(prov("okta", oidcRemote("api_base_url", "https://corp.okta.com/oauth2/v1/")), kv...)
	}
	// okta with URLs only: openid without server_metadata_url or jwks_uri.
	oktaURLs := func(kv ...any) *Config {
		return oauthConf(prov("okta", D("client_id", "app-id", "client_secret", "s3cret",
			"api_base_url", "https://corp.okta.com/oauth2/v1/",
			"access_token_url", "https://corp.okta.com/oauth2/v1/token", "authorize_url", "https://corp.okta.com/oauth2/v1/authorize",
			"client_kwargs", D("scope", "openid email profile groups"))), kv...)
	}
	mapped := []any{"AUTH_ROLES_MAPPING", D("admins", L("Admin")), "AUTH_USER_REGISTRATION_ROLE", "Viewer"}
	oktaUser := map[string]any{"sub": "00u1", "email": "a@corp.example", "groups": L("admins")}
	cases := []struct {
		fab string
		simCase
	}{
		{"3.1.1", simCase{name: "no mapping before 3.2.0: only the registration role", cfg: oauthConf(prov("azure", azureRemote()), mapped...),
			claims: azureClaims("name", "Ada L", "roles", L("admins")), outcome: Granted, roles: []string{"Viewer"}, note: "AUTH_ROLES_MAPPING is not read"}},
		{"3.2.0", simCase{name: "3.2.0 maps (but azure yields no role_keys before 3.4.1)", cfg: oauthConf(prov("azure", azureRemote()), mapped...),
			claims: azureClaims("name", "Ada L", "roles", L("admins")), outcome: Granted, roles: []string{"Viewer"}, noKey: []string{"role_keys"}}},
		{"3.2.2", simCase{name: "okta group maps from 3.2.2", cfg: okta(mapped...), claims: oktaUser, outcome: Granted, roles: []string{"Admin", "Viewer"}}},
		{"3.2.1", simCase{name: "okta me.data", cfg: okta(mapped...), claims: oktaUser, outcome: Refused,
			log: "'Response' object has no attribute 'data'", message: MsgInvalidLogin, issues: []string{"ROL006"}}},
		{"3.1.1", simCase{name: "missing registration role fails add_user", cfg: okta("AUTH_USER_REGISTRATION_ROLE", "Nope"), claims: map[string]any{"sub": "1"},
			provider: "okta", opts: ProfileOptions{}, outcome: Refused, branch: "none", log: "User info does not have username or email"}},
		{"3.1.1", simCase{name: "3.1.1: azure with a missing registration role", cfg: oauthConf(prov("azure", azureRemote()), "AUTH_USER_REGISTRATION_ROLE", "Nope"),
			claims: azureClaims("name", "Ada L"), extra: []string{"Admin", "Viewer"}, outcome: Refused, log: "Error creating a new OAuth user"}},
		{"3.3.2", simCase{name: "whitelist without email: KeyError outside the try", cfg: oauthConf(prov("github", oidcRemote("api_base_url", "https://api.github.com/"), "whitelist", L("@corp\\.example$"))),
			claims: map[string]any{"login": "octo"}, outcome: Refused, log: "KeyError: 'email'", reason: "unguarded"}},
		{"3.3.3", simCase{name: "whitelist without email from 3.3.3: not authorized", cfg: oauthConf(prov("github", oidcRemote("api_base_url", "https://api.github.com/"), "whitelist", L("@corp\\.example$"))),
			claims: map[string]any{"login": "octo"}, outcome: Refused, message: MsgNotAuthorized}},
		{"4.1.0", simCase{name: "openid without jwks_uri is harmless with authlib < 1.0", cfg: oktaURLs("AUTH_USER_REGISTRATION_ROLE", "Viewer"),
			claims: oktaUser, outcome: Granted, noIssues: []string{"CFG004"}, note: "authlib before 1.0"}},
		{"4.2.0", simCase{name: "openid without jwks_uri with authlib 1.x", cfg: oktaURLs("AUTH_USER_REGISTRATION_ROLE", "Viewer"),
			claims: oktaUser, outcome: Refused, log: `Missing "jwks_uri"`, message: MsgDenied, ifFixed: true}},
	}
	for _, c := range cases {
		t.Run(c.fab+" "+c.name, func(t *testing.T) {
			c.opts.FABVersion = c.fab
			if c.name == "missing registration role fails add_user" {
				// okta has no branch before 3.2.0: {} has no username.
				c.opts.FABVersion = "3.1.1"
			}
			runSim(t, FAB, c.simCase)
		})
	}
}

// TestLintPerFABRelease: lint says what a release breaks for every user
// (tags as in TestBranchesPerFABRelease and TestLoginPerFABRelease).
func TestLintPerFABRelease(t *testing.T) {
	okta := oauthConf(prov("okta", oidcRemote("api_base_url", "https://corp.okta.com/oauth2/v1/")), "AUTH_ROLES_MAPPING", D("admins", L("Admin")))
	azure := oauthConf(prov("azure", azureRemote()), "AUTH_ROLES_MAPPING", D("admins", L("Admin")), "AUTH_ROLES_SYNC_AT_LOGIN", true)
	github := oauthConf(prov("github", oidcRemote("api_base_url", "https://api.github.com/"), "whitelist", L("@corp\\.example$")))
	for _, c := range []struct {
		fab      string
		cfg      *Config
		want     string // ID and a message fragment
		fragment string
	}{
		{"3.2.1", okta, "ROL006", "me.data"},
		{"3.4.1", azure, "ROL006", "never assigns"},
		{"3.1.1", azure, "ROL004", "AUTH_ROLES_MAPPING and AUTH_ROLES_SYNC_AT_LOGIN are not read"},
		{"3.0.0", azure, "ROL004", "can never apply"}, // azure yields no role_keys before 3.4.1
		{"3.3.2", github, "ROL006", "KeyError: 'email'"},
	} {
		p, err := NewProfile(FAB, ProfileOptions{FABVersion: c.fab})
		if err != nil {
			t.Fatal(err)
		}
		issues, _ := Lint(c.cfg, p, LintOptions{})
		found := false
		for _, is := range issues {
			if is.ID == c.want && strings.Contains(is.Message, c.fragment) {
				found = true
			}
		}
		if !found {
			t.Errorf("FAB %s: no %s containing %q in %+v", c.fab, c.want, c.fragment, issues)
		}
		// The release that fixed it says nothing of the kind.
		fixed, _ := NewProfile(FAB, ProfileOptions{})
		issues, _ = Lint(c.cfg, fixed, LintOptions{})
		for _, is := range issues {
			if is.ID == c.want && strings.Contains(is.Message, c.fragment) {
				t.Errorf("FAB %s: %s %q also on 5.2.2", c.fab, c.want, is.Message)
			}
		}
	}
}
