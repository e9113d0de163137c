package usercode

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// Login is what one login hands the user's code.
type Login struct {
	// Config is the config the code belongs to.
	Config *fab.Config
	// Response is the token endpoint's response, a JSON object (for a
	// bare JWT the caller passes {"access_token": JWT, "id_token": JWT}
	// and says so in ResponseNote).
	Response     []byte
	ResponseNote string
	// UserInfo is the user-info API's answer (--userinfo), nil when not
	// given; UserInfoFrom names it ("--userinfo @me.json").
	UserInfo     []byte
	UserInfoFrom string
	// Now is the instant PyJWT's time checks use (zero: the clock).
	Now time.Time
	// KeySets are the key sets at hand by URL (doctor's fetched ones): a
	// jwt.PyJWKClient of one of them answers from it.
	KeySets map[string][]byte
}

// Evaluator runs the user's code of one login statically; it is the
// fab.UserCodeEval that Simulate takes. Not for concurrent use.
type Evaluator struct {
	code *Code
	in   Login
	// mods are the modules read again with the hosts bound to sess.
	mods map[*module]*pyread.Module
	sess *session
	// resp and userinfo are the inputs as reader values (errors say why
	// they could not be read).
	resp        *pyread.Dict
	respErr     error
	userinfo    *pyread.Dict
	userinfoErr error
	// lint: the login is a representative one whose tokens no IdP signed
	// (a signature check is not known).
	lint bool
}

// session is the state of one call of the user's code, shared with the
// hosts (created once, bound when the modules are read).
type session struct {
	e        *Evaluator
	cfg      *fab.Config
	p        fab.Profile
	provider string
	now      time.Time
	// self is the security manager (the instance, or its host alone for
	// a getter): appbuilder.sm.
	self         pyread.Value
	userinfo     *pyread.Dict
	userinfoRaw  []byte
	userinfoFrom string
	// answered is the request --userinfo answered ("" before any).
	answered string
	// builtin is the built-in branch the code ran (super()).
	builtin *fab.Mapped
	roles   fab.RoleBuiltins
	// supplies maps an unknown's reason to the flag that would supply it.
	supplies  map[string]string
	events    []event
	notes     []string
	roleObjs  map[string]pyread.Value
	roleNames map[pyread.Host]string
	created   map[string]bool
	users     map[*object]map[string]pyread.Value
}

// event is something the code did that lint judges.
type event struct {
	kind   string
	line   int
	detail string
}

// Events of a call.
const (
	evVerifyOff    = "verify-off"    // jwt.decode with verify_signature False
	evPyJWT1Verify = "pyjwt1-verify" // jwt.decode(..., verify=...)
	evVerified     = "verified"      // a signature checked
	evFetch        = "fetch"         // a key set fetched at login
	evGet          = "get"           // an API call through authlib (METHOD URL)
	evHTTP         = "http"          // a request through requests/httpx
	evTLSOff       = "tls-off"       // verify=False on a request
	evBuiltin      = "builtin"       // super().get_oauth_user_info
)

func (s *session) event(kind string, line int, detail string) {
	s.events = append(s.events, event{kind: kind, line: line, detail: detail})
}

func (s *session) note(format string, a ...any) {
	n := fmt.Sprintf(format, a...)
	for _, x := range s.notes {
		if x == n {
			return
		}
	}
	s.notes = append(s.notes, n)
}

// Evaluator prepares the user's code for a login; nil when there is no
// user code (FAB's own code decides).
func (c *Code) Evaluator(in Login) *Evaluator {
	if c == nil {
		return nil
	}
	e := &Evaluator{code: c, in: in, mods: map[*module]*pyread.Module{}}
	e.sess = &session{e: e}
	if len(in.Response) > 0 {
		e.resp, e.respErr = mustDict(in.Response)
	}
	if in.UserInfo != nil {
		e.userinfo, e.userinfoErr = mustDict(in.UserInfo)
	}
	return e
}

// begin resets the session for a call.
func (e *Evaluator) begin(p fab.Profile, provider string) *session {
	s := e.sess
	*s = session{e: e, cfg: e.in.Config, p: p, provider: provider, now: e.in.Now, userinfo: e.userinfo, userinfoRaw: e.in.UserInfo,
		userinfoFrom: e.in.UserInfoFrom, supplies: map[string]string{}, roleObjs: map[string]pyread.Value{},
		roleNames: map[pyread.Host]string{}, created: map[string]bool{}, users: map[*object]map[string]pyread.Value{}}
	if s.now.IsZero() {
		s.now = time.Now()
	}
	if s.userinfoFrom == "" {
		s.userinfoFrom = "--userinfo"
	}
	if e.in.ResponseNote != "" {
		s.note("%s", e.in.ResponseNote)
	}
	return s
}

// module is a module of the user's code read again with the hosts that
// stand for PyJWT, requests and flask (bound to the session).
func (e *Evaluator) module(mod *module) *pyread.Module {
	if m, ok := e.mods[mod]; ok {
		return m
	}
	s := e.sess
	jwt, excs := s.jwtHosts()
	hosts := map[string]pyread.Host{"jwt": jwt, "jwt.exceptions": excs, "requests": s.requestsHost("requests"),
		"requests.exceptions": s.requestsHost("requests").(*object).mustAttr("exceptions"), "httpx": s.requestsHost("httpx"), "flask": s.flaskHost()}
	m := e.code.finder.Read(mod.path, mod.src, hosts)
	e.mods[mod] = m
	return m
}

func (o *object) mustAttr(name string) pyread.Host {
	v, _ := o.GetAttr(name, 0)
	return v.(*pyread.HostValue).Host
}

// source describes a method of the user's code for the report.
func source(ref fab.CodeRef) fab.UserInfoSource {
	return fab.UserInfoSource{Kind: fab.SourceCustom, Name: ref.Name, File: ref.File, Line: ref.Line}
}

// UserInfo runs the code that builds the user-info (fab.UserCodeEval).
func (e *Evaluator) UserInfo(p fab.Profile, provider string) *fab.UserInfoRun {
	info := e.code.Info
	if info.Problem != "" {
		return &fab.UserInfoRun{Source: fab.UserInfoSource{Kind: fab.SourceCustom, Name: info.Setting, File: e.in.Config.File, Line: info.SettingLine},
			CodeOutcome: fab.CodeOutcome{Kind: fab.CodeUnknown, Unknown: unreadable(info, e.in.Config.File)}}
	}
	ref, ok := info.UserInfo()
	if !ok {
		return nil
	}
	run := &fab.UserInfoRun{Source: source(ref)}
	s := e.begin(p, provider)
	if bad := e.inputProblem(); bad != nil {
		run.CodeOutcome = fab.CodeOutcome{Kind: fab.CodeUnknown, Unknown: bad}
		return run
	}
	resp := e.respFor(provider)
	var o pyread.Outcome
	var file string
	if g := e.code.getter; g != nil {
		o, file = e.callGetter(g, provider, resp)
	} else {
		name := "get_oauth_user_info"
		if _, ok := e.code.methods["oauth_user_info"]; ok {
			name = "oauth_user_info"
		}
		o, file = e.callMethod(name, []pyread.Value{pyread.FromGo(provider, 0), resp})
	}
	run.CodeOutcome = e.outcome(o, file)
	if g := e.code.getter; g != nil && run.Kind == fab.CodeReturned && !p.Airflow {
		if _, isDict := run.Value.(*fab.Dict); !isDict {
			// FAB's wrapper: `if not type(ret) == dict: … return {}`
			run.NotDict, run.Value = fab.Repr(run.Value), fab.NewDict(0)
		}
	}
	run.Builtin = s.builtin
	if run.Kind == fab.CodeReturned {
		if d, ok := run.Value.(*fab.Dict); ok {
			redactTokens(d, e.resp)
		}
	}
	run.Notes = append(run.Notes, s.notes...)
	return run
}

// unreadable: the installed class could not be read, so any step may be
// replaced; --path helps when a module was not found.
func unreadable(info *fab.UserCode, file string) *fab.UnknownCause {
	u := &fab.UnknownCause{Reason: info.Setting + " installs a security manager authdoctor could not read: " + info.Problem, File: file, Line: info.SettingLine}
	if strings.Contains(info.Problem, "--path") {
		u.Supply = "--path DIR"
	}
	return u
}

// inputProblem says why the login's inputs cannot be handed to the code.
func (e *Evaluator) inputProblem() *fab.UnknownCause {
	switch {
	case e.respErr != nil:
		return &fab.UnknownCause{Reason: "the token response is not a JSON object: " + e.respErr.Error()}
	case e.resp == nil:
		return &fab.UnknownCause{Reason: "no token response was given to run the user's code with", Supply: "a token or a token-response JSON"}
	case e.userinfoErr != nil:
		return &fab.UnknownCause{Reason: e.in.UserInfoFrom + " is not a JSON object: " + e.userinfoErr.Error(), Supply: "--userinfo @FILE"}
	}
	return nil
}

// respFor is the token response as authlib hands it over: with openid
// and an id_token, authlib ≥ 1.0 adds the parsed claims as "userinfo".
func (e *Evaluator) respFor(provider string) pyread.Value {
	d, _ := pyread.ParseJSON(string(e.in.Response))
	resp, ok := d.(*pyread.Dict)
	if !ok {
		return d
	}
	pr := e.in.Config.ProviderByName(provider)
	if pr == nil || !pr.HasScope("openid") || e.sess.p.NoIDTokenParse {
		return resp
	}
	if _, has := resp.Lookup("userinfo"); has {
		return resp
	}
	if t, ok := resp.Lookup("id_token"); ok {
		if tok, bad := loadJWS(t); bad == nil {
			if claims, err := mustDict(tok.payload); err == nil {
				with, _ := pyread.ParseJSON(strings.TrimSuffix(string(e.in.Response), "}") + `,"userinfo":` + jsonOf(claims) + "}")
				if w, ok := with.(*pyread.Dict); ok && w.Len() == resp.Len()+1 {
					e.sess.note("authlib adds the id_token's claims to the token response as \"userinfo\" (openid scope); they are not verified here")
					return w
				}
			}
		}
	}
	return resp
}

// callMethod calls a hooked method on an instance of the installed class
// (or of the class that defines it, when that lives in another module).
func (e *Evaluator) callMethod(name string, args []pyread.Value) (pyread.Outcome, string) {
	at := e.code.methods[name]
	class := at.class
	if at.mod == e.code.classMod {
		class = e.code.class
	} else {
		e.sess.note("%s.%s is defined in %s: it is run on an instance of %s, so overrides in %s are not seen by it", at.class, name, at.mod.path, at.class, e.code.class)
	}
	m := e.module(at.mod)
	inst, err := m.NewInstance(class, e.sess.smHost())
	if err != nil {
		return pyread.Outcome{Kind: pyread.Unknown, Cause: &pyread.Unresolved{Reason: err.Error(), Line: at.fn.Line}}, at.mod.path
	}
	e.sess.self = inst
	return m.CallMethod(inst, name, args, nil), at.mod.path
}

// callGetter calls an oauth_user_info_getter function as the decorator's
// wrapper does: FAB's passes response by keyword, Airflow's positionally.
func (e *Evaluator) callGetter(g *methodAt, provider string, resp pyread.Value) (pyread.Outcome, string) {
	m := e.module(g.mod)
	fn := m.Function(g.fn.Name)
	if fn == nil {
		return pyread.Outcome{Kind: pyread.Unknown, Cause: &pyread.Unresolved{Reason: g.fn.Name + " could not be read again", Line: g.fn.Line}}, g.mod.path
	}
	e.sess.self = e.sess.smHost().value()
	if e.code.class != "" && e.code.classMod == g.mod {
		if inst, err := m.NewInstance(e.code.class, e.sess.smHost()); err == nil {
			e.sess.self = inst
		}
	}
	args := []pyread.Value{e.sess.self, pyread.FromGo(provider, 0)}
	if e.sess.p.Airflow && e.sess.p.Flavor != fab.Airflow20 {
		return m.CallFunction(fn, append(args, resp), nil), g.mod.path
	}
	return m.CallFunction(fn, args, []pyread.KwArg{{Name: "response", Value: resp}}), g.mod.path
}

// outcome turns the reader's outcome into pkg/fab's.
func (e *Evaluator) outcome(o pyread.Outcome, file string) fab.CodeOutcome {
	switch o.Kind {
	case pyread.Returned:
		return fab.CodeOutcome{Kind: fab.CodeReturned, Value: e.plainOf(o.Value)}
	case pyread.Raised:
		x := o.Exception
		return fab.CodeOutcome{Kind: fab.CodeRaised, Exception: &fab.CodeException{Type: x.Type, Module: x.Module, Message: x.Message, Text: x.Text, File: file, Line: x.Line,
			Deliberate: x.Explicit}}
	}
	c := o.Cause
	if c == nil {
		c = &pyread.Unresolved{Reason: "not known statically"}
	}
	return fab.CodeOutcome{Kind: fab.CodeUnknown, Unknown: &fab.UnknownCause{Reason: reasonOf(c), File: file, Line: c.Line, Call: c.Call, Supply: e.sess.supplies[c.Reason]}}
}

// reasonOf says what an unknown depends on, naming the call.
func reasonOf(c *pyread.Unresolved) string {
	r := c.Reason
	if c.Call != "" && !strings.Contains(r, c.Call) {
		r = fmt.Sprintf("%s: %s", c.Call, r)
	}
	return r
}

// redactTokens replaces the response's tokens where the code copied them
// into the user-info: a token is never printed.
func redactTokens(d *fab.Dict, resp *pyread.Dict) {
	if resp == nil {
		return
	}
	secret := map[string]bool{}
	for _, k := range []string{"access_token", "id_token", "refresh_token"} {
		if v, ok := resp.Lookup(k); ok {
			if s, ok := str(v); ok && s != "" {
				secret[s] = true
			}
		}
	}
	for _, k := range d.Keys {
		if s, ok := d.Vals[k].(string); ok && (secret[s] || strings.Count(s, ".") == 2 && strings.HasPrefix(s, "eyJ")) {
			d.Vals[k] = "<redacted>"
		}
	}
}

// Roles runs the code that replaces FAB's role step (fab.UserCodeEval):
// auth_user_oauth (the login and the roles), _oauth_calculate_user_roles,
// or get_roles_from_keys (the mapped roles; FAB adds the registration
// role).
func (e *Evaluator) Roles(p fab.Profile, provider string, ui *fab.Dict, b fab.RoleBuiltins) *fab.RolesRun {
	step, name := fab.StepAuthUser, "auth_user_oauth"
	switch {
	case e.code.has("auth_user_oauth"):
	case e.code.has("_oauth_calculate_user_roles"):
		step, name = fab.StepCalculate, "_oauth_calculate_user_roles"
	case e.code.has("get_roles_from_keys"):
		step, name = fab.StepCalculate, "get_roles_from_keys"
	default:
		return nil
	}
	s := e.begin(p, provider)
	s.roles = b
	run := &fab.RolesRun{Source: source(e.code.Info.Overrides[name]), Step: step}
	arg := fromFab(ui)
	var reg []string
	if name == "get_roles_from_keys" {
		// _oauth_calculate_user_roles: the mapped roles of role_keys (only
		// when the mapping is not empty), then the registration role
		rk, _ := ui.Get("role_keys")
		if rk == nil {
			rk = []any{}
		}
		arg = fromFab(rk)
		noKeys := fab.NewDict(0)
		for _, k := range ui.Keys {
			if k != "role_keys" {
				noKeys.Set(k, ui.Vals[k], 0)
			}
		}
		reg, _ = b.Calculate(noKeys)
		if m, ok := s.setting("AUTH_ROLES_MAPPING"); ok {
			if t, known := truth(m); known && !t {
				run.Kind, run.Roles = fab.CodeReturned, reg
				return run
			}
		}
	}
	o, file := e.callMethod(name, []pyread.Value{arg})
	run.CodeOutcome = e.outcome(o, file)
	run.Notes = append(run.Notes, s.notes...)
	if o.Kind != pyread.Returned {
		return run
	}
	var roles []string
	var problem string
	switch {
	case step == fab.StepAuthUser && isNone(o.Value):
		run.NoUser = true
		return run
	case step == fab.StepAuthUser:
		roles, problem = s.rolesOf(o.Value)
	default:
		roles, problem = s.roleNamesOf(o.Value)
	}
	if problem != "" {
		run.Kind, run.Unknown = fab.CodeUnknown, &fab.UnknownCause{Reason: fmt.Sprintf("%s returns %s", run.Source.Name, problem), File: file, Line: run.Source.Line}
		return run
	}
	run.Roles = union(roles, reg)
	return run
}

func (c *Code) has(method string) bool {
	_, ok := c.methods[method]
	return ok
}

func union(a, b []string) []string {
	out := append([]string{}, a...)
	for _, x := range b {
		dup := false
		for _, y := range out {
			dup = dup || x == y
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

// jsonOf is a reader value as JSON text.
func jsonOf(v pyread.Value) string {
	b, _ := json.Marshal(pyread.ToJSON(v))
	return string(b)
}
