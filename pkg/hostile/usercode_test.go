//go:build linux

package hostile

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The user's own login code (issue 16) is evaluated, never run: lint
// evaluates the user-info method on a representative login of each
// provider, roles and doctor on the token given. A method that runs
// os.system, loops forever, recurses without end, allocates without
// bound or calls into a sibling module that spawns processes and opens
// sockets must leave no trace, end within the harness's kill bound and
// the memory bound, and say that the outcome cannot be known.

// hostileSM is the security manager: one provider per way of misbehaving.
const hostileSM = `import os
import subprocess
from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride
import helpers


class HostileSecurityManager(FabAirflowSecurityManagerOverride):
    def get_oauth_user_info(self, provider, resp):
        if provider == "system":
            os.system("touch MARK/system")
            subprocess.run(["touch", "MARK/subprocess"])
            open("MARK/open", "w").write("x")
        if provider == "loop":
            while True:
                pass
        if provider == "recurse":
            return self.get_oauth_user_info(provider, resp)
        if provider == "allocate":
            big = "a" * (10 ** 12)
            more = [0] * (10 ** 10)
            huge = 2 ** (10 ** 10)
            return {"username": big + str(len(more)) + str(huge)}
        if provider == "sibling":
            return helpers.user_info(resp)
        return {"username": "x"}
`

// hostileHelpers is a module beside the config that the method calls.
const hostileHelpers = `import socket
import subprocess

subprocess.Popen(["touch", "MARK/helpers-import"])
socket.create_connection(("LISTENER_HOST", LISTENER_PORT))


def user_info(resp):
    subprocess.Popen(["touch", "MARK/helpers-call"])
    s = socket.socket()
    s.connect(("LISTENER_HOST", LISTENER_PORT))
    return {"username": s.recv(100).decode()}
`

func hostileUserCodeConfig() string {
	var provs []string
	for _, n := range []string{"system", "loop", "recurse", "allocate", "sibling"} {
		provs = append(provs, `{"name": "`+n+`", "token_key": "access_token", "remote_app": {"client_id": "c", "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration", "client_kwargs": {"scope": "openid email profile"}}}`)
	}
	return `from flask_appbuilder.const import AUTH_OAUTH
from security import HostileSecurityManager

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
OAUTH_PROVIDERS = [
    ` + strings.Join(provs, ",\n    ") + `,
]
SECURITY_MANAGER_CLASS = HostileSecurityManager
`
}

func TestUserCodeIsNeverExecuted(t *testing.T) {
	mark := t.TempDir() // must stay empty
	lc := listenCounting(t)
	host, port, _ := net.SplitHostPort(lc.ln.Addr().String())
	dir := t.TempDir()
	repl := strings.NewReplacer("MARK", mark, "LISTENER_HOST", host, "LISTENER_PORT", port)
	for name, src := range map[string]string{
		"webserver_config.py": hostileUserCodeConfig(),
		"security.py":         repl.Replace(hostileSM),
		"helpers.py":          repl.Replace(hostileHelpers),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "webserver_config.py")
	enc := base64.RawURLEncoding
	token := enc.EncodeToString([]byte(`{"alg":"none"}`)) + "." + enc.EncodeToString([]byte(`{"sub":"u1","aud":"c"}`)) + "."

	r := run(t, runOpts{dir: dir}, "lint", cfg, "--no-env", "-o", "json", "--flavor", "airflow3")
	if r.code > 1 || r.maxRSS > maxRSS {
		t.Errorf("lint: exit %d, peak RSS %s\n%s", r.code, mib(r.maxRSS), r)
	}
	if f, ok := r.find("CFG010"); !ok || !strings.Contains(f.Message, "cannot be known statically") {
		t.Errorf("lint's CFG010 does not say the code cannot be known: %+v", f)
	}
	for _, prov := range []string{"system", "loop", "recurse", "allocate", "sibling"} {
		for _, args := range [][]string{
			{"roles", "--config", cfg, "--no-env", "--flavor", "airflow3", "--provider", prov, "-o", "json", token},
			{"doctor", "--config", cfg, "--no-env", "--flavor", "airflow3", "--offline", "--provider", prov, "--token", token, "-o", "json"},
		} {
			r := run(t, runOpts{dir: dir}, args...)
			t.Logf("%s %s: exit %d, peak RSS %s", args[0], prov, r.code, mib(r.maxRSS))
			if r.code > 1 || r.maxRSS > maxRSS {
				t.Errorf("%s %s: exit %d, peak RSS %s\n%s", args[0], prov, r.code, mib(r.maxRSS), r)
			}
			if outcome := dryRunOutcome(t, args[0], r); outcome != "unknown" {
				t.Errorf("%s %s: outcome %q, want unknown\n%s", args[0], prov, outcome, r.stdout)
			}
		}
	}
	if entries, _ := os.ReadDir(mark); len(entries) != 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the user's code ran: %s holds %v", mark, names)
	}
	if n := lc.n.Load(); n != 0 {
		t.Errorf("the user's code connected: %d connections to %s", n, lc.ln.Addr())
	}
}

// dryRunOutcome is the login's outcome in roles' or doctor's JSON.
func dryRunOutcome(t *testing.T, cmd string, r *result) string {
	t.Helper()
	var doc struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, r)
	}
	var res struct {
		Outcome string `json:"outcome"`
		Roles   *struct {
			Outcome string `json:"outcome"`
		} `json:"roles"`
	}
	_ = json.Unmarshal(doc.Result, &res)
	if cmd == "doctor" {
		if res.Roles == nil {
			return ""
		}
		return res.Roles.Outcome
	}
	return res.Outcome
}
