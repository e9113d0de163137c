package pyread

import (
	"fmt"
	"sort"
	"strings"
)

func (ev *evaluator) recordImport(im Import) {
	if ev.specDepth > 0 {
		im.Conditional = true
	}
	for _, old := range ev.m.Imports {
		if old == im {
			return
		}
	}
	ev.m.Imports = append(ev.m.Imports, im)
}

func (ev *evaluator) execImport(s *importStmt, sc *scope) {
	for _, a := range s.names {
		if !ev.knownModule(a.name) {
			ev.uncertain = true
		}
		if a.asname != "" {
			ev.recordImport(Import{Module: a.name, Alias: a.asname, Line: a.line})
			ev.setName(sc, a.asname, ev.qualValue(a.name, a.line), a.line, "")
			continue
		}
		top := strings.SplitN(a.name, ".", 2)[0]
		ev.recordImport(Import{Module: a.name, Alias: top, Line: a.line})
		ev.setName(sc, top, ev.qualValue(top, a.line), a.line, "")
	}
}

func (ev *evaluator) execImportFrom(s *importFromStmt, sc *scope) {
	mod := strings.Repeat(".", s.level) + s.module
	if s.level > 0 || !ev.knownModule(s.module) {
		ev.uncertain = true
	}
	if s.star {
		ev.recordImport(Import{Module: mod, Star: true, Line: s.line})
		if consts, ok := ev.r.opts.Modules[mod]; ok && s.level == 0 {
			names := make([]string, 0, len(consts))
			for n := range consts {
				if !strings.HasPrefix(n, "_") {
					names = append(names, n)
				}
			}
			sort.Strings(names)
			for _, n := range names {
				ev.setName(sc, n, FromGo(consts[n], s.line), s.line, "")
			}
			return
		}
		if mod == "os" || mod == "os.path" {
			for q, k := range stdNames() {
				if strings.HasPrefix(q, mod+".") && !strings.Contains(q[len(mod)+1:], ".") && k != stdModule {
					ev.setName(sc, q[len(mod)+1:], ev.qualValue(q, s.line), s.line, "")
				}
			}
			if mod == "os" {
				ev.setName(sc, "path", ev.qualValue("os.path", s.line), s.line, "")
			}
			return
		}
		ev.starModules = append(ev.starModules, mod)
		ev.r.noteAt(s.line, fmt.Sprintf("`from %s import *`: the names it brings in are not known; later uses of undefined names are unresolved", mod))
		return
	}
	for _, a := range s.names {
		bound := a.name
		if a.asname != "" {
			bound = a.asname
		}
		ev.recordImport(Import{Module: mod, Name: a.name, Alias: bound, Line: a.line})
		var v Value
		if s.level > 0 {
			v = &Opaque{Kind: "import", Source: mod + "." + a.name, Qualname: mod + "." + a.name, Line: a.line}
		} else if s.module == "__future__" {
			v = &Opaque{Kind: "object", Source: "__future__." + a.name, Line: a.line}
		} else {
			v = ev.qualValue(s.module+"."+a.name, a.line)
		}
		ev.setName(sc, bound, v, a.line, "")
	}
}

// ---- comprehensions ----

func (ev *evaluator) evalComp(e *compExpr, sc *scope) Value {
	cs := &scope{vars: map[string]*slot{}, kind: 'q', parent: sc}
	var out []Value
	d := newDict(e.line)
	var failed Value
	unordered := false
	var rec func(gi int, iterScope *scope)
	rec = func(gi int, iterScope *scope) {
		if failed != nil {
			return
		}
		g := e.gens[gi]
		it := ev.eval(g.iter, iterScope)
		if ev.exc != nil {
			failed = ev.excValue()
			return
		}
		var items []Value
		var u *Unresolved
		if e.kind == 's' || e.kind == 'g' {
			// order does not matter for a set; a generator remembers it
			items, u = ev.iterateAnyOrder(it, e.line)
			if s, ok := it.(*Set); ok && !setOrderKnown(s) {
				unordered = true
			}
			if g, ok := it.(*genValue); ok && g.unordered {
				unordered = true
			}
		} else {
			items, u = ev.iterate(it, e.line)
		}
		if u != nil {
			failed = u
			return
		}
		for _, item := range items {
			ev.step(1)
			ev.assignComp(g.target, item, cs, e.line)
			if ev.exc != nil {
				failed = ev.excValue()
				return
			}
			keep := true
			for _, cond := range g.ifs {
				cv := ev.eval(cond, cs)
				if ev.exc != nil {
					failed = ev.excValue()
					return
				}
				t, known := truth(cv)
				if !known {
					if uu, ok := cv.(*Unresolved); ok {
						failed = propagate(uu)
					} else {
						failed = ev.unres(e.line, "comprehension condition not known statically")
					}
					return
				}
				if !t {
					keep = false
					break
				}
			}
			if !keep {
				continue
			}
			if gi+1 < len(e.gens) {
				rec(gi+1, cs)
				if failed != nil {
					return
				}
				continue
			}
			if e.kind == 'd' {
				k := ev.eval(e.key, cs)
				v := ev.eval(e.value, cs)
				if ev.exc != nil {
					failed = ev.excValue()
					return
				}
				if !d.set(k, v, e.line) {
					if uu, ok := k.(*Unresolved); ok {
						d.setUnknown(uu, v, e.line)
						continue
					}
					failed = ev.raise("TypeError", "unhashable type: '"+k.Type()+"'", e.line)
					return
				}
				continue
			}
			v := ev.eval(e.elt, cs)
			if ev.exc != nil {
				failed = ev.excValue()
				return
			}
			out = append(out, v)
			if len(out) > maxSeqLen {
				failed = ev.unres(e.line, "comprehension result too large")
				return
			}
		}
	}
	rec(0, sc)
	if failed != nil {
		return failed
	}
	switch e.kind {
	case 'l':
		return mkList(out, e.line)
	case 's':
		s := newSet(e.line, false)
		for _, v := range out {
			if !s.add(v) {
				if uu, ok := v.(*Unresolved); ok {
					return propagate(uu)
				}
				return ev.raise("TypeError", "unhashable type: '"+v.Type()+"'", e.line)
			}
		}
		return s
	case 'd':
		return d
	}
	return &genValue{items: out, L: e.line, unordered: unordered}
}

// assignComp binds a comprehension target in the comprehension scope.
func (ev *evaluator) assignComp(t expr, v Value, cs *scope, line int) {
	switch t := t.(type) {
	case *nameExpr:
		cs.vars[t.id] = &slot{val: v, line: line}
	case *tupleExpr, *listExpr:
		var elts []expr
		if x, ok := t.(*tupleExpr); ok {
			elts = x.elts
		} else {
			elts = t.(*listExpr).elts
		}
		items, u := ev.iterate(v, line)
		if u != nil {
			for _, e := range elts {
				ev.assignComp(e, u, cs, line)
			}
			return
		}
		star := -1
		for i, e := range elts {
			if _, ok := e.(*starredExpr); ok {
				star = i
			}
		}
		if star < 0 {
			if len(items) != len(elts) {
				ev.raise("ValueError", fmt.Sprintf("cannot unpack %d values into %d targets", len(items), len(elts)), line)
				return
			}
			for i, e := range elts {
				ev.assignComp(e, items[i], cs, line)
			}
			return
		}
		after := len(elts) - star - 1
		if len(items) < star+after {
			ev.raise("ValueError", "not enough values to unpack", line)
			return
		}
		for i := 0; i < star; i++ {
			ev.assignComp(elts[i], items[i], cs, line)
		}
		ev.assignComp(elts[star].(*starredExpr).value, mkList(append([]Value(nil), items[star:len(items)-after]...), line), cs, line)
		for i := 0; i < after; i++ {
			ev.assignComp(elts[star+1+i], items[len(items)-after+i], cs, line)
		}
	default:
		ev.assign(t, v, cs, line, "")
	}
}
