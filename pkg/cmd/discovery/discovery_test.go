package discovery_test

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

const (
	tenant    = "9a95fd9e-005d-487a-9a01-d08c1eab2757"
	issuer    = "https://login.microsoftonline.com/" + tenant + "/v2.0"
	docPath   = "/" + tenant + "/v2.0/.well-known/openid-configuration"
	keysPath  = "/" + tenant + "/discovery/v2.0/keys"
	entraHost = "login.microsoftonline.com"
	now       = "2023-11-15T12:00:00Z"
)

func entraRoutes(t *testing.T) testkit.Routes {
	return testkit.Routes{
		docPath:  testkit.JSON(testkit.Fixture(t, "azure/entra-v2-tenant-9a95fd9e-openid-configuration.2023-11.json")),
		keysPath: testkit.JSON(testkit.Fixture(t, "azure/entra-v2-tenant-9a95fd9e-jwks.2023-11.json")),
	}
}

// Each failure class fires DSC001 naming the right stage, and ends
// (the stalls within --timeout; the test finishing is the proof).
func TestCheck_DSC001_Fires_EachStage(t *testing.T) {
	ca := testkit.NewCA(t, "authdoctor test root CA")
	routes := entraRoutes(t)
	start := func(host string, cert testkit.CertKind, h http.Handler) *testkit.Server {
		return testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{host}, CA: ca, Cert: cert}, h)
	}
	cases := []struct {
		name    string
		arg     string
		args    []string
		stage   string
		message []string
	}{
		{name: "unknown host", arg: "https://login.authdoctor.invalid/" + tenant + "/v2.0", stage: "dns", message: []string{"login.authdoctor.invalid"}},
		{name: "refused port", arg: issuer, args: []string{"--connect-to", entraHost + ":443:" + testkit.RefusedAddr(t)}, stage: "connect", message: []string{"connection refused"}},
		{name: "unknown authority", arg: issuer, args: start(entraHost, testkit.CertUntrusted, routes).Args(), stage: "tls", message: []string{"unknown authority", "Untrusted Interception Root"}},
		{name: "expired certificate", arg: issuer, args: start(entraHost, testkit.CertExpired, routes).Args(), stage: "tls", message: []string{"expired on"}},
		{name: "wrong host name", arg: issuer, args: start(entraHost, testkit.CertWrongHost, routes).Args(), stage: "tls", message: []string{"wrong-host.example.net", "not " + entraHost}},
		{name: "404", arg: "https://login.microsoftonline.com/no-such-tenant/v2.0", args: start(entraHost, testkit.CertValid, routes).Args(), stage: "http", message: []string{"HTTP 404"}},
		{name: "500 with body", arg: issuer, args: start(entraHost, testkit.CertValid, testkit.Routes{docPath: testkit.Text(500, "AADSTS90002: Tenant not found. Trace ID: 0d7c")}).Args(), stage: "http", message: []string{"HTTP 500"}},
		{name: "stall after connect", arg: issuer, args: start(entraHost, testkit.CertValid, testkit.Hang(t)).Args(), stage: "timeout", message: []string{"no response within 1s"}},
		{name: "dead endpoint", arg: issuer, args: testkit.StartStalled(t, []string{entraHost}).Args(), stage: "tls", message: []string{"did not finish within 1s"}},
		{name: "redirect loop", arg: issuer, args: start(entraHost, testkit.CertValid, testkit.Routes{docPath: testkit.RedirectTo(docPath + "/"), docPath + "/": testkit.RedirectTo(docPath)}).Args(), stage: "redirect", message: []string{"redirect loop"}},
		{name: "redirect to http", arg: issuer, args: start(entraHost, testkit.CertValid, testkit.Routes{docPath: testkit.RedirectTo("http://" + entraHost + docPath)}).Args(), stage: "redirect", message: []string{"https to plain http"}},
		{name: "body over the cap", arg: issuer, args: start(entraHost, testkit.CertValid, testkit.Routes{docPath: testkit.JSON(bytes.Repeat([]byte(" "), 5<<20))}).Args(), stage: "body-too-large", message: []string{"larger than 4.0 MiB"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"discovery", c.arg, "--timeout", "1s", "--ca-file", ca.WritePEM(t)}, c.args...)
			if c.name == "body over the cap" {
				args[3] = "10s" // reading 4 MiB must not race the timeout
			}
			r := runJSON(t, args...)
			if r.code != 1 {
				t.Errorf("exit code %d, want 1", r.code)
			}
			wantIDs(t, r, "DSC001:error")
			f := r.get(t, "DSC001")
			if f.ev("stage") != c.stage {
				t.Errorf("stage %q, want %q: %s", f.ev("stage"), c.stage, f.Message)
			}
			for _, m := range c.message {
				if !strings.Contains(f.Message, m) {
					t.Errorf("message %q lacks %q", f.Message, m)
				}
			}
			if f.ev("timings") == "" || f.Fix == "" || f.Subject.URL == "" {
				t.Errorf("timings %q, fix %q, subject %+v", f.ev("timings"), f.Fix, f.Subject)
			}
			if c.name == "500 with body" && !strings.Contains(f.ev("body"), "AADSTS90002: Tenant not found") {
				t.Errorf("body excerpt %q", f.ev("body"))
			}
			if c.name == "wrong host name" && f.ev("certificate names") != "wrong-host.example.net, www.wrong-host.example.net" {
				t.Errorf("certificate names %q", f.ev("certificate names"))
			}
			// What depends on the document is skipped, with the reason.
			if !strings.Contains(r.skipReason("DSC003"), "could not be fetched (DSC001)") || !strings.Contains(r.skipReason("JWK001"), "DSC001") {
				t.Errorf("skips %+v", r.Skipped)
			}
		})
	}
}

func TestCheck_DSC001_Clean_RealEntraOverTLS(t *testing.T) {
	srv := testkit.StartTLS(t, []string{entraHost}, entraRoutes(t))
	r := runJSON(t, append([]string{"discovery", issuer, "--now", now}, srv.Args()...)...)
	wantIDs(t, r)
	if r.code != 0 || len(r.Skipped) != 0 {
		t.Errorf("exit %d skipped %+v", r.code, r.Skipped)
	}
	d := r.discovery(t)
	doc := d.Discoveries[0]
	if d.TLSVerification != "on" || !doc.WellKnownAppended || doc.URL != issuer+"/.well-known/openid-configuration" {
		t.Errorf("%+v", doc)
	}
	if doc.Fetch.ContentType != "application/json; charset=utf-8" || doc.Fetch.Size == 0 || doc.Fetch.Timings.TotalMs <= 0 || doc.Fetch.Timings.TLSMs <= 0 {
		t.Errorf("fetch record %+v", doc.Fetch)
	}
	if doc.JWKS == nil || len(doc.JWKS.Keys) != 2 || doc.JWKS.Keys[0].Issuer != issuer || doc.JWKS.Keys[0].Thumbprint == "" {
		t.Errorf("keys %+v", doc.JWKS)
	}
}

// A failing jwks_uri is JWK001 with its stage; the document is fine.
func TestCheck_JWK001_Fires_KeysHostExpired(t *testing.T) {
	ca := testkit.NewCA(t, "root")
	doc := []byte(strings.ReplaceAll(string(testkit.Fixture(t, "azure/entra-v2-tenant-9a95fd9e-openid-configuration.2023-11.json")),
		"https://login.microsoftonline.com/"+tenant+"/discovery/v2.0/keys", "https://keys.example.com/keys"))
	a := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{entraHost}, CA: ca}, testkit.Routes{docPath: testkit.JSON(doc)})
	b := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{"keys.example.com"}, CA: ca, Cert: testkit.CertExpired}, testkit.Routes{})
	r := runJSON(t, append(append([]string{"discovery", issuer, "--now", now}, a.Args()...), b.Args()...)...)
	wantIDs(t, r, "JWK001:error")
	if f := r.get(t, "JWK001"); f.ev("stage") != "tls" || !strings.Contains(f.Message, "expired") || f.Subject.URL != "https://keys.example.com/keys" {
		t.Errorf("%+v", f)
	}
	if !strings.Contains(r.skipReason("JWK003"), "JWK001") {
		t.Errorf("skips %+v", r.Skipped)
	}
}

func TestCheck_JWK001_Clean_RealEntraKeys(t *testing.T) {
	srv := testkit.StartTLS(t, []string{entraHost}, entraRoutes(t))
	r := runJSON(t, append([]string{"discovery", issuer, "--now", now}, srv.Args()...)...)
	if len(r.Findings) != 0 {
		t.Errorf("%v", r.ids())
	}
}

// The HTML sign-in page a proxy serves with status 200.
func TestCheck_DSC002_Fires_HTMLSignInPageWith200(t *testing.T) {
	page := `<!DOCTYPE html><html><head><title>Sign in - Corporate Web Gateway</title></head><body><form>…</form></body></html>`
	srv := testkit.StartTLS(t, []string{entraHost}, testkit.Routes{docPath: testkit.HTML(200, page)})
	r := runJSON(t, append([]string{"discovery", issuer}, srv.Args()...)...)
	wantIDs(t, r, "DSC002:error")
	f := r.get(t, "DSC002")
	if !strings.Contains(f.Message, `HTML page titled "Sign in - Corporate Web Gateway"`) || f.ev("content type") != "text/html; charset=utf-8" || !strings.HasPrefix(f.ev("first bytes"), "<!DOCTYPE html>") {
		t.Errorf("%+v", f)
	}
	if !strings.Contains(r.skipReason("DSC004"), "not a JSON object (DSC002)") {
		t.Errorf("skips %+v", r.Skipped)
	}
}

// Several arguments are fetched concurrently: each request waits until
// the other has arrived.
func TestDiscovery_ConcurrentArguments(t *testing.T) {
	var mu sync.Mutex
	arrived := 0
	both := make(chan struct{})
	var sequential atomic.Bool
	routes := testkit.Routes{
		"a.example.com/.well-known/openid-configuration": testkit.JSON([]byte(`{}`)),
		"b.example.com/.well-known/openid-configuration": testkit.JSON([]byte(`{}`)),
	}
	srv := testkit.StartTLS(t, []string{"a.example.com", "b.example.com"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrived++
		if arrived == 2 {
			close(both)
		}
		mu.Unlock()
		select {
		case <-both:
		case <-time.After(3 * time.Second):
			sequential.Store(true)
		}
		routes.ServeHTTP(w, r)
	}))
	r := runJSON(t, append([]string{"discovery", "https://a.example.com", "https://b.example.com", "--no-jwks"}, srv.Args()...)...)
	if sequential.Load() {
		t.Error("the two documents were not fetched concurrently")
	}
	d := r.discovery(t)
	if len(d.Discoveries) != 2 || d.Discoveries[0].Input != "https://a.example.com" || d.Discoveries[1].Input != "https://b.example.com" {
		t.Errorf("results out of argument order: %+v", d.Discoveries)
	}
}

// The same URL twice in one run reaches the network once.
func TestDiscovery_MemoisedFetches(t *testing.T) {
	srv := testkit.StartTLS(t, []string{entraHost}, entraRoutes(t))
	r := runJSON(t, append([]string{"discovery", issuer, issuer + "/.well-known/openid-configuration", "--now", now}, srv.Args()...)...)
	if srv.RequestsFor(docPath) != 1 || srv.RequestsFor(keysPath) != 1 {
		t.Errorf("document fetched %d times, keys %d times", srv.RequestsFor(docPath), srv.RequestsFor(keysPath))
	}
	if len(r.discovery(t).Discoveries) != 2 {
		t.Error("two results expected")
	}
}

func TestDiscovery_Offline(t *testing.T) {
	srv := testkit.StartTLS(t, []string{entraHost}, entraRoutes(t))
	r := runJSON(t, append([]string{"discovery", issuer, "--offline"}, srv.Args()...)...)
	if r.code != 0 || len(r.Findings) != 0 || srv.Requests() != 0 {
		t.Errorf("exit %d findings %v requests %d", r.code, r.ids(), srv.Requests())
	}
	for _, id := range []string{"DSC001", "DSC004", "JWK001", "JWK007"} {
		if !strings.HasPrefix(r.skipReason(id), "offline (--offline)") {
			t.Errorf("%s skip reason %q", id, r.skipReason(id))
		}
	}
	if d := r.discovery(t).Discoveries[0]; d.Skipped != "offline (--offline)" || d.Fetch.Error.Stage != "offline" {
		t.Errorf("%+v", d)
	}
}

func TestDiscovery_FileInput(t *testing.T) {
	doc := "@" + testkit.FixturePath(t, "azure/entra-v2-common-openid-configuration.2024-10-26.json")
	keys := "@" + testkit.FixturePath(t, "azure/entra-v2-common-jwks.2024-10-26.json")
	r := runJSON(t, "discovery", doc, "--now", "2024-10-26T12:00:00Z")
	if r.code != 0 || len(r.Findings) != 0 || !strings.Contains(r.skipReason("JWK002"), "pass --jwks") || !strings.Contains(r.skipReason("DSC001"), "read from a file") {
		t.Errorf("exit %d findings %v skipped %+v", r.code, r.ids(), r.Skipped)
	}
	r = runJSON(t, "discovery", doc, "--jwks", keys, "--now", "2024-10-26T12:00:00Z")
	d := r.discovery(t).Discoveries[0]
	if d.JWKS == nil || len(d.JWKS.Keys) != 7 || r.skipReason("JWK002") != "" {
		t.Errorf("--jwks @file not checked: %+v skipped %+v", d.JWKS, r.Skipped)
	}
	if !strings.Contains(strings.Join(d.Notes, " "), "read from a file") {
		t.Errorf("notes %v", d.Notes)
	}
}

func TestDiscovery_Insecure_IsReported(t *testing.T) {
	srv := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{entraHost}, Cert: testkit.CertUntrusted}, entraRoutes(t))
	args := append([]string{"discovery", issuer, "--now", now, "--insecure"}, srv.Args()...)
	r := runJSON(t, args...)
	d := r.discovery(t)
	if r.code != 0 || d.TLSVerification != "off (--insecure)" || !d.Discoveries[0].Fetch.Insecure || !d.Discoveries[0].JWKS.Fetch.Insecure {
		t.Errorf("exit %d tls %q", r.code, d.TLSVerification)
	}
	out, errOut, _ := clitest.RunCLI(t, args...)
	if !strings.Contains(errOut, "note: TLS certificate verification is OFF (--insecure)") || !strings.Contains(out, "certificate NOT verified") {
		t.Errorf("the --insecure notice belongs on stderr, the unverified certificate in the report:\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}
}

// Text for people: verdict first, the document, the key table, then
// findings with fix lines.
func TestDiscovery_TextOutput(t *testing.T) {
	srv := testkit.StartTLS(t, []string{entraHost}, entraRoutes(t))
	out, errOut, code := clitest.RunCLI(t, append([]string{"discovery", issuer, "--now", now}, srv.Args()...)...)
	lines := strings.Split(out, "\n")
	if code != 0 || lines[0] != "OK no problems found" {
		t.Errorf("exit %d, first line %q", code, lines[0])
	}
	if note := "note: " + issuer + " is an issuer: fetched " + issuer + "/.well-known/openid-configuration"; !strings.Contains(errOut, note) || strings.Contains(out, note) {
		t.Errorf("the note belongs on stderr:\n%s", errOut)
	}
	for _, want := range []string{
		"Discovery document  " + issuer + "/.well-known/openid-configuration",
		"provider:                Microsoft Entra ID v2 endpoint, tenant " + tenant + " (guid), global cloud",
		"jwks_uri:                https://login.microsoftonline.com/" + tenant + "/discovery/v2.0/keys",
		"fetch:                   200 application/json; charset=utf-8",
		"Key set  https://login.microsoftonline.com/" + tenant + "/discovery/v2.0/keys",
		"2 keys, 2 usable for signatures",
		"9GmnyFPkhc3hOuR22mvSvgnLo7Y  RSA 2048  sig  -    yes    CN=accounts.accesscontrol.windows.net  2028-08-28",
		"summary: 0 errors, 0 warnings, 0 info",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	// A failure: the verdict names it, the finding has a fix line.
	bad := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{entraHost}, Cert: testkit.CertUntrusted}, entraRoutes(t))
	out, _, code = clitest.RunCLI(t, append([]string{"discovery", issuer}, bad.Args()...)...)
	if code != 1 || !strings.HasPrefix(out, "FAIL DSC001 discovery-unreachable: the discovery document cannot be fetched: the TLS stage failed: certificate signed by unknown authority") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if !strings.Contains(out, "fix: A TLS-inspecting proxy or a private CA") || !strings.Contains(out, "stage:") {
		t.Errorf("no fix/evidence:\n%s", out)
	}
}

func TestDiscovery_ExitCodes(t *testing.T) {
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"discovery", issuer, "--timeout", "-1s"}, 2, "--timeout: must be positive"},
		{[]string{"discovery", issuer, "--connect-to", "nonsense"}, 2, "HOST1:PORT1:HOST2:PORT2"},
		{[]string{"discovery", issuer, "--bogus"}, 2, "unknown flag"},
		{[]string{"discovery"}, 2, "requires at least 1 arg"},
		{[]string{"discovery", "ftp://x.example.com"}, 2, "only http:// and https://"},
		{[]string{"discovery", "@/nonexistent/openid.json"}, 3, "no such file"},
		{[]string{"discovery", issuer, "--ca-file", "/nonexistent/ca.pem"}, 3, "no such file"},
		{[]string{"discovery", issuer, "--no-jwks", "--jwks", "@x"}, 2, "exclude each other"},
		{[]string{"jwks", "@/nonexistent/keys.json"}, 3, "no such file"},
	}
	for _, c := range cases {
		_, errOut, code := clitest.RunCLI(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.err) {
			t.Errorf("%v: exit %d stderr %q, want %d and %q", c.args, code, errOut, c.code, c.err)
		}
	}
}
