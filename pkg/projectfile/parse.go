package projectfile

import (
	"bytes"
	"errors"
	"github.com/authdoctor/authdoctor/pkg/lazyre"
	"io"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/suppress"
	yaml "go.yaml.in/yaml/v3"
)

// Ignore is one ignore entry: its checks apply to the files its pattern
// matches (every file governed by the project file when there is none).
type Ignore struct {
	Pattern string
	Entry   *suppress.Entry
}

// keys are the settings a project file may hold, in the order of the docs.
var keys = []string{"ignore", "flavor", "env", "env-file", "roles-file", "fail-on"}

var yamlLineRe = lazyre.New(`^yaml: line (\d+): (.*)$`)

func (f *File) parse(data []byte, reg *engine.Registry) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // an empty file sets nothing
		}
		if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return f.errAt(line, "not valid YAML: %s", m[2])
		}
		return f.errAt(1, "not valid YAML: %v", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var more yaml.Node
	if err := dec.Decode(&more); err == nil {
		return f.errAt(more.Line, "a project file is one YAML document")
	}
	if len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		return f.errAt(root.Line, "want a mapping of settings (%s)", strings.Join(keys, ", "))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if seen[k.Value] {
			return f.errAt(k.Line, "%s is set twice", k.Value)
		}
		seen[k.Value] = true
		if err := f.setting(k, v, reg); err != nil {
			return err
		}
	}
	return nil
}

func (f *File) setting(k, v *yaml.Node, reg *engine.Registry) error {
	var err error
	switch k.Value {
	case "ignore":
		err = f.ignores(v, reg)
	case "flavor":
		if f.Flavor, err = f.scalar(k.Value, v); err == nil {
			if _, perr := fab.ParseFlavor(f.Flavor.V); perr != nil {
				err = f.errAt(v.Line, "flavor %q is not one of: %s", f.Flavor.V, fab.FlavorChoices)
			}
		}
	case "env":
		f.Env, err = f.strings(k.Value, v)
		for _, e := range f.Env {
			if strings.TrimSpace(e.V) == "" || strings.HasPrefix(e.V, "=") {
				return f.errAt(e.Line, "env entries are NAME=VALUE or NAME, not %q", e.V)
			}
		}
	case "env-file":
		f.EnvFiles, err = f.strings(k.Value, v)
		for i := range f.EnvFiles {
			f.EnvFiles[i].V = f.resolve(f.EnvFiles[i].V)
		}
	case "roles-file":
		if f.RolesFile, err = f.scalar(k.Value, v); err == nil {
			f.RolesFile.V = f.resolve(f.RolesFile.V)
		}
	case "fail-on":
		if f.FailOn, err = f.scalar(k.Value, v); err == nil {
			switch f.FailOn.V {
			case "error", "warning", "info", "never":
			default:
				err = f.errAt(v.Line, "fail-on must be error, warning, info or never, not %q", f.FailOn.V)
			}
		}
	default:
		err = f.errAt(k.Line, "unknown setting %q (known: %s)", k.Value, strings.Join(keys, ", "))
	}
	return err
}

// resolve makes a path in the file relative to the file's directory.
func (f *File) resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(f.Dir, filepath.FromSlash(p))
}

func (f *File) scalar(key string, v *yaml.Node) (Value, error) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		return Value{}, f.errAt(v.Line, "%s wants a single value", key)
	}
	return Value{V: v.Value, Line: v.Line}, nil
}

// strings reads one string or a list of strings.
func (f *File) strings(key string, v *yaml.Node) ([]Value, error) {
	if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		return []Value{{V: v.Value, Line: v.Line}}, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, f.errAt(v.Line, "%s wants a value or a list of values", key)
	}
	var out []Value
	for _, it := range v.Content {
		if it.Kind != yaml.ScalarNode || it.Tag == "!!null" {
			return nil, f.errAt(it.Line, "%s: each entry is a single value", key)
		}
		out = append(out, Value{V: it.Value, Line: it.Line})
	}
	return out, nil
}

// ignores reads the ignore list: IDs or names, or entries with checks,
// an optional path pattern and an optional reason.
func (f *File) ignores(v *yaml.Node, reg *engine.Registry) error {
	if v.Kind != yaml.SequenceNode {
		return f.errAt(v.Line, "ignore wants a list: check IDs or names, or entries {path, checks, reason}")
	}
	for _, it := range v.Content {
		ig := Ignore{Entry: &suppress.Entry{File: f.Path, Line: it.Line}}
		var names []Value
		var err error
		switch it.Kind {
		case yaml.ScalarNode:
			names = []Value{{V: it.Value, Line: it.Line}}
		case yaml.MappingNode:
			names, err = f.ignoreEntry(it, &ig)
		default:
			err = f.errAt(it.Line, "an ignore entry is a check ID or name, or {path, checks, reason}")
		}
		if err != nil {
			return err
		}
		for _, n := range names {
			id, err := suppress.Resolve(reg, n.V)
			if err != nil {
				return f.errAt(n.Line, "ignore: %v", err)
			}
			ig.Entry.Checks = append(ig.Entry.Checks, id)
		}
		f.Ignores = append(f.Ignores, ig)
	}
	return nil
}

func (f *File) ignoreEntry(it *yaml.Node, ig *Ignore) ([]Value, error) {
	var names []Value
	for i := 0; i+1 < len(it.Content); i += 2 {
		k, v := it.Content[i], it.Content[i+1]
		var err error
		switch k.Value {
		case "path":
			var p Value
			if p, err = f.scalar("path", v); err == nil {
				ig.Pattern = strings.TrimPrefix(filepath.ToSlash(p.V), "./")
				if _, perr := path.Match(ig.Pattern, ""); perr != nil {
					err = f.errAt(v.Line, "path %q is not a valid pattern", p.V)
				}
			}
		case "checks":
			names, err = f.strings("checks", v)
		case "reason":
			var r Value
			r, err = f.scalar("reason", v)
			ig.Entry.Reason = r.V
		default:
			err = f.errAt(k.Line, "unknown key %q in an ignore entry (known: path, checks, reason)", k.Value)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(names) == 0 {
		return nil, f.errAt(it.Line, "an ignore entry needs checks: [ID, …]")
	}
	ig.Entry.Pattern = ig.Pattern
	return names, nil
}
