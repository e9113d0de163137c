package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// write puts files into a fresh directory and returns it.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const siblingConfig = `from flask_appbuilder.security.manager import AUTH_OAUTH
from constants import TENANT_ID, CLIENT_ID, REALM
from nowhere import OTHER
AUTH_TYPE = AUTH_OAUTH
OAUTH_PROVIDERS = [{
    "name": "azure", "token_key": "access_token",
    "remote_app": {"client_id": CLIENT_ID,
        "server_metadata_url": f"https://login.microsoftonline.com/{TENANT_ID}/v2.0/.well-known/openid-configuration"}}]
KC = f"https://sso.example.org/realms/{REALM}"
ELSEWHERE = f"https://{OTHER}/"
`

// A constants module beside the config (spec user-code.md §2: where
// deployments keep their modules) gives the config its values, as
// CPython's import would; a value the module itself cannot know stays
// unresolved with its reason and environment variable; a module that is
// nowhere to be found is named.
func TestValuesImportedFromASiblingModule(t *testing.T) {
	dir := write(t, map[string]string{
		"webserver_config.py": siblingConfig,
		"constants.py": `import os
TENANT_ID = "9a95fd9e-005d-487a-9a01-d08c1eab2757"
CLIENT_ID = "11111111-2222-3333-4444-555555555555"
REALM = os.environ["KC_REALM"]
`,
	})
	f, err := Load(filepath.Join(dir, "webserver_config.py"), LoadOptions{NoEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	p := f.Config.Providers()
	if len(p) != 1 {
		t.Fatalf("providers: %d", len(p))
	}
	if u, _ := p[0].RemoteStr("server_metadata_url"); u != "https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/v2.0/.well-known/openid-configuration" {
		t.Errorf("server_metadata_url = %q", u)
	}
	if c, _ := p[0].RemoteStr("client_id"); c != "11111111-2222-3333-4444-555555555555" {
		t.Errorf("client_id = %q", c)
	}
	kc, _ := pyValue(f, "KC").(*pyread.Unresolved)
	if kc == nil || !strings.Contains(kc.Root().Reason, "REALM in constants.py (line 4)") || strings.Join(kc.Root().Env, ",") != "KC_REALM" {
		t.Errorf("KC: %#v", pyValue(f, "KC"))
	}
	other, _ := pyValue(f, "ELSEWHERE").(*pyread.Unresolved)
	if other == nil || !strings.Contains(other.Root().Reason, "nowhere.OTHER is imported (line 3)") {
		t.Errorf("ELSEWHERE: %#v", pyValue(f, "ELSEWHERE"))
	}
	if !strings.Contains(strings.Join(f.Notes, "\n"), "constants") {
		t.Errorf("notes do not say the module was read: %q", f.Notes)
	}

	// With the environment variable, the module's value reaches the config.
	f, err = Load(filepath.Join(dir, "webserver_config.py"), LoadOptions{NoEnv: true, Env: []string{"KC_REALM=corp"}})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := pyValue(f, "KC").(*pyread.Str); s == nil || s.V != "https://sso.example.org/realms/corp" {
		t.Errorf("KC with KC_REALM=corp: %#v", pyValue(f, "KC"))
	}
}

// The module is looked for on each --path directory after the config's
// own; a FIFO in its place is not opened (a hostile checkout) and a
// module that loops forever is cut by the reader's step budget.
func TestSiblingModuleOnPathAndHostile(t *testing.T) {
	cfgDir := write(t, map[string]string{"webserver_config.py": siblingConfig})
	lib := write(t, map[string]string{"constants.py": "TENANT_ID = 'contoso.onmicrosoft.com'\nCLIENT_ID = 'c'\nREALM = 'r'\n"})
	f, err := Load(filepath.Join(cfgDir, "webserver_config.py"), LoadOptions{NoEnv: true, Paths: []string{lib}})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := pyValue(f, "KC").(*pyread.Str); s == nil || s.V != "https://sso.example.org/realms/r" {
		t.Errorf("KC from --path: %#v", pyValue(f, "KC"))
	}

	fifoDir := write(t, map[string]string{"webserver_config.py": siblingConfig})
	if err := syscall.Mkfifo(filepath.Join(fifoDir, "constants.py"), 0o600); err != nil {
		t.Skip("no FIFO here:", err)
	}
	if _, err := Load(filepath.Join(fifoDir, "webserver_config.py"), LoadOptions{NoEnv: true}); err != nil {
		t.Fatal(err) // a FIFO opened for reading would block here forever
	}

	loopDir := write(t, map[string]string{"webserver_config.py": siblingConfig, "constants.py": "import os\nwhile True:\n    os.system('true')\nTENANT_ID = 't'\n"})
	f, err = Load(filepath.Join(loopDir, "webserver_config.py"), LoadOptions{NoEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pyValue(f, "KC").(*pyread.Str); ok {
		t.Errorf("a value after an endless loop was read: %#v", pyValue(f, "KC"))
	}
}
