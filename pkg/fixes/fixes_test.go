package fixes

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// The patch is the one GNU diff -u writes for the same change: the same
// hunks, context and ranges.
func TestDiffIsGNUDiffs(t *testing.T) {
	diffBin, err := exec.LookPath("diff")
	if err != nil {
		t.Skip("diff is not installed")
	}
	var lines []string
	for i := 1; i <= 40; i++ {
		lines = append(lines, "    \"k"+strings.Repeat("x", i%3)+"\": "+string(rune('a'+i%26))+",")
	}
	cases := map[string]struct {
		text  string
		edits []engine.Edit
	}{
		"one replace":             {strings.Join(lines, "\n") + "\n", []engine.Edit{{Line: 20, Old: "k", New: "K"}}},
		"close changes merge":     {strings.Join(lines, "\n") + "\n", []engine.Edit{{Line: 10, Old: "k", New: "K"}, {Line: 16, Insert: "\"new\": 1,"}}},
		"far changes split":       {strings.Join(lines, "\n") + "\n", []engine.Edit{{Line: 2, Old: "k", New: "K"}, {Line: 30, Insert: "\"new\": 1,"}}},
		"first and last line":     {strings.Join(lines, "\n") + "\n", []engine.Edit{{Line: 1, Old: "k", New: "K"}, {Line: 40, Insert: "\"z\": 0,"}}},
		"no newline at the end":   {strings.Join(lines[:5], "\n"), []engine.Edit{{Line: 2, Old: "k", New: "K"}}},
		"insert keeps the indent": {strings.Join(lines[:8], "\n") + "\n", []engine.Edit{{Line: 4, Insert: "\"t\": 1,"}}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, skipped, err := Diff([]engine.Finding{{Subject: engine.Subject{File: "f.py"}}}, nil)
			if err != nil || got != "" || skipped != nil {
				t.Fatalf("no edits: %q %v %v", got, skipped, err)
			}
			var fs []engine.Finding
			for i := range c.edits {
				fs = append(fs, engine.Finding{Subject: engine.Subject{File: "f.py"}, Edit: &c.edits[i]})
			}
			got, skipped, err = Diff(fs, func(string) ([]byte, error) { return []byte(c.text), nil })
			if err != nil || len(skipped) > 0 {
				t.Fatal(err, skipped)
			}
			// apply the same edits by hand for GNU diff's side
			newText := apply(c.text, c.edits)
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
			os.WriteFile(a, []byte(c.text), 0o644)
			os.WriteFile(b, []byte(newText), 0o644)
			out, _ := exec.Command(diffBin, "-u", "--label", "f.py", "--label", "f.py", a, b).Output()
			if got != string(out) {
				t.Errorf("ours:\n%s\nGNU diff:\n%s", got, out)
			}
		})
	}
}

// apply is the edits' meaning written plainly.
func apply(text string, edits []engine.Edit) string {
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	for i, l := range lines {
		for _, e := range edits {
			if e.Line == i+1 && e.Old != "" {
				l = strings.Replace(l, e.Old, e.New, 1)
			}
		}
		b.WriteString(l)
		for _, e := range edits {
			if e.Line == i+1 && e.Insert != "" {
				trimmed := strings.TrimLeft(l, " \t")
				if !strings.HasSuffix(l, "\n") {
					b.WriteString("\n")
				}
				b.WriteString(l[:len(l)-len(trimmed)] + e.Insert + "\n")
			}
		}
	}
	return b.String()
}

// An edit whose text is no longer on its line is skipped and said.
func TestStaleEditIsSkipped(t *testing.T) {
	fs := []engine.Finding{{Subject: engine.Subject{File: "f.py"}, Edit: &engine.Edit{Line: 1, Old: "gone", New: "x"}},
		{Subject: engine.Subject{File: "f.py"}, Edit: &engine.Edit{Line: 9, Old: "a", New: "b"}}}
	got, skipped, err := Diff(fs, func(string) ([]byte, error) { return []byte("a = 1\n"), nil })
	if err != nil || got != "" || len(skipped) != 2 {
		t.Fatalf("%q %v %v", got, skipped, err)
	}
}
