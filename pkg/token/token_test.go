package token_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/golang-jwt/jwt/v5"
)

var (
	keyOnce sync.Once
	key     *rsa.PrivateKey
)

// mint signs claims with a throwaway RSA key; extra header members are added.
func mint(t *testing.T, claims map[string]any, header map[string]any) string {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		key, err = rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
	})
	tk := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims(claims))
	tk.Header["kid"] = "test-key"
	for k, v := range header {
		tk.Header[k] = v
	}
	s, err := tk.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fixtures(t *testing.T) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("go.mod not found")
		}
		dir = filepath.Dir(dir)
	}
	f := filepath.Join(dir, "..", "shared", "fixtures")
	if _, err := os.Stat(f); err != nil {
		t.Fatalf("fixtures not found at %s (shared/ must sit beside the repository): %v", f, err)
	}
	return f
}

func readFixture(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

var now = time.Date(2024, 11, 5, 12, 0, 0, 0, time.UTC)

// check decodes the input and runs the decode-only checks.
func check(t *testing.T, input string, tc token.TimeContext) *engine.Report {
	t.Helper()
	rep := engine.NewReport(catalog.Default(), "token")
	cands, _, prob := token.Extract([]byte(input))
	if prob != nil {
		rep.Add("TOK001", prob.Message)
		return rep
	}
	for _, c := range cands {
		d, p := token.Decode(c)
		if p != nil {
			rep.Add("TOK001", p.Message)
			continue
		}
		token.CheckDecoded(rep, d, token.Identify(d), tc)
	}
	return rep
}

func tcNow() token.TimeContext { return token.TimeContext{Now: now, Leeway: time.Minute} }

func ids(rep *engine.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.ID)
	}
	return out
}

func good(t *testing.T) string {
	return mint(t, map[string]any{"iss": "https://idp.example.com", "sub": "u1", "aud": "app",
		"iat": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix()}, nil)
}

func TestExtractInputForms(t *testing.T) {
	tk := good(t)
	half := len(tk) / 2
	forms := map[string]string{
		"bare":            tk,
		"bearer":          "Bearer " + tk,
		"bearer-lower":    "bearer " + tk,
		"header":          "Authorization: Bearer " + tk,
		"double-quotes":   `"` + tk + `"`,
		"single-quotes":   "'" + tk + "'",
		"whitespace":      "\n\t  " + tk + "  \r\n",
		"wrapped-lines":   tk[:half] + "\n" + tk[half:],
		"bom":             "\ufeff" + tk,
		"quoted-bearer":   `"Bearer ` + tk + `"`,
		"crlf-wrapped":    tk[:10] + "\r\n  " + tk[10:],
		"token-response":  `{"token_type":"Bearer","expires_in":3599,"id_token":"` + tk + `"}`,
		"pretty-response": "{\n  \"access_token\": \"" + tk + "\"\n}",
	}
	for name, in := range forms {
		cands, _, prob := token.Extract([]byte(in))
		if prob != nil {
			t.Errorf("%s: %v", name, prob)
			continue
		}
		if len(cands) != 1 || cands[0].Raw != tk {
			t.Errorf("%s: got %d candidates, raw equal=%v", name, len(cands), len(cands) == 1 && cands[0].Raw == tk)
		}
	}
}

func TestExtractTokenResponseReportsEveryJWT(t *testing.T) {
	id, at, rt := good(t), good(t)+"", mint(t, map[string]any{"typ": "Refresh", "exp": now.Unix() + 10}, nil)
	in := `{"access_token":"` + at + `","id_token":"` + id + `","refresh_token":"` + rt + `","scope":"openid"}`
	cands, notes, prob := token.Extract([]byte(in))
	if prob != nil || len(notes) != 0 {
		t.Fatal(prob, notes)
	}
	var labels []string
	for _, c := range cands {
		labels = append(labels, c.Label)
	}
	if strings.Join(labels, ",") != "id_token,access_token,refresh_token" {
		t.Fatalf("labels %v", labels)
	}
	// An opaque access token (Google, Okta org) is a notice, not a failure.
	in = `{"access_token":"ya29.a0AfH6SMBx0123456789","id_token":"` + id + `"}`
	cands, notes, prob = token.Extract([]byte(in))
	if prob != nil || len(cands) != 1 || cands[0].Label != "id_token" || len(notes) != 1 || !strings.Contains(string(notes[0]), "opaque") {
		t.Fatalf("cands %v notes %v prob %v", cands, notes, prob)
	}
}

func TestExtractFlattenedJWS(t *testing.T) {
	in := readFixture(t, "rfc/rfc7515-A7-flattened-json-es256.json")
	cands, notes, prob := token.Extract([]byte(in))
	if prob != nil || len(cands) != 1 || len(notes) != 1 {
		t.Fatalf("%v %v %v", cands, notes, prob)
	}
	compact := readFixture(t, "rfc/rfc7515-A3-es256.jws")
	if cands[0].Raw != compact {
		t.Errorf("flattened JWS did not become the RFC's compact form A.3")
	}
}

func TestCheck_TOK001_Fires_InputKinds(t *testing.T) {
	tk := good(t)
	p := strings.Split(tk, ".")
	cases := []struct{ name, in, want string }{
		{"empty", "  \n", "empty"},
		{"jwe", "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", "JWE"},
		{"opaque", "2YotnFZFEjr1zCsicMWpAA2YotnFZFEjr1zCsicMWpAA", "opaque"},
		{"two-parts", p[0] + "." + p[1], "3"},
		{"bad-base64", p[0] + ".%%%." + p[2], "payload"},
		{"std-base64", p[0] + ".ab+/cd." + p[2], "standard base64"},
		{"header-not-json", "bm90IGpzb24." + p[1] + "." + p[2], "header"},
		{"payload-not-json", p[0] + ".bm90IGpzb24." + p[2], "payload"},
		{"header-no-alg", "eyJ0eXAiOiJKV1QifQ." + p[1] + "." + p[2], "alg"},
		{"json-without-token", `{"error":"invalid_grant"}`, "error"},
		{"truncated-json", `{"id_token": "abc`, "cannot be read"},
		{"words", "hello world", "not base64url"},
		{"exp-string", mint(t, map[string]any{"exp": "tomorrow"}, nil), "exp is a string"},
	}
	for _, c := range cases {
		rep := check(t, c.in, tcNow())
		if !rep.Has("TOK001") {
			t.Errorf("%s: TOK001 did not fire; findings %v", c.name, ids(rep))
			continue
		}
		for _, f := range rep.Findings {
			if f.ID == "TOK001" && !strings.Contains(f.Message, c.want) {
				t.Errorf("%s: message %q does not say %q", c.name, f.Message, c.want)
			}
		}
	}
}

func TestCheck_TOK001_Clean_RealTokens(t *testing.T) {
	entries, _ := os.ReadDir(filepath.Join(fixtures(t), "tokens"))
	n := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".jwt") {
			continue
		}
		n++
		if rep := check(t, readFixture(t, "tokens/"+e.Name()), tcNow()); rep.Has("TOK001") {
			t.Errorf("%s: TOK001 on a real token: %+v", e.Name(), rep.Findings)
		}
	}
	if n < 10 {
		t.Fatalf("expected at least 10 fixture tokens, found %d", n)
	}
}

func TestCheck_TOK002_Fires_AlgNone(t *testing.T) {
	rep := check(t, readFixture(t, "rfc/rfc7515-A5-unsecured-alg-none.jwt"), tcNow())
	if !rep.Has("TOK002") {
		t.Fatalf("alg none not flagged: %v", ids(rep))
	}
	// A signed header whose signature was stripped.
	tk := good(t)
	stripped := tk[:strings.LastIndex(tk, ".")+1]
	if rep := check(t, stripped, tcNow()); !rep.Has("TOK002") {
		t.Fatalf("empty signature not flagged: %v", ids(rep))
	}
}

func TestCheck_TOK002_Clean_Signed(t *testing.T) {
	for _, f := range []string{"rfc/rfc7515-A2-rs256.jws", "rfc/rfc7515-A3-es256.jws"} {
		if rep := check(t, readFixture(t, f), tcNow()); rep.Has("TOK002") {
			t.Errorf("%s flagged as unsigned", f)
		}
	}
}

func TestCheck_TOK006_Fires_Expired(t *testing.T) {
	tk := mint(t, map[string]any{"exp": now.Add(-3*time.Hour - 12*time.Minute).Unix()}, nil)
	rep := check(t, tk, tcNow())
	if !rep.Has("TOK006") {
		t.Fatalf("expired token not flagged: %v", ids(rep))
	}
	f := rep.Findings[0]
	if !strings.Contains(f.Message, "3h12m ago") {
		t.Errorf("message %q lacks the human duration", f.Message)
	}
	found := false
	for _, e := range f.Evidence {
		if e.Key == "expired" && strings.Contains(e.Value, "(11520 s)") {
			found = true
		}
	}
	if !found {
		t.Errorf("evidence lacks seconds: %+v", f.Evidence)
	}
	// Just outside the leeway.
	if rep := check(t, mint(t, map[string]any{"exp": now.Add(-61 * time.Second).Unix()}, nil), tcNow()); !rep.Has("TOK006") {
		t.Errorf("61s past exp with 60s leeway must be expired")
	}
}

func TestCheck_TOK006_Clean_WithinLeeway(t *testing.T) {
	if rep := check(t, mint(t, map[string]any{"exp": now.Add(-30 * time.Second).Unix()}, nil), tcNow()); rep.Has("TOK006") {
		t.Errorf("30s past exp is inside a 60s leeway")
	}
	if rep := check(t, good(t), tcNow()); rep.Has("TOK006") {
		t.Errorf("valid token flagged")
	}
}

func TestCheck_TOK007_Fires_Future(t *testing.T) {
	tk := mint(t, map[string]any{"exp": now.Add(2 * time.Hour).Unix(), "nbf": now.Add(10 * time.Minute).Unix(), "iat": now.Add(10 * time.Minute).Unix()}, nil)
	rep := check(t, tk, token.TimeContext{Now: now, Leeway: time.Minute, HaveSkew: true, Skew: -10 * time.Minute, SkewFrom: "login.microsoftonline.com"})
	n := 0
	for _, f := range rep.Findings {
		if f.ID == "TOK007" {
			n++
			ok := false
			for _, e := range f.Evidence {
				if e.Key == "clock skew" && strings.Contains(e.Value, "10m behind login.microsoftonline.com") {
					ok = true
				}
			}
			if !ok {
				t.Errorf("measured skew missing from evidence: %+v", f.Evidence)
			}
		}
	}
	if n != 1 {
		t.Fatalf("want exactly one TOK007 for one cause, got %d (%v)", n, ids(rep))
	}
}

func TestCheck_TOK007_Clean_WithinLeeway(t *testing.T) {
	tk := mint(t, map[string]any{"exp": now.Add(time.Hour).Unix(), "nbf": now.Add(30 * time.Second).Unix(), "iat": now.Add(30 * time.Second).Unix()}, nil)
	if rep := check(t, tk, tcNow()); rep.Has("TOK007") {
		t.Errorf("30s in the future is inside the leeway")
	}
}

func TestCheck_TOK009_Fires_GraphToken(t *testing.T) {
	rep := check(t, readFixture(t, "tokens/entra-v1-graph-access-token.nonce-header.2019-01.jwt"), tcNow())
	if !rep.Has("TOK009") {
		t.Fatalf("Graph token not flagged: %v", ids(rep))
	}
	// Graph audience as the app GUID, without a header nonce.
	tk := mint(t, map[string]any{"iss": "https://login.microsoftonline.com/26039cce-489d-4002-8293-5b0c5134eacb/v2.0",
		"aud": token.GraphAppID, "tid": "26039cce-489d-4002-8293-5b0c5134eacb", "exp": now.Unix() + 600, "azp": "x"}, nil)
	if rep := check(t, tk, tcNow()); !rep.Has("TOK009") {
		t.Errorf("Graph GUID audience not flagged")
	}
}

func TestCheck_TOK009_Clean_OwnToken(t *testing.T) {
	for _, f := range []string{"tokens/entra-v2-id-token.2019-01.jwt", "tokens/entra-v1-access-token.api-uri-aud.2023-11.jwt"} {
		if rep := check(t, readFixture(t, f), tcNow()); rep.Has("TOK009") {
			t.Errorf("%s flagged as a Graph token", f)
		}
	}
}

func TestCheck_TOK010_Fires_NoExp(t *testing.T) {
	if rep := check(t, mint(t, map[string]any{"iss": "https://idp.example.com", "sub": "x"}, nil), tcNow()); !rep.Has("TOK010") {
		t.Fatalf("missing exp not flagged: %v", ids(rep))
	}
}

func TestCheck_TOK010_Clean_HasExp(t *testing.T) {
	if rep := check(t, good(t), tcNow()); rep.Has("TOK010") {
		t.Fatalf("exp present but flagged")
	}
}

func TestCheck_ROL008_Fires_Overage(t *testing.T) {
	if rep := check(t, readFixture(t, "tokens/entra-v1-access-token.groups-overage.2014-07.jwt"), tcNow()); !rep.Has("ROL008") {
		t.Fatalf("_claim_names overage not flagged: %v", ids(rep))
	}
	tk := mint(t, map[string]any{"iss": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0", "hasgroups": true, "exp": now.Unix() + 60}, nil)
	if rep := check(t, tk, tcNow()); !rep.Has("ROL008") {
		t.Fatalf("hasgroups not flagged")
	}
}

func TestCheck_ROL008_Clean_GroupsInToken(t *testing.T) {
	tk := mint(t, map[string]any{"iss": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0", "groups": []string{"a"}, "hasgroups": false, "exp": now.Unix() + 60}, nil)
	if rep := check(t, tk, tcNow()); rep.Has("ROL008") {
		t.Fatal("groups present, hasgroups false: no overage")
	}
	if rep := check(t, readFixture(t, "tokens/entra-v1-id-token.cyrano.2014-12.jwt"), tcNow()); rep.Has("ROL008") {
		t.Fatal("cyrano token has no overage")
	}
}

// Expected identifications are derived from tokens-manifest.json, the
// fixture names and spec/idp.md (§2.2 v1/v2 claims, §6 issuer shapes).
func TestIdentifyRealTokens(t *testing.T) {
	type want struct{ idp, kind, version, tenant, app, realm, server string }
	cases := map[string]want{
		"adfs-access-token.2023-11.jwt":                        {idp: "adfs", kind: "access", app: "76b2966b-b1b0-4aec-a5da-661cffe095e0"},
		"auth0-access-token.client-credentials.2023-09.jwt":    {idp: "auth0", kind: "access", app: "3JJeI4tmMC6v8mCVCSDnAGVf2vrnJ0BT"},
		"entra-v1-access-token.api-uri-aud.2023-11.jwt":        {idp: "azure", kind: "access", version: "1.0", tenant: "9a95fd9e-005d-487a-9a01-d08c1eab2757", app: "6de1dbb3-10c6-49e6-9f67-119f30684a1b"},
		"entra-v1-access-token.groups-overage.2014-07.jwt":     {idp: "azure", kind: "access", version: "1.0", tenant: "72f988bf-86f1-41af-91ab-2d7cd011db47", app: "118e170f-cf26-400f-a0e9-96910b31187e"},
		"entra-v1-graph-access-token.nonce-header.2019-01.jwt": {idp: "azure", kind: "access", version: "1.0", tenant: "26039cce-489d-4002-8293-5b0c5134eacb", app: "52d50834-b9a0-4948-9f62-1a3d283003d6"},
		"entra-v1-id-token.cyrano.2014-12.jwt":                 {idp: "azure", kind: "id", version: "1.0", tenant: "add29489-7269-41f4-8841-b63c95564420", app: "fe78e0b4-6fe7-47e6-812c-fb75cee266a4"},
		"entra-v2-id-token.2019-01.jwt":                        {idp: "azure", kind: "id", version: "2.0", tenant: "26039cce-489d-4002-8293-5b0c5134eacb", app: "52d50834-b9a0-4948-9f62-1a3d283003d6"},
		"google-id-token.service-account.2023-11.jwt":          {idp: "google", kind: "id", app: "117367810048642074939"},
		"keycloak-id-token.2023-10.jwt":                        {idp: "keycloak", kind: "id", realm: "demorealm", app: "myapp"},
		"okta-access-token.custom-as-default.2023-11.jwt":      {idp: "okta", kind: "access", server: "custom:default", app: "0oad5ngpvfKY1pj6R5d7"},
	}
	var manifest []struct {
		File string `json:"file"`
	}
	if err := json.Unmarshal([]byte(readFixture(t, "tokens/tokens-manifest.json")), &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest) != len(cases) {
		t.Errorf("manifest lists %d tokens, the test covers %d", len(manifest), len(cases))
	}
	for _, m := range manifest {
		name := filepath.Base(m.File)
		w, ok := cases[name]
		if !ok {
			t.Errorf("no expectation for %s", name)
			continue
		}
		ds, err := token.DecodeInput([]byte(readFixture(t, m.File)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := token.Identify(ds[0])
		if got.IdP != w.idp || got.Kind != w.kind || got.Version != w.version || got.Tenant != w.tenant ||
			got.App != w.app || got.Realm != w.realm || got.Server != w.server {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, w)
		}
		if got.Summary == "" {
			t.Errorf("%s: empty summary", name)
		}
	}
}

func TestIdentifyShapes(t *testing.T) {
	cases := []struct {
		claims map[string]any
		idp    string
		check  func(token.Identified) bool
	}{
		{map[string]any{"iss": "https://sso.example.com/auth/realms/lagoon", "typ": "Bearer", "azp": "web"}, "keycloak",
			func(i token.Identified) bool {
				return i.Server == "pre-17" && i.Kind == "access" && i.Realm == "lagoon"
			}},
		{map[string]any{"iss": "https://dev-1.okta.com", "aud": "0oa1", "nonce": "n"}, "okta",
			func(i token.Identified) bool { return i.Server == "org" && i.Kind == "id" }},
		{map[string]any{"iss": "accounts.google.com", "aud": "x"}, "google",
			func(i token.Identified) bool { return i.Has("issuer-without-scheme") }},
		{map[string]any{"iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc", "token_use": "access", "client_id": "c1"}, "cognito",
			func(i token.Identified) bool {
				return i.Kind == "access" && i.App == "c1" && i.Realm == "eu-west-1_abc"
			}},
		{map[string]any{"iss": "https://login.microsoftonline.com/" + idp.ConsumersTenant + "/v2.0", "tid": idp.ConsumersTenant, "aud": "a"}, "azure",
			func(i token.Identified) bool { return i.Has("consumer-tenant") && i.Version == "2.0" }},
		{map[string]any{"iss": "https://login.microsoftonline.us/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0", "aud": "a"}, "azure",
			func(i token.Identified) bool { return i.Cloud == "usgov" }},
		{map[string]any{"iss": "https://contoso.b2clogin.com/775527ff-9a37-4307-8b3d-cc311f58d925/v2.0/", "aud": "a"}, "azure",
			func(i token.Identified) bool { return i.Has("b2c") }},
	}
	for _, c := range cases {
		ds, err := token.DecodeInput([]byte(mint(t, c.claims, nil)))
		if err != nil {
			t.Fatal(err)
		}
		got := token.Identify(ds[0])
		if got.IdP != c.idp || !c.check(got) {
			t.Errorf("%v: got %+v", c.claims["iss"], got)
		}
	}
}

func TestHumanDurations(t *testing.T) {
	cases := map[time.Duration]string{
		41 * time.Second: "41s", 41 * time.Minute: "41m", 3*time.Hour + 12*time.Minute: "3h12m",
		2 * 24 * time.Hour: "2d", 50*time.Hour + 5*time.Minute: "2d2h", 90 * time.Second: "1m30s",
	}
	for d, want := range cases {
		if got := token.Human(d); got != want {
			t.Errorf("Human(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestObjectKeepsOrderAndNumbers(t *testing.T) {
	o, dups, err := token.ParseObject([]byte(`{"z":1,"a":12345678901234567890,"m":{"x":[1,2]},"z":2}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(o)
	if string(b) != `{"z":2,"a":12345678901234567890,"m":{"x":[1,2]}}` {
		t.Errorf("order or number lost: %s", b)
	}
	if len(dups) != 1 || dups[0] != "z" {
		t.Errorf("duplicates %v", dups)
	}
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	if _, _, err := token.ParseObject([]byte(`{"a":` + deep + `}`)); err == nil {
		t.Error("100,000 levels of nesting must be refused, not recursed")
	}
}

func BenchmarkDecode(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "fixtures", "tokens", "entra-v1-access-token.api-uri-aud.2023-11.jwt"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ds, err := token.DecodeInput(raw)
		if err != nil || len(ds) != 1 {
			b.Fatal(err)
		}
		_ = token.Identify(ds[0])
	}
}
