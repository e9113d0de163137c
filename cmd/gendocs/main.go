// Command gendocs writes docs/checks/*.md from the check registry. Run it
// from the repository root: go run ./cmd/gendocs
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/authdoctor/authdoctor/pkg/catalog"
)

func main() {
	files := catalog.DocFiles(catalog.Default())
	for path, content := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "gendocs:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gendocs:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("gendocs: wrote %d files under docs/checks\n", len(files))
}
