package cmdutil

import (
	"context"

	"github.com/spf13/cobra"
)

// Shape is the RunE of a command in the common shape (docs/architecture.md):
// when the command runs it fills the Options' Base (base, nil for a
// command that needs no catalogue) and positional arguments (args, nil
// when it takes none), then calls runF (a test's) or the command's own
// private run.
func Shape[O any](f *Factory, o *O, base *Base, args *[]string, runF func(*O) error, run func(context.Context, *O) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, a []string) error {
		if base != nil {
			*base = f.Base()
		}
		if args != nil {
			*args = a
		}
		if runF != nil {
			return runF(o)
		}
		return run(cmd.Context(), o)
	}
}
