package render

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

func (p *Printer) sev(s engine.Severity) string {
	switch s {
	case engine.SeverityError:
		return p.Red("error")
	case engine.SeverityWarning:
		return p.Yellow("warning")
	}
	return p.Cyan("info")
}

// Verdict is the report's one-line verdict.
func Verdict(r *engine.Report) (word string, text string) {
	w := r.Worst()
	if w == nil {
		return "OK", "no problems found"
	}
	word = "INFO"
	switch w.Severity {
	case engine.SeverityError:
		word = "FAIL"
	case engine.SeverityWarning:
		word = "WARN"
	}
	return word, fmt.Sprintf("%s %s: %s", w.ID, w.Name, w.Message)
}

// Text writes the report for people: verdict first, the command's own
// result, then findings with evidence and fix, then a summary line.
// The report's notices (remarks on how the run went, r.Notices) are not
// part of it: cmdutil.Emit writes them to stderr.
func Text(p *Printer, r *engine.Report) {
	VerdictLine(p, r)
	if tr, ok := r.Result.(TextResult); ok && tr != nil {
		tr.WriteText(p)
	}
	if len(r.Findings) > 0 {
		p.Section("Findings")
		for i, f := range r.Findings {
			if i > 0 {
				p.Println()
			}
			finding(p, &f)
		}
	}
	if len(r.Skipped) > 0 {
		p.Section("Skipped")
		for _, s := range r.Skipped {
			p.Printf("  %s  %s\n", s.ID, p.Dim(s.Reason))
		}
	}
	s := r.Summary()
	p.Printf("\n%s %s, %s, %s", p.Dim("summary:"), plural(s.Error, "error"), plural(s.Warning, "warning"), plural(s.Info, "info"))
	if len(r.Skipped) > 0 {
		p.Printf(", %s skipped", plural(len(r.Skipped), "check"))
	}
	if s.Suppressed > 0 {
		// Suppressed findings are not listed: the JSON and SARIF outputs
		// carry them with their reasons.
		p.Printf(", %d suppressed", s.Suppressed)
	}
	p.Println()
}

// VerdictLine writes the report's first line: the verdict word and the
// worst finding, or the command's headline. It is all `--quiet` prints.
func VerdictLine(p *Printer, r *engine.Report) {
	r.Sort()
	word, text := Verdict(r)
	if r.Headline != "" {
		text = r.Headline
		if word == "INFO" {
			word = "OK" // notes only: the headline says what works
		}
	}
	switch word {
	case "OK":
		p.Printf("%s %s\n", p.Green(word), text)
	case "FAIL":
		p.Printf("%s %s\n", p.Red(word), text)
	case "WARN":
		p.Printf("%s %s\n", p.Yellow(word), text)
	default:
		p.Printf("%s %s\n", p.Cyan(word), text)
	}
}

func finding(p *Printer, f *engine.Finding) {
	p.Printf("  %s %s %s  %s\n", p.sev(f.Severity), p.Bold(f.ID), f.Name, f.Title)
	p.Printf("    %s\n", indentLines(f.Message, "    "))
	if !f.Subject.IsZero() {
		p.Printf("    %s %s\n", p.Dim("at:"), f.Subject.String())
	}
	width := 0
	for _, e := range f.Evidence {
		if len(e.Key) > width {
			width = len(e.Key)
		}
	}
	for _, e := range f.Evidence {
		p.KV(6, width, e.Key, indentLines(e.Value, strings.Repeat(" ", 8+width)))
	}
	if f.Fix != "" {
		p.Printf("    %s %s\n", p.Green("fix:"), indentLines(f.Fix, "         "))
	}
	p.Printf("    %s %s\n", p.Dim("doc:"), p.Dim(f.Doc))
}

func indentLines(s, indent string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+indent)
}

func plural(n int, word string) string {
	if n == 1 || word == "info" {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// LoginSteps writes the steps of a login, one line each with its mark,
// and the first problem of a step that is not ok beneath it.
func LoginSteps(p *Printer, steps []engine.LoginStep) {
	for _, s := range steps {
		var mark string
		switch s.Status {
		case "fail":
			mark = p.Red("FAIL")
		case "warn":
			mark = p.Yellow("warn")
		case "ok":
			mark = p.Green(" ok ")
		default:
			mark = p.Dim(" -- ")
		}
		p.Printf("  %s %d. %-18s %s\n", mark, s.N, s.Name, s.Detail)
		if s.Why != "" && s.Status != "ok" {
			p.Printf("  %s    %s %s\n", strings.Repeat(" ", 4), p.Dim("↳"), s.Why)
		}
	}
}
