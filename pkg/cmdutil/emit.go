package cmdutil

import (
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/authdoctor/authdoctor/pkg/version"
)

// SARIFWriter renders a report as SARIF; set by the package that owns
// SARIF so that commands without file locations need not link it.
var SARIFWriter func(io *IOStreams, r *engine.Report) error

// Emit writes the report in the chosen format and returns a
// FindingsError when a finding reaches --fail-on.
func Emit(io_ *IOStreams, g *Globals, r *engine.Report) error {
	var err error
	switch g.Output {
	case "json":
		err = render.JSON(io_.Out, r, version.Get().Version)
	case "sarif":
		if SARIFWriter == nil {
			return Usagef("--output sarif is not available for %s (it has no file locations); use text or json", r.Command)
		}
		err = SARIFWriter(io_, r)
	default:
		p := render.NewPrinter(io_.Out, ColorFor(g.Color, io_.OutTTY, io_.Getenv))
		render.Text(p, r)
	}
	if err != nil {
		return Jobf("writing output: %v", err)
	}
	if t := g.FailThreshold(); t != 0 && r.MaxSeverity() >= t {
		return &FindingsError{Worst: r.MaxSeverity()}
	}
	return nil
}
