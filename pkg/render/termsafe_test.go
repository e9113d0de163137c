package render

import (
	"bytes"
	"strings"
	"testing"
)

// Data from a hostile server reached the terminal as control sequences
// (found by the hostile-server suite, pkg/hostile: an issuer holding
// ESC [2J and an OSC window title): the printer writes them as visible
// escapes, keeps its own colours, and replaces invalid UTF-8.
func TestPrinterEscapesControlCharacters(t *testing.T) {
	hostile := "https://idp/\x1b[2J\x1b]0;pwned\x07 \x1b[8mhidden \rover \x00 \x7f \u009b31m \xff\xfe é ✓\ttab"
	for _, colour := range []bool{false, true} {
		var b bytes.Buffer
		p := NewPrinter(&b, colour)
		p.Printf("%s %s\n", p.Red("FAIL"), hostile)
		p.KV(2, 6, "issuer", hostile)
		out := b.String()
		for _, bad := range []string{"\x1b[2J", "\x1b]", "\x07", "\r", "\x00", "\x7f", "\u009b", "\xff"} {
			if strings.Contains(out, bad) {
				t.Errorf("colour %v: %q reached the output:\n%q", colour, bad, out)
			}
		}
		for _, want := range []string{`\x1b[2J`, `\x1b]0;pwned\x07`, `\r`, `\x00`, `\x7f`, `\u009b`, "\uFFFD\uFFFD", "é ✓\ttab\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("colour %v: %q missing from:\n%q", colour, want, out)
			}
		}
		if colour {
			if !strings.Contains(out, p.Red("FAIL")) || !strings.HasPrefix(p.Red("FAIL"), "\x1b[") {
				t.Errorf("the printer's own colour was lost:\n%q", out)
			}
			// A colour sequence from the data is kept only as a colour.
			if !strings.Contains(out, "\x1b[8mhidden") {
				t.Errorf("an SGR sequence was altered:\n%q", out)
			}
		} else if strings.Contains(out, "\x1b") {
			t.Errorf("ESC in uncoloured output:\n%q", out)
		}
	}
}

func TestPrinterLeavesPlainTextAlone(t *testing.T) {
	var b bytes.Buffer
	p := NewPrinter(&b, false)
	s := "OK no problems found\n  kid:  abc — ünïcode ✓\ttab\n"
	p.Printf("%s", s)
	if b.String() != s {
		t.Fatalf("%q became %q", s, b.String())
	}
}
