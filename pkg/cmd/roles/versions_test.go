package roles_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The Airflow version is not known (the file is only named
// webserver_config.py): the dry-run simulates Airflow 3 and says, in text
// and JSON, that Airflow 2.0–2.10 refuse the login (spec §2.3: no keycloak
// branch in FAB 3.x nor in Airflow's vendored 2.2 copy: {} → "OAUTH
// userinfo does not have username or email").
func TestRolesOtherPlausibleVersions(t *testing.T) {
	cfg := filepath.Join(repoRoot(t), "docs", "guides", "examples", "keycloak-webserver_config.py")
	claims := filepath.Join(t.TempDir(), "userinfo.json")
	if err := os.WriteFile(claims, []byte(`{"preferred_username":"ada","email":"ada@corp.example","groups":["airflow-admins"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"roles", "--no-env", "--config", cfg, "--claims", "@" + claims}
	text, stderr, code := run(t, "", args...)
	if code != 0 && code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(text, "On the other plausible versions") || !strings.Contains(text, "Airflow 2.2–2.8: refused at login (no built-in user-info branch for this provider name)") ||
		!strings.Contains(text, "(on Airflow 3: signs in through the keycloak branch") {
		t.Errorf("text:\n%s", text)
	}
	out, _, _ := run(t, "", append(args, "-o", "json")...)
	var doc struct {
		Findings []struct{ ID, Severity, Message string }
		Result   struct {
			Flavor        string
			OtherVersions []struct {
				Versions []string
				Outcome  string
				Refusal  struct{ Log string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	ov := doc.Result.OtherVersions
	if doc.Result.Flavor != "airflow-3" || len(ov) != 1 || ov[0].Outcome != "refused" || !strings.Contains(ov[0].Refusal.Log, "OAUTH userinfo does not have username or email") ||
		!strings.Contains(strings.Join(ov[0].Versions, ";"), "Airflow 2.2–2.8") {
		t.Errorf("result: %+v", doc.Result)
	}
	found := false
	for _, f := range doc.Findings {
		if f.ID == "ROL006" && f.Severity == "info" && strings.HasPrefix(f.Message, "on Airflow") {
			found = true
		}
	}
	if !found {
		t.Errorf("no info ROL006 for the other versions: %+v", doc.Findings)
	}
	// With the version known there is nothing else to say.
	out, _, _ = run(t, "", append(args, "-o", "json", "--flavor", "airflow3")...)
	if strings.Contains(out, "otherVersions") {
		t.Errorf("--flavor airflow3 still reports other versions:\n%s", out)
	}
}
