package fab

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/jmespath/go-jmespath"
)

// ExistingUser describes a returning user (--existing-user).
type ExistingUser struct {
	Roles    []string
	Inactive bool
}

// SimInput is the input of the dry-run.
type SimInput struct {
	// Provider is the provider name ("" = the only one, or the one whose
	// client_id is the token's aud).
	Provider string
	// Claims are the token's claims or the API JSON (nil when only role
	// keys are given). Numbers may be json.Number.
	Claims map[string]any
	// ClaimsSource says where the claims came from, for the report.
	ClaimsSource string
	// RoleKeys replace role_keys when RoleKeysSet (--role-key).
	RoleKeys    []string
	RoleKeysSet bool
	// Existing simulates a returning user (nil = a new user).
	Existing *ExistingUser
	// ExtraRoles exist in the database besides the built-ins (--role).
	ExtraRoles []string
	// BaseURL is the app's public URL (for the callback prediction).
	BaseURL string
	// SyntaxErrors of the config file: the app does not start.
	SyntaxErrors []SyntaxError
}

// Match is one AUTH_ROLES_MAPPING key that matched, or nearly matched,
// the user's role keys.
type Match struct {
	Key string `json:"key"`
	// Kind is "exact", or for near misses "case", "whitespace" or
	// "case and whitespace" (FAB compares exact strings: near misses do not
	// match).
	Kind string `json:"kind"`
	// Value is the user's role key it was compared with.
	Value   string   `json:"value"`
	Targets []string `json:"targets"`
	// Added are the target roles that exist and were given; Missing the
	// ones FAB skips ("Can't find role specified in AUTH_ROLES_MAPPING").
	Added   []string `json:"added,omitempty"`
	Missing []string `json:"missing,omitempty"`
	Line    int      `json:"line,omitempty"`
}

// Registration is what AUTH_USER_REGISTRATION(_ROLE[_JMESPATH]) gives.
type Registration struct {
	Enabled bool `json:"enabled"`
	// Source is where the role name comes from.
	Source     string `json:"source"`
	Expression string `json:"expression,omitempty"`
	// Value is the role name or the JMESPath result.
	Value  any  `json:"value"`
	Exists bool `json:"exists"`
	Added  bool `json:"added"`
	// Applied is false when registration is off (the role is then never
	// added, not even during sync).
	Applied bool   `json:"applied"`
	Note    string `json:"note,omitempty"`
}

// Outcomes of a login.
const (
	Granted  = "granted"
	NoAccess = "no-access"
	Refused  = "refused"
)

// Result is the dry-run: JSON `result` of `authdoctor roles`.
type Result struct {
	Flavor       Flavor `json:"flavor"`
	FlavorTitle  string `json:"flavorTitle"`
	FlavorReason string `json:"flavorReason"`
	Provider     string `json:"provider"`
	Branch       string `json:"branch"`
	DataSource   string `json:"dataSource"`
	// FromAPI: the branch reads an HTTP API; the token or --claims stood in
	// for its answer.
	FromAPI      bool   `json:"fromApi"`
	ClaimsSource string `json:"claimsSource"`
	RoleClaim    string `json:"roleClaim,omitempty"`
	// UserInfo is the dict FAB builds (nil when the branch raised).
	UserInfo *Dict `json:"userinfo"`
	// Username is what auth_user_oauth looks the user up by.
	Username string `json:"username,omitempty"`
	// User is "new" or "existing".
	User    string `json:"user"`
	Sync    bool   `json:"syncAtLogin"`
	Outcome string `json:"outcome"`
	// Refusal is the first thing that stops this login.
	Refusal *Refusal `json:"refusal,omitempty"`
	// Blockers are config problems that stop every login, whatever the
	// user.
	Blockers []Refusal `json:"blockers,omitempty"`
	// Roles are the final roles. When RolesIfFixed, they are the roles this
	// user gets once the blockers are fixed.
	Roles        []string `json:"roles"`
	RolesIfFixed bool     `json:"rolesIfFixed,omitempty"`
	// Computed are the roles the mapping/registration would give (equal to
	// Roles except for an existing user with sync off).
	Computed     []string          `json:"computed"`
	Matched      []Match           `json:"matched"`
	Registration *Registration     `json:"registration"`
	Permissions  []RolePermissions `json:"permissions"`
	// PermissionsOf says whose permissions are listed: "roles" (the final
	// roles, or those once fixed) or "computed" (the login is refused for
	// this user; the roles the mapping gives).
	PermissionsOf string    `json:"permissionsOf,omitempty"`
	Callback      *Callback `json:"callback,omitempty"`
	Notes         []string  `json:"notes"`
	// Issues are findings for the report.
	Issues []Issue `json:"-"`
}

// BlockerIssues are the ROL006 findings of a dry-run refused for every
// user by a config problem. They are for a report in which the config's
// own checks did not run (roles); doctor's lint stage reports each cause
// under its own check.
func (r *Result) BlockerIssues(file string) []Issue {
	var out []Issue
	for _, b := range r.Blockers {
		msg := "every login fails before roles are computed: " + b.Reason
		if b.Log != "" {
			msg += " (logs \"" + b.Log + "\")"
		}
		fix := b.Fix
		if fix == "" {
			fix = "Fix the config problem " + b.Check + " describes (authdoctor explain " + b.Check + "; authdoctor lint shows it)."
		}
		out = append(out, Issue{ID: "ROL006", Message: msg + "; see " + b.Check, File: file, Line: max(b.Line, 1), Fix: fix})
	}
	return out
}

// SimError is a problem with the dry-run's input (not with the config):
// the command reports it as a usage error.
type SimError struct{ Msg string }

func (e *SimError) Error() string { return e.Msg }

// Simulate runs FAB's OAuth login for one user, statically (spec §2.1
// callback order, §2.3 user-info, §3.4 roles, §8.6 for the 2026 Azure
// flavour).
func Simulate(cfg *Config, p Profile, in SimInput) (*Result, error) {
	res := &Result{Flavor: p.Flavor, FlavorTitle: p.Title, FlavorReason: p.Reason,
		Matched: []Match{}, Roles: []string{}, Computed: []string{}, Notes: []string{}}
	file := cfg.File
	issue := func(id, msg string, line int, opts ...func(*Issue)) {
		if line <= 0 {
			line = 1
		}
		is := Issue{ID: id, Message: msg, File: file, Line: line}
		for _, o := range opts {
			o(&is)
		}
		res.Issues = append(res.Issues, is)
	}
	note := func(format string, a ...any) { res.Notes = append(res.Notes, fmt.Sprintf(format, a...)) }
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

	// ---- user-independent blockers (spec §2.1 order) ----
	synthetic := pr.Entry == nil
	if synthetic {
		note("the config defines no provider %q: the %s branch is simulated alone, without checks of a provider entry", pr.Name, pr.Name)
	}
	block := func(r Refusal) {
		if synthetic && r.Check != "CFG001" && r.Check != "CFG003" {
			return // no provider entry: nothing of it to blame
		}
		r.UserIndependent = true
		res.Blockers = append(res.Blockers, r)
	}
	for _, se := range in.SyntaxErrors {
		block(Refusal{Stage: "config", Check: "CFG001", Line: se.Line, Fix: fmt.Sprintf("Fix the syntax error at line %d, column %d.", se.Line, se.Col),
			Reason:  fmt.Sprintf("the file does not parse (line %d:%d: %s): the webserver fails at start-up, so nobody can sign in; the rest of this dry-run uses what could be read", se.Line, se.Col, se.Msg),
			Message: "(the web server does not start: the page does not load)"})
		break
	}
	if at, known, present := cfg.AuthType(); known && at != AuthOAuth {
		why := "AUTH_TYPE is " + AuthTypeName(at)
		if !present {
			why = "AUTH_TYPE is not set (default AUTH_DB)"
		}
		block(Refusal{Stage: "config", Check: "CFG003", Line: cfg.Line("AUTH_TYPE"), Fix: "Set AUTH_TYPE = AUTH_OAUTH.",
			Reason:  why + ": OAUTH_PROVIDERS is ignored and the login page offers no OAuth sign-in",
			Message: "(no OAuth sign-in: the login page asks for a user name and password)"})
	}
	if pr.OAuth1() && pr.Name != "twitter" {
		block(Refusal{Stage: "authorize", Check: "CFG005", Line: pr.RemoteLine("request_token_url"), Fix: "Remove request_token_url or set it to None.",
			Reason:  "a truthy request_token_url makes authlib build an OAuth 1 client for an OAuth 2 provider",
			Message: "(the sign-in breaks when it starts; the exact page is unconfirmed)"})
	}
	if pr.ScopeKnown && pr.HasScope("openid") && !pr.HasKeySource() {
		block(Refusal{Stage: "authorize", Check: "CFG004", Line: pr.KwargLine("scope"), Fix: "Add server_metadata_url (the provider's /.well-known/openid-configuration) to remote_app.",
			Reason: "the openid scope makes authlib (≥ 1.0) parse the id_token, and remote_app has no server_metadata_url, jwks_uri or jwks",
			Log:    LogAuthorize + `Missing "jwks_uri" in metadata`, Message: MsgDenied})
	}
	if key, _, known := pr.TokenKey(); known && !pr.OAuth1() && !tokenResponseHas(pr, key) {
		block(Refusal{Stage: "userinfo", Check: "CFG005", Line: pr.EntryLine("token_key"), Fix: "Add \"token_key\": \"access_token\" to the provider entry.",
			Reason: fmt.Sprintf("token_key is %q, a key an OAuth 2 token response does not have: set_oauth_session raises KeyError", key),
			Log:    LogUserInfo + "'" + key + "'", Message: MsgInvalidLogin})
	}
	branch := pr.Name
	if !p.HasBranch(branch) && p.Unknown == UnknownGeneric {
		branch = "generic"
	}
	switch branch {
	case "azure":
		if pr.ScopeKnown && !pr.HasScope("openid") && AzureEndpointVersion(pr) == "v2" {
			block(Refusal{Stage: "userinfo", Check: "CFG014", Line: scopeLine(pr), Fix: "Request \"openid email profile\" in client_kwargs scope (with server_metadata_url in remote_app).",
				Reason: "the v2.0 endpoints return an id_token only when the openid scope is requested, and the azure branch reads resp[\"id_token\"]",
				Log:    LogUserInfo + "'id_token'", Message: MsgInvalidLogin})
		}
		if p.AzureRoleKeysSetting {
			if s, ok := cfg.Get("AUTH_OAUTH_ROLE_KEYS"); ok && s.Value != nil {
				if _, isDict := s.Value.(*Dict); !isDict && !Unknown(s.Value) {
					block(Refusal{Stage: "userinfo", Check: "ROL002", Line: s.Line,
						Reason: "AUTH_OAUTH_ROLE_KEYS is not a dict: the azure branch's lookup raises",
						Log:    LogUserInfo + fmt.Sprintf("'%s' object has no attribute 'get'", pyType(s.Value)), Message: MsgInvalidLogin})
				}
			}
		}
	case "generic", "auth0":
		if !pr.RemoteHas("server_metadata_url") && !pr.RemoteHas("userinfo_endpoint") {
			check := "CFG011"
			if branch == "auth0" {
				check = "CFG005"
			}
			block(Refusal{Stage: "userinfo", Check: check, Line: pr.RemoteLine(""),
				Reason: "this branch calls authlib's userinfo(), which needs userinfo_endpoint in the server metadata (usually from server_metadata_url); remote_app has neither",
				Log:    LogUserInfo + "'userinfo_endpoint'", Message: MsgInvalidLogin})
		}
	case "authentik":
		if v, _, _ := pr.VerifySignature(true); v && !pr.RemoteHas("jwks_uri") && !pr.RemoteHas("server_metadata_url") {
			block(Refusal{Stage: "userinfo", Check: "CFG005", Line: pr.RemoteLine(""),
				Reason: "authentik verifies the id_token (verify_signature defaults to True) and needs jwks_uri in the server metadata: FAB logs \"jwks_uri not specified in OAuth Providers, could not verify token signature\"",
				Log:    LogUserInfo + "OAuth signature verify failed", Message: MsgInvalidLogin})
		}
	}
	var tenant TenantResolution
	azureVerify := false
	if branch == "azure" {
		v, known, _ := pr.VerifySignature(p.AzureVerifyDefault)
		azureVerify = v && known && !p.AzureUnverifiedOnly
		if p.AzureTenantPinning && azureVerify {
			tenant = ResolveAzureTenant(p, pr)
			if tenant.Chosen == nil {
				line := pr.RemoteLine("")
				if len(tenant.Candidates) > 0 {
					line = tenant.Candidates[0].Line
				}
				block(Refusal{Stage: "userinfo", Check: "CFG015", Line: line, Fix: "Set client_kwargs \"tenant_id\" to the tenant GUID, or use tenant-specific endpoint URLs.",
					Reason: tenant.Error + " (raised before any key or metadata request)",
					Log:    LogUserInfo + "AzureTenantResolutionError: …tenant could not be determined…", Message: MsgInvalidLogin})
			}
		}
	}
	if n, s, ok := cfg.CustomSecurityManager(); ok {
		note("a custom security manager is configured (%s, line %d): its get_oauth_user_info may differ from the built-in mapping shown here", n, s.Line)
	}

	// ---- the user's data ----
	claims := in.Claims
	simulated := claims == nil
	if simulated {
		claims = map[string]any{}
	}
	if !simulated {
		if v, ok := claims["_claim_names"]; ok {
			if d, ok := v.(map[string]any); ok {
				if _, g := d["groups"]; g {
					issue("ROL008", "the token carries a groups overage marker (_claim_names.groups): Entra left the groups out of the token", 0)
				}
			}
		}
		if v, ok := claims["hasgroups"]; ok {
			if t, _ := Truthy(v); t {
				issue("ROL008", "the token carries hasgroups: true: Entra left the groups out of the token", 0)
			}
		}
	}
	azureRoleClaim := "roles"
	if p.AzureRoleKeysSetting {
		if s, ok := cfg.Get("AUTH_OAUTH_ROLE_KEYS"); ok {
			if d, ok := s.Value.(*Dict); ok {
				if v, ok := d.Get("azure"); ok {
					if str, ok := Str(v); ok {
						azureRoleClaim = str
					}
				}
			}
		}
	}
	mapped := MapUserInfo(p, MapInput{Name: pr.Name, Data: claims, AzureRoleClaim: azureRoleClaim})
	res.Branch, res.DataSource, res.FromAPI, res.RoleClaim = mapped.Branch, mapped.Source, mapped.FromAPI, mapped.RoleClaim
	if mapped.Branch == "" {
		res.Branch = "none"
	}
	res.Notes = append(res.Notes, mapped.Notes...)
	if strings.HasPrefix(mapped.Branch, "keycloak") && !simulated {
		if kr := keycloakRoles(claims); len(kr) > 0 {
			if _, hasGroups := claims["groups"]; !hasGroups {
				if ms, ok := cfg.Get("AUTH_ROLES_MAPPING"); ok {
					if d, ok := ms.Value.(*Dict); ok && len(d.Keys) > 0 {
						var hit []string
						for _, r := range kr {
							if _, ok := d.Get(r); ok {
								hit = append(hit, r)
							}
						}
						msg := fmt.Sprintf("the token carries Keycloak roles %s under realm_access/resource_access, but the keycloak branch reads only the groups claim: AUTH_ROLES_MAPPING never sees them", Repr(stringsToAny(kr)))
						if len(hit) > 0 {
							msg += fmt.Sprintf(" (mapping keys %s would have matched)", strings.Join(quoteAll(hit), ", "))
						}
						issue("ROL004", msg, ms.Line, withFix("Add a \"Group Membership\" mapper (claim name groups, full group path off) to the client's dedicated scope and put the users in groups named like the mapping keys, or a User Realm Role mapper with token claim name groups."))
					}
				}
			}
		}
	}
	if mapped.FromAPI && !simulated {
		note("the %s branch gets its data from %s, not from the token: the token's claims stood in for that answer (pass the API's JSON with --claims @FILE.json to be exact)", res.Branch, strings.TrimPrefix(mapped.Source, "GET "))
	}

	var userRefusal *Refusal
	ui := mapped.UserInfo
	if simulated {
		ui = NewDict(0)
		ui.Set("username", "dry-run-user", 0)
		ui.Set("email", "", 0)
		ui.Set("role_keys", stringsToAny(in.RoleKeys), 0)
		note("no token or claims were given: a user whose role keys are %s is simulated; the claims the %s branch requires are not checked", Repr(in.RoleKeys), res.Branch)
	} else if mapped.Refusal != nil {
		userRefusal = mapped.Refusal
		if strings.Contains(mapped.Refusal.Log, "'") {
			issue("ROL006", "login refused: "+mapped.Refusal.Log+" → "+mapped.Refusal.Message, 0, withEv("reason", mapped.Refusal.Reason))
		} else {
			issue("ROL006", "login refused: "+mapped.Refusal.Reason, 0)
		}
	} else if in.RoleKeysSet {
		ui.Set("role_keys", stringsToAny(in.RoleKeys), 0)
		note("role_keys replaced by --role-key: %s", Repr(in.RoleKeys))
	}

	// Azure 2026: issuer and audience pinning (spec §8.2 step 5).
	if userRefusal == nil && !simulated && branch == "azure" {
		switch {
		case p.AzureUnverifiedOnly:
			note("this flavour decodes the azure id_token without any check (no signature, expiry, issuer or audience)")
		case !azureVerify:
			note("verify_signature is off: the id_token is decoded without checking signature, issuer, audience or expiry")
		case p.AzureTenantPinning && tenant.Chosen != nil:
			if r := checkAzurePins(pr, tenant, claims, note); r != nil {
				userRefusal = r
				issue("ROL006", "login refused: "+r.Log+" → "+r.Message, 0, withEv("reason", r.Reason))
			}
		default:
			note("verify_signature is on: FAB checks the signature against https://login.microsoftonline.com/common/discovery/keys and the time claims only (no issuer or audience check); this dry-run does not verify signatures")
		}
		if looksLikeAccessToken(claims) {
			note("this looks like an access token (scp or a Graph audience): the azure branch reads the id_token of the token response")
		}
	}

	// Whitelist (spec §1.3).
	if userRefusal == nil && ui != nil && pr.Entry != nil {
		if wl, ok := pr.Entry.Get("whitelist"); ok {
			if r := checkWhitelist(p, wl, ui, note); r != nil {
				r.Line = pr.EntryLine("whitelist")
				userRefusal = r
				issue("ROL006", "login refused: the email is not on the provider's whitelist → "+r.Message, r.Line, withEv("reason", r.Reason))
			}
		}
	}

	// ---- auth_user_oauth (spec §3.1) ----
	res.User = "new"
	if in.Existing != nil {
		res.User = "existing"
	}
	sync, syncKnown := cfg.Sync()
	res.Sync = sync
	reg, regKnown := cfg.Registration()
	if !regKnown {
		note("AUTH_USER_REGISTRATION could not be resolved statically: assumed on")
		reg = true
	}
	if !syncKnown {
		note("AUTH_ROLES_SYNC_AT_LOGIN could not be resolved statically: assumed off")
	}
	dbRoles := cfg.DBRoles(p, in.ExtraRoles)
	if userRefusal == nil && ui != nil {
		res.UserInfo = ui
		username, r := usernameOf(ui)
		res.Username = username
		switch {
		case r != nil:
			userRefusal = r
			issue("ROL006", "login refused: "+r.Reason, 0)
		case in.Existing != nil && in.Existing.Inactive:
			userRefusal = &Refusal{Stage: "login", Check: "ROL006", Reason: "the user exists but is inactive", Message: MsgInvalidLogin}
			issue("ROL006", "login refused: the user exists but is inactive", 0)
		case in.Existing == nil && !reg:
			l := cfg.Line("AUTH_USER_REGISTRATION")
			userRefusal = &Refusal{Stage: "login", Check: "ROL006", Line: l,
				Reason:  "AUTH_USER_REGISTRATION is off and this user does not exist yet: FAB never creates OAuth users then",
				Message: MsgInvalidLogin}
			issue("ROL006", "login refused: AUTH_USER_REGISTRATION is off and the user "+Repr(username)+" does not exist yet", l,
				withFix("Set AUTH_USER_REGISTRATION = True with a safe AUTH_USER_REGISTRATION_ROLE, or create the user first (airflow users create / the UI) with that exact username."))
		}
	} else if ui == nil {
		res.UserInfo = nil
	} else {
		res.UserInfo = ui
	}

	// Role computation runs whenever the user-info is known, so that the
	// roles "once fixed" can be shown even when a blocker stops the login.
	var calc []string
	var calcErr *Refusal
	if res.UserInfo != nil {
		calc, calcErr = computeRoles(cfg, p, ui, reg, dbRoles, res, issue, note)
	}
	res.Computed = nonNil(calc)
	if calcErr != nil && userRefusal == nil {
		userRefusal = calcErr
	}

	final := calc
	if in.Existing != nil && !sync {
		final = append([]string{}, in.Existing.Roles...)
		if len(calc) > 0 || len(in.Existing.Roles) > 0 {
			note("existing user with AUTH_ROLES_SYNC_AT_LOGIN off: the roles stay %s whatever the token says (with sync on they would become %s)", Repr(in.Existing.Roles), Repr(nonNil(calc)))
		}
	} else if in.Existing != nil && sync {
		note("existing user with AUTH_ROLES_SYNC_AT_LOGIN on: the roles are replaced by %s (roles granted by hand are lost)", Repr(nonNil(calc)))
	}
	res.Roles = nonNil(final)

	// ---- outcome ----
	switch {
	case len(res.Blockers) > 0:
		res.Outcome = Refused
		b := res.Blockers[0]
		res.Refusal = &b
		res.RolesIfFixed = userRefusal == nil
		if userRefusal != nil {
			res.Roles = []string{}
		}
	case userRefusal != nil:
		res.Outcome = Refused
		res.Refusal = userRefusal
		res.Roles = []string{}
	default:
		if noPermissions(cfg, p, res.Roles) {
			res.Outcome = NoAccess
			what := "no role"
			if len(res.Roles) > 0 {
				what = "only " + strings.Join(res.Roles, ", ") + ", which has no permissions"
			}
			msg := "the user logs in with " + what + ": "
			if p.Airflow {
				msg += "every page answers 403 \"" + MsgNoRoles + "\""
			} else {
				msg += "every view is denied (FAB flashes \"Access is Denied\"; with only Public a redirect loop, ERR_TOO_MANY_REDIRECTS, is reported)"
			}
			issue("ROL003", msg, cfg.Line("AUTH_ROLES_MAPPING"))
			if p.Flavor == Airflow3 && in.Existing != nil {
				note("newer FAB providers also give the roles of the user's FAB groups; an existing user in a group could still have access (not modelled)")
			}
		} else {
			res.Outcome = Granted
		}
	}
	switch {
	case res.Outcome != Refused || res.RolesIfFixed:
		res.Permissions = PermissionsOf(p, cfg, res.Roles)
		res.PermissionsOf = "roles"
	case len(res.Computed) > 0:
		// Refused for this user, but show what the mapping gives.
		res.Permissions = PermissionsOf(p, cfg, res.Computed)
		res.PermissionsOf = "computed"
	default:
		res.Permissions = []RolePermissions{}
	}
	return res, nil
}

func withEv(kv ...string) func(*Issue) {
	return func(i *Issue) { i.Evidence = append(i.Evidence, ev(kv...)...) }
}

func withFix(f string) func(*Issue) { return func(i *Issue) { i.Fix = f } }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func stringsToAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func scopeLine(pr *Provider) int {
	if pr.ScopeSet {
		return pr.KwargLine("scope")
	}
	return pr.RemoteLine("")
}

// tokenResponseHas predicts whether an OAuth 2 token response has key
// (spec §1.3: token_key must name a key of the response).
func tokenResponseHas(pr *Provider, key string) bool {
	switch key {
	case "access_token", "token_type", "expires_in", "expires_at":
		return true
	case "id_token":
		return pr.HasScope("openid") || pr.Name == "azure"
	}
	return false
}

// selectProvider picks the provider the dry-run simulates.
func selectProvider(cfg *Config, in SimInput) (*Provider, error) {
	provs := cfg.Providers()
	var names []string
	for _, p := range provs {
		if p.NameOK {
			names = append(names, p.Name)
		}
	}
	if in.Provider != "" {
		if pr := cfg.ProviderByName(in.Provider); pr != nil {
			return pr, nil
		}
		if len(names) > 0 {
			return nil, &SimError{fmt.Sprintf("%s has no provider named %q (it has %s); names are case-sensitive", cfg.File, in.Provider, strings.Join(quoteAll(names), ", "))}
		}
		// No providers in the file: simulate the branch alone.
		return &Provider{Name: in.Provider, NameOK: true, ScopeKnown: false, Line: 1}, nil
	}
	switch len(names) {
	case 0:
		return nil, &SimError{fmt.Sprintf("%s defines no usable OAUTH_PROVIDERS entry: pass --provider NAME to simulate a provider branch anyway", cfg.File)}
	case 1:
		return cfg.ProviderByName(names[0]), nil
	}
	// Several: the one whose client_id is the token's audience.
	if in.Claims != nil {
		var hit *Provider
		n := 0
		for _, p := range provs {
			if id, ok := p.RemoteStr("client_id"); ok && id != "" && audHas(in.Claims["aud"], id) {
				hit = p
				n++
			}
		}
		if n == 1 {
			return hit, nil
		}
	}
	return nil, &SimError{fmt.Sprintf("%s has several providers (%s): choose one with --provider NAME", cfg.File, strings.Join(quoteAll(names), ", "))}
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}

// audHas reports whether an aud claim (string or list) contains id.
func audHas(aud any, id string) bool {
	switch x := aud.(type) {
	case string:
		return x == id
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && s == id {
				return true
			}
		}
	}
	return false
}

func looksLikeAccessToken(c map[string]any) bool {
	if _, ok := c["scp"]; ok {
		return true
	}
	return audHas(c["aud"], "00000003-0000-0000-c000-000000000000") || audHas(c["aud"], "https://graph.microsoft.com")
}

// checkAzurePins compares the token with the issuers and audience the
// newest provider pins (spec §8.2 step 5, §8.6 step 5).
func checkAzurePins(pr *Provider, tr TenantResolution, claims map[string]any, note func(string, ...any)) *Refusal {
	refuse := func(reason, log string) *Refusal {
		return &Refusal{Stage: "userinfo", Check: "ROL006", Reason: reason, Log: LogUserInfo + log, Message: MsgInvalidLogin}
	}
	note("the newest provider verifies the id_token (signature against the tenant's keys, expiry) and pins iss and aud; this dry-run checks iss and aud only")
	guid := tr.GUID
	if tr.National {
		note("national-cloud tenant: the accepted issuers come from %s at first login; the issuer is not checked here", tr.DiscoveryURL)
	} else {
		if guid == "" {
			tid, _ := claims["tid"].(string)
			note("the tenant %q is a domain: the provider resolves it to a GUID through %s at first login (5 s timeout, no redirects); the token's tid %q is assumed to be that GUID", tr.Chosen.Tenant, tr.DiscoveryURL, tid)
			guid = strings.ToLower(tid)
		}
		iss, ok := claims["iss"].(string)
		if !ok {
			return refuse("the token has no iss; the newest provider pins the issuer (a token without iss is assumed rejected: UNCONFIRMED)", "missing_claim: Missing 'iss' claim")
		}
		if guid != "" {
			accepted := AcceptedIssuers(guid)
			if iss != accepted[0] && iss != accepted[1] {
				return refuse(fmt.Sprintf("the token's iss %q is not one of the issuers pinned for tenant %s: %q or %q", iss, guid, accepted[0], accepted[1]), "invalid_claim: Invalid claim 'iss'")
			}
		}
	}
	if id, ok := pr.RemoteStr("client_id"); ok && id != "" {
		if _, present := claims["aud"]; !present {
			return refuse("the token has no aud; the newest provider pins it to client_id (assumed rejected: UNCONFIRMED)", "missing_claim: Missing 'aud' claim")
		}
		if !audHas(claims["aud"], id) {
			return refuse(fmt.Sprintf("the token's aud %s is not the client_id %q (an Application ID URI such as api://… or an access token for another API does not pass)", Repr(claims["aud"]), id), "invalid_claim: Invalid claim 'aud'")
		}
	} else {
		note("client_id could not be read statically: the audience pin is not checked")
	}
	return nil
}

// checkWhitelist applies the provider's whitelist to userinfo["email"].
func checkWhitelist(p Profile, wl any, ui *Dict, note func(string, ...any)) *Refusal {
	patterns, ok := list(wl)
	if !ok {
		note("the whitelist could not be read statically: not applied")
		return nil
	}
	emailV, has := ui.Get("email")
	email, isStr := emailV.(string)
	for _, pv := range patterns {
		pat, ok := pv.(string)
		if !ok {
			continue
		}
		if p.WhitelistAnchored {
			pat += "$"
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			note("whitelist pattern %q is not a regular expression Go can read: not applied", pat)
			return nil
		}
		if has && isStr && re.MatchString(email) {
			return nil
		}
	}
	return &Refusal{Stage: "whitelist", Check: "ROL006",
		Reason:  fmt.Sprintf("no whitelist pattern matches the email %s (re.search)", Repr(emailV)),
		Message: MsgNotAuthorized}
}

// usernameOf is auth_user_oauth's username (spec §3.1 steps 1–2).
func usernameOf(ui *Dict) (string, *Refusal) {
	var v any
	if x, ok := ui.Get("username"); ok {
		v = x
	} else if x, ok := ui.Get("email"); ok {
		v = x
	} else {
		return "", &Refusal{Stage: "login", Check: "ROL006", Log: "OAUTH userinfo does not have username or email " + Repr(ui),
			Reason: "the user-info has neither username nor email", Message: MsgInvalidLogin}
	}
	if v == nil || v == "" {
		return "", &Refusal{Stage: "login", Check: "ROL006",
			Reason: "the username is empty (the claim it comes from is missing or empty; FAB does not fall back to the email then)", Message: MsgInvalidLogin}
	}
	return pyStr(v), nil
}

// pySet is Python's set(x) of a role_keys value: a list gives its items, a
// string its characters, a dict its keys; None and numbers raise.
func pySet(v any) (map[string]bool, []string, error) {
	set := map[string]bool{}
	var order []string
	add := func(s string) {
		if !set[s] {
			set[s] = true
			order = append(order, s)
		}
	}
	switch x := v.(type) {
	case string:
		for _, r := range x {
			add(string(r))
		}
	case *Dict:
		for _, k := range x.Keys {
			add(k)
		}
	case map[string]any:
		for k := range x {
			add(k)
		}
		sort.Strings(order)
	default:
		l, ok := list(v)
		if !ok {
			return nil, nil, pyErr(fmt.Sprintf("'%s' object is not iterable", pyType(v)))
		}
		for _, e := range l {
			switch e.(type) {
			case []any, map[string]any, *Dict:
				return nil, nil, pyErr(fmt.Sprintf("unhashable type: '%s'", pyType(e)))
			}
			add(keyString(e))
		}
	}
	return set, order, nil
}

// keyString renders a hashable element for comparison with string mapping
// keys (a number never equals a string key in Python; the "#" prefix keeps
// it apart).
func keyString(e any) string {
	if s, ok := e.(string); ok {
		return s
	}
	return "#" + Repr(e)
}

// computeRoles is _oauth_calculate_user_roles (spec §3.2, §3.4 step 4).
func computeRoles(cfg *Config, p Profile, ui *Dict, reg bool, dbRoles map[string]bool, res *Result,
	issue func(string, string, int, ...func(*Issue)), note func(string, ...any)) ([]string, *Refusal) {
	var roles []string
	have := map[string]bool{}
	add := func(r string) {
		if !have[r] {
			have[r] = true
			roles = append(roles, r)
		}
	}
	crash := func(reason, exc string) *Refusal {
		return &Refusal{Stage: "login", Check: "ROL006", Reason: reason + " (the exception escapes auth_user_oauth: likely HTTP 500, UNCONFIRMED)",
			Log: exc, Message: "Internal Server Error (HTTP 500)"}
	}

	ms, hasMapping := cfg.Get("AUTH_ROLES_MAPPING")
	if hasMapping {
		switch m := ms.Value.(type) {
		case *Dict:
			if m.Len() > 0 {
				rk, _ := ui.Get("role_keys")
				if rk == nil {
					if _, present := ui.Get("role_keys"); !present {
						rk = []any{}
					}
				}
				keySet, keyOrder, err := pySet(rk)
				if err != nil {
					return nil, crash("role_keys is "+Repr(rk)+", which set() cannot take", "TypeError: "+err.Error())
				}
				if s, ok := rk.(string); ok && s != "" {
					note("role_keys is the string %s, not a list: FAB compares each mapping key with its single characters, so no multi-character key matches", Repr(s))
				}
				for _, key := range m.Keys {
					targets, terr := mappingTargets(m.Vals[key])
					if keySet[key] {
						mt := Match{Key: key, Kind: "exact", Value: key, Targets: targets, Line: m.LineOf(key)}
						if terr != nil {
							return nil, crash(fmt.Sprintf("AUTH_ROLES_MAPPING[%q] is %s", key, Repr(m.Vals[key])), "TypeError: "+terr.Error())
						}
						for _, t := range targets {
							if dbRoles[t] {
								mt.Added = append(mt.Added, t)
								add(t)
							} else {
								mt.Missing = append(mt.Missing, t)
								issue("ROL001", fmt.Sprintf("AUTH_ROLES_MAPPING[%q] names role %q, which does not exist%s: FAB logs \"Can't find role specified in AUTH_ROLES_MAPPING: %s\" and skips it", key, t, caseHint(t, dbRoles), t), m.LineOf(key))
							}
						}
						res.Matched = append(res.Matched, mt)
						continue
					}
					for _, v := range keyOrder {
						if kind := nearMiss(key, v); kind != "" {
							res.Matched = append(res.Matched, Match{Key: key, Kind: kind, Value: v, Targets: targets, Line: m.LineOf(key)})
							issue("ROL004", fmt.Sprintf("mapping key %q differs from the user's role key %q only in %s: FAB compares exact strings, so it does not match", key, v, kind), m.LineOf(key))
						}
					}
				}
				if len(keyOrder) == 0 {
					if res.RoleClaim == "" {
						note("the %s branch yields no role_keys, so AUTH_ROLES_MAPPING never applies", res.Branch)
					} else {
						note("role_keys is empty: no AUTH_ROLES_MAPPING key can match")
					}
				}
			}
		case nil:
		default:
			if Unknown(ms.Value) {
				note("AUTH_ROLES_MAPPING could not be resolved statically: not applied")
			} else if t, _ := Truthy(ms.Value); t {
				return nil, crash("AUTH_ROLES_MAPPING is "+pyType(ms.Value)+", not a dict", fmt.Sprintf("AttributeError: '%s' object has no attribute 'items'", pyType(ms.Value)))
			}
		}
	}

	// Registration role (spec §3.2 step 2).
	name, source, known := cfg.RegistrationRole(p)
	rg := &Registration{Enabled: reg, Source: source, Value: nilIfEmpty(name)}
	res.Registration = rg
	if expr, line, ok := cfg.JMESPath(); ok && expr != "" {
		rg.Source = "AUTH_USER_REGISTRATION_ROLE_JMESPATH"
		rg.Expression = expr
		if reg {
			jp, err := jmespath.Compile(expr)
			if err != nil {
				issue("ROL009", fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE_JMESPATH does not compile: %v", err), line)
				return nil, crash("the JMESPath expression does not compile", "jmespath ParseError: "+err.Error())
			}
			out, err := jp.Search(plain(ui))
			if err != nil {
				issue("ROL009", fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE_JMESPATH fails on this user-info: %v", err), line)
				return nil, crash("the JMESPath expression fails on this user-info", "jmespath error: "+err.Error())
			}
			rg.Value = out
			switch v := out.(type) {
			case string:
				name, known = v, true
			case nil:
				name, known = "", true
				issue("ROL009", "AUTH_USER_REGISTRATION_ROLE_JMESPATH evaluates to null for this user: FAB logs \"Can't find AUTH_USER_REGISTRATION role: None\" and adds no registration role", line, withEv("userinfo", Repr(ui)))
			default:
				issue("ROL009", fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE_JMESPATH evaluates to %s, not a role name: FAB passes it to find_role unchanged (undefined, likely a database error: UNCONFIRMED)", jsonRepr(out)), line)
				rg.Note = "not a string: no role added"
				known = false
				name = ""
			}
		} else {
			rg.Note = "AUTH_USER_REGISTRATION is off: the expression is not evaluated"
		}
	}
	if !reg {
		if rg.Note == "" {
			rg.Note = "AUTH_USER_REGISTRATION is off: no registration role is added (not even during sync)"
		}
		return roles, nil
	}
	rg.Applied = true
	switch {
	case !known:
		if rg.Note == "" {
			rg.Note = "the registration role could not be resolved statically"
		}
	case name == "":
		rg.Note = "the registration role is None: FAB logs \"Can't find AUTH_USER_REGISTRATION role: None\""
	case dbRoles[name]:
		rg.Exists = true
		rg.Added = true
		add(name)
	default:
		rg.Note = fmt.Sprintf("role %q does not exist: FAB logs \"Can't find AUTH_USER_REGISTRATION role: %s\"", name, name)
		issue("ROL001", fmt.Sprintf("the registration role %q does not exist%s: FAB logs \"Can't find AUTH_USER_REGISTRATION role: %s\" and adds none", name, caseHint(name, dbRoles), name), registrationLine(cfg))
	}
	return roles, nil
}

func registrationLine(cfg *Config) int {
	for _, n := range []string{"AUTH_USER_REGISTRATION_ROLE_JMESPATH", "AUTH_USER_REGISTRATION_ROLE", "AUTH_USER_REGISTRATION"} {
		if _, ok := cfg.Get(n); ok {
			return cfg.Line(n)
		}
	}
	return 1
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func jsonRepr(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// mappingTargets is the list a mapping value iterates to.
func mappingTargets(v any) ([]string, error) {
	switch x := v.(type) {
	case string:
		var out []string
		for _, r := range x {
			out = append(out, string(r))
		}
		return out, nil
	case *Dict:
		return append([]string{}, x.Keys...), nil
	}
	l, ok := list(v)
	if !ok {
		if Unknown(v) {
			return nil, nil
		}
		return nil, pyErr(fmt.Sprintf("'%s' object is not iterable", pyType(v)))
	}
	var out []string
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		} else {
			out = append(out, Repr(e))
		}
	}
	return out, nil
}

// nearMiss classifies a difference FAB does not forgive.
func nearMiss(key, v string) string {
	if key == v {
		return ""
	}
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	switch {
	case strings.EqualFold(key, v):
		return "case"
	case norm(key) == norm(v):
		return "whitespace"
	case strings.EqualFold(norm(key), norm(v)):
		return "case and whitespace"
	}
	return ""
}

// caseHint names a role that differs only in case.
func caseHint(role string, db map[string]bool) string {
	for _, r := range sortedKeys(db) {
		if r != role && strings.EqualFold(r, role) {
			return fmt.Sprintf(" (%q differs only in case: role lookup is case-sensitive on PostgreSQL and SQLite, insensitive on MySQL)", r)
		}
	}
	return ""
}

// noPermissions reports whether the roles give no permission at all.
func noPermissions(cfg *Config, p Profile, roles []string) bool {
	if len(roles) == 0 {
		return true
	}
	pub, _ := cfg.RolePublic(p)
	for _, r := range roles {
		if perms, ok := p.BuiltinPerms(r); ok {
			if len(perms) > 0 {
				return false
			}
			continue
		}
		if r == "Public" || (pub != "" && r == pub) {
			if p.Superset {
				if s, ok := cfg.Get("PUBLIC_ROLE_LIKE"); ok && s.Value != nil {
					return false
				}
			}
			continue
		}
		return false // custom or other built-in roles: assume permissions
	}
	return true
}

// keycloakRoles lists the realm and client roles of a Keycloak token.
func keycloakRoles(claims map[string]any) []string {
	var out []string
	add := func(v any) {
		m, _ := v.(map[string]any)
		if l, ok := m["roles"].([]any); ok {
			for _, r := range l {
				if s, ok := r.(string); ok {
					out = append(out, s)
				}
			}
		}
	}
	add(claims["realm_access"])
	if ra, ok := claims["resource_access"].(map[string]any); ok {
		keys := make([]string, 0, len(ra))
		for k := range ra {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			add(ra[k])
		}
	}
	return out
}
