package config

import (
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/fab"
)

func reqFile(name string) string  { return filepath.Join("..", "..", "testdata", "requirements", name) }
func helmFile(name string) string { return filepath.Join("..", "..", "testdata", "helm", name) }

// Requirement lines as pip reads them (PEP 508 names normalised by PEP
// 503: case, "_" and "." are the same as "-").
func TestRequirementLine(t *testing.T) {
	for line, want := range map[string][3]string{
		"apache-airflow==2.4.3":                                              {"apache-airflow", "==", "2.4.3"},
		"Flask_AppBuilder == 4.1.4  # pinned":                                {"flask-appbuilder", "==", "4.1.4"},
		"apache-airflow[celery,postgres]==2.4.3 ; python_version >= \"3.8\"": {"apache-airflow", "==", "2.4.3"},
		"authlib>=0.15":           {"authlib", ">=", "0.15"},
		"apache.superset===2.1.0": {"apache-superset", "===", "2.1.0"},
		"-r base.txt":             {"", "", ""},
		"flask-appbuilder @ file:///wheels/fab.whl": {"", "", ""},
		"flask-appbuilder>=4.3,<5":                  {"flask-appbuilder", ">=", ">=4.3,<5"},
	} {
		n, o, v := requirement(line)
		if [3]string{n, o, v} != want {
			t.Errorf("%q: %q %q %q, want %q", line, n, o, v, want)
		}
	}
}

func plausibleOf(f *File) []fab.Flavor {
	var out []fab.Flavor
	for _, p := range f.Plausible {
		out = append(out, p.Flavor)
	}
	return out
}

// --requirements chooses the flavour and versions (flags win); what a
// pin cannot decide is said in the reason.
func TestRequirementsChooseVersions(t *testing.T) {
	airflowFile := []byte("from airflow.configuration import conf\nAUTH_TYPE = 4\n")
	for _, c := range []struct {
		req, file string
		data      []byte
		o         LoadOptions
		flavors   []fab.Flavor
		check     func(fab.Profile) bool
		reason    []string
	}{
		{req: "requirements.txt", file: "webserver_config.py", data: airflowFile, flavors: []fab.Flavor{fab.Airflow22},
			check:  func(p fab.Profile) bool { return p.FABVersion == "" },
			reason: []string{"requirements.txt:2 says Airflow 2.4.3", "flask-appbuilder 4.1.4 (requirements.txt:3) is installed, but it does not choose the code", "requirements.txt:4 asks for authlib>=0.15"}},
		{req: "pip-freeze.txt", file: "webserver_config.py", data: airflowFile, flavors: []fab.Flavor{fab.Airflow29},
			check: func(p fab.Profile) bool {
				return p.ProviderVersion == "1.5.2" && p.Authlib == "1.3.1" && !p.NoIDTokenParse
			},
			reason: []string{"Airflow 2.10.4", "apache-airflow-providers-fab 1.5.2 from pip-freeze.txt:3", "authlib 1.3.1"}},
		{req: "constraints-3.0.txt", file: "webserver_config.py", data: airflowFile, flavors: []fab.Flavor{fab.Airflow3},
			// providers-fab < 2.2.0 has no generic OIDC fallback (spec §8.0).
			check:  func(p fab.Profile) bool { return p.ProviderVersion == "2.0.2" && p.Unknown == fab.UnknownEmpty },
			reason: []string{"constraints-3.0.txt:3 says apache-airflow-providers-fab 2.0.2"}},
		{req: "superset.txt", file: "superset_config.py", data: []byte("AUTH_TYPE = 4\n"), flavors: []fab.Flavor{fab.Superset},
			// authlib 0.15 does not parse the id_token (spec §5.1).
			check: func(p fab.Profile) bool {
				return p.FABVersion == "4.3.0" && p.NoIDTokenParse && p.Unknown == fab.UnknownEmpty
			},
			reason: []string{"Flask-AppBuilder 4.3.0 from superset.txt:2"}},
		{req: "requirements.txt", file: "webserver_config.py", data: airflowFile, o: LoadOptions{Flavor: "airflow-2.0", FABVersion: "3.2.1"},
			flavors: []fab.Flavor{fab.Airflow20}, check: func(p fab.Profile) bool { return p.FABVersion == "3.2.1" && p.OktaFlaskOAuthlibData },
			reason: []string{"set by --flavor airflow-2.0", "Flask-AppBuilder 3.2.1 set by --fab-version"}},
	} {
		o := c.o
		o.NoEnv, o.Requirements = true, reqFile(c.req)
		f, err := Parse(c.file, c.data, o)
		if err != nil {
			t.Errorf("%s: %v", c.req, err)
			continue
		}
		if got := plausibleOf(f); !reflect.DeepEqual(got, c.flavors) || !c.check(f.Profile) {
			t.Errorf("%s: %v %+v", c.req, got, f.Profile)
		}
		for _, r := range c.reason {
			if !strings.Contains(f.Profile.Reason, r) {
				t.Errorf("%s: reason %q lacks %q", c.req, f.Profile.Reason, r)
			}
		}
	}
	// A flag that contradicts the evidence is a usage error naming the range.
	_, err := Parse("webserver_config.py", airflowFile, LoadOptions{NoEnv: true, Requirements: reqFile("pip-freeze.txt"), FabProvider: "3.8.1"})
	var u *cmdutil.UsageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "1.0.0 up to (not including) 2.0.0") {
		t.Errorf("--fab-provider 3.8.1 on Airflow 2.10: %v", err)
	}
	// An unreadable file is an input error (exit 3), not a usage error.
	_, err = Parse("webserver_config.py", airflowFile, LoadOptions{NoEnv: true, Requirements: reqFile("missing.txt")})
	var pe *fs.PathError
	if !errors.As(err, &pe) || errors.As(err, &u) {
		t.Errorf("missing --requirements: %v", err)
	}
}

// A version flag narrows the plausible flavours to those it applies to;
// when it applies to none, a usage error says why.
func TestVersionFlagsNarrow(t *testing.T) {
	anyAirflow := []byte("from airflow.configuration import conf\n")
	f, err := Parse("webserver_config.py", anyAirflow, LoadOptions{NoEnv: true, FABVersion: "3.1.1"})
	if err != nil || !reflect.DeepEqual(plausibleOf(f), []fab.Flavor{fab.Airflow20}) || !f.Profile.PreRolesMapping {
		t.Errorf("--fab-version 3.1.1: %v %v", plausibleOf(f), err)
	}
	f, err = Parse("webserver_config.py", anyAirflow, LoadOptions{NoEnv: true, FabProvider: "1.5.0"})
	if err != nil || !reflect.DeepEqual(plausibleOf(f), []fab.Flavor{fab.Airflow29}) {
		t.Errorf("--fab-provider 1.5.0: %v %v", plausibleOf(f), err)
	}
	provider := []byte("from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride\n")
	_, err = Parse("webserver_config.py", provider, LoadOptions{NoEnv: true, FABVersion: "4.5.0"})
	var u *cmdutil.UsageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "--fab-version does not apply to airflow-2.9") {
		t.Errorf("--fab-version on the provider: %v", err)
	}
}

// Imports that exist only in some versions (apache/airflow: the 2.8
// auth manager airflow.auth.managers.fab, moved to the provider in 2.9).
func TestImportDetection28(t *testing.T) {
	f, err := Parse("webserver_config.py", []byte("from airflow.auth.managers.fab.security_manager.override import FabAirflowSecurityManagerOverride\n"), LoadOptions{NoEnv: true})
	if err != nil || !reflect.DeepEqual(plausibleOf(f), []fab.Flavor{fab.Airflow22, fab.Airflow29}) || !strings.Contains(f.Profile.Reason, "Airflow 2.8") {
		t.Errorf("%v %s %v", plausibleOf(f), f.Profile.Reason, err)
	}
}

// The community chart (airflow-helm/charts templates/config/
// secret-webserver-config.yaml; values.yaml web.webserverConfig and
// airflow.image.tag).
func TestCommunityChart(t *testing.T) {
	f, err := Load(helmFile("community-values-oauth.yaml"), LoadOptions{NoEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	// Airflow 2.1.4 installs Flask-AppBuilder ≥ 3.3.2 (#17208).
	if f.Kind != KindHelm || !strings.Contains(f.Origin, "web.webserverConfig.stringOverride") || f.Profile.Flavor != fab.Airflow20 ||
		f.Profile.FABVersion != "3.3.2" || !strings.Contains(f.Profile.Reason, "airflow.image.tag 2.1.4") {
		t.Errorf("%s %s %s (%s)", f.Kind, f.Origin, f.Profile.Flavor, f.Profile.Reason)
	}
	if s, ok := f.Setting("AUTH_ROLES_MAPPING"); !ok || s.Line != lineOfText(t, helmFile("community-values-oauth.yaml"), "AUTH_ROLES_MAPPING") {
		t.Errorf("AUTH_ROLES_MAPPING at %d", s.Line)
	}
	// Airflow 2.0.1 pins flask-appbuilder ~=3.1.1: no role mapping. The
	// chart does not render stringOverride through tpl: "{{" stays.
	f, err = Load(helmFile("community-values-airflow20.yaml"), LoadOptions{NoEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	if f.Profile.FABVersion != "3.1.1" || !f.Profile.PreRolesMapping {
		t.Errorf("2.0.1: %+v", f.Profile)
	}
	if s, _ := f.Setting("OAUTH_PROVIDERS"); !strings.Contains(fab.Repr(s.Value), "{{ .Values.notRendered }}") {
		t.Errorf("stringOverride was rendered: %s", fab.Repr(s.Value))
	}
	for name, want := range map[string]string{
		"community-values-existing-secret.yaml": `the config the pods mount lives in that Secret (key webserver_config.py)`,
		"community-values-default.yaml":         "mounts its own default webserver_config.py (AUTH_TYPE = AUTH_DB",
		"official-values-no-config.yaml":        "values of the official Apache Airflow chart, and neither webserver.webserverConfig nor apiServer.apiServerConfig is set",
	} {
		_, err := Load(helmFile(name), LoadOptions{NoEnv: true})
		if !errors.Is(err, ErrNoConfig) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
