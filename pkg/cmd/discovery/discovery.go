// Package discovery implements `authdoctor discovery ISSUER|URL|@FILE...`:
// fetch and validate OpenID Connect discovery documents, then their
// jwks_uri. The work is pkg/oidc's (InspectDiscovery); this package is the
// command's flags and output.
package discovery

import (
	"context"
	"fmt"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/spf13/cobra"
)

// Options of the discovery command.
type Options struct {
	cmdutil.Base
	Net    netx.Options
	Args   []string
	NoJWKS bool
	// JWKS is a URL|@FILE checked instead of each document's jwks_uri
	// (the only way to check keys for @FILE documents).
	JWKS string
}

// NewCmd builds `authdoctor discovery`; runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{}
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
		RunE: cmdutil.Shape(f, o, &o.Base, &o.Args, runF, run),
	}
	netx.BindFlags(cmd.Flags(), &o.Net)
	cmd.Flags().BoolVar(&o.NoJWKS, "no-jwks", false, "do not fetch and check the document's jwks_uri")
	cmd.Flags().StringVar(&o.JWKS, "jwks", "", "URL|@FILE of the key set to check instead of jwks_uri (needed for @FILE documents)")
	return cmd
}

// Result is the JSON result of `discovery`.
type Result struct {
	TLSVerification string            `json:"tlsVerification"`
	Discoveries     []*oidc.DocResult `json:"discoveries"`
	now             time.Time
}

// WriteText renders each document, then its key set.
func (r *Result) WriteText(p *render.Printer) {
	shown := map[*oidc.KeySetResult]bool{}
	for _, d := range r.Discoveries {
		render.Discovery(p, d)
		if d.JWKS != nil && !shown[d.JWKS] {
			shown[d.JWKS] = true
			render.KeySet(p, d.JWKS, r.now)
		}
	}
}

// run fetches and analyses every argument concurrently.
func run(ctx context.Context, o *Options) error {
	if o.NoJWKS && o.JWKS != "" {
		return cmdutil.Usagef("--no-jwks and --jwks exclude each other")
	}
	srcs, targets, err := cmdutil.ParseSources("argument", o.Args)
	if err != nil {
		return err
	}
	var keysSrc *oidc.Source
	if o.JWKS != "" {
		s, _, err := cmdutil.ParseSource("--jwks", o.JWKS)
		if err != nil {
			return err
		}
		keysSrc = &s
	}
	client, err := cmdutil.NewClient(o.Net)
	if err != nil {
		return err
	}
	defer client.Close()

	rep := engine.NewReport(o.Reg, "discovery")
	rep.Scope(engine.StageDiscovery, engine.StageKeys)
	io := oidc.InspectOptions{Now: o.G.Now, NoKeys: o.NoJWKS, NoKeysReason: "--no-jwks"}
	var covs []*engine.Coverage
	if keysSrc != nil {
		// Documents attach it; inspecting it first keeps the order of
		// findings stable.
		io.Keys = engine.Each(rep, 1, func(_ int, sub *engine.Report) *oidc.KeySetResult {
			return oidc.InspectKeys(ctx, sub, client, *keysSrc, io)
		})[0]
	}
	docs := engine.Each(rep, len(srcs), func(i int, sub *engine.Report) *oidc.DocResult {
		return oidc.InspectDiscovery(ctx, sub, client, srcs[i], io)
	})
	if ctx.Err() != nil {
		return cmdutil.ErrInterrupted
	}
	for i, d := range docs {
		covs = append(covs, d.Coverage)
		if d.WellKnownAppended {
			rep.Notices = append(rep.Notices, fmt.Sprintf("%s is an issuer: fetched %s", targets[i].URL, d.URL))
		}
	}
	if io.Keys != nil {
		covs = append(covs, io.Keys.Coverage)
	}
	rep.SkipUncovered(covs...)
	rep.Notices = append(cmdutil.SchemeNotices(targets), rep.Notices...)
	oidc.ReportInsecure(rep, o.Net.Insecure)
	rep.Result = &Result{TLSVerification: o.Net.TLSVerification(), Discoveries: docs, now: o.G.Now}
	return o.Emit(rep)
}
