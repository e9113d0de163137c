package usercode

import (
	"fmt"
	"strings"
	"sync"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// FAB's side of the user's code: the security manager's base class
// (what super() and self.<attr> reach), the app builder, the app and its
// config, the remotes, roles and users. Database look-ups are never made:
// they are unknown.

// configDefaults are FAB's defaults of the settings the security
// manager's properties read (spec fab.md §1.2); the profile supplies the
// ones that differ by flavour.
func (s *session) configDefault(key string) (pyread.Value, bool) {
	switch key {
	case "AUTH_ROLES_MAPPING":
		return pyread.FromGo(map[string]any{}, 0), true
	case "AUTH_USER_REGISTRATION", "AUTH_ROLES_SYNC_AT_LOGIN":
		return pyread.FromGo(false, 0), true
	case "AUTH_USERNAME_CI":
		return pyread.FromGo(true, 0), true
	case "AUTH_USER_REGISTRATION_ROLE_JMESPATH":
		return pyread.FromGo(nil, 0), true
	case "AUTH_TYPE":
		return pyread.FromGo(int64(fab.AuthDB), 0), true
	case "AUTH_ROLE_ADMIN":
		return pyread.FromGo(s.cfg.RoleAdmin(), 0), true
	case "AUTH_ROLE_PUBLIC":
		if r, _ := s.cfg.RolePublic(s.p); r != "" {
			return pyread.FromGo(r, 0), true
		}
		return pyread.FromGo(nil, 0), true
	case "AUTH_USER_REGISTRATION_ROLE":
		if r, _, _ := s.cfg.RegistrationRole(s.p); r != "" {
			return pyread.FromGo(r, 0), true
		}
		return pyread.FromGo(nil, 0), true
	}
	return nil, false
}

// setting is app.config[key]: the file's value, else FAB's default, else
// not known (the application and the environment set many keys).
func (s *session) setting(key string) (pyread.Value, bool) {
	if v := s.e.code.main.m.Value(key); v != nil && pyread.IsUpperName(key) {
		return v, true
	}
	return s.configDefault(key)
}

// properties are the security manager's properties that read a setting.
var properties = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"auth_roles_mapping": "AUTH_ROLES_MAPPING", "auth_user_registration": "AUTH_USER_REGISTRATION",
		"auth_user_registration_role": "AUTH_USER_REGISTRATION_ROLE", "auth_user_registration_role_jmespath": "AUTH_USER_REGISTRATION_ROLE_JMESPATH",
		"auth_roles_sync_at_login": "AUTH_ROLES_SYNC_AT_LOGIN", "auth_role_admin": "AUTH_ROLE_ADMIN", "auth_role_public": "AUTH_ROLE_PUBLIC",
		"auth_type": "AUTH_TYPE", "auth_username_ci": "AUTH_USERNAME_CI", "oauth_providers": "OAUTH_PROVIDERS",
	}
})

// dbMethods look the database up or write to it.
func dbMethod(name string) bool {
	switch name {
	case "find_user", "get_session", "add_user", "get_all_users", "get_user_by_id", "find_permission", "get_all_roles", "get_public_role",
		"find_roles_by_id", "count_users", "add_permission_view_menu", "find_permission_view_menu", "get_db_role_permissions":
		return true
	}
	return false
}

// smHost is the security manager's base class bound to the instance:
// what self.<name> finds when the user's classes do not define it.
func (s *session) smHost() *object {
	return &object{typ: "SecurityManager", attr: func(name string, line int) (pyread.Value, bool) {
		if key, ok := properties()[name]; ok {
			if v, ok := s.setting(key); ok {
				return v, true
			}
			return unknown("%s (app.config[%q]) is not set in the file", name, key), true
		}
		switch name {
		case "appbuilder":
			return s.appBuilder(), true
		case "oauth_remotes":
			return s.remotes(), true
		case "get_oauth_user_info":
			return fn(s.builtinUserInfo), true
		case "auth_user_oauth":
			return fn(s.builtinAuthUser), true
		case "_oauth_calculate_user_roles":
			return fn(s.builtinCalculate), true
		case "find_role":
			return fn(s.findRole), true
		case "add_role":
			return fn(s.addRole), true
		case "_azure_jwt_token_parse":
			// FAB's helper that base64-decodes the id_token's payload:
			// gone from Flask-AppBuilder 4.3.8 on (flask_appbuilder/
			// security/manager.py at v4.3.7 has it, v4.3.8 not); Airflow's
			// vendored copy and the FAB provider keep it.
			if s.azureParseGone() {
				return nil, false // AttributeError, as CPython raises it
			}
			return fn(s.azureTokenParse), true
		case "update_user", "update_user_auth_stat", "set_oauth_session":
			// writes whose effect does not change how this login ends
			return returns(pyread.FromGo(nil, line)), true
		}
		if dbMethod(name) {
			return fn(func([]pyread.Value, []pyread.KwArg, int) pyread.Value {
				return unknown("self.%s reads or writes the database, which authdoctor never touches", name)
			}), true
		}
		return unknown("self.%s comes from FAB's security manager, which this dry-run does not model", name), true
	}}
}

// azureParseGone: the release's security manager has no
// _azure_jwt_token_parse (Flask-AppBuilder ≥ 4.3.8, for Superset and
// plain FAB; Airflow's own copies keep it).
func (s *session) azureParseGone() bool {
	return !s.p.Airflow && s.p.AzureEmail != fab.AzureEmailUPN
}

// azureTokenParse is _azure_jwt_token_parse(id_token): the payload
// decoded, never verified; None when the text is not three dot-separated
// parts (FAB logs "Unable to parse token." and returns None).
func (s *session) azureTokenParse(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
	t := arg(args, kw, 0, "id_token")
	if u, ok := t.(*pyread.Unresolved); ok {
		return u
	}
	tok, bad := loadJWS(t)
	if bad != nil {
		return pyread.FromGo(nil, line)
	}
	payload, err := mustDict(tok.payload)
	if err != nil {
		return unknown("the token's payload is not a JSON object")
	}
	return payload
}

// appBuilder is self.appbuilder: .sm is the security manager itself,
// .get_app/.app the Flask app.
func (s *session) appBuilder() pyread.Value {
	return (&object{typ: "AppBuilder", attr: func(name string, line int) (pyread.Value, bool) {
		switch name {
		case "sm":
			return s.self, true
		case "get_app", "app":
			return s.app(), true
		case "get_session", "session":
			return unknown("appbuilder.%s is the database session, which authdoctor never touches", name), true
		}
		return unknown("appbuilder.%s is not modelled", name), true
	}}).value()
}

// app is the Flask app (also flask.current_app): its config holds the
// file's settings.
func (s *session) app() pyread.Value {
	return (&object{typ: "Flask", attr: func(name string, line int) (pyread.Value, bool) {
		switch name {
		case "config":
			return s.appConfig(), true
		case "logger":
			return s.logger(), true
		}
		return unknown("app.%s is not modelled", name), true
	}}).value()
}

// logger's methods do nothing.
func (s *session) logger() pyread.Value {
	return (&object{typ: "Logger", attr: func(string, int) (pyread.Value, bool) {
		return returns(pyread.FromGo(nil, 0)), true
	}}).value()
}

// appConfig is app.config: [key] and .get(key, default).
func (s *session) appConfig() pyread.Value {
	get := func(key pyread.Value, def pyread.Value, hasDef bool) pyread.Value {
		k, ok := str(key)
		if !ok {
			return unknown("a config key not known statically")
		}
		if v, ok := s.setting(k); ok {
			return v
		}
		if hasDef {
			return unknown("app.config[%q] is not set in the file; the application's defaults or the environment may set it", k)
		}
		return unknown("app.config[%q] is not set in the file; the application's defaults or the environment may set it", k)
	}
	return (&object{typ: "Config",
		item: func(key pyread.Value, line int) pyread.Value { return get(key, nil, false) },
		attr: func(name string, line int) (pyread.Value, bool) {
			if name != "get" {
				return unknown("app.config.%s is not modelled", name), true
			}
			return fn(func(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
				d := arg(args, kw, 1, "default")
				return get(arg(args, kw, 0, "key"), d, d != nil)
			}), true
		}}).value()
}

// builtinUserInfo is FAB's get_oauth_user_info of the flavour
// (super().get_oauth_user_info): the provider's built-in branch on the
// id_token (azure, authentik) or on the user-info API's answer.
func (s *session) builtinUserInfo(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
	pv, rv := arg(args, kw, 0, "provider"), arg(args, kw, 1, "resp")
	if u := unresolvedIn([]pyread.Value{pv, rv}, nil); u != nil {
		return u
	}
	name, ok := str(pv)
	if !ok {
		return unknown("a provider name that is not a string")
	}
	branch := name
	if !s.p.HasBranch(name) && s.p.Unknown == fab.UnknownGeneric {
		branch = "generic"
	}
	data, bad := s.branchData(branch, rv)
	if bad != nil {
		return bad
	}
	m := fab.MapUserInfo(s.p, fab.MapInput{Name: name, Data: data, AzureRoleClaim: s.azureRoleClaim()})
	s.builtin = &m
	s.event(evBuiltin, line, branch)
	if m.Refusal != nil {
		return branchException(m.Refusal)
	}
	return fromFab(m.UserInfo)
}

// branchData is what the built-in branch reads: the id_token's claims,
// or the user-info API's answer.
func (s *session) branchData(branch string, resp pyread.Value) (map[string]any, pyread.Value) {
	switch branch {
	case "azure", "authentik":
		d, ok := resp.(*pyread.Dict)
		if !ok {
			return nil, unknown("the token response passed to get_oauth_user_info is not a dict")
		}
		t, ok := d.Lookup("id_token")
		if !ok {
			return nil, raise("KeyError", "'id_token'")
		}
		tok, bad := loadJWS(t)
		if bad != nil {
			return nil, unknown("the id_token is not a JWT the %s branch can decode", branch)
		}
		payload, err := mustDict(tok.payload)
		if err != nil {
			return nil, unknown("the id_token's payload is not a JSON object")
		}
		return claimsOf(payload), nil
	}
	if !s.p.HasBranch(branch) && branch != "generic" {
		return map[string]any{}, nil
	}
	if s.userinfo == nil {
		return nil, s.needUserInfo("FAB's built-in %s branch calls the provider's user-info API", branch)
	}
	s.answered = "the built-in " + branch + " branch's API call"
	return claimsOf(s.userinfo), nil
}

// azureRoleClaim is AUTH_OAUTH_ROLE_KEYS["azure"] (default "roles").
func (s *session) azureRoleClaim() string {
	if st, ok := s.cfg.Get("AUTH_OAUTH_ROLE_KEYS"); ok {
		if d, ok := st.Value.(*fab.Dict); ok {
			if v, ok := d.Get("azure"); ok {
				if c, ok := fab.Str(v); ok {
					return c
				}
			}
		}
	}
	return "roles"
}

// branchException is the exception a built-in branch's failure stands
// for (the user's code may catch it).
func branchException(r *fab.Refusal) pyread.Value {
	msg := strings.TrimPrefix(r.Log, fab.LogUserInfo)
	switch {
	case strings.Contains(msg, "OAuthProviderUnknown"):
		return pyread.Raise(&pyread.ExcClass{Module: "flask_appbuilder.exceptions", Name: "OAuthProviderUnknown"}, "")
	case len(msg) > 1 && strings.HasPrefix(msg, "'") && strings.HasSuffix(msg, "'") && !strings.Contains(msg, " "):
		return raise("KeyError", msg)
	case strings.Contains(msg, "concatenate") || strings.Contains(msg, "not iterable") || strings.Contains(msg, "unhashable"):
		return raise("TypeError", msg)
	case strings.Contains(msg, "has no attribute"):
		return raise("AttributeError", msg)
	case strings.Contains(msg, "is not defined"):
		return raise("NameError", msg)
	}
	return unknown("FAB's built-in branch fails: %s", msg)
}

// remotes is self.oauth_remotes: authlib's clients by provider name.
func (s *session) remotes() pyread.Value {
	lookup := func(key pyread.Value) (pyread.Value, bool) {
		k, ok := str(key)
		if !ok {
			return unknown("a provider name not known statically"), true
		}
		pr := s.cfg.ProviderByName(k)
		if pr == nil {
			return nil, false
		}
		return s.remote(pr), true
	}
	return (&object{typ: "dict",
		item: func(key pyread.Value, line int) pyread.Value {
			if v, ok := lookup(key); ok {
				return v
			}
			return raise("KeyError", "'"+pyStrOf(key)+"'")
		},
		attr: func(name string, line int) (pyread.Value, bool) {
			if name != "get" {
				return unknown("oauth_remotes.%s is not modelled", name), true
			}
			return fn(func(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
				if v, ok := lookup(arg(args, kw, 0, "key")); ok {
					return v
				}
				if d := arg(args, kw, 1, "default"); d != nil {
					return d
				}
				return pyread.FromGo(nil, line)
			}), true
		}}).value()
}

// ---- roles and users ----

// role is a Role row; one object per name, as SQLAlchemy's identity map
// gives.
func (s *session) role(name string) pyread.Value {
	if r, ok := s.roleObjs[name]; ok {
		return r
	}
	r := (&object{typ: "Role", attr: func(attr string, line int) (pyread.Value, bool) {
		switch attr {
		case "name":
			return pyread.FromGo(name, line), true
		case "id", "permissions", "user":
			return unknown("Role.%s comes from the database", attr), true
		}
		return nil, false
	}}).value()
	s.roleObjs[name] = r
	s.roleNames[r.Host] = name
	return r
}

// findRole is find_role(name): a role known to exist, None for one known
// missing; a role only the database may hold is taken as existing, as
// FAB's own role step is (said in a note).
func (s *session) findRole(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
	v := arg(args, kw, 0, "name")
	if u, ok := v.(*pyread.Unresolved); ok {
		return u
	}
	name, ok := str(v)
	if !ok {
		return unknown("find_role of a value that is not a string")
	}
	if s.created[name] {
		return s.role(name)
	}
	switch s.roles.Exists(name) {
	case fab.RoleMissing:
		return pyread.FromGo(nil, line)
	case fab.RoleUnknown:
		s.note("role %q (find_role, line %d) is not a built-in role: it is taken as existing in the database (--roles-file makes this exact)", name, line)
	}
	return s.role(name)
}

// addRole is add_role(name): the role exists from then on.
func (s *session) addRole(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
	name, ok := str(arg(args, kw, 0, "name"))
	if !ok {
		return unknown("add_role of a name not known statically")
	}
	s.created[name] = true
	return s.role(name)
}

// builtinAuthUser is FAB's auth_user_oauth (super().auth_user_oauth): a
// User with the roles FAB gives, or None.
func (s *session) builtinAuthUser(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
	ui, bad := s.userinfoArg(arg(args, kw, 0, "userinfo"))
	if bad != nil {
		return bad
	}
	roles, refusal := s.roles.AuthUser(ui)
	if refusal != nil {
		if refusal.Message == fab.MsgInvalidLogin && !strings.Contains(refusal.Message, "500") {
			return pyread.FromGo(nil, line)
		}
		return unknown("FAB's auth_user_oauth fails: %s", refusal.Reason)
	}
	return s.user(ui, roles, line)
}

// builtinCalculate is FAB's _oauth_calculate_user_roles: a list of Role.
func (s *session) builtinCalculate(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
	ui, bad := s.userinfoArg(arg(args, kw, 0, "userinfo"))
	if bad != nil {
		return bad
	}
	roles, refusal := s.roles.Calculate(ui)
	if refusal != nil {
		return unknown("FAB's _oauth_calculate_user_roles fails: %s", refusal.Reason)
	}
	return s.roleList(roles)
}

func (s *session) roleList(names []string) pyread.Value {
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = s.role(n)
	}
	return pyread.FromGo(out, 0)
}

// userinfoArg is a user-info dict argument as pkg/fab's dict.
func (s *session) userinfoArg(v pyread.Value) (*fab.Dict, pyread.Value) {
	if u, ok := v.(*pyread.Unresolved); ok {
		return nil, u
	}
	d, ok := s.e.plainOf(v).(*fab.Dict)
	if !ok {
		return nil, unknown("a user-info that is not a dict")
	}
	return d, nil
}

// user is a User row: its roles can be read and replaced.
func (s *session) user(ui *fab.Dict, roles []string, line int) pyread.Value {
	fields := map[string]pyread.Value{"roles": s.roleList(roles), "is_active": pyread.FromGo(true, line), "active": pyread.FromGo(true, line)}
	for _, k := range []string{"username", "email", "first_name", "last_name"} {
		if v, ok := ui.Get(k); ok {
			fields[k] = fromFab(v)
		}
	}
	if _, ok := fields["username"]; !ok {
		fields["username"] = fields["email"]
	}
	u := &object{typ: "User"}
	u.attr = func(name string, line int) (pyread.Value, bool) {
		if v, ok := fields[name]; ok && v != nil {
			return v, true
		}
		return unknown("User.%s comes from the database", name), true
	}
	u.set = func(name string, v pyread.Value, line int) { fields[name] = v }
	s.users[u] = fields
	return u.value()
}

// rolesOf reads the role names of a returned user (or a list of roles).
func (s *session) rolesOf(v pyread.Value) ([]string, string) {
	if h, ok := v.(*pyread.HostValue); ok {
		if o, ok := h.Host.(*object); ok {
			if f, ok := s.users[o]; ok {
				return s.roleNamesOf(f["roles"])
			}
		}
		return nil, "a " + h.Type() + ", not a User"
	}
	return s.roleNamesOf(v)
}

func (s *session) roleNamesOf(v pyread.Value) ([]string, string) {
	var elems []pyread.Value
	switch x := v.(type) {
	case *pyread.List:
		elems = x.Elems
	case *pyread.Tuple:
		elems = x.Elems
	case *pyread.Set:
		elems = x.Elems
	case *pyread.Unresolved:
		return nil, x.Reason
	default:
		return nil, fmt.Sprintf("roles that are a %s, not a list of Role", v.Type())
	}
	var out []string
	for _, e := range elems {
		if isNone(e) {
			continue
		}
		h, ok := e.(*pyread.HostValue)
		if !ok {
			return nil, fmt.Sprintf("a role that is a %s, not a Role", e.Type())
		}
		n, ok := s.roleNames[h.Host]
		if !ok {
			return nil, "a role object not known statically"
		}
		out = append(out, n)
	}
	return out, ""
}
