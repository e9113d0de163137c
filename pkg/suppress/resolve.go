package suppress

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// UnknownCheckError says an ignore names no check; Similar are the close
// matches (the "did you mean").
type UnknownCheckError struct {
	Name    string
	Similar []*engine.Check
}

func (e *UnknownCheckError) Error() string {
	return fmt.Sprintf("%q is not a check ID or name; %s", e.Name, e.Suggestion())
}

// Suggestion is the "did you mean …?" (or where the list is).
func (e *UnknownCheckError) Suggestion() string {
	if len(e.Similar) == 0 {
		return "run 'authdoctor checks' for the list"
	}
	var alts []string
	for _, c := range e.Similar {
		alts = append(alts, c.ID+" ("+c.Name+")")
	}
	return "did you mean " + strings.Join(alts, " or ") + "?"
}

// Resolve turns a check ID (any case) or name into its ID.
func Resolve(reg *engine.Registry, name string) (string, error) {
	c, ok := reg.Get(strings.TrimSpace(name))
	if !ok {
		return "", &UnknownCheckError{Name: name, Similar: reg.Similar(name)}
	}
	return c.ID, nil
}

// ResolveAll resolves a list of IDs or names, each of which may itself be
// a comma-separated list (as --ignore takes them); the first unknown one
// is the error.
func ResolveAll(reg *engine.Registry, names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		for _, part := range strings.Split(n, ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			id, err := Resolve(reg, part)
			if err != nil {
				return nil, err
			}
			out = append(out, id)
		}
	}
	return out, nil
}

func itoa(i int) string { return strconv.Itoa(i) }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
