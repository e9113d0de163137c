package verify

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"math/big"
	mrand "math/rand/v2"
	"sync"
	"testing"
)

// The kept-modulus check must answer exactly as crypto/rsa.VerifyPKCS1v15
// does, on valid signatures and on every kind of wrong one. crypto/rsa is
// the reference: the expectations below are its answers, not ours.

var rsKeys = struct {
	once sync.Once
	keys []*rsa.PrivateKey
}{}

// testRSAKeys: the sizes IdPs use, and a key with e = 3.
func testRSAKeys(t testing.TB) []*rsa.PrivateKey {
	rsKeys.once.Do(func() {
		for _, bits := range []int{2048, 3072, 4096} {
			k, err := rsa.GenerateKey(rand.Reader, bits)
			if err != nil {
				panic(err)
			}
			rsKeys.keys = append(rsKeys.keys, k)
		}
		rsKeys.keys = append(rsKeys.keys, smallExponentKey())
	})
	return rsKeys.keys
}

// smallExponentKey is an RSA-2048 key with e = 3 (crypto/rsa only makes
// e = 65537), for the raw signatures below, which need only N, e and d.
func smallExponentKey() *rsa.PrivateKey {
	three := big.NewInt(3)
	one := big.NewInt(1)
	prime := func() *big.Int {
		for {
			p, err := rand.Prime(rand.Reader, 1024)
			if err != nil {
				panic(err)
			}
			if new(big.Int).Mod(new(big.Int).Sub(p, one), three).Sign() != 0 {
				return p
			}
		}
	}
	p, q := prime(), prime()
	n := new(big.Int).Mul(p, q)
	phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
	d := new(big.Int).ModInverse(three, phi)
	return &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: 3}, D: d, Primes: []*big.Int{p, q}}
}

// rawSign returns em^d mod N as k bytes: a signature over any encoded
// message, the wrong ones included.
func rawSign(k *rsa.PrivateKey, em []byte) []byte {
	s := new(big.Int).Exp(new(big.Int).SetBytes(em), k.D, k.N)
	return s.FillBytes(make([]byte, k.Size()))
}

// encode is RFC 8017 §9.2's EMSA-PKCS1-v1_5 with the given DigestInfo
// prefix and padding length; mutate may then alter it.
func encode(k int, prefix, digest []byte, mutate func([]byte)) []byte {
	em := make([]byte, k)
	em[1] = 1
	t := len(prefix) + len(digest)
	for i := 2; i < k-t-1; i++ {
		em[i] = 0xff
	}
	copy(em[k-t:], prefix)
	copy(em[k-len(digest):], digest)
	if mutate != nil {
		mutate(em)
	}
	return em
}

type sigCase struct {
	name   string
	digest [sha256.Size]byte
	sig    []byte
}

// sigCases: a valid signature and the wrong ones a checker could get
// wrong: bit flips, other digests, lengths, values at and past N, and
// encoded messages that a padding parser (not a byte comparison) might
// accept.
func sigCases(key *rsa.PrivateKey, rng *mrand.Rand) []sigCase {
	k := key.Size()
	var d [sha256.Size]byte
	for i := range d {
		d[i] = byte(rng.Uint32())
	}
	valid := rawSign(key, encode(k, sha256DigestInfo, d[:], nil))
	cs := []sigCase{{name: "valid", digest: d, sig: valid}}
	add := func(name string, digest [sha256.Size]byte, sig []byte) {
		cs = append(cs, sigCase{name, digest, sig})
	}
	for i := 0; i < 24; i++ {
		b := append([]byte(nil), valid...)
		b[rng.IntN(len(b))] ^= 1 << rng.IntN(8)
		add("bit flip", d, b)
	}
	other := d
	other[rng.IntN(len(other))] ^= 0x80
	add("another digest", other, valid)
	add("one byte short", d, valid[1:])
	add("one zero byte longer", d, append([]byte{0}, valid...))
	add("empty", d, nil)
	n := key.N.FillBytes(make([]byte, k))
	add("N itself", d, n)
	add("N-1", d, new(big.Int).Sub(key.N, big.NewInt(1)).FillBytes(make([]byte, k)))
	add("N + the valid signature", d, new(big.Int).Add(key.N, new(big.Int).SetBytes(valid)).FillBytes(make([]byte, k+1))[1:])
	add("zero", d, make([]byte, k))
	one := make([]byte, k)
	one[k-1] = 1
	add("one", d, one)
	ff := make([]byte, k)
	for i := range ff {
		ff[i] = 0xff
	}
	add("all 0xff", d, ff)
	sha384Info := []byte{0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30}
	add("SHA-384 DigestInfo around the SHA-256 digest", d, rawSign(key, encode(k, sha384Info, d[:], nil)))
	add("no DigestInfo", d, rawSign(key, encode(k, nil, d[:], nil)))
	add("block type 2", d, rawSign(key, encode(k, sha256DigestInfo, d[:], func(em []byte) { em[1] = 2 })))
	add("a padding byte not 0xff", d, rawSign(key, encode(k, sha256DigestInfo, d[:], func(em []byte) { em[5] = 0xfe })))
	// Bleichenbacher 2006: a short padding, then the digest, then garbage
	// where a parser that stops after the digest would not look.
	add("digest then garbage", d, rawSign(key, encode(k, sha256DigestInfo, d[:], func(em []byte) {
		t := len(sha256DigestInfo) + sha256.Size
		copy(em[10:], make([]byte, k-10))
		em[10] = 0
		copy(em[11:], sha256DigestInfo)
		copy(em[11+len(sha256DigestInfo):], d[:])
		for i := 11 + t; i < k; i++ {
			em[i] = byte(rng.Uint32())
		}
	})))
	add("DigestInfo length byte changed", d, rawSign(key, encode(k, sha256DigestInfo, d[:], func(em []byte) { em[k-sha256.Size-1] = 0x21 })))
	return cs
}

func TestRS256KeptAgreesWithCryptoRSA(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(7, 21))
	for _, key := range testRSAKeys(t) {
		var v rs256Verifier
		cs := sigCases(key, rng)
		// The first valid signature goes through crypto/rsa and keeps
		// the key (if crypto/rsa accepts the key at all).
		first := cs[0]
		want := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, first.digest[:], first.sig) == nil
		if got := v.verify(&key.PublicKey, &first.digest, first.sig); got != want {
			t.Fatalf("%d bits, e=%d, first valid signature: %v, crypto/rsa %v", key.N.BitLen(), key.E, got, want)
		}
		if want != (v.kept.Load() != nil) {
			t.Fatalf("%d bits, e=%d: key kept %v after crypto/rsa said %v", key.N.BitLen(), key.E, v.kept.Load() != nil, want)
		}
		for _, c := range cs {
			want := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, c.digest[:], c.sig) == nil
			if got := v.verify(&key.PublicKey, &c.digest, c.sig); got != want {
				t.Errorf("%d bits, e=%d, %s: %v, crypto/rsa %v", key.N.BitLen(), key.E, c.name, got, want)
			}
		}
		if !rsaAccepts(key, cs[0]) {
			t.Errorf("%d bits, e=%d: crypto/rsa refuses the valid signature; the cases test nothing", key.N.BitLen(), key.E)
		}
	}
}

func rsaAccepts(key *rsa.PrivateKey, c sigCase) bool {
	return rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, c.digest[:], c.sig) == nil
}

// A key crypto/rsa refuses is never kept: the first answer is crypto/rsa's.
func TestRS256KeepsOnlyKeysCryptoRSAAccepts(t *testing.T) {
	key := testRSAKeys(t)[0]
	d := sha256.Sum256([]byte("x"))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, d[:])
	if err != nil {
		t.Fatal(err)
	}
	var v rs256Verifier
	bad := append([]byte(nil), sig...)
	bad[0] ^= 1
	if v.verify(&key.PublicKey, &d, bad) || v.kept.Load() != nil {
		t.Fatal("a refused signature kept the key")
	}
	short := &rsa.PublicKey{N: new(big.Int).Rsh(key.N, 1100), E: key.E} // under 1024 bits
	short.N.SetBit(short.N, 0, 1)
	var w rs256Verifier
	if w.verify(short, &d, sig[:short.Size()]) || w.kept.Load() != nil {
		t.Fatal("a key crypto/rsa refuses was kept")
	}
	if _, ok := newRS256Key(&rsa.PublicKey{N: new(big.Int).Lsh(key.N, 1), E: key.E}); ok {
		t.Fatal("an even modulus was prepared")
	}
}

// A valid signature whose first byte is 0: without it, the number is the
// same but crypto/rsa refuses it (RFC 8017 §8.2.2 step 1: the length must
// be k), and so must the kept key.
func TestRS256RefusesAShortenedSignature(t *testing.T) {
	key := testRSAKeys(t)[0]
	r, ok := newRS256Key(&key.PublicKey)
	if !ok {
		t.Fatal("an RSA-2048 key was not prepared")
	}
	for i := 0; i < 20000; i++ { // a leading zero comes once in 256
		d := sha256.Sum256([]byte{byte(i), byte(i >> 8)})
		sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, d[:])
		if err != nil {
			t.Fatal(err)
		}
		if sig[0] != 0 {
			continue
		}
		if !r.verify(&d, sig) {
			t.Fatal("refused the whole signature")
		}
		if rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, d[:], sig[1:]) == nil {
			t.Fatal("crypto/rsa accepted a signature one byte short; the test is wrong")
		}
		if r.verify(&d, sig[1:]) {
			t.Fatal("accepted the signature without its leading zero byte")
		}
		return
	}
	t.Fatal("no signature with a leading zero byte in 20,000")
}

// FuzzRS256Kept: any signature and digest, the kept key answers as
// crypto/rsa does.
func FuzzRS256Kept(f *testing.F) {
	keys := testRSAKeys(f)
	rng := mrand.New(mrand.NewPCG(3, 4))
	for i, key := range keys {
		for _, c := range sigCases(key, rng)[:3] {
			f.Add(uint8(i), c.digest[:], c.sig)
		}
	}
	kept := make([]*rs256Key, len(keys))
	for i, key := range keys {
		kept[i], _ = newRS256Key(&key.PublicKey)
	}
	f.Fuzz(func(t *testing.T, which uint8, digest, sig []byte) {
		key := keys[int(which)%len(keys)]
		var d [sha256.Size]byte
		copy(d[:], digest)
		want := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, d[:], sig) == nil
		if got := kept[int(which)%len(keys)].verify(&d, sig); got != want {
			t.Fatalf("kept %v, crypto/rsa %v", got, want)
		}
	})
}

// BenchmarkRS256KeptVerify is the fast path's RSA-2048 check with the key's
// modulus kept, beside BenchmarkRawRSA2048Verify (crypto/rsa, which
// rebuilds it): what a scan's RSA costs per distinct token.
func BenchmarkRS256KeptVerify(b *testing.B) {
	key := testRSAKeys(b)[0]
	d := sha256.Sum256([]byte("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0"))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, d[:])
	if err != nil {
		b.Fatal(err)
	}
	r, ok := newRS256Key(&key.PublicKey)
	if !ok {
		b.Fatal("key not prepared")
	}
	b.ReportAllocs()
	for b.Loop() {
		if !r.verify(&d, sig) {
			b.Fatal("refused")
		}
	}
}
