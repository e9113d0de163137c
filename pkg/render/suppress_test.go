package render_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/render"
)

// suppressedReport holds one finding left and one per kind of ignore.
func suppressedReport() *engine.Report {
	r := engine.NewReport(catalog.Default(), "lint")
	r.Add("CFG009", "CSRF is off", engine.At(engine.Subject{File: "deploy/webserver_config.py", Line: 3}))
	r.Add("CFG006", "client_secret is written in the file", engine.At(engine.Subject{File: "deploy/webserver_config.py", Line: 12}))
	r.Add("CFG004", "openid without jwks_uri", engine.At(engine.Subject{File: "deploy/webserver_config.py", Line: 20}))
	r.Add("ROL005", "sync off", engine.At(engine.Subject{File: "deploy/webserver_config.py", Line: 30}))
	r.Suppress(func(f *engine.Finding) (engine.Suppression, bool) {
		switch f.ID {
		case "CFG006":
			return engine.Suppression{Kind: engine.SuppressInline, Reason: "dev cluster only", File: "deploy/webserver_config.py", Line: 11}, true
		case "CFG004":
			return engine.Suppression{Kind: engine.SuppressFlag}, true
		case "ROL005":
			return engine.Suppression{Kind: engine.SuppressProject, Reason: "roles are managed by hand", File: ".authdoctor.yaml", Line: 4}, true
		}
		return engine.Suppression{}, false
	})
	return r
}

// SARIF 2.1.0 §3.35: a suppressed result carries suppressions with kind
// inSource (a comment in the file) or external (flag, project file) and
// the justification; the others carry an empty array (evaluated, not
// suppressed). The log validates against the schema.
func TestSARIF_Suppressions(t *testing.T) {
	buf := validSARIF(t, suppressedReport(), "dev")
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID       string             `json:"ruleId"`
				Suppressions *[]json.RawMessage `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	type sup struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification"`
		Location      *struct {
			PhysicalLocation struct {
				ArtifactLocation struct {
					URI string `json:"uri"`
				} `json:"artifactLocation"`
				Region struct {
					StartLine int `json:"startLine"`
				} `json:"region"`
			} `json:"physicalLocation"`
		} `json:"location"`
	}
	got := map[string]sup{}
	for _, res := range log.Runs[0].Results {
		if res.Suppressions == nil {
			t.Fatalf("%s: suppressions absent, but they were evaluated", res.RuleID)
		}
		switch len(*res.Suppressions) {
		case 0:
			got[res.RuleID] = sup{}
		case 1:
			var s sup
			if err := json.Unmarshal((*res.Suppressions)[0], &s); err != nil {
				t.Fatal(err)
			}
			got[res.RuleID] = s
		default:
			t.Fatalf("%s: %d suppressions", res.RuleID, len(*res.Suppressions))
		}
	}
	if len(got) != 4 {
		t.Fatalf("results %v: suppressed findings must stay in the log", got)
	}
	if got["CFG009"].Kind != "" {
		t.Errorf("CFG009 is not suppressed: %+v", got["CFG009"])
	}
	if s := got["CFG006"]; s.Kind != "inSource" || s.Justification != "dev cluster only" || s.Location == nil ||
		s.Location.PhysicalLocation.Region.StartLine != 11 || s.Location.PhysicalLocation.ArtifactLocation.URI != "deploy/webserver_config.py" {
		t.Errorf("inline: %+v", s)
	}
	if s := got["CFG004"]; s.Kind != "external" || !strings.Contains(s.Justification, "--ignore") || s.Location != nil {
		t.Errorf("flag: %+v", s)
	}
	if s := got["ROL005"]; s.Kind != "external" || s.Justification != "roles are managed by hand" || s.Location.PhysicalLocation.ArtifactLocation.URI != ".authdoctor.yaml" {
		t.Errorf("project: %+v", s)
	}
}

// Without any suppression evaluation (token, verify …) results carry no
// suppressions property at all: SARIF's "not known".
func TestSARIF_NoSuppressionsWhenNotEvaluated(t *testing.T) {
	r := engine.NewReport(catalog.Default(), "doctor")
	r.Add("CFG009", "CSRF is off", engine.At(engine.Subject{File: "a.py", Line: 3}))
	var buf bytes.Buffer
	if err := render.SARIF(&buf, r, "dev"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "suppressions") {
		t.Errorf("suppressions present:\n%s", buf.String())
	}
}

// JSON: suppressed findings leave "findings", appear under "suppressed"
// with their suppression, and are counted in the summary.
func TestJSON_Suppressed(t *testing.T) {
	var buf bytes.Buffer
	if err := render.JSON(&buf, suppressedReport(), "dev"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []struct {
			ID string `json:"id"`
		} `json:"findings"`
		Suppressed []struct {
			ID       string `json:"id"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Subject  struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"subject"`
			Suppression map[string]any `json:"suppression"`
		} `json:"suppressed"`
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 || doc.Findings[0].ID != "CFG009" {
		t.Errorf("findings %+v", doc.Findings)
	}
	want := map[string]int{"error": 0, "warning": 1, "info": 0, "suppressed": 3}
	for k, v := range want {
		if doc.Summary[k] != v {
			t.Errorf("summary %v, want %v", doc.Summary, want)
			break
		}
	}
	if len(doc.Suppressed) != 3 {
		t.Fatalf("suppressed %+v", doc.Suppressed)
	}
	byID := map[string]map[string]any{}
	for _, s := range doc.Suppressed {
		if s.Message == "" || s.Subject.File == "" || s.Severity == "" {
			t.Errorf("%s: the finding itself is not carried: %+v", s.ID, s)
		}
		byID[s.ID] = s.Suppression
	}
	if s := byID["CFG006"]; s["kind"] != "inline" || s["reason"] != "dev cluster only" || s["file"] != "deploy/webserver_config.py" || s["line"] != float64(11) {
		t.Errorf("inline suppression %v", s)
	}
	if s := byID["CFG004"]; s["kind"] != "flag" {
		t.Errorf("flag suppression %v", s)
	}
	if s := byID["ROL005"]; s["kind"] != "project" || s["line"] != float64(4) {
		t.Errorf("project suppression %v", s)
	}
	// A report without ignores still has the array (a stable shape).
	buf.Reset()
	_ = render.JSON(&buf, engine.NewReport(catalog.Default(), "token"), "dev")
	if !strings.Contains(buf.String(), `"suppressed": []`) || !strings.Contains(buf.String(), `"suppressed": 0`) {
		t.Errorf("empty report lacks suppressed:\n%s", buf.String())
	}
}

// Text: suppressed findings are counted in the summary line only.
func TestText_SuppressedCount(t *testing.T) {
	var buf bytes.Buffer
	render.Text(render.NewPrinter(&buf, false), suppressedReport())
	out := buf.String()
	if !strings.Contains(out, "0 errors, 1 warning, 0 info, 3 suppressed") {
		t.Errorf("summary line:\n%s", out)
	}
	if strings.Contains(out, "client_secret is written") {
		t.Errorf("a suppressed finding is listed:\n%s", out)
	}
	if !strings.HasPrefix(out, "WARN CFG009") {
		t.Errorf("verdict must follow the unsuppressed findings:\n%s", out)
	}
}
