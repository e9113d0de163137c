package pyread

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

var mutatingMethods = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"append": true, "extend": true, "insert": true, "pop": true, "remove": true, "clear": true,
		"sort": true, "reverse": true, "update": true, "setdefault": true, "popitem": true,
		"add": true, "discard": true, "difference_update": true, "intersection_update": true,
	}
})

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

var methodTables = sync.OnceValue(func() map[string]map[string]bool {
	return map[string]map[string]bool{
		"str": set("lower", "upper", "strip", "lstrip", "rstrip", "split", "rsplit", "join", "replace",
			"startswith", "endswith", "format", "format_map", "title", "capitalize", "casefold", "swapcase",
			"find", "rfind", "index", "rindex", "count", "removeprefix", "removesuffix", "zfill", "center",
			"ljust", "rjust", "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isnumeric",
			"isdecimal", "isidentifier", "istitle", "isascii", "partition", "rpartition", "splitlines", "encode",
			"expandtabs"),
		"bytes": set("decode", "startswith", "endswith", "lower", "upper", "strip", "split", "replace", "hex"),
		"list":  set("append", "extend", "insert", "pop", "remove", "index", "count", "copy", "clear", "sort", "reverse"),
		"tuple": set("index", "count"),
		"dict":  set("get", "keys", "values", "items", "copy", "update", "setdefault", "pop", "popitem", "clear", "fromkeys"),
		"set": set("add", "update", "discard", "remove", "union", "intersection", "difference", "symmetric_difference",
			"copy", "issubset", "issuperset", "isdisjoint", "clear", "pop", "difference_update", "intersection_update"),
		"frozenset": set("union", "intersection", "difference", "symmetric_difference", "copy", "issubset", "issuperset", "isdisjoint"),
		"int":       set("bit_length", "to_bytes", "is_integer", "conjugate"),
		"float":     set("is_integer", "hex", "conjugate"),
		"env":       set("get", "setdefault", "copy", "keys", "values", "items", "pop", "update", "__contains__"),
	}
})

func (ev *evaluator) getattr(obj Value, attr string, line int) Value {
	switch o := obj.(type) {
	case *Unresolved:
		return propagate(o)
	case *Opaque:
		switch o.Kind {
		case "module", "import":
			return ev.qualValue(o.Qualname+"."+attr, line)
		case "builtin":
			if attr == "__name__" {
				return mkStr(o.Qualname, line)
			}
			return &boundMethod{recv: o, name: attr, L: line}
		case "class":
			if v, ok := ev.classAttr(o, attr, line, 0); ok {
				return v
			}
			if attr == "__name__" {
				return mkStr(o.Qualname, line)
			}
			return ev.raise("AttributeError", fmt.Sprintf("type object '%s' has no attribute '%s'", o.Qualname, attr), line)
		case "timedelta":
			us := int64(o.Duration / time.Microsecond)
			days := floorDiv(us, 86400e6)
			rest := us - days*86400e6
			switch attr {
			case "days":
				return mkInt(days, line)
			case "seconds":
				return mkInt(rest/1e6, line)
			case "microseconds":
				return mkInt(rest%1e6, line)
			case "total_seconds":
				return &boundMethod{recv: o, name: attr, L: line}
			}
		case "function", "lambda":
			if attr == "__name__" {
				if o.Kind == "lambda" {
					return mkStr("<lambda>", line)
				}
				return mkStr(o.Qualname, line)
			}
		}
		return ev.unres(line, fmt.Sprintf("attribute %s of %s is not known", attr, o.Source))
	case *envMapping:
		if methodTables()["env"][attr] {
			return &boundMethod{recv: o, name: attr, L: line}
		}
		return ev.unres(line, "os.environ."+attr+" is not supported")
	case *NoneValue:
		return ev.raise("AttributeError", fmt.Sprintf("'NoneType' object has no attribute '%s'", attr), line)
	case *Int, *Bool:
		switch attr {
		case "real", "numerator":
			return obj
		case "imag":
			return mkInt(0, line)
		case "denominator":
			return mkInt(1, line)
		}
	case *Float:
		switch attr {
		case "real":
			return obj
		case "imag":
			return mkFloat(0, line)
		}
	case *genValue, *viewValue, *rangeValue, *boundMethod:
		return ev.unres(line, fmt.Sprintf("attribute %s of %s is not supported", attr, obj.Type()))
	}
	t := obj.Type()
	if tbl, ok := methodTables()[t]; ok && tbl[attr] {
		return &boundMethod{recv: obj, name: attr, L: line}
	}
	return ev.unres(line, fmt.Sprintf("%s.%s is not supported by the reader", t, attr))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// classAttr looks up Class.ATTR, following bases defined in the file.
func (ev *evaluator) classAttr(c *Opaque, attr string, line, depth int) (Value, bool) {
	if depth > 20 || c.Attrs == nil {
		return nil, false
	}
	if v, ok := c.Attrs.Lookup(attr); ok {
		return v, true
	}
	for i, b := range c.baseVals {
		if bo, ok := b.(*Opaque); ok && bo.Kind == "class" {
			if v, ok := ev.classAttr(bo, attr, line, depth+1); ok {
				return v, true
			}
			continue
		}
		name := c.Bases[i]
		if name == "object" {
			continue
		}
		return ev.unres(line, fmt.Sprintf("attribute %s of class %s may be inherited from %s, which the reader does not know", attr, c.Qualname, name)), true
	}
	return nil, false
}

func (ev *evaluator) callMethod(m *boundMethod, ca *callArgs) Value {
	line := ca.line
	for _, a := range ca.args {
		if u, ok := a.(*Unresolved); ok {
			switch m.name {
			case "append", "insert", "setdefault", "get", "add", "count", "index", "format", "join":
				// these can hold or consult an unknown value
			default:
				if mutatingMethods()[m.name] && ca.recv != nil {
					ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("changed at line %d by `%s` with an argument not known statically: %s", line, ca.src, u.Reason))
				}
				return propagate(u)
			}
		}
	}
	switch r := m.recv.(type) {
	case *Str:
		return ev.strMethod(r.V, m.name, ca)
	case *Bytes:
		return ev.bytesMethod(r, m.name, ca)
	case *List:
		return ev.listMethod(r, m.name, ca)
	case *Tuple:
		return ev.seqQuery(r.Elems, m.name, ca)
	case *Dict:
		return ev.dictMethod(r, m.name, ca)
	case *Set:
		return ev.setMethod(r, m.name, ca)
	case *envMapping:
		return ev.envMethod(m.name, ca)
	case *Int, *Bool:
		b, _ := asBigInt(r)
		switch m.name {
		case "bit_length":
			return mkInt(int64(b.BitLen()), line)
		case "is_integer":
			return mkBool(true, line)
		case "conjugate":
			return mkBigInt(b, line)
		}
	case *Float:
		switch m.name {
		case "is_integer":
			return mkBool(r.V == math.Trunc(r.V) && !math.IsInf(r.V, 0), line)
		case "conjugate":
			return r
		}
	case *Opaque:
		switch r.Kind {
		case "timedelta":
			if m.name == "total_seconds" {
				return mkFloat(float64(r.Duration/time.Microsecond)/1e6, line)
			}
		case "builtin":
			// unbound methods: str.lower(x), dict.fromkeys(...)
			if r.Qualname == "dict" && m.name == "fromkeys" {
				return ev.dictFromKeys(ca)
			}
			if tbl, ok := methodTables()[r.Qualname]; ok && tbl[m.name] && len(ca.args) > 0 {
				self := ca.args[0]
				if self.Type() == r.Qualname {
					return ev.callMethod(&boundMethod{recv: self, name: m.name, L: line}, &callArgs{args: ca.args[1:], kw: ca.kw, line: line, src: ca.src})
				}
			}
		}
	}
	return ev.unres(line, fmt.Sprintf("%s.%s() is not supported by the reader", m.recv.Type(), m.name))
}

func (ev *evaluator) argStr(ca *callArgs, i int, name string) (string, bool, Value) {
	v, ok := ca.arg(i, name)
	if !ok {
		return "", false, nil
	}
	if _, isNone := v.(*NoneValue); isNone {
		return "", false, nil
	}
	s, ok := v.(*Str)
	if !ok {
		if u, ok := v.(*Unresolved); ok {
			return "", false, propagate(u)
		}
		return "", false, ev.raise("TypeError", "must be str, not "+v.Type(), ca.line)
	}
	return s.V, true, nil
}

func (ev *evaluator) argInt(ca *callArgs, i int, name string, def int64) (int64, Value) {
	v, ok := ca.arg(i, name)
	if !ok {
		return def, nil
	}
	if _, isNone := v.(*NoneValue); isNone {
		return def, nil
	}
	n, ok := intOf(v)
	if !ok {
		if u, ok := v.(*Unresolved); ok {
			return 0, propagate(u)
		}
		return 0, ev.raise("TypeError", "an integer is required, not "+v.Type(), ca.line)
	}
	return n, nil
}

func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || r == 0x1c || r == 0x1d || r == 0x1e || r == 0x1f
}

func (ev *evaluator) strMethod(s, name string, ca *callArgs) Value {
	line := ca.line
	ev.step(len(s) / 64)
	str := func(x string) Value { return mkStr(x, line) }
	switch name {
	case "lower":
		return str(pyLower(s))
	case "upper":
		return str(pyUpper(s))
	case "casefold":
		return str(pyFold(s))
	case "swapcase":
		return str(strings.Map(func(r rune) rune {
			if unicode.IsUpper(r) {
				return unicode.ToLower(r)
			}
			return unicode.ToUpper(r)
		}, s))
	case "title":
		var sb strings.Builder
		prevCased := false
		for _, r := range s {
			if prevCased {
				sb.WriteRune(unicode.ToLower(r))
			} else {
				sb.WriteRune(unicode.ToTitle(r))
			}
			prevCased = unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r)
		}
		return str(sb.String())
	case "capitalize":
		if s == "" {
			return str("")
		}
		r, n := utf8.DecodeRuneInString(s)
		return str(string(unicode.ToTitle(r)) + strings.ToLower(s[n:]))
	case "strip", "lstrip", "rstrip":
		chars, has, bad := ev.argStr(ca, 0, "chars")
		if bad != nil {
			return bad
		}
		var f func(string, string) string
		var g func(string, func(rune) bool) string
		switch name {
		case "strip":
			f, g = strings.Trim, strings.TrimFunc
		case "lstrip":
			f, g = strings.TrimLeft, strings.TrimLeftFunc
		default:
			f, g = strings.TrimRight, strings.TrimRightFunc
		}
		if has {
			return str(f(s, chars))
		}
		return str(g(s, isPySpace))
	case "split", "rsplit":
		sep, has, bad := ev.argStr(ca, 0, "sep")
		if bad != nil {
			return bad
		}
		maxsplit, bad := ev.argInt(ca, 1, "maxsplit", -1)
		if bad != nil {
			return bad
		}
		var parts []string
		if has {
			if sep == "" {
				return ev.raise("ValueError", "empty separator", line)
			}
			if name == "split" || maxsplit < 0 {
				parts = strings.SplitN(s, sep, int(clampSplit(maxsplit)))
			} else {
				parts = rsplitN(s, sep, int(maxsplit))
			}
		} else {
			parts = splitWhitespace(s, int(maxsplit), name == "rsplit")
		}
		out := make([]Value, len(parts))
		for i, p := range parts {
			out[i] = str(p)
		}
		return mkList(out, line)
	case "splitlines":
		keep := false
		if v, ok := ca.arg(0, "keepends"); ok {
			keep, _ = truth(v)
		}
		var out []Value
		rest := s
		for rest != "" {
			i := strings.IndexAny(rest, "\n\r\v\f\x1c\x1d\x1e\u0085\u2028\u2029")
			if i < 0 {
				out = append(out, str(rest))
				break
			}
			r, n := utf8.DecodeRuneInString(rest[i:])
			if r == '\r' && strings.HasPrefix(rest[i:], "\r\n") {
				n = 2
			}
			if keep {
				out = append(out, str(rest[:i+n]))
			} else {
				out = append(out, str(rest[:i]))
			}
			rest = rest[i+n:]
		}
		return mkList(out, line)
	case "join":
		v, ok := ca.arg(0, "iterable")
		if !ok {
			break
		}
		items, u := ev.iterate(v, line)
		if u != nil {
			return u
		}
		parts := make([]string, len(items))
		total := 0
		for i, it := range items {
			x, ok := it.(*Str)
			if !ok {
				if u, ok := it.(*Unresolved); ok {
					return propagate(u)
				}
				return ev.raise("TypeError", fmt.Sprintf("sequence item %d: expected str instance, %s found", i, it.Type()), line)
			}
			parts[i] = x.V
			total += len(x.V) + len(s)
		}
		if total > maxStrLen {
			return ev.unres(line, "string too large to build")
		}
		return str(strings.Join(parts, s))
	case "replace":
		old, ok1, bad := ev.argStr(ca, 0, "old")
		if bad != nil {
			return bad
		}
		nw, ok2, bad := ev.argStr(ca, 1, "new")
		if bad != nil {
			return bad
		}
		if !ok1 || !ok2 {
			break
		}
		n, bad := ev.argInt(ca, 2, "count", -1)
		if bad != nil {
			return bad
		}
		if old == "" && len(s) > 0 && len(nw)*(len(s)+1) > maxStrLen || old != "" && len(nw) > len(old) && strings.Count(s, old)*(len(nw)-len(old)) > maxStrLen {
			return ev.unres(line, "string too large to build")
		}
		if n < 0 {
			n = -1
		}
		return str(strings.Replace(s, old, nw, int(min(n, maxSeqLen))))
	case "startswith", "endswith":
		v, ok := ca.arg(0, "")
		if !ok {
			break
		}
		var cands []string
		switch x := v.(type) {
		case *Str:
			cands = []string{x.V}
		case *Tuple:
			for _, e := range x.Elems {
				es, ok := e.(*Str)
				if !ok {
					if u, ok := e.(*Unresolved); ok {
						return propagate(u)
					}
					return ev.raise("TypeError", "tuple for "+name+" must only contain str", line)
				}
				cands = append(cands, es.V)
			}
		case *Unresolved:
			return propagate(x)
		default:
			return ev.raise("TypeError", name+" first arg must be str or a tuple of str, not "+v.Type(), line)
		}
		sub := s
		if len(ca.args) > 1 {
			rs := []rune(s)
			lo, bad := ev.argInt(ca, 1, "", 0)
			if bad != nil {
				return bad
			}
			hi, bad := ev.argInt(ca, 2, "", int64(len(rs)))
			if bad != nil {
				return bad
			}
			a, b := clampRange(lo, hi, len(rs))
			sub = string(rs[a:b])
		}
		for _, c := range cands {
			if name == "startswith" && strings.HasPrefix(sub, c) || name == "endswith" && strings.HasSuffix(sub, c) {
				return mkBool(true, line)
			}
		}
		return mkBool(false, line)
	case "find", "rfind", "index", "rindex", "count":
		sub, ok, bad := ev.argStr(ca, 0, "")
		if bad != nil {
			return bad
		}
		if !ok {
			break
		}
		if len(ca.args) > 1 {
			return ev.unres(line, "str."+name+"() with start/end is not supported")
		}
		if name == "count" {
			if sub == "" {
				return mkInt(int64(utf8.RuneCountInString(s)+1), line)
			}
			return mkInt(int64(strings.Count(s, sub)), line)
		}
		var i int
		if name == "find" || name == "index" {
			i = strings.Index(s, sub)
		} else {
			i = strings.LastIndex(s, sub)
		}
		if i < 0 {
			if name == "index" || name == "rindex" {
				return ev.raise("ValueError", "substring not found", line)
			}
			return mkInt(-1, line)
		}
		return mkInt(int64(utf8.RuneCountInString(s[:i])), line)
	case "removeprefix", "removesuffix":
		a, ok, bad := ev.argStr(ca, 0, "")
		if bad != nil {
			return bad
		}
		if !ok {
			break
		}
		if name == "removeprefix" {
			return str(strings.TrimPrefix(s, a))
		}
		return str(strings.TrimSuffix(s, a))
	case "zfill", "center", "ljust", "rjust":
		w, bad := ev.argInt(ca, 0, "width", 0)
		if bad != nil {
			return bad
		}
		if w > maxStrLen {
			return ev.unres(line, "string too large to build")
		}
		fill := " "
		if f, ok, bad := ev.argStr(ca, 1, "fillchar"); bad != nil {
			return bad
		} else if ok {
			if utf8.RuneCountInString(f) != 1 {
				return ev.raise("TypeError", "The fill character must be exactly one character long", line)
			}
			fill = f
		}
		n := utf8.RuneCountInString(s)
		pad := int(w) - n
		if pad <= 0 {
			return str(s)
		}
		switch name {
		case "zfill":
			if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
				return str(s[:1] + strings.Repeat("0", pad) + s[1:])
			}
			return str(strings.Repeat("0", pad) + s)
		case "ljust":
			return str(s + strings.Repeat(fill, pad))
		case "rjust":
			return str(strings.Repeat(fill, pad) + s)
		default:
			// CPython: left = marg/2 + (marg & width & 1)
			left := pad/2 + (pad & int(w) & 1)
			return str(strings.Repeat(fill, left) + s + strings.Repeat(fill, pad-left))
		}
	case "isdigit", "isnumeric", "isdecimal", "isalpha", "isalnum", "isspace", "isascii":
		if s == "" {
			return mkBool(name == "isascii", line)
		}
		for _, r := range s {
			ok := false
			switch name {
			case "isdigit", "isnumeric", "isdecimal":
				ok = unicode.IsDigit(r) || name == "isnumeric" && unicode.IsNumber(r)
			case "isalpha":
				ok = unicode.IsLetter(r)
			case "isalnum":
				ok = unicode.IsLetter(r) || unicode.IsNumber(r)
			case "isspace":
				ok = isPySpace(r)
			case "isascii":
				ok = r < 0x80
			}
			if !ok {
				return mkBool(false, line)
			}
		}
		return mkBool(true, line)
	case "isupper", "islower":
		return mkBool(isCase(s, name == "isupper"), line)
	case "istitle":
		return mkBool(s != "" && ev.strMethod(s, "title", ca).(*Str).V == s && strings.IndexFunc(s, unicode.IsLetter) >= 0, line)
	case "isidentifier":
		if s == "" {
			return mkBool(false, line)
		}
		for i, r := range s {
			if !(r == '_' || unicode.IsLetter(r) || i > 0 && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))) {
				return mkBool(false, line)
			}
		}
		return mkBool(true, line)
	case "partition", "rpartition":
		sep, ok, bad := ev.argStr(ca, 0, "")
		if bad != nil {
			return bad
		}
		if !ok {
			break
		}
		if sep == "" {
			return ev.raise("ValueError", "empty separator", line)
		}
		var i int
		if name == "partition" {
			i = strings.Index(s, sep)
		} else {
			i = strings.LastIndex(s, sep)
		}
		if i < 0 {
			if name == "partition" {
				return mkTuple([]Value{str(s), str(""), str("")}, line)
			}
			return mkTuple([]Value{str(""), str(""), str(s)}, line)
		}
		return mkTuple([]Value{str(s[:i]), str(sep), str(s[i+len(sep):])}, line)
	case "encode":
		enc := "utf-8"
		if e, ok, bad := ev.argStr(ca, 0, "encoding"); bad != nil {
			return bad
		} else if ok {
			enc = strings.ToLower(strings.ReplaceAll(e, "_", "-"))
		}
		switch enc {
		case "utf-8", "utf8":
			return &Bytes{V: s, L: line}
		case "ascii", "latin-1", "latin1", "iso-8859-1":
			for _, r := range s {
				if r >= 0x80 && (enc == "ascii" || r > 0xff) {
					return ev.raise("UnicodeEncodeError", "'"+enc+"' codec can't encode character", line)
				}
			}
			if enc == "ascii" {
				return &Bytes{V: s, L: line}
			}
			b := make([]byte, 0, len(s))
			for _, r := range s {
				b = append(b, byte(r))
			}
			return &Bytes{V: string(b), L: line}
		}
		return ev.unres(line, "encoding "+enc+" is not supported")
	case "format":
		return ev.strFormat(s, ca.args, ca.kw, line)
	case "format_map":
		d, ok := ca.arg(0, "")
		if !ok {
			break
		}
		dd, ok := d.(*Dict)
		if !ok {
			if u, ok := d.(*Unresolved); ok {
				return propagate(u)
			}
			return ev.unres(line, "format_map() of a mapping not known statically")
		}
		var kws []kwArg
		for i, k := range dd.keys {
			if ks, ok := k.(*Str); ok {
				kws = append(kws, kwArg{ks.V, dd.vals[i]})
			}
		}
		return ev.strFormat(s, nil, kws, line)
	case "expandtabs":
		size, bad := ev.argInt(ca, 0, "tabsize", 8)
		if bad != nil {
			return bad
		}
		var sb strings.Builder
		col := 0
		for _, r := range s {
			switch r {
			case '\t':
				if size > 0 {
					n := int(size) - col%int(size)
					sb.WriteString(strings.Repeat(" ", n))
					col += n
				}
			case '\n', '\r':
				sb.WriteRune(r)
				col = 0
			default:
				sb.WriteRune(r)
				col++
			}
		}
		return str(sb.String())
	}
	return ev.unres(line, fmt.Sprintf("str.%s() with these arguments is not supported by the reader", name))
}

// Python's str.upper/lower/casefold use Unicode's full case mappings
// ("ß".upper() == "SS"); strings.ToUpper maps one rune to one rune.
func pyUpper(s string) string {
	if isASCII(s) {
		return strings.ToUpper(s)
	}
	return cases.Upper(language.Und).String(s)
}

func pyLower(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return cases.Lower(language.Und).String(s)
}

func pyFold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return cases.Fold().String(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func clampSplit(n int64) int64 {
	if n < 0 {
		return -1
	}
	if n > maxSeqLen {
		return maxSeqLen
	}
	return n + 1
}

func clampRange(lo, hi int64, n int) (int, int) {
	N := int64(n)
	if lo < 0 {
		lo += N
	}
	if hi < 0 {
		hi += N
	}
	lo = max(0, min(lo, N))
	hi = max(0, min(hi, N))
	if hi < lo {
		hi = lo
	}
	return int(lo), int(hi)
}

func rsplitN(s, sep string, n int) []string {
	var out []string
	for n > 0 {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		out = append(out, s[i+len(sep):])
		s = s[:i]
		n--
	}
	out = append(out, s)
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// splitWhitespace is str.split() / rsplit() without a separator.
func splitWhitespace(s string, maxsplit int, fromRight bool) []string {
	if !fromRight {
		var out []string
		rest := strings.TrimLeftFunc(s, isPySpace)
		for rest != "" {
			if maxsplit >= 0 && len(out) == maxsplit {
				out = append(out, rest)
				return out
			}
			i := strings.IndexFunc(rest, isPySpace)
			if i < 0 {
				out = append(out, rest)
				break
			}
			out = append(out, rest[:i])
			rest = strings.TrimLeftFunc(rest[i:], isPySpace)
		}
		return out
	}
	var out []string
	rest := strings.TrimRightFunc(s, isPySpace)
	for rest != "" {
		if maxsplit >= 0 && len(out) == maxsplit {
			out = append(out, rest)
			break
		}
		i := strings.LastIndexFunc(rest, isPySpace)
		if i < 0 {
			out = append(out, rest)
			break
		}
		_, n := utf8.DecodeRuneInString(rest[i:])
		out = append(out, rest[i+n:])
		rest = strings.TrimRightFunc(rest[:i], isPySpace)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// isCase is str.isupper()/islower(): at least one cased character and no
// cased character of the other case.
func isCase(s string, upper bool) bool {
	cased := false
	for _, r := range s {
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			if !upper {
				return false
			}
			cased = true
		} else if unicode.IsLower(r) {
			if upper {
				return false
			}
			cased = true
		}
	}
	return cased
}

// IsUpperName reports whether a name is upper case in Python's sense
// (str.isupper): what Flask's from_object copies into the config.
func IsUpperName(s string) bool { return isCase(s, true) }

func (ev *evaluator) bytesMethod(b *Bytes, name string, ca *callArgs) Value {
	line := ca.line
	switch name {
	case "decode":
		enc := "utf-8"
		if e, ok, bad := ev.argStr(ca, 0, "encoding"); bad != nil {
			return bad
		} else if ok {
			enc = strings.ToLower(strings.ReplaceAll(e, "_", "-"))
		}
		switch enc {
		case "utf-8", "utf8", "ascii":
			if !utf8.ValidString(b.V) {
				return ev.raise("UnicodeDecodeError", "'utf-8' codec can't decode bytes", line)
			}
			return mkStr(b.V, line)
		case "latin-1", "latin1", "iso-8859-1":
			rs := make([]rune, len(b.V))
			for i := 0; i < len(b.V); i++ {
				rs[i] = rune(b.V[i])
			}
			return mkStr(string(rs), line)
		}
	case "hex":
		return mkStr(fmt.Sprintf("%x", b.V), line)
	case "lower":
		return &Bytes{V: strings.ToLower(b.V), L: line}
	case "upper":
		return &Bytes{V: strings.ToUpper(b.V), L: line}
	}
	return ev.unres(line, "bytes."+name+"() is not supported by the reader")
}

func (ev *evaluator) listMethod(l *List, name string, ca *callArgs) Value {
	line := ca.line
	switch name {
	case "append":
		if len(ca.args) != 1 {
			return ev.raise("TypeError", "list.append() takes exactly one argument", line)
		}
		if len(l.Elems) >= maxSeqLen {
			return ev.unres(line, "list too large")
		}
		l.Elems = append(l.Elems, ca.args[0])
		return mkNone(line)
	case "extend":
		if len(ca.args) != 1 {
			return ev.raise("TypeError", "list.extend() takes exactly one argument", line)
		}
		items, u := ev.iterate(ca.args[0], line)
		if u != nil {
			if ca.recv != nil {
				ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("extended at line %d with items not known statically: %s", line, u.Reason))
			}
			return u
		}
		if len(l.Elems)+len(items) > maxSeqLen {
			return ev.unres(line, "list too large")
		}
		ev.step(len(items))
		l.Elems = append(l.Elems, items...)
		return mkNone(line)
	case "insert":
		if len(ca.args) != 2 {
			return ev.raise("TypeError", "insert expected 2 arguments", line)
		}
		i, ok := intOf(ca.args[0])
		if !ok {
			if ca.recv != nil {
				ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("an item was inserted at an unknown position at line %d", line))
			}
			return ev.unres(line, "insert position not known")
		}
		n := int64(len(l.Elems))
		if i < 0 {
			i += n
			if i < 0 {
				i = 0
			}
		}
		if i > n {
			i = n
		}
		l.Elems = append(l.Elems, nil)
		copy(l.Elems[i+1:], l.Elems[i:])
		l.Elems[i] = ca.args[1]
		return mkNone(line)
	case "pop":
		i, bad := ev.argInt(ca, 0, "", -1)
		if bad != nil {
			return bad
		}
		n := int64(len(l.Elems))
		if n == 0 {
			return ev.raise("IndexError", "pop from empty list", line)
		}
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return ev.raise("IndexError", "pop index out of range", line)
		}
		v := l.Elems[i]
		l.Elems = append(l.Elems[:i], l.Elems[i+1:]...)
		return v
	case "remove":
		if len(ca.args) != 1 {
			break
		}
		for i, e := range l.Elems {
			eq, known := pyEqual(e, ca.args[0])
			if !known {
				if ca.recv != nil {
					ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("remove() at line %d compares values not known statically", line))
				}
				return ev.unres(line, "list.remove() compares values not known statically")
			}
			if eq {
				l.Elems = append(l.Elems[:i], l.Elems[i+1:]...)
				return mkNone(line)
			}
		}
		return ev.raise("ValueError", "list.remove(x): x not in list", line)
	case "clear":
		l.Elems = nil
		return mkNone(line)
	case "copy":
		return mkList(append([]Value(nil), l.Elems...), line)
	case "reverse":
		for i, j := 0, len(l.Elems)-1; i < j; i, j = i+1, j-1 {
			l.Elems[i], l.Elems[j] = l.Elems[j], l.Elems[i]
		}
		return mkNone(line)
	case "sort":
		r := ev.sortValues(l.Elems, ca, line)
		if nl, ok := r.(*List); ok {
			l.Elems = nl.Elems
			return mkNone(line)
		}
		if ca.recv != nil {
			ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("sorted at line %d by a key not known statically", line))
		}
		return r
	case "index", "count":
		return ev.seqQuery(l.Elems, name, ca)
	}
	return ev.unres(line, "list."+name+"() is not supported by the reader")
}

func (ev *evaluator) seqQuery(elems []Value, name string, ca *callArgs) Value {
	line := ca.line
	if len(ca.args) != 1 {
		return ev.unres(line, name+"() with these arguments is not supported")
	}
	n := 0
	for i, e := range elems {
		eq, known := pyEqual(e, ca.args[0])
		if !known {
			return ev.unres(line, name+"() compares values not known statically")
		}
		if eq {
			if name == "index" {
				return mkInt(int64(i), line)
			}
			n++
		}
	}
	if name == "index" {
		return ev.raise("ValueError", "x not in sequence", line)
	}
	return mkInt(int64(n), line)
}

// dictUpdate implements dict.update / dict(...) / {**x}.
func (ev *evaluator) dictUpdate(d *Dict, args []Value, kw []kwArg, line int) *Unresolved {
	if len(args) > 1 {
		ev.raise("TypeError", fmt.Sprintf("update expected at most 1 argument, got %d", len(args)), line)
		return ev.excValue()
	}
	if len(args) == 1 {
		switch src := args[0].(type) {
		case *Dict:
			for i, k := range src.keys {
				if u, ok := k.(*Unresolved); ok {
					d.setUnknown(u, src.vals[i], src.lines[i])
					continue
				}
				d.set(k, src.vals[i], src.lines[i])
			}
			ev.step(len(src.keys))
		case *Unresolved:
			return propagate(src)
		case *envMapping:
			return ev.unres(line, "the full environment is not known statically")
		default:
			items, u := ev.iterate(src, line)
			if u != nil {
				return u
			}
			for _, it := range items {
				pair, u := ev.iterate(it, line)
				if u != nil {
					return u
				}
				if len(pair) != 2 {
					ev.raise("ValueError", "dictionary update sequence element has wrong length", line)
					return ev.excValue()
				}
				if !d.set(pair[0], pair[1], line) {
					if u, ok := pair[0].(*Unresolved); ok {
						d.setUnknown(u, pair[1], line)
						continue
					}
					ev.raise("TypeError", "unhashable type: '"+pair[0].Type()+"'", line)
					return ev.excValue()
				}
			}
		}
	}
	for _, k := range kw {
		d.set(mkStr(k.name, line), k.val, line)
	}
	return nil
}

func (ev *evaluator) dictFromKeys(ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "iterable")
	if !ok {
		return ev.raise("TypeError", "fromkeys expected at least 1 argument", line)
	}
	items, u := ev.iterate(v, line)
	if u != nil {
		return u
	}
	var fill Value = mkNone(line)
	if f, ok := ca.arg(1, "value"); ok {
		fill = f
	}
	d := newDict(line)
	for _, it := range items {
		if !d.set(it, fill, line) {
			return ev.unres(line, "fromkeys() with keys not known statically")
		}
	}
	return d
}

func (ev *evaluator) dictMethod(d *Dict, name string, ca *callArgs) Value {
	line := ca.line
	switch name {
	case "get":
		k, ok := ca.arg(0, "")
		if !ok {
			break
		}
		if u, ok := k.(*Unresolved); ok {
			return propagate(u)
		}
		v, found, ok := d.get(k)
		if !ok {
			return ev.raise("TypeError", "unhashable type: '"+k.Type()+"'", line)
		}
		if found {
			return v
		}
		if d.unknown > 0 {
			return ev.unres(line, "the key may be one of the dict's keys that are not known statically")
		}
		if def, ok := ca.arg(1, ""); ok {
			return def
		}
		return mkNone(line)
	case "keys", "values", "items":
		if d.unknown > 0 {
			return ev.unres(line, "the dict has keys not known statically")
		}
		var items []Value
		for i, k := range d.keys {
			switch name {
			case "keys":
				items = append(items, k)
			case "values":
				items = append(items, d.vals[i])
			default:
				items = append(items, mkTuple([]Value{k, d.vals[i]}, line))
			}
		}
		return &viewValue{kind: "dict_" + name, items: items, L: line}
	case "copy":
		n := shallowDict(d)
		n.L = line
		return n
	case "update":
		if u := ev.dictUpdate(d, ca.args, ca.kw, line); u != nil {
			if ca.recv != nil {
				ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("updated at line %d with a value not known statically: %s", line, u.Reason))
			}
			return u
		}
		return mkNone(line)
	case "setdefault":
		k, ok := ca.arg(0, "")
		if !ok {
			break
		}
		var def Value = mkNone(line)
		if dv, ok := ca.arg(1, ""); ok {
			def = dv
		}
		if u, ok := k.(*Unresolved); ok {
			if ca.recv != nil {
				ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("setdefault() at line %d with a key not known statically", line))
			}
			return propagate(u)
		}
		v, found, ok := d.get(k)
		if !ok {
			return ev.raise("TypeError", "unhashable type: '"+k.Type()+"'", line)
		}
		if found {
			return v
		}
		if d.unknown > 0 {
			if ca.recv != nil {
				ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("setdefault() at line %d on a dict with keys not known statically", line))
			}
			return ev.unres(line, "the dict has keys not known statically")
		}
		d.set(k, def, line)
		return def
	case "pop":
		k, ok := ca.arg(0, "")
		if !ok {
			break
		}
		if u, ok := k.(*Unresolved); ok {
			if ca.recv != nil {
				ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("pop() at line %d with a key not known statically", line))
			}
			return propagate(u)
		}
		v, found, ok := d.get(k)
		if !ok {
			return ev.raise("TypeError", "unhashable type: '"+k.Type()+"'", line)
		}
		if found {
			d.del(k)
			return v
		}
		if def, ok := ca.arg(1, ""); ok {
			return def
		}
		r, _ := ev.reprOf(k)
		return ev.raise("KeyError", r, line)
	case "popitem":
		if len(d.keys) == 0 {
			return ev.raise("KeyError", "'popitem(): dictionary is empty'", line)
		}
		i := len(d.keys) - 1
		k, v := d.keys[i], d.vals[i]
		d.keys, d.vals, d.lines = d.keys[:i], d.vals[:i], d.lines[:i]
		d.reindex()
		return mkTuple([]Value{k, v}, line)
	case "clear":
		d.keys, d.vals, d.lines, d.unknown = nil, nil, nil, 0
		d.index = map[hkey]int{}
		return mkNone(line)
	case "fromkeys":
		return ev.dictFromKeys(ca)
	}
	return ev.unres(line, "dict."+name+"() is not supported by the reader")
}

func (ev *evaluator) setMethod(s *Set, name string, ca *callArgs) Value {
	line := ca.line
	others := func() ([]*Set, Value) {
		var out []*Set
		for _, a := range ca.args {
			items, u := ev.iterateAnyOrder(a, line)
			if u != nil {
				return nil, u
			}
			o := newSet(line, false)
			for _, it := range items {
				if !o.add(it) {
					return nil, ev.unres(line, "set of values not known statically")
				}
			}
			out = append(out, o)
		}
		return out, nil
	}
	switch name {
	case "add":
		if len(ca.args) != 1 {
			break
		}
		if !s.add(ca.args[0]) {
			if ca.recv != nil {
				ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("an item not known statically was added at line %d", line))
			}
			return ev.unres(line, "set item not known statically")
		}
		return mkNone(line)
	case "discard", "remove":
		if len(ca.args) != 1 {
			break
		}
		has, ok := s.has(ca.args[0])
		if !ok {
			return ev.unres(line, "set item not known statically")
		}
		if !has && name == "remove" {
			r, _ := ev.reprOf(ca.args[0])
			return ev.raise("KeyError", r, line)
		}
		s.remove(ca.args[0])
		return mkNone(line)
	case "update", "union", "intersection", "difference", "symmetric_difference", "difference_update", "intersection_update":
		os, u := others()
		if u != nil {
			if mutatingMethods()[name] && ca.recv != nil {
				ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("changed at line %d with items not known statically", line))
			}
			return u
		}
		op := map[string]string{"update": "|", "union": "|", "intersection": "&", "difference": "-",
			"symmetric_difference": "^", "difference_update": "-", "intersection_update": "&"}[name]
		cur := &Set{Elems: s.Elems, index: s.index, Frozen: s.Frozen, L: line}
		var res Value = cur
		for _, o := range os {
			res = ev.setOp(op, res.(*Set), o, line)
		}
		if name == "update" || name == "difference_update" || name == "intersection_update" {
			rs := res.(*Set)
			s.Elems, s.index = rs.Elems, rs.index
			return mkNone(line)
		}
		if len(os) == 0 {
			return ev.setOp("|", cur, newSet(line, false), line)
		}
		return res
	case "copy":
		return ev.setOp("|", s, newSet(line, false), line)
	case "issubset", "issuperset", "isdisjoint":
		os, u := others()
		if u != nil {
			return u
		}
		if len(os) != 1 {
			break
		}
		a, b := s, os[0]
		if name == "issuperset" {
			a, b = b, a
		}
		for _, e := range a.Elems {
			has, _ := b.has(e)
			if name == "isdisjoint" && has {
				return mkBool(false, line)
			}
			if name != "isdisjoint" && !has {
				return mkBool(false, line)
			}
		}
		return mkBool(true, line)
	case "clear":
		s.Elems, s.index = nil, map[hkey]int{}
		return mkNone(line)
	}
	return ev.unres(line, "set."+name+"() is not supported by the reader")
}

func (ev *evaluator) envMethod(name string, ca *callArgs) Value {
	line := ca.line
	switch name {
	case "get":
		return ev.getenv(ca, "os.environ.get")
	case "__contains__":
		if k, ok := ca.arg(0, ""); ok {
			return ev.contains(&envMapping{L: line}, k, line)
		}
	case "setdefault":
		k, ok, bad := ev.argStr(ca, 0, "key")
		if bad != nil {
			return bad
		}
		if !ok {
			break
		}
		if v, set := ev.env[k]; set {
			return mkStr(v, line)
		}
		d, ok := ca.arg(1, "default")
		if !ok {
			return ev.raise("TypeError", "str expected, not NoneType", line)
		}
		if ds, ok := d.(*Str); ok {
			ev.env[k] = ds.V
			return ds
		}
		if u, ok := d.(*Unresolved); ok {
			ev.envUnknown(k)
			return propagate(u)
		}
		return ev.raise("TypeError", "str expected, not "+d.Type(), line)
	case "pop":
		k, ok, bad := ev.argStr(ca, 0, "key")
		if bad != nil {
			return bad
		}
		if !ok {
			break
		}
		if v, set := ev.env[k]; set {
			delete(ev.env, k)
			return mkStr(v, line)
		}
		if d, ok := ca.arg(1, "default"); ok {
			return d
		}
		return ev.envMissing(k, line, "os.environ.pop() would raise KeyError")
	case "update":
		if len(ca.args) == 1 {
			if d, ok := ca.args[0].(*Dict); ok {
				for i, k := range d.keys {
					ks, ok1 := k.(*Str)
					vs, ok2 := d.vals[i].(*Str)
					if ok1 && ok2 {
						ev.env[ks.V] = vs.V
					} else if ok1 {
						ev.envUnknown(ks.V)
					}
				}
			}
		}
		for _, k := range ca.kw {
			if vs, ok := k.val.(*Str); ok {
				ev.env[k.name] = vs.V
			} else {
				ev.envUnknown(k.name)
			}
		}
		return mkNone(line)
	}
	return ev.unres(line, "os.environ."+name+"() depends on the whole environment, which is not known statically")
}
