package authlib

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// defaultAlgorithms are the JWS algorithms authlib registers
// (rfc7518.JWS_ALGORITHMS and rfc8037's EdDSA): the module-level `jwt`
// that parse_id_token uses when the metadata lists no
// id_token_signing_alg_values_supported. "none" is among them.
var defaultAlgorithms = []string{"none", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
	"ES256", "ES384", "ES512", "ES256K", "PS256", "PS384", "PS512", "EdDSA"}

// keyClass is the authlib key class a JWS algorithm prepares its key as
// (JWSAlgorithm.prepare_key).
func keyClass(alg string) string {
	switch {
	case strings.HasPrefix(alg, "HS"):
		return "OctKey"
	case strings.HasPrefix(alg, "RS"), strings.HasPrefix(alg, "PS"):
		return "RSAKey"
	case strings.HasPrefix(alg, "ES"):
		return "ECKey"
	case alg == "EdDSA":
		return "OKPKey"
	}
	return ""
}

// ktyClass is JsonWebKey.JWK_KEY_CLS: the class a JWK imports as ("" for
// a kty authlib does not know).
func ktyClass(kty string) string {
	switch kty {
	case "oct":
		return "OctKey"
	case "RSA":
		return "RSAKey"
	case "EC":
		return "ECKey"
	case "OKP":
		return "OKPKey"
	}
	return ""
}

// requiredFields are each key class's REQUIRED_JSON_FIELDS, in order
// (Key.check_required_fields).
func requiredFields(class string) []string {
	switch class {
	case "RSAKey":
		return []string{"e", "n"}
	case "ECKey":
		return []string{"crv", "x", "y"}
	case "OctKey":
		return []string{"k"}
	case "OKPKey":
		return []string{"crv", "x"}
	}
	return nil
}

// b64decode is authlib's urlsafe_b64decode: padding added, then Python's
// base64.urlsafe_b64decode, which drops characters outside the alphabet
// and fails only on an impossible length (binascii.Error).
func b64decode(seg string) ([]byte, bool) {
	var clean strings.Builder
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
			clean.WriteByte(c)
		case c == '+', c == '/':
			// urlsafe_b64decode maps -_ to +/ first; + and / themselves
			// are in the standard alphabet and decode too.
			clean.WriteByte(map[byte]byte{'+': '-', '/': '_'}[c])
		}
	}
	s := clean.String()
	if len(s)%4 == 1 {
		return nil, false
	}
	return lenientDecode(s), true
}

// lenientDecode decodes base64url ignoring non-zero trailing bits, as
// binascii.a2b_base64 does outside strict mode.
func lenientDecode(s string) []byte {
	var out []byte
	var acc uint32
	bits := 0
	for i := 0; i < len(s); i++ {
		v := strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", s[i])
		acc = acc<<6 | uint32(v)
		bits += 6
		if bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>uint(bits)))
		}
	}
	return out
}

// jsonObject decodes JSON as json.loads does, keeping numbers exact; ok is
// false when it is not JSON, isObject when it is an object.
func jsonValue(b []byte) (v any, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&v) != nil || dec.More() {
		return nil, false
	}
	return v, true
}

// pyNumber is a JSON value as isinstance(v, (int, float)) sees it: JSON
// numbers, and true/false (bool is an int in Python).
func pyNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return float64(i), true
		}
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			// A huge integer: json.loads makes an int of it.
			return math.Inf(1), !strings.ContainsAny(string(x), ".eE")
		}
		return f, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// truthy is Python truthiness of a JSON value.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case json.Number, int64, float64:
		f, _ := pyNumber(x)
		return f != 0
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// pyEqual is == between JSON values as Python compares them (1 == 1.0,
// True == 1).
func pyEqual(a, b any) bool {
	if fa, ok := pyNumber(a); ok {
		if fb, ok := pyNumber(b); ok {
			return fa == fb
		}
		return false
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case nil:
		return b == nil
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// repr is a short Python-like rendering of a JSON value for messages.
func repr(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case nil:
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
