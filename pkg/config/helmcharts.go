package config

import (
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// The Helm charts whose values hold a FAB config, told apart by their
// top-level keys (each chart's values.yaml):
//   - the official chart (apache/airflow chart/): webserver,
//     apiServer, airflowVersion, defaultAirflowTag, images;
//   - the community chart (airflow-helm/charts charts/airflow, 8.x):
//     airflow (image, config, users, legacyCommands …), web, scheduler,
//     workers, flower, dags;
//   - the Superset chart: configOverrides, supersetNode, supersetWorker.
const (
	chartOfficial  = "the official Apache Airflow chart"
	chartCommunity = "the community Airflow chart (airflow-helm/charts)"
	chartSuperset  = "the Superset chart"
)

// helmChart names the chart a values document is for ("" when it looks
// like none of them).
func helmChart(root *yaml.Node) string {
	has := func(keys ...string) bool {
		for _, k := range keys {
			if mapGet(root, k) != nil {
				return true
			}
		}
		return false
	}
	switch {
	case mapGet(mapGet(root, "web"), "webserverConfig") != nil || has("airflow") && has("web", "scheduler", "workers", "flower"):
		return chartCommunity
	case has("webserver", "apiServer", "airflowVersion", "defaultAirflowTag", "images"):
		return chartOfficial
	case has("configOverrides", "supersetNode", "supersetWorker"):
		return chartSuperset
	}
	return ""
}

// fromCommunityChart reads web.webserverConfig of the community chart.
// The chart (templates/config/secret-webserver-config.yaml) writes
// stringOverride into a Secret as is (b64enc, no tpl: its "{{" are
// literal Python), unless existingSecret names the Secret to mount, or
// enabled is false (nothing is mounted); with neither stringOverride nor
// existingSecret it mounts its own files/webserver_config.py (AUTH_DB).
// It returns the config, or why there is none here.
func fromCommunityChart(root *yaml.Node, raw []string, where string) (*extracted, string) {
	if helmChart(root) != chartCommunity {
		return nil, ""
	}
	wc := mapGet(mapGet(root, "web"), "webserverConfig") // nil: the chart's defaults
	if v := scalarOf(mapGet(wc, "enabled")); v == "false" {
		return nil, "web.webserverConfig.enabled is false" + where + ": the community chart mounts no webserver_config.py (the image's own is used)"
	}
	if sec := scalarOf(mapGet(wc, "existingSecret")); sec != "" {
		return nil, fmt.Sprintf("web.webserverConfig.existingSecret%s names the Secret %q: the config the pods mount lives in that Secret (key webserver_config.py), not in this file; read it with kubectl get secret %s -o jsonpath='{.data.webserver_config\\.py}' | base64 -d > webserver_config.py", where, sec, sec)
	}
	so := mapGet(wc, "stringOverride")
	if so == nil || so.Kind != yaml.ScalarNode || strings.TrimSpace(so.Value) == "" || so.Tag == "!!null" {
		return nil, "web.webserverConfig.stringOverride is empty" + where + ": the community chart mounts its own default webserver_config.py (AUTH_TYPE = AUTH_DB, no OAuth)"
	}
	ex := fromScalar(so, raw, nil)
	ex.kind = KindHelm
	ex.origin = "Helm value web.webserverConfig.stringOverride" + where + " (" + chartCommunity + ")"
	version, source := chartAirflowVersion(root)
	ex.hint = extractHint{helmKey: "web.webserverConfig.stringOverride", airflowVersion: version, versionSource: source}
	if scalarOf(mapGet(mapGet(root, "airflow"), "legacyCommands")) == "true" {
		ex.notes = append(ex.notes, "airflow.legacyCommands is true: the chart runs Airflow 1.10, which is not modelled (its RBAC UI is FAB 1.x/2.x)")
	}
	return ex, ""
}

// noConfig says why a YAML file holds no config: the chart it is for and
// what its values say, or what was looked for.
func noConfig(docs []*yaml.Node, notes []string) error {
	charts := map[string]bool{}
	for _, d := range docs {
		root := d
		if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
			root = root.Content[0]
		}
		if c := helmChart(root); c != "" {
			charts[c] = true
		}
	}
	msg := "looked for the Helm values webserver.webserverConfig and apiServer.apiServerConfig (" + chartOfficial + "), web.webserverConfig.stringOverride (" + chartCommunity + "), configOverrides (" + chartSuperset + "), and ConfigMap or Secret data keys ending in .py"
	switch {
	case charts[chartCommunity]:
		msg = "these are values of " + chartCommunity
	case charts[chartOfficial]:
		msg = "these are values of " + chartOfficial + ", and neither webserver.webserverConfig nor apiServer.apiServerConfig is set: the chart mounts no webserver_config.py of its own"
	case charts[chartSuperset]:
		msg = "these are values of " + chartSuperset + ", and configOverrides is empty"
	}
	if len(notes) > 0 {
		msg += "; " + strings.Join(notes, "; ")
	}
	return fmt.Errorf("%w: %s", ErrNoConfig, msg)
}
