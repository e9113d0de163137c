package config

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
)

// supersetNames are settings only Superset reads.
var supersetNames = []string{"CUSTOM_SECURITY_MANAGER", "FEATURE_FLAGS", "SUPERSET_WEBSERVER_PORT", "SUPERSET_WEBSERVER_TIMEOUT",
	"SQLLAB_TIMEOUT", "SQLLAB_CTAS_NO_LIMIT", "ROW_LIMIT", "CELERY_CONFIG", "RESULTS_BACKEND", "TALISMAN_ENABLED",
	"DATA_CACHE_CONFIG", "FILTER_STATE_CACHE_CONFIG", "EXPLORE_FORM_DATA_CACHE_CONFIG", "MAPBOX_API_KEY"}

// Sets of code lines a piece of evidence leaves plausible (spec §0).
var (
	anyAirflow  = []fab.Flavor{fab.Airflow20, fab.Airflow22, fab.Airflow29, fab.Airflow3}
	airflow2    = []fab.Flavor{fab.Airflow20, fab.Airflow22, fab.Airflow29}
	fabProvider = []fab.Flavor{fab.Airflow29, fab.Airflow3}
	// airflow28: airflow.auth.managers.fab is the FAB auth manager of
	// Airflow 2.8 (the docs of that release import
	// FabAirflowSecurityManagerOverride from it); 2.9 moved it to the
	// provider (whether 2.9/2.10 keep the old path as an alias is
	// unconfirmed), Airflow 3 has neither.
	airflow28 = []fab.Flavor{fab.Airflow22, fab.Airflow29}
)

// detection is what the file says about the application that reads it:
// the code lines still plausible (the FAB security manager that runs:
// several when the version is not known) and why, in a sentence.
type detection struct {
	flavors []fab.Flavor
	reason  string
	// caveat says where the simulated code may differ from the version
	// the evidence points to (fab.Profile.Caveat).
	caveat string
}

// detectFlavor decides which code lines may read the file, from the
// strongest evidence there is: the Helm chart's keys and versions,
// imports, settings only one application reads, and last the file name.
// It returns no flavour when nothing tells.
func detectFlavor(f *File, hint extractHint) detection {
	d := detectApp(f, hint)
	return withoutAirflow3IfOID(f, d)
}

func detectApp(f *File, hint extractHint) detection {
	if d, ok := fromHelm(f, hint); ok {
		return d
	}
	if d, ok := fromImports(f); ok {
		return d
	}
	for _, n := range supersetNames {
		if s, ok := f.Setting(n); ok {
			return detection{flavors: []fab.Flavor{fab.Superset}, reason: fmt.Sprintf("line %d sets %s, which only Superset reads", s.Line, n)}
		}
	}
	if s, ok := f.Setting("SECURITY_MANAGER_CLASS"); ok {
		return detection{flavors: anyAirflow, reason: fmt.Sprintf("line %d sets SECURITY_MANAGER_CLASS, which only Airflow reads; nothing tells the Airflow version", s.Line)}
	}
	return fromFileName(f, hint)
}

// fromHelm: the chart's key decides the application; airflowVersion or
// an image tag the version.
func fromHelm(f *File, hint extractHint) (detection, bool) {
	v, src := hint.airflowVersion, hint.versionSource
	switch hint.helmKey {
	case "apiServer.apiServerConfig":
		return detection{flavors: []fab.Flavor{fab.Airflow3}, reason: "the Helm value apiServer.apiServerConfig is used by the Airflow chart for Airflow 3"}, true
	case "web.webserverConfig.stringOverride":
		if fl, ok := fab.AirflowFlavor(v); ok {
			return detection{flavors: []fab.Flavor{fl}, reason: fmt.Sprintf("the Helm value web.webserverConfig.stringOverride (community chart) with %s %s", src, v)}, true
		}
		return detection{flavors: airflow2, reason: "the Helm value web.webserverConfig.stringOverride is the community chart's, which runs Airflow 2 (its 8.x values); nothing tells which 2.x"}, true
	case "configOverrides":
		return detection{flavors: []fab.Flavor{fab.Superset}, reason: "the Helm value configOverrides is the Superset chart's"}, true
	}
	if strings.HasPrefix(hint.helmKey, "superset.") || strings.Contains(hint.helmKey, ".superset") || strings.Contains(strings.ToLower(hint.helmKey), "supersetconfig") {
		return detection{flavors: []fab.Flavor{fab.Superset}, reason: "the Helm value " + hint.helmKey + " is named for Superset"}, true
	}
	switch hint.helmKey {
	case "webserver.webserverConfig":
		if major(v) == "3" {
			f.Notes = append(f.Notes, fmt.Sprintf("%s is %s: the chart does not use webserver.webserverConfig for Airflow 3; move it to apiServer.apiServerConfig", src, v))
			return detection{flavors: []fab.Flavor{fab.Airflow3}, reason: fmt.Sprintf("%s %s in the Helm values", src, v)}, true
		}
		if fl, err := fab.ParseFlavor("airflow-" + v); v != "" && err == nil && fl != "" {
			return detection{flavors: []fab.Flavor{fl}, reason: fmt.Sprintf("the Helm value webserver.webserverConfig with %s %s", src, v)}, true
		}
		return detection{flavors: airflow2, reason: "the Helm value webserver.webserverConfig is used by the Airflow chart for Airflow 2; nothing tells which 2.x"}, true
	}
	return detection{}, false
}

// fromImports: modules that exist only in some versions. Every such
// import narrows the plausible code lines (a file importing both
// airflow.www.fab_security and airflow.auth.managers.fab runs only on
// Airflow 2.8); the first import of each kind gives the reason.
func fromImports(f *File) (detection, bool) {
	var airflowImport, providerImport string
	var sets [][]fab.Flavor
	var why []string
	narrow := func(fl []fab.Flavor, reason string) {
		sets, why = append(sets, fl), append(why, reason)
	}
	seen := map[string]bool{}
	for _, im := range f.Module.Imports {
		mod := im.Module
		kind := ""
		switch {
		case strings.HasPrefix(mod, "airflow.www.fab_security"):
			kind = "fab_security"
			if !seen[kind] {
				narrow([]fab.Flavor{fab.Airflow22}, fmt.Sprintf("line %d imports %s, the FAB security manager Airflow vendored in 2.2–2.8 (gone in 2.9)", im.Line, mod))
			}
		case strings.HasPrefix(mod, "airflow.www"):
			kind = "www"
			if !seen[kind] {
				narrow(airflow2, fmt.Sprintf("line %d imports %s, which exists only in Airflow 2 (airflow.www is gone in Airflow 3)", im.Line, mod))
			}
		case mod == "superset" || strings.HasPrefix(mod, "superset."), strings.HasPrefix(mod, "superset_config"):
			return detection{flavors: []fab.Flavor{fab.Superset}, reason: fmt.Sprintf("line %d imports %s", im.Line, mod)}, true
		case strings.HasPrefix(mod, "airflow.auth.managers.fab"):
			kind = "managers.fab"
			if !seen[kind] {
				narrow(airflow28, fmt.Sprintf("line %d imports %s, the FAB auth manager of Airflow 2.8 (moved to apache-airflow-providers-fab in 2.9, gone in Airflow 3)", im.Line, mod))
			}
		case strings.HasPrefix(mod, "airflow.providers.fab"):
			providerImport = first(providerImport, fmt.Sprintf("line %d imports %s (the FAB auth manager provider, Airflow 2.9 and later)", im.Line, mod))
		case mod == "airflow" || strings.HasPrefix(mod, "airflow."):
			airflowImport = first(airflowImport, fmt.Sprintf("line %d imports %s", im.Line, mod))
		}
		seen[kind] = true
	}
	if len(sets) > 0 {
		keep := sets[0]
		for _, s := range sets[1:] {
			if both := intersect(keep, s); len(both) > 0 {
				keep = both
			}
		}
		d := detection{flavors: keep, reason: strings.Join(why, "; ")}
		if slices.Equal(keep, airflow2) {
			d.reason += "; nothing tells which 2.x"
		}
		if seen["managers.fab"] && len(keep) == 1 && keep[0] == fab.Airflow22 {
			d.reason += "; together: Airflow 2.8"
			d.caveat = "the file is for Airflow 2.8, whose login code (airflow.auth.managers.fab) is simulated as the 2.2–2.8 vendored copy; 2.8's own copy is not modelled and may read claims differently"
		}
		return d, true
	}
	switch {
	case providerImport != "":
		return detection{flavors: fabProvider, reason: providerImport + "; nothing tells 2.9/2.10 from 3"}, true
	case airflowImport != "":
		return detection{flavors: anyAirflow, reason: airflowImport + "; nothing tells the Airflow version"}, true
	}
	return detection{}, false
}

// intersect keeps the flavours of a that b has too.
func intersect(a, b []fab.Flavor) []fab.Flavor {
	var out []fab.Flavor
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// fromFileName is the weakest hint: the name the file or ConfigMap key
// has.
func fromFileName(f *File, hint extractHint) detection {
	base, how := strings.ToLower(filepath.Base(f.Path)), "the file is named "
	if hint.dataKey != "" {
		base, how = strings.ToLower(hint.dataKey), "the ConfigMap key is "
	}
	switch {
	case strings.Contains(base, "superset"):
		return detection{flavors: []fab.Flavor{fab.Superset}, reason: how + base}
	case strings.Contains(base, "webserver_config"):
		return detection{flavors: anyAirflow, reason: how + base + ", Airflow's name for it; nothing tells the Airflow version"}
	case strings.Contains(base, "airflow"):
		return detection{flavors: anyAirflow, reason: "the file name " + base + " mentions Airflow; nothing tells the Airflow version"}
	}
	return detection{}
}

func first(have, s string) string {
	if have != "" {
		return have
	}
	return s
}

// withoutAirflow3IfOID: a file that imports AUTH_OID does not start on
// Airflow 3 (Flask-AppBuilder 5 removed it), so Airflow 3 is not a
// plausible reader of it unless nothing else is.
func withoutAirflow3IfOID(f *File, d detection) detection {
	if len(d.flavors) < 2 {
		return d
	}
	for _, im := range f.Module.Imports {
		if im.Name != "AUTH_OID" {
			continue
		}
		var keep []fab.Flavor
		for _, fl := range d.flavors {
			if fl != fab.Airflow3 {
				keep = append(keep, fl)
			}
		}
		d.flavors = keep
		d.reason += fmt.Sprintf("; line %d imports AUTH_OID, which Flask-AppBuilder 5 (Airflow 3) removed", im.Line)
		break
	}
	return d
}
