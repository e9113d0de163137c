package verify_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/verify"
	"github.com/golang-jwt/jwt/v5"
)

// The physical floor for RS256: one RSA-2048 PKCS#1 v1.5 verification of
// a SHA-256 digest.
func BenchmarkRawRSA2048Verify(b *testing.B) {
	f := newFixture(b)
	raw := f.mint(b, jwt.SigningMethodRS256, "r1", nil)
	i := strings.LastIndexByte(raw, '.')
	sig, _ := base64.RawURLEncoding.DecodeString(raw[i+1:])
	h := sha256.Sum256([]byte(raw[:i]))
	pub := &f.rsaKey.PublicKey
	b.ReportAllocs()
	for b.Loop() {
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}

// golang-jwt parse + verify, the reference figure of the issue.
func BenchmarkGolangJWTRS256(b *testing.B) {
	f := newFixture(b)
	raw := f.mint(b, jwt.SigningMethodRS256, "r1", nil)
	p := jwt.NewParser(jwt.WithTimeFunc(func() time.Time { return now }))
	kf := func(*jwt.Token) (any, error) { return &f.rsaKey.PublicKey, nil }
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Parse(raw, kf); err != nil {
			b.Fatal(err)
		}
	}
}

func benchFast(b *testing.B, m jwt.SigningMethod, kid string) {
	f := newFixture(b)
	raw := f.mint(b, m, kid, nil)
	fast := verify.NewFast(f.ks, verify.Options{Now: now, Leeway: time.Minute, Audiences: []string{aud}}, iss, nil, tid)
	if !fast.OK(raw) {
		b.Fatal("fast path refused a valid token")
	}
	b.ReportAllocs()
	for b.Loop() {
		if !fast.OK(raw) {
			b.Fatal("refused")
		}
	}
}

// The batch fast path (signature + claims) for RS256 and ES256.
func BenchmarkFastRS256(b *testing.B) { benchFast(b, jwt.SigningMethodRS256, "r1") }
func BenchmarkFastES256(b *testing.B) { benchFast(b, jwt.SigningMethodES256, "e1") }

// The full diagnosis of one valid token (what single-token verify does
// after the keys are in hand).
func BenchmarkFullVerifyRS256(b *testing.B) {
	f := newFixture(b)
	raw := f.mint(b, jwt.SigningMethodRS256, "r1", nil)
	o := verify.Options{Now: now, Leeway: time.Minute, Audiences: []string{aud}}
	reg := catalog.Default()
	b.ReportAllocs()
	for b.Loop() {
		rep := engine.NewReport(reg, "verify")
		d, p := token.Decode(token.Candidate{Label: "token", Raw: raw})
		if p != nil {
			b.Fatal(p)
		}
		if out := verify.Verify(context.Background(), rep, d, token.Identify(d), f.ks, o, nil); out.Signature != "verified" {
			b.Fatal(out)
		}
	}
}

// Reading the 10-key Entra common v2 set (7 Entra + 3 MSA keys).
func BenchmarkParseEntraKeySet(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "fixtures", "azure", "entra-v2-common-jwks.2024-07.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ks, err := verify.ParseKeySet("k", raw)
		if err != nil || len(ks.Keys) != 10 {
			b.Fatalf("%v %d", err, len(ks.Keys))
		}
	}
}
