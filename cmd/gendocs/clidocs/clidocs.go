// Package clidocs writes the CLI reference (docs/cli) from the cobra
// command tree: one markdown page per command and an index. The output is
// deterministic: commands in name order, flags as pflag lists them without
// wrapping, no dates, no paths of the machine that ran it.
package clidocs

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cli"
	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Dir is where the reference lives, relative to the repository root.
const Dir = "docs/cli"

const footer = "<!-- Generated from the command tree by `go run ./cmd/gendocs`. Do not edit. -->\n"

// NewRoot builds authdoctor's command tree as the binary does, with
// streams that go nowhere and an environment that is empty, so nothing of
// the machine running the generator leaks into the pages.
func NewRoot() *cobra.Command {
	io := &cmdutil.IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard,
		Getenv: func(string) string { return "" }}
	f := &cmdutil.Factory{IO: io, G: &cmdutil.Globals{},
		Clock: func() time.Time { return time.Unix(0, 0).UTC() }}
	return cli.NewRoot(f)
}

// Files returns the reference for authdoctor's command tree: path relative
// to the repository root → content.
func Files() map[string]string { return FilesFor(NewRoot()) }

// FilesFor returns the reference for any command tree. It adds what cobra
// adds lazily when a command runs (the completion command, the -h flags),
// so the pages show what --help shows.
func FilesFor(root *cobra.Command) map[string]string {
	root.InitDefaultCompletionCmd()
	cmds := Walk(root)
	for _, c := range cmds {
		c.InitDefaultHelpFlag()
	}
	out := map[string]string{Dir + "/README.md": index(root, cmds)}
	for _, c := range cmds[1:] {
		out[Dir+"/"+fileName(c)] = page(c)
	}
	return out
}

// Walk lists root and every available command under it, depth first in
// name order: the commands that get a page (here and in the man pages).
// cobra's own help command is left out: `authdoctor help X` prints the
// same as `authdoctor X --help`.
func Walk(root *cobra.Command) []*cobra.Command {
	list := []*cobra.Command{root}
	subs := append([]*cobra.Command(nil), root.Commands()...)
	sort.Slice(subs, func(i, j int) bool { return subs[i].Name() < subs[j].Name() })
	for _, c := range subs {
		if !c.IsAvailableCommand() || c.IsAdditionalHelpTopicCommand() {
			continue
		}
		list = append(list, Walk(c)...)
	}
	return list
}

// fileName is the page of a command: its path with underscores
// (authdoctor_completion_bash.md); the root is the index.
func fileName(c *cobra.Command) string {
	if !c.HasParent() {
		return "README.md"
	}
	return strings.ReplaceAll(c.CommandPath(), " ", "_") + ".md"
}

func index(root *cobra.Command, cmds []*cobra.Command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s CLI reference\n\n", root.Name())
	fmt.Fprintf(&b, "%s.\n\n", strings.TrimSuffix(root.Short, "."))
	usage(&b, root)
	description(&b, root)
	b.WriteString("## Commands\n\n| command | what it does |\n|---|---|\n")
	for _, c := range cmds[1:] {
		fmt.Fprintf(&b, "| [`%s`](%s) | %s |\n", c.CommandPath(), fileName(c), cell(c.Short))
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "`%s help COMMAND` prints the same as `%s COMMAND --help`.\n\n", root.Name(), root.Name())
	flags(&b, "Global flags", "Every command understands these.", root.PersistentFlags())
	b.WriteString("## See also\n\n")
	b.WriteString("- [Check catalogue](../checks/README.md): every check ID a command can report\n")
	b.WriteString("- [Troubleshooting Airflow + Entra ID](../guides/airflow-entra.md)\n")
	b.WriteString("- [Troubleshooting Keycloak, Okta, Google](../guides/keycloak-okta-google.md)\n")
	b.WriteString("- [CI recipes](../ci/README.md)\n\n")
	b.WriteString(footer)
	return b.String()
}

func page(c *cobra.Command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", c.CommandPath())
	if c.Short != "" {
		fmt.Fprintf(&b, "%s\n\n", ensureStop(c.Short))
	}
	usage(&b, c)
	description(&b, c)
	if ex := dedent(c.Example); ex != "" {
		fmt.Fprintf(&b, "## Examples\n\n```sh\n%s\n```\n\n", ex)
	}
	if subs := available(c); len(subs) > 0 {
		b.WriteString("## Commands\n\n")
		for _, s := range subs {
			fmt.Fprintf(&b, "- [`%s`](%s): %s\n", s.CommandPath(), fileName(s), s.Short)
		}
		b.WriteString("\n")
	}
	flags(&b, "Flags", "", c.LocalFlags())
	flags(&b, "Global flags", "", c.InheritedFlags())
	b.WriteString("## See also\n\n")
	p := c.Parent()
	fmt.Fprintf(&b, "- [`%s`](%s)", p.CommandPath(), fileName(p))
	if !p.HasParent() {
		b.WriteString(": all commands and the global flags")
	}
	b.WriteString("\n")
	b.WriteString("- [Check catalogue](../checks/README.md)\n\n")
	b.WriteString(footer)
	return b.String()
}

func usage(b *strings.Builder, c *cobra.Command) {
	lines := []string{}
	if c.Runnable() {
		lines = append(lines, c.UseLine())
	}
	if c.HasAvailableSubCommands() {
		lines = append(lines, c.CommandPath()+" [command]")
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(b, "## Usage\n\n```text\n%s\n```\n\n", strings.Join(lines, "\n"))
}

// description prints the long help as written for the terminal: it is
// plain text hard-wrapped at 80 columns, so it goes in a text block rather
// than being reinterpreted as markdown (<tenant>, [webserver], indented
// shell lines).
func description(b *strings.Builder, c *cobra.Command) {
	long := strings.TrimSpace(c.Long)
	if long == "" || long == strings.TrimSpace(c.Short) {
		return
	}
	fmt.Fprintf(b, "## Description\n\n```text\n%s\n```\n\n", trimLines(long))
}

func flags(b *strings.Builder, title, intro string, fs *pflag.FlagSet) {
	if !fs.HasAvailableFlags() {
		return
	}
	fmt.Fprintf(b, "## %s\n\n", title)
	if intro != "" {
		fmt.Fprintf(b, "%s\n\n", intro)
	}
	// FlagUsages does not wrap (width 0), so the terminal of whoever runs
	// the generator does not matter.
	fmt.Fprintf(b, "```text\n%s```\n\n", trimLines(fs.FlagUsages()))
}

func available(c *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, s := range c.Commands() {
		if s.IsAvailableCommand() && !s.IsAdditionalHelpTopicCommand() {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// dedent removes the indentation common to every non-empty line (cobra
// examples are written indented by two spaces).
func dedent(s string) string {
	s = strings.Trim(s, "\n")
	if strings.TrimSpace(s) == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	for i, l := range lines {
		if len(l) >= common {
			lines[i] = l[common:]
		} else {
			lines[i] = strings.TrimLeft(l, " \t")
		}
	}
	return trimLines(strings.Join(lines, "\n"))
}

// trimLines drops trailing blanks on every line (pflag pads some).
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Join(lines, "\n")
}

func ensureStop(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
