package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/authdoctor/authdoctor/pkg/batch"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/interrupt"
)

// OpenStream opens a line-oriented input as a stream (never read whole):
// @FILE, or stdin ("-" or nothing). what names the mode in messages.
func OpenStream(ios *IOStreams, args []string, what string) (io.Reader, func(), error) {
	arg := ""
	if len(args) > 0 {
		arg = args[0]
	}
	switch {
	case len(arg) > 1 && arg[0] == '@':
		f, err := os.Open(arg[1:])
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil, Jobf("cannot read %s: no such file", arg[1:])
			}
			return nil, nil, Jobf("cannot read %s: %v", arg[1:], err)
		}
		return f, func() { f.Close() }, nil
	case arg == "" || arg == "-":
		if ios.InTTY && arg == "" {
			return nil, nil, Usagef("%s reads one token per line from stdin or @FILE: pipe them in", what)
		}
		return ios.In, func() {}, nil
	}
	return nil, nil, Usagef("%s takes @FILE or stdin, not a token argument", what)
}

// RunBatch runs a per-line job over a stream (see pkg/batch), prints the
// closing summary on stderr and returns a FindingsError when a line's
// worst finding reaches --fail-on (0: never).
func RunBatch(ctx context.Context, ios *IOStreams, r io.Reader, job batch.Job, failOn engine.Severity) error {
	start := time.Now()
	interrupt.Arm(ctx) // a stream may be long: Ctrl-C flushes what is done and says so
	sum, err := batch.Run(ctx, r, ios.Out, 0, job)
	if err != nil {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		return Jobf("batch: %v", err)
	}
	fmt.Fprintf(ios.ErrOut, "authdoctor: %s, in %s\n", sum, time.Since(start).Round(time.Millisecond))
	if failOn != 0 && engine.Severity(sum.Worst) >= failOn {
		return &FindingsError{Worst: engine.Severity(sum.Worst)}
	}
	return nil
}
