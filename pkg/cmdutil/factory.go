package cmdutil

import (
	"time"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/engine"
)

// Factory is what every command constructor receives.
type Factory struct {
	IO    *IOStreams
	G     *Globals
	Clock func() time.Time
}

// Registry returns the check catalogue (built on first use).
func (f *Factory) Registry() *engine.Registry { return catalog.Default() }

// NewReport starts a report for a command.
func (f *Factory) NewReport(command string) *engine.Report {
	return engine.NewReport(f.Registry(), command)
}

// Emit renders a report per the global flags.
func (f *Factory) Emit(r *engine.Report) error { return Emit(f.IO, f.G, r) }

// OutputsAnnotation lists the --output values a command accepts
// (comma-separated) in cobra's Annotations. Absent means text,json.
const OutputsAnnotation = "authdoctor/outputs"

// Base is what every command's Options start with: the streams, the
// global flags and the check catalogue.
type Base struct {
	IO  *IOStreams
	G   *Globals
	Reg *engine.Registry
}

// Base fills a command's Base when it runs (the registry is built on
// first use).
func (f *Factory) Base() Base { return Base{IO: f.IO, G: f.G, Reg: f.Registry()} }

// Emit renders a report per the global flags.
func (b *Base) Emit(r *engine.Report) error { return Emit(b.IO, b.G, r) }
