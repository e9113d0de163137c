package pyread

import (
	"fmt"
	"math"
	"strings"
	"time"
)

func mkTimedelta(d time.Duration, src string, line int) *Opaque {
	return &Opaque{Kind: "timedelta", Source: src, Line: line, Duration: d}
}

func (ev *evaluator) timedelta(ca *callArgs) Value {
	line := ca.line
	names := []string{"days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"}
	units := map[string]float64{"days": 86400, "seconds": 1, "microseconds": 1e-6, "milliseconds": 1e-3,
		"minutes": 60, "hours": 3600, "weeks": 604800}
	total := 0.0
	if len(ca.args) > len(names) {
		return ev.raise("TypeError", "timedelta() takes at most 7 arguments", line)
	}
	add := func(name string, v Value) Value {
		f, ok := asFloat(v)
		if !ok {
			if u, ok := v.(*Unresolved); ok {
				return propagate(u)
			}
			return ev.raise("TypeError", "unsupported type for timedelta "+name+" component: "+v.Type(), line)
		}
		total += f * units[name]
		return nil
	}
	for i, a := range ca.args {
		if r := add(names[i], a); r != nil {
			return r
		}
	}
	for _, k := range ca.kw {
		if _, ok := units[k.name]; !ok {
			return ev.raise("TypeError", "'"+k.name+"' is an invalid keyword argument for timedelta()", line)
		}
		if r := add(k.name, k.val); r != nil {
			return r
		}
	}
	if math.Abs(total) > 999999999*86400 {
		return ev.raise("OverflowError", "days out of range", line)
	}
	d := time.Duration(math.Round(total*1e6)) * time.Microsecond
	if math.Abs(total) > float64(math.MaxInt64/int64(time.Second)) {
		return ev.unres(line, "timedelta too large to represent")
	}
	return mkTimedelta(d, ca.src, line)
}

func (ev *evaluator) opaqueBinop(op string, a, b Value, line int) Value {
	ta, aok := a.(*Opaque)
	tb, bok := b.(*Opaque)
	aTD := aok && ta.Kind == "timedelta"
	bTD := bok && tb.Kind == "timedelta"
	src := func() string {
		s := func(v Value) string {
			if o, ok := v.(*Opaque); ok {
				return o.Source
			}
			r, _ := ev.reprOf(v)
			return r
		}
		return s(a) + " " + op + " " + s(b)
	}
	switch {
	case aTD && bTD:
		switch op {
		case "+":
			return mkTimedelta(ta.Duration+tb.Duration, src(), line)
		case "-":
			return mkTimedelta(ta.Duration-tb.Duration, src(), line)
		case "/":
			if tb.Duration == 0 {
				return ev.raise("ZeroDivisionError", "division by zero", line)
			}
			return mkFloat(float64(ta.Duration)/float64(tb.Duration), line)
		case "//":
			if tb.Duration == 0 {
				return ev.raise("ZeroDivisionError", "integer division or modulo by zero", line)
			}
			q := ta.Duration / tb.Duration
			if (ta.Duration%tb.Duration != 0) && ((ta.Duration < 0) != (tb.Duration < 0)) {
				q--
			}
			return mkInt(int64(q), line)
		}
	case aTD && isNumber(b):
		f, _ := asFloat(b)
		switch op {
		case "*":
			return mkTimedelta(time.Duration(math.Round(float64(ta.Duration/time.Microsecond)*f))*time.Microsecond, src(), line)
		case "/", "//":
			if f == 0 {
				return ev.raise("ZeroDivisionError", "division by zero", line)
			}
			return mkTimedelta(time.Duration(math.Round(float64(ta.Duration/time.Microsecond)/f))*time.Microsecond, src(), line)
		}
	case bTD && isNumber(a) && op == "*":
		return ev.opaqueBinop(op, b, a, line)
	}
	return nil
}

func tdParts(d time.Duration) (days, secs, us int64) {
	t := int64(d / time.Microsecond)
	days = floorDiv(t, 86400e6)
	rest := t - days*86400e6
	return days, rest / 1e6, rest % 1e6
}

func timedeltaRepr(d time.Duration) string {
	days, secs, us := tdParts(d)
	var parts []string
	if days != 0 {
		parts = append(parts, fmt.Sprintf("days=%d", days))
	}
	if secs != 0 {
		parts = append(parts, fmt.Sprintf("seconds=%d", secs))
	}
	if us != 0 {
		parts = append(parts, fmt.Sprintf("microseconds=%d", us))
	}
	if len(parts) == 0 {
		return "datetime.timedelta(0)"
	}
	return "datetime.timedelta(" + strings.Join(parts, ", ") + ")"
}

func timedeltaStr(d time.Duration) string {
	days, secs, us := tdParts(d)
	s := fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	if us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	if days != 0 {
		plural := "s"
		if days == 1 || days == -1 {
			plural = ""
		}
		s = fmt.Sprintf("%d day%s, %s", days, plural, s)
	}
	return s
}
