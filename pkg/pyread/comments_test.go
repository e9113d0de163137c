package pyread

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

// edgeSource holds the cases a line scan for '#' gets wrong, and those
// it must keep; the CPython test below checks it too.
const edgeSource = `# own line
AUTH_TYPE = 4  # after code
DOC = """
# inside a triple-quoted string: not a comment
"""
URL = "https://example.com/#fragment"  # the real one
S = '#' + "#"
F = f"{x!r:#>10}"  # after an f-string
OAUTH_PROVIDERS = [
    # inside brackets, alone on its line
    {"name": "azure"},  # inside brackets, after code
]
X = 1 \
    # alone on the line after a continuation
R = r"\"#"  # raw string with an escaped quote
`

func TestComments_EdgeCases(t *testing.T) {
	got := Comments([]byte(edgeSource), nil)
	want := []Comment{
		{1, "# own line", false},
		{2, "# after code", true},
		{6, "# the real one", true},
		{8, "# after an f-string", true},
		{10, "# inside brackets, alone on its line", false},
		{11, "# inside brackets, after code", true},
		{14, "# alone on the line after a continuation", false},
		{15, "# raw string with an escaped quote", true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

// Lines of a Python taken from a YAML file map to the file's lines.
func TestComments_MappedLines(t *testing.T) {
	src := "A = 1\n# c\nB = 2  # d\n"
	lines := []LineOrigin{{Line: 10, ColOffset: 4}, {Line: 11, ColOffset: 4}, {Line: 12, ColOffset: 4}}
	got := Comments([]byte(src), lines)
	if len(got) != 2 || got[0].Line != 11 || got[1].Line != 12 || got[0].AfterCode || !got[1].AfterCode {
		t.Errorf("%+v", got)
	}
}

// An unterminated triple-quoted string swallows the rest, as in Python;
// a byte-order mark is not code.
func TestComments_UnterminatedAndBOM(t *testing.T) {
	if got := Comments([]byte("A = '''\n# swallowed\n"), nil); len(got) != 0 {
		t.Errorf("comment inside an unterminated string: %+v", got)
	}
	if got := Comments([]byte("\ufeff# first"), nil); len(got) != 1 || got[0].AfterCode || got[0].Text != "# first" {
		t.Errorf("BOM: %+v", got)
	}
}

// Every comment CPython 3.11's tokenize module finds in the config
// corpora (and only those), on the same line, with the same text and the
// same "after code" placement.
func TestComments_MatchCPythonTokenize(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	var files []string
	for _, pat := range []string{"../../testdata/configs/*.py", "../../testdata/lint/*.py", "../../testdata/configs/hostile/*.py"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) < 80 {
		t.Fatalf("only %d corpus files", len(files))
	}
	edge := filepath.Join(t.TempDir(), "edge.py")
	if err := os.WriteFile(edge, []byte(edgeSource), 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, edge)
	const script = `
import json, sys, tokenize
out = {}
for path in sys.argv[1:]:
    try:
        with open(path, 'rb') as f:
            toks = list(tokenize.tokenize(f.readline))
    except Exception as e:
        out[path] = None
        continue
    lines = open(path, encoding='utf-8-sig', errors='replace').read().splitlines()
    out[path] = [[t.start[0], t.string, t.line[:t.start[1]].strip(' \t\f') != '']
                 for t in toks if t.type == tokenize.COMMENT]
json.dump(out, sys.stdout)
`
	cmd := exec.Command(py, append([]string{"-c", script}, files...)...)
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var want map[string][][3]any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	compared, total := 0, 0
	for _, path := range files {
		w, ok := want[path]
		if !ok || w == nil {
			continue // CPython's tokenizer refuses the file (a syntax corpus case)
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var got [][3]any
		for _, c := range Comments(src, nil) {
			got = append(got, [3]any{float64(c.Line), c.Text, c.AfterCode})
		}
		if len(w) == 0 {
			w = nil
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s:\n got  %v\n want %v", path, got, w)
		}
		compared++
		total += len(w)
	}
	if compared < 60 || total < 200 {
		t.Errorf("compared only %d files, %d comments", compared, total)
	}
	if want[edge] == nil {
		t.Error("CPython refused the edge cases")
	}
	t.Logf("%d files, %d comments equal to CPython's tokenize", compared, total)
}
