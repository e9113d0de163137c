package lint_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Lint judges the user's own code (issue 16, spec/user-code.md §6): it
// evaluates the user-info code on a representative login of each
// provider, reports what is wrong in it at its line, and keeps a finding
// of the built-in branch only where that branch still runs.

func userCodeFile(t *testing.T, name string) string {
	return filepath.Join(repoRoot(t), "testdata", "lint", "usercode", name)
}

func seedFile(t *testing.T, name string) string {
	return filepath.Join(repoRoot(t), "testdata", "usercode", name)
}

// The seed pattern takes role_keys from groups: no "keys look like group
// ids but the azure branch compares them with the roles claim"; CFG010
// says what the evaluation showed and which built-in finding it dropped.
func TestLint_UserCodeSeedNoGroupFalseAlarm(t *testing.T) {
	d := lint(t, "airflow3", seedFile(t, "seed_groups.py"))
	clean(t, d, "ROL004")
	f := fires(t, d, "CFG010", 38)
	for _, want := range []string{"azure (Entra ID v2)", "role_keys from groups", "ROL004 (line 11)"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("CFG010 lacks %q: %s", want, f.Message)
		}
	}
	// the decode without a check, at the user's line, as for the branch
	if f := fires(t, d, "CFG007", 32); f.Severity != "info" || !strings.Contains(f.Message, "authlib has already verified it") {
		t.Errorf("CFG007 %s %q", f.Severity, f.Message)
	}
}

// Where the override takes role_keys from the roles claim, the GUID keys
// never match: ROL004 holds, at warning.
func TestCheck_ROL004_Fires_UserCodeReadsRolesClaim(t *testing.T) {
	d := lint(t, "airflow3", userCodeFile(t, "azure_roles_claim.py"))
	if f := fires(t, d, "ROL004", 10); f.Severity != "warning" || !strings.Contains(f.Message, "group object IDs") {
		t.Errorf("ROL004 %s %q", f.Severity, f.Message)
	}
}

// super() runs FAB's keycloak branch: its URL join misses (CFG013 holds)
// and the override empties role_keys, so with no registration role every
// new user ends with none (ROL003 holds, an error).
func TestCheck_CFG013_ROL003_Fire_ThroughSuper(t *testing.T) {
	d := lint(t, "airflow3", userCodeFile(t, "keycloak_super.py"))
	if f := fires(t, d, "CFG013", 16); f.Severity != "warning" {
		t.Errorf("CFG013 %s %q", f.Severity, f.Message)
	}
	if f := fires(t, d, "ROL003", 9); f.Severity != "error" {
		t.Errorf("ROL003 %s %q", f.Severity, f.Message)
	}
}

// PyJWT 1's verify=False and Flask-OAuthlib's .data make every login
// fail: ROL006 errors at the line that raises.
func TestCheck_ROL006_Fires_UserCodeRaisesOnEveryLogin(t *testing.T) {
	d := lint(t, "airflow3", seedFile(t, "seed_pyjwt1.py"))
	f := fires(t, d, "ROL006", 32)
	if f.Severity != "error" || !strings.Contains(f.Message, `DecodeError: It is required that you pass in a value for the "algorithms" argument`) || !strings.Contains(f.Message, "PyJWT 1's spelling") {
		t.Errorf("ROL006 %s %q", f.Severity, f.Message)
	}
	// Code written for PyJWT 1 works (unverified) where PyJWT 1 is
	// installed (Flask-AppBuilder < 4.0.0 pins PyJWT < 2: Airflow 2.0–2.2):
	// on a release that may be one of those, the finding is info naming
	// the condition.
	for _, flavor := range []string{"airflow-2.2", "airflow-2.0"} {
		d := lint(t, flavor, seedFile(t, "seed_pyjwt1.py"))
		f := fires(t, d, "ROL006", 32)
		if f.Severity != "info" || !strings.HasPrefix(f.Message, "with PyJWT 2 (") || !strings.Contains(f.Message, "under PyJWT 1 (Flask-AppBuilder 3: Airflow ≤ 2.2) the same line decodes without any check") {
			t.Errorf("flavour %q: ROL006 %s %q", flavor, f.Severity, f.Message)
		}
	}
	d = lint(t, "superset", userCodeFile(t, "data_attribute.py"))
	f = fires(t, d, "ROL006", 24)
	if f.Severity != "error" || !strings.Contains(f.Message, "AttributeError: 'Response' object has no attribute 'data'") {
		t.Errorf("ROL006 %s %q", f.Severity, f.Message)
	}
}

// A claim read with [...] that Entra v2 tokens lack: a warning naming the
// claim and the provider; a plain-http call: CFG020 at its line.
func TestCheck_ROL006_CFG020_Fire_OnUserCodeLines(t *testing.T) {
	d := lint(t, "airflow3", userCodeFile(t, "claims_and_calls.py"))
	f := fires(t, d, "ROL006", 38)
	if f.Severity != "warning" || !strings.Contains(f.Message, `"upn"`) || !strings.Contains(f.Message, "Entra ID v2 id_tokens carry no upn") {
		t.Errorf("ROL006 %s %q", f.Severity, f.Message)
	}
	if f := fires(t, d, "CFG020", 39); !strings.Contains(f.Message, "http://directory.corp.example/groups") {
		t.Errorf("CFG020 %q", f.Message)
	}
	// the seed pattern reads only what every v2 id_token carries
	for _, f := range lint(t, "airflow3", seedFile(t, "seed_groups.py")).Findings {
		if f.ID == "ROL006" || f.ID == "CFG020" {
			t.Errorf("seed pattern: %s %q", f.ID, f.Message)
		}
	}
}

// CFG026: a branch on a name no provider has; a warning when it differs
// from the configured name only in case.
func TestCheck_CFG026_Fires_BranchOnAbsentProviderName(t *testing.T) {
	d := lint(t, "airflow3", userCodeFile(t, "provider_names.py"))
	if f := fires(t, d, "CFG026", 25); f.Severity != "warning" || !strings.Contains(f.Message, `"Azure"`) {
		t.Errorf("CFG026 %s %q", f.Severity, f.Message)
	}
	if f := fires(t, d, "CFG026", 28); f.Severity != "info" || !strings.Contains(f.Message, `"okta"`) {
		t.Errorf("CFG026 %s %q", f.Severity, f.Message)
	}
}

func TestCheck_CFG026_Clean_BranchOnConfiguredName(t *testing.T) {
	clean(t, lint(t, "airflow3", seedFile(t, "seed_groups.py")), "CFG026")
}

// The built-in azure branch reached through super(): Airflow's vendored
// copy (2.2–2.8) reads upn alone, which v2 tokens lack (a warning); the
// FAB provider (2.9–2.10) reads email, else upn, so only a user whose
// token has neither fails, which depends on the directory (info).
func TestCheck_ROL006_BuiltinAzureEmailClaimByRelease(t *testing.T) {
	for flavor, want := range map[string]string{"airflow-2.2": "warning", "airflow-2.9": "info"} {
		d := lint(t, flavor, userCodeFile(t, "azure_super_email.py"))
		f := fires(t, d, "ROL006", 28)
		if f.Severity != want || !strings.Contains(f.Message, "upn") {
			t.Errorf("%s: ROL006 %s %q, want %s", flavor, f.Severity, f.Message, want)
		}
		if want == "info" && !strings.Contains(f.Message, `whichever of "email" and "upn"`) {
			t.Errorf("%s: %q", flavor, f.Message)
		}
	}
}

// self._azure_jwt_token_parse exists in Flask-AppBuilder up to 4.3.7
// (flask_appbuilder/security/manager.py at v4.3.7; gone at v4.3.8): on a
// newer FAB every Azure login raises AttributeError (a warning naming the
// release: a deployment pinned to an older FAB works); on 4.3.7 the
// helper decodes the id_token and the login goes on.
func TestCheck_ROL006_AzureTokenParseRemovedInFAB438(t *testing.T) {
	d := lint(t, "superset", userCodeFile(t, "azure_token_parse.py"))
	f := fires(t, d, "ROL006", 16)
	if f.Severity != "warning" || !strings.Contains(f.Message, "has no attribute '_azure_jwt_token_parse'") || !strings.Contains(f.Message, "4.3.8 removed that helper") {
		t.Errorf("ROL006 %s %q", f.Severity, f.Message)
	}
	for _, f := range lint(t, "superset", "--fab-version", "4.3.7", userCodeFile(t, "azure_token_parse.py")).Findings {
		if f.ID == "ROL006" && f.Severity != "info" {
			t.Errorf("FAB 4.3.7 has the helper: %q", f.Message)
		}
	}
}

// A deployment may copy its security manager into the application's own
// package (superset/security/sso_security_manager.py in the image): with
// --path holding that tree, the class is read; the application's own
// classes (SupersetSecurityManager) never are.
func TestUserCode_ModuleInsideTheApplicationsPackage(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib")
	if err := os.MkdirAll(filepath.Join(lib, "superset", "security"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(lib, "superset", "security"), "sso_security_manager.py", "from superset.security import SupersetSecurityManager\n\nclass SsoSecurityManager(SupersetSecurityManager):\n    def oauth_user_info(self, provider, response=None):\n        return {'username': 'x'}\n")
	cfg := writeFile(t, dir, "superset_config.py", "from flask_appbuilder.security.manager import AUTH_OAUTH\nfrom superset.security.sso_security_manager import SsoSecurityManager\nAUTH_TYPE = AUTH_OAUTH\nCUSTOM_SECURITY_MANAGER = SsoSecurityManager\nOAUTH_PROVIDERS = [{'name': 'google', 'token_key': 'access_token', 'remote_app': {'client_id': 'c', 'api_base_url': 'https://www.googleapis.com/oauth2/v2/', 'server_metadata_url': 'https://accounts.google.com/.well-known/openid-configuration', 'client_kwargs': {'scope': 'openid email profile'}}}]\n")
	f := fires(t, lint(t, "superset", "--path", lib, cfg), "CFG010", 4)
	if !strings.Contains(f.Message, "SsoSecurityManager.oauth_user_info") {
		t.Errorf("CFG010 %q", f.Message)
	}
}

// requests' verify=False in the user's code: the certificate is not
// checked, so the request is as open as plain http (CFG020 at its line).
func TestCheck_CFG020_Fires_UserCodeTurnsTLSChecksOff(t *testing.T) {
	dir := t.TempDir()
	src := "import os\nimport requests\nfrom flask_appbuilder.security.manager import AUTH_OAUTH\nfrom superset.security import SupersetSecurityManager\n\nclass SM(SupersetSecurityManager):\n    def oauth_user_info(self, provider, response=None):\n        me = requests.get('https://sso.example.org/realms/x/protocol/openid-connect/userinfo', headers={'Authorization': 'Bearer ' + response['access_token']}, verify=False).json()\n        return {'username': me['preferred_username']}\n\nCUSTOM_SECURITY_MANAGER = SM\nAUTH_TYPE = AUTH_OAUTH\nOAUTH_PROVIDERS = [{'name': 'keycloak', 'token_key': 'access_token', 'remote_app': {'client_id': 'c', 'client_secret': os.environ.get('S'), 'api_base_url': 'https://sso.example.org/realms/x/protocol/', 'server_metadata_url': 'https://sso.example.org/realms/x/.well-known/openid-configuration', 'client_kwargs': {'scope': 'openid email profile'}}}]\n"
	f := fires(t, lint(t, "superset", writeFile(t, dir, "superset_config.py", src)), "CFG020", 8)
	if f.Severity != "warning" || !strings.Contains(f.Message, "verify=False") || !strings.Contains(f.Message, "https://sso.example.org/realms/x/protocol/openid-connect/userinfo") {
		t.Errorf("CFG020 %s %q", f.Severity, f.Message)
	}
}

// The author's own raise (a user without the required role is refused) is
// a decision about users, not a broken login: info naming the line,
// whatever the representative user lacks.
func TestCheck_ROL006_DeliberateRefusalIsInfo(t *testing.T) {
	dir := t.TempDir()
	src := "import os\nimport jwt\nfrom airflow.exceptions import AirflowException\nfrom airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride\nfrom flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\n\nclass SM(FabAirflowSecurityManagerOverride):\n    def get_oauth_user_info(self, provider, response):\n        me = jwt.decode(response['access_token'], os.environ.get('KC_PUBLIC_KEY'), algorithms=['RS256'], audience='airflow')\n        if 'pipeline-squad' not in me.get('realm_access', {}).get('roles', []):\n            raise AirflowException('User does not have required roles')\n        return {'username': me.get('preferred_username'), 'role_keys': ['Admin']}\n\nSECURITY_MANAGER_CLASS = SM\nOAUTH_PROVIDERS = [{'name': 'keycloak', 'token_key': 'access_token', 'remote_app': {'client_id': 'airflow', 'client_secret': os.environ.get('S'), 'api_base_url': 'https://sso.example.org/realms/x/protocol/', 'server_metadata_url': 'https://sso.example.org/realms/x/.well-known/openid-configuration', 'client_kwargs': {'scope': 'openid email profile'}}}]\n"
	f := fires(t, lint(t, "airflow3", writeFile(t, dir, "webserver_config.py", src)), "ROL006", 12)
	if f.Severity != "info" || !strings.Contains(f.Message, "airflow.exceptions.AirflowException: User does not have required roles") {
		t.Errorf("ROL006 %s %q", f.Severity, f.Message)
	}
}

// lint's representative login takes the IdP's signature as given (a real
// token is signed with the key the deployment gives the code) and looks
// at what the code does with the claims: here it reads the client's entry
// of resource_access with [...], which only users with a role of that
// client have (ROL006 warning at the line).
func TestCheck_ROL006_ClaimsReadAfterAVerifiedDecode(t *testing.T) {
	dir := t.TempDir()
	src := "import os\nimport jwt\nfrom airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride\nfrom flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\nPUBLIC_KEY = os.environ.get('KC_PUBLIC_KEY')\n\nclass SM(FabAirflowSecurityManagerOverride):\n    def get_oauth_user_info(self, provider, response):\n        me = jwt.decode(response['access_token'], PUBLIC_KEY, algorithms=['RS256'], audience='airflow')\n        roles = me['resource_access']['airflow']['roles']\n        return {'username': me.get('preferred_username'), 'role_keys': roles}\n\nSECURITY_MANAGER_CLASS = SM\nOAUTH_PROVIDERS = [{'name': 'keycloak', 'token_key': 'access_token', 'remote_app': {'client_id': 'airflow', 'client_secret': os.environ.get('S'), 'api_base_url': 'https://sso.example.org/realms/x/protocol/', 'server_metadata_url': 'https://sso.example.org/realms/x/.well-known/openid-configuration', 'client_kwargs': {'scope': 'openid email profile'}}}]\n"
	f := fires(t, lint(t, "airflow3", writeFile(t, dir, "webserver_config.py", src)), "ROL006", 11)
	if f.Severity != "warning" || !strings.Contains(f.Message, `resource_access has an entry for the client "airflow" only for users with roles of that client`) {
		t.Errorf("ROL006 %s %q", f.Severity, f.Message)
	}
}

// role_keys the code filters out of the role claims (by a substring the
// example values of the representative login lack) come out empty there:
// whether real users get keys is not known, so no "mapping can never
// apply" warning.
func TestUserCode_FilteredRoleKeysAreNotJudged(t *testing.T) {
	dir := t.TempDir()
	src := "import os\nimport jwt\nfrom airflow.www.security import AirflowSecurityManager\nfrom flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\nAUTH_USER_REGISTRATION = True\nAUTH_USER_REGISTRATION_ROLE = 'Public'\nAUTH_ROLES_MAPPING = {'airflow_admin': ['Admin'], 'airflow_viewer': ['Viewer']}\n\nclass SM(AirflowSecurityManager):\n    def get_oauth_user_info(self, provider, response):\n        me = jwt.decode(response['access_token'], options={'verify_signature': False})\n        groups = me.get('groups', [])\n        return {'username': me.get('preferred_username'), 'role_keys': [g for g in groups if 'airflow' in g]}\n\nSECURITY_MANAGER_CLASS = SM\nOAUTH_PROVIDERS = [{'name': 'keycloak', 'token_key': 'access_token', 'remote_app': {'client_id': 'airflow', 'client_secret': os.environ.get('S'), 'api_base_url': 'https://sso.example.org/realms/x/protocol/', 'server_metadata_url': 'https://sso.example.org/realms/x/.well-known/openid-configuration', 'client_kwargs': {'scope': 'openid email profile'}}}]\n"
	// Airflow 2.2–2.8's keycloak branch yields no role_keys: the built-in
	// finding that the user's code replaces
	for _, f := range lint(t, "airflow-2.2", writeFile(t, dir, "webserver_config.py", src)).Findings {
		if (f.ID == "ROL004" || f.ID == "ROL003") && f.Severity != "info" {
			t.Errorf("%s %s %q", f.ID, f.Severity, f.Message)
		}
	}
}

// A raise that only a missing optional claim causes (me.get("given_name")
// is None for users without it) concerns those users, not every login:
// a warning naming the claim, found by adding the claim and seeing the
// exception go away.
func TestCheck_ROL006_RaiseWithoutAnOptionalClaim(t *testing.T) {
	dir := t.TempDir()
	src := "import os\nimport jwt\nfrom airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride\nfrom flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\n\nclass SM(FabAirflowSecurityManagerOverride):\n    def get_oauth_user_info(self, provider, response):\n        me = jwt.decode(response['id_token'], options={'verify_signature': False})\n        first = me.get('given_name').lower()\n        return {'username': me['sub'], 'first_name': first}\n\nSECURITY_MANAGER_CLASS = SM\nOAUTH_PROVIDERS = [{'name': 'authentik', 'token_key': 'access_token', 'remote_app': {'client_id': 'c', 'client_secret': os.environ.get('S'), 'api_base_url': 'https://auth.example.org/application/o/', 'server_metadata_url': 'https://auth.example.org/application/o/airflow/.well-known/openid-configuration', 'client_kwargs': {'scope': 'openid email profile'}}}]\n"
	f := fires(t, lint(t, "airflow3", writeFile(t, dir, "webserver_config.py", src)), "ROL006", 10)
	if f.Severity != "warning" || !strings.Contains(f.Message, `when the token has no "given_name"`) {
		t.Errorf("ROL006 %s %q", f.Severity, f.Message)
	}
}

// The user's code calls remote.get("userinfo") on a Keycloak base without
// its trailing slash: urljoin replaces openid-connect, and Keycloak has no
// …/protocol/userinfo (CFG013 at the line of the call).
func TestCheck_CFG013_Fires_UserCodeJoinDropsASegment(t *testing.T) {
	dir := t.TempDir()
	src := "import os\nfrom airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride\nfrom flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\n\nclass SM(FabAirflowSecurityManagerOverride):\n    def oauth_user_info(self, provider, response=None):\n        me = self.appbuilder.sm.oauth_remotes[provider].get('userinfo').json()\n        return {'username': me['preferred_username']}\n\nSECURITY_MANAGER_CLASS = SM\nOAUTH_PROVIDERS = [{'name': 'keycloak', 'token_key': 'access_token', 'remote_app': {'client_id': 'c', 'client_secret': os.environ.get('S'), 'api_base_url': 'https://sso.example.org/realms/x/protocol/openid-connect', 'server_metadata_url': 'https://sso.example.org/realms/x/.well-known/openid-configuration', 'client_kwargs': {'scope': 'openid email profile'}}}]\n"
	f := fires(t, lint(t, "airflow3", writeFile(t, dir, "webserver_config.py", src)), "CFG013", 8)
	if f.Severity != "warning" || !strings.Contains(f.Message, "https://sso.example.org/realms/x/protocol/userinfo") {
		t.Errorf("CFG013 %s %q", f.Severity, f.Message)
	}
}
