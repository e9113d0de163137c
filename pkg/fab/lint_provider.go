package fab

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/idp"
)

var misplacedKeys = []string{"jwks_uri", "server_metadata_url", "client_id", "client_secret", "api_base_url",
	"access_token_url", "authorize_url", "client_kwargs", "request_token_url", "userinfo_endpoint", "jwks"}

func (l *linter) provider(pr *Provider, names map[string]int) {
	if pr.NameOK {
		l.prov = pr.Name
		defer func() { l.prov = "" }()
	}
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
			// Dead on its own; when the key is needed, its absence from
			// remote_app is reported by the check that needs it.
			l.add("CFG005", pr.EntryLine(k), fmt.Sprintf("%s has %q outside remote_app, where FAB and authlib never read it", label, k),
				sev(engine.SeverityWarning), withFix("Move "+k+" inside remote_app."))
		}
	}
	if pr.Remote != nil {
		if v, ok := pr.Remote.Get("client_id"); (!ok || v == nil) && !l.appConfigHas(pr, "client_id") {
			l.add("CFG005", pr.RemoteLine(""), label+" remote_app has no client_id: the IdP rejects the authorization request")
		}
		if v, ok := pr.Remote.Get("server_metadata"); ok {
			// authlib keeps every keyword it does not name as a server
			// metadata entry (BaseApp.__init__: self.server_metadata =
			// kwargs): the dict lands under the key "server_metadata".
			inner, level, after := "its entries", engine.SeverityWarning, ""
			if d, isDict := v.(*Dict); isDict && d.Len() > 0 {
				var lost []string
				for _, k := range d.Keys {
					if !pr.Remote.Has(k) {
						lost = append(lost, k)
					}
				}
				inner = strings.Join(lost, ", ")
				if slices.Contains(lost, "issuer") {
					// authlib's parse_id_token pins iss to metadata["issuer"]
					after = " (without an issuer, authlib checks no iss of the id_token)"
				}
				if len(lost) == 0 {
					inner, level = "its entries (remote_app has each of them itself, so nothing is lost)", engine.SeverityInfo
				}
			}
			if pr.RemoteHas("server_metadata_url") && level == engine.SeverityWarning {
				level, after = engine.SeverityInfo, " (the document server_metadata_url names supplies the metadata instead)"
			}
			l.add("CFG005", pr.RemoteLine("server_metadata"), fmt.Sprintf("%s remote_app has \"server_metadata\", which authlib does not read as metadata: it keeps unknown keys as metadata entries, so the dict sits under the key server_metadata and %s are never used%s", label, inner, after),
				sev(level), withFix("Put the keys you need directly in remote_app (jwks_uri, userinfo_endpoint…) or give server_metadata_url."))
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
				withFix("Add \"token_key\": \"access_token\" to the provider entry."),
				withEdit(l.cfg.insertEntryAfter(pr.EntryLine("name"), `"token_key": "access_token",`)))
		case key != "access_token" && !tokenResponseHas(pr, key):
			l.add("CFG005", pr.EntryLine("token_key"), fmt.Sprintf("%s token_key is %q, which an OAuth 2 token response does not contain → \"Error returning OAuth user info: '%s'\"", label, key, key),
				withFix("Set \"token_key\": \"access_token\"."))
		}
	}
	if pr.Remote == nil || !pr.NameOK {
		l.unresolvedProvider(pr, label)
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
		l.add("CFG005", pr.RemoteLine(""), label+": the auth0 branch calls authlib's userinfo(), which needs server_metadata_url (or userinfo_endpoint) in remote_app → \"Error returning OAuth user info: 'userinfo_endpoint'\"", fromBuiltin(builtinUserInfo))
	}
	if branch == "authentik" {
		if v, _, _ := pr.VerifySignature(true); v && !pr.RemoteHas("jwks_uri") && !pr.RemoteHas("server_metadata_url") {
			l.add("CFG005", pr.RemoteLine(""), label+": authentik verifies the id_token by default and needs jwks_uri in remote_app: FAB logs \"jwks_uri not specified in OAuth Providers, could not verify token signature\" and refuses every login")
		}
	}

	l.overridden(pr, label)

	l.openidWithoutKeys(pr, label)
	l.unresolvedParts(pr, label, branch)

	brief := ProviderBrief{Name: pr.Name, Branch: branch}
	if branch == "" {
		brief.Branch = "none"
	}
	brief.RoleKeys = l.roleKeySource(branch)
	if ref, ok := l.cfg.UserCode.UserInfo(); ok {
		brief.UserInfo, brief.RoleKeys = ref.String(), "the role_keys it returns"
	}
	brief.Callback = PredictCallback(l.p, l.cfg, pr.Name, l.o.BaseURL)
	l.sum.Providers = append(l.sum.Providers, brief)

	l.unknownName(pr, label, branch)
	l.callback(pr, label, brief.Callback)
	l.plainHTTP(pr, label)
	l.oauthlibKeys(pr, label, true)
	l.apiBase(pr, label, branch)
	l.relativeUserinfo(pr, label, branch)
	l.scopes(pr, label, branch)
	if branch == "azure" {
		l.azure(pr, label)
	}
	if wl, ok := pr.Entry.Get("whitelist"); ok && !l.p.WhitelistAnchored {
		if pats, ok := list(wl); ok {
			for _, pv := range pats {
				if s, ok := pv.(string); ok && !strings.HasSuffix(s, "$") {
					l.add("CFG027", pr.EntryLine("whitelist"), fmt.Sprintf("%s whitelist pattern %q is not anchored: %s runs a Flask-AppBuilder before 5.2.2, which matches it with re.search, so an e-mail such as %q, from a domain anyone can register, is let in too", label, s, l.p.Short, "x@"+strings.Trim(s, "@^.*\\")+".evil.example"),
						withEv("pattern", s), withFix(fmt.Sprintf("End the pattern with \"$\" (%q); Flask-AppBuilder 5.2.2 and later anchor it themselves.", s+"$")))
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

// appConfigHas reports whether the config sets NAME_KEY (AZURE_CLIENT_ID):
// authlib's Flask integration, with which FAB registers the provider,
// fills a missing remote_app parameter from the app's config under that
// name, and this file is the app's config.
func (l *linter) appConfigHas(pr *Provider, key string) bool {
	if !pr.NameOK {
		return false
	}
	_, ok := l.cfg.Get(strings.ToUpper(pr.Name) + "_" + strings.ToUpper(key))
	return ok
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
	ui := fromBuiltin(builtinUserInfo)
	if branch == "generic" {
		if !pr.RemoteHas("server_metadata_url") && !pr.RemoteHas("userinfo_endpoint") {
			l.add("CFG011", pr.EntryLine("name"), label+" is not a built-in name, so the generic OIDC branch reads the userinfo endpoint, and remote_app has neither server_metadata_url nor userinfo_endpoint: every login fails with \"Error returning OAuth user info: 'userinfo_endpoint'\"",
				sev(engine.SeverityError), ui, withFix("Add server_metadata_url (the provider's /.well-known/openid-configuration) to remote_app, or use a built-in name."))
			return
		}
		if suggestion != "" {
			l.add("CFG011", pr.EntryLine("name"), fmt.Sprintf("%s is not the built-in %q (names are case-sensitive): it gets none of that branch's logic; the generic branch reads preferred_username, email and groups from the userinfo endpoint", label, suggestion), ui, withFix(fix))
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
	l.add("CFG011", pr.EntryLine("name"), msg, ui, withFix(fix))
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
	case u.Scheme == "http" && !isLoopback(u.Hostname()) && isEntra(pr):
		// Entra registers no http reply URL but localhost's: the request
		// can only be refused (AADSTS50011).
		l.add("CFG008", line, fmt.Sprintf("%s: the app's base URL %s is http, so the callback is %s, and Entra accepts http reply URLs only for localhost: every sign-in ends with AADSTS50011 (the redirect URI does not match)", label, cb.BaseURL, cb.URL),
			sev(engine.SeverityError), withEv("base URL", cb.BaseURL+" ("+cb.BaseURLSource+")"), withFix("Serve the app over https (and behind a TLS proxy turn on "+cb.ProxyFixSetting+"), then register the https callback in the app registration."))
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		l.add("CFG008", line, fmt.Sprintf("%s: the app's base URL %s is http, so the callback is %s: the authorization code travels in clear text", label, cb.BaseURL, cb.URL),
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

// CFG013 (spec §1.4): the built-in branches call a relative path on
// api_base_url, which authlib joins with urljoin (RFC 3986 resolution, as
// Python's urllib.parse.urljoin): a base without a trailing slash loses its
// last path segment. Only a join that really lands elsewhere is reported.
func (l *linter) apiBase(pr *Provider, label, branch string) {
	base, ok := pr.RemoteStr("api_base_url")
	if !ok || base == "" {
		return
	}
	rel, want := userinfoPath(branch, base)
	if rel == "" {
		return
	}
	got, err := URLJoin(base, rel)
	if err != nil || got == want {
		return
	}
	fix := "End api_base_url with a slash: " + base + "/"
	if strings.HasPrefix(branch, "keycloak") {
		fix = "End api_base_url in /protocol/ (the branch appends openid-connect/userinfo): " + realmBase(base) + "/protocol/"
	}
	edit := l.cfg.replaceLiteral(pr.RemoteLine("api_base_url"), base, strings.TrimSuffix(want, rel))
	l.add("CFG013", pr.RemoteLine("api_base_url"), fmt.Sprintf("%s api_base_url %q makes the %s branch call %s (urljoin with %q) instead of %s: the user-info request misses", label, base, branch, got, rel, want),
		withEv("called", got, "meant", want), withFix(fix), withEdit(edit), fromBuiltin(builtinUserInfo))
}

// userinfoPath is the relative path a built-in branch requests on
// api_base_url, and the URL it means to reach ("" when the branch makes no
// such call).
func userinfoPath(branch, base string) (rel, want string) {
	rel = relativePath(branch)
	switch {
	case rel == "":
		return "", ""
	case strings.HasPrefix(branch, "keycloak"):
		return rel, realmBase(base) + "/protocol/" + rel
	}
	return rel, strings.TrimSuffix(base, "/") + "/" + rel
}

// realmBase is a Keycloak URL up to its realm (".../realms/x").
func realmBase(u string) string {
	if i := strings.Index(u, "/realms/"); i >= 0 {
		rest := u[i+len("/realms/"):]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			return u[:i+len("/realms/")+j]
		}
		return strings.TrimSuffix(u, "/")
	}
	return strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(u, "/"), "/protocol/openid-connect"), "/protocol")
}

// URLJoin resolves rel against base as Python's urllib.parse.urljoin does
// for http(s) URLs (RFC 3986 §5.2, which both follow).
func URLJoin(base, rel string) (string, error) {
	bu, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	r, err := url.Parse(rel)
	if err != nil {
		return "", err
	}
	return bu.ResolveReference(r).String(), nil
}

// CFG014 (checks.md): the scope cannot give the branch what it reads.
func (l *linter) scopes(pr *Provider, label, branch string) {
	if !pr.ScopeKnown {
		return
	}
	l.commaScope(pr, label)
	line := scopeLine(pr)
	have := strings.Join(pr.Scopes, " ")
	if have == "" {
		have = "(none)"
	}
	switch branch {
	case "azure":
		if !pr.HasScope("openid") && AzureEndpointVersion(pr) == "v2" {
			l.add("CFG014", line, label+" uses the v2.0 endpoints without the openid scope: no id_token comes back, and the azure branch reads resp[\"id_token\"] → \"Error returning OAuth user info: 'id_token'\"",
				withEv("scope", have), fromBuiltin(builtinUserInfo), withFix("Request \"openid email profile\" in client_kwargs scope (and add server_metadata_url, see CFG004)."),
				withEdit(l.addOpenID(pr)))
		}
	case "okta", "auth0":
		strict := branch == "auth0" || l.p.OktaStrict
		if strict && !pr.HasScope("email") {
			l.add("CFG014", line, fmt.Sprintf("%s: the %s branch requires the email claim but the scope lacks email → \"Error returning OAuth user info: 'email'\"", label, branch), withEv("scope", have), fromBuiltin(builtinUserInfo),
				withFix("Request \"openid email profile\" in client_kwargs scope."))
		}
		if branch == "okta" && l.mappingNonEmpty() && !pr.HasScope("groups") {
			l.add("CFG014", line, label+": AUTH_ROLES_MAPPING relies on role_keys from the groups claim, which Okta releases only when a groups claim is configured (usually requested with the groups scope); the scope lacks groups",
				sev(engine.SeverityWarning), withEv("scope", have), fromBuiltin(builtinUserInfo))
		}
	case "authentik":
		if !pr.HasScope("profile") {
			l.add("CFG014", line, label+": the authentik branch requires preferred_username and nickname (profile scope) but the scope lacks profile → \"Error returning OAuth user info: 'preferred_username'\"", withEv("scope", have), fromBuiltin(builtinUserInfo))
		}
	case "generic":
		if !pr.HasScope("profile") {
			l.add("CFG014", line, label+": the generic branch takes the username from preferred_username (profile scope) and the scope lacks profile: an empty username refuses the login", sev(engine.SeverityWarning), withEv("scope", have), fromBuiltin(builtinUserInfo))
		}
	}
}

// commaScope: authlib splits a scope string on whitespace only, so in
// "openid,email,profile" it sees no openid: it sends no nonce and never
// parses the id_token (CFG014, a warning). Otherwise the IdP gets the
// commas as written: RFC 6749 §3.3 separates scopes with spaces, GitHub
// accepts commas too (nothing said), others may not (info).
func (l *linter) commaScope(pr *Provider, label string) {
	var raw string
	hidden := false
	for _, s := range pr.Scopes {
		if !strings.Contains(s, ",") {
			continue
		}
		raw = strings.Join(pr.Scopes, " ")
		for _, part := range strings.Split(s, ",") {
			hidden = hidden || strings.TrimSpace(part) == "openid"
		}
	}
	if raw == "" || !hidden && isGitHub(pr) {
		return
	}
	fixed := strings.Join(strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' }), " ")
	opts := []func(*Issue){withEv("scope", raw), withFix(fmt.Sprintf("Separate the scopes with spaces: %q.", fixed)),
		withEdit(l.cfg.replaceLiteral(scopeLine(pr), raw, fixed))}
	if hidden {
		l.add("CFG014", scopeLine(pr), fmt.Sprintf("%s: the scope %q separates scopes with commas, but authlib splits on spaces, so it sees no openid: it sends no nonce and never parses the id_token, and the IdP gets the commas as written (RFC 6749 §3.3 separates scopes with spaces)", label, raw),
			append(opts, sev(engine.SeverityWarning))...)
		return
	}
	l.add("CFG014", scopeLine(pr), fmt.Sprintf("%s: the scope %q separates scopes with commas; authlib sends it as written, and RFC 6749 §3.3 separates scopes with spaces: whether the IdP reads each scope depends on the IdP", label, raw),
		append(opts, sev(engine.SeverityInfo))...)
}

// isGitHub: GitHub's OAuth apps, which accept comma-separated scopes.
func isGitHub(pr *Provider) bool {
	for _, k := range []string{"authorize_url", "access_token_url", "api_base_url"} {
		if u, ok := pr.RemoteStr(k); ok && (strings.Contains(u, "://github.com/") || strings.Contains(u, "://api.github.com")) {
			return true
		}
	}
	return pr.NameOK && pr.Name == "github"
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
		l.add("CFG007", pr.EntryLine("name"), label+": "+l.p.Title+" decodes the azure id_token itself by splitting and base64-decoding it, with no check of its own; "+whoChecks(pr),
			fromBuiltin(builtinUserInfo), sev(engine.SeverityInfo), withFix("Upgrade to Airflow 2.9 or later (the FAB provider) and set client_kwargs \"verify_signature\": True; Airflow 3's newest provider verifies by default and pins issuer and audience."))
		return
	}
	v, known, present := pr.VerifySignature(l.p.AzureVerifyDefault)
	if !known {
		return
	}
	line := pr.KwargLine("verify_signature")
	switch {
	case !v && present:
		l.add("CFG007", line, label+" sets verify_signature False: FAB decodes the id_token without checking it; "+whoChecks(pr),
			sev(engine.SeverityInfo), fromBuiltin(builtinUserInfo), withFix("Set client_kwargs \"verify_signature\": True."))
	case !v:
		l.add("CFG007", pr.RemoteLine("client_kwargs"), label+" has no client_kwargs verify_signature, which defaults to False in "+l.p.Title+": FAB decodes the id_token without checking it; "+whoChecks(pr),
			sev(engine.SeverityInfo), fromBuiltin(builtinUserInfo), withFix("Set client_kwargs \"verify_signature\": True."))
	case !l.p.AzureTenantPinning:
		l.add("CFG007", line, label+" verifies the id_token, but only against https://login.microsoftonline.com/common/discovery/keys and its time claims: an app with its own signing keys (claims mapping) or in a national cloud fails with \"Invalid JSON Web Key Set\"; no issuer or audience is checked",
			sev(engine.SeverityInfo), fromBuiltin(builtinUserInfo))
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
			withEv(tenantEvidence(tr)...), fromBuiltin(builtinUserInfo),
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

// whoChecks says what does check an azure id_token FAB itself does not:
// authlib, when the openid scope makes it parse the token against the
// metadata's keys, else only the TLS of the token endpoint (which OpenID
// Connect Core §3.1.3.7 accepts in place of the signature for a token
// received directly from it).
func whoChecks(pr *Provider) string {
	if pr.ScopeKnown && pr.HasScope("openid") && pr.HasKeySource() {
		return "authlib has already verified it at the callback (signature against the metadata's keys, aud = client_id, expiry, nonce), so nothing is lost"
	}
	return "it comes straight from the token endpoint over TLS, which OpenID Connect accepts in place of a signature check (Core §3.1.3.7), so a user cannot forge it, but nothing checks its issuer, audience or expiry"
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

// addMetadataURL is the edit adding server_metadata_url to remote_app,
// derived from the provider's endpoints (nil when they do not tell).
func (l *linter) addMetadataURL(pr *Provider) *engine.Edit {
	for _, k := range []string{"authorize_url", "access_token_url", "api_base_url", "jwks_uri"} {
		s, ok := pr.RemoteStr(k)
		if !ok {
			continue
		}
		if u := idp.MetadataURL(s); u != "" {
			anchor := pr.RemoteLine("client_id")
			if !pr.Remote.Has("client_id") {
				anchor = pr.RemoteLine(k)
			}
			return l.cfg.insertEntryAfter(anchor, `"server_metadata_url": "`+u+`",`)
		}
	}
	return nil
}

// addOpenID is the edit putting openid first in the scope.
func (l *linter) addOpenID(pr *Provider) *engine.Edit {
	if !pr.ScopeSet && pr.Remote != nil && !pr.Remote.Has("client_kwargs") && pr.Remote.Has("client_id") {
		return l.cfg.insertEntryAfter(pr.RemoteLine("client_id"), `"client_kwargs": {"scope": "openid email profile"},`)
	}
	if !pr.ScopeSet || pr.ScopeLine == 0 {
		return nil
	}
	v, _ := l.scopeValue(pr)
	if v == "" {
		return nil
	}
	return l.cfg.replaceLiteral(pr.ScopeLine, v, "openid "+v)
}

// scopeValue is the scope as written, when it is one string.
func (l *linter) scopeValue(pr *Provider) (string, bool) {
	var d *Dict
	switch pr.ScopeFrom {
	case "remote_app":
		d = pr.Remote
	case "client_kwargs":
		d = pr.ClientKwargs
	case "authorize_params":
		v, _ := pr.Remote.Get("authorize_params")
		d, _ = v.(*Dict)
	}
	if d == nil {
		return "", false
	}
	v, _ := d.Get("scope")
	return Str(v)
}

// overridden: with server_metadata_url, authlib lets the fetched
// document's jwks_uri and userinfo_endpoint override remote_app's
// (user-code.md §8): those keys are dead, and not the cause of anything.
func (l *linter) overridden(pr *Provider, label string) {
	if !pr.RemoteHas("server_metadata_url") {
		return
	}
	for _, k := range []string{"jwks_uri", "userinfo_endpoint"} {
		if pr.RemoteHas(k) {
			l.add("CFG005", pr.RemoteLine(k), fmt.Sprintf("%s remote_app's %s is never used: authlib fetches server_metadata_url and the document's %s overrides it", label, k, k),
				sev(engine.SeverityInfo), withFix("Remove "+k+" from remote_app (the metadata provides it), or drop server_metadata_url if this one is meant."))
		}
	}
}

// isEntra: the provider signs in with Entra ID (by name, or by an
// endpoint on an Entra host).
func isEntra(pr *Provider) bool {
	if pr.Name == "azure" {
		return true
	}
	for _, k := range endpointKeys {
		if s, ok := pr.RemoteStr(k); ok && idp.Parse(s).IdP == "azure" {
			return true
		}
	}
	return false
}

// openidWithoutKeys is CFG004 (spec §5.1); authlib < 1.0 never parses the
// id_token (versionChecks says so).
func (l *linter) openidWithoutKeys(pr *Provider, label string) {
	if pr.ScopeKnown && pr.HasScope("openid") && !pr.HasKeySource() && !l.p.NoIDTokenParse {
		msg := label + " requests the openid scope but remote_app has neither server_metadata_url nor jwks_uri (nor jwks): authlib parses the id_token at the callback and fails with `Missing \"jwks_uri\" in metadata`; users see \"" + MsgDenied + "\""
		if pr.Entry.Has("jwks_uri") {
			msg += fmt.Sprintf(" (the jwks_uri at line %d is outside remote_app)", pr.EntryLine("jwks_uri"))
		}
		l.add("CFG004", scopeLine(pr), msg, withEv("scope", strings.Join(pr.Scopes, " ")), withEdit(l.addMetadataURL(pr)))
	}
}
