// Package login implements `authdoctor login`: rehearse a real sign-in
// with the app's own authorization request, a loopback redirect and the
// rest of the login as the app runs it (pkg/rehearsal).
package login

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/authlib"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/interrupt"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/rehearsal"
	"github.com/spf13/cobra"
)

// DefaultRedirectURI is where the IdP sends the browser back: this
// machine, a free port.
const DefaultRedirectURI = "http://127.0.0.1/callback"

// Options of the login command.
type Options struct {
	cmdutil.Base
	ConfigPath string
	Provider   string
	// The bare client (no config).
	Issuer, ClientID, Scope string
	ClientSecretFile        string
	RedirectURI             string
	NoBrowser               bool
	Wait                    time.Duration
	ShowTokens              bool
	Save                    string
	Existing                string
	Net                     netx.Options
	Read                    config.LoadOptions
	Deploy                  config.DeployOptions

	// Browser opens the authorization URL (nil: the system's browser, or
	// none with --no-browser). Tests drive the IdP here.
	Browser func(ctx context.Context, url string) error
	// Listening is told the redirect URI once the listener is up (tests).
	Listening func(redirectURI string)
}

// NewCmd builds `authdoctor login`; runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{}
	cmd := &cobra.Command{
		Use:   "login --config FILE [--provider NAME] | --issuer URL --client-id ID",
		Short: "Rehearse a real sign-in: the app's own authorization request, then the rest of the login exactly as the app runs it",
		Long: `login signs a real user in the way the app would, with authdoctor in the app's
place: it sends the app's own authorization request (the client_id, scope,
response type and endpoints authlib builds from the config and the IdP's
metadata, plus PKCE S256, state and nonce) with a redirect to a listener on
this machine, opens the browser, and when the IdP sends the browser back it
runs the rest of the login exactly as the app runs it: the code exchange with
the client's authentication, authlib's ID-token checks, FAB's user-info step
with the real token (and the real user-info answer), the role computation and
the pages the user will see. The report is doctor's, with the real material.

The redirect URI (http://127.0.0.1:PORT/callback by default) must be
registered for the client at the IdP; the output says which and why. On a
machine without a browser, open the printed URL elsewhere and paste the
address-bar URL you land on back here.

The client secret comes from the config's environment (--env, --env-file or
this process), --client-secret-file, or a prompt; never from a flag value.
Tokens are never printed (--show-tokens) nor written (--save FILE, mode 0600).`,
		Example: `  authdoctor login --config webserver_config.py
  authdoctor login --config values.yaml --provider azure --redirect-uri http://localhost:8400/callback
  authdoctor login --config webserver_config.py --no-browser   # open the URL elsewhere, paste the result
  authdoctor login --config webserver_config.py --offline --from-file @saved.txt   # only the request the app would send
  authdoctor login --issuer https://login.microsoftonline.com/<tenant>/v2.0 --client-id <app-id> --client-secret-file secret.txt`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{cmdutil.OutputsAnnotation: "text,json,sarif"},
		RunE:        cmdutil.Shape(f, o, &o.Base, nil, runF, run),
	}
	fs := cmd.Flags()
	fs.StringVar(&o.ConfigPath, "config", "", "the FAB config: webserver_config.py, superset_config.py, Helm values or a ConfigMap")
	fs.StringVar(&o.Provider, "provider", "", "the OAUTH_PROVIDERS name to sign in with (default: the only one)")
	fs.StringVar(&o.Issuer, "issuer", "", "without a config: the issuer (or its discovery document URL) of any OIDC client")
	fs.StringVar(&o.ClientID, "client-id", "", "without a config: the client_id")
	fs.StringVar(&o.Scope, "scope", "", `without a config: the scope (default "openid email profile")`)
	fs.StringVar(&o.ClientSecretFile, "client-secret-file", "", "a file holding the client secret, when the config's environment does not give it (never a flag value)")
	fs.StringVar(&o.RedirectURI, "redirect-uri", DefaultRedirectURI, "where the IdP sends the browser back: http://127.0.0.1:PORT/PATH or http://localhost:PORT/PATH (no port: a free one)")
	fs.BoolVar(&o.NoBrowser, "no-browser", false, "print the URL to open instead of opening a browser")
	fs.DurationVar(&o.Wait, "wait", 5*time.Minute, "how long to wait for the browser to come back")
	fs.BoolVar(&o.ShowTokens, "show-tokens", false, "print the tokens the IdP issued (they are secrets)")
	fs.StringVar(&o.Save, "save", "", "write the token response to FILE (mode 0600)")
	fs.StringVar(&o.Existing, "existing-user", "", "simulate a returning user with these roles (comma-separated)")
	config.BindDeployFlags(fs, &o.Deploy)
	netx.BindFlags(fs, &o.Net)
	config.BindFlags(fs, &o.Read, false)
	return cmd
}

// run rehearses the sign-in.
func run(ctx context.Context, o *Options) error {
	setup, err := o.setup()
	if err != nil {
		return err
	}
	client, err := cmdutil.NewClient(o.Net)
	if err != nil {
		return err
	}
	defer client.Close()
	var ln *netx.CallbackListener
	if o.Net.Offline {
		// Nothing can come back: no listener, and the one-time values
		// shown as zeros so that the request reads the same every time.
		setup.RedirectURI = o.RedirectURI
		setup.Token = func(n int) string { return strings.Repeat("0", n) }
	} else {
		if ln, err = netx.ListenCallback(o.RedirectURI); err != nil {
			if errors.Is(err, netx.ErrNotLoopback) {
				return cmdutil.Usagef("--redirect-uri %v", err)
			}
			return cmdutil.Jobf("cannot listen for the redirect: %v", err)
		}
		defer ln.Close()
		setup.RedirectURI = ln.RedirectURI()
	}
	if o.Listening != nil {
		o.Listening(setup.RedirectURI)
	}
	interrupt.Arm(ctx) // from here on the run waits: Ctrl-C ends it with 130
	r, err := rehearsal.Prepare(ctx, client, o.Reg, setup)
	if err != nil {
		return setupError(ctx, err)
	}
	if o.Net.Offline && !r.Done() {
		// Offline: what the app would send, from saved documents; the
		// sign-in itself needs the IdP.
		r.StopBeforeBrowser("--offline: no sign-in (the authorization request the app would send is shown; its state, nonce and code_verifier are zeros here, and each sign-in draws its own)")
	}
	if !r.Done() {
		r.Probe(ctx)
	}
	if !r.Done() {
		cb, from, err := o.waitForCallback(ctx, r, ln)
		if err != nil {
			return err
		}
		r.Complete(ctx, cb, from)
	}
	if ctx.Err() != nil {
		return cmdutil.ErrInterrupted
	}
	r.Finish()
	if err := o.keepTokens(r); err != nil {
		return err
	}
	r.Report.Result = &result{r.Result}
	return o.Emit(r.Report)
}

// setupError maps what stops a rehearsal before it starts.
func setupError(ctx context.Context, err error) error {
	var se *rehearsal.SetupError
	switch {
	case ctx.Err() != nil:
		return cmdutil.ErrInterrupted
	case errors.As(err, &se):
		return cmdutil.Usagef("%s", se.Msg)
	}
	return err
}

// setup checks the flags and reads the config and the secret file.
func (o *Options) setup() (rehearsal.Setup, error) {
	var s rehearsal.Setup
	switch {
	case o.ConfigPath != "" && (o.Issuer != "" || o.ClientID != ""):
		return s, cmdutil.Usagef("give either --config (the app's client) or --issuer with --client-id (any OIDC client), not both")
	case o.ConfigPath == "" && (o.Issuer == "" || o.ClientID == ""):
		return s, cmdutil.Usagef("give --config FILE (the app's client), or --issuer URL and --client-id ID")
	case o.ConfigPath != "" && o.Scope != "":
		return s, cmdutil.Usagef("--scope is for --issuer: with --config the scope is the app's own")
	}
	if o.ClientSecretFile != "" {
		b, err := cmdutil.ReadFile(o.ClientSecretFile)
		if err != nil {
			return s, err
		}
		s.Secret, s.SecretFrom = strings.TrimRight(string(b), "\r\n"), "--client-secret-file "+o.ClientSecretFile
	}
	s.Issuer, s.ClientID, s.Scope, s.Provider, s.Now = o.Issuer, o.ClientID, o.Scope, o.Provider, func() time.Time { return o.now() }
	s.AskSecret = o.askSecret
	if o.ConfigPath == "" {
		return s, nil
	}
	file, err := config.Load(o.ConfigPath, o.Read)
	if err != nil {
		return s, err
	}
	s.File = file
	if s.Roles, err = o.Deploy.Declared(); err != nil {
		return s, err
	}
	s.BaseURL = o.Deploy.BaseURL
	if o.Existing != "" {
		s.Existing = &fab.ExistingUser{}
		for _, x := range strings.Split(o.Existing, ",") {
			if x = strings.TrimSpace(x); x != "" {
				s.Existing.Roles = append(s.Existing.Roles, x)
			}
		}
	}
	return s, nil
}

// now is --now when given, else the clock at the moment asked (tokens are
// judged when they arrive).
func (o *Options) now() time.Time {
	if o.G != nil && o.G.NowRaw != "" {
		return o.G.Now
	}
	return time.Now()
}

// askSecret prompts for the secret on a terminal (without echo); without
// one the client is taken as public.
func (o *Options) askSecret(c *authlib.Client) (string, error) {
	if !o.IO.InTTY {
		return "", nil
	}
	fmt.Fprintf(o.IO.ErrOut, "authdoctor: client secret of %q (%s; empty for a public client): ", c.ClientID, c.Name)
	b, err := readPassword(o.IO.In)
	fmt.Fprintln(o.IO.ErrOut)
	if err != nil {
		return "", cmdutil.Jobf("reading the client secret: %v", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// keepTokens prints (--show-tokens) and saves (--save) the token
// response; neither happens unless asked.
func (o *Options) keepTokens(r *rehearsal.Rehearsal) error {
	body := r.TokenResponse()
	if body == nil {
		return nil
	}
	if o.ShowTokens {
		r.Result.Tokens = string(body)
		if json.Valid(body) {
			r.Result.Tokens = json.RawMessage(body)
		}
		r.Report.Notices = append(r.Report.Notices, "the tokens are printed (--show-tokens): they are secrets")
	}
	if o.Save == "" {
		return nil
	}
	f, err := os.OpenFile(o.Save, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return cmdutil.Jobf("--save %s: %v", o.Save, err)
	}
	defer f.Close()
	// An existing file keeps its mode on O_TRUNC: make it private.
	if err := f.Chmod(0o600); err != nil {
		return cmdutil.Jobf("--save %s: %v", o.Save, err)
	}
	if _, err := f.Write(append(body, '\n')); err != nil {
		return cmdutil.Jobf("--save %s: %v", o.Save, err)
	}
	r.Report.Notices = append(r.Report.Notices, "the token response is saved in "+o.Save+" (mode 0600)")
	return nil
}
