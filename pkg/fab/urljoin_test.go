package fab

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/pyrepr"
)

// URLJoin must agree with CPython's urllib.parse.urljoin, which authlib
// uses to join api_base_url and the branch's relative path.
func TestURLJoinAgreesWithCPython(t *testing.T) {
	py, err := exec.LookPath("/usr/bin/python3")
	if err != nil {
		t.Skip("CPython (/usr/bin/python3) is not installed; .ci/run installs it")
	}
	pairs := [][2]string{
		{"https://api.github.com", "user"},
		{"https://api.github.com/", "user"},
		{"https://ghe.example.com/api/v3", "user"},
		{"https://ghe.example.com/api/v3/", "user"},
		{"https://www.googleapis.com/oauth2/v2", "userinfo"},
		{"https://www.googleapis.com/oauth2/v2/", "userinfo"},
		{"https://dev-1.okta.com", "userinfo"},
		{"https://dev-1.okta.com/oauth2/default/v1/", "userinfo"},
		{"https://kc/realms/x/protocol/openid-connect/", "openid-connect/userinfo"},
		{"https://kc/realms/x/protocol/openid-connect", "openid-connect/userinfo"},
		{"https://kc/realms/x/protocol/", "openid-connect/userinfo"},
		{"https://kc:8443/auth/realms/x/protocol/openid-connect", "openid-connect/userinfo"},
		{"https://kc/realms/x/protocol/openid-connect/?a=b", "openid-connect/userinfo"},
		{"https://kc/realms/x/../y/", "userinfo"},
		{"https://kc/a/b;p/", "user"},
	}
	var script strings.Builder
	script.WriteString("from urllib.parse import urljoin\n")
	for _, p := range pairs {
		script.WriteString("print(urljoin(" + pyrepr.Str(p[0]) + ", " + pyrepr.Str(p[1]) + "))\n")
	}
	out, err := exec.Command(py, "-c", script.String()).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i, p := range pairs {
		got, err := URLJoin(p[0], p[1])
		if err != nil || got != want[i] {
			t.Errorf("URLJoin(%q, %q) = %q (%v), CPython %q", p[0], p[1], got, err, want[i])
		}
	}
}
