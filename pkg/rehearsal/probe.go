package rehearsal

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/aadsts"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/lazyre"
	"github.com/authdoctor/authdoctor/pkg/netx"
)

// Probe is the IdP's answer to the authorization request, asked once
// without a browser before the user is sent there: an IdP refuses an
// unknown client or an unregistered redirect URI right away, with an error
// page the browser would show and authdoctor would otherwise never see.
type Probe struct {
	Status int `json:"status,omitempty"`
	// Location is where the IdP sends the browser (3xx), with the
	// parameters of an error redirect.
	Location string `json:"location,omitempty"`
	// Refused is true when the answer is an error; Error names it.
	Refused bool   `json:"refused"`
	Error   string `json:"error,omitempty"`
	// Transport is a failure to reach the endpoint at all.
	Transport string `json:"transport,omitempty"`
}

// aadstsInPage finds an AADSTS code as Entra's error pages state it
// ("AADSTS50011: The redirect URI …"), not a bare mention in scripts.
var aadstsInPage = lazyre.New(`AADSTS(\d{5,7}): `)

// oauthErrorInPage finds an RFC 6749 error code in an error page
// (oidc-provider, Keycloak and Okta print it).
var oauthErrorInPage = lazyre.New(`\b(invalid_redirect_uri|invalid_client|unauthorized_client|invalid_request|invalid_scope|unsupported_response_type|access_denied|invalid_client_metadata)\b`)

// Probe asks the IdP for the authorization request without following its
// redirect. A refusal is URL006 and ends the rehearsal (the browser would
// only show the same error page).
func (r *Rehearsal) Probe(ctx context.Context) {
	if r.Request == nil || r.done {
		return
	}
	res := r.net.Do(ctx, netx.Request{URL: r.Request.URL, NoRedirects: true})
	p := &Probe{Status: res.Status}
	r.Result.Probe = p
	subj := engine.At(engine.Subject{URL: r.Request.Endpoint.URL})
	switch {
	case res.Err != nil && res.Err.Status == 0:
		p.Transport = res.Err.Error()
		p.Refused = true
		r.Report.Add("URL006", fmt.Sprintf("the authorization endpoint %s cannot be reached from here: %s", r.Request.Endpoint.URL, res.Err.Reason), subj,
			engine.With("endpoint", r.Request.Endpoint.URL+" ("+r.Request.Endpoint.From+")"),
			engine.FixHint("The browser must reach this endpoint too: check the host name, the proxy (HTTPS_PROXY) and the firewall; behind --connect-to, the rule for its host."))
		r.fail(engine.StepAuthorize, nil, "", "(the browser cannot load the IdP's sign-in page)", "URL006")
	case res.Status >= 300 && res.Status < 400:
		r.probeRedirect(p, res.Header.Get("Location"), subj)
	default:
		r.probePage(p, res, subj)
	}
}

// probeRedirect: a redirect to the sign-in page is the normal answer; a
// redirect to our own redirect URI with an error is a refusal.
func (r *Rehearsal) probeRedirect(p *Probe, loc string, subj engine.Opt) {
	u, err := url.Parse(loc)
	if err != nil {
		return
	}
	q := u.Query()
	if q.Get("error") == "" {
		return
	}
	p.Location, p.Refused, p.Error = loc, true, q.Get("error")
	msg := fmt.Sprintf("the IdP refuses the authorization request before anyone signs in: it sends the browser back with error %q", q.Get("error"))
	if d := q.Get("error_description"); d != "" {
		msg += ": " + firstLine(d)
	}
	opts := append([]engine.Opt{subj}, aadstsOpts(q.Get("error_description"))...)
	r.Report.Add("URL006", msg, opts...)
	r.fail(engine.StepAuthorize, nil, "", "(the IdP sends the browser back with an error: authlib raises OAuthError and FAB shows \"The request to sign in was denied.\")", "URL006")
}

// probePage: a page with an error (any status) is a refusal; a sign-in
// page is not.
func (r *Rehearsal) probePage(p *Probe, res *netx.Result, subj engine.Opt) {
	body := string(res.Body)
	codes := aadstsInPage.FindAllStringSubmatch(body, -1)
	oauth := oauthErrorInPage.FindString(body)
	if len(codes) == 0 && oauth == "" && res.Status < 400 {
		return
	}
	p.Refused = true
	msg := "the IdP answers the authorization request with an error page instead of its sign-in page"
	if res.Status >= 400 {
		msg += fmt.Sprintf(" (HTTP %d)", res.Status)
	}
	var desc string
	switch {
	case len(codes) > 0:
		p.Error = "AADSTS" + codes[0][1]
		desc = "AADSTS" + codes[0][1]
		if c, ok := aadsts.Lookup(codes[0][1]); ok {
			msg += fmt.Sprintf(": %s (%s): %s", c.ID(), c.Name, c.Meaning)
		}
	case oauth != "":
		p.Error = oauth
		msg += ": " + oauth
		if oauth == "invalid_redirect_uri" {
			msg += fmt.Sprintf(" (%s is not a redirect URI registered for client %q)", r.Request.Session.RedirectURI, r.Client.ClientID)
		}
	default:
		msg += ": " + netx.Excerpt(res.Body, 160)
	}
	opts := append([]engine.Opt{subj, engine.With("redirect_uri", r.Request.Session.RedirectURI), engine.With("client_id", r.Client.ClientID)}, aadstsOpts(desc)...)
	if reg := r.Result.RegisterURI; reg != nil && (oauth == "invalid_redirect_uri" || p.Error == "AADSTS50011") {
		opts = append(opts, engine.FixHint("Register "+reg.URI+" for this client at the IdP: "+reg.Why))
	}
	r.Report.Add("URL006", msg, opts...)
	r.fail(engine.StepAuthorize, nil, "", "(the IdP's error page: the browser never comes back to the app)", "URL006")
}

// aadstsOpts explains the AADSTS codes a text mentions.
func aadstsOpts(text string) []engine.Opt {
	var opts []engine.Opt
	var fixes []string
	for _, n := range aadsts.Find(text) {
		if c, ok := aadsts.Lookup(fmt.Sprint(n)); ok {
			opts = append(opts, engine.With(c.ID(), c.Meaning))
			fixes = append(fixes, c.ID()+": "+c.Fix)
		}
	}
	if len(fixes) > 0 {
		opts = append(opts, engine.FixHint(strings.Join(fixes, "\n")))
	}
	return opts
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}
