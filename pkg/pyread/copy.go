package pyread

import (
	"math"
)

// containsUnresolved reports whether v is or holds an unresolved value.
func containsUnresolved(v Value) bool {
	return firstUnresolved(v, 0, map[Value]bool{}) != nil
}

// firstUnresolved returns the first unresolved value inside v.
func firstUnresolved(v Value, depth int, seen map[Value]bool) *Unresolved {
	if depth > 200 || seen[v] {
		return nil
	}
	switch v.(type) {
	case *List, *Tuple, *Set, *Dict:
		seen[v] = true
	}
	if items, ok := elemsOf(v); ok {
		for _, e := range items {
			if u := firstUnresolved(e, depth+1, seen); u != nil {
				return u
			}
		}
		return nil
	}
	switch v := v.(type) {
	case *Unresolved:
		return v
	case *Dict:
		for i, k := range v.keys {
			if u := firstUnresolved(k, depth+1, seen); u != nil {
				return u
			}
			if u := firstUnresolved(v.vals[i], depth+1, seen); u != nil {
				return u
			}
		}
	}
	return nil
}

// copier deep-copies mutable values, preserving aliasing.
type copier struct {
	memo  map[Value]Value
	count int
	depth int
}

func (c *copier) copy(v Value) Value {
	if c.depth > 500 {
		return v
	}
	c.depth++
	defer func() { c.depth-- }()
	switch v := v.(type) {
	case *List:
		if n, ok := c.memo[v]; ok {
			return n
		}
		n := &List{Elems: make([]Value, len(v.Elems)), L: v.L}
		c.memo[v] = n
		c.count += len(v.Elems) + 1
		for i, e := range v.Elems {
			n.Elems[i] = c.copy(e)
		}
		return n
	case *Dict:
		if n, ok := c.memo[v]; ok {
			return n
		}
		n := &Dict{keys: append([]Value(nil), v.keys...), vals: make([]Value, len(v.vals)),
			lines: append([]int(nil), v.lines...), index: make(map[hkey]int, len(v.index)), L: v.L, unknown: v.unknown}
		for k, i := range v.index {
			n.index[k] = i
		}
		c.memo[v] = n
		c.count += len(v.keys) + 1
		for i, e := range v.vals {
			n.vals[i] = c.copy(e)
		}
		return n
	case *Set:
		if v.Frozen {
			return v
		}
		if n, ok := c.memo[v]; ok {
			return n
		}
		n := &Set{Elems: append([]Value(nil), v.Elems...), index: make(map[hkey]int, len(v.index)), L: v.L}
		for k, i := range v.index {
			n.index[k] = i
		}
		c.memo[v] = n
		c.count += len(v.Elems) + 1
		return n
	case *Tuple:
		// immutable, but may hold mutable values
		mut := false
		for _, e := range v.Elems {
			switch e.(type) {
			case *List, *Dict, *Set, *Tuple, *Opaque:
				mut = true
			}
		}
		if !mut {
			return v
		}
		if n, ok := c.memo[v]; ok {
			return n
		}
		n := &Tuple{Elems: make([]Value, len(v.Elems)), L: v.L}
		c.memo[v] = n
		c.count += len(v.Elems) + 1
		for i, e := range v.Elems {
			n.Elems[i] = c.copy(e)
		}
		return n
	case *Instance:
		if n, ok := c.memo[v]; ok {
			return n
		}
		n := &Instance{cls: v.cls, Base: v.Base, L: v.L, orig: v.origin()}
		c.memo[v] = n
		n.attrs = c.copy(v.attrs).(*Dict)
		return n
	case *Opaque:
		if v.Kind != "class" || v.Attrs == nil {
			return v
		}
		if n, ok := c.memo[v]; ok {
			return n
		}
		n := *v
		c.memo[v] = &n
		n.Attrs = c.copy(v.Attrs).(*Dict)
		return &n
	}
	return v
}

// sameValue is structural identity used to merge branches: equal known
// values, or the very same unresolved/opaque object. Too big a comparison
// counts as different (the merge then says "not known").
func sameValue(a, b Value, depth int) bool {
	budget := 200_000
	return sameValueB(a, b, depth, &budget)
}

func sameValueB(a, b Value, depth int, budget *int) bool {
	if a == b {
		return true
	}
	*budget--
	if a == nil || b == nil || depth > 100 || *budget < 0 {
		return false
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a := a.(type) {
	case *Unresolved:
		bu := b.(*Unresolved)
		return a.Reason == bu.Reason && a.Line == bu.Line && len(a.Alternatives) == 0 && len(bu.Alternatives) == 0
	case *Opaque:
		bo := b.(*Opaque)
		if a.Kind != bo.Kind || a.Source != bo.Source || a.Qualname != bo.Qualname || a.Line != bo.Line || a.Duration != bo.Duration {
			return false
		}
		if a.Attrs != nil || bo.Attrs != nil {
			if a.Attrs == nil || bo.Attrs == nil {
				return false
			}
			return sameValueB(a.Attrs, bo.Attrs, depth+1, budget)
		}
		return a.fn == bo.fn
	case *Instance:
		bi := b.(*Instance)
		return a.origin() == bi.origin() && sameValueB(a.attrs, bi.attrs, depth+1, budget)
	case *List:
		return sameSeq(a.Elems, b.(*List).Elems, depth, budget)
	case *Tuple:
		return sameSeq(a.Elems, b.(*Tuple).Elems, depth, budget)
	case *Set:
		return sameSeq(a.Elems, b.(*Set).Elems, depth, budget)
	case *Dict:
		bd := b.(*Dict)
		if !sameSeq(a.keys, bd.keys, depth, budget) {
			return false
		}
		return sameSeq(a.vals, bd.vals, depth, budget)
	case *Float:
		bf := b.(*Float)
		return a.V == bf.V || math.IsNaN(a.V) && math.IsNaN(bf.V)
	}
	eq, known := pyEqual(a, b)
	return known && eq
}

func sameSeq(a, b []Value, depth int, budget *int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameValueB(a[i], b[i], depth+1, budget) {
			return false
		}
	}
	return true
}
