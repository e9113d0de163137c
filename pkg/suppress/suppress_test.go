package suppress

import (
	"errors"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/pyread"
)

func TestParseDirectives(t *testing.T) {
	comments := []pyread.Comment{
		{Line: 1, Text: "# an ordinary comment mentioning authdoctor: ignore[CFG006] x"},
		{Line: 2, Text: "# authdoctor: ignore[CFG006] dev cluster only"},
		{Line: 3, Text: "#authdoctor:ignore[CFG006, secret-in-config ,ROL001]  several, no spaces  ", AfterCode: true},
		{Line: 4, Text: "# authdoctor: ignore[CFG006]"},
		{Line: 5, Text: "# authdoctor: ignore[]  why"},
		{Line: 6, Text: "# authdoctor: ignore CFG006 why"},
		{Line: 7, Text: "# authdoctor: ignore[CFG006 why"},
		{Line: 8, Text: "# authdoctor: disable[CFG006] why"},
	}
	good, bad := ParseDirectives("a.py", comments)
	if len(good) != 2 {
		t.Fatalf("good %+v", good)
	}
	if d := good[0]; d.Line != 2 || d.Reason != "dev cluster only" || strings.Join(d.Checks, "|") != "CFG006" || d.AfterCode || d.File != "a.py" {
		t.Errorf("%+v", d)
	}
	if d := good[1]; d.Reason != "several, no spaces" || strings.Join(d.Checks, "|") != "CFG006|secret-in-config|ROL001" || !d.AfterCode {
		t.Errorf("%+v", d)
	}
	wantBad := map[int]string{4: "reason is required", 5: "name no check", 6: "in brackets", 7: "not closed", 8: "only the ignore directive"}
	if len(bad) != len(wantBad) {
		t.Fatalf("bad %+v", bad)
	}
	for _, b := range bad {
		if !strings.Contains(b.Why, wantBad[b.Line]) {
			t.Errorf("line %d: %q, want %q", b.Line, b.Why, wantBad[b.Line])
		}
	}
}

func TestDirectiveCoversItsLineAndTheNext(t *testing.T) {
	own := Directive{Line: 10}
	after := Directive{Line: 10, AfterCode: true}
	for line, want := range map[int][2]bool{9: {false, false}, 10: {true, true}, 11: {true, false}, 12: {false, false}} {
		if own.covers(line) != want[0] || after.covers(line) != want[1] {
			t.Errorf("line %d: own %v after %v, want %v", line, own.covers(line), after.covers(line), want)
		}
	}
}

func TestResolveAllSuggests(t *testing.T) {
	reg := catalog.Default()
	ids, err := ResolveAll(reg, []string{"cfg006,csrf-disabled", " ROL001 "})
	if err != nil || strings.Join(ids, ",") != "CFG006,CFG009,ROL001" {
		t.Fatalf("%v %v", ids, err)
	}
	_, err = ResolveAll(reg, []string{"CFG006,CFG06"})
	var u *UnknownCheckError
	if !errors.As(err, &u) || u.Name != "CFG06" || !strings.Contains(err.Error(), "did you mean") || !strings.Contains(err.Error(), "CFG006") {
		t.Errorf("%v", err)
	}
	_, err = ResolveAll(reg, []string{"no-such-thing-at-all"})
	if err == nil || !strings.Contains(err.Error(), "authdoctor checks") {
		t.Errorf("%v", err)
	}
}

// report builds a lint-like report: CFG006 at a.py:5 and :9, CFG009 at
// b.py:3, ROL005 at b.py:20.
func report() *engine.Report {
	rep := engine.NewReport(catalog.Default(), "lint")
	rep.Scope(engine.StageRead, engine.StageConfig, engine.StageRoles)
	rep.Add("CFG006", "secret", engine.At(engine.Subject{File: "a.py", Line: 5}))
	rep.Add("CFG006", "secret", engine.At(engine.Subject{File: "a.py", Line: 9}))
	rep.Add("CFG009", "csrf", engine.At(engine.Subject{File: "b.py", Line: 3}))
	rep.Add("ROL005", "sync", engine.At(engine.Subject{File: "b.py", Line: 20}))
	return rep
}

func ids(fs []engine.Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID+"@"+f.Subject.File+":"+itoa(f.Subject.Line))
	}
	return strings.Join(out, " ")
}

func TestApplyInlineProjectAndFlag(t *testing.T) {
	rep := report()
	r := NewRules(rep.Registry())
	r.AddFile("a.py", []pyread.Comment{
		{Line: 4, Text: "# authdoctor: ignore[CFG006] rotated by the chart"},             // covers 5
		{Line: 8, Text: "# authdoctor: ignore[CFG006] after code on 8", AfterCode: true}, // covers 8 only: 9 stays
	})
	entry := &Entry{Checks: []string{"ROL005"}, Reason: "roles by hand", Pattern: "b.py", File: ".authdoctor.yaml", Line: 3}
	r.AddProject("b.py", []*Entry{entry})
	if err := r.Flag([]string{"csrf-disabled"}); err != nil {
		t.Fatal(err)
	}
	r.Apply(rep, true)
	if got := ids(rep.Findings); got != "CFG006@a.py:9 CFG017@a.py:8" {
		t.Errorf("findings %s", got)
	}
	byID := map[string]engine.Suppression{}
	for _, s := range rep.Suppressed {
		byID[s.ID] = s.Suppression
	}
	if s := byID["CFG006"]; s != (engine.Suppression{Kind: engine.SuppressInline, Reason: "rotated by the chart", File: "a.py", Line: 4}) {
		t.Errorf("inline %+v", s)
	}
	if s := byID["ROL005"]; s != (engine.Suppression{Kind: engine.SuppressProject, Reason: "roles by hand", File: ".authdoctor.yaml", Line: 3}) {
		t.Errorf("project %+v", s)
	}
	if s := byID["CFG009"]; s.Kind != engine.SuppressFlag {
		t.Errorf("flag %+v", s)
	}
	if rep.Summary().Suppressed != 3 {
		t.Errorf("summary %+v", rep.Summary())
	}
}

// Stale ignores are reported only for checks that ran, never for the
// flag, and an entry handed to no linted file is not judged.
func TestApplyReportsStaleIgnores(t *testing.T) {
	rep := report()
	rep.Skip("CFG013", "offline")
	r := NewRules(rep.Registry())
	r.AddFile("b.py", []pyread.Comment{
		{Line: 1, Text: "# authdoctor: ignore[CFG004] the finding was fixed"}, // stale
		{Line: 2, Text: "# authdoctor: ignore[CFG013] skipped this run"},      // its check did not run
		{Line: 3, Text: "# authdoctor: ignore[TOK006] not a lint check"},      // outside the scope
		{Line: 19, Text: "# authdoctor: ignore[ROL005,CFG006] half used"},     // CFG006 part stale
	})
	stale := &Entry{Checks: []string{"CFG009", "CFG014"}, File: "p/.authdoctor.yaml", Line: 7}
	r.AddProject("b.py", []*Entry{stale})
	_ = &Entry{Checks: []string{"CFG014"}, File: "p/.authdoctor.yaml", Line: 9} // matched no linted file: never handed over
	if err := r.Flag([]string{"CFG016"}); err != nil {
		t.Fatal(err)
	}
	r.Apply(rep, true)
	var got []string
	for _, f := range rep.Findings {
		if f.ID == UnusedID {
			got = append(got, f.Subject.File+":"+itoa(f.Subject.Line)+" "+f.Evidence[len(f.Evidence)-1].Value)
		}
	}
	want := "b.py:1 CFG004|b.py:19 CFG006|p/.authdoctor.yaml:7 CFG014"
	if strings.Join(got, "|") != want {
		t.Errorf("stale reports %q, want %q", strings.Join(got, "|"), want)
	}
	// Without reportUnused (doctor) nothing is said about stale ignores.
	rep2 := report()
	r2 := NewRules(rep2.Registry())
	r2.AddFile("b.py", []pyread.Comment{{Line: 1, Text: "# authdoctor: ignore[CFG004] fixed"}})
	r2.Apply(rep2, false)
	if rep2.Has(UnusedID) {
		t.Error("stale reported without reportUnused")
	}
}

// An unusable directive is reported and silences nothing; its known
// checks still apply when another is unknown; the reports about ignores
// can be silenced by --ignore.
func TestApplyBadDirectives(t *testing.T) {
	rep := report()
	r := NewRules(rep.Registry())
	r.AddFile("a.py", []pyread.Comment{
		{Line: 4, Text: "# authdoctor: ignore[CFG006]"},
		{Line: 9, Text: "# authdoctor: ignore[CFG006,CFG999] mixed", AfterCode: true},
	})
	r.Apply(rep, true)
	if got := ids(rep.Findings); got != "CFG006@a.py:5 CFG009@b.py:3 ROL005@b.py:20 CFG018@a.py:4 CFG018@a.py:9" {
		t.Errorf("findings %s", got)
	}
	for _, f := range rep.Findings {
		if f.ID == InvalidID && f.Subject.Line == 9 && !strings.Contains(f.Message, "did you mean") {
			t.Errorf("unknown ID without suggestion: %s", f.Message)
		}
	}
	rep = report()
	r = NewRules(rep.Registry())
	r.AddFile("a.py", []pyread.Comment{{Line: 4, Text: "# authdoctor: ignore[CFG006]"}})
	if err := r.Flag([]string{"ignore-directive-invalid"}); err != nil {
		t.Fatal(err)
	}
	r.Apply(rep, true)
	if rep.Has(InvalidID) || len(rep.Suppressed) != 1 || rep.Suppressed[0].ID != InvalidID {
		t.Errorf("findings %s, suppressed %+v", ids(rep.Findings), rep.Suppressed)
	}
}
