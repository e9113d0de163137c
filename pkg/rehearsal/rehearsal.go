// Package rehearsal runs a real sign-in the way the app would, with
// authdoctor in the app's place: the app's own authorization request (as
// authlib builds it from the config and the fetched metadata) with a
// loopback redirect, then, with the code the IdP sends back, the rest of
// the login exactly as FAB and authlib run it — the code exchange with the
// client's authentication, authlib's ID-token checks, FAB's user-info step
// with the real token and the real user-info answer, the role computation —
// each step's outcome placed on the login's steps, verdict first.
//
// The browser, the listener and the terminal belong to the command
// (pkg/cmd/login); this package does the diagnosis and talks to the
// network only through pkg/netx.
package rehearsal

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/authlib"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/providers"
)

// Setup is what a rehearsal starts from: a config and one of its
// providers, or (ClientID set, File nil) a bare OIDC client.
type Setup struct {
	File     *config.File
	Provider string
	// The bare client: the issuer (or its discovery URL), client_id and
	// scope ("openid email profile" when empty).
	Issuer, ClientID, Scope string
	// Secret supplies client_secret when the config's cannot be resolved
	// here, or for the bare client; SecretFrom says where it came from.
	Secret, SecretFrom string
	// AskSecret is asked last, when neither gives a secret (a prompt);
	// nil or "" means a public client.
	AskSecret func(c *authlib.Client) (string, error)
	// RedirectURI is the loopback URI the IdP sends the browser back to.
	RedirectURI string
	// Token replaces authlib's generate_token (nil: random, as authlib).
	Token func(n int) string
	// Roles, BaseURL and Existing tune the role computation (as roles).
	Roles    fab.DeclaredRoles
	BaseURL  string
	Existing *fab.ExistingUser
	// Now is the clock (tokens are judged at the moment they arrive).
	Now func() time.Time
	// UserInfo replaces the built-in user-info step (nil: BuiltinUserInfo);
	// issue 16's evaluation of the user's own security-manager code plugs
	// in here.
	UserInfo UserInfoRunner
}

// Rehearsal is one rehearsed sign-in in progress.
type Rehearsal struct {
	Client   *authlib.Client
	Provider *fab.Provider
	Request  *authlib.AuthRequest
	Report   *engine.Report
	Result   *Result

	setup Setup
	net   *netx.Client
	run   *providers.Run
	// done is set when the rehearsal cannot go on (a failure before the
	// browser, or at a step of the callback).
	done bool
	// static counts the findings of the documents' inspection (made
	// before the sign-in); confirmed are those the sign-in confirmed.
	static    int
	confirmed map[int]bool
	// stopped says why the rehearsal ended before the browser without a
	// failure (offline).
	stopped string
}

// Prepare builds the authorization request: the client from the config
// (or the bare one), its metadata fetched and merged as authlib merges it,
// the request with PKCE, state and nonce. A failure here is the verdict
// (Done reports it); an error means the setup itself is unusable (a
// usage problem: no such provider, an OAuth 1 client, an unresolved
// client_id).
func Prepare(ctx context.Context, nc *netx.Client, reg *engine.Registry, s Setup) (*Rehearsal, error) {
	if s.Now == nil {
		s.Now = time.Now
	}
	r := &Rehearsal{setup: s, net: nc, Report: engine.NewReport(reg, "login")}
	r.Report.Scope(engine.StageDiscovery, engine.StageKeys, engine.StageToken, engine.StageUserInfo, engine.StageRoles, engine.StageLogin)
	r.Result = &Result{Steps: engine.NewLoginSteps(), Network: networkWord(nc.Options())}
	r.Report.Result = r.Result
	var err error
	if s.File != nil {
		err = r.fromConfig(ctx)
	} else {
		err = r.bareClient(ctx)
	}
	if err != nil {
		return nil, err
	}
	r.static, r.confirmed = len(r.Report.Findings), map[int]bool{}
	r.Result.Client = r.Client
	r.authorize(ctx)
	return r, nil
}

// fromConfig picks the provider and fetches its metadata and keys the way
// doctor does (DSC and JWK findings), then builds authlib's client.
func (r *Rehearsal) fromConfig(ctx context.Context) error {
	cfg := r.setup.File.Config
	pr, err := pickProvider(cfg, r.setup.Provider)
	if err != nil {
		return err
	}
	r.Provider = pr
	c := authlib.FromProvider(cfg, pr)
	if c.OAuth1 {
		return &SetupError{fmt.Sprintf("provider %q is an OAuth 1 client (a truthy request_token_url): authdoctor login rehearses OAuth 2 sign-ins only", pr.Name)}
	}
	if c.ClientID == "" {
		return &SetupError{fmt.Sprintf("provider %q: client_id cannot be resolved here (%s); give the environment the app has with --env or --env-file", pr.Name, strings.Join(c.Unresolved, "; "))}
	}
	if c.HasSecret {
		r.Result.SecretFrom = "the config (" + c.Name + "'s client_secret)"
	}
	r.Client = c
	if err := r.supplySecret(); err != nil {
		return err
	}
	res := r.Result
	res.Config, res.Provider = r.setup.File.Path, pr.Name
	res.Flavor = r.setup.File.Profile.Title
	runs := providers.FetchAll(ctx, r.net, r.Report.Registry(), []*fab.Provider{pr}, r.setup.Now())
	if ctx.Err() != nil {
		return ctx.Err()
	}
	providers.Merge(r.Report, runs, r.setup.File.Path)
	if len(runs) == 1 {
		r.run = runs[0]
		res.MetadataURL, res.MetadataHow = r.run.MetadataURL, r.run.MetadataHow
	}
	return nil
}

// bareClient is oauth.register(name, client_id=…, client_secret=…,
// server_metadata_url=…, client_kwargs={"scope": …}); its document is
// inspected as discovery inspects one.
func (r *Rehearsal) bareClient(ctx context.Context) error {
	s := r.setup
	meta := s.Issuer
	if !strings.Contains(meta, "/.well-known/") {
		meta = strings.TrimSuffix(meta, "/") + "/.well-known/openid-configuration"
	}
	scope := s.Scope
	if scope == "" {
		scope = "openid email profile"
	}
	r.Client = authlib.NewClient("oidc", s.ClientID, "", meta, scope)
	if err := r.supplySecret(); err != nil {
		return err
	}
	r.Result.MetadataURL, r.Result.MetadataHow = meta, "--issuer"
	oidc.InspectDiscovery(ctx, r.Report, r.net, oidc.URLSource(meta), oidc.InspectOptions{Now: s.Now(), ForVerification: true})
	return ctx.Err()
}

// supplySecret gives the client a secret when it has none: the one given
// (--client-secret-file), else the prompt's.
func (r *Rehearsal) supplySecret() error {
	c, s := r.Client, r.setup
	switch {
	case c.HasSecret:
	case s.Secret != "":
		c.SetSecret(s.Secret)
		r.Result.SecretFrom = s.SecretFrom
	case s.AskSecret != nil:
		sec, err := s.AskSecret(c)
		if err != nil {
			return err
		}
		if sec != "" {
			c.SetSecret(sec)
			r.Result.SecretFrom = "the prompt"
		}
	}
	if !c.HasSecret {
		r.Result.SecretFrom = "none: a public client (token_endpoint_auth_method none unless the config says otherwise)"
		for _, u := range c.Unresolved {
			if strings.HasPrefix(u, "client_secret: ") {
				r.Result.SecretFrom = "none: client_secret cannot be resolved here (" + strings.TrimPrefix(u, "client_secret: ") + "); give the app's environment (--env, --env-file) or --client-secret-file, or type it at the prompt"
			}
		}
	}
	return nil
}

// pickProvider is --provider's entry, else the only OAuth provider.
func pickProvider(cfg *fab.Config, name string) (*fab.Provider, error) {
	var usable []*fab.Provider
	for _, pr := range cfg.Providers() {
		if pr.Remote != nil && pr.NameOK {
			usable = append(usable, pr)
		}
	}
	if name != "" {
		if pr := cfg.ProviderByName(name); pr != nil && pr.Remote != nil {
			return pr, nil
		}
		return nil, &SetupError{fmt.Sprintf("the config has no provider %q with a remote_app (it has: %s)", name, names(usable))}
	}
	switch len(usable) {
	case 0:
		return nil, &SetupError{"the config defines no OAuth provider (OAUTH_PROVIDERS with a name and a remote_app): there is no OAuth sign-in to rehearse"}
	case 1:
		return usable[0], nil
	}
	return nil, &SetupError{fmt.Sprintf("the config has %d providers (%s): choose one with --provider", len(usable), names(usable))}
}

func names(prs []*fab.Provider) string {
	if len(prs) == 0 {
		return "none"
	}
	out := make([]string, len(prs))
	for i, p := range prs {
		out[i] = p.Name
	}
	return strings.Join(out, ", ")
}

// SetupError is a rehearsal that cannot start because of its input: the
// command reports it as a usage error.
type SetupError struct{ Msg string }

func (e *SetupError) Error() string { return e.Msg }

// authorize loads the metadata into the client (as FAB's login view does
// on the first sign-in) and builds the authorization request.
func (r *Rehearsal) authorize(ctx context.Context) {
	c := r.Client
	if c.ServerMetadataURL != "" {
		if raised := c.Load(r.net.Fetch(ctx, c.ServerMetadataURL)); raised != nil {
			// The cause (DSC001/DSC002) is reported by the metadata
			// inspection; this is what the app then does with it.
			r.fail(engine.StepAuthorize, raised, fab.LogLoginStart, fab.MsgInvalidLogin, "")
			return
		}
	}
	ar, raised := c.AuthorizationRequest(r.setup.RedirectURI, authlib.AuthorizeOptions{ForcePKCE: true, Token: r.setup.Token})
	if raised != nil {
		opts := append([]engine.Opt{engine.AtStep(engine.StepAuthorize), engine.FixHint("Add authorize_url to remote_app, or server_metadata_url (the IdP's /.well-known/openid-configuration), whose authorization_endpoint authlib then uses.")},
			raisedEvidence(raised, fab.LogLoginStart, fab.MsgInvalidLogin)...)
		if r.Provider != nil {
			opts = append(opts, engine.ForProvider(r.Provider.Name), engine.At(engine.Subject{File: r.setup.File.Path, Line: max(r.Provider.RemoteLine(""), 1)}))
		}
		r.Report.Add("CFG005", "there is no authorization endpoint: remote_app has no authorize_url and the server metadata no authorization_endpoint", opts...)
		r.fail(engine.StepAuthorize, raised, fab.LogLoginStart, fab.MsgInvalidLogin, "CFG005")
		return
	}
	r.Request = ar
	r.Result.Request = ar
	r.Result.RegisterURI = registerNote(ar.Session.RedirectURI, c)
}

// StopBeforeBrowser ends the rehearsal after the authorization request,
// with no failure: reason says why.
func (r *Rehearsal) StopBeforeBrowser(reason string) {
	r.done, r.stopped = true, reason
}

// Done reports whether the rehearsal has its verdict already (no browser
// round trip is needed or possible).
func (r *Rehearsal) Done() bool { return r.done }

// AuthorizationURL is the URL to open in the browser.
func (r *Rehearsal) AuthorizationURL() string {
	if r.Request == nil {
		return ""
	}
	return r.Request.URL
}

func networkWord(o netx.Options) string {
	if o.Offline {
		return "offline"
	}
	if o.Insecure {
		return "online, TLS verification OFF (--insecure)"
	}
	return "online"
}
