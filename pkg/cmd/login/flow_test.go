package login

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pastingBrowser plays the user of a headless machine: the browser runs
// elsewhere, so instead of the redirect reaching the listener, the
// address-bar URL is pasted on stdin. mkURL turns the authorization URL
// into the pasted line.
func pastingBrowser(w *io.PipeWriter, mkURL func(authURL string) string) func(context.Context, string) error {
	return func(_ context.Context, u string) error {
		go func() { _, _ = io.WriteString(w, "not a url\n"+mkURL(u)+"\n") }()
		return nil
	}
}

func query(authURL, key string) string {
	i := strings.Index(authURL, key+"=")
	if i < 0 {
		return ""
	}
	v := authURL[i+len(key)+1:]
	if j := strings.IndexByte(v, '&'); j >= 0 {
		v = v[:j]
	}
	return v
}

// An error the IdP sends back (here pasted from the address bar): authlib
// raises OAuthError before anything else; the AADSTS code is explained as
// authdoctor url explains it (URL001), at the callback step.
func TestLogin_PastedErrorCallback(t *testing.T) {
	e := startEntra(t, nil)
	pr, pw := io.Pipe()
	defer pw.Close()
	r := login(t, ctxT(t), pastingBrowser(pw, func(u string) string {
		return "http://localhost:1/callback?error=access_denied&error_description=AADSTS50105%3A+Your+administrator+has+configured+the+application+to+block+users+unless+they+are+specifically+granted+access.&state=" + query(u, "state")
	}), pr, entraArgs(e, azureConfig(t, nil))...)
	msg, ev := r.finding("URL001")
	if r.code != 1 || r.step("callback URL") != "fail" || !strings.Contains(msg, "AADSTS50105") || ev["AADSTS50105"] == "" {
		t.Fatalf("%v %q\n%s", r.ids(), msg, r)
	}
	f := r.doc.Result.Failure
	if f == nil || f.Raised == nil || f.Raised.Class != "OAuthError" || !strings.HasPrefix(f.Log, "Error authorizing OAuth access token: access_denied: AADSTS50105") {
		t.Errorf("failure %+v", f)
	}
	if !strings.Contains(r.stderr, "paste the whole address-bar URL") {
		t.Errorf("a pasted line that is not the URL gets a hint:\n%s", r.stderr)
	}
}

// A callback whose state is not this request's: authlib finds no saved
// data for it and raises MismatchingStateError (URL007).
func TestCheck_URL007_Fires_StateMismatch(t *testing.T) {
	e := startEntra(t, nil)
	pr, pw := io.Pipe()
	defer pw.Close()
	r := login(t, ctxT(t), pastingBrowser(pw, func(string) string {
		return "http://localhost:1/callback?code=c&state=from-another-tab"
	}), pr, entraArgs(e, azureConfig(t, nil))...)
	_, ev := r.finding("URL007")
	if r.code != 1 || r.step("callback URL") != "fail" || ev["authlib raises"] != "MismatchingStateError: mismatching_state: CSRF Warning! State not equal in request and response." {
		t.Fatalf("%v %v\n%s", r.ids(), ev, r)
	}
}

// Ctrl-C while waiting for the browser ends the run with 130 and closes
// the listener; nothing is reported.
func TestLogin_InterruptWhileWaiting(t *testing.T) {
	e := startEntra(t, nil)
	ctx, cancel := context.WithCancel(ctxT(t))
	var listening string
	r := login(t, ctx, func(_ context.Context, u string) error {
		listening = query(u, "redirect_uri")
		cancel() // the user presses Ctrl-C instead of signing in
		return nil
	}, nil, entraArgs(e, azureConfig(t, nil))...)
	if r.code != 130 || r.stdout != "" {
		t.Fatalf("%s", r)
	}
	if listening == "" {
		t.Fatal("no redirect_uri in the request")
	}
}

// Nobody comes back: the run says what it waited for and how to go on,
// and exits 3 (it could not do its job).
func TestLogin_WaitEnds(t *testing.T) {
	e := startEntra(t, nil)
	args := append(entraArgs(e, azureConfig(t, nil)), "--wait", "10ms")
	r := login(t, ctxT(t), func(context.Context, string) error { return nil }, nil, args...)
	if r.code != 3 || r.err == nil || !strings.Contains(r.err.Error(), "waited 10ms for the browser to come back to http://localhost:") ||
		!strings.Contains(r.err.Error(), "register http://localhost/callback") {
		t.Fatalf("%s", r)
	}
}

// --no-browser prints the URL on stderr, whole, on its own line; the
// browser is then the user's business (here a pasted URL ends the run).
func TestLogin_NoBrowserPrintsTheURL(t *testing.T) {
	e := startEntra(t, nil)
	args := append(entraArgs(e, azureConfig(t, nil)), "--no-browser")
	r := login(t, ctxT(t), func(context.Context, string) error {
		t.Error("--no-browser opened a browser")
		return nil
	}, strings.NewReader("http://localhost:1/callback?code=x&state=y\n"), args...)
	if !strings.Contains(r.stderr, "authdoctor: open this URL in a browser:\n  https://login.microsoftonline.com/"+tenant+"/oauth2/v2.0/authorize?response_type=code&client_id="+client+"&redirect_uri=http%3A%2F%2Flocalhost%3A") {
		t.Fatalf("%s", r)
	}
}

// --save writes the token response (mode 0600), --show-tokens prints it;
// without them no token appears anywhere.
func TestLogin_SaveAndShowTokens(t *testing.T) {
	e := startEntra(t, nil)
	path := filepath.Join(t.TempDir(), "tokens.json")
	r := login(t, ctxT(t), entraBrowser(t, e), nil, append(entraArgs(e, azureConfig(t, nil)), "--save", path, "--show-tokens")...)
	if r.code != 0 {
		t.Fatalf("%s", r)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("saved file: %v %v", st, err)
	}
	b, _ := os.ReadFile(path)
	var saved map[string]any
	if err := json.Unmarshal(b, &saved); err != nil || saved["id_token"] == nil || saved["access_token"] == nil {
		t.Fatalf("saved %s", b)
	}
	var shown map[string]any
	if err := json.Unmarshal(r.doc.Result.Tokens, &shown); err != nil || shown["id_token"] != saved["id_token"] {
		t.Errorf("--show-tokens: %s", r.doc.Result.Tokens)
	}
	if !strings.Contains(r.stderr, "the tokens are printed (--show-tokens)") {
		t.Errorf("stderr %s", r.stderr)
	}
}

// Mistakes in the command line are usage errors (exit 2) naming the
// problem.
func TestLogin_UsageErrors(t *testing.T) {
	cfg := azureConfig(t, nil)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "give --config FILE"},
		{[]string{"--config", cfg, "--issuer", "https://idp.example"}, "not both"},
		{[]string{"--issuer", "https://idp.example"}, "--client-id"},
		{[]string{"--config", cfg, "--scope", "openid"}, "--scope is for --issuer"},
		{[]string{"--config", cfg, "--redirect-uri", "https://airflow.example.com/cb"}, "not a loopback http URL"},
		{[]string{"--config", cfg, "--redirect-uri", "http://airflow.example.com/cb"}, "back to this machine"},
		{[]string{"--config", cfg, "--provider", "okta", "--no-env"}, `no provider "okta"`},
	} {
		r := login(t, ctxT(t), nil, nil, tc.args...)
		if r.code != 2 || r.err == nil || !strings.Contains(r.err.Error(), tc.want) {
			t.Errorf("%v: exit %d %v, want usage error with %q", tc.args, r.code, r.err, tc.want)
		}
	}
	r := login(t, ctxT(t), nil, nil, "--config", filepath.Join(t.TempDir(), "missing.py"))
	if r.code != 3 || !strings.Contains(r.err.Error(), "missing.py") {
		t.Errorf("a missing config: exit %d %v", r.code, r.err)
	}
}

// Without a config: any OIDC client, from its issuer and client_id (the
// secret from a file, never a flag). The token exchange and authlib's ID
// token checks run as for the app; the userinfo endpoint is called with
// the real access token to show what it says; the FAB steps are not
// checked.
func TestLogin_BareClient(t *testing.T) {
	e := startEntra(t, nil)
	sf := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(sf, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--issuer", e.IssuerV2(), "--client-id", client, "--client-secret-file", sf,
		"--redirect-uri", "http://localhost/callback", "--timeout", "5s", "-o", "json"}, e.Args()...)
	r := login(t, ctxT(t), entraBrowser(t, e), nil, args...)
	if r.code != 0 || r.doc.Result.Verdict != "works" || r.step("id_token parsing") != "ok" || r.step("roles") != "not-checked" {
		t.Fatalf("%v\n%s", r.ids(), r)
	}
	if !strings.Contains(r.stdout, `"email": "dana@contoso.example"`) || !strings.Contains(r.stdout, "graph.microsoft.com/oidc/userinfo") {
		t.Errorf("the userinfo answer is shown:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, `"secretFrom": "--client-secret-file `) {
		t.Errorf("where the secret came from is said")
	}
}

// --offline shows the authorization request the app would send (from the
// config and saved documents), the same every time, and signs nobody in.
func TestLogin_OfflineShowsTheRequest(t *testing.T) {
	t.Chdir("../../..")
	args := []string{"--config", "testdata/examples/incident/webserver_config.py", "--offline", "--no-env", "-o", "json"}
	r := login(t, ctxT(t), func(context.Context, string) error {
		t.Error("--offline opened a browser")
		return nil
	}, nil, args...)
	if r.code != 0 || r.doc.Result.Verdict != "incomplete" || r.step("callback URL") != "not-checked" {
		t.Fatalf("%s", r)
	}
	want := `https://login.microsoftonline.com/4f7b2c1e-3d5a-4e8f-9b61-2a0c7d9e5f13/oauth2/v2.0/authorize?response_type=code\u0026client_id=8c3e5a71-2b9d-4f06-a1e4-6d7f0b2c9a58\u0026redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback\u0026state=000000000000000000000000000000`
	if !strings.Contains(r.stdout, want) {
		t.Errorf("the request:\n%s", r.stdout)
	}
	again := login(t, ctxT(t), nil, nil, args...)
	if again.stdout != r.stdout {
		t.Error("two offline runs differ")
	}
}
