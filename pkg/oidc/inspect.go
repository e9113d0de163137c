package oidc

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/netx"
)

// This file is the one way authdoctor gets a discovery document or a key
// set: fetched through pkg/netx (or read from a file the user named),
// reported (DSC001/JWK001 by ReportFetch), parsed and judged (DSC002–006,
// JWK002–008), with the bytes kept for verification (keyfunc is handed
// what was fetched, never left to fetch on its own: design.md's keyfunc
// trap). Every command that needs one — discovery, jwks, verify, issuer,
// doctor, lint --online — comes through here, so a finding is worded the
// same wherever it appears.

// Source is where a document or a key set comes from: a URL to fetch, or
// the bytes of a file the user named.
type Source struct {
	// Input is what the user gave (a URL, an issuer, @FILE).
	Input string
	URL   string
	File  string
	Data  []byte
}

// URLSource is the source of a URL found in a config or a document.
func URLSource(u string) Source { return Source{Input: u, URL: u} }

// InspectOptions tune an inspection.
type InspectOptions struct {
	// Now is the instant certificates are judged at.
	Now time.Time
	// ForVerification inspects a key set only as far as verifying tokens
	// needs: can it be had (JWK001) and read as a JWK Set (JWK002). The
	// keys themselves are judged by the TOK checks that use them (verify
	// reports the key it could not use), and a single JWK read from a
	// file is taken as a set of one: the user holds that key.
	ForVerification bool
	// NoKeys: do not follow the document's jwks_uri; NoKeysReason says why
	// (the skip reason of the JWK checks; "" when the command does not
	// judge key sets at all).
	NoKeys       bool
	NoKeysReason string
	// Keys, when set, is a key set inspected already (--jwks), used for
	// every document instead of its jwks_uri.
	Keys *KeySetResult
}

// KeySetResult is one key set as inspected.
type KeySetResult struct {
	Input string `json:"input"`
	URL   string `json:"url,omitempty"`
	File  string `json:"file,omitempty"`
	// Fetch is the fetch record (URL inputs).
	Fetch *netx.Result `json:"fetch,omitempty"`
	// Skipped says why the set was not analysed.
	Skipped string `json:"skipped,omitempty"`
	Keys    []*Key `json:"keys"`
	// UsableForSignatures counts the keys that can verify signatures.
	UsableForSignatures int      `json:"usableForSignatures"`
	Single              bool     `json:"single,omitempty"`
	Notes               []string `json:"notes,omitempty"`

	// Set is the analysed set (nil when it could not be read as one).
	Set *JWKS `json:"-"`
	// Body is the set as fetched or read: verification parses it.
	Body []byte `json:"-"`
	// Coverage says which key-set checks ran on this set.
	Coverage *engine.Coverage `json:"-"`
}

// Where names the set for people: its URL or its file.
func (s *KeySetResult) Where() string {
	if s.File != "" {
		return s.File
	}
	return s.URL
}

// Usable reports whether the set was read and can be verified with.
func (s *KeySetResult) Usable() bool { return s != nil && s.Set != nil }

// InspectKeys fetches (or takes the file bytes of) one key set and judges
// it into rep.
func InspectKeys(ctx context.Context, rep *engine.Report, client *netx.Client, src Source, o InspectOptions) *KeySetResult {
	sr := &KeySetResult{Input: src.Input, URL: src.URL, File: src.File, Keys: []*Key{}, Coverage: engine.NewCoverage(rep.Registry())}
	cov := sr.Coverage
	opts := []Option{WithNow(o.Now)}
	body := src.Data
	if src.File != "" {
		cov.Skip(checkJWKSFetch, "the key set was read from a file")
		opts = append(opts, WithFile(src.File))
	} else {
		res := client.Fetch(ctx, src.URL)
		sr.Fetch = res
		ok := ReportFetch(rep, checkJWKSFetch, "the key set", res)
		if offline(res) {
			sr.Skipped = "offline (--offline)"
			o.keysNotRun(cov, "offline (--offline): "+src.URL+" was not fetched")
			return sr
		}
		cov.Ran(checkJWKSFetch)
		if !ok {
			sr.Skipped = "the key set could not be fetched (JWK001)"
			o.keysNotRun(cov, "the key set could not be fetched (JWK001)")
			return sr
		}
		body = res.Body
		opts = append(opts, WithURL(src.URL), WithContentType(res.ContentType))
	}
	sr.Body = body
	if o.ForVerification {
		opts = append(opts, shapeOnly(src.File != ""))
	}
	cov.Ran(checkJWKSShape)
	set := AnalyzeJWKS(rep, body, opts...)
	if set == nil {
		sr.Skipped = "not a JWK Set (JWK002)"
		o.keysNotRun(cov, "the body is not a JWK Set (JWK002)")
		return sr
	}
	if !o.ForVerification {
		cov.RanStage(engine.StageKeys)
	}
	sr.Set, sr.Keys, sr.UsableForSignatures, sr.Single, sr.Notes = set, set.Keys, set.Usable, set.Single, set.Notes
	return sr
}

// DocResult is one discovery document as inspected.
type DocResult struct {
	Input string `json:"input"`
	// URL is the URL fetched; WellKnownAppended says the input was an
	// issuer and /.well-known/openid-configuration was appended.
	URL               string       `json:"url,omitempty"`
	WellKnownAppended bool         `json:"wellKnownAppended,omitempty"`
	File              string       `json:"file,omitempty"`
	Fetch             *netx.Result `json:"fetch,omitempty"`
	Skipped           string       `json:"skipped,omitempty"`
	*Discovery
	// JWKS is the key set checked for this document.
	JWKS *KeySetResult `json:"jwks,omitempty"`

	// Coverage says which discovery and key-set checks ran for it.
	Coverage *engine.Coverage `json:"-"`
}

// Where names the document for people: its URL or its file.
func (d *DocResult) Where() string {
	if d.File != "" {
		return d.File
	}
	return d.URL
}

// NewCoverage starts the coverage of a document inspection. DSC007 judges
// the run's --insecure, not a document: ReportInsecure reports it once per
// run, so no document's failure may list it as skipped.
func NewCoverage(reg *engine.Registry) *engine.Coverage {
	c := engine.NewCoverage(reg)
	c.Ran(checkInsecure)
	return c
}

// InspectDiscovery fetches (or takes the file bytes of) one discovery
// document and judges it into rep, then its key set (unless o.NoKeys, or
// o.Keys replaces it). An input that names no /.well-known/ document is an
// issuer: /.well-known/openid-configuration is appended (OIDC Discovery
// §4) and the document's issuer is compared with the input exactly.
func InspectDiscovery(ctx context.Context, rep *engine.Report, client *netx.Client, src Source, o InspectOptions) *DocResult {
	dr := &DocResult{Input: src.Input, File: src.File, Coverage: NewCoverage(rep.Registry())}
	cov := dr.Coverage
	opts := []Option{WithNow(o.Now)}
	fetchedFrom, body := "", src.Data
	if src.File != "" {
		cov.Skip(checkDiscoveryFetch, "the document was read from a file")
		opts = append(opts, WithFile(src.File))
	} else {
		u, appended := DiscoveryURL(src.URL)
		dr.URL, dr.WellKnownAppended = u, appended
		if appended {
			opts = append(opts, WithTypedIssuer(src.URL))
		}
		res := client.Fetch(ctx, u)
		dr.Fetch = res
		ok := ReportFetch(rep, checkDiscoveryFetch, "the discovery document", res)
		if offline(res) {
			reason := "offline (--offline): " + u + " was not fetched"
			dr.Skipped = "offline (--offline)"
			cov.NotRun(engine.StageDiscovery, reason)
			o.keysNotRun(cov, reason)
			return dr
		}
		cov.Ran(checkDiscoveryFetch)
		if !ok {
			dr.Skipped = "the document could not be fetched (DSC001)"
			cov.NotRun(engine.StageDiscovery, "the discovery document could not be fetched (DSC001)")
			o.keysNotRun(cov, "no discovery document, so no jwks_uri (DSC001)")
			return dr
		}
		fetchedFrom, body = u, res.Body
		opts = append(opts, WithContentType(res.ContentType))
	}
	cov.Ran(checkDiscoveryShape)
	d := AnalyzeDiscovery(rep, fetchedFrom, body, opts...)
	if d == nil {
		dr.Skipped = "not a JSON object (DSC002)"
		cov.NotRun(engine.StageDiscovery, "the discovery document is not a JSON object (DSC002)")
		o.keysNotRun(cov, "no discovery document, so no jwks_uri (DSC002)")
		return dr
	}
	cov.RanStage(engine.StageDiscovery)
	dr.Discovery = d
	inspectDocKeys(ctx, rep, client, dr, src, o)
	return dr
}

// inspectDocKeys attaches the document's key set.
func inspectDocKeys(ctx context.Context, rep *engine.Report, client *netx.Client, dr *DocResult, src Source, o InspectOptions) {
	cov := dr.Coverage
	switch {
	case o.NoKeys:
		o.keysNotRun(cov, o.NoKeysReason)
	case o.Keys != nil:
		dr.JWKS = o.Keys
	case src.File != "":
		o.keysNotRun(cov, "the document was read from a file: its jwks_uri is not fetched; pass --jwks URL|@FILE to check a key set")
	case dr.JWKSURI == "":
		o.keysNotRun(cov, "the document has no jwks_uri (DSC003)")
	case !fetchable(dr.JWKSURI):
		o.keysNotRun(cov, fmt.Sprintf("jwks_uri %q is not an http(s) URL", dr.JWKSURI))
	default:
		dr.JWKS = InspectKeys(ctx, rep, client, URLSource(dr.JWKSURI), o)
		cov.Include(dr.JWKS.Coverage)
	}
}

// keysNotRun gives the key-set checks this inspection would have run the
// reason they did not ("" says nothing: the command does not judge keys).
func (o InspectOptions) keysNotRun(cov *engine.Coverage, reason string) {
	if reason == "" {
		return
	}
	if o.ForVerification {
		cov.Skip(checkJWKSFetch, reason)
		cov.Skip(checkJWKSShape, reason)
		return
	}
	cov.NotRun(engine.StageKeys, reason)
}

// fetchable reports an absolute http(s) URL.
func fetchable(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func offline(r *netx.Result) bool {
	return r != nil && r.Err != nil && r.Err.Stage == netx.StageOffline
}

// The checks an inspection runs first in each stage, and the run-level
// TLS check.
const (
	checkDiscoveryFetch = "DSC001"
	checkDiscoveryShape = "DSC002"
	checkInsecure       = "DSC007"
	checkJWKSFetch      = "JWK001"
	checkJWKSShape      = "JWK002"
)

// ReportInsecure records DSC007 (and says so once) when TLS verification
// was turned off, so that --insecure is visible in every output format and
// can fail CI.
func ReportInsecure(rep *engine.Report, insecure bool) {
	if !insecure {
		return
	}
	rep.Add(checkInsecure, "TLS certificate verification was OFF for every fetch (--insecure): the documents and keys checked may not be the IdP's",
		engine.With("flag", "--insecure"))
	rep.Notices = append(rep.Notices, "TLS certificate verification is OFF (--insecure): anyone on the path could have served these documents; the findings say nothing about the certificates")
}

// DiscoveryURL turns what a user typed into the URL to fetch: a URL that
// already names a /.well-known/ document is kept; an issuer gets
// /.well-known/openid-configuration appended (after removing a trailing
// slash, OIDC Discovery §4). appended says which happened. An Entra v1
// issuer on sts.windows.net is served by the login host.
func DiscoveryURL(input string) (u string, appended bool) {
	if strings.Contains(input, "/.well-known/") {
		return input, false
	}
	base := input
	if i := strings.IndexAny(base, "?#"); i >= 0 {
		base = base[:i]
	}
	if !strings.Contains(base, "://") {
		base = "https://" + base
	}
	if pu, err := url.Parse(base); err == nil && strings.EqualFold(pu.Hostname(), "sts.windows.net") {
		if t := strings.Trim(pu.Path, "/"); t != "" && !strings.Contains(t, "/") {
			return "https://login.microsoftonline.com/" + t + WellKnownOIDC, true
		}
	}
	return strings.TrimSuffix(base, "/") + WellKnownOIDC, true
}
