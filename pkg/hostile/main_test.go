//go:build linux

package hostile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
)

// bin is the authdoctor binary built from this tree by TestMain; spawn
// is the helper (testdata/rusage) every run goes through, to measure the
// child's own peak RSS.
var bin, spawn string

// killAfter bounds every run of the binary: a run still going after this
// long is a hang, and a failure.
const killAfter = 20 * time.Second

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	root, err := repoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		return 1
	}
	tmp, err := os.MkdirTemp("", "authdoctor-hostile-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	bin = filepath.Join(tmp, "authdoctor")
	spawn = filepath.Join(tmp, "rusage")
	for out, pkg := range map[string]string{bin: "./cmd/authdoctor", spawn: "./pkg/hostile/testdata/rusage"} {
		build := exec.Command("go", "build", "-o", out, pkg)
		build.Dir = root
		if b, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "hostile: go build %s: %v\n%s", pkg, err, b)
			return 1
		}
	}
	return m.Run()
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// result is one run of the binary.
type result struct {
	args   []string
	code   int
	stdout string
	stderr string
	wall   time.Duration
	// maxRSS is the process's peak resident set size in bytes
	// (getrusage ru_maxrss of the child, taken by testdata/rusage).
	maxRSS int64
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
}

type document struct {
	Command  string    `json:"command"`
	Findings []finding `json:"findings"`
	Skipped  []struct {
		ID     string `json:"id"`
		Reason string `json:"reason"`
	} `json:"skipped"`
	Result json.RawMessage `json:"result"`
}

// runOpts tune one run.
type runOpts struct {
	stdin string
	dir   string   // working directory (default: a fresh temp dir)
	env   []string // extra KEY=VALUE
	// killAfter overrides the package's bound (tests of the harness).
	killAfter time.Duration
}

// run executes the binary in a clean environment (no proxy, no colour,
// HOME in a temp dir) and kills it after killAfter, which fails the test.
//
// It goes through the small testdata/rusage helper: Linux starts a
// child's ru_maxrss at the peak of the process it was forked from (Go
// forks with CLONE_VM), so measured straight from this test process the
// figure would be this process's peak, not authdoctor's.
func run(t *testing.T, o runOpts, args ...string) *result {
	t.Helper()
	r, killed := start(t, o, args...)
	if killed {
		t.Fatalf("authdoctor %s hung: killed after %s\nstdout:\n%s\nstderr:\n%s", strings.Join(short(args), " "), killAfter, r.stdout, r.stderr)
	}
	return r
}

// start runs the binary and reports whether it had to be killed.
func start(t *testing.T, o runOpts, args ...string) (*result, bool) {
	t.Helper()
	limit := killAfter
	if o.killAfter > 0 {
		limit = o.killAfter
	}
	rusageOut := filepath.Join(t.TempDir(), "maxrss")
	cmd := exec.Command(spawn, append([]string{bin}, args...)...)
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "HOME":
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(append(env, "NO_COLOR=1", "HOME="+t.TempDir(), "RUSAGE_OUT="+rusageOut), o.env...)
	cmd.Dir = o.dir
	if cmd.Dir == "" {
		cmd.Dir = t.TempDir()
	}
	cmd.Stdin = strings.NewReader(o.stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	// Killing the helper kills authdoctor (Pdeathsig); should anything
	// still hold the output pipes, Wait gives up after this.
	cmd.WaitDelay = 5 * time.Second
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	var killed atomic.Bool
	timer := time.AfterFunc(limit, func() {
		killed.Store(true)
		cmd.Process.Kill()
	})
	err := cmd.Wait()
	timer.Stop()
	r := &result{args: args, stdout: out.String(), stderr: errb.String(), wall: time.Since(begin)}
	if killed.Load() {
		return r, true
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("running %s: %v", bin, err)
	}
	kb, err := os.ReadFile(rusageOut)
	if err != nil {
		t.Fatalf("no peak RSS from the rusage helper: %v\n%s", err, r)
	}
	n, err := strconv.ParseInt(string(kb), 10, 64)
	if err != nil {
		t.Fatalf("rusage helper wrote %q", kb)
	}
	r.maxRSS = n * 1024 // ru_maxrss is in kilobytes on Linux
	for i, a := range args {
		if (a == "-o" || a == "--output") && i+1 < len(args) && args[i+1] == "json" && slices.Contains(args, "--scan") {
			// --scan -o json writes JSON lines: one per token, then the summary.
			for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
				if !json.Valid([]byte(l)) {
					t.Fatalf("stdout of authdoctor %s is not JSON lines: %q\nstderr:\n%s", strings.Join(short(args), " "), l, r.stderr)
				}
			}
		} else if (a == "-o" || a == "--output") && i+1 < len(args) && args[i+1] == "json" {
			r.doc = &document{}
			if err := json.Unmarshal(out.Bytes(), r.doc); err != nil {
				t.Fatalf("stdout of authdoctor %s is not one JSON document: %v\n%s\nstderr:\n%s", strings.Join(short(args), " "), err, r.stdout, r.stderr)
			}
		}
	}
	return r, false
}

// short abbreviates long arguments (tokens) for logs.
func short(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if len(a) > 60 {
			a = a[:24] + "…"
		}
		out[i] = a
	}
	return out
}

func (r *result) String() string {
	return fmt.Sprintf("authdoctor %s\nexit %d after %s\nstdout:\n%s\nstderr:\n%s", strings.Join(short(r.args), " "), r.code, r.wall.Round(time.Millisecond), r.stdout, r.stderr)
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

func (r *result) ids() []string {
	var out []string
	for _, f := range r.doc.Findings {
		out = append(out, f.ID)
	}
	return out
}

func (f finding) evidence(key string) string {
	for _, e := range f.Evidence {
		if e.Key == key {
			return e.Value
		}
	}
	return ""
}

// mib formats a byte count.
func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// TestHarnessKillsAHang makes sure the bound on runs works, so that a hang
// fails the suite instead of stalling it: a discovery of a server that
// never handshakes, with a --timeout longer than the bound, is killed at
// the bound, and authdoctor goes with the helper.
func TestHarnessKillsAHang(t *testing.T) {
	dead := testkit.StartStalled(t, []string{host})
	args := append([]string{"discovery", issuerURL, "--timeout", "1m"}, dead.Args()...)
	r, killed := start(t, runOpts{killAfter: 2 * time.Second}, args...)
	if !killed {
		t.Fatalf("the run was not killed\n%s", r)
	}
	if r.wall > 10*time.Second {
		t.Fatalf("the killed run returned after %s", r.wall)
	}
	// authdoctor itself is gone (Pdeathsig), not left behind.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if !running(t, bin) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("authdoctor is still running after its helper was killed")
}

// running reports whether a process of this executable is alive (Linux
// /proc).
func running(t *testing.T, exe string) bool {
	t.Helper()
	procs, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil || len(procs) == 0 {
		t.Fatalf("cannot list processes in /proc: %v", err)
	}
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if argv0, _, _ := strings.Cut(string(b), "\x00"); argv0 == exe {
			return true
		}
	}
	return false
}
