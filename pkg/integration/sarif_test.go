package integration

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// validateSARIF checks a document against the SARIF 2.1.0 schema of
// ../shared/fixtures.
func validateSARIF(t *testing.T, doc []byte) {
	t.Helper()
	schemaPath := filepath.Join(testkit.FixturesDir(t), "sarif-schema-2.1.0.json")
	sf, err := os.Open(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	schema, err := jsonschema.UnmarshalJSON(sf)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif.json", schema); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate: %v", err)
	}
}
