package lint_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

// `lint -` reads the config from stdin; --stdin-filename names it in
// findings and suppressions, and the inline directives apply.
func TestLint_Stdin(t *testing.T) {
	src, err := os.ReadFile(testdataLint(t, "ignore-inline.py"))
	if err != nil {
		t.Fatal(err)
	}
	d, code, stderr := lintRun(t, string(src), "--flavor", "airflow2", "-")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d %s", code, stderr)
	}
	if got := at(d.Findings); got != "CFG006@10 CFG006@13" || d.Findings[0].Subject.File != "<stdin>" {
		t.Errorf("findings %s in %q", got, d.Findings[0].Subject.File)
	}
	if got := suppressedAt(d.Suppressed); got != "CFG006@8<inline:7 CFG006@9<inline:9 CFG009@8<inline:7" || d.Suppressed[0].Suppression.File != "<stdin>" {
		t.Errorf("suppressed %s", got)
	}
	d, _, _ = lintRun(t, string(src), "--flavor", "airflow2", "--stdin-filename", "deploy/webserver_config.py", "-")
	if d.Findings[0].Subject.File != "deploy/webserver_config.py" || d.Result.Files[0].File != "deploy/webserver_config.py" {
		t.Errorf("named stdin: %+v %+v", d.Findings[0].Subject, d.Result.Files)
	}
	// Stdin and files together, in one report.
	d, _, _ = lintRun(t, string(src), "--flavor", "airflow2", testdataLint(t, "CFG017-clean.py"), "-")
	if len(d.Result.Files) != 2 || d.Summary["suppressed"] != 5 {
		t.Errorf("files %+v, summary %v", d.Result.Files, d.Summary)
	}
}

// The stdin name is the flavour hint and the start of the project-file
// search.
func TestLint_StdinFilenameHints(t *testing.T) {
	plain := "from flask_appbuilder.const import AUTH_DB\nAUTH_TYPE = AUTH_DB\n"
	d, _, _ := lintRun(t, plain, "--stdin-filename", "superset_config.py", "-")
	if f := d.Result.Files[0]; f.Flavor != "superset" {
		t.Errorf("superset_config.py on stdin: flavour %s (%s)", f.Flavor, f.FlavorReason)
	}
	deployed, err := os.ReadFile(testdataLint(t, "project/deploy/webserver_config.py"))
	if err != nil {
		t.Fatal(err)
	}
	name := testdataLint(t, "project/deploy/stdin_config.py") // need not exist
	d, _, _ = lintRun(t, string(deployed), "--stdin-filename", name, "-")
	if got := suppressedAt(d.Suppressed); got != "CFG006@7<project:6 CFG009@6<project:5" {
		t.Errorf("the project file above the stdin name was not used: %s", got)
	}
	// Helm values on stdin: the name's extension says YAML.
	values, err := os.ReadFile(testdataLint(t, "ignore-inline-values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	d, _, _ = lintRun(t, string(values), "--stdin-filename", filepath.Join("chart", "values.yaml"), "-")
	if got := suppressedAt(d.Suppressed); got != "CFG009@9<inline:8" {
		t.Errorf("values on stdin: %s", got)
	}
}

func TestLint_InputUsageErrors(t *testing.T) {
	file := testdataLint(t, "CFG009-fires.py")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--online", "--offline", file}, "--offline and --online contradict"},
		{[]string{"--stdin-filename", "x.py", file}, "--stdin-filename names the config read from stdin"},
		{[]string{"-", "-"}, "- (stdin) can be given once"},
	} {
		_, code, stderr := lintRun(t, "", c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d %q", c.args, code, stderr)
		}
	}
}

// --offline alone asks for what lint does anyway: accepted, like the
// other commands take it; a network flag that would do nothing is refused.
func TestLint_OfflineAloneIsAccepted(t *testing.T) {
	file := testdataLint(t, "CFG009-fires.py")
	if _, code, stderr := lintRun(t, "", "--offline", "--fail-on", "never", file); code != 0 {
		t.Errorf("--offline: exit %d %q", code, stderr)
	}
	if _, code, stderr := lintRun(t, "", "--timeout", "3s", file); code != 2 || !strings.Contains(stderr, "--timeout needs --online") {
		t.Errorf("--timeout without --online: exit %d %q", code, stderr)
	}
}

// One unreadable file among several (a Helm template that is not YAML)
// does not hide the others: they are checked and reported, the JSON names
// the unreadable one, and the run exits 3 saying which and why.
func TestLint_UnreadableFileAmongSeveral(t *testing.T) {
	dir := t.TempDir()
	tpl := writeFile(t, dir, "values.yaml.tpl", "supersetNode:\n  image: {{ .Values.image }}:{{ .Values.tag }}\n")
	good := testdataLint(t, "CFG009-fires.py")
	r := clitest.Run(t, clitest.Options{}, "lint", "-o", "json", "--no-env", good, tpl)
	if r.Code != 3 || !strings.Contains(r.Stderr, "1 of 2 files could not be read") || !strings.Contains(r.Stderr, "render it first") {
		t.Fatalf("exit %d %q", r.Code, r.Stderr)
	}
	var d struct {
		Findings []struct{ ID string }
		Result   struct {
			Unreadable []struct{ File string } `json:"unreadableFiles"`
		}
	}
	if err := json.Unmarshal([]byte(r.Stdout), &d); err != nil {
		t.Fatalf("stdout is not the report: %v\n%s", err, r.Stdout)
	}
	if len(d.Result.Unreadable) != 1 || d.Result.Unreadable[0].File != tpl {
		t.Errorf("unreadable %+v", d.Result.Unreadable)
	}
	var csrf bool
	for _, f := range d.Findings {
		csrf = csrf || f.ID == "CFG009"
	}
	if !csrf {
		t.Errorf("the readable file's finding is missing: %+v", d.Findings)
	}
	// alone, the template is exit 3 with nothing on stdout
	if r := clitest.Run(t, clitest.Options{}, "lint", "--no-env", tpl); r.Code != 3 || r.Stdout != "" {
		t.Errorf("alone: exit %d, stdout %q", r.Code, r.Stdout)
	}
}
