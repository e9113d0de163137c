package config

import (
	"bytes"
	"errors"
	"io"
	"sort"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/pyread"
	yaml "go.yaml.in/yaml/v3"
)

// Comments are the file's comments on the file's own lines: the Python's
// (a '#' inside a string literal is not one) and, for a YAML input, the
// YAML's comments too. Nothing is evaluated. Directives such as
// `# authdoctor: ignore[…]` are read from these.
func (f *File) Comments() []pyread.Comment {
	out := pyread.Comments([]byte(f.Source), f.lines)
	if f.yamlText != nil {
		out = append(out, yamlComments(f.yamlText, f.lines)...)
		sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	}
	return out
}

// yamlComments finds the YAML comments of data. The YAML parser decides
// what is a comment (never text inside a quoted or block scalar); its
// nodes do not say on which line a comment sits, so each comment text is
// placed on a raw line that carries it after whitespace. Lines outside the
// Python (python maps its lines) are tried first: a YAML comment is never
// inside a block scalar's content.
func yamlComments(data []byte, python []pyread.LineOrigin) []pyread.Comment {
	want := map[string]int{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if !errors.Is(err, io.EOF) {
				return nil // not valid YAML: Load already said so
			}
			break
		}
		collectYAMLComments(&n, want)
	}
	if len(want) == 0 {
		return nil
	}
	inPython := map[int]bool{}
	for _, l := range python {
		inPython[l.Line] = true
	}
	raw := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var out []pyread.Comment
	for _, pass := range []bool{false, true} {
		for i, line := range raw {
			if inPython[i+1] == pass {
				if c, ok := takeComment(line, want); ok {
					c.Line = i + 1
					out = append(out, c)
				}
			}
		}
	}
	return out
}

func collectYAMLComments(n *yaml.Node, want map[string]int) {
	for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
		for _, l := range strings.Split(c, "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "#") {
				want[l]++
			}
		}
	}
	if n.Kind == yaml.AliasNode {
		return
	}
	for _, c := range n.Content {
		collectYAMLComments(c, want)
	}
}

// takeComment finds on line a comment start ('#' at the start or after
// whitespace) whose text the parser reported, and uses it up.
func takeComment(line string, want map[string]int) (pyread.Comment, bool) {
	for i := 0; i < len(line); i++ {
		if line[i] != '#' || i > 0 && line[i-1] != ' ' && line[i-1] != '\t' {
			continue
		}
		text := strings.TrimRight(line[i:], " \t\r")
		if want[text] > 0 {
			want[text]--
			return pyread.Comment{Text: text, AfterCode: strings.TrimSpace(line[:i]) != ""}, true
		}
	}
	return pyread.Comment{}, false
}
