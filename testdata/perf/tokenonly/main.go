// Command tokenonly is a what-if for the start-up budget of #9: the
// `token` command alone in its own binary (no HTTP, TLS, YAML, Python
// reader or FAB model linked), with the same root flags. It is not
// shipped; measure.sh builds it to show what a separate small binary
// would buy.
package main

import (
	"context"
	"os"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cmd/token"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/spf13/cobra"
)

func main() {
	f := &cmdutil.Factory{IO: cmdutil.System(), G: &cmdutil.Globals{}, Clock: time.Now}
	root := &cobra.Command{Use: "authdoctor", SilenceUsage: true, SilenceErrors: true,
		PersistentPreRunE: func(*cobra.Command, []string) error { return f.G.Validate(f.Clock) }}
	pf := root.PersistentFlags()
	pf.StringVarP(&f.G.Output, "output", "o", "text", "")
	pf.StringVar(&f.G.FailOn, "fail-on", "error", "")
	pf.StringVar(&f.G.Color, "color", "auto", "")
	pf.StringVar(&f.G.NowRaw, "now", "", "")
	pf.DurationVar(&f.G.Leeway, "leeway", time.Minute, "")
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(token.NewCmd(f, nil))
	if err := root.ExecuteContext(context.Background()); err != nil {
		os.Exit(2)
	}
}
