package netx_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/testkit"
)

// Do sends the method, headers and body it is given, through the same
// --connect-to and TLS settings as Fetch, and is never memoised: a token
// request made twice reaches the server twice.
func TestDo_PostsThroughConnectToAndIsNeverMemoised(t *testing.T) {
	var calls atomic.Int64
	var got atomic.Value
	srv := testkit.StartTLS(t, []string{msHost}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		b, _ := io.ReadAll(r.Body)
		got.Store(r.Method + " " + r.Header.Get("Authorization") + " " + r.Header.Get("Content-Type") + " " + string(b))
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"x"}`)
	}))
	c := client(t, netx.Options{ConnectTo: srv.ConnectTo, CAFile: srv.CAFile, Timeout: 5 * time.Second})
	req := netx.Request{Method: http.MethodPost, URL: "https://" + msHost + "/t/oauth2/v2.0/token",
		Header: http.Header{"Authorization": {"Basic YTpi"}, "Content-Type": {"application/x-www-form-urlencoded"}},
		Body:   []byte("grant_type=authorization_code&code=c")}
	for i := 0; i < 2; i++ {
		r := c.Do(context.Background(), req)
		if !r.OK() || string(r.Body) != `{"access_token":"x"}` {
			t.Fatalf("do %d: %v %q", i, r.Err, r.Body)
		}
	}
	if calls.Load() != 2 {
		t.Errorf("%d requests reached the server, want 2 (never memoised)", calls.Load())
	}
	if want := "POST Basic YTpi application/x-www-form-urlencoded grant_type=authorization_code&code=c"; got.Load() != want {
		t.Errorf("server saw %q, want %q", got.Load(), want)
	}
}

// NoRedirects hands back the 3xx with its Location and no error; without
// it a redirect is followed as Fetch follows it.
func TestDo_NoRedirectsReturnsTheRedirect(t *testing.T) {
	srv := testkit.StartTLS(t, []string{msHost}, testkit.Routes{
		"/authorize": testkit.RedirectTo("http://127.0.0.1:9/callback?error=invalid_scope&state=s"),
	})
	c := client(t, netx.Options{ConnectTo: srv.ConnectTo, CAFile: srv.CAFile, Timeout: 5 * time.Second})
	r := c.Do(context.Background(), netx.Request{URL: "https://" + msHost + "/authorize", NoRedirects: true})
	if r.Err != nil || r.Status != http.StatusFound || !strings.Contains(r.Header.Get("Location"), "error=invalid_scope") {
		t.Fatalf("status %d err %v location %q", r.Status, r.Err, r.Header.Get("Location"))
	}
	if len(r.Redirects) != 0 {
		t.Errorf("no redirect was followed, yet %d recorded", len(r.Redirects))
	}
}

// An error status of a request with credentials carries no hint about
// public documents, and offline forbids Do as it forbids Fetch.
func TestDo_ErrorsAndOffline(t *testing.T) {
	srv := testkit.StartTLS(t, []string{msHost}, testkit.Routes{
		"/token": {Status: 401, ContentType: "application/json", Body: []byte(`{"error":"invalid_client"}`)},
	})
	c := client(t, netx.Options{ConnectTo: srv.ConnectTo, CAFile: srv.CAFile, Timeout: 5 * time.Second})
	r := c.Do(context.Background(), netx.Request{Method: http.MethodPost, URL: "https://" + msHost + "/token", Header: http.Header{"Authorization": {"Basic x"}}})
	if r.Err == nil || r.Err.Status != 401 || r.Err.Hint != "" || string(r.Body) != `{"error":"invalid_client"}` {
		t.Fatalf("err %+v body %q", r.Err, r.Body)
	}
	off := client(t, netx.Options{Offline: true})
	if r := off.Do(context.Background(), netx.Request{URL: "https://" + msHost + "/token"}); r.Err == nil || r.Err.Stage != netx.StageOffline {
		t.Errorf("offline: %+v", r.Err)
	}
}
