package pyread

import (
	"fmt"
	"sort"
	"strings"
	"sync"
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
}

type scope struct {
	vars    map[string]*slot
	kind    byte // 'm' module, 'c' class body, 'f' function, 'q' comprehension
	parent  *scope
	globals map[string]bool
	name    string
}

type evaluator struct {
	r        *reader
	m        *Module
	src      string
	globals  *scope
	implicit map[string]Value

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
				ev.setName(ev.globals, n, &Unresolved{Reason: "not evaluated: the evaluation budget of the file was used up", Line: line}, line, "")
			}
			continue
		}
		ev.stmtLimit = limit
		ev.missingEnv = nil
		if !ev.protectBudget(func() { ev.execTop(s) }) {
			ev.resetState()
			ev.r.noteAt(line, "this statement needs more work than the evaluation budget allows (a huge loop or value?); its results are unresolved")
			for _, n := range assignedNames(s) {
				ev.setName(ev.globals, n, &Unresolved{Reason: fmt.Sprintf("evaluation budget exceeded at line %d", line), Line: line}, line, "")
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
		ev.r.noteAt(line, fmt.Sprintf("CPython would raise %s here and stop loading the file; the reader goes on", ev.exc.describe()))
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
		b := &Binding{Name: e.name, Value: e.s.val, Line: e.s.line, Conditional: e.s.cond, Source: e.s.src}
		ev.m.Bindings = append(ev.m.Bindings, b)
		ev.m.index[e.name] = b
		for _, lu := range locateUnresolved(e.s.val, e.s.line) {
			msg := lu.u.Reason
			if lu.u.Line > 0 && lu.u.Line != lu.line && !strings.Contains(msg, fmt.Sprintf("line %d", lu.u.Line)) {
				msg += fmt.Sprintf(" (the value comes from line %d)", lu.u.Line)
			}
			ev.r.add(Diagnostic{Kind: DiagUnresolved, Line: lu.line, Name: e.name, Message: msg, Env: lu.u.Env})
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
		case *List:
			for _, e := range v.Elems {
				walk(e, loc, d+1)
			}
		case *Tuple:
			for _, e := range v.Elems {
				walk(e, loc, d+1)
			}
		case *Set:
			for _, e := range v.Elems {
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
		case *tupleExpr:
			for _, x := range e.elts {
				target(x)
			}
		case *listExpr:
			for _, x := range e.elts {
				target(x)
			}
		case *starredExpr:
			target(e.value)
		case *attrExpr:
			target(e.value)
		case *subscriptExpr:
			target(e.value)
		}
	}
	var walk func([]stmt)
	walk = func(ss []stmt) {
		for _, s := range ss {
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
				for _, a := range s.names {
					if a.asname != "" {
						add(a.asname)
					} else {
						add(strings.SplitN(a.name, ".", 2)[0])
					}
				}
			case *importFromStmt:
				for _, a := range s.names {
					if a.asname != "" {
						add(a.asname)
					} else {
						add(a.name)
					}
				}
			case *funcDef:
				add(s.name)
			case *classDef:
				add(s.name)
			case *ifStmt:
				walk(s.body)
				walk(s.orelse)
			case *forStmt:
				target(s.target)
				walk(s.body)
				walk(s.orelse)
			case *whileStmt:
				walk(s.body)
				walk(s.orelse)
			case *tryStmt:
				walk(s.body)
				for _, h := range s.handlers {
					if h.name != "" {
						add(h.name)
					}
					walk(h.body)
				}
				walk(s.orelse)
				walk(s.finalbody)
			case *withStmt:
				for _, it := range s.items {
					if it.target != nil {
						target(it.target)
					}
				}
				walk(s.body)
			case *matchStmt:
				for _, c := range s.cases {
					walk(c)
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
		}
	}
	walk([]stmt{s})
	return out
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
		s.val, s.line, s.seq, s.cond, s.src = v, line, ev.nextSeq(), false, src
		return
	}
	sc.vars[name] = &slot{val: v, line: line, seq: ev.nextSeq(), src: src}
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
		return ev.unres(line, fmt.Sprintf("name '%s' is not defined in the file; it may come from `from %s import *`", name, ev.starModules[0]))
	}
	return ev.raise("NameError", fmt.Sprintf("name '%s' is not defined", name), line)
}

// raise records an exception CPython would certainly raise, and returns
// the unresolved value standing for the failed expression.
func (ev *evaluator) raise(typ, msg string, line int) Value {
	u := &Unresolved{Reason: typ + ": " + msg, Line: line, raises: typ}
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
	ev.uncertain = true
	return &Unresolved{Reason: reason, Line: line}
}

// propagate derives the unresolved result of an operation on u.
func propagate(u *Unresolved) *Unresolved {
	if len(u.Alternatives) == 0 {
		return u
	}
	return &Unresolved{Reason: u.Reason, Line: u.Line, Env: u.Env, raises: u.raises}
}

func (ev *evaluator) envMissing(name string, line int, how string) *Unresolved {
	ev.addMissingEnv(name)
	return &Unresolved{Reason: fmt.Sprintf("environment variable %s is not set (%s); supply it with --env %s=VALUE", name, how, name), Line: line, Env: []string{name}}
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
		return &Unresolved{Reason: "never computed: " + e.msg, Line: e.line, raises: e.typ}
	}
	u := &Unresolved{Reason: "raises " + e.describe(), Line: e.line, Env: e.env, raises: e.typ}
	for _, n := range e.env {
		if strings.Contains(e.msg, n) || strings.HasPrefix(e.typ, "KeyError") {
			u.Reason = fmt.Sprintf("environment variable %s is not set, so this raises %s; supply it with --env %s=VALUE", n, e.describe(), n)
			break
		}
	}
	return u
}

// ---- statements ----

func (ev *evaluator) execBlock(ss []stmt, sc *scope) ctl {
	for _, s := range ss {
		c := ev.exec(s, sc)
		if c == ctlNext {
			continue
		}
		if c == ctlRaise && ev.specDepth == 0 && ev.tryDepth == 0 && ev.funcDepth == 0 {
			ev.noteRaise(s)
			continue
		}
		return c
	}
	return ctlNext
}

func (ev *evaluator) srcOf(n node) string {
	p := n.position()
	if p.off >= 0 && p.end <= len(ev.src) && p.off < p.end {
		return ev.src[p.off:p.end]
	}
	return ""
}

func (ev *evaluator) exec(s stmt, sc *scope) ctl {
	ev.step(1)
	switch s := s.(type) {
	case *exprStmt:
		ev.eval(s.x, sc)
		if ev.exc != nil {
			return ctlRaise
		}
	case *assignStmt:
		v := ev.eval(s.value, sc)
		if ev.exc != nil {
			if ev.tryDepth > 0 || ev.funcDepth > 0 {
				return ctlRaise
			}
			u := ev.excValue()
			ev.noteRaiseAt(s.line)
			v = u
		}
		src := ev.srcOf(s.value)
		for _, t := range s.targets {
			ev.assign(t, v, sc, s.line, src)
			if ev.exc != nil {
				return ctlRaise
			}
		}
	case *annAssignStmt:
		if s.value == nil {
			return ctlNext
		}
		v := ev.eval(s.value, sc)
		if ev.exc != nil {
			if ev.tryDepth > 0 || ev.funcDepth > 0 {
				return ctlRaise
			}
			v = ev.excValue()
			ev.noteRaiseAt(s.line)
		}
		ev.assign(s.target, v, sc, s.line, ev.srcOf(s.value))
	case *augAssignStmt:
		ev.execAugAssign(s, sc)
	case *importStmt:
		ev.execImport(s, sc)
	case *importFromStmt:
		ev.execImportFrom(s, sc)
	case *ifStmt:
		return ev.execIf(s, sc)
	case *forStmt:
		return ev.execFor(s, sc)
	case *whileStmt:
		return ev.execWhile(s, sc)
	case *tryStmt:
		return ev.execTry(s, sc)
	case *withStmt:
		for _, it := range s.items {
			v := ev.eval(it.ctx, sc)
			if ev.exc != nil {
				return ctlRaise
			}
			if it.target != nil {
				var tv Value
				if o, ok := v.(*Opaque); ok && o.Kind == "object" {
					tv = o
				} else {
					tv = ev.unres(s.line, fmt.Sprintf("the value bound by `with %s as …` is not known", ev.srcOf(it.ctx)))
				}
				ev.assign(it.target, tv, sc, s.line, "")
			}
		}
		return ev.execBlock(s.body, sc)
	case *funcDef:
		fv := &funcValue{def: s, closure: sc}
		if sc.kind != 'f' {
			fv.closure = nil
		}
		for _, d := range s.decorators {
			if n, ok := d.(*nameExpr); ok && n.id == "staticmethod" {
				continue
			}
			fv.decorated = true
		}
		fv.defaults = ev.evalDefaults(s.params, sc)
		o := &Opaque{Kind: "function", Source: s.header, Line: s.line, Qualname: s.name, fn: fv}
		ev.setName(sc, s.name, o, s.line, "")
	case *classDef:
		return ev.execClass(s, sc)
	case *passStmt, *skippedStmt:
	case *flowStmt:
		if s.kind == "break" {
			return ctlBreak
		}
		return ctlContinue
	case *returnStmt:
		if s.value == nil {
			ev.retVal = mkNone(s.line)
		} else {
			ev.retVal = ev.eval(s.value, sc)
			if ev.exc != nil {
				return ctlRaise
			}
		}
		return ctlReturn
	case *raiseStmt:
		return ev.execRaise(s, sc)
	case *globalStmt:
		if sc.kind == 'f' {
			for _, n := range s.names {
				sc.globals[n] = true
			}
		}
	case *delStmt:
		for _, t := range s.targets {
			ev.del(t, sc, s.line)
			if ev.exc != nil {
				return ctlRaise
			}
		}
	case *assertStmt:
		v := ev.eval(s.test, sc)
		if ev.exc != nil {
			return ctlRaise
		}
		if t, known := truth(v); known && !t {
			ev.raise("AssertionError", ev.srcOf(s.test), s.line)
			return ctlRaise
		}
	case *matchStmt:
		ev.r.noteAt(s.line, "match statement not evaluated; names assigned in it are unresolved")
		var branches []branch
		for i, c := range s.cases {
			body := c
			branches = append(branches, branch{label: fmt.Sprintf("case %d", i+1), line: s.line, run: func() ctl { return ev.execBlock(body, sc) }, stmts: body})
		}
		branches = append(branches, branch{label: "no case matches", line: s.line})
		return ev.speculate(sc, s.line, fmt.Sprintf("assigned in a match statement (line %d), which the reader does not evaluate", s.line), nil, branches, false)
	default:
		ev.r.noteAt(s.position().line, "statement not evaluated")
	}
	return ctlNext
}

func (ev *evaluator) noteRaiseAt(line int) {
	if ev.exc != nil {
		l := ev.exc.line
		if l == 0 {
			l = line
		}
		if ev.exc.typ == hangExc {
			ev.r.noteAt(l, "CPython would never get past this point: "+ev.exc.msg+"; the reader reads the rest of the file as if it did")
		} else {
			ev.r.noteAt(l, fmt.Sprintf("CPython would raise %s here and stop loading the file; the reader goes on", ev.exc.describe()))
		}
	}
	ev.exc = nil
}

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

func (ev *evaluator) execIf(s *ifStmt, sc *scope) ctl {
	var branches []branch
	var condReason *Unresolved
	var condSrc []string
	cur := s
	for {
		v := ev.eval(cur.test, sc)
		if ev.exc != nil {
			return ctlRaise
		}
		t, known := truth(v)
		c := cur
		if known {
			if t {
				if branches == nil {
					return ev.execBlock(c.body, sc)
				}
				branches = append(branches, branch{label: "if " + ev.srcOf(c.test), line: c.line, run: func() ctl { return ev.execBlock(c.body, sc) }, stmts: c.body})
				break
			}
		} else {
			if condReason == nil {
				if u, ok := v.(*Unresolved); ok {
					condReason = u
				} else {
					condReason = &Unresolved{Reason: "its truth value is not known"}
				}
			}
			condSrc = append(condSrc, fmt.Sprintf("`%s` (line %d)", ev.srcOf(c.test), c.line))
			branches = append(branches, branch{label: "if " + ev.srcOf(c.test), line: c.line, run: func() ctl { return ev.execBlock(c.body, sc) }, stmts: c.body})
		}
		// next: elif or else
		if c.elif {
			cur = c.orelse[0].(*ifStmt)
			continue
		}
		if branches == nil {
			// every condition so far is statically false
			return ev.execBlock(c.orelse, sc)
		}
		orelse := c.orelse
		label := "else"
		if orelse == nil {
			label = "otherwise (no branch taken)"
		}
		branches = append(branches, branch{label: label, line: c.line, run: func() ctl { return ev.execBlock(orelse, sc) }, stmts: orelse})
		break
	}
	if len(branches) == 1 {
		return branches[0].run()
	}
	reason := fmt.Sprintf("depends on %s, which is not known statically: %s", strings.Join(condSrc, ", "), condReason.Reason)
	return ev.speculate(sc, s.line, reason, condReason.Env, branches, true)
}

type branch struct {
	label string
	line  int
	run   func() ctl // nil: a path that changes nothing
	// stmts and targets are what run executes (for the effects analysis).
	stmts   []stmt
	targets []expr
}

// chain lists the scopes a statement in sc can modify.
func chain(sc *scope) []*scope {
	var out []*scope
	for s := sc; s != nil; s = s.parent {
		out = append(out, s)
	}
	return out
}

func (ev *evaluator) copyVars(vars []map[string]*slot, c *copier) []map[string]*slot {
	out := make([]map[string]*slot, len(vars))
	for i, m := range vars {
		n := make(map[string]*slot, len(m))
		for k, s := range m {
			cp := *s
			cp.val = c.copy(s.val)
			n[k] = &cp
		}
		out[i] = n
		c.count += len(m)
	}
	return out
}

// speculate runs branches the reader cannot choose between on copies of
// the state, then merges: names that differ become unresolved (with the
// alternatives when withAlts).
func (ev *evaluator) speculate(sc *scope, line int, reason string, env []string, branches []branch, withAlts bool) ctl {
	ch := chain(sc)
	fx := ev.analyzeBranches(sc, branches)
	if !fx.mutates {
		return ev.speculateLight(ch, fx.names, line, reason, env, branches, withAlts)
	}
	orig := make([]map[string]*slot, len(ch))
	for i, s := range ch {
		orig[i] = s.vars
	}
	c0 := &copier{memo: map[Value]Value{}}
	base := ev.copyVars(orig, c0)
	ev.step(c0.count)
	baseEnv := ev.saveEnv()
	install := func(vs []map[string]*slot) {
		for i, s := range ch {
			s.vars = vs[i]
		}
	}
	restored := false
	defer func() {
		if !restored {
			install(base)
			ev.restoreEnv(baseEnv)
		}
	}()
	var results []specResult
	var raised []*pyExc
	var envs []envState
	saveExc, saveUnc := ev.exc, ev.uncertain
	ev.specDepth++
	for _, b := range branches {
		c := &copier{memo: map[Value]Value{}}
		vs := ev.copyVars(base, c)
		ev.step(c.count)
		install(vs)
		ev.restoreEnv(baseEnv)
		ctlv := ctlNext
		ev.retVal = nil
		if b.run != nil {
			ctlv = b.run()
		}
		if ctlv == ctlRaise {
			if ev.exc != nil {
				raised = append(raised, ev.exc)
			}
			ev.exc = nil
			continue
		}
		results = append(results, specResult{vars: vs, label: b.label, line: b.line, ret: ev.retVal, c: ctlv})
		envs = append(envs, ev.saveEnv())
	}
	ev.specDepth--
	ev.exc = saveExc
	ev.uncertain = saveUnc || true
	if len(results) == 0 {
		install(base)
		ev.restoreEnv(baseEnv)
		restored = true
		if len(raised) > 0 {
			ev.exc = raised[0]
			return ctlRaise
		}
		return ctlNext
	}
	ev.mergeEnv(baseEnv, envs)
	// merge
	merged := make([]map[string]*slot, len(ch))
	for j := range ch {
		names := map[string]bool{}
		for _, r := range results {
			for n := range r.vars[j] {
				names[n] = true
			}
		}
		m := make(map[string]*slot, len(names))
		ev.mergeNames(m, names, results, j, line, reason, env, withAlts)
		merged[j] = m
	}
	install(merged)
	restored = true
	return ev.branchControl(results, line, reason, env)
}

type specResult struct {
	vars  []map[string]*slot
	label string
	line  int
	ret   Value
	c     ctl
}

// mergeNames merges the given names of scope j across branch results into
// m: equal values stay, different ones become unresolved.
func (ev *evaluator) mergeNames(m map[string]*slot, names map[string]bool, results []specResult, j, line int, reason string, env []string, withAlts bool) {
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		first := results[0].vars[j][n]
		same := true
		for _, r := range results[1:] {
			s := r.vars[j][n]
			if (s == nil) != (first == nil) || s != nil && !sameValue(s.val, first.val, 0) {
				same = false
				break
			}
		}
		if same {
			if first != nil {
				m[n] = first
			} else {
				delete(m, n)
			}
			continue
		}
		u := &Unresolved{Reason: reason, Line: line, Env: env}
		maxLine := line
		for _, r := range results {
			s := r.vars[j][n]
			if s != nil && s.line > maxLine {
				maxLine = s.line
			}
			if !withAlts {
				continue
			}
			a := Alternative{Condition: r.label, Line: r.line}
			if s != nil {
				a.Value = s.val
			}
			if len(u.Alternatives) < maxAlternatives {
				u.Alternatives = append(u.Alternatives, a)
			}
		}
		m[n] = &slot{val: u, line: maxLine, seq: ev.nextSeq(), cond: true}
	}
}

// branchControl decides the control flow after merged branches.
func (ev *evaluator) branchControl(results []specResult, line int, reason string, env []string) ctl {
	allRet := true
	for _, r := range results {
		if r.c != ctlReturn {
			allRet = false
		}
	}
	if ev.funcDepth > 0 {
		var rets []Alternative
		for _, r := range results {
			if r.c == ctlReturn && r.ret != nil {
				rets = append(rets, Alternative{Condition: r.label, Line: r.line, Value: r.ret})
			}
		}
		if allRet {
			ev.retVal = mergeAlternatives(rets, reason, line, env)
			return ctlReturn
		}
		ev.pendingRet = append(ev.pendingRet, rets...)
		if ev.pendingWhy == nil && len(rets) > 0 {
			ev.pendingWhy = &Unresolved{Reason: reason, Line: line, Env: env}
		}
	}
	return ctlNext
}

// speculateLight handles branches that only rebind the given names: it
// saves and restores just those slots.
func (ev *evaluator) speculateLight(ch []*scope, names map[string]bool, line int, reason string, env []string, branches []branch, withAlts bool) ctl {
	base := make([]map[string]*slot, len(ch))
	for j, s := range ch {
		base[j] = map[string]*slot{}
		for n := range names {
			if sl, ok := s.vars[n]; ok {
				cp := *sl
				base[j][n] = &cp
			}
		}
	}
	restore := func() {
		for j, s := range ch {
			for n := range names {
				if sl, ok := base[j][n]; ok {
					cp := *sl
					s.vars[n] = &cp
				} else {
					delete(s.vars, n)
				}
			}
		}
	}
	restored := false
	defer func() {
		if !restored {
			restore()
		}
	}()
	var results []specResult
	var raised []*pyExc
	saveExc, saveUnc := ev.exc, ev.uncertain
	ev.specDepth++
	for _, b := range branches {
		restore()
		ctlv := ctlNext
		ev.retVal = nil
		if b.run != nil {
			ctlv = b.run()
		}
		if ctlv == ctlRaise {
			if ev.exc != nil {
				raised = append(raised, ev.exc)
			}
			ev.exc = nil
			continue
		}
		r := specResult{label: b.label, line: b.line, ret: ev.retVal, c: ctlv, vars: make([]map[string]*slot, len(ch))}
		for j, s := range ch {
			r.vars[j] = map[string]*slot{}
			for n := range names {
				if sl, ok := s.vars[n]; ok {
					r.vars[j][n] = sl
				}
			}
		}
		results = append(results, r)
	}
	ev.specDepth--
	ev.exc = saveExc
	ev.uncertain = saveUnc || true
	restore()
	restored = true
	if len(results) == 0 {
		if len(raised) > 0 {
			ev.exc = raised[0]
			return ctlRaise
		}
		return ctlNext
	}
	for j, s := range ch {
		ev.mergeNames(s.vars, names, results, j, line, reason, env, withAlts)
	}
	return ev.branchControl(results, line, reason, env)
}

// envState is a snapshot of the environment the file sees.
type envState struct {
	env     map[string]string
	unknown map[string]bool
}

func (ev *evaluator) saveEnv() envState {
	st := envState{env: make(map[string]string, len(ev.env)), unknown: map[string]bool{}}
	for k, v := range ev.env {
		st.env[k] = v
	}
	for k := range ev.unknownEnv {
		st.unknown[k] = true
	}
	ev.step(len(ev.env) / 16)
	return st
}

func (ev *evaluator) restoreEnv(st envState) {
	ev.env = make(map[string]string, len(st.env))
	for k, v := range st.env {
		ev.env[k] = v
	}
	ev.unknownEnv = map[string]bool{}
	for k := range st.unknown {
		ev.unknownEnv[k] = true
	}
}

// mergeEnv keeps variables every branch agrees on; the others become
// unknown.
func (ev *evaluator) mergeEnv(base envState, branches []envState) {
	ev.restoreEnv(branches[0])
	for _, b := range branches[1:] {
		for k, v := range ev.env {
			if w, ok := b.env[k]; !ok || w != v {
				delete(ev.env, k)
				ev.unknownEnv[k] = true
			}
		}
		for k := range b.env {
			if _, ok := ev.env[k]; !ok && !ev.unknownEnv[k] {
				ev.unknownEnv[k] = true
			}
		}
		for k := range b.unknown {
			delete(ev.env, k)
			ev.unknownEnv[k] = true
		}
	}
	// variables unset in every branch and in the base stay unset
	for k := range ev.unknownEnv {
		if _, inBase := base.env[k]; !inBase && !base.unknown[k] {
			all := true
			for _, b := range branches {
				if _, set := b.env[k]; set || b.unknown[k] {
					all = false
				}
			}
			if all {
				delete(ev.unknownEnv, k)
			}
		}
	}
}

// mergeAlternatives returns the common value of alts, or an unresolved
// value listing them.
func mergeAlternatives(alts []Alternative, reason string, line int, env []string) Value {
	if len(alts) == 0 {
		return &Unresolved{Reason: reason, Line: line, Env: env}
	}
	same := true
	for _, a := range alts[1:] {
		if a.Value == nil || alts[0].Value == nil || !sameValue(a.Value, alts[0].Value, 0) {
			same = false
			break
		}
	}
	if same && alts[0].Value != nil {
		return alts[0].Value
	}
	if len(alts) > maxAlternatives {
		alts = alts[:maxAlternatives]
	}
	return &Unresolved{Reason: reason, Line: line, Env: env, Alternatives: alts}
}

func (ev *evaluator) execFor(s *forStmt, sc *scope) ctl {
	it := ev.eval(s.iter, sc)
	if ev.exc != nil {
		return ctlRaise
	}
	items, u := ev.iterate(it, s.line)
	if ev.exc != nil {
		return ctlRaise
	}
	if u != nil {
		reason := fmt.Sprintf("changed by the for loop at line %d over `%s`, whose items are not known: %s", s.line, ev.srcOf(s.iter), u.Reason)
		body := func() ctl {
			ev.assign(s.target, u, sc, s.line, "")
			c := ev.execBlock(s.body, sc)
			if c == ctlBreak || c == ctlContinue {
				c = ctlNext
			}
			return c
		}
		return ev.speculate(sc, s.line, reason, u.Env, []branch{{label: "if the loop does not run", line: s.line},
			{label: "after the loop body runs", line: s.line, run: body, stmts: s.body, targets: []expr{s.target}}}, false)
	}
	for _, item := range items {
		ev.step(1)
		ev.assign(s.target, item, sc, s.line, "")
		if ev.exc != nil {
			return ctlRaise
		}
		c := ev.execBlock(s.body, sc)
		switch c {
		case ctlBreak:
			return ctlNext
		case ctlContinue, ctlNext:
			continue
		default:
			return c
		}
	}
	return ev.execBlock(s.orelse, sc)
}

func (ev *evaluator) execWhile(s *whileStmt, sc *scope) ctl {
	v := ev.eval(s.test, sc)
	if ev.exc != nil {
		return ctlRaise
	}
	t, known := truth(v)
	if known && !t {
		return ev.execBlock(s.orelse, sc)
	}
	ev.r.noteAt(s.line, "while loop not run; names it changes are unresolved")
	reason := fmt.Sprintf("changed by the while loop at line %d, which the reader does not run", s.line)
	body := func() ctl {
		c := ev.execBlock(s.body, sc)
		if c == ctlBreak || c == ctlContinue {
			c = ctlNext
		}
		return c
	}
	c := ev.speculate(sc, s.line, reason, nil, []branch{{label: "before the loop", line: s.line},
		{label: "after the loop body runs", line: s.line, run: body, stmts: s.body}}, false)
	if constTrue(s.test) && !mayLeaveLoop(s.body, false) && c != ctlRaise {
		// the condition is always true and nothing leaves the loop:
		// CPython never gets past it
		ev.exc = &pyExc{typ: hangExc, msg: fmt.Sprintf("`while %s` at line %d never ends: its condition is always true and it has no break, return or raise", ev.srcOf(s.test), s.line), line: s.line}
		return ctlRaise
	}
	return c
}

// constTrue reports whether a loop condition is a literal that is true
// (True, 1, "x"): only then is a loop without a way out endless.
func constTrue(e expr) bool {
	c, ok := e.(*constExpr)
	if !ok {
		return false
	}
	t, known := truth(c.val)
	return known && t
}

// hangExc marks code CPython never gets past (an endless loop). No
// handler catches it.
const hangExc = "<endless loop>"

// mayLeaveLoop reports whether a loop body has a way out: break (unless
// nested in an inner loop), return or raise.
func mayLeaveLoop(ss []stmt, nested bool) bool {
	for _, s := range ss {
		switch s := s.(type) {
		case *flowStmt:
			if s.kind == "break" && !nested {
				return true
			}
		case *returnStmt, *raiseStmt:
			return true
		case *assertStmt:
			return true
		case *ifStmt:
			if mayLeaveLoop(s.body, nested) || mayLeaveLoop(s.orelse, nested) {
				return true
			}
		case *forStmt:
			if mayLeaveLoop(s.body, true) || mayLeaveLoop(s.orelse, nested) {
				return true
			}
		case *whileStmt:
			if mayLeaveLoop(s.body, true) || mayLeaveLoop(s.orelse, nested) {
				return true
			}
		case *tryStmt:
			if mayLeaveLoop(s.body, nested) || mayLeaveLoop(s.orelse, nested) || mayLeaveLoop(s.finalbody, nested) {
				return true
			}
			for _, h := range s.handlers {
				if mayLeaveLoop(h.body, nested) {
					return true
				}
			}
		case *withStmt:
			if mayLeaveLoop(s.body, nested) {
				return true
			}
		case *matchStmt:
			for _, c := range s.cases {
				if mayLeaveLoop(c, nested) {
					return true
				}
			}
		case *exprStmt:
			// a call may raise (or exit); an endless loop calling
			// functions is not provably endless
			if _, ok := s.x.(*callExpr); ok {
				return true
			}
		}
	}
	return false
}

func (ev *evaluator) execTry(s *tryStmt, sc *scope) ctl {
	saveUnc := ev.uncertain
	ev.uncertain = false
	ev.tryDepth++
	c := ev.execBlock(s.body, sc)
	ev.tryDepth--
	bodyUncertain := ev.uncertain
	ev.uncertain = saveUnc || bodyUncertain
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
			c = ev.speculate(sc, s.line, fmt.Sprintf("depends on whether the try block at line %d raises, which is not known statically", s.line), nil, branches, true)
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

func (ev *evaluator) execClass(s *classDef, sc *scope) ctl {
	var bases []string
	var baseVals []Value
	for _, b := range s.bases {
		v := ev.eval(b, sc)
		if ev.exc != nil {
			return ctlRaise
		}
		baseVals = append(baseVals, v)
		if o, ok := v.(*Opaque); ok && o.Qualname != "" {
			bases = append(bases, o.Qualname)
		} else {
			bases = append(bases, ev.srcOf(b))
		}
	}
	for _, k := range s.keywords {
		ev.eval(k.value, sc)
	}
	cs := &scope{vars: map[string]*slot{}, kind: 'c', parent: sc, name: s.name}
	if sc.kind == 'c' {
		cs.parent = sc.parent
	}
	c := ev.execBlock(s.body, cs)
	if c == ctlRaise {
		return c
	}
	attrs := newDict(s.line)
	var names []string
	for n := range cs.vars {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return cs.vars[names[i]].seq < cs.vars[names[j]].seq })
	for _, n := range names {
		sl := cs.vars[n]
		attrs.set(mkStr(n, sl.line), sl.val, sl.line)
	}
	o := &Opaque{Kind: "class", Source: s.header, Line: s.line, Qualname: s.name, Bases: bases, Attrs: attrs, baseVals: baseVals}
	if len(s.decorators) > 0 {
		ev.r.noteAt(s.line, fmt.Sprintf("class %s is decorated; the decorators are not applied", s.name))
	}
	ev.setName(sc, s.name, o, s.line, "")
	return ctlNext
}

func (ev *evaluator) delName(sc *scope, name string) {
	if sc.kind == 'f' && sc.globals[name] {
		sc = ev.globals
	}
	delete(sc.vars, name)
}

func (ev *evaluator) del(t expr, sc *scope, line int) {
	switch t := t.(type) {
	case *nameExpr:
		s := sc
		if s.kind == 'f' && s.globals[t.id] {
			s = ev.globals
		}
		if _, ok := s.vars[t.id]; !ok {
			ev.raise("NameError", fmt.Sprintf("name '%s' is not defined", t.id), line)
			return
		}
		delete(s.vars, t.id)
	case *tupleExpr:
		for _, e := range t.elts {
			ev.del(e, sc, line)
		}
	case *listExpr:
		for _, e := range t.elts {
			ev.del(e, sc, line)
		}
	case *subscriptExpr:
		obj := ev.eval(t.value, sc)
		if sl, ok := t.index.(*sliceExpr); ok {
			if l, ok := obj.(*List); ok {
				lo, hi, st, ok2 := ev.sliceBounds(sl, len(l.Elems), sc)
				if ok2 && st == 1 {
					if hi < lo {
						hi = lo
					}
					l.Elems = append(l.Elems[:lo], l.Elems[hi:]...)
					return
				}
			}
			ev.taint(t.value, sc, line, fmt.Sprintf("`del %s` at line %d was not evaluated", ev.srcOf(t), line))
			return
		}
		key := ev.eval(t.index, sc)
		if ev.exc != nil {
			return
		}
		switch o := obj.(type) {
		case *Dict:
			found, ok := o.del(key)
			if !ok {
				ev.taint(t.value, sc, line, fmt.Sprintf("a key not known statically was deleted at line %d", line))
			} else if !found {
				r, _ := ev.reprOf(key)
				ev.raise("KeyError", r, line)
			}
		case *List:
			i, ok := key.(*Int)
			if !ok || i.Big != nil {
				ev.taint(t.value, sc, line, fmt.Sprintf("an item not known statically was deleted at line %d", line))
				return
			}
			idx := int(i.V)
			if idx < 0 {
				idx += len(o.Elems)
			}
			if idx < 0 || idx >= len(o.Elems) {
				ev.raise("IndexError", "list assignment index out of range", line)
				return
			}
			o.Elems = append(o.Elems[:idx], o.Elems[idx+1:]...)
		case *envMapping:
			if k, ok := key.(*Str); ok {
				if _, set := ev.env[k.V]; !set {
					ev.raise("KeyError", "'"+k.V+"'", line)
					return
				}
				delete(ev.env, k.V)
			}
		default:
			ev.taint(t.value, sc, line, fmt.Sprintf("`del %s` at line %d was not evaluated", ev.srcOf(t), line))
		}
	case *attrExpr:
		obj := ev.eval(t.value, sc)
		if o, ok := obj.(*Opaque); ok && o.Kind == "class" && o.Attrs != nil {
			o.Attrs.del(mkStr(t.attr, line))
		}
	}
}

// taint marks the root name of a target expression as unresolved, because
// a change to part of it could not be evaluated.
func (ev *evaluator) taint(e expr, sc *scope, line int, reason string) {
	for {
		switch x := e.(type) {
		case *attrExpr:
			e = x.value
			continue
		case *subscriptExpr:
			e = x.value
			continue
		case *callExpr:
			e = x.fn
			continue
		case *nameExpr:
			for s := sc; s != nil; s = s.parent {
				if sl, ok := s.vars[x.id]; ok {
					if _, isEnv := sl.val.(*envMapping); isEnv {
						return
					}
					if o, ok := sl.val.(*Opaque); ok && (o.Kind == "module" || o.Kind == "import" || o.Kind == "builtin") {
						return
					}
					sl.val = ev.unres(line, reason)
					sl.seq = ev.nextSeq()
					return
				}
			}
		}
		return
	}
}

// ---- assignment ----

func (ev *evaluator) assign(t expr, v Value, sc *scope, line int, src string) {
	switch t := t.(type) {
	case *nameExpr:
		ev.setName(sc, t.id, v, line, src)
	case *tupleExpr:
		ev.unpack(t.elts, v, sc, line)
	case *listExpr:
		ev.unpack(t.elts, v, sc, line)
	case *starredExpr:
		ev.assign(t.value, v, sc, line, src)
	case *attrExpr:
		obj := ev.eval(t.value, sc)
		if ev.exc != nil {
			return
		}
		switch o := obj.(type) {
		case *Opaque:
			if o.Kind == "class" && o.Attrs != nil {
				o.Attrs.set(mkStr(t.attr, line), v, line)
				return
			}
		case *Unresolved:
			return
		}
		ev.r.noteAt(line, fmt.Sprintf("assignment to attribute `%s` is not tracked", ev.srcOf(t)))
	case *subscriptExpr:
		obj := ev.eval(t.value, sc)
		if ev.exc != nil {
			return
		}
		if sl, ok := t.index.(*sliceExpr); ok {
			if l, ok := obj.(*List); ok {
				items, u := ev.iterate(v, line)
				lo, hi, st, ok2 := ev.sliceBounds(sl, len(l.Elems), sc)
				if u == nil && ok2 && st == 1 {
					if hi < lo {
						hi = lo
					}
					n := append([]Value(nil), l.Elems[:lo]...)
					n = append(n, items...)
					l.Elems = append(n, l.Elems[hi:]...)
					return
				}
			}
			ev.taint(t.value, sc, line, fmt.Sprintf("slice assignment at line %d was not evaluated", line))
			return
		}
		key := ev.eval(t.index, sc)
		if ev.exc != nil {
			return
		}
		switch o := obj.(type) {
		case *Dict:
			if !o.set(key, v, line) {
				if u, ok := key.(*Unresolved); ok {
					o.setUnknown(u, v, line)
					return
				}
				ev.raise("TypeError", "unhashable type: '"+key.Type()+"'", line)
			}
		case *List:
			i, ok := key.(*Int)
			if b, isB := key.(*Bool); isB {
				i, ok = mkInt(boolInt(b.V), line), true
			}
			if !ok || i.Big != nil {
				if _, isU := key.(*Unresolved); isU {
					ev.taint(t.value, sc, line, fmt.Sprintf("an item at an index not known statically was set at line %d", line))
					return
				}
				ev.raise("TypeError", "list indices must be integers or slices, not "+key.Type(), line)
				return
			}
			idx := int(i.V)
			if idx < 0 {
				idx += len(o.Elems)
			}
			if idx < 0 || idx >= len(o.Elems) {
				ev.raise("IndexError", "list assignment index out of range", line)
				return
			}
			o.Elems[idx] = v
		case *envMapping:
			k, ok := key.(*Str)
			s, ok2 := v.(*Str)
			if ok && ok2 {
				ev.env[k.V] = s.V
				return
			}
			if ok {
				if _, isU := v.(*Unresolved); isU {
					delete(ev.env, k.V)
					ev.envUnknown(k.V)
					return
				}
				ev.raise("TypeError", "str expected, not "+v.Type(), line)
			}
		case *Unresolved:
		default:
			ev.taint(t.value, sc, line, fmt.Sprintf("item assignment `%s` at line %d was not evaluated", ev.srcOf(t), line))
		}
	default:
		ev.r.noteAt(line, "assignment target not supported")
	}
}

// envUnknown records that an environment variable was set to a value the
// reader does not know.
func (ev *evaluator) envUnknown(name string) {
	if ev.unknownEnv == nil {
		ev.unknownEnv = map[string]bool{}
	}
	ev.unknownEnv[name] = true
}

func (ev *evaluator) unpack(targets []expr, v Value, sc *scope, line int) {
	items, u := ev.iterate(v, line)
	if ev.exc != nil {
		return
	}
	if u != nil {
		for _, t := range targets {
			ev.assign(t, propagate(u), sc, line, "")
		}
		return
	}
	star := -1
	for i, t := range targets {
		if _, ok := t.(*starredExpr); ok {
			star = i
		}
	}
	if star < 0 {
		if len(items) != len(targets) {
			if len(items) > len(targets) {
				ev.raise("ValueError", fmt.Sprintf("too many values to unpack (expected %d)", len(targets)), line)
			} else {
				ev.raise("ValueError", fmt.Sprintf("not enough values to unpack (expected %d, got %d)", len(targets), len(items)), line)
			}
			return
		}
		for i, t := range targets {
			ev.assign(t, items[i], sc, line, "")
		}
		return
	}
	after := len(targets) - star - 1
	if len(items) < star+after {
		ev.raise("ValueError", "not enough values to unpack", line)
		return
	}
	for i := 0; i < star; i++ {
		ev.assign(targets[i], items[i], sc, line, "")
	}
	rest := append([]Value(nil), items[star:len(items)-after]...)
	ev.assign(targets[star], mkList(rest, line), sc, line, "")
	for i := 0; i < after; i++ {
		ev.assign(targets[star+1+i], items[len(items)-after+i], sc, line, "")
	}
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (ev *evaluator) execAugAssign(s *augAssignStmt, sc *scope) {
	line := s.line
	cur := ev.eval(s.target, sc)
	if ev.exc != nil {
		return
	}
	rhs := ev.eval(s.value, sc)
	if ev.exc != nil {
		return
	}
	// in-place operations on mutable values
	switch c := cur.(type) {
	case *List:
		if s.op == "+" {
			items, u := ev.iterate(rhs, line)
			if u != nil {
				ev.taint(s.target, sc, line, fmt.Sprintf("extended at line %d with a value not known statically: %s", line, u.Reason))
				return
			}
			c.Elems = append(c.Elems, items...)
			ev.step(len(items))
			ev.retouch(s.target, sc, line)
			return
		}
	case *Dict:
		if s.op == "|" {
			if u := ev.dictUpdate(c, []Value{rhs}, nil, line); u != nil {
				ev.taint(s.target, sc, line, u.Reason)
			}
			ev.retouch(s.target, sc, line)
			return
		}
	case *Set:
		if !c.Frozen && (s.op == "|" || s.op == "&" || s.op == "-" || s.op == "^") {
			nv := ev.binop(s.op, c, rhs, line)
			if ns, ok := nv.(*Set); ok {
				c.Elems, c.index = ns.Elems, ns.index
				ev.retouch(s.target, sc, line)
				return
			}
			ev.assign(s.target, nv, sc, line, "")
			return
		}
	}
	nv := ev.binop(s.op, cur, rhs, line)
	if ev.exc != nil {
		if ev.tryDepth > 0 || ev.funcDepth > 0 {
			return
		}
		nv = ev.excValue()
		ev.noteRaiseAt(line)
	}
	ev.assign(s.target, nv, sc, line, ev.srcOf(s))
}

// retouch updates the line of a name changed in place by an augmented
// assignment.
func (ev *evaluator) retouch(t expr, sc *scope, line int) {
	if n, ok := t.(*nameExpr); ok {
		for s := sc; s != nil; s = s.parent {
			if sl, ok := s.vars[n.id]; ok {
				sl.line = line
				sl.seq = ev.nextSeq()
				return
			}
		}
	}
}

func handlerTarget(h *handler) []expr {
	if h.name == "" {
		return nil
	}
	return []expr{&nameExpr{pos: h.pos, id: h.name}}
}
