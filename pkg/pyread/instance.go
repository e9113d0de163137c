package pyread

import (
	"fmt"
	"strings"
)

// classInfo is a class defined in the file.
type classInfo struct {
	name string
	def  *classDef
	// obj is the class object; obj.Attrs is its namespace.
	obj *Opaque
	// mro is the method resolution order, this class first (C3, as
	// CPython computes it); object is left out.
	mro []mroEntry
}

// mroEntry is a class along an MRO: one defined in the file (cls), or a
// base the file imports (ext: its dotted name), whose behaviour only a
// host can supply.
type mroEntry struct {
	cls *classInfo
	ext string
}

func (e mroEntry) same(o mroEntry) bool {
	if e.cls != nil || o.cls != nil {
		return e.cls == o.cls
	}
	return e.ext == o.ext
}

func (e mroEntry) name() string {
	if e.cls != nil {
		return e.cls.name
	}
	return e.ext
}

// linearize computes the C3 linearisation of a class with these bases (nil
// and an error message when there is none: CPython raises TypeError).
func linearize(self *classInfo, bases []Value, baseNames []string) ([]mroEntry, string) {
	var seqs [][]mroEntry
	var direct []mroEntry
	for i, b := range bases {
		var l []mroEntry
		switch b := b.(type) {
		case *Opaque:
			if b.Kind == "builtin" && b.Qualname == "object" {
				continue
			}
			if b.cls != nil {
				l = append([]mroEntry(nil), b.cls.mro...)
			}
		}
		if l == nil {
			l = []mroEntry{{ext: baseNames[i]}}
		}
		seqs = append(seqs, l)
		direct = append(direct, l[0])
	}
	seqs = append(seqs, direct)
	out := []mroEntry{{cls: self}}
	for {
		var rest [][]mroEntry
		for _, s := range seqs {
			if len(s) > 0 {
				rest = append(rest, s)
			}
		}
		if len(rest) == 0 {
			return out, ""
		}
		var pick *mroEntry
		for _, s := range rest {
			cand := s[0]
			inTail := false
			for _, t := range rest {
				for _, x := range t[1:] {
					if x.same(cand) {
						inTail = true
					}
				}
			}
			if !inTail {
				pick = &cand
				break
			}
		}
		if pick == nil {
			var names []string
			for _, d := range direct {
				names = append(names, d.name())
			}
			return nil, "Cannot create a consistent method resolution order (MRO) for bases " + strings.Join(names, ", ")
		}
		out = append(out, *pick)
		for i, s := range rest {
			if s[0].same(*pick) {
				rest[i] = s[1:]
			}
		}
		seqs = rest
	}
}

// Instance is an instance of a class defined in the file. Its attributes
// are looked up as Python does: its own (set by self.x = … in its
// methods), then the classes along its MRO that the file defines, then the
// external base, which only Base (a host standing for the base class's
// behaviour bound to this instance) can answer.
type Instance struct {
	cls   *classInfo
	attrs *Dict
	// Base answers for the classes the file imports (nil: nobody does;
	// what only they could supply is unknown).
	Base Host
	L    int
	// orig is the instance this one is a copy of (speculation copies
	// state), nil for an original.
	orig *Instance
}

// origin is the instance a copy was made from (itself for an original).
func (i *Instance) origin() *Instance {
	if i.orig != nil {
		return i.orig
	}
	return i
}

func (i *Instance) Type() string { return i.cls.name }
func (i *Instance) pyline() int  { return i.L }

// ClassName is the name of the instance's class.
func (i *Instance) ClassName() string { return i.cls.name }

// Attr is an attribute the instance holds itself (self.x = …), if any.
func (i *Instance) Attr(name string) (Value, bool) { return i.attrs.Lookup(name) }

// instMethod is a function found on a class, bound to self.
type instMethod struct {
	self Value
	fn   *Opaque
	L    int
}

func (*instMethod) Type() string  { return "method" }
func (m *instMethod) pyline() int { return m.L }

// superValue is super() in a method of class after, for self.
type superValue struct {
	self  *Instance
	after *classInfo
	L     int
}

func (*superValue) Type() string  { return "super" }
func (s *superValue) pyline() int { return s.L }

// newInstance makes an instance of cls without running __init__.
func newInstance(cls *classInfo, base Host, line int) *Instance {
	return &Instance{cls: cls, attrs: newDict(line), Base: base, L: line}
}

// instAttr is inst.name.
func (ev *evaluator) instAttr(inst *Instance, name string, line int) Value {
	if v, ok := inst.attrs.Lookup(name); ok {
		return v
	}
	if v, ok := ev.mroLookup(inst, 0, name, line); ok {
		return v
	}
	switch name {
	case "__class__":
		return inst.cls.obj
	case "__dict__":
		return inst.attrs
	}
	return ev.raise("AttributeError", fmt.Sprintf("'%s' object has no attribute '%s'", inst.cls.name, name), line)
}

// mroLookup looks name up along inst's MRO from position start: a class
// defined in the file answers with its namespace, an imported base through
// inst.Base. found is false when no class has it.
func (ev *evaluator) mroLookup(inst *Instance, start int, name string, line int) (Value, bool) {
	mro := inst.cls.mro
	for i := start; i < len(mro); i++ {
		e := mro[i]
		if e.cls != nil {
			if v, ok := e.cls.obj.Attrs.Lookup(name); ok {
				return ev.bindAttr(inst, v, line), true
			}
			continue
		}
		if inst.Base == nil {
			return ev.unknown(UnknownImported, line, fmt.Sprintf("%s.%s may come from the base class %s, which the reader does not know", inst.cls.name, name, e.ext)), true
		}
		if v, ok := inst.Base.GetAttr(name, line); ok {
			return ev.hostResult(v, "self."+name, "", line), true
		}
	}
	return nil, false
}

// bindAttr is what a class attribute gives when looked up on an instance:
// a function becomes a method bound to it, a property is called.
func (ev *evaluator) bindAttr(inst *Instance, v Value, line int) Value {
	o, ok := v.(*Opaque)
	if !ok || o.fn == nil {
		return v
	}
	switch decoratorName(o.fn) {
	case "staticmethod":
		return v
	case "classmethod":
		return &instMethod{self: inst.cls.obj, fn: o, L: line}
	case "property":
		return ev.callUser(o, &callArgs{args: []Value{inst}, line: line, src: inst.cls.name + "." + o.Qualname, ignoreDecorators: true})
	}
	return &instMethod{self: inst, fn: o, L: line}
}

// decoratorName is the source text of a function's only decorator ("" for
// none; "?" for several).
func decoratorName(fv *funcValue) string {
	if fv.def == nil || len(fv.def.decorators) == 0 {
		return ""
	}
	if len(fv.def.decorators) > 1 {
		return "?"
	}
	if n, ok := fv.def.decorators[0].(*nameExpr); ok {
		return n.id
	}
	return "?"
}

// superCall is super() or super(C, self) in the function whose scope is sc.
func (ev *evaluator) superCall(ca *callArgs) Value {
	line := ca.line
	var owner *classInfo
	var self Value
	switch len(ca.args) {
	case 0:
		for s := ca.sc; s != nil; s = s.parent {
			if s.kind == 'f' {
				if s.method != nil {
					owner, self = s.method.owner, s.method.self
				}
				break
			}
		}
		if owner == nil {
			return ev.raise("RuntimeError", "super(): no arguments", line)
		}
	case 2:
		if c, ok := ca.args[0].(*Opaque); ok && c.cls != nil {
			owner, self = c.cls, ca.args[1]
		}
	}
	inst, ok := self.(*Instance)
	if owner == nil || !ok {
		return ev.unresCall(ca, "super", "super() of an object not known statically is not evaluated")
	}
	return &superValue{self: inst, after: owner, L: line}
}

// superAttr is super().name: the MRO of self's class after the class the
// method is defined in.
func (ev *evaluator) superAttr(s *superValue, name string, line int) Value {
	for i, e := range s.self.cls.mro {
		if e.cls == s.after {
			if v, ok := ev.mroLookup(s.self, i+1, name, line); ok {
				return v
			}
			break
		}
	}
	return ev.raise("AttributeError", fmt.Sprintf("'super' object has no attribute '%s'", name), line)
}

// methodCtx is the method a function scope runs: the class defining it
// and self (what super() needs).
type methodCtx struct {
	owner *classInfo
	self  Value
}

// explicitBaseCall handles Base.name(self, ...) where Base is a class of
// the file or one it imports and self an instance: the lookup goes along
// Base's own MRO, and what only an imported class could answer goes to
// self's host. ok is false when the call is not of that form.
func (ev *evaluator) explicitBaseCall(recv Value, name string, ca *callArgs) (Value, bool) {
	if len(ca.args) == 0 {
		return nil, false
	}
	inst, ok := ca.args[0].(*Instance)
	if !ok {
		return nil, false
	}
	switch r := recv.(type) {
	case *Opaque:
		if r.cls != nil {
			for _, e := range r.cls.mro {
				if e.cls != nil {
					if v, ok := e.cls.obj.Attrs.Lookup(name); ok {
						return ev.call(v, ca), true
					}
					continue
				}
				return ev.baseHostCall(inst, e.ext, name, ca), true
			}
			return ev.raise("AttributeError", fmt.Sprintf("type object '%s' has no attribute '%s'", r.cls.name, name), ca.line), true
		}
		if r.Kind == "import" && inst.hasExternalBase(r.Qualname) {
			return ev.baseHostCall(inst, r.Qualname, name, ca), true
		}
	}
	return nil, false
}

// hasExternalBase reports whether an imported class is along the
// instance's MRO.
func (i *Instance) hasExternalBase(qual string) bool {
	for _, e := range i.cls.mro {
		if e.cls == nil && e.ext == qual {
			return true
		}
	}
	return false
}

// baseHostCall is Base.name(self, *rest) for an imported Base: the host of
// self answers name, bound to self.
func (ev *evaluator) baseHostCall(inst *Instance, base, name string, ca *callArgs) Value {
	if inst.Base == nil {
		return ev.unresCall(ca, base+"."+name, fmt.Sprintf("%s.%s() comes from the base class %s, which the reader does not know", base, name, base))
	}
	v, ok := inst.Base.GetAttr(name, ca.line)
	if !ok {
		return ev.raise("AttributeError", fmt.Sprintf("type object '%s' has no attribute '%s'", base[strings.LastIndexByte(base, '.')+1:], name), ca.line)
	}
	fn := ev.hostResult(v, base+"."+name, "", ca.line)
	rest := *ca
	rest.args = ca.args[1:]
	return ev.call(fn, &rest)
}

// instantiate calls a class defined in the file: a new instance, on which
// the __init__ the file defines (if any) runs.
func (ev *evaluator) instantiate(c *Opaque, ca *callArgs) Value {
	inst := newInstance(c.cls, nil, ca.line)
	for _, e := range c.cls.mro {
		if e.cls == nil {
			break // an imported __init__ would run: what it sets is unknown
		}
		if init, ok := e.cls.obj.Attrs.Lookup("__init__"); ok {
			r := ev.call(ev.bindAttr(inst, init, ca.line), ca)
			if ev.exc != nil {
				return r
			}
			if u, ok := r.(*Unresolved); ok {
				return propagate(u)
			}
			break
		}
	}
	return inst
}

// isInstanceOf reports whether inst's class is c or derives from it.
func (i *Instance) isInstanceOf(c *classInfo) bool {
	for _, e := range i.cls.mro {
		if e.cls == c {
			return true
		}
	}
	return false
}

// instGetItem is inst[key]: the file's __getitem__, else the base host's
// answer, else the TypeError CPython raises.
func (ev *evaluator) instGetItem(inst *Instance, key Value, line int) Value {
	if v, ok := ev.mroLookup(inst, 0, "__getitem__", line); ok {
		return ev.call(v, &callArgs{args: []Value{key}, line: line})
	}
	return ev.raise("TypeError", fmt.Sprintf("'%s' object is not subscriptable", inst.cls.name), line)
}
