package pyread

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tName
	tNumber
	tString
	tOp
	tNewline
	tIndent
	tDedent
	tError
)

func (k tokKind) String() string {
	switch k {
	case tEOF:
		return "end of file"
	case tName:
		return "name"
	case tNumber:
		return "number"
	case tString:
		return "string"
	case tOp:
		return "operator"
	case tNewline:
		return "newline"
	case tIndent:
		return "indent"
	case tDedent:
		return "dedent"
	}
	return "error"
}

// bracket is one open bracket; the open brackets form a persistent stack so
// that every token can remember the stack in force before it cheaply.
type bracket struct {
	ch        byte
	line, col int // col is 0-based, in bytes
	off       int
	depth     int
	prev      *bracket
}

// indentLevel is a persistent stack of indentation widths.
type indentLevel struct {
	width int
	depth int
	prev  *indentLevel
}

type token struct {
	kind tokKind
	// code classifies a tError token for callers.
	code SyntaxCode
	// text is the raw source text of the token; for tError the message.
	text      string
	off, end  int
	line, col int // line 1-based, col 0-based (bytes)
	// first is set on the first token of a physical line (at its
	// indentation).
	first bool
	// brackets open before this token.
	brackets *bracket
	// indents in force at this token.
	indents *indentLevel
}

const (
	maxBracketDepth = 200 // CPython's MAXLEVEL
	maxIndentDepth  = 100 // CPython's MAXINDENT
)

type lexer struct {
	src      string
	pos      int
	limit    int
	line     int
	bol      int // offset of the start of the current line
	brackets *bracket
	indents  *indentLevel
	toks     []token
	// atBOL: at the beginning of a logical line (indentation to measure).
	atBOL bool
	// lineHasToken: a token was emitted on the current logical line.
	lineHasToken bool
	firstOnLine  bool
	done         bool
	// keepComments records comments in comments (Comments sets it; the
	// parser never reads comments).
	keepComments bool
	comments     []rawComment
}

// rawComment is a comment's place: src[off:end], on line, whose text
// starts at bol.
type rawComment struct {
	off, end, line, bol int
}

func (lx *lexer) comment(off, end int) {
	if lx.keepComments {
		lx.comments = append(lx.comments, rawComment{off: off, end: end, line: lx.line, bol: lx.bol})
	}
}

// newLexer prepares to tokenize src[off:] lazily, where off is the start
// of line `line`, with the given indentation stack in force; tokens are
// appended to toks.
func newLexer(src string, off, line int, indents *indentLevel, toks []token) *lexer {
	if indents == nil {
		indents = &indentLevel{}
	}
	if toks == nil {
		toks = make([]token, 0, 256)
	}
	return &lexer{src: src, pos: off, limit: len(src), line: line, bol: off, indents: indents, atBOL: true, toks: toks}
}

// lexFrom tokenizes all of src[off:] (see newLexer).
func lexFrom(src string, off, line int, indents *indentLevel) []token {
	lx := newLexer(src, off, line, indents, nil)
	lx.run()
	return lx.toks
}

// lexExpr tokenizes the expression src[off:end] of an f-string replacement
// field: the text behaves as if inside brackets (newlines ignored).
func lexExpr(src string, off, end, line, bol int) []token {
	b := &bracket{ch: '{', line: line, col: off - bol, off: off, depth: 1}
	lx := &lexer{src: src, pos: off, limit: end, line: line, bol: bol, brackets: b, indents: &indentLevel{}}
	lx.run()
	return lx.toks
}

// run tokenizes to the end.
func (lx *lexer) run() {
	for lx.more() {
	}
}

// more appends at least one token, or reports false at the end.
func (lx *lexer) more() bool {
	if lx.done {
		return false
	}
	n := len(lx.toks)
	for len(lx.toks) == n {
		if !lx.stepOnce() {
			lx.finish()
			lx.done = true
			break
		}
	}
	return len(lx.toks) > n
}

// push appends a token, doubling the buffer when full (append's 1.25x
// growth for large slices copies the tokens far more often).
func (lx *lexer) push(t token) {
	if len(lx.toks) == cap(lx.toks) {
		n := make([]token, len(lx.toks), 2*cap(lx.toks)+8)
		copy(n, lx.toks)
		lx.toks = n
	}
	lx.toks = append(lx.toks, t)
}

func (lx *lexer) emit(kind tokKind, text string, off, end int) {
	t := token{kind: kind, text: text, off: off, end: end, line: lx.line, col: off - lx.bol,
		brackets: lx.brackets, indents: lx.indents}
	if kind != tNewline && kind != tIndent && kind != tDedent && kind != tEOF {
		t.first = lx.firstOnLine
		lx.firstOnLine = false
		lx.lineHasToken = true
	}
	lx.push(t)
}

func (lx *lexer) errorAt(off int, line int, col int, msg string) {
	lx.push(token{kind: tError, text: msg, off: off, end: off, line: line, col: col,
		brackets: lx.brackets, indents: lx.indents, first: lx.firstOnLine})
	lx.firstOnLine = false
	lx.lineHasToken = true
}

func (lx *lexer) newline() {
	lx.line++
	lx.bol = lx.pos
}

// stepOnce scans one item of input; false at the end of input.
func (lx *lexer) stepOnce() bool {
	src := lx.src
	if lx.atBOL && lx.brackets == nil {
		return lx.indentation()
	}
	if lx.pos >= lx.limit {
		return false
	}
	c := src[lx.pos]
	switch {
	case c == ' ' || c == '\t' || c == '\f':
		lx.pos++
	case c == '#':
		start := lx.pos
		for lx.pos < lx.limit && src[lx.pos] != '\n' && src[lx.pos] != '\r' {
			lx.pos++
		}
		lx.comment(start, lx.pos)
	case c == '\\':
		n := lx.pos + 1
		if n < lx.limit && src[n] == '\r' {
			n++
		}
		if n < lx.limit && src[n] == '\n' {
			n++
		}
		if n == lx.pos+1 {
			if n >= lx.limit {
				lx.errorAt(lx.pos, lx.line, lx.pos-lx.bol, "unexpected EOF while parsing (line continuation at end of file)")
			} else {
				lx.errorAt(lx.pos, lx.line, lx.pos-lx.bol, "unexpected character after line continuation character")
			}
			lx.pos++
			return true
		}
		lx.pos = n
		lx.newline()
	case c == '\n' || c == '\r':
		lx.pos++
		if c == '\r' && lx.pos < lx.limit && src[lx.pos] == '\n' {
			lx.pos++
		}
		if lx.brackets == nil && lx.lineHasToken {
			lx.push(token{kind: tNewline, text: "\n", off: lx.pos - 1, end: lx.pos,
				line: lx.line, col: lx.pos - 1 - lx.bol, brackets: nil, indents: lx.indents})
		}
		lx.newline()
		if lx.brackets == nil {
			lx.atBOL = true
			lx.lineHasToken = false
		}
		lx.firstOnLine = true
	case isIdentStart(c) || c >= 0x80:
		lx.nameOrString()
	case c >= '0' && c <= '9' || c == '.' && lx.pos+1 < lx.limit && isDigit(src[lx.pos+1]):
		lx.number()
	case c == '"' || c == '\'':
		lx.str(lx.pos, lx.pos)
	default:
		lx.operator()
	}
	return true
}

// finish emits the tokens that end the input.
func (lx *lexer) finish() {
	src := lx.src
	if lx.limit < len(src) {
		// sub-lexer for an f-string expression: no NEWLINE/EOF bookkeeping
		lx.push(token{kind: tEOF, off: lx.pos, end: lx.pos, line: lx.line, col: lx.pos - lx.bol, brackets: lx.brackets})
		return
	}
	if lx.lineHasToken && lx.brackets == nil {
		lx.push(token{kind: tNewline, text: "", off: lx.pos, end: lx.pos, line: lx.line, col: lx.pos - lx.bol, indents: lx.indents})
	}
	for lx.indents.width > 0 {
		lx.indents = lx.indents.prev
		lx.push(token{kind: tDedent, off: lx.pos, end: lx.pos, line: lx.line, col: 0, indents: lx.indents})
	}
	lx.push(token{kind: tEOF, off: lx.pos, end: lx.pos, line: lx.line, col: lx.pos - lx.bol, brackets: lx.brackets, indents: lx.indents})
}

// indentation measures the indentation of a new logical line, skipping
// blank and comment-only lines. It returns false at end of input.
func (lx *lexer) indentation() bool {
	src := lx.src
	for {
		col := 0
		p := lx.pos
		for p < lx.limit {
			switch src[p] {
			case ' ':
				col++
			case '\t':
				col = (col/8 + 1) * 8
			case '\f':
				col = 0
			default:
				goto measured
			}
			p++
		}
	measured:
		if p >= lx.limit {
			lx.pos = p
			return false
		}
		c := src[p]
		if c == '#' || c == '\n' || c == '\r' {
			// blank or comment-only line
			start := p
			for p < lx.limit && src[p] != '\n' && src[p] != '\r' {
				p++
			}
			if c == '#' {
				lx.comment(start, p)
			}
			if p < lx.limit {
				if src[p] == '\r' && p+1 < lx.limit && src[p+1] == '\n' {
					p++
				}
				p++
				lx.pos = p
				lx.newline()
				continue
			}
			lx.pos = p
			return false
		}
		if c == '\\' {
			// a continuation line at the start: treat as indentation only
			// if followed by newline; CPython is odd here, keep simple.
		}
		lx.pos = p
		lx.atBOL = false
		lx.firstOnLine = true
		cur := lx.indents.width
		switch {
		case col > cur:
			if lx.indents.depth+1 >= maxIndentDepth {
				lx.errorAt(p, lx.line, p-lx.bol, "too many levels of indentation")
				return true
			}
			lx.indents = &indentLevel{width: col, depth: lx.indents.depth + 1, prev: lx.indents}
			lx.push(token{kind: tIndent, off: p, end: p, line: lx.line, col: p - lx.bol, indents: lx.indents})
		case col < cur:
			for lx.indents.width > col {
				lx.indents = lx.indents.prev
				lx.push(token{kind: tDedent, off: p, end: p, line: lx.line, col: p - lx.bol, indents: lx.indents})
			}
			if lx.indents.width != col {
				lx.errorAt(p, lx.line, p-lx.bol, "unindent does not match any outer indentation level")
				lx.indents = &indentLevel{width: col, depth: lx.indents.depth + 1, prev: lx.indents}
			}
		}
		return true
	}
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (lx *lexer) nameOrString() {
	src := lx.src
	start := lx.pos
	p := lx.pos
	for p < lx.limit {
		c := src[p]
		if c < 0x80 {
			if !isIdentChar(c) {
				break
			}
			p++
			continue
		}
		r, size := utf8.DecodeRuneInString(src[p:lx.limit])
		if r == utf8.RuneError && size == 1 {
			// not UTF-8: CPython's tokenizer takes any byte >= 128 into a
			// name, and compile() then fails to decode it (see source.go)
			p++
			continue
		}
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || unicode.Is(unicode.Pc, r)) {
			break
		}
		p += size
	}
	if p == start {
		r, size := utf8.DecodeRuneInString(src[p:lx.limit])
		if r == utf8.RuneError && size <= 1 {
			lx.errorAt(p, lx.line, p-lx.bol, "invalid UTF-8 in source")
		} else {
			lx.errorAt(p, lx.line, p-lx.bol, fmt.Sprintf("invalid character '%c' (U+%04X)", r, r))
		}
		if size < 1 {
			size = 1
		}
		lx.pos = p + size
		return
	}
	if p < lx.limit && (src[p] == '"' || src[p] == '\'') && p-start <= 2 && isStringPrefix(src[start:p]) {
		lx.str(start, p)
		return
	}
	lx.pos = p
	lx.emit(tName, src[start:p], start, p)
}

func isStringPrefix(s string) bool {
	switch strings.ToLower(s) {
	case "r", "u", "b", "f", "br", "rb", "fr", "rf":
		return true
	}
	return false
}

func (lx *lexer) number() {
	src := lx.src
	start := lx.pos
	p := lx.pos
	digits := func(ok func(byte) bool) {
		for p < lx.limit && (ok(src[p]) || src[p] == '_' && p+1 < lx.limit && ok(src[p+1])) {
			p++
		}
	}
	if src[p] == '0' && p+1 < lx.limit && strings.IndexByte("xXoObB", src[p+1]) >= 0 {
		p += 2
		var ok func(byte) bool
		switch src[p-1] | 0x20 {
		case 'x':
			ok = func(c byte) bool { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }
		case 'o':
			ok = func(c byte) bool { return c >= '0' && c <= '7' }
		default:
			ok = func(c byte) bool { return c == '0' || c == '1' }
		}
		if p < lx.limit && src[p] == '_' {
			p++
		}
		digits(ok)
	} else {
		digits(isDigit)
		if p < lx.limit && src[p] == '.' {
			p++
			digits(isDigit)
		}
		if p < lx.limit && (src[p] == 'e' || src[p] == 'E') {
			q := p + 1
			if q < lx.limit && (src[q] == '+' || src[q] == '-') {
				q++
			}
			if q < lx.limit && isDigit(src[q]) {
				p = q
				digits(isDigit)
			}
		}
		if p < lx.limit && (src[p] == 'j' || src[p] == 'J') {
			p++
		}
	}
	lx.pos = p
	if p < lx.limit && (isIdentChar(src[p])) {
		// e.g. 1abc or 0x1g: CPython says "invalid decimal literal"
		for p < lx.limit && isIdentChar(src[p]) {
			p++
		}
		lx.errorAt(start, lx.line, start-lx.bol, "invalid number literal "+src[start:p])
		lx.pos = p
		return
	}
	lx.emit(tNumber, src[start:p], start, p)
}

// str scans a string literal whose prefix starts at start and whose quote
// is at q.
func (lx *lexer) str(start, q int) {
	src := lx.src
	prefix := strings.ToLower(src[start:q])
	raw := strings.IndexByte(prefix, 'r') >= 0
	fstr := strings.IndexByte(prefix, 'f') >= 0
	quote := src[q]
	triple := q+2 < lx.limit && src[q+1] == quote && src[q+2] == quote
	startLine, startCol := lx.line, start-lx.bol
	body := q + 1
	if triple {
		body = q + 3
	}
	end, msg := lx.scanString(body, quote, triple, raw, fstr)
	if msg != "" {
		lx.errorAt(start, startLine, startCol, msg)
		return
	}
	t := token{kind: tString, text: src[start:end], off: start, end: end, line: startLine, col: startCol,
		brackets: lx.brackets, indents: lx.indents, first: lx.firstOnLine}
	lx.firstOnLine = false
	lx.lineHasToken = true
	lx.push(t)
	lx.pos = end
}

// scanString advances from the first body byte to just past the closing
// quote, counting lines. On error it leaves lx.pos where scanning can go on.
func (lx *lexer) scanString(p int, quote byte, triple, raw, fstr bool) (int, string) {
	src := lx.src
	startLine := lx.line
	type mode struct {
		expr   bool // in a replacement field's expression
		depth  int  // bracket depth inside the expression
		inSpec bool // in a format spec (literal text, but '}' closes the field)
	}
	var stack []mode // f-string replacement fields open
	for p < lx.limit {
		c := src[p]
		if len(stack) > 0 && stack[len(stack)-1].expr {
			m := &stack[len(stack)-1]
			switch {
			case c == '(' || c == '[' || c == '{':
				m.depth++
				p++
			case c == ')' || c == ']':
				m.depth--
				p++
			case c == '}':
				if m.depth > 0 {
					m.depth--
					p++
					continue
				}
				stack = stack[:len(stack)-1]
				p++
			case c == ':' && m.depth == 0:
				m.expr = false
				m.inSpec = true
				p++
			case c == '\'' || c == '"':
				// nested string inside the expression (3.12 allows the
				// same quote); a nested f-string is scanned recursively.
				pre := p
				for pre > 0 && isIdentChar(src[pre-1]) {
					pre--
				}
				pfx := strings.ToLower(src[pre:p])
				if !isStringPrefix(pfx) {
					pfx = ""
				}
				t3 := p+2 < lx.limit && src[p+1] == c && src[p+2] == c
				b := p + 1
				if t3 {
					b = p + 3
				}
				e, msg := lx.scanString(b, c, t3, strings.IndexByte(pfx, 'r') >= 0, strings.IndexByte(pfx, 'f') >= 0)
				if msg != "" {
					return e, msg
				}
				p = e
			case c == '\n' || c == '\r':
				if !triple {
					return lx.unterminated(p, startLine, triple)
				}
				p = lx.lineBreak(p)
			case c == '#':
				// comment inside a multi-line replacement field (3.12)
				for p < lx.limit && src[p] != '\n' && src[p] != '\r' {
					p++
				}
			default:
				p++
			}
			continue
		}
		switch {
		case c == quote:
			if !triple {
				return p + 1, ""
			}
			if p+2 < lx.limit && src[p+1] == quote && src[p+2] == quote {
				if len(stack) > 0 {
					return lx.unterminated(p, startLine, triple)
				}
				return p + 3, ""
			}
			p++
		case c == '\\':
			if p+1 < lx.limit {
				n := src[p+1]
				if fstr && (n == '{' || n == '}') {
					p++
					continue
				}
				if n == '\r' || n == '\n' {
					p = lx.lineBreak(p + 1)
					continue
				}
				p += 2
				continue
			}
			p++
		case c == '\n' || c == '\r':
			if !triple {
				return lx.unterminated(p, startLine, triple)
			}
			p = lx.lineBreak(p)
		case fstr && c == '{':
			if len(stack) == 0 && p+1 < lx.limit && src[p+1] == '{' {
				p += 2
				continue
			}
			if len(stack) > 8 {
				return lx.unterminated(p, startLine, triple)
			}
			stack = append(stack, mode{expr: true})
			p++
		case fstr && c == '}':
			if len(stack) > 0 && stack[len(stack)-1].inSpec {
				stack = stack[:len(stack)-1]
				p++
				continue
			}
			if len(stack) == 0 && p+1 < lx.limit && src[p+1] == '}' {
				p += 2
				continue
			}
			p++
		default:
			p++
		}
	}
	return lx.unterminated(p, startLine, triple)
}

// lineBreak steps over the line break (\n, \r or \r\n) at p inside a
// string and counts the line; it returns the offset after it.
func (lx *lexer) lineBreak(p int) int {
	if lx.src[p] == '\r' && p+1 < lx.limit && lx.src[p+1] == '\n' {
		p++
	}
	p++
	lx.pos = p
	lx.newline()
	return p
}

func (lx *lexer) unterminated(p, startLine int, triple bool) (int, string) {
	if triple {
		lx.pos = p
		line := lx.line
		if p == len(lx.src) && p > 0 && (lx.src[p-1] == '\n' || lx.src[p-1] == '\r') {
			line-- // CPython counts the last line, not the empty one after it
		}
		return p, fmt.Sprintf("unterminated triple-quoted string literal (detected at line %d)", line)
	}
	// single-quoted: resume at the end of the line
	lx.pos = p
	return p, fmt.Sprintf("unterminated string literal (detected at line %d)", startLine)
}

func (lx *lexer) operator() {
	src := lx.src
	p := lx.pos
	rest := src[p:lx.limit]
	if n := opLen(rest); n > 1 {
		lx.pos += n
		lx.emit(tOp, rest[:n], p, lx.pos)
		return
	}
	c := src[p]
	switch c {
	case '(', '[', '{':
		if lx.brackets != nil && lx.brackets.depth >= maxBracketDepth {
			lx.errorAt(p, lx.line, p-lx.bol, "too many nested parentheses")
			lx.pos++
			return
		}
		lx.emit(tOp, src[p:p+1], p, p+1)
		d := 1
		if lx.brackets != nil {
			d = lx.brackets.depth + 1
		}
		lx.brackets = &bracket{ch: c, line: lx.line, col: p - lx.bol, off: p, depth: d, prev: lx.brackets}
		lx.pos++
		return
	case ')', ']', '}':
		if lx.brackets == nil {
			lx.errorAt(p, lx.line, p-lx.bol, fmt.Sprintf("unmatched '%c'", c))
			lx.pos++
			return
		}
		if closerOf(lx.brackets.ch) != c {
			lx.errorAt(p, lx.line, p-lx.bol, fmt.Sprintf("closing parenthesis '%c' does not match opening parenthesis '%c' on line %d", c, lx.brackets.ch, lx.brackets.line))
			lx.toks[len(lx.toks)-1].code = SyntaxMismatch
			lx.pos++
			return
		}
		lx.emit(tOp, src[p:p+1], p, p+1)
		lx.brackets = lx.brackets.prev
		lx.pos++
		return
	case '+', '-', '*', '/', '%', '@', '&', '|', '^', '~', '<', '>', ',', ':', ';', '.', '=', '!':
		lx.emit(tOp, src[p:p+1], p, p+1)
		lx.pos++
		return
	}
	r, size := utf8.DecodeRuneInString(rest)
	if size < 1 {
		size = 1
	}
	if c == '$' || c == '?' || c == '`' {
		lx.errorAt(p, lx.line, p-lx.bol, fmt.Sprintf("invalid syntax: unexpected character '%c'", c))
	} else {
		lx.errorAt(p, lx.line, p-lx.bol, fmt.Sprintf("invalid character '%c' (U+%04X)", r, r))
	}
	lx.pos += size
}

// opLen is the length of the multi-character operator at the start of s
// (1 otherwise).
func opLen(s string) int {
	if len(s) < 2 {
		return 1
	}
	c, d := s[0], s[1]
	switch c {
	case '*', '/', '<', '>':
		if d == c {
			if len(s) > 2 && s[2] == '=' {
				return 3 // **= //= <<= >>=
			}
			return 2 // ** // << >>
		}
		if d == '=' {
			return 2
		}
		if c == '<' && d == '>' {
			return 1
		}
	case '.':
		if d == '.' && len(s) > 2 && s[2] == '.' {
			return 3
		}
	case '-':
		if d == '>' || d == '=' {
			return 2
		}
	case ':', '=', '!', '+', '%', '&', '|', '^', '@':
		if d == '=' {
			return 2
		}
	}
	return 1
}

func closerOf(c byte) byte {
	switch c {
	case '(':
		return ')'
	case '[':
		return ']'
	}
	return '}'
}
