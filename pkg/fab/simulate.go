package fab

import (
	"fmt"
	"strings"
)

// Simulate runs FAB's OAuth login for one user, statically (spec §2.1
// callback order, §2.3 user-info, §3.4 roles, §8.6 for the 2026 Azure
// flavour). Each step is a method of sim, in the order FAB runs them.
func Simulate(cfg *Config, p Profile, in SimInput) (*Result, error) {
	ds, err := newSim(cfg, p, in)
	if err != nil {
		return nil, err
	}
	ds.blockers()
	ds.userData()
	if !ds.customUserInfo() {
		ds.branchBlockers()
		ds.userInfo()
		ds.azurePins()
	}
	ds.whitelist()
	if !ds.customRoles() {
		ds.authUser()
		ds.roles()
	}
	ds.outcome()
	if ds.res.UserInfoSource == nil {
		ds.res.UserInfoSource = ds.builtinSource()
	}
	return ds.res, nil
}

// sim is one dry-run in progress.
type sim struct {
	cfg *Config
	p   Profile
	in  SimInput
	res *Result
	pr  *Provider
	// branch is the built-in user-info branch ("generic" for the
	// providers' generic OIDC fallback).
	branch string
	// synthetic: the config has no entry for the provider simulated.
	synthetic bool
	// claims are the user's data; simulated when only role keys were
	// given.
	claims    map[string]any
	simulated bool
	mapped    Mapped
	ui        *Dict
	// userRefusal is the first refusal caused by this user's data.
	userRefusal *Refusal
	// unknown: the user's code cannot be evaluated to the end.
	unknown     *UnknownCause
	tenant      TenantResolution
	azureVerify bool
	reg, sync   bool
	known       KnownRoles
}

func newSim(cfg *Config, p Profile, in SimInput) (*sim, error) {
	res := &Result{Flavor: p.Flavor, FlavorTitle: p.Title, FlavorReason: p.Reason,
		Matched: []Match{}, Roles: []string{}, Computed: []string{}, Notes: []string{}}
	res.Notes = append(res.Notes, p.Notes...)
	pr, err := selectProvider(cfg, in)
	if err != nil {
		return nil, err
	}
	res.Provider = pr.Name
	if in.Claims == nil && !in.RoleKeysSet {
		return nil, &SimError{"nothing to simulate: give a token, --claims @FILE.json or --role-key"}
	}
	res.ClaimsSource = in.ClaimsSource
	cb := PredictCallback(p, cfg, pr.Name, in.BaseURL)
	res.Callback = &cb
	ds := &sim{cfg: cfg, p: p, in: in, res: res, pr: pr, synthetic: pr.Entry == nil, claims: in.Claims, branch: pr.Name}
	if !p.HasBranch(ds.branch) && p.Unknown == UnknownGeneric {
		ds.branch = "generic"
	}
	if ds.claims == nil {
		ds.simulated, ds.claims = true, map[string]any{}
	}
	if ds.synthetic {
		ds.note("the config defines no provider %q: the %s branch is simulated alone, without checks of a provider entry", pr.Name, pr.Name)
	}
	return ds, nil
}

func (ds *sim) issue(id, msg string, line int, opts ...func(*Issue)) {
	is := Issue{ID: id, Message: msg, File: ds.cfg.File, Line: max(line, 1), Provider: ds.pr.Name}
	for _, o := range opts {
		o(&is)
	}
	ds.res.Issues = append(ds.res.Issues, is)
}

func (ds *sim) note(format string, a ...any) {
	ds.res.Notes = append(ds.res.Notes, fmt.Sprintf(format, a...))
}

// block records a config problem that stops every login, whatever the
// user.
func (ds *sim) block(r Refusal) {
	if ds.synthetic && r.Check != "CFG001" && r.Check != "CFG003" {
		return // no provider entry: nothing of it to blame
	}
	r.UserIndependent = true
	ds.res.Blockers = append(ds.res.Blockers, r)
}

// blockers: the user-independent problems, in the order of spec §2.1.
func (ds *sim) blockers() {
	for _, se := range ds.in.SyntaxErrors {
		ds.block(Refusal{Stage: "config", Check: "CFG001", Line: se.Line, Fix: fmt.Sprintf("Fix the syntax error at line %d, column %d.", se.Line, se.Col),
			Reason:  fmt.Sprintf("the file does not parse (line %d:%d: %s): the webserver fails at start-up, so nobody can sign in; the rest of this dry-run uses what could be read", se.Line, se.Col, se.Msg),
			Message: "(the web server does not start: the page does not load)"})
		break
	}
	if at, known, present := ds.cfg.AuthType(); known && at != AuthOAuth {
		why := "AUTH_TYPE is " + AuthTypeName(at)
		if !present {
			why = "AUTH_TYPE is not set (default AUTH_DB)"
		}
		ds.block(Refusal{Stage: "config", Check: "CFG003", Line: ds.cfg.Line("AUTH_TYPE"), Fix: "Set AUTH_TYPE = AUTH_OAUTH.",
			Reason:  why + ": OAUTH_PROVIDERS is ignored and the login page offers no OAuth sign-in",
			Message: "(no OAuth sign-in: the login page asks for a user name and password)"})
	}
	if ds.pr.OAuth1() && ds.pr.Name != "twitter" {
		ds.block(Refusal{Stage: "authorize", Check: "CFG005", Line: ds.pr.RemoteLine("request_token_url"), Fix: "Remove request_token_url or set it to None.",
			Reason:  "a truthy request_token_url makes authlib build an OAuth 1 client for an OAuth 2 provider",
			Message: "(the sign-in breaks when it starts; the exact page is unconfirmed)"})
	}
	if ds.pr.ScopeKnown && ds.pr.HasScope("openid") && !ds.pr.HasKeySource() {
		if ds.p.NoIDTokenParse {
			ds.note("the openid scope is requested without server_metadata_url or jwks_uri, but authlib before 1.0 (%s) does not parse the id_token at the callback: no `Missing \"jwks_uri\"` there (it appears after an upgrade to authlib 1.x)", ds.p.Title)
		} else {
			r := Refusal{Stage: "authorize", Check: "CFG004", Line: scopeLine(ds.pr), Fix: "Add server_metadata_url (the provider's /.well-known/openid-configuration) to remote_app.",
				Reason: "the openid scope makes authlib (≥ 1.0) parse the id_token, and remote_app has no server_metadata_url, jwks_uri or jwks",
				Log:    LogAuthorize + `Missing "jwks_uri" in metadata`, Message: MsgDenied}
			ds.block(uncaughtAuthorize(ds.p, r))
		}
	}
	if key, _, known := ds.pr.TokenKey(); known && !ds.pr.OAuth1() && !tokenResponseHas(ds.pr, key) {
		ds.block(Refusal{Stage: "userinfo", Check: "CFG005", Line: ds.pr.EntryLine("token_key"), Fix: "Add \"token_key\": \"access_token\" to the provider entry.",
			Reason: fmt.Sprintf("token_key is %q, a key an OAuth 2 token response does not have: set_oauth_session raises KeyError", key),
			Log:    LogUserInfo + "'" + key + "'", Message: MsgInvalidLogin})
	}
	if n, s, ok := ds.cfg.CustomSecurityManager(); ok && ds.in.UserCode == nil {
		ds.note("a custom security manager is configured (%s, line %d): its get_oauth_user_info may differ from the built-in mapping shown here", n, s.Line)
	}
}

// branchBlockers: the user-independent problems of the provider's
// built-in branch (they hold when that branch runs: no user code replaces
// it, or the user's code calls it).
func (ds *sim) branchBlockers() {
	switch ds.branch {
	case "azure":
		if ds.pr.ScopeKnown && !ds.pr.HasScope("openid") && AzureEndpointVersion(ds.pr) == "v2" {
			ds.block(Refusal{Stage: "userinfo", Check: "CFG014", Line: scopeLine(ds.pr), Fix: "Request \"openid email profile\" in client_kwargs scope (with server_metadata_url in remote_app).",
				Reason: "the v2.0 endpoints return an id_token only when the openid scope is requested, and the azure branch reads resp[\"id_token\"]",
				Log:    LogUserInfo + "'id_token'", Message: MsgInvalidLogin})
		}
		if ds.p.AzureRoleKeysSetting {
			if s, ok := ds.cfg.Get("AUTH_OAUTH_ROLE_KEYS"); ok && s.Value != nil {
				if _, isDict := s.Value.(*Dict); !isDict && !Unknown(s.Value) {
					ds.block(Refusal{Stage: "userinfo", Check: "ROL002", Line: s.Line,
						Reason: "AUTH_OAUTH_ROLE_KEYS is not a dict: the azure branch's lookup raises",
						Log:    LogUserInfo + fmt.Sprintf("'%s' object has no attribute 'get'", pyType(s.Value)), Message: MsgInvalidLogin})
				}
			}
		}
	case "generic", "auth0":
		if !ds.pr.RemoteHas("server_metadata_url") && !ds.pr.RemoteHas("userinfo_endpoint") {
			check := "CFG011"
			if ds.branch == "auth0" {
				check = "CFG005"
			}
			ds.block(Refusal{Stage: "userinfo", Check: check, Line: ds.pr.RemoteLine(""),
				Reason: "this branch calls authlib's userinfo(), which needs userinfo_endpoint in the server metadata (usually from server_metadata_url); remote_app has neither",
				Log:    LogUserInfo + "'userinfo_endpoint'", Message: MsgInvalidLogin})
		}
	case "authentik":
		if v, _, _ := ds.pr.VerifySignature(true); v && !ds.pr.RemoteHas("jwks_uri") && !ds.pr.RemoteHas("server_metadata_url") {
			ds.block(Refusal{Stage: "userinfo", Check: "CFG005", Line: ds.pr.RemoteLine(""),
				Reason: "authentik verifies the id_token (verify_signature defaults to True) and needs jwks_uri in the server metadata: FAB logs \"jwks_uri not specified in OAuth Providers, could not verify token signature\"",
				Log:    LogUserInfo + "OAuth signature verify failed", Message: MsgInvalidLogin})
		}
	}
	if ds.branch == "azure" {
		v, known, _ := ds.pr.VerifySignature(ds.p.AzureVerifyDefault)
		ds.azureVerify = v && known && !ds.p.AzureUnverifiedOnly
		if ds.p.AzureTenantPinning && ds.azureVerify {
			ds.tenant = ResolveAzureTenant(ds.p, ds.pr)
			if ds.tenant.Chosen == nil {
				line := ds.pr.RemoteLine("")
				if len(ds.tenant.Candidates) > 0 {
					line = ds.tenant.Candidates[0].Line
				}
				ds.block(Refusal{Stage: "userinfo", Check: "CFG015", Line: line, Fix: "Set client_kwargs \"tenant_id\" to the tenant GUID, or use tenant-specific endpoint URLs.",
					Reason: ds.tenant.Error + " (raised before any key or metadata request)",
					Log:    LogUserInfo + "AzureTenantResolutionError: …tenant could not be determined…", Message: MsgInvalidLogin})
			}
		}
	}
}

// userData: what the token says before any branch reads it (ROL008).
func (ds *sim) userData() {
	if !ds.simulated {
		if v, ok := ds.claims["_claim_names"]; ok {
			if d, ok := v.(map[string]any); ok {
				if _, g := d["groups"]; g {
					ds.issue("ROL008", "the token carries a groups overage marker (_claim_names.groups): Entra left the groups out of the token", 0)
				}
			}
		}
		if v, ok := ds.claims["hasgroups"]; ok {
			if t, _ := Truthy(v); t {
				ds.issue("ROL008", "the token carries hasgroups: true: Entra left the groups out of the token", 0)
			}
		}
	}
}

// userInfo: the built-in branch's get_oauth_user_info (spec §2.3).
func (ds *sim) userInfo() {
	azureRoleClaim := "roles"
	if ds.p.AzureRoleKeysSetting {
		if s, ok := ds.cfg.Get("AUTH_OAUTH_ROLE_KEYS"); ok {
			if d, ok := s.Value.(*Dict); ok {
				if v, ok := d.Get("azure"); ok {
					if str, ok := Str(v); ok {
						azureRoleClaim = str
					}
				}
			}
		}
	}
	ds.mapped = MapUserInfo(ds.p, MapInput{Name: ds.pr.Name, Data: ds.claims, AzureRoleClaim: azureRoleClaim})
	ds.res.Branch, ds.res.DataSource, ds.res.FromAPI, ds.res.RoleClaim = ds.mapped.Branch, ds.mapped.Source, ds.mapped.FromAPI, ds.mapped.RoleClaim
	if ds.mapped.Branch == "" {
		ds.res.Branch = "none"
	}
	ds.res.Notes = append(ds.res.Notes, ds.mapped.Notes...)
	if !ds.simulated {
		ds.unreadRoleClaims()
	}
	if ds.mapped.FromAPI && !ds.simulated && !ds.in.APIAnswer {
		ds.note("the %s branch gets its data from %s, not from the token: the token's claims stood in for that answer (pass the API's JSON with --claims @FILE.json to be exact)", ds.res.Branch, strings.TrimPrefix(ds.mapped.Source, "GET "))
	}

	ds.ui = ds.mapped.UserInfo
	if ds.simulated {
		ds.ui = NewDict(0)
		ds.ui.Set("username", "dry-run-user", 0)
		ds.ui.Set("email", "", 0)
		ds.ui.Set("role_keys", stringsToAny(ds.in.RoleKeys), 0)
		ds.note("no token or claims were given: a user whose role keys are %s is simulated; the claims the %s branch requires are not checked", Repr(ds.in.RoleKeys), ds.res.Branch)
	} else if ds.mapped.Refusal != nil {
		ds.userRefusal = ds.mapped.Refusal
		if strings.Contains(ds.mapped.Refusal.Log, "'") {
			ds.issue("ROL006", "login refused: "+ds.mapped.Refusal.Log+" → "+ds.mapped.Refusal.Message, 0, withEv("reason", ds.mapped.Refusal.Reason))
		} else {
			ds.issue("ROL006", "login refused: "+ds.mapped.Refusal.Reason, 0)
		}
	} else if ds.in.RoleKeysSet {
		ds.ui.Set("role_keys", stringsToAny(ds.in.RoleKeys), 0)
		ds.note("role_keys replaced by --role-key: %s", Repr(ds.in.RoleKeys))
	}

}

// azurePins: the 2026 Azure issuer and audience pinning (spec §8.2 step
// 5).
func (ds *sim) azurePins() {
	if ds.userRefusal == nil && !ds.simulated && ds.branch == "azure" {
		switch {
		case ds.p.AzureUnverifiedOnly:
			ds.note("this flavour decodes the azure id_token without any check (no signature, expiry, issuer or audience)")
		case !ds.azureVerify:
			ds.note("verify_signature is off: the id_token is decoded without checking signature, issuer, audience or expiry")
		case ds.p.AzureTenantPinning && ds.tenant.Chosen != nil:
			if r := checkAzurePins(ds.pr, ds.tenant, ds.claims, ds.note); r != nil {
				ds.userRefusal = r
				ds.issue("ROL006", "login refused: "+r.Log+" → "+r.Message, 0, withEv("reason", r.Reason))
			}
		default:
			ds.note("verify_signature is on: FAB checks the signature against https://login.microsoftonline.com/common/discovery/keys and the time claims only (no issuer or audience check); this dry-run does not verify signatures")
		}
		if looksLikeAccessToken(ds.claims) {
			ds.note("this looks like an access token (scp or a Graph audience): the azure branch reads the id_token of the token response")
		}
	}

}

// whitelist: the provider's email whitelist (spec §1.3).
func (ds *sim) whitelist() {
	if ds.userRefusal == nil && ds.ui != nil && ds.pr.Entry != nil {
		if wl, ok := ds.pr.Entry.Get("whitelist"); ok {
			if _, has := ds.ui.Get("email"); !has && ds.p.WhitelistEmailKeyError {
				// v3.0.0–v3.3.2:views: re.search(e, userinfo["email"])
				// runs outside the try.
				r := crash("the "+ds.res.Branch+" branch returns no email and the whitelist of "+ds.p.Title+" reads userinfo[\"email\"] unguarded (fixed in 3.3.3)", "KeyError: 'email'")
				r.Stage, r.Line = "whitelist", ds.pr.EntryLine("whitelist")
				ds.userRefusal = r
				ds.issue("ROL006", "login fails: "+r.Reason+" → "+r.Message, r.Line)
				return
			}
			if r := checkWhitelist(ds.p, wl, ds.ui, ds.note); r != nil {
				r.Line = ds.pr.EntryLine("whitelist")
				ds.userRefusal = r
				ds.issue("ROL006", "login refused: the email is not on the provider's whitelist → "+r.Message, r.Line, withEv("reason", r.Reason))
			}
		}
	}

}

// authUser: auth_user_oauth (spec §3.1): username, registration.
func (ds *sim) authUser() {
	ds.res.User = "new"
	if ds.in.Existing != nil {
		ds.res.User = "existing"
	}
	var syncKnown, regKnown bool
	ds.sync, syncKnown = ds.cfg.Sync()
	if ds.p.PreRolesMapping {
		// v3.0.0–v3.1.x:manager: auth_user_oauth never touches an
		// existing user's roles.
		if ds.sync {
			ds.note("AUTH_ROLES_SYNC_AT_LOGIN is not read by %s (it exists from Flask-AppBuilder 3.2.0): an existing user's roles never change at login", ds.p.Title)
		}
		ds.sync, syncKnown = false, true
	}
	ds.res.Sync = ds.sync
	ds.reg, regKnown = ds.cfg.Registration()
	if !regKnown {
		ds.note("AUTH_USER_REGISTRATION could not be resolved statically: assumed on")
		ds.reg = true
	}
	if !syncKnown {
		ds.note("AUTH_ROLES_SYNC_AT_LOGIN could not be resolved statically: assumed off")
	}
	ds.known = ds.cfg.KnownRoles(ds.p, ds.in.Roles)
	if ds.userRefusal == nil && ds.ui != nil {
		ds.res.UserInfo = ds.ui
		username, r := usernameOf(ds.p, ds.ui, ds.in.Existing == nil, ds.note)
		ds.res.Username = username
		switch {
		case r != nil:
			ds.userRefusal = r
			ds.issue("ROL006", "login refused: "+r.Reason, 0)
		case ds.in.Existing != nil && ds.in.Existing.Inactive:
			ds.userRefusal = &Refusal{Stage: "login", Check: "ROL006", Reason: "the user exists but is inactive", Message: MsgInvalidLogin}
			ds.issue("ROL006", "login refused: the user exists but is inactive", 0)
		case ds.in.Existing == nil && !ds.reg:
			l := ds.cfg.Line("AUTH_USER_REGISTRATION")
			ds.userRefusal = &Refusal{Stage: "login", Check: "ROL006", Line: l,
				Reason:  "AUTH_USER_REGISTRATION is off and this user does not exist yet: FAB never creates OAuth users then",
				Message: MsgInvalidLogin}
			ds.issue("ROL006", "login refused: AUTH_USER_REGISTRATION is off and the user "+Repr(username)+" does not exist yet", l,
				withFix("Set AUTH_USER_REGISTRATION = True with a safe AUTH_USER_REGISTRATION_ROLE, or create the user first (airflow users create / the UI) with that exact username."))
		}
	} else if ds.ui == nil {
		ds.res.UserInfo = nil
	} else {
		ds.res.UserInfo = ds.ui
	}

}

// roles: the role computation, which runs whenever the user-info is known,
// so that the roles "once fixed" can be shown even when a blocker stops
// the login.
func (ds *sim) roles() {
	var calc []string
	var calcErr *Refusal
	if ds.res.UserInfo != nil {
		calc, calcErr = ds.calculate()
	}
	ds.res.Computed = nonNil(calc)
	if calcErr != nil && ds.userRefusal == nil {
		ds.userRefusal = calcErr
	}
	if rg := ds.res.Registration; ds.p.PreRolesMapping && ds.in.Existing == nil && ds.userRefusal == nil && rg != nil && rg.missing {
		// v3.0.0–v3.1.x: add_user(role=find_role(name)) appends None to
		// user.roles, which fails: add_user returns False.
		ds.userRefusal = &Refusal{Stage: "login", Check: "ROL006", Reason: fmt.Sprintf("%s adds a new user with exactly the registration role, and %s does not exist: add_user fails", ds.p.Title, Repr(rg.Value)),
			Log: "Error creating a new OAuth user " + ds.res.Username, Message: MsgInvalidLogin}
		ds.issue("ROL006", "login refused: "+ds.userRefusal.Reason, registrationLine(ds.cfg))
	}

	final := calc
	if ds.in.Existing != nil && !ds.sync {
		final = append([]string{}, ds.in.Existing.Roles...)
		if len(calc) > 0 || len(ds.in.Existing.Roles) > 0 {
			ds.note("existing user with AUTH_ROLES_SYNC_AT_LOGIN off: the roles stay %s whatever the token says (with sync on they would become %s)", Repr(ds.in.Existing.Roles), Repr(nonNil(calc)))
		}
	} else if ds.in.Existing != nil && ds.sync {
		ds.note("existing user with AUTH_ROLES_SYNC_AT_LOGIN on: the roles are replaced by %s (roles granted by hand are lost)", Repr(nonNil(calc)))
	}
	ds.res.Roles = nonNil(final)

}

// outcome: granted, no access or refused, and the permissions shown.
func (ds *sim) outcome() {
	switch {
	case len(ds.res.Blockers) == 0 && ds.userRefusal == nil && ds.unknown != nil:
		ds.unknownOutcome()
		return
	case len(ds.res.Blockers) > 0:
		ds.res.Outcome = Refused
		b := ds.res.Blockers[0]
		ds.res.Refusal = &b
		ds.res.RolesIfFixed = ds.userRefusal == nil
		if ds.userRefusal != nil {
			ds.res.Roles = []string{}
		}
	case ds.userRefusal != nil:
		ds.res.Outcome = Refused
		ds.res.Refusal = ds.userRefusal
		ds.res.Roles = []string{}
	default:
		if noPermissions(ds.cfg, ds.p, ds.res.Roles) {
			ds.res.Outcome = NoAccess
			what := "no role"
			if len(ds.res.Roles) > 0 {
				what = "only " + strings.Join(ds.res.Roles, ", ") + ", which has no permissions"
			}
			msg := "the user logs in with " + what + ": "
			if ds.p.Airflow {
				msg += "every page answers 403 \"" + MsgNoRoles + "\""
			} else {
				msg += "every view is denied (FAB flashes \"Access is Denied\"; with only Public a redirect loop, ERR_TOO_MANY_REDIRECTS, is reported)"
			}
			ds.issue("ROL003", msg, ds.cfg.Line("AUTH_ROLES_MAPPING"))
			if ds.p.Flavor == Airflow3 && ds.in.Existing != nil {
				ds.note("newer FAB providers also give the roles of the user's FAB groups; an existing user in a group could still have access (not modelled)")
			}
		} else {
			ds.res.Outcome = Granted
		}
	}
	switch {
	case ds.res.Outcome != Refused || ds.res.RolesIfFixed:
		ds.res.Permissions = PermissionsOf(ds.p, ds.cfg, ds.res.Roles)
		ds.res.PermissionsOf = "roles"
	case len(ds.res.Computed) > 0:
		// Refused for this user, but show what the mapping gives.
		ds.res.Permissions = PermissionsOf(ds.p, ds.cfg, ds.res.Computed)
		ds.res.PermissionsOf = "computed"
	default:
		ds.res.Permissions = []RolePermissions{}
	}
}

// unreadRoleClaims: the token carries roles or groups the mapping would
// match, in a claim the branch does not read (ROL004): Keycloak realm or
// client roles while the keycloak branch reads groups; Entra groups while
// the azure branch reads the roles claim.
func (ds *sim) unreadRoleClaims() {
	ms, ok := ds.cfg.Get("AUTH_ROLES_MAPPING")
	d, isDict := ms.Value.(*Dict)
	if !ok || !isDict || len(d.Keys) == 0 {
		return
	}
	var have []string
	var msg, fix string
	switch {
	case strings.HasPrefix(ds.mapped.Branch, "keycloak") && ds.claims["groups"] == nil:
		have = keycloakRoles(ds.claims)
		msg = fmt.Sprintf("the token carries Keycloak roles %s under realm_access/resource_access, but the keycloak branch reads only the groups claim: AUTH_ROLES_MAPPING never sees them", Repr(stringsToAny(have)))
		fix = "Add a \"Group Membership\" mapper (claim name groups, full group path off) to the client's dedicated scope and put the users in groups named like the mapping keys, or a User Realm Role mapper with token claim name groups."
	case ds.mapped.Branch == "azure" && ds.mapped.RoleClaim == "roles":
		have = stringList(ds.claims["groups"])
		msg = fmt.Sprintf("the token carries groups %s, but the azure branch compares the mapping with the roles claim (app roles), so groups never match", Repr(stringsToAny(have)))
		fix = "Map the app role values (assign app roles to the groups in Entra), or, on the Airflow 3 FAB provider ≥ 3.3, set AUTH_OAUTH_ROLE_KEYS = {\"azure\": \"groups\"}."
	}
	var hit []string
	for _, r := range have {
		if _, ok := d.Get(r); ok {
			hit = append(hit, r)
		}
	}
	switch {
	case len(have) == 0:
		return
	case len(hit) > 0:
		msg += fmt.Sprintf(" (mapping keys %s would have matched)", strings.Join(quoteAll(hit), ", "))
	case ds.mapped.Branch == "azure":
		return // groups the mapping does not name either: nothing lost
	}
	ds.issue("ROL004", msg, ms.Line, withFix(fix))
}

// stringList is a claim's strings (a list, or one string).
func stringList(v any) []string {
	var out []string
	if s, ok := v.(string); ok {
		return []string{s}
	}
	if l, ok := list(v); ok {
		for _, e := range l {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// uncaughtAuthorize is what an authlib error at the token exchange does:
// before Flask-AppBuilder 3.4.3 it escapes oauth_authorized (v3.4.3:views
// adds the try), so the user gets HTTP 500 and no FAB log line.
func uncaughtAuthorize(p Profile, r Refusal) Refusal {
	if p.AuthorizeUncaught {
		r.Reason += "; " + p.Title + " does not catch it (the try around authorize_access_token comes in 3.4.3)"
		r.Log = "(a traceback: " + strings.TrimPrefix(r.Log, LogAuthorize) + ")"
		r.Message = "Internal Server Error (HTTP 500)"
	}
	return r
}
