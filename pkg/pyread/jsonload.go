package pyread

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// json.loads as CPython 3.11's json module (its C scanner) reads a
// document: the same values (big integers, NaN and Infinity, the last of
// duplicate keys in the place of the first) and, for a document it
// refuses, the same JSONDecodeError message ("Expecting value: line 1
// column 1 (char 0)"), positions counted in characters.

// ParseJSON reads a JSON document as json.loads does (objects keep their
// keys' order), for values a caller passes to CallFunction or CallMethod
// (a token's claims, a user-info document). The error is CPython's
// JSONDecodeError message.
func ParseJSON(src string) (Value, error) {
	v, msg := jsonLoad(src, 0)
	if msg != "" {
		return nil, errors.New(msg)
	}
	return v, nil
}

// jsonScan is a document being read.
type jsonScan struct {
	s     []rune
	line  int
	depth int
	// surrogate is set when a string holds a lone surrogate escape.
	surrogate bool
}

// jsonFail is a JSONDecodeError: the message and the position it names.
type jsonFail struct {
	msg string
	pos int
}

// jsonLoad reads a JSON document; the error is CPython's message.
func jsonLoad(src string, line int) (Value, string) {
	sc := &jsonScan{s: []rune(src), line: line}
	if len(sc.s) > 0 && sc.s[0] == '\ufeff' {
		return nil, sc.message(jsonFail{"Unexpected UTF-8 BOM (decode using utf-8-sig)", 0})
	}
	v, end, f := sc.value(sc.ws(0))
	if f != nil {
		return nil, sc.message(*f)
	}
	if end = sc.ws(end); end != len(sc.s) {
		return nil, sc.message(jsonFail{"Extra data", end})
	}
	if sc.surrogate {
		return &Unresolved{Reason: "a JSON string with a lone surrogate (\\ud800-\\udfff) is not supported", Line: line, Kind: UnknownUnsupported}, ""
	}
	return v, ""
}

// message is JSONDecodeError's text: "msg: line L column C (char N)".
func (sc *jsonScan) message(f jsonFail) string {
	line, lastNL := 1, -1
	for i := 0; i < f.pos && i < len(sc.s); i++ {
		if sc.s[i] == '\n' {
			line++
			lastNL = i
		}
	}
	return fmt.Sprintf("%s: line %d column %d (char %d)", f.msg, line, f.pos-lastNL, f.pos)
}

func isJSONSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// ws skips white space from i.
func (sc *jsonScan) ws(i int) int {
	for i < len(sc.s) && isJSONSpace(sc.s[i]) {
		i++
	}
	return i
}

func (sc *jsonScan) at(i int) rune {
	if i < len(sc.s) {
		return sc.s[i]
	}
	return 0
}

func (sc *jsonScan) has(i int, lit string) bool {
	if i+len(lit) > len(sc.s) {
		return false
	}
	return string(sc.s[i:i+len(lit)]) == lit
}

// value is scan_once: a value starting exactly at i ("Expecting value"
// when there is none).
func (sc *jsonScan) value(i int) (Value, int, *jsonFail) {
	if sc.depth > 200 {
		return nil, i, &jsonFail{"Expecting value", i}
	}
	line := sc.line
	switch c := sc.at(i); {
	case i >= len(sc.s):
	case c == '"':
		s, end, f := sc.str(i + 1)
		return mkStr(s, line), end, f
	case c == '{':
		sc.depth++
		defer func() { sc.depth-- }()
		return sc.object(i + 1)
	case c == '[':
		sc.depth++
		defer func() { sc.depth-- }()
		return sc.array(i + 1)
	case c == 'n' && sc.has(i, "null"):
		return mkNone(line), i + 4, nil
	case c == 't' && sc.has(i, "true"):
		return mkBool(true, line), i + 4, nil
	case c == 'f' && sc.has(i, "false"):
		return mkBool(false, line), i + 5, nil
	case c == 'N' && sc.has(i, "NaN"):
		return mkFloat(math.NaN(), line), i + 3, nil
	case c == 'I' && sc.has(i, "Infinity"):
		return mkFloat(math.Inf(1), line), i + 8, nil
	case c == '-' && sc.has(i, "-Infinity"):
		return mkFloat(math.Inf(-1), line), i + 9, nil
	default:
		if v, end, ok := sc.number(i); ok {
			return v, end, nil
		}
	}
	return nil, i, &jsonFail{"Expecting value", i}
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?.
func (sc *jsonScan) number(i int) (Value, int, bool) {
	start, j := i, i
	if sc.at(j) == '-' {
		j++
	}
	digits := func() int {
		n := 0
		for sc.at(j) >= '0' && sc.at(j) <= '9' {
			j++
			n++
		}
		return n
	}
	switch {
	case sc.at(j) == '0':
		j++
	case sc.at(j) >= '1' && sc.at(j) <= '9':
		digits()
	default:
		return nil, i, false
	}
	isFloat := false
	if sc.at(j) == '.' && sc.at(j+1) >= '0' && sc.at(j+1) <= '9' {
		j++
		digits()
		isFloat = true
	}
	if c := sc.at(j); c == 'e' || c == 'E' {
		k := j + 1
		if sc.at(k) == '+' || sc.at(k) == '-' {
			k++
		}
		if sc.at(k) >= '0' && sc.at(k) <= '9' {
			j = k
			digits()
			isFloat = true
		}
	}
	text := string(sc.s[start:j])
	if !isFloat {
		if len(text) > 4300 {
			return nil, i, false
		}
		b, _ := new(big.Int).SetString(text, 10)
		return mkBigInt(b, sc.line), j, true
	}
	f, _ := strconv.ParseFloat(text, 64)
	return mkFloat(f, sc.line), j, true
}

// str reads a string whose opening quote is just before i.
func (sc *jsonScan) str(i int) (string, int, *jsonFail) {
	begin := i - 1
	var sb strings.Builder
	for {
		if i >= len(sc.s) {
			return "", i, &jsonFail{"Unterminated string starting at", begin}
		}
		c := sc.s[i]
		switch {
		case c == '"':
			return sb.String(), i + 1, nil
		case c < 0x20:
			return "", i, &jsonFail{"Invalid control character at", i}
		case c != '\\':
			sb.WriteRune(c)
			i++
			continue
		}
		// an escape
		i++
		if i >= len(sc.s) {
			return "", i, &jsonFail{"Unterminated string starting at", begin}
		}
		if e := sc.s[i]; e != 'u' {
			r := jsonEscape(e)
			if r < 0 {
				return "", i, &jsonFail{"Invalid \\escape", i - 1}
			}
			sb.WriteRune(r)
			i++
			continue
		}
		u, ok := sc.hex4(i + 1)
		if !ok {
			return "", i, &jsonFail{"Invalid \\uXXXX escape", i}
		}
		i += 5
		if u >= 0xd800 && u <= 0xdbff && sc.at(i) == '\\' && sc.at(i+1) == 'u' {
			if u2, ok := sc.hex4(i + 2); ok && u2 >= 0xdc00 && u2 <= 0xdfff {
				u = 0x10000 + (u-0xd800)<<10 + (u2 - 0xdc00)
				i += 6
			} else if !ok {
				return "", i, &jsonFail{"Invalid \\uXXXX escape", i + 1}
			}
		}
		if u >= 0xd800 && u <= 0xdfff {
			// a lone surrogate: CPython keeps it in the str, a Go string
			// cannot hold it
			sc.surrogate = true
		}
		sb.WriteRune(rune(u))
	}
}

// hex4 reads four hex digits at i.
func (sc *jsonScan) hex4(i int) (int, bool) {
	if i+4 > len(sc.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(sc.s[i:i+4]), 16, 32)
	return int(n), err == nil && !strings.ContainsAny(string(sc.s[i:i+4]), "+-xX_")
}

// object reads the members of an object whose '{' is just before i.
func (sc *jsonScan) object(i int) (Value, int, *jsonFail) {
	d := newDict(sc.line)
	i = sc.ws(i)
	if sc.at(i) == '}' {
		return d, i + 1, nil
	}
	for {
		if sc.at(i) != '"' || i >= len(sc.s) {
			return nil, i, &jsonFail{"Expecting property name enclosed in double quotes", i}
		}
		key, end, f := sc.str(i + 1)
		if f != nil {
			return nil, end, f
		}
		i = sc.ws(end)
		if sc.at(i) != ':' || i >= len(sc.s) {
			return nil, i, &jsonFail{"Expecting ':' delimiter", i}
		}
		v, end, f := sc.value(sc.ws(i + 1))
		if f != nil {
			return nil, end, f
		}
		d.set(mkStr(key, sc.line), v, sc.line)
		i = sc.ws(end)
		switch sc.at(i) {
		case '}':
			if i < len(sc.s) {
				return d, i + 1, nil
			}
		case ',':
			i = sc.ws(i + 1)
			continue
		}
		return nil, i, &jsonFail{"Expecting ',' delimiter", i}
	}
}

// array reads the items of an array whose '[' is just before i.
func (sc *jsonScan) array(i int) (Value, int, *jsonFail) {
	var items []Value
	i = sc.ws(i)
	if sc.at(i) == ']' {
		return mkList(items, sc.line), i + 1, nil
	}
	for {
		v, end, f := sc.value(i)
		if f != nil {
			return nil, end, f
		}
		items = append(items, v)
		i = sc.ws(end)
		switch sc.at(i) {
		case ']':
			if i < len(sc.s) {
				return mkList(items, sc.line), i + 1, nil
			}
		case ',':
			i = sc.ws(i + 1)
			continue
		}
		return nil, i, &jsonFail{"Expecting ',' delimiter", i}
	}
}

// jsonEscape is the character a one-letter escape stands for (-1: none).
func jsonEscape(e rune) rune {
	switch e {
	case '"', '\\', '/':
		return e
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return -1
}
