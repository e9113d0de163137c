package verify

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"testing"
)

// A key is parsed once per kid and reused by every token that names it
// (a stream verifies thousands against one set).
func TestKeysetParsesEachKeyOnce(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	b := base64.RawURLEncoding.EncodeToString
	raw, _ := json.Marshal(map[string]any{"keys": []any{map[string]any{"kty": "RSA", "kid": "k1", "n": b(k.N.Bytes()), "e": b(big.NewInt(65537).Bytes())}}})
	ks, err := ParseKeySet("keys.json", raw)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ks.Find("k1")
	if _, _, err := ks.keyfunc("k1", key); err != nil {
		t.Fatal(err)
	}
	first, _ := ks.parsed.Load("k1")
	ks.keyfunc("k1", key)
	if again, _ := ks.parsed.Load("k1"); again != first {
		t.Error("the key was parsed again for the same kid")
	}
	n := 0
	ks.parsed.Range(func(any, any) bool { n++; return true })
	if n != 1 {
		t.Errorf("%d parsed keys for one kid", n)
	}
}
