package fab

import (
	"fmt"
	"github.com/authdoctor/authdoctor/pkg/lazyre"
	"github.com/authdoctor/authdoctor/pkg/token"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/jmespath/go-jmespath"
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
}

// UnresolvedSetting is a setting the reader could not evaluate (CFG002).
type UnresolvedSetting struct {
	Name   string
	Line   int
	Reason string
	// Env names the environment variables that would supply it.
	Env []string
}

// LintOptions tune the static checks.
type LintOptions struct {
	// ExtraRoles exist in the database besides the built-ins (--role).
	ExtraRoles []string
	// BaseURL is the app's public URL (--base-url).
	BaseURL string
	// SyntaxErrors come from the config reader: with them a setting that
	// is absent may just not have been read.
	SyntaxErrors []SyntaxError
}

// FileSummary is what lint shows per file besides findings.
type FileSummary struct {
	File         string          `json:"file"`
	Flavor       Flavor          `json:"flavor"`
	FlavorTitle  string          `json:"flavorTitle"`
	FlavorReason string          `json:"flavorReason"`
	Providers    []ProviderBrief `json:"providers"`
	Notes        []string        `json:"notes,omitempty"`
}

// ProviderBrief describes one provider for people.
type ProviderBrief struct {
	Name     string   `json:"name"`
	Branch   string   `json:"branch"`
	RoleKeys string   `json:"roleKeys"`
	Callback Callback `json:"callback"`
}

type linter struct {
	cfg    *Config
	p      Profile
	o      LintOptions
	issues []Issue
	sum    FileSummary
	// partial: the file has syntax errors, so a setting that is absent may
	// just not have been read; open are the lines of unclosed brackets.
	partial bool
	open    map[int]bool
}

// cut reports whether a dict may have been cut short by a syntax error.
func (l *linter) cut(d *Dict) bool { return d != nil && d.Line > 0 && l.open[d.Line] }

func (l *linter) add(id string, line int, msg string, opts ...func(*Issue)) {
	if line <= 0 {
		line = 1
	}
	is := Issue{ID: id, Message: msg, File: l.cfg.File, Line: line}
	for _, o := range opts {
		o(&is)
	}
	l.issues = append(l.issues, is)
}

func sev(s engine.Severity) func(*Issue) { return func(i *Issue) { i.Severity = s } }

func named(n string) func(*Issue) { return func(i *Issue) { i.Name = n } }

// Lint runs every CFG/ROL check that needs no token on one config.
func Lint(cfg *Config, p Profile, o LintOptions) ([]Issue, FileSummary) {
	l := &linter{cfg: cfg, p: p, o: o, partial: len(o.SyntaxErrors) > 0, open: map[int]bool{}}
	for _, e := range o.SyntaxErrors {
		if e.OpenLine > 0 {
			l.open[e.OpenLine] = true
		}
	}
	l.sum = FileSummary{File: cfg.File, Flavor: p.Flavor, FlavorTitle: p.Title, FlavorReason: p.Reason, Providers: []ProviderBrief{}}
	l.sum.Notes = append(l.sum.Notes, p.Notes...)
	l.authType()
	provs := cfg.Providers()
	names := map[string]int{}
	for _, pr := range provs {
		if pr.NameOK {
			names[pr.Name]++
		}
	}
	for _, pr := range provs {
		l.provider(pr, names)
	}
	l.secrets()
	l.csrf()
	l.securityManager()
	l.airflow3Imports()
	l.secretKeyPerProcess()
	l.roles(provs)
	return l.issues, l.sum
}

// ---- CFG003 ----

func (l *linter) authType() {
	at, known, present := l.cfg.AuthType()
	s, hasProv := l.cfg.Get("OAUTH_PROVIDERS")
	if !known {
		return
	}
	items, isList := list(s.Value)
	atDesc := AuthTypeName(at)
	if !present {
		atDesc = "not set (default AUTH_DB)"
	}
	switch {
	case at != AuthOAuth && hasProv && (!isList || len(items) > 0) && s.Value != nil:
		l.add("CFG003", l.cfg.Line("AUTH_TYPE"), fmt.Sprintf("AUTH_TYPE is %s while OAUTH_PROVIDERS is set (line %d): the providers are ignored and nobody can sign in with OAuth", atDesc, s.Line),
			withFix("Set AUTH_TYPE = AUTH_OAUTH (from flask_appbuilder.const import AUTH_OAUTH)."))
	case at == AuthOAuth && !hasProv && l.partial:
		l.sum.Notes = append(l.sum.Notes, "OAUTH_PROVIDERS was not read (the file has a syntax error): provider checks did not run")
	case at == AuthOAuth && !hasProv:
		l.add("CFG003", l.cfg.Line("AUTH_TYPE"), "AUTH_TYPE is AUTH_OAUTH but OAUTH_PROVIDERS is not defined: FAB reads config[\"OAUTH_PROVIDERS\"] at start-up → KeyError: 'OAUTH_PROVIDERS'")
	case at == AuthOAuth && isList && len(items) == 0:
		l.add("CFG003", s.Line, "AUTH_TYPE is AUTH_OAUTH but OAUTH_PROVIDERS is empty: the login page offers no provider")
	}
}

// ---- per provider: CFG004, CFG005, CFG007, CFG008, CFG011, CFG012, CFG013, CFG014, CFG015 ----

var misplacedKeys = []string{"jwks_uri", "server_metadata_url", "client_id", "client_secret", "api_base_url",
	"access_token_url", "authorize_url", "client_kwargs", "request_token_url", "userinfo_endpoint", "jwks"}

func (l *linter) provider(pr *Provider, names map[string]int) {
	label := fmt.Sprintf("OAUTH_PROVIDERS[%d]", pr.Index)
	if pr.NameOK {
		label = fmt.Sprintf("provider %q", pr.Name)
	}
	if pr.Entry == nil {
		if !Unknown(pr.Raw) {
			l.add("CFG005", pr.Line, fmt.Sprintf("OAUTH_PROVIDERS[%d] is %s, not a dict", pr.Index, pyType(pr.Raw)))
		}
		return
	}
	if l.cut(pr.Entry) || l.cut(pr.Remote) || l.cut(pr.ClientKwargs) {
		l.sum.Notes = append(l.sum.Notes, label+" is cut short by the syntax error: checks that need a key to be absent were skipped for it")
		l.providerPresent(pr, label)
		return
	}
	// CFG005: shape.
	if v, ok := pr.Entry.Get("name"); !ok {
		l.add("CFG005", pr.Line, fmt.Sprintf("OAUTH_PROVIDERS[%d] has no \"name\": FAB raises KeyError: 'name' at start-up", pr.Index))
	} else if !pr.NameOK && !Unknown(v) {
		l.add("CFG005", pr.EntryLine("name"), fmt.Sprintf("OAUTH_PROVIDERS[%d] name is %s, not a string", pr.Index, Repr(v)))
	}
	rv, hasRemote := pr.Entry.Get("remote_app")
	switch {
	case !hasRemote:
		l.add("CFG005", pr.Line, label+" has no \"remote_app\": FAB raises KeyError: 'remote_app' at start-up")
	case pr.Remote == nil && !Unknown(rv):
		l.add("CFG005", pr.EntryLine("remote_app"), fmt.Sprintf("%s remote_app is %s, not a dict", label, pyType(rv)))
	}
	if pr.NameOK && names[pr.Name] > 1 {
		l.add("CFG005", pr.EntryLine("name"), fmt.Sprintf("provider name %q is used %d times: the last entry wins in oauth_remotes and the login page shows duplicates", pr.Name, names[pr.Name]))
		names[pr.Name] = 0 // report once
	}
	for _, k := range misplacedKeys {
		if pr.Entry.Has(k) {
			l.add("CFG005", pr.EntryLine(k), fmt.Sprintf("%s has %q outside remote_app, where FAB and authlib never read it", label, k),
				withFix("Move "+k+" inside remote_app."))
		}
	}
	if pr.Remote != nil {
		if v, ok := pr.Remote.Get("client_id"); !ok || v == nil {
			l.add("CFG005", pr.RemoteLine(""), label+" remote_app has no client_id: the IdP rejects the authorization request")
		}
		if pr.OAuth1() && pr.Name != "twitter" {
			l.add("CFG005", pr.RemoteLine("request_token_url"), label+" has a truthy request_token_url: authlib builds an OAuth 1 client (only twitter-style providers want that)",
				withFix("Remove request_token_url or set it to None."))
		}
	}
	if key, set, known := pr.TokenKey(); known && !pr.OAuth1() {
		switch {
		case !set:
			l.add("CFG005", pr.Line, label+" has no token_key: FAB looks up \"oauth_token\" in the OAuth 2 token response → KeyError → \"Error returning OAuth user info: 'oauth_token'\" and \"Invalid login. Please try again.\"",
				withFix("Add \"token_key\": \"access_token\" to the provider entry."))
		case key != "access_token" && !tokenResponseHas(pr, key):
			l.add("CFG005", pr.EntryLine("token_key"), fmt.Sprintf("%s token_key is %q, which an OAuth 2 token response does not contain → \"Error returning OAuth user info: '%s'\"", label, key, key),
				withFix("Set \"token_key\": \"access_token\"."))
		}
	}
	if pr.Remote == nil || !pr.NameOK {
		return
	}
	branch := pr.Name
	if !l.p.HasBranch(branch) {
		branch = ""
		if l.p.Unknown == UnknownGeneric {
			branch = "generic"
		}
	}
	if branch == "auth0" && !pr.RemoteHas("server_metadata_url") && !pr.RemoteHas("userinfo_endpoint") {
		l.add("CFG005", pr.RemoteLine(""), label+": the auth0 branch calls authlib's userinfo(), which needs server_metadata_url (or userinfo_endpoint) in remote_app → \"Error returning OAuth user info: 'userinfo_endpoint'\"")
	}
	if branch == "authentik" {
		if v, _, _ := pr.VerifySignature(true); v && !pr.RemoteHas("jwks_uri") && !pr.RemoteHas("server_metadata_url") {
			l.add("CFG005", pr.RemoteLine(""), label+": authentik verifies the id_token by default and needs jwks_uri in remote_app: FAB logs \"jwks_uri not specified in OAuth Providers, could not verify token signature\" and refuses every login")
		}
	}

	// CFG004 (spec §5.1).
	if pr.ScopeKnown && pr.HasScope("openid") && !pr.HasKeySource() {
		msg := label + " requests the openid scope but remote_app has neither server_metadata_url nor jwks_uri (nor jwks): authlib parses the id_token at the callback and fails with `Missing \"jwks_uri\" in metadata`; users see \"" + MsgDenied + "\""
		if pr.Entry.Has("jwks_uri") {
			msg += fmt.Sprintf(" (the jwks_uri at line %d is outside remote_app)", pr.EntryLine("jwks_uri"))
		}
		l.add("CFG004", pr.KwargLine("scope"), msg, withEv("scope", strings.Join(pr.Scopes, " ")))
	}

	brief := ProviderBrief{Name: pr.Name, Branch: branch}
	if branch == "" {
		brief.Branch = "none"
	}
	brief.RoleKeys = l.roleKeySource(branch)
	brief.Callback = PredictCallback(l.p, l.cfg, pr.Name, l.o.BaseURL)
	l.sum.Providers = append(l.sum.Providers, brief)

	l.unknownName(pr, label, branch)
	l.callback(pr, label, brief.Callback)
	l.apiBase(pr, label, branch)
	l.scopes(pr, label, branch)
	if branch == "azure" {
		l.azure(pr, label)
	}
	if wl, ok := pr.Entry.Get("whitelist"); ok && !l.p.WhitelistAnchored {
		if pats, ok := list(wl); ok {
			for _, pv := range pats {
				if s, ok := pv.(string); ok && !strings.HasSuffix(s, "$") {
					l.sum.Notes = append(l.sum.Notes, fmt.Sprintf("%s whitelist pattern %q is not anchored: before FAB 5.2.2 re.search also accepts e.g. %q; end it with \"$\"", label, s, "x@"+strings.Trim(s, "@^.*\\")+".evil.example"))
				}
			}
		}
	}
}

// providerPresent runs the checks of a cut-short provider that rely only
// on what is there.
func (l *linter) providerPresent(pr *Provider, label string) {
	if pr.Remote == nil || !pr.NameOK {
		return
	}
	branch := l.branchOf(pr.Name)
	cb := PredictCallback(l.p, l.cfg, pr.Name, l.o.BaseURL)
	l.sum.Providers = append(l.sum.Providers, ProviderBrief{Name: pr.Name, Branch: branch, RoleKeys: l.roleKeySource(branch), Callback: cb})
	l.unknownName(pr, label, branch)
	l.callback(pr, label, cb)
	l.apiBase(pr, label, branch)
}

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

// CFG011 (spec §2.3, §7.5, §8.3).
func (l *linter) unknownName(pr *Provider, label, branch string) {
	if l.p.HasBranch(pr.Name) {
		return
	}
	lower := strings.ToLower(pr.Name)
	suggestion := ""
	switch {
	case builtinNames()[lower] && l.p.HasBranch(lower):
		suggestion = lower
	case lower == "microsoft" || lower == "entra" || lower == "entraid" || lower == "azuread" || lower == "azure_ad" || lower == "aad" || lower == "azure-ad":
		suggestion = "azure"
	}
	fix := "Use a built-in provider name (" + strings.Join(sortedKeys(l.p.Branches), ", ") + ") or map the user-info in a custom security manager."
	if suggestion != "" {
		fix = "Rename the provider to \"" + suggestion + "\" (names are exact and case-sensitive); remember the callback path changes with it."
	}
	_, _, hasSM := l.cfg.CustomSecurityManager()
	if branch == "generic" {
		if !pr.RemoteHas("server_metadata_url") && !pr.RemoteHas("userinfo_endpoint") {
			l.add("CFG011", pr.EntryLine("name"), label+" is not a built-in name, so the generic OIDC branch reads the userinfo endpoint, and remote_app has neither server_metadata_url nor userinfo_endpoint: every login fails with \"Error returning OAuth user info: 'userinfo_endpoint'\"",
				sev(engine.SeverityError), withFix("Add server_metadata_url (the provider's /.well-known/openid-configuration) to remote_app, or use a built-in name."))
			return
		}
		if suggestion != "" {
			l.add("CFG011", pr.EntryLine("name"), fmt.Sprintf("%s is not the built-in %q (names are case-sensitive): it gets none of that branch's logic; the generic branch reads preferred_username, email and groups from the userinfo endpoint", label, suggestion), withFix(fix))
		}
		if suggestion == "azure" {
			l.sum.Notes = append(l.sum.Notes, label+": Entra's userinfo endpoint is a known case of missing preferred_username (Microsoft behaviour, unconfirmed); the generic branch then refuses the login with an empty username")
		}
		return
	}
	what := "get_oauth_user_info returns {} and the login fails with \"OAUTH userinfo does not have username or email\""
	if l.p.Unknown == UnknownRaise {
		what = "FAB raises OAuthProviderUnknown and the login fails (\"Invalid login. Please try again.\")"
	}
	if lower == "aws_cognito" {
		what += "; aws_cognito has no built-in branch in any FAB version (the FAB docs show it only as a custom-getter example)"
	}
	msg := fmt.Sprintf("%s selects no built-in user-info branch in %s: %s", label, l.p.Title, what)
	if hasSM {
		l.add("CFG011", pr.EntryLine("name"), msg+", unless the custom security manager handles this name", sev(engine.SeverityInfo), withFix(fix))
		return
	}
	l.add("CFG011", pr.EntryLine("name"), msg, withFix(fix))
}

// CFG008 and the callback part of CFG012 (spec §2.1, §8.4).
func (l *linter) callback(pr *Provider, label string, cb Callback) {
	if s, ok := pr.RemoteStr("redirect_uri"); ok && s != "" {
		u, err := url.Parse(s)
		line := pr.RemoteLine("redirect_uri")
		if err == nil {
			if l.p.Flavor == Airflow3 && strings.HasSuffix(u.Path, "/oauth-authorized/"+pr.Name) && !strings.HasSuffix(u.Path, "/auth/oauth-authorized/"+pr.Name) {
				l.add("CFG012", line, fmt.Sprintf("%s redirect_uri %q uses the Airflow 2 callback path: Airflow 3 serves it under /auth (%s)", label, s, cb.Path),
					withFix("Register "+cb.Path+" at the IdP and drop redirect_uri from remote_app."))
			}
			msg := fmt.Sprintf("%s sets redirect_uri %q in remote_app: FAB passes its own redirect_uri (%s), so this value is ignored", label, s, cb.URL)
			harmless := true
			if u.Scheme == "http" && !isLoopback(u.Hostname()) {
				msg += "; it is also http://, which leaks the authorization code and which Entra rejects outside localhost"
				harmless = false
			}
			if !strings.HasSuffix(u.Path, p3path(l.p, pr.Name)) {
				msg += fmt.Sprintf("; its path %q is not the callback path %s", u.Path, p3path(l.p, pr.Name))
				harmless = false
			}
			opts := []func(*Issue){withEv("predicted callback", cb.URL), withFix("Remove redirect_uri from remote_app and register " + cb.URL + " at the IdP.")}
			if harmless {
				opts = append(opts, sev(engine.SeverityInfo))
			}
			l.add("CFG008", line, msg, opts...)
		}
	}
	if cb.BaseURL == "" {
		return
	}
	u, err := url.Parse(cb.BaseURL)
	if err != nil {
		return
	}
	line := pr.EntryLine("name")
	switch {
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		l.add("CFG008", line, fmt.Sprintf("%s: the app's base URL %s is http, so the callback is %s: the authorization code travels in clear text and Entra rejects http redirect URIs outside localhost", label, cb.BaseURL, cb.URL),
			withEv("base URL", cb.BaseURL+" ("+cb.BaseURLSource+")"))
	case u.Scheme == "https" && cb.ProxyFix != "on":
		l.add("CFG008", line, fmt.Sprintf("%s: the public URL is https, but %s is not on: behind a TLS-terminating proxy or ingress the app sends %s, and the IdP answers with a redirect URI mismatch (Entra: AADSTS50011)", label, cb.ProxyFixSetting, cb.BehindProxy),
			withEv("expected callback", cb.URL, "callback behind a TLS proxy", cb.BehindProxy), withFix(proxyFixHint(l.p)))
	}
}

// p3path is the callback path suffix a flavour serves.
func p3path(p Profile, name string) string { return p.CallbackPrefix + "/oauth-authorized/" + name }

func proxyFixHint(p Profile) string {
	switch {
	case p.Flavor == Airflow3:
		return "Set [fab] enable_proxy_fix = True (AIRFLOW__FAB__ENABLE_PROXY_FIX=True) and make the proxy send X-Forwarded-Proto: https."
	case p.Airflow:
		return "Set [webserver] enable_proxy_fix = True (AIRFLOW__WEBSERVER__ENABLE_PROXY_FIX=True) and make the proxy send X-Forwarded-Proto: https."
	case p.Superset:
		return "Set ENABLE_PROXY_FIX = True in superset_config.py and make the proxy send X-Forwarded-Proto: https."
	}
	return "Wrap the app in werkzeug's ProxyFix and make the proxy send X-Forwarded-Proto: https."
}

// CFG013 (spec §1.4): urljoin(api_base_url, path).
func (l *linter) apiBase(pr *Provider, label, branch string) {
	base, ok := pr.RemoteStr("api_base_url")
	if !ok || base == "" {
		return
	}
	bu, err := url.Parse(base)
	if err != nil {
		return
	}
	join := func(rel string) string { r, _ := url.Parse(rel); return bu.ResolveReference(r).String() }
	line := pr.RemoteLine("api_base_url")
	switch branch {
	case "keycloak", "keycloak_before_17":
		got := join("openid-connect/userinfo")
		if !strings.HasSuffix(got, "/protocol/openid-connect/userinfo") {
			l.add("CFG013", line, fmt.Sprintf("%s api_base_url %q makes FAB call %s for the user-info (urljoin with \"openid-connect/userinfo\"), not …/protocol/openid-connect/userinfo: 404", label, base, got),
				withFix("End api_base_url in /protocol/openid-connect (no trailing slash) or /protocol/."))
		}
	case "google", "okta", "github", "githublocal":
		rel := "userinfo"
		if strings.HasPrefix(branch, "github") {
			rel = "user"
		}
		if !strings.HasSuffix(base, "/") {
			l.add("CFG013", line, fmt.Sprintf("%s api_base_url %q has no trailing slash, so urljoin drops its last segment: FAB calls %s instead of %s", label, base, join(rel), strings.TrimSuffix(base, "/")+"/"+rel),
				withFix("End api_base_url with a slash: "+base+"/"))
		}
	}
}

// CFG014 (checks.md): the scope cannot give the branch what it reads.
func (l *linter) scopes(pr *Provider, label, branch string) {
	if !pr.ScopeKnown {
		return
	}
	line := scopeLine(pr)
	have := strings.Join(pr.Scopes, " ")
	if have == "" {
		have = "(none)"
	}
	switch branch {
	case "azure":
		if !pr.HasScope("openid") && AzureEndpointVersion(pr) == "v2" {
			l.add("CFG014", line, label+" uses the v2.0 endpoints without the openid scope: no id_token comes back, and the azure branch reads resp[\"id_token\"] → \"Error returning OAuth user info: 'id_token'\"",
				withEv("scope", have), withFix("Request \"openid email profile\" in client_kwargs scope (and add server_metadata_url, see CFG004)."))
		}
	case "okta", "auth0":
		strict := branch == "auth0" || l.p.OktaStrict
		if strict && !pr.HasScope("email") {
			l.add("CFG014", line, fmt.Sprintf("%s: the %s branch requires the email claim but the scope lacks email → \"Error returning OAuth user info: 'email'\"", label, branch), withEv("scope", have),
				withFix("Request \"openid email profile\" in client_kwargs scope."))
		}
		if branch == "okta" && l.mappingNonEmpty() && !pr.HasScope("groups") {
			l.add("CFG014", line, label+": AUTH_ROLES_MAPPING relies on role_keys from the groups claim, which Okta releases only when a groups claim is configured (usually requested with the groups scope); the scope lacks groups",
				sev(engine.SeverityWarning), withEv("scope", have))
		}
	case "authentik":
		if !pr.HasScope("profile") {
			l.add("CFG014", line, label+": the authentik branch requires preferred_username and nickname (profile scope) but the scope lacks profile → \"Error returning OAuth user info: 'preferred_username'\"", withEv("scope", have))
		}
	case "generic":
		if !pr.HasScope("profile") {
			l.add("CFG014", line, label+": the generic branch takes the username from preferred_username (profile scope) and the scope lacks profile: an empty username refuses the login", sev(engine.SeverityWarning), withEv("scope", have))
		}
	}
}

func (l *linter) mappingNonEmpty() bool {
	s, ok := l.cfg.Get("AUTH_ROLES_MAPPING")
	if !ok {
		return false
	}
	t, _ := Truthy(s.Value)
	return t
}

// CFG007 and CFG015 (spec §2.4, §5.2, §8.2, §8.6).
func (l *linter) azure(pr *Provider, label string) {
	if l.p.AzureUnverifiedOnly {
		l.add("CFG007", pr.EntryLine("name"), label+": "+l.p.Title+" decodes the azure id_token by splitting and base64-decoding it: no signature, expiry, issuer or audience check, whatever verify_signature says",
			withFix("Upgrade to Airflow 2.9 or later (the FAB provider) and set client_kwargs \"verify_signature\": True; Airflow 3's newest provider verifies by default and pins issuer and audience."))
		return
	}
	v, known, present := pr.VerifySignature(l.p.AzureVerifyDefault)
	if !known {
		return
	}
	line := pr.KwargLine("verify_signature")
	switch {
	case !v && present:
		l.add("CFG007", line, label+" sets verify_signature False: the id_token is decoded without checking its signature, issuer, audience or expiry, so a forged token logs in",
			withFix("Set client_kwargs \"verify_signature\": True."))
	case !v:
		l.add("CFG007", pr.RemoteLine("client_kwargs"), label+" has no client_kwargs verify_signature, which defaults to False in "+l.p.Title+": the id_token is decoded without checking its signature, issuer, audience or expiry",
			withFix("Set client_kwargs \"verify_signature\": True."))
	case !l.p.AzureTenantPinning:
		l.add("CFG007", line, label+" verifies the id_token, but only against https://login.microsoftonline.com/common/discovery/keys and its time claims: apps with their own signing keys or national clouds fail with \"Invalid JSON Web Key Set\", and no issuer or audience is checked (a token of any tenant passes)",
			sev(engine.SeverityInfo))
	}
	if !v || !l.p.AzureTenantPinning {
		return
	}
	tr := ResolveAzureTenant(l.p, pr)
	if tr.Chosen == nil && allUnresolved(tr.Candidates) {
		// The tenant is only unknown here (environment values not given):
		// CFG002 says so; CFG015 is for tenants that cannot work.
		return
	}
	if tr.Chosen == nil {
		line := pr.RemoteLine("")
		if len(tr.Candidates) > 0 {
			line = tr.Candidates[0].Line
		}
		l.add("CFG015", line, label+": "+tr.Error+": the newest Airflow FAB provider raises AzureTenantResolutionError and every login fails (\"Error returning OAuth user info: …tenant could not be determined…\")",
			withEv(tenantEvidence(tr)...),
			withFix("Set client_kwargs \"tenant_id\" to the tenant GUID, or use tenant-specific URLs (https://login.microsoftonline.com/<tenant-id>/oauth2/v2.0/…)."))
		return
	}
	var skipped []string
	for _, c := range tr.Candidates {
		if c.Tenant != "" {
			break
		}
		skipped = append(skipped, c.Source+" ("+c.Problem+")")
	}
	if len(skipped) > 0 {
		l.add("CFG015", tr.Candidates[0].Line, fmt.Sprintf("%s: the tenant comes from %s, but an earlier candidate is unusable: %s; whether the provider falls through to the next candidate is unconfirmed", label, tr.Chosen.Source, strings.Join(skipped, "; ")),
			sev(engine.SeverityWarning), withEv(tenantEvidence(tr)...))
	}
	if tr.DiscoveryURL != "" {
		what := "a domain tenant"
		if tr.National {
			what = "a national-cloud tenant"
		}
		l.add("CFG015", tr.Chosen.Line, fmt.Sprintf("%s: %s: the provider makes an outbound HTTPS request to %s at first login (5 s timeout, no redirects) to find the tenant GUID; allow that egress", label, what, tr.DiscoveryURL),
			sev(engine.SeverityInfo))
	}
}

func tenantEvidence(tr TenantResolution) []string {
	var kv []string
	for _, c := range tr.Candidates {
		v := c.Value
		if c.Tenant != "" {
			v += " → tenant " + c.Tenant
		} else {
			v += " → " + c.Problem
		}
		kv = append(kv, c.Source, v)
	}
	return kv
}

// ---- file-wide checks ----

var secretSettings = []string{"SECRET_KEY", "AUTH_LDAP_BIND_PASSWORD", "MAIL_PASSWORD", "RECAPTCHA_PRIVATE_KEY"}

var uriPassword = lazyre.New(`^[a-zA-Z][a-zA-Z0-9+.-]*://[^/:@\s]+:[^/@\s]+@`)

// CFG006: never print the value.
func (l *linter) secrets() {
	for _, n := range secretSettings {
		if s, ok := l.cfg.Get(n); ok {
			if v, ok := Str(s.Value); ok && v != "" && l.cfg.literal(n) {
				l.add("CFG006", s.Line, n+" is written in the file", named(n), withEv("value", engine.Redacted))
			}
		}
	}
	if s, ok := l.cfg.Get("SQLALCHEMY_DATABASE_URI"); ok {
		if v, ok := Str(s.Value); ok && uriPassword.MatchString(v) && l.cfg.literal("SQLALCHEMY_DATABASE_URI") {
			l.add("CFG006", s.Line, "SQLALCHEMY_DATABASE_URI carries a password written in the file", named("SQLALCHEMY_DATABASE_URI"), withEv("value", engine.Redacted))
		}
	}
	for _, pr := range l.cfg.Providers() {
		if pr.Remote == nil {
			continue
		}
		if v, ok := pr.RemoteStr("client_secret"); ok && v != "" && l.cfg.literal("OAUTH_PROVIDERS", strconv.Itoa(pr.Index), "remote_app", "client_secret") {
			name := pr.Name
			if !pr.NameOK {
				name = strconv.Itoa(pr.Index)
			}
			l.add("CFG006", pr.RemoteLine("client_secret"), fmt.Sprintf("the client_secret of provider %q is written in the file", name), named("client_secret"), withEv("value", engine.Redacted))
		}
	}
}

// CFG009.
func (l *linter) csrf() {
	if s, ok := l.cfg.Get("WTF_CSRF_ENABLED"); ok {
		if t, known := Truthy(s.Value); known && !t {
			l.add("CFG009", s.Line, "WTF_CSRF_ENABLED is False: every form of the app loses CSRF protection")
		}
	}
}

// CFG010 and the security-manager part of CFG012.
func (l *linter) securityManager() {
	for _, n := range []string{"SECURITY_MANAGER_CLASS", "CUSTOM_SECURITY_MANAGER", "FAB_SECURITY_MANAGER_CLASS"} {
		s, ok := l.cfg.Get(n)
		if !ok || s.Value == nil {
			continue
		}
		msg := n + " installs a custom security manager: its get_oauth_user_info / oauth_user_info may replace the built-in user-info mapping, so the dry-run's mapping may differ"
		switch {
		case n == "CUSTOM_SECURITY_MANAGER" && l.p.Airflow:
			msg = n + " is Superset's setting: Airflow ignores it (Airflow reads SECURITY_MANAGER_CLASS)"
		case n == "SECURITY_MANAGER_CLASS" && l.p.Superset:
			msg = n + " is Airflow's setting: Superset ignores it (Superset reads CUSTOM_SECURITY_MANAGER)"
		}
		l.add("CFG010", s.Line, msg, named(n))
		if n == "SECURITY_MANAGER_CLASS" && l.p.Flavor == Airflow3 {
			if v, ok := Str(s.Value); ok {
				l.add("CFG012", s.Line, fmt.Sprintf("SECURITY_MANAGER_CLASS is the string %q: Airflow 3 needs the class object itself, a subclass of FabAirflowSecurityManagerOverride", v),
					withFix("Import the class and assign it: from mymodule import MySecurityManager; SECURITY_MANAGER_CLASS = MySecurityManager"))
			}
		}
	}
}

// CFG012: imports that fail on Airflow 3 (spec §6.4).
func (l *linter) airflow3Imports() {
	if l.p.Flavor != Airflow3 {
		for _, im := range l.cfg.Imports {
			if im.Name == "AUTH_OID" && !l.p.AuthOIDAvailable {
				l.sum.Notes = append(l.sum.Notes, fmt.Sprintf("line %d imports AUTH_OID, which Flask-AppBuilder 5 removed: ImportError at start-up", im.Line))
			}
		}
		return
	}
	for _, im := range l.cfg.Imports {
		switch {
		case im.Module == "airflow.www" || strings.HasPrefix(im.Module, "airflow.www."):
			l.add("CFG012", im.Line, fmt.Sprintf("imports from %s, which Airflow 3 removed: ImportError, and the api-server does not start", im.Module),
				withFix("Import AUTH_* from flask_appbuilder.const; subclass airflow.providers.fab.auth_manager.security_manager.override.FabAirflowSecurityManagerOverride."))
		case im.Name == "AUTH_OID":
			l.add("CFG012", im.Line, "imports AUTH_OID, which Flask-AppBuilder 5 (used by Airflow 3's FAB provider) removed: ImportError at start-up")
		}
	}
	if at, known, present := l.cfg.AuthType(); known && present && at == AuthOID {
		l.add("CFG012", l.cfg.Line("AUTH_TYPE"), "AUTH_TYPE is AUTH_OID (0), which Flask-AppBuilder 5 no longer supports")
	}
}

var perProcess = lazyre.New(`os\.urandom|secrets\.|uuid4|uuid\.uuid1|time\.time|datetime\.now|datetime\.utcnow|random\.|token_hex|token_urlsafe`)

// CFG016.
func (l *linter) secretKeyPerProcess() {
	s, ok := l.cfg.Get("SECRET_KEY")
	if !ok {
		return
	}
	var text string
	switch v := s.Value.(type) {
	case *Opaque:
		text = v.Source + " " + s.Source
	case *Unresolved:
		text = v.Reason + " " + s.Source
	default:
		return
	}
	if m := perProcess.FindString(text); m != "" {
		l.add("CFG016", s.Line, fmt.Sprintf("SECRET_KEY is computed when the process starts (%s…): each replica and each restart signs sessions differently → \"mismatching_state: CSRF Warning! State not equal in request and response.\" and random log-outs", m),
			named("SECRET_KEY"))
	}
}

// ---- ROL ----

func (l *linter) oauth() bool {
	at, known, _ := l.cfg.AuthType()
	if known {
		return at == AuthOAuth
	}
	_, has := l.cfg.Get("OAUTH_PROVIDERS")
	return has
}

func (l *linter) roles(provs []*Provider) {
	cfg, p := l.cfg, l.p
	db := cfg.DBRoles(p, l.o.ExtraRoles)
	ms, hasMapping := cfg.Get("AUTH_ROLES_MAPPING")
	var mapping *Dict
	if hasMapping {
		switch m := ms.Value.(type) {
		case *Dict:
			mapping = m
		case nil:
		default:
			if !Unknown(ms.Value) {
				l.add("ROL002", ms.Line, fmt.Sprintf("AUTH_ROLES_MAPPING is a %s, not a dict: role computation raises AttributeError at login", pyType(ms.Value)),
					withFix("Write AUTH_ROLES_MAPPING = {\"idp_role\": [\"Viewer\"], ...}."))
			}
		}
	}
	if mapping != nil {
		for _, k := range mapping.Keys {
			v := mapping.Vals[k]
			line := mapping.LineOf(k)
			switch x := v.(type) {
			case string:
				l.add("ROL002", line, fmt.Sprintf("AUTH_ROLES_MAPPING[%q] is the string %q, not a list: FAB iterates it character by character and looks up roles %s", k, x, Repr(charsOf(x))),
					withFix(fmt.Sprintf("Write %q: [%q].", k, x)))
				continue
			case *Dict:
				l.add("ROL002", line, fmt.Sprintf("AUTH_ROLES_MAPPING[%q] is a dict, not a list of role names", k))
				continue
			}
			targets, ok := list(v)
			if !ok {
				if !Unknown(v) {
					l.add("ROL002", line, fmt.Sprintf("AUTH_ROLES_MAPPING[%q] is %s, not a list of role names", k, Repr(v)))
				}
				continue
			}
			for _, t := range targets {
				name, ok := t.(string)
				if !ok {
					continue
				}
				if !db[name] {
					l.add("ROL001", line, fmt.Sprintf("AUTH_ROLES_MAPPING[%q] names role %q, which does not exist%s: FAB logs \"Can't find role specified in AUTH_ROLES_MAPPING: %s\" and skips it", k, name, caseHint(name, db), name),
						withEv("existing roles", strings.Join(sortedKeys(db), ", ")))
				}
			}
			if strings.TrimSpace(k) != k {
				l.add("ROL004", line, fmt.Sprintf("mapping key %q has leading or trailing whitespace: FAB compares exact strings, so it never matches a role value without it", k))
			}
		}
	}
	l.roleKeysSetting(provs, mapping)
	if !l.oauth() {
		return
	}
	reg, regKnown := cfg.Registration()
	sync, _ := cfg.Sync()
	jexpr, jline, _ := cfg.JMESPath()

	// ROL004: the mapping can never match for the configured providers.
	if mapping != nil && mapping.Len() > 0 {
		var inert []string
		live := 0
		for _, pr := range provs {
			if !pr.NameOK || pr.Remote == nil {
				continue
			}
			b := pr.Name
			if !p.HasBranch(b) && p.Unknown == UnknownGeneric {
				b = "generic"
			}
			switch {
			case b == "azure" || b == "okta" || b == "auth0" || b == "authentik" || b == "generic":
				live++
			case (b == "keycloak" || b == "keycloak_before_17") && p.KeycloakGroups:
				live++
			default:
				inert = append(inert, pr.Name)
			}
			if b == "azure" {
				l.azureMappingKeys(mapping)
			}
		}
		if len(inert) > 0 && live == 0 {
			l.add("ROL004", ms.Line, fmt.Sprintf("AUTH_ROLES_MAPPING can never apply: the %s branch of %s yields no role_keys, so only the registration role (or roles set by hand) is ever given", strings.Join(quoteAll(inert), ", "), p.Title),
				withFix("Use a provider branch that yields role keys (azure, okta, auth0, keycloak, authentik) or a custom security manager that fills role_keys."))
		}
	}

	_, regPresent := cfg.Get("AUTH_USER_REGISTRATION")
	// ROL006 (static): registration off refuses every new user.
	if regKnown && !reg && (regPresent || !l.partial) {
		l.add("ROL006", cfg.Line("AUTH_USER_REGISTRATION"), "AUTH_USER_REGISTRATION is off: FAB never creates OAuth users, so everyone who has not been created beforehand (with the exact username FAB derives, e.g. the Azure oid) is refused with \"Invalid login. Please try again.\"",
			withFix("Set AUTH_USER_REGISTRATION = True with a safe AUTH_USER_REGISTRATION_ROLE (Viewer or Public) and grant more through AUTH_ROLES_MAPPING."))
	}

	// ROL005: what sync does.
	syncLine := cfg.Line("AUTH_ROLES_SYNC_AT_LOGIN")
	if _, ok := cfg.Get("AUTH_ROLES_SYNC_AT_LOGIN"); !ok {
		syncLine = registrationLine(cfg)
		if _, ok := cfg.Get("AUTH_ROLES_MAPPING"); ok {
			syncLine = cfg.Line("AUTH_ROLES_MAPPING")
		}
	}
	if (mapping != nil && mapping.Len() > 0) || reg {
		if sync {
			msg := "AUTH_ROLES_SYNC_AT_LOGIN is on: at every login the roles are recomputed from the token and replace all others, including roles granted by hand in the UI"
			if !reg {
				msg += "; with AUTH_USER_REGISTRATION off the registration role is not re-added during sync"
			}
			if s, ok := cfg.Get("PERMANENT_SESSION_LIFETIME"); ok {
				if secs, ok := Int(s.Value); ok && secs > 86400 {
					msg += fmt.Sprintf("; PERMANENT_SESSION_LIFETIME is %d s, so role changes at the IdP apply only at the next login", secs)
				}
			}
			l.add("ROL005", syncLine, msg,
				withFix("Keep it on if the IdP is the source of truth: grant roles through AUTH_ROLES_MAPPING, not the UI, and keep PERMANENT_SESSION_LIFETIME short (e.g. 1800) so changes apply soon."))
		} else {
			l.add("ROL005", syncLine, "AUTH_ROLES_SYNC_AT_LOGIN is off: roles are computed only when a user is created; later changes of the user's IdP roles or groups never reach the app")
		}
	}

	// ROL007, ROL001 (registration role), ROL003 (static), ROL009.
	name, source, known := cfg.RegistrationRole(p)
	if jexpr != "" {
		l.jmespath(jexpr, jline, provs, db)
	} else if reg && known {
		line := registrationLine(cfg)
		switch {
		case name != "" && !db[name]:
			l.add("ROL001", line, fmt.Sprintf("the registration role %q does not exist%s: FAB logs \"Can't find AUTH_USER_REGISTRATION role: %s\" and new users get only mapped roles", name, caseHint(name, db), name))
		case name != "" && privileged(p, cfg, name):
			l.add("ROL007", line, fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE is %q: every user who can sign in at the IdP becomes %s on first login", name, name),
				withFix("Register users as Viewer (or Public) and grant "+name+" through AUTH_ROLES_MAPPING."))
		}
		mappingLive := false
		if mapping != nil && mapping.Len() > 0 {
			for _, pr := range provs {
				if pr.NameOK && !strings.HasPrefix(l.roleKeySource(l.branchOf(pr.Name)), "none") {
					mappingLive = true
				}
			}
		}
		if !mappingLive && !l.partial && (name == "" || !db[name] || noPermissions(cfg, p, []string{name})) {
			what := "no role"
			if name != "" && db[name] {
				what = "only " + name + ", which has no permissions"
			}
			l.add("ROL003", line, fmt.Sprintf("every new user ends with %s: no mapping can apply and the registration role is %s (%s); logged-in users then get 403 \"%s\"", what, Repr(nilIfEmpty(name)), source, MsgNoRoles),
				withFix("Set AUTH_USER_REGISTRATION_ROLE = \"Viewer\" (or map the users' IdP roles in AUTH_ROLES_MAPPING)."))
		}
	}
}

func (l *linter) branchOf(name string) string {
	if l.p.HasBranch(name) {
		return name
	}
	if l.p.Unknown == UnknownGeneric {
		return "generic"
	}
	return ""
}

func privileged(p Profile, cfg *Config, role string) bool {
	if role == cfg.RoleAdmin() || role == "Admin" {
		return true
	}
	if p.Airflow {
		return role == "Op"
	}
	if p.Superset {
		return role == "Alpha"
	}
	return false
}

func charsOf(s string) []string {
	var out []string
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}

// azureMappingKeys: GUID keys compared with the roles claim (spec §7.7,
// §8.6).
func (l *linter) azureMappingKeys(mapping *Dict) {
	claim := "roles"
	if l.p.AzureRoleKeysSetting {
		if s, ok := l.cfg.Get("AUTH_OAUTH_ROLE_KEYS"); ok {
			if d, ok := s.Value.(*Dict); ok {
				if v, ok := d.Get("azure"); ok {
					if str, ok := Str(v); ok {
						claim = str
					}
				}
			}
		}
	}
	var guids, names []string
	for _, k := range mapping.Keys {
		if token.IsGUID(k) {
			guids = append(guids, k)
		} else {
			names = append(names, k)
		}
	}
	switch {
	case claim == "roles" && len(guids) > 0:
		fix := "Map the app role values (the roles claim) instead, or read groups with a custom security manager."
		if l.p.AzureRoleKeysSetting {
			fix = "Set AUTH_OAUTH_ROLE_KEYS = {\"azure\": \"groups\"} (and emit the groups claim), or map app role values."
		}
		l.add("ROL004", mapping.LineOf(guids[0]), fmt.Sprintf("AUTH_ROLES_MAPPING keys %s look like group object IDs, but the azure branch compares them with the roles claim (app role values): group object ids only match with AUTH_OAUTH_ROLE_KEYS = {\"azure\": \"groups\"}", strings.Join(quoteAll(guids), ", ")),
			withFix(fix))
	case claim == "groups" && len(names) > 0 && len(guids) == 0:
		l.add("ROL004", mapping.LineOf(names[0]), fmt.Sprintf("the azure role keys come from the groups claim, which carries group object-id GUIDs unless the app registration emits names; keys %s are names", strings.Join(quoteAll(names), ", ")),
			sev(engine.SeverityInfo))
	}
}

// roleKeysSetting checks AUTH_OAUTH_ROLE_KEYS (spec §8.1, §8.6).
func (l *linter) roleKeysSetting(provs []*Provider, mapping *Dict) {
	s, ok := l.cfg.Get("AUTH_OAUTH_ROLE_KEYS")
	if !ok || s.Value == nil || Unknown(s.Value) {
		return
	}
	if !l.p.AzureRoleKeysSetting {
		l.add("ROL004", s.Line, "AUTH_OAUTH_ROLE_KEYS is ignored by "+l.p.Title+": only the Airflow 3 FAB provider (≥ 3.3, #61585) reads it; the azure branch reads the roles claim")
		return
	}
	d, ok := s.Value.(*Dict)
	if !ok {
		l.add("ROL002", s.Line, fmt.Sprintf("AUTH_OAUTH_ROLE_KEYS is a %s, not a dict: every azure login fails with \"Error returning OAuth user info: '%s' object has no attribute 'get'\"", pyType(s.Value), pyType(s.Value)),
			withFix("Write AUTH_OAUTH_ROLE_KEYS = {\"azure\": \"groups\"}."))
		return
	}
	hasAzure := false
	for _, pr := range provs {
		if pr.NameOK && pr.Name == "azure" {
			hasAzure = true
		}
	}
	for _, k := range d.Keys {
		if k != "azure" {
			l.add("ROL004", d.LineOf(k), fmt.Sprintf("AUTH_OAUTH_ROLE_KEYS[%q] is ignored: only the \"azure\" entry is read; %s keeps its hard-coded claim", k, k))
			continue
		}
		v, ok := Str(d.Vals[k])
		switch {
		case !ok && !Unknown(d.Vals[k]):
			l.add("ROL002", d.LineOf(k), fmt.Sprintf("AUTH_OAUTH_ROLE_KEYS[\"azure\"] is %s, not a claim name", Repr(d.Vals[k])))
		case ok && v != "roles" && v != "groups":
			l.add("ROL004", d.LineOf(k), fmt.Sprintf("AUTH_OAUTH_ROLE_KEYS[\"azure\"] is %q: role_keys will be the top-level %q claim of the id_token (legal, but unusual: the documented values are roles and groups)", v, v),
				sev(engine.SeverityInfo))
		}
	}
	if !hasAzure {
		l.add("ROL004", s.Line, "AUTH_OAUTH_ROLE_KEYS is set but no provider is named \"azure\": it has no effect")
	}
}

// userinfoKeys are the keys FAB's user-info dict can have.
func (l *linter) userinfoKeys() map[string]bool {
	m := map[string]bool{"username": true, "email": true, "first_name": true, "last_name": true, "role_keys": true}
	if l.p.AzureExtraKeys {
		m["name"], m["id"] = true, true
	}
	return m
}

var rawClaimHints = sync.OnceValue(func() map[string]string {
	return map[string]string{"roles": "role_keys", "groups": "role_keys", "upn": "email", "preferred_username": "username or email",
		"given_name": "first_name", "family_name": "last_name", "oid": "username", "sub": "username", "nickname": "username",
		"realm_access": "role_keys", "resource_access": "role_keys", "wids": "role_keys", "mail": "email", "login": "username"}
})

// ROL009, and ROL007 for a JMESPath that can yield a privileged role.
func (l *linter) jmespath(expr string, line int, provs []*Provider, db map[string]bool) {
	fields, literals, err := jmespathNames(expr)
	if err != nil {
		l.add("ROL009", line, fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE_JMESPATH does not compile: %v (every registration then raises at login)", err))
		return
	}
	keys := l.userinfoKeys()
	for _, f := range fields {
		if keys[f] {
			continue
		}
		hint := ""
		if h, ok := rawClaimHints()[f]; ok {
			hint = fmt.Sprintf(": %q is a token claim name; FAB's user-info dict has it as %s", f, h)
		}
		l.add("ROL009", line, fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE_JMESPATH refers to %q, which FAB's user-info dict never has (its keys are %s)%s", f, strings.Join(sortedKeys(keys), ", "), hint),
			withFix("Use the user-info keys (role_keys, email, username, first_name, last_name), e.g. contains(role_keys, 'admins') && 'Admin' || 'Viewer'."))
	}
	for _, lit := range literals {
		if privileged(l.p, l.cfg, lit) {
			l.add("ROL007", line, fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE_JMESPATH can yield %q: check that only the intended users reach that branch of the expression", lit), sev(engine.SeverityInfo))
		}
		if db != nil && !db[lit] && looksLikeRole(lit, db) {
			l.add("ROL001", line, fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE_JMESPATH can yield %q, which does not exist%s", lit, caseHint(lit, db)))
		}
	}
}

// looksLikeRole: a literal that differs from an existing role only in case.
func looksLikeRole(lit string, db map[string]bool) bool {
	for r := range db {
		if strings.EqualFold(r, lit) {
			return true
		}
	}
	return false
}

// jmespathNames compiles an expression and lists its field names and
// string literals. go-jmespath keeps its AST private; PrettyPrint is
// parsed (the version is pinned in go.mod and a test covers it).
func jmespathNames(expr string) (fields, literals []string, err error) {
	if _, err := jmespath.Compile(expr); err != nil {
		return nil, nil, err
	}
	ast, err := jmespath.NewParser().Parse(expr)
	if err != nil {
		return nil, nil, err
	}
	lines := strings.Split(ast.String(), "\n")
	seenF, seenL := map[string]bool{}, map[string]bool{}
	for i := 0; i+1 < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t != "ASTField {" && t != "ASTLiteral {" {
			continue
		}
		v := strings.TrimSpace(lines[i+1])
		if !strings.HasPrefix(v, "value: ") {
			continue
		}
		s, uerr := strconv.Unquote(strings.TrimPrefix(v, "value: "))
		if uerr != nil {
			continue
		}
		if t == "ASTField {" && !seenF[s] {
			seenF[s] = true
			fields = append(fields, s)
		} else if t == "ASTLiteral {" && !seenL[s] {
			seenL[s] = true
			literals = append(literals, s)
		}
	}
	return fields, literals, nil
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
