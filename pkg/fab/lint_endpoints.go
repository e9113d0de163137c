package fab

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// endpointKeys are the remote_app members that name the IdP's URLs.
var endpointKeys = []string{"server_metadata_url", "authorize_url", "access_token_url", "api_base_url", "jwks_uri", "userinfo_endpoint", "request_token_url"}

// CFG020: IdP endpoints over plain http to a host that is not this
// machine: the client secret (token request), the code and the tokens
// travel in clear text. One finding per provider, at its first such URL.
func (l *linter) plainHTTP(pr *Provider, label string) {
	var keys, ev, hosts []string
	line := 0
	urlKeys := endpointKeys
	if pr.Client != nil && pr.Client.Library == FlaskOAuthlib {
		urlKeys = flaskOAuthlibURLKeys
	}
	for _, k := range urlKeys {
		s, ok := pr.RemoteStr(k)
		if !ok || s == "" {
			continue
		}
		u, err := url.Parse(s)
		if err != nil || !strings.EqualFold(u.Scheme, "http") || u.Hostname() == "" || isLoopback(u.Hostname()) {
			continue
		}
		if l := pr.RemoteLine(k); line == 0 || l < line {
			line = l
		}
		if !slices.Contains(hosts, u.Host) {
			hosts = append(hosts, u.Host)
		}
		keys = append(keys, k)
		ev = append(ev, k, s)
	}
	if len(keys) == 0 {
		return
	}
	what := "what they carry travels"
	switch {
	case slices.Contains(keys, "access_token_url"):
		what = "the client secret, the authorization code and the tokens travel"
	case slices.Contains(keys, "server_metadata_url") || slices.Contains(keys, "jwks_uri"):
		what = "the metadata and signing keys travel (anyone on the path can substitute endpoints and keys)"
	case slices.Contains(keys, "api_base_url") || slices.Contains(keys, "userinfo_endpoint"):
		what = "the access token and the user's data travel"
	}
	l.add("CFG020", line, fmt.Sprintf("%s reaches the IdP over plain http (%s, to %s): %s in clear text and can be read or altered on the way", label, strings.Join(keys, ", "), strings.Join(hosts, " and "), what),
		withEv(ev...), withFix("Serve the IdP over https and use https:// URLs (behind a TLS-terminating proxy, make the IdP advertise its https URLs, e.g. Keycloak's KC_HOSTNAME and proxy headers)."))
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// flaskOAuthlibKeys are remote_app keys of Flask-OAuthlib that authlib
// does not read: it keeps unknown keys as server metadata and never uses
// them (authlib base_client OAuth2Base), with what that costs.
var flaskOAuthlibKeys = []struct{ key, use, consequence string }{
	{"consumer_key", "client_id", "no client_id is sent"},
	{"consumer_secret", "client_secret", "no client secret is sent: the token request is refused"},
	{"base_url", "api_base_url", "there is no api_base_url for the branch's relative user-info call"},
	{"request_token_params", "client_kwargs {\"scope\": …}", "no scope is sent"},
	{"access_token_method", "nothing (authlib always POSTs to the token endpoint)", "it has no effect"},
}

// CFG023: Flask-OAuthlib-era keys authlib ignores. fabLogin is set for an
// OAUTH_PROVIDERS entry: a missing api_base_url then matters only to a
// built-in branch that requests a relative path (a plain app's own code
// makes its own calls).
func (l *linter) oauthlibKeys(pr *Provider, label string, fabLogin bool) {
	if pr.Remote == nil {
		return
	}
	for _, k := range flaskOAuthlibKeys {
		if !pr.Remote.Has(k.key) {
			continue
		}
		if k.key == "request_token_params" {
			// authlib's own parameter for OAuth 1 request tokens: used
			// there, and a None value loses nothing anywhere.
			if v, _ := pr.Remote.Get(k.key); v == nil || pr.OAuth1() {
				continue
			}
		}
		consequence, opts := k.consequence, []func(*Issue){withFix("Use authlib's key: " + k.use + ".")}
		switch {
		case k.key == "request_token_params" && pr.ScopeSet:
			consequence = "its scope is not sent (the scope in " + pr.ScopeFrom + " is)"
			opts = append(opts, sev(engine.SeverityInfo))
		case k.key == "access_token_method":
			opts = append(opts, sev(engine.SeverityInfo))
		case k.key == "base_url" && fabLogin:
			if rel := relativePath(l.branchOf(pr.Name)); rel == "" || pr.RemoteHas("api_base_url") {
				// azure and authentik read the id_token, auth0 and the
				// generic branch authlib's userinfo endpoint: nothing
				// is joined to an api_base_url.
				consequence = "nothing is lost: no built-in user-info call of this provider is relative to api_base_url"
				opts = append(opts, sev(engine.SeverityInfo))
			} else {
				consequence = fmt.Sprintf("the %s branch's relative user-info call (%q) has no api_base_url", l.branchOf(pr.Name), rel)
				opts = append(opts, fromBuiltin(builtinUserInfo))
			}
		}
		l.add("CFG023", pr.RemoteLine(k.key), fmt.Sprintf("%s remote_app has %q, a Flask-OAuthlib key that authlib does not read: %s", label, k.key, consequence), opts...)
	}
}

// UserInfoCall is the HTTP request a provider's user-info branch makes for
// its data (spec §2.3): a path relative to api_base_url (remote.get), or
// authlib's userinfo() (the server metadata's userinfo_endpoint). Both are
// zero for branches that read the id_token instead (azure, authentik) and
// for names without a branch.
type UserInfoCall struct {
	Path             string `json:"path,omitempty"`
	UserinfoEndpoint bool   `json:"userinfoEndpoint,omitempty"`
}

// BranchCall says which request the user-info branch of provider name
// makes in this flavour.
func BranchCall(p Profile, name string) UserInfoCall {
	switch {
	case p.HasBranch(name) && name == "auth0":
		return UserInfoCall{UserinfoEndpoint: true}
	case p.HasBranch(name):
		return UserInfoCall{Path: relativePath(name)}
	case p.Unknown == UnknownGeneric:
		return UserInfoCall{UserinfoEndpoint: true}
	}
	return UserInfoCall{}
}

// relativePath is the path a built-in branch requests with remote.get()
// (spec §2.3), which authlib joins with api_base_url ("" for branches that
// make no such call).
func relativePath(branch string) string {
	switch branch {
	case "github", "githublocal":
		return "user"
	case "google", "okta":
		return "userinfo"
	case "keycloak", "keycloak_before_17":
		return "openid-connect/userinfo"
	case "twitter":
		return "account/settings.json"
	case "linkedin":
		return "people/~:(id,email-address,first-name,last-name)?format=json"
	case "openshift":
		return "apis/user.openshift.io/v1/users/~"
	}
	return ""
}

// CFG024: a branch that requests a relative path while remote_app has no
// api_base_url: authlib passes the bare path to requests, which refuses
// it, and every login fails.
func (l *linter) relativeUserinfo(pr *Provider, label, branch string) {
	rel := relativePath(branch)
	if rel == "" || pr.RemoteHas("api_base_url") {
		return
	}
	if v, present := pr.Remote.Get("api_base_url"); present && Unknown(v) {
		return
	}
	msg := fmt.Sprintf("%s: the %s branch requests %q relative to api_base_url, and remote_app has no api_base_url: requests refuses the bare path (\"Invalid URL '%s': No scheme supplied\"), so every login fails with \"%s\" after \"Error returning OAuth user info\"", label, branch, rel, rel, MsgInvalidLogin)
	if pr.Remote.Has("base_url") {
		msg += " (the base_url key is Flask-OAuthlib's name for it; authlib does not read it)"
	}
	l.add("CFG024", pr.RemoteLine(""), msg, withEv("relative path", rel), fromBuiltin(builtinUserInfo), withFix("Add api_base_url to remote_app (the base URL the branch's relative path is joined to, ending in a slash)."))
}
