package fabload

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/pyread"
	"github.com/spf13/cobra"
)

// Loaded is a config file ready for pkg/fab.
type Loaded struct {
	Config       *fab.Config
	SyntaxErrors []fab.SyntaxError
	Unresolved   []fab.UnresolvedSetting
	// Detected is the flavour detected from the file ("" when nothing
	// tells) and Reason says why.
	Detected fab.Flavor
	Reason   string
	// Kind says what the file was ("Python", "Helm values", "ConfigMap").
	Kind string
}

// Options are the reader options shared by lint and roles.
type Options struct {
	Env      []string
	EnvFiles []string
	NoEnv    bool
	// Getenv is the process environment (nil: none).
	Getenv func(string) (string, bool)
}

// BindFlags adds --flavor, --env, --env-file and --no-env.
func BindFlags(cmd *cobra.Command, o *Options, flavor *string) {
	fl := cmd.Flags()
	fl.StringVar(flavor, "flavor", "auto", "which FAB/Airflow behaviour to simulate: "+fab.FlavorChoices)
	fl.StringArrayVar(&o.Env, "env", nil, "KEY=VALUE for os.environ / os.getenv in the config (repeatable)")
	fl.StringArrayVar(&o.EnvFiles, "env-file", nil, "a file of KEY=VALUE lines for os.environ (repeatable)")
	fl.BoolVar(&o.NoEnv, "no-env", false, "do not use the process environment for os.environ")
	o.Getenv = os.LookupEnv
}

// env builds the environment the reader sees.
func (o Options) env() (map[string]string, error) {
	env := map[string]string{}
	if !o.NoEnv && o.Getenv != nil {
		for _, kv := range os.Environ() {
			if k, v, ok := strings.Cut(kv, "="); ok {
				env[k] = v
			}
		}
	}
	for _, f := range o.EnvFiles {
		b, err := cmdutil.ReadFile(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		n := 0
		for sc.Scan() {
			n++
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			line = strings.TrimPrefix(line, "export ")
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return nil, cmdutil.Usagef("--env-file %s:%d: want KEY=VALUE", f, n)
			}
			env[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	for _, kv := range o.Env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, cmdutil.Usagef("--env %q: want KEY=VALUE", kv)
		}
		env[k] = v
	}
	return env, nil
}

// fabModules are the constants config files import (spec §1.1).
func fabModules() map[string]map[string]any {
	auth := map[string]any{"AUTH_OID": int64(0), "AUTH_DB": int64(1), "AUTH_LDAP": int64(2), "AUTH_REMOTE_USER": int64(3), "AUTH_OAUTH": int64(4), "AUTH_SAML": int64(5)}
	m := map[string]map[string]any{}
	for _, mod := range []string{"flask_appbuilder.const", "flask_appbuilder.security.manager",
		"airflow.www.fab_security.manager", "airflow.providers.fab.auth_manager.security_manager.override"} {
		m[mod] = auth
	}
	return m
}

// Load reads a FAB config file.
func Load(path string, o Options) (*Loaded, error) {
	src, err := cmdutil.ReadFile(path)
	if err != nil {
		return nil, err
	}
	env, err := o.env()
	if err != nil {
		return nil, err
	}
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".yaml" || ext == ".yml" {
		return nil, cmdutil.Jobf("%s: reading Helm values and ConfigMaps needs the config reader (pkg/config), which is not wired yet", path)
	}
	m := pyread.Read(path, src, pyread.Options{Env: env, File: path, Modules: fabModules()})
	cfg := FromModule(m, src, path)
	cfg.Env = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	l := &Loaded{Config: cfg, Kind: "Python"}
	l.SyntaxErrors, l.Unresolved = Diagnostics(m)
	l.Detected, l.Reason = detect(cfg, path)
	return l, nil
}

// detect guesses the flavour from imports, names and the file name.
func detect(cfg *fab.Config, path string) (fab.Flavor, string) {
	for _, im := range cfg.Imports {
		switch {
		case strings.HasPrefix(im.Module, "airflow.providers.fab"):
			return fab.Airflow3, fmt.Sprintf("line %d imports %s (the FAB provider); Airflow 3 assumed — pass --flavor airflow-2.9 for 2.9/2.10", im.Line, im.Module)
		case strings.HasPrefix(im.Module, "airflow.www"):
			return fab.Airflow22, fmt.Sprintf("line %d imports %s, which exists only in Airflow 2", im.Line, im.Module)
		case strings.HasPrefix(im.Module, "superset"):
			return fab.Superset, fmt.Sprintf("line %d imports %s", im.Line, im.Module)
		}
	}
	if _, ok := cfg.Get("CUSTOM_SECURITY_MANAGER"); ok {
		return fab.Superset, "CUSTOM_SECURITY_MANAGER is Superset's setting"
	}
	base := strings.ToLower(filepath.Base(path))
	if strings.Contains(base, "superset") {
		return fab.Superset, "the file name says superset"
	}
	if strings.Contains(base, "webserver_config") || strings.Contains(base, "airflow") {
		return fab.Airflow3, "the file name says Airflow; Airflow 3 assumed (pass --flavor airflow2 for Airflow 2)"
	}
	return "", ""
}

// ChooseProfile applies --flavor over the detected flavour and returns
// the profile and a sentence saying why this flavour was used.
func ChooseProfile(l *Loaded, flag string, po fab.ProfileOptions) (fab.Profile, string, error) {
	f, err := fab.ParseFlavor(flag)
	if err != nil {
		return fab.Profile{}, "", err
	}
	reason := ""
	switch {
	case f != "":
		reason = "--flavor " + flag
	case l.Detected != "":
		f, reason = l.Detected, "detected: "+l.Reason
	default:
		f, reason = fab.Airflow3, "nothing in the file tells the host application; Airflow 3 (the newest FAB provider) assumed — pass --flavor to choose"
	}
	p, err := fab.NewProfile(f, po)
	if err != nil {
		return fab.Profile{}, "", err
	}
	return p, reason, nil
}
