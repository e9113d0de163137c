// Package pyread reads Python 3 configuration files statically: a
// tokenizer, a recursive-descent parser for the grammar config files use,
// and an evaluator over a pure subset of the language. It knows nothing of
// Flask-AppBuilder or Airflow (callers pass such knowledge in Options) and
// it never executes, imports, opens or fetches anything.
//
// # Entry point
//
//	m := pyread.Read("webserver_config.py", src, pyread.Options{
//		Env:     env,                                  // os.environ / os.getenv
//		Modules: map[string]map[string]any{...},       // constants of importable modules
//		Call:    func(pyread.CallInfo) (any, bool){...}, // resolve calls such as conf.get
//	})
//	b, ok := m.Lookup("OAUTH_PROVIDERS") // *Binding: Name, Value, Line, Conditional, Source
//	m.Bindings                           // module-level names, in order of last assignment
//	m.Imports                            // []Import{Module, Name, Alias, Line, Star, Conditional}
//	m.Diagnostics                        // []Diagnostic{Kind, Line, Col, Name, Message, Env, ...}
//	m.SyntaxErrors()                     // the DiagSyntax ones
//
// Read never panics and is bounded: Options.MaxSteps limits evaluation
// work (2,000,000 steps by default; one top-level statement gets a quarter,
// and once the budget is spent the remaining statements get a small
// allowance each, so plain assignments after a runaway loop are still
// read), nesting is limited while parsing (150 levels) and evaluating,
// strings and containers built by the file are capped (1 MiB, 131,072
// items), integer results are capped at 16,384 bits, and walks over
// aliased values are budgeted.
//
// # Values
//
// Value is an interface; the concrete types are *NoneValue, *Bool, *Int
// (V int64, or Big *big.Int beyond int64), *Float, *Str, *Bytes, *List,
// *Tuple, *Set (also frozenset), *Dict (insertion order: Keys, Values,
// Lookup, EntryLine, LookupLine), *Unresolved and *Opaque. Every value
// carries the line it came from (LineOf). Line numbers are lines of the
// caller's file: Options.Lines maps Python lines into an enclosing file
// (a Helm values file), columns included.
//
// *Unresolved{Reason, Line, Alternatives, Env, Kind, Callee, Call, Cause}
// is a value the reader could not compute. Reason is for people; programs
// read Kind: UnknownEnv (an environment variable that is not set; Env
// names it), UnknownCall (a call it does not evaluate: an imported
// function, open(), eval(), subprocess, the network, a hook that did not
// answer; Callee is the dotted name the callee resolves to, Call the
// call's source text), UnknownDecorated, UnknownImported (a name from
// `import *`, an attribute of an imported object), UnknownBudget,
// UnknownLoop (assigned in a while loop, which is not run), UnknownMatch,
// UnknownSetOrder, UnknownCondition (depends on a condition the reader
// cannot decide), UnknownRaises, UnknownUnsupported. A value derived from
// another unknown one points at it with Cause; Root() is the first cause.
// Unresolved values can sit inside lists and dicts; a dict key that could
// not be computed is kept as an entry whose key is the *Unresolved. When
// a value depends on a condition the reader cannot decide, the binding is
// Conditional and Alternatives lists each branch (Condition source text,
// Line, Value; Value nil when the name is unset on that path).
//
// # Diagnostics
//
// A Diagnostic's Message is for people. A syntax error's Code says what
// it is (SyntaxUnclosed, SyntaxMismatch, SyntaxEncoding), OpenLine is the
// line of the bracket it is about and Recovered how the reader read past
// it. An unresolved diagnostic's Value is the *Unresolved it reports (the
// binding's whole value when it is the binding's Value).
//
// *Opaque{Kind, Source, Line, Qualname, Bases, Attrs, Duration} is a value
// JSON cannot hold: "class" (Attrs holds Class.ATTR; Bases the dotted base
// names), "function", "lambda", "module", "import" (a name imported from a
// module the reader does not know; Qualname is its dotted name),
// "builtin", "timedelta" (Duration), "complex", "exception", "object".
//
// # Conversions
//
// ToJSON(v) gives what design.md specifies for JSON output: tuple → array,
// set → sorted array, dict → *Object (keys as strings, in insertion
// order), unresolved → {"unresolved": reason, "line": N}, values JSON
// cannot hold → {"python": source text}, NaN/inf → {"python": "nan"},
// integers beyond int64 → json.Number. Dict keys convert as Python's
// json.dumps does (1 → "1", True → "true", None → "null"); an unresolved
// key becomes "<unresolved: reason>".
//
// ToGo(v) gives plain Go values for semantic code: string, int64 or
// *big.Int, float64, bool, nil, []any (lists, tuples, sets sorted),
// map[string]any (dicts; keys as in ToJSON; use the *Dict itself when the
// order of keys matters), and *Unresolved / *Opaque as they are (bytes
// become an *Opaque of kind "bytes"). FromGo goes the other way for hooks.
//
// # What is evaluated
//
// Statements: assignments (chained, unpacking with *rest, annotated,
// augmented, to items and slices, to class attributes), del, imports
// (aliases, relative, star), if/elif/else (static conditions decide,
// others produce conditional bindings), for over known iterables (with
// break, continue and else), while and match (not run: what they assign
// becomes unresolved, with a note), try/except/else/finally (a
// definite exception such as KeyError from os.environ["UNSET"] or
// ZeroDivisionError selects the handler; a try body that might raise
// makes what the handlers assign conditional), with, def and lambda
// (functions defined in the file are called when the file calls them,
// bounded; decorated functions other than @staticmethod are not), class
// bodies, global, assert, raise, pass.
//
// Expressions: literals of every form (string prefixes r/b/f/u and their
// combinations in any case, triple quotes, implicit concatenation, escapes,
// numbers with underscores, hex/octal/binary, floats; complex numbers stay
// opaque), containers and comprehensions, f-strings (nesting, !r/!s/!a,
// format specs, =), % formatting, str.format, arithmetic with Python's
// semantics (floor division, big integers), comparisons, boolean and
// conditional expressions, walrus, the common methods of str, bytes, list,
// dict and set, the builtins a config needs (int, str, bool, float, list,
// tuple, set, dict, len, sorted, min, max, sum, any, all, range,
// enumerate, zip, map, filter, isinstance, getattr, repr, round, abs, …),
// os.getenv / os.environ (get, [], in, setdefault, assignment — in memory
// only), os.path (join, dirname, basename, abspath, normpath, split,
// splitext, expanduser), json.loads / json.dumps, datetime.timedelta,
// ast.literal_eval, distutils.util.strtobool, urllib.parse.quote. The
// environment is authoritative for variables it has; for a variable it
// lacks, the code's own fallback (a default argument, an except KeyError
// handler) is used, and without one the value is unresolved. The None that
// os.getenv("X") / os.environ.get("X") give for a variable the
// environment lacks counts as such a fallback wherever the code tests it:
// `os.getenv("X") or "fallback"` is "fallback", `"a" if os.getenv("X")
// else "b"` is "b", `if os.getenv("X"):` takes the path CPython takes
// (the else branch), as do not, `is None`, bool(), while and comprehension
// conditions; the None itself (a bare os.getenv("X"), `os.getenv("X") and
// y`) and values computed from it (`os.getenv("X") == "a"`) stay
// unresolved, since the deployment may set the variable.
//
// The bytes are decoded as CPython's compile() decodes them (UTF-8, or the
// encoding a PEP 263 comment declares; a UTF-8 BOM is dropped). A file
// CPython refuses for its bytes (NUL bytes, bytes outside the encoding:
// a binary file) gets exactly one syntax error, worded as CPython 3.11
// words it ("source code string cannot contain null bytes", "(unicode
// error) 'utf-8' codec can't decode byte 0x89 in position 0: invalid start
// byte"), and its text is read anyway, undecodable bytes as Latin-1.
//
// Syntax errors are reported at line:column as CPython reports them ("'['
// was never closed", "unterminated string literal (detected at line 6)",
// "closing parenthesis ']' does not match opening parenthesis '{'"), and
// reading goes on: a statement with an unclosed bracket is read as if the
// bracket were closed before the next line that starts a statement at
// column 0 (or at the end), a mismatched closing bracket closes the inner
// brackets, stray indentation is read as if it were not there, and other
// broken statements are skipped to the end of their line.
//
// # Calling the file's own functions and methods
//
// After reading, a function or method the file defines can be evaluated
// with arguments the caller supplies, statically: the reader knows no
// framework, so the caller supplies the objects the code talks to as
// hosts.
//
//	m := pyread.Read("webserver_config.py", src, pyread.Options{
//		HostModules: map[string]pyread.Host{"jwt": jwtHost}, // import jwt; jwt.decode(...) asks jwtHost
//	})
//	c := m.Class("AzureCustomSecurity")    // *Class: Bases (as written, resolved), Methods, Attrs, MRO
//	fns := m.Functions()                   // []*Func: Name, Line, Params, Decorators ("appbuilder.sm.oauth_user_info_getter")
//	inst, _ := m.NewInstance(c.Name, smHost) // smHost: the imported base class's behaviour, bound to the instance
//	o := m.CallMethod(inst, "get_oauth_user_info", []pyread.Value{provider, resp}, nil)
//	switch o.Kind {
//	case pyread.Returned: // o.Value
//	case pyread.Raised:   // o.Exception: Type, Module, Message, Line, Text ("KeyError: 'upn'")
//	case pyread.Unknown:  // o.Cause: the first cause (Kind, Line, Callee, Call, Reason)
//	}
//
// A Host (TypeName, GetAttr, GetItem, Call) answers every operation on the
// object it stands for with a Value, another host (NewHost), an
// *Unresolved (not known: the outcome becomes unknown, naming the call or
// access that asked) or Raise(cls, msg). An ExcClass is an exception
// class with its module and bases, so that `except jwt.InvalidTokenError`
// catches a DecodeError; BuiltinExc names the built-in ones. A missing
// attribute raises AttributeError as CPython words it ("'Response' object
// has no attribute 'data'").
//
// Arguments are Values: FromGo converts Go values, ParseJSON reads a JSON
// document keeping the order of its keys, NewHost wraps a host.
//
// An instance looks attributes up in its own attributes (self.x = … in
// its methods), then along its class's MRO (C3): the file's classes first
// as Python orders them, then the imported base, which only the
// instance's Base host answers (without one, the outcome is unknown).
// super().m(...) and Base.m(self, ...) continue along the MRO after the
// method's class; self.m(...) finds the file's overrides first.
//
// In such a call, the body is evaluated as at module level, and more:
// while loops run (within the budget), the file's classes make instances
// (their __init__ runs), log.*, logger.*, logging.* and print do nothing,
// and exceptions propagate with CPython's texts (KeyError, IndexError,
// TypeError, AttributeError, binascii.Error from base64, JSONDecodeError).
// The outcome is Unknown when the result depends on something outside the
// file: a call the reader does not evaluate (requests, urllib, open,
// os.system, subprocess, eval, __import__, importlib, an imported
// function: never run), a host that does not know, an environment
// variable the environment lacks, a branch the reader cannot choose where
// the paths differ, a method whose decorator the reader does not apply
// (kind UnknownDecorated), the budget running out (while True, deep
// recursion). Cause is the first such thing (by line); a call made only
// for its effect (an expression statement) makes the outcome unknown too.
// CallFunction evaluates a function's own body, whatever its decorators:
// the caller applies what they mean. Each call starts from the module's
// state after reading and leaves the module's bindings as they were;
// instance attributes the call sets stay on the instance, as in Python.
// A Module must not be called from several goroutines at once.
package pyread
