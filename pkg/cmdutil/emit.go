package cmdutil

import (
	"bufio"
	"io"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/fixes"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/authdoctor/authdoctor/pkg/version"
)

// Emit writes the report in the chosen format and returns a
// FindingsError when a finding reaches --fail-on.
//
// stdout carries the report only. The report's notices (how the run went:
// what was fetched, which keys were trusted, that secrets are shown) go to
// stderr first, in every format, so a JSON or SARIF file stays one
// document and a person still reads them. --quiet leaves only the verdict
// line.
func Emit(io_ *IOStreams, g *Globals, r *engine.Report) error {
	var err error
	if !g.Quiet {
		Notes(io_, g, r.Notices)
	}
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
		p := render.NewTerminalPrinter(bw, ColorFor(g.Color, io_.OutTTY, io_.Getenv), io_.Width())
		if g.Quiet {
			render.VerdictLine(p, r)
		} else {
			render.Text(p, r)
		}
		err = p.Flush()
		if err == nil {
			err = bw.Flush()
		}
	}
	if err != nil {
		return Jobf("writing output: %v", err)
	}
	if t := g.FailThreshold(); t != 0 && r.MaxSeverity() >= t {
		return &FindingsError{Worst: r.MaxSeverity()}
	}
	return nil
}

// notePrefix starts every note on stderr, like the tool's other messages
// there ("authdoctor: …").
const notePrefix = "authdoctor: note: "

// Notes writes remarks for the person running the command to stderr, one
// per line, wrapped to the terminal (continuations under the text). They
// are never part of the report on stdout. Nothing is written with
// --quiet.
func Notes(io_ *IOStreams, g *Globals, notes []string) {
	if len(notes) == 0 || g.Quiet {
		return
	}
	// The printer escapes control characters: notes quote URLs and
	// values from servers and files.
	p := render.NewPrinter(io_.ErrOut, false)
	width := io_.ErrWidth()
	var b strings.Builder
	for _, n := range notes {
		for _, line := range strings.Split(strings.TrimRight(n, "\n"), "\n") {
			b.WriteString(render.WrapHang(notePrefix+line, width, len(notePrefix)))
			b.WriteByte('\n')
		}
	}
	p.Printf("%s", b.String())
}

// EmitDiff writes, instead of the report, the unified diff of the
// findings' mechanical fixes (--diff): `patch -p0` applies it from the
// directory the files were named from. Edits that no longer apply are
// noted on stderr; the exit code is the report's, as with Emit.
func EmitDiff(io_ *IOStreams, g *Globals, r *engine.Report) error {
	patch, skipped, err := fixes.Diff(r.Findings, ReadFile)
	if err != nil {
		return err
	}
	if !g.Quiet {
		Notes(io_, g, r.Notices)
		Notes(io_, g, skipped)
		if patch == "" {
			Notes(io_, g, []string{"no finding has a mechanical fix: nothing to patch"})
		}
	}
	if _, err := io.WriteString(io_.Out, patch); err != nil {
		return Jobf("writing output: %v", err)
	}
	if t := g.FailThreshold(); t != 0 && r.MaxSeverity() >= t {
		return &FindingsError{Worst: r.MaxSeverity()}
	}
	return nil
}
