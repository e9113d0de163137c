package pyread

// pos locates a node: line (already mapped to the caller's file), 1-based
// column, and byte offsets into the Python source for source text.
type pos struct {
	line, col int
	off, end  int
}

func (p pos) position() pos { return p }

type node interface{ position() pos }

// ---- expressions ----

type expr interface {
	node
	exprNode()
}

type (
	nameExpr struct {
		pos
		id string
	}
	// constExpr holds a literal value (str, bytes, int, float, complex,
	// True/False/None, Ellipsis).
	constExpr struct {
		pos
		val Value
	}
	// joinedStr is an f-string (possibly implicitly concatenated with
	// plain strings).
	joinedStr struct {
		pos
		parts []expr // *constExpr (str) or *formattedValue
	}
	formattedValue struct {
		pos
		value expr
		conv  byte       // 0, 'r', 's', 'a'
		spec  *joinedStr // nil when absent
		debug string     // text before the value for f"{x=}"
	}
	listExpr struct {
		pos
		elts []expr
	}
	tupleExpr struct {
		pos
		elts []expr
	}
	setExpr struct {
		pos
		elts []expr
	}
	dictExpr struct {
		pos
		keys   []expr // nil key: **value
		values []expr
	}
	starredExpr struct {
		pos
		value expr
	}
	attrExpr struct {
		pos
		value expr
		attr  string
	}
	subscriptExpr struct {
		pos
		value expr
		index expr
	}
	sliceExpr struct {
		pos
		lower, upper, step expr
	}
	callExpr struct {
		pos
		fn       expr
		args     []expr // may contain *starredExpr
		keywords []keyword
	}
	binExpr struct {
		pos
		op   string
		l, r expr
	}
	unaryExpr struct {
		pos
		op string // "-", "+", "~", "not"
		x  expr
	}
	boolExpr struct {
		pos
		op     string // "and", "or"
		values []expr
	}
	compareExpr struct {
		pos
		left  expr
		ops   []string // "<", "in", "not in", "is not", ...
		right []expr
	}
	ifExpr struct {
		pos
		test, body, orelse expr
	}
	lambdaExpr struct {
		pos
		params []param
		body   expr
	}
	compExpr struct {
		pos
		kind  byte // 'l' list, 's' set, 'g' generator, 'd' dict
		elt   expr
		key   expr // dict comprehension
		value expr
		gens  []comprehension
	}
	namedExpr struct {
		pos
		target string
		value  expr
	}
	// opaqueExpr is syntax the evaluator never evaluates (await, yield).
	opaqueExpr struct {
		pos
		what string
	}
)

// param is a function or lambda parameter.
type param struct {
	name string
	def  expr // default, or nil
	kind byte // 0 normal, '*' *args, '+' **kwargs, 'k' keyword-only
}

type keyword struct {
	name  string // "" for **kwargs
	value expr
}

type comprehension struct {
	target expr
	iter   expr
	ifs    []expr
	async  bool
}

func (*nameExpr) exprNode()       {}
func (*constExpr) exprNode()      {}
func (*joinedStr) exprNode()      {}
func (*formattedValue) exprNode() {}
func (*listExpr) exprNode()       {}
func (*tupleExpr) exprNode()      {}
func (*setExpr) exprNode()        {}
func (*dictExpr) exprNode()       {}
func (*starredExpr) exprNode()    {}
func (*attrExpr) exprNode()       {}
func (*subscriptExpr) exprNode()  {}
func (*sliceExpr) exprNode()      {}
func (*callExpr) exprNode()       {}
func (*binExpr) exprNode()        {}
func (*unaryExpr) exprNode()      {}
func (*boolExpr) exprNode()       {}
func (*compareExpr) exprNode()    {}
func (*ifExpr) exprNode()         {}
func (*lambdaExpr) exprNode()     {}
func (*compExpr) exprNode()       {}
func (*namedExpr) exprNode()      {}
func (*opaqueExpr) exprNode()     {}

// ---- statements ----

type stmt interface {
	node
	stmtNode()
}

type (
	exprStmt struct {
		pos
		x expr
	}
	assignStmt struct {
		pos
		targets []expr
		value   expr
	}
	augAssignStmt struct {
		pos
		target expr
		op     string // "+", "|", ...
		value  expr
	}
	annAssignStmt struct {
		pos
		target expr
		ann    expr
		value  expr // may be nil
	}
	importStmt struct {
		pos
		names []alias
	}
	importFromStmt struct {
		pos
		module string
		level  int
		names  []alias // empty with star
		star   bool
	}
	ifStmt struct {
		pos
		test   expr
		body   []stmt
		orelse []stmt
		elif   bool // orelse is a single elif ifStmt
	}
	forStmt struct {
		pos
		target expr
		iter   expr
		body   []stmt
		orelse []stmt
	}
	whileStmt struct {
		pos
		test   expr
		body   []stmt
		orelse []stmt
	}
	tryStmt struct {
		pos
		body      []stmt
		handlers  []handler
		orelse    []stmt
		finalbody []stmt
	}
	withStmt struct {
		pos
		items []withItem
		body  []stmt
	}
	funcDef struct {
		pos
		name       string
		header     string // "def name(args)"
		params     []param
		decorators []expr
		body       []stmt
		// globals assigned inside the body (declared global)
		globals []string
	}
	classDef struct {
		pos
		name       string
		header     string
		bases      []expr
		keywords   []keyword
		decorators []expr
		body       []stmt
	}
	passStmt struct{ pos }
	// flowStmt is break or continue.
	flowStmt struct {
		pos
		kind string
	}
	returnStmt struct {
		pos
		value expr
	}
	raiseStmt struct {
		pos
		exc expr
	}
	globalStmt struct {
		pos
		names []string
	}
	delStmt struct {
		pos
		targets []expr
	}
	assertStmt struct {
		pos
		test expr
	}
	matchStmt struct {
		pos
		subject expr
		cases   [][]stmt
	}
	// skippedStmt is syntax that is recognised but not evaluated (type
	// aliases...).
	skippedStmt struct {
		pos
		what string
	}
)

type alias struct {
	name, asname string
	line         int
}

type handler struct {
	pos
	typ  expr // nil: bare except
	name string
	body []stmt
}

type withItem struct {
	ctx    expr
	target expr
}

func (*exprStmt) stmtNode()       {}
func (*assignStmt) stmtNode()     {}
func (*augAssignStmt) stmtNode()  {}
func (*annAssignStmt) stmtNode()  {}
func (*importStmt) stmtNode()     {}
func (*importFromStmt) stmtNode() {}
func (*ifStmt) stmtNode()         {}
func (*forStmt) stmtNode()        {}
func (*whileStmt) stmtNode()      {}
func (*tryStmt) stmtNode()        {}
func (*withStmt) stmtNode()       {}
func (*funcDef) stmtNode()        {}
func (*classDef) stmtNode()       {}
func (*passStmt) stmtNode()       {}
func (*flowStmt) stmtNode()       {}
func (*returnStmt) stmtNode()     {}
func (*raiseStmt) stmtNode()      {}
func (*globalStmt) stmtNode()     {}
func (*delStmt) stmtNode()        {}
func (*assertStmt) stmtNode()     {}
func (*matchStmt) stmtNode()      {}
func (*skippedStmt) stmtNode()    {}

// subBlocks lists the statement lists nested in a compound statement (the
// bodies of if, for, while, try and its handlers, with and match cases),
// in source order; nil for simple statements, def and class.
func subBlocks(s stmt) [][]stmt {
	switch s := s.(type) {
	case *ifStmt:
		return [][]stmt{s.body, s.orelse}
	case *forStmt:
		return [][]stmt{s.body, s.orelse}
	case *whileStmt:
		return [][]stmt{s.body, s.orelse}
	case *tryStmt:
		out := [][]stmt{s.body}
		for _, h := range s.handlers {
			out = append(out, h.body)
		}
		return append(out, s.orelse, s.finalbody)
	case *withStmt:
		return [][]stmt{s.body}
	case *matchStmt:
		return s.cases
	}
	return nil
}

// targetElts are the elements of a tuple or list target (nil otherwise).
func targetElts(e expr) []expr {
	switch e := e.(type) {
	case *tupleExpr:
		return e.elts
	case *listExpr:
		return e.elts
	}
	return nil
}
