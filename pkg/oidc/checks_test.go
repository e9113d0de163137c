package oidc

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/testkit"
)

const entraTenant = "9a95fd9e-005d-487a-9a01-d08c1eab2757"

func entraTenantDoc(t *testing.T) []byte {
	return testkit.Fixture(t, "azure/entra-v2-tenant-9a95fd9e-openid-configuration.2023-11.json")
}

func tenantURL() string {
	return "https://login.microsoftonline.com/" + entraTenant + "/v2.0/.well-known/openid-configuration"
}

// docWith returns the Entra tenant document with members changed (nil
// deletes).
func docWith(t *testing.T, changes map[string]any) []byte {
	var m map[string]any
	if err := json.Unmarshal(entraTenantDoc(t), &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range changes {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return mustJSON(m)
}

// --- DSC002 ---

func TestCheck_DSC002_Fires_HTMLSignInPage(t *testing.T) {
	rep := newReport()
	body := []byte("<!DOCTYPE html>\n<html><head><title>Sign in to your account</title></head><body>…</body></html>")
	if d := AnalyzeDiscovery(rep, tenantURL(), body, WithContentType("text/html; charset=utf-8")); d != nil {
		t.Fatal("an HTML page was accepted as a document")
	}
	wantFound(t, rep, "DSC002:error")
	f := finding(t, rep, "DSC002")
	if !strings.Contains(f.Message, `HTML page titled "Sign in to your account"`) {
		t.Errorf("message %q", f.Message)
	}
	if evidence(f, "content type") != "text/html; charset=utf-8" || !strings.HasPrefix(evidence(f, "first bytes"), "<!DOCTYPE html> <html>") {
		t.Errorf("evidence %+v", f.Evidence)
	}
}

func TestCheck_DSC002_Fires_TruncatedJSONAndArray(t *testing.T) {
	full := entraTenantDoc(t)
	for name, c := range map[string]struct {
		body []byte
		want string
	}{
		"truncated": {full[:len(full)/2], "truncated JSON"},
		"array":     {[]byte(`[{"issuer":"x"}]`), "a JSON array"},
		"empty":     {nil, "the body is empty"},
		"text":      {[]byte("upstream connect error or disconnect/reset before headers"), "plain text"},
	} {
		rep := newReport()
		AnalyzeDiscovery(rep, tenantURL(), c.body)
		wantFound(t, rep, "DSC002:error")
		if f := finding(t, rep, "DSC002"); !strings.Contains(f.Message, c.want) {
			t.Errorf("%s: message %q lacks %q", name, f.Message, c.want)
		}
	}
}

func TestCheck_DSC002_Clean_RealEntraTenantDocument(t *testing.T) {
	rep := newReport()
	d := AnalyzeDiscovery(rep, tenantURL(), entraTenantDoc(t), WithContentType("application/json; charset=utf-8"))
	wantFound(t, rep)
	if d.Issuer != "https://login.microsoftonline.com/"+entraTenant+"/v2.0" || d.Provider.Name != "entra" || d.Provider.TenantKind != "guid" || d.Provider.Version != "v2" {
		t.Errorf("issuer %q provider %+v", d.Issuer, d.Provider)
	}
}

// --- DSC003 ---

func TestCheck_DSC003_Fires_MissingJWKSURIAndWrongTypes(t *testing.T) {
	rep := newReport()
	AnalyzeDiscovery(rep, tenantURL(), docWith(t, map[string]any{"jwks_uri": nil, "response_types_supported": "code", "subject_types_supported": []any{}}))
	wantFound(t, rep, "DSC003:error")
	f := finding(t, rep, "DSC003")
	if !strings.Contains(f.Message, "missing: jwks_uri") || !strings.Contains(f.Message, "response_types_supported, subject_types_supported") {
		t.Errorf("message %q", f.Message)
	}
	if evidence(f, "response_types_supported") != "a string, want an array of strings (space-separated values belong in an array)" || evidence(f, "subject_types_supported") != "an empty array" {
		t.Errorf("evidence %+v", f.Evidence)
	}
	if !strings.Contains(f.Fix, `Missing "jwks_uri" in metadata`) {
		t.Errorf("fix %q", f.Fix)
	}
}

func TestCheck_DSC003_Fires_JWKSetGivenAsDiscovery(t *testing.T) {
	rep := newReport()
	AnalyzeDiscovery(rep, "https://login.microsoftonline.com/common/discovery/v2.0/keys", testkit.Fixture(t, "azure/entra-v2-common-jwks.2024-10-26.json"))
	f := finding(t, rep, "DSC003")
	if !strings.Contains(f.Message, "This is a JWK Set, not a discovery document") {
		t.Errorf("message %q", f.Message)
	}
}

func TestCheck_DSC003_Clean_ImplicitOnlyNeedsNoTokenEndpoint(t *testing.T) {
	rep := newReport()
	d := AnalyzeDiscovery(rep, tenantURL(), docWith(t, map[string]any{"token_endpoint": nil, "response_types_supported": []string{"id_token", "id_token token"}}))
	wantFound(t, rep)
	if !strings.Contains(strings.Join(d.Notes, "\n"), "only the implicit flow") {
		t.Errorf("notes %v", d.Notes)
	}
}

// RFC 8414 metadata fetched from its own well-known URL does not need the
// OpenID Connect members.
func TestCheck_DSC003_Clean_RFC8414FromItsURL(t *testing.T) {
	rep := newReport()
	u := "https://keycloak-eudi.netcompany-intrasoft.com/realms/pid-issuer-realm/.well-known/oauth-authorization-server"
	d := AnalyzeDiscovery(rep, u, testkit.Fixture(t, "keycloak/keycloak-rfc8414-oauth-authorization-server.eudi.json"))
	wantFound(t, rep)
	if d.Kind != KindOAuth {
		t.Errorf("kind %s", d.Kind)
	}
}

// --- DSC004 ---

func TestCheck_DSC004_Fires_KeycloakInternalHost(t *testing.T) {
	rep := newReport()
	u := "https://keycloak.example.com/realms/demorealm/.well-known/openid-configuration"
	AnalyzeDiscovery(rep, u, testkit.Fixture(t, "keycloak/keycloak-openid-configuration.demorealm.2023-10.json"))
	f := finding(t, rep, "DSC004")
	if f.Severity != engine.SeverityError {
		t.Errorf("severity %s", f.Severity)
	}
	if got := evidence(f, "difference"); got != "scheme, host, port" {
		t.Errorf("difference %q", got)
	}
	if !strings.Contains(f.Message, `host "docker-rp-1" vs "keycloak.example.com" (internal vs public name)`) || !strings.Contains(f.Fix, "KC_HOSTNAME") {
		t.Errorf("message %q fix %q", f.Message, f.Fix)
	}
	var causes []string
	for _, e := range f.Evidence {
		if e.Key == "likely cause" {
			causes = append(causes, e.Value)
		}
	}
	if len(causes) != 2 || !strings.Contains(causes[1], `"docker-rp-1" looks like an internal name`) {
		t.Errorf("likely causes %q", causes)
	}
	if evidence(f, "expected issuer") != "https://keycloak.example.com/realms/demorealm" {
		t.Errorf("expected issuer %q", evidence(f, "expected issuer"))
	}
}

func TestCheck_DSC004_Fires_TypedIssuerWithoutTrailingSlash(t *testing.T) {
	rep := newReport()
	iss := "https://dev-ltxchcls4igzho78.us.auth0.com"
	u, appended := DiscoveryURL(iss)
	if !appended || u != iss+"/.well-known/openid-configuration" {
		t.Fatalf("DiscoveryURL = %s %v", u, appended)
	}
	AnalyzeDiscovery(rep, u, testkit.Fixture(t, "auth0/auth0-openid-configuration.2023-09.json"), WithTypedIssuer(iss))
	f := finding(t, rep, "DSC004")
	if evidence(f, "difference") != "trailing slash" || !strings.Contains(f.Message, "the issuer you gave") {
		t.Errorf("%+v", f)
	}
}

func TestCheck_DSC004_Fires_LegacyKeycloakAuthPrefix(t *testing.T) {
	rep := newReport()
	u := "https://keycloak.example.com/realms/lagoon/.well-known/openid-configuration"
	AnalyzeDiscovery(rep, u, testkit.Fixture(t, "keycloak/keycloak-legacy-auth-prefix-openid-configuration.lagoon.json"))
	f := finding(t, rep, "DSC004")
	if evidence(f, "difference") != "path" || !strings.Contains(f.Message, "/auth prefix") {
		t.Errorf("%+v", f)
	}
}

// AD FS writes its host in upper case in issuer: HTTP does not care, exact
// comparison does. A warning, not an error.
func TestCheck_DSC004_Fires_HostCaseOnlyIsWarning(t *testing.T) {
	rep := newReport()
	AnalyzeDiscovery(rep, "https://ec2amaz-5a2fki6.redpanda.com/adfs/.well-known/openid-configuration", testkit.Fixture(t, "adfs/adfs-openid-configuration.2023-11.json"))
	wantFound(t, rep, "DSC004:warning")
	if f := finding(t, rep, "DSC004"); evidence(f, "difference") != "case" {
		t.Errorf("%+v", f)
	}
}

func TestCheck_DSC004_Clean_DocumentsAtTheirIssuerURL(t *testing.T) {
	for _, rel := range []string{
		"azure/entra-v2-tenant-9a95fd9e-openid-configuration.2023-11.json",
		"auth0/auth0-openid-configuration.2023-09.json",
		"google/google-openid-configuration.2024-10-21.json",
		"okta/okta-custom-as-default-openid-configuration.2023-11.json",
		"keycloak/keycloak-legacy-auth-prefix-openid-configuration.lagoon.json",
		"cognito/cognito-openid-configuration.2019.eu-west-1.json",
		"adfs/adfs-openid-configuration.2023-11.json",
	} {
		body := testkit.Fixture(t, rel)
		d, err := ParseDiscovery(body)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := DiscoveryURL(d.Issuer)
		rep := newReport()
		AnalyzeDiscovery(rep, u, body, WithTypedIssuer(d.Issuer))
		if rep.Has("DSC004") {
			t.Errorf("%s: %v", rel, rep.Findings)
		}
	}
}

// Entra's documented deviations are notes, not DSC004 (idp.md §1.1).
func TestCheck_DSC004_Clean_EntraKnownDeviations(t *testing.T) {
	v2tenant := entraTenantDoc(t)
	cases := []struct {
		name, url, fixture string
		body               []byte
		note               string
	}{
		{"common template", "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration", "azure/entra-v2-common-openid-configuration.2024-10-26.json", nil, "ISS003"},
		{"organizations template", "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration", "azure/entra-v2-organizations-openid-configuration.2024-10-26.json", nil, "template"},
		{"v1 common on sts.windows.net", "https://login.microsoftonline.com/common/.well-known/openid-configuration", "azure/entra-v1-common-openid-configuration.2024-02-02.json", nil, "sts.windows.net with a trailing slash"},
		{"domain form", "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration", "", v2tenant, "resolved the domain"},
		{"upper-case GUID", "https://login.microsoftonline.com/" + strings.ToUpper(entraTenant) + "/v2.0/.well-known/openid-configuration", "", v2tenant, "lower case"},
		{"alias host", "https://login.windows.net/" + entraTenant + "/v2.0/.well-known/openid-configuration", "", v2tenant, "alias"},
		{"B2C", "https://sometenantid.b2clogin.com/sometenantid.onmicrosoft.com/policy/v2.0/.well-known/openid-configuration", "azure/b2c-b2clogin-openid-configuration.msal-edited.json", nil, "B2C"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := c.body
			if c.fixture != "" {
				body = testkit.Fixture(t, c.fixture)
			}
			rep := newReport()
			d := AnalyzeDiscovery(rep, c.url, body)
			if rep.Has("DSC004") {
				t.Errorf("DSC004 fired: %v", rep.Findings)
			}
			if !strings.Contains(strings.Join(d.Notes, "\n"), c.note) {
				t.Errorf("notes %v lack %q", d.Notes, c.note)
			}
		})
	}
	// A real mismatch on an Entra host is still reported: another tenant.
	rep := newReport()
	AnalyzeDiscovery(rep, "https://login.microsoftonline.com/10c419d4-4a50-45b2-aa4e-919fb84df24f/v2.0/.well-known/openid-configuration", v2tenant)
	if f := finding(t, rep, "DSC004"); evidence(f, "difference") != "path" {
		t.Errorf("%+v", f)
	}
}

// --- DSC005 ---

func TestCheck_DSC005_Fires_HTTPEndpoints(t *testing.T) {
	rep := newReport()
	AnalyzeDiscovery(rep, "", testkit.Fixture(t, "keycloak/keycloak-openid-configuration.demorealm.2023-10.json"), WithFile("kc.json"))
	f := finding(t, rep, "DSC005")
	if !strings.HasPrefix(f.Message, "5 endpoints are not https: issuer, jwks_uri") || evidence(f, "jwks_uri") != "http://docker-rp-1:8080/realms/demorealm/protocol/openid-connect/certs" {
		t.Errorf("%+v", f)
	}
	if f.Subject.File != "kc.json" {
		t.Errorf("subject %+v", f.Subject)
	}
}

func TestCheck_DSC005_Clean_LoopbackAndHTTPS(t *testing.T) {
	rep := newReport()
	AnalyzeDiscovery(rep, "http://localhost:8080/realms/dev/.well-known/openid-configuration", docWith(t, map[string]any{
		"issuer": "http://localhost:8080/realms/dev", "jwks_uri": "http://127.0.0.1:8080/realms/dev/certs",
		"authorization_endpoint": "http://localhost:8080/auth", "token_endpoint": "http://[::1]:8080/token"}))
	wantFound(t, rep)
}

// --- DSC006 ---

func TestCheck_DSC006_Fires_NoneAndNoRS256(t *testing.T) {
	rep := newReport()
	AnalyzeDiscovery(rep, tenantURL(), docWith(t, map[string]any{"id_token_signing_alg_values_supported": []string{"none", "ES256"}}))
	f := finding(t, rep, "DSC006")
	if !strings.Contains(f.Message, `offers "none"`) || !strings.Contains(f.Message, "lacks RS256") {
		t.Errorf("%q", f.Message)
	}
}

func TestCheck_DSC006_Clean_KeycloakManyAlgs(t *testing.T) {
	rep := newReport()
	AnalyzeDiscovery(rep, "", testkit.Fixture(t, "keycloak/keycloak-legacy-auth-prefix-openid-configuration.lagoon.json"), WithFile("x"))
	if rep.Has("DSC006") {
		t.Error(rep.Findings)
	}
}

// --- JWK002 ---

func TestCheck_JWK002_Fires_ObjectWithoutKeys(t *testing.T) {
	rep := newReport()
	if s := AnalyzeJWKS(rep, []byte(`{"error":"not_found","error_description":"no keys here"}`)); s != nil {
		t.Fatal("a set was returned")
	}
	wantFound(t, rep, "JWK002:error")
	if f := finding(t, rep, "JWK002"); !strings.Contains(f.Message, `without a "keys" array (members: error, error_description)`) {
		t.Errorf("%q", f.Message)
	}
}

func TestCheck_JWK002_Fires_DiscoveryDocAndSingleKeyAndHTML(t *testing.T) {
	rep := newReport()
	AnalyzeJWKS(rep, entraTenantDoc(t))
	if f := finding(t, rep, "JWK002"); !strings.Contains(f.Message, "a discovery document") || !strings.Contains(f.Message, "/discovery/v2.0/keys") {
		t.Errorf("%q", f.Message)
	}
	rep = newReport()
	s := AnalyzeJWKS(rep, testkit.Fixture(t, "rfc/rfc7515-A2-rs256.public-key.json"))
	if s == nil || !s.Single || len(s.Keys) != 1 || !s.Keys[0].Usable {
		t.Fatalf("single key not analysed: %+v", s)
	}
	wantFound(t, rep, "JWK002:error")
	rep = newReport()
	AnalyzeJWKS(rep, []byte("<html><title>Proxy Authentication Required</title></html>"), WithContentType("text/html"))
	if f := finding(t, rep, "JWK002"); !strings.Contains(f.Message, "Proxy Authentication Required") || evidence(f, "first bytes") == "" {
		t.Errorf("%+v", f)
	}
}

// A JSON-looking body that is not a set may hold private values: its
// bytes are never echoed.
func TestJWK002_DoesNotEchoJSONBodies(t *testing.T) {
	rep := newReport()
	AnalyzeJWKS(rep, []byte(`{"keys":[{"kty":"RSA","d":"SECRETSECRET`))
	for _, e := range finding(t, rep, "JWK002").Evidence {
		if strings.Contains(e.Value, "SECRET") {
			t.Errorf("evidence leaks: %v", e)
		}
	}
}

func TestCheck_JWK002_Clean_RealGoogleSet(t *testing.T) {
	rep := newReport()
	AnalyzeJWKS(rep, testkit.Fixture(t, "google/google-jwks.2024-10-21.json"))
	wantFound(t, rep)
}

// --- JWK003 ---

func TestCheck_JWK003_Fires_EmptySet(t *testing.T) {
	rep := newReport()
	s := AnalyzeJWKS(rep, []byte(`{"keys":[]}`))
	if s == nil || len(s.Keys) != 0 {
		t.Fatal(s)
	}
	wantFound(t, rep, "JWK003:error")
}

func TestCheck_JWK003_Fires_OnlyEncryptionKeys(t *testing.T) {
	keys(t)
	k := rsaJWK(&rsaA.PublicKey, "enc1")
	k["use"], k["alg"] = "enc", "RSA-OAEP"
	rep := newReport()
	AnalyzeJWKS(rep, set(k))
	wantFound(t, rep, "JWK003:error", "JWK008:info")
	if f := finding(t, rep, "JWK003"); !strings.Contains(evidence(f, "unusable"), `kid enc1: an encryption key (use "enc")`) {
		t.Errorf("%+v", f.Evidence)
	}
}

func TestCheck_JWK003_Clean_KeycloakSigPlusEnc(t *testing.T) {
	rep := newReport()
	s := AnalyzeJWKS(rep, testkit.Fixture(t, "keycloak/keycloak-jwks.demorealm.2023-10.json"), WithNow(day("2023-10-20")))
	if rep.Has("JWK003") || s.Usable != 1 || len(s.SigningKeys()) != 1 || s.SigningKeys()[0].Alg != "RS256" {
		t.Errorf("%v usable %d", rep.Findings, s.Usable)
	}
}

// --- JWK004 ---

func TestCheck_JWK004_Fires_Malformed(t *testing.T) {
	keys(t)
	dupA, dupB := rsaJWK(&rsaA.PublicKey, "same"), rsaJWK(&rsaB.PublicKey, "same")
	noKid := rsaJWK(&rsaB.PublicKey, "")
	delete(noKid, "kid")
	noKty := map[string]any{"kid": "x", "n": "AQAB", "e": "AQAB"}
	badEC := ecJWK(&ecA.PublicKey, "ec")
	badEC["y"] = badEC["x"] // not on the curve
	padded := rsaJWK(&rsaA.PublicKey, "padded")
	padded["n"] = padded["n"].(string) + "=="
	rep := newReport()
	s := AnalyzeJWKS(rep, set(dupA, dupB, noKid, noKty, badEC, padded))
	var msgs []string
	for _, f := range rep.Findings {
		if f.ID == "JWK004" {
			msgs = append(msgs, f.Subject.Name+": "+f.Message)
		}
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{`kid "same" is also used by keys[0]`, "keys[2]", "no kid in a set of 6 keys", "kty is missing", "not on curve P-256", "'=' padding"} {
		if !strings.Contains(all, want) {
			t.Errorf("JWK004 findings lack %q:\n%s", want, all)
		}
	}
	if s.Key("ec").Usable {
		t.Error("an off-curve key counted as usable")
	}
}

func TestCheck_JWK004_Clean_RealEntraSet(t *testing.T) {
	rep := newReport()
	AnalyzeJWKS(rep, testkit.Fixture(t, "azure/entra-v2-common-jwks.2024-07.json"), WithNow(day("2024-07-22")))
	wantFound(t, rep)
}

// --- JWK005 ---

func TestCheck_JWK005_Fires_PrivateMembers(t *testing.T) {
	keys(t)
	k := rsaJWK(&rsaA.PublicKey, "leaky")
	k["d"] = b64(rsaA.D.Bytes())
	k["p"] = b64(rsaA.Primes[0].Bytes())
	k["q"] = b64(rsaA.Primes[1].Bytes())
	oct := map[string]any{"kty": "oct", "kid": "hmac", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQ"}
	rep := newReport()
	s := AnalyzeJWKS(rep, set(k, oct))
	wantFound(t, rep, "JWK005:error", "JWK005:error")
	f := finding(t, rep, "JWK005")
	if evidence(f, "private members") != "d, p, q (values <redacted>)" {
		t.Errorf("%+v", f.Evidence)
	}
	// No private value anywhere: not in findings, not in the key list,
	// not in the keyfunc JSON.
	out, _ := json.Marshal(struct {
		F any
		S any
	}{rep.Findings, s})
	for _, secret := range []string{k["d"].(string), k["p"].(string), "c2VjcmV0LXNlY3JldC1zZWNyZXQ"} {
		if strings.Contains(string(out), secret) || strings.Contains(string(s.KeyfuncJSON()), secret) {
			t.Fatalf("a private value leaks into the output")
		}
	}
}

func TestCheck_JWK005_Clean_RealEntraSet(t *testing.T) {
	rep := newReport()
	s := AnalyzeJWKS(rep, testkit.Fixture(t, "azure/entra-v2-tenant-9a95fd9e-jwks.2023-11.json"), WithNow(day("2023-11-15")))
	wantFound(t, rep)
	for _, k := range s.Keys {
		if len(k.PrivateMembers) > 0 {
			t.Error(k.PrivateMembers)
		}
	}
}

// --- JWK006 ---

func TestCheck_JWK006_Fires_1024BitKey(t *testing.T) {
	keys(t)
	rep := newReport()
	AnalyzeJWKS(rep, set(rsaJWK(&rsaWeak.PublicKey, "weak")))
	wantFound(t, rep, "JWK006:warning")
	if f := finding(t, rep, "JWK006"); evidence(f, "bits") != "1024" || f.Subject.Name != "kid weak" {
		t.Errorf("%+v", f)
	}
}

func TestCheck_JWK006_Clean_ADFS4096(t *testing.T) {
	rep := newReport()
	s := AnalyzeJWKS(rep, testkit.Fixture(t, "adfs/adfs-jwks.2023-11.json"), WithNow(day("2023-11-15")))
	if rep.Has("JWK006") || s.Keys[0].Bits != 4096 {
		t.Errorf("%v bits %d", rep.Findings, s.Keys[0].Bits)
	}
}

// --- JWK007 ---

func TestCheck_JWK007_Fires_X5CForAnotherKey(t *testing.T) {
	keys(t)
	now := time.Now()
	der := selfSigned(t, &rsaB.PublicKey, rsaB, now.Add(-time.Hour), now.Add(time.Hour))
	k := withCert(rsaJWK(&rsaA.PublicKey, "mismatch"), der)
	rep := newReport()
	AnalyzeJWKS(rep, set(k), WithNow(now))
	wantFound(t, rep, "JWK007:warning")
	if f := finding(t, rep, "JWK007"); !strings.Contains(f.Message, "another public key than the key's n/e") {
		t.Errorf("%q", f.Message)
	}
}

func TestCheck_JWK007_Fires_ThumbprintAndExpiry(t *testing.T) {
	keys(t)
	now := day("2025-01-01")
	der := selfSigned(t, &ecA.PublicKey, ecA, now.AddDate(-2, 0, 0), now.AddDate(0, 0, -10))
	k := withCert(ecJWK(&ecA.PublicKey, "ec"), der)
	k["x5t#S256"] = "AAAA"
	rep := newReport()
	AnalyzeJWKS(rep, set(k), WithNow(now))
	f := finding(t, rep, "JWK007")
	if !strings.Contains(f.Message, "x5t#S256") || !strings.Contains(f.Message, "expired on 2024-12-22 (10 days before 2025-01-01)") {
		t.Errorf("%q", f.Message)
	}
	if strings.Contains(f.Message, "another public key") {
		t.Errorf("matching EC key reported as mismatch: %q", f.Message)
	}
}

func TestCheck_JWK007_Clean_RealEntraX5C(t *testing.T) {
	rep := newReport()
	AnalyzeJWKS(rep, testkit.Fixture(t, "azure/entra-v1-common-jwks.2024-07-22.json"), WithNow(day("2024-07-22")))
	wantFound(t, rep)
}

// --- JWK008 ---

func TestCheck_JWK008_Fires_UseOpsAlg(t *testing.T) {
	keys(t)
	a := rsaJWK(&rsaA.PublicKey, "ops")
	delete(a, "use")
	a["key_ops"] = []string{"encrypt"}
	b := rsaJWK(&rsaB.PublicKey, "alg")
	b["alg"] = "ES256"
	rep := newReport()
	s := AnalyzeJWKS(rep, set(a, b))
	wantFound(t, rep, "JWK008:info", "JWK008:info", "JWK003:error")
	if s.Key("alg").UnusableReason != "alg ES256 does not fit the key" {
		t.Errorf("%q", s.Key("alg").UnusableReason)
	}
}

func TestCheck_JWK008_Clean_RealOktaSet(t *testing.T) {
	rep := newReport()
	AnalyzeJWKS(rep, testkit.Fixture(t, "okta/okta-custom-as-default-jwks.2023-11.json"))
	wantFound(t, rep)
}

// A document reached only through a redirect to another host is DSC001 at
// warning severity; an offline result is a skip, not a finding.
func TestReportFetch_RedirectAndOffline(t *testing.T) {
	rep := newReport()
	res := &netx.Result{URL: "https://login.windows.net/x", FinalURL: "https://login.microsoftonline.com/x", Status: 200,
		Redirects: []netx.Redirect{{From: "https://login.windows.net/x", To: "https://login.microsoftonline.com/x", Status: 301, HostChanged: true}}}
	if !ReportFetch(rep, "DSC001", "the discovery document", res) {
		t.Fatal("a successful fetch is not analysable")
	}
	wantFound(t, rep, "DSC001:warning")
	if f := finding(t, rep, "DSC001"); !strings.Contains(f.Message, "login.windows.net → login.microsoftonline.com") || !strings.Contains(f.Fix, "https://login.microsoftonline.com/x") {
		t.Errorf("%+v", f)
	}
	rep = newReport()
	if ReportFetch(rep, "JWK001", "the key set", &netx.Result{URL: "https://x/keys", Err: &netx.Error{Stage: netx.StageOffline, Reason: "--offline"}}) {
		t.Fatal("offline result analysable")
	}
	if len(rep.Findings) != 0 {
		t.Errorf("findings %v", rep.Findings)
	}
	// The inspection says why: every key-set check is skipped, offline.
	client, err := netx.New(netx.Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	rep = newReport()
	ks := InspectKeys(t.Context(), rep, client, URLSource("https://x/keys"), InspectOptions{})
	rep.SkipUncovered(ks.Coverage)
	if len(rep.Findings) != 0 || len(rep.Skipped) != len(KeyChecks) || !strings.HasPrefix(rep.Skipped[0].Reason, "offline") {
		t.Errorf("findings %v skipped %v", rep.Findings, rep.Skipped)
	}
}

// A modulus of more bits than any verifier should use is unusable and
// malformed (the hostile-server suite's 12.6-Mbit key).
func TestHugeRSAModulusIsUnusable(t *testing.T) {
	n := make([]byte, 16384/8+1)
	n[0] = 1
	for i := range n[1:] {
		n[i+1] = 0xff
	}
	body := []byte(`{"keys":[{"kty":"RSA","kid":"huge","use":"sig","n":"` + base64.RawURLEncoding.EncodeToString(n) + `","e":"AQAB"}]}`)
	rep := newReport()
	s := AnalyzeJWKS(rep, body)
	if s == nil || len(s.Keys) != 1 || s.Keys[0].Usable || !rep.Has("JWK004") || !rep.Has("JWK003") {
		t.Fatalf("keys %+v findings %+v", s, rep.Findings)
	}
}

func TestDiscoveryURLOfAnIssuer(t *testing.T) {
	cases := map[string]string{
		"https://login.microsoftonline.com/t/v2.0": "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration",
		"https://sts.windows.net/t/":               "https://login.microsoftonline.com/t/.well-known/openid-configuration",
		"https://x.auth0.com/":                     "https://x.auth0.com/.well-known/openid-configuration",
		"accounts.google.com":                      "https://accounts.google.com/.well-known/openid-configuration",
		"https://idp.example.com/realms/x/?a=b":    "https://idp.example.com/realms/x/.well-known/openid-configuration",
		"https://sso.example.com/realms/airflow":   "https://sso.example.com/realms/airflow/.well-known/openid-configuration",
	}
	for in, want := range cases {
		if got, appended := DiscoveryURL(in); got != want || !appended {
			t.Errorf("DiscoveryURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// A document whose URL still holds a documentation placeholder fails with
// a DNS error (the host is "<tenant>.b2clogin.com") or an HTTP 400: the
// finding names the placeholder, not the IdP (issue 18).
func TestReportFetch_NamesAPlaceholder(t *testing.T) {
	for u, want := range map[string]string{
		"https://your-tenant.b2clogin.com/x.onmicrosoft.com/B2C_1_SUSI/v2.0/.well-known/openid-configuration": "your-tenant",
		"https://login.microsoftonline.com/%3Ctenant-id%3E/v2.0/.well-known/openid-configuration":             "<tenant-id>",
	} {
		rep := newReport()
		res := &netx.Result{URL: u, Err: &netx.Error{Stage: netx.StageDNS, Reason: "no such host", Hint: "check the host name"}}
		if ReportFetch(rep, "DSC001", "the discovery document", res) {
			t.Fatal("a failed fetch is analysable")
		}
		f := finding(t, rep, "DSC001")
		if !strings.Contains(f.Message, `placeholder "`+want+`"`) || evidence(f, "placeholder") != want || !strings.Contains(f.Fix, "Replace "+want) {
			t.Errorf("%s: %+v", u, f)
		}
	}
	rep := newReport()
	ReportFetch(rep, "DSC001", "the discovery document", &netx.Result{URL: "https://idp.example.com/.well-known/openid-configuration",
		Err: &netx.Error{Stage: netx.StageDNS, Reason: "no such host", Hint: "check the host name"}})
	if f := finding(t, rep, "DSC001"); strings.Contains(f.Message, "placeholder") || f.Fix != "check the host name" {
		t.Errorf("no placeholder: %+v", f)
	}
}
