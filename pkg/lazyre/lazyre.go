// Package lazyre holds package-level regular expressions that compile on
// first use, so that start-up (every command pays every package's
// initialisation) does no regexp compilation.
package lazyre

import (
	"regexp"
	"sync"
)

// Re is a regexp compiled on first use. A bad expression panics then, as
// regexp.MustCompile would at start-up; tests exercise every one.
type Re struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// New records the expression.
func New(expr string) *Re { return &Re{expr: expr} }

// Regexp returns the compiled expression.
func (r *Re) Regexp() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.expr) })
	return r.re
}

func (r *Re) MatchString(s string) bool              { return r.Regexp().MatchString(s) }
func (r *Re) FindString(s string) string             { return r.Regexp().FindString(s) }
func (r *Re) FindStringSubmatch(s string) []string   { return r.Regexp().FindStringSubmatch(s) }
func (r *Re) FindSubmatch(b []byte) [][]byte         { return r.Regexp().FindSubmatch(b) }
func (r *Re) ReplaceAllString(s, repl string) string { return r.Regexp().ReplaceAllString(s, repl) }
func (r *Re) FindAllStringSubmatch(s string, n int) [][]string {
	return r.Regexp().FindAllStringSubmatch(s, n)
}
func (r *Re) ReplaceAllStringFunc(s string, f func(string) string) string {
	return r.Regexp().ReplaceAllStringFunc(s, f)
}
func (r *Re) String() string { return r.expr }
