package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit/oidcprovider"
)

var (
	// bin is the authdoctor binary built from this tree by TestMain.
	bin string
	// op is the provider every read-only case shares (plain HTTP on
	// loopback, keys never rotated).
	op *oidcprovider.Provider

	// tlsOp is the https variant, started on first use.
	tlsOnce sync.Once
	tlsOp   *oidcprovider.Provider
	tlsErr  error
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	root, err := oidcprovider.RepoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	tmp, err := os.MkdirTemp("", "authdoctor-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)

	// Build the real binary, as a user would.
	bin = filepath.Join(tmp, "authdoctor")
	build := exec.Command("go", "build", "-o", bin, "./cmd/authdoctor")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "integration: go build ./cmd/authdoctor: %v\n%s", err, out)
		return 1
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	op, err = oidcprovider.Start(ctx, oidcprovider.Options{})
	if err != nil {
		fmt.Fprintf(os.Stderr, "integration: the real OpenID provider did not start:\n%v\n", err)
		return 1
	}
	defer op.Close()
	defer func() {
		if tlsOp != nil {
			tlsOp.Close()
		}
		loginCleanup()
	}()
	return m.Run()
}

// tlsProvider is the https variant: issuer https://op.authdoctor.test:PORT
// with a certificate from a test CA, reached through --connect-to.
func tlsProvider(t *testing.T) *oidcprovider.Provider {
	t.Helper()
	tlsOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		tlsOp, tlsErr = oidcprovider.Start(ctx, oidcprovider.Options{TLS: true, IssuerHost: "op.authdoctor.test"})
	})
	if tlsErr != nil {
		t.Fatal(tlsErr)
	}
	return tlsOp
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// result is one run of the binary.
type result struct {
	args   []string
	code   int
	stdout string
	stderr string
	doc    *document // parsed when run with -o json
}

type evidence struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type finding struct {
	ID       string     `json:"id"`
	Severity string     `json:"severity"`
	Message  string     `json:"message"`
	Evidence []evidence `json:"evidence"`
	Fix      string     `json:"fix"`
}

type document struct {
	SchemaVersion int       `json:"schemaVersion"`
	Command       string    `json:"command"`
	Findings      []finding `json:"findings"`
	Skipped       []struct {
		ID     string `json:"id"`
		Reason string `json:"reason"`
	} `json:"skipped"`
	Summary map[string]int  `json:"summary"`
	Result  json.RawMessage `json:"result"`
}

// run executes the binary with args (stdin optional) in a clean
// environment: no colour, no proxy.
func run(t *testing.T, stdin string, args ...string) *result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY":
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env, "NO_COLOR=1")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := &result{args: args, stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("running %s: %v", bin, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("authdoctor %s did not finish within 60s", strings.Join(args, " "))
	}
	t.Logf("authdoctor %s → exit %d in %s", strings.Join(redactArgs(args), " "), r.code, time.Since(start).Round(time.Millisecond))
	for i, a := range args {
		if (a == "-o" || a == "--output") && i+1 < len(args) && args[i+1] == "json" {
			r.doc = &document{}
			if err := json.Unmarshal(out.Bytes(), r.doc); err != nil {
				t.Fatalf("stdout of %v is not one JSON document: %v\n%s\nstderr:\n%s", args, err, out.String(), errb.String())
			}
		}
	}
	return r
}

// redactArgs shortens JWTs in logged command lines.
func redactArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.Count(a, ".") == 2 && len(a) > 80 {
			a = a[:20] + "…"
		}
		out[i] = a
	}
	return out
}

func (r *result) String() string {
	return fmt.Sprintf("authdoctor %s\nexit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(redactArgs(r.args), " "), r.code, r.stdout, r.stderr)
}

// ids lists the finding IDs.
func (r *result) ids() []string {
	var out []string
	for _, f := range r.doc.Findings {
		out = append(out, f.ID)
	}
	return out
}

// find returns the first finding with this ID.
func (r *result) find(id string) (finding, bool) {
	for _, f := range r.doc.Findings {
		if f.ID == id {
			return f, true
		}
	}
	return finding{}, false
}

// errorIDs lists the IDs of error-severity findings.
func (r *result) errorIDs() []string {
	var out []string
	for _, f := range r.doc.Findings {
		if f.Severity == "error" {
			out = append(out, f.ID)
		}
	}
	return out
}

// wantExit fails unless the exit code is code.
func (r *result) wantExit(t *testing.T, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\n%s", r.code, code, r)
	}
}

// writeFile writes data into the test's temp dir and returns "@path".
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return "@" + p
}

// rfc3339 formats a Unix time for --now.
func rfc3339(sec int64) string { return time.Unix(sec, 0).UTC().Format(time.RFC3339) }

func parseJWT(t *testing.T, token string) *oidcprovider.JWT {
	t.Helper()
	j, err := oidcprovider.ParseJWT(token)
	if err != nil {
		t.Fatal(err)
	}
	return j
}
