package oidc

import (
	"fmt"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/netx"
)

// ReportFetch turns a fetch record into the findings of checkID (DSC001
// for a discovery document, JWK001 for a key set; what names the
// document for people). It returns true when the body can be analysed.
//
// An offline or interrupted result reports nothing (the inspection's
// coverage says the check did not run, and why). A
// success reached through a redirect to another host is reported at
// warning severity: it works here, but it is fragile and clients that do
// not follow redirects fail.
func ReportFetch(rep *engine.Report, checkID, what string, res *netx.Result) bool {
	if res == nil {
		return false
	}
	at := engine.At(engine.Subject{URL: res.URL})
	if res.Err == nil {
		for _, rd := range res.Redirects {
			if rd.HostChanged {
				rep.Add(checkID, fmt.Sprintf("%s was fetched only through a redirect to another host (%s → %s)", what, hostOnly(rd.From), hostOnly(rd.To)),
					at, engine.WithSeverity(engine.SeverityWarning),
					engine.With("redirects", redirectChain(res.Redirects)),
					engine.With("final URL", res.FinalURL),
					engine.FixHint(fmt.Sprintf("Configure the final URL (%s) directly: clients that do not follow redirects, or refuse cross-host ones, fail.", res.FinalURL)))
				break
			}
		}
		return true
	}
	e := res.Err
	switch e.Stage {
	case netx.StageOffline, netx.StageCanceled:
		return false
	}
	msg := fmt.Sprintf("%s cannot be fetched: the %s stage failed: %s", what, e.Stage.Describe(), e.Reason)
	if e.Stage == netx.StageTimeout {
		msg = fmt.Sprintf("%s cannot be fetched: timeout: %s", what, e.Reason)
	}
	placeholder := idp.Placeholder(res.URL)
	if placeholder != "" {
		// A DNS failure or a 400 for a URL copied from documentation: the
		// cause is the placeholder, not the IdP.
		msg = fmt.Sprintf("%s cannot be fetched: its URL still holds the placeholder %q (the %s stage failed: %s)", what, placeholder, e.Stage.Describe(), e.Reason)
	}
	opts := []engine.Opt{at, engine.With("stage", string(e.Stage))}
	if e.During != "" {
		opts = append(opts, engine.With("during", e.During))
	}
	opts = append(opts, engine.With("reason", e.Reason))
	if e.Status != 0 {
		opts = append(opts, engine.With("status", fmt.Sprint(e.Status)))
	}
	if res.ContentType != "" {
		opts = append(opts, engine.With("content type", res.ContentType))
	}
	if e.BodyExcerpt != "" {
		opts = append(opts, engine.With("body", e.BodyExcerpt))
	}
	if c := e.Cert; c != nil {
		opts = append(opts, engine.With("certificate", c.Subject), engine.With("issued by", c.Issuer))
		if n := c.Names(); len(n) > 0 {
			opts = append(opts, engine.With("certificate names", strings.Join(n, ", ")))
		}
		opts = append(opts, engine.With("certificate valid", c.NotBefore.Format(time.RFC3339)+" to "+c.NotAfter.Format(time.RFC3339)))
	}
	if res.ConnectedTo != "" {
		opts = append(opts, engine.With("connected to", res.ConnectedTo))
	}
	if res.Proxy != "" {
		opts = append(opts, engine.With("proxy", res.Proxy))
	}
	if len(res.Redirects) > 0 {
		opts = append(opts, engine.With("redirects", redirectChain(res.Redirects)))
	}
	opts = append(opts, engine.With("timings", res.Timings.String()))
	if res.Insecure {
		opts = append(opts, engine.With("tls verification", "off (--insecure)"))
	}
	switch {
	case placeholder != "":
		opts = append(opts, engine.With("placeholder", placeholder),
			engine.FixHint(fmt.Sprintf("Replace %s in the URL with your own value (the tenant ID or domain, the realm, the Okta domain).", placeholder)))
	case e.Hint != "":
		opts = append(opts, engine.FixHint(e.Hint))
	}
	rep.Add(checkID, msg, opts...)
	return false
}

func redirectChain(rs []netx.Redirect) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("%d %s → %s", r.Status, r.From, r.To))
	}
	return strings.Join(parts, "\n")
}

func hostOnly(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	return u
}
