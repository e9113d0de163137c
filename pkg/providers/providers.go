// Package providers fetches and checks, concurrently, the discovery
// document and key sets of each OAUTH_PROVIDERS entry of a FAB config:
// shared by doctor and lint --online.
package providers

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/issuer"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/tokenpipe"
	"github.com/authdoctor/authdoctor/pkg/verify"
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
		if d := idp.MetadataURL(s); d != "" {
			return d, "derived from " + k, pr.RemoteLine(k)
		}
	}
	return "", "", pr.Line
}

// Run is one provider's network side, run concurrently with the
// others into its own report.
type Run struct {
	Name        string             `json:"name"`
	MetadataURL string             `json:"metadataUrl,omitempty"`
	MetadataHow string             `json:"metadataFrom,omitempty"`
	Doc         *oidc.DocResult    `json:"discovery,omitempty"`
	ConfigJWKS  *oidc.KeySetResult `json:"configuredJwks,omitempty"`
	Skipped     string             `json:"skipped,omitempty"`
	Endpoints   []issuer.Endpoint  `json:"-"`
	// Coverage says which discovery and key-set checks ran for this
	// provider and why the others did not.
	Coverage *engine.Coverage `json:"-"`
	// Provider is the config entry; Report holds this provider's own
	// findings (merged by the caller); Line is the config line that names
	// the metadata (for locating network findings).
	Provider *fab.Provider  `json:"-"`
	Report   *engine.Report `json:"-"`
	Line     int            `json:"-"`
}

// issuerURL is the discovered issuer ("" when none).
func (r *Run) IssuerURL() string {
	if r.Doc != nil && r.Doc.Discovery != nil {
		return r.Doc.Issuer
	}
	return ""
}

// KeySet returns the key set the app verifies with. authlib fetches
// server_metadata_url and lets its jwks_uri override remote_app's; without
// server_metadata_url it uses remote_app's jwks_uri. A discovery document
// authdoctor derived from the endpoints stands in only when remote_app
// names no key set.
func (r *Run) KeySet() *oidc.KeySetResult {
	fromMetadata := r.Doc != nil && r.Doc.JWKS.Usable()
	if fromMetadata && r.MetadataHow == "server_metadata_url" {
		return r.Doc.JWKS
	}
	if r.ConfigJWKS.Usable() {
		return r.ConfigJWKS
	}
	if fromMetadata {
		return r.Doc.JWKS
	}
	return nil
}

// KeySetBodies are the provider's key sets fetched, by URL: the user's
// jwt.PyJWKClient of one of them answers from it (usercode.Login.KeySets).
func (r *Run) KeySetBodies() map[string][]byte {
	out := map[string][]byte{}
	for _, ks := range []*oidc.KeySetResult{r.KeySet(), r.ConfigJWKS} {
		if ks != nil && ks.URL != "" && len(ks.Body) > 0 {
			out[ks.URL] = ks.Body
		}
	}
	if r.Doc != nil && r.Doc.JWKS != nil && r.Doc.JWKS.URL != "" && len(r.Doc.JWKS.Body) > 0 {
		out[r.Doc.JWKS.URL] = r.Doc.JWKS.Body
	}
	return out
}

// TokenKeys is what a token of this provider is checked against, as the
// app checks it: the key set it verifies with, the discovered issuer (and
// AD FS's access-token issuer), the metadata's algorithms, its client ID
// as the ID token's audience; tenant is the Entra tenant GUID the config
// pins ("" for none).
func (r *Run) TokenKeys(client *netx.Client, tc token.TimeContext, tenant string) *tokenpipe.Keys {
	k := &tokenpipe.Keys{Options: verify.Options{Now: tc.Now, Leeway: tc.Leeway, Time: tc}, Expect: issuer.Expectation{Tenant: tenant}}
	if cid, ok := r.Provider.RemoteStr("client_id"); ok {
		k.ClientID = cid
	}
	if i := r.IssuerURL(); i != "" {
		k.Metadata = r.Doc.Discovery
		k.Expect.Issuer, k.Expect.Source = i, "discovery "+r.MetadataURL
		if ati := r.Doc.AccessTokenIssuer; ati != "" {
			k.Expect.AltIssuers = []string{ati}
		}
		k.Options.MetadataAlgs = r.Doc.IDTokenSigningAlgValuesSupported
	}
	if ks := r.KeySet(); ks != nil {
		k.Set, k.From = verify.KeySetOf(ks.Input, ks.Set), ks.Input
		k.Prober = tokenpipe.NewKidProber(client, ks.URL)
	} else {
		k.Missing = "no key set for provider " + r.Name + " (see DSC/JWK findings or CFG004)"
	}
	return k
}

func (r *Run) fetch(ctx context.Context, client *netx.Client, now time.Time) {
	u, how, line := metadataSource(r.Provider)
	r.MetadataURL, r.MetadataHow, r.Line = u, how, line
	cfgJWKS, _ := r.Provider.RemoteStr("jwks_uri")
	io := oidc.InspectOptions{Now: now}
	r.Coverage = oidc.NewCoverage(r.Report.Registry())
	if u != "" {
		r.Doc = oidc.InspectDiscovery(ctx, r.Report, client, oidc.URLSource(u), io)
		r.Coverage.Include(r.Doc.Coverage)
	} else if v, ok := r.Provider.Remote.Get("server_metadata_url"); ok && fab.Unknown(v) {
		r.Skipped = "server_metadata_url could not be resolved statically (" + unresolvedReason(v) + ")"
		r.Coverage.NotRun(engine.StageDiscovery, "provider "+r.Name+": "+r.Skipped)
	} else {
		r.Skipped = "no server_metadata_url, and no endpoint to derive the discovery document from"
		r.Coverage.NotRun(engine.StageDiscovery, "provider "+r.Name+": "+r.Skipped)
	}
	discovered := ""
	if r.Doc != nil && r.Doc.Discovery != nil {
		discovered = r.Doc.JWKSURI
	}
	if cfgJWKS != "" && cfgJWKS != discovered && fetchableURL(cfgJWKS) {
		r.ConfigJWKS = oidc.InspectKeys(ctx, r.Report, client, oidc.URLSource(cfgJWKS), io)
		r.Coverage.Include(r.ConfigJWKS.Coverage)
	}
	r.Endpoints = ConfiguredEndpoints(r.Provider)
	if discovered != "" && cfgJWKS != "" && discovered != cfgJWKS {
		r.Endpoints = append(r.Endpoints, issuer.Endpoint{Name: "jwks_uri of the discovery document", URL: discovered, Line: r.Line})
	}
}

// fetchableURL reports an absolute http(s) URL (a configured jwks_uri
// that is not one is the config checks' business).
func fetchableURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// EndpointFindings judges the provider's configured endpoints, and the
// discovered jwks_uri with them (ISS003, ISS005).
func (r *Run) EndpointFindings(rep *engine.Report, file string) {
	issuer.CheckEndpoints(rep, issuer.ProviderEndpoints{Provider: r.Name, File: file, Line: r.Line, Eps: r.Endpoints,
		ParsesIDToken: parsesIDToken(r.Provider), Client: r.Provider.Client != nil})
}

// ConfiguredEndpoints lists the IdP URLs a provider entry names.
func ConfiguredEndpoints(pr *fab.Provider) []issuer.Endpoint {
	var eps []issuer.Endpoint
	for _, k := range endpointKeys {
		if s, ok := pr.RemoteStr(k); ok && s != "" {
			eps = append(eps, issuer.Endpoint{Name: k, URL: s, Line: pr.RemoteLine(k)})
		}
	}
	return eps
}

// CheckConfigured judges the endpoints of every provider of a config
// without the network (ISS003, ISS005): lint's offline view.
func CheckConfigured(rep *engine.Report, cfg *fab.Config) {
	for _, pr := range append(cfg.Providers(), cfg.ClientProviders()...) {
		if pr.Remote == nil || !pr.NameOK {
			continue
		}
		issuer.CheckEndpoints(rep, issuer.ProviderEndpoints{Provider: pr.Name, File: cfg.File, Line: pr.Line,
			Eps: ConfiguredEndpoints(pr), ParsesIDToken: parsesIDToken(pr), Client: pr.Client != nil})
	}
}

// FetchAll fetches every provider concurrently, each into its own report.
func FetchAll(ctx context.Context, client *netx.Client, reg *engine.Registry, provs []*fab.Provider, now time.Time) []*Run {
	runs := make([]*Run, 0, len(provs))
	for _, pr := range provs {
		if pr.Remote == nil || !pr.NameOK {
			continue
		}
		runs = append(runs, &Run{Name: pr.Name, Provider: pr, Report: engine.NewReport(reg, "providers")})
	}
	var wg sync.WaitGroup
	for _, r := range runs {
		wg.Add(1)
		go func(r *Run) {
			defer wg.Done()
			r.fetch(ctx, client, now)
		}(r)
	}
	wg.Wait()
	return runs
}

// Merge moves every provider's findings into rep (network findings without
// a file point at the config line that named the URL), records the skips
// of checks that ran for no provider, and adds ISS005.
func Merge(rep *engine.Report, runs []*Run, file string) {
	var covs []*engine.Coverage
	for _, r := range runs {
		for i := range r.Report.Findings {
			r.Report.Findings[i].Provider = r.Name
			s := &r.Report.Findings[i].Subject
			if s.File == "" {
				s.File = file
				if s.Line == 0 {
					s.Line = r.Line
				}
			}
		}
		rep.Merge(r.Report)
		covs = append(covs, r.Coverage)
		r.EndpointFindings(rep, file)
	}
	if len(runs) == 0 {
		none := oidc.NewCoverage(rep.Registry())
		none.NotRun(engine.StageDiscovery, "the config has no usable OAuth provider")
		none.NotRun(engine.StageKeys, "the config has no usable OAuth provider")
		covs = append(covs, none)
	}
	rep.SkipUncovered(covs...)
}

// unresolvedReason is why a value could not be resolved, for people.
func unresolvedReason(v any) string {
	if u, ok := v.(*fab.Unresolved); ok {
		return strings.TrimSuffix(strings.Split(u.Reason, "; supply it with")[0], ".") + "; give the deployment's value with --env"
	}
	return "not known statically"
}

// parsesIDToken: authlib parses the id_token at the callback (openid in
// the scope); Flask-OAuthlib never does.
func parsesIDToken(pr *fab.Provider) bool {
	if pr.Client != nil && pr.Client.Library == fab.FlaskOAuthlib {
		return false
	}
	return pr.ScopeKnown && pr.HasScope("openid")
}
