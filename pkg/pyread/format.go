package pyread

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// pyFloatRepr is Python's repr(float).
func pyFloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	decpt := exp + 1
	if decpt > -4 && decpt <= 16 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.ContainsAny(s, ".") {
			s += ".0"
		}
		return s
	}
	mant = strings.TrimSuffix(mant, ".0")
	sign := "+"
	if exp < 0 {
		sign = "-"
		exp = -exp
	}
	return fmt.Sprintf("%se%s%02d", mant, sign, exp)
}

// pyStrRepr is Python's repr(str).
func pyStrRepr(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var sb strings.Builder
	sb.Grow(len(s) + 2)
	sb.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&sb, `\x%02x`, r)
		case r < 0x80:
			sb.WriteRune(r)
		case isPrintable(r):
			sb.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&sb, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			fmt.Fprintf(&sb, `\U%08x`, r)
		}
	}
	sb.WriteByte(q)
	return sb.String()
}

// isPrintable approximates Python's str.isprintable for one character.
func isPrintable(r rune) bool {
	if r == utf8.RuneError {
		return false
	}
	if unicode.IsSpace(r) && r != ' ' {
		return false
	}
	return unicode.IsPrint(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

func pyBytesRepr(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var sb strings.Builder
	sb.WriteString("b")
	sb.WriteByte(q)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\t':
			sb.WriteString(`\t`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&sb, `\x%02x`, c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte(q)
	return sb.String()
}

func asciiEscape(s string) string {
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			sb.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&sb, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			fmt.Fprintf(&sb, `\U%08x`, r)
		}
	}
	return sb.String()
}

func tdParts(d time.Duration) (days, secs, us int64) {
	t := int64(d / time.Microsecond)
	days = floorDiv(t, 86400e6)
	rest := t - days*86400e6
	return days, rest / 1e6, rest % 1e6
}

func timedeltaRepr(d time.Duration) string {
	days, secs, us := tdParts(d)
	var parts []string
	if days != 0 {
		parts = append(parts, fmt.Sprintf("days=%d", days))
	}
	if secs != 0 {
		parts = append(parts, fmt.Sprintf("seconds=%d", secs))
	}
	if us != 0 {
		parts = append(parts, fmt.Sprintf("microseconds=%d", us))
	}
	if len(parts) == 0 {
		return "datetime.timedelta(0)"
	}
	return "datetime.timedelta(" + strings.Join(parts, ", ") + ")"
}

func timedeltaStr(d time.Duration) string {
	days, secs, us := tdParts(d)
	s := fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	if us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	if days != 0 {
		plural := "s"
		if days == 1 || days == -1 {
			plural = ""
		}
		s = fmt.Sprintf("%d day%s, %s", days, plural, s)
	}
	return s
}

// reprOf is repr(v); ok is false when it is not known.
func (ev *evaluator) reprOf(v Value) (string, bool) {
	var sb strings.Builder
	ok := ev.writeRepr(&sb, v, map[Value]bool{}, 0)
	if sb.Len() > maxStrLen {
		return "", false
	}
	return sb.String(), ok
}

func (ev *evaluator) writeRepr(sb *strings.Builder, v Value, active map[Value]bool, depth int) bool {
	if depth > 200 || sb.Len() > maxStrLen {
		return false
	}
	ev.step(1)
	switch x := v.(type) {
	case *NoneValue:
		sb.WriteString("None")
	case *Bool:
		if x.V {
			sb.WriteString("True")
		} else {
			sb.WriteString("False")
		}
	case *Int:
		sb.WriteString(x.String())
	case *Float:
		sb.WriteString(pyFloatRepr(x.V))
	case *Str:
		sb.WriteString(pyStrRepr(x.V))
	case *Bytes:
		sb.WriteString(pyBytesRepr(x.V))
	case *List, *Tuple, *Set, *Dict:
		if active[v] {
			switch v.(type) {
			case *Dict:
				sb.WriteString("{...}")
			case *Set:
				sb.WriteString(x.Type() + "(...)")
			default:
				sb.WriteString("[...]")
			}
			return true
		}
		active[v] = true
		defer delete(active, v)
		seq := func(open, close string, elems []Value, single bool) bool {
			sb.WriteString(open)
			for i, e := range elems {
				if i > 0 {
					sb.WriteString(", ")
				}
				if !ev.writeRepr(sb, e, active, depth+1) {
					return false
				}
			}
			if single && len(elems) == 1 {
				sb.WriteString(",")
			}
			sb.WriteString(close)
			return true
		}
		switch x := v.(type) {
		case *List:
			return seq("[", "]", x.Elems, false)
		case *Tuple:
			return seq("(", ")", x.Elems, true)
		case *Set:
			if len(x.Elems) == 0 {
				sb.WriteString(x.Type() + "()")
				return true
			}
			if x.Frozen {
				sb.WriteString("frozenset(")
				defer sb.WriteString(")")
			}
			// CPython's set order is by hash: only small-int and
			// single-element sets have a predictable order.
			if len(x.Elems) > 1 {
				return false
			}
			return seq("{", "}", x.Elems, false)
		case *Dict:
			if x.unknown > 0 {
				return false
			}
			sb.WriteString("{")
			for i, k := range x.keys {
				if i > 0 {
					sb.WriteString(", ")
				}
				if !ev.writeRepr(sb, k, active, depth+1) {
					return false
				}
				sb.WriteString(": ")
				if !ev.writeRepr(sb, x.vals[i], active, depth+1) {
					return false
				}
			}
			sb.WriteString("}")
		}
	case *Opaque:
		switch x.Kind {
		case "timedelta":
			sb.WriteString(timedeltaRepr(x.Duration))
		case "exception":
			r := "()"
			if x.Source != "" {
				r = "(" + pyStrRepr(x.Source) + ")"
			}
			sb.WriteString(x.Qualname + r)
		case "builtin":
			if _, ok := excHierarchy()[x.Qualname]; ok || builtinFuncs()[x.Qualname] && strings.Contains("str int float bool list tuple dict set frozenset bytes object", x.Qualname) {
				sb.WriteString("<class '" + x.Qualname + "'>")
				return true
			}
			sb.WriteString("<built-in function " + x.Qualname + ">")
		case "object":
			if x.Source == "Ellipsis" {
				sb.WriteString("Ellipsis")
				return true
			}
			return false
		default:
			return false
		}
	case *rangeValue:
		if x.step == 1 {
			fmt.Fprintf(sb, "range(%d, %d)", x.start, x.stop)
		} else {
			fmt.Fprintf(sb, "range(%d, %d, %d)", x.start, x.stop, x.step)
		}
	case *viewValue:
		sb.WriteString(x.kind + "(")
		if !ev.writeRepr(sb, mkList(x.items, 0), active, depth+1) {
			return false
		}
		sb.WriteString(")")
	default:
		return false
	}
	return true
}

// strOf is str(v).
func (ev *evaluator) strOf(v Value) (string, bool) {
	switch x := v.(type) {
	case *Str:
		return x.V, true
	case *Opaque:
		switch x.Kind {
		case "exception":
			return x.Source, true
		case "timedelta":
			return timedeltaStr(x.Duration), true
		}
	case *Unresolved:
		return "", false
	}
	return ev.reprOf(v)
}

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
			return ev.unres(line, "str() of "+v.Type()+" is not known")
		}
		return mkStr(s, line)
	}
	sp, ok := parseSpec(spec)
	if !ok {
		return ev.raise("ValueError", "Invalid format specifier '"+spec+"'", line)
	}
	if sp.width > maxStrLen/2 {
		return ev.unres(line, "format width too large")
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
			body = pyFloatRepr(a)
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
		body = pyFloatRepr(a)
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

// ---- % formatting ----

func (ev *evaluator) percentFormat(f string, args Value, line int) Value {
	var list []Value
	var mapping *Dict
	switch a := args.(type) {
	case *Tuple:
		list = a.Elems
	case *Dict:
		mapping = a
		list = []Value{a}
	default:
		list = []Value{a}
	}
	idx := 0
	next := func() (Value, bool) {
		if idx >= len(list) {
			return nil, false
		}
		v := list[idx]
		idx++
		return v, true
	}
	var sb strings.Builder
	usedMapping := false
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			sb.WriteByte(c)
			continue
		}
		i++
		if i >= len(f) {
			return ev.raise("ValueError", "incomplete format", line)
		}
		var arg Value
		if f[i] == '(' {
			end := strings.IndexByte(f[i:], ')')
			if end < 0 {
				return ev.raise("ValueError", "incomplete format key", line)
			}
			key := f[i+1 : i+end]
			i += end + 1
			if mapping == nil {
				return ev.raise("TypeError", "format requires a mapping", line)
			}
			v, found, _ := mapping.get(mkStr(key, line))
			if !found {
				if mapping.unknown > 0 {
					return ev.unres(line, "the mapping has keys not known statically")
				}
				return ev.raise("KeyError", pyStrRepr(key), line)
			}
			arg = v
			usedMapping = true
		}
		sp := fmtSpec{fill: ' ', precision: -1}
		for ; i < len(f) && strings.IndexByte("-+ #0", f[i]) >= 0; i++ {
			switch f[i] {
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
		readNum := func() (int, Value) {
			if i < len(f) && f[i] == '*' {
				i++
				v, ok := next()
				if !ok {
					return 0, ev.raise("TypeError", "not enough arguments for format string", line)
				}
				n, ok := intOf(v)
				if !ok {
					return 0, ev.raise("TypeError", "* wants int", line)
				}
				return int(n), nil
			}
			start := i
			for i < len(f) && f[i] >= '0' && f[i] <= '9' {
				i++
			}
			if i == start {
				return -1, nil
			}
			n, err := strconv.Atoi(f[start:i])
			if err != nil || n > maxStrLen/2 {
				return 0, ev.unres(line, "format width too large")
			}
			return n, nil
		}
		w, bad := readNum()
		if bad != nil {
			return bad
		}
		if w < 0 {
			w = 0
		}
		sp.width = w
		if i < len(f) && f[i] == '.' {
			i++
			p, bad := readNum()
			if bad != nil {
				return bad
			}
			if p < 0 {
				p = 0
			}
			sp.precision = p
		}
		for i < len(f) && (f[i] == 'h' || f[i] == 'l' || f[i] == 'L') {
			i++
		}
		if i >= len(f) {
			return ev.raise("ValueError", "incomplete format", line)
		}
		conv := f[i]
		if conv == '%' {
			sb.WriteByte('%')
			continue
		}
		if arg == nil {
			if mapping != nil && usedMapping {
				return ev.raise("TypeError", "format requires a mapping", line)
			}
			v, ok := next()
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
		var out Value
		switch conv {
		case 's', 'r', 'a':
			var s string
			var ok bool
			if conv == 's' {
				s, ok = ev.strOf(arg)
			} else {
				s, ok = ev.reprOf(arg)
				if conv == 'a' {
					s = asciiEscape(s)
				}
			}
			if !ok {
				return ev.unres(line, "str() of "+arg.Type()+" is not known")
			}
			if sp.precision >= 0 {
				rs := []rune(s)
				if len(rs) > sp.precision {
					s = string(rs[:sp.precision])
				}
			}
			sp.zero = false
			out = mkStr(pad(s, sp, '>'), line)
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
			out = ev.pctInt(arg, sp, line)
		case 'x', 'X', 'o':
			if _, ok := arg.(*Int); !ok {
				if _, ok := arg.(*Bool); !ok {
					return ev.raise("TypeError", "%"+string(conv)+" format: an integer is required, not "+arg.Type(), line)
				}
			}
			sp.typ = conv
			out = ev.pctInt(arg, sp, line)
		case 'e', 'E', 'f', 'F', 'g', 'G':
			fv, ok := asFloat(arg)
			if !ok {
				return ev.raise("TypeError", "must be real number, not "+arg.Type(), line)
			}
			sp.typ = conv
			if sp.precision < 0 {
				sp.precision = 6
			}
			out = ev.formatFloat(fv, sp, line)
		case 'c':
			switch a := arg.(type) {
			case *Str:
				out = mkStr(pad(a.V, sp, '>'), line)
			case *Int:
				out = mkStr(pad(string(rune(a.V)), sp, '>'), line)
			default:
				return ev.raise("TypeError", "%c requires int or char", line)
			}
		default:
			return ev.raise("ValueError", fmt.Sprintf("unsupported format character '%c' (0x%x)", conv, conv), line)
		}
		s, ok := out.(*Str)
		if !ok {
			return out
		}
		sb.WriteString(s.V)
		if sb.Len() > maxStrLen {
			return ev.unres(line, "string too large")
		}
	}
	if mapping == nil && idx < len(list) {
		return ev.raise("TypeError", "not all arguments converted during string formatting", line)
	}
	return mkStr(sb.String(), line)
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

// ---- str.format ----

func (ev *evaluator) strFormat(f string, args []Value, kw []kwArg, line int) Value {
	auto := 0
	manual := false
	var sb strings.Builder
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c == '}' {
			if i+1 < len(f) && f[i+1] == '}' {
				sb.WriteByte('}')
				i++
				continue
			}
			return ev.raise("ValueError", "Single '}' encountered in format string", line)
		}
		if c != '{' {
			sb.WriteByte(c)
			continue
		}
		if i+1 < len(f) && f[i+1] == '{' {
			sb.WriteByte('{')
			i++
			continue
		}
		// find the matching '}'
		depth := 1
		j := i + 1
		for ; j < len(f) && depth > 0; j++ {
			switch f[j] {
			case '{':
				depth++
			case '}':
				depth--
			}
		}
		if depth != 0 {
			return ev.raise("ValueError", "expected '}' before end of string", line)
		}
		field := f[i+1 : j-1]
		i = j - 1
		name, rest := field, ""
		if k := strings.IndexAny(field, "!:"); k >= 0 {
			name, rest = field[:k], field[k:]
		}
		conv := byte(0)
		spec := ""
		if strings.HasPrefix(rest, "!") {
			if len(rest) < 2 {
				return ev.raise("ValueError", "end of string while looking for conversion specifier", line)
			}
			conv = rest[1]
			rest = rest[2:]
			if rest != "" && rest[0] != ':' {
				return ev.raise("ValueError", "expected ':' after conversion specifier", line)
			}
		}
		if strings.HasPrefix(rest, ":") {
			spec = rest[1:]
		}
		// the first part of the name
		first := name
		k := strings.IndexAny(name, ".[")
		if k >= 0 {
			first = name[:k]
		}
		var v Value
		switch {
		case first == "":
			if manual {
				return ev.raise("ValueError", "cannot switch from manual field specification to automatic field numbering", line)
			}
			if auto >= len(args) {
				return ev.raise("IndexError", fmt.Sprintf("Replacement index %d out of range for positional args tuple", auto), line)
			}
			v = args[auto]
			auto++
		case first[0] >= '0' && first[0] <= '9':
			n, err := strconv.Atoi(first)
			if err != nil {
				return ev.raise("ValueError", "bad field name", line)
			}
			if auto > 0 {
				return ev.raise("ValueError", "cannot switch from automatic field numbering to manual field specification", line)
			}
			manual = true
			if n >= len(args) {
				return ev.raise("IndexError", fmt.Sprintf("Replacement index %d out of range for positional args tuple", n), line)
			}
			v = args[n]
		default:
			found := false
			for _, a := range kw {
				if a.name == first {
					v, found = a.val, true
				}
			}
			if !found {
				return ev.raise("KeyError", pyStrRepr(first), line)
			}
		}
		// attribute / index chain
		if k >= 0 {
			chain := name[k:]
			for chain != "" {
				if chain[0] == '.' {
					e := strings.IndexAny(chain[1:], ".[")
					attr := chain[1:]
					if e >= 0 {
						attr = chain[1 : e+1]
						chain = chain[e+1:]
					} else {
						chain = ""
					}
					v = ev.getattr(v, attr, line)
				} else if chain[0] != '[' {
					return ev.raise("ValueError", "Only '.' or '[' may follow ']' in format field specifier", line)
				} else {
					e := strings.IndexByte(chain, ']')
					if e < 0 {
						return ev.raise("ValueError", "Missing ']' in format string", line)
					}
					key := chain[1:e]
					chain = chain[e+1:]
					var kv Value = mkStr(key, line)
					if n, err := strconv.Atoi(key); err == nil {
						kv = mkInt(int64(n), line)
					}
					v = ev.getitem(v, kv, line)
				}
				if ev.exc != nil {
					return ev.excValue()
				}
			}
		}
		if u, ok := v.(*Unresolved); ok {
			return propagate(u)
		}
		// nested fields in the spec
		if strings.Contains(spec, "{") {
			sv := ev.strFormat(spec, args[min(auto, len(args)):], kw, line)
			if ss, ok := sv.(*Str); ok {
				spec = ss.V
			} else {
				return sv
			}
		}
		switch conv {
		case 0:
		case 'r', 'a':
			r, ok := ev.reprOf(v)
			if !ok {
				return ev.unres(line, "repr() of "+v.Type()+" is not known")
			}
			if conv == 'a' {
				r = asciiEscape(r)
			}
			v = mkStr(r, line)
		case 's':
			s, ok := ev.strOf(v)
			if !ok {
				return ev.unres(line, "str() of "+v.Type()+" is not known")
			}
			v = mkStr(s, line)
		default:
			return ev.raise("ValueError", fmt.Sprintf("Unknown conversion specifier %c", conv), line)
		}
		out := ev.format(v, spec, line)
		s, ok := out.(*Str)
		if !ok {
			return out
		}
		sb.WriteString(s.V)
		if sb.Len() > maxStrLen {
			return ev.unres(line, "string too large")
		}
	}
	return mkStr(sb.String(), line)
}
