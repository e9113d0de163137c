package integration

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/authdoctor/authdoctor/pkg/testkit/oidcprovider"
)

// The login rehearsal against the real OpenID provider, as the built
// binary runs it: --no-browser prints the authorization URL on stderr,
// the test plays the user's browser (the provider's login and consent
// forms submitted over HTTP, then the redirect followed to the binary's
// loopback listener), and the report is checked.

var (
	loginOnce sync.Once
	loginOP   *oidcprovider.Provider
	loginErr  error
)

// Clients of the login provider: native apps, so that a loopback redirect
// URI matches whatever port the rehearsal listens on (RFC 8252 §7.3).
const (
	loginClient      = "airflow-login"
	loginPostClient  = "airflow-login-post"
	loginOtherClient = "airflow-login-elsewhere"
)

func loginProvider(t *testing.T) *oidcprovider.Provider {
	t.Helper()
	loginOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		loginOP, loginErr = oidcprovider.Start(ctx, oidcprovider.Options{Clients: []oidcprovider.Client{
			{ID: loginClient, RedirectURIs: []string{"http://127.0.0.1/callback"}, Native: true},
			{ID: loginPostClient, RedirectURIs: []string{"http://127.0.0.1/callback"}, Native: true, AuthMethod: "client_secret_post"},
			{ID: loginOtherClient, RedirectURIs: []string{"http://127.0.0.1/somewhere-else"}, Native: true},
		}})
		if loginErr == nil {
			loginCleanup = func() { loginOP.Close() }
		}
	})
	if loginErr != nil {
		t.Fatal(loginErr)
	}
	return loginOP
}

// loginCleanup stops the login provider at the end of the test binary
// (testMain's deferred cleanups call it).
var loginCleanup = func() {}

// loginConfig is an Airflow 3 config whose provider name has no built-in
// branch: the newest FAB provider's generic OIDC branch calls authlib's
// userinfo() (the metadata's userinfo_endpoint) with the real access token.
func loginConfig(t *testing.T, clientID, metadata, scope, extra string) string {
	t.Helper()
	src := fmt.Sprintf(`import os
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Public"
AUTH_ROLES_MAPPING = {"airflow-admins": ["Admin"], "airflow-viewers": ["Viewer"]}
OAUTH_PROVIDERS = [
    {
        "name": "authdoctor-op",
        "token_key": "access_token",
        "remote_app": {
            "client_id": %q,
            "client_secret": os.environ.get("OIDC_CLIENT_SECRET"),
            "server_metadata_url": %q,
            "client_kwargs": {"scope": %q%s},
        },
    }
]
`, clientID, metadata, scope, extra)
	p := filepath.Join(t.TempDir(), "webserver_config.py")
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// rehearse runs `authdoctor login --no-browser` and plays the browser:
// it reads the URL the binary prints, signs login in at the provider and
// follows the redirect back to the binary. It returns the run and the
// provider's error page when the sign-in stopped there.
func rehearse(t *testing.T, op *oidcprovider.Provider, login string, args ...string) (*result, error) {
	t.Helper()
	ctx := ctxT(t)
	args = append([]string{"login", "--no-browser", "--wait", "60s", "--flavor", "airflow3", "--no-env", "-o", "json"}, args...)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(cleanEnv(), "NO_COLOR=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var out bytes.Buffer
	cmd.Stdout = &out
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	var signInErr error
	sc := bufio.NewScanner(io.TeeReader(errPipe, &stderr))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "http://") && !strings.HasPrefix(line, "https://") {
			continue
		}
		// The user's browser: the provider's forms, then back.
		cb, err := op.SignIn(ctx, line, login)
		if err != nil {
			signInErr = err
			break
		}
		resp, err := http.Get(cb.String())
		if err != nil {
			t.Fatalf("back to %s: %v", cb, err)
		}
		resp.Body.Close()
	}
	if signInErr != nil {
		stdin.Close()
		_ = cmd.Process.Kill()
	}
	_, _ = io.Copy(&stderr, errPipe)
	err = cmd.Wait()
	r := &result{args: args, stdout: out.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	}
	if signInErr == nil {
		r.doc = &document{}
		if err := json.Unmarshal(out.Bytes(), r.doc); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, r)
		}
	}
	return r, signInErr
}

func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "BROWSER":
			continue
		}
		env = append(env, kv)
	}
	return env
}

type loginDoc struct {
	Verdict string `json:"verdict"`
	Steps   []struct {
		Name, Status, Why string
	} `json:"steps"`
	Roles *struct {
		Outcome string   `json:"outcome"`
		Roles   []string `json:"roles"`
	} `json:"roles"`
	Exchange *struct {
		Request struct {
			AuthMethod string `json:"authMethod"`
		} `json:"request"`
		Members []string `json:"members"`
	} `json:"exchange"`
}

func (r *result) login(t *testing.T) loginDoc {
	t.Helper()
	var d loginDoc
	if err := json.Unmarshal(r.doc.Result, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d loginDoc) step(name string) string {
	for _, s := range d.Steps {
		if s.Name == name {
			return s.Status + ": " + s.Why
		}
	}
	return ""
}

// A healthy client, with client_secret_basic (authlib's default) and with
// client_secret_post (client_kwargs): the real provider issues the code
// and the tokens, authlib accepts the ID token, the generic branch reads
// the real userinfo answer (groups airflow-admins), and dana gets Admin.
func TestE2E_Login_RealProvider_Healthy(t *testing.T) {
	op := loginProvider(t)
	for _, tc := range []struct{ client, extra, method string }{
		{loginClient, "", "client_secret_basic"},
		{loginPostClient, `, "token_endpoint_auth_method": "client_secret_post"`, "client_secret_post"},
	} {
		cfg := loginConfig(t, tc.client, op.DiscoveryURL, "openid email profile groups", tc.extra)
		r, err := rehearse(t, op, "dana", "--config", cfg, "--env", "OIDC_CLIENT_SECRET="+op.Clients[tc.client].Secret)
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.client, err, r)
		}
		d := r.login(t)
		if r.code != 0 || d.Verdict != "works" || d.Roles == nil || d.Roles.Outcome != "granted" || strings.Join(d.Roles.Roles, ",") != "Admin,Public" {
			t.Fatalf("%s: %+v %v\n%s", tc.client, d, r.ids(), r)
		}
		if d.Exchange == nil || d.Exchange.Request.AuthMethod != tc.method {
			t.Errorf("%s: exchange %+v", tc.client, d.Exchange)
		}
		if strings.Contains(r.stdout+r.stderr, op.Clients[tc.client].Secret) {
			t.Errorf("%s: the client secret was printed", tc.client)
		}
		if !strings.Contains(r.stderr, "redirect URI to register at the IdP: http://127.0.0.1:") {
			t.Errorf("the URI to register is said:\n%s", r.stderr)
		}
	}
}

// A client whose registered redirect URI is another: the provider refuses
// the authorization request (invalid_redirect_uri) before anyone signs in;
// the rehearsal asks first, says so at the authorize step and names the
// URI to register, without sending anyone to the browser.
func TestE2E_Login_RealProvider_WrongRedirectURI(t *testing.T) {
	op := loginProvider(t)
	cfg := loginConfig(t, loginOtherClient, op.DiscoveryURL, "openid email profile groups", "")
	r, err := rehearse(t, op, "dana", "--config", cfg, "--env", "OIDC_CLIENT_SECRET="+op.Clients[loginOtherClient].Secret)
	if err != nil {
		t.Fatalf("%v\n%s", err, r)
	}
	d := r.login(t)
	f, ok := r.find("URL006")
	if r.code != 1 || d.Verdict != "fail" || !strings.HasPrefix(d.step("authorize redirect"), "fail: URL006") || !ok || !strings.Contains(f.Message, "invalid_redirect_uri") {
		t.Fatalf("%+v %v\n%s", d, r.ids(), r)
	}
	if strings.Contains(r.stderr, "open this URL") {
		t.Error("the browser was sent to a request the provider refuses")
	}
}

// A client without openid in its scope: authlib sends no nonce and parses
// no ID token (that step is not run), and the generic branch's
// userinfo() — the provider's userinfo endpoint needs an access token
// granted openid — is refused: the sign-in fails at the user-info step,
// as it would in the app.
func TestE2E_Login_RealProvider_WithoutOpenID(t *testing.T) {
	op := loginProvider(t)
	cfg := loginConfig(t, loginClient, op.DiscoveryURL, "email profile groups", "")
	r, err := rehearse(t, op, "dana", "--config", cfg, "--env", "OIDC_CLIENT_SECRET="+op.Clients[loginClient].Secret)
	if err != nil {
		t.Fatalf("%v\n%s", err, r)
	}
	d := r.login(t)
	if !strings.HasPrefix(d.step("id_token parsing"), "not-run") || d.Verdict != "fail" || !strings.HasPrefix(d.step("user-info"), "fail: ROL006") {
		t.Fatalf("%+v %v\n%s", d, r.ids(), r)
	}
	f, _ := r.find("ROL006")
	if !strings.Contains(f.Message, "Error returning OAuth user info: 403 Client Error") {
		t.Errorf("ROL006 %q", f.Message)
	}
}

// A provider whose metadata issuer differs from the issuer its tokens
// carry (here the document served by a proxy with a trailing slash added):
// authlib compares them as exact strings and rejects every ID token
// (ISS001 at id_token parsing, naming the slash), though the authorization
// request and the code exchange work.
func TestE2E_Login_RealProvider_MetadataIssuerDiffers(t *testing.T) {
	op := loginProvider(t)
	resp, err := op.HTTPClient().Get(op.DiscoveryURL)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	doc["issuer"] = op.Issuer + "/"
	body, _ := json.Marshal(doc)
	proxy := testkit.StartHTTP(t, []string{"idp-proxy.authdoctor.test:8080"}, testkit.Routes{"/.well-known/openid-configuration": testkit.JSON(body)})
	cfg := loginConfig(t, loginClient, "http://idp-proxy.authdoctor.test:8080/.well-known/openid-configuration", "openid email profile groups", "")
	args := append([]string{"--config", cfg, "--env", "OIDC_CLIENT_SECRET=" + op.Clients[loginClient].Secret}, proxy.Args()...)
	r, err := rehearse(t, op, "dana", args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, r)
	}
	d := r.login(t)
	f, ok := r.find("ISS001")
	if r.code != 1 || d.Verdict != "fail" || !strings.HasPrefix(d.step("id_token parsing"), "fail: ISS001") || !ok || !strings.Contains(f.Message, "trailing slash") {
		t.Fatalf("%+v %v\n%s", d, r.ids(), r)
	}
	for _, s := range []string{"authorize redirect", "callback URL", "token exchange"} {
		if st := d.step(s); strings.HasPrefix(st, "fail") {
			t.Errorf("%s %s: the sign-in went through it", s, st)
		}
	}
}
