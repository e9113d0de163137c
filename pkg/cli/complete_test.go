package cli_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/aadsts"
	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/spf13/cobra"
)

// complete asks for completions as the shell scripts do, through cobra's
// hidden __complete command run by cli.Run with buffers, and returns the
// candidate values (descriptions dropped) and the directive line.
func complete(t *testing.T, words ...string) ([]string, string) {
	t.Helper()
	r := execCLI(t, "", nil, false, append([]string{cobra.ShellCompRequestCmd}, words...)...)
	if r.code != 0 {
		t.Fatalf("__complete %q: exit %d\n%s", words, r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	directive := lines[len(lines)-1]
	if !strings.HasPrefix(directive, ":") {
		t.Fatalf("__complete %q: no directive line in %q", words, r.stdout)
	}
	var values []string
	for _, l := range lines[:len(lines)-1] {
		v, _, _ := strings.Cut(l, "\t")
		values = append(values, v)
	}
	return values, directive
}

// explain completes check IDs, check names and the AADSTS codes of the
// table, by prefix and ignoring case.
func TestCompleteExplainArgument(t *testing.T) {
	var wantCF, wantNames []string
	for _, c := range catalog.Default().All() {
		if strings.HasPrefix(c.ID, "CF") {
			wantCF = append(wantCF, c.ID)
		}
		if strings.HasPrefix(c.Name, "kid") {
			wantNames = append(wantNames, c.Name)
		}
	}
	if got, _ := complete(t, "explain", "CF"); !slices.Equal(got, wantCF) || len(got) < 10 {
		t.Errorf("explain CF: %v, want %v", got, wantCF)
	}
	if got, _ := complete(t, "explain", "cf"); !slices.Equal(got, wantCF) {
		t.Errorf("explain cf (lower case): %v", got)
	}
	if got, _ := complete(t, "explain", "kid"); !slices.Equal(got, wantNames) || !slices.Contains(got, "kid-not-found") {
		t.Errorf("explain kid: %v, want %v", got, wantNames)
	}
	var wantCodes []string
	for _, c := range aadsts.All() {
		if strings.HasPrefix(c.ID(), "AADSTS500") {
			wantCodes = append(wantCodes, c.ID())
		}
	}
	if got, _ := complete(t, "explain", "AADSTS500"); !slices.Equal(got, wantCodes) || !slices.Contains(got, "AADSTS50011") {
		t.Errorf("explain AADSTS500: %v, want %v", got, wantCodes)
	}
	// Every candidate is an argument explain accepts.
	all, directive := complete(t, "explain", "")
	if len(all) != 2*len(catalog.Default().All())+len(aadsts.All()) || directive != ":4" {
		t.Errorf("explain: %d candidates, directive %s", len(all), directive)
	}
	for _, v := range all {
		if r := execCLI(t, "", nil, false, "explain", v); r.code != 0 {
			t.Errorf("explain %s (a candidate): exit %d", v, r.code)
		}
	}
	if got, _ := complete(t, "explain", "TOK004", ""); len(got) != 0 {
		t.Errorf("explain takes one argument, second completed with %v", got)
	}
}

// --output offers what the command being completed accepts: each
// candidate is accepted by that command and the formats left out are
// refused (exit 2).
func TestCompleteOutputPerCommand(t *testing.T) {
	t.Chdir(repoRootDir(t))
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"token", "@" + exampleToken}, []string{"text", "json"}},
		{[]string{"lint", "--no-env", "docs/guides/examples/entra-airflow3-webserver_config.py"}, []string{"text", "json", "sarif"}},
		{[]string{"explain", "TOK004"}, []string{"text", "json", "markdown"}},
		{[]string{"checks"}, []string{"text", "json", "markdown"}},
	}
	for _, c := range cases {
		got, _ := complete(t, append(append([]string{}, c.args...), "-o", "")...)
		if !slices.Equal(got, c.want) {
			t.Errorf("%v -o: %v, want %v", c.args, got, c.want)
		}
		for _, f := range []string{"text", "json", "sarif", "markdown"} {
			r := execCLI(t, "", nil, false, append(append([]string{}, c.args...), "-o", f)...)
			if accepted := r.code != 2; accepted != slices.Contains(got, f) {
				t.Errorf("%v -o %s: exit %d, but offered=%v", c.args, f, r.code, slices.Contains(got, f))
			}
		}
	}
	if got, _ := complete(t, "lint", "--output", "s"); !slices.Equal(got, []string{"sarif"}) {
		t.Errorf("lint --output s: %v", got)
	}
}

// --fail-on and --color offer exactly the values the flags accept.
func TestCompleteFailOnAndColor(t *testing.T) {
	t.Chdir(repoRootDir(t))
	for flag, want := range map[string][]string{
		"--fail-on": {"error", "warning", "info", "never"},
		"--color":   {"auto", "always", "never"},
	} {
		got, _ := complete(t, "token", flag, "")
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", flag, got, want)
		}
		for _, v := range append(got, "bogus") {
			r := execCLI(t, "", nil, false, "token", "@"+exampleToken, flag, v)
			if (r.code == 2) != (v == "bogus") {
				t.Errorf("token %s %s: exit %d", flag, v, r.code)
			}
		}
	}
}

// --flavor offers the values of its help text; every one is accepted by
// the flavour parser and by each command that has the flag, and
// together they reach every modelled flavour.
func TestCompleteFlavor(t *testing.T) {
	t.Chdir(repoRootDir(t))
	got, _ := complete(t, "lint", "--flavor", "")
	if got[0] != "auto" || len(got) < 6 {
		t.Fatalf("lint --flavor: %v", got)
	}
	reached := map[fab.Flavor]bool{}
	for _, v := range got {
		f, err := fab.ParseFlavor(v)
		if err != nil {
			t.Errorf("%s: fab.ParseFlavor: %v", v, err)
		}
		reached[f] = true
	}
	for _, f := range fab.Flavors {
		if !reached[f] {
			t.Errorf("no --flavor candidate selects %s", f)
		}
	}
	file := "docs/guides/examples/entra-airflow3-webserver_config.py"
	commands := [][]string{
		{"lint", "--no-env", file},
		{"config", "show", "--no-env", file},
		{"roles", "--no-env", "--config", file, "--claims", "@docs/guides/examples/claims-no-email.json"},
		{"doctor", "--no-env", "--offline", "--config", file},
	}
	for _, args := range commands {
		if c, _ := complete(t, append(append([]string{}, args...), "--flavor", "")...); !slices.Equal(c, got) {
			t.Errorf("%v --flavor: %v", args, c)
		}
		for _, v := range got {
			if r := execCLI(t, "", nil, false, append(append([]string{}, args...), "--flavor", v)...); r.code == 2 || r.code == 3 {
				t.Errorf("%v --flavor %s: exit %d: %s", args, v, r.code, r.stderr)
			}
		}
	}
	if c, _ := complete(t, "lint", "--flavor", "airflow-2"); !slices.Equal(c, []string{"airflow-2.0", "airflow-2.2", "airflow-2.9"}) {
		t.Errorf("--flavor airflow-2: %v", c)
	}
}

// --provider offers the OAUTH_PROVIDERS names of the --config file, read
// statically; nothing when there is no readable config, and the file is
// never executed.
func TestCompleteProvidersFromConfig(t *testing.T) {
	t.Chdir(repoRootDir(t))
	// The names are written in the files: a table of three, and a Helm
	// values file with one.
	for _, c := range []struct {
		cmd, file string
		want      []string
	}{
		{"doctor", "testdata/configs/multi-provider.py", []string{"google", "github", "gitlab"}},
		{"roles", "testdata/configs/multi-provider.py", []string{"google", "github", "gitlab"}},
		{"doctor", "testdata/configs/helm-airflow3-values.yaml", []string{"keycloak"}},
	} {
		got, directive := complete(t, c.cmd, "--no-env", "--config", c.file, "--provider", "")
		if !slices.Equal(got, c.want) || directive != ":4" {
			t.Errorf("%s --config %s --provider: %v %s, want %v", c.cmd, c.file, got, directive, c.want)
		}
	}
	if got, _ := complete(t, "doctor", "--config", "testdata/configs/multi-provider.py", "--provider", "gi"); !slices.Equal(got, []string{"github", "gitlab"}) {
		t.Errorf("--provider gi: %v", got)
	}
	for _, args := range [][]string{
		{"doctor", "--provider", ""},
		{"doctor", "--config", "does/not/exist.py", "--provider", ""},
		{"doctor", "--config", "testdata/configs", "--provider", ""},
		{"doctor", "--config", "testdata/configs/syntax-mismatched-bracket.py", "--provider", "zz"},
	} {
		if got, _ := complete(t, args...); len(got) != 0 {
			t.Errorf("%v: %v", args, got)
		}
	}

	// A hostile file: every way Python could act on the machine, then a
	// provider. Completing reads the provider and does none of it.
	src, err := os.ReadFile("testdata/configs/hostile/side-effects.py")
	if err != nil {
		t.Fatal(err)
	}
	sentinel := t.TempDir()
	hostile := filepath.Join(t.TempDir(), "webserver_config.py")
	writeFile(t, hostile, strings.ReplaceAll(string(src), "SENTINEL_DIR", sentinel)+
		"\nOAUTH_PROVIDERS = [{\"name\": \"evil\", \"remote_app\": {}}]\n")
	got, _ := complete(t, "roles", "--no-env", "--config", hostile, "--provider", "")
	if !slices.Equal(got, []string{"evil"}) {
		t.Errorf("hostile config: %v", got)
	}
	if entries, _ := os.ReadDir(sentinel); len(entries) != 0 {
		t.Errorf("completing --provider acted on the machine: %v", entries)
	}
}

// Every flag named ignore, on any command, completes comma-separated
// check IDs (see also TestCompleteIgnoreAttachesByName for a command that
// has one).
func TestCompleteIgnoreOnCommandsThatHaveIt(t *testing.T) {
	for _, cmd := range runnableCommands() {
		if cmd.Flags().Lookup("ignore") == nil {
			continue
		}
		words := append(strings.Fields(strings.TrimPrefix(cmd.CommandPath(), "authdoctor ")), "--ignore", "CFG001,CFG00")
		got, directive := complete(t, words...)
		if len(got) == 0 || slices.Contains(got, "CFG001,CFG001") || !slices.Contains(got, "CFG001,CFG002") || directive != ":6" {
			t.Errorf("%s --ignore CFG001,CFG00: %v %s", cmd.CommandPath(), got, directive)
		}
	}
}
