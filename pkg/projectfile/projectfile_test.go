package projectfile

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/config"
)

func TestMatchGlob(t *testing.T) {
	cases := []struct {
		pattern, name string
		want          bool
	}{
		{"deploy/*.py", "deploy/webserver_config.py", true},
		{"deploy/*.py", "deploy/sub/webserver_config.py", false},
		{"deploy/*.py", "webserver_config.py", false},
		{"*.py", "webserver_config.py", true},
		{"*.py", "deploy/webserver_config.py", false},
		{"**/*.py", "webserver_config.py", true},
		{"**/*.py", "a/b/c/webserver_config.py", true},
		{"charts/**", "charts/airflow/values.yaml", true},
		{"charts/**/values.yaml", "charts/values.yaml", true},
		{"charts/**/values.yaml", "charts/a/b/values.yaml", true},
		{"charts/**/values.yaml", "charts/a/b/values.yml", false},
		{"deploy/webserver_config.py", "deploy/webserver_config.py", true},
		{"deploy/[ab].py", "deploy/a.py", true},
	}
	for _, c := range cases {
		if got := matchGlob(c.pattern, c.name); got != c.want {
			t.Errorf("matchGlob(%q, %q) = %v", c.pattern, c.name, got)
		}
	}
}

func load(t *testing.T, dir, content string) *File {
	t.Helper()
	p := filepath.Join(dir, Name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(p, catalog.Default())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestLoadEverySetting(t *testing.T) {
	dir := t.TempDir()
	f := load(t, dir, `# a comment
ignore:
  - CFG009
  - secret-in-config
  - path: ./deploy/*.py
    checks: [cfg013, ROL001]
    reason: "legacy provider, see #123"
flavor: superset
env:
  - A=1
  - B
env-file: [lint.env, /etc/lint.env]
roles-file: roles.json
fail-on: info
`)
	if f.Flavor != (Value{"superset", 8}) || f.FailOn != (Value{"info", 14}) {
		t.Errorf("flavor %+v fail-on %+v", f.Flavor, f.FailOn)
	}
	if !reflect.DeepEqual(f.Env, []Value{{"A=1", 10}, {"B", 11}}) {
		t.Errorf("env %+v", f.Env)
	}
	if f.EnvFiles[0].V != filepath.Join(dir, "lint.env") || f.EnvFiles[1].V != "/etc/lint.env" || f.RolesFile.V != filepath.Join(dir, "roles.json") {
		t.Errorf("paths %+v %+v", f.EnvFiles, f.RolesFile)
	}
	if len(f.Ignores) != 3 {
		t.Fatalf("ignores %+v", f.Ignores)
	}
	if e := f.Ignores[1].Entry; strings.Join(e.Checks, ",") != "CFG006" || e.Line != 4 || e.File != filepath.Join(dir, Name) {
		t.Errorf("by name %+v", e)
	}
	if ig := f.Ignores[2]; ig.Pattern != "deploy/*.py" || strings.Join(ig.Entry.Checks, ",") != "CFG013,ROL001" || ig.Entry.Reason != "legacy provider, see #123" || ig.Entry.Line != 5 {
		t.Errorf("entry %+v %+v", ig, ig.Entry)
	}
	got := func(file string) int { return len(f.EntriesFor(filepath.Join(dir, file))) }
	if got("deploy/webserver_config.py") != 3 || got("webserver_config.py") != 2 || got("../outside.py") != 2 {
		t.Errorf("EntriesFor: %d %d %d", got("deploy/webserver_config.py"), got("webserver_config.py"), got("../outside.py"))
	}
}

func TestEmptyProjectFiles(t *testing.T) {
	for _, content := range []string{"", "# nothing yet\n", "---\n", "~\n"} {
		f := load(t, t.TempDir(), content)
		if f.Flavor.V != "" || len(f.Ignores) != 0 {
			t.Errorf("%q: %+v", content, f)
		}
	}
}

// Flags given win; env entries come before the command line's (which
// win key by key); a bare name is taken from the environment.
func TestReadOptionsPrecedence(t *testing.T) {
	dir := t.TempDir()
	f := load(t, dir, "flavor: airflow3\nenv: [A=project, B, C]\nenv-file: p.env\n")
	fenv := filepath.Join(dir, "f.env")
	for name, content := range map[string]string{"p.env": "E=project\nF=project\n", "f.env": "F=flag\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	o := config.LoadOptions{Flavor: "auto", Env: []string{"A=flag"}, EnvFiles: []string{fenv},
		Environ: func() []string { return []string{"B=process", "D=other"} }}
	none := func(string) bool { return false }
	got := f.ReadOptions(o, none)
	if got.Flavor != "airflow3" || !strings.Contains(got.FlavorFrom, Name+":1") {
		t.Errorf("flavor %q from %q", got.Flavor, got.FlavorFrom)
	}
	if strings.Join(got.Env, " ") != "A=project B=process A=flag" {
		t.Errorf("env %v", got.Env)
	}
	if strings.Join(got.EnvFiles, " ") != filepath.Join(dir, "p.env")+" "+fenv {
		t.Errorf("env files %v", got.EnvFiles)
	}
	env, _, err := got.Environment()
	if err != nil || env["A"] != "flag" || env["B"] != "process" || env["E"] != "project" || env["F"] != "flag" || env["D"] != "other" {
		t.Errorf("environment %v %v", env, err)
	}
	o.Flavor = "airflow2"
	if got := f.ReadOptions(o, func(n string) bool { return n == "flavor" }); got.Flavor != "airflow2" || got.FlavorFrom != "" {
		t.Errorf("--flavor lost: %q %q", got.Flavor, got.FlavorFrom)
	}
	if strings.Join(o.Env, " ") != "A=flag" {
		t.Errorf("the caller's options were changed: %v", o.Env)
	}
}

func TestFindStopsAtRepositoryRoot(t *testing.T) {
	tmp := t.TempDir()
	for _, d := range []string{"repo/.git", "repo/a/b"} {
		if err := os.MkdirAll(filepath.Join(tmp, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, Name), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(filepath.Join(tmp, "repo/a/b")); got != "" || err != nil {
		t.Errorf("crossed the repository root: %q %v", got, err)
	}
	if got, _ := Find(tmp); got != filepath.Join(tmp, Name) {
		t.Errorf("in the start directory: %q", got)
	}
	// A relative start gives a relative path.
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll("x/y", 0o755); err != nil {
		t.Fatal(err)
	}
	if got, _ := Find("x/y"); got != Name {
		t.Errorf("relative: %q", got)
	}
}
