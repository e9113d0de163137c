package render

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// termSafe is the writer behind every Printer. Text output shows data from
// servers, tokens and config files, which may carry terminal control
// sequences (clear the screen, set the window title, hide text, move the
// cursor over a finding): it writes control characters as visible escapes
// instead. Kept as they are: newline and tab; and, when the printer
// colours, ESC starting an SGR colour sequence (ESC [ digits and ; then
// m), which is what the printer's own colours are. Invalid UTF-8 becomes
// U+FFFD.
type termSafe struct {
	w     io.Writer
	color bool
}

func (t termSafe) Write(b []byte) (int, error) {
	if safe(b) {
		return t.w.Write(b)
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		c := b[i]
		if c == 0x1b && t.color {
			if n := sgrLen(b[i:]); n > 0 {
				out = append(out, b[i:i+n]...)
				i += n
				continue
			}
		}
		if c < utf8.RuneSelf {
			switch {
			case c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f):
				out = append(out, c)
			case c == '\r':
				out = append(out, `\r`...)
			default:
				out = fmt.Appendf(out, `\x%02x`, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			out = append(out, "\uFFFD"...)
		case r >= 0x80 && r <= 0x9f: // C1 controls (U+009B is a CSI)
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	if _, err := t.w.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}

// safe reports whether b needs no escaping: printable ASCII, newline and
// tab only (the common case), or valid UTF-8 without control characters.
func safe(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && size <= 1) || (r >= 0x80 && r <= 0x9f) {
			return false
		}
		i += size
	}
	return true
}

// sgrLen is the length of the SGR sequence (ESC [ params m) at the start
// of b, or 0.
func sgrLen(b []byte) int {
	if len(b) < 3 || b[0] != 0x1b || b[1] != '[' {
		return 0
	}
	for i := 2; i < len(b) && i < 32; i++ {
		switch c := b[i]; {
		case c == 'm':
			return i + 1
		case c >= '0' && c <= '9' || c == ';':
		default:
			return 0
		}
	}
	return 0
}
