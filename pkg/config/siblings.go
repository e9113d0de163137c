package config

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/pyread"
	"github.com/authdoctor/authdoctor/pkg/usercode"
)

// siblingValues reads the modules the config imports names from when they
// sit beside it or on a --path directory (a constants or settings module:
// `from settings import TENANT_ID`), and returns their module-level values
// for the reader's Options.Modules. Each module is read, never run, with
// the config's environment; its own imports of further modules are not
// followed. A value the module itself cannot resolve stays unresolved in
// the config, with the module's reason and line.
func siblingValues(m *pyread.Module, dirs []string, opts pyread.Options) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, im := range m.Imports {
		mod := im.Module
		if _, done := out[mod]; done || mod == "" || strings.HasPrefix(mod, ".") || opts.Modules[mod] != nil || known(mod) {
			continue
		}
		path, src, ok := usercode.LocateModule(dirs, mod, MaxFileSize)
		if !ok {
			continue
		}
		o := opts
		o.File, o.Lines, o.HostModules = path, nil, nil
		read := pyread.Read(path, src, o)
		vals := map[string]any{}
		for _, b := range read.Bindings {
			if _, object := b.Value.(*pyread.Opaque); object {
				continue // a class, function or module stays an import: usercode finds classes by it
			}
			vals[b.Name] = siblingValue(b, filepath.Base(path))
		}
		out[mod] = vals
	}
	return out
}

// known modules are the applications' (usercode.ApplicationModule) and
// the libraries the reader or its hosts know: only the user's own modules
// are looked for.
func known(mod string) bool {
	top, _, _ := strings.Cut(mod, ".")
	switch top {
	case "flask", "os", "sys", "json", "logging", "datetime", "typing", "base64", "re", "ast", "jwt", "requests", "authlib", "flask_oauthlib":
		return true
	}
	return usercode.ApplicationModule(mod)
}

// siblingValue is a binding of a sibling module as the config sees it: a
// value fully known there as it is; anything else unresolved, saying
// where in that module it comes from (its own line numbers mean nothing
// in the config).
func siblingValue(b *pyread.Binding, file string) any {
	v := pyread.ToGo(b.Value)
	if why, env, ok := unknownPart(v); ok {
		return &pyread.Unresolved{Reason: fmt.Sprintf("%s in %s (line %d) is not known statically: %s", b.Name, file, b.Line, why), Kind: pyread.UnknownImported, Env: env}
	}
	return v
}

// unknownPart finds the first part of a converted value that is not plain
// data: an unresolved value (its reason) or an opaque object.
// The environment variables it needs, if any, come with the reason.
func unknownPart(v any) (why string, env []string, ok bool) {
	switch x := v.(type) {
	case *pyread.Unresolved:
		return x.Root().Reason, x.Root().Env, true
	case *pyread.Opaque:
		return x.Source + " is an object the reader does not evaluate", nil, true
	case []any:
		for _, e := range x {
			if why, env, ok := unknownPart(e); ok {
				return why, env, true
			}
		}
	case map[string]any:
		for _, e := range x {
			if why, env, ok := unknownPart(e); ok {
				return why, env, true
			}
		}
	}
	return "", nil, false
}
