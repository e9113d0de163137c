// Package explain implements `authdoctor explain ID`: a check's page,
// offline.
package explain

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/aadsts"

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
		Use:     "explain ID|AADSTSnnnnn",
		Short:   "Explain a check (TOK004, kid-not-found) or an Entra error code (AADSTS50011), offline",
		Args:    cobra.ExactArgs(1),
		Example: "  authdoctor explain TOK004\n  authdoctor explain kid-not-found\n  authdoctor explain AADSTS50011",
		RunE: func(cmd *cobra.Command, args []string) error {
			return Run(&Options{IO: f.IO, Output: f.G.Output, Reg: f.Registry(), ID: args[0]})
		},
	}
}

// Run prints the page.
func Run(o *Options) error {
	id := strings.TrimSpace(o.ID)
	if strings.HasPrefix(strings.ToUpper(id), "AADSTS") {
		return explainAADSTS(o, id)
	}
	c, ok := o.Reg.Get(id)
	if !ok {
		return cmdutil.Usagef("unknown check %q: run 'authdoctor checks' for the list (or give an Entra code such as AADSTS50011)", o.ID)
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

func explainAADSTS(o *Options, id string) error {
	c, ok := aadsts.Lookup(id)
	if !ok {
		return cmdutil.Usagef("%s is not in authdoctor's table of common Entra errors; Microsoft's current text is at https://login.microsoftonline.com/error?code=%s", strings.ToUpper(id), strings.TrimPrefix(strings.ToUpper(id), "AADSTS"))
	}
	if o.Output == "json" {
		return render.WriteJSON(o.IO.Out, map[string]any{"schemaVersion": render.SchemaVersion, "id": c.ID(), "name": c.Name,
			"meaning": c.Meaning, "fix": c.Fix, "check": c.Check})
	}
	fmt.Fprintf(o.IO.Out, "# %s %s\n\n%s\n\n## Fix\n\n%s\n", c.ID(), c.Name, c.Meaning, c.Fix)
	if c.Check != "" {
		fmt.Fprintf(o.IO.Out, "\nRelated check: %s (authdoctor explain %s).\n", c.Check, c.Check)
	}
	fmt.Fprintf(o.IO.Out, "\nMicrosoft's current wording: https://login.microsoftonline.com/error?code=%d\n", c.Code)
	return nil
}
