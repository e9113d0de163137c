package integration

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/oidcprovider"
)

type keyResult struct {
	Kid        string `json:"kid"`
	Kty        string `json:"kty"`
	Alg        string `json:"alg"`
	Use        string `json:"use"`
	Bits       int    `json:"bits"`
	Crv        string `json:"crv"`
	Thumbprint string `json:"thumbprint"`
	Usable     bool   `json:"usableForSignatures"`
}

type setResult struct {
	Input  string      `json:"input"`
	URL    string      `json:"url"`
	File   string      `json:"file"`
	Keys   []keyResult `json:"keys"`
	Usable int         `json:"usableForSignatures"`
}

type discoveryResult struct {
	TLSVerification string `json:"tlsVerification"`
	Discoveries     []struct {
		Input             string     `json:"input"`
		URL               string     `json:"url"`
		File              string     `json:"file"`
		WellKnownAppended bool       `json:"wellKnownAppended"`
		JWKS              *setResult `json:"jwks"`
	} `json:"discoveries"`
}

type jwksResult struct {
	TLSVerification string      `json:"tlsVerification"`
	Sets            []setResult `json:"sets"`
}

func discoveryRes(t *testing.T, r *result) discoveryResult {
	t.Helper()
	var d discoveryResult
	if err := json.Unmarshal(r.doc.Result, &d); err != nil || len(d.Discoveries) == 0 {
		t.Fatalf("discovery result: %v\n%s", err, r)
	}
	return d
}

// wantKeys checks a listed key set against the keys the harness generated:
// kids, types, sizes and RFC 7638 thumbprints computed independently.
func wantKeys(t *testing.T, got *setResult, ks *oidcprovider.KeySet) {
	t.Helper()
	if got == nil {
		t.Fatal("no key set in the result")
	}
	if len(got.Keys) != len(ks.Keys) || got.Usable != len(ks.Keys) {
		t.Fatalf("%d keys (%d usable), want %d: %+v", len(got.Keys), got.Usable, len(ks.Keys), got.Keys)
	}
	for i, k := range ks.Keys {
		g := got.Keys[i]
		tp, err := k.Thumbprint()
		if err != nil {
			t.Fatal(err)
		}
		wantKty, wantBits := "RSA", 2048
		if k.Alg == "ES256" {
			wantKty, wantBits = "EC", 256
		}
		if g.Kid != k.Kid || g.Alg != k.Alg || g.Kty != wantKty || g.Bits != wantBits || g.Use != "sig" || !g.Usable || g.Thumbprint != tp {
			t.Errorf("key %d = %+v, want kid %s %s %d bits alg %s thumbprint %s", i, g, k.Kid, wantKty, wantBits, k.Alg, tp)
		}
	}
}

func wantNoFindings(t *testing.T, r *result) {
	t.Helper()
	r.wantExit(t, 0)
	if len(r.doc.Findings) != 0 {
		t.Fatalf("findings %v on the real provider\n%s", r.ids(), r)
	}
}

func TestE2E_Discovery_RealProviderClean(t *testing.T) {
	t.Parallel()
	t.Run("issuer", func(t *testing.T) {
		r := run(t, "", "discovery", op.Issuer, "-o", "json")
		wantNoFindings(t, r)
		d := discoveryRes(t, r).Discoveries[0]
		if d.URL != op.DiscoveryURL || !d.WellKnownAppended {
			t.Errorf("fetched %q (well-known appended %v), want %q", d.URL, d.WellKnownAppended, op.DiscoveryURL)
		}
		if d.JWKS == nil || d.JWKS.URL != op.JWKSURI {
			t.Fatalf("jwks %+v, want %s fetched", d.JWKS, op.JWKSURI)
		}
		wantKeys(t, d.JWKS, op.Keys())
	})
	t.Run("well-known URL, text", func(t *testing.T) {
		r := run(t, "", "discovery", op.DiscoveryURL)
		r.wantExit(t, 0)
		for _, want := range []string{"OK", "issuer:", op.Issuer, op.JWKSURI, "k1-rsa", "k1-ec"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("text output lacks %q\n%s", want, r)
			}
		}
	})
	t.Run("saved document", func(t *testing.T) {
		resp, err := op.HTTPClient().Get(op.DiscoveryURL)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%v %v", resp.Status, err)
		}
		r := run(t, "", "discovery", writeFile(t, "openid-configuration.json", body), "--no-jwks", "-o", "json")
		wantNoFindings(t, r)
		if d := discoveryRes(t, r).Discoveries[0]; d.File == "" || d.JWKS != nil {
			t.Errorf("file %q jwks %+v: want the file read and no JWKS fetched with --no-jwks", d.File, d.JWKS)
		}
	})
}

// Reached under another host name than its issuer (an internal DNS name,
// --connect-to as users do): oidc-provider builds its endpoint URLs from
// the request's Host but keeps its configured issuer — the mismatch every
// OIDC client rejects.
func TestCheck_DSC004_Fires_RealProviderReachedByInternalName(t *testing.T) {
	t.Parallel()
	port := op.Addr[strings.LastIndexByte(op.Addr, ':')+1:]
	internal := "http://idp.internal:" + port
	r := run(t, "", "discovery", internal, "--connect-to", "idp.internal:"+port+":"+op.Addr, "-o", "json")
	r.wantExit(t, 1)
	f, ok := r.find("DSC004")
	if !ok || f.Severity != "error" {
		t.Fatalf("want DSC004 error, got %v\n%s", r.ids(), r)
	}
	ev := evidenceMap(f)
	if ev["difference"] != "host" || ev["document issuer"] != op.Issuer {
		t.Errorf("DSC004 evidence %v, want difference host and the document issuer %s", ev, op.Issuer)
	}
}

func TestCheck_DSC004_Clean_RealProvider(t *testing.T) {
	t.Parallel()
	r := run(t, "", "discovery", op.Issuer, "-o", "json")
	wantNoFindings(t, r)
	p := tlsProvider(t)
	wantNoFindings(t, run(t, "", append([]string{"discovery", p.Issuer, "-o", "json"}, p.CLIArgs()...)...))
}

// The same request: its endpoints come back as plain http on a name that is
// not loopback.
func TestCheck_DSC005_Fires_RealProviderHTTPEndpointsOnNonLoopbackName(t *testing.T) {
	t.Parallel()
	port := op.Addr[strings.LastIndexByte(op.Addr, ':')+1:]
	r := run(t, "", "discovery", "http://idp.internal:"+port, "--connect-to", "idp.internal:"+port+":"+op.Addr, "-o", "json")
	f, ok := r.find("DSC005")
	if !ok || f.Severity != "warning" {
		t.Fatalf("want DSC005 warning, got %v\n%s", r.ids(), r)
	}
	ev := evidenceMap(f)
	for _, ep := range []string{"jwks_uri", "token_endpoint", "authorization_endpoint"} {
		if !strings.HasPrefix(ev[ep], "http://idp.internal:") {
			t.Errorf("DSC005 evidence %s = %q", ep, ev[ep])
		}
	}
}

// Loopback http (the plain provider) is excepted; the TLS provider is https.
func TestCheck_DSC005_Clean_RealProviderLoopbackAndHTTPS(t *testing.T) {
	t.Parallel()
	for _, r := range []*result{
		run(t, "", "discovery", op.Issuer, "-o", "json"),
		run(t, "", append([]string{"discovery", tlsProvider(t).Issuer, "-o", "json"}, tlsProvider(t).CLIArgs()...)...),
	} {
		if _, ok := r.find("DSC005"); ok {
			t.Errorf("DSC005 fired\n%s", r)
		}
	}
}

func TestCheck_DSC001_Fires_RealProviderUntrustedCA(t *testing.T) {
	t.Parallel()
	p := tlsProvider(t)
	r := run(t, "", "discovery", p.Issuer, "--connect-to", p.ConnectTo(), "-o", "json")
	wantOnly(t, r, "DSC001")
	f, _ := r.find("DSC001")
	msg := strings.ToLower(f.Message + " " + evidenceMap(f)["reason"])
	if !strings.Contains(msg, "tls") || !strings.Contains(msg, "authority") && !strings.Contains(msg, "certificate") {
		t.Errorf("DSC001 %q / %v does not name the TLS certificate problem", f.Message, f.Evidence)
	}
	if ev := evidenceMap(f); ev["stage"] != "tls" {
		t.Errorf("stage %q, want tls", ev["stage"])
	}
}

func TestCheck_DSC001_Clean_RealProviderTrustedCA(t *testing.T) {
	t.Parallel()
	p := tlsProvider(t)
	r := run(t, "", append([]string{"discovery", p.Issuer, "-o", "json"}, p.CLIArgs()...)...)
	wantNoFindings(t, r)
	d := discoveryRes(t, r)
	if d.TLSVerification != "on" || d.Discoveries[0].URL != p.DiscoveryURL {
		t.Errorf("tls %q url %q", d.TLSVerification, d.Discoveries[0].URL)
	}
	wantKeys(t, d.Discoveries[0].JWKS, p.Keys())
}

// --insecure gets through, and says loudly that it did.
func TestE2E_Discovery_InsecureSaysVerificationWasOff(t *testing.T) {
	t.Parallel()
	p := tlsProvider(t)
	r := run(t, "", "discovery", p.Issuer, "--connect-to", p.ConnectTo(), "--insecure", "-o", "json")
	r.wantExit(t, 0)
	d := discoveryRes(t, r)
	if !strings.HasPrefix(d.TLSVerification, "off") {
		t.Errorf("tlsVerification %q, want off", d.TLSVerification)
	}
	txt := run(t, "", "discovery", p.Issuer, "--connect-to", p.ConnectTo(), "--insecure")
	txt.wantExit(t, 0)
	if !strings.Contains(txt.stdout+txt.stderr, "--insecure") {
		t.Errorf("the text report does not say TLS verification was off\n%s", txt)
	}
}

func TestE2E_JWKS_RealProviderClean(t *testing.T) {
	t.Parallel()
	t.Run("URL", func(t *testing.T) {
		r := run(t, "", "jwks", op.JWKSURI, "-o", "json")
		wantNoFindings(t, r)
		var j jwksResult
		if err := json.Unmarshal(r.doc.Result, &j); err != nil || len(j.Sets) != 1 {
			t.Fatalf("%v\n%s", err, r)
		}
		wantKeys(t, &j.Sets[0], op.Keys())
	})
	t.Run("saved file, offline", func(t *testing.T) {
		raw, err := op.PublishedJWKS(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		r := run(t, "", "jwks", writeFile(t, "jwks.json", raw), "--offline", "-o", "json")
		wantNoFindings(t, r)
		var j jwksResult
		if err := json.Unmarshal(r.doc.Result, &j); err != nil || len(j.Sets) != 1 {
			t.Fatalf("%v\n%s", err, r)
		}
		wantKeys(t, &j.Sets[0], op.Keys())
	})
	t.Run("TLS", func(t *testing.T) {
		p := tlsProvider(t)
		r := run(t, "", append([]string{"jwks", p.JWKSURI, "-o", "json"}, p.CLIArgs()...)...)
		wantNoFindings(t, r)
		var j jwksResult
		if err := json.Unmarshal(r.doc.Result, &j); err != nil || len(j.Sets) != 1 {
			t.Fatalf("%v\n%s", err, r)
		}
		wantKeys(t, &j.Sets[0], p.Keys())
	})
}

func TestCheck_JWK001_Fires_RealProviderUntrustedCA(t *testing.T) {
	t.Parallel()
	p := tlsProvider(t)
	r := run(t, "", "jwks", p.JWKSURI, "--connect-to", p.ConnectTo(), "-o", "json")
	wantOnly(t, r, "JWK001")
	if ev := evidenceMap(r.doc.Findings[0]); ev["stage"] != "tls" {
		t.Errorf("JWK001 evidence %v, want stage tls", ev)
	}
}

func TestCheck_JWK001_Clean_RealProviderTrustedCA(t *testing.T) {
	t.Parallel()
	p := tlsProvider(t)
	r := run(t, "", append([]string{"jwks", p.JWKSURI, "-o", "json"}, p.CLIArgs()...)...)
	if slices.Contains(r.ids(), "JWK001") {
		t.Errorf("JWK001 fired with the CA trusted\n%s", r)
	}
	r.wantExit(t, 0)
}
