package doctor

import (
	"fmt"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/providers"
)

// Step is one step of the login, as doctor and login show it.
type Step = engine.LoginStep

// verdict places the findings of one provider's login on its steps and
// names the first that blocks it.
type verdict struct {
	rep *engine.Report
	res *Result
	cfg *fab.Config
	run *providers.Run
	// provider is the provider diagnosed; why says how it was chosen.
	provider, why string
	// oauth is false when AUTH_TYPE is known and not AUTH_OAUTH.
	oauth bool
	// idToken is false when the scope lacks openid: authlib parses no
	// id_token, so nothing happens at that step.
	idToken bool
}

// newVerdict chooses the provider diagnosed: the token's, --provider's,
// the only one, else the first (said).
func newVerdict(rep *engine.Report, res *Result, cfg *fab.Config, runs []*providers.Run, want string) *verdict {
	v := &verdict{rep: rep, res: res, cfg: cfg, idToken: true}
	at, known, _ := cfg.AuthType()
	v.oauth = !known || at == fab.AuthOAuth || len(cfg.Clients) > 0
	name := want
	if res.Token != nil && res.Token.Provider != "" {
		name = res.Token.Provider
	}
	for _, r := range runs {
		if r.Name == name || name == "" && v.run == nil {
			v.run = r
		}
	}
	if v.run != nil {
		v.provider = v.run.Name
		pr := v.run.Provider
		v.idToken = !pr.ScopeKnown || pr.HasScope("openid")
		if pr.Client != nil && pr.Client.Library == fab.FlaskOAuthlib {
			v.idToken = true // its step says it never validates one (CFG025)
		}
		if name == "" && len(runs) > 1 {
			rep.Notices = append(rep.Notices, fmt.Sprintf("the config has %d providers: the steps follow %q (choose with --provider, or give a user's --token)", len(runs), v.provider))
		}
	}
	return v
}

// mine reports whether a finding concerns the diagnosed login: the
// diagnosed provider's, or the whole file's.
func (v *verdict) mine(f engine.Finding) bool { return f.Provider == "" || f.Provider == v.provider }

// stepOf is where a finding is placed: without openid there is no
// id_token step (what would be checked there is the user-info step's).
func (v *verdict) stepOf(f engine.Finding) engine.Step {
	if f.Step == engine.StepIDToken && !v.idToken {
		return engine.StepUserInfo
	}
	return f.Step
}

func (v *verdict) steps(p fab.Profile) []Step {
	out := engine.NewLoginSteps()
	v.details(out, p)
	engine.PlaceFindings(out, v.rep.Findings, engine.Placement{Keep: v.mine, At: v.stepOf, Severity: func(f engine.Finding) engine.Severity {
		if f.ID == "TOK006" && f.Severity == engine.SeverityError {
			// A sample token copied from a log has usually just expired:
			// a warning for the token, not a verdict on the setup (a clock
			// problem shows as TOK007 or with the measured skew).
			return engine.SeverityWarning
		}
		return f.Severity
	}})
	if r := v.res.Roles; r != nil && r.Refusal != nil {
		n := r.Refusal.Step()
		if out[n].Status != "fail" {
			out[n].Status, out[n].Why = "fail", r.Refusal.Reason
		}
	}
	if r := v.res.Roles; r != nil && r.Outcome == fab.NoAccess && out[6].Status != "fail" {
		out[6].Status, out[6].Why = "fail", "logged in, but every page answers 403 \"Your user has no roles and/or permissions!\""
	}
	return out
}

// details says what happens at each step for the diagnosed provider.
func (v *verdict) details(out []Step, p fab.Profile) {
	cfg, res, pr := v.cfg, v.res, v.run
	out[0].Detail = fmt.Sprintf("%s loads as %s", cfg.File, res.Flavor.FlavorTitle)
	if pr != nil {
		authz, _ := pr.Provider.RemoteStr("authorize_url")
		if authz == "" && pr.Doc != nil && pr.Doc.Discovery != nil {
			authz = pr.Doc.AuthorizationEndpoint + " (from discovery)"
		}
		out[1].Detail = fmt.Sprintf("provider %q → %s", pr.Name, orDash(authz))
		if c := pr.Provider.Client; c != nil {
			v.clientDetails(out, c, orDash(authz))
			return
		}
		cb := fab.PredictCallback(p, cfg, pr.Name, "")
		out[2].Detail = "the IdP sends the browser back to " + cb.URL
		tokURL, _ := pr.Provider.RemoteStr("access_token_url")
		if tokURL == "" && pr.Doc != nil && pr.Doc.Discovery != nil {
			tokURL = pr.Doc.TokenEndpoint + " (from discovery)"
		}
		key, set, _ := pr.Provider.TokenKey()
		if !set {
			key = "oauth_token (default)"
		}
		out[3].Detail = fmt.Sprintf("POST %s; FAB reads token_key %s", orDash(tokURL), key)
		if ks := pr.KeySet(); ks != nil {
			out[4].Detail = "keys from " + ks.Input
		} else {
			out[4].Detail = "no key set could be had"
		}
	} else {
		out[1].Detail = "no OAuth provider in the config"
	}
	if res.Token != nil {
		out[4].Detail += fmt.Sprintf("; the token's signature: %s", res.Token.Outcome.Signature)
	}
	if !v.idToken {
		out[4].Status = "not-run"
		out[4].Detail = "not run: the scope has no openid, so authlib parses no id_token (what is decoded is judged at the user-info step)"
	}
	if r := res.Roles; r != nil {
		out[5].Detail = fmt.Sprintf("branch %s builds the user-info from %s", r.Branch, r.DataSource)
		if src := r.UserInfoSource; src != nil && src.Kind == fab.SourceCustom {
			out[5].Detail = "user-info from " + src.String()
		}
		if r.Username != "" {
			out[5].Detail += "; username " + r.Username
		}
		out[6].Detail = r.Outcome + ": " + fab.RolesText(r.Roles)
		if r.RolesIfFixed {
			out[6].Detail = "once the problems above are fixed, the user gets " + fab.RolesText(r.Roles)
		} else if r.Outcome == fab.Refused {
			out[6].Status, out[6].Detail = "not-checked", "not reached: the login is refused before roles are computed"
		} else if r.Outcome == fab.Unknowable && r.Unknown != nil {
			n := 5
			if r.RolesSource != nil {
				n = 6
			}
			out[n].Status, out[n].Why = "not-checked", "cannot be known statically: "+r.Unknown.String()
			out[6].Status, out[6].Detail = "not-checked", "not known: "+r.Unknown.String()
		}
	} else {
		out[5].Status, out[6].Status = "not-checked", "not-checked"
		out[5].Detail = "give --token (a user's ID token) to dry-run the user-info and roles"
		out[6].Detail = out[5].Detail
	}
}

// clientDetails says what happens at each step for a client a plain
// Flask app registers itself: the library does the OAuth steps, and what
// follows the sign-in is the app's own code, not FAB's.
func (v *verdict) clientDetails(out []Step, c *fab.OAuthClient, authz string) {
	out[0].Detail = fmt.Sprintf("%s registers client %q with %s (%s, line %d)", v.cfg.File, c.Name, c.Library, c.Call, c.Line)
	out[1].Detail = fmt.Sprintf("client %q → %s", c.Name, authz)
	out[2].Detail = "the IdP sends the browser back to the URI the app passes"
	if c.Callback != "" {
		out[2].Detail = "the IdP sends the browser back to https://<host>" + c.Callback + " (the route the login passes to url_for)"
	}
	tok, _ := v.run.Provider.RemoteStr("access_token_url")
	out[3].Detail = "POST " + orDash(tok)
	if c.Library == fab.FlaskOAuthlib {
		out[4].Detail = "Flask-OAuthlib never parses or validates an id_token (CFG025)"
	} else if ks := v.run.KeySet(); ks != nil {
		out[4].Detail = "keys from " + ks.Input
	}
	for _, i := range []int{5, 6} {
		out[i].Status, out[i].Detail = "not-checked", "the app's own code decides what a signed-in user gets: not a FAB login"
	}
}

// headline is the verdict line: the first step that blocks the diagnosed
// login, or that it works (with the user's roles when a token was given,
// and the warnings to look at).
func (v *verdict) headline() (string, string) {
	res := v.res
	if !v.oauth {
		at, _, present := v.cfg.AuthType()
		what := fab.AuthTypeName(at)
		if !present {
			what = "not set (AUTH_DB, FAB's default)"
		}
		return "no OAuth sign-in to diagnose: AUTH_TYPE is " + what + ", so the login page asks for a user name and password", "no-oauth"
	}
	if v.run == nil {
		return "no OAuth sign-in to diagnose: the config defines no usable OAuth provider", "no-oauth"
	}
	who := fmt.Sprintf("sign-in with %q", v.provider)
	for _, s := range res.Steps {
		if s.Status == "fail" {
			return fmt.Sprintf("%s will fail at %s: %s", who, s.Name, s.Why), "fail"
		}
	}
	warnings := 0
	for _, f := range v.rep.Findings {
		if v.mine(f) && f.Severity == engine.SeverityWarning {
			warnings++
		}
	}
	tail := ""
	if warnings > 0 {
		tail = fmt.Sprintf("; %d warning(s) to look at", warnings)
	}
	if r := res.Roles; r != nil {
		switch r.Outcome {
		case fab.Granted:
			return fmt.Sprintf("%s works; %s gets %s%s", who, r.Who(), fab.RolesText(r.Roles), tail), "works"
		case fab.NoAccess:
			return who + " works, but the user gets no usable role: every page answers 403" + tail, "no-access"
		case fab.Refused:
			if r.Refusal != nil {
				return who + " will fail: " + r.Refusal.Reason, "fail"
			}
		case fab.Unknowable:
			if r.Unknown != nil {
				return who + " works up to the user's own code, whose result cannot be known statically: " + r.Unknown.String() + tail, "unknown"
			}
		}
	}
	return who + " works as far as the config and the IdP's documents tell (give --token to dry-run a user)" + tail, "works"
}
