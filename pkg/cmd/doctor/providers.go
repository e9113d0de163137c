package doctor

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cmd/discovery"
	"github.com/authdoctor/authdoctor/pkg/cmd/jwks"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/issuer"
	"github.com/authdoctor/authdoctor/pkg/netx"
)

// endpointKeys are the remote_app members that name the IdP.
var endpointKeys = []string{"server_metadata_url", "authorize_url", "access_token_url", "api_base_url", "jwks_uri"}

// metadataSource says where a provider's discovery document is: its
// server_metadata_url, else derived from its endpoints.
func metadataSource(pr *fab.Provider) (u, how string, line int) {
	if s, ok := pr.RemoteStr("server_metadata_url"); ok && s != "" {
		return s, "server_metadata_url", pr.RemoteLine("server_metadata_url")
	}
	for _, k := range []string{"authorize_url", "access_token_url", "api_base_url", "jwks_uri"} {
		s, ok := pr.RemoteStr(k)
		if !ok || s == "" {
			continue
		}
		if d := derive(s); d != "" {
			return d, "derived from " + k, pr.RemoteLine(k)
		}
	}
	return "", "", pr.Line
}

// derive finds the discovery document of the IdP an endpoint belongs to.
func derive(raw string) string {
	a := issuer.Parse(raw)
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

// providerRun is one provider's network side, run concurrently with the
// others into its own report.
type providerRun struct {
	Name        string               `json:"name"`
	MetadataURL string               `json:"metadataUrl,omitempty"`
	MetadataHow string               `json:"metadataFrom,omitempty"`
	Doc         *discovery.DocResult `json:"discovery,omitempty"`
	ConfigJWKS  *jwks.SetResult      `json:"configuredJwks,omitempty"`
	Skipped     string               `json:"skipped,omitempty"`
	Endpoints   []issuer.Endpoint    `json:"-"`
	pr          *fab.Provider
	rep         *engine.Report
	line        int
}

// issuerURL is the discovered issuer ("" when none).
func (r *providerRun) issuerURL() string {
	if r.Doc != nil && r.Doc.Discovery != nil {
		return r.Doc.Issuer
	}
	return ""
}

// keySet returns the key set the app verifies with: the discovered one
// (authlib merges the fetched metadata over remote_app), else the
// configured jwks_uri.
func (r *providerRun) keySet() *jwks.SetResult {
	if r.Doc != nil && r.Doc.JWKS != nil && r.Doc.JWKS.Set != nil {
		return r.Doc.JWKS
	}
	if r.ConfigJWKS != nil && r.ConfigJWKS.Set != nil {
		return r.ConfigJWKS
	}
	return nil
}

func (r *providerRun) fetch(ctx context.Context, client *netx.Client, now time.Time) {
	u, how, line := metadataSource(r.pr)
	r.MetadataURL, r.MetadataHow, r.line = u, how, line
	cfgJWKS, _ := r.pr.RemoteStr("jwks_uri")
	if u != "" {
		t := jwks.Target{Raw: u, URL: u}
		r.Doc = discovery.Inspect(ctx, r.rep, client, t, nil, now, false, nil)
	} else {
		r.Skipped = "no server_metadata_url, and no endpoint to derive the discovery document from"
		for _, id := range discovery.Checks {
			r.rep.Skip(id, "provider "+r.Name+": "+r.Skipped)
		}
	}
	discovered := ""
	if r.Doc != nil && r.Doc.Discovery != nil {
		discovered = r.Doc.JWKSURI
	}
	if cfgJWKS != "" && cfgJWKS != discovered {
		if t, err := jwks.ParseTarget(cfgJWKS); err == nil && t.URL != "" {
			r.ConfigJWKS = jwks.Inspect(ctx, r.rep, client, t, nil, now)
		}
	}
	for _, k := range endpointKeys {
		if s, ok := r.pr.RemoteStr(k); ok && s != "" {
			r.Endpoints = append(r.Endpoints, issuer.Endpoint{Name: k, URL: s, Line: r.pr.RemoteLine(k)})
		}
	}
	if discovered != "" && cfgJWKS != "" && discovered != cfgJWKS {
		r.Endpoints = append(r.Endpoints, issuer.Endpoint{Name: "jwks_uri of the discovery document", URL: discovered, Line: r.line})
	}
}

// endpointFindings reports ISS005 for configured endpoints that cannot
// belong together: one finding per odd endpoint out (the one that
// disagrees with the most others), not one per pair.
func (r *providerRun) endpointFindings(rep *engine.Report, file string) {
	ds := issuer.CompareEndpoints(r.Endpoints)
	count := map[string]int{}
	for _, d := range ds {
		count[d.A.Name]++
		count[d.B.Name]++
	}
	type group struct {
		odd    issuer.Endpoint
		what   string
		others []issuer.Endpoint
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
		names := make([]string, len(g.others))
		for i, o := range g.others {
			names[i] = o.Name
		}
		a := issuer.Parse(g.odd.URL)
		var msg string
		switch g.what {
		case "tenant":
			msg = fmt.Sprintf("provider %q: %s names tenant %s, unlike %s", r.Name, g.odd.Name, a.Tenant, strings.Join(names, ", "))
			if strings.HasPrefix(g.odd.Name, "jwks_uri") {
				msg += "; a key set of another tenant (or the common set, which lacks app-specific keys) does not describe this tenant's tokens"
			}
		default:
			msg = fmt.Sprintf("provider %q: %s (%s differs from %s)", r.Name, g.detail, g.odd.Name, strings.Join(names, ", "))
		}
		line := g.odd.Line
		if line == 0 {
			line = r.line
		}
		ev := []engine.Opt{engine.At(engine.Subject{File: file, Line: line, Name: "provider " + r.Name}),
			engine.With(g.odd.Name, g.odd.URL)}
		for _, o := range g.others {
			ev = append(ev, engine.With(o.Name, o.URL))
		}
		ev = append(ev, engine.With("differs in", g.what))
		rep.Add("ISS005", msg, ev...)
	}
}
