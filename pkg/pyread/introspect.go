package pyread

import "sort"

// Class is a class the file defines at module level, as the module binds
// it after reading.
type Class struct {
	Name string
	Line int
	// Bases are the bases as written, with the dotted name each resolves
	// to through the file's imports.
	Bases []ClassBase
	// Decorators are the source texts of the class's decorators.
	Decorators []string
	// Methods are the functions of the class body, in the order the body
	// binds them; Attrs its other attributes.
	Methods []*Func
	Attrs   []ClassAttr
	// MRO is the method resolution order (C3, as CPython computes it),
	// this class first: names of classes of the file and dotted names of
	// the imported bases; object is left out.
	MRO []string

	cls *classInfo
}

// ClassBase is a base of a class.
type ClassBase struct {
	// Source is the base as written ("FabAirflowSecurityManagerOverride").
	Source string
	// Qualname is the dotted name it resolves to through the file's
	// imports ("airflow.providers.fab.auth_manager.security_manager.
	// override.FabAirflowSecurityManagerOverride"), or the name of a class
	// of the file.
	Qualname string
	// InFile marks a class the file defines.
	InFile bool
}

// ClassAttr is a class attribute that is not a function.
type ClassAttr struct {
	Name  string
	Line  int
	Value Value
}

// Func is a function of the file: a module-level def or a method.
type Func struct {
	Name string
	Line int
	// Params are the parameters as written (self included for methods).
	Params []Param
	// Decorators are the source texts of the decorators
	// ("appbuilder.sm.oauth_user_info_getter", "staticmethod").
	Decorators []string
	// Class is the class defining a method ("" for a module-level
	// function).
	Class string

	obj *Opaque
}

// Param is a parameter of a function.
type Param struct {
	Name string
	// Kind is "" for an ordinary parameter, "*" for *args, "**" for
	// **kwargs, "kw" for a keyword-only one.
	Kind string
	// Default is the source text of the default value ("" when none).
	Default string
}

// Classes lists the classes the module binds at module level, by line.
func (m *Module) Classes() []*Class {
	if m.ev == nil {
		return nil
	}
	var out []*Class
	seen := map[*classInfo]bool{}
	for _, b := range m.Bindings {
		o, ok := b.Value.(*Opaque)
		if !ok || o.cls == nil || seen[o.cls] {
			continue
		}
		seen[o.cls] = true
		out = append(out, m.ev.describeClass(o.cls))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// Class is the class of that name the module binds, or nil.
func (m *Module) Class(name string) *Class {
	for _, c := range m.Classes() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Functions lists the functions the module binds at module level (def
// statements, decorated or not), by line.
func (m *Module) Functions() []*Func {
	if m.ev == nil {
		return nil
	}
	var out []*Func
	for _, b := range m.Bindings {
		o, ok := b.Value.(*Opaque)
		if !ok || o.Kind != "function" || o.fn == nil || o.fn.def == nil || o.fn.owner != nil {
			continue
		}
		out = append(out, m.ev.describeFunc(o, ""))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// Function is the module-level function of that name, or nil.
func (m *Module) Function(name string) *Func {
	for _, f := range m.Functions() {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func (ev *evaluator) describeClass(ci *classInfo) *Class {
	c := &Class{Name: ci.name, Line: ci.obj.Line, cls: ci}
	for i, b := range ci.def.bases {
		cb := ClassBase{Source: ev.srcOf(b)}
		if i < len(ci.obj.Bases) {
			cb.Qualname = ci.obj.Bases[i]
		}
		if i < len(ci.obj.baseVals) {
			if o, ok := ci.obj.baseVals[i].(*Opaque); ok && o.cls != nil {
				cb.InFile = true
			}
		}
		c.Bases = append(c.Bases, cb)
	}
	for _, d := range ci.def.decorators {
		c.Decorators = append(c.Decorators, ev.srcOf(d))
	}
	for i, k := range ci.obj.Attrs.keys {
		name, _ := k.(*Str)
		if name == nil {
			continue
		}
		v := ci.obj.Attrs.vals[i]
		if o, ok := v.(*Opaque); ok && o.fn != nil && o.fn.def != nil && o.fn.owner == ci {
			c.Methods = append(c.Methods, ev.describeFunc(o, ci.name))
			continue
		}
		c.Attrs = append(c.Attrs, ClassAttr{Name: name.V, Line: ci.obj.Attrs.lines[i], Value: v})
	}
	for _, e := range ci.mro {
		c.MRO = append(c.MRO, e.name())
	}
	return c
}

func (ev *evaluator) describeFunc(o *Opaque, class string) *Func {
	def := o.fn.def
	f := &Func{Name: def.name, Line: o.Line, Class: class, obj: o}
	for _, p := range def.params {
		fp := Param{Name: p.name}
		switch p.kind {
		case '*':
			fp.Kind = "*"
		case '+':
			fp.Kind = "**"
		case 'k':
			fp.Kind = "kw"
		}
		if p.def != nil {
			fp.Default = ev.srcOf(p.def)
		}
		f.Params = append(f.Params, fp)
	}
	for _, d := range def.decorators {
		f.Decorators = append(f.Decorators, ev.srcOf(d))
	}
	return f
}

// Method is the method of that name the class body defines, or nil.
func (c *Class) Method(name string) *Func {
	for _, f := range c.Methods {
		if f.Name == name {
			return f
		}
	}
	return nil
}
