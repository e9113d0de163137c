package doctor

import (
	"context"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/authlib"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/providers"
	tok "github.com/authdoctor/authdoctor/pkg/token"
)

// authlibIDToken runs authlib's own ID-token step on the --token
// (pkg/authlib, modelled from authlib's source and checked against it):
// what decides the id_token step of this login is what parse_id_token
// raises, not authdoctor's general token checks. When authlib raises and
// nothing blocking sits at that step yet, its exception is the finding;
// when it accepts the token, an audience mismatch authdoctor's own check
// reported is not what breaks the login (authlib requires azp = client_id
// when aud differs; it never compares aud itself).
func authlibIDToken(ctx context.Context, client *netx.Client, rep *engine.Report, cfg *fab.Config, profile fab.Profile, r *providers.Run, d *tok.Decoded, now time.Time, from int) {
	pr := r.Provider
	if profile.NoIDTokenParse || !pr.ScopeKnown || !pr.HasScope("openid") || pr.Client != nil && pr.Client.Library == fab.FlaskOAuthlib {
		return
	}
	c := authlib.FromProvider(cfg, pr)
	if c.ServerMetadataURL != "" {
		if raised := c.Load(client.Fetch(ctx, c.ServerMetadataURL)); raised != nil {
			return // the metadata's own findings (DSC) say why
		}
	}
	// The nonce authlib compares is the request's; a token from this
	// app's login carries it. A token without one did not come from such
	// a login, so the nonce rule is left out, not failed.
	nonce := d.Claims.String("nonce")
	// Only the ID token is at hand (no access token: at_hash is not
	// checked, as authlib does when the response has none).
	res := c.ParseIDToken(ctx, authlib.ParseInput{Token: authlib.NewToken(map[string]any{"id_token": d.Raw}),
		Nonce: nonceOr(nonce), Now: now,
		Fetch: func(ctx context.Context, url string, _ bool) *netx.Result { return client.Fetch(ctx, url) }})
	switch {
	case !res.Parsed:
	case res.Raised == nil:
		acceptedByAuthlib(rep, from)
	case res.CauseCheck == "TOK013", res.CauseCheck == "":
		// the binding to a request (nonce, at_hash) needs that request
	case !blockedAt(rep, from, engine.StepIDToken):
		opts := []engine.Opt{engine.AtStep(engine.StepIDToken), engine.WithSeverity(engine.SeverityError), engine.ForProvider(r.Name),
			engine.With("authlib raises", res.Raised.String())}
		if res.Fix != "" {
			opts = append(opts, engine.FixHint(res.Fix))
		}
		rep.Add(res.CauseCheck, "authlib's parse_id_token refuses this token: "+res.Raised.String()+" ("+res.Cause+"); FAB shows \""+fab.MsgDenied+"\"", opts...)
	}
}

// nonceOr stands in for the request's nonce when the token has none
// (see authlibIDToken).
func nonceOr(n string) string {
	if n == "" {
		return "(not in the token)"
	}
	return n
}

// blockedAt reports an error already placed at step among the findings
// added since from.
func blockedAt(rep *engine.Report, from int, step engine.Step) bool {
	for _, f := range rep.Findings[from:] {
		if f.Step == step && f.Severity == engine.SeverityError {
			return true
		}
	}
	return false
}

// acceptedByAuthlib: authlib accepted the ID token, so an audience
// mismatch authdoctor's own check found does not stop this login.
func acceptedByAuthlib(rep *engine.Report, from int) {
	for i := from; i < len(rep.Findings); i++ {
		f := &rep.Findings[i]
		if f.ID == "TOK008" && f.Severity == engine.SeverityError && !strings.HasPrefix(f.Message, "authlib") {
			f.Severity = engine.SeverityWarning
			f.Message = "authlib accepts this ID token (it never compares aud; it requires azp = client_id when aud differs), so this does not stop the login: " + f.Message
		}
	}
}
