//go:build linux

// Command rusage runs a command with the standard streams passed through
// and writes the child's peak resident set size (getrusage ru_maxrss, in
// kilobytes) to the file named by $RUSAGE_OUT, then exits with the
// child's exit code.
//
// The hostile tests start authdoctor through it because Linux starts a
// child's ru_maxrss at the peak of the process it was forked from: Go's
// os/exec forks with CLONE_VM, so a child started by the (large) test
// process would report the test process's peak. This helper is small, so
// the figure it reports is authdoctor's own.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: rusage COMMAND [ARG...]")
		os.Exit(2)
	}
	// Pdeathsig is tied to the thread that started the child: keep it.
	runtime.LockOSThread()
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
		if code < 0 {
			code = 128 + 9
		}
	default:
		fmt.Fprintln(os.Stderr, "rusage:", err)
		os.Exit(127)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		if out := os.Getenv("RUSAGE_OUT"); out != "" {
			os.WriteFile(out, []byte(strconv.FormatInt(int64(ru.Maxrss), 10)), 0o600)
		}
	}
	os.Exit(code)
}
