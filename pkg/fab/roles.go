package fab

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
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
	// APIAnswer: Claims are the branch's API answer itself (a rehearsed
	// login called it with the real access token), not a token standing
	// in for it.
	APIAnswer bool
	// RoleKeys replace role_keys when RoleKeysSet (--role-key).
	RoleKeys    []string
	RoleKeysSet bool
	// Existing simulates a returning user (nil = a new user).
	Existing *ExistingUser
	// Roles are the roles the user says the database holds.
	Roles DeclaredRoles
	// BaseURL is the app's public URL (for the callback prediction).
	BaseURL string
	// SyntaxErrors of the config file: the app does not start.
	SyntaxErrors []SyntaxError
	// UserCode evaluates the user's own login code (pkg/usercode), nil
	// when there is none or it is not to be run.
	UserCode UserCodeEval
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
	// missing: the role is None or known not to exist.
	missing bool
}

// Outcomes of a login.
const (
	Granted  = "granted"
	NoAccess = "no-access"
	Refused  = "refused"
)

// SimError is a problem with the dry-run's input (not with the config):
// the command reports it as a usage error.
type SimError struct{ Msg string }

func (e *SimError) Error() string { return e.Msg }

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
	if pr.ScopeSet && pr.ScopeLine > 0 {
		return pr.ScopeLine
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

// usernameOf is auth_user_oauth's username (spec §3.1 steps 1–2); before
// Flask-AppBuilder 3.2.0 it is legacyUsername.
func usernameOf(p Profile, ui *Dict, newUser bool, note func(string, ...any)) (string, *Refusal) {
	if p.PreRolesMapping {
		return legacyUsername(p, ui, newUser, note)
	}
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
	return PyStr(v), nil
}

// legacyUsername is v3.0.0–v3.1.x auth_user_oauth: the user is looked
// up by username, else by email; an empty username is not refused; a new
// user is added with userinfo["username"].
func legacyUsername(p Profile, ui *Dict, newUser bool, note func(string, ...any)) (string, *Refusal) {
	if v, ok := ui.Get("username"); ok {
		if v == nil || v == "" {
			note("the username is empty and %s does not refuse it: every such user signs in as the one account with an empty username", p.Title)
		}
		return PyStr(v), nil
	}
	if v, ok := ui.Get("email"); ok {
		if newUser {
			return "", crash("the user-info has an email but no username: "+p.Title+" looks the user up by email, then adds a new one with userinfo[\"username\"]", "KeyError: 'username'")
		}
		note("the user-info has no username: %s looks the existing user up by email %s", p.Title, Repr(v))
		return PyStr(v), nil
	}
	return "", &Refusal{Stage: "login", Check: "ROL006", Log: "User info does not have username or email " + Repr(ui),
		Reason: "the user-info has neither username nor email", Message: MsgInvalidLogin}
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

// roleCalc is one run of _oauth_calculate_user_roles (spec §3.2, §3.4
// step 4).
type roleCalc struct {
	cfg   *Config
	p     Profile
	known KnownRoles
	res   *Result
	issue func(string, string, int, ...func(*Issue))
	note  func(string, ...any)
	roles []string
	have  map[string]bool
}

// computeRoles is _oauth_calculate_user_roles: the mapped roles, then the
// registration role. A role not known to exist (it may live in the
// database) is taken as given, with a note.
func computeRoles(cfg *Config, p Profile, ui *Dict, reg bool, known KnownRoles, res *Result,
	issue func(string, string, int, ...func(*Issue)), note func(string, ...any)) ([]string, *Refusal) {
	rc := &roleCalc{cfg: cfg, p: p, known: known, res: res, issue: issue, note: note, have: map[string]bool{}}
	if p.PreRolesMapping {
		// v3.0.0–v3.1.x:manager: no _oauth_calculate_user_roles; the
		// mapping is never read.
		if s, ok := cfg.Get("AUTH_ROLES_MAPPING"); ok && s.Value != nil {
			note("AUTH_ROLES_MAPPING is not read by %s (it exists from Flask-AppBuilder 3.2.0): a new user gets only the registration role", p.Title)
		}
	} else if r := rc.mapped(ui); r != nil {
		return nil, r
	}
	if r := rc.registration(ui, reg); r != nil {
		return nil, r
	}
	return rc.roles, nil
}

// add gives a role once; it reports whether the role could be given: a
// role known to be missing is skipped as FAB skips it.
func (rc *roleCalc) add(r string, where string, line int, log string) bool {
	ex, near := rc.known.Of(r)
	switch {
	case ex == RoleMissing:
		hint := ""
		if near != "" {
			hint = fmt.Sprintf(" (%q differs only in case or whitespace: role lookup is exact on PostgreSQL and SQLite)", near)
		}
		rc.issue("ROL001", fmt.Sprintf("%s role %q, which does not exist%s: FAB logs \"%s\" and skips it", where, r, hint, log), line)
		return false
	case ex == RoleUnknown:
		rc.note("role %q is not a built-in role: it is taken as existing in the database (if it does not, FAB logs \"%s\" and skips it; --roles-file makes this exact)", r, log)
	}
	if !rc.have[r] {
		rc.have[r] = true
		rc.roles = append(rc.roles, r)
	}
	return true
}

func crash(reason, exc string) *Refusal {
	return &Refusal{Stage: "login", Check: "ROL006", Reason: reason + " (the exception escapes auth_user_oauth: likely HTTP 500, UNCONFIRMED)",
		Log: exc, Message: "Internal Server Error (HTTP 500)"}
}

// mapped applies AUTH_ROLES_MAPPING to the user's role_keys.
func (rc *roleCalc) mapped(ui *Dict) *Refusal {
	ms, ok := rc.cfg.Get("AUTH_ROLES_MAPPING")
	if !ok || ms.Value == nil {
		return nil
	}
	m, isDict := ms.Value.(*Dict)
	if !isDict {
		if Unknown(ms.Value) {
			rc.note("AUTH_ROLES_MAPPING could not be resolved statically: not applied")
		} else if t, _ := Truthy(ms.Value); t {
			return crash("AUTH_ROLES_MAPPING is "+pyType(ms.Value)+", not a dict", fmt.Sprintf("AttributeError: '%s' object has no attribute 'items'", pyType(ms.Value)))
		}
		return nil
	}
	if m.Len() == 0 {
		return nil
	}
	rk, present := ui.Get("role_keys")
	if rk == nil && !present {
		rk = []any{}
	}
	keySet, keyOrder, err := pySet(rk)
	if err != nil {
		return crash("role_keys is "+Repr(rk)+", which set() cannot take", "TypeError: "+err.Error())
	}
	if s, ok := rk.(string); ok && s != "" {
		rc.note("role_keys is the string %s, not a list: FAB compares each mapping key with its single characters, so no multi-character key matches", Repr(s))
	}
	for _, key := range m.Keys {
		if r := rc.mapKey(m, key, keySet, keyOrder); r != nil {
			return r
		}
	}
	if len(keyOrder) == 0 {
		if rc.res.RoleClaim == "" {
			rc.note("the %s branch yields no role_keys, so AUTH_ROLES_MAPPING never applies", rc.res.Branch)
		} else {
			rc.note("role_keys is empty: no AUTH_ROLES_MAPPING key can match")
		}
	}
	return nil
}

// mapKey applies one mapping key: an exact match gives its roles; a near
// miss is reported (ROL004), as FAB compares exact strings.
func (rc *roleCalc) mapKey(m *Dict, key string, keySet map[string]bool, keyOrder []string) *Refusal {
	targets, terr := mappingTargets(m.Vals[key])
	if !keySet[key] {
		for _, v := range keyOrder {
			if kind := nearMiss(key, v); kind != "" {
				rc.res.Matched = append(rc.res.Matched, Match{Key: key, Kind: kind, Value: v, Targets: targets, Line: m.LineOf(key)})
				rc.issue("ROL004", fmt.Sprintf("mapping key %q differs from the user's role key %q only in %s: FAB compares exact strings, so it does not match", key, v, kind), m.LineOf(key))
			}
		}
		return nil
	}
	if terr != nil {
		return crash(fmt.Sprintf("AUTH_ROLES_MAPPING[%q] is %s", key, Repr(m.Vals[key])), "TypeError: "+terr.Error())
	}
	mt := Match{Key: key, Kind: "exact", Value: key, Targets: targets, Line: m.LineOf(key)}
	for _, t := range targets {
		if rc.add(t, fmt.Sprintf("AUTH_ROLES_MAPPING[%q] names", key), m.LineOf(key), "Can't find role specified in AUTH_ROLES_MAPPING: "+t) {
			mt.Added = append(mt.Added, t)
		} else {
			mt.Missing = append(mt.Missing, t)
		}
	}
	rc.res.Matched = append(rc.res.Matched, mt)
	return nil
}

// registration adds the registration role (spec §3.2 step 2), from
// AUTH_USER_REGISTRATION_ROLE or its JMESPath.
func (rc *roleCalc) registration(ui *Dict, reg bool) *Refusal {
	name, source, known := rc.cfg.RegistrationRole(rc.p)
	rg := &Registration{Enabled: reg, Source: source, Value: nilIfEmpty(name)}
	rc.res.Registration = rg
	if expr, line, ok := rc.cfg.JMESPath(); ok && expr != "" {
		var r *Refusal
		if name, known, r = rc.jmespathRole(rg, ui, reg, expr, line); r != nil {
			return r
		}
	}
	if !reg {
		if rg.Note == "" {
			rg.Note = "AUTH_USER_REGISTRATION is off: no registration role is added (not even during sync)"
		}
		return nil
	}
	rg.Applied = true
	switch {
	case !known:
		if rg.Note == "" {
			rg.Note = "the registration role could not be resolved statically"
		}
	case name == "":
		rg.Note = "the registration role is None: FAB logs \"Can't find AUTH_USER_REGISTRATION role: None\""
		rg.missing = true
	case rc.add(name, "the registration role names", registrationLine(rc.cfg), "Can't find AUTH_USER_REGISTRATION role: "+name):
		rg.Exists, rg.Added = rc.known.Exists(name), true
	default:
		rg.Note = fmt.Sprintf("role %q does not exist: FAB logs \"Can't find AUTH_USER_REGISTRATION role: %s\"", name, name)
		rg.missing = true
	}
	return nil
}

// jmespathRole evaluates AUTH_USER_REGISTRATION_ROLE_JMESPATH on the
// user-info (ROL009 when it does not give a role name).
func (rc *roleCalc) jmespathRole(rg *Registration, ui *Dict, reg bool, expr string, line int) (string, bool, *Refusal) {
	rg.Source = "AUTH_USER_REGISTRATION_ROLE_JMESPATH"
	rg.Expression = expr
	if !reg {
		rg.Note = "AUTH_USER_REGISTRATION is off: the expression is not evaluated"
		return "", false, nil
	}
	jp, err := jmespath.Compile(expr)
	if err != nil {
		rc.issue("ROL009", fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE_JMESPATH does not compile: %v", err), line)
		return "", false, crash("the JMESPath expression does not compile", "jmespath ParseError: "+err.Error())
	}
	out, err := jp.Search(plain(ui))
	if err != nil {
		rc.issue("ROL009", fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE_JMESPATH fails on this user-info: %v", err), line)
		return "", false, crash("the JMESPath expression fails on this user-info", "jmespath error: "+err.Error())
	}
	rg.Value = out
	switch v := out.(type) {
	case string:
		return v, true, nil
	case nil:
		rc.issue("ROL009", "AUTH_USER_REGISTRATION_ROLE_JMESPATH evaluates to null for this user: FAB logs \"Can't find AUTH_USER_REGISTRATION role: None\" and adds no registration role", line, withEv("userinfo", Repr(ui)))
		return "", true, nil
	}
	rc.issue("ROL009", fmt.Sprintf("AUTH_USER_REGISTRATION_ROLE_JMESPATH evaluates to %s, not a role name: FAB passes it to find_role unchanged (undefined, likely a database error: UNCONFIRMED)", jsonRepr(out)), line)
	rg.Note = "not a string: no role added"
	return "", false, nil
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

// noPermissions reports whether the roles give no permission at all.
func noPermissions(cfg *Config, p Profile, roles []string) bool {
	if len(roles) == 0 {
		return true
	}
	pub, _ := cfg.RolePublic(p)
	for _, r := range roles {
		if r == cfg.RoleAdmin() || r == "Admin" {
			return false // FAB gives the admin role every permission
		}
		if r != "Public" && slices.Contains(p.BuiltinRoles, r) && !p.Airflow {
			return false // Superset's built-in roles are filled by superset init
		}
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

// RolesText lists roles for people ("no role" for none).
func RolesText(roles []string) string {
	if len(roles) == 0 {
		return "no role"
	}
	return strings.Join(roles, ", ")
}

// Who names the dry-run's user for people: the username, with the email
// when it differs.
func (r *Result) Who() string {
	who := r.Username
	if who == "" {
		who = "the user"
	}
	if r.UserInfo != nil {
		if v, ok := r.UserInfo.Get("email"); ok {
			if e, ok := v.(string); ok && e != "" && e != who {
				who += " (" + e + ")"
			}
		}
	}
	return who
}
