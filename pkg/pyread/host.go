package pyread

import "strings"

// Host is an object the caller supplies and the evaluator talks to instead
// of running code: a third-party module (PyJWT), a framework object (the
// security manager's base class, an OAuth remote, an HTTP response). The
// evaluator never looks inside it; every operation on it is a question to
// the host. Each method may return an ordinary Value, another host
// (NewHost), an *Unresolved (the answer depends on something outside the
// file: the outcome becomes unknown), or an exception to raise (Raise).
// line is the line of the expression asking, for values the host makes.
type Host interface {
	// TypeName is the Python class name, as CPython's messages print it
	// ("'Response' object has no attribute 'data'").
	TypeName() string
	// GetAttr is obj.name; false when the object has no such attribute
	// (the evaluator then raises AttributeError as CPython words it).
	GetAttr(name string, line int) (Value, bool)
	// GetItem is obj[key].
	GetItem(key Value, line int) Value
	// Call is obj(*args, **kw).
	Call(args []Value, kw []KwArg, line int) Value
}

// HostTruth is implemented by hosts whose truth value is known (a Python
// object without __bool__ or __len__ is true). Without it, a test of the
// host's truth is not known.
type HostTruth interface {
	Truth() (value, known bool)
}

// HostSetAttr is implemented by hosts that take attribute assignments
// (app.secret_key = "..."): SetAttr reports whether it took it; an
// assignment no host takes is noted as not tracked.
type HostSetAttr interface {
	SetAttr(name string, v Value, line int) bool
}

// HostSetItem is implemented by hosts that take item assignments
// (app.config["SECRET_KEY"] = "..."); SetItem reports whether it took it.
type HostSetItem interface {
	SetItem(key, v Value, line int) bool
}

// KwArg is a keyword argument.
type KwArg struct {
	Name  string
	Value Value
}

// HostValue is a host as a Value.
type HostValue struct {
	Host Host
	L    int
	// module is the dotted name of a host standing for a module
	// (Options.HostModules), "" otherwise.
	module string
}

// NewHost makes a host usable as a Value.
func NewHost(h Host) *HostValue { return &HostValue{Host: h} }

func (h *HostValue) Type() string { return h.Host.TypeName() }
func (h *HostValue) pyline() int  { return h.L }
func (h *HostValue) source() string {
	if h.module != "" {
		return "<module '" + h.module + "'>"
	}
	return "<" + h.Host.TypeName() + " object>"
}

// ExcClass is a Python exception class. Built-in ones have no Module
// (BuiltinExc); a caller's classes (PyJWT's jwt.exceptions.DecodeError)
// name their module and bases, so that `except jwt.InvalidTokenError:`
// catches a DecodeError and `except Exception:` catches everything. An
// *ExcClass is also a Value: a host returns it for the class itself (the
// attribute jwt.DecodeError), and calling it makes an exception.
type ExcClass struct {
	// Module is where the class is defined ("jwt.exceptions"); "" for a
	// built-in exception.
	Module string
	// Name is the class name ("DecodeError").
	Name string
	// Bases are the direct base classes; none means Exception.
	Bases []*ExcClass
}

// BuiltinExc is the built-in exception class of that name (ValueError).
func BuiltinExc(name string) *ExcClass { return &ExcClass{Name: name} }

func (c *ExcClass) Type() string { return "type" }
func (c *ExcClass) pyline() int  { return 0 }

// Qualname is the class's dotted name (its name alone for built-ins).
func (c *ExcClass) Qualname() string {
	if c.Module == "" || c.Module == "builtins" {
		return c.Name
	}
	return c.Module + "." + c.Name
}

// keys lists the classes an instance of c is an instance of, most derived
// first, as the keys exception matching compares.
func (c *ExcClass) keys() []string {
	var out []string
	seen := map[string]bool{}
	var walk func(*ExcClass, int)
	walk = func(x *ExcClass, depth int) {
		if x == nil || depth > 50 {
			return
		}
		if x.Module == "" || x.Module == "builtins" {
			for _, k := range builtinExcChain(x.Name) {
				if !seen[k] {
					seen[k] = true
					out = append(out, k)
				}
			}
			return
		}
		k := x.Qualname()
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
		if len(x.Bases) == 0 {
			walk(BuiltinExc("Exception"), depth+1)
		}
		for _, b := range x.Bases {
			walk(b, depth+1)
		}
	}
	walk(c, 0)
	return out
}

// raisedValue is what a host returns to raise an exception.
type raisedValue struct {
	cls *ExcClass
	msg string
}

func (*raisedValue) Type() string  { return "exception" }
func (r *raisedValue) pyline() int { return 0 }

// Raise is a Value a host returns to raise an exception of class cls with
// the message str(exception) gives; the evaluator raises it at the line
// of the operation that asked the host.
func Raise(cls *ExcClass, msg string) Value { return &raisedValue{cls: cls, msg: msg} }

// NoAttribute is the AttributeError a missing attribute of h raises, as
// CPython words it.
func noAttribute(h *HostValue, name string) string {
	if h.module != "" {
		return "module '" + h.module + "' has no attribute '" + name + "'"
	}
	return "'" + h.Host.TypeName() + "' object has no attribute '" + name + "'"
}

// hostResult turns what a host answered into a value of the evaluation:
// a raise becomes the exception it stands for; an unresolved answer names
// the call or access that asked (what and src), unless the host said more.
func (ev *evaluator) hostResult(v Value, what, src string, line int) Value {
	switch x := v.(type) {
	case nil:
		return mkNone(line)
	case *raisedValue:
		return ev.raiseClass(x.cls, x.msg, line)
	case *Unresolved:
		c := *x
		if c.Line == 0 {
			c.Line = line
		}
		if c.Kind == "" {
			c.Kind = UnknownCall
		}
		if c.Kind == UnknownCall && c.Call == "" {
			c.Callee, c.Call = what, src
		}
		return ev.noteUnknown(&c)
	case *HostValue:
		if x.L == 0 {
			cp := *x
			cp.L = line
			return &cp
		}
	}
	return v
}

// hostGetAttr is h.name.
func (ev *evaluator) hostGetAttr(h *HostValue, name string, line int) Value {
	v, ok := h.Host.GetAttr(name, line)
	if !ok && h.module != "" {
		// a submodule the caller supplies separately (jwt.exceptions)
		if sub, found := ev.r.opts.HostModules[h.module+"."+name]; found {
			return &HostValue{Host: sub, L: line, module: h.module + "." + name}
		}
	}
	if !ok {
		return ev.raise("AttributeError", noAttribute(h, name), line)
	}
	what := h.Host.TypeName() + "." + name
	if h.module != "" {
		what = h.module + "." + name
	}
	return ev.hostResult(v, what, "", line)
}

// hostCallee is the dotted name a call of h is reported under.
func hostCallee(h *HostValue, ca *callArgs) string {
	if ca.fnSrc != "" {
		return ca.fnSrc
	}
	return h.Host.TypeName()
}

func (ev *evaluator) hostCall(h *HostValue, ca *callArgs) Value {
	kw := make([]KwArg, len(ca.kw))
	for i, k := range ca.kw {
		kw[i] = KwArg{Name: k.name, Value: k.val}
	}
	return ev.hostResult(h.Host.Call(ca.args, kw, ca.line), hostCallee(h, ca), ca.src, ca.line)
}

func (ev *evaluator) hostGetItem(h *HostValue, key Value, src string, line int) Value {
	return ev.hostResult(h.Host.GetItem(key, line), h.Host.TypeName()+"[…]", src, line)
}

// hostTruth is the truth value of a host, when it says.
func hostTruth(h *HostValue) (bool, bool) {
	if t, ok := h.Host.(HostTruth); ok {
		return t.Truth()
	}
	return false, false
}

// hostModule returns the host standing for module mod (or for the package
// it is in, for `import pkg.mod`), nil when the caller supplies none.
func (ev *evaluator) hostModule(mod string) *HostValue {
	if h, ok := ev.r.opts.HostModules[mod]; ok {
		return &HostValue{Host: h, module: mod}
	}
	return nil
}

// hostQual resolves a dotted name through the host modules: the longest
// prefix that is a host module, then attributes of it. ok is false when
// no prefix is a host module.
func (ev *evaluator) hostQual(qual string, line int) (Value, bool) {
	if len(ev.r.opts.HostModules) == 0 {
		return nil, false
	}
	parts := strings.Split(qual, ".")
	for n := len(parts); n > 0; n-- {
		h := ev.hostModule(strings.Join(parts[:n], "."))
		if h == nil {
			continue
		}
		var v Value = h
		for _, attr := range parts[n:] {
			v = ev.getattr(v, attr, line)
			if ev.exc != nil {
				return ev.excValue(), true
			}
		}
		return v, true
	}
	return nil, false
}
