package cli_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"

	"go.yaml.in/yaml/v3"
)

// The GitHub Action (action.yml) against its documentation
// (docs/ci/github-action.md), the release it downloads (.goreleaser.yaml)
// and the CLI it runs. Its scripts are run with bash: the download against
// a stand-in for curl that serves a fake release, the lint step against a
// stand-in authdoctor that records its arguments and against the real CLI.

type actionStep struct {
	ID   string            `yaml:"id"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

type action struct {
	Name   string `yaml:"name"`
	Inputs map[string]struct {
		Description string  `yaml:"description"`
		Required    bool    `yaml:"required"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

func readAction(t *testing.T) action {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRootDir(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" || a.Name == "" {
		t.Fatalf("action.yml: using %q name %q: want a named composite action", a.Runs.Using, a.Name)
	}
	return a
}

func (a action) step(t *testing.T, id string) actionStep {
	t.Helper()
	for _, s := range a.Runs.Steps {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("action.yml has no step %q", id)
	return actionStep{}
}

// tableNames returns the first-column names (`name`) of the markdown table
// under a heading.
func tableNames(doc, heading string) []string {
	var names []string
	sec := section(doc, heading)
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z-]+)` \\|").FindAllStringSubmatch(sec, -1) {
		names = append(names, m[1])
	}
	return names
}

// Every input and output is documented in docs/ci/github-action.md's
// tables and every row is a real one, with the same default; every
// input reaches a step; the lint step runs `authdoctor lint -o sarif` into
// the file the upload step uploads, always when a report was written.
func TestActionMatchesItsDocs(t *testing.T) {
	a := readAction(t)
	doc := readGuide(t, "docs/ci/github-action.md")
	docInputs := tableNames(doc, "## Inputs")
	for name, in := range a.Inputs {
		if !slices.Contains(docInputs, name) {
			t.Errorf("input %q is not in the docs' inputs table", name)
		}
		if in.Description == "" {
			t.Errorf("input %q has no description", name)
		}
		row := regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(name) + "` \\| ([^|]*) \\|").FindStringSubmatch(doc)
		switch {
		case row == nil:
		case in.Required && row[1] != "(required)":
			t.Errorf("input %q is required; the docs say %q", name, row[1])
		case !in.Required && in.Default != nil && *in.Default == "" && row[1] != "empty":
			t.Errorf("input %q defaults to empty; the docs say %q", name, row[1])
		case !in.Required && in.Default != nil && *in.Default != "" && row[1] != "`"+*in.Default+"`":
			t.Errorf("input %q defaults to %q; the docs say %q", name, *in.Default, row[1])
		}
		used := false
		for _, s := range a.Runs.Steps {
			for _, v := range append(mapValues(s.Env), append(mapValues(s.With), s.If)...) {
				used = used || strings.Contains(v, "inputs."+name+" ") || strings.Contains(v, "inputs."+name+"}")
			}
		}
		if !used {
			t.Errorf("input %q is not used by any step", name)
		}
	}
	for _, name := range docInputs {
		if _, ok := a.Inputs[name]; !ok {
			t.Errorf("the docs list input %q, which action.yml does not have", name)
		}
	}
	docOutputs := tableNames(doc, "## Outputs")
	for name := range a.Outputs {
		if !slices.Contains(docOutputs, name) {
			t.Errorf("output %q is not in the docs' outputs table", name)
		}
	}
	for _, name := range docOutputs {
		if _, ok := a.Outputs[name]; !ok {
			t.Errorf("the docs list output %q, which action.yml does not have", name)
		}
	}

	lint := a.step(t, "lint")
	if !regexp.MustCompile(`(?m)^authdoctor lint -o sarif .*> "\$SARIF"`).MatchString(lint.Run) {
		t.Errorf("the lint step does not run `authdoctor lint -o sarif … > \"$SARIF\"`:\n%s", lint.Run)
	}
	if !strings.Contains(lint.Run, `echo "sarif-file=$SARIF" >> "$GITHUB_OUTPUT"`) {
		t.Errorf("the lint step does not publish the SARIF path")
	}
	var upload *actionStep
	for i, s := range a.Runs.Steps {
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			upload = &a.Runs.Steps[i]
		}
	}
	if upload == nil {
		t.Fatal("no github/codeql-action/upload-sarif step")
	}
	if upload.With["sarif_file"] != "${{ steps.lint.outputs.sarif-file }}" {
		t.Errorf("upload-sarif uploads %q, not the lint step's report", upload.With["sarif_file"])
	}
	for _, code := range []string{"'0'", "'1'"} {
		if !strings.Contains(upload.If, "steps.lint.outputs.exit-code == "+code) {
			t.Errorf("the upload must run when lint exits %s (findings or not): if %q", code, upload.If)
		}
	}
	if a.Outputs["exit-code"].Value != "${{ steps.lint.outputs.exit-code }}" {
		t.Errorf("output exit-code: %q", a.Outputs["exit-code"].Value)
	}
	// The copy-paste workflow uses this action with inputs it has.
	for _, b := range yamlBlocks(doc) {
		for _, m := range regexp.MustCompile(`(?m)^\s+(\S+): `).FindAllStringSubmatch(withBlock(b), -1) {
			if _, ok := a.Inputs[m[1]]; !ok {
				t.Errorf("the docs' workflow passes `%s`, which is not an input", m[1])
			}
		}
	}
}

// withBlock returns the with: mapping of the step that uses this action
// in a workflow snippet.
func withBlock(workflow string) string {
	i := strings.Index(workflow, "uses: authdoctor/authdoctor@")
	if i < 0 {
		return ""
	}
	rest := workflow[i:]
	j := strings.Index(rest, "with:\n")
	if j < 0 {
		return ""
	}
	var out []string
	for _, l := range strings.Split(rest[j+len("with:\n"):], "\n") {
		if !strings.HasPrefix(l, "          ") {
			break
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// goreleaser is what the action relies on in .goreleaser.yaml.
type goreleaser struct {
	ProjectName string `yaml:"project_name"`
	Builds      []struct {
		Goos   []string `yaml:"goos"`
		Goarch []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		Formats         []string `yaml:"formats"`
		NameTemplate    string   `yaml:"name_template"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
	} `yaml:"checksum"`
	Release struct {
		GitHub struct{ Owner, Name string } `yaml:"github"`
	} `yaml:"release"`
}

func readGoreleaser(t *testing.T) goreleaser {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRootDir(t), ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var g goreleaser
	if err := yaml.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Builds) != 1 || len(g.Archives) != 1 {
		t.Fatalf(".goreleaser.yaml: %d builds, %d archives", len(g.Builds), len(g.Archives))
	}
	return g
}

// archiveName renders the release's archive name the way GoReleaser does
// (its name_template over the project, version without v, os and arch),
// with the format for that os.
func (g goreleaser) archiveName(t *testing.T, version, goos, goarch string) string {
	t.Helper()
	a := g.Archives[0]
	tpl, err := template.New("name").Parse(a.NameTemplate)
	if err != nil {
		t.Fatalf("name_template %q: %v (the test renders it with text/template)", a.NameTemplate, err)
	}
	var b strings.Builder
	if err := tpl.Execute(&b, map[string]string{"ProjectName": g.ProjectName, "Version": version, "Os": goos, "Arch": goarch}); err != nil {
		t.Fatal(err)
	}
	format := a.Formats[0]
	for _, o := range a.FormatOverrides {
		if o.Goos == goos {
			format = o.Formats[0]
		}
	}
	return b.String() + "." + format
}

// The download step names the archive as .goreleaser.yaml's
// name_template does, from the release GoReleaser publishes to, with
// GoReleaser's checksums file.
func TestActionDownloadsTheReleaseArchive(t *testing.T) {
	a := readAction(t)
	g := readGoreleaser(t)
	install := a.step(t, "install")
	// The template with the script's variables in place of the fields.
	tpl, err := template.New("name").Parse(g.Archives[0].NameTemplate)
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	_ = tpl.Execute(&want, map[string]string{"ProjectName": g.ProjectName, "Version": "${version}", "Os": "${os}", "Arch": "${arch}"})
	if !strings.Contains(install.Run, `archive="`+want.String()+`.${ext}"`) {
		t.Errorf("the download step does not build the archive name from name_template %q (want archive=\"%s.${ext}\")", g.Archives[0].NameTemplate, want.String())
	}
	if repo := g.Release.GitHub.Owner + "/" + g.Release.GitHub.Name; install.Env["REPO"] != repo {
		t.Errorf("the action downloads from %q; GoReleaser publishes to %q", install.Env["REPO"], repo)
	}
	if !strings.Contains(install.Run, `"${base}/`+g.Checksum.NameTemplate+`"`) {
		t.Errorf("the download step does not fetch the checksums file %q", g.Checksum.NameTemplate)
	}
	if !strings.Contains(install.Run, "sha256sum -c") || !strings.Contains(install.Run, "shasum -a 256 -c") {
		t.Errorf("the download step must verify with sha256sum -c or shasum -a 256 -c")
	}
}

// fakeCurl stands in for curl: it answers the latest-release redirect with
// $FAKE_LATEST's tag and serves $FAKE_RELEASES/<tag>/<file> for release
// downloads, failing like curl -f (exit 22) for anything else.
const fakeCurl = `#!/bin/sh
out=""; w=""; url=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift ;;
    -w) w="$2"; shift ;;
    --retry) shift ;;
    -*) ;;
    *) url="$1" ;;
  esac
  shift
done
echo "$url" >> "$FAKE_RELEASES/requests.log"
case "$url" in
  https://github.com/*/releases/latest)
    [ -n "$w" ] && printf 'https://github.com/%s/releases/tag/%s' "$FAKE_REPO" "$FAKE_LATEST"
    exit 0 ;;
  https://github.com/$FAKE_REPO/releases/download/*)
    rest="${url#https://github.com/$FAKE_REPO/releases/download/}"
    [ -f "$FAKE_RELEASES/$rest" ] || exit 22
    cp "$FAKE_RELEASES/$rest" "$out" ;;
  *) exit 22 ;;
esac
`

// release writes a fake release: archives as GoReleaser names them for
// the given targets, each holding an authdoctor that prints its name, and
// checksums.txt in GoReleaser's format.
func writeRelease(t *testing.T, g goreleaser, dir, version string, targets [][2]string) {
	t.Helper()
	tagDir := filepath.Join(dir, "v"+version)
	if err := os.MkdirAll(tagDir, 0o755); err != nil {
		t.Fatal(err)
	}
	var sums strings.Builder
	for _, tg := range targets {
		name := g.archiveName(t, version, tg[0], tg[1])
		bin := "#!/bin/sh\necho fake authdoctor " + version + " " + tg[0] + "/" + tg[1] + "\n"
		var data []byte
		if strings.HasSuffix(name, ".zip") {
			data = zipOf(t, "authdoctor.exe", bin)
		} else {
			data = tarGzOf(t, "authdoctor", bin)
		}
		writeFile(t, filepath.Join(tagDir, name), string(data))
		sum := sha256.Sum256(data)
		sums.WriteString(hex.EncodeToString(sum[:]) + "  " + name + "\n")
	}
	writeFile(t, filepath.Join(tagDir, g.Checksum.NameTemplate), sums.String())
}

func tarGzOf(t *testing.T, name, content string) []byte {
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	for _, f := range []struct{ name, body string }{{"README.md", "readme\n"}, {name, content}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o755, Size: int64(len(f.body))}); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write([]byte(f.body))
	}
	_ = tw.Close()
	_ = gz.Close()
	return b.Bytes()
}

func zipOf(t *testing.T, name, content string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte(content))
	_ = zw.Close()
	return b.Bytes()
}

// stepRun is one run of a step's script with bash.
type stepRun struct {
	code           int
	stdout, stderr string
	outputs        map[string]string // what it wrote to $GITHUB_OUTPUT
	path           []string          // what it added to $GITHUB_PATH
}

// runStep runs a step's script as GitHub's `shell: bash` does (bash
// --noprofile --norc -eo pipefail), with the step's env replaced by env
// and the runner's files in a temporary directory.
func runStep(t *testing.T, script string, env map[string]string, pathDirs ...string) stepRun {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is needed to run the action's scripts")
	}
	tmp := t.TempDir()
	scriptFile := filepath.Join(tmp, "step.sh")
	writeFile(t, scriptFile, script)
	out, pth := filepath.Join(tmp, "output"), filepath.Join(tmp, "path")
	writeFile(t, out, "")
	writeFile(t, pth, "")
	runnerTemp := filepath.Join(tmp, "runner-temp")
	_ = os.Mkdir(runnerTemp, 0o755)
	cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", scriptFile)
	cmd.Env = []string{"PATH=" + strings.Join(append(pathDirs, os.Getenv("PATH")), string(os.PathListSeparator)),
		"HOME=" + tmp, "GITHUB_OUTPUT=" + out, "GITHUB_PATH=" + pth, "RUNNER_TEMP=" + runnerTemp}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err = cmd.Run()
	r := stepRun{stdout: so.String(), stderr: se.String(), outputs: map[string]string{}}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	ob, _ := os.ReadFile(out)
	for _, l := range strings.Split(strings.TrimSpace(string(ob)), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			r.outputs[k] = v
		}
	}
	pb, _ := os.ReadFile(pth)
	r.path = strings.Fields(string(pb))
	return r
}

// The download step, run with bash against a fake release: for each
// runner OS and architecture the release builds it fetches the archive
// GoReleaser names, verifies it with checksums.txt, unpacks authdoctor and
// puts it on PATH; `latest` follows the release redirect; a tampered
// archive, a missing checksum line or a missing release fail the step
// with nothing put on PATH.
func TestActionDownloadStepVerifiesTheChecksum(t *testing.T) {
	a := readAction(t)
	g := readGoreleaser(t)
	install := a.step(t, "install")
	runnerOS := map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}
	runnerArch := map[string]string{"amd64": "X64", "arm64": "ARM64"}
	var targets [][2]string
	for _, goos := range g.Builds[0].Goos {
		for _, goarch := range g.Builds[0].Goarch {
			targets = append(targets, [2]string{goos, goarch})
		}
	}
	bin := t.TempDir()
	writeFile(t, filepath.Join(bin, "curl"), fakeCurl)
	if err := os.Chmod(filepath.Join(bin, "curl"), 0o755); err != nil {
		t.Fatal(err)
	}
	releases := t.TempDir()
	writeRelease(t, g, releases, "1.2.3", targets)
	repo := install.Env["REPO"]
	env := func(version, goos, goarch string) map[string]string {
		return map[string]string{"INPUT_VERSION": version, "REPO": repo, "RUNNER_OS": runnerOS[goos], "RUNNER_ARCH": runnerArch[goarch],
			"FAKE_RELEASES": releases, "FAKE_REPO": repo, "FAKE_LATEST": "v1.2.3"}
	}
	for _, tg := range targets {
		for _, version := range []string{"1.2.3", "v1.2.3", "latest"} {
			if tg[0] == "windows" {
				if _, err := exec.LookPath("unzip"); err != nil {
					continue
				}
			}
			r := runStep(t, install.Run, env(version, tg[0], tg[1]), bin)
			where := tg[0] + "/" + tg[1] + " version " + version
			if r.code != 0 {
				t.Errorf("%s: exit %d\n%s%s", where, r.code, r.stdout, r.stderr)
				continue
			}
			if r.outputs["version"] != "1.2.3" || len(r.path) != 1 {
				t.Errorf("%s: outputs %v, PATH additions %v", where, r.outputs, r.path)
				continue
			}
			exe := filepath.Join(r.path[0], "authdoctor")
			if tg[0] == "windows" {
				exe += ".exe"
			}
			got, err := os.ReadFile(exe)
			if err != nil || !strings.Contains(string(got), "fake authdoctor 1.2.3 "+tg[0]+"/"+tg[1]) {
				t.Errorf("%s: the unpacked binary is not the target's: %v %q", where, err, got)
			}
			if !strings.Contains(r.stdout, ": OK") {
				t.Errorf("%s: no checksum verification in the log:\n%s", where, r.stdout)
			}
		}
	}

	// Failures: each leaves nothing on PATH.
	linux := g.archiveName(t, "1.2.3", "linux", "amd64")
	archive := filepath.Join(releases, "v1.2.3", linux)
	orig, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	sums := filepath.Join(releases, "v1.2.3", g.Checksum.NameTemplate)
	origSums, _ := os.ReadFile(sums)
	for _, c := range []struct {
		name    string
		prepare func()
		version string
	}{
		{"tampered archive", func() { writeFile(t, archive, string(orig)+"x") }, "1.2.3"},
		{"archive not in checksums.txt", func() {
			writeFile(t, sums, strings.ReplaceAll(string(origSums), linux, linux+".old"))
		}, "1.2.3"},
		{"no such release", func() {}, "9.9.9"},
	} {
		c.prepare()
		r := runStep(t, install.Run, env(c.version, "linux", "amd64"), bin)
		if r.code == 0 || len(r.path) != 0 {
			t.Errorf("%s: exit %d, PATH additions %v\n%s%s", c.name, r.code, r.path, r.stdout, r.stderr)
		}
		writeFile(t, archive, string(orig))
		writeFile(t, sums, string(origSums))
	}
}

// fakeAuthdoctor records its arguments and exits with $FAKE_EXIT for the
// SARIF run (the text run's code is ignored by the step).
const fakeAuthdoctor = `#!/bin/sh
printf '%s\n' "$*" >> "$FAKE_ARGS"
case " $* " in
  *" -o sarif "*) echo '{"version":"2.1.0","runs":[]}'; exit "${FAKE_EXIT:-0}" ;;
esac
echo "text report"
exit 1
`

// The lint step passes --flavor and --ignore only when their inputs are
// set, splits args and paths (expanding globs), keeps lint's exit code as
// an output instead of failing, and the gate step then fails per the code.
func TestActionLintAndGateSteps(t *testing.T) {
	a := readAction(t)
	lint, gate := a.step(t, "lint"), a.step(t, "gate")
	bin := t.TempDir()
	writeFile(t, filepath.Join(bin, "authdoctor"), fakeAuthdoctor)
	if err := os.Chmod(filepath.Join(bin, "authdoctor"), 0o755); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	for _, f := range []string{"deploy/webserver_config.py", "deploy/helm/values.yaml", "deploy/helm/values-prod.yaml"} {
		_ = os.MkdirAll(filepath.Join(work, filepath.Dir(f)), 0o755)
		writeFile(t, filepath.Join(work, f), "")
	}
	t.Chdir(work)
	cases := []struct {
		name                  string
		flavor, ignore, args  string
		paths                 string
		exit                  string
		wantSARIF, wantOutput string
	}{
		{"defaults", "", "", "", "deploy/webserver_config.py", "0",
			"lint -o sarif --fail-on error -- deploy/webserver_config.py", "0"},
		{"every input", "airflow3", "CFG006,csrf-disabled", "--no-env --env-file ci/a.env", "deploy/webserver_config.py\n  deploy/**/values*.yaml", "1",
			"lint -o sarif --fail-on error --flavor airflow3 --ignore CFG006,csrf-disabled --no-env --env-file ci/a.env -- deploy/webserver_config.py deploy/helm/values-prod.yaml deploy/helm/values.yaml", "1"},
		{"usage error", "", "", "", "deploy/webserver_config.py", "2",
			"lint -o sarif --fail-on error -- deploy/webserver_config.py", "2"},
	}
	for _, c := range cases {
		args := filepath.Join(t.TempDir(), "args")
		r := runStep(t, lint.Run, map[string]string{"INPUT_PATHS": c.paths, "INPUT_FAIL_ON": "error", "INPUT_FLAVOR": c.flavor,
			"INPUT_IGNORE": c.ignore, "INPUT_ARGS": c.args, "SARIF": filepath.Join(work, "out.sarif"),
			"FAKE_ARGS": args, "FAKE_EXIT": c.exit}, bin)
		if r.code != 0 {
			t.Errorf("%s: the lint step itself failed (exit %d): it must record lint's code\n%s", c.name, r.code, r.stderr)
		}
		calls, _ := os.ReadFile(args)
		lines := strings.Split(strings.TrimSpace(string(calls)), "\n")
		if len(lines) != 2 || lines[1] != c.wantSARIF || !strings.Contains(lines[0], "--fail-on never") {
			t.Errorf("%s: authdoctor ran with\n%s\nwant the SARIF run\n%s", c.name, calls, c.wantSARIF)
		}
		if r.outputs["exit-code"] != c.wantOutput || r.outputs["sarif-file"] != filepath.Join(work, "out.sarif") {
			t.Errorf("%s: outputs %v", c.name, r.outputs)
		}
		if c.ignore == "" && strings.Contains(string(calls), "--ignore") {
			t.Errorf("%s: --ignore passed for an empty input", c.name)
		}
	}
	for code, want := range map[string]int{"0": 0, "1": 1, "2": 2, "3": 3} {
		r := runStep(t, gate.Run, map[string]string{"CODE": code, "INPUT_FAIL_ON": "error"})
		if r.code != want {
			t.Errorf("gate with lint exit %s: exit %d, want %d", code, r.code, want)
		}
	}
}

// The lint command line the action builds, run through the real CLI: the
// flags exist, `--` ends them, the report is SARIF 2.1.0, a finding is
// exit 1 and --ignore silences it (marked as suppressed in SARIF).
func TestActionLintCommandLineIsRealCLI(t *testing.T) {
	t.Chdir(repoRootDir(t))
	incident := "testdata/examples/incident/webserver_config.py"
	r := execCLI(t, "", nil, false, "lint", "-o", "sarif", "--fail-on", "error", "--flavor", "airflow2", "--no-env", "--", incident)
	if r.code != 1 {
		t.Fatalf("lint of the incident config: exit %d\n%s", r.code, r.stderr)
	}
	validateSARIF(t, "lint -o sarif", r.stdout)
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID       string            `json:"ruleId"`
				Suppressions []json.RawMessage `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("SARIF: %v", err)
	}
	var errorsFound []string
	for _, res := range doc.Runs[0].Results {
		errorsFound = append(errorsFound, res.RuleID)
	}
	ignore := strings.Join(errorsFound, ",")
	r = execCLI(t, "", nil, false, "lint", "-o", "sarif", "--fail-on", "error", "--ignore", ignore, "--no-env", "--", incident)
	if r.code != 0 {
		t.Errorf("lint --ignore %s: exit %d: silenced findings must not fail the run\n%s", ignore, r.code, r.stderr)
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	for _, res := range doc.Runs[0].Results {
		if len(res.Suppressions) == 0 {
			t.Errorf("%s is not marked as suppressed in SARIF", res.RuleID)
		}
	}
}

// The install instructions name the archives as the release does: every
// archive name in the README and the CI docs is .goreleaser.yaml's
// name_template with a version variable and a built OS and architecture
// (or variables for them).
func TestInstallDocsUseTheReleaseArchiveNames(t *testing.T) {
	g := readGoreleaser(t)
	tpl, err := template.New("name").Parse(g.Archives[0].NameTemplate)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	_ = tpl.Execute(&b, map[string]string{"ProjectName": g.ProjectName, "Version": "\x00V\x00", "Os": "\x00O\x00", "Arch": "\x00A\x00"})
	pattern := regexp.QuoteMeta(b.String())
	pattern = strings.NewReplacer(
		"\x00V\x00", `\$\{VERSION\}`,
		"\x00O\x00", `(`+strings.Join(g.Builds[0].Goos, "|")+`|\$\{OS\})`,
		"\x00A\x00", `(`+strings.Join(g.Builds[0].Goarch, "|")+`|\$\{ARCH\})`).Replace(pattern)
	valid := regexp.MustCompile(`^` + pattern + `\.(tar\.gz|zip)$`)
	n := 0
	for _, rel := range []string{"README.md", "docs/ci/README.md", "docs/ci/github-action.md", "docs/ci/container.md"} {
		for _, name := range regexp.MustCompile(g.ProjectName+`_[^\s"'\\/]*?\.(?:tar\.gz|zip)`).FindAllString(readGuide(t, rel), -1) {
			n++
			if !valid.MatchString(name) {
				t.Errorf("%s names the archive %q, which is not %s (name_template %q)", rel, name, valid, g.Archives[0].NameTemplate)
			}
		}
	}
	if n < 3 {
		t.Errorf("found %d archive names in the install docs", n)
	}
}
