package config

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/lazyre"
	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// A plain Flask app registers its OAuth client itself (spec/user-code.md
// §7): Flask-OAuthlib's oauth.remote_app(...) or authlib's
// oauth.register(...). The reader knows neither library; the hosts below
// stand for them (and for the Flask app object), so that the calls are
// read like the rest of the file: the arguments evaluated, never run. The
// app's views are then evaluated too, to find the redirect URI its login
// passes (url_for of a route) and registrations made in a factory.

// clientLibraries are the modules whose OAuth registry a plain app uses.
var clientLibraries = map[string]string{
	"flask_oauthlib.client":                 fab.FlaskOAuthlib,
	"authlib.integrations.flask_client":     fab.Authlib,
	"authlib.integrations.starlette_client": fab.Authlib,
	"authlib.integrations.django_client":    fab.Authlib,
	// authlib before 0.14 (removed in 1.0): still read, and said.
	"authlib.flask.client": fab.Authlib,
}

// mentionsClientLibrary is the cheap test that turns the hosts on: a FAB
// config that imports none of these libraries reads as before.
func mentionsClientLibrary(src []byte) bool {
	return bytes.Contains(src, []byte("flask_oauthlib")) || bytes.Contains(src, []byte("authlib.integrations")) || bytes.Contains(src, []byte("authlib.flask"))
}

// appRecorder collects what the hosts were asked while the file was read.
type appRecorder struct {
	clients []*recordedClient
	// routes maps a view function's name to its route (@app.route).
	routes map[string]string
	// secretKey is app.secret_key or app.config["SECRET_KEY"] as set.
	secretKey     pyread.Value
	secretKeyLine int
	// configKeys are the app.config keys the file sets; configLoaded is
	// how the app config is also loaded from elsewhere (from_object, …).
	configKeys   map[string]bool
	configLoaded string
	// in is the function being evaluated ("" at module level).
	in string
}

type recordedClient struct {
	lib, call, in, module string
	// config is set when the OAuth() registry was given a config object
	// (Starlette, Django: OAuth(config)); authlib's load_config reads
	// NAME_CLIENT_ID and NAME_CLIENT_SECRET from it.
	config       string
	line         int
	name         pyread.Value
	kw           []pyread.KwArg
	callback     string
	callbackLine int
}

// hostModules are the hosts for the reader's options.
func (r *appRecorder) hostModules() map[string]pyread.Host {
	hm := map[string]pyread.Host{"flask": &flaskModule{r: r}}
	for mod, lib := range clientLibraries {
		hm[mod] = &clientModule{r: r, lib: lib, mod: mod}
	}
	return hm
}

// unknown is the answer for what the hosts do not model.
func unknown(what string) pyread.Value {
	return &pyread.Unresolved{Reason: what + " is not evaluated", Kind: pyread.UnknownCall}
}

// clientModule is flask_oauthlib.client or an authlib integration.
type clientModule struct {
	r        *appRecorder
	lib, mod string
}

func (m *clientModule) TypeName() string { return "module" }
func (m *clientModule) GetAttr(name string, line int) (pyread.Value, bool) {
	if name == "OAuth" {
		return pyread.NewHost(&callable{name: "OAuth", call: func(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
			g := &registry{r: m.r, lib: m.lib, module: m.mod}
			if m.mod != "authlib.integrations.flask_client" && (len(args) > 0 || hasKw(kw, "config")) {
				g.config = fmt.Sprintf("the config object passed to OAuth() (line %d)", line)
			}
			return pyread.NewHost(g)
		}}), true
	}
	return unknown(m.mod + "." + name), true
}
func (m *clientModule) GetItem(pyread.Value, int) pyread.Value { return unknown(m.mod + "[…]") }
func (m *clientModule) Call([]pyread.Value, []pyread.KwArg, int) pyread.Value {
	return unknown(m.mod + "(…)")
}

// registry is an OAuth() object: remote_app (Flask-OAuthlib) or register
// (authlib) records a client; authlib's oauth.<name> and
// create_client(name) return it.
type registry struct {
	r      *appRecorder
	lib    string
	config string
	// module is where OAuth was imported from.
	module string
}

func hasKw(kw []pyread.KwArg, name string) bool {
	for _, k := range kw {
		if k.Name == name {
			return true
		}
	}
	return false
}

func (g *registry) TypeName() string { return "OAuth" }
func (g *registry) GetAttr(name string, line int) (pyread.Value, bool) {
	switch {
	case name == "remote_app" && g.lib == fab.FlaskOAuthlib, name == "register" && g.lib == fab.Authlib:
		return pyread.NewHost(&callable{name: "oauth." + name, call: func(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
			return g.register("oauth."+name, args, kw, line)
		}}), true
	case name == "init_app":
		return pyread.NewHost(&callable{name: "oauth.init_app", call: func([]pyread.Value, []pyread.KwArg, int) pyread.Value { return nil }}), true
	case name == "create_client":
		return pyread.NewHost(&callable{name: "oauth.create_client", call: func(args []pyread.Value, _ []pyread.KwArg, _ int) pyread.Value {
			if len(args) == 1 {
				if s, ok := args[0].(*pyread.Str); ok {
					return pyread.NewHost(&remote{r: g.r, lib: g.lib, name: s.V})
				}
			}
			return unknown("oauth.create_client(…)")
		}}), true
	case g.lib == fab.Authlib && !strings.HasPrefix(name, "_"):
		return pyread.NewHost(&remote{r: g.r, lib: g.lib, name: name}), true
	}
	return unknown("oauth." + name), true
}
func (g *registry) GetItem(pyread.Value, int) pyread.Value { return unknown("oauth[…]") }
func (g *registry) Call([]pyread.Value, []pyread.KwArg, int) pyread.Value {
	return unknown("oauth(…)")
}

// register records one client and returns it.
func (g *registry) register(call string, args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
	rc := &recordedClient{lib: g.lib, call: call, line: line, in: g.r.in, config: g.config, module: g.module}
	if len(args) > 0 {
		rc.name = args[0]
	}
	for _, k := range kw {
		if k.Name == "name" {
			rc.name = k.Value
			continue
		}
		rc.kw = append(rc.kw, k)
	}
	g.r.add(rc)
	name := ""
	if s, ok := rc.name.(*pyread.Str); ok {
		name = s.V
	}
	return pyread.NewHost(&remote{r: g.r, lib: g.lib, name: name})
}

// add records a client once: a factory evaluated after the module
// registers the same call again.
func (r *appRecorder) add(rc *recordedClient) {
	for _, c := range r.clients {
		if c.line == rc.line && c.call == rc.call {
			return
		}
	}
	r.clients = append(r.clients, rc)
}

// remote is a registered client: its login call records the redirect URI
// (Flask-OAuthlib authorize(callback=…), authlib
// authorize_redirect(redirect_uri)); everything else is not evaluated.
type remote struct {
	r         *appRecorder
	lib, name string
}

func (c *remote) TypeName() string { return "OAuthRemoteApp" }
func (c *remote) GetAttr(name string, line int) (pyread.Value, bool) {
	if (c.lib == fab.FlaskOAuthlib && name == "authorize") || (c.lib == fab.Authlib && name == "authorize_redirect") {
		return pyread.NewHost(&callable{name: c.name + "." + name, call: func(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
			c.r.callback(c.name, redirectArg(args, kw), line)
			return unknown(c.name + "." + name + "(…)")
		}}), true
	}
	return unknown(c.name + "." + name), true
}
func (c *remote) GetItem(pyread.Value, int) pyread.Value { return unknown(c.name + "[…]") }
func (c *remote) Call([]pyread.Value, []pyread.KwArg, int) pyread.Value {
	return unknown(c.name + "(…)")
}

// redirectArg is the redirect URI a login call passes.
func redirectArg(args []pyread.Value, kw []pyread.KwArg) pyread.Value {
	for _, k := range kw {
		if k.Name == "callback" || k.Name == "redirect_uri" {
			return k.Value
		}
	}
	if len(args) > 0 {
		return args[0]
	}
	return nil
}

// callback records the path a client's login passes as its redirect URI.
func (r *appRecorder) callback(name string, v pyread.Value, line int) {
	s, ok := v.(*pyread.Str)
	if !ok {
		return
	}
	for _, c := range r.clients {
		if n, ok := c.name.(*pyread.Str); ok && n.V == name && c.callback == "" {
			c.callback, c.callbackLine = s.V, line
		}
	}
}

// callable is a host function.
type callable struct {
	name string
	call func(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value
}

func (f *callable) TypeName() string { return "function" }
func (f *callable) GetAttr(name string, _ int) (pyread.Value, bool) {
	return unknown(f.name + "." + name), true
}
func (f *callable) GetItem(pyread.Value, int) pyread.Value { return unknown(f.name + "[…]") }
func (f *callable) Call(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
	return f.call(args, kw, line)
}

// maxViewsEvaluated bounds the functions evaluated to find redirect URIs
// and registrations made in a factory, and maxViewSteps their total work
// (each call also has the reader's own budget): about as much again as
// reading the file may take.
const (
	maxViewsEvaluated = 50
	maxViewSteps      = 2_000_000
)

// evaluateViews calls the app's route views and, when nothing was
// registered at module level, its functions that take no argument (an app
// factory): statically, with the same hosts.
func (r *appRecorder) evaluateViews(m *pyread.Module) {
	r.routesOf(m.Functions())
	factories := len(r.clients) == 0
	n, steps := 0, 0
	for _, fn := range m.Functions() {
		if n == maxViewsEvaluated || steps >= maxViewSteps {
			break
		}
		var args []pyread.Value
		switch {
		case noRequiredParams(fn) && (isView(fn) || factories):
		case factories && takesApp(fn):
			// def init_oauth(app): the app is the Flask app the file's
			// hosts stand for
			args = []pyread.Value{pyread.NewHost(&flaskApp{r: r})}
		default:
			continue
		}
		n++
		r.in = fn.Name
		steps += m.ReadFunction(fn, args...)
	}
	r.in = ""
}

// routeRe finds a route's path in a decorator as written:
// app.route("/login/authorized"), bp.get('/callback').
var routeRe = lazyre.New(`\.(?:route|get|post)\(\s*(?:rule\s*=\s*)?(?:'([^']*)'|"([^"]*)")`)

// routesOf records the routes of the module's view functions (the
// reader does not apply decorators: their text says the route).
func (r *appRecorder) routesOf(fns []*pyread.Func) {
	for _, fn := range fns {
		for _, d := range fn.Decorators {
			if m := routeRe.FindStringSubmatch(d); m != nil {
				if r.routes == nil {
					r.routes = map[string]string{}
				}
				r.routes[fn.Name] = m[1] + m[2]
			}
		}
	}
}

// takesApp: a function whose one required parameter is the app
// (init_oauth(app), init_app(app)), as extensions are set up.
func takesApp(fn *pyread.Func) bool {
	var required []pyread.Param
	for _, p := range fn.Params {
		if (p.Kind == "" || p.Kind == "kw") && p.Default == "" {
			required = append(required, p)
		}
	}
	return len(required) == 1 && required[0].Kind == "" && (required[0].Name == "app" || required[0].Name == "application" || required[0].Name == "flask_app")
}

func isView(fn *pyread.Func) bool {
	for _, d := range fn.Decorators {
		if strings.Contains(d, ".route(") || strings.Contains(d, ".get(") {
			return true
		}
	}
	return false
}

func noRequiredParams(fn *pyread.Func) bool {
	for _, p := range fn.Params {
		if (p.Kind == "" || p.Kind == "kw") && p.Default == "" {
			return false
		}
	}
	return true
}

// clients converts what was recorded into the config's clients and, when
// the config has no SECRET_KEY of its own, the app's secret key as that
// setting (Flask's secret_key is config["SECRET_KEY"]).
func (r *appRecorder) apply(cfg *fab.Config) {
	for _, rc := range r.clients {
		c := fab.OAuthClient{Library: rc.lib, Module: rc.module, Call: rc.call, Line: rc.line, Args: fab.NewDict(rc.line),
			Callback: rc.callback, CallbackLine: rc.callbackLine, In: rc.in}
		if s, ok := rc.name.(*pyread.Str); ok {
			c.Name, c.NameOK = s.V, true
		}
		c.AppConfig = r.appConfigFor(rc, c.Name)
		for _, k := range rc.kw {
			line := pyread.LineOf(k.Value)
			if _, unknown := k.Value.(*pyread.Unresolved); unknown || line == 0 {
				line = rc.line // an unresolved value carries the line it came from
			}
			c.Args.Set(k.Name, Convert(k.Value), line)
		}
		cfg.Clients = append(cfg.Clients, c)
	}
	if _, has := cfg.Settings["SECRET_KEY"]; !has && r.secretKey != nil {
		cfg.Settings["SECRET_KEY"] = fab.Setting{Name: "SECRET_KEY", Value: Convert(r.secretKey), Line: r.secretKeyLine, Known: true}
		cfg.Order = append(cfg.Order, "SECRET_KEY")
	}
}

// ifUnset reads the file again as it runs where the variables unset here
// are unset too (os.getenv returns None), when a client has an argument
// that depends on one: what the app then really sends is worth saying
// (https://login.microsoftonline.com/None/... for an unset tenant).
func ifUnset(cfg *fab.Config, path string, src []byte, opts pyread.Options) {
	need := false
	for _, c := range cfg.Clients {
		for _, k := range c.Args.Keys {
			need = need || fab.Unknown(c.Args.Vals[k])
		}
	}
	if !need {
		return
	}
	again := &appRecorder{}
	opts.HostModules, opts.UnsetIsNone = again.hostModules(), true
	m := pyread.Read(path, src, opts)
	again.evaluateViews(m)
	alt := &fab.Config{Settings: map[string]fab.Setting{}}
	again.apply(alt)
	for i := range cfg.Clients {
		for _, a := range alt.Clients {
			if a.Line == cfg.Clients[i].Line && a.Call == cfg.Clients[i].Call {
				cfg.Clients[i].IfUnset = a.Args
			}
		}
	}
}

// appConfigFor says where the app's config may supply a client's missing
// credentials: authlib's Flask integration fills a register call's missing
// parameters from app.config["NAME_CLIENT_ID"] and the like;
// Flask-OAuthlib reads them from app.config[app_key] when app_key is given.
func (r *appRecorder) appConfigFor(rc *recordedClient, name string) string {
	for _, k := range rc.kw {
		if k.Name == "app_key" {
			if s, ok := k.Value.(*pyread.Str); ok {
				return "Flask-OAuthlib reads it from app.config[\"" + s.V + "\"] (app_key)"
			}
			return "Flask-OAuthlib reads it from the app config entry named by app_key"
		}
	}
	if rc.lib != fab.Authlib || name == "" {
		return ""
	}
	key := strings.ToUpper(name) + "_CLIENT_ID"
	switch {
	case rc.config != "":
		return "authlib reads it as " + key + " from " + rc.config
	case r.configKeys[key]:
		return "authlib reads it from app.config[\"" + key + "\"], which the file sets"
	case r.configLoaded != "":
		return "authlib reads it from app.config[\"" + key + "\"] when the config " + r.configLoaded + " loads holds it"
	}
	return ""
}
