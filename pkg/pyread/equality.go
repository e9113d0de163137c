package pyread

import (
	"math"
	"math/big"
	"strings"
)

// truth is Python truthiness; known is false for unresolved values.
func truth(v Value) (val, known bool) {
	switch v := v.(type) {
	case *NoneValue:
		return false, true
	case *Bool:
		return v.V, true
	case *Int:
		return v.Big != nil || v.V != 0, true
	case *Float:
		return v.V != 0, true
	case *Str:
		return v.V != "", true
	case *Bytes:
		return v.V != "", true
	case *List:
		return len(v.Elems) > 0, true
	case *Tuple:
		return len(v.Elems) > 0, true
	case *Set:
		return len(v.Elems) > 0, true
	case *Dict:
		return len(v.keys) > 0, true
	case *rangeValue:
		return v.length() > 0, true
	case *Opaque:
		switch v.Kind {
		case "class", "function", "lambda", "module", "builtin", "exception":
			return true, true
		case "timedelta":
			return v.Duration != 0, true
		}
	case *boundMethod, *envMapping, *instMethod, *ExcClass, *superValue:
		return true, true
	case *HostValue:
		return hostTruth(v)
	case *Instance:
		for _, e := range v.cls.mro {
			if e.cls == nil {
				return false, false // an imported base may define __bool__
			}
			if _, ok := e.cls.obj.Attrs.Lookup("__bool__"); ok {
				return false, false
			}
			if _, ok := e.cls.obj.Attrs.Lookup("__len__"); ok {
				return false, false
			}
		}
		return true, true
	}
	return false, false
}

func isNumber(v Value) bool {
	switch v.(type) {
	case *Int, *Float, *Bool:
		return true
	}
	return false
}

// numeric returns a number as big.Int or float64.
func asBigInt(v Value) (*big.Int, bool) {
	switch v := v.(type) {
	case *Int:
		return v.big(), true
	case *Bool:
		if v.V {
			return big.NewInt(1), true
		}
		return big.NewInt(0), true
	}
	return nil, false
}

func asFloat(v Value) (float64, bool) {
	switch v := v.(type) {
	case *Float:
		return v.V, true
	case *Int:
		if v.Big != nil {
			f, _ := new(big.Float).SetInt(v.Big).Float64()
			return f, true
		}
		return float64(v.V), true
	case *Bool:
		if v.V {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// pyEqual is ==; known is false when either side is not known (or the
// comparison is too big to make).
func pyEqual(a, b Value) (eq, known bool) {
	budget := 200_000
	return pyEqualDepth(a, b, 0, &budget)
}

func pyEqualDepth(a, b Value, depth int, budget *int) (bool, bool) {
	*budget--
	if depth > 100 || *budget < 0 {
		return false, false
	}
	if isNumber(a) && isNumber(b) {
		c, ordered := numCompare(a, b)
		return ordered && c == 0, true
	}
	if eq, known, handled := objectEqual(a, b); handled {
		return eq, known
	}
	switch a := a.(type) {
	case *Str:
		if b, ok := b.(*Str); ok {
			return a.V == b.V, true
		}
	case *Bytes:
		if b, ok := b.(*Bytes); ok {
			return a.V == b.V, true
		}
	case *NoneValue:
		if _, ok := b.(*NoneValue); ok {
			return true, true
		}
	case *List:
		if b, ok := b.(*List); ok {
			return seqEqual(a.Elems, b.Elems, depth, budget)
		}
	case *Tuple:
		if b, ok := b.(*Tuple); ok {
			return seqEqual(a.Elems, b.Elems, depth, budget)
		}
	case *Dict:
		if b, ok := b.(*Dict); ok {
			if a.Len() != b.Len() {
				return false, true
			}
			for i, k := range a.keys {
				bv, found, ok := b.get(k)
				if !ok {
					return false, false
				}
				if !found {
					return false, true
				}
				eq, known := pyEqualDepth(a.vals[i], bv, depth+1, budget)
				if !known || !eq {
					return eq, known
				}
			}
			return true, true
		}
	case *Set:
		if b, ok := b.(*Set); ok {
			if len(a.Elems) != len(b.Elems) {
				return false, true
			}
			for _, e := range a.Elems {
				has, ok := b.has(e)
				if !ok {
					return false, false
				}
				if !has {
					return false, true
				}
			}
			return true, true
		}
	case *Unresolved:
		return false, false
	case *Opaque:
		if _, ok := b.(*Unresolved); ok {
			return false, false
		}
		if bo, ok := b.(*Opaque); ok {
			if a == bo {
				return true, true
			}
			if a.Kind == "timedelta" && bo.Kind == "timedelta" {
				return a.Duration == bo.Duration, true
			}
			if a.Kind == "import" || bo.Kind == "import" {
				return false, false
			}
			return false, true
		}
		if a.Kind == "import" || a.Kind == "object" {
			return false, false
		}
		return false, true
	}
	if _, ok := b.(*Unresolved); ok {
		return false, false
	}
	if o, ok := b.(*Opaque); ok && (o.Kind == "import" || o.Kind == "object") {
		return false, false
	}
	// different known types compare unequal
	switch a.(type) {
	case *boundMethod, *envMapping, *rangeValue:
		return false, false
	}
	return false, true
}

func seqEqual(a, b []Value, depth int, budget *int) (bool, bool) {
	if len(a) != len(b) {
		return false, true
	}
	for i := range a {
		eq, known := pyEqualDepth(a[i], b[i], depth+1, budget)
		if !known || !eq {
			return eq, known
		}
	}
	return true, true
}

// pyCompare orders a and b (-1, 0, 1); ok is false when Python would raise
// TypeError or the values are not known.
func pyCompare(a, b Value) (int, bool) {
	if isNumber(a) && isNumber(b) {
		return numCompare(a, b)
	}
	switch a := a.(type) {
	case *Str:
		if b, ok := b.(*Str); ok {
			return strings.Compare(a.V, b.V), true
		}
	case *Bytes:
		if b, ok := b.(*Bytes); ok {
			return strings.Compare(a.V, b.V), true
		}
	case *List:
		if b, ok := b.(*List); ok {
			return seqCompare(a.Elems, b.Elems)
		}
	case *Tuple:
		if b, ok := b.(*Tuple); ok {
			return seqCompare(a.Elems, b.Elems)
		}
	}
	return 0, false
}

func seqCompare(a, b []Value) (int, bool) {
	for i := 0; i < len(a) && i < len(b); i++ {
		eq, known := pyEqual(a[i], b[i])
		if !known {
			return 0, false
		}
		if !eq {
			return pyCompare(a[i], b[i])
		}
	}
	switch {
	case len(a) < len(b):
		return -1, true
	case len(a) > len(b):
		return 1, true
	}
	return 0, true
}

// numCompare orders two numbers (-1, 0, 1): ints and bools exactly, and as
// floats when either is a float; ordered is false when one is NaN.
func numCompare(a, b Value) (c int, ordered bool) {
	_, af := a.(*Float)
	_, bf := b.(*Float)
	if af || bf {
		x, _ := asFloat(a)
		y, _ := asFloat(b)
		switch {
		case math.IsNaN(x) || math.IsNaN(y):
			return 0, false
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	}
	x, _ := asBigInt(a)
	y, _ := asBigInt(b)
	return x.Cmp(y), true
}

// objectEqual is == when either side is a host or an instance: the same
// object is equal to itself; a host may define __eq__ and so may a class
// of the file or its imported base, so other comparisons are known only
// between instances of the file's own classes that do not.
func objectEqual(a, b Value) (eq, known, handled bool) {
	_, ha := a.(*HostValue)
	_, hb := b.(*HostValue)
	ia, isA := a.(*Instance)
	ib, isB := b.(*Instance)
	if !ha && !hb && !isA && !isB {
		return false, false, false
	}
	if ha && hb && a.(*HostValue).Host == b.(*HostValue).Host || isA && isB && ia.origin() == ib.origin() {
		return true, true, true
	}
	if ha || hb {
		return false, false, true
	}
	for _, i := range []*Instance{ia, ib} {
		if i != nil && !i.plainEquality() {
			return false, false, true
		}
	}
	return false, true, true
}

// plainEquality reports whether == on the instance is identity: no class
// along its MRO defines __eq__, and none is imported.
func (i *Instance) plainEquality() bool {
	for _, e := range i.cls.mro {
		if e.cls == nil {
			return false
		}
		if _, ok := e.cls.obj.Attrs.Lookup("__eq__"); ok {
			return false
		}
	}
	return true
}
