// Package aadsts explains the Azure Entra ID (AADSTS) error codes people
// meet when wiring a web app (../shared/spec/idp.md §5). Microsoft changes
// codes and texts; https://login.microsoftonline.com/error?code=NNNN has the
// current wording.
package aadsts

import (
	"github.com/authdoctor/authdoctor/pkg/lazyre"
	"sort"
	"strconv"
	"strings"
)

// Code is one AADSTS error.
type Code struct {
	Code    int    `json:"code"`
	Name    string `json:"name"`
	Meaning string `json:"meaning"`
	Fix     string `json:"fix"`
	// Check is the authdoctor check that usually finds the cause, if any.
	Check string `json:"check,omitempty"`
}

// ID is "AADSTS50011".
func (c Code) ID() string { return "AADSTS" + strconv.Itoa(c.Code) }

// Lookup finds a code given as "AADSTS50011", "50011" or "aadsts50011".
func Lookup(s string) (Code, bool) {
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "AADSTS")
	n, err := strconv.Atoi(s)
	if err != nil {
		return Code{}, false
	}
	for _, c := range table {
		if c.Code == n {
			return c, true
		}
	}
	return Code{}, false
}

// All lists the known codes in numeric order.
func All() []Code {
	out := append([]Code(nil), table...)
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

var codeRe = lazyre.New(`AADSTS(\d{4,8})`)

// Find extracts the AADSTS codes mentioned in a text (error_description).
func Find(text string) []int {
	var out []int
	seen := map[int]bool{}
	for _, m := range codeRe.FindAllStringSubmatch(text, -1) {
		n, _ := strconv.Atoi(m[1])
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

var table = []Code{
	{50011, "InvalidReplyTo", "The redirect_uri the app sent matches none of the reply URLs registered for the app.",
		"Register the exact callback (scheme, host, port, path, trailing slash) under the Web platform. Behind a TLS-terminating proxy make the app build https:// URLs (ENABLE_PROXY_FIX in Airflow/Superset). FAB's callback is /oauth-authorized/<provider> (Airflow 3: /auth/oauth-authorized/<provider>).", "CFG008"},
	{700016, "UnauthorizedClient_DoesNotMatchRequest", "No application with this client_id exists in the tenant that was asked.",
		"Check client_id (the Application (client) ID, not the object ID); use the tenant the app is registered in, or make the app multi-tenant; check the cloud (global vs US Gov vs China).", "URL005"},
	{90002, "InvalidTenantName", "The tenant in the URL was not found.",
		"Fix the tenant GUID or domain (typo, unverified domain) and use the cloud the tenant lives in.", "ISS006"},
	{7000215, "InvalidClientSecret", "The client secret sent with the token request is wrong.",
		"Use the secret's Value (shown once at creation), not its Secret ID; create a new secret if it expired or was rotated.", ""},
	{7000222, "InvalidClientSecretExpiredKeysProvided", "The client secret has expired.",
		"Create a new client secret in the app registration and deploy it.", ""},
	{7000218, "InvalidClientAuthentication", "The token request carries neither client_assertion nor client_secret.",
		"Send the client secret (or certificate) from the app, or register the redirect URI as a public client (SPA/mobile with PKCE) if the app really is public.", ""},
	{50020, "UserUnauthorized", "The user's account does not exist in the app's tenant (a personal account or another organisation's user).",
		"Invite the user as a guest (B2B), or make the app multi-tenant and use organizations/common.", "ISS004"},
	{65001, "DelegationDoesNotExist", "The user or an administrator has not consented to the app's permissions.",
		"Grant consent (admin consent for admin-only scopes); compare the requested scopes with the app's API permissions.", ""},
	{50105, "EntitlementGrantsNotFound", "The user is not assigned to the application and assignment is required.",
		"Assign the user or one of their groups to the enterprise application, or turn \"Assignment required\" off.", ""},
	{700054, "InvalidResponseTypeIdToken", "response_type id_token was asked for but ID tokens are not enabled for the app.",
		"Enable ID tokens (implicit/hybrid) for the app, or better use the authorization code flow.", "URL002"},
	{900144, "InvalidRequestParameter", "A required parameter is missing from the request (grant_type, client_id, code, scope…).",
		"Send the token request as application/x-www-form-urlencoded with every required parameter.", ""},
	{50148, "PkceVerifierMismatch", "The PKCE code_verifier does not match the code_challenge (older code; 501481 today).",
		"Keep the same verifier from the authorize request to the token request: sessions must survive the round trip (one SECRET_KEY for all replicas, sticky sessions).", "CFG016"},
	{501481, "InvalidCodeVerifier", "The PKCE code_verifier does not match the code_challenge.",
		"Keep the same verifier from the authorize request to the token request: sessions must survive the round trip (one SECRET_KEY for all replicas, sticky sessions).", "CFG016"},
	{9002326, "CrossOriginTokenRedemption", "Cross-origin token redemption is allowed only for Single-Page Application redirect URIs.",
		"Register the redirect under the SPA platform, or redeem the code from the server (Web platform) without an Origin header.", ""},
	{50194, "NotMultiTenant", "The app is single-tenant but the common endpoint was used.",
		"Use the tenant-specific endpoint login.microsoftonline.com/<tenant-id>/…, or make the app multi-tenant.", "ISS003"},
	{90124, "V1ResourceV2GlobalEndpointNotSupported", "The resource or app cannot be used through /common or /consumers.",
		"Use /organizations or the tenant-specific endpoint.", "ISS003"},
	{90130, "NonConvergedAppV2GlobalEndpointNotSupported", "The application is not supported over /common or /consumers.",
		"Use /organizations or the tenant-specific endpoint.", "ISS003"},
	{9002332, "AppOnlyForEntraUsers", "The app is for Entra (work or school) users only; /consumers cannot be used.",
		"Use the tenant-specific endpoint or /organizations.", ""},
	{500011, "InvalidResourceServicePrincipalNotFound", "The resource (API) named in the scope is not provisioned in the tenant.",
		"Fix the scope's resource URI (api://<client-id>/.default) or provision the API in the tenant.", "TOK008"},
	{50146, "MissingCustomSigningKey", "The app is configured for a custom signing key but none is configured.",
		"Configure the app's signing key, or remove the claims-mapping policy that requires it; verifiers must then use jwks_uri?appid=<client_id>.", "TOK004"},
	{501461, "AcceptMappedClaims", "Claims mapping requires acceptMappedClaims or a custom signing key for this audience.",
		"Set acceptMappedClaims in the app manifest or use a custom signing key (see §3.4 of the Entra docs on app-specific keys).", "TOK004"},
	{700005, "InvalidGrantRedeemAgainstWrongTenant", "The authorization code was redeemed against a different tenant than the one it was issued for.",
		"Use the same authority (/common or /<tenant>) for the authorize and the token endpoints.", "ISS005"},
	{54005, "OAuth2AuthorizationCodeAlreadyRedeemed", "The authorization code was already redeemed.",
		"Do not replay the callback URL; a proxy or a retrying client may redeem it twice.", ""},
	{70008, "ExpiredOrRevokedGrant", "The refresh token or code has expired or been revoked (inactivity).",
		"Sign in again.", ""},
	{700082, "ExpiredOrRevokedGrantInactiveToken", "The refresh token expired through inactivity.",
		"Sign in again.", ""},
	{700084, "SpaRefreshTokenLifetimeExceeded", "The refresh token of a single-page app exceeded its fixed lifetime.",
		"Sign in again; SPA refresh tokens live at most 24 hours.", ""},
	{90027, "MsaV1NotSupported", "Tokens cannot be issued from the v1 endpoints to personal Microsoft accounts.",
		"Use the v2.0 endpoints for apps that accept personal accounts.", "ISS002"},
	{90038, "NationalCloudTenantRedirection", "The tenant lives in another national cloud.",
		"Use the login host of the tenant's cloud (login.microsoftonline.us, login.partner.microsoftonline.cn).", "ISS007"},
	{500208, "DomainHintMustbePresent", "A personal account tried to sign in to an app for work accounts only.",
		"Sign in with a work or school account, or change the app's supported account types.", "ISS004"},
}
