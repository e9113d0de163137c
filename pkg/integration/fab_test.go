package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/oidcprovider"
)

// airflowConfig writes an Airflow 3 webserver_config.py whose OAuth
// provider points its server_metadata_url at p, maps the provider's groups
// to Airflow roles, and takes the client secret from the environment — the
// configuration a `doctor` case will also use.
func airflowConfig(t *testing.T, p *oidcprovider.Provider) string {
	t.Helper()
	src := fmt.Sprintf(`import os

from flask_appbuilder.security.manager import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Public"
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_ROLES_MAPPING = {
    "airflow-admins": ["Admin"],
    "airflow-viewers": ["Viewer"],
}

OAUTH_PROVIDERS = [
    {
        "name": "authdoctor-op",
        "icon": "fa-openid",
        "token_key": "access_token",
        "remote_app": {
            "client_id": %q,
            "client_secret": os.environ.get("OIDC_CLIENT_SECRET"),
            "server_metadata_url": %q,
            "client_kwargs": {"scope": "openid email profile groups roles"},
        },
    }
]
`, oidcprovider.WebClientID, p.DiscoveryURL)
	path := filepath.Join(t.TempDir(), "webserver_config.py")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type rolesResult struct {
	Provider string `json:"provider"`
	Userinfo struct {
		Username string   `json:"username"`
		Email    string   `json:"email"`
		RoleKeys []string `json:"role_keys"`
	} `json:"userinfo"`
	Outcome string   `json:"outcome"`
	Roles   []string `json:"roles"`
}

// The FAB login dry-run on real ID tokens: the groups the provider put in
// each user's token decide the Airflow role.
func TestE2E_Roles_RealIDTokensThroughAirflowConfig(t *testing.T) {
	t.Parallel()
	cfg := airflowConfig(t, op)
	for _, c := range []struct {
		login, username, role string
	}{
		{"dana", "dana.ops", "Admin"},
		{"vic", "vic.viewer", "Viewer"},
	} {
		t.Run(c.login, func(t *testing.T) {
			tok, err := op.AuthorizationCode(ctxT(t), oidcprovider.AuthRequest{Login: c.login})
			if err != nil {
				t.Fatal(err)
			}
			r := run(t, "", "roles", "--config", cfg, "--flavor", "airflow3", "--env", "OIDC_CLIENT_SECRET="+op.Web.Secret,
				writeFile(t, "id.jwt", []byte(tok.IDToken)), "-o", "json")
			r.wantExit(t, 0)
			var res rolesResult
			if err := json.Unmarshal(r.doc.Result, &res); err != nil {
				t.Fatal(err)
			}
			want := oidcprovider.DefaultAccounts()[c.login]["groups"].([]string)
			if res.Outcome != "granted" || !slices.Contains(res.Roles, c.role) || res.Userinfo.Username != c.username || !slices.Equal(res.Userinfo.RoleKeys, want) {
				t.Errorf("outcome %q roles %v userinfo %+v, want granted with %s from groups %v\n%s", res.Outcome, res.Roles, res.Userinfo, c.role, want, r)
			}
			for _, other := range []string{"Admin", "Viewer"} {
				if other != c.role && slices.Contains(res.Roles, other) {
					t.Errorf("%s also got %s: %v", c.login, other, res.Roles)
				}
			}
			if strings.Contains(r.stdout+r.stderr, op.Web.Secret) {
				t.Error("the client secret appears in the output")
			}
		})
	}
}
