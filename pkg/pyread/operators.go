package pyread

import (
	"fmt"
	"math/big"
	"strings"
)

func (ev *evaluator) unary(op string, x Value, line int) Value {
	if op == "not" && isUnsetNone(x) {
		t, _ := ev.truthOf(x)
		return mkBool(!t, line)
	}
	if u, ok := x.(*Unresolved); ok {
		if op == "not" {
			return propagate(u)
		}
		return propagate(u)
	}
	switch op {
	case "not":
		t, known := truth(x)
		if !known {
			return ev.unres(line, "truth value of "+x.Type()+" is not known")
		}
		return mkBool(!t, line)
	case "-", "+", "~":
		switch v := x.(type) {
		case *Int, *Bool:
			b, _ := asBigInt(v)
			switch op {
			case "-":
				return mkBigInt(new(big.Int).Neg(b), line)
			case "+":
				return mkBigInt(b, line)
			default:
				return mkBigInt(new(big.Int).Not(b), line)
			}
		case *Float:
			switch op {
			case "-":
				return mkFloat(-v.V, line)
			case "+":
				return mkFloat(v.V, line)
			}
		case *Opaque:
			if v.Kind == "timedelta" && op == "-" {
				return mkTimedelta(-v.Duration, "-"+v.Source, line)
			}
			if v.Kind == "complex" {
				return &Opaque{Kind: "complex", Source: op + v.Source, Line: line}
			}
		}
	}
	return ev.raise("TypeError", fmt.Sprintf("bad operand type for unary %s: '%s'", op, x.Type()), line)
}

func (ev *evaluator) evalBool(e *boolExpr, sc *scope) Value {
	var unknown *Unresolved
	var alts []Alternative
	for i, x := range e.values {
		v := ev.eval(x, sc)
		if ev.exc != nil {
			return ev.excValue()
		}
		t, known := ev.truthOf(v)
		last := i == len(e.values)-1
		if unknown != nil {
			alts = append(alts, Alternative{Condition: "otherwise", Line: e.line, Value: v})
			if known && (t == (e.op == "or")) || last {
				break
			}
			continue
		}
		if known {
			if e.op == "or" && t || e.op == "and" && !t || last {
				return v
			}
			continue
		}
		// unknown truth: the result is this value or a later one
		if last {
			return v
		}
		if u, ok := v.(*Unresolved); ok {
			unknown = u
		} else {
			unknown = &Unresolved{Reason: "its truth value is not known", Kind: UnknownUnsupported}
		}
		cond := "if `" + ev.srcOf(x) + "` is true"
		if e.op == "and" {
			cond = "if `" + ev.srcOf(x) + "` is false"
		}
		alts = append(alts, Alternative{Condition: cond, Line: e.line, Value: v})
		ev.specExpr++
		defer func() { ev.specExpr-- }()
	}
	u := derived(UnknownCondition, unknown.Line, unknown.Reason, unknown)
	u.Alternatives = alts
	return u
}

func (ev *evaluator) evalCompare(e *compareExpr, sc *scope) Value {
	left := ev.eval(e.left, sc)
	if ev.exc != nil {
		return ev.excValue()
	}
	var result Value = mkBool(true, e.line)
	for i, op := range e.ops {
		right := ev.eval(e.right[i], sc)
		if ev.exc != nil {
			return ev.excValue()
		}
		r := ev.compare(op, left, right, e.line)
		if b, ok := r.(*Bool); ok {
			if !b.V {
				return b
			}
			result = b
		} else {
			return r
		}
		left = right
	}
	return result
}

func (ev *evaluator) compare(op string, a, b Value, line int) Value {
	switch op {
	case "is", "is not":
		if x, y, ok := unsetNoneOperands(a, b); ok {
			// os.getenv("UNSET") is None: the code tests for the unset
			// case (see truthOf)
			_, _ = ev.truthOf(x)
			_, isNone := y.(*NoneValue)
			if isNone {
				return mkBool(op == "is", line)
			}
		}
		same, known := identical(a, b)
		if !known {
			if u, ok := a.(*Unresolved); ok {
				return propagate(u)
			}
			if u, ok := b.(*Unresolved); ok {
				return propagate(u)
			}
			return ev.unres(line, "identity of values is not known statically")
		}
		return mkBool(same == (op == "is"), line)
	case "in", "not in":
		in := ev.contains(b, a, line)
		if bv, ok := in.(*Bool); ok {
			return mkBool(bv.V == (op == "in"), line)
		}
		return in
	}
	if u, ok := a.(*Unresolved); ok {
		return propagate(u)
	}
	if u, ok := b.(*Unresolved); ok {
		return propagate(u)
	}
	switch op {
	case "==", "!=":
		eq, known := pyEqual(a, b)
		if !known {
			return ev.unres(line, fmt.Sprintf("cannot compare %s with %s statically", a.Type(), b.Type()))
		}
		return mkBool(eq == (op == "=="), line)
	}
	c, ok := pyCompare(a, b)
	if !ok {
		if isKnownPlain(a) && isKnownPlain(b) {
			return ev.raise("TypeError", fmt.Sprintf("'%s' not supported between instances of '%s' and '%s'", op, a.Type(), b.Type()), line)
		}
		return ev.unres(line, fmt.Sprintf("cannot order %s and %s statically", a.Type(), b.Type()))
	}
	var r bool
	switch op {
	case "<":
		r = c < 0
	case "<=":
		r = c <= 0
	case ">":
		r = c > 0
	case ">=":
		r = c >= 0
	}
	return mkBool(r, line)
}

func isKnownPlain(v Value) bool {
	switch v.(type) {
	case *Str, *Int, *Float, *Bool, *NoneValue, *List, *Tuple, *Dict, *Set, *Bytes:
		return true
	}
	return false
}

// identical implements `is` where it is well defined.
func identical(a, b Value) (same, known bool) {
	switch a := a.(type) {
	case *NoneValue:
		switch b.(type) {
		case *NoneValue:
			return true, true
		case *Unresolved:
			return false, false
		}
		return false, true
	case *Bool:
		switch b := b.(type) {
		case *Bool:
			return a.V == b.V, true
		case *Unresolved:
			return false, false
		}
		return false, true
	case *Unresolved:
		if _, ok := b.(*NoneValue); ok && a.raises == "" {
			return false, false
		}
		return false, false
	}
	switch b.(type) {
	case *NoneValue, *Bool:
		if _, ok := a.(*Opaque); ok {
			ao := a.(*Opaque)
			if ao.Kind == "import" || ao.Kind == "object" {
				return false, false
			}
		}
		return false, true
	case *Unresolved:
		return false, false
	}
	if a == b {
		return true, true
	}
	switch a.(type) {
	case *List, *Dict, *Set:
		if a.Type() == b.Type() {
			return false, true
		}
	}
	return false, false
}

// contains implements `x in c` (returns *Bool or *Unresolved).
func (ev *evaluator) contains(c, x Value, line int) Value {
	if u, ok := c.(*Unresolved); ok {
		return propagate(u)
	}
	switch o := c.(type) {
	case *Str:
		s, ok := x.(*Str)
		if !ok {
			if u, ok := x.(*Unresolved); ok {
				return propagate(u)
			}
			return ev.raise("TypeError", "'in <string>' requires string as left operand, not "+x.Type(), line)
		}
		return mkBool(strings.Contains(o.V, s.V), line)
	case *Dict:
		if u, ok := x.(*Unresolved); ok {
			return propagate(u)
		}
		_, found, ok := o.get(x)
		if !ok {
			return ev.raise("TypeError", "unhashable type: '"+x.Type()+"'", line)
		}
		if !found && o.unknown > 0 {
			return ev.unres(line, "the dict has keys not known statically")
		}
		return mkBool(found, line)
	case *Set:
		if u, ok := x.(*Unresolved); ok {
			return propagate(u)
		}
		found, ok := o.has(x)
		if !ok {
			return ev.raise("TypeError", "unhashable type: '"+x.Type()+"'", line)
		}
		return mkBool(found, line)
	case *envMapping:
		s, ok := x.(*Str)
		if !ok {
			if u, ok := x.(*Unresolved); ok {
				return propagate(u)
			}
			return mkBool(false, line)
		}
		if _, set := ev.env[s.V]; set {
			return mkBool(true, line)
		}
		if ev.unknownEnv[s.V] {
			return mkBool(true, line)
		}
		return ev.envMissing(s.V, line, "so `in os.environ` is not known")
	}
	items, u := ev.iterateAnyOrder(c, line)
	if u != nil {
		return u
	}
	var unknown *Unresolved
	for _, it := range items {
		eq, known := pyEqual(it, x)
		if known && eq {
			return mkBool(true, line)
		}
		if !known && unknown == nil {
			if uu, ok := it.(*Unresolved); ok {
				unknown = propagate(uu)
			} else if uu, ok := x.(*Unresolved); ok {
				unknown = propagate(uu)
			} else {
				unknown = ev.unres(line, "membership not known statically")
			}
		}
	}
	if unknown != nil {
		return unknown
	}
	return mkBool(false, line)
}

// unsetNoneOperands orders the operands of `is` so that x is the None of
// an unset variable (see truthOf), if either is.
func unsetNoneOperands(a, b Value) (x, y Value, ok bool) {
	switch {
	case isUnsetNone(a):
		return a, b, true
	case isUnsetNone(b):
		return b, a, true
	}
	return nil, nil, false
}
