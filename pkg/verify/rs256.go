package verify

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"sync/atomic"

	"filippo.io/bigmod"
)

// rs256Key is one RSA public key made ready for RS256 checks, once.
//
// Why: crypto/rsa.VerifyPKCS1v15 takes a *rsa.PublicKey and rebuilds the
// modulus's Montgomery form (bigmod.NewModulus computes R² mod N) on every
// call, about a third of the cost of an RSA-2048 verification; it has no
// way to keep it. A log's tokens are signed by a handful of keys, so the
// fast path keeps that form per key (the issue's "parsed keys reused per
// kid") with filippo.io/bigmod, the same arithmetic as crypto/rsa's,
// published on its own.
//
// Only the yes is decided here. crypto/rsa stays the judge of every key
// (a key is kept only after crypto/rsa has accepted a signature by it, so
// its size and exponent passed crypto/rsa's checks) and of every
// rejection (a no sends the token to the full diagnosis, which verifies
// with crypto/rsa again).
type rs256Key struct {
	n    *bigmod.Modulus
	e    uint
	want []byte // the encoded message of RFC 8017 §9.2 less the digest
}

// sha256DigestInfo is the DER prefix of a SHA-256 DigestInfo (RFC 8017
// §9.2, note 1).
var sha256DigestInfo = []byte{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}

// newRS256Key prepares pub, or says no for a key it does not handle
// (an even modulus, one too short for the encoding): crypto/rsa then
// keeps every check of it.
func newRS256Key(pub *rsa.PublicKey) (*rs256Key, bool) {
	if pub == nil || pub.N == nil || pub.N.Bit(0) == 0 || pub.E < 3 {
		return nil, false
	}
	n, err := bigmod.NewModulus(pub.N.Bytes())
	if err != nil {
		return nil, false
	}
	k := n.Size()
	t := len(sha256DigestInfo) + sha256.Size
	if k < t+11 { // RFC 8017 §9.2 step 3: at least 8 bytes of 0xff
		return nil, false
	}
	// EM = 0x00 || 0x01 || 0xff… || 0x00 || DigestInfo || digest
	want := make([]byte, k-sha256.Size)
	want[1] = 1
	for i := 2; i < k-t-1; i++ {
		want[i] = 0xff
	}
	copy(want[k-t:], sha256DigestInfo)
	return &rs256Key{n: n, e: uint(pub.E), want: want}, true
}

// verify is RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2) of a SHA-256
// digest: s must be exactly k bytes and less than N, and s^e mod N must be
// the whole encoded message, byte for byte (no parsing of it, so none of
// the padding-parsing flaws of Bleichenbacher's 2006 attack).
func (r *rs256Key) verify(digest *[sha256.Size]byte, sig []byte) bool {
	if len(sig) != r.n.Size() {
		return false
	}
	s, err := bigmod.NewNat().SetBytes(sig, r.n)
	if err != nil {
		return false // s ≥ N
	}
	em := bigmod.NewNat().ExpShortVarTime(s, r.e, r.n).Bytes(r.n)
	k := len(r.want)
	return bytes.Equal(em[:k], r.want) && bytes.Equal(em[k:], digest[:])
}

// rs256Verifier checks RS256 signatures by one key: with crypto/rsa until
// crypto/rsa has accepted one, then with the kept modulus.
type rs256Verifier struct {
	kept atomic.Pointer[rs256Key]
}

func (v *rs256Verifier) verify(pub *rsa.PublicKey, digest *[sha256.Size]byte, sig []byte) bool {
	if r := v.kept.Load(); r != nil {
		return r.verify(digest, sig)
	}
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) != nil {
		return false
	}
	if r, ok := newRS256Key(pub); ok {
		v.kept.CompareAndSwap(nil, r)
	}
	return true
}
