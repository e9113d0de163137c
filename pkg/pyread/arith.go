package pyread

import (
	"fmt"
	"math"
	"math/big"
	"strings"
)

func (ev *evaluator) binop(op string, a, b Value, line int) Value {
	if u, ok := a.(*Unresolved); ok {
		return propagate(u)
	}
	if u, ok := b.(*Unresolved); ok {
		return propagate(u)
	}
	// numbers
	if isNumber(a) && isNumber(b) {
		return ev.arith(op, a, b, line)
	}
	switch x := a.(type) {
	case *Str:
		switch op {
		case "+":
			if y, ok := b.(*Str); ok {
				if len(x.V)+len(y.V) > maxStrLen {
					return ev.unknown(UnknownBudget, line, "string too large to build")
				}
				ev.step((len(x.V) + len(y.V)) / 64)
				return mkStr(x.V+y.V, line)
			}
		case "*":
			if n, ok := intOf(b); ok {
				return ev.repeatStr(x.V, n, line, false)
			}
		case "%":
			return ev.percentFormat(x.V, b, line)
		}
	case *Bytes:
		switch op {
		case "+":
			if y, ok := b.(*Bytes); ok {
				return &Bytes{V: x.V + y.V, L: line}
			}
		case "*":
			if n, ok := intOf(b); ok {
				v := ev.repeatStr(x.V, n, line, true)
				return v
			}
		}
	case *List:
		switch op {
		case "+":
			if y, ok := b.(*List); ok {
				if len(x.Elems)+len(y.Elems) > maxSeqLen {
					return ev.unknown(UnknownBudget, line, "list too large to build")
				}
				ev.step(len(x.Elems) + len(y.Elems))
				return mkList(append(append([]Value(nil), x.Elems...), y.Elems...), line)
			}
		case "*":
			if n, ok := intOf(b); ok {
				r := ev.repeatSeq(x.Elems, n, line)
				if l, ok := r.([]Value); ok {
					return mkList(l, line)
				}
				return r.(Value)
			}
		}
	case *Tuple:
		switch op {
		case "+":
			if y, ok := b.(*Tuple); ok {
				if len(x.Elems)+len(y.Elems) > maxSeqLen {
					return ev.unknown(UnknownBudget, line, "tuple too large to build")
				}
				return mkTuple(append(append([]Value(nil), x.Elems...), y.Elems...), line)
			}
		case "*":
			if n, ok := intOf(b); ok {
				r := ev.repeatSeq(x.Elems, n, line)
				if l, ok := r.([]Value); ok {
					return mkTuple(l, line)
				}
				return r.(Value)
			}
		}
	case *Dict:
		if op == "|" {
			if y, ok := b.(*Dict); ok {
				c := &copier{memo: map[Value]Value{}}
				n := shallowDict(x)
				_ = c
				if u := ev.dictUpdate(n, []Value{y}, nil, line); u != nil {
					return u
				}
				n.L = line
				return n
			}
		}
	case *Set:
		if y, ok := b.(*Set); ok {
			return ev.setOp(op, x, y, line)
		}
	case *Opaque:
		if r := ev.opaqueBinop(op, x, b, line); r != nil {
			return r
		}
	case *Int, *Bool:
		if op == "*" {
			switch y := b.(type) {
			case *Str, *List, *Tuple, *Bytes:
				return ev.binop(op, y, a, line)
			}
		}
	}
	if o, ok := b.(*Opaque); ok {
		if r := ev.opaqueBinop(op, a, o, line); r != nil {
			return r
		}
		if o.Kind == "import" || o.Kind == "object" {
			return ev.unknown(UnknownImported, line, fmt.Sprintf("operator %s with %s is not evaluated", op, o.Source))
		}
	}
	if ao, ok := a.(*Opaque); ok && (ao.Kind == "import" || ao.Kind == "object") {
		return ev.unknown(UnknownImported, line, fmt.Sprintf("operator %s with %s is not evaluated", op, ao.Source))
	}
	if isKnownPlain(a) && isKnownPlain(b) {
		return ev.raise("TypeError", binopTypeError(op, a, b), line)
	}
	return ev.unres(line, fmt.Sprintf("operator %s on %s and %s is not supported", op, a.Type(), b.Type()))
}

// binopTypeError is CPython's message for an operator its operands do not
// support.
func binopTypeError(op string, a, b Value) string {
	switch a.(type) {
	case *Str, *List, *Tuple:
		if op == "+" {
			return fmt.Sprintf("can only concatenate %s (not \"%s\") to %s", a.Type(), b.Type(), a.Type())
		}
		if op == "*" {
			return fmt.Sprintf("can't multiply sequence by non-int of type '%s'", b.Type())
		}
	case *Bytes:
		if op == "+" {
			return fmt.Sprintf("can't concat %s to bytes", b.Type())
		}
	}
	return fmt.Sprintf("unsupported operand type(s) for %s: '%s' and '%s'", op, a.Type(), b.Type())
}

func shallowDict(d *Dict) *Dict {
	n := newDict(d.L)
	for i, k := range d.keys {
		n.setRaw(k, d.vals[i], d.lines[i])
	}
	n.unknown = d.unknown
	return n
}

func intOf(v Value) (int64, bool) {
	switch v := v.(type) {
	case *Int:
		if v.Big != nil {
			if v.Big.Sign() > 0 {
				return math.MaxInt64, true
			}
			return math.MinInt64, true
		}
		return v.V, true
	case *Bool:
		return boolInt(v.V), true
	}
	return 0, false
}

func (ev *evaluator) repeatStr(s string, n int64, line int, isBytes bool) Value {
	if n <= 0 || s == "" {
		if isBytes {
			return &Bytes{L: line}
		}
		return mkStr("", line)
	}
	if n > maxStrLen || int64(len(s))*n > maxStrLen {
		return ev.unknown(UnknownBudget, line, fmt.Sprintf("string repetition would build %s characters; not evaluated", bigMul(len(s), n)))
	}
	ev.step(len(s) * int(n) / 64)
	if isBytes {
		return &Bytes{V: strings.Repeat(s, int(n)), L: line}
	}
	return mkStr(strings.Repeat(s, int(n)), line)
}

func bigMul(a int, n int64) string {
	return new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(n)).String()
}

// repeatSeq returns []Value or an unresolved Value.
func (ev *evaluator) repeatSeq(elems []Value, n int64, line int) any {
	if n <= 0 || len(elems) == 0 {
		return []Value{}
	}
	if n > maxSeqLen || int64(len(elems))*n > maxSeqLen {
		return Value(ev.unknown(UnknownBudget, line, "sequence repetition too large; not evaluated"))
	}
	ev.step(len(elems) * int(n))
	out := make([]Value, 0, len(elems)*int(n))
	for i := int64(0); i < n; i++ {
		out = append(out, elems...)
	}
	return out
}

func (ev *evaluator) setOp(op string, x, y *Set, line int) Value {
	out := newSet(line, x.Frozen)
	switch op {
	case "|":
		for _, e := range x.Elems {
			out.add(e)
		}
		for _, e := range y.Elems {
			out.add(e)
		}
	case "&":
		for _, e := range x.Elems {
			if h, _ := y.has(e); h {
				out.add(e)
			}
		}
	case "-":
		for _, e := range x.Elems {
			if h, _ := y.has(e); !h {
				out.add(e)
			}
		}
	case "^":
		for _, e := range x.Elems {
			if h, _ := y.has(e); !h {
				out.add(e)
			}
		}
		for _, e := range y.Elems {
			if h, _ := x.has(e); !h {
				out.add(e)
			}
		}
	default:
		return ev.raise("TypeError", fmt.Sprintf("unsupported operand type(s) for %s: 'set' and 'set'", op), line)
	}
	ev.step(len(x.Elems) + len(y.Elems))
	return out
}

func (ev *evaluator) arith(op string, a, b Value, line int) Value {
	_, af := a.(*Float)
	_, bf := b.(*Float)
	if af || bf || op == "/" {
		x, _ := asFloat(a)
		y, _ := asFloat(b)
		if op == "/" && !af && !bf {
			// true division of ints: exact via big.Rat for large values
			xi, _ := asBigInt(a)
			yi, _ := asBigInt(b)
			if yi.Sign() == 0 {
				return ev.raise("ZeroDivisionError", "division by zero", line)
			}
			f, _ := new(big.Rat).SetFrac(xi, yi).Float64()
			return mkFloat(f, line)
		}
		var r float64
		switch op {
		case "+":
			r = x + y
		case "-":
			r = x - y
		case "*":
			r = x * y
		case "/":
			if y == 0 {
				return ev.raise("ZeroDivisionError", "float division by zero", line)
			}
			r = x / y
		case "//":
			if y == 0 {
				return ev.raise("ZeroDivisionError", "float floor division by zero", line)
			}
			r = math.Floor(x / y)
		case "%":
			if y == 0 {
				return ev.raise("ZeroDivisionError", "float modulo", line)
			}
			r = math.Mod(x, y)
			if r != 0 && (r < 0) != (y < 0) {
				r += y
			}
		case "**":
			if x == 0 && y < 0 {
				return ev.raise("ZeroDivisionError", "0.0 cannot be raised to a negative power", line)
			}
			if x < 0 && y != math.Trunc(y) {
				return ev.unres(line, "complex result not supported")
			}
			r = math.Pow(x, y)
			if math.IsInf(r, 0) && !math.IsInf(x, 0) {
				return ev.raise("OverflowError", "(34, 'Numerical result out of range')", line)
			}
		default:
			return ev.raise("TypeError", fmt.Sprintf("unsupported operand type(s) for %s: '%s' and '%s'", op, a.Type(), b.Type()), line)
		}
		return mkFloat(r, line)
	}
	x, _ := asBigInt(a)
	y, _ := asBigInt(b)
	// fast path
	if xi, ok := a.(*Int); ok && xi.Big == nil {
		if yi, ok := b.(*Int); ok && yi.Big == nil {
			if r, ok := smallArith(op, xi.V, yi.V); ok {
				return mkInt(r, line)
			}
		}
	}
	r := new(big.Int)
	switch op {
	case "+":
		r.Add(x, y)
	case "-":
		r.Sub(x, y)
	case "*":
		if x.BitLen()+y.BitLen() > maxIntBits {
			return ev.unknown(UnknownBudget, line, "integer result too large; not evaluated")
		}
		r.Mul(x, y)
	case "//", "%":
		if y.Sign() == 0 {
			return ev.raise("ZeroDivisionError", "integer division or modulo by zero", line)
		}
		q, m := new(big.Int).DivMod(x, y, new(big.Int))
		// Go's DivMod is Euclidean; Python floors.
		if m.Sign() != 0 && y.Sign() < 0 {
			q.Add(q, big.NewInt(1))
			m.Add(m, y)
		}
		if op == "//" {
			r = q
		} else {
			r = m
		}
	case "**":
		if y.Sign() < 0 {
			xf, _ := asFloat(a)
			yf, _ := asFloat(b)
			if xf == 0 {
				return ev.raise("ZeroDivisionError", "0.0 cannot be raised to a negative power", line)
			}
			return mkFloat(math.Pow(xf, yf), line)
		}
		if x.BitLen() > 1 && (!y.IsInt64() || int64(x.BitLen())*y.Int64() > maxIntBits) {
			return ev.unknown(UnknownBudget, line, "integer power too large; not evaluated")
		}
		r.Exp(x, y, nil)
		ev.step(r.BitLen() / 64)
	case "<<":
		if y.Sign() < 0 {
			return ev.raise("ValueError", "negative shift count", line)
		}
		if !y.IsInt64() || int64(x.BitLen())+y.Int64() > maxIntBits {
			return ev.unknown(UnknownBudget, line, "integer shift too large; not evaluated")
		}
		r.Lsh(x, uint(y.Int64()))
	case ">>":
		if y.Sign() < 0 {
			return ev.raise("ValueError", "negative shift count", line)
		}
		if !y.IsInt64() {
			if x.Sign() < 0 {
				return mkInt(-1, line)
			}
			return mkInt(0, line)
		}
		r.Rsh(x, uint(y.Int64()))
	case "&":
		r.And(x, y)
	case "|":
		r.Or(x, y)
	case "^":
		r.Xor(x, y)
	default:
		return ev.raise("TypeError", fmt.Sprintf("unsupported operand type(s) for %s: '%s' and '%s'", op, a.Type(), b.Type()), line)
	}
	_, ab := a.(*Bool)
	_, bb := b.(*Bool)
	if ab && bb && (op == "&" || op == "|" || op == "^") {
		return mkBool(r.Sign() != 0, line)
	}
	return mkBigInt(r, line)
}

func smallArith(op string, x, y int64) (int64, bool) {
	const lim = 1 << 31
	if x > lim || x < -lim || y > lim || y < -lim {
		return 0, false
	}
	switch op {
	case "+":
		return x + y, true
	case "-":
		return x - y, true
	case "*":
		return x * y, true
	case "&":
		return x & y, true
	case "|":
		return x | y, true
	case "^":
		return x ^ y, true
	}
	return 0, false
}
