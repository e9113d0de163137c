package authlib

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/verify"
)

// DefaultLeeway is FlaskOAuth2App.authorize_access_token's leeway.
const DefaultLeeway = 120 * time.Second

// KeyFetcher GETs a jwks_uri for fetch_jwk_set; force is the re-fetch
// create_load_key makes when the kid is not in the set.
type KeyFetcher func(ctx context.Context, url string, force bool) *netx.Result

// ParseInput is what authorize_access_token hands to parse_id_token.
type ParseInput struct {
	Token *Token
	// Nonce is the nonce of the saved state data ("" when the request
	// carried none: parse_id_token is then not called at all).
	Nonce  string
	Now    time.Time
	Leeway time.Duration
	Fetch  KeyFetcher
}

// Rule is one check authlib made, in its order.
type Rule struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// IDTokenResult is what parse_id_token did.
type IDTokenResult struct {
	// Parsed is false when authorize_access_token does not call
	// parse_id_token; Skipped says why.
	Parsed  bool           `json:"parsed"`
	Skipped string         `json:"skipped,omitempty"`
	Header  map[string]any `json:"header,omitempty"`
	Claims  map[string]any `json:"claims,omitempty"`
	// Algorithms are the allowed algorithms and where they came from.
	Algorithms     []string `json:"algorithms,omitempty"`
	AlgorithmsFrom string   `json:"algorithmsFrom,omitempty"`
	// Issuer is the exact iss required ("" when the metadata has none:
	// then iss is not checked at all).
	Issuer    string `json:"issuer,omitempty"`
	IssuerSet bool   `json:"issuerChecked"`
	// KeysFrom names the key set; Refetched says the forced re-fetch ran.
	KeysFrom  string         `json:"keysFrom,omitempty"`
	Refetched bool           `json:"refetched,omitempty"`
	Key       map[string]any `json:"key,omitempty"`
	// Rules are the checks authlib made, in order, up to the first that
	// failed.
	Rules []Rule `json:"rules"`
	// Raised is the exception, nil when the ID token was accepted.
	Raised *Raised `json:"raised,omitempty"`
	// Cause explains Raised with the values involved, and CauseCheck is
	// the authdoctor check that describes that cause; Fix, when set, is
	// the change that removes it.
	Cause      string `json:"cause,omitempty"`
	CauseCheck string `json:"causeCheck,omitempty"`
	Fix        string `json:"fix,omitempty"`
}

func (r *IDTokenResult) pass(name, detail string) {
	r.Rules = append(r.Rules, Rule{name, true, detail})
}

// fail records the failing rule and the exception; it returns r so a
// step can end with `return r.fail(…)`.
func (r *IDTokenResult) fail(name, detail string, raised *Raised, check string) *IDTokenResult {
	r.Rules = append(r.Rules, Rule{name, false, detail})
	r.Raised, r.Cause, r.CauseCheck = raised, detail, check
	return r
}

// ParseIDToken runs FlaskOAuth2App.authorize_access_token's ID-token step:
// when the response has an id_token and the state data a nonce,
// OpenIDMixin.parse_id_token with its defaults (claims_options pinning iss
// to the metadata's issuer, CodeIDToken with the access token, leeway 120
// s). Signatures are verified with pkg/verify on the key authlib picks.
func (c *Client) ParseIDToken(ctx context.Context, in ParseInput) *IDTokenResult {
	r := &IDTokenResult{Rules: []Rule{}}
	if !in.Token.Has("id_token") {
		r.Skipped = "the token response has no id_token"
		return r
	}
	if in.Nonce == "" {
		r.Skipped = "the authorization request carried no nonce (no openid in the scope), so authorize_access_token does not call parse_id_token"
		return r
	}
	r.Parsed = true
	if in.Leeway == 0 {
		in.Leeway = DefaultLeeway
	}
	raw, isStr := in.Token.vals["id_token"].(string)
	if !isStr {
		return r.fail("decode", "id_token is not a string", &Raised{Class: "AttributeError", Message: "the id_token member is not a string", Approximate: true, Where: whereJWT}, "TOK001")
	}
	c.algorithms(r)
	if iss, ok := c.Metadata.Get("issuer"); ok {
		r.Issuer, r.IssuerSet = fab.PyStr(iss), true
	}
	payload, sig, ok := c.decodeCompact(r, raw)
	if !ok {
		return r
	}
	if !c.checkAlgAndKey(ctx, r, in, raw, sig) {
		return r
	}
	r.Claims = payload
	c.validateClaims(r, in)
	return r
}

// algorithms: JsonWebToken(id_token_signing_alg_values_supported) when the
// metadata lists some, else authlib's module-level jwt with every
// registered algorithm, "none" included.
func (c *Client) algorithms(r *IDTokenResult) {
	if v, ok := c.Metadata.Get("id_token_signing_alg_values_supported"); ok && truthy(v) {
		if l, isList := v.([]any); isList {
			for _, a := range l {
				r.Algorithms = append(r.Algorithms, fab.PyStr(a))
			}
			r.AlgorithmsFrom = "the metadata's id_token_signing_alg_values_supported"
			return
		}
	}
	r.Algorithms = defaultAlgorithms
	r.AlgorithmsFrom = "every algorithm authlib registers (the metadata lists no id_token_signing_alg_values_supported)"
}

// decodeCompact is JsonWebToken.decode and JsonWebSignature's
// deserialize_compact up to the algorithm: segments, header, payload,
// signature, each failure worded as authlib raises it.
func (c *Client) decodeCompact(r *IDTokenResult, raw string) (payload map[string]any, sig []byte, ok bool) {
	dots := strings.Count(raw, ".")
	switch dots {
	case 2:
	case 4:
		r.fail("decode", "the id_token is an encrypted JWE (five segments): authlib would decrypt it with a key from the key set, which this model does not do",
			&Raised{Class: "(JWE)", Message: "an encrypted ID token is not modelled", Approximate: true, Where: whereJWT}, "TOK001")
		return nil, nil, false
	default:
		r.fail("decode", fmt.Sprintf("the id_token has %d dots; a JWS has 2", dots), joseError("DecodeError", "Invalid input segments length", "", whereJWT), "TOK001")
		return nil, nil, false
	}
	parts := strings.Split(raw, ".")
	hb, good := b64decode(parts[0])
	if !good {
		r.fail("decode", "the header segment is not base64url", joseError("DecodeError", "Invalid header padding", "", whereJWS), "TOK001")
		return nil, nil, false
	}
	h, isJSON := jsonValue(hb)
	hm, isObj := h.(map[string]any)
	switch {
	case !isJSON:
		r.fail("decode", "the header is not JSON", &Raised{Class: "DecodeError", Message: "Invalid header string: (json.loads' message)", Approximate: true, Where: whereJWS}, "TOK001")
		return nil, nil, false
	case !isObj:
		r.fail("decode", "the header is JSON but not an object", joseError("DecodeError", "Header must be a json object", "", whereJWS), "TOK001")
		return nil, nil, false
	}
	r.Header = hm
	pb, good := b64decode(parts[1])
	if !good {
		r.fail("decode", "the payload segment is not base64url", joseError("DecodeError", "Invalid payload padding", "", whereJWS), "TOK001")
		return nil, nil, false
	}
	p, isJSON := jsonValue(pb)
	pm, isObj := p.(map[string]any)
	switch {
	case !isJSON:
		r.fail("decode", "the payload is not JSON", joseError("DecodeError", "Invalid payload value", "", whereJWT), "TOK001")
		return nil, nil, false
	case !isObj:
		r.fail("decode", "the payload is JSON but not an object", joseError("DecodeError", "Invalid payload type", "", whereJWT), "TOK001")
		return nil, nil, false
	}
	sig, good = b64decode(parts[2])
	if !good {
		r.fail("decode", "the signature segment is not base64url", joseError("DecodeError", "Invalid signature padding", "", whereJWS), "TOK001")
		return nil, nil, false
	}
	r.pass("decode", "a JWS: header, payload and signature decode")
	return pm, sig, true
}

// checkAlgAndKey is _prepare_algorithm_key, the key loading of
// create_load_key and the signature check.
func (c *Client) checkAlgAndKey(ctx context.Context, r *IDTokenResult, in ParseInput, raw string, sig []byte) bool {
	av, has := r.Header["alg"]
	if !has {
		r.fail("alg", "the header has no alg", joseError("MissingAlgorithmError", "missing_algorithm", "", whereJWS), "TOK003")
		return false
	}
	alg, _ := av.(string)
	if !contains(r.Algorithms, alg) || keyClass(alg) == "" && alg != "none" {
		r.fail("alg", fmt.Sprintf("alg %s is not among the allowed algorithms [%s] (%s)", repr(av), strings.Join(r.Algorithms, ", "), r.AlgorithmsFrom),
			joseError("UnsupportedAlgorithmError", "unsupported_algorithm", "", whereJWS), "TOK003")
		return false
	}
	r.pass("alg", fmt.Sprintf("%s is allowed (%s)", alg, r.AlgorithmsFrom))
	key, ok := c.loadKey(ctx, r, in)
	if !ok {
		return false
	}
	r.Key = key
	if alg == "none" {
		if len(sig) != 0 {
			r.fail("signature", "alg none with a non-empty signature", joseError("BadSignatureError", "bad_signature", "", whereJWS), "TOK002")
			return false
		}
		r.pass("signature", "UNSIGNED: alg none is allowed because the metadata lists no id_token_signing_alg_values_supported, and authlib accepts an empty signature")
		return true
	}
	return c.checkSignature(r, raw, alg, key)
}

// loadKey is create_load_key's load_key: fetch_jwk_set, import_key_set,
// find_by_kid, and on a miss one forced re-fetch.
func (c *Client) loadKey(ctx context.Context, r *IDTokenResult, in ParseInput) (map[string]any, bool) {
	kid, hasKid := r.Header["kid"]
	set, ok := c.fetchJWKSet(ctx, r, in, false)
	if !ok {
		return nil, false
	}
	keys, ok := importKeySet(r, set)
	if !ok {
		return nil, false
	}
	if k, found := findByKid(keys, kid, hasKid); found {
		if !hasKid || kid == nil {
			r.pass("key", fmt.Sprintf("the token has no kid and %s holds one key: that key", r.KeysFrom))
		} else {
			r.pass("key", fmt.Sprintf("kid %s found in %s", repr(kid), r.KeysFrom))
		}
		return k, true
	}
	r.Refetched = true
	set, ok = c.fetchJWKSet(ctx, r, in, true)
	if !ok {
		return nil, false
	}
	if keys, ok = importKeySet(r, set); !ok {
		return nil, false
	}
	if k, found := findByKid(keys, kid, hasKid); found {
		r.pass("key", fmt.Sprintf("kid %s found in %s after the forced re-fetch", repr(kid), r.KeysFrom))
		return k, true
	}
	detail := fmt.Sprintf("no key with kid %s in %s (%d key(s), re-fetched once)", repr(kid), r.KeysFrom, len(keys))
	if !hasKid {
		detail = fmt.Sprintf("the token has no kid and %s holds %d keys", r.KeysFrom, len(keys))
	}
	r.fail("key", detail, pyError("ValueError", "Invalid JSON Web Key Set", whereKeySet), "TOK004")
	return nil, false
}

// fetchJWKSet is OpenIDMixin.fetch_jwk_set: the metadata's jwks unless
// forced, else GET jwks_uri (raise_for_status, json).
func (c *Client) fetchJWKSet(ctx context.Context, r *IDTokenResult, in ParseInput, force bool) (any, bool) {
	if v, ok := c.Metadata.Get("jwks"); ok && truthy(v) && !force {
		r.KeysFrom = "the jwks of the fetched metadata"
		if c.Metadata.From("jwks") == "remote_app" {
			r.KeysFrom = "the jwks in remote_app (server metadata)"
		}
		return v, true
	}
	uri := c.JWKSURI()
	if uri.URL == "" || !truthy(c.mustMeta("jwks_uri")) {
		detail := "the server metadata has no jwks_uri (remote_app gives none and there is no server_metadata_url document with one)"
		if force {
			detail = "the kid is not in the metadata's jwks, and the forced re-fetch needs a jwks_uri, which the metadata lacks"
		}
		r.fail("key", detail, pyError("RuntimeError", `Missing "jwks_uri" in metadata`, whereJWKSet), "CFG004")
		return nil, false
	}
	r.KeysFrom = uri.URL
	if in.Fetch == nil {
		r.fail("key", "the key set was not fetched", &Raised{Class: "(not fetched)", Message: uri.URL, Approximate: true, Where: whereJWKSet}, "JWK001")
		return nil, false
	}
	res := in.Fetch(ctx, uri.URL, force)
	if raised := RequestsError(res, whereJWKSet); raised != nil {
		r.fail("key", "the key set at "+uri.URL+" could not be had: "+raised.Message, raised, "JWK001")
		return nil, false
	}
	v, isJSON := jsonValue(res.Body)
	if !isJSON {
		raised := JSONDecodeError(res.Body, whereJWKSet)
		r.fail("key", uri.URL+" does not serve JSON", raised, "JWK002")
		return nil, false
	}
	return v, true
}

func (c *Client) mustMeta(k string) any { v, _ := c.Metadata.Get(k); return v }

// importKeySet is JsonWebKey.import_key_set: a dict with "keys" (or a
// list), each key imported by its kty with its required fields.
func importKeySet(r *IDTokenResult, set any) ([]map[string]any, bool) {
	var keys []any
	switch x := set.(type) {
	case map[string]any:
		l, ok := x["keys"]
		if !ok {
			r.fail("key", r.KeysFrom+" is a JSON object without keys (a single JWK is not a set)", pyError("ValueError", "Invalid key set format", "authlib/jose/rfc7517/jwk.py: JsonWebKey.import_key_set"), "JWK002")
			return nil, false
		}
		keys, ok = l.([]any)
		if !ok {
			r.fail("key", r.KeysFrom+`: "keys" is not a list`, &Raised{Class: "TypeError", Message: `"keys" is not a list`, Approximate: true, Where: "authlib/jose/rfc7517/jwk.py: JsonWebKey.import_key_set"}, "JWK002")
			return nil, false
		}
	case []any:
		keys = x
	default:
		r.fail("key", r.KeysFrom+" is not a JWK Set", pyError("ValueError", "Invalid key set format", "authlib/jose/rfc7517/jwk.py: JsonWebKey.import_key_set"), "JWK002")
		return nil, false
	}
	out := make([]map[string]any, 0, len(keys))
	for i, k := range keys {
		m, _ := k.(map[string]any)
		kty, _ := m["kty"].(string)
		cls := ktyClass(kty)
		known := cls != ""
		switch {
		case m == nil || m["kty"] == nil:
			r.fail("key", fmt.Sprintf("key %d of %s has no kty", i, r.KeysFrom), &Raised{Class: "TypeError", Message: "a key without kty is read as PEM and fails", Approximate: true, Where: "authlib/jose/rfc7517/jwk.py: JsonWebKey.import_key"}, "JWK004")
			return nil, false
		case !known:
			r.fail("key", fmt.Sprintf("key %d of %s has kty %s, which authlib does not know: the whole set fails to import", i, r.KeysFrom, repr(m["kty"])), pyError("KeyError", fab.Repr(m["kty"]), "authlib/jose/rfc7517/jwk.py: JsonWebKey.import_key"), "JWK004")
			return nil, false
		}
		for _, f := range requiredFields(cls) {
			if _, ok := m[f]; !ok {
				r.fail("key", fmt.Sprintf("key %d of %s (%s) lacks %q: the whole set fails to import", i, r.KeysFrom, kty, f),
					pyError("ValueError", `Missing required field: "`+f+`"`, "authlib/jose/rfc7517/base_key.py: Key.check_required_fields"), "JWK004")
				return nil, false
			}
		}
		out = append(out, m)
	}
	return out, true
}

// findByKid is KeySet.find_by_kid: the only key when the token has no kid
// and the set one key, else the key whose kid equals the header's.
func findByKid(keys []map[string]any, kid any, hasKid bool) (map[string]any, bool) {
	if (!hasKid || kid == nil) && len(keys) == 1 {
		return keys[0], true
	}
	for _, k := range keys {
		kk, has := k["kid"]
		if (!hasKid || kid == nil) && (!has || kk == nil) {
			return k, true // None == None
		}
		if has && hasKid && kid != nil && pyEqual(kk, kid) {
			return k, true
		}
	}
	return nil, false
}

// checkSignature is algorithm.prepare_key and algorithm.verify: the key
// class must suit the algorithm (else bytes(key) raises TypeError), its
// key_ops and use must allow verify (Key.check_key_op), and the signature
// must verify (BadSignatureError).
func (c *Client) checkSignature(r *IDTokenResult, raw, alg string, key map[string]any) bool {
	kty, _ := key["kty"].(string)
	if have, want := ktyClass(kty), keyClass(alg); have != want {
		// prepare_key(key) of another class falls through to
		// to_bytes(key) → bytes(key), which iterates the Key through
		// its __getitem__: tokens[0] raises KeyError: 0.
		r.fail("signature", fmt.Sprintf("%s needs an %s and the key with kid %s is an %s (kty %s)", alg, want, fab.Repr(key["kid"]), have, kty),
			pyError("KeyError", "0", "authlib/jose/rfc7518/jws_algs.py: prepare_key → authlib/common/encoding.py: to_bytes"), "TOK003")
		return false
	}
	if ops, ok := key["key_ops"]; ok && ops != nil {
		if l, _ := ops.([]any); !containsAny(l, "verify") {
			r.fail("signature", fmt.Sprintf("the key's key_ops %s lack verify", repr(ops)), pyError("ValueError", `Unsupported key_op "verify"`, "authlib/jose/rfc7517/base_key.py: Key.check_key_op"), "JWK004")
			return false
		}
	}
	if use, ok := key["use"]; ok && truthy(use) && !pyEqual(use, "sig") {
		raised := joseError("InvalidUseError", "invalid_use", "Key 'use' is not valid for your usage", "authlib/jose/rfc7517/base_key.py: Key.check_key_op")
		raised.Legacy = `invalid_use: Key "use" is not valid for your usage`
		r.fail("signature", fmt.Sprintf("the key's use is %s, not \"sig\"", repr(use)), raised, "JWK004")
		return false
	}
	// authlib reads neither the key's alg nor x5c when verifying: hand
	// pkg/verify the key material alone.
	bare := map[string]any{}
	for k, v := range key {
		switch k {
		case "alg", "use", "key_ops":
		default:
			bare[k] = v
		}
	}
	err := verify.Signature(raw, alg, bare)
	switch {
	case err == nil:
		r.pass("signature", fmt.Sprintf("%s signature verifies with kid %s", alg, repr(key["kid"])))
		return true
	case errors.Is(err, verify.ErrBadSignature):
		r.fail("signature", fmt.Sprintf("the %s signature does not verify with kid %s from %s", alg, repr(key["kid"]), r.KeysFrom), joseError("BadSignatureError", "bad_signature", "", whereJWS), "TOK005")
	default:
		r.fail("signature", fmt.Sprintf("the key %s cannot verify %s: %v", repr(key["kid"]), alg, err), &Raised{Class: "ValueError", Message: err.Error(), Approximate: true, Where: whereJWS}, "TOK005")
	}
	return false
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func containsAny(l []any, s string) bool {
	for _, x := range l {
		if pyEqual(x, s) {
			return true
		}
	}
	return false
}
