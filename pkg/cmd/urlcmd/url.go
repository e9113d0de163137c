// Package urlcmd implements `authdoctor url`: explain an authorization
// request or a callback / error URL pasted from the browser.
package urlcmd

import (
	"context"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/providers"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/authdoctor/authdoctor/pkg/urlcheck"
	"github.com/spf13/cobra"
)

// Options of the url command.
type Options struct {
	cmdutil.Base
	Args []string
	// Config is a FAB config to compare with (--config), read with Load.
	Config  string
	Load    config.LoadOptions
	BaseURL string
}

// NewCmd builds `authdoctor url`; runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{}
	cmd := &cobra.Command{
		Use:   "url URL|-",
		Short: "Explain an authorization request or a callback/error URL from the browser's address bar",
		Long: `Explain an OAuth URL pasted from the browser: the authorization request the app
sent to the IdP, or the callback the IdP sent back (with a code, or with an error
such as AADSTS50011). Codes and tokens in it are never printed. Quote the URL in
the shell: it contains & characters.`,
		Example: `  authdoctor url 'https://login.microsoftonline.com/<tenant>/oauth2/v2.0/authorize?client_id=…&response_type=code&redirect_uri=http%3A%2F%2Fairflow.example.com%2Foauth-authorized%2Fazure&scope=openid&state=…'
  authdoctor url --config webserver_config.py '<the authorize URL from the sign-in error page>'
  authdoctor url 'https://airflow.example.com/oauth-authorized/azure?error=access_denied&error_description=AADSTS50105%3A+…'
  pbpaste | authdoctor url -`,
		Args: cobra.ExactArgs(1),
		RunE: cmdutil.Shape(f, o, &o.Base, &o.Args, runF, run),
	}
	cmd.Flags().StringVar(&o.Config, "config", "", "a FAB config (webserver_config.py, Helm values): compare the URL with what the app will send (URL003, URL005)")
	cmd.Flags().StringVar(&o.BaseURL, "base-url", "", "the app's public URL, for the predicted callback (with --config)")
	config.BindFlags(cmd.Flags(), &o.Load, false)
	return cmd
}

// Result is the JSON result.
type Result struct {
	*urlcheck.Analysis
}

// run explains the URL.
func run(ctx context.Context, o *Options) error {
	raw := o.Args[0]
	if raw == "-" {
		in, err := cmdutil.ReadInput(o.IO, o.Args, "URL")
		if err != nil {
			return err
		}
		raw = strings.TrimSpace(string(in.Data))
	}
	u, err := urlcheck.Parse(raw)
	if err != nil {
		return cmdutil.Usagef("%v", err)
	}
	rep := engine.NewReport(o.Reg, "url")
	rep.Scope(engine.StageURL)
	var exp *urlcheck.Expect
	if o.Config != "" {
		loaded, err := config.Load(o.Config, o.Load)
		if err != nil {
			return err
		}
		p := loaded.Profile
		exp = providers.URLExpect(loaded.Config, p, o.Config, o.BaseURL, u.Query().Get("client_id"), nil)
		if exp == nil {
			rep.Skip("URL005", "the config has no OAuth provider to compare with")
		}
	} else {
		rep.Skip("URL005", "no --config to compare with")
	}
	a := urlcheck.Analyze(rep, u, exp)
	rep.Result = &Result{a}
	return o.Emit(rep)
}

// WriteText prints the URL for people.
func (r *Result) WriteText(p *render.Printer) { render.URL(p, r.Analysis) }
