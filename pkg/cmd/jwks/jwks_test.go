package jwks_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

const host = "login.microsoftonline.com"
const keysURL = "https://" + host + "/common/discovery/v2.0/keys"

type out struct {
	Findings []struct {
		ID, Severity, Message string
		Subject               struct{ URL, Name string }
		Evidence              []struct{ Key, Value string }
	}
	Skipped []struct{ ID, Reason string }
	Result  struct {
		TLSVerification string
		Sets            []struct {
			URL     string
			Skipped string
			Fetch   *struct {
				Status      int
				ContentType string
				Error       *struct{ Stage, Reason string }
			}
			Keys []struct {
				KID, KTY, Alg, Use, Thumbprint, Issuer string
				Bits                                   int
				Usable                                 bool `json:"usableForSignatures"`
				PrivateMembers                         []string
				Certificate                            *struct{ Subject string }
			}
			UsableForSignatures int
		}
	}
	code   int
	stdout string
}

func (o *out) ids() string {
	var s []string
	for _, f := range o.Findings {
		s = append(s, f.ID+":"+f.Severity)
	}
	sort.Strings(s)
	return strings.Join(s, " ")
}

// serveKeys serves body at keysURL over TLS and runs `jwks` on it.
func serveKeys(t *testing.T, body []byte, extra ...string) *out {
	t.Helper()
	srv := testkit.StartTLS(t, []string{host}, testkit.Routes{"/common/discovery/v2.0/keys": testkit.JSON(body)})
	args := append(append([]string{"jwks", keysURL, "-o", "json"}, srv.Args()...), extra...)
	stdout, stderr, code := clitest.RunCLI(t, args...)
	o := &out{code: code, stdout: stdout}
	if err := json.Unmarshal([]byte(stdout), o); err != nil {
		t.Fatalf("exit %d: %v\n%s\n%s", code, err, stdout, stderr)
	}
	return o
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func rsaKey(t *testing.T, bits int) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func jwk(k *rsa.PublicKey, kid string) map[string]any {
	return map[string]any{"kty": "RSA", "use": "sig", "kid": kid, "n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}
}

func setOf(keys ...map[string]any) []byte {
	if keys == nil {
		keys = []map[string]any{}
	}
	b, _ := json.Marshal(map[string]any{"keys": keys})
	return b
}

func TestCheck_JWK002_Fires_JSONObjectWithoutKeys(t *testing.T) {
	o := serveKeys(t, []byte(`{"error":"invalid_tenant","error_description":"AADSTS90002: Tenant not found."}`))
	if o.ids() != "JWK002:error" || o.code != 1 {
		t.Fatalf("findings %s exit %d", o.ids(), o.code)
	}
	if !strings.Contains(o.Findings[0].Message, `without a "keys" array (members: error, error_description)`) || o.Findings[0].Subject.URL != keysURL {
		t.Errorf("%+v", o.Findings[0])
	}
	if s := o.Result.Sets[0]; s.Skipped != "not a JWK Set (JWK002)" || s.Fetch.Status != 200 {
		t.Errorf("%+v", s)
	}
}

func TestCheck_JWK002_Clean_RealEntraSetOverTLS(t *testing.T) {
	o := serveKeys(t, testkit.Fixture(t, "azure/entra-v2-common-jwks.2024-10-26.json"), "--now", "2024-10-26T12:00:00Z")
	if o.ids() != "" || o.code != 0 || len(o.Skipped) != 0 {
		t.Fatalf("findings %s exit %d skipped %+v", o.ids(), o.code, o.Skipped)
	}
	s := o.Result.Sets[0]
	if len(s.Keys) != 7 || s.UsableForSignatures != 7 || s.Fetch.ContentType != "application/json; charset=utf-8" {
		t.Errorf("%+v", s)
	}
	k := s.Keys[0]
	if k.KID != "Mc7l3Iz93g7uwgNeEmmw_WYGPko" || k.KTY != "RSA" || k.Bits != 2048 || k.Issuer != "https://login.microsoftonline.com/{tenantid}/v2.0" ||
		k.Certificate == nil || k.Certificate.Subject != "CN=accounts.accesscontrol.windows.net" || len(k.Thumbprint) != 43 {
		t.Errorf("%+v", k)
	}
}

func TestCheck_JWK003_Fires_EmptySetOverTLS(t *testing.T) {
	o := serveKeys(t, []byte(`{"keys":[]}`))
	if o.ids() != "JWK003:error" || !strings.Contains(o.Findings[0].Message, "the set is empty") {
		t.Errorf("%s %+v", o.ids(), o.Findings)
	}
}

func TestCheck_JWK003_Clean_RealKeycloakOverTLS(t *testing.T) {
	o := serveKeys(t, testkit.Fixture(t, "keycloak/keycloak-jwks.demorealm.2023-10.json"), "--now", "2023-10-20T00:00:00Z")
	if o.ids() != "JWK008:info" || o.code != 0 || o.Result.Sets[0].UsableForSignatures != 1 {
		t.Errorf("%s exit %d", o.ids(), o.code)
	}
}

func TestCheck_JWK005_Fires_PrivateMembersOverTLS(t *testing.T) {
	k := rsaKey(t, 2048)
	m := jwk(&k.PublicKey, "leak")
	m["d"] = b64(k.D.Bytes())
	m["dp"] = b64(k.Precomputed.Dp.Bytes())
	o := serveKeys(t, setOf(m))
	if o.ids() != "JWK005:error" || o.code != 1 {
		t.Fatalf("%s", o.ids())
	}
	if strings.Contains(o.stdout, m["d"].(string)) || strings.Contains(o.stdout, m["dp"].(string)) {
		t.Fatal("a private value is in the output")
	}
	if pm := o.Result.Sets[0].Keys[0].PrivateMembers; strings.Join(pm, ",") != "d,dp" {
		t.Errorf("private members %v", pm)
	}
	// The text form never shows it either.
	srv := testkit.StartTLS(t, []string{host}, testkit.Routes{"/common/discovery/v2.0/keys": testkit.JSON(setOf(m))})
	text, _, _ := clitest.RunCLI(t, append([]string{"jwks", keysURL}, srv.Args()...)...)
	if strings.Contains(text, m["d"].(string)) || !strings.Contains(text, "PRIVATE MEMBERS PUBLISHED: d,dp") || !strings.Contains(text, "(values <redacted>)") {
		t.Errorf("text:\n%s", text)
	}
}

func TestCheck_JWK005_Clean_RealGoogleOverTLS(t *testing.T) {
	o := serveKeys(t, testkit.Fixture(t, "google/google-jwks.2024-10-21.json"))
	if o.ids() != "" {
		t.Errorf("%s", o.ids())
	}
}

func TestCheck_JWK006_Fires_WeakKeyOverTLS(t *testing.T) {
	o := serveKeys(t, setOf(jwk(&rsaKey(t, 1024).PublicKey, "weak"), jwk(&rsaKey(t, 2048).PublicKey, "ok")))
	if o.ids() != "JWK006:warning" || o.code != 0 || o.Findings[0].Subject.Name != "kid weak" {
		t.Errorf("%s exit %d %+v", o.ids(), o.code, o.Findings)
	}
	// --fail-on warning makes it fail.
	if o := serveKeys(t, setOf(jwk(&rsaKey(t, 1024).PublicKey, "weak")), "--fail-on", "warning"); o.code != 1 {
		t.Errorf("exit %d with --fail-on warning", o.code)
	}
}

func TestCheck_JWK006_Clean_RealADFS4096OverTLS(t *testing.T) {
	o := serveKeys(t, testkit.Fixture(t, "adfs/adfs-jwks.2023-11.json"), "--now", "2023-11-15T00:00:00Z")
	if o.ids() != "" || o.Result.Sets[0].Keys[0].Bits != 4096 {
		t.Errorf("%s", o.ids())
	}
}

func TestCheck_JWK007_Fires_X5CDoesNotMatchOverTLS(t *testing.T) {
	a, b := rsaKey(t, 2048), rsaKey(t, 2048)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "idp signing"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &b.PublicKey, b)
	if err != nil {
		t.Fatal(err)
	}
	m := jwk(&a.PublicKey, "rotated-wrong")
	m["x5c"] = []string{base64.StdEncoding.EncodeToString(der)}
	sum := sha1.Sum(der)
	m["x5t"] = b64(sum[:])
	o := serveKeys(t, setOf(m))
	if o.ids() != "JWK007:warning" || !strings.Contains(o.Findings[0].Message, "another public key than the key's n/e") {
		t.Errorf("%s %+v", o.ids(), o.Findings)
	}
}

func TestCheck_JWK007_Clean_RealAuth0OverTLS(t *testing.T) {
	o := serveKeys(t, testkit.Fixture(t, "auth0/auth0-jwks.2023-09.json"), "--now", "2023-09-15T00:00:00Z")
	if o.ids() != "" {
		t.Errorf("%s", o.ids())
	}
}

func TestCheck_JWK004_Fires_DuplicateKidOverTLS(t *testing.T) {
	k := rsaKey(t, 2048)
	o := serveKeys(t, setOf(jwk(&k.PublicKey, "dup"), jwk(&rsaKey(t, 2048).PublicKey, "dup")))
	if o.ids() != "JWK004:warning" || !strings.Contains(o.Findings[0].Message, `kid "dup" is also used by keys[0]`) {
		t.Errorf("%s %+v", o.ids(), o.Findings)
	}
}

func TestCheck_JWK004_Clean_RealCognitoKidsWithSlashes(t *testing.T) {
	// Cognito kids are standard base64 (+ / =): not a problem, kid is opaque.
	o := serveKeys(t, testkit.Fixture(t, "cognito/cognito-jwks.2017.json"))
	if o.ids() != "" {
		t.Errorf("%s", o.ids())
	}
}

func TestCheck_JWK008_Fires_EncryptionKeyOverTLS(t *testing.T) {
	m := jwk(&rsaKey(t, 2048).PublicKey, "enc")
	m["use"], m["alg"] = "enc", "RSA-OAEP"
	o := serveKeys(t, setOf(m, jwk(&rsaKey(t, 2048).PublicKey, "sig")))
	if o.ids() != "JWK008:info" || o.Findings[0].Subject.Name != "kid enc" {
		t.Errorf("%s %+v", o.ids(), o.Findings)
	}
}

func TestCheck_JWK008_Clean_RealEntraTenantOverTLS(t *testing.T) {
	o := serveKeys(t, testkit.Fixture(t, "azure/entra-v2-tenant-9a95fd9e-jwks.2023-11.json"), "--now", "2023-11-15T00:00:00Z")
	if o.ids() != "" {
		t.Errorf("%s", o.ids())
	}
}

func TestJWKS_FetchFailureIsJWK001(t *testing.T) {
	srv := testkit.StartTLS(t, []string{host}, testkit.Routes{"/common/discovery/v2.0/keys": testkit.Text(503, "Service Unavailable: upstream overloaded")})
	stdout, _, code := clitest.RunCLI(t, append([]string{"jwks", keysURL}, srv.Args()...)...)
	if code != 1 || !strings.HasPrefix(stdout, "FAIL JWK001 jwks-unreachable: the key set cannot be fetched: the HTTP stage failed: HTTP 503 Service Unavailable") ||
		!strings.Contains(stdout, "upstream overloaded") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
}

func TestJWKS_TextKeyTable(t *testing.T) {
	srv := testkit.StartTLS(t, []string{host}, testkit.Routes{"/common/discovery/v2.0/keys": testkit.JSON(testkit.Fixture(t, "keycloak/keycloak-jwks.demorealm.2023-10.json"))})
	stdout, _, code := clitest.RunCLI(t, append([]string{"jwks", keysURL, "--now", "2023-10-20T00:00:00Z"}, srv.Args()...)...)
	for _, want := range []string{
		"INFO JWK008 jwk-use-mismatch: kid EWGWeiW8jqUC_T7Fawi5ecRbrDOanB_uqtTgAOgJDPk: use is \"enc\"",
		"Key set  " + keysURL,
		"2 keys, 1 usable for signatures",
		"KID                                          KEY       USE  ALG       SIGNS",
		"kf46eDlB9jtz2PpktQ6NQSfRwoU_tT3NqxlI8C4MGvQ  RSA 2048  sig  RS256     yes",
		"no: an encryption key (use \"enc\")",
		"THUMBPRINT (RFC 7638)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text lacks %q:\n%s", want, stdout)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
}
