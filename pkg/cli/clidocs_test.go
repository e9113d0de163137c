package cli_test

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/cmd/gendocs/clidocs"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// repoRootDir walks up from the test's directory to go.mod.
func repoRootDir(t *testing.T) string {
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

// docs/cli must be exactly what cmd/gendocs generates from the command
// tree: a changed flag, help text or command makes this fail until the
// reference is regenerated.
func TestCLIDocsDoNotDrift(t *testing.T) {
	checkGenerated(t, clidocs.Dir, clidocs.Files())
}

// checkGenerated asserts that the files of a generated directory are
// exactly the generator's: each one present with the generated content,
// and none there that the generator no longer writes.
func checkGenerated(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	root := repoRootDir(t)
	for path, want := range files {
		got, err := os.ReadFile(filepath.Join(root, path))
		if err != nil {
			t.Errorf("%s is missing: run `go run ./cmd/gendocs`", path)
			continue
		}
		if string(got) != want {
			t.Errorf("%s differs from the command tree: run `go run ./cmd/gendocs`\n%s", path, firstDiff(string(got), want))
		}
	}
	entries, err := os.ReadDir(filepath.Join(root, dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := files[dir+"/"+e.Name()]; !ok {
			t.Errorf("%s/%s is not generated from the command tree: run `go run ./cmd/gendocs` (it removes stale pages)", dir, e.Name())
		}
	}
}

// The reference is complete: a page for every command a user can run, with
// its usage line and every flag (local and global) --help shows, and each
// page reachable from the index.
func TestCLIDocsCoverEveryCommandAndFlag(t *testing.T) {
	files := clidocs.Files()
	index := files[clidocs.Dir+"/README.md"]
	if index == "" {
		t.Fatal("no index page")
	}
	tree := clidocs.NewRoot()
	tree.InitDefaultCompletionCmd()
	var visit func(c *cobra.Command)
	seen := 0
	visit = func(c *cobra.Command) {
		for _, s := range c.Commands() {
			if !s.IsAvailableCommand() {
				continue
			}
			s.InitDefaultHelpFlag()
			seen++
			name := strings.ReplaceAll(s.CommandPath(), " ", "_") + ".md"
			page, ok := files[clidocs.Dir+"/"+name]
			if !ok {
				t.Errorf("no page for %q", s.CommandPath())
				continue
			}
			if !strings.Contains(index, "("+name+")") {
				t.Errorf("the index does not link %s", name)
			}
			if s.Runnable() && !strings.Contains(page, "\n"+s.UseLine()+"\n") {
				t.Errorf("%s: usage line %q missing", name, s.UseLine())
			}
			local, global := section(page, "## Flags"), section(page, "## Global flags")
			s.LocalFlags().VisitAll(func(f *pflag.Flag) {
				if !f.Hidden && !strings.Contains(local, "--"+f.Name+" ") {
					t.Errorf("%s: flag --%s missing from Flags", name, f.Name)
				}
			})
			s.InheritedFlags().VisitAll(func(f *pflag.Flag) {
				if !f.Hidden && !strings.Contains(global, "--"+f.Name+" ") {
					t.Errorf("%s: global flag --%s missing", name, f.Name)
				}
			})
			if ex := strings.TrimSpace(s.Example); ex != "" {
				first := strings.TrimSpace(strings.SplitN(ex, "\n", 2)[0])
				if !strings.Contains(page, "\n"+first+"\n") {
					t.Errorf("%s: example %q missing or still indented", name, first)
				}
			}
			visit(s)
		}
	}
	visit(tree)
	// 12 commands of our own, completion and its 4 shells.
	if seen < 17 || len(files) != seen+1 {
		t.Errorf("walked %d commands, generated %d files", seen, len(files))
	}
}

// Two runs give the same bytes, and nothing of the machine (paths, home,
// temp dir, working directory) appears in the pages.
func TestCLIDocsDeterministic(t *testing.T) {
	a, b := clidocs.Files(), clidocs.Files()
	if len(a) != len(b) {
		t.Fatalf("%d vs %d files", len(a), len(b))
	}
	wd, _ := os.Getwd()
	home, _ := os.UserHomeDir()
	machine := []string{repoRootDir(t), wd, os.TempDir()}
	if home != "" && home != "/" {
		machine = append(machine, home)
	}
	paths := make([]string, 0, len(a))
	for p := range a {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if a[p] != b[p] {
			t.Errorf("%s differs between two runs", p)
		}
		for _, m := range machine {
			if strings.Contains(a[p], m) {
				t.Errorf("%s contains the machine path %q", p, m)
			}
		}
		if !strings.HasSuffix(a[p], "Do not edit. -->\n") {
			t.Errorf("%s lacks the generated-file footer", p)
		}
	}
}

// section returns the fenced block under a heading.
func section(page, heading string) string {
	i := strings.Index(page, "\n"+heading+"\n")
	if i < 0 {
		return ""
	}
	rest := page[i+len(heading)+2:]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// firstDiff shows the first line where the committed text and the
// generated (or actual) one differ.
func firstDiff(committed, generated string) string {
	return lineDiff("committed", committed, "generated", generated)
}

// lineDiff shows the first line where two named texts differ.
func lineDiff(aName, a, bName, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ":\n  " + aName + ": " + x + "\n  " + bName + ": " + y
		}
	}
	return ""
}
