package integration

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit/oidcprovider"
)

// doctor against the real OpenID provider: a FAB config whose
// server_metadata_url points at it, and a real ID token from its
// authorization-code flow. Healthy: no error, the verdict names the role;
// a wrong client_id in the config: TOK008 (the ID token's aud is the real
// client); a metadata URL that 404s: DSC001, and the key checks skipped.
func TestE2E_Doctor_RealProvider(t *testing.T) {
	t.Parallel()
	cfg := airflowConfig(t, op)
	tok, err := op.AuthorizationCode(ctxT(t), oidcprovider.AuthRequest{Login: "dana"})
	if err != nil {
		t.Fatal(err)
	}
	idt := writeFile(t, "id.jwt", []byte(tok.IDToken))
	base := []string{"doctor", "--config", cfg, "--flavor", "airflow3", "--env", "OIDC_CLIENT_SECRET=" + op.Web.Secret, "--token", idt, "-o", "json"}

	r := run(t, "", base...)
	r.wantExit(t, 0)
	if errs := r.errorIDs(); len(errs) != 0 {
		t.Fatalf("healthy setup: %v\n%s", errs, r)
	}
	var res struct {
		Verdict string
		Roles   struct {
			Outcome string
			Roles   []string
		}
	}
	if err := json.Unmarshal(r.doc.Result, &res); err != nil {
		t.Fatal(err)
	}
	if res.Verdict != "works" || res.Roles.Outcome != "granted" || !slices.Contains(res.Roles.Roles, "Admin") {
		t.Errorf("verdict %+v", res)
	}
	if strings.Contains(r.stdout+r.stderr, op.Web.Secret) {
		t.Error("the client secret was printed")
	}

	wrong := strings.Replace(readFile(t, cfg), oidcprovider.WebClientID, "another-client", 1)
	r = run(t, "", append([]string{"doctor", "--config", writeFile(t, "webserver_config.py", []byte(wrong))[1:]}, base[3:]...)...)
	if _, ok := r.find("TOK008"); !ok {
		t.Errorf("a config client_id other than the token's aud: want TOK008, got %v", r.ids())
	}

	broken := strings.Replace(readFile(t, cfg), op.DiscoveryURL, strings.Replace(op.DiscoveryURL, ".well-known", "well-known-typo", 1), 1)
	r = run(t, "", append([]string{"doctor", "--config", writeFile(t, "webserver_config.py", []byte(broken))[1:]}, base[3:]...)...)
	if f, ok := r.find("DSC001"); !ok || !strings.Contains(f.Message, "404") {
		t.Errorf("a metadata URL that 404s: want DSC001, got %v", r.ids())
	}
	if _, ok := r.find("JWK001"); ok {
		t.Error("the key set depends on the failed document: skipped, not a second error")
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
