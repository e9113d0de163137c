// Package entra impersonates a Microsoft Entra ID tenant on loopback TLS
// for tests: login.microsoftonline.com (and sts.windows.net) reached
// through --connect-to with the test CA in --ca-file, serving the tenant's
// v1 and v2 discovery documents and keys, the common and organizations
// documents, and the authorization-code flow — an authorize endpoint that
// sends the browser back to a registered redirect URI with a code (or
// shows an AADSTS error page), and a token endpoint that exchanges the
// code for an ID token signed with the tenant's key, v1 or v2 after the
// endpoint used, with the user's roles or groups. Facts follow
// ../shared/spec/idp.md §1, §2 and §5.
//
// It imports nothing of authdoctor but pkg/testkit.
package entra

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/golang-jwt/jwt/v5"
)

// Host is the login host impersonated.
const Host = "login.microsoftonline.com"

// Options describe the tenant, the app registration and the user.
type Options struct {
	Tenant   string
	ClientID string
	Secret   string
	// RedirectURIs are the app's registered reply URLs. A loopback one
	// (localhost, 127.0.0.1) matches any port, as Entra matches them.
	RedirectURIs []string
	// User is the signed-in user's claims beyond the ones every token
	// has (oid, name, email, upn, roles, groups …).
	User map[string]any
	// Now is the clock of issued tokens (default time.Now).
	Now func() time.Time
	// Extra routes override or add (host/path keys, as testkit.Routes).
	Extra testkit.Routes
	// StaleNonce, when set, is the nonce every ID token carries whatever
	// the request sent (a token replayed from a cache).
	StaleNonce string
}

// Server is the running tenant.
type Server struct {
	*testkit.Server
	Key  *rsa.PrivateKey
	opts Options

	mu    sync.Mutex
	codes map[string]grant
}

// grant is what an issued code stands for.
type grant struct {
	clientID, redirectURI, nonce, challenge, version string
	openid                                           bool
}

// Start serves the tenant for one test.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{Key: key, opts: o, codes: map[string]grant{}}
	s.Server = testkit.StartTLS(t, []string{Host, "sts.windows.net", "graph.microsoft.com"}, s.routes())
	return s
}

// IssuerV2 and IssuerV1 are the tenant's issuers.
func (s *Server) IssuerV2() string { return "https://" + Host + "/" + s.opts.Tenant + "/v2.0" }

// IssuerV1 is the v1 issuer: another host, a trailing slash.
func (s *Server) IssuerV1() string { return "https://sts.windows.net/" + s.opts.Tenant + "/" }

// MetadataV2 is the tenant's v2 discovery URL.
func (s *Server) MetadataV2() string { return s.IssuerV2() + "/.well-known/openid-configuration" }

func (s *Server) routes() http.Handler {
	tid := s.opts.Tenant
	base := "https://" + Host + "/"
	jwks := s.jwks()
	rs := testkit.Routes{
		Host + "/" + tid + "/v2.0/.well-known/openid-configuration":   testkit.JSON(doc(tid, s.IssuerV2(), "v2")),
		Host + "/" + tid + "/.well-known/openid-configuration":        testkit.JSON(doc(tid, s.IssuerV1(), "v1")),
		Host + "/common/v2.0/.well-known/openid-configuration":        testkit.JSON(doc("common", base+"{tenantid}/v2.0", "v2")),
		Host + "/organizations/v2.0/.well-known/openid-configuration": testkit.JSON(doc("organizations", base+"{tenantid}/v2.0", "v2")),
		Host + "/" + tid + "/discovery/v2.0/keys":                     testkit.JSON(jwks),
		Host + "/" + tid + "/discovery/keys":                          testkit.JSON(jwks),
		Host + "/common/discovery/v2.0/keys":                          testkit.JSON(jwks),
		Host + "/organizations/discovery/v2.0/keys":                   testkit.JSON(jwks),
		Host + "/common/discovery/keys":                               testkit.JSON(jwks),
	}
	for k, v := range s.opts.Extra {
		rs[k] = v
	}
	mux := http.NewServeMux()
	for _, v := range []string{"v2", "v1"} {
		for _, t := range []string{tid, "common", "organizations"} {
			path := "/" + t + "/oauth2/v2.0/"
			if v == "v1" {
				path = "/" + t + "/oauth2/"
			}
			v := v
			mux.HandleFunc(Host+path+"authorize", func(w http.ResponseWriter, r *http.Request) { s.authorize(w, r, v) })
			mux.HandleFunc(Host+path+"token", s.token)
		}
	}
	mux.HandleFunc("graph.microsoft.com/oidc/userinfo", s.userinfo)
	mux.Handle("/", rs)
	return mux
}

func doc(tenant, issuer, version string) []byte {
	base := "https://" + Host + "/" + tenant
	d := map[string]any{"issuer": issuer, "response_types_supported": []string{"code", "id_token", "code id_token", "id_token token"},
		"subject_types_supported": []string{"pairwise"}, "id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"}}
	if version == "v2" {
		d["authorization_endpoint"], d["token_endpoint"] = base+"/oauth2/v2.0/authorize", base+"/oauth2/v2.0/token"
		d["jwks_uri"], d["userinfo_endpoint"] = base+"/discovery/v2.0/keys", "https://graph.microsoft.com/oidc/userinfo"
	} else {
		d["authorization_endpoint"], d["token_endpoint"] = base+"/oauth2/authorize", base+"/oauth2/token"
		d["jwks_uri"], d["userinfo_endpoint"] = "https://"+Host+"/"+tenant+"/discovery/keys", "https://"+Host+"/"+tenant+"/openid/userinfo"
	}
	b, _ := json.Marshal(d)
	return b
}

// jwks publishes the tenant's key with Entra's members (kid = x5t).
func (s *Server) jwks() []byte {
	b := base64.RawURLEncoding.EncodeToString
	k := map[string]any{"kty": "RSA", "use": "sig", "kid": "entra-k1", "x5t": "entra-k1",
		"n": b(s.Key.N.Bytes()), "e": b(big.NewInt(int64(s.Key.E)).Bytes()), "issuer": s.IssuerV2()}
	out, _ := json.Marshal(map[string]any{"keys": []any{k}})
	return out
}

// registered matches a redirect URI as Entra does: exactly, except that
// the port of a loopback URI is ignored.
func (s *Server) registered(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil {
		return false
	}
	for _, reg := range s.opts.RedirectURIs {
		if reg == uri {
			return true
		}
		ru, err := url.Parse(reg)
		if err != nil || ru.Scheme != "http" || u.Scheme != "http" {
			continue
		}
		if loopback(ru.Hostname()) && ru.Hostname() == u.Hostname() && ru.Path == u.Path {
			return true
		}
	}
	return false
}

func loopback(h string) bool { return h == "localhost" || h == "127.0.0.1" || h == "::1" }

// errorPage is Entra's sign-in error page, with the AADSTS code stated.
func errorPage(w http.ResponseWriter, code, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body><div id=\"error\">AADSTS" + code + ": " + text + "</div></body></html>"))
}

// authorize validates the client and the redirect URI, then (the user
// being signed in already) sends the browser back with a code.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, version string) {
	q := r.URL.Query()
	if q.Get("client_id") != s.opts.ClientID {
		errorPage(w, "700016", "Application with identifier '"+q.Get("client_id")+"' was not found in the directory '"+s.opts.Tenant+"'.")
		return
	}
	ru := q.Get("redirect_uri")
	if !s.registered(ru) {
		errorPage(w, "50011", "The redirect URI '"+ru+"' specified in the request does not match the redirect URIs configured for the application '"+s.opts.ClientID+"'.")
		return
	}
	back, _ := url.Parse(ru)
	bq := url.Values{"state": {q.Get("state")}}
	code := "code-" + randText(16)
	// The v2 endpoints issue an ID token only for the openid scope (the
	// code still comes without it).
	openid := version == "v1" || strings.Contains(" "+q.Get("scope")+" ", " openid ")
	s.mu.Lock()
	s.codes[code] = grant{clientID: q.Get("client_id"), redirectURI: ru, nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), version: version, openid: openid}
	s.mu.Unlock()
	bq.Set("code", code)
	if version == "v2" {
		bq.Set("session_state", randText(8))
	}
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func randText(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// tokenError is Entra's token endpoint error body.
func tokenError(w http.ResponseWriter, status int, e, code, text string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": e, "error_description": "AADSTS" + code + ": " + text, "error_codes": []int{atoi(code)}})
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// token exchanges a code: client authentication (basic or post), the
// redirect URI and PKCE verifier of the authorization request, one use.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "authorization_code" {
		tokenError(w, 400, "unsupported_grant_type", "70003", "The app requested an unsupported grant type.")
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	switch {
	case id != s.opts.ClientID:
		tokenError(w, 400, "unauthorized_client", "700016", "Application with identifier '"+id+"' was not found in the directory.")
		return
	case secret == "":
		tokenError(w, 401, "invalid_client", "7000218", "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
		return
	case secret != s.opts.Secret:
		tokenError(w, 401, "invalid_client", "7000215", "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")
		return
	}
	code := r.PostForm.Get("code")
	s.mu.Lock()
	g, ok := s.codes[code]
	delete(s.codes, code)
	s.mu.Unlock()
	switch {
	case !ok:
		tokenError(w, 400, "invalid_grant", "54005", "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")
		return
	case r.PostForm.Get("redirect_uri") != g.redirectURI:
		tokenError(w, 400, "invalid_grant", "50148", "The redirect_uri does not match the one of the authorization request.")
		return
	case g.challenge != "" && s256(r.PostForm.Get("code_verifier")) != g.challenge:
		tokenError(w, 400, "invalid_grant", "501481", "The Code_Verifier does not match the code_challenge supplied in the authorization request.")
		return
	}
	resp := map[string]any{"token_type": "Bearer", "scope": "openid profile email", "expires_in": 3599, "access_token": s.accessToken()}
	if g.openid {
		resp["id_token"] = s.idToken(g)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(resp)
}

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// idToken is the tenant's ID token for the user: v2 claims from the v2
// endpoints, v1 claims (sts.windows.net issuer, upn, x5t) from the v1.
func (s *Server) idToken(g grant) string {
	now := s.opts.Now()
	c := jwt.MapClaims{"aud": g.clientID, "tid": s.opts.Tenant, "sub": "pairwise-sub-1",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	if g.nonce != "" {
		c["nonce"] = g.nonce
	}
	if s.opts.StaleNonce != "" {
		c["nonce"] = s.opts.StaleNonce
	}
	if g.version == "v2" {
		c["iss"], c["ver"] = s.IssuerV2(), "2.0"
	} else {
		c["iss"], c["ver"] = s.IssuerV1(), "1.0"
	}
	for k, v := range s.opts.User {
		c[k] = v
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	t.Header["kid"] = "entra-k1"
	if g.version == "v1" {
		t.Header["x5t"] = "entra-k1"
	}
	out, _ := t.SignedString(s.Key)
	return out
}

// accessToken is a Microsoft Graph access token (which apps cannot
// verify: nonce in the header), as Entra issues for openid profile email.
func (s *Server) accessToken() string {
	now := s.opts.Now()
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"aud": "00000003-0000-0000-c000-000000000000",
		"iss": "https://sts.windows.net/" + s.opts.Tenant + "/", "tid": s.opts.Tenant, "scp": "email openid profile User.Read",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()})
	t.Header["kid"] = "entra-k1"
	t.Header["nonce"] = randText(16)
	out, _ := t.SignedString(s.Key)
	return out
}

// userinfo is Microsoft Graph's OIDC userinfo for the access token.
func (s *Server) userinfo(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty."}}`))
		return
	}
	out := map[string]any{"sub": "pairwise-sub-1"}
	for _, k := range []string{"name", "email", "given_name", "family_name"} {
		if v, ok := s.opts.User[k]; ok {
			out[k] = v
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// Browser is an HTTP client that reaches the tenant as a browser would
// (the test CA trusted, login.microsoftonline.com dialled on loopback) and
// does not follow redirects.
func (s *Server) Browser() *http.Client {
	pool := s.CA.Pool()
	addr := s.Addr
	return &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
			DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
				if strings.HasPrefix(a, Host+":") {
					a = addr
				}
				return (&net.Dialer{}).DialContext(ctx, network, a)
			}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
