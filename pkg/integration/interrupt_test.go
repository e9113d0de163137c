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
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// The request reaching the server means the fetch has begun, and the
	// Ctrl-C watcher is armed before any fetch.
	for srv.Requests() == 0 {
		select {
		case err := <-done:
			t.Fatalf("ended before fetching: %v\n%s", err, stderr.String())
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
			t.Fatalf("exit %v, want code 130\n%s", err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "authdoctor: interrupted") {
			t.Errorf("stderr lacks the interruption:\n%s", stderr.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("still running 30 s after Ctrl-C (the fetch timeout is 60 s)")
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
