// Package usercode finds the user's own code that decides a login step
// (spec/user-code.md §1–§2): the security manager class a config installs
// (SECURITY_MANAGER_CLASS for Airflow, CUSTOM_SECURITY_MANAGER for
// Superset, FAB_SECURITY_MANAGER_CLASS for plain FAB), defined in the file
// or imported from a module beside it or on a --path directory, and which
// of FAB's methods it overrides. Like pkg/config it is a bridge between the
// reader (pkg/pyread) and FAB's semantics (pkg/fab): it never executes
// anything.
package usercode

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// Reader reads a module file with the options the config was read with.
type Reader func(path string, src []byte) *pyread.Module

// Finder locates classes in the config's module and the modules it
// imports.
type Finder struct {
	// File is the config file; Dirs are where modules are looked for:
	// the config's directory first, then each --path directory.
	File string
	Dirs []string
	Read Reader
	// MaxSize bounds a module file's size (0: 10 MiB); larger files and
	// anything but regular files are not read.
	MaxSize int64
	// modules caches modules read, by dotted name (nil: not found).
	modules map[string]*module
}

type module struct {
	path string
	m    *pyread.Module
}

// hooked are FAB's methods a security manager may replace, by the step
// they decide (user-code.md §1).
var hooked = []string{"oauth_user_info", "get_oauth_user_info", "auth_user_oauth", "_oauth_calculate_user_roles", "get_roles_from_keys"}

// settingFor is the setting that installs the security manager in an
// application ("" when none).
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
func (f *Finder) Find(m *pyread.Module, p fab.Profile) *fab.UserCode {
	name := settingFor(p)
	b, ok := m.Lookup(name)
	if !ok || b.Value == nil {
		return nil
	}
	if _, none := b.Value.(*pyread.NoneValue); none {
		return nil
	}
	uc := &fab.UserCode{Setting: name, SettingLine: b.Line, Overrides: map[string]fab.CodeRef{}}
	cls, mod, problem := f.classOf(b.Value, &module{path: f.File, m: m}, b.Line)
	switch {
	case problem != "":
		uc.Problem = problem
		return uc
	case cls == nil:
		return nil // FAB's or the application's own class
	}
	uc.Class = cls.Qualname
	uc.Where = fab.CodeRef{File: mod.path, Line: cls.Line, Name: cls.Qualname}
	f.collect(uc, cls, mod, 0)
	return uc
}

// classOf resolves the setting's value to a class: defined in the file,
// imported from a module beside it, or named by a dotted string.
func (f *Finder) classOf(v pyread.Value, in *module, line int) (*pyread.Opaque, *module, string) {
	switch x := v.(type) {
	case *pyread.Opaque:
		switch x.Kind {
		case "class":
			return x, in, ""
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
func (f *Finder) importedClass(qual string, line int) (*pyread.Opaque, *module, string) {
	i := strings.LastIndexByte(qual, '.')
	if i <= 0 {
		return nil, nil, fmt.Sprintf("line %d: %q names no module", line, qual)
	}
	// a relative import (from .sm import X) is looked for like the others,
	// beside the config first
	modName, clsName := strings.TrimLeft(qual[:i], "."), qual[i+1:]
	if known(modName) {
		return nil, nil, "" // FAB's, Airflow's or Superset's own class: nothing of the user's
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

// known modules belong to the applications, not to the user.
func known(mod string) bool {
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
	rel := filepath.Join(strings.Split(name, ".")...)
	for _, d := range f.Dirs {
		for _, p := range []string{filepath.Join(d, rel+".py"), filepath.Join(d, rel, "__init__.py")} {
			src, ok := f.readFile(p)
			if !ok {
				continue
			}
			m := &module{path: p, m: f.Read(p, src)}
			f.modules[name] = m
			return m
		}
	}
	return nil
}

// readFile reads a regular file of bounded size: a module path may be a
// FIFO or a device in a hostile checkout.
func (f *Finder) readFile(p string) ([]byte, bool) {
	max := f.MaxSize
	if max <= 0 {
		max = 10 << 20
	}
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() || st.Size() > max {
		return nil, false
	}
	src, err := os.ReadFile(p)
	return src, err == nil
}

// collect records the hooked methods the class and its in-user-code bases
// define (the first along the bases wins, as Python's MRO does for single
// inheritance; depth-limited).
func (f *Finder) collect(uc *fab.UserCode, cls *pyread.Opaque, mod *module, depth int) {
	if cls == nil || depth > 8 {
		return
	}
	if cls.Attrs != nil {
		keys, vals := cls.Attrs.Keys(), cls.Attrs.Values()
		for i, k := range keys {
			s, ok := k.(*pyread.Str)
			if !ok || !isHooked(s.V) {
				continue
			}
			if _, have := uc.Overrides[s.V]; have {
				continue
			}
			if fn, ok := vals[i].(*pyread.Opaque); ok && (fn.Kind == "function" || fn.Kind == "lambda") {
				uc.Overrides[s.V] = fab.CodeRef{File: mod.path, Line: fn.Line, Name: cls.Qualname + "." + s.V}
			}
		}
	}
	for _, base := range cls.Bases {
		if b, ok := mod.m.Lookup(base); ok {
			if bc, bm, _ := f.classOf(b.Value, mod, b.Line); bc != nil {
				f.collect(uc, bc, bm, depth+1)
			}
		}
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
