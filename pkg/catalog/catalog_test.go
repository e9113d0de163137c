package catalog_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/catalog"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// The catalogue must hold exactly the IDs of ../shared/checks.md.
func TestCatalogueMatchesChecksMd(t *testing.T) {
	path := filepath.Join(repoRoot(t), "..", "shared", "checks.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the contract %s is needed for this test: %v", path, err)
	}
	re := regexp.MustCompile(`(?m)^\| ([A-Z]{3}[0-9]{3}) \| (error|warning|info) \|`)
	want := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		want[m[1]] = m[2]
	}
	if len(want) < 50 {
		t.Fatalf("parsed only %d checks from checks.md", len(want))
	}
	got := map[string]string{}
	for _, c := range catalog.Default().All() {
		got[c.ID] = c.Severity.String()
	}
	for id, sev := range want {
		if got[id] != sev {
			t.Errorf("%s: catalogue severity %q, checks.md says %q", id, got[id], sev)
		}
	}
	// checks.md: "Add new checks freely inside a family (next free
	// number)". An addition must follow the family's last listed number.
	last := map[string]string{}
	for id := range want {
		if id > last[id[:3]] {
			last[id[:3]] = id
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			if l, fam := last[id[:3]]; !fam || id <= l {
				t.Errorf("%s is registered but not in checks.md, and is not a new number after %q in an existing family", id, l)
			}
		}
	}
}

// docs/checks must be exactly what cmd/gendocs generates.
func TestDocsDoNotDrift(t *testing.T) {
	root := repoRoot(t)
	files := catalog.DocFiles(catalog.Default())
	for path, want := range files {
		got, err := os.ReadFile(filepath.Join(root, path))
		if err != nil {
			t.Errorf("%s is missing: run `go run ./cmd/gendocs`", path)
			continue
		}
		if string(got) != want {
			t.Errorf("%s differs from the registry: run `go run ./cmd/gendocs`", path)
		}
	}
	entries, err := os.ReadDir(filepath.Join(root, "docs", "checks"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := files["docs/checks/"+e.Name()]; !ok {
			t.Errorf("docs/checks/%s is not generated from the registry: remove it", e.Name())
		}
	}
}

// Every implemented check needs a test where it fires and one where it
// does not: Go tests named TestCheck_<ID>_Fires… and TestCheck_<ID>_Clean….
// Unimplemented checks are listed as pending.
func TestEveryImplementedCheckHasFiringAndCleanTests(t *testing.T) {
	root := repoRoot(t)
	re := regexp.MustCompile(`(?m)^func (TestCheck_([A-Z]{3}[0-9]{3})_(Fires|Clean)\w*)\(t \*testing\.T\)`)
	fires, clean := map[string][]string{}, map[string][]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == ".git") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if m[3] == "Fires" {
				fires[m[2]] = append(fires[m[2]], m[1])
			} else {
				clean[m[2]] = append(clean[m[2]], m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var pending []string
	for _, c := range catalog.Default().All() {
		if !c.Implemented {
			pending = append(pending, c.ID)
			if len(fires[c.ID])+len(clean[c.ID]) > 0 {
				t.Errorf("%s has tests but is not marked Implemented", c.ID)
			}
			continue
		}
		if len(fires[c.ID]) == 0 {
			t.Errorf("%s is implemented but no TestCheck_%s_Fires… test shows it firing", c.ID, c.ID)
		}
		if len(clean[c.ID]) == 0 {
			t.Errorf("%s is implemented but no TestCheck_%s_Clean… test shows it not firing", c.ID, c.ID)
		}
	}
	sort.Strings(pending)
	t.Logf("pending (not implemented): %d checks: %s", len(pending), strings.Join(pending, " "))
}
