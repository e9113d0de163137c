package explain_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/aadsts"
	"github.com/authdoctor/authdoctor/pkg/catalog"
	"github.com/authdoctor/authdoctor/pkg/testkit/clitest"
)

// markdownPunctuation finds what a terminal reader should not see: strong
// emphasis, code spans and fences, headings, link brackets, HTML comments.
var markdownPunctuation = regexp.MustCompile("\\*\\*|`|(?m)^\\s*#|\\]\\(|<!--")

func TestExplainChecksAndAADSTS(t *testing.T) {
	for _, c := range catalog.Default().All() {
		for _, arg := range []string{c.ID, strings.ToLower(c.ID), c.Name} {
			stdout, _, code := clitest.RunCLI(t, "explain", arg, "-o", "markdown")
			if code != 0 || stdout != catalog.Page(c) {
				t.Errorf("explain %s -o markdown: exit %d, output is not the doc page", arg, code)
			}
		}
	}
	stdout, _, code := clitest.RunCLI(t, "explain", "AADSTS50011")
	if code != 0 || !strings.Contains(stdout, "InvalidReplyTo") || !strings.Contains(stdout, "redirect") {
		t.Errorf("AADSTS50011: %d %q", code, stdout)
	}
	stdout, _, code = clitest.RunCLI(t, "explain", "aadsts700016", "-o", "json")
	if code != 0 || !strings.Contains(stdout, `"id": "AADSTS700016"`) {
		t.Errorf("json: %d %q", code, stdout)
	}
	_, stderr, code := clitest.RunCLI(t, "explain", "AADSTS1")
	if code != 2 || !strings.Contains(stderr, "login.microsoftonline.com/error?code=1") {
		t.Errorf("unknown code: %d %q", code, stderr)
	}
}

// The text form of every page is for a terminal: no markdown punctuation,
// the title and sections as plain lines, every sentence of the page still
// there.
func TestExplainTextHasNoMarkdownPunctuation(t *testing.T) {
	for _, c := range catalog.Default().All() {
		out, _, code := clitest.RunCLI(t, "explain", c.ID)
		if code != 0 {
			t.Fatalf("explain %s: exit %d", c.ID, code)
		}
		if m := markdownPunctuation.FindString(out); m != "" {
			t.Errorf("explain %s shows markdown punctuation %q:\n%s", c.ID, m, out)
		}
		lines := strings.Split(out, "\n")
		if lines[0] != c.ID+" "+c.Name {
			t.Errorf("explain %s: first line %q", c.ID, lines[0])
		}
		for _, heading := range []string{"Why it breaks", "Fix", "Silence or tune it"} {
			if !slices.Contains(lines, heading) {
				t.Errorf("explain %s: no heading line %q", c.ID, heading)
			}
		}
		for _, want := range []string{c.Title, c.Why, c.Fix} {
			if !strings.Contains(words(out), words(want)) {
				t.Errorf("explain %s lacks %q", c.ID, want)
			}
		}
	}
	for _, a := range aadsts.All() {
		out, _, code := clitest.RunCLI(t, "explain", a.ID())
		if code != 0 || markdownPunctuation.MatchString(out) {
			t.Errorf("explain %s: exit %d, markdown punctuation in:\n%s", a.ID(), code, out)
		}
		if !strings.Contains(words(out), words(a.Meaning)) || !strings.Contains(words(out), words(a.Fix)) {
			t.Errorf("explain %s lacks its meaning or fix:\n%s", a.ID(), out)
		}
		md, _, _ := clitest.RunCLI(t, "explain", a.ID(), "-o", "markdown")
		if !strings.HasPrefix(md, "# "+a.ID()+" "+a.Name+"\n") || !strings.Contains(md, "\n## Fix\n") {
			t.Errorf("explain %s -o markdown:\n%s", a.ID(), md)
		}
	}
}

// On a terminal (COLUMNS=60) the page is wrapped: no line wider than 60
// columns unless it is one unbreakable word after its indentation.
func TestExplainWrapsOnATerminal(t *testing.T) {
	for _, id := range []string{"CFG008", "TOK004", "AADSTS50011"} {
		r := clitest.Run(t, clitest.Options{OutTTY: true, Env: map[string]string{"COLUMNS": "60"}}, "explain", id, "--color", "never")
		for _, l := range strings.Split(r.Stdout, "\n") {
			if len([]rune(l)) > 60 && len(strings.Fields(l)) > 1 {
				t.Errorf("explain %s: line of %d columns: %q", id, len([]rune(l)), l)
			}
		}
		piped, _, _ := clitest.RunCLI(t, "explain", id)
		if words(piped) != words(r.Stdout) || piped == r.Stdout {
			t.Errorf("explain %s: the terminal form should differ from the piped one only in line breaks", id)
		}
	}
}

func TestExplainJSONIsOneDocument(t *testing.T) {
	out, _, code := clitest.RunCLI(t, "explain", "TOK004", "-o", "json")
	var doc map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || doc["id"] != "TOK004" {
		t.Errorf("exit %d: %s", code, out)
	}
}

// words normalises whitespace and the markup a page's text may carry, so
// a sentence can be found however it was wrapped.
func words(s string) string {
	s = strings.NewReplacer("`", "", "**", "").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
