package verify_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
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
	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
	"github.com/golang-jwt/jwt/v5"
)

// An Entra tenant impersonated on loopback TLS: the same URLs users type,
// reached through --connect-to with the test CA in --ca-file.
const (
	tenant  = "4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13"
	other   = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	client  = "8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58"
	login   = "login.microsoftonline.com"
	v2iss   = "https://" + login + "/" + tenant + "/v2.0"
	v1iss   = "https://sts.windows.net/" + tenant + "/"
	keysV2  = "https://" + login + "/" + tenant + "/discovery/v2.0/keys"
	consumr = "9188040d-6c67-4c5b-b112-36a304b66dad"
)

var now = time.Date(2026, 11, 20, 9, 20, 0, 0, time.UTC)

var (
	keyOnce    sync.Once
	tenantKey  *rsa.PrivateKey
	appKey     *rsa.PrivateKey
	rotatedKey *rsa.PrivateKey
	ecKey      *ecdsa.PrivateKey
	b64        = base64.RawURLEncoding.EncodeToString
	nowFlag    = []string{"--now", now.Format(time.RFC3339)}
)

func keys(t *testing.T) {
	keyOnce.Do(func() {
		var err error
		for _, k := range []**rsa.PrivateKey{&tenantKey, &appKey, &rotatedKey} {
			if *k, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
				panic(err)
			}
		}
		if ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			panic(err)
		}
	})
}

func rsaJWK(k *rsa.PrivateKey, kid, iss string) map[string]any {
	m := map[string]any{"kty": "RSA", "use": "sig", "kid": kid, "n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}
	if iss != "" {
		m["issuer"] = iss
	}
	return m
}

func set(keys ...map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"keys": keys})
	return b
}

func discovery(iss, jwks string) []byte {
	b, _ := json.Marshal(map[string]any{"issuer": iss, "jwks_uri": jwks,
		"authorization_endpoint":   "https://" + login + "/" + tenant + "/oauth2/v2.0/authorize",
		"token_endpoint":           "https://" + login + "/" + tenant + "/oauth2/v2.0/token",
		"response_types_supported": []string{"code"}, "subject_types_supported": []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"}})
	return b
}

func idClaims(mod func(jwt.MapClaims)) jwt.MapClaims {
	c := jwt.MapClaims{"iss": v2iss, "aud": client, "tid": tenant, "oid": "6a1f0e2d-9c3b-4a85-b7d6-1e2f3a4b5c6d",
		"sub": "s", "ver": "2.0", "iat": now.Add(-10 * time.Minute).Unix(), "nbf": now.Add(-10 * time.Minute).Unix(),
		"exp": now.Add(50 * time.Minute).Unix(), "nonce": "n"}
	if mod != nil {
		mod(c)
	}
	return c
}

func sign(t *testing.T, method jwt.SigningMethod, key any, kid string, c jwt.MapClaims) string {
	t.Helper()
	tk := jwt.NewWithClaims(method, c)
	if kid != "" {
		tk.Header["kid"] = kid
	}
	s, err := tk.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// azure starts the impersonated Entra endpoints.
func azure(t *testing.T, extra testkit.Routes) *testkit.Server {
	t.Helper()
	keys(t)
	routes := testkit.Routes{
		login + "/" + tenant + "/v2.0/.well-known/openid-configuration":          testkit.JSON(discovery(v2iss, keysV2)),
		login + "/" + tenant + "/.well-known/openid-configuration":               testkit.JSON(discovery(v1iss, "https://"+login+"/"+tenant+"/discovery/keys")),
		login + "/" + tenant + "/discovery/v2.0/keys":                            testkit.JSON(set(rsaJWK(tenantKey, "tk1", v2iss))),
		login + "/" + tenant + "/discovery/keys":                                 testkit.JSON(set(rsaJWK(tenantKey, "tk1", ""))),
		login + "/common/v2.0/.well-known/openid-configuration":                  testkit.JSON(discovery("https://"+login+"/{tenantid}/v2.0", "https://"+login+"/common/discovery/v2.0/keys")),
		login + "/common/discovery/v2.0/keys":                                    testkit.JSON(set(rsaJWK(tenantKey, "tk1", "https://"+login+"/{tenantid}/v2.0"), rsaJWK(rotatedKey, "msa1", "https://"+login+"/"+consumr+"/v2.0"))),
		login + "/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration": testkit.JSON(discovery(v2iss, keysV2)),
	}
	for k, v := range extra {
		routes[k] = v
	}
	return testkit.StartTLS(t, []string{login, "sts.windows.net", "login.microsoftonline.us"}, routes)
}

type out struct {
	Findings []struct {
		ID       string `json:"id"`
		Message  string `json:"message"`
		Evidence []struct{ Key, Value string }
	}
	Result struct {
		Tokens []struct {
			Verdict string
			Outcome struct{ Signature, Reason string }
		}
	}
}

func run(t *testing.T, srv *testkit.Server, tok string, args ...string) (out, int) {
	t.Helper()
	a := append([]string{"verify", tok, "-o", "json", "--timeout", "5s"}, nowFlag...)
	if srv != nil {
		a = append(a, srv.Args()...)
	}
	a = append(a, args...)
	stdout, stderr, code := clitest.RunCLI(t, a...)
	var o out
	if err := json.Unmarshal([]byte(stdout), &o); err != nil {
		t.Fatalf("exit %d, not JSON: %v\nstdout: %s\nstderr: %s", code, err, stdout, stderr)
	}
	return o, code
}

func (o out) has(id string) bool {
	for _, f := range o.Findings {
		if f.ID == id {
			return true
		}
	}
	return false
}

func (o out) ids() []string {
	var s []string
	for _, f := range o.Findings {
		s = append(s, f.ID)
	}
	return s
}

func (o out) evidence(id, key string) string {
	for _, f := range o.Findings {
		if f.ID == id {
			for _, e := range f.Evidence {
				if strings.HasPrefix(e.Key, key) {
					return e.Value
				}
			}
		}
	}
	return ""
}

func good(t *testing.T) string {
	keys(t)
	return sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(nil))
}

// The healthy setup: every TOK and ISS check stays quiet.
func TestHealthyTenantTokenVerifies(t *testing.T) {
	srv := azure(t, nil)
	o, code := run(t, srv, good(t), "--issuer", v2iss, "--audience", client, "--tenant", tenant)
	if code != 0 || len(o.Findings) != 0 {
		t.Fatalf("exit %d findings %v", code, o.ids())
	}
	if o.Result.Tokens[0].Verdict != "valid" || o.Result.Tokens[0].Outcome.Signature != "verified" {
		t.Fatalf("result %+v", o.Result)
	}
}

func TestCheck_TOK003_Clean_RS256(t *testing.T) {
	srv := azure(t, nil)
	if o, _ := run(t, srv, good(t), "--issuer", v2iss); o.has("TOK003") {
		t.Fatal(o.ids())
	}
}

func TestCheck_TOK003_Fires_AlgorithmConfusion(t *testing.T) {
	srv := azure(t, nil)
	hs := sign(t, jwt.SigningMethodHS256, []byte("shared-secret-value"), "tk1", idClaims(nil))
	o, code := run(t, srv, hs, "--issuer", v2iss)
	if !o.has("TOK003") || code != 1 {
		t.Fatalf("HS256 against a JWKS: %v", o.ids())
	}
	// An ES256 ID token where the metadata only lists RS256.
	es := sign(t, jwt.SigningMethodES256, ecKey, "ec1", idClaims(nil))
	ecJWK := map[string]any{"kty": "EC", "crv": "P-256", "kid": "ec1", "x": b64(ecKey.X.FillBytes(make([]byte, 32))), "y": b64(ecKey.Y.FillBytes(make([]byte, 32)))}
	srv2 := azure(t, testkit.Routes{login + "/" + tenant + "/discovery/v2.0/keys": testkit.JSON(set(ecJWK))})
	o, _ = run(t, srv2, es, "--issuer", v2iss)
	if !o.has("TOK003") || o.Result.Tokens[0].Outcome.Signature != "verified" {
		t.Fatalf("ES256 outside id_token_signing_alg_values_supported: %v %+v", o.ids(), o.Result)
	}
	// --alg allow-list.
	o, _ = run(t, srv2, es, "--issuer", v2iss, "--alg", "RS256")
	if !o.has("TOK003") {
		t.Fatalf("--alg RS256 with an ES256 token: %v", o.ids())
	}
}

func TestCheck_TOK004_Clean_KidPresent(t *testing.T) {
	if o, _ := run(t, azure(t, nil), good(t), "--issuer", v2iss); o.has("TOK004") {
		t.Fatal(o.ids())
	}
}

// An app with its own signing keys: the kid is only at ?appid=<client>.
func TestCheck_TOK004_Fires_AppSpecificKeys(t *testing.T) {
	keys(t)
	srv := azure(t, testkit.Routes{
		login + "/" + tenant + "/discovery/v2.0/keys?appid=" + client: testkit.JSON(set(rsaJWK(appKey, "app1", v2iss))),
	})
	tok := sign(t, jwt.SigningMethodRS256, appKey, "app1", idClaims(nil))
	o, code := run(t, srv, tok, "--issuer", v2iss, "--audience", client)
	if !o.has("TOK004") || code != 1 {
		t.Fatalf("%v", o.ids())
	}
	if c := o.evidence("TOK004", "cause 1"); !strings.Contains(c, "own signing keys") || !strings.Contains(c, "appid="+client) {
		t.Errorf("first cause %q should be the app-specific keys", c)
	}
}

// A rotated key: absent on the first fetch, present on the re-fetch.
func TestCheck_TOK004_Fires_RotatedKeyAppearsOnRefetch(t *testing.T) {
	keys(t)
	var n atomic.Int32
	srv := azure(t, nil)
	mux := http.NewServeMux()
	mux.HandleFunc("/"+tenant+"/discovery/v2.0/keys", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("appid") != "" || n.Add(1) == 1 {
			w.Write(set(rsaJWK(tenantKey, "tk1", v2iss)))
			return
		}
		w.Write(set(rsaJWK(tenantKey, "tk1", v2iss), rsaJWK(rotatedKey, "tk2", v2iss)))
	})
	mux.Handle("/", srv.Config.Handler)
	srv.Config.Handler = mux
	tok := sign(t, jwt.SigningMethodRS256, rotatedKey, "tk2", idClaims(nil))
	o, _ := run(t, srv, tok, "--issuer", v2iss)
	if !o.has("TOK004") {
		t.Fatalf("%v", o.ids())
	}
	if c := o.evidence("TOK004", "cause 1"); !strings.Contains(c, "rotated") {
		t.Errorf("first cause %q should be the rotation", c)
	}
	if got := n.Load(); got != 2 {
		t.Errorf("the key set was fetched %d times (without appid); want exactly 2: once, then one rate-limited re-fetch", got)
	}
}

// The kid lives in the token issuer's own keys: another tenant's token.
func TestCheck_TOK004_Fires_OtherTenantKeys(t *testing.T) {
	keys(t)
	otherIss := "https://" + login + "/" + other + "/v2.0"
	srv := azure(t, testkit.Routes{
		login + "/" + other + "/v2.0/.well-known/openid-configuration": testkit.JSON(discovery(otherIss, "https://"+login+"/"+other+"/discovery/v2.0/keys")),
		login + "/" + other + "/discovery/v2.0/keys":                   testkit.JSON(set(rsaJWK(appKey, "ok1", otherIss))),
	})
	tok := sign(t, jwt.SigningMethodRS256, appKey, "ok1", idClaims(func(c jwt.MapClaims) { c["iss"], c["tid"] = otherIss, other }))
	o, _ := run(t, srv, tok, "--issuer", v2iss)
	if !o.has("TOK004") || !o.has("ISS004") {
		t.Fatalf("%v", o.ids())
	}
	if c := o.evidence("TOK004", "cause 1"); !strings.Contains(c, "issued by "+otherIss) {
		t.Errorf("first cause %q should name the token's own issuer", c)
	}
}

func TestCheck_TOK005_Fires_TamperedPayload(t *testing.T) {
	tok := good(t)
	parts := strings.Split(tok, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tampered := strings.Replace(string(payload), `"aud":"`+client+`"`, `"aud":"`+client+`","roles":["Admin"]`, 1)
	if tampered == string(payload) {
		t.Fatal("tampering did not change the payload")
	}
	parts[1] = b64([]byte(tampered))
	o, code := run(t, azure(t, nil), strings.Join(parts, "."), "--issuer", v2iss)
	if !o.has("TOK005") || code != 1 || o.Result.Tokens[0].Outcome.Signature != "invalid" {
		t.Fatalf("%v %+v", o.ids(), o.Result)
	}
}

func TestCheck_TOK005_Clean_Untouched(t *testing.T) {
	if o, _ := run(t, azure(t, nil), good(t), "--issuer", v2iss); o.has("TOK005") {
		t.Fatal(o.ids())
	}
}

// Expired and wrong audience are two causes: two findings.
func TestExpiredAndWrongAudienceAreTwoFindings(t *testing.T) {
	keys(t)
	tok := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { c["exp"] = now.Add(-2 * time.Hour).Unix() }))
	o, _ := run(t, azure(t, nil), tok, "--issuer", v2iss, "--audience", "someone-else")
	if !o.has("TOK006") || !o.has("TOK008") {
		t.Fatalf("want TOK006 and TOK008, got %v", o.ids())
	}
}

// The IdP's Date header gives the measured skew of this machine's clock.
func TestClockSkewFromIdPDate(t *testing.T) {
	keys(t)
	idpNow := now.Add(-10 * time.Minute) // the IdP is 10 minutes behind this machine... as the test clock sees it
	srv := azure(t, testkit.Routes{login + "/" + tenant + "/discovery/v2.0/keys": {Status: 200, ContentType: "application/json",
		Body: set(rsaJWK(tenantKey, "tk1", v2iss)), Header: map[string]string{"Date": idpNow.Format(http.TimeFormat)}}})
	tok := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { c["exp"] = now.Add(-5 * time.Minute).Unix() }))
	o, _ := run(t, srv, tok, "--issuer", v2iss)
	if !o.has("TOK006") {
		t.Fatalf("%v", o.ids())
	}
	// The CLI's clock is the real one here (the test pins only --now), so
	// assert that the skew is reported, not its size.
	if ev := o.evidence("TOK006", "clock skew"); !strings.Contains(ev, "login.microsoftonline.com") {
		t.Errorf("clock skew evidence %q", ev)
	}
}

func TestCheck_TOK008_Fires_AppIDURIvsClientID(t *testing.T) {
	o, _ := run(t, azure(t, nil), good(t), "--issuer", v2iss, "--audience", "api://"+client)
	if !o.has("TOK008") {
		t.Fatalf("%v", o.ids())
	}
	if h := o.evidence("TOK008", "hint 1"); !strings.Contains(h, "App ID URI") {
		t.Errorf("hint %q", h)
	}
}

func TestCheck_TOK008_Clean_EitherAudience(t *testing.T) {
	if o, _ := run(t, azure(t, nil), good(t), "--issuer", v2iss, "--audience", "api://"+client, "--audience", client); o.has("TOK008") {
		t.Fatal(o.ids())
	}
}

func TestCheck_ISS001_Fires_TrailingSlash(t *testing.T) {
	o, _ := run(t, azure(t, nil), good(t), "--issuer", v2iss, "--expect-issuer", v2iss+"/")
	if !o.has("ISS001") || o.evidence("ISS001", "difference") != "trailing slash" {
		t.Fatalf("%v %q", o.ids(), o.evidence("ISS001", "difference"))
	}
}

// Keycloak: the token carries the internal host, the app expects the public one.
func TestCheck_ISS001_Fires_KeycloakInternalHost(t *testing.T) {
	keys(t)
	pub := "https://sso.example.com/realms/airflow"
	internal := "http://keycloak:8080/realms/airflow"
	tok := sign(t, jwt.SigningMethodRS256, tenantKey, "kc1", jwt.MapClaims{"iss": internal, "aud": "airflow", "azp": "airflow", "typ": "ID",
		"exp": now.Add(time.Hour).Unix(), "iat": now.Unix()})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "keys.json"), set(rsaJWK(tenantKey, "kc1", "")), 0o644)
	o, _ := run(t, nil, tok, "--jwks", "@"+filepath.Join(dir, "keys.json"), "--expect-issuer", pub, "--offline")
	if !o.has("ISS001") || o.evidence("ISS001", "difference") != "scheme" && o.evidence("ISS001", "difference") != "host" {
		t.Fatalf("%v %q", o.ids(), o.evidence("ISS001", "difference"))
	}
}

func TestCheck_ISS001_Clean_Exact(t *testing.T) {
	if o, _ := run(t, azure(t, nil), good(t), "--issuer", v2iss, "--expect-issuer", v2iss); o.has("ISS001") {
		t.Fatal(o.ids())
	}
}

// A v1 access token checked against v2 metadata.
func TestCheck_ISS002_Fires_V1TokenV2Metadata(t *testing.T) {
	keys(t)
	tok := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) {
		c["iss"], c["ver"], c["aud"], c["appid"] = v1iss, "1.0", "api://"+client, client
		delete(c, "nonce")
	}))
	o, _ := run(t, azure(t, nil), tok, "--issuer", v2iss)
	if !o.has("ISS002") || o.has("ISS001") {
		t.Fatalf("%v", o.ids())
	}
	// Signed by a key whose JWK issuer is the v2 form: valid (idp.md §1.2),
	// so no key-issuer complaint.
	if o.has("ISS004") || o.Result.Tokens[0].Outcome.Signature != "verified" {
		t.Fatalf("v1 token with a v2-issuer key must verify: %v %+v", o.ids(), o.Result)
	}
}

func TestCheck_ISS002_Clean_V1TokenV1Metadata(t *testing.T) {
	keys(t)
	tok := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { c["iss"], c["ver"] = v1iss, "1.0" }))
	o, _ := run(t, azure(t, nil), tok, "--discovery", "https://"+login+"/"+tenant+"/.well-known/openid-configuration")
	if o.has("ISS002") || o.has("ISS001") {
		t.Fatal(o.ids())
	}
}

func TestCheck_ISS003_Fires_CommonTemplate(t *testing.T) {
	o, _ := run(t, azure(t, nil), good(t), "--discovery", "https://"+login+"/common/v2.0/.well-known/openid-configuration")
	if !o.has("ISS003") || o.has("ISS001") || o.has("TOK004") {
		t.Fatalf("template issuer with tid substituted must match, with an ISS003 warning: %v", o.ids())
	}
}

func TestCheck_ISS003_Clean_TenantEndpoint(t *testing.T) {
	if o, _ := run(t, azure(t, nil), good(t), "--issuer", v2iss); o.has("ISS003") {
		t.Fatal(o.ids())
	}
}

func TestCheck_ISS004_Fires_OtherTenant(t *testing.T) {
	o, _ := run(t, azure(t, nil), good(t), "--issuer", v2iss, "--tenant", other)
	if !o.has("ISS004") {
		t.Fatalf("%v", o.ids())
	}
}

// A personal Microsoft account's token through common, signed by an MSA key.
func TestCheck_ISS004_Fires_ConsumerTenantNamed(t *testing.T) {
	keys(t)
	msaIss := "https://" + login + "/" + consumr + "/v2.0"
	tok := sign(t, jwt.SigningMethodRS256, rotatedKey, "msa1", idClaims(func(c jwt.MapClaims) { c["iss"], c["tid"] = msaIss, consumr }))
	o, _ := run(t, azure(t, nil), tok, "--discovery", "https://"+login+"/common/v2.0/.well-known/openid-configuration", "--tenant", tenant)
	found := false
	for _, f := range o.Findings {
		if f.ID == "ISS004" && strings.Contains(f.Message, "consumers tenant") {
			found = true
		}
	}
	if !found {
		t.Fatalf("ISS004 naming the consumers tenant: %+v", o.Findings)
	}
}

func TestCheck_ISS004_Clean_SameTenant(t *testing.T) {
	if o, _ := run(t, azure(t, nil), good(t), "--issuer", v2iss, "--tenant", tenant); o.has("ISS004") {
		t.Fatal(o.ids())
	}
}

// A domain tenant is resolved to its GUID through the tenant's discovery.
func TestCheck_ISS006_Fires_DomainTenant(t *testing.T) {
	o, _ := run(t, azure(t, nil), good(t), "--issuer", v2iss, "--tenant", "contoso.onmicrosoft.com")
	if !o.has("ISS006") || o.has("ISS004") {
		t.Fatalf("%v", o.ids())
	}
	if r := o.evidence("ISS006", "resolved"); r != tenant {
		t.Errorf("resolved tenant %q, want %s", r, tenant)
	}
	o, _ = run(t, azure(t, nil), good(t), "--issuer", v2iss, "--tenant", strings.ToUpper(tenant))
	if !o.has("ISS006") || o.has("ISS004") {
		t.Fatalf("upper-case GUID: %v", o.ids())
	}
}

func TestCheck_ISS006_Clean_LowerGUID(t *testing.T) {
	if o, _ := run(t, azure(t, nil), good(t), "--issuer", v2iss, "--tenant", tenant); o.has("ISS006") {
		t.Fatal(o.ids())
	}
}

func TestCheck_ISS007_Fires_NationalCloud(t *testing.T) {
	keys(t)
	tok := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { c["iss"] = "https://login.microsoftonline.us/" + tenant + "/v2.0" }))
	o, _ := run(t, azure(t, nil), tok, "--issuer", v2iss)
	if !o.has("ISS007") {
		t.Fatalf("%v", o.ids())
	}
}

func TestCheck_ISS007_Clean_SameCloud(t *testing.T) {
	if o, _ := run(t, azure(t, nil), good(t), "--issuer", v2iss); o.has("ISS007") {
		t.Fatal(o.ids())
	}
}

func TestUsageErrors(t *testing.T) {
	tok := good(t)
	for _, args := range [][]string{
		{"--alg", "none", "--jwks", "@x"},
		{"--alg", "HS256", "--jwks", "@x"},
		{"--discovery", "https://a", "--issuer", "https://b"},
		{"--offline", "--jwks", "https://example.com/keys"},
	} {
		_, _, code := clitest.RunCLI(t, append([]string{"verify", tok}, args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if _, stderr, code := clitest.RunCLI(t, "verify", tok, "--jwks", "@/nonexistent/keys.json"); code != 3 || !strings.Contains(stderr, "/nonexistent/keys.json") {
		t.Errorf("missing key file: exit %d %q", code, stderr)
	}
}

func TestCheck_DSC007_Fires_Insecure(t *testing.T) {
	srv := azure(t, nil)
	// --insecure instead of the test CA: the fetch works, and says so.
	var args []string
	for _, c := range srv.ConnectTo {
		args = append(args, "--connect-to", c)
	}
	stdout, _, code := clitest.RunCLI(t, append(append([]string{"verify", good(t), "-o", "json", "--issuer", v2iss, "--insecure"}, nowFlag...), args...)...)
	var o out
	if err := json.Unmarshal([]byte(stdout), &o); err != nil {
		t.Fatal(err)
	}
	if !o.has("DSC007") || code != 0 {
		t.Fatalf("exit %d findings %v", code, o.ids())
	}
	_, _, code = clitest.RunCLI(t, append(append([]string{"verify", good(t), "--issuer", v2iss, "--insecure", "--fail-on", "warning"}, nowFlag...), args...)...)
	if code != 1 {
		t.Errorf("--insecure with --fail-on warning must fail CI: exit %d", code)
	}
}

func TestCheck_DSC007_Clean_VerifiedTLS(t *testing.T) {
	if o, _ := run(t, azure(t, nil), good(t), "--issuer", v2iss); o.has("DSC007") {
		t.Fatal(o.ids())
	}
}

// The decode-level checks through verify, against the impersonated tenant.
func TestVerifyReportsDecodeChecks(t *testing.T) {
	srv := azure(t, nil)
	keys(t)
	parts := strings.Split(good(t), ".")
	cases := []struct {
		name, token, want string
	}{
		{"TOK001 a JWE", "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", "TOK001"},
		{"TOK002 alg none", "eyJhbGciOiJub25lIn0." + parts[1] + ".", "TOK002"},
		{"TOK009 a Graph token", sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { c["aud"] = "https://graph.microsoft.com" })), "TOK009"},
		{"TOK010 no exp", sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { delete(c, "exp") })), "TOK010"},
		{"TOK006 expired", sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() })), "TOK006"},
		{"TOK007 not yet valid", sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() })), "TOK007"},
	}
	for _, c := range cases {
		o, code := run(t, srv, c.token, "--issuer", v2iss)
		if !o.has(c.want) || code == 0 && c.want != "TOK009" && c.want != "TOK010" {
			t.Errorf("%s: exit %d, findings %v", c.name, code, o.ids())
		}
	}
	// and none of them on the good token
	o, _ := run(t, srv, good(t), "--issuer", v2iss)
	for _, id := range []string{"TOK001", "TOK002", "TOK006", "TOK007", "TOK009", "TOK010"} {
		if o.has(id) {
			t.Errorf("%s on a good token", id)
		}
	}
}

// Without a usable key set the claims are still checked: TOK008 is not
// lost (the metadata is offline here, so no key set can be had).
func TestClaimsCheckedWithoutKeys(t *testing.T) {
	o, _ := run(t, nil, good(t), "--issuer", v2iss, "--audience", "someone-else", "--offline")
	if !o.has("TOK008") {
		t.Fatalf("want TOK008 without keys, got %v", o.ids())
	}
}
