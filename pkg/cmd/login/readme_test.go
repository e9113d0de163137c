package login

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite README.md's login block from what the rehearsal prints now")

// README.md's "Rehearse a login" block is the beginning of a real run (text
// output, up to the authorization request) against the Entra
// impersonation, for a config whose server_metadata_url is the common
// document; only the listener's port is elided. -update rewrites it.
func TestREADMEShowsARealRehearsal(t *testing.T) {
	readmePath, _ := filepath.Abs(filepath.Join("..", "..", "..", "README.md"))
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?s)(<!-- authdoctor-login-output: [^>]*-->\n```text\n)(.*?)(```)")
	m := re.FindSubmatchIndex(readme)
	if m == nil {
		t.Fatal("README.md has no authdoctor-login-output block")
	}
	e := startEntra(t, nil)
	dir := t.TempDir()
	cfg := azureConfig(t, func(s string) string {
		return strings.Replace(s, tenant+"/v2.0/.well-known", "common/v2.0/.well-known", 1)
	})
	if err := os.Rename(cfg, filepath.Join(dir, "webserver_config.py")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	args := entraArgs(e, "webserver_config.py")
	for i, a := range args {
		if a == "json" {
			args[i] = "text"
		}
	}
	r := login(t, ctxT(t), entraBrowser(t, e), nil, args...)
	out := r.stdout
	if i := strings.Index(out, "\nAuthorization request\n"); i >= 0 {
		out = out[:i+1]
	}
	out = regexp.MustCompile(`localhost:\d+`).ReplaceAllString(out, "localhost:PORT")
	want := "$ authdoctor login --config webserver_config.py --redirect-uri http://localhost/callback\n" + out
	got := string(readme[m[4]:m[5]])
	if got == want {
		return
	}
	if !*update {
		t.Fatalf("README.md's login block is not what the rehearsal prints now; run go test ./pkg/cmd/login -run TestREADMEShowsARealRehearsal -update\n--- got ---\n%s", want)
	}
	updated := string(readme[:m[4]]) + want + string(readme[m[5]:])
	if err := os.WriteFile(readmePath, []byte(updated), 0o644); err != nil {
		t.Fatal(err)
	}
}
