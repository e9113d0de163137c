package authlib

import (
	"fmt"
	"sort"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
)

// clientParams are authlib's OAUTH_CLIENT_PARAMS
// (authlib/integrations/base_client/registry.py): the remote_app keys that
// become the client's attributes. load_config fills those a remote_app
// lacks from the Flask app config.
var clientParams = []string{
	"client_id", "client_secret", "request_token_url", "request_token_params",
	"access_token_url", "access_token_params", "refresh_token_url", "refresh_token_params",
	"authorize_url", "authorize_params", "api_base_url", "client_kwargs", "server_metadata_url",
}

// oauth2Named reports the other named parameters of OAuth2Base.__init__
// (sync_app.py) and of BaseOAuth.generate_client_kwargs: they are consumed
// and never reach server_metadata.
func oauth2Named(k string) bool {
	switch k {
	case "compliance_fix", "client_auth_methods", "user_agent", "fetch_token", "update_token", "client_cls":
		return true
	}
	return false
}

// KV is one key of a Python dict, in order.
type KV struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
}

// Client is a remote_app as authlib ≥ 1.0 builds it
// (BaseOAuth.create_client → FlaskOAuth2App, OAuth2Base.__init__).
type Client struct {
	Name     string `json:"name"`
	ClientID string `json:"clientId"`
	// secret is client_secret: never printed, never in JSON.
	secret string
	// HasSecret is true when client_secret is truthy (it decides the
	// default token_endpoint_auth_method).
	HasSecret         bool   `json:"hasSecret"`
	AuthorizeURL      string `json:"authorizeUrl,omitempty"`
	AccessTokenURL    string `json:"accessTokenUrl,omitempty"`
	APIBaseURL        string `json:"apiBaseUrl,omitempty"`
	ServerMetadataURL string `json:"serverMetadataUrl,omitempty"`
	AuthorizeParams   []KV   `json:"authorizeParams,omitempty"`
	AccessTokenParams []KV   `json:"accessTokenParams,omitempty"`
	ClientKwargs      []KV   `json:"clientKwargs,omitempty"`
	// Metadata is server_metadata (remote_app's other keys, then the
	// fetched document).
	Metadata *Metadata `json:"metadata"`
	// OAuth1 is a truthy request_token_url: create_client builds an
	// OAuth 1 client (FlaskOAuth1App), which nothing here models.
	OAuth1 bool `json:"oauth1,omitempty"`
	// From says where a client parameter came from when not from
	// remote_app ("app config AZURE_CLIENT_ID").
	From map[string]string `json:"from,omitempty"`
	// Unresolved are the values the static reader could not determine,
	// as "key: reason".
	Unresolved []string `json:"unresolved,omitempty"`
	// lines are the config lines of remote_app keys.
	lines map[string]int
}

// Secret returns client_secret (for the token request only).
func (c *Client) Secret() string { return c.secret }

// SetSecret supplies client_secret from outside the config (a file, a
// prompt) when the config's value could not be resolved.
func (c *Client) SetSecret(s string) {
	c.secret, c.HasSecret = s, s != ""
}

// Line is the config line of a remote_app key (0 when unknown).
func (c *Client) Line(key string) int { return c.lines[key] }

// NewClient is a client registered in code rather than from a config
// (authdoctor login --issuer): oauth.register(name, client_id=…,
// client_secret=…, server_metadata_url=…, client_kwargs={"scope": …}).
func NewClient(name, clientID, secret, metadataURL, scope string) *Client {
	c := &Client{Name: name, ClientID: clientID, ServerMetadataURL: metadataURL, Metadata: &Metadata{}, lines: map[string]int{}}
	c.SetSecret(secret)
	if scope != "" {
		c.ClientKwargs = []KV{{"scope", scope}}
	}
	return c
}

// FromProvider builds the client FAB registers for one OAUTH_PROVIDERS
// entry: oauth.register(name, **remote_app) on OAuth(app). Keys of
// OAUTH_CLIENT_PARAMS become attributes (a missing one is taken from the
// app config's NAME_PARAM, FlaskIntegration.load_config); every other key
// becomes server metadata. cfg may be nil.
func FromProvider(cfg *fab.Config, pr *fab.Provider) *Client {
	c := &Client{Name: pr.Name, Metadata: &Metadata{}, From: map[string]string{}, lines: map[string]int{}}
	params := map[string]any{}
	if pr.Remote != nil {
		for _, k := range pr.Remote.Keys {
			v, _ := pr.Remote.Get(k)
			c.lines[k] = pr.Remote.LineOf(k)
			if isClientParam(k) {
				params[k] = v
				continue
			}
			if oauth2Named(k) {
				continue
			}
			gv, ok := goValue(v)
			if !ok {
				c.Unresolved = append(c.Unresolved, k+": "+unresolvedReason(v))
			}
			c.Metadata.set(k, gv, "remote_app")
		}
	}
	for _, k := range clientParams {
		if _, ok := params[k]; ok || cfg == nil {
			continue
		}
		// load_config: app.config[f"{name}_{k}".upper()] when not None.
		key := strings.ToUpper(pr.Name + "_" + k)
		if s, ok := cfg.Get(key); ok && s.Value != nil {
			params[k] = s.Value
			c.From[k] = "app config " + key
			c.lines[k] = s.Line
		}
	}
	c.setParams(params)
	return c
}

func isClientParam(k string) bool {
	for _, p := range clientParams {
		if p == k {
			return true
		}
	}
	return false
}

// setParams assigns the client parameters, recording what could not be
// resolved.
func (c *Client) setParams(params map[string]any) {
	str := func(k string) string {
		v, ok := params[k]
		if !ok || v == nil {
			return ""
		}
		gv, known := goValue(v)
		if !known {
			c.Unresolved = append(c.Unresolved, k+": "+unresolvedReason(v))
			return ""
		}
		return fab.PyStr(gv)
	}
	kvs := func(k string) []KV {
		v, ok := params[k]
		if !ok || v == nil {
			return nil
		}
		d, isDict := v.(*fab.Dict)
		if !isDict {
			c.Unresolved = append(c.Unresolved, k+": "+unresolvedReason(v))
			return nil
		}
		var out []KV
		for _, dk := range d.Keys {
			dv, _ := d.Get(dk)
			gv, known := goValue(dv)
			if !known {
				c.Unresolved = append(c.Unresolved, k+"."+dk+": "+unresolvedReason(dv))
			}
			out = append(out, KV{dk, gv})
		}
		return out
	}
	c.ClientID = str("client_id")
	c.SetSecret(str("client_secret"))
	c.AuthorizeURL, c.AccessTokenURL = str("authorize_url"), str("access_token_url")
	c.APIBaseURL, c.ServerMetadataURL = str("api_base_url"), str("server_metadata_url")
	c.AuthorizeParams, c.AccessTokenParams, c.ClientKwargs = kvs("authorize_params"), kvs("access_token_params"), kvs("client_kwargs")
	if v, ok := params["request_token_url"]; ok {
		if t, known := fab.Truthy(v); t && known {
			c.OAuth1 = true
		}
	}
	sort.Strings(c.Unresolved)
}

// goValue converts a config value to plain Go (string, bool, int64,
// float64, nil, []any, map[string]any); known is false when any part of it
// could not be resolved statically.
func goValue(v any) (any, bool) {
	switch x := v.(type) {
	case *fab.Dict:
		m := map[string]any{}
		known := true
		for _, k := range x.Keys {
			dv, _ := x.Get(k)
			gv, ok := goValue(dv)
			known = known && ok
			m[k] = gv
		}
		return m, known
	case []any:
		out := make([]any, len(x))
		known := true
		for i, e := range x {
			gv, ok := goValue(e)
			known = known && ok
			out[i] = gv
		}
		return out, known
	case *fab.Unresolved, *fab.Opaque:
		return nil, false
	}
	return v, true
}

func unresolvedReason(v any) string {
	switch x := v.(type) {
	case *fab.Unresolved:
		return x.Reason
	case *fab.Opaque:
		return "a Python object (" + x.Source + ")"
	}
	return fmt.Sprintf("not a dict (%s)", fab.Repr(v))
}

// session is what _get_oauth_client(**metadata) builds: client_kwargs,
// then the server metadata over them (client_kwargs.update(metadata)),
// then the explicit endpoints. Each key remembers where it came from.
type session struct {
	vals map[string]any
	from map[string]string
}

func (s *session) get(k string) (any, bool) { v, ok := s.vals[k]; return v, ok }

func (c *Client) session() *session {
	s := &session{vals: map[string]any{}, from: map[string]string{}}
	for _, kv := range c.ClientKwargs {
		s.vals[kv.Key], s.from[kv.Key] = kv.Value, "client_kwargs"
	}
	for _, k := range c.Metadata.Keys() {
		v, _ := c.Metadata.Get(k)
		from := "remote_app (server metadata)"
		if c.Metadata.From(k) != "remote_app" {
			from = "the fetched metadata"
		}
		s.vals[k], s.from[k] = v, from
	}
	if c.AuthorizeURL != "" {
		s.vals["authorization_endpoint"], s.from["authorization_endpoint"] = c.AuthorizeURL, "authorize_url"
	}
	if c.AccessTokenURL != "" {
		s.vals["token_endpoint"], s.from["token_endpoint"] = c.AccessTokenURL, "access_token_url"
	}
	return s
}

// AuthMethod is the token endpoint's client authentication authlib uses
// (OAuth2Client.__init__): token_endpoint_auth_method from client_kwargs
// or server metadata, else client_secret_basic with a secret and none
// without. from says which.
func (c *Client) AuthMethod() (method, from string) {
	s := c.session()
	if v, ok := s.get("token_endpoint_auth_method"); ok && v != nil {
		return fab.PyStr(v), s.from["token_endpoint_auth_method"]
	}
	if c.HasSecret {
		return "client_secret_basic", "authlib's default with a client_secret"
	}
	return "none", "authlib's default without a client_secret"
}

// Endpoint is an endpoint as authlib resolves it, and where from.
type Endpoint struct {
	URL  string `json:"url"`
	From string `json:"from"`
}

// AuthorizationEndpoint is authorize_url, else the metadata's
// authorization_endpoint (OAuth2Mixin.create_authorization_url).
func (c *Client) AuthorizationEndpoint() Endpoint {
	if c.AuthorizeURL != "" {
		return Endpoint{c.AuthorizeURL, "authorize_url (remote_app)"}
	}
	return c.metaEndpoint("authorization_endpoint")
}

// TokenEndpoint is access_token_url, else the metadata's token_endpoint
// (OAuth2Mixin.fetch_access_token).
func (c *Client) TokenEndpoint() Endpoint {
	if c.AccessTokenURL != "" {
		return Endpoint{c.AccessTokenURL, "access_token_url (remote_app)"}
	}
	return c.metaEndpoint("token_endpoint")
}

// JWKSURI is the metadata's jwks_uri (fetch_jwk_set): a jwks_uri given in
// remote_app counts only until the fetched document replaces it.
func (c *Client) JWKSURI() Endpoint { return c.metaEndpoint("jwks_uri") }

// UserinfoEndpoint is the metadata's userinfo_endpoint (userinfo()).
func (c *Client) UserinfoEndpoint() Endpoint { return c.metaEndpoint("userinfo_endpoint") }

func (c *Client) metaEndpoint(k string) Endpoint {
	v, ok := c.Metadata.Get(k)
	if !ok || v == nil {
		return Endpoint{}
	}
	from := k + " of the fetched metadata"
	if c.Metadata.From(k) == "remote_app" {
		from = k + " in remote_app (server metadata)"
	}
	return Endpoint{fab.PyStr(v), from}
}

// APIURL is the URL a remote.get(path) requests: urljoin(api_base_url,
// path) when path is relative and api_base_url set (_send_token_request),
// else path as given (requests then refuses a relative one).
func (c *Client) APIURL(path string) string {
	if c.APIBaseURL != "" && !strings.HasPrefix(path, "https://") && !strings.HasPrefix(path, "http://") {
		if u, err := fab.URLJoin(c.APIBaseURL, path); err == nil {
			return u
		}
	}
	return path
}
