package config

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
)

// supersetNames are settings only Superset reads.
var supersetNames = []string{"CUSTOM_SECURITY_MANAGER", "FEATURE_FLAGS", "SUPERSET_WEBSERVER_PORT", "SUPERSET_WEBSERVER_TIMEOUT",
	"SQLLAB_TIMEOUT", "SQLLAB_CTAS_NO_LIMIT", "ROW_LIMIT", "CELERY_CONFIG", "RESULTS_BACKEND", "TALISMAN_ENABLED",
	"DATA_CACHE_CONFIG", "FILTER_STATE_CACHE_CONFIG", "EXPLORE_FORM_DATA_CACHE_CONFIG", "MAPBOX_API_KEY"}

// detectFlavor decides the flavour from the file kind, imports, names and
// file name, and says why in a sentence. It returns "" when nothing tells.
// Airflow 2 is refined into its two code lines: the vendored security
// manager (2.2–2.8) and the FAB provider 1.x (2.9–2.10).
func detectFlavor(f *File, hint extractHint) (fab.Flavor, string) {
	app, why := detectApp(f, hint)
	switch app {
	case appAirflow3:
		return fab.Airflow3, why
	case appSuperset:
		return fab.Superset, why
	case appAirflow2:
		return airflow2(f, hint, why)
	}
	return "", why
}

// airflow2 picks between Airflow's vendored security manager (2.2–2.8)
// and the FAB provider 1.x (2.9–2.10): the chart's airflowVersion, else an
// import of airflow.www (the vendored manager's home).
func airflow2(f *File, hint extractHint, why string) (fab.Flavor, string) {
	if v := hint.airflowVersion; v != "" {
		if fl, err := fab.ParseFlavor("airflow-" + v); err == nil && fl != "" {
			return fl, why
		}
	}
	for _, im := range f.Module.Imports {
		if strings.HasPrefix(im.Module, "airflow.www") {
			return fab.Airflow22, why + "; the vendored FAB security manager of Airflow 2.2–2.8 is simulated (use --flavor airflow-2.9 for 2.9/2.10)"
		}
	}
	return fab.Airflow29, why + "; Airflow 2.9–2.10 (FAB provider 1.x) is simulated (use --flavor airflow-2.2 for 2.2–2.8)"
}

// app is the host application detection finds, before versions.
type app int

const (
	appUnknown app = iota
	appAirflow2
	appAirflow3
	appSuperset
)

func detectApp(f *File, hint extractHint) (app, string) {
	switch hint.helmKey {
	case "apiServer.apiServerConfig":
		return appAirflow3, "the Helm value apiServer.apiServerConfig is used by the Airflow chart for Airflow 3"
	case "webserver.webserverConfig":
		if major(hint.airflowVersion) == "3" {
			f.Notes = append(f.Notes, fmt.Sprintf("airflowVersion is %s: the chart does not use webserver.webserverConfig for Airflow 3; move it to apiServer.apiServerConfig", hint.airflowVersion))
			return appAirflow3, fmt.Sprintf("airflowVersion %s in the Helm values", hint.airflowVersion)
		}
		if hint.airflowVersion != "" {
			return appAirflow2, fmt.Sprintf("the Helm value webserver.webserverConfig with airflowVersion %s", hint.airflowVersion)
		}
		return appAirflow2, "the Helm value webserver.webserverConfig is used by the Airflow chart for Airflow 2"
	case "configOverrides":
		return appSuperset, "the Helm value configOverrides is the Superset chart's"
	}
	var airflowImport, providerImport, oidImport, supersetImport string
	for _, im := range f.Module.Imports {
		mod := im.Module
		switch {
		case strings.HasPrefix(mod, "airflow.www"):
			return appAirflow2, fmt.Sprintf("line %d imports %s, which exists only in Airflow 2 (airflow.www is gone in Airflow 3)", im.Line, mod)
		case mod == "superset" || strings.HasPrefix(mod, "superset."):
			return appSuperset, fmt.Sprintf("line %d imports %s", im.Line, mod)
		case strings.HasPrefix(mod, "superset_config"):
			if supersetImport == "" {
				supersetImport = fmt.Sprintf("line %d imports %s", im.Line, mod)
			}
		case strings.HasPrefix(mod, "airflow.providers.fab"):
			if providerImport == "" {
				providerImport = fmt.Sprintf("line %d imports %s", im.Line, mod)
			}
		case mod == "airflow" || strings.HasPrefix(mod, "airflow."):
			if airflowImport == "" {
				airflowImport = fmt.Sprintf("line %d imports %s", im.Line, mod)
			}
		}
		if im.Name == "AUTH_OID" && oidImport == "" {
			oidImport = fmt.Sprintf("line %d imports AUTH_OID, which Flask-AppBuilder 5 (used by Airflow 3) removed", im.Line)
		}
	}
	for _, n := range supersetNames {
		if s, ok := f.Setting(n); ok {
			return appSuperset, fmt.Sprintf("line %d sets %s, which only Superset reads", s.Line, n)
		}
	}
	if supersetImport != "" {
		return appSuperset, supersetImport
	}
	base := strings.ToLower(filepath.Base(f.Path))
	if hint.dataKey != "" {
		base = strings.ToLower(hint.dataKey)
	}
	switch {
	case oidImport != "":
		return appAirflow2, oidImport
	case providerImport != "":
		return appAirflow3, providerImport + " (the FAB auth manager provider); Airflow 3 assumed (use --flavor airflow2 for Airflow 2.9/2.10)"
	case airflowImport != "":
		return appAirflow3, airflowImport + "; no import tells the Airflow version, Airflow 3 assumed (use --flavor airflow2 for Airflow 2)"
	}
	if s, ok := f.Setting("SECURITY_MANAGER_CLASS"); ok {
		return appAirflow3, fmt.Sprintf("line %d sets SECURITY_MANAGER_CLASS, which only Airflow reads; Airflow 3 assumed (use --flavor airflow2 for Airflow 2)", s.Line)
	}
	switch {
	case strings.Contains(base, "superset"):
		return appSuperset, fmt.Sprintf("the file is named %s", base)
	case strings.Contains(base, "webserver_config"):
		how := "the file is named " + base
		if hint.dataKey != "" {
			how = "the ConfigMap key is " + base
		}
		return appAirflow3, how + ", Airflow's name for it; no import tells the Airflow version, Airflow 3 assumed (use --flavor airflow2 for Airflow 2)"
	case strings.Contains(base, "airflow"):
		return appAirflow3, "the file name " + base + " mentions Airflow; no import tells the Airflow version, Airflow 3 assumed (use --flavor airflow2 for Airflow 2)"
	}
	return appUnknown, ""
}
