// Package explain implements `authdoctor explain ID`: a check's page,
// offline.
package explain

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/aadsts"
	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/spf13/cobra"
)

// Options of the explain command.
type Options struct {
	cmdutil.Base
	ID string
}

// NewCmd builds `authdoctor explain`; runF replaces the run (tests).
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{}
	return &cobra.Command{
		Use:         "explain ID|AADSTSnnnnn",
		Short:       "Explain a check (TOK004, kid-not-found) or an Entra error code (AADSTS50011), offline",
		Args:        cobra.ExactArgs(1),
		Annotations: map[string]string{cmdutil.OutputsAnnotation: "text,json,markdown"},
		Example:     "  authdoctor explain TOK004\n  authdoctor explain kid-not-found\n  authdoctor explain AADSTS50011\n  authdoctor explain TOK004 -o markdown",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			return cmdutil.Shape(f, o, &o.Base, nil, runF, run)(cmd, args)
		},
	}
}

// run prints the page (text for the terminal, markdown or JSON).
func run(_ context.Context, o *Options) error {
	id := strings.TrimSpace(o.ID)
	if strings.HasPrefix(strings.ToUpper(id), "AADSTS") {
		return explainAADSTS(o, id)
	}
	c, ok := o.Reg.Get(id)
	if !ok {
		return cmdutil.Usagef("unknown check %q: run 'authdoctor checks' for the list (or give an Entra code such as AADSTS50011)", o.ID)
	}
	if o.G.Output == "json" {
		return render.WriteJSON(o.IO.Out, map[string]any{
			"schemaVersion": render.SchemaVersion,
			"id":            c.ID, "name": c.Name, "severity": c.Severity, "title": c.Title,
			"why": c.Why, "fix": c.Fix, "implemented": c.Implemented, "doc": c.DocPath(),
		})
	}
	return page(o, catalog.Page(c))
}

// page writes a markdown page: as written with -o markdown, else laid out
// for the terminal (no markdown punctuation; wrapped on a terminal).
func page(o *Options, md string) error {
	if o.G.Output == "markdown" {
		_, err := fmt.Fprint(o.IO.Out, md)
		return err
	}
	bw := bufio.NewWriter(o.IO.Out)
	p := render.NewPrinter(bw, cmdutil.ColorFor(o.G.Color, o.IO.OutTTY, o.IO.Getenv))
	render.Markdown(p, md, o.IO.Width())
	return bw.Flush()
}

func explainAADSTS(o *Options, id string) error {
	c, ok := aadsts.Lookup(id)
	if !ok {
		return cmdutil.Usagef("%s is not in authdoctor's table of common Entra errors; Microsoft's current text is at https://login.microsoftonline.com/error?code=%s", strings.ToUpper(id), strings.TrimPrefix(strings.ToUpper(id), "AADSTS"))
	}
	if o.G.Output == "json" {
		return render.WriteJSON(o.IO.Out, map[string]any{"schemaVersion": render.SchemaVersion, "id": c.ID(), "name": c.Name,
			"meaning": c.Meaning, "fix": c.Fix, "check": c.Check})
	}
	return page(o, aadstsPage(c))
}

// aadstsPage is the markdown page of an AADSTS code.
func aadstsPage(c aadsts.Code) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s\n\n%s\n\n## Fix\n\n%s\n", c.ID(), c.Name, c.Meaning, c.Fix)
	if c.Check != "" {
		fmt.Fprintf(&b, "\nRelated check: %s (`authdoctor explain %s`).\n", c.Check, c.Check)
	}
	fmt.Fprintf(&b, "\nMicrosoft's current wording: <https://login.microsoftonline.com/error?code=%d>\n", c.Code)
	return b.String()
}
