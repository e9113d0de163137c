package pyread

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

func (ev *evaluator) builtinInt(_ string, ca *callArgs) Value { return ev.toInt(ca) }

func (ev *evaluator) builtinFloat(_ string, ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "")
	if !ok {
		return mkFloat(0, line)
	}
	switch v := v.(type) {
	case *Float:
		return mkFloat(v.V, line)
	case *Int, *Bool:
		f, _ := asFloat(v)
		return mkFloat(f, line)
	case *Str:
		f, ok := parsePyFloat(v.V)
		if !ok {
			r, _ := ev.reprOf(v)
			return ev.raise("ValueError", "could not convert string to float: "+r, line)
		}
		return mkFloat(f, line)
	}
	if isKnownPlain(v) {
		return ev.raise("TypeError", "float() argument must be a string or a real number, not '"+v.Type()+"'", line)
	}
	return nil
}

func (ev *evaluator) builtinAbs(_ string, ca *callArgs) Value {
	line := ca.line
	v, _ := ca.arg(0, "")
	switch v := v.(type) {
	case *Int, *Bool:
		b, _ := asBigInt(v)
		return mkBigInt(new(big.Int).Abs(b), line)
	case *Float:
		return mkFloat(math.Abs(v.V), line)
	case *Opaque:
		if v.Kind == "timedelta" {
			d := v.Duration
			if d < 0 {
				d = -d
			}
			return mkTimedelta(d, "abs("+v.Source+")", line)
		}
	}
	return nil
}

func (ev *evaluator) builtinRound(_ string, ca *callArgs) Value {
	line := ca.line
	v, _ := ca.arg(0, "")
	nd, hasND := ca.arg(1, "ndigits")
	if _, isNone := nd.(*NoneValue); isNone {
		hasND = false
	}
	switch v := v.(type) {
	case *Int, *Bool:
		b, _ := asBigInt(v)
		return mkBigInt(b, line)
	case *Float:
		if !hasND {
			r := math.RoundToEven(v.V)
			if math.IsInf(r, 0) || math.IsNaN(r) {
				return ev.raise("OverflowError", "cannot convert float infinity to integer", line)
			}
			bf, _ := new(big.Float).SetFloat64(r).Int(nil)
			return mkBigInt(bf, line)
		}
		n, ok := intOf(nd)
		if !ok || n > 300 || n < -300 {
			return nil
		}
		s := strconv.FormatFloat(v.V, 'f', int(max(n, 0)), 64)
		if n < 0 {
			p := math.Pow(10, float64(-n))
			return mkFloat(math.RoundToEven(v.V/p)*p, line)
		}
		f, _ := strconv.ParseFloat(s, 64)
		return mkFloat(f, line)
	}
	return nil
}

// oneArg checks the arity of builtins that take exactly one argument.
func (ev *evaluator) oneArg(name string, ca *callArgs) Value {
	if len(ca.args) != 1 {
		return ev.raise("TypeError", fmt.Sprintf("%s() takes exactly one argument (%d given)", name, len(ca.args)), ca.line)
	}
	return nil
}

func (ev *evaluator) builtinChr(name string, ca *callArgs) Value {
	if bad := ev.oneArg(name, ca); bad != nil {
		return bad
	}
	n, ok := intOf(ca.args[0])
	if ok && n >= 0 && n <= 0x10FFFF {
		return mkStr(string(rune(n)), ca.line)
	}
	return nil
}

func (ev *evaluator) builtinOrd(name string, ca *callArgs) Value {
	if bad := ev.oneArg(name, ca); bad != nil {
		return bad
	}
	if s, ok := ca.args[0].(*Str); ok && utf8.RuneCountInString(s.V) == 1 {
		r, _ := utf8.DecodeRuneInString(s.V)
		return mkInt(int64(r), ca.line)
	}
	return nil
}

// builtinBase is hex(), oct() and bin().
func (ev *evaluator) builtinBase(name string, ca *callArgs) Value {
	if bad := ev.oneArg(name, ca); bad != nil {
		return bad
	}
	b, ok := asBigInt(ca.args[0])
	if !ok {
		return nil
	}
	base, pfx := 2, "0b"
	switch name {
	case "hex":
		base, pfx = 16, "0x"
	case "oct":
		base, pfx = 8, "0o"
	}
	s := new(big.Int).Abs(b).Text(base)
	if b.Sign() < 0 {
		return mkStr("-"+pfx+s, ca.line)
	}
	return mkStr(pfx+s, ca.line)
}

func (ev *evaluator) builtinDivmod(_ string, ca *callArgs) Value {
	if len(ca.args) != 2 {
		return nil
	}
	q := ev.binop("//", ca.args[0], ca.args[1], ca.line)
	r := ev.binop("%", ca.args[0], ca.args[1], ca.line)
	return mkTuple([]Value{q, r}, ca.line)
}

func (ev *evaluator) builtinPow(_ string, ca *callArgs) Value {
	if len(ca.args) != 2 {
		return nil
	}
	return ev.binop("**", ca.args[0], ca.args[1], ca.line)
}

func (ev *evaluator) toInt(ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "")
	if !ok {
		return mkInt(0, line)
	}
	base := int64(10)
	hasBase := false
	if b, ok := ca.arg(1, "base"); ok {
		n, ok := intOf(b)
		if !ok {
			return ev.unres(line, "int() base not known")
		}
		base, hasBase = n, true
	}
	switch v := v.(type) {
	case *Int:
		if !hasBase {
			return mkBigInt(v.big(), line)
		}
	case *Bool:
		return mkInt(boolInt(v.V), line)
	case *Float:
		if math.IsInf(v.V, 0) {
			return ev.raise("OverflowError", "cannot convert float infinity to integer", line)
		}
		if math.IsNaN(v.V) {
			return ev.raise("ValueError", "cannot convert float NaN to integer", line)
		}
		bf, _ := new(big.Float).SetFloat64(math.Trunc(v.V)).Int(nil)
		return mkBigInt(bf, line)
	case *Str:
		n, ok := parsePyInt(v.V, int(base))
		if !ok {
			r, _ := ev.reprOf(v)
			return ev.raise("ValueError", fmt.Sprintf("invalid literal for int() with base %d: %s", base, r), line)
		}
		return mkBigInt(n, line)
	}
	if isKnownPlain(v) {
		return ev.raise("TypeError", "int() argument must be a string, a bytes-like object or a real number, not '"+v.Type()+"'", line)
	}
	return ev.unres(line, "int() of "+v.Type()+" is not known")
}

func parsePyInt(s string, base int) (*big.Int, bool) {
	s = strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		neg = s[0] == '-'
		s = s[1:]
	}
	ls := strings.ToLower(s)
	if base == 0 {
		switch {
		case strings.HasPrefix(ls, "0x"):
			base, s = 16, s[2:]
		case strings.HasPrefix(ls, "0o"):
			base, s = 8, s[2:]
		case strings.HasPrefix(ls, "0b"):
			base, s = 2, s[2:]
		default:
			base = 10
			if len(s) > 1 && s[0] == '0' && strings.Trim(s, "0_") != "" {
				return nil, false
			}
		}
	} else if base == 16 && strings.HasPrefix(ls, "0x") || base == 8 && strings.HasPrefix(ls, "0o") || base == 2 && strings.HasPrefix(ls, "0b") {
		s = s[2:]
		if strings.HasPrefix(s, "_") {
			s = s[1:]
		}
	}
	if base < 2 || base > 36 || s == "" || strings.HasPrefix(s, "_") || strings.HasSuffix(s, "_") || strings.Contains(s, "__") {
		return nil, false
	}
	s = strings.ReplaceAll(s, "_", "")
	if len(s) > 4300 {
		return nil, false
	}
	n, ok := new(big.Int).SetString(s, base)
	if !ok {
		return nil, false
	}
	if neg {
		n.Neg(n)
	}
	return n, true
}

func parsePyFloat(s string) (float64, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch strings.TrimLeft(t, "+-") {
	case "inf", "infinity":
		if strings.HasPrefix(t, "-") {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan":
		return math.NaN(), true
	}
	if t == "" || strings.Contains(t, "__") || strings.HasPrefix(t, "_") || strings.HasSuffix(t, "_") || strings.HasPrefix(t, "0x") {
		return 0, false
	}
	t = strings.ReplaceAll(t, "_", "")
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}
