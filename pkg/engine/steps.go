package engine

// LoginStep is one step of a login as doctor and login show it: what
// happens there, its status and the first problem placed at it.
type LoginStep struct {
	N      int    `json:"n"`
	Name   string `json:"name"`
	Detail string `json:"detail"`
	// Status is ok, warn, fail, not-checked (nothing to judge it with)
	// or not-run (the login has no such step, e.g. no id_token parsing
	// without openid).
	Status string   `json:"status"`
	Checks []string `json:"checks,omitempty"`
	// Why is the first problem of a failing or warning step.
	Why string `json:"why,omitempty"`
}

// NewLoginSteps returns one step per login step, all ok.
func NewLoginSteps() []LoginStep {
	out := make([]LoginStep, len(Steps))
	for i, st := range Steps {
		out[i] = LoginStep{N: i, Name: st.String(), Status: "ok"}
	}
	return out
}

// Placement tunes PlaceFindings; every field may be nil.
type Placement struct {
	// Keep selects the findings about the login shown (doctor: the
	// diagnosed provider's and the whole file's).
	Keep func(Finding) bool
	// At is the step a finding is placed at (default: its Step).
	At func(Finding) Step
	// Severity is the severity it counts with there (default: its own).
	Severity func(Finding) Severity
}

// PlaceFindings marks the steps with the findings placed at them: the
// first error makes a step fail with that finding as its why; a warning
// makes a step that is not failing warn.
func PlaceFindings(steps []LoginStep, findings []Finding, o Placement) {
	for _, f := range findings {
		if o.Keep != nil && !o.Keep(f) {
			continue
		}
		at, sev := f.Step, f.Severity
		if o.At != nil {
			at = o.At(f)
		}
		if o.Severity != nil {
			sev = o.Severity(f)
		}
		if int(at) < 0 || int(at) >= len(steps) {
			continue
		}
		s := &steps[at]
		if !contains(s.Checks, f.ID) {
			s.Checks = append(s.Checks, f.ID)
		}
		switch {
		case sev == SeverityError && s.Status != "fail":
			s.Status, s.Why = "fail", f.ID+": "+f.Message
		case sev == SeverityWarning && (s.Status == "ok" || s.Status == "not-checked" || s.Status == "not-run"):
			s.Status, s.Why = "warn", f.ID+": "+f.Message
		}
	}
}

// FirstFailing is the first failing step (nil when none fails).
func FirstFailing(steps []LoginStep) *LoginStep {
	for i := range steps {
		if steps[i].Status == "fail" {
			return &steps[i]
		}
	}
	return nil
}
