package pyread

// Comparison is a string literal a function compares a name with
// (`provider == "azure"`, `"okta" != provider`, `provider in ("a", "b")`).
type Comparison struct {
	Value string
	Line  int
}

// StringComparisons lists the string literals the function's body
// compares the name with, in source order (a caller asks, for example,
// which provider names a user-info method branches on). Nothing is
// evaluated: this is what the code says, not what runs.
func (f *Func) StringComparisons(name string) []Comparison {
	if f == nil || f.obj == nil || f.obj.fn == nil || f.obj.fn.def == nil {
		return nil
	}
	c := &comparisons{name: name}
	c.stmts(f.obj.fn.def.body, 0)
	return c.out
}

type comparisons struct {
	name string
	out  []Comparison
}

// maxWalk bounds the nesting walked (the parser bounds it too).
const maxWalk = 200

func (c *comparisons) stmts(ss []stmt, depth int) {
	if depth > maxWalk {
		return
	}
	for _, s := range ss {
		for _, e := range stmtExprs(s) {
			c.expr(e, depth+1)
		}
		for _, b := range subBlocks(s) {
			c.stmts(b, depth+1)
		}
	}
}

// stmtExprs are the expressions a statement holds directly.
func stmtExprs(s stmt) []expr {
	switch s := s.(type) {
	case *exprStmt:
		return []expr{s.x}
	case *assignStmt:
		return append([]expr{s.value}, s.targets...)
	case *augAssignStmt:
		return []expr{s.target, s.value}
	case *annAssignStmt:
		return []expr{s.value}
	case *ifStmt:
		return []expr{s.test}
	case *forStmt:
		return []expr{s.iter}
	case *whileStmt:
		return []expr{s.test}
	case *returnStmt:
		return []expr{s.value}
	case *raiseStmt:
		return []expr{s.exc}
	case *assertStmt:
		return []expr{s.test}
	case *withStmt:
		var out []expr
		for _, it := range s.items {
			out = append(out, it.ctx)
		}
		return out
	case *matchStmt:
		return []expr{s.subject}
	}
	return nil
}

func (c *comparisons) expr(e expr, depth int) {
	if e == nil || depth > maxWalk {
		return
	}
	for _, x := range subExprs(e) {
		c.expr(x, depth+1)
	}
	ce, ok := e.(*compareExpr)
	if !ok {
		return
	}
	left := ce.left
	for i, op := range ce.ops {
		right := ce.right[i]
		c.pair(left, op, right)
		left = right
	}
}

// pair records `name == "x"`, `"x" == name`, `name in ("x", ...)`.
func (c *comparisons) pair(a expr, op string, b expr) {
	switch op {
	case "==", "!=":
		if c.isName(a) {
			c.literal(b)
		} else if c.isName(b) {
			c.literal(a)
		}
	case "in", "not in":
		if !c.isName(a) {
			return
		}
		var elts []expr
		switch b := b.(type) {
		case *tupleExpr:
			elts = b.elts
		case *listExpr:
			elts = b.elts
		case *setExpr:
			elts = b.elts
		}
		for _, x := range elts {
			c.literal(x)
		}
	}
}

func (c *comparisons) isName(e expr) bool {
	n, ok := e.(*nameExpr)
	return ok && n.id == c.name
}

func (c *comparisons) literal(e expr) {
	if k, ok := e.(*constExpr); ok {
		if s, ok := k.val.(*Str); ok {
			c.out = append(c.out, Comparison{Value: s.V, Line: k.line})
		}
	}
}

// subExprs are the expressions directly inside e.
func subExprs(e expr) []expr {
	switch e := e.(type) {
	case *joinedStr:
		return e.parts
	case *formattedValue:
		return []expr{e.value}
	case *listExpr:
		return e.elts
	case *tupleExpr:
		return e.elts
	case *setExpr:
		return e.elts
	case *dictExpr:
		return append(append([]expr{}, e.keys...), e.values...)
	case *starredExpr:
		return []expr{e.value}
	case *attrExpr:
		return []expr{e.value}
	case *subscriptExpr:
		return []expr{e.value, e.index}
	case *sliceExpr:
		return []expr{e.lower, e.upper, e.step}
	case *callExpr:
		out := append([]expr{e.fn}, e.args...)
		for _, k := range e.keywords {
			out = append(out, k.value)
		}
		return out
	case *binExpr:
		return []expr{e.l, e.r}
	case *unaryExpr:
		return []expr{e.x}
	case *boolExpr:
		return e.values
	case *compareExpr:
		return append([]expr{e.left}, e.right...)
	case *ifExpr:
		return []expr{e.test, e.body, e.orelse}
	case *lambdaExpr:
		return []expr{e.body}
	case *compExpr:
		out := []expr{e.elt, e.key, e.value}
		for _, g := range e.gens {
			out = append(out, g.iter)
			out = append(out, g.ifs...)
		}
		return out
	case *namedExpr:
		return []expr{e.value}
	}
	return nil
}
