package fab

import (
	"strings"
	"testing"
)

// checks.md ROL004: Keycloak roles under realm_access/resource_access while
// the keycloak branch reads only groups (spec §2.3) — the mapping is inert.
func TestKeycloakRealmRolesRaiseROL004(t *testing.T) {
	cfg := oauthConf(prov("keycloak", oidcRemote()), "AUTH_ROLES_MAPPING", D("airflow-admins", L("Admin")))
	claims := map[string]any{"sub": "u", "preferred_username": "ada", "email": "ada@example.com", "given_name": "A", "family_name": "B",
		"realm_access": map[string]any{"roles": []any{"airflow-admins", "offline_access"}}}
	res, err := Simulate(cfg, MustProfile(Airflow3), SimInput{Claims: claims})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, is := range res.Issues {
		if is.ID == "ROL004" && strings.Contains(is.Message, "airflow-admins") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no ROL004 for realm roles: %+v", issueIDs(res.Issues))
	}
	// With the groups claim (a Group Membership mapper), no ROL004 of this kind.
	claims["groups"] = []any{"airflow-admins"}
	res, err = Simulate(cfg, MustProfile(Airflow3), SimInput{Claims: claims})
	if err != nil {
		t.Fatal(err)
	}
	for _, is := range res.Issues {
		if is.ID == "ROL004" && strings.Contains(is.Message, "realm_access") {
			t.Fatalf("ROL004 although groups is present: %s", is.Message)
		}
	}
}
