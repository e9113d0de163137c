package config

// This file turns what the reader (pkg/pyread) read into what FAB's
// semantics (pkg/fab) consume: plain values, settings with their lines,
// the imports and the reader's diagnostics. pkg/config is the only place
// where pkg/fab meets the reader.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/fab"
	"github.com/authdoctor/authdoctor/pkg/pyread"
)

// fabConfig converts a read module. src is the text the module was read
// from (used to tell values written literally from values read from the
// environment); file is the path shown in findings.
func fabConfig(m *pyread.Module, src []byte, file string) *fab.Config {
	cfg := &fab.Config{File: file, Settings: map[string]fab.Setting{}}
	if m == nil {
		return cfg
	}
	imported := map[string]bool{}
	for _, im := range m.Imports {
		imported[im.Alias] = true
	}
	for _, b := range m.Bindings {
		// Flask's from_pyfile keeps only upper-case names.
		if !pyread.IsUpperName(b.Name) {
			continue
		}
		cfg.Settings[b.Name] = fab.Setting{Name: b.Name, Value: Convert(b.Value), Line: b.Line, Source: b.Source,
			Conditional: b.Conditional, Known: KnownSetting(b.Name), Imported: imported[b.Name] && b.Source == "", IfUnset: b.IfUnset}
		cfg.Order = append(cfg.Order, b.Name)
	}
	for _, im := range m.Imports {
		cfg.Imports = append(cfg.Imports, fab.Import{Module: im.Module, Name: im.Name, Line: im.Line})
	}
	lines := strings.Split(string(src), "\n")
	cfg.Origin = originFunc(cfg, lines)
	cfg.Printed = printedSecrets(lines, func(name string) bool { _, ok := m.Lookup(name); return ok })
	cfg.SourceLine = func(n int) string {
		if n < 1 || n > len(lines) {
			return ""
		}
		return strings.TrimRight(lines[n-1], "\r")
	}
	return cfg
}

// diagnostics turns the reader's diagnostics into the read stage's
// inputs (CFG001, CFG002): syntax errors, with the reader's note on how it
// recovered, and unresolved settings (Flask keeps only upper-case names:
// the rest is not a setting).
func diagnostics(m *pyread.Module) (syntax []fab.SyntaxError, unresolved []fab.UnresolvedSetting) {
	if m == nil {
		return nil, nil
	}
	for _, d := range m.Diagnostics {
		switch d.Kind {
		case pyread.DiagSyntax:
			syntax = append(syntax, fab.SyntaxError{Line: d.Line, Col: d.Col, Msg: d.Message, Recovered: d.Recovered,
				OpenLine: d.OpenLine, Unclosed: d.Code == pyread.SyntaxUnclosed})
		case pyread.DiagUnresolved:
			if d.Name != "" && !pyread.IsUpperName(d.Name) {
				continue
			}
			whole := d.Value != nil && d.Value == m.Value(d.Name)
			unresolved = append(unresolved, fab.UnresolvedSetting{Name: d.Name, Line: d.Line, Reason: d.Message, Env: d.Env, Whole: whole})
		}
	}
	return syntax, unresolved
}

// Convert turns a reader value into pkg/fab's plain values.
func Convert(v pyread.Value) any {
	c := converter{budget: maxConverted}
	return c.convert(v, 0)
}

// maxConverted bounds the values one setting converts to, and maxDepth
// their nesting: the reader shares one object among many references (L =
// [0] * 100000; [L] * 100000), which converted naively would be 10^10
// values, and a self-containing list has no end. A setting past either
// limit is not known.
const (
	maxConverted = 1 << 20
	maxDepth     = 64
)

type converter struct{ budget int }

func (c *converter) convert(v pyread.Value, depth int) any {
	c.budget--
	if c.budget < 0 || depth > maxDepth {
		return &fab.Unresolved{Reason: fmt.Sprintf("the value is too large or too deeply nested to check (over %d values or %d levels)", maxConverted, maxDepth), Line: pyread.LineOf(v)}
	}
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
		return c.all(x.Elems, depth)
	case *pyread.Tuple:
		return c.all(x.Elems, depth)
	case *pyread.Set:
		return c.all(x.Elems, depth)
	case *pyread.Dict:
		d := fab.NewDict(x.L)
		keys, vals := x.Keys(), x.Values()
		for i, k := range keys {
			d.Set(keyString(k), c.convert(vals[i], depth+1), x.EntryLine(i))
		}
		return d
	case *pyread.Unresolved:
		return &fab.Unresolved{Reason: x.Reason, Line: x.Line, Callee: x.Root().Callee}
	case *pyread.Opaque:
		src := x.Source
		if x.Qualname != "" && x.Kind == "import" {
			src = x.Qualname
		}
		return &fab.Opaque{Source: src, Line: x.Line}
	}
	return &fab.Opaque{Source: "<" + v.Type() + ">", Line: pyread.LineOf(v)}
}

// all converts a sequence; once the budget is spent the whole sequence
// is not known (a partial list would read as a complete one).
func (c *converter) all(vs []pyread.Value, depth int) any {
	if len(vs) > c.budget {
		c.budget = -1
		return c.convert(nil, depth)
	}
	out := make([]any, len(vs))
	for i, e := range vs {
		out[i] = c.convert(e, depth+1)
		if c.budget < 0 {
			return c.convert(nil, depth)
		}
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

// originFunc tells where a string setting comes from by its source line:
// a quoted string on a line that reads nothing from outside is written in
// the file; a line that reads the environment but holds the value itself
// as a quoted literal is using its default (the variable is unset here).
func originFunc(cfg *fab.Config, lines []string) func(path ...string) fab.Origin {
	return func(path ...string) fab.Origin {
		if len(path) == 0 {
			return fab.OriginLiteral
		}
		s, ok := cfg.Get(path[0])
		if path[0] == fab.ClientsPath && len(path) > 1 {
			s, ok = clientArgs(cfg, path[1])
			path = path[1:]
		}
		if !ok {
			return fab.OriginOutside
		}
		v, line, ok := valueAt(s, path[1:])
		if !ok {
			return fab.OriginOutside
		}
		if line < 1 || line > len(lines) {
			return fab.OriginLiteral
		}
		text := lines[line-1]
		if str, isStr := v.(string); isStr && str != "" && !quotes(text, str) {
			// The value reached this line through a name: where it is
			// written as a literal tells; written nowhere, it came from
			// outside (--env, a computation).
			w, found := quotedLine(lines, str)
			if !found {
				return fab.OriginOutside
			}
			text = w
		}
		outside := strings.ContainsAny(s.Source, "(") && len(path) == 1 && hasEnvWord(s.Source) || hasEnvWord(text)
		str, isStr := v.(string)
		switch {
		case !outside && strings.ContainsAny(text, `"'`):
			return fab.OriginLiteral
		case outside && isStr && str != "" && quotes(text, str):
			return fab.OriginEnvDefault
		}
		return fab.OriginOutside
	}
}

// quotes reports whether text holds str as a quoted literal.
func quotes(text, str string) bool {
	return strings.Contains(text, `"`+str+`"`) || strings.Contains(text, "'"+str+"'")
}

// quotedLine is the first line holding str as a quoted literal.
func quotedLine(lines []string, str string) (string, bool) {
	for _, l := range lines {
		if quotes(l, str) {
			return l, true
		}
	}
	return "", false
}

// clientArgs stands the arguments of the app's own client i in for a
// setting, so that origins are told apart the same way.
func clientArgs(cfg *fab.Config, i string) (fab.Setting, bool) {
	n, err := strconv.Atoi(i)
	if err != nil || n < 0 || n >= len(cfg.Clients) {
		return fab.Setting{}, false
	}
	c := cfg.Clients[n]
	return fab.Setting{Name: c.Call, Value: c.Args, Line: c.Line}, true
}

func hasEnvWord(s string) bool {
	for _, w := range envWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// valueAt walks dict keys and list indexes from a setting to a value and
// the line it was written on.
func valueAt(s fab.Setting, path []string) (any, int, bool) {
	v, line := s.Value, s.Line
	for _, p := range path {
		switch x := v.(type) {
		case *fab.Dict:
			line = x.LineOf(p)
			v, _ = x.Get(p)
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return nil, 0, false
			}
			v = x[i]
			if d, ok := v.(*fab.Dict); ok && d.Line > 0 {
				line = d.Line
			}
		default:
			return nil, 0, false
		}
	}
	return v, line, true
}

// unresolveTemplates makes every string of the config that holds a Helm
// template action rendered at install time ({{ .Release.Name }},
// {{ include … }}, {{ tpl … }}) unresolved: the deployment's value is not
// that text, so no check may take it literally or fetch it.
func unresolveTemplates(cfg *fab.Config, actions []string) {
	if len(actions) == 0 {
		return
	}
	var walk func(v any, line int) any
	walk = func(v any, line int) any {
		switch x := v.(type) {
		case string:
			for _, a := range actions {
				if strings.Contains(x, a) {
					return &fab.Unresolved{Reason: "Helm template " + a + ", rendered at install time", Line: line}
				}
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e, line)
			}
		case *fab.Dict:
			for _, k := range x.Keys {
				x.Vals[k] = walk(x.Vals[k], x.LineOf(k))
			}
		}
		return v
	}
	for name, s := range cfg.Settings {
		s.Value = walk(s.Value, s.Line)
		cfg.Settings[name] = s
	}
}
