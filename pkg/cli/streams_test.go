package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/authdoctor/authdoctor/cmd/gendocs/clidocs"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/spf13/cobra"
)

// streamCase is one offline run of a command, in every format it offers.
type streamCase struct {
	name string
	args []string
	// note, when set, is a remark the run makes: it must be on stderr
	// and nowhere on stdout.
	note string
	// report marks commands whose text output is a report (verdict
	// first, --quiet applies).
	report bool
}

const (
	exampleToken = "testdata/examples/azure-id-token.jwt"
	exampleNow   = "2026-11-20T09:20:00Z"
)

// streamCases covers every command of the tree with inputs from testdata
// and ../shared/fixtures and no network. Paths are relative to the
// repository root (the test runs there).
func streamCases(t *testing.T) []streamCase {
	dir := t.TempDir()
	// A token-endpoint response with an opaque access token: the token
	// command notes that it cannot read it.
	tok, err := os.ReadFile(exampleToken)
	if err != nil {
		t.Fatal(err)
	}
	resp := filepath.Join(dir, "response.json")
	writeFile(t, resp, `{"access_token":"0123456789abcdefghijklmnopqrstuvwxyz","id_token":"`+strings.TrimSpace(string(tok))+`"}`)
	// A single JWK where a set is expected: verify notes it.
	var set struct{ Keys []json.RawMessage }
	raw, err := os.ReadFile("testdata/examples/azure-tenant-jwks.json")
	if err != nil || json.Unmarshal(raw, &set) != nil || len(set.Keys) == 0 {
		t.Fatalf("example key set: %v", err)
	}
	oneKey := filepath.Join(dir, "one-key.json")
	writeFile(t, oneKey, string(set.Keys[0]))
	// Another chart's values among other files: lint notes it skipped it.
	otherValues := filepath.Join(dir, "values.yaml")
	writeFile(t, otherValues, "replicas: 3\n")

	fx := "../shared/fixtures/"
	entra3 := "docs/guides/examples/entra-airflow3-webserver_config.py"
	env := []string{"--no-env", "--env-file", "docs/guides/examples/entra.env"}
	return []streamCase{
		{name: "token", report: true, note: "opaque token",
			args: []string{"token", "@" + resp, "--now", exampleNow}},
		{name: "verify", report: true, note: "single JWK",
			args: []string{"verify", "@" + exampleToken, "--jwks", "@" + oneKey, "--offline", "--now", exampleNow}},
		{name: "discovery", report: true, note: "has no scheme",
			args: []string{"discovery", "login.microsoftonline.com/common/v2.0", "--offline"}},
		{name: "discovery", report: true,
			args: []string{"discovery", "@" + fx + "azure/entra-v2-common-openid-configuration.2024-10-26.json", "--offline"}},
		{name: "jwks", report: true, note: "has no scheme",
			args: []string{"jwks", "login.microsoftonline.com/common/discovery/v2.0/keys", "--offline"}},
		{name: "jwks", report: true,
			args: []string{"jwks", "@" + fx + "azure/entra-v2-common-jwks.2024-10-26.json"}},
		{name: "issuer", report: true,
			args: []string{"issuer", "@" + exampleToken, "--discovery", "@testdata/examples/incident/openid-configuration.json", "--offline", "--now", exampleNow}},
		{name: "url", report: true,
			args: []string{"url", "https://airflow.example.com/oauth-authorized/azure?error=invalid_request&error_description=AADSTS50011&state=x"}},
		{name: "lint", report: true,
			args: append([]string{"lint", entra3}, env...)},
		{name: "lint", report: true, note: "skipped, nothing checked",
			args: []string{"lint", "--no-env", otherValues, "testdata/examples/incident/webserver_config.py"}},
		{name: "config show", report: true, note: "printed in clear",
			args: append([]string{"config", "show", entra3, "--show-secrets"}, env...)},
		{name: "roles", report: true,
			args: append([]string{"roles", "--config", entra3, "--claims", "@docs/guides/examples/claims-no-email.json"}, env...)},
		{name: "doctor", report: true,
			args: []string{"doctor", "--config", "testdata/examples/incident/webserver_config.py", "--token", "@" + exampleToken,
				"--offline", "--from-file", "@testdata/examples/incident/saved.txt", "--now", exampleNow, "--no-env"}},
		{name: "login", report: true,
			args: []string{"login", "--config", "testdata/examples/incident/webserver_config.py", "--offline", "--no-env"}},
		{name: "checks", args: []string{"checks"}},
		{name: "explain", args: []string{"explain", "TOK004"}},
		{name: "explain", args: []string{"explain", "AADSTS50011"}},
		{name: "version", args: []string{"version"}},
		{name: "completion bash", args: []string{"completion", "bash"}},
		{name: "completion zsh", args: []string{"completion", "zsh"}},
		{name: "completion fish", args: []string{"completion", "fish"}},
		{name: "completion powershell", args: []string{"completion", "powershell"}},
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// stdout carries the report only, in the format asked for; every note,
// hint and progress line is on stderr. For every command of the tree and
// every --output it offers: stdout parses as that format (one JSON
// document for json, SARIF 2.1.0 valid against its schema for sarif, the
// page for markdown, a verdict line first for a text report), the run's
// notes are on stderr and not on stdout, and every stderr line is one of
// authdoctor's own messages. A command without a case fails the test.
func TestStdoutCarriesTheReportOnly(t *testing.T) {
	t.Chdir(repoRootDir(t))
	cases := streamCases(t)
	covered := map[string]bool{}
	for _, c := range cases {
		cmd := findCommand(t, c.args)
		for _, format := range outputsOf(cmd) {
			if strings.HasPrefix(c.name, "completion") && format != "text" {
				continue // the scripts are not reports
			}
			covered[cmd.CommandPath()+" -o "+format] = true
			args := append(append([]string{}, c.args...), "-o", format)
			r := execCLI(t, "", nil, false, args...)
			where := "authdoctor " + strings.Join(args, " ")
			if r.code != 0 && r.code != 1 {
				t.Errorf("%s: exit %d\n%s", where, r.code, r.stderr)
				continue
			}
			checkFormat(t, where, format, c.report, r.stdout)
			checkStderr(t, where, r.stderr)
			if c.note != "" {
				if !strings.Contains(r.stderr, "authdoctor: note: ") || !strings.Contains(r.stderr, c.note) {
					t.Errorf("%s: the note %q is not on stderr:\n%s", where, c.note, r.stderr)
				}
				// JSON results may carry notes as data (token's
				// result.notices); the text report may not show them.
				if format == "text" && strings.Contains(r.stdout, c.note) {
					t.Errorf("%s: the note %q is on stdout", where, c.note)
				}
			}
		}
	}
	for _, cmd := range runnableCommands() {
		for _, format := range outputsOf(cmd) {
			if strings.HasPrefix(cmd.CommandPath(), "authdoctor completion") && format != "text" {
				continue
			}
			if !covered[cmd.CommandPath()+" -o "+format] {
				t.Errorf("no stdout/stderr case for `%s -o %s`: add one to streamCases", cmd.CommandPath(), format)
			}
		}
	}
}

// checkFormat asserts stdout is a complete document of the format.
func checkFormat(t *testing.T, where, format string, report bool, stdout string) {
	t.Helper()
	if strings.TrimSpace(stdout) == "" {
		t.Errorf("%s: nothing on stdout", where)
		return
	}
	if strings.Contains(stdout, "\x1b[") {
		t.Errorf("%s: colour on piped stdout", where)
	}
	switch format {
	case "json":
		var doc map[string]any
		dec := json.NewDecoder(strings.NewReader(stdout))
		if err := dec.Decode(&doc); err != nil || dec.More() {
			t.Errorf("%s: stdout is not one JSON document (%v):\n%s", where, err, stdout)
		} else if report && doc["schemaVersion"] != float64(1) {
			t.Errorf("%s: not the schemaVersion 1 report", where)
		}
	case "sarif":
		validateSARIF(t, where, stdout)
	case "markdown":
		if !strings.HasPrefix(stdout, "# ") && !strings.HasPrefix(stdout, "| ") {
			t.Errorf("%s: stdout does not start as a markdown page or table:\n%s", where, stdout)
		}
	case "text":
		for _, l := range strings.Split(stdout, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "authdoctor: ") {
				t.Errorf("%s: a message on stdout: %q", where, l)
			}
		}
		if first := strings.SplitN(stdout, " ", 2)[0]; report && !slices.Contains([]string{"OK", "FAIL", "WARN", "INFO"}, first) {
			t.Errorf("%s: the report does not start with its verdict: %q", where, first)
		}
	}
}

// checkStderr asserts every line on stderr is one of authdoctor's own
// messages ("authdoctor: …"), or the continuation of one when wrapped.
func checkStderr(t *testing.T, where, stderr string) {
	t.Helper()
	for _, l := range strings.Split(strings.TrimRight(stderr, "\n"), "\n") {
		if l != "" && !strings.HasPrefix(l, "authdoctor: ") && !strings.HasPrefix(l, " ") {
			t.Errorf("%s: stderr line that is not a message: %q", where, l)
		}
	}
}

var (
	sarifOnce   sync.Once
	sarifSchema *jsonschema.Schema
	sarifErr    error
)

func validateSARIF(t *testing.T, where, doc string) {
	t.Helper()
	sarifOnce.Do(func() {
		f, err := os.Open("../shared/fixtures/sarif-schema-2.1.0.json")
		if err != nil {
			sarifErr = err
			return
		}
		defer f.Close()
		s, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			sarifErr = err
			return
		}
		c := jsonschema.NewCompiler()
		if sarifErr = c.AddResource("sarif.json", s); sarifErr == nil {
			sarifSchema, sarifErr = c.Compile("sarif.json")
		}
	})
	if sarifErr != nil {
		t.Fatalf("SARIF schema: %v", sarifErr)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(doc)))
	if err != nil {
		t.Errorf("%s: stdout is not JSON: %v", where, err)
		return
	}
	if err := sarifSchema.Validate(inst); err != nil {
		t.Errorf("%s: stdout is not valid SARIF 2.1.0: %v", where, err)
	}
}

// findCommand resolves a command line to its command in the whole tree.
func findCommand(t *testing.T, args []string) *cobra.Command {
	t.Helper()
	root := clidocs.NewRoot()
	root.InitDefaultCompletionCmd()
	cmd, _, err := root.Find(args)
	if err != nil || cmd == root {
		t.Fatalf("no command for %v: %v", args, err)
	}
	return cmd
}

// runnableCommands lists every command a user can run (a group such as
// `config` only says which subcommand to use).
func runnableCommands() []*cobra.Command {
	root := clidocs.NewRoot()
	root.InitDefaultCompletionCmd()
	var out []*cobra.Command
	var visit func(*cobra.Command)
	visit = func(c *cobra.Command) {
		for _, s := range c.Commands() {
			if !s.IsAvailableCommand() {
				continue
			}
			if s.Runnable() && !s.HasAvailableSubCommands() {
				out = append(out, s)
			}
			visit(s)
		}
	}
	visit(root)
	return out
}

// outputsOf is the --output values a command accepts (its annotation, or
// the parent's, else text and json).
func outputsOf(cmd *cobra.Command) []string {
	for c := cmd; c != nil; c = c.Parent() {
		if a, ok := c.Annotations[cmdutil.OutputsAnnotation]; ok {
			return strings.Split(a, ",")
		}
	}
	return []string{"text", "json"}
}

// -q prints the verdict line of the text report and nothing else: the
// same first line as without it, no notes on stderr, the same exit code.
// It refuses another format (exit 2).
func TestQuietPrintsOnlyTheVerdict(t *testing.T) {
	t.Chdir(repoRootDir(t))
	n := 0
	for _, c := range streamCases(t) {
		if !c.report {
			continue
		}
		n++
		full := execCLI(t, "", nil, false, c.args...)
		quiet := execCLI(t, "", nil, false, append([]string{"-q"}, c.args...)...)
		where := "authdoctor -q " + strings.Join(c.args, " ")
		first := strings.SplitN(full.stdout, "\n", 2)[0] + "\n"
		if quiet.stdout != first || quiet.code != full.code {
			t.Errorf("%s: exit %d (full %d), stdout:\n%s\nwant the verdict line:\n%s", where, quiet.code, full.code, quiet.stdout, first)
		}
		if quiet.stderr != "" {
			t.Errorf("%s: stderr %q", where, quiet.stderr)
		}
	}
	if n < 10 {
		t.Errorf("only %d report commands tried", n)
	}
	r := execCLI(t, "", nil, false, "token", "@"+exampleToken, "--quiet", "-o", "json")
	if r.code != 2 || !strings.Contains(r.stderr, "--quiet") || r.stdout != "" {
		t.Errorf("--quiet -o json: exit %d, stderr %q", r.code, r.stderr)
	}
}

// On a terminal the text report is wrapped to COLUMNS: no line wider
// unless it holds one unbreakable word after its label, and the words are
// those of the piped report in the same order. Piped, nothing is wrapped.
func TestTextReportWrapsToTheTerminal(t *testing.T) {
	t.Chdir(repoRootDir(t))
	for _, c := range streamCases(t) {
		if !c.report {
			continue
		}
		args := append([]string{"--color", "never"}, c.args...)
		piped := execCLI(t, "", nil, false, args...)
		tty := execCLI(t, "", map[string]string{"COLUMNS": "72"}, true, args...)
		where := "authdoctor " + strings.Join(c.args, " ")
		if strings.Join(strings.Fields(piped.stdout), " ") != strings.Join(strings.Fields(tty.stdout), " ") {
			t.Errorf("%s: wrapping changed the words", where)
		}
		for _, l := range strings.Split(tty.stdout, "\n") {
			if len([]rune(l)) > 72 && !hasUnbreakableWord(l, 72-48) {
				t.Errorf("%s: line of %d columns on a 72-column terminal: %q", where, len([]rune(l)), l)
			}
		}
	}
}

// hasUnbreakableWord reports whether a line holds a word longer than n
// columns: with continuations indented at most 48 columns, such a word
// (a URL, a path) may not fit any line of a 72-column terminal, and words
// are never cut.
func hasUnbreakableWord(l string, n int) bool {
	for _, w := range strings.Fields(l) {
		if len([]rune(w)) > n {
			return true
		}
	}
	return false
}
