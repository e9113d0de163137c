package urlcheck_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/authdoctor/authdoctor/pkg/urlcheck"
)

// fuzzSecretParams are the parameters whose values Analyze must never
// echo (compared case-insensitively, as Analyze does).
var fuzzSecretParams = []string{"code", "id_token", "access_token", "client_secret", "refresh_token", "code_verifier", "password", "client_assertion", "assertion"}

func isSecretParam(k string) bool {
	k = strings.ToLower(k)
	for _, s := range fuzzSecretParams {
		if k == s {
			return true
		}
	}
	return false
}

// FuzzURL runs Parse and Analyze (with and without a config to compare
// with) and renders the result as text and JSON. Beyond "no panic" it
// asserts that the value of a secret parameter (code, id_token,
// access_token, client_secret, …) never appears in the output.
//
// A value "appears" only when it is not also printed for another reason:
// the same URL with every secret value replaced by a placeholder of the
// same length is analysed too, and a value that its output contains (a
// state equal to the code, a word of an explanation) is not counted.
func FuzzURL(f *testing.F) {
	for _, s := range []string{
		good(),
		"https://airflow.example.com/oauth-authorized/azure?code=0.AXoA8l6Bx-secret-code-value&state=s1&session_state=abc",
		"https://airflow.example.com/oauth-authorized/azure#id_token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA&access_token=EwBwA8secret&state=x",
		"https://airflow.example.com/oauth-authorized/azure?error=invalid_request&error_description=AADSTS50011%3A+The+redirect+URI+%27http%3A%2F%2Fairflow.example.com%2Foauth-authorized%2Fazure%27+specified&error_codes=%5B50011%5D&trace_id=t&correlation_id=c",
		"https://login.microsoftonline.com/common/oauth2/v2.0/token?client_id=a&client_secret=S3cr3t~value-planted&grant_type=authorization_code&CODE=upper-case-code-secret",
		"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/authorize?response_type=id_token+token&client_id=x&redirect_uri=http%3A%2F%2Fapp.example.com%2Fcb",
		"https://kc.example.com/realms/x/protocol/openid-connect/auth?response_type=code&client_id=airflow&redirect_uri=https%3A%2F%2Fa%2Fcb&scope=openid&state=1&code_challenge=c&code_challenge_method=S256",
		"https://a.b2clogin.com/a.onmicrosoft.com/B2C_1_signin/oauth2/v2.0/authorize?p=B2C_1_signin&client_id=x",
		`"https://example.com/cb?code=abc%zz&state=1;x=2"`,
		"<https://example.com/cb?error=access_denied&error_codes=[1,2,%20x,50011,99999999999999999999]>",
		"http://[::1]:8080/cb?code=a&code=b&redirect_uri=%25",
		"https://example.com/cb#code=frag-secret-code&state=s",
		"not a url",
		"",
	} {
		f.Add(s)
	}
	reg := catalog.Default()
	exp := &urlcheck.Expect{Source: "webserver_config.py:12", ClientID: "8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58",
		RedirectURI: "https://airflow.example.com/oauth-authorized/azure",
		Authorize:   "https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/oauth2/v2.0/authorize", WantsOpenID: true}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := urlcheck.Parse(raw)
		if err != nil {
			if u != nil {
				t.Fatalf("Parse returned a URL and an error")
			}
			return
		}
		q := u.Query()
		frag, _ := url.ParseQuery(u.Fragment)
		// The same URL with every secret value replaced by a placeholder
		// of the same length.
		base := *u
		var secrets []string
		for _, vals := range []url.Values{q, frag} {
			for k, vs := range vals {
				if !isSecretParam(k) {
					continue
				}
				for _, v := range vs {
					if len(v) >= 8 {
						secrets = append(secrets, v)
					}
				}
			}
		}
		base.RawQuery = placeholders(q).Encode()
		base.Fragment = placeholders(frag).Encode()
		for _, e := range []*urlcheck.Expect{nil, exp} {
			got := analyzeAndRender(t, reg, u, e)
			if len(secrets) == 0 {
				continue
			}
			baseline := analyzeAndRender(t, reg, &base, e)
			for _, v := range secrets {
				if strings.Contains(baseline, v) {
					continue // printed for another reason
				}
				if strings.Contains(got, v) {
					t.Fatalf("the value %q of a secret parameter appears in the output:\n%s", v, got)
				}
			}
		}
	})
}

// placeholders copies vals with each secret value replaced by a run of
// one character that the value does not contain, of the same length.
func placeholders(vals url.Values) url.Values {
	out := url.Values{}
	for k, vs := range vals {
		for _, v := range vs {
			if isSecretParam(k) {
				c := "Q"
				for _, alt := range []string{"Q", "Z", "J", "X"} {
					if !strings.Contains(v, alt) {
						c = alt
						break
					}
				}
				v = strings.Repeat(c, len(v))
			}
			out.Add(k, v)
		}
	}
	return out
}

// textResult renders an analysis as the url command does.
type textResult struct{ *urlcheck.Analysis }

func (r textResult) WriteText(p *render.Printer) { render.URL(p, r.Analysis) }

// analyzeAndRender analyses u into a fresh report and returns its text
// and JSON renderings, one after the other.
func analyzeAndRender(t *testing.T, reg *engine.Registry, u *url.URL, exp *urlcheck.Expect) string {
	rep := engine.NewReport(reg, "url")
	rep.Scope(engine.StageURL)
	a := urlcheck.Analyze(rep, u, exp)
	if a == nil {
		t.Fatal("Analyze returned nil")
	}
	switch a.Kind {
	case "authorization-request", "callback", "error-callback", "other":
	default:
		t.Fatalf("kind %q", a.Kind)
	}
	rep.Result = textResult{a}
	var b bytes.Buffer
	render.Text(render.NewPrinter(&b, false), rep)
	n := b.Len()
	if err := render.JSON(&b, rep, "fuzz"); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	if !json.Valid(b.Bytes()[n:]) {
		t.Fatalf("JSON output is not valid:\n%s", b.Bytes()[n:])
	}
	return b.String()
}

// TestFuzzURL_PropertyArmed makes sure FuzzURL's property is not vacuous:
// a URL whose code is echoed by a non-secret parameter is recognised as
// such, and a planted code is absent from the real output.
func TestFuzzURL_PropertyArmed(t *testing.T) {
	reg := catalog.Default()
	const code = "0.AXoA-planted-authorization-code"
	u, err := urlcheck.Parse("https://airflow.example.com/oauth-authorized/azure?code=" + code + "&state=s1")
	if err != nil {
		t.Fatal(err)
	}
	out := analyzeAndRender(t, reg, u, nil)
	if strings.Contains(out, code) || !strings.Contains(out, engine.Redacted) {
		t.Fatalf("the code is not redacted:\n%s", out)
	}
	base := *u
	base.RawQuery = placeholders(u.Query()).Encode()
	if b := analyzeAndRender(t, reg, &base, nil); strings.Contains(b, code) || !strings.Contains(b, "(33 characters)") {
		t.Fatalf("the baseline does not keep the length or leaks:\n%s", b)
	}
}
