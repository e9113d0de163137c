package fab

import (
	"slices"
	"strings"
	"testing"
)

// Expectations below come from ../shared/spec/fab.md; each case names the
// section it follows. They were written from the spec text, not from the
// program's output.

func TestSimulate_Airflow22(t *testing.T) {
	azure := func(kv ...any) *Config {
		return oauthConf(prov("azure", azureRemote()), append([]any{
			"AUTH_ROLES_MAPPING", D("airflow_admin", L("Admin"), "airflow_viewer", L("Viewer")),
			"AUTH_USER_REGISTRATION_ROLE", "Viewer"}, kv...)...)
	}
	cases := []simCase{
		{
			// §2.4 vendored row: unverified decode, email = upn (req),
			// role_keys from roles; extra keys name and id (§2.2).
			name: "azure app role maps to Admin", cfg: azure(),
			claims:  azureClaims("roles", L("airflow_admin")),
			outcome: Granted, roles: []string{"Admin", "Viewer"}, branch: "azure",
			userinfo: map[string]any{"email": "ada@corp.example.com", "username": "0e5f1c2a-1111-2222-3333-444455556666",
				"id": "0e5f1c2a-1111-2222-3333-444455556666", "role_keys": L("airflow_admin")},
			matched: []string{"airflow_admin:exact"},
			note:    "without any check",
		},
		{
			// §2.4: the vendored copy reads me["upn"]: a token with only
			// email refuses the login with KeyError 'upn' (§2.1 step 3).
			name: "azure token without upn is refused", cfg: azure(),
			claims:  azureClaims("upn", deleteMark, "roles", L("airflow_admin")),
			outcome: Refused, log: "Error returning OAuth user info: 'upn'", message: MsgInvalidLogin,
			issues: []string{"ROL006"},
		},
		{
			// §2.3 "any other name": the vendored copy returns {} and
			// auth_user_oauth logs "OAUTH userinfo does not have username
			// or email" (§3.1 step 1). keycloak has no branch in the 2.2 copy.
			name:    "keycloak has no branch in the vendored copy",
			cfg:     oauthConf(prov("keycloak", oidcRemote())),
			claims:  map[string]any{"preferred_username": "ada", "groups": L("admins")},
			outcome: Refused, log: "OAUTH userinfo does not have username or email", message: MsgInvalidLogin, branch: "none",
		},
		{
			// §2.3 okta, FAB < 4.3.11 / vendored: sub and email optional.
			name: "okta without email still logs in", cfg: oauthConf(prov("okta", oidcRemote()), "AUTH_USER_REGISTRATION_ROLE", "User"),
			claims:  map[string]any{"sub": "00u1"},
			outcome: Granted, roles: []string{"User"},
			userinfo: map[string]any{"username": "okta_00u1", "email": ""},
		},
		{
			// §3.3: with FAB's own default the registration role is
			// "Public" (the vendored copy setdefaults AUTH_ROLE_PUBLIC);
			// Public has no permissions in Airflow (§4) → 403 page.
			name: "no mapping hit: Public only", cfg: oauthConf(prov("azure", azureRemote()), "AUTH_ROLES_MAPPING", D("airflow_admin", L("Admin"))),
			claims:  azureClaims("roles", L("something_else")),
			outcome: NoAccess, roles: []string{"Public"}, issues: []string{"ROL003"},
		},
		{
			// §2.3 github: GET user → "github_"+login; no role_keys, so the
			// mapping is inert (§2.3 dry-run rule); data from the API.
			name:    "github: registration role only",
			cfg:     oauthConf(prov("github", oidcRemote()), "AUTH_ROLES_MAPPING", D("admins", L("Admin")), "AUTH_USER_REGISTRATION_ROLE", "Viewer"),
			claims:  map[string]any{"login": "octocat"},
			outcome: Granted, roles: []string{"Viewer"}, userinfo: map[string]any{"username": "github_octocat"},
			noKey: []string{"role_keys"}, note: "the github branch gets its data from",
		},
		{
			// §2.3 github: login missing → "github_" + None → TypeError.
			name:    "github without login",
			cfg:     oauthConf(prov("github", oidcRemote())),
			claims:  map[string]any{"sub": "1"},
			outcome: Refused, log: `can only concatenate str (not "NoneType") to str`,
		},
		{
			// §2.3 openshift: "openshift_"+metadata.name.
			name:    "openshift",
			cfg:     oauthConf(prov("openshift", oidcRemote()), "AUTH_USER_REGISTRATION_ROLE", "Op"),
			claims:  map[string]any{"metadata": map[string]any{"name": "ada"}},
			outcome: Granted, roles: []string{"Op"}, userinfo: map[string]any{"username": "openshift_ada"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runSim(t, Airflow22, tc) })
	}
}

func TestSimulate_Airflow29(t *testing.T) {
	okta := func(kv ...any) *Config { return oauthConf(prov("okta", oidcRemote()), kv...) }
	azure := func(kv ...any) *Config {
		return oauthConf(prov("azure", azureRemote()), append([]any{
			"AUTH_ROLES_MAPPING", D("airflow_nonprod_admin", L("Admin"), "airflow_nonprod_op", L("Op"), "airflow_nonprod_viewer", L("Viewer"))}, kv...)...)
	}
	cases := []simCase{
		{
			// §2.4 provider row: email if present else upn.
			name: "azure email first", cfg: azure(), claims: azureClaims("roles", L("airflow_nonprod_op")),
			outcome: Granted, roles: []string{"Op"}, userinfo: map[string]any{"email": "ada@example.com"},
			note: "time claims only",
		},
		{
			// §8.1 table (same provider code): neither email nor upn →
			// KeyError 'upn'.
			name: "azure without email and upn", cfg: azure(),
			claims:  azureClaims("email", deleteMark, "upn", deleteMark),
			outcome: Refused, log: "Error returning OAuth user info: 'upn'", issues: []string{"ROL006"},
		},
		{
			// §2.3 azure: username = oid (req).
			name: "azure without oid", cfg: azure(), claims: azureClaims("oid", deleteMark),
			outcome: Refused, log: "Error returning OAuth user info: 'oid'",
		},
		{
			// §3.2.1: exact, case-sensitive matching; §1.2: AF-prov has no
			// AUTH_ROLE_PUBLIC default, so the registration role is None and
			// the user ends with zero roles (§3.3).
			name: "case-only near miss gives zero roles", cfg: azure(),
			claims:  azureClaims("roles", L("Airflow_NonProd_Op")),
			outcome: NoAccess, roles: []string{}, matched: []string{"airflow_nonprod_op:case"},
			issues: []string{"ROL004", "ROL003"},
		},
		{
			// §2.4: the azure branch reads the roles claim; groups the
			// mapping names are never compared (issue 17: the groups/roles
			// split).
			name:    "Entra groups the mapping names, roles claim read",
			cfg:     oauthConf(prov("azure", azureRemote()), "AUTH_ROLES_MAPPING", D("0b8e1c34-0000-4000-8000-000000000001", L("Op"))),
			claims:  azureClaims("groups", L("0b8e1c34-0000-4000-8000-000000000001")),
			outcome: NoAccess, issues: []string{"ROL004"},
		},
		{
			// §3.2.1: whitespace matters too.
			name: "whitespace near miss", cfg: azure(), claims: azureClaims("roles", L("airflow_nonprod_op ")),
			outcome: NoAccess, matched: []string{"airflow_nonprod_op:whitespace"},
		},
		{
			// §3.2.1: an unknown target role is skipped with a warning.
			// Roles declared (--roles-file): a name outside them is skipped.
			name:   "declared roles: missing target role skipped",
			cfg:    oauthConf(prov("azure", azureRemote()), "AUTH_ROLES_MAPPING", D("ops", L("Op", "Superuser"))),
			claims: azureClaims("roles", L("ops")), extra: []string{"Analyst"},
			outcome: Granted, roles: []string{"Op"}, issues: []string{"ROL001"},
		},
		{
			// No role list: a custom role may live in the database; it is
			// taken as given, with a note, never as missing.
			name:    "custom target role taken as existing",
			cfg:     oauthConf(prov("azure", azureRemote()), "AUTH_ROLES_MAPPING", D("ops", L("Op", "Superuser"))),
			claims:  azureClaims("roles", L("ops")),
			outcome: Granted, roles: []string{"Op", "Superuser"}, noIssues: []string{"ROL001"},
		},
		{
			// --role: a custom role that exists in the database.
			name:   "custom role given with --role",
			cfg:    oauthConf(prov("azure", azureRemote()), "AUTH_ROLES_MAPPING", D("ops", L("Superuser"))),
			claims: azureClaims("roles", L("ops")), extra: []string{"Superuser"},
			outcome: Granted, roles: []string{"Superuser"}, noIssues: []string{"ROL001"},
		},
		{
			// §3.1 step 5: no user and registration off → refused.
			name: "registration off, new user", cfg: azure("AUTH_USER_REGISTRATION", false),
			claims:  azureClaims("roles", L("airflow_nonprod_admin")),
			outcome: Refused, message: MsgInvalidLogin, reason: "AUTH_USER_REGISTRATION is off", issues: []string{"ROL006"},
		},
		{
			// §3.2 step 3: sync on, registration off: existing users get
			// only the mapped roles (no registration role).
			name:     "registration off, existing user, sync on",
			cfg:      azure("AUTH_USER_REGISTRATION", false, "AUTH_ROLES_SYNC_AT_LOGIN", true, "AUTH_USER_REGISTRATION_ROLE", "Viewer"),
			claims:   azureClaims("roles", L("airflow_nonprod_op")),
			existing: &ExistingUser{Roles: []string{"Admin"}},
			outcome:  Granted, roles: []string{"Op"},
		},
		{
			// §3.1: existing user with sync off keeps the roles.
			name: "existing user, sync off keeps roles", cfg: azure("AUTH_USER_REGISTRATION_ROLE", "Viewer"),
			claims:   azureClaims("roles", L("airflow_nonprod_admin")),
			existing: &ExistingUser{Roles: []string{"Viewer"}},
			outcome:  Granted, roles: []string{"Viewer"}, computed: []string{"Admin", "Viewer"},
		},
		{
			// §3.1 step 6: sync replaces all roles, possibly with none.
			name: "existing user, sync on, no hit: roles removed", cfg: azure("AUTH_ROLES_SYNC_AT_LOGIN", true),
			claims:   azureClaims("roles", L()),
			existing: &ExistingUser{Roles: []string{"Admin"}},
			outcome:  NoAccess, roles: []string{},
		},
		{
			// §3.1 step 4: an inactive user is refused.
			name: "inactive user", cfg: azure(), claims: azureClaims(),
			existing: &ExistingUser{Roles: []string{"Admin"}, Inactive: true},
			outcome:  Refused, message: MsgInvalidLogin,
		},
		{
			// §3.2.2: JMESPath on the user-info dict replaces the static
			// registration role.
			name: "JMESPath on role_keys",
			cfg: okta("AUTH_USER_REGISTRATION_ROLE", "Public",
				"AUTH_USER_REGISTRATION_ROLE_JMESPATH", "contains(role_keys, 'admins') && 'Admin' || 'Viewer'"),
			claims:  map[string]any{"sub": "00u1", "email": "ada@example.com", "groups": L("admins")},
			outcome: Granted, roles: []string{"Admin"},
		},
		{
			// §3.2.2: the expression sees the user-info dict, where `roles`
			// does not exist: the result is None, no registration role.
			name:    "JMESPath on raw token names yields nothing",
			cfg:     azure("AUTH_USER_REGISTRATION_ROLE_JMESPATH", "roles[0]"),
			claims:  azureClaims("roles", L("unmapped")),
			outcome: NoAccess, roles: []string{}, issues: []string{"ROL009", "ROL003"},
		},
		{
			// §2.3 keycloak (AF-prov): role_keys from groups.
			name:    "keycloak groups",
			cfg:     oauthConf(prov("keycloak", oidcRemote()), "AUTH_ROLES_MAPPING", D("/airflow-admins", L("Admin"))),
			claims:  map[string]any{"preferred_username": "ada", "email": "ada@example.com", "groups": L("/airflow-admins")},
			outcome: Granted, roles: []string{"Admin"}, userinfo: map[string]any{"username": "ada"},
		},
		{
			// §2.3 keycloak: preferred_username optional → "" → refused
			// (§3.1 step 2).
			name:    "keycloak without preferred_username",
			cfg:     oauthConf(prov("keycloak", oidcRemote())),
			claims:  map[string]any{"email": "ada@example.com"},
			outcome: Refused, reason: "username is empty",
		},
		{
			// §2.3 auth0: email required.
			name:    "auth0 without email",
			cfg:     oauthConf(prov("auth0", oidcRemote())),
			claims:  map[string]any{"sub": "auth0|1"},
			outcome: Refused, log: "Error returning OAuth user info: 'email'",
		},
		{
			// §2.3 authentik: email = preferred_username (req), username =
			// nickname (req), evaluated in that order.
			name:    "authentik without nickname",
			cfg:     oauthConf(prov("authentik", oidcRemote("jwks_uri", "https://idp.example.com/jwks"))),
			claims:  map[string]any{"preferred_username": "ada@example.com"},
			outcome: Refused, log: "'nickname'",
		},
		{
			// §2.3 okta (FAB ≥ 4.5 / AF-prov): an error answer gives {}.
			name:    "okta error answer",
			cfg:     okta(),
			claims:  map[string]any{"error": "invalid_token", "error_description": "The access token is invalid"},
			outcome: Refused, log: "OAUTH userinfo does not have username or email",
		},
		{
			// §2.3 okta (AF-prov): sub required.
			name: "okta without sub", cfg: okta(), claims: map[string]any{"email": "a@b.c"},
			outcome: Refused, log: "'sub'",
		},
		{
			// §2.3 linkedin and twitter: username prefixes.
			name:    "linkedin",
			cfg:     oauthConf(prov("linkedin", oidcRemote()), "AUTH_USER_REGISTRATION_ROLE", "Viewer"),
			claims:  map[string]any{"id": "abc", "email-address": "ada@example.com"},
			outcome: Granted, userinfo: map[string]any{"username": "linkedin_abc", "email": "ada@example.com"},
		},
		{
			name:    "twitter",
			cfg:     oauthConf(prov("twitter", oidcRemote("request_token_url", "https://api.twitter.com/oauth/request_token")), "AUTH_USER_REGISTRATION_ROLE", "Viewer"),
			claims:  map[string]any{"screen_name": "ada"},
			outcome: Granted, userinfo: map[string]any{"username": "twitter_ada"},
		},
		{
			// §2.3 google: "google_"+id from the userinfo API.
			name:    "google",
			cfg:     oauthConf(prov("google", oidcRemote("api_base_url", "https://www.googleapis.com/oauth2/v2/")), "AUTH_USER_REGISTRATION_ROLE", "Viewer"),
			claims:  map[string]any{"id": "1089", "email": "ada@example.com", "given_name": "Ada"},
			outcome: Granted, userinfo: map[string]any{"username": "google_1089", "first_name": "Ada"},
		},
		{
			// §2.3: "Azure" ≠ "azure"; the AF-prov 1.x returns {} for
			// unknown names.
			name:    "capitalised Azure gets no branch",
			cfg:     oauthConf(prov("Azure", azureRemote())),
			claims:  azureClaims(),
			outcome: Refused, log: "OAUTH userinfo does not have username or email", branch: "none",
		},
		{
			// §1.3 token_key: default "oauth_token" is not in an OAuth 2
			// response → KeyError in set_oauth_session. User-independent: the
			// roles are shown as "once fixed".
			name: "token_key missing",
			cfg: oauthConf(D("name", "azure", "remote_app", azureRemote()),
				"AUTH_ROLES_MAPPING", D("airflow_nonprod_op", L("Op"))),
			claims:  azureClaims("roles", L("airflow_nonprod_op")),
			outcome: Refused, log: "Error returning OAuth user info: 'oauth_token'", message: MsgInvalidLogin,
			roles: []string{"Op"}, ifFixed: true,
		},
		{
			// §5.1: openid scope, no server_metadata_url / jwks_uri.
			name: "openid without key source",
			cfg: oauthConf(prov("azure", azureRemote("server_metadata_url", nil)),
				"AUTH_ROLES_MAPPING", D("airflow_nonprod_op", L("Op"))),
			claims:  azureClaims("roles", L("airflow_nonprod_op")),
			outcome: Refused, log: `Error authorizing OAuth access token: Missing "jwks_uri" in metadata`, message: MsgDenied,
			roles: []string{"Op"}, ifFixed: true,
		},
		{
			// §1.3 whitelist: no match → "You are not authorized."
			name: "whitelist refuses",
			cfg: oauthConf(prov("azure", azureRemote(), "whitelist", L(`@corp\.example\.com`)),
				"AUTH_USER_REGISTRATION_ROLE", "Viewer"),
			claims:  azureClaims(),
			outcome: Refused, message: MsgNotAuthorized,
		},
		{
			// §8.1 (string role claim): set("admins") is a set of letters:
			// no multi-character key matches.
			name:    "string groups never match",
			cfg:     okta("AUTH_ROLES_MAPPING", D("admins", L("Admin"))),
			claims:  map[string]any{"sub": "00u1", "email": "ada@example.com", "groups": "admins"},
			outcome: NoAccess, roles: []string{}, note: "single characters",
		},
		{
			// §3.2.1 with a null role claim: set(None) raises TypeError
			// outside the try → HTTP 500 (UNCONFIRMED).
			name:    "null groups crash",
			cfg:     okta("AUTH_ROLES_MAPPING", D("admins", L("Admin"))),
			claims:  map[string]any{"sub": "00u1", "email": "ada@example.com", "groups": nil},
			outcome: Refused, log: "'NoneType' object is not iterable",
		},
		{
			// --role-key without a token: simulate the role keys alone.
			name: "role keys only", cfg: azure(), roleKeys: []string{"airflow_nonprod_viewer"},
			outcome: Granted, roles: []string{"Viewer"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runSim(t, Airflow29, tc) })
	}
}

func TestSimulate_Airflow3(t *testing.T) {
	mapping := D("airflow_nonprod_admin", L("Admin"), "airflow_nonprod_op", L("Op"), "airflow_nonprod_viewer", L("Viewer"))
	azure := func(remote *Dict, kv ...any) *Config {
		return oauthConf(prov("azure", remote), append([]any{"AUTH_ROLES_MAPPING", mapping}, kv...)...)
	}
	common := azureRemote(
		"api_base_url", "https://login.microsoftonline.com/common/oauth2",
		"access_token_url", "https://login.microsoftonline.com/common/oauth2/v2.0/token",
		"authorize_url", "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
		"server_metadata_url", "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
		"client_kwargs", D("scope", "openid email profile"))
	cases := []simCase{
		{
			// §8.2: tenant from the URLs, iss v2 with the GUID, aud =
			// client_id → passes; roles per §3.
			name: "tenant-specific azure", cfg: azure(azureRemote()),
			claims:  azureClaims("roles", L("airflow_nonprod_op")),
			outcome: Granted, roles: []string{"Op"}, userinfo: map[string]any{"email": "ada@example.com"},
			note: "pins iss and aud",
		},
		{
			// §8.2 step 5: the v1 issuer form is accepted too.
			name: "v1 issuer accepted", cfg: azure(azureRemote()),
			claims:  azureClaims("iss", "https://sts.windows.net/"+tenantGUID+"/", "roles", L("airflow_nonprod_viewer")),
			outcome: Granted, roles: []string{"Viewer"},
		},
		{
			// §8.2 step 3: an upper-case GUID is lowercased locally.
			name: "upper-case tenant GUID", cfg: azure(azureRemote("client_kwargs", D("scope", "openid email profile", "tenant_id", strings.ToUpper(tenantGUID)))),
			claims:  azureClaims("roles", L("airflow_nonprod_op")),
			outcome: Granted, roles: []string{"Op"},
		},
		{
			// §8.2 step 5: another tenant's token → Invalid claim 'iss'.
			name: "token from another tenant", cfg: azure(azureRemote()),
			claims:  azureClaims("iss", "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"),
			outcome: Refused, log: "invalid_claim: Invalid claim 'iss'", message: MsgInvalidLogin,
		},
		{
			// §8.2 step 5: aud must be the client_id (api://… fails).
			name: "audience is an App ID URI", cfg: azure(azureRemote()),
			claims:  azureClaims("aud", "api://"+clientID),
			outcome: Refused, log: "invalid_claim: Invalid claim 'aud'",
		},
		{
			// §8.2 step 2: only multi-tenant authorities → every login fails
			// with AzureTenantResolutionError.
			name: "common endpoints", cfg: azure(common),
			claims:  azureClaims("roles", L("airflow_nonprod_op")),
			outcome: Refused, log: "tenant could not be determined", reason: "multi-tenant",
			roles: []string{"Op"}, ifFixed: true,
		},
		{
			// §8.2 step 1: verify_signature False skips tenant resolution
			// and every check.
			name: "verification opted out", cfg: azure(common.withKwargs("verify_signature", false)),
			claims:  azureClaims("roles", L("airflow_nonprod_admin")),
			outcome: Granted, roles: []string{"Admin"}, note: "verify_signature is off",
		},
		{
			// §8.1: AUTH_OAUTH_ROLE_KEYS {"azure": "groups"} → role_keys are
			// the groups.
			name:    "role keys from groups",
			cfg:     azure(azureRemote(), "AUTH_ROLES_MAPPING", D("0b8e1c34-0000-4000-8000-000000000001", L("Admin")), "AUTH_OAUTH_ROLE_KEYS", D("azure", "groups")),
			claims:  azureClaims("groups", L("0b8e1c34-0000-4000-8000-000000000001")),
			outcome: Granted, roles: []string{"Admin"},
			userinfo: map[string]any{"role_keys": L("0b8e1c34-0000-4000-8000-000000000001")},
		},
		{
			// §8.1 test evidence: a token with only groups and no config
			// gives role_keys [].
			name: "groups without AUTH_OAUTH_ROLE_KEYS", cfg: azure(azureRemote()),
			claims:  azureClaims("groups", L("airflow_nonprod_admin")),
			outcome: NoAccess, userinfo: map[string]any{"role_keys": L()}, note: "reads app roles from `roles`",
		},
		{
			// §8.1 test evidence: only upn → email = upn.
			name: "upn only", cfg: azure(azureRemote()),
			claims:  azureClaims("email", deleteMark, "roles", L("airflow_nonprod_viewer")),
			outcome: Granted, userinfo: map[string]any{"email": "ada@corp.example.com"},
		},
		{
			// §8.3: generic fallback for unknown names: username =
			// preferred_username, role_keys = groups.
			name:    "generic provider",
			cfg:     oauthConf(prov("entra", oidcRemote()), "AUTH_ROLES_MAPPING", D("admins", L("Admin"))),
			claims:  map[string]any{"preferred_username": "ada", "email": "ada@example.com", "groups": L("admins")},
			outcome: Granted, roles: []string{"Admin"}, branch: "generic",
		},
		{
			// §8.3 pitfall: missing preferred_username → "" → refused; no
			// fallback to email.
			name:    "generic without preferred_username",
			cfg:     oauthConf(prov("entra", oidcRemote())),
			claims:  map[string]any{"email": "ada@example.com"},
			outcome: Refused, reason: "username is empty",
		},
		{
			// §8.3: userinfo() needs userinfo_endpoint in the metadata.
			name:    "generic without metadata",
			cfg:     oauthConf(prov("entra", oidcRemote("server_metadata_url", nil, "jwks_uri", "https://idp.example.com/keys"))),
			claims:  map[string]any{"preferred_username": "ada"},
			outcome: Refused, log: "'userinfo_endpoint'", roles: []string{}, ifFixed: true,
		},
		{
			// §8.0: providers before 3.3.0 ignore AUTH_OAUTH_ROLE_KEYS and
			// before 3.8.1 do not pin the tenant (verify default False).
			name:    "older provider: common endpoints work, role keys ignored",
			cfg:     azure(common, "AUTH_OAUTH_ROLE_KEYS", D("azure", "groups")),
			opts:    ProfileOptions{FabProvider: "3.2.0"},
			claims:  azureClaims("roles", L("airflow_nonprod_op"), "groups", L("airflow_nonprod_admin")),
			outcome: Granted, roles: []string{"Op"},
		},
		{
			// §3.3 with the AF-prov default: registration role None → zero
			// roles → 403.
			name: "zero roles", cfg: azure(azureRemote()), claims: azureClaims(),
			outcome: NoAccess, roles: []string{}, issues: []string{"ROL003"},
		},
		{
			// §3.3: AUTH_ROLE_PUBLIC set → it becomes the registration
			// default; Public has no permissions.
			name: "Public only", cfg: azure(azureRemote(), "AUTH_ROLE_PUBLIC", "Public"), claims: azureClaims(),
			outcome: NoAccess, roles: []string{"Public"},
		},
		{
			// §2.4/§8.1: v2 endpoints without openid return no id_token.
			name:    "v2 without openid",
			cfg:     azure(azureRemote("server_metadata_url", nil, "client_kwargs", D("verify_signature", true))),
			claims:  azureClaims("roles", L("airflow_nonprod_op")),
			outcome: Refused, log: "Error returning OAuth user info: 'id_token'", roles: []string{"Op"}, ifFixed: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runSim(t, Airflow3, tc) })
	}
}

// withKwargs returns a copy of a remote_app with client_kwargs entries set.
func (d *Dict) withKwargs(kv ...any) *Dict {
	n := NewDict(d.Line)
	for _, k := range d.Keys {
		n.Set(k, d.Vals[k], d.KeyLines[k])
	}
	ck := NewDict(0)
	if old, ok := d.Vals["client_kwargs"].(*Dict); ok {
		for _, k := range old.Keys {
			ck.Set(k, old.Vals[k], 0)
		}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		ck.Set(kv[i].(string), kv[i+1], 0)
	}
	n.Set("client_kwargs", ck, 0)
	return n
}

func TestSimulate_Superset(t *testing.T) {
	azure := func(kv ...any) *Config {
		return oauthConf(prov("azure", azureRemote()), append([]any{"AUTH_ROLES_MAPPING", D("bi_admins", L("Admin"), "bi_analysts", L("Alpha"))}, kv...)...)
	}
	cases := []simCase{
		{
			// §2.4 FAB ≥ 4.3.10: upn if present else email.
			name: "azure upn first", cfg: azure(), claims: azureClaims("roles", L("bi_analysts")),
			outcome: Granted, roles: []string{"Alpha", "Public"}, userinfo: map[string]any{"email": "ada@corp.example.com"},
		},
		{
			// §2.4: neither upn nor email → KeyError (on email, the fallback).
			name: "azure without upn and email", cfg: azure(), claims: azureClaims("upn", deleteMark, "email", deleteMark),
			outcome: Refused, log: "Error returning OAuth user info: 'email'",
		},
		{
			// §2.3: FAB ≥ 4.3.8 raises OAuthProviderUnknown.
			name:    "unknown provider",
			cfg:     oauthConf(prov("aws_cognito", oidcRemote())),
			claims:  map[string]any{"sub": "x"},
			outcome: Refused, log: "OAuthProviderUnknown", message: MsgInvalidLogin,
		},
		{
			// §3.3: FAB's registration default is "Public": no hit → Public
			// only.
			name: "no hit: Public only", cfg: azure(), claims: azureClaims(),
			outcome: NoAccess, roles: []string{"Public"}, issues: []string{"ROL003"},
		},
		{
			// PUBLIC_ROLE_LIKE gives Public permissions in Superset.
			name: "Public with PUBLIC_ROLE_LIKE", cfg: azure("PUBLIC_ROLE_LIKE", "Gamma"), claims: azureClaims(),
			outcome: Granted, roles: []string{"Public"},
		},
		{
			// §1.3: FAB 5.2.2 anchors the whitelist with "$".
			name:    "anchored whitelist",
			cfg:     oauthConf(prov("azure", azureRemote(), "whitelist", L(`corp\.example\.com`))),
			claims:  azureClaims("email", "x", "upn", "ada@corp.example.com.evil.io"),
			outcome: Refused, message: MsgNotAuthorized,
		},
		{
			// §1.3: before 5.2.2 the pattern is unanchored.
			name:    "unanchored whitelist before 5.2.2",
			cfg:     oauthConf(prov("azure", azureRemote(), "whitelist", L(`corp\.example\.com`))),
			opts:    ProfileOptions{FABVersion: "5.2.1"},
			claims:  azureClaims("email", "x", "upn", "ada@corp.example.com.evil.io"),
			outcome: NoAccess, roles: []string{"Public"},
		},
		{
			// §2.3 keycloak FAB 4.1.0–4.4.x: no role_keys.
			name:    "keycloak on FAB 4.4.1 has no role keys",
			cfg:     oauthConf(prov("keycloak", oidcRemote()), "AUTH_ROLES_MAPPING", D("admins", L("Admin"))),
			opts:    ProfileOptions{FABVersion: "4.4.1"},
			claims:  map[string]any{"preferred_username": "ada", "groups": L("admins")},
			outcome: NoAccess, roles: []string{"Public"}, noKey: []string{"role_keys"},
		},
		{
			// §2.3 okta FAB < 4.3.11: email optional.
			name:    "okta on FAB 4.3.10",
			cfg:     oauthConf(prov("okta", oidcRemote()), "AUTH_ROLES_MAPPING", D("bi", L("Gamma"))),
			opts:    ProfileOptions{FABVersion: "4.3.10"},
			claims:  map[string]any{"sub": "00u1", "groups": L("bi")},
			outcome: Granted, roles: []string{"Gamma", "Public"}, userinfo: map[string]any{"email": ""},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runSim(t, Superset, tc) })
	}
}

func TestSimulate_FAB(t *testing.T) {
	cases := []simCase{
		{
			// §3.4: plain FAB has only Admin and Public (plus FAB_ROLES):
			// Viewer is skipped.
			name:   "Viewer does not exist in plain FAB (roles declared)",
			cfg:    oauthConf(prov("auth0", oidcRemote()), "AUTH_ROLES_MAPPING", D("staff", L("Viewer"))),
			claims: map[string]any{"sub": "auth0|1", "email": "ada@example.com", "groups": L("staff")}, extra: []string{"Admin", "Public"},
			outcome: NoAccess, roles: []string{"Public"}, issues: []string{"ROL001"},
		},
		{
			// §3.4 db_roles include FAB_ROLES keys.
			name: "FAB_ROLES role",
			cfg: oauthConf(prov("auth0", oidcRemote()), "AUTH_ROLES_MAPPING", D("staff", L("ReadOnly")),
				"FAB_ROLES", D("ReadOnly", L(L(".*", "can_list")))),
			claims:  map[string]any{"sub": "auth0|1", "email": "ada@example.com", "groups": L("staff")},
			outcome: Granted, roles: []string{"ReadOnly", "Public"},
			userinfo: map[string]any{"username": "auth0_auth0|1"},
		},
		{
			// §2.3 authentik (FAB ≥ 4.4): groups as role keys.
			name:    "authentik",
			cfg:     oauthConf(prov("authentik", oidcRemote("jwks_uri", "https://auth.example.com/jwks")), "AUTH_ROLES_MAPPING", D("admins", L("Admin"))),
			claims:  map[string]any{"preferred_username": "ada@example.com", "nickname": "ada", "groups": L("admins")},
			outcome: Granted, roles: []string{"Admin", "Public"}, userinfo: map[string]any{"email": "ada@example.com", "username": "ada"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runSim(t, FAB, tc) })
	}
}

// TestSimulate_Permissions checks the permission summaries against §4.
func TestSimulate_Permissions(t *testing.T) {
	// §4.1: Viewer can read DAGs and task logs but cannot trigger, edit or
	// delete; Op manages connections, variables and pools; Admin edits roles.
	p := MustProfile(Airflow29)
	cfg := conf()
	got := PermissionsOf(p, cfg, []string{"Viewer", "Op", "Admin", "Public"})
	v, op, ad, pub := got[0], got[1], got[2], got[3]
	for _, want := range []string{"read DAGs", "task logs", "cannot trigger DAG runs", "pause, unpause and edit DAGs", "delete DAGs"} {
		if !strings.Contains(v.Summary, want) {
			t.Errorf("Viewer summary %q lacks %q", v.Summary, want)
		}
	}
	if !strings.Contains(v.Summary, "the audit log") || strings.Contains(strings.Join(v.Cannot, ","), "read the audit log") {
		t.Errorf("Airflow 2.9 Viewer reads Audit Logs (§4.1): %q", v.Summary)
	}
	for _, want := range []string{"manage connections", "manage variables", "manage pools", "trigger DAG runs"} {
		if !slices.Contains(op.Can, want) {
			t.Errorf("Op can %q, want %q", op.Can, want)
		}
	}
	if !slices.Contains(op.Cannot, "manage users' roles and passwords") || !slices.Contains(ad.Can, "manage users' roles and passwords") {
		t.Errorf("§4.1: only Admin has can_edit Roles/Passwords: Op cannot %q, Admin can %q", op.Cannot, ad.Can)
	}
	if len(pub.Pairs) != 0 || !strings.Contains(pub.Summary, MsgNoRoles) {
		t.Errorf("Public has no permissions (§4): %+v", pub)
	}
	// §4.3: Airflow 3 moves Audit Logs to Admin and Plugins to Op.
	p3 := MustProfile(Airflow3)
	v3, _ := p3.BuiltinPerms("Viewer")
	op3, _ := p3.BuiltinPerms("Op")
	if hasPerm(v3, CanRead, "Audit Logs") || hasPerm(v3, CanRead, "Plugins") || !hasPerm(op3, CanRead, "Plugins") {
		t.Error("§4.3: Audit Logs and Plugins left the Viewer role in Airflow 3")
	}
	if !hasPerm(v3, CanRead, "Assets") || hasPerm(v3, CanRead, "Datasets") {
		t.Error("§4.3: Datasets became Assets")
	}
	// §4.2: Airflow 2.2 Viewer lacks can_read Pools, Op has it.
	p22 := MustProfile(Airflow22)
	v22, _ := p22.BuiltinPerms("Viewer")
	op22, _ := p22.BuiltinPerms("Op")
	if hasPerm(v22, CanRead, "Pools") || hasPerm(v22, CanRead, "Datasets") || !hasPerm(op22, CanRead, "Pools") {
		t.Error("§4.2 Viewer/Op differences not applied")
	}
}

func hasPerm(ps []Perm, a, r string) bool {
	for _, p := range ps {
		if p.Action == a && p.Resource == r {
			return true
		}
	}
	return false
}

func TestSimulate_ProviderSelection(t *testing.T) {
	two := conf("AUTH_TYPE", int64(4), "AUTH_USER_REGISTRATION", true, "OAUTH_PROVIDERS", L(
		prov("azure", azureRemote()), prov("okta", oidcRemote("client_id", "okta-app"))))
	p := MustProfile(Airflow29)
	// Several providers: the one whose client_id is the token's aud.
	res, err := Simulate(two, p, SimInput{Claims: azureClaims()})
	if err != nil || res.Provider != "azure" {
		t.Fatalf("provider by aud: %v %v", err, res)
	}
	// Ambiguous: a clear error naming the choices.
	_, err = Simulate(two, p, SimInput{Claims: map[string]any{"sub": "x"}})
	if err == nil || !strings.Contains(err.Error(), `"azure", "okta"`) || !strings.Contains(err.Error(), "--provider") {
		t.Fatalf("want a usage error listing the providers, got %v", err)
	}
	// Unknown --provider: names are case-sensitive.
	_, err = Simulate(two, p, SimInput{Provider: "Azure", Claims: azureClaims()})
	if err == nil || !strings.Contains(err.Error(), "case-sensitive") {
		t.Fatalf("want case-sensitive hint, got %v", err)
	}
	// Nothing to simulate.
	_, err = Simulate(two, p, SimInput{Provider: "azure"})
	if err == nil {
		t.Fatal("want an error without token, claims or role keys")
	}
}

// No OAUTH_PROVIDERS: --provider simulates the branch alone, without
// blaming a provider entry that does not exist.
func TestSimulate_BranchWithoutProviders(t *testing.T) {
	cfg := conf("AUTH_TYPE", int64(4), "AUTH_USER_REGISTRATION", true, "AUTH_ROLES_MAPPING", D("admins", L("Admin")))
	runSim(t, Airflow3, simCase{name: "keycloak alone", cfg: cfg, provider: "keycloak",
		claims:  map[string]any{"preferred_username": "ada", "groups": L("admins")},
		outcome: Granted, roles: []string{"Admin"}, note: "simulated alone"})
}

// AUTH_TYPE not OAuth: every login fails before roles (§1.1, §7.1).
func TestSimulate_AuthTypeNotOAuth(t *testing.T) {
	cfg := conf("OAUTH_PROVIDERS", L(prov("azure", azureRemote())), "AUTH_ROLES_MAPPING", D("r", L("Viewer")), "AUTH_USER_REGISTRATION", true)
	runSim(t, Airflow29, simCase{name: "auth db", cfg: cfg, claims: azureClaims("roles", L("r")),
		outcome: Refused, reason: "AUTH_TYPE is not set", roles: []string{"Viewer"}, ifFixed: true})
}
