package doctor

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/providers"
	"github.com/authdoctor/authdoctor/pkg/render"
)

// Step is one stage of a FAB OAuth login, as FAB runs it.
type Step struct {
	N      int      `json:"n"`
	Name   string   `json:"name"`
	Detail string   `json:"detail"`
	Status string   `json:"status"` // ok, warn, fail, not-checked
	Checks []string `json:"checks,omitempty"`
	// Why is the first problem of a failing or warning step.
	Why string `json:"why,omitempty"`
}

func steps(rep *engine.Report, res *Result, cfg *fab.Config, p fab.Profile, runs []*providers.Run) []Step {
	out := make([]Step, len(engine.Steps))
	for i, st := range engine.Steps {
		out[i] = Step{N: i, Name: st.String(), Status: "ok"}
	}
	var pr *providers.Run
	if res.Token != nil {
		for _, r := range runs {
			if r.Name == res.Token.Provider {
				pr = r
			}
		}
	}
	if pr == nil && len(runs) > 0 {
		pr = runs[0]
	}
	out[0].Detail = fmt.Sprintf("%s loads as %s", cfg.File, res.Flavor.FlavorTitle)
	if pr != nil {
		authz, _ := pr.Provider.RemoteStr("authorize_url")
		if authz == "" && pr.Doc != nil && pr.Doc.Discovery != nil {
			authz = pr.Doc.AuthorizationEndpoint + " (from discovery)"
		}
		out[1].Detail = fmt.Sprintf("provider %q → %s", pr.Name, orDash(authz))
		cb := fab.PredictCallback(p, cfg, pr.Name, "")
		out[2].Detail = "the IdP sends the browser back to " + cb.URL
		tokURL, _ := pr.Provider.RemoteStr("access_token_url")
		if tokURL == "" && pr.Doc != nil && pr.Doc.Discovery != nil {
			tokURL = pr.Doc.TokenEndpoint + " (from discovery)"
		}
		key, set, _ := pr.Provider.TokenKey()
		if !set {
			key = "oauth_token (default)"
		}
		out[3].Detail = fmt.Sprintf("POST %s; FAB reads token_key %s", orDash(tokURL), key)
		if ks := pr.KeySet(); ks != nil {
			out[4].Detail = "keys from " + ks.Input
		} else {
			out[4].Detail = "no key set could be had"
		}
	} else {
		out[1].Detail = "no OAuth provider in the config"
	}
	if res.Token != nil {
		out[4].Detail += fmt.Sprintf("; the token's signature: %s", res.Token.Outcome.Signature)
	}
	if r := res.Roles; r != nil {
		out[5].Detail = fmt.Sprintf("branch %s builds the user-info from %s", r.Branch, r.DataSource)
		if r.Username != "" {
			out[5].Detail += "; username " + r.Username
		}
		out[6].Detail = r.Outcome + ": " + rolesText(r.Roles)
		if r.RolesIfFixed {
			out[6].Detail = "once the problems above are fixed, the user gets " + rolesText(r.Roles)
		} else if r.Outcome == fab.Refused {
			out[6].Status, out[6].Detail = "not-checked", "not reached: the login is refused before roles are computed"
		}
	} else {
		out[5].Status, out[6].Status = "not-checked", "not-checked"
		out[5].Detail = "give --token (a user's ID token) to dry-run the user-info and roles"
		out[6].Detail = out[5].Detail
	}
	for _, f := range rep.Findings {
		s := &out[f.Step]
		s.Checks = appendOnce(s.Checks, f.ID)
		sev := f.Severity
		if f.ID == "TOK006" && sev == engine.SeverityError {
			// A sample token copied from a log has usually just expired:
			// a warning for the token, not a verdict on the setup (a clock
			// problem shows as TOK007 or with the measured skew).
			sev = engine.SeverityWarning
		}
		switch {
		case sev == engine.SeverityError && s.Status != "fail":
			s.Status, s.Why = "fail", f.ID+": "+f.Message
		case sev == engine.SeverityWarning && (s.Status == "ok" || s.Status == "not-checked"):
			s.Status, s.Why = "warn", f.ID+": "+f.Message
		}
	}
	if r := res.Roles; r != nil && r.Refusal != nil {
		n := r.Refusal.Step()
		if out[n].Status != "fail" {
			out[n].Status, out[n].Why = "fail", r.Refusal.Reason
		}
	}
	if r := res.Roles; r != nil && r.Outcome == fab.NoAccess && out[6].Status != "fail" {
		out[6].Status, out[6].Why = "fail", "logged in, but every page answers 403 \"Your user has no roles and/or permissions!\""
	}
	return out
}

func headline(rep *engine.Report, res *Result) (string, string) {
	for _, s := range res.Steps {
		if s.Status == "fail" {
			h := fmt.Sprintf("sign-in will fail at %s: %s", s.Name, s.Why)
			return h, "fail"
		}
	}
	if r := res.Roles; r != nil {
		switch r.Outcome {
		case fab.Granted:
			who := r.Username
			if who == "" {
				who = "the user"
			}
			if r.UserInfo != nil {
				if v, ok := r.UserInfo.Get("email"); ok {
					if e, ok := v.(string); ok && e != "" && e != who {
						who += " (" + e + ")"
					}
				}
			}
			return fmt.Sprintf("sign-in works; %s gets %s", who, rolesText(r.Roles)), "works"
		case fab.NoAccess:
			return "sign-in works, but the user gets no usable role: every page answers 403", "no-access"
		case fab.Refused:
			if r.Refusal != nil {
				return "sign-in will fail: " + r.Refusal.Reason, "fail"
			}
		}
	}
	s := rep.Summary()
	if s.Warning > 0 {
		return fmt.Sprintf("no blocking problem found; %d warning(s) to look at", s.Warning), "warnings"
	}
	return "no problems found", "ok"
}

func rolesText(r []string) string {
	if len(r) == 0 {
		return "no role"
	}
	return strings.Join(r, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func appendOnce(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// WriteText shows the config, the login steps, the token and the roles.
func (r *Result) WriteText(p *render.Printer) {
	p.Section("Config")
	p.KV(2, 8, "file", r.Config)
	p.KV(2, 8, "flavour", r.Flavor.FlavorTitle+p.Dim("  ("+r.Flavor.FlavorReason+")"))
	p.KV(2, 8, "network", r.Network)
	for _, pr := range r.Providers {
		src := pr.MetadataURL
		if src == "" {
			src = "none (" + pr.Skipped + ")"
		} else {
			src += p.Dim("  (" + pr.MetadataHow + ")")
		}
		p.KV(2, 8, "provider", fmt.Sprintf("%s: metadata %s", p.Bold(pr.Name), src))
	}
	p.Section("What will happen at login")
	for _, s := range r.Steps {
		var mark string
		switch s.Status {
		case "fail":
			mark = p.Red("FAIL")
		case "warn":
			mark = p.Yellow("warn")
		case "ok":
			mark = p.Green(" ok ")
		default:
			mark = p.Dim(" -- ")
		}
		p.Printf("  %s %d. %-18s %s\n", mark, s.N, s.Name, s.Detail)
		if s.Why != "" && s.Status != "ok" {
			p.Printf("  %s    %s %s\n", strings.Repeat(" ", 4), p.Dim("↳"), s.Why)
		}
	}
	if t := r.Token; t != nil {
		p.Section("Token")
		p.KV(2, 9, "looks like", t.Identified.Summary)
		if t.Provider != "" {
			p.KV(2, 9, "provider", t.Provider+p.Dim("  ("+t.MatchedBy+")"))
		}
		sig := t.Outcome.Signature
		if t.Outcome.Reason != "" {
			sig += " (" + t.Outcome.Reason + ")"
		}
		p.KV(2, 9, "signature", fmt.Sprintf("%s, %s, kid %s", sig, t.Outcome.Alg, orDash(t.Outcome.Kid)))
	}
	if ro := r.Roles; ro != nil {
		p.Section("Roles")
		p.KV(2, 9, "outcome", ro.Outcome)
		for _, m := range ro.Matched {
			p.KV(2, 9, "mapping", fmt.Sprintf("%q (%s) → %s", m.Key, m.Kind, strings.Join(m.Targets, ", ")))
		}
		title := "roles"
		if ro.RolesIfFixed {
			title = "once fixed"
		}
		p.KV(2, 9, title, rolesText(ro.Roles))
		for _, rp := range ro.Permissions {
			p.Printf("    %s %s\n", p.Bold(rp.Role+":"), rp.Summary)
		}
	}
	if u := r.URL; u != nil {
		p.Section("URL")
		p.KV(2, 9, "kind", u.Kind)
		for _, e := range u.Errors {
			p.KV(2, 9, e.ID(), e.Meaning)
		}
	}
}
