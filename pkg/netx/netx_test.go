package netx_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/testkit"
)

const msHost = "login.microsoftonline.com"

func client(t *testing.T, o netx.Options) *netx.Client {
	t.Helper()
	c, err := netx.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func TestFetch_OK_RecordsEverything(t *testing.T) {
	var gotUA, gotHost, gotSNI atomic.Value
	body := bytes.Repeat([]byte(`{"keys":[]}`), 100)
	routes := testkit.Routes{"/common/discovery/v2.0/keys": {Status: 200, ContentType: "application/json", Body: body, Gzip: true,
		Header: map[string]string{"Cache-Control": "max-age=86400, private", "Date": "Tue, 05 Nov 2024 14:03:00 GMT"}}}
	srv := testkit.StartTLS(t, []string{msHost}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA.Store(r.Header.Get("User-Agent"))
		gotHost.Store(r.Host)
		gotSNI.Store(r.TLS.ServerName)
		routes.ServeHTTP(w, r)
	}))
	c := client(t, netx.Options{ConnectTo: srv.ConnectTo, CAFile: srv.CAFile, Timeout: 5 * time.Second})
	u := "https://" + msHost + "/common/discovery/v2.0/keys"
	before := time.Now()
	r := c.Fetch(context.Background(), u)
	if !r.OK() {
		t.Fatalf("fetch failed: %v", r.Err)
	}
	if r.Status != 200 || r.FinalURL != u || r.ContentType != "application/json" || !bytes.Equal(r.Body, body) || r.Size != int64(len(body)) {
		t.Errorf("status %d final %s type %s size %d", r.Status, r.FinalURL, r.ContentType, r.Size)
	}
	if r.ContentEncoding != "gzip" {
		t.Errorf("content encoding %q: gzip not negotiated", r.ContentEncoding)
	}
	if ua := gotUA.Load().(string); !strings.HasPrefix(ua, "authdoctor/") {
		t.Errorf("User-Agent %q", ua)
	}
	// --connect-to keeps the URL's host for SNI, the certificate and Host.
	if gotHost.Load() != msHost || gotSNI.Load() != msHost {
		t.Errorf("Host %v, SNI %v", gotHost.Load(), gotSNI.Load())
	}
	if r.ConnectedTo != srv.Addr {
		t.Errorf("connected to %s, want %s", r.ConnectedTo, srv.Addr)
	}
	if r.CacheControl != "max-age=86400, private" {
		t.Errorf("cache-control %q", r.CacheControl)
	}
	want := time.Date(2024, 11, 5, 14, 3, 0, 0, time.UTC)
	if !r.ServerDate.Equal(want) {
		t.Errorf("server date %v", r.ServerDate)
	}
	if skew, ok := r.ClockSkew(); !ok || skew > want.Sub(before)+time.Second || skew < want.Sub(time.Now())-time.Second {
		t.Errorf("clock skew %v %v", skew, ok)
	}
	if r.TLS == nil || !r.TLS.Verified || r.TLS.ServerName != msHost || r.Insecure {
		t.Errorf("tls %+v insecure %v", r.TLS, r.Insecure)
	}
	if r.Timings.TLS <= 0 || r.Timings.Connect <= 0 || r.Timings.Total < r.Timings.TLS {
		t.Errorf("timings %+v", r.Timings)
	}
}

func TestFetch_MemoisedAndConcurrencySafe(t *testing.T) {
	release := make(chan struct{})
	srv := testkit.StartTLS(t, []string{msHost}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.Write([]byte(`{}`))
	}))
	c := client(t, netx.Options{ConnectTo: srv.ConnectTo, CAFile: srv.CAFile})
	u := "https://" + msHost + "/x"
	var wg sync.WaitGroup
	results := make([]*netx.Result, 8)
	for i := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = c.Fetch(context.Background(), u) }()
	}
	time.Sleep(50 * time.Millisecond) // let them all queue behind the first
	close(release)
	wg.Wait()
	for _, r := range results {
		if r != results[0] || !r.OK() {
			t.Fatalf("results differ or failed: %v", r.Err)
		}
	}
	c.Fetch(context.Background(), u)
	if srv.RequestsFor("/x") != 1 || c.NetworkFetches() != 1 {
		t.Errorf("server saw %d requests, client counted %d network fetches; want 1", srv.RequestsFor("/x"), c.NetworkFetches())
	}
	// Refetch bypasses the memo once, then is itself memoised.
	r2 := c.Refetch(context.Background(), u)
	r3 := c.Refetch(context.Background(), u)
	if !r2.Refetched || r2 != r3 || srv.RequestsFor("/x") != 2 {
		t.Errorf("refetch: refetched %v same %v requests %d", r2.Refetched, r2 == r3, srv.RequestsFor("/x"))
	}
	if c.Fetch(context.Background(), u) != r2 {
		t.Error("Fetch after Refetch does not return the newer result")
	}
}

func TestFetch_Offline(t *testing.T) {
	srv := testkit.StartTLS(t, []string{msHost}, testkit.Routes{})
	c := client(t, netx.Options{Offline: true, ConnectTo: srv.ConnectTo})
	r := c.Fetch(context.Background(), "https://"+msHost+"/x")
	if r.Err == nil || r.Err.Stage != netx.StageOffline || srv.Requests() != 0 || c.NetworkFetches() != 0 {
		t.Errorf("offline: %+v, %d requests", r.Err, srv.Requests())
	}
}

func TestFetch_InsecureIsRecorded(t *testing.T) {
	srv := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{msHost}, Cert: testkit.CertUntrusted}, testkit.Routes{"/x": testkit.JSON([]byte(`{}`))})
	c := client(t, netx.Options{Insecure: true, ConnectTo: srv.ConnectTo})
	r := c.Fetch(context.Background(), "https://"+msHost+"/x")
	if !r.OK() || !r.Insecure || r.TLS == nil || r.TLS.Verified {
		t.Errorf("insecure fetch: err %v insecure %v tls %+v", r.Err, r.Insecure, r.TLS)
	}
}

// Each failure class ends in its stage, with the reason in words.
func TestFetch_FailureStages(t *testing.T) {
	ca := testkit.NewCA(t, "authdoctor test root CA")
	ok := testkit.Routes{
		"/500":       testkit.Text(500, "upstream realm provider failed: NullPointerException at KeycloakSession"),
		"/loop-a":    testkit.RedirectTo("/loop-b"),
		"/loop-b":    testkit.RedirectTo("/loop-a"),
		"/downgrade": testkit.RedirectTo("http://" + msHost + "/x"),
		"/big":       {Status: 200, ContentType: "application/json", Body: bytes.Repeat([]byte("x"), 5<<20)},
		"/r1":        testkit.RedirectTo("/r2"), "/r2": testkit.RedirectTo("/r3"), "/r3": testkit.RedirectTo("/r4"),
		"/r4": testkit.RedirectTo("/r5"), "/r5": testkit.RedirectTo("/r6"), "/r6": testkit.RedirectTo("/r7"), "/r7": testkit.JSON([]byte(`{}`)),
	}
	good := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{msHost}, CA: ca}, ok)
	expired := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{"expired.example.com"}, CA: ca, Cert: testkit.CertExpired}, ok)
	wrong := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{"wrong.example.com"}, CA: ca, Cert: testkit.CertWrongHost}, ok)
	untrusted := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{"mitm.example.com"}, CA: ca, Cert: testkit.CertUntrusted}, ok)
	hang := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{"hang.example.com"}, CA: ca}, testkit.Hang(t))
	trickle := testkit.StartTLSWith(t, testkit.ServerOptions{Hosts: []string{"trickle.example.com"}, CA: ca}, testkit.Trickle(t, `{"keys":[`))
	dead := testkit.StartStalled(t, []string{"dead.example.com"})
	plain := testkit.StartHTTP(t, []string{"plain.example.com:443"}, ok)
	refused := testkit.RefusedAddr(t)

	var rules []string
	for _, s := range []*testkit.Server{good, expired, wrong, untrusted, hang, trickle, plain} {
		rules = append(rules, s.ConnectTo...)
	}
	rules = append(rules, dead.ConnectTo...)
	rules = append(rules, "refused.example.com:443:"+refused)
	c := client(t, netx.Options{ConnectTo: rules, CAFile: good.CAFile, Timeout: 1500 * time.Millisecond})

	cases := []struct {
		url    string
		stage  netx.Stage
		reason []string
	}{
		{"https://idp.authdoctor.invalid/x", netx.StageDNS, []string{"idp.authdoctor.invalid"}},
		{"https://refused.example.com/x", netx.StageConnect, []string{"connection refused", refused}},
		{"https://mitm.example.com/x", netx.StageTLS, []string{"unknown authority", `"CN=Untrusted Interception Root`}},
		{"https://expired.example.com/x", netx.StageTLS, []string{"expired on", " ago)"}},
		{"https://wrong.example.com/x", netx.StageTLS, []string{"name mismatch", "wrong-host.example.net, www.wrong-host.example.net", "not wrong.example.com"}},
		{"https://plain.example.com/x", netx.StageTLS, []string{"does not speak TLS"}},
		{"https://" + msHost + "/nope", netx.StageHTTP, []string{"HTTP 404 Not Found"}},
		{"https://" + msHost + "/500", netx.StageHTTP, []string{"HTTP 500"}},
		{"https://hang.example.com/x", netx.StageTimeout, []string{"no response within 1.5s"}},
		{"https://trickle.example.com/x", netx.StageTimeout, []string{"body did not arrive within 1.5s"}},
		{"https://dead.example.com/x", netx.StageTLS, []string{"did not finish within 1.5s"}},
		{"https://" + msHost + "/loop-a", netx.StageRedirect, []string{"redirect loop"}},
		{"https://" + msHost + "/downgrade", netx.StageRedirect, []string{"https to plain http"}},
		{"https://" + msHost + "/r1", netx.StageRedirect, []string{"more than 5 redirects"}},
		{"ftp://" + msHost + "/x", netx.StageRequest, []string{"not an http(s) URL"}},
	}
	var wg sync.WaitGroup
	start := time.Now()
	for _, tc := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := c.Fetch(context.Background(), tc.url)
			if r.Err == nil {
				t.Errorf("%s: no error", tc.url)
				return
			}
			if r.Err.Stage != tc.stage {
				t.Errorf("%s: stage %s (%s), want %s", tc.url, r.Err.Stage, r.Err.Reason, tc.stage)
				return
			}
			for _, w := range tc.reason {
				if w == "idp.authdoctor.invalid" && !strings.Contains(r.Err.Reason, "no such host") {
					t.Logf("%s: DNS reason is %q (no NXDOMAIN here?)", tc.url, r.Err.Reason)
				}
				if !strings.Contains(r.Err.Reason, w) {
					t.Errorf("%s: reason %q lacks %q", tc.url, r.Err.Reason, w)
				}
			}
			if r.Err.Hint == "" && tc.stage != netx.StageRequest {
				t.Errorf("%s: no hint", tc.url)
			}
		}()
	}
	wg.Wait()
	// Stalls end within the timeout (not a wall-clock assertion on
	// success, only a guard against hangs: 3 × 1.5s per fetch is the hard bound, with room for a loaded machine).
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the failures took %v", d)
	}
	r := c.Fetch(context.Background(), "https://"+msHost+"/500")
	if r.Err.Status != 500 || !strings.Contains(r.Err.BodyExcerpt, "NullPointerException") {
		t.Errorf("500: status %d excerpt %q", r.Err.Status, r.Err.BodyExcerpt)
	}
	r = c.Fetch(context.Background(), "https://"+msHost+"/loop-a")
	if len(r.Redirects) != 2 || r.Redirects[0].Status != 302 {
		t.Errorf("loop redirects %+v", r.Redirects)
	}
	r = c.Fetch(context.Background(), "https://"+msHost+"/downgrade")
	if len(r.Redirects) != 1 || !r.Redirects[0].Downgrade {
		t.Errorf("downgrade redirects %+v", r.Redirects)
	}
	r = c.Fetch(context.Background(), "https://expired.example.com/x")
	if r.Err.Cert == nil || !r.Err.Cert.NotAfter.Before(time.Now()) {
		t.Errorf("expired cert %+v", r.Err.Cert)
	}
	// The cap: a separate client, so that reading 4 MiB is not raced
	// against the short timeout on a slow machine.
	big := client(t, netx.Options{ConnectTo: rules, CAFile: good.CAFile, Timeout: 10 * time.Second})
	r = big.Fetch(context.Background(), "https://"+msHost+"/big")
	if r.Err == nil || r.Err.Stage != netx.StageBodyTooLarge || !strings.Contains(r.Err.Reason, "larger than 4.0 MiB") || int64(len(r.Body)) != netx.DefaultMaxBody {
		t.Errorf("body over the cap: %v, %d bytes kept", r.Err, len(r.Body))
	}
}

func TestFetch_CrossHostRedirectFollowedAndFlagged(t *testing.T) {
	srv := testkit.StartTLS(t, []string{msHost, "login.windows.net"}, testkit.Routes{
		"login.windows.net/x": testkit.RedirectTo("https://" + msHost + "/x"),
		msHost + "/x":         testkit.JSON([]byte(`{}`)),
	})
	c := client(t, netx.Options{ConnectTo: srv.ConnectTo, CAFile: srv.CAFile})
	r := c.Fetch(context.Background(), "https://login.windows.net/x")
	if !r.OK() || len(r.Redirects) != 1 || !r.Redirects[0].HostChanged || r.FinalURL != "https://"+msHost+"/x" {
		t.Errorf("err %v redirects %+v final %s", r.Err, r.Redirects, r.FinalURL)
	}
}

func TestNew_FlagAndFileErrors(t *testing.T) {
	var fe *netx.FlagError
	if _, err := netx.New(netx.Options{Timeout: -time.Second}); !errors.As(err, &fe) || fe.Flag != "timeout" {
		t.Errorf("negative timeout: %v", err)
	}
	if _, err := netx.New(netx.Options{ConnectTo: []string{"a:b"}}); !errors.As(err, &fe) || fe.Flag != "connect-to" {
		t.Errorf("bad connect-to: %v", err)
	}
	var fi *netx.FileError
	if _, err := netx.New(netx.Options{CAFile: "/nonexistent/ca.pem"}); !errors.As(err, &fi) || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing CA file: %v", err)
	}
	p := filepath.Join(t.TempDir(), "x.pem")
	os.WriteFile(p, []byte("not a certificate"), 0o600)
	if _, err := netx.New(netx.Options{CAFile: p}); !errors.As(err, &fi) || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("empty CA file: %v", err)
	}
}

func TestParseConnectTo(t *testing.T) {
	for _, s := range []string{"login.microsoftonline.com:443:127.0.0.1:8443", "::127.0.0.1:8443", "a.example.com:443::8443", "a.example.com:443:[::1]:8443", "[::1]:443:127.0.0.1:"} {
		if _, err := netx.ParseConnectTo(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", "a:b:c", "a:443:b:99999", "a:443::", "[::1:443:b:1", "a:x:b:1"} {
		if _, err := netx.ParseConnectTo(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

// An empty HOST1 matches every host (curl's meaning); an empty HOST2
// keeps the host and changes the port.
func TestConnectTo_Wildcards(t *testing.T) {
	srv := testkit.StartTLS(t, []string{"a.example.com", "b.example.com"}, testkit.Routes{"/x": testkit.JSON([]byte(`{}`))})
	_, port, _ := net.SplitHostPort(srv.Addr)
	c := client(t, netx.Options{ConnectTo: []string{"::127.0.0.1:" + port}, CAFile: srv.CAFile})
	for _, h := range []string{"a.example.com", "b.example.com"} {
		if r := c.Fetch(context.Background(), "https://"+h+"/x"); !r.OK() {
			t.Errorf("%s: %v", h, r.Err)
		}
	}
}

// connectProxy is an HTTP CONNECT proxy that tunnels every request to
// target and records what it was asked for.
func connectProxy(t *testing.T, target string) (*url.URL, *[]string) {
	var mu sync.Mutex
	var asked []string
	srv := testkit.StartHTTP(t, []string{"proxy.example.com"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", 405)
			return
		}
		mu.Lock()
		asked = append(asked, r.Host)
		mu.Unlock()
		up, err := net.Dial("tcp", target)
		if err != nil {
			http.Error(w, err.Error(), 502)
			return
		}
		w.WriteHeader(200)
		conn, buf, _ := w.(http.Hijacker).Hijack()
		go func() { io.Copy(up, buf); up.Close() }()
		io.Copy(conn, up)
		conn.Close()
	}))
	u, _ := url.Parse("http://" + srv.Addr)
	return u, &asked
}

func TestFetch_ThroughProxy(t *testing.T) {
	srv := testkit.StartTLS(t, []string{msHost}, testkit.Routes{"/x": testkit.JSON([]byte(`{}`))})
	pu, asked := connectProxy(t, srv.Addr)
	c := client(t, netx.Options{CAFile: srv.CAFile, Proxy: http.ProxyURL(pu)})
	r := c.Fetch(context.Background(), "https://"+msHost+"/x")
	if !r.OK() || r.Proxy != pu.String() || len(*asked) != 1 || (*asked)[0] != msHost+":443" {
		t.Errorf("err %v proxy %q asked %v", r.Err, r.Proxy, *asked)
	}
}

// HTTPS_PROXY and NO_PROXY from the environment are honoured. The
// environment is read once per process by net/http, so this runs in a
// child process.
func TestFetch_ProxyFromEnvironment(t *testing.T) {
	if os.Getenv("NETX_PROXY_CHILD") != "" {
		ca, u := os.Getenv("NETX_CA"), os.Getenv("NETX_URL")
		c, err := netx.New(netx.Options{CAFile: ca, ConnectTo: strings.Fields(os.Getenv("NETX_CONNECT_TO"))})
		if err != nil {
			t.Fatal(err)
		}
		r := c.Fetch(context.Background(), u)
		fmt.Printf("RESULT ok=%v proxy=%q err=%v\n", r.OK(), r.Proxy, r.Err)
		return
	}
	srv := testkit.StartTLS(t, []string{msHost}, testkit.Routes{"/x": testkit.JSON([]byte(`{}`))})
	pu, asked := connectProxy(t, srv.Addr)
	run := func(noProxy string) string {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFetch_ProxyFromEnvironment$", "-test.count=1")
		cmd.Env = append(os.Environ(), "NETX_PROXY_CHILD=1", "NETX_CA="+srv.CAFile, "NETX_URL=https://"+msHost+"/x",
			"HTTPS_PROXY="+pu.String(), "NO_PROXY="+noProxy, "NETX_CONNECT_TO="+strings.Join(srv.ConnectTo, " "))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		return string(out)
	}
	out := run("")
	if !strings.Contains(out, "RESULT ok=true proxy=\""+pu.String()+"\"") || len(*asked) != 1 {
		t.Errorf("HTTPS_PROXY not used: %s (proxy asked %v)", out, *asked)
	}
	out = run(msHost)
	if !strings.Contains(out, `RESULT ok=true proxy=""`) || len(*asked) != 1 {
		t.Errorf("NO_PROXY not honoured: %s (proxy asked %v)", out, *asked)
	}
}
