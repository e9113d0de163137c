package fab

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// OtherVersion is the login on plausible versions other than the one
// simulated, when it ends differently for this user.
type OtherVersion struct {
	// Versions name the flavours/versions (Profile.Short) that give it.
	Versions []string `json:"versions"`
	Outcome  string   `json:"outcome"`
	Branch   string   `json:"branch"`
	Roles    []string `json:"roles"`
	// Refusal is why the login fails there (nil when it does not).
	Refusal *Refusal `json:"refusal,omitempty"`
	// Summary says it in one sentence.
	Summary string `json:"summary"`
	// flavor is the first version's flavour.
	flavor Flavor
}

// SimulatePlausible runs the login on every plausible profile (the last
// is the one simulated, as File.Plausible orders them) and returns the
// simulated one's result with, in OtherVersions, how the others end when
// that differs: when the version is not known, the user learns that e.g.
// Airflow 2.2–2.8 refuse a provider name the newest provider handles.
func SimulatePlausible(cfg *Config, ps []Profile, in SimInput) (*Result, error) {
	if len(ps) == 0 {
		return nil, &SimError{"no flavour to simulate"}
	}
	main := ps[len(ps)-1]
	res, err := Simulate(cfg, main, in)
	if err != nil {
		return nil, err
	}
	byKey := map[string]*OtherVersion{}
	for _, p := range ps[:len(ps)-1] {
		r, err := Simulate(cfg, p, in)
		if err != nil {
			return nil, err
		}
		k := outcomeKey(r)
		if k == outcomeKey(res) {
			continue
		}
		if ov, ok := byKey[k]; ok {
			ov.Versions = append(ov.Versions, p.Short)
			continue
		}
		ov := &OtherVersion{Versions: []string{p.Short}, flavor: p.Flavor, Outcome: r.Outcome, Branch: r.Branch, Roles: r.Roles, Refusal: r.Refusal}
		byKey[k] = ov
		res.OtherVersions = append(res.OtherVersions, ov)
	}
	for _, ov := range res.OtherVersions {
		ov.Summary = "on " + strings.Join(ov.Versions, " and ") + ": " + outcomeSentence(ov.Outcome, ov.Branch, ov.Roles, ov.Refusal) +
			" (on " + main.Short + ": " + outcomeSentence(res.Outcome, res.Branch, res.Roles, res.Refusal) + ")"
	}
	return res, nil
}

// outcomeKey is what makes two logins end the same for the user.
func outcomeKey(r *Result) string {
	k := r.Outcome + "|" + r.Branch + "|" + strings.Join(r.Roles, ",")
	if r.Refusal != nil {
		k += "|" + r.Refusal.Stage + "|" + r.Refusal.Log + "|" + r.Refusal.Message
	}
	return k
}

// outcomeSentence says how a login ends.
func outcomeSentence(outcome, branch string, roles []string, rf *Refusal) string {
	via := fmt.Sprintf("the %s branch", branch)
	switch branch {
	case "none", "":
		via = "no built-in user-info branch for this provider name"
	case "custom":
		via = "the user's own user-info code"
	}
	switch outcome {
	case Unknowable:
		return "cannot be known statically (the user's own code depends on something outside the file)"
	case Granted:
		return fmt.Sprintf("signs in through %s with %s", via, strings.Join(roles, ", "))
	case NoAccess:
		return fmt.Sprintf("signs in through %s but may do nothing (roles: %s)", via, Repr(roles))
	}
	if rf == nil {
		return "refused"
	}
	s := "refused at " + rf.Stage + " (" + via + "): " + rf.Reason
	if rf.Log != "" {
		s += "; logs \"" + rf.Log + "\""
	}
	return s
}

// OtherVersionIssues are the findings of the other plausible versions'
// logins, at info: true only on those versions (as LintPlausible says
// what only some versions do). A refusal is ROL006, no access ROL003.
func (r *Result) OtherVersionIssues(file string) []Issue {
	var out []Issue
	for _, ov := range r.OtherVersions {
		id, line := "", 1
		switch {
		case ov.Refusal != nil:
			id, line = "ROL006", max(ov.Refusal.Line, 1)
		case ov.Outcome == NoAccess:
			id = "ROL003"
		default:
			continue
		}
		out = append(out, Issue{ID: id, File: file, Line: line, Message: ov.Summary, Severity: engine.SeverityInfo,
			Fix:      "If the deployment runs one of these versions, authdoctor roles --flavor " + string(ov.flavor) + " shows the cause there; otherwise say which version runs (--flavor, --fab-version, --fab-provider or --requirements).",
			Evidence: []engine.Evidence{{Key: "only on", Value: strings.Join(ov.Versions, "; ")}}})
	}
	return out
}
