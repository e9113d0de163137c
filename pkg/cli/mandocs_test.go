package cli_test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/cmd/gendocs/clidocs"
	"github.com/authdoctor/authdoctor/cmd/gendocs/manpages"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// docs/man must be exactly what cmd/gendocs generates from the command
// tree: a changed command, flag or help text fails here until the pages
// are regenerated, and a page no command has any more is stale.
func TestManPagesDoNotDrift(t *testing.T) {
	files, err := manpages.Files()
	if err != nil {
		t.Fatal(err)
	}
	checkGenerated(t, manpages.Dir, files)
}

// There is a page for the program and for every command and subcommand a
// user can run or name (walked here independently of the generator),
// each a man(7) page of section 1 with the command's name, synopsis, every
// flag --help shows, and links to its parent and children.
func TestManPagesCoverEveryCommand(t *testing.T) {
	files, err := manpages.Files()
	if err != nil {
		t.Fatal(err)
	}
	tree := clidocs.NewRoot()
	tree.InitDefaultCompletionCmd()
	seen := 0
	var visit func(c *cobra.Command)
	visit = func(c *cobra.Command) {
		seen++
		dashed := strings.ReplaceAll(c.CommandPath(), " ", "-")
		page, ok := files[manpages.Dir+"/"+dashed+".1"]
		if !ok {
			t.Errorf("no man page for %q", c.CommandPath())
			return
		}
		th := regexp.MustCompile(`(?m)^\.TH "([^"]+)" "1" "([^"]+)" "authdoctor" "authdoctor manual"$`).FindStringSubmatch(page)
		if th == nil || th[1] != strings.ToUpper(dashed) {
			t.Errorf("%s: no .TH header for section 1 naming it: %v", dashed, th)
		}
		for _, want := range []string{".SH NAME\n", ".SH SYNOPSIS\n", ".SH DESCRIPTION\n"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: no %s", dashed, strings.TrimSpace(want))
			}
		}
		c.InitDefaultHelpFlag()
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden && !strings.Contains(page, `\fB--`+f.Name+`\fP`) {
				t.Errorf("%s: flag --%s missing", dashed, f.Name)
			}
		})
		if c.HasParent() && !strings.Contains(page, `\fB`+strings.ReplaceAll(c.Parent().CommandPath(), " ", "-")+`(1)\fP`) {
			t.Errorf("%s: SEE ALSO does not name its parent", dashed)
		}
		for _, s := range c.Commands() {
			if s.IsAvailableCommand() && !s.IsAdditionalHelpTopicCommand() {
				visit(s)
			}
		}
	}
	visit(tree)
	// the program, 12 commands of our own, config show, completion and its 4 shells
	if seen < 19 || len(files) != seen {
		t.Errorf("walked %d commands, generated %d pages", seen, len(files))
	}
}

// Two runs give the same bytes, with the fixed header date (not today's),
// no cobra "Auto generated" footer with a date, and nothing of the
// machine (paths, home, temp dir).
func TestManPagesReproducible(t *testing.T) {
	a, err := manpages.Files()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := manpages.Files()
	wd, _ := os.Getwd()
	machine := []string{repoRootDir(t), wd, os.TempDir()}
	fixed := manpages.Date.Format("Jan 2006")
	for p, page := range a {
		if b[p] != page {
			t.Errorf("%s differs between two runs", p)
		}
		if !strings.Contains(page, `"`+fixed+`"`) {
			t.Errorf("%s: header date is not %s", p, fixed)
		}
		if today := time.Now().Format("Jan 2006"); today != fixed && strings.Contains(page, today) {
			t.Errorf("%s carries today's date", p)
		}
		if strings.Contains(page, "Auto generated") || strings.Contains(page, "HISTORY") {
			t.Errorf("%s has cobra's dated footer", p)
		}
		for _, m := range machine {
			if strings.Contains(page, m) {
				t.Errorf("%s contains the machine path %q", p, m)
			}
		}
	}
}

// Help texts are plain text written for the terminal; in the page they
// read the same: names with double underscores, [sections] and <tenant>
// are not taken as markdown, and indented lines stay an unfilled example.
func TestManPagesKeepPlainHelpText(t *testing.T) {
	root := &cobra.Command{Use: "tool", Short: "a tool"}
	sub := &cobra.Command{Use: "sub", Short: "use <tenant> and [webserver]", Run: func(*cobra.Command, []string) {},
		Long: "Reads AIRFLOW__WEBSERVER__BASE_URL in *.py or *.yaml files:\n  tool sub --flag   one\n                    two\nAfter."}
	sub.Flags().String("env", "", "KEY=VALUE such as AIRFLOW__API__BASE_URL")
	root.AddCommand(sub)
	files, err := manpages.FilesFor(root)
	if err != nil {
		t.Fatal(err)
	}
	page := files[manpages.Dir+"/tool-sub.1"]
	for _, want := range []string{"AIRFLOW__WEBSERVER__BASE_URL", "AIRFLOW__API__BASE_URL", "<tenant>", "[webserver]",
		".EX\n  tool sub --flag   one\n                    two\n.EE"} {
		if !strings.Contains(page, want) {
			t.Errorf("%q is not in the page as written:\n%s", want, page)
		}
	}
	if strings.Contains(page, `\fB`+"WEBSERVER") || strings.Contains(page, `\fI`) {
		t.Errorf("help text read as markdown emphasis:\n%s", page)
	}
}

// cobra's doc generator (and go-md2man, blackfriday) are linked into
// cmd/gendocs only, never into authdoctor, whose start-up is measured.
func TestManGeneratorStaysOutOfTheBinary(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/authdoctor/authdoctor/cmd/authdoctor").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "github.com/spf13/cobra/doc" || strings.HasPrefix(pkg, "github.com/cpuguy83/go-md2man") ||
			strings.HasPrefix(pkg, "github.com/russross/blackfriday") || strings.HasPrefix(pkg, "github.com/authdoctor/authdoctor/cmd/gendocs") {
			t.Errorf("authdoctor links %s", pkg)
		}
	}
}
