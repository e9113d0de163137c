package fab

// Client libraries a plain Flask app may register its OAuth client with
// (spec/user-code.md §7).
const (
	FlaskOAuthlib = "flask-oauthlib"
	Authlib       = "authlib"
)

// OAuthClient is an OAuth client an app registers itself, outside FAB's
// OAUTH_PROVIDERS: Flask-OAuthlib's oauth.remote_app(...) or authlib's
// oauth.register(...) (spec/user-code.md §7).
type OAuthClient struct {
	// Library is FlaskOAuthlib or Authlib; Call is the call as written
	// ("oauth.remote_app") and Line where it is.
	Library string
	// Module is where the OAuth registry was imported from
	// ("authlib.integrations.flask_client").
	Module string
	Call   string
	Line   int
	// Name is the client's name (NameOK: a string known statically).
	Name   string
	NameOK bool
	// Args are the keyword arguments, as read.
	Args *Dict
	// Callback is the path of the view the app's login passes as the
	// redirect URI ("" when not found); CallbackLine is where it is passed.
	Callback     string
	CallbackLine int
	// In names the function the call was found in ("" at module level).
	In string
	// AppConfig says where the app's config may supply the credentials the
	// call leaves out ("" when nothing can).
	AppConfig string
	// IfUnset are the arguments as CPython computes them where the
	// environment variables unset here are unset too (nil when every
	// argument is known): an f-string then embeds the text None.
	IfUnset *Dict
}

// ClientsPath is the root of an origin path into the app's own clients:
// Origin(ClientsPath, "0", "consumer_secret").
const ClientsPath = "<clients>"

// flaskOAuthlibURLKeys are the URL arguments of Flask-OAuthlib's
// remote_app: base_url is the base of its API calls.
var flaskOAuthlibURLKeys = []string{"base_url", "request_token_url", "access_token_url", "authorize_url"}

// Provider is the client as a provider entry, for the checks that apply
// to it: authlib's register takes remote_app's keys, with the same
// meaning; Flask-OAuthlib's keys are its own (its scope is in
// request_token_params).
func (c *OAuthClient) Provider() *Provider {
	entry := NewDict(c.Line)
	if c.NameOK {
		entry.Set("name", c.Name, c.Line)
	}
	entry.Set("remote_app", c.Args, c.Line)
	p := providerOf(0, entry, c.Line)
	p.Client = c
	if c.Library == FlaskOAuthlib {
		p.Scopes, p.ScopeSet, p.ScopeKnown, p.ScopeFrom, p.ScopeLine = nil, false, true, "", 0
		if v, ok := c.Args.Get("request_token_params"); ok {
			if d, ok := v.(*Dict); ok {
				if s, ok := d.Get("scope"); ok {
					p.ScopeSet, p.ScopeFrom, p.ScopeLine = true, "request_token_params", d.LineOf("scope")
					p.Scopes, p.ScopeKnown = scopeList(s)
				}
			} else if Unknown(v) {
				p.ScopeKnown = false
			}
		}
	}
	return p
}

// ClientProviders are the app's own OAuth clients as providers.
func (c *Config) ClientProviders() []*Provider {
	var out []*Provider
	for i := range c.Clients {
		p := c.Clients[i].Provider()
		p.Index = i
		out = append(out, p)
	}
	return out
}
