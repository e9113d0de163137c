package verify_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/issuer"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/verify"
	"github.com/golang-jwt/jwt/v5"
)

const (
	tid = "4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13"
	iss = "https://login.microsoftonline.com/" + tid + "/v2.0"
	aud = "8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58"
)

var now = time.Date(2026, 11, 20, 9, 20, 0, 0, time.UTC)

type fixture struct {
	rsaKey, other *rsa.PrivateKey
	ecKey         *ecdsa.PrivateKey
	ks            *verify.KeySet
}

func newFixture(t testing.TB) *fixture {
	f := &fixture{}
	var err error
	if f.rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if f.other, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if f.ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	b := base64.RawURLEncoding.EncodeToString
	set := map[string]any{"keys": []any{
		map[string]any{"kty": "RSA", "kid": "r1", "use": "sig", "n": b(f.rsaKey.N.Bytes()), "e": b(big.NewInt(65537).Bytes()), "issuer": "https://login.microsoftonline.com/{tenantid}/v2.0"},
		map[string]any{"kty": "RSA", "kid": "msa", "use": "sig", "n": b(f.other.N.Bytes()), "e": b(big.NewInt(65537).Bytes()), "issuer": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"},
		map[string]any{"kty": "EC", "kid": "e1", "crv": "P-256", "x": b(f.ecKey.X.FillBytes(make([]byte, 32))), "y": b(f.ecKey.Y.FillBytes(make([]byte, 32)))},
	}}
	raw, _ := json.Marshal(set)
	if f.ks, err = verify.ParseKeySet("keys.json", raw); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) mint(t testing.TB, m jwt.SigningMethod, kid string, mod func(jwt.MapClaims, map[string]any)) string {
	c := jwt.MapClaims{"iss": iss, "aud": aud, "tid": tid, "sub": "s", "iat": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix()}
	h := map[string]any{}
	if mod != nil {
		mod(c, h)
	}
	tk := jwt.NewWithClaims(m, c)
	tk.Header["kid"] = kid
	for k, v := range h {
		tk.Header[k] = v
	}
	var key any = f.rsaKey
	switch {
	case kid == "msa":
		key = f.other
	case m == jwt.SigningMethodES256:
		key = f.ecKey
	case m == jwt.SigningMethodHS256:
		key = []byte("secret")
	}
	s, err := tk.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// slowClean runs the full diagnosis: true when it reports nothing.
func slowClean(t testing.TB, f *fixture, raw string, o verify.Options, exp issuer.Expectation) (bool, []string) {
	rep := engine.NewReport(catalog.Default(), "verify")
	d, p := token.Decode(token.Candidate{Label: "token", Raw: raw})
	if p != nil {
		return false, []string{"TOK001"}
	}
	id := token.Identify(d)
	tc := o.Time
	tc.Now, tc.Leeway, tc.SkipTimes = o.Now, o.Leeway, true
	token.CheckDecoded(rep, d, id, tc)
	out := verify.Verify(context.Background(), rep, d, id, f.ks, o, nil)
	exp.KeyIssuer, exp.KeyID = out.KeyIssuer, d.Kid()
	issuer.Check(rep, d, exp)
	var ids []string
	for _, x := range rep.Findings {
		ids = append(ids, x.ID)
	}
	return len(rep.Findings) == 0 && out.Signature == "verified", ids
}

// The fast path says yes only when the full diagnosis has nothing to say.
func TestFastPathAgreesWithFullDiagnosis(t *testing.T) {
	f := newFixture(t)
	o := verify.Options{Now: now, Leeway: time.Minute, Audiences: []string{aud}}
	exp := issuer.Expectation{Issuer: iss, Source: "test", Tenant: tid}
	cases := map[string]struct {
		raw   string
		valid bool
	}{
		"valid RS256":     {f.mint(t, jwt.SigningMethodRS256, "r1", nil), true},
		"valid ES256":     {f.mint(t, jwt.SigningMethodES256, "e1", nil), true},
		"aud array":       {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { c["aud"] = []string{"x", aud} }), true},
		"fractional exp":  {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { c["exp"] = float64(now.Unix()) + 30.5 }), true},
		"hasgroups false": {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { c["hasgroups"] = false }), true},
		"expired":         {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { c["exp"] = now.Add(-2 * time.Minute).Unix() }), false},
		"within leeway":   {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { c["exp"] = now.Add(-30 * time.Second).Unix() }), true},
		"nbf future":      {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { c["nbf"] = now.Add(5 * time.Minute).Unix() }), false},
		"iat future":      {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { c["iat"] = now.Add(5 * time.Minute).Unix() }), false},
		"no exp":          {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { delete(c, "exp") }), false},
		"wrong aud":       {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { c["aud"] = "api://" + aud }), false},
		"no aud":          {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { delete(c, "aud") }), false},
		"graph aud":       {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { c["aud"] = []string{aud, "https://graph.microsoft.com"} }), false},
		"header nonce":    {f.mint(t, jwt.SigningMethodRS256, "r1", func(_ jwt.MapClaims, h map[string]any) { h["nonce"] = "x" }), false},
		"overage":         {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { c["_claim_names"] = map[string]any{"groups": "src1"} }), false},
		"hasgroups true":  {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { c["hasgroups"] = true }), false},
		"other issuer":    {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { c["iss"] = iss + "/" }), false},
		"other tenant":    {f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) { c["tid"] = "72f988bf-86f1-41af-91ab-2d7cd011db47" }), false},
		"msa key":         {f.mint(t, jwt.SigningMethodRS256, "msa", nil), false},
		"unknown kid":     {f.mint(t, jwt.SigningMethodRS256, "zz", nil), false},
		"HS256":           {f.mint(t, jwt.SigningMethodHS256, "r1", nil), false},
		"tampered":        {tamper(f.mint(t, jwt.SigningMethodRS256, "r1", nil)), false},
		"alg none":        {"eyJhbGciOiJub25lIn0." + strings.Split(f.mint(t, jwt.SigningMethodRS256, "r1", nil), ".")[1] + ".", false},
		"garbage":         {"not.a.token", false},
		"two parts":       {"abc.def", false},
	}
	fast := verify.NewFast(f.ks, o, exp.Issuer, nil, tid)
	for name, c := range cases {
		got := fast.OK(c.raw)
		if signing, _ := verify.TokenDigests(c.raw); fast.OKDigest(c.raw, &signing) != got {
			t.Errorf("%s: OKDigest with the token's digest says %v, OK says %v", name, !got, got)
		}
		clean, ids := slowClean(t, f, c.raw, o, exp)
		if got && !clean {
			t.Errorf("%s: fast path said valid, full diagnosis found %v", name, ids)
		}
		if clean != c.valid {
			t.Errorf("%s: full diagnosis clean=%v (%v), the case expects %v", name, clean, ids, c.valid)
		}
		if c.valid && !got {
			t.Errorf("%s: a plainly valid token missed the fast path", name)
		}
		if got {
			sameFacts(t, name, fast, c.raw)
		}
	}
}

// sameFacts: the facts the fast path reads are those token.FactsOf reads
// from the decoded token.
func sameFacts(t *testing.T, name string, fast *verify.Fast, raw string) {
	t.Helper()
	var got token.Facts
	if !fast.Check(raw, nil, now, &got) {
		t.Fatalf("%s: Check at Options.Now disagrees with OK", name)
	}
	d, p := token.Decode(token.Candidate{Label: "token", Raw: raw})
	if p != nil {
		t.Fatalf("%s: %v", name, p)
	}
	want := token.FactsOf(d)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: fast path facts\n %+v\nFactsOf\n %+v", name, got, want)
	}
}

// Check judges as of the instant it is given, not Options.Now.
func TestFastCheckAtAnInstant(t *testing.T) {
	f := newFixture(t)
	o := verify.Options{Now: now, Leeway: time.Minute}
	fast := verify.NewFast(f.ks, o, iss, nil, tid)
	raw := f.mint(t, jwt.SigningMethodRS256, "r1", func(c jwt.MapClaims, _ map[string]any) {
		c["oid"], c["azp"], c["nbf"] = "6a1f0e2d-9c3b-4a85-b7d6-1e2f3a4b5c6d", "app-1", now.Add(-time.Minute).Unix()
	})
	sameFacts(t, "with oid, azp and nbf", fast, raw)
	for _, c := range []struct {
		at   time.Time
		want bool
	}{{now, true}, {now.Add(59*time.Minute + 59*time.Second), true}, {now.Add(time.Hour + time.Minute), false}, {now.Add(-3 * time.Minute), false}} {
		if got := fast.Check(raw, nil, c.at, nil); got != c.want {
			t.Errorf("at %s: %v, want %v", c.at, got, c.want)
		}
	}
}

func tamper(raw string) string {
	p := strings.Split(raw, ".")
	b, _ := base64.RawURLEncoding.DecodeString(p[1])
	b = []byte(strings.Replace(string(b), `"sub":"s"`, `"sub":"t"`, 1))
	p[1] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(p, ".")
}

// TokenDigests hashes once what two separate SHA-256 passes would: the
// signing input and the whole text (the fingerprint's input).
func TestTokenDigestsAreTheTwoSHA256s(t *testing.T) {
	for _, raw := range []string{"a.b.c", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "no-dot-at-all", "", "trailing.", ".leading"} {
		signing, whole := verify.TokenDigests(raw)
		wantWhole := sha256.Sum256([]byte(raw))
		wantSigning := wantWhole
		if j := strings.LastIndexByte(raw, '.'); j >= 0 {
			wantSigning = sha256.Sum256([]byte(raw[:j]))
		}
		if whole != wantWhole || signing != wantSigning {
			t.Errorf("%q: digests differ from sha256.Sum256", raw)
		}
		if token.FingerprintOf(whole) != token.Fingerprint(raw) {
			t.Errorf("%q: FingerprintOf(whole) = %s, Fingerprint = %s", raw, token.FingerprintOf(whole), token.Fingerprint(raw))
		}
	}
}

var (
	fuzzFixtureOnce sync.Once
	fuzzFixture     *fixture
)

// FuzzFastAgreesWithFull signs any payload (ES256: quick to sign) and
// checks the batch property end to end: when the fast path says valid,
// the full diagnosis finds nothing to report.
func FuzzFastAgreesWithFull(f *testing.F) {
	f.Add([]byte(`{"iss":"` + iss + `","aud":"` + aud + `","tid":"` + tid + `","exp":1795168800,"iat":1795165200}`))
	f.Add([]byte(`{"iss":"` + iss + `","aud":"` + aud + `","tid":"` + tid + `","exp":1795168800,"note":"a\0b"}`))
	f.Add([]byte(`{"iss":"` + iss + `","aud":["` + aud + `"],"tid":"` + tid + `","exp":1795168800}x`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		fuzzFixtureOnce.Do(func() { fuzzFixture = newFixture(t) })
		fx := fuzzFixture
		b := base64.RawURLEncoding.EncodeToString
		in := b([]byte(`{"alg":"ES256","kid":"e1"}`)) + "." + b(payload)
		sig, err := jwt.SigningMethodES256.Sign(in, fx.ecKey)
		if err != nil {
			t.Fatal(err)
		}
		raw := in + "." + b(sig)
		o := verify.Options{Now: now, Leeway: time.Minute, Audiences: []string{aud}}
		exp := issuer.Expectation{Issuer: iss, Source: "test", Tenant: tid}
		if !verify.NewFast(fx.ks, o, exp.Issuer, nil, tid).OK(raw) {
			return
		}
		if clean, ids := slowClean(t, fx, raw, o, exp); !clean {
			t.Fatalf("fast path said valid, full diagnosis found %v for payload %q", ids, payload)
		}
		sameFacts(t, fmt.Sprintf("payload %q", payload), verify.NewFast(fx.ks, o, exp.Issuer, nil, tid), raw)
	})
}
