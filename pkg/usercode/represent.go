package usercode

import (
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/idp"
)

// A representative login of a provider, for lint: the claims every token
// of that IdP carries (taken from the real tokens in
// ../shared/fixtures/tokens and spec/idp.md), and the claims that only
// some carry, with why. The values are made up; the claim names are the
// IdP's.

// representative is one IdP's tokens.
type representative struct {
	idp string
	// id, access and userinfo are the claims every such token (and
	// user-info answer) carries; access nil: an opaque access token.
	id, access, userinfo map[string]any
	// optional are claims some tokens lack, with why.
	optional map[string]string
	// roleClaims are optional claims that carry roles or groups, added
	// for the final evaluation to see where role_keys come from.
	roleClaims []string
	// clientID names the client whose resource_access entry a Keycloak
	// user has only with client roles.
	clientID string
	// idAlways: the token endpoint returns an id_token whatever the scope
	// (Entra ID's v1 endpoints).
	idAlways bool
}

const (
	exampleGUID   = "00000000-0000-4000-8000-0000000000a1"
	exampleTenant = "00000000-0000-4000-8000-0000000000b2"
	exampleUser   = "user@example.org"
)

// representativeOf chooses the IdP of a provider by its name and
// endpoints (a generic OpenID provider when they do not tell).
func representativeOf(cfg *fab.Config, pr *fab.Provider) *representative {
	kind := ""
	for _, k := range []string{"server_metadata_url", "authorize_url", "access_token_url", "api_base_url"} {
		if s, ok := pr.RemoteStr(k); ok {
			if a := idp.Parse(s); a.IdP != "generic" {
				kind = a.IdP
				break
			}
		}
	}
	name := strings.ToLower(pr.Name)
	switch {
	case kind == "azure" || name == "azure":
		switch entraVersion(cfg, pr) {
		case "v1":
			return entraV1()
		case "v2":
			return entraV2()
		}
		return entraEither()
	case kind == "keycloak" || strings.HasPrefix(name, "keycloak"):
		r := keycloak()
		r.clientID, _ = pr.RemoteStr("client_id")
		return r
	case kind == "okta" || name == "okta":
		return okta()
	case kind == "google" || name == "google":
		return google()
	case name == "github" || name == "githublocal":
		return github()
	}
	return generic()
}

// generic: an OpenID provider authdoctor has no tokens of; only the
// claims OpenID Connect requires. Claims the code reads beyond them are
// added without a finding (nothing says the IdP lacks them).
func generic() *representative {
	id := map[string]any{"iss": "https://idp.example.org", "sub": "subject", "aud": "client"}
	return &representative{idp: "an OpenID provider", id: id, access: copyMap(id), userinfo: map[string]any{"sub": "subject"},
		roleClaims: []string{"groups", "roles"}}
}

// entraV2: claim names of the v2 id_token fixture; the access token of a
// v2 sign-in is Microsoft Graph's (v1 format: the Graph token fixture).
func entraV2() *representative {
	iss := "https://login.microsoftonline.com/" + exampleTenant + "/v2.0"
	return &representative{idp: "Entra ID v2",
		id: map[string]any{"aud": exampleGUID, "iss": iss, "aio": "aio", "name": "Example User", "oid": exampleGUID,
			"preferred_username": exampleUser, "sub": "sub-pairwise", "tid": exampleTenant, "uti": "uti", "ver": "2.0"},
		access: graphAccess(),
		userinfo: map[string]any{"sub": "sub-pairwise", "name": "Example User", "family_name": "User", "given_name": "Example",
			"picture": "https://graph.microsoft.com/v1.0/me/photo/$value"},
		optional:   entraOptional("v2"),
		roleClaims: []string{"groups", "roles", "wids"},
	}
}

// entraV1: claim names of the v1 id_token fixture.
func entraV1() *representative {
	return &representative{idp: "Entra ID v1",
		id: map[string]any{"aud": exampleGUID, "iss": "https://sts.windows.net/" + exampleTenant + "/", "ver": "1.0", "tid": exampleTenant,
			"amr": []any{"pwd"}, "oid": exampleGUID, "upn": exampleUser, "unique_name": exampleUser, "sub": "sub-pairwise",
			"family_name": "User", "given_name": "Example"},
		access:     graphAccess(),
		userinfo:   map[string]any{"sub": "sub-pairwise", "name": "Example User", "family_name": "User", "given_name": "Example"},
		optional:   entraOptional("v1"),
		roleClaims: []string{"groups", "roles", "wids"},
		idAlways:   true,
	}
}

// entraVersion is the endpoints' version; for endpoints the reader could
// not resolve (an f-string of an unset variable) the literal text of
// their line tells it ("" when nothing does).
func entraVersion(cfg *fab.Config, pr *fab.Provider) string {
	if v := fab.AzureEndpointVersion(pr); v != "" {
		return v
	}
	if cfg == nil || cfg.SourceLine == nil {
		return ""
	}
	for _, k := range []string{"authorize_url", "access_token_url", "server_metadata_url"} {
		if _, ok := pr.RemoteStr(k); ok || !pr.RemoteHas(k) {
			continue
		}
		line := cfg.SourceLine(pr.RemoteLine(k))
		switch {
		case strings.Contains(line, "/oauth2/v2.0/") || strings.Contains(line, "/v2.0/.well-known/"):
			return "v2"
		case strings.Contains(line, "/oauth2/authorize") || strings.Contains(line, "/oauth2/token"):
			return "v1"
		}
	}
	return ""
}

// entraEither: Entra ID endpoints whose version is not known: the v2
// id_token's claims, an id_token whatever the scope (v1 sends one), and
// only the claims both versions may lack are said to be missing.
func entraEither() *representative {
	r := entraV2()
	r.idp, r.idAlways = "Entra ID (v1 or v2)", true
	v1 := entraOptional("v1")
	for k := range r.optional {
		if _, ok := v1[k]; !ok {
			delete(r.optional, k)
		}
	}
	return r
}

func graphAccess() map[string]any {
	return map[string]any{"aud": "00000003-0000-0000-c000-000000000000", "iss": "https://sts.windows.net/" + exampleTenant + "/", "ver": "1.0",
		"appid": exampleGUID, "name": "Example User", "oid": exampleGUID, "scp": "openid profile email", "sub": "sub-graph",
		"tid": exampleTenant, "unique_name": exampleUser, "upn": exampleUser, "given_name": "Example", "family_name": "User"}
}

func entraOptional(v string) map[string]string {
	m := map[string]string{
		"email":  "Entra ID tokens carry email only for users who have one (for members of the tenant only as a configured optional claim)",
		"groups": "Entra ID tokens carry groups only when the app registration emits group claims, and not above the group limit (overage)",
		"roles":  "Entra ID tokens carry roles only for users assigned an app role",
		"wids":   "Entra ID tokens carry wids only when the app emits directory roles",
		"upn":    "Entra ID v2 id_tokens carry no upn unless it is configured as an optional claim (guests have none either)",
	}
	if v == "v1" {
		delete(m, "upn")
		m["preferred_username"] = "Entra ID v1 id_tokens carry no preferred_username (it is a v2 claim)"
	} else {
		m["given_name"] = "Entra ID v2 id_tokens carry given_name only as a configured optional claim"
		m["family_name"] = "Entra ID v2 id_tokens carry family_name only as a configured optional claim"
		m["unique_name"] = "Entra ID v2 id_tokens carry no unique_name (it is a v1 claim)"
	}
	return m
}

// keycloak: claim names of the Keycloak id_token fixture, and Keycloak's
// default access token (roles scope) and user-info answer.
func keycloak() *representative {
	iss := "https://sso.example.org/realms/example"
	common := map[string]any{"iss": iss, "sub": exampleGUID, "azp": "client", "sid": "sid", "acr": "1", "email_verified": true,
		"preferred_username": "user", "name": "Example User", "given_name": "Example", "family_name": "User"}
	id := copyMap(common)
	id["aud"], id["typ"], id["at_hash"], id["auth_time"] = "client", "ID", "hash", 0
	access := copyMap(common)
	access["aud"], access["typ"], access["scope"] = "account", "Bearer", "openid email profile"
	access["realm_access"] = map[string]any{"roles": []any{"default-roles-example", "offline_access", "uma_authorization"}}
	access["resource_access"] = map[string]any{"account": map[string]any{"roles": []any{"manage-account", "view-profile"}}}
	ui := map[string]any{"sub": exampleGUID, "email_verified": true, "preferred_username": "user", "name": "Example User",
		"given_name": "Example", "family_name": "User"}
	return &representative{idp: "Keycloak", id: id, access: access, userinfo: ui,
		optional: map[string]string{
			"email":           "Keycloak leaves email out for users without an email address",
			"groups":          "Keycloak emits groups only through a Group Membership mapper",
			"roles":           "Keycloak emits a top-level roles claim only through a mapper",
			"realm_access":    "Keycloak puts realm_access in the access token; the id_token and the user-info have it only through the roles mapper",
			"resource_access": "Keycloak puts resource_access in the access token; the id_token and the user-info have it only through the roles mapper",
		},
		roleClaims: []string{"groups", "roles"},
	}
}

func okta() *representative {
	iss := "https://example.okta.com/oauth2/default"
	return &representative{idp: "Okta",
		id: map[string]any{"sub": "00u1example", "name": "Example User", "ver": 1, "iss": iss, "aud": "client", "jti": "jti",
			"amr": []any{"pwd"}, "idp": "00o1example", "preferred_username": exampleUser, "auth_time": 0, "at_hash": "hash"},
		access: map[string]any{"ver": 1, "jti": "jti", "iss": iss, "aud": "api://default", "cid": "client", "uid": "00u1example",
			"scp": []any{"openid", "profile", "email"}, "sub": exampleUser},
		userinfo: map[string]any{"sub": "00u1example", "name": "Example User", "locale": "en-US", "preferred_username": exampleUser,
			"given_name": "Example", "family_name": "User", "zoneinfo": "America/Los_Angeles", "updated_at": 0},
		optional: map[string]string{
			"email":  "Okta returns email only with the email scope",
			"groups": "Okta emits groups only when the authorization server defines a groups claim",
		},
		roleClaims: []string{"groups"},
	}
}

func google() *representative {
	return &representative{idp: "Google",
		id: map[string]any{"iss": "https://accounts.google.com", "azp": "client", "aud": "client", "sub": "1000000000001",
			"email": exampleUser, "email_verified": true, "at_hash": "hash", "name": "Example User", "picture": "https://lh3.googleusercontent.com/a",
			"given_name": "Example", "family_name": "User"},
		userinfo: map[string]any{"id": "1000000000001", "email": exampleUser, "verified_email": true, "name": "Example User",
			"given_name": "Example", "family_name": "User", "picture": "https://lh3.googleusercontent.com/a"},
		optional: map[string]string{"hd": "Google sets hd only for Google Workspace accounts"},
	}
}

func github() *representative {
	return &representative{idp: "GitHub",
		userinfo: map[string]any{"login": "octocat", "id": 1, "node_id": "MDQ6VXNlcjE=", "type": "User", "site_admin": false,
			"name": "Example User", "email": nil, "company": nil},
		optional: map[string]string{},
	}
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// tracer is a value for a claim added to a representative token: one
// the evaluation can recognise when the code returns it.
func tracer(claim string) any {
	switch claim {
	case "groups", "roles", "wids":
		return []any{claim + ":example"}
	case "realm_access", "resource_access":
		return nil // set by tracerFor with the client id
	case "email", "upn", "unique_name", "preferred_username":
		return claim + "@example.org"
	}
	return claim + ":example"
}

// tracerFor is tracer with the IdP's shapes (Keycloak's nested roles).
func (r *representative) tracerFor(claim string) any {
	switch claim {
	case "realm_access":
		return map[string]any{"roles": []any{"realm_access.roles:example"}}
	case "resource_access":
		client := r.clientID
		if client == "" {
			client = "client"
		}
		return map[string]any{client: map[string]any{"roles": []any{"resource_access.roles:example"}}}
	}
	return tracer(claim)
}
