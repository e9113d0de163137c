package pyread

import (
	"fmt"
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
	v := ev.eval(s.exc, sc)
	if ev.exc != nil {
		return ctlRaise
	}
	typ, msg := "Exception", ""
	switch v := v.(type) {
	case *Opaque:
		switch v.Kind {
		case "exception":
			typ, msg = v.Qualname, v.Source
		case "builtin", "class", "import":
			typ = v.Qualname
		}
	case *Unresolved:
		typ, msg = "Exception", v.Reason
	}
	ev.exc = &pyExc{typ: typ, msg: msg, line: s.line}
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
		ev.setName(sc, h.name, &Opaque{Kind: "exception", Qualname: exc.typ, Source: exc.msg, Line: h.line}, h.line, "")
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
			if o, ok := n.(*Opaque); ok && excMatches(exc.typ, o) {
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
		"TypeError": "Exception", "NameError": "Exception", "UnboundLocalError": "NameError",
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
	}
	return t
}

func excMatches(typ string, h *Opaque) bool {
	want := normExc(h.Qualname)
	if h.Kind == "class" {
		want = h.Qualname
	}
	for t := normExc(typ); t != ""; t = normExc(excHierarchy()[t]) {
		if t == want {
			return true
		}
		if t == "BaseException" {
			break
		}
	}
	return false
}

func handlerTarget(h *handler) []expr {
	if h.name == "" {
		return nil
	}
	return []expr{&nameExpr{pos: h.pos, id: h.name}}
}
