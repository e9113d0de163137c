package issuer

import (
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	cases := []struct{ exp, act, kinds string }{
		{"https://a.example.com/x", "https://a.example.com/x", ""},
		{"https://a.example.com/x", "https://a.example.com/x/", "trailing slash"},
		{"https://a.example.com/realms/Airflow", "https://a.example.com/realms/airflow", "case"},
		{"https://a.example.com/x", "http://a.example.com/x", "scheme"},
		{"https://a.example.com/x", "https://a.example.com:8443/x", "port"},
		{"https://a.example.com/x", "https://a.example.com:443/x", "port"},
		{"https://idp.example.com/realms/x", "http://keycloak:8080/realms/x", "scheme, host, port"},
		{"https://a.example.com/x", "https://a.example.com/y", "path"},
		{"https://a.example.com/x", "a.example.com/x", "not a URL"},
	}
	for _, c := range cases {
		d := Compare(c.exp, c.act)
		if got := strings.Join(d.Kinds, ", "); got != c.kinds {
			t.Errorf("Compare(%q, %q) = %q (%s), want %q", c.exp, c.act, got, d.Summary(), c.kinds)
		}
		if (c.kinds == "") != d.Same() || (c.kinds != "" && d.FirstDiff == 0) {
			t.Errorf("%q vs %q: same %v first diff %d", c.exp, c.act, d.Same(), d.FirstDiff)
		}
	}
	// ISS001's evidence names the first kind of difference.
	first := []struct{ exp, got, kind string }{
		{"https://x.auth0.com/", "https://x.auth0.com", "trailing slash"},
		{"https://A.example.com/x", "https://a.example.com/x", "case"},
		{"https://sso.example.com/realms/x", "http://keycloak:8080/realms/x", "scheme"},
		{"https://sso.example.com/realms/x", "https://keycloak/realms/x", "host"},
		{"https://sso.example.com:8443/realms/x", "https://sso.example.com/realms/x", "port"},
		{"https://sso.example.com/auth/realms/x", "https://sso.example.com/realms/x", "path"},
		// The issuer.Diff this replaced said "scheme" here; DSC004's
		// classifier (kept) says what it is.
		{"accounts.google.com", "https://accounts.google.com/x", "not a URL"},
	}
	for _, c := range first {
		if d := Compare(c.exp, c.got); d.Same() || d.Kinds[0] != c.kind {
			t.Errorf("Compare(%q, %q) = %v, want %q first", c.exp, c.got, d.Kinds, c.kind)
		}
	}
	if d := Compare("https://idp.example.com/realms/x", "http://keycloak:8080/realms/x"); !d.InternalHost {
		t.Error("keycloak service name not seen as internal")
	}
}

func TestCompareEndpoints(t *testing.T) {
	g := "4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13"
	base := "https://login.microsoftonline.com/" + g
	cases := []struct {
		eps  []Endpoint
		what string
	}{
		{[]Endpoint{{"authorize_url", base + "/oauth2/v2.0/authorize", 1}, {"access_token_url", base + "/oauth2/v2.0/token", 2}, {"jwks_uri", base + "/discovery/v2.0/keys", 3}}, ""},
		{[]Endpoint{{"authorize_url", base + "/oauth2/v2.0/authorize", 1}, {"jwks_uri", "https://login.microsoftonline.com/common/discovery/v2.0/keys", 3}}, "tenant"},
		{[]Endpoint{{"authorize_url", base + "/oauth2/authorize", 1}, {"access_token_url", base + "/oauth2/v2.0/token", 2}}, "version"},
		{[]Endpoint{{"authorize_url", base + "/oauth2/v2.0/authorize", 1}, {"access_token_url", "https://login.microsoftonline.us/" + g + "/oauth2/v2.0/token", 2}}, "cloud"},
		{[]Endpoint{{"api_base_url", base + "/oauth2", 1}, {"access_token_url", base + "/oauth2/v2.0/token", 2}}, ""},
		{[]Endpoint{{"authorize_url", "https://sso.example.com/realms/a/protocol/openid-connect/auth", 1}, {"access_token_url", "https://sso.example.com/realms/b/protocol/openid-connect/token", 2}}, "realm"},
		{[]Endpoint{{"authorize_url", "https://accounts.google.com/o/oauth2/auth", 1}, {"jwks_uri", "https://www.googleapis.com/oauth2/v3/certs", 2}}, ""},
	}
	for i, c := range cases {
		d := CompareEndpoints(c.eps)
		got := ""
		if len(d) > 0 {
			got = d[0].What
		}
		if got != c.what {
			t.Errorf("case %d: %q (%+v), want %q", i, got, d, c.what)
		}
	}
}
