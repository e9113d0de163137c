package verify_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/authdoctor/authdoctor/pkg/verify"
)

func jwkOf(t *testing.T, rel string) map[string]any {
	t.Helper()
	var k map[string]any
	if err := json.Unmarshal(testkit.Fixture(t, rel), &k); err != nil {
		t.Fatal(err)
	}
	return k
}

// Signature verifies the RFC 7515 A.2 (RS256) and A.3 (ES256) examples
// with their published keys, refuses them altered, and says when the key
// cannot serve the alg.
func TestSignature_RFC7515Vectors(t *testing.T) {
	for _, v := range []struct{ jws, key, alg string }{
		{"rfc/rfc7515-A2-rs256.jws", "rfc/rfc7515-A2-rs256.public-key.json", "RS256"},
		{"rfc/rfc7515-A3-es256.jws", "rfc/rfc7515-A3-es256.public-key.json", "ES256"},
	} {
		raw := strings.TrimSpace(string(testkit.Fixture(t, v.jws)))
		key := jwkOf(t, v.key)
		if err := verify.Signature(raw, v.alg, key); err != nil {
			t.Errorf("%s: %v", v.jws, err)
		}
		// One character of the signature changed (in the middle, so the
		// base64url still decodes to the same length).
		i := strings.LastIndexByte(raw, '.') + 10
		c := byte('A')
		if raw[i] == 'A' {
			c = 'B'
		}
		altered := raw[:i] + string(c) + raw[i+1:]
		if err := verify.Signature(altered, v.alg, key); !errors.Is(err, verify.ErrBadSignature) {
			t.Errorf("%s altered: %v, want ErrBadSignature", v.jws, err)
		}
	}
	rsa := jwkOf(t, "rfc/rfc7515-A2-rs256.public-key.json")
	es := strings.TrimSpace(string(testkit.Fixture(t, "rfc/rfc7515-A3-es256.jws")))
	if err := verify.Signature(es, "ES256", rsa); err == nil || errors.Is(err, verify.ErrBadSignature) {
		t.Errorf("an RSA key for an ES256 token: %v, want an unusable-key error", err)
	}
}
