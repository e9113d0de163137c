package authlib_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/authlib"
	"github.com/authdoctor/authdoctor/pkg/config"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/pyrepr"
)

// pyLiteral writes a JSON value as a Python literal (what a
// webserver_config.py holds): its repr, which Python reads back as the
// same value.
func pyLiteral(v any) string { return pyrepr.Value(v, nil) }

// clientFrom reads a webserver_config.py holding one provider (and the
// given upper-case settings) with the real config reader, and builds its
// authlib client.
func clientFrom(t *testing.T, name string, remoteApp map[string]any, appConfig map[string]any) *authlib.Client {
	t.Helper()
	var src strings.Builder
	src.WriteString("from flask_appbuilder.const import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\n")
	for k, v := range appConfig {
		fmt.Fprintf(&src, "%s = %s\n", k, pyLiteral(v))
	}
	fmt.Fprintf(&src, "OAUTH_PROVIDERS = [{\"name\": %q, \"token_key\": \"access_token\", \"remote_app\": %s}]\n", name, pyLiteral(remoteApp))
	f, err := config.Parse("webserver_config.py", []byte(src.String()), config.LoadOptions{NoEnv: true, Flavor: "airflow3"})
	if err != nil {
		t.Fatal(err)
	}
	prs := f.Config.Providers()
	if len(prs) != 1 {
		t.Fatalf("%d providers read from\n%s", len(prs), src.String())
	}
	return authlib.FromProvider(f.Config, prs[0])
}

// fetched is a 200 answer with a JSON body.
func fetched(url string, body []byte) *netx.Result {
	return &netx.Result{URL: url, FinalURL: url, Status: 200, Body: body}
}

// authlibToken is generate_token as the expectations were made: 'V'*48
// (code_verifier), 'N'*20 (nonce), 'S'*n otherwise (state).
func authlibToken(n int) string {
	switch n {
	case 48:
		return strings.Repeat("V", 48)
	case 20:
		return strings.Repeat("N", 20)
	}
	return strings.Repeat("S", n)
}
