package pyread

// branchEffects is what a set of branches may change, found by looking at
// their statements before running them.
type branchEffects struct {
	names map[string]bool
	// mutates: something may change an existing object in place (item or
	// attribute assignment, augmented assignment, a mutating method, a
	// call into code defined in the file). Then all state is copied.
	mutates bool
}

func (ev *evaluator) analyzeBranches(sc *scope, branches []branch) branchEffects {
	fx := branchEffects{names: map[string]bool{}}
	var stmts func([]stmt)
	var ex func(expr)
	target := func(t expr) {
		var walk func(expr)
		walk = func(t expr) {
			switch t := t.(type) {
			case *nameExpr:
				fx.names[t.id] = true
			case *tupleExpr:
				for _, e := range t.elts {
					walk(e)
				}
			case *listExpr:
				for _, e := range t.elts {
					walk(e)
				}
			case *starredExpr:
				walk(t.value)
			default:
				fx.mutates = true
				ex(t)
			}
		}
		walk(t)
	}
	ex = func(e expr) {
		if e == nil || fx.mutates {
			return
		}
		switch e := e.(type) {
		case *namedExpr:
			fx.names[e.target] = true
			ex(e.value)
		case *callExpr:
			switch fn := e.fn.(type) {
			case *nameExpr:
				if ev.mayRunUserCode(fn.id, sc) {
					fx.mutates = true
				}
			case *attrExpr:
				if mutatingMethods()[fn.attr] {
					fx.mutates = true
				}
				root := fn.value
				for {
					if a, ok := root.(*attrExpr); ok {
						root = a.value
						continue
					}
					break
				}
				if n, ok := root.(*nameExpr); ok && ev.mayRunUserCode(n.id, sc) {
					fx.mutates = true
				}
				ex(fn.value)
			default:
				fx.mutates = true
			}
			for _, a := range e.args {
				ex(a)
			}
			for _, k := range e.keywords {
				ex(k.value)
			}
		case *attrExpr:
			ex(e.value)
		case *subscriptExpr:
			ex(e.value)
			ex(e.index)
		case *sliceExpr:
			ex(e.lower)
			ex(e.upper)
			ex(e.step)
		case *binExpr:
			ex(e.l)
			ex(e.r)
		case *unaryExpr:
			ex(e.x)
		case *boolExpr:
			for _, v := range e.values {
				ex(v)
			}
		case *compareExpr:
			ex(e.left)
			for _, v := range e.right {
				ex(v)
			}
		case *ifExpr:
			ex(e.test)
			ex(e.body)
			ex(e.orelse)
		case *listExpr:
			for _, v := range e.elts {
				ex(v)
			}
		case *tupleExpr:
			for _, v := range e.elts {
				ex(v)
			}
		case *setExpr:
			for _, v := range e.elts {
				ex(v)
			}
		case *dictExpr:
			for i, k := range e.keys {
				ex(k)
				ex(e.values[i])
			}
		case *starredExpr:
			ex(e.value)
		case *joinedStr:
			for _, p := range e.parts {
				ex(p)
			}
		case *formattedValue:
			ex(e.value)
			if e.spec != nil {
				ex(e.spec)
			}
		case *compExpr:
			ex(e.elt)
			ex(e.key)
			ex(e.value)
			for _, g := range e.gens {
				ex(g.iter)
				for _, c := range g.ifs {
					ex(c)
				}
			}
		case *lambdaExpr:
			for _, p := range e.params {
				ex(p.def)
			}
		}
	}
	stmts = func(ss []stmt) {
		for _, s := range ss {
			if fx.mutates {
				return
			}
			switch s := s.(type) {
			case *exprStmt:
				ex(s.x)
			case *assignStmt:
				ex(s.value)
				for _, t := range s.targets {
					target(t)
				}
			case *annAssignStmt:
				ex(s.value)
				if s.value != nil {
					target(s.target)
				}
			case *augAssignStmt:
				fx.mutates = true
			case *importStmt, *importFromStmt:
				for _, n := range assignedNames(s) {
					fx.names[n] = true
				}
			case *ifStmt:
				ex(s.test)
				stmts(s.body)
				stmts(s.orelse)
			case *forStmt:
				ex(s.iter)
				target(s.target)
				stmts(s.body)
				stmts(s.orelse)
			case *whileStmt:
				ex(s.test)
				stmts(s.body)
				stmts(s.orelse)
			case *tryStmt:
				stmts(s.body)
				for _, h := range s.handlers {
					ex(h.typ)
					if h.name != "" {
						fx.names[h.name] = true
					}
					stmts(h.body)
				}
				stmts(s.orelse)
				stmts(s.finalbody)
			case *withStmt:
				for _, it := range s.items {
					ex(it.ctx)
					if it.target != nil {
						target(it.target)
					}
				}
				stmts(s.body)
			case *funcDef:
				fx.names[s.name] = true
				for _, p := range s.params {
					ex(p.def)
				}
			case *classDef:
				fx.names[s.name] = true
				for _, b := range s.bases {
					ex(b)
				}
				stmts(s.body)
			case *delStmt:
				for _, t := range s.targets {
					target(t)
				}
			case *matchStmt:
				ex(s.subject)
				for _, c := range s.cases {
					stmts(c)
				}
			case *returnStmt:
				ex(s.value)
			case *raiseStmt:
				ex(s.exc)
			case *assertStmt:
				ex(s.test)
			case *globalStmt:
				fx.mutates = true
			case *passStmt, *flowStmt, *skippedStmt:
			default:
				fx.mutates = true
			}
		}
	}
	for _, b := range branches {
		for _, t := range b.targets {
			target(t)
		}
		stmts(b.stmts)
	}
	return fx
}

// mayRunUserCode reports whether calling name may run code defined in the
// file (a function, a lambda or a class).
func (ev *evaluator) mayRunUserCode(name string, sc *scope) bool {
	for s := sc; s != nil; s = s.parent {
		if sl, ok := s.vars[name]; ok {
			if o, ok := sl.val.(*Opaque); ok {
				switch o.Kind {
				case "function", "lambda", "class":
					return true
				}
			}
			if _, ok := sl.val.(*Unresolved); ok {
				return true // may be anything
			}
			return false
		}
	}
	return false
}
