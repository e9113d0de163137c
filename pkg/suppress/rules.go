// Package suppress silences findings the way linters do: --ignore on the
// command line, `# authdoctor: ignore[ID] reason` comments in the checked
// file, and the ignore entries of a project file (.authdoctor.yaml, read
// by pkg/projectfile). Suppressed findings leave the report's findings
// but stay in the report (engine.Report.Suppress); ignores that matched
// nothing and directives that cannot be used are reported themselves, so
// stale ignores do not pile up.
package suppress

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// The checks this package fires (declared with the CFG family in
// pkg/fab/checks_catalog.go).
const (
	// UnusedID: an inline directive or project-file ignore matched nothing.
	UnusedID = "CFG017"
	// InvalidID: a directive without a reason, with an unknown check or
	// not understood; it silences nothing.
	InvalidID = "CFG018"
)

// Entry is one ignore of a project file: checks silenced in the files it
// applies to. The project file's reader decides which linted files an
// entry applies to (its path pattern) and hands it to Rules.AddProject
// for each; the same *Entry shared by several files collects their
// matches.
type Entry struct {
	// Checks are check IDs (resolved when the project file was read).
	Checks []string
	Reason string
	// Pattern is the entry's path pattern ("" for every file).
	Pattern string
	// File and Line are where the entry is written.
	File string
	Line int

	used map[string]bool
}

// Rules are the ignores of one run.
type Rules struct {
	reg     *engine.Registry
	flag    map[string]bool
	inline  map[string][]*inlineRule
	project map[string][]*Entry
	entries []*Entry
	bad     []BadDirective
}

type inlineRule struct {
	Directive
	ids  []string // the known checks among Directive.Checks
	used map[string]bool
}

// NewRules starts an empty set of ignores resolved against reg.
func NewRules(reg *engine.Registry) *Rules {
	return &Rules{reg: reg, flag: map[string]bool{}, inline: map[string][]*inlineRule{}, project: map[string][]*Entry{}}
}

// Flag adds --ignore values (IDs or names, comma-separated lists
// allowed). An unknown one is an *UnknownCheckError.
func (r *Rules) Flag(names []string) error {
	ids, err := ResolveAll(r.reg, names)
	if err != nil {
		return err
	}
	for _, id := range ids {
		r.flag[id] = true
	}
	return nil
}

// AddFile reads the directives among the comments of the file whose
// findings carry path.
func (r *Rules) AddFile(path string, comments []pyread.Comment) {
	good, bad := ParseDirectives(path, comments)
	for _, d := range good {
		ir := &inlineRule{Directive: d, used: map[string]bool{}}
		for _, name := range d.Checks {
			id, err := Resolve(r.reg, name)
			var u *UnknownCheckError
			if errors.As(err, &u) {
				why := fmt.Sprintf("names %q, which is no check ID or name: %s", name, u.Suggestion())
				if len(d.Checks) > 1 {
					why += "; its other checks are still ignored"
				}
				bad = append(bad, BadDirective{File: d.File, Line: d.Line, Text: d.Text, Why: why})
				continue
			}
			ir.ids = append(ir.ids, id)
		}
		r.inline[path] = append(r.inline[path], ir)
	}
	sort.SliceStable(bad, func(i, j int) bool { return bad[i].Line < bad[j].Line })
	r.bad = append(r.bad, bad...)
}

// AddProject applies project-file entries to the file whose findings
// carry path.
func (r *Rules) AddProject(path string, entries []*Entry) {
	for _, e := range entries {
		if e.used == nil {
			e.used = map[string]bool{}
			r.entries = append(r.entries, e)
		}
		r.project[path] = append(r.project[path], e)
	}
}

// Apply reports the unusable directives, silences the findings the
// ignores match and, when reportUnused, reports each inline directive and
// project-file entry that silenced nothing although its check ran (a
// stale ignore). The reports about ignores can themselves be silenced by
// --ignore or the project file (by their IDs), never reported stale.
func (r *Rules) Apply(rep *engine.Report, reportUnused bool) {
	for _, b := range r.bad {
		rep.Add(InvalidID, fmt.Sprintf("the directive %q %s", b.Text, b.Why), engine.At(engine.Subject{File: b.File, Line: b.Line}),
			engine.With("directive", b.Text))
	}
	rep.Suppress(func(f *engine.Finding) (engine.Suppression, bool) {
		if meta(f.ID) {
			return engine.Suppression{}, false
		}
		return r.match(f)
	})
	if reportUnused {
		r.reportUnused(rep)
	}
	rep.Suppress(func(f *engine.Finding) (engine.Suppression, bool) {
		if !meta(f.ID) {
			return engine.Suppression{}, false
		}
		return r.match(f)
	})
}

func meta(id string) bool { return id == UnusedID || id == InvalidID }

// match finds the ignores of a finding and marks each as used; the
// suppression recorded is the most specific: the file's own comment, then
// the project file, then the flag.
func (r *Rules) match(f *engine.Finding) (engine.Suppression, bool) {
	var found []engine.Suppression
	for _, ir := range r.inline[f.Subject.File] {
		if ir.covers(f.Subject.Line) && has(ir.ids, f.ID) {
			ir.used[f.ID] = true
			found = append(found, engine.Suppression{Kind: engine.SuppressInline, Reason: ir.Reason, File: ir.File, Line: ir.Line})
		}
	}
	for _, e := range r.project[f.Subject.File] {
		if has(e.Checks, f.ID) {
			e.used[f.ID] = true
			found = append(found, engine.Suppression{Kind: engine.SuppressProject, Reason: e.Reason, File: e.File, Line: e.Line})
		}
	}
	if r.flag[f.ID] {
		found = append(found, engine.Suppression{Kind: engine.SuppressFlag})
	}
	if len(found) == 0 {
		return engine.Suppression{}, false
	}
	return found[0], true
}

// reportUnused adds a CFG017 finding for each ignore that silenced
// nothing of a check that ran.
func (r *Rules) reportUnused(rep *engine.Report) {
	stale := func(ids []string, used map[string]bool) []string {
		var out []string
		for _, id := range ids {
			if !used[id] && !meta(id) && rep.Ran(id) {
				out = append(out, id)
			}
		}
		return out
	}
	for _, path := range sortedKeys(r.inline) {
		for _, ir := range r.inline[path] {
			if ids := stale(ir.ids, ir.used); len(ids) > 0 {
				rep.Add(UnusedID, fmt.Sprintf("the directive ignores %s on %s, where no such finding is reported: remove it, or move it onto the finding's line or the line above", strings.Join(ids, ", "), ir.Lines()),
					engine.At(engine.Subject{File: ir.File, Line: ir.Line}), engine.With("directive", ir.Text), engine.With("unused", strings.Join(ids, ", ")))
			}
		}
	}
	for _, e := range r.entries {
		if ids := stale(e.Checks, e.used); len(ids) > 0 {
			where := "in the files it applies to"
			if e.Pattern != "" {
				where = "in the files linted that match " + e.Pattern
			}
			rep.Add(UnusedID, fmt.Sprintf("the project file ignores %s, but no such finding is reported %s: remove the entry", strings.Join(ids, ", "), where),
				engine.At(engine.Subject{File: e.File, Line: e.Line}), engine.With("unused", strings.Join(ids, ", ")),
				engine.FixHint("Remove the stale entry (or the stale IDs from it) so the project file lists only what is still ignored."))
		}
	}
}

func has(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
