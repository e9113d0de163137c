package issuer

import "testing"

func TestDiffClassifies(t *testing.T) {
	cases := []struct{ exp, got, kind string }{
		{"https://a.example.com/realms/x", "https://a.example.com/realms/x", ""},
		{"https://x.auth0.com/", "https://x.auth0.com", "trailing slash"},
		{"https://A.example.com/x", "https://a.example.com/x", "case"},
		{"https://sso.example.com/realms/x", "http://keycloak:8080/realms/x", "scheme"},
		{"https://sso.example.com/realms/x", "https://keycloak/realms/x", "host"},
		{"https://sso.example.com:8443/realms/x", "https://sso.example.com/realms/x", "port"},
		{"https://sso.example.com/auth/realms/x", "https://sso.example.com/realms/x", "path"},
		{"accounts.google.com", "https://accounts.google.com/x", "scheme"},
	}
	for _, c := range cases {
		if k, _ := Diff(c.exp, c.got); k != c.kind {
			t.Errorf("Diff(%q, %q) = %q, want %q", c.exp, c.got, k, c.kind)
		}
	}
}

func TestDiscoveryURL(t *testing.T) {
	cases := map[string]string{
		"https://login.microsoftonline.com/t/v2.0": "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration",
		"https://sts.windows.net/t/":               "https://login.microsoftonline.com/t/.well-known/openid-configuration",
		"https://x.auth0.com/":                     "https://x.auth0.com/.well-known/openid-configuration",
		"accounts.google.com":                      "https://accounts.google.com/.well-known/openid-configuration",
		"https://sso.example.com/realms/airflow":   "https://sso.example.com/realms/airflow/.well-known/openid-configuration",
	}
	for in, want := range cases {
		if got := DiscoveryURL(in); got != want {
			t.Errorf("DiscoveryURL(%q) = %q, want %q", in, got, want)
		}
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
