package version_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// .goreleaser.yaml must validate against GoReleaser's own JSON schema
// (../shared/fixtures/goreleaser-schema.json) and build what the release
// promises: linux/darwin/windows × amd64/arm64, CGO off, -trimpath,
// version ldflags that name real variables, checksums.
func TestGoReleaserConfig(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf(".goreleaser.yaml is not YAML: %v", err)
	}
	// Round-trip through JSON so the validator sees JSON types.
	js, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(js)))
	if err != nil {
		t.Fatal(err)
	}
	schemaPath := filepath.Join("..", "..", "..", "shared", "fixtures", "goreleaser-schema.json")
	sf, err := os.Open(schemaPath)
	if err != nil {
		t.Fatalf("schema %s is needed: %v", schemaPath, err)
	}
	defer sf.Close()
	sdoc, err := jsonschema.UnmarshalJSON(sf)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("goreleaser.json", sdoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("goreleaser.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf(".goreleaser.yaml does not validate against GoReleaser's schema: %v", err)
	}

	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Main    string   `yaml:"main"`
			Env     []string `yaml:"env"`
			Flags   []string `yaml:"flags"`
			Ldflags []string `yaml:"ldflags"`
			Goos    []string `yaml:"goos"`
			Goarch  []string `yaml:"goarch"`
		} `yaml:"builds"`
		Checksum struct {
			Name string `yaml:"name_template"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 1 {
		t.Fatalf("want a version 2 config with one build")
	}
	b := cfg.Builds[0]
	if strings.Join(b.Goos, ",") != "linux,darwin,windows" || strings.Join(b.Goarch, ",") != "amd64,arm64" {
		t.Errorf("targets %v × %v", b.Goos, b.Goarch)
	}
	if !contains(b.Env, "CGO_ENABLED=0") || !contains(b.Flags, "-trimpath") {
		t.Errorf("env %v flags %v", b.Env, b.Flags)
	}
	if _, err := os.Stat(filepath.Join("..", "..", b.Main, "main.go")); err != nil {
		t.Errorf("build main %s: %v", b.Main, err)
	}
	src, err := os.ReadFile("version.go")
	if err != nil {
		t.Fatal(err)
	}
	x := regexp.MustCompile(`-X github\.com/authdoctor/authdoctor/pkg/version\.(\w+)=`)
	found := x.FindAllStringSubmatch(strings.Join(b.Ldflags, " "), -1)
	if len(found) != 3 {
		t.Fatalf("want ldflags for Version, Commit, Date; got %v", found)
	}
	for _, m := range found {
		if !regexp.MustCompile(`(?m)^\s+` + m[1] + `\s+= ""`).Match(src) {
			t.Errorf("ldflags set version.%s, which is not a string variable in version.go", m[1])
		}
	}
	if cfg.Checksum.Name == "" {
		t.Error("no checksum file")
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
