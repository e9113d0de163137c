package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// corpusDir holds the config corpus (issue 5).
const corpusDir = "../../testdata/configs"

// baseEnv is the environment both CPython and the reader get; files add
// to it with "# env: KEY=VALUE" lines.
var baseEnv = map[string]string{
	"AIRFLOW_HOME":                 "/opt/airflow",
	"HOME":                         "/home/airflow",
	"AZURE_TENANT_ID":              "9a95fd9e-005d-487a-9a01-d08c1eab2757",
	"AZURE_CLIENT_ID":              "11111111-2222-3333-4444-555555555555",
	"AZURE_CLIENT_SECRET":          "azure-secret-value",
	"GOOGLE_CLIENT_ID":             "google-id.apps.googleusercontent.com",
	"GOOGLE_CLIENT_SECRET":         "google-secret",
	"GITHUB_CLIENT_ID":             "gh-id",
	"GITHUB_CLIENT_SECRET":         "gh-secret",
	"SUPERSET_SECRET_KEY":          "superset-secret-key",
	"DATABASE_DIALECT":             "postgresql",
	"DATABASE_USER":                "superset",
	"DATABASE_PASSWORD":            "superset-pw",
	"DATABASE_HOST":                "db",
	"DATABASE_PORT":                "5432",
	"DATABASE_DB":                  "superset",
	"REDIS_HOST":                   "redis",
	"DEPLOY_ENV":                   "prod",
	"ENABLE_PROXY_FIX_SET_TRUE":    "true",
	"PYTHONDONTWRITEBYTECODE":      "1",
	"PYTHONHASHSEED":               "0",
	"PYTHONIOENCODING":             "utf-8",
	"LC_ALL":                       "C.UTF-8",
	"PYTHONNOUSERSITE":             "1",
	"AIRFLOW__CORE__LOAD_EXAMPLES": "False",
}

type directives struct {
	skip       string
	env        map[string]string
	unresolved map[string]string // name → reason substring
}

func readDirectives(src string) directives {
	d := directives{env: map[string]string{}, unresolved: map[string]string{}}
	for _, line := range strings.Split(src, "\n") {
		if !strings.HasPrefix(line, "#") {
			if strings.TrimSpace(line) != "" {
				break
			}
			continue
		}
		body := strings.TrimSpace(strings.TrimPrefix(line, "#"))
		switch {
		case strings.HasPrefix(body, "diff: skip"):
			d.skip = strings.TrimSpace(strings.TrimPrefix(body, "diff: skip"))
		case strings.HasPrefix(body, "env:"):
			k, v, _ := strings.Cut(strings.TrimSpace(strings.TrimPrefix(body, "env:")), "=")
			d.env[k] = v
		case strings.HasPrefix(body, "expect-unresolved:"):
			n, reason, _ := strings.Cut(strings.TrimSpace(strings.TrimPrefix(body, "expect-unresolved:")), ":")
			d.unresolved[strings.TrimSpace(n)] = strings.TrimSpace(reason)
		}
	}
	return d
}

func writeStubs(t *testing.T, dir string) {
	t.Helper()
	data, err := os.ReadFile("testdata/pystubs.txt")
	if err != nil {
		t.Fatal(err)
	}
	var path string
	var body []string
	flush := func() {
		if path == "" {
			return
		}
		p := filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Join(body, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "=== ") {
			flush()
			path, body = strings.TrimPrefix(line, "=== "), nil
			continue
		}
		if path != "" {
			body = append(body, line)
		}
	}
	flush()
}

// normalize decodes JSON with numbers kept as text.
func normalize(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("bad JSON %s: %v", b, err)
	}
	return v
}

func isFloatText(s string) bool { return strings.ContainsAny(s, ".eE") }

// jsonEqual compares decoded JSON; numbers must agree in value and in
// being int or float (1 vs 1.0 differ, as in Python).
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok || isFloatText(string(x)) != isFloatText(string(y)) {
			return false
		}
		if !isFloatText(string(x)) {
			bx, _ := new(big.Int).SetString(string(x), 10)
			by, _ := new(big.Int).SetString(string(y), 10)
			return bx != nil && by != nil && bx.Cmp(by) == 0
		}
		fx, e1 := strconv.ParseFloat(string(x), 64)
		fy, e2 := strconv.ParseFloat(string(y), 64)
		return e1 == nil && e2 == nil && fx == fy
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !jsonEqual(v, w) {
				return false
			}
		}
		return true
	}
	return a == b
}

// unresolvedReasons lists the reasons of {"unresolved": …} objects.
func unresolvedReasons(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		if r, ok := x["unresolved"].(string); ok {
			if _, hasLine := x["line"]; hasLine && len(x) == 2 {
				return []string{r}
			}
		}
		for _, e := range x {
			out = append(out, unresolvedReasons(e)...)
		}
	case []any:
		for _, e := range x {
			out = append(out, unresolvedReasons(e)...)
		}
	}
	return out
}

func isOpaqueJSON(v any) bool {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false
	}
	_, ok = m["python"]
	return ok
}

type diffStats struct {
	files, skipped, compared, equal, unresolved int
}

// TestDifferentialCPython runs every corpus .py file under CPython with
// stub modules and the same environment, and compares each
// JSON-representable module-level value with what the reader produced:
// equal, or reported unresolved with the reason the file declares.
func TestDifferentialCPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	stubs := t.TempDir()
	writeStubs(t, stubs)
	runner, _ := filepath.Abs("testdata/pyrun.py")
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.py"))
	if len(files) < 40 {
		t.Fatalf("corpus has %d .py files, want at least 40", len(files))
	}
	type job struct {
		Path string            `json:"path"`
		Env  map[string]string `json:"env"`
	}
	type result struct {
		Values map[string]json.RawMessage `json:"values"`
		Other  []string                   `json:"other"`
		Error  string                     `json:"error"`
	}
	var st diffStats
	var jobs []job
	srcs := map[string][]byte{}
	dirs := map[string]directives{}
	for _, path := range files {
		abs, _ := filepath.Abs(path)
		src, err := os.ReadFile(abs)
		if err != nil {
			t.Fatal(err)
		}
		d := readDirectives(string(src))
		st.files++
		if d.skip != "" {
			st.skipped++
			t.Logf("%s: skipped: %s", filepath.Base(path), d.skip)
			continue
		}
		env := map[string]string{"PYTHONPATH": stubs}
		for k, v := range baseEnv {
			env[k] = v
		}
		for k, v := range d.env {
			env[k] = v
		}
		jobs = append(jobs, job{abs, env})
		srcs[abs], dirs[abs] = src, d
	}
	in, _ := json.Marshal(jobs)
	cmd := exec.Command(py, "-B", "-s", runner)
	cmd.Env = []string{"PYTHONPATH=" + stubs, "PYTHONDONTWRITEBYTECODE=1", "PYTHONHASHSEED=0", "LC_ALL=C.UTF-8"}
	cmd.Dir = stubs
	cmd.Stdin = bytes.NewReader(in)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("CPython runner failed: %v\n%s", err, errb.String())
	}
	results := map[string]result{}
	if err := json.Unmarshal(out.Bytes(), &results); err != nil {
		t.Fatalf("runner output: %v", err)
	}
	for _, j := range jobs {
		j := j
		t.Run(filepath.Base(j.Path), func(t *testing.T) {
			cp, ok := results[j.Path]
			if !ok || cp.Error != "" {
				t.Fatalf("CPython failed on the file:\n%s", cp.Error)
			}
			f, err := Parse(j.Path, srcs[j.Path], LoadOptions{NoEnv: true, Env: envPairs(j.Env)})
			if err != nil {
				t.Fatal(err)
			}
			for _, dg := range f.Module.SyntaxErrors() {
				t.Errorf("syntax error reported on a file CPython runs: %v", dg)
			}
			cmp, eq, unres := compareModule(t, f.Module, cp.Values, cp.Other, dirs[j.Path].unresolved)
			st.compared += cmp
			st.equal += eq
			st.unresolved += unres
		})
	}
	t.Logf("differential: %d files (%d skipped: syntax errors CPython refuses), %d JSON-representable values compared: %d equal, %d unresolved with the declared reason",
		st.files, st.skipped, st.compared, st.equal, st.unresolved)
	if st.compared == 0 {
		t.Fatal("nothing compared")
	}
	writeDiffSummary(st)
}

func envPairs(env map[string]string) []string {
	var out []string
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

func compareModule(t *testing.T, m *pyread.Module, want map[string]json.RawMessage, other []string, expect map[string]string) (compared, equal, unres int) {
	t.Helper()
	seenExpect := map[string]bool{}
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		compared++
		wantV := normalize(t, want[name])
		b, ok := m.Lookup(name)
		if !ok {
			t.Errorf("%s: CPython has %s, the reader has no binding", name, want[name])
			continue
		}
		gotJSON, err := json.Marshal(pyread.ToJSON(b.Value))
		if err != nil {
			t.Errorf("%s: marshal: %v", name, err)
			continue
		}
		got := normalize(t, gotJSON)
		reasons := unresolvedReasons(got)
		if len(reasons) > 0 {
			sub, declared := expect[name]
			seenExpect[name] = true
			if !declared {
				t.Errorf("%s: unresolved but not declared (CPython: %s; reader: %s)", name, want[name], gotJSON)
				continue
			}
			found := false
			for _, r := range reasons {
				if strings.Contains(r, sub) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: unresolved with reasons %q, want one containing %q", name, reasons, sub)
				continue
			}
			unres++
			continue
		}
		if _, declared := expect[name]; declared {
			seenExpect[name] = true
			t.Errorf("%s: declared unresolved but the reader resolved it to %s (CPython %s)", name, gotJSON, want[name])
			continue
		}
		if !jsonEqual(got, wantV) {
			t.Errorf("%s:\n  CPython: %s\n  reader:  %s", name, want[name], gotJSON)
			continue
		}
		equal++
	}
	isOther := map[string]bool{}
	for _, n := range other {
		isOther[n] = true
	}
	for _, b := range m.Bindings {
		if _, ok := want[b.Name]; ok || isOther[b.Name] {
			continue
		}
		j := pyread.ToJSON(b.Value)
		raw, _ := json.Marshal(j)
		g := normalize(t, raw)
		if len(unresolvedReasons(g)) > 0 || isOpaqueJSON(g) {
			continue
		}
		t.Errorf("%s: the reader has %s but CPython does not define the name", b.Name, raw)
	}
	for n := range expect {
		if !seenExpect[n] {
			if _, ok := want[n]; !ok {
				t.Errorf("%s: declared unresolved, but CPython has no JSON value for it", n)
			}
		}
	}
	return compared, equal, unres
}

func writeDiffSummary(st diffStats) {
	if p := os.Getenv("AUTHDOCTOR_DIFF_SUMMARY"); p != "" {
		_ = os.WriteFile(p, []byte(fmt.Sprintf("files=%d skipped=%d compared=%d equal=%d unresolved=%d\n",
			st.files, st.skipped, st.compared, st.equal, st.unresolved)), 0o644)
	}
}
