package engine

import "testing"

// PlaceFindings: the first error of a step makes it fail with that
// finding as why, a later error does not replace it, a warning marks a
// step that is not failing, Keep/At/Severity steer the placement, and
// FirstFailing is the earliest failing step.
func TestPlaceFindings(t *testing.T) {
	steps := NewLoginSteps()
	if len(steps) != len(Steps) || steps[4].Name != "id_token parsing" || steps[4].Status != "ok" {
		t.Fatalf("%+v", steps)
	}
	steps[5].Status = "not-run"
	fs := []Finding{
		{ID: "TOK004", Severity: SeverityError, Message: "kid", Step: StepIDToken},
		{ID: "TOK005", Severity: SeverityError, Message: "sig", Step: StepIDToken},
		{ID: "ROL005", Severity: SeverityWarning, Message: "sync", Step: StepRoles},
		{ID: "ISS005", Severity: SeverityWarning, Message: "odd", Step: StepUserInfo},
		{ID: "DSC004", Severity: SeverityError, Message: "iss url", Step: StepAuthorize, Provider: "other"},
		{ID: "TOK006", Severity: SeverityError, Message: "expired", Step: StepIDToken},
	}
	PlaceFindings(steps, fs, Placement{
		Keep: func(f Finding) bool { return f.Provider == "" },
		At: func(f Finding) Step {
			if f.ID == "TOK006" {
				return StepTokenExchange
			}
			return f.Step
		},
		Severity: func(f Finding) Severity {
			if f.ID == "TOK006" {
				return SeverityWarning
			}
			return f.Severity
		}})
	if s := steps[StepIDToken]; s.Status != "fail" || s.Why != "TOK004: kid" || len(s.Checks) != 2 {
		t.Errorf("id_token %+v", s)
	}
	if s := steps[StepRoles]; s.Status != "warn" || s.Why != "ROL005: sync" {
		t.Errorf("roles %+v", s)
	}
	if s := steps[StepUserInfo]; s.Status != "warn" {
		t.Errorf("a warning marks a not-run step too: %+v", s)
	}
	if s := steps[StepAuthorize]; s.Status != "ok" || len(s.Checks) != 0 {
		t.Errorf("another provider's finding is not placed: %+v", s)
	}
	if s := steps[StepTokenExchange]; s.Status != "warn" || s.Checks[0] != "TOK006" {
		t.Errorf("At and Severity: %+v", s)
	}
	if f := FirstFailing(steps); f == nil || f.N != int(StepIDToken) {
		t.Errorf("first failing %+v", f)
	}
	if FirstFailing(NewLoginSteps()) != nil {
		t.Error("no failing step in fresh steps")
	}
}
