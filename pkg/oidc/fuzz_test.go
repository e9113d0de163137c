package oidc

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
)

// Seeds: every real fixture plus the shapes that broke parsers elsewhere
// (testdata/fuzz holds more).
func addFixtureSeeds(f *testing.F, pattern string) {
	dir := testkit.FixturesDir(f)
	m, _ := filepath.Glob(filepath.Join(dir, pattern))
	for _, p := range m {
		rel, _ := filepath.Rel(dir, p)
		f.Add(testkit.Fixture(f, filepath.ToSlash(rel)))
	}
}

func FuzzAnalyzeDiscovery(f *testing.F) {
	addFixtureSeeds(f, "*/*openid-configuration*.json")
	addFixtureSeeds(f, "*/*oauth-authorization-server*.json")
	for _, s := range []string{"", "{}", "[]", "null", `{"issuer":1}`, "\xef\xbb\xbf{}", `{"issuer":"https://a/{tenantid}/v2.0","jwks_uri":"x"}`, "<html>"} {
		f.Add([]byte(s))
	}
	urls := []string{
		"https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
		"https://login.microsoftonline.com/contoso.onmicrosoft.com/.well-known/openid-configuration",
		"https://idp.example.com/.well-known/oauth-authorization-server/tenant",
		"",
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, u := range urls {
			rep := newReport()
			d := AnalyzeDiscovery(rep, u, body, WithTypedIssuer(""))
			if d == nil && !rep.Has("DSC002") {
				t.Fatalf("nil document without DSC002")
			}
			if d != nil && rep.Has("DSC002") {
				t.Fatalf("document and DSC002 together")
			}
			if d != nil {
				if _, err := json.Marshal(d); err != nil {
					t.Fatalf("result does not marshal: %v", err)
				}
			}
		}
	})
}

func FuzzAnalyzeJWKS(f *testing.F) {
	addFixtureSeeds(f, "*/*jwks*.json")
	addFixtureSeeds(f, "rfc/*key*.json")
	for _, s := range []string{"", `{"keys":[]}`, `{"keys":{}}`, `{"keys":[1,"a",null,[]]}`, `{"keys":[{"kty":"EC","crv":"P-521","x":"","y":""}]}`,
		`{"keys":[{"kty":"RSA","n":"AA","e":"AQAB","x5c":["MIIB"]}]}`, `{"kty":"oct","k":"AAAA"}`, `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}`} {
		f.Add([]byte(s))
	}
	now := time.Date(2024, 10, 26, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		rep := newReport()
		s := AnalyzeJWKS(rep, body, WithNow(now))
		if s == nil && !rep.Has("JWK002") {
			t.Fatalf("nil set without JWK002")
		}
		if s == nil {
			return
		}
		usable := 0
		for _, k := range s.Keys {
			if k.Usable {
				usable++
				if k.PublicKey() == nil {
					t.Fatalf("usable key without a public key")
				}
			}
		}
		if usable != s.Usable {
			t.Fatalf("usable count %d != %d", s.Usable, usable)
		}
		if usable == 0 && !s.Single && !rep.Has("JWK003") {
			t.Fatalf("no usable key and no JWK003")
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("result does not marshal: %v", err)
		}
		// Private members are never echoed: the "d" of a key never
		// appears in the result.
		var probe struct {
			Keys []map[string]any `json:"keys"`
		}
		if json.Unmarshal(body, &probe) == nil {
			for _, k := range probe.Keys {
				d, ok := k["d"].(string)
				public := false
				for name, v := range k {
					if vs, isStr := v.(string); isStr && name != "d" && strings.Contains(vs, d) {
						public = true // the same text is also a public member's value
					}
				}
				if ok && len(d) > 16 && !public && strings.Contains(string(out), d) {
					t.Fatalf("private member d echoed")
				}
			}
		}
		_ = parseJWKSNoPanic(body)
	})
}

// parseJWKSNoPanic exercises ParseJWKS and KeyfuncJSON.
func parseJWKSNoPanic(body []byte) bool {
	s, err := ParseJWKS(body)
	if err == nil {
		var v map[string]any
		if json.Unmarshal(s.KeyfuncJSON(), &v) != nil {
			panic("KeyfuncJSON is not JSON")
		}
	}
	return err == nil
}
