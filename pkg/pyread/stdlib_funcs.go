package pyread

import (
	"fmt"
	"path"
	"strconv"
	"strings"
)

func pyNormpath(p string) string {
	if p == "" {
		return "."
	}
	initial := 0
	if strings.HasPrefix(p, "/") {
		initial = 1
		if strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "///") {
			initial = 2
		}
	}
	var out []string
	for _, c := range strings.Split(p, "/") {
		if c == "" || c == "." {
			continue
		}
		if c != ".." || initial == 0 && len(out) == 0 || len(out) > 0 && out[len(out)-1] == ".." {
			out = append(out, c)
		} else if len(out) > 0 {
			out = out[:len(out)-1]
		}
	}
	s := strings.Join(out, "/")
	if initial > 0 {
		s = strings.Repeat("/", initial) + s
	}
	if s == "" {
		return "."
	}
	_ = path.Clean
	return s
}

func pyQuote(s, safe string, plus bool) string {
	const always = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case plus && c == ' ':
			sb.WriteByte('+')
		case strings.IndexByte(always, c) >= 0 || c < 0x80 && strings.IndexByte(safe, c) >= 0:
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, "%%%02X", c)
		}
	}
	return sb.String()
}

func pyUnquote(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, s[i])
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// stdFn implements a standard-library function the reader evaluates. It
// returns nil when it does not evaluate the call with these arguments.
type stdFn func(ev *evaluator, qual string, ca *callArgs) Value

func stdFuncTable() map[string]stdFn { return stdFuncsOnce.get(newStdFuncTable) }

var stdFuncsOnce lazy[map[string]stdFn]

func newStdFuncTable() map[string]stdFn {
	return map[string]stdFn{
		"os.getenv":       func(ev *evaluator, _ string, ca *callArgs) Value { return ev.getenv(ca, "os.getenv") },
		"os.putenv":       func(_ *evaluator, _ string, ca *callArgs) Value { return mkNone(ca.line) },
		"os.getcwd":       (*evaluator).stdGetcwd,
		"os.path.join":    (*evaluator).stdPathJoin,
		"os.path.dirname": (*evaluator).stdPathOp, "os.path.basename": (*evaluator).stdPathOp,
		"os.path.abspath": (*evaluator).stdPathOp, "os.path.normpath": (*evaluator).stdPathOp,
		"os.path.split": (*evaluator).stdPathOp, "os.path.splitext": (*evaluator).stdPathOp,
		"os.path.isabs": (*evaluator).stdPathOp, "os.path.expanduser": (*evaluator).stdPathOp,
		"json.loads":               (*evaluator).stdJSONLoads,
		"json.dumps":               (*evaluator).stdJSONDumps,
		"datetime.timedelta":       func(ev *evaluator, _ string, ca *callArgs) Value { return ev.timedelta(ca) },
		"distutils.util.strtobool": (*evaluator).stdStrtobool,
		"ast.literal_eval":         (*evaluator).stdLiteralEval,
		"urllib.parse.quote":       (*evaluator).stdQuote, "urllib.parse.quote_plus": (*evaluator).stdQuote,
		"urllib.parse.unquote": (*evaluator).stdQuote,
		"base64.b64decode":     (*evaluator).stdBase64, "base64.urlsafe_b64decode": (*evaluator).stdBase64,
		"base64.standard_b64decode": (*evaluator).stdBase64, "base64.b64encode": (*evaluator).stdBase64,
		"base64.urlsafe_b64encode": (*evaluator).stdBase64, "base64.standard_b64encode": (*evaluator).stdBase64,
		"typing.cast": func(_ *evaluator, _ string, ca *callArgs) Value {
			if v, ok := ca.arg(1, "val"); ok {
				return v
			}
			return nil
		},
	}
}

func (ev *evaluator) stdGetcwd(_ string, ca *callArgs) Value {
	if ev.r.opts.Cwd != "" {
		return mkStr(ev.r.opts.Cwd, ca.line)
	}
	return ev.unres(ca.line, "os.getcwd() depends on the working directory of the process")
}

func (ev *evaluator) stdPathJoin(_ string, ca *callArgs) Value {
	line := ca.line
	var parts []string
	for _, a := range ca.args {
		s, ok := a.(*Str)
		if !ok {
			if u, ok := a.(*Unresolved); ok {
				return propagate(u)
			}
			return ev.unres(line, "os.path.join() of a value not known statically")
		}
		parts = append(parts, s.V)
	}
	if len(parts) == 0 {
		return nil
	}
	out := parts[0]
	for _, p := range parts[1:] {
		if strings.HasPrefix(p, "/") {
			out = p
		} else if out == "" || strings.HasSuffix(out, "/") {
			out += p
		} else {
			out += "/" + p
		}
	}
	return mkStr(out, line)
}

// stdPathOp is the os.path functions of one path.
func (ev *evaluator) stdPathOp(qual string, ca *callArgs) Value {
	line := ca.line
	s, u, ok := ca.strArg(0, "")
	if u != nil {
		return propagate(u)
	}
	if !ok {
		return nil
	}
	p := s.V
	switch qual {
	case "os.path.dirname":
		head, _ := splitPath(p)
		return mkStr(head, line)
	case "os.path.basename":
		return mkStr(p[strings.LastIndexByte(p, '/')+1:], line)
	case "os.path.split":
		head, tail := splitPath(p)
		return mkTuple([]Value{mkStr(head, line), mkStr(tail, line)}, line)
	case "os.path.splitext":
		base := p[strings.LastIndexByte(p, '/')+1:]
		i := strings.LastIndexByte(base, '.')
		if i <= 0 || strings.Trim(base[:i], ".") == "" {
			return mkTuple([]Value{mkStr(p, line), mkStr("", line)}, line)
		}
		cut := len(p) - len(base) + i
		return mkTuple([]Value{mkStr(p[:cut], line), mkStr(p[cut:], line)}, line)
	case "os.path.isabs":
		return mkBool(strings.HasPrefix(p, "/"), line)
	case "os.path.normpath":
		return mkStr(pyNormpath(p), line)
	case "os.path.abspath":
		if !strings.HasPrefix(p, "/") {
			if ev.r.opts.Cwd == "" {
				return ev.unres(line, "os.path.abspath() of a relative path depends on the working directory")
			}
			p = ev.r.opts.Cwd + "/" + p
		}
		return mkStr(pyNormpath(p), line)
	}
	return ev.expandUser(p, line)
}

// splitPath is os.path.split: the head keeps a root of slashes only.
func splitPath(p string) (head, tail string) {
	i := strings.LastIndexByte(p, '/') + 1
	head, tail = p[:i], p[i:]
	if head != "" && strings.Trim(head, "/") != "" {
		head = strings.TrimRight(head, "/")
	}
	return head, tail
}

func (ev *evaluator) expandUser(p string, line int) Value {
	if !strings.HasPrefix(p, "~") {
		return mkStr(p, line)
	}
	if strings.HasPrefix(p, "~/") || p == "~" {
		home, ok := ev.env["HOME"]
		if !ok {
			return ev.envMissing("HOME", line, "needed by os.path.expanduser")
		}
		return mkStr(strings.TrimRight(home, "/")+p[1:], line)
	}
	return ev.unres(line, "expanding ~user needs the password database")
}

func (ev *evaluator) stdJSONLoads(_ string, ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "s")
	if !ok {
		return nil
	}
	var src string
	switch s := v.(type) {
	case *Str:
		src = s.V
	case *Bytes:
		// json.detect_encoding: UTF-8, with or without a BOM (UTF-16 and
		// UTF-32 documents are not read)
		src = strings.TrimPrefix(s.V, "\xef\xbb\xbf")
		if strings.Contains(src[:min(len(src), 4)], "\x00") {
			return ev.unres(line, "json.loads() of UTF-16 or UTF-32 bytes is not evaluated")
		}
		if start, end, why, bad := utf8Error(src); bad {
			return ev.raise("UnicodeDecodeError", "'utf-8' codec "+decodeErrorText(src, start, end, why), line)
		}
	case *Unresolved:
		return propagate(s)
	default:
		return ev.raise("TypeError", "the JSON object must be str, bytes or bytearray, not "+v.Type(), line)
	}
	if len(ca.kw) > 0 {
		return ev.unres(line, "json.loads() with keyword arguments is not evaluated")
	}
	out, msg := jsonLoad(src, line)
	if msg != "" {
		return ev.raise("json.JSONDecodeError", msg, line)
	}
	if u, ok := out.(*Unresolved); ok {
		return ev.noteUnknown(u)
	}
	return out
}

func (ev *evaluator) stdJSONDumps(_ string, ca *callArgs) Value {
	line := ca.line
	v, ok := ca.arg(0, "obj")
	if !ok {
		return nil
	}
	opt := jsonDumpOpts{sep: ", ", kvsep: ": "}
	for _, k := range ca.kw {
		if bad := ev.jsonDumpOption(&opt, k, line); bad != nil {
			return bad
		}
	}
	s, err := ev.jsonDumps(v, opt, 0)
	if err != nil {
		return err
	}
	return mkStr(s, line)
}

// jsonDumpOption applies one keyword argument of json.dumps; it returns the
// unresolved result when the option is not supported.
func (ev *evaluator) jsonDumpOption(opt *jsonDumpOpts, k kwArg, line int) Value {
	switch k.name {
	case "sort_keys":
		t, known := truth(k.val)
		if !known {
			return ev.unres(line, "json.dumps() options not known")
		}
		opt.sortKeys = t
	case "indent":
		switch iv := k.val.(type) {
		case *NoneValue:
		case *Int:
			opt.indent = strings.Repeat(" ", int(min(max(iv.V, 0), 64)))
			opt.hasIndent = true
			opt.sep = ","
		case *Str:
			opt.indent, opt.hasIndent, opt.sep = iv.V, true, ","
		default:
			return ev.unres(line, "json.dumps() indent not supported")
		}
	case "ensure_ascii":
		t, _ := truth(k.val)
		opt.noASCII = !t
	case "separators":
		t, ok := k.val.(*Tuple)
		if !ok || len(t.Elems) != 2 {
			return ev.unres(line, "json.dumps() separators not supported")
		}
		a, ok1 := t.Elems[0].(*Str)
		b, ok2 := t.Elems[1].(*Str)
		if !ok1 || !ok2 {
			return ev.unres(line, "json.dumps() separators not supported")
		}
		opt.sep, opt.kvsep = a.V, b.V
	default:
		return ev.unres(line, "json.dumps() with "+k.name+"= is not evaluated")
	}
	return nil
}

func (ev *evaluator) stdStrtobool(_ string, ca *callArgs) Value {
	line := ca.line
	s, u, ok := ca.strArg(0, "val")
	if u != nil {
		return propagate(u)
	}
	if !ok {
		return nil
	}
	switch strings.ToLower(s.V) {
	case "y", "yes", "t", "true", "on", "1":
		return mkInt(1, line)
	case "n", "no", "f", "false", "off", "0":
		return mkInt(0, line)
	}
	r, _ := ev.reprOf(s)
	return ev.raise("ValueError", "invalid truth value "+r, line)
}

func (ev *evaluator) stdLiteralEval(_ string, ca *callArgs) Value {
	s, u, ok := ca.strArg(0, "node_or_string")
	if u != nil {
		return propagate(u)
	}
	if !ok {
		return nil
	}
	return ev.literalEval(s.V, ca.line)
}

// stdQuote is urllib.parse.quote, quote_plus and unquote.
func (ev *evaluator) stdQuote(qual string, ca *callArgs) Value {
	s, u, ok := ca.strArg(0, "string")
	if u != nil {
		return propagate(u)
	}
	if !ok {
		return nil
	}
	if qual == "urllib.parse.unquote" {
		return mkStr(pyUnquote(s.V), ca.line)
	}
	safe := "/"
	if qual == "urllib.parse.quote_plus" {
		safe = ""
	}
	if sv, ok := ca.arg(1, "safe"); ok {
		ss, ok := sv.(*Str)
		if !ok {
			return nil
		}
		safe = ss.V
	}
	return mkStr(pyQuote(s.V, safe, qual == "urllib.parse.quote_plus"), ca.line)
}
