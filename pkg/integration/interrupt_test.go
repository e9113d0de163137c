//go:build unix

package integration

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/testkit"
)

// Ctrl-C during a fetch ends the run at once with "interrupted" and exit
// code 130, well before the fetch's own timeout.
func TestInterruptDuringFetchExits130(t *testing.T) {
	srv := testkit.StartTLS(t, []string{"login.microsoftonline.com"}, testkit.Hang(t))
	args := append([]string{"discovery", "https://login.microsoftonline.com/organizations/v2.0", "--timeout", "60s"}, srv.Args()...)
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The request reaching the server means the fetch has begun, and the
	// Ctrl-C watcher is armed before any fetch.
	interruptWhen(t, cmd, func() bool { return srv.Requests() > 0 }, stderr.String)
	if !strings.Contains(stderr.String(), "authdoctor: interrupted") {
		t.Errorf("stderr lacks the interruption:\n%s", stderr.String())
	}
}

// interruptWhen waits until ready says the started command has reached the
// point under test, sends it Ctrl-C, and checks that it ends with exit code
// 130 within 30 s (every fetch here has a longer timeout); out gives its
// output for a failure's message.
func interruptWhen(t *testing.T, cmd *exec.Cmd, ready func() bool, out func() string) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for !ready() {
		select {
		case err := <-done:
			t.Fatalf("ended before Ctrl-C: %v\n%s", err, out())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 130 {
			t.Fatalf("exit %v, want code 130\n%s", err, out())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("still running 30 s after Ctrl-C")
	}
}

// Until a command fetches or streams, Ctrl-C keeps its default meaning:
// the process ends at once, killed by the signal (a shell reports 130),
// here while it waits for a token on a pipe that never closes.
func TestInterruptWhileReadingStdinEndsTheProcess(t *testing.T) {
	cmd := exec.Command(bin, "token")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	time.Sleep(100 * time.Millisecond) // either way it must end: before or after the runtime starts
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("exit %v, want death by SIGINT", err)
		}
		ws, ok := ee.Sys().(syscall.WaitStatus)
		if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
			t.Fatalf("exit %v, want death by SIGINT", err)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("token still waiting on stdin 30 s after Ctrl-C")
	}
}

// kubectl logs -f … | authdoctor verify --scan -: while the stream stays
// open the summary comes every --summary-every; Ctrl-C ends the run with
// the summary of what was read and exit code 130.
func TestInterruptEndsAScanWithItsSummary(t *testing.T) {
	keys := writeFile(t, "keys.json", testkit.Fixture(t, "rfc/rfc7515-A2-rs256.public-key.json"))
	tok := strings.TrimSpace(string(testkit.Fixture(t, "rfc/rfc7515-A2-rs256.jws")))
	cmd := exec.Command(bin, "verify", "--scan", "-", "--jwks", keys, "--offline", "--now", "2011-03-22T18:00:00Z", "--summary-every", "1s")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var stdout testkit.SyncBuffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stdin.Write([]byte("GET /api Authorization: Bearer " + tok + "\n"))
	// The first periodic summary shows the token was read and the scan
	// (which arms Ctrl-C before it reads) is waiting for more.
	interruptWhen(t, cmd, func() bool { return strings.Contains(stdout.String(), "1 token (1 distinct)") }, stdout.String)
	if !strings.Contains(stdout.String(), "(interrupted: this covers the input read so far)") {
		t.Errorf("no final summary:\n%s", stdout.String())
	}
}
