package pyread

import (
	"fmt"
	"sort"
)

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
// why describes, as a template, the unresolved value a name gets when the
// branches disagree on it: its Reason, Kind, Env and Cause.
func (ev *evaluator) speculate(sc *scope, line int, why *Unresolved, branches []branch, withAlts bool) ctl {
	ch := chain(sc)
	fx := ev.analyzeBranches(sc, branches)
	if !fx.mutates {
		return ev.speculateLight(ch, fx.names, line, why, branches, withAlts)
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
	var envs []envState
	var vs []map[string]*slot
	raised := ev.runBranches(branches, func() {
		c := &copier{memo: map[Value]Value{}}
		vs = ev.copyVars(base, c)
		ev.step(c.count)
		install(vs)
		ev.restoreEnv(baseEnv)
	}, func(b *branch, c ctl) {
		results = append(results, specResult{vars: vs, label: b.label, line: b.line, ret: ev.retVal, c: c})
		envs = append(envs, ev.saveEnv())
	})
	if len(results) == 0 {
		install(base)
		ev.restoreEnv(baseEnv)
		restored = true
		return ev.allRaised(raised)
	}
	ev.someRaised(raised, line, why)
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
		ev.mergeNames(m, names, results, j, line, why, withAlts)
		merged[j] = m
	}
	install(merged)
	restored = true
	return ev.branchControl(results, line, why)
}

// runBranches runs each branch on the state prepare sets up, in
// speculation (nothing raises for good, the outcome is not certain). done
// records what a branch that did not raise left; the exceptions of the
// others are returned.
func (ev *evaluator) runBranches(branches []branch, prepare func(), done func(b *branch, c ctl)) []*pyExc {
	var raised []*pyExc
	saveExc, saveUnc := ev.exc, ev.uncertain
	ev.specDepth++
	for i := range branches {
		b := &branches[i]
		prepare()
		c := ctlNext
		ev.retVal = nil
		if b.run != nil {
			c = b.run()
		}
		if c == ctlRaise {
			if ev.exc != nil {
				raised = append(raised, ev.exc)
			}
			ev.exc = nil
			continue
		}
		done(b, c)
	}
	ev.specDepth--
	ev.exc = saveExc
	ev.uncertain = saveUnc || true
	return raised
}

// allRaised is the control flow after speculation in which no branch
// completed: the first exception propagates.
func (ev *evaluator) allRaised(raised []*pyExc) ctl {
	if len(raised) > 0 {
		ev.exc = raised[0]
		return ctlRaise
	}
	return ctlNext
}

// someRaised: in a caller's call, branches the reader could not choose
// between end differently, some by raising: the outcome is not known.
func (ev *evaluator) someRaised(raised []*pyExc, line int, why *Unresolved) {
	if len(raised) == 0 || raised[0].typ == hangExc && !ev.strict {
		return
	}
	what := "raises " + raised[0].describe()
	if raised[0].typ == hangExc {
		what = "never ends"
	}
	ev.markOutcomeUnknown(derived(UnknownCondition, line, fmt.Sprintf("one of the paths at line %d %s, another does not: %s", line, what, why.Reason), why.Cause))
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
func (ev *evaluator) mergeNames(m map[string]*slot, names map[string]bool, results []specResult, j, line int, why *Unresolved, withAlts bool) {
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
		if inst := ev.mergeInstances(results, j, n, line, why); inst != nil {
			m[n] = &slot{val: inst, line: first.line, seq: ev.nextSeq()}
			continue
		}
		u := why.at(line)
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
func (ev *evaluator) branchControl(results []specResult, line int, why *Unresolved) ctl {
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
			ev.retVal = mergeAlternatives(rets, why.at(line))
			return ctlReturn
		}
		ev.pendingRet = append(ev.pendingRet, rets...)
		if ev.pendingWhy == nil && len(rets) > 0 {
			ev.pendingWhy = why.at(line)
		}
	}
	return ctlNext
}

// speculateLight handles branches that only rebind the given names: it
// saves and restores just those slots.
func (ev *evaluator) speculateLight(ch []*scope, names map[string]bool, line int, why *Unresolved, branches []branch, withAlts bool) ctl {
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
	raised := ev.runBranches(branches, restore, func(b *branch, c ctl) {
		r := specResult{label: b.label, line: b.line, ret: ev.retVal, c: c, vars: make([]map[string]*slot, len(ch))}
		for j, s := range ch {
			r.vars[j] = map[string]*slot{}
			for n := range names {
				if sl, ok := s.vars[n]; ok {
					r.vars[j][n] = sl
				}
			}
		}
		results = append(results, r)
	})
	restore()
	restored = true
	if len(results) == 0 {
		return ev.allRaised(raised)
	}
	ev.someRaised(raised, line, why)
	for j, s := range ch {
		ev.mergeNames(s.vars, names, results, j, line, why, withAlts)
	}
	return ev.branchControl(results, line, why)
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

// mergeAlternatives returns the common value of alts, or the unresolved
// value u listing them.
func mergeAlternatives(alts []Alternative, u *Unresolved) Value {
	if len(alts) == 0 {
		return u
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
	u.Alternatives = alts
	return u
}

// at is a fresh copy of the template u at line (without alternatives).
func (u *Unresolved) at(line int) *Unresolved {
	return &Unresolved{Reason: u.Reason, Line: line, Env: u.Env, Kind: u.Kind, Cause: u.Cause,
		Callee: u.Callee, Call: u.Call, raises: u.raises}
}

// mergeInstances merges the copies of one instance that branches left in
// name n (nil when the values are not all such copies): the attributes
// the branches agree on stay, the others become unresolved. The instance
// itself stays known, so that self.method() still works after a branch
// the reader could not choose.
func (ev *evaluator) mergeInstances(results []specResult, j int, n string, line int, why *Unresolved) *Instance {
	var insts []*Instance
	for _, r := range results {
		s := r.vars[j][n]
		if s == nil {
			return nil
		}
		inst, ok := s.val.(*Instance)
		if !ok || len(insts) > 0 && inst.origin() != insts[0].origin() {
			return nil
		}
		insts = append(insts, inst)
	}
	out := &Instance{cls: insts[0].cls, Base: insts[0].Base, L: insts[0].L, orig: insts[0].origin(), attrs: newDict(line)}
	for _, inst := range insts {
		for i, k := range inst.attrs.keys {
			if _, done, _ := out.attrs.get(k); done {
				continue
			}
			vals := make([]Value, len(insts))
			same := true
			for x, other := range insts {
				vals[x], _, _ = other.attrs.get(k)
				if vals[x] == nil || !sameValue(vals[x], vals[0], 0) {
					same = false
				}
			}
			if same {
				out.attrs.set(k, vals[0], inst.attrs.lines[i])
				continue
			}
			u := why.at(line)
			for x, r := range results {
				if len(u.Alternatives) < maxAlternatives {
					u.Alternatives = append(u.Alternatives, Alternative{Condition: r.label, Line: r.line, Value: vals[x]})
				}
			}
			out.attrs.set(k, u, line)
		}
	}
	return out
}
