// Package oidcprovider runs a real, certified OpenID provider — the
// oidc-provider package from the npm registry (testdata/oidc-provider) — on
// a loopback port for authdoctor's integration tests, and obtains real
// tokens from it over HTTP.
//
// The Go side generates everything secret: the signing keys (RSA and EC,
// handed to the provider as a private JWK Set in a 0600 file), the client
// secrets, and for the TLS variant a test CA and the server certificate.
// Node listens on a port chosen at run time; the issuer is
// http(s)://<IssuerHost>:<port>.
//
// Node.js (20 or later) and the project's dependencies are prerequisites:
//
//	npm ci --prefix testdata/oidc-provider
//
// Start fails, never skips, when either is missing, with a message saying
// what to install or run. The harness does not run npm itself (no hidden
// network access from tests); CI's .ci/run runs npm ci.
//
// Start it once per test binary (TestMain) and share it: each node process
// costs about half a second.
package oidcprovider

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Resource indicators the provider issues JWT access tokens for.
const (
	// ResourceAPI gets ES256-signed JWT access tokens with scopes
	// "api:read api:write".
	ResourceAPI = "https://api.authdoctor.test"
	// ResourceRS256 gets RS256-signed JWT access tokens with scope
	// "reports:read".
	ResourceRS256 = "urn:authdoctor:reports"
)

// Client IDs of the clients the provider knows.
const (
	// CCClientID is a confidential client allowed the client-credentials
	// grant only.
	CCClientID = "authdoctor-cc"
	// WebClientID is a confidential web application (like Airflow's
	// webserver) using the authorization-code flow with PKCE; its ID
	// tokens are RS256.
	WebClientID = "airflow-web"
	// WebRedirectURI is the web client's registered redirect URI, the
	// shape FAB uses (/oauth-authorized/<provider name>). Nothing listens
	// there: the harness stops at the redirect and reads the code.
	WebRedirectURI = "http://127.0.0.1:8080/oauth-authorized/authdoctor"
)

// Claims are an account's claims beyond sub.
type Claims map[string]any

// DefaultAccounts are the users of the login form (any password works).
// The login name is the subject.
func DefaultAccounts() map[string]Claims {
	return map[string]Claims{
		"dana": {
			"email":              "dana.ops@example.test",
			"email_verified":     true,
			"name":               "Dana Ops",
			"given_name":         "Dana",
			"family_name":        "Ops",
			"preferred_username": "dana.ops",
			"groups":             []string{"airflow-admins", "data-eng"},
			"roles":              []string{"Admin"},
		},
		"vic": {
			"email":              "vic.viewer@example.test",
			"email_verified":     true,
			"name":               "Vic Viewer",
			"given_name":         "Vic",
			"family_name":        "Viewer",
			"preferred_username": "vic.viewer",
			"groups":             []string{"airflow-viewers"},
			"roles":              []string{"Viewer"},
		},
	}
}

// Options configure Start. The zero value is a plain-HTTP provider on
// 127.0.0.1 with a fresh RSA+EC key set and DefaultAccounts.
type Options struct {
	// Dir is the Node project (default: <repo root>/testdata/oidc-provider,
	// the repo root found by walking up from the working directory to
	// go.mod).
	Dir string
	// TLS serves the issuer over https with a certificate from a CA made
	// at start (Provider.CAFile).
	TLS bool
	// IssuerHost is the host written in the issuer URL (default
	// 127.0.0.1). Anything else is reached by dialling 127.0.0.1: the
	// harness's own client does so, and CLIArgs gives the CLI the
	// matching --connect-to rule. With TLS the certificate names it.
	IssuerHost string
	// Keys are the initial signing keys (default: NewKeySet("k1")).
	Keys *KeySet
	// Accounts are the users (default: DefaultAccounts()).
	Accounts map[string]Claims
	// IDTokenTTL, AccessTokenTTL default to one hour.
	IDTokenTTL, AccessTokenTTL time.Duration
	// StartTimeout bounds the wait for the provider to listen (default 30s).
	StartTimeout time.Duration
	// Clients are more authorization-code clients (their secrets are
	// generated: Provider.Clients).
	Clients []Client
}

// Client describes one more authorization-code client of the provider.
type Client struct {
	ID           string
	RedirectURIs []string
	// Native makes it a native application: an http loopback redirect URI
	// then matches whatever port the request names (RFC 8252 §7.3).
	Native bool
	// AuthMethod is its token_endpoint_auth_method (default
	// client_secret_basic).
	AuthMethod string
}

// Credentials of a client.
type Credentials struct {
	ID     string
	Secret string
}

// Provider is a running oidc-provider process.
type Provider struct {
	// Issuer is the issuer identifier, e.g. http://127.0.0.1:41234.
	Issuer string
	// DiscoveryURL is Issuer + "/.well-known/openid-configuration".
	DiscoveryURL string
	// JWKSURI is the provider's jwks_uri.
	JWKSURI string
	// AuthURL is the authorization endpoint; TokenURL the token endpoint.
	AuthURL, TokenURL string
	// Addr is the loopback address node listens on (127.0.0.1:port).
	Addr string
	// CAFile is the PEM file of the test CA (TLS only, else "").
	CAFile string
	// CC is the client-credentials client; Web the authorization-code one.
	CC, Web Credentials
	// Clients are the credentials of Options.Clients, by ID.
	Clients map[string]Credentials
	// Accounts are the users the provider knows.
	Accounts map[string]Claims

	dir        string // temp dir: config, PEM files
	adminToken string
	cmd        *exec.Cmd
	stdin      io.WriteCloser
	logs       *logBuffer
	exited     chan struct{}
	tlsConfig  *tls.Config

	mu   sync.Mutex
	keys *KeySet

	closeOnce sync.Once
	closeErr  error
}

// StartT starts a provider for one test and stops it when the test ends.
// It fails the test (never skips) when Node.js or the npm dependencies
// are missing.
func StartT(t testing.TB, opts Options) *Provider {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout(opts))
	defer cancel()
	p, err := Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("oidcprovider: close: %v", err)
		}
	})
	return p
}

func startTimeout(opts Options) time.Duration {
	if opts.StartTimeout > 0 {
		return opts.StartTimeout
	}
	return 30 * time.Second
}

// Start runs node on the provider script and waits until it listens. Call
// Close when done. For TestMain, where there is no testing.T.
func Start(ctx context.Context, opts Options) (*Provider, error) {
	dir := opts.Dir
	if dir == "" {
		root, err := RepoRoot()
		if err != nil {
			return nil, err
		}
		dir = filepath.Join(root, "testdata", "oidc-provider")
	}
	node, err := Preflight(dir)
	if err != nil {
		return nil, err
	}

	keys := opts.Keys
	if keys == nil {
		if keys, err = NewKeySet("k1"); err != nil {
			return nil, err
		}
	}
	accounts := opts.Accounts
	if accounts == nil {
		accounts = DefaultAccounts()
	}
	host := opts.IssuerHost
	if host == "" {
		host = "127.0.0.1"
	}

	tmp, err := os.MkdirTemp("", "authdoctor-oidc-provider-")
	if err != nil {
		return nil, fmt.Errorf("oidcprovider: %w", err)
	}
	p := &Provider{
		CC:         Credentials{ID: CCClientID, Secret: "cc-secret-" + randHex(16)},
		Web:        Credentials{ID: WebClientID, Secret: "web-secret-" + randHex(16)},
		Clients:    map[string]Credentials{},
		Accounts:   accounts,
		dir:        tmp,
		adminToken: randHex(24),
		keys:       keys,
		logs:       &logBuffer{max: 64 << 10},
		exited:     make(chan struct{}),
		tlsConfig:  &tls.Config{MinVersion: tls.VersionTLS12},
	}
	ok := false
	defer func() {
		if !ok {
			_ = p.Close()
		}
	}()

	var tlsFiles map[string]string
	if opts.TLS {
		hosts := []string{host}
		if host != "127.0.0.1" {
			hosts = append(hosts, "127.0.0.1")
		}
		ca, err := newTestCA(tmp, hosts)
		if err != nil {
			return nil, fmt.Errorf("oidcprovider: test CA: %w", err)
		}
		p.CAFile = ca.caFile
		p.tlsConfig.RootCAs = ca.pool
		tlsFiles = map[string]string{"cert": ca.certPEM, "key": ca.keyPEM}
	}

	cfgPath, err := p.writeConfig(opts, host, tlsFiles)
	if err != nil {
		return nil, err
	}

	p.cmd = exec.Command(node, filepath.Join(dir, "provider.mjs"), cfgPath)
	p.cmd.Dir = dir
	p.cmd.Env = append(os.Environ(), "NODE_ENV=test")
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("oidcprovider: %w", err)
	}
	type ready struct {
		Ready  bool   `json:"ready"`
		Issuer string `json:"issuer"`
		Port   int    `json:"port"`
	}
	readyc := make(chan ready, 1)
	sent := false
	p.cmd.Stdout = &lineWriter{line: func(line []byte) {
		var r ready
		if !sent && json.Unmarshal(line, &r) == nil && r.Ready {
			readyc <- r
			sent = true
			return
		}
		_, _ = p.logs.Write(append(append([]byte{}, line...), '\n'))
	}}
	p.cmd.Stderr = p.logs
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("oidcprovider: starting %s: %w", node, err)
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.exited)
	}()

	timeout := time.NewTimer(startTimeout(opts))
	defer timeout.Stop()
	select {
	case r := <-readyc:
		p.Issuer = r.Issuer
		p.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(r.Port))
	case <-p.exited:
		return nil, fmt.Errorf("oidcprovider: node exited before listening (%s)\n%s", p.cmd.ProcessState, p.Logs())
	case <-timeout.C:
		return nil, fmt.Errorf("oidcprovider: node did not listen within %s\n%s", startTimeout(opts), p.Logs())
	case <-ctx.Done():
		return nil, fmt.Errorf("oidcprovider: waiting for node: %w\n%s", ctx.Err(), p.Logs())
	}

	p.DiscoveryURL = p.Issuer + "/.well-known/openid-configuration"
	var doc struct {
		JWKSURI       string `json:"jwks_uri"`
		AuthEndpoint  string `json:"authorization_endpoint"`
		TokenEndpoint string `json:"token_endpoint"`
	}
	if err := p.getJSON(ctx, p.DiscoveryURL, &doc); err != nil {
		return nil, fmt.Errorf("oidcprovider: discovery: %w\n%s", err, p.Logs())
	}
	p.JWKSURI, p.AuthURL, p.TokenURL = doc.JWKSURI, doc.AuthEndpoint, doc.TokenEndpoint
	ok = true
	return p, nil
}

// writeConfig writes the provider's configuration (with the private JWKS)
// to a 0600 file.
func (p *Provider) writeConfig(opts Options, host string, tlsFiles map[string]string) (string, error) {
	jwks, err := p.keys.PrivateJWKS()
	if err != nil {
		return "", err
	}
	secs := func(d time.Duration) int { return int(d / time.Second) }
	clients := []map[string]any{
		{
			"client_id":                  p.CC.ID,
			"client_secret":              p.CC.Secret,
			"grant_types":                []string{"client_credentials"},
			"response_types":             []string{},
			"redirect_uris":              []string{},
			"token_endpoint_auth_method": "client_secret_basic",
		},
		{
			"client_id":                    p.Web.ID,
			"client_secret":                p.Web.Secret,
			"grant_types":                  []string{"authorization_code"},
			"response_types":               []string{"code"},
			"redirect_uris":                []string{WebRedirectURI},
			"token_endpoint_auth_method":   "client_secret_basic",
			"id_token_signed_response_alg": "RS256",
		},
	}
	for _, c := range opts.Clients {
		cred := Credentials{ID: c.ID, Secret: "secret-" + randHex(16)}
		p.Clients[c.ID] = cred
		method := c.AuthMethod
		if method == "" {
			method = "client_secret_basic"
		}
		appType := "web"
		if c.Native {
			appType = "native"
		}
		clients = append(clients, map[string]any{
			"client_id": cred.ID, "client_secret": cred.Secret, "application_type": appType,
			"grant_types": []string{"authorization_code"}, "response_types": []string{"code"},
			"redirect_uris": c.RedirectURIs, "token_endpoint_auth_method": method,
			"id_token_signed_response_alg": "RS256",
		})
	}
	cfg := map[string]any{
		"host":       "127.0.0.1",
		"issuerHost": host,
		"adminToken": p.adminToken,
		"jwks":       json.RawMessage(jwks),
		"clients":    clients,
		"resources": map[string]any{
			ResourceAPI:   map[string]any{"alg": "ES256", "scope": "api:read api:write"},
			ResourceRS256: map[string]any{"alg": "RS256", "scope": "reports:read"},
		},
		"accounts": p.Accounts,
		"ttl": map[string]any{
			"IdToken":     secs(opts.IDTokenTTL),
			"AccessToken": secs(opts.AccessTokenTTL),
		},
	}
	if tlsFiles != nil {
		cfg["tls"] = tlsFiles
	}
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(p.dir, "config.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return "", fmt.Errorf("oidcprovider: %w", err)
	}
	return path, nil
}

// RepoRoot walks up from the working directory to the directory holding
// go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("oidcprovider: go.mod not found above the working directory; run the tests from inside the repository")
		}
		dir = parent
	}
}

// Preflight checks that node (20 or later) is installed and that the Node
// project in dir has its dependencies installed as locked. It returns the
// path of node, or an error saying what to install or run.
func Preflight(dir string) (string, error) {
	const fix = "npm ci --prefix testdata/oidc-provider"
	node, err := exec.LookPath("node")
	if err != nil {
		return "", fmt.Errorf("oidcprovider: node is not installed (not on PATH): the integration tests run a real OpenID provider on Node.js; install Node.js 20 or later with npm (Debian/Ubuntu: apt-get install nodejs npm), then run `%s` from the repository root", fix)
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("oidcprovider: `node --version` failed: %v", err)
	}
	ver := strings.TrimSpace(string(out))
	major, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(ver, "v"), ".", 2)[0])
	if major < 20 {
		return "", fmt.Errorf("oidcprovider: node %s is too old: oidc-provider 9 needs Node.js 20 or later (22 LTS recommended)", ver)
	}
	if _, err := os.Stat(filepath.Join(dir, "provider.mjs")); err != nil {
		return "", fmt.Errorf("oidcprovider: the Node project is missing: %v", err)
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return "", fmt.Errorf("oidcprovider: %v", err)
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		return "", fmt.Errorf("oidcprovider: %s/package-lock.json: %v", dir, err)
	}
	want := lock.Packages["node_modules/oidc-provider"].Version
	var installed struct {
		Version string `json:"version"`
	}
	data, err = os.ReadFile(filepath.Join(dir, "node_modules", "oidc-provider", "package.json"))
	if err != nil {
		return "", fmt.Errorf("oidcprovider: the provider's npm dependencies are not installed (%s/node_modules/oidc-provider is missing): run `%s` from the repository root", dir, fix)
	}
	if err := json.Unmarshal(data, &installed); err != nil || installed.Version != want {
		return "", fmt.Errorf("oidcprovider: node_modules holds oidc-provider %q but package-lock.json pins %q: run `%s` from the repository root", installed.Version, want, fix)
	}
	return node, nil
}

// Close stops node (closing its stdin ends it; it is killed after two
// seconds) and removes the temporary files. Safe to call more than once.
func (p *Provider) Close() error {
	p.closeOnce.Do(func() {
		if p.cmd != nil && p.cmd.Process != nil {
			_ = p.stdin.Close()
			select {
			case <-p.exited:
			case <-time.After(2 * time.Second):
				_ = p.cmd.Process.Kill()
				<-p.exited
			}
		}
		if p.dir != "" {
			p.closeErr = os.RemoveAll(p.dir)
		}
	})
	return p.closeErr
}

// Logs returns what node printed (stderr and stray stdout), capped.
func (p *Provider) Logs() string { return p.logs.String() }

// Keys returns the key set the provider signs with now.
func (p *Provider) Keys() *KeySet {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.keys
}

// URLHost is host:port of the issuer URL.
func (p *Provider) URLHost() string {
	return strings.TrimPrefix(strings.TrimPrefix(p.Issuer, "https://"), "http://")
}

// ConnectTo is the curl-style --connect-to rule that sends the issuer's
// host:port to the loopback address node listens on, or "" when the
// issuer's host is 127.0.0.1 already.
func (p *Provider) ConnectTo() string {
	if p.URLHost() == p.Addr {
		return ""
	}
	return p.URLHost() + ":" + p.Addr
}

// CLIArgs are the network flags the CLI needs to reach this provider:
// --ca-file for TLS, --connect-to for a non-loopback issuer host.
func (p *Provider) CLIArgs() []string {
	var args []string
	if p.CAFile != "" {
		args = append(args, "--ca-file", p.CAFile)
	}
	if ct := p.ConnectTo(); ct != "" {
		args = append(args, "--connect-to", ct)
	}
	return args
}

// HTTPClient returns a client that trusts the test CA, dials node for the
// issuer's host and follows no redirects.
func (p *Provider) HTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		Proxy:           nil, // loopback: never through HTTPS_PROXY
		TLSClientConfig: p.tlsConfig.Clone(),
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if addr == p.URLHost() {
				addr = p.Addr
			}
			return dialer.DialContext(ctx, network, addr)
		},
		ForceAttemptHTTP2: false,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

func (p *Provider) getJSON(ctx context.Context, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := p.HTTPClient().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s: %s", url, resp.Status, bytes.TrimSpace(body))
	}
	return json.Unmarshal(body, v)
}

// PublishedJWKS fetches the provider's JWKS as served now.
func (p *Provider) PublishedJWKS(ctx context.Context) ([]byte, error) {
	var raw json.RawMessage
	if err := p.getJSON(ctx, p.JWKSURI, &raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// Rotate makes the provider sign with ks from now on and publish its
// public keys; keys not in ks are gone from the JWKS (pass
// ks.Merge(old) to keep them published). The next staleResponses GETs of
// the JWKS endpoint still return the previous set, as a lagging cache in
// front of an IdP would; 0 means none.
func (p *Provider) Rotate(ctx context.Context, ks *KeySet, staleResponses int) error {
	jwks, err := ks.PrivateJWKS()
	if err != nil {
		return err
	}
	body, err := json.Marshal(map[string]any{"jwks": json.RawMessage(jwks), "staleResponses": staleResponses})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.Issuer+"/__admin/rotate", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+p.adminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.HTTPClient().Do(req)
	if err != nil {
		return fmt.Errorf("oidcprovider: rotate: %w", err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("oidcprovider: rotate: %s: %s", resp.Status, bytes.TrimSpace(out))
	}
	p.mu.Lock()
	p.keys = ks
	p.mu.Unlock()
	return nil
}

func randHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// lineWriter calls line for each complete line written to it (exec copies
// the child's stdout into it from one goroutine).
type lineWriter struct {
	buf  []byte
	line func([]byte)
}

func (w *lineWriter) Write(b []byte) (int, error) {
	w.buf = append(w.buf, b...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.line(w.buf[:i])
		w.buf = w.buf[i+1:]
	}
	return len(b), nil
}

// logBuffer keeps the last max bytes written to it.
type logBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (l *logBuffer) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, b...)
	if len(l.buf) > l.max {
		l.buf = l.buf[len(l.buf)-l.max:]
	}
	return len(b), nil
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.buf)
}
