package verify

import (
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
)

// MaxRSABits bounds the RSA modulus a key may have to be used. Real keys
// have 2048 to 4096 bits; a hostile key set can publish one of millions,
// and verifying with it takes hours of CPU (crypto/rsa's Montgomery set-up
// is quadratic in the modulus), which no --timeout interrupts.
const MaxRSABits = 16384

// checkKeySize refuses an RSA key whose modulus is over MaxRSABits. A
// malformed n is left to the key parser to report.
func checkKeySize(key map[string]any) error {
	if kty, _ := key["kty"].(string); kty != "RSA" {
		return nil
	}
	n, _ := key["n"].(string)
	if len(n) <= MaxRSABits/6 { // base64url: 6 bits per character
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(n, "="))
	if err != nil {
		return nil
	}
	if bits := new(big.Int).SetBytes(b).BitLen(); bits > MaxRSABits {
		return fmt.Errorf("its RSA modulus has %d bits, more than the %d authdoctor accepts (real keys have 2048 to 4096): verifying with it would take hours, so it was not used", bits, MaxRSABits)
	}
	return nil
}
