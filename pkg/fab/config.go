package fab

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Setting is one upper-case module-level name of the config file: what
// Flask's from_pyfile copies into the app config.
type Setting struct {
	Name  string
	Value any
	// Line is the line of the last assignment.
	Line int
	// Source is the source text of the assigned expression, when known
	// (kept opaque: pkg/fab only searches it for call names).
	Source string
	// Conditional: the value depends on a condition the reader could not
	// decide (Value is an *Unresolved).
	Conditional bool
	// Known: FAB, Airflow or Superset reads this setting.
	Known bool
	// Imported: the name was bound by an import (AUTH_OAUTH from
	// flask_appbuilder.const, say) rather than assigned.
	Imported bool
	// IfUnset names the environment variables whose absence here chose
	// the branch that assigned the value: where the deployment sets them,
	// the file may assign something else.
	IfUnset []string
}

// Import is one imported name (`from Module import Name`, or `import
// Module` with Name empty).
type Import struct {
	Module string
	Name   string
	Line   int
}

// Config is what pkg/fab needs from a config file: settings as plain Go
// values, the imports, and deployment settings outside the file.
type Config struct {
	// File is the path shown in findings.
	File     string
	Settings map[string]Setting
	// Order lists the setting names in the order of their last
	// assignment.
	Order   []string
	Imports []Import
	// Env looks up deployment settings that live outside the file
	// (AIRFLOW__WEBSERVER__ENABLE_PROXY_FIX, AIRFLOW__API__BASE_URL, …),
	// from --env, --env-file or the process. nil: none known.
	Env func(string) (string, bool)
	// Origin says where the value at path (setting name, then dict keys /
	// list indexes) comes from: written in the file, the literal default of
	// an environment lookup, or from outside the file. nil: every string
	// counts as written in the file.
	Origin func(path ...string) Origin
	// UserCode is the user's own security manager, when the config
	// installs one (nil: FAB's built-in code runs).
	UserCode *UserCode
	// Clients are OAuth clients the file registers itself (a plain Flask
	// app with Flask-OAuthlib or authlib).
	Clients []OAuthClient
	// PlainApp: the file is a Flask app with its own OAuth clients and no
	// Flask-AppBuilder login settings (FAB's login is not what runs).
	PlainApp bool
	// SourceLine returns line n of the file as written ("" when unknown):
	// mechanical fixes are anchored on it.
	SourceLine func(n int) string
	// Printed are the lines that print or log a variable named for a
	// secret (CFG006).
	Printed []Printed
}

// Printed is a print or logging call of a secret variable.
type Printed struct {
	Name string
	Line int
	// InCode: the call is indented, inside a function or branch (it runs
	// when that code does, at start-up or at each login).
	InCode bool
}

// Get returns a setting.
func (c *Config) Get(name string) (Setting, bool) {
	if c == nil || c.Settings == nil {
		return Setting{}, false
	}
	s, ok := c.Settings[name]
	return s, ok
}

// Line of a setting (1 when absent: findings always have a location).
func (c *Config) Line(name string) int {
	if s, ok := c.Get(name); ok && s.Line > 0 {
		return s.Line
	}
	return 1
}

func (c *Config) env(name string) (string, bool) {
	if c == nil || c.Env == nil {
		return "", false
	}
	return c.Env(name)
}

// Origin is where a value of the config comes from.
type Origin int

const (
	// OriginLiteral: written in the file.
	OriginLiteral Origin = iota
	// OriginEnvDefault: the literal default of an environment lookup
	// (os.getenv("X", "default"), os.environ.get("X") or "default"), in
	// use because the variable is unset here.
	OriginEnvDefault
	// OriginOutside: read from the environment or a secret store, or
	// computed.
	OriginOutside
)

func (c *Config) origin(path ...string) Origin {
	if c == nil || c.Origin == nil {
		return OriginLiteral
	}
	return c.Origin(path...)
}

// boolSetting reads a boolean setting: value, known, present.
func (c *Config) boolSetting(name string, def bool) (val, known, present bool) {
	s, ok := c.Get(name)
	if !ok {
		return def, true, false
	}
	t, k := Truthy(s.Value)
	return t, k, true
}

// AuthType returns AUTH_TYPE: value, known, present. Absent means AUTH_DB
// (spec §1.1).
func (c *Config) AuthType() (int64, bool, bool) {
	s, ok := c.Get("AUTH_TYPE")
	if !ok {
		return AuthDB, true, false
	}
	if i, ok := Int(s.Value); ok {
		return i, true, true
	}
	if name, ok := Str(s.Value); ok {
		// a reader that keeps the constant's name
		if v, ok := authTypeNames()[strings.TrimPrefix(name, "AUTH_")]; ok {
			return v, true, true
		}
	}
	return 0, false, true
}

// AUTH_TYPE constants (flask_appbuilder/const.py, spec §1.1).
const (
	AuthOID        int64 = 0
	AuthDB         int64 = 1
	AuthLDAP       int64 = 2
	AuthRemoteUser int64 = 3
	AuthOAuth      int64 = 4
	AuthSAML       int64 = 5
)

var authTypeNames = sync.OnceValue(func() map[string]int64 {
	return map[string]int64{"OID": 0, "DB": 1, "LDAP": 2, "REMOTE_USER": 3, "OAUTH": 4, "SAML": 5}
})

// AuthTypeName renders an AUTH_TYPE value.
func AuthTypeName(v int64) string {
	for k, n := range authTypeNames() {
		if n == v {
			return "AUTH_" + k
		}
	}
	return strconv.FormatInt(v, 10)
}

// Registration is AUTH_USER_REGISTRATION (default False).
func (c *Config) Registration() (on, known bool) {
	v, k, _ := c.boolSetting("AUTH_USER_REGISTRATION", false)
	return v, k
}

// Sync is AUTH_ROLES_SYNC_AT_LOGIN (default False).
func (c *Config) Sync() (on, known bool) {
	v, k, _ := c.boolSetting("AUTH_ROLES_SYNC_AT_LOGIN", false)
	return v, k
}

// RoleAdmin is AUTH_ROLE_ADMIN (default "Admin").
func (c *Config) RoleAdmin() string {
	if s, ok := c.Get("AUTH_ROLE_ADMIN"); ok {
		if v, ok := Str(s.Value); ok {
			return v
		}
	}
	return "Admin"
}

// RolePublic is AUTH_ROLE_PUBLIC with the flavour's default; "" means
// None (spec §1.2).
func (c *Config) RolePublic(p Profile) (string, bool) {
	if s, ok := c.Get("AUTH_ROLE_PUBLIC"); ok {
		if s.Value == nil {
			return "", true
		}
		v, ok := Str(s.Value)
		return v, ok
	}
	return p.PublicRoleDefault, true
}

// RegistrationRole is the static registration role: name ("" = None),
// where it came from, and whether it is known.
func (c *Config) RegistrationRole(p Profile) (name, source string, known bool) {
	if s, ok := c.Get("AUTH_USER_REGISTRATION_ROLE"); ok {
		if s.Value == nil {
			return "", "AUTH_USER_REGISTRATION_ROLE = None", true
		}
		v, ok := Str(s.Value)
		return v, "AUTH_USER_REGISTRATION_ROLE", ok
	}
	// The default is AUTH_ROLE_PUBLIC's value at start-up (spec §1.2).
	pub, ok := c.RolePublic(p)
	if _, set := c.Get("AUTH_ROLE_PUBLIC"); set {
		return pub, "default: the value of AUTH_ROLE_PUBLIC", ok
	}
	if pub == "" {
		return "", "default: None (AUTH_ROLE_PUBLIC is unset and " + string(p.Flavor) + " gives it no default)", true
	}
	return pub, "default: AUTH_ROLE_PUBLIC's default " + strconv.Quote(pub), true
}

// JMESPath is AUTH_USER_REGISTRATION_ROLE_JMESPATH ("" when unset/None).
func (c *Config) JMESPath() (expr string, line int, known bool) {
	s, ok := c.Get("AUTH_USER_REGISTRATION_ROLE_JMESPATH")
	if !ok || s.Value == nil {
		return "", 0, true
	}
	v, ok := Str(s.Value)
	return v, s.Line, ok
}

// CustomSecurityManager names the setting that installs a custom security
// manager, if any (spec §2.1, CFG010).
func (c *Config) CustomSecurityManager() (name string, s Setting, ok bool) {
	for _, n := range []string{"SECURITY_MANAGER_CLASS", "CUSTOM_SECURITY_MANAGER", "FAB_SECURITY_MANAGER_CLASS"} {
		if st, present := c.Get(n); present && st.Value != nil {
			return n, st, true
		}
	}
	return "", Setting{}, false
}

// DeclaredRoles are the roles the user says the database holds (--role,
// --roles-file): a complete list, so a name outside it is known to be
// missing.
type DeclaredRoles struct {
	Names []string
	// Source names where the list came from ("--roles-file roles.json").
	Source string
}

// Existence is what is known of a role name in the database.
type Existence int

const (
	// RoleExists: a built-in of the flavour, AUTH_ROLE_ADMIN,
	// AUTH_ROLE_PUBLIC, a FAB_ROLES key or a declared role.
	RoleExists Existence = iota
	// RoleUnknown: none of those; it exists only if the deployment created
	// it (airflow roles create, the UI, FAB's role API, an init script),
	// which is not visible statically.
	RoleUnknown
	// RoleMissing: a case or whitespace variant of a known role, or absent
	// from the declared list.
	RoleMissing
)

// KnownRoles is what the dry-run and lint know of the roles in the
// database (spec §3.4).
type KnownRoles struct {
	names    map[string]bool
	declared DeclaredRoles
}

// KnownRoles collects the roles known to exist: the flavour's built-ins,
// AUTH_ROLE_ADMIN, AUTH_ROLE_PUBLIC when set, FAB_ROLES keys and the
// declared roles.
func (c *Config) KnownRoles(p Profile, declared DeclaredRoles) KnownRoles {
	roles := map[string]bool{}
	for _, r := range p.BuiltinRoles {
		roles[r] = true
	}
	roles[c.RoleAdmin()] = true
	if pub, ok := c.RolePublic(p); ok && pub != "" {
		roles[pub] = true
	}
	if s, ok := c.Get("FAB_ROLES"); ok {
		if d, ok := s.Value.(*Dict); ok {
			for _, k := range d.Keys {
				roles[k] = true
			}
		}
	}
	for _, r := range declared.Names {
		if r = strings.TrimSpace(r); r != "" {
			roles[r] = true
		}
	}
	return KnownRoles{names: roles, declared: declared}
}

// Of says whether role exists, and for a near miss the known role it
// resembles.
func (k KnownRoles) Of(role string) (Existence, string) {
	if k.names[role] {
		return RoleExists, ""
	}
	for _, r := range sortedKeys(k.names) {
		if strings.EqualFold(strings.TrimSpace(r), strings.TrimSpace(role)) {
			return RoleMissing, r
		}
	}
	if len(k.declared.Names) > 0 {
		return RoleMissing, ""
	}
	return RoleUnknown, ""
}

// Exists reports whether role is known to exist.
func (k KnownRoles) Exists(role string) bool { return k.names[role] }

// List is the known roles, sorted.
func (k KnownRoles) List() []string { return sortedKeys(k.names) }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Provider is one OAUTH_PROVIDERS entry.
type Provider struct {
	Index int
	// Line is the entry's line (else OAUTH_PROVIDERS' line).
	Line int
	// Entry is the entry dict (nil when the entry is not a dict).
	Entry *Dict
	Raw   any
	Name  string
	// NameOK is false when name is missing or not a string.
	NameOK bool
	// Remote is remote_app (nil when missing or not a dict).
	Remote       *Dict
	ClientKwargs *Dict
	// Scopes is the scope of the authorization request; ScopeKnown is
	// false when it could not be resolved. ScopeFrom says where it came
	// from (authorize_params, remote_app or client_kwargs: authlib lets
	// authorize_params win, and a scope key of remote_app, kept as server
	// metadata, override client_kwargs), ScopeLine where.
	Scopes     []string
	ScopeSet   bool
	ScopeKnown bool
	ScopeFrom  string
	ScopeLine  int
	// Client is the app's own OAuth client this entry stands for (nil for
	// an OAUTH_PROVIDERS entry).
	Client *OAuthClient
}

// Providers returns the OAUTH_PROVIDERS entries (nil when absent or not a
// list).
func (c *Config) Providers() []*Provider {
	s, ok := c.Get("OAUTH_PROVIDERS")
	if !ok {
		return nil
	}
	items, ok := list(s.Value)
	if !ok {
		return nil
	}
	var out []*Provider
	for i, it := range items {
		out = append(out, providerOf(i, it, s.Line))
	}
	return out
}

// providerOf reads one provider entry (item i of OAUTH_PROVIDERS, or an
// entry made for a plain app's client).
func providerOf(i int, it any, line int) *Provider {
	p := &Provider{Index: i, Raw: it, Line: line}
	d, ok := it.(*Dict)
	if !ok {
		return p
	}
	p.Entry = d
	if d.Line > 0 {
		p.Line = d.Line
	}
	if v, ok := d.Get("name"); ok {
		p.Name, p.NameOK = Str(v)
	}
	if v, ok := d.Get("remote_app"); ok {
		p.Remote, _ = v.(*Dict)
	}
	if p.Remote != nil {
		if v, ok := p.Remote.Get("client_kwargs"); ok {
			p.ClientKwargs, _ = v.(*Dict)
		}
	}
	p.readScope()
	return p
}

// readScope finds the scope authlib sends (authlib base_client
// OAuth2Base: create_authorization_url updates the request with
// authorize_params; _get_oauth_client lets server metadata, where unknown
// remote_app keys live, override client_kwargs).
func (p *Provider) readScope() {
	p.ScopeKnown = true
	var ap *Dict
	if p.Remote != nil {
		if v, ok := p.Remote.Get("authorize_params"); ok {
			ap, _ = v.(*Dict)
			if ap == nil && Unknown(v) {
				p.ScopeKnown = false
				return
			}
		}
	}
	sources := []struct {
		name string
		d    *Dict
	}{{"authorize_params", ap}, {"remote_app", p.Remote}, {"client_kwargs", p.ClientKwargs}}
	for _, src := range sources {
		if src.d == nil {
			continue
		}
		if v, ok := src.d.Get("scope"); ok {
			p.ScopeSet, p.ScopeFrom, p.ScopeLine = true, src.name, src.d.LineOf("scope")
			p.Scopes, p.ScopeKnown = scopeList(v)
			return
		}
	}
	if p.Remote != nil && p.ClientKwargs == nil {
		if v, ok := p.Remote.Get("client_kwargs"); ok && Unknown(v) {
			p.ScopeKnown = false
		}
	}
}

// scopeList reads a scope value as authlib does: a string split on
// whitespace only ("openid,email" is one scope), or a list of strings.
func scopeList(v any) ([]string, bool) {
	if s, ok := v.(string); ok {
		return strings.Fields(s), true
	}
	l, ok := list(v)
	if !ok {
		return nil, v == nil
	}
	var out []string
	for _, e := range l {
		s, ok := Str(e)
		if !ok {
			return out, false
		}
		out = append(out, s)
	}
	return out, true
}

// HasScope reports whether scope s is requested.
func (p *Provider) HasScope(s string) bool {
	for _, x := range p.Scopes {
		if x == s {
			return true
		}
	}
	return false
}

// RemoteStr returns a remote_app string value.
func (p *Provider) RemoteStr(key string) (string, bool) {
	if p.Remote == nil {
		return "", false
	}
	v, ok := p.Remote.Get(key)
	if !ok {
		return "", false
	}
	return Str(v)
}

// RemoteHas reports whether remote_app has key with a non-None value.
func (p *Provider) RemoteHas(key string) bool {
	if p.Remote == nil {
		return false
	}
	v, ok := p.Remote.Get(key)
	return ok && v != nil
}

// RemoteLine is the line of a remote_app key, else of the entry.
func (p *Provider) RemoteLine(key string) int {
	if p.Remote != nil {
		if l := p.Remote.KeyLines[key]; l > 0 {
			return l
		}
		if p.Remote.Line > 0 && key == "" {
			return p.Remote.Line
		}
	}
	return p.EntryLine("remote_app")
}

// EntryLine is the line of a top-level entry key, else of the entry.
func (p *Provider) EntryLine(key string) int {
	if p.Entry != nil {
		if l := p.Entry.KeyLines[key]; l > 0 {
			return l
		}
	}
	if p.Line > 0 {
		return p.Line
	}
	return 1
}

// ClientKwarg returns a client_kwargs value.
func (p *Provider) ClientKwarg(key string) (any, bool) {
	if p.ClientKwargs == nil {
		return nil, false
	}
	return p.ClientKwargs.Get(key)
}

// KwargLine is the line of a client_kwargs key, else of remote_app.
func (p *Provider) KwargLine(key string) int {
	if p.ClientKwargs != nil {
		if l := p.ClientKwargs.KeyLines[key]; l > 0 {
			return l
		}
	}
	return p.RemoteLine("client_kwargs")
}

// HasKeySource reports whether authlib can find a key set: a
// server_metadata_url, jwks_uri or jwks in remote_app (spec §5.1).
func (p *Provider) HasKeySource() bool {
	return p.RemoteHas("server_metadata_url") || p.RemoteHas("jwks_uri") || p.RemoteHas("jwks")
}

// OAuth1 reports a truthy request_token_url (spec §1.4).
func (p *Provider) OAuth1() bool {
	if p.Remote == nil {
		return false
	}
	v, ok := p.Remote.Get("request_token_url")
	if !ok {
		return false
	}
	t, _ := Truthy(v)
	return t
}

// TokenKey is the provider's token_key (default "oauth_token").
func (p *Provider) TokenKey() (key string, set, known bool) {
	if p.Entry == nil {
		return "oauth_token", false, true
	}
	v, ok := p.Entry.Get("token_key")
	if !ok {
		return "oauth_token", false, true
	}
	s, ok := Str(v)
	return s, true, ok
}

// VerifySignature reads client_kwargs["verify_signature"] with a default:
// value, known, present.
func (p *Provider) VerifySignature(def bool) (val, known, present bool) {
	v, ok := p.ClientKwarg("verify_signature")
	if !ok {
		return def, true, false
	}
	t, k := Truthy(v)
	return t, k, true
}

// ProviderByName finds a provider by exact name.
// Duplicate names: the last entry wins in oauth_remotes (spec §7.3).
func (c *Config) ProviderByName(name string) *Provider {
	var found *Provider
	for _, p := range c.Providers() {
		if p.NameOK && p.Name == name {
			found = p
		}
	}
	return found
}

// ParseRoleList reads a role list: the JSON of `airflow roles list -o
// json` ([{"name": "Admin"}, …]), a JSON array of names, or one name per
// line (blank lines and # comments ignored).
func ParseRoleList(data []byte) ([]string, error) {
	text := strings.TrimSpace(strings.TrimPrefix(string(data), "\ufeff"))
	if strings.HasPrefix(text, "[") {
		var raw []any
		if err := json.Unmarshal([]byte(text), &raw); err != nil {
			return nil, fmt.Errorf("not a JSON array of roles: %v", err)
		}
		var out []string
		for i, e := range raw {
			switch x := e.(type) {
			case string:
				out = append(out, x)
			case map[string]any:
				n, ok := x["name"].(string)
				if !ok {
					return nil, fmt.Errorf("item %d has no \"name\" string (the shape of `airflow roles list -o json` is [{\"name\": \"Admin\"}, …])", i)
				}
				out = append(out, n)
			default:
				return nil, fmt.Errorf("item %d is neither a role name nor an object with a name", i)
			}
		}
		return out, nil
	}
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out, nil
}
