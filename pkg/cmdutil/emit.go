package cmdutil

import (
	"bufio"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/authdoctor/authdoctor/pkg/version"
)

// Emit writes the report in the chosen format and returns a
// FindingsError when a finding reaches --fail-on.
func Emit(io_ *IOStreams, g *Globals, r *engine.Report) error {
	var err error
	switch g.Output {
	case "json":
		err = render.JSON(io_.Out, r, version.Get().Version)
	case "sarif":
		// Only commands whose findings have file locations accept sarif
		// (OutputsAnnotation); the root refuses it for the others.
		err = render.SARIF(io_.Out, r, version.Get().Version)
	default:
		// The report is printed whole at the end: one write, not one
		// system call per line (a third of a millisecond for a token).
		bw := bufio.NewWriterSize(io_.Out, 32<<10)
		p := render.NewPrinter(bw, ColorFor(g.Color, io_.OutTTY, io_.Getenv))
		render.Text(p, r)
		err = bw.Flush()
	}
	if err != nil {
		return Jobf("writing output: %v", err)
	}
	if t := g.FailThreshold(); t != 0 && r.MaxSeverity() >= t {
		return &FindingsError{Worst: r.MaxSeverity()}
	}
	return nil
}
