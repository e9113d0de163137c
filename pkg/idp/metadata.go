package idp

import (
	"net/url"
	"strings"
)

// MetadataURL is the discovery document of the IdP an endpoint belongs
// to (Entra: the tenant's, v1 or v2 as the endpoint; Keycloak: the
// realm's; Okta: the org's or the custom server's; Google), "" when the
// endpoint does not say.
func MetadataURL(raw string) string {
	a := Parse(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	base := u.Scheme + "://" + u.Host
	switch a.IdP {
	case "azure":
		if a.Tenant == "" || a.TenantKind == "template" {
			return ""
		}
		host := a.Host
		if host == "sts.windows.net" || host == "login.windows.net" || host == "login.microsoft.com" {
			host = "login.microsoftonline.com"
		}
		if a.Version == "v1" && !strings.Contains(raw, "/discovery/keys") {
			return "https://" + host + "/" + a.Tenant + "/.well-known/openid-configuration"
		}
		return "https://" + host + "/" + a.Tenant + "/v2.0/.well-known/openid-configuration"
	case "keycloak":
		i := strings.Index(u.Path, "/realms/"+a.Realm)
		return base + u.Path[:i] + "/realms/" + a.Realm + "/.well-known/openid-configuration"
	case "okta":
		if strings.HasPrefix(a.Server, "custom:") {
			return base + "/oauth2/" + strings.TrimPrefix(a.Server, "custom:") + "/.well-known/openid-configuration"
		}
		return base + "/.well-known/openid-configuration"
	case "google":
		return "https://accounts.google.com/.well-known/openid-configuration"
	}
	if strings.HasSuffix(a.Host, "googleapis.com") {
		return "https://accounts.google.com/.well-known/openid-configuration"
	}
	return ""
}
