package pyread

import (
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/pyrepr"
)

// reprOf is repr(v); ok is false when it is not known.
func (ev *evaluator) reprOf(v Value) (string, bool) {
	var sb strings.Builder
	ok := ev.writeRepr(&sb, v, map[Value]bool{}, 0)
	if sb.Len() > maxStrLen {
		return "", false
	}
	return sb.String(), ok
}

func (ev *evaluator) writeRepr(sb *strings.Builder, v Value, active map[Value]bool, depth int) bool {
	if depth > 200 || sb.Len() > maxStrLen {
		return false
	}
	ev.step(1)
	switch x := v.(type) {
	case *NoneValue:
		sb.WriteString("None")
	case *Bool:
		if x.V {
			sb.WriteString("True")
		} else {
			sb.WriteString("False")
		}
	case *Int:
		sb.WriteString(x.String())
	case *Float:
		sb.WriteString(pyrepr.Float(x.V))
	case *Str:
		sb.WriteString(pyrepr.Str(x.V))
	case *Bytes:
		sb.WriteString(pyrepr.Bytes(x.V))
	case *List, *Tuple, *Set, *Dict:
		if active[v] {
			switch v.(type) {
			case *Dict:
				sb.WriteString("{...}")
			case *Set:
				sb.WriteString(x.Type() + "(...)")
			default:
				sb.WriteString("[...]")
			}
			return true
		}
		active[v] = true
		defer delete(active, v)
		seq := func(open, close string, elems []Value, single bool) bool {
			sb.WriteString(open)
			for i, e := range elems {
				if i > 0 {
					sb.WriteString(", ")
				}
				if !ev.writeRepr(sb, e, active, depth+1) {
					return false
				}
			}
			if single && len(elems) == 1 {
				sb.WriteString(",")
			}
			sb.WriteString(close)
			return true
		}
		switch x := v.(type) {
		case *List:
			return seq("[", "]", x.Elems, false)
		case *Tuple:
			return seq("(", ")", x.Elems, true)
		case *Set:
			if len(x.Elems) == 0 {
				sb.WriteString(x.Type() + "()")
				return true
			}
			if x.Frozen {
				sb.WriteString("frozenset(")
				defer sb.WriteString(")")
			}
			// CPython's set order is by hash: only small-int and
			// single-element sets have a predictable order.
			if len(x.Elems) > 1 {
				return false
			}
			return seq("{", "}", x.Elems, false)
		case *Dict:
			if x.unknown > 0 {
				return false
			}
			sb.WriteString("{")
			for i, k := range x.keys {
				if i > 0 {
					sb.WriteString(", ")
				}
				if !ev.writeRepr(sb, k, active, depth+1) {
					return false
				}
				sb.WriteString(": ")
				if !ev.writeRepr(sb, x.vals[i], active, depth+1) {
					return false
				}
			}
			sb.WriteString("}")
		}
	case *Opaque:
		switch x.Kind {
		case "timedelta":
			sb.WriteString(timedeltaRepr(x.Duration))
		case "exception":
			sb.WriteString(excRepr(x))
		case "builtin":
			if _, ok := excHierarchy()[x.Qualname]; ok || isBuiltinFunc(x.Qualname) && strings.Contains("str int float bool list tuple dict set frozenset bytes object", x.Qualname) {
				sb.WriteString("<class '" + x.Qualname + "'>")
				return true
			}
			sb.WriteString("<built-in function " + x.Qualname + ">")
		case "object":
			if x.Source == "Ellipsis" {
				sb.WriteString("Ellipsis")
				return true
			}
			return false
		default:
			return false
		}
	case *rangeValue:
		if x.step == 1 {
			fmt.Fprintf(sb, "range(%d, %d)", x.start, x.stop)
		} else {
			fmt.Fprintf(sb, "range(%d, %d, %d)", x.start, x.stop, x.step)
		}
	case *viewValue:
		sb.WriteString(x.kind + "(")
		if !ev.writeRepr(sb, mkList(x.items, 0), active, depth+1) {
			return false
		}
		sb.WriteString(")")
	default:
		return false
	}
	return true
}

// strOf is str(v).
func (ev *evaluator) strOf(v Value) (string, bool) {
	switch x := v.(type) {
	case *Str:
		return x.V, true
	case *Opaque:
		switch x.Kind {
		case "exception":
			return x.Source, true
		case "timedelta":
			return timedeltaStr(x.Duration), true
		}
	case *Unresolved:
		return "", false
	}
	return ev.reprOf(v)
}

// excRepr is repr() of an exception: its class name and arguments.
func excRepr(o *Opaque) string {
	switch {
	case o.exc != nil && o.exc.args != nil:
		return o.Qualname + "(" + *o.exc.args + ")"
	case o.Source == "":
		return o.Qualname + "()"
	case o.Qualname == "KeyError":
		// the message of a KeyError the reader raised is already repr(key)
		return o.Qualname + "(" + o.Source + ")"
	}
	return o.Qualname + "(" + pyrepr.Str(o.Source) + ")"
}
