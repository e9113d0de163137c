package urlcheck_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/urlcheck"
)

const authz = "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/oauth2/v2.0/authorize"

func analyze(t *testing.T, raw string, exp *urlcheck.Expect) (*engine.Report, *urlcheck.Analysis) {
	t.Helper()
	u, err := urlcheck.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	rep := engine.NewReport(catalog.Default(), "url")
	return rep, urlcheck.Analyze(rep, u, exp)
}

func good() string {
	v := url.Values{"client_id": {"8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58"}, "response_type": {"code"},
		"redirect_uri": {"https://airflow.example.com/oauth-authorized/azure"}, "scope": {"openid email profile"},
		"state": {"s1"}, "nonce": {"n1"}, "code_challenge": {"abc"}, "code_challenge_method": {"S256"}}
	return authz + "?" + v.Encode()
}

func TestCheck_URL001_Fires_AADSTS(t *testing.T) {
	raw := "https://airflow.example.com/oauth-authorized/azure?error=invalid_request&error_description=" +
		url.QueryEscape("AADSTS50011: The redirect URI 'http://airflow.example.com/oauth-authorized/azure' specified in the request does not match") +
		"&error_codes=%5B50011%5D&state=s"
	rep, a := analyze(t, raw, nil)
	if !rep.Has("URL001") || len(a.Errors) != 1 || a.Errors[0].Code != 50011 || a.Kind != "error-callback" {
		t.Fatalf("%+v %+v", rep.Findings, a)
	}
	// The refused redirect URI is http: the proxy diagnosis follows.
	if !rep.Has("URL003") {
		t.Errorf("the http redirect URI quoted by AADSTS50011 was not flagged")
	}
	// An unknown code is named with Microsoft's lookup URL, not invented.
	rep, a = analyze(t, "https://app/cb?error=server_error&error_description=AADSTS99999999%3A+x", nil)
	if !rep.Has("URL001") || len(a.UnknownCodes) != 1 {
		t.Fatalf("%+v", a)
	}
}

func TestCheck_URL001_Clean_Code(t *testing.T) {
	rep, a := analyze(t, "https://airflow.example.com/oauth-authorized/azure?code=0.AXsecretcode&state=s1&session_state=x", nil)
	if rep.Has("URL001") || a.Kind != "callback" {
		t.Fatalf("%+v", rep.Findings)
	}
	for _, p := range a.Params {
		if p.Name == "code" && strings.Contains(p.Value, "secretcode") {
			t.Errorf("the authorization code was printed: %q", p.Value)
		}
	}
}

func TestCheck_URL002_Fires_Implicit(t *testing.T) {
	rep, _ := analyze(t, strings.Replace(good(), "response_type=code", "response_type=id_token+token", 1), nil)
	if !rep.Has("URL002") {
		t.Fatal(rep.Findings)
	}
}

func TestCheck_URL002_Clean_CodeFlow(t *testing.T) {
	if rep, _ := analyze(t, good(), nil); rep.Has("URL002") {
		t.Fatal(rep.Findings)
	}
}

func TestCheck_URL003_Fires_HTTPRedirect(t *testing.T) {
	rep, _ := analyze(t, strings.Replace(good(), "https%3A%2F%2Fairflow", "http%3A%2F%2Fairflow", 1), nil)
	if !rep.Has("URL003") {
		t.Fatal(rep.Findings)
	}
	rep, _ = analyze(t, good(), &urlcheck.Expect{RedirectURI: "https://airflow.example.com/auth/oauth-authorized/azure", Source: "webserver_config.py:12"})
	if !rep.Has("URL003") {
		t.Fatal("a callback other than the config's must be flagged")
	}
}

func TestCheck_URL003_Clean_HTTPSAndLoopback(t *testing.T) {
	if rep, _ := analyze(t, good(), nil); rep.Has("URL003") {
		t.Fatal(rep.Findings)
	}
	if rep, _ := analyze(t, strings.Replace(good(), "https%3A%2F%2Fairflow.example.com", "http%3A%2F%2F127.0.0.1%3A8080", 1), nil); rep.Has("URL003") {
		t.Fatal("http on loopback is allowed")
	}
}

func TestCheck_URL004_Fires_NoState(t *testing.T) {
	rep, _ := analyze(t, strings.Replace(good(), "state=s1", "", 1), nil)
	if !rep.Has("URL004") {
		t.Fatal(rep.Findings)
	}
	rep, _ = analyze(t, strings.NewReplacer("nonce=n1", "", "response_type=code", "response_type=id_token").Replace(good()), nil)
	if !rep.Has("URL004") {
		t.Fatal("id_token without nonce")
	}
}

func TestCheck_URL004_Clean_Protected(t *testing.T) {
	if rep, _ := analyze(t, good(), nil); rep.Has("URL004") {
		t.Fatal(rep.Findings)
	}
}

func TestParseRejectsNonURLs(t *testing.T) {
	for _, s := range []string{"", "hello", "/oauth-authorized/azure?code=x", "%zz"} {
		if _, err := urlcheck.Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
}
