// Package issuercmd implements `authdoctor issuer`: issuer and tenant
// analysis across a token, a discovery document, an expected issuer and a
// tenant.
package issuercmd

import (
	"context"
	"fmt"
	"strings"
	"time"

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
	"github.com/spf13/cobra"
)

// Options of the issuer command.
type Options struct {
	IO           *cmdutil.IOStreams
	Args         []string
	Now          time.Time
	Net          netx.Options
	Discovery    string
	ExpectIssuer string
	Tenant       string
	Config       string
	Load         config.LoadOptions
	Emit         func(*engine.Report) error
	NewReport    func() *engine.Report
}

// NewCmd builds `authdoctor issuer`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
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
		RunE: func(cmd *cobra.Command, args []string) error {
			o.IO, o.Args, o.Now = f.IO, args, f.G.Now
			o.Emit = f.Emit
			o.NewReport = func() *engine.Report { return f.NewReport("issuer") }
			return Run(cmd.Context(), o)
		},
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

// Run analyses.
func Run(ctx context.Context, o *Options) error {
	var d *tok.Decoded
	rep := o.NewReport()
	rep.Scope(engine.StageToken)
	res := &Result{Issuers: []Row{}}
	rep.Result = res
	if len(o.Args) > 0 || !o.IO.InTTY {
		in, err := cmdutil.ReadInput(o.IO, o.Args, "token")
		if err != nil {
			return err
		}
		if strings.TrimSpace(string(in.Data)) != "" {
			ds, err := tok.DecodeInput(in.Data)
			if err != nil {
				rep.Add("TOK001", err.Error(), engine.At(engine.Subject{Name: "token"}))
				return o.Emit(rep)
			}
			d = ds[0]
		}
	}
	if d == nil && o.Discovery == "" && o.ExpectIssuer == "" && o.Tenant == "" && o.Config == "" {
		return cmdutil.Usagef("nothing to analyse: give a token (argument, @FILE or stdin), --discovery, --expect-issuer, --tenant or --config")
	}
	if o.Config != "" {
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
	}
	client, err := cmdutil.NewClient(o.Net)
	if err != nil {
		return err
	}
	defer client.Close()
	oidc.ReportInsecure(rep, o.Net.Insecure)

	add := func(from, iss string) {
		if iss != "" {
			res.Issuers = append(res.Issuers, Row{From: from, Issuer: iss, Authority: idp.Parse(iss)})
		}
	}
	if d != nil {
		add("token iss", d.Claims.String("iss"))
	}
	exp := issuer.Expectation{Tenant: o.Tenant}
	var md *oidc.Discovery
	where := ""
	if o.Discovery != "" {
		src, _, err := cmdutil.ParseSource("--discovery", o.Discovery)
		if err != nil {
			return err
		}
		doc := oidc.InspectDiscovery(ctx, rep, client, src, oidc.InspectOptions{Now: o.Now, NoKeys: true})
		rep.SkipUncovered(doc.Coverage)
		if doc.WellKnownAppended {
			rep.Notices = append(rep.Notices, "fetching "+doc.URL+" (the issuer's discovery document)")
		}
		if md, where = doc.Discovery, doc.Where(); md != nil {
			add("discovery "+where, md.Issuer)
			exp.Issuer, exp.Source = md.Issuer, "discovery "+where
			if md.AccessTokenIssuer != "" {
				exp.AltIssuers = []string{md.AccessTokenIssuer}
			}
			da := idp.Parse(where)
			if da.IdP == "azure" && (da.TenantKind == "domain" || da.TenantKind == "name") && o.Tenant == "" {
				exp.Tenant = da.Tenant
			}
		}
	}
	if o.ExpectIssuer != "" {
		add("--expect-issuer", o.ExpectIssuer)
		if md != nil && md.Issuer != "" && !strings.Contains(md.Issuer, "{tenantid}") {
			issuer.CheckConfigured(rep, o.ExpectIssuer, md.Issuer, where)
		}
		exp.Issuer, exp.Source = o.ExpectIssuer, "--expect-issuer"
	}
	if t := exp.Tenant; t != "" {
		if k := idp.TenantKind(t); k == "domain" || k == "name" {
			exp.TenantGUID = oidc.ResolveTenant(ctx, client, t, "")
		}
	}
	if d != nil {
		issuer.Check(rep, d, exp)
	} else {
		// No token: judge the configuration on its own.
		if strings.Contains(exp.Issuer, "{tenantid}") {
			rep.Add("ISS003", fmt.Sprintf("the issuer %q is the Entra multi-tenant template: exact issuer validation fails unless tid is substituted and checked against an allow-list", exp.Issuer),
				engine.At(engine.Subject{URL: exp.Source}), engine.With("issuer", exp.Issuer))
		}
		if t := exp.Tenant; t != "" {
			switch k := idp.TenantKind(t); {
			case k == "common" || k == "organizations":
				rep.Add("ISS003", fmt.Sprintf("the tenant %q is a multi-tenant alias", t), engine.With("tenant", t))
			case k == "domain" || k == "name":
				msg := fmt.Sprintf("the tenant is given as the domain %q; tokens carry the tenant GUID", t)
				if exp.TenantGUID != "" {
					msg += " (" + exp.TenantGUID + ")"
				}
				rep.Add("ISS006", msg, engine.With("tenant", t), engine.With("resolved", exp.TenantGUID))
			case k == "guid" && t != strings.ToLower(t):
				rep.Add("ISS006", fmt.Sprintf("the tenant GUID %s is not lower case; tokens carry %s", t, strings.ToLower(t)), engine.With("tenant", t))
			}
		}
	}
	return o.Emit(rep)
}

// WriteText prints the issuers seen.
func (r *Result) WriteText(p *render.Printer) {
	p.Section("Issuers")
	for _, row := range r.Issuers {
		a := row.Authority
		desc := a.IdP
		switch a.IdP {
		case "azure":
			desc = fmt.Sprintf("Entra %s, %s cloud, tenant %s (%s)", a.Version, a.Cloud, a.Tenant, a.TenantKind)
		case "keycloak":
			desc = "Keycloak realm " + a.Realm
			if a.Server == "pre-17" {
				desc += " (pre-17 /auth path)"
			}
		case "okta":
			desc = "Okta " + a.Server + " authorization server"
		}
		p.Printf("  %-28s %s\n", p.Dim(row.From), row.Issuer)
		p.Printf("  %-28s %s\n", "", p.Cyan(desc))
	}
}
