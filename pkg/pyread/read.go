package pyread

import (
	"fmt"
	"sort"
)

// Options tune a Read. The zero value is usable: no environment, no known
// modules beyond the pure standard-library subset, default budgets.
type Options struct {
	// Env is the environment seen by os.environ / os.getenv. Read never
	// looks at the process environment itself.
	Env map[string]string
	// File is the value of __file__; Read's filename when empty.
	File string
	// ModuleName is the value of __name__ ("config" when empty, which is
	// what Flask's from_pyfile uses).
	ModuleName string
	// Cwd resolves os.path.abspath of relative paths; when empty such
	// calls are unresolved.
	Cwd string
	// Modules declares constants of modules the file may import, by dotted
	// module name: Modules["flask_appbuilder.const"]["AUTH_OAUTH"] = 4.
	// Values are Go values: string, bool, nil, int, int64, float64, []any,
	// map[string]any.
	Modules map[string]map[string]any
	// Call resolves calls to functions of imported modules that the reader
	// does not know (Func is the dotted name the callee resolves to, e.g.
	// "airflow.configuration.conf.get"). Return handled=false to leave the
	// call unresolved. The result is a Go value as in Modules, or an
	// *Unresolved.
	Call func(c CallInfo) (result any, handled bool)
	// MaxSteps bounds the evaluation work (default 2,000,000 steps, about
	// a quarter of a second at worst). A single top-level statement may
	// use at most a quarter of it.
	MaxSteps int
	// Lines maps Python line numbers to positions in the file the source
	// was taken from (a YAML file): Lines[n-1] is the origin of Python line
	// n. Nil means the source is the file itself.
	Lines []LineOrigin
	// HostModules supplies modules as hosts, by dotted name: `import jwt`,
	// `from jwt import decode` and `import jwt.exceptions` reach
	// HostModules["jwt"] (and HostModules["jwt.exceptions"] when given),
	// so that jwt.decode(...) asks the caller. Modules neither known to
	// the reader nor given here stay opaque.
	HostModules map[string]Host
	// UnsetIsNone reads the file as it runs where the variables the
	// environment lacks are unset too: os.getenv(X) and
	// os.environ.get(X) without a default are None, as in CPython. It
	// answers "what does the app do if X is unset" (an f-string then
	// embeds the text None); without it such values are unresolved.
	UnsetIsNone bool
}

// LineOrigin is where a Python line sits in the enclosing file.
type LineOrigin struct {
	Line      int
	ColOffset int
}

// CallInfo describes a call for Options.Call.
type CallInfo struct {
	Func   string
	Args   []any
	Kwargs map[string]any
	Line   int
	// Env is the environment at the time of the call (it includes
	// assignments the file made to os.environ).
	Env map[string]string
}

// DiagKind classifies diagnostics.
type DiagKind string

const (
	// DiagSyntax: the source is not valid Python here (CPython would refuse
	// the whole file).
	DiagSyntax DiagKind = "syntax"
	// DiagUnresolved: a module-level name holds (or contains) a value the
	// reader could not compute.
	DiagUnresolved DiagKind = "unresolved"
	// DiagNote: something worth knowing about how the file was read.
	DiagNote DiagKind = "note"
)

// SyntaxCode classifies a syntax error for callers that act on it.
type SyntaxCode uint8

const (
	// SyntaxOther is any other syntax error.
	SyntaxOther SyntaxCode = iota
	// SyntaxUnclosed: "'(' was never closed"; the diagnostic sits at the
	// bracket and OpenLine is its line.
	SyntaxUnclosed
	// SyntaxMismatch: "closing parenthesis ']' does not match opening
	// parenthesis '{' on line N"; OpenLine is N.
	SyntaxMismatch
	// SyntaxEncoding: the file is not text CPython accepts (bytes that
	// are not UTF-8 and no encoding declared, NUL bytes); it is the only
	// syntax error reported for the file.
	SyntaxEncoding
)

// Diagnostic is one remark about the file. Line and Col (1-based, in
// characters) are positions in the file (after Options.Lines mapping).
type Diagnostic struct {
	Kind    DiagKind
	Line    int
	Col     int
	Name    string
	Message string
	// Env lists environment variables that would resolve an unresolved
	// value.
	Env []string

	// For syntax errors: Code classifies the error, OpenLine is the line
	// of the bracket it is about (0 when none) and Recovered says how the
	// reader read past it ("" when it only skipped the statement).
	Code      SyntaxCode
	OpenLine  int
	Recovered string

	// For notes of a statement that raises where the module is read
	// (CPython stops loading the file there): Raised is the exception, as
	// CPython prints it. Only for exceptions that hold whatever the
	// environment holds.
	Raised *Exception

	// For unresolved diagnostics: Value is the unresolved value reported
	// (its Kind and Cause say why); the whole value of the binding Name
	// when Value == the binding's Value.
	Value *Unresolved
}

func (d Diagnostic) String() string {
	s := fmt.Sprintf("%d", d.Line)
	if d.Col > 0 {
		s += fmt.Sprintf(":%d", d.Col)
	}
	s += ": " + string(d.Kind) + ": "
	if d.Name != "" {
		s += d.Name + ": "
	}
	return s + d.Message
}

// Import is one imported name.
type Import struct {
	// Module is the module imported from ("flask_appbuilder.const"); for
	// `import a.b` it is "a.b" and Name is empty.
	Module string
	Name   string
	// Alias is the name bound in the file.
	Alias string
	Line  int
	// Star marks `from Module import *`.
	Star bool
	// Conditional marks imports in branches the reader could not decide.
	Conditional bool
}

// Binding is a module-level name and its final value.
type Binding struct {
	Name  string
	Value Value
	// Line is the line of the last assignment.
	Line int
	// Conditional is set when the value depends on a condition the reader
	// could not decide; Value is then an *Unresolved with Alternatives.
	Conditional bool
	// Source is the source text of the last assigned expression (empty
	// for imports, def and class).
	Source string
	// IfUnset names the environment variables whose absence chose the
	// branch of the last assignment (`if os.environ.get("X"): … else: …`
	// read with X unset): the deployment, which may set them, can take
	// the other branch.
	IfUnset []string `json:",omitempty"`
}

// Module is the result of reading a file.
type Module struct {
	File string
	// Bindings are the module-level names in the order of their last
	// assignment.
	Bindings    []*Binding
	Imports     []Import
	Diagnostics []Diagnostic
	// Steps is the evaluation work used.
	Steps int

	index map[string]*Binding
	// ev is the evaluator in the state reading left it, for calls.
	ev *evaluator
}

// Lookup finds a module-level binding.
func (m *Module) Lookup(name string) (*Binding, bool) {
	b, ok := m.index[name]
	return b, ok
}

// Value returns the value of a module-level name, or nil.
func (m *Module) Value(name string) Value {
	if b, ok := m.index[name]; ok {
		return b.Value
	}
	return nil
}

// SyntaxErrors returns the syntax diagnostics.
func (m *Module) SyntaxErrors() []Diagnostic {
	var out []Diagnostic
	for _, d := range m.Diagnostics {
		if d.Kind == DiagSyntax {
			out = append(out, d)
		}
	}
	return out
}

// reader carries per-Read state shared by the parser and the evaluator.
type reader struct {
	file    string
	src     string
	opts    Options
	diags   []Diagnostic
	seen    map[string]bool
	nSyntax int
	// encoding is why CPython refuses the file's bytes, if it does.
	encoding *sourceProblem
	// quiet drops diagnostics (while a caller's call runs: the module's
	// diagnostics are those of reading it).
	quiet bool
}

func (r *reader) mapLine(pyLine int) int { return mapLine(r.opts.Lines, pyLine) }

func (r *reader) mapCol(pyLine, col int) int {
	if r.opts.Lines == nil || pyLine < 1 || pyLine-1 >= len(r.opts.Lines) {
		return col
	}
	return col + r.opts.Lines[pyLine-1].ColOffset
}

// maxSyntaxDiags bounds the syntax errors listed.
const maxSyntaxDiags = 1000

func (r *reader) syntaxDiag(off int, msg string) {
	r.syntaxErr(&syntaxError{off: off, msg: msg})
}

// syntaxErr records a syntax error with what is known about it.
func (r *reader) syntaxErr(e *syntaxError) {
	off, msg := e.off, e.msg
	if p := r.encoding; p != nil {
		// only errors CPython would meet before the bytes it refuses
		pl, pc := lineOf(r.src, off), runeCol(r.src, off)
		if p.first || pl > p.line || pl == p.line && pc >= p.col {
			return
		}
	}
	r.nSyntax++
	if r.nSyntax > maxSyntaxDiags {
		if r.nSyntax == maxSyntaxDiags+1 {
			r.add(Diagnostic{Kind: DiagNote, Line: r.mapLine(lineOf(r.src, off)), Message: "more syntax errors follow; they are not listed"})
		}
		return
	}
	pl := lineOf(r.src, off)
	d := Diagnostic{Kind: DiagSyntax, Line: r.mapLine(pl), Col: r.mapCol(pl, runeCol(r.src, off)), Message: msg,
		Code: e.code, Recovered: e.recovered}
	if e.open != nil {
		d.OpenLine = r.mapLine(e.open.line)
	}
	r.add(d)
}

func (r *reader) note(pyLine int, msg string) {
	r.add(Diagnostic{Kind: DiagNote, Line: r.mapLine(pyLine), Message: msg})
}

// noteAt records a note at an already mapped line.
func (r *reader) noteAt(line int, msg string) {
	r.add(Diagnostic{Kind: DiagNote, Line: line, Message: msg})
}

// noteRaised notes a statement of the module that raises: CPython stops
// loading the file there. The exception is kept for callers when it does
// not depend on the environment (a variable the deployment may set) and
// an operation raised it: a raise statement of the file is a guard whose
// condition is usually the deployment's environment.
func (r *reader) noteRaised(line int, e *pyExc) {
	d := Diagnostic{Kind: DiagNote, Line: line, Message: fmt.Sprintf("CPython would raise %s here and stop loading the file; the reader goes on", e.describe())}
	if len(e.env) == 0 && !e.explicit {
		d.Raised = exceptionOf(e)
	}
	r.add(d)
}

func (r *reader) add(d Diagnostic) {
	if r.quiet {
		return
	}
	key := fmt.Sprintf("%s|%d|%d|%s|%s", d.Kind, d.Line, d.Col, d.Name, d.Message)
	if r.seen[key] {
		return
	}
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	r.seen[key] = true
	r.diags = append(r.diags, d)
}

// Read parses and statically evaluates Python source. It never executes,
// imports, opens or fetches anything, never panics, and is bounded in time
// and memory by Options.MaxSteps and fixed nesting limits.
func Read(filename string, src []byte, opts Options) (m *Module) {
	r := &reader{file: filename, opts: opts}
	m = &Module{File: filename, index: map[string]*Binding{}}
	defer func() {
		if p := recover(); p != nil {
			// A bug, never an input problem: report it instead of crashing.
			r.add(Diagnostic{Kind: DiagNote, Line: 1, Message: fmt.Sprintf("internal error in the Python reader: %v; results are incomplete", p)})
			m.Diagnostics = r.diags
		}
	}()
	read(r, m, src)
	return m
}

// read does the work of Read without recovering from panics (the fuzz
// test calls it to see them).
func read(r *reader, m *Module, src []byte) {
	s, prob := decodeSource(src)
	r.src = s
	if prob != nil {
		// CPython refuses the file with this error; the syntax errors
		// the reader finds after it would only repeat it
		r.add(Diagnostic{Kind: DiagSyntax, Line: r.mapLine(prob.line), Col: r.mapCol(prob.line, prob.col), Message: prob.msg, Code: SyntaxEncoding})
		r.nSyntax++
		r.encoding = prob
	}
	p := &parser{src: s, r: r}
	p.lx = newLexer(s, 0, 1, nil, nil)
	body := p.parseFile()

	ev := newEvaluator(r, m)
	ev.run(body)
	ev.finish()
	m.ev = ev
	sort.SliceStable(r.diags, func(i, j int) bool { return r.diags[i].Line < r.diags[j].Line })
	m.Diagnostics = r.diags
}
