package pyread

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// readBounded reads src and checks it took little time and memory.
func readBounded(t *testing.T, name, src string, env map[string]string) *Module {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m := Read(name, []byte(src), Options{Env: env})
	runtime.ReadMemStats(&after)
	// The work is bounded by the evaluation budget, counted in steps, not
	// by the clock (the machine is shared; a hang is the test timeout's).
	// (a statement may finish the unit of work it started: a margin)
	if m.Steps > 2*defaultMaxSteps {
		t.Errorf("%s: %d evaluation steps, over the budget of %d", name, m.Steps, defaultMaxSteps)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 512<<20 {
		t.Errorf("%s: read allocated %d MiB", name, alloc>>20)
	}
	for _, d := range m.Diagnostics {
		if strings.Contains(d.Message, "internal error") {
			t.Errorf("%s: %v", name, d)
		}
	}
	t.Logf("%s: %d steps", name, m.Steps)
	return m
}

func TestHostileSideEffects(t *testing.T) {
	src, err := os.ReadFile("../../testdata/configs/hostile/side-effects.py")
	if err != nil {
		t.Fatal(err)
	}
	sentinel := t.TempDir()
	text := strings.ReplaceAll(string(src), "SENTINEL_DIR", sentinel)
	// a copy of the file: os.remove(__file__) must not remove it
	self := filepath.Join(t.TempDir(), "webserver_config.py")
	if err := os.WriteFile(self, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PATH": "/usr/bin"}
	procPath := os.Getenv("PATH")
	m := readBounded(t, self, text, env)

	entries, _ := os.ReadDir(sentinel)
	if len(entries) != 0 {
		t.Fatalf("the reader created files: %v", entries)
	}
	if _, err := os.Stat(self); err != nil {
		t.Fatalf("the config file was touched: %v", err)
	}
	if env["PATH"] != "/usr/bin" || os.Getenv("PATH") != procPath || os.Getenv("AUTHDOCTOR_HOSTILE") != "" {
		t.Fatalf("the environment changed: %v", env)
	}
	for name, why := range map[string]string{
		"SYSTEM": "run a command", "POPEN": "run a command", "RUN": "run a command", "CHECK": "run a command",
		"CALL": "run a command", "OPEN_W": "open a file", "OPEN_R": "open a file", "EVAL": "evaluate code",
		"EXEC": "execute code", "COMPILED": "compile code", "DUNDER": "import a module", "IMPORTLIB": "import code",
		"GETATTR": "run a command", "BUILTINS": "namespace", "MAKEDIRS": "file system", "SHUTIL": "file system",
		"REMOVE": "file system", "NETWORK": "network", "URLOPEN": "network", "SOCK": "network",
	} {
		u := unres(t, m, name)
		if !strings.Contains(u.Reason, why) {
			t.Errorf("%s: reason %q, want it to mention %q", name, u.Reason, why)
		}
	}
	if u := unres(t, m, "SUBCLASSES"); u.Reason == "" {
		t.Errorf("SUBCLASSES has no reason")
	}
	expectJSON(t, m, map[string]string{"PATH_AFTER": `""`, "AFTER_ALL": `"still read"`})
}

func TestHostileResourceExhaustion(t *testing.T) {
	src, err := os.ReadFile("../../testdata/configs/hostile/resource-exhaustion.py")
	if err != nil {
		t.Fatal(err)
	}
	m := readBounded(t, "resource-exhaustion.py", string(src), nil)
	for _, name := range []string{"HUGE_STRING", "HUGE_LIST", "HUGE_INT", "HUGE_SHIFT", "HUGE_RANGE", "COMPREHENSION",
		"NESTED_LOOP", "REPR_BOMB", "JSON_BOMB", "COUNT", "x", "RECURSED", "FIB"} {
		if u := unres(t, m, name); u.Reason == "" {
			t.Errorf("%s: no reason", name)
		}
	}
	expectJSON(t, m, map[string]string{"AFTER_ALL": `"still read"`})
	// ALIASED is legitimately built (100000 references to one list); its
	// JSON is cut short instead of expanding to 10^10 numbers.
	if _, ok := m.Value("ALIASED").(*List); !ok {
		t.Errorf("ALIASED = %T", m.Value("ALIASED"))
	}
	out, _ := json.Marshal(ToJSON(m.Value("ALIASED")))
	if n := strings.Count(string(out), ","); n > 2*maxJSONNodes {
		t.Errorf("ToJSON of an aliased value gave %d elements; it is cut at %d nodes", n, maxJSONNodes)
	}
	ToGo(m.Value("ALIASED"))
}

// TestHostileNesting feeds inputs that defeat naive recursion.
func TestHostileNesting(t *testing.T) {
	cases := map[string]string{
		"brackets":        "X = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\nAFTER = 1\n",
		"parens":          "X = " + strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000) + "\nAFTER = 1\n",
		"unary":           "X = " + strings.Repeat("-", 100000) + "1\nAFTER = 1\n",
		"not":             "X = " + strings.Repeat("not ", 50000) + "True\nAFTER = 1\n",
		"power":           "X = 2" + strings.Repeat(" ** 2", 5000) + "\nAFTER = 1\n",
		"long sum":        "X = 1" + strings.Repeat(" + 1", 200000) + "\nAFTER = 1\n",
		"attributes":      "X = a" + strings.Repeat(".b", 100000) + "\nAFTER = 1\n",
		"calls":           "X = f" + strings.Repeat("()", 100000) + "\nAFTER = 1\n",
		"ternary":         "X = " + strings.Repeat("1 if True else ", 20000) + "2\nAFTER = 1\n",
		"lambdas":         "X = " + strings.Repeat("lambda: ", 20000) + "1\nAFTER = 1\n",
		"fstring":         "X = " + strings.Repeat("f'{", 50) + "1" + strings.Repeat("}'", 50) + "\nAFTER = 1\n",
		"indentation":     strings.Repeat("if True:\n", 1) + buildIndent(300) + "AFTER = 1\n",
		"deep value":      "x = []\nfor i in range(20000):\n    x = [x]\nAFTER = 1\n",
		"deep tuple key":  "t = ()\nfor i in range(5000):\n    t = (t,)\nD = {t: 1}\nAFTER = 1\n",
		"many statements": strings.Repeat("A = [1, 2, 3] * 100000\n", 20000) + "AFTER = 1\n",
		"many ifs":        "import os\nD = {i: i for i in range(2000)}\n" + strings.Repeat("if os.getenv('X'):\n    D[1] = 2\n", 2000) + "AFTER = 1\n",
		"many errors":     strings.Repeat("X = = 1\n", 5000) + "AFTER = 1\n",
		"unclosed many":   strings.Repeat("X = [\n", 3000) + "AFTER = 1\n",
		"long string":     "X = '" + strings.Repeat("a", 4<<20) + "'\nAFTER = 1\n",
		"null bytes":      "X = 1\x00\nAFTER = 1\n",
		"invalid utf8":    "X = '\xff\xfe'\nAFTER = 1\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			m := readBounded(t, name, src, nil)
			if name == "indentation" {
				return // AFTER is inside the nested blocks' error recovery
			}
			if b, ok := m.Lookup("AFTER"); !ok {
				t.Errorf("AFTER not read; diagnostics: %d", len(m.Diagnostics))
			} else if _, isU := b.Value.(*Unresolved); isU && name != "many errors" && name != "unclosed many" {
				t.Logf("AFTER unresolved: %v", b.Value)
			}
		})
	}
}

func buildIndent(n int) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		sb.WriteString(strings.Repeat(" ", i) + "if True:\n")
	}
	sb.WriteString(strings.Repeat(" ", n+1) + "Y = 1\n")
	return sb.String()
}

// TestHostileMethodBodiesStayInert: in a caller's call of a method, code that
// would run a command, open a file, evaluate code or import a module is
// never executed and makes the outcome unknown at its line; endless loops
// and recursion end by the budget (issue 16).
func TestHostileMethodBodiesStayInert(t *testing.T) {
	dir := t.TempDir()
	sentinel := filepath.Join(dir, "pwned")
	src := strings.ReplaceAll(`
import os, subprocess, importlib
from x import Base

class SM(Base):
    def system(self, provider, resp):
        os.system("touch SENTINEL")
        return {"username": "x"}
    def shell(self, provider, resp):
        return subprocess.run(["touch", "SENTINEL"]).returncode
    def opened(self, provider, resp):
        return open("SENTINEL", "w").write("x")
    def evaluated(self, provider, resp):
        return eval("__import__('os').system('touch SENTINEL')")
    def executed(self, provider, resp):
        exec("open('SENTINEL', 'w')")
        return 1
    def imported(self, provider, resp):
        return __import__("os").system("touch SENTINEL")
    def importlib_(self, provider, resp):
        return importlib.import_module("os").system("touch SENTINEL")
    def forever(self, provider, resp):
        while True:
            pass
    def forever_with_break(self, provider, resp):
        i = 0
        while True:
            i += 1
            if i < 0:
                break
    def recursion(self, provider, resp):
        return self.recursion(provider, resp)
`, "SENTINEL", sentinel)
	m := Read("config.py", []byte(src), Options{MaxSteps: 200_000})
	lines := map[string]int{"system": 7, "shell": 10, "opened": 12, "evaluated": 14, "executed": 16, "imported": 19,
		"importlib_": 21, "forever": 23, "forever_with_break": 29, "recursion": 32}
	kinds := map[string]UnknownKind{"forever": UnknownLoop, "forever_with_break": UnknownBudget, "recursion": UnknownBudget}
	for method, line := range lines {
		inst, _ := m.NewInstance("SM", nil)
		o := m.CallMethod(inst, method, []Value{mkStr("azure", 0), newDict(0)}, nil)
		want := UnknownCall
		if k, ok := kinds[method]; ok {
			want = k
		}
		if o.Kind != Unknown || o.Cause.Kind != want || o.Cause.Line != line {
			t.Errorf("%s: %s %+v, want unknown (%s) at line %d", method, describeOutcome(o), o.Cause, want, line)
		}
	}
	if _, err := os.Stat(sentinel); err == nil {
		t.Fatal("the reader ran the file's code")
	}
}
