package oidc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"
)

var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth"}

// sigAlgs maps each JWS algorithm to the key type (and curve) it needs.
var sigAlgs = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"RS256": "RSA", "RS384": "RSA", "RS512": "RSA", "PS256": "RSA", "PS384": "RSA", "PS512": "RSA",
		"ES256": "EC/P-256", "ES384": "EC/P-384", "ES512": "EC/P-521", "ES256K": "EC/secp256k1",
		"EdDSA": "OKP", "Ed25519": "OKP/Ed25519", "Ed448": "OKP/Ed448",
		"HS256": "oct", "HS384": "oct", "HS512": "oct",
	}
})

// encAlgs are JWE key-management algorithms.
var encAlgs = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"RSA1_5": true, "RSA-OAEP": true, "RSA-OAEP-256": true, "RSA-OAEP-384": true, "RSA-OAEP-512": true,
		"ECDH-ES": true, "ECDH-ES+A128KW": true, "ECDH-ES+A192KW": true, "ECDH-ES+A256KW": true,
		"A128KW": true, "A192KW": true, "A256KW": true, "dir": true,
		"A128GCMKW": true, "A192GCMKW": true, "A256GCMKW": true,
		"PBES2-HS256+A128KW": true, "PBES2-HS384+A192KW": true, "PBES2-HS512+A256KW": true,
	}
})

var validKeyOps = []string{"sign", "verify", "encrypt", "decrypt", "wrapKey", "unwrapKey", "deriveKey", "deriveBits"}

var curveSize = sync.OnceValue(func() map[string]int {
	return map[string]int{"P-256": 32, "P-384": 48, "P-521": 66, "secp256k1": 32}
})

// parseKey analyses one element of "keys".
func parseKey(i int, raw json.RawMessage, o *options) (*Key, *keyProblems) {
	k := &Key{Index: i}
	p := &keyProblems{}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		p.malformed = append(p.malformed, fmt.Sprintf("keys[%d] is %s, not a JSON object", i, typeName(raw)))
		k.UnusableReason = "not a JSON object"
		return k, p
	}
	str := func(name string) (string, bool) {
		v, ok := m[name]
		if !ok {
			return "", false
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			p.malformed = append(p.malformed, fmt.Sprintf("%s is %s, want a string", name, typeName(v)))
			return "", false
		}
		return s, true
	}
	k.KTY, _ = str("kty")
	k.KID, _ = str("kid")
	k.Use, _ = str("use")
	k.Alg, _ = str("alg")
	k.Issuer, _ = str("issuer")
	k.X5T, _ = str("x5t")
	k.X5TS256, _ = str("x5t#S256")
	if v, ok := m["key_ops"]; ok {
		if err := json.Unmarshal(v, &k.KeyOps); err != nil {
			p.malformed = append(p.malformed, fmt.Sprintf("key_ops is %s, want an array of strings", typeName(v)))
		}
	}

	// Private material: name the members, never keep values.
	for _, name := range privateMembers {
		if _, ok := m[name]; ok {
			p.private = append(p.private, name)
		}
	}
	if _, ok := m["k"]; ok && k.KTY == "oct" {
		p.private = append(p.private, "k")
	}
	k.PrivateMembers = p.private

	canonical := map[string]string{"kty": k.KTY}
	reason := ""
	switch k.KTY {
	case "":
		if _, present := m["kty"]; !present {
			p.malformed = append(p.malformed, "kty is missing")
		}
		reason = "no kty"
	case "RSA":
		reason = parseRSA(k, str, p, canonical)
	case "EC":
		reason = parseEC(k, str, p, canonical)
	case "OKP":
		reason = parseOKP(k, str, p, canonical)
	case "oct":
		if _, ok := m["k"]; !ok {
			p.malformed = append(p.malformed, "an oct (symmetric) key without k holds no key at all")
		}
		reason = "a symmetric (oct) key cannot verify tokens from a public key set"
	default:
		p.malformed = append(p.malformed, fmt.Sprintf("kty %q is not a key type of RFC 7518/8037 (RSA, EC, OKP, oct)", k.KTY))
		reason = fmt.Sprintf("unsupported kty %q", k.KTY)
	}

	reason = checkUse(k, p, reason)
	checkCert(k, m, p, o)
	if k.pub != nil {
		k.Thumbprint = thumbprintOf(k.KTY, canonical)
	}
	if reason == "" && k.pub == nil {
		reason = "the public key could not be built"
	}
	k.Usable = reason == ""
	k.UnusableReason = reason

	// The key as served, without private members, for keyfunc.
	pub := map[string]json.RawMessage{}
	for name, v := range m {
		if slices.Contains(privateMembers, name) || (name == "k" && k.KTY == "oct") {
			continue
		}
		pub[name] = v
	}
	k.raw, _ = json.Marshal(pub)
	if k.pub != nil {
		k.JWKSetError = jwksetCheck(k.raw)
	}
	return k, p
}

type strFunc func(string) (string, bool)

func parseRSA(k *Key, str strFunc, p *keyProblems, canon map[string]string) string {
	ns, okN := str("n")
	es, okE := str("e")
	if !okN || !okE {
		var miss []string
		if !okN {
			miss = append(miss, "n")
		}
		if !okE {
			miss = append(miss, "e")
		}
		p.malformed = append(p.malformed, "an RSA key without "+strings.Join(miss, " and "))
		return "incomplete RSA key"
	}
	nb, eb := p.decode("n", ns), p.decode("e", es)
	if nb == nil || eb == nil {
		return "n or e cannot be decoded"
	}
	if len(nb) > 1 && nb[0] == 0 {
		p.malformed = append(p.malformed, "n has a leading zero octet (RFC 7518 §6.3.1.1 wants the minimal encoding; strict libraries refuse it)")
	}
	n := new(big.Int).SetBytes(nb)
	e := new(big.Int).SetBytes(eb)
	if n.Sign() == 0 || n.Bit(0) == 0 {
		p.malformed = append(p.malformed, "n is not a valid RSA modulus")
		return "invalid modulus"
	}
	if !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 || e.Bit(0) == 0 {
		p.malformed = append(p.malformed, fmt.Sprintf("e (%s) is not a usable RSA public exponent", e.String()))
		return "invalid exponent"
	}
	if bits := n.BitLen(); bits > maxRSABits {
		k.Bits = bits
		p.malformed = append(p.malformed, fmt.Sprintf("an RSA modulus of %d bits: over %d bits no verifier should use it (verifying would take minutes to hours of CPU), so this set is broken or hostile", bits, maxRSABits))
		return "modulus too large"
	}
	k.pub = &rsa.PublicKey{N: n, E: int(e.Int64())}
	k.Bits = n.BitLen()
	canon["n"] = base64.RawURLEncoding.EncodeToString(n.Bytes())
	canon["e"] = base64.RawURLEncoding.EncodeToString(e.Bytes())
	if k.Bits < 2048 {
		p.weak = fmt.Sprintf("a %d-bit RSA key, under the 2048 bits RFC 7518 §3.3 requires", k.Bits)
	}
	return ""
}

// decode reads a base64url member, recording what is not canonical
// about it (JWK004); nil when it cannot be decoded.
func (p *keyProblems) decode(name, s string) []byte {
	b, prob := b64url(name, s)
	if prob != "" {
		p.malformed = append(p.malformed, prob)
	}
	return b
}

// maxRSABits is the largest RSA modulus treated as usable (verify refuses
// larger ones too: pkg/verify MaxRSABits).
const maxRSABits = 16384

func parseEC(k *Key, str strFunc, p *keyProblems, canon map[string]string) string {
	crv, _ := str("crv")
	xs, okX := str("x")
	ys, okY := str("y")
	k.Curve = crv
	size, known := curveSize()[crv]
	switch {
	case crv == "":
		p.malformed = append(p.malformed, "an EC key without crv")
		return "no curve"
	case !known:
		p.malformed = append(p.malformed, fmt.Sprintf("crv %q is not an EC curve of RFC 7518 (P-256, P-384, P-521)", crv))
		return fmt.Sprintf("unsupported curve %q", crv)
	case !okX || !okY:
		p.malformed = append(p.malformed, "an EC key without x or y")
		return "incomplete EC key"
	}
	k.Bits = map[string]int{"P-256": 256, "P-384": 384, "P-521": 521, "secp256k1": 256}[crv]
	xb, yb := p.decode("x", xs), p.decode("y", ys)
	if xb == nil || yb == nil {
		return "x or y cannot be decoded"
	}
	for _, c := range []struct {
		name string
		b    []byte
	}{{"x", xb}, {"y", yb}} {
		if len(c.b) != size {
			p.malformed = append(p.malformed, fmt.Sprintf("%s is %d bytes, %s needs exactly %d (leading zeros must be kept, RFC 7518 §6.2.1.2)", c.name, len(c.b), crv, size))
		}
	}
	if crv == "secp256k1" {
		p.malformed = append(p.malformed, "crv secp256k1 (ES256K) is not supported by Go's crypto or most JOSE libraries")
		return "secp256k1 is unsupported"
	}
	pad := func(b []byte) []byte {
		if len(b) >= size {
			return b[len(b)-size:]
		}
		return append(make([]byte, size-len(b)), b...)
	}
	if len(xb) > size || len(yb) > size {
		return "coordinates too long"
	}
	curve := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}[crv]
	point := append([]byte{4}, append(pad(xb), pad(yb)...)...)
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, point)
	if err != nil {
		p.malformed = append(p.malformed, fmt.Sprintf("the point (x, y) is not on curve %s: an invalid key (RFC 8725 §3.4)", crv))
		return "point not on the curve"
	}
	k.pub = pub
	canon["crv"] = crv
	canon["x"] = base64.RawURLEncoding.EncodeToString(pad(xb))
	canon["y"] = base64.RawURLEncoding.EncodeToString(pad(yb))
	return ""
}

func parseOKP(k *Key, str strFunc, p *keyProblems, canon map[string]string) string {
	crv, _ := str("crv")
	xs, okX := str("x")
	k.Curve = crv
	switch crv {
	case "Ed25519":
	case "X25519", "X448":
		k.Bits = map[string]int{"X25519": 256, "X448": 448}[crv]
		p.use = append(p.use, fmt.Sprintf("crv %s is for key agreement (ECDH), not for signatures", crv))
		return "a key-agreement key (" + crv + ")"
	case "Ed448":
		k.Bits = 456
		p.malformed = append(p.malformed, "crv Ed448 is valid JOSE but not supported by Go's crypto or most JOSE libraries")
		return "Ed448 is unsupported"
	case "":
		p.malformed = append(p.malformed, "an OKP key without crv")
		return "no curve"
	default:
		p.malformed = append(p.malformed, fmt.Sprintf("crv %q is not an OKP curve of RFC 8037", crv))
		return fmt.Sprintf("unsupported curve %q", crv)
	}
	if !okX {
		p.malformed = append(p.malformed, "an OKP key without x")
		return "incomplete OKP key"
	}
	xb := p.decode("x", xs)
	if len(xb) != ed25519.PublicKeySize {
		p.malformed = append(p.malformed, fmt.Sprintf("x is %d bytes, an Ed25519 public key is %d", len(xb), ed25519.PublicKeySize))
		return "bad Ed25519 key length"
	}
	k.Bits = 256
	k.pub = ed25519.PublicKey(xb)
	canon["crv"] = crv
	canon["x"] = base64.RawURLEncoding.EncodeToString(xb)
	return ""
}

// checkUse judges use, key_ops and alg (JWK008, and JWK004 for values
// that are not defined at all); it returns why the key cannot sign-verify
// (keeping an earlier reason).
func checkUse(k *Key, p *keyProblems, reason string) string {
	set := func(r string) {
		if reason == "" {
			reason = r
		}
	}
	switch k.Use {
	case "", "sig":
	case "enc":
		p.use = append(p.use, `use is "enc": an encryption key, ignored when verifying signatures`)
		set(`an encryption key (use "enc")`)
	default:
		p.use = append(p.use, fmt.Sprintf("use %q is neither sig nor enc", k.Use))
		set(fmt.Sprintf("use %q", k.Use))
	}
	if len(k.KeyOps) > 0 {
		seen := map[string]bool{}
		for _, op := range k.KeyOps {
			if !slices.Contains(validKeyOps, op) {
				p.malformed = append(p.malformed, fmt.Sprintf("key_ops value %q is not defined (RFC 7517 §4.3: sign, verify, encrypt, decrypt, wrapKey, unwrapKey, deriveKey, deriveBits)", op))
			}
			if seen[op] {
				p.malformed = append(p.malformed, fmt.Sprintf("key_ops lists %q twice", op))
			}
			seen[op] = true
		}
		if !slices.Contains(k.KeyOps, "verify") {
			p.use = append(p.use, fmt.Sprintf("key_ops %v lacks \"verify\"", k.KeyOps))
			if !slices.Contains(k.KeyOps, "sign") {
				set(fmt.Sprintf("key_ops %v allow no signature operation", k.KeyOps))
			}
		}
		if k.Use == "sig" && containsAny(k.KeyOps, "encrypt", "decrypt", "wrapKey", "unwrapKey") {
			p.use = append(p.use, "use sig and key_ops disagree (RFC 7517 §4.3: they must be consistent)")
		}
	}
	if k.Alg != "" {
		need, isSig := sigAlgs()[k.Alg]
		switch {
		case encAlgs()[k.Alg]:
			if k.Use != "enc" {
				p.use = append(p.use, fmt.Sprintf("alg %s is a key-encryption algorithm, not a signature algorithm", k.Alg))
			}
			set("alg " + k.Alg + " is for encryption")
		case k.Alg == "none":
			p.use = append(p.use, `alg "none" on a key`)
			set(`alg "none"`)
		case !isSig:
			p.use = append(p.use, fmt.Sprintf("alg %q is not a JWA algorithm name (RFC 7518 §3.1); verifiers that match the token's alg against it refuse the key", k.Alg))
		default:
			kty, crv, _ := strings.Cut(need, "/")
			if kty != k.KTY || (crv != "" && k.Curve != "" && crv != k.Curve) {
				have := k.KTY
				if k.Curve != "" {
					have += " " + k.Curve
				}
				p.use = append(p.use, fmt.Sprintf("alg %s does not fit a %s key", k.Alg, have))
				set(fmt.Sprintf("alg %s does not fit the key", k.Alg))
			}
		}
	}
	return reason
}

// checkCert judges x5c, x5t and x5t#S256 (JWK007; JWK004 for unreadable
// certificates).
func checkCert(k *Key, m map[string]json.RawMessage, p *keyProblems, o *options) {
	rawX5C, ok := m["x5c"]
	if !ok {
		return
	}
	var x5c []string
	if err := json.Unmarshal(rawX5C, &x5c); err != nil {
		p.malformed = append(p.malformed, fmt.Sprintf("x5c is %s, want an array of base64 strings", typeName(rawX5C)))
		return
	}
	if len(x5c) == 0 {
		p.malformed = append(p.malformed, "x5c is an empty array")
		return
	}
	var ders [][]byte
	for i, s := range x5c {
		der, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			alt, _ := b64url(fmt.Sprintf("x5c[%d]", i), s)
			if alt == nil {
				p.malformed = append(p.malformed, fmt.Sprintf("x5c[%d] cannot be decoded as base64", i))
				continue
			}
			p.malformed = append(p.malformed, fmt.Sprintf("x5c[%d] is not standard base64 (RFC 7517 §4.7 uses base64 with padding, not base64url)", i))
			der = alt
		}
		ders = append(ders, der)
	}
	if len(ders) == 0 {
		return
	}
	c, err := parseCert(ders[0])
	if err != nil {
		p.malformed = append(p.malformed, fmt.Sprintf("x5c[0] is not a readable X.509 certificate (%v)", err))
		return
	}
	c.ChainLength = len(x5c)
	k.Cert = c
	if c.ParseProblem != "" {
		p.malformed = append(p.malformed, "x5c[0]: "+c.ParseProblem+"; verifiers built on Go's crypto/x509, jwkset or keyfunc cannot load this key, Python and .NET can")
	}
	if k.pub != nil {
		eq, ok := k.pub.(interface{ Equal(crypto.PublicKey) bool })
		if ok && !eq.Equal(c.pub) {
			members := "n/e"
			if k.KTY != "RSA" {
				members = "x/y"
			}
			p.cert = append(p.cert, fmt.Sprintf("the x5c certificate holds another public key than the key's %s", members))
		}
	}
	if k.X5T != "" {
		if got := sha1b64(c.der); !thumbEqual(k.X5T, got) {
			p.cert = append(p.cert, fmt.Sprintf("x5t %q does not match the certificate's SHA-1 thumbprint %q", k.X5T, got))
		}
	}
	if k.X5TS256 != "" {
		if got := sha256b64(c.der); !thumbEqual(k.X5TS256, got) {
			p.cert = append(p.cert, fmt.Sprintf("x5t#S256 %q does not match the certificate's SHA-256 thumbprint %q", k.X5TS256, got))
		}
	}
	switch {
	case o.now.After(c.NotAfter):
		p.cert = append(p.cert, fmt.Sprintf("the x5c certificate expired on %s (%s before %s)", c.NotAfter.Format("2006-01-02"), days(o.now.Sub(c.NotAfter)), o.now.Format("2006-01-02")))
	case o.now.Before(c.NotBefore):
		p.cert = append(p.cert, fmt.Sprintf("the x5c certificate is not valid before %s", c.NotBefore.Format(time.RFC3339)))
	}
}

func thumbEqual(given, want string) bool {
	b, _ := b64url("", given)
	w, _ := base64.RawURLEncoding.DecodeString(want)
	return b != nil && string(b) == string(w)
}

func days(d time.Duration) string {
	n := int(d.Hours() / 24)
	if n == 1 {
		return "1 day"
	}
	if n == 0 {
		return "less than a day"
	}
	return fmt.Sprintf("%d days", n)
}
