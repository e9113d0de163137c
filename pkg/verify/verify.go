// Package verify checks a decoded token's signature and claims against a
// key set and expectations, with golang-jwt and keyfunc, and turns every
// cause of failure into its own finding. It does no I/O: fetching extra
// key sets for the TOK004 diagnosis goes through a Prober.
package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/oidc"
	"github.com/authdoctor/authdoctor/pkg/token"
	"github.com/golang-jwt/jwt/v5"
)

// AsymmetricAlgs is the default allow-list: never none, no HMAC.
var AsymmetricAlgs = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// KeySet is a JWK Set as verification uses it: each key's public members
// as served (keyfunc is handed them, design.md's keyfunc trap).
type KeySet struct {
	Source string
	Keys   []map[string]any
	// parsed keeps each key's keyfunc by kid once made: a stream of
	// tokens (--batch, --scan) must not parse the same key per token.
	parsed sync.Map // kid → *parsedKey
}

type parsedKey struct {
	k    keyfunc.Keyfunc
	note string
	err  error
}

// keyfunc is usableKeyfunc(key) for the key found under kid, made once
// per kid (Find gives the same key for a kid every time).
func (k *KeySet) keyfunc(kid string, key map[string]any) (keyfunc.Keyfunc, string, error) {
	if p, ok := k.parsed.Load(kid); ok {
		pk := p.(*parsedKey)
		return pk.k, pk.note, pk.err
	}
	kf, note, err := usableKeyfunc(key)
	k.parsed.Store(kid, &parsedKey{kf, note, err})
	return kf, note, err
}

// ErrSingleJWK is returned (with a usable set of one) when the input is a
// single JWK rather than a JWK Set.
var ErrSingleJWK = errors.New("a single JWK, not a JWK Set")

// ParseKeySet reads a JWK Set with the one JWKS parser (oidc.ParseJWKS),
// without judging the keys. A single JWK is returned as a set of one
// together with ErrSingleJWK, so the caller decides whether that is
// acceptable (a local file) or a finding (a jwks_uri: authlib refuses it).
func ParseKeySet(source string, raw []byte) (*KeySet, error) {
	set, err := oidc.ParseJWKS(raw)
	if set == nil {
		return nil, fmt.Errorf("%s is not a JWK Set: %v", source, err)
	}
	ks := KeySetOf(source, set)
	if set.Single {
		return ks, ErrSingleJWK
	}
	return ks, nil
}

// KeySetOf is an analysed set as verification uses it.
func KeySetOf(source string, set *oidc.JWKS) *KeySet {
	ks := &KeySet{Source: source}
	for _, k := range set.Keys {
		var m map[string]any
		if json.Unmarshal(k.PublicJSON(), &m) == nil && m != nil {
			ks.Keys = append(ks.Keys, m)
		}
	}
	return ks
}

// Kids lists the key IDs in the set.
func (k *KeySet) Kids() []string {
	var out []string
	for _, key := range k.Keys {
		if s, ok := key["kid"].(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Find returns the key with this kid (matching x5t too, as v1 Entra
// tokens may carry only x5t).
func (k *KeySet) Find(kid string) (map[string]any, bool) {
	if k == nil || kid == "" {
		return nil, false
	}
	for _, key := range k.Keys {
		if s, _ := key["kid"].(string); s == kid {
			return key, true
		}
	}
	return nil, false
}

// Options are the expectations.
type Options struct {
	Now       time.Time
	Leeway    time.Duration
	Audiences []string
	// Algs is the allow-list (default AsymmetricAlgs).
	Algs []string
	// MetadataAlgs is id_token_signing_alg_values_supported when known.
	MetadataAlgs []string
	// Secret enables HS* verification (from --secret-file only).
	Secret []byte
	// Time context for TOK006/TOK007 messages (skew evidence).
	Time token.TimeContext
}

// Prober looks for the token's kid elsewhere when the set lacks it. Every
// method may return nil when it cannot (offline, not applicable).
type Prober interface {
	// Probes returns the places worth looking for kid, in rank order.
	Probe(ctx context.Context, d *token.Decoded, id token.Identified, ks *KeySet) []Probe
}

// Probe is one place that was checked for the kid.
type Probe struct {
	// Cause is the cause this probe tests, in words.
	Cause string
	// Where is the URL (or file) looked at.
	Where string
	// Found: the kid is there. Err: it could not be looked at.
	Found bool
	Err   string
	// Conclusion is the sentence when Found.
	Conclusion string
}

// Outcome summarises the verification for the result.
type Outcome struct {
	Kid       string `json:"kid,omitempty"`
	Alg       string `json:"alg"`
	KeyFound  bool   `json:"keyFound"`
	Signature string `json:"signature"` // verified, invalid, not-checked
	Reason    string `json:"reason,omitempty"`
	KeyIssuer string `json:"keyIssuer,omitempty"`
	Note      string `json:"note,omitempty"`
}

func keyfuncFor(key map[string]any) (keyfunc.Keyfunc, error) {
	if err := checkKeySize(key); err != nil {
		return nil, err
	}
	one, err := json.Marshal(map[string]any{"keys": []any{key}})
	if err != nil {
		return nil, err
	}
	return keyfunc.NewJWKSetJSON(one)
}

// usableKeyfunc turns one JWK into a keyfunc. jwkset also parses x5c; a
// certificate Go refuses (a negative serial number, as in the 2014 Entra
// certificates) must not hide a key whose n/e are fine: then the key's own
// members are used, and note says so.
func usableKeyfunc(key map[string]any) (k keyfunc.Keyfunc, note string, err error) {
	k, err = keyfuncFor(key)
	if err == nil {
		return k, "", nil
	}
	bare := map[string]any{}
	for m, v := range key {
		switch m {
		case "x5c", "x5t", "x5t#S256", "x5u":
		default:
			bare[m] = v
		}
	}
	k2, err2 := keyfuncFor(bare)
	if err2 != nil {
		return nil, "", err
	}
	msg := err.Error()
	if i := strings.Index(msg, "x509:"); i >= 0 {
		msg = msg[i:]
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	kid, _ := key["kid"].(string)
	return k2, fmt.Sprintf("the x5c certificate of key %s cannot be parsed (%s); the key's own members were used", kid, msg), nil
}

// ErrBadSignature means the key was usable and the signature does not
// verify with it.
var ErrBadSignature = errors.New("the signature does not verify")

// Signature checks only the signature of a compact JWS with one JWK for
// its header's alg (golang-jwt and keyfunc, as Verify does): nil when it
// verifies, ErrBadSignature when the key is usable and the signature is
// wrong, another error when the key cannot be used for alg. Nothing else
// (no claim, no allow-list) is judged: callers that model a library's own
// rules (pkg/authlib) decide those themselves.
func Signature(raw, alg string, key map[string]any) error {
	k, _, err := usableKeyfunc(key)
	if err != nil {
		return fmt.Errorf("the key cannot be used: %w", rootCause(err))
	}
	_, err = jwt.NewParser(jwt.WithValidMethods([]string{alg}), jwt.WithoutClaimsValidation()).Parse(raw, k.Keyfunc)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, jwt.ErrInvalidKeyType):
		return fmt.Errorf("the key cannot be used for %s: %w", alg, rootCause(err))
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return ErrBadSignature
	}
	return rootCause(err)
}

// Verify checks one token against a key set.
func Verify(ctx context.Context, rep *engine.Report, d *token.Decoded, id token.Identified, ks *KeySet, o Options, prober Prober) Outcome {
	out := verify(ctx, rep, d, id, ks, o, prober)
	if out.Signature == "not-checked" {
		// No signature check happened: still check the claims, so an
		// expired token with an unknown kid reports both causes.
		claimFindings(rep, d, id, jwt.NewValidator(parserOptions(o, nil)...).Validate(claimsOf(d)), o)
	}
	return out
}

func parserOptions(o Options, algs []string) []jwt.ParserOption {
	opts := []jwt.ParserOption{
		jwt.WithLeeway(o.Leeway), jwt.WithTimeFunc(func() time.Time { return o.Now }),
		jwt.WithIssuedAt(), jwt.WithJSONNumber(),
	}
	if algs != nil {
		opts = append(opts, jwt.WithValidMethods(algs))
	}
	if len(o.Audiences) > 0 {
		opts = append(opts, jwt.WithAudience(o.Audiences...))
	}
	return opts
}

func verify(ctx context.Context, rep *engine.Report, d *token.Decoded, id token.Identified, ks *KeySet, o Options, prober Prober) Outcome {
	out := Outcome{Kid: d.Kid(), Alg: d.Alg(), Signature: "not-checked"}
	algs := o.Algs
	if len(algs) == 0 {
		algs = AsymmetricAlgs
	}
	alg := d.Alg()
	subj := engine.At(engine.Subject{Name: d.Label + " header alg"})
	if strings.EqualFold(alg, "none") || d.SignatureLen == 0 {
		out.Reason = "unsigned (TOK002)"
		return out
	}
	if strings.HasPrefix(alg, "HS") && o.Secret == nil {
		rep.Add("TOK003", fmt.Sprintf("%s is signed with the symmetric %s but the keys in play are public keys: verifying it with a public key as an HMAC secret is the algorithm-confusion attack", the(d.Label), alg),
			subj, engine.With("alg", alg), engine.With("keys from", ks.Source),
			engine.FixHint("An IdP signs with its private key (RS256/ES256). A symmetric token either is forged or comes from a shared-secret setup: verify it only with --secret-file, never with a JWKS."))
		out.Reason = "algorithm confusion"
		return out
	}
	if !contains(algs, alg) {
		rep.Add("TOK003", fmt.Sprintf("%s uses %s, which is not in the allowed algorithms (%s)", the(d.Label), alg, strings.Join(algs, ", ")), subj, engine.With("alg", alg), engine.With("allowed", strings.Join(algs, ", ")))
		out.Reason = "algorithm not allowed"
		return out
	}
	if len(o.MetadataAlgs) > 0 && id.Kind != "access" && !contains(o.MetadataAlgs, alg) {
		rep.Add("TOK003", fmt.Sprintf("%s uses %s but the discovery document's id_token_signing_alg_values_supported is [%s]: clients that follow the metadata refuse it", the(d.Label), alg, strings.Join(o.MetadataAlgs, ", ")),
			subj, engine.With("alg", alg), engine.With("id_token_signing_alg_values_supported", strings.Join(o.MetadataAlgs, ", ")))
	}

	var kf jwt.Keyfunc
	if o.Secret != nil {
		if short := secretTooShort(rep, d, o.Secret); short {
			out.Reason = "shared secret too short"
			return out
		}
		secret := o.Secret
		kf = func(*jwt.Token) (any, error) { return secret, nil }
		out.KeyFound = true
	} else {
		kid := d.Kid()
		key, found := ks.Find(kid)
		if !found && kid == "" && len(ks.Keys) == 1 {
			key, found = ks.Keys[0], true
		}
		if !found {
			kidNotFound(ctx, rep, d, id, ks, prober)
			out.Reason = "kid not in the key set"
			return out
		}
		out.KeyFound = true
		out.KeyIssuer, _ = key["issuer"].(string)
		k, note, err := ks.keyfunc(kid, key)
		out.Note = note
		if err != nil {
			rep.Add("TOK005", fmt.Sprintf("the key %s in %s cannot be used to verify: %v", kid, ks.Source, rootCause(err)),
				engine.At(engine.Subject{URL: ks.Source, Name: "kid " + kid}), engine.With("kid", kid),
				engine.FixHint("The published key is malformed (see the jwks command's JWK004 findings): the IdP must publish valid key material."))
			out.Reason = "key unusable"
			return out
		}
		kf = k.Keyfunc
	}
	if o.Secret != nil {
		algs = []string{"HS256", "HS384", "HS512"}
	}
	opts := parserOptions(o, algs)
	_, err := jwt.NewParser(opts...).Parse(d.Raw, kf)
	switch {
	case err == nil:
		out.Signature = "verified"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		out.Signature = "invalid"
		out.Reason = "signature does not verify"
		rep.Add("TOK005", fmt.Sprintf("the signature of %s does not verify with key %s from %s", the(d.Label), d.Kid(), ks.Source),
			append([]engine.Opt{engine.At(engine.Subject{URL: ks.Source, Name: "kid " + d.Kid()}), engine.With("kid", d.Kid()), engine.With("alg", alg), engine.With("cause", rootCause(err).Error()),
				engine.With("likely", "the token was altered after signing, or the key set publishes other key material under this kid")}, keyHeaderEvidence(d, ks)...)...)
		// A bad signature stops golang-jwt before the claims: validate
		// them on their own so every cause is reported.
		err = jwt.NewValidator(opts...).Validate(claimsOf(d))
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		out.Signature = "invalid"
		out.Reason = "unverifiable"
		rep.Add("TOK005", fmt.Sprintf("%s could not be verified with key %s: %s", the(d.Label), d.Kid(), unverifiable(err)),
			append([]engine.Opt{engine.At(engine.Subject{URL: ks.Source, Name: "kid " + d.Kid()}), engine.With("kid", d.Kid()), engine.With("alg", alg)},
				keyHeaderEvidence(d, ks)...)...)
		err = jwt.NewValidator(opts...).Validate(claimsOf(d))
	case errors.Is(err, jwt.ErrTokenInvalidClaims):
		out.Signature = "verified" // the signature is good; the claims are not
	default:
		out.Signature = "invalid"
		out.Reason = rootCause(err).Error()
		rep.Add("TOK005", fmt.Sprintf("%s could not be verified: %v", the(d.Label), rootCause(err)),
			engine.At(engine.Subject{URL: ks.Source, Name: "kid " + d.Kid()}), engine.With("kid", d.Kid()))
	}
	claimFindings(rep, d, id, err, o)
	return out
}

// secretTooShort is TOK003 for an HMAC secret shorter than the hash: RFC
// 7518 §3.2 requires at least as many bytes (32 for HS256), and RFC 8725
// §3.5 warns that a short secret can be found by brute force, so anyone
// could have signed the token.
func secretTooShort(rep *engine.Report, d *token.Decoded, secret []byte) bool {
	need := map[string]int{"HS256": 32, "HS384": 48, "HS512": 64}[d.Alg()]
	if need == 0 || len(secret) >= need {
		return false
	}
	rep.Add("TOK003", fmt.Sprintf("%s is signed with %s, but the shared secret is %d bytes, fewer than the %d that %s requires: a secret that short can be guessed, so the signature proves nothing", the(d.Label), d.Alg(), len(secret), need, d.Alg()),
		engine.At(engine.Subject{Name: d.Label + " header alg"}), engine.With("alg", d.Alg()), engine.With("secret", fmt.Sprintf("%d bytes (value %s)", len(secret), engine.Redacted)),
		engine.FixHint(fmt.Sprintf("Use a random secret of at least %d bytes (RFC 7518 §3.2), or better an asymmetric algorithm (RS256).", need)))
	return true
}

func claimsOf(d *token.Decoded) jwt.MapClaims { return jwt.MapClaims(d.Claims.Map()) }

// claimFindings emits one finding per cause golang-jwt joined.
func claimFindings(rep *engine.Report, d *token.Decoded, id token.Identified, err error, o Options) {
	// golang-jwt accepts a token without aud even when an audience is
	// expected; a verifier must not.
	if len(o.Audiences) > 0 && len(token.Audiences(d.Claims)) == 0 && !errors.Is(err, jwt.ErrTokenInvalidAudience) {
		audienceFinding(rep, d, id, o.Audiences)
	}
	if err == nil {
		return
	}
	tc := o.Time
	tc.Now, tc.Leeway = o.Now, o.Leeway
	// ErrInvalidType: a time claim that is not a number. golang-jwt
	// reports it but says nothing of which claim; token.CheckTimes names
	// it (TOK001), as it names the expired and future ones (TOK006,
	// TOK007).
	if errors.Is(err, jwt.ErrTokenExpired) || errors.Is(err, jwt.ErrTokenNotValidYet) || errors.Is(err, jwt.ErrTokenUsedBeforeIssued) ||
		errors.Is(err, jwt.ErrInvalidType) {
		token.CheckTimes(rep, d, tc)
	}
	if errors.Is(err, jwt.ErrTokenInvalidAudience) {
		audienceFinding(rep, d, id, o.Audiences)
	}
}

func audienceFinding(rep *engine.Report, d *token.Decoded, id token.Identified, want []string) {
	got := token.Audiences(d.Claims)
	ev := []engine.Opt{engine.At(engine.Subject{Name: d.Label + " claim aud"}),
		engine.With("aud", strings.Join(got, ", ")), engine.With("expected", strings.Join(want, ", "))}
	var hints []string
	for _, w := range want {
		for _, g := range got {
			wg, gg := strings.TrimPrefix(w, "api://"), strings.TrimPrefix(g, "api://")
			if wg == gg && w != g {
				hints = append(hints, fmt.Sprintf("%q and %q name the same Azure app: one is the client ID, the other the App ID URI; v1 access tokens carry whichever the client asked for (scope api://…/.default gives api://…), v2 tokens always the client ID", w, g))
			}
			if strings.TrimRight(w, "/") == strings.TrimRight(g, "/") && w != g {
				hints = append(hints, fmt.Sprintf("%q and %q differ only in the trailing slash; audiences are compared exactly (Auth0 API identifiers included)", w, g))
			}
		}
	}
	if len(got) == 0 {
		hints = append(hints, "the token has no aud claim (Cognito access tokens carry client_id instead)")
	}
	for _, g := range got {
		if g == "account" && id.IdP == "keycloak" {
			hints = append(hints, "Keycloak puts aud \"account\" in access tokens unless an audience mapper adds your client: add an Audience mapper to the client scope")
		}
		if token.IsGraphAudience(g) {
			hints = append(hints, "this is a Microsoft Graph token (see TOK009): request a token for your own API")
		}
	}
	if id.Kind == "access" && len(hints) == 0 {
		hints = append(hints, "this access token was issued for another API; request one for yours (its scope) or check the ID token instead")
	}
	for i, h := range hints {
		ev = append(ev, engine.With(fmt.Sprintf("hint %d", i+1), h))
	}
	rep.Add("TOK008", fmt.Sprintf("%s was issued for audience %s, not for %s", the(d.Label), quoteList(got), quoteList(want)), ev...)
}

// kidNotFound reports TOK004 with the causes ranked by evidence.
func kidNotFound(ctx context.Context, rep *engine.Report, d *token.Decoded, id token.Identified, ks *KeySet, prober Prober) {
	kid := d.Kid()
	kids := ks.Kids()
	sort.Strings(kids)
	ev := []engine.Opt{engine.At(engine.Subject{URL: ks.Source, Name: "kid " + kid}),
		engine.With("token kid", orNone(kid)), engine.With("keys in "+ks.Source, orNone(strings.Join(kids, ", ")))}
	ev = append(ev, keyHeaderEvidence(d, ks)...)
	msg := fmt.Sprintf("no key in %s has kid %q", ks.Source, kid)
	if kid == "" {
		msg = fmt.Sprintf("%s has no kid and %s holds %d keys: the verifier cannot tell which key signed it", the(d.Label), ks.Source, len(ks.Keys))
	}
	var causes []string
	if id.Has("graph") {
		causes = append(causes, "a Microsoft Graph token (nonce in the header / Graph audience): Graph tokens are not signed for your app (TOK009)")
	}
	if prober != nil {
		for _, p := range prober.Probe(ctx, d, id, ks) {
			switch {
			case p.Found:
				causes = append([]string{p.Conclusion}, causes...)
				ev = append(ev, engine.With("checked "+p.Where, "kid present"))
			case p.Err != "":
				ev = append(ev, engine.With("checked "+p.Where, "could not look: "+p.Err))
			default:
				ev = append(ev, engine.With("checked "+p.Where, "kid absent ("+p.Cause+": ruled out)"))
			}
		}
	}
	if len(causes) == 0 {
		causes = append(causes, "keys of another tenant, realm, cloud or IdP than the one that issued the token (compare the token's iss with where these keys came from)",
			"a rotated key with a stale key cache (the IdP no longer or not yet publishes this kid)")
		if id.IdP == "azure" {
			causes = append(causes, "an Entra app with its own signing keys: its keys are at jwks_uri?appid=<client_id>")
		}
	}
	for i, c := range causes {
		ev = append(ev, engine.With(fmt.Sprintf("cause %d", i+1), c))
	}
	rep.Add("TOK004", msg, ev...)
}

// keyHeaderEvidence says that the header's own key references (jwk, jku,
// x5u, x5c) were ignored: a token naming the key to check it with proves
// nothing (RFC 8725 §3.10); they are never fetched.
func keyHeaderEvidence(d *token.Decoded, ks *KeySet) []engine.Opt {
	var out []engine.Opt
	for _, k := range token.KeyHeaders(d.Header) {
		what := "an embedded key"
		if u := d.Header.String(k); u != "" && (k == "jku" || k == "x5u") {
			what = u
		}
		out = append(out, engine.With("header "+k, what+": ignored, never fetched or trusted; keys come only from "+ks.Source+" (RFC 8725 §3.10)"))
	}
	return out
}

// unverifiable says why golang-jwt and keyfunc could not use the key: the
// whole message without their prefixes (the innermost error alone is
// keyfunc's bare "failed keyfunc", which names no cause).
func unverifiable(err error) string {
	msg := err.Error()
	for _, p := range []string{"token is unverifiable: ", "error while executing keyfunc: ", "failed keyfunc: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return msg
}

// rootCause follows wrapped errors (golang-jwt joins several with
// Unwrap() []error; the last is the underlying cause).
func rootCause(err error) error {
	for i := 0; i < 32; i++ {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			es := j.Unwrap()
			if len(es) == 0 {
				return err
			}
			err = es[len(es)-1]
			continue
		}
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
	return err
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func quoteList(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

func the(label string) string { return "the " + label }

// CheckClaims validates the time claims and the audience without a key
// (when no key set could be had), one finding per cause.
func CheckClaims(rep *engine.Report, d *token.Decoded, id token.Identified, o Options) {
	claimFindings(rep, d, id, jwt.NewValidator(parserOptions(o, nil)...).Validate(claimsOf(d)), o)
}
