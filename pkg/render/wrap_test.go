package render

import (
	"bytes"
	"strings"
	"testing"
)

// The layouts the text report uses, wrapped at 40 columns: each
// continuation starts under the text it continues (the value of a
// key/value line, the text after "fix:", the title after a finding's
// "severity ID name  ", the text after a verdict word), and the URL is
// moved whole, never cut.
func TestWrapLineHangsContinuationsUnderTheirText(t *testing.T) {
	url := "https://login.microsoftonline.com/common/discovery/v2.0/keys"
	cases := []struct {
		name, in, want string
		width          int
	}{
		{"key and value",
			"      jwks_uri:  the key set at " + url + " is the common one",
			"      jwks_uri:  the key set at\n" +
				"                 " + url + "\n" +
				"                 is the common one", 40},
		{"label",
			"    fix: Register the exact callback under the Web platform.",
			"    fix: Register the exact callback\n" +
				"         under the Web platform.", 40},
		{"finding headline",
			"  error CFG005 provider-bad  An OAUTH_PROVIDERS entry is malformed",
			"  error CFG005 provider-bad  An OAUTH_PROVIDERS entry is\n" +
				"                             malformed", 60},
		// At 40 columns the title column (29) would leave 11 for text:
		// the continuation falls back to the line's indentation.
		{"finding headline, narrow",
			"  error CFG005 provider-bad  An OAUTH_PROVIDERS entry is malformed",
			"  error CFG005 provider-bad  An\n" +
				"  OAUTH_PROVIDERS entry is malformed", 40},
		{"verdict",
			"FAIL CFG005 provider-malformed: provider \"azure\" has no token_key at all",
			"FAIL CFG005 provider-malformed: provider\n" +
				"     \"azure\" has no token_key at all", 40},
		{"plain indented message",
			"    syntax error at webserver_config.py:14:19: '[' was never closed",
			"    syntax error at\n" +
				"    webserver_config.py:14:19: '[' was\n" +
				"    never closed", 40},
		{"fits", "  kid:  abc", "  kid:  abc", 40},
		{"one long word stays whole", "    " + url + "x", "    " + url + "x", 40},
	}
	for _, c := range cases {
		got := WrapLine(c.in, c.width)
		if got != c.want {
			t.Errorf("%s:\n got:\n%s\nwant:\n%s", c.name, got, c.want)
		}
		checkWrapped(t, c.name, c.in, got, c.width)
	}
}

// checkWrapped asserts the invariants of any wrapping: the words and
// their order are kept (no word cut or lost), and a line is wider than the
// width only when it holds a single word after its indentation, or its
// first line's unmovable label and one word.
func checkWrapped(t *testing.T, name, in, got string, width int) {
	t.Helper()
	if strings.Join(strings.Fields(stripSGR(got)), " ") != strings.Join(strings.Fields(stripSGR(in)), " ") {
		t.Errorf("%s: the words changed:\n%q\n%q", name, in, got)
	}
	for i, l := range strings.Split(got, "\n") {
		if visibleWidth(l) > width && len(strings.Fields(stripSGR(l))) > 1 && i > 0 {
			t.Errorf("%s: continuation line %d is %d columns wide: %q", name, i, visibleWidth(l), l)
		}
	}
}

// Colour sequences take no column: a coloured line wraps exactly where the
// plain one does.
func TestWrapLineIgnoresColour(t *testing.T) {
	var plain, coloured bytes.Buffer
	for _, c := range []struct {
		b      *bytes.Buffer
		colour bool
	}{{&plain, false}, {&coloured, true}} {
		p := NewTerminalPrinter(c.b, c.colour, 40)
		p.Printf("  %s %s %s  %s\n", p.Red("error"), p.Bold("CFG005"), "provider-malformed", "An OAUTH_PROVIDERS entry is malformed")
		p.Printf("    %s %s\n", p.Dim("doc:"), p.Dim("docs/checks/CFG005.md and a few more words to wrap"))
		if err := p.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if stripSGR(coloured.String()) != plain.String() {
		t.Errorf("colour changed the layout:\n%s\n---\n%s", plain.String(), stripSGR(coloured.String()))
	}
	if !strings.Contains(coloured.String(), "\x1b[") {
		t.Errorf("no colour in the coloured output")
	}
}

// Width 0 (piped output) and widths too narrow to wrap for leave lines
// alone; the printer then writes straight through.
func TestNoWrappingWhenWidthUnknown(t *testing.T) {
	long := "    fix: " + strings.Repeat("word ", 60)
	for _, w := range []int{0, minWrapWidth - 1} {
		if got := WrapLine(long, w); got != long {
			t.Errorf("width %d wrapped the line", w)
		}
		var b bytes.Buffer
		p := NewTerminalPrinter(&b, false, w)
		p.Printf("%s\n", long)
		_ = p.Flush()
		if b.String() != long+"\n" || p.Width != 0 {
			t.Errorf("width %d: printer changed the line (Width %d)", w, p.Width)
		}
	}
}

// The printer holds a line until its newline and wraps it whole, however
// it was written (several Printf calls, a last line without newline).
func TestPrinterWrapsAcrossWrites(t *testing.T) {
	var b bytes.Buffer
	p := NewTerminalPrinter(&b, false, 30)
	p.Printf("    fix: one two three ")
	p.Printf("four five six seven eight\n")
	p.Printf("  note: nine ten eleven twelve thirteen")
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "    fix: one two three four\n         five six seven eight\n  note: nine ten eleven twelve\n        thirteen"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestWrapHangUsesTheGivenIndent(t *testing.T) {
	got := WrapHang("authdoctor: note: fetching https://idp.example/.well-known/openid-configuration (the issuer's discovery document)", 50, 18)
	want := "authdoctor: note: fetching\n" +
		"                  https://idp.example/.well-known/openid-configuration\n" +
		"                  (the issuer's discovery\n" +
		"                  document)"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
