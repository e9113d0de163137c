package pyread

import "strings"

// Comment is one comment of a Python source, as CPython's tokenizer sees
// it: a '#' inside a string literal (triple-quoted strings included) is
// not one.
type Comment struct {
	// Line is the comment's line in the file (after Lines mapping).
	Line int
	// Text runs from the '#' to the end of the line.
	Text string
	// AfterCode is set when code precedes the comment on its line (`x = 1
	// # note`); a comment alone on its line has it false.
	AfterCode bool
}

// Comments lists the comments of src in order. lines maps the source's
// lines to the enclosing file's, as Options.Lines does (nil: the source
// is the file). Nothing is evaluated.
func Comments(src []byte, lines []LineOrigin) []Comment {
	s := strings.TrimPrefix(string(src), "\ufeff")
	lx := newLexer(s, 0, 1, nil, nil)
	lx.keepComments = true
	for lx.more() {
		lx.toks = lx.toks[:0] // only the comments are wanted: reuse the buffer
	}
	out := make([]Comment, 0, len(lx.comments))
	for _, c := range lx.comments {
		out = append(out, Comment{
			Line:      mapLine(lines, c.line),
			Text:      s[c.off:c.end],
			AfterCode: strings.TrimLeft(s[c.bol:c.off], " \t\f") != "",
		})
	}
	return out
}

// mapLine maps a Python line number to the enclosing file's (see
// Options.Lines); lines past the map continue from its last entry.
func mapLine(lines []LineOrigin, pyLine int) int {
	if len(lines) == 0 || pyLine < 1 {
		return pyLine
	}
	if pyLine-1 < len(lines) {
		return lines[pyLine-1].Line
	}
	last := lines[len(lines)-1]
	return last.Line + pyLine - len(lines)
}
