package usercode

import (
	"encoding/json"
	"fmt"

	"github.com/authdoctor/authdoctor/pkg/pyread"
	"github.com/authdoctor/authdoctor/pkg/verify"
)

// jwt.PyJWKClient with the keys at hand: when the login's key sets hold
// the set at the client's URL (doctor fetched it), get_signing_key* pick
// the key as PyJWT 2.6's client does (jwks_client.py: signing keys are
// those with use sig or none and a kid; the kid must match) and a
// jwt.decode with its .key checks the signature in Go. Without the set,
// the fetch happens at login: unknown.

// jwkKey is a PyJWK's .key: the JWK the signature is checked with.
type jwkKey struct {
	object
	jwk map[string]any
}

// signingKeys are the keys of a set PyJWKClient takes for signing.
func signingKeys(body []byte) ([]map[string]any, error) {
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, err
	}
	var out []map[string]any
	for _, k := range set.Keys {
		use, hasUse := k["use"]
		kid, _ := k["kid"].(string)
		if (!hasUse || use == nil || use == "sig") && kid != "" {
			out = append(out, k)
		}
	}
	return out, nil
}

// signingKey is get_signing_key(kid) on the set at uri.
func (s *session) signingKey(uri string, kid pyread.Value, line int) pyread.Value {
	body, ok := s.e.in.KeySets[uri]
	if !ok {
		return unknown("PyJWKClient fetches the key set %s at login: authdoctor does not have it here", uri)
	}
	keys, err := signingKeys(body)
	if err != nil {
		return unknown("the key set %s is not a JWK Set: %v", uri, err)
	}
	if len(keys) == 0 {
		return pyread.Raise(jx("PyJWKClientError"), "The JWKS endpoint did not contain any signing keys")
	}
	want, _ := str(kid)
	for _, k := range keys {
		if k["kid"] == want && want != "" {
			return s.pyjwk(k, line)
		}
	}
	shown := want
	if isNone(kid) {
		shown = "None"
	}
	return pyread.Raise(jx("PyJWKClientError"), fmt.Sprintf("Unable to find a signing key that matches: \"%s\"", shown))
}

// pyjwk is a PyJWK: .key, .key_id.
func (s *session) pyjwk(k map[string]any, line int) pyread.Value {
	key := &jwkKey{object: object{typ: "RSAPublicKey"}, jwk: k}
	kid, _ := k["kid"].(string)
	return (&object{typ: "PyJWK", attr: func(name string, l int) (pyread.Value, bool) {
		switch name {
		case "key":
			return pyread.NewHost(key), true
		case "key_id":
			return pyread.FromGo(kid, l), true
		}
		return unknown("PyJWK.%s is not modelled", name), true
	}}).value()
}

// verifyWithJWK checks a token's signature with a PyJWK's key.
func verifyWithJWK(tok *jws, alg string, k *jwkKey) pyread.Value {
	raw := tok.signingInput + "." + tok.signatureSeg
	if err := verify.Signature(raw, alg, k.jwk); err != nil {
		return pyread.Raise(jx("InvalidSignatureError"), "Signature verification failed")
	}
	return nil
}
