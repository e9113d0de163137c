package pyread

import (
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"
)

var fabConsts = map[string]map[string]any{
	"flask_appbuilder.const":            {"AUTH_DB": 1, "AUTH_OAUTH": 4},
	"flask_appbuilder.security.manager": {"AUTH_DB": 1, "AUTH_OAUTH": 4},
}

func readSrc(t *testing.T, src string, env map[string]string) *Module {
	t.Helper()
	return Read("/srv/airflow/webserver_config.py", []byte(src), Options{Env: env, Modules: fabConsts})
}

// jsonOf renders a binding's value as compact JSON.
func jsonOf(t *testing.T, m *Module, name string) string {
	t.Helper()
	b, ok := m.Lookup(name)
	if !ok {
		t.Fatalf("no binding %s; have %v", name, names(m))
	}
	out, err := json.Marshal(ToJSON(b.Value))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func names(m *Module) []string {
	var out []string
	for _, b := range m.Bindings {
		out = append(out, b.Name)
	}
	return out
}

func expectJSON(t *testing.T, m *Module, want map[string]string) {
	t.Helper()
	for name, w := range want {
		if got := jsonOf(t, m, name); got != w {
			t.Errorf("%s = %s, want %s", name, got, w)
		}
	}
}

func unres(t *testing.T, m *Module, name string) *Unresolved {
	t.Helper()
	b, ok := m.Lookup(name)
	if !ok {
		t.Fatalf("no binding %s", name)
	}
	u, ok := b.Value.(*Unresolved)
	if !ok {
		t.Fatalf("%s = %s, want unresolved", name, jsonOf(t, m, name))
	}
	return u
}

func syntaxDiags(m *Module) []Diagnostic { return m.SyntaxErrors() }

func TestLiteralsAndJSONMapping(t *testing.T) {
	m := readSrc(t, `
T = (1, "a", None)
S = {"b", "a", "c"}
FS = frozenset([3, 1])
D = {1: "int", True: "bool key collides with 1", None: "n", 2.5: "f", "s": [1, {"x": ()}]}
B = b"\x00ab"
C = 3j
BIG = 2 ** 70
NEG = -0.0
INF = float("inf")
E = ...
`, nil)
	expectJSON(t, m, map[string]string{
		"T":   `[1,"a",null]`,
		"S":   `["a","b","c"]`,
		"FS":  `[1,3]`,
		"D":   `{"1":"bool key collides with 1","null":"n","2.5":"f","s":[1,{"x":[]}]}`,
		"B":   `{"python":"b'\\x00ab'"}`,
		"C":   `{"python":"3j"}`,
		"BIG": `1180591620717411303424`,
		"NEG": `-0.0`,
		"INF": `{"python":"inf"}`,
		"E":   `{"python":"Ellipsis"}`,
	})
	// ToGo: plain Go values
	if g := ToGo(m.Value("T")); !reflect.DeepEqual(g, []any{int64(1), "a", nil}) {
		t.Errorf("ToGo(T) = %#v", g)
	}
	if g := ToGo(m.Value("S")); !reflect.DeepEqual(g, []any{"a", "b", "c"}) {
		t.Errorf("ToGo(S) = %#v", g)
	}
	if g, ok := ToGo(m.Value("BIG")).(*big.Int); !ok || g.String() != "1180591620717411303424" {
		t.Errorf("ToGo(BIG) = %#v", ToGo(m.Value("BIG")))
	}
	if g, ok := ToGo(m.Value("B")).(*Opaque); !ok || g.Kind != "bytes" || g.Source != `b'\x00ab'` {
		t.Errorf("ToGo(B) = %#v", ToGo(m.Value("B")))
	}
	d, ok := ToGo(m.Value("D")).(map[string]any)
	if !ok || d["null"] != "n" || d["1"] != "bool key collides with 1" {
		t.Errorf("ToGo(D) = %#v", ToGo(m.Value("D")))
	}
}

func TestUnresolvedInsideContainersAndToGo(t *testing.T) {
	m := readSrc(t, `
import os
P = [{"name": "azure", "remote_app": {"client_id": os.getenv("CID"), "secret": os.environ["SEC"]}}]
`, map[string]string{"SEC": "s"})
	got := jsonOf(t, m, "P")
	want := `[{"name":"azure","remote_app":{"client_id":{"line":3,"unresolved":"environment variable CID is not set (os.getenv() would return None); supply it with --env CID=VALUE"},"secret":"s"}}]`
	if got != want {
		t.Errorf("P = %s\nwant  %s", got, want)
	}
	g := ToGo(m.Value("P")).([]any)[0].(map[string]any)["remote_app"].(map[string]any)["client_id"]
	u, ok := g.(*Unresolved)
	if !ok || u.Line != 3 || !reflect.DeepEqual(u.Env, []string{"CID"}) {
		t.Errorf("client_id = %#v, want *Unresolved at line 3 naming CID", g)
	}
	var found bool
	for _, d := range m.Diagnostics {
		if d.Kind == DiagUnresolved && d.Name == "P" && d.Line == 3 && strings.Contains(d.Message, "CID") {
			found = true
		}
	}
	if !found {
		t.Errorf("no unresolved diagnostic for P at line 3: %v", m.Diagnostics)
	}
}

func TestOpaqueValues(t *testing.T) {
	m := readSrc(t, `
from datetime import timedelta
from superset.security import SupersetSecurityManager
class Custom(SupersetSecurityManager):
    X = 1
def helper(a, b=2):
    return a
LIFETIME = timedelta(minutes=30)
CSM = Custom
IMPORTED = SupersetSecurityManager
FN = helper
`, nil)
	expectJSON(t, m, map[string]string{
		"LIFETIME": `{"python":"timedelta(minutes=30)"}`,
		"CSM":      `{"python":"class Custom(SupersetSecurityManager)"}`,
		"IMPORTED": `{"python":"superset.security.SupersetSecurityManager"}`,
		"FN":       `{"python":"def helper(a, b=2)"}`,
	})
	o := m.Value("LIFETIME").(*Opaque)
	if o.Kind != "timedelta" || o.Duration != 30*time.Minute {
		t.Errorf("LIFETIME = %+v", o)
	}
	c := m.Value("CSM").(*Opaque)
	if c.Kind != "class" || !reflect.DeepEqual(c.Bases, []string{"superset.security.SupersetSecurityManager"}) {
		t.Errorf("CSM = %+v", c)
	}
}

func TestConditionalBindings(t *testing.T) {
	src := `
import os
ENV = os.getenv("ENV")
if ENV == "prod":
    URL = "https://prod"
elif ENV == "dev":
    URL = "http://dev"
else:
    URL = "http://local"
SAME = 1
if ENV:
    SAME = 1
    ONLY_IF = True
`
	m := readSrc(t, src, nil)
	b, _ := m.Lookup("URL")
	if !b.Conditional {
		t.Fatalf("URL should be conditional")
	}
	u := b.Value.(*Unresolved)
	if len(u.Alternatives) != 3 {
		t.Fatalf("URL alternatives = %+v", u.Alternatives)
	}
	var alts []string
	for _, a := range u.Alternatives {
		s, _ := ToGo(a.Value).(string)
		alts = append(alts, a.Condition+" => "+s)
	}
	want := []string{`if ENV == "prod" => https://prod`, `if ENV == "dev" => http://dev`, `else => http://local`}
	if !reflect.DeepEqual(alts, want) {
		t.Errorf("alternatives = %q, want %q", alts, want)
	}
	if !strings.Contains(u.Reason, "environment variable ENV is not set") || !reflect.DeepEqual(u.Env, []string{"ENV"}) {
		t.Errorf("reason = %q env %v", u.Reason, u.Env)
	}
	if b, _ := m.Lookup("SAME"); b.Conditional || jsonOf(t, m, "SAME") != "1" {
		t.Errorf("SAME should stay 1 and unconditional")
	}
	// `if ENV:` tests the None of the unset variable: CPython skips the
	// block, and so does the reader (as for os.getenv("ENV", ""))
	if b, ok := m.Lookup("ONLY_IF"); ok {
		t.Errorf("ONLY_IF = %+v, want it unset", b)
	}
	// the same file with ENV known is fully resolved
	m = readSrc(t, src, map[string]string{"ENV": "dev"})
	expectJSON(t, m, map[string]string{"URL": `"http://dev"`, "ONLY_IF": "true"})
	if b, _ := m.Lookup("URL"); b.Conditional || b.Line != 7 {
		t.Errorf("URL binding = %+v, want line 7, not conditional", b)
	}
}

func TestEnvironmentSemantics(t *testing.T) {
	m := readSrc(t, `
import os
A = os.getenv("UNSET", "default")
B = os.environ.get("UNSET", None)
C = os.getenv("UNSET") or "fallback"
try:
    D = os.environ["UNSET"]
except KeyError:
    D = "from handler"
E = os.environ["UNSET"]
os.environ["SET_HERE"] = "v"
F = os.getenv("SET_HERE")
G = "SET" in os.environ
`, map[string]string{"SET": "1"})
	// C: os.getenv returns None, so `or` takes the fallback, as an
	// explicit default would (issue 17)
	expectJSON(t, m, map[string]string{
		"A": `"default"`, "B": "null", "C": `"fallback"`, "D": `"from handler"`, "F": `"v"`, "G": "true",
	})
	e := unres(t, m, "E")
	if !strings.Contains(e.Reason, "environment variable UNSET is not set") || e.Line != 10 {
		t.Errorf("E = %+v", e)
	}
}

func TestImportsAndConstants(t *testing.T) {
	m := readSrc(t, `
from flask_appbuilder.security.manager import AUTH_OAUTH as OAUTH, AUTH_DB
import flask_appbuilder.const
from flask_appbuilder.const import *
X = flask_appbuilder.const.AUTH_OAUTH
`, nil)
	expectJSON(t, m, map[string]string{"OAUTH": "4", "AUTH_DB": "1", "X": "4", "AUTH_OAUTH": "4"})
	want := []Import{
		{Module: "flask_appbuilder.security.manager", Name: "AUTH_OAUTH", Alias: "OAUTH", Line: 2},
		{Module: "flask_appbuilder.security.manager", Name: "AUTH_DB", Alias: "AUTH_DB", Line: 2},
		{Module: "flask_appbuilder.const", Alias: "flask_appbuilder", Line: 3},
		{Module: "flask_appbuilder.const", Star: true, Line: 4},
	}
	if !reflect.DeepEqual(m.Imports, want) {
		t.Errorf("imports = %+v", m.Imports)
	}
}

func TestStarImportOfUnknownModule(t *testing.T) {
	m := readSrc(t, `
from local_settings import *
X = SOMETHING
`, nil)
	u := unres(t, m, "X")
	if !strings.Contains(u.Reason, "may come from `from local_settings import *`") {
		t.Errorf("X reason = %q", u.Reason)
	}
}

func TestCallHookAndModules(t *testing.T) {
	var got CallInfo
	opts := Options{Call: func(c CallInfo) (any, bool) {
		if c.Func == "airflow.configuration.conf.get" {
			got = c
			return "https://hook", true
		}
		return nil, false
	}}
	m := Read("x.py", []byte(`
from airflow.configuration import conf as c
U = c.get("webserver", "base_url", fallback="x")
V = c.other("a")
`), opts)
	if jsonOf(t, m, "U") != `"https://hook"` {
		t.Errorf("U = %s", jsonOf(t, m, "U"))
	}
	if !reflect.DeepEqual(got.Args, []any{"webserver", "base_url"}) || got.Kwargs["fallback"] != "x" || got.Line != 3 {
		t.Errorf("hook saw %+v", got)
	}
	if u := unres(t, m, "V"); !strings.Contains(u.Reason, "airflow.configuration.conf.other") {
		t.Errorf("V = %+v", u)
	}
}

func TestLineMapping(t *testing.T) {
	lines := []LineOrigin{{Line: 10, ColOffset: 4}, {Line: 11, ColOffset: 4}, {Line: 12, ColOffset: 4}}
	m := Read("values.yaml", []byte("A = 1\nB = [\nC = 2\n"), Options{Lines: lines})
	if b, _ := m.Lookup("A"); b.Line != 10 {
		t.Errorf("A line = %d, want 10", b.Line)
	}
	se := m.SyntaxErrors()
	if len(se) != 1 || se[0].Line != 11 || se[0].Col != 9 || se[0].Message != "'[' was never closed" {
		t.Errorf("syntax errors = %+v, want '[' was never closed at 11:9", se)
	}
	if b, ok := m.Lookup("C"); !ok || b.Line != 12 {
		t.Errorf("C = %+v", b)
	}
}

// TestSyntaxRecoveryMatchesCPython checks positions and messages against
// what CPython 3.11 reports for the same sources, and that the rest of the
// file is read.
func TestSyntaxRecoveryMatchesCPython(t *testing.T) {
	cases := []struct {
		name, src      string
		line, col      int
		msg            string
		mustHave       map[string]string
		mustNotBeBound []string
	}{
		{"unclosed bracket (incident)", "A = 1\nP = [\n    {\"name\": \"azure\"},\n\nB = 2\n", 2, 5, "'[' was never closed",
			map[string]string{"A": "1", "P": `[{"name":"azure"}]`, "B": "2"}, nil},
		{"unclosed at EOF", "A = 1\nP = {\"k\": [1, 2\n", 2, 11, "'[' was never closed",
			map[string]string{"A": "1", "P": `{"k":[1,2]}`}, nil},
		{"mismatched", "P = [{\"a\": 1]\nB = 2\n", 1, 13, "closing parenthesis ']' does not match opening parenthesis '{'",
			map[string]string{"P": `[{"a":1}]`, "B": "2"}, nil},
		{"unterminated string", "A = 'abc\nB = 2\n", 1, 5, "unterminated string literal (detected at line 1)",
			map[string]string{"B": "2"}, []string{"A"}},
		{"double equals", "A = = 1\nB = 2\n", 1, 5, "invalid syntax", map[string]string{"B": "2"}, []string{"A"}},
		{"unmatched closer", "A = 1)\nB = 2\n", 1, 6, "unmatched ')'", map[string]string{"B": "2"}, nil},
		{"unterminated triple", "A = 1\nB = \"\"\"never\nC = 3\n", 2, 5, "unterminated triple-quoted string literal (detected at line 3)",
			map[string]string{"A": "1"}, []string{"C"}},
		{"leading zero", "A = 012\nB = 2\n", 1, 5, "leading zeros in decimal integer literals are not permitted",
			map[string]string{"B": "2"}, nil},
		{"bad target", "f() = 1\nB = 2\n", 1, 1, "cannot assign to function call", map[string]string{"B": "2"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := readSrc(t, c.src, nil)
			se := syntaxDiags(m)
			if len(se) == 0 {
				t.Fatalf("no syntax error")
			}
			if se[0].Line != c.line || se[0].Col != c.col || !strings.HasPrefix(se[0].Message, c.msg) {
				t.Errorf("first error %d:%d %q, want %d:%d %q", se[0].Line, se[0].Col, se[0].Message, c.line, c.col, c.msg)
			}
			expectJSON(t, m, c.mustHave)
			for _, n := range c.mustNotBeBound {
				if _, ok := m.Lookup(n); ok {
					t.Errorf("%s should not be bound", n)
				}
			}
		})
	}
}

func TestIncidentFile(t *testing.T) {
	src := `import os
from airflow.www.fab_security.manager import AUTH_OAUTH
AUTH_TYPE = AUTH_OAUTH
OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "remote_app": {
            "authorize_url": "https://login.microsoftonline.com/t/oauth2/v2.0/authorize",
            "jwks_uri": "https://login.microsoftonline.com/common/discovery/v2.0/keys",
        },
    }

AUTH_ROLES_MAPPING = {"airflow_nonprod_admin": ["Admin"]}
`
	m := Read("webserver_config.py", []byte(src), Options{Modules: map[string]map[string]any{"airflow.www.fab_security.manager": {"AUTH_OAUTH": 4}}})
	se := m.SyntaxErrors()
	if len(se) != 1 || se[0].Line != 4 || se[0].Col != 19 || se[0].Message != "'[' was never closed" {
		t.Fatalf("syntax errors = %+v", se)
	}
	expectJSON(t, m, map[string]string{
		"AUTH_TYPE":          "4",
		"OAUTH_PROVIDERS":    `[{"name":"azure","remote_app":{"authorize_url":"https://login.microsoftonline.com/t/oauth2/v2.0/authorize","jwks_uri":"https://login.microsoftonline.com/common/discovery/v2.0/keys"}}]`,
		"AUTH_ROLES_MAPPING": `{"airflow_nonprod_admin":["Admin"]}`,
	})
	// the entry lines of the recovered dict point into the file
	d := m.Value("OAUTH_PROVIDERS").(*List).Elems[0].(*Dict)
	ra, _ := d.Lookup("remote_app")
	if l := ra.(*Dict).LookupLine("jwks_uri"); l != 9 {
		t.Errorf("jwks_uri line = %d, want 9", l)
	}
}

func TestTryExceptSemantics(t *testing.T) {
	m := readSrc(t, `
try:
    from custom_module import VALUE
except ImportError:
    VALUE = "fallback"
try:
    R = 1 / 0
except ZeroDivisionError:
    R = "zero"
else:
    R = "else"
finally:
    F = "finally"
try:
    X = {}["k"]
except (TypeError, LookupError) as e:
    X = "lookup"
`, nil)
	expectJSON(t, m, map[string]string{"R": `"zero"`, "F": `"finally"`, "X": `"lookup"`})
	v := unres(t, m, "VALUE")
	if len(v.Alternatives) != 2 || ToGo(v.Alternatives[1].Value) != "fallback" {
		t.Errorf("VALUE alternatives = %+v", v.Alternatives)
	}
	if _, ok := m.Lookup("e"); ok {
		t.Errorf("the except name must be unbound after the handler")
	}
}

func TestMutationsAndTaint(t *testing.T) {
	m := readSrc(t, `
import os
L = [1]
L.append(2)
L.extend(os.getenv("UNSET_LIST"))
D = {"a": 1}
D.update(os.getenv("UNSET_D"))
K = {}
K[os.getenv("ROLE")] = ["Admin"]
K["static"] = ["Viewer"]
`, nil)
	if u := unres(t, m, "L"); !strings.Contains(u.Reason, "UNSET_LIST") {
		t.Errorf("L = %+v", u)
	}
	if u := unres(t, m, "D"); !strings.Contains(u.Reason, "UNSET_D") {
		t.Errorf("D = %+v", u)
	}
	k, _ := ToGo(m.Value("K")).(map[string]any)
	if len(k) != 2 || !reflect.DeepEqual(k["static"], []any{"Viewer"}) ||
		!reflect.DeepEqual(k["<unresolved: environment variable ROLE is not set (os.getenv() would return None); supply it with --env ROLE=VALUE>"], []any{"Admin"}) {
		t.Errorf("K = %#v", k)
	}
}

func TestMatchWhileAndUserFunctions(t *testing.T) {
	m := readSrc(t, `
X = 1
match X:
    case 1:
        Y = "one"
while X < 10:
    X += 1
def f(a, *rest, k=3, **kw):
    return [a, list(rest), k, sorted(kw)]
R = f(1, 2, 3, k=4, z=5, y=6)
def g():
    return g()
LOOP = g()
`, nil)
	if u := unres(t, m, "Y"); !strings.Contains(u.Reason, "match statement") {
		t.Errorf("Y = %+v", u)
	}
	if u := unres(t, m, "X"); !strings.Contains(u.Reason, "while loop") {
		t.Errorf("X = %+v", u)
	}
	expectJSON(t, m, map[string]string{"R": `[1,[2,3],4,["y","z"]]`})
	if u := unres(t, m, "LOOP"); !strings.Contains(u.Reason, "nested too deeply") {
		t.Errorf("LOOP = %+v", u)
	}
	var notes int
	for _, d := range m.Diagnostics {
		if d.Kind == DiagNote {
			notes++
		}
	}
	if notes < 2 {
		t.Errorf("want notes for match and while: %v", m.Diagnostics)
	}
}

func TestFormattingMatchesPython(t *testing.T) {
	// expected strings checked against CPython 3.11
	m := readSrc(t, `
A = f"{3.14159:.2f}|{42:>5}|{'x'!r}|{255:#x}|{1234567:,}|{0.5:.0%}|{7=}"
B = "%s %r %05.1f %-4d| %x" % ("s", "r", 2.25, 7, 255)
C = "{0}{1}{0} {k:^5}".format("a", "b", k="c")
D = repr([1.0, 1e16, 1e-5, 0.1 + 0.2, "it's", 'q"', None, True])
E = str(2 ** 64) + " " + str(-7 // 2) + " " + str(-7 % 2) + " " + str(7 / 2)
F = f"{1e20:g} {123456.0:g} {0.0001:g} {1.5:e}"
`, nil)
	expectJSON(t, m, map[string]string{
		"A": `"3.14|   42|'x'|0xff|1,234,567|50%|7=7"`,
		"B": `"s 'r' 002.2 7   | ff"`,
		"C": `"aba   c  "`,
		"D": `"[1.0, 1e+16, 1e-05, 0.30000000000000004, \"it's\", 'q\"', None, True]"`,
		"E": `"18446744073709551616 -4 1 3.5"`,
		"F": `"1e+20 123456 0.0001 1.500000e+00"`,
	})
}

func TestSetOrderIsNotGuessed(t *testing.T) {
	m := readSrc(t, `
S = {"b", "a"}
L = list(S)
N = sorted(S)
SMALL = list({3, 1, 2})
`, nil)
	if u := unres(t, m, "L"); !strings.Contains(u.Reason, "PYTHONHASHSEED") {
		t.Errorf("L = %+v", u)
	}
	expectJSON(t, m, map[string]string{"N": `["a","b"]`, "SMALL": "[1,2,3]"})
}

func TestBindingOrderAndLines(t *testing.T) {
	m := readSrc(t, "A = 1\nB = 2\nA = 3\n", nil)
	if got := names(m); !reflect.DeepEqual(got, []string{"B", "A"}) {
		t.Errorf("order = %v, want [B A] (order of last assignment)", got)
	}
	if b, _ := m.Lookup("A"); b.Line != 3 || b.Source != "3" {
		t.Errorf("A = %+v", b)
	}
}

func TestIsUpperName(t *testing.T) {
	for name, want := range map[string]bool{"AUTH_TYPE": true, "X1": true, "_X": true, "basedir": false, "Foo": false, "_": false, "__X__": true, "ÄB": true} {
		if got := IsUpperName(name); got != want {
			t.Errorf("IsUpperName(%q) = %v", name, got)
		}
	}
}

func TestUnresolvedDiagnosticPlacement(t *testing.T) {
	m := readSrc(t, `import os
DIALECT = os.getenv("DIALECT")
URI = DIALECT + "://db"
PROVIDERS = [{
    "name": "x",
    "client_id": DIALECT,
    "secret": os.getenv("SECRET"),
}]
`, nil)
	got := map[string][]string{}
	for _, d := range m.Diagnostics {
		if d.Kind == DiagUnresolved {
			got[d.Name] = append(got[d.Name], fmt.Sprintf("%d %s", d.Line, d.Message))
		}
	}
	want := map[string][]string{
		"DIALECT": {"2 environment variable DIALECT is not set (os.getenv() would return None); supply it with --env DIALECT=VALUE"},
		"URI":     {"3 environment variable DIALECT is not set (os.getenv() would return None); supply it with --env DIALECT=VALUE (the value comes from line 2)"},
		"PROVIDERS": {
			"6 environment variable DIALECT is not set (os.getenv() would return None); supply it with --env DIALECT=VALUE (the value comes from line 2)",
			"7 environment variable SECRET is not set (os.getenv() would return None); supply it with --env SECRET=VALUE",
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diagnostics:\n%q\nwant\n%q", got, want)
	}
}

func TestTypeCheckingIsFalse(t *testing.T) {
	m := readSrc(t, "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from x import Y\n    A = 1\nelse:\n    A = 2\n", nil)
	expectJSON(t, m, map[string]string{"A": "2"})
}

func TestFormatFieldErrors(t *testing.T) {
	// each raises ValueError in CPython; the reader says so without crashing
	m := readSrc(t, "A = '{0[0]]}'.format([1])\nB = '{0[}'.format([1])\nC = '{'.format(1)\nD = '}'.format(1)\n", nil)
	for _, n := range []string{"A", "B", "C", "D"} {
		if u := unres(t, m, n); !strings.HasPrefix(u.Reason, "raises ValueError") {
			t.Errorf("%s: %q", n, u.Reason)
		}
	}
}

func TestBuiltinArity(t *testing.T) {
	// found by fuzzing: `oct(` read as oct() must not crash
	m := readSrc(t, "A = oct()\nB = chr()\nC = ord(1, 2)\nD = bytes()\nE = hex(255)\n", nil)
	for _, n := range []string{"A", "B", "C"} {
		if u := unres(t, m, n); !strings.HasPrefix(u.Reason, "raises TypeError") {
			t.Errorf("%s: %q", n, u.Reason)
		}
	}
	expectJSON(t, m, map[string]string{"D": `{"python":"b''"}`, "E": `"0xff"`})
}
