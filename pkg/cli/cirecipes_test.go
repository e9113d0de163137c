package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// yamlBlocks returns the ```yaml blocks of a markdown page.
func yamlBlocks(doc string) []string {
	var out []string
	for _, f := range fence.FindAllStringSubmatch(doc, -1) {
		if f[1] == "yaml" || f[1] == "yml" {
			out = append(out, f[2])
		}
	}
	return out
}

type ghWorkflow struct {
	Name        string            `yaml:"name"`
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		RunsOn string `yaml:"runs-on"`
		Steps  []struct {
			ID   string            `yaml:"id"`
			Name string            `yaml:"name"`
			If   string            `yaml:"if"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// Every YAML block of the CI recipes parses, and the two complete
// pipelines have the shape their platforms need and fit together: the
// file the lint step writes is the one uploaded or kept as an artifact.
func TestCIRecipesAreValidYAML(t *testing.T) {
	doc := readGuide(t, "docs/ci/README.md")
	blocks := yamlBlocks(doc)
	if len(blocks) < 5 {
		t.Fatalf("found %d yaml blocks in docs/ci/README.md", len(blocks))
	}
	var gh *ghWorkflow
	var gitlab map[string]any
	for i, b := range blocks {
		var v any
		if err := yaml.Unmarshal([]byte(b), &v); err != nil {
			t.Errorf("yaml block %d does not parse: %v\n%s", i+1, err, b)
			continue
		}
		if m, ok := v.(map[string]any); ok {
			if _, ok := m["jobs"]; ok {
				gh = &ghWorkflow{}
				if err := yaml.Unmarshal([]byte(b), gh); err != nil {
					t.Errorf("the GitHub workflow does not have the workflow shape: %v", err)
				}
			}
			if job, ok := m["authdoctor"].(map[string]any); ok && job["script"] != nil {
				gitlab = job
			}
		}
	}
	if gh == nil || gitlab == nil {
		t.Fatalf("expected a GitHub workflow and a GitLab job among the blocks (found GitHub %v, GitLab %v)", gh != nil, gitlab != nil)
	}

	// GitHub: permissions for code scanning, a job with steps, the SARIF
	// the lint step writes is the one uploaded, and the gate reads the
	// lint step's exit code.
	if gh.Permissions["security-events"] != "write" {
		t.Errorf("upload-sarif needs permissions: security-events: write")
	}
	if _, ok := gh.On["pull_request"]; !ok {
		t.Errorf("the workflow should run on pull_request")
	}
	job, ok := gh.Jobs["lint"]
	if !ok || job.RunsOn == "" || len(job.Steps) < 4 {
		t.Fatalf("job lint: runs-on %q, %d steps", job.RunsOn, len(job.Steps))
	}
	var lintID, sarifOut, uploaded, gate string
	for _, s := range job.Steps {
		if s.Uses == "" && s.Run == "" {
			t.Errorf("step %q has neither uses nor run", s.Name)
		}
		if m := regexp.MustCompile(`authdoctor lint -o sarif .*> (\S+)`).FindStringSubmatch(s.Run); m != nil {
			lintID, sarifOut = s.ID, m[1]
			if !strings.Contains(s.Run, "set +e") || !strings.Contains(s.Run, `echo "exit=$?" >> "$GITHUB_OUTPUT"`) {
				t.Errorf("the lint step must keep going on exit 1 and record the code:\n%s", s.Run)
			}
		}
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			uploaded = s.With["sarif_file"]
			if !strings.Contains(s.If, "always()") {
				t.Errorf("the upload must run when the lint found something (if: always() …), got %q", s.If)
			}
		}
		if strings.Contains(s.Run, "steps.") && strings.Contains(s.Run, ".outputs.exit") {
			gate = s.Run
		}
	}
	if sarifOut == "" || uploaded != sarifOut {
		t.Errorf("lint writes %q, upload-sarif uploads %q", sarifOut, uploaded)
	}
	if lintID == "" || !strings.Contains(gate, "steps."+lintID+".outputs.exit") {
		t.Errorf("the gate must read the lint step's exit code (step id %q): %q", lintID, gate)
	}

	// GitLab: a script, the JSON report kept as an artifact even when the
	// job fails.
	script, _ := gitlab["script"].([]any)
	artifacts, _ := gitlab["artifacts"].(map[string]any)
	if len(script) < 2 || artifacts == nil {
		t.Fatalf("GitLab job: script %v, artifacts %v", script, artifacts)
	}
	var jsonOut string
	for _, l := range script {
		if m := regexp.MustCompile(`authdoctor lint -o json .*> (\S+)`).FindStringSubmatch(l.(string)); m != nil {
			jsonOut = m[1]
		}
	}
	paths, _ := artifacts["paths"].([]any)
	if jsonOut == "" || len(paths) == 0 || paths[0] != jsonOut {
		t.Errorf("GitLab: the lint writes %q, artifacts keep %v", jsonOut, paths)
	}
	if artifacts["when"] != "always" {
		t.Errorf("GitLab: artifacts must be kept when the job fails (when: always)")
	}
}

// The recipes' authdoctor command lines, run as written against the
// bundled examples (their file names swapped for repository paths), give
// the exit codes and the report format the recipes rely on: a clean config
// exits 0, the founding incident exits 1, and stdout is a complete SARIF or
// JSON report either way.
func TestCIRecipesCommandsBehaveAsDescribed(t *testing.T) {
	root := repoRootDir(t)
	t.Chdir(root)
	doc := readGuide(t, "docs/ci/README.md")
	var lines []string
	for _, l := range commandLines(doc) {
		if (strings.Contains(l, " -o sarif") || strings.Contains(l, " -o json")) && !strings.Contains(l, "--online") {
			lines = append(lines, l)
		}
	}
	if len(lines) < 5 {
		t.Fatalf("found %d report-writing authdoctor lines in the recipes: %q", len(lines), lines)
	}
	configs := []struct {
		file string
		code int
	}{
		{"docs/guides/examples/entra-airflow3-webserver_config.py", 0},
		{"testdata/examples/incident/webserver_config.py", 1},
	}
	for _, line := range lines {
		for _, c := range configs {
			args := shellWords(line)[1:]
			for i, a := range args {
				switch a {
				case "ci/authdoctor.env":
					args[i] = "docs/guides/examples/entra.env"
				case "webserver_config.py":
					args[i] = c.file
				}
			}
			if args[0] == "doctor" && !contains(args, "--offline") {
				args = append(args, "--offline") // the nightly job's network part is not run here
			}
			if !contains(args, "--env-file") {
				// the example reads os.environ; the recipes say to pass --env-file then
				args = append(args, "--no-env", "--env-file", "docs/guides/examples/entra.env")
			}
			out, code := runCLI(t, args)
			if code != c.code {
				t.Errorf("`authdoctor %s`: exit %d, want %d", strings.Join(args, " "), code, c.code)
			}
			var report map[string]any
			if err := json.Unmarshal([]byte(out), &report); err != nil {
				t.Errorf("`authdoctor %s`: stdout is not one JSON document: %v", strings.Join(args, " "), err)
				continue
			}
			if strings.Contains(line, "-o sarif") && report["version"] != "2.1.0" {
				t.Errorf("`%s`: not SARIF 2.1.0", line)
			}
			if strings.Contains(line, "-o json") && report["schemaVersion"] != float64(1) {
				t.Errorf("`%s`: not the schemaVersion 1 report", line)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// .pre-commit-hooks.yaml: one hook, authdoctor-lint, built with Go,
// running `authdoctor lint` on the files that can hold a FAB config.
func TestPreCommitHookDefinition(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRootDir(t), ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID            string `yaml:"id"`
		Name          string `yaml:"name"`
		Entry         string `yaml:"entry"`
		Language      string `yaml:"language"`
		Files         string `yaml:"files"`
		PassFilenames *bool  `yaml:"pass_filenames"`
	}
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	if len(hooks) != 1 {
		t.Fatalf("%d hooks", len(hooks))
	}
	h := hooks[0]
	if h.ID != "authdoctor-lint" || h.Name == "" || h.Entry != "authdoctor lint" || h.Language != "golang" ||
		h.PassFilenames == nil || !*h.PassFilenames {
		t.Errorf("hook %+v", h)
	}
	// pre-commit matches with Python's re.search; this pattern means the
	// same in Go's RE2.
	re, err := regexp.Compile(h.Files)
	if err != nil {
		t.Fatalf("files: %v", err)
	}
	for _, p := range []string{"webserver_config.py", "airflow/webserver_config.py", "superset_config.py",
		"deploy/superset/superset_config.py", "values.yaml", "charts/airflow/values-prod.yaml", "values.yml"} {
		if !re.MatchString(p) {
			t.Errorf("files does not match %s", p)
		}
	}
	for _, p := range []string{"my_webserver_config.py.bak", "webserver_config.pyc", "setup.py", "config/values/app.json",
		"docs/values.md", "values.yaml.tmpl", "notwebserver_config.py"} {
		if re.MatchString(p) {
			t.Errorf("files matches %s", p)
		}
	}
	// The consumer snippet in the docs uses this hook.
	doc := readGuide(t, "docs/ci/README.md")
	if !strings.Contains(doc, "id: "+h.ID) {
		t.Errorf("docs/ci/README.md does not show the hook id %s", h.ID)
	}
}
