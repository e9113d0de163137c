package projectfile

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/suppress"
)

// EntriesFor returns the ignore entries that apply to the linted file
// path: those without a pattern, and those whose pattern matches the
// file's path relative to the project file's directory ("*" stays within
// a directory, "**" spans any number of them).
func (f *File) EntriesFor(file string) []*suppress.Entry {
	rel := ""
	if abs, err := filepath.Abs(file); err == nil {
		if r, err := filepath.Rel(f.Dir, abs); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			rel = filepath.ToSlash(r)
		}
	}
	var out []*suppress.Entry
	for _, ig := range f.Ignores {
		if ig.Pattern == "" || rel != "" && matchGlob(ig.Pattern, rel) {
			out = append(out, ig.Entry)
		}
	}
	return out
}

// matchGlob matches a slash-separated path against a pattern whose
// segments are path.Match patterns, "**" matching any number of segments.
func matchGlob(pattern, name string) bool {
	return matchSegs(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchSegs(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(segs); i++ {
				if matchSegs(pat[1:], segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], segs[0]); !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0
}

// ReadOptions merges the project file's reader settings into the
// command line's: a flag that was given (changed reports it) wins;
// env and env-file entries come before the command line's, whose values
// therefore win key by key. A bare NAME in env takes NAME from the
// environment authdoctor runs in (also under --no-env), when set there.
func (f *File) ReadOptions(o config.LoadOptions, changed func(flag string) bool) config.LoadOptions {
	if f.Flavor.V != "" && !changed("flavor") {
		o.Flavor = f.Flavor.V
		o.FlavorFrom = fmt.Sprintf("flavor: %s in %s:%d", f.Flavor.V, f.Path, f.Flavor.Line)
	}
	environ := o.Environ
	if environ == nil {
		environ = os.Environ
	}
	var env []string
	for _, e := range f.Env {
		if strings.Contains(e.V, "=") {
			env = append(env, e.V)
			continue
		}
		for _, kv := range environ() {
			if k, _, _ := strings.Cut(kv, "="); k == e.V {
				env = append(env, kv)
			}
		}
	}
	o.Env = append(env, o.Env...)
	var files []string
	for _, e := range f.EnvFiles {
		files = append(files, e.V)
	}
	o.EnvFiles = append(files, o.EnvFiles...)
	return o
}
