package rehearsal

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/authlib"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
)

// Finish places what happened on the login's steps and writes the verdict
// (Report.Headline, Result.Verdict). Call it once, after Complete or when
// Done.
func (r *Rehearsal) Finish() {
	res := r.Result
	steps := engine.NewLoginSteps()
	r.details(steps)
	openid := r.Request == nil || r.Request.OpenID
	passed := r.passedSteps()
	at := func(f engine.Finding) engine.Step {
		if f.Step == engine.StepIDToken && !openid {
			return engine.StepUserInfo
		}
		return f.Step
	}
	// What the documents' inspection found before the sign-in cannot make
	// a step fail that the sign-in went through: there it is a warning
	// (the finding itself keeps its severity).
	findings := r.Report.Findings
	engine.PlaceFindings(steps, findings, engine.Placement{
		Keep: func(f engine.Finding) bool { return f.Provider == "" || f.Provider == res.Provider },
		At:   at,
		Severity: func(f engine.Finding) engine.Severity {
			if f.Severity == engine.SeverityError && passed[at(f)] && r.isStatic(f) {
				return engine.SeverityWarning
			}
			return f.Severity
		}})
	if ro := res.Roles; ro != nil && ro.Refusal != nil {
		if n := ro.Refusal.Step(); steps[n].Status != "fail" {
			steps[n].Status, steps[n].Why = "fail", ro.Refusal.Reason
		}
	}
	if ro := res.Roles; ro != nil && ro.Outcome == fab.NoAccess && steps[engine.StepRoles].Status != "fail" {
		steps[engine.StepRoles].Status, steps[engine.StepRoles].Why = "fail", "logged in, but every page answers 403 \""+fab.MsgNoRoles+"\""
	}
	if f := res.Failure; f != nil {
		for i := range steps {
			if steps[i].Name == f.Step && steps[i].Status != "fail" {
				steps[i].Status = "fail"
				if steps[i].Why == "" && f.Raised != nil {
					steps[i].Why = f.Raised.String()
				}
			}
		}
	}
	res.Steps = steps
	r.Report.Headline, res.Verdict = r.headline()
}

// passedSteps are the steps the sign-in went through: those before the
// one it stopped at, or every one it ran when it completed.
func (r *Rehearsal) passedSteps() map[engine.Step]bool {
	out := map[engine.Step]bool{}
	if r.Result.Callback == nil && r.Result.Failure == nil {
		return out
	}
	for _, st := range engine.Steps {
		if f := r.Result.Failure; f != nil && st.String() == f.Step {
			break
		}
		if st >= engine.StepAuthorize {
			out[st] = true
		}
	}
	return out
}

// isStatic reports whether a finding came from the documents' inspection
// before the sign-in (and was not confirmed by it).
func (r *Rehearsal) isStatic(f engine.Finding) bool {
	for i := 0; i < r.static && i < len(r.Report.Findings); i++ {
		g := r.Report.Findings[i]
		if !r.confirmed[i] && g.ID == f.ID && g.Message == f.Message && g.Subject == f.Subject {
			return true
		}
	}
	return false
}

// details says what happened at each step; steps after the one that
// stopped the login were not reached.
func (r *Rehearsal) details(steps []engine.LoginStep) {
	res := r.Result
	if r.setup.File != nil {
		steps[0].Detail = fmt.Sprintf("%s loads as %s", res.Config, res.Flavor)
	} else {
		steps[0].Status, steps[0].Detail = "not-checked", "no config: a bare OIDC client (--issuer, --client-id)"
	}
	if rq := res.Request; rq != nil {
		scope := "no scope"
		if len(rq.Scope) > 0 {
			scope = fmt.Sprintf("scope %q", strings.Join(rq.Scope, " "))
		}
		steps[1].Detail = fmt.Sprintf("GET %s (%s), %s", rq.Endpoint.URL, rq.Endpoint.From, scope)
		if p := res.Probe; p != nil && !p.Refused {
			steps[1].Detail += fmt.Sprintf("; the IdP accepts it (HTTP %d)", p.Status)
		}
	}
	if cb := res.Callback; cb != nil {
		steps[2].Detail = "the IdP sent the browser back to " + r.Request.Session.RedirectURI
		if cb.From == "pasted" {
			steps[2].Detail += " (URL pasted from the address bar)"
		}
	}
	if ex := res.Exchange; ex != nil {
		steps[3].Detail = fmt.Sprintf("POST %s (%s): HTTP %d", ex.Request.Endpoint.URL, ex.Request.AuthMethod, ex.Status)
		if len(ex.Members) > 0 {
			steps[3].Detail += ", the response has " + strings.Join(ex.Members, ", ")
		}
	}
	r.idTokenDetail(&steps[engine.StepIDToken])
	if ui := res.UserInfo; ui != nil {
		steps[5].Detail = ui.Source
	}
	if ro := res.Roles; ro != nil {
		steps[5].Detail = fmt.Sprintf("branch %s reads %s", ro.Branch, orDash(ro.ClaimsSource))
		if ro.Username != "" {
			steps[5].Detail += "; username " + ro.Username
		}
		steps[6].Detail = ro.Outcome + ": " + fab.RolesText(ro.Roles)
	} else if r.setup.File == nil {
		steps[5].Status, steps[6].Status = "not-checked", "not-checked"
		steps[6].Detail = "no config: give --config to see the app's user-info step and roles"
		if steps[5].Detail == "" {
			steps[5].Detail = steps[6].Detail
		}
	}
	reached := true
	for i := range steps {
		if !reached {
			steps[i].Status, steps[i].Detail = "not-checked", "not reached"
			continue
		}
		if f := res.Failure; f != nil && steps[i].Name == f.Step {
			reached = false
		}
	}
	if res.Failure == nil && res.Callback == nil {
		why := "not reached: the browser did not come back"
		if r.stopped != "" {
			why = "not reached: " + r.stopped
		}
		for i := engine.StepCallback; i < engine.Step(len(steps)); i++ {
			steps[i].Status, steps[i].Detail = "not-checked", why
		}
	}
}

// idTokenDetail says what authlib did with the ID token.
func (r *Rehearsal) idTokenDetail(s *engine.LoginStep) {
	if r.Request != nil && !r.Request.OpenID {
		s.Status = "not-run"
		s.Detail = "not run: the scope has no openid, so authlib sends no nonce and parses no id_token"
		return
	}
	it := r.Result.IDToken
	switch {
	case it == nil:
		return
	case !it.Parsed:
		s.Status, s.Detail = "not-run", "not run: "+it.Skipped
	case it.Raised == nil:
		s.Detail = "authlib accepts it: " + passed(it.Rules)
	default:
		s.Detail = "authlib checked " + passed(it.Rules)
	}
}

// passed lists the checks authlib made and passed.
func passed(rules []authlib.Rule) string {
	var names []string
	for _, r := range rules {
		if r.OK {
			names = append(names, r.Name)
		}
	}
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(names, ", ")
}

// headline is the verdict line: the first step that blocks the login, or
// that it works, with the user's roles.
func (r *Rehearsal) headline() (string, string) {
	res := r.Result
	who := "sign-in"
	if res.Provider != "" {
		who = fmt.Sprintf("sign-in with %q", res.Provider)
	}
	if s := engine.FirstFailing(res.Steps); s != nil {
		return fmt.Sprintf("%s fails at %s: %s", who, s.Name, s.Why), "fail"
	}
	if ro := res.Roles; ro != nil {
		switch ro.Outcome {
		case fab.Granted:
			return fmt.Sprintf("%s works; %s gets %s", who, ro.Who(), fab.RolesText(ro.Roles)), "works"
		case fab.NoAccess:
			return who + " works, but the user gets no usable role: every page answers 403", "no-access"
		}
	}
	if res.Exchange != nil {
		what := "the IdP issued tokens"
		if it := res.IDToken; it != nil && it.Parsed && it.Raised == nil {
			what += " and authlib accepts the ID token"
		}
		return fmt.Sprintf("%s works: %s for client %q", who, what, r.Client.ClientID), "works"
	}
	if r.stopped != "" {
		return who + ": " + r.stopped, "incomplete"
	}
	return who + ": the rehearsal did not get past the authorization request", "incomplete"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
