package pyread

import (
	"fmt"
)

func (ev *evaluator) getenv(ca *callArgs, how string) Value {
	line := ca.line
	k, ok := ca.arg(0, "key")
	if !ok {
		return ev.raise("TypeError", how+"() missing required argument: 'key'", line)
	}
	ks, ok := k.(*Str)
	if !ok {
		if u, ok := k.(*Unresolved); ok {
			return propagate(u)
		}
		return ev.raise("TypeError", "str expected, not "+k.Type(), line)
	}
	if v, set := ev.env[ks.V]; set {
		return mkStr(v, line)
	}
	if ev.unknownEnv[ks.V] {
		return ev.unres(line, fmt.Sprintf("environment variable %s was set by the file to a value not known statically", ks.V))
	}
	if d, ok := ca.arg(1, "default"); ok {
		ev.addMissingEnv(ks.V)
		return d
	}
	if ev.r.opts.UnsetIsNone {
		ev.addMissingEnv(ks.V)
		return mkNone(line)
	}
	u := ev.envMissing(ks.V, line, how+"() would return None")
	u.unsetNone = true
	return u
}

// truthOf is the truth value of v where the code tests it (if, while,
// and/or, not, conditional expressions, comprehension conditions, bool()).
// A variable the environment lacks, read without a default, is None in
// CPython: where the code tests it, it takes the path the code wrote for
// the unset case (as an explicit default would), while the value itself
// stays unresolved, since the deployment may set the variable.
func (ev *evaluator) truthOf(v Value) (val, known bool) {
	if u, ok := v.(*Unresolved); ok && u.unsetNone {
		for _, n := range u.Env {
			ev.addMissingEnv(n)
		}
		return false, true
	}
	return truth(v)
}

// isUnsetNone reports whether v stands for the None of an unset variable
// (see truthOf).
func isUnsetNone(v Value) bool {
	u, ok := v.(*Unresolved)
	return ok && u.unsetNone
}

func (ev *evaluator) envMethod(name string, ca *callArgs) Value {
	line := ca.line
	switch name {
	case "get":
		return ev.getenv(ca, "os.environ.get")
	case "__contains__":
		if k, ok := ca.arg(0, ""); ok {
			return ev.contains(&envMapping{L: line}, k, line)
		}
	case "setdefault":
		k, ok, bad := ev.argStr(ca, 0, "key")
		if bad != nil {
			return bad
		}
		if !ok {
			break
		}
		if v, set := ev.env[k]; set {
			return mkStr(v, line)
		}
		d, ok := ca.arg(1, "default")
		if !ok {
			return ev.raise("TypeError", "str expected, not NoneType", line)
		}
		if ds, ok := d.(*Str); ok {
			ev.env[k] = ds.V
			return ds
		}
		if u, ok := d.(*Unresolved); ok {
			ev.envUnknown(k)
			return propagate(u)
		}
		return ev.raise("TypeError", "str expected, not "+d.Type(), line)
	case "pop":
		k, ok, bad := ev.argStr(ca, 0, "key")
		if bad != nil {
			return bad
		}
		if !ok {
			break
		}
		if v, set := ev.env[k]; set {
			delete(ev.env, k)
			return mkStr(v, line)
		}
		if d, ok := ca.arg(1, "default"); ok {
			return d
		}
		return ev.envMissing(k, line, "os.environ.pop() would raise KeyError")
	case "update":
		if len(ca.args) == 1 {
			if d, ok := ca.args[0].(*Dict); ok {
				for i, k := range d.keys {
					ks, ok1 := k.(*Str)
					vs, ok2 := d.vals[i].(*Str)
					if ok1 && ok2 {
						ev.env[ks.V] = vs.V
					} else if ok1 {
						ev.envUnknown(ks.V)
					}
				}
			}
		}
		for _, k := range ca.kw {
			if vs, ok := k.val.(*Str); ok {
				ev.env[k.name] = vs.V
			} else {
				ev.envUnknown(k.name)
			}
		}
		return mkNone(line)
	}
	return ev.unres(line, "os.environ."+name+"() depends on the whole environment, which is not known statically")
}
