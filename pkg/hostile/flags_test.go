//go:build linux

package hostile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit"
)

// Flags that weaken a check or reveal secrets must say so in the output,
// in every format, whenever they are used.

// TestInsecureIsReported: with --insecure, a server whose certificate no
// trusted CA signed is reached, and every network command reports DSC007
// (tls-verification-off) in JSON and text (and SARIF where it has it).
// Without the flag the same server fails TLS (DSC001/JWK001), so the flag
// did take effect.
func TestInsecureIsReported(t *testing.T) {
	const h = "idp.insecure.test"
	doc := `{"issuer":"https://` + h + `","authorization_endpoint":"https://` + h + `/authorize","token_endpoint":"https://` + h + `/token",` +
		`"jwks_uri":"https://` + h + `/keys","response_types_supported":["code"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}`
	w := newSecretWorld(t) // for a token and a config
	srv := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{h}, Cert: testkit.CertUntrusted}, testkit.Routes{
		"/.well-known/openid-configuration": testkit.JSON([]byte(doc)),
		"/keys":                             testkit.JSON(testkit.Fixture(t, "google/google-jwks.2024-10-21.json")),
	})
	connect := []string{"--connect-to", srv.ConnectTo[0], "--timeout", "5s", "--now", secretNow}
	cfg := filepath.Join(t.TempDir(), "webserver_config.py")
	py := strings.ReplaceAll(mustRead(t, w.file("webserver_config.py")), secretHost, h)
	if err := os.WriteFile(cfg, []byte(py), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		// unverified is the finding without --insecure.
		unverified string
	}{
		{"discovery", []string{"discovery", "https://" + h}, "DSC001"},
		{"jwks", []string{"jwks", "https://" + h + "/keys"}, "JWK001"},
		{"verify", []string{"verify", w.tokRS, "--jwks", "https://" + h + "/keys"}, "JWK001"},
		{"issuer", []string{"issuer", w.tokRS, "--discovery", "https://" + h}, "DSC001"},
		{"doctor", append([]string{"doctor", "--config", cfg, "--token", w.tokRS}, w.envFlags()...), "DSC001"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plain := run(t, runOpts{}, append(append(append([]string{}, c.args...), connect...), "-o", "json")...)
			if f, ok := plain.find(c.unverified); !ok || f.evidence("stage") != "tls" {
				t.Errorf("without --insecure: want %s at the tls stage, got %v\n%s", c.unverified, plain.ids(), plain)
			}
			if _, ok := plain.find("DSC007"); ok {
				t.Errorf("DSC007 without --insecure\n%s", plain)
			}
			for _, format := range []string{"json", "text", "sarif"} {
				r := run(t, runOpts{}, append(append(append([]string{}, c.args...), connect...), "--insecure", "-o", format)...)
				if format == "sarif" && r.code == 2 && strings.Contains(r.stderr, "sarif") {
					continue
				}
				if r.code != 0 && r.code != 1 {
					t.Errorf("-o %s: exit %d\n%s", format, r.code, r)
					continue
				}
				switch format {
				case "json":
					f, ok := r.find("DSC007")
					if !ok {
						t.Errorf("--insecure -o json: no DSC007; findings %v\n%s", r.ids(), r)
						continue
					}
					if f.Severity != "warning" {
						t.Errorf("DSC007 severity %q", f.Severity)
					}
					if f, ok := r.find(c.unverified); ok && f.evidence("stage") == "tls" {
						t.Errorf("--insecure did not take effect: %s %s", f.ID, f.Message)
					}
				case "text":
					if !strings.Contains(r.stdout, "DSC007") || !strings.Contains(r.stdout, "--insecure") {
						t.Errorf("--insecure -o text: DSC007 and the flag not shown\n%s", r)
					}
				case "sarif":
					var log struct {
						Runs []struct {
							Results []struct {
								RuleID string `json:"ruleId"`
							} `json:"results"`
						} `json:"runs"`
					}
					if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || len(log.Runs) == 0 {
						t.Fatalf("-o sarif: %v\n%s", err, r)
					}
					found := false
					for _, res := range log.Runs[0].Results {
						found = found || res.RuleID == "DSC007"
					}
					if !found {
						t.Errorf("--insecure -o sarif: no DSC007 result\n%s", r)
					}
				}
			}
		})
	}
}

// TestShowSecretsIsReported: config show --show-secrets prints the
// secrets (that is its purpose) and says so in the output, in every
// format (text: the flag named; JSON: the flag named or "secretsShown":
// true in the result); without the flag they are redacted.
func TestShowSecretsIsReported(t *testing.T) {
	help := run(t, runOpts{}, "--help")
	if !strings.Contains(help.stdout, "\n  config ") {
		t.Skip("config show has not landed in the binary yet (authdoctor --help lists no config command)")
	}
	w := newSecretWorld(t)
	secret := w.secrets["SECRET_KEY literal"]
	args := append([]string{"config", "show", w.file("webserver_config.py")}, w.envFlags()...)
	for _, format := range []string{"json", "text"} {
		plain := run(t, runOpts{}, append(append([]string{}, args...), "-o", format)...)
		if strings.Contains(plain.stdout+plain.stderr, secret) || strings.Contains(plain.stdout+plain.stderr, "--show-secrets") && !strings.Contains(plain.stdout+plain.stderr, "<redacted>") {
			t.Errorf("-o %s without --show-secrets: the secret is shown\n%s", format, plain)
		}
		shown := run(t, runOpts{}, append(append([]string{}, args...), "--show-secrets", "-o", format)...)
		if shown.code != 0 && shown.code != 1 {
			t.Fatalf("-o %s --show-secrets: exit %d\n%s", format, shown.code, shown)
		}
		if !strings.Contains(shown.stdout, secret) {
			t.Errorf("-o %s --show-secrets: the secret is not shown\n%s", format, shown)
		}
		if !strings.Contains(shown.stdout, "--show-secrets") && !strings.Contains(shown.stdout, `"secretsShown": true`) {
			t.Errorf("-o %s --show-secrets: the output does not say that secrets are shown (--show-secrets)\n%s", format, shown)
		}
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
