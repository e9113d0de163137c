package pyread

import (
	"reflect"
	"strings"
	"testing"
)

// ---- hosts a caller might supply (the bridge supplies FAB's and PyJWT's) ----

// testHost is a host made of Go functions.
type testHost struct {
	typ   string
	attrs map[string]Value
	call  func(args []Value, kw []KwArg, line int) Value
	item  func(key Value, line int) Value
}

func (h *testHost) TypeName() string { return h.typ }
func (h *testHost) GetAttr(name string, line int) (Value, bool) {
	v, ok := h.attrs[name]
	return v, ok
}
func (h *testHost) GetItem(key Value, line int) Value {
	if h.item == nil {
		return Raise(BuiltinExc("TypeError"), "'"+h.typ+"' object is not subscriptable")
	}
	return h.item(key, line)
}
func (h *testHost) Call(args []Value, kw []KwArg, line int) Value {
	if h.call == nil {
		return Raise(BuiltinExc("TypeError"), "'"+h.typ+"' object is not callable")
	}
	return h.call(args, kw, line)
}

func hostFunc(name string, f func(args []Value, kw []KwArg, line int) Value) *HostValue {
	return NewHost(&testHost{typ: "function", call: f})
}

// PyJWT's exception classes, as the bridge would declare them.
var (
	pyJWTError        = &ExcClass{Module: "jwt.exceptions", Name: "PyJWTError"}
	invalidTokenError = &ExcClass{Module: "jwt.exceptions", Name: "InvalidTokenError", Bases: []*ExcClass{pyJWTError}}
	decodeError       = &ExcClass{Module: "jwt.exceptions", Name: "DecodeError", Bases: []*ExcClass{invalidTokenError}}
)

const algorithmsMsg = `It is required that you pass in a value for the "algorithms" argument when calling decode().`

// fakeJWT is a jwt module whose decode returns claims for "a.b.c" when
// verification is off as PyJWT 2 turns it off, and raises as PyJWT 2 does
// otherwise.
func fakeJWT(claims map[string]any) (jwt, exceptions Host) {
	excs := &testHost{typ: "module", attrs: map[string]Value{"DecodeError": decodeError, "InvalidTokenError": invalidTokenError, "PyJWTError": pyJWTError}}
	decode := hostFunc("decode", func(args []Value, kw []KwArg, line int) Value {
		if s, ok := args[0].(*Str); !ok || strings.Count(s.V, ".") != 2 {
			return Raise(decodeError, "Not enough segments")
		}
		for _, k := range kw {
			if k.Name == "options" {
				if d, ok := k.Value.(*Dict); ok {
					if v, ok := d.Lookup("verify_signature"); ok {
						if b, ok := v.(*Bool); ok && !b.V {
							return FromGo(claims, line)
						}
					}
				}
			}
			if k.Name == "algorithms" {
				return &Unresolved{Reason: "verifying the signature needs the provider's keys"}
			}
		}
		return Raise(decodeError, algorithmsMsg)
	})
	jwt = &testHost{typ: "module", attrs: map[string]Value{"decode": decode, "DecodeError": decodeError,
		"InvalidTokenError": invalidTokenError, "exceptions": NewHost(excs)}}
	return jwt, excs
}

// securityManager is a host standing for FAB's security manager bound to
// the instance: the built-in get_oauth_user_info, config, remotes.
func securityManager(userinfoJSON map[string]any) Host {
	response := &testHost{typ: "Response", attrs: map[string]Value{
		"json":        hostFunc("json", func([]Value, []KwArg, int) Value { return FromGo(userinfoJSON, 0) }),
		"status_code": mkInt(200, 0),
	}}
	remote := &testHost{typ: "FlaskOAuth2App", attrs: map[string]Value{
		"get": hostFunc("get", func(args []Value, kw []KwArg, line int) Value {
			if userinfoJSON == nil {
				return &Unresolved{Reason: "the user-info response is not given (--userinfo)"}
			}
			return NewHost(response)
		}),
	}}
	remotes := &testHost{typ: "dict", item: func(key Value, line int) Value { return NewHost(remote) }}
	sm := &testHost{typ: "SecurityManager", attrs: map[string]Value{"oauth_remotes": NewHost(remotes)}}
	appbuilder := &testHost{typ: "AppBuilder", attrs: map[string]Value{"sm": NewHost(sm)}}
	return &testHost{typ: "AzureCustomSecurity", attrs: map[string]Value{
		"appbuilder": NewHost(appbuilder),
		"get_oauth_user_info": hostFunc("get_oauth_user_info", func(args []Value, kw []KwArg, line int) Value {
			return FromGo(map[string]any{"username": "builtin", "role_keys": []any{"from-roles-claim"}}, line)
		}),
		"find_user": hostFunc("find_user", func([]Value, []KwArg, int) Value {
			return &Unresolved{Reason: "looks the user up in the database"}
		}),
		"auth_roles_mapping": FromGo(map[string]any{"admins": []any{"Admin"}}, 0),
	}}
}

func readWithJWT(t *testing.T, src string, claims map[string]any) *Module {
	t.Helper()
	jwt, excs := fakeJWT(claims)
	m := Read("webserver_config.py", []byte(src), Options{HostModules: map[string]Host{"jwt": jwt, "jwt.exceptions": excs}})
	for _, d := range m.SyntaxErrors() {
		t.Fatalf("syntax: %v", d)
	}
	return m
}

func callMethod(t *testing.T, m *Module, class, method string, base Host, args ...Value) Outcome {
	t.Helper()
	inst, err := m.NewInstance(class, base)
	if err != nil {
		t.Fatal(err)
	}
	return m.CallMethod(inst, method, args, nil)
}

func goValue(v Value) any { return ToGo(v) }

const seedClass = `import jwt
from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH

class AzureCustomSecurity(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        if provider == "azure":
            me = jwt.decode(resp["id_token"], options={"verify_signature": False})
            return {"username": me["preferred_username"], "email": me.get("email", ""),
                    "role_keys": me.get("groups", [])}
        return super().get_oauth_user_info(provider, resp)

SECURITY_MANAGER_CLASS = AzureCustomSecurity
`

func TestSeedPatternWithHosts(t *testing.T) {
	claims := map[string]any{"preferred_username": "ada@corp", "groups": []any{"g-admins"}, "roles": []any{"r"}}
	m := readWithJWT(t, seedClass, claims)
	resp := FromGo(map[string]any{"id_token": "a.b.c", "access_token": "x"}, 0)
	o := callMethod(t, m, "AzureCustomSecurity", "get_oauth_user_info", securityManager(nil), mkStr("azure", 0), resp)
	want := map[string]any{"username": "ada@corp", "email": "", "role_keys": []any{"g-admins"}}
	if o.Kind != Returned || !reflect.DeepEqual(goValue(o.Value), want) {
		t.Fatalf("azure: %s, want %v", describeOutcome(o), want)
	}
	// another provider: super() reaches the base class's behaviour
	o = callMethod(t, m, "AzureCustomSecurity", "get_oauth_user_info", securityManager(nil), mkStr("github", 0), resp)
	if o.Kind != Returned || goValue(o.Value).(map[string]any)["username"] != "builtin" {
		t.Fatalf("github: %s", describeOutcome(o))
	}
	// the module's bindings are what reading gave
	if _, ok := m.Value("SECURITY_MANAGER_CLASS").(*Opaque); !ok {
		t.Errorf("SECURITY_MANAGER_CLASS = %v", m.Value("SECURITY_MANAGER_CLASS"))
	}
}

func TestPyJWT1SpellingRaisesDecodeError(t *testing.T) {
	src := strings.Replace(seedClass, `options={"verify_signature": False}`, `verify=False`, 1)
	m := readWithJWT(t, src, nil)
	resp := FromGo(map[string]any{"id_token": "a.b.c"}, 0)
	o := callMethod(t, m, "AzureCustomSecurity", "get_oauth_user_info", securityManager(nil), mkStr("azure", 0), resp)
	want := &Exception{Type: "DecodeError", Module: "jwt.exceptions", Message: algorithmsMsg, Line: 10,
		Text: "jwt.exceptions.DecodeError: " + algorithmsMsg}
	if o.Kind != Raised || !reflect.DeepEqual(o.Exception, want) {
		t.Fatalf("%s\nwant %+v", describeOutcome(o), want)
	}
}

func TestHostExceptionsAreCaughtByTheirBases(t *testing.T) {
	m := readWithJWT(t, `
import jwt
import jwt.exceptions
from jwt import decode
from jwt.exceptions import DecodeError as DE

def by_base(token):
    try:
        return jwt.decode(token)
    except jwt.InvalidTokenError as e:
        return "invalid: " + str(e)

def by_dotted(token):
    try:
        return decode(token)
    except jwt.exceptions.DecodeError as e:
        return ["dotted", str(e), isinstance(e, jwt.InvalidTokenError), isinstance(e, ValueError)]

def by_exception(token):
    try:
        return decode(token)
    except (KeyError, Exception):
        return "caught"

def not_caught(token):
    try:
        return DE and decode(token)
    except KeyError:
        return "wrong"

def raised_by_code(token):
    raise DE("made here")
`, nil)
	tok := []Value{mkStr("not-a-jwt", 0)}
	cases := map[string]any{
		"by_base":      "invalid: Not enough segments",
		"by_dotted":    []any{"dotted", "Not enough segments", true, false},
		"by_exception": "caught",
	}
	for fn, want := range cases {
		o := m.CallFunction(m.Function(fn), tok, nil)
		if o.Kind != Returned || !reflect.DeepEqual(goValue(o.Value), want) {
			t.Errorf("%s: %s, want %v", fn, describeOutcome(o), want)
		}
	}
	o := m.CallFunction(m.Function("not_caught"), tok, nil)
	if o.Kind != Raised || o.Exception.Text != "jwt.exceptions.DecodeError: Not enough segments" || o.Exception.Line != 27 {
		t.Errorf("not_caught: %s", describeOutcome(o))
	}
	o = m.CallFunction(m.Function("raised_by_code"), tok, nil)
	if o.Kind != Raised || o.Exception.Text != "jwt.exceptions.DecodeError: made here" || o.Exception.Line != 32 {
		t.Errorf("raised_by_code: %s", describeOutcome(o))
	}
}

func TestUserInfoThroughRemotes(t *testing.T) {
	src := `
import logging
from superset.security import SupersetSecurityManager
log = logging.getLogger(__name__)

class CustomSecurityManager(SupersetSecurityManager):
    def oauth_user_info(self, provider, response=None):
        log.debug("Oauth2 provider: %s", provider)
        if provider == "keycloak":
            me = self.appbuilder.sm.oauth_remotes[provider].get("openid-connect/userinfo").json()
            logging.getLogger(__name__).info("user_data: %s", me)
            print(me)
            return {"username": me["preferred_username"], "role_keys": me.get("roles", []),
                    "mapping": self.auth_roles_mapping}

class Broken(CustomSecurityManager):
    def oauth_user_info(self, provider, response=None):
        return self.appbuilder.sm.oauth_remotes[provider].get("userinfo").data
`
	m := Read("superset_config.py", []byte(src), Options{})
	kc := mkStr("keycloak", 0)
	// without the user-info document: unknown, naming the call
	o := callMethod(t, m, "CustomSecurityManager", "oauth_user_info", securityManager(nil), kc)
	if o.Kind != Unknown || o.Cause.Line != 10 || o.Cause.Kind != UnknownCall ||
		o.Cause.Call != `self.appbuilder.sm.oauth_remotes[provider].get("openid-connect/userinfo")` {
		t.Fatalf("no userinfo: %s %+v", describeOutcome(o), o.Cause)
	}
	// with it: the roles
	o = callMethod(t, m, "CustomSecurityManager", "oauth_user_info",
		securityManager(map[string]any{"preferred_username": "ada", "roles": []any{"admin"}}), kc)
	want := map[string]any{"username": "ada", "role_keys": []any{"admin"}, "mapping": map[string]any{"admins": []any{"Admin"}}}
	if o.Kind != Returned || !reflect.DeepEqual(goValue(o.Value), want) {
		t.Fatalf("with userinfo: %s", describeOutcome(o))
	}
	// .data does not exist on authlib's responses
	o = callMethod(t, m, "Broken", "oauth_user_info", securityManager(map[string]any{}), kc)
	if o.Kind != Raised || o.Exception.Text != "AttributeError: 'Response' object has no attribute 'data'" || o.Exception.Line != 18 {
		t.Fatalf(".data: %s", describeOutcome(o))
	}
}

func TestUnknownOutcomesNameTheirFirstCause(t *testing.T) {
	m := Read("config.py", []byte(`
import os
import requests
from somewhere import lookup, BaseSM

class SM(BaseSM):
    def from_graph(self, provider, resp):
        me = requests.get("https://graph.microsoft.com/v1.0/me", headers={"Authorization": "Bearer " + resp["access_token"]}).json()
        return {"username": me["userPrincipalName"], "later": lookup(me)}

    def from_db(self, provider, resp):
        user = self.find_user(email=resp["email"])
        if user:
            return {"username": user.username}
        return {"username": resp["email"]}

    def same_either_way(self, provider, resp):
        user = self.find_user(email=resp["email"])
        if user:
            log_it = 1
        return {"username": resp["email"]}

    def from_env(self, provider, resp):
        return {"tenant": os.environ["TENANT_ID"]}

    def env_with_fallback(self, provider, resp):
        try:
            return {"tenant": os.environ["TENANT_ID"]}
        except KeyError:
            return {"tenant": "common"}

    def no_base(self, provider, resp):
        return self.appbuilder
`), Options{})
	resp := FromGo(map[string]any{"access_token": "t", "email": "a@b"}, 0)
	args := []Value{mkStr("azure", 0), resp}
	call := func(method string, base Host) Outcome {
		inst, _ := m.NewInstance("SM", base)
		return m.CallMethod(inst, method, args, nil)
	}
	o := call("from_graph", securityManager(nil))
	if o.Kind != Unknown || o.Cause.Callee != "requests.get" || o.Cause.Line != 8 || !strings.HasPrefix(o.Cause.Call, `requests.get("https://graph.microsoft.com/v1.0/me"`) {
		t.Errorf("from_graph: %s %+v", describeOutcome(o), o.Cause)
	}
	o = call("from_db", securityManager(nil))
	if o.Kind != Unknown || o.Cause.Callee != "self.find_user" || o.Cause.Call != `self.find_user(email=resp["email"])` || o.Cause.Line != 12 {
		t.Errorf("from_db: %s %+v", describeOutcome(o), o.Cause)
	}
	o = call("same_either_way", securityManager(nil))
	if o.Kind != Returned || !reflect.DeepEqual(goValue(o.Value), map[string]any{"username": "a@b"}) {
		t.Errorf("same_either_way: %s", describeOutcome(o))
	}
	o = call("from_env", securityManager(nil))
	if o.Kind != Unknown || o.Cause.Kind != UnknownEnv || !reflect.DeepEqual(o.Cause.Env, []string{"TENANT_ID"}) {
		t.Errorf("from_env: %s %+v", describeOutcome(o), o.Cause)
	}
	o = call("env_with_fallback", securityManager(nil))
	if o.Kind != Returned || !reflect.DeepEqual(goValue(o.Value), map[string]any{"tenant": "common"}) {
		t.Errorf("env_with_fallback: %s", describeOutcome(o))
	}
	o = call("no_base", nil)
	if o.Kind != Unknown || o.Cause.Kind != UnknownImported || o.Cause.Line != 33 {
		t.Errorf("no_base: %s %+v", describeOutcome(o), o.Cause)
	}
}

func TestDecoratorsIntrospectionAndGetter(t *testing.T) {
	m := Read("superset_config.py", []byte(`
from flask_appbuilder.security.manager import AUTH_OAUTH
from superset.security import SupersetSecurityManager as SSM
import functools

def traced(f):
    @functools.wraps(f)
    def wrapper(*a, **kw):
        return f(*a, **kw)
    return wrapper

class Mixin:
    ROLE = "Gamma"
    def role(self):
        return self.ROLE

class CustomSM(Mixin, SSM):
    """docs"""
    default = {"a": 1}

    @traced
    def oauth_user_info(self, provider, response=None, *rest, extra, **kw):
        return {"username": "x"}

    def plain(self):
        return self.role()

@appbuilder.sm.oauth_user_info_getter
def my_user_info_getter(sm, provider, response=None):
    if provider == "okta":
        me = sm.oauth_remotes[provider].get("userinfo").json()
        return {"username": "okta_" + me["sub"]}
    return {}

CUSTOM_SECURITY_MANAGER = CustomSM
`), Options{})
	cls := m.Class("CustomSM")
	if cls == nil || cls.Line != 17 {
		t.Fatalf("classes: %+v", m.Classes())
	}
	if !reflect.DeepEqual(cls.Bases, []ClassBase{{Source: "Mixin", Qualname: "Mixin", InFile: true},
		{Source: "SSM", Qualname: "superset.security.SupersetSecurityManager"}}) {
		t.Errorf("bases: %+v", cls.Bases)
	}
	if !reflect.DeepEqual(cls.MRO, []string{"CustomSM", "Mixin", "superset.security.SupersetSecurityManager"}) {
		t.Errorf("MRO: %v", cls.MRO)
	}
	oui := cls.Method("oauth_user_info")
	if oui == nil || oui.Line != 22 || !reflect.DeepEqual(oui.Decorators, []string{"traced"}) ||
		!reflect.DeepEqual(oui.Params, []Param{{Name: "self"}, {Name: "provider"}, {Name: "response", Default: "None"},
			{Name: "rest", Kind: "*"}, {Name: "extra", Kind: "kw"}, {Name: "kw", Kind: "**"}}) {
		t.Errorf("oauth_user_info: %+v", oui)
	}
	if len(cls.Attrs) != 1 || cls.Attrs[0].Name != "default" || cls.Attrs[0].Line != 19 {
		t.Errorf("attrs: %+v", cls.Attrs)
	}
	// a method whose decorator the reader does not apply is not evaluated
	o := callMethod(t, m, "CustomSM", "oauth_user_info", nil, mkStr("okta", 0))
	if o.Kind != Unknown || o.Cause.Kind != UnknownDecorated {
		t.Errorf("decorated: %s %+v", describeOutcome(o), o.Cause)
	}
	// an in-file mixin answers before the imported base
	o = callMethod(t, m, "CustomSM", "plain", nil)
	if o.Kind != Returned || goValue(o.Value) != "Gamma" {
		t.Errorf("plain: %s", describeOutcome(o))
	}
	fns := m.Functions()
	var getter *Func
	for _, f := range fns {
		if f.Name == "my_user_info_getter" {
			getter = f
		}
	}
	if getter == nil || !reflect.DeepEqual(getter.Decorators, []string{"appbuilder.sm.oauth_user_info_getter"}) || getter.Line != 29 {
		t.Fatalf("functions: %+v", getter)
	}
	// the caller applies the decorator's meaning: the function itself runs
	sm := securityManager(map[string]any{"sub": "42"}).(*testHost)
	smHost := NewHost(&testHost{typ: "SecurityManager", attrs: sm.attrs["appbuilder"].(*HostValue).Host.(*testHost).attrs["sm"].(*HostValue).Host.(*testHost).attrs})
	o = m.CallFunction(getter, []Value{smHost, mkStr("okta", 0)}, nil)
	if o.Kind != Returned || !reflect.DeepEqual(goValue(o.Value), map[string]any{"username": "okta_42"}) {
		t.Errorf("getter: %s", describeOutcome(o))
	}
}

func TestCallsDoNotChangeTheModule(t *testing.T) {
	m := Read("config.py", []byte(`
ROLES = {"admins": ["Admin"]}
def add(name):
    ROLES[name] = ["Viewer"]
    global COUNT
    COUNT = 1
    return sorted(ROLES)
`), Options{})
	for i := 0; i < 2; i++ {
		o := m.CallFunction(m.Function("add"), []Value{mkStr("users", 0)}, nil)
		if o.Kind != Returned || !reflect.DeepEqual(goValue(o.Value), []any{"admins", "users"}) {
			t.Fatalf("call %d: %s", i, describeOutcome(o))
		}
	}
	if got := jsonOf(t, m, "ROLES"); got != `{"admins":["Admin"]}` {
		t.Errorf("ROLES = %s after calls", got)
	}
	if _, ok := m.Lookup("COUNT"); ok {
		t.Errorf("COUNT bound by a call")
	}
}

func TestExplicitBaseCallReachesTheHost(t *testing.T) {
	m := Read("config.py", []byte(`
from airflow.www.security import AirflowSecurityManager

class Mid(AirflowSecurityManager):
    pass

class Custom(Mid):
    def get_oauth_user_info(self, provider, resp):
        info = AirflowSecurityManager.get_oauth_user_info(self, provider, resp)
        info2 = Mid.get_oauth_user_info(self, provider, resp)
        info["role_keys"] = info["role_keys"] + info2["role_keys"]
        return info
`), Options{})
	o := callMethod(t, m, "Custom", "get_oauth_user_info", securityManager(nil), mkStr("x", 0), newDict(0))
	want := map[string]any{"username": "builtin", "role_keys": []any{"from-roles-claim", "from-roles-claim"}}
	if o.Kind != Returned || !reflect.DeepEqual(goValue(o.Value), want) {
		t.Fatalf("%s", describeOutcome(o))
	}
}

func TestBranchesTheReaderCannotChoose(t *testing.T) {
	m := Read("config.py", []byte(`
import logging
import requests
from somewhere import Base
logger = logging.getLogger(__name__)

class Helper:
    def __init__(self, prefix):
        self.prefix = prefix
    def name(self, x):
        return self.prefix + x

class SM(Base):
    def differ(self, provider, resp):
        if requests.head(resp["url"]).ok:
            return {"username": "a"}
        return {"username": "b"}

    def instance_attrs(self, provider, resp):
        self.kind = "fixed"
        if requests.head(resp["url"]).ok:
            self.flag = 1
        else:
            self.flag = 2
        return {"kind": self.kind, "name": Helper("u_").name(resp["sub"])}

    def instance_flag(self, provider, resp):
        if requests.head(resp["url"]).ok:
            self.flag = 1
        else:
            self.flag = 2
        return self.flag

    def try_unknown(self, provider, resp):
        try:
            info = requests.get(resp["url"]).json()
        except Exception:
            info = {}
        return info

    def one_path_raises(self, provider, resp):
        if requests.head(resp["url"]).ok:
            raise ValueError("refused")
        return {"username": "a"}

    def own_log(self, provider, resp):
        log = {"entries": []}
        log["entries"].append(1)
        return log

    def log_with_unknown_args(self, provider, resp):
        logger.info("graph says %s", requests.get(resp["url"]).json())
        return {"username": resp["sub"]}
`), Options{})
	resp := FromGo(map[string]any{"url": "https://idp/x", "sub": "42"}, 0)
	call := func(method string) Outcome {
		inst, err := m.NewInstance("SM", securityManager(nil))
		if err != nil {
			t.Fatal(err)
		}
		return m.CallMethod(inst, method, []Value{mkStr("azure", 0), resp}, nil)
	}
	for method, line := range map[string]int{"differ": 15, "instance_flag": 28, "try_unknown": 36, "one_path_raises": 42} {
		o := call(method)
		if o.Kind != Unknown || o.Cause.Line != line || o.Cause.Kind != UnknownCall || !strings.HasPrefix(o.Cause.Callee, "requests.") {
			t.Errorf("%s: %s %+v, want unknown because of the request at line %d", method, describeOutcome(o), o.Cause, line)
		}
	}
	// what the branches agree on stays known, self included
	o := call("instance_attrs")
	if o.Kind != Returned || !reflect.DeepEqual(goValue(o.Value), map[string]any{"kind": "fixed", "name": "u_42"}) {
		t.Errorf("instance_attrs: %s", describeOutcome(o))
	}
	o = call("own_log")
	if o.Kind != Returned || !reflect.DeepEqual(goValue(o.Value), map[string]any{"entries": []any{int64(1)}}) {
		t.Errorf("own_log: %s", describeOutcome(o))
	}
	o = call("log_with_unknown_args")
	if o.Kind != Returned || !reflect.DeepEqual(goValue(o.Value), map[string]any{"username": "42"}) {
		t.Errorf("log_with_unknown_args: %s", describeOutcome(o))
	}
}

func TestImportedValuesAreNotKnown(t *testing.T) {
	m := Read("config.py", []byte(`
from flask import current_app
from my_settings import DEFAULT_ROLE

def f(resp):
    return {"role_keys": [DEFAULT_ROLE]}

def g(resp):
    return current_app.config["ROLE"]
`), Options{})
	for fn, line := range map[string]int{"f": 3, "g": 9} {
		o := m.CallFunction(m.Function(fn), []Value{newDict(0)}, nil)
		if o.Kind != Unknown || o.Cause.Kind != UnknownImported || o.Cause.Line != line {
			t.Errorf("%s: %s %+v", fn, describeOutcome(o), o.Cause)
		}
	}
}

// logging.getLogger(...) returns a logger (CPython), not None: its
// methods are log calls. Seen in a real Superset security manager, where
// reading it as None made every login "raise" AttributeError.
func TestGetLoggerInAMethodIsALogger(t *testing.T) {
	src := `
import logging

class SM:
    def oauth_user_info(self, provider, response=None):
        log = logging.getLogger("TEST")
        log.debug("provider %s", provider)
        logging.getLogger(__name__).warning("x")
        return {"username": provider}
`
	m := Read("superset_config.py", []byte(src), Options{})
	o := callMethod(t, m, "SM", "oauth_user_info", securityManager(nil), mkStr("keycloak", 0))
	if o.Kind != Returned || !reflect.DeepEqual(goValue(o.Value), map[string]any{"username": "keycloak"}) {
		t.Fatalf("%s", describeOutcome(o))
	}
}

// An if on an unset variable takes the unset branch (truthOf), and what
// it assigns says which variables chose it; a test on a set variable, or
// no test, records nothing.
func TestIfUnsetRecordsTheVariablesThatChoseTheBranch(t *testing.T) {
	src := `
import os
if os.environ.get("OAUTH_APP_ID") and os.environ.get("OAUTH_APP_SECRET"):
    AUTH_TYPE = 4
else:
    AUTH_TYPE = 1
if os.environ.get("SET_ONE"):
    MODE = "a"
else:
    MODE = "b"
PLAIN = 2
`
	m := Read("webserver_config.py", []byte(src), Options{Env: map[string]string{"SET_ONE": "x"}})
	for name, want := range map[string]string{"AUTH_TYPE": "OAUTH_APP_ID", "MODE": "", "PLAIN": ""} {
		b, ok := m.Lookup(name)
		if !ok {
			t.Fatalf("no %s", name)
		}
		if got := strings.Join(b.IfUnset, ","); got != want {
			t.Errorf("%s: IfUnset %q, want %q", name, got, want)
		}
	}
}

// raise Imported("msg") of an exception class from a module the reader
// does not read is that exception, as CPython's last traceback line shows
// it, not an unknown call.
func TestRaiseOfAnImportedExceptionClass(t *testing.T) {
	src := `
from airflow.exceptions import AirflowException

def check(roles):
    if "pipeline-squad" not in roles:
        raise AirflowException("User does not have required roles")
    return True
`
	m := Read("webserver_config.py", []byte(src), Options{})
	o := m.CallFunction(m.Function("check"), []Value{FromGo([]any{"viewer"}, 0)}, nil)
	if o.Kind != Raised || o.Exception.Text != "airflow.exceptions.AirflowException: User does not have required roles" || o.Exception.Line != 6 {
		t.Fatalf("%s", describeOutcome(o))
	}
}
