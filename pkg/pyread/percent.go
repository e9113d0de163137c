package pyread

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/pyrepr"
)

// pctState walks a %-format string: the text, the position in it and the
// arguments not yet consumed.
type pctState struct {
	ev          *evaluator
	f           string
	i           int
	line        int
	list        []Value
	idx         int
	mapping     *Dict
	usedMapping bool
}

// next consumes the next positional argument.
func (st *pctState) next() (Value, bool) {
	if st.idx >= len(st.list) {
		return nil, false
	}
	v := st.list[st.idx]
	st.idx++
	return v, true
}

// percentFormat is `f % args`.
func (ev *evaluator) percentFormat(f string, args Value, line int) Value {
	st := &pctState{ev: ev, f: f, line: line}
	switch a := args.(type) {
	case *Tuple:
		st.list = a.Elems
	case *Dict:
		st.mapping = a
		st.list = []Value{a}
	default:
		st.list = []Value{a}
	}
	var sb strings.Builder
	for st.i = 0; st.i < len(f); st.i++ {
		c := f[st.i]
		if c != '%' {
			sb.WriteByte(c)
			continue
		}
		st.i++
		out := st.directive()
		if bad := ev.appendPiece(&sb, out, line); bad != nil {
			return bad
		}
	}
	if st.mapping == nil && st.idx < len(st.list) {
		return ev.raise("TypeError", "not all arguments converted during string formatting", line)
	}
	return mkStr(sb.String(), line)
}

// directive formats the conversion after a '%' (st.i is just past it):
// a *Str, or the exception or unresolved value standing for the result.
func (st *pctState) directive() Value {
	ev, f, line := st.ev, st.f, st.line
	if st.i >= len(f) {
		return ev.raise("ValueError", "incomplete format", line)
	}
	arg, bad := st.mappingKey()
	if bad != nil {
		return bad
	}
	sp := st.flags()
	w, bad := st.readNum()
	if bad != nil {
		return bad
	}
	sp.width = max(w, 0)
	if st.i < len(f) && f[st.i] == '.' {
		st.i++
		p, bad := st.readNum()
		if bad != nil {
			return bad
		}
		sp.precision = max(p, 0)
	}
	for st.i < len(f) && (f[st.i] == 'h' || f[st.i] == 'l' || f[st.i] == 'L') {
		st.i++
	}
	if st.i >= len(f) {
		return ev.raise("ValueError", "incomplete format", line)
	}
	conv := f[st.i]
	if conv == '%' {
		return mkStr("%", line)
	}
	if arg == nil {
		if st.mapping != nil && st.usedMapping {
			return ev.raise("TypeError", "format requires a mapping", line)
		}
		v, ok := st.next()
		if !ok {
			return ev.raise("TypeError", "not enough arguments for format string", line)
		}
		arg = v
	}
	if u, ok := arg.(*Unresolved); ok {
		return propagate(u)
	}
	if sp.align == '<' {
		sp.zero = false
	}
	return ev.pctConvert(conv, arg, sp, line)
}

// mappingKey reads a "(key)" and returns the mapping's value for it (nil
// when there is no key).
func (st *pctState) mappingKey() (arg, bad Value) {
	ev, f, line := st.ev, st.f, st.line
	if f[st.i] != '(' {
		return nil, nil
	}
	end := strings.IndexByte(f[st.i:], ')')
	if end < 0 {
		return nil, ev.raise("ValueError", "incomplete format key", line)
	}
	key := f[st.i+1 : st.i+end]
	st.i += end + 1
	if st.mapping == nil {
		return nil, ev.raise("TypeError", "format requires a mapping", line)
	}
	v, found, _ := st.mapping.get(mkStr(key, line))
	if !found {
		if st.mapping.unknown > 0 {
			return nil, ev.unres(line, "the mapping has keys not known statically")
		}
		return nil, ev.raise("KeyError", pyrepr.Str(key), line)
	}
	st.usedMapping = true
	return v, nil
}

// flags reads the conversion flags "-+ #0".
func (st *pctState) flags() fmtSpec {
	sp := fmtSpec{fill: ' ', precision: -1}
	for ; st.i < len(st.f) && strings.IndexByte("-+ #0", st.f[st.i]) >= 0; st.i++ {
		switch st.f[st.i] {
		case '-':
			sp.align = '<'
		case '+':
			sp.sign = '+'
		case ' ':
			if sp.sign == 0 {
				sp.sign = ' '
			}
		case '#':
			sp.alt = true
		case '0':
			sp.zero = true
		}
	}
	return sp
}

// readNum reads a width or precision: digits, or '*' taking it from the
// arguments; -1 when there is none.
func (st *pctState) readNum() (int, Value) {
	ev, f, line := st.ev, st.f, st.line
	if st.i < len(f) && f[st.i] == '*' {
		st.i++
		v, ok := st.next()
		if !ok {
			return 0, ev.raise("TypeError", "not enough arguments for format string", line)
		}
		n, ok := intOf(v)
		if !ok {
			return 0, ev.raise("TypeError", "* wants int", line)
		}
		return int(n), nil
	}
	start := st.i
	for st.i < len(f) && f[st.i] >= '0' && f[st.i] <= '9' {
		st.i++
	}
	if st.i == start {
		return -1, nil
	}
	n, err := strconv.Atoi(f[start:st.i])
	if err != nil || n > maxStrLen/2 {
		return 0, ev.unknown(UnknownBudget, line, "format width too large")
	}
	return n, nil
}

// pctConvert applies one conversion character to its argument.
func (ev *evaluator) pctConvert(conv byte, arg Value, sp fmtSpec, line int) Value {
	switch conv {
	case 's', 'r', 'a':
		var s string
		var ok bool
		if conv == 's' {
			s, ok = ev.strOf(arg)
		} else {
			s, ok = ev.reprOf(arg)
			if conv == 'a' {
				s = pyrepr.ASCII(s)
			}
		}
		if !ok {
			return ev.strUnknown(arg, line)
		}
		if sp.precision >= 0 {
			rs := []rune(s)
			if len(rs) > sp.precision {
				s = string(rs[:sp.precision])
			}
		}
		sp.zero = false
		return mkStr(pad(s, sp, '>'), line)
	case 'd', 'i', 'u':
		switch a := arg.(type) {
		case *Float:
			if math.IsInf(a.V, 0) || math.IsNaN(a.V) {
				return ev.raise("OverflowError", "cannot convert float to integer", line)
			}
			bf, _ := new(big.Float).SetFloat64(math.Trunc(a.V)).Int(nil)
			arg = mkBigInt(bf, line)
		case *Int, *Bool:
		default:
			return ev.raise("TypeError", "%"+string(conv)+" format: a real number is required, not "+arg.Type(), line)
		}
		sp.typ = 'd'
		return ev.pctInt(arg, sp, line)
	case 'x', 'X', 'o':
		if _, ok := arg.(*Int); !ok {
			if _, ok := arg.(*Bool); !ok {
				return ev.raise("TypeError", "%"+string(conv)+" format: an integer is required, not "+arg.Type(), line)
			}
		}
		sp.typ = conv
		return ev.pctInt(arg, sp, line)
	case 'e', 'E', 'f', 'F', 'g', 'G':
		fv, ok := asFloat(arg)
		if !ok {
			return ev.raise("TypeError", "must be real number, not "+arg.Type(), line)
		}
		sp.typ = conv
		if sp.precision < 0 {
			sp.precision = 6
		}
		return ev.formatFloat(fv, sp, line)
	case 'c':
		switch a := arg.(type) {
		case *Str:
			return mkStr(pad(a.V, sp, '>'), line)
		case *Int:
			return mkStr(pad(string(rune(a.V)), sp, '>'), line)
		}
		return ev.raise("TypeError", "%c requires int or char", line)
	}
	return ev.raise("ValueError", fmt.Sprintf("unsupported format character '%c' (0x%x)", conv, conv), line)
}

func (ev *evaluator) pctInt(arg Value, sp fmtSpec, line int) Value {
	b, _ := asBigInt(arg)
	base, prefix := 10, ""
	switch sp.typ {
	case 'x':
		base, prefix = 16, "0x"
	case 'X':
		base, prefix = 16, "0X"
	case 'o':
		base, prefix = 8, "0o"
	}
	digits := new(big.Int).Abs(b).Text(base)
	if sp.typ == 'X' {
		digits = strings.ToUpper(digits)
	}
	if sp.precision > 0 {
		for len(digits) < sp.precision {
			digits = "0" + digits
		}
	}
	if !sp.alt {
		prefix = ""
	}
	sign := signOf(b.Sign() < 0, sp.sign)
	return mkStr(pad(sign+prefix+digits, sp, '>'), line)
}
