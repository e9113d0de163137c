package pyread

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time used by the process so far (all threads,
// including the garbage collector's): unlike wall time it does not grow
// when other processes compete for the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// genConfig builds a realistic config of about n lines: providers,
// role mappings, f-strings from the environment, conditionals, helper
// functions, comprehensions and classes, repeated with distinct names.
func genConfig(n int) string {
	var sb strings.Builder
	sb.WriteString(`import os
import json
from datetime import timedelta
from flask_appbuilder.security.manager import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
TENANT = os.environ.get("AZURE_TENANT_ID", "9a95fd9e-005d-487a-9a01-d08c1eab2757")
OAUTH_PROVIDERS = []
AUTH_ROLES_MAPPING = {}


def env_bool(name, default=False):
    value = os.getenv(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes"}

`)
	lines := strings.Count(sb.String(), "\n")
	for i := 0; lines < n; i++ {
		block := fmt.Sprintf(`
# ---- tenant block %[1]d ----
BASE_%[1]d = f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0"
PROVIDER_%[1]d = {
    "name": "azure%[1]d",
    "icon": "fa-windows",
    "token_key": "access_token",
    "remote_app": {
        "client_id": os.environ.get("CLIENT_ID_%[1]d", "client-%[1]d"),
        "client_secret": os.environ.get("CLIENT_SECRET_%[1]d", ""),
        "api_base_url": BASE_%[1]d + "/",
        "access_token_url": f"{BASE_%[1]d}/token",
        "authorize_url": f"{BASE_%[1]d}/authorize",
        "jwks_uri": "https://login.microsoftonline.com/common/discovery/v2.0/keys",
        "client_kwargs": {"scope": "openid email profile", "verify_signature": True},
    },
}
OAUTH_PROVIDERS.append(PROVIDER_%[1]d)
AUTH_ROLES_MAPPING.update({
    "grp_admin_%[1]d": ["Admin"],
    "grp_op_%[1]d": ["Op"],
    "grp_viewer_%[1]d": ["Viewer", "User"],
})
if os.getenv("DEPLOY_ENV", "prod") == "prod":
    LIFETIME_%[1]d = timedelta(minutes=30 + %[1]d %% 7)
else:
    LIFETIME_%[1]d = timedelta(hours=12)
FLAGS_%[1]d = json.loads('{"a": %[1]d, "b": [1, 2, 3], "c": null}')
NAMES_%[1]d = [p["name"].upper() for p in OAUTH_PROVIDERS[-3:] if p["icon"].startswith("fa-")]
SYNC_%[1]d = env_bool("SYNC_%[1]d", default=%[1]d %% 2 == 0)


class Settings%[1]d:
    REGION = "eu-west-%[1]d"
    URL = "https://%%s.example.com:%%d/" %% (REGION, 8000 + %[1]d)
`, i)
		sb.WriteString(block)
		lines += strings.Count(block, "\n")
	}
	return sb.String()
}

func BenchmarkRead10kLines(b *testing.B) {
	src := []byte(genConfig(10000))
	env := map[string]string{"DEPLOY_ENV": "prod", "AZURE_TENANT_ID": "t"}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := Read("webserver_config.py", src, Options{Env: env})
		if len(m.Bindings) < 1000 {
			b.Fatalf("only %d bindings", len(m.Bindings))
		}
	}
}

// TestRead10kLinesBudget checks the generated 10,000-line file of the
// budget's benchmark is read without errors and fully resolved, and logs
// its timing.
func TestRead10kLinesBudget(t *testing.T) {
	src := []byte(genConfig(10000))
	env := map[string]string{"DEPLOY_ENV": "prod", "AZURE_TENANT_ID": "t"}
	if n := strings.Count(string(src), "\n"); n < 10000 {
		t.Fatalf("generated %d lines", n)
	}
	best := time.Hour
	var m *Module
	const runs = 10
	cpu0 := cpuTime()
	for i := 0; i < runs; i++ {
		start := time.Now()
		m = Read("webserver_config.py", src, Options{Env: env})
		if d := time.Since(start); d < best {
			best = d
		}
	}
	cpu := (cpuTime() - cpu0) / runs
	t.Logf("10,000-line config (%d KiB) read in %v wall (best of %d), %v CPU per read on average; %d steps, %d bindings",
		len(src)>>10, best.Round(time.Microsecond), runs, cpu.Round(time.Microsecond), m.Steps, len(m.Bindings))
	for _, d := range m.Diagnostics {
		if d.Kind == DiagSyntax {
			t.Fatalf("syntax error in the generated config: %v", d)
		}
	}
	if u := m.Value("OAUTH_PROVIDERS"); u == nil || containsUnresolved(u) {
		t.Errorf("OAUTH_PROVIDERS not fully resolved")
	}
	// The 50 ms budget is measured by BenchmarkRead10kLines and reported
	// in docs/performance.md, not asserted on a shared machine's clock.
}

// BenchmarkComments10kLines measures the second tokenization lint makes
// to read ignore directives (compare with BenchmarkRead10kLines).
func BenchmarkComments10kLines(b *testing.B) {
	src := []byte(genConfig(10000))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Comments(src, nil)
	}
}

// BenchmarkCallMethodSeed evaluates the seed pattern's get_oauth_user_info
// (jwt.decode through a host, a dict built from the claims).
func BenchmarkCallMethodSeed(b *testing.B) {
	jwt, excs := fakeJWT(map[string]any{"preferred_username": "ada", "groups": []any{"g"}})
	m := Read("webserver_config.py", []byte(seedClass), Options{HostModules: map[string]Host{"jwt": jwt, "jwt.exceptions": excs}})
	resp := FromGo(map[string]any{"id_token": "a.b.c"}, 0)
	base := securityManager(nil)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		inst, _ := m.NewInstance("AzureCustomSecurity", base)
		if o := m.CallMethod(inst, "get_oauth_user_info", []Value{mkStr("azure", 0), resp}, nil); o.Kind != Returned {
			b.Fatal(describeOutcome(o))
		}
	}
}
