package integration

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/oidcprovider"
)

// Real tokens from the shared provider, obtained once per binary: an ID
// token (authorization code + PKCE, RS256, with groups/roles/email) and a
// client-credentials JWT access token for ResourceAPI (ES256).
var (
	tokOnce sync.Once
	idTok   *oidcprovider.Tokens
	ccTok   *oidcprovider.Tokens
	tokErr  error
)

func tokens(t *testing.T) (id, access *oidcprovider.Tokens) {
	t.Helper()
	tokOnce.Do(func() {
		ctx := ctxT(t)
		if idTok, tokErr = op.AuthorizationCode(ctx, oidcprovider.AuthRequest{Login: "dana"}); tokErr != nil {
			return
		}
		ccTok, tokErr = op.ClientCredentials(ctx, oidcprovider.ResourceAPI, "api:read")
	})
	if tokErr != nil {
		t.Fatalf("obtaining tokens from the real provider: %v\n%s", tokErr, op.Logs())
	}
	return idTok, ccTok
}

type verifyResult struct {
	KeysFrom       string `json:"keysFrom"`
	ExpectedIssuer string `json:"expectedIssuer"`
	TrustNote      string `json:"trustNote"`
	Tokens         []struct {
		Label   string   `json:"label"`
		Issuer  string   `json:"iss"`
		Aud     []string `json:"aud"`
		Verdict string   `json:"verdict"`
		Outcome struct {
			Kid       string `json:"kid"`
			Alg       string `json:"alg"`
			KeyFound  bool   `json:"keyFound"`
			Signature string `json:"signature"`
		} `json:"outcome"`
	} `json:"tokens"`
}

func verifyRes(t *testing.T, r *result) verifyResult {
	t.Helper()
	var v verifyResult
	if err := json.Unmarshal(r.doc.Result, &v); err != nil {
		t.Fatalf("verify result: %v\n%s", err, r)
	}
	if len(v.Tokens) == 0 {
		t.Fatalf("verify result lists no token\n%s", r)
	}
	return v
}

// wantValid asserts a clean verification: exit 0, no finding, every token
// verified with the expected kid.
func wantValid(t *testing.T, r *result, kids ...string) verifyResult {
	t.Helper()
	r.wantExit(t, 0)
	if len(r.doc.Findings) != 0 {
		t.Errorf("findings %v on a valid real token\n%s", r.ids(), r)
	}
	v := verifyRes(t, r)
	for i, tk := range v.Tokens {
		if tk.Verdict != "valid" || tk.Outcome.Signature != "verified" {
			t.Errorf("token %s: verdict %q signature %q, want valid/verified\n%s", tk.Label, tk.Verdict, tk.Outcome.Signature, r)
		}
		if i < len(kids) && tk.Outcome.Kid != kids[i] {
			t.Errorf("token %s verified with kid %q, want %q", tk.Label, tk.Outcome.Kid, kids[i])
		}
	}
	return v
}

// wantOnly asserts exit 1 and that the error findings are exactly ids.
func wantOnly(t *testing.T, r *result, ids ...string) {
	t.Helper()
	r.wantExit(t, 1)
	got := r.errorIDs()
	slices.Sort(got)
	want := slices.Clone(ids)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("error findings %v, want exactly %v\n%s", got, want, r)
	}
}

func TestE2E_Verify_IDTokenValid_TextAndJSON(t *testing.T) {
	t.Parallel()
	id, _ := tokens(t)
	file := writeFile(t, "id.jwt", []byte(id.IDToken))

	r := run(t, "", "verify", file, "--issuer", op.Issuer, "--audience", oidcprovider.WebClientID, "-o", "json")
	v := wantValid(t, r, "k1-rsa")
	if v.KeysFrom != op.JWKSURI || v.ExpectedIssuer != op.Issuer {
		t.Errorf("keys from %q expected issuer %q, want %q and %q", v.KeysFrom, v.ExpectedIssuer, op.JWKSURI, op.Issuer)
	}
	if v.Tokens[0].Outcome.Alg != "RS256" || v.Tokens[0].Issuer != op.Issuer || !slices.Equal(v.Tokens[0].Aud, []string{oidcprovider.WebClientID}) {
		t.Errorf("token summary %+v", v.Tokens[0])
	}

	txt := run(t, "", "verify", file, "--issuer", op.Issuer, "--audience", oidcprovider.WebClientID)
	txt.wantExit(t, 0)
	if !strings.HasPrefix(txt.stdout, "OK") || !strings.Contains(txt.stdout, "verified, RS256, kid k1-rsa") {
		t.Errorf("text verdict\n%s", txt)
	}
	sig := id.IDToken[strings.LastIndexByte(id.IDToken, '.')+1:]
	if strings.Contains(txt.stdout+txt.stderr+r.stdout+r.stderr, sig) {
		t.Error("the token's signature appears in the output")
	}
}

func TestE2E_Verify_AccessTokenValid(t *testing.T) {
	t.Parallel()
	_, at := tokens(t)
	r := run(t, "", "verify", at.AccessToken, "--issuer", op.Issuer, "--audience", oidcprovider.ResourceAPI, "-o", "json")
	v := wantValid(t, r, "k1-ec")
	if v.Tokens[0].Outcome.Alg != "ES256" {
		t.Errorf("alg %q, want ES256", v.Tokens[0].Outcome.Alg)
	}
}

// The ways of naming the keys all reach the same verdict on a real token.
func TestE2E_Verify_KeySources(t *testing.T) {
	t.Parallel()
	id, at := tokens(t)
	jwks, err := op.PublishedJWKS(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	jwksFile := writeFile(t, "jwks.json", jwks)
	aud := []string{"--audience", oidcprovider.WebClientID}

	t.Run("jwks URL", func(t *testing.T) {
		wantValid(t, run(t, "", append([]string{"verify", id.IDToken, "--jwks", op.JWKSURI, "-o", "json"}, aud...)...), "k1-rsa")
	})
	t.Run("discovery URL", func(t *testing.T) {
		wantValid(t, run(t, "", append([]string{"verify", id.IDToken, "--discovery", op.DiscoveryURL, "-o", "json"}, aud...)...), "k1-rsa")
	})
	t.Run("jwks file offline", func(t *testing.T) {
		wantValid(t, run(t, "", append([]string{"verify", id.IDToken, "--jwks", jwksFile, "--offline", "--expect-issuer", op.Issuer, "-o", "json"}, aud...)...), "k1-rsa")
	})
	t.Run("token endpoint response on stdin", func(t *testing.T) {
		// The whole JSON body of the code exchange: the ID token and the
		// opaque access token the provider returned.
		r := run(t, string(id.Raw), append([]string{"verify", "-", "--issuer", op.Issuer, "-o", "json"}, aud...)...)
		v := wantValid(t, r, "k1-rsa")
		if len(v.Tokens) != 1 || v.Tokens[0].Label != "id_token" {
			t.Errorf("tokens %+v, want the id_token only (the access token is opaque)", v.Tokens)
		}
	})
	t.Run("token's own issuer", func(t *testing.T) {
		r := run(t, "", "verify", at.AccessToken, "--audience", oidcprovider.ResourceAPI, "-o", "json")
		v := wantValid(t, r, "k1-ec")
		if v.KeysFrom != op.JWKSURI || !strings.Contains(v.TrustNote, op.Issuer) {
			t.Errorf("keys from %q, trust note %q: want the token's own issuer, said loudly", v.KeysFrom, v.TrustNote)
		}
		if !strings.Contains(r.stderr+r.stdout, "proves only") {
			t.Errorf("the trust note is not shown\n%s", r)
		}
	})
}

func TestCheck_TOK008_Fires_RealProviderWrongAudience(t *testing.T) {
	t.Parallel()
	id, at := tokens(t)
	t.Run("ID token checked for the API's audience", func(t *testing.T) {
		r := run(t, "", "verify", id.IDToken, "--issuer", op.Issuer, "--audience", oidcprovider.ResourceAPI, "-o", "json")
		wantOnly(t, r, "TOK008")
		f, _ := r.find("TOK008")
		if !strings.Contains(f.Message, oidcprovider.WebClientID) || !strings.Contains(f.Message, oidcprovider.ResourceAPI) {
			t.Errorf("TOK008 message %q names neither the token's nor the expected audience", f.Message)
		}
		if v := verifyRes(t, r); v.Tokens[0].Outcome.Signature != "verified" {
			t.Errorf("signature %q: a wrong audience must not look like a bad signature", v.Tokens[0].Outcome.Signature)
		}
	})
	t.Run("access token checked for the web client", func(t *testing.T) {
		r := run(t, "", "verify", at.AccessToken, "--issuer", op.Issuer, "--audience", oidcprovider.WebClientID, "-o", "json")
		wantOnly(t, r, "TOK008")
	})
}

func TestCheck_TOK008_Clean_RealProviderRightAudience(t *testing.T) {
	t.Parallel()
	id, at := tokens(t)
	wantValid(t, run(t, "", "verify", id.IDToken, "--issuer", op.Issuer, "--audience", "someone-else", "--audience", oidcprovider.WebClientID, "-o", "json"), "k1-rsa")
	wantValid(t, run(t, "", "verify", at.AccessToken, "--issuer", op.Issuer, "--audience", oidcprovider.ResourceAPI, "-o", "json"), "k1-ec")
}

func TestCheck_TOK005_Fires_RealProviderTamperedPayload(t *testing.T) {
	t.Parallel()
	id, at := tokens(t)
	for _, c := range []struct {
		name, token, claim string
		value              any
		aud                string
	}{
		{"ID token with an extra group (RS256)", id.IDToken, "groups", []string{"airflow-admins", "data-eng", "superusers"}, oidcprovider.WebClientID},
		{"access token with a wider scope (ES256)", at.AccessToken, "scope", "api:read api:write", oidcprovider.ResourceAPI},
	} {
		t.Run(c.name, func(t *testing.T) {
			bad, err := oidcprovider.Tamper(c.token, c.claim, c.value)
			if err != nil {
				t.Fatal(err)
			}
			r := run(t, "", "verify", writeFile(t, "tampered.jwt", []byte(bad)), "--issuer", op.Issuer, "--audience", c.aud, "-o", "json")
			wantOnly(t, r, "TOK005")
			v := verifyRes(t, r)
			if v.Tokens[0].Outcome.Signature != "invalid" || !v.Tokens[0].Outcome.KeyFound || v.Tokens[0].Verdict != "invalid" {
				t.Errorf("outcome %+v verdict %q: want the key found and the signature invalid", v.Tokens[0].Outcome, v.Tokens[0].Verdict)
			}
		})
	}
}

func TestCheck_TOK005_Clean_RealProviderUntouchedToken(t *testing.T) {
	t.Parallel()
	id, at := tokens(t)
	// The very tokens the tampering cases start from, as issued.
	wantValid(t, run(t, "", "verify", writeFile(t, "id.jwt", []byte(id.IDToken)), "--issuer", op.Issuer, "--audience", oidcprovider.WebClientID, "-o", "json"), "k1-rsa")
	wantValid(t, run(t, "", "verify", writeFile(t, "at.jwt", []byte(at.AccessToken)), "--issuer", op.Issuer, "--audience", oidcprovider.ResourceAPI, "-o", "json"), "k1-ec")
}

func TestCheck_TOK006_Fires_RealProviderExpired(t *testing.T) {
	t.Parallel()
	id, at := tokens(t)
	for _, c := range []struct {
		name, token, aud string
	}{
		{"ID token", id.IDToken, oidcprovider.WebClientID},
		{"access token", at.AccessToken, oidcprovider.ResourceAPI},
	} {
		t.Run(c.name, func(t *testing.T) {
			exp := parseJWT(t, c.token).Int("exp")
			r := run(t, "", "verify", c.token, "--issuer", op.Issuer, "--audience", c.aud, "--now", rfc3339(exp+3600), "-o", "json")
			wantOnly(t, r, "TOK006")
			f, _ := r.find("TOK006")
			if !strings.Contains(f.Message, "1h") && !strings.Contains(f.Message, "hour") && !strings.Contains(f.Message, "3600") {
				t.Errorf("TOK006 message %q does not say how long ago (1 hour)", f.Message)
			}
			if v := verifyRes(t, r); v.Tokens[0].Outcome.Signature != "verified" {
				t.Errorf("signature %q: the signature of an expired real token is still good", v.Tokens[0].Outcome.Signature)
			}
		})
	}
}

func TestCheck_TOK006_Clean_RealProviderWithinLeeway(t *testing.T) {
	t.Parallel()
	id, _ := tokens(t)
	exp := parseJWT(t, id.IDToken).Int("exp")
	// 30s after exp is inside the default 60s leeway; 1s before exp is
	// plainly valid.
	for _, now := range []int64{exp + 30, exp - 1} {
		wantValid(t, run(t, "", "verify", id.IDToken, "--issuer", op.Issuer, "--audience", oidcprovider.WebClientID, "--now", rfc3339(now), "-o", "json"), "k1-rsa")
	}
	// And the leeway is what makes the difference.
	r := run(t, "", "verify", id.IDToken, "--issuer", op.Issuer, "--audience", oidcprovider.WebClientID, "--now", rfc3339(exp+30), "--leeway", "10s", "-o", "json")
	wantOnly(t, r, "TOK006")
}

func TestCheck_ISS001_Fires_RealProviderWrongIssuerExpectation(t *testing.T) {
	t.Parallel()
	id, _ := tokens(t)
	for _, c := range []struct {
		name, expect, difference string
	}{
		{"another host", strings.Replace(op.Issuer, "127.0.0.1", "idp.example.test", 1), "host"},
		{"trailing slash", op.Issuer + "/", "trailing slash"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, "", "verify", id.IDToken, "--issuer", op.Issuer, "--audience", oidcprovider.WebClientID, "--expect-issuer", c.expect, "-o", "json")
			wantOnly(t, r, "ISS001")
			f, _ := r.find("ISS001")
			if !strings.Contains(f.Message, op.Issuer) || !strings.Contains(f.Message, c.expect) {
				t.Errorf("ISS001 message %q names neither issuer", f.Message)
			}
			diff := ""
			for _, e := range f.Evidence {
				if e.Key == "difference" {
					diff = e.Value
				}
			}
			if !strings.Contains(diff, c.difference) {
				t.Errorf("difference %q, want it classified as %q\n%s", diff, c.difference, r)
			}
		})
	}
}

func TestCheck_ISS001_Clean_RealProviderExpectIssuerMatches(t *testing.T) {
	t.Parallel()
	id, _ := tokens(t)
	wantValid(t, run(t, "", "verify", id.IDToken, "--issuer", op.Issuer, "--audience", oidcprovider.WebClientID, "--expect-issuer", op.Issuer, "-o", "json"), "k1-rsa")
}

// Key rotation on a provider of its own: a token signed by a key the IdP
// no longer publishes (TOK004, the fresh re-fetch rules rotation out as a
// stale cache), then a lagging JWKS cache (the first fetch misses the new
// kid, the re-fetch finds it), then the cache caught up (valid).
func TestCheck_TOK004_Fires_RealProviderKeyRotatedAway(t *testing.T) {
	t.Parallel()
	p := oidcprovider.StartT(t, oidcprovider.Options{})
	ctx := ctxT(t)
	old, err := p.ClientCredentials(ctx, oidcprovider.ResourceAPI, "")
	if err != nil {
		t.Fatal(err)
	}
	args := func(tok string) []string {
		return []string{"verify", tok, "--issuer", p.Issuer, "--audience", oidcprovider.ResourceAPI, "-o", "json"}
	}
	wantValid(t, run(t, "", args(old.AccessToken)...), "k1-ec")

	k2, err := oidcprovider.NewKeySet("k2")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Rotate(ctx, k2, 0); err != nil {
		t.Fatal(err)
	}
	refetchKey := "checked " + p.JWKSURI + " (fetched again)"

	t.Run("kid gone", func(t *testing.T) {
		r := run(t, "", args(old.AccessToken)...)
		wantOnly(t, r, "TOK004")
		f, _ := r.find("TOK004")
		if !strings.Contains(f.Message, `"k1-ec"`) {
			t.Errorf("TOK004 message %q does not name the kid", f.Message)
		}
		ev := evidenceMap(f)
		if v, ok := ev[refetchKey]; !ok || !strings.Contains(v, "absent") {
			t.Errorf("re-fetch evidence %q = %q, want the kid absent on a fresh fetch\n%s", refetchKey, v, r)
		}
		var listed string
		for k, v := range ev {
			if strings.HasPrefix(k, "keys in ") {
				listed = v
			}
		}
		if !strings.Contains(listed, "k2-ec") || !strings.Contains(listed, "k2-rsa") || strings.Contains(listed, "k1-") {
			t.Errorf("keys listed %q, want the rotated set k2-*", listed)
		}
	})

	k3, err := oidcprovider.NewKeySet("k3")
	if err != nil {
		t.Fatal(err)
	}
	// The next JWKS response still carries k2: a cache lagging one fetch.
	if err := p.Rotate(ctx, k3, 1); err != nil {
		t.Fatal(err)
	}
	fresh, err := p.ClientCredentials(ctx, oidcprovider.ResourceAPI, "")
	if err != nil {
		t.Fatal(err)
	}
	if kid := parseJWT(t, fresh.AccessToken).Kid(); kid != "k3-ec" {
		t.Fatalf("new token kid %q", kid)
	}

	t.Run("new kid appears on the re-fetch", func(t *testing.T) {
		r := run(t, "", args(fresh.AccessToken)...)
		wantOnly(t, r, "TOK004")
		f, _ := r.find("TOK004")
		ev := evidenceMap(f)
		if v := ev[refetchKey]; !strings.Contains(v, "present") {
			t.Errorf("re-fetch evidence %q = %q, want the kid present on the fresh fetch\n%s", refetchKey, v, r)
		}
		if c := ev["cause 1"]; !strings.Contains(c, "rotated") || !strings.Contains(c, "stale") {
			t.Errorf("cause 1 = %q, want the rotation/stale cache diagnosis first", c)
		}
	})

	t.Run("cache caught up", func(t *testing.T) {
		wantValid(t, run(t, "", args(fresh.AccessToken)...), "k3-ec")
	})
}

// A rotation done right: the new keys sign, the old ones stay published
// until the tokens they signed have expired. Old and new tokens verify.
func TestCheck_TOK004_Clean_RealProviderRotationWithOverlap(t *testing.T) {
	t.Parallel()
	p := oidcprovider.StartT(t, oidcprovider.Options{})
	ctx := ctxT(t)
	old, err := p.AuthorizationCode(ctx, oidcprovider.AuthRequest{Login: "vic"})
	if err != nil {
		t.Fatal(err)
	}
	k2, err := oidcprovider.NewKeySet("k2")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Rotate(ctx, k2.Merge(p.Keys()), 0); err != nil {
		t.Fatal(err)
	}
	fresh, err := p.AuthorizationCode(ctx, oidcprovider.AuthRequest{Login: "vic"})
	if err != nil {
		t.Fatal(err)
	}
	for tok, kid := range map[string]string{old.IDToken: "k1-rsa", fresh.IDToken: "k2-rsa"} {
		wantValid(t, run(t, "", "verify", tok, "--issuer", p.Issuer, "--audience", oidcprovider.WebClientID, "-o", "json"), kid)
	}
}

// The https variant: the issuer is https://op.authdoctor.test:PORT with a
// certificate from a test CA, reached with --connect-to as users reach a
// host behind split DNS.
func TestE2E_Verify_TLSIssuerWithTestCA(t *testing.T) {
	t.Parallel()
	p := tlsProvider(t)
	ctx := ctxT(t)
	id, err := p.AuthorizationCode(ctx, oidcprovider.AuthRequest{})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := p.ClientCredentials(ctx, oidcprovider.ResourceRS256, "")
	if err != nil {
		t.Fatal(err)
	}
	base := func(tok, aud string) []string {
		return []string{"verify", tok, "--issuer", p.Issuer, "--audience", aud, "-o", "json"}
	}
	t.Run("trusted CA", func(t *testing.T) {
		v := wantValid(t, run(t, "", append(base(id.IDToken, oidcprovider.WebClientID), p.CLIArgs()...)...), "k1-rsa")
		if v.KeysFrom != p.JWKSURI || !strings.HasPrefix(v.KeysFrom, "https://op.authdoctor.test:") {
			t.Errorf("keys from %q", v.KeysFrom)
		}
		wantValid(t, run(t, "", append(base(cc.AccessToken, oidcprovider.ResourceRS256), p.CLIArgs()...)...), "k1-rsa")
	})
	t.Run("CA not trusted", func(t *testing.T) {
		r := run(t, "", append(base(id.IDToken, oidcprovider.WebClientID), "--connect-to", p.ConnectTo())...)
		r.wantExit(t, 1)
		f, ok := r.find("DSC001")
		if !ok {
			t.Fatalf("findings %v, want DSC001 for the untrusted certificate\n%s", r.ids(), r)
		}
		if !strings.Contains(strings.ToLower(f.Message), "certificate") && !strings.Contains(strings.ToLower(f.Message), "authority") {
			t.Errorf("DSC001 message %q does not name the certificate problem", f.Message)
		}
		if v := verifyRes(t, r); v.Tokens[0].Outcome.Signature == "verified" {
			t.Error("verified without being able to fetch the keys")
		}
	})
}

func evidenceMap(f finding) map[string]string {
	m := map[string]string{}
	for _, e := range f.Evidence {
		m[e.Key] = e.Value
	}
	return m
}
