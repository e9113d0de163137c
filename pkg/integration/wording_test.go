package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
)

// One function words a failed fetch (DSC001/JWK001): discovery, verify,
// issuer, doctor and lint --online give the same message and evidence for
// the same dead document (issue 15: verify had its own text, and doctor's
// differed from discovery's).
func TestFetchFindingsAreWordedAlikeInEveryCommand(t *testing.T) {
	const host = "login.microsoftonline.com"
	base := "https://" + host + "/" + dTenant + "/v2.0"
	doc := base + "/.well-known/openid-configuration"
	srv := testkit.StartTLS(t, []string{host}, testkit.Routes{
		host + "/" + dTenant + "/v2.0/.well-known/openid-configuration": testkit.Text(503, "upstream unavailable"),
	})
	cfg := writeFile(t, "webserver_config.py", []byte(healthyConfig(doc, nil)))
	tok := "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2xvZ2luLm1pY3Jvc29mdG9ubGluZS5jb20vdC92Mi4wIiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2ln"
	now := []string{"--now", time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC).Format(time.RFC3339), "-o", "json", "--timeout", "5s"}
	commands := [][]string{
		{"discovery", doc},
		{"discovery", base},
		{"verify", tok, "--discovery", doc},
		{"verify", tok, "--issuer", base},
		{"issuer", "--discovery", doc},
		{"doctor", "--config", cfg[1:], "--no-env"},
		{"lint", "--online", cfg[1:], "--no-env"},
	}
	var first string
	for _, args := range commands {
		r := run(t, "", append(append(args, now...), srv.Args()...)...)
		f, ok := r.find("DSC001")
		if !ok {
			t.Errorf("%s: no DSC001\n%s", args[0], r)
			continue
		}
		var ev []string
		for _, e := range f.Evidence {
			if e.Key == "stage" || e.Key == "status" || e.Key == "reason" {
				ev = append(ev, e.Key+"="+e.Value)
			}
		}
		got := fmt.Sprintf("%s [%s]", f.Message, strings.Join(ev, " "))
		if first == "" {
			first = got
			if !strings.Contains(got, "503") {
				t.Errorf("DSC001 does not name the status: %s", got)
			}
		} else if got != first {
			t.Errorf("%s words DSC001 differently:\n  %s\nnot\n  %s", strings.Join(args[:2], " "), got, first)
		}
	}
}
