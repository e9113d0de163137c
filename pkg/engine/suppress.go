package engine

import (
	"sort"
	"strings"
)

// SuppressionKind says where the ignore that silenced a finding is
// written. The values are a JSON contract.
type SuppressionKind string

const (
	// SuppressInline: a `# authdoctor: ignore[ID] reason` comment in the
	// checked file itself.
	SuppressInline SuppressionKind = "inline"
	// SuppressFlag: --ignore on the command line.
	SuppressFlag SuppressionKind = "flag"
	// SuppressProject: an ignore entry of a project file (.authdoctor.yaml).
	SuppressProject SuppressionKind = "project"
)

// Suppression records why a finding was silenced and where the ignore is
// written (File and Line of the comment or of the project-file entry).
type Suppression struct {
	Kind   SuppressionKind `json:"kind"`
	Reason string          `json:"reason"`
	File   string          `json:"file,omitempty"`
	Line   int             `json:"line,omitempty"`
}

// InSource reports whether the ignore is written in the checked file
// (SARIF's "inSource"), as opposed to outside it ("external").
func (s Suppression) InSource() bool { return s.Kind == SuppressInline }

// SuppressedFinding is a finding an ignore silenced: it left Findings, it
// is counted in the summary and listed apart, and it never decides the
// exit code.
type SuppressedFinding struct {
	Finding
	Suppression Suppression `json:"suppression"`
}

// Suppress moves every finding for which match returns true out of
// Findings into Suppressed, with the suppression match gives. It marks the
// report as having had its suppressions evaluated (SARIF then says so for
// every result).
func (r *Report) Suppress(match func(*Finding) (Suppression, bool)) {
	r.suppressionsChecked = true
	keep := r.Findings[:0]
	for _, f := range r.Findings {
		if s, ok := match(&f); ok {
			r.Suppressed = append(r.Suppressed, SuppressedFinding{Finding: f, Suppression: s})
			continue
		}
		keep = append(keep, f)
	}
	r.Findings = keep
}

// SuppressionsChecked reports whether Suppress ran on this report: a
// result without a suppression is then known not to be suppressed.
func (r *Report) SuppressionsChecked() bool { return r.suppressionsChecked }

// Ran reports whether check id was run by this report's command: its
// stage is in the command's scope (Scope) and it was not skipped, or it
// produced a finding. An ignore of a check that did not run cannot be
// called stale.
func (r *Report) Ran(id string) bool {
	if r.Has(id) {
		return true
	}
	for _, s := range r.Suppressed {
		if s.ID == id {
			return true
		}
	}
	c, ok := r.reg.Get(id)
	if !ok || !r.stages[c.Stage] {
		return false
	}
	for _, s := range r.Skipped {
		if s.ID == id {
			return false
		}
	}
	return true
}

// Similar lists the checks whose ID or name is closest to s (a typo, a
// missing digit, part of a name), at most three of the best distance: the
// "did you mean" of an unknown check.
func (r *Registry) Similar(s string) []*Check {
	s = strings.TrimSpace(s)
	type scored struct {
		c *Check
		d int
	}
	var hits []scored
	for _, c := range r.All() {
		d := min(editDistance(strings.ToUpper(s), c.ID), editDistance(strings.ToLower(s), c.Name))
		limit := 2
		if len(s) > 12 {
			limit = len(s) / 4
		}
		if len(s) >= 4 && strings.Contains(c.Name, strings.ToLower(s)) {
			d = min(d, 1)
		}
		if d <= limit {
			hits = append(hits, scored{c, d})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].d < hits[j].d })
	var out []*Check
	for i := 0; i < len(hits) && i < 3 && hits[i].d == hits[0].d; i++ {
		out = append(out, hits[i].c)
	}
	return out
}

// editDistance is the optimal-string-alignment distance of two short
// ASCII strings: insertions, deletions, substitutions and transpositions
// of neighbours (CFG060 for CFG006) each cost one.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
