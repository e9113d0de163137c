package authlib

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"unicode"

	"github.com/authdoctor/authdoctor/pkg/fab"
)

// Param is one parameter of a request, in the order sent, with where its
// value came from.
type Param struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	From  string `json:"from"`
}

// Session is what authlib keeps between the redirect and the callback
// (FlaskAppMixin.save_authorize_data: the state data of
// _state_<name>_<state>): the redirect_uri, the code_verifier and the
// nonce.
type Session struct {
	State        string `json:"state"`
	RedirectURI  string `json:"redirectUri"`
	CodeVerifier string `json:"-"`
	Nonce        string `json:"nonce,omitempty"`
}

// AuthorizeOptions are what the caller decides.
type AuthorizeOptions struct {
	// State is the state FAB passes (a JWT of the login request's
	// arguments); "" lets authlib generate one (generate_token()).
	State string
	// ForcePKCE adds an S256 code challenge when the app sends none (a
	// rehearsal does; the IdP accepts PKCE from any client, and the
	// verifier goes to the token endpoint).
	ForcePKCE bool
	// Token replaces generate_token(n) (tests; nil: crypto/rand over
	// authlib's alphabet).
	Token func(n int) string
}

// AuthRequest is the authorization request authlib builds.
type AuthRequest struct {
	URL      string   `json:"url"`
	Endpoint Endpoint `json:"endpoint"`
	Params   []Param  `json:"params"`
	// Scope is the scope as authlib reads it to decide on the nonce
	// (str.split() of a string: commas do not separate), and ScopeFrom
	// where it came from.
	Scope     []string `json:"scope"`
	ScopeFrom string   `json:"scopeFrom"`
	// OpenID: "openid" is in the scope, so authlib sends a nonce and
	// parses the ID token at the callback.
	OpenID bool `json:"openid"`
	// AppPKCE is the app's own code_challenge_method ("" for none).
	AppPKCE string `json:"appPkce,omitempty"`
	// Notes say how the request differs from what the app itself sends
	// and what authlib leaves out.
	Notes   []string `json:"notes,omitempty"`
	Session Session  `json:"session"`
}

// AuthorizationRequest builds the URL of OAuth2Mixin.create_authorization_url
// with FAB's call (authorize_redirect(redirect_uri=…, state=…)), exactly:
// the parameters in authlib's order, authorize_params merged in, the nonce
// when the scope holds openid, PKCE when code_challenge_method is set,
// prompt/login_hint/response_mode/nonce from the session metadata. The
// metadata must be loaded first (Load).
func (c *Client) AuthorizationRequest(redirectURI string, o AuthorizeOptions) (*AuthRequest, *Raised) {
	ep := c.AuthorizationEndpoint()
	if ep.URL == "" {
		return nil, pyError("RuntimeError", `Missing "authorize_url" value`, "authlib/integrations/base_client/sync_app.py: OAuth2Mixin.create_authorization_url")
	}
	s := c.session()
	ar := &AuthRequest{Endpoint: ep}
	// kwargs = {state: FAB's state}; kwargs.update(authorize_params).
	kw := newKwargs()
	kw.put("state", o.State, "FAB's state")
	for _, kv := range c.AuthorizeParams {
		kw.put(kv.Key, kv.Value, "authorize_params")
	}
	// _create_oauth2_authorization_url.
	method := ""
	if v, ok := s.get("code_challenge_method"); ok && v != nil {
		method = fab.PyStr(v)
	}
	ar.AppPKCE = method
	if o.ForcePKCE && method != "S256" {
		method = "S256"
		if ar.AppPKCE == "" {
			ar.Notes = append(ar.Notes, "the app sends no code_challenge (authlib adds PKCE only when client_kwargs has code_challenge_method); this rehearsal adds S256")
		} else {
			ar.Notes = append(ar.Notes, fmt.Sprintf("the app's code_challenge_method is %q, which authlib does not send (it adds a challenge only for S256); this rehearsal uses S256", ar.AppPKCE))
		}
	}
	if method != "" {
		v := kw.str("code_verifier")
		if v == "" {
			v = o.token(48)
		}
		kw.put("code_verifier", v, "generate_token(48)")
		ar.Session.CodeVerifier = v
	}
	scopeVal, scopeFrom := kw.get("scope")
	if scopeFrom == "" {
		scopeVal, _ = s.get("scope")
		scopeFrom = s.from["scope"]
	}
	ar.Scope, ar.ScopeFrom = splitScope(scopeVal), scopeFrom
	for _, x := range ar.Scope {
		if x == "openid" {
			ar.OpenID = true
		}
	}
	if ar.OpenID {
		n := kw.str("nonce")
		if n == "" {
			n = o.token(20)
		}
		kw.put("nonce", n, "generate_token(20): openid is in the scope")
		ar.Session.Nonce = n
	}
	c.grantURI(ar, s, kw, redirectURI, method, o.token)
	return ar, nil
}

// grantURI is OAuth2Client.create_authorization_url then
// prepare_grant_uri (authlib/oauth2/client.py, rfc6749/parameters.py).
func (c *Client) grantURI(ar *AuthRequest, s *session, kw *kwargs, redirectURI, method string, token func(int) string) {
	state, _ := kw.pop("state")
	st := fab.PyStr(state)
	if state == nil || st == "" {
		st = token(30)
	}
	verifier, _ := kw.pop("code_verifier")
	rt := "code"
	rtFrom := "authlib's default"
	if v, ok := s.get("response_type"); ok {
		rt, rtFrom = fab.PyStr(v), s.from["response_type"]
	}
	if v, from := kw.pop("response_type"); from != "" {
		rt, rtFrom = fab.PyStr(v), from
	}
	if _, from := kw.get("redirect_uri"); from == "" {
		kw.put("redirect_uri", redirectURI, "the callback")
	}
	if _, from := kw.get("scope"); from == "" {
		v, _ := s.get("scope")
		kw.put("scope", v, s.from["scope"])
	}
	if verifier != nil && rt == "code" && method == "S256" {
		kw.put("code_challenge", s256(fab.PyStr(verifier)), "S256 of the code_verifier")
		kw.put("code_challenge_method", "S256", "client_kwargs code_challenge_method")
	}
	for _, k := range []string{"response_mode", "nonce", "prompt", "login_hint"} {
		if _, from := kw.get(k); from == "" {
			if v, ok := s.get(k); ok {
				kw.put(k, v, s.from[k])
			}
		}
	}
	redirect, rFrom := kw.pop("redirect_uri")
	scope, sFrom := kw.pop("scope")
	params := []Param{{"response_type", rt, rtFrom}, {"client_id", c.ClientID, c.origin("client_id")}}
	if r := fab.PyStr(redirect); redirect != nil && r != "" {
		params = append(params, Param{"redirect_uri", r, rFrom})
	}
	if sc := listToScope(scope); sc != "" {
		params = append(params, Param{"scope", sc, sFrom})
	}
	params = append(params, Param{"state", st, "FAB's state"})
	for _, k := range kw.keys {
		if v := kw.vals[k]; v != nil {
			params = append(params, Param{k, fab.PyStr(v), kw.from[k]})
		}
	}
	ar.Params = params
	ar.Session.State, ar.Session.RedirectURI = st, fab.PyStr(redirect)
	ar.URL = addParamsToURI(ar.Endpoint.URL, params)
	if v, ok := s.get("resource"); ok {
		ar.Notes = append(ar.Notes, fmt.Sprintf("%s has resource %s, which authlib never sends in the authorization request (only response_mode, nonce, prompt and login_hint are taken from there)", s.from["resource"], fab.PyStr(v)))
	}
}

func (c *Client) origin(k string) string {
	if f := c.From[k]; f != "" {
		return f
	}
	return "remote_app"
}

// kwargs is a Python **kwargs dict in insertion order, each value with
// its origin.
type kwargs struct {
	keys []string
	vals map[string]any
	from map[string]string
}

func newKwargs() *kwargs { return &kwargs{vals: map[string]any{}, from: map[string]string{}} }

func (k *kwargs) put(key string, v any, from string) {
	if _, ok := k.vals[key]; !ok {
		k.keys = append(k.keys, key)
	}
	k.vals[key], k.from[key] = v, from
}

// get returns the value and its origin ("" when absent).
func (k *kwargs) get(key string) (any, string) { return k.vals[key], k.from[key] }

func (k *kwargs) str(key string) string {
	v, from := k.get(key)
	if from == "" || v == nil {
		return ""
	}
	return fab.PyStr(v)
}

func (k *kwargs) pop(key string) (any, string) {
	v, from := k.get(key)
	if from == "" {
		return nil, ""
	}
	delete(k.vals, key)
	delete(k.from, key)
	for i, x := range k.keys {
		if x == key {
			k.keys = append(k.keys[:i], k.keys[i+1:]...)
			break
		}
	}
	return v, from
}

// splitScope reads a scope as _create_oauth2_authorization_url does: a
// list or tuple as is, a string with str.split() (whitespace only), an
// empty value as none.
func splitScope(v any) []string {
	switch x := v.(type) {
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, fab.PyStr(e))
		}
		return out
	case string:
		return strings.FieldsFunc(x, unicode.IsSpace)
	}
	return nil
}

// listToScope is rfc6749.util.list_to_scope: a list joined by spaces, a
// string as is.
func listToScope(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fab.PyStr(e)
		}
		return strings.Join(parts, " ")
	}
	return fab.PyStr(v)
}

// addParamsToURI is authlib.common.urls.add_params_to_uri: the URI's own
// query (parse_qsl, blanks kept) followed by params, encoded with
// urllib's urlencode (quote_plus).
func addParamsToURI(uri string, params []Param) string {
	u, err := url.Parse(uri)
	if err != nil {
		return uri
	}
	var pairs []string
	if u.RawQuery != "" {
		for _, part := range strings.FieldsFunc(u.RawQuery, func(r rune) bool { return r == '&' }) {
			k, v, _ := strings.Cut(part, "=")
			k, _ = url.QueryUnescape(k)
			v, _ = url.QueryUnescape(v)
			pairs = append(pairs, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	for _, p := range params {
		pairs = append(pairs, url.QueryEscape(p.Name)+"="+url.QueryEscape(p.Value))
	}
	u.RawQuery = strings.Join(pairs, "&")
	u.ForceQuery = false
	return u.String()
}

// s256 is create_s256_code_challenge (rfc7636/challenge.py).
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// tokenChars is UNICODE_ASCII_CHARACTER_SET (authlib/common/security.py).
const tokenChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func (o AuthorizeOptions) token(n int) string {
	if o.Token != nil {
		return o.Token(n)
	}
	return generateToken(n)
}

// generateToken is authlib's generate_token(length): uniform choices from
// the ASCII letters and digits (SystemRandom).
func generateToken(n int) string {
	max := big.NewInt(int64(len(tokenChars)))
	b := make([]byte, n)
	for i := range b {
		x, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic("authlib: no randomness: " + err.Error())
		}
		b[i] = tokenChars[x.Int64()]
	}
	return string(b)
}
