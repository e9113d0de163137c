// Package tokenpipe is the one token pipeline: input → decode → identify
// → keys → verify → claims → issuer, used by token, verify (one token,
// several, --batch) and doctor's token step.
package tokenpipe

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	tok "github.com/authdoctor/authdoctor/pkg/token"
	vfy "github.com/authdoctor/authdoctor/pkg/verify"
)

// KidProber looks for a missing kid where the evidence points, through
// the run's memoising client: the same key set re-fetched once (rotation),
// Entra's app-specific keys (?appid=), the token's own issuer's keys, and
// Entra's v1/v2 sibling set.
type KidProber struct {
	client  *netx.Client
	jwksURL string
}

// NewKidProber probes through client for a kid missing from jwksURL's set.
func NewKidProber(client *netx.Client, jwksURL string) *KidProber {
	return &KidProber{client: client, jwksURL: jwksURL}
}

func (p *KidProber) kidAt(ctx context.Context, u, kid string, fresh bool) (bool, string) {
	var r *netx.Result
	if fresh {
		r = p.client.Refetch(ctx, u)
	} else {
		r = p.client.Fetch(ctx, u)
	}
	if !r.OK() {
		return false, r.Err.Stage.Describe() + ": " + r.Err.Reason
	}
	ks, err := vfy.ParseKeySet(u, r.Body)
	if err != nil && !errors.Is(err, vfy.ErrSingleJWK) {
		return false, err.Error()
	}
	_, ok := ks.Find(kid)
	return ok, ""
}

func (p *KidProber) Probe(ctx context.Context, d *tok.Decoded, id tok.Identified, ks *vfy.KeySet) []vfy.Probe {
	kid := d.Kid()
	if kid == "" || p.client.Options().Offline {
		return []vfy.Probe{{Cause: "other key sets", Where: "the network", Err: "offline"}}
	}
	var out []vfy.Probe
	try := func(cause, where, conclusion string, fresh bool) {
		found, err := p.kidAt(ctx, where, kid, fresh)
		label := where
		if fresh {
			label += " (fetched again)"
		}
		out = append(out, vfy.Probe{Cause: cause, Where: label, Found: found, Err: err, Conclusion: conclusion})
	}
	remote := p.jwksURL != ""
	if id.IdP == "azure" && remote && id.App != "" {
		u := withQuery(p.jwksURL, "appid", id.App)
		try("app-specific signing keys", u,
			"the app "+id.App+" has its own signing keys: they are published at "+u+", not in the tenant's set; point jwks_uri there (FAB checks only the global keys: see CFG007)", false)
	}
	if remote {
		try("key rotation", p.jwksURL,
			"the key was rotated: "+p.jwksURL+" holds the kid on a fresh fetch, so the app's cached copy is stale; restart it or shorten its key cache", true)
	}
	iss := d.Claims.String("iss")
	if iss != "" {
		own, _ := oidc.DiscoveryURL(iss)
		r := p.client.Fetch(ctx, own)
		md, err := oidc.ParseDiscovery(r.Body)
		if r.OK() && err == nil && md.JWKSURI != "" && md.JWKSURI != p.jwksURL && md.JWKSURI != ks.Source {
			try("keys of another tenant, realm or IdP", md.JWKSURI,
				"the token was issued by "+iss+", whose keys ("+md.JWKSURI+") hold the kid: the keys in use belong to another tenant, realm, cloud or IdP", false)
		} else if !r.OK() && !strings.Contains(r.URL, "{") {
			out = append(out, vfy.Probe{Cause: "the token issuer's own keys", Where: own, Err: r.Err.Stage.Describe() + ": " + r.Err.Reason})
		}
	}
	if id.IdP == "azure" && id.Tenant != "" {
		a := idp.Parse(iss)
		host := idp.LoginHost(a.Cloud)
		sib := "https://" + host + "/" + id.Tenant + "/discovery/v2.0/keys"
		if id.Version == "2.0" {
			sib = "https://" + host + "/" + id.Tenant + "/discovery/keys"
		}
		if sib != p.jwksURL {
			try("the v1/v2 sibling key set", sib, "the kid is in the Entra v1/v2 sibling set "+sib+": the token's version does not match the endpoint version of the keys in use (see ISS002)", false)
		}
	}
	return out
}

func withQuery(raw, k, v string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw + "?" + k + "=" + url.QueryEscape(v)
	}
	q := u.Query()
	q.Set(k, v)
	u.RawQuery = q.Encode()
	return u.String()
}
