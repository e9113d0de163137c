// Package config loads a Flask-AppBuilder config input for the checks: a
// Python file (webserver_config.py, superset_config.py), a Helm values
// file (webserver.webserverConfig for Airflow 2, apiServer.apiServerConfig
// for Airflow 3, Superset's configOverrides) or a Kubernetes ConfigMap
// manifest holding webserver_config.py, possibly among other documents of
// a multi-document YAML file. It knows FAB (the import paths of the
// AUTH_* constants, airflow.configuration, which settings FAB reads, the
// flavours) but no Python syntax: reading the Python is pkg/pyread's job.
//
// It is the bridge between the reader (pkg/pyread, which knows Python and
// nothing of FAB) and FAB's semantics (pkg/fab, which knows FAB and no
// Python syntax): the only package that imports both.
//
// Entry points:
//
//	f, err := config.Load(path, opts)   // err wraps *fs.PathError for I/O
//	f.Profile                           // the flavour, versions and why
//	f.Config                            // what FAB reads: settings, imports, env
//	f.Setting("AUTH_TYPE")              // one upper-case module-level name
//	f.SyntaxErrors, f.Unresolved        // the read stage's facts (CFG001, CFG002)
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

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/pyread"
	"github.com/authdoctor/authdoctor/pkg/usercode"
)

// Kind is what the input file was.
type Kind string

const (
	KindPython    Kind = "python"
	KindHelm      Kind = "helm"
	KindConfigMap Kind = "configmap"
)

// File is a loaded config input.
type File struct {
	// Path is the file as given.
	Path string
	Kind Kind
	// Origin says where the Python came from inside a YAML file
	// ("webserver.webserverConfig", "ConfigMap airflow/x data
	// webserver_config.py"); empty for .py files.
	Origin string
	// Profile is the FAB/Airflow behaviour to simulate: the flavour, the
	// versions and why (--flavor, or what was detected from the file).
	// When the file does not tell the version, it is the newest plausible
	// one and Plausible lists all (Profile last): checks whose verdict
	// depends on the version are judged on each.
	Profile   fab.Profile
	Plausible []fab.Profile
	// Detected is what detection found (empty when nothing told), even
	// when --flavor overrode it, and DetectedReason why.
	Detected       []fab.Flavor
	DetectedReason string
	// Source is the Python source that was read.
	Source string
	Module *pyread.Module
	// Code is the user's own login code the config installs (nil when
	// none): Config.UserCode describes it, Code.Evaluator runs it.
	Code *usercode.Code
	// Config is what FAB reads from the file: the upper-case settings as
	// plain values, the imports, the deployment environment.
	Config *fab.Config
	// SyntaxErrors (CFG001) and Unresolved (CFG002) are the reader's
	// diagnostics.
	SyntaxErrors []fab.SyntaxError
	Unresolved   []fab.UnresolvedSetting
	// Env is the environment the file was read with.
	Env map[string]string
	// EnvSources describes where Env came from (no values).
	EnvSources []string
	// Notes are remarks about the input (template expressions, other
	// documents, chart values that were not used).
	Notes []string
	// templates are the Helm template actions of a values file that are
	// rendered at install time.
	templates []string
	// appended: the Python is a snippet a chart appends to its own base
	// config (configOverrides), which may define names it uses.
	appended bool

	// lines maps the Python's lines to the file's (nil for .py files) and
	// yamlText is the YAML file itself: Comments needs both.
	lines    []pyread.LineOrigin
	yamlText []byte
}

// Setting returns a setting by name.
func (f *File) Setting(name string) (fab.Setting, bool) {
	if f == nil || f.Config == nil {
		return fab.Setting{}, false
	}
	return f.Config.Get(name)
}

// Describe says what the input was, for people: "Python", "Helm values
// (webserver.webserverConfig)", "a ConfigMap (…)".
func (f *File) Describe() string {
	d := "Python"
	switch f.Kind {
	case KindHelm:
		d = "Helm values"
	case KindConfigMap:
		d = "a ConfigMap"
	}
	if f.Origin != "" {
		d += " (" + f.Origin + ")"
	}
	return d
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
	flag, err := fab.ParseFlavor(o.Flavor)
	if err != nil {
		return nil, usage(err)
	}
	env, sources, err := o.Environment()
	if err != nil {
		return nil, err
	}
	f := &File{Path: path, Env: env, EnvSources: sources}
	src, lines, hint, err := f.python(data)
	if err != nil {
		return nil, err
	}
	f.Source, f.lines = src, lines
	if f.Kind != KindPython {
		f.yamlText = data
	}
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
	var app *appRecorder
	read := func() {
		if mentionsClientLibrary([]byte(src)) {
			app = &appRecorder{}
			opts.HostModules = app.hostModules()
		}
		f.Module = pyread.Read(path, []byte(src), opts)
	}
	read()
	if f.Kind == KindPython {
		// Every action line is quoted at once; a further round only when
		// that uncovers more (bounded: a hostile file costs a few reads).
		for round := 0; round < 3; round++ {
			quoted, actions := quoteTemplateActions(src, f.Module)
			if len(actions) == 0 {
				break
			}
			src, f.Source, f.templates = quoted, quoted, append(f.templates, actions...)
			read()
		}
		if len(f.templates) > 0 {
			f.Notes = append(f.Notes, templateNote(f.templates))
		}
	}
	if f.readSiblings(&opts, o.Paths) {
		read()
	}
	if app != nil {
		app.evaluateViews(f.Module)
	}
	// Line numbers point into the given file: for YAML inputs, look
	// lines up there, not in the extracted Python.
	lineText := []byte(src)
	if f.Kind != KindPython {
		lineText = data
	}
	f.Config = fabConfig(f.Module, lineText, path)
	if app != nil {
		app.apply(f.Config)
		ifUnset(f.Config, path, []byte(src), opts)
	}
	f.Config.Env = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	unresolveTemplates(f.Config, f.templates)
	f.SyntaxErrors, f.Unresolved = diagnostics(f.Module)
	f.Unresolved = append(f.Unresolved, untakenProviders(f, env)...)
	ev, err := o.evidence()
	if err != nil {
		return nil, err
	}
	ev.withHelm(hint)
	d := detectFlavor(f, hint)
	f.Detected, f.DetectedReason = d.flavors, d.reason
	switch {
	case flag != "" && o.FlavorFrom != "":
		d = detection{flavors: []fab.Flavor{flag}, reason: "set by " + o.FlavorFrom}
	case flag != "":
		d = detection{flavors: []fab.Flavor{flag}, reason: "set by --flavor " + o.Flavor}
	default:
		d = ev.narrow(d)
		if len(d.flavors) == 0 {
			d = detection{flavors: []fab.Flavor{fab.FAB}, reason: "nothing in the file names Airflow or Superset; plain Flask-AppBuilder assumed (use --flavor to choose)"}
		}
	}
	if err := f.profiles(narrowByFlags(d, o), o, ev); err != nil {
		return nil, usage(err)
	}
	f.Code = f.userCode(opts, o.Paths)
	if f.Code != nil {
		f.Config.UserCode = f.Code.Info
	}
	f.plainApp(flag != "")
	return f, nil
}

// readSiblings adds to opts the values of the user's modules the file
// imports names from (beside it or on --path; siblingValues), and says
// which were read. It reports whether there were any: the file is then
// read again with them.
func (f *File) readSiblings(opts *pyread.Options, paths []string) bool {
	if f.Kind != KindPython || f.Path == "-" {
		return false
	}
	sib := siblingValues(f.Module, append([]string{filepath.Dir(f.Path)}, paths...), *opts)
	if len(sib) == 0 {
		return false
	}
	mods := make(map[string]map[string]any, len(opts.Modules)+len(sib))
	for k, v := range opts.Modules {
		mods[k] = v
	}
	names := make([]string, 0, len(sib))
	for k, v := range sib {
		mods[k] = v
		names = append(names, k)
	}
	sort.Strings(names)
	opts.Modules = mods
	f.Notes = append(f.Notes, fmt.Sprintf("values imported from the module(s) %s are read from the file(s) found beside the config or on --path (read, never run; their own imports are not followed)", strings.Join(names, ", ")))
	return true
}

// plainApp says so when the file is a Flask app with its own OAuth client
// and no Flask-AppBuilder settings: FAB's login is not what runs.
func (f *File) plainApp(flavorGiven bool) {
	_, auth := f.Config.Get("AUTH_TYPE")
	_, provs := f.Config.Get("OAUTH_PROVIDERS")
	if flavorGiven || auth || provs || len(f.Config.Clients) == 0 {
		return
	}
	libs := map[string]bool{}
	var names []string
	for _, c := range f.Config.Clients {
		if !libs[c.Library] {
			libs[c.Library] = true
			names = append(names, c.Library)
		}
	}
	f.Config.PlainApp = true
	f.Profile.Reason = "a Flask app that registers its own OAuth client (" + strings.Join(names, ", ") + ") and sets no Flask-AppBuilder login: its clients are checked; FAB's rules apply only to FAB settings it may have"
	f.Plausible[len(f.Plausible)-1].Reason = f.Profile.Reason
}

// userCode finds the security manager the config installs and the login
// steps it replaces; modules it imports are read with the config's own
// reader options (never executed), from the config's directory first,
// then each --path directory.
func (f *File) userCode(opts pyread.Options, paths []string) *usercode.Code {
	dirs := []string{filepath.Dir(f.Path)}
	if f.Path == "-" || f.Kind != KindPython {
		dirs = nil // stdin and YAML-embedded configs have no directory of modules
	}
	// the evaluator reads the modules again with its hosts (PyJWT,
	// requests, flask); the config itself keeps its lines (YAML)
	read := func(path string, src []byte, hosts map[string]pyread.Host) *pyread.Module {
		o := opts
		o.HostModules = hosts
		if path != f.Path {
			o.File, o.Lines = path, nil
		}
		return pyread.Read(path, src, o)
	}
	fd := &usercode.Finder{File: f.Path, Source: []byte(f.Source), Dirs: append(dirs, paths...), MaxSize: MaxFileSize, Read: read, Convert: Convert}
	return fd.Find(f.Module, f.Profile)
}

// profiles resolves the plausible flavours at the versions the flags and
// the evidence choose; the newest is the one simulated, and the reason
// says why and which others are checked.
func (f *File) profiles(d detection, o LoadOptions, ev evidence) error {
	for _, fl := range d.flavors {
		po, why := ev.options(fl, o)
		p, err := fab.NewProfile(fl, po)
		if err != nil {
			return err
		}
		p.Reason, p.Caveat = d.reason, d.caveat
		if len(why) > 0 {
			p.Reason += "; " + strings.Join(why, "; ")
		}
		f.Plausible = append(f.Plausible, p)
	}
	f.Profile = f.Plausible[len(f.Plausible)-1]
	if len(f.Plausible) > 1 {
		var others []string
		for _, p := range f.Plausible[:len(f.Plausible)-1] {
			others = append(others, p.Short)
		}
		f.Profile.Reason += fmt.Sprintf("; %s is simulated, and what differs on %s is said at info (--flavor chooses)", f.Profile.Short, strings.Join(others, " or "))
		f.Plausible[len(f.Plausible)-1] = f.Profile
	}
	return nil
}

// python finds the Python source in data: the file itself, or the config
// inside a Helm values file or ConfigMap, with the map from its lines to
// the file's and what the YAML said about the application.
func (f *File) python(data []byte) (string, []pyread.LineOrigin, extractHint, error) {
	ext := strings.ToLower(filepath.Ext(f.Path))
	// values.yaml.tpl, values.yaml.gotmpl: a template of a YAML file
	base := strings.ToLower(filepath.Base(f.Path))
	yamlTemplate := strings.Contains(base, ".yaml.") || strings.Contains(base, ".yml.")
	if ext == ".yaml" || ext == ".yml" || yamlTemplate || ext != ".py" && looksLikeYAML(data) {
		ex, err := extractYAML(data)
		if err != nil {
			return "", nil, extractHint{}, fmt.Errorf("%s: %w", f.Path, err)
		}
		f.Kind, f.Origin, f.Notes, f.templates, f.appended = ex.kind, ex.origin, ex.notes, ex.templates, ex.appended
		return ex.source, ex.lines, ex.hint, nil
	}
	f.Kind = KindPython
	return string(data), nil, extractHint{}, nil
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

func looksLikeYAML(data []byte) bool {
	s := strings.TrimSpace(string(data[:min(len(data), 4096)]))
	return strings.HasPrefix(s, "apiVersion:") || strings.HasPrefix(s, "---") || strings.HasPrefix(s, "kind:")
}
