package pyread

import (
	"fmt"
	"sync"

	"github.com/authdoctor/authdoctor/pkg/pyrepr"
)

// builtinFn implements a builtin function. It returns nil when it does not
// evaluate the call with these arguments (the caller then reports the call
// as not evaluated).
type builtinFn func(ev *evaluator, name string, ca *callArgs) Value

// builtinTable maps the names of the builtins the reader knows (other than
// the dangerous ones) to their implementation.
func builtinTable() map[string]builtinFn { return builtinTableOnce.get(newBuiltinTable) }

var builtinTableOnce lazy[map[string]builtinFn]

func newBuiltinTable() map[string]builtinFn {
	notEvaluated := (*evaluator).builtinNotEvaluated
	return map[string]builtinFn{
		"print": (*evaluator).builtinPrint, "str": (*evaluator).builtinStr, "repr": (*evaluator).builtinRepr,
		"ascii": (*evaluator).builtinRepr, "bool": (*evaluator).builtinBool, "isinstance": (*evaluator).builtinIsinstance,
		"callable": (*evaluator).builtinCallable, "getattr": (*evaluator).builtinGetattr, "hasattr": (*evaluator).builtinGetattr,
		"format": (*evaluator).builtinFormat, "bytes": (*evaluator).builtinBytes,

		"len": (*evaluator).builtinLen, "list": (*evaluator).builtinCollection, "tuple": (*evaluator).builtinCollection,
		"set": (*evaluator).builtinCollection, "frozenset": (*evaluator).builtinCollection,
		"sorted": (*evaluator).builtinCollection, "reversed": (*evaluator).builtinCollection,
		"dict": (*evaluator).builtinDict, "min": (*evaluator).builtinMinMax, "max": (*evaluator).builtinMinMax,
		"sum": (*evaluator).builtinSum, "any": (*evaluator).builtinAnyAll, "all": (*evaluator).builtinAnyAll,
		"range": (*evaluator).builtinRange, "enumerate": (*evaluator).builtinEnumerate, "zip": (*evaluator).builtinZip,
		"map": (*evaluator).builtinMapFilter, "filter": (*evaluator).builtinMapFilter,

		"int": (*evaluator).builtinInt, "float": (*evaluator).builtinFloat, "abs": (*evaluator).builtinAbs,
		"round": (*evaluator).builtinRound, "chr": (*evaluator).builtinChr, "ord": (*evaluator).builtinOrd,
		"hex": (*evaluator).builtinBase, "oct": (*evaluator).builtinBase, "bin": (*evaluator).builtinBase,
		"divmod": (*evaluator).builtinDivmod, "pow": (*evaluator).builtinPow,

		"type": notEvaluated, "id": notEvaluated, "hash": notEvaluated, "iter": notEvaluated, "next": notEvaluated,
		"memoryview": notEvaluated, "bytearray": notEvaluated, "object": notEvaluated, "super": (*evaluator).builtinSuper,
		"property": notEvaluated, "staticmethod": notEvaluated, "classmethod": notEvaluated, "dir": notEvaluated,
		"issubclass": notEvaluated, "complex": notEvaluated, "slice": notEvaluated,
	}
}

// isBuiltinFunc reports whether name is a builtin function the reader
// knows (evaluated or deliberately never run).
func isBuiltinFunc(name string) bool {
	if _, ok := builtinTable()[name]; ok {
		return true
	}
	_, ok := dangerous()[name]
	return ok
}

// builtinValue returns the builtin bound to name, or nil.
func builtinValue(name string, line int) Value {
	if isBuiltinFunc(name) {
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
	if why, ok := dangerous()[name]; ok {
		return ev.unresCall(ca, name, fmt.Sprintf("call to %s() is not evaluated: it %s, and the reader never runs code", name, why))
	}
	if _, ok := excHierarchy()[name]; ok || name == "BaseException" {
		return ev.newException(name, ca)
	}
	switch {
	case name == "print" || name == "isinstance" || name == "getattr":
		// these take (or ignore) arguments not known statically
	case name == "bool" && len(ca.args) == 1 && isUnsetNone(ca.args[0]):
		// bool(os.getenv("UNSET")) tests it: see truthOf
	default:
		for _, a := range ca.args {
			if u, ok := a.(*Unresolved); ok {
				return propagate(u)
			}
		}
	}
	if f := builtinTable()[name]; f != nil {
		if v := f(ev, name, ca); v != nil {
			return v
		}
	}
	return ev.unresCall(ca, name, fmt.Sprintf("%s() with these arguments is not evaluated", name))
}

// newException is the instance made by calling a builtin exception class:
// its message is str() of a single argument, else repr() of the arguments.
func (ev *evaluator) newException(name string, ca *callArgs) Value {
	msg := ev.excMessage(ca)
	if name == "KeyError" && len(ca.args) == 1 {
		// str(KeyError(k)) is repr(k)
		msg, _ = ev.reprOf(ca.args[0])
	}
	return ev.newExcInstance(&pyExc{typ: name, args: ev.excArgs(ca)}, msg, ca.line)
}

func (ev *evaluator) builtinNotEvaluated(name string, ca *callArgs) Value {
	return ev.unresCall(ca, name, name+"() is not evaluated")
}

func (ev *evaluator) builtinPrint(_ string, ca *callArgs) Value { return mkNone(ca.line) }

func (ev *evaluator) builtinStr(_ string, ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "")
	if !ok {
		return mkStr("", line)
	}
	if b, isB := v.(*Bytes); isB && len(ca.args) >= 2 {
		return ev.callMethod(&boundMethod{recv: b, name: "decode", L: line}, &callArgs{args: ca.args[1:], line: line})
	}
	s, ok := ev.strOf(v)
	if !ok {
		return ev.strUnknown(v, line)
	}
	return mkStr(s, line)
}

// builtinRepr is repr() and ascii().
func (ev *evaluator) builtinRepr(name string, ca *callArgs) Value {
	v, ok := ca.arg(0, "")
	if !ok {
		return nil
	}
	s, ok := ev.reprOf(v)
	if !ok {
		return ev.unres(ca.line, "repr() of "+v.Type()+" is not known")
	}
	if name == "ascii" {
		s = pyrepr.ASCII(s)
	}
	return mkStr(s, ca.line)
}

func (ev *evaluator) builtinBool(_ string, ca *callArgs) Value {
	v, ok := ca.arg(0, "")
	if !ok {
		return mkBool(false, ca.line)
	}
	t, known := ev.truthOf(v)
	if !known {
		return ev.unres(ca.line, "truth value of "+v.Type()+" is not known")
	}
	return mkBool(t, ca.line)
}

func (ev *evaluator) builtinIsinstance(_ string, ca *callArgs) Value {
	line := ca.line
	if len(ca.args) != 2 {
		return nil
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
		if r, known := ev.isInstanceOfClass(v, t); known {
			if r {
				return mkBool(true, line)
			}
			continue
		}
		o, ok := t.(*Opaque)
		if !ok || o.Kind != "builtin" {
			return ev.unres(line, "isinstance() with a type not known statically")
		}
		if _, isInst := v.(*Instance); isInst {
			if o.Qualname == "object" {
				return mkBool(true, line)
			}
			return ev.unres(line, "isinstance() of an instance whose bases are not all known")
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
}

func (ev *evaluator) builtinCallable(_ string, ca *callArgs) Value {
	line := ca.line
	v, _ := ca.arg(0, "")
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
}

// builtinGetattr is getattr() and hasattr().
func (ev *evaluator) builtinGetattr(name string, ca *callArgs) Value {
	line := ca.line
	if len(ca.args) < 2 {
		return nil
	}
	s, ok := ca.args[1].(*Str)
	if !ok {
		if u, ok := ca.args[1].(*Unresolved); ok {
			return propagate(u)
		}
		return nil
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
}

func (ev *evaluator) builtinFormat(_ string, ca *callArgs) Value {
	v, ok := ca.arg(0, "")
	if !ok {
		return nil
	}
	spec := ""
	if s, ok := ca.arg(1, "format_spec"); ok {
		ss, isS := s.(*Str)
		if !isS {
			return nil
		}
		spec = ss.V
	}
	return ev.format(v, spec, ca.line)
}

func (ev *evaluator) builtinBytes(_ string, ca *callArgs) Value {
	if len(ca.args) == 0 {
		return &Bytes{L: ca.line}
	}
	if s, ok := ca.args[0].(*Str); ok && len(ca.args) >= 2 {
		return &Bytes{V: s.V, L: ca.line}
	}
	return nil
}

func (ev *evaluator) builtinSuper(_ string, ca *callArgs) Value { return ev.superCall(ca) }

// isInstanceOfClass decides isinstance(v, t) for a class defined in the
// file or an exception class; known is false for other types.
func (ev *evaluator) isInstanceOfClass(v, t Value) (result, known bool) {
	if o, ok := t.(*Opaque); ok && o.cls != nil {
		return instanceOfFileClass(v, o.cls)
	}
	isExcClass := false
	switch t := t.(type) {
	case *ExcClass:
		isExcClass = true
	case *Opaque:
		isExcClass = t.Kind == "builtin" && isExcName(t.Qualname)
	}
	if !isExcClass {
		return false, false
	}
	if o, ok := v.(*Opaque); ok && o.Kind == "exception" {
		e := o.exc
		if e == nil {
			e = &pyExc{typ: o.Qualname}
		}
		return excMatches(e, t), true
	}
	if isKnownPlain(v) {
		return false, true
	}
	return false, false
}

// instanceOfFileClass decides isinstance(v, c) for a class c of the file.
func instanceOfFileClass(v Value, c *classInfo) (result, known bool) {
	if inst, ok := v.(*Instance); ok {
		if inst.isInstanceOf(c) {
			return true, true
		}
		for _, e := range inst.cls.mro {
			if e.cls == nil {
				return false, false // an imported base may derive from c
			}
		}
		return false, true
	}
	if isKnownPlain(v) {
		return false, true
	}
	return false, false
}

// isExcName reports whether name is a built-in exception class.
func isExcName(name string) bool {
	_, ok := excHierarchy()[name]
	return ok || name == "BaseException"
}
