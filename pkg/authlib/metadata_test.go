package authlib_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/authlib"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/golang-jwt/jwt/v5"
)

const tenant = "0b5c7a1e-2f3d-4c8a-9e61-5d7f3a2b1c90"

// load_server_metadata (sync_app.py OAuth2Mixin) merges the fetched
// document over the remote_app keys kept as metadata
// (server_metadata.update): jwks_uri, userinfo_endpoint and issuer given
// in remote_app lose to the document's, and each is recorded as
// overridden; authorize_url and access_token_url are attributes and win
// over the document's endpoints (create_authorization_url,
// fetch_access_token).
func TestLoad_FetchedMetadataOverridesRemoteAppKeys(t *testing.T) {
	meta := "https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/v2.0/.well-known/openid-configuration"
	c := clientFrom(t, "azure", map[string]any{
		"client_id": "cid", "server_metadata_url": meta,
		"jwks_uri":          "https://login.microsoftonline.com/common/discovery/v2.0/keys",
		"userinfo_endpoint": "https://graph.microsoft.com/v1.0/me",
		"issuer":            "https://sts.windows.net/9a95fd9e-005d-487a-9a01-d08c1eab2757/",
		"authorize_url":     "https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/oauth2/authorize",
	}, nil)
	if got := c.JWKSURI(); got.URL != "https://login.microsoftonline.com/common/discovery/v2.0/keys" || !strings.Contains(got.From, "remote_app") {
		t.Fatalf("before loading, remote_app's jwks_uri counts: %+v", got)
	}
	doc := testkit.Fixture(t, "azure/entra-v2-tenant-9a95fd9e-openid-configuration.2023-11.json")
	if r := c.Load(fetched(meta, doc)); r != nil {
		t.Fatal(r)
	}
	var d map[string]any
	_ = json.Unmarshal(doc, &d)
	for _, k := range []string{"jwks_uri", "userinfo_endpoint", "issuer"} {
		if got := c.Metadata.Str(k); got != d[k] {
			t.Errorf("%s = %q, the fetched document's is %q", k, got, d[k])
		}
	}
	if len(c.Metadata.Overridden) != 3 {
		t.Errorf("overridden %+v", c.Metadata.Overridden)
	}
	if ep := c.AuthorizationEndpoint(); ep.URL != "https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/oauth2/authorize" {
		t.Errorf("authorize_url must win over the document's authorization_endpoint: %+v", ep)
	}
	if ep := c.TokenEndpoint(); ep.URL != d["token_endpoint"] || !strings.Contains(ep.From, "fetched") {
		t.Errorf("without access_token_url the document's token_endpoint is used: %+v", ep)
	}
	// Loaded once (the "_loaded_at" marker): a second Load changes nothing.
	if r := c.Load(fetched(meta, []byte(`{"issuer":"x"}`))); r != nil || c.Metadata.Str("issuer") != d["issuer"] {
		t.Errorf("second load: %v %q", r, c.Metadata.Str("issuer"))
	}
}

// A metadata document that cannot be had fails as requests and json fail
// inside load_server_metadata (raise_for_status, resp.json()).
func TestLoad_Failures(t *testing.T) {
	c := clientFrom(t, "g", map[string]any{"client_id": "c", "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}, nil)
	r := c.Load(&netx.Result{URL: c.ServerMetadataURL, Status: 404, Err: &netx.Error{Stage: netx.StageHTTP, Status: 404, Reason: "HTTP 404 Not Found"}})
	if r == nil || r.String() != "HTTPError: 404 Client Error: Not Found for url: https://idp.example/.well-known/openid-configuration" {
		t.Errorf("404: %v", r)
	}
	c = clientFrom(t, "g", map[string]any{"client_id": "c", "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}, nil)
	if r := c.Load(fetched(c.ServerMetadataURL, []byte("<!DOCTYPE html><html>"))); r == nil || r.String() != "JSONDecodeError: Expecting value: line 1 column 1 (char 0)" {
		t.Errorf("html: %v", r)
	}
}

func signRS256(t *testing.T, key *rsa.PrivateKey, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tk := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tk.Header["kid"] = kid
	s, err := tk.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func publicJWKS(key *rsa.PrivateKey, kid string) []byte {
	b := base64.RawURLEncoding.EncodeToString
	set := map[string]any{"keys": []any{map[string]any{"kty": "RSA", "use": "sig", "kid": kid, "n": b(key.N.Bytes()), "e": b(big.NewInt(int64(key.E)).Bytes())}}}
	out, _ := json.Marshal(set)
	return out
}

// Entra's common and organizations documents (the real ones in
// ../shared/fixtures/azure) publish the issuer
// https://login.microsoftonline.com/{tenantid}/v2.0. parse_id_token pins iss
// to that string exactly (claims_options {"iss": {"values":
// [metadata["issuer"]]}}, sync_openid.py; validate_iss, claims.py), and no
// token carries "{tenantid}": a correctly signed, fresh ID token for the
// right client fails with InvalidClaimError iss (ISS003), for every user.
// The same token passes against the tenant's own document.
func TestParseIDToken_EntraCommonMetadataFailsEveryLogin(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	iss := "https://login.microsoftonline.com/" + tenant + "/v2.0"
	tok := signRS256(t, key, "k1", jwt.MapClaims{"iss": iss, "aud": "cid", "sub": "s", "tid": tenant, "oid": "o",
		"exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "nonce": "n"})
	resp, _ := json.Marshal(map[string]any{"access_token": "at", "id_token": tok, "token_type": "Bearer"})
	for _, fx := range []string{"azure/entra-v2-common-openid-configuration.2024-10-26.json", "azure/entra-v2-organizations-openid-configuration.2024-10-26.json"} {
		doc := testkit.Fixture(t, fx)
		var d map[string]any
		_ = json.Unmarshal(doc, &d)
		c := clientFrom(t, "azure", map[string]any{"client_id": "cid", "server_metadata_url": "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
			"client_kwargs": map[string]any{"scope": "openid email profile"}}, nil)
		if r := c.Load(fetched(c.ServerMetadataURL, doc)); r != nil {
			t.Fatal(r)
		}
		token, _ := authlib.ParseTokenResponse(fetched("https://login.microsoftonline.com/common/oauth2/v2.0/token", resp))
		fetch := func(_ context.Context, url string, _ bool) *netx.Result {
			if url != d["jwks_uri"] {
				t.Errorf("keys fetched from %s, the document's jwks_uri is %s", url, d["jwks_uri"])
			}
			return fetched(url, publicJWKS(key, "k1"))
		}
		res := c.ParseIDToken(context.Background(), authlib.ParseInput{Token: token, Nonce: "n", Now: now, Fetch: fetch})
		if res.Raised == nil || res.Raised.String() != "InvalidClaimError: invalid_claim: Invalid claim 'iss'" || res.Raised.Legacy != `invalid_claim: Invalid claim "iss"` {
			t.Fatalf("%s: %+v", fx, res.Raised)
		}
		if res.CauseCheck != "ISS003" || !strings.Contains(res.Cause, "{tenantid}") || !strings.Contains(res.Cause, tenant+"/v2.0/.well-known") {
			t.Errorf("%s: cause %s %q", fx, res.CauseCheck, res.Cause)
		}
		if sig := ruleNamed(res, "signature"); !sig.OK {
			t.Errorf("the signature was good; only the issuer fails: %+v", res.Rules)
		}
	}
	tenantDoc := strings.ReplaceAll(string(testkit.Fixture(t, "azure/entra-v2-tenant-9a95fd9e-openid-configuration.2023-11.json")), "9a95fd9e-005d-487a-9a01-d08c1eab2757", tenant)
	c := clientFrom(t, "azure", map[string]any{"client_id": "cid", "server_metadata_url": "https://login.microsoftonline.com/" + tenant + "/v2.0/.well-known/openid-configuration"}, nil)
	if r := c.Load(fetched(c.ServerMetadataURL, []byte(tenantDoc))); r != nil {
		t.Fatal(r)
	}
	token, _ := authlib.ParseTokenResponse(fetched("https://login.microsoftonline.com/t/token", resp))
	res := c.ParseIDToken(context.Background(), authlib.ParseInput{Token: token, Nonce: "n", Now: now,
		Fetch: func(_ context.Context, url string, _ bool) *netx.Result { return fetched(url, publicJWKS(key, "k1")) }})
	if res.Raised != nil {
		t.Errorf("the tenant's own document: %s (%s)", res.Raised, res.Cause)
	}
}
