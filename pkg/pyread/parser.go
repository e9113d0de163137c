package pyread

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// syntaxError aborts the statement being parsed.
type syntaxError struct {
	off int // byte offset in the Python source
	msg string
	tok int // index of the offending token (-1 when unknown)
	// open is the bracket the error is about (never closed, or not
	// matched by a closing one), code what kind of error it is, and
	// recovered how the reader read past it.
	open      *bracket
	code      SyntaxCode
	recovered string
}

const (
	maxExprDepth = 150
	// maxRecoveries bounds the recoveries from syntax errors (each costs
	// about the length of one statement).
	maxRecoveries = 100_000
)

type parser struct {
	src string
	// lx produces tokens on demand into lx.toks, which holds the tokens
	// from index base on (earlier ones are dropped between top-level
	// statements); i is an absolute index.
	lx    *lexer
	base  int
	i     int
	depth int
	// sub is set for f-string expression parsers.
	sub bool
	r   *reader

	recoveries int
	lastFailed bool
	// closed records statements (by first token offset) already retried
	// with virtual closing brackets.
	closed map[int]int
}

var keywords = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true,
		"async": true, "await": true, "break": true, "class": true, "continue": true,
		"def": true, "del": true, "elif": true, "else": true, "except": true, "finally": true,
		"for": true, "from": true, "global": true, "if": true, "import": true, "in": true,
		"is": true, "lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true,
		"raise": true, "return": true, "try": true, "while": true, "with": true, "yield": true,
	}
})

// fill makes token i available; false when the input ends before it.
func (p *parser) fill(i int) bool {
	for i-p.base >= len(p.lx.toks) {
		if !p.lx.more() {
			return false
		}
	}
	return true
}

// tok returns token i (the final EOF token beyond the end). The pointer
// must not be kept across reading further tokens.
func (p *parser) tok(i int) *token {
	if !p.fill(i) {
		return &p.lx.toks[len(p.lx.toks)-1]
	}
	if i < p.base {
		i = p.base
	}
	return &p.lx.toks[i-p.base]
}

// compact drops the tokens before the current one (between top-level
// statements, where nothing refers to them any more).
func (p *parser) compact() {
	n := p.i - p.base
	if n <= 0 || p.sub {
		return
	}
	rest := copy(p.lx.toks, p.lx.toks[n:])
	p.lx.toks = p.lx.toks[:rest]
	p.base = p.i
}

func (p *parser) peek() *token { return p.tok(p.i) }

func (p *parser) peekAt(n int) *token { return p.tok(p.i + n) }

func (p *parser) next() *token {
	t := p.tok(p.i)
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) isOp(s string) bool {
	t := p.tok(p.i)
	return t.kind == tOp && t.text == s
}

func (p *parser) isKw(s string) bool {
	t := p.tok(p.i)
	return t.kind == tName && t.text == s
}

func (p *parser) acceptOp(s string) bool {
	if p.isOp(s) {
		p.next()
		return true
	}
	return false
}

func (p *parser) acceptKw(s string) bool {
	if p.isKw(s) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expectOp(s string) *token {
	if !p.isOp(s) {
		p.failHere(fmt.Sprintf("expected '%s'", s))
	}
	return p.next()
}

func (p *parser) expectKw(s string) {
	if !p.isKw(s) {
		p.failHere(fmt.Sprintf("expected '%s'", s))
	}
	p.next()
}

func (p *parser) expectName() *token {
	t := p.peek()
	if t.kind != tName || keywords()[t.text] {
		p.failHere("expected a name")
	}
	return p.next()
}

// failHere reports a syntax error at the current token.
func (p *parser) failHere(msg string) {
	p.failAt(p.i, msg)
}

func (p *parser) failAt(idx int, msg string) { p.fail(idx, msg, false) }

// failExact reports msg as it is (unless an error token or an open
// bracket explains the failure better).
func (p *parser) failExact(idx int, msg string) { p.fail(idx, msg, true) }

func (p *parser) fail(idx int, msg string, exact bool) {
	t := p.tok(idx)
	off := t.off
	err := &syntaxError{tok: idx}
	switch {
	case t.kind == tError:
		msg = t.text
		if t.code == SyntaxMismatch {
			err.open, err.code = t.brackets, SyntaxMismatch
		}
	case t.brackets != nil && (t.kind == tEOF || t.first && t.col == 0 && !p.sub):
		// a bracket left open: point at it, as CPython does
		p.neverClosed(err, t.brackets)
		panic(err)
	case exact:
	case t.kind == tEOF && !p.sub:
		msg = "unexpected end of file: " + msg
	case t.kind == tIndent:
		msg = "unexpected indent"
	case t.kind == tDedent:
		msg = "unindent does not match the block, or a block is missing: " + msg
	case t.kind == tNewline:
		msg = "invalid syntax: " + msg + " before the end of the line"
	default:
		if msg == "" {
			msg = "invalid syntax"
		} else {
			msg = fmt.Sprintf("invalid syntax: %s, found %s", msg, describeTok(t))
		}
	}
	err.off, err.msg = off, msg
	panic(err)
}

func describeTok(t *token) string {
	switch t.kind {
	case tName, tOp, tNumber:
		return "'" + t.text + "'"
	case tString:
		s := t.text
		if len(s) > 20 {
			s = s[:20] + "…"
		}
		return "string " + s
	}
	return t.kind.String()
}

// mkpos builds a node position from a start token and the end offset.
func (p *parser) mkpos(t *token, end int) pos {
	return pos{line: p.r.mapLine(t.line), col: t.col + 1, off: t.off, end: end}
}

func (p *parser) lastEnd() int {
	if p.i == 0 {
		return p.tok(0).off
	}
	return p.tok(p.i - 1).end
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxExprDepth {
		p.failExact(p.i, "too many nested parentheses or operators: expression too deeply nested")
	}
}

func (p *parser) leave() { p.depth-- }

// parseFile parses the whole module, recovering from syntax errors.
func (p *parser) parseFile() []stmt {
	return p.parseStatements(false)
}

func (p *parser) parseStatements(block bool) []stmt {
	var out []stmt
	for {
		t := p.peek()
		switch t.kind {
		case tEOF:
			if block && !p.sub {
				return out
			}
			return out
		case tDedent:
			p.next()
			if block {
				return out
			}
			continue
		case tNewline:
			p.next()
			continue
		case tIndent:
			p.r.syntaxDiag(t.off, "unexpected indent")
			if p.lastFailed {
				// the block of a compound statement whose header failed
				p.skipIndentedBlock()
				continue
			}
			// a stray indent: read the block as if it were not indented
			p.next()
			out = append(out, p.parseStatements(true)...)
			continue
		case tError:
			if strings.HasPrefix(t.text, "unindent does not match") || strings.HasPrefix(t.text, "too many levels") {
				p.r.syntaxDiag(t.off, t.text)
				p.next()
				continue
			}
		}
		start := p.i
		ss, err := p.protect(p.parseStatement)
		if err == nil {
			p.lastFailed = false
			out = append(out, ss...)
			if !block {
				p.compact()
			}
			continue
		}
		p.lastFailed = true
		rec := p.recover(start, err)
		p.r.syntaxErr(err)
		out = append(out, rec...)
	}
}

func (p *parser) skipIndentedBlock() {
	level := 0
	for {
		t := p.next()
		switch t.kind {
		case tIndent:
			level++
		case tDedent:
			level--
			if level <= 0 {
				return
			}
		case tEOF:
			return
		}
	}
}

// protect runs f, turning a syntax error panic into a returned error.
func (p *parser) protect(f func() []stmt) (ss []stmt, err *syntaxError) {
	saveDepth := p.depth
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*syntaxError)
			if !ok {
				panic(r)
			}
			p.depth = saveDepth
			ss, err = nil, se
		}
	}()
	return f(), nil
}

// stmtLikeAtCol0 reports whether token t, first on its line at column 0,
// looks like the start of a new statement.
func stmtLikeAtCol0(t *token) bool {
	if !t.first || t.col != 0 {
		return false
	}
	switch t.kind {
	case tName:
		switch t.text {
		case "and", "or", "not", "in", "is", "else", "lambda", "await", "None", "True", "False":
			return false
		}
		return true
	case tOp:
		return t.text == "@"
	}
	return false
}

// lineStart returns the offset of the start of the line holding off.
func (p *parser) lineStart(off int) int {
	i := strings.LastIndexAny(p.src[:off], "\n\r")
	return i + 1
}

// splice replaces the tokens from index k on with closing brackets for
// the open brackets b, a NEWLINE, and a lexer resuming at offset off (a
// line start) with the indentation ind. It returns the index to resume
// parsing at. Tokens before k are kept in place (no copy).
func (p *parser) splice(k int, b *bracket, off int, line int, ind *indentLevel) int {
	at := *p.tok(k)
	toks := p.lx.toks[:k-p.base]
	for x := b; x != nil; x = x.prev {
		toks = append(toks, token{kind: tOp, text: string(closerOf(x.ch)), off: at.off, end: at.off, line: at.line, col: at.col, brackets: x, indents: at.indents})
	}
	toks = append(toks, token{kind: tNewline, off: at.off, end: at.off, line: at.line, col: at.col, indents: at.indents})
	resume := p.base + len(toks)
	p.lx = newLexer(p.src, off, line, ind, toks)
	return resume
}

// neverClosed makes err describe an unclosed bracket, as CPython does.
func (p *parser) neverClosed(err *syntaxError, b *bracket) {
	err.off = b.off
	err.msg = fmt.Sprintf("'%c' was never closed", b.ch)
	err.open, err.code = b, SyntaxUnclosed
}

// recover repositions the parser after a failed statement and may return
// the statement read with its missing brackets supplied. It may rewrite
// err to name the real cause (an unclosed bracket).
func (p *parser) recover(start int, err *syntaxError) []stmt {
	p.recoveries++
	if p.recoveries > maxRecoveries {
		p.r.note(p.tok(start).line, "too many syntax errors: the rest of the file is not read")
		end := len(p.src)
		l := p.tok(start).line
		p.lx.toks = append(p.lx.toks[:start-p.base], token{kind: tEOF, off: end, end: end, line: l})
		p.lx.done = true
		p.i = start
		return nil
	}
	errIdx := err.tok
	if errIdx < start || !p.fill(errIdx) {
		errIdx = start
	}
	first := *p.tok(start)
	if p.closed == nil {
		p.closed = map[int]int{}
	}
	// 1. A mismatched closing bracket that closes a bracket further out:
	// close the inner ones and go on.
	if et := *p.tok(errIdx); et.kind == tError && et.code == SyntaxMismatch && p.closed[first.off] < 3 {
		c := p.src[et.off]
		for b := et.brackets; b != nil; b = b.prev {
			if closerOf(b.ch) != c {
				continue
			}
			p.closed[first.off]++
			toks := p.lx.toks[:errIdx-p.base]
			for x := et.brackets; x != b; x = x.prev {
				toks = append(toks, token{kind: tOp, text: string(closerOf(x.ch)), off: et.off, end: et.off, line: et.line, col: et.col, brackets: x, indents: et.indents})
			}
			toks = append(toks, token{kind: tOp, text: string(c), off: et.off, end: et.off + 1, line: et.line, col: et.col, brackets: b, indents: et.indents})
			p.lx = &lexer{src: p.src, pos: et.off + 1, limit: len(p.src), line: et.line, bol: p.lineStart(et.off + 1),
				brackets: b.prev, indents: et.indents, lineHasToken: true, toks: toks}
			p.i = start
			ss, err2 := p.protect(p.parseStatement)
			if err2 == nil {
				err.recovered = fmt.Sprintf("read as if '%c' (line %d) had been closed before line %d col %d", et.brackets.ch, p.r.mapLine(et.brackets.line), p.r.mapLine(et.line), p.r.mapCol(et.line, et.col+1))
				p.r.note(et.line, err.recovered)
				return ss
			}
			rec := p.recover(start, err2)
			p.r.syntaxErr(err2)
			return rec
		}
	}
	// 2. A runaway bracket: a statement-like line at column 0 met inside
	// brackets. Close them before that line and read the statement again.
	for k := start + 1; k <= errIdx; k++ {
		t := *p.tok(k)
		if t.brackets != nil && stmtLikeAtCol0(&t) {
			if p.closed[first.off] >= 3 {
				break
			}
			p.closed[first.off]++
			b := t.brackets
			p.neverClosed(err, b)
			resume := p.splice(k, b, t.off, t.line, first.indents)
			p.i = start
			if ss, err2 := p.protect(p.parseStatement); err2 == nil {
				err.recovered = fmt.Sprintf("'%c' opened at line %d col %d was never closed; the statement was read as if it were closed before line %d", b.ch, p.r.mapLine(b.line), p.r.mapCol(b.line, b.col+1), p.r.mapLine(t.line))
				p.r.note(b.line, err.recovered)
				return ss
			}
			p.i = resume
			return nil
		}
	}
	// 3. EOF inside brackets: close them at the end.
	if et := *p.tok(errIdx); et.kind == tEOF && et.brackets != nil && p.closed[first.off] < 3 {
		p.closed[first.off]++
		b := et.brackets
		toks := p.lx.toks[:errIdx-p.base]
		for x := b; x != nil; x = x.prev {
			toks = append(toks, token{kind: tOp, text: string(closerOf(x.ch)), off: et.off, end: et.off, line: et.line, col: et.col, brackets: x, indents: et.indents})
		}
		toks = append(toks, token{kind: tNewline, off: et.off, end: et.off, line: et.line, indents: first.indents})
		resume := p.base + len(toks)
		for x := first.indents; x != nil && x.width > 0; x = x.prev {
			toks = append(toks, token{kind: tDedent, off: et.off, end: et.off, line: et.line, indents: x.prev})
		}
		toks = append(toks, token{kind: tEOF, off: et.off, end: et.off, line: et.line})
		p.lx = &lexer{toks: toks, done: true}
		p.i = start
		if ss, err2 := p.protect(p.parseStatement); err2 == nil {
			err.recovered = fmt.Sprintf("'%c' opened at line %d col %d was never closed; the statement was read as if it were closed at the end of the file", b.ch, p.r.mapLine(b.line), p.r.mapCol(b.line, b.col+1))
			p.r.note(b.line, err.recovered)
			return ss
		}
		p.i = resume
		return nil
	}
	// 4. Skip to the end of the logical line, unless a runaway bracket
	// swallows the following statements: then re-read from the first
	// statement-like line at column 0.
	for k := errIdx; ; k++ {
		t := *p.tok(k)
		switch {
		case t.kind == tNewline:
			p.i = k + 1
			return nil
		case t.kind == tEOF:
			p.i = k
			return nil
		case k > errIdx && t.brackets != nil && stmtLikeAtCol0(&t):
			if p.tok(errIdx).kind != tError {
				p.neverClosed(err, t.brackets)
			}
			p.i = p.splice(k, nil, t.off, t.line, first.indents)
			return nil
		}
	}
}

// runeCol converts a byte offset to a 1-based column counted in
// characters.
func runeCol(src string, off int) int {
	if off > len(src) {
		off = len(src)
	}
	bol := strings.LastIndexAny(src[:off], "\n\r") + 1
	return utf8.RuneCountInString(src[bol:off]) + 1
}

// lineOf is the 1-based Python line of a byte offset.
func lineOf(src string, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return strings.Count(src[:off], "\n") + 1
}
