package pyread

import (
	"reflect"
	"testing"
)

// Consumers read syntax errors and unresolved values through fields, never
// through their prose (issue 15, part 2).

func syntaxAt(t *testing.T, m *Module, line int) Diagnostic {
	t.Helper()
	for _, d := range m.SyntaxErrors() {
		if d.Line == line {
			return d
		}
	}
	t.Fatalf("no syntax error at line %d: %v", line, m.Diagnostics)
	return Diagnostic{}
}

func TestSyntaxDiagnosticFields(t *testing.T) {
	// CPython 3.11: "'{' was never closed" at 2:12; the reader reads the
	// dict as closed before line 4.
	m := readSrc(t, "A = 1\nPROVIDERS = {\"a\": 1,\n  \"b\": 2\nAFTER = 3\n", nil)
	d := syntaxAt(t, m, 2)
	if d.Code != SyntaxUnclosed || d.OpenLine != 2 || d.Col != 13 {
		t.Errorf("unclosed: %+v, want Code unclosed, OpenLine 2, col 13", d)
	}
	if d.Recovered == "" {
		t.Errorf("unclosed: no recovery said: %+v", d)
	}
	if jsonOf(t, m, "AFTER") != "3" {
		t.Errorf("AFTER = %s", jsonOf(t, m, "AFTER"))
	}

	// "closing parenthesis ']' does not match opening parenthesis '{' on
	// line 2" at 3:1
	m = readSrc(t, "A = 1\nB = {\"a\": [1,\n]]\nC = 2\n", nil)
	d = syntaxAt(t, m, 3)
	if d.Code != SyntaxMismatch || d.OpenLine != 2 {
		t.Errorf("mismatch: %+v, want Code mismatch, OpenLine 2", d)
	}

	m = readSrc(t, "A = = 1\n", nil)
	d = syntaxAt(t, m, 1)
	if d.Code != SyntaxOther || d.OpenLine != 0 || d.Recovered != "" {
		t.Errorf("plain error: %+v", d)
	}
}

func TestSyntaxOpenLineFollowsLineMapping(t *testing.T) {
	m := Read("values.yaml", []byte("A = (1,\nB = 2\n"), Options{Lines: []LineOrigin{{Line: 40, ColOffset: 4}, {Line: 41, ColOffset: 4}}})
	d := syntaxAt(t, m, 40)
	if d.OpenLine != 40 || d.Code != SyntaxUnclosed {
		t.Errorf("%+v, want OpenLine 40", d)
	}
}

// unresolvedDiag is the unresolved diagnostic of a binding.
func unresolvedDiag(t *testing.T, m *Module, name string) Diagnostic {
	t.Helper()
	for _, d := range m.Diagnostics {
		if d.Kind == DiagUnresolved && d.Name == name {
			return d
		}
	}
	t.Fatalf("no unresolved diagnostic for %s: %v", name, m.Diagnostics)
	return Diagnostic{}
}

func TestUnresolvedKinds(t *testing.T) {
	m := readSrc(t, `
import os, requests
from somewhere import *
ENV = os.environ["MISSING"]
HTTP = requests.get("https://idp/userinfo", timeout=5).json()
OPENED = open("/etc/passwd").read()
STAR = NAME_FROM_STAR
ORDER = [x for x in {"a", "b"}]
while os.getenv("LOOP") != "done":
    LOOPED = 1
match os.getenv("M"):
    case "a":
        MATCHED = 1
if os.environ.get("FLAG") == "1":
    COND = "on"
else:
    COND = "off"
BIG = "x" * (1 << 40)
`, nil)
	cases := map[string]UnknownKind{
		"ENV": UnknownEnv, "HTTP": UnknownCall, "OPENED": UnknownCall, "STAR": UnknownImported,
		"ORDER": UnknownSetOrder, "LOOPED": UnknownLoop, "MATCHED": UnknownMatch, "COND": UnknownCondition,
		"BIG": UnknownBudget,
	}
	for name, want := range cases {
		u := unres(t, m, name)
		if u.Kind != want {
			t.Errorf("%s: kind %q, want %q (%s)", name, u.Kind, want, u.Reason)
		}
	}
	if u := unres(t, m, "ENV"); !reflect.DeepEqual(u.Env, []string{"MISSING"}) {
		t.Errorf("ENV: Env = %v", u.Env)
	}
	// the call that made it unknown, by its dotted name and source text
	if u := unres(t, m, "HTTP").Root(); u.Callee != "requests.get" || u.Call != `requests.get("https://idp/userinfo", timeout=5)` || u.Line != 5 {
		t.Errorf("HTTP root: %+v", u)
	}
	if u := unres(t, m, "OPENED").Root(); u.Callee != "open" || u.Call != `open("/etc/passwd")` {
		t.Errorf("OPENED root: %+v", u)
	}
	// a conditional value points at what the condition depended on
	cond := unres(t, m, "COND")
	if r := cond.Root(); r.Kind != UnknownEnv || !reflect.DeepEqual(r.Env, []string{"FLAG"}) {
		t.Errorf("COND root: %+v", r)
	}
	if len(cond.Alternatives) != 2 {
		t.Errorf("COND alternatives: %v", cond.Alternatives)
	}
	// the diagnostic carries the value it reports
	if d := unresolvedDiag(t, m, "COND"); d.Value != m.Value("COND") {
		t.Errorf("COND diagnostic value %p, binding %p", d.Value, m.Value("COND"))
	}
}

func TestUnresolvedCauseThroughFunctionsAndTaint(t *testing.T) {
	m := readSrc(t, `
import os, requests
def pick(flag):
    if flag:
        return "a"
    return "b"
R = pick(requests.head("https://x").ok)
D = {}
D.update(requests.get("https://y").json())
`, nil)
	for name, callee := range map[string]string{"R": "requests.head", "D": "requests.get"} {
		r := unres(t, m, name).Root()
		if r.Kind != UnknownCall || r.Callee != callee {
			t.Errorf("%s root: %+v, want the call of %s", name, r, callee)
		}
	}
}

func TestCallHookResultsAreCalls(t *testing.T) {
	m := Read("c.py", []byte("from airflow.configuration import conf\nX = conf.get('webserver', 'base_url')\n"), Options{
		Call: func(c CallInfo) (any, bool) {
			return &Unresolved{Reason: "not in the environment", Env: []string{"AIRFLOW__WEBSERVER__BASE_URL"}}, true
		},
	})
	u := unres(t, m, "X")
	if u.Kind != UnknownCall || u.Callee != "airflow.configuration.conf.get" || u.Call != "conf.get('webserver', 'base_url')" || u.Line != 2 {
		t.Errorf("%+v", u)
	}
	if !reflect.DeepEqual(u.Env, []string{"AIRFLOW__WEBSERVER__BASE_URL"}) {
		t.Errorf("Env = %v", u.Env)
	}
}
