package fab

import "fmt"

// The Flask-AppBuilder releases modelled, and what each range does at an
// OAuth login. Every fact below was read in dpgaspar/Flask-AppBuilder at
// the tag cited (files: flask_appbuilder/security/manager.py "manager",
// flask_appbuilder/security/views.py "views", setup.py); the table-driven
// tests (versions_test.go) take their expectations from the same tags.
const (
	// FABOldest and FABNewest bound --fab-version for Superset and plain
	// FAB: FAB 3.0.0 moved OAuth from Flask-OAuthlib to authlib
	// (v3.0.0:manager imports authlib.integrations.flask_client), and
	// 5.2.2 is the newest tag read.
	FABOldest = "3.0.0"
	FABNewest = "5.2.2"
	// Airflow 2.0/2.1 require flask-appbuilder ≥ 3.1.1 (2.0.0/2.0.1:
	// "~=3.1.1"; 2.0.2 "allow 3.2 (and all 3.x series)" #14665; 2.1.0
	// "limit to recently released 3.3" #15792; 2.1.3 "3.3.2+" #17208:
	// apache/airflow RELEASE_NOTES.rst), and never FAB 4.
	Airflow20FABOldest = "3.1.1"
	Airflow20FABNewest = "3.4.5"
	// Airflow20FABDefault is simulated for Airflow 2.0/2.1 when nothing
	// tells the FAB version: the lowest 2.1.3/2.1.4 accept (#17208).
	Airflow20FABDefault = "3.3.2"
)

// AzureRoles is where the azure branch takes role_keys from.
type AzureRoles int

const (
	// AzureRolesClaim: me.get("roles", []) (FAB ≥ 3.4.3, Airflow's
	// copies; the claim is configurable with AUTH_OAUTH_ROLE_KEYS on the
	// newest provider).
	AzureRolesClaim AzureRoles = iota
	// AzureRolesNone: no role_keys key at all (FAB < 3.4.1).
	AzureRolesNone
	// AzureRolesUnbound: data.get("roles", []) with data never assigned
	// in the azure branch, so every azure login raises (FAB 3.4.1–3.4.2).
	AzureRolesUnbound
)

// fabAt resolves the user-info and login behaviours of one
// Flask-AppBuilder release into p (Superset, plain FAB, Airflow 2.0/2.1).
func fabAt(p *Profile, v version) {
	names := []string{"github", "githublocal", "twitter", "linkedin", "google", "azure"}
	if v.atLeast("3.1.0") {
		// v3.1.0:manager adds `if provider == "openshift"`.
		names = append(names, "openshift")
	}
	if v.atLeast("3.2.0") {
		// v3.2.0:manager adds the okta branch.
		names = append(names, "okta")
	}
	if v.atLeast("4.1.0") {
		// v4.1.0:manager adds `if provider in ["keycloak", "keycloak_before_17"]`.
		names = append(names, "keycloak", "keycloak_before_17")
	}
	if v.atLeast("4.3.11") {
		// v4.3.11:manager adds auth0 (authlib userinfo()).
		names = append(names, "auth0")
	}
	if v.atLeast("4.4.0") {
		// v4.4.0:manager adds authentik (_get_authentik_token_info).
		names = append(names, "authentik")
	}
	p.Branches = branchSet(names...)
	// v4.3.8:manager ends get_oauth_user_info with `raise
	// OAuthProviderUnknown()`; before, the azure `if … else: return {}`.
	p.Unknown = UnknownEmpty
	if v.atLeast("4.3.8") {
		p.Unknown = UnknownRaise
	}
	fabAzureAt(p, v)
	// v3.2.0–v3.2.1:manager read Flask-OAuthlib's `me.data` from
	// authlib's requests.Response; v3.2.2 reads me.json().
	p.OktaFlaskOAuthlibData = v.atLeast("3.2.0") && !v.atLeast("3.2.2")
	// v4.3.11:manager: f"{provider}_{data['sub']}" and data["email"].
	p.OktaStrict = v.atLeast("4.3.11")
	// v4.5.0:manager: `if "error" not in data:` … else log and {}; the
	// keycloak branch gains "role_keys": data.get("groups", []).
	p.OktaErrorCheck = v.atLeast("4.5.0")
	p.KeycloakGroups = v.atLeast("4.5.0")
	// v3.2.0:manager adds AUTH_ROLES_MAPPING, AUTH_ROLES_SYNC_AT_LOGIN and
	// _oauth_calculate_user_roles; v3.0.0/v3.1.x auth_user_oauth gives a
	// new user the one registration role and never touches existing ones.
	p.PreRolesMapping = !v.atLeast("3.2.0")
	// v3.4.3:views wraps authorize_access_token in try/except ("Error
	// authorizing OAuth access token", "The request to sign in was
	// denied."); before, authlib's exceptions escape (HTTP 500).
	p.AuthorizeUncaught = !v.atLeast("3.4.3")
	// v3.3.3:views tests `"email" in userinfo` before the whitelist
	// re.search; before, userinfo["email"] raises KeyError outside the
	// try (HTTP 500) for branches that return no email.
	p.WhitelistEmailKeyError = !v.atLeast("3.3.3")
	// v5.2.2:views appends "$" to each whitelist pattern.
	p.WhitelistAnchored = v.atLeast("5.2.2")
	// v5.0.0:const drops AUTH_OID.
	p.AuthOIDAvailable = !v.atLeast("5.0.0")
	// v3.4.0–v4.1.x:setup.py extras "oauth": Authlib>=0.14,<1.0.0;
	// v4.2.0: <2.0.0. authlib < 1.0 never parses the id_token by itself
	// (its Flask client's authorize_access_token returns the token).
	p.NoIDTokenParse = !v.atLeast("4.2.0")
}

// fabAzureAt resolves the azure branch of one FAB release.
func fabAzureAt(p *Profile, v version) {
	switch {
	case v.atLeast("4.3.10"):
		// v4.3.10:manager: me["upn"] if "upn" in me else me["email"].
		p.AzureEmail = AzureEmailUPNThenEmail
	case v.atLeast("4.3.8"):
		// v4.3.8:manager (_decode_and_validate_azure_jwt): me["email"].
		p.AzureEmail = AzureEmailOnly
	default:
		// v3.0.0–v4.3.7:manager: "email": me["upn"].
		p.AzureEmail = AzureEmailUPN
	}
	// v3.0.0–v4.3.7:manager return "name" and "id" too, and decode the
	// id_token with _azure_jwt_token_parse (base64, no verification).
	p.AzureExtraKeys = !v.atLeast("4.3.8")
	p.AzureUnverifiedOnly = !v.atLeast("4.3.8")
	// v3.0.0–v3.2.2:manager read me["name"], me["given_name"],
	// me["family_name"]; v3.2.3 reads them with .get(…, "").
	p.AzureNamesRequired = !v.atLeast("3.2.3")
	switch {
	case v.atLeast("3.4.3"):
		// v3.4.3:manager: "role_keys": me.get("roles", []).
		p.AzureRoleKeys = AzureRolesClaim
	case v.atLeast("3.4.1"):
		// v3.4.1:manager: "role_keys": data.get("roles", []).
		p.AzureRoleKeys = AzureRolesUnbound
	default:
		p.AzureRoleKeys = AzureRolesNone
	}
}

// fabRange checks a --fab-version against the releases a flavour can run.
func fabRange(f Flavor, s, lo, hi string) (version, error) {
	v, err := parseVersion(s)
	if err != nil {
		return nil, fmt.Errorf("--fab-version: %v", err)
	}
	if !v.atLeast(lo) || !atMost(v, hi) {
		return nil, fmt.Errorf("--fab-version %s is outside the Flask-AppBuilder releases %s runs: %s–%s (every release in that range is accepted)", s, f, lo, hi)
	}
	return v, nil
}

// atMost reports v ≤ s.
func atMost(v version, s string) bool {
	w, _ := parseVersion(s)
	return !v.atLeast(s) || equalVersion(v, w)
}

func equalVersion(a, b version) bool {
	for i := 0; i < max(len(a), len(b)); i++ {
		x, y := 0, 0
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return false
		}
	}
	return true
}

// AirflowFABDefault is the Flask-AppBuilder an Airflow 2.0/2.1 release
// installs by default ("" for other versions), from the pins of
// apache/airflow RELEASE_NOTES.rst and setup.py: 2.0.0/2.0.1 pin
// "~=3.1.1"; 2.0.2's constraints pin 3.2.3; 2.1.0 "limit to 3.3"; 2.1.3
// "3.3.2+".
func AirflowFABDefault(airflow string) string {
	v, err := parseVersion(airflow)
	if err != nil || len(v) < 2 || v[0] != 2 || v[1] > 1 {
		return ""
	}
	switch {
	case v.atLeast("2.1.3"):
		return "3.3.2"
	case v.atLeast("2.1.0"):
		return "3.3.0"
	case v.atLeast("2.0.2"):
		return "3.2.3"
	}
	return "3.1.1"
}

// ProviderRange is the apache-airflow-providers-fab range of a flavour
// ("" when the flavour does not run the provider).
func ProviderRange(f Flavor) (lo, below string) {
	switch f {
	case Airflow29:
		return "1.0.0", "2.0.0"
	case Airflow3:
		return "2.0.0", "4.0.0"
	}
	return "", ""
}

// FABVersionApplies reports whether --fab-version chooses the simulated
// code of a flavour, and if not, why.
func FABVersionApplies(f Flavor) (bool, string) {
	switch f {
	case Superset, FAB, Airflow20:
		return true, ""
	case Airflow22:
		return false, "Airflow 2.2–2.8 run Airflow's own copy of the security manager (airflow/www/fab_security/manager.py), whatever Flask-AppBuilder is installed"
	}
	return false, "Airflow 2.9 and later run the apache-airflow-providers-fab security manager: choose its version with --fab-provider"
}

// ProviderApplies reports whether --fab-provider chooses the simulated
// code of a flavour, and if not, why.
func ProviderApplies(f Flavor) (bool, string) {
	switch f {
	case Airflow29, Airflow3:
		return true, ""
	case Superset, FAB:
		return false, "Superset and plain Flask-AppBuilder do not use apache-airflow-providers-fab: choose the FAB version with --fab-version"
	}
	return false, "Airflow before 2.9 has no apache-airflow-providers-fab (--flavor airflow-2.9 or airflow3 to simulate it)"
}

// branchSet is a set of provider names.
func branchSet(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// CompareVersions compares two dotted versions numerically (-1, 0, 1);
// one that is not a version sorts first.
func CompareVersions(a, b string) int {
	va, errA := parseVersion(a)
	vb, errB := parseVersion(b)
	switch {
	case errA != nil || errB != nil:
		if errA != nil && errB != nil {
			return 0
		}
		if errA != nil {
			return -1
		}
		return 1
	case equalVersion(va, vb):
		return 0
	case va.atLeast(b):
		return 1
	}
	return -1
}

// PyJWTMayBe1 says whether the release simulated may run PyJWT 1, and
// which releases do: Flask-AppBuilder pins PyJWT < 2 up to 3.4.5 and
// requires PyJWT 2 from 4.0.0 (setup.py at those tags). Airflow 2.0–2.2
// install FAB 3.x, Airflow 2.3 and later FAB 4 or the FAB provider.
func (p Profile) PyJWTMayBe1() (bool, string) {
	switch p.Flavor {
	case Airflow20, Airflow22:
		return true, "Airflow 2.0–2.2 install Flask-AppBuilder 3.x and PyJWT 1"
	case Superset, FAB:
		if v, err := parseVersion(p.FABVersion); err == nil && !v.atLeast("4.0.0") {
			return true, "Flask-AppBuilder " + p.FABVersion + " installs PyJWT 1"
		}
	}
	return false, ""
}
