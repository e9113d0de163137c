package tokenpipe

import (
	"context"
	"time"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/issuer"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/authdoctor/authdoctor/pkg/verify"
)

// Request says where a run's keys and metadata come from and what the
// tokens must be.
type Request struct {
	// Keys is a key set given directly (--jwks); Doc a discovery document
	// (--discovery, --issuer, or the token's own issuer when OwnIssuer).
	Keys, Doc *oidc.Source
	OwnIssuer bool
	// Secret verifies HS* tokens (--secret-file only).
	Secret []byte
	// ExpectIssuer overrides the document's issuer; Tenant is the Entra
	// tenant the tokens must belong to.
	ExpectIssuer, Tenant string
	Audiences, Algs      []string
	Now                  time.Time
	Leeway               time.Duration
	// Issuer is the first token's iss: its cloud is where a tenant domain
	// is resolved.
	Issuer string
}

// Loaded is what Load had: the keys, and for the result where they came
// from.
type Loaded struct {
	*Keys
	Doc     *oidc.DocResult
	KeySet  *oidc.KeySetResult
	ExpFrom string
}

// Load inspects the key set and the discovery document of a request
// through pkg/oidc (reporting DSC and JWK findings into rep, the key set
// judged only as far as verification needs it) and assembles the Keys,
// strict: verifying is the run's job.
func Load(ctx context.Context, rep *engine.Report, client *netx.Client, req Request) *Loaded {
	io := oidc.InspectOptions{Now: req.Now, ForVerification: true}
	l := &Loaded{Keys: &Keys{Strict: true}}
	var covs []*engine.Coverage
	if req.Keys != nil {
		io.Keys = oidc.InspectKeys(ctx, rep, client, *req.Keys, io)
		covs = append(covs, io.Keys.Coverage)
	}
	l.KeySet = io.Keys
	if req.Doc != nil {
		l.Doc = oidc.InspectDiscovery(ctx, rep, client, *req.Doc, io)
		covs = append(covs, l.Doc.Coverage)
		l.Metadata = l.Doc.Discovery
		if l.KeySet == nil {
			l.KeySet = l.Doc.JWKS
		}
	}
	rep.SkipUncovered(covs...)
	l.Missing = l.why()
	if ks := l.KeySet; ks != nil {
		l.From = ks.Where()
		if ks.Usable() {
			l.Set = verify.KeySetOf(l.From, ks.Set)
			for _, n := range ks.Notes {
				rep.Notices = append(rep.Notices, l.From+": "+n)
			}
		}
	}
	l.Expect = l.expectation(ctx, client, req)
	tc := token.TimeContext{Now: req.Now, Leeway: req.Leeway}
	for _, r := range []*netx.Result{l.keysFetch(), l.docFetch()} {
		if skew, ok := r.ClockSkew(); ok && !tc.HaveSkew {
			tc.Skew, tc.HaveSkew, tc.SkewFrom = -skew, true, hostOf(r.URL)
		}
	}
	l.Options = verify.Options{Now: req.Now, Leeway: req.Leeway, Audiences: req.Audiences, Algs: req.Algs, Secret: req.Secret, Time: tc}
	if l.Metadata != nil {
		l.Options.MetadataAlgs = l.Metadata.IDTokenSigningAlgValuesSupported
	}
	jwksURL := ""
	if l.KeySet != nil {
		jwksURL = l.KeySet.URL
	}
	l.Prober = NewKidProber(client, jwksURL)
	return l
}

// expectation is what the tokens' issuer and tenant are compared with.
func (l *Loaded) expectation(ctx context.Context, client *netx.Client, req Request) issuer.Expectation {
	exp := issuer.Expectation{Tenant: req.Tenant}
	if req.ExpectIssuer != "" {
		exp.Issuer, exp.Source = req.ExpectIssuer, "--expect-issuer"
	} else if md := l.Metadata; md != nil {
		exp.Issuer, exp.Source = md.Issuer, "discovery "+l.Doc.Where()
		if req.OwnIssuer {
			exp.Source += " (the token's own issuer)"
		}
		if md.AccessTokenIssuer != "" {
			exp.AltIssuers = append(exp.AltIssuers, md.AccessTokenIssuer)
		}
	}
	if kind := idp.TenantKind(req.Tenant); kind == "domain" || kind == "name" {
		exp.TenantGUID = oidc.ResolveTenant(ctx, client, req.Tenant, idp.Parse(req.Issuer).Cloud)
	}
	return exp
}

// why says why there is no usable key set, in words for TOK011 and the
// skips of the signature checks.
func (l *Loaded) why() string {
	switch {
	case l.KeySet != nil && l.KeySet.Skipped != "":
		return "no usable key set: " + l.KeySet.Where() + ": " + l.KeySet.Skipped
	case l.KeySet == nil && l.Doc != nil && l.Doc.Skipped != "":
		return "no usable key set: the discovery document " + l.Doc.Where() + ": " + l.Doc.Skipped
	case l.KeySet == nil && l.Doc != nil:
		return "no usable key set: the discovery document " + l.Doc.Where() + " gives no jwks_uri to fetch"
	}
	return "no usable key set (see the findings above)"
}

func (l *Loaded) docFetch() *netx.Result {
	if l.Doc == nil {
		return nil
	}
	return l.Doc.Fetch
}

func (l *Loaded) keysFetch() *netx.Result {
	if l.KeySet == nil {
		return nil
	}
	return l.KeySet.Fetch
}
