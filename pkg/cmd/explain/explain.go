// Package explain implements `authdoctor explain ID`: a check's page,
// offline.
package explain

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/spf13/cobra"
)

// Options of the explain command.
type Options struct {
	IO     *cmdutil.IOStreams
	Output string
	Reg    *engine.Registry
	ID     string
}

// NewCmd builds `authdoctor explain`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "explain ID",
		Short:   "Explain a check (e.g. TOK004 or kid-not-found), offline",
		Args:    cobra.ExactArgs(1),
		Example: "  authdoctor explain TOK004\n  authdoctor explain kid-not-found",
		RunE: func(cmd *cobra.Command, args []string) error {
			return Run(&Options{IO: f.IO, Output: f.G.Output, Reg: f.Registry(), ID: args[0]})
		},
	}
}

// Run prints the page.
func Run(o *Options) error {
	c, ok := o.Reg.Get(strings.TrimSpace(o.ID))
	if !ok {
		return cmdutil.Usagef("unknown check %q: run 'authdoctor checks' for the list", o.ID)
	}
	if o.Output == "json" {
		return render.WriteJSON(o.IO.Out, map[string]any{
			"schemaVersion": render.SchemaVersion,
			"id":            c.ID, "name": c.Name, "severity": c.Severity, "title": c.Title,
			"why": c.Why, "fix": c.Fix, "implemented": c.Implemented, "doc": c.DocPath(),
		})
	}
	_, err := fmt.Fprint(o.IO.Out, catalog.Page(c))
	return err
}
