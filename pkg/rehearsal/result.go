package rehearsal

import (
	"fmt"
	"net/url"

	"github.com/authdoctor/authdoctor/pkg/authlib"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/urlcheck"
)

// Result is the JSON result of authdoctor login.
type Result struct {
	// Verdict: works, no-access, fail, or incomplete (the IdP never sent
	// the browser back).
	Verdict  string `json:"verdict"`
	Config   string `json:"config,omitempty"`
	Flavor   string `json:"flavor,omitempty"`
	Provider string `json:"provider,omitempty"`
	Network  string `json:"network"`
	// MetadataURL is the document authlib loads (MetadataHow: how it was
	// found).
	MetadataURL string          `json:"metadataUrl,omitempty"`
	MetadataHow string          `json:"metadataFrom,omitempty"`
	Client      *authlib.Client `json:"client"`
	// SecretFrom says where the client secret came from (never the
	// value).
	SecretFrom  string                 `json:"secretFrom,omitempty"`
	Request     *authlib.AuthRequest   `json:"request,omitempty"`
	RegisterURI *Register              `json:"register,omitempty"`
	Probe       *Probe                 `json:"probe,omitempty"`
	Callback    *Callback              `json:"callback,omitempty"`
	Exchange    *Exchange              `json:"exchange,omitempty"`
	IDToken     *authlib.IDTokenResult `json:"idToken,omitempty"`
	UserInfo    *UserInfo              `json:"userinfo,omitempty"`
	Roles       *fab.Result            `json:"roles,omitempty"`
	Steps       []engine.LoginStep     `json:"steps"`
	// Failure is where and how the login stopped, as the app shows it.
	Failure *Failure `json:"failure,omitempty"`
	// Tokens is the token response, only when asked (--show-tokens).
	Tokens any `json:"tokens,omitempty"`
}

// Register says which redirect URI the IdP must accept for the rehearsal,
// and why (the IdP's loopback rules).
type Register struct {
	URI string `json:"uri"`
	Why string `json:"why"`
}

// Callback is what came back to the redirect URI (the code redacted).
type Callback struct {
	From     string             `json:"from"` // "browser" or "pasted"
	Params   []urlcheck.Param   `json:"params"`
	Analysis *urlcheck.Analysis `json:"analysis,omitempty"`
}

// Failure is the first thing that stops the login, as the app meets it:
// the exception, the line FAB logs and what the user sees.
type Failure struct {
	Step   string          `json:"step"`
	Raised *authlib.Raised `json:"raised,omitempty"`
	Log    string          `json:"log,omitempty"`
	Page   string          `json:"page,omitempty"`
	Check  string          `json:"check,omitempty"`
}

// fail records the failure that ends the rehearsal (the first one wins).
func (r *Rehearsal) fail(step engine.Step, raised *authlib.Raised, logPrefix, page, check string) {
	r.done = true
	if r.Result.Failure != nil {
		return
	}
	f := &Failure{Step: step.String(), Raised: raised, Page: page, Check: check}
	if raised != nil && logPrefix != "" {
		f.Log = logPrefix + raised.Message
	}
	r.Result.Failure = f
}

// raisedEvidence is the evidence every authlib failure carries.
func raisedEvidence(raised *authlib.Raised, logPrefix, page string) []engine.Opt {
	opts := []engine.Opt{engine.With("authlib raises", raised.String())}
	if raised.Legacy != "" {
		opts = append(opts, engine.With("authlib < 1.5.2", raised.Class+": "+raised.Legacy))
	}
	if raised.Approximate {
		opts = append(opts, engine.With("note", "the exception class is requests'/authlib's; its wording here is authdoctor's"))
	}
	opts = append(opts, engine.With("raised in", raised.Where))
	if logPrefix != "" {
		opts = append(opts, engine.With("FAB logs", logPrefix+raised.Message))
	}
	if page != "" {
		opts = append(opts, engine.With("the user sees", page))
	}
	return opts
}

// registerNote says which URI the IdP must accept, and why Entra accepts
// a localhost one for any port.
func registerNote(uri string, c *authlib.Client) *Register {
	u, err := url.Parse(uri)
	if err != nil {
		return nil
	}
	ep := c.AuthorizationEndpoint().URL
	portless := u.Scheme + "://" + u.Hostname() + u.Path
	if idp.Parse(ep).IdP == "azure" {
		why := fmt.Sprintf("Entra compares loopback redirect URIs without their port (its localhost exception, after RFC 8252 §7.3), so registering %s once lets every port through", portless)
		if u.Hostname() != "localhost" {
			why += "; the Azure portal accepts http:// only for localhost (an http://127.0.0.1 URI has to be added in the app manifest), so --redirect-uri http://localhost/callback is the easy choice"
		}
		return &Register{URI: portless, Why: why + ". The app's own callback stays registered as it is."}
	}
	return &Register{URI: uri, Why: fmt.Sprintf("the IdP sends the code only to a redirect URI registered for client %q; RFC 8252 §7.3 lets native (public) clients use any port on 127.0.0.1, but web clients are usually matched exactly, port included: register %s, or pick a port you registered with --redirect-uri", c.ClientID, uri)}
}
