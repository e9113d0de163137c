package integration

import (
	"strings"
	"testing"
)

// lint --online fetches each provider's metadata and keys: a healthy
// tenant adds no finding, a 404 metadata URL is DSC001 at the config line
// that names it; without --online the network flags are refused.
func TestE2E_LintOnline(t *testing.T) {
	e := startEntra(t, nil)
	good := writeFile(t, "webserver_config.py", []byte(healthyConfig(dMeta, nil)))[1:]
	r := run(t, "", append([]string{"lint", good, "--online", "-o", "json", "--no-env", "--env", "AZURE_CLIENT_SECRET=x"}, e.srv.Args()...)...)
	for _, f := range r.doc.Findings {
		if strings.HasPrefix(f.ID, "DSC") || strings.HasPrefix(f.ID, "JWK") || f.ID == "ISS005" {
			t.Errorf("healthy tenant: %s %s", f.ID, f.Message)
		}
	}
	bad := writeFile(t, "webserver_config.py", []byte(healthyConfig("https://login.microsoftonline.com/"+dTenant+"/v2.0/.well-known/openid-configurationX", nil)))[1:]
	r = run(t, "", append([]string{"lint", bad, "--online", "-o", "json", "--no-env", "--env", "AZURE_CLIENT_SECRET=x"}, e.srv.Args()...)...)
	f, ok := r.find("DSC001")
	if !ok || !strings.Contains(f.Message, "404") {
		t.Fatalf("want DSC001 with the 404: %v %+v", r.ids(), f)
	}
	r = run(t, "", "lint", bad, "--timeout", "1s")
	r.wantExit(t, 2)
}
