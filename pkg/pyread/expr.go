package pyread

import (
	"fmt"
	"math"
	"math/big"
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
		return ev.unres(e.position().line, "expression too deeply nested to evaluate")
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
		b, known := truth(t)
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
			u = &Unresolved{Reason: "the truth value of " + t.Type() + " is not known"}
		}
		return &Unresolved{Reason: fmt.Sprintf("depends on `%s`, which is not known statically: %s", ev.srcOf(e.test), u.Reason),
			Line: e.line, Env: u.Env, Alternatives: []Alternative{
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
		return nil, ev.unres(line, "container too large")
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
	return &Unresolved{Reason: "the order of a set's items depends on string hashing (PYTHONHASHSEED), so it is not known statically; sort the set to make it stable", Line: line}
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
			return nil, ev.unres(line, fmt.Sprintf("range of %d items is too long to evaluate", n))
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
			return nil, ev.unres(line, fmt.Sprintf("the items of %s are not known", v.Source))
		}
	}
	return nil, &Unresolved{Reason: fmt.Sprintf("TypeError: '%s' object is not iterable", v.Type()), Line: line, raises: "TypeError"}
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
				return ev.unres(e.line, "string too large")
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
	var out Value
	switch conv {
	case 'r', 'a':
		r, ok := ev.reprOf(v)
		if !ok {
			return ev.unres(p.line, "repr() of "+v.Type()+" is not known")
		}
		if conv == 'a' {
			r = asciiEscape(r)
		}
		out = ev.format(mkStr(r, p.line), spec, p.line)
	case 's':
		s, ok := ev.strOf(v)
		if !ok {
			return ev.unres(p.line, "str() of "+v.Type()+" is not known")
		}
		out = ev.format(mkStr(s, p.line), spec, p.line)
	default:
		out = ev.format(v, spec, p.line)
	}
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
			return ev.raise("IndexError", obj.Type()+" index out of range", line)
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
		if o.Kind == "import" || o.Kind == "builtin" || o.Kind == "class" {
			return &Opaque{Kind: "object", Source: o.Source + "[…]", Line: line}
		}
	}
	return ev.unres(line, "subscript of "+obj.Type()+" is not supported")
}

// ---- operators ----

func (ev *evaluator) unary(op string, x Value, line int) Value {
	if u, ok := x.(*Unresolved); ok {
		if op == "not" {
			return propagate(u)
		}
		return propagate(u)
	}
	switch op {
	case "not":
		t, known := truth(x)
		if !known {
			return ev.unres(line, "truth value of "+x.Type()+" is not known")
		}
		return mkBool(!t, line)
	case "-", "+", "~":
		switch v := x.(type) {
		case *Int, *Bool:
			b, _ := asBigInt(v)
			switch op {
			case "-":
				return mkBigInt(new(big.Int).Neg(b), line)
			case "+":
				return mkBigInt(b, line)
			default:
				return mkBigInt(new(big.Int).Not(b), line)
			}
		case *Float:
			switch op {
			case "-":
				return mkFloat(-v.V, line)
			case "+":
				return mkFloat(v.V, line)
			}
		case *Opaque:
			if v.Kind == "timedelta" && op == "-" {
				return mkTimedelta(-v.Duration, "-"+v.Source, line)
			}
			if v.Kind == "complex" {
				return &Opaque{Kind: "complex", Source: op + v.Source, Line: line}
			}
		}
	}
	return ev.raise("TypeError", fmt.Sprintf("bad operand type for unary %s: '%s'", op, x.Type()), line)
}

func (ev *evaluator) evalBool(e *boolExpr, sc *scope) Value {
	var unknown *Unresolved
	var alts []Alternative
	for i, x := range e.values {
		v := ev.eval(x, sc)
		if ev.exc != nil {
			return ev.excValue()
		}
		t, known := truth(v)
		last := i == len(e.values)-1
		if unknown != nil {
			alts = append(alts, Alternative{Condition: "otherwise", Line: e.line, Value: v})
			if known && (t == (e.op == "or")) || last {
				break
			}
			continue
		}
		if known {
			if e.op == "or" && t || e.op == "and" && !t || last {
				return v
			}
			continue
		}
		// unknown truth: the result is this value or a later one
		if last {
			return v
		}
		if u, ok := v.(*Unresolved); ok {
			unknown = u
		} else {
			unknown = &Unresolved{Reason: "its truth value is not known"}
		}
		cond := "if `" + ev.srcOf(x) + "` is true"
		if e.op == "and" {
			cond = "if `" + ev.srcOf(x) + "` is false"
		}
		alts = append(alts, Alternative{Condition: cond, Line: e.line, Value: v})
		ev.specExpr++
		defer func() { ev.specExpr-- }()
	}
	return &Unresolved{Reason: unknown.Reason, Line: unknown.Line, Env: unknown.Env, Alternatives: alts}
}

func (ev *evaluator) evalCompare(e *compareExpr, sc *scope) Value {
	left := ev.eval(e.left, sc)
	if ev.exc != nil {
		return ev.excValue()
	}
	var result Value = mkBool(true, e.line)
	for i, op := range e.ops {
		right := ev.eval(e.right[i], sc)
		if ev.exc != nil {
			return ev.excValue()
		}
		r := ev.compare(op, left, right, e.line)
		if b, ok := r.(*Bool); ok {
			if !b.V {
				return b
			}
			result = b
		} else {
			return r
		}
		left = right
	}
	return result
}

func (ev *evaluator) compare(op string, a, b Value, line int) Value {
	switch op {
	case "is", "is not":
		same, known := identical(a, b)
		if !known {
			if u, ok := a.(*Unresolved); ok {
				return propagate(u)
			}
			if u, ok := b.(*Unresolved); ok {
				return propagate(u)
			}
			return ev.unres(line, "identity of values is not known statically")
		}
		return mkBool(same == (op == "is"), line)
	case "in", "not in":
		in := ev.contains(b, a, line)
		if bv, ok := in.(*Bool); ok {
			return mkBool(bv.V == (op == "in"), line)
		}
		return in
	}
	if u, ok := a.(*Unresolved); ok {
		return propagate(u)
	}
	if u, ok := b.(*Unresolved); ok {
		return propagate(u)
	}
	switch op {
	case "==", "!=":
		eq, known := pyEqual(a, b)
		if !known {
			return ev.unres(line, fmt.Sprintf("cannot compare %s with %s statically", a.Type(), b.Type()))
		}
		return mkBool(eq == (op == "=="), line)
	}
	c, ok := pyCompare(a, b)
	if !ok {
		if isKnownPlain(a) && isKnownPlain(b) {
			return ev.raise("TypeError", fmt.Sprintf("'%s' not supported between instances of '%s' and '%s'", op, a.Type(), b.Type()), line)
		}
		return ev.unres(line, fmt.Sprintf("cannot order %s and %s statically", a.Type(), b.Type()))
	}
	var r bool
	switch op {
	case "<":
		r = c < 0
	case "<=":
		r = c <= 0
	case ">":
		r = c > 0
	case ">=":
		r = c >= 0
	}
	return mkBool(r, line)
}

func isKnownPlain(v Value) bool {
	switch v.(type) {
	case *Str, *Int, *Float, *Bool, *NoneValue, *List, *Tuple, *Dict, *Set, *Bytes:
		return true
	}
	return false
}

// identical implements `is` where it is well defined.
func identical(a, b Value) (same, known bool) {
	switch a := a.(type) {
	case *NoneValue:
		switch b.(type) {
		case *NoneValue:
			return true, true
		case *Unresolved:
			return false, false
		}
		return false, true
	case *Bool:
		switch b := b.(type) {
		case *Bool:
			return a.V == b.V, true
		case *Unresolved:
			return false, false
		}
		return false, true
	case *Unresolved:
		if _, ok := b.(*NoneValue); ok && a.raises == "" {
			return false, false
		}
		return false, false
	}
	switch b.(type) {
	case *NoneValue, *Bool:
		if _, ok := a.(*Opaque); ok {
			ao := a.(*Opaque)
			if ao.Kind == "import" || ao.Kind == "object" {
				return false, false
			}
		}
		return false, true
	case *Unresolved:
		return false, false
	}
	if a == b {
		return true, true
	}
	switch a.(type) {
	case *List, *Dict, *Set:
		if a.Type() == b.Type() {
			return false, true
		}
	}
	return false, false
}

// contains implements `x in c` (returns *Bool or *Unresolved).
func (ev *evaluator) contains(c, x Value, line int) Value {
	if u, ok := c.(*Unresolved); ok {
		return propagate(u)
	}
	switch o := c.(type) {
	case *Str:
		s, ok := x.(*Str)
		if !ok {
			if u, ok := x.(*Unresolved); ok {
				return propagate(u)
			}
			return ev.raise("TypeError", "'in <string>' requires string as left operand, not "+x.Type(), line)
		}
		return mkBool(strings.Contains(o.V, s.V), line)
	case *Dict:
		if u, ok := x.(*Unresolved); ok {
			return propagate(u)
		}
		_, found, ok := o.get(x)
		if !ok {
			return ev.raise("TypeError", "unhashable type: '"+x.Type()+"'", line)
		}
		if !found && o.unknown > 0 {
			return ev.unres(line, "the dict has keys not known statically")
		}
		return mkBool(found, line)
	case *Set:
		if u, ok := x.(*Unresolved); ok {
			return propagate(u)
		}
		found, ok := o.has(x)
		if !ok {
			return ev.raise("TypeError", "unhashable type: '"+x.Type()+"'", line)
		}
		return mkBool(found, line)
	case *envMapping:
		s, ok := x.(*Str)
		if !ok {
			if u, ok := x.(*Unresolved); ok {
				return propagate(u)
			}
			return mkBool(false, line)
		}
		if _, set := ev.env[s.V]; set {
			return mkBool(true, line)
		}
		if ev.unknownEnv[s.V] {
			return mkBool(true, line)
		}
		return ev.envMissing(s.V, line, "so `in os.environ` is not known")
	}
	items, u := ev.iterateAnyOrder(c, line)
	if u != nil {
		return u
	}
	var unknown *Unresolved
	for _, it := range items {
		eq, known := pyEqual(it, x)
		if known && eq {
			return mkBool(true, line)
		}
		if !known && unknown == nil {
			if uu, ok := it.(*Unresolved); ok {
				unknown = propagate(uu)
			} else if uu, ok := x.(*Unresolved); ok {
				unknown = propagate(uu)
			} else {
				unknown = ev.unres(line, "membership not known statically")
			}
		}
	}
	if unknown != nil {
		return unknown
	}
	return mkBool(false, line)
}

func (ev *evaluator) binop(op string, a, b Value, line int) Value {
	if u, ok := a.(*Unresolved); ok {
		return propagate(u)
	}
	if u, ok := b.(*Unresolved); ok {
		return propagate(u)
	}
	// numbers
	if isNumber(a) && isNumber(b) {
		return ev.arith(op, a, b, line)
	}
	switch x := a.(type) {
	case *Str:
		switch op {
		case "+":
			if y, ok := b.(*Str); ok {
				if len(x.V)+len(y.V) > maxStrLen {
					return ev.unres(line, "string too large to build")
				}
				ev.step((len(x.V) + len(y.V)) / 64)
				return mkStr(x.V+y.V, line)
			}
		case "*":
			if n, ok := intOf(b); ok {
				return ev.repeatStr(x.V, n, line, false)
			}
		case "%":
			return ev.percentFormat(x.V, b, line)
		}
	case *Bytes:
		switch op {
		case "+":
			if y, ok := b.(*Bytes); ok {
				return &Bytes{V: x.V + y.V, L: line}
			}
		case "*":
			if n, ok := intOf(b); ok {
				v := ev.repeatStr(x.V, n, line, true)
				return v
			}
		}
	case *List:
		switch op {
		case "+":
			if y, ok := b.(*List); ok {
				if len(x.Elems)+len(y.Elems) > maxSeqLen {
					return ev.unres(line, "list too large to build")
				}
				ev.step(len(x.Elems) + len(y.Elems))
				return mkList(append(append([]Value(nil), x.Elems...), y.Elems...), line)
			}
		case "*":
			if n, ok := intOf(b); ok {
				r := ev.repeatSeq(x.Elems, n, line)
				if l, ok := r.([]Value); ok {
					return mkList(l, line)
				}
				return r.(Value)
			}
		}
	case *Tuple:
		switch op {
		case "+":
			if y, ok := b.(*Tuple); ok {
				if len(x.Elems)+len(y.Elems) > maxSeqLen {
					return ev.unres(line, "tuple too large to build")
				}
				return mkTuple(append(append([]Value(nil), x.Elems...), y.Elems...), line)
			}
		case "*":
			if n, ok := intOf(b); ok {
				r := ev.repeatSeq(x.Elems, n, line)
				if l, ok := r.([]Value); ok {
					return mkTuple(l, line)
				}
				return r.(Value)
			}
		}
	case *Dict:
		if op == "|" {
			if y, ok := b.(*Dict); ok {
				c := &copier{memo: map[Value]Value{}}
				n := shallowDict(x)
				_ = c
				if u := ev.dictUpdate(n, []Value{y}, nil, line); u != nil {
					return u
				}
				n.L = line
				return n
			}
		}
	case *Set:
		if y, ok := b.(*Set); ok {
			return ev.setOp(op, x, y, line)
		}
	case *Opaque:
		if r := ev.opaqueBinop(op, x, b, line); r != nil {
			return r
		}
	case *Int, *Bool:
		if op == "*" {
			switch y := b.(type) {
			case *Str, *List, *Tuple, *Bytes:
				return ev.binop(op, y, a, line)
			}
		}
	}
	if o, ok := b.(*Opaque); ok {
		if r := ev.opaqueBinop(op, a, o, line); r != nil {
			return r
		}
		if o.Kind == "import" || o.Kind == "object" {
			return ev.unres(line, fmt.Sprintf("operator %s with %s is not evaluated", op, o.Source))
		}
	}
	if ao, ok := a.(*Opaque); ok && (ao.Kind == "import" || ao.Kind == "object") {
		return ev.unres(line, fmt.Sprintf("operator %s with %s is not evaluated", op, ao.Source))
	}
	if isKnownPlain(a) && isKnownPlain(b) {
		return ev.raise("TypeError", fmt.Sprintf("unsupported operand type(s) for %s: '%s' and '%s'", op, a.Type(), b.Type()), line)
	}
	return ev.unres(line, fmt.Sprintf("operator %s on %s and %s is not supported", op, a.Type(), b.Type()))
}

func shallowDict(d *Dict) *Dict {
	n := newDict(d.L)
	for i, k := range d.keys {
		n.setRaw(k, d.vals[i], d.lines[i])
	}
	n.unknown = d.unknown
	return n
}

func intOf(v Value) (int64, bool) {
	switch v := v.(type) {
	case *Int:
		if v.Big != nil {
			if v.Big.Sign() > 0 {
				return math.MaxInt64, true
			}
			return math.MinInt64, true
		}
		return v.V, true
	case *Bool:
		return boolInt(v.V), true
	}
	return 0, false
}

func (ev *evaluator) repeatStr(s string, n int64, line int, isBytes bool) Value {
	if n <= 0 || s == "" {
		if isBytes {
			return &Bytes{L: line}
		}
		return mkStr("", line)
	}
	if n > maxStrLen || int64(len(s))*n > maxStrLen {
		return ev.unres(line, fmt.Sprintf("string repetition would build %s characters; not evaluated", bigMul(len(s), n)))
	}
	ev.step(len(s) * int(n) / 64)
	if isBytes {
		return &Bytes{V: strings.Repeat(s, int(n)), L: line}
	}
	return mkStr(strings.Repeat(s, int(n)), line)
}

func bigMul(a int, n int64) string {
	return new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(n)).String()
}

// repeatSeq returns []Value or an unresolved Value.
func (ev *evaluator) repeatSeq(elems []Value, n int64, line int) any {
	if n <= 0 || len(elems) == 0 {
		return []Value{}
	}
	if n > maxSeqLen || int64(len(elems))*n > maxSeqLen {
		return Value(ev.unres(line, "sequence repetition too large; not evaluated"))
	}
	ev.step(len(elems) * int(n))
	out := make([]Value, 0, len(elems)*int(n))
	for i := int64(0); i < n; i++ {
		out = append(out, elems...)
	}
	return out
}

func (ev *evaluator) setOp(op string, x, y *Set, line int) Value {
	out := newSet(line, x.Frozen)
	switch op {
	case "|":
		for _, e := range x.Elems {
			out.add(e)
		}
		for _, e := range y.Elems {
			out.add(e)
		}
	case "&":
		for _, e := range x.Elems {
			if h, _ := y.has(e); h {
				out.add(e)
			}
		}
	case "-":
		for _, e := range x.Elems {
			if h, _ := y.has(e); !h {
				out.add(e)
			}
		}
	case "^":
		for _, e := range x.Elems {
			if h, _ := y.has(e); !h {
				out.add(e)
			}
		}
		for _, e := range y.Elems {
			if h, _ := x.has(e); !h {
				out.add(e)
			}
		}
	default:
		return ev.raise("TypeError", fmt.Sprintf("unsupported operand type(s) for %s: 'set' and 'set'", op), line)
	}
	ev.step(len(x.Elems) + len(y.Elems))
	return out
}

func (ev *evaluator) arith(op string, a, b Value, line int) Value {
	_, af := a.(*Float)
	_, bf := b.(*Float)
	if af || bf || op == "/" {
		x, _ := asFloat(a)
		y, _ := asFloat(b)
		if op == "/" && !af && !bf {
			// true division of ints: exact via big.Rat for large values
			xi, _ := asBigInt(a)
			yi, _ := asBigInt(b)
			if yi.Sign() == 0 {
				return ev.raise("ZeroDivisionError", "division by zero", line)
			}
			f, _ := new(big.Rat).SetFrac(xi, yi).Float64()
			return mkFloat(f, line)
		}
		var r float64
		switch op {
		case "+":
			r = x + y
		case "-":
			r = x - y
		case "*":
			r = x * y
		case "/":
			if y == 0 {
				return ev.raise("ZeroDivisionError", "float division by zero", line)
			}
			r = x / y
		case "//":
			if y == 0 {
				return ev.raise("ZeroDivisionError", "float floor division by zero", line)
			}
			r = math.Floor(x / y)
		case "%":
			if y == 0 {
				return ev.raise("ZeroDivisionError", "float modulo", line)
			}
			r = math.Mod(x, y)
			if r != 0 && (r < 0) != (y < 0) {
				r += y
			}
		case "**":
			if x == 0 && y < 0 {
				return ev.raise("ZeroDivisionError", "0.0 cannot be raised to a negative power", line)
			}
			if x < 0 && y != math.Trunc(y) {
				return ev.unres(line, "complex result not supported")
			}
			r = math.Pow(x, y)
			if math.IsInf(r, 0) && !math.IsInf(x, 0) {
				return ev.raise("OverflowError", "(34, 'Numerical result out of range')", line)
			}
		default:
			return ev.raise("TypeError", fmt.Sprintf("unsupported operand type(s) for %s: '%s' and '%s'", op, a.Type(), b.Type()), line)
		}
		return mkFloat(r, line)
	}
	x, _ := asBigInt(a)
	y, _ := asBigInt(b)
	// fast path
	if xi, ok := a.(*Int); ok && xi.Big == nil {
		if yi, ok := b.(*Int); ok && yi.Big == nil {
			if r, ok := smallArith(op, xi.V, yi.V); ok {
				return mkInt(r, line)
			}
		}
	}
	r := new(big.Int)
	switch op {
	case "+":
		r.Add(x, y)
	case "-":
		r.Sub(x, y)
	case "*":
		if x.BitLen()+y.BitLen() > maxIntBits {
			return ev.unres(line, "integer result too large; not evaluated")
		}
		r.Mul(x, y)
	case "//", "%":
		if y.Sign() == 0 {
			return ev.raise("ZeroDivisionError", "integer division or modulo by zero", line)
		}
		q, m := new(big.Int).DivMod(x, y, new(big.Int))
		// Go's DivMod is Euclidean; Python floors.
		if m.Sign() != 0 && y.Sign() < 0 {
			q.Add(q, big.NewInt(1))
			m.Add(m, y)
		}
		if op == "//" {
			r = q
		} else {
			r = m
		}
	case "**":
		if y.Sign() < 0 {
			xf, _ := asFloat(a)
			yf, _ := asFloat(b)
			if xf == 0 {
				return ev.raise("ZeroDivisionError", "0.0 cannot be raised to a negative power", line)
			}
			return mkFloat(math.Pow(xf, yf), line)
		}
		if x.BitLen() > 1 && (!y.IsInt64() || int64(x.BitLen())*y.Int64() > maxIntBits) {
			return ev.unres(line, "integer power too large; not evaluated")
		}
		r.Exp(x, y, nil)
		ev.step(r.BitLen() / 64)
	case "<<":
		if y.Sign() < 0 {
			return ev.raise("ValueError", "negative shift count", line)
		}
		if !y.IsInt64() || int64(x.BitLen())+y.Int64() > maxIntBits {
			return ev.unres(line, "integer shift too large; not evaluated")
		}
		r.Lsh(x, uint(y.Int64()))
	case ">>":
		if y.Sign() < 0 {
			return ev.raise("ValueError", "negative shift count", line)
		}
		if !y.IsInt64() {
			if x.Sign() < 0 {
				return mkInt(-1, line)
			}
			return mkInt(0, line)
		}
		r.Rsh(x, uint(y.Int64()))
	case "&":
		r.And(x, y)
	case "|":
		r.Or(x, y)
	case "^":
		r.Xor(x, y)
	default:
		return ev.raise("TypeError", fmt.Sprintf("unsupported operand type(s) for %s: '%s' and '%s'", op, a.Type(), b.Type()), line)
	}
	_, ab := a.(*Bool)
	_, bb := b.(*Bool)
	if ab && bb && (op == "&" || op == "|" || op == "^") {
		return mkBool(r.Sign() != 0, line)
	}
	return mkBigInt(r, line)
}

func smallArith(op string, x, y int64) (int64, bool) {
	const lim = 1 << 31
	if x > lim || x < -lim || y > lim || y < -lim {
		return 0, false
	}
	switch op {
	case "+":
		return x + y, true
	case "-":
		return x - y, true
	case "*":
		return x * y, true
	case "&":
		return x & y, true
	case "|":
		return x | y, true
	case "^":
		return x ^ y, true
	}
	return 0, false
}
