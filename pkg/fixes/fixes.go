// Package fixes turns the mechanical fixes of findings (engine.Edit: a
// string replaced on a line, or a line inserted after one) into a unified
// diff that `patch -p0` applies from the directory the files were named
// from. Findings without an edit are left out; an edit whose line no
// longer reads as expected is skipped, never guessed.
package fixes

import (
	"fmt"
	"sort"
	"strings"

	"github.com/authdoctor/authdoctor/pkg/engine"
)

// context is the number of unchanged lines around each change (diff -u).
const context = 3

// Diff is the patch of every finding's edit, file by file in the order
// the files first appear; skipped lists edits that could not be applied.
func Diff(findings []engine.Finding, read func(path string) ([]byte, error)) (patch string, skipped []string, err error) {
	var order []string
	byFile := map[string][]engine.Edit{}
	for _, f := range findings {
		if f.Edit == nil || f.Subject.File == "" {
			continue
		}
		if _, ok := byFile[f.Subject.File]; !ok {
			order = append(order, f.Subject.File)
		}
		byFile[f.Subject.File] = appendOnce(byFile[f.Subject.File], *f.Edit)
	}
	var b strings.Builder
	for _, path := range order {
		data, err := read(path)
		if err != nil {
			return "", nil, err
		}
		d, sk := fileDiff(path, string(data), byFile[path])
		b.WriteString(d)
		skipped = append(skipped, sk...)
	}
	return b.String(), skipped, nil
}

func appendOnce(es []engine.Edit, e engine.Edit) []engine.Edit {
	for _, x := range es {
		if x == e {
			return es
		}
	}
	return append(es, e)
}

// op is one line of a diff: ' ' kept, '-' removed, '+' added.
type op struct {
	kind byte
	text string
}

// fileDiff applies the edits to one file and writes its diff.
func fileDiff(path, text string, edits []engine.Edit) (string, []string) {
	lines := strings.Split(text, "\n")
	finalNL := strings.HasSuffix(text, "\n")
	if finalNL {
		lines = lines[:len(lines)-1]
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Line < edits[j].Line })
	var ops []op
	var skipped []string
	e := 0
	for i, l := range lines {
		n := i + 1
		cur := l
		var inserts []string
		for ; e < len(edits) && edits[e].Line == n; e++ {
			ed := edits[e]
			switch {
			case ed.Insert != "":
				inserts = append(inserts, indentOf(l)+ed.Insert)
			case ed.Old != "" && strings.Contains(cur, ed.Old):
				cur = strings.Replace(cur, ed.Old, ed.New, 1)
			default:
				skipped = append(skipped, fmt.Sprintf("%s:%d: %q is not on the line any more", path, n, ed.Old))
			}
		}
		if cur == l {
			ops = append(ops, op{' ', l})
		} else {
			ops = append(ops, op{'-', l}, op{'+', cur})
		}
		for _, in := range inserts {
			ops = append(ops, op{'+', in})
		}
	}
	for ; e < len(edits); e++ {
		skipped = append(skipped, fmt.Sprintf("%s:%d: the file has no such line", path, edits[e].Line))
	}
	return hunks(path, ops, finalNL), skipped
}

func indentOf(l string) string { return l[:len(l)-len(strings.TrimLeft(l, " \t"))] }

// hunks writes the ops as a unified diff with context lines.
func hunks(path string, ops []op, finalNL bool) string {
	var changed []int
	for i, o := range ops {
		if o.kind != ' ' {
			changed = append(changed, i)
		}
	}
	if len(changed) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", path, path)
	for k := 0; k < len(changed); {
		start := max(changed[k]-context, 0)
		end := changed[k]
		for k < len(changed) && changed[k] <= end+2*context+1 {
			end = changed[k]
			k++
		}
		end = min(end+context, len(ops)-1)
		oldStart, newStart := lineNumbers(ops, start)
		var oldN, newN int
		var body strings.Builder
		for i := start; i <= end; i++ {
			o := ops[i]
			body.WriteByte(o.kind)
			body.WriteString(o.text)
			body.WriteByte('\n')
			if o.kind != '+' {
				oldN++
			}
			if o.kind != '-' {
				newN++
			}
			if i == len(ops)-1 && !finalNL {
				body.WriteString("\\ No newline at end of file\n")
			}
		}
		fmt.Fprintf(&b, "@@ -%s +%s @@\n%s", span(oldStart, oldN), span(newStart, newN), body.String())
	}
	return b.String()
}

// lineNumbers are the old and new line numbers of ops[i].
func lineNumbers(ops []op, i int) (int, int) {
	o, n := 1, 1
	for _, x := range ops[:i] {
		if x.kind != '+' {
			o++
		}
		if x.kind != '-' {
			n++
		}
	}
	return o, n
}

// span is a hunk range: start,count (start-1 when the range is empty).
func span(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start-1)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
