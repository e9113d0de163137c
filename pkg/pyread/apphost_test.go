package pyread

import (
	"strings"
	"testing"
)

// recordingHost takes attribute and item assignments (HostSetAttr,
// HostSetItem) and records calls of its method "register".
type recordingHost struct {
	attrs, items map[string]Value
	calls        []string
}

func (h *recordingHost) TypeName() string { return "App" }
func (h *recordingHost) GetAttr(name string, line int) (Value, bool) {
	if name == "register" {
		return hostFunc("register", func(args []Value, kw []KwArg, line int) Value {
			h.calls = append(h.calls, strings.Join(func() []string {
				var out []string
				for _, k := range kw {
					out = append(out, k.Name+"="+k.Value.Type())
				}
				return out
			}(), ","))
			return nil
		}), true
	}
	return &Unresolved{Reason: "not modelled"}, true
}
func (h *recordingHost) GetItem(key Value, line int) Value {
	return &Unresolved{Reason: "not modelled"}
}
func (h *recordingHost) Call(args []Value, kw []KwArg, line int) Value {
	return &Unresolved{Reason: "not modelled"}
}
func (h *recordingHost) SetAttr(name string, v Value, line int) bool {
	h.attrs[name] = v
	return true
}
func (h *recordingHost) SetItem(key, v Value, line int) bool {
	if s, ok := key.(*Str); ok {
		h.items[s.V] = v
		return true
	}
	return false
}

type appModule struct{ app *recordingHost }

func (m *appModule) TypeName() string { return "module" }
func (m *appModule) GetAttr(name string, line int) (Value, bool) {
	if name == "app" {
		return NewHost(m.app), true
	}
	return nil, false
}
func (m *appModule) GetItem(Value, int) Value         { return nil }
func (m *appModule) Call([]Value, []KwArg, int) Value { return nil }

// Assignments to a host's attributes and items reach it; a function read
// with ReadFunction goes on past a statement that raises (an unset
// os.environ[...]) as the module level does, so later effects on hosts
// are still seen.
func TestHostAssignmentsAndReadFunction(t *testing.T) {
	app := &recordingHost{attrs: map[string]Value{}, items: map[string]Value{}}
	src := `import os
from web import app
app.secret_key = "dev"
app.config_item = 1
app["SECRET_KEY"] = "k"

def factory():
    key = os.environ["UNSET_KEY"]
    app.register(name="x", secret=key, url="https://idp")
    return key
`
	m := Read("app.py", []byte(src), Options{HostModules: map[string]Host{"web": &appModule{app: app}}})
	if s, ok := app.attrs["secret_key"].(*Str); !ok || s.V != "dev" {
		t.Errorf("app.secret_key: %v", app.attrs["secret_key"])
	}
	if s, ok := app.items["SECRET_KEY"].(*Str); !ok || s.V != "k" {
		t.Errorf(`app["SECRET_KEY"]: %v`, app.items["SECRET_KEY"])
	}
	if o := m.CallFunction(m.Function("factory"), nil, nil); o.Kind == Returned || len(app.calls) != 0 {
		t.Fatalf("CallFunction stops where CPython raises KeyError: %v, calls %v", o.Kind, app.calls)
	}
	m.ReadFunction(m.Function("factory"))
	if len(app.calls) != 1 || app.calls[0] != "name=str,secret=unresolved,url=str" {
		t.Errorf("ReadFunction reads past the raise: calls %v", app.calls)
	}
}

// UnsetIsNone reads the file as CPython runs it where the variables are
// unset: os.getenv without a default is None, and an f-string embeds the
// text None (checked against CPython).
func TestUnsetIsNoneAgreesWithCPython(t *testing.T) {
	src := `import os
T = os.getenv("UNSET_T")
URL = f"https://login.microsoftonline.com/{T}/oauth2/v2.0/token"
GET = "https://idp/%s/x" % os.environ.get("UNSET_T")
OR = os.getenv("UNSET_T") or "fallback"
IS_NONE = os.getenv("UNSET_T") is None
`
	names := []string{"URL", "GET", "OR", "IS_NONE"}
	want := runCPython(t, src, nil, names)
	m := Read("c.py", []byte(src), Options{UnsetIsNone: true})
	for _, n := range names {
		if got := jsonOf(t, m, n); got != want[n] {
			t.Errorf("%s = %s, CPython %s", n, got, want[n])
		}
	}
	if _, ok := Read("c.py", []byte(src), Options{}).Value("URL").(*Unresolved); !ok {
		t.Error("without UnsetIsNone the URL stays unresolved (the deployment may set the variable)")
	}
}
