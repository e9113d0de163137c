package oidcprovider

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
)

// Tokens is a token endpoint response.
type Tokens struct {
	AccessToken string `json:"access_token"`
	IDToken     string `json:"id_token"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
	ExpiresIn   int    `json:"expires_in"`
	// Raw is the whole response body.
	Raw []byte `json:"-"`
	// Nonce is the nonce sent in the authorization request (authorization
	// code flow only).
	Nonce string `json:"-"`
}

// ClientCredentials runs the client-credentials grant for the CC client
// and returns a JWT access token whose audience is resource (ResourceAPI
// or ResourceRS256). scope may be empty.
func (p *Provider) ClientCredentials(ctx context.Context, resource, scope string) (*Tokens, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	if resource != "" {
		form.Set("resource", resource)
	}
	if scope != "" {
		form.Set("scope", scope)
	}
	return p.token(ctx, p.HTTPClient(), p.CC, form)
}

// AuthRequest describes one sign-in through the authorization-code flow.
type AuthRequest struct {
	// Login is the account that signs in (default "dana"); any password.
	Login string
	// Scope defaults to "openid email profile groups roles".
	Scope string
	// Resource, when set, also asks for a JWT access token for it (add its
	// scopes, e.g. "api:read", to Scope).
	Resource string
	// Nonce defaults to a random value (returned in Tokens.Nonce).
	Nonce string
}

var promptRE = regexp.MustCompile(`name="prompt" value="([a-z]+)"`)

// AuthorizationCode signs a user in with the authorization-code flow and
// PKCE (S256) for the web client, the way a browser would drive the
// provider's development interaction pages (the login form, then the
// consent form), and exchanges the code at the token endpoint.
func (p *Provider) AuthorizationCode(ctx context.Context, ar AuthRequest) (*Tokens, error) {
	if ar.Login == "" {
		ar.Login = "dana"
	}
	if ar.Scope == "" {
		ar.Scope = "openid email profile groups roles"
	}
	if ar.Nonce == "" {
		ar.Nonce = randHex(12)
	}
	state := randHex(12)
	verifier := b64([]byte(randHex(32)))
	sum := sha256.Sum256([]byte(verifier))
	challenge := b64(sum[:])

	client, err := p.browser()
	if err != nil {
		return nil, err
	}
	q := url.Values{
		"client_id":             {p.Web.ID},
		"response_type":         {"code"},
		"scope":                 {ar.Scope},
		"redirect_uri":          {WebRedirectURI},
		"state":                 {state},
		"nonce":                 {ar.Nonce},
		"code_challenge":        {challenge},
		"code_challenge_method": {"S256"},
	}
	if ar.Resource != "" {
		q.Set("resource", ar.Resource)
	}
	callback, err := p.signIn(ctx, client, p.AuthURL+"?"+q.Encode(), ar.Login)
	if err != nil {
		return nil, err
	}
	cq := callback.Query()
	if e := cq.Get("error"); e != "" {
		return nil, fmt.Errorf("oidcprovider: authorization error %s: %s", e, cq.Get("error_description"))
	}
	if cq.Get("state") != state {
		return nil, fmt.Errorf("oidcprovider: state %q came back as %q", state, cq.Get("state"))
	}
	if cq.Get("iss") != p.Issuer {
		return nil, fmt.Errorf("oidcprovider: callback iss %q, want %q", cq.Get("iss"), p.Issuer)
	}
	tf := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {cq.Get("code")},
		"redirect_uri":  {WebRedirectURI},
		"code_verifier": {verifier},
	}
	if ar.Resource != "" {
		tf.Set("resource", ar.Resource)
	}
	t, err := p.token(ctx, p.HTTPClient(), p.Web, tf)
	if err != nil {
		return nil, err
	}
	t.Nonce = ar.Nonce
	return t, nil
}

// SignIn drives the provider's development interaction for an
// authorization URL another program built (authdoctor login), as a
// browser would: the login form as login (any password), then the
// consent form. It returns the URL the provider sends the browser to when
// it leaves the provider (the redirect URI with the code or an error),
// without following it; an error page is an error holding the page.
func (p *Provider) SignIn(ctx context.Context, authURL, login string) (*url.URL, error) {
	client, err := p.browser()
	if err != nil {
		return nil, err
	}
	if login == "" {
		login = "dana"
	}
	return p.signIn(ctx, client, authURL, login)
}

// browser is an HTTP client with cookies that trusts the provider and
// follows no redirects.
func (p *Provider) browser() (*http.Client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	client := p.HTTPClient()
	client.Jar = jar
	return client, nil
}

// signIn follows the provider's redirects and submits its interaction
// forms until a redirect leaves the provider's origin.
func (p *Provider) signIn(ctx context.Context, client *http.Client, next, login string) (*url.URL, error) {
	issuer, err := url.Parse(p.Issuer)
	if err != nil {
		return nil, err
	}
	method, form := http.MethodGet, url.Values(nil)
	for step := 0; step < 12; step++ {
		resp, body, err := do(ctx, client, method, next, form)
		if err != nil {
			return nil, fmt.Errorf("oidcprovider: sign-in step %d (%s %s): %w", step, method, next, err)
		}
		switch {
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
			loc, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
			if err != nil {
				return nil, fmt.Errorf("oidcprovider: bad Location %q: %w", resp.Header.Get("Location"), err)
			}
			if loc.Scheme != issuer.Scheme || loc.Host != issuer.Host {
				return loc, nil
			}
			method, form, next = http.MethodGet, nil, loc.String()
		case resp.StatusCode == http.StatusOK && strings.Contains(resp.Request.URL.Path, "/interaction/"):
			m := promptRE.FindSubmatch(body)
			if m == nil {
				return nil, fmt.Errorf("oidcprovider: interaction page without a prompt form:\n%s", body)
			}
			switch string(m[1]) {
			case "login":
				form = url.Values{"prompt": {"login"}, "login": {login}, "password": {"any"}}
			case "consent":
				form = url.Values{"prompt": {"consent"}}
			default:
				return nil, fmt.Errorf("oidcprovider: unexpected prompt %q", m[1])
			}
			method, next = http.MethodPost, resp.Request.URL.String()
		default:
			return nil, &PageError{Status: resp.StatusCode, Page: string(body)}
		}
	}
	return nil, fmt.Errorf("oidcprovider: sign-in did not leave the provider")
}

// PageError is an error page of the provider (the sign-in stopped there).
type PageError struct {
	Status int
	Page   string
}

func (e *PageError) Error() string {
	return fmt.Sprintf("oidcprovider: the provider answered %d with a page:\n%s", e.Status, e.Page)
}

func (p *Provider) token(ctx context.Context, client *http.Client, c Credentials, form url.Values) (*Tokens, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(c.ID), url.QueryEscape(c.Secret))
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("oidcprovider: token endpoint: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("oidcprovider: token endpoint: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("oidcprovider: token endpoint (%s): %s: %s", form.Get("grant_type"), resp.Status, body)
	}
	var t Tokens
	if err := json.Unmarshal(body, &t); err != nil {
		return nil, fmt.Errorf("oidcprovider: token endpoint: %w: %s", err, body)
	}
	t.Raw = body
	return &t, nil
}

func do(ctx context.Context, client *http.Client, method, u string, form url.Values) (*http.Response, []byte, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, b, err
}
