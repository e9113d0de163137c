// Package clitest runs the real authdoctor CLI in-process with buffers.
// It lives apart from testkit because it imports the whole command tree:
// use it from external test packages (package foo_test) to avoid import
// cycles.
package clitest

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cli"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
)

// Options tune one run.
type Options struct {
	// Stdin is the standard input (empty, not a terminal, by default).
	Stdin string
	// Env is the environment seen through IOStreams.Getenv (NO_COLOR …);
	// the process environment is not consulted.
	Env map[string]string
	// Clock defaults to time.Now.
	Clock func() time.Time
	// Ctx defaults to a context cancelled when the test ends.
	Ctx context.Context
	// OutTTY and ErrTTY make stdout and stderr look like terminals
	// (colour by --color auto, wrapping to COLUMNS from Env).
	OutTTY, ErrTTY bool
}

// Result of a run.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// RunCLI runs `authdoctor args...` and returns stdout, stderr and the exit
// code.
func RunCLI(t testing.TB, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	r := Run(t, Options{}, args...)
	return r.Stdout, r.Stderr, r.Code
}

// Run runs the CLI with options.
func Run(t testing.TB, o Options, args ...string) Result {
	t.Helper()
	var out, errOut bytes.Buffer
	env := o.Env
	ios := &cmdutil.IOStreams{
		In:     io.Reader(strings.NewReader(o.Stdin)),
		Out:    &out,
		ErrOut: &errOut,
		Getenv: func(k string) string { return env[k] },
		OutTTY: o.OutTTY,
		ErrTTY: o.ErrTTY,
	}
	clock := o.Clock
	if clock == nil {
		clock = time.Now
	}
	ctx := o.Ctx
	if ctx == nil {
		c, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		ctx = c
	}
	code := cli.Run(ctx, args, ios, clock)
	return Result{Stdout: out.String(), Stderr: errOut.String(), Code: code}
}
