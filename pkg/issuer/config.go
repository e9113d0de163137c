package issuer

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/idp"
)

// ProviderEndpoints are the IdP URLs one configured provider names, with
// what the app does with them.
type ProviderEndpoints struct {
	// Provider is the provider's name, File and Line where it is.
	Provider string
	File     string
	Line     int
	Eps      []Endpoint
	// ParsesIDToken: authlib parses the id_token at the callback (openid is
	// in the scope), comparing its iss with the metadata's issuer.
	ParsesIDToken bool
	// Client: an OAuth client the app registers itself, not a FAB
	// provider (messages say "client").
	Client bool
}

func (pe ProviderEndpoints) noun() string {
	if pe.Client {
		return "client"
	}
	return "provider"
}

// CheckEndpoints judges one provider's configured endpoints without the
// network: endpoints that cannot belong together (ISS005) and Entra
// multi-tenant endpoints (ISS003; an error when authlib compares the
// id_token's iss with the template issuer of the common or organizations
// metadata, which no token carries). lint, doctor and issuer --config
// share it.
func CheckEndpoints(rep *engine.Report, pe ProviderEndpoints) {
	pe.Eps = inUse(pe.Eps)
	reportDisagreements(rep, pe)
	multiTenant(rep, pe)
}

// multiTenant reports the first Entra multi-tenant authority the app
// signs in with: its authorize, token or metadata URL (ISS003). A key set
// of the common tenant is judged with the other endpoints (ISS005).
func multiTenant(rep *engine.Report, pe ProviderEndpoints) {
	for _, e := range pe.Eps {
		if !authority(e.Name) {
			continue
		}
		a := idp.Parse(e.URL)
		if a.IdP != "azure" || (a.TenantKind != "common" && a.TenantKind != "organizations") {
			continue
		}
		at := []engine.Opt{engine.At(engine.Subject{File: pe.File, Line: e.Line, Name: pe.noun() + " " + pe.Provider}), engine.ForProvider(pe.Provider), engine.With(e.Name, e.URL)}
		if e.Name == "server_metadata_url" && pe.ParsesIDToken {
			if t := tenantOf(pe.Eps); t != "" {
				at = append(at, engine.WithEdit(&engine.Edit{Line: e.Line, Old: e.URL, New: strings.Replace(e.URL, "/"+a.Tenant+"/", "/"+t+"/", 1)}))
			}
			rep.Add("ISS003", fmt.Sprintf("%s %q: server_metadata_url is the Entra %s document, whose issuer is the template https://login.microsoftonline.com/{tenantid}/v2.0; with openid in the scope authlib compares the id_token's iss with it as an exact string, so every login fails with invalid_claim: Invalid claim 'iss' (authlib before 1.5.2 quotes \"iss\"; users see \"The request to sign in was denied.\")", pe.noun(), pe.Provider, a.Tenant),
				append(at, engine.WithSeverity(engine.SeverityError), engine.AtStep(engine.StepIDToken),
					engine.FixHint("Use the tenant's own metadata: https://login.microsoftonline.com/<tenant-id>/v2.0/.well-known/openid-configuration (and tenant-specific authorize and token URLs)."))...)
			return
		}
		rep.Add("ISS003", fmt.Sprintf("%s %q: %s uses the Entra multi-tenant endpoint %q: tokens of any Entra tenant come back, and their issuer names the signing tenant, which exact validation against a configured issuer cannot match", pe.noun(), pe.Provider, e.Name, a.Tenant), at...)
		return
	}
}

// reportDisagreements adds ISS005 for endpoints that cannot belong
// together: one finding per odd endpoint out (the one that disagrees with
// the most others), not one per pair.
func reportDisagreements(rep *engine.Report, pe ProviderEndpoints) {
	ds := CompareEndpoints(pe.Eps)
	count := map[string]int{}
	for _, d := range ds {
		count[d.A.Name]++
		count[d.B.Name]++
	}
	type group struct {
		odd    Endpoint
		what   string
		others []Endpoint
		detail string
	}
	var order []string
	groups := map[string]*group{}
	for _, d := range ds {
		odd, other := d.A, d.B
		if count[d.B.Name] > count[d.A.Name] || (count[d.B.Name] == count[d.A.Name] && strings.HasPrefix(d.B.Name, "jwks_uri")) {
			odd, other = d.B, d.A
		}
		k := odd.Name + "\x00" + d.What
		g, ok := groups[k]
		if !ok {
			g = &group{odd: odd, what: d.What, detail: d.Detail}
			groups[k] = g
			order = append(order, k)
		}
		g.others = append(g.others, other)
	}
	for _, k := range order {
		g := groups[k]
		if g.what == "tenant" && authority(g.odd.Name) && multiTenantURL(g.odd.URL) {
			continue // ISS003 names the cause: a multi-tenant authority
		}
		names := make([]string, len(g.others))
		for i, o := range g.others {
			names[i] = o.Name
		}
		msg := fmt.Sprintf("%s %q: %s (%s differs from %s)", pe.noun(), pe.Provider, g.detail, g.odd.Name, strings.Join(names, ", "))
		var sev []engine.Opt
		if g.what == "tenant" {
			msg = fmt.Sprintf("%s %q: %s names tenant %s, unlike %s", pe.noun(), pe.Provider, g.odd.Name, idp.Parse(g.odd.URL).Tenant, strings.Join(names, ", "))
			if strings.HasPrefix(g.odd.Name, "jwks_uri") && idp.Parse(g.odd.URL).IdP == "azure" {
				// Entra serves its global signing keys at every tenant's
				// jwks_uri: only an app's own keys differ.
				msg += "; Entra publishes the same signing keys in every tenant's key set and in common's, so tokens verify either way, but the keys then say nothing about the tenant: only an issuer or tid check does (an app's own signing keys are in neither set: they need ?appid=<client_id>)"
				sev = append(sev, engine.WithSeverity(engine.SeverityWarning))
			}
		}
		line := g.odd.Line
		if line == 0 {
			line = pe.Line
		}
		ev := []engine.Opt{engine.At(engine.Subject{File: pe.File, Line: line, Name: pe.noun() + " " + pe.Provider}), engine.ForProvider(pe.Provider), engine.With(g.odd.Name, g.odd.URL)}
		if g.what == "tenant" {
			// The odd one out takes the tenant the others agree on.
			if t, odd := tenantOf(g.others), idp.Parse(g.odd.URL).Tenant; t != "" && odd != "" {
				ev = append(ev, engine.WithEdit(&engine.Edit{Line: g.odd.Line, Old: g.odd.URL, New: strings.Replace(g.odd.URL, "/"+odd+"/", "/"+t+"/", 1)}))
			}
		}
		for _, o := range g.others {
			ev = append(ev, engine.With(o.Name, o.URL))
		}
		rep.Add("ISS005", msg, append(append(ev, engine.With("differs in", g.what), engine.AtStep(stepOfEndpoint(g.odd.Name))), sev...)...)
	}
}

// tenantOf is the Entra tenant GUID the endpoints agree on ("" when none
// names one, or they name several).
func tenantOf(eps []Endpoint) string {
	t := ""
	for _, e := range eps {
		a := idp.Parse(e.URL)
		if a.IdP != "azure" || a.TenantKind != "guid" {
			continue
		}
		if t != "" && !strings.EqualFold(t, a.Tenant) {
			return ""
		}
		t = a.Tenant
	}
	return t
}

// authority reports the endpoints that decide whose tokens come back and
// which issuer is expected: the authorize, token and metadata URLs.
func authority(name string) bool {
	return name == "authorize_url" || name == "access_token_url" || name == "server_metadata_url"
}

func multiTenantURL(u string) bool {
	a := idp.Parse(u)
	return a.IdP == "azure" && (a.TenantKind == "common" || a.TenantKind == "organizations")
}

// stepOfEndpoint is the login step at which a wrong endpoint bites.
func stepOfEndpoint(name string) engine.Step {
	switch name {
	case "authorize_url":
		return engine.StepAuthorize
	case "access_token_url":
		return engine.StepTokenExchange
	case "api_base_url", "userinfo_endpoint":
		return engine.StepUserInfo
	}
	// jwks_uri, server_metadata_url (the keys and the issuer come from it)
	return engine.StepIDToken
}

// inUse drops the endpoints authlib never uses: with server_metadata_url,
// the fetched document's jwks_uri and userinfo_endpoint override
// remote_app's (authlib base_client load_server_metadata).
func inUse(eps []Endpoint) []Endpoint {
	hasMetadata := false
	for _, e := range eps {
		hasMetadata = hasMetadata || e.Name == "server_metadata_url"
	}
	if !hasMetadata {
		return eps
	}
	var out []Endpoint
	for _, e := range eps {
		if e.Name != "jwks_uri" && e.Name != "userinfo_endpoint" {
			out = append(out, e)
		}
	}
	return out
}
