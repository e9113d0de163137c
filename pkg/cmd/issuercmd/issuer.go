// Package issuercmd implements `authdoctor issuer`: issuer and tenant
// analysis across a token, a discovery document, an expected issuer and a
// tenant. The work is pkg/issuer's (and pkg/oidc's for the document);
// this package is the command's flags and output.
package issuercmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/issuer"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/providers"
	"github.com/authdoctor/authdoctor/pkg/render"
	tok "github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/tokenpipe"
	"github.com/spf13/cobra"
)

// Options of the issuer command.
type Options struct {
	cmdutil.Base
	Args         []string
	Net          netx.Options
	Discovery    string
	ExpectIssuer string
	Tenant       string
	Config       string
	Load         config.LoadOptions
}

// NewCmd builds `authdoctor issuer`; runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{}
	cmd := &cobra.Command{
		Use:   "issuer [TOKEN|-|@FILE]",
		Short: "Analyse issuers and tenants across a token, a discovery document, an expected issuer and a tenant",
		Long: `Classify every issuer given (Entra tenant, cloud and version; Keycloak realm and
/auth prefix; Okta org or custom server; Google; Auth0; Cognito; AD FS) and
compare them. Nothing is verified: use 'authdoctor verify' for signatures.`,
		Example: `  authdoctor issuer @id_token.txt --discovery https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration
  authdoctor issuer --discovery @openid-configuration.json --expect-issuer https://sso.example.com/realms/airflow
  pbpaste | authdoctor issuer --tenant contoso.onmicrosoft.com`,
		Args: cobra.MaximumNArgs(1),
		RunE: cmdutil.Shape(f, o, &o.Base, &o.Args, runF, run),
	}
	fs := cmd.Flags()
	fs.StringVar(&o.Discovery, "discovery", "", "discovery document: URL, issuer URL or @FILE")
	fs.StringVar(&o.ExpectIssuer, "expect-issuer", "", "the issuer the app is configured to expect")
	fs.StringVar(&o.Tenant, "tenant", "", "the Entra tenant the app is configured for: GUID or domain")
	fs.StringVar(&o.Config, "config", "", "a FAB config (webserver_config.py, Helm values): its providers' endpoints are compared (ISS005) and classified")
	netx.BindFlags(fs, &o.Net)
	config.BindFlags(cmd.Flags(), &o.Load, false)
	return cmd
}

// Row is one issuer seen, classified.
type Row struct {
	From      string        `json:"from"`
	Issuer    string        `json:"issuer"`
	Authority idp.Authority `json:"authority"`
}

// Result is the JSON result.
type Result struct {
	Issuers []Row `json:"issuers"`
}

func (r *Result) add(from, iss string) {
	if iss != "" {
		r.Issuers = append(r.Issuers, Row{From: from, Issuer: iss, Authority: idp.Parse(iss)})
	}
}

// run analyses: the token, the config's endpoints, the discovery
// document, then compares them with what is expected.
func run(ctx context.Context, o *Options) error {
	rep := engine.NewReport(o.Reg, "issuer")
	rep.Scope(engine.StageToken)
	res := &Result{Issuers: []Row{}}
	rep.Result = res
	d, given, err := readToken(o, rep)
	if err != nil || given && d == nil {
		if err != nil {
			return err
		}
		return o.Emit(rep) // TOK001 said why
	}
	if d == nil && o.Discovery == "" && o.ExpectIssuer == "" && o.Tenant == "" && o.Config == "" {
		return cmdutil.Usagef("nothing to analyse: give a token (argument, @FILE or stdin), --discovery, --expect-issuer, --tenant or --config")
	}
	if o.Config != "" {
		if err := fromConfig(o, rep, res); err != nil {
			return err
		}
	}
	client, err := cmdutil.NewClient(o.Net)
	if err != nil {
		return err
	}
	defer client.Close()
	oidc.ReportInsecure(rep, o.Net.Insecure)
	if d != nil {
		res.add("token iss", d.Claims.String("iss"))
	}
	exp, err := expectation(ctx, o, rep, res, client)
	if err != nil {
		return err
	}
	if d != nil {
		issuer.Check(rep, d, exp)
	} else {
		issuer.CheckExpectation(rep, exp)
	}
	return o.Emit(rep)
}

// readToken reads the token argument or stdin (a terminal is not read);
// given says that there was input, d is nil when it holds no token.
func readToken(o *Options, rep *engine.Report) (d *tok.Decoded, given bool, err error) {
	if len(o.Args) == 0 && o.IO.InTTY {
		return nil, false, nil
	}
	in, err := cmdutil.ReadInput(o.IO, o.Args, "token")
	if err != nil || strings.TrimSpace(string(in.Data)) == "" {
		return nil, false, err
	}
	if ds := tokenpipe.Decode(rep, in.Data); len(ds) > 0 {
		return ds[0], true, nil
	}
	return nil, true, nil
}

// fromConfig classifies every endpoint of the config's providers, judges
// them (issuer.CheckEndpoints: ISS003, ISS005) and takes the tenant the
// config pins.
func fromConfig(o *Options, rep *engine.Report, res *Result) error {
	loaded, err := config.Load(o.Config, o.Load)
	if err != nil {
		return err
	}
	for _, pr := range loaded.Config.Providers() {
		if pr.Remote == nil {
			continue
		}
		eps := providers.ConfiguredEndpoints(pr)
		for _, e := range eps {
			res.Issuers = append(res.Issuers, Row{From: fmt.Sprintf("%s:%d %s %s", o.Config, e.Line, pr.Name, e.Name), Issuer: e.URL, Authority: idp.Parse(e.URL)})
		}
		issuer.CheckEndpoints(rep, issuer.ProviderEndpoints{Provider: pr.Name, File: o.Config, Line: pr.Line, Eps: eps,
			ParsesIDToken: pr.ScopeKnown && pr.HasScope("openid")})
		if tr := fab.ResolveAzureTenant(fab.Profile{}, pr); tr.GUID != "" && o.Tenant == "" {
			o.Tenant = tr.GUID
		}
	}
	return nil
}

// expectation is what the token (or the configuration alone) is judged
// against: the discovery document's issuer, or --expect-issuer (compared
// with the document's, ISS001), and the tenant.
func expectation(ctx context.Context, o *Options, rep *engine.Report, res *Result, client *netx.Client) (issuer.Expectation, error) {
	exp := issuer.Expectation{Tenant: o.Tenant}
	var md *oidc.Discovery
	where := ""
	if o.Discovery != "" {
		src, _, err := cmdutil.ParseSource("--discovery", o.Discovery)
		if err != nil {
			return exp, err
		}
		doc := oidc.InspectDiscovery(ctx, rep, client, src, oidc.InspectOptions{Now: o.G.Now, NoKeys: true})
		rep.SkipUncovered(doc.Coverage)
		if doc.WellKnownAppended {
			rep.Notices = append(rep.Notices, "fetching "+doc.URL+" (the issuer's discovery document)")
		}
		if md, where = doc.Discovery, doc.Where(); md != nil {
			res.add("discovery "+where, md.Issuer)
			exp.Issuer, exp.Source = md.Issuer, "discovery "+where
			if md.AccessTokenIssuer != "" {
				exp.AltIssuers = []string{md.AccessTokenIssuer}
			}
			if da := idp.Parse(where); da.IdP == "azure" && (da.TenantKind == "domain" || da.TenantKind == "name") && o.Tenant == "" {
				exp.Tenant = da.Tenant
			}
		}
	}
	if o.ExpectIssuer != "" {
		res.add("--expect-issuer", o.ExpectIssuer)
		if md != nil && md.Issuer != "" && !strings.Contains(md.Issuer, "{tenantid}") {
			issuer.CheckConfigured(rep, o.ExpectIssuer, md.Issuer, where)
		}
		exp.Issuer, exp.Source = o.ExpectIssuer, "--expect-issuer"
	}
	if k := idp.TenantKind(exp.Tenant); k == "domain" || k == "name" {
		exp.TenantGUID = oidc.ResolveTenant(ctx, client, exp.Tenant, "")
	}
	return exp, nil
}

// WriteText prints the issuers seen.
func (r *Result) WriteText(p *render.Printer) {
	p.Section("Issuers")
	for _, row := range r.Issuers {
		p.Printf("  %-28s %s\n", p.Dim(row.From), row.Issuer)
		p.Printf("  %-28s %s\n", "", p.Cyan(render.Authority(row.Authority)))
	}
}
