package pyread

import (
	"fmt"
	"sort"
	"strings"
)

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
	ev.line = s.position().line
	switch s := s.(type) {
	case *exprStmt:
		v := ev.eval(s.x, sc)
		if ev.exc != nil {
			return ctlRaise
		}
		if u, ok := v.(*Unresolved); ok {
			// a call made for its effect, which the reader does not
			// evaluate: what it does is not known
			if r := u.Root(); r.Kind == UnknownCall || r.Kind == UnknownDecorated {
				ev.markOutcomeUnknown(r)
			}
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
		return ev.speculate(sc, s.line, &Unresolved{Reason: fmt.Sprintf("assigned in a match statement (line %d), which the reader does not evaluate", s.line), Kind: UnknownMatch}, branches, false)
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
			ev.r.noteRaised(l, ev.exc)
		}
	}
	ev.exc = nil
}

func (ev *evaluator) execIf(s *ifStmt, sc *scope) ctl {
	var branches []branch
	var condReason *Unresolved
	var condSrc []string
	// assumed: the unset variables whose test chose the path taken
	// (truthOf takes the unset case), recorded on what it assigns.
	var assumed []string
	cur := s
	for {
		v := ev.eval(cur.test, sc)
		if ev.exc != nil {
			return ctlRaise
		}
		if u, ok := v.(*Unresolved); ok && u.unsetNone {
			assumed = append(assumed, u.Env...)
		}
		t, known := ev.truthOf(v)
		c := cur
		if known {
			if t {
				if branches == nil {
					return ev.assuming(assumed, func() ctl { return ev.execBlock(c.body, sc) })
				}
				branches = append(branches, branch{label: "if " + ev.srcOf(c.test), line: c.line, run: func() ctl { return ev.execBlock(c.body, sc) }, stmts: c.body})
				break
			}
		} else {
			if condReason == nil {
				if u, ok := v.(*Unresolved); ok {
					condReason = u
				} else {
					condReason = &Unresolved{Reason: "its truth value is not known", Kind: UnknownUnsupported}
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
			return ev.assuming(assumed, func() ctl { return ev.execBlock(c.orelse, sc) })
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
	return ev.speculate(sc, s.line, derived(UnknownCondition, s.line, reason, condReason), branches, true)
}

// assuming runs f with names added to the unset variables the path
// taken depends on (Binding.IfUnset of what f assigns).
func (ev *evaluator) assuming(names []string, f func() ctl) ctl {
	if len(names) == 0 {
		return f()
	}
	saved := ev.unsetPath
	ev.unsetPath = append(append([]string(nil), saved...), names...)
	defer func() { ev.unsetPath = saved }()
	return f()
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
		return ev.speculate(sc, s.line, derived(UnknownCondition, s.line, reason, u), []branch{{label: "if the loop does not run", line: s.line},
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
	if ev.strict {
		return ev.runWhile(s, sc)
	}
	v := ev.eval(s.test, sc)
	if ev.exc != nil {
		return ctlRaise
	}
	t, known := ev.truthOf(v)
	if known && !t {
		return ev.execBlock(s.orelse, sc)
	}
	return ev.speculateWhile(s, sc)
}

// runWhile runs a while loop for real, within the evaluation budget (in a
// caller's call of a function). A loop that can never end, or whose
// condition stops being known, is left to speculateWhile.
func (ev *evaluator) runWhile(s *whileStmt, sc *scope) ctl {
	if constTrue(s.test) && !mayLeaveLoop(s.body, false) {
		return ev.speculateWhile(s, sc)
	}
	for {
		v := ev.eval(s.test, sc)
		if ev.exc != nil {
			return ctlRaise
		}
		t, known := ev.truthOf(v)
		if !known {
			return ev.speculateWhile(s, sc)
		}
		if !t {
			return ev.execBlock(s.orelse, sc)
		}
		ev.step(1)
		switch c := ev.execBlock(s.body, sc); c {
		case ctlBreak:
			return ctlNext
		case ctlContinue, ctlNext:
		default:
			return c
		}
	}
}

// speculateWhile reads a while loop the reader does not run: what it
// changes becomes unresolved; a loop that can never end is said to.
func (ev *evaluator) speculateWhile(s *whileStmt, sc *scope) ctl {
	ev.r.noteAt(s.line, "while loop not run; names it changes are unresolved")
	reason := fmt.Sprintf("changed by the while loop at line %d, which the reader does not run", s.line)
	body := func() ctl {
		c := ev.execBlock(s.body, sc)
		if c == ctlBreak || c == ctlContinue {
			c = ctlNext
		}
		return c
	}
	c := ev.speculate(sc, s.line, &Unresolved{Reason: reason, Kind: UnknownLoop}, []branch{{label: "before the loop", line: s.line},
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
	ci := &classInfo{name: s.name, def: s, obj: o}
	mro, bad := linearize(ci, baseVals, bases)
	if bad != "" {
		ev.raise("TypeError", bad, s.line)
		return ctlRaise
	}
	ci.mro, o.cls = mro, ci
	for _, v := range attrs.vals {
		if f, ok := v.(*Opaque); ok && f.fn != nil && f.fn.owner == nil {
			f.fn.owner = ci
		}
	}
	if len(s.decorators) > 0 {
		ev.r.noteAt(s.line, fmt.Sprintf("class %s is decorated; the decorators are not applied", s.name))
	}
	ev.setName(sc, s.name, o, s.line, "")
	return ctlNext
}
