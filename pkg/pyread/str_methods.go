package pyread

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || r == 0x1c || r == 0x1d || r == 0x1e || r == 0x1f
}

// strMethodFn implements a str method on receiver s. It returns nil when it
// does not evaluate the call with these arguments.
type strMethodFn func(ev *evaluator, s, name string, ca *callArgs) Value

func strMethodTable() map[string]strMethodFn { return strMethodsOnce.get(newStrMethodTable) }

var strMethodsOnce lazy[map[string]strMethodFn]

func newStrMethodTable() map[string]strMethodFn {
	return map[string]strMethodFn{
		"lower": strCaseMethod, "upper": strCaseMethod, "casefold": strCaseMethod, "swapcase": strCaseMethod,
		"title": strCaseMethod, "capitalize": strCaseMethod,
		"strip": (*evaluator).strStrip, "lstrip": (*evaluator).strStrip, "rstrip": (*evaluator).strStrip,
		"split": (*evaluator).strSplit, "rsplit": (*evaluator).strSplit, "splitlines": (*evaluator).strSplitlines,
		"join": (*evaluator).strJoin, "replace": (*evaluator).strReplace,
		"startswith": (*evaluator).strStartsEnds, "endswith": (*evaluator).strStartsEnds,
		"find": (*evaluator).strFind, "rfind": (*evaluator).strFind, "index": (*evaluator).strFind,
		"rindex": (*evaluator).strFind, "count": (*evaluator).strFind,
		"removeprefix": (*evaluator).strRemoveAffix, "removesuffix": (*evaluator).strRemoveAffix,
		"zfill": (*evaluator).strPad, "center": (*evaluator).strPad, "ljust": (*evaluator).strPad, "rjust": (*evaluator).strPad,
		"isdigit": strClassMethod, "isnumeric": strClassMethod, "isdecimal": strClassMethod, "isalpha": strClassMethod,
		"isalnum": strClassMethod, "isspace": strClassMethod, "isascii": strClassMethod,
		"isupper": strClassMethod, "islower": strClassMethod, "istitle": strClassMethod, "isidentifier": strClassMethod,
		"partition": (*evaluator).strPartition, "rpartition": (*evaluator).strPartition,
		"encode": (*evaluator).strEncode, "format": (*evaluator).strFormatMethod, "format_map": (*evaluator).strFormatMap,
		"expandtabs": (*evaluator).strExpandtabs,
	}
}

func (ev *evaluator) strMethod(s, name string, ca *callArgs) Value {
	ev.step(len(s) / 64)
	if f := strMethodTable()[name]; f != nil {
		if v := f(ev, s, name, ca); v != nil {
			return v
		}
	}
	return ev.unres(ca.line, fmt.Sprintf("str.%s() with these arguments is not supported by the reader", name))
}

// strCaseMethod is lower, upper, casefold, swapcase, title and capitalize.
func strCaseMethod(_ *evaluator, s, name string, ca *callArgs) Value {
	return mkStr(strCase(s, name), ca.line)
}

func strCase(s, name string) string {
	switch name {
	case "lower":
		return pyLower(s)
	case "upper":
		return pyUpper(s)
	case "casefold":
		return pyFold(s)
	case "swapcase":
		return strings.Map(func(r rune) rune {
			if unicode.IsUpper(r) {
				return unicode.ToLower(r)
			}
			return unicode.ToUpper(r)
		}, s)
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
		return sb.String()
	}
	// capitalize
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToTitle(r)) + strings.ToLower(s[n:])
}

// strClassMethod is the is...() predicates.
func strClassMethod(_ *evaluator, s, name string, ca *callArgs) Value {
	line := ca.line
	switch name {
	case "isupper", "islower":
		return mkBool(isCase(s, name == "isupper"), line)
	case "istitle":
		return mkBool(s != "" && strCase(s, "title") == s && strings.IndexFunc(s, unicode.IsLetter) >= 0, line)
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
	}
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
}

func (ev *evaluator) strStrip(s, name string, ca *callArgs) Value {
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
		return mkStr(f(s, chars), ca.line)
	}
	return mkStr(g(s, isPySpace), ca.line)
}

func (ev *evaluator) strSplit(s, name string, ca *callArgs) Value {
	line := ca.line
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
	return strList(parts, line)
}

func strList(parts []string, line int) *List {
	out := make([]Value, len(parts))
	for i, p := range parts {
		out[i] = mkStr(p, line)
	}
	return mkList(out, line)
}

func (ev *evaluator) strSplitlines(s, _ string, ca *callArgs) Value {
	keep := false
	if v, ok := ca.arg(0, "keepends"); ok {
		keep, _ = truth(v)
	}
	var out []string
	rest := s
	for rest != "" {
		i := strings.IndexAny(rest, "\n\r\v\f\x1c\x1d\x1e\u0085\u2028\u2029")
		if i < 0 {
			out = append(out, rest)
			break
		}
		r, n := utf8.DecodeRuneInString(rest[i:])
		if r == '\r' && strings.HasPrefix(rest[i:], "\r\n") {
			n = 2
		}
		if keep {
			out = append(out, rest[:i+n])
		} else {
			out = append(out, rest[:i])
		}
		rest = rest[i+n:]
	}
	return strList(out, ca.line)
}

func (ev *evaluator) strJoin(s, _ string, ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "iterable")
	if !ok {
		return nil
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
		return ev.unknown(UnknownBudget, line, "string too large to build")
	}
	return mkStr(strings.Join(parts, s), line)
}

func (ev *evaluator) strReplace(s, _ string, ca *callArgs) Value {
	line := ca.line
	old, ok1, bad := ev.argStr(ca, 0, "old")
	if bad != nil {
		return bad
	}
	nw, ok2, bad := ev.argStr(ca, 1, "new")
	if bad != nil {
		return bad
	}
	if !ok1 || !ok2 {
		return nil
	}
	n, bad := ev.argInt(ca, 2, "count", -1)
	if bad != nil {
		return bad
	}
	if old == "" && len(s) > 0 && len(nw)*(len(s)+1) > maxStrLen || old != "" && len(nw) > len(old) && strings.Count(s, old)*(len(nw)-len(old)) > maxStrLen {
		return ev.unknown(UnknownBudget, line, "string too large to build")
	}
	if n < 0 {
		n = -1
	}
	return mkStr(strings.Replace(s, old, nw, int(min(n, maxSeqLen))), line)
}

// strAffixes reads the str-or-tuple-of-str argument of startswith and
// endswith; bad is the value to return instead when it is not one.
func (ev *evaluator) strAffixes(v Value, name string, line int) (cands []string, bad Value) {
	switch x := v.(type) {
	case *Str:
		return []string{x.V}, nil
	case *Tuple:
		for _, e := range x.Elems {
			es, ok := e.(*Str)
			if !ok {
				if u, ok := e.(*Unresolved); ok {
					return nil, propagate(u)
				}
				return nil, ev.raise("TypeError", "tuple for "+name+" must only contain str", line)
			}
			cands = append(cands, es.V)
		}
		return cands, nil
	case *Unresolved:
		return nil, propagate(x)
	}
	return nil, ev.raise("TypeError", name+" first arg must be str or a tuple of str, not "+v.Type(), line)
}

func (ev *evaluator) strStartsEnds(s, name string, ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "")
	if !ok {
		return nil
	}
	cands, bad := ev.strAffixes(v, name, line)
	if bad != nil {
		return bad
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
}

// strFind is find, rfind, index, rindex and count.
func (ev *evaluator) strFind(s, name string, ca *callArgs) Value {
	line := ca.line
	sub, ok, bad := ev.argStr(ca, 0, "")
	if bad != nil {
		return bad
	}
	if !ok {
		return nil
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
}

func (ev *evaluator) strRemoveAffix(s, name string, ca *callArgs) Value {
	a, ok, bad := ev.argStr(ca, 0, "")
	if bad != nil {
		return bad
	}
	if !ok {
		return nil
	}
	if name == "removeprefix" {
		return mkStr(strings.TrimPrefix(s, a), ca.line)
	}
	return mkStr(strings.TrimSuffix(s, a), ca.line)
}

// strPad is zfill, center, ljust and rjust.
func (ev *evaluator) strPad(s, name string, ca *callArgs) Value {
	line := ca.line
	w, bad := ev.argInt(ca, 0, "width", 0)
	if bad != nil {
		return bad
	}
	if w > maxStrLen {
		return ev.unknown(UnknownBudget, line, "string too large to build")
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
	pad := int(w) - utf8.RuneCountInString(s)
	if pad <= 0 {
		return mkStr(s, line)
	}
	switch name {
	case "zfill":
		if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
			return mkStr(s[:1]+strings.Repeat("0", pad)+s[1:], line)
		}
		return mkStr(strings.Repeat("0", pad)+s, line)
	case "ljust":
		return mkStr(s+strings.Repeat(fill, pad), line)
	case "rjust":
		return mkStr(strings.Repeat(fill, pad)+s, line)
	}
	// CPython: left = marg/2 + (marg & width & 1)
	left := pad/2 + (pad & int(w) & 1)
	return mkStr(strings.Repeat(fill, left)+s+strings.Repeat(fill, pad-left), line)
}

func (ev *evaluator) strPartition(s, name string, ca *callArgs) Value {
	line := ca.line
	sep, ok, bad := ev.argStr(ca, 0, "")
	if bad != nil {
		return bad
	}
	if !ok {
		return nil
	}
	if sep == "" {
		return ev.raise("ValueError", "empty separator", line)
	}
	str := func(x string) Value { return mkStr(x, line) }
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
}

func (ev *evaluator) strEncode(s, _ string, ca *callArgs) Value {
	line := ca.line
	enc, bad := ev.argEncoding(ca)
	if bad != nil {
		return bad
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
}

func (ev *evaluator) strFormatMethod(s, _ string, ca *callArgs) Value {
	return ev.strFormat(s, ca.args, ca.kw, ca.line)
}

func (ev *evaluator) strFormatMap(s, _ string, ca *callArgs) Value {
	d, ok := ca.arg(0, "")
	if !ok {
		return nil
	}
	dd, ok := d.(*Dict)
	if !ok {
		if u, ok := d.(*Unresolved); ok {
			return propagate(u)
		}
		return ev.unres(ca.line, "format_map() of a mapping not known statically")
	}
	var kws []kwArg
	for i, k := range dd.keys {
		if ks, ok := k.(*Str); ok {
			kws = append(kws, kwArg{ks.V, dd.vals[i]})
		}
	}
	return ev.strFormat(s, nil, kws, ca.line)
}

func (ev *evaluator) strExpandtabs(s, _ string, ca *callArgs) Value {
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
	return mkStr(sb.String(), ca.line)
}
