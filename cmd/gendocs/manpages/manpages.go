// Package manpages writes authdoctor's man pages (docs/man/*.1, section 1)
// from the cobra command tree with cobra's doc generator
// (github.com/spf13/cobra/doc, which renders through go-md2man).
//
// It lives under cmd/gendocs and nothing in the authdoctor binary imports
// it: cobra/doc, go-md2man and blackfriday stay out of authdoctor, whose
// start-up is measured (docs/performance.md). The pages are reproducible:
// the header date is fixed (Date), and nothing of the machine that runs
// the generator gets in.
package manpages

import (
	"bytes"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/cmd/gendocs/clidocs"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"
)

// Dir is where the pages live, relative to the repository root; the
// release archives ship them (.goreleaser.yaml).
const Dir = "docs/man"

// Date is the date in every page's header (shown as "Dec 2026"). It is
// fixed rather than today's, so that two runs give the same bytes and the
// drift test can compare them; cobra would otherwise take the clock or
// SOURCE_DATE_EPOCH. Move it forward when the pages change materially.
var Date = time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)

// Files returns the man pages of authdoctor's command tree: path relative
// to the repository root → content.
func Files() (map[string]string, error) { return FilesFor(clidocs.NewRoot()) }

// FilesFor returns a man page for the root and every available command
// under it (authdoctor-config-show.1 for `authdoctor config show`). It
// changes the tree it is given (help texts escaped for markdown, cobra's
// generated-by footer off): give it a tree of its own.
func FilesFor(root *cobra.Command) (map[string]string, error) {
	root.InitDefaultCompletionCmd()
	root.DisableAutoGenTag = true
	out := map[string]string{}
	escaped := map[*pflag.Flag]bool{}
	for _, c := range clidocs.Walk(root) {
		prepare(c, escaped)
		date := Date
		h := &doc.GenManHeader{Section: "1", Date: &date, Source: root.Name(), Manual: root.Name() + " manual"}
		var b bytes.Buffer
		if err := doc.GenMan(c, h, &b); err != nil {
			return nil, err
		}
		out[Dir+"/"+PageName(c)] = b.String()
	}
	return out, nil
}

// PageName is a command's page file: its path joined with hyphens, as
// man(1) and cobra's SEE ALSO links name it.
func PageName(c *cobra.Command) string {
	return strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
}

// prepare turns a command's help texts, written as plain text for the
// terminal, into the markdown cobra's generator expects, so that they
// read the same in the page: indented lines (examples, tables of flags)
// become preformatted blocks, and characters markdown would take as markup
// (AIRFLOW__WEBSERVER__BASE_URL, [webserver], <tenant>) are escaped. A
// flag shared by several commands (the root's) is escaped once.
func prepare(c *cobra.Command, escaped map[*pflag.Flag]bool) {
	c.Long = plainToMarkdown(c.Long)
	c.Short = escapeMarkdown(c.Short)
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if !escaped[f] {
			escaped[f] = true
			f.Usage = escapeMarkdown(f.Usage)
		}
	})
}

// plainToMarkdown keeps paragraphs (escaped) and puts each run of indented
// lines in a fenced block, which go-md2man renders unfilled.
func plainToMarkdown(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	var b strings.Builder
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "  ") {
			b.WriteString(escapeMarkdown(lines[i]) + "\n")
			continue
		}
		b.WriteString("\n```\n")
		for ; i < len(lines) && (strings.HasPrefix(lines[i], "  ") || strings.TrimSpace(lines[i]) == "" && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "  ")); i++ {
			b.WriteString(lines[i] + "\n")
		}
		b.WriteString("```\n\n")
		i--
	}
	return b.String()
}

// escapeMarkdown backslash-escapes the characters markdown reads as
// markup in running text.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>#|", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
