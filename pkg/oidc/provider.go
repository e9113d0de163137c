package oidc

import (
	"fmt"
	"github.com/authdoctor/authdoctor/pkg/token"
	"net/url"
	"strings"
	"sync"
)

// ConsumersTenant is the tenant GUID of personal Microsoft accounts.
const ConsumersTenant = "9188040d-6c67-4c5b-b112-36a304b66dad"

// entraHosts maps each Entra ID login host to its cloud.
var entraHosts = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"login.microsoftonline.com":        "global",
		"login.windows.net":                "global",
		"login.microsoft.com":              "global",
		"sts.windows.net":                  "global",
		"login.microsoftonline.us":         "us-gov",
		"login.usgovcloudapi.net":          "us-gov",
		"login-us.microsoftonline.com":     "us-gov",
		"login.partner.microsoftonline.cn": "china",
		"login.chinacloudapi.cn":           "china",
		"login.microsoftonline.de":         "germany (closed 2021)",
		"login.sovcloud-identity.fr":       "bleu",
		"login.sovcloud-identity.de":       "delos",
		"login.sovcloud-identity.sg":       "govsg",
	}
})

// EntraCloud returns the cloud of an Entra login host ("global",
// "us-gov", "china", …) or "" for another host.
func EntraCloud(host string) string { return entraHosts()[strings.ToLower(host)] }

// Provider is what the tool recognised the identity provider to be.
type Provider struct {
	// Name: entra, entra-b2c, entra-external-id, adfs, keycloak, okta,
	// google, auth0, cognito or generic.
	Name string `json:"name"`
	// Version is "v1" or "v2" for Entra.
	Version string `json:"version,omitempty"`
	// Tenant is the Entra tenant as it appears in the URL (GUID, domain,
	// common, organizations, consumers); TenantKind names which.
	Tenant     string `json:"tenant,omitempty"`
	TenantKind string `json:"tenantKind,omitempty"`
	Cloud      string `json:"cloud,omitempty"`
	// Realm is the Keycloak realm; AuthServer the Okta authorization
	// server id.
	Realm      string `json:"realm,omitempty"`
	AuthServer string `json:"authServer,omitempty"`
	// Description is one line for people.
	Description string `json:"description"`
}

func tenantKind(t string) string {
	switch strings.ToLower(t) {
	case "common", "organizations", "consumers":
		return strings.ToLower(t)
	case "":
		return ""
	case "{tenantid}":
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

// ClassifyProvider recognises the provider from the issuer and the URL
// the document came from (either may be empty).
func ClassifyProvider(issuer, fetchedFrom string) *Provider {
	fu, _ := url.Parse(fetchedFrom)
	iu, _ := url.Parse(issuer)
	host := func(u *url.URL) string {
		if u == nil {
			return ""
		}
		return strings.ToLower(u.Hostname())
	}
	fh, ih := host(fu), host(iu)
	pathOf := func(u *url.URL) string {
		if u == nil {
			return ""
		}
		return u.Path
	}
	anyHost := func(pred func(string) bool) bool { return pred(fh) || pred(ih) }

	switch {
	case anyHost(func(h string) bool { return strings.HasSuffix(h, ".b2clogin.com") }):
		return &Provider{Name: "entra-b2c", Description: "Azure AD B2C"}
	case anyHost(func(h string) bool { return strings.HasSuffix(h, ".ciamlogin.com") }):
		return &Provider{Name: "entra-external-id", Description: "Microsoft Entra External ID (ciamlogin.com)"}
	case EntraCloud(fh) != "" || EntraCloud(ih) != "":
		p := &Provider{Name: "entra"}
		src := fu
		if EntraCloud(fh) == "" {
			src = iu
		}
		p.Cloud = EntraCloud(host(src))
		segs := strings.Split(strings.Trim(pathOf(src), "/"), "/")
		if len(segs) > 0 {
			p.Tenant = segs[0]
			p.TenantKind = tenantKind(segs[0])
		}
		p.Version = "v1"
		if strings.Contains(pathOf(fu), "/v2.0/") || strings.HasSuffix(issuer, "/v2.0") {
			p.Version = "v2"
		}
		if ih == "sts.windows.net" {
			p.Version = "v1"
		}
		p.Description = fmt.Sprintf("Microsoft Entra ID %s endpoint, tenant %s (%s), %s cloud", p.Version, p.Tenant, p.TenantKind, p.Cloud)
		return p
	case strings.Contains(pathOf(fu), "/realms/") || strings.Contains(pathOf(iu), "/realms/"):
		p := &Provider{Name: "keycloak"}
		pth := pathOf(iu)
		if !strings.Contains(pth, "/realms/") {
			pth = pathOf(fu)
		}
		rest := pth[strings.Index(pth, "/realms/")+len("/realms/"):]
		p.Realm = strings.SplitN(rest, "/", 2)[0]
		p.Description = fmt.Sprintf("Keycloak realm %q", p.Realm)
		if strings.Contains(pth, "/auth/realms/") {
			p.Description += " (legacy /auth prefix: Keycloak before 17 or --http-relative-path=/auth)"
		}
		return p
	case anyHost(func(h string) bool {
		return strings.HasSuffix(h, ".okta.com") || strings.HasSuffix(h, ".oktapreview.com") || strings.HasSuffix(h, ".okta-emea.com")
	}):
		p := &Provider{Name: "okta", Description: "Okta org authorization server"}
		if segs := strings.Split(strings.Trim(pathOf(iu), "/"), "/"); len(segs) >= 2 && segs[0] == "oauth2" {
			p.AuthServer = segs[1]
			p.Description = fmt.Sprintf("Okta custom authorization server %q", segs[1])
		}
		return p
	case fh == "accounts.google.com" || ih == "accounts.google.com" || issuer == "accounts.google.com":
		return &Provider{Name: "google", Description: "Google"}
	case anyHost(func(h string) bool { return strings.HasSuffix(h, ".auth0.com") }):
		return &Provider{Name: "auth0", Description: "Auth0 tenant"}
	case anyHost(func(h string) bool {
		return strings.HasPrefix(h, "cognito-idp.") && strings.HasSuffix(h, ".amazonaws.com")
	}):
		return &Provider{Name: "cognito", Description: "AWS Cognito user pool"}
	case strings.HasSuffix(strings.TrimSuffix(pathOf(iu), "/"), "/adfs"):
		return &Provider{Name: "adfs", Description: "AD FS"}
	}
	return &Provider{Name: "generic", Description: "OpenID provider"}
}

// explainKnownIssuer says whether an issuer that is not the URL prefix is
// a documented deviation of the provider (Entra, B2C, External ID,
// Google's legacy form), with the explanation. expected is the issuer the
// URL implies.
func explainKnownIssuer(fetchedFrom, issuer string) (string, bool) {
	fu, err := url.Parse(fetchedFrom)
	if err != nil {
		return "", false
	}
	fh := strings.ToLower(fu.Hostname())
	iu, err := url.Parse(issuer)
	if err != nil {
		return "", false
	}
	ih := strings.ToLower(iu.Hostname())

	if fh == "accounts.google.com" && issuer == "accounts.google.com" {
		return "Google's legacy issuer form \"accounts.google.com\" (no scheme): Google issues ID tokens with either form and its libraries accept both; not treated as a DSC004 mismatch.", true
	}
	if strings.HasSuffix(fh, ".b2clogin.com") && ih == fh {
		segs := strings.Split(strings.Trim(iu.Path, "/"), "/")
		if (len(segs) == 2 && token.IsGUID(segs[0]) && segs[1] == "v2.0") || (len(segs) == 4 && segs[0] == "tfp" && token.IsGUID(segs[1]) && segs[3] == "v2.0") {
			return fmt.Sprintf("Azure AD B2C names its issuer after the tenant GUID (%s), without the policy and with a trailing slash, so it never equals the discovery URL: documented B2C behaviour, not a DSC004 error. Tokens carry exactly this issuer.", issuer), true
		}
	}
	if strings.HasSuffix(fh, ".ciamlogin.com") && strings.HasSuffix(ih, ".ciamlogin.com") {
		sub := strings.TrimSuffix(ih, ".ciamlogin.com")
		segs := strings.Split(strings.Trim(iu.Path, "/"), "/")
		if token.IsGUID(sub) && len(segs) == 2 && strings.EqualFold(segs[0], sub) && segs[1] == "v2.0" {
			return fmt.Sprintf("Entra External ID names its issuer with the tenant GUID as sub-domain (%s), not the tenant name of the discovery URL: documented behaviour, not a DSC004 error.", issuer), true
		}
	}
	cloud := EntraCloud(fh)
	if cloud == "" {
		return "", false
	}
	fsegs := strings.Split(strings.Trim(fu.Path, "/"), "/")
	if len(fsegs) == 0 {
		return "", false
	}
	tenant := fsegs[0]
	kind := tenantKind(tenant)
	v2 := strings.Contains(fu.Path, "/v2.0/")
	isegs := strings.Split(strings.Trim(iu.Path, "/"), "/")
	itenant := ""
	if len(isegs) > 0 {
		itenant = isegs[0]
	}
	sameCloud := ih == fh || EntraCloud(ih) == cloud
	tenantOK := func() (string, bool) {
		switch {
		case itenant == "{tenantid}" && (kind == "common" || kind == "organizations"):
			return fmt.Sprintf("the %s endpoint serves every tenant, so its issuer is the template %q: each token's iss carries the signing tenant instead; validate the token's tid against an allow-list or use the tenant-specific URL (ISS003)", kind, issuer), true
		case kind == "consumers" && strings.EqualFold(itenant, ConsumersTenant):
			return fmt.Sprintf("\"consumers\" is a nickname for the personal-account tenant %s, which the issuer names", ConsumersTenant), true
		case kind == "domain" && token.IsGUID(itenant):
			return fmt.Sprintf("Entra resolved the domain %q to the tenant GUID %s: the issuer (and every token's iss) uses the GUID; configure the GUID form so the URL and issuer agree", tenant, itenant), true
		case kind == "guid" && itenant != tenant && strings.EqualFold(itenant, tenant):
			return fmt.Sprintf("Entra writes the tenant GUID in lower case (%s) while the URL has %s: tokens carry the lower-case form, so compare issuers with it (ISS006)", itenant, tenant), true
		case itenant == tenant:
			return "", true
		}
		return "", false
	}
	why, ok := tenantOK()
	if !ok {
		return "", false
	}
	if ih == "sts.windows.net" && !v2 && len(isegs) == 1 && strings.HasSuffix(iu.Path, "/") {
		msg := fmt.Sprintf("Entra v1 documents name the issuer %q on sts.windows.net with a trailing slash, by design: v1 tokens carry that iss. Not a DSC004 error.", issuer)
		if why != "" {
			msg += " Also: " + why + "."
		}
		return msg, true
	}
	if v2 && sameCloud && len(isegs) == 2 && isegs[1] == "v2.0" && !strings.HasSuffix(iu.Path, "/") {
		var parts []string
		if why != "" {
			parts = append(parts, why)
		}
		if ih != fh {
			parts = append(parts, fmt.Sprintf("%s is an alias of %s, which the issuer names", fh, ih))
		}
		if len(parts) == 0 {
			return "", false
		}
		return "Known Entra behaviour, not a DSC004 error: " + strings.Join(parts, "; ") + ".", true
	}
	return "", false
}
