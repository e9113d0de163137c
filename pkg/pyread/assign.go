package pyread

import (
	"fmt"
)

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
			ev.taint(t.value, sc, line, fmt.Sprintf("`del %s` at line %d was not evaluated", ev.srcOf(t), line), nil)
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
				ev.taint(t.value, sc, line, fmt.Sprintf("a key not known statically was deleted at line %d", line), nil)
			} else if !found {
				r, _ := ev.reprOf(key)
				ev.raise("KeyError", r, line)
			}
		case *List:
			i, ok := key.(*Int)
			if !ok || i.Big != nil {
				ev.taint(t.value, sc, line, fmt.Sprintf("an item not known statically was deleted at line %d", line), nil)
				return
			}
			idx, ok := listSlot(i.V, len(o.Elems), line, ev)
			if !ok {
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
			ev.taint(t.value, sc, line, fmt.Sprintf("`del %s` at line %d was not evaluated", ev.srcOf(t), line), nil)
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
// cause is what made the change unknown (nil when it is the change itself).
func (ev *evaluator) taint(e expr, sc *scope, line int, reason string, cause *Unresolved) {
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
					kind := UnknownUnsupported
					if cause != nil {
						kind = cause.Kind
					}
					sl.val = ev.noteUnknown(derived(kind, line, reason, cause))
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
		case *Instance:
			o.attrs.set(mkStr(t.attr, line), v, line)
			return
		case *Unresolved:
			return
		case *HostValue:
			if sa, ok := o.Host.(HostSetAttr); ok && sa.SetAttr(t.attr, v, line) {
				return
			}
			// in a caller's call the object keeps its old value: what is
			// read from it later is not known
			ev.markOutcomeUnknown(&Unresolved{Kind: UnknownUnsupported, Line: line,
				Reason: fmt.Sprintf("assignment to `%s` (an attribute of a %s object) is not modelled", ev.srcOf(t), o.Host.TypeName())})
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
			ev.taint(t.value, sc, line, fmt.Sprintf("slice assignment at line %d was not evaluated", line), nil)
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
				if u, isU := key.(*Unresolved); isU {
					ev.taint(t.value, sc, line, fmt.Sprintf("an item at an index not known statically was set at line %d", line), u)
					return
				}
				ev.raise("TypeError", "list indices must be integers or slices, not "+key.Type(), line)
				return
			}
			idx, ok := listSlot(i.V, len(o.Elems), line, ev)
			if !ok {
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
		case *HostValue:
			if si, ok := o.Host.(HostSetItem); ok && si.SetItem(key, v, line) {
				return
			}
			ev.taint(t.value, sc, line, fmt.Sprintf("item assignment `%s` at line %d was not evaluated", ev.srcOf(t), line), nil)
		default:
			ev.taint(t.value, sc, line, fmt.Sprintf("item assignment `%s` at line %d was not evaluated", ev.srcOf(t), line), nil)
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
				ev.taint(s.target, sc, line, fmt.Sprintf("extended at line %d with a value not known statically: %s", line, u.Reason), u)
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
				ev.taint(s.target, sc, line, u.Reason, u)
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

// listSlot is the position of index i in a list of n items for item
// assignment and deletion; out of range it raises IndexError.
func listSlot(i int64, n, line int, ev *evaluator) (int, bool) {
	if i < 0 {
		i += int64(n)
	}
	if i < 0 || i >= int64(n) {
		ev.raise("IndexError", "list assignment index out of range", line)
		return 0, false
	}
	return int(i), true
}
