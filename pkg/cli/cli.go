// Package cli wires the commands together and maps errors to exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cmd/checks"
	"github.com/authdoctor/authdoctor/pkg/cmd/configshow"
	"github.com/authdoctor/authdoctor/pkg/cmd/discovery"
	"github.com/authdoctor/authdoctor/pkg/cmd/doctor"
	"github.com/authdoctor/authdoctor/pkg/cmd/explain"
	"github.com/authdoctor/authdoctor/pkg/cmd/issuercmd"
	"github.com/authdoctor/authdoctor/pkg/cmd/jwks"
	"github.com/authdoctor/authdoctor/pkg/cmd/lint"
	"github.com/authdoctor/authdoctor/pkg/cmd/login"
	"github.com/authdoctor/authdoctor/pkg/cmd/roles"
	"github.com/authdoctor/authdoctor/pkg/cmd/token"
	"github.com/authdoctor/authdoctor/pkg/cmd/urlcmd"
	"github.com/authdoctor/authdoctor/pkg/cmd/verify"
	"github.com/authdoctor/authdoctor/pkg/cmd/versioncmd"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/interrupt"
	"github.com/spf13/cobra"
)

// Main runs the program with the process's arguments and streams and
// returns the exit code.
func Main() int {
	ctx, release := interrupt.WithWatcher(context.Background())
	defer release()
	return Run(ctx, os.Args[1:], cmdutil.System(), time.Now)
}

// Run executes one command line. It never panics: an internal error is
// reported in one line with exit code 3.
func Run(ctx context.Context, args []string, io *cmdutil.IOStreams, clock func() time.Time) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(io.ErrOut, "authdoctor: internal error: %v\n", r)
			code = cmdutil.ExitJob
		}
	}()
	f := &cmdutil.Factory{IO: io, G: &cmdutil.Globals{}, Clock: clock}
	root := newRootFor(f, args)
	root.SetArgs(args)
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	err := root.ExecuteContext(ctx)
	if err == nil && ctx.Err() != nil {
		err = cmdutil.ErrInterrupted
	}
	return report(io, root, err, ctx)
}

// commands are the top-level commands, each built by its constructor.
// A run of one command builds only that command: building all thirteen
// with their flags took `authdoctor token` from about 450 to 510
// first-touch page faults, which dominate its start-up (#9).
var commands = []struct {
	name string
	new  func(*cmdutil.Factory) *cobra.Command
}{
	{"doctor", func(f *cmdutil.Factory) *cobra.Command { return doctor.NewCmd(f, nil) }},
	{"token", func(f *cmdutil.Factory) *cobra.Command { return token.NewCmd(f, nil) }},
	{"verify", func(f *cmdutil.Factory) *cobra.Command { return verify.NewCmd(f, nil) }},
	{"discovery", func(f *cmdutil.Factory) *cobra.Command { return discovery.NewCmd(f, nil) }},
	{"jwks", func(f *cmdutil.Factory) *cobra.Command { return jwks.NewCmd(f, nil) }},
	{"issuer", func(f *cmdutil.Factory) *cobra.Command { return issuercmd.NewCmd(f, nil) }},
	{"url", func(f *cmdutil.Factory) *cobra.Command { return urlcmd.NewCmd(f, nil) }},
	{"lint", func(f *cmdutil.Factory) *cobra.Command { return lint.NewCmd(f, nil) }},
	{"config", func(f *cmdutil.Factory) *cobra.Command { return configshow.NewCmd(f, nil) }},
	{"roles", func(f *cmdutil.Factory) *cobra.Command { return roles.NewCmd(f, nil) }},
	{"login", func(f *cmdutil.Factory) *cobra.Command { return login.NewCmd(f, nil) }},
	{"checks", func(f *cmdutil.Factory) *cobra.Command { return checks.NewCmd(f, nil) }},
	{"explain", func(f *cmdutil.Factory) *cobra.Command { return explain.NewCmd(f, nil) }},
	{"version", func(f *cmdutil.Factory) *cobra.Command { return versioncmd.NewCmd(f, nil) }},
}

// NewRoot builds the whole command tree, with the completion of flag
// and argument values (complete.go).
func NewRoot(f *cmdutil.Factory) *cobra.Command {
	root := newRootShell(f)
	for _, c := range commands {
		root.AddCommand(c.new(f))
	}
	wrapRunE(root)
	registerCompletions(root)
	return root
}

// newRootFor builds the tree a command line needs: when its first
// argument that is not a root flag names a command, only that command;
// otherwise (help, completion, an unknown or no command) the whole tree,
// so that listings and suggestions are complete.
func newRootFor(f *cmdutil.Factory, args []string) *cobra.Command {
	root := newRootShell(f)
	name := commandName(root, args)
	for _, c := range commands {
		if c.name == name {
			// completion and __complete name no command here, so the
			// default completion command is not needed either.
			root.CompletionOptions.DisableDefaultCmd = true
			root.AddCommand(c.new(f))
			wrapRunE(root)
			return root
		}
	}
	return NewRoot(f)
}

// commandName is the first argument that is neither a root flag nor a
// root flag's value, or "" when there is none before "--".
func commandName(root *cobra.Command, args []string) string {
	pf := root.PersistentFlags()
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return ""
		case strings.HasPrefix(a, "--"):
			if fl := pf.Lookup(strings.TrimPrefix(a, "--")); fl != nil && fl.NoOptDefVal == "" {
				i++ // --flag VALUE
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			// -o VALUE; "-ojson" carries its value
			if fl := pf.ShorthandLookup(a[len(a)-1:]); len(a) == 2 && fl != nil && fl.NoOptDefVal == "" {
				i++
			}
		default:
			return a
		}
	}
	return ""
}

// newRootShell is the root command with its persistent flags and no
// subcommands.
func newRootShell(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "authdoctor",
		Short: "Find the root cause of OAuth / OpenID Connect / JWKS misconfiguration",
		Long: `authdoctor finds the root cause of OAuth / OpenID Connect / JWKS misconfiguration,
first of all for Apache Airflow and Superset (Flask-AppBuilder) signing in with
Azure Entra ID, Keycloak, Okta, Google or any OpenID provider.

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage error,
3 could not do the job, 130 interrupted.`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: false},
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(cmd, f.G.Output); err != nil {
				return err
			}
			return f.G.Validate(f.Clock)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVarP(&f.G.Output, "output", "o", "text", "output format: text, json (sarif where findings have file locations)")
	pf.StringVar(&f.G.FailOn, "fail-on", "error", "exit 1 when a finding is at or above: error, warning, info, never")
	pf.StringVar(&f.G.Color, "color", "auto", "colour: auto (on for a terminal unless NO_COLOR is set), always, never")
	pf.StringVar(&f.G.NowRaw, "now", "", "evaluate times as of this RFC 3339 instant instead of the clock")
	pf.DurationVar(&f.G.Leeway, "leeway", 60*time.Second, "clock-skew leeway for exp, nbf and iat")
	pf.BoolVarP(&f.G.Quiet, "quiet", "q", false, "print only the report's verdict line, no notes (for scripts; exit codes unchanged)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &cmdutil.UsageError{Err: err}
	})

	return root
}

// checkOutput refuses an --output value the command does not produce.
func checkOutput(cmd *cobra.Command, out string) error {
	allowed := outputsOf(cmd)
	if slices.Contains(allowed, out) {
		return nil
	}
	return cmdutil.Usagef("%s does not support --output %s (choose from %s)", cmd.CommandPath(), out, strings.Join(allowed, ", "))
}

// wrapRunE makes every error a command returns typed: an untyped error
// from a command is a job failure (3); untyped errors from cobra itself
// (unknown command, wrong argument count) are usage errors (2).
func wrapRunE(c *cobra.Command) {
	if c.RunE != nil {
		inner := c.RunE
		c.RunE = func(cmd *cobra.Command, args []string) error {
			err := inner(cmd, args)
			var u *cmdutil.UsageError
			var j *cmdutil.JobError
			var fe *cmdutil.FindingsError
			if err == nil || errors.As(err, &u) || errors.As(err, &j) || errors.As(err, &fe) ||
				errors.Is(err, cmdutil.ErrInterrupted) || errors.Is(err, context.Canceled) {
				return err
			}
			return &cmdutil.JobError{Err: err}
		}
	}
	for _, sub := range c.Commands() {
		wrapRunE(sub)
	}
}

// ExitCode maps an error to the exit codes of design.md; this is the only
// place that does.
func ExitCode(err error) int {
	var u *cmdutil.UsageError
	var j *cmdutil.JobError
	var fe *cmdutil.FindingsError
	switch {
	case err == nil:
		return cmdutil.ExitOK
	case errors.Is(err, cmdutil.ErrInterrupted), errors.Is(err, context.Canceled):
		return cmdutil.ExitInterrupted
	case errors.As(err, &fe):
		return cmdutil.ExitFindings
	case errors.As(err, &j):
		return cmdutil.ExitJob
	case errors.As(err, &u):
		return cmdutil.ExitUsage
	}
	return cmdutil.ExitUsage // cobra's own errors: unknown command, argument count
}

func report(io *cmdutil.IOStreams, root *cobra.Command, err error, ctx context.Context) int {
	if ctx.Err() != nil && err != nil {
		err = cmdutil.ErrInterrupted
	}
	code := ExitCode(err)
	switch code {
	case cmdutil.ExitOK, cmdutil.ExitFindings:
	case cmdutil.ExitInterrupted:
		fmt.Fprintln(io.ErrOut, "authdoctor: interrupted")
	case cmdutil.ExitUsage:
		fmt.Fprintf(io.ErrOut, "authdoctor: %v\n", err)
		fmt.Fprintln(io.ErrOut, "Run 'authdoctor --help' for usage.")
	default:
		fmt.Fprintf(io.ErrOut, "authdoctor: %v\n", err)
	}
	return code
}
