package tokenpipe

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/issuer"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/verify"
	"github.com/golang-jwt/jwt/v5"
)

var (
	at     = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	iss    = "https://sso.example.com/realms/airflow"
	client = "airflow"
)

type fixture struct {
	key  *rsa.PrivateKey
	keys *Keys
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	set, _ := json.Marshal(map[string]any{"keys": []any{map[string]any{"kty": "RSA", "kid": "k1", "use": "sig",
		"n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}}})
	ks, err := verify.ParseKeySet("keys.json", set)
	if err != nil {
		t.Fatal(err)
	}
	tc := token.TimeContext{Now: at, Leeway: time.Minute}
	return &fixture{key: k, keys: &Keys{Set: ks, From: "keys.json", Expect: issuer.Expectation{Issuer: iss, Source: "test"},
		Options: verify.Options{Now: at, Leeway: time.Minute, Time: tc}, ClientID: client}}
}

func (f *fixture) check(t *testing.T, typ string, claims jwt.MapClaims) (Checked, *engine.Report) {
	t.Helper()
	tk := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tk.Header["kid"] = "k1"
	if typ != "" {
		tk.Header["typ"] = typ
	}
	s, err := tk.SignedString(f.key)
	if err != nil {
		t.Fatal(err)
	}
	rep := engine.NewReport(catalog.Default(), "test")
	ds := Decode(rep, []byte(s))
	if len(ds) != 1 {
		t.Fatalf("decode: %+v", rep.Findings)
	}
	return f.keys.Check(t.Context(), rep, ds[0]), rep
}

func claims(aud string, extra map[string]any) jwt.MapClaims {
	c := jwt.MapClaims{"iss": iss, "aud": aud, "sub": "u1", "exp": at.Add(time.Hour).Unix(), "iat": at.Add(-time.Minute).Unix()}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

// RFC 8725 §3.12: mutually exclusive validation rules for the kinds of
// token. The rule of an ID token (aud is the app's client ID) is applied
// to ID tokens only; a token typed at+jwt (RFC 9068) is an access token
// for an API, judged by its own audience, never accepted as an ID token
// of the app.
func TestRFC8725_3_12_RulesByKindOfToken(t *testing.T) {
	f := newFixture(t)
	id, rep := f.check(t, "JWT", claims(client, map[string]any{"nonce": "n"}))
	if id.Verdict != "valid" || id.Identified.Kind != "id" || len(rep.Findings) != 0 {
		t.Fatalf("ID token for the app: %+v %+v", id, rep.Findings)
	}
	other, rep := f.check(t, "JWT", claims("another-app", map[string]any{"nonce": "n"}))
	if other.Verdict != "invalid" || !rep.Has("TOK008") {
		t.Errorf("ID token of another app: %s %+v", other.Verdict, rep.Findings)
	}
	api, rep := f.check(t, "at+jwt", claims("https://api.example.com", nil))
	if api.Identified.Kind != "access" || rep.Has("TOK008") || api.Verdict != "valid" {
		t.Errorf("access token typed at+jwt: kind %s verdict %s %+v", api.Identified.Kind, api.Verdict, rep.Findings)
	}
	// Typed at+jwt but carrying an ID token's shape: still an access
	// token (explicit typing wins), not the app's ID token.
	typed, _ := f.check(t, "application/at+jwt", claims(client, map[string]any{"nonce": "n"}))
	if typed.Identified.Kind != "access" {
		t.Errorf("typ application/at+jwt identified as %s", typed.Identified.Kind)
	}
}

// Without keys, a strict run (verify) reports TOK011 and calls the token
// unverified; doctor's run skips it with the reason.
func TestCheckWithoutKeys(t *testing.T) {
	f := newFixture(t)
	f.keys.Set, f.keys.Missing = nil, "offline, no key set"
	f.keys.Strict = true
	c, rep := f.check(t, "", claims(client, nil))
	if c.Verdict != "unverified" || !rep.Has("TOK011") || rep.MaxSeverity() != engine.SeverityError {
		t.Errorf("strict: %s %+v", c.Verdict, rep.Findings)
	}
	f.keys.Strict = false
	c, rep = f.check(t, "", claims(client, nil))
	skipped := false
	for _, s := range rep.Skipped {
		skipped = skipped || s.ID == "TOK011" && s.Reason == "offline, no key set"
	}
	if c.Verdict != "unverified" || rep.Has("TOK011") || !skipped {
		t.Errorf("not strict: %s %+v %+v", c.Verdict, rep.Findings, rep.Skipped)
	}
	// An expired token without keys is invalid: something is proven wrong.
	f.keys.Strict = true
	c, _ = f.check(t, "", claims(client, map[string]any{"exp": at.Add(-time.Hour).Unix()}))
	if c.Verdict != "invalid" {
		t.Errorf("expired, no keys: %s", c.Verdict)
	}
}

// A decode-only error (alg none) makes the verdict invalid, not merely
// unverified.
func TestDecodeErrorsCountInTheVerdict(t *testing.T) {
	f := newFixture(t)
	b64 := base64.RawURLEncoding.EncodeToString
	c, _ := json.Marshal(claims(client, nil))
	rep := engine.NewReport(catalog.Default(), "test")
	ds := Decode(rep, []byte(b64([]byte(`{"alg":"none"}`))+"."+b64(c)+"."))
	if got := f.keys.Check(t.Context(), rep, ds[0]); got.Verdict != "invalid" || !rep.Has("TOK002") {
		t.Errorf("alg none: %s %+v", got.Verdict, rep.Findings)
	}
}
