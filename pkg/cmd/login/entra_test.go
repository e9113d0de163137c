package login

import (
	"context"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/entra"
)

// A healthy Entra setup (the tenant's v2 metadata, the user assigned the
// app role airflow_op): the rehearsal signs in through the impersonated
// tenant, the token exchange uses client_secret_basic, authlib accepts
// the ID token, the azure branch reads its roles claim, and the user gets
// Op (mapped) and Public (the registration role; spec fab.md §3.2).
func TestLogin_Entra_Healthy(t *testing.T) {
	e := startEntra(t, nil)
	r := login(t, ctxT(t), entraBrowser(t, e), nil, entraArgs(e, azureConfig(t, nil))...)
	if r.code != 0 || r.doc.Result.Verdict != "works" {
		t.Fatalf("%v\n%s", r.ids(), r)
	}
	ro := r.doc.Result.Roles
	if ro == nil || ro.Outcome != "granted" || strings.Join(ro.Roles, ",") != "Op,Public" {
		t.Fatalf("roles %+v", ro)
	}
	for _, s := range []string{"authorize redirect", "callback URL", "token exchange", "id_token parsing", "user-info", "roles"} {
		if r.step(s) != "ok" {
			t.Errorf("step %s: %s", s, r.step(s))
		}
	}
	if len(r.doc.Result.Tokens) != 0 || strings.Contains(r.stdout, "eyJ") {
		t.Error("tokens printed without --show-tokens")
	}
}

func (r *outcome) finding(id string) (msg string, evidence map[string]string) {
	for _, f := range r.doc.Findings {
		if f.ID == id {
			ev := map[string]string{}
			for _, e := range f.Evidence {
				ev[e.Key] = e.Value
			}
			return f.Message, ev
		}
	}
	return "", nil
}

// Entra's common (and organizations) metadata publishes the template
// issuer https://login.microsoftonline.com/{tenantid}/v2.0: authlib pins
// iss to it exactly, so a real, correctly signed ID token fails with
// InvalidClaimError at id_token parsing for every user (ISS003, an error
// here), and FAB shows "The request to sign in was denied.".
func TestLogin_Entra_CommonMetadataFailsEveryLogin(t *testing.T) {
	for _, authority := range []string{"common", "organizations"} {
		t.Run(authority, func(t *testing.T) {
			e := startEntra(t, nil)
			cfg := azureConfig(t, func(s string) string {
				return strings.Replace(s, tenant+"/v2.0/.well-known", authority+"/v2.0/.well-known", 1)
			})
			r := login(t, ctxT(t), entraBrowser(t, e), nil, entraArgs(e, cfg)...)
			if r.code != 1 || r.doc.Result.Verdict != "fail" || r.step("id_token parsing") != "fail" {
				t.Fatalf("%v\n%s", r.ids(), r)
			}
			msg, ev := r.finding("ISS003")
			if n := strings.Count(r.stdout, `"id": "ISS003"`) + strings.Count(r.stdout, `"id":"ISS003"`); n != 1 {
				t.Errorf("ISS003 reported %d times: the sign-in confirms the static finding", n)
			}
			if !strings.Contains(msg, "{tenantid}") || !strings.Contains(ev["the sign-in"], "authlib rejects the ID token") || ev["authlib raises"] != "InvalidClaimError: invalid_claim: Invalid claim 'iss'" ||
				ev["FAB logs"] != "Error authorizing OAuth access token: invalid_claim: Invalid claim 'iss'" || ev["the user sees"] != "The request to sign in was denied." {
				t.Errorf("ISS003 %q %v", msg, ev)
			}
			f := r.doc.Result.Failure
			if f == nil || f.Step != "id_token parsing" || f.Page != "The request to sign in was denied." {
				t.Errorf("failure %+v", f)
			}
			for _, s := range []string{"user-info", "roles"} {
				if r.step(s) != "not-checked" {
					t.Errorf("%s after the failure: %s", s, r.step(s))
				}
			}
		})
	}
}

// The v1 endpoints (authorize_url/access_token_url .../oauth2/authorize,
// as FAB's Azure example has them) win over the v2 metadata's endpoints;
// they issue a v1 ID token (iss https://sts.windows.net/<tid>/), which
// authlib compares with the v2 metadata's issuer: ISS002 at id_token
// parsing.
func TestLogin_Entra_V1TokenAgainstV2Metadata(t *testing.T) {
	e := startEntra(t, nil)
	cfg := azureConfig(t, func(s string) string {
		return strings.Replace(s, `"server_metadata_url"`, `"authorize_url": "https://login.microsoftonline.com/`+tenant+`/oauth2/authorize",
            "access_token_url": "https://login.microsoftonline.com/`+tenant+`/oauth2/token",
            "server_metadata_url"`, 1)
	})
	r := login(t, ctxT(t), entraBrowser(t, e), nil, entraArgs(e, cfg)...)
	msg, ev := r.finding("ISS002")
	if r.code != 1 || r.step("id_token parsing") != "fail" || !strings.Contains(msg, "sts.windows.net") || ev["authlib raises"] != "InvalidClaimError: invalid_claim: Invalid claim 'iss'" {
		t.Fatalf("%v %q\n%s", r.ids(), msg, r)
	}
}

// The azure branch reads app roles from the roles claim, never groups: a
// user whose token carries only groups gets no mapped role, only the
// registration role Public, and every page answers 403 (ROL003 at roles).
func TestLogin_Entra_GroupsAreNotRoles(t *testing.T) {
	e := startEntra(t, map[string]any{"oid": "6a1f0e2d-9c3b-4a85-b7d6-1e2f3a4b5c6d", "email": "dana@contoso.example",
		"groups": []string{"airflow_op", "5f1b2c3d-0000-4000-8000-000000000001"}})
	r := login(t, ctxT(t), entraBrowser(t, e), nil, entraArgs(e, azureConfig(t, nil))...)
	ro := r.doc.Result.Roles
	if ro == nil || ro.Outcome != "no-access" || strings.Join(ro.Roles, ",") != "Public" || r.doc.Result.Verdict != "fail" || r.step("roles") != "fail" || !r.has("ROL003") {
		t.Fatalf("%+v %v\n%s", ro, r.ids(), r)
	}
	if r.step("id_token parsing") != "ok" {
		t.Errorf("the token itself is fine: %s", r.step("id_token parsing"))
	}
}

// A redirect URI the app registration does not have: Entra answers the
// authorization request with its AADSTS50011 page before anyone signs in;
// the rehearsal asks first and says so (URL006 at the authorize step),
// without opening a browser.
func TestCheck_URL006_Fires_RedirectNotRegistered(t *testing.T) {
	e := startEntra(t, nil, "https://airflow.example.com/auth/oauth-authorized/azure")
	opened := false
	r := login(t, ctxT(t), func(context.Context, string) error { opened = true; return nil }, nil, entraArgs(e, azureConfig(t, nil))...)
	msg, ev := r.finding("URL006")
	if r.code != 1 || r.step("authorize redirect") != "fail" || !strings.Contains(msg, "AADSTS50011") || ev["AADSTS50011"] == "" {
		t.Fatalf("%v %q\n%s", r.ids(), msg, r)
	}
	if opened {
		t.Error("the browser was opened for a request the IdP refuses")
	}
	if r.step("callback URL") != "not-checked" {
		t.Errorf("callback: %s", r.step("callback URL"))
	}
}

// A wrong client secret: Entra's token endpoint answers 401 invalid_client
// AADSTS7000215; authlib raises OAuthError, TOK012 at the token exchange
// explains it. The secret itself never appears.
func TestCheck_TOK012_Fires_WrongSecret(t *testing.T) {
	e := startEntra(t, nil)
	args := entraArgs(e, azureConfig(t, nil))
	for i, a := range args {
		if strings.HasPrefix(a, "AZURE_CLIENT_SECRET=") {
			args[i] = "AZURE_CLIENT_SECRET=the-secret-id-not-its-value"
		}
	}
	r := login(t, ctxT(t), entraBrowser(t, e), nil, args...)
	msg, ev := r.finding("TOK012")
	if r.code != 1 || r.step("token exchange") != "fail" || !strings.Contains(msg, "invalid_client") || ev["AADSTS7000215"] == "" {
		t.Fatalf("%v %q %v\n%s", r.ids(), msg, ev, r)
	}
	if strings.Contains(r.stdout+r.stderr, "the-secret-id-not-its-value") {
		t.Error("the secret was printed")
	}
}

// An ID token whose nonce is not the one this sign-in sent (a token
// replayed from a cache): authlib's validate_nonce raises
// InvalidClaimError nonce (TOK013).
func TestCheck_TOK013_Fires_StaleNonce(t *testing.T) {
	e := entra.Start(t, entra.Options{Tenant: tenant, ClientID: client, Secret: secret, RedirectURIs: []string{"http://localhost/callback"},
		User: map[string]any{"oid": "o", "email": "dana@contoso.example", "roles": []string{"airflow_op"}}, StaleNonce: "nonce-of-yesterday"})
	r := login(t, ctxT(t), entraBrowser(t, e), nil, entraArgs(e, azureConfig(t, nil))...)
	_, ev := r.finding("TOK013")
	if r.code != 1 || r.step("id_token parsing") != "fail" || ev["authlib raises"] != "InvalidClaimError: invalid_claim: Invalid claim 'nonce'" {
		t.Fatalf("%v %v\n%s", r.ids(), ev, r)
	}
}

// The healthy sign-in raises none of the sign-in checks.
func healthyHasNone(t *testing.T, id string) {
	t.Helper()
	e := startEntra(t, nil)
	r := login(t, ctxT(t), entraBrowser(t, e), nil, entraArgs(e, azureConfig(t, nil))...)
	if r.code != 0 || r.has(id) {
		t.Fatalf("%s in a healthy sign-in: %v\n%s", id, r.ids(), r)
	}
}

func TestCheck_URL006_Clean_Healthy(t *testing.T) { healthyHasNone(t, "URL006") }
func TestCheck_URL007_Clean_Healthy(t *testing.T) { healthyHasNone(t, "URL007") }
func TestCheck_TOK012_Clean_Healthy(t *testing.T) { healthyHasNone(t, "TOK012") }
func TestCheck_TOK013_Clean_Healthy(t *testing.T) { healthyHasNone(t, "TOK013") }

// Most deployments replace FAB's user-info step with their own code
// (spec user-code.md §1): here a security manager decodes the ID token
// itself and takes the user's groups as role keys. The built-in azure
// branch would read only roles (no mapped role: the test above); the
// rehearsal runs the user's code instead, statically, on the real token
// response, and the user gets Op from the group airflow_op.
func TestLogin_Entra_CustomSecurityManagerRuns(t *testing.T) {
	e := startEntra(t, map[string]any{"oid": "6a1f0e2d-9c3b-4a85-b7d6-1e2f3a4b5c6d", "email": "dana@contoso.example",
		"preferred_username": "dana@contoso.example", "groups": []string{"airflow_op"}})
	cfg := azureConfig(t, func(s string) string {
		return strings.Replace(s, "import os\n", `import os
import jwt
from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride


class AzureCustomSecurity(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        if provider == "azure":
            me = jwt.decode(resp["id_token"], options={"verify_signature": False})
            return {"username": me["preferred_username"], "email": me.get("email", ""),
                    "role_keys": me.get("groups", [])}
        return super().get_oauth_user_info(provider, resp)


SECURITY_MANAGER_CLASS = AzureCustomSecurity
`, 1)
	})
	r := login(t, ctxT(t), entraBrowser(t, e), nil, entraArgs(e, cfg)...)
	ro := r.doc.Result.Roles
	if r.code != 0 || ro == nil || ro.Outcome != "granted" || strings.Join(ro.Roles, ",") != "Op,Public" || r.step("user-info") != "ok" {
		t.Fatalf("%+v %v\n%s", ro, r.ids(), r)
	}
	ui := r.doc.Result.UserInfo
	if ui == nil || !strings.Contains(ui.Source, "AzureCustomSecurity.get_oauth_user_info") {
		t.Errorf("the user-info step names the user's code: %+v", ui)
	}
	if r.has("ROL003") {
		t.Errorf("ROL003 comes from the built-in branch the user's code replaces: %v", r.ids())
	}
}
