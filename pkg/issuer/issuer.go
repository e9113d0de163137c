// Package issuer classifies issuers and authorities (Entra tenants, clouds
// and versions; Keycloak realms; Okta servers; Google, Auth0, Cognito,
// AD FS) and compares a token's iss with what was expected. No I/O.
package issuer

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/token"
)

// Authority is what an issuer or endpoint URL says about the IdP.
type Authority struct {
	URL  string `json:"url"`
	IdP  string `json:"idp"` // azure, keycloak, okta, google, auth0, cognito, adfs, generic
	Host string `json:"host"`
	// Azure only.
	Cloud      string `json:"cloud,omitempty"`      // global, usgov, china
	Tenant     string `json:"tenant,omitempty"`     // as written
	TenantKind string `json:"tenantKind,omitempty"` // guid, domain, common, organizations, consumers, template
	Version    string `json:"version,omitempty"`    // v1, v2
	// Keycloak realm; Okta server ("org" or "custom:<id>").
	Realm  string `json:"realm,omitempty"`
	Server string `json:"server,omitempty"`
}

// Parse classifies an issuer, discovery or endpoint URL.
func Parse(raw string) Authority {
	a := Authority{URL: raw, IdP: "generic"}
	s := raw
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return a
	}
	a.Host = strings.ToLower(u.Hostname())
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	switch {
	case token.AzureCloud(a.Host) != "":
		a.IdP = "azure"
		a.Cloud = token.AzureCloud(a.Host)
		if segs[0] != "" {
			a.Tenant = segs[0]
			a.TenantKind = TenantKind(segs[0])
		}
		a.Version = "v1"
		if strings.Contains(u.Path, "/v2.0") {
			a.Version = "v2"
		}
	case strings.Contains(strings.ToLower(u.Path), "/adfs"):
		a.IdP = "adfs"
	case a.Host == "accounts.google.com":
		a.IdP = "google"
	case strings.HasSuffix(a.Host, ".auth0.com"):
		a.IdP = "auth0"
	case strings.HasPrefix(a.Host, "cognito-idp.") && strings.HasSuffix(a.Host, ".amazonaws.com"):
		a.IdP = "cognito"
		a.Realm = segs[0]
	case strings.HasSuffix(a.Host, ".okta.com") || strings.HasSuffix(a.Host, ".oktapreview.com") || strings.HasSuffix(a.Host, ".okta-emea.com"):
		a.IdP = "okta"
		a.Server = "org"
		if len(segs) >= 2 && segs[0] == "oauth2" && segs[1] != "v1" {
			a.Server = "custom:" + segs[1]
		}
	default:
		for i := 0; i+1 < len(segs); i++ {
			if segs[i] == "realms" {
				a.IdP = "keycloak"
				a.Realm = segs[i+1]
				if i > 0 && segs[i-1] == "auth" {
					a.Server = "pre-17"
				}
				break
			}
		}
	}
	return a
}

// TenantKind classifies the tenant segment of an Entra URL.
func TenantKind(t string) string {
	switch strings.ToLower(t) {
	case "common":
		return "common"
	case "organizations":
		return "organizations"
	case "consumers":
		return "consumers"
	case "{tenantid}", "{tenant}":
		return "template"
	}
	if token.IsGUID(t) {
		return "guid"
	}
	if strings.Contains(t, ".") {
		return "domain"
	}
	return "name"
}

// Diff classifies how two issuers differ, as OIDC Discovery §4.3 and
// checks.md DSC004/ISS001 ask: "" when identical, else one of
// "trailing slash", "case", "scheme", "host", "port", "path", "other",
// with a sentence for people.
func Diff(expected, actual string) (kind, sentence string) {
	if expected == actual {
		return "", ""
	}
	if strings.TrimRight(expected, "/") == strings.TrimRight(actual, "/") {
		return "trailing slash", fmt.Sprintf("they differ only in the trailing slash (expected %q, got %q)", expected, actual)
	}
	if strings.EqualFold(expected, actual) {
		return "case", "they differ only in upper/lower case; issuers are compared case-sensitively"
	}
	eu, err1 := url.Parse(expected)
	au, err2 := url.Parse(actual)
	if err1 != nil || err2 != nil || eu.Host == "" || au.Host == "" {
		if !strings.Contains(expected, "://") || !strings.Contains(actual, "://") {
			return "scheme", "one of them has no scheme (https://)"
		}
		return "other", "they differ"
	}
	var kinds, parts []string
	if eu.Scheme != au.Scheme {
		kinds, parts = append(kinds, "scheme"), append(parts, fmt.Sprintf("the scheme (%s vs %s)", eu.Scheme, au.Scheme))
	}
	if !strings.EqualFold(eu.Hostname(), au.Hostname()) {
		kinds, parts = append(kinds, "host"), append(parts, fmt.Sprintf("the host (expected %s, got %s: an internal vs public name, or another tenant, realm or IdP)", eu.Hostname(), au.Hostname()))
	} else if eu.Hostname() != au.Hostname() {
		kinds, parts = append(kinds, "case"), append(parts, "the host's case (issuers are compared exactly)")
	}
	if eu.Port() != au.Port() {
		kinds, parts = append(kinds, "port"), append(parts, fmt.Sprintf("the port (%q vs %q)", eu.Port(), au.Port()))
	}
	if eu.Path != au.Path {
		kinds, parts = append(kinds, "path"), append(parts, fmt.Sprintf("the path (%s vs %s)", orSlash(eu.Path), orSlash(au.Path)))
	}
	if len(kinds) == 0 {
		return "other", "they differ"
	}
	return kinds[0], "they differ in " + strings.Join(parts, ", ")
}

func orSlash(p string) string {
	if p == "" {
		return "(empty)"
	}
	return p
}

// AzureIssuer builds the issuer an Entra token of a version carries for a
// tenant GUID in a cloud (global cloud hosts; other clouds' v1 issuers are
// not documented, so only v2 is built there).
func AzureIssuer(cloud, version, tid string) string {
	host := map[string]string{"global": "login.microsoftonline.com", "usgov": "login.microsoftonline.us", "china": "login.partner.microsoftonline.cn"}[cloud]
	if host == "" {
		host = "login.microsoftonline.com"
	}
	if version == "v1" && cloud == "global" {
		return "https://sts.windows.net/" + tid + "/"
	}
	return "https://" + host + "/" + tid + "/v2.0"
}

// AzureHost is the login host of a cloud.
func AzureHost(cloud string) string {
	switch cloud {
	case "usgov":
		return "login.microsoftonline.us"
	case "china":
		return "login.partner.microsoftonline.cn"
	}
	return "login.microsoftonline.com"
}

// DiscoveryURL is where an issuer's discovery document lives (OIDC
// Discovery §4: strip a trailing slash, append the well-known path).
// Entra v1 issuers on sts.windows.net are served by the login host.
func DiscoveryURL(iss string) string {
	if !strings.Contains(iss, "://") {
		iss = "https://" + iss
	}
	a := Parse(iss)
	if a.IdP == "azure" && (a.Host == "sts.windows.net") && a.Tenant != "" {
		return "https://login.microsoftonline.com/" + a.Tenant + "/.well-known/openid-configuration"
	}
	return strings.TrimRight(iss, "/") + "/.well-known/openid-configuration"
}
