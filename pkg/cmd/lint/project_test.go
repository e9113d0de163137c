package lint_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/lint/project/.authdoctor.yaml: flavor airflow2, fail-on
// warning, CFG009 ignored everywhere (line 5), CFG006 in deploy/*.py
// (line 6), an entry for other/** (line 9, no file linted there) and a
// stale one (line 12).
func TestLint_ProjectFile(t *testing.T) {
	deploy := testdataLint(t, "project/deploy/webserver_config.py")
	root := testdataLint(t, "project/webserver_config.py")
	projectFile := testdataLint(t, "project/.authdoctor.yaml")

	d, code, _ := lintRun(t, "", deploy)
	if got := suppressedAt(d.Suppressed); got != "CFG006@7<project:6 CFG009@6<project:5" {
		t.Errorf("suppressed %s", got)
	}
	for _, s := range d.Suppressed {
		if s.Suppression.File != projectFile {
			t.Errorf("suppression file %q", s.Suppression.File)
		}
		if s.ID == "CFG006" && s.Suppression.Reason != "the chart mounts the real key from a Secret" {
			t.Errorf("reason %q", s.Suppression.Reason)
		}
	}
	// Only the stale entry is reported; other/** matched no linted file.
	if got := at(d.Findings); got != "CFG017@12" || d.Findings[0].Subject.File != projectFile {
		t.Errorf("findings %s (%+v)", got, d.Findings)
	}
	if code != 0 {
		t.Errorf("exit %d: an info finding does not reach the project's fail-on warning", code)
	}
	if f := d.Result.Files[0]; f.Flavor != "airflow-2.9" || !strings.Contains(f.FlavorReason, "flavor: airflow2 in "+projectFile+":2") {
		t.Errorf("flavour %s (%s)", f.Flavor, f.FlavorReason)
	}

	// Outside deploy/ the CFG006 entry does not apply: the warning stays
	// and the project's fail-on: warning fails the run …
	d, code, _ = lintRun(t, "", root, deploy)
	if got := at(d.Findings); got != "CFG006@7 CFG017@12" || d.Findings[0].Subject.File != root {
		t.Errorf("findings %s", got)
	}
	if code != 1 {
		t.Errorf("exit %d, want 1 from the project's fail-on: warning", code)
	}
	// … unless the command line says otherwise: flags win.
	if _, code, _ = lintRun(t, "", "--fail-on", "error", root); code != 0 {
		t.Errorf("--fail-on error: exit %d", code)
	}
	d, _, _ = lintRun(t, "", "--flavor", "airflow3", root)
	if f := d.Result.Files[0]; f.Flavor != "airflow-3" || !strings.Contains(f.FlavorReason, "--flavor") {
		t.Errorf("--flavor airflow3 lost to the project file: %s (%s)", f.Flavor, f.FlavorReason)
	}
}

// write creates files under dir (directories ending in "/").
func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const csrfOffConfig = "from flask_appbuilder.const import AUTH_DB\nAUTH_TYPE = AUTH_DB\nWTF_CSRF_ENABLED = False\n"

// The project file is searched upward from each file and the search stops
// at the repository root (.git, a directory or a worktree's file).
func TestLint_ProjectFileSearch(t *testing.T) {
	tmp := t.TempDir()
	write(t, tmp, map[string]string{
		".authdoctor.yaml":               "ignore: [CFG009]\n",
		"repo/.git/":                     "",
		"repo/a/b/webserver_config.py":   csrfOffConfig,
		"worktree/.git":                  "gitdir: /elsewhere\n",
		"worktree/x/webserver_config.py": csrfOffConfig,
		"plain/x/y/webserver_config.py":  csrfOffConfig,
	})
	silenced := func(file string) bool {
		d, _, stderr := lintRun(t, "", "--flavor", "airflow2", filepath.Join(tmp, filepath.FromSlash(file)))
		if stderr != "" {
			t.Fatalf("%s: %s", file, stderr)
		}
		return d.Summary["suppressed"] == 1
	}
	if silenced("repo/a/b/webserver_config.py") || silenced("worktree/x/webserver_config.py") {
		t.Error("the search crossed a repository root")
	}
	if !silenced("plain/x/y/webserver_config.py") {
		t.Error("the project file two directories up was not found")
	}
	// The nearest one wins; the repository root's own file counts.
	write(t, tmp, map[string]string{"repo/.authdoctor.yaml": "ignore: [CFG009]\n"})
	if !silenced("repo/a/b/webserver_config.py") {
		t.Error("the repository root's project file was not found")
	}
	write(t, tmp, map[string]string{"repo/a/.authdoctor.yaml": "fail-on: never\n"})
	if silenced("repo/a/b/webserver_config.py") {
		t.Error("a farther project file was used instead of the nearest")
	}
}

// --config-file names the project file; a missing one is exit 3 naming
// it, a malformed one exit 2 naming file:line.
func TestLint_ConfigFileFlag(t *testing.T) {
	tmp := t.TempDir()
	write(t, tmp, map[string]string{
		".git/":               "",
		".authdoctor.yaml":    "ignore: [CFG009]\n",
		"ci.yaml":             "fail-on: never\n",
		"webserver_config.py": csrfOffConfig,
		"bad-key.yaml":        "flavor: airflow2\nignore_list: [CFG009]\n",
		"bad-yaml.yaml":       "flavor: airflow2\nignore:\n\t- CFG009\n",
		"bad-check.yaml":      "ignore:\n  - CFG009\n  - path: x.py\n    checks: [CFG06]\n",
		"bad-fail-on.yaml":    "\nfail-on: warnings\n",
		"bad-flavor.yaml":     "flavor: airflow4\n",
		"bad-entry.yaml":      "ignore:\n  - path: x.py\n    reason: no checks\n",
		"bad-pattern.yaml":    "ignore:\n  - path: \"[x\"\n    checks: [CFG009]\n",
		"bad-env.yaml":        "env:\n  - {A: b}\n",
	})
	cfg := filepath.Join(tmp, "webserver_config.py")
	d, code, _ := lintRun(t, "", "--config-file", filepath.Join(tmp, "ci.yaml"), cfg)
	if d.Summary["suppressed"] != 0 || len(d.Findings) != 1 || code != 0 {
		t.Errorf("--config-file: the found project file was used, or fail-on: never ignored: exit %d %v", code, d.Summary)
	}
	missing := filepath.Join(tmp, "nope.yaml")
	if _, code, stderr := lintRun(t, "", "--config-file", missing, cfg); code != 3 || !strings.Contains(stderr, missing) {
		t.Errorf("missing --config-file: exit %d %s", code, stderr)
	}
	for file, want := range map[string]string{
		"bad-key.yaml":     `bad-key.yaml:2: unknown setting "ignore_list"`,
		"bad-yaml.yaml":    "bad-yaml.yaml:3: not valid YAML: found character that cannot start any token",
		"bad-check.yaml":   `bad-check.yaml:4: ignore: "CFG06" is not a check ID or name; did you mean CFG006`,
		"bad-fail-on.yaml": `bad-fail-on.yaml:2: fail-on must be error, warning, info or never, not "warnings"`,
		"bad-flavor.yaml":  `bad-flavor.yaml:1: flavor "airflow4" is not one of`,
		"bad-entry.yaml":   "bad-entry.yaml:2: an ignore entry needs checks",
		"bad-pattern.yaml": `bad-pattern.yaml:2: path "[x" is not a valid pattern`,
		"bad-env.yaml":     "bad-env.yaml:2: env: each entry is a single value",
	} {
		_, code, stderr := lintRun(t, "", "--config-file", filepath.Join(tmp, file), cfg)
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, %q, want %q", file, code, stderr, want)
		}
	}
	// A malformed project file found by the search is as much an error.
	write(t, tmp, map[string]string{".authdoctor.yaml": "ignore: CFG009\n"})
	if _, code, stderr := lintRun(t, "", cfg); code != 2 || !strings.Contains(stderr, ".authdoctor.yaml:1: ignore wants a list") {
		t.Errorf("found malformed: exit %d %s", code, stderr)
	}
}

// env and env-file of the project file feed os.environ; --env wins key by
// key; a bare NAME comes from the process environment even under
// --no-env; paths are relative to the project file.
func TestLint_ProjectFileEnvironment(t *testing.T) {
	tmp := t.TempDir()
	config := "import os\nfrom flask_appbuilder.const import AUTH_DB\nAUTH_TYPE = AUTH_DB\nWTF_CSRF_ENABLED = os.environ[\"CSRF\"] == \"on\"\n"
	write(t, tmp, map[string]string{
		".git/":                        "",
		"env/.authdoctor.yaml":         "env: [CSRF=off]\n",
		"env/webserver_config.py":      config,
		"envfile/.authdoctor.yaml":     "env-file: conf/lint.env\n",
		"envfile/conf/lint.env":        "CSRF=off\n",
		"envfile/webserver_config.py":  config,
		"passthru/.authdoctor.yaml":    "env: [AUTHDOCTOR_TEST_CSRF_PASSTHRU]\n",
		"passthru/webserver_config.py": strings.ReplaceAll(config, `"CSRF"`, `"AUTHDOCTOR_TEST_CSRF_PASSTHRU"`),
	})
	ids := func(args ...string) string {
		d, _, stderr := lintRun(t, "", append([]string{"--flavor", "airflow2"}, args...)...)
		if stderr != "" {
			t.Fatalf("%v: %s", args, stderr)
		}
		return at(d.Findings)
	}
	if got := ids(filepath.Join(tmp, "env/webserver_config.py")); got != "CFG009@4" {
		t.Errorf("project env: %s", got)
	}
	if got := ids("--env", "CSRF=on", filepath.Join(tmp, "env/webserver_config.py")); got != "" {
		t.Errorf("--env must win over the project env: %s", got)
	}
	// Run from elsewhere: env-file is relative to the project file.
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if got := ids(filepath.Join(tmp, "envfile/webserver_config.py")); got != "CFG009@4" {
		t.Errorf("project env-file: %s", got)
	}
	passthru := filepath.Join(tmp, "passthru/webserver_config.py")
	if got := ids(passthru); !strings.HasPrefix(got, "CFG002@4") {
		t.Errorf("unset bare NAME: %s", got)
	}
	t.Setenv("AUTHDOCTOR_TEST_CSRF_PASSTHRU", "off")
	if got := ids(passthru); got != "CFG009@4" {
		t.Errorf("bare NAME under --no-env: %s", got)
	}
}

// roles-file of the project file (relative to it) declares the roles in
// the database; --roles-file on the command line wins.
func TestLint_ProjectFileRolesFile(t *testing.T) {
	tmp := t.TempDir()
	write(t, tmp, map[string]string{
		".git/":               "",
		".authdoctor.yaml":    "roles-file: deploy/roles.txt\n",
		"deploy/roles.txt":    "Admin\nViewer\n",
		"all-roles.txt":       "Admin\nDataTeam\n",
		"webserver_config.py": "from flask_appbuilder.const import AUTH_DB\nAUTH_TYPE = AUTH_DB\nAUTH_USER_REGISTRATION = True\nAUTH_USER_REGISTRATION_ROLE = \"DataTeam\"\n",
	})
	cfg := filepath.Join(tmp, "webserver_config.py")
	d, _, stderr := lintRun(t, "", "--flavor", "airflow2", cfg)
	if len(d.Findings) != 1 || d.Findings[0].ID != "ROL001" || d.Findings[0].Severity != "warning" || !strings.Contains(d.Findings[0].Message, "not among the roles given") {
		t.Errorf("project roles-file: %+v %s", d.Findings, stderr)
	}
	d, _, stderr = lintRun(t, "", "--flavor", "airflow2", "--roles-file", filepath.Join(tmp, "all-roles.txt"), cfg)
	if len(d.Findings) != 0 {
		t.Errorf("--roles-file must win over the project file: %+v %s", d.Findings, stderr)
	}
}
