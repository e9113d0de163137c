package usercode

import (
	"encoding/base64"
	"fmt"
	"strings"
	"sync"

	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// PyJWT 2 (2.6, what Debian's python3-jwt installs; the flavours all run
// PyJWT 2) as a host module: jwt.decode, jwt.decode_complete,
// jwt.get_unverified_header with PyJWT's order of checks and messages
// (api_jwt.py, api_jws.py; spec user-code.md §4), its exception classes
// with their bases, and jwt.PyJWKClient, whose key fetch is never made.

// pyjwtExceptions are PyJWT's exception classes (jwt/exceptions.py) with
// their bases, made on first use; jx names one.
var pyjwtExceptions = sync.OnceValue(func() map[string]*pyread.ExcClass {
	m := map[string]*pyread.ExcClass{}
	for _, c := range [][2]string{
		{"PyJWTError", ""},
		{"InvalidTokenError", "PyJWTError"},
		{"DecodeError", "InvalidTokenError"},
		{"InvalidSignatureError", "DecodeError"},
		{"ExpiredSignatureError", "InvalidTokenError"},
		{"InvalidAudienceError", "InvalidTokenError"},
		{"InvalidIssuerError", "InvalidTokenError"},
		{"InvalidIssuedAtError", "InvalidTokenError"},
		{"ImmatureSignatureError", "InvalidTokenError"},
		{"InvalidKeyError", "PyJWTError"},
		{"InvalidAlgorithmError", "InvalidTokenError"},
		{"MissingRequiredClaimError", "InvalidTokenError"},
		{"PyJWKError", "PyJWTError"},
		{"PyJWKSetError", "PyJWTError"},
		{"PyJWKClientError", "PyJWTError"},
	} {
		cls := &pyread.ExcClass{Module: "jwt.exceptions", Name: c[0]}
		if c[1] != "" {
			cls.Bases = []*pyread.ExcClass{m[c[1]]}
		}
		m[c[0]] = cls
	}
	return m
})

func jx(name string) *pyread.ExcClass { return pyjwtExceptions()[name] }

const msgAlgorithmsArgs = `It is required that you pass in a value for the "algorithms" argument when calling decode().`

// pyjwtNames are the other public names of PyJWT 2.6 (__init__.py): they
// exist, but what they do is not modelled.
var pyjwtNames = []string{"PyJWS", "PyJWT", "PyJWK", "PyJWKSet", "encode", "register_algorithm", "unregister_algorithm", "get_algorithm_by_name", "api_jwk", "api_jws", "algorithms", "utils", "jwks_client", "warnings", "help"}

// jwtHosts are the host modules "jwt" and "jwt.exceptions".
func (s *session) jwtHosts() (jwt, exceptions pyread.Host) {
	excs := map[string]pyread.Value{}
	for name, c := range pyjwtExceptions() {
		excs[name] = c
	}
	exceptions = &object{typ: "module", attr: attrs(excs)}
	top := map[string]pyread.Value{
		"decode": fn(func(a []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
			return s.jwtDecode(a, kw, line, false)
		}),
		"decode_complete": fn(func(a []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
			return s.jwtDecode(a, kw, line, true)
		}),
		"get_unverified_header": fn(s.jwtUnverifiedHeader),
		"PyJWKClient":           fn(s.jwkClient),
		// jwt.api_jwt: decode_complete is there in every PyJWT 2 (the top
		// level has it from 2.7 on, which Airflow and Superset install;
		// Debian's 2.6 does not)
		"api_jwt": (&object{typ: "module", attr: func(name string, line int) (pyread.Value, bool) {
			switch name {
			case "decode":
				return fn(func(a []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
					return s.jwtDecode(a, kw, line, false)
				}), true
			case "decode_complete":
				return fn(func(a []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
					return s.jwtDecode(a, kw, line, true)
				}), true
			}
			return unknown("jwt.api_jwt.%s is not modelled", name), true
		}}).value(),
		"exceptions":  pyread.NewHost(exceptions),
		"__version__": pyread.FromGo("2.6.0", 0),
	}
	for k, v := range excs {
		top[k] = v
	}
	jwt = &object{typ: "module", attr: func(name string, line int) (pyread.Value, bool) {
		if v, ok := top[name]; ok {
			return v, true
		}
		for _, n := range pyjwtNames {
			if n == name {
				return unknown("jwt.%s is not modelled", name), true
			}
		}
		return nil, false
	}}
	return jwt, exceptions
}

// jwtArgs binds PyJWT.decode's parameters.
type jwtArgs struct {
	token, key, algorithms, options, verify, audience, issuer, leeway pyread.Value
}

var decodeParams = []string{"jwt", "key", "algorithms", "options", "verify", "detached_payload", "audience", "issuer", "leeway"}

func bindDecode(args []pyread.Value, kw []pyread.KwArg, name string) (*jwtArgs, pyread.Value) {
	got := map[string]pyread.Value{}
	if len(args) > len(decodeParams) {
		return nil, raise("TypeError", fmt.Sprintf("PyJWT.%s() takes from 2 to 10 positional arguments but %d were given", name, len(args)+1))
	}
	for i, a := range args {
		got[decodeParams[i]] = a
	}
	for _, k := range kw {
		if _, dup := got[k.Name]; dup {
			return nil, raise("TypeError", fmt.Sprintf("PyJWT.%s() got multiple values for argument '%s'", name, k.Name))
		}
		got[k.Name] = k.Value // unknown keywords go to **kwargs (a warning)
	}
	if got["jwt"] == nil {
		return nil, raise("TypeError", fmt.Sprintf("PyJWT.%s() missing 1 required positional argument: 'jwt'", name))
	}
	if got["detached_payload"] != nil && !isNone(got["detached_payload"]) {
		return nil, unknown("a detached payload is not modelled")
	}
	return &jwtArgs{token: got["jwt"], key: got["key"], algorithms: got["algorithms"], options: got["options"], verify: got["verify"],
		audience: got["audience"], issuer: got["issuer"], leeway: got["leeway"]}, nil
}

// jwtDecode is jwt.decode / jwt.decode_complete (PyJWT.decode_complete,
// then PyJWS.decode_complete, then the claim checks).
func (s *session) jwtDecode(args []pyread.Value, kw []pyread.KwArg, line int, complete bool) pyread.Value {
	name := "decode"
	if complete {
		name = "decode_complete"
	}
	a, bad := bindDecode(args, kw, name)
	if bad != nil {
		return bad
	}
	if u := unresolvedIn([]pyread.Value{a.token, a.algorithms, a.options, a.audience, a.issuer, a.leeway}, nil); u != nil {
		return u
	}
	opts, bad := decodeOptions(a.options)
	if bad != nil {
		return bad
	}
	verifySig, known := truth(opts["verify_signature"])
	if !known {
		return unknown("whether jwt.decode verifies the signature is not known statically")
	}
	if a.verify != nil && !isNone(a.verify) {
		s.event(evPyJWT1Verify, line, "")
	}
	if !verifySig {
		s.event(evVerifyOff, line, s.tokenName(a.token))
		for _, k := range []string{"verify_exp", "verify_nbf", "verify_iat", "verify_aud", "verify_iss"} {
			if _, set := opts[k]; !set {
				opts[k] = pyread.FromGo(false, line)
			}
		}
	}
	if algs, _ := truth(a.algorithms); verifySig && !algs {
		return pyread.Raise(jx("DecodeError"), msgAlgorithmsArgs)
	}
	tok, bad := loadJWS(a.token)
	if bad != nil {
		return bad
	}
	if verifySig {
		if r := s.verifySignature(tok, a.key, a.algorithms); r != nil {
			return r
		}
	}
	payload, err := pyread.ParseJSON(string(tok.payload))
	if err != nil {
		return pyread.Raise(jx("DecodeError"), "Invalid payload string: "+err.Error())
	}
	pd, ok := payload.(*pyread.Dict)
	if !ok {
		return pyread.Raise(jx("DecodeError"), "Invalid payload string: must be a json object")
	}
	if r := s.validateClaims(pd, opts, a); r != nil {
		return r
	}
	if !complete {
		return pd
	}
	// (FromGo orders the keys; PyJWT's dict has payload, header, signature)
	return pyread.FromGo(map[string]any{"payload": pd, "header": tok.header, "signature": &pyread.Bytes{V: string(tok.signature), L: line}}, line)
}

// tokenName says which token of the response a value is ("" when none).
func (s *session) tokenName(v pyread.Value) string {
	t, ok := str(v)
	if !ok || s.e.resp == nil {
		return ""
	}
	for _, k := range []string{"id_token", "access_token"} {
		if x, ok := s.e.resp.Lookup(k); ok {
			if xs, ok := str(x); ok && xs == t {
				return k
			}
		}
	}
	return ""
}

// decodeOptions is dict(options or {}) with verify_signature defaulting
// to True.
func decodeOptions(v pyread.Value) (map[string]pyread.Value, pyread.Value) {
	opts := map[string]pyread.Value{}
	if d, ok := v.(*pyread.Dict); ok {
		keys, vals := d.Keys(), d.Values()
		for i, k := range keys {
			ks, ok := k.(*pyread.Str)
			if !ok {
				continue
			}
			if u, isU := vals[i].(*pyread.Unresolved); isU {
				return nil, u
			}
			opts[ks.V] = vals[i]
		}
	} else if t, _ := truth(v); t {
		return nil, unknown("jwt.decode options that are not a dict are not modelled")
	}
	if _, ok := opts["verify_signature"]; !ok {
		opts["verify_signature"] = pyread.FromGo(true, 0)
	}
	return opts, nil
}

// jws is a compact JWS as PyJWS._load splits it.
type jws struct {
	header                              *pyread.Dict
	headerRaw, payload, signature       []byte
	signingInput                        string
	headerSeg, payloadSeg, signatureSeg string
}

// loadJWS is PyJWS._load and _validate_headers.
func loadJWS(v pyread.Value) (*jws, pyread.Value) {
	var t string
	switch x := v.(type) {
	case *pyread.Str:
		t = x.V
	case *pyread.Bytes:
		t = x.V
	default:
		return nil, pyread.Raise(jx("DecodeError"), "Invalid token type. Token must be a <class 'bytes'>")
	}
	i := strings.LastIndexByte(t, '.')
	if i < 0 || !strings.Contains(t[:i], ".") {
		return nil, pyread.Raise(jx("DecodeError"), "Not enough segments")
	}
	j := strings.IndexByte(t, '.')
	out := &jws{signingInput: t[:i], headerSeg: t[:j], payloadSeg: t[j+1 : i], signatureSeg: t[i+1:]}
	var bad pyread.Value
	if out.headerRaw, bad = b64url(out.headerSeg, "Invalid header padding"); bad != nil {
		return nil, bad
	}
	h, err := pyread.ParseJSON(string(out.headerRaw))
	if err != nil {
		return nil, pyread.Raise(jx("DecodeError"), "Invalid header string: "+err.Error())
	}
	hd, ok := h.(*pyread.Dict)
	if !ok {
		return nil, pyread.Raise(jx("DecodeError"), "Invalid header string: must be a json object")
	}
	out.header = hd
	if out.payload, bad = b64url(out.payloadSeg, "Invalid payload padding"); bad != nil {
		return nil, bad
	}
	if out.signature, bad = b64url(out.signatureSeg, "Invalid crypto padding"); bad != nil {
		return nil, bad
	}
	if r := validateHeaders(hd); r != nil {
		return nil, r
	}
	return out, nil
}

// b64url is PyJWT's base64url_decode for a segment of the base64url
// alphabet (binascii's errors become PyJWT's padding DecodeError); other
// characters, which binascii would skip, are not modelled.
func b64url(seg, msg string) ([]byte, pyread.Value) {
	for _, r := range seg {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return nil, unknown("a JWT segment with characters outside base64url is not modelled")
		}
	}
	if len(seg)%4 == 1 {
		return nil, pyread.Raise(jx("DecodeError"), msg)
	}
	// Go's decoder, like binascii, accepts non-zero trailing bits
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return nil, unknown("a JWT segment binascii may read differently is not modelled")
	}
	return b, nil
}

// validateHeaders is PyJWS._validate_headers (kid, crit).
func validateHeaders(h *pyread.Dict) pyread.Value {
	if kid, ok := h.Lookup("kid"); ok {
		if _, s := kid.(*pyread.Str); !s {
			return pyread.Raise(jx("InvalidTokenError"), "Key ID header parameter must be a string")
		}
	}
	crit, ok := h.Lookup("crit")
	if !ok {
		return nil
	}
	l, isList := crit.(*pyread.List)
	if !isList || len(l.Elems) == 0 {
		return pyread.Raise(jx("InvalidTokenError"), "Invalid 'crit' header: must be a non-empty list")
	}
	for _, e := range l.Elems {
		s, ok := e.(*pyread.Str)
		if !ok {
			return pyread.Raise(jx("InvalidTokenError"), "Invalid 'crit' header: values must be strings")
		}
		if s.V != "b64" {
			return pyread.Raise(jx("InvalidTokenError"), "Unsupported critical extension: "+s.V)
		}
		if _, ok := h.Lookup(s.V); !ok {
			return pyread.Raise(jx("InvalidTokenError"), "Critical extension '"+s.V+"' is missing from headers")
		}
	}
	if b, ok := h.Lookup("b64"); ok {
		if f, isB := b.(*pyread.Bool); isB && !f.V {
			return unknown("a JWS with an unencoded payload (b64: false) is not modelled")
		}
	}
	return nil
}

// jwtUnverifiedHeader is jwt.get_unverified_header.
func (s *session) jwtUnverifiedHeader(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
	t := arg(args, kw, 0, "jwt")
	if t == nil {
		return raise("TypeError", "PyJWS.get_unverified_header() missing 1 required positional argument: 'jwt'")
	}
	if u, ok := t.(*pyread.Unresolved); ok {
		return u
	}
	tok, bad := loadJWS(t)
	if bad != nil {
		return bad
	}
	return tok.header
}

// jwkClient is jwt.PyJWKClient(uri): its key fetch happens at login,
// over the network; only a set the login's material holds answers it
// (host_jwks.go).
func (s *session) jwkClient(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
	uri := "the key set URL"
	if v := arg(args, kw, 0, "uri"); v != nil {
		if u, ok := str(v); ok {
			uri = u
			s.event(evFetch, line, u)
		}
	}
	fetch := func(what string) *pyread.HostValue {
		return fn(func([]pyread.Value, []pyread.KwArg, int) pyread.Value {
			return unknown("PyJWKClient.%s fetches the key set %s at login: authdoctor does not", what, uri)
		})
	}
	fromJWT := fn(func(a []pyread.Value, kw []pyread.KwArg, l int) pyread.Value {
		t := arg(a, kw, 0, "token")
		if u, ok := t.(*pyread.Unresolved); ok {
			return u
		}
		tok, bad := loadJWS(t)
		if bad != nil {
			return bad
		}
		kid, _ := tok.header.Lookup("kid")
		return s.signingKey(uri, kid, l)
	})
	byKid := fn(func(a []pyread.Value, kw []pyread.KwArg, l int) pyread.Value {
		return s.signingKey(uri, arg(a, kw, 0, "kid"), l)
	})
	return (&object{typ: "PyJWKClient", attr: attrs(map[string]pyread.Value{
		"get_signing_key_from_jwt": fromJWT,
		"get_signing_key":          byKid,
		"get_signing_keys":         fetch("get_signing_keys"),
		"get_jwk_set":              fetch("get_jwk_set"),
		"fetch_data":               fetch("fetch_data"),
		"uri":                      pyread.FromGo(uri, line),
	})}).value()
}

// truth is Python's truth value of a plain value (known false when
// absent).
func truth(v pyread.Value) (bool, bool) {
	switch x := v.(type) {
	case nil, *pyread.NoneValue:
		return false, true
	case *pyread.Bool:
		return x.V, true
	case *pyread.Int:
		return x.Big != nil || x.V != 0, true
	case *pyread.Float:
		return x.V != 0, true
	case *pyread.Str:
		return x.V != "", true
	case *pyread.Bytes:
		return x.V != "", true
	case *pyread.List:
		return len(x.Elems) > 0, true
	case *pyread.Tuple:
		return len(x.Elems) > 0, true
	case *pyread.Set:
		return len(x.Elems) > 0, true
	case *pyread.Dict:
		return x.Len() > 0, true
	case *pyread.HostValue:
		if t, ok := x.Host.(pyread.HostTruth); ok {
			return t.Truth()
		}
	}
	return false, false
}
