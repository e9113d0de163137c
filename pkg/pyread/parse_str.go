package pyread

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// parseStrings reads adjacent string literals (implicit concatenation).
func (p *parser) parseStrings() expr {
	first := p.peek()
	if t := *first; p.peekAt(1).kind != tString {
		// fast path: one plain str literal
		_, body, _, raw, fstr, isB := splitStringToken(&t)
		if !fstr && !isB {
			v, msg := decodeEscapes(body, raw, false)
			if msg != "" {
				p.failExact(p.i, msg)
			}
			p.next()
			ps := p.mkpos(&t, t.end)
			return &constExpr{ps, mkStr(v, ps.line)}
		}
	}
	start := p.i
	var parts []expr
	isBytes := -1
	anyF := false
	var lit strings.Builder
	flush := func(line int, off int) {
		if lit.Len() > 0 {
			parts = append(parts, &constExpr{pos{line: line, off: off, end: off}, mkStr(lit.String(), line)})
			lit.Reset()
		}
	}
	var bytesVal strings.Builder
	for p.peek().kind == tString {
		t := p.next()
		pfx, body, bodyOff, raw, fstr, isB := splitStringToken(t)
		b := 0
		if isB {
			b = 1
		}
		if isBytes >= 0 && isBytes != b {
			p.failExact(p.i-1, "cannot mix bytes and nonbytes literals")
		}
		isBytes = b
		_ = pfx
		if isB {
			s, msg := decodeEscapes(body, raw, true)
			if msg != "" {
				p.failExact(p.i-1, msg)
			}
			bytesVal.WriteString(s)
			continue
		}
		if !fstr {
			s, msg := decodeEscapes(body, raw, false)
			if msg != "" {
				p.failExact(p.i-1, msg)
			}
			lit.WriteString(s)
			continue
		}
		anyF = true
		fparts := p.parseFStringBody(t, bodyOff, bodyOff+len(body), raw, start)
		for _, fp := range fparts {
			if c, ok := fp.(*constExpr); ok {
				lit.WriteString(c.val.(*Str).V)
				continue
			}
			flush(p.r.mapLine(t.line), t.off)
			parts = append(parts, fp)
		}
	}
	last := p.tok(p.i - 1)
	ps := p.mkpos(first, last.end)
	if isBytes == 1 {
		return &constExpr{ps, &Bytes{V: bytesVal.String(), L: ps.line}}
	}
	if !anyF {
		return &constExpr{ps, mkStr(lit.String(), ps.line)}
	}
	flush(ps.line, last.off)
	return &joinedStr{ps, parts}
}

// splitStringToken returns the prefix, body, body offset and flags of a
// string token.
func splitStringToken(t *token) (pfx, body string, bodyOff int, raw, fstr, isBytes bool) {
	s := t.text
	q := strings.IndexAny(s, "'\"")
	pfx = strings.ToLower(s[:q])
	raw = strings.IndexByte(pfx, 'r') >= 0
	fstr = strings.IndexByte(pfx, 'f') >= 0
	isBytes = strings.IndexByte(pfx, 'b') >= 0
	n := 1
	if len(s) >= q+6 && s[q+1] == s[q] && s[q+2] == s[q] {
		n = 3
	}
	body = s[q+n : len(s)-n]
	bodyOff = t.off + q + n
	return
}

// decodeEscapes processes backslash escapes of a (non-raw) literal body.
func decodeEscapes(s string, raw, isBytes bool) (string, string) {
	if isBytes {
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return "", "bytes can only contain ASCII literal characters"
			}
		}
	}
	if raw || strings.IndexByte(s, '\\') < 0 {
		if strings.IndexByte(s, '\r') >= 0 {
			s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
		}
		return s, ""
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' {
			sb.WriteByte('\n')
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			continue
		}
		if c != '\\' || i+1 >= len(s) {
			sb.WriteByte(c)
			continue
		}
		i++
		e := s[i]
		switch e {
		case '\n':
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case '\\', '\'', '"':
			sb.WriteByte(e)
		case 'a':
			sb.WriteByte(7)
		case 'b':
			sb.WriteByte(8)
		case 'f':
			sb.WriteByte(12)
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 't':
			sb.WriteByte('\t')
		case 'v':
			sb.WriteByte(11)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := 0
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				v = v*8 + int(s[j]-'0')
				j++
			}
			i = j - 1
			if isBytes {
				sb.WriteByte(byte(v))
			} else {
				sb.WriteRune(rune(v))
			}
		case 'x':
			if i+2 >= len(s)+0 && i+2 > len(s)-1+1 {
				return "", "truncated \\xXX escape"
			}
			if i+3 > len(s) {
				return "", "truncated \\xXX escape"
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", "truncated \\xXX escape"
			}
			if isBytes {
				sb.WriteByte(byte(v))
			} else {
				sb.WriteRune(rune(v))
			}
			i += 2
		case 'u', 'U':
			if isBytes {
				sb.WriteByte('\\')
				sb.WriteByte(e)
				continue
			}
			n := 4
			if e == 'U' {
				n = 8
			}
			if i+n >= len(s)+0 && i+n > len(s)-1 {
				return "", fmt.Sprintf("truncated \\%cXXXX escape", e)
			}
			v, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
			if err != nil || v > 0x10FFFF {
				return "", fmt.Sprintf("truncated or invalid \\%c escape", e)
			}
			sb.WriteRune(rune(v))
			i += n
		case 'N':
			if isBytes {
				sb.WriteByte('\\')
				sb.WriteByte(e)
				continue
			}
			end := strings.IndexByte(s[i:], '}')
			if i+1 >= len(s) || s[i+1] != '{' || end < 0 {
				return "", "malformed \\N character escape"
			}
			name := s[i+2 : i+end]
			r, ok := unicodeNames()[strings.ToUpper(name)]
			if !ok {
				return "", "unknown Unicode character name " + name + " (the reader knows only a few)"
			}
			sb.WriteRune(r)
			i += end
		default:
			// unknown escapes keep the backslash
			sb.WriteByte('\\')
			sb.WriteByte(e)
		}
	}
	return sb.String(), ""
}

var unicodeNames = sync.OnceValue(func() map[string]rune {
	return map[string]rune{
		"SPACE": ' ', "NO-BREAK SPACE": 0xA0, "EM DASH": 0x2014, "EN DASH": 0x2013,
		"BULLET": 0x2022, "HORIZONTAL ELLIPSIS": 0x2026, "COPYRIGHT SIGN": 0xA9,
		"LINE FEED": '\n', "CHARACTER TABULATION": '\t', "NULL": 0,
	}
})

// parseFStringBody splits an f-string body into constant and formatted
// parts, parsing the expressions.
func (p *parser) parseFStringBody(t *token, start, end int, raw bool, tokIdx int) []expr {
	line := t.line
	// line and bol at start
	bol := p.lineStart(start)
	line += strings.Count(p.src[t.off:start], "\n")
	fs := &fstrParser{p: p, tokIdx: p.i - 1, raw: raw, line: line, bol: bol, tok: t}
	parts, next := fs.parts(start, end, false, 0)
	if next < end {
		fs.fail(next, "f-string: single '}' is not allowed")
	}
	return parts
}

type fstrParser struct {
	p      *parser
	tok    *token
	tokIdx int
	raw    bool
	line   int
	bol    int
}

func (f *fstrParser) fail(off int, msg string) {
	panic(&syntaxError{off: off, msg: msg, tok: f.tokIdx})
}

// advance updates line bookkeeping over src[from:to].
func (f *fstrParser) advance(from, to int) {
	src := f.p.src
	for i := from; i < to; i++ {
		if src[i] == '\n' {
			f.line++
			f.bol = i + 1
		}
	}
}

// parts reads literal text and fields from i up to end (or, in a format
// spec, up to the closing '}'), returning the parts and where it stopped.
func (f *fstrParser) parts(i, end int, inSpec bool, nest int) ([]expr, int) {
	src := f.p.src
	var out []expr
	var lit strings.Builder
	litStart := i
	flush := func() {
		if lit.Len() > 0 {
			s := lit.String()
			if !f.raw {
				d, msg := decodeEscapes(s, false, false)
				if msg != "" {
					f.fail(litStart, msg)
				}
				s = d
			}
			l := f.p.r.mapLine(f.line)
			out = append(out, &constExpr{pos{line: l, off: litStart, end: litStart}, mkStr(s, l)})
			lit.Reset()
		}
	}
	for i < end {
		c := src[i]
		switch {
		case c == '{':
			if !inSpec && i+1 < end && src[i+1] == '{' {
				lit.WriteByte('{')
				i += 2
				continue
			}
			if nest > 2 {
				f.fail(i, "f-string: expressions nested too deeply")
			}
			flush()
			fv, next := f.field(i+1, end, nest)
			out = append(out, fv)
			i = next
			litStart = i
		case c == '}':
			if inSpec {
				flush()
				return out, i
			}
			if i+1 < end && src[i+1] == '}' {
				lit.WriteByte('}')
				i += 2
				continue
			}
			f.fail(i, "f-string: single '}' is not allowed")
		case c == '\\' && !f.raw && i+1 < end:
			lit.WriteByte(c)
			lit.WriteByte(src[i+1])
			if src[i+1] == '\n' {
				f.advance(i+1, i+2)
			}
			i += 2
		default:
			if c == '\n' {
				f.advance(i, i+1)
			}
			lit.WriteByte(c)
			i++
		}
	}
	if inSpec {
		f.fail(i, "f-string: expecting '}'")
	}
	flush()
	return out, i
}

// field parses a replacement field starting after '{'.
func (f *fstrParser) field(start, end int, nest int) (expr, int) {
	src := f.p.src
	// find the end of the expression
	depth := 0
	i := start
	exprEnd := -1
scan:
	for i < end {
		c := src[i]
		switch c {
		case '(', '[', '{':
			depth++
		case ')', ']':
			depth--
		case '}':
			if depth == 0 {
				exprEnd = i
				break scan
			}
			depth--
		case '!':
			if depth == 0 && (i+1 >= end || src[i+1] != '=') {
				exprEnd = i
				break scan
			}
			if i+1 < end && src[i+1] == '=' {
				i++
			}
		case '=', '<', '>':
			if i+1 < end && src[i+1] == '=' {
				i++
			}
		case ':':
			if depth == 0 {
				exprEnd = i
				break scan
			}
		case '\'', '"':
			// skip a nested string literal
			pre := i
			for pre > start && isIdentChar(src[pre-1]) {
				pre--
			}
			pfx := strings.ToLower(src[pre:i])
			if !isStringPrefix(pfx) {
				pfx = ""
			}
			t3 := i+2 < end && src[i+1] == c && src[i+2] == c
			b := i + 1
			if t3 {
				b = i + 3
			}
			lx := &lexer{src: src, limit: end, line: f.line, bol: f.bol}
			e, msg := lx.scanString(b, c, t3, strings.IndexByte(pfx, 'r') >= 0, strings.IndexByte(pfx, 'f') >= 0)
			if msg != "" {
				f.fail(i, "f-string: "+msg)
			}
			i = e
			continue
		case '#':
			f.fail(i, "f-string expression part cannot include '#'")
		}
		i++
	}
	if exprEnd < 0 {
		f.fail(start, "f-string: expecting '}'")
	}
	text := src[start:exprEnd]
	debug := ""
	exprStop := exprEnd
	trimmed := strings.TrimRight(text, " \t\r\n")
	if strings.HasSuffix(trimmed, "=") && len(trimmed) >= 2 && strings.IndexByte("=!<>", trimmed[len(trimmed)-2]) < 0 {
		debug = text
		exprStop = start + len(trimmed) - 1
	}
	if strings.TrimSpace(src[start:exprStop]) == "" {
		f.fail(start, "f-string: empty expression not allowed")
	}
	// parse the expression
	line, bol := f.line, f.bol
	toks := lexExpr(src, start, exprStop, line, bol)
	sp := &parser{src: src, lx: &lexer{toks: toks, done: true}, sub: true, r: f.p.r, depth: f.p.depth}
	var x expr
	func() {
		defer func() {
			if r := recover(); r != nil {
				se, ok := r.(*syntaxError)
				if !ok {
					panic(r)
				}
				se.tok = f.tokIdx
				if !strings.HasPrefix(se.msg, "f-string") {
					se.msg = "f-string: " + se.msg
				}
				panic(se)
			}
		}()
		if sp.isKw("yield") {
			x = sp.parseYield()
		} else {
			x = sp.parseStarExpressions()
		}
		if sp.peek().kind != tEOF {
			sp.failHere("expecting '}'")
		}
	}()
	f.advance(start, exprEnd)
	fv := &formattedValue{value: x, debug: debug}
	fv.pos = pos{line: f.p.r.mapLine(line), col: start - bol + 1, off: start, end: exprStop}
	i = exprEnd
	if src[i] == '!' {
		if i+1 >= end || strings.IndexByte("rsa", src[i+1]) < 0 {
			f.fail(i, "f-string: invalid conversion character: expected 's', 'r', or 'a'")
		}
		fv.conv = src[i+1]
		i += 2
	}
	if i < end && src[i] == ':' {
		specParts, next := f.parts(i+1, end, true, nest+1)
		spec := &joinedStr{pos{line: fv.line, off: i + 1, end: next}, specParts}
		fv.spec = spec
		i = next
	}
	if i >= end || src[i] != '}' {
		f.fail(i, "f-string: expecting '}'")
	}
	return fv, i + 1
}
