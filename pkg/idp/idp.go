// Package idp recognises the identity provider behind a URL (an issuer, a
// discovery document, an authorize/token endpoint, a key set): the one
// table of Microsoft Entra login hosts per cloud, Azure AD B2C and Entra
// External ID hosts, and the recognisers of Keycloak, Okta, Google, Auth0,
// AWS Cognito and AD FS (../shared/spec/idp.md §1, §4, §6).
//
// It is a leaf: token identification, issuer analysis, discovery
// classification and the FAB login model all ask it, so they cannot
// disagree on which hosts are Entra. No I/O.
package idp

import (
	"net/url"
	"strings"
)

// ConsumersTenant is the tenant GUID of personal Microsoft accounts
// (spec/idp.md §1.3).
const ConsumersTenant = "9188040d-6c67-4c5b-b112-36a304b66dad"

// Cloud is one Microsoft cloud with its login hosts.
type Cloud struct {
	// ID names the cloud in results: global, usgov, china, germany,
	// bleu, delos, govsg.
	ID string
	// Name is for people ("US Government").
	Name string
	// Login is the preferred login host; Aliases are the other hosts that
	// serve (or, for sts.windows.net, issue for) the same cloud.
	Login   string
	Aliases []string
	// Closed says when the cloud was shut down ("" while it runs).
	Closed string
}

// clouds is spec/idp.md §4.1: the hosts of Microsoft's instance-discovery
// document (fixture azure/entra-instance-discovery-response.json) and the
// new sovereign clouds of MSAL Go's trusted-host list. A host not listed
// there is not recognised as Entra (sts.chinacloudapi.cn, once recognised
// by token identification alone, is not in the spec).
var clouds = []Cloud{
	{ID: "global", Name: "global", Login: "login.microsoftonline.com",
		Aliases: []string{"login.windows.net", "login.microsoft.com", "sts.windows.net"}},
	{ID: "usgov", Name: "US Government", Login: "login.microsoftonline.us",
		Aliases: []string{"login.usgovcloudapi.net", "login-us.microsoftonline.com"}},
	{ID: "china", Name: "China (21Vianet)", Login: "login.partner.microsoftonline.cn",
		Aliases: []string{"login.chinacloudapi.cn"}},
	{ID: "germany", Name: "Germany", Login: "login.microsoftonline.de", Closed: "closed 29 Oct 2021"},
	{ID: "bleu", Name: "Bleu (France)", Login: "login.sovcloud-identity.fr"},
	{ID: "delos", Name: "Delos (Germany)", Login: "login.sovcloud-identity.de"},
	{ID: "govsg", Name: "GovSG (Singapore)", Login: "login.sovcloud-identity.sg"},
}

// Clouds lists the Microsoft clouds (global first).
func Clouds() []Cloud { return clouds }

// EntraCloud returns the cloud ID of an Entra login host ("global",
// "usgov", …), or "" for any other host. B2C and External ID hosts are
// not login hosts of a cloud: see Parse.
func EntraCloud(host string) string {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	for _, c := range clouds {
		if h == c.Login {
			return c.ID
		}
		for _, a := range c.Aliases {
			if h == a {
				return c.ID
			}
		}
	}
	return ""
}

// LoginHost is the preferred login host of a cloud (the global one for an
// unknown or empty cloud).
func LoginHost(cloud string) string {
	for _, c := range clouds {
		if c.ID == cloud {
			return c.Login
		}
	}
	return clouds[0].Login
}

// CloudName describes a cloud for people ("US Government cloud", "Germany
// cloud, closed 29 Oct 2021").
func CloudName(cloud string) string {
	for _, c := range clouds {
		if c.ID == cloud {
			s := c.Name + " cloud"
			if c.Closed != "" {
				s += ", " + c.Closed
			}
			return s
		}
	}
	return cloud + " cloud"
}

// Hosts of Entra variants and of the other providers, by suffix.
const (
	b2cSuffix  = ".b2clogin.com"
	ciamSuffix = ".ciamlogin.com"
)

// IsB2C reports an Azure AD B2C host ({tenant}.b2clogin.com).
func IsB2C(host string) bool { return strings.HasSuffix(strings.ToLower(host), b2cSuffix) }

// IsExternalID reports an Entra External ID (CIAM) host
// ({tenant}.ciamlogin.com).
func IsExternalID(host string) bool { return strings.HasSuffix(strings.ToLower(host), ciamSuffix) }

// CIAMSubdomain is the sub-domain of an External ID host ("" for another
// host): the tenant name in discovery URLs, the tenant GUID in issuers.
func CIAMSubdomain(host string) string {
	h := strings.ToLower(host)
	if !strings.HasSuffix(h, ciamSuffix) {
		return ""
	}
	return strings.TrimSuffix(h, ciamSuffix)
}

func isOkta(h string) bool {
	return strings.HasSuffix(h, ".okta.com") || strings.HasSuffix(h, ".oktapreview.com") || strings.HasSuffix(h, ".okta-emea.com")
}

func isCognito(h string) bool {
	return strings.HasPrefix(h, "cognito-idp.") && strings.HasSuffix(h, ".amazonaws.com")
}

// GoogleIssuer reports either form of Google's issuer: Google's own
// libraries accept "accounts.google.com" without a scheme (spec §6.3).
func GoogleIssuer(s string) bool {
	return s == "accounts.google.com" || s == "https://accounts.google.com"
}

// Authority is what a URL says about the identity provider behind it.
type Authority struct {
	URL string `json:"url"`
	// IdP: azure (Entra ID, B2C and External ID), keycloak, okta, google,
	// auth0, cognito, adfs or generic.
	IdP  string `json:"idp"`
	Host string `json:"host"`
	// Variant of an azure authority: "" (Entra ID), "b2c" or
	// "external-id".
	Variant string `json:"variant,omitempty"`
	// Cloud of an azure authority (see Clouds).
	Cloud string `json:"cloud,omitempty"`
	// Tenant as written in the path; TenantKind is guid, domain, name,
	// common, organizations, consumers or template.
	Tenant     string `json:"tenant,omitempty"`
	TenantKind string `json:"tenantKind,omitempty"`
	// Version of an Entra endpoint: v1 or v2.
	Version string `json:"version,omitempty"`
	// Realm is the Keycloak realm or the Cognito user pool; Server the
	// Okta authorization server ("org" or "custom:<id>") or "pre-17" for a
	// Keycloak URL with the /auth prefix.
	Realm  string `json:"realm,omitempty"`
	Server string `json:"server,omitempty"`
}

// Parse classifies an issuer, discovery or endpoint URL. A URL without a
// scheme is read as https (Google's legacy issuer form).
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
	switch h := a.Host; {
	case EntraCloud(h) != "" || IsB2C(h) || IsExternalID(h):
		parseEntra(&a, u.Path, segs)
	case h == "accounts.google.com":
		a.IdP = "google"
	case strings.HasSuffix(h, ".auth0.com"):
		a.IdP = "auth0"
	case isCognito(h):
		a.IdP, a.Realm = "cognito", segs[0]
	case isOkta(h):
		a.IdP, a.Server = "okta", "org"
		// Custom authorization servers live under /oauth2/{id}; the org
		// server's endpoints are /oauth2/v1/….
		if len(segs) >= 2 && segs[0] == "oauth2" && segs[1] != "v1" {
			a.Server = "custom:" + segs[1]
		}
	default:
		parseByPath(&a, segs)
	}
	return a
}

// parseEntra reads tenant and version from an Entra-family path.
func parseEntra(a *Authority, path string, segs []string) {
	a.IdP = "azure"
	switch {
	case IsB2C(a.Host):
		a.Variant, a.Cloud = "b2c", "global"
		if len(segs) > 1 && segs[0] == "tfp" { // the legacy /tfp/ prefix
			segs = segs[1:]
		}
	case IsExternalID(a.Host):
		a.Variant, a.Cloud = "external-id", "global"
	default:
		a.Cloud = EntraCloud(a.Host)
	}
	if segs[0] != "" {
		a.Tenant = segs[0]
		a.TenantKind = TenantKind(segs[0])
	}
	a.Version = "v1"
	if strings.Contains(path, "/v2.0") {
		a.Version = "v2"
	}
}

// parseByPath recognises the providers that run on any host: Keycloak
// (a realms/{realm} segment pair) and AD FS (an adfs segment).
func parseByPath(a *Authority, segs []string) {
	if i := RealmIndex(segs); i >= 0 {
		a.IdP, a.Realm = "keycloak", segs[i+1]
		if i > 0 && segs[i-1] == "auth" {
			a.Server = "pre-17"
		}
		return
	}
	for _, s := range segs {
		if strings.EqualFold(s, "adfs") {
			a.IdP = "adfs"
			return
		}
	}
}

// RealmIndex is the index of the "realms" segment followed by a realm
// name, or -1.
func RealmIndex(segs []string) int {
	for i := 0; i+1 < len(segs); i++ {
		if segs[i] == "realms" && segs[i+1] != "" {
			return i
		}
	}
	return -1
}

// TenantKind classifies the tenant segment of an Entra URL: common,
// organizations, consumers, template ({tenantid}), guid, domain or name.
func TenantKind(t string) string {
	switch strings.ToLower(t) {
	case "":
		return ""
	case "common", "organizations", "consumers":
		return strings.ToLower(t)
	case "{tenantid}", "{tenant}":
		return "template"
	}
	if IsGUID(t) {
		return "guid"
	}
	if strings.Contains(t, ".") {
		return "domain"
	}
	return "name"
}

// MultiTenant reports the Entra authorities that serve every tenant
// (common, organizations): their metadata issuer is a template.
func MultiTenant(kind string) bool { return kind == "common" || kind == "organizations" }

// IsGUID reports whether s is a GUID in any case.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// Placeholder returns the template placeholder a URL still holds, as
// copied from documentation ("<tenant>", "{tenant}", "your-tenant-id",
// "TENANT_ID", "[tenant]"), or "". Entra's own "{tenantid}" template in an
// issuer is a placeholder too when the URL is to be fetched.
func Placeholder(raw string) string {
	s := raw
	if u, err := url.PathUnescape(raw); err == nil {
		s = u
	}
	for _, p := range [][2]string{{"<", ">"}, {"{", "}"}, {"[", "]"}} {
		if i := strings.Index(s, p[0]); i >= 0 {
			if j := strings.Index(s[i:], p[1]); j > 1 && !strings.ContainsAny(s[i+1:i+j], "/?#&= ") {
				if p[0] == "[" && isIPv6Literal(s, i) {
					continue
				}
				return s[i : i+j+1]
			}
		}
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(":/?#&=.@", r) }) {
		low := strings.ToLower(part)
		switch {
		case strings.HasPrefix(low, "your-") || strings.HasPrefix(low, "your_") || strings.HasPrefix(low, "my-tenant"):
			return part
		case len(part) > 3 && strings.Contains(part, "_") && part == strings.ToUpper(part) && strings.ContainsAny(part, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") &&
			strings.Trim(part, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") == "":
			return part // TENANT_ID, CLIENT_ID, REALM_NAME (B2C_1_SUSI, a real policy, has digits)
		}
	}
	return ""
}

// isIPv6Literal reports whether the "[" at i opens the host of a URL
// (http://[::1]:8080/…).
func isIPv6Literal(s string, i int) bool {
	return i >= 3 && s[i-3:i] == "://"
}
