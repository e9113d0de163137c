// Package render turns reports into text, JSON and SARIF.
package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"
)

// Printer writes text with colour decided for its own stream. It never
// touches fatih/color's global switch.
type Printer struct {
	W     io.Writer
	Color bool
	// Width is the terminal width lines are wrapped to (0: not wrapped).
	Width int

	wrap *wrapWriter

	bold, dim, red, yellow, green, cyan, blue *color.Color
}

// NewPrinter makes a printer for w; colour is on only when asked. Control
// characters in what is printed are escaped (see termSafe).
func NewPrinter(w io.Writer, useColor bool) *Printer { return NewTerminalPrinter(w, useColor, 0) }

// NewTerminalPrinter is NewPrinter for a terminal width columns wide:
// long lines are wrapped (see WrapLine); 0 leaves them whole. Call Flush
// when done.
func NewTerminalPrinter(w io.Writer, useColor bool, width int) *Printer {
	var ww *wrapWriter
	if width >= minWrapWidth {
		ww = &wrapWriter{w: w, width: width}
		w = ww
	} else {
		width = 0
	}
	mk := func(a ...color.Attribute) *color.Color {
		c := color.New(a...)
		if useColor {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return &Printer{W: termSafe{w: w, color: useColor}, Color: useColor, Width: width, wrap: ww,
		bold: mk(color.Bold), dim: mk(color.Faint), red: mk(color.FgRed, color.Bold),
		yellow: mk(color.FgYellow, color.Bold), green: mk(color.FgGreen, color.Bold),
		cyan: mk(color.FgCyan), blue: mk(color.FgBlue)}
}

func (p *Printer) Bold(s string) string   { return p.bold.Sprint(s) }
func (p *Printer) Dim(s string) string    { return p.dim.Sprint(s) }
func (p *Printer) Red(s string) string    { return p.red.Sprint(s) }
func (p *Printer) Yellow(s string) string { return p.yellow.Sprint(s) }
func (p *Printer) Green(s string) string  { return p.green.Sprint(s) }
func (p *Printer) Cyan(s string) string   { return p.cyan.Sprint(s) }
func (p *Printer) Blue(s string) string   { return p.blue.Sprint(s) }

// Flush writes a last line that has no newline yet (the wrapping holds
// each line until it ends).
func (p *Printer) Flush() error {
	if p.wrap == nil {
		return nil
	}
	return p.wrap.Flush()
}

// Printf writes formatted text.
func (p *Printer) Printf(format string, a ...any) { fmt.Fprintf(p.W, format, a...) }

// Println writes a line.
func (p *Printer) Println(a ...any) { fmt.Fprintln(p.W, a...) }

// Section writes a section heading.
func (p *Printer) Section(title string) { fmt.Fprintf(p.W, "\n%s\n", p.Bold(title)) }

// KV writes an indented "key: value" line with the keys aligned to width.
func (p *Printer) KV(indent, width int, key, value string) {
	pad := width - len(key)
	if pad < 0 {
		pad = 0
	}
	fmt.Fprintf(p.W, "%s%s%s  %s\n", strings.Repeat(" ", indent), p.Dim(key+":"), strings.Repeat(" ", pad), value)
}

// TextResult is implemented by command results that have a text form.
type TextResult interface {
	WriteText(p *Printer)
}
