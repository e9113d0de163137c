package oidcprovider

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// shared is one provider for the whole test binary (plain HTTP, never
// rotated). Tests that change keys or need TLS start their own.
var shared *Provider

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	p, err := Start(ctx, Options{})
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared = p
	code := m.Run()
	if err := p.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "oidcprovider: close:", err)
	}
	os.Exit(code)
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestDiscovery_IssuerOnLoopbackRuntimePort(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	if err := shared.getJSON(ctxT(t), shared.DiscoveryURL, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["issuer"] != shared.Issuer {
		t.Errorf("discovery issuer %v, want %s", doc["issuer"], shared.Issuer)
	}
	if !strings.HasPrefix(shared.Issuer, "http://127.0.0.1:") || strings.HasSuffix(shared.Issuer, ":0") {
		t.Errorf("issuer %q is not on a loopback port chosen at run time", shared.Issuer)
	}
	if shared.JWKSURI != shared.Issuer+"/jwks" {
		t.Errorf("jwks_uri %q", shared.JWKSURI)
	}
	algs, _ := doc["id_token_signing_alg_values_supported"].([]any)
	if !slices.Contains(algs, any("RS256")) || !slices.Contains(algs, any("ES256")) {
		t.Errorf("id_token_signing_alg_values_supported = %v, want RS256 and ES256", algs)
	}
	if shared.ConnectTo() != "" || len(shared.CLIArgs()) != 0 {
		t.Errorf("plain loopback provider needs no CLI network flags, got %v", shared.CLIArgs())
	}
}

func TestJWKS_PublishesExactlyTheHarnessPublicKeys(t *testing.T) {
	t.Parallel()
	got, err := shared.PublishedJWKS(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	want, err := shared.Keys().PublicJWKS()
	if err != nil {
		t.Fatal(err)
	}
	var g, w struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g.Keys, w.Keys) {
		t.Errorf("published JWKS\n%s\nwant\n%s", got, want)
	}
	for _, k := range g.Keys {
		for _, m := range []string{"d", "p", "q", "dp", "dq", "qi"} {
			if _, ok := k[m]; ok {
				t.Errorf("key %v publishes private member %q", k["kid"], m)
			}
		}
	}
	if len(g.Keys) != 2 || g.Keys[0]["kty"] != "RSA" || g.Keys[1]["kty"] != "EC" {
		t.Errorf("want one RSA and one EC key, got %v", g.Keys)
	}
}

func TestClientCredentials_JWTAccessTokenForResource(t *testing.T) {
	t.Parallel()
	before := time.Now().Unix()
	tok, err := shared.ClientCredentials(ctxT(t), ResourceAPI, "api:read")
	if err != nil {
		t.Fatal(err)
	}
	j, err := ParseJWT(tok.AccessToken)
	if err != nil {
		t.Fatalf("access token is not a JWT: %v (%s)", err, tok.Raw)
	}
	if err := j.VerifyWith(shared.Keys()); err != nil {
		t.Errorf("signature: %v", err)
	}
	checks := map[string][2]any{
		"alg":       {j.Alg(), "ES256"},
		"kid":       {j.Kid(), "k1-ec"},
		"typ":       {j.Header["typ"], "at+jwt"},
		"iss":       {j.String("iss"), shared.Issuer},
		"aud":       {j.String("aud"), ResourceAPI},
		"sub":       {j.String("sub"), CCClientID},
		"client_id": {j.String("client_id"), CCClientID},
		"scope":     {j.String("scope"), "api:read"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %v, want %v", name, c[0], c[1])
		}
	}
	if iat, exp := j.Int("iat"), j.Int("exp"); iat < before-5 || exp-iat != 3600 {
		t.Errorf("iat %d exp %d: want iat ≈ now and a one-hour lifetime", iat, exp)
	}
	if tok.TokenType != "Bearer" {
		t.Errorf("token_type %q", tok.TokenType)
	}
}

func TestClientCredentials_RS256Resource(t *testing.T) {
	t.Parallel()
	tok, err := shared.ClientCredentials(ctxT(t), ResourceRS256, "")
	if err != nil {
		t.Fatal(err)
	}
	j, err := ParseJWT(tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if j.Alg() != "RS256" || j.Kid() != "k1-rsa" || j.String("aud") != ResourceRS256 {
		t.Errorf("alg %s kid %s aud %s", j.Alg(), j.Kid(), j.String("aud"))
	}
	if err := j.VerifyWith(shared.Keys()); err != nil {
		t.Error(err)
	}
}

func TestClientCredentials_UnknownResourceRefused(t *testing.T) {
	t.Parallel()
	_, err := shared.ClientCredentials(ctxT(t), "https://not-registered.example", "")
	if err == nil || !strings.Contains(err.Error(), "invalid_target") {
		t.Fatalf("err = %v, want invalid_target from the provider", err)
	}
}

func TestAuthorizationCode_IDTokenWithGroupsRolesEmail(t *testing.T) {
	t.Parallel()
	tok, err := shared.AuthorizationCode(ctxT(t), AuthRequest{Login: "dana"})
	if err != nil {
		t.Fatalf("%v\nprovider logs:\n%s", err, shared.Logs())
	}
	j, err := ParseJWT(tok.IDToken)
	if err != nil {
		t.Fatalf("id_token: %v (%s)", err, tok.Raw)
	}
	if err := j.VerifyWith(shared.Keys()); err != nil {
		t.Errorf("signature: %v", err)
	}
	if j.Alg() != "RS256" || j.Kid() != "k1-rsa" {
		t.Errorf("alg %s kid %s, want RS256 k1-rsa", j.Alg(), j.Kid())
	}
	for name, want := range map[string]string{
		"iss": shared.Issuer, "aud": WebClientID, "sub": "dana", "nonce": tok.Nonce,
		"email": "dana.ops@example.test", "name": "Dana Ops", "preferred_username": "dana.ops",
	} {
		if got := j.String(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := j.Strings("groups"); !slices.Equal(got, []string{"airflow-admins", "data-eng"}) {
		t.Errorf("groups = %v", got)
	}
	if got := j.Strings("roles"); !slices.Equal(got, []string{"Admin"}) {
		t.Errorf("roles = %v", got)
	}
	if j.Claims["email_verified"] != true {
		t.Errorf("email_verified = %v", j.Claims["email_verified"])
	}
	if exp, iat := j.Int("exp"), j.Int("iat"); exp-iat != 3600 {
		t.Errorf("ID token lifetime %ds, want 3600", exp-iat)
	}
	if tok.AccessToken == "" {
		t.Error("no access token with the code flow")
	}
}

func TestAuthorizationCode_OtherUserAndNarrowScope(t *testing.T) {
	t.Parallel()
	tok, err := shared.AuthorizationCode(ctxT(t), AuthRequest{Login: "vic", Scope: "openid roles"})
	if err != nil {
		t.Fatal(err)
	}
	j, err := ParseJWT(tok.IDToken)
	if err != nil {
		t.Fatal(err)
	}
	if j.String("sub") != "vic" || !slices.Equal(j.Strings("roles"), []string{"Viewer"}) {
		t.Errorf("sub %q roles %v", j.String("sub"), j.Strings("roles"))
	}
	for _, absent := range []string{"email", "groups", "name"} {
		if _, ok := j.Claims[absent]; ok {
			t.Errorf("claim %q present although its scope was not asked for", absent)
		}
	}
}

func TestAuthorizationCode_JWTAccessTokenForResource(t *testing.T) {
	t.Parallel()
	tok, err := shared.AuthorizationCode(ctxT(t), AuthRequest{
		Login: "dana", Scope: "openid email api:read", Resource: ResourceAPI,
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, shared.Logs())
	}
	at, err := ParseJWT(tok.AccessToken)
	if err != nil {
		t.Fatalf("access token: %v (%s)", err, tok.Raw)
	}
	if at.String("aud") != ResourceAPI || at.String("sub") != "dana" || at.String("client_id") != WebClientID || at.Alg() != "ES256" {
		t.Errorf("access token claims %v header %v", at.Claims, at.Header)
	}
	if err := at.VerifyWith(shared.Keys()); err != nil {
		t.Error(err)
	}
	id, err := ParseJWT(tok.IDToken)
	if err != nil {
		t.Fatal(err)
	}
	if id.String("aud") != WebClientID {
		t.Errorf("ID token aud %q", id.String("aud"))
	}
}

func TestVerifyWith_DetectsTamperedPayload(t *testing.T) {
	t.Parallel()
	tok, err := shared.ClientCredentials(ctxT(t), ResourceAPI, "")
	if err != nil {
		t.Fatal(err)
	}
	bad, err := Tamper(tok.AccessToken, "scope", "api:read api:write admin")
	if err != nil {
		t.Fatal(err)
	}
	j, err := ParseJWT(bad)
	if err != nil {
		t.Fatal(err)
	}
	if j.String("scope") != "api:read api:write admin" {
		t.Fatalf("tamper did not change the claim: %v", j.Claims)
	}
	if err := j.VerifyWith(shared.Keys()); err == nil {
		t.Error("a tampered token verified")
	}
}

func TestRotate_NewKeysSignAndOldKidIsGone(t *testing.T) {
	t.Parallel()
	p := StartT(t, Options{})
	ctx := ctxT(t)
	old, err := p.ClientCredentials(ctx, ResourceAPI, "")
	if err != nil {
		t.Fatal(err)
	}
	k2, err := NewKeySet("k2")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Rotate(ctx, k2, 1); err != nil {
		t.Fatal(err)
	}
	// The lagging cache: the first GET still sees the old set.
	first, err := p.PublishedJWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(first), `"k1-ec"`) || strings.Contains(string(first), `"k2-ec"`) {
		t.Errorf("first JWKS after rotate with one stale response: %s", first)
	}
	second, err := p.PublishedJWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := k2.PublicJWKS()
	if !jsonEqual(t, second, want) {
		t.Errorf("second JWKS after rotate\n%s\nwant\n%s", second, want)
	}

	fresh, err := p.ClientCredentials(ctx, ResourceAPI, "")
	if err != nil {
		t.Fatal(err)
	}
	j, _ := ParseJWT(fresh.AccessToken)
	if j.Kid() != "k2-ec" || j.VerifyWith(k2) != nil {
		t.Errorf("after rotation the token has kid %q", j.Kid())
	}
	id, err := p.AuthorizationCode(ctx, AuthRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if j, _ := ParseJWT(id.IDToken); j.Kid() != "k2-rsa" || j.VerifyWith(k2) != nil {
		t.Errorf("after rotation the ID token has kid %q", j.Kid())
	}
	o, _ := ParseJWT(old.AccessToken)
	if o.VerifyWith(p.Keys()) == nil {
		t.Error("the pre-rotation token verified against the rotated set")
	}

	// Overlap: publish both, sign with the new.
	k3, _ := NewKeySet("k3")
	if err := p.Rotate(ctx, k3.Merge(k2), 0); err != nil {
		t.Fatal(err)
	}
	both, _ := p.PublishedJWKS(ctx)
	for _, kid := range []string{"k3-rsa", "k3-ec", "k2-rsa", "k2-ec"} {
		if !strings.Contains(string(both), `"`+kid+`"`) {
			t.Errorf("overlapping set lacks %s: %s", kid, both)
		}
	}
	if t3, err := p.ClientCredentials(ctx, ResourceAPI, ""); err != nil {
		t.Error(err)
	} else if j, _ := ParseJWT(t3.AccessToken); j.Kid() != "k3-ec" {
		t.Errorf("signing key after overlap rotation %q, want k3-ec", j.Kid())
	}
}

func TestRotate_RefusedWithoutAdminToken(t *testing.T) {
	t.Parallel()
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, shared.Issuer+"/__admin/rotate", strings.NewReader(`{"jwks":{"keys":[]}}`))
	resp, err := shared.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", resp.StatusCode)
	}
}

func TestTLS_IssuerOverHTTPSWithTestCA(t *testing.T) {
	t.Parallel()
	p := StartT(t, Options{TLS: true, IssuerHost: "op.authdoctor.test", IDTokenTTL: 2 * time.Minute, AccessTokenTTL: 5 * time.Minute})
	ctx := ctxT(t)
	if !strings.HasPrefix(p.Issuer, "https://op.authdoctor.test:") {
		t.Fatalf("issuer %q", p.Issuer)
	}
	if p.JWKSURI != p.Issuer+"/jwks" {
		t.Errorf("jwks_uri %q", p.JWKSURI)
	}
	if ct := p.ConnectTo(); ct != p.URLHost()+":"+p.Addr {
		t.Errorf("ConnectTo %q", ct)
	}
	if args := p.CLIArgs(); !slices.Contains(args, "--ca-file") || !slices.Contains(args, "--connect-to") {
		t.Errorf("CLIArgs %v", args)
	}
	pem, err := os.ReadFile(p.CAFile)
	if err != nil || !strings.Contains(string(pem), "BEGIN CERTIFICATE") {
		t.Errorf("CA file %s: %v", p.CAFile, err)
	}

	// Without the test CA the handshake fails: TLS is real.
	plain := p.HTTPClient()
	plain.Transport.(*http.Transport).TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, p.DiscoveryURL, nil)
	if resp, err := plain.Do(req); err == nil {
		resp.Body.Close()
		t.Error("fetched over TLS without trusting the test CA")
	} else if !strings.Contains(err.Error(), "certificate") {
		t.Errorf("error %v does not name the certificate", err)
	}

	tok, err := p.AuthorizationCode(ctx, AuthRequest{})
	if err != nil {
		t.Fatalf("%v\n%s", err, p.Logs())
	}
	j, _ := ParseJWT(tok.IDToken)
	if j.String("iss") != p.Issuer || j.VerifyWith(p.Keys()) != nil {
		t.Errorf("ID token iss %q", j.String("iss"))
	}
	if life := j.Int("exp") - j.Int("iat"); life != 120 {
		t.Errorf("ID token lifetime %ds, want the configured 120", life)
	}
	cc, err := p.ClientCredentials(ctx, ResourceAPI, "")
	if err != nil {
		t.Fatal(err)
	}
	j, _ = ParseJWT(cc.AccessToken)
	if j.String("iss") != p.Issuer {
		t.Errorf("access token iss %q", j.String("iss"))
	}
	if life := j.Int("exp") - j.Int("iat"); life != 300 {
		t.Errorf("access token lifetime %ds, want the configured 300", life)
	}
}

func TestClose_StopsNodeAndRemovesSecrets(t *testing.T) {
	t.Parallel()
	p := StartT(t, Options{})
	dir := p.dir
	if fi, err := os.Stat(filepath.Join(dir, "config.json")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("config with the private keys: %v %v", fi, err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	default:
		t.Error("node still running after Close")
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temp dir %s left behind: %v", dir, err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestPreflight_MissingNodeModulesSaysRunNpmCi(t *testing.T) {
	t.Parallel()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range []string{"provider.mjs", "package.json", "package-lock.json"} {
		b, err := os.ReadFile(filepath.Join(root, "testdata", "oidc-provider", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err = Preflight(dir)
	if err == nil || !strings.Contains(err.Error(), "npm ci --prefix testdata/oidc-provider") {
		t.Fatalf("err = %v, want the npm ci instruction", err)
	}
	_, err = Start(context.Background(), Options{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "npm ci") {
		t.Fatalf("Start err = %v", err)
	}
}

// Not parallel: it empties PATH.
func TestPreflight_NoNodeSaysWhatToInstall(t *testing.T) {
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	_, err = Preflight(filepath.Join(root, "testdata", "oidc-provider"))
	if err == nil || !strings.Contains(err.Error(), "install Node.js") {
		t.Fatalf("err = %v, want an install instruction", err)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}
