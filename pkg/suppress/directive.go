package suppress

import (
	"strings"

	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// DirectivePrefix starts every directive comment: `# authdoctor: …`.
const DirectivePrefix = "authdoctor:"

// Directive is one `# authdoctor: ignore[ID,…] reason` comment: the shape
// of staticcheck's //lint:ignore. It silences findings of the named
// checks on its own line and, when it stands alone on its line, on the
// next line.
type Directive struct {
	File string
	Line int
	// AfterCode: the comment follows code on its line, so it covers that
	// line only.
	AfterCode bool
	// Checks are the IDs or names as written.
	Checks []string
	Reason string
	// Text is the whole comment.
	Text string
}

// covers reports whether a finding on line is silenced by the directive.
func (d *Directive) covers(line int) bool {
	return line == d.Line || !d.AfterCode && line == d.Line+1
}

// Lines says which lines the directive covers, for people.
func (d *Directive) Lines() string {
	if d.AfterCode {
		return "line " + itoa(d.Line)
	}
	return "lines " + itoa(d.Line) + " and " + itoa(d.Line+1)
}

// BadDirective is a comment that starts like a directive but cannot be
// used: it silences nothing and is reported (CFG018).
type BadDirective struct {
	File string
	Line int
	Text string
	// Why completes "the directive …": what is wrong, with the fix.
	Why string
}

// ParseDirectives reads the directives among a file's comments. Only
// comments whose text starts with "authdoctor:" are considered; any of
// them that is not a usable `ignore[…] reason` is returned as bad.
func ParseDirectives(file string, comments []pyread.Comment) ([]Directive, []BadDirective) {
	var good []Directive
	var bad []BadDirective
	for _, c := range comments {
		body := strings.TrimSpace(strings.TrimPrefix(c.Text, "#"))
		if !strings.HasPrefix(body, DirectivePrefix) {
			continue
		}
		d, why := parseDirective(strings.TrimSpace(body[len(DirectivePrefix):]))
		if why != "" {
			bad = append(bad, BadDirective{File: file, Line: c.Line, Text: c.Text, Why: why})
			continue
		}
		d.File, d.Line, d.AfterCode, d.Text = file, c.Line, c.AfterCode, c.Text
		good = append(good, d)
	}
	return good, bad
}

const directiveShape = " (write it as `# authdoctor: ignore[CFG006] why this finding is acceptable here`)"

// parseDirective reads what follows "authdoctor:"; why is empty when the
// directive is usable.
func parseDirective(s string) (d Directive, why string) {
	rest, ok := strings.CutPrefix(s, "ignore")
	if !ok {
		return d, "silences nothing: only the ignore directive is understood" + directiveShape
	}
	rest = strings.TrimLeft(rest, " \t")
	if !strings.HasPrefix(rest, "[") {
		return d, "silences nothing: the checks to ignore go in brackets" + directiveShape
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return d, "silences nothing: the bracket after ignore is not closed" + directiveShape
	}
	for _, id := range strings.Split(rest[1:end], ",") {
		if id = strings.TrimSpace(id); id != "" {
			d.Checks = append(d.Checks, id)
		}
	}
	if len(d.Checks) == 0 {
		return d, "silences nothing: the brackets name no check" + directiveShape
	}
	d.Reason = strings.TrimSpace(rest[end+1:])
	if d.Reason == "" {
		return d, "silences nothing: a reason is required after the brackets" + directiveShape
	}
	return d, ""
}
