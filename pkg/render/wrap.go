package render

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"
)

// Wrapping long lines for a terminal. Text reports are written for people
// and some lines (a message, an evidence value, a fix) run to several
// hundred characters; on a terminal they are broken at spaces so that no
// line is wider than the terminal, and each continuation line starts under
// the text it continues rather than at the left margin. Words and URLs are
// never split: a word longer than the room left stays whole and overflows.
// Piped output is never wrapped (the callers pass width 0), so scripts and
// the README's examples see one line per item.

// minWrapWidth is the narrowest terminal that is wrapped for; below it
// (or when the width is unknown) lines are left alone.
const minWrapWidth = 30

// minTextColumns is the room a continuation line keeps for text: a label
// or column so wide that less would remain is not hung under.
const minTextColumns = 20

// maxHang caps the continuation indent, so that a far-right column of one
// line does not squeeze its continuation into a sliver.
const maxHang = 48

// word is one run of non-space characters of a line and the spaces before
// it. Colour sequences stay inside the word they touch and take no column.
type word struct {
	gap   int    // spaces before the word
	text  string // the word as written, colour sequences included
	width int    // columns the word takes on screen
	start int    // column where the word starts in the unwrapped line
}

// WrapLine breaks one line (without its newline) at spaces so that no part
// is wider than width columns, indenting continuations under the line's
// text (see hangColumn). It returns the line unchanged when it fits, when
// width is below minWrapWidth, or when the line holds a tab (a layout that
// is not ours to reflow).
func WrapLine(line string, width int) string {
	if width < minWrapWidth || strings.IndexByte(line, '\t') >= 0 || visibleWidth(line) <= width {
		return line
	}
	words := splitWords(line)
	return wrapWords(words, width, hangColumn(words, width))
}

// WrapHang is WrapLine with the continuation indent given: for text whose
// layout the caller knows (a list item, a note after its prefix).
func WrapHang(line string, width, hang int) string {
	if width < minWrapWidth || strings.IndexByte(line, '\t') >= 0 || visibleWidth(line) <= width {
		return line
	}
	if hang > width-minTextColumns {
		hang = 0
	}
	return wrapWords(splitWords(line), width, hang)
}

// wrapWords lays the words out, breaking before a word that would cross
// the right margin. Words that start left of the hang column (a label, a
// key and its padding) are never moved, and every line keeps at least one
// word after the hang column, however long.
func wrapWords(words []word, width, hang int) string {
	var b strings.Builder
	col := 0
	for i, w := range words {
		start := col + w.gap
		if i > 0 && w.start >= hang && col > hang && start+w.width > width {
			b.WriteByte('\n')
			b.WriteString(strings.Repeat(" ", hang))
			b.WriteString(w.text)
			col = hang + w.width
			continue
		}
		b.WriteString(strings.Repeat(" ", w.gap))
		b.WriteString(w.text)
		col = start + w.width
	}
	return b.String()
}

// hangColumn is where continuation lines start, read from the line's own
// layout:
//   - after the last run of two or more spaces within the first maxHang
//     columns: the value column of "key:   value", the description column
//     of aligned rows, the title after a finding's "severity ID name  ";
//   - else after a leading label ("fix:", "at:", "Op:") or marker ("↳",
//     "-", "FAIL", "WARN"): the text after it;
//   - else the line's own indentation.
func hangColumn(words []word, width int) int {
	limit := width - minTextColumns
	if limit > maxHang {
		limit = maxHang
	}
	hang := -1
	for _, w := range words[1:] {
		if w.start > limit {
			break
		}
		if w.gap >= 2 {
			hang = w.start
		}
	}
	switch {
	case hang >= 0:
		return hang
	case len(words) > 1 && isLead(stripSGR(words[0].text)) && words[1].start <= limit:
		return words[1].start
	case words[0].gap <= limit:
		return words[0].gap
	}
	return 0
}

// isLead reports whether a line's first word labels or marks the text
// after it.
func isLead(s string) bool {
	switch s {
	case "↳", "-", "*", "•", "→":
		return true
	case "FAIL", "WARN", "INFO", "OK", "ok": // verdicts and login steps
		return true
	}
	return strings.HasSuffix(s, ":")
}

// splitWords cuts a line at spaces, measuring each word on screen.
func splitWords(line string) []word {
	var out []word
	col := 0
	for i := 0; i < len(line); {
		gap := 0
		for i < len(line) && line[i] == ' ' {
			gap++
			i++
		}
		if i == len(line) {
			break
		}
		j := strings.IndexByte(line[i:], ' ')
		if j < 0 {
			j = len(line) - i
		}
		text := line[i : i+j]
		w := visibleWidth(text)
		out = append(out, word{gap: gap, text: text, width: w, start: col + gap})
		col += gap + w
		i += j
	}
	if len(out) == 0 {
		out = append(out, word{gap: len(line), start: len(line)})
	}
	return out
}

// visibleWidth counts the columns s takes: one per rune, colour sequences
// (ESC [ … m) excluded.
func visibleWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			if k := sgrLen([]byte(s[i:min(len(s), i+32)])); k > 0 {
				i += k
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}

// stripSGR removes colour sequences.
func stripSGR(s string) string {
	if strings.IndexByte(s, 0x1b) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			if k := sgrLen([]byte(s[i:min(len(s), i+32)])); k > 0 {
				i += k
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// wrapWriter wraps every line written through it (see WrapLine). It holds
// the current line until its newline arrives; Flush writes a last line
// that has none.
type wrapWriter struct {
	w     io.Writer
	width int
	line  []byte
}

func (ww *wrapWriter) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			ww.line = append(ww.line, b...)
			break
		}
		ww.line = append(ww.line, b[:i]...)
		if err := ww.emit("\n"); err != nil {
			return 0, err
		}
		b = b[i+1:]
	}
	return n, nil
}

func (ww *wrapWriter) emit(end string) error {
	s := WrapLine(string(ww.line), ww.width) + end
	ww.line = ww.line[:0]
	_, err := io.WriteString(ww.w, s)
	return err
}

// Flush writes what is left of an unfinished line.
func (ww *wrapWriter) Flush() error {
	if len(ww.line) == 0 {
		return nil
	}
	return ww.emit("")
}
