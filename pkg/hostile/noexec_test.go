//go:build linux

package hostile

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The no-execution suite: configs that try to act on the machine are read
// through the CLI (config show, lint, roles, doctor) as CI would, and afterwards the
// file system and a loopback listener show that nothing happened.
//
// pkg/pyread's own hostile tests call the reader in-process; this one
// goes through the built binary, the config loader's FAB hooks, Helm
// values and ConfigMap wrappers, class bodies, decorators and default
// arguments (evaluated at definition time in Python), relative paths in
// the working directory, and checks the network with a real listener.

// hostileConfig is a webserver_config.py whose every statement would leave
// a trace if run: MARK is replaced by a directory that must stay empty,
// VICTIM by a file that must stay, LISTENER by a loopback address whose
// listener must accept no connection.
const hostileConfig = `import os
import sys
import shutil
import socket
import subprocess
import importlib
import itertools
import pathlib
import urllib.request
import requests
from airflow.configuration import conf
from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride, AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
AUTH_ROLES_MAPPING = {"admins": ["Admin"]}
OAUTH_PROVIDERS = [{
    "name": "azure", "icon": "fa-windows", "token_key": "access_token",
    "remote_app": {
        "client_id": "11111111-2222-3333-4444-555555555555",
        "client_secret": os.environ.get("AZURE_CLIENT_SECRET", "unset"),
        "server_metadata_url": "https://login.microsoftonline.com/9a95fd9e-005d-487a-9a01-d08c1eab2757/v2.0/.well-known/openid-configuration",
        "client_kwargs": {"scope": "openid email profile"},
    },
}]

SYSTEM = os.system("touch MARK/os-system")
POPEN = os.popen("touch MARK/os-popen").read()
SUBPROCESS_RUN = subprocess.run(["touch", "MARK/subprocess-run"], check=True)
SUBPROCESS_SHELL = subprocess.check_output("touch MARK/check-output", shell=True)
SUBPROCESS_POPEN = subprocess.Popen(["sh", "-c", "touch MARK/popen"]).wait()
OPEN_WRITE = open("MARK/open-w", "w").write("pwned")
OPEN_RELATIVE = open("relative-open-w", "w").write("pwned")
with open("MARK/with-open", "a") as fh:
    fh.write("pwned")
PATHLIB = pathlib.Path("MARK/pathlib").write_text("pwned")
TOUCH = pathlib.Path("MARK/touched").touch()
EVAL = eval("__import__('os').system('touch MARK/eval')")
EXEC = exec("import os; os.system('touch MARK/exec')")
DUNDER_IMPORT = __import__("os").system("touch MARK/dunder-import")
IMPORTLIB = importlib.import_module("subprocess").call(["touch", "MARK/importlib"])
GETATTR = getattr(os, "sys" + "tem")("touch MARK/getattr")
MAKEDIRS = os.makedirs("MARK/made/dirs", exist_ok=True)
SHUTIL = shutil.copy(__file__, "MARK/copied")
REMOVE = os.remove("VICTIM")
RENAME = os.rename("VICTIM", "MARK/renamed")
CHMOD = os.chmod("VICTIM", 0)
SYS_EXIT = sys.exit(3)
SOCKET = socket.create_connection(("LISTENER_HOST", LISTENER_PORT))
REQUESTS = requests.get("http://LISTENER/requests")
URLOPEN = urllib.request.urlopen("http://LISTENER/urlopen")
CONF = conf.get("webserver", "base_url", fallback=os.system("touch MARK/conf-fallback"))

def _default(arg=os.system("touch MARK/default-argument")):
    return arg

@os.system
def _decorated():
    pass

class CustomSecurityManager(FabAirflowSecurityManagerOverride):
    os.system("touch MARK/class-body")
    SIDE = open("MARK/class-attribute", "w")

    def oauth_user_info(self, provider, response=None):
        os.system("touch MARK/method")
        return {}

SECURITY_MANAGER_CLASS = CustomSecurityManager
LAMBDA = (lambda: os.system("touch MARK/lambda"))()

def _forever():
    while True:
        pass

FOREVER = _forever()
COUNT = [i for i in itertools.count()]
WHILE_TRUE_DONE = 0
while True:
    WHILE_TRUE_DONE += 1

def _recurse(n):
    return _recurse(n + 1)

RECURSED = _recurse(0)
HUGE = "x" * (10 ** 12)
AFTER_ALL = "still read"
`

// unevaluable lists settings the reader must report as not evaluated
// (CFG002), each naming what it would have done.
var unevaluable = []string{"SYSTEM", "POPEN", "SUBPROCESS_RUN", "SUBPROCESS_SHELL", "SUBPROCESS_POPEN", "OPEN_WRITE",
	"OPEN_RELATIVE", "PATHLIB", "TOUCH", "EVAL", "EXEC", "DUNDER_IMPORT", "IMPORTLIB", "GETATTR", "MAKEDIRS", "SHUTIL",
	"REMOVE", "RENAME", "CHMOD", "SOCKET", "REQUESTS", "URLOPEN", "LAMBDA", "FOREVER", "COUNT", "RECURSED", "HUGE", "WHILE_TRUE_DONE"}

// connCounter listens on loopback and counts connections.
type connCounter struct {
	ln net.Listener
	n  atomic.Int64
}

func listenCounting(t *testing.T) *connCounter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &connCounter{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			c.n.Add(1)
			conn.Close()
		}
	}()
	return c
}

// TestConfigsAreNeverExecuted reads the hostile config as a .py file, as
// Helm values and as a ConfigMap through config show, lint, roles and
// doctor, and
// checks that nothing was written, removed or connected to, that every
// run ended quickly, and that lint reports CFG002 for what it could not
// evaluate.
func TestConfigsAreNeverExecuted(t *testing.T) {
	work := t.TempDir() // working directory of the runs
	mark := t.TempDir() // must stay empty
	victim := filepath.Join(t.TempDir(), "victim.txt")
	if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	lc := listenCounting(t)
	host, port, _ := net.SplitHostPort(lc.ln.Addr().String())
	py := strings.NewReplacer("MARK", mark, "VICTIM", victim, "LISTENER_HOST", host, "LISTENER_PORT", port,
		"LISTENER", lc.ln.Addr().String()).Replace(hostileConfig)

	inputs := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(inputs, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	indent := func(s, pad string) string {
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		for i := range lines {
			lines[i] = pad + lines[i]
		}
		return strings.Join(lines, "\n") + "\n"
	}
	files := map[string]string{
		"python":    write("webserver_config.py", py),
		"helm":      write("values.yaml", "airflowVersion: \"3.0.2\"\napiServer:\n  apiServerConfig: |\n"+indent(py, "    ")),
		"configmap": write("configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: airflow-webserver-config\ndata:\n  webserver_config.py: |\n"+indent(py, "    ")),
	}
	envFile := write("hostile.env", "PATH=/nonexistent\nPYTHONSTARTUP="+filepath.Join(mark, "startup")+"\n")
	claims := write("claims.json", `{"sub":"u1","email":"ada@example.com","preferred_username":"ada","groups":["admins"]}`)

	kinds := make([]string, 0, len(files))
	for k := range files {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		f := files[kind]
		for _, args := range [][]string{
			{"lint", f, "--env-file", envFile, "-o", "json"},
			{"lint", f, "-o", "sarif"},
			{"roles", "--config", f, "--claims", "@" + claims, "-o", "json"},
			{"doctor", "--config", f, "--offline", "-o", "json"},
			{"config", "show", f, "-o", "json"},
			{"config", "show", f, "--show-secrets"},
		} {
			start := time.Now()
			r := run(t, runOpts{dir: work}, args...)
			took := time.Since(start)
			t.Logf("%s %s: exit %d in %s, peak RSS %s", kind, args[0], r.code, took.Round(time.Millisecond), mib(r.maxRSS))
			if r.code != 0 && r.code != 1 {
				t.Errorf("%s %s: exit %d\n%s", kind, args[0], r.code, r)
			}
			if took > 10*time.Second {
				t.Errorf("%s %s: took %s: reading a config must be quick", kind, args[0], took)
			}
			if r.maxRSS > maxRSS {
				t.Errorf("%s %s: peak RSS %s", kind, args[0], mib(r.maxRSS))
			}
			if args[0] == "lint" && r.doc != nil {
				checkCFG002(t, kind, r)
			}
		}
	}

	// Nothing happened.
	if entries, _ := os.ReadDir(mark); len(entries) != 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the config was executed: %s holds %v", mark, names)
	}
	if entries, _ := os.ReadDir(work); len(entries) != 0 {
		t.Errorf("files appeared in the working directory: %v", entries)
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "keep me" {
		t.Errorf("the victim file was touched: %q, %v", b, err)
	}
	if st, err := os.Stat(victim); err == nil && st.Mode().Perm() != 0o644 {
		t.Errorf("the victim file's mode changed: %v", st.Mode())
	}
	if n := lc.n.Load(); n != 0 {
		t.Errorf("the config connected to the network: %d connections to %s", n, lc.ln.Addr())
	}
}

// checkCFG002 wants a CFG002 finding for every setting in unevaluable.
func checkCFG002(t *testing.T, kind string, r *result) {
	t.Helper()
	var doc struct {
		Findings []struct {
			ID      string `json:"id"`
			Message string `json:"message"`
			Subject struct {
				Name string `json:"name"`
				Line int    `json:"line"`
			} `json:"subject"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range doc.Findings {
		if f.ID == "CFG002" {
			got[f.Subject.Name] = f.Message
		}
	}
	var missing []string
	for _, name := range unevaluable {
		if _, ok := got[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%s lint: no CFG002 for %v (CFG002 for %d settings)", kind, missing, len(got))
	}
	for _, name := range []string{"SYSTEM", "EVAL", "SOCKET", "WHILE_TRUE_DONE", "RECURSED"} {
		t.Logf("%s lint: CFG002 %s: %s", kind, name, got[name])
	}
}

// TestNoExec_CFG002ForAFunctionThatNeverReturns: a call to a function
// whose body loops forever must be reported as not evaluated (it was read
// as None before pyread 6ab1807).
func TestNoExec_CFG002ForAFunctionThatNeverReturns(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "webserver_config.py")
	src := "def _forever():\n    while True:\n        pass\n\nFOREVER = _forever()\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, runOpts{dir: dir}, "lint", p, "-o", "json")
	if f, ok := r.find("CFG002"); !ok || !strings.Contains(f.Message, "FOREVER") {
		t.Fatalf("no CFG002 for FOREVER\n%s", r)
	}
}
