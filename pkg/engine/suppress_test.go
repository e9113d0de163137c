package engine

import (
	"testing"
)

func suppressRegistry() *Registry {
	r := NewRegistry()
	for _, c := range []Check{
		{ID: "CFG006", Name: "secret-in-config", Severity: SeverityWarning, Stage: StageConfig},
		{ID: "CFG009", Name: "csrf-disabled", Severity: SeverityWarning, Stage: StageConfig},
		{ID: "CFG001", Name: "config-syntax-error", Severity: SeverityError, Stage: StageRead},
		{ID: "TOK006", Name: "token-expired", Severity: SeverityError, Stage: StageToken},
	} {
		c.Title, c.Why, c.Fix, c.Implemented = "t", "w", "f", true
		r.MustRegister(c)
	}
	return r
}

// A suppressed finding leaves Findings, is counted apart and no longer
// decides the worst severity (hence the exit code).
func TestSuppressMovesFindingsOut(t *testing.T) {
	rep := NewReport(suppressRegistry(), "lint")
	rep.Add("CFG001", "syntax", At(Subject{File: "a.py", Line: 3}))
	rep.Add("CFG006", "secret", At(Subject{File: "a.py", Line: 7}))
	rep.Add("CFG006", "secret", At(Subject{File: "b.py", Line: 7}))
	if rep.SuppressionsChecked() {
		t.Fatal("checked before Suppress ran")
	}
	rep.Suppress(func(f *Finding) (Suppression, bool) {
		if f.Subject.File == "a.py" {
			return Suppression{Kind: SuppressInline, Reason: "dev only", File: "a.py", Line: f.Subject.Line - 1}, true
		}
		return Suppression{}, false
	})
	if !rep.SuppressionsChecked() {
		t.Error("not marked checked")
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Subject.File != "b.py" {
		t.Fatalf("findings left: %+v", rep.Findings)
	}
	if len(rep.Suppressed) != 2 || rep.Suppressed[0].Suppression.Reason != "dev only" {
		t.Fatalf("suppressed: %+v", rep.Suppressed)
	}
	if s := rep.Summary(); s != (Summary{Error: 0, Warning: 1, Info: 0, Suppressed: 2}) {
		t.Errorf("summary %+v", s)
	}
	if rep.MaxSeverity() != SeverityWarning {
		t.Errorf("the suppressed error still counts: %v", rep.MaxSeverity())
	}
}

func TestRanFollowsScopeAndSkips(t *testing.T) {
	rep := NewReport(suppressRegistry(), "lint")
	rep.Scope(StageRead, StageConfig)
	rep.Skip("CFG009", "offline")
	if !rep.Ran("CFG006") || !rep.Ran("CFG001") {
		t.Error("checks of scoped stages did not run")
	}
	if rep.Ran("CFG009") {
		t.Error("a skipped check ran")
	}
	if rep.Ran("TOK006") {
		t.Error("a check outside the scope ran")
	}
	rep.Add("TOK006", "expired")
	if !rep.Ran("TOK006") {
		t.Error("a check with a finding did not run")
	}
	if rep.Ran("XYZ001") {
		t.Error("an unknown ID ran")
	}
}

func TestSimilarSuggestsIDsAndNames(t *testing.T) {
	reg := suppressRegistry()
	cases := map[string]string{
		"CFG06":             "CFG006",
		"cfg0006":           "CFG006",
		"CFG008":            "CFG006", // one digit off: both CFG006 and CFG009 are close
		"csrf":              "CFG009",
		"secret-in":         "CFG006",
		"secrets-in-config": "CFG006",
	}
	for in, want := range cases {
		got := reg.Similar(in)
		found := false
		for _, c := range got {
			found = found || c.ID == want
		}
		if !found {
			t.Errorf("Similar(%q) = %v, want %s among them", in, got, want)
		}
	}
	if got := reg.Similar("CFG060"); len(got) != 1 {
		t.Errorf("a transposition is the one best match: %v", got)
	}
	if got := reg.Similar("completely-unrelated"); len(got) != 0 {
		t.Errorf("Similar of nonsense = %v", got)
	}
}
