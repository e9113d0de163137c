package issuercmd_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

func ids(t *testing.T, stdout string) map[string]bool {
	t.Helper()
	var doc struct{ Findings []struct{ ID string } }
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	m := map[string]bool{}
	for _, f := range doc.Findings {
		m[f.ID] = true
	}
	return m
}

func TestIssuerCommand(t *testing.T) {
	v1tok := "@" + testkit.FixturePath(t, "tokens/entra-v1-access-token.api-uri-aud.2023-11.jwt")
	v2doc := "@" + testkit.FixturePath(t, "azure/entra-v2-tenant-9a95fd9e-openid-configuration.2023-11.json")
	common := "@" + testkit.FixturePath(t, "azure/entra-v2-common-openid-configuration.2024-10-26.json")
	kc := "@" + testkit.FixturePath(t, "keycloak/keycloak-openid-configuration.demorealm.2023-10.json")
	cases := []struct {
		name string
		args []string
		want []string
		not  []string
		code int
	}{
		{"v1 token vs v2 tenant metadata", []string{v1tok, "--discovery", v2doc}, []string{"ISS002"}, []string{"ISS001"}, 1},
		{"common metadata alone", []string{"--discovery", common}, []string{"ISS003"}, nil, 0},
		{"keycloak internal vs public", []string{"--discovery", kc, "--expect-issuer", "https://sso.example.com/realms/demorealm"}, []string{"ISS001"}, nil, 1},
		{"keycloak matching", []string{"--discovery", kc, "--expect-issuer", "http://docker-rp-1:8080/realms/demorealm"}, nil, []string{"ISS001"}, 0},
		{"upper-case tenant", []string{"--tenant", "9A95FD9E-005D-487A-9A01-D08C1EAB2757"}, []string{"ISS006"}, nil, 0},
		{"token in the right tenant", []string{v1tok, "--tenant", "9a95fd9e-005d-487a-9a01-d08c1eab2757"}, nil, []string{"ISS004", "ISS006"}, 0},
		{"token in another tenant", []string{v1tok, "--tenant", "72f988bf-86f1-41af-91ab-2d7cd011db47"}, []string{"ISS004"}, nil, 1},
	}
	for _, c := range cases {
		stdout, stderr, code := clitest.RunCLI(t, append([]string{"issuer", "-o", "json", "--offline"}, c.args...)...)
		if code != c.code {
			t.Errorf("%s: exit %d want %d (%s)", c.name, code, c.code, stderr)
		}
		got := ids(t, stdout)
		for _, w := range c.want {
			if !got[w] {
				t.Errorf("%s: %s missing (%v)", c.name, w, got)
			}
		}
		for _, n := range c.not {
			if got[n] {
				t.Errorf("%s: %s should not fire", c.name, n)
			}
		}
	}
	if _, _, code := clitest.RunCLI(t, "issuer", "--offline"); code != 2 {
		t.Errorf("nothing to analyse: exit %d, want 2", code)
	}
}

func TestIssuerConfigEndpoints(t *testing.T) {
	root := testkit.RepoRoot(t)
	incident := root + "/testdata/examples/incident/webserver_config.py"
	stdout, _, code := clitest.RunCLI(t, "issuer", "--config", incident, "--no-env", "--offline", "-o", "json")
	// the incident's common key set: a warning (Entra serves the same
	// keys at every tenant's set; the tenant is pinned by iss, not keys)
	if got := ids(t, stdout); !got["ISS005"] || code != 0 {
		t.Fatalf("incident: exit %d %v", code, got)
	}
	dir := t.TempDir()
	good := dir + "/webserver_config.py"
	src := `from flask_appbuilder.const import AUTH_OAUTH
AUTH_TYPE = AUTH_OAUTH
OAUTH_PROVIDERS = [{"name": "azure", "token_key": "access_token", "remote_app": {
    "client_id": "c",
    "server_metadata_url": "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/v2.0/.well-known/openid-configuration",
    "api_base_url": "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/oauth2",
    "jwks_uri": "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/discovery/v2.0/keys"}}]
`
	if err := os.WriteFile(good, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code = clitest.RunCLI(t, "issuer", "--config", good, "--no-env", "--offline", "-o", "json")
	if got := ids(t, stdout); got["ISS005"] || code != 0 {
		t.Fatalf("one tenant: exit %d %v", code, got)
	}
}
