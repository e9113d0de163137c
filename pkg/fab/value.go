package fab

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/pyrepr"
)

// Dict is an ordered Python dict with the source line of each key.
type Dict struct {
	Keys     []string
	Vals     map[string]any
	KeyLines map[string]int
	// Line is where the dict starts (0 when unknown).
	Line int
}

// NewDict returns an empty dict starting at line.
func NewDict(line int) *Dict {
	return &Dict{Vals: map[string]any{}, KeyLines: map[string]int{}, Line: line}
}

// D builds a dict from alternating keys and values (tests and callers that
// construct configs in Go). Lines are unknown.
func D(kv ...any) *Dict {
	d := NewDict(0)
	for i := 0; i+1 < len(kv); i += 2 {
		d.Set(fmt.Sprint(kv[i]), kv[i+1], 0)
	}
	return d
}

// Set adds or replaces a key (a replaced key keeps its position, as in
// Python).
func (d *Dict) Set(k string, v any, line int) {
	if d.Vals == nil {
		d.Vals = map[string]any{}
	}
	if d.KeyLines == nil {
		d.KeyLines = map[string]int{}
	}
	if _, ok := d.Vals[k]; !ok {
		d.Keys = append(d.Keys, k)
	}
	d.Vals[k] = v
	d.KeyLines[k] = line
}

// Get returns a key's value.
func (d *Dict) Get(k string) (any, bool) {
	if d == nil {
		return nil, false
	}
	v, ok := d.Vals[k]
	return v, ok
}

// Has reports whether the key is present.
func (d *Dict) Has(k string) bool { _, ok := d.Get(k); return ok }

// Len is the number of keys.
func (d *Dict) Len() int {
	if d == nil {
		return 0
	}
	return len(d.Keys)
}

// LineOf is the line of key k, else the dict's own line.
func (d *Dict) LineOf(k string) int {
	if d == nil {
		return 0
	}
	if l := d.KeyLines[k]; l > 0 {
		return l
	}
	return d.Line
}

// MarshalJSON keeps the key order.
func (d *Dict) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range d.Keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(d.Vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

// Unresolved is a value the static reader could not determine (an unset
// environment variable, an unevaluated call).
type Unresolved struct {
	Reason string
	Line   int
	// Callee is the dotted name of the call the value comes from, when a
	// call the reader does not evaluate is its first cause
	// ("os.urandom").
	Callee string
}

// MarshalJSON follows design.md: {"unresolved": reason, "line": N}.
func (u *Unresolved) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"unresolved": u.Reason, "line": u.Line})
}

// Opaque is a value JSON cannot hold (a class, a timedelta, a call kept as
// source text).
type Opaque struct {
	Source string
	Line   int
}

// MarshalJSON follows design.md: {"python": source}.
func (o *Opaque) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"python": o.Source})
}

// Unknown reports whether v could not be determined statically.
func Unknown(v any) bool {
	switch v.(type) {
	case *Unresolved, *Opaque:
		return true
	}
	return false
}

// Str returns v as a string when it is one.
func Str(v any) (string, bool) {
	s, ok := v.(string)
	return s, ok
}

// Truthy is Python truthiness; known is false for unresolved values.
// An opaque value (an object) is truthy.
func Truthy(v any) (truth, known bool) {
	switch x := v.(type) {
	case nil:
		return false, true
	case bool:
		return x, true
	case string:
		return x != "", true
	case int64:
		return x != 0, true
	case int:
		return x != 0, true
	case float64:
		return x != 0, true
	case json.Number:
		f, err := x.Float64()
		return err != nil || f != 0, true
	case []any:
		return len(x) > 0, true
	case []string:
		return len(x) > 0, true
	case *Dict:
		return x.Len() > 0, true
	case map[string]any:
		return len(x) > 0, true
	case *Unresolved:
		return false, false
	case *Opaque:
		return true, true
	}
	return true, true
}

// Int returns v as an integer when it is one.
func Int(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case float64:
		if x == float64(int64(x)) {
			return int64(x), true
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, true
		}
	}
	return 0, false
}

// Repr renders a value the way Python would print it (short), for
// messages. Secrets must be redacted by the caller.
func Repr(v any) string { return pyrepr.Value(v, reprOwn) }

// reprOwn renders fab's own value types for pyrepr.Value.
func reprOwn(v any) (string, bool) {
	switch x := v.(type) {
	case *Dict:
		parts := make([]string, 0, x.Len())
		for _, k := range x.Keys {
			parts = append(parts, pyrepr.Str(k)+": "+Repr(x.Vals[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}", true
	case *Unresolved:
		return "<unresolved: " + x.Reason + ">", true
	case *Opaque:
		return x.Source, true
	}
	return "", false
}

// pyType is Python's type name of a JSON-like value, for TypeError texts.
func pyType(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case string:
		return "str"
	case int64, int:
		return "int"
	case float64:
		return "float"
	case json.Number:
		if _, err := v.(json.Number).Int64(); err == nil {
			return "int"
		}
		return "float"
	case []any, []string:
		return "list"
	case *Dict, map[string]any:
		return "dict"
	}
	return "object"
}

// PyStr is Python's str() of a JSON-like value (f-string formatting).
func PyStr(v any) string { return pyrepr.StrOf(v, reprOwn) }

// list returns v's elements when v is a list, tuple or set.
func list(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// plain converts claims (json.Number, nested maps) into the types
// go-jmespath understands (float64, map[string]any, []any).
func plain(v any) any {
	switch x := v.(type) {
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plain(e)
		}
		return out
	case *Dict:
		out := make(map[string]any, x.Len())
		for _, k := range x.Keys {
			out[k] = plain(x.Vals[k])
		}
		return out
	}
	return v
}
