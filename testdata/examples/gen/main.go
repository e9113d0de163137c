// Command gen writes the bundled example tokens and their public key set
// (testdata/examples). The private key is generated, used and discarded:
// nothing secret is written. Run from the repository root:
//
//	go run ./testdata/examples/gen
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	tenant = "4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13"
	client = "8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58"
	kid    = "demo-key-2026-11"
)

func main() {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	iat := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	claims := jwt.MapClaims{
		"aud": client, "iss": "https://login.microsoftonline.com/" + tenant + "/v2.0",
		"iat": iat.Unix(), "nbf": iat.Unix(), "exp": iat.Add(time.Hour).Unix(),
		"email": "dana.ops@contoso.example", "name": "Dana Ops", "upn": "dana.ops@contoso.example",
		"nonce": "a1b2c3d4e5", "oid": "6a1f0e2d-9c3b-4a85-b7d6-1e2f3a4b5c6d",
		"preferred_username": "dana.ops@contoso.example", "roles": []string{"airflow_nonprod_op"},
		"sub": "Zq0x7Jb3kq1o6aTt1mN4cR8vW2yE5uI9pL3sD7fG0hK", "tid": tenant, "ver": "2.0",
	}
	tk := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tk.Header["kid"] = kid
	s, err := tk.SignedString(key)
	if err != nil {
		panic(err)
	}
	must(os.WriteFile("testdata/examples/azure-id-token.jwt", []byte(s+"\n"), 0o644))
	b64 := base64.RawURLEncoding.EncodeToString
	jwks := map[string]any{"keys": []any{map[string]any{
		"kty": "RSA", "use": "sig", "kid": kid, "alg": "RS256",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
		"issuer": "https://login.microsoftonline.com/" + tenant + "/v2.0",
	}}}
	out, _ := json.MarshalIndent(jwks, "", "  ")
	must(os.WriteFile("testdata/examples/azure-tenant-jwks.json", append(out, '\n'), 0o644))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
