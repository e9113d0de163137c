package fab

import (
	"strings"
	"testing"
)

// When the version is not known, the dry-run says how the login ends on
// the other plausible versions where that differs (spec §2.3 "any other
// name": Airflow's vendored copy and providers-fab 1.x return {}, and
// auth_user_oauth logs "OAUTH userinfo does not have username or email";
// providers-fab ≥ 2.2.0 has the generic OIDC fallback, §8.3; keycloak has
// no branch in the 2.2 copy, §2.3).
func TestSimulatePlausible(t *testing.T) {
	ps := []Profile{MustProfile(Airflow22), MustProfile(Airflow29), MustProfile(Airflow3)}
	cfg := oauthConf(prov("entra", oidcRemote()), "AUTH_USER_REGISTRATION_ROLE", "Viewer")
	claims := map[string]any{"preferred_username": "ada", "email": "ada@corp.example", "groups": L("g")}
	res, err := SimulatePlausible(cfg, ps, SimInput{Claims: claims})
	if err != nil {
		t.Fatal(err)
	}
	if res.Flavor != Airflow3 || res.Outcome != Granted || res.Branch != "generic" {
		t.Fatalf("simulated: %s %s %s", res.Flavor, res.Outcome, res.Branch)
	}
	if len(res.OtherVersions) != 1 {
		t.Fatalf("other versions: %+v", res.OtherVersions)
	}
	ov := res.OtherVersions[0]
	if strings.Join(ov.Versions, ",") != "Airflow 2.2–2.8,Airflow 2.9–2.10" || ov.Outcome != Refused || ov.Refusal == nil ||
		!strings.Contains(ov.Refusal.Log, "OAUTH userinfo does not have username or email") {
		t.Errorf("%+v %+v", ov, ov.Refusal)
	}
	if !strings.Contains(ov.Summary, "on Airflow 2.2–2.8 and Airflow 2.9–2.10: refused") || !strings.Contains(ov.Summary, "on Airflow 3: signs in through the generic branch") {
		t.Errorf("summary %q", ov.Summary)
	}
	issues := res.OtherVersionIssues("webserver_config.py")
	if len(issues) != 1 || issues[0].ID != "ROL006" || issues[0].Severity == 0 {
		t.Errorf("issues %+v", issues)
	}
	// The same ending everywhere: nothing to say.
	cfg = oauthConf(prov("okta", oidcRemote()), "AUTH_USER_REGISTRATION_ROLE", "Viewer")
	res, _ = SimulatePlausible(cfg, ps, SimInput{Claims: map[string]any{"sub": "1", "email": "a@x"}})
	if len(res.OtherVersions) != 0 {
		t.Errorf("okta is the same on every version: %+v", res.OtherVersions[0])
	}
}
