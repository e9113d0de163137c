package login

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/authdoctor/authdoctor/pkg/testkit/entra"
)

const (
	tenant = "0b5c7a1e-2f3d-4c8a-9e61-5d7f3a2b1c90"
	client = "7e2d4c6a-1b3f-4a5e-8c9d-0f1e2d3c4b5a"
	secret = "s3cr3t-value-planted"
)

// outcome is one login run, in process.
type outcome struct {
	code           int
	err            error
	stdout, stderr string
	doc            struct {
		Findings []struct {
			ID, Severity, Message string
			Evidence              []struct{ Key, Value string }
		} `json:"findings"`
		Result struct {
			Verdict string `json:"verdict"`
			Steps   []struct {
				Name, Status, Why, Detail string
			} `json:"steps"`
			Failure *struct {
				Step, Log, Page, Check string
				Raised                 *struct{ Class, Message string }
			} `json:"failure"`
			Roles *struct {
				Outcome string   `json:"outcome"`
				Roles   []string `json:"roles"`
			} `json:"roles"`
			Tokens   json.RawMessage          `json:"tokens"`
			UserInfo *struct{ Source string } `json:"userinfo"`
		} `json:"result"`
	}
}

func (r *outcome) has(id string) bool {
	for _, f := range r.doc.Findings {
		if f.ID == id {
			return true
		}
	}
	return false
}

func (r *outcome) ids() []string {
	var out []string
	for _, f := range r.doc.Findings {
		out = append(out, f.ID+":"+f.Severity)
	}
	return out
}

func (r *outcome) step(name string) string {
	for _, s := range r.doc.Result.Steps {
		if s.Name == name {
			return s.Status
		}
	}
	return ""
}

func (r *outcome) String() string {
	return fmt.Sprintf("exit %d (%v)\nstdout:\n%s\nstderr:\n%s", r.code, r.err, r.stdout, r.stderr)
}

// login runs the command with args; browser drives the IdP (nil: none),
// stdin is what is pasted.
func login(t *testing.T, ctx context.Context, browser func(ctx context.Context, url string) error, stdin io.Reader, args ...string) *outcome {
	t.Helper()
	var out, errOut testkit.SyncBuffer
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	ios := &cmdutil.IOStreams{In: stdin, Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }}
	f := &cmdutil.Factory{IO: ios, G: &cmdutil.Globals{Output: "json", FailOn: "error", Color: "never"}, Clock: time.Now}
	for i, a := range args {
		if a == "-o" && i+1 < len(args) {
			f.G.Output = args[i+1]
		}
	}
	args = dropOutput(args)
	if err := f.G.Validate(f.Clock); err != nil {
		t.Fatal(err)
	}
	cmd := NewCmd(f, func(o *Options) error {
		o.Browser = browser
		return run(ctx, o)
	})
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	err := cmd.ExecuteContext(ctx)
	r := &outcome{err: err, stdout: out.String(), stderr: errOut.String()}
	r.code = exitCode(err)
	if f.G.Output == "json" && r.stdout != "" {
		if e := json.Unmarshal([]byte(r.stdout), &r.doc); e != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", e, r)
		}
	}
	if strings.Contains(r.stdout+r.stderr, secret) {
		t.Fatalf("the client secret was printed:\n%s", r)
	}
	return r
}

func dropOutput(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		if args[i] == "-o" {
			i++
			continue
		}
		out = append(out, args[i])
	}
	return out
}

func exitCode(err error) int {
	var fe *cmdutil.FindingsError
	var ue *cmdutil.UsageError
	var je *cmdutil.JobError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &fe):
		return 1
	case errors.As(err, &ue):
		return 2
	case err == cmdutil.ErrInterrupted:
		return 130
	case errors.As(err, &je):
		return 3
	}
	return 3
}

// entraBrowser signs in at the impersonated tenant and follows its
// redirect back to the listener, as the user's browser does.
func entraBrowser(t *testing.T, e *entra.Server) func(context.Context, string) error {
	return func(ctx context.Context, u string) error {
		go func() {
			b := e.Browser()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			resp, err := b.Do(req)
			if err != nil {
				t.Errorf("browser: %v", err)
				return
			}
			resp.Body.Close()
			loc := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusFound || loc == "" {
				return // an error page: the browser stays there
			}
			back, err := http.Get(loc)
			if err != nil {
				t.Errorf("browser back to %s: %v", loc, err)
				return
			}
			back.Body.Close()
		}()
		return nil
	}
}

// azureConfig is an Airflow 3 webserver_config.py for the tenant, as the
// FAB provider docs recommend it (v2 metadata unless changed by mod).
func azureConfig(t *testing.T, mod func(string) string) string {
	t.Helper()
	src := fmt.Sprintf(`import os
from flask_appbuilder.const import AUTH_OAUTH

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Public"
AUTH_ROLES_SYNC_AT_LOGIN = True
AUTH_ROLES_MAPPING = {
    "airflow_admin": ["Admin"],
    "airflow_op": ["Op"],
}
OAUTH_PROVIDERS = [
    {
        "name": "azure",
        "icon": "fa-windows",
        "token_key": "access_token",
        "remote_app": {
            "client_id": %q,
            "client_secret": os.environ.get("AZURE_CLIENT_SECRET"),
            "api_base_url": "https://login.microsoftonline.com/%s/oauth2",
            "server_metadata_url": "https://login.microsoftonline.com/%s/v2.0/.well-known/openid-configuration",
            "client_kwargs": {"scope": "openid email profile", "verify_signature": True},
        },
    }
]
`, client, tenant, tenant)
	if mod != nil {
		src = mod(src)
	}
	p := filepath.Join(t.TempDir(), "webserver_config.py")
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func startEntra(t *testing.T, user map[string]any, redirects ...string) *entra.Server {
	t.Helper()
	if len(redirects) == 0 {
		redirects = []string{"https://airflow.example.com/auth/oauth-authorized/azure", "http://localhost/callback"}
	}
	if user == nil {
		user = map[string]any{"oid": "6a1f0e2d-9c3b-4a85-b7d6-1e2f3a4b5c6d", "name": "Dana Ops", "email": "dana@contoso.example",
			"preferred_username": "dana@contoso.example", "roles": []string{"airflow_op"}}
	}
	return entra.Start(t, entra.Options{Tenant: tenant, ClientID: client, Secret: secret, RedirectURIs: redirects, User: user})
}

// entraArgs are the flags every Entra rehearsal passes.
func entraArgs(e *entra.Server, cfg string, extra ...string) []string {
	args := []string{"--config", cfg, "--flavor", "airflow3", "--no-env", "--env", "AZURE_CLIENT_SECRET=" + secret,
		"--redirect-uri", "http://localhost/callback", "--timeout", "5s", "--wait", "30s", "-o", "json"}
	args = append(args, e.Args()...)
	return append(args, extra...)
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}
