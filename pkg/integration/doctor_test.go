package integration

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/golang-jwt/jwt/v5"
)

// An Entra tenant impersonated on loopback TLS (login.microsoftonline.com
// through --connect-to, the test CA through --ca-file): doctor is run, as
// the built binary, on the configs people deploy.
const (
	dTenant = "0b5c7a1e-2f3d-4c8a-9e61-5d7f3a2b1c90"
	dClient = "7e2d4c6a-1b3f-4a5e-8c9d-0f1e2d3c4b5a"
	dLogin  = "login.microsoftonline.com"
	dIss    = "https://" + dLogin + "/" + dTenant + "/v2.0"
	dMeta   = dIss + "/.well-known/openid-configuration"
	dKeys   = "https://" + dLogin + "/" + dTenant + "/discovery/v2.0/keys"
)

var dNow = time.Date(2026, 11, 20, 9, 20, 0, 0, time.UTC)

type entra struct {
	key, appKey *rsa.PrivateKey
	srv         *testkit.Server
}

var (
	entraOnce sync.Once
	entraKeys [2]*rsa.PrivateKey
)

func jwk(k *rsa.PrivateKey, kid, iss string) map[string]any {
	b := base64.RawURLEncoding.EncodeToString
	return map[string]any{"kty": "RSA", "use": "sig", "kid": kid, "issuer": iss, "n": b(k.N.Bytes()), "e": b(big.NewInt(int64(k.E)).Bytes())}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

func entraDoc(tenant, issuer string) []byte {
	base := "https://" + dLogin + "/" + tenant
	return mustJSON(map[string]any{"issuer": issuer, "jwks_uri": base + "/discovery/v2.0/keys",
		"authorization_endpoint": base + "/oauth2/v2.0/authorize", "token_endpoint": base + "/oauth2/v2.0/token",
		"userinfo_endpoint":        "https://graph.microsoft.com/oidc/userinfo",
		"response_types_supported": []string{"code", "id_token"}, "subject_types_supported": []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "scopes_supported": []string{"openid", "profile", "email"}})
}

// startEntra serves the tenant's and common's documents; extra routes
// override or add.
func startEntra(t *testing.T, extra testkit.Routes) *entra {
	t.Helper()
	entraOnce.Do(func() {
		for i := range entraKeys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			entraKeys[i] = k
		}
	})
	e := &entra{key: entraKeys[0], appKey: entraKeys[1]}
	routes := testkit.Routes{
		dLogin + "/" + dTenant + "/v2.0/.well-known/openid-configuration": testkit.JSON(entraDoc(dTenant, dIss)),
		dLogin + "/" + dTenant + "/discovery/v2.0/keys":                   testkit.JSON(mustJSON(map[string]any{"keys": []any{jwk(e.key, "k1", dIss)}})),
		dLogin + "/common/v2.0/.well-known/openid-configuration":          testkit.JSON(entraDoc("common", "https://"+dLogin+"/{tenantid}/v2.0")),
		dLogin + "/common/discovery/v2.0/keys":                            testkit.JSON(mustJSON(map[string]any{"keys": []any{jwk(e.key, "k1", "https://"+dLogin+"/{tenantid}/v2.0")}})),
	}
	for k, v := range extra {
		routes[k] = v
	}
	e.srv = testkit.StartTLS(t, []string{dLogin}, routes)
	return e
}

func (e *entra) token(t *testing.T, key *rsa.PrivateKey, kid string, mod func(jwt.MapClaims)) string {
	t.Helper()
	c := jwt.MapClaims{"iss": dIss, "aud": dClient, "tid": dTenant, "ver": "2.0", "oid": "6a1f0e2d-9c3b-4a85-b7d6-1e2f3a4b5c6d",
		"sub": "s1", "name": "Dana Ops", "email": "dana@contoso.example", "preferred_username": "dana@contoso.example",
		"upn": "dana@contoso.example", "roles": []string{"airflow_op"}, "nonce": "n",
		"iat": dNow.Add(-5 * time.Minute).Unix(), "nbf": dNow.Add(-5 * time.Minute).Unix(), "exp": dNow.Add(55 * time.Minute).Unix()}
	if mod != nil {
		mod(c)
	}
	tk := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	tk.Header["kid"] = kid
	s, err := tk.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// healthyConfig is an Airflow 3 webserver_config.py as the FAB provider
// docs recommend it for Entra.
func healthyConfig(metadata string, mod func(string) string) string {
	src := fmt.Sprintf(`import os
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Public"
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_ROLES_MAPPING = {
    "airflow_admin": ["Admin"],
    "airflow_op": ["Op"],
    "airflow_viewer": ["Viewer"],
}
OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "icon": "fa-windows",
        "token_key": "access_token",
        "remote_app": {
            "client_id": %q,
            "client_secret": os.environ.get("AZURE_CLIENT_SECRET"),
            "api_base_url": "https://login.microsoftonline.com/%s/oauth2",
            "server_metadata_url": %q,
            "client_kwargs": {"scope": "openid email profile", "verify_signature": True},
        },
    }
]
`, dClient, dTenant, metadata)
	if mod != nil {
		src = mod(src)
	}
	return src
}

func doctor(t *testing.T, e *entra, cfg string, extra ...string) *result {
	t.Helper()
	path := writeFile(t, "webserver_config.py", []byte(cfg))[1:]
	args := append([]string{"doctor", "--config", path, "-o", "json", "--now", dNow.Format(time.RFC3339),
		"--no-env", "--env", "AZURE_CLIENT_SECRET=s3cr3t-value-planted", "--timeout", "5s"}, extra...)
	if e != nil {
		args = append(args, e.srv.Args()...)
	}
	r := run(t, "", args...)
	if strings.Contains(r.stdout+r.stderr, "s3cr3t-value-planted") {
		t.Fatalf("the client secret was printed:\n%s", r)
	}
	return r
}

type doctorResult struct {
	Verdict string `json:"verdict"`
	Steps   []struct {
		N      int
		Name   string
		Status string
	} `json:"steps"`
	Roles *struct {
		Outcome string   `json:"outcome"`
		Roles   []string `json:"roles"`
	} `json:"roles"`
}

func (r *result) doctor(t *testing.T) doctorResult {
	t.Helper()
	var d doctorResult
	if err := json.Unmarshal(r.doc.Result, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func (r *result) has(id string) bool { _, ok := r.find(id); return ok }

func TestE2E_Doctor_HealthyEntraSetup(t *testing.T) {
	e := startEntra(t, nil)
	tok := e.token(t, e.key, "k1", nil)
	r := doctor(t, e, healthyConfig(dMeta, nil), "--token", tok)
	if len(r.errorIDs()) != 0 || r.code != 0 {
		t.Fatalf("a healthy setup must have no error: %v\n%s", r.errorIDs(), r)
	}
	d := r.doctor(t)
	// A new user gets the mapped role plus the registration role (spec §3.2).
	if d.Verdict != "works" || d.Roles == nil || d.Roles.Outcome != "granted" || strings.Join(d.Roles.Roles, ",") != "Op,Public" {
		t.Fatalf("verdict %+v roles %+v", d, d.Roles)
	}
	text := run(t, "", append([]string{"doctor", "--config", writeFile(t, "webserver_config.py", []byte(healthyConfig(dMeta, nil)))[1:], "--token", tok, "--now", dNow.Format(time.RFC3339), "--no-env"}, e.srv.Args()...)...)
	if !strings.HasPrefix(text.stdout, "OK sign-in with \"azure\" works; ") || !strings.Contains(strings.SplitN(text.stdout, "\n", 2)[0], "gets Op") {
		t.Errorf("the verdict line comes first and names the role:\n%s", text.stdout)
	}
}

// The founding incident, as bundled for the README (saved documents, no network).
func TestE2E_Doctor_FoundingIncident(t *testing.T) {
	root := testkit.RepoRoot(t)
	ex := filepath.Join(root, "testdata", "examples")
	r := run(t, "", "doctor", "--config", filepath.Join(ex, "incident", "webserver_config.py"), "--token", "@"+filepath.Join(ex, "azure-id-token.jwt"),
		"--offline", "--from-file", "@"+filepath.Join(ex, "incident", "saved.txt"), "--now", "2026-11-20T09:20:00Z", "--no-env", "-o", "json")
	r.wantExit(t, 1)
	for _, id := range []string{"CFG001", "CFG005", "CFG014", "ISS005", "CFG007"} {
		if !r.has(id) {
			t.Errorf("%s missing from the founding incident: %v", id, r.ids())
		}
	}
	d := r.doctor(t)
	if d.Verdict != "fail" || d.Steps[0].Status != "fail" || d.Roles == nil || !contains(d.Roles.Roles, "Op") {
		t.Fatalf("%+v", d)
	}
}

// users.md §5, the top misconfigurations a config, a token and the IdP can show.
func TestE2E_Doctor_TopMisconfigurations(t *testing.T) {
	e := startEntra(t, testkit.Routes{
		dLogin + "/" + dTenant + "/discovery/v2.0/keys?appid=" + dClient: testkit.JSON(mustJSON(map[string]any{"keys": []any{jwk(entraKeys[1], "app1", dIss)}})),
	})
	cases := []struct {
		name  string
		cfg   string
		token string
		extra []string
		want  []string
	}{
		{"#1 kid of app-specific keys", healthyConfig(dMeta, nil), e.token(t, e.appKey, "app1", nil), nil, []string{"TOK004"}},
		{"#2 common endpoint on Airflow 3", healthyConfig("https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration", func(s string) string {
			return strings.Replace(s, "/"+dTenant+"/oauth2", "/common/oauth2", 1)
		}), e.token(t, e.key, "k1", nil), nil, []string{"CFG015", "ISS003"}},
		{"#3 http callback behind a proxy", healthyConfig(dMeta, nil), "", []string{"--url", "https://airflow.example.com/auth/oauth-authorized/azure?error=invalid_request&error_description=AADSTS50011%3A+The+redirect+URI+%27http%3A%2F%2Fairflow.example.com%2Fauth%2Foauth-authorized%2Fazure%27+specified+in+the+request+does+not+match"}, []string{"URL001", "URL003"}},
		{"#4 openid without jwks_uri", healthyConfig("", func(s string) string {
			return strings.Replace(s, "            \"server_metadata_url\": \"\",\n", "", 1)
		}), "", nil, []string{"CFG004"}},
		{"#5 mapping keys never match (case)", healthyConfig(dMeta, func(s string) string { return strings.Replace(s, `"airflow_op": ["Op"]`, `"Airflow_Op": ["Op"]`, 1) }),
			e.token(t, e.key, "k1", nil), nil, []string{"ROL003"}},
		{"#8 upn missing on Airflow 2.2", healthyConfig(dMeta, func(s string) string {
			return strings.Replace(s, "from flask_appbuilder.const import AUTH_OAUTH", "from airflow.www.fab_security.manager import AUTH_OAUTH", 1)
		}), e.token(t, e.key, "k1", func(c jwt.MapClaims) { delete(c, "upn") }), nil, []string{"ROL006"}},
		{"#9 v1 token, v2 metadata", healthyConfig(dMeta, nil), e.token(t, e.key, "k1", func(c jwt.MapClaims) {
			c["iss"], c["ver"] = "https://sts.windows.net/"+dTenant+"/", "1.0"
		}), nil, []string{"ISS002"}},
		{"#12 clock skew", healthyConfig(dMeta, nil), e.token(t, e.key, "k1", func(c jwt.MapClaims) {
			c["iat"], c["nbf"] = dNow.Add(10*time.Minute).Unix(), dNow.Add(10*time.Minute).Unix()
		}), nil, []string{"TOK007"}},
		{"#15 wrong audience", healthyConfig(dMeta, nil), e.token(t, e.key, "k1", func(c jwt.MapClaims) { c["aud"] = "api://" + dClient }), nil, []string{"TOK008"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			extra := c.extra
			if c.token != "" {
				extra = append(extra, "--token", c.token)
			}
			r := doctor(t, e, c.cfg, extra...)
			for _, id := range c.want {
				if !r.has(id) {
					t.Errorf("%s missing: %v", id, r.ids())
				}
			}
			if r.code != 1 && len(r.errorIDs()) > 0 {
				t.Errorf("errors but exit %d", r.code)
			}
		})
	}
}

// Three providers whose servers answer only once all three are waiting:
// fetched one after another, the first would never be answered.
func TestE2E_Doctor_ProvidersAreFetchedConcurrently(t *testing.T) {
	var waiting atomic.Int32
	all := make(chan struct{})
	var once sync.Once
	hosts := []string{"idp1.example.com", "idp2.example.com", "idp3.example.com"}
	ca := testkit.NewCA(t, "authdoctor test root CA")
	var args []string
	var providers []string
	for i, h := range hosts {
		iss := "https://" + h
		doc := mustJSON(map[string]any{"issuer": iss, "jwks_uri": iss + "/keys", "authorization_endpoint": iss + "/auth", "token_endpoint": iss + "/token",
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"}})
		keys := mustJSON(map[string]any{"keys": []any{jwk(entraKeysFor(t), "k", "")}})
		mux := http.NewServeMux()
		mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
			if waiting.Add(1) == int32(len(hosts)) {
				once.Do(func() { close(all) })
			}
			select {
			case <-all:
			case <-time.After(10 * time.Second):
				http.Error(w, "the other providers' requests never came", http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write(doc)
		})
		mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) { w.Write(keys) })
		s := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{h}, CA: ca}, mux)
		args = append(args, "--connect-to", s.ConnectTo[0])
		if i == 0 {
			args = append(args, "--ca-file", s.CAFile)
		}
		providers = append(providers, fmt.Sprintf(`{"name": "p%d", "token_key": "access_token", "remote_app": {"client_id": "c%d", "server_metadata_url": "%s/.well-known/openid-configuration", "client_kwargs": {"scope": "openid email profile"}}}`, i, i, iss))
	}
	cfg := "from flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\nOAUTH_PROVIDERS = [" + strings.Join(providers, ",\n") + "]\n"
	start := time.Now()
	r := doctor(t, nil, cfg, args...)
	elapsed := time.Since(start)
	if r.has("DSC001") {
		t.Fatalf("a provider's document was not served: the fetches were not concurrent\n%s", r)
	}
	if int(waiting.Load()) != len(hosts) {
		t.Fatalf("%d discovery requests, want %d", waiting.Load(), len(hosts))
	}
	t.Logf("three providers behind a barrier: %s", elapsed.Round(time.Millisecond))
}

func entraKeysFor(t *testing.T) *rsa.PrivateKey {
	startEntraKeys()
	return entraKeys[0]
}

func startEntraKeys() {
	entraOnce.Do(func() {
		for i := range entraKeys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			entraKeys[i] = k
		}
	})
}

// A provider whose endpoint accepts and never answers costs at most
// --timeout (per operation; 3× for the whole fetch), and is a finding.
func TestE2E_Doctor_DeadProviderIsBounded(t *testing.T) {
	st := testkit.StartStalled(t, []string{"dead.example.com"})
	cfg := healthyConfig("https://dead.example.com/.well-known/openid-configuration", nil)
	start := time.Now()
	r := doctor(t, nil, cfg, "--connect-to", st.ConnectTo[0], "--timeout", "1s")
	elapsed := time.Since(start)
	f, ok := r.find("DSC001")
	if !ok {
		t.Fatalf("no DSC001: %v", r.ids())
	}
	t.Logf("dead provider with --timeout 1s: %s (%s)", elapsed.Round(time.Millisecond), f.Message)
	if r.has("JWK001") {
		t.Errorf("the key set depends on the failed document: it must be skipped, not reported again")
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

var _ = os.Getenv

func TestCheck_ISS005_Fires_JWKSOfAnotherTenant(t *testing.T) {
	e := startEntra(t, nil)
	// Without server_metadata_url authlib verifies with remote_app's
	// jwks_uri: here the common set, unlike the tenant's endpoints.
	cfg := healthyConfig(dMeta, func(s string) string {
		return strings.Replace(s, `"server_metadata_url": "`+dMeta+`"`, `"jwks_uri": "https://login.microsoftonline.com/common/discovery/v2.0/keys", "access_token_url": "https://login.microsoftonline.com/`+dTenant+`/oauth2/v2.0/token", "authorize_url": "https://login.microsoftonline.com/`+dTenant+`/oauth2/v2.0/authorize"`, 1)
	})
	r := doctor(t, e, cfg)
	f, ok := r.find("ISS005")
	if !ok || !strings.Contains(f.Message, "jwks_uri names tenant common") {
		t.Fatalf("%v %+v", r.ids(), f)
	}
	n := 0
	for _, x := range r.doc.Findings {
		if x.ID == "ISS005" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("one odd endpoint out is one finding, got %d", n)
	}
}

func TestCheck_ISS005_Clean_OneTenant(t *testing.T) {
	e := startEntra(t, nil)
	if r := doctor(t, e, healthyConfig(dMeta, nil)); r.has("ISS005") {
		t.Fatal(r.ids())
	}
	// With server_metadata_url, remote_app's jwks_uri is overridden by the
	// metadata's (authlib): not a disagreement, but a dead key (CFG005
	// info), whatever tenant it names.
	cfg := healthyConfig(dMeta, func(s string) string {
		return strings.Replace(s, `"server_metadata_url"`, `"jwks_uri": "https://login.microsoftonline.com/common/discovery/v2.0/keys", "server_metadata_url"`, 1)
	})
	r := doctor(t, e, cfg)
	if f, ok := r.find("CFG005"); r.has("ISS005") || !ok || !strings.Contains(f.Message, "never used") {
		t.Fatal(r.ids())
	}
}

func TestCheck_URL005_Fires_OtherClientID(t *testing.T) {
	e := startEntra(t, nil)
	u := "https://login.microsoftonline.com/" + dTenant + "/oauth2/v2.0/authorize?client_id=11111111-2222-3333-4444-555555555555&response_type=code&scope=openid&state=s&redirect_uri=https%3A%2F%2Fairflow.example.com%2Fauth%2Foauth-authorized%2Fazure"
	r := doctor(t, e, healthyConfig(dMeta, nil), "--url", u)
	if f, ok := r.find("URL005"); !ok || !strings.Contains(f.Message, "client_id") {
		t.Fatalf("%v", r.ids())
	}
}

func TestCheck_URL005_Clean_SameClient(t *testing.T) {
	e := startEntra(t, nil)
	u := "https://login.microsoftonline.com/" + dTenant + "/oauth2/v2.0/authorize?client_id=" + dClient + "&response_type=code&scope=openid+email&state=s&nonce=n&redirect_uri=https%3A%2F%2Fairflow.example.com%2Fauth%2Foauth-authorized%2Fazure"
	if r := doctor(t, e, healthyConfig(dMeta, nil), "--url", u); r.has("URL005") {
		t.Fatal(r.ids())
	}
}

// doctor -o sarif is SARIF 2.1.0 with a location on every result.
func TestE2E_Doctor_SARIF(t *testing.T) {
	root := testkit.RepoRoot(t)
	ex := filepath.Join(root, "testdata", "examples")
	r := run(t, "", "doctor", "--config", filepath.Join(ex, "incident", "webserver_config.py"), "--token", "@"+filepath.Join(ex, "azure-id-token.jwt"),
		"--offline", "--from-file", "@"+filepath.Join(ex, "incident", "saved.txt"), "--now", "2026-11-20T09:20:00Z", "--no-env", "-o", "sarif")
	r.wantExit(t, 1)
	validateSARIF(t, []byte(r.stdout))
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 || len(doc.Runs[0].Results) == 0 {
		t.Fatal("no results")
	}
	for _, res := range doc.Runs[0].Results {
		if len(res.Locations) == 0 || res.Locations[0].PhysicalLocation.Region.StartLine < 1 || !strings.HasSuffix(res.Locations[0].PhysicalLocation.ArtifactLocation.URI, "webserver_config.py") {
			t.Errorf("%s has no usable location: %+v", res.RuleID, res.Locations)
		}
	}
}

// headlineOf is the text verdict line of a doctor run.
func headlineOf(t *testing.T, e *entra, cfg string, extra ...string) string {
	t.Helper()
	path := writeFile(t, "webserver_config.py", []byte(cfg))[1:]
	args := append([]string{"doctor", "--config", path, "--now", dNow.Format(time.RFC3339), "--no-env", "--timeout", "5s"}, extra...)
	args = append(args, e.srv.Args()...)
	return strings.SplitN(run(t, "", args...).stdout, "\n", 2)[0]
}

// Issue 18: the verdict is the first step that blocks the diagnosed
// provider's login, worded as authlib and FAB behave (user-code.md §8:
// the common and organizations metadata publish the {tenantid} template
// as issuer, and authlib compares it with the id_token's iss exactly).
func TestE2E_Doctor_VerdictNamesTheBlockingStep(t *testing.T) {
	e := startEntra(t, testkit.Routes{
		dLogin + "/organizations/v2.0/.well-known/openid-configuration": testkit.JSON(entraDoc("organizations", "https://"+dLogin+"/{tenantid}/v2.0")),
		dLogin + "/organizations/discovery/v2.0/keys":                   testkit.JSON(mustJSON(map[string]any{"keys": []any{jwk(entraKeys[0], "k1", "https://"+dLogin+"/{tenantid}/v2.0")}})),
	})
	tok := e.token(t, e.key, "k1", nil)
	for _, tenant := range []string{"common", "organizations"} {
		meta := "https://" + dLogin + "/" + tenant + "/v2.0/.well-known/openid-configuration"
		got := headlineOf(t, e, healthyConfig(meta, nil), "--token", tok)
		want := `FAIL sign-in with "azure" will fail at id_token parsing: ISS003: provider "azure": server_metadata_url is the Entra ` + tenant + ` document, whose issuer is the template https://login.microsoftonline.com/{tenantid}/v2.0`
		if !strings.HasPrefix(got, want) {
			t.Errorf("%s metadata:\n got %s\nwant %s…", tenant, got, want)
		}
	}
	// Without openid there is no id_token step: nothing is placed there.
	noOpenID := healthyConfig(dMeta, func(s string) string {
		return strings.Replace(s, `"scope": "openid email profile"`, `"scope": "email profile"`, 1)
	})
	r := doctor(t, e, noOpenID)
	d := r.doctor(t)
	if d.Steps[4].Status != "not-run" {
		t.Errorf("id_token step with a scope without openid: %+v", d.Steps[4])
	}
	// A config without OAuth says so instead of "OK".
	got := headlineOf(t, e, "from flask_appbuilder.const import AUTH_DB\nAUTH_TYPE = AUTH_DB\n")
	if got != "OK no OAuth sign-in to diagnose: AUTH_TYPE is AUTH_DB, so the login page asks for a user name and password" {
		t.Errorf("AUTH_DB: %s", got)
	}
	if got := headlineOf(t, e, ""); !strings.Contains(got, "no OAuth sign-in to diagnose: AUTH_TYPE is not set") {
		t.Errorf("empty file: %s", got)
	}
	// The healthy setup without a token: works, as far as can be told.
	if got := headlineOf(t, e, healthyConfig(dMeta, nil)); !strings.HasPrefix(got, `OK sign-in with "azure" works as far as the config and the IdP's documents tell`) {
		t.Errorf("healthy, no token: %s", got)
	}
}

// Issue 18: a signature problem of a token the app never verifies does
// not stop its login (Airflow 2.2–2.8 base64-decodes the azure id_token,
// and without openid authlib parses none): TOK004 is said at info, with
// no key advice; where the app verifies (authlib with openid), it blocks.
func TestE2E_Doctor_SignatureFindingsFollowWhoVerifies(t *testing.T) {
	e := startEntra(t, nil)
	tok := e.token(t, e.appKey, "app-own-key", nil)
	noOpenID := healthyConfig(dMeta, func(s string) string {
		return strings.Replace(s, `"scope": "openid email profile"`, `"scope": "email profile"`, 1)
	})
	r := doctor(t, e, noOpenID, "--token", tok, "--flavor", "airflow-2.2")
	f, ok := r.find("TOK004")
	if !ok || f.Severity != "info" || !strings.Contains(f.Message, "does not check the token's signature") || strings.Contains(f.Fix, "appid") {
		t.Fatalf("%+v\n%s", f, r)
	}
	r = doctor(t, e, healthyConfig(dMeta, nil), "--token", tok, "--flavor", "airflow-2.2")
	if f, ok := r.find("TOK004"); !ok || f.Severity != "error" {
		t.Fatalf("authlib verifies with openid: %+v", f)
	}
}

// Issue 16 (spec/user-code.md §7): a plain Flask app's own client is the
// login doctor diagnoses - never "no OAuth sign-in" - through the IdP's
// real documents: authlib with Entra's common metadata fails every login
// at the id_token; a Flask-OAuthlib app parses no id_token, and what a
// signed-in user gets is its own code's business, not FAB's.
func TestE2E_Doctor_PlainFlaskApps(t *testing.T) {
	e := startEntra(t, nil)
	authlibApp := `from authlib.integrations.flask_client import OAuth
from flask import Flask
app = Flask(__name__)
oauth = OAuth(app)
oauth.register("entra", client_id="11111111-2222-3333-4444-555555555555", client_secret="s",
    server_metadata_url="https://` + dLogin + `/common/v2.0/.well-known/openid-configuration",
    client_kwargs={"scope": "openid email profile"})
`
	got := headlineOf(t, e, authlibApp)
	if !strings.HasPrefix(got, `FAIL sign-in with "entra" will fail at id_token parsing: ISS003`) {
		t.Errorf("authlib client with the common metadata: %s", got)
	}
	flaskOAuthlibApp := `from flask import Flask, url_for
from flask_oauthlib.client import OAuth
app = Flask(__name__)
ms = OAuth(app).remote_app("microsoft", consumer_key="11111111-2222-3333-4444-555555555555", consumer_secret="s",
    request_token_params={"scope": "User.Read"}, base_url="https://graph.microsoft.com/v1.0/",
    access_token_url="https://` + dLogin + `/` + dTenant + `/oauth2/v2.0/token",
    authorize_url="https://` + dLogin + `/` + dTenant + `/oauth2/v2.0/authorize")

@app.route("/login")
def login():
    return ms.authorize(callback=url_for("authorized", _external=True))

@app.route("/login/authorized")
def authorized():
    return ms.authorized_response()["access_token"]
`
	r := doctor(t, e, flaskOAuthlibApp)
	d := r.doctor(t)
	if d.Verdict == "no-oauth" || d.Steps[4].Status != "warn" || d.Steps[5].Status != "not-checked" || !r.has("CFG025") {
		t.Errorf("Flask-OAuthlib app: verdict %s, steps %+v, findings %v", d.Verdict, d.Steps, r.ids())
	}
}

// Issue 18 (authlib exactly): the id_token step is judged by authlib's own
// parse_id_token (pkg/authlib). It never compares aud: with azp naming the
// client it accepts an ID token whose aud is another - an audience finding
// is then not what stops the login; an azp naming another client is
// refused even with the right aud, which no audience check sees.
func TestE2E_Doctor_IDTokenStepIsAuthlibs(t *testing.T) {
	e := startEntra(t, nil)
	tok := e.token(t, e.key, "k1", func(c jwt.MapClaims) {
		c["aud"] = []string{dClient, "api://other"}
		c["azp"] = dClient
	})
	r := doctor(t, e, healthyConfig(dMeta, nil), "--token", tok)
	if d := r.doctor(t); d.Steps[4].Status == "fail" {
		t.Errorf("authlib accepts aud [client, other] with azp = client: id_token step %+v, findings %v", d.Steps[4], r.ids())
	}
	for _, id := range r.errorIDs() {
		if id == "TOK008" {
			t.Errorf("TOK008 is not an error when authlib accepts the token:\n%s", r)
		}
	}
	other := e.token(t, e.key, "k1", func(c jwt.MapClaims) { c["azp"] = "22222222-3333-4444-5555-666666666666" })
	r = doctor(t, e, healthyConfig(dMeta, nil), "--token", other)
	f, ok := r.find("TOK008")
	if d := r.doctor(t); d.Steps[4].Status != "fail" || !ok || !strings.HasPrefix(f.Message, "authlib's parse_id_token refuses this token: InvalidClaimError: invalid_claim: Invalid claim 'azp'") {
		t.Errorf("azp of another client: id_token step %+v, TOK008 %q", d.Steps[4], f.Message)
	}
}
