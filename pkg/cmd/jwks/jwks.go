// Package jwks implements `authdoctor jwks URL|@FILE...`: fetch and
// validate JSON Web Key Sets and list their keys. The work is pkg/oidc's
// (InspectKeys); this package is the command's flags and output.
package jwks

import (
	"context"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/spf13/cobra"
)

// Options of the jwks command.
type Options struct {
	cmdutil.Base
	Net  netx.Options
	Args []string
}

// NewCmd builds `authdoctor jwks`; runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{}
	cmd := &cobra.Command{
		Use:   "jwks URL|@FILE...",
		Short: "Fetch and validate JWK Sets; list their keys",
		Long: `Fetch and validate one or more JSON Web Key Sets (a provider's jwks_uri) and
list their keys: kid, type, size or curve, use, alg, certificate subject and
expiry, RFC 7638 thumbprint, and Entra's per-key issuer.

A failure to fetch is reported as JWK001 naming the stage that failed (DNS,
TCP connect, TLS, timeout, HTTP status, redirect, body size) with timings.
Several arguments are fetched concurrently.`,
		Example: `  authdoctor jwks https://login.microsoftonline.com/common/discovery/v2.0/keys
  authdoctor jwks @keys.json -o json
  authdoctor jwks https://idp.example.com/realms/x/protocol/openid-connect/certs --ca-file corp-root.pem`,
		Args: cobra.MinimumNArgs(1),
		RunE: cmdutil.Shape(f, o, &o.Base, &o.Args, runF, run),
	}
	netx.BindFlags(cmd.Flags(), &o.Net)
	return cmd
}

// Result is the JSON result of `jwks`.
type Result struct {
	// TLSVerification is "on", or "off (--insecure)".
	TLSVerification string               `json:"tlsVerification"`
	Sets            []*oidc.KeySetResult `json:"sets"`
	now             time.Time
}

// WriteText renders the key sets for people.
func (r *Result) WriteText(p *render.Printer) {
	for _, s := range r.Sets {
		render.KeySet(p, s, r.now)
	}
}

// run fetches and analyses every argument concurrently.
func run(ctx context.Context, o *Options) error {
	srcs, targets, err := cmdutil.ParseSources("argument", o.Args)
	if err != nil {
		return err
	}
	client, err := cmdutil.NewClient(o.Net)
	if err != nil {
		return err
	}
	defer client.Close()

	rep := engine.NewReport(o.Reg, "jwks")
	rep.Scope(engine.StageKeys)
	sets := engine.Each(rep, len(srcs), func(i int, sub *engine.Report) *oidc.KeySetResult {
		return oidc.InspectKeys(ctx, sub, client, srcs[i], oidc.InspectOptions{Now: o.G.Now})
	})
	if ctx.Err() != nil {
		return cmdutil.ErrInterrupted
	}
	covs := make([]*engine.Coverage, len(sets))
	for i, s := range sets {
		covs[i] = s.Coverage
	}
	rep.SkipUncovered(covs...)
	rep.Notices = append(rep.Notices, cmdutil.SchemeNotices(targets)...)
	oidc.ReportInsecure(rep, o.Net.Insecure)
	rep.Result = &Result{TLSVerification: o.Net.TLSVerification(), Sets: sets, now: o.G.Now}
	return o.Emit(rep)
}
