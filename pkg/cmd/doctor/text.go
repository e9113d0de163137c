package doctor

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/render"
)

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
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
	render.LoginSteps(p, r.Steps)
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
		if src := ro.UserInfoSource; src != nil && src.Kind == fab.SourceCustom {
			p.Printf("  %s\n", p.Bold("user-info from "+src.String()))
		}
		if src := ro.RolesSource; src != nil {
			p.Printf("  %s\n", p.Bold("roles from "+src.String()))
		}
		p.KV(2, 9, "outcome", ro.Outcome)
		if u := ro.Unknown; u != nil {
			p.KV(2, 9, "why", u.String())
		}
		if e := ro.Exception; e != nil {
			p.KV(2, 9, "raised", fmt.Sprintf("%s (%s:%d)", e.Text, e.File, e.Line))
		}
		for _, m := range ro.Matched {
			p.KV(2, 9, "mapping", fmt.Sprintf("%q (%s) → %s", m.Key, m.Kind, strings.Join(m.Targets, ", ")))
		}
		title := "roles"
		if ro.RolesIfFixed {
			title = "once fixed"
		}
		p.KV(2, 9, title, fab.RolesText(ro.Roles))
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
