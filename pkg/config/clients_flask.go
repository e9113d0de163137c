package config

import (
	"strings"

	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// flaskModule is flask: Flask(...) makes the app object, url_for(endpoint)
// is the path of the view's route (what a login passes as its redirect
// URI, made absolute by _external=True).
type flaskModule struct{ r *appRecorder }

func (m *flaskModule) TypeName() string { return "module" }
func (m *flaskModule) GetAttr(name string, line int) (pyread.Value, bool) {
	switch name {
	case "Flask":
		return pyread.NewHost(&callable{name: "Flask", call: func([]pyread.Value, []pyread.KwArg, int) pyread.Value {
			return pyread.NewHost(&flaskApp{r: m.r})
		}}), true
	case "url_for":
		return pyread.NewHost(&callable{name: "url_for", call: func(args []pyread.Value, _ []pyread.KwArg, _ int) pyread.Value {
			if len(args) > 0 {
				if s, ok := args[0].(*pyread.Str); ok {
					if path, ok := m.r.routes[s.V]; ok {
						return pyread.FromGo(path, 0)
					}
				}
			}
			return unknown("url_for(…)")
		}}), true
	}
	return unknown("flask." + name), true
}
func (m *flaskModule) GetItem(pyread.Value, int) pyread.Value { return unknown("flask[…]") }
func (m *flaskModule) Call([]pyread.Value, []pyread.KwArg, int) pyread.Value {
	return unknown("flask(…)")
}

// flaskApp is the app object: its routes, its secret key and its config's
// SECRET_KEY are recorded; nothing else is modelled.
type flaskApp struct{ r *appRecorder }

func (a *flaskApp) TypeName() string { return "Flask" }
func (a *flaskApp) GetAttr(name string, line int) (pyread.Value, bool) {
	switch name {
	case "route":
		return pyread.NewHost(&callable{name: "app.route", call: func(args []pyread.Value, _ []pyread.KwArg, _ int) pyread.Value {
			path, ok := pathArg(args)
			if !ok {
				return unknown("app.route(…)")
			}
			return pyread.NewHost(&callable{name: "app.route(…)", call: func(fns []pyread.Value, _ []pyread.KwArg, _ int) pyread.Value {
				a.r.route(fns, path)
				if len(fns) == 1 {
					return fns[0] // the decorator returns the view itself
				}
				return unknown("app.route(…)(…)")
			}})
		}}), true
	case "config":
		return pyread.NewHost(&flaskConfig{r: a.r}), true
	case "secret_key":
		if a.r.secretKey != nil {
			return a.r.secretKey, true
		}
		return nil, true
	}
	return unknown("app." + name), true
}
func (a *flaskApp) GetItem(pyread.Value, int) pyread.Value { return unknown("app[…]") }
func (a *flaskApp) Call([]pyread.Value, []pyread.KwArg, int) pyread.Value {
	return unknown("app(…)")
}
func (a *flaskApp) SetAttr(name string, v pyread.Value, line int) bool {
	if name == "secret_key" {
		a.r.secretKey, a.r.secretKeyLine = v, line
	}
	return true
}

// pathArg is a route's path argument.
func pathArg(args []pyread.Value) (string, bool) {
	if len(args) == 0 {
		return "", false
	}
	s, ok := args[0].(*pyread.Str)
	if !ok {
		return "", false
	}
	return s.V, true
}

// route records the view a route decorator is applied to.
func (r *appRecorder) route(fns []pyread.Value, path string) {
	if len(fns) != 1 {
		return
	}
	if o, ok := fns[0].(*pyread.Opaque); ok && o.Qualname != "" {
		if r.routes == nil {
			r.routes = map[string]string{}
		}
		r.routes[o.Qualname] = path
	}
}

// flaskConfig is app.config: SECRET_KEY set by item or update() is
// recorded; loading from objects or files is not evaluated.
type flaskConfig struct{ r *appRecorder }

func (c *flaskConfig) TypeName() string { return "Config" }
func (c *flaskConfig) GetAttr(name string, line int) (pyread.Value, bool) {
	if strings.HasPrefix(name, "from_") {
		return pyread.NewHost(&callable{name: "app.config." + name, call: func([]pyread.Value, []pyread.KwArg, int) pyread.Value {
			c.r.configLoaded = "app.config." + name
			return nil
		}}), true
	}
	if name == "update" {
		return pyread.NewHost(&callable{name: "app.config.update", call: func(_ []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
			for _, k := range kw {
				c.set(k.Name, k.Value, line)
			}
			return nil
		}}), true
	}
	return unknown("app.config." + name), true
}
func (c *flaskConfig) GetItem(key pyread.Value, _ int) pyread.Value {
	if s, ok := key.(*pyread.Str); ok && s.V == "SECRET_KEY" && c.r.secretKey != nil {
		return c.r.secretKey
	}
	return unknown("app.config[…]")
}
func (c *flaskConfig) Call([]pyread.Value, []pyread.KwArg, int) pyread.Value {
	return unknown("app.config(…)")
}
func (c *flaskConfig) SetItem(key, v pyread.Value, line int) bool {
	if s, ok := key.(*pyread.Str); ok {
		c.set(s.V, v, line)
	}
	return true
}

func (c *flaskConfig) set(name string, v pyread.Value, line int) {
	if c.r.configKeys == nil {
		c.r.configKeys = map[string]bool{}
	}
	c.r.configKeys[name] = true
	if name == "SECRET_KEY" {
		c.r.secretKey, c.r.secretKeyLine = v, line
	}
}
