package pyread

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/authdoctor/authdoctor/pkg/pyrepr"
)

// ---- format spec mini-language ----

type fmtSpec struct {
	fill      rune
	align     byte
	sign      byte
	alt       bool
	zero      bool
	width     int
	grouping  byte
	precision int // -1 when absent
	typ       byte
}

func parseSpec(s string) (fmtSpec, bool) {
	sp := fmtSpec{fill: ' ', precision: -1}
	rs := []rune(s)
	i := 0
	isAlign := func(r rune) bool { return r == '<' || r == '>' || r == '^' || r == '=' }
	if len(rs) >= 2 && isAlign(rs[1]) {
		sp.fill, sp.align = rs[0], byte(rs[1])
		i = 2
	} else if len(rs) >= 1 && isAlign(rs[0]) {
		sp.align = byte(rs[0])
		i = 1
	}
	if i < len(rs) && (rs[i] == '+' || rs[i] == '-' || rs[i] == ' ') {
		sp.sign = byte(rs[i])
		i++
	}
	if i < len(rs) && rs[i] == 'z' {
		i++
	}
	if i < len(rs) && rs[i] == '#' {
		sp.alt = true
		i++
	}
	if i < len(rs) && rs[i] == '0' {
		sp.zero = true
		i++
	}
	start := i
	for i < len(rs) && rs[i] >= '0' && rs[i] <= '9' {
		i++
	}
	if i > start {
		w, err := strconv.Atoi(string(rs[start:i]))
		if err != nil || w > maxStrLen {
			return sp, false
		}
		sp.width = w
	}
	if i < len(rs) && (rs[i] == ',' || rs[i] == '_') {
		sp.grouping = byte(rs[i])
		i++
	}
	if i < len(rs) && rs[i] == '.' {
		i++
		start = i
		for i < len(rs) && rs[i] >= '0' && rs[i] <= '9' {
			i++
		}
		if i == start {
			return sp, false
		}
		p, err := strconv.Atoi(string(rs[start:i]))
		if err != nil || p > 1000 {
			return sp, false
		}
		sp.precision = p
	}
	if i < len(rs) {
		if rs[i] > 0x7f {
			return sp, false
		}
		sp.typ = byte(rs[i])
		i++
	}
	return sp, i == len(rs)
}

func pad(s string, sp fmtSpec, defAlign byte) string {
	n := utf8.RuneCountInString(s)
	if sp.width <= n {
		return s
	}
	align := sp.align
	fill := string(sp.fill)
	if align == 0 {
		if sp.zero && defAlign == '>' {
			align, fill = '=', "0"
		} else {
			align = defAlign
		}
	}
	p := sp.width - n
	switch align {
	case '<':
		return s + strings.Repeat(fill, p)
	case '^':
		return strings.Repeat(fill, p/2) + s + strings.Repeat(fill, p-p/2)
	case '=':
		// padding after the sign / prefix
		k := 0
		if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") || strings.HasPrefix(s, " ") {
			k = 1
		}
		if len(s) >= k+2 && s[k] == '0' && strings.IndexByte("xXobB", s[k+1]) >= 0 {
			k += 2
		}
		return s[:k] + strings.Repeat(fill, p) + s[k:]
	}
	return strings.Repeat(fill, p) + s
}

func group(digits string, sep byte, every int) string {
	if sep == 0 || len(digits) <= every {
		return digits
	}
	var sb strings.Builder
	first := len(digits) % every
	if first > 0 {
		sb.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += every {
		if sb.Len() > 0 {
			sb.WriteByte(sep)
		}
		sb.WriteString(digits[i : i+every])
	}
	return sb.String()
}

// format is format(v, spec).
func (ev *evaluator) format(v Value, spec string, line int) Value {
	if u, ok := v.(*Unresolved); ok {
		return propagate(u)
	}
	if spec == "" {
		s, ok := ev.strOf(v)
		if !ok {
			return ev.strUnknown(v, line)
		}
		return mkStr(s, line)
	}
	sp, ok := parseSpec(spec)
	if !ok {
		return ev.raise("ValueError", "Invalid format specifier '"+spec+"'", line)
	}
	if sp.width > maxStrLen/2 {
		return ev.unknown(UnknownBudget, line, "format width too large")
	}
	switch x := v.(type) {
	case *Str:
		if sp.typ != 0 && sp.typ != 's' {
			return ev.raise("ValueError", fmt.Sprintf("Unknown format code '%c' for object of type 'str'", sp.typ), line)
		}
		if sp.sign != 0 || sp.align == '=' {
			return ev.raise("ValueError", "Sign not allowed in string format specifier", line)
		}
		s := x.V
		if sp.precision >= 0 {
			rs := []rune(s)
			if len(rs) > sp.precision {
				s = string(rs[:sp.precision])
			}
		}
		if sp.zero && sp.align == 0 {
			sp.fill, sp.align = '0', '<'
		}
		return mkStr(pad(s, sp, '<'), line)
	case *Int, *Bool:
		b, _ := asBigInt(x)
		switch sp.typ {
		case 'e', 'E', 'f', 'F', 'g', 'G', '%':
			f, _ := asFloat(x)
			return ev.formatFloat(f, sp, line)
		case 0, 'd', 'n', 'b', 'o', 'x', 'X', 'c':
		default:
			return ev.raise("ValueError", fmt.Sprintf("Unknown format code '%c' for object of type 'int'", sp.typ), line)
		}
		if sp.precision >= 0 {
			return ev.raise("ValueError", "Precision not allowed in integer format specifier", line)
		}
		if sp.typ == 'c' {
			return mkStr(pad(string(rune(b.Int64())), sp, '<'), line)
		}
		base, prefix, every := 10, "", 3
		switch sp.typ {
		case 'b':
			base, prefix, every = 2, "0b", 4
		case 'o':
			base, prefix, every = 8, "0o", 4
		case 'x':
			base, prefix, every = 16, "0x", 4
		case 'X':
			base, prefix, every = 16, "0X", 4
		}
		digits := new(big.Int).Abs(b).Text(base)
		if sp.typ == 'X' {
			digits = strings.ToUpper(digits)
		}
		sign := signOf(b.Sign() < 0, sp.sign)
		if !sp.alt {
			prefix = ""
		}
		if sp.zero && sp.align == 0 && sp.grouping != 0 {
			w := sp.width - len(sign) - len(prefix)
			for len(group(digits, sp.grouping, every)) < w {
				digits = "0" + digits
			}
			return mkStr(sign+prefix+group(digits, sp.grouping, every), line)
		}
		return mkStr(pad(sign+prefix+group(digits, sp.grouping, every), sp, '>'), line)
	case *Float:
		return ev.formatFloat(x.V, sp, line)
	case *NoneValue, *List, *Tuple, *Dict, *Set, *Opaque:
		return ev.raise("TypeError", "unsupported format string passed to "+v.Type()+".__format__", line)
	}
	return ev.unres(line, "format() of "+v.Type()+" is not supported")
}

func signOf(neg bool, flag byte) string {
	if neg {
		return "-"
	}
	switch flag {
	case '+':
		return "+"
	case ' ':
		return " "
	}
	return ""
}

func (ev *evaluator) formatFloat(f float64, sp fmtSpec, line int) Value {
	neg := math.Signbit(f) && !math.IsNaN(f)
	a := math.Abs(f)
	var body string
	prec := sp.precision
	switch sp.typ {
	case 'f', 'F', '%':
		if prec < 0 {
			prec = 6
		}
		if sp.typ == '%' {
			a *= 100
		}
		body = strconv.FormatFloat(a, 'f', prec, 64)
		if sp.alt && prec == 0 {
			body += "."
		}
		if sp.typ == '%' {
			body += "%"
		}
	case 'e', 'E':
		if prec < 0 {
			prec = 6
		}
		body = strconv.FormatFloat(a, 'e', prec, 64)
		if sp.typ == 'E' {
			body = strings.ToUpper(body)
		}
	case 'g', 'G', 'n':
		if prec < 0 {
			prec = 6
		}
		body = pyFormatG(a, prec, sp.alt)
		if sp.typ == 'G' {
			body = strings.ToUpper(body)
		}
	case 0:
		if prec < 0 {
			body = pyrepr.Float(a)
		} else {
			body = pyFormatG(a, prec, sp.alt)
			if !strings.ContainsAny(body, ".en") {
				body += ".0"
			}
		}
	default:
		return ev.raise("ValueError", fmt.Sprintf("Unknown format code '%c' for object of type 'float'", sp.typ), line)
	}
	if math.IsInf(a, 0) || math.IsNaN(a) {
		body = pyrepr.Float(a)
		if sp.typ >= 'A' && sp.typ <= 'Z' {
			body = strings.ToUpper(body)
		}
	} else if sp.grouping != 0 {
		ip, rest := body, ""
		if i := strings.IndexAny(body, ".e%"); i >= 0 {
			ip, rest = body[:i], body[i:]
		}
		body = group(ip, sp.grouping, 3) + rest
	}
	return mkStr(pad(signOf(neg, sp.sign)+body, sp, '>'), line)
}

// pyFormatG formats like Python's 'g' presentation type.
func pyFormatG(a float64, prec int, alt bool) string {
	if prec == 0 {
		prec = 1
	}
	if a == 0 {
		if alt {
			return "0." + strings.Repeat("0", prec-1)
		}
		return "0"
	}
	e := strconv.FormatFloat(a, 'e', prec-1, 64)
	_, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	var s string
	if exp >= -4 && exp < prec {
		s = strconv.FormatFloat(a, 'f', prec-1-exp, 64)
		if !alt && strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		return s
	}
	mant, _, _ := strings.Cut(e, "e")
	if !alt && strings.Contains(mant, ".") {
		mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
	}
	sign := "+"
	if exp < 0 {
		sign, exp = "-", -exp
	}
	return fmt.Sprintf("%se%s%02d", mant, sign, exp)
}

// strUnknown is the unresolved str(v) of a value whose text the reader
// does not know; a name imported from a module it has not read says so
// (the module, and the line of the import).
func (ev *evaluator) strUnknown(v Value, line int) Value {
	if o, ok := v.(*Opaque); ok && o.Kind == "import" && o.Qualname != "" {
		return ev.unknown(UnknownImported, line, fmt.Sprintf("%s is imported (line %d) from a module that is not read here (not beside the config, nor on --path)", o.Qualname, o.Line))
	}
	return ev.unres(line, "str() of "+v.Type()+" is not known")
}
