package pyread

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzRead feeds arbitrary bytes to the tokenizer, parser and evaluator:
// no panic, bounded time, every value renderable, every diagnostic inside
// the file. Seeds: the config corpus, the hostile files and
// testdata/fuzz/FuzzRead; crashers found there become regression inputs.
func FuzzRead(f *testing.F) {
	for _, pat := range []string{"../../testdata/configs/*.py", "../../testdata/configs/hostile/*.py"} {
		files, _ := filepath.Glob(pat)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	for _, s := range []string{
		"X = [1, {2: (3,)}", "f'{a!r:>{w}}'", "if x:\n  y = 1\n else:\n", "def f(:\n  pass\nA = 1",
		"X = '''", "X = 1 +", "@\nclass", "match x:\n case {'a': b} if b:\n  pass", "try:\n pass",
		"X = {**{}, *[]}", "lambda *a, **k: (yield)", "X = b'\\xff' + 'a'", "X = 0x_1 + 1__0 + 1e",
		"async def f(): await x", "with (a as b, c):\n pass", "global x; nonlocal y", "x: int = y := 1",
		"[x async for x in y]", "f'{'", "f'}'", "f'{x:{y:{z}}}'", "X = ((((((((((1))))))))))",
		"\tX = 1\n  Y = 2", "X = 1 \\\n", "del X[1:2], Y.z", "for x, *y in z: pass",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			return
		}
		r := &reader{file: "fuzz.py", opts: Options{Env: map[string]string{"A": "1", "HOME": "/h"}, MaxSteps: 100_000}}
		m := &Module{File: "fuzz.py", index: map[string]*Binding{}}
		done := make(chan struct{})
		go func() {
			// a hang becomes a crash, so that the fuzzer keeps the input
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				panic(fmt.Sprintf("read does not return on %q", src))
			}
		}()
		read(r, m, src) // panics surface here
		close(done)
		lines := strings.Count(string(src), "\n") + 2
		for _, d := range m.Diagnostics {
			if d.Line < 0 || d.Line > lines || d.Col < 0 {
				t.Fatalf("diagnostic outside the file (%d lines): %+v", lines, d)
			}
		}
		for _, b := range m.Bindings {
			if _, err := json.Marshal(ToJSON(b.Value)); err != nil {
				t.Fatalf("%s: ToJSON does not marshal: %v", b.Name, err)
			}
			ToGo(b.Value)
		}
	})
}

// FuzzCalls calls every function and method of a fuzzed module: the call
// never panics (run reports a panic as an internal error) and ends.
func FuzzCalls(f *testing.F) {
	for _, c := range callCases {
		f.Add(c.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		m := Read("f.py", []byte(src), Options{MaxSteps: 20_000})
		args := []Value{mkStr("azure", 0), FromGo(map[string]any{"id_token": "a.b.c", "roles": []any{"x"}}, 0)}
		check := func(o Outcome) {
			if o.Kind == Unknown && strings.Contains(o.Cause.Reason, "internal error") {
				t.Fatalf("%s", o.Cause.Reason)
			}
		}
		for _, fn := range m.Functions() {
			check(m.CallFunction(fn, args, nil))
		}
		for _, c := range m.Classes() {
			inst, err := m.NewInstance(c.Name, nil)
			if err != nil {
				continue
			}
			for _, meth := range c.Methods {
				check(m.CallMethod(inst, meth.Name, args, nil))
			}
		}
	})
}
