package cmdutil

import (
	"context"
	"time"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/interrupt"
	"github.com/authdoctor/authdoctor/pkg/logscan"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/authdoctor/authdoctor/pkg/triage"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// ScanFlags are the flags of --scan (verify and token).
type ScanFlags struct {
	Scan     bool
	Every    time.Duration
	LineTime bool
	everySet func() bool
}

// BindScanFlags adds --scan and its options.
func BindScanFlags(fs *pflag.FlagSet, s *ScanFlags, what string) {
	fs.BoolVar(&s.Scan, "scan", false, "find every token in log files (FILE…, globs, .gz, or - for stdin) and "+what+" each distinct one once; a summary by cause (-o json: one object per token found, then the summary)")
	fs.DurationVar(&s.Every, "summary-every", 10*time.Second, "with --scan on a terminal: print the summary this often while the input lasts (0: only at the end)")
	fs.BoolVar(&s.LineTime, "line-time", true, "with --scan: judge exp/nbf/iat as of each line's own timestamp (RFC 3339, nginx/Apache, syslog; no zone means UTC) when it has one, else as of --now")
	s.everySet = func() bool { return fs.Changed("summary-every") }
}

// Args is the positional-argument rule of a command with --scan: log
// files with --scan, else at most one token (FILE, @FILE or -).
func (s *ScanFlags) Args(cmd *cobra.Command, args []string) error {
	if s.Scan {
		return nil
	}
	return cobra.MaximumNArgs(1)(cmd, args)
}

// Stream runs --batch or --scan when one is given (both is a usage error);
// ran is false when the command reads one input of tokens instead.
func (s ScanFlags) Stream(batch bool, runBatch, runScan func() error) (ran bool, err error) {
	switch {
	case batch && s.Scan:
		return true, Usagef("give --batch (one token per line) or --scan (tokens anywhere in logs), not both")
	case batch:
		return true, runBatch()
	case s.Scan:
		return true, runScan()
	}
	return false, nil
}

// ScanInputs resolves the files of a scan: an unreadable one is an input
// error (exit 3), stdin on a terminal a usage error.
func ScanInputs(ios *IOStreams, args []string) ([]logscan.Input, error) {
	if len(args) == 0 && ios.InTTY {
		return nil, Usagef("--scan reads log files (FILE…) or stdin: give files, or pipe a log in (kubectl logs -f POD | authdoctor verify --scan -)")
	}
	ins, err := logscan.Inputs(args)
	if err != nil {
		return nil, Jobf("cannot read %v", err)
	}
	return ins, nil
}

// RunScan runs a scan (pkg/triage) with the command's checker: NDJSON with
// -o json, else the text summary; on a terminal a progress line on stderr
// and, on stdout, a summary every --summary-every while a stream lasts.
// Ctrl-C ends it with the summary of what was read (exit 130).
func RunScan(ctx context.Context, b Base, s ScanFlags, ins []logscan.Input, check triage.Checker) error {
	ios, g, reg := b.IO, b.G, b.Reg
	if g.Output == "sarif" {
		return Usagef("--scan writes text or JSON lines; -o sarif does not apply")
	}
	o := triage.Options{Inputs: ins, Stdin: ios.In, Now: g.Now, Leeway: g.Leeway, LineTime: s.LineTime, JSON: g.Output == "json",
		CheckName: func(id string) string {
			if c, ok := reg.Get(id); ok {
				return c.Name
			}
			return id
		}}
	o.Out = ios.Out
	if !o.JSON {
		// The summary quotes kids, issuers and audiences from tokens.
		o.Out = render.NewPrinter(ios.Out, false).W
	}
	if ios.OutTTY || (s.everySet != nil && s.everySet()) {
		o.Every = s.Every
	}
	if ios.ErrTTY {
		o.Progress = ios.ErrOut
	}
	interrupt.Arm(ctx) // a stream may be endless: Ctrl-C ends it with the summary
	sum, err := triage.Run(ctx, o, check)
	switch {
	case ctx.Err() != nil:
		return ErrInterrupted
	case err != nil:
		return Jobf("%v", err)
	}
	if t := g.FailThreshold(); t != 0 && engine.Severity(sum.Worst()) >= t {
		return &FindingsError{Worst: engine.Severity(sum.Worst())}
	}
	return nil
}
