// Package pyrepr writes values the way CPython's repr() and str() do: the
// one rendering of Python values for the reader (pyread), FAB semantics
// (fab.Repr) and authlib's messages. It knows only text and JSON-like Go
// values; the reader's own value types are rendered by pyread with these.
package pyrepr

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Float is Python's repr(float).
func Float(f float64) string {
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

// Str is Python's repr(str).
func Str(s string) string {
	q := quote(s)
	var sb strings.Builder
	sb.Grow(len(s) + 2)
	sb.WriteByte(q)
	for _, r := range s {
		switch {
		case r < 0x80:
			if !escapeASCII(&sb, byte(r), q) {
				sb.WriteRune(r)
			}
		case isPrintable(r):
			sb.WriteRune(r)
		default:
			escapeRune(&sb, r)
		}
	}
	sb.WriteByte(q)
	return sb.String()
}

// escapeRune writes the \x, \u or \U escape of a non-ASCII character.
func escapeRune(sb *strings.Builder, r rune) {
	switch {
	case r <= 0xff:
		fmt.Fprintf(sb, `\x%02x`, r)
	case r <= 0xffff:
		fmt.Fprintf(sb, `\u%04x`, r)
	default:
		fmt.Fprintf(sb, `\U%08x`, r)
	}
}

// quote is the quote repr() puts around a str or bytes: ' unless the
// text holds ' and no ".
func quote(s string) byte {
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		return '"'
	}
	return '\''
}

// escapeASCII writes repr()'s escape for the quote, a backslash or a
// control character; false when c stands for itself.
func escapeASCII(sb *strings.Builder, c, q byte) bool {
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
	case c < 0x20 || c == 0x7f:
		fmt.Fprintf(sb, `\x%02x`, c)
	default:
		return false
	}
	return true
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

// Bytes is Python's repr(bytes).
func Bytes(s string) string {
	q := quote(s)
	var sb strings.Builder
	sb.WriteString("b")
	sb.WriteByte(q)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if escapeASCII(&sb, c, q) {
			continue
		}
		if c >= 0x80 {
			fmt.Fprintf(&sb, `\x%02x`, c)
		} else {
			sb.WriteByte(c)
		}
	}
	sb.WriteByte(q)
	return sb.String()
}

// ASCII is what ascii() adds to repr(str): every non-ASCII character
// escaped.
func ASCII(s string) string {
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			sb.WriteRune(r)
		default:
			escapeRune(&sb, r)
		}
	}
	return sb.String()
}

// Value is repr() of a JSON-like Go value (nil, bool, string, numbers,
// json.Number, []any, []string, map[string]any with its keys sorted).
// other renders the caller's own types first (it may call back into
// Value for their elements); nil means none.
func Value(v any, other func(any) (string, bool)) string {
	if other != nil {
		if s, ok := other(v); ok {
			return s
		}
	}
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case string:
		return Str(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return Float(x)
	case json.Number:
		return x.String()
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = Value(e, other)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []string:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = Str(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, Str(k)+": "+Value(x[k], other))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// StrOf is str() of a JSON-like value: a string as it is, anything else
// as repr() (what an f-string or "%s" writes).
func StrOf(v any, other func(any) (string, bool)) string {
	if s, ok := v.(string); ok {
		return s
	}
	return Value(v, other)
}
