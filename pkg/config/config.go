// Package config loads a Flask-AppBuilder config input for the checks: a
// Python file (webserver_config.py, superset_config.py), a Helm values
// file (webserver.webserverConfig for Airflow 2, apiServer.apiServerConfig
// for Airflow 3, Superset's configOverrides) or a Kubernetes ConfigMap
// manifest holding webserver_config.py, possibly among other documents of
// a multi-document YAML file. It knows FAB (the import paths of the
// AUTH_* constants, airflow.configuration, which settings FAB reads, the
// flavours) but no Python syntax: reading the Python is pkg/pyread's job.
//
// Entry points:
//
//	f, err := config.Load(path, opts)   // err wraps *fs.PathError for I/O
//	f.Flavor, f.FlavorReason            // airflow2 | airflow3 | superset | fab
//	f.Settings / f.Setting("AUTH_TYPE") // upper-case module-level names
//	f.Module                            // the full pyread.Module
//
// Line numbers everywhere (settings, values, diagnostics) are lines of
// the file given, also when the Python came from a YAML file.
//
// The environment the Python sees (os.environ, os.getenv) is the process
// environment unless NoEnv, then every --env-file (dotenv syntax, in
// order), then every --env KEY=VALUE; later sources win. BindFlags adds
// the flags shared by config show, lint, roles and doctor.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// Kind is what the input file was.
type Kind string

const (
	KindPython    Kind = "python"
	KindHelm      Kind = "helm"
	KindConfigMap Kind = "configmap"
)

// Flavor is the host application whose FAB behaviour to simulate.
type Flavor string

const (
	FlavorAirflow2 Flavor = "airflow2"
	FlavorAirflow3 Flavor = "airflow3"
	FlavorSuperset Flavor = "superset"
	FlavorFAB      Flavor = "fab"
)

// FlavorChoices is the help text of --flavor.
const FlavorChoices = "auto, airflow2, airflow3, superset, fab"

// ParseFlavor reads a --flavor value; "auto" and "" give "" (detect).
// Version forms (airflow-2.9, airflow3.0) map to their major flavour.
func ParseFlavor(s string) (Flavor, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	v = strings.ReplaceAll(v, "_", "-")
	switch v {
	case "", "auto":
		return "", nil
	case "superset":
		return FlavorSuperset, nil
	case "fab", "flask-appbuilder":
		return FlavorFAB, nil
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(v, "airflow"), "-")
	if rest != v && rest != "" {
		switch rest[0] {
		case '2':
			return FlavorAirflow2, nil
		case '3':
			return FlavorAirflow3, nil
		}
	}
	return "", fmt.Errorf("--flavor %q is not one of: %s", s, FlavorChoices)
}

// Setting is one upper-case module-level name: what Flask's from_pyfile
// copies into the app config.
type Setting struct {
	Name  string
	Value pyread.Value
	// Line is the line of the last assignment.
	Line int
	// Conditional: the value depends on a condition the reader could not
	// decide (Value is an *pyread.Unresolved with Alternatives).
	Conditional bool
	// Known: FAB, Airflow or Superset reads this setting.
	Known bool
	// Imported: the name was bound by an import (AUTH_OAUTH from
	// flask_appbuilder.const, say) rather than assigned.
	Imported bool
}

// File is a loaded config input.
type File struct {
	// Path is the file as given.
	Path string
	Kind Kind
	// Origin says where the Python came from inside a YAML file
	// ("webserver.webserverConfig", "ConfigMap airflow/x data
	// webserver_config.py"); empty for .py files.
	Origin string
	// Flavor is the flavour to simulate and FlavorReason why: --flavor,
	// or what was detected from the file.
	Flavor       Flavor
	FlavorReason string
	// Detected is what detection found (empty when nothing told), even
	// when --flavor overrode it.
	Detected       Flavor
	DetectedReason string
	// Source is the Python source that was read.
	Source string
	Module *pyread.Module
	// Settings are the upper-case module-level names in the order of
	// their last assignment.
	Settings []Setting
	// Env is the environment the file was read with.
	Env map[string]string
	// EnvSources describes where Env came from (no values).
	EnvSources []string
	// Notes are remarks about the input (template expressions, other
	// documents, chart values that were not used).
	Notes []string

	byName map[string]int
}

// Setting returns a setting by name.
func (f *File) Setting(name string) (Setting, bool) {
	if f == nil {
		return Setting{}, false
	}
	i, ok := f.byName[name]
	if !ok {
		return Setting{}, false
	}
	return f.Settings[i], true
}

// SyntaxErrors are the reader's syntax diagnostics (CFG001).
func (f *File) SyntaxErrors() []pyread.Diagnostic {
	if f == nil || f.Module == nil {
		return nil
	}
	return f.Module.SyntaxErrors()
}

// Unresolved lists the unresolved diagnostics of settings (CFG002), in
// line order.
func (f *File) Unresolved() []pyread.Diagnostic {
	if f == nil || f.Module == nil {
		return nil
	}
	var out []pyread.Diagnostic
	for _, d := range f.Module.Diagnostics {
		if d.Kind == pyread.DiagUnresolved && pyread.IsUpperName(d.Name) {
			out = append(out, d)
		}
	}
	return out
}

// MaxFileSize bounds the input read.
const MaxFileSize = 16 << 20

// Load reads path and everything it needs. An input that cannot be read
// returns an error wrapping the *fs.PathError (exit code 3); bad options
// (a malformed --env, an unknown --flavor) return a *cmdutil.UsageError
// (exit code 2).
func Load(path string, o LoadOptions) (*File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read config: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("cannot read config: %w", &os.PathError{Op: "read", Path: path, Err: errors.New("is a directory")})
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("cannot read config: %w", &os.PathError{Op: "read", Path: path, Err: fmt.Errorf("larger than %d MiB", MaxFileSize>>20)})
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read config: %w", err)
	}
	return Parse(path, data, o)
}

// Parse loads a config input from memory; path names it (its extension
// decides between Python and YAML, unless the content says otherwise).
func Parse(path string, data []byte, o LoadOptions) (*File, error) {
	flag, err := ParseFlavor(o.Flavor)
	if err != nil {
		return nil, usage(err)
	}
	env, sources, err := o.Environment()
	if err != nil {
		return nil, err
	}
	f := &File{Path: path, Env: env, EnvSources: sources}
	ext := strings.ToLower(filepath.Ext(path))
	var src string
	var lines []pyread.LineOrigin
	var hint extractHint
	if ext == ".yaml" || ext == ".yml" || ext != ".py" && looksLikeYAML(data) {
		ex, err := extractYAML(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		f.Kind, f.Origin, f.Notes = ex.kind, ex.origin, ex.notes
		src, lines, hint = ex.source, ex.lines, ex.hint
	} else {
		f.Kind = KindPython
		src = string(data)
	}
	f.Source = src
	opts := pyread.Options{
		Env:      env,
		File:     fileForDunder(path, f.Kind, hint),
		Modules:  FABModules(),
		Call:     AirflowConfHook,
		MaxSteps: o.MaxSteps,
		Lines:    lines,
	}
	if f.Kind != KindPython {
		f.Notes = append(f.Notes, fmt.Sprintf("__file__ is taken to be %s, where the chart mounts the file", opts.File))
	}
	f.Module = pyread.Read(path, []byte(src), opts)
	f.buildSettings()
	f.Detected, f.DetectedReason = detectFlavor(f, hint)
	switch {
	case flag != "":
		f.Flavor, f.FlavorReason = flag, "set by --flavor "+o.Flavor
	case f.Detected != "":
		f.Flavor, f.FlavorReason = f.Detected, f.DetectedReason
	default:
		f.Flavor, f.FlavorReason = FlavorFAB, "nothing in the file names Airflow or Superset; plain Flask-AppBuilder assumed (use --flavor to choose)"
	}
	return f, nil
}

// fileForDunder is the value of __file__: the absolute path of a .py
// file, or where the Airflow chart mounts the file for YAML inputs.
func fileForDunder(path string, k Kind, hint extractHint) string {
	if hint.helmKey == "configOverrides" || hint.dataKey == "superset_config.py" {
		return "/app/pythonpath/superset_config.py"
	}
	if k != KindPython {
		return "/opt/airflow/webserver_config.py"
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

func (f *File) buildSettings() {
	imported := map[string]bool{}
	for _, im := range f.Module.Imports {
		imported[im.Alias] = true
	}
	f.byName = map[string]int{}
	for _, b := range f.Module.Bindings {
		if !pyread.IsUpperName(b.Name) {
			continue
		}
		f.byName[b.Name] = len(f.Settings)
		f.Settings = append(f.Settings, Setting{Name: b.Name, Value: b.Value, Line: b.Line,
			Conditional: b.Conditional, Known: KnownSetting(b.Name), Imported: imported[b.Name] && b.Source == ""})
	}
}

// SortedNames returns the setting names in alphabetical order.
func (f *File) SortedNames() []string {
	out := make([]string, 0, len(f.Settings))
	for _, s := range f.Settings {
		out = append(out, s.Name)
	}
	sort.Strings(out)
	return out
}

func looksLikeYAML(data []byte) bool {
	s := strings.TrimSpace(string(data[:min(len(data), 4096)]))
	return strings.HasPrefix(s, "apiVersion:") || strings.HasPrefix(s, "---") || strings.HasPrefix(s, "kind:")
}
