package pyread

import (
	"fmt"
	"math/big"
	"reflect"
	"sort"
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
		ev.taint(ca.recv, ca.sc, ca.line, fmt.Sprintf("changed at line %d by `%s` with arguments not known statically: %s", ca.line, ca.src, u.Reason), u)
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
			return ev.unresCall(ca, f.Qualname, fmt.Sprintf("an instance of class %s (line %d) is not modelled", f.Qualname, f.Line))
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
		return ev.unresCall(ca, o.Qualname, "call of "+o.Source+" is not evaluated")
	}
	if fv.decorated {
		u := ev.unresCall(ca, o.Qualname, fmt.Sprintf("call of the decorated function %s (line %d) is not evaluated", o.Qualname, o.Line))
		u.Kind = UnknownDecorated
		return u
	}
	if ev.callDepth >= maxCallDepth {
		return ev.unknown(UnknownBudget, ca.line, "calls nested too deeply (recursion?); not evaluated")
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
		why := &Unresolved{Reason: fmt.Sprintf("the result of %s() depends on conditions not known statically", name), Line: ca.line, Kind: UnknownCondition}
		if w := ev.pendingWhy; w != nil {
			why = derived(UnknownCondition, ca.line, fmt.Sprintf("the result of %s() %s", name, w.Reason), w)
		}
		result = mergeAlternatives(alts, why)
	}
	ev.retVal, ev.pendingRet, ev.pendingWhy = saveRet, savePend, saveWhy
	if result == nil {
		result = mkNone(ca.line)
	}
	return result
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
	return &Unresolved{Reason: fmt.Sprintf("value of Go type %T is not supported", v), Line: line, Kind: UnknownUnsupported}
}
