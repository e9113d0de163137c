package usercode

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// object is a host made of Go functions: the objects the user's code
// talks to (FAB's security manager, authlib's remote, a response, PyJWT)
// answer each operation statically, never by running anything.
type object struct {
	typ string
	// attr answers obj.name; ok false: no such attribute (AttributeError
	// as CPython words it).
	attr func(name string, line int) (pyread.Value, bool)
	item func(key pyread.Value, line int) pyread.Value
	call func(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value
	// set takes obj.name = v (nil: the assignment is not modelled).
	set func(name string, v pyread.Value, line int)
	// truth is the object's truth value when known.
	truth *bool
}

func (o *object) TypeName() string { return o.typ }

func (o *object) GetAttr(name string, line int) (pyread.Value, bool) {
	if o.attr == nil {
		return nil, false
	}
	return o.attr(name, line)
}

func (o *object) GetItem(key pyread.Value, line int) pyread.Value {
	if o.item == nil {
		return pyread.Raise(pyread.BuiltinExc("TypeError"), "'"+o.typ+"' object is not subscriptable")
	}
	return o.item(key, line)
}

func (o *object) Call(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value {
	if o.call == nil {
		return pyread.Raise(pyread.BuiltinExc("TypeError"), "'"+o.typ+"' object is not callable")
	}
	return o.call(args, kw, line)
}

func (o *object) Truth() (bool, bool) {
	if o.truth == nil {
		return true, o.call != nil // functions and methods are true
	}
	return *o.truth, true
}

func (o *object) value() *pyread.HostValue { return pyread.NewHost(o) }

// fn is a callable host (a function or bound method).
func fn(call func(args []pyread.Value, kw []pyread.KwArg, line int) pyread.Value) *pyread.HostValue {
	return (&object{typ: "method", call: call}).value()
}

// returns is a callable that always returns v.
func returns(v pyread.Value) *pyread.HostValue {
	return fn(func([]pyread.Value, []pyread.KwArg, int) pyread.Value { return v })
}

// unknown is an answer that depends on something outside the file; the
// reader names the call or access that asked.
func unknown(format string, a ...any) *pyread.Unresolved {
	return &pyread.Unresolved{Reason: fmt.Sprintf(format, a...), Kind: pyread.UnknownCall}
}

// attrs answers attributes from a table; names not in it are absent.
func attrs(m map[string]pyread.Value) func(string, int) (pyread.Value, bool) {
	return func(name string, _ int) (pyread.Value, bool) {
		v, ok := m[name]
		return v, ok
	}
}

func raise(typ, msg string) pyread.Value { return pyread.Raise(pyread.BuiltinExc(typ), msg) }

// arg is the i-th positional argument or the keyword name, nil when
// absent.
func arg(args []pyread.Value, kw []pyread.KwArg, i int, name string) pyread.Value {
	if i >= 0 && i < len(args) {
		return args[i]
	}
	for _, k := range kw {
		if k.Name == name {
			return k.Value
		}
	}
	return nil
}

// str is a string argument.
func str(v pyread.Value) (string, bool) {
	s, ok := v.(*pyread.Str)
	if !ok {
		return "", false
	}
	return s.V, true
}

// isNone reports Python's None (or an absent argument).
func isNone(v pyread.Value) bool {
	if v == nil {
		return true
	}
	_, ok := v.(*pyread.NoneValue)
	return ok
}

// unresolvedIn returns the first unknown argument, if any: a host cannot
// answer for a value the reader does not know.
func unresolvedIn(args []pyread.Value, kw []pyread.KwArg) *pyread.Unresolved {
	for _, a := range args {
		if u, ok := a.(*pyread.Unresolved); ok {
			return u
		}
	}
	for _, k := range kw {
		if u, ok := k.Value.(*pyread.Unresolved); ok {
			return u
		}
	}
	return nil
}

// fromFab turns pkg/fab's plain values (a *fab.Dict keeps its order)
// into reader values, through JSON.
func fromFab(v any) pyread.Value {
	b, err := json.Marshal(v)
	if err != nil {
		return &pyread.Unresolved{Reason: "value not representable: " + err.Error(), Kind: pyread.UnknownUnsupported}
	}
	out, err := pyread.ParseJSON(string(b))
	if err != nil {
		return &pyread.Unresolved{Reason: "value not representable: " + err.Error(), Kind: pyread.UnknownUnsupported}
	}
	return out
}

// pyStrOf is str(v) for the values a message needs.
func pyStrOf(v pyread.Value) string {
	if s, ok := v.(*pyread.Str); ok {
		return s.V
	}
	b, _ := json.Marshal(pyread.ToJSON(v))
	return strings.Trim(string(b), `"`)
}

// mustDict is the reader value of a JSON object (nil when it is not one).
func mustDict(src []byte) (*pyread.Dict, error) {
	v, err := pyread.ParseJSON(string(src))
	if err != nil {
		return nil, err
	}
	d, ok := v.(*pyread.Dict)
	if !ok {
		return nil, fmt.Errorf("not a JSON object but a %s", v.Type())
	}
	return d, nil
}

// plainOf is a reader value as pkg/fab's plain values (what the
// user-info dict holds).
func (e *Evaluator) plainOf(v pyread.Value) any {
	if e.code.finder.Convert != nil {
		return e.code.finder.Convert(v)
	}
	return pyread.ToGo(v)
}

// claims reads a JSON object as pkg/fab's map of claims.
func claimsOf(d *pyread.Dict) map[string]any {
	m, _ := pyread.ToGo(d).(map[string]any)
	return m
}

// SetAttr is obj.name = v, for objects whose attributes the code may set
// (a User's roles); it reports whether the object took it.
func (o *object) SetAttr(name string, v pyread.Value, line int) bool {
	if o.set == nil {
		return false
	}
	o.set(name, v, line)
	return true
}
