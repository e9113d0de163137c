package render

import (
	"encoding/json"
	"io"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// SchemaVersion of the JSON document.
const SchemaVersion = 1

// Tool names the program in JSON and SARIF.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Document is the JSON output contract of design.md.
type Document struct {
	SchemaVersion int              `json:"schemaVersion"`
	Tool          Tool             `json:"tool"`
	Command       string           `json:"command"`
	Findings      []engine.Finding `json:"findings"`
	Skipped       []engine.Skipped `json:"skipped"`
	// Suppressed are the findings an ignore silenced, each with its
	// "suppression" (kind, reason, file, line).
	Suppressed []engine.SuppressedFinding `json:"suppressed"`
	Summary    engine.Summary             `json:"summary"`
	Result     any                        `json:"result"`
}

// NewDocument builds the JSON document of a report.
func NewDocument(r *engine.Report, toolVersion string) *Document {
	r.Sort()
	d := &Document{SchemaVersion: SchemaVersion, Tool: Tool{"authdoctor", toolVersion},
		Command: r.Command, Findings: r.Findings, Skipped: r.Skipped, Suppressed: r.Suppressed, Summary: r.Summary(), Result: r.Result}
	if d.Findings == nil {
		d.Findings = []engine.Finding{}
	}
	if d.Skipped == nil {
		d.Skipped = []engine.Skipped{}
	}
	if d.Suppressed == nil {
		d.Suppressed = []engine.SuppressedFinding{}
	}
	if d.Result == nil {
		d.Result = map[string]any{}
	}
	return d
}

// JSON writes the report as one indented JSON document.
func JSON(w io.Writer, r *engine.Report, toolVersion string) error {
	return WriteJSON(w, NewDocument(r, toolVersion))
}

// WriteJSON writes any value as indented JSON without HTML escaping.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
