package pyread

import (
	"fmt"
	"strings"
)

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
			if g, ok := s.(*globalStmt); ok {
				out = append(out, g.names...)
			}
			for _, b := range subBlocks(s) {
				walk(b)
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
