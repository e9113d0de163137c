// Package lint implements `authdoctor lint FILE...`: the static CFG/ROL
// checks of FAB config files, for people and for CI (SARIF).
package lint

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/providers"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/spf13/cobra"
)

// Options of the lint command.
type Options struct {
	IO        *cmdutil.IOStreams
	NewReport func(string) *engine.Report
	Emit      func(*engine.Report) error

	Files  []string
	Read   config.LoadOptions
	Online bool
	Net    netx.Options
	Reg    *engine.Registry
	Now    time.Time
	Deploy config.DeployOptions
}

// NewCmd builds `authdoctor lint`. Its findings carry file:line
// locations, so it accepts --output sarif. runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{IO: f.IO, NewReport: f.NewReport, Emit: f.Emit}
	cmd := &cobra.Command{
		Use:   "lint FILE...",
		Short: "Check FAB config files (webserver_config.py, superset_config.py, Helm values, ConfigMaps) without a token",
		Long: `Runs every CFG and ROL check that needs no token on each file: how FAB and
Airflow will read the OAuth settings, the provider branches, the role
mapping, the callback URL and the Airflow 3 / newest-provider pitfalls.
Nothing is fetched from the network unless --online: then each provider's
discovery document and key sets are fetched too (concurrently) and checked
(DSC, JWK, and ISS005 across the configured endpoints).

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage error,
3 a file cannot be read.`,
		Example: `  authdoctor lint webserver_config.py
  authdoctor lint --flavor airflow3 values.yaml
  authdoctor lint -o sarif deploy/*.py > authdoctor.sarif`,
		Args:        cobra.MinimumNArgs(1),
		Annotations: map[string]string{cmdutil.OutputsAnnotation: "text,json,sarif"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if !o.Online {
				for _, name := range []string{"timeout", "ca-file", "insecure", "connect-to", "offline", "from-file"} {
					if cmd.Flags().Changed(name) {
						return cmdutil.Usagef("--%s needs --online: lint does not use the network otherwise", name)
					}
				}
			}
			o.Reg, o.Now = f.Registry(), f.G.Now
			o.Files = args
			if runF != nil {
				return runF(o)
			}
			return run(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	config.BindDeployFlags(fl, &o.Deploy)
	fl.BoolVar(&o.Online, "online", false, "also fetch each provider's discovery document and key sets and check them (DSC, JWK, ISS005)")
	netx.BindFlags(fl, &o.Net)
	config.BindFlags(fl, &o.Read, false)
	return cmd
}

// Result is the JSON result of lint: one summary per file.
type Result struct {
	Files []fab.FileSummary `json:"files"`
}

// run lints every file into one report.
func run(ctx context.Context, o *Options) error {
	rep := o.NewReport("lint")
	rep.Scope(engine.StageRead, engine.StageConfig, engine.StageRoles)
	var client *netx.Client
	if o.Online {
		c, err := cmdutil.NewClient(o.Net)
		if err != nil {
			return err
		}
		defer c.Close()
		client = c
		oidc.ReportInsecure(rep, o.Net.Insecure)
	}
	roles, err := o.Deploy.Declared()
	if err != nil {
		return err
	}
	res := &Result{Files: []fab.FileSummary{}}
	for _, path := range o.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		file, err := config.Load(path, o.Read)
		if errors.Is(err, config.ErrNoConfig) {
			// Another chart's values file (a pre-commit pattern caught
			// it): nothing to lint there; the other files still count.
			rep.Notices = append(rep.Notices, err.Error()+": nothing to lint")
			continue
		}
		if err != nil {
			return err
		}
		issues, sum := fab.LintPlausible(file.Config, file.Plausible, fab.LintOptions{
			Roles: roles, BaseURL: o.Deploy.BaseURL, SyntaxErrors: file.SyntaxErrors})
		if file.Kind != config.KindPython {
			sum.Notes = append([]string{"read from " + file.Describe()}, sum.Notes...)
		}
		for _, is := range append(file.ReadIssues(), issues...) {
			is.AddTo(rep)
		}
		if client != nil {
			runs := providers.FetchAll(ctx, client, o.Reg, file.Config.Providers(), o.Now)
			providers.Merge(rep, runs, path)
		}
		res.Files = append(res.Files, sum)
	}
	rep.Result = res
	return o.Emit(rep)
}

// WriteText shows, per file, the flavour and the providers with their
// predicted callbacks.
func (r *Result) WriteText(p *render.Printer) {
	for _, f := range r.Files {
		p.Section(f.File)
		p.KV(2, 9, "flavour", f.FlavorTitle)
		if f.FlavorReason != "" {
			p.KV(2, 9, "because", f.FlavorReason)
		}
		for _, pr := range f.Providers {
			p.Printf("  provider %s → branch %s, role keys: %s\n", p.Bold(fmt.Sprintf("%q", pr.Name)), pr.Branch, pr.RoleKeys)
			p.Printf("    callback: %s\n", pr.Callback.URL)
			if pr.Callback.BehindProxy != pr.Callback.URL {
				p.Printf("    %s\n", p.Dim("behind a TLS-terminating proxy without "+strings.TrimSpace(pr.Callback.ProxyFixSetting)+": "+pr.Callback.BehindProxy))
			}
		}
		for _, n := range f.Notes {
			p.Printf("  %s %s\n", p.Dim("note:"), n)
		}
	}
}
