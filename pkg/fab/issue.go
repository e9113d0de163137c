package fab

import (
	"github.com/authdoctor/authdoctor/pkg/engine"
)

// Issue is a finding pkg/fab makes, before it enters a report.
type Issue struct {
	ID       string
	Message  string
	File     string
	Line     int
	Name     string
	Evidence []engine.Evidence
	Fix      string
	// Severity overrides the check's default when non-zero.
	Severity engine.Severity
	// Edit is the mechanical fix, when there is one.
	Edit *engine.Edit
	// Provider is the provider the issue is about ("" for the file).
	Provider string
	// order is the issue's place among those of one run.
	order int
	// builtin marks the built-in login steps the issue was computed from;
	// userinfoKey is the user-info key builtinUserInfoKey is about.
	builtin     builtinStep
	userinfoKey string
}

// AddTo records the issue in a report.
func (i Issue) AddTo(r *engine.Report) {
	opts := []engine.Opt{engine.At(engine.Subject{File: i.File, Line: i.Line, Name: i.Name})}
	for _, e := range i.Evidence {
		opts = append(opts, engine.With(e.Key, e.Value))
	}
	if i.Fix != "" {
		opts = append(opts, engine.FixHint(i.Fix))
	}
	if i.Severity != 0 {
		opts = append(opts, engine.WithSeverity(i.Severity))
	}
	if i.Edit != nil {
		opts = append(opts, engine.WithEdit(i.Edit))
	}
	if i.Provider != "" {
		opts = append(opts, engine.ForProvider(i.Provider))
	}
	r.Add(i.ID, i.Message, opts...)
}

// ev builds evidence pairs.
func ev(kv ...string) []engine.Evidence {
	var out []engine.Evidence
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, engine.Evidence{Key: kv[i], Value: kv[i+1]})
	}
	return out
}
