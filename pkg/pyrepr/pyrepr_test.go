package pyrepr

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// Each value is rendered by CPython (repr of the JSON value as json.loads
// reads it) and by Value; they must agree character for character. (A Go
// map has no order: Value sorts keys, so the documents list them sorted.)
func TestValueAgreesWithCPython(t *testing.T) {
	if _, err := exec.LookPath("/usr/bin/python3"); err != nil {
		t.Skip("CPython (/usr/bin/python3) is not installed: the differential test needs it")
	}
	docs := []string{
		`"plain"`, `"it's"`, `"say \"hi\""`, `"both ' and \""`, `"back\\slash"`,
		`"tab\tnew\nline\r"`, `"\u0007bell\u007f"`, `"caf\u00e9 \u00a0nbsp"`, `"\u200bzero width"`,
		`"\ud83d\ude00 emoji"`, `"\u0301combining"`, `null`, `true`, `false`,
		`1.0`, `0.1`, `1e22`, `1e-7`, `123456789012345678.0`, `-0.0`, `2.5e-5`,
		`["a", 1.5, null, {"k": "v"}]`, `{"a": [true, "x'y"], "b": 1.0}`,
	}
	var want []string
	script := "import json, sys\nfor line in sys.stdin:\n    print(repr(json.loads(line)))\n"
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Stdin = strings.NewReader(strings.Join(docs, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	want = strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(want) != len(docs) {
		t.Fatalf("python3 printed %d lines for %d documents", len(want), len(docs))
	}
	for i, doc := range docs {
		var v any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		if got := Value(v, nil); got != want[i] {
			t.Errorf("repr(%s) = %s, CPython says %s", doc, got, want[i])
		}
	}
}

func TestStrOfIsTheStringItselfOrItsRepr(t *testing.T) {
	if got := StrOf("it's", nil); got != "it's" {
		t.Errorf("str('it''s') = %q", got)
	}
	if got := StrOf(nil, nil); got != "None" {
		t.Errorf("str(None) = %q", got)
	}
	own := func(v any) (string, bool) { s, ok := v.(struct{}); _ = s; return "<own>", ok }
	if got := StrOf([]any{struct{}{}, 2.0}, own); got != "[<own>, 2.0]" {
		t.Errorf("the caller's own type inside a list: %q", got)
	}
}
