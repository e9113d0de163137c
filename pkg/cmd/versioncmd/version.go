// Package versioncmd implements `authdoctor version`.
package versioncmd

import (
	"context"
	"fmt"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/authdoctor/authdoctor/pkg/version"
	"github.com/spf13/cobra"
)

// Options of the version command: the streams and the global flags (no
// catalogue: version must not pay for building it).
type Options struct {
	IO *cmdutil.IOStreams
	G  *cmdutil.Globals
}

// NewCmd builds `authdoctor version`; runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{IO: f.IO, G: f.G}
	return &cobra.Command{
		Use:   "version",
		Short: "Print version, commit and build date",
		Args:  cobra.NoArgs,
		RunE:  cmdutil.Shape(f, o, nil, nil, runF, run),
	}
}

// run prints the build information.
func run(_ context.Context, o *Options) error {
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
