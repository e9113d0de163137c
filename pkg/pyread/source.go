package pyread

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// This file turns the bytes of a file into the text the tokenizer reads,
// as CPython's compile() does with the bytes Flask's from_pyfile and
// importlib hand it: UTF-8 unless a PEP 263 declaration names another
// encoding, a UTF-8 BOM dropped. When CPython refuses the bytes (a NUL
// byte, bytes that are not in the encoding) it reports one SyntaxError and
// loads nothing; the reader reports that one error, and reads the text
// anyway (undecodable bytes as Latin-1, NUL as a space) so that the values
// are still there to look at.

// sourceProblem is why CPython refuses the bytes, at a byte offset of the
// file (after the BOM); line and col (1-based, in characters) are set by
// decodeSource. first marks a problem CPython finds before it parses
// (NUL bytes, the declared encoding), so no other error can come first.
type sourceProblem struct {
	off       int
	msg       string
	line, col int
	first     bool
}

// decodeSource returns the text to read and, when CPython refuses the
// bytes, the one syntax error it reports.
func decodeSource(src []byte) (string, *sourceProblem) {
	s := string(src)
	bom := strings.HasPrefix(s, "\ufeff")
	s = strings.TrimPrefix(s, "\ufeff")
	var prob *sourceProblem
	// compile() looks for NUL before anything else
	if i := strings.IndexByte(s, 0); i >= 0 {
		prob = &sourceProblem{off: i, msg: "source code string cannot contain null bytes"}
		s = strings.ReplaceAll(s, "\x00", " ")
	}
	text, p := decodeDeclared(s, bom)
	if prob == nil {
		prob = p
	}
	if prob != nil {
		prob.line, prob.col = lineOf(s, prob.off), runeCol(s, prob.off)
		prob.first = prob.first || !strings.HasPrefix(prob.msg, "(unicode error)")
	}
	return text, prob
}

// declaredEncoding is the encoding a PEP 263 comment names ("" when none),
// normalised as CPython's tokenizer does.
func declaredEncoding(s string) string {
	lines := strings.SplitN(s, "\n", 3)
	for i, l := range lines {
		if i == 2 {
			break
		}
		if name := codingSpec(l); name != "" {
			return normalEncoding(name)
		}
		// line 2 counts only after a blank or comment line 1
		if t := strings.TrimLeft(l, " \t\f\r"); t != "" && t[0] != '#' {
			break
		}
	}
	return ""
}

// normalEncoding is the tokenizer's get_normal_name.
func normalEncoding(name string) string {
	n := strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	switch {
	case n == "utf-8" || strings.HasPrefix(n, "utf-8-"):
		return "utf-8"
	case n == "latin-1" || n == "iso-8859-1" || n == "iso-latin-1" ||
		strings.HasPrefix(n, "latin-1-") || strings.HasPrefix(n, "iso-8859-1-") || strings.HasPrefix(n, "iso-latin-1-"):
		return "iso-8859-1"
	}
	return name
}

// decodeDeclared decodes s as its declaration says.
func decodeDeclared(s string, bom bool) (string, *sourceProblem) {
	enc := declaredEncoding(s)
	if bom && enc != "" && enc != "utf-8" {
		return latin1Fix(s), &sourceProblem{off: 0, msg: fmt.Sprintf("encoding problem: %s with BOM", enc)}
	}
	switch strings.ToLower(strings.ReplaceAll(enc, "_", "-")) {
	case "", "utf-8":
		// the tokenizer's own encoding: checked piece by piece
		return decodeUndeclared(s)
	case "utf8", "u8", "utf":
		// another name for it goes through the codec, over the whole file
		if start, end, why, bad := utf8Error(s); bad {
			return latin1Fix(s), &sourceProblem{off: start, msg: "'utf-8' codec " + decodeErrorText(s, start, end, why)}
		}
		return s, nil
	case "iso-8859-1", "latin1", "latin-1", "l1", "iso8859-1":
		return latin1(s), nil
	case "cp1252", "windows-1252":
		return cp1252(s), nil
	case "ascii", "us-ascii":
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return latin1Fix(s), &sourceProblem{off: i, msg: fmt.Sprintf("'ascii' codec can't decode byte 0x%02x in position %d: ordinal not in range(128)", s[i], i)}
			}
		}
		return s, nil
	}
	return latin1Fix(s), &sourceProblem{off: 0, msg: "unknown encoding: " + enc}
}

// decodeUndeclared checks UTF-8 as compile() does without a declaration:
// only what it decodes counts (string literals and names, not comments),
// and the error names the position in the piece being decoded.
func decodeUndeclared(s string) (string, *sourceProblem) {
	if utf8.ValidString(s) {
		return s, nil
	}
	for _, t := range lexFrom(s, 0, 1, nil) {
		var chunks []sourceChunk
		switch t.kind {
		case tName:
			chunks = []sourceChunk{{t.text, t.off}}
		case tString:
			chunks = stringChunks(&t)
		default:
			continue
		}
		for _, c := range chunks {
			if start, end, why, bad := utf8Error(c.text); bad {
				return latin1Fix(s), &sourceProblem{off: c.off + start, msg: "(unicode error) 'utf-8' codec " + decodeErrorText(c.text, start, end, why)}
			}
		}
	}
	return latin1Fix(s), nil
}

// sourceChunk is a piece of source CPython decodes in one go, at a byte
// offset.
type sourceChunk struct {
	text string
	off  int
}

// stringChunks are the pieces CPython decodes from a string literal: the
// whole body of a raw string or of one without backslashes, otherwise (and
// in f-strings) each run of non-ASCII bytes on its own.
func stringChunks(t *token) []sourceChunk {
	_, body, off, raw, fstr, _ := splitStringToken(t)
	if !fstr && (raw || strings.IndexByte(body, '\\') < 0) {
		return []sourceChunk{{body, off}}
	}
	var out []sourceChunk
	for i := 0; i < len(body); {
		if body[i] < 0x80 {
			i++
			continue
		}
		j := i
		for j < len(body) && body[j] >= 0x80 {
			j++
		}
		out = append(out, sourceChunk{body[i:j], off + i})
		i = j
	}
	return out
}

// utf8Error finds the first sequence CPython's UTF-8 decoder refuses: the
// bytes [start, end) and the reason it gives.
func utf8Error(s string) (start, end int, why string, bad bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			i++
			continue
		}
		n, lo, hi := utf8Lead(c)
		if n == 0 {
			return i, i + 1, "invalid start byte", true
		}
		for k := 1; k <= n; k++ {
			if i+k >= len(s) {
				return i, len(s), "unexpected end of data", true
			}
			b := s[i+k]
			if k > 1 {
				lo, hi = 0x80, 0xBF
			}
			if b < lo || b > hi {
				return i, i + k, "invalid continuation byte", true
			}
		}
		i += n + 1
	}
	return 0, 0, "", false
}

// utf8Lead gives, for a lead byte, the number of continuation bytes and the
// range the first of them must be in (n == 0: not a lead byte).
func utf8Lead(c byte) (n int, lo, hi byte) {
	switch {
	case c >= 0xC2 && c <= 0xDF:
		return 1, 0x80, 0xBF
	case c == 0xE0:
		return 2, 0xA0, 0xBF
	case c == 0xED:
		return 2, 0x80, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		return 2, 0x80, 0xBF
	case c == 0xF0:
		return 3, 0x90, 0xBF
	case c >= 0xF1 && c <= 0xF3:
		return 3, 0x80, 0xBF
	case c == 0xF4:
		return 3, 0x80, 0x8F
	}
	return 0, 0, 0
}

// decodeErrorText is the end of CPython's UnicodeDecodeError message.
func decodeErrorText(s string, start, end int, why string) string {
	if end-start == 1 {
		return fmt.Sprintf("can't decode byte 0x%02x in position %d: %s", s[start], start, why)
	}
	return fmt.Sprintf("can't decode bytes in position %d-%d: %s", start, end-1, why)
}

// latin1Fix keeps valid UTF-8 and reads every other byte as Latin-1.
func latin1Fix(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			sb.WriteRune(rune(s[i]))
		} else {
			sb.WriteString(s[i : i+n])
		}
		i += n
	}
	return sb.String()
}

// latin1 decodes Latin-1 bytes.
func latin1(s string) string {
	var sb strings.Builder
	sb.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		sb.WriteRune(rune(s[i]))
	}
	return sb.String()
}

// cp1252 decodes Windows-1252 (Latin-1 but for 0x80-0x9F; the five bytes
// it leaves undefined are read as Latin-1, CPython would refuse them).
func cp1252(s string) string {
	const high = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ"
	table := []rune(high)
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 && c <= 0x9F {
			sb.WriteRune(table[c-0x80])
		} else {
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

// codingSpec is the encoding a comment line declares, as CPython's
// tokenizer finds it (PEP 263: `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`).
func codingSpec(line string) string {
	t := strings.TrimLeft(line, " \t\f")
	if !strings.HasPrefix(t, "#") {
		return ""
	}
	for rest := t; ; {
		i := strings.Index(rest, "coding")
		if i < 0 {
			return ""
		}
		rest = rest[i+len("coding"):]
		if rest == "" || rest[0] != ':' && rest[0] != '=' {
			continue
		}
		name := strings.TrimLeft(rest[1:], " \t")
		end := 0
		for end < len(name) && (isIdentChar(name[end]) || name[end] == '-' || name[end] == '.') {
			end++
		}
		if end > 0 {
			return name[:end]
		}
	}
}
