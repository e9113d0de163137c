package fab

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// The app's own OAuth clients (spec/user-code.md §7): a plain Flask app
// that registers them with Flask-OAuthlib or authlib instead of FAB's
// OAUTH_PROVIDERS. authlib's register takes remote_app's keys with the
// same meaning, so the provider checks that do not depend on FAB's login
// view apply; Flask-OAuthlib has keys and behaviour of its own.

// clients runs the checks of every client the file registers.
func (l *linter) clients() {
	for i, pr := range l.cfg.ClientProviders() {
		l.client(i, pr)
	}
	l.flaskOAuthlib()
	l.legacyAuthlib()
}

// client checks one client: its credentials (CFG005, CFG006), endpoints
// (CFG020) and, for authlib, the id_token keys (CFG004) and Flask-OAuthlib
// keys it ignores (CFG023).
func (l *linter) client(i int, pr *Provider) {
	c := pr.Client
	label := clientLabel(c)
	if c.NameOK {
		l.prov = c.Name
		defer func() { l.prov = "" }()
	}
	idKey, secretKey := "client_id", "client_secret"
	if c.Library == FlaskOAuthlib {
		idKey, secretKey = "consumer_key", "consumer_secret"
	}
	if v, ok := c.Args.Get(idKey); (!ok || v == nil) && c.AppConfig == "" {
		l.add("CFG005", c.Line, fmt.Sprintf("%s has no %s: the IdP rejects the authorization request", label, idKey))
	} else if !ok || v == nil {
		l.add("CFG005", c.Line, fmt.Sprintf("%s passes no %s: %s; if it is not set there, the IdP rejects the authorization request", label, idKey, c.AppConfig), sev(engine.SeverityInfo))
	}
	if v, ok := pr.RemoteStr(secretKey); ok && v != "" {
		l.secret(v, c.Args.LineOf(secretKey), secretKey, fmt.Sprintf("the %s of %s", secretKey, label), ClientsPath, strconv.Itoa(i), secretKey)
	}
	l.plainHTTP(pr, label)
	if c.Library == Authlib {
		l.oauthlibKeys(pr, label, false)
		if pr.ScopeKnown && pr.HasScope("openid") && !pr.HasKeySource() {
			l.add("CFG004", scopeLine(pr), label+" requests the openid scope but has neither server_metadata_url nor jwks_uri (nor jwks): authlib parses the id_token at the callback and fails with `Missing \"jwks_uri\" in metadata`",
				withEv("scope", strings.Join(pr.Scopes, " ")), withFix("Add server_metadata_url (the IdP's /.well-known/openid-configuration) to the register call."))
		}
	}
	l.sum.Providers = append(l.sum.Providers, clientBrief(c, l.o.BaseURL))
}

// clientLabel names a client in messages.
func clientLabel(c *OAuthClient) string {
	name := "client"
	if c.NameOK {
		name = fmt.Sprintf("client %q", c.Name)
	}
	return fmt.Sprintf("%s (%s, line %d)", name, c.Call, c.Line)
}

// clientBrief describes a client for people: the library in place of a
// branch, and the redirect URI its login passes.
func clientBrief(c *OAuthClient, baseURL string) ProviderBrief {
	b := ProviderBrief{Name: c.Name, Branch: "none", RoleKeys: "none", Client: fmt.Sprintf("%s %s, line %d", c.Library, c.Call, c.Line)}
	switch {
	case strings.HasPrefix(c.Callback, "http://") || strings.HasPrefix(c.Callback, "https://"):
		// an absolute redirect_uri written in the file: that is the URL
		b.Callback = Callback{Provider: c.Name, Path: c.Callback, URL: c.Callback}
	case c.Callback != "":
		b.Callback = Callback{Provider: c.Name, Path: c.Callback, URL: "https://<host>" + c.Callback}
		if baseURL != "" {
			b.Callback.URL, b.Callback.BaseURL, b.Callback.BaseURLSource = strings.TrimSuffix(baseURL, "/")+c.Callback, baseURL, "--base-url"
		}
	}
	return b
}

// CFG021 for a plain app whose OAuth registry comes from authlib's module
// of before 0.14, authlib.flask.client: authlib 0.15 removed it (tag
// v0.15 has no authlib/flask/client), so the app does not start with a
// current authlib; the authlib installed is not visible here, so it is
// info naming the condition.
func (l *linter) legacyAuthlib() {
	for _, c := range l.cfg.Clients {
		if c.Module != "authlib.flask.client" {
			continue
		}
		line := c.Line
		for _, im := range l.cfg.Imports {
			if im.Module == c.Module {
				line = im.Line
				break
			}
		}
		l.add("CFG021", line, "the app imports OAuth from authlib.flask.client, which authlib 0.14 renamed authlib.integrations.flask_client (keeping the old name as a shim) and 0.15 removed: with authlib 0.15 or later (every release since 2020) the import raises ModuleNotFoundError and the app does not start; with the older authlib it pins, it works",
			sev(engine.SeverityInfo), withFix("Import OAuth from authlib.integrations.flask_client (same register() API) and move to a current authlib."))
		return
	}
}

// CFG025: Flask-OAuthlib itself, once per file, at its first client.
func (l *linter) flaskOAuthlib() {
	for _, c := range l.cfg.Clients {
		if c.Library != FlaskOAuthlib {
			continue
		}
		l.add("CFG025", c.Line, fmt.Sprintf("%s is a Flask-OAuthlib client: the library is unmaintained (last release 0.9.6; its README points to authlib), fails to import with Werkzeug ≥ 1.0 (ImportError: cannot import name 'url_quote' from 'werkzeug'), and never validates an id_token: authorized_response() returns the token response as it came, so nothing checks who signed it", clientLabel(&c)),
			withFix("Move to authlib's Flask client: from authlib.integrations.flask_client import OAuth; oauth.register(name, client_id=…, client_secret=…, server_metadata_url=…, client_kwargs={\"scope\": \"openid email profile\"}), which validates the id_token against the provider's keys."))
		return
	}
}
