// Package cmdutil holds what every command shares: streams, global
// options, input reading and the error kinds that map to exit codes.
package cmdutil

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/mattn/go-isatty"
	"golang.org/x/term"
)

// IOStreams are the injected standard streams.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// InTTY is true when In is an interactive terminal (reading it would
	// wait for a person); OutTTY/ErrTTY decide colour and progress.
	InTTY, OutTTY, ErrTTY bool
	// Getenv reads the environment (injected for tests).
	Getenv func(string) string
	// TermWidth asks the terminal for its width in columns (0 when it
	// cannot tell); nil in tests, which set COLUMNS instead.
	TermWidth func() int
}

// System returns the process's streams.
func System() *IOStreams {
	tty := func(f *os.File) bool { return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()) }
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		InTTY: tty(os.Stdin), OutTTY: tty(os.Stdout), ErrTTY: tty(os.Stderr), Getenv: os.Getenv,
		TermWidth: terminalWidth}
}

// terminalWidth asks stdout's terminal, then stderr's, for its width.
func terminalWidth() int {
	for _, f := range []*os.File{os.Stdout, os.Stderr} {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return 0
}

// Width is the width text on stdout is wrapped to: 0 (never wrap) when
// stdout is not a terminal, else COLUMNS when it is set to a number (as
// for ls and man), else the terminal's own width. Asked only when text is
// written, so a piped run never queries the terminal.
func (s *IOStreams) Width() int { return s.width(s.OutTTY) }

// ErrWidth is Width for stderr (notes and progress).
func (s *IOStreams) ErrWidth() int { return s.width(s.ErrTTY) }

func (s *IOStreams) width(tty bool) int {
	if !tty {
		return 0
	}
	if s.Getenv != nil {
		if n, err := strconv.Atoi(strings.TrimSpace(s.Getenv("COLUMNS"))); err == nil && n > 0 {
			return n
		}
	}
	if s.TermWidth != nil {
		return s.TermWidth()
	}
	return 0
}

// Globals are the flags every command understands.
type Globals struct {
	Output string // text|json|sarif
	FailOn string // error|warning|info|never
	Color  string // auto|always|never
	NowRaw string
	Leeway time.Duration
	// Quiet prints only a report's verdict line (-q), for scripts that
	// want one line and the exit code.
	Quiet bool

	// Now is the evaluation instant (--now, or the clock when unset).
	Now time.Time
}

// FailThreshold is the severity at or above which the exit code is 1;
// 0 means never.
func (g *Globals) FailThreshold() engine.Severity {
	if g.FailOn == "never" {
		return 0
	}
	s, _ := engine.ParseSeverity(g.FailOn)
	return s
}

// Validate checks and resolves the global flags.
// The --output value is checked per command, against the command's
// OutputsAnnotation, before this runs.
func (g *Globals) Validate(clock func() time.Time) error {
	if g.Quiet && g.Output != "text" {
		return Usagef("--quiet prints only the verdict line of the text report: it cannot be combined with --output %s", g.Output)
	}
	switch g.FailOn {
	case "error", "warning", "info", "never":
	default:
		return Usagef("--fail-on must be error, warning, info or never, not %q", g.FailOn)
	}
	switch g.Color {
	case "auto", "always", "never":
	default:
		return Usagef("--color must be auto, always or never, not %q", g.Color)
	}
	if g.Leeway < 0 {
		return Usagef("--leeway must not be negative")
	}
	if g.NowRaw != "" {
		t, err := time.Parse(time.RFC3339, g.NowRaw)
		if err != nil {
			return Usagef("--now %q is not an RFC 3339 time such as 2024-11-05T14:03:00Z", g.NowRaw)
		}
		g.Now = t.UTC()
	} else {
		g.Now = clock().UTC()
	}
	return nil
}

// ColorFor decides colour for a stream: --color always/never win; auto is
// on for a terminal unless NO_COLOR is set or TERM is dumb.
func ColorFor(mode string, isTTY bool, getenv func(string) string) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if getenv != nil && (getenv("NO_COLOR") != "" || getenv("TERM") == "dumb") {
		return false
	}
	return isTTY
}

// UsageError is a bad flag or argument: exit code 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef makes a UsageError.
func Usagef(format string, a ...any) error {
	return &UsageError{fmt.Errorf(format, a...)}
}

// JobError means the tool could not do its job (unreadable input,
// unwritable output, internal error): exit code 3.
type JobError struct{ Err error }

func (e *JobError) Error() string { return e.Err.Error() }
func (e *JobError) Unwrap() error { return e.Err }

// Jobf makes a JobError.
func Jobf(format string, a ...any) error { return &JobError{fmt.Errorf(format, a...)} }

// FindingsError says the report holds a finding at or above --fail-on:
// exit code 1. Its message is empty: the report already said everything.
type FindingsError struct{ Worst engine.Severity }

func (e *FindingsError) Error() string {
	return "findings at or above --fail-on (" + e.Worst.String() + ")"
}

// Exit codes of design.md.
const (
	ExitOK          = 0
	ExitFindings    = 1
	ExitUsage       = 2
	ExitJob         = 3
	ExitInterrupted = 130
)

// ErrInterrupted is returned when the user pressed Ctrl-C.
var ErrInterrupted = errors.New("interrupted")
