package pyread

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/pyrepr"
)

// fieldNumbering tracks str.format's automatic and manual field numbers,
// which a format string may not mix.
type fieldNumbering struct {
	auto   int
	manual bool
}

// strFormat is str.format.
func (ev *evaluator) strFormat(f string, args []Value, kw []kwArg, line int) Value {
	var num fieldNumbering
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
		out := ev.formatReplacement(f[i+1:j-1], args, kw, &num, line)
		i = j - 1
		if bad := ev.appendPiece(&sb, out, line); bad != nil {
			return bad
		}
	}
	return mkStr(sb.String(), line)
}

// formatReplacement formats one replacement field "name!conv:spec".
func (ev *evaluator) formatReplacement(field string, args []Value, kw []kwArg, num *fieldNumbering, line int) Value {
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
	first := name
	k := strings.IndexAny(name, ".[")
	if k >= 0 {
		first = name[:k]
	}
	v := ev.formatArg(first, args, kw, num, line)
	if ev.exc != nil {
		return v
	}
	if k >= 0 {
		v = ev.formatFieldChain(v, name[k:], line)
		if ev.exc != nil {
			return v
		}
	}
	if u, ok := v.(*Unresolved); ok {
		return propagate(u)
	}
	// nested fields in the spec
	if strings.Contains(spec, "{") {
		sv := ev.strFormat(spec, args[min(num.auto, len(args)):], kw, line)
		ss, ok := sv.(*Str)
		if !ok {
			return sv
		}
		spec = ss.V
	}
	if conv != 0 && conv != 'r' && conv != 'a' && conv != 's' {
		return ev.raise("ValueError", fmt.Sprintf("Unknown conversion specifier %c", conv), line)
	}
	v = ev.convertField(v, conv, line)
	if _, ok := v.(*Unresolved); ok {
		return v
	}
	return ev.format(v, spec, line)
}

// convertField applies a !r, !a or !s conversion (0: none).
func (ev *evaluator) convertField(v Value, conv byte, line int) Value {
	switch conv {
	case 'r', 'a':
		r, ok := ev.reprOf(v)
		if !ok {
			return ev.unres(line, "repr() of "+v.Type()+" is not known")
		}
		if conv == 'a' {
			r = pyrepr.ASCII(r)
		}
		return mkStr(r, line)
	case 's':
		s, ok := ev.strOf(v)
		if !ok {
			return ev.strUnknown(v, line)
		}
		return mkStr(s, line)
	}
	return v
}

// formatArg is the argument a field name's first part names: "" (the next
// automatic number), a number, or a keyword.
func (ev *evaluator) formatArg(first string, args []Value, kw []kwArg, num *fieldNumbering, line int) Value {
	switch {
	case first == "":
		if num.manual {
			return ev.raise("ValueError", "cannot switch from manual field specification to automatic field numbering", line)
		}
		if num.auto >= len(args) {
			return ev.raise("IndexError", fmt.Sprintf("Replacement index %d out of range for positional args tuple", num.auto), line)
		}
		num.auto++
		return args[num.auto-1]
	case first[0] >= '0' && first[0] <= '9':
		n, err := strconv.Atoi(first)
		if err != nil {
			return ev.raise("ValueError", "bad field name", line)
		}
		if num.auto > 0 {
			return ev.raise("ValueError", "cannot switch from automatic field numbering to manual field specification", line)
		}
		num.manual = true
		if n >= len(args) {
			return ev.raise("IndexError", fmt.Sprintf("Replacement index %d out of range for positional args tuple", n), line)
		}
		return args[n]
	}
	var v Value
	found := false
	for _, a := range kw {
		if a.name == first {
			v, found = a.val, true
		}
	}
	if !found {
		return ev.raise("KeyError", pyrepr.Str(first), line)
	}
	return v
}

// formatFieldChain follows ".attr" and "[key]" after a field's first name.
func (ev *evaluator) formatFieldChain(v Value, chain string, line int) Value {
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
	return v
}

// appendPiece appends a formatted piece (a *Str) to sb; anything else (an
// exception, an unresolved value) is returned to stand for the result.
func (ev *evaluator) appendPiece(sb *strings.Builder, piece Value, line int) Value {
	s, ok := piece.(*Str)
	if !ok {
		return piece
	}
	sb.WriteString(s.V)
	if sb.Len() > maxStrLen {
		return ev.unknown(UnknownBudget, line, "string too large")
	}
	return nil
}
