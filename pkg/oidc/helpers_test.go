package oidc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// testRegistry holds this family's checks (pkg/catalog imports this
// package, so the tests here cannot use it).
var testRegistry = sync.OnceValue(func() *engine.Registry {
	reg := engine.NewRegistry()
	for _, c := range append(append([]engine.Check{}, DiscoveryChecks...), KeyChecks...) {
		reg.MustRegister(c)
	}
	return reg
})

func newReport() *engine.Report { return engine.NewReport(testRegistry(), "test") }

// found lists "ID:severity" of the findings, sorted.
func found(rep *engine.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.ID+":"+f.Severity.String())
	}
	sort.Strings(out)
	return out
}

func wantFound(t *testing.T, rep *engine.Report, want ...string) {
	t.Helper()
	sort.Strings(want)
	got := found(rep)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("findings = %v, want %v", got, want)
		for _, f := range rep.Findings {
			t.Logf("  %s %s: %s", f.ID, f.Severity, f.Message)
		}
	}
}

func finding(t *testing.T, rep *engine.Report, id string) *engine.Finding {
	t.Helper()
	for i := range rep.Findings {
		if rep.Findings[i].ID == id {
			return &rep.Findings[i]
		}
	}
	t.Fatalf("no %s finding; have %v", id, found(rep))
	return nil
}

func evidence(f *engine.Finding, key string) string {
	for _, e := range f.Evidence {
		if e.Key == key {
			return e.Value
		}
	}
	return ""
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

var (
	keyOnce sync.Once
	rsaA    *rsa.PrivateKey
	rsaB    *rsa.PrivateKey
	rsaWeak *rsa.PrivateKey
	ecA     *ecdsa.PrivateKey
)

func keys(t *testing.T) {
	t.Helper()
	keyOnce.Do(func() {
		rsaA, _ = rsa.GenerateKey(rand.Reader, 2048)
		rsaB, _ = rsa.GenerateKey(rand.Reader, 2048)
		rsaWeak, _ = rsa.GenerateKey(rand.Reader, 1024)
		ecA, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	})
}

func rsaJWK(pub *rsa.PublicKey, kid string) map[string]any {
	return map[string]any{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes())}
}

func ecJWK(pub *ecdsa.PublicKey, kid string) map[string]any {
	x, y := make([]byte, 32), make([]byte, 32)
	pub.X.FillBytes(x)
	pub.Y.FillBytes(y)
	return map[string]any{"kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": kid, "x": b64(x), "y": b64(y)}
}

// selfSigned makes a certificate for pub signed by signer, valid from nb
// to na.
func selfSigned(t *testing.T, pub crypto.PublicKey, signer crypto.Signer, nb, na time.Time) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "test signing key"},
		NotBefore: nb, NotAfter: na}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, signer)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func withCert(k map[string]any, der []byte) map[string]any {
	k["x5c"] = []string{base64.StdEncoding.EncodeToString(der)}
	s := sha1.Sum(der)
	k["x5t"] = b64(s[:])
	return k
}

func set(keys ...map[string]any) []byte {
	if keys == nil {
		keys = []map[string]any{}
	}
	b, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		panic(err)
	}
	return b
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return b
}

var day = func(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}
