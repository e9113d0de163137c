package config

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// FuzzExtractYAML runs the Helm values / ConfigMap extraction and the
// whole load (the Python reader with the YAML line mapping) over any YAML.
// Beyond "no panic" it asserts the line contract of the package: every
// line number it gives (the mapping, settings, diagnostics) is a line of
// the YAML file, and a line mapped with a column offset (a literal block
// scalar) holds the Python line there.
//
// The seeds are the YAML files of the config corpus (testdata/configs) and
// the shapes below; testdata/fuzz holds more.
func FuzzExtractYAML(f *testing.F) {
	m, _ := filepath.Glob(filepath.Join(corpusDir, "*.y*ml"))
	sort.Strings(m)
	if len(m) == 0 {
		f.Fatalf("no YAML files in %s", corpusDir)
	}
	for _, p := range m {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"webserver:\n  webserverConfig: |\n    AUTH_TYPE = AUTH_OAUTH\n    X = [\n",
		"apiServer:\n  apiServerConfig: \"AUTH_TYPE = 4\\nY = 1\"\nairflowVersion: 3.0.2\nwebserver:\n  webserverConfig: |-\n    A = 1\n",
		"configOverrides:\n  b: |\n    B = 2\n  a: |\n    A = '{{ .Values.x }}'\nx: 1\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\ndata:\n  webserver_config.py: |\n    SECRET_KEY = 's'\n---\nkind: Secret\ndata:\n  a.py: QQ==\n",
		"a: &x |\n  A = 1\nwebserver:\n  webserverConfig: *x\n",
		"webserver:\n  webserverConfig: >\n    A = 1\n    B = 2\n",
		"webserver:\n  webserverConfig: |\n\tA = 1\n",
		"webserver:\r\n  webserverConfig: |\r\n    A = 1\r\n",
		"---\n---\n",
		"webserver: [1, 2]\n",
		"{{ .Values }}: x\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Lines as YAML (and editors) count them: CR LF, LF and a lone CR
		// each end a line.
		raw := strings.Split(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(data)), "\n")
		inFile := func(what string, line int) {
			if line < 1 || line > len(raw) {
				t.Fatalf("%s: line %d is not a line of the %d-line file", what, line, len(raw))
			}
		}
		ex, err := extractYAML(data)
		if err != nil {
			if ex != nil {
				t.Fatal("extractYAML returned a result and an error")
			}
			return
		}
		pyLines := strings.Split(ex.source, "\n")
		for i, lo := range ex.lines {
			// A blank Python line may map past the end: the newline that
			// ends a literal block is the file's last byte, or missing.
			if i >= len(pyLines) || strings.TrimSpace(pyLines[i]) != "" || lo.Line > len(raw)+1 {
				inFile("mapping", lo.Line)
			}
			if lo.ColOffset < 0 {
				t.Fatalf("mapping of line %d: column offset %d", i+1, lo.ColOffset)
			}
			// (Helm templates are rendered, so such lines differ.)
			if lo.Line > len(raw) {
				continue
			}
			if r := raw[lo.Line-1]; lo.ColOffset > 0 && i < len(pyLines) && !strings.Contains(r, "{{") {
				got := ""
				if lo.ColOffset <= len(r) {
					got = r[lo.ColOffset:]
				}
				if strings.TrimRight(got, " \t\r") != strings.TrimRight(pyLines[i], " \t\r") && strings.TrimSpace(pyLines[i]) != "" {
					t.Fatalf("Python line %d %q is mapped to line %d column %d, which holds %q", i+1, pyLines[i], lo.Line, lo.ColOffset+1, got)
				}
			}
		}
		// Every line up to the last one with code has a mapping (an empty
		// source needs none).
		need := 0
		for i, l := range pyLines {
			if strings.TrimSpace(l) != "" {
				need = i + 1
			}
		}
		if len(ex.lines) < need {
			t.Fatalf("%d mapped lines for %d lines of Python", len(ex.lines), need)
		}
		file, err := Parse("values.yaml", data, LoadOptions{NoEnv: true, MaxSteps: 20000})
		if err != nil {
			t.Fatalf("extraction succeeded but Parse failed: %v", err)
		}
		for _, s := range file.Config.Settings {
			inFile("setting "+s.Name, s.Line)
		}
		for _, d := range file.Module.Diagnostics {
			if d.Line != 0 {
				inFile("diagnostic "+d.Message, d.Line)
			}
		}
	})
}
