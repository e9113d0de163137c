// Package urlcheck explains an OAuth authorization request URL or a
// callback / error URL pasted from a browser's address bar, and makes the
// URL001–URL005 findings. No I/O.
package urlcheck

import (
	"fmt"
	"github.com/authdoctor/authdoctor/pkg/lazyre"
	"net"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/authdoctor/authdoctor/pkg/aadsts"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/idp"
)

// Param is one parameter, explained. Secrets are redacted.
type Param struct {
	Name    string `json:"name"`
	Value   string `json:"value"`
	In      string `json:"in"` // query or fragment
	Meaning string `json:"meaning,omitempty"`
}

// Analysis is what the URL is.
type Analysis struct {
	Kind      string        `json:"kind"` // authorization-request, callback, error-callback, other
	Scheme    string        `json:"scheme"`
	Host      string        `json:"host"`
	Path      string        `json:"path"`
	Authority idp.Authority `json:"authority"`
	Params    []Param       `json:"params"`
	Errors    []aadsts.Code `json:"aadsts,omitempty"`
	// Unknown AADSTS codes mentioned but not in the table.
	UnknownCodes []int `json:"unknownAadsts,omitempty"`
}

// Expect is what the app is configured to send (from --config).
type Expect struct {
	Source      string // config file:line
	ClientID    string
	RedirectURI string // predicted callback
	Authorize   string // configured authorize_url
	WantsOpenID bool
}

var secretParams = sync.OnceValue(func() map[string]bool {
	return map[string]bool{"code": true, "id_token": true, "access_token": true, "refresh_token": true,
		"client_secret": true, "code_verifier": true, "password": true, "assertion": true, "client_assertion": true}
})

var meanings = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"client_id":             "the application (client) ID the request is for",
		"response_type":         "what the IdP returns: code (authorization code flow), token/id_token (implicit)",
		"redirect_uri":          "where the IdP sends the browser back: must match a registered reply URL exactly",
		"scope":                 "the permissions asked for; openid makes it OpenID Connect (an ID token)",
		"state":                 "an opaque value the app checks on return (CSRF protection)",
		"nonce":                 "a value the ID token must carry back (replay protection)",
		"code_challenge":        "PKCE: hash of the verifier the app will send with the code",
		"code_challenge_method": "PKCE method (S256)",
		"response_mode":         "how the response comes back: query, fragment, form_post",
		"prompt":                "login, consent, select_account or none",
		"login_hint":            "pre-filled user name",
		"domain_hint":           "skips home-realm discovery for this domain",
		"resource":              "v1 Entra endpoints: the API the token is for",
		"code":                  "the authorization code (one-time secret)",
		"id_token":              "an ID token (implicit/hybrid flow)",
		"access_token":          "an access token (implicit flow)",
		"error":                 "the OAuth error code",
		"error_description":     "the IdP's explanation (Entra starts it with AADSTSnnnnn)",
		"error_codes":           "Entra's numeric AADSTS codes",
		"error_uri":             "a page about the error",
		"trace_id":              "Entra request ID: give it to support",
		"correlation_id":        "Entra correlation ID: give it to support",
		"timestamp":             "when the IdP answered",
		"session_state":         "the IdP session (front-channel logout)",
		"iss":                   "the issuer that answered (RFC 9207 mix-up defence)",
		"client_info":           "Entra: the user's uid and utid (tenant) in base64",
		"p":                     "Azure AD B2C policy",
		"max_age":               "forces re-authentication after this many seconds",
		"acr_values":            "requested authentication context",
		"ui_locales":            "language of the sign-in pages",
	}
})

var quotedRedirect = lazyre.New(`redirect URI '([^']+)'`)

// Parse reads the URL; an error means it is not a URL at all.
func Parse(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	raw = strings.Trim(raw, `"'<>`)
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("not a URL: %v", err)
	}
	if u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("not an absolute URL (it needs a scheme and a host, e.g. https://login.microsoftonline.com/...)")
	}
	return u, nil
}

// Analyze explains u and adds findings to rep.
func Analyze(rep *engine.Report, u *url.URL, exp *Expect) *Analysis {
	a := &Analysis{Scheme: u.Scheme, Host: u.Hostname(), Path: u.Path, Authority: idp.Parse(u.Scheme + "://" + u.Host + u.Path)}
	q := u.Query()
	frag, _ := url.ParseQuery(u.Fragment)
	get := func(k string) string {
		if v := q.Get(k); v != "" {
			return v
		}
		return frag.Get(k)
	}
	add := func(vals url.Values, in string) {
		keys := make([]string, 0, len(vals))
		for k := range vals {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, v := range vals[k] {
				if secretParams()[strings.ToLower(k)] {
					v = fmt.Sprintf("%s (%d characters)", engine.Redacted, len(v))
				}
				a.Params = append(a.Params, Param{Name: k, Value: v, In: in, Meaning: meanings()[k]})
			}
		}
	}
	add(q, "query")
	add(frag, "fragment")

	switch {
	case get("error") != "":
		a.Kind = "error-callback"
	case get("code") != "" || get("id_token") != "" || get("access_token") != "":
		a.Kind = "callback"
	case get("response_type") != "" || get("client_id") != "" || strings.HasSuffix(u.Path, "/authorize"):
		a.Kind = "authorization-request"
	default:
		a.Kind = "other"
	}
	subj := engine.At(engine.Subject{URL: u.Scheme + "://" + u.Host + u.Path})

	// URL001: an error from the IdP.
	if e := get("error"); e != "" {
		desc := get("error_description")
		codes := aadsts.Find(desc)
		for _, c := range strings.Split(strings.Trim(get("error_codes"), "[]"), ",") {
			var n int
			if _, err := fmt.Sscanf(strings.TrimSpace(c), "%d", &n); err == nil && n > 0 && !containsInt(codes, n) {
				codes = append(codes, n)
			}
		}
		opts := []engine.Opt{subj, engine.With("error", e)}
		if desc != "" {
			opts = append(opts, engine.With("error_description", firstLine(desc)))
		}
		msg := fmt.Sprintf("the IdP answered with error %q", e)
		var fix []string
		for _, n := range codes {
			if c, ok := aadsts.Lookup(fmt.Sprint(n)); ok {
				a.Errors = append(a.Errors, c)
				msg += fmt.Sprintf("; %s (%s): %s", c.ID(), c.Name, c.Meaning)
				opts = append(opts, engine.With(c.ID(), c.Meaning))
				fix = append(fix, c.ID()+": "+c.Fix)
			} else {
				a.UnknownCodes = append(a.UnknownCodes, n)
				opts = append(opts, engine.With(fmt.Sprintf("AADSTS%d", n), "not in authdoctor's table: see https://login.microsoftonline.com/error?code="+fmt.Sprint(n)))
			}
		}
		if len(codes) == 0 {
			msg += ": " + oauthError(e)
		}
		for _, id := range []string{"trace_id", "correlation_id"} {
			if v := get(id); v != "" {
				opts = append(opts, engine.With(id, v))
			}
		}
		if len(fix) > 0 {
			opts = append(opts, engine.FixHint(strings.Join(fix, "\n")))
		}
		rep.Add("URL001", msg, opts...)
		// Entra quotes the redirect URI it refused: an http one is the
		// classic TLS-terminating-proxy mistake.
		if m := quotedRedirect.FindStringSubmatch(desc); m != nil && get("redirect_uri") == "" {
			checkRedirect(rep, m[1], exp, subj)
		}
	}

	rt := get("response_type")
	if a.Kind == "authorization-request" {
		types := strings.Fields(rt)
		if containsStr(types, "token") {
			rep.Add("URL002", fmt.Sprintf("response_type %q asks for an access token in the browser (implicit flow)", rt), subj, engine.With("response_type", rt))
		}
		var missing []string
		if get("state") == "" {
			missing = append(missing, "state (CSRF protection of the callback)")
		}
		scopes := strings.Fields(get("scope"))
		if containsStr(types, "id_token") && get("nonce") == "" {
			missing = append(missing, "nonce (the ID token is requested in the browser and can be replayed)")
		}
		if len(missing) > 0 {
			rep.Add("URL004", "the request has no "+strings.Join(missing, " and no "), subj, engine.With("response_type", rt))
		} else if containsStr(types, "code") && get("code_challenge") == "" {
			rep.Add("URL004", "the code flow is used without PKCE (code_challenge): required for public clients, recommended for all", subj,
				engine.WithSeverity(engine.SeverityInfo), engine.With("response_type", rt),
				engine.FixHint("A confidential server-side client (FAB with a client secret) is protected by its secret; public clients must send code_challenge with code_challenge_method=S256. authlib adds PKCE with client_kwargs code_challenge_method: S256."))
		}
		if exp != nil {
			compare(rep, a, u, get, scopes, exp, subj)
		}
	}
	if ru := get("redirect_uri"); ru != "" {
		checkRedirect(rep, ru, exp, subj)
	}
	return a
}

func compare(rep *engine.Report, a *Analysis, u *url.URL, get func(string) string, scopes []string, exp *Expect, subj engine.Opt) {
	var diffs []string
	opts := []engine.Opt{subj, engine.With("config", exp.Source)}
	if exp.ClientID != "" && get("client_id") != "" && get("client_id") != exp.ClientID {
		diffs = append(diffs, fmt.Sprintf("client_id %s, the config has %s", get("client_id"), exp.ClientID))
	}
	if exp.Authorize != "" {
		ca := idp.Parse(exp.Authorize)
		ua := a.Authority
		switch {
		case ca.IdP == "azure" && ua.IdP == "azure" && ca.Cloud != ua.Cloud:
			diffs = append(diffs, fmt.Sprintf("the %s cloud (%s), the config names the %s cloud (%s)", ua.Cloud, ua.Host, ca.Cloud, ca.Host))
		case ca.IdP == "azure" && ua.IdP == "azure" && !strings.EqualFold(ca.Tenant, ua.Tenant):
			diffs = append(diffs, fmt.Sprintf("tenant %s, the config names %s", ua.Tenant, ca.Tenant))
		case ca.IdP == "azure" && ua.IdP == "azure" && ca.Version != ua.Version:
			diffs = append(diffs, fmt.Sprintf("the %s endpoint, the config names the %s one", ua.Version, ca.Version))
		case !strings.EqualFold(ca.Host, ua.Host):
			diffs = append(diffs, fmt.Sprintf("host %s, the config names %s", ua.Host, ca.Host))
		}
	}
	if exp.WantsOpenID && !containsStr(scopes, "openid") {
		diffs = append(diffs, "no openid in scope while the app expects an ID token")
	}
	if len(diffs) > 0 {
		rep.Add("URL005", "the request differs from the config: "+strings.Join(diffs, "; "), opts...)
	}
}

func checkRedirect(rep *engine.Report, ru string, exp *Expect, subj engine.Opt) {
	r, err := url.Parse(ru)
	if err != nil {
		rep.Add("URL003", fmt.Sprintf("redirect_uri %q is not a URL: %v", ru, err), subj)
		return
	}
	if r.Scheme == "http" && !loopback(r.Hostname()) {
		rep.Add("URL003", fmt.Sprintf("redirect_uri %s is http: the code travels in clear text, and Entra accepts http only for localhost (AADSTS50011 otherwise)", ru), subj,
			engine.With("redirect_uri", ru),
			engine.FixHint("Behind a TLS-terminating proxy the app thinks it is served over http: set ENABLE_PROXY_FIX = True (Airflow/Superset) and make the proxy send X-Forwarded-Proto, then register the https callback."))
		return
	}
	if exp != nil && exp.RedirectURI != "" && ru != exp.RedirectURI {
		rep.Add("URL003", fmt.Sprintf("redirect_uri %s differs from the callback the config produces, %s", ru, exp.RedirectURI), subj,
			engine.With("redirect_uri", ru), engine.With("config callback", exp.RedirectURI), engine.With("config", exp.Source))
	}
}

func loopback(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func oauthError(e string) string {
	switch e {
	case "access_denied":
		return "the user or the IdP refused (declined consent, not assigned to the app, conditional access)"
	case "invalid_request":
		return "a parameter is missing, repeated or malformed"
	case "unauthorized_client":
		return "this client may not use this flow or response type"
	case "invalid_scope":
		return "a requested scope is unknown or not allowed"
	case "server_error", "temporarily_unavailable":
		return "the IdP failed; retry, and give the trace ID to its support"
	case "login_required", "interaction_required", "consent_required":
		return "prompt=none was used but the user must sign in or consent"
	case "invalid_client":
		return "client authentication failed (wrong secret or client_id)"
	}
	return "see error_description"
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func containsStr(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
