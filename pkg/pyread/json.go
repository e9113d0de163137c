package pyread

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/authdoctor/authdoctor/pkg/pyrepr"
)

// Object is a JSON object that keeps the Python dict's key order when
// marshalled.
type Object struct {
	Keys   []string
	Values map[string]any
}

// MarshalJSON writes the object in key order.
func (o *Object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range o.Keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := marshalNoEscape(&buf, k); err != nil {
			return nil, err
		}
		buf.WriteByte(':')
		if err := marshalNoEscape(&buf, o.Values[k]); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// marshalNoEscape writes v as JSON without HTML escaping, as the CLI's
// JSON output does everywhere ("<redacted>", not "\u003credacted\u003e").
func marshalNoEscape(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	return nil
}

func (o *Object) put(k string, v any) {
	if _, ok := o.Values[k]; !ok {
		o.Keys = append(o.Keys, k)
	}
	o.Values[k] = v
}

// ToJSON maps a value to something encoding/json writes as design.md
// says: None → null, tuple → array, set/frozenset → sorted array, dict →
// object (keys as strings, in insertion order, via *Object), unresolved →
// {"unresolved": reason, "line": N}, and values JSON cannot hold (class,
// function, module, timedelta, bytes, complex, NaN/inf) → {"python":
// source text}. Integers beyond int64 are json.Number.
//
// Output is bounded: past maxJSONNodes nodes (aliased structures such as
// [L] * 100000 can be far larger than the file), the rest is replaced by
// {"python": "…"}.
func ToJSON(v Value) any {
	w := &jsonWalk{active: map[Value]bool{}, budget: maxJSONNodes}
	return w.toJSON(v, 0)
}

const maxJSONNodes = 100_000

type jsonWalk struct {
	active map[Value]bool
	budget int
}

func pyObj(src string) map[string]any { return map[string]any{"python": src} }

func (w *jsonWalk) toJSON(v Value, depth int) any {
	active := w.active
	w.budget--
	if depth > 200 || w.budget < 0 {
		return pyObj("…")
	}
	switch x := v.(type) {
	case nil:
		return nil
	case *NoneValue:
		return nil
	case *Bool:
		return x.V
	case *Int:
		if x.Big != nil {
			return json.Number(x.Big.String())
		}
		return x.V
	case *Float:
		if math.IsNaN(x.V) || math.IsInf(x.V, 0) {
			return pyObj(pyrepr.Float(x.V))
		}
		return json.Number(pyrepr.Float(x.V))
	case *Str:
		return x.V
	case *Bytes:
		return pyObj(pyrepr.Bytes(x.V))
	case *Unresolved:
		return map[string]any{"unresolved": x.Reason, "line": x.Line}
	case *Opaque:
		return pyObj(opaqueSource(x))
	case *List, *Tuple, *Set, *Dict:
		if active[v] {
			return pyObj("[...]")
		}
		active[v] = true
		defer delete(active, v)
	case *boundMethod:
		return pyObj("<method " + x.recv.Type() + "." + x.name + ">")
	case *envMapping:
		return pyObj("os.environ")
	case *rangeValue:
		return pyObj(fmt.Sprintf("range(%d, %d, %d)", x.start, x.stop, x.step))
	case *genValue:
		return pyObj("<generator object>")
	case *viewValue:
		return pyObj(x.kind + "(…)")
	case *Instance:
		return pyObj("<" + x.cls.name + " object>")
	case *HostValue:
		return pyObj(x.source())
	case *ExcClass:
		return pyObj("<class '" + x.Qualname() + "'>")
	default:
		return pyObj("<" + v.Type() + ">")
	}
	switch x := v.(type) {
	case *List:
		return w.seq(x.Elems, depth)
	case *Tuple:
		return w.seq(x.Elems, depth)
	case *Set:
		return w.seq(sortForJSON(x.Elems), depth)
	case *Dict:
		o := &Object{Values: make(map[string]any, len(x.keys))}
		for i, k := range x.keys {
			if w.budget <= 0 {
				o.put("…", pyObj("…")) // the rest is cut, said once
				break
			}
			o.put(JSONKey(k), w.toJSON(x.vals[i], depth+1))
		}
		return o
	}
	return nil
}

// seq converts the elements of a sequence; once the budget is spent the
// rest is one {"python": "…"}, not one placeholder per element.
func (w *jsonWalk) seq(elems []Value, depth int) []any {
	out := make([]any, 0, min(len(elems), max(w.budget, 0)+1))
	for _, e := range elems {
		if w.budget <= 0 {
			return append(out, pyObj("…"))
		}
		out = append(out, w.toJSON(e, depth+1))
	}
	return out
}

func opaqueSource(o *Opaque) string {
	if o.Source != "" {
		return o.Source
	}
	if o.Qualname != "" {
		return o.Qualname
	}
	return "<" + o.Kind + ">"
}

// JSONKey converts a dict key as Python's json.dumps does (str as is,
// int decimal, float repr, True/False/None → true/false/null); other keys
// use their repr, and a key the reader could not compute becomes
// "<unresolved: reason>".
func JSONKey(k Value) string {
	switch x := k.(type) {
	case *Str:
		return x.V
	case *Int:
		return x.String()
	case *Float:
		switch {
		case math.IsNaN(x.V):
			return "NaN"
		case math.IsInf(x.V, 1):
			return "Infinity"
		case math.IsInf(x.V, -1):
			return "-Infinity"
		}
		return pyrepr.Float(x.V)
	case *Bool:
		if x.V {
			return "true"
		}
		return "false"
	case *NoneValue:
		return "null"
	case *Unresolved:
		return "<unresolved: " + x.Reason + ">"
	case *Opaque:
		return opaqueSource(x)
	}
	ev := &evaluator{stmtLimit: math.MaxInt}
	if r, ok := ev.reprOf(k); ok {
		return r
	}
	return "<" + k.Type() + ">"
}

func typeRank(v Value) int {
	switch v.(type) {
	case *NoneValue:
		return 0
	case *Bool, *Int, *Float:
		return 1
	case *Str:
		return 2
	case *Bytes:
		return 3
	case *Tuple:
		return 4
	}
	return 5
}

// sortForJSON orders set elements: by kind (None, numbers, strings, bytes,
// tuples, others), then by Python ordering within a kind.
func sortForJSON(elems []Value) []Value {
	out := append([]Value(nil), elems...)
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := typeRank(out[i]), typeRank(out[j])
		if ri != rj {
			return ri < rj
		}
		c, ok := pyCompare(out[i], out[j])
		if ok {
			return c < 0
		}
		return JSONKey(out[i]) < JSONKey(out[j])
	})
	return out
}

// ToGo converts a value to plain Go for semantic code: string, int64 (or
// *big.Int when it does not fit), float64, bool, nil, []any (list, tuple,
// and set sorted as in ToJSON), map[string]any (dict; keys converted as
// JSONKey does; use the *Dict value itself for insertion order), and
// *Unresolved / *Opaque as they are. bytes become an *Opaque of kind
// "bytes".
func ToGo(v Value) any {
	w := &jsonWalk{active: map[Value]bool{}, budget: maxJSONNodes}
	return w.toGo(v, 0)
}

func (w *jsonWalk) toGo(v Value, depth int) any {
	active := w.active
	w.budget--
	if depth > 200 || w.budget < 0 {
		return &Opaque{Kind: "object", Source: "…"}
	}
	switch x := v.(type) {
	case nil, *NoneValue:
		return nil
	case *Bool:
		return x.V
	case *Int:
		if x.Big != nil {
			return new(big.Int).Set(x.Big)
		}
		return x.V
	case *Float:
		return x.V
	case *Str:
		return x.V
	case *Bytes:
		return &Opaque{Kind: "bytes", Source: pyrepr.Bytes(x.V), Line: x.L}
	case *Unresolved:
		return x
	case *Opaque:
		return x
	case *List, *Tuple, *Set, *Dict:
		if active[v] {
			return &Opaque{Kind: "object", Source: "[...]"}
		}
		active[v] = true
		defer delete(active, v)
		var elems []Value
		switch x := v.(type) {
		case *List:
			elems = x.Elems
		case *Tuple:
			elems = x.Elems
		case *Set:
			elems = sortForJSON(x.Elems)
		case *Dict:
			m := make(map[string]any, len(x.keys))
			for i, k := range x.keys {
				m[JSONKey(k)] = w.toGo(x.vals[i], depth+1)
			}
			return m
		}
		out := make([]any, len(elems))
		for i, e := range elems {
			out[i] = w.toGo(e, depth+1)
		}
		return out
	}
	src, _ := ToJSON(v).(map[string]any)["python"].(string)
	return &Opaque{Kind: "object", Source: src, Line: LineOf(v)}
}

// ---- json.loads ----

// ---- json.dumps ----

type jsonDumpOpts struct {
	sortKeys  bool
	indent    string
	hasIndent bool
	sep       string
	kvsep     string
	noASCII   bool
}

func jsonQuote(s string, ascii bool) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\t':
			sb.WriteString(`\t`)
		case '\b':
			sb.WriteString(`\b`)
		case '\f':
			sb.WriteString(`\f`)
		default:
			switch {
			case r < 0x20:
				fmt.Fprintf(&sb, `\u%04x`, r)
			case r >= 0x80 && ascii:
				if r > 0xffff {
					a, b := utf16.EncodeRune(r)
					fmt.Fprintf(&sb, `\u%04x\u%04x`, a, b)
				} else {
					fmt.Fprintf(&sb, `\u%04x`, r)
				}
			default:
				sb.WriteRune(r)
			}
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

func (ev *evaluator) jsonDumps(v Value, o jsonDumpOpts, level int) (string, Value) {
	if level > 100 {
		return "", ev.raise("RecursionError", "maximum recursion depth exceeded", 0)
	}
	ev.step(1)
	nl := func(l int) string {
		if !o.hasIndent {
			return ""
		}
		return "\n" + strings.Repeat(o.indent, l)
	}
	switch x := v.(type) {
	case *NoneValue:
		return "null", nil
	case *Bool:
		if x.V {
			return "true", nil
		}
		return "false", nil
	case *Int:
		return x.String(), nil
	case *Float:
		switch {
		case math.IsNaN(x.V):
			return "NaN", nil
		case math.IsInf(x.V, 1):
			return "Infinity", nil
		case math.IsInf(x.V, -1):
			return "-Infinity", nil
		}
		return pyrepr.Float(x.V), nil
	case *Str:
		return jsonQuote(x.V, !o.noASCII), nil
	case *List, *Tuple:
		var elems []Value
		if l, ok := x.(*List); ok {
			elems = l.Elems
		} else {
			elems = x.(*Tuple).Elems
		}
		if len(elems) == 0 {
			return "[]", nil
		}
		parts := make([]string, len(elems))
		for i, e := range elems {
			s, bad := ev.jsonDumps(e, o, level+1)
			if bad != nil {
				return "", bad
			}
			parts[i] = s
		}
		return "[" + nl(level+1) + strings.Join(parts, o.sep+nl(level+1)) + nl(level) + "]", nil
	case *Dict:
		if x.unknown > 0 {
			return "", ev.unres(x.L, "json.dumps() of a dict with keys not known statically")
		}
		if len(x.keys) == 0 {
			return "{}", nil
		}
		type kv struct {
			k string
			v Value
		}
		var items []kv
		for i, k := range x.keys {
			var ks string
			switch k.(type) {
			case *Str, *Int, *Float, *Bool, *NoneValue:
				ks = JSONKey(k)
			default:
				return "", ev.raise("TypeError", "keys must be str, int, float, bool or None, not "+k.Type(), x.L)
			}
			items = append(items, kv{ks, x.vals[i]})
		}
		if o.sortKeys {
			sort.SliceStable(items, func(i, j int) bool { return items[i].k < items[j].k })
		}
		parts := make([]string, len(items))
		for i, it := range items {
			s, bad := ev.jsonDumps(it.v, o, level+1)
			if bad != nil {
				return "", bad
			}
			parts[i] = jsonQuote(it.k, !o.noASCII) + o.kvsep + s
		}
		return "{" + nl(level+1) + strings.Join(parts, o.sep+nl(level+1)) + nl(level) + "}", nil
	case *Unresolved:
		return "", propagate(x)
	}
	return "", ev.raise("TypeError", "Object of type "+v.Type()+" is not JSON serializable", LineOf(v))
}

// ---- ast.literal_eval ----

// literalEval parses a string with the reader's own parser and evaluates
// it only if it is a literal (what ast.literal_eval accepts).
func (ev *evaluator) literalEval(s string, line int) Value {
	s = strings.TrimLeft(s, " \t")
	if len(s) > maxStrLen {
		return ev.unknown(UnknownBudget, line, "literal too large")
	}
	sub := &reader{file: "<literal_eval>", src: s}
	p := &parser{src: s, r: sub, sub: true}
	p.lx = &lexer{toks: lexExpr(s, 0, len(s), 1, 0), done: true}
	var x expr
	_, err := p.protect(func() []stmt {
		x = p.parseStarExpressions()
		if p.peek().kind != tEOF {
			p.failHere("")
		}
		return nil
	})
	if err != nil || !isLiteralExpr(x, 0) {
		return ev.raise("ValueError", "malformed node or string", line)
	}
	v := ev.eval(x, ev.globals)
	return relineValue(v, line)
}

func isLiteralExpr(e expr, depth int) bool {
	if depth > 100 {
		return false
	}
	switch x := e.(type) {
	case *constExpr:
		return true
	case *listExpr:
		for _, el := range x.elts {
			if !isLiteralExpr(el, depth+1) {
				return false
			}
		}
		return true
	case *tupleExpr:
		for _, el := range x.elts {
			if !isLiteralExpr(el, depth+1) {
				return false
			}
		}
		return true
	case *setExpr:
		for _, el := range x.elts {
			if !isLiteralExpr(el, depth+1) {
				return false
			}
		}
		return true
	case *dictExpr:
		for i, k := range x.keys {
			if k == nil || !isLiteralExpr(k, depth+1) || !isLiteralExpr(x.values[i], depth+1) {
				return false
			}
		}
		return true
	case *unaryExpr:
		if x.op == "-" || x.op == "+" {
			_, ok := x.x.(*constExpr)
			return ok
		}
	case *binExpr:
		if x.op == "+" || x.op == "-" {
			_, l := x.l.(*constExpr)
			r, ok := x.r.(*constExpr)
			if ok {
				o, isO := r.val.(*Opaque)
				return l && isO && o.Kind == "complex"
			}
		}
	}
	return false
}

// relineValue attributes literal values parsed from a string to line.
func relineValue(v Value, line int) Value {
	switch x := v.(type) {
	case *Str:
		return mkStr(x.V, line)
	case *Int:
		c := *x
		c.L = line
		return &c
	case *Float:
		return mkFloat(x.V, line)
	case *Bool:
		return mkBool(x.V, line)
	case *NoneValue:
		return mkNone(line)
	case *List:
		for i, e := range x.Elems {
			x.Elems[i] = relineValue(e, line)
		}
		x.L = line
	case *Tuple:
		for i, e := range x.Elems {
			x.Elems[i] = relineValue(e, line)
		}
		x.L = line
	case *Dict:
		for i, e := range x.vals {
			x.vals[i] = relineValue(e, line)
			x.lines[i] = line
		}
		x.L = line
	}
	return v
}
