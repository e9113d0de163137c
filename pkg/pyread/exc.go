package pyread

import (
	"fmt"
	"strings"
	"sync"
)

func (ev *evaluator) execRaise(s *raiseStmt, sc *scope) ctl {
	if s.exc == nil {
		if ev.handling != nil {
			e := *ev.handling
			ev.exc = &e
			return ctlRaise
		}
		ev.raise("RuntimeError", "No active exception to reraise", s.line)
		return ctlRaise
	}
	v := ev.importedExcCall(s.exc, sc)
	if v == nil && ev.exc == nil {
		v = ev.eval(s.exc, sc)
	}
	if ev.exc != nil {
		return ctlRaise
	}
	ev.exc = ev.excOf(v)
	ev.exc.line, ev.exc.explicit = s.line, true
	if len(ev.missingEnv) > 0 {
		ev.exc.env = append([]string(nil), ev.missingEnv...)
	}
	if ev.specExpr > 0 {
		ev.exc = nil
	}
	return ctlRaise
}

func (ev *evaluator) execTry(s *tryStmt, sc *scope) ctl {
	saveUnc, saveFirst := ev.uncertain, ev.firstUnknown
	ev.uncertain, ev.firstUnknown = false, nil
	ev.tryDepth++
	c := ev.execBlock(s.body, sc)
	ev.tryDepth--
	bodyUncertain, bodyUnknown := ev.uncertain, ev.firstUnknown
	ev.uncertain = saveUnc || bodyUncertain
	if saveFirst != nil {
		ev.firstUnknown = saveFirst
	}
	if c == ctlRaise && ev.exc != nil {
		exc := ev.exc
		ev.exc = nil
		h := ev.matchHandler(s, exc, sc)
		if h != nil {
			c = ev.runHandler(h, exc, sc)
		} else {
			ev.exc = exc
		}
	} else if c == ctlNext {
		if bodyUncertain && len(s.handlers) > 0 {
			var branches []branch
			orelse := s.orelse
			branches = append(branches, branch{label: fmt.Sprintf("if the try block at line %d succeeds", s.line), line: s.line, run: func() ctl { return ev.execBlock(orelse, sc) }, stmts: orelse})
			for i := range s.handlers {
				h := &s.handlers[i]
				what := "an exception"
				if h.typ != nil {
					what = ev.srcOf(h.typ)
				}
				branches = append(branches, branch{label: fmt.Sprintf("if %s is raised in the try block", what), line: h.line,
					run: func() ctl {
						return ev.runHandler(h, &pyExc{typ: "Exception", line: s.line}, sc)
					}, stmts: h.body, targets: handlerTarget(h)})
			}
			why := derived(UnknownCondition, s.line, fmt.Sprintf("depends on whether the try block at line %d raises, which is not known statically", s.line), bodyUnknown)
			why.Env = nil
			c = ev.speculate(sc, s.line, why, branches, true)
		} else {
			c = ev.execBlock(s.orelse, sc)
		}
	}
	if len(s.finalbody) > 0 && !(ev.exc != nil && ev.exc.typ == hangExc) {
		saveExc := ev.exc
		ev.exc = nil
		fc := ev.execBlock(s.finalbody, sc)
		if fc != ctlNext {
			return fc
		}
		ev.exc = saveExc
	}
	return c
}

func (ev *evaluator) runHandler(h *handler, exc *pyExc, sc *scope) ctl {
	if h.name != "" {
		ev.setName(sc, h.name, &Opaque{Kind: "exception", Qualname: exc.typ, Source: exc.msg, Line: h.line, exc: exc}, h.line, "")
	}
	saveH := ev.handling
	ev.handling = exc
	c := ev.execBlock(h.body, sc)
	ev.handling = saveH
	if h.name != "" {
		ev.delName(sc, h.name)
	}
	return c
}

func (ev *evaluator) matchHandler(s *tryStmt, exc *pyExc, sc *scope) *handler {
	if exc.typ == hangExc {
		return nil
	}
	for i := range s.handlers {
		h := &s.handlers[i]
		if h.typ == nil {
			return h
		}
		saveSpec := ev.specExpr
		ev.specExpr++
		tv := ev.eval(h.typ, sc)
		ev.specExpr = saveSpec
		var names []Value
		if t, ok := tv.(*Tuple); ok {
			names = t.Elems
		} else {
			names = []Value{tv}
		}
		for _, n := range names {
			if excMatches(exc, n) {
				return h
			}
		}
	}
	return nil
}

// excHierarchy maps builtin exceptions to their parent.
var excHierarchy = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"Exception": "BaseException", "SystemExit": "BaseException", "KeyboardInterrupt": "BaseException",
		"GeneratorExit":   "BaseException",
		"ArithmeticError": "Exception", "ZeroDivisionError": "ArithmeticError", "OverflowError": "ArithmeticError",
		"LookupError": "Exception", "KeyError": "LookupError", "IndexError": "LookupError",
		"ValueError": "Exception", "UnicodeError": "ValueError", "UnicodeDecodeError": "UnicodeError",
		"UnicodeEncodeError": "UnicodeError", "json.JSONDecodeError": "ValueError", "json.decoder.JSONDecodeError": "ValueError",
		"binascii.Error": "ValueError",
		"TypeError":      "Exception", "NameError": "Exception", "UnboundLocalError": "NameError",
		"AttributeError": "Exception", "AssertionError": "Exception", "RuntimeError": "Exception",
		"NotImplementedError": "RuntimeError", "RecursionError": "RuntimeError",
		"ImportError": "Exception", "ModuleNotFoundError": "ImportError",
		"OSError": "Exception", "EnvironmentError": "Exception", "IOError": "Exception",
		"FileNotFoundError": "OSError", "PermissionError": "OSError",
	}
})

func normExc(t string) string {
	switch t {
	case "EnvironmentError", "IOError":
		return "OSError"
	case "json.decoder.JSONDecodeError":
		return "json.JSONDecodeError"
	case "base64.binascii.Error":
		return "binascii.Error"
	}
	return t
}

// excMatches reports whether an except clause naming h catches exc.
func excMatches(exc *pyExc, h Value) bool {
	key, ok := excKey(h)
	if !ok {
		return false
	}
	for _, k := range exc.keys() {
		if k == key {
			return true
		}
	}
	return false
}

// excKey is what an exception class value is compared by.
func excKey(h Value) (string, bool) {
	switch h := h.(type) {
	case *Opaque:
		switch h.Kind {
		case "builtin", "import", "module":
			return normExc(h.Qualname), true
		case "class":
			return h.Qualname, true
		}
	case *ExcClass:
		return normExc(h.Qualname()), true
	}
	return "", false
}

// builtinExcChain is a built-in exception class and its bases.
func builtinExcChain(name string) []string {
	var out []string
	for t := normExc(name); t != "" && len(out) < 20; t = normExc(excHierarchy()[t]) {
		out = append(out, t)
		if t == "BaseException" {
			break
		}
	}
	return out
}

// classExcKeys lists an exception class defined in the file and its
// bases, most derived first.
func classExcKeys(c *Opaque, depth int) []string {
	out := []string{c.Qualname}
	if depth > 20 {
		return out
	}
	for _, b := range c.baseVals {
		switch b := b.(type) {
		case *Opaque:
			switch b.Kind {
			case "class":
				out = append(out, classExcKeys(b, depth+1)...)
			case "builtin":
				out = append(out, builtinExcChain(b.Qualname)...)
			default:
				out = append(out, normExc(b.Qualname))
			}
		case *ExcClass:
			out = append(out, b.keys()...)
		}
	}
	return out
}

// excOf is the exception `raise v` raises (its line is the caller's).
// importedExcCall is `raise Imported("message")` for an exception class
// of a module the reader does not read (airflow.exceptions.AirflowException):
// an exception of that class with that message, as CPython prints it,
// instead of an unknown call; nil when e is not such a call.
func (ev *evaluator) importedExcCall(e expr, sc *scope) Value {
	c, ok := e.(*callExpr)
	if !ok || len(c.keywords) > 0 || len(c.args) > 1 {
		return nil
	}
	fn, ok := ev.eval(c.fn, sc).(*Opaque)
	if ev.exc != nil || !ok || fn.Kind != "import" || !strings.HasSuffix(fn.Qualname, "Exception") && !strings.HasSuffix(fn.Qualname, "Error") {
		return nil
	}
	msg := ""
	if len(c.args) == 1 {
		s, ok := ev.eval(c.args[0], sc).(*Str)
		if !ok {
			return nil
		}
		msg = s.V
	}
	typ, mod := fn.Qualname, ""
	if i := strings.LastIndexByte(typ, '.'); i > 0 {
		typ, mod = typ[i+1:], typ[:i]
	}
	return ev.newExcInstance(&pyExc{typ: typ, module: mod}, msg, c.line)
}

func (ev *evaluator) excOf(v Value) *pyExc {
	e := &pyExc{typ: "Exception"}
	switch v := v.(type) {
	case *Opaque:
		switch v.Kind {
		case "exception":
			if v.exc != nil {
				c := *v.exc
				c.env = nil
				return &c
			}
			e.typ, e.msg = v.Qualname, v.Source
		case "class":
			e.typ, e.module, e.mro = v.Qualname, ev.moduleName(), classExcKeys(v, 0)
		case "builtin", "import":
			e.typ = v.Qualname
		}
	case *ExcClass:
		e.typ, e.module, e.mro = v.Name, v.Module, v.keys()
	case *Unresolved:
		e.msg = v.Reason
	}
	return e
}

// raiseClass raises an exception of class cls (a host's) with message msg.
func (ev *evaluator) raiseClass(cls *ExcClass, msg string, line int) Value {
	u := ev.raise(cls.Name, msg, line)
	if ev.exc != nil && ev.exc.line == line && ev.exc.typ == cls.Name {
		ev.exc.module, ev.exc.mro = cls.Module, cls.keys()
	}
	return u
}

// newExcInstance is the exception made by calling an exception class with
// a message.
func (ev *evaluator) newExcInstance(e *pyExc, msg string, line int) *Opaque {
	c := *e
	c.msg = msg
	return &Opaque{Kind: "exception", Qualname: e.typ, Source: msg, Line: line, exc: &c}
}

// moduleName is __name__ of the file (what CPython prints before the name
// of an exception class defined in it).
func (ev *evaluator) moduleName() string {
	if s, ok := ev.implicit["__name__"].(*Str); ok {
		return s.V
	}
	return "config"
}

func handlerTarget(h *handler) []expr {
	if h.name == "" {
		return nil
	}
	return []expr{&nameExpr{pos: h.pos, id: h.name}}
}
