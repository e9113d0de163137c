package integration

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/pkg/testkit"
)

const module = "github.com/authdoctor/authdoctor/"

// goFiles lists the non-test Go files under pkg/ and cmd/, by the package
// directory (relative to the repository root) that holds them.
func goFiles(t *testing.T) map[string][]string {
	t.Helper()
	root := testkit.RepoRoot(t)
	out := map[string][]string{}
	for _, top := range []string{"pkg", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			rel, _ := filepath.Rel(root, p)
			dir := filepath.ToSlash(filepath.Dir(rel))
			out[dir] = append(out[dir], p)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// imports maps each package directory to the import paths its non-test
// files use.
func imports(t *testing.T) map[string]map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	out := map[string]map[string]bool{}
	for dir, files := range goFiles(t) {
		out[dir] = map[string]bool{}
		for _, f := range files {
			af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for _, im := range af.Imports {
				p, _ := strconv.Unquote(im.Path.Value)
				out[dir][p] = true
			}
		}
	}
	return out
}

func under(dir, prefix string) bool { return dir == prefix || strings.HasPrefix(dir, prefix+"/") }

// The import rules of docs/architecture.md: the arrows point one way.
func TestImportRules(t *testing.T) {
	type rule struct {
		who    func(dir string) bool
		banned func(path string) bool
		why    string
	}
	own := func(p string) bool { return strings.HasPrefix(p, module) }
	commandLayer := func(dir string) bool {
		return under(dir, "pkg/cli") || under(dir, "pkg/cmd") || dir == "pkg/cmdutil" || dir == "pkg/render" || under(dir, "cmd")
	}
	rules := []rule{
		{func(d string) bool { return d == "pkg/engine" }, own,
			"the engine (registry, findings, reports) depends on no other authdoctor package"},
		{func(d string) bool { return !commandLayer(d) }, func(p string) bool {
			return p == "github.com/spf13/cobra" || strings.HasPrefix(p, "github.com/fatih/color")
		}, "only the command layer (pkg/cli, pkg/cmd/..., pkg/cmdutil, pkg/render, cmd/) knows cobra and colour"},
		{func(d string) bool { return d == "pkg/pyread" }, func(p string) bool { return own(p) && p != module+"pkg/pyrepr" },
			"the Python reader knows nothing of FAB or of the rest of authdoctor (only pkg/pyrepr, CPython's repr)"},
		{func(d string) bool { return d == "pkg/pyrepr" }, own,
			"pkg/pyrepr (CPython's repr of text and JSON-like values) depends on no other authdoctor package"},
		{func(d string) bool { return under(d, "pkg/fab") }, func(p string) bool { return p == module+"pkg/pyread" || p == module+"pkg/config" },
			"FAB's semantics know no Python syntax: pkg/config converts what the reader read"},
		{func(d string) bool { return d != "pkg/cli" && !under(d, "cmd/gendocs") }, func(p string) bool { return strings.HasPrefix(p, module+"pkg/cmd/") },
			"command packages are not libraries: only the CLI wiring (and the docs generator) imports them"},
		{func(d string) bool { return d != "pkg/netx" && !under(d, "pkg/testkit") }, func(p string) bool { return p == "net/http" },
			"pkg/netx is the only package that talks to the network"},
	}
	seen := map[string]bool{}
	for dir, imps := range imports(t) {
		for _, r := range rules {
			if !r.who(dir) {
				continue
			}
			for p := range imps {
				if !r.banned(p) {
					continue
				}
				key := dir + " -> " + strings.TrimPrefix(p, module)
				seen[key] = true
				if !importDebt[key] {
					t.Errorf("%s imports %s: %s", dir, p, r.why)
				}
			}
		}
	}
	for k := range importDebt {
		if !seen[k] {
			t.Errorf("%s is gone: remove it from importDebt", k)
		}
	}
}

// importDebt lists the arrows that still point the wrong way, to remove
// and never to add to.
var importDebt = map[string]bool{}

// Readable units: no function over 150 lines (a function that only
// returns or assigns one composite literal is a data table and exempt),
// no file over 800 lines. sizeDebt lists what is still over, to shrink
// and never to grow.
var sizeDebt = map[string]bool{}

func TestFunctionAndFileSizes(t *testing.T) {
	const maxFunc, maxFile = 150, 800
	fset := token.NewFileSet()
	var over []string
	for _, files := range goFiles(t) {
		for _, f := range files {
			af, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			rel, _ := filepath.Rel(testkit.RepoRoot(t), f)
			rel = filepath.ToSlash(rel)
			if n := fset.Position(af.End()).Line; n > maxFile {
				over = append(over, rel)
				if !sizeDebt[rel] {
					t.Errorf("%s has %d lines (at most %d): split it by topic", rel, n, maxFile)
				}
			}
			for _, d := range af.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil || dataTable(fd.Body) {
					continue
				}
				n := fset.Position(fd.Body.Rbrace).Line - fset.Position(fd.Body.Lbrace).Line - 1
				if n <= maxFunc {
					continue
				}
				key := rel + ":" + fd.Name.Name
				over = append(over, key)
				if !sizeDebt[key] {
					t.Errorf("%s is %d lines long (at most %d): turn the switch into a table or split it", key, n, maxFunc)
				}
			}
		}
	}
	sort.Strings(over)
	for k := range sizeDebt {
		if i := sort.SearchStrings(over, k); i == len(over) || over[i] != k {
			t.Errorf("%s is within the limits now: remove it from sizeDebt", k)
		}
	}
}

// dataTable reports whether a body is a single return or assignment of a
// composite literal (a table written as code).
func dataTable(b *ast.BlockStmt) bool {
	if len(b.List) != 1 {
		return false
	}
	var e ast.Expr
	switch s := b.List[0].(type) {
	case *ast.ReturnStmt:
		if len(s.Results) == 1 {
			e = s.Results[0]
		}
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			e = s.Rhs[0]
		}
	}
	if u, ok := e.(*ast.UnaryExpr); ok {
		e = u.X
	}
	_, ok := e.(*ast.CompositeLit)
	return ok
}
