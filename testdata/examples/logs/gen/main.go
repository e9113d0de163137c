// Command gen writes the example logs of `verify --scan` (the README's log
// triage section): an nginx access log and a JSON application log of one
// half hour of an Airflow web server behind Entra ID, with the key set that
// verifies most of their tokens. The private keys are generated, used and
// discarded. Run from the repository root:
//
//	go run ./testdata/examples/logs/gen
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	tenant = "4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13"
	client = "8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58"
	iss    = "https://login.microsoftonline.com/" + tenant + "/v2.0"
	dir    = "testdata/examples/logs/"
)

var start = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

type signer struct {
	key *rsa.PrivateKey
	kid string
}

func (s signer) token(user int, aud string, iat time.Time, life time.Duration) string {
	c := jwt.MapClaims{"aud": aud, "iss": iss, "tid": tenant, "azp": client, "ver": "2.0",
		"iat": iat.Unix(), "nbf": iat.Unix(), "exp": iat.Add(life).Unix(),
		"oid": fmt.Sprintf("6a1f0e2d-9c3b-4a85-b7d6-%012d", user), "sub": fmt.Sprintf("user-%d-pairwise-subject", user),
		"preferred_username": fmt.Sprintf("user%d@contoso.example", user), "roles": []string{"airflow_viewer"}}
	tk := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	tk.Header["kid"] = s.kid
	out, err := tk.SignedString(s.key)
	must(err)
	return out
}

func main() {
	current := signer{newKey(), "demo-key-2026-11"}
	rotated := signer{newKey(), "demo-key-2026-12"} // not yet in the published set
	// Six users signed in at 9:00 with 20-minute tokens; four of them
	// refreshed at 9:20, two kept sending the old one.
	var first, second [6]string
	for u := range first {
		first[u] = current.token(u, client, start, 20*time.Minute)
		second[u] = current.token(u, client, start.Add(20*time.Minute), time.Hour)
	}
	batchJob := rotated.token(100, client, start.Add(10*time.Minute), time.Hour)
	otherAPI := current.token(7, "api://reporting", start.Add(5*time.Minute), time.Hour)

	access := create("access.log")
	for i := 0; i < 90; i++ {
		t := start.Add(time.Duration(i) * 20 * time.Second)
		u := i % 6
		tok := first[u]
		if t.After(start.Add(20*time.Minute)) && u < 4 {
			tok = second[u]
		}
		switch {
		case i%9 == 4:
			line(access, t, "GET", "/health", 200, "kube-probe/1.29", "-")
		case i%8 == 7 && t.After(start.Add(10*time.Minute)):
			line(access, t, "POST", "/api/v1/dags/etl/dagRuns", 401, "airflow-client/2.10", "Bearer "+batchJob)
		case i == 17 || i == 18:
			line(access, t, "GET", "/api/v1/dags", 403, "reporting-bot/1.0", "Bearer "+otherAPI)
		default:
			line(access, t, "GET", "/api/v1/dags", status(tok, t), "Mozilla/5.0", "Bearer "+tok)
		}
	}
	must(access.Flush())

	app := create("app.json.log")
	ahead := current.token(9, client, start.Add(27*time.Minute+3*time.Minute), time.Hour) // the IdP's clock 3 minutes ahead
	for i, e := range []struct {
		t   time.Duration
		msg string
		tok string
	}{
		{2 * time.Minute, "oauth callback", first[0]},
		{12 * time.Minute, "oauth callback", first[1]},
		{21 * time.Minute, "oauth callback", second[2]},
		{27 * time.Minute, "oauth callback", ahead},
		{27*time.Minute + 5*time.Second, "login refused", ahead},
	} {
		redirect := "https://airflow.contoso.example/oauth-authorized/azure#id_token=" + e.tok + "&state=s" + fmt.Sprint(i)
		b, _ := json.Marshal(redirect)
		fmt.Fprintf(app, `{"time":"%s","level":"info","logger":"airflow.www","msg":%q,"redirect":%s}`+"\n",
			start.Add(e.t).Format(time.RFC3339), e.msg, strings.ReplaceAll(string(b), "/", `\/`))
	}
	must(app.Flush())

	b64 := base64.RawURLEncoding.EncodeToString
	k := current.key
	jwks := map[string]any{"keys": []any{map[string]any{"kty": "RSA", "use": "sig", "kid": current.kid, "alg": "RS256",
		"n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes()), "issuer": iss}}}
	out, _ := json.MarshalIndent(jwks, "", "  ")
	must(os.WriteFile(dir+"keys.json", append(out, '\n'), 0o644))
}

func status(tok string, t time.Time) int {
	p, _, _ := jwt.NewParser().ParseUnverified(tok, jwt.MapClaims{})
	exp, _ := p.Claims.GetExpirationTime()
	if t.After(exp.Time.Add(time.Minute)) {
		return 401
	}
	return 200
}

func line(w *bufio.Writer, t time.Time, method, path string, code int, agent, auth string) {
	fmt.Fprintf(w, "10.244.1.%d - - [%s] \"%s %s HTTP/1.1\" %d %d \"-\" \"%s\" \"%s\"\n",
		10+t.Second()%7, t.Format("02/Jan/2006:15:04:05 -0700"), method, path, code, 120+t.Second(), agent, auth)
}

func newKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	return k
}

func create(name string) *bufio.Writer {
	f, err := os.Create(dir + name)
	must(err)
	return bufio.NewWriter(f) // the process exits after Flush: the file is closed then
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
