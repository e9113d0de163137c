package oidc

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/idp"
	"github.com/authdoctor/authdoctor/pkg/issuer"
	"github.com/authdoctor/authdoctor/pkg/netx"
)

// WellKnownOIDC is the path suffix of an OpenID Connect discovery document.
const WellKnownOIDC = "/.well-known/openid-configuration"

// WellKnownOAuth is the RFC 8414 authorization server metadata path.
const WellKnownOAuth = "/.well-known/oauth-authorization-server"

// Kinds of metadata document.
const (
	KindOIDC  = "openid-configuration"
	KindOAuth = "oauth-authorization-server"
)

// Discovery is a parsed discovery document. Typed fields are empty when
// the member is missing or of the wrong type; Document holds the whole
// document as served.
type Discovery struct {
	// Kind is KindOIDC, or KindOAuth when the document was fetched from an
	// RFC 8414 URL.
	Kind     string    `json:"kind"`
	Provider *Provider `json:"provider,omitempty"`
	// Notes explain known provider behaviour (Entra's template issuers …)
	// and what could not be checked.
	Notes []string `json:"notes,omitempty"`
	// Document is the JSON object as served (nil when the body is not a
	// JSON object).
	Document json.RawMessage `json:"document,omitempty"`

	Issuer                string `json:"-"`
	AuthorizationEndpoint string `json:"-"`
	TokenEndpoint         string `json:"-"`
	UserinfoEndpoint      string `json:"-"`
	JWKSURI               string `json:"-"`
	EndSessionEndpoint    string `json:"-"`
	// AccessTokenIssuer is AD FS's issuer of access tokens (its ID tokens
	// carry Issuer).
	AccessTokenIssuer                string   `json:"-"`
	ResponseTypesSupported           []string `json:"-"`
	SubjectTypesSupported            []string `json:"-"`
	IDTokenSigningAlgValuesSupported []string `json:"-"`
	ScopesSupported                  []string `json:"-"`
	GrantTypesSupported              []string `json:"-"`
	// Members holds every member, raw.
	Members map[string]json.RawMessage `json:"-"`
}

// ErrNotObject is returned by ParseDiscovery when the body is not a JSON
// object.
var ErrNotObject = errors.New("not a JSON object")

// ParseDiscovery reads a discovery document without judging it: the
// typed members that have the right type are filled in.
func ParseDiscovery(body []byte) (*Discovery, error) {
	sh := sniff(body, "")
	if !sh.object {
		return nil, fmt.Errorf("%w: %s", ErrNotObject, sh.what)
	}
	d := &Discovery{Kind: KindOIDC}
	if err := json.Unmarshal(sh.trimmed, &d.Members); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotObject, err)
	}
	d.Document = json.RawMessage(sh.trimmed)
	str := func(k string) string {
		var s string
		if raw, ok := d.Members[k]; ok && json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	}
	arr := func(k string) []string {
		var s []string
		if raw, ok := d.Members[k]; ok && json.Unmarshal(raw, &s) == nil {
			return s
		}
		return nil
	}
	d.Issuer = str("issuer")
	d.AuthorizationEndpoint = str("authorization_endpoint")
	d.TokenEndpoint = str("token_endpoint")
	d.UserinfoEndpoint = str("userinfo_endpoint")
	d.JWKSURI = str("jwks_uri")
	d.EndSessionEndpoint = str("end_session_endpoint")
	d.AccessTokenIssuer = str("access_token_issuer")
	d.ResponseTypesSupported = arr("response_types_supported")
	d.SubjectTypesSupported = arr("subject_types_supported")
	d.IDTokenSigningAlgValuesSupported = arr("id_token_signing_alg_values_supported")
	d.ScopesSupported = arr("scopes_supported")
	d.GrantTypesSupported = arr("grant_types_supported")
	return d, nil
}

// expectedIssuers derives the issuers a document fetched from u may
// carry (OIDC Discovery §4.3, RFC 8414 §3.3), and the kind of document.
func expectedIssuers(u string) (cands []string, kind string, ok bool) {
	pu, err := url.Parse(u)
	if err != nil || pu.Host == "" {
		return nil, KindOIDC, false
	}
	origin := pu.Scheme + "://" + pu.Host
	p := pu.EscapedPath()
	switch {
	case strings.HasSuffix(p, WellKnownOIDC):
		prefix := origin + strings.TrimSuffix(p, WellKnownOIDC)
		return []string{prefix, prefix + "/"}, KindOIDC, true
	case strings.HasPrefix(p, WellKnownOAuth):
		iss := origin + strings.TrimPrefix(p, WellKnownOAuth)
		return []string{iss}, KindOAuth, true
	case strings.HasSuffix(p, WellKnownOAuth):
		prefix := origin + strings.TrimSuffix(p, WellKnownOAuth)
		return []string{prefix, prefix + "/"}, KindOAuth, true
	}
	return nil, KindOIDC, false
}

// AnalyzeDiscovery judges a discovery document fetched from fetchedFrom
// (empty when read from a file: pass WithFile) and adds DSC002–DSC006
// findings to rep. It returns the parsed document, or nil when the body
// is not a JSON object (DSC002).
func AnalyzeDiscovery(rep *engine.Report, fetchedFrom string, body []byte, opts ...Option) *Discovery {
	o := collect(opts)
	if o.url == "" {
		o.url = fetchedFrom
	}
	subj := o.subject("")
	sh := sniff(body, o.contentType)
	if !sh.object {
		ev := []engine.Opt{engine.At(subj), engine.With("content type", orNone(o.contentType)), engine.With("size", fmt.Sprintf("%d bytes", len(body)))}
		if len(sh.trimmed) > 0 {
			ev = append(ev, engine.With("first bytes", netx.Excerpt(sh.trimmed, 160)))
		}
		rep.Add("DSC002", "the discovery document is "+sh.what, ev...)
		return nil
	}
	d, err := ParseDiscovery(body)
	if err != nil { // cannot happen after sniff; keep the promise of no panic
		rep.Add("DSC002", "the discovery document cannot be read: "+err.Error(), engine.At(subj))
		return nil
	}
	if sh.bom {
		d.Notes = append(d.Notes, "the body starts with a UTF-8 byte order mark, which JSON (RFC 8259) forbids; it was ignored, but strict parsers fail on it")
	}

	cands, kind, wellKnown := expectedIssuers(fetchedFrom)
	d.Kind = kind
	d.Provider = ClassifyProvider(d.Issuer, fetchedFrom)

	checkMembers(rep, d, subj, fetchedFrom == "")
	checkIssuer(rep, d, subj, fetchedFrom, o.typedIssuer, cands, wellKnown)
	checkHTTPS(rep, d, subj)
	checkAlgs(rep, d, subj)
	return d
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

type memberSpec struct {
	name  string
	array bool
}

// checkMembers is DSC003.
func checkMembers(rep *engine.Report, d *Discovery, subj engine.Subject, fromFile bool) {
	specs := []memberSpec{{"issuer", false}, {"authorization_endpoint", false}, {"token_endpoint", false},
		{"jwks_uri", false}, {"response_types_supported", true}}
	if d.Kind == KindOIDC {
		specs = append(specs, memberSpec{"subject_types_supported", true}, memberSpec{"id_token_signing_alg_values_supported", true})
	} else {
		d.Notes = append(d.Notes, "RFC 8414 authorization server metadata: subject_types_supported and id_token_signing_alg_values_supported are OpenID Connect members and not required here; jwks_uri is still needed to verify ID tokens")
	}
	var missing, wrong []string
	var ev []engine.Opt
	googleAlias := false
	for _, s := range specs {
		raw, ok := d.Members[s.name]
		if s.name == "token_endpoint" && !ok && implicitOnly(d) {
			d.Notes = append(d.Notes, "no token_endpoint: the provider offers only the implicit flow")
			continue
		}
		if s.name == "id_token_signing_alg_values_supported" && !ok {
			if alias, ok2 := d.Members["id_token_alg_values_supported"]; ok2 {
				var algs []string
				if json.Unmarshal(alias, &algs) == nil {
					d.IDTokenSigningAlgValuesSupported = algs
					googleAlias = true
					continue
				}
			}
		}
		if !ok {
			missing = append(missing, s.name)
			ev = append(ev, engine.With(s.name, "missing"))
			continue
		}
		if problem := memberProblem(raw, s.array); problem != "" {
			wrong = append(wrong, s.name)
			ev = append(ev, engine.With(s.name, problem))
		}
	}
	if googleAlias {
		rep.Add("DSC003", "id_token_signing_alg_values_supported is missing; the document uses the pre-standard name id_token_alg_values_supported instead (Google's 2015 form): clients that read the standard member find nothing",
			engine.At(subj), engine.With("id_token_alg_values_supported", strings.Join(d.IDTokenSigningAlgValuesSupported, ", ")),
			engine.WithSeverity(engine.SeverityWarning),
			engine.FixHint("Fetch the provider's current discovery document; a copy this old is stale."))
	}
	if len(missing) == 0 && len(wrong) == 0 {
		return
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "missing: "+strings.Join(missing, ", "))
	}
	if len(wrong) > 0 {
		parts = append(parts, "of the wrong type or empty: "+strings.Join(wrong, ", "))
	}
	msg := "required members " + strings.Join(parts, "; ")
	fix := ""
	switch {
	case d.Members["keys"] != nil:
		msg += ". This is a JWK Set, not a discovery document: the URL is a jwks_uri"
		fix = "Point the client (server_metadata_url) at …/.well-known/openid-configuration, and use this URL as jwks_uri."
	case d.Kind == KindOIDC && slices.Contains(missing, "subject_types_supported") && slices.Contains(missing, "id_token_signing_alg_values_supported") && d.Members["userinfo_endpoint"] == nil:
		msg += ". The document looks like RFC 8414 OAuth 2.0 metadata (/.well-known/oauth-authorization-server), not an OpenID Connect discovery document"
		fix = "Use the provider's /.well-known/openid-configuration URL (for Keycloak: <base>/realms/<realm>/.well-known/openid-configuration)."
	case slices.Contains(missing, "jwks_uri"):
		fix = "Without jwks_uri no ID token can be verified (authlib: `Missing \"jwks_uri\" in metadata`): use the provider's OpenID Connect discovery URL, or set jwks_uri in remote_app."
	}
	opts := append([]engine.Opt{engine.At(subj)}, ev...)
	if fix != "" {
		opts = append(opts, engine.FixHint(fix))
	}
	rep.Add("DSC003", msg, opts...)
}

// memberProblem says what is wrong with a required member's value.
func memberProblem(raw json.RawMessage, array bool) string {
	if !array {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return typeName(raw) + ", want a string"
		}
		if strings.TrimSpace(s) == "" {
			return "an empty string"
		}
		return ""
	}
	var xs []any
	if json.Unmarshal(raw, &xs) != nil {
		if typeName(raw) == "a string" {
			return "a string, want an array of strings (space-separated values belong in an array)"
		}
		return typeName(raw) + ", want an array of strings"
	}
	if len(xs) == 0 {
		return "an empty array"
	}
	for _, x := range xs {
		if _, ok := x.(string); !ok {
			return "an array holding a non-string, want strings only"
		}
	}
	return ""
}

func implicitOnly(d *Discovery) bool {
	if len(d.ResponseTypesSupported) == 0 {
		return false
	}
	for _, rt := range d.ResponseTypesSupported {
		if strings.Contains(rt, "code") {
			return false
		}
	}
	for _, g := range d.GrantTypesSupported {
		if g == "authorization_code" || g == "refresh_token" || g == "client_credentials" {
			return false
		}
	}
	return true
}

// checkIssuer is DSC004.
func checkIssuer(rep *engine.Report, d *Discovery, subj engine.Subject, fetchedFrom, typed string, cands []string, wellKnown bool) {
	if d.Issuer == "" {
		return // DSC003 said so
	}
	if fetchedFrom == "" {
		d.Notes = append(d.Notes, "read from a file: the issuer cannot be compared with the URL the document is served at (DSC004); fetch it by URL to check")
		return
	}
	if typed != "" {
		cands = []string{typed}
	} else if !wellKnown {
		d.Notes = append(d.Notes, "the URL is not a /.well-known/ URL, so the issuer cannot be compared with it (DSC004)")
		return
	}
	if slices.Contains(cands, d.Issuer) || typed != "" && idp.GoogleIssuer(typed) && idp.GoogleIssuer(d.Issuer) {
		return
	}
	if note, ok := explainKnownIssuer(fetchedFrom, d.Issuer); ok {
		d.Notes = append(d.Notes, note)
		return
	}
	expected := cands[0]
	basis := "the URL the document was fetched from"
	if typed != "" {
		basis = "the issuer you gave"
	}
	diff := issuer.Compare(expected, d.Issuer)
	if len(cands) > 1 {
		// Either form of the prefix (with or without a final slash) is
		// acceptable; compare with the closer one.
		if alt := issuer.Compare(cands[1], d.Issuer); len(alt.Kinds) < len(diff.Kinds) {
			diff, expected = alt, cands[1]
		}
	}
	sev := engine.SeverityError
	msg := fmt.Sprintf("issuer %q differs from %s (%q): %s", d.Issuer, basis, expected, diff.Summary())
	fix := fmt.Sprintf("Use the document's issuer exactly (%q) wherever an issuer is configured, and fetch metadata from %s%s.", d.Issuer, strings.TrimSuffix(d.Issuer, "/"), WellKnownOIDC)
	if diff.InternalHost || slices.Contains(diff.Kinds, "scheme") {
		fix = "Make the IdP name itself after the URL clients use: for Keycloak set the hostname (KC_HOSTNAME, or the realm's Frontend URL) to the public https URL and enable proxy headers; otherwise fetch metadata from the URL the issuer names."
	}
	if len(diff.Kinds) == 1 && diff.Kinds[0] == "case" && strings.EqualFold(hostPart(expected), hostPart(d.Issuer)) && pathPart(expected) == pathPart(d.Issuer) {
		sev = engine.SeverityWarning
		msg += " (HTTP works either way; strict clients such as go-oidc compare exactly and fail, authlib compares the token's iss with this issuer and works)"
	}
	rep.Add("DSC004", msg, engine.At(subj),
		engine.With("fetched from", fetchedFrom),
		engine.With("expected issuer", expected),
		engine.With("document issuer", d.Issuer),
		engine.With("difference", strings.Join(diff.Kinds, ", ")),
		engine.With("first difference", fmt.Sprintf("character %d", diff.FirstDiff)))
	f := &rep.Findings[len(rep.Findings)-1]
	for _, h := range diff.Hints {
		f.Evidence = append(f.Evidence, engine.Evidence{Key: "likely cause", Value: h})
	}
	f.Severity, f.Fix = sev, fix
}

func hostPart(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Host
}

func pathPart(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return u.Path
}

// checkHTTPS is DSC005.
func checkHTTPS(rep *engine.Report, d *Discovery, subj engine.Subject) {
	var ev []engine.Opt
	var names []string
	for _, m := range []struct{ name, val string }{
		{"issuer", d.Issuer}, {"jwks_uri", d.JWKSURI}, {"authorization_endpoint", d.AuthorizationEndpoint},
		{"token_endpoint", d.TokenEndpoint}, {"userinfo_endpoint", d.UserinfoEndpoint},
	} {
		if m.val == "" {
			continue
		}
		u, err := url.Parse(m.val)
		switch {
		case m.name == "issuer" && m.val == "accounts.google.com" && d.Provider != nil && d.Provider.Name == "google":
			if !slices.ContainsFunc(d.Notes, func(n string) bool { return strings.Contains(n, "legacy issuer") }) {
				d.Notes = append(d.Notes, "Google's legacy issuer form \"accounts.google.com\" (no scheme): Google's libraries accept both it and https://accounts.google.com")
			}
		case err != nil || u.Scheme == "" || u.Host == "":
			names = append(names, m.name)
			ev = append(ev, engine.With(m.name, fmt.Sprintf("%s (not an absolute URL)", m.val)))
		case u.Scheme == "https":
		case isLoopback(u.Hostname()):
			// loopback development setups are exempt
		default:
			names = append(names, m.name)
			ev = append(ev, engine.With(m.name, m.val))
		}
	}
	if len(names) == 0 {
		return
	}
	msg := fmt.Sprintf("%s not https: %s", plural(len(names), "endpoint is", "endpoints are"), strings.Join(names, ", "))
	rep.Add("DSC005", msg, append([]engine.Opt{engine.At(subj)}, ev...)...)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// checkAlgs is DSC006.
func checkAlgs(rep *engine.Report, d *Discovery, subj engine.Subject) {
	algs := d.IDTokenSigningAlgValuesSupported
	if len(algs) == 0 {
		return // DSC003
	}
	var problems []string
	if slices.Contains(algs, "none") {
		problems = append(problems, "it offers \"none\" (unsigned ID tokens)")
	}
	if !slices.Contains(algs, "RS256") {
		problems = append(problems, "it lacks RS256, the one algorithm every client supports")
	}
	if len(problems) == 0 {
		return
	}
	rep.Add("DSC006", "id_token_signing_alg_values_supported: "+strings.Join(problems, "; "), engine.At(subj),
		engine.With("id_token_signing_alg_values_supported", strings.Join(algs, ", ")))
}

// isLoopback reports a loopback host (for DSC005's exception).
func isLoopback(h string) bool {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
