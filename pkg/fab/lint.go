package fab

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// SyntaxError is a place the reader could not parse (CFG001).
type SyntaxError struct {
	Line, Col int
	Msg       string
	// OpenLine is the line of an unclosed bracket the error is about (0
	// when unknown): a dict opened there may be cut short.
	OpenLine int
	// Recovered says how the reader read past the error ("" when it did
	// not say).
	Recovered string
	// Unclosed marks "was never closed": the error sits at the bracket.
	Unclosed bool
}

// UnresolvedSetting is a setting the reader could not evaluate (CFG002).
type UnresolvedSetting struct {
	Name   string
	Line   int
	Reason string
	// Env names the environment variables that would supply it.
	Env []string
	// Whole is set when the setting's whole value is what could not be
	// resolved (not a part of it).
	Whole bool
}

// LintOptions tune the static checks.
type LintOptions struct {
	// Roles are the roles the user says the database holds.
	Roles DeclaredRoles
	// BaseURL is the app's public URL (--base-url).
	BaseURL string
	// SyntaxErrors come from the config reader: with them a setting that
	// is absent may just not have been read.
	SyntaxErrors []SyntaxError
	// UserCode evaluates the config's own user-info code (pkg/usercode),
	// so that findings about the steps it replaces are judged on what it
	// does; nil: not evaluated.
	UserCode UserCodeLinter
}

// FileSummary is what lint shows per file besides findings.
type FileSummary struct {
	File         string `json:"file"`
	Flavor       Flavor `json:"flavor"`
	FlavorTitle  string `json:"flavorTitle"`
	FlavorReason string `json:"flavorReason"`
	// AlsoChecked are the other flavours that may read the file (its
	// version is not known): findings only some of them give are info.
	AlsoChecked []Flavor `json:"alsoChecked,omitempty"`
	// PlainApp: a Flask app with its own OAuth clients, not a FAB login.
	PlainApp  bool            `json:"plainApp,omitempty"`
	Providers []ProviderBrief `json:"providers"`
	Notes     []string        `json:"notes,omitempty"`
	// Skipped are the checks that could not run on part of the file (a
	// value the reader could not resolve); the command lists them in the
	// report's "skipped".
	Skipped []SkippedCheck `json:"-"`
}

// ProviderBrief describes one provider for people.
type ProviderBrief struct {
	Name     string `json:"name"`
	Branch   string `json:"branch"`
	RoleKeys string `json:"roleKeys"`
	// UserInfo names the user's code that builds the user-info in place
	// of the branch ("" when the branch runs).
	UserInfo string `json:"userinfo,omitempty"`
	// Client describes an OAuth client the app registers itself
	// ("Flask-OAuthlib oauth.remote_app, line 11"); "" for a FAB provider.
	Client   string   `json:"client,omitempty"`
	Callback Callback `json:"callback"`
}

type linter struct {
	cfg    *Config
	p      Profile
	o      LintOptions
	issues []Issue
	sum    FileSummary
	// prov is the provider being checked ("" outside provider checks).
	prov string
	// partial: the file has syntax errors, so a setting that is absent may
	// just not have been read; open are the lines of unclosed brackets.
	partial bool
	open    map[int]bool
	// facts are what evaluating the user's code showed (nil: not
	// evaluated); dropped the built-in findings it made moot.
	facts   *UserCodeFacts
	dropped []string
}

// cut reports whether a dict may have been cut short by a syntax error.
func (l *linter) cut(d *Dict) bool { return d != nil && d.Line > 0 && l.open[d.Line] }

func (l *linter) add(id string, line int, msg string, opts ...func(*Issue)) {
	if line <= 0 {
		line = 1
	}
	is := Issue{ID: id, Message: msg, File: l.cfg.File, Line: line, Provider: l.prov}
	for _, o := range opts {
		o(&is)
	}
	l.issues = append(l.issues, is)
}

func sev(s engine.Severity) func(*Issue) { return func(i *Issue) { i.Severity = s } }

func named(n string) func(*Issue) { return func(i *Issue) { i.Name = n } }

func withEdit(e *engine.Edit) func(*Issue) { return func(i *Issue) { i.Edit = e } }

// Lint runs every CFG/ROL check that needs no token on one config.
func Lint(cfg *Config, p Profile, o LintOptions) ([]Issue, FileSummary) {
	l := &linter{cfg: cfg, p: p, o: o, partial: len(o.SyntaxErrors) > 0, open: map[int]bool{}}
	for _, e := range o.SyntaxErrors {
		if e.OpenLine > 0 {
			l.open[e.OpenLine] = true
		}
	}
	l.sum = FileSummary{File: cfg.File, Flavor: p.Flavor, FlavorTitle: p.Title, FlavorReason: p.Reason, Providers: []ProviderBrief{}, PlainApp: cfg.PlainApp}
	if o.UserCode != nil && cfg.UserCode != nil {
		l.facts = o.UserCode.Facts(p)
	}
	l.sum.Notes = append(l.sum.Notes, p.Notes...)
	provs := cfg.Providers()
	l.unresolvedProviders()
	if l.authType() {
		names := map[string]int{}
		for _, pr := range provs {
			if pr.NameOK {
				names[pr.Name]++
			}
		}
		for _, pr := range provs {
			l.provider(pr, names)
		}
	} else if len(provs) > 0 {
		l.sum.Notes = append(l.sum.Notes, "AUTH_TYPE is not AUTH_OAUTH: the OAUTH_PROVIDERS entries are never used, so their checks did not run")
	}
	l.clients()
	l.secrets()
	l.csrf()
	l.securityManager()
	l.airflow3Imports()
	l.secretKeyPerProcess()
	l.boolStrings()
	l.publicRole()
	l.roles(provs)
	l.unresolvedMapping()
	l.versionChecks(provs)
	l.userCodeFindings(provs)
	l.replacedSteps()
	l.cfg010Evidence()
	return l.issues, l.sum
}

// ---- CFG003 ----

// authTypeIfUnset: the unset environment variables that chose the branch
// assigning AUTH_TYPE.
func (l *linter) authTypeIfUnset() []string {
	s, _ := l.cfg.Get("AUTH_TYPE")
	return s.IfUnset
}

// authType checks AUTH_TYPE against the providers (CFG003) and reports
// whether the OAuth providers are in use (AUTH_OAUTH, or not known).
func (l *linter) authType() bool {
	at, known, present := l.cfg.AuthType()
	s, hasProv := l.cfg.Get("OAUTH_PROVIDERS")
	if !known {
		return true
	}
	items, isList := list(s.Value)
	atDesc := AuthTypeName(at)
	if !present {
		atDesc = "not set (default AUTH_DB)"
	}
	providersSet := hasProv && (!isList || len(items) > 0) && s.Value != nil
	switch {
	case at == AuthOID && (providersSet || l.oauthShapedOpenID()):
		// AUTH_OID with OAuth settings: OAuth was meant, and FAB's OpenID 2
		// login reads OPENID_PROVIDERS (name, url) only.
		l.add("CFG003", l.cfg.Line("AUTH_TYPE"), "AUTH_TYPE is AUTH_OID (OpenID 2.0) but the providers are OAuth ones (remote_app, token_key): FAB's OpenID login never reads them, so the OAuth sign-in this file describes does not exist",
			withFix("Set AUTH_TYPE = AUTH_OAUTH (from flask_appbuilder.const import AUTH_OAUTH) and put the providers in OAUTH_PROVIDERS."))
	case at != AuthOAuth && providersSet && len(l.authTypeIfUnset()) > 0:
		// if os.environ.get("OAUTH_APP_ID"): AUTH_TYPE = AUTH_OAUTH
		// else: AUTH_DB — a designed fallback, decided by the deployment.
		l.add("CFG003", l.cfg.Line("AUTH_TYPE"), fmt.Sprintf("AUTH_TYPE is %s here because %s is not set (the file chooses it by testing the environment): where the deployment sets it, the file may choose OAuth; with %s the providers (line %d) are ignored", atDesc, strings.Join(l.authTypeIfUnset(), ", "), atDesc, s.Line),
			sev(engine.SeverityInfo), withFix("Run lint with the deployment's environment (--env NAME=VALUE or --env-file) to check the OAuth branch."))
	case at != AuthOAuth && providersSet:
		l.add("CFG003", l.cfg.Line("AUTH_TYPE"), fmt.Sprintf("AUTH_TYPE is %s while OAUTH_PROVIDERS is set (line %d): the providers are ignored; if OAuth sign-in is meant, it does not exist", atDesc, s.Line),
			sev(engine.SeverityWarning), withFix("Set AUTH_TYPE = AUTH_OAUTH (from flask_appbuilder.const import AUTH_OAUTH), or remove OAUTH_PROVIDERS if the other login is meant."))
	case at == AuthOAuth && !hasProv && l.partial:
		l.sum.Notes = append(l.sum.Notes, "OAUTH_PROVIDERS was not read (the file has a syntax error): provider checks did not run")
	case at == AuthOAuth && !hasProv:
		l.add("CFG003", l.cfg.Line("AUTH_TYPE"), "AUTH_TYPE is AUTH_OAUTH but OAUTH_PROVIDERS is not defined: FAB reads config[\"OAUTH_PROVIDERS\"] at start-up → KeyError: 'OAUTH_PROVIDERS'")
	case at == AuthOAuth && isList && len(items) == 0:
		l.add("CFG003", s.Line, "AUTH_TYPE is AUTH_OAUTH but OAUTH_PROVIDERS is empty: the login page offers no provider")
	}
	return at == AuthOAuth
}

// oauthShapedOpenID reports OPENID_PROVIDERS entries written as OAuth
// providers (remote_app or token_key), a mix-up seen in real files.
func (l *linter) oauthShapedOpenID() bool {
	s, ok := l.cfg.Get("OPENID_PROVIDERS")
	if !ok {
		return false
	}
	items, _ := list(s.Value)
	for _, it := range items {
		if d, ok := it.(*Dict); ok && (d.Has("remote_app") || d.Has("token_key")) {
			return true
		}
	}
	return false
}

// ---- per provider: CFG004, CFG005, CFG007, CFG008, CFG011, CFG012, CFG013, CFG014, CFG015 ----

// roleKeySource says where role_keys come from for a branch.
func (l *linter) roleKeySource(branch string) string {
	switch branch {
	case "azure":
		c := "roles"
		if l.p.AzureRoleKeysSetting {
			if s, ok := l.cfg.Get("AUTH_OAUTH_ROLE_KEYS"); ok {
				if d, ok := s.Value.(*Dict); ok {
					if v, ok := d.Get("azure"); ok {
						if str, ok := Str(v); ok {
							c = str
						}
					}
				}
			}
		}
		return "the id_token's " + strconv.Quote(c) + " claim"
	case "okta", "auth0", "authentik", "generic":
		return "groups"
	case "keycloak", "keycloak_before_17":
		if l.p.KeycloakGroups {
			return "groups (from the userinfo endpoint)"
		}
		return "none (this FAB version's keycloak branch yields no role keys)"
	}
	return "none"
}

// ---- file-wide checks ----

// ---- ROL ----

func (l *linter) branchOf(name string) string {
	if l.p.HasBranch(name) {
		return name
	}
	if l.p.Unknown == UnknownGeneric {
		return "generic"
	}
	return ""
}

// allUnresolved reports whether every tenant candidate failed only
// because its value could not be resolved statically.
func allUnresolved(cs []TenantCandidate) bool {
	if len(cs) == 0 {
		return false
	}
	for _, c := range cs {
		if c.Problem != "could not be resolved statically" {
			return false
		}
	}
	return true
}
