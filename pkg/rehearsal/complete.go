package rehearsal

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/authlib"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/urlcheck"
)

// Exchange is the code exchange: the request as sent (secrets redacted)
// and what came back (never the tokens themselves).
type Exchange struct {
	Request *authlib.TokenRequest `json:"request"`
	Status  int                   `json:"status,omitempty"`
	// Members names the members of the token response.
	Members     []string   `json:"members,omitempty"`
	TokenType   string     `json:"tokenType,omitempty"`
	Scope       string     `json:"scope,omitempty"`
	IDToken     *TokenView `json:"idToken,omitempty"`
	AccessToken *TokenView `json:"accessToken,omitempty"`

	body  []byte
	token *authlib.Token
}

// TokenView is what a token is, without the token.
type TokenView struct {
	// JWT is false for an opaque token.
	JWT        bool              `json:"jwt"`
	Identified *token.Identified `json:"identified,omitempty"`
	Header     map[string]any    `json:"header,omitempty"`
	Claims     map[string]any    `json:"claims,omitempty"`
}

// TokenResponse is the token endpoint's answer as received (it holds the
// tokens: print or save it only when asked).
func (r *Rehearsal) TokenResponse() []byte {
	if r.Result.Exchange == nil {
		return nil
	}
	return r.Result.Exchange.body
}

// Complete runs the rest of the login with the URL the browser came back
// to (from: "browser" or "pasted"): authorize_access_token (the IdP's
// error, the state, the code exchange, parse_id_token), then FAB's
// set_oauth_session and user-info step, then the roles.
func (r *Rehearsal) Complete(ctx context.Context, cb *url.URL, from string) {
	code, ok := r.callback(cb, from)
	if !ok {
		return
	}
	tok, ok := r.exchange(ctx, code)
	if !ok {
		return
	}
	if !r.parseIDToken(ctx, tok) {
		return
	}
	r.userInfo(ctx, tok)
}

// callback reads what came back: an error from the IdP (explained as
// authdoctor url explains it), the state, the code.
func (r *Rehearsal) callback(cb *url.URL, from string) (string, bool) {
	a := urlcheck.Analyze(r.Report, cb, nil)
	r.Result.Callback = &Callback{From: from, Params: a.Params, Analysis: a}
	q := cb.Query()
	if e := q.Get("error"); e != "" {
		// FlaskOAuth2App.authorize_access_token raises OAuthError before
		// anything else.
		raised := &authlib.Raised{Class: "OAuthError", Message: e + ": " + q.Get("error_description"), Where: "authlib/integrations/flask_client/apps.py: FlaskOAuth2App.authorize_access_token"}
		r.fail(engine.StepCallback, raised, fab.LogAuthorize, fab.MsgDenied, "URL001")
		return "", false
	}
	if got, want := q.Get("state"), r.Request.Session.State; got != want {
		raised := &authlib.Raised{Class: "MismatchingStateError", Message: "mismatching_state: CSRF Warning! State not equal in request and response.", Where: "authlib/integrations/base_client/sync_app.py: OAuth2Base._format_state_params"}
		r.Report.Add("URL007", fmt.Sprintf("the callback's state %q is not the state this sign-in sent: it belongs to another authorization request (an older tab, a second sign-in), so authlib finds no saved request data", got),
			append([]engine.Opt{engine.At(engine.Subject{URL: cb.Scheme + "://" + cb.Host + cb.Path})}, raisedEvidence(raised, fab.LogAuthorize, fab.MsgDenied)...)...)
		r.fail(engine.StepCallback, raised, fab.LogAuthorize, fab.MsgDenied, "URL007")
		return "", false
	}
	return q.Get("code"), true
}

// exchange sends the token request as authlib does and reads the answer
// as parse_response_token does.
func (r *Rehearsal) exchange(ctx context.Context, code string) (*authlib.Token, bool) {
	req, raised := r.Client.TokenRequest(r.Request.Session, code)
	if raised != nil {
		r.Report.Add("TOK012", "there is no token endpoint: neither access_token_url nor the metadata's token_endpoint", raisedEvidence(raised, fab.LogAuthorize, fab.MsgDenied)...)
		r.fail(engine.StepTokenExchange, raised, fab.LogAuthorize, fab.MsgDenied, "TOK012")
		return nil, false
	}
	ex := &Exchange{Request: req}
	r.Result.Exchange = ex
	res := r.net.Do(ctx, netx.Request{Method: "POST", URL: req.Endpoint.URL, Header: req.Header(), Body: req.Body()})
	ex.Status = res.Status
	if res.Err == nil || res.Err.Status > 0 {
		ex.body = res.Body
	}
	tok, raised := authlib.ParseTokenResponse(res)
	if tok != nil {
		ex.token = tok
		ex.Members = tok.Keys()
		ex.TokenType, ex.Scope = tok.Str("token_type"), tok.Str("scope")
	}
	if raised != nil {
		r.exchangeFailed(req, res, raised)
		return nil, false
	}
	ex.IDToken = view(tok.Str("id_token"), true)
	ex.AccessToken = view(tok.Str("access_token"), false)
	return tok, true
}

// exchangeFailed reports TOK012 with what the IdP's answer means.
func (r *Rehearsal) exchangeFailed(req *authlib.TokenRequest, res *netx.Result, raised *authlib.Raised) {
	msg := fmt.Sprintf("the token endpoint %s did not give tokens for the code: %s", req.Endpoint.URL, raised)
	opts := []engine.Opt{engine.At(engine.Subject{URL: req.Endpoint.URL}), engine.With("client authentication", req.AuthMethod+" ("+req.AuthFrom+")")}
	if res.Status > 0 {
		opts = append(opts, engine.With("HTTP status", fmt.Sprint(res.Status)))
	}
	opts = append(opts, raisedEvidence(raised, fab.LogAuthorize, fab.MsgDenied)...)
	var hints []string
	switch {
	case strings.HasPrefix(raised.Message, "invalid_client"), strings.HasPrefix(raised.Message, "unauthorized_client"):
		hints = append(hints, fmt.Sprintf("the IdP does not accept the client's credentials as sent (%s): check the client secret (Entra: the secret's Value, not its ID; not expired)", req.AuthMethod))
		if v, ok := r.Client.Metadata.Get("token_endpoint_auth_methods_supported"); ok {
			if l, isList := v.([]any); isList && !containsValue(l, req.AuthMethod) {
				hints = append(hints, fmt.Sprintf("%s is not among the metadata's token_endpoint_auth_methods_supported %v: set client_kwargs \"token_endpoint_auth_method\" to one of them", req.AuthMethod, l))
			}
		}
	case strings.HasPrefix(raised.Message, "invalid_grant"):
		hints = append(hints, "the IdP refuses the code: it expects the redirect_uri and PKCE verifier of the authorization request (this rehearsal sends both), and each code once")
	}
	if req.Unsupported != "" {
		hints = append(hints, req.Unsupported)
	}
	if !r.Client.HasSecret && req.AuthMethod == "none" {
		hints = append(hints, "no client secret was given: a confidential client needs one (--client-secret-file, the config's environment, or the prompt)")
	}
	opts = append(opts, aadstsOpts(raised.Message)...)
	if len(hints) > 0 {
		msg += "; " + strings.Join(hints, "; ")
	}
	r.Report.Add("TOK012", msg, opts...)
	r.fail(engine.StepTokenExchange, raised, fab.LogAuthorize, fab.MsgDenied, "TOK012")
}

func containsValue(l []any, s string) bool {
	for _, x := range l {
		if v, ok := x.(string); ok && v == s {
			return true
		}
	}
	return false
}

// view decodes a token for the report (never printing it).
func view(raw string, withClaims bool) *TokenView {
	if raw == "" {
		return nil
	}
	ds, err := token.DecodeInput([]byte(raw))
	if err != nil || len(ds) == 0 {
		return &TokenView{JWT: false}
	}
	d := ds[0]
	id := token.Identify(d)
	v := &TokenView{JWT: true, Identified: &id}
	if withClaims {
		v.Header, v.Claims = d.Header.Map(), d.Claims.Map()
	}
	return v
}

// parseIDToken is authorize_access_token's parse_id_token call; false
// when authlib raised.
func (r *Rehearsal) parseIDToken(ctx context.Context, tok *authlib.Token) bool {
	fetch := func(ctx context.Context, u string, force bool) *netx.Result {
		if force {
			return r.net.Refetch(ctx, u)
		}
		return r.net.Fetch(ctx, u)
	}
	res := r.Client.ParseIDToken(ctx, authlib.ParseInput{Token: tok, Nonce: r.Request.Session.Nonce, Now: r.setup.Now(), Fetch: fetch})
	r.Result.IDToken = res
	if res.Raised == nil {
		return true
	}
	msg := fmt.Sprintf("authlib rejects the ID token: %s — %s", res.Raised, res.Cause)
	opts := append([]engine.Opt{engine.AtStep(engine.StepIDToken), engine.WithSeverity(engine.SeverityError)}, raisedEvidence(res.Raised, fab.LogAuthorize, fab.MsgDenied)...)
	if r.Provider != nil {
		opts = append(opts, engine.ForProvider(r.Provider.Name))
	}
	if res.Fix != "" {
		opts = append(opts, engine.FixHint(res.Fix))
	}
	r.addOrConfirm(res.CauseCheck, msg, opts...)
	r.fail(engine.StepIDToken, res.Raised, fab.LogAuthorize, fab.MsgDenied, res.CauseCheck)
	return false
}

// addOrConfirm adds a finding, or, when the static checks already
// reported that check for this provider (ISS003 names the common
// metadata before anyone signs in), confirms it with what the sign-in
// showed instead of repeating it.
func (r *Rehearsal) addOrConfirm(id, msg string, opts ...engine.Opt) {
	f := engine.Finding{}
	for _, o := range opts {
		o(&f)
	}
	for i := range r.Report.Findings {
		old := &r.Report.Findings[i]
		if old.ID != id || (old.Provider != "" && r.Provider != nil && old.Provider != r.Provider.Name) {
			continue
		}
		old.Evidence = append(old.Evidence, engine.Evidence{Key: "the sign-in", Value: msg})
		old.Evidence = append(old.Evidence, f.Evidence...)
		old.Severity, old.Step = engine.SeverityError, f.Step
		if f.Fix != "" {
			old.Fix = f.Fix
		}
		r.confirmed[i] = true
		return
	}
	r.Report.Add(id, msg, opts...)
}
