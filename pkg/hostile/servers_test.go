//go:build linux

package hostile

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/golang-jwt/jwt/v5"
)

// The hostile host the commands are pointed at; --connect-to sends it to
// the loopback server and --ca-file trusts the test CA.
const (
	host       = "idp.hostile.test"
	issuerURL  = "https://" + host
	jwksURL    = issuerURL + "/keys"
	hostileKid = "hostile-key"
	// maxRSS is the bound on the process's peak resident memory.
	maxRSS = 100 << 20
	// now is the instant every run is evaluated at (--now).
	now = "2025-01-15T10:00:00Z"
)

// untilGone calls write until it fails (the client went away) or the
// request or test ends.
func untilGone(r *http.Request, done <-chan struct{}, write func() error) {
	for {
		select {
		case <-r.Context().Done():
			return
		case <-done:
			return
		default:
		}
		if err := write(); err != nil {
			return
		}
	}
}

func flush(w http.ResponseWriter) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

// testDone is closed when the test ends, so that handlers return.
func testDone(t *testing.T) <-chan struct{} {
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	return done
}

// endlessBody streams JSON-looking bytes without end, as fast as the
// client reads.
func endlessBody(t *testing.T) http.Handler {
	done := testDone(t)
	chunk := []byte(strings.Repeat(`{"kty":"RSA","kid":"k","n":"AQAB","e":"AQAB"},`, 700))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"issuer":"` + issuerURL + `","keys":[`))
		untilGone(r, done, func() error { _, err := w.Write(chunk); return err })
	})
}

// trickle sends a valid-looking document one byte per second.
func trickle(t *testing.T) http.Handler {
	done := testDone(t)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		flush(w)
		doc := []byte(`{"issuer":"` + issuerURL + `","keys":[]}`)
		i := 0
		untilGone(r, done, func() error {
			if _, err := w.Write(doc[i%len(doc) : i%len(doc)+1]); err != nil {
				return err
			}
			flush(w)
			i++
			select {
			case <-time.After(time.Second):
			case <-r.Context().Done():
			case <-done:
			}
			return nil
		})
	})
}

// headers hijacks the connection and writes a status line and then header
// lines without end: one every interval (0: as fast as possible).
func headers(t *testing.T, interval time.Duration) http.Handler {
	done := testDone(t)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			http.Error(w, "no hijacking", 500)
			return
		}
		conn, bw, err := hj.Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		bw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
		pad := strings.Repeat("x", 1000)
		n := 0
		untilGone(r, done, func() error {
			n++
			if _, err := fmt.Fprintf(bw, "X-Never-Ends-%d: %s\r\n", n, pad); err != nil {
				return err
			}
			if interval > 0 {
				if err := bw.Flush(); err != nil {
					return err
				}
				select {
				case <-time.After(interval):
				case <-done:
				}
				return nil
			}
			if n%64 == 0 {
				return bw.Flush()
			}
			return nil
		})
	})
}

var (
	bombOnce sync.Once
	bomb     []byte
)

// gzipBomb serves 1 GiB of zeros gzip-compressed into about 1 MB: 1024
// concatenated gzip members of 1 MiB each (a gzip reader reads them as
// one stream).
func gzipBomb() http.Handler {
	bombOnce.Do(func() {
		var member bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
		zw.Write(make([]byte, 1<<20))
		zw.Close()
		bomb = bytes.Repeat(member.Bytes(), 1024)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(len(bomb)))
		w.Write(bomb)
	})
}

// redirectChain answers /r/N with a redirect to /r/N+1, for 10,000 steps;
// every other path starts the chain.
func redirectChain() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := 0
		if s, ok := strings.CutPrefix(r.URL.Path, "/r/"); ok {
			n, _ = strconv.Atoi(s)
		}
		if n >= 10000 {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"keys":[]}`))
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/r/%d", n+1), http.StatusFound)
	})
}

// redirectLoop sends every path to /a, /a to /b and /b back to /a.
func redirectLoop() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/a":
			http.Redirect(w, r, "/b", http.StatusMovedPermanently)
		default:
			http.Redirect(w, r, "/a", http.StatusFound)
		}
	})
}

// body serves fixed bytes as JSON on every path.
func body(b []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	})
}

// deepJSON is an object nesting 100,000 levels deep in its first member.
func deepJSON() []byte {
	const depth = 100000
	var b bytes.Buffer
	b.WriteString(`{"issuer":"` + issuerURL + `","keys":`)
	for range depth {
		b.WriteString(`[{"a":`)
	}
	b.WriteString("1")
	for range depth {
		b.WriteString(`}]`)
	}
	b.WriteString("}")
	return b.Bytes()
}

// hugeValues is a discovery document and key set in one (each command
// reads the members it knows) whose values are huge: a 1.5 MB RSA modulus
// for the kid the token names, a 500 kB number, an exponent of 1e999999,
// a 200 kB issuer.
func hugeValues() []byte {
	n := make([]byte, 3<<19*3/4) // 1.5 MB of base64url: the whole body stays under the 4 MiB cap
	rand.Read(n)
	n[0] |= 0x80
	digits := strings.Repeat("9", 500000)
	return []byte(`{"issuer":"` + issuerURL + strings.Repeat("/a", 100000) + `",` +
		`"authorization_endpoint":"` + issuerURL + `/authorize","token_endpoint":"` + issuerURL + `/token",` +
		`"jwks_uri":"` + jwksURL + `","response_types_supported":["code"],"subject_types_supported":["public"],` +
		`"id_token_signing_alg_values_supported":["RS256"],"claims_parameter_supported":` + digits + `,` +
		`"request_uri_parameter_supported":1e999999,` +
		`"keys":[{"kty":"RSA","kid":"` + hostileKid + `","use":"sig","alg":"RS256","n":"` + base64.RawURLEncoding.EncodeToString(n) + `","e":"AQAB"},` +
		`{"kty":"RSA","kid":"huge-exponent","n":"` + base64.RawURLEncoding.EncodeToString(n[:256]) + `","e":"` + base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{0xff}, 4096)) + `"},` +
		`{"kty":"EC","kid":"huge-number","crv":"P-256","x":` + digits + `,"y":1e999999}]}`)
}

// invalidUTF8 is a document and key set whose strings hold invalid UTF-8
// and terminal control sequences.
func invalidUTF8() []byte {
	return []byte("{\"issuer\":\"" + issuerURL + "/\xff\xfe\\u001b[2J\\u001b]0;pwned\\u0007\",\"authorization_endpoint\":\"" + issuerURL + "/a\xc3\",\"token_endpoint\":\"" + issuerURL + "/t\",\"jwks_uri\":\"" + jwksURL + "\",\"response_types_supported\":[\"code\xed\xa0\x80\"],\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]," +
		"\"keys\":[{\"kty\":\"RSA\",\"kid\":\"\xff\\u001b[31mred\",\"n\":\"\xfe\xff\",\"e\":\"AQAB\"}]}")
}

// hostileCase is one misbehaving server and what each command must find.
type hostileCase struct {
	name string
	// start returns the flags that make the commands reach it.
	start func(t *testing.T) []string
	// want maps a command (discovery, jwks, verify) to the check it must
	// report; "" runs the command without expecting a particular finding
	// (it must still end, in bounded memory, without crashing).
	want map[string]string
	// stage, when set, is the stage DSC001/JWK001 must name.
	stage string
}

func tlsServer(h http.Handler) func(t *testing.T) []string {
	return func(t *testing.T) []string { return testkit.StartTLS(t, []string{host}, h).Args() }
}

// fetchFails: every command reports that the document or key set cannot
// be fetched.
var fetchFails = map[string]string{"discovery": "DSC001", "jwks": "JWK001", "verify": "JWK001", "doctor": "DSC001"}

func hostileCases() []hostileCase {
	return []hostileCase{
		{name: "endless-body", start: func(t *testing.T) []string { return tlsServer(endlessBody(t))(t) },
			want: fetchFails, stage: "body-too-large"},
		{name: "trickled-body", start: func(t *testing.T) []string { return tlsServer(trickle(t))(t) },
			want: fetchFails, stage: "timeout"},
		{name: "headers-never-end", start: func(t *testing.T) []string { return tlsServer(headers(t, 100*time.Millisecond))(t) },
			want: fetchFails, stage: "timeout"},
		{name: "header-flood", start: func(t *testing.T) []string { return tlsServer(headers(t, 0))(t) },
			want: fetchFails, stage: "http"},
		{name: "gzip-bomb", start: tlsServer(gzipBomb()),
			want: fetchFails, stage: "body-too-large"},
		{name: "redirect-chain-10000", start: tlsServer(redirectChain()),
			want: fetchFails, stage: "redirect"},
		{name: "redirect-loop", start: tlsServer(redirectLoop()),
			want: fetchFails, stage: "redirect"},
		{name: "nested-json-100000", start: tlsServer(body(deepJSON())),
			want: map[string]string{"discovery": "DSC002", "jwks": "JWK002", "verify": "JWK002", "doctor": "DSC002"}},
		// The issuer differs from the URL (DSC004); the key set's odd keys
		// are malformed (JWK004). verify reads the set with the same
		// parser as jwks (numbers beyond a float64 are valid JSON, and the
		// set has its keys array) and refuses the token's key, whose
		// modulus is millions of bits (TOK005); its own parser used to
		// call the whole body not a JWK Set (JWK002).
		{name: "huge-numbers-and-strings", start: tlsServer(body(hugeValues())),
			want: map[string]string{"discovery": "DSC004", "jwks": "JWK004", "verify": "TOK005", "doctor": "DSC004"}},
		// A clean key set whose key for the token's kid has a 12.6-million
		// bit modulus: verify refuses it (TOK005) instead of computing
		// for hours.
		{name: "huge-rsa-key", start: tlsServer(body(hugeRSAKeySet())),
			want: map[string]string{"discovery": "DSC003", "jwks": "", "verify": "TOK005", "doctor": "DSC003"}},
		// Strings with invalid UTF-8 and terminal control sequences: the
		// issuer differs (DSC004), the key is malformed (JWK004), the kid
		// is not found (TOK004); no control character reaches the text.
		{name: "invalid-utf8", start: tlsServer(body(invalidUTF8())),
			want: map[string]string{"discovery": "DSC004", "jwks": "JWK004", "verify": "TOK004", "doctor": "DSC004"}},
		{name: "tls-never-handshakes", start: func(t *testing.T) []string { return testkit.StartStalled(t, []string{host}).Args() },
			want: fetchFails, stage: "tls"},
	}
}

// hugeRSAKeySet is a well-formed key set of one RSA key, for the token's
// kid, with a 1.5 MB (12.6-million bit) modulus.
func hugeRSAKeySet() []byte {
	n := make([]byte, 3<<19)
	rand.Read(n)
	n[0] |= 0x80
	n[len(n)-1] |= 1
	return []byte(`{"keys":[{"kty":"RSA","kid":"` + hostileKid + `","use":"sig","alg":"RS256","n":"` + base64.RawURLEncoding.EncodeToString(n) + `","e":"AQAB"}]}`)
}

var (
	tokenOnce sync.Once
	hostileTk string
)

// hostileToken is an RS256 token whose kid names the key the hostile key
// set serves, valid at now.
func hostileToken(t *testing.T) string {
	tokenOnce.Do(func() {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		at, _ := time.Parse(time.RFC3339, now)
		tk := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": issuerURL, "aud": "airflow", "sub": "u",
			"iat": at.Add(-time.Minute).Unix(), "exp": at.Add(time.Hour).Unix()})
		tk.Header["kid"] = hostileKid
		hostileTk, err = tk.SignedString(key)
		if err != nil {
			panic(err)
		}
	})
	return hostileTk
}

// TestHostileServers runs discovery, jwks, verify --jwks and doctor (a
// config whose provider is the server) against each
// hostile server with --timeout 1s. Each run must end (a run still going
// after 20 s is killed and fails) with the expected finding, in under
// 100 MB of peak RSS; the figures are logged.
func TestHostileServers(t *testing.T) {
	token := hostileToken(t)
	// doctor reads a config whose provider's server_metadata_url is the
	// hostile server.
	cfg := filepath.Join(t.TempDir(), "webserver_config.py")
	if err := os.WriteFile(cfg, []byte(`from flask_appbuilder.security.manager import AUTH_OAUTH
AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
OAUTH_PROVIDERS = [{"name": "keycloak", "token_key": "access_token", "icon": "fa-key",
    "remote_app": {"client_id": "airflow", "client_secret": "x",
        "server_metadata_url": "`+issuerURL+`/.well-known/openid-configuration",
        "client_kwargs": {"scope": "openid email profile"}}}]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	commands := []struct {
		name string
		args []string
	}{
		{"discovery", []string{"discovery", issuerURL}},
		{"jwks", []string{"jwks", jwksURL}},
		{"verify", []string{"verify", token, "--jwks", jwksURL, "--audience", "airflow"}},
		{"doctor", []string{"doctor", "--config", cfg, "--token", token}},
	}
	var mu sync.Mutex
	var table []string
	t.Cleanup(func() {
		t.Logf("peak RSS and wall time per case (--timeout 1s):\n%s", strings.Join(table, "\n"))
	})
	for _, hc := range hostileCases() {
		t.Run(hc.name, func(t *testing.T) {
			t.Parallel()
			srvArgs := hc.start(t)
			for _, c := range commands {
				want, ok := hc.want[c.name]
				if !ok {
					continue
				}
				for _, format := range []string{"json", "text"} {
					args := append(append([]string{}, c.args...), "--timeout", "1s", "--now", now, "-o", format)
					r := run(t, runOpts{}, append(args, srvArgs...)...)
					mu.Lock()
					table = append(table, fmt.Sprintf("  %-26s %-9s %-4s exit %d  %6s  peak RSS %s", hc.name, c.name, format, r.code, r.wall.Round(10*time.Millisecond), mib(r.maxRSS)))
					mu.Unlock()
					if r.maxRSS > maxRSS {
						t.Errorf("%s -o %s: peak RSS %s, over %s\n%s", c.name, format, mib(r.maxRSS), mib(maxRSS), r)
					}
					if r.code != 0 && r.code != 1 {
						t.Errorf("%s -o %s: exit %d, want 0 or 1\n%s", c.name, format, r.code, r)
					}
					if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "internal error") {
						t.Errorf("%s -o %s: crashed\n%s", c.name, format, r)
					}
					if format == "text" {
						if !strings.Contains(r.stdout, want) {
							t.Errorf("%s -o text: no %s in the text output\n%s", c.name, want, r)
						}
						// Nothing from the server may drive the terminal.
						if i := strings.IndexAny(r.stdout, "\x1b\x07\r\x00"); i >= 0 {
							t.Errorf("%s -o text: control character %q from the server in the output: %q", c.name, r.stdout[i], r.stdout[max(0, i-40):min(len(r.stdout), i+40)])
						}
						continue
					}
					if want == "" {
						t.Logf("%s: exit %d, findings %v", c.name, r.code, r.ids())
						continue
					}
					f, ok := r.find(want)
					if !ok {
						t.Errorf("%s: no %s; findings %v\n%s", c.name, want, r.ids(), r)
						continue
					}
					if f.Severity == "error" && r.code != 1 {
						t.Errorf("%s: exit %d with an error finding", c.name, r.code)
					}
					if hc.stage != "" && (want == "DSC001" || want == "JWK001") && f.evidence("stage") != hc.stage {
						t.Errorf("%s: %s stage %q, want %q: %s", c.name, want, f.evidence("stage"), hc.stage, f.Message)
					}
					msg := f.Message
					if len(msg) > 200 {
						msg = msg[:200] + "…"
					}
					t.Logf("%s: %s %s", c.name, want, msg)
				}
			}
		})
	}
}
