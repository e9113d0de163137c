package token

import (
	"strings"

	"github.com/authdoctor/authdoctor/pkg/idp"
)

// GraphAppID is the application ID of Microsoft Graph (spec/idp.md §3.5).
const GraphAppID = "00000003-0000-0000-c000-000000000000"

// Identified says what a token looks like, from the shapes of its claims.
type Identified struct {
	// IdP: azure, adfs, keycloak, okta, google, auth0, cognito, generic.
	IdP string `json:"idp"`
	// Kind: id, access, refresh or unknown.
	Kind string `json:"kind"`
	// Version of an Entra token: "1.0" or "2.0".
	Version string `json:"version,omitempty"`
	Tenant  string `json:"tenant,omitempty"`
	// Cloud is the Entra cloud: global, usgov, china.
	Cloud string `json:"cloud,omitempty"`
	// App is the client the token was issued to (azp, appid, cid, client_id).
	App   string `json:"app,omitempty"`
	Realm string `json:"realm,omitempty"`
	// Server: Okta "org" or "custom:<id>"; Keycloak "pre-17" when /auth.
	Server string `json:"server,omitempty"`
	// Flags such as "graph", "consumer-tenant", "b2c", "overage".
	Flags []string `json:"flags,omitempty"`
	// Summary is one line for people.
	Summary string `json:"summary"`
}

// Has reports whether a flag is set.
func (i *Identified) Has(flag string) bool {
	for _, f := range i.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// IsGraphAudience reports whether aud names Microsoft Graph.
func IsGraphAudience(aud string) bool {
	a := strings.TrimRight(strings.ToLower(aud), "/")
	return a == GraphAppID || a == "https://graph.microsoft.com" || a == "https://graph.microsoft.us" ||
		a == "https://microsoftgraph.chinacloudapi.cn" || a == "https://dod-graph.microsoft.us"
}

// Audiences returns aud as a list (it may be a string or an array).
func Audiences(claims *Object) []string {
	v, ok := claims.Get("aud")
	if !ok {
		return nil
	}
	switch a := v.(type) {
	case string:
		return []string{a}
	case []any:
		out := make([]string, 0, len(a))
		for _, x := range a {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Identify classifies a decoded token by its issuer (idp.Parse: the one
// table of provider hosts) and the shapes of its claims.
func Identify(d *Decoded) Identified {
	c := d.Claims
	iss := c.String("iss")
	a := idp.Parse(iss)
	id := Identified{IdP: a.IdP, Kind: "unknown"}
	if hasGroupsOverage(c) {
		id.Flags = append(id.Flags, "overage")
	}
	switch a.IdP {
	case "azure":
		identifyAzure(&id, d, a)
	case "adfs":
		identifyADFS(&id, c, iss)
	case "google":
		identifyGoogle(&id, c, iss)
	case "cognito":
		identifyCognito(&id, c, a)
	case "auth0":
		identifyAuth0(&id, c)
	case "okta":
		identifyOkta(&id, c, a)
	case "keycloak":
		identifyKeycloak(&id, c, a)
	default:
		id.Kind = kindByClaims(c, "")
		id.App = c.String("azp")
		id.Summary = "OpenID Connect " + kindWord(id.Kind)
		if iss == "" {
			id.Summary = "JWT without an issuer"
		}
	}
	// Explicit typing wins over the shapes of the claims (RFC 8725 §3.11):
	// a token typed at+jwt is an access token (RFC 9068 §2.1), whatever
	// else it looks like.
	if typ := strings.ToLower(d.Header.String("typ")); (typ == "at+jwt" || typ == "application/at+jwt") && id.Kind != "access" {
		id.Summary = strings.Replace(id.Summary, kindWord(id.Kind), kindWord("access"), 1)
		id.Kind = "access"
	}
	return id
}

func identifyADFS(id *Identified, c *Object, iss string) {
	id.App = c.String("appid")
	if strings.HasSuffix(strings.ToLower(strings.TrimSuffix(iss, "/")), "/services/trust") {
		id.Kind = "access"
	} else {
		id.Kind = kindByClaims(c, "id")
	}
	id.Summary = "AD FS " + kindWord(id.Kind)
	if id.Kind == "access" {
		id.Summary += " (access tokens use the access_token_issuer http://…/adfs/services/trust)"
	}
}

func identifyGoogle(id *Identified, c *Object, iss string) {
	id.Kind = "id"
	id.App = c.String("azp")
	id.Summary = "Google ID token"
	if strings.HasSuffix(c.String("email"), ".iam.gserviceaccount.com") {
		id.Summary += " for a service account (" + c.String("email") + ")"
		id.Flags = append(id.Flags, "service-account")
	}
	if iss == "accounts.google.com" {
		id.Flags = append(id.Flags, "issuer-without-scheme")
	}
}

func identifyCognito(id *Identified, c *Object, a idp.Authority) {
	id.Realm = a.Realm
	switch c.String("token_use") {
	case "id":
		id.Kind = "id"
		id.App = firstString(Audiences(c))
	case "access":
		id.Kind = "access"
		id.App = c.String("client_id")
	}
	id.Summary = "AWS Cognito " + kindWord(id.Kind) + " (user pool " + id.Realm + ")"
}

func identifyAuth0(id *Identified, c *Object) {
	id.App = c.String("azp")
	if c.String("gty") != "" || c.String("scope") != "" || len(Audiences(c)) > 1 {
		id.Kind = "access"
	} else {
		id.Kind = kindByClaims(c, "id")
	}
	id.Summary = "Auth0 " + kindWord(id.Kind)
	if c.String("gty") == "client-credentials" {
		id.Summary += " (client credentials, no user)"
		id.Flags = append(id.Flags, "client-credentials")
	}
}

func identifyKeycloak(id *Identified, c *Object, a idp.Authority) {
	id.Realm, id.Server = a.Realm, a.Server
	id.App = c.String("azp")
	switch strings.ToLower(c.String("typ")) {
	case "id":
		id.Kind = "id"
	case "bearer":
		id.Kind = "access"
	case "refresh", "offline":
		id.Kind = "refresh"
	default:
		id.Kind = kindByClaims(c, "")
	}
	id.Summary = "Keycloak " + kindWord(id.Kind) + " (realm " + id.Realm + ")"
	if id.Server == "pre-17" {
		id.Summary += ", pre-17 /auth path"
	}
}

func identifyAzure(id *Identified, d *Decoded, a idp.Authority) {
	c := d.Claims
	id.Cloud = a.Cloud
	id.Tenant = c.String("tid")
	if id.Tenant == "" {
		id.Tenant = a.Tenant
	}
	id.Version = c.String("ver")
	if id.Version == "" {
		// Without ver: v1 issuers are on sts.windows.net, v2 ones end in
		// /v2.0 (spec/idp.md §2.2).
		if a.Host == "sts.windows.net" {
			id.Version = "1.0"
		} else if strings.HasSuffix(strings.TrimSuffix(a.URL, "/"), "/v2.0") && a.Tenant != "" {
			id.Version = "2.0"
		}
	}
	switch {
	case c.String("azp") != "":
		id.App = c.String("azp")
	case c.String("appid") != "":
		id.App = c.String("appid")
	}
	_, hasScp := c.Get("scp")
	_, hasRoles := c.Get("roles")
	switch {
	case c.String("idtyp") == "app" || c.String("idtyp") == "user":
		id.Kind = "access"
	case c.String("appid") != "" || c.String("azp") != "" || hasScp:
		id.Kind = "access"
	case hasRoles && len(Audiences(c)) == 1 && c.String("oid") != "" && c.String("sub") == c.String("oid"):
		id.Kind = "access"
	default:
		id.Kind = "id"
		if id.App == "" {
			id.App = firstString(Audiences(c))
		}
	}
	for _, a := range Audiences(c) {
		if IsGraphAudience(a) {
			id.Flags = append(id.Flags, "graph")
		}
	}
	if _, ok := d.Header.Get("nonce"); ok && !id.Has("graph") {
		id.Flags = append(id.Flags, "graph")
	}
	if strings.EqualFold(id.Tenant, idp.ConsumersTenant) {
		id.Flags = append(id.Flags, "consumer-tenant")
	}
	if a.Variant != "" { // b2c, external-id
		id.Flags = append(id.Flags, a.Variant)
	}
	s := "Azure Entra ID"
	switch {
	case id.Has("b2c"):
		s = "Azure AD B2C"
	case id.Has("external-id"):
		s = "Microsoft Entra External ID"
	}
	if id.Version != "" {
		s += " v" + id.Version
	}
	s += " " + kindWord(id.Kind)
	if id.Has("graph") {
		s += " for Microsoft Graph"
	}
	if id.Tenant != "" {
		s += ", tenant " + id.Tenant
		if id.Has("consumer-tenant") {
			s += " (personal Microsoft accounts)"
		}
	}
	if id.App != "" {
		s += ", app " + id.App
	}
	if id.Cloud != "global" {
		s += ", " + id.Cloud + " cloud"
	}
	id.Summary = s
}

func identifyOkta(id *Identified, c *Object, a idp.Authority) {
	id.Server = a.Server
	if c.String("cid") != "" {
		id.Kind = "access"
		id.App = c.String("cid")
	} else {
		id.Kind = kindByClaims(c, "id")
		id.App = firstString(Audiences(c))
	}
	id.Summary = "Okta " + kindWord(id.Kind)
	if id.Server == "org" {
		id.Summary += " from the org authorization server"
		if id.Kind == "access" {
			id.Summary += " (meant for Okta's own APIs only)"
		}
	} else {
		id.Summary += " from custom authorization server " + strings.TrimPrefix(id.Server, "custom:")
	}
}

// kindByClaims guesses id vs access from generic OIDC claims.
func kindByClaims(c *Object, fallback string) string {
	if _, ok := c.Get("nonce"); ok {
		return "id"
	}
	if _, ok := c.Get("at_hash"); ok {
		return "id"
	}
	if c.String("scope") != "" || c.String("scp") != "" || c.String("client_id") != "" {
		return "access"
	}
	if _, ok := c.Get("scp"); ok {
		return "access"
	}
	if fallback != "" {
		return fallback
	}
	return "unknown"
}

func kindWord(k string) string {
	switch k {
	case "id":
		return "ID token"
	case "access":
		return "access token"
	case "refresh":
		return "refresh token"
	}
	return "token"
}

func hasGroupsOverage(c *Object) bool {
	if v, ok := c.Get("_claim_names"); ok {
		if m, ok := v.(map[string]any); ok {
			if _, ok := m["groups"]; ok {
				return true
			}
		}
	}
	if v, ok := c.Get("hasgroups"); ok {
		if b, ok := v.(bool); ok && b {
			return true
		}
		if s, ok := v.(string); ok && strings.EqualFold(s, "true") {
			return true
		}
	}
	return false
}

func firstString(s []string) string {
	if len(s) > 0 {
		return s[0]
	}
	return ""
}
