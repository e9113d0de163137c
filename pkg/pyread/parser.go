package pyread

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// syntaxError aborts the statement being parsed.
type syntaxError struct {
	off int // byte offset in the Python source
	msg string
	tok int // index of the offending token (-1 when unknown)
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
	switch {
	case t.kind == tError:
		msg = t.text
	case t.brackets != nil && (t.kind == tEOF || t.first && t.col == 0 && !p.sub):
		// a bracket left open: point at it, as CPython does
		b := t.brackets
		msg = fmt.Sprintf("'%c' was never closed", b.ch)
		off = b.off
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
	panic(&syntaxError{off: off, msg: msg, tok: idx})
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

// ---- statements ----

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
		p.r.syntaxDiag(err.off, err.msg)
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
	if et := *p.tok(errIdx); et.kind == tError && strings.HasPrefix(et.text, "closing parenthesis") && p.closed[first.off] < 3 {
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
				p.r.note(et.line, fmt.Sprintf("read as if '%c' (line %d) had been closed before line %d col %d", et.brackets.ch, p.r.mapLine(et.brackets.line), p.r.mapLine(et.line), p.r.mapCol(et.line, et.col+1)))
				return ss
			}
			rec := p.recover(start, err2)
			p.r.syntaxDiag(err2.off, err2.msg)
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
				p.r.note(b.line, fmt.Sprintf("'%c' opened at line %d col %d was never closed; the statement was read as if it were closed before line %d", b.ch, p.r.mapLine(b.line), p.r.mapCol(b.line, b.col+1), p.r.mapLine(t.line)))
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
			p.r.note(b.line, fmt.Sprintf("'%c' opened at line %d col %d was never closed; the statement was read as if it were closed at the end of the file", b.ch, p.r.mapLine(b.line), p.r.mapCol(b.line, b.col+1)))
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

// parseStatement parses one statement (a compound statement or a line of
// simple statements).
func (p *parser) parseStatement() []stmt {
	t := p.peek()
	if t.kind == tOp && t.text == "@" {
		return []stmt{p.parseDecorated()}
	}
	if t.kind == tName {
		switch t.text {
		case "if":
			return []stmt{p.parseIf()}
		case "for":
			return []stmt{p.parseFor()}
		case "while":
			return []stmt{p.parseWhile()}
		case "try":
			return []stmt{p.parseTry()}
		case "with":
			return []stmt{p.parseWith()}
		case "def":
			return []stmt{p.parseDef(nil)}
		case "class":
			return []stmt{p.parseClass(nil)}
		case "async":
			n := p.peekAt(1)
			if n.kind == tName {
				switch n.text {
				case "def":
					p.next()
					return []stmt{p.parseDef(nil)}
				case "for":
					p.next()
					return []stmt{p.parseFor()}
				case "with":
					p.next()
					return []stmt{p.parseWith()}
				}
			}
			p.failAt(p.i+1, "expected 'def', 'for' or 'with' after 'async'")
		case "match":
			if m := p.tryMatch(); m != nil {
				return []stmt{m}
			}
		}
	}
	return p.parseSimpleStatements()
}

func (p *parser) parseSimpleStatements() []stmt {
	var out []stmt
	for {
		out = append(out, p.parseSimple())
		if !p.acceptOp(";") {
			break
		}
		if p.peek().kind == tNewline || p.peek().kind == tEOF {
			break
		}
	}
	t := p.peek()
	if t.kind == tNewline {
		p.next()
	} else if t.kind != tEOF {
		p.failHere("")
	}
	return out
}

func (p *parser) parseSimple() stmt {
	t := p.peek()
	if t.kind == tName {
		switch t.text {
		case "pass":
			p.next()
			return &passStmt{p.mkpos(t, t.end)}
		case "break", "continue":
			p.next()
			return &flowStmt{p.mkpos(t, t.end), t.text}
		case "return":
			p.next()
			var v expr
			if !p.atStmtEnd() {
				v = p.parseStarExpressions()
			}
			return &returnStmt{p.mkpos(t, p.lastEnd()), v}
		case "raise":
			p.next()
			var v expr
			if !p.atStmtEnd() {
				v = p.parseTest()
				if p.acceptKw("from") {
					p.parseTest()
				}
			}
			return &raiseStmt{p.mkpos(t, p.lastEnd()), v}
		case "global", "nonlocal":
			p.next()
			var names []string
			for {
				names = append(names, p.expectName().text)
				if !p.acceptOp(",") {
					break
				}
			}
			if t.text == "nonlocal" {
				return &skippedStmt{p.mkpos(t, p.lastEnd()), "nonlocal"}
			}
			return &globalStmt{p.mkpos(t, p.lastEnd()), names}
		case "del":
			p.next()
			var targets []expr
			for {
				targets = append(targets, p.parseTarget())
				if !p.acceptOp(",") || p.atStmtEnd() {
					break
				}
			}
			for _, x := range targets {
				p.checkTarget(x, "delete")
			}
			return &delStmt{p.mkpos(t, p.lastEnd()), targets}
		case "assert":
			p.next()
			test := p.parseTest()
			if p.acceptOp(",") {
				p.parseTest()
			}
			return &assertStmt{p.mkpos(t, p.lastEnd()), test}
		case "import":
			return p.parseImport()
		case "from":
			return p.parseFromImport()
		case "type":
			// PEP 695 type alias: `type X = ...` (soft keyword)
			n := p.peekAt(1)
			if n.kind == tName && !keywords()[n.text] {
				n2 := p.peekAt(2)
				if n2.kind == tOp && (n2.text == "=" || n2.text == "[") {
					p.next()
					name := p.next()
					if p.isOp("[") {
						p.skipBalanced()
					}
					p.expectOp("=")
					p.parseTest()
					return &skippedStmt{p.mkpos(t, p.lastEnd()), "type alias " + name.text}
				}
			}
		}
	}
	var first expr
	if p.isKw("yield") {
		first = p.parseYield()
	} else {
		first = p.parseStarExpressions()
	}
	switch {
	case p.isOp("="):
		targets := []expr{first}
		var value expr
		for p.acceptOp("=") {
			var v expr
			if p.isKw("yield") {
				v = p.parseYield()
			} else {
				v = p.parseStarExpressions()
			}
			targets = append(targets, v)
		}
		value = targets[len(targets)-1]
		targets = targets[:len(targets)-1]
		for _, x := range targets {
			p.checkTarget(x, "assign")
		}
		return &assignStmt{p.mkpos(t, p.lastEnd()), targets, value}
	case p.isOp(":"):
		switch first.(type) {
		case *nameExpr, *attrExpr, *subscriptExpr:
		default:
			p.failExact(p.i, "only a single target can be annotated")
		}
		p.next()
		ann := p.parseTest()
		var value expr
		if p.acceptOp("=") {
			if p.isKw("yield") {
				value = p.parseYield()
			} else {
				value = p.parseStarExpressions()
			}
		}
		return &annAssignStmt{p.mkpos(t, p.lastEnd()), first, ann, value}
	}
	if tk := p.peek(); tk.kind == tOp && len(tk.text) >= 2 && strings.HasSuffix(tk.text, "=") {
		switch tk.text {
		case "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=", ">>=", "<<=":
			switch first.(type) {
			case *nameExpr, *attrExpr, *subscriptExpr:
			default:
				p.failExact(p.i, "illegal expression for augmented assignment")
			}
			p.next()
			var v expr
			if p.isKw("yield") {
				v = p.parseYield()
			} else {
				v = p.parseStarExpressions()
			}
			return &augAssignStmt{p.mkpos(t, p.lastEnd()), first, strings.TrimSuffix(tk.text, "="), v}
		}
	}
	return &exprStmt{p.mkpos(t, p.lastEnd()), first}
}

func (p *parser) atStmtEnd() bool {
	t := p.peek()
	return t.kind == tNewline || t.kind == tEOF || t.kind == tOp && t.text == ";"
}

func (p *parser) skipBalanced() {
	open := p.next()
	stop := open.brackets
	for {
		t := p.next()
		if t.kind == tEOF {
			p.failAt(p.i, "")
		}
		if t.kind == tOp && t.brackets == stop && (t.text == ")" || t.text == "]" || t.text == "}") {
			return
		}
	}
}

// checkTarget fails unless x can be assigned to (or deleted).
func (p *parser) checkTarget(x expr, what string) {
	switch x := x.(type) {
	case *nameExpr, *attrExpr, *subscriptExpr:
		return
	case *starredExpr:
		p.checkTarget(x.value, what)
		return
	case *tupleExpr:
		for _, e := range x.elts {
			p.checkTarget(e, what)
		}
		return
	case *listExpr:
		for _, e := range x.elts {
			p.checkTarget(e, what)
		}
		return
	}
	n := x.position()
	panic(&syntaxError{off: n.off, msg: fmt.Sprintf("cannot %s to %s", what, exprKind(x)), tok: p.i})
}

func exprKind(x expr) string {
	switch x := x.(type) {
	case *constExpr:
		return "literal"
	case *callExpr:
		return "function call"
	case *binExpr, *unaryExpr:
		return "expression"
	case *compareExpr:
		return "comparison"
	case *boolExpr:
		return "expression"
	case *joinedStr:
		return "f-string expression"
	case *dictExpr:
		return "dict literal"
	case *setExpr:
		return "set display"
	case *compExpr:
		return "comprehension"
	case *lambdaExpr:
		return "lambda"
	case *ifExpr:
		return "conditional expression"
	case *namedExpr:
		return "named expression"
	default:
		_ = x
	}
	return "expression"
}

func (p *parser) parseDottedName() string {
	var sb strings.Builder
	sb.WriteString(p.expectName().text)
	for p.acceptOp(".") {
		sb.WriteByte('.')
		sb.WriteString(p.expectName().text)
	}
	return sb.String()
}

func (p *parser) parseImport() stmt {
	t := p.next()
	var names []alias
	for {
		nt := p.peek()
		name := p.parseDottedName()
		a := alias{name: name, line: p.r.mapLine(nt.line)}
		if p.acceptKw("as") {
			a.asname = p.expectName().text
		}
		names = append(names, a)
		if !p.acceptOp(",") {
			break
		}
	}
	return &importStmt{p.mkpos(t, p.lastEnd()), names}
}

func (p *parser) parseFromImport() stmt {
	t := p.next()
	level := 0
	for {
		if p.acceptOp(".") {
			level++
		} else if p.acceptOp("...") {
			level += 3
		} else {
			break
		}
	}
	mod := ""
	if !p.isKw("import") {
		mod = p.parseDottedName()
	}
	p.expectKw("import")
	s := &importFromStmt{module: mod, level: level}
	if p.acceptOp("*") {
		s.star = true
	} else {
		paren := p.acceptOp("(")
		for {
			nt := p.peek()
			a := alias{name: p.expectName().text, line: p.r.mapLine(nt.line)}
			if p.acceptKw("as") {
				a.asname = p.expectName().text
			}
			s.names = append(s.names, a)
			if !p.acceptOp(",") {
				break
			}
			if paren && p.isOp(")") {
				break
			}
		}
		if paren {
			p.expectOp(")")
		}
	}
	s.pos = p.mkpos(t, p.lastEnd())
	return s
}

// parseBlock parses ':' followed by an indented block or simple
// statements on the same line.
func (p *parser) parseBlock() []stmt {
	p.expectOp(":")
	if p.peek().kind != tNewline {
		return p.parseSimpleStatements()
	}
	p.next()
	if p.peek().kind != tIndent {
		p.failHere("expected an indented block")
	}
	p.next()
	return p.parseStatements(true)
}

func (p *parser) parseIf() stmt {
	t := p.next() // if / elif
	test := p.parseNamedExprTest()
	s := &ifStmt{test: test}
	s.body = p.parseBlock()
	if p.isKw("elif") {
		s.orelse = []stmt{p.parseIf()}
		s.elif = true
	} else if p.isKw("else") {
		p.next()
		s.orelse = p.parseBlock()
	}
	s.pos = p.mkpos(t, p.lastEnd())
	return s
}

func (p *parser) parseWhile() stmt {
	t := p.next()
	s := &whileStmt{test: p.parseNamedExprTest()}
	s.body = p.parseBlock()
	if p.acceptKw("else") {
		s.orelse = p.parseBlock()
	}
	s.pos = p.mkpos(t, p.lastEnd())
	return s
}

func (p *parser) parseFor() stmt {
	t := p.next()
	target := p.parseTargetList()
	p.checkTarget(target, "assign")
	p.expectKw("in")
	iter := p.parseStarExpressions()
	s := &forStmt{target: target, iter: iter}
	s.body = p.parseBlock()
	if p.acceptKw("else") {
		s.orelse = p.parseBlock()
	}
	s.pos = p.mkpos(t, p.lastEnd())
	return s
}

func (p *parser) parseTry() stmt {
	t := p.next()
	s := &tryStmt{}
	s.body = p.parseBlock()
	for p.isKw("except") {
		ht := p.next()
		p.acceptOp("*")
		h := handler{}
		if !p.isOp(":") {
			h.typ = p.parseTest()
			if p.acceptKw("as") {
				h.name = p.expectName().text
			} else if p.isOp(",") {
				p.failExact(p.i, "multiple exception types must be parenthesized")
			}
		}
		h.body = p.parseBlock()
		h.pos = p.mkpos(ht, p.lastEnd())
		s.handlers = append(s.handlers, h)
	}
	if p.acceptKw("else") {
		if len(s.handlers) == 0 {
			p.failExact(p.i-1, "'else' without 'except'")
		}
		s.orelse = p.parseBlock()
	}
	if p.acceptKw("finally") {
		s.finalbody = p.parseBlock()
	}
	if len(s.handlers) == 0 && s.finalbody == nil {
		p.failHere("expected 'except' or 'finally' block")
	}
	s.pos = p.mkpos(t, p.lastEnd())
	return s
}

func (p *parser) parseWith() stmt {
	t := p.next()
	s := &withStmt{}
	if p.isOp("(") {
		save := p.i
		_, err := p.protect(func() []stmt {
			p.next()
			for {
				s.items = append(s.items, p.parseWithItem())
				if !p.acceptOp(",") || p.isOp(")") {
					break
				}
			}
			p.expectOp(")")
			if !p.isOp(":") {
				p.failHere("expected ':'")
			}
			return nil
		})
		if err != nil {
			p.i = save
			s.items = nil
		}
	}
	if s.items == nil {
		for {
			s.items = append(s.items, p.parseWithItem())
			if !p.acceptOp(",") {
				break
			}
		}
	}
	s.body = p.parseBlock()
	s.pos = p.mkpos(t, p.lastEnd())
	return s
}

func (p *parser) parseWithItem() withItem {
	it := withItem{ctx: p.parseTest()}
	if p.acceptKw("as") {
		it.target = p.parseTarget()
		p.checkTarget(it.target, "assign")
	}
	return it
}

func (p *parser) parseDecorated() stmt {
	var decos []expr
	for p.isOp("@") {
		p.next()
		decos = append(decos, p.parseNamedExprTest())
		if p.peek().kind != tNewline {
			p.failHere("expected a newline after the decorator")
		}
		p.next()
	}
	if p.isKw("async") {
		p.next()
	}
	switch {
	case p.isKw("def"):
		return p.parseDef(decos)
	case p.isKw("class"):
		return p.parseClass(decos)
	}
	p.failHere("expected 'def' or 'class' after a decorator")
	return nil
}

func (p *parser) parseDef(decos []expr) stmt {
	t := p.next()
	name := p.expectName()
	if p.isOp("[") {
		p.skipBalanced()
	}
	p.expectOp("(")
	params := p.parseParams(")", true)
	p.expectOp(")")
	header := p.src[t.off:p.lastEnd()]
	if p.acceptOp("->") {
		p.parseTest()
	}
	body := p.parseBlock()
	f := &funcDef{pos: p.mkpos(t, p.lastEnd()), name: name.text, header: header, params: params, decorators: decos, body: body}
	f.globals = declaredGlobals(body)
	return f
}

// declaredGlobals lists the names declared global in a function body (not
// in nested functions or classes).
func declaredGlobals(body []stmt) []string {
	var out []string
	var walk func([]stmt)
	walk = func(ss []stmt) {
		for _, s := range ss {
			switch s := s.(type) {
			case *globalStmt:
				out = append(out, s.names...)
			case *ifStmt:
				walk(s.body)
				walk(s.orelse)
			case *forStmt:
				walk(s.body)
				walk(s.orelse)
			case *whileStmt:
				walk(s.body)
				walk(s.orelse)
			case *tryStmt:
				walk(s.body)
				for _, h := range s.handlers {
					walk(h.body)
				}
				walk(s.orelse)
				walk(s.finalbody)
			case *withStmt:
				walk(s.body)
			}
		}
	}
	walk(body)
	return out
}

func (p *parser) parseClass(decos []expr) stmt {
	t := p.next()
	name := p.expectName()
	if p.isOp("[") {
		p.skipBalanced()
	}
	c := &classDef{name: name.text, decorators: decos}
	if p.acceptOp("(") {
		c.bases, c.keywords = p.parseCallArgs()
		p.expectOp(")")
	}
	c.header = p.src[t.off:p.lastEnd()]
	c.body = p.parseBlock()
	c.pos = p.mkpos(t, p.lastEnd())
	return c
}

// tryMatch parses a match statement, or returns nil (restoring the
// position) when `match` is used as an ordinary name.
func (p *parser) tryMatch() stmt {
	save := p.i
	t := p.peek()
	var subject expr
	_, err := p.protect(func() []stmt {
		p.next()
		subject = p.parseStarExpressions()
		p.expectOp(":")
		if p.peek().kind != tNewline {
			p.failHere("")
		}
		p.next()
		if p.peek().kind != tIndent {
			p.failHere("")
		}
		p.next()
		if !p.isKw("case") {
			p.failHere("")
		}
		return nil
	})
	if err != nil {
		p.i = save
		return nil
	}
	m := &matchStmt{subject: subject}
	for p.isKw("case") {
		ct := p.next()
		// skip the pattern (and guard) up to ':' at bracket level 0
		for {
			x := p.peek()
			if x.kind == tEOF || x.kind == tNewline {
				p.failHere("expected ':'")
			}
			if x.kind == tOp && x.text == ":" && x.brackets == ct.brackets {
				break
			}
			p.next()
		}
		m.cases = append(m.cases, p.parseBlock())
	}
	if p.peek().kind == tDedent {
		p.next()
	} else if p.peek().kind != tEOF {
		p.failHere("expected 'case'")
	}
	m.pos = p.mkpos(t, p.lastEnd())
	return m
}

// ---- expressions ----

// parseStarExpressions: expr (',' expr)* [','] with starred items; a tuple
// when there is a comma.
func (p *parser) parseStarExpressions() expr {
	t := p.peek()
	first := p.parseStarNamedExpr()
	if !p.isOp(",") {
		return first
	}
	elts := []expr{first}
	for p.acceptOp(",") {
		if p.atExprEnd() {
			break
		}
		elts = append(elts, p.parseStarNamedExpr())
	}
	return &tupleExpr{p.mkpos(t, p.lastEnd()), elts}
}

// atExprEnd reports whether the next token cannot start an expression.
func (p *parser) atExprEnd() bool {
	t := p.peek()
	switch t.kind {
	case tNewline, tEOF, tIndent, tDedent:
		return true
	case tOp:
		switch t.text {
		case ")", "]", "}", "=", ":", ";", "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=", ">>=", "<<=", "!":
			return true
		}
	case tName:
		switch t.text {
		case "in", "for", "if", "else", "as", "from", "async":
			return true
		}
	}
	return false
}

func (p *parser) parseStarNamedExpr() expr {
	if p.isOp("*") {
		t := p.next()
		v := p.parseBitOr()
		return &starredExpr{p.mkpos(t, p.lastEnd()), v}
	}
	return p.parseNamedExprTest()
}

func (p *parser) parseNamedExprTest() expr {
	t := p.peek()
	if t.kind == tName && !keywords()[t.text] {
		if n := p.peekAt(1); n.kind == tOp && n.text == ":=" {
			p.next()
			p.next()
			v := p.parseTest()
			return &namedExpr{p.mkpos(t, p.lastEnd()), t.text, v}
		}
	}
	return p.parseTest()
}

func (p *parser) parseTest() expr {
	p.enter()
	defer p.leave()
	t := p.peek()
	if t.kind == tName && t.text == "lambda" {
		return p.parseLambda()
	}
	x := p.parseOr()
	if p.isKw("if") {
		// conditional expression, unless this `if` belongs to a
		// comprehension (then there is no else).
		save := p.i
		p.next()
		test := p.parseOr()
		if !p.acceptKw("else") {
			p.i = save
			return x
		}
		orelse := p.parseTest()
		return &ifExpr{p.mkpos(t, p.lastEnd()), test, x, orelse}
	}
	return x
}

func (p *parser) parseTestNoCond() expr {
	if p.isKw("lambda") {
		return p.parseLambda()
	}
	return p.parseOr()
}

func (p *parser) parseLambda() expr {
	t := p.next()
	params := p.parseParams(":", false)
	p.expectOp(":")
	body := p.parseTest()
	return &lambdaExpr{p.mkpos(t, p.lastEnd()), params, body}
}

// parseParams reads a parameter list up to (not including) closer.
func (p *parser) parseParams(closer string, annotations bool) []param {
	var out []param
	kwOnly := false
	for !p.isOp(closer) {
		switch {
		case p.acceptOp("/"):
		case p.isOp("*"):
			p.next()
			if t := p.peek(); t.kind == tName && !keywords()[t.text] {
				p.next()
				out = append(out, param{name: t.text, kind: '*'})
				if annotations && p.acceptOp(":") {
					p.parseTest()
				}
			}
			kwOnly = true
		case p.isOp("**"):
			p.next()
			n := p.expectName()
			out = append(out, param{name: n.text, kind: '+'})
			if annotations && p.acceptOp(":") {
				p.parseTest()
			}
		case p.peek().kind == tName && !keywords()[p.peek().text]:
			n := p.next()
			pr := param{name: n.text}
			if kwOnly {
				pr.kind = 'k'
			}
			if annotations && p.acceptOp(":") {
				p.parseTest()
			}
			if p.acceptOp("=") {
				pr.def = p.parseTest()
			}
			out = append(out, pr)
		default:
			p.failHere("invalid parameter list")
		}
		if !p.acceptOp(",") {
			break
		}
	}
	return out
}

func (p *parser) parseOr() expr {
	t := p.peek()
	x := p.parseAnd()
	if !p.isKw("or") {
		return x
	}
	vals := []expr{x}
	for p.acceptKw("or") {
		vals = append(vals, p.parseAnd())
	}
	return &boolExpr{p.mkpos(t, p.lastEnd()), "or", vals}
}

func (p *parser) parseAnd() expr {
	t := p.peek()
	x := p.parseNot()
	if !p.isKw("and") {
		return x
	}
	vals := []expr{x}
	for p.acceptKw("and") {
		vals = append(vals, p.parseNot())
	}
	return &boolExpr{p.mkpos(t, p.lastEnd()), "and", vals}
}

func (p *parser) parseNot() expr {
	t := p.peek()
	if t.kind == tName && t.text == "not" {
		p.enter()
		defer p.leave()
		p.next()
		x := p.parseNot()
		return &unaryExpr{p.mkpos(t, p.lastEnd()), "not", x}
	}
	return p.parseComparison()
}

func (p *parser) compOp() string {
	t := p.peek()
	switch t.kind {
	case tOp:
		switch t.text {
		case "<", ">", "==", ">=", "<=", "!=":
			return t.text
		}
	case tName:
		switch t.text {
		case "in":
			return "in"
		case "not":
			if n := p.peekAt(1); n.kind == tName && n.text == "in" {
				return "not in"
			}
		case "is":
			if n := p.peekAt(1); n.kind == tName && n.text == "not" {
				return "is not"
			}
			return "is"
		}
	}
	return ""
}

func (p *parser) parseComparison() expr {
	t := p.peek()
	x := p.parseBitOr()
	op := p.compOp()
	if op == "" {
		return x
	}
	c := &compareExpr{left: x}
	for op != "" {
		p.next()
		if op == "not in" || op == "is not" {
			p.next()
		}
		c.ops = append(c.ops, op)
		c.right = append(c.right, p.parseBitOr())
		op = p.compOp()
	}
	c.pos = p.mkpos(t, p.lastEnd())
	return c
}

// binPrec is the precedence of a binary operator token (0: none).
func binPrec(t *token) int {
	if t.kind != tOp {
		return 0
	}
	switch t.text {
	case "|":
		return 1
	case "^":
		return 2
	case "&":
		return 3
	case "<<", ">>":
		return 4
	case "+", "-":
		return 5
	case "*", "/", "//", "%", "@":
		return 6
	}
	return 0
}

// parseBin parses binary operators of precedence >= minPrec (all left
// associative) by precedence climbing.
func (p *parser) parseBin(minPrec int) expr {
	t := *p.peek()
	x := p.parseFactor()
	for {
		tk := p.peek()
		prec := binPrec(tk)
		if prec == 0 || prec < minPrec {
			return x
		}
		op := tk.text
		p.next()
		r := p.parseBin(prec + 1)
		x = &binExpr{p.mkpos(&t, p.lastEnd()), op, x, r}
	}
}

func (p *parser) parseBitOr() expr { return p.parseBin(1) }

func (p *parser) parseFactor() expr {
	t := p.peek()
	if t.kind == tOp && (t.text == "-" || t.text == "+" || t.text == "~") {
		p.enter()
		defer p.leave()
		p.next()
		x := p.parseFactor()
		return &unaryExpr{p.mkpos(t, p.lastEnd()), t.text, x}
	}
	return p.parsePower()
}

func (p *parser) parsePower() expr {
	t := p.peek()
	if t.kind == tName && t.text == "await" {
		p.enter()
		defer p.leave()
		p.next()
		p.parsePower()
		return &opaqueExpr{p.mkpos(t, p.lastEnd()), "await"}
	}
	x := p.parsePrimary()
	if p.isOp("**") {
		p.enter()
		defer p.leave()
		p.next()
		r := p.parseFactor()
		return &binExpr{p.mkpos(t, p.lastEnd()), "**", x, r}
	}
	return x
}

func (p *parser) parsePrimary() expr {
	t := p.peek()
	x := p.parseAtom()
	n := 0
	for {
		switch {
		case p.isOp("."):
			p.next()
			name := p.expectName()
			x = &attrExpr{p.mkpos(t, p.lastEnd()), x, name.text}
		case p.isOp("("):
			p.next()
			args, kws := p.parseCallArgs()
			p.expectOp(")")
			x = &callExpr{p.mkpos(t, p.lastEnd()), x, args, kws}
		case p.isOp("["):
			p.next()
			idx := p.parseSubscripts()
			p.expectOp("]")
			x = &subscriptExpr{p.mkpos(t, p.lastEnd()), x, idx}
		default:
			return x
		}
		n++
		if n > 10000 {
			p.failHere("too many trailers")
		}
	}
}

func (p *parser) parseCallArgs() ([]expr, []keyword) {
	var args []expr
	var kws []keyword
	for !p.isOp(")") {
		t := p.peek()
		switch {
		case p.isOp("*"):
			p.next()
			v := p.parseTest()
			args = append(args, &starredExpr{p.mkpos(t, p.lastEnd()), v})
		case p.isOp("**"):
			p.next()
			kws = append(kws, keyword{"", p.parseTest()})
		case t.kind == tName && !keywords()[t.text] && p.peekAt(1).kind == tOp && p.peekAt(1).text == "=":
			p.next()
			p.next()
			kws = append(kws, keyword{t.text, p.parseTest()})
		default:
			v := p.parseNamedExprTest()
			if p.isKw("for") || p.isKw("async") {
				v = p.parseComprehension('g', t, v, nil)
			}
			args = append(args, v)
		}
		if !p.acceptOp(",") {
			break
		}
	}
	return args, kws
}

func (p *parser) parseSubscripts() expr {
	t := p.peek()
	first := p.parseSlice()
	if !p.isOp(",") {
		return first
	}
	elts := []expr{first}
	for p.acceptOp(",") {
		if p.isOp("]") {
			break
		}
		elts = append(elts, p.parseSlice())
	}
	return &tupleExpr{p.mkpos(t, p.lastEnd()), elts}
}

func (p *parser) parseSlice() expr {
	t := p.peek()
	var lower, upper, step expr
	if p.isOp("*") {
		return p.parseStarNamedExpr()
	}
	if !p.isOp(":") {
		lower = p.parseNamedExprTest()
		if !p.isOp(":") {
			return lower
		}
	}
	p.expectOp(":")
	if !p.isOp(":") && !p.isOp("]") && !p.isOp(",") {
		upper = p.parseTest()
	}
	if p.acceptOp(":") {
		if !p.isOp("]") && !p.isOp(",") {
			step = p.parseTest()
		}
	}
	return &sliceExpr{p.mkpos(t, p.lastEnd()), lower, upper, step}
}

// parseTarget parses one assignment target (no comparisons: used by for
// loops and comprehensions where `in` follows).
func (p *parser) parseTarget() expr {
	if p.isOp("*") {
		t := p.next()
		v := p.parseBitOr()
		return &starredExpr{p.mkpos(t, p.lastEnd()), v}
	}
	return p.parseBitOr()
}

func (p *parser) parseTargetList() expr {
	t := p.peek()
	first := p.parseTarget()
	if !p.isOp(",") {
		return first
	}
	elts := []expr{first}
	for p.acceptOp(",") {
		if p.isKw("in") || p.isOp("=") {
			break
		}
		elts = append(elts, p.parseTarget())
	}
	return &tupleExpr{p.mkpos(t, p.lastEnd()), elts}
}

func (p *parser) parseComprehension(kind byte, t *token, elt, value expr) expr {
	c := &compExpr{kind: kind, elt: elt}
	if kind == 'd' {
		c.key, c.value, c.elt = elt, value, nil
	}
	for p.isKw("for") || p.isKw("async") {
		g := comprehension{}
		if p.acceptKw("async") {
			g.async = true
		}
		p.expectKw("for")
		g.target = p.parseTargetList()
		p.checkTarget(g.target, "assign")
		p.expectKw("in")
		g.iter = p.parseOr()
		for p.isKw("if") {
			p.next()
			g.ifs = append(g.ifs, p.parseTestNoCond())
		}
		c.gens = append(c.gens, g)
	}
	c.pos = p.mkpos(t, p.lastEnd())
	return c
}

func (p *parser) parseYield() expr {
	t := p.next()
	if p.acceptKw("from") {
		p.parseTest()
	} else if !p.atExprEnd() {
		p.parseStarExpressions()
	}
	return &opaqueExpr{p.mkpos(t, p.lastEnd()), "yield"}
}

func (p *parser) parseAtom() expr {
	t := p.peek()
	switch t.kind {
	case tName:
		switch t.text {
		case "None":
			p.next()
			return &constExpr{p.mkpos(t, t.end), mkNone(p.r.mapLine(t.line))}
		case "True", "False":
			p.next()
			return &constExpr{p.mkpos(t, t.end), mkBool(t.text == "True", p.r.mapLine(t.line))}
		}
		if keywords()[t.text] {
			p.failHere("")
		}
		p.next()
		return &nameExpr{p.mkpos(t, t.end), t.text}
	case tNumber:
		p.next()
		return p.parseNumber(t)
	case tString:
		return p.parseStrings()
	case tOp:
		switch t.text {
		case "...":
			p.next()
			return &constExpr{p.mkpos(t, t.end), &Opaque{Kind: "object", Source: "Ellipsis", Line: p.r.mapLine(t.line)}}
		case "(":
			p.enter()
			defer p.leave()
			p.next()
			if p.acceptOp(")") {
				return &tupleExpr{p.mkpos(t, p.lastEnd()), nil}
			}
			if p.isKw("yield") {
				y := p.parseYield()
				p.expectOp(")")
				return y
			}
			first := p.parseStarNamedExpr()
			if p.isKw("for") || p.isKw("async") {
				c := p.parseComprehension('g', t, first, nil)
				p.expectOp(")")
				return c
			}
			if p.acceptOp(")") {
				if _, ok := first.(*starredExpr); ok {
					p.failExact(p.i-1, "cannot use starred expression here")
				}
				return first
			}
			elts := []expr{first}
			for p.acceptOp(",") {
				if p.isOp(")") {
					break
				}
				elts = append(elts, p.parseStarNamedExpr())
			}
			p.expectOp(")")
			return &tupleExpr{p.mkpos(t, p.lastEnd()), elts}
		case "[":
			p.enter()
			defer p.leave()
			p.next()
			if p.acceptOp("]") {
				return &listExpr{p.mkpos(t, p.lastEnd()), nil}
			}
			first := p.parseStarNamedExpr()
			if p.isKw("for") || p.isKw("async") {
				c := p.parseComprehension('l', t, first, nil)
				p.expectOp("]")
				return c
			}
			elts := []expr{first}
			for p.acceptOp(",") {
				if p.isOp("]") {
					break
				}
				elts = append(elts, p.parseStarNamedExpr())
			}
			p.expectOp("]")
			return &listExpr{p.mkpos(t, p.lastEnd()), elts}
		case "{":
			p.enter()
			defer p.leave()
			p.next()
			return p.parseBraces(t)
		}
	}
	p.failHere("")
	return nil
}

func (p *parser) parseBraces(t *token) expr {
	if p.acceptOp("}") {
		return &dictExpr{pos: p.mkpos(t, p.lastEnd())}
	}
	if p.isOp("**") {
		return p.parseDictRest(t, nil, nil)
	}
	first := p.parseStarNamedExpr()
	if p.acceptOp(":") {
		if _, ok := first.(*starredExpr); ok {
			p.failHere("cannot use a starred expression in a dictionary key")
		}
		val := p.parseTest()
		if p.isKw("for") || p.isKw("async") {
			c := p.parseComprehension('d', t, first, val)
			p.expectOp("}")
			return c
		}
		return p.parseDictRest(t, first, val)
	}
	if p.isKw("for") || p.isKw("async") {
		c := p.parseComprehension('s', t, first, nil)
		p.expectOp("}")
		return c
	}
	elts := []expr{first}
	for p.acceptOp(",") {
		if p.isOp("}") {
			break
		}
		elts = append(elts, p.parseStarNamedExpr())
	}
	p.expectOp("}")
	return &setExpr{p.mkpos(t, p.lastEnd()), elts}
}

func (p *parser) parseDictRest(t *token, k, v expr) expr {
	d := &dictExpr{}
	if k != nil {
		d.keys = append(d.keys, k)
		d.values = append(d.values, v)
		if !p.acceptOp(",") {
			p.expectOp("}")
			d.pos = p.mkpos(t, p.lastEnd())
			return d
		}
	}
	for !p.isOp("}") {
		if p.acceptOp("**") {
			d.keys = append(d.keys, nil)
			d.values = append(d.values, p.parseBitOr())
		} else {
			key := p.parseTest()
			p.expectOp(":")
			d.keys = append(d.keys, key)
			d.values = append(d.values, p.parseTest())
		}
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp("}")
	d.pos = p.mkpos(t, p.lastEnd())
	return d
}

func (p *parser) parseNumber(t *token) expr {
	line := p.r.mapLine(t.line)
	ps := p.mkpos(t, t.end)
	s := strings.ReplaceAll(t.text, "_", "")
	if strings.HasSuffix(s, "j") || strings.HasSuffix(s, "J") {
		return &constExpr{ps, &Opaque{Kind: "complex", Source: t.text, Line: line}}
	}
	if len(s) > 1 && s[0] == '0' && strings.IndexByte("xXoObB", s[1]) >= 0 {
		base := map[byte]int{'x': 16, 'o': 8, 'b': 2}[s[1]|0x20]
		b, ok := new(big.Int).SetString(s[2:], base)
		if !ok {
			p.failExact(p.i-1, "invalid number literal")
		}
		return &constExpr{ps, mkBigInt(b, line)}
	}
	if strings.ContainsAny(s, ".eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				p.failExact(p.i-1, "invalid float literal")
			}
		}
		return &constExpr{ps, mkFloat(f, line)}
	}
	if len(s) > 1 && s[0] == '0' && strings.Trim(s, "0") != "" {
		p.failExact(p.i-1, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")
	}
	if len(s) <= 18 {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return &constExpr{ps, mkInt(n, line)}
		}
	}
	if len(s) > 4300 {
		// CPython refuses int literals over 4300 digits
		p.failExact(p.i-1, "exceeds the limit (4300 digits) for integer string conversion")
	}
	b, ok := new(big.Int).SetString(s, 10)
	if !ok {
		p.failExact(p.i-1, "invalid number literal")
	}
	return &constExpr{ps, mkBigInt(b, line)}
}

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
