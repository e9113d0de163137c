// Package usercode finds and evaluates the user's own code that decides a
// login step (spec/user-code.md): the security manager class a config
// installs (SECURITY_MANAGER_CLASS for Airflow, CUSTOM_SECURITY_MANAGER
// for Superset, FAB_SECURITY_MANAGER_CLASS for plain FAB) or a function
// decorated @appbuilder.sm.oauth_user_info_getter, defined in the file or
// imported from a module beside it or on a --path directory, which of
// FAB's methods it overrides, and what those methods return for a login
// (Evaluator), with hosts standing for FAB, authlib and PyJWT. Like
// pkg/config it is a bridge between the reader (pkg/pyread) and FAB's
// semantics (pkg/fab): it never executes anything.
package usercode

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// Reader reads a module file with the options the config was read with,
// plus the host modules given (nil when finding; the evaluator's PyJWT,
// requests, … when evaluating).
type Reader func(path string, src []byte, hosts map[string]pyread.Host) *pyread.Module

// Finder locates classes in the config's module and the modules it
// imports.
type Finder struct {
	// File is the config file and Source the Python read from it; Dirs
	// are where modules are looked for: the config's directory first,
	// then each --path directory.
	File   string
	Source []byte
	Dirs   []string
	Read   Reader
	// Convert turns reader values into pkg/fab's (config.Convert).
	Convert func(pyread.Value) any
	// MaxSize bounds a module file's size (0: 10 MiB); larger files and
	// anything but regular files are not read.
	MaxSize int64
	// modules caches modules read, by dotted name (nil: not found).
	modules map[string]*module
}

type module struct {
	path string
	src  []byte
	m    *pyread.Module
}

// Code is the user's login code a config installs: what pkg/fab reports
// (Info) and where each method is, for the evaluator.
type Code struct {
	Info *fab.UserCode
	// main is the config's module; class the installed class and
	// classMod its module.
	main     *module
	class    string
	classMod *module
	// methods are the hooked methods by name: the module and class that
	// define them.
	methods map[string]methodAt
	// getter is the oauth_user_info_getter function, if any.
	getter *methodAt
	finder *Finder
}

// methodAt is a method (or function) of the user's code.
type methodAt struct {
	mod   *module
	class string // "" for a function
	fn    *pyread.Func
}

// hooked are FAB's methods a security manager may replace, by the step
// they decide (user-code.md §1).
var hooked = []string{"oauth_user_info", "get_oauth_user_info", "auth_user_oauth", "_oauth_calculate_user_roles", "get_roles_from_keys"}

// settingFor is the setting that installs the security manager in an
// application.
func settingFor(p fab.Profile) string {
	switch {
	case p.Airflow:
		return "SECURITY_MANAGER_CLASS"
	case p.Superset:
		return "CUSTOM_SECURITY_MANAGER"
	}
	return "FAB_SECURITY_MANAGER_CLASS"
}

// Find returns the user code that decides a login step for the
// application profile p reads the config as, nil when there is none.
func (f *Finder) Find(m *pyread.Module, p fab.Profile) *Code {
	main := &module{path: f.File, src: f.Source, m: m}
	c := &Code{main: main, methods: map[string]methodAt{}, finder: f}
	uc := &fab.UserCode{Overrides: map[string]fab.CodeRef{}}
	c.Info = uc
	name := settingFor(p)
	if b, ok := m.Lookup(name); ok && b.Value != nil {
		if _, none := b.Value.(*pyread.NoneValue); !none {
			uc.Setting, uc.SettingLine = name, b.Line
			cls, mod, problem := f.classOf(b.Value, main, b.Line)
			switch {
			case problem != "":
				uc.Problem = problem
			case cls != nil:
				uc.Class = cls.Name
				uc.Where = fab.CodeRef{File: mod.path, Line: cls.Line, Name: cls.Name}
				c.class, c.classMod = cls.Name, mod
				f.collect(c, cls, mod, 0)
			}
		}
	}
	f.getter(c)
	if uc.Setting == "" || uc.Class == "" && uc.Problem == "" {
		if c.getter == nil {
			return nil // FAB's or the application's own class
		}
		uc.Setting, uc.Class, uc.Problem = "", "", ""
	}
	return c
}

// getter finds a function decorated @appbuilder.sm.oauth_user_info_getter
// in the config or the security manager's module: it replaces
// oauth_user_info for every provider.
func (f *Finder) getter(c *Code) {
	mods := []*module{c.main}
	if c.classMod != nil && c.classMod != c.main {
		mods = append(mods, c.classMod)
	}
	for _, mod := range mods {
		for _, fn := range mod.m.Functions() {
			for _, d := range fn.Decorators {
				if d == "oauth_user_info_getter" || strings.HasSuffix(d, ".oauth_user_info_getter") {
					c.getter = &methodAt{mod: mod, fn: fn}
					c.Info.Overrides[fab.GetterKey] = fab.CodeRef{File: mod.path, Line: fn.Line, Name: fn.Name}
					return
				}
			}
		}
	}
}

// classOf resolves the setting's value to a class: defined in the file,
// imported from a module beside it, or named by a dotted string. A nil
// class with no problem is FAB's or the application's own.
func (f *Finder) classOf(v pyread.Value, in *module, line int) (*pyread.Class, *module, string) {
	switch x := v.(type) {
	case *pyread.Opaque:
		switch x.Kind {
		case "class":
			if c := in.m.Class(x.Qualname); c != nil {
				return c, in, ""
			}
			return nil, nil, fmt.Sprintf("line %d: the class %s could not be read", line, x.Qualname)
		case "import":
			if x.Line > 0 {
				line = x.Line // name the import statement, not the assignment
			}
			return f.importedClass(x.Qualname, line)
		}
		return nil, nil, fmt.Sprintf("line %d: the value is a %s, not a class", line, x.Kind)
	case *pyread.Str:
		return f.importedClass(x.V, line)
	case *pyread.Unresolved:
		return nil, nil, fmt.Sprintf("line %d: the class cannot be known statically (%s)", line, x.Reason)
	}
	return nil, nil, fmt.Sprintf("line %d: the value is a %s, not a class", line, v.Type())
}

// importedClass finds pkg.mod.Class in the module files on the search
// path.
func (f *Finder) importedClass(qual string, line int) (*pyread.Class, *module, string) {
	i := strings.LastIndexByte(qual, '.')
	if i <= 0 {
		return nil, nil, fmt.Sprintf("line %d: %q names no module", line, qual)
	}
	// a relative import (from .sm import X) is looked for like the others,
	// beside the config first
	modName, clsName := strings.TrimLeft(qual[:i], "."), qual[i+1:]
	if ApplicationModule(modName) {
		// FAB's, Airflow's or Superset's own class: nothing of the user's,
		// unless the deployment put its own module inside the
		// application's package (an image copying sso_security_manager.py
		// into superset/security/) and --path holds it.
		mod := f.module(modName)
		if mod == nil || applicationBase(clsName) {
			return nil, nil, ""
		}
		b, ok := mod.m.Lookup(clsName)
		if !ok {
			return nil, nil, ""
		}
		return f.classOf(b.Value, mod, b.Line)
	}
	mod := f.module(modName)
	if mod == nil {
		rel := filepath.Join(strings.Split(modName, ".")...)
		return nil, nil, fmt.Sprintf("line %d imports %s from %s, which is neither beside the config nor in a --path directory (looked for %s.py and %s in: %s): give --path DIR where the deployment has it", line, clsName, modName, rel, filepath.Join(rel, "__init__.py"), strings.Join(f.Dirs, ", "))
	}
	b, ok := mod.m.Lookup(clsName)
	if !ok {
		return nil, nil, fmt.Sprintf("%s defines no %s", mod.path, clsName)
	}
	return f.classOf(b.Value, mod, b.Line)
}

// applicationBase names the security-manager classes the applications
// define themselves: never looked for in the user's files.
func applicationBase(name string) bool {
	switch name {
	case "SecurityManager", "BaseSecurityManager", "SupersetSecurityManager", "AirflowSecurityManager", "AirflowSecurityManagerV2", "FabAirflowSecurityManagerOverride":
		return true
	}
	return false
}

// ApplicationModule reports whether mod belongs to FAB, Airflow or
// Superset, not to the user.
func ApplicationModule(mod string) bool {
	for _, p := range []string{"flask_appbuilder", "airflow", "superset"} {
		if mod == p || strings.HasPrefix(mod, p+".") {
			return true
		}
	}
	return false
}

// module reads pkg.mod as pkg/mod.py or pkg/mod/__init__.py in the first
// directory that has it.
func (f *Finder) module(name string) *module {
	if f.modules == nil {
		f.modules = map[string]*module{}
	}
	if m, ok := f.modules[name]; ok {
		return m
	}
	f.modules[name] = nil
	p, src, ok := LocateModule(f.Dirs, name, f.MaxSize)
	if !ok {
		return nil
	}
	m := &module{path: p, src: src, m: f.Read(p, src, nil)}
	f.modules[name] = m
	return m
}

// LocateModule finds the module pkg.mod as Python's path search would on
// dirs (PYTHONPATH's meaning): pkg/mod.py or pkg/mod/__init__.py in the
// first directory that has it. Only regular files of at most maxSize
// bytes (0: 10 MiB) are read: a module path may be a FIFO or a device in
// a hostile checkout.
func LocateModule(dirs []string, name string, maxSize int64) (path string, src []byte, ok bool) {
	if maxSize <= 0 {
		maxSize = 10 << 20
	}
	rel := filepath.Join(strings.Split(name, ".")...)
	for _, d := range dirs {
		for _, p := range []string{filepath.Join(d, rel+".py"), filepath.Join(d, rel, "__init__.py")} {
			st, err := os.Stat(p)
			if err != nil || !st.Mode().IsRegular() || st.Size() > maxSize {
				continue
			}
			if src, err := os.ReadFile(p); err == nil {
				return p, src, true
			}
		}
	}
	return "", nil, false
}

// collect records the hooked methods along the class's MRO, as Python
// looks them up: the file's classes in C3 order, a user class imported
// from another module with its own bases (depth-limited), and nothing
// after FAB's or the application's base, which defines them all.
func (f *Finder) collect(c *Code, cls *pyread.Class, mod *module, depth int) bool {
	if cls == nil || depth > 8 {
		return false
	}
	for _, name := range cls.MRO {
		if k := mod.m.Class(name); k != nil {
			f.methodsOf(c, k, mod)
			continue
		}
		// an imported base: its dotted name through the file's imports
		if ApplicationModule(moduleOf(name)) {
			return true
		}
		if bc, bm, _ := f.importedClass(name, 0); bc != nil {
			if f.collect(c, bc, bm, depth+1) {
				return true
			}
		}
	}
	return false
}

func moduleOf(qual string) string {
	if i := strings.LastIndexByte(qual, '.'); i > 0 {
		return strings.TrimLeft(qual[:i], ".")
	}
	return qual
}

// methodsOf records the hooked methods a class body defines (the first
// along the MRO wins).
func (f *Finder) methodsOf(c *Code, k *pyread.Class, mod *module) {
	for _, fn := range k.Methods {
		if !isHooked(fn.Name) {
			continue
		}
		if _, have := c.methods[fn.Name]; have {
			continue
		}
		c.methods[fn.Name] = methodAt{mod: mod, class: k.Name, fn: fn}
		c.Info.Overrides[fn.Name] = fab.CodeRef{File: mod.path, Line: fn.Line, Name: k.Name + "." + fn.Name}
	}
}

func isHooked(name string) bool {
	for _, h := range hooked {
		if h == name {
			return true
		}
	}
	return false
}
