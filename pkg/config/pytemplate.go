package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// quoteTemplateActions handles a .py file that is itself a template
// (helmfile's .gotmpl, a chart's files/ rendered with tpl): a Go template
// action written where Python expects an expression ("client_id": {{
// fetchSecretValue … | quote }}) is a syntax error to the reader, but the
// deployed file is the rendered one. Each such action becomes a string
// literal holding it, which unresolveTemplates then makes unresolved:
// its value is known only after rendering. Actions inside Python strings
// are left as they are (they are already text). Only a file with a syntax
// error on a line holding an action is rewritten (then every such line at
// once), so a file that reads cleanly is never changed.
func quoteTemplateActions(src string, m *pyread.Module) (string, []string) {
	if !strings.Contains(src, "{{") {
		return src, nil
	}
	lines := strings.Split(src, "\n")
	template := false
	for _, d := range m.SyntaxErrors() {
		template = template || d.Line >= 1 && d.Line <= len(lines) && strings.Contains(lines[d.Line-1], "{{")
	}
	if !template {
		return src, nil
	}
	var actions []string
	for i, line := range lines {
		if !strings.Contains(line, "{{") {
			continue
		}
		var sb strings.Builder
		rest := line
		for {
			j := strings.Index(rest, "{{")
			if j < 0 || insideString(line[:len(line)-len(rest)+j]) {
				sb.WriteString(rest)
				break
			}
			end, _, ok := scanAction(rest[j:])
			if !ok {
				sb.WriteString(rest)
				break
			}
			action := rest[j : j+end]
			sb.WriteString(rest[:j] + strconv.Quote(action))
			actions = append(actions, action)
			rest = rest[j+end:]
		}
		lines[i] = sb.String()
	}
	return strings.Join(lines, "\n"), actions
}

// insideString reports whether the end of prefix (one line of Python) is
// inside a single-line string literal.
func insideString(prefix string) bool {
	var q byte
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		switch {
		case q != 0 && c == '\\':
			i++
		case q != 0 && c == q:
			q = 0
		case q == 0 && (c == '"' || c == '\''):
			q = c
		case q == 0 && c == '#':
			return true // a comment: leave it alone
		}
	}
	return q != 0
}

// templateNote says that a .py file was read as a template.
func templateNote(actions []string) string {
	return fmt.Sprintf("the file holds Go template actions where Python expects values (%s): it is a template rendered before deployment, so those values are unresolved; lint the rendered file for the full picture", strings.Join(actions, ", "))
}
