package lint_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The silencing of issue 17: --ignore, inline directives, the project
// file, stale ignores, stdin. Lines below were read off the testdata
// files, whose comments say what each line is for.

type sfinding struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Subject  struct {
		File string `json:"file"`
		Line int    `json:"line"`
	} `json:"subject"`
	Evidence []struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	} `json:"evidence"`
	Suppression *struct {
		Kind   string `json:"kind"`
		Reason string `json:"reason"`
		File   string `json:"file"`
		Line   int    `json:"line"`
	} `json:"suppression"`
}

type sdoc struct {
	Findings   []sfinding     `json:"findings"`
	Suppressed []sfinding     `json:"suppressed"`
	Summary    map[string]int `json:"summary"`
	Result     struct {
		Files []struct {
			File         string   `json:"file"`
			Flavor       string   `json:"flavor"`
			FlavorReason string   `json:"flavorReason"`
			Notes        []string `json:"notes"`
		} `json:"files"`
	} `json:"result"`
}

func testdataLint(t *testing.T, name string) string {
	return filepath.Join(repoRoot(t), "testdata", "lint", filepath.FromSlash(name))
}

// lintRun runs `authdoctor lint -o json --no-env args…` with stdin and
// returns the document and the exit code.
func lintRun(t *testing.T, stdin string, args ...string) (sdoc, int, string) {
	t.Helper()
	r := clitest.Run(t, clitest.Options{Stdin: stdin}, append([]string{"lint", "-o", "json", "--no-env"}, args...)...)
	var d sdoc
	if r.Code == 0 || r.Code == 1 {
		if err := json.Unmarshal([]byte(r.Stdout), &d); err != nil {
			t.Fatalf("exit %d, not JSON: %v\n%s\n%s", r.Code, err, r.Stdout, r.Stderr)
		}
	}
	return d, r.Code, r.Stderr
}

// at lists findings as "ID@line", sorted.
func at(fs []sfinding) string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s@%d", f.ID, f.Subject.Line))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// suppressedAt lists suppressed findings as "ID@line<kind:line", sorted.
func suppressedAt(fs []sfinding) string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s@%d<%s:%d", f.ID, f.Subject.Line, f.Suppression.Kind, f.Suppression.Line))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestCheck_CFG017_Fires_StaleDirectives(t *testing.T) {
	d, code, _ := lintRun(t, "", "--flavor", "airflow2", "--fail-on", "warning", testdataLint(t, "CFG017-fires.py"))
	// 5: nothing on 5–6 (CSRF is on); 7: a trailing directive does not
	// reach SECRET_KEY on 8; 9: its CFG006 half is used (line 10), its
	// CFG009 half is stale.
	if got := at(d.Findings); got != "CFG006@8 CFG017@5 CFG017@7 CFG017@9" {
		t.Errorf("findings %s", got)
	}
	for _, f := range d.Findings {
		if f.ID == "CFG017" && f.Subject.Line == 9 && !strings.Contains(f.Message, "ignores CFG009 ") {
			t.Errorf("the stale half is not named: %s", f.Message)
		}
		if f.ID == "CFG017" && f.Severity != "info" {
			t.Errorf("CFG017 at %s", f.Severity)
		}
	}
	if got := suppressedAt(d.Suppressed); got != "CFG006@10<inline:9" {
		t.Errorf("suppressed %s", got)
	}
	if code != 1 {
		t.Errorf("exit %d: the unsilenced CFG006 warning must fail --fail-on warning", code)
	}
}

func TestCheck_CFG017_Clean_EveryIgnoreUsed(t *testing.T) {
	d, code, _ := lintRun(t, "", "--flavor", "airflow2", "--fail-on", "info", testdataLint(t, "CFG017-clean.py"))
	if len(d.Findings) != 0 {
		t.Errorf("findings %s", at(d.Findings))
	}
	if got := suppressedAt(d.Suppressed); got != "CFG006@7<inline:7 CFG009@6<inline:5" {
		t.Errorf("suppressed %s", got)
	}
	if d.Summary["suppressed"] != 2 || d.Summary["warning"] != 0 {
		t.Errorf("summary %v", d.Summary)
	}
	if code != 0 {
		t.Errorf("exit %d: suppressed findings never fail the run, even with --fail-on info", code)
	}
}

func TestCheck_CFG018_Fires_BadDirectives(t *testing.T) {
	d, _, _ := lintRun(t, "", "--flavor", "airflow2", testdataLint(t, "CFG018-fires.py"))
	// 5: no reason; 7: CFG060 is no check; 8: not the ignore verb. None
	// silences anything.
	if got := at(d.Findings); got != "CFG006@7 CFG006@9 CFG009@6 CFG018@5 CFG018@7 CFG018@8" {
		t.Errorf("findings %s", got)
	}
	if len(d.Suppressed) != 0 {
		t.Errorf("suppressed %s", suppressedAt(d.Suppressed))
	}
	want := map[int]string{5: "a reason is required", 7: "did you mean CFG006 (secret-in-config)", 8: "only the ignore directive"}
	for _, f := range d.Findings {
		if f.ID == "CFG018" && (!strings.Contains(f.Message, want[f.Subject.Line]) || f.Severity != "info") {
			t.Errorf("line %d: %s %q, want %q", f.Subject.Line, f.Severity, f.Message, want[f.Subject.Line])
		}
	}
}

func TestCheck_CFG018_Clean_OnlyDirectiveComments(t *testing.T) {
	d, _, _ := lintRun(t, "", "--flavor", "airflow2", testdataLint(t, "CFG018-clean.py"))
	// The string literals hold directive text: not comments. The usable
	// directive on line 11 is merely stale (CSRF is on).
	if got := at(d.Findings); got != "CFG017@11" {
		t.Errorf("findings %s", got)
	}
}

// Which lines a directive covers; a directive's text inside a string
// literal is no directive (a line scan would silence line 13).
func TestLint_InlineIgnores(t *testing.T) {
	d, code, _ := lintRun(t, "", "--flavor", "airflow2", "--fail-on", "warning", testdataLint(t, "ignore-inline.py"))
	if got := at(d.Findings); got != "CFG006@10 CFG006@13" {
		t.Errorf("findings %s", got)
	}
	if got := suppressedAt(d.Suppressed); got != "CFG006@8<inline:7 CFG006@9<inline:9 CFG009@8<inline:7" {
		t.Errorf("suppressed %s", got)
	}
	for _, s := range d.Suppressed {
		if s.Suppression.File != testdataLint(t, "ignore-inline.py") || s.Suppression.Reason == "" || s.Message == "" {
			t.Errorf("suppression %+v", s)
		}
	}
	if s := d.Suppressed[0]; s.Suppression.Line == 9 && s.Suppression.Reason != "by name, on its own line" {
		t.Errorf("reason %q", s.Suppression.Reason)
	}
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	// --ignore silences the rest; the directives still count as used.
	d, code, _ = lintRun(t, "", "--flavor", "airflow2", "--fail-on", "info", "--ignore", "CFG006", testdataLint(t, "ignore-inline.py"))
	if len(d.Findings) != 0 || d.Summary["suppressed"] != 5 || code != 0 {
		t.Errorf("exit %d, findings %s, summary %v", code, at(d.Findings), d.Summary)
	}
	kinds := map[string]int{}
	for _, s := range d.Suppressed {
		kinds[s.Suppression.Kind]++
	}
	if kinds["inline"] != 3 || kinds["flag"] != 2 {
		t.Errorf("kinds %v: the file's own comment is the recorded suppression where both apply", kinds)
	}
}

// In a Helm values file the directives are the Python's comments (and the
// YAML's), at the YAML file's lines.
func TestLint_InlineIgnoresInHelmValues(t *testing.T) {
	d, _, _ := lintRun(t, "", testdataLint(t, "ignore-inline-values.yaml"))
	if got := at(d.Findings); got != "CFG006@10 CFG017@3" {
		t.Errorf("findings %s", got)
	}
	if got := suppressedAt(d.Suppressed); got != "CFG009@9<inline:8" {
		t.Errorf("suppressed %s", got)
	}
}

func TestLint_IgnoreFlag(t *testing.T) {
	file := testdataLint(t, "CFG018-fires.py")
	d, _, _ := lintRun(t, "", "--flavor", "airflow2", "--ignore", "csrf-disabled,cfg006", "--ignore", "ignore-directive-invalid", file)
	if len(d.Findings) != 0 || d.Summary["suppressed"] != 6 {
		t.Errorf("findings %s, summary %v", at(d.Findings), d.Summary)
	}
	for _, s := range d.Suppressed {
		if s.Suppression.Kind != "flag" || s.Suppression.File != "" {
			t.Errorf("%s: %+v", s.ID, s.Suppression)
		}
	}
	for _, bad := range []struct{ arg, want string }{
		{"CFG06", `"CFG06" is not a check ID or name; did you mean CFG006 (secret-in-config)`},
		{"CFG009,csrf-disabld", "did you mean CFG009 (csrf-disabled)?"},
		{"nothing-like-it-at-all", "run 'authdoctor checks' for the list"},
	} {
		_, code, stderr := lintRun(t, "", "--ignore", bad.arg, file)
		if code != 2 || !strings.Contains(stderr, bad.want) {
			t.Errorf("--ignore %s: exit %d, %s", bad.arg, code, stderr)
		}
	}
}

// doctor shares the config checks: --ignore and the config's own
// directives apply there too.
func TestDoctor_IgnoreAndInline(t *testing.T) {
	file := testdataLint(t, "CFG018-fires.py")
	r := clitest.Run(t, clitest.Options{}, "doctor", "-o", "json", "--no-env", "--offline", "--flavor", "airflow2", "--config", testdataLint(t, "CFG017-clean.py"))
	var d sdoc
	if err := json.Unmarshal([]byte(r.Stdout), &d); err != nil {
		t.Fatalf("exit %d: %v %s", r.Code, err, r.Stderr)
	}
	if got := suppressedAt(d.Suppressed); got != "CFG006@7<inline:7 CFG009@6<inline:5" {
		t.Errorf("doctor suppressed %s", got)
	}
	r = clitest.Run(t, clitest.Options{}, "doctor", "-o", "json", "--no-env", "--offline", "--flavor", "airflow2", "--ignore", "CFG009", "--config", file)
	d = sdoc{}
	if err := json.Unmarshal([]byte(r.Stdout), &d); err != nil {
		t.Fatalf("exit %d: %v %s", r.Code, err, r.Stderr)
	}
	if got := suppressedAt(d.Suppressed); got != "CFG009@6<flag:0" {
		t.Errorf("doctor --ignore suppressed %s", got)
	}
	if r := clitest.Run(t, clitest.Options{}, "doctor", "--offline", "--ignore", "CFG0", "--config", file); r.Code != 2 || !strings.Contains(r.Stderr, "--ignore") {
		t.Errorf("doctor --ignore CFG0: exit %d %s", r.Code, r.Stderr)
	}
}

// `lint -o sarif` with suppressions of every kind validates against the
// SARIF 2.1.0 schema; suppressed results are marked, the others carry an
// empty suppressions array.
func TestLint_SARIFWithSuppressionsValidates(t *testing.T) {
	wd, _ := os.Getwd()
	if err := os.Chdir(repoRoot(t)); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	r := clitest.Run(t, clitest.Options{}, "lint", "-o", "sarif", "--no-env", "--ignore", "ROL005",
		"testdata/lint/ignore-inline.py", "testdata/lint/project/webserver_config.py", "testdata/lint/CFG004-fires.py")
	if r.Code != 1 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(r.Stdout))
	if err != nil {
		t.Fatal(err)
	}
	if err := sarifSchema(t).Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate: %v", err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID       string `json:"ruleId"`
				Suppressions *[]struct {
					Kind          string `json:"kind"`
					Justification string `json:"justification"`
				} `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &log); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, res := range log.Runs[0].Results {
		if res.Suppressions == nil {
			t.Fatalf("%s has no suppressions array", res.RuleID)
		}
		for _, s := range *res.Suppressions {
			kinds[s.Kind]++
			if s.Justification == "" {
				t.Errorf("%s: no justification", res.RuleID)
			}
		}
		if res.RuleID == "ROL005" && len(*res.Suppressions) != 1 {
			t.Errorf("ROL005 not suppressed by --ignore")
		}
	}
	// ignore-inline.py: 3 inSource; project/webserver_config.py: CFG009
	// by the project file; ROL005 of CFG004-fires.py by the flag.
	if kinds["inSource"] != 3 || kinds["external"] < 2 {
		t.Errorf("suppression kinds %v", kinds)
	}
}
