package usercode_test

import (
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/fab"
)

const kcHead = `import jwt
from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
OAUTH_PROVIDERS = [{
    "name": "keycloak", "token_key": "access_token",
    "remote_app": {
        "client_id": "airflow",
        "api_base_url": "https://sso.example.org/realms/corp/protocol/",
        "server_metadata_url": "https://sso.example.org/realms/corp/.well-known/openid-configuration",
        "client_kwargs": {"scope": "openid email profile"},
    },
}]
`

func facts(t *testing.T, src string) *fab.ProviderFacts {
	t.Helper()
	f := loadFiles(t, "airflow3", map[string]string{"webserver_config.py": src})
	uf := f.Code.Linter(f.Config).Facts(f.Profile)
	if uf == nil || uf.Providers["keycloak"] == nil {
		t.Fatalf("no facts: %+v", uf)
	}
	return uf.Providers["keycloak"]
}

// Realm roles read from the access token: Keycloak puts realm_access
// there by default, so nothing is missing, and the role keys are traced
// to the claim.
func TestFacts_KeycloakRealmRoles(t *testing.T) {
	pf := facts(t, kcHead+`
class SM(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        token = jwt.decode(resp["access_token"], options={"verify_signature": False})
        return {"username": token["preferred_username"], "role_keys": token["realm_access"]["roles"]}

SECURITY_MANAGER_CLASS = SM
`)
	if len(pf.Missing) != 0 || pf.Run.Kind != fab.CodeReturned || strings.Join(pf.RoleKeysFrom, ",") != "realm_access.roles" {
		t.Fatalf("missing %+v run %s from %v", pf.Missing, pf.Run.Kind, pf.RoleKeysFrom)
	}
	if len(pf.Events) != 1 || pf.Events[0].Kind != fab.EventVerifyOff || pf.Events[0].Token != "access_token" || pf.Events[0].Line != 18 {
		t.Errorf("events %+v", pf.Events)
	}
}

// A client's roles exist only for users who have some; the id_token has
// no realm_access: each is a claim some logins lack, at its line, and the
// evaluation goes on with it added.
func TestFacts_KeycloakClaimsSomeLack(t *testing.T) {
	pf := facts(t, kcHead+`
class SM(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        at = jwt.decode(resp["access_token"], options={"verify_signature": False})
        client_roles = at["resource_access"]["airflow"]["roles"]
        idt = jwt.decode(resp["id_token"], options={"verify_signature": False})
        return {"username": idt["preferred_username"], "email": idt["email"],
                "role_keys": client_roles + idt["realm_access"]["roles"]}

SECURITY_MANAGER_CLASS = SM
`)
	var got []string
	for _, m := range pf.Missing {
		got = append(got, m.Claim)
	}
	if strings.Join(got, ",") != "airflow,email,realm_access" || !pf.Missing[0].ClientRole || pf.Missing[0].Line != 19 {
		t.Fatalf("missing %+v", pf.Missing)
	}
	if pf.Run.Kind != fab.CodeReturned || !pf.RoleKeys {
		t.Errorf("run %s role keys %v", pf.Run.Kind, pf.RoleKeysFrom)
	}
}
