package authlib

import (
	"encoding/base64"
	"net/url"
	"sort"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/netx"
)

// TokenRequest is the token request of FlaskOAuth2App.authorize_access_token
// → fetch_access_token → OAuth2Client.fetch_token, as sent.
type TokenRequest struct {
	Endpoint Endpoint `json:"endpoint"`
	// AuthMethod is the client authentication (client_secret_basic,
	// client_secret_post, none) and AuthFrom where it was decided.
	AuthMethod string `json:"authMethod"`
	AuthFrom   string `json:"authFrom"`
	// Form is the body in order; client_secret shows as <redacted>.
	Form []Param `json:"form"`
	// Unsupported is set when authlib cannot authenticate this way (a
	// method it does not know): requests then sends no credentials.
	Unsupported string `json:"unsupported,omitempty"`

	body   []byte
	header map[string][]string
}

// Body is the form body to send (with the client secret for
// client_secret_post): never print it.
func (t *TokenRequest) Body() []byte { return t.body }

// Header holds the request headers (with the Basic credentials for
// client_secret_basic): never print them.
func (t *TokenRequest) Header() map[string][]string {
	out := make(map[string][]string, len(t.header))
	for k, v := range t.header {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// TokenRequest builds the code exchange for a callback's code: grant_type,
// redirect_uri (from the saved state data), access_token_params, code,
// code_verifier (prepare_token_request's order), then the client
// authentication of authlib/oauth2/auth.py.
func (c *Client) TokenRequest(s Session, code string) (*TokenRequest, *Raised) {
	ep := c.TokenEndpoint()
	if ep.URL == "" {
		// requests.post(None): requests raises MissingSchema.
		return nil, pyError("MissingSchema", "Invalid URL 'None': No scheme supplied. Perhaps you meant https://None?", "authlib/oauth2/client.py: OAuth2Client._fetch_token")
	}
	t := &TokenRequest{Endpoint: ep}
	t.AuthMethod, t.AuthFrom = c.AuthMethod()
	form := []Param{{"grant_type", "authorization_code", "authlib (a code is given)"}}
	if s.RedirectURI != "" {
		form = append(form, Param{"redirect_uri", s.RedirectURI, "the saved state data"})
	}
	for _, kv := range c.AccessTokenParams {
		if truthy(kv.Value) {
			form = append(form, Param{kv.Key, fab.PyStr(kv.Value), "access_token_params"})
		}
	}
	form = append(form, Param{"code", code, "the callback"})
	if s.CodeVerifier != "" {
		form = append(form, Param{"code_verifier", s.CodeVerifier, "the saved state data"})
	}
	t.header = map[string][]string{"Accept": {"application/json"}, "Content-Type": {"application/x-www-form-urlencoded;charset=UTF-8"}}
	switch t.AuthMethod {
	case "client_secret_basic":
		// encode_client_secret_basic: base64 of "id:secret" as latin-1,
		// neither part form-encoded first.
		t.header["Authorization"] = []string{"Basic " + base64.StdEncoding.EncodeToString(latin1(c.ClientID+":"+c.secret))}
	case "client_secret_post":
		form = append(form, Param{"client_id", c.ClientID, c.origin("client_id")}, Param{"client_secret", c.secret, c.origin("client_secret")})
	case "none":
		form = append(form, Param{"client_id", c.ClientID, c.origin("client_id")})
	default:
		t.Unsupported = "authlib knows client_secret_basic, client_secret_post and none (and methods registered with client_auth_methods); " + t.AuthMethod + " is none of them"
	}
	var pairs []string
	for _, p := range form {
		pairs = append(pairs, url.QueryEscape(p.Name)+"="+url.QueryEscape(p.Value))
	}
	t.body = []byte(strings.Join(pairs, "&"))
	t.Form = redactForm(form)
	return t, nil
}

func redactForm(form []Param) []Param {
	out := make([]Param, len(form))
	for i, p := range form {
		if p.Name == "client_secret" || p.Name == "code_verifier" || p.Name == "code" {
			p.Value = "<redacted>"
		}
		out[i] = p
	}
	return out
}

// latin1 encodes s as ISO-8859-1 (to_bytes(text, "latin1")); characters
// outside it cannot be sent by authlib at all (UnicodeEncodeError), and
// are replaced by '?' here.
func latin1(s string) []byte {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return b
}

// Token is a token-endpoint response as authlib returns it.
type Token struct {
	keys []string
	vals map[string]any
}

// NewToken is a token response from its members (a --token given as a
// token-endpoint JSON, or {"access_token": …, "id_token": …} for bare
// tokens); the member order is the keys' sorted order.
func NewToken(members map[string]any) *Token {
	t := &Token{vals: map[string]any{}}
	for k, v := range members {
		t.keys = append(t.keys, k)
		t.vals[k] = v
	}
	sort.Strings(t.keys)
	return t
}

// Get returns a member.
func (t *Token) Get(k string) (any, bool) {
	if t == nil {
		return nil, false
	}
	v, ok := t.vals[k]
	return v, ok
}

// Str returns a string member ("" otherwise).
func (t *Token) Str(k string) string { v, _ := t.Get(k); s, _ := v.(string); return s }

// Has reports whether the response has the key (`"id_token" in token`).
func (t *Token) Has(k string) bool { _, ok := t.Get(k); return ok }

// Keys lists the members in order.
func (t *Token) Keys() []string { return append([]string(nil), t.keys...) }

// Map is the response as a map.
func (t *Token) Map() map[string]any { return t.vals }

// ParseTokenResponse reads the token endpoint's answer as
// OAuth2Client.parse_response_token does: a status ≥ 500 raises
// HTTPError; any other status is read as JSON (JSONDecodeError when it is
// not); a JSON object with "error" raises OAuthError(error,
// error_description). A 4xx whose JSON has no "error" is taken as the
// token, as authlib takes it.
func ParseTokenResponse(r *netx.Result) (*Token, *Raised) {
	if r.Err != nil && !(r.Err.Stage == netx.StageHTTP && r.Err.Status > 0 && r.Err.Status < 500) {
		return nil, RequestsError(r, whereToken)
	}
	doc, raised := decodeJSONObject(r.Body)
	if raised != nil {
		raised.Where = whereToken
		return nil, raised
	}
	t := &Token{keys: doc.keys, vals: doc.vals}
	if e, ok := t.Get("error"); ok {
		desc := ""
		if d, ok := t.Get("error_description"); ok && d != nil {
			desc = fab.PyStr(d)
		}
		return t, &Raised{Class: "OAuthError", Message: fab.PyStr(e) + ": " + desc, Where: whereToken}
	}
	return t, nil
}
