package render

import (
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// SARIF 2.1.0 (OASIS) as GitHub code scanning reads it: one rule per
// check of the registry, with help text; every result has a physical
// location with a start line.

// SARIFVersion and SARIFSchema identify the format.
const (
	SARIFVersion = "2.1.0"
	SARIFSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	// InformationURI is the tool's home page.
	InformationURI = "https://github.com/authdoctor/authdoctor"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	ColumnKind  string            `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 sarifText       `json:"help"`
	HelpURI              string          `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags []string `json:"tags"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level      string              `json:"level"`
	Message    sarifText           `json:"message"`
	Descriptor *sarifDescriptorRef `json:"descriptor,omitempty"`
}

type sarifDescriptorRef struct {
	ID string `json:"id"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
	// Suppressions is nil (absent: not evaluated), empty (not
	// suppressed) or the one ignore that silenced the result.
	Suppressions []sarifSuppression `json:"suppressions,omitzero"`
	Properties   *sarifResProps     `json:"properties,omitempty"`
}

type sarifSuppression struct {
	Kind          string         `json:"kind"`
	Justification string         `json:"justification,omitempty"`
	Location      *sarifLocation `json:"location,omitempty"`
}

type sarifResProps struct {
	Evidence []engine.Evidence `json:"evidence,omitempty"`
	Fix      string            `json:"fix,omitempty"`
	Subject  string            `json:"subject,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

func sarifLevel(s engine.Severity) string {
	switch s {
	case engine.SeverityError:
		return "error"
	case engine.SeverityWarning:
		return "warning"
	}
	return "note"
}

// sarifURI turns a file path into an artifact URI: relative paths stay
// relative to the repository root (%SRCROOT%), absolute ones become file
// URIs.
func sarifURI(path string) (uri, base string) {
	p := filepath.ToSlash(path)
	if filepath.IsAbs(path) || strings.HasPrefix(p, "/") {
		u := url.URL{Scheme: "file", Path: p}
		return u.String(), ""
	}
	p = strings.TrimPrefix(p, "./")
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/"), "%SRCROOT%"
}

func suppressedFindings(r *engine.Report) []engine.Finding {
	out := make([]engine.Finding, len(r.Suppressed))
	for i, s := range r.Suppressed {
		out[i] = s.Finding
	}
	return out
}

// newSarifResult places one finding. add registers a rule for a finding
// of a check outside the registry. checked says suppressions were
// evaluated: an empty suppressions array then states "not suppressed"
// (SARIF 2.1.0 §3.27.23), where an absent one would mean "unknown".
func newSarifResult(f *engine.Finding, index map[string]int, add func(*engine.Check), fallback string, checked bool) sarifResult {
	if _, ok := index[f.ID]; !ok {
		add(&engine.Check{ID: f.ID, Name: f.Name, Title: f.Title, Why: f.Title, Fix: f.Fix, Severity: f.Severity})
	}
	file, line := f.Subject.File, f.Subject.Line
	if file == "" {
		file, line = fallback, 1
	}
	if file == "" {
		file = "authdoctor"
		if f.Subject.URL != "" {
			file = f.Subject.URL
		}
	}
	msg := f.Message
	if f.Fix != "" {
		msg += "\nFix: " + f.Fix
	}
	res := sarifResult{
		RuleID: f.ID, RuleIndex: index[f.ID], Level: sarifLevel(f.Severity),
		Message:   sarifText{Text: msg},
		Locations: []sarifLocation{newSarifLocation(file, line)},
	}
	if checked {
		res.Suppressions = []sarifSuppression{}
	}
	if len(f.Evidence) > 0 || f.Fix != "" || f.Subject.Name != "" {
		res.Properties = &sarifResProps{Evidence: f.Evidence, Fix: f.Fix, Subject: f.Subject.Name}
	}
	return res
}

func newSarifLocation(file string, line int) sarifLocation {
	if line < 1 {
		line = 1
	}
	uri, base := sarifURI(file)
	if strings.Contains(file, "://") {
		uri, base = file, ""
	}
	return sarifLocation{PhysicalLocation: sarifPhysical{
		ArtifactLocation: sarifArtifact{URI: uri, URIBaseID: base},
		Region:           sarifRegion{StartLine: line},
	}}
}

// newSarifSuppression is SARIF's suppression object (§3.35): an inline
// comment is "inSource", --ignore and the project file are "external";
// the location is where the ignore is written.
func newSarifSuppression(s engine.Suppression) sarifSuppression {
	out := sarifSuppression{Kind: "external", Justification: s.Reason}
	if s.InSource() {
		out.Kind = "inSource"
	}
	switch {
	case out.Justification != "":
	case s.Kind == engine.SuppressFlag:
		out.Justification = "ignored with --ignore on the command line"
	case s.File != "":
		out.Justification = fmt.Sprintf("ignored by %s:%d (no reason given)", s.File, s.Line)
	}
	if s.File != "" {
		loc := newSarifLocation(s.File, s.Line)
		out.Location = &loc
	}
	return out
}

// SARIF writes the report as SARIF 2.1.0. A finding without a file is
// placed at line 1 of the report's first file (design.md: network and
// token findings point at the config line that named the URL, else line
// 1).
func SARIF(w io.Writer, r *engine.Report, toolVersion string) error {
	r.Sort()
	reg := r.Registry()
	var rules []sarifRule
	index := map[string]int{}
	add := func(c *engine.Check) {
		if _, ok := index[c.ID]; ok {
			return
		}
		index[c.ID] = len(rules)
		help := c.Why + "\n\nFix: " + c.Fix
		rules = append(rules, sarifRule{
			ID: c.ID, Name: c.Name,
			ShortDescription:     sarifText{Text: c.Title},
			FullDescription:      sarifText{Text: c.Why},
			Help:                 sarifText{Text: help, Markdown: "**" + c.Title + "**\n\n" + c.Why + "\n\n**Fix:** " + c.Fix},
			HelpURI:              InformationURI + "/blob/main/" + c.DocPath(),
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(c.Severity)},
			Properties:           sarifRuleProps{Tags: []string{"authdoctor", strings.ToLower(c.Family())}},
		})
	}
	if reg != nil {
		for _, c := range reg.All() {
			add(c)
		}
	}
	fallback := ""
	for _, f := range append(r.Findings[:len(r.Findings):len(r.Findings)], suppressedFindings(r)...) {
		if f.Subject.File != "" {
			fallback = f.Subject.File
			break
		}
	}
	results := []sarifResult{}
	for _, f := range r.Findings {
		results = append(results, newSarifResult(&f, index, add, fallback, r.SuppressionsChecked()))
	}
	for _, sf := range r.Suppressed {
		res := newSarifResult(&sf.Finding, index, add, fallback, true)
		res.Suppressions = []sarifSuppression{newSarifSuppression(sf.Suppression)}
		results = append(results, res)
	}
	var notes []sarifNotification
	skipped := append([]engine.Skipped{}, r.Skipped...)
	sort.SliceStable(skipped, func(i, j int) bool { return skipped[i].ID < skipped[j].ID })
	for _, s := range skipped {
		notes = append(notes, sarifNotification{Level: "note", Message: sarifText{Text: s.ID + " skipped: " + s.Reason}, Descriptor: &sarifDescriptorRef{ID: s.ID}})
	}
	log := sarifLog{Schema: SARIFSchema, Version: SARIFVersion, Runs: []sarifRun{{
		Tool:        sarifTool{Driver: sarifDriver{Name: "authdoctor", Version: toolVersion, InformationURI: InformationURI, Rules: rules}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true, Notifications: notes}},
		Results:     results,
		ColumnKind:  "unicodeCodePoints",
	}}}
	return WriteJSON(w, log)
}
