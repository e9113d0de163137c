// This file renders what pkg/oidc inspected (fetch records, key sets,
// discovery documents) for people: discovery, jwks and doctor show them
// the same way.
package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
)

// Fetch writes the fetch record lines (indented by 2).
func Fetch(p *Printer, width int, res *netx.Result) {
	if res == nil {
		return
	}
	if res.Err != nil {
		p.KV(2, width, "fetch", p.Red("failed")+" at "+res.Err.Stage.Describe()+": "+res.Err.Reason)
		p.KV(2, width, "timings", res.Timings.String())
	} else {
		p.KV(2, width, "fetch", res.Summary())
	}
	if res.FinalURL != "" && res.FinalURL != res.URL {
		p.KV(2, width, "final URL", res.FinalURL)
	}
	for _, rd := range res.Redirects {
		p.KV(2, width, "redirect", fmt.Sprintf("%d %s → %s", rd.Status, rd.From, rd.To))
	}
	if res.ConnectedTo != "" {
		p.KV(2, width, "connected to", res.ConnectedTo)
	}
	if res.Proxy != "" {
		p.KV(2, width, "proxy", res.Proxy)
	}
	if res.TLS != nil && !res.TLS.Verified {
		p.KV(2, width, "tls", p.Yellow("certificate NOT verified (--insecure)"))
	}
	if res.CacheControl != "" {
		p.KV(2, width, "cache-control", res.CacheControl)
	}
}

// KeySet writes one key set: where it came from, then a key table.
func KeySet(p *Printer, s *oidc.KeySetResult, now time.Time) {
	p.Section("Key set  " + s.Where())
	Fetch(p, 12, s.Fetch)
	if s.Skipped != "" {
		p.KV(2, 12, "not analysed", s.Skipped)
		return
	}
	keyTable(p, s.Keys, s.UsableForSignatures, now)
	for _, n := range s.Notes {
		p.Printf("  %s %s\n", p.Dim("note:"), n)
	}
}

// keyTable writes a table of keys and, when there are any, a second one
// with thumbprints and Entra key issuers.
func keyTable(p *Printer, keys []*oidc.Key, usable int, now time.Time) {
	p.Printf("  %s\n", p.Bold(fmt.Sprintf("%s, %d usable for signatures", countWord(len(keys), "key"), usable)))
	if len(keys) == 0 {
		return
	}
	rows := [][]string{{"KID", "KEY", "USE", "ALG", "SIGNS", "CERTIFICATE (x5c)", "CERT EXPIRES"}}
	for _, k := range keys {
		kid := k.KID
		if kid == "" {
			kid = fmt.Sprintf("(keys[%d], no kid)", k.Index)
		}
		typ := k.KTY
		switch {
		case k.KTY == "RSA" && k.Bits > 0:
			typ = fmt.Sprintf("RSA %d", k.Bits)
		case k.Curve != "":
			typ = k.KTY + " " + k.Curve
		case typ == "":
			typ = "?"
		}
		use := dash(k.Use)
		if len(k.KeyOps) > 0 {
			use += " [" + strings.Join(k.KeyOps, ",") + "]"
		}
		signs := "yes"
		if !k.Usable {
			signs = "no: " + k.UnusableReason
		}
		cert, exp := "-", "-"
		if k.Cert != nil {
			cert = k.Cert.Subject
			exp = k.Cert.NotAfter.Format("2006-01-02")
			if now.After(k.Cert.NotAfter) {
				exp += " (expired)"
			}
		}
		rows = append(rows, []string{kid, typ, use, dash(k.Alg), signs, cert, exp})
	}
	columns(p, rows)

	var extra [][]string
	hasIssuer := false
	for _, k := range keys {
		if k.Issuer != "" {
			hasIssuer = true
		}
	}
	for _, k := range keys {
		if k.Thumbprint == "" && k.Issuer == "" && len(k.PrivateMembers) == 0 {
			continue
		}
		kid := k.KID
		if kid == "" {
			kid = fmt.Sprintf("(keys[%d])", k.Index)
		}
		row := []string{kid, dash(k.Thumbprint)}
		if hasIssuer {
			row = append(row, dash(k.Issuer))
		}
		if len(k.PrivateMembers) > 0 {
			row[1] += "  (PRIVATE MEMBERS PUBLISHED: " + strings.Join(k.PrivateMembers, ",") + ")"
		}
		extra = append(extra, row)
	}
	if len(extra) > 0 {
		head := []string{"KID", "THUMBPRINT (RFC 7638)"}
		if hasIssuer {
			head = append(head, "KEY ISSUER (Entra)")
		}
		p.Println()
		columns(p, append([][]string{head}, extra...))
	}
}

func columns(p *Printer, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			if n := len([]rune(c)); i < len(widths) && n > widths[i] {
				widths[i] = n
			}
		}
	}
	for ri, r := range rows {
		var sb strings.Builder
		sb.WriteString("  ")
		for i, c := range r {
			cell := c
			if i < len(r)-1 {
				cell += strings.Repeat(" ", widths[i]-len([]rune(c))+2)
			}
			sb.WriteString(cell)
		}
		line := strings.TrimRight(sb.String(), " ")
		if ri == 0 {
			line = p.Dim(line)
		}
		p.Println(line)
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func countWord(n int, w string) string {
	if n == 1 {
		return "1 " + w
	}
	return fmt.Sprintf("%d %ss", n, w)
}

// Discovery writes one discovery document: where it came from, the
// provider recognised, its endpoints and notes.
func Discovery(p *Printer, d *oidc.DocResult) {
	p.Section("Discovery document  " + d.Where())
	const w = 22
	if d.WellKnownAppended {
		p.KV(2, w, "input", d.Input+" (an issuer: /.well-known/openid-configuration appended)")
	}
	Fetch(p, w, d.Fetch)
	if d.Discovery == nil {
		if d.Skipped != "" {
			p.KV(2, w, "not analysed", d.Skipped)
		}
		return
	}
	if d.Provider != nil {
		p.KV(2, w, "provider", d.Provider.Description)
	}
	if d.Kind == oidc.KindOAuth {
		p.KV(2, w, "kind", "RFC 8414 OAuth 2.0 authorization server metadata")
	}
	for _, m := range []struct{ k, v string }{
		{"issuer", d.Issuer},
		{"authorization_endpoint", d.AuthorizationEndpoint},
		{"token_endpoint", d.TokenEndpoint},
		{"userinfo_endpoint", d.UserinfoEndpoint},
		{"jwks_uri", d.JWKSURI},
		{"end_session_endpoint", d.EndSessionEndpoint},
	} {
		v := m.v
		if v == "" {
			v = p.Dim("(absent)")
		}
		p.KV(2, w, m.k, v)
	}
	for _, l := range []struct {
		k  string
		vs []string
	}{
		{"id_token algs", d.IDTokenSigningAlgValuesSupported},
		{"response types", d.ResponseTypesSupported},
		{"scopes", d.ScopesSupported},
	} {
		if len(l.vs) > 0 {
			p.KV(2, w, l.k, strings.Join(l.vs, ", "))
		}
	}
	for _, n := range d.Notes {
		p.Printf("  %s %s\n", p.Dim("note:"), n)
	}
}

// Authority describes what idp.Parse recognised, in one line.
func Authority(a idp.Authority) string {
	switch a.IdP {
	case "azure":
		return fmt.Sprintf("Entra ID %s, %s cloud, tenant %s (%s)", a.Version, a.Cloud, a.Tenant, a.TenantKind)
	case "keycloak":
		if a.Server == "pre-17" {
			return "Keycloak realm " + a.Realm + " (pre-17 /auth path)"
		}
		return "Keycloak realm " + a.Realm
	case "okta":
		return "Okta " + a.Server + " authorization server"
	}
	return a.IdP
}
