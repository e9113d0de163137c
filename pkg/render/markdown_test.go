package render

import (
	"bytes"
	"strings"
	"testing"
)

// Each construct the docs use, shown without its markdown punctuation:
// headings at the margin, text indented under them, bullets, numbers,
// code blocks indented and left as written, links reduced to their text
// (with the address when it is absolute), escapes resolved, comments
// dropped.
func TestMarkdownForTheTerminal(t *testing.T) {
	md := "# TOK004 kid-not-found\n\n" +
		"**No key** has the token's `kid` · default severity: `error`\n\n" +
		"## Fix\n\n" +
		"Use the *right* key set; see [TOK005](TOK005.md) and\n" +
		"[Entra's docs](https://learn.microsoft.com/entra) or <https://example.com/x>.\n\n" +
		"- first item\n  continued\n- `second` item\n\n" +
		"1. one\n2. two\n\n" +
		"```sh\nauthdoctor verify @t.jwt --jwks **not bold**\n```\n\n" +
		"    indented code `kept`\n\n" +
		"> quoted\n\n" +
		"A pipe \\| and a star \\* escaped; client_id and <client_id> kept.\n\n" +
		"<!-- Generated. Do not edit. -->\n"
	var b bytes.Buffer
	Markdown(NewPrinter(&b, false), md, 0)
	want := "TOK004 kid-not-found\n\n" +
		"  No key has the token's kid · default severity: error\n\n" +
		"Fix\n\n" +
		"  Use the right key set; see TOK005 and Entra's docs (https://learn.microsoft.com/entra) or https://example.com/x.\n\n" +
		"  • first item continued\n" +
		"  • second item\n\n" +
		"  1. one\n" +
		"  2. two\n\n" +
		"    authdoctor verify @t.jwt --jwks **not bold**\n\n" +
		"    indented code `kept`\n\n" +
		"    quoted\n\n" +
		"  A pipe | and a star * escaped; client_id and <client_id> kept.\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

// On a terminal, paragraphs and list items wrap under their own text;
// code does not wrap.
func TestMarkdownWrapsParagraphsNotCode(t *testing.T) {
	md := "## Fix\n\n" + strings.Repeat("word ", 20) + "\n\n- " + strings.Repeat("item ", 12) + "\n\n```\n" + strings.Repeat("code ", 12) + "\n```\n"
	var b bytes.Buffer
	Markdown(NewPrinter(&b, false), md, 40)
	want := "Fix\n\n" +
		"  word word word word word word word\n" +
		"  word word word word word word word\n" +
		"  word word word word word word\n\n" +
		"  • item item item item item item item\n" +
		"    item item item item item\n\n" +
		"    code code code code code code code code code code code code\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

// With colour, headings and strong text are bold and code spans cyan; the
// words are the same as without.
func TestMarkdownColour(t *testing.T) {
	md := "# Title\n\n**strong** and `code`\n"
	var plain, coloured bytes.Buffer
	Markdown(NewPrinter(&plain, false), md, 0)
	Markdown(NewPrinter(&coloured, true), md, 0)
	if stripSGR(coloured.String()) != plain.String() {
		t.Errorf("colour changed the text: %q vs %q", coloured.String(), plain.String())
	}
	for _, want := range []string{"\x1b[1mTitle", "\x1b[1mstrong", "\x1b[36mcode"} {
		if !strings.Contains(coloured.String(), want) {
			t.Errorf("%q missing from %q", want, coloured.String())
		}
	}
}
