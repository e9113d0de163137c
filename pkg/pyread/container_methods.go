package pyread

import (
	"fmt"
)

func (ev *evaluator) listMethod(l *List, name string, ca *callArgs) Value {
	line := ca.line
	switch name {
	case "append":
		if len(ca.args) != 1 {
			return ev.raise("TypeError", "list.append() takes exactly one argument", line)
		}
		if len(l.Elems) >= maxSeqLen {
			return ev.unknown(UnknownBudget, line, "list too large")
		}
		l.Elems = append(l.Elems, ca.args[0])
		return mkNone(line)
	case "extend":
		if len(ca.args) != 1 {
			return ev.raise("TypeError", "list.extend() takes exactly one argument", line)
		}
		items, u := ev.iterate(ca.args[0], line)
		if u != nil {
			if ca.recv != nil {
				ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("extended at line %d with items not known statically: %s", line, u.Reason), u)
			}
			return u
		}
		if len(l.Elems)+len(items) > maxSeqLen {
			return ev.unknown(UnknownBudget, line, "list too large")
		}
		ev.step(len(items))
		l.Elems = append(l.Elems, items...)
		return mkNone(line)
	case "insert":
		if len(ca.args) != 2 {
			return ev.raise("TypeError", "insert expected 2 arguments", line)
		}
		i, ok := intOf(ca.args[0])
		if !ok {
			if ca.recv != nil {
				ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("an item was inserted at an unknown position at line %d", line), nil)
			}
			return ev.unres(line, "insert position not known")
		}
		n := int64(len(l.Elems))
		if i < 0 {
			i += n
			if i < 0 {
				i = 0
			}
		}
		if i > n {
			i = n
		}
		l.Elems = append(l.Elems, nil)
		copy(l.Elems[i+1:], l.Elems[i:])
		l.Elems[i] = ca.args[1]
		return mkNone(line)
	case "pop":
		i, bad := ev.argInt(ca, 0, "", -1)
		if bad != nil {
			return bad
		}
		n := int64(len(l.Elems))
		if n == 0 {
			return ev.raise("IndexError", "pop from empty list", line)
		}
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return ev.raise("IndexError", "pop index out of range", line)
		}
		v := l.Elems[i]
		l.Elems = append(l.Elems[:i], l.Elems[i+1:]...)
		return v
	case "remove":
		if len(ca.args) != 1 {
			break
		}
		for i, e := range l.Elems {
			eq, known := pyEqual(e, ca.args[0])
			if !known {
				if ca.recv != nil {
					ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("remove() at line %d compares values not known statically", line), nil)
				}
				return ev.unres(line, "list.remove() compares values not known statically")
			}
			if eq {
				l.Elems = append(l.Elems[:i], l.Elems[i+1:]...)
				return mkNone(line)
			}
		}
		return ev.raise("ValueError", "list.remove(x): x not in list", line)
	case "clear":
		l.Elems = nil
		return mkNone(line)
	case "copy":
		return mkList(append([]Value(nil), l.Elems...), line)
	case "reverse":
		for i, j := 0, len(l.Elems)-1; i < j; i, j = i+1, j-1 {
			l.Elems[i], l.Elems[j] = l.Elems[j], l.Elems[i]
		}
		return mkNone(line)
	case "sort":
		r := ev.sortValues(l.Elems, ca, line)
		if nl, ok := r.(*List); ok {
			l.Elems = nl.Elems
			return mkNone(line)
		}
		if ca.recv != nil {
			ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("sorted at line %d by a key not known statically", line), nil)
		}
		return r
	case "index", "count":
		return ev.seqQuery(l.Elems, name, ca)
	}
	return ev.unres(line, "list."+name+"() is not supported by the reader")
}

func (ev *evaluator) seqQuery(elems []Value, name string, ca *callArgs) Value {
	line := ca.line
	if len(ca.args) != 1 {
		return ev.unres(line, name+"() with these arguments is not supported")
	}
	n := 0
	for i, e := range elems {
		eq, known := pyEqual(e, ca.args[0])
		if !known {
			return ev.unres(line, name+"() compares values not known statically")
		}
		if eq {
			if name == "index" {
				return mkInt(int64(i), line)
			}
			n++
		}
	}
	if name == "index" {
		return ev.raise("ValueError", "x not in sequence", line)
	}
	return mkInt(int64(n), line)
}

// dictUpdate implements dict.update / dict(...) / {**x}.
func (ev *evaluator) dictUpdate(d *Dict, args []Value, kw []kwArg, line int) *Unresolved {
	if len(args) > 1 {
		ev.raise("TypeError", fmt.Sprintf("update expected at most 1 argument, got %d", len(args)), line)
		return ev.excValue()
	}
	if len(args) == 1 {
		switch src := args[0].(type) {
		case *Dict:
			for i, k := range src.keys {
				if u, ok := k.(*Unresolved); ok {
					d.setUnknown(u, src.vals[i], src.lines[i])
					continue
				}
				d.set(k, src.vals[i], src.lines[i])
			}
			ev.step(len(src.keys))
		case *Unresolved:
			return propagate(src)
		case *envMapping:
			return ev.unres(line, "the full environment is not known statically")
		default:
			items, u := ev.iterate(src, line)
			if u != nil {
				return u
			}
			for _, it := range items {
				pair, u := ev.iterate(it, line)
				if u != nil {
					return u
				}
				if len(pair) != 2 {
					ev.raise("ValueError", "dictionary update sequence element has wrong length", line)
					return ev.excValue()
				}
				if !d.set(pair[0], pair[1], line) {
					if u, ok := pair[0].(*Unresolved); ok {
						d.setUnknown(u, pair[1], line)
						continue
					}
					ev.raise("TypeError", "unhashable type: '"+pair[0].Type()+"'", line)
					return ev.excValue()
				}
			}
		}
	}
	for _, k := range kw {
		d.set(mkStr(k.name, line), k.val, line)
	}
	return nil
}

func (ev *evaluator) dictFromKeys(ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "iterable")
	if !ok {
		return ev.raise("TypeError", "fromkeys expected at least 1 argument", line)
	}
	items, u := ev.iterate(v, line)
	if u != nil {
		return u
	}
	var fill Value = mkNone(line)
	if f, ok := ca.arg(1, "value"); ok {
		fill = f
	}
	d := newDict(line)
	for _, it := range items {
		if !d.set(it, fill, line) {
			return ev.unres(line, "fromkeys() with keys not known statically")
		}
	}
	return d
}

func (ev *evaluator) dictMethod(d *Dict, name string, ca *callArgs) Value {
	line := ca.line
	switch name {
	case "get", "setdefault", "pop":
		return ev.dictKeyMethod(d, name, ca)
	case "keys", "values", "items":
		if d.unknown > 0 {
			return ev.unres(line, "the dict has keys not known statically")
		}
		var items []Value
		for i, k := range d.keys {
			switch name {
			case "keys":
				items = append(items, k)
			case "values":
				items = append(items, d.vals[i])
			default:
				items = append(items, mkTuple([]Value{k, d.vals[i]}, line))
			}
		}
		return &viewValue{kind: "dict_" + name, items: items, L: line}
	case "copy":
		n := shallowDict(d)
		n.L = line
		return n
	case "update":
		if u := ev.dictUpdate(d, ca.args, ca.kw, line); u != nil {
			if ca.recv != nil {
				ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("updated at line %d with a value not known statically: %s", line, u.Reason), u)
			}
			return u
		}
		return mkNone(line)
	case "popitem":
		if len(d.keys) == 0 {
			return ev.raise("KeyError", "'popitem(): dictionary is empty'", line)
		}
		i := len(d.keys) - 1
		k, v := d.keys[i], d.vals[i]
		d.keys, d.vals, d.lines = d.keys[:i], d.vals[:i], d.lines[:i]
		d.reindex()
		return mkTuple([]Value{k, v}, line)
	case "clear":
		d.keys, d.vals, d.lines, d.unknown = nil, nil, nil, 0
		d.index = map[hkey]int{}
		return mkNone(line)
	case "fromkeys":
		return ev.dictFromKeys(ca)
	}
	return ev.unres(line, "dict."+name+"() is not supported by the reader")
}

// dictKeyMethod is get, setdefault and pop: they look a key up and differ
// in what happens when it is missing. setdefault and pop change the dict,
// so when that change is not known the receiver becomes unresolved.
func (ev *evaluator) dictKeyMethod(d *Dict, name string, ca *callArgs) Value {
	line := ca.line
	k, ok := ca.arg(0, "")
	if !ok {
		return ev.unres(line, "dict."+name+"() is not supported by the reader")
	}
	taint := func(why string, cause *Unresolved) {
		if name != "get" && ca.recv != nil {
			ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("%s() at line %d %s", name, line, why), cause)
		}
	}
	if u, ok := k.(*Unresolved); ok {
		taint("with a key not known statically", u)
		return propagate(u)
	}
	v, found, ok := d.get(k)
	if !ok {
		return ev.raise("TypeError", "unhashable type: '"+k.Type()+"'", line)
	}
	def, hasDef := ca.arg(1, "")
	switch {
	case found && name == "pop":
		d.del(k)
		return v
	case found:
		return v
	case name == "pop":
		if hasDef {
			return def
		}
		r, _ := ev.reprOf(k)
		return ev.raise("KeyError", r, line)
	case d.unknown > 0 && name == "get":
		return ev.unres(line, "the key may be one of the dict's keys that are not known statically")
	case d.unknown > 0:
		taint("on a dict with keys not known statically", nil)
		return ev.unres(line, "the dict has keys not known statically")
	}
	if !hasDef {
		def = mkNone(line)
	}
	if name == "setdefault" {
		d.set(k, def, line)
	}
	return def
}

func (ev *evaluator) setMethod(s *Set, name string, ca *callArgs) Value {
	line := ca.line
	others := func() ([]*Set, Value) {
		var out []*Set
		for _, a := range ca.args {
			items, u := ev.iterateAnyOrder(a, line)
			if u != nil {
				return nil, u
			}
			o := newSet(line, false)
			for _, it := range items {
				if !o.add(it) {
					return nil, ev.unres(line, "set of values not known statically")
				}
			}
			out = append(out, o)
		}
		return out, nil
	}
	switch name {
	case "add":
		if len(ca.args) != 1 {
			break
		}
		if !s.add(ca.args[0]) {
			if ca.recv != nil {
				ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("an item not known statically was added at line %d", line), nil)
			}
			return ev.unres(line, "set item not known statically")
		}
		return mkNone(line)
	case "discard", "remove":
		if len(ca.args) != 1 {
			break
		}
		has, ok := s.has(ca.args[0])
		if !ok {
			return ev.unres(line, "set item not known statically")
		}
		if !has && name == "remove" {
			r, _ := ev.reprOf(ca.args[0])
			return ev.raise("KeyError", r, line)
		}
		s.remove(ca.args[0])
		return mkNone(line)
	case "update", "union", "intersection", "difference", "symmetric_difference", "difference_update", "intersection_update":
		os, u := others()
		if u != nil {
			if mutatingMethods()[name] && ca.recv != nil {
				ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("changed at line %d with items not known statically", line), nil)
			}
			return u
		}
		op := map[string]string{"update": "|", "union": "|", "intersection": "&", "difference": "-",
			"symmetric_difference": "^", "difference_update": "-", "intersection_update": "&"}[name]
		cur := &Set{Elems: s.Elems, index: s.index, Frozen: s.Frozen, L: line}
		var res Value = cur
		for _, o := range os {
			res = ev.setOp(op, res.(*Set), o, line)
		}
		if name == "update" || name == "difference_update" || name == "intersection_update" {
			rs := res.(*Set)
			s.Elems, s.index = rs.Elems, rs.index
			return mkNone(line)
		}
		if len(os) == 0 {
			return ev.setOp("|", cur, newSet(line, false), line)
		}
		return res
	case "copy":
		return ev.setOp("|", s, newSet(line, false), line)
	case "issubset", "issuperset", "isdisjoint":
		os, u := others()
		if u != nil {
			return u
		}
		if len(os) != 1 {
			break
		}
		a, b := s, os[0]
		if name == "issuperset" {
			a, b = b, a
		}
		for _, e := range a.Elems {
			has, _ := b.has(e)
			if name == "isdisjoint" && has {
				return mkBool(false, line)
			}
			if name != "isdisjoint" && !has {
				return mkBool(false, line)
			}
		}
		return mkBool(true, line)
	case "clear":
		s.Elems, s.index = nil, map[hkey]int{}
		return mkNone(line)
	}
	return ev.unres(line, "set."+name+"() is not supported by the reader")
}
