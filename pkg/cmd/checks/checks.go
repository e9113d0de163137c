// Package checks implements `authdoctor checks`: the catalogue.
package checks

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/spf13/cobra"
)

// Options of the checks command.
type Options struct {
	cmdutil.Base
}

// NewCmd builds `authdoctor checks`; runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{}
	return &cobra.Command{
		Use:         "checks",
		Short:       "List the check catalogue: ID, name, severity, title",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{cmdutil.OutputsAnnotation: "text,json,markdown"},
		Example:     "  authdoctor checks\n  authdoctor checks -o markdown",
		RunE:        cmdutil.Shape(f, o, &o.Base, nil, runF, run),
	}
}

type jsonCheck struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Severity    engine.Severity `json:"severity"`
	Title       string          `json:"title"`
	Why         string          `json:"why"`
	Fix         string          `json:"fix"`
	Implemented bool            `json:"implemented"`
	Doc         string          `json:"doc"`
}

// run writes the catalogue.
func run(_ context.Context, o *Options) error {
	all := o.Reg.All()
	switch o.G.Output {
	case "json":
		out := make([]jsonCheck, 0, len(all))
		for _, c := range all {
			out = append(out, jsonCheck{c.ID, c.Name, c.Severity, c.Title, c.Why, c.Fix, c.Implemented, c.DocPath()})
		}
		return render.WriteJSON(o.IO.Out, map[string]any{"schemaVersion": render.SchemaVersion, "checks": out})
	case "markdown":
		_, err := fmt.Fprint(o.IO.Out, catalog.MarkdownTable(o.Reg))
		return err
	}
	tw := tabwriter.NewWriter(o.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSEVERITY\tTITLE")
	for _, c := range all {
		title := c.Title
		if !c.Implemented {
			title += " (not implemented yet)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.Name, c.Severity, title)
	}
	return tw.Flush()
}
