package verify_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
	"github.com/golang-jwt/jwt/v5"
)

// Tokens judged by the RFCs (issue 18): RFC 7515 (crit), RFC 7519
// (NumericDate), RFC 8725 (JWT best current practices, §3 item by item).
// Every hostile token is rejected (exit 1) with the check that says why,
// and nothing it points at is fetched.

const attacker = "attacker.example"

// rawToken assembles a compact JWS from a header and claims written as
// JSON (any shape, valid or not) and a signature.
func rawToken(header, claims string, sig []byte) string {
	return b64([]byte(header)) + "." + b64([]byte(claims)) + "." + b64(sig)
}

// signRaw signs header.claims with an RSA key (RS256), whatever they hold.
func signRaw(t *testing.T, key *rsa.PrivateKey, header, claims string) string {
	t.Helper()
	in := b64([]byte(header)) + "." + b64([]byte(claims))
	sig, err := jwt.SigningMethodRS256.Sign(in, key)
	if err != nil {
		t.Fatal(err)
	}
	return in + "." + b64(sig)
}

// claimsJSON is a healthy set of ID-token claims with one member replaced
// by raw JSON (or removed with "").
func claimsJSON(member, raw string) string {
	c := idClaims(nil)
	m := map[string]json.RawMessage{}
	for k, v := range c {
		b, _ := json.Marshal(v)
		m[k] = b
	}
	if member != "" {
		if raw == "" {
			delete(m, member)
		} else {
			m[member] = json.RawMessage(raw)
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// hostileWorld is the tenant's keys in a file, the IdP on loopback (for
// the TOK004 probes) and an attacker's server that must never be asked.
type hostileWorld struct {
	keysFile string
	args     []string
	attacker *testkit.Server
	evil     *rsa.PrivateKey
	evilEC   *ecdsa.PrivateKey
}

func newHostileWorld(t *testing.T) *hostileWorld {
	t.Helper()
	keys(t)
	w := &hostileWorld{}
	var err error
	if w.evil, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if w.evilEC, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	evilSet := set(rsaJWK(w.evil, "evil", ""))
	w.attacker = testkit.StartTLS(t, []string{attacker}, testkit.Routes{"/jwks": testkit.JSON(evilSet), "/cert.pem": testkit.JSON(evilSet)})
	ecJWK := map[string]any{"kty": "EC", "crv": "P-256", "kid": "ec1", "use": "sig", "x": b64(ecKey.X.FillBytes(make([]byte, 32))), "y": b64(ecKey.Y.FillBytes(make([]byte, 32)))}
	rsaPS := rsaJWK(appKey, "ps1", "")
	rsaPS["alg"] = "RS256"
	dir := t.TempDir()
	w.keysFile = filepath.Join(dir, "keys.json")
	if err := os.WriteFile(w.keysFile, set(rsaJWK(tenantKey, "tk1", v2iss), ecJWK, rsaPS), 0o644); err != nil {
		t.Fatal(err)
	}
	idpSrv := azure(t, nil)
	w.args = append(append([]string{"--jwks", "@" + w.keysFile, "--expect-issuer", v2iss, "--audience", client}, idpSrv.Args()...), w.attacker.Args()...)
	return w
}

func (w *hostileWorld) evilJWK() string {
	b, _ := json.Marshal(rsaJWK(w.evil, "tk1", ""))
	return string(b)
}

func (w *hostileWorld) evilCert(t *testing.T) string {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "login.microsoftonline.com"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &w.evil.PublicKey, w.evil)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(der)
}

type hostileCase struct {
	name  string
	token string
	want  string   // the check that must say why
	extra []string // more flags
}

func hostileTokens(t *testing.T, w *hostileWorld) []hostileCase {
	good := claimsJSON("", "")
	hs := func(secret []byte) string {
		in := b64([]byte(`{"alg":"HS256","kid":"tk1","typ":"JWT"}`)) + "." + b64([]byte(good))
		sig, _ := jwt.SigningMethodHS256.Sign(in, secret)
		return in + "." + b64(sig)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: must(x509.MarshalPKIXPublicKey(&tenantKey.PublicKey))})
	es := func(kid string) string {
		in := b64([]byte(`{"alg":"ES256","kid":"`+kid+`"}`)) + "." + b64([]byte(good))
		sig, _ := jwt.SigningMethodES256.Sign(in, w.evilEC)
		return in + "." + b64(sig)
	}
	ps := func() string {
		in := b64([]byte(`{"alg":"PS256","kid":"ps1"}`)) + "." + b64([]byte(good))
		sig, _ := jwt.SigningMethodPS256.Sign(in, appKey)
		return in + "." + b64(sig)
	}
	rs := func(header string) string { return signRaw(t, tenantKey, header, good) }
	evil := func(header string) string { return signRaw(t, w.evil, header, good) }
	cases := []hostileCase{
		// RFC 8725 §3.1/§3.2: alg none in every casing, with and without a signature.
		{"alg none", rawToken(`{"alg":"none"}`, good, nil), "TOK002", nil},
		{"alg None", rawToken(`{"alg":"None","kid":"tk1"}`, good, nil), "TOK002", nil},
		{"alg NONE", rawToken(`{"alg":"NONE"}`, good, nil), "TOK002", nil},
		{"alg nOnE with a signature", rawToken(`{"alg":"nOnE","kid":"tk1"}`, good, []byte("sig")), "TOK002", nil},
		{"RS256 with an empty signature", rawToken(`{"alg":"RS256","kid":"tk1"}`, good, nil), "TOK002", nil},
		// §3.1/§3.2: algorithm confusion, the public key as an HMAC secret.
		{"HS256 keyed with the RSA modulus", hs(tenantKey.N.Bytes()), "TOK003", nil},
		{"HS256 keyed with the public key PEM", hs(pubPEM), "TOK003", nil},
		{"alg outside the allowed list", signRaw(t, tenantKey, `{"alg":"RS256","kid":"tk1"}`, good), "TOK003", []string{"--alg", "ES256"}},
		// §3.1: each key is used with its own algorithm only.
		{"ES256 token for an RSA key's kid", es("tk1"), "TOK005", nil},
		{"RS256 token for an EC key's kid", rs(`{"alg":"RS256","kid":"ec1"}`), "TOK005", nil},
		{"PS256 token for a key bound to RS256", ps(), "TOK005", nil},
		// §3.10: keys named by the token are never fetched nor trusted.
		{"jku to the attacker's set", evil(`{"alg":"RS256","kid":"evil","jku":"https://` + attacker + `/jwks"}`), "TOK004", nil},
		{"x5u to the attacker's certificate", evil(`{"alg":"RS256","kid":"evil","x5u":"https://` + attacker + `/cert.pem"}`), "TOK004", nil},
		{"jku with the tenant's kid", evil(`{"alg":"RS256","kid":"tk1","jku":"https://` + attacker + `/jwks"}`), "TOK005", nil},
		{"embedded jwk with its own kid", evil(`{"alg":"RS256","kid":"evil","jwk":` + w.evilJWK() + `}`), "TOK004", nil},
		{"embedded jwk with the tenant's kid", evil(`{"alg":"RS256","kid":"tk1","jwk":` + w.evilJWK() + `}`), "TOK005", nil},
		{"embedded x5c", evil(`{"alg":"RS256","kid":"tk1","x5c":["` + w.evilCert(t) + `"]}`), "TOK005", nil},
		{"kid as a path", evil(`{"alg":"RS256","kid":"../../../../etc/passwd"}`), "TOK004", nil},
		// RFC 7515 §4.1.11: critical extensions authdoctor does not implement.
		{"crit with an unknown extension", rs(`{"alg":"RS256","kid":"tk1","crit":["http://example.invalid/UNDEFINED"],"http://example.invalid/UNDEFINED":true}`), "TOK001", nil},
		{"crit b64 (RFC 7797)", rs(`{"alg":"RS256","kid":"tk1","b64":false,"crit":["b64"]}`), "TOK001", nil},
		{"crit empty", rs(`{"alg":"RS256","kid":"tk1","crit":[]}`), "TOK001", nil},
		{"crit naming alg", rs(`{"alg":"RS256","kid":"tk1","crit":["alg"]}`), "TOK001", nil},
		{"crit naming an absent parameter", rs(`{"alg":"RS256","kid":"tk1","crit":["exp"]}`), "TOK001", nil},
		{"crit not an array", rs(`{"alg":"RS256","kid":"tk1","crit":"exp"}`), "TOK001", nil},
		// RFC 7519 §2: NumericDate is a JSON number.
		{"exp a numeric string", signRaw(t, tenantKey, `{"alg":"RS256","kid":"tk1"}`, claimsJSON("exp", `"9999999999"`)), "TOK001", nil},
		{"nbf a string", signRaw(t, tenantKey, `{"alg":"RS256","kid":"tk1"}`, claimsJSON("nbf", `"soon"`)), "TOK001", nil},
		{"iat a boolean", signRaw(t, tenantKey, `{"alg":"RS256","kid":"tk1"}`, claimsJSON("iat", `true`)), "TOK001", nil},
		{"exp null", signRaw(t, tenantKey, `{"alg":"RS256","kid":"tk1"}`, claimsJSON("exp", `null`)), "TOK001", nil},
		{"exp an array", signRaw(t, tenantKey, `{"alg":"RS256","kid":"tk1"}`, claimsJSON("exp", `[9999999999]`)), "TOK001", nil},
		// An exp at or before the epoch is expired, not malformed.
		{"exp 0", signRaw(t, tenantKey, `{"alg":"RS256","kid":"tk1"}`, claimsJSON("exp", `0`)), "TOK006", nil},
		{"exp negative", signRaw(t, tenantKey, `{"alg":"RS256","kid":"tk1"}`, claimsJSON("exp", `-1`)), "TOK006", nil},
		// §3.3: every cryptographic operation is validated (a nested JWT is
		// not unwrapped, a changed byte breaks the signature).
		{"nested JWT", signRaw(t, tenantKey, `{"alg":"RS256","kid":"tk1","cty":"JWT"}`, rs(`{"alg":"RS256","kid":"tk1"}`)), "TOK001", nil},
		{"payload altered", tamper(rs(`{"alg":"RS256","kid":"tk1"}`)), "TOK005", nil},
		// §3.6: encrypted (and possibly compressed) tokens are not decrypted.
		{"JWE", "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00iLCJ6aXAiOiJERUYifQ.a.b.c.d", "TOK001", nil},
		// §3.7: UTF-8 only.
		{"payload not UTF-8", signRaw(t, tenantKey, `{"alg":"RS256","kid":"tk1"}`, strings.Replace(good, `"sub":"s"`, "\"sub\":\"s\xff\"", 1)), "TOK001", nil},
		{"header not UTF-8", signRaw(t, tenantKey, "{\"alg\":\"RS256\",\"kid\":\"tk1\",\"x\":\"\xfe\"}", good), "TOK001", nil},
	}
	return cases
}

// tamper changes one claim of a signed token and keeps the signature.
func tamper(tok string) string {
	p := strings.Split(tok, ".")
	c, _ := base64.RawURLEncoding.DecodeString(p[1])
	c = []byte(strings.Replace(string(c), `"sub":"s"`, `"sub":"x"`, 1))
	return p[0] + "." + b64(c) + "." + p[2]
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestHostileTokensAreRejected(t *testing.T) {
	w := newHostileWorld(t)
	for _, c := range hostileTokens(t, w) {
		t.Run(c.name, func(t *testing.T) {
			o, code := run(t, nil, c.token, append(append([]string{}, w.args...), c.extra...)...)
			if code != 1 || !o.has(c.want) || o.Result.Tokens != nil && len(o.Result.Tokens) > 0 && o.Result.Tokens[0].Verdict == "valid" {
				t.Errorf("exit %d, findings %v, tokens %+v; want exit 1 with %s", code, o.ids(), o.Result.Tokens, c.want)
			}
		})
	}
	if n := w.attacker.Requests(); n != 0 {
		t.Errorf("the attacker's server was asked %d times: a token's jku/x5u must never be fetched", n)
	}
}

// The key headers a token carries are named as ignored in the finding
// that rejects it.
func TestKeyHeadersAreNamedAsIgnored(t *testing.T) {
	w := newHostileWorld(t)
	tok := signRaw(t, w.evil, `{"alg":"RS256","kid":"tk1","jku":"https://`+attacker+`/jwks"}`, claimsJSON("", ""))
	o, _ := run(t, nil, tok, w.args...)
	if ev := o.evidence("TOK005", "header jku"); !strings.Contains(ev, "https://"+attacker+"/jwks") || !strings.Contains(ev, "never fetched") {
		t.Errorf("jku evidence %q", ev)
	}
}

// RFC 8725 §3.5: an HMAC secret shorter than the hash is refused (RFC 7518
// §3.2): the RFC 7515 A.1 secret is 64 bytes and verifies (see
// TestRFC7515Vectors); a 10-byte one does not.
func TestRFC8725_3_5_ShortHMACSecret(t *testing.T) {
	keys(t)
	dir := t.TempDir()
	short, long := filepath.Join(dir, "short"), filepath.Join(dir, "long")
	os.WriteFile(short, []byte("0123456789"), 0o600)
	os.WriteFile(long, []byte(strings.Repeat("k", 32)), 0o600)
	for _, c := range []struct {
		file, secret string
		want         bool
	}{{short, "0123456789", true}, {long, strings.Repeat("k", 32), false}} {
		tok := sign(t, jwt.SigningMethodHS256, []byte(c.secret), "", idClaims(nil))
		o, code := run(t, nil, tok, "--secret-file", c.file, "--alg", "HS256", "--offline")
		if o.has("TOK003") != c.want || (code == 1) != c.want || strings.Contains(strings.Join(o.ids(), ""), c.secret) {
			t.Errorf("%d-byte secret: exit %d, %v", len(c.secret), code, o.ids())
		}
	}
}

// RFC 8725 §3.8: the issuer is validated (ISS001), and the signing key
// must belong to it (Entra keys carry their issuer: ISS004).
func TestRFC8725_3_8_IssuerAndItsKey(t *testing.T) {
	w := newHostileWorld(t)
	other := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) {
		c["iss"] = "https://login.microsoftonline.com/" + other + "/v2.0"
		c["tid"] = other
	}))
	o, code := run(t, nil, other, w.args...)
	if code != 1 || !o.has("ISS004") {
		t.Errorf("a token of another tenant signed with this tenant's key: exit %d %v", code, o.ids())
	}
	o, code = run(t, nil, sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { c["iss"] = "https://evil.example/" })), w.args...)
	if code != 1 || !o.has("ISS001") {
		t.Errorf("another issuer: exit %d %v", code, o.ids())
	}
}

// RFC 8725 §3.9: the audience is validated, whether aud is a string, an
// array, or missing.
func TestRFC8725_3_9_Audience(t *testing.T) {
	w := newHostileWorld(t)
	for name, aud := range map[string]any{"string": "api://other", "array": []string{"a", "b"}, "missing": nil} {
		tok := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) {
			if aud == nil {
				delete(c, "aud")
			} else {
				c["aud"] = aud
			}
		}))
		if o, code := run(t, nil, tok, w.args...); code != 1 || !o.has("TOK008") {
			t.Errorf("aud %s: exit %d %v", name, code, o.ids())
		}
	}
	arr := sign(t, jwt.SigningMethodRS256, tenantKey, "tk1", idClaims(func(c jwt.MapClaims) { c["aud"] = []string{"x", client} }))
	if o, code := run(t, nil, arr, w.args...); code != 0 || o.has("TOK008") {
		t.Errorf("aud array holding the client: exit %d %v", code, o.ids())
	}
}

// RFC 8725 §3.11/§3.12: explicit typing decides the kind of token (typ
// at+jwt is an access token, RFC 9068), and the ID-token rule (aud is the
// app's client ID) is applied to ID tokens only.
func TestRFC8725_3_11_ExplicitTyping(t *testing.T) {
	keys(t)
	at := jwt.NewWithClaims(jwt.SigningMethodRS256, idClaims(func(c jwt.MapClaims) { delete(c, "nonce"); c["aud"] = "api://payroll" }))
	at.Header["kid"], at.Header["typ"] = "tk1", "at+jwt"
	s, err := at.SignedString(tenantKey)
	if err != nil {
		t.Fatal(err)
	}
	stdout, _, _ := clitest.RunCLI(t, "token", s, "-o", "json", "--now", now.Format(time.RFC3339))
	var doc struct {
		Result struct{ Identified struct{ Kind string } }
	}
	if json.Unmarshal([]byte(stdout), &doc) != nil || doc.Result.Identified.Kind != "access" {
		t.Errorf("typ at+jwt identified as %q", doc.Result.Identified.Kind)
	}
}

// RFC 8725 §3.4: cryptographic inputs are validated: a key whose point is
// not on its curve is refused by the key set checks (JWK004) and cannot
// verify a token.
func TestRFC8725_3_4_KeyOffTheCurve(t *testing.T) {
	keys(t)
	x := new(big.Int).Add(ecKey.X, big.NewInt(1))
	bad := map[string]any{"kty": "EC", "crv": "P-256", "kid": "ec1", "x": b64(x.FillBytes(make([]byte, 32))), "y": b64(ecKey.Y.FillBytes(make([]byte, 32)))}
	dir := t.TempDir()
	f := filepath.Join(dir, "keys.json")
	os.WriteFile(f, set(bad), 0o644)
	stdout, _, _ := clitest.RunCLI(t, "jwks", "@"+f, "-o", "json")
	if !strings.Contains(stdout, `"JWK004"`) {
		t.Errorf("jwks: an off-curve key is not JWK004:\n%s", stdout)
	}
	tok := sign(t, jwt.SigningMethodES256, ecKey, "ec1", idClaims(nil))
	if o, code := run(t, nil, tok, "--jwks", "@"+f, "--offline"); code != 1 || !o.has("TOK005") {
		t.Errorf("verify with an off-curve key: exit %d %v", code, o.ids())
	}
}

// The issuer is compared as given: a trailing slash is a difference,
// never normalised away (DSC004 for --issuer, ISS001 for --expect-issuer).
func TestIssuerComparedAsGiven(t *testing.T) {
	srv := azure(t, nil)
	o, code := run(t, srv, good(t), "--issuer", v2iss+"/")
	f := o.evidence("DSC004", "difference")
	if code != 1 || f != "trailing slash" {
		t.Errorf("--issuer with a slash: exit %d %v, difference %q", code, o.ids(), f)
	}
	for _, fd := range o.Findings {
		if fd.ID == "DSC004" && !strings.Contains(fd.Message, "trailing slash") {
			t.Errorf("DSC004 does not name the slash: %s", fd.Message)
		}
	}
}

func TestCheck_TOK011_Fires_OfflineWithoutKeys(t *testing.T) {
	stdout, _, code := clitest.RunCLI(t, "verify", good(t), "--offline", "--now", now.Format(time.RFC3339), "--color", "never")
	if code != 1 || !strings.Contains(stdout, "TOK011") || !strings.Contains(stdout, "NOT VERIFIED") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	o, _ := run(t, nil, good(t), "--issuer", v2iss, "--offline")
	if !o.has("TOK011") || o.Result.Tokens[0].Verdict != "unverified" {
		t.Errorf("%v %+v", o.ids(), o.Result.Tokens)
	}
}

func TestCheck_TOK011_Clean_Verified(t *testing.T) {
	if o, code := run(t, azure(t, nil), good(t), "--issuer", v2iss); o.has("TOK011") || code != 0 {
		t.Errorf("exit %d %v", code, o.ids())
	}
}

// The real system: PyJWT (what authlib-less apps and many scripts use)
// rejects the same hostile tokens, given the tenant's key and RS256. It
// differs on two, where authdoctor follows RFC 7519 as issue 18 asks:
// PyJWT takes int() of exp, so a numeric string and a boolean pass there;
// and before 2.12.0 (Debian bookworm has 2.6.0) it ignores crit.
func TestHostileTokensAgreeWithPyJWT(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("no " + py)
	}
	w := newHostileWorld(t)
	pyAccepts := map[string]bool{"exp a numeric string": true, "iat a boolean": true}
	judged := map[string]bool{}
	var toks []map[string]string
	for _, c := range hostileTokens(t, w) {
		switch {
		case strings.HasPrefix(c.name, "alg "), strings.HasPrefix(c.name, "crit"), strings.Contains(c.name, "NumericDate"),
			strings.HasPrefix(c.name, "exp"), strings.HasPrefix(c.name, "nbf"), strings.HasPrefix(c.name, "iat"),
			strings.Contains(c.name, "UTF-8"), c.name == "nested JWT", c.name == "payload altered",
			strings.HasPrefix(c.name, "jku"), strings.HasPrefix(c.name, "embedded"), strings.HasPrefix(c.name, "x5u"):
			if len(c.extra) == 0 {
				toks = append(toks, map[string]string{"name": c.name, "token": c.token})
				judged[c.name] = true
			}
		}
	}
	pub := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: must(x509.MarshalPKIXPublicKey(&tenantKey.PublicKey))})
	leeway := time.Since(now)
	if leeway < 0 {
		leeway = -leeway
	}
	in, _ := json.Marshal(map[string]any{"key": string(pub), "aud": client, "leeway": int(leeway.Seconds()) + 3600, "tokens": toks})
	const script = `
import sys, json, jwt
req = json.load(sys.stdin)
out = {"__version__": jwt.__version__}
for t in req["tokens"]:
    try:
        jwt.decode(t["token"], req["key"], algorithms=["RS256"], audience=req["aud"], leeway=req["leeway"])
        out[t["name"]] = "accepted"
    except Exception as e:
        out[t["name"]] = "rejected: " + type(e).__name__
json.dump(out, sys.stdout)
`
	if exec.Command(py, "-c", "import jwt").Run() != nil {
		t.Skip("no PyJWT for " + py)
	}
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("PyJWT: %v", err)
	}
	var got map[string]string
	if err := json.Unmarshal(stdout, &got); err != nil {
		t.Fatalf("PyJWT: %v\n%s", err, stdout)
	}
	t.Logf("PyJWT: %v", got)
	version := got["__version__"]
	delete(got, "__version__")
	if !pyJWTChecksCrit(version) {
		// PyJWT before 2.12.0 ignores crit (jwt/api_jws.py has no
		// _validate_crit until tag 2.12.0): RFC 7515 §4.1.11 is ours alone.
		for name := range judged {
			if strings.HasPrefix(name, "crit") && name != "crit b64 (RFC 7797)" {
				pyAccepts[name] = true
			}
		}
	}
	if len(got) != len(judged) || len(judged) < 20 {
		t.Fatalf("PyJWT judged %d of %d tokens", len(got), len(judged))
	}
	for name, v := range got {
		if accepted := v == "accepted"; accepted != pyAccepts[name] {
			t.Errorf("%s: PyJWT %s", name, v)
		}
	}
}

// pyJWTChecksCrit: PyJWT validates the crit header from 2.12.0 on
// (PyJWS._validate_crit, jwt/api_jws.py at tag 2.12.0).
func pyJWTChecksCrit(version string) bool {
	var major, minor int
	if _, err := fmt.Sscanf(version, "%d.%d", &major, &minor); err != nil {
		return true
	}
	return major > 2 || major == 2 && minor >= 12
}

// verify --batch's fast path calls no hostile token valid: every one takes
// the full pipeline and gets the same check as verify alone.
func TestHostileTokensInBatch(t *testing.T) {
	w := newHostileWorld(t)
	cases := hostileTokens(t, w)
	var lines []string
	for _, c := range cases {
		lines = append(lines, c.token)
	}
	in := filepath.Join(t.TempDir(), "tokens.txt")
	os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	r := clitest.Run(t, clitest.Options{}, append([]string{"verify", "--batch", "@" + in, "--jwks", "@" + w.keysFile, "--expect-issuer", v2iss, "--audience", client, "--offline"}, nowFlag...)...)
	var n int
	for _, l := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
		var x struct {
			Line    int
			Verdict string
			Checks  []string
		}
		if err := json.Unmarshal([]byte(l), &x); err != nil {
			t.Fatalf("%v: %q", err, l)
		}
		c := cases[x.Line-1]
		if len(c.extra) > 0 {
			continue // needs its own flags
		}
		n++
		if x.Verdict == "valid" || !contains(x.Checks, c.want) {
			t.Errorf("%s: batch says %s %v, want %s", c.name, x.Verdict, x.Checks, c.want)
		}
	}
	if n < 30 {
		t.Errorf("only %d lines judged", n)
	}
}

// verify --discovery with an issuer URL (no /.well-known/) fetches the
// issuer's document, as discovery does (issue 18), and compares its issuer
// with the URL exactly.
func TestDiscoveryFlagTakesAnIssuer(t *testing.T) {
	srv := azure(t, nil)
	o, code := run(t, srv, good(t), "--discovery", v2iss, "--audience", client)
	if code != 0 || len(o.Findings) != 0 || o.Result.Tokens[0].Outcome.Signature != "verified" {
		t.Errorf("--discovery %s: exit %d %v %+v", v2iss, code, o.ids(), o.Result.Tokens)
	}
	if n := srv.RequestsFor("/" + tenant + "/v2.0/.well-known/openid-configuration"); n != 1 {
		t.Errorf("the well-known document was fetched %d times", n)
	}
}

// verify --batch with no key to be had says so once, as TOK011, and exits 1:
// no token of the stream is valid.
func TestCheck_TOK011_Fires_BatchWithoutKeys(t *testing.T) {
	r := clitest.Run(t, clitest.Options{Stdin: good(t) + "\n"}, append([]string{"verify", "--batch", "-", "--issuer", v2iss, "--offline", "-o", "json"}, nowFlag...)...)
	if r.Code != 1 || !strings.Contains(r.Stdout, `"TOK011"`) || !strings.Contains(r.Stdout, "offline") {
		t.Errorf("exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
}
