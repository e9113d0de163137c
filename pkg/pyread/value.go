package pyread

import (
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
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
type Unresolved struct {
	Reason       string
	Line         int
	Alternatives []Alternative `json:",omitempty"`
	// Env names the environment variables whose absence caused this, so a
	// caller can say how to supply them.
	Env []string `json:",omitempty"`

	raises string // Python exception type CPython would raise here, if known
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
}

// funcValue is a function defined in the file (def or lambda).
type funcValue struct {
	def       *funcDef
	lambda    *lambdaExpr
	defaults  []Value // per param; nil when none
	closure   *scope
	decorated bool
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

// ---- constructors ----

func mkStr(s string, line int) *Str      { return &Str{V: s, L: line} }
func mkInt(i int64, line int) *Int       { return &Int{V: i, L: line} }
func mkFloat(f float64, line int) *Float { return &Float{V: f, L: line} }
func mkBool(b bool, line int) *Bool      { return &Bool{V: b, L: line} }
func mkNone(line int) *NoneValue         { return &NoneValue{L: line} }
func mkList(e []Value, line int) *List   { return &List{Elems: e, L: line} }
func mkTuple(e []Value, line int) *Tuple { return &Tuple{Elems: e, L: line} }
func unresolved(line int, reason string) *Unresolved {
	return &Unresolved{Reason: reason, Line: line}
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

// Len is the number of entries.
func (d *Dict) Len() int { return len(d.keys) }

// Keys returns the keys in insertion order.
func (d *Dict) Keys() []Value { return append([]Value(nil), d.keys...) }

// Values returns the values in insertion order.
func (d *Dict) Values() []Value { return append([]Value(nil), d.vals...) }

// EntryLine is the source line of the i-th entry (where its key was set).
func (d *Dict) EntryLine(i int) int { return d.lines[i] }

// Lookup finds the value of a str key.
func (d *Dict) Lookup(key string) (Value, bool) {
	i, ok := d.index[hkey{k: 's', s: key}]
	if !ok {
		return nil, false
	}
	return d.vals[i], true
}

// LookupLine is the line of the entry of a str key (0 when absent).
func (d *Dict) LookupLine(key string) int {
	i, ok := d.index[hkey{k: 's', s: key}]
	if !ok {
		return 0
	}
	return d.lines[i]
}

func (d *Dict) get(k Value) (Value, bool, bool) {
	h, ok := hashKey(k)
	if !ok {
		return nil, false, false
	}
	i, found := d.index[h]
	if !found {
		return nil, false, true
	}
	return d.vals[i], true, true
}

// set stores k: v; false when k is not hashable (or not known).
func (d *Dict) set(k, v Value, line int) bool {
	h, ok := hashKey(k)
	if !ok {
		return false
	}
	if i, found := d.index[h]; found {
		d.vals[i] = v
		d.lines[i] = line
		return true
	}
	d.index[h] = len(d.keys)
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
	d.lines = append(d.lines, line)
	return true
}

func (d *Dict) del(k Value) (found, ok bool) {
	h, ok := hashKey(k)
	if !ok {
		return false, false
	}
	i, found := d.index[h]
	if !found {
		return false, true
	}
	d.keys = append(d.keys[:i], d.keys[i+1:]...)
	d.vals = append(d.vals[:i], d.vals[i+1:]...)
	d.lines = append(d.lines[:i], d.lines[i+1:]...)
	d.reindex()
	return true, true
}

func (d *Dict) reindex() {
	d.index = make(map[hkey]int, len(d.keys))
	d.unknown = 0
	for i, k := range d.keys {
		d.index[dictKey(k)] = i
		if _, ok := k.(*Unresolved); ok {
			d.unknown++
		}
	}
}

// dictKey is hashKey, with unresolved keys kept apart by identity.
func dictKey(k Value) hkey {
	if u, ok := k.(*Unresolved); ok {
		return hkey{k: 'u', n: int64(ptrID(u))}
	}
	h, _ := hashKey(k)
	return h
}

// setUnknown adds an entry whose key the reader could not compute.
func (d *Dict) setUnknown(k *Unresolved, v Value, line int) {
	h := dictKey(k)
	if i, found := d.index[h]; found {
		d.vals[i] = v
		return
	}
	d.index[h] = len(d.keys)
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
	d.lines = append(d.lines, line)
	d.unknown++
}

// setRaw appends an entry copied from another dict.
func (d *Dict) setRaw(k, v Value, line int) {
	if u, ok := k.(*Unresolved); ok {
		d.setUnknown(u, v, line)
		return
	}
	d.set(k, v, line)
}

func newSet(line int, frozen bool) *Set {
	return &Set{index: map[hkey]int{}, L: line, Frozen: frozen}
}

func (s *Set) add(v Value) bool {
	h, ok := hashKey(v)
	if !ok {
		return false
	}
	if _, found := s.index[h]; found {
		return true
	}
	s.index[h] = len(s.Elems)
	s.Elems = append(s.Elems, v)
	return true
}

func (s *Set) has(v Value) (bool, bool) {
	h, ok := hashKey(v)
	if !ok {
		return false, false
	}
	_, found := s.index[h]
	return found, true
}

func (s *Set) remove(v Value) bool {
	h, ok := hashKey(v)
	if !ok {
		return false
	}
	i, found := s.index[h]
	if !found {
		return true
	}
	s.Elems = append(s.Elems[:i], s.Elems[i+1:]...)
	s.index = make(map[hkey]int, len(s.Elems))
	for j, e := range s.Elems {
		k, _ := hashKey(e)
		s.index[k] = j
	}
	return true
}

// hashKey gives a canonical key for hashable values, following Python's
// equality (1 == 1.0 == True). Keys of deeply nested or huge tuples are
// refused (the caller reports the value as not known).
func hashKey(v Value) (hkey, bool) {
	n := 0
	return hashKeyN(v, 0, &n)
}

func hashKeyN(v Value, depth int, size *int) (hkey, bool) {
	if depth > 100 || *size > maxStrLen {
		return hkey{}, false
	}
	switch v := v.(type) {
	case *Str:
		return hkey{k: 's', s: v.V}, true
	case *Int:
		if v.Big != nil {
			return hkey{k: 'I', s: v.Big.String()}, true
		}
		return hkey{k: 'i', n: v.V}, true
	case *Bool:
		return hkey{k: 'i', n: boolInt(v.V)}, true
	case *Float:
		if v.V == math.Trunc(v.V) && !math.IsInf(v.V, 0) {
			if math.Abs(v.V) < 1<<62 {
				return hkey{k: 'i', n: int64(v.V)}, true
			}
			bf := new(big.Float).SetFloat64(v.V)
			bi, _ := bf.Int(nil)
			if bi.IsInt64() {
				return hkey{k: 'i', n: bi.Int64()}, true
			}
			return hkey{k: 'I', s: bi.String()}, true
		}
		if math.IsNaN(v.V) {
			return hkey{}, false
		}
		return hkey{k: 'f', s: strconv.FormatFloat(v.V, 'g', -1, 64)}, true
	case *NoneValue:
		return hkey{k: 'n'}, true
	case *Bytes:
		return hkey{k: 'b', s: v.V}, true
	case *Tuple:
		var sb strings.Builder
		for _, e := range v.Elems {
			k, ok := hashKeyN(e, depth+1, size)
			if !ok {
				return hkey{}, false
			}
			enc := encodeKey(k)
			*size += len(enc) + 8
			if *size > maxStrLen {
				return hkey{}, false
			}
			sb.WriteString(strconv.Itoa(len(enc)))
			sb.WriteByte(':')
			sb.WriteString(enc)
		}
		return hkey{k: 't', s: sb.String()}, true
	case *Set:
		if !v.Frozen {
			return hkey{}, false
		}
		keys := make([]string, 0, len(v.Elems))
		for _, e := range v.Elems {
			k, ok := hashKeyN(e, depth+1, size)
			if !ok {
				return hkey{}, false
			}
			enc := encodeKey(k)
			*size += len(enc) + 8
			keys = append(keys, strconv.Itoa(len(enc))+":"+enc)
		}
		sort.Strings(keys)
		return hkey{k: 'F', s: strings.Join(keys, "")}, true
	case *Opaque:
		return hkey{k: 'o', n: int64(ptrID(v))}, true
	}
	return hkey{}, false
}

// encodeKey flattens a key for use inside a tuple's key.
func encodeKey(k hkey) string {
	switch k.k {
	case 'i', 'o', 'u':
		return string(k.k) + strconv.FormatInt(k.n, 10)
	}
	return string(k.k) + k.s
}

// ---- truth, equality, ordering ----

// truth is Python truthiness; known is false for unresolved values.
func truth(v Value) (val, known bool) {
	switch v := v.(type) {
	case *NoneValue:
		return false, true
	case *Bool:
		return v.V, true
	case *Int:
		return v.Big != nil || v.V != 0, true
	case *Float:
		return v.V != 0, true
	case *Str:
		return v.V != "", true
	case *Bytes:
		return v.V != "", true
	case *List:
		return len(v.Elems) > 0, true
	case *Tuple:
		return len(v.Elems) > 0, true
	case *Set:
		return len(v.Elems) > 0, true
	case *Dict:
		return len(v.keys) > 0, true
	case *rangeValue:
		return v.length() > 0, true
	case *Opaque:
		switch v.Kind {
		case "class", "function", "lambda", "module", "builtin", "exception":
			return true, true
		case "timedelta":
			return v.Duration != 0, true
		}
	case *boundMethod, *envMapping:
		return true, true
	}
	return false, false
}

func isNumber(v Value) bool {
	switch v.(type) {
	case *Int, *Float, *Bool:
		return true
	}
	return false
}

// numeric returns a number as big.Int or float64.
func asBigInt(v Value) (*big.Int, bool) {
	switch v := v.(type) {
	case *Int:
		return v.big(), true
	case *Bool:
		if v.V {
			return big.NewInt(1), true
		}
		return big.NewInt(0), true
	}
	return nil, false
}

func asFloat(v Value) (float64, bool) {
	switch v := v.(type) {
	case *Float:
		return v.V, true
	case *Int:
		if v.Big != nil {
			f, _ := new(big.Float).SetInt(v.Big).Float64()
			return f, true
		}
		return float64(v.V), true
	case *Bool:
		if v.V {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// pyEqual is ==; known is false when either side is not known (or the
// comparison is too big to make).
func pyEqual(a, b Value) (eq, known bool) {
	budget := 200_000
	return pyEqualDepth(a, b, 0, &budget)
}

func pyEqualDepth(a, b Value, depth int, budget *int) (bool, bool) {
	*budget--
	if depth > 100 || *budget < 0 {
		return false, false
	}
	if isNumber(a) && isNumber(b) {
		_, af := a.(*Float)
		_, bf := b.(*Float)
		if af || bf {
			x, _ := asFloat(a)
			y, _ := asFloat(b)
			return x == y, true
		}
		x, _ := asBigInt(a)
		y, _ := asBigInt(b)
		return x.Cmp(y) == 0, true
	}
	switch a := a.(type) {
	case *Str:
		if b, ok := b.(*Str); ok {
			return a.V == b.V, true
		}
	case *Bytes:
		if b, ok := b.(*Bytes); ok {
			return a.V == b.V, true
		}
	case *NoneValue:
		if _, ok := b.(*NoneValue); ok {
			return true, true
		}
	case *List:
		if b, ok := b.(*List); ok {
			return seqEqual(a.Elems, b.Elems, depth, budget)
		}
	case *Tuple:
		if b, ok := b.(*Tuple); ok {
			return seqEqual(a.Elems, b.Elems, depth, budget)
		}
	case *Dict:
		if b, ok := b.(*Dict); ok {
			if a.Len() != b.Len() {
				return false, true
			}
			for i, k := range a.keys {
				bv, found, ok := b.get(k)
				if !ok {
					return false, false
				}
				if !found {
					return false, true
				}
				eq, known := pyEqualDepth(a.vals[i], bv, depth+1, budget)
				if !known || !eq {
					return eq, known
				}
			}
			return true, true
		}
	case *Set:
		if b, ok := b.(*Set); ok {
			if len(a.Elems) != len(b.Elems) {
				return false, true
			}
			for _, e := range a.Elems {
				has, ok := b.has(e)
				if !ok {
					return false, false
				}
				if !has {
					return false, true
				}
			}
			return true, true
		}
	case *Unresolved:
		return false, false
	case *Opaque:
		if _, ok := b.(*Unresolved); ok {
			return false, false
		}
		if bo, ok := b.(*Opaque); ok {
			if a == bo {
				return true, true
			}
			if a.Kind == "timedelta" && bo.Kind == "timedelta" {
				return a.Duration == bo.Duration, true
			}
			if a.Kind == "import" || bo.Kind == "import" {
				return false, false
			}
			return false, true
		}
		if a.Kind == "import" || a.Kind == "object" {
			return false, false
		}
		return false, true
	}
	if _, ok := b.(*Unresolved); ok {
		return false, false
	}
	if o, ok := b.(*Opaque); ok && (o.Kind == "import" || o.Kind == "object") {
		return false, false
	}
	// different known types compare unequal
	switch a.(type) {
	case *boundMethod, *envMapping, *rangeValue:
		return false, false
	}
	return false, true
}

func seqEqual(a, b []Value, depth int, budget *int) (bool, bool) {
	if len(a) != len(b) {
		return false, true
	}
	for i := range a {
		eq, known := pyEqualDepth(a[i], b[i], depth+1, budget)
		if !known || !eq {
			return eq, known
		}
	}
	return true, true
}

// pyCompare orders a and b (-1, 0, 1); ok is false when Python would raise
// TypeError or the values are not known.
func pyCompare(a, b Value) (int, bool) {
	if isNumber(a) && isNumber(b) {
		_, af := a.(*Float)
		_, bf := b.(*Float)
		if af || bf {
			x, _ := asFloat(a)
			y, _ := asFloat(b)
			if math.IsNaN(x) || math.IsNaN(y) {
				return 0, false
			}
			switch {
			case x < y:
				return -1, true
			case x > y:
				return 1, true
			}
			return 0, true
		}
		x, _ := asBigInt(a)
		y, _ := asBigInt(b)
		return x.Cmp(y), true
	}
	switch a := a.(type) {
	case *Str:
		if b, ok := b.(*Str); ok {
			return strings.Compare(a.V, b.V), true
		}
	case *Bytes:
		if b, ok := b.(*Bytes); ok {
			return strings.Compare(a.V, b.V), true
		}
	case *List:
		if b, ok := b.(*List); ok {
			return seqCompare(a.Elems, b.Elems)
		}
	case *Tuple:
		if b, ok := b.(*Tuple); ok {
			return seqCompare(a.Elems, b.Elems)
		}
	}
	return 0, false
}

func seqCompare(a, b []Value) (int, bool) {
	for i := 0; i < len(a) && i < len(b); i++ {
		eq, known := pyEqual(a[i], b[i])
		if !known {
			return 0, false
		}
		if !eq {
			return pyCompare(a[i], b[i])
		}
	}
	switch {
	case len(a) < len(b):
		return -1, true
	case len(a) > len(b):
		return 1, true
	}
	return 0, true
}

// containsUnresolved reports whether v is or holds an unresolved value.
func containsUnresolved(v Value) bool {
	return firstUnresolved(v, 0, map[Value]bool{}) != nil
}

// firstUnresolved returns the first unresolved value inside v.
func firstUnresolved(v Value, depth int, seen map[Value]bool) *Unresolved {
	if depth > 200 || seen[v] {
		return nil
	}
	switch v.(type) {
	case *List, *Tuple, *Set, *Dict:
		seen[v] = true
	}
	switch v := v.(type) {
	case *Unresolved:
		return v
	case *List:
		for _, e := range v.Elems {
			if u := firstUnresolved(e, depth+1, seen); u != nil {
				return u
			}
		}
	case *Tuple:
		for _, e := range v.Elems {
			if u := firstUnresolved(e, depth+1, seen); u != nil {
				return u
			}
		}
	case *Set:
		for _, e := range v.Elems {
			if u := firstUnresolved(e, depth+1, seen); u != nil {
				return u
			}
		}
	case *Dict:
		for i, k := range v.keys {
			if u := firstUnresolved(k, depth+1, seen); u != nil {
				return u
			}
			if u := firstUnresolved(v.vals[i], depth+1, seen); u != nil {
				return u
			}
		}
	}
	return nil
}

// copier deep-copies mutable values, preserving aliasing.
type copier struct {
	memo  map[Value]Value
	count int
	depth int
}

func (c *copier) copy(v Value) Value {
	if c.depth > 500 {
		return v
	}
	c.depth++
	defer func() { c.depth-- }()
	switch v := v.(type) {
	case *List:
		if n, ok := c.memo[v]; ok {
			return n
		}
		n := &List{Elems: make([]Value, len(v.Elems)), L: v.L}
		c.memo[v] = n
		c.count += len(v.Elems) + 1
		for i, e := range v.Elems {
			n.Elems[i] = c.copy(e)
		}
		return n
	case *Dict:
		if n, ok := c.memo[v]; ok {
			return n
		}
		n := &Dict{keys: append([]Value(nil), v.keys...), vals: make([]Value, len(v.vals)),
			lines: append([]int(nil), v.lines...), index: make(map[hkey]int, len(v.index)), L: v.L, unknown: v.unknown}
		for k, i := range v.index {
			n.index[k] = i
		}
		c.memo[v] = n
		c.count += len(v.keys) + 1
		for i, e := range v.vals {
			n.vals[i] = c.copy(e)
		}
		return n
	case *Set:
		if v.Frozen {
			return v
		}
		if n, ok := c.memo[v]; ok {
			return n
		}
		n := &Set{Elems: append([]Value(nil), v.Elems...), index: make(map[hkey]int, len(v.index)), L: v.L}
		for k, i := range v.index {
			n.index[k] = i
		}
		c.memo[v] = n
		c.count += len(v.Elems) + 1
		return n
	case *Tuple:
		// immutable, but may hold mutable values
		mut := false
		for _, e := range v.Elems {
			switch e.(type) {
			case *List, *Dict, *Set, *Tuple, *Opaque:
				mut = true
			}
		}
		if !mut {
			return v
		}
		if n, ok := c.memo[v]; ok {
			return n
		}
		n := &Tuple{Elems: make([]Value, len(v.Elems)), L: v.L}
		c.memo[v] = n
		c.count += len(v.Elems) + 1
		for i, e := range v.Elems {
			n.Elems[i] = c.copy(e)
		}
		return n
	case *Opaque:
		if v.Kind != "class" || v.Attrs == nil {
			return v
		}
		if n, ok := c.memo[v]; ok {
			return n
		}
		n := *v
		c.memo[v] = &n
		n.Attrs = c.copy(v.Attrs).(*Dict)
		return &n
	}
	return v
}

// sameValue is structural identity used to merge branches: equal known
// values, or the very same unresolved/opaque object. Too big a comparison
// counts as different (the merge then says "not known").
func sameValue(a, b Value, depth int) bool {
	budget := 200_000
	return sameValueB(a, b, depth, &budget)
}

func sameValueB(a, b Value, depth int, budget *int) bool {
	if a == b {
		return true
	}
	*budget--
	if a == nil || b == nil || depth > 100 || *budget < 0 {
		return false
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a := a.(type) {
	case *Unresolved:
		bu := b.(*Unresolved)
		return a.Reason == bu.Reason && a.Line == bu.Line && len(a.Alternatives) == 0 && len(bu.Alternatives) == 0
	case *Opaque:
		bo := b.(*Opaque)
		if a.Kind != bo.Kind || a.Source != bo.Source || a.Qualname != bo.Qualname || a.Line != bo.Line || a.Duration != bo.Duration {
			return false
		}
		if a.Attrs != nil || bo.Attrs != nil {
			if a.Attrs == nil || bo.Attrs == nil {
				return false
			}
			return sameValueB(a.Attrs, bo.Attrs, depth+1, budget)
		}
		return a.fn == bo.fn
	case *List:
		return sameSeq(a.Elems, b.(*List).Elems, depth, budget)
	case *Tuple:
		return sameSeq(a.Elems, b.(*Tuple).Elems, depth, budget)
	case *Set:
		return sameSeq(a.Elems, b.(*Set).Elems, depth, budget)
	case *Dict:
		bd := b.(*Dict)
		if !sameSeq(a.keys, bd.keys, depth, budget) {
			return false
		}
		return sameSeq(a.vals, bd.vals, depth, budget)
	case *Float:
		bf := b.(*Float)
		return a.V == bf.V || math.IsNaN(a.V) && math.IsNaN(bf.V)
	}
	eq, known := pyEqual(a, b)
	return known && eq
}

func sameSeq(a, b []Value, depth int, budget *int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameValueB(a[i], b[i], depth+1, budget) {
			return false
		}
	}
	return true
}
