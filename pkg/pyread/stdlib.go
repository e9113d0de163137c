package pyread

import (
	"fmt"
	"strings"
	"sync"
)

// ---- qualified names: modules, stdlib, caller hooks ----

type stdKind uint8

const (
	stdModule stdKind = iota + 1
	stdFunc
	stdEnv
	stdConst
)

var stdNames = sync.OnceValue(func() map[string]stdKind {
	return map[string]stdKind{
		"os": stdModule, "os.path": stdModule, "os.environ": stdEnv,
		"os.getenv": stdFunc, "os.putenv": stdFunc, "os.getcwd": stdFunc,
		"os.path.join": stdFunc, "os.path.dirname": stdFunc, "os.path.basename": stdFunc,
		"os.path.abspath": stdFunc, "os.path.normpath": stdFunc, "os.path.split": stdFunc,
		"os.path.splitext": stdFunc, "os.path.isabs": stdFunc, "os.path.expanduser": stdFunc,
		"os.path.exists": stdFunc, "os.path.isfile": stdFunc, "os.path.isdir": stdFunc,
		"os.path.realpath": stdFunc, "os.path.getsize": stdFunc,
		"os.sep": stdConst, "os.linesep": stdConst, "os.pathsep": stdConst, "os.name": stdConst,
		"os.path.sep": stdConst, "os.curdir": stdConst, "os.pardir": stdConst,
		"json": stdModule, "json.loads": stdFunc, "json.dumps": stdFunc, "json.load": stdFunc,
		"json.JSONDecodeError": stdFunc, "json.decoder": stdModule, "json.decoder.JSONDecodeError": stdFunc,
		"datetime": stdModule, "datetime.timedelta": stdFunc,
		"distutils": stdModule, "distutils.util": stdModule, "distutils.util.strtobool": stdFunc,
		"ast": stdModule, "ast.literal_eval": stdFunc,
		"urllib": stdModule, "urllib.parse": stdModule, "urllib.parse.quote": stdFunc,
		"urllib.parse.quote_plus": stdFunc, "urllib.parse.unquote": stdFunc,
		"typing": stdModule, "typing.cast": stdFunc, "typing.TYPE_CHECKING": stdConst,
		"sys": stdModule, "logging": stdModule,
		"string": stdModule, "string.ascii_letters": stdConst, "string.digits": stdConst,
		"base64": stdModule, "base64.b64decode": stdFunc, "base64.urlsafe_b64decode": stdFunc,
		"base64.standard_b64decode": stdFunc, "base64.b64encode": stdFunc, "base64.urlsafe_b64encode": stdFunc,
		"base64.standard_b64encode": stdFunc, "binascii": stdModule, "binascii.Error": stdFunc, "base64.binascii": stdModule,
	}
})

var stdConsts = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"os.sep": "/", "os.path.sep": "/", "os.linesep": "\n", "os.pathsep": ":", "os.name": "posix",
		"os.curdir": ".", "os.pardir": "..",
		"string.ascii_letters": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "string.digits": "0123456789",
	}
})

var sideEffectPrefixes = []struct{ prefix, why string }{
	{"subprocess.", "it would run a command"},
	{"os.system", "it would run a command"},
	{"os.popen", "it would run a command"},
	{"os.exec", "it would run a program"},
	{"os.spawn", "it would run a program"},
	{"os.fork", "it would start a process"},
	{"os.kill", "it would signal a process"},
	{"os.remove", "it would change the file system"},
	{"os.unlink", "it would change the file system"},
	{"os.rmdir", "it would change the file system"},
	{"os.mkdir", "it would change the file system"},
	{"os.makedirs", "it would change the file system"},
	{"os.rename", "it would change the file system"},
	{"os.chmod", "it would change the file system"},
	{"os.listdir", "it would read the file system"},
	{"os.path.exists", "it would look at the file system"},
	{"os.path.isfile", "it would look at the file system"},
	{"os.path.isdir", "it would look at the file system"},
	{"os.path.realpath", "it would look at the file system"},
	{"os.path.getsize", "it would look at the file system"},
	{"shutil.", "it would change the file system"},
	{"pathlib.", "it may touch the file system"},
	{"io.", "it may open a file"},
	{"json.load", "it would read a file"},
	{"socket.", "it would use the network"},
	{"urllib.request.", "it would use the network"},
	{"requests.", "it would use the network"},
	{"http.", "it would use the network"},
	{"importlib.", "it would import code"},
	{"builtins.", "it may run code"},
	{"ctypes.", "it would call native code"},
	{"pickle.", "it would deserialize objects"},
	{"sys.exit", "it would stop the interpreter"},
	{"time.", "it depends on the clock"},
	{"datetime.datetime.", "it depends on the clock"},
	{"random.", "it is random"},
	{"uuid.", "it is random"},
	{"secrets.", "it is random"},
}

// qualValue returns the value of a dotted name reached through imports.
func (ev *evaluator) qualValue(qual string, line int) Value {
	switch stdNames()[qual] {
	case stdModule:
		return &Opaque{Kind: "module", Source: "<module '" + qual + "'>", Qualname: qual, Line: line}
	case stdFunc:
		return &Opaque{Kind: "import", Source: qual, Qualname: qual, Line: line}
	case stdEnv:
		return &envMapping{L: line}
	case stdConst:
		if qual == "typing.TYPE_CHECKING" {
			return mkBool(false, line)
		}
		return mkStr(stdConsts()[qual], line)
	}
	if i := strings.LastIndexByte(qual, '.'); i > 0 {
		if m, ok := ev.r.opts.Modules[qual[:i]]; ok {
			if v, ok := m[qual[i+1:]]; ok {
				return FromGo(v, line)
			}
		}
	}
	if _, ok := ev.r.opts.Modules[qual]; ok {
		return &Opaque{Kind: "module", Source: "<module '" + qual + "'>", Qualname: qual, Line: line}
	}
	return &Opaque{Kind: "import", Source: qual, Qualname: qual, Line: line}
}

// knownModule reports whether importing mod cannot fail as far as the
// reader knows.
func (ev *evaluator) knownModule(mod string) bool {
	if _, ok := ev.r.opts.HostModules[strings.SplitN(mod, ".", 2)[0]]; ok {
		return true
	}
	if _, ok := ev.r.opts.HostModules[mod]; ok {
		return true
	}
	if stdNames()[mod] == stdModule {
		return true
	}
	if _, ok := ev.r.opts.Modules[mod]; ok {
		return true
	}
	switch strings.SplitN(mod, ".", 2)[0] {
	case "os", "sys", "json", "datetime", "logging", "typing", "re", "ast", "base64", "urllib",
		"socket", "subprocess", "pathlib", "collections", "functools", "itertools", "string",
		"__future__", "time", "uuid", "random", "hashlib", "tempfile", "shutil", "io", "importlib":
		return true
	}
	return false
}

func (ev *evaluator) callQualified(qual string, ca *callArgs) Value {
	if f := stdFuncTable()[qual]; f != nil {
		if v := f(ev, qual, ca); v != nil {
			return v
		}
	}
	return ev.callImported(qual, ca)
}

// callImported is a call to a function of a module that the reader does
// not evaluate (or not with these arguments): side effects are refused, the
// caller's hook may answer, anything else is unresolved.
func (ev *evaluator) callImported(qual string, ca *callArgs) Value {
	line := ca.line
	if stdNames()[qual] == stdFunc {
		for _, p := range sideEffectPrefixes {
			if strings.HasPrefix(qual, p.prefix) {
				return ev.unresCall(ca, qual, fmt.Sprintf("call to %s() is not evaluated: %s, and the reader never does that", qual, p.why))
			}
		}
		return ev.unresCall(ca, qual, fmt.Sprintf("%s() with these arguments is not evaluated", qual))
	}
	for _, p := range sideEffectPrefixes {
		if strings.HasPrefix(qual, p.prefix) {
			return ev.unresCall(ca, qual, fmt.Sprintf("call to %s() is not evaluated: %s, and the reader never does that", qual, p.why))
		}
	}
	if h := ev.r.opts.Call; h != nil {
		info := CallInfo{Func: qual, Line: line, Env: ev.env, Kwargs: map[string]any{}}
		for _, a := range ca.args {
			info.Args = append(info.Args, ToGo(a))
		}
		for _, k := range ca.kw {
			info.Kwargs[k.name] = ToGo(k.val)
		}
		if res, ok := h(info); ok {
			v := FromGo(res, line)
			if u, ok := v.(*Unresolved); ok {
				for _, n := range u.Env {
					ev.addMissingEnv(n)
				}
				if u.Kind == "" {
					c := *u
					c.Kind, c.Callee, c.Call = UnknownCall, qual, ca.src
					v = ev.noteUnknown(&c)
				}
			}
			return v
		}
	}
	if strings.HasPrefix(qual, "os.") {
		return ev.unresCall(ca, qual, fmt.Sprintf("call to %s() is not evaluated (it may have side effects)", qual))
	}
	return ev.unresCall(ca, qual, fmt.Sprintf("call to %s() is not evaluated: the reader does not run imported code", qual))
}
