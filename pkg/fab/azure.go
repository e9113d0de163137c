package fab

import (
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/authdoctor/authdoctor/pkg/idp"
)

// The provider accepts the global cloud's login host, and from #72010 on
// the US Government and China clouds' (spec §8.2 step 2): the preferred
// login hosts of pkg/idp's table, not their aliases.
var commercialHost = idp.LoginHost("global")

var nationalHosts = sync.OnceValue(func() map[string]bool {
	return map[string]bool{idp.LoginHost("usgov"): true, idp.LoginHost("china"): true}
})

// multiTenant names count as "no tenant" (spec §8.2).
func multiTenant(t string) bool {
	switch strings.ToLower(t) {
	case "common", "organizations", "consumers":
		return true
	}
	return false
}

// TenantCandidate is one place the tenant can come from.
type TenantCandidate struct {
	Source string `json:"source"`
	Value  string `json:"value"`
	Line   int    `json:"line,omitempty"`
	// Tenant is what it yields ("" when unusable); Problem says why not.
	Tenant  string `json:"tenant,omitempty"`
	Host    string `json:"host,omitempty"`
	Problem string `json:"problem,omitempty"`
}

// TenantResolution is _get_azure_tenant_identifier + canonicalisation of
// the newest provider (spec §8.2 steps 2–3).
type TenantResolution struct {
	Candidates []TenantCandidate `json:"candidates"`
	// Chosen is the first usable candidate (nil: AzureTenantResolutionError).
	Chosen *TenantCandidate `json:"chosen,omitempty"`
	// GUID is the canonical lower-case GUID when known without a network
	// request.
	GUID string `json:"guid,omitempty"`
	// National is true for a national-cloud host.
	National bool `json:"national,omitempty"`
	// DiscoveryURL is requested at first login (domain tenants, national
	// clouds): 5 s timeout, no redirects.
	DiscoveryURL string `json:"discoveryUrl,omitempty"`
	// Error is the AzureTenantResolutionError text, when there is one.
	Error string `json:"error,omitempty"`
}

// ResolveAzureTenant follows the newest provider's candidate order:
// client_kwargs["tenant_id"], then api_base_url, access_token_url,
// authorize_url. It takes the first usable candidate and records why the
// others are unusable (fall-through is UNCONFIRMED, spec §8.2).
func ResolveAzureTenant(p Profile, pr *Provider) TenantResolution {
	var r TenantResolution
	if v, ok := pr.ClientKwarg("tenant_id"); ok && v != nil {
		c := TenantCandidate{Source: "client_kwargs.tenant_id", Line: pr.KwargLine("tenant_id")}
		if s, ok := Str(v); ok {
			c.Value = s
			switch {
			case strings.TrimSpace(s) == "":
				c.Problem = "empty"
			case multiTenant(s):
				c.Problem = fmt.Sprintf("%q is a multi-tenant authority, which counts as no tenant", s)
			default:
				c.Tenant = s
			}
		} else {
			c.Value = Repr(v)
			c.Problem = "not a string that can be read statically"
		}
		r.Candidates = append(r.Candidates, c)
	}
	for _, key := range []string{"api_base_url", "access_token_url", "authorize_url"} {
		s, ok := pr.RemoteStr(key)
		if !ok || s == "" {
			if v, present := pr.Remote.Get(key); present && Unknown(v) {
				r.Candidates = append(r.Candidates, TenantCandidate{Source: key, Value: Repr(v), Line: pr.RemoteLine(key), Problem: "could not be resolved statically"})
			}
			continue
		}
		c := TenantCandidate{Source: key, Value: s, Line: pr.RemoteLine(key)}
		c.Tenant, c.Host, c.Problem = tenantFromURL(p, s)
		r.Candidates = append(r.Candidates, c)
	}
	for i := range r.Candidates {
		if r.Candidates[i].Tenant != "" {
			r.Chosen = &r.Candidates[i]
			break
		}
	}
	if r.Chosen == nil {
		var why []string
		for _, c := range r.Candidates {
			why = append(why, c.Source+": "+c.Problem)
		}
		if len(why) == 0 {
			why = append(why, "no client_kwargs.tenant_id, api_base_url, access_token_url or authorize_url")
		}
		r.Error = "Azure tenant could not be determined (" + strings.Join(why, "; ") + ")"
		return r
	}
	t := r.Chosen.Tenant
	host := r.Chosen.Host
	if host == "" {
		host = commercialHost
	}
	r.National = nationalHosts()[host]
	if idp.IsGUID(t) {
		r.GUID = strings.ToLower(t)
	}
	if !idp.IsGUID(t) || r.National {
		r.DiscoveryURL = "https://" + host + "/" + url.PathEscape(t) + "/v2.0/.well-known/openid-configuration"
	}
	return r
}

// tenantFromURL applies the host, https and path rules of spec §8.2.
func tenantFromURL(p Profile, raw string) (tenant, host, problem string) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", "", "not a URL"
	}
	host = strings.ToLower(u.Hostname())
	if u.Scheme != "https" {
		return "", host, "not https"
	}
	switch {
	case host == commercialHost:
	case nationalHosts()[host]:
		if !p.AzureNationalClouds {
			return "", host, "national-cloud host " + host + " is not accepted before apache-airflow-providers-fab's #72010"
		}
	case idp.IsB2C(host):
		return "", host, "Azure AD B2C (" + host + ") is not supported"
	case host == "graph.microsoft.com":
		return "", host, "graph.microsoft.com is an API host, not a tenant authority"
	default:
		return "", host, "host " + host + " is not a Microsoft authority host"
	}
	seg := strings.SplitN(strings.TrimPrefix(u.EscapedPath(), "/"), "/", 2)[0]
	if s, err := url.PathUnescape(seg); err == nil {
		seg = s
	}
	if seg == "" {
		return "", host, "no tenant in the path"
	}
	if multiTenant(seg) {
		return "", host, fmt.Sprintf("%q is a multi-tenant authority, which counts as no tenant", seg)
	}
	return seg, host, ""
}

// AcceptedIssuers is what the newest provider pins for a tenant GUID on the
// commercial cloud: v2 and v1 forms (spec §8.2 step 5).
func AcceptedIssuers(guid string) []string {
	return []string{
		"https://login.microsoftonline.com/" + guid + "/v2.0",
		"https://sts.windows.net/" + guid + "/",
	}
}

// AzureEndpointVersion says "v2" when authorize/token URLs are the v2.0
// endpoints, "v1" for oauth2/authorize|token, "" when unknown.
func AzureEndpointVersion(pr *Provider) string {
	v := ""
	for _, k := range []string{"authorize_url", "access_token_url"} {
		s, ok := pr.RemoteStr(k)
		if !ok {
			continue
		}
		switch {
		case strings.Contains(s, "/oauth2/v2.0/"):
			v = "v2"
		case strings.Contains(s, "/oauth2/authorize") || strings.Contains(s, "/oauth2/token"):
			if v == "" {
				v = "v1"
			}
		}
	}
	if v == "" {
		if s, ok := pr.RemoteStr("server_metadata_url"); ok && strings.Contains(s, "/v2.0/") {
			v = "v2"
		}
	}
	return v
}

// VerifiesIDToken says whether the app checks the id_token's signature at
// login, and who: authlib, when openid is in the scope and it has a key
// source (spec §5, user-code.md §8); else FAB's azure branch when
// verify_signature is on (not in Airflow's vendored copy, which only
// base64-decodes), or the authentik branch. Otherwise nobody does: a
// signature problem authdoctor finds does not stop this login.
func VerifiesIDToken(p Profile, pr *Provider) (bool, string) {
	if pr == nil {
		return false, "no provider"
	}
	if pr.ScopeKnown && pr.HasScope("openid") && pr.HasKeySource() {
		return true, "authlib verifies the id_token at the callback (openid is in the scope)"
	}
	switch {
	case pr.Name == "azure" && p.HasBranch("azure") && !p.AzureUnverifiedOnly:
		if v, known, _ := pr.VerifySignature(p.AzureVerifyDefault); v && known {
			return true, "FAB's azure branch verifies the id_token (verify_signature)"
		}
	case pr.Name == "authentik" && p.HasBranch("authentik"):
		if v, _, _ := pr.VerifySignature(true); v {
			return true, "FAB's authentik branch verifies the id_token"
		}
	}
	return false, "the app does not check the token's signature here: authlib parses no id_token without openid in the scope, and the " + pr.Name + " branch of " + p.Short + " does not verify it"
}
