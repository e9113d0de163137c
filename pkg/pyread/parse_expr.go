package pyread

import (
	"math/big"
	"strconv"
	"strings"
)

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
