package fab

import (
	"slices"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/jmespath/go-jmespath"
)

// goodAzure is a correct Airflow 3 Azure config (spec §8.6: tenant-specific
// URLs, verification on, openid with server metadata, app-role mapping).
func goodAzure(kv ...any) *Config {
	c := conf(
		"AUTH_TYPE", int64(4),
		"WTF_CSRF_ENABLED", true,
		"AUTH_USER_REGISTRATION", true,
		"AUTH_USER_REGISTRATION_ROLE", "Viewer",
		"AUTH_ROLES_SYNC_AT_LOGIN", true,
		"AUTH_ROLES_MAPPING", D("airflow_prod_admin", L("Admin"), "airflow_prod_op", L("Op"), "airflow_prod_viewer", L("Viewer")),
		"OAUTH_PROVIDERS", L(prov("azure", azureRemote())),
	)
	// secrets come from the environment in a good config
	c.Origin = func(path ...string) Origin { return OriginOutside }
	return with(c, kv...)
}

func lintIDs(t *testing.T, cfg *Config, f Flavor, o LintOptions) ([]Issue, map[string][]string) {
	t.Helper()
	if cfg.Origin == nil {
		cfg.Origin = func(...string) Origin { return OriginLiteral }
	}
	issues, _ := Lint(cfg, MustProfile(f), o)
	m := map[string][]string{}
	for _, i := range issues {
		m[i.ID] = append(m[i.ID], i.Message)
		if i.Line <= 0 || i.File == "" {
			t.Errorf("%s has no location: %+v", i.ID, i)
		}
	}
	return issues, m
}

func TestLint_GoodAzureIsQuiet(t *testing.T) {
	for _, f := range []Flavor{Airflow29, Airflow3} {
		_, m := lintIDs(t, goodAzure(), f, LintOptions{})
		for id, msgs := range m {
			if id == "ROL005" || (id == "CFG007" && f == Airflow29) { // info: sync explained; common keys only
				continue
			}
			t.Errorf("%s: unexpected %s: %q", f, id, msgs)
		}
	}
}

type lintCase struct {
	name   string
	flavor Flavor
	cfg    *Config
	opts   LintOptions
	want   string // check ID
	text   string // substring of the message
	sev    engine.Severity
	absent bool
}

func TestLint_Rules(t *testing.T) {
	common := azureRemote(
		"api_base_url", "https://login.microsoftonline.com/common/oauth2",
		"access_token_url", "https://login.microsoftonline.com/common/oauth2/v2.0/token",
		"authorize_url", "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize")
	cases := []lintCase{
		// §7.1/§1.1: AUTH_TYPE default AUTH_DB with providers.
		{name: "providers ignored", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_TYPE", deleteMark), want: "CFG003", text: "default AUTH_DB", sev: engine.SeverityWarning},
		{name: "providers ignored: their entries are not checked", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_TYPE", int64(1), "OAUTH_PROVIDERS", L(prov("azure", D("client_secret", "x")))), want: "CFG005", absent: true},
		{name: "AUTH_OID with OAuth providers", flavor: Airflow29, cfg: with(goodAzure(), "AUTH_TYPE", int64(0)), want: "CFG003", text: "AUTH_OID (OpenID 2.0) but the providers are OAuth ones", sev: engine.SeverityError},
		{name: "AUTH_OID with OAuth-shaped OPENID_PROVIDERS", flavor: Airflow29, cfg: with(goodAzure(), "AUTH_TYPE", int64(0), "OAUTH_PROVIDERS", deleteMark, "OPENID_PROVIDERS", L(prov("google", oidcRemote()))), want: "CFG003", text: "AUTH_OID", sev: engine.SeverityError},
		{name: "AUTH_OID with OpenID providers: fine", flavor: Airflow29, cfg: with(goodAzure(), "AUTH_TYPE", int64(0), "OAUTH_PROVIDERS", deleteMark, "OPENID_PROVIDERS", L(D("name", "Google", "url", "https://www.google.com/accounts/o8/id"))), want: "CFG003", absent: true},
		{name: "OAUTH_PROVIDERS missing", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", deleteMark), want: "CFG003", text: "KeyError: 'OAUTH_PROVIDERS'"},
		// §5.1.
		{name: "openid without key source", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", azureRemote("server_metadata_url", nil)))), want: "CFG004", text: `Missing "jwks_uri" in metadata`},
		{name: "jwks_uri outside remote_app", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", azureRemote("server_metadata_url", nil), "jwks_uri", "https://login.microsoftonline.com/common/discovery/v2.0/keys"))), want: "CFG004", text: "outside remote_app"},
		// §1.3 token_key.
		{name: "no token_key", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(D("name", "azure", "remote_app", azureRemote()))), want: "CFG005", text: "'oauth_token'"},
		{name: "duplicate names", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", azureRemote()), prov("azure", azureRemote()))), want: "CFG005", text: "used 2 times"},
		{name: "request_token_url", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", azureRemote("request_token_url", "https://x/")))), want: "CFG005", text: "OAuth 1"},
		// CFG006: values never printed.
		{name: "placeholder secret: info", flavor: Airflow3, cfg: func() *Config { c := goodAzure("SECRET_KEY", "xxxxxxxx"); c.Origin = nil; return c }(), want: "CFG006", text: "SECRET_KEY is a placeholder", sev: engine.SeverityInfo},
		{name: "templated secret: info", flavor: Airflow3, cfg: func() *Config {
			c := goodAzure("AUTH_LDAP_BIND_PASSWORD", "${LDAP_PASSWORD}")
			c.Origin = nil
			return c
		}(), want: "CFG006", text: "placeholder", sev: engine.SeverityInfo},
		{name: "env default secret", flavor: Airflow3, cfg: func() *Config {
			c := goodAzure("SECRET_KEY", "secret_key")
			c.Origin = func(p ...string) Origin {
				if p[0] == "SECRET_KEY" {
					return OriginEnvDefault
				}
				return OriginOutside
			}
			return c
		}(), want: "CFG006", text: "falls back to a default written in the file", sev: engine.SeverityWarning},
		{name: "misplaced dead key: warning", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", azureRemote(), "userinfo_endpoint", "https://graph.microsoft.com/oidc/userinfo"))), want: "CFG005", text: "outside remote_app", sev: engine.SeverityWarning},
		{name: "secret in file", flavor: Airflow3, cfg: func() *Config { c := goodAzure(); c.Origin = nil; return c }(), want: "CFG006", text: "client_secret"},
		// §2.4: verification default False on the 1.x provider.
		{name: "azure unverified (2.9)", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", azureRemote("client_kwargs", D("scope", "openid email profile"))))), want: "CFG007", text: "defaults to False"},
		{name: "azure unverified (2.2, always)", flavor: Airflow22, cfg: goodAzure(), want: "CFG007", text: "base64"},
		{name: "azure opt-out (3)", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", azureRemote().withKwargs("verify_signature", false)))), want: "CFG007", text: "verify_signature False"},
		{name: "azure verified (3)", flavor: Airflow3, cfg: goodAzure(), want: "CFG007", absent: true},
		// §2.1, §8.4.
		{name: "https behind proxy without proxy fix", flavor: Airflow3, cfg: goodAzure(), opts: LintOptions{BaseURL: "https://airflow.example.com"}, want: "CFG008", text: "http://airflow.example.com/auth/oauth-authorized/azure"},
		{name: "proxy fix on", flavor: Airflow3, cfg: func() *Config {
			c := goodAzure()
			c.Env = func(k string) (string, bool) {
				if k == "AIRFLOW__FAB__ENABLE_PROXY_FIX" {
					return "True", true
				}
				return "", false
			}
			return c
		}(), opts: LintOptions{BaseURL: "https://airflow.example.com"}, want: "CFG008", absent: true},
		{name: "http base URL with Entra: refused", flavor: Airflow3, cfg: goodAzure(), opts: LintOptions{BaseURL: "http://airflow.example.com"}, want: "CFG008", text: "AADSTS50011", sev: engine.SeverityError},
		{name: "http base URL elsewhere: clear text", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("keycloak", oidcRemote("api_base_url", "https://kc.example.com/realms/x/protocol/")))), opts: LintOptions{BaseURL: "http://airflow.example.com"}, want: "CFG008", text: "clear text", sev: engine.SeverityWarning},
		{name: "redirect_uri ignored", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", azureRemote("redirect_uri", "http://airflow.example.com/oauth-authorized/azure")))), want: "CFG008", text: "ignored"},
		{name: "redirect_uri ignored but matching", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", azureRemote("redirect_uri", "https://airflow.example.com/auth/oauth-authorized/azure")))), want: "CFG008", text: "ignored", sev: engine.SeverityInfo},
		{name: "CSRF off", flavor: Superset, cfg: with(goodAzure(), "WTF_CSRF_ENABLED", false), want: "CFG009"},
		{name: "custom SM", flavor: Airflow3, cfg: with(goodAzure(), "SECURITY_MANAGER_CLASS", &Opaque{Source: "MySecurityManager"}), want: "CFG010"},
		// §2.3: names are exact.
		{name: "Azure capitalised (2.9)", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("Azure", azureRemote()))), want: "CFG011", text: `Rename the provider to "azure"`},
		{name: "aws_cognito (superset)", flavor: Superset, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("aws_cognito", oidcRemote()))), want: "CFG011", text: "OAuthProviderUnknown"},
		{name: "generic without metadata (3)", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("corp", oidcRemote("server_metadata_url", nil, "jwks_uri", "https://idp/keys")))), want: "CFG011", sev: engine.SeverityError},
		{name: "generic fine (3)", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("corp", oidcRemote()))), want: "CFG011", absent: true},
		// §6.4.
		{name: "airflow.www import", flavor: Airflow3, cfg: func() *Config {
			c := goodAzure()
			c.Imports = []Import{{Module: "airflow.www.fab_security.manager", Name: "AUTH_OAUTH", Line: 3}}
			return c
		}(), want: "CFG012", text: "airflow.www.fab_security.manager"},
		{name: "string SECURITY_MANAGER_CLASS", flavor: Airflow3, cfg: with(goodAzure(), "SECURITY_MANAGER_CLASS", "my.module.SM"), want: "CFG012", text: "class object"},
		// §1.4 urljoin.
		{name: "keycloak trailing slash", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("keycloak", oidcRemote("api_base_url", "https://kc/realms/x/protocol/openid-connect/")))), want: "CFG013", text: "openid-connect/openid-connect/userinfo"},
		{name: "keycloak good base", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("keycloak", oidcRemote("api_base_url", "https://kc/realms/x/protocol/openid-connect")))), want: "CFG013", absent: true},
		{name: "github without a path: the join is right", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("github", oidcRemote("api_base_url", "https://api.github.com")))), want: "CFG013", absent: true},
		{name: "okta host only: the join is right", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("okta", oidcRemote("api_base_url", "https://dev-1.okta.com")))), want: "CFG013", absent: true},
		{name: "GitHub Enterprise without slash", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("github", oidcRemote("api_base_url", "https://ghe.example.com/api/v3")))), want: "CFG013", text: "call https://ghe.example.com/api/user (urljoin with \"user\") instead of https://ghe.example.com/api/v3/user"},
		{name: "google without slash", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("google", oidcRemote("api_base_url", "https://www.googleapis.com/oauth2/v2")))), want: "CFG013", text: "https://www.googleapis.com/oauth2/userinfo"},
		// CFG014.
		{name: "v2 without openid", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", azureRemote("client_kwargs", D("verify_signature", true))))), want: "CFG014", text: "'id_token'"},
		{name: "okta without email", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("okta", oidcRemote("client_kwargs", D("scope", "openid profile groups"))))), want: "CFG014", text: "'email'"},
		// §8.2.
		{name: "multi-tenant (3)", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", common))), want: "CFG015", text: "AzureTenantResolutionError"},
		{name: "multi-tenant (2.9) is fine", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", common))), want: "CFG015", absent: true},
		{name: "domain tenant egress", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", azureRemote().withKwargs("tenant_id", "contoso.onmicrosoft.com")))), want: "CFG015", text: "contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration", sev: engine.SeverityInfo},
		{name: "graph api_base_url", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", azureRemote("api_base_url", "https://graph.microsoft.com/v1.0/")))), want: "CFG015", text: "unconfirmed", sev: engine.SeverityWarning},
		{name: "B2C host", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", D("client_id", "x", "server_metadata_url", "https://contoso.b2clogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
			"authorize_url", "https://contoso.b2clogin.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize", "client_kwargs", D("scope", "openid"))))), want: "CFG015", text: "B2C"},
		{name: "national cloud on older provider", flavor: Airflow3, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("azure", azureRemote(
			"api_base_url", "https://login.microsoftonline.us/"+tenantGUID+"/oauth2", "access_token_url", "https://login.microsoftonline.us/"+tenantGUID+"/oauth2/v2.0/token",
			"authorize_url", "https://login.microsoftonline.us/"+tenantGUID+"/oauth2/v2.0/authorize")))), want: "CFG015", text: "outbound HTTPS", sev: engine.SeverityInfo},
		// CFG016.
		{name: "urandom SECRET_KEY", flavor: Airflow29, cfg: with(goodAzure(), "SECRET_KEY", &Opaque{Source: "os.urandom(24)"}), want: "CFG016"},
		{name: "SECRET_KEY from a per-process call through a name", flavor: Airflow29, cfg: with(goodAzure(), "SECRET_KEY", &Unresolved{Reason: "not evaluated", Callee: "secrets.token_hex"}), want: "CFG016", text: "secrets."},
		// ROL.
		{name: "unknown role", flavor: Airflow29, cfg: with(goodAzure(), "AUTH_ROLES_MAPPING", D("a", L("admin"))), want: "ROL001", text: `differs from the role "Admin" only in case`},
		{name: "custom role: not known to exist", flavor: Airflow29, cfg: with(goodAzure(), "AUTH_ROLES_MAPPING", D("a", L("DataEngineer"))), want: "ROL001", text: "exists only if the deployment created it", sev: engine.SeverityInfo},
		{name: "custom role outside the declared list", flavor: Airflow29, cfg: with(goodAzure(), "AUTH_ROLES_MAPPING", D("a", L("DataEngineer"))), opts: LintOptions{Roles: DeclaredRoles{Names: []string{"Analyst"}, Source: "--role"}}, want: "ROL001", text: "not among the roles given", sev: engine.SeverityWarning},
		{name: "custom role in the declared list", flavor: Airflow29, cfg: with(goodAzure(), "AUTH_ROLES_MAPPING", D("a", L("DataEngineer"))), opts: LintOptions{Roles: DeclaredRoles{Names: []string{"DataEngineer"}, Source: "--role"}}, want: "ROL001", absent: true},
		{name: "glob mapping key", flavor: Airflow29, cfg: with(goodAzure(), "AUTH_ROLES_MAPPING", D("SVC_*", L("Viewer"))), want: "ROL004", text: "looks like a pattern"},
		{name: "registration role unknown custom: ROL003 info", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_USER_REGISTRATION_ROLE", "Analyst", "OAUTH_PROVIDERS", L(prov("github", oidcRemote()))), want: "ROL003", text: "depends on that role existing", sev: engine.SeverityInfo},
		{name: "registration role Admin under LDAP", flavor: Airflow29, cfg: conf("AUTH_TYPE", int64(2), "AUTH_USER_REGISTRATION", true, "AUTH_USER_REGISTRATION_ROLE", "Admin"), want: "ROL007", text: "everyone in the LDAP directory"},
		{name: "string mapping value", flavor: Airflow29, cfg: with(goodAzure(), "AUTH_ROLES_MAPPING", D("a", "Admin")), want: "ROL002", text: "character by character"},
		{name: "mapping is a list", flavor: Airflow29, cfg: with(goodAzure(), "AUTH_ROLES_MAPPING", L("Admin")), want: "ROL002"},
		{name: "AUTH_OAUTH_ROLE_KEYS not a dict", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_OAUTH_ROLE_KEYS", "groups"), want: "ROL002", text: "'str' object has no attribute 'get'"},
		{name: "new users get nothing", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_USER_REGISTRATION_ROLE", deleteMark, "OAUTH_PROVIDERS", L(prov("github", oidcRemote()))), want: "ROL003", text: "no role"},
		{name: "new users get Public", sev: engine.SeverityWarning, flavor: Superset, cfg: with(goodAzure(), "AUTH_USER_REGISTRATION_ROLE", deleteMark, "OAUTH_PROVIDERS", L(prov("google", oidcRemote("api_base_url", "https://www.googleapis.com/oauth2/v2/")))), want: "ROL003", text: "only Public"},
		{name: "mapping live: no static ROL003", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_USER_REGISTRATION_ROLE", deleteMark), want: "ROL003", absent: true},
		{name: "GUID keys vs roles claim", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_ROLES_MAPPING", D("0b8e1c34-0000-4000-8000-000000000001", L("Admin"))), want: "ROL004", text: `AUTH_OAUTH_ROLE_KEYS = {"azure": "groups"}`},
		{name: "GUID keys with groups", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_ROLES_MAPPING", D("0b8e1c34-0000-4000-8000-000000000001", L("Admin")), "AUTH_OAUTH_ROLE_KEYS", D("azure", "groups")), want: "ROL004", absent: true},
		{name: "inert mapping (google)", flavor: Airflow29, cfg: with(goodAzure(), "OAUTH_PROVIDERS", L(prov("google", oidcRemote("api_base_url", "https://www.googleapis.com/oauth2/v2/")))), want: "ROL004", text: "can never apply"},
		{name: "role keys setting on 2.9", flavor: Airflow29, cfg: with(goodAzure(), "AUTH_OAUTH_ROLE_KEYS", D("azure", "groups")), want: "ROL004", text: "ignored"},
		{name: "role keys for okta", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_OAUTH_ROLE_KEYS", D("okta", "roles")), want: "ROL004", text: `"okta"`},
		{name: "sync info", flavor: Airflow3, cfg: goodAzure(), want: "ROL005", text: "replace all others"},
		{name: "registration off", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_USER_REGISTRATION", false), want: "ROL006"},
		{name: "Admin for everyone", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_USER_REGISTRATION_ROLE", "Admin"), want: "ROL007"},
		{name: "Alpha for everyone (superset)", flavor: Superset, cfg: with(goodAzure(), "AUTH_USER_REGISTRATION_ROLE", "Alpha", "AUTH_ROLES_MAPPING", D("bi", L("Gamma"))), want: "ROL007"},
		{name: "JMESPath raw roles", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_USER_REGISTRATION_ROLE_JMESPATH", "contains(roles, 'x') && 'Op' || 'Viewer'"), want: "ROL009", text: "role_keys"},
		{name: "JMESPath syntax", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_USER_REGISTRATION_ROLE_JMESPATH", "contains(role_keys, 'x' && "), want: "ROL009", text: "does not compile"},
		{name: "JMESPath fine", flavor: Airflow3, cfg: with(goodAzure(), "AUTH_USER_REGISTRATION_ROLE_JMESPATH", "contains(role_keys, 'x') && 'Op' || 'Viewer'"), want: "ROL009", absent: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			issues, m := lintIDs(t, tc.cfg, tc.flavor, tc.opts)
			if tc.absent {
				if len(m[tc.want]) > 0 {
					t.Fatalf("%s fired: %q", tc.want, m[tc.want])
				}
				return
			}
			found := false
			for _, i := range issues {
				if i.ID == tc.want && strings.Contains(i.Message+" "+i.Fix, tc.text) {
					found = true
					if got := severityOf(i); tc.sev != 0 && got != tc.sev {
						t.Errorf("severity %v, want %v", got, tc.sev)
					}
				}
			}
			if !found {
				t.Fatalf("no %s containing %q; got %v", tc.want, tc.text, m)
			}
		})
	}
}

// CFG006 never prints the secret.
func TestLint_SecretsRedacted(t *testing.T) {
	c := goodAzure("SECRET_KEY", "hunter2-very-secret")
	c.Origin = nil
	issues, _ := lintIDs(t, c, Airflow3, LintOptions{})
	for _, i := range issues {
		for _, e := range i.Evidence {
			if strings.Contains(e.Value, "hunter2") || strings.Contains(e.Value, "s3cret") {
				t.Fatalf("secret leaked in %s evidence", i.ID)
			}
		}
		if strings.Contains(i.Message, "hunter2") || strings.Contains(i.Message, "s3cret") {
			t.Fatalf("secret leaked in %s message", i.ID)
		}
	}
}

func TestJMESPathNames(t *testing.T) {
	f, l, err := jmespathNames("contains(roles, 'x') && 'Admin' || email || role_keys[?@=='a'] | [0]")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(f, ",") != "roles,email,role_keys" || strings.Join(l, ",") != "a" {
		t.Fatalf("fields %v results %v", f, l)
	}
}

// The literals jmespathNames says an expression can return are exactly
// the literals the library returns for some user-info: every expression
// is evaluated by go-jmespath on inputs that drive each branch.
func TestJMESPathResultsAgreeWithTheLibrary(t *testing.T) {
	inputs := []map[string]any{
		{"role_keys": []any{"viewer", "a"}, "email": "x@y", "groups": []any{}}, {"role_keys": []any{"admin"}, "groups": []any{"x"}},
		{"groups": []any{"viewer"}, "role_keys": []any{}}, {"role_keys": []any{}, "email": nil, "groups": []any{}}, {"role": "Op", "role_keys": []any{"b"}},
	}
	for _, expr := range []string{
		"contains(groups, 'viewer') && 'Viewer' || 'Public'",
		"contains(role_keys, 'admin') && 'Admin' || contains(role_keys, 'viewer') && 'Viewer' || 'Public'",
		"role_keys[?@=='admin'] | [0]",
		"not_null(role, 'Viewer')",
		"role_keys[?@ == 'admin'] | [0] || 'Viewer'",
		"'Op'",
		"contains(role_keys, 'a') && `\"Op\"` || email",
	} {
		_, results, err := jmespathNames(expr)
		if err != nil {
			t.Fatal(err)
		}
		literals := map[string]bool{}
		root, _ := jmespath.NewParser().Parse(expr)
		parseJPTree(strings.Split(root.String(), "\n")).walk(func(n *jpNode) {
			if n.kind == "ASTLiteral" {
				literals[n.value] = true
			}
		})
		got := map[string]bool{}
		for _, in := range inputs {
			out, err := jmespath.Search(expr, in)
			if s, ok := out.(string); err == nil && ok && literals[s] {
				got[s] = true
			}
		}
		for s := range got {
			if !slices.Contains(results, s) {
				t.Errorf("%s: the library returns %q, which jmespathNames does not list (%v)", expr, s, results)
			}
		}
		for _, s := range results {
			if !got[s] {
				t.Errorf("%s: jmespathNames lists %q, which no input makes the library return", expr, s)
			}
		}
	}
}

func TestResolveAzureTenant(t *testing.T) {
	p := MustProfile(Airflow3)
	cases := []struct {
		url, tenant, problem string
	}{
		{"https://login.microsoftonline.com/" + tenantGUID + "/oauth2/v2.0/token", tenantGUID, ""},
		{"https://LOGIN.MICROSOFTONLINE.COM/contoso.onmicrosoft.com/oauth2/token", "contoso.onmicrosoft.com", ""},
		{"http://login.microsoftonline.com/" + tenantGUID + "/oauth2/token", "", "not https"},
		{"https://evil.com/login.microsoftonline.com/x/oauth2", "", "not a Microsoft authority host"},
		{"https://login.microsoftonline.com@evil.com/x/oauth2", "", "not a Microsoft authority host"},
		{"https://other.microsoftonline.com/x/oauth2", "", "not a Microsoft authority host"},
		{"https://login.microsoftonline.com/", "", "no tenant"},
		{"https://login.microsoftonline.com/CONSUMERS/oauth2/v2.0/token", "", "multi-tenant"},
	}
	for _, c := range cases {
		tenant, _, problem := tenantFromURL(p, c.url)
		if tenant != c.tenant || !strings.Contains(problem, c.problem) {
			t.Errorf("%s: tenant %q problem %q, want %q / %q", c.url, tenant, problem, c.tenant, c.problem)
		}
	}
	// Candidate order: client_kwargs.tenant_id first (§8.2 step 2).
	pr := &Provider{Remote: azureRemote(), ClientKwargs: D("tenant_id", "contoso.onmicrosoft.com")}
	tr := ResolveAzureTenant(p, pr)
	if tr.Chosen == nil || tr.Chosen.Source != "client_kwargs.tenant_id" || tr.DiscoveryURL != "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration" {
		t.Fatalf("%+v", tr)
	}
}

func TestPredictCallback(t *testing.T) {
	cfg := conf()
	cfg.Env = func(k string) (string, bool) {
		if k == "AIRFLOW__API__BASE_URL" {
			return "https://example.com/airflow/", true
		}
		return "", false
	}
	cb := PredictCallback(MustProfile(Airflow3), cfg, "azure", "")
	// §2.1: <base path>/auth/oauth-authorized/<name> on Airflow 3.
	if cb.URL != "https://example.com/airflow/auth/oauth-authorized/azure" || cb.BehindProxy != "http://example.com/airflow/auth/oauth-authorized/azure" {
		t.Fatalf("%+v", cb)
	}
	cb = PredictCallback(MustProfile(Airflow29), conf(), "keycloak", "https://af.example.com")
	if cb.URL != "https://af.example.com/oauth-authorized/keycloak" {
		t.Fatalf("%+v", cb)
	}
	cb = PredictCallback(MustProfile(Superset), conf("ENABLE_PROXY_FIX", true), "google", "https://bi.example.com")
	if cb.ProxyFix != "on" || cb.BehindProxy != "https://bi.example.com/oauth-authorized/google" {
		t.Fatalf("%+v", cb)
	}
}

func TestParseFlavor(t *testing.T) {
	for in, want := range map[string]Flavor{"auto": "", "airflow2": Airflow29, "airflow-2.7": Airflow22, "airflow2.10": Airflow29,
		"airflow3": Airflow3, "airflow-3.1": Airflow3, "superset": Superset, "FAB": FAB,
		"airflow-2.1": Airflow20, "airflow-2.0.2": Airflow20, "airflow-2.2.0": Airflow22} {
		got, err := ParseFlavor(in)
		if err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"airflow-1.10", "django", "airflow-4.0"} {
		if _, err := ParseFlavor(bad); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
	if _, err := NewProfile(Airflow3, ProfileOptions{FabProvider: "1.5.0"}); err == nil {
		t.Error("provider 1.x is not Airflow 3")
	}
	// Out of range: a usage error that names the range.
	for _, c := range []struct {
		f Flavor
		o ProfileOptions
	}{{Superset, ProfileOptions{FABVersion: "2.3.4"}}, {FAB, ProfileOptions{FABVersion: "5.3.0"}},
		{Airflow20, ProfileOptions{FABVersion: "4.0.0"}}, {Airflow20, ProfileOptions{FABVersion: "3.1.0"}},
		{Airflow29, ProfileOptions{FabProvider: "2.0.0"}}, {Airflow3, ProfileOptions{FabProvider: "4.0.0"}}} {
		_, err := NewProfile(c.f, c.o)
		if err == nil || !strings.Contains(err.Error(), "–") && !strings.Contains(err.Error(), "up to") {
			t.Errorf("%s %+v: %v, want an out-of-range error naming the range", c.f, c.o, err)
		}
	}
	// A flag that does not apply to the flavour: a usage error saying so.
	for _, c := range []struct {
		f Flavor
		o ProfileOptions
	}{{Airflow3, ProfileOptions{FABVersion: "4.5.0"}}, {Airflow22, ProfileOptions{FABVersion: "3.4.5"}},
		{Superset, ProfileOptions{FabProvider: "1.5.0"}}, {Airflow20, ProfileOptions{FabProvider: "1.0.0"}}} {
		if _, err := NewProfile(c.f, c.o); err == nil || !strings.Contains(err.Error(), "does not apply to "+string(c.f)) {
			t.Errorf("%s %+v: %v, want \"does not apply\"", c.f, c.o, err)
		}
	}
}

// A file whose Airflow version is not known: what only some versions do
// is said at info, naming them; what all do keeps its severity (spec §0,
// §2.3: the vendored manager of 2.2–2.8 has no keycloak branch).
func TestLintPlausible(t *testing.T) {
	c := with(goodAzure(), "OAUTH_PROVIDERS", L(prov("keycloak", oidcRemote("api_base_url", "https://kc/realms/x/protocol/"))))
	c.Origin = func(...string) Origin { return OriginOutside }
	ps := []Profile{MustProfile(Airflow22), MustProfile(Airflow29), MustProfile(Airflow3)}
	issues, sum := LintPlausible(c, ps, LintOptions{})
	if sum.Flavor != Airflow3 || len(sum.AlsoChecked) != 2 {
		t.Errorf("summary %+v", sum)
	}
	var cfg011 *Issue
	for i := range issues {
		if issues[i].ID == "CFG011" {
			cfg011 = &issues[i]
		}
	}
	if cfg011 == nil || severityOf(*cfg011) != engine.SeverityInfo || !strings.HasPrefix(cfg011.Message, "on Airflow 2.2–2.8: ") {
		t.Fatalf("CFG011: %+v", cfg011)
	}
	// the same config read as Airflow 2.2–2.8 only: a warning
	only, _ := LintPlausible(c, ps[:1], LintOptions{})
	for _, is := range only {
		if is.ID == "CFG011" && severityOf(is) != engine.SeverityWarning {
			t.Errorf("single flavour: %v", severityOf(is))
		}
	}
}

// A finding every supported release gives keeps its severity when only
// Airflow 2.0–2.1 (FAB 3.x with authlib < 1.0, out of support since 2022)
// behaves otherwise, and says so: with openid and no key source, authlib
// ≥ 1.0 fails every login (spec fab.md §5.1), authlib 0.x parses no
// id_token.
func TestLintPlausibleLegacyReleasesDoNotSoftenFindings(t *testing.T) {
	remote := D("client_id", "app-id", "api_base_url", "https://kc.example.com/realms/x/protocol/",
		"access_token_url", "https://kc.example.com/realms/x/protocol/openid-connect/token",
		"authorize_url", "https://kc.example.com/realms/x/protocol/openid-connect/auth",
		"client_kwargs", D("scope", "openid email profile"))
	c := with(goodAzure(), "OAUTH_PROVIDERS", L(prov("keycloak", remote)))
	c.Origin = func(...string) Origin { return OriginOutside }
	ps := []Profile{MustProfile(Airflow20), MustProfile(Airflow22), MustProfile(Airflow29), MustProfile(Airflow3)}
	issues, _ := LintPlausible(c, ps, LintOptions{})
	for _, is := range issues {
		if is.ID == "CFG004" {
			if severityOf(is) != engine.SeverityError || !strings.Contains(is.Message, "; not on Airflow 2.0–2.1") || !strings.HasSuffix(is.Message, ", out of support since 2022") {
				t.Errorf("CFG004 %v %q", severityOf(is), is.Message)
			}
			return
		}
	}
	t.Fatalf("no CFG004: %v", issues)
}
