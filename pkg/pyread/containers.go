package pyread

import (
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

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
	case *Instance:
		if !v.plainEquality() {
			return hkey{}, false // its __hash__ is not known
		}
		return hkey{k: 'o', n: int64(ptrID(v.origin()))}, true
	case *ExcClass:
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
