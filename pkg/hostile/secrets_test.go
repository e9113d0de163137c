//go:build linux

package hostile

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/golang-jwt/jwt/v5"
)

// The secret-redaction suite: every command, in every output format it
// accepts, over inputs that carry planted secrets; no planted value may
// appear, whole or in part, in stdout or stderr.
//
// To cover a new command, add one row to secretCommands.

// secretHost is the provider the planted inputs name; a loopback TLS
// server answers for it.
const (
	secretHost   = "idp.secret.test"
	secretIssuer = "https://" + secretHost
	secretDisco  = secretIssuer + "/.well-known/openid-configuration"
	secretJWKS   = secretIssuer + "/keys"
	secretSingle = secretIssuer + "/single"
	secretNow    = "2025-03-01T12:00:00Z"
	clientID     = "airflow"
)

// invocation is one command line (and its stdin).
type invocation struct {
	args  []string
	stdin string
	// formats overrides the formats tried (text, json, sarif): batch
	// modes write JSON lines whatever -o says.
	formats []string
	// jsonMust are strings the JSON output must hold: proof that the
	// planted input was read (a JWK005 for private keys, a <redacted>).
	jsonMust []string
}

// secretCommand is one row: a command and the command lines that feed it
// the planted inputs.
type secretCommand struct {
	name string
	runs func(w *secretWorld) []invocation
}

// secretCommands lists every command. A command that is not (yet) in the
// binary fails the test: remove its row only if the command is removed.
var secretCommands = []secretCommand{
	{"token", func(w *secretWorld) []invocation {
		return []invocation{
			{args: []string{"token", w.tokRS}, jsonMust: []string{engineRedacted}},
			{args: []string{"token", "@" + w.file("response.json")}},
			{args: []string{"token", "-"}, stdin: "Authorization: Bearer " + w.tokAT + "\n"},
			{args: []string{"token", "--batch", "@" + w.file("tokens.txt")}, formats: []string{"text"}},
			{args: []string{"token", "--scan", w.file("app.log")}, formats: []string{"text", "json"}},
		}
	}},
	{"verify", func(w *secretWorld) []invocation {
		return []invocation{
			w.net("verify", w.tokRS, "--jwks", secretJWKS, "--audience", clientID).must(`"signature": "verified"`),
			{args: []string{"verify", "@" + w.file("id_token.txt"), "--jwks", "@" + w.file("keys.json")}},
			w.net("verify", w.tokAT, "--discovery", secretDisco),
			w.net("verify", w.tokRS, "--jwks", secretSingle).must("JWK002"),
			{args: []string{"verify", "@" + w.file("single.json")}},
			{args: []string{"verify", w.tokHS, "--secret-file", w.file("hmac.secret"), "--alg", "HS256"}, jsonMust: []string{`"signature": "verified"`}},
			{args: []string{"verify", "--batch", "@" + w.file("tokens.txt"), "--jwks", "@" + w.file("keys.json")}, formats: []string{"text"}},
			{args: []string{"verify", "--scan", w.file("app.log"), "--jwks", "@" + w.file("keys.json")}, formats: []string{"text", "json"}},
		}
	}},
	{"issuer", func(w *secretWorld) []invocation {
		return []invocation{w.net(append([]string{"issuer", w.tokRS, "--discovery", secretDisco, "--config", w.file("webserver_config.py")}, w.envFlags()...)...)}
	}},
	{"discovery", func(w *secretWorld) []invocation {
		return []invocation{
			w.net("discovery", secretIssuer).must("JWK005"),
			{args: []string{"discovery", "@" + w.file("openid-configuration.json"), "--jwks", "@" + w.file("keys.json")}, jsonMust: []string{"JWK005"}},
			w.net("discovery", "@"+w.file("openid-configuration.json"), "--jwks", secretSingle),
		}
	}},
	{"jwks", func(w *secretWorld) []invocation {
		return []invocation{
			w.net("jwks", secretJWKS).must("JWK005"),
			{args: []string{"jwks", "@" + w.file("keys.json")}, jsonMust: []string{"JWK005"}},
			{args: []string{"jwks", "@" + w.file("single.json")}},
			w.net("jwks", secretSingle),
		}
	}},
	{"url", func(w *secretWorld) []invocation {
		return []invocation{
			{args: []string{"url", w.callbackURL}, jsonMust: []string{engineRedacted}},
			{args: []string{"url", "-"}, stdin: w.callbackURL + "\n"},
			{args: []string{"url", w.tokenURL}},
		}
	}},
	{"checks", func(w *secretWorld) []invocation { return []invocation{{args: []string{"checks"}}} }},
	{"explain", func(w *secretWorld) []invocation {
		return []invocation{{args: []string{"explain", "JWK005"}}, {args: []string{"explain", "AADSTS7000215"}}}
	}},
	{"version", func(w *secretWorld) []invocation { return []invocation{{args: []string{"version"}}} }},
	{"lint", func(w *secretWorld) []invocation {
		return []invocation{
			{args: append([]string{"lint", w.file("webserver_config.py"), w.file("values.yaml"), w.file("superset_config.py")}, w.envFlags()...),
				jsonMust: []string{"CFG006", engineRedacted, "keycloak", "AUTH_LDAP_BIND_PASSWORD"}},
		}
	}},
	{"roles", func(w *secretWorld) []invocation {
		return []invocation{
			{args: append([]string{"roles", "--config", w.file("webserver_config.py"), "--provider", "keycloak", w.tokRS}, w.envFlags()...), jsonMust: []string{"keycloak", "Admin"}},
			{args: append([]string{"roles", "--config", w.file("values.yaml"), "--provider", "keycloak", "--claims", "@" + w.file("claims.json")}, w.envFlags()...)},
		}
	}},
	{"doctor", func(w *secretWorld) []invocation {
		return []invocation{
			w.net(append([]string{"doctor", "--config", w.file("webserver_config.py"), "--token", w.tokRS, "--url", w.callbackURL}, w.envFlags()...)...).must("keycloak", "JWK005"),
			w.net(append([]string{"doctor", "--config", w.file("superset_config.py"), "--token", "@" + w.file("response.json")}, w.envFlags()...)...),
		}
	}},
	{"config show", func(w *secretWorld) []invocation {
		return []invocation{
			{args: append([]string{"config", "show", w.file("webserver_config.py")}, w.envFlags()...),
				jsonMust: []string{engineRedacted, "client_secret", "WTF_CSRF_SECRET_KEY", "AUTH_LDAP_BIND_PASSWORD"}},
			{args: append([]string{"config", "show", w.file("values.yaml")}, w.envFlags()...)},
			{args: append([]string{"config", "show", w.file("superset_config.py")}, w.envFlags()...)},
		}
	}},
}

// engineRedacted is the word redaction writes (<redacted>), matched alone:
// some JSON encoders escape the angle brackets (\u003c).
const engineRedacted = "redacted"

// secretWorld is the planted inputs: files, a provider on loopback, and
// the secrets to look for.
type secretWorld struct {
	dir     string
	srvArgs []string
	// secrets maps a description to a planted value.
	secrets map[string]string

	tokRS, tokAT, tokHS   string
	callbackURL, tokenURL string
}

func (w *secretWorld) file(name string) string { return filepath.Join(w.dir, name) }

// net is an invocation that reaches the loopback provider.
func (w *secretWorld) net(args ...string) invocation {
	return invocation{args: append(append(args, "--timeout", "5s"), w.srvArgs...)}
}

// must adds strings the JSON output must hold.
func (i invocation) must(s ...string) invocation {
	i.jsonMust = append(i.jsonMust, s...)
	return i
}

// envFlags are the flags that give configs their environment.
func (w *secretWorld) envFlags() []string {
	return []string{"--no-env", "--env-file", w.file("secrets.env"), "--env", "DB_PASSWORD=" + w.secrets["--env DB_PASSWORD"]}
}

func (w *secretWorld) plant(what, value string) string {
	w.secrets[what] = value
	return value
}

func (w *secretWorld) write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(w.file(name), []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// rnd is n random letters and digits: a planted value no output can hold
// by chance.
func rnd(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// signature returns a compact JWS's third segment.
func signature(tok string) string { return tok[strings.LastIndexByte(tok, '.')+1:] }

func newSecretWorld(t *testing.T) *secretWorld {
	t.Helper()
	w := &secretWorld{dir: t.TempDir(), secrets: map[string]string{}}
	at, _ := time.Parse(time.RFC3339, secretNow)

	// Keys: an RSA key that signs the tokens, an EC key and a symmetric
	// key, all published with their private members.
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rk.Precompute()
	oct := make([]byte, 32)
	rand.Read(oct)
	rsaJWK := map[string]any{"kty": "RSA", "kid": "planted-rsa", "use": "sig", "alg": "RS256",
		"n": b64(rk.N.Bytes()), "e": b64(big.NewInt(int64(rk.E)).Bytes()),
		"d":  w.plant("JWK RSA d", b64(rk.D.Bytes())),
		"p":  w.plant("JWK RSA p", b64(rk.Primes[0].Bytes())),
		"q":  w.plant("JWK RSA q", b64(rk.Primes[1].Bytes())),
		"dp": w.plant("JWK RSA dp", b64(rk.Precomputed.Dp.Bytes())),
		"dq": w.plant("JWK RSA dq", b64(rk.Precomputed.Dq.Bytes())),
		"qi": w.plant("JWK RSA qi", b64(rk.Precomputed.Qinv.Bytes()))}
	ecJWK := map[string]any{"kty": "EC", "kid": "planted-ec", "use": "sig", "crv": "P-256",
		"x": b64(ek.X.FillBytes(make([]byte, 32))), "y": b64(ek.Y.FillBytes(make([]byte, 32))),
		"d": w.plant("JWK EC d", b64(ek.D.FillBytes(make([]byte, 32))))}
	octJWK := map[string]any{"kty": "oct", "kid": "planted-oct", "alg": "HS256", "k": w.plant("JWK oct k", b64(oct))}
	keys, _ := json.Marshal(map[string]any{"keys": []any{rsaJWK, ecJWK, octJWK}})
	w.write(t, "keys.json", string(keys))
	// A single private JWK (not a set) whose secret comes first: what a
	// "first bytes" excerpt would show.
	singleK := make([]byte, 48)
	rand.Read(singleK)
	single := `{"k":"` + w.plant("single JWK k", b64(singleK)) + `","kty":"oct","kid":"planted-single"}`
	w.write(t, "single.json", single)
	doc, _ := json.Marshal(map[string]any{"issuer": secretIssuer, "authorization_endpoint": secretIssuer + "/authorize",
		"token_endpoint": secretIssuer + "/token", "jwks_uri": secretJWKS, "response_types_supported": []string{"code"},
		"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"}})
	w.write(t, "openid-configuration.json", string(doc))
	srv := testkit.StartTLS(t, []string{secretHost}, testkit.Routes{
		"/.well-known/openid-configuration": testkit.JSON(doc),
		"/keys":                             testkit.JSON(keys),
		"/single":                           testkit.JSON([]byte(single)),
	})
	w.srvArgs = srv.Args()

	// Tokens: their signatures are secrets.
	sign := func(what string, m jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
		tk := jwt.NewWithClaims(m, claims)
		tk.Header["kid"] = kid
		s, err := tk.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		w.plant(what+" signature", signature(s))
		return s
	}
	base := func(extra jwt.MapClaims) jwt.MapClaims {
		c := jwt.MapClaims{"iss": secretIssuer, "aud": clientID, "sub": "user-1", "email": "ada@example.com",
			"preferred_username": "ada", "groups": []string{"admins"},
			"iat": at.Add(-5 * time.Minute).Unix(), "exp": at.Add(time.Hour).Unix()}
		for k, v := range extra {
			c[k] = v
		}
		return c
	}
	w.tokRS = sign("ID token", jwt.SigningMethodRS256, rk, "planted-rsa", base(jwt.MapClaims{"nonce": "n-1"}))
	w.tokAT = sign("access token", jwt.SigningMethodRS256, rk, "planted-rsa", base(jwt.MapClaims{"scope": "openid", "aud": "api://airflow"}))
	hmacSecret := w.plant("--secret-file content", "Hm"+rnd(40))
	w.write(t, "hmac.secret", hmacSecret+"\n")
	w.tokHS = sign("HS256 token", jwt.SigningMethodHS256, []byte(hmacSecret), "hmac", base(nil))
	refresh := w.plant("opaque refresh token", "0.AXoA"+rnd(60))
	resp, _ := json.Marshal(map[string]any{"token_type": "Bearer", "expires_in": 3599, "id_token": w.tokRS,
		"access_token": w.tokAT, "refresh_token": refresh})
	w.write(t, "response.json", string(resp))
	w.write(t, "id_token.txt", w.tokRS+"\n")
	w.write(t, "tokens.txt", "# planted\n"+w.tokRS+"\n"+w.tokAT+"\n"+w.tokHS+"\n")
	claims, _ := json.Marshal(map[string]any{"sub": "user-1", "email": "ada@example.com", "preferred_username": "ada", "groups": []string{"admins"}})
	w.write(t, "claims.json", string(claims))

	// URLs: an authorization code, tokens and a client secret.
	code := w.plant("authorization code", "0.AQAB"+rnd(60))
	urlSecret := w.plant("client_secret in a URL", "Us~"+rnd(30))
	accessInURL := w.plant("access_token in a URL", "EwB4"+rnd(60))
	w.callbackURL = "https://airflow.example.com/oauth-authorized/keycloak?code=" + url.QueryEscape(code) +
		"&state=s-1&session_state=ss#id_token=" + w.tokRS + "&access_token=" + url.QueryEscape(accessInURL)
	w.tokenURL = secretIssuer + "/token?grant_type=authorization_code&client_id=" + clientID +
		"&client_secret=" + url.QueryEscape(urlSecret) + "&code=" + url.QueryEscape(code) + "&redirect_uri=https%3A%2F%2Fairflow.example.com%2Foauth-authorized%2Fkeycloak"
	w.write(t, "app.log", "2025-03-01T11:59:00Z GET /api Authorization: Bearer "+w.tokRS+"\n"+
		`{"time":"2025-03-01T11:59:01Z","redirect":"`+w.callbackURL+`"}`+"\n"+
		"2025-03-01T11:59:02Z POST "+w.tokenURL+" token="+w.tokHS+"\n")

	// Configs: SECRET_KEY and client secrets as literals, in f-strings,
	// from --env-file and --env; a Helm values file and a Superset config
	// with the same.
	envSecret := w.plant("--env-file client secret", "Ef"+rnd(30))
	unused := w.plant("--env-file unused password", "Eu"+rnd(30))
	w.plant("--env DB_PASSWORD", "Db"+rnd(30))
	w.write(t, "secrets.env", "# planted\nexport KEYCLOAK_CLIENT_SECRET=\""+envSecret+"\"\nUNUSED_PASSWORD="+unused+"\nSECRET_SUFFIX=from-env-9b\n")
	secretKey := w.plant("SECRET_KEY literal", "Sk"+rnd(40))
	fsecret := w.plant("client_secret in an f-string", "Fs"+rnd(30))
	fkey := w.plant("SECRET_KEY in an f-string with an env part", "Fk"+rnd(24))
	unresolved := w.plant("AUTH_LDAP_BIND_PASSWORD in an f-string that cannot be resolved", "Fu"+rnd(24))
	py := `import os
from airflow.providers.fab.auth_manager.security_manager.override import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_ROLES_MAPPING = {"admins": ["Admin"]}
SECRET_KEY = "` + secretKey + `"
_tail = "` + fsecret[16:] + `"
WTF_CSRF_SECRET_KEY = f"` + fkey + `{os.environ['SECRET_SUFFIX']}"
SQLALCHEMY_DATABASE_URI = f"postgresql://airflow:{os.environ['DB_PASSWORD']}@db:5432/airflow"
OAUTH_PROVIDERS = [
    {
        "name": "keycloak",
        "icon": "fa-key",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "` + clientID + `",
            "client_secret": os.environ["KEYCLOAK_CLIENT_SECRET"],
            "server_metadata_url": "` + secretDisco + `",
            "api_base_url": "` + secretIssuer + `/",
            "client_kwargs": {"scope": "openid email profile"},
        },
    },
    {
        "name": "azure",
        "icon": "fa-windows",
        "token_key": "access_token",
        "remote_app": {
            "client_id": "11111111-2222-3333-4444-555555555555",
            "client_secret": f"` + fsecret[:16] + `{_tail}",
            "server_metadata_url": "https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/v2.0/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile"},
        },
    },
]
AUTH_LDAP_BIND_PASSWORD = f"` + unresolved + `{vault_lookup('ldap')}"
`
	w.write(t, "webserver_config.py", py)
	var helm strings.Builder
	helm.WriteString("airflowVersion: \"3.0.2\"\napiServer:\n  apiServerConfig: |\n")
	for _, l := range strings.Split(py, "\n") {
		helm.WriteString("    " + l + "\n")
	}
	w.write(t, "values.yaml", helm.String())
	superset := strings.Replace(py, "from airflow.providers.fab.auth_manager.security_manager.override import AUTH_OAUTH", "from flask_appbuilder.security.manager import AUTH_OAUTH", 1) +
		"\nFEATURE_FLAGS = {\"ALERT_REPORTS\": True}\nSUPERSET_WEBSERVER_PORT = 8088\n"
	w.write(t, "superset_config.py", superset)
	return w
}

// leakIndex finds planted values, whole or in part, in output: every
// window of leakWindow characters of every secret.
const leakWindow = 12

type leakIndex map[string]string

func newLeakIndex(secrets map[string]string) leakIndex {
	idx := leakIndex{}
	for what, v := range secrets {
		if len(v) < leakWindow {
			panic("planted value shorter than the window: " + what)
		}
		for i := 0; i+leakWindow <= len(v); i++ {
			idx[v[i:i+leakWindow]] = what
		}
	}
	return idx
}

// find returns the secret a part of s belongs to, with the part.
func (idx leakIndex) find(s string) (what, part string, ok bool) {
	for i := 0; i+leakWindow <= len(s); i++ {
		if w, hit := idx[s[i:i+leakWindow]]; hit {
			return w, s[i : i+leakWindow], true
		}
	}
	return "", "", false
}

// TestSecretsNeverShown runs every command in every output format over
// the planted inputs and fails if any part (12 characters) of a planted
// secret appears in stdout or stderr.
func TestSecretsNeverShown(t *testing.T) {
	w := newSecretWorld(t)
	idx := newLeakIndex(w.secrets)
	names := make([]string, 0, len(w.secrets))
	for k := range w.secrets {
		names = append(names, k)
	}
	sort.Strings(names)
	t.Logf("planted: %s", strings.Join(names, "; "))

	help := run(t, runOpts{}, "--help")
	for _, c := range secretCommands {
		t.Run(strings.ReplaceAll(c.name, " ", "-"), func(t *testing.T) {
			first := strings.Fields(c.name)[0]
			if !strings.Contains(help.stdout, "\n  "+first+" ") {
				t.Fatalf("%q is not a command of the binary (authdoctor --help):\n%s", c.name, help.stdout)
			}
			for _, inv := range c.runs(w) {
				formats := inv.formats
				if formats == nil {
					formats = []string{"text", "json", "sarif"}
				}
				for _, format := range formats {
					args := append(append([]string{}, inv.args...), "-o", format, "--now", secretNow)
					if format == "text" {
						args = append(args, "--color", "always") // colours must not split or reveal anything
					}
					r := run(t, runOpts{stdin: inv.stdin, dir: w.dir}, args...)
					if format == "sarif" && r.code == 2 && strings.Contains(r.stderr, "sarif") {
						t.Logf("%s: no SARIF output (%s)", strings.Join(short(inv.args), " "), strings.TrimSpace(firstLine(r.stderr)))
						continue
					}
					if r.code != 0 && r.code != 1 {
						t.Errorf("exit %d: the planted input was not read\n%s", r.code, r)
						continue
					}
					for stream, out := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
						if what, part, leaked := idx.find(out); leaked {
							t.Errorf("%s -o %s: %s of %q appears in %s:\n%s", strings.Join(short(inv.args), " "), format, what, part, stream, around(out, part))
						}
					}
					if format == "json" {
						for _, must := range inv.jsonMust {
							if !strings.Contains(r.stdout, must) {
								t.Errorf("%s -o json: no %q in the output: the planted input was not read\n%s", strings.Join(short(inv.args), " "), must, r)
							}
						}
					}
				}
			}
		})
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// around shows the part of out around s.
func around(out, s string) string {
	i := strings.Index(out, s)
	if i < 0 {
		return ""
	}
	lo, hi := max(0, i-200), min(len(out), i+len(s)+200)
	return "…" + out[lo:hi] + "…"
}
