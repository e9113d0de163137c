package catalog

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// Page is the markdown documentation page of a check: the content of
// docs/checks/<ID>.md and of `authdoctor explain ID`.
func Page(c *engine.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s\n\n", c.ID, c.Name)
	fmt.Fprintf(&b, "**%s** · default severity: `%s`\n\n", c.Title, c.Severity)
	fmt.Fprintf(&b, "## Why it breaks\n\n%s\n\n", c.Why)
	fmt.Fprintf(&b, "## Fix\n\n%s\n\n", c.Fix)
	fmt.Fprintf(&b, "## Silence or tune it\n\n")
	fmt.Fprintf(&b, "Use `--fail-on` to choose the severity that fails a run. The ID `%s` and the name `%s` are stable.\n\n", c.ID, c.Name)
	b.WriteString("<!-- Generated from the check registry by `go run ./cmd/gendocs`. Do not edit. -->\n")
	return b.String()
}

// Index is docs/checks/README.md: the catalogue as a markdown table.
func Index(r *engine.Registry) string {
	var b strings.Builder
	b.WriteString("# Check catalogue\n\n")
	b.WriteString("Every finding authdoctor reports belongs to one of these checks. IDs are stable.\n\n")
	b.WriteString(MarkdownTable(r))
	b.WriteString("\n## See also\n\n")
	b.WriteString("- [Troubleshooting Airflow + Azure Entra ID](../guides/airflow-entra.md)\n")
	b.WriteString("- [Troubleshooting Keycloak, Okta and Google](../guides/keycloak-okta-google.md)\n")
	b.WriteString("- [The command reference](../cli/README.md)\n")
	b.WriteString("- [CI recipes](../ci/README.md)\n")
	b.WriteString("\n<!-- Generated from the check registry by `go run ./cmd/gendocs`. Do not edit. -->\n")
	return b.String()
}

// MarkdownTable lists the checks as a markdown table.
func MarkdownTable(r *engine.Registry) string {
	var b strings.Builder
	b.WriteString("| ID | name | severity | title |\n|---|---|---|---|\n")
	for _, c := range r.All() {
		fmt.Fprintf(&b, "| [%s](%s.md) | %s | %s | %s |\n", c.ID, c.ID, c.Name, c.Severity, strings.ReplaceAll(c.Title, "|", "\\|"))
	}
	return b.String()
}

// DocFiles returns every generated doc file, path relative to the
// repository root → content.
func DocFiles(r *engine.Registry) map[string]string {
	out := map[string]string{"docs/checks/README.md": Index(r)}
	for _, c := range r.All() {
		out[c.DocPath()] = Page(c)
	}
	return out
}
