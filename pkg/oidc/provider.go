package oidc

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/idp"
)

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

// ClassifyProvider recognises the provider from the issuer and the URL
// the document came from (either may be empty), both read by idp.Parse.
// Entra's tenant and cloud come from the URL fetched when it is an Entra
// one (a v1 issuer names sts.windows.net and the template tenant); a
// Keycloak realm from the issuer (the frontend URL) when it has one.
func ClassifyProvider(issuer, fetchedFrom string) *Provider {
	fa, ia := idp.Parse(fetchedFrom), idp.Parse(issuer)
	if fetchedFrom == "" {
		fa = idp.Authority{IdP: "generic"}
	}
	if issuer == "" {
		ia = idp.Authority{IdP: "generic"}
	}
	pick := func(name string) (idp.Authority, bool) {
		switch {
		case fa.IdP == name:
			return fa, true
		case ia.IdP == name:
			return ia, true
		}
		return idp.Authority{}, false
	}
	if a, ok := pick("azure"); ok {
		return entraProvider(a, ia, fetchedFrom, issuer)
	}
	if _, ok := pick("keycloak"); ok {
		a := ia
		if a.IdP != "keycloak" {
			a = fa
		}
		p := &Provider{Name: "keycloak", Realm: a.Realm, Description: fmt.Sprintf("Keycloak realm %q", a.Realm)}
		if a.Server == "pre-17" {
			p.Description += " (legacy /auth prefix: Keycloak before 17 or --http-relative-path=/auth)"
		}
		return p
	}
	if _, ok := pick("okta"); ok {
		p := &Provider{Name: "okta", Description: "Okta org authorization server"}
		if strings.HasPrefix(ia.Server, "custom:") {
			p.AuthServer = strings.TrimPrefix(ia.Server, "custom:")
			p.Description = fmt.Sprintf("Okta custom authorization server %q", p.AuthServer)
		}
		return p
	}
	for _, k := range []struct{ name, desc string }{
		{"google", "Google"}, {"auth0", "Auth0 tenant"}, {"cognito", "AWS Cognito user pool"}, {"adfs", "AD FS"},
	} {
		if _, ok := pick(k.name); ok {
			return &Provider{Name: k.name, Description: k.desc}
		}
	}
	return &Provider{Name: "generic", Description: "OpenID provider"}
}

// entraProvider describes an Entra-family authority a (B2C and External
// ID by name only, as their tenants are named differently).
func entraProvider(a, ia idp.Authority, fetchedFrom, issuer string) *Provider {
	switch a.Variant {
	case "b2c":
		return &Provider{Name: "entra-b2c", Description: "Azure AD B2C"}
	case "external-id":
		return &Provider{Name: "entra-external-id", Description: "Microsoft Entra External ID (ciamlogin.com)"}
	}
	p := &Provider{Name: "entra", Cloud: a.Cloud, Tenant: a.Tenant, TenantKind: a.TenantKind, Version: "v1"}
	if fu, err := url.Parse(fetchedFrom); err == nil && strings.Contains(fu.Path, "/v2.0/") || strings.HasSuffix(issuer, "/v2.0") {
		p.Version = "v2"
	}
	if ia.Host == "sts.windows.net" {
		p.Version = "v1"
	}
	p.Description = fmt.Sprintf("Microsoft Entra ID %s endpoint, tenant %s (%s), %s", p.Version, p.Tenant, p.TenantKind, idp.CloudName(p.Cloud))
	return p
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
		if (len(segs) == 2 && idp.IsGUID(segs[0]) && segs[1] == "v2.0") || (len(segs) == 4 && segs[0] == "tfp" && idp.IsGUID(segs[1]) && segs[3] == "v2.0") {
			return fmt.Sprintf("Azure AD B2C names its issuer after the tenant GUID (%s), without the policy and with a trailing slash, so it never equals the discovery URL: documented B2C behaviour, not a DSC004 error. Tokens carry exactly this issuer.", issuer), true
		}
	}
	if strings.HasSuffix(fh, ".ciamlogin.com") && strings.HasSuffix(ih, ".ciamlogin.com") {
		sub := strings.TrimSuffix(ih, ".ciamlogin.com")
		segs := strings.Split(strings.Trim(iu.Path, "/"), "/")
		if idp.IsGUID(sub) && len(segs) == 2 && strings.EqualFold(segs[0], sub) && segs[1] == "v2.0" {
			return fmt.Sprintf("Entra External ID names its issuer with the tenant GUID as sub-domain (%s), not the tenant name of the discovery URL: documented behaviour, not a DSC004 error.", issuer), true
		}
	}
	cloud := idp.EntraCloud(fh)
	if cloud == "" {
		return "", false
	}
	fsegs := strings.Split(strings.Trim(fu.Path, "/"), "/")
	if len(fsegs) == 0 {
		return "", false
	}
	tenant := fsegs[0]
	kind := idp.TenantKind(tenant)
	v2 := strings.Contains(fu.Path, "/v2.0/")
	isegs := strings.Split(strings.Trim(iu.Path, "/"), "/")
	itenant := ""
	if len(isegs) > 0 {
		itenant = isegs[0]
	}
	sameCloud := ih == fh || idp.EntraCloud(ih) == cloud
	tenantOK := func() (string, bool) {
		switch {
		case itenant == "{tenantid}" && (kind == "common" || kind == "organizations"):
			return fmt.Sprintf("the %s endpoint serves every tenant, so its issuer is the template %q: each token's iss carries the signing tenant instead; validate the token's tid against an allow-list or use the tenant-specific URL (ISS003)", kind, issuer), true
		case kind == "consumers" && strings.EqualFold(itenant, idp.ConsumersTenant):
			return fmt.Sprintf("\"consumers\" is a nickname for the personal-account tenant %s, which the issuer names", idp.ConsumersTenant), true
		case kind == "domain" && idp.IsGUID(itenant):
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
