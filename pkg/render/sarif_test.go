package render_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/engine"
	"github.com/authdoctor/authdoctor/pkg/render"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func sharedFixture(t *testing.T, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "fixtures", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("fixture %s is needed (shared/ must sit beside the repository): %v", p, err)
	}
	return p
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(sharedFixture(t, "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validSARIF renders r and fails the test unless the log validates
// against the SARIF 2.1.0 schema.
func validSARIF(t *testing.T, r *engine.Report, version string) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	if err := render.SARIF(&buf, r, version); err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sarifSchema(t).Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate: %v\n%s", err, buf.String())
	}
	return &buf
}

func TestSARIF_ValidAndLocated(t *testing.T) {
	r := engine.NewReport(catalog.Default(), "lint")
	r.Add("CFG004", "provider \"azure\" requests openid without jwks_uri",
		engine.At(engine.Subject{File: "deploy/webserver_config.py", Line: 42}), engine.With("scope", "openid"))
	r.Add("ROL001", "role \"admin\" does not exist", engine.At(engine.Subject{File: "deploy/webserver_config.py", Line: 7}))
	// No file: falls back to the report's first file at line 1.
	r.Add("DSC001", "the discovery document cannot be fetched", engine.At(engine.Subject{URL: "https://login.example.com/.well-known/openid-configuration"}))
	r.Add("CFG002", "absolute path", engine.At(engine.Subject{File: "/etc/airflow/webserver config.py", Line: 3}))
	r.Skip("CFG016", "not implemented")
	buf := validSARIF(t, r, "1.2.3")
	var doc struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string `json:"id"`
						Help struct {
							Text string `json:"text"`
						} `json:"help"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	if len(run.Tool.Driver.Rules) != len(catalog.Default().All()) {
		t.Errorf("%d rules, want one per check (%d)", len(run.Tool.Driver.Rules), len(catalog.Default().All()))
	}
	for _, rule := range run.Tool.Driver.Rules {
		if !strings.Contains(rule.Help.Text, "Fix:") {
			t.Errorf("rule %s has no help text with the fix", rule.ID)
		}
	}
	want := map[string]string{"CFG004": "deploy/webserver_config.py:42", "ROL001": "deploy/webserver_config.py:7",
		"DSC001": "deploy/webserver_config.py:1", "CFG002": "file:///etc/airflow/webserver%20config.py:3"}
	for _, res := range run.Results {
		if len(res.Locations) != 1 {
			t.Fatalf("%s: %d locations", res.RuleID, len(res.Locations))
		}
		loc := res.Locations[0].PhysicalLocation
		got := loc.ArtifactLocation.URI + ":" + itoa(loc.Region.StartLine)
		if got != want[res.RuleID] {
			t.Errorf("%s at %s, want %s", res.RuleID, got, want[res.RuleID])
		}
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("%s: ruleIndex %d points at %s", res.RuleID, res.RuleIndex, run.Tool.Driver.Rules[res.RuleIndex].ID)
		}
	}
	if run.Results[0].Level != "error" {
		t.Errorf("first result level %q", run.Results[0].Level)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// An empty report is still a valid log with the rules.
func TestSARIF_Empty(t *testing.T) {
	r := engine.NewReport(catalog.Default(), "lint")
	var buf bytes.Buffer
	if err := render.SARIF(&buf, r, "dev"); err != nil {
		t.Fatal(err)
	}
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err := sarifSchema(t).Validate(inst); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"results": []`) {
		t.Fatal("results must be an empty array, not absent")
	}
}

// The validator is live: a start line of 0 and an unknown level fail.
func TestSARIF_SchemaRejectsBadLogs(t *testing.T) {
	r := engine.NewReport(catalog.Default(), "lint")
	r.Add("CFG004", "x", engine.At(engine.Subject{File: "a.py", Line: 42}))
	var buf bytes.Buffer
	if err := render.SARIF(&buf, r, "dev"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][2]string{{`"startLine": 42`, `"startLine": 0`}, {`"level": "error"`, `"level": "fatal"`}} {
		s := strings.Replace(buf.String(), bad[0], bad[1], 1)
		if s == buf.String() {
			t.Fatalf("%s not found in output", bad[0])
		}
		inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(s))
		if err := sarifSchema(t).Validate(inst); err == nil {
			t.Errorf("schema accepted %s", bad[1])
		}
	}
}
