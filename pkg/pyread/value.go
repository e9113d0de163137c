package pyread

import (
	"math/big"
	"strconv"
	"time"
)

// Value is a Python value as far as the reader could compute it. The
// concrete types are *NoneValue, *Bool, *Int, *Float, *Str, *Bytes, *List,
// *Tuple, *Set, *Dict, *Unresolved and *Opaque, plus a few internal ones
// (bound methods, os.environ, range objects) that only appear when a file
// binds such an object to a name; ToJSON and ToGo render those as opaque.
type Value interface {
	// Type is the Python type name ("str", "int", "dict", ...), or
	// "unresolved" / "opaque".
	Type() string
	pyline() int
}

// LineOf is the source line the value came from (the literal or the
// expression that produced it), 0 when unknown.
func LineOf(v Value) int {
	if v == nil {
		return 0
	}
	return v.pyline()
}

// NoneValue is Python's None.
type NoneValue struct{ L int }

// Bool is True or False.
type Bool struct {
	V bool
	L int
}

// Int is a Python int. Big is set (and V meaningless) when the value does
// not fit in an int64.
type Int struct {
	V   int64
	Big *big.Int
	L   int
}

// Float is a Python float.
type Float struct {
	V float64
	L int
}

// Str is a Python str (UTF-8).
type Str struct {
	V string
	L int
}

// Bytes is a Python bytes object.
type Bytes struct {
	V string
	L int
}

// List is a Python list.
type List struct {
	Elems []Value
	L     int
}

// Tuple is a Python tuple.
type Tuple struct {
	Elems []Value
	L     int
}

// Set is a Python set or frozenset, in insertion order.
type Set struct {
	Elems  []Value
	Frozen bool
	L      int
	index  map[hkey]int
}

// hkey is a canonical dict/set key (no allocation for str and small int
// keys).
type hkey struct {
	k byte
	s string
	n int64
}

// Dict is a Python dict; it keeps insertion order.
type Dict struct {
	keys  []Value
	vals  []Value
	lines []int
	index map[hkey]int
	L     int
	// unknown counts entries whose key is an *Unresolved.
	unknown int
}

// Unresolved is a value the reader could not compute, with the reason and
// the line where that happened. Alternatives lists the possible values when
// the value depends on a condition the reader cannot decide.
//
// Reason is for people; Kind, Env, Callee, Call and Cause are the same
// facts for programs, which never need to read Reason.
type Unresolved struct {
	Reason       string
	Line         int
	Alternatives []Alternative `json:",omitempty"`
	// Env names the environment variables whose absence caused this, so a
	// caller can say how to supply them.
	Env []string `json:",omitempty"`
	// Kind says why the value is not known.
	Kind UnknownKind `json:",omitempty"`
	// Callee and Call describe the call a value of kind UnknownCall (or
	// UnknownDecorated) comes from: the dotted name the callee resolves to
	// through the file's imports ("requests.get", "self.find_user" when
	// it resolves to nothing better) and the source text of the call.
	Callee string `json:",omitempty"`
	Call   string `json:",omitempty"`
	// Cause is the unknown value this one derives from (the condition a
	// branch depended on, the value a loop iterated over); nil when this
	// value is itself the first cause. Root follows it.
	Cause *Unresolved `json:"-"`

	raises string // Python exception type CPython would raise here, if known
	// unsetNone marks os.getenv(X) / os.environ.get(X) of a variable the
	// environment lacks: CPython gives None, which the code may test for.
	unsetNone bool
}

// UnknownKind classifies why a value is not known.
type UnknownKind string

// The kinds of unknown values.
const (
	// UnknownUnsupported: an operation, method or attribute the reader
	// does not model.
	UnknownUnsupported UnknownKind = "unsupported"
	// UnknownEnv: an environment variable the environment does not have;
	// Env names it, and Reason says how to supply it.
	UnknownEnv UnknownKind = "env"
	// UnknownCall: a call the reader does not evaluate: an imported
	// function, a builtin that would open, run or import something, a
	// call the caller's hook or host left unanswered. Callee and Call say
	// which.
	UnknownCall UnknownKind = "call"
	// UnknownDecorated: a call of a function or method whose decorator the
	// reader does not apply.
	UnknownDecorated UnknownKind = "decorated"
	// UnknownImported: a name or attribute of a module the reader does not
	// read (`from m import *`, an attribute of an imported object).
	UnknownImported UnknownKind = "imported"
	// UnknownBudget: the evaluation budget, or a bound on nesting or on
	// the size of a value, was reached.
	UnknownBudget UnknownKind = "budget"
	// UnknownLoop: assigned in a while loop the reader does not run, or
	// computed after a loop that never ends.
	UnknownLoop UnknownKind = "loop"
	// UnknownMatch: assigned in a match statement (not evaluated).
	UnknownMatch UnknownKind = "match"
	// UnknownSetOrder: depends on the iteration order of a set of strings,
	// which string hashing decides.
	UnknownSetOrder UnknownKind = "set-order"
	// UnknownCondition: depends on a condition the reader could not
	// decide (Alternatives may list the branches); Cause is what the
	// condition depended on, when known.
	UnknownCondition UnknownKind = "condition"
	// UnknownRaises: CPython raises an exception here.
	UnknownRaises UnknownKind = "raises"
)

// Root is the first cause of u: u itself, or what its Cause chain leads
// to.
func (u *Unresolved) Root() *Unresolved {
	for i := 0; u.Cause != nil && i < 1000; i++ {
		u = u.Cause
	}
	return u
}

// Alternative is one possible value of a conditional setting.
type Alternative struct {
	// Condition is the source text of the branch condition, "else", or a
	// description such as "if the loop body runs".
	Condition string
	Line      int
	// Value is nil when the name is not set on this path.
	Value Value
}

// Opaque is a value JSON cannot hold: a class, a function, a module, an
// imported name the reader does not know, a timedelta, bytes, a complex
// number. Source is a short source-like text for it.
type Opaque struct {
	// Kind is "class", "function", "lambda", "module", "import", "builtin",
	// "timedelta", "complex", "exception", "bytes" or "object".
	Kind   string
	Source string
	Line   int
	// Qualname is the dotted name of an imported object or module
	// ("superset.security.SupersetSecurityManager"), or a class's name.
	Qualname string `json:",omitempty"`
	// Bases are the dotted names (or source text) of a class's bases.
	Bases []string `json:",omitempty"`
	// Attrs holds a class's attributes (Class.ATTR).
	Attrs *Dict `json:"-"`
	// Duration is a timedelta's value.
	Duration time.Duration `json:",omitempty"`

	fn       *funcValue
	baseVals []Value
	// cls is a class defined in the file; exc the exception an exception
	// instance stands for (its classes, for except clauses).
	cls *classInfo
	exc *pyExc
}

// funcValue is a function defined in the file (def or lambda).
type funcValue struct {
	def       *funcDef
	lambda    *lambdaExpr
	defaults  []Value // per param; nil when none
	closure   *scope
	decorated bool
	// owner is the class whose body defined the function (for super()).
	owner *classInfo
}

func (*NoneValue) Type() string  { return "NoneType" }
func (*Bool) Type() string       { return "bool" }
func (*Int) Type() string        { return "int" }
func (*Float) Type() string      { return "float" }
func (*Str) Type() string        { return "str" }
func (*Bytes) Type() string      { return "bytes" }
func (*List) Type() string       { return "list" }
func (*Tuple) Type() string      { return "tuple" }
func (*Dict) Type() string       { return "dict" }
func (*Unresolved) Type() string { return "unresolved" }
func (*Opaque) Type() string     { return "opaque" }
func (s *Set) Type() string {
	if s.Frozen {
		return "frozenset"
	}
	return "set"
}

func (v *NoneValue) pyline() int  { return v.L }
func (v *Bool) pyline() int       { return v.L }
func (v *Int) pyline() int        { return v.L }
func (v *Float) pyline() int      { return v.L }
func (v *Str) pyline() int        { return v.L }
func (v *Bytes) pyline() int      { return v.L }
func (v *List) pyline() int       { return v.L }
func (v *Tuple) pyline() int      { return v.L }
func (v *Set) pyline() int        { return v.L }
func (v *Dict) pyline() int       { return v.L }
func (v *Unresolved) pyline() int { return v.Line }
func (v *Opaque) pyline() int     { return v.Line }

// Error makes *Unresolved usable as an error in callers' code.
func (u *Unresolved) Error() string { return u.Reason }

// ---- internal values ----

// boundMethod is a method looked up on a value: "abc".upper.
type boundMethod struct {
	recv Value
	name string
	L    int
}

func (*boundMethod) Type() string  { return "method" }
func (b *boundMethod) pyline() int { return b.L }

// envMapping is os.environ.
type envMapping struct{ L int }

func (*envMapping) Type() string  { return "os._Environ" }
func (e *envMapping) pyline() int { return e.L }

// rangeValue is range(start, stop, step).
type rangeValue struct {
	start, stop, step int64
	L                 int
}

func (*rangeValue) Type() string  { return "range" }
func (r *rangeValue) pyline() int { return r.L }

func (r *rangeValue) length() int64 {
	if r.step > 0 && r.start < r.stop {
		return (r.stop - r.start + r.step - 1) / r.step
	}
	if r.step < 0 && r.start > r.stop {
		return (r.start - r.stop - r.step - 1) / (-r.step)
	}
	return 0
}

// elemsOf returns the items of a list, tuple or set.
func elemsOf(v Value) ([]Value, bool) {
	switch v := v.(type) {
	case *List:
		return v.Elems, true
	case *Tuple:
		return v.Elems, true
	case *Set:
		return v.Elems, true
	}
	return nil, false
}

// ---- constructors ----

func mkStr(s string, line int) *Str      { return &Str{V: s, L: line} }
func mkInt(i int64, line int) *Int       { return &Int{V: i, L: line} }
func mkFloat(f float64, line int) *Float { return &Float{V: f, L: line} }
func mkBool(b bool, line int) *Bool      { return &Bool{V: b, L: line} }
func mkNone(line int) *NoneValue         { return &NoneValue{L: line} }
func mkList(e []Value, line int) *List   { return &List{Elems: e, L: line} }
func mkTuple(e []Value, line int) *Tuple { return &Tuple{Elems: e, L: line} }
func unresolved(line int, reason string) *Unresolved {
	return &Unresolved{Reason: reason, Line: line, Kind: UnknownUnsupported}
}

func mkBigInt(b *big.Int, line int) *Int {
	if b.IsInt64() {
		return &Int{V: b.Int64(), L: line}
	}
	return &Int{Big: b, L: line}
}

func (i *Int) big() *big.Int {
	if i.Big != nil {
		return i.Big
	}
	return big.NewInt(i.V)
}

// String renders the int in decimal.
func (i *Int) String() string {
	if i.Big != nil {
		return i.Big.String()
	}
	return strconv.FormatInt(i.V, 10)
}

// NewDict returns an empty dict.
func newDict(line int) *Dict { return &Dict{index: map[hkey]int{}, L: line} }

func newDictCap(line, n int) *Dict {
	return &Dict{index: make(map[hkey]int, n), keys: make([]Value, 0, n), vals: make([]Value, 0, n), lines: make([]int, 0, n), L: line}
}
