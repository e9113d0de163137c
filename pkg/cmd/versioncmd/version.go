// Package versioncmd implements `authdoctor version`.
package versioncmd

import (
	"fmt"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/authdoctor/authdoctor/pkg/version"
	"github.com/spf13/cobra"
)

// NewCmd builds `authdoctor version`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v := version.Get()
			if f.G.Output == "json" {
				return render.WriteJSON(f.IO.Out, v)
			}
			commit, date := v.Commit, v.Date
			if commit == "" {
				commit = "unknown"
			}
			if date == "" {
				date = "unknown"
			}
			_, err := fmt.Fprintf(f.IO.Out, "authdoctor %s (commit %s, built %s, %s)\n", v.Version, commit, date, v.Go)
			return err
		},
	}
}
