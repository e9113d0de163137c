// Command gendocs writes the generated documentation: docs/checks/*.md
// from the check registry, and from the command tree docs/cli/*.md (the
// CLI reference) and docs/man/*.1 (the man pages the release archives
// ship). Run it from the repository root: go run ./cmd/gendocs
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/authdoctor/authdoctor/cmd/gendocs/clidocs"
	"github.com/authdoctor/authdoctor/cmd/gendocs/manpages"
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
	report(clidocs.Dir, len(ref), prune(clidocs.Dir, ".md", ref))

	man, err := manpages.Files()
	if err != nil {
		fail(err)
	}
	write(man)
	report(manpages.Dir, len(man), prune(manpages.Dir, ".1", man))
}

func report(dir string, wrote, removed int) {
	fmt.Printf("gendocs: wrote %d files under %s", wrote, dir)
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

// prune deletes the pages (files ending in ext) under dir that the
// generator no longer writes (a renamed or removed command).
func prune(dir, ext string, keep map[string]string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		fail(err)
	}
	n := 0
	for _, e := range entries {
		p := dir + "/" + e.Name()
		if _, ok := keep[p]; ok || e.IsDir() || !strings.HasSuffix(e.Name(), ext) {
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
