package pyread

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// sourceCases are files CPython refuses or accepts for their bytes.
var sourceCases = map[string]string{
	"png header":          "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
	"binary no nul":       "A = 1\n\x89PNG\x01\x02\xff\xfe\n\x93\x94garbage\n",
	"nul in code":         "A = 1\nB = 2\x00\nC = 3\n",
	"nul in string":       "A = 1\nB = \"x\x00y\"\n",
	"latin-1 in string":   "A = \"\xe9t\xe9\"\nB = 2\n",
	"latin-1 at end":      "A = \"ab\xe9\"\n",
	"latin-1 in name":     "caf\xe9 = 1\n",
	"latin-1 in comment":  "A = 1\n# caf\xe9\nB = 2\n",
	"after escape":        "A = \"\\\\\xe9x\"\n",
	"raw string":          "A = r\"x\\\xe9\"\n",
	"f-string":            "A = f\"x{1}\xe9\"\n",
	"triple quoted":       "A = \"\"\"x\ny\xe9\"\"\"\n",
	"second of two":       "A = (\"a\"\n \"\xe9\")\n",
	"truncated 4-byte":    "A = \"\xf0\x9f\"\n",
	"bad continuation":    "A = \"\xf0\x9fxyz\"\n",
	"surrogate":           "A = \"\xed\xa0\x80\"\n",
	"overlong":            "A = \"\xc0\xaf\"\n",
	"valid then invalid":  "A = \"\xc3\xa9\xff\xfe\"\n",
	"declared latin-1":    "# -*- coding: latin-1 -*-\nA = \"\xe9t\xe9\"\n",
	"declared line 2":     "#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\nA = \"\xe9\"\n",
	"declared too late":   "A = 1\n# coding: latin-1\nB = \"\xe9\"\n",
	"declared cp1252":     "# coding: cp1252\nA = \"\x80\x93\"\n",
	"declared utf-8":      "# coding: utf-8\nA = \"\xe9\"\n",
	"declared utf8":       "# coding: utf8\nA = \"\xe9\"\n",
	"declared ascii":      "# coding: ascii\nA = \"\xe9\"\n",
	"unknown encoding":    "# coding: nosuchcodec\nA = 1\n",
	"bom and latin-1":     "\xef\xbb\xbf# coding: latin-1\nA = 1\n",
	"bom then bad":        "\xef\xbb\xbfA = \"\xff\"\n",
	"valid utf-8":         "A = \"caf\xc3\xa9\"\n",
	"syntax error first":  "A = 1 +\nB = \"\xe9\"\n",
	"bad byte then error": "A = \"\xe9\"\nB = 1 +\n",
}

// TestSourceBytesAsCPython: a file CPython's compile() refuses for its
// bytes gets exactly one syntax error, worded as CPython 3.11 words it and
// on the line it names (compile() names no line for NUL bytes: the reader
// gives the line of the first one); a file it accepts gets none for its
// bytes. What the reader reads past it is still there.
func TestSourceBytesAsCPython(t *testing.T) {
	py, err := exec.LookPath("/usr/bin/python3")
	if err != nil {
		t.Skip("CPython (/usr/bin/python3) is not installed: the differential test needs it")
	}
	dir := t.TempDir()
	var files []string
	for name, src := range sourceCases {
		f := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".py")
		if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	oracle := `
import json, sys
out = {}
for f in sys.argv[1:]:
    try:
        compile(open(f, "rb").read(), f, "exec")
        out[f] = None
    except SyntaxError as e:
        out[f] = {"msg": e.msg, "line": e.lineno}
    except ValueError as e:
        # 3.11 raises ValueError for NUL bytes when compile() runs more
        # than once in a process, SyntaxError the first time
        out[f] = {"msg": str(e), "line": None}
print(json.dumps(out))
`
	out, err := exec.Command(py, append([]string{"-c", oracle}, files...)...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("python3: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("python3: %v", err)
	}
	var want map[string]*struct {
		Msg  string
		Line *int
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src, _ := os.ReadFile(f)
		m := Read(f, src, Options{})
		syn := m.SyntaxErrors()
		w := want[f]
		name := filepath.Base(f)
		encoding := w != nil && (strings.Contains(w.Msg, "codec") || strings.Contains(w.Msg, "null bytes") ||
			strings.Contains(w.Msg, "encoding"))
		switch {
		case w == nil:
			if len(syn) != 0 {
				t.Errorf("%s: CPython accepts it, the reader says %v", name, syn)
			}
		case !encoding:
			// a plain syntax error comes first in CPython: the reader
			// reports it among its errors
			found := false
			for _, d := range syn {
				if d.Message == w.Msg || strings.HasPrefix(d.Message, w.Msg) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: CPython says %q, the reader %v", name, w.Msg, syn)
			}
		default:
			if len(syn) != 1 {
				t.Errorf("%s: %d syntax errors, want exactly one: %v", name, len(syn), syn)
				continue
			}
			d := syn[0]
			if d.Message != w.Msg || d.Code != SyntaxEncoding {
				t.Errorf("%s: reader %q (code %d), CPython %q", name, d.Message, d.Code, w.Msg)
			}
			if w.Line != nil && *w.Line > 0 && d.Line != *w.Line {
				t.Errorf("%s: reader line %d, CPython line %d", name, d.Line, *w.Line)
			}
		}
	}
	// the values are still read: undecodable bytes as Latin-1
	m := Read("x.py", []byte(sourceCases["latin-1 in string"]), Options{})
	expectJSON(t, m, map[string]string{"A": `"été"`, "B": "2"})
	m = Read("x.py", []byte(sourceCases["nul in code"]), Options{})
	expectJSON(t, m, map[string]string{"C": "3"})
	m = Read("x.py", []byte(sourceCases["declared cp1252"]), Options{})
	expectJSON(t, m, map[string]string{"A": `"€“"`})
}
