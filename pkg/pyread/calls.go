package pyread

import (
	"fmt"
	"strings"
)

// OutcomeKind says how a call ended.
type OutcomeKind uint8

const (
	// Returned: the call returned Outcome.Value.
	Returned OutcomeKind = iota + 1
	// Raised: the call raised Outcome.Exception.
	Raised
	// Unknown: the result depends on something outside the file (a call
	// the reader does not evaluate, a host that does not know, an unset
	// environment variable) or on more work than the budget allows;
	// Outcome.Cause is the first such thing.
	Unknown
)

func (k OutcomeKind) String() string {
	switch k {
	case Returned:
		return "returned"
	case Raised:
		return "raised"
	case Unknown:
		return "unknown"
	}
	return "invalid"
}

// Outcome is how a caller's call of a function or method of the file
// ended.
type Outcome struct {
	Kind OutcomeKind
	// Value is the returned value; for Unknown, what was computed (it
	// holds the unresolved parts), nil when nothing was.
	Value Value
	// Exception is set for Raised.
	Exception *Exception
	// Cause is set for Unknown: the first cause (its Kind, Line, Callee
	// and Call, Reason).
	Cause *Unresolved
	// Steps is the evaluation work used.
	Steps int
}

// Exception is an exception a call raised.
type Exception struct {
	// Type is the class name ("KeyError", "DecodeError"); Module the
	// module of a class that is not built in ("jwt.exceptions").
	Type   string
	Module string
	// Message is str() of the exception ("'upn'" for KeyError('upn')).
	Message string
	// Line is the line that raised it.
	Line int
	// Text is the last line CPython prints for it: "KeyError: 'upn'",
	// "jwt.exceptions.DecodeError: Not enough segments".
	Text string
	// Explicit: a raise statement of the code raised it (not an operation
	// or a call that failed).
	Explicit bool
}

// NewInstance makes an instance of a class the file defines, without
// running __init__ (call it with CallMethod when it matters). base answers
// for the classes the file imports along the class's MRO (nil: nobody
// does; what only they could supply makes outcomes unknown).
func (m *Module) NewInstance(class string, base Host) (*Instance, error) {
	b, ok := m.Lookup(class)
	if !ok {
		return nil, fmt.Errorf("%s: no class %s in the file", m.File, class)
	}
	o, ok := b.Value.(*Opaque)
	if !ok || o.cls == nil {
		return nil, fmt.Errorf("%s: %s is not a class the file defines", m.File, class)
	}
	return newInstance(o.cls, base, o.Line), nil
}

// CallFunction calls a function of the file with the given arguments and
// evaluates its body statically. Its decorators are not applied: the
// caller knows what they mean (FAB's oauth_user_info_getter calls the
// function itself). The module's state is as reading left it, for every
// call; a call never changes the module's bindings.
func (m *Module) CallFunction(fn *Func, args []Value, kw []KwArg) Outcome {
	return m.run(func(ev *evaluator) Value {
		ca := &callArgs{args: args, kw: kwArgs(kw), line: fn.Line, src: fn.Name + "(…)", ignoreDecorators: true}
		return ev.callUser(fn.obj, ca)
	})
}

// ReadFunction evaluates a function of the file that takes no argument
// the way the module itself is read: a value that is not known makes
// what depends on it unknown, and the rest of the body is still read
// (CallFunction stops at the first thing that decides its outcome). It is
// for what a body does to the hosts it talks to (an app factory
// registering its OAuth clients), not for its result. It returns the
// evaluation work used, for callers that bound the total.
// args are its positional arguments (an app factory's app, say); the
// parameters left without one are not known.
func (m *Module) ReadFunction(fn *Func, args ...Value) int {
	return m.run(func(ev *evaluator) Value {
		ev.strict = false
		fv := fn.obj.fn
		if fv == nil || fv.def == nil {
			return nil
		}
		fs, bad := ev.bindParams(fv, fn.Name, &callArgs{args: args, line: fn.Line, src: fn.Name + "()"})
		if bad != nil {
			return bad
		}
		// statement by statement, as execTop reads the module: a raise
		// ends the statement, not the body
		for _, s := range fv.def.body {
			c := ev.exec(s, fs)
			ev.exc = nil
			if c == ctlReturn {
				break
			}
		}
		return nil
	}).Steps
}

// CallMethod calls inst.name(*args, **kw): a method of the file's classes
// along inst's MRO, else what inst.Base answers. A method whose decorator
// the reader does not apply is not evaluated (Unknown, kind
// UnknownDecorated).
func (m *Module) CallMethod(inst *Instance, name string, args []Value, kw []KwArg) Outcome {
	if inst == nil {
		return Outcome{Kind: Unknown, Cause: &Unresolved{Reason: "no instance to call " + name + " on", Kind: UnknownUnsupported}}
	}
	return m.run(func(ev *evaluator) Value {
		line := inst.L
		v := ev.instAttr(inst, name, line)
		if ev.exc != nil {
			return v
		}
		if im, ok := v.(*instMethod); ok {
			line = im.fn.Line
		}
		ca := &callArgs{args: args, kw: kwArgs(kw), line: line, src: inst.cls.name + "." + name + "(…)", fnSrc: "self." + name}
		return ev.call(v, ca)
	})
}

func kwArgs(kw []KwArg) []kwArg {
	out := make([]kwArg, len(kw))
	for i, k := range kw {
		out[i] = kwArg{name: k.Name, val: k.Value}
	}
	return out
}

// callState is what a caller's call changes in the evaluator, restored
// afterwards.
type callState struct {
	vars                map[string]*slot
	env                 envState
	steps, stmtLimit    int
	exc, handling       *pyExc
	uncertain, strict   bool
	firstUnknown        *Unresolved
	outcomeUnknown      *Unresolved
	missingEnv          []string
	specExpr, specDepth int
	tryDepth, funcDepth int
	depth, callDepth    int
	retVal              Value
	pendingRet          []Alternative
	pendingWhy          *Unresolved
	quiet               bool
}

// run runs f as a caller's call: on a copy of the module's state, with a
// budget of its own, never panicking.
func (m *Module) run(f func(ev *evaluator) Value) (out Outcome) {
	ev := m.ev
	if ev == nil {
		return Outcome{Kind: Unknown, Cause: &Unresolved{Reason: "the module was not read", Kind: UnknownUnsupported}}
	}
	saved := ev.enterCall()
	defer func() {
		out.Steps = ev.steps
		ev.leaveCall(saved)
	}()
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(budgetExceeded); ok {
				out = Outcome{Kind: Unknown, Cause: &Unresolved{Kind: UnknownBudget, Line: ev.line,
					Reason: fmt.Sprintf("the evaluation budget (%d steps) ran out at line %d (an endless loop, deep recursion or a huge value?)", ev.maxSteps, ev.line)}}
				return
			}
			out = Outcome{Kind: Unknown, Cause: &Unresolved{Kind: UnknownUnsupported, Line: ev.line,
				Reason: fmt.Sprintf("internal error in the Python reader: %v", p)}}
		}
	}()
	return ev.outcome(f(ev))
}

func (ev *evaluator) enterCall() *callState {
	s := &callState{vars: ev.globals.vars, env: ev.saveEnv(), steps: ev.steps, stmtLimit: ev.stmtLimit,
		exc: ev.exc, handling: ev.handling, uncertain: ev.uncertain, strict: ev.strict, firstUnknown: ev.firstUnknown,
		outcomeUnknown: ev.outcomeUnknown, missingEnv: ev.missingEnv, specExpr: ev.specExpr, specDepth: ev.specDepth,
		tryDepth: ev.tryDepth, funcDepth: ev.funcDepth, depth: ev.depth, callDepth: ev.callDepth,
		retVal: ev.retVal, pendingRet: ev.pendingRet, pendingWhy: ev.pendingWhy, quiet: ev.r.quiet}
	c := &copier{memo: map[Value]Value{}}
	ev.globals.vars = ev.copyVars([]map[string]*slot{ev.globals.vars}, c)[0]
	ev.steps, ev.stmtLimit = 0, ev.maxSteps
	ev.exc, ev.handling, ev.uncertain, ev.firstUnknown, ev.outcomeUnknown = nil, nil, false, nil, nil
	ev.missingEnv = nil
	ev.specExpr, ev.specDepth, ev.tryDepth, ev.funcDepth, ev.depth, ev.callDepth = 0, 0, 0, 0, 0, 0
	ev.retVal, ev.pendingRet, ev.pendingWhy = nil, nil, nil
	ev.strict, ev.r.quiet = true, true
	return s
}

func (ev *evaluator) leaveCall(s *callState) {
	ev.globals.vars = s.vars
	ev.restoreEnv(s.env)
	ev.steps, ev.stmtLimit = s.steps, s.stmtLimit
	ev.exc, ev.handling, ev.uncertain, ev.strict = s.exc, s.handling, s.uncertain, s.strict
	ev.firstUnknown, ev.outcomeUnknown, ev.missingEnv = s.firstUnknown, s.outcomeUnknown, s.missingEnv
	ev.specExpr, ev.specDepth, ev.tryDepth, ev.funcDepth = s.specExpr, s.specDepth, s.tryDepth, s.funcDepth
	ev.depth, ev.callDepth = s.depth, s.callDepth
	ev.retVal, ev.pendingRet, ev.pendingWhy = s.retVal, s.pendingRet, s.pendingWhy
	ev.r.quiet = s.quiet
}

// outcome is how the call that produced v ended.
func (ev *evaluator) outcome(v Value) Outcome {
	if e := ev.exc; e != nil {
		if e.typ == hangExc {
			return Outcome{Kind: Unknown, Cause: &Unresolved{Kind: UnknownLoop, Line: e.line, Reason: "never returns: " + e.msg}}
		}
		if u := ev.excValue(); u.Kind == UnknownEnv {
			// it raises only because the environment given lacks a
			// variable the deployment may set
			return Outcome{Kind: Unknown, Cause: u}
		}
		return Outcome{Kind: Raised, Exception: exceptionOf(e)}
	}
	if u := ev.outcomeUnknown; u != nil {
		return Outcome{Kind: Unknown, Value: v, Cause: u.Root()}
	}
	if u := firstCause(v); u != nil {
		return Outcome{Kind: Unknown, Value: v, Cause: u}
	}
	return Outcome{Kind: Returned, Value: v}
}

// firstCause is the first cause (by line) of what is unknown in v, or nil
// when v is fully known. A name imported from a module the reader does
// not read is not known either.
func firstCause(v Value) *Unresolved {
	var best *Unresolved
	consider := func(r *Unresolved) {
		if best == nil || r.Line > 0 && (best.Line == 0 || r.Line < best.Line) {
			best = r
		}
	}
	for _, lu := range locateUnresolved(v, 0) {
		consider(lu.u.Root())
	}
	walkValues(v, func(x Value) {
		if o, ok := x.(*Opaque); ok && (o.Kind == "import" || o.Kind == "object") {
			consider(&Unresolved{Kind: UnknownImported, Line: o.Line,
				Reason: o.Source + " comes from a module the reader does not read: its value is not known"})
		}
	})
	return best
}

// walkValues calls f on v and on everything lists, tuples, sets and dicts
// in it hold (each once).
func walkValues(v Value, f func(Value)) {
	seen := map[Value]bool{}
	var walk func(Value, int)
	walk = func(v Value, depth int) {
		if v == nil || depth > 200 || len(seen) > 100_000 {
			return
		}
		f(v)
		items, isSeq := elemsOf(v)
		d, isDict := v.(*Dict)
		if !isSeq && !isDict || seen[v] {
			return
		}
		seen[v] = true
		if isDict {
			items = append(append([]Value(nil), d.keys...), d.vals...)
		}
		for _, e := range items {
			walk(e, depth+1)
		}
	}
	walk(v, 0)
}

// exceptionOf describes a raised exception as CPython prints it.
func exceptionOf(e *pyExc) *Exception {
	typ, module := e.typ, e.module
	switch {
	case typ == "json.JSONDecodeError":
		typ, module = "JSONDecodeError", "json.decoder"
	case module == "" && strings.Contains(typ, "."):
		i := strings.LastIndexByte(typ, '.')
		typ, module = typ[i+1:], typ[:i]
	}
	text := typ
	if module != "" && module != "builtins" {
		text = module + "." + typ
	}
	if e.msg != "" {
		text += ": " + e.msg
	}
	return &Exception{Type: typ, Module: module, Message: e.msg, Line: e.line, Text: text, Explicit: e.explicit}
}

// markOutcomeUnknown records, in a caller's call, the first thing that
// makes the outcome unknown although the computed value does not show it
// (a branch the reader could not choose raises while another returns).
func (ev *evaluator) markOutcomeUnknown(u *Unresolved) {
	if ev.strict && ev.outcomeUnknown == nil {
		ev.outcomeUnknown = u
	}
}
