package engine

import (
	"strings"
	"testing"
)

func valid(id, name string) Check {
	return Check{ID: id, Name: name, Severity: SeverityError, Title: "t", Why: "w", Fix: "f", Stage: StageToken, Step: StepIDToken}
}

func TestRegistryRejectsMalformedAndDuplicates(t *testing.T) {
	cases := []struct {
		c       Check
		wantErr string
	}{
		{valid("TOK1", "x"), "malformed"},
		{valid("tok001", "x"), "malformed"},
		{valid("TOKE001", "x"), "malformed"},
		{valid("TOK001", "Not_Kebab"), "kebab"},
		{Check{ID: "TOK001", Name: "x", Title: "t", Why: "w", Fix: "f"}, "severity"},
		{Check{ID: "TOK001", Name: "x", Severity: SeverityInfo, Why: "w", Fix: "f"}, "required"},
		{Check{ID: "TOK001", Name: "x", Severity: SeverityInfo, Title: "t", Why: "w", Fix: "f"}, "stage"},
		{Check{ID: "TOK001", Name: "x", Severity: SeverityInfo, Title: "t", Why: "w", Fix: "f", Stage: "tokens"}, "stage"},
		{Check{ID: "TOK001", Name: "x", Severity: SeverityInfo, Title: "t", Why: "w", Fix: "f", Stage: StageToken, Step: 99}, "step"},
	}
	for _, c := range cases {
		err := NewRegistry().Register(c.c)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("Register(%+v) = %v, want error containing %q", c.c, err, c.wantErr)
		}
	}
	r := NewRegistry()
	if err := r.Register(valid("TOK001", "a")); err != nil {
		t.Fatal(err)
	}
	if err := r.Register(valid("TOK001", "b")); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate ID accepted: %v", err)
	}
	if err := r.Register(valid("TOK002", "a")); err == nil || !strings.Contains(err.Error(), "already used") {
		t.Errorf("duplicate name accepted: %v", err)
	}
	if c, ok := r.Get("tok001"); !ok || c.ID != "TOK001" {
		t.Errorf("lookup by lower-case ID failed")
	}
	if c, ok := r.Get("a"); !ok || c.ID != "TOK001" {
		t.Errorf("lookup by name failed")
	}
}

func TestReportScopeSkipsUnimplemented(t *testing.T) {
	r := NewRegistry()
	impl := valid("TOK001", "a")
	impl.Implemented = true
	r.MustRegister(impl)
	r.MustRegister(valid("TOK002", "b"))
	other := valid("CFG001", "c")
	other.Stage = StageRead
	r.MustRegister(other)
	rep := NewReport(r, "x")
	rep.Scope(StageToken)
	if len(rep.Skipped) != 1 || rep.Skipped[0].ID != "TOK002" || rep.Skipped[0].Reason != "not implemented" {
		t.Fatalf("skipped = %+v", rep.Skipped)
	}
}

func TestReportSummaryAndWorst(t *testing.T) {
	r := NewRegistry()
	w := valid("TOK001", "a")
	w.Severity = SeverityWarning
	r.MustRegister(w)
	r.MustRegister(valid("TOK002", "b"))
	rep := NewReport(r, "x")
	rep.Add("TOK001", "first", With("k", "v"))
	rep.Add("TOK002", "second", FixHint("specific"))
	if s := rep.Summary(); s.Error != 1 || s.Warning != 1 || s.Info != 0 {
		t.Fatalf("summary %+v", s)
	}
	if rep.Worst().ID != "TOK002" || rep.Worst().Fix != "specific" {
		t.Fatalf("worst %+v", rep.Worst())
	}
	rep.Sort()
	if rep.Findings[0].ID != "TOK002" {
		t.Fatalf("sort did not put the error first")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a finding of an unregistered check must panic")
		}
	}()
	rep.Add("NOP999", "x")
}

func TestValidIDAndName(t *testing.T) {
	for id, ok := range map[string]bool{"TOK001": true, "ABC999": true, "TOK01": false, "tok001": false, "TOK0011": false, "T0K001": false, "TOKA01": false} {
		if validID(id) != ok {
			t.Errorf("validID(%q) = %v", id, !ok)
		}
	}
	for n, ok := range map[string]bool{"kid-not-found": true, "a": true, "a1-b2": true, "": false, "-a": false, "a-": false, "a--b": false, "A-b": false, "a_b": false} {
		if validName(n) != ok {
			t.Errorf("validName(%q) = %v", n, !ok)
		}
	}
}

func TestStagesAndSteps(t *testing.T) {
	r := NewRegistry()
	a := valid("TOK001", "a")
	b := valid("CFG001", "b")
	b.Stage, b.Step = StageRead, StepAppStart
	r.MustRegister(a)
	r.MustRegister(b)
	if got := r.IDs(StageToken); len(got) != 1 || got[0] != "TOK001" {
		t.Errorf("IDs(token) = %v", got)
	}
	if got := r.IDs(StageRead, StageToken); len(got) != 2 {
		t.Errorf("IDs(read, token) = %v", got)
	}
	rep := NewReport(r, "x")
	if f := rep.Add("CFG001", "m"); f.Step != StepAppStart {
		t.Errorf("a finding takes its check's step: %v", f.Step)
	}
	if f := rep.Add("TOK001", "m", AtStep(StepUserInfo)); f.Step != StepUserInfo {
		t.Errorf("AtStep did not place the finding: %v", f.Step)
	}
	rep.SkipStage(StageToken, "no token")
	if len(rep.Skipped) != 1 || rep.Skipped[0].ID != "TOK001" {
		t.Errorf("SkipStage: %+v", rep.Skipped)
	}
	if StepIDToken.String() != "id_token parsing" || Step(42).String() != "invalid" {
		t.Errorf("step names")
	}
}
