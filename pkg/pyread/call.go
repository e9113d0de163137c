package pyread

import (
	"fmt"
	"math/big"
	"reflect"
	"sort"
	"strings"
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
	// fnSrc is the source text of the callee expression.
	fnSrc string
	// ignoreDecorators runs a decorated function's own body (the caller
	// applies what the decorator means).
	ignoreDecorators bool
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
	if ev.strict && ev.isLogCall(e, sc) {
		// logging and print only write somewhere: no effect on the outcome
		// (the arguments are still evaluated: they may raise)
		ev.evalArgs(e, sc, &callArgs{line: e.line, sc: sc})
		if ev.exc != nil {
			return ev.excValue()
		}
		return mkNone(e.line)
	}
	ca := &callArgs{line: e.line, src: ev.srcOf(e), fnSrc: ev.srcOf(e.fn), sc: sc}
	var fn, recv Value
	a, isAttr := e.fn.(*attrExpr)
	if isAttr {
		ca.recv = a.value
		recv = ev.eval(a.value, sc)
		if ev.exc != nil {
			return ev.excValue()
		}
		if !isClassLike(recv) {
			fn = ev.getattr(recv, a.attr, a.line)
		}
	} else {
		fn = ev.eval(e.fn, sc)
	}
	if ev.exc != nil {
		return ev.excValue()
	}
	if u := ev.evalArgs(e, sc, ca); u != nil {
		if fn == nil {
			fn = ev.getattr(recv, a.attr, a.line)
		}
		return ev.unknownArgs(fn, ca, u)
	}
	if ev.exc != nil {
		return ev.excValue()
	}
	if fn == nil {
		// Base.name(self, ...): where name comes from depends on self
		if v, ok := ev.explicitBaseCall(recv, a.attr, ca); ok {
			return v
		}
		fn = ev.getattr(recv, a.attr, a.line)
		if ev.exc != nil {
			return ev.excValue()
		}
	}
	v := ev.call(fn, ca)
	if u, ok := v.(*Unresolved); ok && ev.strict && u.Kind == UnknownCall && ev.exc == nil {
		ev.taintArgs(e, sc, u)
	}
	return v
}

// isClassLike reports whether attributes of v are looked up only once
// the call's arguments are known (Base.method(self, ...)).
func isClassLike(v Value) bool {
	o, ok := v.(*Opaque)
	return ok && (o.cls != nil || o.Kind == "import")
}

// evalArgs evaluates a call's arguments into ca; an unresolved value is
// returned when *args or **kwargs are not known.
func (ev *evaluator) evalArgs(e *callExpr, sc *scope, ca *callArgs) *Unresolved {
	for _, a := range e.args {
		if s, ok := a.(*starredExpr); ok {
			v := ev.eval(s.value, sc)
			if ev.exc != nil {
				return nil
			}
			items, u := ev.iterate(v, e.line)
			if u != nil {
				return u
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
			return u
		}
		for i, key := range d.keys {
			s, ok := key.(*Str)
			if !ok {
				ev.raise("TypeError", "keywords must be strings", e.line)
				return nil
			}
			ca.kw = append(ca.kw, kwArg{s.V, d.vals[i]})
		}
	}
	return nil
}

// isLogName reports whether a logging call is made through name.
func isLogName(name string) bool {
	switch name {
	case "log", "logger", "logging", "LOG", "LOGGER", "_log", "_logger":
		return true
	}
	return false
}

// isLogMethod reports whether a method of a logger (or of the logging
// module) writes a record and returns None.
func isLogMethod(name string) bool {
	switch name {
	case "debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log":
		return true
	}
	return false
}

// isLogCall reports whether e is print(...) or a call through a logger
// (log.info, logger.warning, logging.getLogger(...).error, self.log.debug),
// unless the file binds that name to something of its own.
func (ev *evaluator) isLogCall(e *callExpr, sc *scope) bool {
	if n, ok := e.fn.(*nameExpr); ok {
		return n.id == "print" && ev.isBuiltinName("print", sc)
	}
	x := e.fn
	var attrs []string
	for {
		switch y := x.(type) {
		case *attrExpr:
			attrs = append(attrs, y.attr)
			x = y.value
			continue
		case *callExpr:
			x = y.fn
			continue
		}
		break
	}
	n, ok := x.(*nameExpr)
	if !ok || len(attrs) == 0 || !isLogMethod(attrs[0]) {
		return false // logging.getLogger(...) returns a logger, not None
	}
	if n.id == "self" && len(attrs) >= 2 {
		return isLogName(attrs[len(attrs)-1])
	}
	if !isLogName(n.id) {
		return false
	}
	switch v := ev.peekName(n.id, sc).(type) {
	case *Opaque:
		return v.Kind == "module" || v.Kind == "import"
	case *Unresolved, *HostValue:
		return true
	}
	return false // unbound (NameError) or the file's own object
}

// peekName is the value a name has, without raising (nil when unbound).
func (ev *evaluator) peekName(name string, sc *scope) Value {
	for s := sc; s != nil; s = s.parent {
		if sl, ok := s.vars[name]; ok {
			return sl.val
		}
	}
	return nil
}

func (ev *evaluator) isBuiltinName(name string, sc *scope) bool {
	return ev.peekName(name, sc) == nil
}

// taintArgs: a call the reader does not evaluate may change the mutable
// values passed to it; the names holding them become unknown.
func (ev *evaluator) taintArgs(e *callExpr, sc *scope, cause *Unresolved) {
	exprs := append([]expr(nil), e.args...)
	for _, k := range e.keywords {
		exprs = append(exprs, k.value)
	}
	for _, x := range exprs {
		if s, ok := x.(*starredExpr); ok {
			x = s.value
		}
		n, ok := x.(*nameExpr)
		if !ok {
			continue
		}
		switch ev.peekName(n.id, sc).(type) {
		case *List, *Dict, *Set, *Instance:
			ev.taint(n, sc, e.line, fmt.Sprintf("passed at line %d to `%s`, which may change it: %s", e.line, ev.srcOf(e), cause.Reason), cause)
		}
	}
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
	case *instMethod:
		bound := *ca
		bound.args = append([]Value{f.self}, ca.args...)
		return ev.callUser(f.fn, &bound)
	case *HostValue:
		return ev.hostCall(f, ca)
	case *ExcClass:
		e := &pyExc{typ: f.Name, module: f.Module, mro: f.keys(), args: ev.excArgs(ca)}
		return ev.newExcInstance(e, ev.excMessage(ca), ca.line)
	case *Opaque:
		switch f.Kind {
		case "builtin":
			return ev.callBuiltin(f.Qualname, ca)
		case "function", "lambda":
			return ev.callUser(f, ca)
		case "class":
			if ev.isExceptionClass(f, 0) {
				e := &pyExc{typ: f.Qualname, module: ev.moduleName(), mro: classExcKeys(f, 0), args: ev.excArgs(ca)}
				return ev.newExcInstance(e, ev.excMessage(ca), ca.line)
			}
			if ev.strict && f.cls != nil {
				return ev.instantiate(f, ca)
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

// excMessage is the message of an exception made with these arguments:
// str() of a single one, repr() of several.
func (ev *evaluator) excMessage(ca *callArgs) string {
	msg := ""
	if len(ca.args) == 1 {
		msg, _ = ev.strOf(ca.args[0])
	} else if len(ca.args) > 1 {
		msg, _ = ev.reprOf(mkTuple(ca.args, ca.line))
	}
	return msg
}

// excArgs is the repr of an exception's arguments ("'bad', 3").
func (ev *evaluator) excArgs(ca *callArgs) *string {
	parts := make([]string, len(ca.args))
	for i, a := range ca.args {
		r, ok := ev.reprOf(a)
		if !ok {
			return nil
		}
		parts[i] = r
	}
	s := strings.Join(parts, ", ")
	return &s
}

func (ev *evaluator) isExceptionClass(c *Opaque, depth int) bool {
	if depth > 20 {
		return false
	}
	for _, b := range c.baseVals {
		if _, ok := b.(*ExcClass); ok {
			return true
		}
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
	if fv.decorated && !ca.ignoreDecorators && decoratorName(fv) != "staticmethod" {
		u := ev.unresCall(ca, o.Qualname, fmt.Sprintf("call of the decorated function %s (line %d) is not evaluated: the reader does not apply its decorator", o.Qualname, o.Line))
		u.Kind = UnknownDecorated
		return u
	}
	if ev.callDepth >= maxCallDepth {
		return ev.unknown(UnknownBudget, ca.line, "calls nested too deeply (recursion?); not evaluated")
	}
	name := o.Qualname
	if name == "" {
		name = "<lambda>"
	}
	if fv.owner != nil {
		name = fv.owner.name + "." + name
	}
	fs, bad := ev.bindParams(fv, name, ca)
	if bad != nil {
		return bad
	}
	ev.callDepth++
	defer func() { ev.callDepth-- }()
	if fv.lambda != nil {
		return ev.eval(fv.lambda.body, fs)
	}
	return ev.runBody(fv, fs, name, ca.line)
}

// bindParams makes the scope of a call of fv: its parameters bound to the
// arguments, or the TypeError CPython raises when they do not fit.
func (ev *evaluator) bindParams(fv *funcValue, name string, ca *callArgs) (*scope, Value) {
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
	if fv.owner != nil && len(ca.args) > 0 {
		fs.method = &methodCtx{owner: fv.owner, self: ca.args[0]}
	}
	pos := ca.args
	used := map[string]bool{}
	bind := func(n string, v Value) {
		fs.vars[n] = &slot{val: v, line: ca.line}
	}
	var missing, missingKw []string
	for i, p := range params {
		switch p.kind {
		case 0, 'k':
			if p.kind == 0 && len(pos) > 0 {
				bind(p.name, pos[0])
				pos = pos[1:]
				if _, dup := ca.kwarg(p.name); dup {
					return nil, ev.raise("TypeError", fmt.Sprintf("%s() got multiple values for argument '%s'", name, p.name), ca.line)
				}
				continue
			}
			if v, ok := ca.kwarg(p.name); ok {
				bind(p.name, v)
				used[p.name] = true
				continue
			}
			if i < len(fv.defaults) && fv.defaults[i] != nil {
				bind(p.name, fv.defaults[i])
				continue
			}
			if p.kind == 'k' {
				missingKw = append(missingKw, p.name)
			} else {
				missing = append(missing, p.name)
			}
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
		return nil, ev.raise("TypeError", tooManyPositional(name, params, fv.defaults, len(ca.args)), ca.line)
	}
	for _, k := range ca.kw {
		if !used[k.name] && !isParam(params, k.name) {
			return nil, ev.raise("TypeError", fmt.Sprintf("%s() got an unexpected keyword argument '%s'", name, k.name), ca.line)
		}
	}
	if len(missing) > 0 {
		return nil, ev.raise("TypeError", missingArgs(name, missing, "positional"), ca.line)
	}
	if len(missingKw) > 0 {
		return nil, ev.raise("TypeError", missingArgs(name, missingKw, "keyword-only"), ca.line)
	}
	return fs, nil
}

func isParam(params []param, name string) bool {
	for _, p := range params {
		if p.name == name && (p.kind == 0 || p.kind == 'k') {
			return true
		}
	}
	return false
}

// missingArgs is CPython's "f() missing 2 required positional arguments:
// 'a' and 'b'".
func missingArgs(name string, names []string, what string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "'" + n + "'"
	}
	list := quoted[0]
	if len(quoted) > 1 {
		list = strings.Join(quoted[:len(quoted)-1], ", ")
		if len(quoted) > 2 {
			list += ","
		}
		list += " and " + quoted[len(quoted)-1]
	}
	s := "s"
	if len(names) == 1 {
		s = ""
	}
	return fmt.Sprintf("%s() missing %d required %s argument%s: %s", name, len(names), what, s, list)
}

// tooManyPositional is CPython's "f() takes 2 positional arguments but 3
// were given" (or "from 1 to 2").
func tooManyPositional(name string, params []param, defaults []Value, given int) string {
	n, withDefault := 0, 0
	for i, p := range params {
		if p.kind == 0 {
			n++
			if i < len(defaults) && defaults[i] != nil {
				withDefault++
			}
		}
	}
	takes := fmt.Sprintf("%d positional argument", n)
	if withDefault > 0 {
		takes = fmt.Sprintf("from %d to %d positional argument", n-withDefault, n)
	}
	if n != 1 || withDefault > 0 {
		takes += "s"
	}
	were := "were"
	if given == 1 {
		were = "was"
	}
	return fmt.Sprintf("%s() takes %s but %d %s given", name, takes, given, were)
}

// runBody runs the statements of a function and returns its result.
func (ev *evaluator) runBody(fv *funcValue, fs *scope, name string, line int) Value {
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
		result = mkNone(line)
	}
	if len(ev.pendingRet) > 0 && c != ctlRaise {
		alts := append(ev.pendingRet, Alternative{Condition: "otherwise", Line: line, Value: result})
		why := &Unresolved{Reason: fmt.Sprintf("the result of %s() depends on conditions not known statically", name), Line: line, Kind: UnknownCondition}
		if w := ev.pendingWhy; w != nil {
			why = derived(UnknownCondition, line, fmt.Sprintf("the result of %s() %s", name, w.Reason), w)
		}
		result = mergeAlternatives(alts, why)
	}
	ev.retVal, ev.pendingRet, ev.pendingWhy = saveRet, savePend, saveWhy
	if result == nil {
		result = mkNone(line)
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
