package oidcprovider

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// JWT is a compact JWS split into its parts, decoded but not verified.
type JWT struct {
	Header    map[string]any
	Claims    map[string]any
	Signature []byte
	raw       [3]string
}

// ParseJWT decodes a compact JWS without verifying it.
func ParseJWT(token string) (*JWT, error) {
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("oidcprovider: a JWS has 3 parts, this has %d", len(parts))
	}
	j := &JWT{raw: [3]string{parts[0], parts[1], parts[2]}}
	for i, dst := range []*map[string]any{&j.Header, &j.Claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			return nil, fmt.Errorf("oidcprovider: part %d: %w", i+1, err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			return nil, fmt.Errorf("oidcprovider: part %d: %w", i+1, err)
		}
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, fmt.Errorf("oidcprovider: signature: %w", err)
	}
	j.Signature = sig
	return j, nil
}

// Kid is the header's kid ("" when absent).
func (j *JWT) Kid() string { s, _ := j.Header["kid"].(string); return s }

// Alg is the header's alg.
func (j *JWT) Alg() string { s, _ := j.Header["alg"].(string); return s }

// String claim, "" when absent or not a string.
func (j *JWT) String(name string) string { s, _ := j.Claims[name].(string); return s }

// Int is a numeric claim (exp, iat, …), 0 when absent.
func (j *JWT) Int(name string) int64 { f, _ := j.Claims[name].(float64); return int64(f) }

// Strings is a claim holding a list of strings (or one string).
func (j *JWT) Strings(name string) []string {
	switch v := j.Claims[name].(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// VerifyWith checks the signature with the key of ks named by the
// header's kid, independently of authdoctor's own code (RS256 and ES256).
func (j *JWT) VerifyWith(ks *KeySet) error {
	k, ok := ks.Lookup(j.Kid())
	if !ok {
		return fmt.Errorf("oidcprovider: kid %q not in the key set %v", j.Kid(), ks.Kids())
	}
	if j.Alg() != k.Alg {
		return fmt.Errorf("oidcprovider: alg %q, key %s is for %s", j.Alg(), k.Kid, k.Alg)
	}
	digest := sha256.Sum256([]byte(j.raw[0] + "." + j.raw[1]))
	switch pk := k.Private.(type) {
	case *rsa.PrivateKey:
		return rsa.VerifyPKCS1v15(&pk.PublicKey, crypto.SHA256, digest[:], j.Signature)
	case *ecdsa.PrivateKey:
		if len(j.Signature) != 64 {
			return fmt.Errorf("oidcprovider: ES256 signature of %d bytes", len(j.Signature))
		}
		r := new(big.Int).SetBytes(j.Signature[:32])
		s := new(big.Int).SetBytes(j.Signature[32:])
		if !ecdsa.Verify(&pk.PublicKey, digest[:], r, s) {
			return errors.New("oidcprovider: ES256 signature does not verify")
		}
		return nil
	}
	return fmt.Errorf("oidcprovider: key type %T", k.Private)
}

// Tamper returns the token with one claim changed and the original
// signature kept: a token whose signature no longer verifies.
func Tamper(token, claim string, value any) (string, error) {
	j, err := ParseJWT(token)
	if err != nil {
		return "", err
	}
	j.Claims[claim] = value
	payload, err := json.Marshal(j.Claims)
	if err != nil {
		return "", err
	}
	return j.raw[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + j.raw[2], nil
}
