package discovery_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit"
)

// serve is one document (and key set) served at its real URL.
type serve struct {
	name string
	// arg is what the user types: an issuer or a /.well-known/ URL.
	arg     string
	doc     string // fixture served at the discovery URL
	docURL  string // where it is served (default: arg + /.well-known/…)
	jwks    string // key set fixture served at the document's jwks_uri ("" → --no-jwks)
	jwksURL string // override of where the keys are served
	now     string
	want    []string
	code    int
}

var realServes = []serve{
	{name: "entra v2 tenant", arg: "https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/v2.0",
		doc: "azure/entra-v2-tenant-9a95fd9e-openid-configuration.2023-11.json", jwks: "azure/entra-v2-tenant-9a95fd9e-jwks.2023-11.json", now: "2023-11-15"},
	{name: "entra v2 common", arg: "https://login.microsoftonline.com/common/v2.0",
		doc: "azure/entra-v2-common-openid-configuration.2024-10-26.json", jwks: "azure/entra-v2-common-jwks.2024-10-26.json", now: "2024-10-26"},
	{name: "entra v2 common 2024-02", arg: "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
		doc: "azure/entra-v2-common-openid-configuration.2024-02-02.json", jwks: "azure/entra-v2-common-jwks.2024-07.json", now: "2024-07-22"},
	{name: "entra v2 organizations", arg: "https://login.microsoftonline.com/organizations/v2.0",
		doc: "azure/entra-v2-organizations-openid-configuration.2024-10-26.json", jwks: "azure/entra-v2-organizations-jwks.2024-10-26.json", now: "2024-10-26"},
	{name: "entra v1 common", arg: "https://login.microsoftonline.com/common/.well-known/openid-configuration",
		doc: "azure/entra-v1-common-openid-configuration.2024-02-02.json", jwks: "azure/entra-v1-common-jwks.2024-07-22.json", now: "2024-07-22"},
	{name: "sts.windows.net v1 common", arg: "https://sts.windows.net/common/.well-known/openid-configuration",
		doc: "azure/entra-v1-common-openid-configuration.msidentitytools.json", jwks: "azure/entra-v1-common-jwks.2021.msidentitytools.json", now: "2021-03-01"},
	{name: "entra tenant 10c419d4 (jwks_uri rewritten to localhost)", arg: "https://login.microsoftonline.com/10c419d4-4a50-45b2-aa4e-919fb84df24f/v2.0",
		doc: "azure/entra-v2-tenant-10c419d4-openid-configuration.jwksuri-rewritten.json", now: "2024-10-26"},
	{name: "b2c", arg: "https://sometenantid.b2clogin.com/sometenantid.onmicrosoft.com/policy/v2.0/.well-known/openid-configuration",
		doc: "azure/b2c-b2clogin-openid-configuration.msal-edited.json", now: "2024-10-26"},
	{name: "google 2024", arg: "https://accounts.google.com",
		doc: "google/google-openid-configuration.2024-10-21.json", jwks: "google/google-jwks.2024-10-21.json", now: "2024-10-21"},
	{name: "google 2023", arg: "https://accounts.google.com/.well-known/openid-configuration",
		doc: "google/google-openid-configuration.2023-11.json", jwks: "google/google-jwks.2023-11.json", now: "2023-11-15"},
	{name: "google 2015 legacy", arg: "https://accounts.google.com",
		doc: "google/google-openid-configuration.2015-legacy-issuer-no-scheme.json", jwks: "google/google-jwks.2023-10.json", now: "2023-10-15",
		want: []string{"DSC003:warning"}},
	{name: "auth0 2023", arg: "https://dev-ltxchcls4igzho78.us.auth0.com/",
		doc: "auth0/auth0-openid-configuration.2023-09.json", jwks: "auth0/auth0-jwks.2023-09.json", now: "2023-09-15"},
	{name: "auth0 2019", arg: "https://micronautguides.eu.auth0.com/", doc: "auth0/auth0-openid-configuration.2019.json", now: "2019-04-17"},
	{name: "keycloak dev over http", arg: "http://docker-rp-1:8080/realms/demorealm",
		doc: "keycloak/keycloak-openid-configuration.demorealm.2023-10.json", jwks: "keycloak/keycloak-jwks.demorealm.2023-10.json", now: "2023-10-20",
		want: []string{"DSC005:warning", "JWK008:info"}},
	{name: "keycloak legacy /auth", arg: "https://keycloak.example.com/auth/realms/lagoon",
		doc: "keycloak/keycloak-legacy-auth-prefix-openid-configuration.lagoon.json", now: "2025-01-17"},
	{name: "keycloak rfc8414", arg: "https://keycloak-eudi.netcompany-intrasoft.com/realms/pid-issuer-realm/.well-known/oauth-authorization-server",
		doc: "keycloak/keycloak-rfc8414-oauth-authorization-server.eudi.json", now: "2023-10-11"},
	{name: "okta 2023", arg: "https://dev-69785679.okta.com/oauth2/default",
		doc: "okta/okta-custom-as-default-openid-configuration.2023-11.json", jwks: "okta/okta-custom-as-default-jwks.2023-11.json", now: "2023-11-15"},
	{name: "okta 2019", arg: "https://dev-265911.oktapreview.com/oauth2/default", doc: "okta/okta-custom-as-default-openid-configuration.2019.oktapreview.json", now: "2019-04-17"},
	{name: "cognito 2019", arg: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_ZLiEFD4b6", doc: "cognito/cognito-openid-configuration.2019.eu-west-1.json", now: "2019-04-17"},
	{name: "cognito micronaut", arg: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_4OqDoWVrZ",
		doc: "cognito/cognito-openid-configuration.us-east-1.micronaut-aot.json", jwks: "cognito/cognito-format-jwks.micronaut-aot-authserver.json", now: "2023-12-06"},
	{name: "cognito 2017 legacy", arg: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_BGU9CKFCM",
		doc: "cognito/cognito-openid-configuration.2017-legacy.json", jwks: "cognito/cognito-jwks.2017.json", now: "2017-01-02",
		want: []string{"DSC003:error"}, code: 1},
	{name: "adfs", arg: "https://EC2AMAZ-5A2FKI6.REDPANDA.COM/adfs",
		doc: "adfs/adfs-openid-configuration.2023-11.json", jwks: "adfs/adfs-jwks.2023-11.json", now: "2023-11-15"},
}

func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return strings.ToLower(u.Host)
	}
	return strings.ToLower(u.Hostname())
}

// TestRealDocuments_ServedOverTLS runs `discovery` with the URL a user
// types against loopback servers impersonating each real host, serving
// the real documents and key sets of shared/fixtures.
func TestRealDocuments_ServedOverTLS(t *testing.T) {
	for _, s := range realServes {
		t.Run(s.name, func(t *testing.T) {
			doc := testkit.Fixture(t, s.doc)
			docURL := s.docURL
			if docURL == "" {
				docURL = s.arg
				if !strings.Contains(docURL, "/.well-known/") {
					docURL = strings.TrimSuffix(docURL, "/") + "/.well-known/openid-configuration"
				}
			}
			du, _ := url.Parse(docURL)
			routes := testkit.Routes{strings.ToLower(du.Hostname()) + du.Path: testkit.JSON(doc)}
			hosts := map[string]bool{hostPort(du): true}
			args := []string{"discovery", s.arg, "--now", s.now + "T12:00:00Z"}
			var ju *url.URL
			if s.jwks != "" {
				d := struct{ JWKSURI string }{}
				d.JWKSURI = jsonString(t, doc, "jwks_uri")
				ju, _ = url.Parse(d.JWKSURI)
				routes[strings.ToLower(ju.Hostname())+ju.Path] = testkit.JSON(testkit.Fixture(t, s.jwks))
				hosts[hostPort(ju)] = true
			} else {
				args = append(args, "--no-jwks")
			}
			var tlsHosts, httpHosts []string
			for h := range hosts {
				if (du.Scheme == "http" && h == hostPort(du)) || (ju != nil && ju.Scheme == "http" && h == hostPort(ju)) {
					httpHosts = append(httpHosts, h)
				} else {
					tlsHosts = append(tlsHosts, h)
				}
			}
			var servers []*testkit.Server
			if len(tlsHosts) > 0 {
				servers = append(servers, testkit.StartTLS(t, tlsHosts, routes))
			}
			if len(httpHosts) > 0 {
				servers = append(servers, testkit.StartHTTP(t, httpHosts, routes))
			}
			for _, srv := range servers {
				args = append(args, srv.Args()...)
			}
			r := runJSON(t, args...)
			wantIDs(t, r, s.want...)
			if r.code != s.code {
				t.Errorf("exit code %d, want %d (stderr %q)", r.code, s.code, r.stderr)
			}
			d := r.discovery(t).Discoveries[0]
			if d.Fetch == nil || d.Fetch.Status != 200 || d.Fetch.URL != docURL || d.Document == nil {
				t.Fatalf("fetch record %+v", d.Fetch)
			}
			if s.jwks != "" {
				if d.JWKS == nil || d.JWKS.Fetch == nil || d.JWKS.Fetch.Status != 200 || len(d.JWKS.Keys) == 0 || d.JWKS.Usable == 0 {
					t.Errorf("key set not fetched and analysed: %+v", d.JWKS)
				}
			} else if r.skipReason("JWK001") != "--no-jwks" {
				t.Errorf("JWK001 skip reason %q", r.skipReason("JWK001"))
			}
			if len(r.Skipped) > 0 && s.jwks != "" {
				t.Errorf("checks skipped: %+v", r.Skipped)
			}
		})
	}
}

// The tenant 10c419d4 document had its jwks_uri rewritten by Microsoft to
// https://localhost/…: fetching it gives the finding it deserves, JWK001
// naming the connect stage.
func TestRealDocument_JWKSURIRewrittenToLocalhost(t *testing.T) {
	arg := "https://login.microsoftonline.com/10c419d4-4a50-45b2-aa4e-919fb84df24f/v2.0"
	srv := testkit.StartTLS(t, []string{"login.microsoftonline.com"}, testkit.Routes{
		"/10c419d4-4a50-45b2-aa4e-919fb84df24f/v2.0/.well-known/openid-configuration": testkit.JSON(testkit.Fixture(t, "azure/entra-v2-tenant-10c419d4-openid-configuration.jwksuri-rewritten.json")),
	})
	r := runJSON(t, append([]string{"discovery", arg, "--connect-to", "localhost:443:" + testkit.RefusedAddr(t)}, srv.Args()...)...)
	wantIDs(t, r, "JWK001:error")
	f := r.get(t, "JWK001")
	if f.ev("stage") != "connect" || !strings.Contains(f.Message, "connection refused") || f.Subject.URL != "https://localhost/v2.0/.well-known/keys.json" {
		t.Errorf("%+v", f)
	}
}

func jsonString(t *testing.T, doc []byte, key string) string {
	t.Helper()
	var m map[string]any
	if err := jsonUnmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	s, _ := m[key].(string)
	return s
}
