package pyread

import (
	"fmt"
	"sort"
	"strings"
)

const (
	defaultMaxSteps = 2_000_000
	maxEvalDepth    = 400
	maxCallDepth    = 40
	maxAlternatives = 16
)

type ctl uint8

const (
	ctlNext ctl = iota
	ctlBreak
	ctlContinue
	ctlReturn
	ctlRaise
)

// pyExc is an exception CPython would certainly raise here.
type pyExc struct {
	typ  string
	msg  string
	line int
	env  []string
	// module is the module of a class that is not built in
	// ("jwt.exceptions"); mro the keys of the classes the exception is
	// an instance of, most derived first (nil: the built-in chain of typ).
	module string
	mro    []string
	// args is the repr of the exception's arguments, as repr(exception)
	// shows them ("'bad', 3"); nil when they are not known apart from msg.
	args *string
	// explicit marks an exception a raise statement of the file raised
	// (a guard, usually on the environment), not an operation.
	explicit bool
}

// keys lists what `except` clauses may name to catch e.
func (e *pyExc) keys() []string {
	if e.mro != nil {
		return e.mro
	}
	return builtinExcChain(e.typ)
}

func (e *pyExc) describe() string {
	if e.msg == "" {
		return e.typ
	}
	return e.typ + ": " + e.msg
}

type budgetExceeded struct{}

type slot struct {
	val  Value
	line int
	seq  int
	cond bool
	src  string
	// ifUnset: the environment variables whose absence chose the branch
	// that made the last assignment (see evaluator.unsetPath).
	ifUnset []string
}

type scope struct {
	vars    map[string]*slot
	kind    byte // 'm' module, 'c' class body, 'f' function, 'q' comprehension
	parent  *scope
	globals map[string]bool
	name    string
	// method is set on the scope of a function running as a method.
	method *methodCtx
}

type evaluator struct {
	// unsetPath: the environment variables whose absence chose the
	// branches being executed (an if on os.environ.get(X) with X unset).
	unsetPath []string
	r         *reader
	m         *Module
	src       string
	globals   *scope
	implicit  map[string]Value

	steps, maxSteps, stmtLimit int
	depth                      int
	callDepth                  int

	// exc is set while an exception CPython would raise propagates.
	exc *pyExc
	// handling is the exception being handled (for a bare raise).
	handling *pyExc
	// uncertain is set when something was evaluated that might raise.
	uncertain bool
	// specExpr > 0 while evaluating operands that may not run (the right
	// side of `or` with an unknown left side): nothing raises there.
	specExpr int
	// specDepth > 0 inside branches the reader could not decide.
	specDepth int
	tryDepth  int
	funcDepth int

	env         map[string]string
	unknownEnv  map[string]bool
	starModules []string
	seq         int
	retVal      Value
	pendingRet  []Alternative
	pendingWhy  *Unresolved
	// firstUnknown is the first unknown value met since it was last
	// cleared (a try statement clears it to find what its body met).
	firstUnknown *Unresolved

	// strict is set while a caller's call of a function or method runs
	// (Module.CallFunction, CallMethod): loops run, logging is a no-op,
	// classes of the file make instances, and anything that could make
	// the outcome differ from what was computed makes it unknown
	// (outcomeUnknown records the first such cause).
	strict         bool
	outcomeUnknown *Unresolved
	// line is the line of the statement being executed.
	line int
	// missingEnv collects variables found unset during a top-level
	// statement.
	missingEnv []string
}

func newEvaluator(r *reader, m *Module) *evaluator {
	ev := &evaluator{r: r, m: m, src: r.src}
	ev.maxSteps = r.opts.MaxSteps
	if ev.maxSteps <= 0 {
		ev.maxSteps = defaultMaxSteps
	}
	ev.env = make(map[string]string, len(r.opts.Env))
	for k, v := range r.opts.Env {
		ev.env[k] = v
	}
	ev.globals = &scope{vars: map[string]*slot{}, kind: 'm'}
	file := r.opts.File
	if file == "" {
		file = r.file
	}
	name := r.opts.ModuleName
	if name == "" {
		name = "config"
	}
	ev.implicit = map[string]Value{
		"__file__":     mkStr(file, 0),
		"__name__":     mkStr(name, 0),
		"__doc__":      mkNone(0),
		"__package__":  mkNone(0),
		"__builtins__": &Opaque{Kind: "module", Source: "<module 'builtins'>", Qualname: "builtins"},
	}
	return ev
}

func (ev *evaluator) step(n int) {
	ev.steps += n
	if ev.steps > ev.stmtLimit {
		panic(budgetExceeded{})
	}
}

// ---- module driver ----

func (ev *evaluator) run(body []stmt) {
	if len(body) > 0 {
		if es, ok := body[0].(*exprStmt); ok {
			if c, ok := es.x.(*constExpr); ok {
				if s, ok := c.val.(*Str); ok {
					ev.implicit["__doc__"] = s
				}
			}
		}
	}
	// After the budget is used up, cheap statements still get a small
	// allowance from a reserve, so that one bomb does not hide the plain
	// assignments after it.
	reserve := ev.maxSteps / 2
	exhausted := false
	for _, s := range body {
		line := s.position().line
		limit := ev.steps + ev.maxSteps/4
		if ev.steps >= ev.maxSteps {
			limit = ev.steps + 1000
		}
		if limit > ev.maxSteps+reserve {
			limit = ev.maxSteps + reserve
		}
		if ev.steps >= ev.maxSteps+reserve {
			if !exhausted {
				ev.r.noteAt(line, "the evaluation budget of the file is used up: the rest of the file is parsed but not evaluated")
				exhausted = true
			}
			for _, n := range assignedNames(s) {
				ev.setName(ev.globals, n, &Unresolved{Reason: "not evaluated: the evaluation budget of the file was used up", Line: line, Kind: UnknownBudget}, line, "")
			}
			continue
		}
		ev.stmtLimit = limit
		ev.missingEnv = nil
		if !ev.protectBudget(func() { ev.execTop(s) }) {
			ev.resetState()
			ev.r.noteAt(line, "this statement needs more work than the evaluation budget allows (a huge loop or value?); its results are unresolved")
			for _, n := range assignedNames(s) {
				ev.setName(ev.globals, n, &Unresolved{Reason: fmt.Sprintf("evaluation budget exceeded at line %d", line), Line: line, Kind: UnknownBudget}, line, "")
			}
		}
	}
}

func (ev *evaluator) resetState() {
	ev.exc = nil
	ev.handling = nil
	ev.specExpr, ev.specDepth, ev.tryDepth, ev.funcDepth = 0, 0, 0, 0
	ev.depth, ev.callDepth = 0, 0
	ev.pendingRet, ev.pendingWhy = nil, nil
}

func (ev *evaluator) protectBudget(f func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, is := r.(budgetExceeded); !is {
				panic(r)
			}
			ok = false
		}
	}()
	f()
	return true
}

func (ev *evaluator) execTop(s stmt) {
	c := ev.exec(s, ev.globals)
	switch c {
	case ctlRaise:
		ev.noteRaise(s)
	case ctlReturn:
		ev.r.noteAt(s.position().line, "'return' outside a function")
	case ctlBreak, ctlContinue:
		ev.r.noteAt(s.position().line, "'break' or 'continue' outside a loop")
	}
	ev.exc = nil
}

func (ev *evaluator) noteRaise(s stmt) {
	if ev.exc == nil {
		return
	}
	line := ev.exc.line
	if line == 0 {
		line = s.position().line
	}
	if ev.exc.typ == hangExc {
		ev.r.noteAt(line, "CPython would never get past this point: "+ev.exc.msg+"; the reader reads the rest of the file as if it did")
	} else {
		ev.r.noteRaised(line, ev.exc)
	}
	ev.exc = nil
}

// finish builds the module's bindings and unresolved diagnostics.
func (ev *evaluator) finish() {
	type kv struct {
		name string
		s    *slot
	}
	var all []kv
	for n, s := range ev.globals.vars {
		all = append(all, kv{n, s})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].s.seq < all[j].s.seq })
	for _, e := range all {
		b := &Binding{Name: e.name, Value: e.s.val, Line: e.s.line, Conditional: e.s.cond, Source: e.s.src, IfUnset: e.s.ifUnset}
		ev.m.Bindings = append(ev.m.Bindings, b)
		ev.m.index[e.name] = b
		for _, lu := range locateUnresolved(e.s.val, e.s.line) {
			msg := lu.u.Reason
			if lu.u.Line > 0 && lu.u.Line != lu.line && !strings.Contains(msg, fmt.Sprintf("line %d", lu.u.Line)) {
				msg += fmt.Sprintf(" (the value comes from line %d)", lu.u.Line)
			}
			ev.r.add(Diagnostic{Kind: DiagUnresolved, Line: lu.line, Name: e.name, Message: msg, Env: lu.u.Env, Value: lu.u})
		}
	}
	ev.m.Steps = ev.steps
}

type locatedUnresolved struct {
	u    *Unresolved
	line int
}

// locateUnresolved lists the distinct unresolved values inside v with the
// line where each sits in the setting: the dict entry holding it, its own
// line when that is inside the statement, else the setting's line.
func locateUnresolved(v Value, line int) []locatedUnresolved {
	var out []locatedUnresolved
	seen := map[*Unresolved]bool{}
	visited := map[Value]bool{}
	var walk func(Value, int, int)
	walk = func(v Value, loc, d int) {
		if d > 100 || visited[v] || len(visited) > 100_000 {
			return
		}
		switch v.(type) {
		case *List, *Tuple, *Set, *Dict:
			visited[v] = true
		}
		switch v := v.(type) {
		case *Unresolved:
			if seen[v] {
				return
			}
			seen[v] = true
			at := loc
			if d > 0 && v.Line >= line && v.Line > loc {
				at = v.Line
			}
			out = append(out, locatedUnresolved{v, at})
		case *List, *Tuple, *Set:
			items, _ := elemsOf(v)
			for _, e := range items {
				walk(e, loc, d+1)
			}
		case *Dict:
			for i, k := range v.keys {
				el := v.lines[i]
				if el < line {
					el = loc
				}
				walk(k, el, d+1)
				walk(v.vals[i], el, d+1)
			}
		}
	}
	walk(v, line, 0)
	return out
}

// assignedNames lists the names a statement may bind at its own level.
func assignedNames(s stmt) []string {
	var out []string
	seen := map[string]bool{}
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	var target func(expr)
	target = func(e expr) {
		switch e := e.(type) {
		case *nameExpr:
			add(e.id)
		case *starredExpr:
			target(e.value)
		case *attrExpr:
			target(e.value)
		case *subscriptExpr:
			target(e.value)
		}
		for _, x := range targetElts(e) {
			target(x)
		}
	}
	var walk func([]stmt)
	walk = func(ss []stmt) {
		for _, s := range ss {
			for _, n := range boundBy(s, target) {
				add(n)
			}
			for _, b := range subBlocks(s) {
				walk(b)
			}
		}
	}
	walk([]stmt{s})
	return out
}

// importedNames are the names an import binds: the alias, else the name
// (for `import a.b`, the top package a).
func importedNames(names []alias, dotted bool) []string {
	out := make([]string, 0, len(names))
	for _, a := range names {
		switch {
		case a.asname != "":
			out = append(out, a.asname)
		case dotted:
			out = append(out, strings.SplitN(a.name, ".", 2)[0])
		default:
			out = append(out, a.name)
		}
	}
	return out
}

// boundBy lists the names statement s binds by itself (not in its nested
// blocks); the targets it assigns go to target.
func boundBy(s stmt, target func(expr)) []string {
	switch s := s.(type) {
	case *assignStmt:
		for _, t := range s.targets {
			target(t)
		}
	case *augAssignStmt:
		target(s.target)
	case *annAssignStmt:
		if s.value != nil {
			target(s.target)
		}
	case *importStmt:
		return importedNames(s.names, true)
	case *importFromStmt:
		return importedNames(s.names, false)
	case *funcDef:
		return []string{s.name}
	case *classDef:
		return []string{s.name}
	case *forStmt:
		target(s.target)
	case *tryStmt:
		var out []string
		for _, h := range s.handlers {
			if h.name != "" {
				out = append(out, h.name)
			}
		}
		return out
	case *withStmt:
		for _, it := range s.items {
			if it.target != nil {
				target(it.target)
			}
		}
	case *exprStmt:
		// mutating calls: X.append(...), X.update(...)
		if c, ok := s.x.(*callExpr); ok {
			if a, ok := c.fn.(*attrExpr); ok {
				target(a.value)
			}
		}
	case *delStmt:
		for _, t := range s.targets {
			target(t)
		}
	}
	return nil
}

// ---- scopes ----

func (ev *evaluator) nextSeq() int {
	ev.seq++
	return ev.seq
}

// setName binds name in sc (or the module scope for declared globals).
func (ev *evaluator) setName(sc *scope, name string, v Value, line int, src string) {
	if sc.kind == 'f' && sc.globals[name] {
		sc = ev.globals
	}
	for sc.kind == 'q' {
		sc = sc.parent
	}
	if len(src) > 200 {
		src = src[:200] + "…"
	}
	if s, ok := sc.vars[name]; ok {
		s.val, s.line, s.seq, s.cond, s.src, s.ifUnset = v, line, ev.nextSeq(), false, src, ev.unsetPath
		return
	}
	sc.vars[name] = &slot{val: v, line: line, seq: ev.nextSeq(), src: src, ifUnset: ev.unsetPath}
}

// touch records that a name's value was changed in place (mutation).
func (ev *evaluator) touch(sc *scope, name string) {
	for s := sc; s != nil; s = s.parent {
		if sl, ok := s.vars[name]; ok {
			_ = sl
			return
		}
	}
}

func (ev *evaluator) lookup(name string, sc *scope, line int) Value {
	for s := sc; s != nil; s = s.parent {
		if s.kind == 'c' && s != sc {
			continue
		}
		if sl, ok := s.vars[name]; ok {
			if sl.val == nil {
				return ev.raise("NameError", fmt.Sprintf("name '%s' is not defined", name), line)
			}
			return sl.val
		}
	}
	if v, ok := ev.implicit[name]; ok {
		return v
	}
	if b := builtinValue(name, line); b != nil {
		return b
	}
	if len(ev.starModules) > 0 {
		return ev.unknown(UnknownImported, line, fmt.Sprintf("name '%s' is not defined in the file; it may come from `from %s import *`", name, ev.starModules[0]))
	}
	return ev.raise("NameError", fmt.Sprintf("name '%s' is not defined", name), line)
}

// raise records an exception CPython would certainly raise, and returns
// the unresolved value standing for the failed expression.
func (ev *evaluator) raise(typ, msg string, line int) Value {
	u := &Unresolved{Reason: typ + ": " + msg, Line: line, raises: typ, Kind: UnknownRaises}
	if ev.specExpr > 0 {
		ev.uncertain = true
		return u
	}
	if ev.exc == nil {
		ev.exc = &pyExc{typ: typ, msg: msg, line: line}
		if len(ev.missingEnv) > 0 {
			ev.exc.env = append([]string(nil), ev.missingEnv...)
		}
	}
	return u
}

// unres returns an unresolved value for something that may fail at run
// time (an unknown call, an operation on an unknown value).
func (ev *evaluator) unres(line int, reason string) *Unresolved {
	return ev.unknown(UnknownUnsupported, line, reason)
}

// unknown is unres with the kind of the unknown.
func (ev *evaluator) unknown(kind UnknownKind, line int, reason string) *Unresolved {
	return ev.noteUnknown(&Unresolved{Reason: reason, Line: line, Kind: kind})
}

// noteUnknown records that something not known was met (a later try
// statement may then raise), and the first such thing.
func (ev *evaluator) noteUnknown(u *Unresolved) *Unresolved {
	ev.uncertain = true
	if ev.firstUnknown == nil {
		ev.firstUnknown = u
	}
	return u
}

// unresCall is the unresolved result of a call the reader does not
// evaluate; callee is the dotted name the callee resolves to.
func (ev *evaluator) unresCall(ca *callArgs, callee, reason string) *Unresolved {
	return ev.noteUnknown(&Unresolved{Reason: reason, Line: ca.line, Kind: UnknownCall, Callee: callee, Call: ca.src})
}

// derived is an unresolved value that follows from cause (it may be nil):
// it carries cause's environment variables and points back at it.
func derived(kind UnknownKind, line int, reason string, cause *Unresolved) *Unresolved {
	u := &Unresolved{Reason: reason, Line: line, Kind: kind}
	if cause != nil {
		u.Env, u.Cause = cause.Env, cause
	}
	return u
}

// propagate derives the unresolved result of an operation on u. The
// result of an operation on the None of an unset variable is not that None
// (os.getenv("X") != "a" is not falsy): it gets its own value.
func propagate(u *Unresolved) *Unresolved {
	if u.unsetNone {
		c := *u
		c.unsetNone, c.Cause = false, u
		return &c
	}
	if len(u.Alternatives) == 0 {
		return u
	}
	return &Unresolved{Reason: u.Reason, Line: u.Line, Env: u.Env, raises: u.raises, Kind: u.Kind,
		Callee: u.Callee, Call: u.Call, Cause: u.Cause}
}

func (ev *evaluator) envMissing(name string, line int, how string) *Unresolved {
	ev.addMissingEnv(name)
	return &Unresolved{Reason: fmt.Sprintf("environment variable %s is not set (%s); supply it with --env %s=VALUE", name, how, name), Line: line, Env: []string{name}, Kind: UnknownEnv}
}

func (ev *evaluator) addMissingEnv(name string) {
	for _, n := range ev.missingEnv {
		if n == name {
			return
		}
	}
	ev.missingEnv = append(ev.missingEnv, name)
}

// excValue converts the pending exception into an unresolved value.
func (ev *evaluator) excValue() *Unresolved {
	e := ev.exc
	if e.typ == hangExc {
		return &Unresolved{Reason: "never computed: " + e.msg, Line: e.line, raises: e.typ, Kind: UnknownLoop}
	}
	u := &Unresolved{Reason: "raises " + e.describe(), Line: e.line, Env: e.env, raises: e.typ, Kind: UnknownRaises}
	for _, n := range e.env {
		if strings.Contains(e.msg, n) || strings.HasPrefix(e.typ, "KeyError") {
			u.Reason = fmt.Sprintf("environment variable %s is not set, so this raises %s; supply it with --env %s=VALUE", n, e.describe(), n)
			u.Kind = UnknownEnv
			break
		}
	}
	return u
}
