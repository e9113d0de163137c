// Package versioncmd implements `authdoctor version`.
package versioncmd

import (
	"fmt"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/authdoctor/authdoctor/pkg/version"
	"github.com/spf13/cobra"
)

// Options of the version command.
type Options struct {
	IO *cmdutil.IOStreams
	G  *cmdutil.Globals
}

// NewCmd builds `authdoctor version`; runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{}
	return &cobra.Command{
		Use:   "version",
		Short: "Print version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			// No catalogue: version must not pay for building it.
			o.IO, o.G = f.IO, f.G
			if runF != nil {
				return runF(o)
			}
			return run(o)
		},
	}
}

// run prints the build information.
func run(o *Options) error {
	v := version.Get()
	if o.G.Output == "json" {
		return render.WriteJSON(o.IO.Out, v)
	}
	commit, date := v.Commit, v.Date
	if commit == "" {
		commit = "unknown"
	}
	if date == "" {
		date = "unknown"
	}
	_, err := fmt.Fprintf(o.IO.Out, "authdoctor %s (commit %s, built %s, %s)\n", v.Version, commit, date, v.Go)
	return err
}
