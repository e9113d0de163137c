package fabload

import (
	"fmt"
	"github.com/authdoctor/authdoctor/pkg/lazyre"
	"os"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/spf13/cobra"
)

// Loaded is a config file ready for pkg/fab.
type Loaded struct {
	Config       *fab.Config
	SyntaxErrors []fab.SyntaxError
	Unresolved   []fab.UnresolvedSetting
	// File is what pkg/config read.
	File *config.File
	// Kind says what the file was ("Python", "Helm values …", "ConfigMap …").
	Kind string
}

// Options are pkg/config's reader options (--env, --env-file, --no-env,
// --flavor).
type Options = config.LoadOptions

// BindFlags adds pkg/config's flags: --env, --env-file, --no-env and
// --flavor (which also takes the finer values of fab.ParseFlavor).
func BindFlags(cmd *cobra.Command, o *Options) {
	config.BindFlags(cmd.Flags(), o, false)
	if f := cmd.Flags().Lookup("flavor"); f != nil {
		f.Usage = "which FAB/Airflow behaviour to simulate: " + fab.FlavorChoices + " (auto detects and says why)"
	}
}

// Load reads a FAB config file (.py, Helm values or a ConfigMap) through
// pkg/config.
func Load(path string, o Options) (*Loaded, error) {
	f, err := config.Load(path, o)
	if err != nil {
		return nil, err
	}
	return FromFile(f), nil
}

// FromFile converts what pkg/config read.
func FromFile(f *config.File) *Loaded {
	src := []byte(f.Source)
	if f.Kind != config.KindPython {
		// Line numbers point into the YAML file: look lines up there.
		if raw, err := os.ReadFile(f.Path); err == nil {
			src = raw
		}
	}
	cfg := FromModule(f.Module, src, f.Path)
	env := f.Env
	cfg.Env = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	l := &Loaded{Config: cfg, File: f, Kind: "Python"}
	switch f.Kind {
	case config.KindHelm:
		l.Kind = "Helm values"
	case config.KindConfigMap:
		l.Kind = "a ConfigMap"
	}
	if f.Origin != "" {
		l.Kind += " (" + f.Origin + ")"
	}
	l.SyntaxErrors, l.Unresolved = Diagnostics(f.Module)
	return l
}

var airflowVersionRe = lazyre.New(`airflowVersion (\d+\.\d+)`)

// ChooseProfile applies --flavor over pkg/config's detection, refining
// Airflow 2 into the vendored (2.2–2.8) and provider (2.9–2.10) flavours,
// and returns the profile and a sentence saying why this flavour was used.
func ChooseProfile(l *Loaded, flag string, po fab.ProfileOptions) (fab.Profile, string, error) {
	f, err := fab.ParseFlavor(flag)
	if err != nil {
		return fab.Profile{}, "", err
	}
	reason := ""
	if f != "" {
		reason = "--flavor " + flag
	} else {
		file := l.File
		coarse, why := config.Flavor(""), ""
		if file != nil {
			coarse, why = file.Flavor, file.FlavorReason
		}
		switch coarse {
		case config.FlavorAirflow3:
			f, reason = fab.Airflow3, why
		case config.FlavorSuperset:
			f, reason = fab.Superset, why
		case config.FlavorAirflow2:
			f, reason = airflow2(l, why)
		default:
			f, reason = fab.FAB, why
			if reason == "" {
				reason = "nothing in the file names Airflow or Superset; plain Flask-AppBuilder assumed (use --flavor to choose)"
			}
		}
	}
	p, err := fab.NewProfile(f, po)
	if err != nil {
		return fab.Profile{}, "", err
	}
	return p, reason, nil
}

// airflow2 picks between Airflow's vendored security manager (2.2–2.8)
// and the FAB provider 1.x (2.9–2.10).
func airflow2(l *Loaded, why string) (fab.Flavor, string) {
	if m := airflowVersionRe.FindStringSubmatch(why); m != nil {
		if f, err := fab.ParseFlavor("airflow-" + m[1]); err == nil && f != "" {
			return f, why
		}
	}
	for _, im := range l.Config.Imports {
		if strings.HasPrefix(im.Module, "airflow.www") {
			return fab.Airflow22, why + "; the vendored FAB security manager of Airflow 2.2–2.8 is simulated (use --flavor airflow-2.9 for 2.9/2.10)"
		}
	}
	return fab.Airflow29, fmt.Sprintf("%s; Airflow 2.9–2.10 (FAB provider 1.x) is simulated (use --flavor airflow-2.2 for 2.2–2.8)", why)
}
