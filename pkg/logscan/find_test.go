package logscan_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/logscan"
	"github.com/golang-jwt/jwt/v5"
)

var (
	keyOnce sync.Once
	key     *rsa.PrivateKey
)

// mint signs a small ID token; n makes it distinct.
func mint(t testing.TB, n int) string {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	tk := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": "https://idp.example.com", "aud": "app", "sub": fmt.Sprintf("user-%d", n), "exp": 1795168800})
	tk.Header["kid"] = "k1"
	s, err := tk.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var b64 = base64.RawURLEncoding.EncodeToString

// jwe is a compact JWE: the scanner only looks at its shape and header.
func jwe() string {
	return b64([]byte(`{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"enc1"}`)) + "." + b64([]byte("encrypted-key-bytes-0123456789")) + "." +
		b64([]byte("iv-12-bytes!")) + "." + b64([]byte("ciphertext of the claims, any length")) + "." + b64([]byte("authentication-tag"))
}

func unsigned() string {
	return b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + b64([]byte(`{"sub":"x","exp":1795168800}`)) + "."
}

// escapeDots writes a token the way JSON encoders that escape '.' do.
func escapeDots(tok string) string { return strings.ReplaceAll(tok, ".", `\u002e`) }

func found(t *testing.T, line string) []string {
	t.Helper()
	var out []string
	for _, m := range logscan.NewFinder().Find([]byte(line), nil) {
		if m.Kind == logscan.JWE {
			out = append(out, "JWE:"+string(m.Token))
		} else {
			out = append(out, string(m.Token))
		}
		if want := string(m.Token); !strings.Contains(line, want) && strings.ReplaceAll(line[m.Start:m.End], `\u002e`, ".") != want {
			t.Errorf("match [%d:%d] %q does not cover the token %q", m.Start, m.End, line[m.Start:m.End], want)
		}
	}
	return out
}

// Log lines as web servers, proxies and applications write them: the
// scanner finds exactly the tokens in them.
func TestFindInRealisticLogLines(t *testing.T) {
	a, b := mint(t, 1), mint(t, 2)
	e, u := jwe(), unsigned()
	cases := []struct {
		name string
		line string
		want []string
	}{
		{"nginx access log, Authorization logged as $http_authorization",
			`10.1.2.3 - - [10/Oct/2024:13:55:36 -0700] "GET /api/v1/dags HTTP/1.1" 401 61 "-" "python-requests/2.31.0" "Bearer ` + a + `"`, []string{a}},
		{"Apache with an Authorization header field",
			`192.0.2.7 - alice [26/Oct/2024:12:00:01 +0000] "POST /token HTTP/1.1" 200 1043 Authorization: Bearer ` + a + ` rt=0.004`, []string{a}},
		{"JSON application log",
			`{"time":"2024-10-26T12:00:00.123Z","level":"warn","msg":"token rejected","headers":{"authorization":"Bearer ` + a + `"},"status":401}`, []string{a}},
		{"JSON log whose encoder escapes dots",
			`{"ts":"2024-10-26T12:00:00Z","msg":"got token ` + escapeDots(a) + `"}`, []string{a}},
		{"URL fragment of an implicit-flow callback",
			`"GET /oauth2/callback#id_token=` + a + `&state=af0ifjsldkj&session_state=1 HTTP/1.1" 302`, []string{a}},
		{"URL with escaped slashes in a JSON log",
			`{"redirect":"https:\/\/app.example.com\/cb#id_token=` + a + `&state=1"}`, []string{a}},
		{"query string with two tokens",
			`GET /cb?id_token=` + a + `&access_token=` + b + `&token_type=Bearer`, []string{a, b}},
		{"percent-encoded redirect inside a query string",
			`GET /login?next=https%3A%2F%2Fapp%2Fcb%23id_token%3D` + a + `%26state%3D1`, []string{a}},
		{"quoted in single quotes, end of a sentence",
			`curl -H 'Authorization: Bearer ` + a + `' failed; retried with ` + b + `.`, []string{a, b}},
		{"after a JSON newline escape", `{"msg":"headers:\n` + a + `"}`, []string{a}},
		{"a JWE", `set-cookie: session=` + e + `; Path=/`, []string{"JWE:" + e}},
		{"an unsigned token (alg none, empty signature)", `token=` + u + ` accepted`, []string{u}},
		{"the same token twice", a + " " + a, []string{a, a}},
		{"no token", `GET /healthz HTTP/1.1 200 "kube-probe/1.29"`, nil},
		{"base64 JSON that is not a token", `payload=eyJmb28iOiJiYXIifQ== done`, nil},
		{"header-looking base64 with junk segments", `x=eyJ1bmtub3duIjp0cnVlfQ.abc.def`, nil},
		{"eyJ inside a longer base64 run", `blob=QUJDeyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln`, nil},
		{"four segments", a + ".extra", nil},
		{"RS256 header with an empty signature (a cut line)", a[:strings.LastIndexByte(a, '.')+1], nil},
		{"header without alg", b64([]byte(`{"typ":"JWT"}`)) + ".eyJzdWIiOiJ4In0.c2lnbmF0dXJl", nil},
		{"a JWE with alg dir (empty key segment)", "c=" + b64([]byte(`{"alg":"dir","enc":"A128GCM"}`)) + "..aXY.Y3Q.dGFn",
			[]string{"JWE:" + b64([]byte(`{"alg":"dir","enc":"A128GCM"}`)) + "..aXY.Y3Q.dGFn"}},
		{"a JWE header with an empty ciphertext", b64([]byte(`{"alg":"dir","enc":"A128GCM"}`)) + "..aXY..dGFn", nil},
		{"segment length impossible for base64url", strings.SplitN(a, ".", 2)[0] + ".eyJzdWIiOiJ4In0xy.c2lnbmF0dXJl", nil},
	}
	for _, c := range cases {
		got := found(t, c.line)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\n got %d tokens %.80q\nwant %d %.80q", c.name, len(got), got, len(c.want), c.want)
		}
	}
}

// Every real token in the shared fixtures is found, alone and embedded.
func TestFindFixtureTokens(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "fixtures", "tokens", "*.jwt"))
	rfc, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "fixtures", "rfc", "*.jw[st]"))
	files = append(files, rfc...)
	if len(files) < 10 {
		t.Fatalf("only %d fixture tokens", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tok := strings.TrimSpace(string(b))
		if got := found(t, `{"authorization":"Bearer `+tok+`"}`); len(got) != 1 || got[0] != tok {
			t.Errorf("%s: found %d tokens", filepath.Base(f), len(got))
		}
	}
}
