package pyread

import (
	"fmt"
	"math"
	"math/big"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

type kwArg struct {
	name string
	val  Value
}

type callArgs struct {
	args []Value
	kw   []kwArg
	line int
	src  string
	// recv is the receiver expression of a method call (for taint).
	recv expr
	sc   *scope
}

func (c *callArgs) kwarg(name string) (Value, bool) {
	for _, k := range c.kw {
		if k.name == name {
			return k.val, true
		}
	}
	return nil, false
}

// arg returns positional argument i, or keyword name.
// strArg is argument i (or keyword name) as a str. An unresolved argument
// comes back as u, to be propagated; ok is false when the argument is
// missing or is not a str.
func (c *callArgs) strArg(i int, name string) (s *Str, u *Unresolved, ok bool) {
	v, present := c.arg(i, name)
	if !present {
		return nil, nil, false
	}
	if u, isU := v.(*Unresolved); isU {
		return nil, u, false
	}
	s, ok = v.(*Str)
	return s, nil, ok
}

func (c *callArgs) arg(i int, name string) (Value, bool) {
	if i >= 0 && i < len(c.args) {
		return c.args[i], true
	}
	if name != "" {
		return c.kwarg(name)
	}
	return nil, false
}

func ptrID(v any) uintptr { return reflect.ValueOf(v).Pointer() }

func (ev *evaluator) evalCall(e *callExpr, sc *scope) Value {
	fn := ev.eval(e.fn, sc)
	if ev.exc != nil {
		return ev.excValue()
	}
	ca := &callArgs{line: e.line, src: ev.srcOf(e), sc: sc}
	if a, ok := e.fn.(*attrExpr); ok {
		ca.recv = a.value
	}
	for _, a := range e.args {
		if s, ok := a.(*starredExpr); ok {
			v := ev.eval(s.value, sc)
			if ev.exc != nil {
				return ev.excValue()
			}
			items, u := ev.iterate(v, e.line)
			if u != nil {
				return ev.unknownArgs(fn, ca, u)
			}
			ca.args = append(ca.args, items...)
			continue
		}
		ca.args = append(ca.args, ev.eval(a, sc))
	}
	for _, k := range e.keywords {
		v := ev.eval(k.value, sc)
		if k.name != "" {
			ca.kw = append(ca.kw, kwArg{k.name, v})
			continue
		}
		d, ok := v.(*Dict)
		if !ok || d.unknown > 0 {
			u, isU := v.(*Unresolved)
			if !isU {
				u = ev.unres(e.line, "** argument is not a known dict")
			}
			return ev.unknownArgs(fn, ca, u)
		}
		for i, key := range d.keys {
			s, ok := key.(*Str)
			if !ok {
				return ev.raise("TypeError", "keywords must be strings", e.line)
			}
			ca.kw = append(ca.kw, kwArg{s.V, d.vals[i]})
		}
	}
	if ev.exc != nil {
		return ev.excValue()
	}
	return ev.call(fn, ca)
}

func (ev *evaluator) unknownArgs(fn Value, ca *callArgs, u *Unresolved) Value {
	if m, ok := fn.(*boundMethod); ok && mutatingMethods()[m.name] && ca.recv != nil {
		ev.taint(ca.recv, ca.sc, ca.line, fmt.Sprintf("changed at line %d by `%s` with arguments not known statically: %s", ca.line, ca.src, u.Reason))
	}
	return propagate(u)
}

func (ev *evaluator) call(fn Value, ca *callArgs) Value {
	switch f := fn.(type) {
	case *boundMethod:
		return ev.callMethod(f, ca)
	case *Opaque:
		switch f.Kind {
		case "builtin":
			return ev.callBuiltin(f.Qualname, ca)
		case "function", "lambda":
			return ev.callUser(f, ca)
		case "class":
			if ev.isExceptionClass(f, 0) {
				msg := ""
				if len(ca.args) > 0 {
					msg, _ = ev.strOf(ca.args[0])
				}
				return &Opaque{Kind: "exception", Qualname: f.Qualname, Source: msg, Line: ca.line}
			}
			return ev.unres(ca.line, fmt.Sprintf("an instance of class %s (line %d) is not modelled", f.Qualname, f.Line))
		case "import", "module":
			return ev.callQualified(f.Qualname, ca)
		}
		return ev.raise("TypeError", fmt.Sprintf("'%s' object is not callable", f.Kind), ca.line)
	case *Unresolved:
		return propagate(f)
	}
	if isKnownPlain(fn) {
		return ev.raise("TypeError", fmt.Sprintf("'%s' object is not callable", fn.Type()), ca.line)
	}
	return ev.unres(ca.line, "call of "+fn.Type()+" is not supported")
}

func (ev *evaluator) isExceptionClass(c *Opaque, depth int) bool {
	if depth > 20 {
		return false
	}
	for i, b := range c.Bases {
		if _, ok := excHierarchy()[normExc(b)]; ok || b == "BaseException" {
			return true
		}
		if i < len(c.baseVals) {
			if bo, ok := c.baseVals[i].(*Opaque); ok && bo.Kind == "class" && ev.isExceptionClass(bo, depth+1) {
				return true
			}
		}
	}
	return false
}

func (ev *evaluator) callUser(o *Opaque, ca *callArgs) Value {
	fv := o.fn
	if fv == nil {
		return ev.unres(ca.line, "call of "+o.Source+" is not evaluated")
	}
	if fv.decorated {
		return ev.unres(ca.line, fmt.Sprintf("call of the decorated function %s (line %d) is not evaluated", o.Qualname, o.Line))
	}
	if ev.callDepth >= maxCallDepth {
		return ev.unres(ca.line, "calls nested too deeply (recursion?); not evaluated")
	}
	var params []param
	var globalsDecl []string
	if fv.def != nil {
		params = fv.def.params
		globalsDecl = fv.def.globals
	} else {
		params = fv.lambda.params
	}
	parent := fv.closure
	if parent == nil {
		parent = ev.globals
	}
	fs := &scope{vars: map[string]*slot{}, kind: 'f', parent: parent, globals: map[string]bool{}}
	for _, g := range globalsDecl {
		fs.globals[g] = true
	}
	name := o.Qualname
	if name == "" {
		name = "<lambda>"
	}
	pos := ca.args
	used := map[string]bool{}
	bind := func(n string, v Value) {
		fs.vars[n] = &slot{val: v, line: ca.line}
	}
	for i, p := range params {
		switch p.kind {
		case 0:
			if len(pos) > 0 {
				bind(p.name, pos[0])
				pos = pos[1:]
				if _, dup := ca.kwarg(p.name); dup {
					return ev.raise("TypeError", fmt.Sprintf("%s() got multiple values for argument '%s'", name, p.name), ca.line)
				}
				continue
			}
			fallthrough
		case 'k':
			if v, ok := ca.kwarg(p.name); ok {
				bind(p.name, v)
				used[p.name] = true
				continue
			}
			if i < len(fv.defaults) && fv.defaults[i] != nil {
				bind(p.name, fv.defaults[i])
				continue
			}
			return ev.raise("TypeError", fmt.Sprintf("%s() missing required argument: '%s'", name, p.name), ca.line)
		case '*':
			bind(p.name, mkTuple(append([]Value(nil), pos...), ca.line))
			pos = nil
		case '+':
			d := newDict(ca.line)
			for _, k := range ca.kw {
				if !used[k.name] {
					d.set(mkStr(k.name, ca.line), k.val, ca.line)
					used[k.name] = true
				}
			}
			bind(p.name, d)
		}
	}
	if len(pos) > 0 {
		return ev.raise("TypeError", fmt.Sprintf("%s() takes %d positional arguments but more were given", name, len(params)), ca.line)
	}
	for _, k := range ca.kw {
		if !used[k.name] {
			found := false
			for _, p := range params {
				if p.name == k.name && p.kind == 0 {
					found = true
				}
			}
			if !found {
				return ev.raise("TypeError", fmt.Sprintf("%s() got an unexpected keyword argument '%s'", name, k.name), ca.line)
			}
		}
	}
	ev.callDepth++
	defer func() { ev.callDepth-- }()
	if fv.lambda != nil {
		return ev.eval(fv.lambda.body, fs)
	}
	saveRet, savePend, saveWhy := ev.retVal, ev.pendingRet, ev.pendingWhy
	ev.retVal, ev.pendingRet, ev.pendingWhy = nil, nil, nil
	ev.funcDepth++
	c := ev.execBlock(fv.def.body, fs)
	ev.funcDepth--
	var result Value
	switch c {
	case ctlReturn:
		result = ev.retVal
	case ctlRaise:
		result = ev.excValue()
	default:
		result = mkNone(ca.line)
	}
	if len(ev.pendingRet) > 0 && c != ctlRaise {
		alts := append(ev.pendingRet, Alternative{Condition: "otherwise", Line: ca.line, Value: result})
		why := fmt.Sprintf("the result of %s() depends on conditions not known statically", name)
		var env []string
		if w := ev.pendingWhy; w != nil {
			why = fmt.Sprintf("the result of %s() %s", name, w.Reason)
			env = w.Env
		}
		result = mergeAlternatives(alts, why, ca.line, env)
	}
	ev.retVal, ev.pendingRet, ev.pendingWhy = saveRet, savePend, saveWhy
	if result == nil {
		result = mkNone(ca.line)
	}
	return result
}

// ---- builtins ----

var builtinFuncs = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"len": true, "str": true, "int": true, "float": true, "bool": true, "list": true,
		"tuple": true, "set": true, "frozenset": true, "dict": true, "sorted": true,
		"reversed": true, "min": true, "max": true, "sum": true, "any": true, "all": true,
		"abs": true, "round": true, "repr": true, "range": true, "enumerate": true, "zip": true,
		"isinstance": true, "print": true, "getattr": true, "hasattr": true, "chr": true,
		"ord": true, "hex": true, "oct": true, "bin": true, "map": true, "filter": true,
		"format": true, "ascii": true, "divmod": true, "pow": true, "bytes": true, "callable": true,
		"type": true, "id": true, "hash": true, "iter": true, "next": true,
		// never evaluated
		"open": true, "eval": true, "exec": true, "compile": true, "__import__": true,
		"input": true, "exit": true, "quit": true, "globals": true, "locals": true,
		"vars": true, "setattr": true, "delattr": true, "breakpoint": true, "help": true,
		"memoryview": true, "bytearray": true, "object": true, "super": true,
		"property": true, "staticmethod": true, "classmethod": true, "dir": true,
		"issubclass": true, "complex": true, "slice": true,
	}
})

// builtinValue returns the builtin bound to name, or nil.
func builtinValue(name string, line int) Value {
	if builtinFuncs()[name] {
		return &Opaque{Kind: "builtin", Source: "<built-in " + name + ">", Qualname: name, Line: line}
	}
	if _, ok := excHierarchy()[name]; ok || name == "BaseException" {
		return &Opaque{Kind: "builtin", Source: "<class '" + name + "'>", Qualname: name, Line: line}
	}
	switch name {
	case "NotImplemented", "Ellipsis":
		return &Opaque{Kind: "object", Source: name, Line: line}
	}
	return nil
}

var dangerous = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"open":       "would open a file",
		"eval":       "would evaluate code",
		"exec":       "would execute code",
		"compile":    "would compile code",
		"__import__": "would import a module",
		"input":      "would read from the terminal",
		"exit":       "would stop the interpreter",
		"quit":       "would stop the interpreter",
		"breakpoint": "would start a debugger",
		"help":       "would start the help system",
		"globals":    "returns the module namespace",
		"locals":     "returns the local namespace",
		"vars":       "returns a namespace",
		"setattr":    "sets an attribute",
		"delattr":    "deletes an attribute",
	}
})

func (ev *evaluator) callBuiltin(name string, ca *callArgs) Value {
	line := ca.line
	if why, ok := dangerous()[name]; ok {
		return ev.unres(line, fmt.Sprintf("call to %s() is not evaluated: it %s, and the reader never runs code", name, why))
	}
	if _, ok := excHierarchy()[name]; ok || name == "BaseException" {
		msg := ""
		if len(ca.args) == 1 {
			if s, ok := ev.strOf(ca.args[0]); ok {
				msg = s
			}
		} else if len(ca.args) > 1 {
			if r, ok := ev.reprOf(mkTuple(ca.args, line)); ok {
				msg = r
			}
		}
		return &Opaque{Kind: "exception", Qualname: name, Source: msg, Line: line}
	}
	for _, a := range ca.args {
		if u, ok := a.(*Unresolved); ok && name != "print" && name != "isinstance" && name != "getattr" {
			if name == "bool" || name == "str" || name == "len" || name == "int" || name == "float" || name == "repr" {
				return propagate(u)
			}
			return propagate(u)
		}
	}
	arg0 := func() (Value, bool) { return ca.arg(0, "") }
	switch name {
	case "chr", "ord", "hex", "oct", "bin":
		if len(ca.args) != 1 {
			return ev.raise("TypeError", fmt.Sprintf("%s() takes exactly one argument (%d given)", name, len(ca.args)), line)
		}
	case "bytes":
		if len(ca.args) == 0 {
			return &Bytes{L: line}
		}
	}
	switch name {
	case "print":
		return mkNone(line)
	case "len":
		v, ok := arg0()
		if !ok {
			break
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
	case "str":
		v, ok := arg0()
		if !ok {
			return mkStr("", line)
		}
		if b, isB := v.(*Bytes); isB && len(ca.args) >= 2 {
			return ev.callMethod(&boundMethod{recv: b, name: "decode", L: line}, &callArgs{args: ca.args[1:], line: line})
		}
		s, ok := ev.strOf(v)
		if !ok {
			return ev.unres(line, "str() of "+v.Type()+" is not known")
		}
		return mkStr(s, line)
	case "repr", "ascii":
		v, ok := arg0()
		if !ok {
			break
		}
		s, ok := ev.reprOf(v)
		if !ok {
			return ev.unres(line, "repr() of "+v.Type()+" is not known")
		}
		if name == "ascii" {
			s = asciiEscape(s)
		}
		return mkStr(s, line)
	case "int":
		return ev.toInt(ca)
	case "float":
		v, ok := arg0()
		if !ok {
			return mkFloat(0, line)
		}
		switch v := v.(type) {
		case *Float:
			return mkFloat(v.V, line)
		case *Int, *Bool:
			f, _ := asFloat(v)
			return mkFloat(f, line)
		case *Str:
			f, ok := parsePyFloat(v.V)
			if !ok {
				r, _ := ev.reprOf(v)
				return ev.raise("ValueError", "could not convert string to float: "+r, line)
			}
			return mkFloat(f, line)
		}
		if isKnownPlain(v) {
			return ev.raise("TypeError", "float() argument must be a string or a real number, not '"+v.Type()+"'", line)
		}
	case "bool":
		v, ok := arg0()
		if !ok {
			return mkBool(false, line)
		}
		t, known := truth(v)
		if !known {
			return ev.unres(line, "truth value of "+v.Type()+" is not known")
		}
		return mkBool(t, line)
	case "list", "tuple", "set", "frozenset", "sorted", "reversed":
		v, ok := arg0()
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
		case "sorted":
			return ev.sortValues(items, ca, line)
		}
	case "dict":
		d := newDict(line)
		if u := ev.dictUpdate(d, ca.args, ca.kw, line); u != nil {
			return u
		}
		return d
	case "min", "max":
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
	case "sum":
		v, ok := arg0()
		if !ok {
			break
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
	case "any", "all":
		v, ok := arg0()
		if !ok {
			break
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
	case "abs":
		v, _ := arg0()
		switch v := v.(type) {
		case *Int, *Bool:
			b, _ := asBigInt(v)
			return mkBigInt(new(big.Int).Abs(b), line)
		case *Float:
			return mkFloat(math.Abs(v.V), line)
		case *Opaque:
			if v.Kind == "timedelta" {
				d := v.Duration
				if d < 0 {
					d = -d
				}
				return mkTimedelta(d, "abs("+v.Source+")", line)
			}
		}
	case "round":
		v, _ := arg0()
		nd, hasND := ca.arg(1, "ndigits")
		if _, isNone := nd.(*NoneValue); isNone {
			hasND = false
		}
		switch v := v.(type) {
		case *Int, *Bool:
			b, _ := asBigInt(v)
			return mkBigInt(b, line)
		case *Float:
			if !hasND {
				r := math.RoundToEven(v.V)
				if math.IsInf(r, 0) || math.IsNaN(r) {
					return ev.raise("OverflowError", "cannot convert float infinity to integer", line)
				}
				bf, _ := new(big.Float).SetFloat64(r).Int(nil)
				return mkBigInt(bf, line)
			}
			n, ok := intOf(nd)
			if !ok || n > 300 || n < -300 {
				break
			}
			s := strconv.FormatFloat(v.V, 'f', int(max(n, 0)), 64)
			if n < 0 {
				p := math.Pow(10, float64(-n))
				return mkFloat(math.RoundToEven(v.V/p)*p, line)
			}
			f, _ := strconv.ParseFloat(s, 64)
			return mkFloat(f, line)
		}
	case "range":
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
	case "enumerate":
		v, ok := arg0()
		if !ok {
			break
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
	case "zip":
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
	case "map", "filter":
		if len(ca.args) < 2 {
			break
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
	case "isinstance":
		if len(ca.args) != 2 {
			break
		}
		v := ca.args[0]
		if u, ok := v.(*Unresolved); ok {
			return propagate(u)
		}
		var types []Value
		if t, ok := ca.args[1].(*Tuple); ok {
			types = t.Elems
		} else {
			types = []Value{ca.args[1]}
		}
		for _, t := range types {
			o, ok := t.(*Opaque)
			if !ok || o.Kind != "builtin" {
				return ev.unres(line, "isinstance() with a type not known statically")
			}
			tn := v.Type()
			if o.Qualname == tn || o.Qualname == "int" && tn == "bool" || o.Qualname == "object" {
				return mkBool(true, line)
			}
			if _, isOpaque := v.(*Opaque); isOpaque {
				return ev.unres(line, "isinstance() of an object not known statically")
			}
		}
		return mkBool(false, line)
	case "callable":
		v, _ := arg0()
		switch v := v.(type) {
		case *Opaque:
			switch v.Kind {
			case "function", "lambda", "builtin", "class":
				return mkBool(true, line)
			case "import", "object":
				return ev.unres(line, "callable() of an object not known statically")
			}
			return mkBool(false, line)
		case *boundMethod:
			return mkBool(true, line)
		}
		return mkBool(false, line)
	case "getattr", "hasattr":
		if len(ca.args) < 2 {
			break
		}
		s, ok := ca.args[1].(*Str)
		if !ok {
			if u, ok := ca.args[1].(*Unresolved); ok {
				return propagate(u)
			}
			break
		}
		if u, ok := ca.args[0].(*Unresolved); ok {
			return propagate(u)
		}
		saveExc := ev.exc
		v := ev.getattr(ca.args[0], s.V, line)
		if ev.exc != nil && saveExc == nil && ev.exc.typ == "AttributeError" {
			ev.exc = nil
			if name == "hasattr" {
				return mkBool(false, line)
			}
			if len(ca.args) >= 3 {
				return ca.args[2]
			}
			return ev.raise("AttributeError", "no attribute "+s.V, line)
		}
		if name == "hasattr" {
			if _, isU := v.(*Unresolved); isU {
				return v
			}
			return mkBool(true, line)
		}
		return v
	case "chr":
		n, ok := intOf(ca.args[0])
		if ok && n >= 0 && n <= 0x10FFFF {
			return mkStr(string(rune(n)), line)
		}
	case "ord":
		if s, ok := ca.args[0].(*Str); ok && utf8.RuneCountInString(s.V) == 1 {
			r, _ := utf8.DecodeRuneInString(s.V)
			return mkInt(int64(r), line)
		}
	case "hex", "oct", "bin":
		if b, ok := asBigInt(ca.args[0]); ok {
			base := map[string]int{"hex": 16, "oct": 8, "bin": 2}[name]
			pfx := map[string]string{"hex": "0x", "oct": "0o", "bin": "0b"}[name]
			s := new(big.Int).Abs(b).Text(base)
			if b.Sign() < 0 {
				return mkStr("-"+pfx+s, line)
			}
			return mkStr(pfx+s, line)
		}
	case "format":
		v, ok := arg0()
		if !ok {
			break
		}
		spec := ""
		if s, ok := ca.arg(1, "format_spec"); ok {
			ss, isS := s.(*Str)
			if !isS {
				break
			}
			spec = ss.V
		}
		return ev.format(v, spec, line)
	case "divmod":
		if len(ca.args) == 2 {
			q := ev.binop("//", ca.args[0], ca.args[1], line)
			r := ev.binop("%", ca.args[0], ca.args[1], line)
			return mkTuple([]Value{q, r}, line)
		}
	case "pow":
		if len(ca.args) == 2 {
			return ev.binop("**", ca.args[0], ca.args[1], line)
		}
	case "bytes":
		if s, ok := ca.args[0].(*Str); ok && len(ca.args) >= 2 {
			return &Bytes{V: s.V, L: line}
		}
	case "type", "id", "hash", "iter", "next", "memoryview", "bytearray", "object", "super",
		"property", "staticmethod", "classmethod", "dir", "issubclass", "complex", "slice":
		return ev.unres(line, name+"() is not evaluated")
	}
	return ev.unres(line, fmt.Sprintf("%s() with these arguments is not evaluated", name))
}

func (ev *evaluator) toInt(ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "")
	if !ok {
		return mkInt(0, line)
	}
	base := int64(10)
	hasBase := false
	if b, ok := ca.arg(1, "base"); ok {
		n, ok := intOf(b)
		if !ok {
			return ev.unres(line, "int() base not known")
		}
		base, hasBase = n, true
	}
	switch v := v.(type) {
	case *Int:
		if !hasBase {
			return mkBigInt(v.big(), line)
		}
	case *Bool:
		return mkInt(boolInt(v.V), line)
	case *Float:
		if math.IsInf(v.V, 0) {
			return ev.raise("OverflowError", "cannot convert float infinity to integer", line)
		}
		if math.IsNaN(v.V) {
			return ev.raise("ValueError", "cannot convert float NaN to integer", line)
		}
		bf, _ := new(big.Float).SetFloat64(math.Trunc(v.V)).Int(nil)
		return mkBigInt(bf, line)
	case *Str:
		n, ok := parsePyInt(v.V, int(base))
		if !ok {
			r, _ := ev.reprOf(v)
			return ev.raise("ValueError", fmt.Sprintf("invalid literal for int() with base %d: %s", base, r), line)
		}
		return mkBigInt(n, line)
	}
	if isKnownPlain(v) {
		return ev.raise("TypeError", "int() argument must be a string, a bytes-like object or a real number, not '"+v.Type()+"'", line)
	}
	return ev.unres(line, "int() of "+v.Type()+" is not known")
}

func parsePyInt(s string, base int) (*big.Int, bool) {
	s = strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		neg = s[0] == '-'
		s = s[1:]
	}
	ls := strings.ToLower(s)
	if base == 0 {
		switch {
		case strings.HasPrefix(ls, "0x"):
			base, s = 16, s[2:]
		case strings.HasPrefix(ls, "0o"):
			base, s = 8, s[2:]
		case strings.HasPrefix(ls, "0b"):
			base, s = 2, s[2:]
		default:
			base = 10
			if len(s) > 1 && s[0] == '0' && strings.Trim(s, "0_") != "" {
				return nil, false
			}
		}
	} else if base == 16 && strings.HasPrefix(ls, "0x") || base == 8 && strings.HasPrefix(ls, "0o") || base == 2 && strings.HasPrefix(ls, "0b") {
		s = s[2:]
		if strings.HasPrefix(s, "_") {
			s = s[1:]
		}
	}
	if base < 2 || base > 36 || s == "" || strings.HasPrefix(s, "_") || strings.HasSuffix(s, "_") || strings.Contains(s, "__") {
		return nil, false
	}
	s = strings.ReplaceAll(s, "_", "")
	if len(s) > 4300 {
		return nil, false
	}
	n, ok := new(big.Int).SetString(s, base)
	if !ok {
		return nil, false
	}
	if neg {
		n.Neg(n)
	}
	return n, true
}

func parsePyFloat(s string) (float64, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch strings.TrimLeft(t, "+-") {
	case "inf", "infinity":
		if strings.HasPrefix(t, "-") {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan":
		return math.NaN(), true
	}
	if t == "" || strings.Contains(t, "__") || strings.HasPrefix(t, "_") || strings.HasSuffix(t, "_") || strings.HasPrefix(t, "0x") {
		return 0, false
	}
	t = strings.ReplaceAll(t, "_", "")
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
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
	bad := false
	ev.step(len(out) * 4)
	sort.SliceStable(idx, func(a, b int) bool {
		c, ok := pyCompare(keys[idx[a]], keys[idx[b]])
		if !ok {
			bad = true
			return false
		}
		if rev {
			return c > 0
		}
		return c < 0
	})
	if bad {
		for _, k := range keys {
			if u, ok := k.(*Unresolved); ok {
				return propagate(u)
			}
		}
		return ev.raise("TypeError", "'<' not supported between these values", line)
	}
	res := make([]Value, len(out))
	for i, j := range idx {
		res[i] = out[j]
	}
	return mkList(res, line)
}

// ---- qualified names: modules, stdlib, caller hooks ----

type stdKind uint8

const (
	stdModule stdKind = iota + 1
	stdFunc
	stdEnv
	stdConst
)

var stdNames = sync.OnceValue(func() map[string]stdKind {
	return map[string]stdKind{
		"os": stdModule, "os.path": stdModule, "os.environ": stdEnv,
		"os.getenv": stdFunc, "os.putenv": stdFunc, "os.getcwd": stdFunc,
		"os.path.join": stdFunc, "os.path.dirname": stdFunc, "os.path.basename": stdFunc,
		"os.path.abspath": stdFunc, "os.path.normpath": stdFunc, "os.path.split": stdFunc,
		"os.path.splitext": stdFunc, "os.path.isabs": stdFunc, "os.path.expanduser": stdFunc,
		"os.path.exists": stdFunc, "os.path.isfile": stdFunc, "os.path.isdir": stdFunc,
		"os.path.realpath": stdFunc, "os.path.getsize": stdFunc,
		"os.sep": stdConst, "os.linesep": stdConst, "os.pathsep": stdConst, "os.name": stdConst,
		"os.path.sep": stdConst, "os.curdir": stdConst, "os.pardir": stdConst,
		"json": stdModule, "json.loads": stdFunc, "json.dumps": stdFunc, "json.load": stdFunc,
		"json.JSONDecodeError": stdFunc, "json.decoder": stdModule, "json.decoder.JSONDecodeError": stdFunc,
		"datetime": stdModule, "datetime.timedelta": stdFunc,
		"distutils": stdModule, "distutils.util": stdModule, "distutils.util.strtobool": stdFunc,
		"ast": stdModule, "ast.literal_eval": stdFunc,
		"urllib": stdModule, "urllib.parse": stdModule, "urllib.parse.quote": stdFunc,
		"urllib.parse.quote_plus": stdFunc, "urllib.parse.unquote": stdFunc,
		"typing": stdModule, "typing.cast": stdFunc, "typing.TYPE_CHECKING": stdConst,
		"sys": stdModule, "logging": stdModule,
		"string": stdModule, "string.ascii_letters": stdConst, "string.digits": stdConst,
	}
})

var stdConsts = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"os.sep": "/", "os.path.sep": "/", "os.linesep": "\n", "os.pathsep": ":", "os.name": "posix",
		"os.curdir": ".", "os.pardir": "..",
		"string.ascii_letters": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "string.digits": "0123456789",
	}
})

var sideEffectPrefixes = []struct{ prefix, why string }{
	{"subprocess.", "it would run a command"},
	{"os.system", "it would run a command"},
	{"os.popen", "it would run a command"},
	{"os.exec", "it would run a program"},
	{"os.spawn", "it would run a program"},
	{"os.fork", "it would start a process"},
	{"os.kill", "it would signal a process"},
	{"os.remove", "it would change the file system"},
	{"os.unlink", "it would change the file system"},
	{"os.rmdir", "it would change the file system"},
	{"os.mkdir", "it would change the file system"},
	{"os.makedirs", "it would change the file system"},
	{"os.rename", "it would change the file system"},
	{"os.chmod", "it would change the file system"},
	{"os.listdir", "it would read the file system"},
	{"os.path.exists", "it would look at the file system"},
	{"os.path.isfile", "it would look at the file system"},
	{"os.path.isdir", "it would look at the file system"},
	{"os.path.realpath", "it would look at the file system"},
	{"os.path.getsize", "it would look at the file system"},
	{"shutil.", "it would change the file system"},
	{"pathlib.", "it may touch the file system"},
	{"io.", "it may open a file"},
	{"json.load", "it would read a file"},
	{"socket.", "it would use the network"},
	{"urllib.request.", "it would use the network"},
	{"requests.", "it would use the network"},
	{"http.", "it would use the network"},
	{"importlib.", "it would import code"},
	{"builtins.", "it may run code"},
	{"ctypes.", "it would call native code"},
	{"pickle.", "it would deserialize objects"},
	{"sys.exit", "it would stop the interpreter"},
	{"time.", "it depends on the clock"},
	{"datetime.datetime.", "it depends on the clock"},
	{"random.", "it is random"},
	{"uuid.", "it is random"},
	{"secrets.", "it is random"},
}

// qualValue returns the value of a dotted name reached through imports.
func (ev *evaluator) qualValue(qual string, line int) Value {
	switch stdNames()[qual] {
	case stdModule:
		return &Opaque{Kind: "module", Source: "<module '" + qual + "'>", Qualname: qual, Line: line}
	case stdFunc:
		return &Opaque{Kind: "import", Source: qual, Qualname: qual, Line: line}
	case stdEnv:
		return &envMapping{L: line}
	case stdConst:
		if qual == "typing.TYPE_CHECKING" {
			return mkBool(false, line)
		}
		return mkStr(stdConsts()[qual], line)
	}
	if i := strings.LastIndexByte(qual, '.'); i > 0 {
		if m, ok := ev.r.opts.Modules[qual[:i]]; ok {
			if v, ok := m[qual[i+1:]]; ok {
				return FromGo(v, line)
			}
		}
	}
	if _, ok := ev.r.opts.Modules[qual]; ok {
		return &Opaque{Kind: "module", Source: "<module '" + qual + "'>", Qualname: qual, Line: line}
	}
	return &Opaque{Kind: "import", Source: qual, Qualname: qual, Line: line}
}

// knownModule reports whether importing mod cannot fail as far as the
// reader knows.
func (ev *evaluator) knownModule(mod string) bool {
	if stdNames()[mod] == stdModule {
		return true
	}
	if _, ok := ev.r.opts.Modules[mod]; ok {
		return true
	}
	switch strings.SplitN(mod, ".", 2)[0] {
	case "os", "sys", "json", "datetime", "logging", "typing", "re", "ast", "base64", "urllib",
		"socket", "subprocess", "pathlib", "collections", "functools", "itertools", "string",
		"__future__", "time", "uuid", "random", "hashlib", "tempfile", "shutil", "io", "importlib":
		return true
	}
	return false
}

func (ev *evaluator) callQualified(qual string, ca *callArgs) Value {
	line := ca.line
	switch qual {
	case "os.getenv":
		return ev.getenv(ca, "os.getenv")
	case "os.putenv":
		return mkNone(line)
	case "os.getcwd":
		if ev.r.opts.Cwd != "" {
			return mkStr(ev.r.opts.Cwd, line)
		}
		return ev.unres(line, "os.getcwd() depends on the working directory of the process")
	case "os.path.join":
		var parts []string
		for _, a := range ca.args {
			s, ok := a.(*Str)
			if !ok {
				if u, ok := a.(*Unresolved); ok {
					return propagate(u)
				}
				return ev.unres(line, "os.path.join() of a value not known statically")
			}
			parts = append(parts, s.V)
		}
		if len(parts) == 0 {
			break
		}
		out := parts[0]
		for _, p := range parts[1:] {
			if strings.HasPrefix(p, "/") {
				out = p
			} else if out == "" || strings.HasSuffix(out, "/") {
				out += p
			} else {
				out += "/" + p
			}
		}
		return mkStr(out, line)
	case "os.path.dirname", "os.path.basename", "os.path.abspath", "os.path.normpath",
		"os.path.split", "os.path.splitext", "os.path.isabs", "os.path.expanduser":
		s, u, ok := ca.strArg(0, "")
		if u != nil {
			return propagate(u)
		}
		if !ok {
			break
		}
		p := s.V
		switch qual {
		case "os.path.dirname":
			i := strings.LastIndexByte(p, '/') + 1
			head := p[:i]
			if head != "" && strings.Trim(head, "/") != "" {
				head = strings.TrimRight(head, "/")
			}
			return mkStr(head, line)
		case "os.path.basename":
			return mkStr(p[strings.LastIndexByte(p, '/')+1:], line)
		case "os.path.split":
			i := strings.LastIndexByte(p, '/') + 1
			head, tail := p[:i], p[i:]
			if head != "" && strings.Trim(head, "/") != "" {
				head = strings.TrimRight(head, "/")
			}
			return mkTuple([]Value{mkStr(head, line), mkStr(tail, line)}, line)
		case "os.path.splitext":
			base := p[strings.LastIndexByte(p, '/')+1:]
			i := strings.LastIndexByte(base, '.')
			if i <= 0 || strings.Trim(base[:i], ".") == "" {
				return mkTuple([]Value{mkStr(p, line), mkStr("", line)}, line)
			}
			cut := len(p) - len(base) + i
			return mkTuple([]Value{mkStr(p[:cut], line), mkStr(p[cut:], line)}, line)
		case "os.path.isabs":
			return mkBool(strings.HasPrefix(p, "/"), line)
		case "os.path.normpath":
			return mkStr(pyNormpath(p), line)
		case "os.path.abspath":
			if !strings.HasPrefix(p, "/") {
				if ev.r.opts.Cwd == "" {
					return ev.unres(line, "os.path.abspath() of a relative path depends on the working directory")
				}
				p = ev.r.opts.Cwd + "/" + p
			}
			return mkStr(pyNormpath(p), line)
		case "os.path.expanduser":
			if !strings.HasPrefix(p, "~") {
				return mkStr(p, line)
			}
			if strings.HasPrefix(p, "~/") || p == "~" {
				home, ok := ev.env["HOME"]
				if !ok {
					return ev.envMissing("HOME", line, "needed by os.path.expanduser")
				}
				return mkStr(strings.TrimRight(home, "/")+p[1:], line)
			}
			return ev.unres(line, "expanding ~user needs the password database")
		}
	case "json.loads":
		v, ok := ca.arg(0, "s")
		if !ok {
			break
		}
		var src string
		switch s := v.(type) {
		case *Str:
			src = s.V
		case *Bytes:
			src = s.V
		case *Unresolved:
			return propagate(s)
		default:
			return ev.raise("TypeError", "the JSON object must be str, bytes or bytearray, not "+v.Type(), line)
		}
		if len(ca.kw) > 0 {
			return ev.unres(line, "json.loads() with keyword arguments is not evaluated")
		}
		out, err := jsonToValue(src, line)
		if err != nil {
			return ev.raise("json.JSONDecodeError", err.Error(), line)
		}
		return out
	case "json.dumps":
		v, ok := ca.arg(0, "obj")
		if !ok {
			break
		}
		opt := jsonDumpOpts{sep: ", ", kvsep: ": "}
		for _, k := range ca.kw {
			switch k.name {
			case "sort_keys":
				t, known := truth(k.val)
				if !known {
					return ev.unres(line, "json.dumps() options not known")
				}
				opt.sortKeys = t
			case "indent":
				switch iv := k.val.(type) {
				case *NoneValue:
				case *Int:
					opt.indent = strings.Repeat(" ", int(min(max(iv.V, 0), 64)))
					opt.hasIndent = true
					opt.sep = ","
				case *Str:
					opt.indent, opt.hasIndent, opt.sep = iv.V, true, ","
				default:
					return ev.unres(line, "json.dumps() indent not supported")
				}
			case "ensure_ascii":
				t, _ := truth(k.val)
				opt.noASCII = !t
			case "separators":
				t, ok := k.val.(*Tuple)
				if !ok || len(t.Elems) != 2 {
					return ev.unres(line, "json.dumps() separators not supported")
				}
				a, ok1 := t.Elems[0].(*Str)
				b, ok2 := t.Elems[1].(*Str)
				if !ok1 || !ok2 {
					return ev.unres(line, "json.dumps() separators not supported")
				}
				opt.sep, opt.kvsep = a.V, b.V
			default:
				return ev.unres(line, "json.dumps() with "+k.name+"= is not evaluated")
			}
		}
		s, err := ev.jsonDumps(v, opt, 0)
		if err != nil {
			return err
		}
		return mkStr(s, line)
	case "datetime.timedelta":
		return ev.timedelta(ca)
	case "distutils.util.strtobool":
		s, u, ok := ca.strArg(0, "val")
		if u != nil {
			return propagate(u)
		}
		if !ok {
			break
		}
		switch strings.ToLower(s.V) {
		case "y", "yes", "t", "true", "on", "1":
			return mkInt(1, line)
		case "n", "no", "f", "false", "off", "0":
			return mkInt(0, line)
		}
		r, _ := ev.reprOf(s)
		return ev.raise("ValueError", "invalid truth value "+r, line)
	case "ast.literal_eval":
		s, u, ok := ca.strArg(0, "node_or_string")
		if u != nil {
			return propagate(u)
		}
		if !ok {
			break
		}
		return ev.literalEval(s.V, line)
	case "urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.unquote":
		s, u, ok := ca.strArg(0, "string")
		if u != nil {
			return propagate(u)
		}
		if !ok {
			break
		}
		if qual == "urllib.parse.unquote" {
			return mkStr(pyUnquote(s.V), line)
		}
		safe := "/"
		if qual == "urllib.parse.quote_plus" {
			safe = ""
		}
		if sv, ok := ca.arg(1, "safe"); ok {
			ss, ok := sv.(*Str)
			if !ok {
				break
			}
			safe = ss.V
		}
		return mkStr(pyQuote(s.V, safe, qual == "urllib.parse.quote_plus"), line)
	case "typing.cast":
		if v, ok := ca.arg(1, "val"); ok {
			return v
		}
	}
	if stdNames()[qual] == stdFunc {
		for _, p := range sideEffectPrefixes {
			if strings.HasPrefix(qual, p.prefix) {
				return ev.unres(line, fmt.Sprintf("call to %s() is not evaluated: %s, and the reader never does that", qual, p.why))
			}
		}
		return ev.unres(line, fmt.Sprintf("%s() with these arguments is not evaluated", qual))
	}
	for _, p := range sideEffectPrefixes {
		if strings.HasPrefix(qual, p.prefix) {
			return ev.unres(line, fmt.Sprintf("call to %s() is not evaluated: %s, and the reader never does that", qual, p.why))
		}
	}
	if h := ev.r.opts.Call; h != nil {
		info := CallInfo{Func: qual, Line: line, Env: ev.env, Kwargs: map[string]any{}}
		for _, a := range ca.args {
			info.Args = append(info.Args, ToGo(a))
		}
		for _, k := range ca.kw {
			info.Kwargs[k.name] = ToGo(k.val)
		}
		if res, ok := h(info); ok {
			v := FromGo(res, line)
			if u, ok := v.(*Unresolved); ok {
				for _, n := range u.Env {
					ev.addMissingEnv(n)
				}
			}
			return v
		}
	}
	if strings.HasPrefix(qual, "os.") {
		return ev.unres(line, fmt.Sprintf("call to %s() is not evaluated (it may have side effects)", qual))
	}
	return ev.unres(line, fmt.Sprintf("call to %s() is not evaluated: the reader does not run imported code", qual))
}

func (ev *evaluator) getenv(ca *callArgs, how string) Value {
	line := ca.line
	k, ok := ca.arg(0, "key")
	if !ok {
		return ev.raise("TypeError", how+"() missing required argument: 'key'", line)
	}
	ks, ok := k.(*Str)
	if !ok {
		if u, ok := k.(*Unresolved); ok {
			return propagate(u)
		}
		return ev.raise("TypeError", "str expected, not "+k.Type(), line)
	}
	if v, set := ev.env[ks.V]; set {
		return mkStr(v, line)
	}
	if ev.unknownEnv[ks.V] {
		return ev.unres(line, fmt.Sprintf("environment variable %s was set by the file to a value not known statically", ks.V))
	}
	if d, ok := ca.arg(1, "default"); ok {
		ev.addMissingEnv(ks.V)
		return d
	}
	return ev.envMissing(ks.V, line, how+"() would return None")
}

func pyNormpath(p string) string {
	if p == "" {
		return "."
	}
	initial := 0
	if strings.HasPrefix(p, "/") {
		initial = 1
		if strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "///") {
			initial = 2
		}
	}
	var out []string
	for _, c := range strings.Split(p, "/") {
		if c == "" || c == "." {
			continue
		}
		if c != ".." || initial == 0 && len(out) == 0 || len(out) > 0 && out[len(out)-1] == ".." {
			out = append(out, c)
		} else if len(out) > 0 {
			out = out[:len(out)-1]
		}
	}
	s := strings.Join(out, "/")
	if initial > 0 {
		s = strings.Repeat("/", initial) + s
	}
	if s == "" {
		return "."
	}
	_ = path.Clean
	return s
}

func pyQuote(s, safe string, plus bool) string {
	const always = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case plus && c == ' ':
			sb.WriteByte('+')
		case strings.IndexByte(always, c) >= 0 || c < 0x80 && strings.IndexByte(safe, c) >= 0:
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, "%%%02X", c)
		}
	}
	return sb.String()
}

func pyUnquote(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, s[i])
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// ---- timedelta ----

func mkTimedelta(d time.Duration, src string, line int) *Opaque {
	return &Opaque{Kind: "timedelta", Source: src, Line: line, Duration: d}
}

func (ev *evaluator) timedelta(ca *callArgs) Value {
	line := ca.line
	names := []string{"days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"}
	units := map[string]float64{"days": 86400, "seconds": 1, "microseconds": 1e-6, "milliseconds": 1e-3,
		"minutes": 60, "hours": 3600, "weeks": 604800}
	total := 0.0
	if len(ca.args) > len(names) {
		return ev.raise("TypeError", "timedelta() takes at most 7 arguments", line)
	}
	add := func(name string, v Value) Value {
		f, ok := asFloat(v)
		if !ok {
			if u, ok := v.(*Unresolved); ok {
				return propagate(u)
			}
			return ev.raise("TypeError", "unsupported type for timedelta "+name+" component: "+v.Type(), line)
		}
		total += f * units[name]
		return nil
	}
	for i, a := range ca.args {
		if r := add(names[i], a); r != nil {
			return r
		}
	}
	for _, k := range ca.kw {
		if _, ok := units[k.name]; !ok {
			return ev.raise("TypeError", "'"+k.name+"' is an invalid keyword argument for timedelta()", line)
		}
		if r := add(k.name, k.val); r != nil {
			return r
		}
	}
	if math.Abs(total) > 999999999*86400 {
		return ev.raise("OverflowError", "days out of range", line)
	}
	d := time.Duration(math.Round(total*1e6)) * time.Microsecond
	if math.Abs(total) > float64(math.MaxInt64/int64(time.Second)) {
		return ev.unres(line, "timedelta too large to represent")
	}
	return mkTimedelta(d, ca.src, line)
}

func (ev *evaluator) opaqueBinop(op string, a, b Value, line int) Value {
	ta, aok := a.(*Opaque)
	tb, bok := b.(*Opaque)
	aTD := aok && ta.Kind == "timedelta"
	bTD := bok && tb.Kind == "timedelta"
	src := func() string {
		s := func(v Value) string {
			if o, ok := v.(*Opaque); ok {
				return o.Source
			}
			r, _ := ev.reprOf(v)
			return r
		}
		return s(a) + " " + op + " " + s(b)
	}
	switch {
	case aTD && bTD:
		switch op {
		case "+":
			return mkTimedelta(ta.Duration+tb.Duration, src(), line)
		case "-":
			return mkTimedelta(ta.Duration-tb.Duration, src(), line)
		case "/":
			if tb.Duration == 0 {
				return ev.raise("ZeroDivisionError", "division by zero", line)
			}
			return mkFloat(float64(ta.Duration)/float64(tb.Duration), line)
		case "//":
			if tb.Duration == 0 {
				return ev.raise("ZeroDivisionError", "integer division or modulo by zero", line)
			}
			q := ta.Duration / tb.Duration
			if (ta.Duration%tb.Duration != 0) && ((ta.Duration < 0) != (tb.Duration < 0)) {
				q--
			}
			return mkInt(int64(q), line)
		}
	case aTD && isNumber(b):
		f, _ := asFloat(b)
		switch op {
		case "*":
			return mkTimedelta(time.Duration(math.Round(float64(ta.Duration/time.Microsecond)*f))*time.Microsecond, src(), line)
		case "/", "//":
			if f == 0 {
				return ev.raise("ZeroDivisionError", "division by zero", line)
			}
			return mkTimedelta(time.Duration(math.Round(float64(ta.Duration/time.Microsecond)/f))*time.Microsecond, src(), line)
		}
	case bTD && isNumber(a) && op == "*":
		return ev.opaqueBinop(op, b, a, line)
	}
	return nil
}

// ---- caller values ----

// FromGo converts a Go value (string, bool, nil, int kinds, float64,
// *big.Int, []any, map[string]any, *Unresolved, *Opaque, Value) into a
// Value attributed to line.
func FromGo(v any, line int) Value {
	switch v := v.(type) {
	case nil:
		return mkNone(line)
	case *Unresolved:
		if v.Line == 0 {
			c := *v
			c.Line = line
			return &c
		}
		return v
	case Value:
		return v
	case string:
		return mkStr(v, line)
	case bool:
		return mkBool(v, line)
	case int:
		return mkInt(int64(v), line)
	case int64:
		return mkInt(v, line)
	case int32:
		return mkInt(int64(v), line)
	case uint:
		return mkBigInt(new(big.Int).SetUint64(uint64(v)), line)
	case uint64:
		return mkBigInt(new(big.Int).SetUint64(v), line)
	case float64:
		return mkFloat(v, line)
	case float32:
		return mkFloat(float64(v), line)
	case *big.Int:
		return mkBigInt(new(big.Int).Set(v), line)
	case []any:
		out := make([]Value, len(v))
		for i, e := range v {
			out[i] = FromGo(e, line)
		}
		return mkList(out, line)
	case []string:
		out := make([]Value, len(v))
		for i, e := range v {
			out[i] = mkStr(e, line)
		}
		return mkList(out, line)
	case map[string]any:
		d := newDict(line)
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			d.set(mkStr(k, line), FromGo(v[k], line), line)
		}
		return d
	}
	return &Unresolved{Reason: fmt.Sprintf("value of Go type %T is not supported", v), Line: line}
}
