package pyread

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

const (
	maxStrLen  = 1 << 20 // results larger than this are not built
	maxSeqLen  = 1 << 17
	maxIntBits = 1 << 14
)

// genValue is a generator expression's items (evaluated eagerly).
// unordered is set when they came from iterating a set whose order CPython
// decides by hashing.
type genValue struct {
	items     []Value
	L         int
	unordered bool
}

func (*genValue) Type() string  { return "generator" }
func (g *genValue) pyline() int { return g.L }

// viewValue is dict.keys()/values()/items().
type viewValue struct {
	kind  string // "dict_keys", ...
	items []Value
	L     int
}

func (v *viewValue) Type() string { return v.kind }
func (v *viewValue) pyline() int  { return v.L }

func (ev *evaluator) eval(e expr, sc *scope) Value {
	if ev.exc != nil {
		return ev.excValue()
	}
	ev.step(1)
	ev.depth++
	if ev.depth > maxEvalDepth {
		ev.depth--
		return ev.unknown(UnknownBudget, e.position().line, "expression too deeply nested to evaluate")
	}
	v := ev.eval1(e, sc)
	ev.depth--
	return v
}

func (ev *evaluator) eval1(e expr, sc *scope) Value {
	switch e := e.(type) {
	case *constExpr:
		return e.val
	case *nameExpr:
		return ev.lookup(e.id, sc, e.line)
	case *joinedStr:
		return ev.evalJoined(e, sc)
	case *listExpr:
		items, u := ev.evalElts(e.elts, sc, e.line)
		if u != nil {
			return u
		}
		return mkList(items, e.line)
	case *tupleExpr:
		items, u := ev.evalElts(e.elts, sc, e.line)
		if u != nil {
			return u
		}
		return mkTuple(items, e.line)
	case *setExpr:
		items, u := ev.evalElts(e.elts, sc, e.line)
		if u != nil {
			return u
		}
		s := newSet(e.line, false)
		for _, it := range items {
			if !s.add(it) {
				if _, ok := it.(*Unresolved); ok {
					return propagate(it.(*Unresolved))
				}
				return ev.raise("TypeError", "unhashable type: '"+it.Type()+"'", e.line)
			}
		}
		return s
	case *dictExpr:
		return ev.evalDict(e, sc)
	case *attrExpr:
		obj := ev.eval(e.value, sc)
		if ev.exc != nil {
			return ev.excValue()
		}
		return ev.getattr(obj, e.attr, e.line)
	case *subscriptExpr:
		return ev.evalSubscript(e, sc)
	case *callExpr:
		return ev.evalCall(e, sc)
	case *binExpr:
		l := ev.eval(e.l, sc)
		r := ev.eval(e.r, sc)
		if ev.exc != nil {
			return ev.excValue()
		}
		return ev.binop(e.op, l, r, e.line)
	case *unaryExpr:
		x := ev.eval(e.x, sc)
		if ev.exc != nil {
			return ev.excValue()
		}
		return ev.unary(e.op, x, e.line)
	case *boolExpr:
		return ev.evalBool(e, sc)
	case *compareExpr:
		return ev.evalCompare(e, sc)
	case *ifExpr:
		t := ev.eval(e.test, sc)
		if ev.exc != nil {
			return ev.excValue()
		}
		b, known := ev.truthOf(t)
		if known {
			if b {
				return ev.eval(e.body, sc)
			}
			return ev.eval(e.orelse, sc)
		}
		ev.specExpr++
		a := ev.eval(e.body, sc)
		c := ev.eval(e.orelse, sc)
		ev.specExpr--
		u, ok := t.(*Unresolved)
		if !ok {
			u = &Unresolved{Reason: "the truth value of " + t.Type() + " is not known", Kind: UnknownUnsupported}
		}
		return &Unresolved{Reason: fmt.Sprintf("depends on `%s`, which is not known statically: %s", ev.srcOf(e.test), u.Reason),
			Line: e.line, Env: u.Env, Kind: UnknownCondition, Cause: u, Alternatives: []Alternative{
				{Condition: "if " + ev.srcOf(e.test), Line: e.line, Value: a},
				{Condition: "else", Line: e.line, Value: c}}}
	case *lambdaExpr:
		fv := &funcValue{lambda: e, closure: sc}
		if sc.kind != 'f' && sc.kind != 'q' {
			fv.closure = nil
		}
		fv.defaults = ev.evalDefaults(e.params, sc)
		return &Opaque{Kind: "lambda", Source: ev.srcOf(e), Line: e.line, fn: fv}
	case *compExpr:
		return ev.evalComp(e, sc)
	case *namedExpr:
		v := ev.eval(e.value, sc)
		if ev.exc != nil {
			return ev.excValue()
		}
		ev.setName(sc, e.target, v, e.line, ev.srcOf(e.value))
		return v
	case *starredExpr:
		return ev.raise("SyntaxError", "can't use starred expression here", e.line)
	case *sliceExpr:
		return ev.unres(e.line, "slice object not supported here")
	case *opaqueExpr:
		return ev.unres(e.line, e.what+" is not evaluated")
	case *formattedValue:
		return ev.formatField(e, sc)
	}
	return ev.unres(e.position().line, "expression not supported")
}

func (ev *evaluator) evalDefaults(params []param, sc *scope) []Value {
	var out []Value
	for _, p := range params {
		if p.def == nil {
			out = append(out, nil)
			continue
		}
		out = append(out, ev.eval(p.def, sc))
	}
	return out
}

// evalElts evaluates container elements, expanding *starred ones.
func (ev *evaluator) evalElts(elts []expr, sc *scope, line int) ([]Value, *Unresolved) {
	out := make([]Value, 0, len(elts))
	for _, x := range elts {
		if s, ok := x.(*starredExpr); ok {
			v := ev.eval(s.value, sc)
			if ev.exc != nil {
				return nil, ev.excValue()
			}
			items, u := ev.iterate(v, line)
			if u != nil {
				return nil, u
			}
			out = append(out, items...)
			continue
		}
		v := ev.eval(x, sc)
		if ev.exc != nil {
			return nil, ev.excValue()
		}
		out = append(out, v)
	}
	if len(out) > maxSeqLen {
		return nil, ev.unknown(UnknownBudget, line, "container too large")
	}
	return out, nil
}

func (ev *evaluator) evalDict(e *dictExpr, sc *scope) Value {
	d := newDictCap(e.line, len(e.keys))
	for i, k := range e.keys {
		if k == nil {
			v := ev.eval(e.values[i], sc)
			if ev.exc != nil {
				return ev.excValue()
			}
			if u := ev.dictUpdate(d, []Value{v}, nil, e.line); u != nil {
				return u
			}
			continue
		}
		kv := ev.eval(k, sc)
		vv := ev.eval(e.values[i], sc)
		if ev.exc != nil {
			return ev.excValue()
		}
		line := k.position().line
		if !d.set(kv, vv, line) {
			if u, ok := kv.(*Unresolved); ok {
				d.setUnknown(u, vv, line)
				continue
			}
			return ev.raise("TypeError", "unhashable type: '"+kv.Type()+"'", line)
		}
	}
	return d
}

// setOrderKnown reports whether CPython's iteration order of a set is
// known: at most one item, or only ints 0..7, which hash to themselves and
// come out in ascending order. Otherwise the order depends on hashing
// (PYTHONHASHSEED for strings).
func setOrderKnown(s *Set) bool {
	if len(s.Elems) <= 1 {
		return true
	}
	for _, e := range s.Elems {
		i, ok := e.(*Int)
		if !ok || i.Big != nil || i.V < 0 || i.V > 7 {
			return false
		}
	}
	return true
}

func errSetOrder(line int) *Unresolved {
	return &Unresolved{Reason: "the order of a set's items depends on string hashing (PYTHONHASHSEED), so it is not known statically; sort the set to make it stable", Line: line, Kind: UnknownSetOrder}
}

// iterateAnyOrder is iterate for consumers that do not depend on the
// order of the items (sorted, set, len, sum, any, all, min, max, in).
func (ev *evaluator) iterateAnyOrder(v Value, line int) ([]Value, *Unresolved) {
	switch v := v.(type) {
	case *Set:
		return append([]Value(nil), v.Elems...), nil
	case *genValue:
		return v.items, nil
	}
	return ev.iterate(v, line)
}

// iterate returns the items of an iterable value, in CPython's order.
func (ev *evaluator) iterate(v Value, line int) ([]Value, *Unresolved) {
	switch v := v.(type) {
	case *List:
		return append([]Value(nil), v.Elems...), nil
	case *Tuple:
		return v.Elems, nil
	case *Set:
		if !setOrderKnown(v) {
			ev.uncertain = true
			return nil, errSetOrder(line)
		}
		out := append([]Value(nil), v.Elems...)
		sort.Slice(out, func(i, j int) bool { return out[i].(*Int).V < out[j].(*Int).V })
		return out, nil
	case *Dict:
		if v.unknown > 0 {
			return nil, ev.unres(line, "iterating over a dict with keys not known statically")
		}
		return v.Keys(), nil
	case *Str:
		ev.step(len(v.V) / 8)
		out := make([]Value, 0, len(v.V))
		for _, r := range v.V {
			out = append(out, mkStr(string(r), v.L))
		}
		return out, nil
	case *Bytes:
		out := make([]Value, 0, len(v.V))
		for i := 0; i < len(v.V); i++ {
			out = append(out, mkInt(int64(v.V[i]), v.L))
		}
		return out, nil
	case *rangeValue:
		n := v.length()
		if n > maxSeqLen {
			return nil, ev.unknown(UnknownBudget, line, fmt.Sprintf("range of %d items is too long to evaluate", n))
		}
		ev.step(int(n))
		out := make([]Value, 0, n)
		for i := int64(0); i < n; i++ {
			out = append(out, mkInt(v.start+i*v.step, line))
		}
		return out, nil
	case *genValue:
		if v.unordered && len(v.items) > 1 {
			ev.uncertain = true
			return nil, errSetOrder(line)
		}
		return v.items, nil
	case *viewValue:
		return v.items, nil
	case *Unresolved:
		return nil, propagate(v)
	case *envMapping:
		return nil, ev.unres(line, "the full environment is not known statically")
	case *Opaque:
		if v.Kind == "import" || v.Kind == "object" {
			return nil, ev.unknown(UnknownImported, line, fmt.Sprintf("the items of %s are not known", v.Source))
		}
	}
	return nil, &Unresolved{Reason: fmt.Sprintf("TypeError: '%s' object is not iterable", v.Type()), Line: line, raises: "TypeError", Kind: UnknownRaises}
}

// ---- f-strings ----

func (ev *evaluator) evalJoined(e *joinedStr, sc *scope) Value {
	var sb strings.Builder
	for _, p := range e.parts {
		switch p := p.(type) {
		case *constExpr:
			sb.WriteString(p.val.(*Str).V)
		case *formattedValue:
			v := ev.formatField(p, sc)
			s, ok := v.(*Str)
			if !ok {
				return v
			}
			sb.WriteString(s.V)
			if sb.Len() > maxStrLen {
				return ev.unknown(UnknownBudget, e.line, "string too large")
			}
		}
	}
	return mkStr(sb.String(), e.line)
}

func (ev *evaluator) formatField(p *formattedValue, sc *scope) Value {
	v := ev.eval(p.value, sc)
	if ev.exc != nil {
		return ev.excValue()
	}
	if u, ok := v.(*Unresolved); ok {
		return propagate(u)
	}
	conv := p.conv
	if p.debug != "" && conv == 0 && p.spec == nil {
		conv = 'r'
	}
	spec := ""
	if p.spec != nil {
		sv := ev.evalJoined(p.spec, sc)
		s, ok := sv.(*Str)
		if !ok {
			return sv
		}
		spec = s.V
	}
	cv := ev.convertField(v, conv, p.line)
	if _, ok := cv.(*Unresolved); ok {
		return cv
	}
	out := ev.format(cv, spec, p.line)
	if p.debug != "" {
		if s, ok := out.(*Str); ok {
			return mkStr(p.debug+s.V, p.line)
		}
	}
	return out
}

// ---- subscripts ----

func (ev *evaluator) sliceBounds(s *sliceExpr, n int, sc *scope) (lo, hi, step int, ok bool) {
	get := func(e expr) (int64, bool, bool) {
		if e == nil {
			return 0, false, true
		}
		v := ev.eval(e, sc)
		switch v := v.(type) {
		case *NoneValue:
			return 0, false, true
		case *Int:
			if v.Big != nil {
				if v.Big.Sign() > 0 {
					return math.MaxInt32, true, true
				}
				return math.MinInt32, true, true
			}
			return v.V, true, true
		case *Bool:
			return boolInt(v.V), true, true
		}
		return 0, false, false
	}
	st, hasSt, ok1 := get(s.step)
	a, hasA, ok2 := get(s.lower)
	b, hasB, ok3 := get(s.upper)
	if !ok1 || !ok2 || !ok3 {
		return 0, 0, 0, false
	}
	if !hasSt {
		st = 1
	}
	if st == 0 {
		return 0, 0, 0, false
	}
	N := int64(n)
	norm := func(x int64, has bool, def int64) int64 {
		if !has {
			return def
		}
		if x < 0 {
			x += N
			if x < 0 {
				if st < 0 {
					return -1
				}
				return 0
			}
		}
		if x >= N {
			if st < 0 {
				return N - 1
			}
			return N
		}
		return x
	}
	if st > 0 {
		return int(norm(a, hasA, 0)), int(norm(b, hasB, N)), int(st), true
	}
	return int(norm(a, hasA, N-1)), int(norm(b, hasB, -1)), int(st), true
}

func sliceIdx(lo, hi, step int) []int {
	var out []int
	if step > 0 {
		for i := lo; i < hi; i += step {
			out = append(out, i)
		}
	} else {
		for i := lo; i > hi; i += step {
			out = append(out, i)
		}
	}
	return out
}

func (ev *evaluator) evalSubscript(e *subscriptExpr, sc *scope) Value {
	obj := ev.eval(e.value, sc)
	if ev.exc != nil {
		return ev.excValue()
	}
	if sl, ok := e.index.(*sliceExpr); ok {
		return ev.slice(obj, sl, sc, e.line)
	}
	key := ev.eval(e.index, sc)
	if ev.exc != nil {
		return ev.excValue()
	}
	return ev.getitem(obj, key, e.line)
}

func (ev *evaluator) slice(obj Value, sl *sliceExpr, sc *scope, line int) Value {
	switch o := obj.(type) {
	case *List, *Tuple:
		var elems []Value
		if l, ok := o.(*List); ok {
			elems = l.Elems
		} else {
			elems = o.(*Tuple).Elems
		}
		lo, hi, st, ok := ev.sliceBounds(sl, len(elems), sc)
		if !ok {
			return ev.unres(line, "slice bounds not known")
		}
		var out []Value
		for _, i := range sliceIdx(lo, hi, st) {
			out = append(out, elems[i])
		}
		if _, ok := o.(*List); ok {
			return mkList(out, line)
		}
		return mkTuple(out, line)
	case *Str:
		rs := []rune(o.V)
		lo, hi, st, ok := ev.sliceBounds(sl, len(rs), sc)
		if !ok {
			return ev.unres(line, "slice bounds not known")
		}
		var sb strings.Builder
		for _, i := range sliceIdx(lo, hi, st) {
			sb.WriteRune(rs[i])
		}
		return mkStr(sb.String(), line)
	case *Bytes:
		lo, hi, st, ok := ev.sliceBounds(sl, len(o.V), sc)
		if !ok {
			return ev.unres(line, "slice bounds not known")
		}
		var sb strings.Builder
		for _, i := range sliceIdx(lo, hi, st) {
			sb.WriteByte(o.V[i])
		}
		return &Bytes{V: sb.String(), L: line}
	case *Unresolved:
		return propagate(o)
	}
	return ev.unres(line, "slicing "+obj.Type()+" is not supported")
}

func (ev *evaluator) getitem(obj, key Value, line int) Value {
	if u, ok := key.(*Unresolved); ok {
		if d, ok := obj.(*Dict); ok {
			_ = d
		}
		return propagate(u)
	}
	switch o := obj.(type) {
	case *Dict:
		v, found, ok := o.get(key)
		if !ok {
			return ev.raise("TypeError", "unhashable type: '"+key.Type()+"'", line)
		}
		if !found {
			if o.unknown > 0 {
				return ev.unres(line, "the key may be one of the dict's keys that are not known statically")
			}
			r, _ := ev.reprOf(key)
			return ev.raise("KeyError", r, line)
		}
		return v
	case *List, *Tuple, *Str, *Bytes:
		var n int
		switch o := o.(type) {
		case *List:
			n = len(o.Elems)
		case *Tuple:
			n = len(o.Elems)
		case *Str:
			n = utf8.RuneCountInString(o.V)
		case *Bytes:
			n = len(o.V)
		}
		var idx int64
		switch k := key.(type) {
		case *Int:
			if k.Big != nil {
				return ev.raise("IndexError", "index out of range", line)
			}
			idx = k.V
		case *Bool:
			idx = boolInt(k.V)
		default:
			return ev.raise("TypeError", obj.Type()+" indices must be integers or slices, not "+key.Type(), line)
		}
		if idx < 0 {
			idx += int64(n)
		}
		if idx < 0 || idx >= int64(n) {
			what := obj.Type() + " index"
			switch obj.(type) {
			case *Str:
				what = "string index"
			case *Bytes:
				what = "index"
			}
			return ev.raise("IndexError", what+" out of range", line)
		}
		switch o := o.(type) {
		case *List:
			return o.Elems[idx]
		case *Tuple:
			return o.Elems[idx]
		case *Str:
			if len(o.V) == n {
				return mkStr(o.V[idx:idx+1], line)
			}
			return mkStr(string([]rune(o.V)[idx]), line)
		case *Bytes:
			return mkInt(int64(o.V[idx]), line)
		}
	case *envMapping:
		k, ok := key.(*Str)
		if !ok {
			return ev.raise("TypeError", "str expected, not "+key.Type(), line)
		}
		if v, set := ev.env[k.V]; set {
			return mkStr(v, line)
		}
		if ev.unknownEnv[k.V] {
			return ev.unres(line, fmt.Sprintf("environment variable %s was set by the file to a value not known statically", k.V))
		}
		ev.addMissingEnv(k.V)
		if ev.tryDepth > 0 || ev.funcDepth > 0 {
			return ev.raise("KeyError", "'"+k.V+"'", line)
		}
		return ev.envMissing(k.V, line, "os.environ[...] would raise KeyError")
	case *Unresolved:
		return propagate(o)
	case *Opaque:
		if ev.strict && (o.Kind == "import" || o.Kind == "object") {
			return ev.unknown(UnknownImported, line, fmt.Sprintf("%s[…] is not known: %s comes from a module the reader does not read", o.Source, o.Source))
		}
		if o.Kind == "import" || o.Kind == "builtin" || o.Kind == "class" {
			return &Opaque{Kind: "object", Source: o.Source + "[…]", Line: line}
		}
	case *HostValue:
		return ev.hostGetItem(o, key, "", line)
	case *Instance:
		return ev.instGetItem(o, key, line)
	case *NoneValue, *Int, *Float, *Bool, *Set:
		return ev.raise("TypeError", fmt.Sprintf("'%s' object is not subscriptable", obj.Type()), line)
	}
	return ev.unres(line, "subscript of "+obj.Type()+" is not supported")
}
