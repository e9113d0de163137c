package usercode

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/pyread"
	"github.com/golang-jwt/jwt/v5"
)

// PyJWT's signature and claim checks (PyJWS._verify_signature,
// PyJWT._validate_claims), in PyJWT's order.

// pyjwtAlgorithms are the algorithms PyJWT 2.6 registers with
// cryptography installed (algorithms.get_default_algorithms).
func pyjwtAlgorithm(alg string) bool {
	switch alg {
	case "none", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES256K", "ES384", "ES521", "ES512", "PS256", "PS384", "PS512", "EdDSA":
		return true
	}
	return false
}

// msgDeserialize is cryptography's ValueError for a key that is not PEM
// (cryptography 38 on OpenSSL 3, what Debian 12 installs).
const msgDeserialize = "('Could not deserialize key data. The data may be in an incorrect format, it may be encrypted with an unsupported algorithm, or it may be an unsupported key type (e.g. EC curves with explicit parameters).', [_OpenSSLErrorWithText(code=75497580, lib=9, reason=108, reason_text=b'error:0480006C:PEM routines::no start line')])"

// verifySignature is PyJWS._verify_signature: the algorithm allowed,
// the key prepared as the algorithm's prepare_key does, the signature
// checked (in Go, with the same algorithm).
func (s *session) verifySignature(tok *jws, key, algorithms pyread.Value) pyread.Value {
	av, _ := tok.header.Lookup("alg")
	if t, _ := truth(av); !t {
		return pyread.Raise(jx("InvalidAlgorithmError"), "The specified alg value is not allowed")
	}
	if algorithms != nil && !isNone(algorithms) {
		in, bad := contains(algorithms, av)
		if bad != nil {
			return bad
		}
		if !in {
			return pyread.Raise(jx("InvalidAlgorithmError"), "The specified alg value is not allowed")
		}
	}
	alg, ok := str(av)
	if !ok || !pyjwtAlgorithm(alg) {
		return pyread.Raise(jx("InvalidAlgorithmError"), "Algorithm not supported")
	}
	if u, ok := key.(*pyread.Unresolved); ok {
		if s.e.lint {
			// lint's representative login: the IdP signs real tokens
			// with the key the deployment gives the code; what the code
			// does with the claims is what lint is after
			return nil
		}
		return u
	}
	if h, ok := key.(*pyread.HostValue); ok {
		if jk, ok := h.Host.(*jwkKey); ok {
			return verifyWithJWK(tok, alg, jk)
		}
	}
	k, bad := prepareKey(alg, key)
	if bad != nil {
		return bad
	}
	if s.e.lint {
		return nil // as above: assumed signed by the IdP with this key
	}
	if alg == "none" {
		return pyread.Raise(jx("InvalidSignatureError"), "Signature verification failed")
	}
	m := jwt.GetSigningMethod(alg)
	if m == nil {
		return unknown("verifying %s signatures is not modelled", alg)
	}
	if err := m.Verify(tok.signingInput, tok.signature, k); err != nil {
		return pyread.Raise(jx("InvalidSignatureError"), "Signature verification failed")
	}
	s.event(evVerified, 0, alg)
	return nil
}

// contains is Python's `x in c` for the values an algorithms argument
// takes.
func contains(c, x pyread.Value) (bool, pyread.Value) {
	var elems []pyread.Value
	switch v := c.(type) {
	case *pyread.Str:
		xs, ok := x.(*pyread.Str)
		if !ok {
			return false, raise("TypeError", "'in <string>' requires string as left operand, not "+x.Type())
		}
		return strings.Contains(v.V, xs.V), nil
	case *pyread.List:
		elems = v.Elems
	case *pyread.Tuple:
		elems = v.Elems
	case *pyread.Set:
		elems = v.Elems
	case *pyread.Dict:
		elems = v.Keys()
	default:
		return false, raise("TypeError", "argument of type '"+c.Type()+"' is not iterable")
	}
	xs, ok := x.(*pyread.Str)
	for _, e := range elems {
		if es, isS := e.(*pyread.Str); isS && ok && es.V == xs.V {
			return true, nil
		}
	}
	return false, nil
}

// prepareKey is the algorithm's prepare_key: what key types it takes and
// the exception it raises for others.
func prepareKey(alg string, key pyread.Value) (any, pyread.Value) {
	raw, isText := keyBytes(key)
	switch {
	case alg == "none":
		if key == nil || isNone(key) || isText && raw == "" {
			return nil, nil
		}
		return nil, pyread.Raise(jx("InvalidKeyError"), `When alg = "none", key value must be None.`)
	case strings.HasPrefix(alg, "HS"):
		if !isText {
			return nil, raise("TypeError", "Expected a string value")
		}
		if strings.Contains(raw, "-----BEGIN ") || isSSHKey(raw) {
			return nil, pyread.Raise(jx("InvalidKeyError"), "The specified key is an asymmetric key or x509 certificate and should not be used as an HMAC secret.")
		}
		return []byte(raw), nil
	case alg == "EdDSA":
		return nil, unknown("EdDSA keys are not modelled")
	}
	if !isText {
		if _, host := key.(*pyread.HostValue); host {
			return nil, unknown("the key object's value is not known statically")
		}
		return nil, raise("TypeError", "Expecting a PEM-formatted key.")
	}
	if !strings.Contains(raw, "-----BEGIN ") {
		if isSSHKey(raw) {
			return nil, unknown("SSH-format keys are not modelled")
		}
		return nil, raise("ValueError", msgDeserialize)
	}
	return pemKey(alg, []byte(raw))
}

// pemKey loads a PEM key for an RSA or EC algorithm (the public half of a
// private key); a PEM Go cannot read is not modelled.
func pemKey(alg string, b []byte) (any, pyread.Value) {
	if strings.HasPrefix(alg, "ES") {
		if k, err := jwt.ParseECPublicKeyFromPEM(b); err == nil {
			return k, nil
		}
		if k, err := jwt.ParseECPrivateKeyFromPEM(b); err == nil {
			return &k.PublicKey, nil
		}
		return nil, unknown("the PEM key could not be read as an EC key")
	}
	if k, err := jwt.ParseRSAPublicKeyFromPEM(b); err == nil {
		return k, nil
	}
	if k, err := jwt.ParseRSAPrivateKeyFromPEM(b); err == nil {
		return &k.PublicKey, nil
	}
	return nil, unknown("the PEM key could not be read as an RSA key")
}

func keyBytes(v pyread.Value) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", true // the default key=""
	case *pyread.Str:
		return x.V, true
	case *pyread.Bytes:
		return x.V, true
	}
	return "", false
}

func isSSHKey(k string) bool {
	for _, p := range []string{"ssh-rsa", "ssh-ed25519", "ssh-dss", "ecdsa-sha2-", "ssh-ed448"} {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// validateClaims is PyJWT._validate_claims with the merged options.
func (s *session) validateClaims(p *pyread.Dict, opts map[string]pyread.Value, a *jwtArgs) pyread.Value {
	on := func(k string) bool {
		v, set := opts[k]
		if !set {
			return true // the defaults verify everything
		}
		t, _ := truth(v)
		return t
	}
	if a.audience != nil && !isNone(a.audience) {
		switch a.audience.(type) {
		case *pyread.Str, *pyread.List, *pyread.Tuple, *pyread.Set, *pyread.Dict:
		default:
			return raise("TypeError", "audience must be a string, iterable or None")
		}
	}
	if req, ok := opts["require"].(*pyread.List); ok {
		for _, c := range req.Elems {
			cs, _ := str(c)
			if v, ok := p.Lookup(cs); !ok || isNone(v) {
				return pyread.Raise(jx("MissingRequiredClaimError"), `Token is missing the "`+cs+`" claim`)
			}
		}
	}
	leeway, bad := seconds(a.leeway)
	if bad != nil {
		return bad
	}
	now := float64(s.now.Unix())
	checks := []struct {
		claim, badInt string
		exc           *pyread.ExcClass
		msg           string
		fails         func(v float64) bool
	}{
		{"iat", "", jx("ImmatureSignatureError"), "The token is not yet valid (iat)", func(v float64) bool { return v > now+leeway }},
		{"nbf", "Not Before claim (nbf) must be an integer.", jx("ImmatureSignatureError"), "The token is not yet valid (nbf)", func(v float64) bool { return v > now+leeway }},
		{"exp", "Expiration Time claim (exp) must be an integer.", jx("ExpiredSignatureError"), "Signature has expired", func(v float64) bool { return v <= now-leeway }},
	}
	for _, c := range checks {
		v, present := p.Lookup(c.claim)
		if !present || !on("verify_"+c.claim) {
			continue
		}
		n, bad := pyInt(v, c.claim, c.badInt)
		if bad != nil {
			return bad
		}
		if c.claim == "iat" {
			if f, ok := v.(*pyread.Float); ok {
				n = f.V // compared as it is, after the int() check
			}
		}
		if c.fails(n) {
			return pyread.Raise(c.exc, c.msg)
		}
	}
	if s.e.lint {
		// the representative token's iss and aud are placeholders, not
		// the deployment's: lint does not judge them
		return nil
	}
	if on("verify_iss") {
		if r := checkIssuer(p, a.issuer); r != nil {
			return r
		}
	}
	if on("verify_aud") {
		return checkAudience(p, a.audience)
	}
	return nil
}

// pyInt is int(v) as the claim checks use it: a ValueError becomes the
// claim's DecodeError (InvalidIssuedAtError for iat).
func pyInt(v pyread.Value, claim, badMsg string) (float64, pyread.Value) {
	switch x := v.(type) {
	case *pyread.Int:
		if x.Big != nil {
			f, _ := new(big.Float).SetInt(x.Big).Float64()
			return f, nil
		}
		return float64(x.V), nil
	case *pyread.Float:
		if math.IsNaN(x.V) || math.IsInf(x.V, 0) {
			return 0, unknown("a non-finite %s is not modelled", claim)
		}
		return math.Trunc(x.V), nil
	case *pyread.Bool:
		if x.V {
			return 1, nil
		}
		return 0, nil
	case *pyread.Str:
		if n, err := strconv.ParseInt(strings.TrimSpace(x.V), 10, 64); err == nil {
			if claim == "iat" {
				return 0, raise("TypeError", "'>' not supported between instances of 'str' and 'int'")
			}
			return float64(n), nil
		}
		if claim == "iat" {
			return 0, pyread.Raise(jx("InvalidIssuedAtError"), "Issued At claim (iat) must be an integer.")
		}
		return 0, pyread.Raise(jx("DecodeError"), badMsg)
	}
	return 0, raise("TypeError", "int() argument must be a string, a bytes-like object or a real number, not '"+v.Type()+"'")
}

// seconds is PyJWT's leeway: a number, or a timedelta's total_seconds().
func seconds(v pyread.Value) (float64, pyread.Value) {
	switch x := v.(type) {
	case nil, *pyread.NoneValue:
		return 0, nil
	case *pyread.Int:
		return float64(x.V), nil
	case *pyread.Float:
		return x.V, nil
	case *pyread.Opaque:
		if x.Kind == "timedelta" {
			return x.Duration.Seconds(), nil
		}
	}
	return 0, unknown("a leeway of type %s is not modelled", v.Type())
}

// checkIssuer is PyJWT._validate_iss.
func checkIssuer(p *pyread.Dict, issuer pyread.Value) pyread.Value {
	if issuer == nil || isNone(issuer) {
		return nil
	}
	iss, ok := p.Lookup("iss")
	if !ok {
		return pyread.Raise(jx("MissingRequiredClaimError"), `Token is missing the "iss" claim`)
	}
	a, okA := str(iss)
	b, okB := str(issuer)
	if !okA || !okB {
		return unknown("an issuer that is not a string is not modelled")
	}
	if a != b {
		return pyread.Raise(jx("InvalidIssuerError"), "Invalid issuer")
	}
	return nil
}

// checkAudience is PyJWT._validate_aud.
func checkAudience(p *pyread.Dict, audience pyread.Value) pyread.Value {
	aud, present := p.Lookup("aud")
	has, _ := truth(aud)
	if audience == nil || isNone(audience) {
		if !present || !has {
			return nil
		}
		return pyread.Raise(jx("InvalidAudienceError"), "Invalid audience")
	}
	if !present || !has {
		return pyread.Raise(jx("MissingRequiredClaimError"), `Token is missing the "aud" claim`)
	}
	var claims []string
	switch x := aud.(type) {
	case *pyread.Str:
		claims = []string{x.V}
	case *pyread.List:
		for _, e := range x.Elems {
			s, ok := str(e)
			if !ok {
				return pyread.Raise(jx("InvalidAudienceError"), "Invalid claim format in token")
			}
			claims = append(claims, s)
		}
	default:
		return pyread.Raise(jx("InvalidAudienceError"), "Invalid claim format in token")
	}
	var want []pyread.Value
	switch x := audience.(type) {
	case *pyread.Str:
		want = []pyread.Value{x}
	case *pyread.List:
		want = x.Elems
	case *pyread.Tuple:
		want = x.Elems
	case *pyread.Set:
		want = x.Elems
	case *pyread.Dict:
		want = x.Keys()
	}
	for _, w := range want {
		ws, _ := str(w)
		for _, c := range claims {
			if c == ws {
				return nil
			}
		}
	}
	return pyread.Raise(jx("InvalidAudienceError"), "Invalid audience")
}
