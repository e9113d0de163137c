package engine

import (
	"fmt"
	"sort"
)

// Redacted replaces every secret in output.
const Redacted = "<redacted>"

// Subject says what a finding is about.
type Subject struct {
	URL  string `json:"url,omitempty"`
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Name string `json:"name,omitempty"`
}

// IsZero reports whether no field is set.
func (s Subject) IsZero() bool { return s == Subject{} }

// String renders the subject for people: file:line, the URL, the name.
func (s Subject) String() string {
	out := ""
	if s.File != "" {
		out = s.File
		if s.Line > 0 {
			out += fmt.Sprintf(":%d", s.Line)
		}
	}
	if s.URL != "" {
		if out != "" {
			out += " "
		}
		out += s.URL
	}
	if s.Name != "" {
		if out != "" {
			out += " "
		}
		out += s.Name
	}
	return out
}

// Evidence is one observed fact, in order. Values must already be free of
// secrets.
type Evidence struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Finding is one diagnosis of one check.
type Finding struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Severity Severity   `json:"severity"`
	Title    string     `json:"title"`
	Message  string     `json:"message"`
	Subject  Subject    `json:"subject"`
	Evidence []Evidence `json:"evidence"`
	Fix      string     `json:"fix"`
	Doc      string     `json:"doc"`
	// Step is the login step at which the cause bites (the check's, unless
	// the finding names another).
	Step Step `json:"-"`
	// Edit is the mechanical fix of the file the subject names, when
	// there is one (lint --diff prints them as a patch).
	Edit *Edit `json:"edit,omitempty"`
	// Provider names the configured OAuth provider the finding is about
	// ("" when it concerns the whole file or no provider).
	Provider string `json:"provider,omitempty"`
}

// Edit is a change to one line of the subject's file: Old replaced by New
// on Line, or Insert added as a new line after Line, indented as Line.
type Edit struct {
	Line   int    `json:"line"`
	Old    string `json:"old,omitempty"`
	New    string `json:"new,omitempty"`
	Insert string `json:"insert,omitempty"`
}

// Skipped records a check that could not run, with the reason.
type Skipped struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Report is what a command produces: findings plus its own result.
type Report struct {
	Command  string
	Findings []Finding
	Skipped  []Skipped
	// Suppressed are the findings an ignore silenced (see Suppress).
	Suppressed []SuppressedFinding
	// Result is the command's own data (JSON "result").
	Result any
	// Notices are remarks for the text report (e.g. "verification was
	// offline"); they are not findings.
	Notices []string
	// Headline, when set, replaces the text verdict's sentence (doctor's
	// "sign-in will fail: …"); the verdict word still follows the worst
	// finding.
	Headline string

	reg *Registry
	// stages are the stages the command declared (Scope).
	stages              map[Stage]bool
	suppressionsChecked bool
}

// NewReport starts a report for a command, resolving check metadata from reg.
func NewReport(reg *Registry, command string) *Report {
	return &Report{Command: command, reg: reg}
}

// Registry returns the registry the report resolves IDs in.
func (r *Report) Registry() *Registry { return r.reg }

// Opt modifies a finding as it is added.
type Opt func(*Finding)

// At sets the subject.
func At(s Subject) Opt { return func(f *Finding) { f.Subject = s } }

// With appends evidence.
func With(key, value string) Opt {
	return func(f *Finding) { f.Evidence = append(f.Evidence, Evidence{key, value}) }
}

// FixHint replaces the catalogue's generic fix with a specific one.
func FixHint(fix string) Opt { return func(f *Finding) { f.Fix = fix } }

// AtStep places the finding at another login step than its check's (a
// check whose cause bites at different steps depending on the evidence).
func AtStep(s Step) Opt { return func(f *Finding) { f.Step = s } }

// ForProvider says which configured provider the finding is about.
func ForProvider(name string) Opt { return func(f *Finding) { f.Provider = name } }

// WithEdit attaches a mechanical fix.
func WithEdit(e *Edit) Opt { return func(f *Finding) { f.Edit = e } }

// WithSeverity overrides the default severity (rare; e.g. an expected
// condition that is only informative in context).
func WithSeverity(s Severity) Opt { return func(f *Finding) { f.Severity = s } }

// Add records a finding of check id. An unknown ID is a programming error
// and panics: tests catch it.
func (r *Report) Add(id, message string, opts ...Opt) *Finding {
	c, ok := r.reg.Get(id)
	if !ok || c.ID != id {
		panic("engine: finding for unregistered check " + id)
	}
	f := Finding{ID: c.ID, Name: c.Name, Severity: c.Severity, Title: c.Title,
		Message: message, Fix: c.Fix, Doc: c.DocPath(), Step: c.Step}
	for _, o := range opts {
		o(&f)
	}
	if f.Evidence == nil {
		f.Evidence = []Evidence{}
	}
	r.Findings = append(r.Findings, f)
	return &r.Findings[len(r.Findings)-1]
}

// Skip records that check id did not run, and why.
func (r *Report) Skip(id, reason string) {
	if _, ok := r.reg.Get(id); !ok {
		panic("engine: skip of unregistered check " + id)
	}
	for _, s := range r.Skipped {
		if s.ID == id {
			return
		}
	}
	r.Skipped = append(r.Skipped, Skipped{ID: id, Reason: reason})
}

// Scope declares the stages a command runs: the checks of those stages
// that are not implemented yet are reported as skipped, so nobody
// mistakes them for passes.
func (r *Report) Scope(stages ...Stage) {
	if r.stages == nil {
		r.stages = map[Stage]bool{}
	}
	for _, s := range stages {
		r.stages[s] = true
	}
	for _, id := range r.reg.IDs(stages...) {
		if c, _ := r.reg.Get(id); !c.Implemented {
			r.Skip(id, "not implemented")
		}
	}
}

// SkipStage records every check of a stage as not run, with the reason
// (except those named in but: they ran or are reported otherwise).
func (r *Report) SkipStage(s Stage, reason string, but ...string) {
	for _, id := range r.reg.IDs(s) {
		if !contains(but, id) {
			r.Skip(id, reason)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// Has reports whether a finding of id is present.
func (r *Report) Has(id string) bool {
	for _, f := range r.Findings {
		if f.ID == id {
			return true
		}
	}
	return false
}

// Summary counts findings by severity, and the suppressed ones apart.
type Summary struct {
	Error      int `json:"error"`
	Warning    int `json:"warning"`
	Info       int `json:"info"`
	Suppressed int `json:"suppressed"`
}

// Summary counts the findings.
func (r *Report) Summary() Summary {
	s := Summary{Suppressed: len(r.Suppressed)}
	for _, f := range r.Findings {
		switch f.Severity {
		case SeverityError:
			s.Error++
		case SeverityWarning:
			s.Warning++
		case SeverityInfo:
			s.Info++
		}
	}
	return s
}

// Worst returns the most severe finding (first of equals), or nil.
func (r *Report) Worst() *Finding {
	var w *Finding
	for i := range r.Findings {
		if w == nil || r.Findings[i].Severity > w.Severity {
			w = &r.Findings[i]
		}
	}
	return w
}

// MaxSeverity is the highest severity present (0 when there are none).
func (r *Report) MaxSeverity() Severity {
	if w := r.Worst(); w != nil {
		return w.Severity
	}
	return 0
}

// Sort orders findings by severity (worst first), then by the order they
// were added, which keeps output deterministic.
func (r *Report) Sort() {
	sort.SliceStable(r.Findings, func(i, j int) bool {
		return r.Findings[i].Severity > r.Findings[j].Severity
	})
	sort.SliceStable(r.Skipped, func(i, j int) bool { return r.Skipped[i].ID < r.Skipped[j].ID })
	sort.SliceStable(r.Suppressed, func(i, j int) bool { return r.Suppressed[i].Severity > r.Suppressed[j].Severity })
}
