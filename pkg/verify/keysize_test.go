package verify_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/verify"
	"github.com/golang-jwt/jwt/v5"
)

// hugeRSASet is a key set whose key "big" has a modulus of bits bits.
func hugeRSASet(t *testing.T, bits int) *verify.KeySet {
	t.Helper()
	n := make([]byte, bits/8)
	rand.Read(n)
	n[0] |= 0x80
	n[len(n)-1] |= 1
	raw, _ := json.Marshal(map[string]any{"keys": []any{map[string]any{"kty": "RSA", "kid": "big", "use": "sig", "alg": "RS256",
		"n": base64.RawURLEncoding.EncodeToString(n), "e": "AQAB"}}})
	ks, err := verify.ParseKeySet("https://idp.hostile.test/keys", raw)
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func signedWithKid(t *testing.T, kid string) *token.Decoded {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tk := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": iss, "aud": aud, "exp": now.Add(time.Hour).Unix()})
	tk.Header["kid"] = kid
	s, err := tk.SignedString(k)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := token.DecodeInput([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return ds[0]
}

// A hostile key set publishing an RSA key of millions of bits made verify
// spin for hours in crypto/rsa (found by the hostile-server suite,
// pkg/hostile): such a key is refused before use, with TOK005 saying why.
func TestVerify_HugeRSAModulusRefused(t *testing.T) {
	d := signedWithKid(t, "big")
	ks := hugeRSASet(t, 1<<20) // 1 Mbit
	rep := engine.NewReport(catalog.Default(), "verify")
	done := make(chan verify.Outcome, 1)
	go func() {
		done <- verify.Verify(context.Background(), rep, d, token.Identify(d), ks, verify.Options{Now: now, Leeway: time.Minute}, nil)
	}()
	var out verify.Outcome
	select {
	case out = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Verify with a 1-Mbit RSA key did not return within 20 s")
	}
	if out.Signature == "verified" || out.Reason != "key unusable" {
		t.Fatalf("outcome %+v, want the key refused", out)
	}
	f, ok := findingOf(rep, "TOK005")
	if !ok || !strings.Contains(f.Message, "1048576 bits") || !strings.Contains(f.Message, "16384") {
		t.Fatalf("TOK005 = %+v (findings %v)", f, rep.Findings)
	}
	// The fast path of --batch refuses it as well.
	fast := verify.NewFast(ks, verify.Options{Now: now, Leeway: time.Minute}, iss, nil, "")
	start := time.Now()
	if fast.OK(d.Raw) {
		t.Fatal("the fast path accepted a token for a refused key")
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("the fast path took %v", el)
	}
}

// Keys at the bound are used: a 16384-bit modulus is checked (and, being
// random, does not verify the signature).
func TestVerify_RSAModulusAtBoundUsed(t *testing.T) {
	d := signedWithKid(t, "big")
	rep := engine.NewReport(catalog.Default(), "verify")
	out := verify.Verify(context.Background(), rep, d, token.Identify(d), hugeRSASet(t, verify.MaxRSABits), verify.Options{Now: now, Leeway: time.Minute}, nil)
	if out.Signature != "invalid" || out.Reason != "signature does not verify" {
		t.Fatalf("outcome %+v, want the signature checked and invalid", out)
	}
}

func findingOf(rep *engine.Report, id string) (engine.Finding, bool) {
	for _, f := range rep.Findings {
		if f.ID == id {
			return f, true
		}
	}
	return engine.Finding{}, false
}
