package netx_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/netx"
)

// The listener binds a free port when none is given, hands over each
// request to the redirect path with its query, answers other paths 404,
// refuses redirect URIs that do not come back to this machine, and stops
// listening on Close.
func TestCallbackListener(t *testing.T) {
	for _, bad := range []string{"https://127.0.0.1/cb", "http://airflow.example/cb", "http://127.0.0.1/cb?x=1", "127.0.0.1:80"} {
		if _, err := netx.ListenCallback(bad); !errors.Is(err, netx.ErrNotLoopback) {
			t.Errorf("%s: %v, want ErrNotLoopback", bad, err)
		}
	}
	l, err := netx.ListenCallback("http://localhost/callback")
	if err != nil {
		t.Fatal(err)
	}
	uri := l.RedirectURI()
	if !strings.HasPrefix(uri, "http://localhost:") || !strings.HasSuffix(uri, "/callback") || strings.HasPrefix(uri, "http://localhost:0/") {
		t.Fatalf("redirect URI %q", uri)
	}
	// The browser may reach localhost on 127.0.0.1.
	direct := strings.Replace(uri, "localhost", "127.0.0.1", 1)
	resp, err := http.Get(direct + "?code=c1&state=s1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "terminal") {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	got := <-l.URLs()
	if got.Query().Get("code") != "c1" || got.Query().Get("state") != "s1" || got.Path != "/callback" {
		t.Errorf("handed over %s", got)
	}
	resp, err = http.Get(strings.Replace(direct, "/callback", "/favicon.ico", 1))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("favicon: %d", resp.StatusCode)
	}
	l.Close()
	l.Close()
	if _, err := http.Get(direct); err == nil {
		t.Error("still listening after Close")
	}
}
