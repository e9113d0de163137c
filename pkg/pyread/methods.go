package pyread

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
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
	case *Instance:
		return ev.instAttr(o, attr, line)
	case *HostValue:
		return ev.hostGetAttr(o, attr, line)
	case *superValue:
		return ev.superAttr(o, attr, line)
	case *ExcClass:
		if attr == "__name__" {
			return mkStr(o.Name, line)
		}
		return ev.unknown(UnknownImported, line, fmt.Sprintf("attribute %s of %s is not known", attr, o.Qualname()))
	case *instMethod:
		if attr == "__name__" {
			return mkStr(o.fn.Qualname, line)
		}
		return ev.unres(line, "attribute "+attr+" of a method is not supported")
	case *Opaque:
		switch o.Kind {
		case "module", "import":
			if v, ok := ev.hostQual(o.Qualname+"."+attr, line); ok {
				return v
			}
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
		kind := UnknownUnsupported
		if o.Kind == "import" || o.Kind == "module" || o.Kind == "object" {
			kind = UnknownImported
		}
		return ev.unknown(kind, line, fmt.Sprintf("attribute %s of %s is not known", attr, o.Source))
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
	if noSuchAttr(t, attr) {
		return ev.raise("AttributeError", fmt.Sprintf("'%s' object has no attribute '%s'", t, attr), line)
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
		return ev.unknown(UnknownImported, line, fmt.Sprintf("attribute %s of class %s may be inherited from %s, which the reader does not know", attr, c.Qualname, name)), true
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
					ev.taint(ca.recv, ca.sc, line, fmt.Sprintf("changed at line %d by `%s` with an argument not known statically: %s", line, ca.src, u.Reason), u)
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

func (ev *evaluator) bytesMethod(b *Bytes, name string, ca *callArgs) Value {
	line := ca.line
	switch name {
	case "decode":
		enc, bad := ev.argEncoding(ca)
		if bad != nil {
			return bad
		}
		switch enc {
		case "utf-8", "utf8":
			if start, end, why, bad := utf8Error(b.V); bad {
				return ev.raise("UnicodeDecodeError", "'utf-8' codec "+decodeErrorText(b.V, start, end, why), line)
			}
			return mkStr(b.V, line)
		case "ascii":
			for i := 0; i < len(b.V); i++ {
				if b.V[i] >= 0x80 {
					return ev.raise("UnicodeDecodeError", fmt.Sprintf("'ascii' codec can't decode byte 0x%02x in position %d: ordinal not in range(128)", b.V[i], i), line)
				}
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

// argEncoding is the encoding argument of str.encode and bytes.decode,
// normalised ("UTF_8" → "utf-8"); UTF-8 when absent.
func (ev *evaluator) argEncoding(ca *callArgs) (string, Value) {
	e, ok, bad := ev.argStr(ca, 0, "encoding")
	if bad != nil || !ok {
		return "utf-8", bad
	}
	return strings.ToLower(strings.ReplaceAll(e, "_", "-")), nil
}
