// Command gendocs writes the generated documentation: docs/checks/*.md
// from the check registry and docs/cli/*.md (the CLI reference) from the
// command tree. Run it from the repository root: go run ./cmd/gendocs
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/authdoctor/authdoctor/cmd/gendocs/clidocs"
	"github.com/authdoctor/authdoctor/pkg/catalog"
)

func main() {
	if _, err := os.Stat("go.mod"); err != nil {
		fail(fmt.Errorf("run me from the repository root (no go.mod here)"))
	}
	checks := catalog.DocFiles(catalog.Default())
	write(checks)
	fmt.Printf("gendocs: wrote %d files under docs/checks\n", len(checks))

	ref := clidocs.Files()
	write(ref)
	removed := prune(clidocs.Dir, ref)
	fmt.Printf("gendocs: wrote %d files under %s", len(ref), clidocs.Dir)
	if removed > 0 {
		fmt.Printf(", removed %d stale", removed)
	}
	fmt.Println()
}

func write(files map[string]string) {
	for path, content := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fail(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			fail(err)
		}
	}
}

// prune deletes markdown pages under dir that the generator no longer
// writes (a renamed or removed command).
func prune(dir string, keep map[string]string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		fail(err)
	}
	n := 0
	for _, e := range entries {
		p := dir + "/" + e.Name()
		if _, ok := keep[p]; ok || e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		if err := os.Remove(p); err != nil {
			fail(err)
		}
		n++
	}
	return n
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gendocs:", err)
	os.Exit(1)
}
