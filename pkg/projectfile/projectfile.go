// Package projectfile reads the project file, .authdoctor.yaml: the lint
// settings a repository keeps beside its configs (ignores, flavour,
// environment, roles file, fail-on). It is found upward from each linted
// file, stopping at the repository root (a directory holding .git) or the
// filesystem root, or named with --config-file. Command-line flags win
// over it.
//
//	ignore:                        # IDs or names; each entry may name files
//	  - CFG009
//	  - path: "deploy/*.py"        # relative to the project file's directory
//	    checks: [CFG006]
//	    reason: the chart mounts the real secret
//	flavor: airflow3
//	env: [AIRFLOW__WEBSERVER__BASE_URL=https://airflow.example.com, AZURE_TENANT_ID]
//	env-file: deploy/lint.env      # or a list
//	roles-file: deploy/roles.json
//	fail-on: warning
package projectfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
)

// Name is the project file's name.
const Name = ".authdoctor.yaml"

// Value is a setting with the line it is written on.
type Value struct {
	V    string
	Line int
}

// File is a loaded project file.
type File struct {
	// Path is the file as found or named (relative when the search started
	// from a relative path); Dir is its absolute directory, the base of
	// relative paths and patterns in it.
	Path string
	Dir  string

	Flavor Value
	// Env holds NAME=VALUE entries and bare NAMEs (taken from the
	// environment authdoctor runs in, also under --no-env).
	Env []Value
	// EnvFiles and RolesFile are resolved against Dir.
	EnvFiles  []Value
	RolesFile Value
	FailOn    Value
	Ignores   []Ignore
}

// Finder finds and caches the project file of each linted file.
type Finder struct {
	// Named is --config-file: when set, it is the project file of every
	// file and nothing is searched.
	Named string
	Reg   *engine.Registry

	byDir map[string]*File
	named *File
}

// For returns the project file that governs path (nil when there is
// none). A named file that does not exist is a *cmdutil.JobError (exit
// 3); a malformed project file is a *cmdutil.UsageError naming file:line
// (exit 2).
func (f *Finder) For(path string) (*File, error) {
	if f.Named != "" {
		if f.named == nil {
			pf, err := Load(f.Named, f.Reg)
			if err != nil {
				return nil, err
			}
			f.named = pf
		}
		return f.named, nil
	}
	if f.byDir == nil {
		f.byDir = map[string]*File{}
	}
	dir := filepath.Dir(path)
	if pf, ok := f.byDir[dir]; ok {
		return pf, nil
	}
	found, err := Find(dir)
	if err != nil {
		return nil, err
	}
	var pf *File
	if found != "" {
		if pf, err = Load(found, f.Reg); err != nil {
			return nil, err
		}
	}
	f.byDir[dir] = pf
	return pf, nil
}

// Find looks for the project file in dir and its parents, up to the
// repository root (a directory holding .git, a directory or a worktree's
// file) or the filesystem root. It returns "" when there is none, and a
// path relative to the working directory when dir was relative.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", cmdutil.Jobf("looking for %s above %s: %v", Name, dir, err)
	}
	for d := abs; ; d = filepath.Dir(d) {
		p := filepath.Join(d, Name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return display(p, dir), nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrPermission) {
			return "", cmdutil.Jobf("cannot read %s: %v", p, err)
		}
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil || filepath.Dir(d) == d {
			return "", nil
		}
	}
}

// display keeps a found path relative when the search started from a
// relative directory, as people and SARIF's %SRCROOT% expect.
func display(abs, start string) string {
	if filepath.IsAbs(start) {
		return abs
	}
	wd, err := os.Getwd()
	if err != nil {
		return abs
	}
	if rel, err := filepath.Rel(wd, abs); err == nil {
		return rel
	}
	return abs
}

// Load reads a project file.
func Load(path string, reg *engine.Registry) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, cmdutil.Jobf("cannot read project file %s: no such file", path)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, cmdutil.Jobf("cannot read project file %s: %v", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, cmdutil.Jobf("cannot read project file %s: %v", path, err)
	}
	pf := &File{Path: path, Dir: filepath.Dir(abs)}
	if err := pf.parse(data, reg); err != nil {
		return nil, err
	}
	return pf, nil
}

// errAt is a malformed project file: a usage error naming file:line.
func (f *File) errAt(line int, format string, a ...any) error {
	return cmdutil.Usagef("%s:%d: %s", f.Path, line, fmt.Sprintf(format, a...))
}
