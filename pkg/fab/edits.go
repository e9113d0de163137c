package fab

import (
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// Mechanical fixes: edits of single lines that `lint --diff` turns into a
// patch. An edit is made only when the line is written the way the edit
// expects; otherwise the finding keeps its prose fix and no edit.

func (c *Config) line(n int) string {
	if c == nil || c.SourceLine == nil {
		return ""
	}
	return c.SourceLine(n)
}

// insertEntryAfter adds the dict entry text as a new line after line n,
// when line n holds a single dict entry of its own ("key": value,).
func (c *Config) insertEntryAfter(n int, text string) *engine.Edit {
	l := strings.TrimSpace(c.line(n))
	if l == "" || (l[0] != '"' && l[0] != '\'') || !strings.HasSuffix(l, ",") || !balanced(l) {
		return nil
	}
	return &engine.Edit{Line: n, Insert: text}
}

// replaceLiteral replaces the string literal old (in either quote) on
// line n by new, in the same quotes.
func (c *Config) replaceLiteral(n int, old, new string) *engine.Edit {
	l := c.line(n)
	for _, q := range []string{`"`, `'`} {
		if strings.Count(l, q+old+q) == 1 {
			return &engine.Edit{Line: n, Old: q + old + q, New: q + new + q}
		}
	}
	return nil
}

// balanced: the brackets of a line close on it.
func balanced(l string) bool {
	depth := 0
	for _, r := range l {
		switch r {
		case '{', '[', '(':
			depth++
		case '}', ']', ')':
			depth--
		}
		if depth < 0 {
			return false
		}
	}
	return depth == 0
}
