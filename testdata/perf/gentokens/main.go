// Command gentokens writes N RS256 ID tokens, one per line, and the public
// key set that verifies them, for the batch measurements. To keep
// generation quick it signs D distinct tokens and repeats them (verifying a
// repeated token costs the same: nothing is cached per token).
//
//	go run ./testdata/perf/gentokens -n 100000 -distinct 1000 -out /tmp/perf
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func main() {
	n := flag.Int("n", 100000, "tokens to write")
	distinct := flag.Int("distinct", 1000, "distinct tokens to sign")
	out := flag.String("out", ".", "directory for tokens.txt and jwks.json")
	flag.Parse()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	iat := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	toks := make([]string, *distinct)
	for i := range toks {
		c := jwt.MapClaims{"iss": "https://idp.example.com", "aud": "app", "sub": fmt.Sprintf("user-%d", i),
			"email": fmt.Sprintf("user%d@example.com", i), "roles": []string{"viewer"},
			"iat": iat.Unix(), "nbf": iat.Unix(), "exp": iat.Add(time.Hour).Unix()}
		t := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
		t.Header["kid"] = "perf-1"
		if toks[i], err = t.SignedString(key); err != nil {
			panic(err)
		}
	}
	f, err := os.Create(filepath.Join(*out, "tokens.txt"))
	if err != nil {
		panic(err)
	}
	w := bufio.NewWriter(f)
	for i := 0; i < *n; i++ {
		w.WriteString(toks[i%len(toks)])
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		panic(err)
	}
	f.Close()
	b64 := base64.RawURLEncoding.EncodeToString
	set, _ := json.Marshal(map[string]any{"keys": []any{map[string]any{"kty": "RSA", "kid": "perf-1", "use": "sig", "alg": "RS256",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes())}}})
	if err := os.WriteFile(filepath.Join(*out, "jwks.json"), set, 0o644); err != nil {
		panic(err)
	}
}
