// Package discovery implements `authdoctor discovery ISSUER|URL|@FILE...`:
// fetch and validate OpenID Connect discovery documents, then their
// jwks_uri.
package discovery

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cmd/jwks"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/authdoctor/authdoctor/pkg/sources"
	"github.com/spf13/cobra"
)

// Checks are the discovery-document checks (DSC001 fetch, DSC002 shape,
// then the members), in the order Inspect runs them; the command also runs
// the key-set checks. DSC007 is about this run's own TLS setting, reported
// once per run, not per document.
func Checks(reg *engine.Registry) []string {
	var out []string
	for _, id := range reg.IDs(engine.StageDiscovery) {
		if id != "DSC007" {
			out = append(out, id)
		}
	}
	return out
}

// Options of the discovery command.
type Options struct {
	IO     *cmdutil.IOStreams
	G      *cmdutil.Globals
	Reg    *engine.Registry
	Net    netx.Options
	Args   []string
	NoJWKS bool
	// JWKS is a URL|@FILE checked instead of each document's jwks_uri
	// (the only way to check keys for @FILE documents).
	JWKS string
}

// NewCmd builds `authdoctor discovery`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	o := &Options{IO: f.IO, G: f.G}
	cmd := &cobra.Command{
		Use:   "discovery ISSUER|URL|@FILE...",
		Short: "Fetch and validate discovery documents, then their jwks_uri",
		Long: `Fetch and validate OpenID Connect discovery documents
(/.well-known/openid-configuration), then the key set each names in jwks_uri.

An ISSUER (a URL without /.well-known/) gets /.well-known/openid-configuration
appended, and its issuer is then compared exactly with the one you typed. A URL
naming a /.well-known/ document is fetched as is. @FILE reads a saved document;
its jwks_uri is not fetched unless you pass --jwks. Several arguments are
fetched concurrently.

Known provider behaviour is explained, not reported: Entra's common and
organizations template issuers, domain-form tenants, v1 sts.windows.net
issuers, Azure AD B2C and External ID issuers.`,
		Example: `  authdoctor discovery https://login.microsoftonline.com/<tenant-id>/v2.0
  authdoctor discovery https://idp.example.com/realms/airflow --ca-file corp-root.pem
  authdoctor discovery @openid-configuration.json --jwks @keys.json
  authdoctor discovery https://keycloak.internal/realms/x --connect-to keycloak.internal:443:10.0.0.5:8443`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Reg = f.Registry()
			o.Args = args
			return Run(cmd.Context(), o)
		},
	}
	netx.BindFlags(cmd.Flags(), &o.Net)
	cmd.Flags().BoolVar(&o.NoJWKS, "no-jwks", false, "do not fetch and check the document's jwks_uri")
	cmd.Flags().StringVar(&o.JWKS, "jwks", "", "URL|@FILE of the key set to check instead of jwks_uri (needed for @FILE documents)")
	return cmd
}

// DocResult is one document in the JSON result.
type DocResult struct {
	Input string `json:"input"`
	// URL is the URL fetched; WellKnownAppended says the input was an
	// issuer and /.well-known/openid-configuration was appended.
	URL               string       `json:"url,omitempty"`
	WellKnownAppended bool         `json:"wellKnownAppended,omitempty"`
	File              string       `json:"file,omitempty"`
	Fetch             *netx.Result `json:"fetch,omitempty"`
	Skipped           string       `json:"skipped,omitempty"`
	*oidc.Discovery
	// JWKS is the key set checked for this document.
	JWKS *jwks.SetResult `json:"jwks,omitempty"`

	ran     map[string]bool
	reasons map[string]string
}

// Result is the JSON result of `discovery`.
type Result struct {
	TLSVerification string       `json:"tlsVerification"`
	Discoveries     []*DocResult `json:"discoveries"`
	now             time.Time
}

// Inspect fetches (or takes the file data of) one document and analyses
// it, then its key set unless noJWKS. jwksOverride, when non-nil, is a
// key set already inspected (from --jwks) to attach instead of fetching
// jwks_uri.
func Inspect(ctx context.Context, rep *engine.Report, client *netx.Client, t jwks.Target, data []byte, now time.Time, noJWKS bool, jwksOverride *jwks.SetResult) *DocResult {
	dr := &DocResult{Input: t.Raw, File: t.File, ran: map[string]bool{}, reasons: map[string]string{}}
	docChecks, keyChecks := Checks(rep.Registry()), jwks.Checks(rep.Registry())
	skip := func(ids []string, reason string) {
		for _, id := range ids {
			if !dr.ran[id] {
				dr.reasons[id] = reason
			}
		}
	}
	opts := []oidc.Option{oidc.WithNow(now)}
	fetchedFrom := ""
	if t.File != "" {
		skip(docChecks[:1], "the document was read from a file")
		opts = append(opts, oidc.WithFile(t.File))
	} else {
		u, appended := oidc.DiscoveryURL(t.URL)
		dr.URL, dr.WellKnownAppended = u, appended
		if appended {
			opts = append(opts, oidc.WithTypedIssuer(t.URL))
		}
		res := client.Fetch(ctx, u)
		dr.Fetch = res
		ok := oidc.ReportFetch(rep, "DSC001", "the discovery document", res)
		if res.Err != nil && res.Err.Stage == netx.StageOffline {
			reason := "offline (--offline): " + u + " was not fetched"
			dr.Skipped = "offline (--offline)"
			skip(docChecks, reason)
			skip(keyChecks, reason)
			return dr
		}
		dr.ran["DSC001"] = true
		if !ok {
			dr.Skipped = "the document could not be fetched (DSC001)"
			skip(docChecks[1:], "the discovery document could not be fetched (DSC001)")
			skip(keyChecks, "no discovery document, so no jwks_uri (DSC001)")
			return dr
		}
		data = res.Body
		fetchedFrom = u
		opts = append(opts, oidc.WithContentType(res.ContentType))
	}
	for _, id := range docChecks[1:] {
		dr.ran[id] = true
	}
	d := oidc.AnalyzeDiscovery(rep, fetchedFrom, data, opts...)
	if d == nil {
		dr.Skipped = "not a JSON object (DSC002)"
		for _, id := range docChecks[2:] {
			dr.ran[id] = false
		}
		skip(docChecks[2:], "the discovery document is not a JSON object (DSC002)")
		skip(keyChecks, "no discovery document, so no jwks_uri (DSC002)")
		return dr
	}
	dr.Discovery = d

	switch {
	case noJWKS:
		skip(keyChecks, "--no-jwks")
	case jwksOverride != nil:
		dr.JWKS = jwksOverride
	case t.File != "":
		skip(keyChecks, "the document was read from a file: its jwks_uri is not fetched; pass --jwks URL|@FILE to check a key set")
	case d.JWKSURI == "":
		skip(keyChecks, "the document has no jwks_uri (DSC003)")
	default:
		jt, err := jwks.ParseTarget(d.JWKSURI)
		if err != nil || jt.SchemeAdded {
			skip(keyChecks, fmt.Sprintf("jwks_uri %q is not an http(s) URL", d.JWKSURI))
			break
		}
		dr.JWKS = jwks.Inspect(ctx, rep, client, jt, nil, now)
		for id, r := range dr.JWKS.Ran {
			if r {
				dr.ran[id] = true
			}
		}
		for id, reason := range dr.JWKS.SkipReasons {
			if !dr.ran[id] {
				dr.reasons[id] = reason
			}
		}
	}
	return dr
}

// Run fetches and analyses every argument concurrently.
func Run(ctx context.Context, o *Options) error {
	var targets []jwks.Target
	for _, a := range o.Args {
		t, err := jwks.ParseTarget(a)
		if err != nil {
			return err
		}
		targets = append(targets, t)
	}
	if o.NoJWKS && o.JWKS != "" {
		return cmdutil.Usagef("--no-jwks and --jwks exclude each other")
	}
	var jwksTarget *jwks.Target
	if o.JWKS != "" {
		t, err := jwks.ParseTarget(o.JWKS)
		if err != nil {
			return cmdutil.Usagef("--jwks: %v", err)
		}
		jwksTarget = &t
	}
	data := make([][]byte, len(targets))
	for i, t := range targets {
		if t.File != "" {
			b, err := cmdutil.ReadFile(t.File)
			if err != nil {
				return err
			}
			data[i] = b
		}
	}
	var jwksData []byte
	if jwksTarget != nil && jwksTarget.File != "" {
		b, err := cmdutil.ReadFile(jwksTarget.File)
		if err != nil {
			return err
		}
		jwksData = b
	}
	client, err := jwks.NewClient(o.Net)
	if err != nil {
		return err
	}
	defer client.Close()

	rep := engine.NewReport(o.Reg, "discovery")
	rep.Scope(engine.StageDiscovery, engine.StageKeys)

	var override *jwks.SetResult
	var overrideRep *engine.Report
	var wg sync.WaitGroup
	if jwksTarget != nil {
		overrideRep = engine.NewReport(o.Reg, "discovery")
		wg.Add(1)
		go func() {
			defer wg.Done()
			override = jwks.Inspect(ctx, overrideRep, client, *jwksTarget, jwksData, o.G.Now)
		}()
		wg.Wait() // documents attach it; fetching it first keeps the order of findings stable
	}
	subs := make([]*engine.Report, len(targets))
	results := make([]*DocResult, len(targets))
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			subs[i] = engine.NewReport(o.Reg, "discovery")
			results[i] = Inspect(ctx, subs[i], client, t, data[i], o.G.Now, o.NoJWKS, override)
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return cmdutil.ErrInterrupted
	}
	var tracks []jwks.Track
	for i, t := range targets {
		jwks.Merge(rep, subs[i])
		tracks = append(tracks, jwks.Track{Ran: results[i].ran, Reasons: results[i].reasons})
		if t.SchemeAdded {
			rep.Notices = append(rep.Notices, fmt.Sprintf("%q has no scheme: used %s", t.Raw, t.URL))
		}
		if r := results[i]; r.WellKnownAppended {
			rep.Notices = append(rep.Notices, fmt.Sprintf("%s is an issuer: fetched %s", t.URL, r.URL))
		}
	}
	if override != nil {
		jwks.Merge(rep, overrideRep)
		tracks = append(tracks, jwks.Track{Ran: override.Ran, Reasons: override.SkipReasons})
	}
	jwks.ApplySkips(rep, append(Checks(o.Reg), jwks.Checks(o.Reg)...), tracks)
	if o.Net.Insecure {
		sources.ReportInsecure(rep, true)
		rep.Notices = append(rep.Notices, jwks.InsecureNotice)
	}
	rep.Result = &Result{TLSVerification: jwks.TLSWord(o.Net), Discoveries: results, now: o.G.Now}
	return cmdutil.Emit(o.IO, o.G, rep)
}

// WriteText renders each document, then its key set.
func (r *Result) WriteText(p *render.Printer) {
	shown := map[*jwks.SetResult]bool{}
	for _, d := range r.Discoveries {
		writeDoc(p, d)
		if d.JWKS != nil && !shown[d.JWKS] {
			shown[d.JWKS] = true
			jwks.WriteSet(p, d.JWKS, r.now)
		}
	}
}

func writeDoc(p *render.Printer, d *DocResult) {
	where := d.URL
	if d.File != "" {
		where = d.File
	}
	p.Section("Discovery document  " + where)
	const w = 22
	if d.WellKnownAppended {
		p.KV(2, w, "input", d.Input+" (an issuer: /.well-known/openid-configuration appended)")
	}
	jwks.WriteFetch(p, w, d.Fetch)
	if d.Discovery == nil {
		if d.Skipped != "" {
			p.KV(2, w, "not analysed", d.Skipped)
		}
		return
	}
	if d.Provider != nil {
		p.KV(2, w, "provider", d.Provider.Description)
	}
	if d.Kind == oidc.KindOAuth {
		p.KV(2, w, "kind", "RFC 8414 OAuth 2.0 authorization server metadata")
	}
	for _, m := range []struct{ k, v string }{
		{"issuer", d.Issuer},
		{"authorization_endpoint", d.AuthorizationEndpoint},
		{"token_endpoint", d.TokenEndpoint},
		{"userinfo_endpoint", d.UserinfoEndpoint},
		{"jwks_uri", d.JWKSURI},
		{"end_session_endpoint", d.EndSessionEndpoint},
	} {
		v := m.v
		if v == "" {
			v = p.Dim("(absent)")
		}
		p.KV(2, w, m.k, v)
	}
	if len(d.IDTokenSigningAlgValuesSupported) > 0 {
		p.KV(2, w, "id_token algs", joinComma(d.IDTokenSigningAlgValuesSupported))
	}
	if len(d.ResponseTypesSupported) > 0 {
		p.KV(2, w, "response types", joinComma(d.ResponseTypesSupported))
	}
	if len(d.ScopesSupported) > 0 {
		p.KV(2, w, "scopes", joinComma(d.ScopesSupported))
	}
	for _, n := range d.Notes {
		p.Printf("  %s %s\n", p.Dim("note:"), n)
	}
}

func joinComma(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// Track is what this document's inspection ran and why it skipped the
// rest (for commands that combine several inspections, like doctor).
func (d *DocResult) Track() jwks.Track { return jwks.Track{Ran: d.ran, Reasons: d.reasons} }
