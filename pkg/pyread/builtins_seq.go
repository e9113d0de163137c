package pyread

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

func (ev *evaluator) builtinLen(_ string, ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "")
	if !ok {
		return nil
	}
	switch v := v.(type) {
	case *Str:
		return mkInt(int64(utf8.RuneCountInString(v.V)), line)
	case *Bytes:
		return mkInt(int64(len(v.V)), line)
	case *List:
		return mkInt(int64(len(v.Elems)), line)
	case *Tuple:
		return mkInt(int64(len(v.Elems)), line)
	case *Set:
		return mkInt(int64(len(v.Elems)), line)
	case *Dict:
		if v.unknown > 0 {
			return ev.unres(line, "len() of a dict with keys not known statically")
		}
		return mkInt(int64(v.Len()), line)
	case *rangeValue:
		return mkInt(v.length(), line)
	case *viewValue:
		return mkInt(int64(len(v.items)), line)
	}
	if isKnownPlain(v) {
		return ev.raise("TypeError", fmt.Sprintf("object of type '%s' has no len()", v.Type()), line)
	}
	return nil
}

// builtinCollection is list(), tuple(), set(), frozenset(), sorted() and
// reversed().
func (ev *evaluator) builtinCollection(name string, ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "")
	var items []Value
	if ok {
		var u *Unresolved
		if name == "set" || name == "frozenset" || name == "sorted" {
			items, u = ev.iterateAnyOrder(v, line)
		} else {
			items, u = ev.iterate(v, line)
		}
		if u != nil {
			return u
		}
	}
	switch name {
	case "list":
		return mkList(append([]Value(nil), items...), line)
	case "tuple":
		return mkTuple(append([]Value(nil), items...), line)
	case "set", "frozenset":
		s := newSet(line, name == "frozenset")
		for _, it := range items {
			if !s.add(it) {
				return ev.unres(line, "set of values not known statically")
			}
		}
		return s
	case "reversed":
		out := make([]Value, len(items))
		for i, it := range items {
			out[len(items)-1-i] = it
		}
		return &genValue{items: out, L: line}
	}
	return ev.sortValues(items, ca, line)
}

func (ev *evaluator) builtinDict(_ string, ca *callArgs) Value {
	d := newDict(ca.line)
	if u := ev.dictUpdate(d, ca.args, ca.kw, ca.line); u != nil {
		return u
	}
	return d
}

func (ev *evaluator) builtinMinMax(name string, ca *callArgs) Value {
	line := ca.line
	var items []Value
	if len(ca.args) == 1 {
		var u *Unresolved
		items, u = ev.iterateAnyOrder(ca.args[0], line)
		if u != nil {
			return u
		}
	} else {
		items = ca.args
	}
	if _, hasKey := ca.kwarg("key"); hasKey {
		return ev.unres(line, name+"() with key= is not evaluated")
	}
	if len(items) == 0 {
		if d, ok := ca.kwarg("default"); ok {
			return d
		}
		return ev.raise("ValueError", name+"() arg is an empty sequence", line)
	}
	best := items[0]
	for _, it := range items[1:] {
		c, ok := pyCompare(it, best)
		if !ok {
			return ev.unres(line, name+"() of values not comparable statically")
		}
		if name == "min" && c < 0 || name == "max" && c > 0 {
			best = it
		}
	}
	return best
}

func (ev *evaluator) builtinSum(_ string, ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "")
	if !ok {
		return nil
	}
	items, u := ev.iterateAnyOrder(v, line)
	if u != nil {
		return u
	}
	var acc Value = mkInt(0, line)
	if s, ok := ca.arg(1, "start"); ok {
		acc = s
	}
	for _, it := range items {
		acc = ev.binop("+", acc, it, line)
	}
	return acc
}

// builtinAnyAll is any() and all().
func (ev *evaluator) builtinAnyAll(name string, ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "")
	if !ok {
		return nil
	}
	items, u := ev.iterateAnyOrder(v, line)
	if u != nil {
		return u
	}
	unknown := false
	for _, it := range items {
		t, known := truth(it)
		if !known {
			unknown = true
			continue
		}
		if name == "any" && t {
			return mkBool(true, line)
		}
		if name == "all" && !t {
			return mkBool(false, line)
		}
	}
	if unknown {
		return ev.unres(line, name+"() over values not known statically")
	}
	return mkBool(name == "all", line)
}

func (ev *evaluator) builtinRange(_ string, ca *callArgs) Value {
	line := ca.line
	var vals []int64
	for _, a := range ca.args {
		n, ok := intOf(a)
		if !ok {
			return ev.raise("TypeError", "'"+a.Type()+"' object cannot be interpreted as an integer", line)
		}
		vals = append(vals, n)
	}
	r := &rangeValue{step: 1, L: line}
	switch len(vals) {
	case 1:
		r.stop = vals[0]
	case 2:
		r.start, r.stop = vals[0], vals[1]
	case 3:
		r.start, r.stop, r.step = vals[0], vals[1], vals[2]
		if r.step == 0 {
			return ev.raise("ValueError", "range() arg 3 must not be zero", line)
		}
	default:
		return ev.raise("TypeError", "range expected at most 3 arguments", line)
	}
	return r
}

func (ev *evaluator) builtinEnumerate(_ string, ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "")
	if !ok {
		return nil
	}
	items, u := ev.iterate(v, line)
	if u != nil {
		return u
	}
	start := int64(0)
	if s, ok := ca.arg(1, "start"); ok {
		start, _ = intOf(s)
	}
	out := make([]Value, len(items))
	for i, it := range items {
		out[i] = mkTuple([]Value{mkInt(start+int64(i), line), it}, line)
	}
	return &genValue{items: out, L: line}
}

func (ev *evaluator) builtinZip(_ string, ca *callArgs) Value {
	line := ca.line
	var lists [][]Value
	n := -1
	for _, a := range ca.args {
		items, u := ev.iterate(a, line)
		if u != nil {
			return u
		}
		lists = append(lists, items)
		if n < 0 || len(items) < n {
			n = len(items)
		}
	}
	if n < 0 {
		n = 0
	}
	out := make([]Value, n)
	for i := 0; i < n; i++ {
		t := make([]Value, len(lists))
		for j := range lists {
			t[j] = lists[j][i]
		}
		out[i] = mkTuple(t, line)
	}
	return &genValue{items: out, L: line}
}

// builtinMapFilter is map() and filter().
func (ev *evaluator) builtinMapFilter(name string, ca *callArgs) Value {
	line := ca.line
	if len(ca.args) < 2 {
		return nil
	}
	items, u := ev.iterate(ca.args[1], line)
	if u != nil {
		return u
	}
	var out []Value
	for _, it := range items {
		ev.step(1)
		if name == "filter" {
			var keep Value = it
			if _, isNone := ca.args[0].(*NoneValue); !isNone {
				keep = ev.call(ca.args[0], &callArgs{args: []Value{it}, line: line})
			}
			t, known := truth(keep)
			if !known {
				return ev.unres(line, "filter() with a predicate not known statically")
			}
			if t {
				out = append(out, it)
			}
			continue
		}
		r := ev.call(ca.args[0], &callArgs{args: []Value{it}, line: line})
		if ev.exc != nil {
			return ev.excValue()
		}
		out = append(out, r)
	}
	return &genValue{items: out, L: line}
}

func (ev *evaluator) sortValues(items []Value, ca *callArgs, line int) Value {
	out := append([]Value(nil), items...)
	keyFn, hasKey := ca.kwarg("key")
	if _, isNone := keyFn.(*NoneValue); isNone {
		hasKey = false
	}
	keys := out
	if hasKey {
		keys = make([]Value, len(out))
		for i, it := range out {
			keys[i] = ev.call(keyFn, &callArgs{args: []Value{it}, line: line})
			if u, ok := keys[i].(*Unresolved); ok {
				return propagate(u)
			}
		}
	}
	rev := false
	if r, ok := ca.kwarg("reverse"); ok {
		t, known := truth(r)
		if !known {
			return ev.unres(line, "sort order not known")
		}
		rev = t
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	var bad [2]Value
	ev.step(len(out) * 4)
	sort.SliceStable(idx, func(a, b int) bool {
		c, ok := pyCompare(keys[idx[a]], keys[idx[b]])
		if !ok {
			if bad[0] == nil {
				// insertion sort asks (later, earlier), as CPython does
				bad = [2]Value{keys[idx[a]], keys[idx[b]]}
			}
			return false
		}
		if rev {
			return c > 0
		}
		return c < 0
	})
	if bad[0] != nil {
		for _, k := range keys {
			if u, ok := k.(*Unresolved); ok {
				return propagate(u)
			}
		}
		if !isKnownPlain(bad[0]) || !isKnownPlain(bad[1]) {
			return ev.unres(line, "sorting values not comparable statically")
		}
		return ev.raise("TypeError", fmt.Sprintf("'<' not supported between instances of '%s' and '%s'", bad[0].Type(), bad[1].Type()), line)
	}
	res := make([]Value, len(out))
	for i, j := range idx {
		res[i] = out[j]
	}
	return mkList(res, line)
}
