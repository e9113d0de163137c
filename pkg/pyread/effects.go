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
	w := &effectsWalker{ev: ev, sc: sc, fx: branchEffects{names: map[string]bool{}}}
	for _, b := range branches {
		for _, t := range b.targets {
			w.target(t)
		}
		w.stmts(b.stmts)
	}
	return w.fx
}

// effectsWalker looks through statements for what they may change.
type effectsWalker struct {
	ev *evaluator
	sc *scope
	fx branchEffects
}

// target records what an assignment target changes: a name, or (anything
// else) an object in place.
func (w *effectsWalker) target(t expr) {
	switch t := t.(type) {
	case *nameExpr:
		w.fx.names[t.id] = true
	case *tupleExpr, *listExpr:
		for _, e := range targetElts(t) {
			w.target(e)
		}
	case *starredExpr:
		w.target(t.value)
	default:
		w.fx.mutates = true
		w.expr(t)
	}
}

func (w *effectsWalker) exprs(es []expr) {
	for _, e := range es {
		w.expr(e)
	}
}

func (w *effectsWalker) expr(e expr) {
	if e == nil || w.fx.mutates {
		return
	}
	switch e := e.(type) {
	case *namedExpr:
		w.fx.names[e.target] = true
		w.expr(e.value)
	case *callExpr:
		w.call(e)
	case *attrExpr:
		w.expr(e.value)
	case *subscriptExpr:
		w.exprs([]expr{e.value, e.index})
	case *sliceExpr:
		w.exprs([]expr{e.lower, e.upper, e.step})
	case *binExpr:
		w.exprs([]expr{e.l, e.r})
	case *unaryExpr:
		w.expr(e.x)
	case *boolExpr:
		w.exprs(e.values)
	case *compareExpr:
		w.expr(e.left)
		w.exprs(e.right)
	case *ifExpr:
		w.exprs([]expr{e.test, e.body, e.orelse})
	case *listExpr:
		w.exprs(e.elts)
	case *tupleExpr:
		w.exprs(e.elts)
	case *setExpr:
		w.exprs(e.elts)
	case *dictExpr:
		w.exprs(e.keys)
		w.exprs(e.values)
	case *starredExpr:
		w.expr(e.value)
	case *joinedStr:
		w.exprs(e.parts)
	case *formattedValue:
		w.expr(e.value)
		if e.spec != nil {
			w.expr(e.spec)
		}
	case *compExpr:
		w.exprs([]expr{e.elt, e.key, e.value})
		for _, g := range e.gens {
			w.expr(g.iter)
			w.exprs(g.ifs)
		}
	case *lambdaExpr:
		for _, p := range e.params {
			w.expr(p.def)
		}
	}
}

// call: a mutating method, a call into code defined in the file or a call
// of anything but a name or attribute may change objects in place.
func (w *effectsWalker) call(e *callExpr) {
	switch fn := e.fn.(type) {
	case *nameExpr:
		if w.ev.mayRunUserCode(fn.id, w.sc) {
			w.fx.mutates = true
		}
	case *attrExpr:
		if mutatingMethods()[fn.attr] {
			w.fx.mutates = true
		}
		root := fn.value
		for {
			if a, ok := root.(*attrExpr); ok {
				root = a.value
				continue
			}
			break
		}
		if n, ok := root.(*nameExpr); ok && w.ev.mayRunUserCode(n.id, w.sc) {
			w.fx.mutates = true
		}
		w.expr(fn.value)
	default:
		w.fx.mutates = true
	}
	w.exprs(e.args)
	for _, k := range e.keywords {
		w.expr(k.value)
	}
}

func (w *effectsWalker) stmts(ss []stmt) {
	for _, s := range ss {
		if w.fx.mutates {
			return
		}
		w.stmt(s)
	}
}

func (w *effectsWalker) stmt(s stmt) {
	switch s := s.(type) {
	case *exprStmt:
		w.expr(s.x)
	case *assignStmt:
		w.expr(s.value)
		for _, t := range s.targets {
			w.target(t)
		}
	case *annAssignStmt:
		w.expr(s.value)
		if s.value != nil {
			w.target(s.target)
		}
	case *importStmt, *importFromStmt:
		for _, n := range assignedNames(s) {
			w.fx.names[n] = true
		}
	case *ifStmt:
		w.expr(s.test)
	case *forStmt:
		w.expr(s.iter)
		w.target(s.target)
	case *whileStmt:
		w.expr(s.test)
	case *tryStmt:
		for _, h := range s.handlers {
			w.expr(h.typ)
			if h.name != "" {
				w.fx.names[h.name] = true
			}
		}
	case *withStmt:
		for _, it := range s.items {
			w.expr(it.ctx)
			if it.target != nil {
				w.target(it.target)
			}
		}
	case *funcDef:
		w.fx.names[s.name] = true
		for _, p := range s.params {
			w.expr(p.def)
		}
	case *classDef:
		w.fx.names[s.name] = true
		w.exprs(s.bases)
		w.stmts(s.body)
	case *delStmt:
		for _, t := range s.targets {
			w.target(t)
		}
	case *matchStmt:
		w.expr(s.subject)
	case *returnStmt:
		w.expr(s.value)
	case *raiseStmt:
		w.expr(s.exc)
	case *assertStmt:
		w.expr(s.test)
	case *passStmt, *flowStmt, *skippedStmt:
	default:
		// augmented assignment, global declarations, anything new
		w.fx.mutates = true
	}
	for _, b := range subBlocks(s) {
		w.stmts(b)
	}
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
