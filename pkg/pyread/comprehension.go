package pyread

import (
	"fmt"
)

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
				t, known := ev.truthOf(cv)
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
				failed = ev.unknown(UnknownBudget, e.line, "comprehension result too large")
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
