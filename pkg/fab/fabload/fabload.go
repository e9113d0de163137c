// Package fabload builds a fab.Config from what the static Python reader
// (pkg/pyread) read. It is the only place where pkg/fab meets the reader.
package fabload

import (
	"github.com/authdoctor/authdoctor/pkg/lazyre"
	"math"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// FromModule converts a read module. src is the text the module was read
// from (used to tell values written literally from values read from the
// environment); file is the path shown in findings.
func FromModule(m *pyread.Module, src []byte, file string) *fab.Config {
	cfg := &fab.Config{File: file, Settings: map[string]fab.Setting{}}
	if m == nil {
		return cfg
	}
	for _, b := range m.Bindings {
		// Flask's from_pyfile keeps only upper-case names.
		if !pyread.IsUpperName(b.Name) {
			continue
		}
		cfg.Settings[b.Name] = fab.Setting{Value: Convert(b.Value), Line: b.Line, Source: b.Source}
	}
	for _, im := range m.Imports {
		cfg.Imports = append(cfg.Imports, fab.Import{Module: im.Module, Name: im.Name, Line: im.Line})
	}
	lines := strings.Split(string(src), "\n")
	cfg.Literal = literalFunc(cfg, lines)
	return cfg
}

// SyntaxErrors and Unresolved turn the reader's diagnostics into lint
// inputs (CFG001, CFG002).
func Diagnostics(m *pyread.Module) (syntax []fab.SyntaxError, unresolved []fab.UnresolvedSetting) {
	if m == nil {
		return nil, nil
	}
	for _, d := range m.Diagnostics {
		switch d.Kind {
		case pyread.DiagSyntax:
			se := fab.SyntaxError{Line: d.Line, Col: d.Col, Msg: d.Message}
			if strings.Contains(d.Message, "was never closed") {
				se.OpenLine = d.Line
			} else if m := openLineRe.FindStringSubmatch(d.Message); m != nil {
				se.OpenLine, _ = strconv.Atoi(m[1])
			}
			syntax = append(syntax, se)
		case pyread.DiagUnresolved:
			// Flask keeps only upper-case names: the rest is not a setting.
			if d.Name != "" && !pyread.IsUpperName(d.Name) {
				continue
			}
			msg := d.Message
			if len(d.Env) > 0 && !strings.Contains(msg, "--env") {
				msg += " (supply it with --env " + strings.Join(d.Env, "=… --env ") + "=…)"
			}
			unresolved = append(unresolved, fab.UnresolvedSetting{Name: d.Name, Line: d.Line, Reason: msg})
		}
	}
	return syntax, unresolved
}

var openLineRe = lazyre.New(`opening parenthesis '.' on line (\d+)`)

// Convert turns a reader value into pkg/fab's plain values.
func Convert(v pyread.Value) any {
	switch x := v.(type) {
	case nil:
		return nil
	case *pyread.NoneValue:
		return nil
	case *pyread.Bool:
		return x.V
	case *pyread.Int:
		if x.Big != nil {
			return &fab.Opaque{Source: x.Big.String(), Line: x.L}
		}
		return x.V
	case *pyread.Float:
		if math.IsInf(x.V, 0) || math.IsNaN(x.V) {
			return &fab.Opaque{Source: strconv.FormatFloat(x.V, 'g', -1, 64), Line: x.L}
		}
		return x.V
	case *pyread.Str:
		return x.V
	case *pyread.Bytes:
		return &fab.Opaque{Source: "b" + strconv.Quote(x.V), Line: x.L}
	case *pyread.List:
		return convertAll(x.Elems)
	case *pyread.Tuple:
		return convertAll(x.Elems)
	case *pyread.Set:
		return convertAll(x.Elems)
	case *pyread.Dict:
		d := fab.NewDict(x.L)
		keys, vals := x.Keys(), x.Values()
		for i, k := range keys {
			d.Set(keyString(k), Convert(vals[i]), x.EntryLine(i))
		}
		return d
	case *pyread.Unresolved:
		return &fab.Unresolved{Reason: x.Reason, Line: x.Line}
	case *pyread.Opaque:
		src := x.Source
		if x.Qualname != "" && x.Kind == "import" {
			src = x.Qualname
		}
		return &fab.Opaque{Source: src, Line: x.Line}
	}
	return &fab.Opaque{Source: "<" + v.Type() + ">", Line: pyread.LineOf(v)}
}

func convertAll(vs []pyread.Value) []any {
	out := make([]any, len(vs))
	for i, e := range vs {
		out[i] = Convert(e)
	}
	return out
}

func keyString(k pyread.Value) string {
	switch x := k.(type) {
	case *pyread.Str:
		return x.V
	case *pyread.Int:
		return x.String()
	case *pyread.Bool:
		if x.V {
			return "True"
		}
		return "False"
	case *pyread.NoneValue:
		return "None"
	}
	return "<" + k.Type() + ">"
}

// envWords mark a source line that reads a value from outside the file.
var envWords = []string{"environ", "getenv", "conf.get", "Variable.get", "open(", ".read(", "secrets_backend", "get_secret", "vault"}

// literalFunc decides whether a string setting was written literally: its
// line holds a quoted string and no environment or secret-store access.
func literalFunc(cfg *fab.Config, lines []string) func(path ...string) bool {
	return func(path ...string) bool {
		if len(path) == 0 {
			return true
		}
		s, ok := cfg.Get(path[0])
		if !ok {
			return false
		}
		line := s.Line
		if strings.ContainsAny(s.Source, "(") && len(path) == 1 {
			// SECRET_KEY = os.environ[...] or a call: not literal.
			for _, w := range envWords {
				if strings.Contains(s.Source, w) {
					return false
				}
			}
		}
		v := s.Value
		for _, p := range path[1:] {
			switch x := v.(type) {
			case *fab.Dict:
				line = x.LineOf(p)
				v, _ = x.Get(p)
			case []any:
				i, err := strconv.Atoi(p)
				if err != nil || i < 0 || i >= len(x) {
					return false
				}
				v = x[i]
				if d, ok := v.(*fab.Dict); ok && d.Line > 0 {
					line = d.Line
				}
			default:
				return false
			}
		}
		if line < 1 || line > len(lines) {
			return true
		}
		text := lines[line-1]
		for _, w := range envWords {
			if strings.Contains(text, w) {
				return false
			}
		}
		return strings.ContainsAny(text, `"'`)
	}
}
