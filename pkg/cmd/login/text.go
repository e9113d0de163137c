package login

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/authlib"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/rehearsal"
	"github.com/authdoctor/authdoctor/pkg/render"
)

// result adds the text form to rehearsal.Result.
type result struct{ *rehearsal.Result }

// MarshalJSON is rehearsal.Result's.
func (r *result) MarshalJSON() ([]byte, error) { return json.Marshal(r.Result) }

// WriteText shows the login as it happened: the setup, the steps, then
// each step's material.
func (r *result) WriteText(p *render.Printer) {
	res := r.Result
	p.Section("Login")
	if res.Config != "" {
		p.KV(2, 9, "config", res.Config+p.Dim("  ("+res.Flavor+")"))
		p.KV(2, 9, "provider", res.Provider)
	}
	if c := res.Client; c != nil {
		p.KV(2, 9, "client_id", c.ClientID)
	}
	p.KV(2, 9, "secret", orDash(res.SecretFrom))
	if res.MetadataURL != "" {
		p.KV(2, 9, "metadata", res.MetadataURL+p.Dim("  ("+res.MetadataHow+")"))
	}
	p.KV(2, 9, "network", res.Network)
	p.Section("What happened at login")
	render.LoginSteps(p, res.Steps)
	if f := res.Failure; f != nil {
		p.Section("What the app does")
		if f.Raised != nil {
			p.KV(2, 14, "authlib raises", f.Raised.String())
		}
		if f.Log != "" {
			p.KV(2, 14, "FAB logs", f.Log)
		}
		if f.Page != "" {
			p.KV(2, 14, "the user sees", f.Page)
		}
	}
	r.writeRequest(p)
	r.writeTokens(p)
	r.writeUser(p)
	if res.Tokens != nil {
		p.Section("Tokens (--show-tokens: secrets)")
		b, _ := json.MarshalIndent(res.Tokens, "  ", "  ")
		p.Printf("  %s\n", b)
	}
}

func (r *result) writeRequest(p *render.Printer) {
	rq := r.Request
	if rq == nil {
		return
	}
	p.Section("Authorization request")
	p.KV(2, 9, "endpoint", rq.Endpoint.URL+p.Dim("  ("+rq.Endpoint.From+")"))
	for _, prm := range rq.Params {
		p.KV(4, 21, prm.Name, prm.Value+p.Dim("  ("+prm.From+")"))
	}
	for _, n := range rq.Notes {
		p.Printf("  %s %s\n", p.Dim("note:"), n)
	}
	if reg := r.RegisterURI; reg != nil {
		p.KV(2, 9, "register", reg.URI)
		p.Printf("  %s\n", p.Dim(reg.Why))
	}
	if ov := r.Client.Metadata.Overridden; len(ov) > 0 {
		for _, o := range ov {
			if !o.Unchanged {
				p.Printf("  %s remote_app's %s %s is ignored: the fetched metadata's %s wins (authlib merges the document over remote_app)\n",
					p.Dim("note:"), o.Key, fab.Repr(o.RemoteApp), fab.Repr(o.Document))
			}
		}
	}
}

func (r *result) writeTokens(p *render.Printer) {
	if ex := r.Exchange; ex != nil {
		p.Section("Token exchange")
		p.KV(2, 9, "POST", ex.Request.Endpoint.URL+p.Dim("  ("+ex.Request.Endpoint.From+")"))
		p.KV(2, 9, "client", ex.Request.AuthMethod+p.Dim("  ("+ex.Request.AuthFrom+")"))
		p.KV(2, 9, "answer", fmt.Sprintf("HTTP %d; %s", ex.Status, orDash(strings.Join(ex.Members, ", "))))
		for _, t := range []struct {
			name string
			v    *rehearsal.TokenView
		}{{"id_token", ex.IDToken}, {"access", ex.AccessToken}} {
			switch {
			case t.v == nil:
			case !t.v.JWT:
				p.KV(2, 9, t.name, "opaque (not a JWT)")
			default:
				p.KV(2, 9, t.name, t.v.Identified.Summary)
			}
		}
	}
	if it := r.IDToken; it != nil && it.Parsed {
		p.Section("ID token, as authlib checks it")
		for _, rule := range it.Rules {
			mark := p.Green("✓")
			if !rule.OK {
				mark = p.Red("✗")
			}
			p.Printf("  %s %-16s %s\n", mark, rule.Name, rule.Detail)
		}
		writeClaims(p, it)
	}
}

// writeClaims lists the ID token's claims (values only where short).
func writeClaims(p *render.Printer, it *authlib.IDTokenResult) {
	if len(it.Claims) == 0 {
		return
	}
	keys := make([]string, 0, len(it.Claims))
	for k := range it.Claims {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k)
	}
	p.KV(2, 9, "claims", strings.Join(parts, ", "))
}

func (r *result) writeUser(p *render.Printer) {
	if ui := r.UserInfo; ui != nil {
		p.Section("User-info")
		p.KV(2, 9, "from", ui.Source)
	}
	ro := r.Roles
	if ro == nil {
		return
	}
	if ro.UserInfo != nil {
		b, _ := json.Marshal(ro.UserInfo)
		p.KV(2, 9, "userinfo", string(b))
	}
	p.Section("Roles and pages")
	p.KV(2, 9, "outcome", ro.Outcome)
	for _, m := range ro.Matched {
		p.KV(2, 9, "mapping", fmt.Sprintf("%q (%s) → %s", m.Key, m.Kind, strings.Join(m.Targets, ", ")))
	}
	p.KV(2, 9, "roles", fab.RolesText(ro.Roles))
	for _, rp := range ro.Permissions {
		p.Printf("    %s %s\n", p.Bold(rp.Role+":"), rp.Summary)
	}
	for _, n := range ro.Notes {
		p.Printf("  %s %s\n", p.Dim("note:"), n)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
